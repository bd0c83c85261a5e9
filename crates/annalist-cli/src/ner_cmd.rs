//! `annalist train ner`, `annalist eval ner` and `annalist dict unknown`: file handling around the
//! library's named-entity recognizer.

use crate::dict_cmd::DictionaryArgs;
use crate::nlp_cmd::load_model;
use crate::report::{for_each_article, write_counts_table};
use annalist::actors::code_actors;
use annalist::article::Article;
use annalist::dict::Dictionaries;
use annalist::eval::ner::{evaluate, NerScores};
use annalist::eval::Counts;
use annalist::ner::clusters::WordClusters;
use annalist::ner::gold::{self, GoldFormat, GoldSentence, Repairs};
use annalist::ner::lexicon::WordLexicon;
use annalist::ner::train::{self as ner_train, NerTrainOptions};
use annalist::ner::{attach_actors, entity_key, EntityKind, Gazetteer, Ner};
use annalist::nlp::{Model, TaggedSentence};
use annalist::segment::article_sentences;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Args)]
pub struct TrainNerArgs {
    /// Annotated sentences (Universal NER IOB2, or CoNLL-2003 with --format); repeatable.
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// Development sentences: the epoch that scores best on them is kept (without them, the last).
    #[arg(long)]
    dev: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value_t = GoldFormatArg::Iob2)]
    format: GoldFormatArg,
    #[arg(long, default_value_t = NerTrainOptions::default().seed)]
    seed: u64,
    #[arg(long, default_value_t = NerTrainOptions::default().epochs)]
    epochs: usize,
    /// Probability of leaving each feature out of each training word (regularization).
    #[arg(long, default_value_t = NerTrainOptions::default().dropout)]
    dropout: f64,
    /// Drop feature rows whose averaged weights are all below this (smaller, faster models).
    #[arg(long, default_value_t = NerTrainOptions::default().min_weight)]
    min_weight: f32,
    /// Label sequences the search keeps, in training and in decoding (1: greedy).
    #[arg(long, default_value_t = NerTrainOptions::default().beam)]
    beam: usize,
    /// spaCy's Brown clusters (`en_lexeme_cluster.json.gz` of the spacy-lookups-data package),
    /// with --lexicon-probs: stored in the model and used as features (see the README).
    #[arg(long, requires = "lexicon_probs")]
    lexicon_clusters: Option<PathBuf>,
    /// spaCy's word probabilities (`en_lexeme_prob.json.gz`), with --lexicon-clusters.
    #[arg(long, requires = "lexicon_clusters")]
    lexicon_probs: Option<PathBuf>,
    /// A tagger model for the part-of-speech features instead of the embedded one.
    #[arg(long)]
    tagger: Option<PathBuf>,
    /// Word clusters from `annalist train clusters`, stored in the model and used as features.
    #[arg(long)]
    clusters: Option<PathBuf>,
}

#[derive(Args)]
pub struct TrainClustersArgs {
    /// Plain text to learn from: CoNLL-U (its `# text` lines), JSON Lines (each object's
    /// `text`), or anything else as plain text; repeatable.
    #[arg(long, required = true)]
    text: Vec<PathBuf>,
    /// The clusters, one word a line: WORD, then its cluster at each granularity, tab-separated.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
pub struct EvalNerArgs {
    gold: PathBuf,
    #[arg(long, value_enum, default_value_t = GoldFormatArg::Iob2)]
    format: GoldFormatArg,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// An entity model instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Also print every sentence where the system and the gold disagree, one word a line
    /// (`word GOLD SYSTEM`, with `*` on disagreements), for error analysis.
    #[arg(long)]
    errors: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GoldFormatArg {
    /// Universal NER: INDEX<TAB>WORD<TAB>TAG lines.
    Iob2,
    /// CoNLL-2003: WORD POS CHUNK TAG lines, -DOCSTART- between documents (MISC counts as OTH).
    Conll2003,
}

impl From<GoldFormatArg> for GoldFormat {
    fn from(format: GoldFormatArg) -> GoldFormat {
        match format {
            GoldFormatArg::Iob2 => GoldFormat::Iob2,
            GoldFormatArg::Conll2003 => GoldFormat::Conll2003,
        }
    }
}

#[derive(Args, Clone)]
pub struct UnknownArgs {
    /// Seed-format .txt, .jsonl, .json (optionally .gz), directories, or `-` for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// How many names to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    json: bool,
    /// Worker threads (default: the available cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    dictionaries: DictionaryArgs,
}

fn read_gold(path: &Path, format: GoldFormatArg) -> Result<(Vec<GoldSentence>, Repairs)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(gold::parse(&text, format.into(), &path.display().to_string())?)
}

fn describe_repairs(path: &Path, sentences: usize, repairs: &Repairs) -> String {
    format!(
        "{}: {sentences} sentences; repaired {} stray B-O, {} untyped B-O before I-, {} orphan I-, {} unknown tags",
        path.display(),
        repairs.stray_b_o,
        repairs.untyped_begin,
        repairs.orphan_inside,
        repairs.unknown
    )
}

/// The entity model in `path`, or the embedded one (borrowed, not copied).
fn load_ner(path: Option<&PathBuf>) -> Result<Cow<'static, Ner>> {
    match path {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let ner = Ner::from_bytes(&bytes).with_context(|| format!("loading entity model {}", path.display()))?;
            Ok(Cow::Owned(ner))
        }
        None => Ok(Cow::Borrowed(Ner::embedded().context("loading the embedded entity model")?)),
    }
}

pub fn train(args: TrainNerArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut train_set = Vec::new();
    for path in &args.train {
        let (sentences, repairs) = read_gold(path, args.format)?;
        eprintln!("{}", describe_repairs(path, sentences.len(), &repairs));
        train_set.extend(sentences);
    }
    let dev_set = match &args.dev {
        Some(path) => {
            let (sentences, repairs) = read_gold(path, args.format)?;
            eprintln!("{}", describe_repairs(path, sentences.len(), &repairs));
            sentences
        }
        None => Vec::new(),
    };
    let tagger = load_model(args.tagger.as_ref())?;
    let dictionaries = Arc::new(Dictionaries::shipped());
    let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
    let clusters = match &args.clusters {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            WordClusters::from_tsv(&text, &path.display().to_string())?
        }
        None => WordClusters::default(),
    };
    let lexicon = match (&args.lexicon_clusters, &args.lexicon_probs) {
        (Some(clusters), Some(probs)) => {
            let lexicon = WordLexicon::from_spacy(
                &read_maybe_gzip(clusters)?,
                &read_maybe_gzip(probs)?,
                [&clusters.display().to_string(), &probs.display().to_string()],
            )?;
            eprintln!("lexicon: {} words (Brown clusters, case profiles)", lexicon.len());
            lexicon
        }
        _ => WordLexicon::default(),
    };
    let options = NerTrainOptions {
        seed: args.seed,
        epochs: args.epochs,
        min_weight: args.min_weight,
        dropout: args.dropout,
        beam: args.beam,
        clusters,
        lexicon,
    };
    let mut progress = |p: &ner_train::NerProgress| eprintln!("[{:6.1}s] {p}", started.elapsed().as_secs_f64());
    let ner = ner_train::train(&train_set, &dev_set, &tagger, &gazetteer, &options, &mut progress)?;
    let bytes = ner.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "[{:6.1}s] wrote {} ({:.2} MB, {} features, beam {}; {} kinds of word labelled O unscored after an O)",
        started.elapsed().as_secs_f64(),
        args.out.display(),
        bytes.len() as f64 / 1e6,
        ner.n_features(),
        ner.beam(),
        ner.n_sure_outside()
    );
    Ok(ExitCode::SUCCESS)
}

/// A file's text, decompressed when it is gzip.
fn read_maybe_gzip(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()));
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(bytes.as_slice()), &mut text)
        .with_context(|| format!("decompressing {}", path.display()))?;
    Ok(text)
}

pub fn train_clusters(args: TrainClustersArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut texts: Vec<String> = Vec::new();
    for path in &args.text {
        let content = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.display().to_string();
        if name.ends_with(".conllu") {
            texts.extend(content.lines().filter_map(|line| line.strip_prefix("# text = ")).map(str::to_string));
        } else if name.ends_with(".jsonl") {
            for (idx, line) in content.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
                // A bad line is reported and skipped; the rest of the file still counts.
                match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(value) => match value.get("text").and_then(serde_json::Value::as_str) {
                        Some(text) => texts.push(text.to_string()),
                        None => eprintln!("{name}:{}: no \"text\" field; skipped", idx + 1),
                    },
                    Err(error) => eprintln!("{name}:{}: not JSON ({error}); skipped", idx + 1),
                }
            }
        } else {
            texts.push(content);
        }
    }
    let clusters = annalist::ner::clusters::build(texts.iter().map(String::as_str));
    if clusters.words.is_empty() {
        anyhow::bail!(
            "too little text to cluster: it needs more than {} distinct words seen at least twice",
            annalist::ner::clusters::MIN_VOCABULARY
        );
    }
    std::fs::write(&args.out, clusters.to_tsv()).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "[{:6.1}s] wrote {} ({} words from {} texts)",
        started.elapsed().as_secs_f64(),
        args.out.display(),
        clusters.words.len(),
        texts.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn eval(args: EvalNerArgs) -> Result<ExitCode> {
    let (gold, repairs) = read_gold(&args.gold, args.format)?;
    let ner = load_ner(args.model.as_ref())?;
    let tagger = Model::embedded().context("loading the embedded tagger")?;
    let dictionaries = Arc::new(Dictionaries::shipped());
    let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
    let scores = evaluate(&ner, tagger, &gazetteer, &gold);
    let mut out = std::io::stdout().lock();
    if args.errors {
        let labels = annalist::eval::ner::label(&ner, tagger, &gazetteer, &gold);
        for (sentence, system) in gold.iter().zip(&labels) {
            if *system == sentence.labels {
                continue;
            }
            writeln!(out, "# line {}", sentence.line)?;
            for ((word, gold), system) in sentence.words.iter().zip(&sentence.labels).zip(system) {
                let mark = if gold == system { "" } else { " *" };
                writeln!(out, "{word}\t{gold}\t{system}{mark}")?;
            }
            writeln!(out)?;
        }
    }
    if args.json {
        writeln!(out, "{}", scores_json(&scores, repairs.total()))?;
    } else {
        writeln!(out, "{}", describe_repairs(&args.gold, scores.sentences, &repairs))?;
        let mut rows: Vec<(&str, Counts)> = EntityKind::ALL.iter().map(|&k| (k.as_str(), scores.kind(k))).collect();
        rows.push(("overall", scores.overall));
        write_counts_table(&mut out, 8, &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn scores_json(scores: &NerScores, repairs: usize) -> serde_json::Value {
    let mut value = serde_json::json!({
        "f1": scores.overall.f1(),
        "precision": scores.overall.precision(),
        "recall": scores.overall.recall(),
        "entities_gold": scores.overall.gold,
        "entities_system": scores.overall.system,
        "sentences": scores.sentences,
        "words": scores.words,
        "repaired_labels": repairs,
    });
    for kind in EntityKind::ALL {
        let name = kind.as_str().to_lowercase();
        let counts = scores.kind(kind);
        value[format!("{name}_f1")] = counts.f1().into();
        value[format!("{name}_precision")] = counts.precision().into();
        value[format!("{name}_recall")] = counts.recall().into();
    }
    value
}

/// A name that no dictionary codes, as counted over a corpus.
#[derive(Clone, Debug, Default)]
struct Tally {
    count: usize,
    /// Occurrences as a person and as an organisation.
    per: usize,
    org: usize,
    /// Surface forms and how often each was seen.
    forms: HashMap<String, usize>,
    /// The first sentence it was seen in (in input order).
    example: String,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        if self.count == 0 {
            self.example = other.example;
        }
        self.count += other.count;
        self.per += other.per;
        self.org += other.org;
        for (form, n) in other.forms {
            *self.forms.entry(form).or_insert(0) += n;
        }
    }

    /// The most frequent surface form (the first in sorted order on ties, so output is stable).
    fn form(&self) -> &str {
        self.forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map_or("", |(form, _)| form.as_str())
    }

    fn kind(&self) -> EntityKind {
        if self.per >= self.org {
            EntityKind::Per
        } else {
            EntityKind::Org
        }
    }
}

#[derive(Serialize)]
struct UnknownRecord<'a> {
    name: &'a str,
    key: &'a str,
    #[serde(rename = "type")]
    kind: EntityKind,
    count: usize,
    example: &'a str,
}

/// Articles processed together, split among the threads.
const BATCH: usize = 1024;

/// `annalist dict unknown`: the most frequent person and organisation names that no dictionary
/// codes.
pub fn unknown(args: UnknownArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let dictionaries = Arc::new(args.dictionaries.load()?);
    let gazetteer = Gazetteer::new(Arc::clone(&dictionaries));
    let tagger = Model::embedded().context("loading the embedded tagger")?;
    let ner = Ner::embedded().context("loading the embedded entity model")?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
        .clamp(1, 64);
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    let mut batch: Vec<Article> = Vec::with_capacity(BATCH);
    let mut n_articles = 0usize;
    let workers = Workers { dictionaries: &dictionaries, gazetteer: &gazetteer, tagger, ner };
    let status = for_each_article(&args.inputs, &mut |read| {
        n_articles += 1;
        batch.push(read.article);
        if batch.len() == BATCH {
            merge(&mut tallies, workers.batch(&batch, threads));
            batch.clear();
        }
        Ok(())
    })?;
    merge(&mut tallies, workers.batch(&batch, threads));
    let mut ranked: Vec<(&String, &Tally)> = tallies.iter().collect();
    ranked.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    let mut out = BufWriter::new(std::io::stdout().lock());
    if !args.json {
        writeln!(out, "{:>4} {:>6}  {:<4} {:<32} example", "rank", "count", "type", "name")?;
    }
    for (rank, (key, tally)) in ranked.iter().take(args.top).enumerate() {
        if args.json {
            let record = UnknownRecord {
                name: tally.form(),
                key,
                kind: tally.kind(),
                count: tally.count,
                example: &tally.example,
            };
            serde_json::to_writer(&mut out, &record)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{:>4} {:>6}  {:<4} {:<32} {}",
                rank + 1,
                tally.count,
                tally.kind().as_str(),
                tally.form(),
                tally.example
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "{n_articles} articles, {} distinct unknown names, {:.1}s on {threads} threads",
        tallies.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(status)
}

fn merge(into: &mut HashMap<String, Tally>, from: Vec<(String, Tally)>) {
    for (key, tally) in from {
        into.entry(key).or_default().merge(tally);
    }
}

/// What every worker shares.
struct Workers<'a> {
    dictionaries: &'a Dictionaries,
    gazetteer: &'a Gazetteer,
    tagger: &'a Model,
    ner: &'a Ner,
}

impl Workers<'_> {
    /// The tallies of a batch, split in contiguous parts among `threads` scoped threads. Parts are
    /// merged in order, so the result (and each name's example) does not depend on scheduling.
    fn batch(&self, articles: &[Article], threads: usize) -> Vec<(String, Tally)> {
        if articles.is_empty() {
            return Vec::new();
        }
        let part = articles.len().div_ceil(threads);
        let parts: Vec<HashMap<String, Tally>> = std::thread::scope(|scope| {
            let handles: Vec<_> = articles.chunks(part).map(|chunk| scope.spawn(move || self.tally(chunk))).collect();
            // A worker only panics on a bug; its part is then lost rather than the whole run.
            handles.into_iter().map(|handle| handle.join().unwrap_or_default()).collect()
        });
        let mut ordered: Vec<(String, Tally)> = Vec::new();
        let mut merged: HashMap<String, usize> = HashMap::new();
        for part in parts {
            let mut keys: Vec<(String, Tally)> = part.into_iter().collect();
            // Within a part, merge order does not matter except for examples, which each tally
            // already holds from its first article in that part.
            keys.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, tally) in keys {
                match merged.get(&key) {
                    Some(&idx) => ordered[idx].1.merge(tally),
                    None => {
                        merged.insert(key.clone(), ordered.len());
                        ordered.push((key, tally));
                    }
                }
            }
        }
        ordered
    }

    fn tally(&self, articles: &[Article]) -> HashMap<String, Tally> {
        let mut tallies: HashMap<String, Tally> = HashMap::new();
        for article in articles {
            let text = article.text.as_str();
            let sentences = article_sentences(text);
            let tagged: Vec<TaggedSentence> =
                sentences.iter().map(|sentence| self.tagger.tag(text, sentence)).collect();
            let mut entities = self.ner.recognize(text, &tagged, self.gazetteer);
            entities.retain(|entity| matches!(entity.kind, EntityKind::Per | EntityKind::Org));
            if entities.is_empty() {
                continue;
            }
            let coding = code_actors(text, &sentences, article.date, self.dictionaries);
            attach_actors(text, &mut entities, &coding, self.dictionaries, article.date);
            for entity in entities {
                // A bare agent's code (`---GOV` for "the commission") names no actor.
                if entity.actor.as_deref().is_some_and(|code| !code.starts_with("---")) {
                    continue;
                }
                let key = entity_key(&entity);
                // Initials and stray letters ("S and P") are not names a curator can add.
                if key.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                    continue;
                }
                let tally = tallies.entry(key).or_default();
                if tally.count == 0 {
                    tally.example = trimmed(&text[sentences[entity.sentence].span], 160);
                }
                tally.count += 1;
                match entity.kind {
                    EntityKind::Per => tally.per += 1,
                    _ => tally.org += 1,
                }
                let form = entity.text.split_whitespace().collect::<Vec<_>>().join(" ");
                *tally.forms.entry(form).or_insert(0) += 1;
            }
        }
        tallies
    }
}

/// The sentence on one line, cut at a character boundary after `max` bytes with an ellipsis.
fn trimmed(sentence: &str, max: usize) -> String {
    let line = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.len() <= max {
        return line;
    }
    let mut cut = max;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &line[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_on_character_boundaries() {
        assert_eq!(trimmed("a  b\nc", 10), "a b c");
        assert_eq!(trimmed("ééé", 3), "é…");
    }
}
