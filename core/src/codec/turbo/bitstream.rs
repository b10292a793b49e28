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

/// A source of two's-complement residuals: the reader itself, or a [`Tile`] of it.
pub(super) trait Residuals {
    /// Reads `n` (1..=32) bits as a two's-complement value.
    fn signed(&mut self, n: u32) -> i32;
}

impl Residuals for Bits<'_> {
    #[inline(always)]
    fn signed(&mut self, n: u32) -> i32 {
        self.read_signed(n)
    }
}

/// Words a [`Tile`] sees: room for [`Tile::MAX_BITS`] bits from any bit of its first word.
const TILE_WORDS: usize = 16;

/// A fixed window of [`TILE_WORDS`] words from a reader's position, for one parallelogram
/// tile (9 residuals of at most 32 bits): its tokens are cut without bounds checks or
/// end-of-stream handling, the word index masked into the window.
pub(super) struct Tile<'a> {
    words: &'a [u32; TILE_WORDS],
    /// Bit position from the start of `words[0]`.
    bit: u32,
}

impl Tile<'_> {
    /// Tokens a tile may read in all (9 of 32 bits fit, from any starting bit).
    pub(super) const MAX_BITS: u32 = (TILE_WORDS as u32 - 2) * 32;
}

impl Residuals for Tile<'_> {
    #[inline(always)]
    fn signed(&mut self, n: u32) -> i32 {
        debug_assert!((1..=32).contains(&n) && self.bit + n <= Self::MAX_BITS + 31);
        let at = (self.bit >> 5) as usize;
        let hi = self.words[at % TILE_WORDS];
        let lo = self.words[(at + 1) % TILE_WORDS];
        let window = (u64::from(hi) << 32 | u64::from(lo)) << (self.bit & 31);
        self.bit += n;
        ((window as i64) >> (64 - n)) as i32
    }
}

impl<'a> Bits<'a> {
    /// A [`Tile`] at the current position, unless the stream ends within its window (then
    /// read from the reader itself, which yields zeros past the end).
    #[inline(always)]
    pub(super) fn tile(&self) -> Option<Tile<'a>> {
        let at = usize::try_from(self.pos >> 5).ok()?;
        let words = self.words.get(at..at.checked_add(TILE_WORDS)?)?;
        Some(Tile {
            words: words.try_into().ok()?,
            bit: (self.pos & 31) as u32,
        })
    }

    /// Moves past the tokens read from `tile` (taken at the current position).
    #[inline(always)]
    pub(super) fn resume_after(&mut self, tile: &Tile<'_>) {
        self.pos = (self.pos & !31) + u64::from(tile.bit);
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
    fn tiles_read_as_the_reader() {
        let words: Vec<u32> = (0..40u32).map(|k| k.wrapping_mul(0x9E37_79B9)).collect();
        for n in 1..=32 {
            for skip in [0, 1, 13, 31, 32, 33] {
                let (mut a, mut b) = (Bits::new(&words), Bits::new(&words));
                a.read(skip.min(32));
                b.read(skip.min(32));
                let mut t = a.tile().expect("40 words");
                for _ in 0..9 {
                    assert_eq!(t.signed(n), b.read_signed(n), "n {n} skip {skip}");
                }
                a.resume_after(&t);
                assert_eq!(a.read(7), b.read(7));
            }
        }
        // No tile within the last window of the stream.
        let mut r = Bits::new(&words[..16]);
        assert!(r.tile().is_some());
        r.read(1);
        assert!(r.tile().is_some());
        r.read(31);
        assert!(r.tile().is_none());
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
