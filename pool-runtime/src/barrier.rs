//! The two halves of an asymmetric memory barrier: a light one on the
//! owner's fast path, a heavy one for the rare thread that reclaims another
//! thread's stash (`per_thread/slot/access.rs` says why the pair is needed).
//!
//! On Linux the heavy half is `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)`:
//! the kernel makes every running thread of the process execute a full
//! barrier before the call returns, so the light half only has to stop the
//! compiler from reordering (a `compiler_fence`, no instruction at all).
//! Where that is not available (another OS, or a kernel or sandbox that
//! refuses the call), the portable pair is a full fence on both sides; the
//! choice for the light half is made at compile time, so on Linux a refused
//! `membarrier` does not fall back to fences: the reclaimer then only asks,
//! and each owner frees its own stash at its next use or exit, as before
//! this barrier existed. Under loom and miri, which cannot model the
//! syscall, both halves are full fences, the portable pair.

use crate::sync::{fence, Ordering::SeqCst};

/// Whether this build's light half is only a compiler fence.
const ASYMMETRIC: bool = cfg!(all(target_os = "linux", not(loom), not(miri)));

/// The owner's half, between its plain store that opens a fast span and its
/// load of the slot's request word.
#[inline(always)]
pub(crate) fn light() {
    if ASYMMETRIC {
        core::sync::atomic::compiler_fence(SeqCst);
    } else {
        fence(SeqCst);
    }
}

/// The reclaimer's half, between its store of the request word and its load
/// of the owner's span words. False when this process has no heavy barrier
/// that pairs with `light`: the caller must not touch the stash then.
pub(crate) fn heavy() -> bool {
    if REFUSED_FOR_TESTS.load(core::sync::atomic::Ordering::Relaxed) {
        return false;
    }
    if ASYMMETRIC {
        membarrier::run()
    } else {
        fence(SeqCst);
        true
    }
}

/// Set by [`refuse_for_tests`]: claims only ask, as where the platform
/// has no heavy barrier.
static REFUSED_FOR_TESTS: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

/// Makes every later claim of this process only ask, so that tests can
/// drive the path a refused `membarrier` takes (owners carry requests out
/// themselves, at their next operation or exit).
pub(crate) fn refuse_for_tests() {
    REFUSED_FOR_TESTS.store(true, core::sync::atomic::Ordering::Relaxed);
}

#[cfg(all(target_os = "linux", not(loom), not(miri)))]
mod membarrier {
    use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

    // From the kernel's `linux/membarrier.h` (a stable ABI).
    const CMD_QUERY: libc::c_int = 0;
    const CMD_PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
    const CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;

    const UNKNOWN: u8 = 0;
    const READY: u8 = 1;
    const REFUSED: u8 = 2;

    /// Whether the process is registered for the expedited command.
    static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);

    fn call(cmd: libc::c_int) -> libc::c_long {
        // SAFETY: `membarrier` takes two integers and a cpu id, reads and
        // writes no memory of ours, and fails with -1 (ENOSYS, EINVAL,
        // EPERM under a seccomp filter) rather than misbehave.
        unsafe {
            libc::syscall(
                libc::SYS_membarrier,
                cmd,
                0 as libc::c_uint,
                0 as libc::c_int,
            )
        }
    }

    /// Registers once (the kernel wants it before the first expedited
    /// call), then runs the barrier. Two threads may register at once:
    /// registering twice is harmless.
    pub(super) fn run() -> bool {
        match STATE.load(Relaxed) {
            READY => {}
            REFUSED => return false,
            _ => {
                let supported = call(CMD_QUERY);
                let ready = supported >= 0
                    && supported & libc::c_long::from(CMD_PRIVATE_EXPEDITED) != 0
                    && call(CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
                STATE.store(if ready { READY } else { REFUSED }, Relaxed);
                if !ready {
                    return false;
                }
            }
        }
        call(CMD_PRIVATE_EXPEDITED) == 0
    }
}

#[cfg(not(all(target_os = "linux", not(loom), not(miri))))]
mod membarrier {
    pub(super) fn run() -> bool {
        unreachable!("only called where ASYMMETRIC")
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    #[test]
    fn the_heavy_barrier_runs_here() {
        // The machines this crate is developed and tested on all allow it;
        // a refusal would quietly turn trimming back into asking.
        assert!(super::heavy(), "membarrier refused on this machine");
    }
}
