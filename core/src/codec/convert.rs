//! Which element types a record may be decoded into, and the casts between them.
//!
//! A record decodes into its natural element type or into a type that holds every value it
//! can store without loss: an integer of at least `nbits` bits of the same signedness,
//! either float width for reals (f64 → f32 rounds, as librmn's `REDUCTION32`), either
//! complex width, raw words as `u32` and characters as `u8` (librmn's own dtypes).
//! Packers decode straight into any allowed type through [`Int`] and [`Real`]; only the
//! turbo path goes through a buffer of the natural type and [`copy_values`].

use crate::array::OutSlice;
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
    /// Widened to i128 (the +64 write model of the tests compares across types).
    #[cfg(test)]
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
            #[cfg(test)]
            #[allow(clippy::cast_lossless)] // one body for every type, floats included
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

/// The scalars `range` of `out`, reborrowed (panics outside `out`, as slicing does).
pub(crate) fn piece<'b>(out: &'b mut OutSlice<'_>, range: std::ops::Range<usize>) -> OutSlice<'b> {
    let r = range;
    match out {
        OutSlice::F32(v) => OutSlice::F32(&mut v[r]),
        OutSlice::F64(v) => OutSlice::F64(&mut v[r]),
        OutSlice::I8(v) => OutSlice::I8(&mut v[r]),
        OutSlice::I16(v) => OutSlice::I16(&mut v[r]),
        OutSlice::I32(v) => OutSlice::I32(&mut v[r]),
        OutSlice::I64(v) => OutSlice::I64(&mut v[r]),
        OutSlice::U8(v) => OutSlice::U8(&mut v[r]),
        OutSlice::U16(v) => OutSlice::U16(&mut v[r]),
        OutSlice::U32(v) => OutSlice::U32(&mut v[r]),
        OutSlice::U64(v) => OutSlice::U64(&mut v[r]),
        OutSlice::C64(v) => OutSlice::C64(&mut v[r]),
        OutSlice::C128(v) => OutSlice::C128(&mut v[r]),
        OutSlice::Chars(v) => OutSlice::Chars(&mut v[r]),
        OutSlice::Words(v) => OutSlice::Words(&mut v[r]),
    }
}
