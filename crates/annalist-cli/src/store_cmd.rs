//! `annalist ingest`, `annalist query` and `annalist export`: the store's commands.

use crate::code_cmd::{code_batch, load_pipeline, thread_count, BATCH};
use crate::dict_cmd::DictionaryArgs;
use crate::input::{self, Source};
use annalist::article::ReadArticle;
use annalist::events::CodingOptions;
use annalist::{Date, Diagnostic, Severity};
use annalist_store::export::{csv_field, Format};
use annalist_store::query::{parse_dyad, parse_near, EventFilter, Interval, StoredEvent};
use annalist_store::{content_hash, fingerprint, Ingested, Store, WriteStats};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct StoreArgs {
    /// The store: one SQLite file, created when missing.
    #[arg(long, default_value = "annalist.db", value_name = "FILE")]
    pub db: PathBuf,
}

#[derive(Args)]
pub struct IngestArgs {
    /// Seed-format .txt, .jsonl, .json (optionally .gz), directories, or `-` for standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Reports of one event at most this many days after its first report are the same event.
    /// Changing it re-merges the whole store.
    #[arg(long, value_name = "DAYS")]
    pub window: Option<u32>,
    /// Coding threads (default: the machine's cores); one more thread writes.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Places added to the embedded gazetteer (see `annalist code --help`).
    #[arg(long = "user-places", value_name = "FILE")]
    pub user_places: Vec<PathBuf>,
    /// Articles written in one transaction: a crash loses at most these (they are coded again
    /// by the next run). Fewer make each transaction rewrite the same index pages more often.
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub transaction_size: usize,
    /// Print nothing but the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Then print the store's events that the articles read this time report (merged with
    /// other articles' reports), as a table.
    #[arg(long)]
    pub show: bool,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
}

/// What `annalist ingest` did, printed as its last line.
#[derive(Default, Serialize)]
struct Summary {
    added: u64,
    replaced: u64,
    unchanged: u64,
    article_events: u64,
    failures: u64,
    seconds: f64,
    articles_per_second: f64,
    store: annalist_store::Counts,
}

impl Summary {
    fn add(&mut self, stats: &WriteStats, skipped: u64) {
        self.added += stats.added;
        self.replaced += stats.replaced;
        self.unchanged += stats.unchanged + skipped;
        self.article_events += stats.events;
    }

    fn articles(&self) -> u64 {
        self.added + self.replaced + self.unchanged
    }
}

/// One batch on its way to the writer.
struct Batch {
    coded: Vec<Ingested>,
    failures: Vec<Diagnostic>,
    /// Articles already stored with the same hash, not coded again.
    skipped: u64,
}

/// `annalist ingest`: codes the inputs on all cores and writes them into the store through one
/// writer thread, a transaction per batch. Articles already stored as they are cost a hash and
/// a lookup; what cannot be read is stored as a failure and the run goes on.
pub fn ingest(args: IngestArgs) -> Result<ExitCode> {
    let options = CodingOptions { cameo_conventions: !args.dictionaries.replaces_verbs()?, ..CodingOptions::default() };
    let pipeline = load_pipeline(&args.dictionaries, options, &args.user_places)?;
    let mut inputs = Vec::new();
    for path in args.dictionaries.files()?.iter().chain(&args.user_places) {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        inputs.push((path.display().to_string(), bytes));
    }
    let fingerprint = fingerprint(env!("CARGO_PKG_VERSION"), &inputs);
    let mut store = Store::open(&args.store.db).with_context(|| format!("opening {}", args.store.db.display()))?;
    if let Some(window) = args.window {
        if store.set_window(window)? {
            eprintln!("annalist: merge window set to {window} days; every event re-merged");
        }
    }
    // A second connection answers "is this article stored as it is?" while the writer writes.
    let lookup = Store::open_read_only(&args.store.db)?;
    let threads = thread_count(args.threads);
    let write_batch = args.transaction_size.max(1);
    let code_batch_size = BATCH.min(write_batch);
    let mut failures: Vec<Diagnostic> = Vec::new();
    let sources = input::expand(&args.inputs, &mut |diagnostic| {
        eprintln!("{diagnostic}");
        failures.push(diagnostic);
    });
    let mut failed = failures.iter().any(|d| d.severity == Severity::Error);
    let total = count_articles(&sources);
    let mut keys: Vec<String> = Vec::new();
    let mut progress = Progress::new(total, args.quiet);
    let started = Instant::now();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(2);
    let summary = std::thread::scope(|scope| -> Result<Summary> {
        let writer = scope.spawn(move || -> Result<Summary> {
            let mut summary = Summary::default();
            for batch in receiver {
                let stats = store.write(&batch.coded, &batch.failures)?;
                summary.add(&stats, batch.skipped);
                summary.failures += batch.failures.len() as u64;
                progress.show(summary.articles(), summary.article_events);
            }
            progress.finish();
            store.optimize()?;
            store.checkpoint()?;
            summary.store = store.counts()?;
            Ok(summary)
        });
        // Articles to code, with the hash they were looked up by.
        let mut pending: Vec<(ReadArticle, String)> = Vec::with_capacity(BATCH);
        let mut ready: Vec<Ingested> = Vec::new();
        let mut skipped = 0;
        // Codes what is pending and hands the writer what is ready once there is a transaction's
        // worth (or at the end).
        let send = |pending: &mut Vec<(ReadArticle, String)>,
                    ready: &mut Vec<Ingested>,
                    skipped: &mut u64,
                    failures: &mut Vec<Diagnostic>,
                    last: bool|
         -> Result<()> {
            let (batch, hashes): (Vec<ReadArticle>, Vec<String>) = std::mem::take(pending).into_iter().unzip();
            let coded = code_batch(&pipeline, &batch, threads)?;
            ready.extend(batch.into_iter().zip(coded).zip(hashes).map(|((read, coded), hash)| Ingested {
                article: read.article,
                coded,
                hash,
            }));
            if last || ready.len() >= write_batch || *skipped as usize >= write_batch {
                let batch = Batch {
                    coded: std::mem::take(ready),
                    failures: std::mem::take(failures),
                    skipped: std::mem::take(skipped),
                };
                sender.send(batch).map_err(|_| anyhow::anyhow!("the store writer stopped"))?;
            }
            Ok(())
        };
        let mut result_of_reading: Result<()> = Ok(());
        for source in &sources {
            let result = &mut result_of_reading;
            let mut unreadable = Vec::new();
            input::read(
                source,
                &mut |read| {
                    for diagnostic in &read.diagnostics {
                        eprintln!("{diagnostic}");
                    }
                    if result.is_err() {
                        return;
                    }
                    if args.show {
                        keys.push(read.article.id.clone());
                    }
                    let hash = content_hash(&read.article, &fingerprint);
                    match lookup.stored_hash(&read.article.id) {
                        Ok(Some(stored)) if stored == hash => skipped += 1,
                        Ok(_) => pending.push((read, hash)),
                        Err(error) => *result = Err(error.into()),
                    }
                    if pending.len() >= code_batch_size || skipped as usize >= write_batch {
                        *result = send(&mut pending, &mut ready, &mut skipped, &mut failures, false);
                    }
                },
                &mut |diagnostic| {
                    eprintln!("{diagnostic}");
                    unreadable.push(diagnostic);
                },
            );
            failed |= unreadable.iter().any(|d| d.severity == Severity::Error);
            failures.append(&mut unreadable);
            if result.is_err() {
                break;
            }
        }
        if result_of_reading.is_ok() {
            result_of_reading = send(&mut pending, &mut ready, &mut skipped, &mut failures, true);
        }
        drop(sender);
        // The writer's own error says more than "the store writer stopped".
        let written =
            writer.join().map_err(|_| anyhow::anyhow!("the store writer panicked (a bug: please report it)"))?;
        result_of_reading.and(written)
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let summary = Summary { seconds, articles_per_second: summary.articles() as f64 / seconds.max(1e-9), ..summary };
    eprintln!(
        "annalist: {} articles in {:.1} s ({:.0}/s): {} added, {} replaced, {} unchanged; {} article events; \
         {} failures. The store holds {} articles, {} events ({} article events, {} mentions), {} quotes, {} failures.",
        summary.articles(),
        summary.seconds,
        summary.articles_per_second,
        summary.added,
        summary.replaced,
        summary.unchanged,
        summary.article_events,
        summary.failures,
        summary.store.articles,
        summary.store.events,
        summary.store.article_events,
        summary.store.mentions,
        summary.store.quotes,
        summary.store.failures,
    );
    if args.show {
        let store = Store::open_read_only(&args.store.db)?;
        let mut events: Vec<StoredEvent> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for key in &keys {
            let filter = EventFilter { article: Some(key.clone()), ..EventFilter::default() };
            events.extend(store.events(&filter)?.into_iter().filter(|e| seen.insert(e.id)));
        }
        print_rows(&events, &EVENT_TABLE, OutputFormat::Table)?;
    } else {
        println!("{}", serde_json::to_string(&summary)?);
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// How many articles the inputs hold, for the progress line's ETA: a line per JSON Lines record,
/// one per other file; `None` for standard input.
fn count_articles(sources: &[Source]) -> Option<u64> {
    let mut total = 0;
    for source in sources {
        let Source::File(path) = source else { return None };
        let name = path.to_string_lossy();
        let stem = name.strip_suffix(".gz").unwrap_or(&name);
        if !stem.ends_with(".jsonl") {
            total += 1;
            continue;
        }
        let Ok(file) = std::fs::File::open(path) else { continue };
        let mut reader: Box<dyn Read> =
            if name.ends_with(".gz") { Box::new(flate2::read::MultiGzDecoder::new(file)) } else { Box::new(file) };
        let mut buffer = vec![0; 1 << 16];
        let (mut lines, mut blank) = (0, true);
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            for &byte in &buffer[..n] {
                if byte == b'\n' {
                    lines += u64::from(!blank);
                    blank = true;
                } else if !byte.is_ascii_whitespace() {
                    blank = false;
                }
            }
        }
        total += lines + u64::from(!blank);
    }
    Some(total)
}

/// The progress line: redrawn in place on a terminal, a plain line every ten seconds otherwise.
struct Progress {
    total: Option<u64>,
    started: Instant,
    shown: Option<Instant>,
    terminal: bool,
    quiet: bool,
}

impl Progress {
    fn new(total: Option<u64>, quiet: bool) -> Progress {
        Progress { total, started: Instant::now(), shown: None, terminal: std::io::stderr().is_terminal(), quiet }
    }

    fn show(&mut self, done: u64, events: u64) {
        let every = if self.terminal { Duration::from_millis(200) } else { Duration::from_secs(10) };
        if self.quiet || self.shown.is_some_and(|shown| shown.elapsed() < every) {
            return;
        }
        self.shown = Some(Instant::now());
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = done as f64 / seconds.max(1e-9);
        let of_total = self.total.map_or(String::new(), |total| format!("/{total}"));
        let eta = match self.total {
            Some(total) if rate > 0.0 && total > done => {
                let left = ((total - done) as f64 / rate) as u64;
                format!(", ETA {}:{:02}", left / 60, left % 60)
            }
            _ => String::new(),
        };
        let line = format!("ingest: {done}{of_total} articles, {rate:.0}/s, {events} events{eta}");
        if self.terminal {
            eprint!("\r{line}\x1b[K");
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&mut self) {
        if self.terminal && self.shown.is_some() && !self.quiet {
            eprintln!();
        }
    }
}

/// The event filters of `query` and `export`.
#[derive(Args, Clone, Default)]
pub struct FilterArgs {
    /// Events whose source or target code starts with this (`RUS`, `RUSGOV`).
    #[arg(long)]
    pub actor: Option<String>,
    /// Source code prefix.
    #[arg(long)]
    pub source: Option<String>,
    /// Target code prefix.
    #[arg(long)]
    pub target: Option<String>,
    /// A dyad, `SOURCE-TARGET` (both prefixes): `RUS-SYR`.
    #[arg(long)]
    pub dyad: Option<String>,
    /// CAMEO code prefix (`04`, `042`).
    #[arg(long)]
    pub code: Option<String>,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    #[arg(long)]
    pub quad: Option<u8>,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: Option<String>,
    /// Location name or country (ISO3).
    #[arg(long)]
    pub place: Option<String>,
    /// `LAT,LON,KM`: within KM kilometres of a point.
    #[arg(long)]
    pub near: Option<String>,
    /// Reported by the article with this id (among others).
    #[arg(long)]
    pub article: Option<String>,
}

fn parse_date(flag: &str, value: &Option<String>) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(text) => match text.parse() {
            Ok(date) => Ok(Some(date)),
            Err(error) => bail!("--{flag} {text:?}: {error}"),
        },
    }
}

impl FilterArgs {
    pub fn filter(&self) -> Result<EventFilter> {
        let (mut source, mut target) = (self.source.clone(), self.target.clone());
        if let Some(dyad) = &self.dyad {
            let (s, t) = parse_dyad(dyad).with_context(|| format!("--dyad {dyad:?}"))?;
            (source, target) = (Some(s), Some(t));
        }
        let near = match &self.near {
            None => None,
            Some(text) => Some(parse_near(text).with_context(|| format!("--near {text:?}"))?),
        };
        Ok(EventFilter {
            actor: self.actor.clone(),
            source,
            target,
            code: self.code.clone(),
            quad_class: self.quad,
            from: parse_date("from", &self.from)?,
            to: parse_date("to", &self.to)?,
            place: self.place.clone(),
            near,
            article: self.article.clone(),
            ..EventFilter::default()
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Jsonl,
    Csv,
}

#[derive(Args)]
pub struct QueryArgs {
    #[command(subcommand)]
    pub what: QueryWhat,
    /// The store.
    #[arg(long, default_value = "annalist.db", value_name = "FILE", global = true)]
    pub db: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, global = true)]
    pub format: OutputFormat,
}

#[derive(Subcommand)]
pub enum QueryWhat {
    /// Events matching the filters, by date.
    Events {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Events per day, week or month: count, Goldstein sum and mean, counts per quad class.
    Series {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value = "week")]
        interval: String,
    },
    /// One event with every report of it and their sentences.
    Event { id: i64 },
    /// Quotations by words they contain and/or speaker.
    Quotes {
        /// Words the quotation contains (all of them).
        #[arg(long)]
        text: Option<String>,
        /// Part of the speaker's name.
        #[arg(long)]
        speaker: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u64,
    },
    /// Articles containing all the words.
    Articles {
        words: String,
        #[arg(long, default_value_t = 20)]
        limit: u64,
    },
    /// What could not be read or coded.
    Failures,
}

/// The columns `query events` shows.
const EVENT_TABLE: [&str; 12] = [
    "id",
    "date",
    "source",
    "code",
    "target",
    "goldstein",
    "num_mentions",
    "num_sources",
    "location.name",
    "source_text",
    "verb_text",
    "target_text",
];

/// Prints rows as a table (the named fields, aligned), JSON Lines or CSV.
fn print_rows<T: Serialize>(rows: &[T], columns: &[&str], format: OutputFormat) -> Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let cell = |value: &serde_json::Value, column: &str| -> String {
        match column.split('.').try_fold(value, |v, key| v.get(key)) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        }
    };
    let values: Vec<serde_json::Value> = rows.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
    match format {
        OutputFormat::Jsonl => {
            for value in &values {
                writeln!(out, "{value}")?;
            }
        }
        OutputFormat::Csv => {
            writeln!(out, "{}", columns.join(","))?;
            for value in &values {
                let fields: Vec<String> = columns.iter().map(|c| csv_field(&cell(value, c))).collect();
                writeln!(out, "{}", fields.join(","))?;
            }
        }
        OutputFormat::Table => {
            let cells: Vec<Vec<String>> = values
                .iter()
                .map(|v| columns.iter().map(|c| cell(v, c).replace(['\n', '\t'], " ")).collect())
                .collect();
            let widths: Vec<usize> = (0..columns.len())
                .map(|i| {
                    cells.iter().map(|row| row[i].chars().count().min(60)).chain([columns[i].len()]).max().unwrap_or(0)
                })
                .collect();
            let line = |row: Vec<String>| -> String {
                row.iter()
                    .zip(&widths)
                    .map(|(text, &width)| {
                        let text: String = text.chars().take(60).collect();
                        format!("{text:<width$}")
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            writeln!(out, "{}", line(columns.iter().map(|c| c.to_string()).collect()))?;
            for row in cells {
                writeln!(out, "{}", line(row))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn open_for_reading(db: &Path) -> Result<Store> {
    if !db.exists() {
        bail!("{}: no such store (make one with `annalist ingest --db {} FILE...`)", db.display(), db.display());
    }
    Store::open_read_only(db).with_context(|| format!("opening {}", db.display()))
}

/// `annalist query ...`.
pub fn query(args: QueryArgs) -> Result<ExitCode> {
    let store = open_for_reading(&args.db)?;
    match args.what {
        QueryWhat::Events { filter, limit, offset } => {
            let filter = EventFilter { limit: Some(limit), offset, ..filter.filter()? };
            print_rows(&store.events(&filter)?, &EVENT_TABLE, args.format)?;
        }
        QueryWhat::Series { filter, interval } => {
            let interval: Interval = interval.parse()?;
            let series = store.series(&filter.filter()?, interval)?;
            print_rows(&series, &["period", "count", "goldstein_sum", "goldstein_mean", "quad_counts"], args.format)?;
        }
        QueryWhat::Event { id } => {
            let Some(detail) = store.event(id)? else { bail!("no event {id} in {}", args.db.display()) };
            if args.format == OutputFormat::Table {
                let e = &detail.event;
                println!(
                    "event {}: {} {} {} {} on {} (Goldstein {}, quad class {}), {} mentions in {} articles from {} sources",
                    e.id,
                    e.source,
                    e.code,
                    e.target,
                    e.plover.as_deref().unwrap_or("-"),
                    e.date.as_deref().unwrap_or("?"),
                    e.goldstein,
                    e.quad_class,
                    e.num_mentions,
                    e.num_articles,
                    e.num_sources
                );
                if let Some(place) = &e.location {
                    println!("  in {} ({}, {})", place.name, place.country.as_deref().unwrap_or("?"), place.basis);
                }
            }
            print_rows(
                &detail.mentions,
                &["article", "date", "outlet", "sentence", "verb_text", "sentence_text"],
                args.format,
            )?;
        }
        QueryWhat::Quotes { text, speaker, limit } => {
            let quotes = store.quotes(text.as_deref(), speaker.as_deref(), limit)?;
            print_rows(&quotes, &["article", "date", "speaker", "speaker_actor", "cue", "text"], args.format)?;
        }
        QueryWhat::Articles { words, limit } => {
            let hits = store.search_articles(&words, limit)?;
            print_rows(&hits, &["article", "date", "outlet", "title", "snippet"], args.format)?;
        }
        QueryWhat::Failures => {
            print_rows(&store.failures()?, &["location", "code", "message"], args.format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Gdelt,
    Parquet,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write (default: standard output); for Parquet, the folder.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// `annalist export`: the merged events matching the filters.
pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let store = open_for_reading(&args.store.db)?;
    let filter = args.filter.filter()?;
    let format = match args.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Gdelt => Format::Gdelt,
        ExportFormat::Parquet => {
            let Some(dir) = &args.out else { bail!("--format parquet writes a folder: give it with --out DIR") };
            let (events, files) = store.export_parquet(&filter, dir)?;
            eprintln!("annalist: {events} events in {files} Parquet files under {}", dir.display());
            return Ok(ExitCode::SUCCESS);
        }
    };
    let count = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut out = BufWriter::new(file);
            let count = store.export(&filter, format, &mut out)?;
            out.flush()?;
            count
        }
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            let count = store.export(&filter, format, &mut out)?;
            out.flush()?;
            count
        }
    };
    if args.out.is_some() {
        eprintln!("annalist: {count} events exported");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EvalMergeArgs {
    /// A folder with `documents.jsonl` (doc_id, text, date, url, title) and `clusters.json`
    /// (clusters of gold mentions `[doc_id, start, end, text]`, code-point offsets).
    pub dir: PathBuf,
    /// Print one JSON object instead of a report.
    #[arg(long)]
    pub json: bool,
    /// The date of documents whose date is null.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub default_date: Option<String>,
    /// The merge window in days.
    #[arg(long, default_value_t = annalist_store::DEFAULT_WINDOW_DAYS)]
    pub window: u32,
    /// Keep events with a source but no target (more of MEANTIME's company news is coded).
    #[arg(long)]
    pub allow_monadic: bool,
    /// Keep the store made for the evaluation in this file (default: in memory).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(serde::Deserialize)]
struct GoldDocument {
    doc_id: String,
    text: String,
    date: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

#[derive(serde::Deserialize)]
struct GoldCluster {
    mentions: Vec<(String, usize, usize, String)>,
}

/// `annalist eval merge`: codes the documents into a fresh store and scores which reports it
/// merged against the gold clusters (pairwise, across documents).
pub fn eval_merge(args: EvalMergeArgs) -> Result<ExitCode> {
    use annalist_store::eval::{score, GoldMention};
    let read = |name: &str| {
        let path = args.dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let default_date = parse_date("default-date", &args.default_date)?;
    let mut documents = Vec::new();
    for (number, line) in read("documents.jsonl")?.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let document: GoldDocument =
            serde_json::from_str(line).with_context(|| format!("documents.jsonl:{}: not a document", number + 1))?;
        documents.push(document);
    }
    let clusters: Vec<GoldCluster> = serde_json::from_str(&read("clusters.json")?).context("clusters.json")?;
    let texts: std::collections::HashMap<&str, &str> =
        documents.iter().map(|d| (d.doc_id.as_str(), d.text.as_str())).collect();
    // Code-point offsets to byte offsets.
    let byte_at = |text: &str, chars: usize| text.char_indices().nth(chars).map_or(text.len(), |(at, _)| at) as u32;
    let mut gold = Vec::new();
    for (cluster, gold_cluster) in clusters.iter().enumerate() {
        for (document, start, end, _) in &gold_cluster.mentions {
            let Some(text) = texts.get(document.as_str()) else {
                bail!("clusters.json: document {document} is not in documents.jsonl");
            };
            gold.push(GoldMention {
                document: document.clone(),
                start: byte_at(text, *start),
                end: byte_at(text, *end),
                cluster,
            });
        }
    }
    let reads: Vec<ReadArticle> = documents
        .iter()
        .map(|d| ReadArticle {
            article: annalist::Article {
                id: d.doc_id.clone(),
                date: d.date.as_deref().and_then(|date| date.parse().ok()).or(default_date),
                title: d.title.clone(),
                text: d.text.clone(),
                url: d.url.clone(),
                ..annalist::Article::default()
            },
            diagnostics: Vec::new(),
        })
        .collect();
    let options = CodingOptions { require_dyad: !args.allow_monadic, ..CodingOptions::default() };
    let pipeline = load_pipeline(&DictionaryArgs::default(), options, &[])?;
    let coded = code_batch(&pipeline, &reads, thread_count(args.threads))?;
    let mut store = match &args.db {
        Some(path) => Store::open(path)?,
        None => Store::open_in_memory()?,
    };
    store.set_window(args.window)?;
    let batch: Vec<Ingested> = reads
        .into_iter()
        .zip(coded)
        .map(|(read, coded)| Ingested { hash: content_hash(&read.article, "eval"), article: read.article, coded })
        .collect();
    store.write(&batch, &[])?;
    let scores = score(&store.mentions()?, &gold);
    let links = scores.links;
    // A ratio with nothing to count is unknown, not zero.
    let (precision, recall) = ((links.system > 0).then(|| links.precision()), (links.gold > 0).then(|| links.recall()));
    let f1 = precision.zip(recall).map(|_| links.f1());
    let show = |value: Option<f64>| value.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    if args.json {
        let value = serde_json::json!({
            "documents": documents.len(),
            "events": store.counts()?.events,
            "matched": scores.matched,
            "gold_mentions": scores.gold_mentions,
            "gold_matched": scores.gold_matched,
            "links_system": links.system,
            "links_gold": links.gold,
            "links_correct": links.correct,
            "pair_precision": precision,
            "pair_recall": recall,
            "pair_f1": f1,
        });
        println!("{value}");
    } else {
        let counts = store.counts()?;
        println!(
            "{}: {} documents, {} events from {} article events; {} reports overlap {} of {} gold mentions",
            args.dir.display(),
            documents.len(),
            counts.events,
            counts.article_events,
            scores.matched,
            scores.gold_matched,
            scores.gold_mentions
        );
        println!(
            "links across documents: precision {} ({} of {}), recall {} (of {}), F1 {}",
            show(precision),
            links.correct,
            links.system,
            show(recall),
            links.gold,
            show(f1)
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Where to listen. Anything but loopback makes the store readable from other machines.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Allow `POST /api/code` to requests with `Authorization: Bearer TOKEN` (default: the
    /// environment variable `ANNALIST_TOKEN`, which other users cannot read from `ps`).
    #[arg(long)]
    pub token: Option<String>,
    /// The largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
}

/// `annalist serve`: the API and the dashboard over a store, until interrupted.
pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let config = annalist_server::Config {
        addr: args.addr,
        token: args.token.or_else(|| std::env::var("ANNALIST_TOKEN").ok()).filter(|t| !t.is_empty()),
        max_body: args.max_body,
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..annalist_server::Config::new(args.store.db)
    };
    annalist_server::serve(config)?;
    Ok(ExitCode::SUCCESS)
}
