//! Decoded arrays as typed arrays.

use napi::bindgen_prelude::{
    BigInt64Array, BigUint64Array, Either10, Float32Array, Float64Array, Int16Array, Int32Array,
    Int8Array, Uint16Array, Uint32Array, Uint8Array,
};
use napi_derive::napi;

use fst24::{Array, Values};

/// The typed array a record decodes to (its natural element type).
pub type TypedData = Either10<
    Float32Array,
    Float64Array,
    Int8Array,
    Int16Array,
    Int32Array,
    BigInt64Array,
    Uint8Array,
    Uint16Array,
    Uint32Array,
    BigUint64Array,
>;

/// One decoded record.
#[napi(object)]
pub struct DecodedArray {
    /// `[ni, nj, nk]`.
    pub shape: Vec<u32>,
    /// Element type: `f32 f64 i8 i16 i32 i64 u8 u16 u32 u64 c64 c128 char word`.
    pub dtype: String,
    /// Values in Fortran order (`i` fastest); complex values interleaved (re, im).
    pub data: TypedData,
}

impl DecodedArray {
    pub(crate) fn new(array: Array) -> Self {
        let dtype = array.values.element_type().name().to_owned();
        let data = match array.values {
            Values::F32(v) | Values::C64(v) => Either10::A(Float32Array::new(v)),
            Values::F64(v) | Values::C128(v) => Either10::B(Float64Array::new(v)),
            Values::I8(v) => Either10::C(Int8Array::new(v)),
            Values::I16(v) => Either10::D(Int16Array::new(v)),
            Values::I32(v) => Either10::E(Int32Array::new(v)),
            Values::I64(v) => Either10::F(BigInt64Array::new(v)),
            Values::U8(v) | Values::Chars(v) => Either10::G(Uint8Array::new(v)),
            Values::U16(v) => Either10::H(Uint16Array::new(v)),
            Values::U32(v) | Values::Words(v) => Either10::I(Uint32Array::new(v)),
            Values::U64(v) => Either10::J(BigUint64Array::new(v)),
            // A variant added to the core later: hand over its bytes rather than fail.
            other => Either10::G(Uint8Array::new(other.as_bytes().to_vec())),
        };
        DecodedArray {
            shape: array.shape.iter().map(|&n| n as u32).collect(),
            dtype,
            data,
        }
    }
}
