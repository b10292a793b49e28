//! Dispatch tests: routing, element-type and length checks, conversions, the +64 flag.

use super::*;
use crate::test_support::header;

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
    // Read as double: librmn marks at float width, then widens.
    let mut wide = [0f64; 3];
    decode_into(
        &h,
        &words,
        OutSlice::F64(&mut wide),
        &opts(MissingMode::Marker),
    )
    .unwrap();
    assert_eq!(wide, [1.0, f64::from(-1.0e38f32), 2.0]);
    let h64 = header(69, 64, 64, 3, 1, 1);
    let words = encode_ieee64(&[1.0, 7.5, 2.0]);
    decode_into(
        &h64,
        &words,
        OutSlice::F64(&mut wide),
        &opts(MissingMode::Marker),
    )
    .unwrap();
    assert_eq!(wide, [1.0, -1.0e38, 2.0]);
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

/// rsf.md appendix B payloads (word values after the container's little-endian read; the
/// `xx` garbage of the last word is set to ones, which the decoders must ignore).
#[test]
fn rsf_appendix_vectors() {
    let plain = DecodeOptions::default();
    let limits = Limits::default();
    let u08 = header(2, 8, 8, 5, 1, 1);
    let a = decode(&u08, &[0x0111_2131, 0x41FF_FFFF], &plain, &limits).unwrap();
    assert_eq!(a.values, Values::U8(vec![0x01, 0x11, 0x21, 0x31, 0x41]));
    // A08 "HELLO!": the writer's bytes, so each word is read little-endian.
    let a08 = header(3, 8, 8, 6, 1, 1);
    let hello = [
        u32::from_le_bytes(*b"HELL"),
        u32::from_le_bytes([b'O', b'!', 0xFF, 0xFF]),
    ];
    let a = decode(&a08, &hello, &plain, &limits).unwrap();
    assert_eq!(a.values, Values::Chars(b"HELLO!".to_vec()));
    // C64 (complex128) 1.5+1.75i, −8+2.25i, each double most significant word first.
    let c = header(8, 64, 64, 2, 1, 1);
    let words = [
        0x3ff8_0000,
        0,
        0x3ffc_0000,
        0,
        0xc020_0000,
        0,
        0x4002_0000,
        0,
    ];
    let a = decode(&c, &words, &plain, &limits).unwrap();
    assert_eq!(a.values, Values::C128(vec![1.5, 1.75, -8.0, 2.25]));
    // I12 10 −20 30 −40 with garbage low bits in the last word.
    let i12 = header(4, 12, 32, 4, 1, 1);
    let mut words = encode_signed(&[10, -20, 30, -40], 12);
    words[1] |= 0xFFFF;
    let a = decode(&i12, &words, &plain, &limits).unwrap();
    assert_eq!(a.values, Values::I32(vec![10, -20, 30, -40]));
}
