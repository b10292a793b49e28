//! `write_frame`'s use of edited decoded columns (fstpy's `reduce_columns`): a row whose
//! `level`/`ip1_kind`, `ip2_dec`/`ip2_kind`, `ip3_dec`/`ip3_kind`, `date_of_observation`
//! or parsed etiket (`run`, `label`, `implementation`, `ensemble_member`) no longer match
//! its stored keys gets keys re-encoded from them. The rules live in the core
//! (`fst24::table::reencode_*`); this only reads the row.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use fst24::table::{reencode_date, reencode_etiket, reencode_ip, IpSlot};
use fst24::RecordHeader;

use crate::errors::usage;

/// The non-null value of column `name` in `row`.
fn get<'py>(row: &Bound<'py, PyDict>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(row.get_item(name)?.filter(|v| !v.is_none()))
}

fn text(row: &Bound<'_, PyDict>, name: &str) -> PyResult<Option<String>> {
    get(row, name)?.map(|v| v.extract()).transpose()
}

/// Updates the keys `kwargs` (from the row's stored columns) from the row's decoded ones.
pub(crate) fn apply(row: &Bound<'_, PyDict>, kwargs: &Bound<'_, PyDict>, n: usize) -> PyResult<()> {
    let bad = |e: &dyn std::fmt::Display| usage(format!("write_frame row {n}: {e}"));
    let nomvar = text(row, "nomvar")?.unwrap_or_default();
    let descriptor = RecordHeader::is_descriptor_name(nomvar.trim());
    for (slot, key, value, kind) in [
        (IpSlot::Ip1, "ip1", "level", "ip1_kind"),
        (IpSlot::Ip2, "ip2", "ip2_dec", "ip2_kind"),
        (IpSlot::Ip3, "ip3", "ip3_dec", "ip3_kind"),
    ] {
        let (Some(v), Some(k)) = (get(row, value)?, get(row, kind)?) else {
            continue;
        };
        let stored: i32 = get(kwargs, key)?.map_or(Ok(0), |s| s.extract())?;
        let ip = reencode_ip(slot, stored, descriptor, v.extract()?, k.extract()?)
            .map_err(|e| bad(&e))?;
        kwargs.set_item(key, ip)?;
    }
    if let Some(date) = get(row, "date_of_observation")? {
        let py = row.py();
        let secs: i64 = py
            .import("calendar")?
            .call_method1("timegm", (date.call_method0("utctimetuple")?,))?
            .extract()?;
        let stored: i32 = get(kwargs, "dateo")?.map_or(Ok(0), |s| s.extract())?;
        let dateo = reencode_date(stored, secs).map_err(|e| bad(&e))?;
        kwargs.set_item("dateo", dateo)?;
    }
    if let Some(label) = text(row, "label")? {
        let stored = text(kwargs, "etiket")?.unwrap_or_default();
        let etiket = reencode_etiket(
            &stored,
            text(row, "run")?.as_deref(),
            &label,
            text(row, "implementation")?.as_deref(),
            text(row, "ensemble_member")?.as_deref(),
        );
        kwargs.set_item("etiket", etiket)?;
    }
    Ok(())
}
