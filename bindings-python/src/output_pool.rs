//! `read_many`'s output blocks, kept for the next call: a loop of `read_many` batches,
//! each dropped before the next, decodes into the pages the previous batch used instead
//! of faulting fresh ones in (on the bench host, a VM that hands freed memory back to its
//! hypervisor, a fresh page costs more than decoding into it).
//!
//! The pool holds numpy `uint8` blocks. Every array `read_many` carves out of a block is
//! a view whose base is the block, and so is every view of those arrays: while one of
//! them lives the block has references besides the pool's, and it is never handed out
//! again. A block whose only reference is the pool's is free. What the pool keeps:
//! - blocks of [`POOL_MIN_BYTES`] or more only (malloc reuses smaller ones by itself);
//! - at most [`POOL_BYTES`] of blocks, free or in use (blocks in use by arrays the caller
//!   keeps are let go first when a call needs room);
//! - a free block that [`IDLE_CALLS`] calls in a row did not take is released (not at the
//!   first call: threads streaming batches side by side take each other's free blocks),
//!   so once arrays are dropped, that many calls without large outputs empty the pool.

use std::sync::{Mutex, MutexGuard};

use numpy::{PyArray1, PyArrayDescrMethods, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::sync::MutexExt;

use crate::output_memory;

/// Blocks smaller than this are not kept: `output_memory` populates pages from 4 MiB on,
/// and below that malloc's heap reuses freed memory.
const POOL_MIN_BYTES: usize = 4 << 20;

/// The most the pool keeps, in bytes of blocks (four of `read_many`'s 32 MiB blocks):
/// batches up to this size reuse all their memory.
const POOL_BYTES: usize = 128 << 20;

/// Calls that may pass over a free block before it is released.
const IDLE_CALLS: u32 = 4;

/// A block, its size when it was made, and how many calls in a row found it free and did
/// not take it.
struct Kept {
    block: Py<PyArray1<u8>>,
    bytes: usize,
    idle: u32,
}

static POOL: Mutex<Vec<Kept>> = Mutex::new(Vec::new());

/// The pool, waited for with the GIL released (a thread holding the lock may need it). A
/// panic while it was held leaves a list of valid blocks: poisoning is ignored.
fn lock(py: Python<'_>) -> MutexGuard<'static, Vec<Kept>> {
    POOL.lock_py_attached(py)
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writable, contiguous `uint8` blocks of at least `lens[i]` bytes each, for a decoder to
/// fill: free blocks of the pool where one fits (between `len` and twice `len`), fresh
/// ones from [`output_memory::bytes`] otherwise.
pub(crate) fn blocks<'py>(
    py: Python<'py>,
    lens: &[usize],
) -> PyResult<Vec<Bound<'py, PyArray1<u8>>>> {
    let taken = take_free(py, lens);
    let mut out = Vec::with_capacity(lens.len());
    let mut fresh = Vec::new();
    let mut spoilt = Vec::new();
    for (&len, kept) in lens.iter().zip(taken) {
        if let Some(block) = kept {
            let block = block.into_bound(py);
            if usable(&block, len) {
                out.push(block);
                continue;
            }
            spoilt.push(block.unbind());
        }
        let block = output_memory::bytes(py, len)?;
        if len >= POOL_MIN_BYTES {
            fresh.push(block.clone().unbind());
        }
        out.push(block);
    }
    keep_fresh(py, fresh, &spoilt, &out);
    Ok(out)
}

/// For each of `lens`, a free block that fits (marked in use by the reference returned);
/// free blocks passed over by [`IDLE_CALLS`] calls leave the pool.
fn take_free(py: Python<'_>, lens: &[usize]) -> Vec<Option<Py<PyArray1<u8>>>> {
    let mut taken = Vec::with_capacity(lens.len());
    let mut released = Vec::new();
    {
        let mut pool = lock(py);
        let mut free: Vec<bool> = pool.iter().map(|k| only_pool_holds(py, &k.block)).collect();
        for &len in lens {
            let fit = (0..pool.len())
                .filter(|_| len >= POOL_MIN_BYTES)
                .filter(|&i| free[i] && pool[i].bytes >= len && pool[i].bytes / 2 <= len)
                .min_by_key(|&i| pool[i].bytes);
            taken.push(fit.map(|i| {
                free[i] = false;
                pool[i].block.clone_ref(py)
            }));
        }
        for (mut kept, is_free) in std::mem::take(&mut *pool).into_iter().zip(free) {
            kept.idle = if is_free { kept.idle + 1 } else { 0 };
            if kept.idle >= IDLE_CALLS {
                released.push(kept);
            } else {
                pool.push(kept);
            }
        }
    }
    // Blocks are freed here, not under the lock (freeing can run a weakref's callback).
    drop(released);
    taken
}

/// Whether the pool's reference is the block's only one: no array of it lives.
// pyo3 deprecates reading reference counts because free-threaded Pythons defer them; this
// module is built for the stable ABI (`abi3`), which only GIL builds load, where the count
// is exact while the GIL is held.
#[allow(deprecated)]
fn only_pool_holds(py: Python<'_>, block: &Py<PyArray1<u8>>) -> bool {
    block.get_refcnt(py) == 1
}

/// Whether a block taken from the pool is still a writable, contiguous `uint8` block of
/// at least `len` bytes: the caller may have changed it through `array.base` before
/// letting go of it.
fn usable(block: &Bound<'_, PyArray1<u8>>, len: usize) -> bool {
    block.ndim() == 1
        && block.dtype().is_equiv_to(&numpy::dtype::<u8>(block.py()))
        && block.is_c_contiguous()
        && block.len() >= len
        && block.try_readwrite().is_ok()
}

/// Adds the `fresh` blocks of this call to the pool while it has room, letting go first
/// of blocks in use by arrays callers keep (never one of `out`, this call's blocks), and
/// removes the `spoilt` ones.
fn keep_fresh(
    py: Python<'_>,
    fresh: Vec<Py<PyArray1<u8>>>,
    spoilt: &[Py<PyArray1<u8>>],
    out: &[Bound<'_, PyArray1<u8>>],
) {
    if fresh.is_empty() && spoilt.is_empty() {
        return;
    }
    let mine = |k: &Kept| out.iter().any(|b| b.as_ptr() == k.block.as_ptr());
    let mut let_go = Vec::new();
    {
        let mut pool = lock(py);
        for kept in std::mem::take(&mut *pool) {
            if spoilt.iter().any(|s| s.as_ptr() == kept.block.as_ptr()) {
                let_go.push(kept);
            } else {
                pool.push(kept);
            }
        }
        for block in fresh {
            let bytes = block.bind(py).len();
            let mut held: usize = pool.iter().map(|k| k.bytes).sum();
            while held + bytes > POOL_BYTES {
                let Some(oldest) = pool.iter().position(|k| !mine(k)) else {
                    break;
                };
                let kept = pool.remove(oldest);
                held -= kept.bytes;
                let_go.push(kept);
            }
            if held + bytes <= POOL_BYTES {
                pool.push(Kept {
                    block,
                    bytes,
                    idle: 0,
                });
            }
        }
    }
    drop(let_go);
}
