//! [`FstScanner`]: the core's sans-I/O directory reader, driven from JavaScript.

use wasm_bindgen::prelude::*;

use fst24::{Limits, Scanner, DETECT_LEN};

use crate::directory::FstDirectory;
use crate::errors::{to_js, usage};

/// Reads a file's directory from byte ranges that JavaScript fetches on request.
///
/// ```js
/// const sc = new FstScanner(prefixBytes, blob.size);
/// for (let r; (r = sc.nextRead()); ) sc.feed(await readRange(r[0], r[1]));
/// const dir = sc.finish();
/// ```
///
/// Where each read costs far more than its bytes (a `Blob`, HTTP), read the ranges the
/// core guesses will follow in the same request (`nextReads`/`feedRanges`): the XDF
/// directory's 40 chained pages of a 10,000-record file take a few reads.
///
/// ```js
/// const sc = new FstScanner(prefixBytes, blob.size);
/// for (let r; (r = sc.nextReads(budget)); ) sc.feedRanges(r, await readRanges(r));
/// ```
#[wasm_bindgen]
pub struct FstScanner {
    /// `None` once `finish` consumed it.
    inner: Option<Scanner>,
    file_len: u64,
}

#[wasm_bindgen]
impl FstScanner {
    /// Starts a scan: `prefix` is the first `detectLen()` bytes of the file (or all of it when
    /// shorter), `file_len` its size in bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &[u8], file_len: f64) -> Result<FstScanner, JsError> {
        let file_len = js_len(file_len)?;
        let inner = Scanner::new(prefix, file_len, &Limits::default()).map_err(to_js)?; // directory ceilings
        Ok(FstScanner {
            inner: Some(inner),
            file_len,
        })
    }

    /// How many leading bytes the constructor needs to recognise a file.
    #[wasm_bindgen(js_name = detectLen)]
    pub fn detect_len() -> usize {
        DETECT_LEN
    }

    /// `"XDF"` or `"RSF"`.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> Result<String, JsError> {
        Ok(self.scanner()?.backend().to_string())
    }

    /// The next range to read as `[offset, length]`, or `undefined` when the scan is done.
    #[wasm_bindgen(js_name = nextRead)]
    pub fn next_read(&self) -> Result<Option<Vec<f64>>, JsError> {
        Ok(self
            .scanner()?
            .next_read()
            .map(|(offset, len)| vec![offset as f64, len as f64]))
    }

    /// The ranges to read now as `[offset, length, offset, length, ...]`: `nextRead`'s
    /// range, then the core's guesses of the next ones (at most `budget` bytes of them);
    /// `undefined` when the scan is done.
    #[wasm_bindgen(js_name = nextReads)]
    pub fn next_reads(&self, budget: f64) -> Result<Option<Vec<f64>>, JsError> {
        let reads = self.scanner()?.next_reads(js_len(budget)?);
        Ok((!reads.is_empty()).then(|| {
            reads
                .iter()
                .flat_map(|&(offset, len)| [offset as f64, len as f64])
                .collect()
        }))
    }

    /// Feeds ranges read: `ranges` as `nextReads` gives them, `bytes` their bytes one after
    /// the other. The core takes each range its scan asks for that they hold.
    #[wasm_bindgen(js_name = feedRanges)]
    pub fn feed_ranges(&mut self, ranges: &[f64], bytes: &[u8]) -> Result<(), JsError> {
        if ranges.len() % 2 != 0 {
            return Err(usage(
                "feedRanges: ranges must be [offset, length, ...] pairs",
            ));
        }
        let mut parts = Vec::with_capacity(ranges.len() / 2);
        let mut at = 0usize;
        for pair in ranges.chunks_exact(2) {
            let offset = js_len(pair[0])?;
            let len = usize::try_from(js_len(pair[1])?).unwrap_or(usize::MAX);
            let end = at
                .checked_add(len)
                .filter(|&end| end <= bytes.len())
                .ok_or_else(|| {
                    usage(&format!(
                        "feedRanges: {} bytes given for ranges of more",
                        bytes.len()
                    ))
                })?;
            parts.push((offset, &bytes[at..end]));
            at = end;
        }
        match self.inner.as_mut() {
            Some(s) => s.feed_ranges(&parts).map_err(to_js),
            None => Err(usage("FstScanner: feedRanges() after finish()")),
        }
    }

    /// Feeds the bytes of the range last returned by `nextRead`.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        match self.inner.as_mut() {
            Some(s) => s.feed(bytes).map_err(to_js),
            None => Err(usage("FstScanner: feed() after finish()")),
        }
    }

    /// Ends the scan and returns the directory (the scanner cannot be used afterwards).
    pub fn finish(&mut self) -> Result<FstDirectory, JsError> {
        let scanner = self
            .inner
            .take()
            .ok_or_else(|| usage("FstScanner: finish() called twice"))?;
        let backend = scanner.backend();
        let directory = scanner.finish().map_err(to_js)?;
        FstDirectory::new(backend, directory, self.file_len)
    }
}

impl FstScanner {
    fn scanner(&self) -> Result<&Scanner, JsError> {
        self.inner
            .as_ref()
            .ok_or_else(|| usage("FstScanner: already finished"))
    }
}

/// A JavaScript number used as a byte length or offset: a non-negative integer below 2^53.
pub(crate) fn js_len(value: f64) -> Result<u64, JsError> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_SAFE {
        Ok(value as u64)
    } else {
        Err(usage(&format!(
            "expected a byte count (a non-negative integer), got {value}"
        )))
    }
}
