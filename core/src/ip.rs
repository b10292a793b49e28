//! ip1/ip2/ip3 encoding: levels, times and codes (`ConvertIp`, `ConvertIPtoPK`).
//!
//! An ip is either *old style* (0..32767, a few fixed ranges per kind) or *new style*
//! (`kind << 24 | exponent << 20 | mantissa`, above 32767). Spec: `shared/spec/xdf.md` §5;
//! librmn `src/fst/convip_plus.f90` and `convert_ip123.f90`.
//!
//! ```
//! use fst24::ip::{decode_ip, encode_ip, ip_to_pk, IpStyle, LevelKind};
//! let ip1 = encode_ip(500.0, LevelKind::Pressure, IpStyle::New)?;
//! assert_eq!(ip1, 41394464);
//! let level = decode_ip(ip1).unwrap();
//! assert_eq!((level.value, level.kind.unit_name()), (500.0, "mb"));
//! let triple = ip_to_pk(ip1, 6, 0)?; // an old-style ip2 is hours
//! assert_eq!((triple.time.value, triple.time.kind), (6.0, LevelKind::Hours));
//! # Ok::<(), fst24::ip::IpError>(())
//! ```

mod convip;
mod kind;
mod pk;

pub use convip::{decode_ip, encode_ip, is_new_style};
pub use kind::LevelKind;
pub use pk::{ip_to_pk, ip_to_pk_librmn19, pk_to_ip, PkStatus, PkTriple};

/// A decoded ip: a value and what it measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// The value in the kind's unit (single precision, as librmn computes it).
    pub value: f32,
    /// What the value is (height, pressure, hours, …).
    pub kind: LevelKind,
}

/// Which encoding [`encode_ip`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IpStyle {
    /// 28-bit new style (`ConvertIp` mode 2): every kind, what modern writers use.
    #[default]
    New,
    /// Pre-2000 old style (`ConvertIp` mode 3): kinds 0..3 only, coarse.
    Old,
}

/// Why an ip could not be encoded or a triple not interpreted.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IpError {
    /// The value is outside what the kind accepts.
    #[error("value {value} out of range for {kind:?}")]
    OutOfRange {
        /// Value given.
        value: f32,
        /// Kind given.
        kind: LevelKind,
    },
    /// The kind has no old-style encoding (only 0..3 have one).
    #[error("{0:?} has no old-style encoding")]
    NoOldStyle(LevelKind),
    /// An ip of the triple is negative or not a valid encoding.
    #[error("ip {0} is not a valid encoding")]
    InvalidIp(i32),
    /// ip1 (after librmn's swap with a time in ip2) is not a level, or ip2 is neither a
    /// time nor a level.
    #[error("ip {0} does not hold the kind its position requires")]
    WrongKind(i32),
}
