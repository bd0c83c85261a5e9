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
//! - **Batched lookups.** The buckets of a batch of features are touched in a short loop without
//!   branches before any is read, so their cache misses are in flight together rather than a few
//!   at a time; so are the spilled parts of wide rows.
//!
//! The full 64-bit keys are kept apart, only for writing the model out.

use super::hash::finish;
use rustc_hash::{FxHashMap, FxHashSet};

/// Slots in a bucket: eight fill one 64-byte cache line.
pub(crate) const SLOTS: usize = 8;
/// Rows at most this wide are stored inside the slots whole.
const MAX_INLINE: usize = 3;
/// In a wide slot, the class byte that marks a spilled row, and the one that marks "no pair".
const SPILLED: u64 = 0xff;
const NO_PAIR: u64 = 0xfe;
/// How full the tables are built. The cold table is packed tight, because its size decides how
/// much of it stays in cache; the hot one is small anyway, and a hot key that does not fit its
/// bucket has to go to the cold table.
const HOT_LOAD: f64 = 0.7;
const COLD_LOAD: f64 = 0.875;
/// In a spilled row's first word, the flag of a dense row (see [`Table::densify`]); the rest of
/// the word is the row's length in words.
const DENSE: u32 = 1 << 31;
/// Spilled rows with at least this many (class, weight) pairs are kept dense in memory.
const DENSE_MIN: usize = 24;
/// Features scored per batch (see [`Weights::score`]).
const BATCH: usize = 64;

/// Trained weights, read-only: feature keys to rows of one weight per class.
#[derive(Clone, Debug, Default)]
pub(crate) struct Weights {
    n_classes: usize,
    /// Rows stored, in both tables.
    n_rows: usize,
    hot: Table,
    cold: Table,
    /// Every stored key, sorted: kept from training for averaging, re-heating and counting. A
    /// decoded model has the tables only, so this is empty there.
    keys: Vec<u64>,
}

/// One cache line: the 16-bit fingerprints of eight slots (bytes 0..16, little-endian), then
/// their 48-bit rows (six bytes each). A fingerprint is never 0, which marks an empty slot. A
/// narrow row (at most three classes: the parser's transitions) is its three weights as
/// bfloat16; a wide row (tags, labels) is up to two (class byte, bfloat16 weight) pairs, or the
/// [`SPILLED`] marker and the offset of a row in [`Table::rows`]. Keeping the fingerprints
/// together lets [`find`] compare all eight at once with word arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(64))]
pub(crate) struct Bucket(pub(crate) [u8; BUCKET_BYTES]);

pub(crate) const BUCKET_BYTES: usize = 64;

impl Default for Bucket {
    fn default() -> Bucket {
        Bucket([0; BUCKET_BYTES])
    }
}

impl Bucket {
    /// The fingerprints of slots 0..4 and 4..8, four 16-bit lanes each.
    #[inline(always)]
    fn fingerprints(&self) -> (u64, u64) {
        let word = |start: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&self.0[start..start + 8]);
            u64::from_le_bytes(bytes)
        };
        (word(0), word(8))
    }

    /// The row of slot `idx & 7`.
    #[inline(always)]
    fn row(&self, idx: usize) -> u64 {
        // Rows start at byte 16 + 6 * idx; reading the eight bytes that end where the row
        // does keeps every read inside the bucket.
        let start = 14 + 6 * (idx & 7);
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&self.0[start..start + 8]);
        u64::from_le_bytes(bytes) >> 16
    }

    fn fingerprint(&self, idx: usize) -> u64 {
        u64::from(u16::from_le_bytes([self.0[2 * idx], self.0[2 * idx + 1]]))
    }

    fn set(&mut self, idx: usize, fingerprint: u64, row: u64) {
        self.0[2 * idx..2 * idx + 2].copy_from_slice(&(fingerprint as u16).to_le_bytes());
        self.0[16 + 6 * idx..22 + 6 * idx].copy_from_slice(&row.to_le_bytes()[..6]);
    }
}

/// One table: each key lives in the bucket its hash picks, or nowhere. Building drops the least
/// important keys of a bucket that more than [`SLOTS`] keys hash to, so that a lookup reads
/// exactly one cache line and never probes further.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Table {
    pub(crate) buckets: Vec<Bucket>,
    /// Spilled wide rows: a length, then that many `class << 16 | bf16 weight`; or, once loaded,
    /// dense rows (see [`Table::densify`]).
    pub(crate) rows: Vec<u32>,
}

/// A row to store: its key's hash and its non-zero (class, bfloat16 weight) pairs.
struct Entry {
    key: u64,
    hash: u64,
    /// Largest absolute weight (as `f32` bits, which order like the values): what decides which
    /// keys a crowded bucket keeps.
    importance: u32,
    pairs: Vec<(u16, u16)>,
}

impl Weights {
    /// Builds the tables from keys and their rows (`rows` holds `n_classes` weights per key, in
    /// the order of `keys`); keys in `hot` go to the hot table. A repeated key keeps its first
    /// row. In wide rows, weights smaller than `prune` are dropped. The result depends only on
    /// the set of keys and rows, not on their order.
    pub(crate) fn new(n_classes: usize, keys: Vec<u64>, rows: Vec<f32>, prune: f32, hot: &[u64]) -> Weights {
        let n_classes = n_classes.clamp(1, 1 << 16);
        let narrow = n_classes <= MAX_INLINE;
        let mut order: Vec<usize> = (0..keys.len().min(rows.len() / n_classes)).collect();
        order.sort_by_key(|&idx| (keys[idx], idx));
        order.dedup_by_key(|idx| keys[*idx]);
        let hot_set: FxHashSet<u64> = hot.iter().copied().collect();
        let mut hot_entries = Vec::new();
        let mut cold_entries = Vec::new();
        for idx in order {
            let row = &rows[idx * n_classes..(idx + 1) * n_classes];
            let pairs: Vec<(u16, u16)> = row
                .iter()
                .enumerate()
                .filter(|&(_, &weight)| narrow || weight.abs() >= prune)
                .map(|(class, &weight)| (class as u16, to_bf16(weight)))
                .filter(|&(_, half)| half & 0x7fff != 0)
                .collect();
            let importance = pairs.iter().map(|&(_, half)| u32::from(half & 0x7fff)).max().unwrap_or(0);
            let key = keys[idx];
            let entry = Entry { key, hash: finish(key), importance, pairs };
            if hot_set.contains(&key) {
                hot_entries.push(entry);
            } else {
                cold_entries.push(entry);
            }
        }
        let built_hot = Table::build(n_classes, hot_entries, HOT_LOAD);
        cold_entries.extend(built_hot.overflow);
        let built_cold = Table::build(n_classes, cold_entries, COLD_LOAD);
        let mut keys: Vec<u64> = built_hot.kept.iter().chain(&built_cold.kept).copied().collect();
        keys.sort_unstable();
        Weights { n_classes, n_rows: keys.len(), hot: built_hot.table, cold: built_cold.table, keys }
    }

    /// Weights decoded from a model file: the tables as they were built.
    pub(crate) fn from_tables(n_classes: usize, n_rows: usize, mut hot: Table, mut cold: Table) -> Weights {
        hot.densify(n_classes);
        cold.densify(n_classes);
        Weights { n_classes, n_rows, hot, cold, keys: Vec::new() }
    }

    /// The tables, for writing a model file.
    pub(crate) fn tables(&self) -> (&Table, &Table) {
        (&self.hot, &self.cold)
    }

    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Rows stored.
    pub(crate) fn len(&self) -> usize {
        self.n_rows
    }

    /// Whether `key` has a row. Exact while the keys are kept (training); in a decoded model, a
    /// lookup (which a fingerprint collision may fool).
    pub(crate) fn contains(&self, key: u64) -> bool {
        if !self.keys.is_empty() {
            return self.keys.binary_search(&key).is_ok();
        }
        let hash = finish(key);
        let fingerprint = fingerprint(hash);
        self.hot.find(hash, fingerprint) || self.cold.find(hash, fingerprint)
    }

    /// The same weights with `hot` as the hot keys (training only: it needs the keys).
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
    /// the rows whose weights are all smaller than `prune` (training only: it needs the keys).
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
    /// Keys are looked up in batches ([`Table::probe`]), in the hot table first (it stays in the
    /// core's cache), then those it lacks in the cold table. A lookup reads one bucket and has
    /// no branch that depends on whether the key is there (that one would be mispredicted a
    /// third of the time): a missing key reads some slot and adds its weights times zero.
    #[inline]
    pub(crate) fn score(&self, features: &[u64], scores: &mut [f32]) {
        if self.n_classes <= MAX_INLINE {
            let mut sums = [0f32; MAX_INLINE];
            self.score_with(features, |_, row, found| add_narrow(row, found, &mut sums));
            for (score, sum) in scores.iter_mut().zip(sums) {
                *score += sum;
            }
        } else if self.n_classes <= NO_PAIR as usize {
            // Class bytes index this array without bounds checks; `NO_PAIR` lands in a lane
            // that is never read.
            let mut sums = [0f32; 256];
            self.score_with(features, |table, row, found| table.add_wide(row, found, &mut sums));
            for (score, sum) in scores.iter_mut().zip(sums) {
                *score += sum;
            }
        } else {
            self.score_with(features, |table, row, found| table.add_wide(row, found, scores));
        }
    }

    #[inline(always)]
    fn score_with<F: FnMut(&Table, u64, bool)>(&self, features: &[u64], mut add: F) {
        let wide = self.n_classes > MAX_INLINE;
        let mut hashes = [0u64; BATCH];
        let mut scratch = Scratch { homes: [0; BATCH], touched: [0; BATCH], rows: [(0, false); BATCH] };
        for chunk in features.chunks(BATCH) {
            for (hash, &key) in hashes.iter_mut().zip(chunk) {
                *hash = finish(key);
            }
            let mut n = chunk.len();
            for table in [&self.hot, &self.cold] {
                if n > 0 && !table.buckets.is_empty() {
                    n = table.probe(&mut hashes, n, wide, &mut scratch, &mut add);
                }
            }
        }
    }

    /// Every stored key with its (dense) row, in key order (training only: it needs the keys).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, Vec<f32>)> + '_ {
        self.keys.iter().map(move |&key| {
            let mut row = vec![0f32; self.n_classes];
            self.score(&[key], &mut row);
            (key, row)
        })
    }

    /// Heap size in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        let table = |t: &Table| t.buckets.len() * BUCKET_BYTES + t.rows.len() * 4;
        table(&self.hot) + table(&self.cold) + self.keys.len() * 8
    }
}

/// What building a table made, kept and could not place.
struct Built {
    table: Table,
    kept: Vec<u64>,
    overflow: Vec<Entry>,
}

impl Table {
    /// A table of `entries` at load factor `load`. Each bucket keeps the most important of the
    /// keys that hash to it, at most [`SLOTS`] and no two with the same fingerprint; the others
    /// are returned.
    fn build(n_classes: usize, mut entries: Vec<Entry>, load: f64) -> Built {
        if entries.is_empty() {
            return Built { table: Table::default(), kept: Vec::new(), overflow: Vec::new() };
        }
        let narrow = n_classes <= MAX_INLINE;
        let n_buckets = ((entries.len() as f64 / (load * SLOTS as f64)).ceil() as usize).max(1);
        entries.sort_unstable_by(|a, b| {
            let (home_a, home_b) = (bucket_of(a.hash, n_buckets), bucket_of(b.hash, n_buckets));
            home_a.cmp(&home_b).then(b.importance.cmp(&a.importance)).then(a.key.cmp(&b.key))
        });
        let mut buckets = vec![Bucket::default(); n_buckets];
        let mut rows: Vec<u32> = Vec::new();
        let mut kept = Vec::with_capacity(entries.len());
        let mut overflow = Vec::new();
        let mut filled = 0;
        let mut current = usize::MAX;
        for entry in entries {
            let home = bucket_of(entry.hash, n_buckets);
            if home != current {
                current = home;
                filled = 0;
            }
            let fingerprint = fingerprint(entry.hash);
            let bucket = &mut buckets[home];
            let clash = (0..filled).any(|idx| bucket.fingerprint(idx) == fingerprint);
            if filled == SLOTS || clash || entry.pairs.is_empty() {
                overflow.push(entry);
                continue;
            }
            let row = if narrow {
                entry.pairs.iter().fold(0, |bits, &(class, half)| bits | u64::from(half) << (16 * class))
            } else if entry.pairs.len() <= 2 && n_classes < NO_PAIR as usize {
                let pair = |i: usize| {
                    entry.pairs.get(i).map_or(NO_PAIR, |&(class, half)| u64::from(class) | u64::from(half) << 8)
                };
                pair(0) | pair(1) << 24
            } else {
                let start = rows.len() as u64;
                rows.push(entry.pairs.len() as u32);
                rows.extend(entry.pairs.iter().map(|&(class, half)| u32::from(class) << 16 | u32::from(half)));
                SPILLED | start << 16
            };
            bucket.set(filled, fingerprint, row);
            filled += 1;
            kept.push(entry.key);
        }
        Built { table: Table { buckets, rows }, kept, overflow }
    }

    /// Looks up the first `n` of a batch of `hashes` and adds the rows found (a missing key's
    /// row times zero). First every bucket is touched, so that the cache misses are in flight
    /// together: this is what a software prefetch would do, without `unsafe`, and it matters
    /// because a loop that looked each key up in turn would hold only a few lookups in the
    /// processor's window at a time. Wide rows that spilled are touched the same way before any
    /// is added. The hashes not found move to the front of `hashes`; returns how many there are.
    #[inline(always)]
    fn probe<F: FnMut(&Table, u64, bool)>(
        &self,
        hashes: &mut [u64; BATCH],
        n: usize,
        wide: bool,
        scratch: &mut Scratch,
        add: &mut F,
    ) -> usize {
        let n_buckets = self.buckets.len();
        for ((&hash, home), touched) in hashes[..n].iter().zip(&mut scratch.homes).zip(&mut scratch.touched) {
            *home = bucket_of(hash, n_buckets);
            *touched = u32::from(self.buckets[*home].0[0]);
        }
        // The reads above only bring the buckets into cache; this keeps the compiler from
        // removing them.
        std::hint::black_box(&scratch.touched);
        let mut n_misses = 0;
        for i in 0..n {
            let hash = hashes[i];
            let (row, found) = find(&self.buckets[scratch.homes[i]], fingerprint(hash));
            if wide {
                scratch.rows[i] = (row, found);
            } else {
                add(self, row, found);
            }
            // `n_misses <= i`: this overwrites a hash already read.
            hashes[n_misses] = hash;
            n_misses += usize::from(!found);
        }
        if wide {
            for (slot, &(row, found)) in scratch.touched.iter_mut().zip(&scratch.rows[..n]) {
                // Without a spilled row, offset 0 (in cache after the first lookup).
                let start = if found && row & 0xff == SPILLED { (row >> 16) as usize } else { 0 };
                *slot = self.rows.get(start).copied().unwrap_or(0);
            }
            std::hint::black_box(&scratch.touched);
            for &(row, found) in &scratch.rows[..n] {
                add(self, row, found);
            }
        }
        n_misses
    }

    /// Whether a key with hash `hash` and fingerprint `fingerprint` is in the table.
    fn find(&self, hash: u64, fingerprint: u64) -> bool {
        self.buckets.get(bucket_of(hash, self.buckets.len())).is_some_and(|bucket| find(bucket, fingerprint).1)
    }

    /// Rewrites the spilled rows of at least [`DENSE_MIN`] pairs as dense rows: every class's
    /// weight in turn, two bfloat16 to a word. Adding a sparse row is one scattered add per
    /// pair; a dense one is a loop the compiler vectorizes, and the frequent features of the
    /// tagger and labeller (tag pairs, common words) have weights for most classes. Done when a
    /// model is loaded, so that model files stay sparse and small; rows already dense are kept.
    fn densify(&mut self, n_classes: usize) {
        if n_classes > NO_PAIR as usize || self.rows.is_empty() {
            return;
        }
        let mut rows = Vec::with_capacity(self.rows.len());
        for bucket in &mut self.buckets {
            for idx in 0..SLOTS {
                let row = bucket.row(idx);
                if bucket.fingerprint(idx) == 0 || row & 0xff != SPILLED {
                    continue;
                }
                let start = (row >> 16) as usize;
                let header = self.rows.get(start).copied().unwrap_or(0);
                let len = (header & !DENSE) as usize;
                let body = self.rows.get(start + 1..start + 1 + len).unwrap_or(&[]);
                let new_start = rows.len() as u64;
                if header & DENSE == 0 && len >= DENSE_MIN {
                    let mut dense = vec![0u16; n_classes.next_multiple_of(2)];
                    for &entry in body {
                        if let Some(weight) = dense.get_mut((entry >> 16) as usize) {
                            *weight = entry as u16;
                        }
                    }
                    rows.push(DENSE | (dense.len() / 2) as u32);
                    rows.extend(dense.chunks_exact(2).map(|pair| u32::from(pair[0]) | u32::from(pair[1]) << 16));
                } else {
                    rows.push(header);
                    rows.extend_from_slice(body);
                }
                bucket.set(idx, bucket.fingerprint(idx), SPILLED | new_start << 16);
            }
        }
        self.rows = rows;
    }

    /// Adds a wide row to `scores` (a missing key's row times zero).
    #[inline(always)]
    fn add_wide<S: AsMut<[f32]> + ?Sized>(&self, row: u64, found: bool, scores: &mut S) {
        let scores = scores.as_mut();
        if found && row & 0xff == SPILLED {
            let start = (row >> 16) as usize;
            let header = self.rows.get(start).copied().unwrap_or(0);
            let body = self.rows.get(start + 1..start + 1 + (header & !DENSE) as usize).unwrap_or(&[]);
            if header & DENSE != 0 {
                // A word's low half is the even class, its high half the odd one.
                for (pair, two) in body.iter().zip(scores.chunks_exact_mut(2)) {
                    two[0] += f32::from_bits(pair << 16);
                    two[1] += f32::from_bits(pair & 0xffff_0000);
                }
                return;
            }
            for &entry in body {
                if let Some(score) = scores.get_mut((entry >> 16) as usize) {
                    *score += from_bf16(entry as u16);
                }
            }
            return;
        }
        let scale = f32::from(u8::from(found));
        for pair in [row, row >> 24] {
            if let Some(score) = scores.get_mut((pair & 0xff) as usize) {
                *score += from_bf16((pair >> 8) as u16) * scale;
            }
        }
    }
}

/// The row of the slot of `bucket` whose fingerprint is `fingerprint`, and whether there is
/// one (if not, the row is some other slot's), found without branches.
///
/// Each half of the fingerprints is compared lane by lane with the classic "has a zero lane"
/// trick: lanes equal to the fingerprint become zero after the XOR, and
/// `(x - 0x0001..) & !x & 0x8000..` flags them. A borrow can also flag a lane above a true
/// match, never below one, so the lowest flag is a match (and a bucket holds a fingerprint at
/// most once).
#[inline(always)]
fn find(bucket: &Bucket, fingerprint: u64) -> (u64, bool) {
    const LANES: u64 = 0x0001_0001_0001_0001;
    const HIGH: u64 = 0x8000_8000_8000_8000;
    let pattern = fingerprint.wrapping_mul(LANES);
    let flags = |word: u64| {
        let x = word ^ pattern;
        x.wrapping_sub(LANES) & !x & HIGH
    };
    let (low, high) = bucket.fingerprints();
    let flags = u128::from(flags(low)) | u128::from(flags(high)) << 64;
    // 8 when there is no match.
    let idx = (flags.trailing_zeros() / 16) as usize;
    (bucket.row(idx), idx < SLOTS)
}

/// Per-batch working arrays of [`Table::probe`].
struct Scratch {
    homes: [usize; BATCH],
    touched: [u32; BATCH],
    rows: [(u64, bool); BATCH],
}

/// Adds a narrow row to `sums` (a missing key's row times zero).
#[inline(always)]
fn add_narrow(row: u64, found: bool, sums: &mut [f32; MAX_INLINE]) {
    let scale = f32::from(u8::from(found));
    for (class, sum) in sums.iter_mut().enumerate() {
        *sum += from_bf16((row >> (16 * class)) as u16) * scale;
    }
}

/// A hash's bucket, from its high bits scaled to the table size without a division.
#[inline(always)]
fn bucket_of(hash: u64, n_buckets: usize) -> usize {
    ((u128::from(hash) * n_buckets as u128) >> 64) as usize
}

/// A hash's 16-bit fingerprint, from its low bits (never 0, which marks an empty slot). A
/// fingerprint can collide with another key's in the same bucket; the cost is a stray weight
/// now and then, always the same.
#[inline(always)]
fn fingerprint(hash: u64) -> u64 {
    (hash & 0xffff) | 1
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
        self.add(features, truth, 1.0);
        self.add(features, guess, -1.0);
    }

    /// Adds `delta` to the weight of `class` for each of `features`.
    pub(crate) fn add(&mut self, features: &[u64], class: usize, delta: f32) {
        for &key in features {
            let next = self.index.len() as u32;
            let row = *self.index.entry(key).or_insert(next);
            if row == next {
                let len = self.weights.len() + self.n_classes;
                self.weights.resize(len, 0.0);
                self.totals.resize(len, 0.0);
                self.stamps.resize(len, self.time);
            }
            self.adjust(row as usize * self.n_classes + class, delta);
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
    fn dense_rows_score_as_sparse_ones() {
        // 31 classes (odd); key 1's row has a weight in every class, key 2's in one, key 3's in
        // every third: dense, pair, sparse.
        let n_classes = 31;
        let row = |f: &dyn Fn(usize) -> f32| (0..n_classes).map(f).collect::<Vec<f32>>();
        let rows =
            [row(&|c| c as f32 - 10.0), row(&|c| if c == 7 { 2.5 } else { 0.0 }), row(&|c| (c % 3 == 0) as u8 as f32)];
        let weights = Weights::new(n_classes, vec![1, 2, 3], rows.concat(), 0.0, &[2]);
        let (hot, cold) = weights.tables();
        let loaded = Weights::from_tables(n_classes, 3, hot.clone(), cold.clone());
        assert!(loaded.tables().1.rows.iter().any(|&word| word & DENSE != 0), "no dense row");
        for features in [&[1u64][..], &[2, 3], &[1, 2, 3, 4, 1]] {
            let (mut sparse, mut dense) = (vec![0.0; n_classes], vec![0.0; n_classes]);
            weights.score(features, &mut sparse);
            loaded.score(features, &mut dense);
            assert_eq!(sparse, dense, "{features:?}");
        }
        // Loading again keeps dense rows as they are.
        let (hot, cold) = loaded.tables();
        assert_eq!(Weights::from_tables(n_classes, 3, hot.clone(), cold.clone()).tables(), loaded.tables());
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
