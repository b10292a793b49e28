//! The core dataset plan for Python (`fst24.xarray_backend`): how records become CF
//! variables, plus a reader of any set of records into one C-order numpy array.
//!
//! The plan crosses as plain Python objects (dicts, lists, numpy arrays), so the xarray
//! layer can pickle what it needs (paths and record indices) without Rust objects.

use numpy::{
    IxDyn, PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use fst24::dataset::{
    self, AttrValue, Attrs, DatasetPlan, Derived, LevelCoefficients, LevelFormula, PlanOptions,
    Tile, VarPlan,
};
use fst24::{DecodeOptions, ElementType, MissingMode, Values};

use crate::decode_into::typed_out;
use crate::errors::{for_file, to_py, usage};
use crate::file::PyFile;
use crate::memory;
use crate::output_memory;

/// numpy dtype string of an element type (the ones a data variable can have).
pub(crate) fn dtype_name(et: ElementType) -> PyResult<&'static str> {
    Ok(match et {
        ElementType::F32 => "float32",
        ElementType::F64 => "float64",
        ElementType::I8 => "int8",
        ElementType::I16 => "int16",
        ElementType::I32 => "int32",
        ElementType::I64 => "int64",
        ElementType::U8 => "uint8",
        ElementType::U16 => "uint16",
        ElementType::U32 => "uint32",
        ElementType::U64 => "uint64",
        ElementType::C64 => "complex64",
        ElementType::C128 => "complex128",
        // Raw words (datyp 0) stay unsigned 32-bit, as rpnpy returns them.
        ElementType::Word => "uint32",
        other => {
            return Err(usage(format!(
                "element type {} cannot be a numeric variable",
                other.name()
            )))
        }
    })
}

/// The element type whose [`ElementType::name`] is `name`.
pub(crate) fn element_type(name: &str) -> PyResult<ElementType> {
    use ElementType::*;
    [
        F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, C64, C128, Char, Word,
    ]
    .into_iter()
    .find(|et| et.name() == name)
    .ok_or_else(|| usage(format!("unknown element type {name:?}")))
}

/// Moves `values` into a numpy array of C-order `shape` (no copy but complex pairs).
pub(crate) fn to_numpy<'py>(
    py: Python<'py>,
    values: Values,
    shape: &[usize],
) -> PyResult<Bound<'py, PyAny>> {
    macro_rules! shaped {
        ($v:expr) => {
            PyArray1::from_vec(py, $v)
                .reshape(IxDyn(shape))
                .map(Bound::into_any)
        };
    }
    match values {
        Values::F32(v) => shaped!(v),
        Values::F64(v) => shaped!(v),
        Values::I8(v) => shaped!(v),
        Values::I16(v) => shaped!(v),
        Values::I32(v) => shaped!(v),
        Values::I64(v) => shaped!(v),
        Values::U8(v) | Values::Chars(v) => shaped!(v),
        Values::U16(v) => shaped!(v),
        Values::U32(v) | Values::Words(v) => shaped!(v),
        Values::U64(v) => shaped!(v),
        Values::C64(v) => shaped!(v
            .chunks_exact(2)
            .map(|p| numpy::Complex32::new(p[0], p[1]))
            .collect::<Vec<_>>()),
        Values::C128(v) => shaped!(v
            .chunks_exact(2)
            .map(|p| numpy::Complex64::new(p[0], p[1]))
            .collect::<Vec<_>>()),
        _ => Err(usage("values of a type numpy cannot hold")),
    }
}

/// Attributes as an insertion-ordered dict.
fn attrs_dict<'py>(py: Python<'py>, attrs: &Attrs) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, value) in attrs {
        match value {
            AttrValue::Str(s) => d.set_item(name, s)?,
            AttrValue::F64(x) => d.set_item(name, x)?,
            AttrValue::I64(x) => d.set_item(name, x)?,
            AttrValue::F64s(x) => d.set_item(name, PyArray1::from_slice(py, x))?,
            AttrValue::I64s(x) => d.set_item(name, PyArray1::from_slice(py, x))?,
            _ => {}
        }
    }
    Ok(d)
}

/// `(file, record)` pairs as an `(n, 2)` int64 array, `-1` for holes.
fn records_array<'py>(
    py: Python<'py>,
    records: &[Option<(usize, usize)>],
) -> PyResult<Bound<'py, PyAny>> {
    let mut flat = Vec::with_capacity(records.len() * 2);
    for r in records {
        let (f, k) = r.map_or((-1, -1), |(f, k)| (f as i64, k as i64));
        flat.push(f);
        flat.push(k);
    }
    to_numpy(py, Values::I64(flat), &[records.len(), 2])
}

fn variable_dict<'py>(py: Python<'py>, v: &VarPlan) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &v.name)?;
    d.set_item("dims", &v.dims)?;
    d.set_item("shape", &v.shape)?;
    d.set_item("outer_ndim", v.outer_ndim)?;
    d.set_item("dtype", dtype_name(v.dtype)?)?;
    d.set_item("element", v.dtype.name())?;
    d.set_item("records", records_array(py, &v.records)?)?;
    // `#` tiles `(i0, j0, ni, nj)` (0-based), `records` holding one row per tile of each
    // slot; None for untiled variables.
    if v.tiles.is_empty() {
        d.set_item("tiles", py.None())?;
    } else {
        let tiles: Vec<(usize, usize, usize, usize)> =
            v.tiles.iter().map(|t| (t.i0, t.j0, t.ni, t.nj)).collect();
        d.set_item("tiles", tiles)?;
    }
    // Mask records parallel to `records` (`-1` where none), or None without masks.
    if v.masks.is_empty() {
        d.set_item("masks", py.None())?;
    } else {
        d.set_item("masks", records_array(py, &v.masks)?)?;
    }
    d.set_item("attrs", attrs_dict(py, &v.attrs)?)?;
    d.set_item("missing", v.missing)?;
    if let Some(derived) = &v.derived {
        d.set_item("derived", derived_dict(py, derived)?)?;
    }
    Ok(d)
}

/// A computed variable's formula as plain data (`_read_derived` takes it back): the
/// formula's name, pref (Pa), SLEVE flag, `(A, B, C)` per slot (C NaN when absent) and
/// the large-scale records per slot.
fn derived_dict<'py>(py: Python<'py>, d: &Derived) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let (name, pref, sleve) = match d.formula {
        LevelFormula::Pressure => ("pressure", f64::NAN, false),
        LevelFormula::LogPressure { pref, sleve } => ("log_pressure", pref, sleve),
        LevelFormula::Height { sleve } => ("height", f64::NAN, sleve),
        _ => return Err(usage("a level formula this binding does not know")),
    };
    out.set_item("formula", name)?;
    out.set_item("pref", pref)?;
    out.set_item("sleve", sleve)?;
    let abc: Vec<f64> = d
        .levels
        .iter()
        .flat_map(|c| [c.a, c.b, c.c.unwrap_or(f64::NAN)])
        .collect();
    out.set_item(
        "coefficients",
        to_numpy(py, Values::F64(abc), &[d.levels.len(), 3])?,
    )?;
    out.set_item("large_scale", records_array(py, &d.large_scale)?)?;
    Ok(out)
}

fn plan_dict<'py>(py: Python<'py>, plan: DatasetPlan) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    let dims: Vec<(String, usize)> = plan.dims.iter().map(|d| (d.name.clone(), d.len)).collect();
    out.set_item("dims", dims)?;
    let coords = PyList::empty(py);
    let dim_len = |n: &String| plan.dim_len(n).unwrap_or(0);
    let shapes: Vec<Vec<usize>> = plan
        .coords
        .iter()
        .map(|c| c.dims.iter().map(dim_len).collect())
        .collect();
    for (c, shape) in plan.coords.into_iter().zip(shapes) {
        let d = PyDict::new(py);
        if let Some(later) = plan.deferred.iter().find(|l| l.name == c.name) {
            // Values computed on first use (`_deferred_coord`).
            d.set_item("name", &c.name)?;
            d.set_item("dims", &c.dims)?;
            d.set_item("attrs", attrs_dict(py, &c.attrs)?)?;
            d.set_item("chars", false)?;
            d.set_item("shape", shape)?;
            d.set_item("deferred", (later.file, later.record, later.latitude))?;
            coords.append(d)?;
            continue;
        }
        let fits = c.values.scalar_len() == shape.iter().product::<usize>();
        d.set_item("name", &c.name)?;
        d.set_item("dims", &c.dims)?;
        d.set_item("attrs", attrs_dict(py, &c.attrs)?)?;
        // Character labels (`ensemble`, dims `(n, strlen)`): Python makes them strings.
        d.set_item("chars", matches!(c.values, Values::Chars(_)))?;
        // Grid mappings have no values: they become scalar placeholders in Python.
        let values = if fits {
            to_numpy(py, c.values, &shape)?
        } else {
            let n = c.values.scalar_len();
            to_numpy(py, c.values, &[n])?
        };
        d.set_item("values", values)?;
        coords.append(d)?;
    }
    out.set_item("coords", coords)?;
    let vars = PyList::empty(py);
    for v in &plan.variables {
        vars.append(variable_dict(py, v)?)?;
    }
    out.set_item("variables", vars)?;
    out.set_item("attrs", attrs_dict(py, &plan.attrs)?)?;
    out.set_item("warnings", &plan.warnings)?;
    Ok(out)
}

fn core_files(files: &[Bound<'_, PyFile>]) -> PyResult<Vec<std::sync::Arc<fst24::File>>> {
    files.iter().map(|f| f.get().core()).collect()
}

/// Converts an error of a dataset over `cores`, naming the file (or the files, when the
/// core cannot tell which one).
fn dataset_error(cores: &[std::sync::Arc<fst24::File>], e: fst24::Error) -> PyErr {
    if let [one] = cores {
        return for_file(one)(e);
    }
    let names: Vec<String> = cores
        .iter()
        .filter_map(|f| f.path().map(|p| p.display().to_string()))
        .collect();
    let err = to_py(e);
    Python::attach(|py| {
        let text = format!("one of {}: {}", names.join(", "), err.value(py));
        PyErr::from_type(err.get_type(py), text)
    })
}

/// The dataset plan of `files` (GIL released) as a dict of dims, coords, variables
/// (with their `(file, record)` indices), attrs and warnings.
#[pyfunction]
#[pyo3(signature = (files, forecast_axis=false, ignore_typvar=false, ignore_etiket=false, ensembles=false, pressure=false, height=false, defer_latlon=false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _plan<'py>(
    py: Python<'py>,
    files: Vec<Bound<'py, PyFile>>,
    forecast_axis: bool,
    ignore_typvar: bool,
    ignore_etiket: bool,
    ensembles: bool,
    pressure: bool,
    height: bool,
    defer_latlon: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let cores = core_files(&files)?;
    let mut options = PlanOptions::default()
        .with_forecast_axis(forecast_axis)
        .with_pressure(pressure)
        .with_height(height)
        .with_deferred_latlon(defer_latlon);
    options.ignore_typvar = ignore_typvar;
    options.ignore_etiket = ignore_etiket;
    options.ensembles = ensembles;
    let plan = py
        .detach(|| {
            let refs: Vec<&fst24::File> = cores.iter().map(std::convert::AsRef::as_ref).collect();
            dataset::plan(&refs, &options)
        })
        .map_err(|e| dataset_error(&cores, e))?;
    plan_dict(py, plan)
}

/// The values of a deferred 2-D latitude (else longitude) coordinate of a plan: every
/// point of the grid of record `record` of `files[file]`, as a flat float64 array (GIL
/// released).
#[pyfunction]
pub(crate) fn _deferred_coord<'py>(
    py: Python<'py>,
    files: Vec<Bound<'py, PyFile>>,
    file: usize,
    record: usize,
    latitude: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let cores = core_files(&files)?;
    let coord = dataset::DeferredCoord {
        name: String::new(),
        file,
        record,
        latitude,
    };
    let values = py
        .detach(|| {
            let refs: Vec<&fst24::File> = cores.iter().map(std::convert::AsRef::as_ref).collect();
            dataset::deferred_values(&refs, &coord)
        })
        .map_err(|e| dataset_error(&cores, e))?;
    let n = values.scalar_len();
    to_numpy(py, values, &[n])
}

/// `(file, record)` pairs as plan slots, `-1` = none.
fn slots_of(records: &[(i64, i64)], files: usize) -> PyResult<Vec<Option<(usize, usize)>>> {
    records
        .iter()
        .map(|&(f, k)| match (usize::try_from(f), usize::try_from(k)) {
            (Ok(f), Ok(k)) if f < files => Ok(Some((f, k))),
            _ if f < 0 => Ok(None),
            _ => Err(usage(format!("record ({f}, {k}) names no given file"))),
        })
        .collect()
}

/// Decodes the records `records` (`(file, record)` pairs, `-1` = hole: NaN, or for
/// integers the marker when `missing`, else 0) of
/// `files` in parallel with the GIL released, into one C-order array of shape
/// `(len(records), *record_shape)` of the core element type named `element` (a plan
/// variable's `element`). Missing values (+64) become NaN (integers: the marker)
/// when `missing` is true. `masks` (parallel to `records`, `-1` = none) are the mask
/// records of a plan variable's `masks`: their zero points become missing. With `tiles`
/// (a plan variable's `(i0, j0, ni, nj)`), `records` (and `masks`) hold one pair per tile
/// of each slot, and `record_shape` is the full grid's. `alloc(shape, dtype)` makes the
/// output (default: the binding's allocation policy, `output_memory`), after the limits and record sizes are checked.
#[pyfunction]
#[pyo3(signature = (files, records, record_shape, element, missing=true, masks=None, tiles=None, alloc=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _read_records<'py>(
    py: Python<'py>,
    files: Vec<Bound<'py, PyFile>>,
    records: Vec<(i64, i64)>,
    record_shape: Vec<usize>,
    element: &str,
    missing: bool,
    masks: Option<Vec<(i64, i64)>>,
    tiles: Option<Vec<(usize, usize, usize, usize)>>,
    alloc: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let cores = core_files(&files)?;
    let et = element_type(element)?;
    let slots = slots_of(&records, cores.len())?;
    let tiles: Vec<Tile> = tiles
        .unwrap_or_default()
        .into_iter()
        .map(|(i0, j0, ni, nj)| Tile { i0, j0, ni, nj })
        .collect();
    if !tiles.is_empty() && records.len() % tiles.len() != 0 {
        return Err(usage(format!(
            "{} records for {} tiles a slot",
            records.len(),
            tiles.len()
        )));
    }
    let masks = match masks {
        Some(m) if m.len() != records.len() => {
            return Err(usage(format!(
                "{} masks for {} records",
                m.len(),
                records.len()
            )))
        }
        Some(m) => slots_of(&m, cores.len())?,
        None => Vec::new(),
    };
    let mut shape = vec![slots.len() / tiles.len().max(1)];
    shape.extend_from_slice(&record_shape);
    let len = shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .ok_or_else(|| usage(format!("shape {shape:?} overflows")))?;
    memory::check(None, (len as u64).saturating_mul(et.size() as u64), None)?;
    let var = VarPlan {
        name: String::from("selection"),
        dims: (0..shape.len()).map(|i| format!("d{i}")).collect(),
        shape: shape.clone(),
        outer_ndim: 1,
        dtype: et,
        records: slots,
        tiles,
        masks,
        attrs: Vec::new(),
        missing,
        derived: None,
    };
    let mut decode = DecodeOptions::default();
    if missing {
        decode.missing = MissingMode::Nan;
    }
    read_into_numpy(py, &cores, &var, &decode, alloc)
}

/// Reads all of `var` into a C-order array made by `alloc(shape, dtype)` (default
/// [`output_memory::empty`]) with the GIL released, and returns it. The limits and every record's
/// size are checked before `alloc` is called (a damaged header costs an error, not an
/// allocation sized from it); values are written once, straight into the array.
fn read_into_numpy<'py>(
    py: Python<'py>,
    cores: &[std::sync::Arc<fst24::File>],
    var: &VarPlan,
    decode: &DecodeOptions,
    alloc: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let refs: Vec<&fst24::File> = cores.iter().map(std::convert::AsRef::as_ref).collect();
    py.detach(|| dataset::check_variable(&refs, var))
        .map_err(|e| dataset_error(cores, e))?;
    let dtype = dtype_name(var.dtype)?;
    let array = match alloc {
        Some(f) => f.call1((PyTuple::new(py, &var.shape)?, dtype))?,
        None => output_memory::empty(py, &var.shape, &numpy::PyArrayDescr::new(py, dtype)?, false)?,
    };
    let a = array
        .cast::<PyUntypedArray>()
        .map_err(|_| usage("alloc must return a numpy array"))?;
    let wanted = numpy::PyArrayDescr::new(py, dtype)?;
    if !a.dtype().is_equiv_to(&wanted) || a.shape() != var.shape.as_slice() {
        return Err(usage(format!(
            "alloc gave {} of shape {:?}; the read needs {dtype} of shape {:?}",
            a.dtype(),
            a.shape(),
            var.shape
        )));
    }
    if !a.is_c_contiguous() {
        return Err(usage("alloc must return a C-contiguous array"));
    }
    // The array's bytes, borrowed for writing (refused when not writeable).
    let flat = array
        .call_method1("reshape", (-1,))?
        .call_method1("view", ("uint8",))?
        .cast_into::<PyArray1<u8>>()?;
    let mut guard = flat
        .try_readwrite()
        .map_err(|e| usage(format!("out cannot be written: {e}")))?;
    let bytes = guard
        .as_slice_mut()
        .map_err(|e| usage(format!("out is not contiguous: {e}")))?;
    let dest = typed_out(var.dtype, bytes)?;
    py.detach(|| dataset::read_variable_into(&refs, var, None, dest, decode))
        .map_err(|e| dataset_error(cores, e))?;
    drop(guard);
    Ok(array)
}

/// Computes a computed variable (a plan variable's `derived`) at some of its slots: the
/// surface records `records` and large-scale ones `large_scale` (`-1` = none) and the
/// `(A, B, C)` of each slot, as float32 of shape `(len(records), *record_shape)`, GIL
/// released.
#[pyfunction]
#[pyo3(signature = (files, records, large_scale, coefficients, formula, pref, sleve, record_shape))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _read_derived<'py>(
    py: Python<'py>,
    files: Vec<Bound<'py, PyFile>>,
    records: Vec<(i64, i64)>,
    large_scale: Vec<(i64, i64)>,
    coefficients: Vec<(f64, f64, f64)>,
    formula: &str,
    pref: f64,
    sleve: bool,
    record_shape: Vec<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let cores = core_files(&files)?;
    let formula = match formula {
        "pressure" => LevelFormula::Pressure,
        "log_pressure" => LevelFormula::LogPressure { pref, sleve },
        "height" => LevelFormula::Height { sleve },
        other => return Err(usage(format!("unknown level formula {other:?}"))),
    };
    if coefficients.len() != records.len()
        || !(large_scale.is_empty() || large_scale.len() == records.len())
    {
        return Err(usage(
            "records, large_scale and coefficients differ in length",
        ));
    }
    let slots = slots_of(&records, cores.len())?;
    let large = slots_of(&large_scale, cores.len())?;
    let mut shape = vec![slots.len()];
    shape.extend_from_slice(&record_shape);
    let len = shape
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .ok_or_else(|| usage(format!("shape {shape:?} overflows")))?;
    memory::check(None, (len as u64).saturating_mul(4), None)?;
    let levels = coefficients
        .iter()
        .map(|&(a, b, c)| LevelCoefficients {
            a,
            b,
            c: (!c.is_nan()).then_some(c),
        })
        .collect();
    let var = VarPlan {
        name: String::from("computed levels"),
        dims: (0..shape.len()).map(|i| format!("d{i}")).collect(),
        shape: shape.clone(),
        outer_ndim: 1,
        dtype: ElementType::F32,
        records: slots,
        tiles: Vec::new(),
        masks: Vec::new(),
        attrs: Vec::new(),
        missing: true,
        derived: Some(Derived {
            formula,
            levels,
            large_scale: large,
        }),
    };
    read_into_numpy(py, &cores, &var, &DecodeOptions::default(), None)
}
