//! 16-bit tokens (R16, the usual packing) in explicit AVX2 through pulp's safe
//! intrinsics: the plain loop leaves the compiler a truncation it must emulate (a double
//! cast to an integer that saturates) and separate passes for the tokens and their pairs.
//! Here 16 values become 8 token pairs in one pass: widen to double, `(v − min)·scale`
//! (a subtraction then a product, never fused, as librmn computes it), truncate
//! (`cvttpd2dq`: exact for the [0, 2^16) the scale maps the field into; NaN gives
//! `i32::MIN`), then pack to 16 bits with unsigned saturation, which turns that NaN into 0
//! as the scalar path's cast does. Results are bit for bit those of the plain packer (the
//! tests compare both on arbitrary floats).

use core::arch::x86_64::{__m128, __m128i, __m256, __m256d, __m256i, _CMP_EQ_OQ, _CMP_UNORD_Q};

use pulp::x86::V3;

use super::pack::{small_token, Sink, BLOCK};

/// librmn's missing-value marker (+64).
const MARKER: f32 = -1.0e38;

/// Appends the 16-bit tokens of `values` to `sink` (see [`super::pack::pack_tokens`]).
pub(super) fn pack(
    simd: V3,
    values: &[f32],
    sink: &mut Sink,
    min: f64,
    scale: f64,
    plug: Option<f32>,
) {
    simd.vectorize(
        #[inline(always)]
        || {
            let mut groups = [0u32; BLOCK / 2];
            for block in values.chunks(BLOCK) {
                let whole = block.len() / 16 * 16;
                let (vector, rest) = block.split_at(whole);
                let groups = &mut groups[..whole / 2];
                pairs(simd, vector, groups, min, scale, plug);
                sink.put_groups(groups);
                // At most 15 values left, in the last block only.
                let mut tokens = [0u32; 16];
                for (t, &v) in tokens.iter_mut().zip(rest) {
                    *t = small_token(v, min, scale, plug) & 0xFFFF;
                }
                sink.put_grouped::<16>(&tokens[..rest.len()]);
            }
        },
    );
}

/// `groups[j] = t(2j) << 16 | t(2j+1)` for the tokens `t` of `values` (16 per step).
#[inline(always)]
fn pairs(simd: V3, values: &[f32], groups: &mut [u32], min: f64, scale: f64, plug: Option<f32>) {
    let avx = simd.avx;
    let k = Constants {
        min: avx._mm256_set1_pd(min),
        scale: avx._mm256_set1_pd(scale),
        marker: avx._mm256_set1_ps(MARKER),
        plug: plug.map(|p| avx._mm256_set1_ps(p)),
    };
    for (g, v) in groups.chunks_exact_mut(8).zip(values.chunks_exact(16)) {
        let (a, b) = v.split_at(8);
        let a: [f32; 8] = a.try_into().unwrap_or_default();
        let b: [f32; 8] = b.try_into().unwrap_or_default();
        let (ta, tb) = (
            tokens(simd, &k, bytemuck::cast(a)),
            tokens(simd, &k, bytemuck::cast(b)),
        );
        let avx2 = simd.avx2;
        // u16 lanes: [a0..a3 b0..b3 | a4..a7 b4..b7], put back in order by 64-bit lanes.
        let packed = avx2._mm256_packus_epi32(ta, tb);
        let ordered = avx2._mm256_permute4x64_epi64::<0b11_01_10_00>(packed);
        // Each 32-bit lane holds t(2j) low, t(2j+1) high: swap the halves.
        let swapped = avx2._mm256_or_si256(
            avx2._mm256_slli_epi32::<16>(ordered),
            avx2._mm256_srli_epi32::<16>(ordered),
        );
        let out: [u32; 8] = bytemuck::cast(swapped);
        g.copy_from_slice(&out);
    }
}

/// The constants of [`tokens`], splat once.
struct Constants {
    min: __m256d,
    scale: __m256d,
    marker: __m256,
    plug: Option<__m256>,
}

/// Eight tokens (as i32; NaN gives `i32::MIN`) of eight values.
#[inline(always)]
fn tokens(simd: V3, k: &Constants, v: __m256) -> __m256i {
    let avx = simd.avx;
    let v = match k.plug {
        Some(plug) => {
            let missing = avx._mm256_or_ps(
                avx._mm256_cmp_ps::<_CMP_EQ_OQ>(v, k.marker),
                avx._mm256_cmp_ps::<_CMP_UNORD_Q>(v, v),
            );
            avx._mm256_blendv_ps(v, plug, missing)
        }
        None => v,
    };
    let low: __m128 = avx._mm256_castps256_ps128(v);
    let high: __m128 = avx._mm256_extractf128_ps::<1>(v);
    let x_low = avx._mm256_mul_pd(avx._mm256_sub_pd(avx._mm256_cvtps_pd(low), k.min), k.scale);
    let x_high = avx._mm256_mul_pd(avx._mm256_sub_pd(avx._mm256_cvtps_pd(high), k.min), k.scale);
    let t_low: __m128i = avx._mm256_cvttpd_epi32(x_low);
    let t_high: __m128i = avx._mm256_cvttpd_epi32(x_high);
    avx._mm256_set_m128i(t_high, t_low)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use proptest::prelude::*;

    use super::super::pack::pack_tokens_portable;
    use super::super::Encoder;
    use super::*;

    /// The words of `values` packed on 16 bits by the kernel and by the portable loop.
    fn kernel_and_portable(values: &[f32], missing: bool) -> (Vec<u32>, Vec<u32>) {
        kernel_and_portable_from(values, missing, 24)
    }

    /// As [`kernel_and_portable`], the stream `pending` bits past a word boundary (the
    /// encoder starts at 24: nbits on 24 bits of word 3; a window of an odd number of
    /// tokens leaves 8).
    fn kernel_and_portable_from(
        values: &[f32],
        missing: bool,
        pending: u32,
    ) -> (Vec<u32>, Vec<u32>) {
        let simd = V3::try_new().expect("the x86-64 test hosts have AVX2 (x86-64-v3)");
        let e = Encoder::new(Cow::Borrowed(values), 16, missing);
        let run = |kernel: bool| {
            let mut sink = Sink::new(Vec::new(), 0x5A5A_5A5A_A5A5_A5A5, pending);
            if kernel {
                pack(simd, values, &mut sink, e.min, e.scale, e.plug);
            } else {
                pack_tokens_portable(values, &mut sink, 16, e.min, e.scale, e.plug);
            }
            sink.finish()
        };
        (run(true), run(false))
    }

    #[test]
    fn kernel_matches_the_portable_loop_at_block_edges_and_specials() {
        let specials = [
            f32::NAN,
            f32::from_bits(0x7FC0_0001), // NaN payloads survive the widening
            f32::from_bits(0xFFFF_FFFF),
            f32::from_bits(0x7F80_0001),
            f32::INFINITY,
            f32::NEG_INFINITY,
            -1.0e38, // librmn's missing marker
            -0.0,
            1e-45,
            3.0e38,
        ];
        for len in (0usize..40).chain([255, 256, 257, 511, 512, 513, 527, 1024, 1100]) {
            let smooth: Vec<f32> = (0..len)
                .map(|i| (i as f32 * 0.013).sin() * 25.0 + 250.0)
                .collect();
            for missing in [false, true] {
                let (k, p) = kernel_and_portable(&smooth, missing);
                assert_eq!(k, p, "smooth len {len} +64 {missing}");
                for &special in &specials {
                    for at in [0, len / 2, len.saturating_sub(1)] {
                        let mut v = smooth.clone();
                        if let Some(x) = v.get_mut(at) {
                            *x = special;
                        }
                        let (k, p) = kernel_and_portable(&v, missing);
                        assert_eq!(k, p, "{special:?} at {at} len {len} +64 {missing}");
                    }
                }
            }
        }
    }

    #[test]
    fn kernel_matches_the_portable_loop_at_every_stream_offset() {
        let v: Vec<f32> = (0..1000)
            .map(|i| {
                if i % 9 == 0 {
                    f32::NAN
                } else {
                    (i as f32 * 0.7).cos()
                }
            })
            .collect();
        for pending in [0, 1, 8, 16, 24, 31] {
            for len in [0, 1, 15, 16, 17, 513, 1000] {
                for missing in [false, true] {
                    let (k, p) = kernel_and_portable_from(&v[..len], missing, pending);
                    assert_eq!(k, p, "pending {pending} len {len} +64 {missing}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn kernel_matches_the_portable_loop_on_arbitrary_floats(
            values in prop::collection::vec(
                prop_oneof![
                    any::<f32>(),
                    Just(-1.0e38f32),
                    Just(f32::NAN),
                    -50f32..50.0,
                    any::<u32>().prop_map(|b| f32::from_bits(b | 0x7F80_0001)),
                ],
                0..1100,
            ),
            missing in any::<bool>(),
        ) {
            let (k, p) = kernel_and_portable(&values, missing);
            prop_assert_eq!(k, p);
        }
    }
}
