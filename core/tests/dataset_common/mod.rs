//! Shared helpers of the `dataset_*` tests: corpus paths and a tiny `.npy` reader.

#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/data/<corpus>/<name>`.
pub fn corpus(corpus: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(corpus)
        .join(name)
}

/// The values of a little-endian float32/float64 `.npy` file as f64, in stored order.
pub fn read_npy_f64(path: &std::path::Path) -> Vec<f64> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..6], b"\x93NUMPY", "{}", path.display());
    let (header_len, start) = if bytes[6] == 1 {
        (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10)
    } else {
        (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        )
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len]).unwrap();
    let data = &bytes[start + header_len..];
    if header.contains("'<f4'") {
        data.chunks_exact(4)
            .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect()
    } else if header.contains("'<f8'") {
        data.chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    } else {
        panic!("unsupported npy header {header}")
    }
}

/// Whether a `.npy` header says Fortran order.
pub fn npy_fortran(path: &std::path::Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8_lossy(&bytes[..128.min(bytes.len())]).contains("'fortran_order': True")
}
