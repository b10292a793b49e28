//! Write → read round trips through our own reader, both backends, every datyp.

mod common;

use fst24::writer::{Data, RecordKeys, Writer, WriterOptions};
use fst24::{Array, Backend, File, Values};
use proptest::prelude::*;

fn tmp(name: &str) -> common::ScratchPath {
    common::ScratchPath::new("writer-rt", name)
}

fn keys(name: &str, ni: u32, nj: u32, datyp: u8, nbits: u8) -> RecordKeys {
    let mut k = RecordKeys::new(name, ni, nj, 1);
    k.datyp = datyp;
    k.nbits = nbits;
    k.ip1 = 41394464;
    k.ip2 = 6;
    k.dateo = 478263500;
    k.deet = 600;
    k.npas = 6;
    k.typvar = fst24::record::Name::new("P");
    k.etiket = fst24::record::Name::new("ROUNDTRIP");
    k.ig2 = 0x123456;
    k
}

/// Writes one record and reads it back: stored (datyp, nbits) and the decoded array.
fn round_trip(backend: Backend, k: &RecordKeys, data: Data<'_>) -> ((u8, u8), Array) {
    let path = tmp(&format!(
        "rt-{}-{}.fst",
        k.nomvar.trimmed(),
        if backend == Backend::Xdf {
            "xdf"
        } else {
            "rsf"
        }
    ));
    let mut w = Writer::create(&path, WriterOptions::backend(backend)).unwrap();
    w.write(k, data).unwrap();
    w.close().unwrap();
    let f = File::open(&path).unwrap();
    assert_eq!(f.backend(), backend);
    assert!(f.warnings().is_empty(), "{:?}", f.warnings());
    let rec = &f.records()[0];
    let h = rec.header;
    assert_eq!(h.nomvar, k.nomvar);
    assert_eq!(h.typvar, k.typvar);
    assert_eq!(h.etiket, k.etiket);
    assert_eq!((h.ni, h.nj, h.nk), (k.ni, k.nj, k.nk));
    assert_eq!((h.ip1, h.ip2, h.ip3), (k.ip1, k.ip2, k.ip3));
    assert_eq!((h.ig1, h.ig2, h.ig3, h.ig4), (k.ig1, k.ig2, k.ig3, k.ig4));
    assert_eq!((h.deet, h.npas, h.dateo), (k.deet, k.npas, k.dateo));
    assert_eq!(h.grtyp, k.grtyp);
    let a = f.read(rec.index).unwrap();
    std::fs::remove_file(&path).unwrap();
    ((h.datyp.raw(), h.nbits), a)
}

fn floats(a: &Array) -> Vec<f64> {
    match &a.values {
        Values::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
        Values::F64(v) => v.clone(),
        other => panic!("not reals: {:?}", other.element_type()),
    }
}

const BACKENDS: [Backend; 2] = [Backend::Xdf, Backend::Rsf];

/// Largest error a quantiser of `nbits` may make over `v` (token steps of at most
/// twice the range / 2^nbits, plus float rounding).
fn bound(v: &[f32], nbits: u8) -> f64 {
    let (lo, hi) = v.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| {
        (a.min(f64::from(x)), b.max(f64::from(x)))
    });
    let amax = lo.abs().max(hi.abs());
    4.0 * (hi - lo) / 2f64.powi(i32::from(nbits)) + amax * 2f64.powi(-22) + 1e-30
}

fn field(ni: u32, nj: u32, seed: f32) -> Vec<f32> {
    (0..ni * nj)
        .map(|p| {
            let (i, j) = ((p % ni) as f32, (p / ni) as f32);
            250.0 + 20.0 * (0.3 * i + seed).sin() + 7.0 * (0.2 * j).cos()
        })
        .collect()
}

#[test]
fn quantised_reals_every_width() {
    let v = field(20, 17, 0.4);
    for b in BACKENDS {
        for nbits in 1..=30u8 {
            let ((d, n), a) = round_trip(b, &keys("R", 20, 17, 1, nbits), Data::F32(&v));
            assert_eq!((d, n), (1, nbits));
            let tol = bound(&v, nbits);
            for (x, y) in v.iter().zip(floats(&a)) {
                assert!((f64::from(*x) - y).abs() <= tol, "R{nbits}: {x} vs {y}");
            }
        }
        for nbits in 1..=16u8 {
            let ((d, n), a) = round_trip(b, &keys("F", 20, 17, 6, nbits), Data::F32(&v));
            assert_eq!((d, n), (6, nbits));
            let tol = bound(&v, nbits);
            for (x, y) in v.iter().zip(floats(&a)) {
                assert!((f64::from(*x) - y).abs() <= tol, "F{nbits}: {x} vs {y}");
            }
        }
    }
}

#[test]
fn normalisations_as_librmn() {
    let v = field(20, 17, 1.0);
    for b in BACKENDS {
        // R31/R32 → E32, F > 24 → E32, F 17..24 → R, reals > 32 bits → E64.
        assert_eq!(
            round_trip(b, &keys("A", 20, 17, 1, 32), Data::F32(&v)).0,
            (5, 32)
        );
        assert_eq!(
            round_trip(b, &keys("B", 20, 17, 6, 28), Data::F32(&v)).0,
            (5, 32)
        );
        assert_eq!(
            round_trip(b, &keys("C", 20, 17, 6, 20), Data::F32(&v)).0,
            (1, 20)
        );
        assert_eq!(
            round_trip(b, &keys("D", 20, 17, 1, 64), Data::F32(&v)).0,
            (5, 64)
        );
        // Turbo dropped above 16 bits (except 133) and for 3-D fields.
        assert_eq!(
            round_trip(b, &keys("E", 20, 17, 134, 20), Data::F32(&v)).0,
            (1, 20)
        );
        let mut k3 = keys("F3", 4, 5, 134, 16);
        k3.nk = 17;
        assert_eq!(round_trip(b, &k3, Data::F32(&v)).0, (6, 16));
        // Signed turbo (132) is stored as plain signed.
        let iv: Vec<i32> = (0..340).map(|i| i - 170).collect();
        assert_eq!(
            round_trip(b, &keys("SC", 20, 17, 132, 16), Data::I32(&iv)).0,
            (4, 16)
        );
    }
}

#[test]
fn ieee_exact_and_truncated() {
    let v = field(20, 17, 2.0);
    let d: Vec<f64> = v.iter().map(|&x| f64::from(x) * 1.000_000_001).collect();
    for b in BACKENDS {
        for nbits in 16..=32u8 {
            let ((dt, n), a) = round_trip(b, &keys("E", 20, 17, 5, nbits), Data::F32(&v));
            assert_eq!((dt, n), (5, nbits));
            let mask = !0u32 << (32 - u32::from(nbits));
            for (x, y) in v.iter().zip(floats(&a)) {
                assert_eq!(f64::from(f32::from_bits(x.to_bits() & mask)), y);
            }
        }
        let (_, a) = round_trip(b, &keys("E64", 20, 17, 5, 64), Data::F64(&d));
        assert_eq!(floats(&a), d);
        let k = keys("BAD", 20, 17, 5, 12);
        let path = tmp("bad.fst");
        let mut w = Writer::create(&path, WriterOptions::backend(b)).unwrap();
        assert!(matches!(w.write(&k, &v), Err(fst24::Error::Usage(_))));
        w.close().unwrap();
    }
}

#[test]
fn turbo_variants() {
    let v = field(40, 30, 0.1);
    for b in BACKENDS {
        let ((d, n), a) = round_trip(b, &keys("T134", 40, 30, 134, 16), Data::F32(&v));
        assert_eq!((d, n), (134, 16));
        let tol = bound(&v, 16);
        assert!(v
            .iter()
            .zip(floats(&a))
            .all(|(x, y)| (f64::from(*x) - y).abs() <= tol));
        let ((d, _), a) = round_trip(b, &keys("T129", 40, 30, 129, 16), Data::F32(&v));
        assert_eq!(d, 129);
        assert!(v
            .iter()
            .zip(floats(&a))
            .all(|(x, y)| (f64::from(*x) - y).abs() <= tol));
        let ((d, _), a) = round_trip(b, &keys("T133", 40, 30, 133, 32), Data::F32(&v));
        assert_eq!(d, 133);
        assert!(v.iter().zip(floats(&a)).all(|(x, y)| f64::from(*x) == y));
        let u: Vec<u32> = (0..1200u32).map(|p| (p % 40) * 7 + (p / 40) * 3).collect();
        let ((d, _), a) = round_trip(b, &keys("T130", 40, 30, 130, 12), Data::U32(&u));
        assert_eq!(d, 130);
        assert_eq!(a.values, Values::U32(u.clone()));
        // 129 below 16 bits is refused (librmn cannot read it back).
        let path = tmp("bad129.fst");
        let mut w = Writer::create(&path, WriterOptions::backend(b)).unwrap();
        assert!(w.write(&keys("T", 40, 30, 129, 12), &v).is_err());
        w.close().unwrap();
    }
}

#[test]
fn integers_chars_complex_binary() {
    for b in BACKENDS {
        for nbits in 1..=32u8 {
            let max = if nbits == 32 {
                u32::MAX
            } else {
                (1u32 << nbits) - 1
            };
            let u: Vec<u32> = (0..30u32)
                .map(|i| max.wrapping_sub(i * 977) & max)
                .collect();
            let ((d, n), a) = round_trip(b, &keys("U", 6, 5, 2, nbits), Data::U32(&u));
            assert_eq!((d, n), (2, nbits));
            assert_eq!(a.values, Values::U32(u));
            let half = 1i64 << (nbits - 1);
            let s: Vec<i32> = (0..30i64)
                .map(|i| ((i * 7919) % (2 * half) - half) as i32)
                .collect();
            let ((d, n), a) = round_trip(b, &keys("I", 6, 5, 4, nbits), Data::I32(&s));
            assert_eq!((d, n), (4, nbits));
            assert_eq!(a.values, Values::I32(s));
        }
        let u8s: Vec<u8> = (0..30).map(|i| (i * 9) as u8).collect();
        let (st, a) = round_trip(b, &keys("U8", 6, 5, 2, 8), Data::U8(&u8s));
        assert_eq!(st, (2, 8));
        assert_eq!(a.values, Values::U8(u8s));
        let i16s: Vec<i16> = (0..30).map(|i| (i * 997 - 15000) as i16).collect();
        let (_, a) = round_trip(b, &keys("I16", 6, 5, 4, 16), Data::I16(&i16s));
        assert_eq!(a.values, Values::I16(i16s));
        let text = b"Hello, standard file! 0123456".to_vec();
        for datyp in [3u8, 7] {
            let (st, a) = round_trip(b, &keys("CH", 29, 1, datyp, 8), Data::Chars(&text));
            assert_eq!(st, (datyp, 8));
            assert_eq!(a.values, Values::Chars(text.clone()));
        }
        let c: Vec<f32> = (0..24).map(|i| i as f32 * 0.5 - 3.0).collect();
        let (st, a) = round_trip(b, &keys("CX", 6, 2, 8, 32), Data::C64(&c));
        assert_eq!(st, (8, 32));
        assert_eq!(a.values, Values::C64(c));
        let c2: Vec<f64> = (0..24).map(|i| f64::from(i) / 3.0).collect();
        let (st, a) = round_trip(b, &keys("CZ", 6, 2, 8, 64), Data::C128(&c2));
        assert_eq!(st, (8, 64));
        assert_eq!(a.values, Values::C128(c2));
        let words: Vec<u32> = (0..12).map(|i| 0xA0B0_C0D0 + i).collect();
        let (st, a) = round_trip(b, &keys("BN", 4, 3, 0, 32), Data::Words(&words));
        assert_eq!(st, (0, 32));
        assert_eq!(a.values, Values::Words(words));
    }
    // 64-bit integers (RSF only) are stored as a raw little-endian copy (spec rsf.md
    // §3.1); checked on the bytes, independently of the reader's word-order handling.
    let big: Vec<i64> = vec![5, -4_294_967_301, 8_589_934_597, i64::MAX, i64::MIN + 1];
    let path = tmp("i64.rsf");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Rsf)).unwrap();
    w.write(&keys("I64", 5, 1, 4, 64), &big).unwrap();
    w.close().unwrap();
    let f = File::open(&path).unwrap();
    let rec = &f.records()[0];
    assert_eq!(
        (
            rec.header.datyp.raw(),
            rec.header.nbits,
            rec.header.data_bits
        ),
        (4, 64, 64)
    );
    let bytes = std::fs::read(&path).unwrap();
    let at = rec.entry.data_offset as usize;
    let expected: Vec<u8> = big.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(&bytes[at..at + 40], &expected[..]);
    assert_eq!(f.read(rec.index).unwrap().values, Values::I64(big.clone()));
    let ubig: Vec<u64> = vec![0x0102_0304_0506_0708, 0, u64::MAX];
    let (st, a) = round_trip(Backend::Rsf, &keys("U64", 3, 1, 2, 64), Data::U64(&ubig));
    assert_eq!(st, (2, 64));
    assert_eq!(a.values, Values::U64(ubig));
    let path = tmp("i64.fst");
    let mut w = Writer::create(&path, WriterOptions::backend(Backend::Xdf)).unwrap();
    assert!(w.write(&keys("I64", 5, 1, 4, 64), &big).is_err());
}

#[test]
fn missing_values() {
    let mut dense = field(40, 30, 0.0);
    for p in (0..1200).step_by(7) {
        dense[p] = -1.0e38;
    }
    // Few missing points, so that turbo compression still gains.
    let mut sparse = field(40, 30, 0.0);
    for p in [41, 500, 1001] {
        sparse[p] = -1.0e38;
    }
    let mut iv: Vec<i32> = (0..60).map(|i| i * 3 - 50).collect();
    for p in (3..60).step_by(9) {
        iv[p] = i32::MIN;
    }
    for b in BACKENDS {
        // Turbo + missing too: 193 = 129|64, 198 = 134|64, 197 = 133|64.
        for (datyp, nbits) in [
            (65u8, 16u8),
            (70, 16),
            (69, 32),
            (65, 8),
            (193, 16),
            (198, 16),
            (197, 32),
        ] {
            let v = if datyp & 128 != 0 { &sparse } else { &dense };
            let path = tmp("mv.fst");
            let mut w = Writer::create(&path, WriterOptions::backend(b)).unwrap();
            w.write(&keys("MV", 40, 30, datyp, nbits), v).unwrap();
            w.close().unwrap();
            let f = File::open(&path).unwrap();
            assert_eq!(f.records()[0].header.datyp.raw(), datyp);
            let mut opts = fst24::DecodeOptions::default();
            opts.missing = fst24::MissingMode::Marker;
            let a = f.read_with(0, &opts).unwrap();
            let got = floats(&a);
            let tol = bound(&field(40, 30, 0.0), nbits);
            for (x, y) in v.iter().zip(&got) {
                if *x == -1.0e38 {
                    assert_eq!(*y, f64::from(-1.0e38_f32), "{datyp}/{nbits}");
                } else {
                    assert!(
                        (f64::from(*x) - y).abs() <= tol,
                        "{datyp}/{nbits}: {x} vs {y}"
                    );
                }
            }
        }
        // When compression does not gain, turbo falls back to the plain packing (as in
        // librmn) and keeps the missing flag.
        let ((d, _), _) = round_trip(b, &keys("FB", 40, 30, 198, 16), Data::F32(&dense));
        assert_eq!(d, 70);
        let (st, a) = round_trip(b, &keys("MI", 10, 6, 68, 16), Data::I32(&iv));
        assert_eq!(st, (68, 16));
        // Plug mode returns the plug (max + 1) where the markers were.
        let Values::I32(got) = a.values else { panic!() };
        let plug = iv.iter().filter(|&&x| x != i32::MIN).max().unwrap() + 1;
        for (x, y) in iv.iter().zip(got) {
            assert_eq!(y, if *x == i32::MIN { plug } else { *x });
        }
        // No missing point: the flag is dropped, as librmn does.
        let clean = field(15, 10, 3.0);
        assert_eq!(
            round_trip(b, &keys("NM", 15, 10, 65, 16), Data::F32(&clean)).0,
            (1, 16)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn prop_reals(
        ni in 2u32..30, nj in 2u32..20,
        seed in -1000.0f32..1000.0, scale in 0.001f32..1.0e6,
        pick in 0usize..7, nbits in 1u8..=16, xdf in any::<bool>(),
    ) {
        let v: Vec<f32> = (0..ni * nj)
            .map(|p| seed + scale * ((p as f32 * 0.37).sin() + (p as f32 * 0.011).cos()))
            .collect();
        let (datyp, nbits) = [(1, nbits), (6, nbits), (134, nbits), (129, 16), (5, 16 + nbits), (133, 16 + nbits), (1, 16 + nbits)][pick];
        let b = if xdf { Backend::Xdf } else { Backend::Rsf };
        let ((d, n), a) = round_trip(b, &keys("P", ni, nj, datyp, nbits), Data::F32(&v));
        // R31/R32 are stored as E32 (librmn's normalisation).
        let expected = if datyp == 1 && nbits >= 31 { 32 } else { nbits };
        prop_assert_eq!(n, expected);
        let got = floats(&a);
        let tol = match d & 63 {
            5 => {
                let m = 2f64.powi(-(i32::from(nbits) - 9));
                v.iter().fold(0.0f64, |t, x| t.max(f64::from(x.abs()))) * m.max(2f64.powi(-23))
            }
            _ => bound(&v, nbits),
        };
        for (x, y) in v.iter().zip(got) {
            prop_assert!((f64::from(*x) - y).abs() <= tol, "{} {}: {} vs {}", datyp, nbits, x, y);
        }
    }

    #[test]
    fn prop_integers(vals in proptest::collection::vec(any::<u32>(), 4..200), nbits in 1u8..=32, xdf in any::<bool>()) {
        let mask = if nbits == 32 { u32::MAX } else { (1 << nbits) - 1 };
        let u: Vec<u32> = vals.iter().map(|v| v & mask).collect();
        let b = if xdf { Backend::Xdf } else { Backend::Rsf };
        let n = u.len() as u32;
        let (_, a) = round_trip(b, &keys("PU", n, 1, 2, nbits), Data::U32(&u));
        prop_assert_eq!(a.values, Values::U32(u));
        let s: Vec<i32> = vals.iter().map(|&v| (i64::from(v & mask) - (1i64 << (nbits - 1))) as i32).collect();
        let (_, a) = round_trip(b, &keys("PI", n, 1, 4, nbits), Data::I32(&s));
        prop_assert_eq!(a.values, Values::I32(s));
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    for b in BACKENDS {
        let path = tmp("bad-args.fst");
        let mut w = Writer::create(&path, WriterOptions::backend(b)).unwrap();
        let v = [1.0f32; 6];
        let is_usage = |r: fst24::Result<usize>| matches!(r, Err(fst24::Error::Usage(_)));
        // Value count, dimensions whose product would wrap, keys out of range.
        assert!(is_usage(w.write(&keys("N", 4, 2, 5, 32), &v)));
        let mut k = keys("W", 1 << 23, 1 << 23, 5, 32);
        k.nk = (1 << 20) - 1;
        assert!(is_usage(w.write(&k, &v)));
        for change in [
            |k: &mut RecordKeys| k.ip1 = -1,
            |k: &mut RecordKeys| k.ip2 = 1 << 28,
            |k: &mut RecordKeys| k.ig2 = 1 << 24,
            |k: &mut RecordKeys| k.deet = -5,
            |k: &mut RecordKeys| k.nbits = 0,
            |k: &mut RecordKeys| k.datyp = 9,
            |k: &mut RecordKeys| k.nk = 0,
        ] {
            let mut k = keys("K", 3, 2, 5, 32);
            change(&mut k);
            assert!(is_usage(w.write(&k, &v)), "{k:?}");
        }
        // Value type that the datyp cannot hold.
        assert!(is_usage(w.write(&keys("T", 3, 2, 2, 16), &v)));
        assert!(is_usage(w.write(&keys("T", 3, 2, 5, 32), &[1u8; 6])));
        // Nothing was written: the file is valid and empty.
        w.close().unwrap();
        assert!(File::open(&path).unwrap().records().is_empty());
    }
}
