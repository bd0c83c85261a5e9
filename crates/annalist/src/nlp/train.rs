//! Training the tagger, lemmatizer and parser from treebanks in memory. Reading and writing files
//! is the caller's business (`annalist train`); progress is reported through a callback.
//!
//! **Invariant:** training is deterministic: the same treebanks and options give the same model,
//! byte for byte. Sentences are shuffled by a seeded PRNG, every map that affects the model is
//! iterated in sorted order, and no thread races another.

use super::hash::{hash_str, Rng};
use super::lemma::Lemmatizer;
use super::parser::{projectivize, Context, Parser, ParserTrainer};
use super::perceptron::{hottest, Trainer, Weights};
use super::tagger::{self, argmax, Class, Lexicon, Tagger};
use super::{deprel, model_error, xpos_tag, Model, Upos};
use crate::conllu::ConlluSentence;
use crate::error::Result;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// How to train; the defaults are what the shipped model was trained with.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Seeds the shuffling of sentences and the parser's exploration.
    pub seed: u64,
    /// Passes over the training data; the epoch that scores best on the development data wins.
    pub epochs: usize,
    /// Folds for jackknifing: the parser learns from tags predicted by taggers that did not see
    /// the sentence, so that it learns to live with tagging errors. 0 or 1 tags the training
    /// data with the given model's tagger instead.
    pub folds: usize,
    /// Epochs of each jackknife tagger.
    pub fold_epochs: usize,
    /// From this epoch (0-based) on, the parser follows its own predictions with probability
    /// `explore`, to learn from the states its mistakes lead to.
    pub explore_from: usize,
    pub explore: f64,
    /// How many parsers (differing in the order of the sentences) are trained and averaged.
    pub parsers: usize,
    /// Whether the tagger gets a second pass that sees the first pass's tags to the right.
    pub two_pass: bool,
    /// Rows whose averaged weights are all smaller than this are dropped from the model. Most
    /// such rows belong to features that were updated once: dropping them halves the model and
    /// the memory a parse touches, for about a tenth of a point of accuracy.
    pub min_weight: f32,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            seed: 1,
            epochs: 12,
            folds: 10,
            fold_epochs: 6,
            explore_from: 1,
            explore: 0.9,
            min_weight: 0.9,
            two_pass: true,
            parsers: 2,
        }
    }
}

/// One line of training progress.
#[derive(Clone, Debug)]
pub struct Progress {
    /// What is being trained: `tagger`, `tagger fold 2/5`, `parser`.
    pub stage: String,
    /// 1-based.
    pub epoch: usize,
    pub epochs: usize,
    /// Share of training decisions the model got right during the epoch.
    pub train_accuracy: f64,
    /// The development score (UPOS accuracy for taggers, LAS for the parser).
    pub dev_score: f64,
    /// Whether this epoch is the best so far (and so the one kept).
    pub best: bool,
    /// Rows in the model after averaging and pruning.
    pub n_features: usize,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} epoch {}/{}: train {:.2}%, dev {:.2}%{}, {} features",
            self.stage,
            self.epoch,
            self.epochs,
            100.0 * self.train_accuracy,
            100.0 * self.dev_score,
            if self.best { " (best)" } else { "" },
            self.n_features
        )
    }
}

/// How many features of each classifier go to its hot table. Together the hot tables take
/// about 400 KiB, which stays in a core's private (L2) cache, and they answer some 80% of lookups.
const HOT_TRANSITIONS: usize = 12_000;
const HOT_LABELS: usize = 4_000;
const HOT_TAGS: usize = 4_000;

/// A treebank sentence as training needs it.
#[derive(Clone, Debug)]
struct Gold {
    forms: Vec<String>,
    classes: Vec<Class>,
    lemmas: Vec<String>,
    heads: Vec<u32>,
    deprels: Vec<&'static str>,
}

fn gold_sentences(sentences: &[ConlluSentence]) -> Vec<Gold> {
    sentences
        .iter()
        .filter(|sentence| !sentence.words.is_empty())
        .map(|sentence| Gold {
            forms: sentence.words.iter().map(|w| w.form.clone()).collect(),
            classes: sentence
                .words
                .iter()
                .map(|w| (Upos::parse(&w.upos).unwrap_or(Upos::X), xpos_tag(&w.xpos)))
                .collect(),
            lemmas: sentence.words.iter().map(|w| w.lemma.clone()).collect(),
            heads: sentence.words.iter().map(|w| w.head).collect(),
            deprels: sentence.words.iter().map(|w| deprel(&w.deprel)).collect(),
        })
        .collect()
}

/// What [`calibrate`] measured on the development data.
#[derive(Clone, Copy, Debug, Default)]
pub struct Calibration {
    /// The first-pass margin above which the tagger's second pass keeps the first pass's tag
    /// (`None` for a one-pass tagger).
    pub margin: Option<f32>,
    /// Share of the words the first pass scored that the second pass skips.
    pub skipped_words: f64,
    /// Arc kinds the parser labels without scoring.
    pub sure_kinds: usize,
    /// Share of the non-root arcs those kinds make.
    pub skipped_arcs: f64,
}

/// The model with its shortcuts calibrated on `dev`: where its tagger's first pass is surer than
/// it was of any word whose tag the second pass changed, the second pass keeps the first tag
/// (see `Tagger::calibrate`); and arcs of a kind the labeller labelled alike often enough are
/// labelled without scoring (see `Parser::calibrate`). Both are chosen so that the calibrated
/// model analyzes `dev` exactly as before; they take about a seventh off tagging and parsing time.
pub fn calibrate(model: &Model, dev: &[ConlluSentence]) -> (Model, Calibration) {
    let dev = gold_sentences(dev);
    let mut model = model.clone();
    let mut calibration = Calibration::default();
    let forms: Vec<Vec<&str>> = dev.iter().map(forms_of).collect();
    let tagging = model.tagger.calibrate(&forms);
    model.tagger.sure = tagging.map(|(margin, _)| margin);
    calibration.margin = model.tagger.sure;
    calibration.skipped_words = tagging.map_or(0.0, |(_, skipped)| skipped);
    if let Some(parser) = &model.parser {
        let contexts: Vec<Context> =
            dev.iter().map(|sentence| tagged_context(&model.tagger, sentence, &parser.vocabulary)).collect();
        let (sure_labels, skipped) = parser.calibrate(contexts.iter());
        calibration.sure_kinds = sure_labels.len();
        calibration.skipped_arcs = skipped;
        model.parser = Some(Parser { sure_labels, ..parser.clone() });
    }
    (model, calibration)
}

/// Trains a tagger and a lemmatizer (no parser) on `train`, keeping the epoch with the best
/// UPOS accuracy on `dev`. Its second pass rescores every word until [`calibrate`].
pub fn train_tagger(
    train: &[ConlluSentence],
    dev: &[ConlluSentence],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Model> {
    let train = gold_sentences(train);
    let dev = gold_sentences(dev);
    if train.is_empty() {
        return Err(model_error("no training sentences"));
    }
    let classes = tag_classes(&train);
    let mut tagger =
        learn_tagger(&train, &dev, &classes, options.epochs, options.seed, "tagger", options.min_weight, progress);
    if options.two_pass {
        let (_, train_first) = jackknife(&train, &dev, &classes, options, progress);
        let dev_first: Vec<Vec<u16>> = dev.iter().map(|s| tagger.tag_first(&forms_of(s))).collect();
        let data = PassData { train: &train, dev: &dev, first: Some((&train_first, &dev_first)) };
        let seed = options.seed.wrapping_add(100);
        tagger.second = learn_pass(&tagger, &data, options.epochs, seed, "tagger pass 2", options.min_weight, progress);
    }
    let lemmatizer =
        Lemmatizer::learn(train.iter().flat_map(|s| {
            s.forms.iter().zip(&s.classes).zip(&s.lemmas).map(|((f, c), l)| (f.as_str(), c.1, l.as_str()))
        }));
    let tagger = heat_tagger(&tagger, &train);
    Ok(Model::new(tagger, lemmatizer, None))
}

/// Trains a parser on `train` with `base`'s tagger and lemmatizer, keeping the epoch with the
/// best LAS on `dev` (tagged by `base`).
pub fn train_parser(
    base: &Model,
    train: &[ConlluSentence],
    dev: &[ConlluSentence],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Model> {
    let train = gold_sentences(train);
    let dev = gold_sentences(dev);
    if train.is_empty() {
        return Err(model_error("no training sentences"));
    }
    let classes = &base.tagger.classes;
    // Tags for the training sentences, each predicted by a tagger that did not see it (both
    // passes, when the base tagger has two).
    let train_tags: Vec<Vec<u16>> = if options.folds >= 2 {
        let (fold_taggers, first) = jackknife(&train, &dev, classes, options, progress);
        if base.tagger.second.len() == 0 {
            first
        } else {
            let folds = fold_taggers.len();
            let mut tags = vec![Vec::new(); train.len()];
            for (fold, fold_tagger) in fold_taggers.iter().enumerate() {
                let rest: Vec<usize> = (0..train.len()).filter(|idx| idx % folds != fold).collect();
                let rest_train: Vec<Gold> = rest.iter().map(|&idx| train[idx].clone()).collect();
                let rest_first: Vec<Vec<u16>> = rest.iter().map(|&idx| first[idx].clone()).collect();
                let dev_first: Vec<Vec<u16>> = dev.iter().map(|s| fold_tagger.tag_first(&forms_of(s))).collect();
                let data = PassData { train: &rest_train, dev: &dev, first: Some((&rest_first, &dev_first)) };
                let stage = format!("tagger pass 2 fold {}/{folds}", fold + 1);
                let seed = options.seed.wrapping_add(200 + fold as u64);
                let second =
                    learn_pass(fold_tagger, &data, options.fold_epochs, seed, &stage, options.min_weight, progress);
                let tagger = Tagger { second, ..fold_tagger.clone() };
                for idx in (0..train.len()).filter(|idx| idx % folds == fold) {
                    tags[idx] = tagger.tag(&forms_of(&train[idx]));
                }
            }
            tags
        }
    } else {
        train.iter().map(|sentence| base.tagger.tag(&forms_of(sentence))).collect()
    };

    let mut label_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for sentence in &train {
        for &label in &sentence.deprels {
            *label_counts.entry(label).or_default() += 1;
        }
    }
    label_counts.entry("root").or_default();
    let mut labels: Vec<(&'static str, usize)> = label_counts.into_iter().collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let labels: Vec<&'static str> = labels.into_iter().take(64).map(|(label, _)| label).collect();
    let label_id = |label: &str| {
        labels.iter().position(|&l| l == label).or_else(|| labels.iter().position(|&l| l == "dep")).unwrap_or(0) as u8
    };

    let vocabulary: FxHashSet<u64> =
        train.iter().flat_map(|s| &s.forms).map(|f| hash_str(&tagger::normalize(f, true))).collect();
    let examples: Vec<Example> = train
        .iter()
        .zip(&train_tags)
        .map(|(sentence, tags)| {
            let forms: Vec<String> = sentence.forms.iter().map(|f| tagger::normalize(f, true)).collect();
            let mut heads = sentence.heads.clone();
            projectivize(&mut heads);
            Example {
                ctx: Context::new(&forms, tags, classes, &vocabulary),
                heads,
                labels: sentence.deprels.iter().map(|l| label_id(l)).collect(),
            }
        })
        .collect();
    let dev_examples: Vec<(Context, &Gold)> =
        dev.iter().map(|sentence| (tagged_context(&base.tagger, sentence, &vocabulary), sentence)).collect();

    // Several parsers that differ only in the order they saw the sentences, averaged: each is an
    // averaged perceptron already, and averaging over orders as well smooths away more of what
    // one order happened to overfit.
    let mut parsers = Vec::with_capacity(options.parsers.max(1));
    for run in 0..options.parsers.max(1) {
        let stage =
            if options.parsers > 1 { format!("parser {}/{}", run + 1, options.parsers) } else { "parser".into() };
        let seed = options.seed.wrapping_add(1000 * run as u64);
        parsers.push(learn_parser(&examples, &dev_examples, &labels, seed, &stage, options, progress));
    }
    let parser = if parsers.len() == 1 {
        parsers.remove(0)
    } else {
        let average = |pick: fn(&Parser) -> &Weights| {
            Weights::average(&parsers.iter().map(pick).collect::<Vec<_>>(), options.min_weight)
        };
        let parser = Parser {
            labels: labels.clone(),
            vocabulary: FxHashSet::default(),
            transitions: average(|p| &p.transitions),
            labeller: average(|p| &p.labeller),
            sure_labels: FxHashMap::default(),
        };
        let (uas, las) = score_parser(&parser, &dev_examples);
        progress(&Progress {
            stage: format!("average of {} parsers (UAS {:.2}%)", parsers.len(), 100.0 * uas),
            epoch: 1,
            epochs: 1,
            train_accuracy: 0.0,
            dev_score: las,
            best: true,
            n_features: parser.transitions.len() + parser.labeller.len(),
        });
        parser
    };
    let parser = Parser { vocabulary, ..heat_parser(&parser, examples.iter().map(|example| &example.ctx)) };
    Ok(Model::new(base.tagger.clone(), base.lemmatizer.clone(), Some(parser)))
}

/// A training sentence for the parser: its context (with jackknifed tags) and projective tree.
struct Example {
    ctx: Context,
    heads: Vec<u32>,
    labels: Vec<u8>,
}

/// Trains one parser, keeping the epoch with the best development LAS.
fn learn_parser(
    examples: &[Example],
    dev_examples: &[(Context, &Gold)],
    labels: &[&'static str],
    seed: u64,
    stage: &str,
    options: &TrainOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Parser {
    let mut trainer = ParserTrainer::new(labels.to_vec());
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut best: Option<(f64, Parser)> = None;
    for epoch in 0..options.epochs {
        rng.shuffle(&mut order);
        let explore = if epoch >= options.explore_from { options.explore } else { 0.0 };
        let (mut total, mut wrong) = (0usize, 0usize);
        for &idx in &order {
            let example = &examples[idx];
            let counts = trainer.learn(&example.ctx, &example.heads, &example.labels, explore, &mut rng);
            total += counts.transitions;
            wrong += counts.wrong;
        }
        let parser = trainer.finish(options.min_weight);
        let (_, las) = score_parser(&parser, dev_examples);
        let is_best = best.as_ref().is_none_or(|(score, _)| las > *score);
        progress(&Progress {
            stage: stage.to_string(),
            epoch: epoch + 1,
            epochs: options.epochs,
            train_accuracy: 1.0 - wrong as f64 / total.max(1) as f64,
            dev_score: las,
            best: is_best,
            n_features: parser.transitions.len() + parser.labeller.len(),
        });
        if is_best || dev_examples.is_empty() {
            best = Some((las, parser));
        }
    }
    best.map(|(_, parser)| parser).unwrap_or_else(|| trainer.finish(options.min_weight))
}

fn forms_of(sentence: &Gold) -> Vec<&str> {
    sentence.forms.iter().map(String::as_str).collect()
}

/// A sentence as the parser reads it at run time: its normalized forms with the tags `tagger`
/// gives them.
fn tagged_context(tagger: &Tagger, sentence: &Gold, vocabulary: &FxHashSet<u64>) -> Context {
    let forms: Vec<String> = sentence.forms.iter().map(|f| tagger::normalize(f, true)).collect();
    Context::new(&forms, &tagger.tag(&forms_of(sentence)), &tagger.classes, vocabulary)
}

/// (UAS, LAS) of `parser` on sentences with predicted tags.
fn score_parser(parser: &Parser, dev: &[(Context, &Gold)]) -> (f64, f64) {
    let (mut total, mut unlabelled, mut labelled) = (0usize, 0usize, 0usize);
    for (ctx, gold) in dev {
        let (heads, labels) = parser.parse(ctx);
        for ((head, label), (gold_head, gold_label)) in
            heads.iter().zip(&labels).zip(gold.heads.iter().zip(&gold.deprels))
        {
            total += 1;
            if head == gold_head {
                unlabelled += 1;
                if parser.labels.get(*label as usize) == Some(gold_label) {
                    labelled += 1;
                }
            }
        }
    }
    let total = total.max(1) as f64;
    (unlabelled as f64 / total, labelled as f64 / total)
}

/// The (UPOS, XPOS) classes of a treebank, most frequent first (ties by name, for determinism).
fn tag_classes(train: &[Gold]) -> Vec<Class> {
    let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
    for sentence in train {
        for &class in &sentence.classes {
            *counts.entry(class).or_default() += 1;
        }
    }
    let mut classes: Vec<(Class, usize)> = counts.into_iter().collect();
    classes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    classes.into_iter().map(|(class, _)| class).take(u16::MAX as usize).collect()
}

/// Learns the tag dictionary and ambiguity classes of a treebank.
fn learn_lexicon(train: &[Gold], class_of: &FxHashMap<Class, u16>) -> Lexicon {
    let mut exact: BTreeMap<String, BTreeMap<u16, usize>> = BTreeMap::new();
    let mut lower: BTreeMap<String, BTreeMap<u16, usize>> = BTreeMap::new();
    for sentence in train {
        for (form, class) in sentence.forms.iter().zip(&sentence.classes) {
            let Some(&class) = class_of.get(class) else { continue };
            *exact.entry(tagger::normalize(form, false)).or_default().entry(class).or_default() += 1;
            *lower.entry(tagger::normalize(form, true)).or_default().entry(class).or_default() += 1;
        }
    }
    let mut lexicon = Lexicon::default();
    // A word seen at least 20 times with one class at least 97% of the time is not worth
    // scoring (Honnibal's thresholds).
    for (form, counts) in &exact {
        let total: usize = counts.values().sum();
        let Some((&class, &count)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) else { continue };
        if total >= 20 && count as f64 >= 0.97 * total as f64 {
            lexicon.dict.insert(super::hash::hash_str(form), class);
        }
    }
    // Words seen at least 3 times get the set of classes they had at least 5% of the time. Rarer
    // words are left unknown in training, as unseen words will be at run time.
    for (form, counts) in &lower {
        let total: usize = counts.values().sum();
        if total < 3 {
            continue;
        }
        let mut h = 0x414d_4249u64;
        for (&class, &count) in counts {
            if count as f64 >= 0.05 * total as f64 {
                h = super::hash::mix(h, u64::from(class) + 1);
            }
        }
        lexicon.ambiguity.insert(super::hash::hash_str(form), h);
    }
    lexicon
}

/// Tags of each sentence of a treebank.
type Tags = [Vec<u16>];

/// What one tagger pass learns from.
struct PassData<'a> {
    train: &'a [Gold],
    dev: &'a [Gold],
    /// For a second pass: the first pass's tags of `train` (jackknifed) and of `dev`.
    first: Option<(&'a Tags, &'a Tags)>,
}

/// Learns one-pass tagger weights on a treebank.
#[allow(clippy::too_many_arguments)]
fn learn_tagger(
    train: &[Gold],
    dev: &[Gold],
    classes: &[Class],
    epochs: usize,
    seed: u64,
    stage: &str,
    min_weight: f32,
    progress: &mut dyn FnMut(&Progress),
) -> Tagger {
    let class_of: FxHashMap<Class, u16> = classes.iter().enumerate().map(|(idx, &class)| (class, idx as u16)).collect();
    let lexicon = learn_lexicon(train, &class_of);
    let base = Tagger { classes: classes.to_vec(), lexicon, ..Tagger::default() };
    let weights = learn_pass(&base, &PassData { train, dev, first: None }, epochs, seed, stage, min_weight, progress);
    Tagger { weights, ..base }
}

/// Learns the weights of one pass of `base` (its first, or with `data.first` its second).
fn learn_pass(
    base: &Tagger,
    data: &PassData,
    epochs: usize,
    seed: u64,
    stage: &str,
    min_weight: f32,
    progress: &mut dyn FnMut(&Progress),
) -> Weights {
    let classes = &base.classes;
    let class_of: FxHashMap<Class, u16> = classes.iter().enumerate().map(|(idx, &class)| (class, idx as u16)).collect();
    let mut trainer = Trainer::new(classes.len());
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..data.train.len()).collect();
    let mut features = Vec::with_capacity(64);
    let mut scores = vec![0f32; classes.len()];
    let mut best: Option<(f64, Weights)> = None;
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut total, mut correct) = (0usize, 0usize);
        for &idx in &order {
            let sentence = &data.train[idx];
            let words = tagger::prepare(&base.lexicon, &forms_of(sentence));
            let first = data.first.and_then(|(train_first, _)| train_first.get(idx));
            let mut tags: Vec<u16> = Vec::with_capacity(words.len());
            for (i, class) in sentence.classes.iter().enumerate() {
                if let Some(class) = words[i].dict_class() {
                    tags.push(class);
                    continue;
                }
                let truth = class_of.get(class).copied().unwrap_or(0) as usize;
                features.clear();
                tagger::extract(&words, i, &tags, &mut features);
                if let Some(first) = first {
                    tagger::extract_right(&words, i, &tags, first, &mut features);
                }
                trainer.score(&features, &mut scores);
                let guess = argmax(&scores);
                trainer.update(&features, truth, guess);
                trainer.tick();
                total += 1;
                correct += usize::from(guess == truth);
                tags.push(guess as u16);
            }
        }
        let weights = trainer.averaged(min_weight);
        let dev_score = {
            let (mut n, mut right) = (0usize, 0usize);
            for (idx, sentence) in data.dev.iter().enumerate() {
                let words = tagger::prepare(&base.lexicon, &forms_of(sentence));
                let first = data.first.and_then(|(_, dev_first)| dev_first.get(idx)).map(Vec::as_slice);
                let tags = base.pass(&words, &weights, first);
                for (tag, gold) in tags.iter().zip(&sentence.classes) {
                    n += 1;
                    right += usize::from(classes.get(*tag as usize).is_some_and(|(upos, _)| *upos == gold.0));
                }
            }
            right as f64 / n.max(1) as f64
        };
        let is_best = best.as_ref().is_none_or(|(score, _)| dev_score > *score);
        progress(&Progress {
            stage: stage.to_string(),
            epoch: epoch + 1,
            epochs,
            train_accuracy: correct as f64 / total.max(1) as f64,
            dev_score,
            best: is_best,
            n_features: weights.len(),
        });
        if is_best || data.dev.is_empty() {
            best = Some((dev_score, weights));
        }
    }
    best.map(|(_, weights)| weights).unwrap_or_else(|| trainer.averaged(min_weight))
}

/// First-pass taggers for `folds` folds of `train`, each trained on the other folds, and the
/// tags each gives the fold it did not see.
fn jackknife(
    train: &[Gold],
    dev: &[Gold],
    classes: &[Class],
    options: &TrainOptions,
    progress: &mut dyn FnMut(&Progress),
) -> (Vec<Tagger>, Vec<Vec<u16>>) {
    let folds = options.folds.max(2);
    let mut tags = vec![Vec::new(); train.len()];
    let mut taggers = Vec::with_capacity(folds);
    for fold in 0..folds {
        let rest: Vec<Gold> =
            train.iter().enumerate().filter(|(idx, _)| idx % folds != fold).map(|(_, s)| s.clone()).collect();
        let stage = format!("tagger fold {}/{folds}", fold + 1);
        let seed = options.seed.wrapping_add(fold as u64 + 1);
        let tagger = learn_tagger(&rest, dev, classes, options.fold_epochs, seed, &stage, options.min_weight, progress);
        for (idx, sentence) in train.iter().enumerate().filter(|(idx, _)| idx % folds == fold) {
            tags[idx] = tagger.tag_first(&forms_of(sentence));
        }
        taggers.push(tagger);
    }
    (taggers, tags)
}

/// Counts, over `features`, how often each key that `weights` stores is looked up.
fn count_into(counts: &mut FxHashMap<u64, u32>, weights: &Weights, features: &[u64]) {
    for &key in features {
        if weights.contains(key) {
            *counts.entry(key).or_default() += 1;
        }
    }
}

/// The tagger with its most looked-up features (over `train`) in its hot tables.
fn heat_tagger(tagger: &Tagger, train: &[Gold]) -> Tagger {
    let (mut first_counts, mut second_counts) = (FxHashMap::default(), FxHashMap::default());
    for sentence in train {
        let words = tagger::prepare(&tagger.lexicon, &forms_of(sentence));
        let weights = &tagger.weights;
        let first =
            tagger.pass_observed(&words, weights, None, None, &mut |f| count_into(&mut first_counts, weights, f));
        if tagger.second.len() > 0 {
            let second = &tagger.second;
            let first = Some((&first[..], &[][..]));
            tagger.pass_observed(&words, second, first, None, &mut |f| count_into(&mut second_counts, second, f));
        }
    }
    Tagger {
        weights: tagger.weights.with_hot(&hottest(&first_counts, HOT_TAGS)),
        second: tagger.second.with_hot(&hottest(&second_counts, HOT_TAGS)),
        ..tagger.clone()
    }
}

/// The parser with its most looked-up features (over `contexts`) in its hot tables.
fn heat_parser<'c>(parser: &Parser, contexts: impl Iterator<Item = &'c Context>) -> Parser {
    let (mut transitions, mut labels) = (FxHashMap::default(), FxHashMap::default());
    for ctx in contexts {
        parser.parse_observed(ctx, &mut |label, f| {
            if label {
                count_into(&mut labels, &parser.labeller, f)
            } else {
                count_into(&mut transitions, &parser.transitions, f)
            }
        });
    }
    Parser {
        labels: parser.labels.clone(),
        vocabulary: parser.vocabulary.clone(),
        transitions: parser.transitions.with_hot(&hottest(&transitions, HOT_TRANSITIONS)),
        labeller: parser.labeller.with_hot(&hottest(&labels, HOT_LABELS)),
        sure_labels: FxHashMap::default(),
    }
}
