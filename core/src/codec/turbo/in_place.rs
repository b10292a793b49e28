//! Turbo streams decode to one 32-bit slot per point (16-bit tokens or float bits). The
//! slots are laid over the caller's output, then turned into output values in place, so a
//! decode needs no buffer the size of the field besides its output.

use bytemuck::Pod;

use crate::codec::simd::vectorized;
use crate::error::Result;
use crate::limits::try_vec;

/// Decodes `out.len()` slots into the start of `out`'s memory (`decode`), then replaces
/// each slot by `value(slot)`. Output elements are 4 or 8 bytes, so the slots fit; wider
/// elements are written last first, never over a slot not yet read.
pub(super) fn decode_widen<W: Pod>(
    out: &mut [W],
    decode: impl FnOnce(&mut [u32]) -> Result<()>,
    value: impl Fn(u32) -> W,
) -> Result<()> {
    let n = out.len();
    let ratio = std::mem::size_of::<W>() / 4;
    debug_assert!(ratio >= 1 && std::mem::size_of::<W>() % 4 == 0);
    let slots: &mut [u32] = bytemuck::cast_slice_mut(out);
    decode(&mut slots[..n])?;
    if ratio == 1 {
        // One loop the compiler vectorises (`value` is branch-free for the hot packings).
        vectorized(
            #[inline(always)]
            move || {
                for s in slots.iter_mut() {
                    *s = bytemuck::cast::<W, u32>(value(*s));
                }
            },
        );
    } else {
        for i in (0..n).rev() {
            let v = value(slots[i]);
            slots[i * ratio..(i + 1) * ratio]
                .copy_from_slice(bytemuck::cast_slice(std::slice::from_ref(&v)));
        }
    }
    Ok(())
}

/// For outputs narrower than a slot (8- or 16-bit unsigned): a separate slot buffer,
/// allocated fallibly (the decode's limit check counts it, see `codec::scratch_bytes`).
pub(super) fn decode_narrow<T>(
    out: &mut [T],
    decode: impl FnOnce(&mut [u32]) -> Result<()>,
    value: impl Fn(u32) -> T,
) -> Result<()> {
    let mut slots = try_vec(out.len(), 0u32, "turbo decode scratch")?;
    decode(&mut slots)?;
    out.iter_mut().zip(slots).for_each(|(o, s)| *o = value(s));
    Ok(())
}
