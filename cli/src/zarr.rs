//! A zarr v2 directory store for a dataset plan: `.zgroup`, `.zattrs`, one folder per
//! array with `.zarray`/`.zattrs` (xarray's `_ARRAY_DIMENSIONS`), uncompressed
//! little-endian chunks, and consolidated metadata in `.zmetadata`.
//!
//! Data variables get one chunk per record (outer dimensions chunked by 1), so a reader
//! can load one level or time step without the rest; coordinates are one chunk.

use std::path::Path;

use serde_json::{json, Map, Value};

use fst24::dataset::{AttrValue, Attrs, DatasetPlan};
use fst24::{ElementType, Values};

use crate::bytes::extend_bytes;
use crate::convert::{Sink, Skipped};

fn dtype(et: ElementType) -> &'static str {
    match et {
        ElementType::F32 => "<f4",
        ElementType::F64 => "<f8",
        ElementType::I8 => "|i1",
        ElementType::I16 => "<i2",
        ElementType::I32 => "<i4",
        ElementType::I64 => "<i8",
        ElementType::U8 | ElementType::Char => "|u1",
        ElementType::U16 => "<u2",
        ElementType::U32 | ElementType::Word => "<u4",
        ElementType::U64 => "<u8",
        ElementType::C64 => "<c8",
        ElementType::C128 => "<c16",
        _ => "|u1",
    }
}

/// The fill value: NaN for reals; for integer fields with missing points, the markers
/// the reader puts there (signed minimum, unsigned maximum), so readers mask them.
fn fill_value(et: ElementType, missing: bool) -> Value {
    match et {
        ElementType::F32 | ElementType::F64 => json!("NaN"),
        _ if !missing => Value::Null,
        ElementType::I8 => json!(i8::MIN),
        ElementType::I16 => json!(i16::MIN),
        ElementType::I32 => json!(i32::MIN),
        ElementType::I64 => json!(i64::MIN),
        ElementType::U8 => json!(u8::MAX),
        ElementType::U16 => json!(u16::MAX),
        ElementType::U32 => json!(u32::MAX),
        ElementType::U64 => json!(u64::MAX),
        _ => Value::Null,
    }
}

fn attr_json(v: &AttrValue) -> Value {
    match v {
        AttrValue::Str(s) => json!(s),
        AttrValue::F64(x) if x.is_finite() => json!(x),
        AttrValue::F64(x) => json!(x.to_string()),
        AttrValue::I64(x) => json!(x),
        AttrValue::F64s(v) => json!(v),
        AttrValue::I64s(v) => json!(v),
        _ => Value::Null,
    }
}

fn attrs_json(attrs: &Attrs, dims: Option<&[String]>) -> Value {
    let mut m = Map::new();
    if let Some(d) = dims {
        m.insert("_ARRAY_DIMENSIONS".into(), json!(d));
    }
    for (k, v) in attrs {
        m.insert(k.clone(), attr_json(v));
    }
    Value::Object(m)
}

fn zarray(shape: &[usize], chunks: &[usize], et: ElementType, missing: bool) -> Value {
    json!({
        "zarr_format": 2,
        "shape": shape,
        "chunks": chunks,
        "dtype": dtype(et),
        "compressor": null,
        "fill_value": fill_value(et, missing),
        "filters": null,
        "order": "C",
        "dimension_separator": ".",
    })
}

struct Store<'a> {
    root: &'a Path,
    consolidated: Map<String, Value>,
}

impl Store<'_> {
    fn json(&mut self, key: &str, value: Value) -> Result<(), String> {
        let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
        self.file(key, text.as_bytes())?;
        self.consolidated.insert(key.to_string(), value);
        Ok(())
    }

    fn file(&self, key: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.root.join(key);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Chunk key of chunk `index` (C order over `grid`), inner dimensions one chunk each.
fn chunk_key(name: &str, mut index: usize, grid: &[usize], inner: usize) -> String {
    let mut parts = vec![0usize; grid.len()];
    for (p, &n) in parts.iter_mut().zip(grid).rev() {
        *p = index % n.max(1);
        index /= n.max(1);
    }
    parts.extend(std::iter::repeat_n(0, inner));
    let key: Vec<String> = parts.iter().map(std::string::ToString::to_string).collect();
    if key.is_empty() {
        format!("{name}/0")
    } else {
        format!("{name}/{}", key.join("."))
    }
}

/// Writes `plan` as a zarr v2 store in the (new or empty) directory `root`.
pub(crate) fn write(
    plan: &DatasetPlan,
    root: &Path,
    sink: &mut dyn Sink,
) -> Result<Vec<Skipped>, String> {
    let mut store = Store {
        root,
        consolidated: Map::new(),
    };
    store.json(".zgroup", json!({"zarr_format": 2}))?;
    store.json(".zattrs", attrs_json(&plan.attrs, None))?;
    let mut buf = Vec::new();
    for c in &plan.coords {
        let shape: Vec<usize> = c
            .dims
            .iter()
            .map(|d| plan.dim_len(d).unwrap_or(0))
            .collect();
        let (et, values) = if c.values.scalar_len() == 0 && c.dims.is_empty() {
            // A grid mapping: a scalar carrying only attributes.
            (ElementType::I32, Values::I32(vec![0]))
        } else {
            (c.values.element_type(), c.values.clone())
        };
        store.json(
            &format!("{}/.zarray", c.name),
            zarray(&shape, &shape, et, false),
        )?;
        store.json(
            &format!("{}/.zattrs", c.name),
            attrs_json(&c.attrs, Some(&c.dims)),
        )?;
        buf.clear();
        extend_bytes(&mut buf, &values, false);
        let inner = shape.len();
        store.file(&chunk_key(&c.name, 0, &[], inner), &buf)?;
    }
    for (i, v) in plan.variables.iter().enumerate() {
        let outer = &v.shape[..v.outer_ndim];
        let mut chunks = vec![1usize; v.outer_ndim];
        chunks.extend_from_slice(&v.shape[v.outer_ndim..]);
        store.json(
            &format!("{}/.zarray", v.name),
            zarray(&v.shape, &chunks, v.dtype, v.missing),
        )?;
        store.json(
            &format!("{}/.zattrs", v.name),
            attrs_json(&v.attrs, Some(&v.dims)),
        )?;
        let n_chunks = outer
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .ok_or_else(|| format!("variable {}: too many chunks {outer:?}", v.name))?;
        let parts = sink.parts(i);
        if n_chunks == 0 || parts == 0 {
            continue;
        }
        // Each part holds the same number of whole chunks (records), in C order.
        let chunks_per_part = n_chunks / parts;
        for part in 0..parts {
            let values = sink.read(i, part)?;
            buf.clear();
            extend_bytes(&mut buf, &values, false);
            if buf.is_empty() {
                continue;
            }
            let per_chunk = (buf.len() / chunks_per_part.max(1)).max(1);
            for (k, chunk) in buf.chunks(per_chunk).enumerate() {
                let index = part * chunks_per_part + k;
                let key = chunk_key(&v.name, index, outer, v.shape.len() - v.outer_ndim);
                store.file(&key, chunk)?;
            }
        }
    }
    let meta = json!({
        "zarr_consolidated_format": 1,
        "metadata": Value::Object(std::mem::take(&mut store.consolidated)),
    });
    let text = serde_json::to_string_pretty(&meta).map_err(|e| e.to_string())?;
    store.file(".zmetadata", text.as_bytes())?;
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_keys() {
        assert_eq!(chunk_key("TT", 0, &[], 0), "TT/0");
        assert_eq!(chunk_key("TT", 0, &[], 2), "TT/0.0");
        assert_eq!(chunk_key("TT", 5, &[2, 3], 2), "TT/1.2.0.0");
    }
}
