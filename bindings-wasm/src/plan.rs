//! The core's dataset plan as a JavaScript object, for the inspector's variable view:
//! which record holds each (time, level, ...) step of each variable, and the values
//! of the 1-D axes to label the steps with.

use js_sys::{Array, Float64Array, Object};
use wasm_bindgen::JsValue;

use fst24::dataset::{AttrValue, Attrs, DatasetPlan};
use fst24::Values;

use crate::values::set;

/// `{ dims, coords, variables, warnings }` (see `FstDirectory::plan`).
pub(crate) fn plan_object(plan: &DatasetPlan) -> Object {
    let dims = Array::new();
    for d in &plan.dims {
        let o = Object::new();
        set(&o, "name", d.name.as_str().into());
        set(&o, "len", (d.len as f64).into());
        dims.push(&o);
    }
    // 1-D axes only: 2-D lat/lon are the grid's business (`grid(key)`).
    let coords = Array::new();
    for c in plan.coords.iter().filter(|c| c.dims.len() <= 1) {
        let o = Object::new();
        set(&o, "name", c.name.as_str().into());
        set(&o, "dims", strings(&c.dims).into());
        set(&o, "values", numbers(&c.values));
        text_attrs(&o, &c.attrs);
        coords.push(&o);
    }
    let variables = Array::new();
    for v in &plan.variables {
        let o = Object::new();
        set(&o, "name", v.name.as_str().into());
        set(&o, "dims", strings(&v.dims).into());
        let shape: Vec<f64> = v.shape.iter().map(|&n| n as f64).collect();
        set(&o, "shape", Float64Array::from(shape.as_slice()).into());
        set(&o, "outer_ndim", (v.outer_ndim as f64).into());
        // One record a step: a `#` variable has one per tile, the first present stands
        // for the step.
        let keys: Vec<f64> = v
            .records
            .chunks(v.tiles.len().max(1))
            .map(|step| {
                step.iter()
                    .flatten()
                    .next()
                    .map_or(-1.0, |&(_, key)| key as f64)
            })
            .collect();
        set(&o, "records", Float64Array::from(keys.as_slice()).into());
        set(&o, "missing", v.missing.into());
        text_attrs(&o, &v.attrs);
        variables.push(&o);
    }
    let out = Object::new();
    set(&out, "dims", dims.into());
    set(&out, "coords", coords.into());
    set(&out, "variables", variables.into());
    set(&out, "warnings", strings(&plan.warnings).into());
    out
}

fn strings(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// Numeric values as a Float64Array; null for characters and raw words.
fn numbers(values: &Values) -> JsValue {
    let v: Vec<f64> = match values {
        Values::F64(v) => v.clone(),
        Values::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Values::I32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Values::I64(v) => v.iter().map(|&x| x as f64).collect(),
        Values::I16(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Values::U32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        _ => return JsValue::NULL,
    };
    Float64Array::from(v.as_slice()).into()
}

/// The string attributes people read (`units`, `long_name`, `standard_name`).
fn text_attrs(o: &Object, attrs: &Attrs) {
    for (name, value) in attrs {
        if matches!(name.as_str(), "units" | "long_name" | "standard_name") {
            if let AttrValue::Str(s) = value {
                set(o, name, s.as_str().into());
            }
        }
    }
}
