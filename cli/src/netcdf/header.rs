//! The header of a classic NetCDF file, CDF-2 (64-bit offsets) or CDF-5 (64-bit data):
//! magic, record count, dimension, global attribute and variable lists, big-endian.
//!
//! Spec: "The NetCDF Classic Format Specification" (Unidata), incl. the CDF-5 extension
//! where every count and dimension length, and the variable size, widen to 64 bits.

/// External data types, with their codes in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NcType {
    Byte = 1,
    Char = 2,
    Short = 3,
    Int = 4,
    Float = 5,
    Double = 6,
    UByte = 7,
    UShort = 8,
    UInt = 9,
    Int64 = 10,
    UInt64 = 11,
}

impl NcType {
    /// Bytes per value.
    pub(crate) fn size(self) -> u64 {
        match self {
            NcType::Byte | NcType::Char | NcType::UByte => 1,
            NcType::Short | NcType::UShort => 2,
            NcType::Int | NcType::Float | NcType::UInt => 4,
            NcType::Double | NcType::Int64 | NcType::UInt64 => 8,
        }
    }

    /// Whether CDF-1/2 know the type (the others need CDF-5).
    pub(crate) fn classic(self) -> bool {
        (self as u32) <= 6
    }
}

/// An attribute: its type, value count and big-endian values (unpadded).
#[derive(Debug, Clone)]
pub(crate) struct NcAttr {
    pub name: String,
    pub ty: NcType,
    pub nelems: u64,
    pub bytes: Vec<u8>,
}

/// A fixed-size (non-record) variable.
#[derive(Debug, Clone)]
pub(crate) struct NcVar {
    pub name: String,
    pub dimids: Vec<usize>,
    pub attrs: Vec<NcAttr>,
    pub ty: NcType,
    /// Number of values (product of the dimension lengths; 1 for a scalar).
    pub nelems: u64,
}

impl NcVar {
    /// Bytes of data, padded to 4 as the format requires.
    pub(crate) fn padded_size(&self) -> u64 {
        (self.nelems * self.ty.size()).next_multiple_of(4)
    }
}

/// Everything but the data.
#[derive(Debug, Clone, Default)]
pub(crate) struct NcHeader {
    pub dims: Vec<(String, u64)>,
    pub attrs: Vec<NcAttr>,
    pub vars: Vec<NcVar>,
}

const NC_DIMENSION: u32 = 0x0A;
const NC_VARIABLE: u32 = 0x0B;
const NC_ATTRIBUTE: u32 = 0x0C;
/// Largest variable size CDF-2 can describe.
const CDF2_MAX_VSIZE: u64 = u32::MAX as u64 - 3;

struct Out {
    bytes: Vec<u8>,
    wide: bool,
}

impl Out {
    fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }
    /// A count or length: 32 bits in CDF-2, 64 in CDF-5.
    fn count(&mut self, v: u64) {
        if self.wide {
            self.bytes.extend_from_slice(&v.to_be_bytes());
        } else {
            // Callers pick CDF-5 whenever a count does not fit (see `NcHeader::version`).
            self.u32(u32::try_from(v).unwrap_or(u32::MAX));
        }
    }
    fn padded(&mut self, b: &[u8]) {
        self.bytes.extend_from_slice(b);
        let pad = b.len().next_multiple_of(4) - b.len();
        self.bytes.extend(std::iter::repeat_n(0u8, pad));
    }
    fn name(&mut self, s: &str) {
        self.count(s.len() as u64);
        self.padded(s.as_bytes());
    }
    fn attrs(&mut self, attrs: &[NcAttr]) {
        if attrs.is_empty() {
            self.u32(0);
            self.count(0);
            return;
        }
        self.u32(NC_ATTRIBUTE);
        self.count(attrs.len() as u64);
        for a in attrs {
            self.name(&a.name);
            self.u32(a.ty as u32);
            self.count(a.nelems);
            self.padded(&a.bytes);
        }
    }
}

impl NcHeader {
    /// 2 (64-bit offsets) when every type and size fits, else 5 (64-bit data).
    pub(crate) fn version(&self) -> u8 {
        let classic_types = self.vars.iter().all(|v| v.ty.classic())
            && self
                .attrs
                .iter()
                .chain(self.vars.iter().flat_map(|v| &v.attrs))
                .all(|a| a.ty.classic());
        let small = self.dims.iter().all(|d| d.1 <= u64::from(u32::MAX))
            && self.vars.iter().all(|v| v.padded_size() <= CDF2_MAX_VSIZE);
        if classic_types && small {
            2
        } else {
            5
        }
    }

    /// The encoded header, with each variable's data at `begins[i]`.
    pub(crate) fn encode(&self, version: u8, begins: &[u64]) -> Vec<u8> {
        let mut o = Out {
            bytes: b"CDF".to_vec(),
            wide: version == 5,
        };
        o.bytes.push(version);
        o.count(0); // numrecs: no record variables
        if self.dims.is_empty() {
            o.u32(0);
            o.count(0);
        } else {
            o.u32(NC_DIMENSION);
            o.count(self.dims.len() as u64);
            for (name, len) in &self.dims {
                o.name(name);
                o.count(*len);
            }
        }
        o.attrs(&self.attrs);
        if self.vars.is_empty() {
            o.u32(0);
            o.count(0);
        } else {
            o.u32(NC_VARIABLE);
            o.count(self.vars.len() as u64);
            for (v, begin) in self.vars.iter().zip(begins) {
                o.name(&v.name);
                o.count(v.dimids.len() as u64);
                for &d in &v.dimids {
                    o.count(d as u64);
                }
                o.attrs(&v.attrs);
                o.u32(v.ty as u32);
                o.count(v.padded_size());
                // begin is 64-bit in both CDF-2 and CDF-5.
                o.bytes.extend_from_slice(&begin.to_be_bytes());
            }
        }
        o.bytes
    }

    /// Refuses a variable whose byte size, or a total data size, that 64 bits cannot hold
    /// (the counts come from the input files' headers; unchecked, they would wrap into a
    /// header that lies about the data).
    pub(crate) fn check_sizes(&self) -> Result<(), String> {
        let mut total = 0u64;
        for v in &self.vars {
            total = v
                .nelems
                .checked_mul(v.ty.size())
                .and_then(|b| b.checked_next_multiple_of(4))
                .and_then(|b| total.checked_add(b))
                .filter(|&t| t <= u64::MAX / 2)
                .ok_or_else(|| {
                    format!(
                        "variable {}: {} values do not fit a NetCDF file",
                        v.name, v.nelems
                    )
                })?;
        }
        Ok(())
    }

    /// Header bytes and the offset of each variable's data, packed one after another.
    /// Call [`NcHeader::check_sizes`] first.
    pub(crate) fn layout(&self) -> (u8, Vec<u8>, Vec<u64>) {
        let version = self.version();
        let placeholder = vec![0u64; self.vars.len()];
        let mut offset = self.encode(version, &placeholder).len() as u64;
        let mut begins = Vec::with_capacity(self.vars.len());
        for v in &self.vars {
            begins.push(offset);
            offset += v.padded_size();
        }
        (version, self.encode(version, &begins), begins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_past_64_bits_are_refused() {
        let var = |nelems| NcVar {
            name: "v".into(),
            dimids: vec![],
            attrs: vec![],
            ty: NcType::Double,
            nelems,
        };
        let mut h = NcHeader::default();
        h.vars.push(var(1 << 61));
        assert!(h.check_sizes().is_err());
        h.vars = vec![var(1 << 58), var(1 << 58)];
        assert!(h.check_sizes().is_ok());
        h.vars.push(var(1 << 59));
        assert!(h.check_sizes().is_err());
    }

    #[test]
    fn minimal_cdf2_header() {
        let h = NcHeader {
            dims: vec![("x".into(), 3)],
            attrs: vec![],
            vars: vec![NcVar {
                name: "v".into(),
                dimids: vec![0],
                attrs: vec![],
                ty: NcType::Short,
                nelems: 3,
            }],
        };
        let (version, bytes, begins) = h.layout();
        assert_eq!(version, 2);
        assert_eq!(&bytes[..4], b"CDF\x02");
        assert_eq!(begins, vec![bytes.len() as u64]);
        // 3 shorts pad to 8 bytes.
        assert_eq!(h.vars[0].padded_size(), 8);
        // dim list: tag, count, name length, name "x" padded to 4, dim length.
        assert_eq!(&bytes[8..12], &NC_DIMENSION.to_be_bytes());
        assert_eq!(&bytes[16..20], &1u32.to_be_bytes());
        assert_eq!(&bytes[20..24], b"x\0\0\0");
        assert_eq!(&bytes[24..28], &3u32.to_be_bytes());
    }

    #[test]
    fn int64_needs_cdf5() {
        let mut h = NcHeader::default();
        h.vars.push(NcVar {
            name: "n".into(),
            dimids: vec![],
            attrs: vec![],
            ty: NcType::Int64,
            nelems: 1,
        });
        let (version, bytes, _) = h.layout();
        assert_eq!(version, 5);
        assert_eq!(&bytes[..4], b"CDF\x05");
        // numrecs is 8 bytes wide in CDF-5.
        assert_eq!(&bytes[4..12], &[0u8; 8]);
    }
}
