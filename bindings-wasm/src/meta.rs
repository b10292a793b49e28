//! A record's metadata as a plain JavaScript object.

use js_sys::Object;
use wasm_bindgen::JsValue;

use fst24::container::DirEntry;
use fst24::ip::{Level, PkTriple};
use fst24::record::RecordSummary;
use fst24::RecordHeader;

use crate::values::set;

/// Every key under librmn's `fstprm` name (strings kept blank padded, as stored), plus
/// `position`, directory `index`, `dataType` label (`R16`, `E32`, ...), `elementType`,
/// byte `offset`/`storedBytes`, extended metadata (RSF), decoded levels (`level` for ip1,
/// `ip2Decoded`, `ip3Decoded`, and `pk` for the three read together) and dates (`datevIso`, `datevUnix`, `dateoIso`, `dateoUnix`).
pub(crate) fn record_object(position: usize, h: &RecordHeader, e: &DirEntry) -> Object {
    let o = Object::new();
    let num = |o: &Object, k: &str, v: f64| set(o, k, JsValue::from(v));
    num(&o, "position", position as f64);
    num(&o, "index", e.index as f64);
    set(&o, "nomvar", h.nomvar.as_str().into());
    set(&o, "typvar", h.typvar.as_str().into());
    set(&o, "etiket", h.etiket.as_str().into());
    set(&o, "grtyp", h.grtyp_char().to_string().into());
    for (k, v) in [("ni", h.ni), ("nj", h.nj), ("nk", h.nk)] {
        num(&o, k, f64::from(v));
    }
    for (k, v) in [
        ("dateo", h.dateo),
        ("datev", h.datev),
        ("deet", h.deet),
        ("npas", h.npas),
        ("ip1", h.ip1),
        ("ip2", h.ip2),
        ("ip3", h.ip3),
        ("ig1", h.ig1),
        ("ig2", h.ig2),
        ("ig3", h.ig3),
        ("ig4", h.ig4),
    ] {
        num(&o, k, f64::from(v));
    }
    num(&o, "datyp", f64::from(h.datyp.raw()));
    num(&o, "nbits", f64::from(h.nbits));
    let summary = RecordSummary::new(h);
    num(&o, "dataBits", f64::from(summary.data_bits));
    num(&o, "ubc", f64::from(h.ubc));
    set(&o, "dataType", summary.data_type.as_str().into());
    let element = summary.element_type;
    set(
        &o,
        "elementType",
        element.map_or(JsValue::NULL, JsValue::from),
    );
    num(&o, "offset", e.record_offset as f64);
    num(&o, "storedBytes", e.record_len as f64);
    let extended = e.extended_metadata.as_deref();
    set(
        &o,
        "metadata",
        extended.map_or(JsValue::NULL, JsValue::from),
    );
    set(&o, "level", optional_level(summary.level));
    set(&o, "ip2Decoded", optional_level(summary.ip2_decoded));
    set(&o, "ip3Decoded", optional_level(summary.ip3_decoded));
    set(&o, "pk", summary.pk.map_or(JsValue::NULL, pk_object));
    let dates = [
        ("datev", summary.datev_unix, summary.datev_iso),
        ("dateo", summary.dateo_unix, summary.dateo_iso),
    ];
    for (name, unix, iso) in dates {
        let unix = unix.map_or(JsValue::NULL, |s| JsValue::from(s as f64));
        set(&o, &format!("{name}Unix"), unix);
        set(
            &o,
            &format!("{name}Iso"),
            iso.map_or(JsValue::NULL, JsValue::from),
        );
    }
    o
}

/// `{ value, kind, unit }` of a decoded ip, or `null` for a code that is not a valid
/// encoding.
fn optional_level(level: Option<Level>) -> JsValue {
    level.map_or(JsValue::NULL, |l| level_object(l).into())
}

/// `{ value, kind, unit }` of a decoded ip.
fn level_object(level: Level) -> Object {
    let o = Object::new();
    set(&o, "value", JsValue::from(f64::from(level.value)));
    set(&o, "kind", JsValue::from(level.kind.code()));
    set(&o, "unit", JsValue::from(level.kind.unit_name()));
    o
}

/// `{ level, time, third, status }`: the three ips read together as librmn 20's
/// `ConvertIPtoPK` does (ip2 a time in hours, ...).
fn pk_object(pk: PkTriple) -> JsValue {
    let o = Object::new();
    for (name, level) in [("level", pk.level), ("time", pk.time), ("third", pk.third)] {
        set(&o, name, level_object(level).into());
    }
    set(&o, "status", JsValue::from(pk.status.0));
    o.into()
}
