//! Grid descriptors: grtyp letters, ig1..ig4 ↔ real parameters (`cxgaig`/`cigaxg`).
//!
//! Spec: `shared/spec/xdf.md` §6. PLACEHOLDER: implemented by the time/ip/grid work package.
