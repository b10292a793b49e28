//! A record's metadata as a plain object.

use napi_derive::napi;

use fst24::record::RecordSummary;
use fst24::{ip, Record};

/// Metadata of one record: every key under librmn's `fstprm` name (strings blank padded,
/// as stored), plus where it is and how it is packed.
#[napi(object)]
pub struct RecordMeta {
    /// Position in `records()` (what `readRecord` takes).
    pub position: u32,
    /// Directory position (deleted entries counted, librmn's `file_index`).
    pub index: u32,
    /// Variable name (4 characters).
    pub nomvar: String,
    /// Type of field (2 characters).
    pub typvar: String,
    /// Label (12 characters).
    pub etiket: String,
    /// Grid type letter.
    pub grtyp: String,
    /// First dimension.
    pub ni: u32,
    /// Second dimension.
    pub nj: u32,
    /// Third dimension.
    pub nk: u32,
    /// Origin date stamp.
    pub dateo: i32,
    /// Valid date stamp.
    pub datev: i32,
    /// Time step length (s).
    pub deet: i32,
    /// Time step number.
    pub npas: i32,
    /// Level code.
    pub ip1: i32,
    /// Time code.
    pub ip2: i32,
    /// Free code.
    pub ip3: i32,
    /// Grid descriptor 1.
    pub ig1: i32,
    /// Grid descriptor 2.
    pub ig2: i32,
    /// Grid descriptor 3.
    pub ig3: i32,
    /// Grid descriptor 4.
    pub ig4: i32,
    /// Stored data type code, flags (+64 missing, +128 turbo) included.
    pub datyp: u32,
    /// Packed bits per value.
    pub nbits: u32,
    /// Element size of the writer's array in bits.
    pub data_bits: u32,
    /// Unused bit count.
    pub ubc: u32,
    /// Short label of the packing, e.g. `R16`, `E32`, `F16z`.
    pub data_type: String,
    /// Element type the record decodes to (`f32`, `i16`, ...), null if undecodable.
    pub element_type: Option<String>,
    /// Byte offset of the record in the file.
    pub offset: f64,
    /// Stored size of the record in bytes.
    pub stored_bytes: f64,
    /// Extended JSON metadata (RSF), as stored.
    pub metadata: Option<String>,
    /// ip1 decoded as librmn's `ConvertIp` does (null for an invalid code).
    pub level: Option<DecodedIp>,
    /// ip2 decoded the same way.
    pub ip2_decoded: Option<DecodedIp>,
    /// ip3 decoded the same way.
    pub ip3_decoded: Option<DecodedIp>,
    /// The three ips read together as librmn 20's `ConvertIPtoPK` does (ip2 a time, ...);
    /// null when they do not decode.
    pub pk: Option<DecodedPk>,
    /// Valid date as `YYYY-MM-DDTHH:MM:SSZ` (null when the stamp is not a date).
    pub datev_iso: Option<String>,
    /// Valid date in seconds since 1970-01-01T00:00Z.
    pub datev_unix: Option<f64>,
    /// Origin date as `YYYY-MM-DDTHH:MM:SSZ`.
    pub dateo_iso: Option<String>,
    /// Origin date in seconds since 1970-01-01T00:00Z.
    pub dateo_unix: Option<f64>,
}

/// An ip decoded to a value and what it measures.
#[napi(object)]
pub struct DecodedIp {
    /// The value (single precision, as librmn computes it).
    pub value: f64,
    /// librmn's kind code (0 m, 1 sigma, 2 mb, 3 arbitrary, 4 m above ground, 5 hybrid, ...).
    pub kind: i32,
    /// librmn's unit label (`mb`, `sg`, `hy`, `H`, ...).
    pub unit: String,
}

impl From<ip::Level> for DecodedIp {
    fn from(level: ip::Level) -> Self {
        DecodedIp {
            value: f64::from(level.value),
            kind: level.kind.code(),
            unit: level.kind.unit_name().to_owned(),
        }
    }
}

/// ip1, ip2 and ip3 read together (`ConvertIPtoPK`).
#[napi(object)]
pub struct DecodedPk {
    /// The level (from ip1).
    pub level: DecodedIp,
    /// The time, normally hours (from ip2).
    pub time: DecodedIp,
    /// The third value (from ip3).
    pub third: DecodedIp,
    /// librmn's guess-quality flags (2 good guess, 4 bad, 8 terrible, 32 warning).
    pub status: i32,
}

impl From<ip::PkTriple> for DecodedPk {
    fn from(pk: ip::PkTriple) -> Self {
        DecodedPk {
            level: pk.level.into(),
            time: pk.time.into(),
            third: pk.third.into(),
            status: pk.status.0,
        }
    }
}

impl RecordMeta {
    pub(crate) fn new(position: usize, rec: &Record) -> Self {
        let h = &rec.header;
        let s = RecordSummary::new(h);
        RecordMeta {
            position: position as u32,
            index: rec.index as u32,
            nomvar: h.nomvar.as_str().to_owned(),
            typvar: h.typvar.as_str().to_owned(),
            etiket: h.etiket.as_str().to_owned(),
            grtyp: h.grtyp_char().to_string(),
            ni: h.ni,
            nj: h.nj,
            nk: h.nk,
            dateo: h.dateo,
            datev: h.datev,
            deet: h.deet,
            npas: h.npas,
            ip1: h.ip1,
            ip2: h.ip2,
            ip3: h.ip3,
            ig1: h.ig1,
            ig2: h.ig2,
            ig3: h.ig3,
            ig4: h.ig4,
            datyp: u32::from(h.datyp.raw()),
            nbits: u32::from(h.nbits),
            data_bits: u32::from(s.data_bits),
            ubc: u32::from(h.ubc),
            data_type: s.data_type,
            element_type: s.element_type.map(str::to_owned),
            offset: rec.file_offset() as f64,
            stored_bytes: rec.stored_bytes() as f64,
            metadata: rec.extended_metadata().map(str::to_owned),
            level: s.level.map(DecodedIp::from),
            ip2_decoded: s.ip2_decoded.map(DecodedIp::from),
            ip3_decoded: s.ip3_decoded.map(DecodedIp::from),
            pk: s.pk.map(DecodedPk::from),
            datev_iso: s.datev_iso,
            datev_unix: s.datev_unix.map(|t| t as f64),
            dateo_iso: s.dateo_iso,
            dateo_unix: s.dateo_unix.map(|t| t as f64),
        }
    }
}
