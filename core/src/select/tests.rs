//! The selection language against files and decodings made by librmn 019.5.

use super::*;
use crate::file::File;
use crate::ip::{encode_ip, IpStyle, LevelKind};
use crate::test_support::librmn019 as corpus;

fn reference(name: &str) -> (File, serde_json::Value) {
    let path = corpus(&format!("{name}.fst"));
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json = std::fs::read(corpus(&format!("{name}.json"))).unwrap();
    (file, serde_json::from_slice(&json).unwrap())
}

fn selected(file: &File, expr: &str) -> Vec<usize> {
    Selection::parse(expr)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .select(file.records())
}

/// librmn's decoded ip1 of each record: (value, unit as `kind_to_string` prints it).
fn librmn_levels(json: &serde_json::Value) -> Vec<Option<(f64, String)>> {
    json["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let d = &r["decoded"]["ip1"];
            let unit = d["kind_str"].as_str()?.trim().to_owned();
            Some((d["value"].as_f64()?, unit))
        })
        .collect()
}

#[test]
fn decoded_levels_select_the_records_librmn_decodes_to_them() {
    for name in ["vcoord", "mini_gem", "hy_legacy", "dates_etikets"] {
        let (file, json) = reference(name);
        let levels = librmn_levels(&json);
        assert_eq!(levels.len(), file.records().len(), "{name}");
        let mut checked = 0;
        for (rec, level) in file.records().iter().zip(&levels) {
            let Some((value, unit)) = level else { continue };
            // Arbitrary codes print a blank unit.
            let unit = if unit.is_empty() {
                "arb"
            } else {
                unit.as_str()
            };
            let expr = format!("ip1={value}{unit}");
            let hits = selected(&file, &expr);
            assert!(
                hits.contains(&rec.index),
                "{name} record {}: {expr}",
                rec.index
            );
            // Every hit decodes (per librmn) to the same level.
            for &i in &hits {
                let (v, u) = levels[i].clone().unwrap();
                assert_eq!(
                    u.trim(),
                    unit.trim_start_matches("arb"),
                    "{name} {expr} hit {i}"
                );
                assert!(
                    (v - value).abs() <= 1e-6 * value.abs().max(1e-30),
                    "{name} {expr} hit {i}"
                );
            }
            checked += 1;
        }
        assert!(checked > 0, "{name}: no decodable level");
    }
}

#[test]
fn a_code_matches_both_encodings_of_its_level() {
    // vcoord holds old-style ip1s (12301 = 1500 m, 11950 = 0.995 sg) written by librmn.
    let (file, _) = reference("vcoord");
    for (old, value, kind) in [
        (12301, 1500.0, LevelKind::HeightSea),
        (11950, 0.995, LevelKind::Sigma),
    ] {
        let by_old = selected(&file, &format!("ip1={old}"));
        assert!(!by_old.is_empty(), "{old}");
        let new = encode_ip(value, kind, IpStyle::New).unwrap();
        assert_eq!(
            selected(&file, &format!("ip1={new}")),
            by_old,
            "{new} ~ {old}"
        );
        let unit = kind.unit_name();
        assert_eq!(selected(&file, &format!("level={value}{unit}")), by_old);
    }
    assert_eq!(
        canonical_ip(Key::Ip1, 12301),
        canonical_ip(
            Key::Ip1,
            encode_ip(1500.0, LevelKind::HeightSea, IpStyle::New).unwrap()
        )
    );
    assert_eq!(
        canonical_ip(Key::Ip2, 6),
        encode_ip(6.0, LevelKind::Hours, IpStyle::New).unwrap()
    );
    assert_eq!(canonical_ip(Key::Ip3, 6), 6);
    // An old-style ip2 is hours: 6 and the new-style 6 h are the same.
    let six_hours = encode_ip(6.0, LevelKind::Hours, IpStyle::New).unwrap();
    let by_old = selected(&file, "ip2=6");
    assert!(!by_old.is_empty());
    assert_eq!(selected(&file, &format!("ip2={six_hours}")), by_old);
    assert_eq!(selected(&file, "ip2=6h"), by_old);
}

#[test]
fn level_ranges_and_exclusions() {
    let (file, json) = reference("vcoord");
    let levels = librmn_levels(&json);
    let hits = selected(&file, "nomvar=TT ip1=0.5:1.0hy");
    let expected: Vec<usize> = file
        .records()
        .iter()
        .filter(|r| r.header.nomvar.trimmed() == "TT")
        .filter(|r| {
            levels[r.index]
                .as_ref()
                .is_some_and(|(v, u)| u == "hy" && (0.5..=1.0).contains(v))
        })
        .map(|r| r.index)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(hits, expected);
    // The same selection with the bounds reversed and `..`.
    assert_eq!(selected(&file, "nomvar=TT ip1=1.0..0.5hy"), expected);
    let not_tt = selected(&file, "nomvar!=TT");
    assert!(not_tt
        .iter()
        .all(|&i| file.records()[i].header.nomvar.trimmed() != "TT"));
    let all = Selection::any().select(file.records()).len();
    assert_eq!(not_tt.len() + selected(&file, "nomvar=TT").len(), all);
    let excluded = Selection::any().exclude(Selection::parse("nomvar=TT ip1=0.5:1.0hy").unwrap());
    assert_eq!(excluded.select(file.records()).len(), all - expected.len());
}

#[test]
fn dates_select_what_librmn_decodes() {
    let (file, json) = reference("dates_etikets");
    for (rec, r) in file
        .records()
        .iter()
        .zip(json["records"].as_array().unwrap())
    {
        let d = &r["decoded"]["datev"];
        let (Some(ymd), Some(hms)) = (d["yyyymmdd"].as_i64(), d["hhmmsshh"].as_i64()) else {
            continue; // librmn does not decode it (no date)
        };
        if ymd == 0 || rec.header.datev == 0 {
            continue;
        }
        let iso = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            ymd / 10000,
            ymd / 100 % 100,
            ymd % 100,
            hms / 1_000_000,
            hms / 10_000 % 100,
            hms / 100 % 100
        );
        assert!(
            selected(&file, &format!("datev={iso}")).contains(&rec.index),
            "{iso}"
        );
        let compact = format!("{ymd:08}{:06}", hms / 100);
        let range = format!("datev={compact}..{compact}");
        assert!(selected(&file, &range).contains(&rec.index), "{range}");
    }
    // No record of 1900 or before 1980 for D0/D9 (old stamps): an open range from 2000.
    let recent = selected(&file, "datev=2000-01-01..");
    assert!(recent.iter().all(
        |&i| file.records()[i].header.datev > 280_988_000 || file.records()[i].header.datev < 0
    ));
    assert!(selected(&file, "date=2000-01-01/2000-01-01T00:00:01")
        .iter()
        .all(|&i| file.records()[i].header.datev == 280_988_000));
}

#[test]
fn names_grids_and_integers() {
    let (file, _) = reference("mini_gem");
    let tt = selected(&file, "nomvar=tt");
    let count = |n: &str| {
        file.records()
            .iter()
            .filter(|r| r.header.nomvar.trimmed() == n)
            .count()
    };
    assert_eq!(tt.len(), count("TT"));
    let t2 = selected(&file, "nomvar=T?");
    assert!(tt.iter().all(|i| t2.contains(i)));
    assert!(t2
        .iter()
        .all(|&i| file.records()[i].header.nomvar.trimmed().len() == 2));
    assert_eq!(selected(&file, "nomvar='TT' etiket=G1*"), tt);
    assert_eq!(
        selected(&file, "nomvar=TT,HU").len(),
        count("TT") + count("HU")
    );
    assert_eq!(selected(&file, "nomvar=*").len(), file.records().len());
    let z = selected(&file, "grtyp=Z ni=20 nj=10:20");
    assert!(z.iter().all(|&i| file.records()[i].header.grtyp == b'Z'));
    assert!(!z.is_empty());
    assert!(selected(&file, "ni=21:").is_empty());
    assert_eq!(selected(&file, "lead=0"), selected(&file, "npas=0"));
}

#[test]
fn errors_name_the_clause() {
    for (expr, says) in [
        ("nomvar", "not a clause"),
        ("bogus=1", "unknown key"),
        ("ip1=850", ""),
        ("ip1=0.5", "unit"),
        ("ip1=850xx", "unknown unit"),
        ("datev=yesterday", "not a date"),
        ("ni=abc", "not an integer"),
        ("etiket='G1", "unclosed"),
        ("ni=..", "bound"),
    ] {
        match Selection::parse(expr) {
            Ok(_) => assert!(says.is_empty(), "{expr} parsed"),
            Err(e) => assert!(
                !says.is_empty() && e.to_string().contains(says),
                "{expr}: {e}"
            ),
        }
    }
}
