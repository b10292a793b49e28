//! Byte-level tests of the XDF parsers (file header, directory page, directory entry), on
//! bytes built by hand from `shared/spec/xdf.md` §1.2, §1.3 and §2.

use super::{addr_to_offset, entry_from_words, DirPage, XdfHeader, ENTRIES_PER_PAGE};
use crate::container::Backend;
use crate::error::{Error, FormatError, FormatErrorKind};

/// The 16 header words of the corpus file `tiny_d005_e32_xdf.fst` (spec §1.2).
const TINY_HEADER: [u32; 16] = [
    0x0000_001a,
    0,
    0x5844_4630,
    0x5354_4452,
    0x0000_093a,
    0,
    1,
    1,
    0x0000_001b,
    0x0000_001c,
    0x0010_0009,
    0x0002_0001,
    0,
    1,
    0,
    0,
];

fn be_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn format_error(result: Result<impl std::fmt::Debug, Error>) -> FormatError {
    match result {
        Err(Error::Format(e)) => e,
        other => panic!("expected a format error, got {other:?}"),
    }
}

fn parse_header(words: &[u32], file_len: u64) -> (crate::Result<XdfHeader>, Vec<String>) {
    let mut warnings = Vec::new();
    let header = XdfHeader::parse(&be_bytes(words), file_len, &mut warnings);
    (header, warnings)
}

#[test]
fn header_fields_of_a_real_file() {
    let (header, warnings) = parse_header(&TINY_HEADER, 0x93a * 8);
    let header = header.unwrap();
    assert_eq!(
        header,
        XdfHeader {
            lng: 26,
            fsiz: 0x93a,
            nrwr: 0,
            nxtn: 1,
            nbd: 1,
            plst: 27,
            nbig: 28,
            nprm: 16,
            lprm: 9,
            naux: 2,
            laux: 1,
            neff: 0,
            nrec: 1,
            rwflg: 0,
        }
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(header.first_page_addr(), 27);
    assert_eq!(header.page_bytes(), 18_464);
}

#[test]
fn header_every_word_lands_in_its_field() {
    let mut words = TINY_HEADER;
    for (i, value) in [
        (5, 0x11),
        (6, 0x12),
        (7, 0x13),
        (8, 0x14),
        (9, 0x15),
        (12, 0x16),
        (13, 0x17),
    ] {
        words[i] = value;
    }
    words[11] = 0x0007_0003;
    let header = parse_header(&words, 0x93a * 8).0.unwrap();
    let got = [
        header.nrwr,
        header.nxtn,
        header.nbd,
        header.plst,
        header.nbig,
        header.neff,
        header.nrec,
    ];
    assert_eq!(got, [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]);
    assert_eq!((header.naux, header.laux), (7, 3));
}

#[test]
fn header_size_mismatch_and_write_flag_are_warnings() {
    let mut words = TINY_HEADER;
    words[14] = 4;
    let (header, warnings) = parse_header(&words, 0x93a * 8 + 8);
    assert_eq!(header.unwrap().rwflg, 4);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("file size"), "{warnings:?}");
    assert!(warnings[1].contains("open for writing"), "{warnings:?}");
}

#[test]
fn header_shorter_than_64_bytes_is_truncated() {
    let e = format_error(parse_header(&TINY_HEADER[..15], 60).0);
    assert!(
        matches!(
            e.kind,
            FormatErrorKind::Truncated {
                needed: 64,
                available: 60,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!((e.offset, e.backend), (Some(0), Some(Backend::Xdf)));
}

#[test]
fn header_rejections() {
    let cases: [(usize, u32, &str); 6] = [
        (0, 0x0100_001a, "header record type"),
        (10, 0x0010_000a, "primary key layout"),
        (10, 0x0011_0009, "primary key layout"),
        (0, 7, "header length"),
        (7, 0, "number of directory pages"),
        (7, super::MAX_DIR_PAGES + 1, "number of directory pages"),
    ];
    for (word, value, what) in cases {
        let mut words = TINY_HEADER;
        words[word] = value;
        let e = format_error(parse_header(&words, 0x93a * 8).0);
        let named = match e.kind {
            FormatErrorKind::Mismatch { what, .. } | FormatErrorKind::InvalidValue { what, .. } => {
                what
            }
            ref other => panic!("word {word} = {value:#x}: unexpected {other:?}"),
        };
        assert!(named.starts_with(what), "word {word} = {value:#x}: {named}");
        assert_eq!(e.offset, Some(0));
    }
    let mut words = TINY_HEADER;
    words[7] = super::MAX_DIR_PAGES;
    assert!(
        parse_header(&words, 0x93a * 8).0.is_ok(),
        "the largest page count is accepted"
    );
}

/// A page at `addr` with the given entries (18 words each), its checksum set (spec §1.3).
fn page_words(header: &XdfHeader, addr: u32, next: u32, entries: &[[u32; 18]]) -> Vec<u32> {
    let mut words = vec![0u32; header.page_bytes() / 4];
    words[0] = (header.page_bytes() / 8) as u32;
    words[1] = addr;
    words[4] = next;
    words[5] = entries.len() as u32;
    for (e, entry) in entries.iter().enumerate() {
        words[8 + 18 * e..8 + 18 * (e + 1)].copy_from_slice(entry);
    }
    words[6] = (4..words.len())
        .filter(|&i| i != 6)
        .fold(0, |acc, i| acc ^ words[i]);
    words
}

fn tiny_header() -> XdfHeader {
    parse_header(&TINY_HEADER, 0x93a * 8).0.unwrap()
}

/// A live entry for a record at `addr` of `lng` 8-byte units, keys 100..116.
fn entry(idtyp: u32, lng: u32, addr: u32) -> [u32; 18] {
    let mut words = [0u32; 18];
    words[0] = idtyp << 24 | lng;
    words[1] = addr;
    for (k, w) in words[2..].iter_mut().enumerate() {
        *w = 100 + k as u32;
    }
    words
}

#[test]
fn page_header_and_entries() {
    let header = tiny_header();
    let entries = [entry(1, 28, 2335), entry(255, 40, 2363)];
    let bytes = be_bytes(&page_words(&header, 27, 5919, &entries));
    let mut warnings = Vec::new();
    let page = DirPage::parse(&bytes, 27, &header, &mut warnings).unwrap();
    assert_eq!(
        page,
        DirPage {
            addr: 27,
            next_addr: 5919,
            nent: 2
        }
    );
    assert!(warnings.is_empty(), "{warnings:?}");

    let mut out = Vec::new();
    page.push_entries(&bytes, 0, 0x93a * 8, &mut out).unwrap();
    assert_eq!(out.len(), 2);
    let live = &out[0];
    assert_eq!((live.index, live.deleted), (0, false));
    assert_eq!(live.record_offset, addr_to_offset(2335));
    assert_eq!(
        (live.record_len, live.data_offset, live.data_len),
        (224, addr_to_offset(2335) + 80, 144)
    );
    assert_eq!(live.keys.0[0], 100);
    assert_eq!(live.keys.0[15], 115);
    assert_eq!(
        (live.meta_words, live.extended_metadata.as_deref()),
        (0, None)
    );
    assert_eq!(
        (out[1].index, out[1].deleted, out[1].record_len),
        (1, true, 320)
    );
}

#[test]
fn page_bad_checksum_is_a_warning() {
    let header = tiny_header();
    let mut words = page_words(&header, 27, 0, &[entry(1, 28, 2335)]);
    words[7] ^= 0x0100; // reserved3 is covered by the checksum
    let mut warnings = Vec::new();
    let page = DirPage::parse(&be_bytes(&words), 27, &header, &mut warnings).unwrap();
    assert_eq!(page.nent, 1);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("checksum"), "{warnings:?}");
    // Words 0-3 are outside the checksum: a reserved word there changes nothing.
    let mut words = page_words(&header, 27, 0, &[]);
    words[2] = 0x4449_5230;
    let mut warnings = Vec::new();
    DirPage::parse(&be_bytes(&words), 27, &header, &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn page_rejections() {
    let header = tiny_header();
    let good = page_words(&header, 27, 0, &[]);
    for (word, value, what) in [
        (0, 2307, "directory page header"),
        (0, 0x0100_0904, "directory page header"),
        (1, 28, "directory page self address"),
        (5, ENTRIES_PER_PAGE + 1, "directory page entry count"),
    ] {
        let mut words = good.clone();
        words[word] = value;
        let e = format_error(DirPage::parse(
            &be_bytes(&words),
            27,
            &header,
            &mut Vec::new(),
        ));
        let named = match e.kind {
            FormatErrorKind::Mismatch { what, .. } | FormatErrorKind::InvalidValue { what, .. } => {
                what
            }
            ref other => panic!("word {word} = {value:#x}: unexpected {other:?}"),
        };
        assert!(named.starts_with(what), "word {word} = {value:#x}: {named}");
        assert_eq!(
            (e.offset, e.backend),
            (Some(addr_to_offset(27)), Some(Backend::Xdf))
        );
    }
    let mut full = good.clone();
    full[5] = ENTRIES_PER_PAGE;
    assert!(DirPage::parse(&be_bytes(&full), 27, &header, &mut Vec::new()).is_ok());
    let short = be_bytes(&good[..good.len() - 1]);
    let e = format_error(DirPage::parse(&short, 27, &header, &mut Vec::new()));
    assert!(matches!(e.kind, FormatErrorKind::Truncated { .. }), "{e:?}");
}

#[test]
fn entry_live_and_deleted_by_idtyp() {
    // Live means idtyp 1..=125 (spec §1.5); everything else is listed as deleted.
    for (idtyp, deleted) in [
        (1, false),
        (125, false),
        (126, true),
        (127, true),
        (254, true),
        (255, true),
        (0, true),
    ] {
        let e = entry_from_words(&entry(idtyp, 28, 2335), 3, 1 << 20, 1000).unwrap();
        assert_eq!(e.deleted, deleted, "idtyp {idtyp}");
        assert_eq!(e.index, 3);
    }
}

#[test]
fn entry_rejections_name_record_and_offset() {
    for (words, what) in [
        (entry(1, 28, 0), "record address"),
        (entry(1, 9, 2335), "record length"),
    ] {
        let e = format_error(entry_from_words(&words, 7, 1 << 20, 1000));
        match e.kind {
            FormatErrorKind::InvalidValue { what: named, .. } => {
                assert!(named.starts_with(what), "{named}");
            }
            ref other => panic!("unexpected {other:?}"),
        }
        assert_eq!((e.record, e.offset), (Some(7), Some(1000)));
    }
    // A deleted entry is never dereferenced, so its address and length are not checked.
    let e = entry_from_words(&entry(255, 0, 0), 0, 1 << 20, 1000).unwrap();
    assert!(e.deleted);
    assert_eq!((e.record_len, e.data_len), (0, 0));
    // The smallest live record: a header and no data.
    let e = entry_from_words(&entry(1, 10, 2335), 0, 1 << 20, 1000).unwrap();
    assert_eq!((e.record_len, e.data_len), (80, 0));
}
