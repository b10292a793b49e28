//! Decoded columns: what fstpy's `add_columns` derives from the raw keys, as typed columns
//! (date-times, durations, floats) instead of Python objects.
//!
//! fstpy's rules: `forecast_hour = deet·npas` seconds; dummy date stamps (0, 10101011,
//! 101010101) give null dates; ip1 is decoded as a level; an old-style ip2 is plain hours
//! (kind 10) and an old-style ip3 stays as is with kind 100 ("not encoded"); the ips of
//! grid/vertical descriptor records (`>>`, `^^`, `!!`, ...) are grid tags, kind 100.

use crate::record::RecordHeader;
use crate::time::stamp_to_unix;

use super::column::{Column, ColumnValues, StrColumn};
use super::fstpy::{FstpyColumns, IpValue, VerticalRows};
use super::ips::{decoded_ip, IpSlot};

/// Stamps files use for "no date".
const DUMMY_STAMPS: [i32; 3] = [0, 10_101_011, 101_010_101];

/// A decoded ip as (value, kind code, unit name); `None` when the code is invalid.
type DecodedIp = Option<(f32, i32, &'static str)>;

/// One ip column triple: value, kind, printable kind.
struct IpColumns {
    slot: IpSlot,
    value: Vec<f32>,
    kind: Vec<i32>,
    pkind: StrColumn,
    valid: Vec<bool>,
    /// The previous row's ip, descriptor flag and decoding: consecutive records mostly
    /// share their ip2 and ip3.
    last: Option<(i32, bool, DecodedIp)>,
}

impl IpColumns {
    fn with_capacity(slot: IpSlot, rows: usize) -> Self {
        IpColumns {
            slot,
            last: None,
            value: Vec::with_capacity(rows),
            kind: Vec::with_capacity(rows),
            pkind: StrColumn::with_capacity(rows, 2),
            valid: Vec::with_capacity(rows),
        }
    }

    /// Adds the decoding of `ip` (of a descriptor record or not), returned as the level
    /// columns hold it.
    fn push(&mut self, ip: i32, descriptor: bool) -> IpValue {
        let d = match self.last {
            Some((i, desc, d)) if (i, desc) == (ip, descriptor) => d,
            _ => {
                let d = decoded_ip(self.slot, ip, descriptor);
                self.last = Some((ip, descriptor, d));
                d
            }
        };
        let (v, k, p) = d.unwrap_or((0.0, 0, ""));
        self.value.push(v);
        self.kind.push(k);
        self.pkind.push_static(p);
        self.valid.push(d.is_some());
        d.map(|(v, k, _)| (v, k))
    }

    fn into_columns(self, names: [&'static str; 3]) -> [Column; 3] {
        let valid = self.valid;
        [
            Column::with_validity(names[0], ColumnValues::Float32(self.value), valid.clone()),
            Column::with_validity(names[1], ColumnValues::Int32(self.kind), valid.clone()),
            Column::with_validity(names[2], ColumnValues::Utf8(self.pkind), valid),
        ]
    }
}

/// A date column in microseconds, null for dummy or invalid stamps.
struct DateColumn {
    micros: Vec<i64>,
    valid: Vec<bool>,
    /// The previous row's stamp and result: consecutive records mostly share dates.
    last: Option<(i32, Option<i64>)>,
}

impl DateColumn {
    fn with_capacity(rows: usize) -> Self {
        DateColumn {
            micros: Vec::with_capacity(rows),
            valid: Vec::with_capacity(rows),
            last: None,
        }
    }

    fn push(&mut self, stamp: i32) {
        let micros = match self.last {
            Some((s, m)) if s == stamp => m,
            _ if DUMMY_STAMPS.contains(&stamp) => None,
            _ => stamp_to_unix(stamp).and_then(|s| s.checked_mul(1_000_000)),
        };
        self.last = Some((stamp, micros));
        self.micros.push(micros.unwrap_or(0));
        self.valid.push(micros.is_some());
    }

    fn into_column(self, name: &'static str) -> Column {
        Column::with_validity(name, ColumnValues::DatetimeMicros(self.micros), self.valid)
    }
}

/// Column builders for the decoded keys.
pub(super) struct DecodedColumns {
    date_of_observation: DateColumn,
    date_of_validity: DateColumn,
    forecast_hour: Vec<i64>,
    forecast_valid: Vec<bool>,
    ip1: IpColumns,
    ip2: IpColumns,
    ip3: IpColumns,
    fstpy: FstpyColumns,
}

impl DecodedColumns {
    pub(super) fn with_capacity(rows: usize) -> Self {
        DecodedColumns {
            date_of_observation: DateColumn::with_capacity(rows),
            date_of_validity: DateColumn::with_capacity(rows),
            forecast_hour: Vec::with_capacity(rows),
            forecast_valid: Vec::with_capacity(rows),
            ip1: IpColumns::with_capacity(IpSlot::Ip1, rows),
            ip2: IpColumns::with_capacity(IpSlot::Ip2, rows),
            ip3: IpColumns::with_capacity(IpSlot::Ip3, rows),
            fstpy: FstpyColumns::with_capacity(rows),
        }
    }

    pub(super) fn push(&mut self, h: &RecordHeader) {
        self.date_of_observation.push(h.dateo);
        self.date_of_validity.push(h.datev);
        let micros = i64::from(h.deet)
            .checked_mul(i64::from(h.npas))
            .and_then(|s| s.checked_mul(1_000_000));
        self.forecast_hour.push(micros.unwrap_or(0));
        self.forecast_valid.push(micros.is_some());

        let nomvar = h.nomvar.trimmed();
        let d = RecordHeader::is_descriptor_name(nomvar);
        let ips = [
            self.ip1.push(h.ip1, d),
            self.ip2.push(h.ip2, d),
            self.ip3.push(h.ip3, d),
        ];
        self.fstpy.push(h, nomvar.trim_start(), ips);
    }

    /// The columns but `vctype` (see [`super::fstpy::vctype_columns`]), and what that
    /// column needs of these rows.
    pub(super) fn into_columns(self) -> (Vec<Column>, VerticalRows) {
        let mut out = vec![
            self.date_of_observation.into_column("date_of_observation"),
            self.date_of_validity.into_column("date_of_validity"),
            Column::with_validity(
                "forecast_hour",
                ColumnValues::DurationMicros(self.forecast_hour),
                self.forecast_valid,
            ),
        ];
        out.extend(self.ip1.into_columns(["level", "ip1_kind", "ip1_pkind"]));
        out.extend(self.ip2.into_columns(["ip2_dec", "ip2_kind", "ip2_pkind"]));
        out.extend(self.ip3.into_columns(["ip3_dec", "ip3_kind", "ip3_pkind"]));
        let (fstpy, vertical) = self.fstpy.into_columns();
        out.extend(fstpy);
        (out, vertical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_stamps_are_null_and_real_ones_are_dates() {
        let mut d = DateColumn::with_capacity(3);
        d.push(0);
        d.push(10_101_011);
        // 2020-01-01 00:00 as a new-style stamp, from its printable form.
        let stamp = crate::time::printable_to_stamp(20200101, 0).unwrap();
        d.push(stamp);
        assert_eq!(d.valid, vec![false, false, true]);
        assert_eq!(d.micros[2], 1_577_836_800_000_000);
    }
}
