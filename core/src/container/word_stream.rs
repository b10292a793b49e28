//! Writing a record's data area without a byte copy of the whole record: the words are
//! byte-swapped chunk by chunk into one bounded buffer that is written as it fills, so
//! writing an N-byte record holds at most `CHUNK` extra bytes (not N).

use std::io::{self, Write};

/// Bytes gathered before a write call: small records still go out in one call.
const CHUNK: usize = 1 << 20;

/// Words from which a record in the host's byte order is written straight from the
/// caller's slice (smaller ones are gathered with their framing into one write call).
const DIRECT: usize = 16 << 10;

/// Byte order of the words in the file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Order {
    Big,
    Little,
}

/// The words of a data area, handed over in runs: a slice at once, or words packed a
/// window at a time while they are written (so the packed area never exists whole).
pub(crate) trait AreaSource {
    /// Number of words (all runs together).
    fn word_count(&self) -> usize;
    /// Calls `f` with the words, in order, in one or more runs.
    ///
    /// # Errors
    /// The first error of `f`.
    fn each_run(&self, f: &mut dyn FnMut(&[u32]) -> io::Result<()>) -> io::Result<()>;
    /// The words as one slice, when they exist whole (not packed as they are written).
    fn whole(&self) -> Option<&[u32]> {
        None
    }
}

impl AreaSource for [u32] {
    fn word_count(&self) -> usize {
        self.len()
    }

    fn each_run(&self, f: &mut dyn FnMut(&[u32]) -> io::Result<()>) -> io::Result<()> {
        f(self)
    }

    fn whole(&self) -> Option<&[u32]> {
        Some(self)
    }
}

/// Writes `head`, then `words` in `order`, then `zeros` zero bytes, then `tail`.
pub(crate) fn write_record(
    out: &mut impl Write,
    head: &[u8],
    words: &(impl AreaSource + ?Sized),
    order: Order,
    zeros: usize,
    tail: &[u8],
) -> io::Result<()> {
    let direct = matches!(order, Order::Little) && cfg!(target_endian = "little");
    if let Some(run) = words.whole().filter(|w| direct && w.len() >= DIRECT) {
        if zeros <= CHUNK {
            // Framing, words and padding in one system call (three separate writes cost
            // a few microseconds per record of kernel entry and page bookkeeping).
            let mut end = vec![0u8; zeros];
            end.extend_from_slice(tail);
            return write_all_vectored(out, head, bytemuck::cast_slice(run), &end);
        }
    }
    let size = head.len() + words.word_count() * 4 + zeros + tail.len();
    // The buffer holds at most CHUNK bytes before the tail: it never grows (a doubling
    // would briefly hold three chunks).
    let mut buf = Vec::with_capacity(CHUNK.min(size).max(head.len()) + tail.len());
    buf.extend_from_slice(head);
    words.each_run(&mut |run| {
        if direct && run.len() >= DIRECT {
            // The words are already in the file's byte order: written from where they are.
            out.write_all(&buf)?;
            buf.clear();
            out.write_all(bytemuck::cast_slice(run))?;
        } else {
            let mut rest = run;
            while !rest.is_empty() {
                let room = (CHUNK.saturating_sub(buf.len()) / 4).max(1);
                let (now, later) = rest.split_at(room.min(rest.len()));
                push_words(&mut buf, now, order);
                if buf.len() >= CHUNK {
                    out.write_all(&buf)?;
                    buf.clear();
                }
                rest = later;
            }
        }
        Ok(())
    })?;
    let mut left = zeros;
    while left > 0 {
        let n = left.min(CHUNK.saturating_sub(buf.len()).max(1));
        buf.resize(buf.len() + n, 0);
        left -= n;
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(tail);
    out.write_all(&buf)
}

/// Writes `head`, `body` and `end` in as few vectored writes as the kernel allows.
fn write_all_vectored(
    out: &mut impl Write,
    head: &[u8],
    body: &[u8],
    end: &[u8],
) -> io::Result<()> {
    let mut parts = [
        io::IoSlice::new(head),
        io::IoSlice::new(body),
        io::IoSlice::new(end),
    ];
    let mut parts = &mut parts[..];
    while parts.iter().any(|p| !p.is_empty()) {
        match out.write_vectored(parts) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => io::IoSlice::advance_slices(&mut parts, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Appends `words` in `order`; the buffer is sized first so the loop compiles to vector
/// stores and byte swaps (one `extend_from_slice` per word does not vectorize).
/// The swap runs in the CPU's best vector build (SSE2 has no byte shuffle).
pub(crate) fn push_words(bytes: &mut Vec<u8>, words: &[u32], order: Order) {
    let start = bytes.len();
    bytes.resize(start + words.len() * 4, 0);
    let out = bytes[start..].chunks_exact_mut(4).zip(words);
    crate::codec::simd::vectorized(
        #[inline(always)]
        || match order {
            Order::Big => out.for_each(|(o, w)| o.copy_from_slice(&w.to_be_bytes())),
            Order::Little => out.for_each(|(o, w)| o.copy_from_slice(&w.to_le_bytes())),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words handed over in runs of `.1`.
    struct Runs<'a>(&'a [u32], usize);

    impl AreaSource for Runs<'_> {
        fn word_count(&self) -> usize {
            self.0.len()
        }

        fn each_run(&self, f: &mut dyn FnMut(&[u32]) -> io::Result<()>) -> io::Result<()> {
            self.0.chunks(self.1).try_for_each(f)
        }
    }

    /// A writer that takes at most 1000 bytes per call.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(1000);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn same_bytes_as_one_buffer_across_chunk_edges() {
        let words: Vec<u32> = (0..(CHUNK / 4 * 2 + 3) as u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .collect();
        let cases = [
            (Order::Big, 5),
            (Order::Little, CHUNK + 7),
            (Order::Big, 0),
            (Order::Little, 0),
            (Order::Little, 12),
        ];
        for (order, zeros) in cases {
            let mut want = b"head".to_vec();
            for w in &words {
                want.extend_from_slice(&match order {
                    Order::Big => w.to_be_bytes(),
                    Order::Little => w.to_le_bytes(),
                });
            }
            want.resize(want.len() + zeros, 0);
            want.extend_from_slice(b"tail");
            let mut got = Vec::new();
            write_record(&mut got, b"head", &words[..], order, zeros, b"tail").unwrap();
            assert!(got == want);
            // A file that takes few bytes per call (the vectored write resumes mid-slice).
            let mut trickle = Trickle(Vec::new());
            write_record(&mut trickle, b"head", &words[..], order, zeros, b"tail").unwrap();
            assert!(trickle.0 == want);
            // The same words in runs of every size around the chunk and direct limits.
            for run in [1, 1000, DIRECT, CHUNK / 4 + 1] {
                let mut split = Vec::new();
                write_record(
                    &mut split,
                    b"head",
                    &Runs(&words, run),
                    order,
                    zeros,
                    b"tail",
                )
                .unwrap();
                assert!(split == want, "runs of {run}");
            }
        }
    }
}
