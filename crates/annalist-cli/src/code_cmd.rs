//! `annalist code` (the main job), `annalist eval events`, `annalist eval plover` and
//! `annalist eval roles`.

use crate::dict_cmd::DictionaryArgs;
use crate::report::for_each_article;
use annalist::article::Article;
use annalist::article::ReadArticle;
use annalist::eval::events::{
    petrarch_errors, plover_errors, ErrorTally, PetrarchRecord, PetrarchScores, PloverAnswer, PloverRecord,
    PloverScores, Triple,
};
use annalist::eval::roles::{self, RoleScores};
use annalist::eval::{halves, Half};
use annalist::events::{CodingOptions, Event};
use annalist::pipeline::{CodedArticle, Pipeline};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct CodeArgs {
    /// Seed-format .txt, .jsonl, .json (optionally .gz), directories, or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Keep events with one actor: a source but no target (target `---`), or a target but no
    /// source (source `---`: "a car bomb killed 15 soldiers"; not with PETRARCH's verbs).
    #[arg(long)]
    pub allow_monadic: bool,
    /// Add a note for every verb found in the dictionary: the pattern that matched and the code.
    #[arg(long)]
    pub explain: bool,
    /// Keep events of history the article recalls (dated more than a year before it, such as
    /// "relations were established in 1944"), flagged `historical` and dated by their own time.
    #[arg(long)]
    pub historical: bool,
    /// Worker threads (default: the machine's cores). The output order is the input order
    /// whatever the number.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Places added to the embedded gazetteer, one a line, tab-separated: `ID KIND NAME COUNTRY
    /// ADMIN1 LAT LON [POPULATION [ALTERNATE|NAMES]]` (KIND: city, capital, admin1, country,
    /// region or continent; COUNTRY ISO3). Repeatable; a bad line is reported and skipped.
    #[arg(long = "user-places", value_name = "FILE")]
    pub user_places: Vec<PathBuf>,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
}

/// Articles coded together: enough to keep every thread busy, few enough to bound memory.
pub const BATCH: usize = 64;

/// `annalist code`: one JSON object per article with its events and diagnostics.
pub fn code(args: CodeArgs) -> Result<ExitCode> {
    let options = CodingOptions {
        require_dyad: !args.allow_monadic,
        explain: args.explain,
        cameo_conventions: !args.dictionaries.replaces_verbs()?,
        historical: args.historical,
    };
    let pipeline = load_pipeline(&args.dictionaries, options, &args.user_places)?;
    let threads = thread_count(args.threads);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut batch: Vec<ReadArticle> = Vec::with_capacity(BATCH);
    let status = for_each_article(&args.inputs, &mut |read| {
        batch.push(read);
        if batch.len() == BATCH {
            write_coded(&code_batch(&pipeline, &std::mem::take(&mut batch), threads)?, &mut out)?;
        }
        Ok(())
    })?;
    write_coded(&code_batch(&pipeline, &batch, threads)?, &mut out)?;
    out.flush()?;
    Ok(status)
}

fn write_coded(coded: &[CodedArticle], out: &mut dyn Write) -> Result<()> {
    for article in coded {
        serde_json::to_writer(&mut *out, article)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The pipeline on the given dictionaries, with the user's places added (a bad line of those is
/// reported and skipped).
pub fn load_pipeline(
    dictionaries: &DictionaryArgs,
    options: CodingOptions,
    user_places: &[PathBuf],
) -> Result<Pipeline> {
    let mut pipeline = Pipeline::new(dictionaries.load()?, options)?;
    for path in user_places {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        for error in pipeline.add_places(&text, &path.display().to_string()) {
            eprintln!("warning[user-places]: {error}");
        }
    }
    Ok(pipeline)
}

/// `--threads`, defaulting to the machine's cores.
pub fn thread_count(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)).max(1)
}

/// Codes a batch of articles on `threads` threads, in input order, with the reading
/// diagnostics put before the coding ones.
pub fn code_batch(pipeline: &Pipeline, batch: &[ReadArticle], threads: usize) -> Result<Vec<CodedArticle>> {
    let code_one = |read: &ReadArticle| {
        let mut coded = pipeline.code(&read.article);
        let mut diagnostics = read.diagnostics.clone();
        diagnostics.append(&mut coded.diagnostics);
        coded.diagnostics = diagnostics;
        coded
    };
    let chunk = batch.len().div_ceil(threads).max(1);
    let coded: Vec<Vec<CodedArticle>> = std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(code_one).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().map(|worker| worker.join()).collect::<Result<_, _>>()
    })
    .map_err(|_| anyhow::anyhow!("a coding thread panicked (a bug: please report it with the input)"))?;
    Ok(coded.into_iter().flatten().collect())
}

/// Which half of a gold set to score (see [`halves`]): tune on one, check on the other.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HalfArg {
    Tune,
    Held,
}

/// The records of `records` in the half asked for (all without `--half`).
fn in_half<T>(records: &[T], half: Option<HalfArg>, category: impl Fn(&T) -> &str) -> Vec<&T> {
    let wanted = match half {
        None => return records.iter().collect(),
        Some(HalfArg::Tune) => Half::Tune,
        Some(HalfArg::Held) => Half::Held,
    };
    let halves = halves(records.iter().map(category));
    records.iter().zip(halves).filter(|(_, half)| *half == wanted).map(|(record, _)| record).collect()
}

#[derive(Args)]
pub struct EvalEventsArgs {
    /// PETRARCH validation records (JSON Lines).
    pub gold: PathBuf,
    /// Print one JSON object instead of a report.
    #[arg(long)]
    pub json: bool,
    /// List every record with the expected and the coded events.
    #[arg(long)]
    pub verbose: bool,
    /// Count the errors by class (code, source or target wrong, missed, spurious), with example
    /// records.
    #[arg(long)]
    pub errors: bool,
    /// Score one half of the records only: every other record of each category, from the
    /// first (`tune`) or the second (`held`).
    #[arg(long)]
    pub half: Option<HalfArg>,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
}

fn read_records<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line).with_context(|| format!("{}:{}: not a gold record", path.display(), number + 1))
        })
        .collect()
}

fn article_of(id: &str, date: Option<&str>, text: &str) -> Article {
    Article {
        id: id.to_string(),
        date: date.and_then(|d| d.parse().ok()),
        text: text.to_string(),
        ..Article::default()
    }
}

/// `annalist eval events`: exact-match rate and triple precision, recall and F1 over the active
/// PETRARCH validation records, each coded with its own `require_dyad` setting.
pub fn eval_events(args: EvalEventsArgs) -> Result<ExitCode> {
    let records: Vec<PetrarchRecord> = read_records(&args.gold)?;
    let dictionaries = args.dictionaries.load()?;
    let cameo_conventions = !args.dictionaries.replaces_verbs()?;
    let options = CodingOptions { require_dyad: true, explain: args.verbose, cameo_conventions, historical: false };
    let dyadic = Pipeline::new(dictionaries, options)?;
    let monadic = dyadic.with_options(CodingOptions { require_dyad: false, ..options });
    let mut scores = PetrarchScores::default();
    let mut errors = ErrorTally::default();
    let mut out = std::io::stdout().lock();
    let records = in_half(&records, args.half, |r| r.category.as_str());
    for record in records.into_iter().filter(|r| r.is_scored()) {
        let pipeline = if record.require_dyad() { &dyadic } else { &monadic };
        let coded = pipeline.code(&article_of(&record.id, Some(&record.date), &record.text));
        let system: Vec<Triple> = coded.events.iter().map(|e| Triple::new(&e.source, &e.target, &e.code)).collect();
        let exact = scores.add(record, &system);
        errors.add(&record.id, &petrarch_errors(&record.expected, &system));
        if args.verbose {
            let show = |triples: &[Triple]| triples.iter().map(Triple::to_string).collect::<Vec<_>>().join("; ");
            writeln!(
                out,
                "{} {}\n  text:     {}\n  expected: {}\n  coded:    {}",
                if exact { "ok  " } else { "MISS" },
                record.id,
                record.text,
                show(&record.expected),
                show(&system)
            )?;
            for diagnostic in &coded.diagnostics {
                writeln!(out, "  {}", diagnostic.message)?;
            }
        }
    }
    if args.json {
        let value = serde_json::json!({
            "records": scores.records,
            "exact": scores.exact_rate(),
            "precision": scores.triples.precision(),
            "recall": scores.triples.recall(),
            "f1": scores.triples.f1(),
        });
        writeln!(out, "{}", with_errors(value, args.errors.then_some(&errors)))?;
    } else {
        writeln!(out, "{} ({} active records with answers)", args.gold.display(), scores.records)?;
        writeln!(
            out,
            "exact match {:.1}%   triples: precision {:.3} recall {:.3} F1 {:.3}",
            100.0 * scores.exact_rate(),
            scores.triples.precision(),
            scores.triples.recall(),
            scores.triples.f1()
        )?;
        writeln!(out, "{:<12} {:>7} {:>7} {:>7}", "category", "records", "exact", "F1")?;
        for (category, category_scores) in &scores.per_category {
            writeln!(
                out,
                "{:<12} {:>7} {:>6.1}% {:>7.3}",
                category,
                category_scores.records,
                100.0 * category_scores.exact as f64 / category_scores.records.max(1) as f64,
                category_scores.triples.f1()
            )?;
        }
        if args.errors {
            write_errors(&mut out, &errors)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds `errors` (class to records) to a JSON report when asked for.
fn with_errors(mut value: serde_json::Value, errors: Option<&ErrorTally>) -> serde_json::Value {
    if let Some(errors) = errors {
        let classes: serde_json::Map<String, serde_json::Value> =
            errors.ranked().into_iter().map(|(class, n, _)| (class.to_string(), n.into())).collect();
        value["errors"] = classes.into();
    }
    value
}

/// The error classes, most frequent first, with their share of records and example records.
fn write_errors(out: &mut dyn Write, errors: &ErrorTally) -> Result<()> {
    writeln!(out, "\nerrors by kind ({} records)", errors.records)?;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (class, count, _) in errors.ranked() {
        *kinds.entry(class.split(':').next().unwrap_or(class)).or_default() += count;
    }
    for (kind, count) in &kinds {
        writeln!(out, "{count:>5} {:>5.1}%  {kind}", 100.0 * *count as f64 / errors.records.max(1) as f64)?;
    }
    writeln!(out, "\nerrors by class (a record counts once per class)")?;
    for (class, count, examples) in errors.ranked() {
        let share = 100.0 * count as f64 / errors.records.max(1) as f64;
        writeln!(out, "{count:>5} {share:>5.1}%  {class:<48} e.g. {}", examples.join(", "))?;
    }
    Ok(())
}

#[derive(Args)]
pub struct EvalPloverArgs {
    /// PLOVER gold standard records (JSON Lines).
    pub gold: PathBuf,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub verbose: bool,
    /// Count the errors by class (no event, a report standing for the event, category
    /// confusions, actors missing, vague or of another country), with example records.
    #[arg(long)]
    pub errors: bool,
    /// Score one half of the records only: every other record of each category, from the
    /// first (`tune`) or the second (`held`).
    #[arg(long)]
    pub half: Option<HalfArg>,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
}

/// `annalist eval plover`: event category (CAMEO codes mapped to the records' PLOVER 2016
/// categories, see `plover_2016_category`) and source and target country accuracy. The event a record is about is the coded event whose verb is among the
/// record's marked event words, else the most confident one that is not a bare statement.
pub fn eval_plover(args: EvalPloverArgs) -> Result<ExitCode> {
    let records: Vec<PloverRecord> = read_records(&args.gold)?;
    let pipeline = scoring_pipeline(&args.dictionaries)?;
    let mut scores = PloverScores::default();
    let mut errors = ErrorTally::default();
    let mut out = std::io::stdout().lock();
    for record in in_half(&records, args.half, |r| r.event.as_str()) {
        // Actors are coded as of the day the gold coder coded the record (see `date_coded`).
        let date = record.date_coded.as_deref().or(record.date.as_deref());
        let coded = pipeline.code(&article_of(&record.id, date, &record.text));
        let event_words: Vec<String> = record.event_words().iter().map(|w| w.to_lowercase()).collect();
        let about = event_about(&coded.events, &event_words);
        let answer = PloverAnswer {
            code: about.map(|e| e.code.clone()),
            sources: about.map(|e| vec![e.source.clone()]).unwrap_or_default(),
            targets: about.map(|e| vec![e.target.clone()]).unwrap_or_default(),
        };
        let (category_ok, source_ok) = scores.add(record, &answer);
        errors.add(&record.id, &plover_errors(record, &answer));
        if args.verbose {
            writeln!(
                out,
                "{}{} {} {}: gold {} -> {} {:?}; coded {:?} {:?} -> {:?}\n  {}",
                if category_ok { "c" } else { "-" },
                if source_ok { "s" } else { "-" },
                record.id,
                record.event,
                record.source_countries().join("/"),
                record.target_countries().join("/"),
                record.event_words(),
                answer.code,
                answer.sources,
                answer.targets,
                record.text
            )?;
        }
    }
    if args.json {
        let value = serde_json::json!({
            "records": scores.records,
            "category_accuracy": scores.category_accuracy(),
            "source_country_accuracy": scores.source_country_accuracy(),
            "target_country_accuracy": scores.target_country_accuracy(),
        });
        writeln!(out, "{}", with_errors(value, args.errors.then_some(&errors)))?;
    } else {
        writeln!(out, "{} ({} records)", args.gold.display(), scores.records)?;
        writeln!(out, "event category accuracy  {:.1}%", 100.0 * scores.category_accuracy())?;
        writeln!(out, "source country accuracy  {:.1}%", 100.0 * scores.source_country_accuracy())?;
        writeln!(
            out,
            "target country accuracy  {:.1}% ({} records with a target)",
            100.0 * scores.target_country_accuracy(),
            scores.records_with_target
        )?;
        if args.errors {
            write_errors(&mut out, &errors)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The pipeline `eval plover` and `eval roles` code with: every event kept, one actor or two
/// (the gold marks which it is about), and CAMEO's conventions unless PETRARCH's verbs are used.
fn scoring_pipeline(dictionaries: &DictionaryArgs) -> Result<Pipeline> {
    let options = CodingOptions {
        require_dyad: false,
        explain: false,
        cameo_conventions: !dictionaries.replaces_verbs()?,
        historical: false,
    };
    Ok(Pipeline::new(dictionaries.load()?, options)?)
}

/// The event a gold sentence is about: one whose verb is among `event_words` (lowercase; none
/// where the gold marks no words), preferring an act to a bare report ("said"); otherwise the
/// most confident act, then the most confident event.
fn event_about<'a>(events: &'a [Event], event_words: &[String]) -> Option<&'a Event> {
    let reported = |e: &&Event| e.root_code == "01";
    let marked: Vec<&Event> = events
        .iter()
        .filter(|e| e.verb_text.split_whitespace().any(|w| event_words.contains(&w.to_lowercase())))
        .collect();
    let most_confident =
        |events: &mut dyn Iterator<Item = &'a Event>| events.max_by(|a, b| a.confidence.total_cmp(&b.confidence));
    marked
        .iter()
        .find(|e| !reported(e))
        .or(marked.first())
        .copied()
        .or_else(|| most_confident(&mut events.iter().filter(|e| !reported(e))))
        .or_else(|| most_confident(&mut events.iter()))
}

#[derive(Args)]
pub struct EvalRolesArgs {
    /// Role annotations: a token and a BIO tag of S (source), T (target) or R (both) a line,
    /// sentences separated by blank lines (ConfliBERT's `cameo_ner`).
    pub gold: PathBuf,
    #[arg(long)]
    pub json: bool,
    /// List every sentence with the gold and the coded source and target words.
    #[arg(long)]
    pub verbose: bool,
    /// Score one half of the sentences only: every other sentence, from the first (`tune`) or
    /// the second (`held`).
    #[arg(long)]
    pub half: Option<HalfArg>,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
}

/// `annalist eval roles`: word-level precision, recall and F1 of the source and target actors.
/// Each sentence is coded as an article of its own (tokens joined by spaces, no date: the
/// words, not the codes, are scored), and the event it is about is the most confident act
/// ([`event_about`]); a word is the system's source when the source span of that event, or of
/// another event of the same verb (the other side of a meeting, a coordinated subject's other
/// member), covers it.
pub fn eval_roles(args: EvalRolesArgs) -> Result<ExitCode> {
    let file = args.gold.display().to_string();
    let text = std::fs::read_to_string(&args.gold).with_context(|| format!("reading {file}"))?;
    let sentences = roles::parse(&text, &file)?;
    let pipeline = scoring_pipeline(&args.dictionaries)?;
    let mut scores = RoleScores::default();
    let mut out = std::io::stdout().lock();
    for sentence in in_half(&sentences, args.half, |_| "") {
        let (text, spans) = sentence.text();
        let coded = pipeline.code(&article_of(&format!("{file}:{}", sentence.line), None, &text));
        // The events of one predication together are what the system says of it: "Iran and
        // Iraq met" is IRN -> IRQ and IRQ -> IRN, whose sources are both parties.
        let about = event_about(&coded.events, &[]);
        let predication: Vec<&Event> = about
            .map(|about| {
                coded.events.iter().filter(|e| e.sentence == about.sentence && e.verb_span == about.verb_span).collect()
            })
            .unwrap_or_default();
        let spans_of = |span: fn(&Event) -> Option<annalist::Span>| -> Vec<annalist::Span> {
            let mut spans: Vec<annalist::Span> = predication.iter().filter_map(|e| span(e)).collect();
            spans.sort_by_key(|s| (s.start, s.end));
            spans.dedup();
            spans
        };
        let (source_spans, target_spans) = (spans_of(|e| e.source_span), spans_of(|e| e.target_span));
        let (source, target) = scores.add(sentence, &spans, &source_spans, &target_spans);
        if args.verbose {
            let words = |role: fn(roles::Role) -> bool| {
                let words: Vec<&str> = sentence
                    .tokens
                    .iter()
                    .zip(&sentence.roles)
                    .filter(|(_, r)| role(**r))
                    .map(|(t, _)| t.as_str())
                    .collect();
                words.join(" ")
            };
            let surface = |spans: &[annalist::Span]| spans.iter().map(|&s| &text[s]).collect::<Vec<_>>().join(" + ");
            let ok = |c: annalist::eval::Counts| if c.correct == c.gold && c.system == c.gold { "ok" } else { "--" };
            writeln!(
                out,
                "{}{} line {} {}\n  gold source: {}; target: {}\n  coded {}: source {}; target {}",
                ok(source),
                ok(target),
                sentence.line,
                text,
                words(roles::Role::is_source),
                words(roles::Role::is_target),
                about.map_or("nothing", |e| e.code.as_str()),
                surface(&source_spans),
                surface(&target_spans),
            )?;
        }
    }
    let role = |counts: annalist::eval::Counts| serde_json::json!({"precision": counts.precision(), "recall": counts.recall(), "f1": counts.f1()});
    if args.json {
        let value = serde_json::json!({
            "sentences": scores.sentences,
            "source": role(scores.source),
            "target": role(scores.target),
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{file} ({} sentences)", scores.sentences)?;
        writeln!(out, "{:<8} {:>9} {:>7} {:>7}", "words", "precision", "recall", "F1")?;
        for (name, counts) in [("source", scores.source), ("target", scores.target)] {
            writeln!(out, "{name:<8} {:>9.3} {:>7.3} {:>7.3}", counts.precision(), counts.recall(), counts.f1())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
