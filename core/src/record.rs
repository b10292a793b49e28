//! What a record is: its directory keys, decoded header and data type.

mod columns;
mod datyp;
mod header;
mod info;
mod keys;
mod name;
mod summary;

pub use columns::{ColumnsBuilder, FieldKind, RecordColumns, RecordRow, COLUMN_SCHEMA};
pub use datyp::{BaseType, DataType, ElementType};
pub use header::RecordHeader;
pub use info::{records_json, RecordInfo, RECORD_FIELDS};
pub use keys::SearchKeys;
pub use name::Name;
pub use summary::RecordSummary;
