//! Extended JSON metadata of an RSF record (spec rsf.md §2.2): the document, NUL
//! terminated and zero padded to whole words, stored right after the 19 search words.

use crate::container::rsf::meta::{parse_extended_metadata, SEARCH_WORDS};
use crate::error::{Result, UsageError};

/// Most extended-metadata words a record can hold: the word count is a 16-bit field and
/// the directory's metadata width (search words included) is 16 bits too.
pub(crate) const MAX_WORDS: usize = u16::MAX as usize - SEARCH_WORDS;

fn usage(msg: String) -> crate::Error {
    UsageError::InvalidArgument(msg).into()
}

/// The extended metadata words to store for `metadata`: none in XDF, which has no place
/// for them, but text that is not JSON is refused there too, so a caller learns of the
/// mistake whatever the backend.
///
/// # Errors
/// As [`words`].
pub(crate) fn stored_words(metadata: Option<&str>, xdf: bool) -> Result<Vec<u32>> {
    match metadata {
        Some(json) if xdf => words(json).map(|_| Vec::new()),
        Some(json) => words(json),
        None => Ok(Vec::new()),
    }
}

/// The metadata words of `json`, after checking it is a JSON document librmn and this
/// reader can read back (the bare `NaN`/`Infinity` json-c writes are accepted).
///
/// # Errors
/// Usage error for text that is not JSON, contains a NUL (the stored text ends at the
/// first one) or is too long for a record.
pub(crate) fn words(json: &str) -> Result<Vec<u32>> {
    if json.contains('\0') {
        return Err(usage(
            "extended metadata contains a NUL character (it would end the stored text)".into(),
        ));
    }
    if let Err(e) = parse_extended_metadata(json) {
        return Err(usage(format!("extended metadata is not JSON: {e}")));
    }
    // NUL terminator included, rounded up to whole words.
    let n = (json.len() + 1).div_ceil(4);
    if n > MAX_WORDS {
        return Err(usage(format!(
            "extended metadata of {} bytes exceeds the {} bytes an RSF record can hold",
            json.len(),
            4 * MAX_WORDS - 1
        )));
    }
    let mut bytes = json.as_bytes().to_vec();
    bytes.resize(4 * n, 0);
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::rsf::meta::json_text;

    #[test]
    fn nul_terminated_and_padded() {
        let w = words("{\"a\":1}").unwrap();
        assert_eq!(w.len(), 2, "7 bytes + NUL fill two words");
        let w3 = words("{\"ab\":1}").unwrap();
        assert_eq!(w3.len(), 3, "8 bytes + NUL need a third word");
        let bytes: Vec<u8> = w3.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(json_text(&bytes).unwrap(), "{\"ab\":1}");
        assert_eq!(&bytes[8..], &[0, 0, 0, 0]);
    }

    #[test]
    fn refuses_what_cannot_be_stored() {
        assert!(words("{\"a\":").is_err());
        assert!(words("not json").is_err());
        assert!(words("{\"a\":\"x\0y\"}").is_err());
        let big = format!("\"{}\"", "x".repeat(4 * MAX_WORDS));
        let err = words(&big).unwrap_err().to_string();
        assert!(err.contains("exceeds"), "{err}");
        assert!(words("{\"v\":NaN}").is_ok());
    }
}
