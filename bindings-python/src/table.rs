//! Core [`fst24::table::Table`] → an object exporting the Arrow C stream interface
//! (`__arrow_c_stream__`), which `polars.DataFrame(obj)` and `pyarrow.table(obj)` import
//! without copying.

use std::sync::Arc;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::{
    DurationMicrosecondType, Float32Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
};
use arrow_array::{
    ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, RecordBatchIterator, StringViewArray,
};
use arrow_buffer::{BooleanBuffer, Buffer, NullBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, Field, Schema};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use fst24::table::{Bits, Column, ColumnValues, StrColumn, Table};

fn primitive<T: arrow_array::ArrowPrimitiveType>(
    v: Vec<T::Native>,
    nulls: Option<NullBuffer>,
) -> ArrayRef {
    Arc::new(PrimitiveArray::<T>::new(ScalarBuffer::from(v), nulls))
}

/// Packed booleans as Arrow's (the same layout: the bytes move, no copy).
fn boolean_buffer(bits: Bits) -> BooleanBuffer {
    let (bytes, len) = bits.into_bytes();
    BooleanBuffer::new(Buffer::from_vec(bytes), 0, len)
}

fn to_arrow(column: Column) -> Result<(Field, ArrayRef), ArrowError> {
    let nulls = column.valid.map(|v| NullBuffer::new(boolean_buffer(v)));
    let array: ArrayRef = match column.values {
        ColumnValues::Int16(v) => primitive::<Int16Type>(v, nulls),
        ColumnValues::Int32(v) => primitive::<Int32Type>(v, nulls),
        ColumnValues::Int64(v) => primitive::<Int64Type>(v, nulls),
        ColumnValues::Float32(v) => primitive::<Float32Type>(v, nulls),
        ColumnValues::DatetimeMicros(v) => primitive::<TimestampMicrosecondType>(v, nulls),
        ColumnValues::DurationMicros(v) => primitive::<DurationMicrosecondType>(v, nulls),
        ColumnValues::Bool(v) => Arc::new(BooleanArray::new(boolean_buffer(v), nulls)),
        ColumnValues::Utf8(s) => Arc::new(string_view_array(s, nulls)?),
        _ => {
            return Err(ArrowError::NotYetImplemented(format!(
                "column {} has a type the binding does not export",
                column.name
            )))
        }
    };
    let field = Field::new(
        column.name,
        array.data_type().clone(),
        array.null_count() > 0,
    );
    Ok((field, array))
}

/// A string column as Arrow's `Utf8View`, the layout Polars keeps strings in: it takes
/// the buffers as they are (with `Utf8`, it converted every string to a view).
fn string_view_array(
    s: StrColumn,
    nulls: Option<NullBuffer>,
) -> Result<StringViewArray, ArrowError> {
    if nulls.as_ref().is_some_and(|n| n.len() != s.len()) {
        return Err(ArrowError::InvalidArgumentError(
            "validity and values of different lengths".into(),
        ));
    }
    let (views, data) = s.into_views();
    let buffers: Arc<[Buffer]> = if data.is_empty() {
        Arc::new([])
    } else {
        Arc::new([Buffer::from_vec(data)])
    };
    // Checking the views again (`StringViewArray::try_new`: a UTF-8 check per row) cost
    // more than building them.
    // SAFETY: `StrColumn` only makes views of valid UTF-8 (`&str`s, checked ASCII),
    // zero padded when inline, whose long strings lie in its one data buffer (its
    // documented invariant, kept by its private fields); the lengths match (checked
    // above). `tests/test_metadata.py` (`test_arrow_export_passes_full_validation`)
    // checks every column of the corpus with pyarrow's full validation.
    #[allow(unsafe_code)]
    let array =
        unsafe { StringViewArray::new_unchecked(ScalarBuffer::from(views), buffers, nulls) };
    Ok(array)
}

/// Converts a core table into one Arrow record batch (buffers moved, not copied).
pub(crate) fn to_batch(table: Table) -> Result<RecordBatch, ArrowError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = table
        .columns
        .into_iter()
        .map(to_arrow)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(table.num_rows));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
}

/// Converts the parts of a core table (see `Table::open_paths_in_parts`) into Arrow record
/// batches of one schema.
pub(crate) fn to_batches(parts: Vec<Table>) -> Result<Vec<RecordBatch>, ArrowError> {
    let batches = parts
        .into_iter()
        .map(to_batch)
        .collect::<Result<Vec<_>, _>>()?;
    // A column is nullable in the schema when any part has nulls in it.
    let Some(first) = batches.first() else {
        return Ok(batches);
    };
    let fields: Vec<Field> = (0..first.num_columns())
        .map(|i| {
            let nullable = batches.iter().any(|b| b.column(i).null_count() > 0);
            first.schema().field(i).clone().with_nullable(nullable)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    batches
        .into_iter()
        .map(|b| RecordBatch::try_new(schema.clone(), b.columns().to_vec()))
        .collect()
}

/// A metadata table in Arrow form (one or more record batches of one schema); pass it
/// to `polars.DataFrame` or `pyarrow.table`.
#[pyclass(module = "fst24", name = "ArrowTable", frozen)]
pub(crate) struct ArrowTable {
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// A table of several batches; `batches` must not be empty and must share a schema.
    pub(crate) fn from_batches(batches: Vec<RecordBatch>) -> Self {
        debug_assert!(!batches.is_empty());
        ArrowTable { batches }
    }
}

#[pymethods]
impl ArrowTable {
    /// Exports the table as an Arrow C stream (PyCapsule "arrow_array_stream").
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema; // the schema is fixed; consumers cast if they need to
                                  // Clones share the column buffers (reference counted): each export is zero-copy.
        let schema = self.batches[0].schema();
        let batches: Vec<_> = self.batches.iter().cloned().map(Ok).collect();
        let reader = RecordBatchIterator::new(batches, schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    fn __len__(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Jupyter's view: the table as Polars shows it.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        slf.py()
            .import("fst24._html")?
            .call_method1("table_html", (slf,))?
            .extract()
    }
}
