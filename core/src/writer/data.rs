//! [`Data`]: a borrowed view of the values handed to [`crate::Writer::write`].

use crate::array::Values;

/// The values of one record, borrowed from the caller, in librmn's Fortran order (`i`
/// fastest). Complex values are interleaved (re, im); datyp 0 takes raw words.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Data<'a> {
    /// 32-bit floats.
    F32(&'a [f32]),
    /// 64-bit floats.
    F64(&'a [f64]),
    /// 8-bit signed integers.
    I8(&'a [i8]),
    /// 16-bit signed integers.
    I16(&'a [i16]),
    /// 32-bit signed integers.
    I32(&'a [i32]),
    /// 64-bit signed integers (RSF only when packed on 64 bits).
    I64(&'a [i64]),
    /// 8-bit unsigned integers.
    U8(&'a [u8]),
    /// 16-bit unsigned integers.
    U16(&'a [u16]),
    /// 32-bit unsigned integers.
    U32(&'a [u32]),
    /// 64-bit unsigned integers (RSF only when packed on 64 bits).
    U64(&'a [u64]),
    /// complex64 as interleaved f32 pairs.
    C64(&'a [f32]),
    /// complex128 as interleaved f64 pairs.
    C128(&'a [f64]),
    /// Characters (datyp 3 or 7).
    Chars(&'a [u8]),
    /// Raw 32-bit words (datyp 0).
    Words(&'a [u32]),
}

impl Data<'_> {
    /// Number of scalar slots (complex values count twice).
    pub fn scalar_len(&self) -> usize {
        match self {
            Data::F32(v) | Data::C64(v) => v.len(),
            Data::F64(v) | Data::C128(v) => v.len(),
            Data::I8(v) => v.len(),
            Data::I16(v) => v.len(),
            Data::I32(v) => v.len(),
            Data::I64(v) => v.len(),
            Data::U8(v) | Data::Chars(v) => v.len(),
            Data::U16(v) => v.len(),
            Data::U32(v) | Data::Words(v) => v.len(),
            Data::U64(v) => v.len(),
        }
    }

    /// Size in bits of one element of the caller's array (librmn's `data_bits`).
    pub fn element_bits(&self) -> u8 {
        match self {
            Data::I8(_) | Data::U8(_) | Data::Chars(_) => 8,
            Data::I16(_) | Data::U16(_) => 16,
            Data::F64(_) | Data::I64(_) | Data::U64(_) | Data::C128(_) => 64,
            _ => 32,
        }
    }
}

impl<'a> From<&'a Values> for Data<'a> {
    fn from(v: &'a Values) -> Self {
        match v {
            Values::F32(v) => Data::F32(v),
            Values::F64(v) => Data::F64(v),
            Values::I8(v) => Data::I8(v),
            Values::I16(v) => Data::I16(v),
            Values::I32(v) => Data::I32(v),
            Values::I64(v) => Data::I64(v),
            Values::U8(v) => Data::U8(v),
            Values::U16(v) => Data::U16(v),
            Values::U32(v) => Data::U32(v),
            Values::U64(v) => Data::U64(v),
            Values::C64(v) => Data::C64(v),
            Values::C128(v) => Data::C128(v),
            Values::Chars(v) => Data::Chars(v),
            Values::Words(v) => Data::Words(v),
        }
    }
}

macro_rules! from_slice {
    ($t:ty, $variant:ident) => {
        impl<'a> From<&'a [$t]> for Data<'a> {
            fn from(v: &'a [$t]) -> Self {
                Data::$variant(v)
            }
        }
        impl<'a> From<&'a Vec<$t>> for Data<'a> {
            fn from(v: &'a Vec<$t>) -> Self {
                Data::$variant(v)
            }
        }
        impl<'a, const N: usize> From<&'a [$t; N]> for Data<'a> {
            fn from(v: &'a [$t; N]) -> Self {
                Data::$variant(v)
            }
        }
    };
}

from_slice!(f32, F32);
from_slice!(f64, F64);
from_slice!(i8, I8);
from_slice!(i16, I16);
from_slice!(i32, I32);
from_slice!(i64, I64);
from_slice!(u8, U8);
from_slice!(u16, U16);
from_slice!(u32, U32);
from_slice!(u64, U64);
