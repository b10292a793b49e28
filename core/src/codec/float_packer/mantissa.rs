//! Per-value arithmetic of the datyp-6 quantiser: aligning a float's mantissa to the
//! field's largest exponent (packing) and rebuilding a float from an aligned mantissa
//! (unpacking), both on int32 like librmn's `float_packer_1`/`float_unpacker_1`.

use super::Head;

/// The mantissa of `x` as a 24-bit integer (hidden 1 restored for normal numbers, the
/// fraction doubled for subnormals, as librmn 20 does), shifted right to exponent `max_exp`
/// (at most 31 places) and negated for negative `x`.
#[inline]
pub(super) fn aligned_mantissa(x: f32, max_exp: i32) -> i32 {
    let bits = x.to_bits();
    let exp = ((bits >> 23) & 0xFF) as i32;
    let frac = bits & 0x7F_FFFF;
    let m = if exp > 0 { 1 << 23 | frac } else { frac << 1 } as i32;
    let m = m >> (max_exp - exp).clamp(0, 31);
    if bits >> 31 != 0 {
        -m
    } else {
        m
    }
}

/// Rebuilds one value from its 16-bit slot.
///
/// `m = (token << Shift2) + Minimum`, wrapping as int32 does on every librmn host; its
/// magnitude (clipped to 24 bits) becomes the mantissa at exponent `MaxExp`. Without
/// bit 23 the mantissa is not normalised: the float with a bogus hidden 1 minus the hidden
/// 1 alone gives the exact value.
#[inline]
pub(super) fn unpack_one(head: &Head, token: u32) -> f32 {
    let m = ((token as i32) << head.shift2).wrapping_add(head.minimum);
    let sign = (m as u32) & 0x8000_0000;
    let m = (m.wrapping_abs()).min(0xFF_FFFF) as u32;
    let base = sign | head.max_exp << 23;
    let value = f32::from_bits(base | m & 0x7F_FFFF);
    if m & 0x80_0000 != 0 {
        value
    } else {
        value - f32::from_bits(base)
    }
}
