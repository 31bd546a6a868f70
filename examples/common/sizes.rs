//! The examples' fixed-seed sizes: a splitmix64 generator and log-uniform
//! draws from it, the same on every run. An example includes this file as
//! a module (`#[path = "common/sizes.rs"] mod sizes;`) and draws its own
//! mix of sizes with `between`.

/// A fixed-seed generator (splitmix64): the same sizes on every run.
pub struct Sizes(pub u64);

impl Sizes {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Log-uniform in `[lo, hi]`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        let (lo, hi) = ((lo as f64).ln(), (hi as f64).ln());
        (lo + (hi - lo) * self.unit()).exp() as usize
    }
}
