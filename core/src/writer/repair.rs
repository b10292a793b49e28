//! [`repair`]: makes a file a crashed or disk-full writer left behind appendable again,
//! keeping every record it had flushed.
//!
//! RSF: a killed exclusive writer leaves segment 0 flagged 0xFFFF and its last segment
//! open (size 0), possibly cut short; a killed parallel writer leaves its reservation
//! open. Repair walks the segments from the start, keeps every closed one, cuts the file
//! at the first open compact segment (or at anything unreadable: a torn trailer), turns
//! open reservations into filler segments, and clears the write flag. XDF: an in-place
//! append that was killed leaves the header flagged open for writing (`rwflg` 3) and
//! records past the length the header gives; repair cuts the file back to that length
//! (the state of the last close, as librmn's `c_qdfrstr` does) and clears the flag. Both:
//! temporaries of dead writers beside the file are removed.
//!
//! Run it only when no writer has the file open: it refuses a file whose lock is held at
//! that moment, but RSF parallel writers take the lock only briefly.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::container::rsf::segment::{SegmentHeader, APP_FILLER, APP_STDF, EOS_LEN, SOS_LEN};
use crate::container::xdf::XdfHeader;
use crate::container::Backend;
use crate::error::{Result, UsageError};
use crate::io::{lock, sibling};

/// What [`repair`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repaired {
    /// Backend of the file.
    pub backend: Option<Backend>,
    /// Bytes cut from the end (records that were never flushed, torn writes).
    pub truncated_bytes: u64,
    /// The write flag found (RSF: 0xFFFF exclusive, n parallel writers; XDF `rwflg`).
    pub write_flag: u32,
    /// Open parallel reservations turned into filler segments.
    pub fillers: usize,
    /// Stale temporaries removed beside the file.
    pub removed_temporaries: Vec<PathBuf>,
}

impl Repaired {
    /// Whether the file itself was changed.
    pub fn changed(&self) -> bool {
        self.truncated_bytes > 0 || self.write_flag != 0 || self.fillers > 0
    }
}

/// Repairs `path` (see the module docs). A file that needs nothing is left untouched.
///
/// # Errors
/// I/O errors; a usage error when a writer holds the file's lock; format errors when the
/// file is not a standard file or its first segment/header is unreadable.
pub fn repair(path: impl AsRef<Path>) -> Result<Repaired> {
    let path = sibling::resolve(path.as_ref())?;
    let mut report = Repaired {
        removed_temporaries: sibling::clean_stale_temporaries(&path),
        ..Repaired::default()
    };
    let mut file = OpenOptions::new().read(true).write(true).open(&path)?;
    if !lock::lock(&file, false)? {
        return Err(UsageError::InvalidArgument(format!(
            "{} is locked by a running writer; not repaired",
            path.display()
        ))
        .into());
    }
    let mut prefix = [0u8; 64];
    let len = file.metadata()?.len();
    let n = prefix.len().min(len as usize);
    file.read_exact(&mut prefix[..n])?;
    let backend = Backend::detect(&prefix[..n])?;
    report.backend = Some(backend);
    let fixed = match backend {
        Backend::Rsf => repair_rsf(&mut file, len, &mut report),
        Backend::Xdf => repair_xdf(&mut file, &prefix[..n], len, &mut report),
    };
    let synced = file.sync_all().map_err(crate::Error::from);
    let _ = lock::unlock(&file);
    fixed.and(synced)?;
    Ok(report)
}

fn read_at(file: &mut File, offset: u64, len: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut buf)?;
    Ok(buf)
}

fn write_at(file: &mut File, offset: u64, bytes: &[u8]) -> Result<()> {
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(bytes)?;
    Ok(())
}

/// Whether a closed segment's trailer ends at `end` (its last 48 bytes are the high part
/// of an end-of-segment).
fn trailer_at(file: &mut File, end: u64) -> bool {
    let Some(at) = end.checked_sub(48) else {
        return false;
    };
    let Ok(hi) = read_at(file, at, 48) else {
        return false;
    };
    u32::from_le_bytes([hi[0], hi[1], hi[2], hi[3]]) == 0xCAFE_FADE && hi[44] == 4 && hi[47] == 0xFF
}

fn repair_rsf(file: &mut File, len: u64, report: &mut Repaired) -> Result<()> {
    let head = read_at(file, 0, SOS_LEN)?;
    let sos0 = SegmentHeader::parse(&head, 0)?;
    report.write_flag = u32::from(sos0.write_flag);
    let mut off = 0u64;
    let mut cut = len;
    while off < len {
        let header = (len - off >= SOS_LEN as u64)
            .then(|| read_at(file, off, SOS_LEN).ok())
            .flatten()
            .and_then(|b| SegmentHeader::parse(&b, off).ok());
        let Some(s) = header else {
            cut = off;
            break;
        };
        let end = off.checked_add(s.sseg).filter(|&e| e <= len);
        let Some(end) = end.filter(|_| s.sseg >= (SOS_LEN + EOS_LEN) as u64) else {
            // An open compact segment (size 0) or one running past the end: never flushed.
            cut = off;
            break;
        };
        if !trailer_at(file, end) {
            cut = off;
            break;
        }
        let open_reservation = off > 0 && &s.app == APP_STDF && s.seg == 0 && s.vdir == 0;
        if open_reservation {
            write_filler_header(file, off)?;
            report.fillers += 1;
        }
        off = end;
    }
    if cut < (SOS_LEN + EOS_LEN) as u64 {
        return Err(UsageError::InvalidArgument(
            "RSF segment 0 is damaged; nothing to keep".to_string(),
        )
        .into());
    }
    if cut < len {
        file.set_len(cut)?;
        report.truncated_bytes = len - cut;
    }
    if sos0.write_flag != 0 {
        // Segment 0's first word: record type 3, flag, 0xFE marker.
        let word = 3u32 | 0xFE << 24;
        write_at(file, 0, &word.to_le_bytes())?;
    }
    Ok(())
}

/// Rewrites the header of the (open reservation) segment at `off` as a filler's.
fn write_filler_header(file: &mut File, off: u64) -> Result<()> {
    let mut b = read_at(file, off, SOS_LEN)?;
    // Flag 0 and metadata width 0 (word 0 bytes 1-2, word 3 bytes 12-13), filler code.
    b[1] = 0;
    b[2] = 0;
    b[12] = 0;
    b[13] = 0;
    b[20..24].copy_from_slice(APP_FILLER);
    // seg stays 0 and sseg as it was.
    write_at(file, off, &b)
}

fn repair_xdf(file: &mut File, prefix: &[u8], len: u64, report: &mut Repaired) -> Result<()> {
    let mut warnings = Vec::new();
    let h = XdfHeader::parse(prefix, len, &mut warnings)?;
    report.write_flag = h.rwflg;
    let closed_len = u64::from(h.fsiz) * 8;
    if h.rwflg == 0 && closed_len == len {
        return Ok(());
    }
    if closed_len > len {
        return Err(UsageError::InvalidArgument(format!(
            "XDF header gives {closed_len} bytes but the file has {len}: not a crashed append; \
             open it with recovery instead"
        ))
        .into());
    }
    file.set_len(closed_len)?;
    report.truncated_bytes = len - closed_len;
    write_at(file, 56, &0u32.to_be_bytes())?;
    Ok(())
}
