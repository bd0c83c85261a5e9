//! Feature keys: fixed, deterministic hashing of strings and of feature tuples.
//!
//! Nothing here may depend on a random seed or on a dependency's hashing algorithm, because the
//! keys are stored in the model file: the same feature must hash to the same key in every build.

/// FNV-1a over the bytes of `s`: short words hash fast and the algorithm never changes.
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = StrHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// [`hash_str`] of a string fed a piece at a time, for strings that need not be built.
pub(crate) struct StrHasher(u64);

impl StrHasher {
    pub(crate) fn new() -> StrHasher {
        StrHasher(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn push(&mut self, c: char) {
        self.write(c.encode_utf8(&mut [0; 4]).as_bytes());
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// Folds `value` into the running key `h` (the FxHash step): cheap, and good enough because
/// [`finish`] scrambles the result before it picks a slot.
#[inline(always)]
pub(crate) fn mix(h: u64, value: u64) -> u64 {
    (h.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// MurmurHash3's 64-bit finalizer: every input bit affects every output bit, so the low bits can
/// index a table.
#[inline(always)]
pub(crate) fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The key of feature template `template` over `values`.
#[inline(always)]
pub(crate) fn key1(template: u32, a: u64) -> u64 {
    mix(mix(u64::from(template).wrapping_mul(0x9e37_79b9_7f4a_7c15), a), 1)
}

#[inline(always)]
pub(crate) fn key2(template: u32, a: u64, b: u64) -> u64 {
    mix(mix(mix(u64::from(template).wrapping_mul(0x9e37_79b9_7f4a_7c15), a), b), 2)
}

#[inline(always)]
pub(crate) fn key3(template: u32, a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(mix(u64::from(template).wrapping_mul(0x9e37_79b9_7f4a_7c15), a), b), c), 3)
}

/// A small seeded PRNG (SplitMix64) for shuffling and exploration during training, so that a
/// seed fixes the model byte for byte without a dependency.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`); the modulo bias is irrelevant at these sizes.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Fisher-Yates.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_fixed() {
        // These values are stored in model files: if they change, every model must be retrained.
        assert_eq!(hash_str(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash_str("a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(key2(1, 2, 3), key2(1, 3, 2));
        assert_ne!(key1(1, 2), key1(2, 2));
    }

    #[test]
    fn rng_is_seeded() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut items: Vec<u32> = (0..10).collect();
        a.shuffle(&mut items);
        let mut again: Vec<u32> = (0..10).collect();
        b.shuffle(&mut again);
        assert_eq!(items, again);
        assert!((0..1000).all(|_| a.unit() < 1.0));
    }
}
