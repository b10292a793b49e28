//! MSB-first bit streams over 32-bit words, as librmn's packers write them: a token may
//! straddle two words; the stream fills word 0 from bit 31 down, then word 1, ...

/// Writes tokens MSB first into 32-bit words (the packers' encoders).
#[derive(Debug, Default, Clone)]
pub(crate) struct BitWriter {
    words: Vec<u32>,
    acc: u64,
    nacc: u32,
}

impl BitWriter {
    /// An empty writer.
    pub(crate) fn new() -> Self {
        BitWriter::default()
    }

    /// Appends the low `nbits` (0..=32) bits of `value`.
    #[inline]
    pub(crate) fn write(&mut self, value: u32, nbits: u32) {
        debug_assert!(nbits <= 32);
        if nbits == 0 {
            return;
        }
        let v = u64::from(value) & ((1u64 << nbits) - 1);
        self.acc = self.acc << nbits | v;
        self.nacc += nbits;
        if self.nacc >= 32 {
            self.nacc -= 32;
            self.words.push((self.acc >> self.nacc) as u32);
            self.acc &= (1u64 << self.nacc) - 1;
        }
    }

    /// Number of bits written so far.
    pub(crate) fn bit_len(&self) -> u64 {
        self.words.len() as u64 * 32 + u64::from(self.nacc)
    }

    /// Pads the last partial word with zero bits and returns the words.
    pub(crate) fn finish(mut self) -> Vec<u32> {
        if self.nacc > 0 {
            self.words.push((self.acc << (32 - self.nacc)) as u32);
        }
        self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The reading side of the packers' streams, kept here as the model the writer is
    // checked against (the decoders read words directly, turbo has its own stream).
    /// Reads tokens of 1..=32 bits from a word slice, MSB first.
    ///
    /// Reading past the end yields zero bits rather than panicking; callers check the stream
    /// length against what they need before decoding (so wrong data cannot come from a short
    /// stream), and decoders of self-describing streams check `overrun`.
    #[derive(Debug, Clone)]
    struct BitReader<'a> {
        words: &'a [u32],
        /// Next bit position, counted from bit 31 of word 0.
        pos: u64,
    }

    impl<'a> BitReader<'a> {
        /// A reader starting at bit `pos` of the stream.
        fn new(words: &'a [u32], pos: u64) -> Self {
            BitReader { words, pos }
        }

        /// True when a read went past the last word.
        fn overrun(&self) -> bool {
            self.pos > self.words.len() as u64 * 32
        }

        #[inline]
        fn word(&self, i: u64) -> u64 {
            usize::try_from(i)
                .ok()
                .and_then(|i| self.words.get(i))
                .map_or(0, |&w| u64::from(w))
        }

        /// Reads `nbits` (0..=32) bits as an unsigned value.
        #[inline]
        fn read(&mut self, nbits: u32) -> u32 {
            debug_assert!(nbits <= 32);
            if nbits == 0 {
                return 0;
            }
            let w = self.pos >> 5;
            let off = (self.pos & 31) as u32;
            let window = (self.word(w) << 32 | self.word(w + 1)) << off;
            self.pos += u64::from(nbits);
            (window >> (64 - nbits)) as u32
        }

        /// Reads `nbits` (1..=32) bits as a two's-complement signed value.
        #[inline]
        fn read_signed(&mut self, nbits: u32) -> i32 {
            let v = self.read(nbits);
            let shift = 32 - nbits;
            ((v << shift) as i32) >> shift
        }
    }

    #[test]
    fn write_then_read_mixed_widths() {
        let widths = [1u32, 7, 12, 32, 5, 16, 3, 31, 8];
        let mut w = BitWriter::new();
        for (i, &n) in widths.iter().enumerate() {
            w.write((i as u32).wrapping_mul(0x9E37_79B9), n);
        }
        let bits = w.bit_len();
        let words = w.finish();
        assert_eq!(words.len() as u64, bits.div_ceil(32));
        let mut r = BitReader::new(&words, 0);
        for (i, &n) in widths.iter().enumerate() {
            let want = (i as u32).wrapping_mul(0x9E37_79B9) & (((1u64 << n) - 1) as u32);
            assert_eq!(r.read(n), want, "token {i}");
        }
        assert!(!r.overrun());
    }

    #[test]
    fn signed_and_overrun() {
        let words = [0xF000_0000u32];
        let mut r = BitReader::new(&words, 0);
        assert_eq!(r.read_signed(4), -1);
        assert_eq!(r.read(28), 0);
        assert!(!r.overrun());
        assert_eq!(r.read(8), 0);
        assert!(r.overrun());
    }
}
