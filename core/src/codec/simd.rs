//! The decoders' hot loops compiled for the CPU's best vector instruction set, chosen at
//! run time: the default x86-64 target has only SSE2 (no byte shuffle, no per-lane shifts),
//! which makes a byte swap about five times slower than with AVX2. pulp (a safe API) picks
//! the AVX2/FMA build on x86-64-v3 CPUs and the baseline elsewhere; the code stays plain
//! Rust that the compiler vectorises for each.

/// A closure run through pulp's dispatch.
struct Run<F>(F);

impl<R, F: FnOnce() -> R> pulp::WithSimd for Run<F> {
    type Output = R;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> R {
        (self.0)()
    }
}

/// Runs `f` compiled for the best instruction set this CPU has. Mark the closure
/// `#[inline(always)]`: only code inlined into it is compiled for that set.
#[inline(always)]
pub(crate) fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    pulp::Arch::new().dispatch(Run(f))
}
