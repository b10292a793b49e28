//! Decoded arrays: [`Values`] (one variant per element type), [`Array`] (values + shape)
//! and [`OutSlice`] (a caller-owned destination, so decoding need not allocate).
//!
//! Layout is librmn's: Fortran order, `i` fastest, then `j`, then `k`. Complex values are
//! interleaved (real, imaginary). Binary records (datyp 0) are the raw 32-bit words.

use crate::record::ElementType;

/// Decoded values of one record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Values {
    /// 32-bit floats.
    F32(Vec<f32>),
    /// 64-bit floats.
    F64(Vec<f64>),
    /// 8-bit signed integers.
    I8(Vec<i8>),
    /// 16-bit signed integers.
    I16(Vec<i16>),
    /// 32-bit signed integers.
    I32(Vec<i32>),
    /// 64-bit signed integers.
    I64(Vec<i64>),
    /// 8-bit unsigned integers.
    U8(Vec<u8>),
    /// 16-bit unsigned integers.
    U16(Vec<u16>),
    /// 32-bit unsigned integers.
    U32(Vec<u32>),
    /// 64-bit unsigned integers.
    U64(Vec<u64>),
    /// complex64, interleaved (re, im) f32 pairs: `2·n` scalars.
    C64(Vec<f32>),
    /// complex128, interleaved (re, im) f64 pairs: `2·n` scalars.
    C128(Vec<f64>),
    /// Characters, one byte each.
    Chars(Vec<u8>),
    /// Raw 32-bit words (datyp 0).
    Words(Vec<u32>),
}

/// A caller-owned destination for one record's values.
#[derive(Debug)]
#[non_exhaustive]
pub enum OutSlice<'a> {
    /// 32-bit floats.
    F32(&'a mut [f32]),
    /// 64-bit floats.
    F64(&'a mut [f64]),
    /// 8-bit signed integers.
    I8(&'a mut [i8]),
    /// 16-bit signed integers.
    I16(&'a mut [i16]),
    /// 32-bit signed integers.
    I32(&'a mut [i32]),
    /// 64-bit signed integers.
    I64(&'a mut [i64]),
    /// 8-bit unsigned integers.
    U8(&'a mut [u8]),
    /// 16-bit unsigned integers.
    U16(&'a mut [u16]),
    /// 32-bit unsigned integers.
    U32(&'a mut [u32]),
    /// 64-bit unsigned integers.
    U64(&'a mut [u64]),
    /// complex64 as interleaved f32 (`2·n` scalars).
    C64(&'a mut [f32]),
    /// complex128 as interleaved f64 (`2·n` scalars).
    C128(&'a mut [f64]),
    /// Characters.
    Chars(&'a mut [u8]),
    /// Raw words.
    Words(&'a mut [u32]),
}

macro_rules! for_each_variant {
    ($value:expr, $v:ident => $body:expr) => {
        match $value {
            Values::F32($v) => $body,
            Values::F64($v) => $body,
            Values::I8($v) => $body,
            Values::I16($v) => $body,
            Values::I32($v) => $body,
            Values::I64($v) => $body,
            Values::U8($v) => $body,
            Values::U16($v) => $body,
            Values::U32($v) => $body,
            Values::U64($v) => $body,
            Values::C64($v) => $body,
            Values::C128($v) => $body,
            Values::Chars($v) => $body,
            Values::Words($v) => $body,
        }
    };
}

impl Values {
    /// A zero-filled buffer of `scalars` scalar slots of element type `et`
    /// (for complex types `scalars` counts real and imaginary parts separately).
    pub fn zeroed(et: ElementType, scalars: usize) -> Values {
        match et {
            ElementType::F32 => Values::F32(vec![0.0; scalars]),
            ElementType::F64 => Values::F64(vec![0.0; scalars]),
            ElementType::I8 => Values::I8(vec![0; scalars]),
            ElementType::I16 => Values::I16(vec![0; scalars]),
            ElementType::I32 => Values::I32(vec![0; scalars]),
            ElementType::I64 => Values::I64(vec![0; scalars]),
            ElementType::U8 => Values::U8(vec![0; scalars]),
            ElementType::U16 => Values::U16(vec![0; scalars]),
            ElementType::U32 => Values::U32(vec![0; scalars]),
            ElementType::U64 => Values::U64(vec![0; scalars]),
            ElementType::C64 => Values::C64(vec![0.0; scalars]),
            ElementType::C128 => Values::C128(vec![0.0; scalars]),
            ElementType::Char => Values::Chars(vec![0; scalars]),
            ElementType::Word => Values::Words(vec![0; scalars]),
        }
    }

    /// As [`Values::zeroed`], but an allocation the system refuses is an error instead of
    /// an abort: the size usually comes from a file.
    ///
    /// # Errors
    /// [`crate::Error::Limits`] when the memory cannot be reserved.
    pub fn try_zeroed(et: ElementType, scalars: usize) -> crate::Result<Values> {
        use crate::limits::try_vec;
        let (n, what) = (scalars, "decoded array");
        Ok(match et {
            ElementType::F32 => Values::F32(try_vec(n, 0.0, what)?),
            ElementType::F64 => Values::F64(try_vec(n, 0.0, what)?),
            ElementType::I8 => Values::I8(try_vec(n, 0, what)?),
            ElementType::I16 => Values::I16(try_vec(n, 0, what)?),
            ElementType::I32 => Values::I32(try_vec(n, 0, what)?),
            ElementType::I64 => Values::I64(try_vec(n, 0, what)?),
            ElementType::U8 => Values::U8(try_vec(n, 0, what)?),
            ElementType::U16 => Values::U16(try_vec(n, 0, what)?),
            ElementType::U32 => Values::U32(try_vec(n, 0, what)?),
            ElementType::U64 => Values::U64(try_vec(n, 0, what)?),
            ElementType::C64 => Values::C64(try_vec(n, 0.0, what)?),
            ElementType::C128 => Values::C128(try_vec(n, 0.0, what)?),
            ElementType::Char => Values::Chars(try_vec(n, 0, what)?),
            ElementType::Word => Values::Words(try_vec(n, 0, what)?),
        })
    }

    /// Element type of these values.
    pub fn element_type(&self) -> ElementType {
        match self {
            Values::F32(_) => ElementType::F32,
            Values::F64(_) => ElementType::F64,
            Values::I8(_) => ElementType::I8,
            Values::I16(_) => ElementType::I16,
            Values::I32(_) => ElementType::I32,
            Values::I64(_) => ElementType::I64,
            Values::U8(_) => ElementType::U8,
            Values::U16(_) => ElementType::U16,
            Values::U32(_) => ElementType::U32,
            Values::U64(_) => ElementType::U64,
            Values::C64(_) => ElementType::C64,
            Values::C128(_) => ElementType::C128,
            Values::Chars(_) => ElementType::Char,
            Values::Words(_) => ElementType::Word,
        }
    }

    /// Number of scalar slots (complex values count twice).
    pub fn scalar_len(&self) -> usize {
        for_each_variant!(self, v => v.len())
    }

    /// The values as native-endian bytes (zero copy).
    pub fn as_bytes(&self) -> &[u8] {
        for_each_variant!(self, v => bytemuck::cast_slice(v.as_slice()))
    }

    /// A destination view over these values.
    pub fn as_out(&mut self) -> OutSlice<'_> {
        match self {
            Values::F32(v) => OutSlice::F32(v),
            Values::F64(v) => OutSlice::F64(v),
            Values::I8(v) => OutSlice::I8(v),
            Values::I16(v) => OutSlice::I16(v),
            Values::I32(v) => OutSlice::I32(v),
            Values::I64(v) => OutSlice::I64(v),
            Values::U8(v) => OutSlice::U8(v),
            Values::U16(v) => OutSlice::U16(v),
            Values::U32(v) => OutSlice::U32(v),
            Values::U64(v) => OutSlice::U64(v),
            Values::C64(v) => OutSlice::C64(v),
            Values::C128(v) => OutSlice::C128(v),
            Values::Chars(v) => OutSlice::Chars(v),
            Values::Words(v) => OutSlice::Words(v),
        }
    }
}

impl OutSlice<'_> {
    /// Element type of the destination.
    pub fn element_type(&self) -> ElementType {
        match self {
            OutSlice::F32(_) => ElementType::F32,
            OutSlice::F64(_) => ElementType::F64,
            OutSlice::I8(_) => ElementType::I8,
            OutSlice::I16(_) => ElementType::I16,
            OutSlice::I32(_) => ElementType::I32,
            OutSlice::I64(_) => ElementType::I64,
            OutSlice::U8(_) => ElementType::U8,
            OutSlice::U16(_) => ElementType::U16,
            OutSlice::U32(_) => ElementType::U32,
            OutSlice::U64(_) => ElementType::U64,
            OutSlice::C64(_) => ElementType::C64,
            OutSlice::C128(_) => ElementType::C128,
            OutSlice::Chars(_) => ElementType::Char,
            OutSlice::Words(_) => ElementType::Word,
        }
    }

    /// Number of scalar slots.
    pub fn scalar_len(&self) -> usize {
        match self {
            OutSlice::F32(v) | OutSlice::C64(v) => v.len(),
            OutSlice::F64(v) | OutSlice::C128(v) => v.len(),
            OutSlice::I8(v) => v.len(),
            OutSlice::I16(v) => v.len(),
            OutSlice::I32(v) => v.len(),
            OutSlice::I64(v) => v.len(),
            OutSlice::U8(v) | OutSlice::Chars(v) => v.len(),
            OutSlice::U16(v) => v.len(),
            OutSlice::U32(v) | OutSlice::Words(v) => v.len(),
            OutSlice::U64(v) => v.len(),
        }
    }
}

/// A decoded record: values plus librmn's shape `(ni, nj, nk)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    /// `(ni, nj, nk)`; for binary records the values are the raw words, not `ni·nj·nk` items.
    pub shape: [usize; 3],
    /// The values in Fortran order.
    pub values: Values,
}
