//! Records as byte ranges plus packing keys, and decoding one record from its bytes alone
//! (`fst24.codec`, the numcodecs codec of virtual Zarr references).

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use fst24::{DataType, DecodeOptions, MissingMode, PackingKeys, Values};

use crate::dataset::{element_type, to_numpy};
use crate::errors::{to_py, usage};
use crate::file::PyFile;
use crate::memory;

fn backend_of(byte_order: &str) -> PyResult<fst24::Backend> {
    match byte_order {
        "big" => Ok(fst24::Backend::Xdf),
        "little" => Ok(fst24::Backend::Rsf),
        other => Err(usage(format!(
            "byte_order must be \"big\" (XDF) or \"little\" (RSF), not {other:?}"
        ))),
    }
}

/// Where the records `keys` of `file` keep their data area and how it is packed: an
/// `(n, 8)` int64 array of `data_offset, data_len, datyp, nbits, data_bits, ni, nj, nk`,
/// plus the byte order of the file's words ("big" for XDF, "little" for RSF).
#[pyfunction]
pub(crate) fn _record_layout<'py>(
    py: Python<'py>,
    file: Bound<'py, PyFile>,
    keys: Vec<usize>,
) -> PyResult<(Bound<'py, PyAny>, &'static str)> {
    let core = file.get().core()?;
    let mut flat = Vec::with_capacity(keys.len() * 8);
    for &k in &keys {
        let rec = core.record(k).map_err(crate::errors::for_file(&core))?;
        let h = &rec.header;
        let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        flat.extend_from_slice(&[
            as_i64(rec.entry.data_offset),
            as_i64(rec.entry.data_len),
            i64::from(h.datyp.raw()),
            i64::from(h.nbits),
            i64::from(h.data_bits),
            i64::from(h.ni),
            i64::from(h.nj),
            i64::from(h.nk),
        ]);
    }
    let order = match core.backend() {
        fst24::Backend::Xdf => "big",
        fst24::Backend::Rsf => "little",
    };
    Ok((to_numpy(py, Values::I64(flat), &[keys.len(), 8])?, order))
}

/// Decodes one record from its data area `data` (uint8 array) packed as the keys say,
/// into a flat array of the core element type `element` (as `_read_records` decodes the
/// record: missing values NaN when `missing`), GIL released.
#[pyfunction]
#[pyo3(signature = (data, byte_order, datyp, nbits, data_bits, ni, nj, nk, element, missing))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _decode_packed<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, u8>,
    byte_order: &str,
    datyp: u8,
    nbits: u8,
    data_bits: u8,
    ni: u32,
    nj: u32,
    nk: u32,
    element: &str,
    missing: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = PackingKeys {
        backend: backend_of(byte_order)?,
        datyp: DataType(datyp),
        nbits,
        data_bits,
        ni,
        nj,
        nk,
    };
    let et = element_type(element)?;
    let header = keys.header();
    // The codec's output length counts scalars: two per complex element.
    let scalars = usize::try_from(fst24::output_len(&header))
        .map_err(|_| usage("record too large for this machine"))?;
    let elements = match et {
        fst24::ElementType::C64 | fst24::ElementType::C128 => scalars / 2,
        _ => scalars,
    };
    memory::check(
        None,
        (elements as u64).saturating_mul(et.size() as u64),
        None,
    )?;
    let mut options = DecodeOptions::default();
    if missing {
        options.missing = MissingMode::Nan;
    }
    let bytes = data.as_slice()?;
    let mut values = Values::zeroed(et, scalars);
    py.detach(|| fst24::decode_packed_into(&keys, bytes, values.as_out(), &options))
        .map_err(to_py)?;
    to_numpy(py, values, &[elements])
}
