//! datyp 0 ("X"): the writer's memory copied verbatim as `⌈n·nbits/32⌉` native words;
//! librmn returns the same word values (`c_fstluk`).
//!
//! Spec: `shared/spec/xdf.md` §4.1.

use super::need_words;
use crate::error::Result;

/// Copies the `out.len()` words of a binary record.
///
/// # Errors
/// Format error when the area holds fewer words.
pub(crate) fn decode(words: &[u32], out: &mut [u32]) -> Result<()> {
    let stored = need_words(words, out.len() as u64)?;
    out.copy_from_slice(stored);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_words_and_checks_length() {
        let mut out = [0u32; 2];
        decode(&[7, 8, 9], &mut out).unwrap();
        assert_eq!(out, [7, 8]);
        assert!(decode(&[7], &mut out).is_err());
    }
}
