//! Dispatch tests: routing, element-type and length checks, conversions, the +64 flag.

use super::*;
use crate::record::{DataType, Name};

fn header(datyp: u8, nbits: u8, data_bits: u8, ni: u32, nj: u32, nk: u32) -> RecordHeader {
    RecordHeader {
        nomvar: Name::default(),
        typvar: Name::default(),
        etiket: Name::default(),
        grtyp: b'X',
        ni,
        nj,
        nk,
        dateo: 0,
        datev: 0,
        deet: 0,
        npas: 0,
        ip1: 0,
        ip2: 0,
        ip3: 0,
        ig1: 0,
        ig2: 0,
        ig3: 0,
        ig4: 0,
        datyp: DataType(datyp),
        nbits,
        data_bits,
        ubc: 0,
    }
}

fn opts(missing: MissingMode) -> DecodeOptions {
    DecodeOptions { missing }
}

#[test]
fn unsigned_natural_and_widened() {
    let h = header(2, 16, 16, 2, 2, 1);
    let words = [0xabc0_abc1, 0xabc2_abc3];
    let a = decode(&h, &words, &DecodeOptions::default(), &Limits::default()).unwrap();
    assert_eq!(a.shape, [2, 2, 1]);
    assert_eq!(a.values, Values::U16(vec![0xabc0, 0xabc1, 0xabc2, 0xabc3]));
    let mut wide = [0u64; 4];
    decode_into(
        &h,
        &words,
        OutSlice::U64(&mut wide),
        &DecodeOptions::default(),
    )
    .unwrap();
    assert_eq!(wide, [0xabc0, 0xabc1, 0xabc2, 0xabc3]);
    // Too narrow, wrong signedness, wrong length: usage errors.
    let mut narrow = [0u8; 4];
    assert!(matches!(
        decode_into(
            &h,
            &words,
            OutSlice::U8(&mut narrow),
            &DecodeOptions::default()
        ),
        Err(crate::Error::Usage(UsageError::ElementType { .. }))
    ));
    let mut signed = [0i32; 4];
    assert!(decode_into(
        &h,
        &words,
        OutSlice::I32(&mut signed),
        &DecodeOptions::default()
    )
    .is_err());
    let mut short = [0u16; 3];
    assert!(matches!(
        decode_into(
            &h,
            &words,
            OutSlice::U16(&mut short),
            &DecodeOptions::default()
        ),
        Err(crate::Error::Usage(UsageError::BufferLength {
            needed: 4,
            got: 3
        }))
    ));
}

#[test]
fn sixty_four_bit_integers_are_low_word_first() {
    // rsf.md appendix B: I64 5, −4294967301, 8589934597 as raw little-endian int64.
    let values = [5i64, -4_294_967_301, 8_589_934_597];
    let words: Vec<u32> = values
        .iter()
        .flat_map(|&v| [v as u32, (v as u64 >> 32) as u32])
        .collect();
    let h = header(4, 64, 64, 3, 1, 1);
    let a = decode(&h, &words, &DecodeOptions::default(), &Limits::default()).unwrap();
    assert_eq!(a.values, Values::I64(values.to_vec()));
}

#[test]
fn binary_chars_and_reals_conversions() {
    // datyp 0 with 8-bit items: ⌈5·8/32⌉ = 2 words, readable as u32 too.
    let h = header(0, 8, 8, 5, 1, 1);
    assert_eq!(output_len(&h), 2);
    let mut out = [0u32; 2];
    decode_into(
        &h,
        &[0x3121_1101, 0x41],
        OutSlice::U32(&mut out),
        &opts(MissingMode::Plug),
    )
    .unwrap();
    assert_eq!(out, [0x3121_1101, 0x41]);
    // datyp 7 readable as u8.
    let h = header(7, 8, 8, 6, 1, 1);
    let mut out = [0u8; 6];
    decode_into(
        &h,
        &[0x4845_4c4c, 0x4f21_0000],
        OutSlice::U8(&mut out),
        &opts(MissingMode::Plug),
    )
    .unwrap();
    assert_eq!(&out, b"HELLO!");
    // E32 into f64; complex into c128.
    let h = header(5, 32, 32, 2, 1, 1);
    let mut out = [0f64; 2];
    decode_into(
        &h,
        &[0x3fc0_0000, 0xc100_0000],
        OutSlice::F64(&mut out),
        &opts(MissingMode::Plug),
    )
    .unwrap();
    assert_eq!(out, [1.5, -8.0]);
    let h = header(8, 32, 32, 1, 1, 1);
    assert_eq!(output_len(&h), 2);
    let mut out = [0f64; 2];
    decode_into(
        &h,
        &[0x3fc0_0000, 0xc100_0000],
        OutSlice::C128(&mut out),
        &opts(MissingMode::Plug),
    )
    .unwrap();
    assert_eq!(out, [1.5, -8.0]);
}

#[test]
fn missing_flag_follows_the_mode() {
    // I16 with +64: {100, −200, plug 101, −400}.
    let h = header(68, 16, 32, 4, 1, 1);
    let words = encode_signed(&[100, -200, 101, -400], 16);
    let mut out = [0i32; 4];
    decode_into(
        &h,
        &words,
        OutSlice::I32(&mut out),
        &opts(MissingMode::Plug),
    )
    .unwrap();
    assert_eq!(out, [100, -200, 101, -400]);
    decode_into(
        &h,
        &words,
        OutSlice::I32(&mut out),
        &opts(MissingMode::Marker),
    )
    .unwrap();
    assert_eq!(out, [100, -200, i32::MIN, -400]);
    let mut out = [0i16; 4];
    let h16 = header(68, 16, 16, 4, 1, 1);
    decode_into(
        &h16,
        &words,
        OutSlice::I16(&mut out),
        &opts(MissingMode::Nan),
    )
    .unwrap();
    assert_eq!(out, [100, -200, i16::MIN, -400]);
    // E32 with +64 in NaN mode.
    let h = header(69, 32, 32, 3, 1, 1);
    let words = encode_ieee32(&[1.0, 7.5, 2.0], 32);
    let a = decode(&h, &words, &opts(MissingMode::Nan), &Limits::default()).unwrap();
    let Values::F32(v) = a.values else {
        panic!("f32 expected")
    };
    assert!(v[1].is_nan() && v[0] == 1.0 && v[2] == 2.0);
}

#[test]
fn hostile_headers_give_errors() {
    // Undefined base type.
    let h = header(9, 16, 32, 2, 1, 1);
    assert!(matches!(
        decode(&h, &[0; 4], &DecodeOptions::default(), &Limits::default()),
        Err(crate::Error::Format(_))
    ));
    // Unsupported widths.
    let h = header(2, 40, 64, 2, 1, 1);
    assert!(matches!(
        decode(&h, &[0; 8], &DecodeOptions::default(), &Limits::default()),
        Err(crate::Error::Unsupported(_))
    ));
    let h = header(2, 0, 32, 2, 1, 1);
    assert!(matches!(
        decode(&h, &[0; 8], &DecodeOptions::default(), &Limits::default()),
        Err(crate::Error::Format(_))
    ));
    // Huge dimensions: a limit error, then a short-payload error, never an allocation.
    let h = header(5, 32, 32, u32::MAX, u32::MAX, u32::MAX);
    assert_eq!(output_len(&h), u64::MAX);
    assert!(matches!(
        decode(&h, &[0; 8], &DecodeOptions::default(), &Limits::default()),
        Err(crate::Error::Limits(_))
    ));
    let h = header(2, 16, 32, 1 << 20, 1 << 10, 1);
    assert!(matches!(
        decode(&h, &[0; 8], &DecodeOptions::default(), &Limits::unlimited()),
        Err(crate::Error::Format(_))
    ));
    let h = header(133, 16, 32, 1 << 20, 1 << 10, 1);
    assert!(matches!(
        decode(&h, &[0; 8], &DecodeOptions::default(), &Limits::unlimited()),
        Err(crate::Error::Format(_))
    ));
}

mod random_input {
    use crate::fuzzing::{decode_family, Family};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Random keys and areas: errors are fine, panics and wrong lengths are not
        /// (`decode_family` asserts the decoded length).
        #[test]
        fn plain_and_missing_never_panic(data in prop::collection::vec(any::<u8>(), 68..700)) {
            decode_family(Family::Plain, &data);
            decode_family(Family::Missing, &data);
        }
    }
}
