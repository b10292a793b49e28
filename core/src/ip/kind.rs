//! The kinds of value an ip can hold (`convip` kind codes and their tables).

/// The valid `ConvertIp` kinds (codes 0..7, 10, 15, 17, 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LevelKind {
    /// 0: height above sea level, metres.
    HeightSea,
    /// 1: sigma (0..1).
    Sigma,
    /// 2: pressure, hPa (mb).
    Pressure,
    /// 3: arbitrary code.
    Arbitrary,
    /// 4: height above ground, metres.
    HeightGround,
    /// 5: hybrid coordinate (0..1).
    Hybrid,
    /// 6: potential temperature θ, K.
    Theta,
    /// 7: depth below sea level, metres.
    DepthSea,
    /// 10: elapsed time, hours.
    Hours,
    /// 15: exact integer (0..2 000 000).
    Integer,
    /// 17: index into a conversion matrix (stored with kind bits 1).
    MatrixIndex,
    /// 21: pressure-metres (GalChen; stored with kind bits 5).
    PressureMetres,
}

/// Per-kind limits of new-style encoding: `(low, high, zero, fact)` (`convip_plus` tables).
pub(super) struct Limits {
    pub low: f32,
    pub high: f32,
    /// Magnitudes below this are encoded as this value.
    pub zero: f32,
    /// What decoded magnitudes below `1.001·zero` become.
    pub zero_to: f32,
    pub fact: f32,
}

impl LevelKind {
    /// Every kind, in code order.
    pub const ALL: [LevelKind; 12] = [
        LevelKind::HeightSea,
        LevelKind::Sigma,
        LevelKind::Pressure,
        LevelKind::Arbitrary,
        LevelKind::HeightGround,
        LevelKind::Hybrid,
        LevelKind::Theta,
        LevelKind::DepthSea,
        LevelKind::Hours,
        LevelKind::Integer,
        LevelKind::MatrixIndex,
        LevelKind::PressureMetres,
    ];

    /// librmn's kind code.
    pub fn code(self) -> i32 {
        match self {
            LevelKind::HeightSea => 0,
            LevelKind::Sigma => 1,
            LevelKind::Pressure => 2,
            LevelKind::Arbitrary => 3,
            LevelKind::HeightGround => 4,
            LevelKind::Hybrid => 5,
            LevelKind::Theta => 6,
            LevelKind::DepthSea => 7,
            LevelKind::Hours => 10,
            LevelKind::Integer => 15,
            LevelKind::MatrixIndex => 17,
            LevelKind::PressureMetres => 21,
        }
    }

    /// The kind of a librmn code, `None` for codes `ConvertIp` rejects.
    pub fn from_code(code: i32) -> Option<LevelKind> {
        LevelKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// librmn's unit label (`kind_to_string`, blanks trimmed): `"m"`, `"sg"`, `"mb"`,
    /// `""` (arbitrary), `"M"`, `"hy"`, `"th"`, `"m-"`, `"H"`, `"_0"`, `"[]"`, `"mp"`.
    pub fn unit_name(self) -> &'static str {
        match self {
            LevelKind::HeightSea => "m",
            LevelKind::Sigma => "sg",
            LevelKind::Pressure => "mb",
            LevelKind::Arbitrary => "",
            LevelKind::HeightGround => "M",
            LevelKind::Hybrid => "hy",
            LevelKind::Theta => "th",
            LevelKind::DepthSea => "m-",
            LevelKind::Hours => "H",
            LevelKind::Integer => "_0",
            LevelKind::MatrixIndex => "[]",
            LevelKind::PressureMetres => "mp",
        }
    }

    /// Whether librmn treats the kind as a vertical level (`is_level`).
    pub fn is_level(self) -> bool {
        self.code() <= 7 || self == LevelKind::PressureMetres
    }

    /// +1 if level values grow upwards, −1 if they shrink (pressure, sigma, depth), 0
    /// if unordered (librmn's `order` table, used to sort ranges).
    pub(super) fn order(self) -> i32 {
        match self {
            LevelKind::HeightSea | LevelKind::HeightGround | LevelKind::PressureMetres => 1,
            LevelKind::Sigma | LevelKind::Pressure | LevelKind::DepthSea => -1,
            _ => 0,
        }
    }

    pub(super) fn limits(self) -> Limits {
        let (low, high) = match self {
            LevelKind::HeightSea | LevelKind::HeightGround => (-20000.0, 100000.0),
            LevelKind::Sigma | LevelKind::Hybrid => (0.0, 1.0),
            LevelKind::Pressure => (0.0, 1100.0),
            LevelKind::Theta => (1.0, 200000.0),
            LevelKind::DepthSea => (0.0, 20000.0),
            LevelKind::Hours => (0.0, 1.0e10),
            LevelKind::MatrixIndex => (1.0, 1.0e10),
            LevelKind::PressureMetres => (0.0, 1_000_000.0),
            LevelKind::Arbitrary | LevelKind::Integer => (-4.8e8, 1.0e10),
        };
        let (zero, zero_to) = match self {
            LevelKind::Theta => (1.0, 1.0),
            LevelKind::PressureMetres => (1.001e-4, 0.0),
            _ => (0.0, 0.0),
        };
        let fact = match self {
            LevelKind::MatrixIndex => -1.0,
            LevelKind::PressureMetres => 1.0e4,
            _ => 1.0,
        };
        Limits {
            low,
            high,
            zero,
            zero_to,
            fact,
        }
    }
}
