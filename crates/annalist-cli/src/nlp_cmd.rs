//! `annalist train`, `annalist parse` and `annalist eval ud`: file handling around the library's
//! tagger, lemmatizer and parser.

use crate::report::for_each_article;
use annalist::conllu::{self, ConlluSentence};
use annalist::nlp::train::{self, TrainOptions};
use annalist::nlp::{sentence_from_words, Model, ParsedSentence};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum TrainTask {
    /// Train the tagger and lemmatizer.
    Tagger(TrainArgs),
    /// Train the parser on top of a tagger model (jackknifed tags for training).
    Parser {
        #[command(flatten)]
        args: TrainArgs,
        /// The model whose tagger and lemmatizer the parser is trained with (from `train tagger`).
        #[arg(long)]
        tagger: PathBuf,
        /// Folds for jackknifing the training tags (0 or 1: tag with `--tagger` directly).
        #[arg(long, default_value_t = TrainOptions::default().folds)]
        folds: usize,
        /// Parsers trained on differently shuffled data and averaged into one.
        #[arg(long, default_value_t = TrainOptions::default().parsers)]
        parsers: usize,
    },
    /// Calibrate a model's shortcuts on a development treebank (`train tagger` and `train parser`
    /// do it themselves): which words the tagger's second pass leaves alone, and which arcs the
    /// parser labels without scoring. The model then analyzes the treebank exactly as before.
    Calibrate {
        /// The model to calibrate.
        #[arg(long)]
        model: PathBuf,
        /// Development treebank.
        #[arg(long)]
        dev: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Train the named-entity recognizer on IOB2 (Universal NER) or CoNLL-2003 files.
    Ner(crate::ner_cmd::TrainNerArgs),
    /// Learn word clusters from plain text, for the named-entity recognizer (`train ner --clusters`).
    Clusters(crate::ner_cmd::TrainClustersArgs),
}

#[derive(Args)]
pub struct TrainArgs {
    #[arg(long)]
    train: PathBuf,
    /// Development treebank: the epoch that scores best on it is kept.
    #[arg(long)]
    dev: PathBuf,
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
    /// Drop feature rows whose averaged weights are all below this (smaller, faster models).
    #[arg(long, default_value_t = TrainOptions::default().min_weight)]
    min_weight: f32,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseInput {
    /// Articles (seed format, JSON Lines, directories): segmented first.
    Text,
    /// CoNLL-U: the file's own words are kept and columns 3 to 8 filled in.
    Conllu,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Conllu,
}

#[derive(Args)]
pub struct ParseArgs {
    #[arg(long, value_enum, default_value_t = ParseInput::Text)]
    input: ParseInput,
    #[arg(long, value_enum, default_value_t = ParseFormat::Conllu)]
    format: ParseFormat,
    /// A model file instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Args)]
pub struct EvalUdArgs {
    gold: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// A model file instead of the embedded one.
    #[arg(long)]
    model: Option<PathBuf>,
}

pub fn train(task: TrainTask) -> Result<ExitCode> {
    let started = Instant::now();
    let mut progress = |p: &train::Progress| eprintln!("[{:6.1}s] {p}", started.elapsed().as_secs_f64());
    let (args, model) = match task {
        TrainTask::Tagger(args) => {
            let (train_set, dev_set, options) = load_training(&args)?;
            let model = train::train_tagger(&train_set, &dev_set, &options, &mut progress)?;
            (args, calibrate(&model, &dev_set, started))
        }
        TrainTask::Parser { args, tagger, folds, parsers } => {
            let base = load_model(Some(&tagger))?;
            let (train_set, dev_set, mut options) = load_training(&args)?;
            options.folds = folds;
            options.parsers = parsers;
            let model = train::train_parser(&base, &train_set, &dev_set, &options, &mut progress)?;
            (args, calibrate(&model, &dev_set, started))
        }
        TrainTask::Calibrate { model, dev, out } => {
            let model = calibrate(&*load_model(Some(&model))?, &read_conllu(&dev)?, started);
            return write_model(&model, &out, started);
        }
        TrainTask::Ner(args) => return crate::ner_cmd::train(args),
        TrainTask::Clusters(args) => return crate::ner_cmd::train_clusters(args),
    };
    write_model(&model, &args.out, started)
}

fn write_model(model: &Model, out: &Path, started: Instant) -> Result<ExitCode> {
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "[{:6.1}s] wrote {} ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        out.display(),
        bytes.len() as f64 / 1e6
    );
    Ok(ExitCode::SUCCESS)
}

/// The model calibrated on `dev`, with what was measured shown.
fn calibrate(model: &Model, dev: &[ConlluSentence], started: Instant) -> Model {
    let (model, c) = train::calibrate(model, dev);
    let elapsed = started.elapsed().as_secs_f64();
    match c.margin {
        Some(margin) => eprintln!(
            "[{elapsed:6.1}s] tagger: the second pass keeps first-pass tags with a margin above {margin:.2} \
             ({:.1}% of the scored dev words)",
            100.0 * c.skipped_words
        ),
        None => eprintln!("[{elapsed:6.1}s] tagger: one pass, or no dev words"),
    }
    if model.has_parser() {
        eprintln!(
            "[{elapsed:6.1}s] parser: {} arc kinds labelled without scoring ({:.1}% of the dev arcs)",
            c.sure_kinds,
            100.0 * c.skipped_arcs
        );
    }
    model
}

fn load_training(args: &TrainArgs) -> Result<(Vec<ConlluSentence>, Vec<ConlluSentence>, TrainOptions)> {
    let options =
        TrainOptions { seed: args.seed, epochs: args.epochs, min_weight: args.min_weight, ..TrainOptions::default() };
    Ok((read_conllu(&args.train)?, read_conllu(&args.dev)?, options))
}

fn read_conllu(path: &Path) -> Result<Vec<ConlluSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(conllu::parse(&text, &path.display().to_string())?)
}

/// The model in `path`, or the embedded one (borrowed, not copied).
pub(crate) fn load_model(path: Option<&PathBuf>) -> Result<Cow<'static, Model>> {
    match path {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let model = Model::from_bytes(&bytes).with_context(|| format!("loading model {}", path.display()))?;
            Ok(Cow::Owned(model))
        }
        None => Ok(Cow::Borrowed(Model::embedded().context("loading the embedded model")?)),
    }
}

pub fn parse(args: ParseArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_ref())?;
    if !model.has_parser() {
        bail!("the model has no parser (train one with `annalist train parser`)");
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    let status = match args.input {
        ParseInput::Conllu => {
            for path in &args.inputs {
                for sentence in read_conllu(path)? {
                    write_gold_tokenized(&mut out, &model, &sentence)?;
                }
            }
            ExitCode::SUCCESS
        }
        ParseInput::Text => for_each_article(&args.inputs, &mut |read| {
            let article = &read.article;
            let text = article.text.as_str();
            writeln!(out, "# newdoc id = {}", article.id)?;
            let mut paragraph = None;
            for (idx, sentence) in annalist::segment::segment(text).iter().enumerate() {
                let parsed = model.analyze(text, sentence);
                if paragraph != Some(sentence.paragraph) {
                    writeln!(out, "# newpar")?;
                    paragraph = Some(sentence.paragraph);
                }
                writeln!(out, "# sent_id = {}-{}", article.id, idx + 1)?;
                writeln!(out, "# text = {}", text[sentence.span].split_whitespace().collect::<Vec<_>>().join(" "))?;
                write_parsed(&mut out, text, &parsed)?;
            }
            Ok(())
        })?,
    };
    out.flush()?;
    Ok(status)
}

/// Writes the words of a parsed sentence, with a multiword-token line over each contraction.
fn write_parsed(out: &mut dyn Write, text: &str, sentence: &ParsedSentence) -> Result<()> {
    let tokens = &sentence.tokens;
    let space_after = |end: u32| text[end as usize..].starts_with(char::is_whitespace) || end as usize == text.len();
    for (row, token) in tokens.iter().enumerate() {
        if !token.token.clitic {
            let n_clitics = tokens[row + 1..].iter().take_while(|t| t.token.clitic).count();
            if n_clitics > 0 {
                let last = &tokens[row + n_clitics];
                let misc = if space_after(last.token.span.end) { "_" } else { "SpaceAfter=No" };
                let form = &text[token.token.span.cover(last.token.span)];
                writeln!(out, "{}-{}\t{form}\t_\t_\t_\t_\t_\t_\t_\t{misc}", row + 1, row + 1 + n_clitics)?;
            }
        }
        let in_multiword = token.token.clitic || tokens.get(row + 1).is_some_and(|t| t.token.clitic);
        let misc = if in_multiword || space_after(token.token.span.end) { "_" } else { "SpaceAfter=No" };
        let head = token.head.map_or(0, |h| h + 1);
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t_\t{head}\t{}\t_\t{misc}",
            row + 1,
            &text[token.token.span],
            token.lemma,
            token.upos.as_str(),
            token.xpos,
            token.deprel
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// Writes a CoNLL-U sentence with its own words, comments and multiword tokens, and columns 3
/// to 8 from the model.
fn write_gold_tokenized(out: &mut dyn Write, model: &Model, sentence: &ConlluSentence) -> Result<()> {
    let forms: Vec<&str> = sentence.words.iter().map(|w| w.form.as_str()).collect();
    let (text, tokens) = sentence_from_words(&forms);
    let parsed = model.analyze(&text, &tokens);
    if let Some(id) = &sentence.newdoc {
        writeln!(out, "# newdoc{}", if id.is_empty() { String::new() } else { format!(" id = {id}") })?;
    }
    if sentence.newpar {
        writeln!(out, "# newpar")?;
    }
    if let Some(id) = &sentence.sent_id {
        writeln!(out, "# sent_id = {id}")?;
    }
    if let Some(raw) = &sentence.text {
        writeln!(out, "# text = {raw}")?;
    }
    for (idx, (word, token)) in sentence.words.iter().zip(&parsed.tokens).enumerate() {
        if let Some(mwt) = sentence.multiword.iter().find(|m| m.first as usize == idx + 1) {
            writeln!(out, "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}", mwt.first, mwt.last, mwt.form, mwt.misc)?;
        }
        let head = token.head.map_or(0, |h| h + 1);
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t_\t{head}\t{}\t_\t{}",
            idx + 1,
            word.form,
            token.lemma,
            token.upos.as_str(),
            token.xpos,
            token.deprel,
            if word.misc.is_empty() { "_" } else { &word.misc }
        )?;
    }
    writeln!(out)?;
    Ok(())
}

pub fn eval_ud(args: EvalUdArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_ref())?;
    let gold = read_conllu(&args.gold)?;
    let scores = annalist::eval::ud::evaluate(&model, &gold, &args.gold.display().to_string())?;
    let pct = |correct: usize| 100.0 * correct as f64 / scores.words.max(1) as f64;
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "upos": pct(scores.upos),
            "xpos": pct(scores.xpos),
            "lemma": pct(scores.lemma),
            "uas": pct(scores.uas),
            "las": pct(scores.las),
            "las_universal": pct(scores.las_universal),
            "e2e_words": 100.0 * scores.e2e_words.f1(),
            "e2e_upos": 100.0 * scores.e2e_upos.f1(),
            "e2e_uas": 100.0 * scores.e2e_uas.f1(),
            "e2e_las": 100.0 * scores.e2e_las.f1(),
            "words": scores.words,
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{} ({} words)", args.gold.display(), scores.words)?;
        writeln!(out, "gold tokenization: accuracy")?;
        for (name, correct) in [
            ("UPOS", scores.upos),
            ("XPOS", scores.xpos),
            ("lemma", scores.lemma),
            ("UAS", scores.uas),
            ("LAS", scores.las),
        ] {
            writeln!(out, "  {name:<6} {:6.2}", pct(correct))?;
        }
        writeln!(out, "  {:<6} {:6.2}  (relations without subtypes, as CoNLL 2018)", "LAS", pct(scores.las_universal))?;
        writeln!(out, "end to end from raw text: F1 (precision, recall)")?;
        for (name, counts) in
            [("words", scores.e2e_words), ("UPOS", scores.e2e_upos), ("UAS", scores.e2e_uas), ("LAS", scores.e2e_las)]
        {
            writeln!(
                out,
                "  {name:<6} {:6.2}  ({:.2}, {:.2})",
                100.0 * counts.f1(),
                100.0 * counts.precision(),
                100.0 * counts.recall()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
