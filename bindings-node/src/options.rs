//! Read options from JavaScript.

use napi_derive::napi;

use fst24::{DecodeOptions, MissingMode};

/// Options of `readRecord` / `readRecordAsync`.
#[napi(object)]
pub struct ReadOptions {
    /// Points of +64 (missing value) records: `"plug"` (librmn's default: the value the
    /// writer stored just above the field maximum), `"marker"` (librmn's missing-value mode:
    /// -1e38, INT32_MIN, all ones) or `"nan"` (NaN for reals, markers for integers).
    #[napi(ts_type = "'plug' | 'marker' | 'nan'")]
    pub missing: Option<String>,
}

/// The core's options for `options`.
pub(crate) fn decode_options(options: Option<&ReadOptions>) -> napi::Result<DecodeOptions> {
    let mut out = DecodeOptions::default();
    if let Some(name) = options.and_then(|o| o.missing.as_deref()) {
        out.missing = match name {
            "plug" => MissingMode::Plug,
            "marker" => MissingMode::Marker,
            "nan" => MissingMode::Nan,
            other => {
                return Err(napi::Error::from_reason(format!(
                    "missing must be \"plug\", \"marker\" or \"nan\", not {other:?}"
                )))
            }
        };
    }
    Ok(out)
}
