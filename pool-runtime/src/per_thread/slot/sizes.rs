//! The owner's record of its returns' sizes, for a pool that learns its
//! cap (`calibrate.rs`): plain stores into the slot, handed in to the
//! pool's calibrator a batch at a time. Same rule as the parent module:
//! nothing here runs user code or can panic.

use super::Mine;
use crate::calibrate::Sizes;

impl<T> Mine<'_, T> {
    /// Records the size (`used_bytes()`) of a value that came back, in a
    /// pool that learns its cap. The record is made at the first size, and
    /// allocated with nothing borrowed.
    pub(crate) fn record_size(&self, bytes: usize) {
        let recorded = self.local(|l| match &mut l.sizes {
            Some(sizes) => {
                sizes.record(bytes);
                true
            }
            None => false,
        });
        if recorded {
            return;
        }
        let made = Box::new(Sizes::new());
        let spare = self.local(|l| match &mut l.sizes {
            // Made meanwhile: only if the allocator itself used this pool.
            Some(sizes) => {
                sizes.record(bytes);
                Some(made)
            }
            None => {
                l.sizes.insert(made).record(bytes);
                None
            }
        });
        drop(spare);
    }

    /// Whether enough sizes are recorded to hand them in.
    pub(crate) fn sizes_due(&self) -> bool {
        self.local(|l| l.sizes.as_ref().is_some_and(|sizes| sizes.is_due()))
    }

    /// The sizes recorded since the last call; the record starts again.
    pub(crate) fn take_sizes(&self) -> Sizes {
        self.local(|l| match &mut l.sizes {
            Some(sizes) => sizes.take(),
            None => Sizes::new(),
        })
    }
}
