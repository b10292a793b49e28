//! Minimal `.npy` (format 1.0/2.0) reader: dtype, shape, order and the raw bytes.

/// A parsed `.npy` array.
#[derive(Debug, Clone)]
pub struct Npy {
    /// numpy dtype string, e.g. `<f4`, `|u1`, `<c8`.
    pub dtype: String,
    /// Array shape.
    pub shape: Vec<usize>,
    /// True for Fortran order.
    pub fortran_order: bool,
    /// Raw data bytes (little-endian for the files here).
    pub data: Vec<u8>,
}

fn field<'a>(header: &'a str, key: &str) -> Result<&'a str, String> {
    let pat = format!("'{key}':");
    let start = header
        .find(&pat)
        .ok_or_else(|| format!("npy header lacks {key}"))?
        + pat.len();
    Ok(header[start..].trim_start())
}

/// Parses `.npy` bytes.
///
/// # Errors
/// A description of what is malformed.
pub fn parse(bytes: &[u8]) -> Result<Npy, String> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err("not an npy file".into());
    }
    let (hlen, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 => {
            let b = bytes.get(8..12).ok_or("short npy")?;
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
        }
        v => return Err(format!("npy version {v}")),
    };
    let header = std::str::from_utf8(bytes.get(start..start + hlen).ok_or("short npy header")?)
        .map_err(|e| e.to_string())?;
    let descr = field(header, "descr")?;
    let dtype = descr
        .trim_start_matches('\'')
        .split('\'')
        .next()
        .ok_or("bad descr")?
        .to_string();
    let fortran_order = field(header, "fortran_order")?.starts_with("True");
    let shape_text = field(header, "shape")?;
    let inner = shape_text
        .trim_start_matches('(')
        .split(')')
        .next()
        .ok_or("bad shape")?;
    let shape = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Npy {
        dtype,
        shape,
        fortran_order,
        data: bytes[start + hlen..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_a_small_header() {
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (3, 2), }";
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(&[0u8; 24]);
        let npy = super::parse(&bytes).unwrap();
        assert_eq!(npy.dtype, "<f4");
        assert_eq!(npy.shape, vec![3, 2]);
        assert!(npy.fortran_order);
        assert_eq!(npy.data.len(), 24);
    }
}
