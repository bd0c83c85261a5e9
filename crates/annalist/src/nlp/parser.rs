//! Dependency parsing: the arc-hybrid transition system (Kuhlmann et al. 2011) with a greedy
//! averaged-perceptron classifier, trained with the dynamic oracle of Goldberg & Nivre (2013).
//!
//! A configuration has a stack (with the root at its bottom) and a buffer of words. `SHIFT` moves
//! the buffer's first word `b0` onto the stack; `LEFT` makes `b0` the head of the top `s0` and pops
//! it; `RIGHT` makes the second item `s1` the head of `s0` and pops it. The root may take a
//! dependent only when the buffer is empty, so every parse is a tree with exactly one root.
//!
//! Two classifiers share the work, so that each is small and fast: one picks among the three
//! unlabelled transitions (its rows are three weights wide and live inside the hash table's slots),
//! and one labels each arc as it is made. In the arc-hybrid system a dependent is popped as it gets
//! its head, so its subtree is complete when it is labelled: the labeller sees, for instance, the
//! `aux:pass` already attached to a verb when it labels that verb's subject `nsubj:pass`.
//!
//! Features follow Zhang & Nivre (2011): words, tags and their pairs and triples over `s0..s2`,
//! `b0..b2` and the outermost children of `s0`, `s1` and `b0`, plus distance, valency and the
//! sets of labels already attached.

use super::hash::{hash_str, key1, key2, key3, Rng};
use super::perceptron::{Trainer, Weights};
use super::tagger::Class;
use super::Upos;
use rustc_hash::{FxHashMap, FxHashSet};

pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;

/// No such word (an empty stack position, a missing child).
const NONE: u32 = u32::MAX;
const NONE_VALUE: u64 = 0x4e4f_4e45;
/// What a word the parser never saw in training reads as (see [`Context::new`]).
const UNKNOWN_WORD: u64 = 0x554e_4b57;

#[derive(Clone, Debug, Default)]
pub(crate) struct Parser {
    /// Label id to dependency relation.
    pub(crate) labels: Vec<&'static str>,
    /// The words of the training data (hashes of normalized lowercase forms): see
    /// [`Context::new`].
    pub(crate) vocabulary: FxHashSet<u64>,
    pub(crate) transitions: Weights,
    pub(crate) labeller: Weights,
    /// Arcs labelled without scoring: by [`arc_kinds`], the label the labeller gave every one of
    /// at least [`SURE_MIN`] development arcs of that kind ([`Parser::calibrate`]), such as
    /// `det` for a determiner left of its noun. Empty: every arc is scored.
    pub(crate) sure_labels: FxHashMap<u64, u8>,
}

/// How many development arcs of a kind the labeller must have labelled alike before that kind is
/// labelled without scoring. Were the labeller to give another label to 1 arc in 20 of a kind,
/// 50 alike would happen by chance less than once in ten kinds.
const SURE_MIN: usize = 50;

/// The kinds an arc is of, as [`Parser::sure_labels`] keys them, most general first: the
/// dependent's tag and the arc's direction, whatever the head (a comma is `punct`); the
/// dependent's word, tag and direction (`the` is `det`); and the dependent's and the head's tags
/// and the direction.
fn arc_kinds(ctx: &Context, head: u32, dependent: u32) -> [u64; 3] {
    let (tag, direction) = (ctx.t(dependent), u64::from(head < dependent));
    [
        tag << 33 | ANY_HEAD << 1 | direction,
        // Tag kinds stay below 2^50; the top bit keeps word kinds apart from them.
        key3(0, ctx.w(dependent), tag, direction) | 1 << 63,
        tag << 33 | ctx.t(head) << 1 | direction,
    ]
}

/// Stands for every head in [`arc_kinds`] (tags are below 2^16).
const ANY_HEAD: u64 = 0x1_0000;

/// What the features read about each word, position 0 being the root.
pub(crate) struct Context {
    words: Vec<u64>,
    tags: Vec<u64>,
    /// Universal part of speech, for coarser features that generalize across PTB tags.
    coarse: Vec<u64>,
    /// Hash of the last three letters, for the labeller (`-al` adjectives, `-ing` gerunds).
    suffixes: Vec<u64>,
    /// `commas[p]`: clause-separating punctuation marks before position `p`.
    commas: Vec<u32>,
    /// `verbs[p]`: verbs and auxiliaries before position `p`.
    verbs: Vec<u32>,
}

impl Context {
    /// `forms` are normalized lowercase forms; `tags` the tagger's classes, which `classes` maps
    /// to parts of speech. Words not in `vocabulary`, the parser's training words, all read as
    /// one unknown word. The weights have no feature of such a word, so this changes no score
    /// (but for a rare fingerprint collision, which now falls elsewhere); but every feature of
    /// it would otherwise be a lookup in the large table that finds nothing, and newswire is
    /// full of names and figures the treebank lacks. Their lookups now go to the few buckets of
    /// the unknown word's features, which stay in cache.
    pub(crate) fn new(forms: &[String], tags: &[u16], classes: &[Class], vocabulary: &FxHashSet<u64>) -> Context {
        let n = forms.len();
        let mut words = Vec::with_capacity(n + 1);
        words.push(hash_str("<root>"));
        words.extend(forms.iter().map(|form| {
            let word = hash_str(form);
            if vocabulary.contains(&word) {
                word
            } else {
                UNKNOWN_WORD
            }
        }));
        let class = |i: usize| tags.get(i).and_then(|&tag| classes.get(tag as usize)).copied();
        let mut tags_out = Vec::with_capacity(n + 1);
        tags_out.push(0xfffe);
        tags_out.extend((0..n).map(|i| tags.get(i).map_or(0xfffd, |&tag| u64::from(tag))));
        let mut coarse = Vec::with_capacity(n + 1);
        coarse.push(0xfffe);
        coarse.extend((0..n).map(|i| class(i).map_or(0xfffd, |(upos, _)| upos as u64)));
        let mut suffixes = Vec::with_capacity(n + 1);
        suffixes.push(0);
        suffixes.extend(forms.iter().map(|form| {
            let start = form.char_indices().rev().nth(2).map_or(0, |(idx, _)| idx);
            hash_str(&form[start..])
        }));
        let mut commas = vec![0u32; n + 2];
        let mut verbs = vec![0u32; n + 2];
        for p in 1..=n {
            let form = forms[p - 1].as_str();
            let comma = matches!(form, "," | ";" | ":" | "-" | "--" | "—" | "–");
            let verb = matches!(class(p - 1), Some((Upos::Verb | Upos::Aux, _)));
            commas[p + 1] = commas[p] + u32::from(comma);
            verbs[p + 1] = verbs[p] + u32::from(verb);
        }
        Context { words, tags: tags_out, coarse, suffixes, commas, verbs }
    }

    /// How many of the marks counted in `prefix` lie strictly between `a` and `b`, bucketed.
    #[inline(always)]
    fn between(prefix: &[u32], a: u32, b: u32) -> u64 {
        if a == NONE || b == NONE {
            return NONE_VALUE;
        }
        let (lo, hi) = (a.min(b) as usize, a.max(b) as usize);
        let count = prefix.get(hi).copied().unwrap_or(0).saturating_sub(prefix.get(lo + 1).copied().unwrap_or(0));
        u64::from(count.min(2))
    }

    #[inline(always)]
    fn u(&self, p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            self.coarse[p as usize]
        }
    }

    #[inline(always)]
    fn suffix(&self, p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            self.suffixes[p as usize]
        }
    }

    fn n(&self) -> usize {
        self.words.len() - 1
    }

    #[inline(always)]
    fn w(&self, p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            self.words[p as usize]
        }
    }

    #[inline(always)]
    fn t(&self, p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            self.tags[p as usize]
        }
    }
}

/// A parser configuration, with per-word records of attached children for the features.
#[derive(Clone, Debug)]
pub(crate) struct State {
    n: usize,
    stack: Vec<u32>,
    next: u32,
    pub(crate) heads: Vec<u32>,
    pub(crate) labels: Vec<u8>,
    left1: Vec<u32>,
    left2: Vec<u32>,
    right1: Vec<u32>,
    right2: Vec<u32>,
    n_left: Vec<u8>,
    n_right: Vec<u8>,
    left_labels: Vec<u64>,
    right_labels: Vec<u64>,
}

impl State {
    pub(crate) fn new(n: usize) -> State {
        let size = n + 1;
        let mut stack = Vec::with_capacity(size);
        stack.push(0);
        State {
            n,
            stack,
            next: 1,
            heads: vec![NONE; size],
            labels: vec![u8::MAX; size],
            left1: vec![NONE; size],
            left2: vec![NONE; size],
            right1: vec![NONE; size],
            right2: vec![NONE; size],
            n_left: vec![0; size],
            n_right: vec![0; size],
            left_labels: vec![0; size],
            right_labels: vec![0; size],
        }
    }

    pub(crate) fn is_terminal(&self) -> bool {
        self.next as usize > self.n && self.stack.len() <= 1
    }

    fn buffer_empty(&self) -> bool {
        self.next as usize > self.n
    }

    /// The `k`-th item from the top of the stack.
    #[inline(always)]
    fn s(&self, k: usize) -> u32 {
        let len = self.stack.len();
        if k < len {
            self.stack[len - 1 - k]
        } else {
            NONE
        }
    }

    #[inline(always)]
    fn b(&self, k: u32) -> u32 {
        let p = self.next + k;
        if p as usize <= self.n {
            p
        } else {
            NONE
        }
    }

    pub(crate) fn legal(&self) -> [bool; 3] {
        let has_buffer = !self.buffer_empty();
        let s0 = self.s(0);
        [has_buffer, has_buffer && s0 != NONE && s0 != 0, self.stack.len() >= 2 && (self.s(1) != 0 || !has_buffer)]
    }

    /// The arc a transition would make, as (head, dependent).
    pub(crate) fn arc(&self, transition: usize) -> Option<(u32, u32)> {
        match transition {
            LEFT => Some((self.next, self.s(0))),
            RIGHT => Some((self.s(1), self.s(0))),
            _ => None,
        }
    }

    /// Applies a legal transition; `label` is the new arc's label, if it makes one.
    pub(crate) fn apply(&mut self, transition: usize, label: u8) {
        match transition {
            SHIFT => {
                self.stack.push(self.next);
                self.next += 1;
            }
            _ => {
                if let Some((head, dependent)) = self.arc(transition) {
                    self.stack.pop();
                    self.add_arc(head, dependent, label);
                }
            }
        }
    }

    fn add_arc(&mut self, head: u32, dependent: u32, label: u8) {
        let (h, d) = (head as usize, dependent as usize);
        self.heads[d] = head;
        self.labels[d] = label;
        let bit = 1u64 << (label & 63);
        if dependent < head {
            self.n_left[h] = self.n_left[h].saturating_add(1);
            self.left_labels[h] |= bit;
            if self.left1[h] == NONE || dependent < self.left1[h] {
                self.left2[h] = self.left1[h];
                self.left1[h] = dependent;
            } else if self.left2[h] == NONE || dependent < self.left2[h] {
                self.left2[h] = dependent;
            }
        } else {
            self.n_right[h] = self.n_right[h].saturating_add(1);
            self.right_labels[h] |= bit;
            if self.right1[h] == NONE || dependent > self.right1[h] {
                self.right2[h] = self.right1[h];
                self.right1[h] = dependent;
            } else if self.right2[h] == NONE || dependent > self.right2[h] {
                self.right2[h] = dependent;
            }
        }
    }

    #[inline(always)]
    fn child(children: &[u32], p: u32) -> u32 {
        if p == NONE {
            NONE
        } else {
            children[p as usize]
        }
    }

    #[inline(always)]
    fn label(&self, p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            u64::from(self.labels[p as usize])
        }
    }

    #[inline(always)]
    fn valency(counts: &[u8], p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            u64::from(counts[p as usize].min(7))
        }
    }

    #[inline(always)]
    fn label_set(sets: &[u64], p: u32) -> u64 {
        if p == NONE {
            NONE_VALUE
        } else {
            sets[p as usize]
        }
    }

    /// The transition classifier's features.
    pub(crate) fn transition_features(&self, ctx: &Context, out: &mut Vec<u64>) {
        let (s0, s1, s2) = (self.s(0), self.s(1), self.s(2));
        let (b0, b1, b2) = (self.b(0), self.b(1), self.b(2));
        let (s0w, s0t, s1w, s1t, s2w, s2t) = (ctx.w(s0), ctx.t(s0), ctx.w(s1), ctx.t(s1), ctx.w(s2), ctx.t(s2));
        let (b0w, b0t, b1w, b1t, b2w, b2t) = (ctx.w(b0), ctx.t(b0), ctx.w(b1), ctx.t(b1), ctx.w(b2), ctx.t(b2));
        let s0l = Self::child(&self.left1, s0);
        let s0l2 = Self::child(&self.left2, s0);
        let s0r = Self::child(&self.right1, s0);
        let s0r2 = Self::child(&self.right2, s0);
        let s1l = Self::child(&self.left1, s1);
        let s1l2 = Self::child(&self.left2, s1);
        let s1r = Self::child(&self.right1, s1);
        let s1r2 = Self::child(&self.right2, s1);
        let b0l = Self::child(&self.left1, b0);
        let b0l2 = Self::child(&self.left2, b0);
        let (s0lt, s0l2t, s0rt, s0r2t) = (ctx.t(s0l), ctx.t(s0l2), ctx.t(s0r), ctx.t(s0r2));
        let (s1lt, s1l2t, s1rt, s1r2t) = (ctx.t(s1l), ctx.t(s1l2), ctx.t(s1r), ctx.t(s1r2));
        let (b0lt, b0l2t) = (ctx.t(b0l), ctx.t(b0l2));
        let d_s0b0 = distance(s0, b0);
        let d_s1s0 = distance(s1, s0);

        // Unigrams.
        out.push(key1(0, 0));
        out.push(key1(1, s0w));
        out.push(key1(2, s0t));
        out.push(key2(3, s0w, s0t));
        out.push(key1(4, s1w));
        out.push(key1(5, s1t));
        out.push(key2(6, s1w, s1t));
        out.push(key1(7, s2w));
        out.push(key1(8, s2t));
        out.push(key1(9, b0w));
        out.push(key1(10, b0t));
        out.push(key2(11, b0w, b0t));
        out.push(key1(12, b1w));
        out.push(key1(13, b1t));
        out.push(key2(14, b1w, b1t));
        out.push(key1(15, b2w));
        out.push(key1(16, b2t));
        out.push(key3(20, s0w, s0t, key2(0, b0w, b0t)));
        out.push(key3(21, s0w, s0t, b0w));
        out.push(key3(22, s0w, b0w, b0t));
        // Pairs over the two arcs the next transition may make: (s0, b0) and (s1, s0).
        out.push(key3(23, s0w, s0t, b0t));
        out.push(key3(24, s0t, b0w, b0t));
        out.push(key2(25, s0w, b0w));
        out.push(key2(26, s0t, b0t));
        out.push(key2(27, b0t, b1t));
        out.push(key3(28, s1w, s1t, key2(0, s0w, s0t)));
        out.push(key3(29, s1w, s1t, s0w));
        out.push(key3(30, s1w, s0w, s0t));
        out.push(key3(31, s1w, s1t, s0t));
        out.push(key3(32, s1t, s0w, s0t));
        out.push(key2(33, s1w, s0w));
        out.push(key2(34, s1t, s0t));
        out.push(key2(35, s0w, b1w));
        out.push(key2(36, s1w, b0w));
        // Tag triples.
        out.push(key3(40, b0t, b1t, b2t));
        out.push(key3(41, s0t, b0t, b1t));
        out.push(key3(42, s1t, s0t, b0t));
        out.push(key3(43, s2t, s1t, s0t));
        out.push(key3(44, s0t, s0lt, b0t));
        out.push(key3(45, s0t, s0rt, b0t));
        out.push(key3(46, s0t, b0t, b0lt));
        out.push(key3(47, s1t, s0t, s0lt));
        out.push(key3(48, s1t, s0t, s0rt));
        out.push(key3(49, s1t, s1rt, s0t));
        out.push(key3(50, s1t, s1lt, s0t));
        out.push(key3(51, s0t, s0lt, s0l2t));
        out.push(key3(52, s0t, s0rt, s0r2t));
        out.push(key3(53, s1t, s1rt, s1r2t));
        out.push(key3(54, s1t, s1lt, s1l2t));
        out.push(key3(55, b0t, b0lt, b0l2t));
        out.push(key3(56, s1t, s0t, b1t));
        out.push(key3(57, s2t, s1t, b0t));
        // Distance.
        out.push(key2(60, s0w, d_s0b0));
        out.push(key2(61, s0t, d_s0b0));
        out.push(key2(62, b0w, d_s0b0));
        out.push(key2(63, b0t, d_s0b0));
        out.push(key3(64, s0t, b0t, d_s0b0));
        out.push(key3(65, s0w, b0w, d_s0b0));
        out.push(key2(66, s1w, d_s1s0));
        out.push(key2(67, s1t, d_s1s0));
        out.push(key2(68, s0w, d_s1s0));
        out.push(key3(69, s1t, s0t, d_s1s0));
        out.push(key3(70, s1w, s0w, d_s1s0));
        // Valency.
        let (s0vl, s0vr) = (Self::valency(&self.n_left, s0), Self::valency(&self.n_right, s0));
        let (s1vl, s1vr) = (Self::valency(&self.n_left, s1), Self::valency(&self.n_right, s1));
        let b0vl = Self::valency(&self.n_left, b0);
        out.push(key2(80, s0w, s0vl));
        out.push(key2(81, s0t, s0vl));
        out.push(key2(82, s0w, s0vr));
        out.push(key2(83, s0t, s0vr));
        out.push(key2(84, s1w, s1vl));
        out.push(key2(85, s1t, s1vl));
        out.push(key2(86, s1w, s1vr));
        out.push(key2(87, s1t, s1vr));
        out.push(key2(88, b0w, b0vl));
        out.push(key2(89, b0t, b0vl));
        // Children: words, tags, labels.
        for (template, p) in [(90, s0l), (93, s0r), (96, s1l), (99, s1r), (102, b0l)] {
            out.push(key1(template, ctx.w(p)));
            out.push(key1(template + 1, ctx.t(p)));
            out.push(key1(template + 2, self.label(p)));
        }
        for (template, p) in [(105, s0l2), (107, s0r2), (109, s1r2), (111, b0l2), (113, s1l2)] {
            out.push(key1(template, ctx.t(p)));
            out.push(key1(template + 1, self.label(p)));
        }
        out.push(key3(115, s0t, self.label(s0l), self.label(s0l2)));
        out.push(key3(116, s0t, self.label(s0r), self.label(s0r2)));
        out.push(key3(117, s1t, self.label(s1r), self.label(s1r2)));
        out.push(key3(118, b0t, self.label(b0l), self.label(b0l2)));
        // Label sets.
        out.push(key2(120, s0t, Self::label_set(&self.left_labels, s0)));
        out.push(key2(121, s0t, Self::label_set(&self.right_labels, s0)));
        out.push(key2(122, s1t, Self::label_set(&self.left_labels, s1)));
        out.push(key2(123, s1t, Self::label_set(&self.right_labels, s1)));
        out.push(key2(124, b0t, Self::label_set(&self.left_labels, b0)));
        out.push(key3(125, s0w, Self::label_set(&self.left_labels, s0), Self::label_set(&self.right_labels, s0)));
        out.push(key3(126, s1t, s0t, Self::label_set(&self.right_labels, s1)));
        out.push(key3(127, s0t, b0t, Self::label_set(&self.left_labels, b0)));
        // What lies between the words an arc would join: commas and verbs suggest clauses.
        out.push(key3(130, s0t, b0t, Context::between(&ctx.commas, s0, b0)));
        out.push(key3(131, s1t, s0t, Context::between(&ctx.commas, s1, s0)));
        out.push(key3(132, s0t, b0t, Context::between(&ctx.verbs, s0, b0)));
        out.push(key3(133, s1t, s0t, Context::between(&ctx.verbs, s1, s0)));
        // Coarse tags, which generalize where fine ones are sparse.
        let (s0u, s1u, s2u, b0u, b1u) = (ctx.u(s0), ctx.u(s1), ctx.u(s2), ctx.u(b0), ctx.u(b1));
        out.push(key3(134, s0u, b0u, b1u));
        out.push(key3(135, s1u, s0u, b0u));
        out.push(key3(136, s2u, s1u, s0u));
        out.push(key3(137, s0u, ctx.u(s0l), ctx.u(s0r)));
    }

    /// The labeller's features for an arc from `head` to `dependent`.
    pub(crate) fn label_features(&self, ctx: &Context, head: u32, dependent: u32, out: &mut Vec<u64>) {
        let (h, d) = (head, dependent);
        let (hw, ht, dw, dt) = (ctx.w(h), ctx.t(h), ctx.w(d), ctx.t(d));
        let dir = u64::from(h < d);
        let dist = distance(h, d);
        let neighbour = |p: u32, delta: i64| -> u64 {
            let q = i64::from(p) + delta;
            if q < 1 || q as usize > ctx.n() {
                NONE_VALUE
            } else {
                ctx.t(q as u32)
            }
        };
        let dl = Self::child(&self.left1, d);
        let dr = Self::child(&self.right1, d);
        let hl = Self::child(&self.left1, h);
        let dls = Self::label_set(&self.left_labels, d);
        let drs = Self::label_set(&self.right_labels, d);
        let hls = Self::label_set(&self.left_labels, h);
        let hrs = Self::label_set(&self.right_labels, h);
        out.push(key1(0, dir));
        out.push(key2(1, dw, dir));
        out.push(key2(2, dt, dir));
        out.push(key2(3, hw, dir));
        out.push(key2(4, ht, dir));
        out.push(key3(5, dt, ht, dir));
        out.push(key3(6, dw, ht, dir));
        out.push(key3(7, dt, hw, dir));
        out.push(key3(8, dw, hw, dir));
        out.push(key3(9, key2(0, dt, ht), dist, dir));
        out.push(key3(10, dt, self.label(dl), dir));
        out.push(key3(11, dt, self.label(dr), dir));
        out.push(key3(12, dt, dls, dir));
        out.push(key3(13, dt, drs, dir));
        out.push(key3(14, key2(0, dt, ht), dls, dir));
        out.push(key3(15, ht, hls, dir));
        out.push(key3(16, ht, hrs, dir));
        out.push(key3(17, key2(0, dt, ht), hls, dir));
        out.push(key3(18, dt, neighbour(d, -1), neighbour(d, 1)));
        out.push(key3(19, ht, neighbour(h, -1), neighbour(h, 1)));
        out.push(key3(20, ctx.w(dl), dt, dir));
        out.push(key3(21, ctx.w(dl), ht, dir));
        out.push(key3(22, ctx.t(dl), dt, ht));
        out.push(key3(23, ctx.w(dr), dt, dir));
        out.push(key3(24, ctx.w(hl), ht, dir));
        out.push(key3(25, dt, Self::valency(&self.n_left, d), Self::valency(&self.n_right, d)));
        out.push(key3(26, key2(0, dt, ht), neighbour(d, -1), dir));
        out.push(key3(27, dw, ctx.w(dl), dir));
        out.push(key3(28, dt, u64::from(d as usize == ctx.n()), dir));
        // For a right arc the next word is already known: `gave him a book` makes `him` an
        // indirect object because a noun phrase follows.
        let next = self.b(0);
        out.push(key3(29, dt, ctx.t(next), dir));
        out.push(key3(30, dw, ctx.t(next), ht));
        out.push(key3(31, ctx.suffix(d), ht, dir));
        out.push(key3(32, ctx.suffix(d), dt, dir));
        out.push(key3(33, ctx.u(d), ctx.u(h), Context::between(&ctx.commas, h, d)));
        out.push(key3(34, dt, ht, Context::between(&ctx.verbs, h, d)));
    }
}

/// Bucketed distance between two words.
#[inline(always)]
fn distance(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return NONE_VALUE;
    }
    match a.abs_diff(b) {
        d @ 0..=4 => u64::from(d),
        5..=6 => 5,
        7..=10 => 6,
        _ => 7,
    }
}

impl Parser {
    pub(crate) fn root_label(&self) -> u8 {
        self.labels.iter().position(|&label| label == "root").unwrap_or(0) as u8
    }

    /// Heads (0 for the root) and label ids of words `1..=n`, as vectors indexed from 0.
    pub(crate) fn parse(&self, ctx: &Context) -> (Vec<u32>, Vec<u8>) {
        self.parse_observed(ctx, &mut |_, _| {})
    }

    /// [`Parser::parse`], showing `observe` every feature vector it scores (`true` for the
    /// labeller's): how training finds the hot features.
    pub(crate) fn parse_observed<F: FnMut(bool, &[u64])>(&self, ctx: &Context, observe: &mut F) -> (Vec<u32>, Vec<u8>) {
        let n = ctx.n();
        let mut state = State::new(n);
        let mut features = Vec::with_capacity(160);
        let mut label_scores = vec![0f32; self.labels.len().max(1)];
        let root = self.root_label();
        while !state.is_terminal() {
            let legal = state.legal();
            // A transition that is the only legal one needs no scores: the first SHIFT, and every
            // RIGHT once the buffer is empty, some 16% of all transitions on EWT.
            let transition = if let Some(only) = only_legal(legal) {
                only
            } else {
                features.clear();
                state.transition_features(ctx, &mut features);
                observe(false, &features);
                let mut scores = [0f32; 3];
                self.transitions.score(&features, &mut scores);
                best_legal(&scores, legal)
            };
            let label = match state.arc(transition) {
                Some((0, _)) => root,
                Some((head, dependent)) => match self.sure_label(ctx, head, dependent) {
                    Some(label) => label,
                    None => {
                        features.clear();
                        state.label_features(ctx, head, dependent, &mut features);
                        observe(true, &features);
                        label_scores.iter_mut().for_each(|s| *s = 0.0);
                        self.labeller.score(&features, &mut label_scores);
                        best_label(&label_scores, root)
                    }
                },
                None => 0,
            };
            state.apply(transition, label);
        }
        (state.heads[1..].to_vec(), state.labels[1..].to_vec())
    }

    /// The [`Parser::sure_labels`] learned from parsing `contexts`: the arc kinds that got one
    /// label every time, at least [`SURE_MIN`] times. Labelling those without scoring changes
    /// no parse of `contexts`: up to the first arc that would be labelled otherwise, the parses
    /// are the same, and there is none. Also returns the share of scored arcs they cover.
    pub(crate) fn calibrate<'c>(&self, contexts: impl Iterator<Item = &'c Context>) -> (FxHashMap<u64, u8>, f64) {
        // Per kind: the first label, how many arcs, and whether all had it.
        let mut kinds: FxHashMap<u64, (u8, usize, bool)> = FxHashMap::default();
        let unsure = Parser { sure_labels: FxHashMap::default(), ..self.clone() };
        let mut arcs = Vec::new();
        for ctx in contexts {
            let (heads, labels) = unsure.parse(ctx);
            for (idx, (&head, &label)) in heads.iter().zip(&labels).enumerate() {
                if head == 0 {
                    continue;
                }
                let arc_kinds = arc_kinds(ctx, head, idx as u32 + 1);
                for kind in arc_kinds {
                    let entry = kinds.entry(kind).or_insert((label, 0, true));
                    entry.1 += 1;
                    entry.2 &= entry.0 == label;
                }
                arcs.push(arc_kinds);
            }
        }
        let sure: FxHashMap<u64, u8> = kinds
            .iter()
            .filter(|(_, &(_, count, alike))| alike && count >= SURE_MIN)
            .map(|(&kind, &(label, _, _))| (kind, label))
            .collect();
        let covered = arcs.iter().filter(|kinds| kinds.iter().any(|kind| sure.contains_key(kind))).count();
        (sure, covered as f64 / arcs.len().max(1) as f64)
    }

    /// The label of an arc of a kind in [`Parser::sure_labels`].
    #[inline]
    fn sure_label(&self, ctx: &Context, head: u32, dependent: u32) -> Option<u8> {
        if self.sure_labels.is_empty() {
            return None;
        }
        arc_kinds(ctx, head, dependent).iter().find_map(|kind| self.sure_labels.get(kind).copied())
    }
}

/// The transition that is legal, when only one is.
fn only_legal(legal: [bool; 3]) -> Option<usize> {
    match legal {
        [true, false, false] => Some(SHIFT),
        [false, true, false] => Some(LEFT),
        [false, false, true] => Some(RIGHT),
        _ => None,
    }
}

/// The best-scoring legal transition (some transition is legal in every non-final state).
pub(crate) fn best_legal(scores: &[f32; 3], legal: [bool; 3]) -> usize {
    let mut best = None;
    for t in 0..3 {
        if legal[t] && best.is_none_or(|b: usize| scores[t] > scores[b]) {
            best = Some(t);
        }
    }
    best.unwrap_or(SHIFT)
}

/// The best label other than `root`, which only the root's dependent gets.
fn best_label(scores: &[f32], root: u8) -> u8 {
    let mut best: Option<usize> = None;
    for (label, &score) in scores.iter().enumerate() {
        if label != root as usize && best.is_none_or(|b| score > scores[b]) {
            best = Some(label);
        }
    }
    best.unwrap_or(0) as u8
}

/// The cost of a transition under the dynamic oracle: how many gold arcs it makes unreachable.
/// `gold[p]` is the gold head of word `p` (index 0 unused); the tree must be projective.
pub(crate) fn cost(state: &State, gold: &[u32], transition: usize) -> u32 {
    let n = state.n as u32;
    let b0 = state.next;
    let s0 = state.s(0);
    let in_buffer = |p: u32| p >= b0 && p <= n;
    let buffer_dependents = |p: u32| (b0..=n).filter(|&k| gold[k as usize] == p).count() as u32;
    match transition {
        SHIFT => {
            let mut cost = 0;
            for &k in &state.stack {
                if k != s0 && gold[b0 as usize] == k {
                    cost += 1;
                }
                if k != 0 && gold[k as usize] == b0 {
                    cost += 1;
                }
            }
            cost
        }
        LEFT => {
            let head = gold[s0 as usize];
            let lost_head = head == state.s(1) || (in_buffer(head) && head != b0);
            u32::from(lost_head) + buffer_dependents(s0)
        }
        _ => u32::from(in_buffer(gold[s0 as usize])) + buffer_dependents(s0),
    }
}

/// Makes a tree projective by lifting: while some arc is crossed, the shortest crossed arc's
/// dependent is reattached to its head's head. The arc-hybrid system can only build projective
/// trees, and its dynamic oracle is exact only for them. `heads[i]` is the head of word `i + 1`.
pub(crate) fn projectivize(heads: &mut [u32]) {
    let n = heads.len();
    for _ in 0..n * n {
        let mut shortest: Option<(usize, u32)> = None;
        for d in 1..=n as u32 {
            let h = heads[d as usize - 1];
            if h == 0 || h as usize > n {
                continue;
            }
            let (lo, hi) = (h.min(d), h.max(d));
            let crossed = (lo + 1..hi).any(|k| !dominates(heads, h, k));
            if crossed && shortest.is_none_or(|(_, len)| hi - lo < len) {
                shortest = Some((d as usize, hi - lo));
            }
        }
        let Some((d, _)) = shortest else { return };
        let h = heads[d - 1] as usize;
        heads[d - 1] = heads[h - 1];
    }
}

/// Whether `head` is an ancestor of `k` (cycles in bad data end the walk).
fn dominates(heads: &[u32], head: u32, mut k: u32) -> bool {
    for _ in 0..=heads.len() {
        if k == head {
            return true;
        }
        if k == 0 || k as usize > heads.len() {
            return false;
        }
        k = heads[k as usize - 1];
    }
    false
}

/// The parser while it learns.
pub(crate) struct ParserTrainer {
    pub(crate) labels: Vec<&'static str>,
    pub(crate) transitions: Trainer,
    pub(crate) labeller: Trainer,
    features: Vec<u64>,
    label_features: Vec<u64>,
}

/// Counts from one pass over a sentence.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StepCounts {
    pub(crate) transitions: usize,
    pub(crate) wrong: usize,
}

impl ParserTrainer {
    pub(crate) fn new(labels: Vec<&'static str>) -> ParserTrainer {
        let n_labels = labels.len();
        ParserTrainer {
            labels,
            transitions: Trainer::new(3),
            labeller: Trainer::new(n_labels),
            features: Vec::new(),
            label_features: Vec::new(),
        }
    }

    /// Learns from one sentence. `gold_heads[i]`, `gold_labels[i]` are word `i + 1`'s (projective).
    /// With `explore`, the parser follows its own prediction with probability `p_explore`, even
    /// when wrong, so that it learns to recover from its mistakes.
    pub(crate) fn learn(
        &mut self,
        ctx: &Context,
        gold_heads: &[u32],
        gold_labels: &[u8],
        explore: f64,
        rng: &mut Rng,
    ) -> StepCounts {
        let n = ctx.n();
        let mut gold = Vec::with_capacity(n + 1);
        gold.push(0);
        gold.extend_from_slice(gold_heads);
        let root = self.labels.iter().position(|&label| label == "root").unwrap_or(0) as u8;
        let mut state = State::new(n);
        let mut counts = StepCounts::default();
        let mut label_scores = vec![0f32; self.labels.len()];
        while !state.is_terminal() {
            self.features.clear();
            state.transition_features(ctx, &mut self.features);
            let mut scores = [0f32; 3];
            self.transitions.score(&self.features, &mut scores);
            let legal = state.legal();
            let predicted = best_legal(&scores, legal);
            let costs = [0, 1, 2].map(|t| if legal[t] { cost(&state, &gold, t) } else { u32::MAX });
            let min_cost = costs.iter().copied().min().unwrap_or(0);
            let zero_cost = [0, 1, 2].map(|t| costs[t] == min_cost);
            let best_gold = best_legal(&scores, zero_cost);
            counts.transitions += 1;
            if costs[predicted] > min_cost {
                counts.wrong += 1;
                self.transitions.update(&self.features, best_gold, predicted);
            }
            self.transitions.tick();
            let follow = if explore > 0.0 && rng.unit() < explore { predicted } else { best_gold };
            let label = match state.arc(follow) {
                Some((0, _)) => root,
                Some((head, dependent)) => {
                    self.label_features.clear();
                    state.label_features(ctx, head, dependent, &mut self.label_features);
                    self.labeller.score(&self.label_features, &mut label_scores);
                    let guess = best_label(&label_scores, root);
                    if gold[dependent as usize] == head {
                        let truth = gold_labels[dependent as usize - 1];
                        self.labeller.update(&self.label_features, truth as usize, guess as usize);
                    }
                    self.labeller.tick();
                    guess
                }
                None => 0,
            };
            state.apply(follow, label);
        }
        counts
    }

    /// The averaged parser.
    pub(crate) fn finish(&self, min_abs: f32) -> Parser {
        Parser {
            labels: self.labels.clone(),
            vocabulary: FxHashSet::default(),
            transitions: self.transitions.averaged(min_abs),
            labeller: self.labeller.averaged(min_abs),
            sure_labels: FxHashMap::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Follows the zero-cost transitions from the start and checks that they rebuild `heads`.
    fn check(heads: &[u32]) {
        let n = heads.len();
        let mut gold = vec![0];
        gold.extend_from_slice(heads);
        let mut state = State::new(n);
        while !state.is_terminal() {
            let legal = state.legal();
            let transition = (0..3).find(|&t| legal[t] && cost(&state, &gold, t) == 0).expect("a zero-cost transition");
            state.apply(transition, 0);
        }
        assert_eq!(&state.heads[1..], heads);
    }

    #[test]
    fn oracle_rebuilds_projective_trees() {
        // "Putin congratulated al Sharaa ." and a right-branching chain.
        check(&[2, 0, 4, 2, 2]);
        check(&[0, 1, 2, 3]);
        check(&[2, 3, 0]);
        check(&[0]);
    }

    #[test]
    fn lifting_removes_crossing_arcs() {
        // 1 <- 3 and 2 -> 4 cross; the shorter, 2 -> 4, is lifted to 2's head.
        let mut heads = vec![3, 3, 0, 2];
        projectivize(&mut heads);
        assert_eq!(heads, [3, 3, 0, 3]);
        let mut cyclic = vec![2, 1];
        projectivize(&mut cyclic);
    }

    #[test]
    fn an_untrained_parser_still_builds_a_tree() {
        let parser = Parser { labels: vec!["root", "dep"], ..Parser::default() };
        let forms: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let (heads, labels) =
            parser.parse(&Context::new(&forms, &[0, 0, 0], &[(Upos::Noun, "NN")], &FxHashSet::default()));
        assert_eq!(heads.iter().filter(|&&h| h == 0).count(), 1);
        assert_eq!(labels.iter().filter(|&&l| l == 0).count(), 1);
    }
}
