//! The averaged perceptron: a [`Trainer`] that learns weights, and the compact [`Weights`] table
//! that a trained model scores with.
//!
//! Speed comes from memory layout, not arithmetic: a sentence touches a few hundred feature rows
//! scattered over megabytes, so each lookup should cost one cache miss. [`Weights`] is an
//! open-addressing table probed linearly from a slot picked by the key's hash; a slot holds a
//! 32-bit fingerprint of the key and, when the rows are narrow (the parser's three transitions),
//! the row itself, so that a slot is 16 bytes and a lookup reads one cache line. Wide rows (tags,
//! labels) live in a packed array beside the table. The full 64-bit keys are kept apart, only for
//! writing the model back out.

use super::hash::finish;
use rustc_hash::FxHashMap;

/// Rows at most this wide are stored inside the slots.
const MAX_INLINE: usize = 3;

/// Trained weights, read-only: feature keys to rows of one weight per class.
#[derive(Clone, Debug, Default)]
pub(crate) struct Weights {
    n_classes: usize,
    inline: bool,
    /// `u32`s per slot: the fingerprint, then the row (inline) or the row's index (not inline).
    stride: usize,
    mask: usize,
    slots: Vec<u32>,
    rows: Vec<f32>,
    /// Every stored key, sorted, with its row in `rows` order when not inline.
    keys: Vec<u64>,
}

impl Weights {
    /// Builds the table from keys and their rows (`rows` holds `n_classes` weights per key, in
    /// the order of `keys`). Keys are sorted first, so that the table, and the order rows are
    /// written in, depend only on the set of keys. A repeated key keeps its first row.
    pub(crate) fn new(n_classes: usize, keys: Vec<u64>, rows: Vec<f32>) -> Weights {
        let mut order: Vec<usize> = (0..keys.len().min(rows.len() / n_classes.max(1))).collect();
        order.sort_by_key(|&idx| (keys[idx], idx));
        order.dedup_by_key(|idx| keys[*idx]);
        let inline = n_classes <= MAX_INLINE;
        let stride = if inline { 1 + n_classes } else { 2 };
        // A load factor of at most one half keeps probe sequences short and guarantees an empty
        // slot, which is what ends an unsuccessful probe.
        let n_slots = (order.len() * 2).next_power_of_two().max(16);
        let mask = n_slots - 1;
        let mut slots = vec![0u32; n_slots * stride];
        let mut packed = Vec::with_capacity(if inline { 0 } else { order.len() * n_classes });
        let mut sorted_keys = Vec::with_capacity(order.len());
        for (rank, &idx) in order.iter().enumerate() {
            let key = keys[idx];
            let row = &rows[idx * n_classes..(idx + 1) * n_classes];
            let (mut slot, fingerprint) = locate(key, mask);
            while slots[slot * stride] != 0 {
                slot = (slot + 1) & mask;
            }
            let base = slot * stride;
            slots[base] = fingerprint;
            if inline {
                for (class, weight) in row.iter().enumerate() {
                    slots[base + 1 + class] = weight.to_bits();
                }
            } else {
                slots[base + 1] = rank as u32;
                packed.extend_from_slice(row);
            }
            sorted_keys.push(key);
        }
        Weights { n_classes, inline, stride, mask, slots, rows: packed, keys: sorted_keys }
    }

    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds the rows of `features` into `scores` (`n_classes` long).
    #[inline]
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        let n = self.n_classes.min(scores.len());
        for &key in features {
            let Some(base) = self.find(key) else { continue };
            if self.inline {
                let row = &self.slots[base + 1..base + 1 + n];
                for (score, &bits) in scores.iter_mut().zip(row) {
                    *score += f32::from_bits(bits);
                }
            } else {
                let start = self.slots[base + 1] as usize * self.n_classes;
                let row = &self.rows[start..start + n];
                for (score, &weight) in scores.iter_mut().zip(row) {
                    *score += weight;
                }
            }
        }
    }

    /// The start of `key`'s slot in `slots`, if stored.
    #[inline(always)]
    fn find(&self, key: u64) -> Option<usize> {
        let (mut slot, fingerprint) = locate(key, self.mask);
        loop {
            let base = slot * self.stride;
            match self.slots[base] {
                found if found == fingerprint => return Some(base),
                0 => return None,
                _ => slot = (slot + 1) & self.mask,
            }
        }
    }

    /// Every stored key with its row, in key order (for writing the model).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, Vec<f32>)> + '_ {
        self.keys.iter().filter_map(move |&key| {
            let base = self.find(key)?;
            Some((key, self.row_at(base)))
        })
    }

    fn row_at(&self, base: usize) -> Vec<f32> {
        if self.inline {
            self.slots[base + 1..base + 1 + self.n_classes].iter().map(|&bits| f32::from_bits(bits)).collect()
        } else {
            let start = self.slots[base + 1] as usize * self.n_classes;
            self.rows[start..start + self.n_classes].to_vec()
        }
    }

    /// Approximate heap size in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.len() * 4 + self.rows.len() * 4 + self.keys.len() * 8
    }
}

/// A key's home slot and its fingerprint (never 0, which marks an empty slot).
#[inline(always)]
fn locate(key: u64, mask: usize) -> (usize, u32) {
    let h = finish(key);
    ((h as usize) & mask, ((h >> 32) as u32) | 1)
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
        Weights::new(self.n_classes, keys, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n_classes: usize, entries: &[(u64, &[f32])], features: &[u64], expect: &[f32]) {
        let keys = entries.iter().map(|(key, _)| *key).collect();
        let rows = entries.iter().flat_map(|(_, row)| row.iter().copied()).collect();
        let weights = Weights::new(n_classes, keys, rows);
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
