//! A buffered MSB-first bit reader for the turbo streams, which read one small token per
//! value: a 64-bit accumulator refilled a word at a time instead of two bounds-checked
//! word loads per token (unlike the reader model in `codec::bits`).

/// Reads tokens of 0..=32 bits MSB first; past the end it yields zero bits and
/// [`Bits::overrun`] turns true.
#[derive(Debug, Clone)]
pub(super) struct Bits<'a> {
    words: &'a [u32],
    /// Index of the next word to load.
    next: usize,
    /// Unread bits, left-aligned.
    acc: u64,
    /// Number of valid bits in `acc`.
    avail: u32,
}

impl<'a> Bits<'a> {
    /// A reader at bit 0 of `words`.
    pub(super) fn new(words: &'a [u32]) -> Self {
        Bits {
            words,
            next: 0,
            acc: 0,
            avail: 0,
        }
    }

    /// True when more bits were read than the words hold.
    pub(super) fn overrun(&self) -> bool {
        let consumed = self.next as u64 * 32 - u64::from(self.avail);
        consumed > self.words.len() as u64 * 32
    }

    #[inline]
    fn refill(&mut self) {
        let w = self.words.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        self.acc |= u64::from(w) << (32 - self.avail);
        self.avail += 32;
    }

    /// Reads `n` (0..=32) bits as an unsigned value.
    #[inline]
    pub(super) fn read(&mut self, n: u32) -> u32 {
        debug_assert!(n <= 32);
        if n == 0 {
            return 0;
        }
        if self.avail < n {
            self.refill();
        }
        let v = (self.acc >> (64 - n)) as u32;
        self.acc <<= n;
        self.avail -= n;
        v
    }

    /// Reads `out.len()` values of `n` (1..=32) bits as two's-complement values (stored as
    /// their bit patterns), as that many [`Bits::read_signed`] calls do. When they fit in
    /// 32 bits (a tile row of small residuals, the common case) the accumulator is refilled
    /// at most once and the values are cut from it independently.
    #[inline]
    pub(super) fn read_signed_into(&mut self, n: u32, out: &mut [u32]) {
        debug_assert!((1..=32).contains(&n));
        let total = (out.len() as u64).saturating_mul(u64::from(n));
        if total > 32 {
            for o in out {
                *o = self.read_signed(n) as u32;
            }
            return;
        }
        let total = total as u32;
        if self.avail < total {
            self.refill();
        }
        let shift = 32 - n;
        let mut acc = self.acc;
        for o in out {
            let v = (acc >> (64 - n)) as u32;
            *o = (((v << shift) as i32) >> shift) as u32;
            acc <<= n;
        }
        self.acc <<= total;
        self.avail -= total;
    }

    /// Reads `n` (1..=32) bits as a two's-complement value.
    #[inline]
    pub(super) fn read_signed(&mut self, n: u32) -> i32 {
        let shift = 32 - n;
        ((self.read(n) << shift) as i32) >> shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::bits::BitWriter;

    #[test]
    fn matches_the_writer() {
        let widths = [1u32, 7, 12, 32, 0, 5, 16, 3, 31, 8, 32, 32, 17];
        let mut w = BitWriter::new();
        for (i, &n) in widths.iter().enumerate() {
            w.write((i as u32).wrapping_mul(0x9E37_79B9), n);
        }
        let words = w.finish();
        let mut r = Bits::new(&words);
        for (i, &n) in widths.iter().enumerate() {
            let mask = ((1u64 << n) - 1) as u32;
            assert_eq!(
                r.read(n),
                (i as u32).wrapping_mul(0x9E37_79B9) & mask,
                "token {i}"
            );
        }
        assert!(!r.overrun());
        assert_eq!(r.read_signed(4), 0);
    }

    #[test]
    fn rows_read_as_single_values() {
        let words: Vec<u32> = (0..40u32).map(|k| k.wrapping_mul(0x9E37_79B9)).collect();
        for n in 1..=32 {
            for len in [1usize, 2, 3, 5, 7] {
                let (mut a, mut b) = (Bits::new(&words), Bits::new(&words));
                // Misalign the stream first.
                a.read(n % 7 + 1);
                b.read(n % 7 + 1);
                for _ in 0..6 {
                    let mut row = vec![0u32; len];
                    a.read_signed_into(n, &mut row);
                    let want: Vec<u32> = (0..len).map(|_| b.read_signed(n) as u32).collect();
                    assert_eq!(row, want, "n {n} len {len}");
                }
                assert_eq!(a.overrun(), b.overrun());
            }
        }
    }

    #[test]
    fn overrun_after_the_last_word() {
        let mut r = Bits::new(&[0xF000_0000]);
        assert_eq!(r.read_signed(4), -1);
        assert_eq!(r.read(28), 0);
        assert!(!r.overrun());
        assert_eq!(r.read(1), 0);
        assert!(r.overrun());
    }
}
