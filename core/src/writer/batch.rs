//! Packing records for the container, one at a time ([`Writer::write`]: datyp 1 is packed
//! as it is written) or in batches ([`Writer::write_many`]): records are packed in
//! windows of bounded size, a window on several threads (`parallel` feature) while the
//! previous one is written, and written in order, so a batch gives the same bytes as the
//! same records written one by one.

use std::ops::Range;

use super::data::Data;
use super::encode::{self, PackedData};
use super::keys::{self, RecordKeys};
use super::{metadata, Writer};
use crate::error::Result;
use crate::record::SearchKeys;

/// Input bytes packed per window: up to three windows are alive at once (one being
/// written, one packed and waiting, the next being packed), so a batch holds at most
/// about three times this in packed words, whatever its size (a single larger record is
/// its own window). Small
/// windows also let the allocator reuse the previous windows' memory (64 MiB windows
/// page-faulted fresh memory for every window: 55 ms for 64 R16 records of 400×200
/// against 39 ms with 8 MiB, and 29–37 ms for a `write` loop, on a loaded 2-core host).
const WINDOW_BYTES: usize = 8 << 20;

/// A record ready for the container.
#[derive(Debug)]
pub(super) struct Prepared<'a> {
    pub(super) search: SearchKeys,
    pub(super) data: PackedData<'a>,
    pub(super) ext: Vec<u32>,
}

/// Validates and packs one record for an XDF (`xdf`) or RSF file.
pub(super) fn prepare<'a>(keys: &RecordKeys, data: Data<'a>, xdf: bool) -> Result<Prepared<'a>> {
    let ext = metadata::stored_words(keys.metadata.as_deref(), xdf)?;
    let packed = encode::pack(keys, data, xdf)?;
    let search = keys::search_keys(keys, packed.stored, keys.datev()?, xdf);
    Ok(Prepared {
        search,
        data: packed.data,
        ext,
    })
}

/// A record packed for a file of one backend by [`pack`], to be appended with
/// [`Writer::store`]: packing needs no writer, so a caller can pack where the values are
/// safe to read (a binding holding its interpreter's lock) and write elsewhere.
#[derive(Debug)]
pub struct PackedRecord<'a> {
    backend: crate::Backend,
    prepared: Prepared<'a>,
}

/// Packs a record as [`Writer::write`] would for a file of `backend`, without writing it.
///
/// # Errors
/// As [`Writer::write`].
pub fn pack<'a>(
    keys: &RecordKeys,
    data: impl Into<Data<'a>>,
    backend: crate::Backend,
) -> Result<PackedRecord<'a>> {
    let xdf = backend == crate::Backend::Xdf;
    Ok(PackedRecord {
        backend,
        prepared: prepare(keys, data.into(), xdf)?,
    })
}

impl PackedRecord<'_> {
    /// True when the data area is the caller's values themselves (E32 and raw words: the
    /// packing is the identity) or is packed from them as it is stored (R, datyp 1: one
    /// window of packed words at a time), so the values must stay unchanged until then.
    pub fn borrows_values(&self) -> bool {
        self.prepared.data.borrows_values()
    }

    /// The record with a data area of its own (a copy only when it borrowed the values).
    pub fn into_owned(self) -> PackedRecord<'static> {
        let Prepared { search, data, ext } = self.prepared;
        PackedRecord {
            backend: self.backend,
            prepared: Prepared {
                search,
                data: data.into_owned(),
                ext,
            },
        }
    }
}

/// Consecutive ranges of `records` of about `window_bytes` input each (at least one
/// record per range).
fn windows(records: &[(RecordKeys, Data<'_>)], window_bytes: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0usize);
    for (i, (_, data)) in records.iter().enumerate() {
        let size = input_bytes(data);
        if i > start && bytes.saturating_add(size) > window_bytes {
            out.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes = bytes.saturating_add(size);
    }
    if start < records.len() {
        out.push(start..records.len());
    }
    out
}

/// Packs one record of a batch now (not as it is stored: that is what runs in parallel).
/// `spares` are vectors of records already written, reused for the packed words.
fn prepare_packed<'a>(
    keys: &RecordKeys,
    data: Data<'a>,
    xdf: bool,
    spares: &mut Vec<Vec<u32>>,
) -> Result<Prepared<'a>> {
    let p = prepare(keys, data, xdf)?;
    Ok(Prepared {
        data: p.data.packed_in(|| spares.pop().unwrap_or_default()),
        ..p
    })
}

/// Packs the records of `range`, in order, reusing `spares`.
fn pack_range<'a>(
    records: &[(RecordKeys, Data<'a>)],
    range: Range<usize>,
    xdf: bool,
    spares: &mut Vec<Vec<u32>>,
) -> Vec<Result<Prepared<'a>>> {
    records[range]
        .iter()
        .map(|(k, d)| prepare_packed(k, *d, xdf, spares))
        .collect()
}

/// Input bytes of a record (what windows are measured in).
fn input_bytes(data: &Data<'_>) -> usize {
    data.scalar_len() * usize::from(data.element_bits()) / 8
}

/// `window` cut into `parts` consecutive ranges of about equal input (some may be empty).
#[cfg(feature = "parallel")]
fn split(
    records: &[(RecordKeys, Data<'_>)],
    window: Range<usize>,
    parts: usize,
) -> Vec<Range<usize>> {
    let total: usize = records[window.clone()]
        .iter()
        .map(|(_, d)| input_bytes(d))
        .sum();
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut seen) = (window.start, 0usize);
    for i in window.clone() {
        seen = seen.saturating_add(input_bytes(&records[i].1));
        // Close the parts whose share of the window ends by this record's end.
        while out.len() + 1 < parts && seen >= total / parts * (out.len() + 1) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    out.push(start..window.end);
    out.resize(parts, window.end..window.end);
    out
}

impl Writer {
    /// Packs and appends several records, as [`Writer::write`] of each in order would
    /// (same bytes, same indices), packing them in parallel on the rayon pool with the
    /// `parallel` feature: records are packed in windows of about 8 MiB of input, a
    /// window while the previous one is written, so memory stays bounded whatever the
    /// batch holds. Returns the records' directory indices.
    ///
    /// # Errors
    /// As [`Writer::write`], for the first record that fails: the records before it are
    /// written, the ones from it on are not ([`Writer::directory_len`] tells how many
    /// were).
    pub fn write_many(&mut self, records: &[(RecordKeys, Data<'_>)]) -> Result<Vec<usize>> {
        self.write_windows(records, WINDOW_BYTES)
    }

    /// [`Writer::write_many`] with windows of about `window_bytes` of input.
    fn write_windows(
        &mut self,
        records: &[(RecordKeys, Data<'_>)],
        window_bytes: usize,
    ) -> Result<Vec<usize>> {
        let xdf = self.is_xdf()?;
        let mut indices = Vec::with_capacity(records.len());
        let ranges = windows(records, window_bytes);
        #[cfg(feature = "parallel")]
        {
            let packers = rayon::current_num_threads();
            if packers > 1 && records.len() > 1 {
                self.store_packed_by(packers, records, &ranges, xdf, &mut indices)?;
                return Ok(indices);
            }
        }
        let mut spares = Vec::new();
        for range in ranges {
            spares.truncate(range.len());
            let ready = pack_range(records, range, xdf, &mut spares);
            self.store_all(ready, &mut indices, |v| spares.push(v))?;
        }
        Ok(indices)
    }

    /// Packs the windows on `packers` threads of their own, each a part of every window
    /// in turn, while this thread writes the records in order. A packer runs at most one
    /// part ahead (a channel of one), so about three windows of packed words are alive
    /// at most; a blocked thread sleeps (a pool's idle workers spin between windows,
    /// which cost a third more CPU than a write loop on a busy 2-core host). On an error
    /// the channels close and the packers stop after their current part. The vectors of
    /// written records go back to their packer, which reuses up to one part's worth
    /// (fresh memory for every window page-faulted: a sixth more CPU, all system time).
    #[cfg(feature = "parallel")]
    fn store_packed_by(
        &mut self,
        packers: usize,
        records: &[(RecordKeys, Data<'_>)],
        ranges: &[Range<usize>],
        xdf: bool,
        indices: &mut Vec<usize>,
    ) -> Result<()> {
        use std::sync::mpsc::{channel, sync_channel};
        let parts: Vec<Vec<Range<usize>>> = ranges
            .iter()
            .map(|w| split(records, w.clone(), packers))
            .collect();
        std::thread::scope(|scope| {
            let mut packed = Vec::with_capacity(packers);
            for p in 0..packers {
                let (send, receive) = sync_channel(1);
                let (give_back, returned) = channel::<Vec<u32>>();
                let mine: Vec<Range<usize>> = parts.iter().map(|w| w[p].clone()).collect();
                scope.spawn(move || {
                    for range in mine {
                        let mut spares: Vec<Vec<u32>> = returned.try_iter().collect();
                        spares.truncate(range.len());
                        if send
                            .send(pack_range(records, range, xdf, &mut spares))
                            .is_err()
                        {
                            break;
                        }
                    }
                });
                packed.push((receive, give_back));
            }
            for _ in ranges {
                for (receive, give_back) in &packed {
                    // A packer ends early only by panicking: the scope re-raises it.
                    let Ok(ready) = receive.recv() else {
                        return Ok(());
                    };
                    self.store_all(ready, indices, |v| {
                        // The packer is gone after its last part: nothing to reuse then.
                        let _ = give_back.send(v);
                    })?;
                }
            }
            Ok(())
        })
    }

    /// Appends a record packed by [`pack`]; returns its directory index.
    ///
    /// # Errors
    /// As [`Writer::write`]; a usage error when the record was packed for the other
    /// backend.
    pub fn store(&mut self, record: &PackedRecord<'_>) -> Result<usize> {
        let r = self.packed_for_this_file(record)?;
        self.store_prepared(&r.search, &r.data, &r.ext)
    }

    /// [`Writer::rewrite`] of a record packed by [`pack`]: deletes the live record with
    /// the same keys, then appends this one; returns its directory index.
    ///
    /// # Errors
    /// As [`Writer::store`].
    pub fn store_rewrite(&mut self, record: &PackedRecord<'_>) -> Result<usize> {
        let r = self.packed_for_this_file(record)?;
        self.replace_prepared(r)
    }

    /// The prepared record, or a usage error when it was packed for the other backend
    /// (or the file is closed).
    fn packed_for_this_file<'r, 'a>(
        &mut self,
        record: &'r PackedRecord<'a>,
    ) -> Result<&'r Prepared<'a>> {
        if self.backend() != Some(record.backend) {
            self.inner()?;
            return Err(crate::UsageError::InvalidArgument(format!(
                "record packed for {:?}, the file is {:?}",
                record.backend,
                self.backend()
            ))
            .into());
        }
        Ok(&record.prepared)
    }

    /// Writes prepared records in order, up to the first error; hands the vectors of
    /// the written areas to `spare`.
    fn store_all(
        &mut self,
        ready: Vec<Result<Prepared<'_>>>,
        indices: &mut Vec<usize>,
        mut spare: impl FnMut(Vec<u32>),
    ) -> Result<()> {
        for record in ready {
            let r = record?;
            indices.push(self.store_prepared(&r.search, &r.data, &r.ext)?);
            if let Some(v) = r.data.into_spare() {
                spare(v);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writer::WriterOptions;
    use crate::Backend;

    #[cfg(feature = "parallel")]
    #[test]
    fn parts_cover_a_window_in_order() {
        let k = RecordKeys::new("TT", 1, 1, 1);
        let sizes = [5usize, 0, 100, 1, 1, 1, 40, 0];
        let values: Vec<Vec<f32>> = sizes.iter().map(|&n| vec![0.0; n]).collect();
        let records: Vec<(RecordKeys, Data<'_>)> =
            values.iter().map(|v| (k.clone(), Data::F32(v))).collect();
        for window in [0..8, 2..5, 3..3, 7..8] {
            for parts in 1..6 {
                let got = split(&records, window.clone(), parts);
                assert_eq!(got.len(), parts);
                let flat: Vec<usize> = got.iter().flat_map(Clone::clone).collect();
                assert_eq!(
                    flat,
                    window.clone().collect::<Vec<_>>(),
                    "{window:?} {parts}"
                );
            }
        }
        assert_eq!(split(&records, 0..8, 2), vec![0..3, 3..8]);
    }

    #[test]
    fn windows_cover_every_record_in_order() {
        let big = vec![0f32; 100];
        let small = [0f32; 10];
        let k = RecordKeys::new("TT", 10, 1, 1);
        let records: Vec<(RecordKeys, Data<'_>)> = [&small[..], &big, &small, &small, &big]
            .into_iter()
            .map(|v| (k.clone(), Data::F32(v)))
            .collect();
        assert_eq!(windows(&records, 400), vec![0..1, 1..2, 2..4, 4..5]);
        assert!(windows(&[], 400).is_empty());
    }

    /// Records of several packings and sizes, with extended metadata on some.
    fn inputs() -> Vec<(RecordKeys, Vec<f32>)> {
        let mut out = Vec::new();
        for (i, (datyp, nbits)) in [
            (1u8, 16u8),
            (5, 32),
            (134, 16),
            (65, 12),
            (1, 7),
            (6, 16),
            (5, 64),
        ]
        .into_iter()
        .cycle()
        .take(23)
        .enumerate()
        {
            let (ni, nj) = (17 + 5 * i as u32, 9 + (i as u32 % 4));
            let mut k = RecordKeys::new("TT", ni, nj, 1);
            (k.datyp, k.nbits, k.ip2) = (datyp, nbits, i as i32);
            if i % 5 == 0 {
                k.metadata = Some(format!("{{\"n\":{i}}}"));
            }
            let v = (0..ni * nj)
                .map(|p| ((p as f32) * 0.37 + i as f32).sin() * 40.0 + 250.0)
                .collect();
            out.push((k, v));
        }
        out
    }

    fn temp(scratch: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
        scratch.path().join(name)
    }

    #[test]
    fn small_windows_give_the_bytes_of_single_writes() {
        let scratch = crate::test_support::temp_dir("batch");
        let inputs = inputs();
        let pairs: Vec<(RecordKeys, Data<'_>)> = inputs
            .iter()
            .map(|(k, v)| (k.clone(), Data::F32(v)))
            .collect();
        for backend in [Backend::Xdf, Backend::Rsf] {
            let (one, many) = (
                temp(&scratch, &format!("one-{backend:?}")),
                temp(&scratch, &format!("many-{backend:?}")),
            );
            let mut w = Writer::create(&one, WriterOptions::backend(backend)).unwrap();
            let want: Vec<usize> = pairs.iter().map(|(k, d)| w.write(k, *d).unwrap()).collect();
            w.close().unwrap();
            for window in [1, 3000, usize::MAX] {
                let mut w = Writer::create(&many, WriterOptions::backend(backend)).unwrap();
                assert_eq!(w.write_windows(&pairs, window).unwrap(), want);
                w.close().unwrap();
                assert!(
                    std::fs::read(&one).unwrap() == std::fs::read(&many).unwrap(),
                    "{backend:?} window {window}"
                );
            }
        }
    }

    #[test]
    fn pack_then_store_gives_the_bytes_of_write() {
        let scratch = crate::test_support::temp_dir("batch");
        let inputs = inputs();
        for backend in [Backend::Xdf, Backend::Rsf] {
            let (one, two) = (
                temp(&scratch, &format!("w-{backend:?}")),
                temp(&scratch, &format!("ps-{backend:?}")),
            );
            let mut w = Writer::create(&one, WriterOptions::backend(backend)).unwrap();
            for (k, v) in &inputs {
                w.write(k, v).unwrap();
            }
            w.close().unwrap();
            let mut w = Writer::create(&two, WriterOptions::backend(backend)).unwrap();
            for (i, (k, v)) in inputs.iter().enumerate() {
                let packed = pack(k, v, backend).unwrap();
                let packed = if i % 2 == 0 {
                    packed.into_owned()
                } else {
                    packed
                };
                assert_eq!(w.store(&packed).unwrap(), i);
            }
            w.close().unwrap();
            assert!(std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap());
        }
        let (k, v) = &inputs[1]; // E32: the area is the values themselves
        assert!(pack(k, v, Backend::Xdf).unwrap().borrows_values());
        assert!(!pack(k, v, Backend::Xdf)
            .unwrap()
            .into_owned()
            .borrows_values());
        let mut w = Writer::create(
            temp(&scratch, "other"),
            WriterOptions::backend(Backend::Rsf),
        )
        .unwrap();
        assert!(w.store(&pack(k, v, Backend::Xdf).unwrap()).is_err());
    }

    #[test]
    fn store_rewrite_gives_the_bytes_of_rewrite() {
        let scratch = crate::test_support::temp_dir("batch");
        let inputs = inputs();
        for backend in [Backend::Xdf, Backend::Rsf] {
            let (one, two) = (
                temp(&scratch, &format!("rw-{backend:?}")),
                temp(&scratch, &format!("srw-{backend:?}")),
            );
            // Every record twice: the second replaces the first.
            let mut w = Writer::create(&one, WriterOptions::backend(backend)).unwrap();
            let mut want = Vec::new();
            for (k, v) in inputs.iter().chain(&inputs) {
                want.push(w.rewrite(k, v).unwrap());
            }
            w.close().unwrap();
            let mut w = Writer::create(&two, WriterOptions::backend(backend)).unwrap();
            for ((k, v), want) in inputs.iter().chain(&inputs).zip(want) {
                assert_eq!(
                    w.store_rewrite(&pack(k, v, backend).unwrap()).unwrap(),
                    want
                );
            }
            w.close().unwrap();
            assert!(std::fs::read(&one).unwrap() == std::fs::read(&two).unwrap());
            assert_eq!(
                crate::File::open(&two).unwrap().records().len(),
                inputs.len()
            );
        }
        let (k, v) = &inputs[0];
        let mut w = Writer::create(
            temp(&scratch, "other-rw"),
            WriterOptions::backend(Backend::Rsf),
        )
        .unwrap();
        assert!(w.store_rewrite(&pack(k, v, Backend::Xdf).unwrap()).is_err());
    }

    #[test]
    fn stops_at_the_first_record_that_fails() {
        let scratch = crate::test_support::temp_dir("batch");
        let inputs = inputs();
        let mut pairs: Vec<(RecordKeys, Data<'_>)> = inputs
            .iter()
            .map(|(k, v)| (k.clone(), Data::F32(v)))
            .collect();
        pairs[9].0.ni += 1; // value count no longer matches
        let path = temp(&scratch, "fails");
        let mut w = Writer::create(&path, WriterOptions::backend(Backend::Rsf)).unwrap();
        assert_eq!(w.directory_len(), 0);
        let err = w.write_windows(&pairs, 3000).unwrap_err();
        assert_eq!(w.directory_len(), 9);
        assert!(matches!(
            err,
            crate::Error::Usage(crate::UsageError::BufferLength { .. })
        ));
        w.close().unwrap();
        assert_eq!(crate::File::open(&path).unwrap().records().len(), 9);
    }
}
