//! The 1-bit run-length code of the sign bits of datyp 133 (librmn `pack1bitRLE`,
//! `unpack1bitRLE`; xdf.md §4.11).
//!
//! Items, MSB first: `0` + up to 7 literal bits ("sequence", always 7 except at the end);
//! `1` + value bit + 6-bit count ("count", 8..62 when written by librmn); a count field
//! of 63 repeats the last counted value 255 times.

use crate::codec::bits::{BitReader, BitWriter};
use crate::error::Result;

use super::corrupt;

/// Literal bits per sequence item.
const SEQUENCE_LEN: usize = 7;
/// Longest run one count item holds.
const MAX_COUNT: usize = 62;
/// Count field meaning "255 more of the last counted value".
const REPEAT_CODE: u32 = 63;
/// Values covered by a repeat item.
const REPEAT_LEN: usize = 255;

/// Decodes `out.len()` bits from `r`.
///
/// # Errors
/// Format errors for runs past the end of the field, a repeat before any count, or a
/// stream that ends early.
pub(super) fn decode(r: &mut BitReader<'_>, out: &mut [u8]) -> Result<()> {
    let n = out.len();
    let mut i = 0;
    let mut last: Option<u8> = None;
    while i < n {
        if r.overrun() {
            return Err(corrupt("sign run-length stream ends early"));
        }
        if r.read(1) == 0 {
            let len = SEQUENCE_LEN.min(n - i);
            for v in &mut out[i..i + len] {
                *v = r.read(1) as u8;
            }
            i += len;
            continue;
        }
        let value = r.read(1) as u8;
        let count = r.read(6);
        let (len, fill) = if count == REPEAT_CODE {
            let fill = last.ok_or_else(|| corrupt("sign run repeat before any count"))?;
            (REPEAT_LEN, fill)
        } else {
            last = Some(value);
            (count as usize, value)
        };
        let end = i
            .checked_add(len)
            .filter(|&e| e <= n)
            .ok_or_else(|| corrupt("sign run past the end of the field"))?;
        out[i..end].fill(fill);
        i = end;
    }
    if r.overrun() {
        return Err(corrupt("sign run-length stream ends early"));
    }
    Ok(())
}

/// Encodes `bits` (each 0 or 1): runs of 8 or more as counts, the rest as sequences.
pub(super) fn encode(w: &mut BitWriter, bits: &[u8]) {
    let n = bits.len();
    let mut i = 0;
    while i < n {
        let run = bits[i..].iter().take_while(|&&b| b == bits[i]).count();
        if run >= 8 {
            let len = run.min(MAX_COUNT);
            w.write(1, 1);
            w.write(u32::from(bits[i]), 1);
            w.write(len as u32, 6);
            i += len;
        } else {
            let len = SEQUENCE_LEN.min(n - i);
            w.write(0, 1);
            for &b in &bits[i..i + len] {
                w.write(u32::from(b), 1);
            }
            i += len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_runs_and_noise() {
        let mut bits = vec![0u8; 300];
        bits.extend((0..50u32).map(|k| (k.wrapping_mul(0x9E37_79B9) >> 31) as u8));
        bits.extend(vec![1u8; 70]);
        bits.extend([0, 1, 0]);
        let mut w = BitWriter::new();
        encode(&mut w, &bits);
        let words = w.finish();
        let mut out = vec![9u8; bits.len()];
        decode(&mut BitReader::new(&words, 0), &mut out).unwrap();
        assert_eq!(out, bits);
    }

    #[test]
    fn librmn_repeat_form() {
        // count(0, 62) then a 255-repeat: 317 zeros, then a sequence of 3 ones.
        let mut w = BitWriter::new();
        w.write(1, 1);
        w.write(0, 1);
        w.write(62, 6);
        w.write(0xFF, 8);
        w.write(0, 1);
        w.write(0b111, 3);
        let words = w.finish();
        let mut out = vec![9u8; 320];
        decode(&mut BitReader::new(&words, 0), &mut out).unwrap();
        assert!(out[..317].iter().all(|&b| b == 0));
        assert_eq!(&out[317..], &[1, 1, 1]);
    }

    #[test]
    fn hostile_streams() {
        let mut out = vec![0u8; 10];
        // A count of 62 in a 10-point field.
        assert!(decode(&mut BitReader::new(&[0xBE00_0000], 0), &mut out).is_err());
        // Repeat with no count before it.
        assert!(decode(&mut BitReader::new(&[0xFF00_0000], 0), &mut out).is_err());
        // Zero counts forever: ends as an overrun, not a hang.
        assert!(decode(&mut BitReader::new(&[0x8080_8080], 0), &mut out).is_err());
    }
}
