//! The 1-bit run-length code of the sign bits of datyp 133 (librmn `pack1bitRLE`,
//! `unpack1bitRLE`; xdf.md §4.11).
//!
//! Items, MSB first: `0` + up to 7 literal bits ("sequence", always 7 except at the end);
//! `1` + value bit + 6-bit count ("count", 8..62 when written by librmn); a count field
//! of 63 repeats the last counted value 255 times.

use crate::codec::bits::BitWriter;
use crate::error::Result;

use super::bitstream::Bits;
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
pub(super) fn decode(r: &mut Bits<'_>, out: &mut [u8]) -> Result<()> {
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

/// Writes one sequence item: up to 7 literal bits from `at`.
fn sequence(w: &mut BitWriter, bits: &[u8], at: usize) {
    w.write(0, 1);
    let len = SEQUENCE_LEN.min(bits.len().saturating_sub(at));
    for &b in &bits[at..at + len] {
        w.write(u32::from(b), 1);
    }
}

/// Writes one count item.
fn count(w: &mut BitWriter, value: u8, len: usize) {
    w.write(1, 1);
    w.write(u32::from(value), 1);
    w.write(len as u32, 6);
}

/// Encodes `bits` (each 0 or 1) with librmn's decisions, so the stream is the one
/// `pack1bitRLE` writes: from the current position, a run shorter than 8 becomes a
/// 7-bit sequence (advance 7); a longer run becomes counts of at most 62, 255-repeats
/// while more than 256 remain after a first 62-count, and a final remainder under 8 becomes
/// a sequence from the current position (which may run past the end of the run).
pub(super) fn encode(w: &mut BitWriter, bits: &[u8]) {
    let n = bits.len();
    let mut at = 0;
    while at < n {
        let run = bits[at..].iter().take_while(|&&b| b == bits[at]).count();
        if run < 8 {
            sequence(w, bits, at);
            at += SEQUENCE_LEN;
            continue;
        }
        let value = bits[at];
        let mut done = 0;
        let mut counted_62 = false;
        while done < run {
            let left = run - done;
            let len = if left >= 63 { MAX_COUNT } else { left };
            if len < 8 {
                sequence(w, bits, at);
                at += SEQUENCE_LEN;
                done += len;
            } else if len == MAX_COUNT && left > 256 && counted_62 {
                w.write(0xFF, 8);
                at += REPEAT_LEN;
                done += REPEAT_LEN;
            } else {
                count(w, value, len);
                at += len;
                done += len;
                counted_62 |= len == MAX_COUNT;
            }
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
        decode(&mut Bits::new(&words), &mut out).unwrap();
        assert_eq!(out, bits);
    }

    #[test]
    fn long_runs_use_repeats_and_round_trip() {
        let mut bits = vec![1u8; 1000];
        bits.extend(vec![0u8; 300]);
        bits.extend([1, 0, 1, 1]);
        bits.extend(vec![1u8; 65]);
        let mut w = BitWriter::new();
        encode(&mut w, &bits);
        let len = w.bit_len();
        let words = w.finish();
        // 1000 ones: 62 + 3·255 + 62 + 62 + 49 → 4 counts and 3 repeats.
        assert!(len < 200, "{len} bits");
        let mut out = vec![9u8; bits.len()];
        decode(&mut Bits::new(&words), &mut out).unwrap();
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
        decode(&mut Bits::new(&words), &mut out).unwrap();
        assert!(out[..317].iter().all(|&b| b == 0));
        assert_eq!(&out[317..], &[1, 1, 1]);
    }

    #[test]
    fn hostile_streams() {
        let mut out = vec![0u8; 10];
        // A count of 62 in a 10-point field.
        assert!(decode(&mut Bits::new(&[0xBE00_0000]), &mut out).is_err());
        // Repeat with no count before it.
        assert!(decode(&mut Bits::new(&[0xFF00_0000]), &mut out).is_err());
        // Zero counts forever: ends as an overrun, not a hang.
        assert!(decode(&mut Bits::new(&[0x8080_8080]), &mut out).is_err());
    }
}
