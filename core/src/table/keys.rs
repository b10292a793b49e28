//! The raw-key columns: what `fstprm` reports, fstpy's names, signed integers.

use crate::Backend;

use super::column::{Column, ColumnValues, StrColumn};
use super::Row;

/// Column builders for the stored keys and the record's location.
pub(super) struct KeyColumns {
    path: StrColumn,
    key: Vec<i32>,
    nomvar: StrColumn,
    typvar: StrColumn,
    etiket: StrColumn,
    ni: Vec<i32>,
    nj: Vec<i32>,
    nk: Vec<i32>,
    dateo: Vec<i32>,
    ip1: Vec<i32>,
    ip2: Vec<i32>,
    ip3: Vec<i32>,
    deet: Vec<i32>,
    npas: Vec<i32>,
    datyp: Vec<i16>,
    nbits: Vec<i16>,
    data_bits: Vec<i16>,
    grtyp: StrColumn,
    ig: [Vec<i32>; 4],
    datev: Vec<i32>,
    offset: Vec<i64>,
    length: Vec<i64>,
    backend: StrColumn,
    data_type_str: StrColumn,
}

/// fstpy's `DATYP_DICT` letter of a base datyp (its own alphabet, not librmn's voir one).
fn fstpy_letter(base: u8) -> u8 {
    match base {
        0 => b'X',
        1 => b'R',
        2 => b'I',
        3 => b'C',
        4 => b'S',
        5 => b'E',
        6 => b'F',
        7 => b'A',
        8 => b'Z',
        _ => b'?',
    }
}

/// Dimensions beyond `i32::MAX` (possible in RSF) saturate instead of wrapping negative.
fn dim(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn int64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl KeyColumns {
    pub(super) fn with_capacity(rows: usize) -> Self {
        let ints = || Vec::with_capacity(rows);
        KeyColumns {
            path: StrColumn::with_capacity(rows, 32),
            key: ints(),
            nomvar: StrColumn::with_capacity(rows, 4),
            typvar: StrColumn::with_capacity(rows, 2),
            etiket: StrColumn::with_capacity(rows, 12),
            ni: ints(),
            nj: ints(),
            nk: ints(),
            dateo: ints(),
            ip1: ints(),
            ip2: ints(),
            ip3: ints(),
            deet: ints(),
            npas: ints(),
            datyp: Vec::with_capacity(rows),
            nbits: Vec::with_capacity(rows),
            data_bits: Vec::with_capacity(rows),
            grtyp: StrColumn::with_capacity(rows, 1),
            ig: [ints(), ints(), ints(), ints()],
            datev: ints(),
            offset: Vec::with_capacity(rows),
            length: Vec::with_capacity(rows),
            backend: StrColumn::with_capacity(rows, 3),
            data_type_str: StrColumn::with_capacity(rows, 1),
        }
    }

    /// Adds the path and backend of the last `rows` rows pushed, all of one file.
    pub(super) fn push_file(&mut self, path: &str, backend: Backend, rows: usize) {
        self.path.push_repeated(path, rows);
        let backend = match backend {
            Backend::Xdf => "xdf",
            Backend::Rsf => "rsf",
        };
        self.backend.push_repeated(backend, rows);
    }

    /// Adds one row but its path and backend (see [`KeyColumns::push_file`]).
    pub(super) fn push(&mut self, row: &Row<'_>) {
        let h = row.header;
        self.key.push(i32::try_from(row.index).unwrap_or(i32::MAX));
        self.nomvar.push_name(&h.nomvar);
        self.typvar.push_name(&h.typvar);
        self.etiket.push_name(&h.etiket);
        self.ni.push(dim(h.ni));
        self.nj.push(dim(h.nj));
        self.nk.push(dim(h.nk));
        self.dateo.push(h.dateo);
        self.ip1.push(h.ip1);
        self.ip2.push(h.ip2);
        self.ip3.push(h.ip3);
        self.deet.push(h.deet);
        self.npas.push(h.npas);
        self.datyp.push(i16::from(h.datyp.raw()));
        self.nbits.push(i16::from(h.nbits));
        self.data_bits.push(i16::from(h.effective_data_bits()));
        if h.grtyp.is_ascii() {
            self.grtyp.push_ascii(&[h.grtyp]);
        } else {
            let mut letter = [0u8; 4];
            self.grtyp.push(h.grtyp_char().encode_utf8(&mut letter));
        }
        for (col, v) in self.ig.iter_mut().zip([h.ig1, h.ig2, h.ig3, h.ig4]) {
            col.push(v);
        }
        self.datev.push(h.datev);
        self.offset.push(int64(row.offset));
        self.length.push(int64(row.length));
        let mut c = fstpy_letter(h.datyp.base_code());
        // fstpy writes the letter of turbo-compressed (+128) records in lower case.
        if h.datyp.is_turbo() {
            c = c.to_ascii_lowercase();
        }
        self.data_type_str.push_ascii(&[c]);
    }

    pub(super) fn into_columns(self) -> Vec<Column> {
        use ColumnValues::{Int16, Int32, Int64, Utf8};
        let [ig1, ig2, ig3, ig4] = self.ig;
        vec![
            Column::new("path", Utf8(self.path)),
            Column::new("key", Int32(self.key)),
            Column::new("nomvar", Utf8(self.nomvar)),
            Column::new("typvar", Utf8(self.typvar)),
            Column::new("etiket", Utf8(self.etiket)),
            Column::new("ni", Int32(self.ni)),
            Column::new("nj", Int32(self.nj)),
            Column::new("nk", Int32(self.nk)),
            Column::new("dateo", Int32(self.dateo)),
            Column::new("ip1", Int32(self.ip1)),
            Column::new("ip2", Int32(self.ip2)),
            Column::new("ip3", Int32(self.ip3)),
            Column::new("deet", Int32(self.deet)),
            Column::new("npas", Int32(self.npas)),
            Column::new("datyp", Int16(self.datyp)),
            Column::new("nbits", Int16(self.nbits)),
            Column::new("data_bits", Int16(self.data_bits)),
            Column::new("grtyp", Utf8(self.grtyp)),
            Column::new("ig1", Int32(ig1)),
            Column::new("ig2", Int32(ig2)),
            Column::new("ig3", Int32(ig3)),
            Column::new("ig4", Int32(ig4)),
            Column::new("datev", Int32(self.datev)),
            Column::new("offset", Int64(self.offset)),
            Column::new("length", Int64(self.length)),
            Column::new("backend", Utf8(self.backend)),
            Column::new("data_type_str", Utf8(self.data_type_str)),
        ]
    }
}
