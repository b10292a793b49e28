//! Decoded columns: what fstpy's `add_columns` derives from the raw keys, as typed columns
//! (date-times, durations, floats) instead of Python objects.

use crate::record::RecordHeader;

use super::column::{Column, ColumnValues};

/// Column builders for the decoded keys.
pub(super) struct DecodedColumns {
    forecast_hour: Vec<i64>,
    forecast_valid: Vec<bool>,
}

impl DecodedColumns {
    pub(super) fn with_capacity(rows: usize) -> Self {
        DecodedColumns {
            forecast_hour: Vec::with_capacity(rows),
            forecast_valid: Vec::with_capacity(rows),
        }
    }

    pub(super) fn push(&mut self, h: &RecordHeader) {
        // fstpy: forecast_hour = deet·npas seconds.
        let micros = i64::from(h.deet)
            .checked_mul(i64::from(h.npas))
            .and_then(|s| s.checked_mul(1_000_000));
        self.forecast_hour.push(micros.unwrap_or(0));
        self.forecast_valid.push(micros.is_some());
    }

    pub(super) fn into_columns(self) -> Vec<Column> {
        vec![Column::with_validity(
            "forecast_hour",
            ColumnValues::DurationMicros(self.forecast_hour),
            self.forecast_valid,
        )]
    }
}
