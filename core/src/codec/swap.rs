//! The whole-word packings decoded by a byte-order fix alone: E32 into f32, E64 into f64,
//! 32- and 64-bit integers into their own width (issue 18: E32 decoding is a byte swap and
//! should run near memcpy speed). Values go from the stored bytes straight into the
//! destination in one pass, or are read into the destination and fixed there in place,
//! instead of words being converted into a scratch buffer and then copied again.
//!
//! Everything works on the values' bit patterns (`u32`/`u64`, cast with bytemuck), so each
//! loop is one shape the compiler vectorises. Same values as `ieee::decode` and
//! `integer::decode_*` (tests below compare them).

use super::simd::vectorized;
use crate::array::OutSlice;
use crate::record::{BaseType, ElementType, RecordHeader};

/// How stored words make a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One value per word, `flip` xor-ed in (a 32-bit signed value is offset binary: its top
    /// bit flipped).
    Word { flip: u32 },
    /// Two words per value, most significant first (E64).
    HighFirst,
    /// Two words per value, least significant first (64-bit integers).
    LowFirst,
}

/// A whole-word decode: the layout of the values and the byte order of the stored words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Swap {
    layout: Layout,
    big_endian: bool,
}

/// Values per block of the allocating path (the block is converted, then appended).
const BLOCK: usize = 1024;

/// Runs `$body` with `$fix` bound to the conversion of one stored 32-bit word, chosen once
/// per call (one monomorphic loop per case, so no branch inside it).
macro_rules! with_fix32 {
    ($swap:expr, $fix:ident => $body:expr) => {{
        let flip = match $swap.layout {
            Layout::Word { flip } => flip,
            Layout::HighFirst | Layout::LowFirst => 0,
        };
        match ($swap.big_endian, flip) {
            (true, 0) => {
                let $fix = |w: u32| u32::from_be(w);
                $body
            }
            (false, 0) => {
                let $fix = |w: u32| u32::from_le(w);
                $body
            }
            (true, _) => {
                let $fix = |w: u32| u32::from_be(w) ^ flip;
                $body
            }
            (false, _) => {
                let $fix = |w: u32| u32::from_le(w) ^ flip;
                $body
            }
        }
    }};
}

/// As `with_fix32` for values of two words. Read as one 64-bit number in the words' byte
/// order, a pair comes out high word first for big-endian words and low word first for
/// little-endian ones: the halves are swapped when that is not the layout's order.
macro_rules! with_fix64 {
    ($swap:expr, $fix:ident => $body:expr) => {{
        match ($swap.layout, $swap.big_endian) {
            (Layout::LowFirst, false) => {
                let $fix = |w: u64| u64::from_le(w);
                $body
            }
            (Layout::HighFirst, false) => {
                let $fix = |w: u64| u64::from_le(w).rotate_left(32);
                $body
            }
            (Layout::LowFirst, true) => {
                let $fix = |w: u64| u64::from_be(w).rotate_left(32);
                $body
            }
            _ => {
                let $fix = |w: u64| u64::from_be(w);
                $body
            }
        }
    }};
}

impl Swap {
    /// The byte-order decode of a record of `header` into `out`, when it is one: not turbo,
    /// 32 or 64 bits, and `out` of the record's own width (a widening takes the packers'
    /// path). `big_endian`: the stored words' byte order (XDF big, RSF little).
    pub(crate) fn of(header: &RecordHeader, out: ElementType, big_endian: bool) -> Option<Self> {
        if header.datyp.is_turbo() {
            return None;
        }
        let layout = match (header.datyp.base()?, header.nbits, out) {
            (BaseType::Ieee, 32, ElementType::F32) | (BaseType::Unsigned, 32, ElementType::U32) => {
                Layout::Word { flip: 0 }
            }
            (BaseType::Signed, 32, ElementType::I32) => Layout::Word { flip: 0x8000_0000 },
            (BaseType::Ieee, 64, ElementType::F64) => Layout::HighFirst,
            (BaseType::Unsigned, 64, ElementType::U64)
            | (BaseType::Signed, 64, ElementType::I64) => Layout::LowFirst,
            _ => return None,
        };
        Some(Swap { layout, big_endian })
    }

    /// Stored words per value (1 or 2).
    pub(crate) fn words_per_value(self) -> u64 {
        match self.layout {
            Layout::Word { .. } => 1,
            Layout::HighFirst | Layout::LowFirst => 2,
        }
    }

    /// Decodes `stored` (the stored bytes of `out`'s values, `4 * words_per_value` each)
    /// into `out`, one pass.
    pub(crate) fn convert(self, stored: &[u8], out: OutSlice<'_>) {
        match bits(out) {
            Bits::B32(o) => with_fix32!(self, fix => vectorized(#[inline(always)] || {
                for (o, s) in o.iter_mut().zip(stored.chunks_exact(4)) {
                    *o = fix(u32::from_ne_bytes([s[0], s[1], s[2], s[3]]));
                }
            })),
            Bits::B64(o) => with_fix64!(self, fix => vectorized(#[inline(always)] || {
                for (o, s) in o.iter_mut().zip(stored.chunks_exact(8)) {
                    let b = [s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]];
                    *o = fix(u64::from_ne_bytes(b));
                }
            })),
            Bits::Other => {}
        }
    }

    /// The stored bytes of `out`'s values, which the caller read into `out` itself, turned
    /// into the values in place.
    pub(crate) fn fix_in_place(self, out: OutSlice<'_>) {
        match bits(out) {
            Bits::B32(o) => with_fix32!(self, fix => vectorized(#[inline(always)] || {
                o.iter_mut().for_each(|v| *v = fix(*v));
            })),
            Bits::B64(o) => with_fix64!(self, fix => vectorized(#[inline(always)] || {
                o.iter_mut().for_each(|v| *v = fix(*v));
            })),
            Bits::Other => {}
        }
    }

    /// The mutable bytes of `out`, where a read puts the stored bytes before
    /// [`Swap::fix_in_place`].
    pub(crate) fn bytes_of<'a>(out: &'a mut OutSlice<'_>) -> &'a mut [u8] {
        match out {
            OutSlice::F32(v) => bytemuck::cast_slice_mut(v),
            OutSlice::U32(v) => bytemuck::cast_slice_mut(v),
            OutSlice::I32(v) => bytemuck::cast_slice_mut(v),
            OutSlice::F64(v) => bytemuck::cast_slice_mut(v),
            OutSlice::U64(v) => bytemuck::cast_slice_mut(v),
            OutSlice::I64(v) => bytemuck::cast_slice_mut(v),
            _ => &mut [],
        }
    }

    /// Appends the values of `stored` to `values` (reserved by the caller), a block at a
    /// time: each block is converted where it stays in L1, then copied.
    pub(crate) fn extend<T: bytemuck::Pod + Default>(self, stored: &[u8], values: &mut Vec<T>) {
        let size = std::mem::size_of::<T>();
        let mut block = [T::default(); BLOCK];
        for chunk in stored.chunks(BLOCK * size) {
            let n = chunk.len() / size;
            let out = &mut block[..n];
            let out = match size {
                4 => OutSlice::U32(bytemuck::cast_slice_mut(out)),
                _ => OutSlice::U64(bytemuck::cast_slice_mut(out)),
            };
            self.convert(chunk, out);
            values.extend_from_slice(&block[..n]);
        }
    }
}

enum Bits<'a> {
    B32(&'a mut [u32]),
    B64(&'a mut [u64]),
    Other,
}

/// `out`'s values as bit patterns.
fn bits<'a>(out: OutSlice<'a>) -> Bits<'a> {
    match out {
        OutSlice::F32(v) => Bits::B32(bytemuck::cast_slice_mut(v)),
        OutSlice::U32(v) => Bits::B32(v),
        OutSlice::I32(v) => Bits::B32(bytemuck::cast_slice_mut(v)),
        OutSlice::F64(v) => Bits::B64(bytemuck::cast_slice_mut(v)),
        OutSlice::U64(v) => Bits::B64(v),
        OutSlice::I64(v) => Bits::B64(bytemuck::cast_slice_mut(v)),
        _ => Bits::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ieee, integer};
    use super::*;
    use crate::container::Backend;
    use crate::record::SearchKeys;

    fn header(datyp: u8, nbits: u8) -> RecordHeader {
        let mut keys = [0u32; 16];
        keys[0] = u32::from(nbits);
        keys[1] = 1 << 8 | u32::from(b'X');
        keys[2] = 1 << 8 | u32::from(datyp);
        keys[3] = 1 << 12;
        keys[11] = 32;
        RecordHeader::from_keys(&SearchKeys(keys), Backend::Xdf)
    }

    /// `words` as the file stores them.
    fn stored(words: &[u32], big_endian: bool) -> Vec<u8> {
        words
            .iter()
            .flat_map(|w| {
                if big_endian {
                    w.to_be_bytes()
                } else {
                    w.to_le_bytes()
                }
            })
            .collect()
    }

    fn noise(len: usize, seed: u64) -> Vec<u32> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 16) as u32
            })
            .collect()
    }

    /// Every path of `swap` (convert, in place, extend) gives the packer's values: `T` the
    /// output type, `reference` the packer's decode of the words.
    fn check<T: bytemuck::Pod + Default + PartialEq + std::fmt::Debug>(
        datyp: u8,
        nbits: u8,
        et: ElementType,
        wrap: fn(&mut [T]) -> OutSlice<'_>,
        reference: fn(&[u32], u8, &mut [T]),
    ) {
        for len in [0usize, 1, 3, 8, 31, 1000, BLOCK + 5] {
            let per = usize::from(nbits / 32);
            let words = noise(len * per, len as u64 + u64::from(datyp));
            let mut want = vec![T::default(); len];
            reference(&words, nbits, &mut want);
            let want_bits: Vec<u8> = bytemuck::cast_slice(&want).to_vec();
            for big_endian in [true, false] {
                let swap = Swap::of(&header(datyp, nbits), et, big_endian).expect("swap");
                let bytes = stored(&words, big_endian);
                let mut got = vec![T::default(); len];
                swap.convert(&bytes, wrap(&mut got));
                assert_eq!(
                    bytemuck::cast_slice::<T, u8>(&got),
                    &want_bits[..],
                    "convert {datyp}/{nbits} {len} {big_endian}"
                );
                let mut got = vec![T::default(); len];
                {
                    let mut out = wrap(&mut got);
                    Swap::bytes_of(&mut out).copy_from_slice(&bytes);
                }
                swap.fix_in_place(wrap(&mut got));
                assert_eq!(
                    bytemuck::cast_slice::<T, u8>(&got),
                    &want_bits[..],
                    "in place {datyp}/{nbits} {len} {big_endian}"
                );
                let mut got = Vec::with_capacity(len);
                swap.extend(&bytes, &mut got);
                assert_eq!(
                    bytemuck::cast_slice::<T, u8>(&got),
                    &want_bits[..],
                    "extend {datyp}/{nbits} {len} {big_endian}"
                );
            }
        }
    }

    #[test]
    fn same_values_as_the_packers() {
        check::<f32>(
            5,
            32,
            ElementType::F32,
            |o| OutSlice::F32(o),
            |w, n, o| {
                ieee::decode(w, n, o).unwrap();
            },
        );
        check::<f64>(
            5,
            64,
            ElementType::F64,
            |o| OutSlice::F64(o),
            |w, n, o| {
                ieee::decode(w, n, o).unwrap();
            },
        );
        check::<u32>(
            2,
            32,
            ElementType::U32,
            |o| OutSlice::U32(o),
            |w, n, o| {
                integer::decode_unsigned(w, n, o).unwrap();
            },
        );
        check::<i32>(
            4,
            32,
            ElementType::I32,
            |o| OutSlice::I32(o),
            |w, n, o| {
                integer::decode_signed(w, n, o).unwrap();
            },
        );
        check::<u64>(
            2,
            64,
            ElementType::U64,
            |o| OutSlice::U64(o),
            |w, n, o| {
                integer::decode_unsigned(w, n, o).unwrap();
            },
        );
        check::<i64>(
            4,
            64,
            ElementType::I64,
            |o| OutSlice::I64(o),
            |w, n, o| {
                integer::decode_signed(w, n, o).unwrap();
            },
        );
        // +64 records take the same path (the missing pass runs after).
        check::<f32>(
            69,
            32,
            ElementType::F32,
            |o| OutSlice::F32(o),
            |w, n, o| {
                ieee::decode(w, n, o).unwrap();
            },
        );
    }

    #[test]
    fn only_whole_words_into_their_own_width() {
        let none = [
            (5, 32, ElementType::F64),
            (5, 16, ElementType::F32),
            (5, 64, ElementType::F32),
            (2, 32, ElementType::U64),
            (4, 16, ElementType::I32),
            (1, 32, ElementType::F32),
            (133, 32, ElementType::F32),
            (130, 32, ElementType::U32),
        ];
        for (datyp, nbits, et) in none {
            assert_eq!(
                Swap::of(&header(datyp, nbits), et, true),
                None,
                "{datyp}/{nbits} {et:?}"
            );
        }
    }
}
