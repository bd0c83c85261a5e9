//! The averaged perceptron: a [`Trainer`] that learns weights, and the compact [`Weights`] table
//! that a trained model scores with.
//!
//! Speed comes from memory layout, not arithmetic: a sentence touches a few hundred feature rows
//! scattered over megabytes, so each lookup should cost one cache miss. [`Weights`] is an
//! open-addressing table of 8-byte slots at a load factor of one half, probed linearly from a slot
//! picked by the key's hash. Weights are stored as bfloat16 (the top half of an `f32`; three
//! significant digits are plenty for a perceptron's scores). A slot holds a 16-bit fingerprint of
//! its key and, in the remaining 48 bits:
//! - for narrow rows (the parser's three transitions), the whole row;
//! - for wide rows (tags, labels), up to two (class, weight) pairs, which is all that most rows
//!   have, because a perceptron only moves the weights of the two classes it confused; longer
//!   rows spill into a packed array, and the slot holds their offset.
//!
//! The full 64-bit keys are kept apart, only for writing the model out.

use super::hash::finish;
use rustc_hash::FxHashMap;

/// Rows at most this wide are stored inside the slots.
const MAX_INLINE: usize = 3;
/// In a wide slot, the class byte that marks a spilled row, and the one that marks "no pair".
const SPILLED: u64 = 0xff;
const NO_PAIR: u64 = 0xfe;

/// Trained weights, read-only: feature keys to rows of one weight per class.
#[derive(Clone, Debug, Default)]
pub(crate) struct Weights {
    n_classes: usize,
    slots: Vec<u64>,
    /// Spilled wide rows: a length, then that many `class << 16 | bf16 weight`.
    rows: Vec<u32>,
    /// Every stored key, sorted.
    keys: Vec<u64>,
}

impl Weights {
    /// Builds the table from keys and their rows (`rows` holds `n_classes` weights per key, in
    /// the order of `keys`). Keys are sorted first, so that the table depends only on the set of
    /// keys; a repeated key keeps its first row. In wide rows, weights smaller than `prune` are
    /// dropped.
    pub(crate) fn new(n_classes: usize, keys: Vec<u64>, rows: Vec<f32>, prune: f32) -> Weights {
        let n_classes = n_classes.clamp(1, 1 << 16);
        let mut order: Vec<usize> = (0..keys.len().min(rows.len() / n_classes)).collect();
        order.sort_by_key(|&idx| (keys[idx], idx));
        order.dedup_by_key(|idx| keys[*idx]);
        let narrow = n_classes <= MAX_INLINE;
        // At a load factor of one half, probes are short: most lookups are of features the
        // model never kept, and an unsuccessful probe runs to the next empty slot.
        let n_slots = (order.len() * 2 + 1).max(16);
        let mut slots = vec![0u64; n_slots];
        let mut packed: Vec<u32> = Vec::new();
        let mut sorted_keys = Vec::with_capacity(order.len());
        let mut pairs: Vec<(u64, u16)> = Vec::with_capacity(n_classes);
        for &idx in &order {
            let key = keys[idx];
            let row = &rows[idx * n_classes..(idx + 1) * n_classes];
            let (mut slot, fingerprint) = locate(key, n_slots);
            while slots[slot] != 0 {
                slot = next(slot, n_slots);
            }
            slots[slot] = if narrow {
                row.iter()
                    .enumerate()
                    .fold(fingerprint, |bits, (class, &w)| bits | u64::from(to_bf16(w)) << (16 * (class + 1)))
            } else {
                pairs.clear();
                for (class, &weight) in row.iter().enumerate() {
                    let half = to_bf16(weight);
                    if weight.abs() >= prune && half & 0x7fff != 0 {
                        pairs.push((class as u64, half));
                    }
                }
                if pairs.len() <= 2 && n_classes < NO_PAIR as usize {
                    let pair = |i: usize| pairs.get(i).map_or(NO_PAIR, |&(class, half)| class | u64::from(half) << 8);
                    fingerprint | pair(0) << 16 | pair(1) << 40
                } else {
                    let start = packed.len() as u64;
                    packed.push(pairs.len() as u32);
                    packed.extend(pairs.iter().map(|&(class, half)| (class as u32) << 16 | u32::from(half)));
                    fingerprint | SPILLED << 16 | start << 32
                }
            };
            sorted_keys.push(key);
        }
        Weights { n_classes, slots, rows: packed, keys: sorted_keys }
    }

    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds the rows of `features` into `scores` (`n_classes` long).
    ///
    /// Lookups go in batches, in phases: first every key's home slot is read, in a loop without
    /// branches, so that the processor has all those cache misses in flight at once instead of
    /// one after the other; then the probes are finished from what is (now) in cache. This is
    /// what a software prefetch would do, without `unsafe`.
    #[inline]
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        const BATCH: usize = 32;
        let n_slots = self.slots.len();
        if n_slots == 0 {
            // A default (untrained) table.
            return;
        }
        let narrow = self.n_classes <= MAX_INLINE;
        let mut homes = [0usize; BATCH];
        let mut fingerprints = [0u64; BATCH];
        let mut first = [0u64; BATCH];
        for chunk in features.chunks(BATCH) {
            for (i, &key) in chunk.iter().enumerate() {
                let (slot, fingerprint) = locate(key, n_slots);
                homes[i] = slot;
                fingerprints[i] = fingerprint;
                first[i] = self.slots[slot];
            }
            for i in 0..chunk.len() {
                let slot = if first[i] & 0xffff == fingerprints[i] {
                    first[i]
                } else if first[i] == 0 {
                    continue;
                } else {
                    match self.probe(next(homes[i], n_slots), fingerprints[i]) {
                        Some(slot) => slot,
                        None => continue,
                    }
                };
                if narrow {
                    for (class, score) in scores.iter_mut().take(MAX_INLINE).enumerate() {
                        *score += from_bf16((slot >> (16 * (class + 1))) as u16);
                    }
                } else {
                    self.add_wide(slot, scores);
                }
            }
        }
    }

    #[inline(always)]
    fn add_wide(&self, slot: u64, scores: &mut [f32]) {
        let class = (slot >> 16) & 0xff;
        if class == SPILLED {
            let start = (slot >> 32) as usize;
            let len = self.rows.get(start).copied().unwrap_or(0) as usize;
            for &entry in self.rows.get(start + 1..start + 1 + len).unwrap_or(&[]) {
                if let Some(score) = scores.get_mut((entry >> 16) as usize) {
                    *score += from_bf16(entry as u16);
                }
            }
            return;
        }
        for pair in [slot >> 16, slot >> 40] {
            if let Some(score) = scores.get_mut((pair & 0xff) as usize) {
                *score += from_bf16((pair >> 8) as u16);
            }
        }
    }

    /// Continues a probe from `slot`.
    #[inline(always)]
    fn probe(&self, mut slot: usize, fingerprint: u64) -> Option<u64> {
        loop {
            let bits = self.slots[slot];
            if bits & 0xffff == fingerprint {
                return Some(bits);
            }
            if bits == 0 {
                return None;
            }
            slot = next(slot, self.slots.len());
        }
    }

    /// Every stored key with its (dense) row, in key order (for writing the model).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, Vec<f32>)> + '_ {
        self.keys.iter().map(move |&key| {
            let mut row = vec![0f32; self.n_classes];
            self.score(&[key], &mut row);
            (key, row)
        })
    }

    /// Approximate heap size in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * 8 + self.rows.len() * 4 + self.keys.len() * 8
    }
}

#[inline(always)]
fn next(slot: usize, n_slots: usize) -> usize {
    if slot + 1 == n_slots {
        0
    } else {
        slot + 1
    }
}

/// A key's home slot (from the hash's high bits, scaled to the table size without a division)
/// and its 16-bit fingerprint from the low bits (never 0, which marks an empty slot). A
/// fingerprint can collide with another key's; the cost is a stray small weight now and then,
/// always the same one.
#[inline(always)]
fn locate(key: u64, n_slots: usize) -> (usize, u64) {
    let h = finish(key);
    let home = ((u128::from(h) * n_slots as u128) >> 64) as usize;
    (home, (h & 0xffff) | 1)
}

/// Rounds to the nearest bfloat16.
pub(crate) fn to_bf16(value: f32) -> u16 {
    let bits = value.to_bits();
    let rounding = 0x7fff + ((bits >> 16) & 1);
    (bits.wrapping_add(rounding) >> 16) as u16
}

#[inline(always)]
pub(crate) fn from_bf16(half: u16) -> f32 {
    f32::from_bits(u32::from(half) << 16)
}

/// Learns weights with the averaged perceptron (Collins 2002), using the lazy-update trick: each
/// weight remembers when it last changed, so averaging costs nothing per example.
#[derive(Clone, Debug)]
pub(crate) struct Trainer {
    n_classes: usize,
    index: FxHashMap<u64, u32>,
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    /// Number of examples seen (the averaging denominator).
    time: u32,
}

impl Trainer {
    pub(crate) fn new(n_classes: usize) -> Trainer {
        Trainer {
            n_classes,
            index: FxHashMap::default(),
            weights: Vec::new(),
            totals: Vec::new(),
            stamps: Vec::new(),
            time: 0,
        }
    }

    /// Sets `scores` to the current (not averaged) scores of `features`.
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for key in features {
            if let Some(&row) = self.index.get(key) {
                let start = row as usize * self.n_classes;
                for (score, weight) in scores.iter_mut().zip(&self.weights[start..start + self.n_classes]) {
                    *score += weight;
                }
            }
        }
    }

    /// Marks the end of one example: averaging counts examples, updated or not.
    pub(crate) fn tick(&mut self) {
        self.time += 1;
    }

    /// Moves the weights of `features` towards `truth` and away from `guess`.
    pub(crate) fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &key in features {
            let next = self.index.len() as u32;
            let row = *self.index.entry(key).or_insert(next);
            if row == next {
                let len = self.weights.len() + self.n_classes;
                self.weights.resize(len, 0.0);
                self.totals.resize(len, 0.0);
                self.stamps.resize(len, self.time);
            }
            let start = row as usize * self.n_classes;
            self.adjust(start + truth, 1.0);
            self.adjust(start + guess, -1.0);
        }
    }

    fn adjust(&mut self, idx: usize, delta: f32) {
        let elapsed = f64::from(self.time - self.stamps[idx]);
        self.totals[idx] += elapsed * f64::from(self.weights[idx]);
        self.stamps[idx] = self.time;
        self.weights[idx] += delta;
    }

    /// The averaged weights, without the rows whose weights all round to less than `min_abs`
    /// (they cannot change a decision, and they are most of a perceptron's rows).
    pub(crate) fn averaged(&self, min_abs: f32) -> Weights {
        let time = f64::from(self.time.max(1));
        let mut keys = Vec::with_capacity(self.index.len());
        let mut rows = Vec::with_capacity(self.index.len() * self.n_classes);
        let mut averaged = vec![0f32; self.n_classes];
        for (&key, &row) in &self.index {
            let start = row as usize * self.n_classes;
            for (class, out) in averaged.iter_mut().enumerate() {
                let idx = start + class;
                let total = self.totals[idx] + f64::from(self.time - self.stamps[idx]) * f64::from(self.weights[idx]);
                *out = (total / time) as f32;
            }
            if averaged.iter().any(|w| w.abs() >= min_abs) {
                keys.push(key);
                rows.extend_from_slice(&averaged);
            }
        }
        Weights::new(self.n_classes, keys, rows, min_abs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n_classes: usize, entries: &[(u64, &[f32])], features: &[u64], expect: &[f32]) {
        let keys = entries.iter().map(|(key, _)| *key).collect();
        let rows = entries.iter().flat_map(|(_, row)| row.iter().copied()).collect();
        let weights = Weights::new(n_classes, keys, rows, 0.0);
        let mut scores = vec![0.0; n_classes];
        weights.score(features, &mut scores);
        assert_eq!(scores, expect);
        let round_trip: Vec<_> = weights.entries().collect();
        assert_eq!(round_trip.len(), entries.len());
    }

    #[test]
    fn scores_inline_and_packed_rows() {
        check(3, &[(1, &[1.0, 2.0, 3.0]), (2, &[0.5, 0.0, -1.0])], &[1, 2, 3], &[1.5, 2.0, 2.0]);
        check(4, &[(1, &[1.0, 2.0, 3.0, 4.0]), (9, &[1.0, 0.0, 0.0, -4.0])], &[9, 1, 1], &[3.0, 4.0, 6.0, 4.0]);
        check(2, &[], &[1, 2], &[0.0, 0.0]);
    }

    #[test]
    fn averages_over_time() {
        let mut trainer = Trainer::new(2);
        trainer.update(&[7], 0, 1);
        trainer.tick();
        trainer.tick();
        trainer.update(&[7], 1, 0);
        trainer.tick();
        trainer.tick();
        // Weight of class 0 was 1 for two examples and 0 for two: the average is 0.5.
        let weights = trainer.averaged(0.0);
        let mut scores = [0.0; 2];
        weights.score(&[7], &mut scores);
        assert_eq!(scores, [0.5, -0.5]);
        assert_eq!(trainer.averaged(0.6).len(), 0);
    }
}
