//! Training the entity tagger from annotated sentences in memory. Reading files is the caller's
//! business (`annalist train ner`); progress is reported through a callback.
//!
//! Parts of speech come from the annalist tagger run over the gold words, never from gold tags,
//! so that the model learns to trust tags as much as they deserve at run time.
//!
//! **Invariant:** training is deterministic: the same sentences, dictionaries, tagger and options
//! give the same model, byte for byte (sentences are shuffled by a seeded PRNG; no threads).

use super::clusters::WordClusters;
use super::features::{self, Word};
use super::gold::{chunks, documents, GoldSentence};
use super::label;
use super::lexicon::{WordLexicon, COLUMNS};
use super::search::{self, history_at};
use super::{decode, FeatureScorer, Gazetteer, Ner};
use crate::error::Result;
use crate::eval::Counts;
use crate::nlp::hash::{finish, Rng};
use crate::nlp::perceptron::{Trainer, Weights};
use crate::nlp::{sentence_from_words, Model, Upos};
use crate::segment::tokenize;
use crate::text::{Sentence, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};

/// How to train; the defaults are what the shipped model was trained with.
#[derive(Clone, Debug)]
pub struct NerTrainOptions {
    /// Seeds the shuffling of sentences and the dropout.
    pub seed: u64,
    /// Passes over the training data; the epoch that scores best on the development data wins.
    pub epochs: usize,
    /// Rows whose averaged weights are all smaller than this are dropped from the model.
    pub min_weight: f32,
    /// Each feature of each training word is left out with this probability, so that the model
    /// cannot lean on one feature (a word it saw) and learns the others too (its shape, context,
    /// the gazetteer): about 1.5 points of F1 in cross-validation on Universal NER EWT (measured
    /// with greedy decoding).
    pub dropout: f64,
    /// Word clusters ([`super::clusters::build`]), stored in the model; empty for none.
    pub clusters: WordClusters,
    /// Brown clusters and case profiles from a large text ([`super::lexicon`]), stored in the
    /// model; empty for none.
    pub lexicon: WordLexicon,
    /// Label sequences the beam search keeps, in training and in decoding; 1 is greedy.
    pub beam: usize,
}

impl Default for NerTrainOptions {
    fn default() -> NerTrainOptions {
        NerTrainOptions {
            seed: 1,
            epochs: 20,
            min_weight: 0.5,
            dropout: 0.25,
            clusters: WordClusters::default(),
            lexicon: WordLexicon::default(),
            beam: 4,
        }
    }
}

/// One line of training progress.
#[derive(Clone, Debug)]
pub struct NerProgress {
    /// 1-based.
    pub epoch: usize,
    pub epochs: usize,
    /// Share of training words labelled right during the epoch (a sentence's words after the
    /// search lost its gold labels count as wrong).
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
            "ner epoch {}/{}: train {:.2}%, dev F1 {:.2}{}, {} features",
            self.epoch,
            self.epochs,
            100.0 * self.train_accuracy,
            100.0 * self.dev_f1,
            if self.best { " (best)" } else { "" },
            self.n_features
        )
    }
}

/// Prepared sentences (with their document evidence) and their gold classes.
pub(crate) struct Corpus {
    sentences: Vec<Vec<Word>>,
    gold: Vec<Vec<u8>>,
}

impl Corpus {
    fn new(
        sentences: &[GoldSentence],
        tagger: &Model,
        gazetteer: &Gazetteer,
        clusters: &FxHashMap<u64, [u16; 3]>,
        lexicon: &FxHashMap<u64, [u16; COLUMNS]>,
    ) -> Corpus {
        let mut corpus = Corpus { sentences: Vec::new(), gold: Vec::new() };
        for document in documents(sentences) {
            let mut prepared: Vec<Vec<Word>> = Vec::with_capacity(document.len());
            for idx in document {
                let sentence = &sentences[idx];
                if sentence.words.is_empty() {
                    continue;
                }
                prepared.push(prepare(sentence, tagger, gazetteer, clusters, lexicon));
                corpus.gold.push(label::encode(&sentence.labels));
            }
            features::set_document_case(&mut prepared);
            corpus.sentences.extend(prepared);
        }
        corpus
    }
}

/// Trains an entity tagger on `train`, keeping the epoch with the best entity F1 on `dev` (the
/// last epoch when `dev` is empty). `tagger` gives the parts of speech.
pub fn train(
    train: &[GoldSentence],
    dev: &[GoldSentence],
    tagger: &Model,
    gazetteer: &Gazetteer,
    options: &NerTrainOptions,
    progress: &mut dyn FnMut(&NerProgress),
) -> Result<Ner> {
    let cluster_keys = options.clusters.by_key();
    let lexicon = &options.lexicon.words;
    let train = Corpus::new(train, tagger, gazetteer, &cluster_keys, lexicon);
    let dev = Corpus::new(dev, tagger, gazetteer, &cluster_keys, lexicon);
    if train.sentences.is_empty() {
        return Err(super::model_error("no training sentences"));
    }
    let mut trainer = Trainer::new(label::N_CLASSES);
    let mut rng = Rng::new(options.seed);
    let mut order: Vec<usize> = (0..train.sentences.len()).collect();
    let mut best: Option<(f64, Weights)> = None;
    let mut features = Vec::with_capacity(96);
    let epochs = options.epochs.max(1);
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &idx in &order {
            let (words, gold) = (&train.sentences[idx], &train.gold[idx]);
            // Dropout leaves a feature out of a word for every sequence the beam scores there, and
            // for the update, so that they all see the same features.
            let salt = rng.next_u64();
            let mut scorer = FeatureScorer::new(words, std::mem::take(&mut features), |i, features, scores| {
                features.retain(|&key| kept(key, i, salt, options.dropout));
                trainer.score(features, scores);
            });
            let predicted = search::search(words.len(), options.beam, |_| false, &mut scorer, Some(gold));
            features = scorer.features;
            // The update: towards the gold labels and away from the best sequence, from the first
            // word they differ to where the search stopped (Collins & Roark 2004).
            let first_wrong = predicted.iter().zip(gold).position(|(p, g)| p != g).unwrap_or(predicted.len());
            for i in first_wrong..predicted.len() {
                for (labels, delta) in [(&gold[..], 1.0), (&predicted[..], -1.0)] {
                    features.clear();
                    features::extract(words, i, history_at(labels, i), &mut features);
                    features.retain(|&key| kept(key, i, salt, options.dropout));
                    trainer.add(&features, usize::from(labels[i]), delta);
                }
            }
            trainer.tick();
            correct += predicted.iter().zip(gold).filter(|(p, g)| p == g).count();
            total += words.len();
        }
        let weights = trainer.averaged(options.min_weight);
        let dev_f1 = f1(&dev, &weights, options.beam);
        let is_best = dev.sentences.is_empty() || best.as_ref().is_none_or(|(score, _)| dev_f1 > *score);
        progress(&NerProgress {
            epoch: epoch + 1,
            epochs,
            train_accuracy: correct as f64 / total.max(1) as f64,
            dev_f1,
            best: is_best,
            n_features: weights.len(),
        });
        if is_best {
            best = Some((dev_f1, weights));
        }
    }
    let weights = best.map(|(_, weights)| weights).unwrap_or_else(|| trainer.averaged(options.min_weight));
    let sure = sure_outside(&weights, options.beam, [&train, &dev]);
    Ok(Ner::new(weights, cluster_keys, sure).with_lexicon(lexicon.clone()).with_beam(options.beam))
}

/// Whether dropout keeps feature `key` of word `i` in the pass over a sentence salted `salt`: a
/// hash, so that every sequence scored at the word sees the same features.
fn kept(key: u64, i: usize, salt: u64, dropout: f64) -> bool {
    if dropout <= 0.0 {
        return true;
    }
    let hash = finish(key ^ salt ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (hash >> 11) as f64 / (1u64 << 53) as f64 >= dropout
}

/// How many times a kind of word must have been labelled `O` after an `O` before the recognizer
/// labels it so unscored. Were the model to label 1 in 20 otherwise, 50 alike would happen by
/// chance less than once in ten kinds.
pub(crate) const SURE_MIN: usize = 50;

/// The kinds of word ([`Word::outside_kinds`]) that `weights`, decoding `corpora` with a beam of
/// `beam`, labelled `O` every time they followed an `O` (or began a sentence), at least
/// [`SURE_MIN`] times. With a greedy search, labelling those `O` unscored changes no label of
/// `corpora`: up to the first word that would be labelled otherwise the labels are the same, and
/// there is none. A beam also loses the sequences that would have labelled such a word otherwise,
/// which could change a later choice; with the shipped model it changed no entity on EWT test or
/// in the first 3,000 Reuters-21578 articles.
fn sure_outside<'c>(weights: &Weights, beam: usize, corpora: impl IntoIterator<Item = &'c Corpus>) -> FxHashSet<u64> {
    // Per kind: occurrences after an `O`, and whether all were labelled `O`.
    let mut kinds: FxHashMap<u64, (usize, bool)> = FxHashMap::default();
    for corpus in corpora {
        for words in &corpus.sentences {
            let classes = decode(words, &FxHashSet::default(), beam, weights);
            for (i, &class) in classes.iter().enumerate() {
                if i > 0 && classes[i - 1] != label::OUTSIDE {
                    continue;
                }
                for key in words[i].outside_kinds() {
                    let kind = kinds.entry(key).or_insert((0, true));
                    kind.0 += 1;
                    kind.1 &= class == label::OUTSIDE;
                }
            }
        }
    }
    kinds.into_iter().filter(|&(_, (count, alike))| alike && count >= SURE_MIN).map(|(kind, _)| kind).collect()
}

fn prepare(
    sentence: &GoldSentence,
    tagger: &Model,
    gazetteer: &Gazetteer,
    clusters: &FxHashMap<u64, [u16; 3]>,
    lexicon: &FxHashMap<u64, [u16; COLUMNS]>,
) -> Vec<Word> {
    let forms: Vec<&str> = sentence.words.iter().map(String::as_str).collect();
    let (text, tokens) = words_sentence(&forms);
    let tags: Vec<(Upos, &str)> = tagger.tag(&text, &tokens).tokens.iter().map(|t| (t.upos, t.xpos)).collect();
    let punct: Vec<bool> = tokens.tokens.iter().map(|t| t.kind == TokenKind::Punct).collect();
    features::prepare(&forms, &tags, &punct, gazetteer, clusters, lexicon)
}

/// Entity F1 of `weights` over a prepared corpus.
fn f1(corpus: &Corpus, weights: &Weights, beam: usize) -> f64 {
    let mut counts = Counts::default();
    for (words, gold) in corpus.sentences.iter().zip(&corpus.gold) {
        let system = label::to_bio(&decode(words, &FxHashSet::default(), beam, weights));
        counts.add(crate::eval::match_sorted(&chunks(&system), &chunks(&label::to_bio(gold))));
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
    use std::sync::Arc;

    const TINY: &str = "1\tPutin\tB-PER\n2\tvisited\tO\n3\tMoscow\tB-LOC\n4\t.\tO\n\n\
                        1\tMerkel\tB-PER\n2\tvisited\tO\n3\tParis\tB-LOC\n4\t.\tO\n\n";

    /// The words labelled `O` unscored are chosen so that no label of the training data changes.
    #[test]
    fn sure_words_change_no_label_of_the_training_data() {
        let sentence = |words: &[(&str, &str)]| -> String {
            let lines: Vec<String> =
                words.iter().enumerate().map(|(idx, (word, tag))| format!("{}\t{word}\t{tag}", idx + 1)).collect();
            lines.join("\n") + "\n\n"
        };
        let said =
            sentence(&[("They", "O"), ("said", "O"), ("that", "O"), ("Putin", "B-PER"), ("left", "O"), (".", "O")]);
        let talks =
            sentence(&[("The", "O"), ("talks", "O"), ("in", "O"), ("Paris", "B-LOC"), ("went", "O"), ("well", "O")]);
        let text = (said + &talks).repeat(60);
        let (sentences, _) = parse(&text, GoldFormat::Iob2, "repeated").unwrap();
        let gazetteer = Gazetteer::new(Arc::new(Dictionaries::shipped()));
        let tagger = Model::embedded().unwrap();
        let options = NerTrainOptions { epochs: 2, ..NerTrainOptions::default() };
        let ner = train(&sentences, &[], tagger, &gazetteer, &options, &mut |_| {}).unwrap();
        assert!(ner.n_sure_outside() >= 4, "{}", ner.n_sure_outside());
        let corpus = Corpus::new(&sentences, tagger, &gazetteer, &ner.clusters, &ner.lexicon);
        let (sure, all, beam) = (&ner.sure_outside, &FxHashSet::default(), ner.beam);
        for words in &corpus.sentences {
            assert_eq!(decode(words, sure, beam, &ner.weights), decode(words, all, beam, &ner.weights));
        }
    }

    #[test]
    fn learns_a_tiny_corpus_deterministically() {
        let (sentences, _) = parse(TINY, GoldFormat::Iob2, "tiny").unwrap();
        let dictionaries = Arc::new(Dictionaries::shipped());
        let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
        let tagger = Model::embedded().unwrap();
        let options = NerTrainOptions { epochs: 3, ..NerTrainOptions::default() };
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
