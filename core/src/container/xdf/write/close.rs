//! Closing an XDF writing session: directory pages and header last, then publishing (or
//! discarding) the file, as the parent module's docs describe.

use super::{XdfWriter, HEADER_W64, PAGE_W64};
use crate::container::xdf::{addr_to_offset, ENTRIES_PER_PAGE};
use crate::error::Result;
use crate::io::{lock, sibling};

impl XdfWriter {
    pub(super) fn header_words(&self, nbd: u32) -> Vec<u32> {
        let mut h = vec![0u32; HEADER_W64 as usize * 2];
        h[0] = HEADER_W64;
        h[2] = u32::from_be_bytes(*b"XDF0");
        h[3] = u32::from_be_bytes(*b"STDR");
        h[4] = self.fsiz;
        h[5] = self.nrwr;
        h[6] = self.nxtn;
        h[7] = nbd;
        h[8] = self.pages.last().copied().unwrap_or(0);
        h[9] = self.nbig;
        h[10] = 16 << 16 | 9;
        h[11] = 2 << 16 | 1;
        h[12] = self.neff;
        h[13] = self.nrec;
        for k in 0..16u32 {
            let name = format!("SF{:02}", k + 1);
            let n = name.as_bytes();
            h[16 + 2 * k as usize] = u32::from_be_bytes([n[0], n[1], n[2], n[3]]);
            h[17 + 2 * k as usize] = 0x00FF_C000 + (k << 24);
        }
        h[48] = u32::from_be_bytes(*b"AXI1");
        h[49] = 0x00FF_C000;
        h[50] = u32::from_be_bytes(*b"AXI2");
        h[51] = 0x01FF_C000;
        h
    }

    /// Writes the directory and header and publishes the file (see the module docs).
    pub(crate) fn close(mut self) -> Result<()> {
        let result = self.finish();
        if result.is_err() {
            self.discard();
        }
        result
    }

    fn finish(&mut self) -> Result<()> {
        let per_page = ENTRIES_PER_PAGE as usize;
        for p in 0..self.pages.len() {
            let addr = self.pages[p];
            let first = p * per_page;
            let chunk = &self.entries
                [first.min(self.entries.len())..(first + per_page).min(self.entries.len())];
            let mut page = vec![0u32; PAGE_W64 as usize * 2];
            page[0] = PAGE_W64;
            page[1] = addr;
            page[4] = self.pages.get(p + 1).copied().unwrap_or(0);
            page[5] = chunk.len() as u32;
            for (e, entry) in chunk.iter().enumerate() {
                page[8 + 18 * e..26 + 18 * e].copy_from_slice(entry);
            }
            // Checksum: the XOR of words 4..end, itself included, is zero.
            page[6] = page[4..].iter().fold(0, |a, w| a ^ w);
            self.write_at(addr_to_offset(addr), &page)?;
        }
        self.tmp.set_len(u64::from(self.fsiz) * 8)?;
        let header = self.header_words(self.pages.len() as u32);
        self.write_at(0, &header)?;
        self.tmp.sync_all()?;
        if self.in_place {
            if let Some(original) = self.original.take() {
                let _ = lock::unlock(&original);
            }
            return Ok(());
        }
        sibling::publish(&self.tmp_path, &self.path, self.replace)?;
        if let Some(original) = self.original.take() {
            let _ = lock::unlock(&original);
        }
        Ok(())
    }

    /// Abandons the session: the temporary goes and the file keeps its previous content
    /// (in place: cut back to its old length, open-for-writing flag cleared).
    pub(crate) fn discard(&mut self) {
        if !self.in_place {
            let _ = std::fs::remove_file(&self.tmp_path);
            return;
        }
        if self.marked_open {
            let _ = self.tmp.set_len(self.old_len);
            let _ = self.write_at(56, &[0]);
            let _ = self.tmp.sync_all();
        }
        if let Some(original) = self.original.take() {
            let _ = lock::unlock(&original);
        }
    }
}
