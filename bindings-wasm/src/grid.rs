//! A record's grid for the inspector: the core's description in words, and the latitude
//! and longitude of every point when ig1..ig4 define them.

use js_sys::{Float64Array, Object};
use wasm_bindgen::{JsError, JsValue};

use fst24::grid::{describe, horizontal_grid};
use fst24::{Limits, RecordHeader};

use crate::errors::to_js;
use crate::values::set;

/// `{ description, lat, lon }`; `lat`/`lon` are null for grids whose coordinates live in
/// positional records (Z, Y, U: the browser has no `File` for the core to read them from)
/// or that have none (X).
pub(crate) fn grid_object(
    h: &RecordHeader,
    key: usize,
    limits: &Limits,
) -> Result<Object, JsError> {
    let grtyp = h.grtyp_char();
    let out = Object::new();
    let words = describe(grtyp, h.ni, h.nj, [h.ig1, h.ig2, h.ig3, h.ig4]);
    set(&out, "description", words.into());
    let mut lat = JsValue::NULL;
    let mut lon = JsValue::NULL;
    if matches!(grtyp, 'A' | 'B' | 'G' | 'L' | 'N' | 'S' | 'E') {
        // Two f64 per point: checked before the core allocates them.
        let bytes = u64::from(h.ni)
            .saturating_mul(u64::from(h.nj))
            .saturating_mul(16);
        limits
            .check_alloc(bytes)
            .map_err(|e| to_js(e.at(Some(key), None)))?;
        if let Some(grid) = horizontal_grid(&[], 0, h, key).map_err(to_js)? {
            let (lats, lons) = grid.points(); // separable grids keep only their axes
            lat = Float64Array::from(&*lats).into();
            lon = Float64Array::from(&*lons).into();
        }
    }
    set(&out, "lat", lat);
    set(&out, "lon", lon);
    Ok(out)
}
