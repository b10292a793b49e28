//! Read options from JavaScript.

use napi_derive::napi;

use fst24::{DecodeOptions, MissingMode};

use crate::errors::js_error;

/// Options of `readRecord` / `readRecordAsync`.
#[napi(object)]
pub struct ReadOptions {
    /// Points of +64 (missing value) records: `"plug"` (librmn's default), `"marker"`
    /// (librmn's missing-value mode) or `"nan"`.
    #[napi(ts_type = "'plug' | 'marker' | 'nan'")]
    pub missing: Option<String>,
}

/// The core's options for `options` (the core parses the names).
pub(crate) fn decode_options(options: Option<&ReadOptions>) -> napi::Result<DecodeOptions> {
    let mut out = DecodeOptions::default();
    if let Some(name) = options.and_then(|o| o.missing.as_deref()) {
        out.missing = name.parse::<MissingMode>().map_err(js_error)?;
    }
    Ok(out)
}
