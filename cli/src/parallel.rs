//! Per-record work (decode + statistics) on every core, results in input order, progress
//! counted as batches finish.

use crate::progress::Progress;

/// Records handed out per round: small enough for a smooth progress line, large enough to
/// keep every thread busy.
const BATCH: usize = 64;

/// `f` of every item, in order, computed by `available_parallelism` threads.
pub(crate) fn map<I: Sync, T: Send>(
    items: &[I],
    progress: &mut Progress,
    f: impl Fn(&I) -> T + Sync,
) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut out = Vec::with_capacity(items.len());
    for batch in items.chunks(BATCH) {
        if threads <= 1 || batch.len() == 1 {
            out.extend(batch.iter().map(&f));
        } else {
            let f = &f;
            let parts: Vec<Vec<T>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads.min(batch.len()))
                    .map(|t| {
                        s.spawn(move || {
                            batch
                                .iter()
                                .skip(t)
                                .step_by(threads)
                                .map(f)
                                .collect::<Vec<T>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            // Thread t computed items t, t + threads, ...: interleave back.
            let mut iters: Vec<_> = parts.into_iter().map(Vec::into_iter).collect();
            let n = iters.len();
            for i in 0..batch.len() {
                if let Some(v) = iters[i % n].next() {
                    out.push(v);
                }
            }
        }
        progress.add(batch.len() as u64);
    }
    out
}
