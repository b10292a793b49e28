//! [`RecordSummary`]: what the bindings show of a record beyond its raw keys (packing
//! label, decoded levels and dates), computed once here so every binding agrees.

use crate::ip::{self, Level, PkTriple};
use crate::time;

use super::RecordHeader;

/// The derived, human-facing fields of one record's keys.
///
/// The raw keys stay in [`RecordHeader`]; this holds what is computed from them.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary {
    /// Short label of the packing, e.g. `R16`, `E32`, `F16z`.
    pub data_type: String,
    /// Element type the record decodes to (`f32`, `i16`, ...), `None` if undecodable.
    pub element_type: Option<&'static str>,
    /// Element size of the writer's array in bits (a stored 0 resolved).
    pub data_bits: u8,
    /// ip1 decoded as librmn's `ConvertIp` does (`None` for an invalid code).
    pub level: Option<Level>,
    /// ip2 decoded the same way.
    pub ip2_decoded: Option<Level>,
    /// ip3 decoded the same way.
    pub ip3_decoded: Option<Level>,
    /// The three ips read together as librmn 20's `ConvertIPtoPK` does; `None` when they
    /// do not decode.
    pub pk: Option<PkTriple>,
    /// Valid date as `YYYY-MM-DDTHH:MM:SSZ` (`None` when the stamp is not a date).
    pub datev_iso: Option<String>,
    /// Valid date in seconds since 1970-01-01T00:00Z.
    pub datev_unix: Option<i64>,
    /// Origin date as `YYYY-MM-DDTHH:MM:SSZ`.
    pub dateo_iso: Option<String>,
    /// Origin date in seconds since 1970-01-01T00:00Z.
    pub dateo_unix: Option<i64>,
}

impl RecordSummary {
    /// Derives the summary of one record's keys.
    pub fn new(h: &RecordHeader) -> Self {
        RecordSummary {
            data_type: h.datyp.label(h.nbits),
            element_type: h.element_type().map(super::datyp::ElementType::name),
            data_bits: h.effective_data_bits(),
            level: ip::decode_ip(h.ip1),
            ip2_decoded: ip::decode_ip(h.ip2),
            ip3_decoded: ip::decode_ip(h.ip3),
            pk: ip::ip_to_pk(h.ip1, h.ip2, h.ip3).ok(),
            datev_iso: time::stamp_to_iso(h.datev),
            datev_unix: time::stamp_to_unix(h.datev),
            dateo_iso: time::stamp_to_iso(h.dateo),
            dateo_unix: time::stamp_to_unix(h.dateo),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::header;

    #[test]
    fn decodes_levels_dates_and_packing() {
        let mut h = header(1, 16, 0, 4, 2, 1);
        h.ip1 = 41394464; // 500 hPa, new style
        h.ip2 = 6;
        h.datev = 478263500; // 2025-01-02 03Z
        h.dateo = 0;
        let s = RecordSummary::new(&h);
        assert_eq!(s.data_type, "R16");
        assert_eq!(s.element_type, Some("f32"));
        assert_eq!(s.data_bits, 32);
        let level = s.level.unwrap();
        assert_eq!((level.value, level.kind.unit_name()), (500.0, "mb"));
        assert_eq!(s.pk.unwrap().level, level);
        assert_eq!(s.datev_iso.as_deref(), Some("2025-01-02T03:00:00Z"));
        assert_eq!(s.datev_unix, Some(1_735_786_800));
        assert_eq!((s.dateo_iso, s.dateo_unix), (None, None));
    }
}
