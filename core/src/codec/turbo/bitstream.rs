//! An MSB-first bit reader for the turbo streams, which read one small token per value.
//! It keeps only a bit position: each token is cut from the two words that hold it, so
//! consecutive tokens depend on each other only through one addition (no accumulator
//! shifted and refilled token after token, unlike the reader model in `codec::bits`).

/// Reads tokens of 0..=32 bits MSB first; past the end it yields zero bits and
/// [`Bits::overrun`] turns true.
#[derive(Debug, Clone)]
pub(super) struct Bits<'a> {
    words: &'a [u32],
    /// Bits read so far.
    pos: u64,
}

impl<'a> Bits<'a> {
    /// A reader at bit 0 of `words`.
    pub(super) fn new(words: &'a [u32]) -> Self {
        Bits { words, pos: 0 }
    }

    /// True when more bits were read than the words hold.
    pub(super) fn overrun(&self) -> bool {
        self.pos > self.words.len() as u64 * 32
    }

    /// The 64 bits from the current position (at least 33 of them from the stream), zero
    /// past its end.
    #[inline(always)]
    fn window(&self) -> u64 {
        let at = usize::try_from(self.pos >> 5).unwrap_or(usize::MAX);
        let (hi, lo) = match self.words.get(at..at.saturating_add(2)) {
            Some(&[hi, lo]) => (hi, lo),
            _ => (self.words.get(at).copied().unwrap_or(0), 0),
        };
        (u64::from(hi) << 32 | u64::from(lo)) << (self.pos & 31)
    }

    /// Reads `n` (0..=32) bits as an unsigned value.
    #[inline]
    pub(super) fn read(&mut self, n: u32) -> u32 {
        debug_assert!(n <= 32);
        if n == 0 {
            return 0;
        }
        let v = (self.window() >> (64 - n)) as u32;
        self.pos += u64::from(n);
        v
    }

    /// Reads `n` (1..=32) bits as a two's-complement value.
    #[inline]
    pub(super) fn read_signed(&mut self, n: u32) -> i32 {
        debug_assert!((1..=32).contains(&n));
        // The arithmetic shift of the window sign-extends the token.
        let v = ((self.window() as i64) >> (64 - n)) as i32;
        self.pos += u64::from(n);
        v
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
    fn signed_tokens_match_the_writer() {
        let mut w = BitWriter::new();
        let tokens: Vec<(i32, u32)> = (1..=32u32)
            .flat_map(|n| {
                let lo = if n == 32 { i32::MIN } else { -(1 << (n - 1)) };
                let hi = if n == 32 {
                    i32::MAX
                } else {
                    (1 << (n - 1)) - 1
                };
                [(lo, n), (hi, n), (0, n), (-1i32.max(lo), n)]
            })
            .collect();
        for &(v, n) in &tokens {
            w.write(v as u32 & (u64::MAX >> (64 - n)) as u32, n);
        }
        let words = w.finish();
        let mut r = Bits::new(&words);
        for &(v, n) in &tokens {
            assert_eq!(r.read_signed(n), v, "{n} bits");
        }
        assert!(!r.overrun());
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
