//! Values as bytes in a chosen byte order (NetCDF is big-endian, zarr `<` little-endian).

use fst24::Values;

/// Appends every scalar of `values` to `out` in big- or little-endian order.
pub(crate) fn extend_bytes(out: &mut Vec<u8>, values: &Values, big_endian: bool) {
    macro_rules! put {
        ($v:expr) => {{
            out.reserve($v.len() * std::mem::size_of_val(&$v[0]).max(1));
            for x in $v.iter() {
                if big_endian {
                    out.extend_from_slice(&x.to_be_bytes());
                } else {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
        }};
    }
    match values {
        Values::F32(v) | Values::C64(v) if !v.is_empty() => put!(v),
        Values::F64(v) | Values::C128(v) if !v.is_empty() => put!(v),
        Values::I8(v) if !v.is_empty() => put!(v),
        Values::I16(v) if !v.is_empty() => put!(v),
        Values::I32(v) if !v.is_empty() => put!(v),
        Values::I64(v) if !v.is_empty() => put!(v),
        Values::U8(v) | Values::Chars(v) => out.extend_from_slice(v),
        Values::U16(v) if !v.is_empty() => put!(v),
        Values::U32(v) | Values::Words(v) if !v.is_empty() => put!(v),
        Values::U64(v) if !v.is_empty() => put!(v),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_orders() {
        let mut be = Vec::new();
        extend_bytes(&mut be, &Values::I16(vec![1, -2]), true);
        assert_eq!(be, [0, 1, 0xFF, 0xFE]);
        let mut le = Vec::new();
        extend_bytes(&mut le, &Values::F32(vec![1.0]), false);
        assert_eq!(le, 1.0f32.to_le_bytes());
        let mut empty = Vec::new();
        extend_bytes(&mut empty, &Values::F64(vec![]), true);
        assert!(empty.is_empty());
    }
}
