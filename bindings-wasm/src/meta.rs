//! A record's metadata as a plain JavaScript object.

use js_sys::Object;
use wasm_bindgen::JsValue;

use fst24::container::DirEntry;
use fst24::{ip, time, RecordHeader};

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
    num(&o, "dataBits", f64::from(h.effective_data_bits()));
    num(&o, "ubc", f64::from(h.ubc));
    set(&o, "dataType", h.datyp.label(h.nbits).into());
    let element = h.element_type().map(|t| t.name());
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
    set(&o, "level", level_object(h.ip1));
    set(&o, "ip2Decoded", level_object(h.ip2));
    set(&o, "ip3Decoded", level_object(h.ip3));
    set(&o, "pk", pk_object(h.ip1, h.ip2, h.ip3));
    for (name, stamp) in [("datev", h.datev), ("dateo", h.dateo)] {
        let unix = time::stamp_to_unix(stamp).map_or(JsValue::NULL, |s| JsValue::from(s as f64));
        set(&o, &format!("{name}Unix"), unix);
        let iso = iso_date(stamp).map_or(JsValue::NULL, JsValue::from);
        set(&o, &format!("{name}Iso"), iso);
    }
    o
}

/// `{ value, kind, unit }` of an ip decoded as librmn's `ConvertIp` does, or `null` for a
/// code that is not a valid encoding.
fn level_object(ip: i32) -> JsValue {
    match ip::decode_ip(ip) {
        None => JsValue::NULL,
        Some(level) => {
            let o = Object::new();
            set(&o, "value", JsValue::from(f64::from(level.value)));
            set(&o, "kind", JsValue::from(level.kind.code()));
            set(&o, "unit", JsValue::from(level.kind.unit_name()));
            o.into()
        }
    }
}

/// `{ level, time, third, status }`: the three ips read together as librmn 20's
/// `ConvertIPtoPK` does (ip2 a time in hours, ...), or `null` when they do not decode.
fn pk_object(ip1: i32, ip2: i32, ip3: i32) -> JsValue {
    let Ok(pk) = ip::ip_to_pk(ip1, ip2, ip3) else {
        return JsValue::NULL;
    };
    let o = Object::new();
    for (name, level) in [("level", pk.level), ("time", pk.time), ("third", pk.third)] {
        let l = Object::new();
        set(&l, "value", JsValue::from(f64::from(level.value)));
        set(&l, "kind", JsValue::from(level.kind.code()));
        set(&l, "unit", JsValue::from(level.kind.unit_name()));
        set(&o, name, l.into());
    }
    set(&o, "status", JsValue::from(pk.status.0));
    o.into()
}

/// A stamp as `YYYY-MM-DDTHH:MM:SSZ`, `None` when it is not a date (0, -1, ...).
fn iso_date(stamp: i32) -> Option<String> {
    time::stamp_to_unix(stamp)?;
    let (ymd, hms) = time::stamp_to_printable(stamp).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        ymd / 10000,
        ymd / 100 % 100,
        ymd % 100,
        hms / 1_000_000,
        hms / 10000 % 100,
        hms / 100 % 100
    ))
}
