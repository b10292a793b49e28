//! Booleans packed eight to a byte in Arrow's order (value `i` is bit `i % 8` of byte
//! `i / 8`), built packed so that a binding hands the bytes over as they are: one byte
//! per value would be eight times the fresh memory, then a packing pass.

/// A sequence of booleans, packed; bits past the last value are zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    /// An empty sequence with room for `len` values.
    pub fn with_capacity(len: usize) -> Self {
        Bits {
            bytes: Vec::with_capacity(len.div_ceil(8)),
            len: 0,
        }
    }

    /// `len` copies of `value`.
    pub fn repeat(value: bool, len: usize) -> Self {
        let mut bits = Bits::with_capacity(len);
        bits.push_n(value, len);
        bits
    }

    /// Appends one value.
    pub fn push(&mut self, value: bool) {
        let at = self.len % 8;
        if at == 0 {
            self.bytes.push(0);
        }
        if let Some(last) = self.bytes.last_mut() {
            *last |= u8::from(value) << at;
        }
        self.len += 1;
    }

    /// Appends `n` copies of `value`.
    pub fn push_n(&mut self, value: bool, n: usize) {
        for _ in 0..n {
            self.push(value);
        }
    }

    /// Appends every value of `other`.
    pub fn append(&mut self, other: &Bits) {
        for i in 0..other.len {
            self.push(other.get(i).unwrap_or_default());
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Value `i`, if any.
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len).then(|| self.bytes[i / 8] >> (i % 8) & 1 == 1)
    }

    /// True when every value is true.
    pub fn all_set(&self) -> bool {
        let ones: usize = self.bytes.iter().map(|b| b.count_ones() as usize).sum();
        ones == self.len
    }

    /// The packed bytes (`len().div_ceil(8)` of them) and the number of values, moved out.
    pub fn into_bytes(self) -> (Vec<u8>, usize) {
        (self.bytes, self.len)
    }
}

impl FromIterator<bool> for Bits {
    fn from_iter<I: IntoIterator<Item = bool>>(iter: I) -> Self {
        let mut bits = Bits::default();
        for b in iter {
            bits.push(b);
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_in_arrows_order() {
        let values = [
            true, false, true, true, false, false, false, false, true, true,
        ];
        let bits: Bits = values.iter().copied().collect();
        assert_eq!(bits.len(), 10);
        assert_eq!(
            (0..10).map(|i| bits.get(i).unwrap()).collect::<Vec<_>>(),
            values
        );
        assert_eq!(bits.get(10), None);
        assert!(!bits.all_set());
        let (bytes, len) = bits.clone().into_bytes();
        assert_eq!((bytes, len), (vec![0b0000_1101, 0b0000_0011], 10));
        let mut more = Bits::repeat(true, 3);
        assert!(more.all_set() && Bits::default().all_set());
        more.append(&bits);
        assert_eq!(more.len(), 13);
        assert_eq!(more.get(3), Some(true));
        assert_eq!(more.get(4), Some(false));
        assert_eq!(more.clone().into_bytes().0, vec![0b0110_1111, 0b0001_1000]);
    }
}
