//! ip1/ip2/ip3 encoding (`ConvertIp`, `ConvertIPtoPK`).
//!
//! Spec: `shared/spec/xdf.md` §5. PLACEHOLDER: implemented by the time/ip/grid work package.
