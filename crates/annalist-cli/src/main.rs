//! The `annalist` command: argument parsing, reading files, printing. All language processing is in
//! the `annalist` library; this crate only moves bytes in and out.

mod code_cmd;
mod context_cmd;
mod dict_cmd;
mod geo_cmd;
mod input;
mod ner_cmd;
mod nlp_cmd;
mod report;
mod store_cmd;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Coding allocates many small strings (a token's forms and keys, once per component); mimalloc
/// serves them with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "annalist", version, about = "Political event data from dated news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Split articles into sentences and tokens.
    Segment {
        #[arg(long, value_enum, default_value_t = SegmentFormat::Jsonl)]
        format: SegmentFormat,
        /// Seed-format .txt, .jsonl, .json (optionally .gz), directories, or `-` for standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Code events: one JSON object per article with its events (the main job).
    Code(code_cmd::CodeArgs),
    /// Code articles into the store (`--db`, default ./annalist.db), merging events across them.
    Ingest(store_cmd::IngestArgs),
    /// Query the store: events, dyad time series, one event's reports, quotes, articles, failures.
    Query(store_cmd::QueryArgs),
    /// Serve the store's API and the dashboard (loopback, read-only unless given a token).
    Serve(store_cmd::ServeArgs),
    /// Export the store's events as JSON Lines, CSV, GDELT 2.0's event table or Parquet.
    Export(store_cmd::ExportArgs),
    /// Train the tagger or the parser on a CoNLL-U treebank, or the entity recognizer.
    Train {
        #[command(subcommand)]
        task: nlp_cmd::TrainTask,
    },
    /// Tag, lemmatize and parse into CoNLL-U.
    Parse(nlp_cmd::ParseArgs),
    /// Look up, check and compile dictionaries.
    Dict {
        #[command(subcommand)]
        command: dict_cmd::DictCommand,
    },
    /// Measure annalist against gold data.
    Eval {
        #[command(subcommand)]
        task: EvalTask,
    },
}

#[derive(Subcommand)]
enum EvalTask {
    /// Tokens and sentences against a CoNLL-U treebank (CoNLL 2018 alignment).
    Segment {
        gold: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Tagging, lemmas and parsing against a CoNLL-U treebank (gold tokenization and end to end).
    Ud(nlp_cmd::EvalUdArgs),
    /// Events against PETRARCH validation records (exact match, triple F1).
    Events(code_cmd::EvalEventsArgs),
    /// Event categories and actors' countries against PLOVER gold records.
    Plover(code_cmd::EvalPloverArgs),
    /// Source and target actor words against role annotations (ConfliBERT's CAMEO BIO tags).
    Roles(code_cmd::EvalRolesArgs),
    /// Source actors' countries against PLOVER gold records.
    Actors(dict_cmd::EvalActorsArgs),
    /// Named entities against IOB2 (Universal NER) or CoNLL-2003 gold: span-level P/R/F1 per type.
    Ner(ner_cmd::EvalNerArgs),
    /// Time anchoring against the MEANTIME / SemEval-2015 TimeLine gold (event dates).
    Timeline(context_cmd::EvalTimelineArgs),
    /// Attributions (source, cue, content) against PolNeAR's brat annotations.
    Quotes(context_cmd::EvalQuotesArgs),
    /// Cross-article event merging against gold event clusters (MEANTIME's layout): pairwise
    /// precision, recall and F1 of same-event links.
    Merge(store_cmd::EvalMergeArgs),
    /// Toponyms and coordinates against GeoVirus (recall, precision, acc161, country accuracy).
    Geo(geo_cmd::EvalGeoArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SegmentFormat {
    Jsonl,
    Conllu,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Segment { format, inputs } => report::segment(&inputs, format == SegmentFormat::Conllu),
        Command::Code(args) => code_cmd::code(args),
        Command::Ingest(args) => store_cmd::ingest(args),
        Command::Query(args) => store_cmd::query(args),
        Command::Export(args) => store_cmd::export(args),
        Command::Serve(args) => store_cmd::serve(args),
        Command::Dict { command } => dict_cmd::run(command),
        Command::Eval { task: EvalTask::Events(args) } => code_cmd::eval_events(args),
        Command::Eval { task: EvalTask::Plover(args) } => code_cmd::eval_plover(args),
        Command::Eval { task: EvalTask::Roles(args) } => code_cmd::eval_roles(args),
        Command::Eval { task: EvalTask::Segment { gold, json } } => eval_segment(&gold, json),
        Command::Eval { task: EvalTask::Ud(args) } => nlp_cmd::eval_ud(args),
        Command::Eval { task: EvalTask::Ner(args) } => ner_cmd::eval(args),
        Command::Eval { task: EvalTask::Timeline(args) } => context_cmd::eval_timeline(args),
        Command::Eval { task: EvalTask::Quotes(args) } => context_cmd::eval_quotes(args),
        Command::Eval { task: EvalTask::Geo(args) } => geo_cmd::eval_geo(args),
        Command::Eval { task: EvalTask::Merge(args) } => store_cmd::eval_merge(args),
        Command::Train { task } => nlp_cmd::train(task),
        Command::Parse(args) => nlp_cmd::parse(args),
        Command::Eval { task: EvalTask::Actors(args) } => dict_cmd::eval_actors(&args),
    };
    match result {
        Ok(status) => status,
        // A reader that stops early (`annalist code ... | head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("annalist: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind));
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn read_conllu(path: &PathBuf) -> Result<Vec<annalist::conllu::ConlluSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(annalist::conllu::parse(&text, &path.display().to_string())?)
}

fn eval_segment(gold: &PathBuf, json: bool) -> Result<ExitCode> {
    let sentences = read_conllu(gold)?;
    let scores = annalist::eval::segment::evaluate(&sentences, &gold.display().to_string())?;
    let mut out = std::io::stdout().lock();
    if json {
        let value = serde_json::json!({
            "tokens_f1": scores.tokens.f1(),
            "tokens_precision": scores.tokens.precision(),
            "tokens_recall": scores.tokens.recall(),
            "words_f1": scores.words.f1(),
            "sentences_f1": scores.sentences.f1(),
            "sentences_precision": scores.sentences.precision(),
            "sentences_recall": scores.sentences.recall(),
            "documents": scores.documents,
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{} ({} documents)", gold.display(), scores.documents)?;
        let rows = [("tokens", scores.tokens), ("words", scores.words), ("sentences", scores.sentences)];
        report::write_counts_table(&mut out, 10, &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}
