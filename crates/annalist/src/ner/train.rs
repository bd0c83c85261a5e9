//! Training the entity tagger from annotated sentences in memory. Reading files is the caller's
//! business (`annalist train ner`); progress is reported through a callback.
//!
//! Parts of speech come from the annalist tagger run over the gold words, never from gold tags,
//! so that the model learns to trust tags as much as they deserve at run time.
//!
//! **Invariant:** training is deterministic: the same sentences, dictionaries, tagger and options
//! give the same model, byte for byte (sentences are shuffled by a seeded PRNG; no threads).

use super::features::{self, doc_facts, DocFact, Word};
use super::gold::{chunks, documents, GoldSentence};
use super::label;
use super::{best_allowed, decode, extract, Gazetteer, Ner};
use crate::error::Result;
use crate::eval::Counts;
use crate::nlp::hash::Rng;
use crate::nlp::perceptron::{Trainer, Weights};
use crate::nlp::{sentence_from_words, Model, Upos};
use crate::segment::tokenize;
use crate::text::{Sentence, TokenKind};
use std::ops::Range;

/// How to train; the defaults are what the shipped model was trained with.
#[derive(Clone, Debug)]
pub struct NerTrainOptions {
    /// Seeds the shuffling of sentences.
    pub seed: u64,
    /// Passes over the training data, for each of the model's two passes; the epoch that scores
    /// best on the development data wins.
    pub epochs: usize,
    /// Folds for jackknifing: the second pass learns from first-pass labels predicted by models
    /// that did not see the document, so that it learns how far to trust them. Below 2, the model
    /// has no second pass.
    pub folds: usize,
    /// Epochs of each jackknife model.
    pub fold_epochs: usize,
    /// Rows whose averaged weights are all smaller than this are dropped from the model.
    pub min_weight: f32,
    /// Each feature of each training word is left out with this probability, so that the model
    /// cannot lean on one feature (a word it saw) and learns the others too (its shape, context,
    /// the gazetteer): 2 points of F1 in cross-validation on Universal NER EWT.
    pub dropout: f64,
}

impl Default for NerTrainOptions {
    fn default() -> NerTrainOptions {
        NerTrainOptions { seed: 1, epochs: 16, folds: 5, fold_epochs: 8, min_weight: 0.5, dropout: 0.25 }
    }
}

/// One line of training progress.
#[derive(Clone, Debug)]
pub struct NerProgress {
    /// What is being trained: `pass 1`, `pass 1 fold 2/5`, `pass 2`.
    pub stage: String,
    /// 1-based.
    pub epoch: usize,
    pub epochs: usize,
    /// Share of training words labelled right during the epoch.
    pub train_accuracy: f64,
    /// Entity F1 on the development sentences, with the averaged weights of this epoch.
    pub dev_f1: f64,
    /// Whether this epoch is the best so far (and so the one kept).
    pub best: bool,
    pub n_features: usize,
}

impl std::fmt::Display for NerProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ner {} epoch {}/{}: train {:.2}%, dev F1 {:.2}{}, {} features",
            self.stage,
            self.epoch,
            self.epochs,
            100.0 * self.train_accuracy,
            100.0 * self.dev_f1,
            if self.best { " (best)" } else { "" },
            self.n_features
        )
    }
}

/// Prepared sentences grouped in documents, with their gold classes.
struct Corpus {
    sentences: Vec<Vec<Word>>,
    gold: Vec<Vec<u8>>,
    documents: Vec<Range<usize>>,
}

impl Corpus {
    fn new(
        sentences: &[GoldSentence],
        tags: Option<&[Vec<(Upos, &'static str)>]>,
        tagger: &Model,
        gazetteer: &Gazetteer<'_>,
    ) -> Corpus {
        let given = |idx: usize| tags.and_then(|tags| tags.get(idx)).filter(|t| t.len() == sentences[idx].words.len());
        let prepared: Vec<Vec<Word>> =
            (0..sentences.len()).map(|idx| prepare(&sentences[idx], given(idx), tagger, gazetteer)).collect();
        let keep: Vec<usize> = (0..sentences.len()).filter(|&idx| !sentences[idx].words.is_empty()).collect();
        let mut prepared: Vec<Option<Vec<Word>>> = prepared.into_iter().map(Some).collect();
        let sentences: Vec<&GoldSentence> = keep.iter().map(|&idx| &sentences[idx]).collect();
        let owned: Vec<GoldSentence> = sentences.iter().map(|s| (*s).clone()).collect();
        Corpus {
            sentences: keep.iter().filter_map(|&idx| prepared[idx].take()).collect(),
            gold: sentences.iter().map(|s| label::encode(&s.labels)).collect(),
            documents: documents(&owned),
        }
    }

    /// The first pass's classes of every sentence with `first`, then, for a second pass, the
    /// document facts from them.
    fn first_pass(&self, first: &Weights) -> Vec<Vec<u8>> {
        self.sentences.iter().map(|words| decode(words, None, |f, s| first.score(f, s))).collect()
    }

    fn facts(&self, first: &[Vec<u8>]) -> Vec<Vec<DocFact>> {
        let mut facts = Vec::with_capacity(self.sentences.len());
        for document in &self.documents {
            let views: Vec<&[Word]> = self.sentences[document.clone()].iter().map(Vec::as_slice).collect();
            facts.extend(doc_facts(&views, &first[document.clone()]));
        }
        facts
    }
}

/// Trains an entity tagger on `train`, keeping for each pass the epoch with the best entity F1
/// on `dev` (the last epoch when `dev` is empty). `tagger` gives the parts of speech.
pub fn train(
    train: &[GoldSentence],
    dev: &[GoldSentence],
    tagger: &Model,
    gazetteer: &Gazetteer<'_>,
    options: &NerTrainOptions,
    progress: &mut dyn FnMut(&NerProgress),
) -> Result<Ner> {
    train_tagged(train, None, dev, tagger, gazetteer, options, progress)
}

/// [`train`], with the parts of speech of the training sentences given (one `(UPOS, XPOS)` per
/// word, from taggers that did not see the sentence) instead of predicted by `tagger`.
pub fn train_tagged(
    train: &[GoldSentence],
    train_tags: Option<&[Vec<(Upos, &'static str)>]>,
    dev: &[GoldSentence],
    tagger: &Model,
    gazetteer: &Gazetteer<'_>,
    options: &NerTrainOptions,
    progress: &mut dyn FnMut(&NerProgress),
) -> Result<Ner> {
    let train = Corpus::new(train, train_tags, tagger, gazetteer);
    let dev = Corpus::new(dev, None, tagger, gazetteer);
    if train.sentences.is_empty() {
        return Err(super::model_error("no training sentences"));
    }
    let all: Vec<usize> = (0..train.sentences.len()).collect();
    let learn = |sentences: &[usize], second: Option<&Second>, dev: Option<(&Corpus, Option<&Second>)>, epochs, seed, stage: &str, progress: &mut dyn FnMut(&NerProgress)| {
        learn(&train, sentences, second, dev, epochs, seed, stage, options, progress)
    };
    let first = learn(&all, None, Some((&dev, None)), options.epochs, options.seed, "pass 1", progress);
    if options.folds < 2 {
        return Ok(Ner { first, second: Weights::default() });
    }
    // Jackknifing, by document: the second pass learns from first-pass labels as wrong as the
    // ones it will see.
    let folds = options.folds;
    let mut train_first: Vec<Vec<u8>> = vec![Vec::new(); train.sentences.len()];
    for fold in 0..folds {
        let in_fold = |doc: usize| doc % folds == fold;
        let rest: Vec<usize> =
            train.documents.iter().enumerate().filter(|(doc, _)| !in_fold(*doc)).flat_map(|(_, range)| range.clone()).collect();
        let stage = format!("pass 1 fold {}/{folds}", fold + 1);
        let seed = options.seed.wrapping_add(fold as u64 + 1);
        let weights = learn(&rest, None, None, options.fold_epochs, seed, &stage, progress);
        for (_, range) in train.documents.iter().enumerate().filter(|(doc, _)| in_fold(*doc)) {
            for idx in range.clone() {
                train_first[idx] = decode(&train.sentences[idx], None, |f, s| weights.score(f, s));
            }
        }
    }
    let train_facts = train.facts(&train_first);
    let dev_first = dev.first_pass(&first);
    let dev_facts = dev.facts(&dev_first);
    let train_second = Second { first: train_first, facts: train_facts };
    let dev_second = Second { first: dev_first, facts: dev_facts };
    let seed = options.seed.wrapping_add(100);
    let second = learn(&all, Some(&train_second), Some((&dev, Some(&dev_second))), options.epochs, seed, "pass 2", progress);
    Ok(Ner { first, second })
}

/// The second pass's inputs for every sentence of a corpus.
struct Second {
    first: Vec<Vec<u8>>,
    facts: Vec<Vec<DocFact>>,
}

impl Second {
    fn of(&self, idx: usize) -> (&[u8], &[DocFact]) {
        (&self.first[idx], &self.facts[idx])
    }
}

/// Trains one pass on the sentences `indices` of `train`, keeping the epoch with the best F1 on
/// `dev` when given (else the last).
#[allow(clippy::too_many_arguments)]
fn learn(
    train: &Corpus,
    indices: &[usize],
    second: Option<&Second>,
    dev: Option<(&Corpus, Option<&Second>)>,
    epochs: usize,
    seed: u64,
    stage: &str,
    options: &NerTrainOptions,
    progress: &mut dyn FnMut(&NerProgress),
) -> Weights {
    let (min_weight, dropout) = (options.min_weight, options.dropout);
    let mut trainer = Trainer::new(label::N_CLASSES);
    let mut rng = Rng::new(seed);
    let mut order = indices.to_vec();
    let mut best: Option<(f64, Weights)> = None;
    let mut features = Vec::with_capacity(96);
    let mut scores = [0f32; label::N_CLASSES];
    let epochs = epochs.max(1);
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &idx in &order {
            let words = &train.sentences[idx];
            let extra = second.map(|second| second.of(idx));
            let mut classes: Vec<u8> = Vec::with_capacity(words.len());
            for (i, &truth) in train.gold[idx].iter().enumerate() {
                extract(words, i, &classes, extra, &mut features);
                if dropout > 0.0 {
                    features.retain(|_| rng.unit() >= dropout);
                }
                trainer.score(&features, &mut scores);
                let guess = best_allowed(&scores, classes.last().copied());
                trainer.update(&features, usize::from(truth), usize::from(guess));
                trainer.tick();
                correct += usize::from(guess == truth);
                total += 1;
                // Learning goes on from the model's own guesses, as it will run.
                classes.push(guess);
            }
        }
        let last = epoch + 1 == epochs;
        let Some((dev, dev_second)) = dev else {
            if last {
                return trainer.averaged(min_weight);
            }
            continue;
        };
        let weights = trainer.averaged(min_weight);
        let dev_f1 = f1(dev, dev_second, &weights);
        let is_best = best.as_ref().map_or(true, |(score, _)| dev_f1 > *score);
        progress(&NerProgress {
            stage: stage.to_string(),
            epoch: epoch + 1,
            epochs,
            train_accuracy: correct as f64 / total.max(1) as f64,
            dev_f1,
            best: is_best,
            n_features: weights.len(),
        });
        if is_best || dev.sentences.is_empty() {
            best = Some((dev_f1, weights));
        }
    }
    best.map(|(_, weights)| weights).unwrap_or_else(|| trainer.averaged(min_weight))
}

fn prepare(
    sentence: &GoldSentence,
    tags: Option<&Vec<(Upos, &'static str)>>,
    tagger: &Model,
    gazetteer: &Gazetteer<'_>,
) -> Vec<Word> {
    let forms: Vec<&str> = sentence.words.iter().map(String::as_str).collect();
    let (text, tokens) = words_sentence(&forms);
    let tags: Vec<(Upos, &str)> = match tags {
        Some(tags) => tags.clone(),
        None => tagger.tag(&text, &tokens).tokens.iter().map(|t| (t.upos, t.xpos)).collect(),
    };
    let punct: Vec<bool> = tokens.tokens.iter().map(|t| t.kind == TokenKind::Punct).collect();
    features::prepare(&forms, &tags, &punct, gazetteer)
}

/// Entity F1 of `weights` over a prepared corpus (as the second pass when `second` is given).
fn f1(corpus: &Corpus, second: Option<&Second>, weights: &Weights) -> f64 {
    let mut counts = Counts::default();
    for (idx, words) in corpus.sentences.iter().enumerate() {
        let system = decode(words, second.map(|s| s.of(idx)), |f, s| weights.score(f, s));
        let system = label::to_bio(&system);
        let gold = label::to_bio(&corpus.gold[idx]);
        counts.add(crate::eval::match_sorted(&chunks(&system), &chunks(&gold)));
    }
    counts.f1()
}

/// A text and a sentence for already-tokenized words, as [`sentence_from_words`] makes them but
/// with each token's kind as the segmenter would give it (punctuation is a feature).
pub fn words_sentence(words: &[&str]) -> (String, Sentence) {
    let (text, mut sentence) = sentence_from_words(words);
    for (token, word) in sentence.tokens.iter_mut().zip(words) {
        if let [only] = tokenize(word).as_slice() {
            token.kind = only.kind;
        } else if !word.chars().any(char::is_alphanumeric) && !word.is_empty() {
            token.kind = TokenKind::Punct;
        }
    }
    (text, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Dictionaries;
    use crate::ner::gold::{parse, GoldFormat};
    use crate::ner::EntityKind;

    const TINY: &str = "1\tPutin\tB-PER\n2\tvisited\tO\n3\tMoscow\tB-LOC\n4\t.\tO\n\n\
                        1\tMerkel\tB-PER\n2\tvisited\tO\n3\tParis\tB-LOC\n4\t.\tO\n\n";

    #[test]
    fn learns_a_tiny_corpus_deterministically() {
        let (sentences, _) = parse(TINY, GoldFormat::Iob2, "tiny").unwrap();
        let dictionaries = Dictionaries::shipped();
        let gazetteer = Gazetteer::new(&dictionaries);
        let tagger = Model::embedded().unwrap();
        let options = NerTrainOptions { epochs: 3, folds: 2, fold_epochs: 2, ..NerTrainOptions::default() };
        let ner = train(&sentences, &sentences, tagger, &gazetteer, &options, &mut |_| {}).unwrap();
        let again = train(&sentences, &sentences, tagger, &gazetteer, &options, &mut |_| {}).unwrap();
        assert_eq!(ner.to_bytes(), again.to_bytes());
        let forms = ["Putin", "visited", "Moscow", "."];
        let (text, sentence) = words_sentence(&forms);
        let tagged = tagger.tag(&text, &sentence);
        let found: Vec<(String, EntityKind)> =
            ner.recognize(&text, &[tagged], &gazetteer).into_iter().map(|e| (e.text, e.kind)).collect();
        assert_eq!(found, [("Putin".to_string(), EntityKind::Per), ("Moscow".to_string(), EntityKind::Loc)]);
        assert!(train(&[], &[], tagger, &gazetteer, &options, &mut |_| {}).is_err());
    }

    #[test]
    fn gold_words_get_the_segmenter_kinds() {
        let (_, sentence) = words_sentence(&["Hi", ",", "$", "n't", "--"]);
        let kinds: Vec<TokenKind> = sentence.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Word, TokenKind::Punct, TokenKind::Symbol, TokenKind::Word, TokenKind::Punct]);
    }
}
