//! XDF (fstd98) container: a 208-byte file header, a chain of directory pages of 256
//! entries, and records addressed in 8-byte units. Every word is big-endian.
//!
//! Spec: `shared/spec/xdf.md` §1-2; librmn `src/fst/xdf98.c` (`c_xdfopn`, `c_xdfcheck`).

mod dir_page;
mod header;
mod read_ahead;
pub(crate) mod write;

pub use dir_page::{DirPage, ENTRIES_PER_PAGE};
pub use header::XdfHeader;

use std::collections::HashSet;

use crate::container::{Backend, DirEntry, Directory};
use crate::error::{FormatError, FormatErrorKind, Result, UsageError};
use crate::Limits;

/// librmn's `MAX_DIR_PAGES`.
pub const MAX_DIR_PAGES: u32 = 1024;

/// Byte offset of an XDF address (8-byte units, origin 1).
pub fn addr_to_offset(addr: u32) -> u64 {
    (u64::from(addr).saturating_sub(1)) * 8
}

#[derive(Debug)]
enum State {
    Header,
    Page { addr: u32, page_number: u32 },
    Done,
}

/// Sans-I/O reader of an XDF directory (see [`crate::container::Scanner`]).
#[derive(Debug)]
pub struct XdfScanner {
    file_len: u64,
    limits: Limits,
    state: State,
    header: Option<XdfHeader>,
    visited: HashSet<u32>,
    /// Byte offsets of the pages read, in chain order (where the next ones may lie).
    pages: Vec<u64>,
    directory: Directory,
}

/// Where the first directory page of a file librmn (or fst24) wrote ends: a 26-unit
/// header, then a page of 256 entries of 9 units (`lprm`) and its 4-unit header.
const FIRST_PAGE_END: u64 = 26 * 8 + (256 * 9 + 4) * 8;

impl XdfScanner {
    /// A scanner for a file of `file_len` bytes.
    pub fn new(file_len: u64, limits: Limits) -> Self {
        XdfScanner {
            file_len,
            limits,
            state: State::Header,
            header: None,
            visited: HashSet::new(),
            pages: Vec::new(),
            directory: Directory::default(),
        }
    }

    fn page_len(&self) -> usize {
        self.header.as_ref().map_or(0, XdfHeader::page_bytes)
    }

    /// See [`crate::container::Scanner::next_read`].
    pub fn next_read(&self) -> Option<(u64, usize)> {
        match self.state {
            State::Header => Some((
                0,
                header::PREFIX_LEN.min(usize::try_from(self.file_len).unwrap_or(usize::MAX)),
            )),
            State::Page { addr, .. } => Some((addr_to_offset(addr), self.page_len())),
            State::Done => None,
        }
    }

    /// [`XdfScanner::next_read`]'s range and guesses of the reads after it, at most
    /// `budget` bytes of guesses: the header read also takes the first page where files
    /// are written with it; a page read, the pages the chain so far says follow
    /// (`read_ahead`), no more than the header says are left.
    pub fn next_reads(&self, budget: u64) -> Vec<(u64, usize)> {
        let Some(required) = self.next_read() else {
            return Vec::new();
        };
        let guesses = match (&self.state, &self.header) {
            (State::Header, _) => {
                let end = FIRST_PAGE_END.min(self.file_len).min(budget);
                return vec![(
                    0,
                    usize::try_from(end).unwrap_or(required.1).max(required.1),
                )];
            }
            (State::Page { page_number, .. }, Some(header)) => read_ahead::page_guesses(
                &self.pages,
                required.0,
                required.1 as u64,
                header.nbd.saturating_sub(page_number + 1),
                self.file_len,
                budget,
            ),
            _ => Vec::new(),
        };
        let mut reads = vec![required];
        reads.extend(
            guesses
                .into_iter()
                .filter_map(|(offset, len)| Some((offset, usize::try_from(len).ok()?))),
        );
        reads
    }

    /// Room for the entries the header announces (valid and erased), so that the pages
    /// do not regrow (and copy) the list; no more than its pages (those the file has room
    /// for) can hold or the limits allow, and only if the memory is there (the list grows
    /// as before otherwise).
    fn reserve_entries(&mut self, header: &XdfHeader) {
        let announced = u64::from(header.nrec).saturating_add(u64::from(header.neff));
        let page_bytes = header.page_bytes().max(1) as u64;
        let pages = u64::from(header.nbd.min(MAX_DIR_PAGES)).min(self.file_len / page_bytes);
        let by_memory = self.limits.max_alloc_bytes / std::mem::size_of::<DirEntry>() as u64;
        let room = announced
            .min(pages * u64::from(ENTRIES_PER_PAGE))
            .min(self.limits.max_directory_entries)
            .min(by_memory);
        let room = usize::try_from(room).unwrap_or(0);
        let _ = self.directory.entries.try_reserve_exact(room);
    }

    /// See [`crate::container::Scanner::feed`].
    ///
    /// # Errors
    /// Format errors naming the offset of the bad header or page.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        match self.state {
            State::Header => {
                let header = XdfHeader::parse(bytes, self.file_len, &mut self.directory.warnings)?;
                let first = header.first_page_addr();
                self.check_page_addr(first, &header)?;
                self.reserve_entries(&header);
                self.header = Some(header);
                self.state = State::Page {
                    addr: first,
                    page_number: 0,
                };
                self.visited.insert(first);
            }
            State::Page { addr, page_number } => {
                let header = self
                    .header
                    .as_ref()
                    .expect("page state follows header state");
                let page = DirPage::parse(bytes, addr, header, &mut self.directory.warnings)?;
                self.pages.push(addr_to_offset(addr));
                let total = self.directory.entries.len() as u64 + u64::from(page.nent);
                if total > self.limits.max_directory_entries {
                    return Err(crate::LimitsExceeded::new(
                        "directory entries",
                        total,
                        self.limits.max_directory_entries,
                    )
                    .into());
                }
                let before = self.directory.entries.len();
                page.push_entries(
                    bytes,
                    page_number,
                    self.file_len,
                    &mut self.directory.entries,
                )?;
                // As librmn: a record cut short by the end of the file is still listed; a
                // read succeeds when the bytes its data needs are there (the tail is often
                // padding), and is refused otherwise.
                for e in &self.directory.entries[before..] {
                    let end = e.record_offset.saturating_add(e.record_len);
                    if !e.deleted && end > self.file_len {
                        self.directory.warnings.push(format!(
                            "XDF: record {} (byte offset {}, {} bytes) passes the end of the file ({} bytes): it is listed, and read only if the bytes its data needs are present",
                            e.index, e.record_offset, e.record_len, self.file_len
                        ));
                    }
                }
                let pages_read = page_number + 1;
                let nbd = header.nbd;
                self.state = if pages_read >= nbd {
                    if page.next_addr != 0 {
                        self.directory.warnings.push(format!(
                            "XDF: the header lists {nbd} directory pages but page {page_number} links to another one at address {}; it was ignored, as librmn does",
                            page.next_addr
                        ));
                    }
                    State::Done
                } else if page.next_addr == 0 {
                    return Err(self.format_error(
                        FormatErrorKind::Mismatch {
                            what: "number of directory pages",
                            expected: u64::from(nbd),
                            found: u64::from(pages_read),
                        },
                        addr,
                    ));
                } else {
                    let next = page.next_addr;
                    if !self.visited.insert(next) {
                        return Err(self.format_error(
                            FormatErrorKind::ChainLoop {
                                what: "directory page",
                                target: addr_to_offset(next),
                            },
                            addr,
                        ));
                    }
                    let header = self.header.as_ref().expect("header read");
                    self.check_page_addr(next, header)?;
                    State::Page {
                        addr: next,
                        page_number: pages_read,
                    }
                };
            }
            State::Done => {
                return Err(UsageError::InvalidArgument(
                    "XDF scanner fed after the directory was complete".into(),
                )
                .into());
            }
        }
        Ok(())
    }

    fn format_error(&self, kind: FormatErrorKind, addr: u32) -> crate::Error {
        FormatError::new(kind)
            .backend(Backend::Xdf)
            .offset(addr_to_offset(addr))
            .into()
    }

    fn check_page_addr(&self, addr: u32, header: &XdfHeader) -> Result<()> {
        if addr == 0 {
            return Err(self.format_error(
                FormatErrorKind::InvalidValue {
                    what: "directory page address",
                    value: 0,
                },
                addr,
            ));
        }
        super::check_in_file(
            "directory page",
            addr_to_offset(addr),
            header.page_bytes() as u64,
            self.file_len,
            Backend::Xdf,
        )
    }

    /// See [`crate::container::Scanner::finish`].
    ///
    /// # Errors
    /// When the scan is not complete.
    pub fn finish(self) -> Result<Directory> {
        match self.state {
            State::Done => Ok(self.directory),
            _ => Err(UsageError::InvalidArgument(
                "XDF directory scan finished before it was complete".into(),
            )
            .into()),
        }
    }
}

/// Builds the directory entry of XDF entry words (18 words); `live` entries are checked
/// against the file length.
pub(crate) fn entry_from_words(
    words: &[u32; 18],
    index: usize,
    file_len: u64,
    entry_offset: u64,
) -> Result<DirEntry> {
    let idtyp = words[0] >> 24;
    let lng = u64::from(words[0] & 0x00FF_FFFF);
    let addr = words[1];
    let live = (1..=125).contains(&idtyp);
    let mut keys = [0u32; 16];
    keys.copy_from_slice(&words[2..18]);
    let record_offset = addr_to_offset(addr);
    let record_len = lng * 8;
    if live {
        let bad = |kind| -> crate::Error {
            FormatError::new(kind)
                .backend(Backend::Xdf)
                .record(index)
                .offset(entry_offset)
                .into()
        };
        if addr == 0 {
            return Err(bad(FormatErrorKind::InvalidValue {
                what: "record address",
                value: 0,
            }));
        }
        if lng < 10 {
            return Err(bad(FormatErrorKind::InvalidValue {
                what: "record length (8-byte units)",
                value: lng,
            }));
        }
        // A record passing the end of the file is listed with a warning (see `feed`).
        let _ = file_len;
    }
    Ok(DirEntry {
        index,
        deleted: !live,
        keys: crate::record::SearchKeys(keys),
        record_offset,
        record_len,
        data_offset: record_offset + 80,
        data_len: record_len.saturating_sub(80),
        meta_words: 0,
        extended_metadata: None,
    })
}

#[cfg(test)]
mod tests;
