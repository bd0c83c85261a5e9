//! The averaged perceptron: a [`Trainer`] that learns weights, and the compact [`Weights`] table
//! that a trained model scores with.
//!
//! Speed comes from memory layout, not arithmetic: a sentence touches a few hundred feature rows
//! scattered over megabytes, and on a busy machine a row that is not in a private cache costs
//! some 150 ns. Three things keep that in check:
//! - **Hot and cold tables.** A few thousand features (tag pairs and triples, frequent words) get
//!   about 80% of all lookups. They are kept in a small table of their own, which stays in the
//!   core's private cache; the rest live in a large cold table. Which features are hot is learned
//!   by counting lookups over the training data after training.
//! - **8-byte slots.** Each table is open addressing at a load factor of one half; a slot holds a
//!   16-bit fingerprint of its key and, in the other 48 bits, for narrow rows (the parser's three
//!   transitions) the whole row as bfloat16 (the top half of an `f32`: three significant digits
//!   are plenty for a perceptron), and for wide rows (tags, labels) up to two (class, weight)
//!   pairs, which is all that most rows have, because a perceptron only moves the weights of the
//!   two classes it confused. Longer rows spill into a packed array.
//! - **Batched lookups.** The cold slots of a batch of features are read in a loop without
//!   branches, so their cache misses are in flight together rather than one after the other.
//!
//! The full 64-bit keys are kept apart, only for writing the model out.

use super::hash::finish;
use rustc_hash::{FxHashMap, FxHashSet};

/// Rows at most this wide are stored inside the slots.
const MAX_INLINE: usize = 3;
/// In a wide slot, the class byte that marks a spilled row, and the one that marks "no pair".
const SPILLED: u64 = 0xff;
const NO_PAIR: u64 = 0xfe;

/// Trained weights, read-only: feature keys to rows of one weight per class.
#[derive(Clone, Debug, Default)]
pub(crate) struct Weights {
    n_classes: usize,
    hot: Slots,
    cold: Slots,
    /// Every stored key, sorted.
    keys: Vec<u64>,
    /// The keys in `hot`, sorted.
    hot_keys: Vec<u64>,
}

/// Rows as given to [`Weights::build`].
enum Rows {
    Dense(Vec<f32>),
    Sparse { offsets: Vec<usize>, pairs: Vec<(u16, u16)> },
}

impl Rows {
    fn len(&self, n_classes: usize) -> usize {
        match self {
            Rows::Dense(rows) => rows.len() / n_classes,
            Rows::Sparse { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    /// The non-zero (class, bfloat16 weight) pairs of row `idx`, without weights under `prune`.
    fn pairs(&self, idx: usize, n_classes: usize, prune: f32, out: &mut Vec<(u64, u16)>) {
        out.clear();
        match self {
            Rows::Dense(rows) => {
                for (class, &weight) in rows[idx * n_classes..(idx + 1) * n_classes].iter().enumerate() {
                    let half = to_bf16(weight);
                    if weight.abs() >= prune && half & 0x7fff != 0 {
                        out.push((class as u64, half));
                    }
                }
            }
            Rows::Sparse { offsets, pairs } => {
                let range = offsets[idx]..offsets[idx + 1];
                let row = pairs.get(range).unwrap_or(&[]);
                out.extend(
                    row.iter()
                        .filter(|&&(class, half)| (class as usize) < n_classes && half & 0x7fff != 0)
                        .map(|&(class, half)| (u64::from(class), half)),
                );
            }
        }
    }
}

/// One open-addressing table.
#[derive(Clone, Debug, Default)]
struct Slots {
    slots: Vec<u64>,
    /// Spilled wide rows: a length, then that many `class << 16 | bf16 weight`.
    rows: Vec<u32>,
}

impl Weights {
    /// Builds the tables from keys and their rows (`rows` holds `n_classes` weights per key, in
    /// the order of `keys`); keys in `hot` go to the hot table. Keys are sorted first, so that
    /// the tables depend only on the set of keys; a repeated key keeps its first row. In wide
    /// rows, weights smaller than `prune` are dropped.
    pub(crate) fn new(n_classes: usize, keys: Vec<u64>, rows: Vec<f32>, prune: f32, hot: &[u64]) -> Weights {
        Weights::build(n_classes, keys, &Rows::Dense(rows), prune, hot)
    }

    /// [`Weights::new`] from sparse rows: row `i` is `pairs[offsets[i]..offsets[i + 1]]`, each a
    /// class and a bfloat16 weight. This is how a model file is read, without ever building
    /// dense rows (a tagger's would take a hundred megabytes).
    pub(crate) fn from_sparse(
        n_classes: usize,
        keys: Vec<u64>,
        offsets: Vec<usize>,
        pairs: Vec<(u16, u16)>,
        hot: &[u64],
    ) -> Weights {
        Weights::build(n_classes, keys, &Rows::Sparse { offsets, pairs }, 0.0, hot)
    }

    fn build(n_classes: usize, keys: Vec<u64>, rows: &Rows, prune: f32, hot: &[u64]) -> Weights {
        let n_classes = n_classes.clamp(1, 1 << 16);
        let mut order: Vec<usize> = (0..keys.len().min(rows.len(n_classes))).collect();
        if !keys.is_sorted() {
            order.sort_by_key(|&idx| (keys[idx], idx));
        }
        order.dedup_by_key(|idx| keys[*idx]);
        let hot_set: FxHashSet<u64> = hot.iter().copied().collect();
        let (hot_order, cold_order): (Vec<usize>, Vec<usize>) =
            order.iter().partition(|&&idx| hot_set.contains(&keys[idx]));
        let build = |order: &[usize]| Slots::build(n_classes, &keys, order, rows, prune);
        Weights {
            n_classes,
            hot: build(&hot_order),
            cold: build(&cold_order),
            keys: order.iter().map(|&idx| keys[idx]).collect(),
            hot_keys: hot_order.iter().map(|&idx| keys[idx]).collect(),
        }
    }

    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        self.keys.binary_search(&key).is_ok()
    }

    /// The keys of the hot table, sorted.
    pub(crate) fn hot_keys(&self) -> &[u64] {
        &self.hot_keys
    }

    /// The same weights with `hot` as the hot keys.
    pub(crate) fn with_hot(&self, hot: &[u64]) -> Weights {
        let mut keys = Vec::with_capacity(self.keys.len());
        let mut rows = Vec::with_capacity(self.keys.len() * self.n_classes);
        for (key, row) in self.entries() {
            keys.push(key);
            rows.extend(row);
        }
        Weights::new(self.n_classes, keys, rows, 0.0, hot)
    }

    /// The average of several tables (a key missing from one counts as zeros there), without
    /// the rows whose weights are all smaller than `prune`.
    pub(crate) fn average(tables: &[&Weights], prune: f32) -> Weights {
        let n_classes = tables.first().map_or(1, |t| t.n_classes);
        let mut sums: std::collections::BTreeMap<u64, Vec<f32>> = std::collections::BTreeMap::new();
        for table in tables {
            for (key, row) in table.entries() {
                let sum = sums.entry(key).or_insert_with(|| vec![0.0; n_classes]);
                for (total, weight) in sum.iter_mut().zip(row) {
                    *total += weight;
                }
            }
        }
        let scale = 1.0 / tables.len().max(1) as f32;
        let mut keys = Vec::with_capacity(sums.len());
        let mut rows = Vec::with_capacity(sums.len() * n_classes);
        for (key, row) in sums {
            if row.iter().any(|w| (w * scale).abs() >= prune) {
                keys.push(key);
                rows.extend(row.iter().map(|w| w * scale));
            }
        }
        Weights::new(n_classes, keys, rows, 0.0, &[])
    }

    /// Adds the rows of `features` into `scores` (`n_classes` long).
    ///
    /// Hot keys are found in the small table, which is in cache; the others are looked up in the
    /// cold table in phases: first every key's home slot is read, in a loop without branches, so
    /// that the processor has all those cache misses in flight at once; then the probes are
    /// finished from what is (now) in cache. This is what a software prefetch would do, without
    /// `unsafe`.
    #[inline]
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        const BATCH: usize = 32;
        let narrow = self.n_classes <= MAX_INLINE;
        let n_hot = self.hot.slots.len();
        let n_cold = self.cold.slots.len();
        let mut hashes = [0u64; BATCH];
        let mut homes = [0usize; BATCH];
        let mut first = [0u64; BATCH];
        let mut misses = [0u64; BATCH];
        for chunk in features.chunks(BATCH) {
            let n = chunk.len();
            // Every phase but the last is a loop without data-dependent branches, so that no load
            // waits for another one's miss to be resolved.
            let mut n_misses = 0;
            if n_hot > 0 {
                for (i, &key) in chunk.iter().enumerate() {
                    let h = finish(key);
                    hashes[i] = h;
                    let (home, _) = locate_hash(h, n_hot);
                    homes[i] = home;
                    first[i] = self.hot.slots[home];
                }
                for i in 0..n {
                    let fingerprint = hashes[i] & 0xffff | 1;
                    let found = if first[i] & 0xffff == fingerprint {
                        Some(first[i])
                    } else if first[i] == 0 {
                        None
                    } else {
                        self.hot.probe(next(homes[i], n_hot), fingerprint)
                    };
                    match found {
                        Some(slot) => self.hot.add(slot, narrow, scores),
                        None => {
                            misses[n_misses] = hashes[i];
                            n_misses += 1;
                        }
                    }
                }
            } else {
                for (i, &key) in chunk.iter().enumerate() {
                    misses[i] = finish(key);
                }
                n_misses = n;
            }
            if n_cold == 0 {
                continue;
            }
            for i in 0..n_misses {
                let (home, _) = locate_hash(misses[i], n_cold);
                homes[i] = home;
                first[i] = self.cold.slots[home];
            }
            for i in 0..n_misses {
                let fingerprint = misses[i] & 0xffff | 1;
                let slot = if first[i] & 0xffff == fingerprint {
                    first[i]
                } else if first[i] == 0 {
                    continue;
                } else {
                    match self.cold.probe(next(homes[i], n_cold), fingerprint) {
                        Some(slot) => slot,
                        None => continue,
                    }
                };
                self.cold.add(slot, narrow, scores);
            }
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
        let slots = |s: &Slots| s.slots.len() * 8 + s.rows.len() * 4;
        slots(&self.hot) + slots(&self.cold) + (self.keys.len() + self.hot_keys.len()) * 8
    }
}

impl Slots {
    /// A table of the rows `order` of `keys` and `rows`.
    fn build(n_classes: usize, keys: &[u64], order: &[usize], rows: &Rows, prune: f32) -> Slots {
        if order.is_empty() {
            return Slots::default();
        }
        let narrow = n_classes <= MAX_INLINE;
        // At a load factor of one half probes are short: an unsuccessful probe runs to the next
        // empty slot.
        let n_slots = (order.len() * 2 + 1).max(16);
        let mut slots = vec![0u64; n_slots];
        let mut packed: Vec<u32> = Vec::new();
        let mut pairs: Vec<(u64, u16)> = Vec::with_capacity(n_classes);
        // Slot values are made in key order (reading keys and rows in sequence), then inserted
        // in the order of their home slots (writing the table in sequence): random access to
        // either is most of what loading a model would cost.
        let mut by_home: Vec<(usize, u64)> = Vec::with_capacity(order.len());
        for &idx in order {
            let h = finish(keys[idx]);
            let (home, fingerprint) = locate_hash(h, n_slots);
            rows.pairs(idx, n_classes, prune, &mut pairs);
            let value = if narrow {
                pairs.iter().fold(fingerprint, |bits, &(class, half)| bits | u64::from(half) << (16 * (class + 1)))
            } else if pairs.len() <= 2 && n_classes < NO_PAIR as usize {
                let pair = |i: usize| pairs.get(i).map_or(NO_PAIR, |&(class, half)| class | u64::from(half) << 8);
                fingerprint | pair(0) << 16 | pair(1) << 40
            } else {
                let start = packed.len() as u64;
                packed.push(pairs.len() as u32);
                packed.extend(pairs.iter().map(|&(class, half)| (class as u32) << 16 | u32::from(half)));
                fingerprint | SPILLED << 16 | start << 32
            };
            by_home.push((home, value));
        }
        by_home.sort_unstable();
        for (home, value) in by_home {
            let mut slot = home;
            while slots[slot] != 0 {
                slot = next(slot, n_slots);
            }
            slots[slot] = value;
        }
        Slots { slots, rows: packed }
    }

    /// The slot holding `fingerprint`, probing from `slot`.
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

    #[inline(always)]
    fn add(&self, slot: u64, narrow: bool, scores: &mut [f32]) {
        if narrow {
            for (class, score) in scores.iter_mut().take(MAX_INLINE).enumerate() {
                *score += from_bf16((slot >> (16 * (class + 1))) as u16);
            }
            return;
        }
        if (slot >> 16) & 0xff == SPILLED {
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
}

#[inline(always)]
fn next(slot: usize, n_slots: usize) -> usize {
    if slot + 1 == n_slots {
        0
    } else {
        slot + 1
    }
}

/// A hash's home slot (from its high bits, scaled to the table size without a division) and its
/// 16-bit fingerprint from the low bits (never 0, which marks an empty slot). A fingerprint can
/// collide with another key's; the cost is a stray small weight now and then, always the same.
#[inline(always)]
fn locate_hash(h: u64, n_slots: usize) -> (usize, u64) {
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

/// The `n` most frequent keys of `counts` (ties by key), sorted: the hot set.
pub(crate) fn hottest(counts: &FxHashMap<u64, u32>, n: usize) -> Vec<u64> {
    let mut ranked: Vec<(u32, u64)> = counts.iter().map(|(&key, &count)| (count, key)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut hot: Vec<u64> = ranked.into_iter().take(n).map(|(_, key)| key).collect();
    hot.sort_unstable();
    hot
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
        Weights::new(self.n_classes, keys, rows, min_abs, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n_classes: usize, entries: &[(u64, &[f32])], features: &[u64], expect: &[f32]) {
        let keys = entries.iter().map(|(key, _)| *key).collect();
        let rows = entries.iter().flat_map(|(_, row)| row.iter().copied()).collect();
        let hot: Vec<u64> = entries.iter().map(|(key, _)| *key).filter(|key| key % 2 == 0).collect();
        let weights = Weights::new(n_classes, keys, rows, 0.0, &hot);
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
    fn averages_tables() {
        let a = Weights::new(3, vec![1, 2], vec![1.0, 0.0, 0.0, 2.0, 2.0, 2.0], 0.0, &[1]);
        let b = Weights::new(3, vec![2, 3], vec![0.0, 0.0, 4.0, 0.5, 0.0, 0.0], 0.0, &[]);
        let average = Weights::average(&[&a, &b], 0.3);
        // Key 3 averages to 0.25 everywhere, under the pruning threshold.
        assert_eq!(average.len(), 2);
        let mut scores = [0.0; 3];
        average.score(&[1, 2, 3], &mut scores);
        assert_eq!(scores, [1.5, 1.0, 3.0]);
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
