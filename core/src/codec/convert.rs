//! Which element types a record may be decoded into, and the casts between them.
//!
//! A record decodes into its natural element type or into a type that holds every value it
//! can store without loss: an integer of at least `nbits` bits of the same signedness,
//! either float width for reals (f64 → f32 rounds, as librmn's `REDUCTION32`), either
//! complex width, raw words as `u32` and characters as `u8` (librmn's own dtypes).
//! Packers decode straight into any allowed type through [`Int`] and [`Real`]; only the
//! turbo path goes through a buffer of the natural type and [`copy_values`].

use crate::array::{OutSlice, Values};
use crate::error::{Result, UsageError};
use crate::record::{BaseType, ElementType, RecordHeader};

/// An integer output element; the unpackers convert tokens with these `as` casts, which are
/// lossless because [`check_target`] only admits types wide enough for `nbits`.
pub(crate) trait Int: Copy + PartialOrd {
    /// Missing-value marker of this type (librmn: INT_MIN for signed, all ones unsigned).
    const MARKER: Self;
    /// From an unsigned token.
    fn from_u32(v: u32) -> Self;
    /// From a signed value.
    fn from_i32(v: i32) -> Self;
    /// From a 64-bit unsigned value.
    fn from_u64(v: u64) -> Self;
    /// From a 64-bit signed value.
    fn from_i64(v: i64) -> Self;
    /// Widened to i128 (for conversions between integer types).
    fn to_i128(self) -> i128;
}

macro_rules! impl_int {
    ($($t:ty => $marker:expr),*) => {$(
        impl Int for $t {
            const MARKER: Self = $marker;
            #[inline(always)]
            fn from_u32(v: u32) -> Self { v as $t }
            #[inline(always)]
            fn from_i32(v: i32) -> Self { v as $t }
            #[inline(always)]
            fn from_u64(v: u64) -> Self { v as $t }
            #[inline(always)]
            fn from_i64(v: i64) -> Self { v as $t }
            #[inline(always)]
            fn to_i128(self) -> i128 { self as i128 }
        }
    )*};
}

impl_int!(
    u8 => u8::MAX, u16 => u16::MAX, u32 => u32::MAX, u64 => u64::MAX,
    i8 => i8::MIN, i16 => i16::MIN, i32 => i32::MIN, i64 => i64::MIN
);

/// A real output element (f32 or f64).
pub(crate) trait Real: Copy + PartialOrd {
    /// librmn's missing-value marker for reals, −1.0e38.
    const MARKER: Self;
    /// Not a number.
    const NAN: Self;
    /// From a float32 value.
    fn from_f32(v: f32) -> Self;
    /// From a float64 value (rounds for f32).
    fn from_f64(v: f64) -> Self;
    /// Widened to f64.
    fn to_f64(self) -> f64;
}

impl Real for f32 {
    const MARKER: Self = -1.0e38;
    const NAN: Self = f32::NAN;
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        v
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Real for f64 {
    const MARKER: Self = -1.0e38;
    const NAN: Self = f64::NAN;
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        f64::from(v)
    }
    #[inline(always)]
    fn from_f64(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
}

/// Bits of an integer element type, with its signedness; `None` for other types.
fn int_bits(et: ElementType) -> Option<(u32, bool)> {
    Some(match et {
        ElementType::U8 => (8, false),
        ElementType::U16 => (16, false),
        ElementType::U32 => (32, false),
        ElementType::U64 => (64, false),
        ElementType::I8 => (8, true),
        ElementType::I16 => (16, true),
        ElementType::I32 => (32, true),
        ElementType::I64 => (64, true),
        _ => return None,
    })
}

/// True when a record of `header` (natural type `natural`) may be decoded into `target`.
fn allowed(header: &RecordHeader, natural: ElementType, target: ElementType) -> bool {
    if natural == target {
        return true;
    }
    let Some(base) = header.datyp.base() else {
        return false;
    };
    match base {
        BaseType::Binary => target == ElementType::U32,
        BaseType::Chars | BaseType::String => target == ElementType::U8,
        BaseType::Real | BaseType::Ieee | BaseType::Float => {
            matches!(target, ElementType::F32 | ElementType::F64)
        }
        BaseType::Complex => matches!(target, ElementType::C64 | ElementType::C128),
        BaseType::Unsigned | BaseType::Signed => {
            let signed = base == BaseType::Signed;
            int_bits(target).is_some_and(|(bits, s)| s == signed && bits >= u32::from(header.nbits))
        }
    }
}

/// Checks that `target` is `natural` or an allowed conversion of it.
///
/// # Errors
/// [`UsageError::ElementType`] otherwise.
pub(crate) fn check_target(
    header: &RecordHeader,
    natural: ElementType,
    target: ElementType,
) -> Result<()> {
    if allowed(header, natural, target) {
        Ok(())
    } else {
        Err(UsageError::ElementType {
            natural: natural.name(),
            requested: target.name(),
        }
        .into())
    }
}

/// A shorter-lived view of the same destination, so it can be used again after a call.
pub(crate) fn reborrow<'b>(out: &'b mut OutSlice<'_>) -> OutSlice<'b> {
    match out {
        OutSlice::F32(v) => OutSlice::F32(v),
        OutSlice::F64(v) => OutSlice::F64(v),
        OutSlice::I8(v) => OutSlice::I8(v),
        OutSlice::I16(v) => OutSlice::I16(v),
        OutSlice::I32(v) => OutSlice::I32(v),
        OutSlice::I64(v) => OutSlice::I64(v),
        OutSlice::U8(v) => OutSlice::U8(v),
        OutSlice::U16(v) => OutSlice::U16(v),
        OutSlice::U32(v) => OutSlice::U32(v),
        OutSlice::U64(v) => OutSlice::U64(v),
        OutSlice::C64(v) => OutSlice::C64(v),
        OutSlice::C128(v) => OutSlice::C128(v),
        OutSlice::Chars(v) => OutSlice::Chars(v),
        OutSlice::Words(v) => OutSlice::Words(v),
    }
}

fn ints<S: Int, D: Int>(src: &[S], dst: &mut [D]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = D::from_i64(s.to_i128() as i64);
    }
}

fn ints_u64<S: Int>(src: &[S], dst: &mut [u64]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = s.to_i128() as u64;
    }
}

fn reals<S: Real, D: Real>(src: &[S], dst: &mut [D]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = D::from_f64(s.to_f64());
    }
}

macro_rules! int_dst {
    ($src:expr, $dst:expr) => {
        match $dst {
            OutSlice::I8(d) => ints($src, d),
            OutSlice::I16(d) => ints($src, d),
            OutSlice::I32(d) => ints($src, d),
            OutSlice::I64(d) => ints($src, d),
            OutSlice::U8(d) => ints($src, d),
            OutSlice::U16(d) => ints($src, d),
            OutSlice::U32(d) => ints($src, d),
            OutSlice::U64(d) => ints_u64($src, d),
            _ => return Err(mismatch()),
        }
    };
}

fn mismatch() -> crate::Error {
    crate::Unsupported::Other("internal: conversion between incompatible element types").into()
}

/// Copies decoded values into `dst` (same scalar length), casting between the element types
/// [`check_target`] admits.
///
/// # Errors
/// Unsupported for a pair `check_target` would have refused (a bug, reported not panicked).
pub(crate) fn copy_values(src: &Values, dst: OutSlice<'_>) -> Result<()> {
    if src.scalar_len() != dst.scalar_len() {
        return Err(mismatch());
    }
    match (src, dst) {
        (Values::F32(s) | Values::C64(s), OutSlice::F32(d) | OutSlice::C64(d)) => {
            d.copy_from_slice(s)
        }
        (Values::F32(s) | Values::C64(s), OutSlice::F64(d) | OutSlice::C128(d)) => reals(s, d),
        (Values::F64(s) | Values::C128(s), OutSlice::F32(d) | OutSlice::C64(d)) => reals(s, d),
        (Values::F64(s) | Values::C128(s), OutSlice::F64(d) | OutSlice::C128(d)) => {
            d.copy_from_slice(s)
        }
        (Values::Words(s) | Values::U32(s), OutSlice::Words(d)) => d.copy_from_slice(s),
        (Values::Chars(s) | Values::U8(s), OutSlice::Chars(d)) => d.copy_from_slice(s),
        (Values::Words(s), dst) => int_dst!(s, dst),
        (Values::Chars(s), dst) => int_dst!(s, dst),
        (Values::I8(s), dst) => int_dst!(s, dst),
        (Values::I16(s), dst) => int_dst!(s, dst),
        (Values::I32(s), dst) => int_dst!(s, dst),
        (Values::I64(s), dst) => int_dst!(s, dst),
        (Values::U8(s), dst) => int_dst!(s, dst),
        (Values::U16(s), dst) => int_dst!(s, dst),
        (Values::U32(s), dst) => int_dst!(s, dst),
        (Values::U64(s), dst) => int_dst!(s, dst),
        _ => return Err(mismatch()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_between_allowed_types() {
        let src = Values::U16(vec![1, 40000, 65535]);
        let mut wide = [0u32; 3];
        copy_values(&src, OutSlice::U32(&mut wide)).unwrap();
        assert_eq!(wide, [1, 40000, 65535]);
        let mut wide = [0u64; 3];
        copy_values(&src, OutSlice::U64(&mut wide)).unwrap();
        assert_eq!(wide, [1, 40000, 65535]);
        let src = Values::U64(vec![u64::MAX]);
        let mut same = [0u64; 1];
        copy_values(&src, OutSlice::U64(&mut same)).unwrap();
        assert_eq!(same, [u64::MAX]);
        let src = Values::I16(vec![-32768, 5]);
        let mut wide = [0i64; 2];
        copy_values(&src, OutSlice::I64(&mut wide)).unwrap();
        assert_eq!(wide, [-32768, 5]);
        let src = Values::F32(vec![1.5, -1.0e38]);
        let mut wide = [0f64; 2];
        copy_values(&src, OutSlice::F64(&mut wide)).unwrap();
        assert_eq!(wide, [1.5, f64::from(-1.0e38f32)]);
        let src = Values::Words(vec![0xdead_beef]);
        let mut words = [0u32; 1];
        copy_values(&src, OutSlice::U32(&mut words)).unwrap();
        assert_eq!(words, [0xdead_beef]);
    }

    #[test]
    fn refuses_mismatches() {
        let src = Values::F32(vec![1.0, 2.0]);
        let mut short = [0f64; 1];
        assert!(copy_values(&src, OutSlice::F64(&mut short)).is_err());
        let mut ints = [0i32; 2];
        assert!(copy_values(&src, OutSlice::I32(&mut ints)).is_err());
    }
}
