//! A record's grid for the inspector: the core's description in words, and the latitude
//! and longitude of every point from the core (for Z, Y and U grids, from the `>>`, `^^`
//! and `^>` records it reads through the fetched bytes).

use js_sys::{Float64Array, Object};
use wasm_bindgen::{JsError, JsValue};

use fst24::grid::{describe, horizontal_grid};
use fst24::{File, Limits, RecordHeader};

use crate::errors::to_js;
use crate::values::set;

/// `{ description, lat, lon, note }`; `lat`/`lon` are null, and `note` says why, for grids
/// without geography (X) or whose coordinates the core cannot compute (positional
/// records absent, not fetched yet, or inconsistent).
pub(crate) fn grid_object(
    file: &File,
    h: &RecordHeader,
    key: usize,
    limits: &Limits,
) -> Result<Object, JsError> {
    let grtyp = h.grtyp_char();
    let out = Object::new();
    let words = describe(grtyp, h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]);
    set(&out, "description", words.into());
    // Two f64 per point: checked before the core allocates them.
    let bytes = u64::from(h.ni)
        .saturating_mul(u64::from(h.nj))
        .saturating_mul(16);
    limits
        .check_alloc(bytes)
        .map_err(|e| to_js(e.at(Some(key), None)))?;
    let mut lat = JsValue::NULL;
    let mut lon = JsValue::NULL;
    let note = match horizontal_grid(&[file], 0, h, key) {
        Ok(Some(grid)) => {
            let (lats, lons) = grid.points(); // separable grids keep only their axes
            lat = Float64Array::from(&*lats).into();
            lon = Float64Array::from(&*lons).into();
            JsValue::NULL
        }
        Ok(None) => JsValue::from_str("the grid has no latitude and longitude"),
        Err(e) => JsValue::from_str(&e.to_string()),
    };
    set(&out, "lat", lat);
    set(&out, "lon", lon);
    set(&out, "note", note);
    Ok(out)
}
