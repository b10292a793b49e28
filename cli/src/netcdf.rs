//! A NetCDF (classic CDF-2, or CDF-5 when a type or size needs it) writer for a dataset
//! plan, in pure Rust: header first, then each variable's data, big-endian.

mod header;

use std::io::{BufWriter, Seek, SeekFrom, Write};

use fst24::dataset::{AttrValue, Attrs, DatasetPlan};
use fst24::{ElementType, Values};

use crate::bytes::extend_bytes;
use crate::convert::{Sink, Skipped};
use header::{NcAttr, NcHeader, NcType, NcVar};

/// NetCDF type of an element type; complex numbers have none.
fn nc_type(et: ElementType) -> Option<NcType> {
    Some(match et {
        ElementType::F32 => NcType::Float,
        ElementType::F64 => NcType::Double,
        ElementType::I8 => NcType::Byte,
        ElementType::I16 => NcType::Short,
        ElementType::I32 => NcType::Int,
        ElementType::I64 => NcType::Int64,
        ElementType::U8 => NcType::UByte,
        ElementType::U16 => NcType::UShort,
        ElementType::U32 | ElementType::Word => NcType::UInt,
        ElementType::U64 => NcType::UInt64,
        ElementType::Char => NcType::Char,
        _ => return None,
    })
}

/// Unsigned types of up to 32 bits as their signed twin plus `_Unsigned = "true"` (the
/// netCDF Users' Guide convention xarray and netCDF4-python decode), so that the file
/// stays CDF-2, which every reader (scipy's too) opens; only 64-bit integers and huge
/// variables need CDF-5.
fn classic_twin(ty: NcType) -> (NcType, Option<NcAttr>) {
    let signed = match ty {
        NcType::UByte => NcType::Byte,
        NcType::UShort => NcType::Short,
        NcType::UInt => NcType::Int,
        _ => return (ty, None),
    };
    (
        signed,
        Some(attr("_Unsigned", &AttrValue::Str("true".into()))),
    )
}

/// The type and attributes of a variable of `ty` as written (see [`classic_twin`]);
/// the attributes' `_FillValue` and `flag_values` take the stored type (same bytes).
fn stored(ty: NcType, mut attrs: Vec<NcAttr>) -> (NcType, Vec<NcAttr>) {
    let (stored, unsigned) = classic_twin(ty);
    for a in &mut attrs {
        if matches!(a.name.as_str(), "_FillValue" | "flag_values") && a.ty == ty {
            a.ty = stored;
        }
    }
    attrs.extend(unsigned);
    (stored, attrs)
}

fn attr(name: &str, value: &AttrValue) -> NcAttr {
    let (ty, nelems, bytes) = match value {
        AttrValue::Str(s) => (NcType::Char, s.len() as u64, s.as_bytes().to_vec()),
        AttrValue::F64(x) => (NcType::Double, 1, x.to_be_bytes().to_vec()),
        AttrValue::I64(x) => match i32::try_from(*x) {
            Ok(small) => (NcType::Int, 1, small.to_be_bytes().to_vec()),
            // Wider than CDF-2's int: a double keeps it readable everywhere.
            Err(_) => (NcType::Double, 1, (*x as f64).to_be_bytes().to_vec()),
        },
        AttrValue::F64s(v) => (
            NcType::Double,
            v.len() as u64,
            v.iter().flat_map(|x| x.to_be_bytes()).collect(),
        ),
        AttrValue::I64s(v) => match v.iter().map(|&x| i32::try_from(x)).collect() {
            Ok(small) => {
                let small: Vec<i32> = small;
                (
                    NcType::Int,
                    v.len() as u64,
                    small.iter().flat_map(|x| x.to_be_bytes()).collect(),
                )
            }
            Err(_) => (
                NcType::Double,
                v.len() as u64,
                v.iter().flat_map(|&x| (x as f64).to_be_bytes()).collect(),
            ),
        },
        _ => (NcType::Char, 0, Vec::new()),
    };
    NcAttr {
        name: name.to_string(),
        ty,
        nelems,
        bytes,
    }
}

/// Integer values as an attribute of type `ty` (CF wants `flag_values` of the variable's
/// type); `None` for types that hold no numbers.
fn typed_ints(name: &str, ty: NcType, values: &[i64]) -> Option<NcAttr> {
    let bytes: Vec<u8> = match ty {
        NcType::Byte | NcType::UByte => values.iter().map(|&x| x as u8).collect(),
        NcType::Short | NcType::UShort => values
            .iter()
            .flat_map(|&x| (x as i16).to_be_bytes())
            .collect(),
        NcType::Int | NcType::UInt => values
            .iter()
            .flat_map(|&x| (x as i32).to_be_bytes())
            .collect(),
        NcType::Int64 | NcType::UInt64 => values.iter().flat_map(|&x| x.to_be_bytes()).collect(),
        NcType::Float => values
            .iter()
            .flat_map(|&x| (x as f32).to_be_bytes())
            .collect(),
        NcType::Double => values
            .iter()
            .flat_map(|&x| (x as f64).to_be_bytes())
            .collect(),
        NcType::Char => return None,
    };
    Some(NcAttr {
        name: name.to_string(),
        ty,
        nelems: values.len() as u64,
        bytes,
    })
}

/// The attributes of a variable of `ty`: `flag_values` in that type.
fn var_attrs(ty: NcType, list: &Attrs) -> Vec<NcAttr> {
    list.iter()
        .map(|(k, v)| match v {
            AttrValue::I64s(ints) if k == "flag_values" => {
                typed_ints(k, ty, ints).unwrap_or_else(|| attr(k, v))
            }
            _ => attr(k, v),
        })
        .collect()
}

/// `_FillValue` (of the variable's own type, CF 2.5.1) of a field with missing points:
/// the values the reader puts there (NaN for reals, librmn's markers for integers).
fn fill_value(et: ElementType) -> Option<NcAttr> {
    let (ty, bytes) = match et {
        ElementType::F32 => (NcType::Float, f32::NAN.to_be_bytes().to_vec()),
        ElementType::F64 => (NcType::Double, f64::NAN.to_be_bytes().to_vec()),
        ElementType::I8 => (NcType::Byte, i8::MIN.to_be_bytes().to_vec()),
        ElementType::I16 => (NcType::Short, i16::MIN.to_be_bytes().to_vec()),
        ElementType::I32 => (NcType::Int, i32::MIN.to_be_bytes().to_vec()),
        ElementType::I64 => (NcType::Int64, i64::MIN.to_be_bytes().to_vec()),
        ElementType::U8 => (NcType::UByte, u8::MAX.to_be_bytes().to_vec()),
        ElementType::U16 => (NcType::UShort, u16::MAX.to_be_bytes().to_vec()),
        ElementType::U32 => (NcType::UInt, u32::MAX.to_be_bytes().to_vec()),
        ElementType::U64 => (NcType::UInt64, u64::MAX.to_be_bytes().to_vec()),
        _ => return None,
    };
    Some(NcAttr {
        name: "_FillValue".into(),
        ty,
        nelems: 1,
        bytes,
    })
}

fn attrs(list: &Attrs) -> Vec<NcAttr> {
    list.iter().map(|(k, v)| attr(k, v)).collect()
}

/// Writes `plan` to `out`; data comes from `sink.read(i)` for variable `i`.
pub(crate) fn write(
    plan: &DatasetPlan,
    out: std::fs::File,
    sink: &mut dyn Sink,
) -> Result<Vec<Skipped>, String> {
    let dimid = |name: &str| {
        plan.dims
            .iter()
            .position(|d| d.name == name)
            .ok_or_else(|| format!("dimension {name} is not declared"))
    };
    // Length 0 marks the unlimited (record) dimension in the classic format.
    if let Some(d) = plan.dims.iter().find(|d| d.len == 0) {
        return Err(format!(
            "dimension {} is empty, which classic NetCDF cannot store",
            d.name
        ));
    }
    let mut header = NcHeader {
        dims: plan
            .dims
            .iter()
            .map(|d| (d.name.clone(), d.len as u64))
            .collect(),
        attrs: attrs(&plan.attrs),
        vars: Vec::new(),
    };
    let mut skipped = Vec::new();
    for c in &plan.coords {
        let dimids = c.dims.iter().map(|d| dimid(d)).collect::<Result<_, _>>()?;
        let empty = c.values.scalar_len() == 0 && c.dims.is_empty();
        let ty = if empty {
            // A grid mapping: a scalar int carrying only attributes, as CF writes it.
            NcType::Int
        } else {
            match nc_type(c.values.element_type()) {
                Some(t) => t,
                None => {
                    skipped.push(Skipped::coord(&c.name, "complex values"));
                    continue;
                }
            }
        };
        let (ty, c_attrs) = stored(ty, attrs(&c.attrs));
        header.vars.push(NcVar {
            name: c.name.clone(),
            dimids,
            attrs: c_attrs,
            ty,
            nelems: if empty {
                1
            } else {
                c.values.scalar_len() as u64
            },
        });
    }
    let n_coords = header.vars.len();
    let mut var_index = Vec::new();
    for (i, v) in plan.variables.iter().enumerate() {
        let Some(ty) = nc_type(v.dtype) else {
            skipped.push(Skipped::variable(&v.name, "complex values"));
            continue;
        };
        let dimids = v.dims.iter().map(|d| dimid(d)).collect::<Result<_, _>>()?;
        let mut var_attrs = var_attrs(ty, &v.attrs);
        if v.missing {
            var_attrs.extend(fill_value(v.dtype));
        }
        let (ty, var_attrs) = stored(ty, var_attrs);
        header.vars.push(NcVar {
            name: v.name.clone(),
            dimids,
            attrs: var_attrs,
            ty,
            nelems: v.len() as u64,
        });
        var_index.push(i);
    }
    header.check_sizes()?;
    let (_, head, begins) = header.layout();
    let mut w = BufWriter::with_capacity(1 << 20, out);
    let io = |e: std::io::Error| e.to_string();
    w.write_all(&head).map_err(io)?;
    let mut buf = Vec::new();
    let coords = plan.coords.iter().filter(|c| {
        !skipped
            .iter()
            .any(|s: &Skipped| s.is_coord && s.name == c.name)
    });
    for (c, (nv, &begin)) in coords.zip(header.vars.iter().zip(&begins)) {
        buf.clear();
        if c.values.scalar_len() == 0 && c.dims.is_empty() {
            buf.extend_from_slice(&0i32.to_be_bytes());
        } else {
            extend_bytes(&mut buf, &c.values, true);
        }
        put(&mut w, begin, nv.padded_size(), &buf)?;
    }
    for (k, &i) in var_index.iter().enumerate() {
        let nv = &header.vars[n_coords + k];
        let begin = begins[n_coords + k];
        seek_to(&mut w, begin)?;
        let mut written = 0u64;
        for part in 0..sink.parts(i) {
            let values: Values = sink.read(i, part)?;
            buf.clear();
            extend_bytes(&mut buf, &values, true);
            w.write_all(&buf).map_err(io)?;
            written += buf.len() as u64;
        }
        pad_to(&mut w, written, nv.padded_size())?;
    }
    w.flush().map_err(io)?;
    // On disk before the output is renamed into place.
    w.get_ref().sync_all().map_err(io)?;
    Ok(skipped)
}

/// Moves the writer to `begin` (a no-op when it is already there).
fn seek_to(w: &mut BufWriter<std::fs::File>, begin: u64) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    if w.stream_position().map_err(io)? != begin {
        w.seek(SeekFrom::Start(begin)).map_err(io)?;
    }
    Ok(())
}

/// Checks that `written` bytes fit the variable's `size` and zero-pads up to it.
fn pad_to(w: &mut BufWriter<std::fs::File>, written: u64, size: u64) -> Result<(), String> {
    if written > size {
        return Err(format!(
            "internal: {written} bytes of data for a {size}-byte variable"
        ));
    }
    let pad = usize::try_from(size - written).unwrap_or(0);
    w.write_all(&vec![0u8; pad]).map_err(|e| e.to_string())
}

/// Writes one variable's bytes at `begin`, zero-padded to `size`.
fn put(
    w: &mut BufWriter<std::fs::File>,
    begin: u64,
    size: u64,
    bytes: &[u8],
) -> Result<(), String> {
    seek_to(w, begin)?;
    w.write_all(bytes).map_err(|e| e.to_string())?;
    pad_to(w, bytes.len() as u64, size)
}
