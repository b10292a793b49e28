//! Fixed-width, blank-padded record names (nomvar, typvar, etiket) and their 6-bit code.
//!
//! librmn stores each character in 6 bits as `c - 32` after folding lower case to upper
//! case (`ascii6` in `qstdir.h`), so only ASCII 32..95 survive; blanks encode to 0.

use std::fmt;

/// An ASCII name of exactly `N` characters, blank padded, as librmn returns it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name<const N: usize>([u8; N]);

impl<const N: usize> Name<N> {
    /// Decodes `N` 6-bit characters, most significant first, from the low `6·N` bits of `code`.
    pub(crate) fn from_code6(code: u128) -> Self {
        let mut out = [b' '; N];
        for (i, c) in out.iter_mut().enumerate() {
            let shift = 6 * (N - 1 - i);
            *c = ((code >> shift) & 0x3F) as u8 + 32;
        }
        Name(out)
    }

    /// Encodes to the 6-bit code (lower case folded to upper case, like librmn).
    pub(crate) fn to_code6(self) -> u128 {
        self.0
            .iter()
            .fold(0u128, |acc, &c| (acc << 6) | u128::from(encode6(c)))
    }

    /// Builds a name from text: folded to upper case, blank padded, truncated to `N`.
    ///
    /// Characters that have no 6-bit code (outside ASCII 32..127) become blanks' neighbours
    /// exactly as librmn would turn them: the fold is applied to the 6-bit code itself.
    pub fn new(text: &str) -> Self {
        let mut out = [b' '; N];
        for (o, c) in out.iter_mut().zip(text.bytes()) {
            *o = encode6(c) + 32;
        }
        Name(out)
    }

    /// The padded text.
    pub fn as_str(&self) -> &str {
        // Every byte is 32..=95 by construction.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The text without trailing blanks.
    pub fn trimmed(&self) -> &str {
        self.as_str().trim_end_matches(' ')
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    /// True when every character is blank (librmn's wildcard).
    pub fn is_blank(&self) -> bool {
        self.0.iter().all(|&c| c == b' ')
    }
}

/// librmn's character → 6-bit code: clear bit 5 when bit 6 is set (a-z → A-Z), minus 32.
fn encode6(c: u8) -> u8 {
    ((c & !((c & 64) >> 1)).wrapping_sub(32)) & 63
}

impl<const N: usize> fmt::Debug for Name<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> fmt::Display for Name<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> Default for Name<N> {
    fn default() -> Self {
        Name([b' '; N])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_folding() {
        let n = Name::<4>::new("tt");
        assert_eq!(n.as_str(), "TT  ");
        assert_eq!(Name::<4>::from_code6(n.to_code6()), n);
        assert_eq!(Name::<2>::new("p@").as_str(), "P@");
        assert_eq!(Name::<12>::new("").to_code6(), 0);
        // `{` folds to `[`, as in librmn
        assert_eq!(Name::<1>::new("{").as_str(), "[");
    }

    #[test]
    fn etiket_from_spec_example() {
        // tiny_d001_r16_xdf entry: word 10 = d29bb900 holds "TINY " in 30 bits (shifted by 2)
        let e15 = u128::from(0xd29b_b900u32 >> 2);
        let name = Name::<5>::from_code6(e15);
        assert_eq!(name.as_str(), "TINY ");
    }
}
