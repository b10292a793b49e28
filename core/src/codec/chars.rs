//! datyp 3 ("A", characters as native words) and 7 ("S", a string of 8-bit tokens).
//!
//! A: each word holds 4 characters in the writer's memory order, i.e. the first character
//! is the word's least significant byte (the container already undid the file byte order).
//! S: 8-bit tokens MSB first, the first character is the most significant byte.
//!
//! Spec: `shared/spec/xdf.md` §4.4, §4.8.

use super::need_words;
use crate::error::Result;

/// Decodes `out.len()` characters of a datyp-3 record.
///
/// # Errors
/// Format error when the area holds fewer than `⌈n/4⌉` words.
pub(crate) fn decode_chars(words: &[u32], out: &mut [u8]) -> Result<()> {
    let stored = need_words(words, (out.len() as u64).div_ceil(4))?;
    for (chunk, &w) in out.chunks_mut(4).zip(stored) {
        let bytes = w.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    Ok(())
}

/// Decodes `out.len()` characters of a datyp-7 record.
///
/// # Errors
/// As [`decode_chars`].
pub(crate) fn decode_string(words: &[u32], out: &mut [u8]) -> Result<()> {
    let stored = need_words(words, (out.len() as u64).div_ceil(4))?;
    for (chunk, &w) in out.chunks_mut(4).zip(stored) {
        let bytes = w.to_be_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    Ok(())
}

/// Packs characters as datyp 3 words (zero padded).
pub(crate) fn encode_chars(text: &[u8]) -> Vec<u32> {
    text.chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(b)
        })
        .collect()
}

/// Packs characters as datyp 7 words (zero padded).
pub(crate) fn encode_string(text: &[u8]) -> Vec<u32> {
    text.chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            u32::from_be_bytes(b)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_vectors() {
        // xdf.md §4.4: "Tiny" is the word 0x796E6954 (bytes reversed on disk by an LE writer).
        let mut out = [0u8; 4];
        decode_chars(&[0x796E_6954], &mut out).unwrap();
        assert_eq!(&out, b"Tiny");
        // rsf.md appendix B: S08 "HELLO!" → 48454c4c 4f21xxxx.
        let mut out = [0u8; 6];
        decode_string(&[0x4845_4c4c, 0x4f21_dead], &mut out).unwrap();
        assert_eq!(&out, b"HELLO!");
        assert!(decode_string(&[0x4845_4c4c], &mut out).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(text in prop::collection::vec(any::<u8>(), 0..40)) {
            let mut out = vec![0u8; text.len()];
            decode_chars(&encode_chars(&text), &mut out).unwrap();
            prop_assert_eq!(&out, &text);
            decode_string(&encode_string(&text), &mut out).unwrap();
            prop_assert_eq!(&out, &text);
        }
    }
}
