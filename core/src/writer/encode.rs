//! Packing one record: librmn's normalisation of the requested datyp/nbits
//! (`c_fstecr_xdf`, `fst24_write_rsf`; spec xdf.md §4.0, rsf.md §3.3), missing-value
//! plugs (§4.10) and the data area sized as librmn sizes it (zeroed slack).
//!
//! Where librmn has a bug the writer does not copy it (spec xdf.md §8 items 14-17):
//! turbo with nk > 1 drops the turbo flag instead of writing raw floats; a failed 130
//! compression writes a correct datyp 2; 129 with fewer than 16 bits, which librmn
//! cannot read back, is refused.

use std::borrow::Cow;

use super::data::Data;
use super::keys::{RecordKeys, StoredType};
use crate::codec;
use crate::error::{Result, UsageError};

/// A packed data area and the type it was stored as.
#[derive(Debug, Clone)]
pub(crate) struct Packed<'a> {
    pub stored: StoredType,
    pub data: PackedData<'a>,
}

/// A data area: its words, then `padding` zero words up to the size librmn gives it.
#[derive(Debug, Clone)]
pub(crate) struct PackedData<'a> {
    pub words: AreaWords<'a>,
    /// Zero words after `words`, written by the container (no resize of `words`).
    pub padding: usize,
}

/// The words of a data area (values; the container chooses the byte order).
#[derive(Debug, Clone)]
pub(crate) enum AreaWords<'a> {
    /// Packed already; borrowed from the caller when the packing is the identity (E32),
    /// so nothing is copied before the container's byte swap.
    Packed(Cow<'a, [u32]>),
    /// datyp 1, packed a window at a time while the container writes it: a write holds
    /// one window of packed words, not the whole area.
    Real(codec::RealEncoder<'a>),
    /// E32 with missing points (+64): the float patterns, missing points replaced by
    /// `plug` a window at a time as the container writes them (no copy of the field).
    Plugged { values: Cow<'a, [f32]>, plug: f32 },
}

/// Values per window of a plugged E32 area (1 MiB of words).
const PLUGGED_WINDOW: usize = 1 << 18;

impl From<Vec<u32>> for PackedData<'_> {
    fn from(words: Vec<u32>) -> Self {
        PackedData {
            words: AreaWords::Packed(Cow::Owned(words)),
            padding: 0,
        }
    }
}

impl<'a> PackedData<'a> {
    /// True when the area reads the caller's values when it is written (the identity
    /// packing, or a streamed encoder over them): they must not change until then.
    pub(crate) fn borrows_values(&self) -> bool {
        match &self.words {
            AreaWords::Packed(w) => matches!(w, Cow::Borrowed(_)),
            AreaWords::Real(e) => e.borrows_values(),
            AreaWords::Plugged { values, .. } => matches!(values, Cow::Borrowed(_)),
        }
    }

    /// The area with its words packed now (batch writes pack before the container asks;
    /// borrowed identity words stay borrowed), into a vector from `spare` (called only
    /// when there is something to pack).
    pub(crate) fn packed_in(self, spare: impl FnOnce() -> Vec<u32>) -> PackedData<'a> {
        let words = match self.words {
            words @ AreaWords::Packed(_) => words,
            words => AreaWords::Packed(Cow::Owned(words.to_vec_in(spare()))),
        };
        PackedData {
            words,
            padding: self.padding,
        }
    }

    /// The area's own vector, for reuse once the area is written (`None` when it
    /// borrows or streams).
    pub(crate) fn into_spare(self) -> Option<Vec<u32>> {
        match self.words {
            AreaWords::Packed(Cow::Owned(words)) => Some(words),
            _ => None,
        }
    }

    /// The area's words without the padding, owned (packed now, or copied when borrowed).
    fn owned_words(self) -> Vec<u32> {
        match self.words {
            AreaWords::Packed(w) => w.into_owned(),
            words => words.to_vec_in(Vec::new()),
        }
    }

    /// The area with words of its own (packed now, or copied when borrowed).
    pub(crate) fn into_owned(self) -> PackedData<'static> {
        let padding = self.padding;
        PackedData {
            words: AreaWords::Packed(Cow::Owned(self.owned_words())),
            padding,
        }
    }

    /// The whole area, padding included.
    pub(crate) fn into_area(self) -> Vec<u32> {
        use crate::container::word_stream::AreaSource;
        let total = self.words.word_count() + self.padding;
        let mut words = match self.words {
            AreaWords::Packed(w) => w.into_owned(),
            // Sized for the padding too: no reallocation below.
            words => words.to_vec_in(Vec::with_capacity(total)),
        };
        words.resize(total, 0);
        words
    }
}

impl AreaWords<'_> {
    /// The words in one vector (packed now), in `words` (cleared first).
    fn to_vec_in(&self, mut words: Vec<u32>) -> Vec<u32> {
        match self {
            AreaWords::Packed(w) => {
                words.clear();
                words.extend_from_slice(w);
                words
            }
            AreaWords::Real(e) => e.to_words_in(words),
            AreaWords::Plugged { values, plug } => {
                words.clear();
                words.reserve_exact(values.len());
                codec::push_plugged_bits(&mut words, values, *plug);
                words
            }
        }
    }
}

impl crate::container::word_stream::AreaSource for AreaWords<'_> {
    fn word_count(&self) -> usize {
        match self {
            AreaWords::Packed(w) => w.len(),
            AreaWords::Real(e) => e.token_words(),
            AreaWords::Plugged { values, .. } => values.len(),
        }
    }

    fn whole(&self) -> Option<&[u32]> {
        match self {
            AreaWords::Packed(w) => Some(w),
            _ => None,
        }
    }

    fn each_run(&self, f: &mut dyn FnMut(&[u32]) -> std::io::Result<()>) -> std::io::Result<()> {
        match self {
            AreaWords::Packed(w) => f(w),
            AreaWords::Real(e) => e.each_window(f),
            AreaWords::Plugged { values, plug } => {
                let mut window = Vec::with_capacity(PLUGGED_WINDOW.min(values.len()));
                for chunk in values.chunks(PLUGGED_WINDOW) {
                    window.clear();
                    codec::push_plugged_bits(&mut window, chunk, *plug);
                    f(&window)?;
                }
                Ok(())
            }
        }
    }
}

const MISSING: u8 = 64;
const TURBO: u8 = 128;

fn usage(msg: String) -> crate::Error {
    UsageError::InvalidArgument(msg).into()
}

/// `2·⌊(bits + extra)/64⌋` words: how `c_fstecr` sizes data areas from a bit count.
fn area_words(bits: u64, extra: u64) -> Result<usize> {
    let w = bits
        .checked_add(extra)
        .map(|b| b / 64 * 2)
        .ok_or_else(|| usage("record too large".into()))?;
    usize::try_from(w).map_err(|_| usage("record too large".into()))
}

/// Default data area: `2·⌊(n·nbits + 183)/64⌋` words.
fn default_words(n: u64, nbits: u32) -> Result<usize> {
    area_words(n.saturating_mul(u64::from(nbits)), 120 + 63)
}

/// Data area of an F (datyp 6) record: 3 header words + ⌈n/2⌉ token words, in W64.
fn float_words(n: u64, extra: u64) -> Result<usize> {
    area_words((12 + 4 * n.div_ceil(2)).saturating_mul(8), extra)
}

/// `words` padded with zero words to `d` (librmn's area size).
fn sized<'a>(words: impl Into<Cow<'a, [u32]>>, d: usize) -> PackedData<'a> {
    let words = words.into();
    PackedData {
        padding: d.saturating_sub(words.len()),
        words: AreaWords::Packed(words),
    }
}

/// A datyp-1 area packed as the container writes it, padded with zero words to `d`.
fn streamed(encoder: codec::RealEncoder<'_>, d: usize) -> PackedData<'_> {
    PackedData {
        padding: d.saturating_sub(encoder.token_words()),
        words: AreaWords::Real(encoder),
    }
}

/// Packs `data` for `keys`; `xdf` selects the XDF restrictions (no 64-bit integers).
pub(crate) fn pack<'a>(keys: &RecordKeys, data: Data<'a>, xdf: bool) -> Result<Packed<'a>> {
    keys.validate(xdf)?;
    let n = keys.num_values();
    let base = keys.datyp & 63;
    let mut flags = keys.datyp & (MISSING | TURBO);
    // Turbo needs a 2-D field (librmn's 3-D turbo is a bug: drop the flag instead).
    if keys.nk > 1 || keys.ni <= 1 || keys.nj <= 1 {
        flags &= !TURBO;
    }
    let expected = match base {
        8 => n.checked_mul(2),
        0 => Some(n.saturating_mul(u64::from(keys.nbits)).div_ceil(32)),
        _ => Some(n),
    };
    if expected != Some(data.scalar_len() as u64) {
        return Err(UsageError::BufferLength {
            needed: expected
                .and_then(|e| usize::try_from(e).ok())
                .unwrap_or(usize::MAX),
            got: data.scalar_len(),
        }
        .into());
    }
    match base {
        0 => pack_binary(keys, data, n, xdf),
        1 | 5 | 6 => pack_real(keys, data, base, flags, n, xdf),
        2 => pack_unsigned(keys, data, flags, n, xdf),
        4 => pack_signed(keys, data, flags, n, xdf),
        3 | 7 => pack_chars(data, base, n, xdf),
        _ => pack_complex(data, n),
    }
}

fn wrong_type(base: u8, data: &Data<'_>) -> crate::Error {
    usage(format!(
        "datyp {base} cannot be written from {}-bit {} values",
        data.element_bits(),
        match data {
            Data::F32(_) | Data::F64(_) => "real",
            Data::C64(_) | Data::C128(_) => "complex",
            Data::Chars(_) => "character",
            Data::Words(_) => "raw word",
            _ => "integer",
        }
    ))
}

fn pack_binary<'a>(keys: &RecordKeys, data: Data<'a>, n: u64, xdf: bool) -> Result<Packed<'a>> {
    let (Data::Words(w) | Data::U32(w)) = data else {
        return Err(wrong_type(0, &data));
    };
    if keys.nbits > 32 {
        return Err(usage("datyp 0 holds 1..=32 bit items".into()));
    }
    Ok(Packed {
        stored: StoredType {
            datyp: 0,
            nbits: keys.nbits,
            // As for characters: dasiz 0 in XDF, the word size in RSF (librmn 20).
            data_bits: if xdf { 0 } else { 32 },
        },
        data: sized(w, default_words(n, u32::from(keys.nbits))?),
    })
}

fn pack_real<'a>(
    keys: &RecordKeys,
    data: Data<'a>,
    base: u8,
    flags: u8,
    n: u64,
    xdf: bool,
) -> Result<Packed<'a>> {
    let nbits = u32::from(keys.nbits);
    if nbits > 32 {
        // Any real wider than 32 bits is stored E64 (no flags: no plug on doubles).
        let d: Vec<f64> = match data {
            Data::F64(v) => v.to_vec(),
            Data::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            _ => return Err(wrong_type(base, &data)),
        };
        if flags & MISSING != 0 {
            return Err(usage(
                "missing values (+64) need nbits ≤ 32 for reals".into(),
            ));
        }
        return Ok(Packed {
            stored: StoredType {
                datyp: 5,
                nbits: 64,
                data_bits: 64,
            },
            data: sized(codec::encode_ieee64(&d), default_words(n, 64)?),
        });
    }
    // Doubles packed on ≤ 32 bits go through float, as librmn 20 does.
    // Borrowed: only missing-value plugging changes the values, and only then are they copied.
    let mut v: Cow<'a, [f32]> = match data {
        Data::F32(v) => Cow::Borrowed(v),
        Data::F64(v) => Cow::Owned(v.iter().map(|&x| x as f32).collect()),
        _ => return Err(wrong_type(base, &data)),
    };
    let (mut base, mut flags, nbits) = match (base, nbits) {
        (1, 31..=32) => (5, flags, 32),
        (6, 25..=32) => (5, flags, 32),
        (6, 17..=24) => (1, flags & !TURBO, nbits),
        (5, 0..=15) => {
            return Err(usage(format!(
                "IEEE (datyp 5) needs 16..=32 or 64 bits, not {nbits}"
            )))
        }
        _ => (base, flags, nbits),
    };
    if nbits > 16 && base != 5 {
        flags &= !TURBO;
    }
    if flags & TURBO != 0 && base == 1 && nbits < 16 {
        return Err(usage(format!(
            "datyp 129 with {nbits} bits is unreadable by librmn (it reads 16-bit slots with the header's width); use 134 or 16 bits"
        )));
    }
    // R and E32 without turbo plug missing points as they are written (no copy).
    let plug_on_the_fly = (base == 1 || (base == 5 && nbits == 32)) && flags & TURBO == 0;
    if flags & MISSING != 0 && !plug_on_the_fly && !codec::plug_reals(v.to_mut(), nbits) {
        flags &= !MISSING;
    }
    let (ni, nj) = (keys.ni, keys.nj);
    let nbits8 = nbits as u8;
    let mut words = None;
    if flags & TURBO != 0 {
        words = match base {
            1 => codec::encode_129(&v, nbits8, ni, nj)?,
            5 => codec::encode_133(&v, nbits8, ni, nj)?,
            _ => codec::encode_134(&v, nbits8, ni, nj)?,
        };
    }
    let data = match words {
        // fst24_write_rsf sizes a compressed 129 payload one word past the D it stores
        // in word 0 (spec rsf.md §3.2); kept so the layout matches librmn's.
        Some(w) if base == 1 && !xdf => PackedData {
            words: AreaWords::Packed(Cow::Owned(w)),
            padding: 1,
        },
        Some(w) => PackedData::from(w),
        None => {
            let turbo = flags & TURBO != 0;
            flags &= !TURBO;
            let turbo_bits = u64::from(nbits.max(16));
            match base {
                1 => {
                    let d = if turbo {
                        area_words(n.saturating_mul(turbo_bits), 223)?
                    } else {
                        default_words(n, nbits)?
                    };
                    let missing = plug_on_the_fly && flags & MISSING != 0;
                    let encoder = codec::RealEncoder::new(v, nbits, missing);
                    if missing && !encoder.plugs() {
                        flags &= !MISSING;
                    }
                    streamed(encoder, d)
                }
                5 if nbits == 32 => {
                    // The float patterns themselves: the caller's values, not a copy.
                    let d = default_words(n, nbits)?;
                    let plugged = if plug_on_the_fly && flags & MISSING != 0 {
                        codec::plugged_range(&v, nbits)
                    } else {
                        None
                    };
                    if plug_on_the_fly && plugged.is_none() {
                        flags &= !MISSING;
                    }
                    match v {
                        v if plugged.is_some() => {
                            let plug = plugged.map_or(0.0, |(plug, _, _)| plug);
                            PackedData {
                                padding: d.saturating_sub(v.len()),
                                words: AreaWords::Plugged { values: v, plug },
                            }
                        }
                        Cow::Borrowed(v) => sized(bytemuck::cast_slice::<f32, u32>(v), d),
                        Cow::Owned(v) => {
                            sized(v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), d)
                        }
                    }
                }
                5 => sized(codec::encode_ieee32(&v, nbits), default_words(n, nbits)?),
                _ => {
                    let d = if turbo {
                        float_words(n, 95)?
                    } else {
                        float_words(n, 63)?
                    };
                    sized(codec::encode_float(&v, nbits), d)
                }
            }
        }
    };
    base |= flags;
    Ok(Packed {
        stored: StoredType {
            datyp: base,
            nbits: nbits8,
            data_bits: 32,
        },
        data,
    })
}

fn int_nbits(keys: &RecordKeys, element_bits: u8, xdf: bool) -> Result<u32> {
    let nbits = u32::from(keys.nbits.min(element_bits));
    match nbits {
        1..=32 => Ok(nbits),
        64 if !xdf => Ok(64),
        64 => Err(usage(
            "XDF cannot store 64-bit integers (librmn's compact_p_integer refuses them); use RSF"
                .into(),
        )),
        _ => Err(usage(format!(
            "integers are packed on 1..=32 or 64 bits, not {nbits}"
        ))),
    }
}

/// Packed width and stored data width (dasiz) of integer input, as librmn 20 stores them.
/// 64-bit input: RSF packs it on 64 bits whatever nbits asks (`fst24_write_rsf`:
/// "Compression not supported for 64-bit integer types"), so librmn reads it back as
/// 64-bit integers. XDF cannot hold 64-bit integers and librmn's `c_fstecr_xdf` packs
/// such input as if it were 32-bit words (unreadable), so it is stored as 32-bit data
/// (dasiz 32), refused when a value does not fit.
fn wide_int_layout(nbits: u32, data: &Data<'_>, xdf: bool) -> Result<(u32, u8)> {
    let fits = match data {
        Data::I64(v) => v.iter().all(|&x| i32::try_from(x).is_ok()),
        Data::U64(v) => v.iter().all(|&x| u32::try_from(x).is_ok()),
        _ => return Ok((nbits, data.element_bits())),
    };
    if !xdf {
        return Ok((64, 64));
    }
    if !fits {
        return Err(usage(
            "64-bit integers outside the 32-bit range cannot be stored in XDF (librmn packs \
             them on 32 bits at most there); use RSF"
                .into(),
        ));
    }
    Ok((nbits, 32))
}

fn pack_unsigned(
    keys: &RecordKeys,
    data: Data<'_>,
    mut flags: u8,
    n: u64,
    xdf: bool,
) -> Result<Packed<'static>> {
    let (mut v, marker): (Vec<u64>, u64) = match data {
        Data::U8(v) => (
            v.iter().map(|&x| u64::from(x)).collect(),
            u64::from(u8::MAX),
        ),
        Data::U16(v) => (
            v.iter().map(|&x| u64::from(x)).collect(),
            u64::from(u16::MAX),
        ),
        Data::U32(v) => (
            v.iter().map(|&x| u64::from(x)).collect(),
            u64::from(u32::MAX),
        ),
        Data::U64(v) => (v.to_vec(), u64::MAX),
        _ => return Err(wrong_type(2, &data)),
    };
    let (nbits, data_bits) =
        wide_int_layout(int_nbits(keys, data.element_bits(), xdf)?, &data, xdf)?;
    if flags & MISSING != 0 {
        let max = v.iter().copied().filter(|&x| x != marker).max();
        if v.contains(&marker) {
            let plug = codec::plug_unsigned(max.unwrap_or(0), nbits);
            v.iter_mut()
                .filter(|x| **x == marker)
                .for_each(|x| *x = plug);
        } else {
            flags &= !MISSING;
        }
    }
    if nbits > 16 {
        flags &= !TURBO;
    }
    let mut turbo_area = None;
    if flags & TURBO != 0 {
        let t: Vec<u32> = v.iter().map(|&x| x as u32).collect();
        turbo_area = codec::encode_130(&t, nbits as u8, keys.ni, keys.nj)?;
    }
    let data = match turbo_area {
        Some(w) => PackedData::from(w),
        None => {
            let d = if flags & TURBO != 0 {
                area_words(n.saturating_mul(u64::from(nbits.max(16))), 95)?
            } else {
                default_words(n, nbits)?
            };
            flags &= !TURBO;
            sized(codec::encode_unsigned(&v, nbits), d)
        }
    };
    Ok(Packed {
        stored: StoredType {
            datyp: 2 | flags,
            nbits: nbits as u8,
            data_bits,
        },
        data,
    })
}

fn pack_signed(
    keys: &RecordKeys,
    data: Data<'_>,
    flags: u8,
    n: u64,
    xdf: bool,
) -> Result<Packed<'static>> {
    let (mut v, marker): (Vec<i64>, i64) = match data {
        Data::I8(v) => (
            v.iter().map(|&x| i64::from(x)).collect(),
            i64::from(i8::MIN),
        ),
        Data::I16(v) => (
            v.iter().map(|&x| i64::from(x)).collect(),
            i64::from(i16::MIN),
        ),
        Data::I32(v) => (
            v.iter().map(|&x| i64::from(x)).collect(),
            i64::from(i32::MIN),
        ),
        Data::I64(v) => (v.to_vec(), i64::MIN),
        _ => return Err(wrong_type(4, &data)),
    };
    // librmn widens 8/16-bit signed input to int32, so nbits is not clamped to it.
    let nbits = int_nbits(keys, if keys.nbits > 32 { 64 } else { 32 }, xdf)?;
    let (nbits, data_bits) = wide_int_layout(nbits, &data, xdf)?;
    let mut flags = flags & MISSING; // no signed turbo: 132 is stored as 4
    if flags != 0 {
        let max = v.iter().copied().filter(|&x| x != marker).max();
        if v.contains(&marker) {
            let plug = codec::plug_signed(max.unwrap_or(0), nbits);
            v.iter_mut()
                .filter(|x| **x == marker)
                .for_each(|x| *x = plug);
        } else {
            flags = 0;
        }
    }
    Ok(Packed {
        stored: StoredType {
            datyp: 4 | flags,
            nbits: nbits as u8,
            data_bits,
        },
        data: sized(codec::encode_signed(&v, nbits), default_words(n, nbits)?),
    })
}

fn pack_chars(data: Data<'_>, base: u8, n: u64, xdf: bool) -> Result<Packed<'static>> {
    let (Data::Chars(text) | Data::U8(text)) = data else {
        return Err(wrong_type(base, &data));
    };
    let words = if base == 3 {
        codec::encode_chars(text)
    } else {
        codec::encode_string(text)
    };
    Ok(Packed {
        stored: StoredType {
            datyp: base,
            nbits: 8,
            // librmn 20 records dasiz 0 for characters in XDF and 8 in RSF.
            data_bits: if xdf { 0 } else { 8 },
        },
        data: sized(words, default_words(n, 8)?),
    })
}

fn pack_complex(data: Data<'_>, n: u64) -> Result<Packed<'static>> {
    let (words, nbits) = match data {
        Data::C64(v) => (codec::encode_complex64(v), 32u32),
        Data::C128(v) => (codec::encode_complex128(v), 64),
        _ => return Err(wrong_type(8, &data)),
    };
    let d = 2 * area_words(n.saturating_mul(u64::from(nbits)), 63)?;
    Ok(Packed {
        stored: StoredType {
            datyp: 8,
            nbits: nbits as u8,
            data_bits: nbits as u8,
        },
        data: sized(words, d),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// +64 plugged as it is written (R and E32) gives the area of librmn's order of
    /// work: plug a copy, pack it without the flag.
    #[test]
    fn missing_points_plugged_on_the_fly_match_a_plugged_copy() {
        let marker = -1.0e38f32;
        let mut values: Vec<f32> = (0..3000).map(|i| (i as f32 * 0.01).sin() * 9.0).collect();
        values[5] = marker;
        values[1777] = f32::NAN;
        for (datyp, nbits) in [(65u8, 16u8), (65, 7), (65, 32), (69, 32), (70, 16)] {
            for xdf in [true, false] {
                let mut k = RecordKeys::new("TT", 100, 30, 1);
                (k.datyp, k.nbits) = (datyp, nbits);
                let got = pack(&k, Data::F32(&values), xdf).unwrap();
                let mut plugged = values.clone();
                assert!(codec::plug_reals(&mut plugged, u32::from(nbits)));
                k.datyp = datyp & 63;
                let want = pack(&k, Data::F32(&plugged), xdf).unwrap();
                assert_eq!(got.stored.datyp, want.stored.datyp | 64, "{datyp}");
                assert!(
                    got.data.into_area() == want.data.into_area(),
                    "{datyp}/{nbits}"
                );
            }
        }
        // Nothing missing: the flag is dropped, the values are borrowed.
        let clean: Vec<f32> = (0..3000).map(|i| i as f32).collect();
        for datyp in [65u8, 69] {
            let mut k = RecordKeys::new("TT", 100, 30, 1);
            (k.datyp, k.nbits) = (datyp, if datyp == 65 { 16 } else { 32 });
            let got = pack(&k, Data::F32(&clean), true).unwrap();
            assert_eq!(got.stored.datyp, datyp & 63);
            assert!(got.data.borrows_values());
        }
    }
}
