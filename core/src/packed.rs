//! Decoding one record from its packed data bytes alone, without its file.
//!
//! Virtual Zarr references point a chunk at one record's data area (a byte range of the
//! file) and let a codec decode it: the codec knows only those bytes and the few keys
//! that say how they are packed ([`PackingKeys`]), which is what this module takes.

use crate::array::{Array, OutSlice};
use crate::codec::{self, DecodeOptions};
use crate::container::{self, Backend};
use crate::error::{FormatError, FormatErrorKind, Result};
use crate::record::{DataType, RecordHeader};
use crate::Limits;

/// The keys that say how a record's data area is packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackingKeys {
    /// Byte order of the data words: XDF stores big-endian words, RSF little-endian.
    pub backend: Backend,
    /// Stored data type, flags (+64 missing, +128 turbo) included.
    pub datyp: DataType,
    /// Packed bits per value.
    pub nbits: u8,
    /// Stored element size of the writer's array (`dasiz`; 0 in pre-librmn-20 files).
    pub data_bits: u8,
    /// First dimension.
    pub ni: u32,
    /// Second dimension.
    pub nj: u32,
    /// Third dimension.
    pub nk: u32,
}

impl PackingKeys {
    /// The packing keys of a record of a file of `backend`.
    pub fn of(header: &RecordHeader, backend: Backend) -> Self {
        PackingKeys {
            backend,
            datyp: header.datyp,
            nbits: header.nbits,
            data_bits: header.data_bits,
            ni: header.ni,
            nj: header.nj,
            nk: header.nk,
        }
    }

    /// A header carrying these keys (the others blank or zero: decoding never reads them).
    pub fn header(&self) -> RecordHeader {
        RecordHeader::for_packing(
            self.datyp,
            self.nbits,
            self.data_bits,
            [self.ni, self.nj, self.nk],
        )
    }
}

/// Decodes a record's data area `bytes` (as stored: [`crate::DirEntry`]'s `data_offset`,
/// `data_len`) packed as `keys` say into `out`, exactly as [`crate::File::read_into`]
/// decodes the same record.
///
/// # Errors
/// Format errors when `bytes` is not whole words or too short for the keys; the codec's
/// errors otherwise (as `File::read_into`).
pub fn decode_packed_into(
    keys: &PackingKeys,
    bytes: &[u8],
    out: OutSlice<'_>,
    options: &DecodeOptions,
) -> Result<()> {
    let words = data_words(keys.backend, bytes)?;
    codec::decode_into(&keys.header(), &words, out, options)
}

/// Decodes a record's data area `bytes` packed as `keys` say into a new array of the
/// record's natural element type, exactly as [`crate::File::read_with`] decodes the same
/// record: the sans-I/O counterpart of `File::read_with` for callers that fetch the bytes
/// themselves (a [`crate::Scanner`]'s directory over a browser `Blob`).
///
/// # Errors
/// As [`decode_packed_into`], plus [`crate::Error::Limits`] when the array exceeds `limits`.
pub fn decode_packed(
    keys: &PackingKeys,
    bytes: &[u8],
    options: &DecodeOptions,
    limits: &Limits,
) -> Result<Array> {
    let words = data_words(keys.backend, bytes)?;
    codec::decode(&keys.header(), &words, options, limits)
}

/// The word values of a data area, refusing a length that is not whole words.
fn data_words(backend: Backend, bytes: &[u8]) -> Result<Vec<u32>> {
    if bytes.len() % 4 != 0 {
        return Err(FormatError::new(FormatErrorKind::Truncated {
            what: "record data area (not whole 32-bit words)",
            needed: bytes.len().next_multiple_of(4) as u64,
            available: bytes.len() as u64,
        })
        .into());
    }
    let mut words = Vec::new();
    container::words_from_bytes(backend, bytes, &mut words);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{File, MissingMode, Values};

    fn corpus_files() -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut dirs = vec![crate::test_support::shared_data()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    /// Every record of every corpus file decodes from its data bytes alone exactly as
    /// through its file.
    /// A data area cut inside a word is refused by both entry points, not truncated.
    #[test]
    fn partial_words_are_refused() {
        let header = crate::test_support::header(5, 32, 32, 2, 1, 1);
        let keys = PackingKeys::of(&header, Backend::Rsf);
        let bytes = [0u8; 7];
        let options = DecodeOptions::default();
        let err = decode_packed(&keys, &bytes, &options, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("not whole 32-bit words"), "{err}");
        let mut out = [0f32; 2];
        let err = decode_packed_into(&keys, &bytes, OutSlice::F32(&mut out), &options);
        assert!(err.is_err());
    }

    #[test]
    fn data_bytes_alone_decode_like_the_file() {
        let mut checked = 0;
        for path in corpus_files() {
            let Ok(file) = File::open(&path) else {
                continue;
            };
            let source = file.source().clone();
            for rec in file.records() {
                let Some(et) = rec.header.element_type() else {
                    continue;
                };
                let len = codec::output_len(&rec.header);
                if len > 1 << 22 {
                    continue;
                }
                let scalars = len as usize;
                let options = DecodeOptions {
                    missing: MissingMode::Nan,
                    ..Default::default()
                };
                let mut expected = Values::zeroed(et, scalars);
                if file
                    .read_into(rec.index, expected.as_out(), &options)
                    .is_err()
                {
                    continue;
                }
                let mut bytes = vec![0u8; rec.entry.data_len as usize];
                source
                    .read_exact_at(&mut bytes, rec.entry.data_offset)
                    .unwrap();
                let keys = PackingKeys::of(&rec.header, file.backend());
                let mut got = Values::zeroed(et, scalars);
                decode_packed_into(&keys, &bytes, got.as_out(), &options).unwrap();
                assert_eq!(
                    format!("{got:?}"),
                    format!("{expected:?}"),
                    "{} record {}",
                    path.display(),
                    rec.index
                );
                let array = decode_packed(&keys, &bytes, &options, &Limits::default()).unwrap();
                let dims = [rec.header.ni, rec.header.nj, rec.header.nk].map(|d| d as usize);
                assert_eq!(array.shape, dims, "{} record {}", path.display(), rec.index);
                assert_eq!(
                    format!("{:?}", array.values),
                    format!("{expected:?}"),
                    "{} record {} (decode_packed)",
                    path.display(),
                    rec.index
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} records checked");
    }
}
