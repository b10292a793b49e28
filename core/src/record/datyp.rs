//! Data type codes (`datyp`): a base packing plus the +64 (missing values) and +128
//! (turbo compression) flags, and the element type an array of it decodes to.

use std::fmt;

/// A stored `datyp` byte.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DataType(pub u8);

/// The packing a datyp names once its flags are removed (`datyp & 63`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BaseType {
    /// 0, "X": raw binary words.
    Binary,
    /// 1, "R": old quantiser with a 120-bit header.
    Real,
    /// 2, "U": unsigned integers.
    Unsigned,
    /// 3, "A": characters stored as native words.
    Chars,
    /// 4, "I": signed integers.
    Signed,
    /// 5, "E": IEEE floats (32, 64, or truncated 16..31 bits).
    Ieee,
    /// 6, "F": new quantiser.
    Float,
    /// 7, "S": character string.
    String,
    /// 8, "C": complex IEEE.
    Complex,
}

impl DataType {
    /// Flag: values equal to the field maximum are missing.
    pub const MISSING: u8 = 64;
    /// Flag: turbo (armn_compress) compression.
    pub const TURBO: u8 = 128;

    /// The raw code.
    pub fn raw(self) -> u8 {
        self.0
    }

    /// The base code `datyp & 63`.
    pub fn base_code(self) -> u8 {
        self.0 & 63
    }

    /// The base packing, or `None` for codes librmn does not define.
    pub fn base(self) -> Option<BaseType> {
        Some(match self.base_code() {
            0 => BaseType::Binary,
            1 => BaseType::Real,
            2 => BaseType::Unsigned,
            3 => BaseType::Chars,
            4 => BaseType::Signed,
            5 => BaseType::Ieee,
            6 => BaseType::Float,
            7 => BaseType::String,
            8 => BaseType::Complex,
            _ => return None,
        })
    }

    /// True when the +64 missing-value flag is set.
    pub fn has_missing(self) -> bool {
        self.0 & Self::MISSING != 0
    }

    /// True when the +128 turbo flag is set.
    pub fn is_turbo(self) -> bool {
        self.0 & Self::TURBO != 0
    }

    /// librmn's one-letter name of the base type (`X R U A I E F S C`).
    pub fn letter(self) -> char {
        match self.base_code() {
            0 => 'X',
            1 => 'R',
            2 => 'U',
            3 => 'A',
            4 => 'I',
            5 => 'E',
            6 => 'F',
            7 => 'S',
            8 => 'C',
            _ => '?',
        }
    }

    /// Short voir-style label, e.g. `R16`, `E32`, `F16z` (turbo), `R16m` (missing).
    pub fn label(self, nbits: u8) -> String {
        let mut s = format!("{}{}", self.letter(), nbits);
        if self.is_turbo() {
            s.push('z');
        }
        if self.has_missing() {
            s.push('m');
        }
        s
    }
}

impl fmt::Debug for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataType({})", self.0)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Element type of a decoded array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ElementType {
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// 8-bit signed.
    I8,
    /// 16-bit signed.
    I16,
    /// 32-bit signed.
    I32,
    /// 64-bit signed.
    I64,
    /// 8-bit unsigned.
    U8,
    /// 16-bit unsigned.
    U16,
    /// 32-bit unsigned.
    U32,
    /// 64-bit unsigned.
    U64,
    /// Complex of two f32 (real, imaginary interleaved).
    C64,
    /// Complex of two f64.
    C128,
    /// One byte per character (datyp 3 and 7).
    Char,
    /// Raw 32-bit words (datyp 0), as librmn returns them.
    Word,
}

impl ElementType {
    /// Size of one element in bytes.
    pub fn size(self) -> usize {
        match self {
            ElementType::I8 | ElementType::U8 | ElementType::Char => 1,
            ElementType::I16 | ElementType::U16 => 2,
            ElementType::F32 | ElementType::I32 | ElementType::U32 | ElementType::Word => 4,
            ElementType::F64 | ElementType::I64 | ElementType::U64 | ElementType::C64 => 8,
            ElementType::C128 => 16,
        }
    }

    /// Lower-case name (`f32`, `u16`, `c64`, `char`, `word`), as in numpy-like dtypes.
    pub fn name(self) -> &'static str {
        match self {
            ElementType::F32 => "f32",
            ElementType::F64 => "f64",
            ElementType::I8 => "i8",
            ElementType::I16 => "i16",
            ElementType::I32 => "i32",
            ElementType::I64 => "i64",
            ElementType::U8 => "u8",
            ElementType::U16 => "u16",
            ElementType::U32 => "u32",
            ElementType::U64 => "u64",
            ElementType::C64 => "c64",
            ElementType::C128 => "c128",
            ElementType::Char => "char",
            ElementType::Word => "word",
        }
    }

    /// The element type fst24 decodes a record to (its `data_bits` rule).
    ///
    /// `data_bits` is the stored `dasiz` byte; 0 (files older than librmn 20) means 64 when
    /// `nbits > 32`, else 32. Integers keep their stored width (8/16/32/64 bits), reals are
    /// f64 only when stored on 64 bits, characters are bytes, binary stays as words.
    pub fn natural(datyp: DataType, nbits: u8, data_bits: u8) -> Option<ElementType> {
        let width = match data_bits {
            0 if nbits > 32 => 64,
            0 => 32,
            w => w,
        };
        Some(match datyp.base()? {
            BaseType::Binary => ElementType::Word,
            BaseType::Real | BaseType::Ieee | BaseType::Float => {
                if nbits == 64 || width == 64 {
                    ElementType::F64
                } else {
                    ElementType::F32
                }
            }
            BaseType::Unsigned => match int_width(width, nbits) {
                8 => ElementType::U8,
                16 => ElementType::U16,
                64 => ElementType::U64,
                _ => ElementType::U32,
            },
            BaseType::Signed => match int_width(width, nbits) {
                8 => ElementType::I8,
                16 => ElementType::I16,
                64 => ElementType::I64,
                _ => ElementType::I32,
            },
            BaseType::Chars | BaseType::String => ElementType::Char,
            BaseType::Complex => {
                if nbits == 64 {
                    ElementType::C128
                } else {
                    ElementType::C64
                }
            }
        })
    }
}

/// Integer output width: the stored element size, widened when the packed tokens would not
/// fit in it (a damaged or unusual `dasiz` must never truncate values).
fn int_width(width: u8, nbits: u8) -> u8 {
    let fits = matches!(width, 8 | 16 | 32 | 64) && nbits <= width;
    match (fits, nbits > 32) {
        (true, _) => width,
        (false, true) => 64,
        (false, false) => 32,
    }
}

impl fmt::Display for ElementType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ElementType {
    type Err = crate::Error;

    /// The lower-case names of [`ElementType::name`] (`f32`, `u16`, `char`, ...).
    fn from_str(s: &str) -> crate::error::Result<Self> {
        use ElementType::*;
        [
            F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, C64, C128, Char, Word,
        ]
        .into_iter()
        .find(|t| t.name() == s)
        .ok_or_else(|| {
            crate::UsageError::UnknownName {
                what: "element type",
                expected: "one of f32 f64 i8 i16 i32 i64 u8 u16 u32 u64 c64 c128 char word",
                got: s.to_owned(),
            }
            .into()
        })
    }
}
