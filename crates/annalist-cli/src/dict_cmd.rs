//! `annalist dict ...` and `annalist eval actors`, and the dictionary flags every coding command
//! shares ([`DictionaryArgs`]).

use annalist::actors::{code_actors, MentionKind};
use annalist::dict::compiled::{self, SHIPPED_FILES};
use annalist::dict::{Dictionaries, DictionarySources, Format};
use annalist::segment::{article_sentences, segment};
use annalist::{Date, Diagnostic, Location};
use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Which dictionaries to use. Without flags, the shipped ones (compiled into the binary).
///
/// The PETRARCH-file flags replace the shipped dictionary of their kind; user dictionaries are
/// layered on top of whatever actors are in use. A config file (`--config`) holds the same settings
/// as `key = value` lines: `actors`, `agents`, `verbs`, `discards`, `issues`, `user-dict` (paths
/// relative to the config file; `actors` and `user-dict` may repeat). Flags given on the command
/// line win over the config file.
#[derive(Args, Clone, Debug, Default)]
pub struct DictionaryArgs {
    /// PETRARCH actor dictionary replacing the shipped actors (repeatable; later files win).
    #[arg(long = "actors", value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    /// PETRARCH agent dictionary replacing the shipped agents.
    #[arg(long, value_name = "FILE")]
    pub agents: Option<PathBuf>,
    /// PETRARCH verb dictionary replacing the shipped verbs (CAMEO.2.0.txt).
    #[arg(long, value_name = "FILE")]
    pub verbs: Option<PathBuf>,
    /// PETRARCH discard list replacing the shipped one.
    #[arg(long, value_name = "FILE")]
    pub discards: Option<PathBuf>,
    /// PETRARCH issues list replacing the shipped one.
    #[arg(long, value_name = "FILE")]
    pub issues: Option<PathBuf>,
    /// User dictionary layered over the actors: NAME<TAB>CODE[<TAB>FROM[<TAB>TO]] lines (.tsv), or a
    /// PETRARCH actor file. Repeatable.
    #[arg(long = "user-dict", value_name = "FILE")]
    pub user_dict: Vec<PathBuf>,
    /// Config file with `key = value` lines for the settings above.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl DictionaryArgs {
    /// The settings after merging the config file (if any) under the command-line flags.
    pub fn resolved(&self) -> Result<DictionaryArgs> {
        let Some(config) = &self.config else {
            return Ok(self.clone());
        };
        let mut merged = read_config(config)?;
        if !self.actors.is_empty() {
            merged.actors = self.actors.clone();
        }
        for (mine, theirs) in [
            (&self.agents, &mut merged.agents),
            (&self.verbs, &mut merged.verbs),
            (&self.discards, &mut merged.discards),
            (&self.issues, &mut merged.issues),
        ] {
            if mine.is_some() {
                theirs.clone_from(mine);
            }
        }
        merged.user_dict.extend(self.user_dict.iter().cloned());
        Ok(merged)
    }

    /// Whether a PETRARCH verb dictionary replaces the shipped one: the event coder then follows
    /// PETRARCH2's conventions where they differ from CAMEO 1.1b3's (see `CodingOptions`).
    pub fn replaces_verbs(&self) -> Result<bool> {
        Ok(self.resolved()?.verbs.is_some())
    }

    /// Every file the settings name, config file included: what coding depends on besides the
    /// shipped data.
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        let args = self.resolved()?;
        let single = [&args.agents, &args.verbs, &args.discards, &args.issues, &self.config];
        Ok(args.actors.iter().chain(single.into_iter().flatten()).chain(&args.user_dict).cloned().collect())
    }

    /// Loads the dictionaries, printing each bad line of the user's files as a diagnostic on
    /// standard error (the rest of each file still loads).
    pub fn load(&self) -> Result<Dictionaries> {
        let args = self.resolved()?;
        let mut sources = DictionarySources::shipped();
        let mut errors = Vec::new();
        if !args.actors.is_empty() {
            sources.clear_actors();
            for path in &args.actors {
                errors.extend(add_file(&mut sources, Format::Actors, path)?);
            }
        }
        let replacements = [
            (&args.agents, Format::Agents),
            (&args.verbs, Format::Verbs),
            (&args.discards, Format::Discards),
            (&args.issues, Format::Issues),
        ];
        for (path, format) in replacements {
            if let Some(path) = path {
                match format {
                    Format::Agents => sources.clear_agents(),
                    Format::Verbs => sources.clear_verbs(),
                    Format::Discards => sources.clear_discards(),
                    _ => sources.clear_issues(),
                }
                errors.extend(add_file(&mut sources, format, path)?);
            }
        }
        for path in &args.user_dict {
            let format = match Format::from_file_name(&path.display().to_string()) {
                Some(Format::UserTsv) => Format::UserTsv,
                _ => Format::Actors,
            };
            errors.extend(add_file(&mut sources, format, path)?);
        }
        for error in errors {
            eprintln!("{}", Diagnostic::from(error));
        }
        Ok(sources.build())
    }
}

/// Reads `key = value` lines; `#` starts a comment.
fn read_config(path: &Path) -> Result<DictionaryArgs> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading config {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut args = DictionaryArgs::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            bail!("{}:{}: expected `key = value`", path.display(), number + 1);
        };
        let value = base.join(value.trim());
        match key.trim() {
            "actors" => args.actors.push(value),
            "agents" => args.agents = Some(value),
            "verbs" => args.verbs = Some(value),
            "discards" => args.discards = Some(value),
            "issues" => args.issues = Some(value),
            "user-dict" | "user_dict" => args.user_dict.push(value),
            other => bail!(
                "{}:{}: unknown setting {other:?} (expected actors, agents, verbs, discards, issues, user-dict)",
                path.display(),
                number + 1
            ),
        }
    }
    Ok(args)
}

/// Reads a dictionary file (UTF-8, or Windows-1252 as old dictionaries are) into `sources`.
fn add_file(sources: &mut DictionarySources, format: Format, path: &Path) -> Result<Vec<annalist::Error>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("reading dictionary {name}"))?;
    let (text, diagnostics) = annalist::article::decode(&bytes, &Location::file(&name));
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
    Ok(sources.add(format, &name, &text))
}

#[derive(Subcommand)]
pub enum DictCommand {
    /// Show the code a name gets on a date, and the dictionary line that gives it.
    Lookup {
        /// A name, or a short description such as "Syrian army".
        name: String,
        /// The date (YYYY-MM-DD); without it, entries give their undated default code.
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        dictionaries: DictionaryArgs,
    },
    /// Validate dictionary files: every bad line is reported with its file and line.
    Check {
        /// The format of all files (otherwise guessed from each file name).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compile the shipped dictionary sources into the embedded form (data/dict/shipped.bin).
    Compile {
        /// Folder holding the sources.
        #[arg(long, default_value = "data/dict")]
        dir: PathBuf,
        /// Output file.
        #[arg(long, default_value = "data/dict/shipped.bin")]
        out: PathBuf,
    },
    /// Print the actor mentions of articles, one line each: sentence, span, code, kind, text.
    Mentions {
        /// Seed-format .txt, .jsonl, .json (optionally .gz), directories, or `-` for standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        dictionaries: DictionaryArgs,
    },
    /// List the most frequent person and organisation names in a corpus that no dictionary codes,
    /// with counts and an example sentence each (named-entity recognition over every article).
    Unknown(crate::ner_cmd::UnknownArgs),
    /// Load the dictionaries, and print how long that took and how many entries they hold.
    Stats {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        dictionaries: DictionaryArgs,
    },
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FormatArg {
    Actors,
    Capitals,
    Agents,
    Verbs,
    Discards,
    Issues,
    Tsv,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Actors => Format::Actors,
            FormatArg::Capitals => Format::Capitals,
            FormatArg::Agents => Format::Agents,
            FormatArg::Verbs => Format::Verbs,
            FormatArg::Discards => Format::Discards,
            FormatArg::Issues => Format::Issues,
            FormatArg::Tsv => Format::UserTsv,
        }
    }
}

pub fn run(command: DictCommand) -> Result<ExitCode> {
    match command {
        DictCommand::Lookup { name, date, dictionaries } => lookup(&name, date.as_deref(), &dictionaries),
        DictCommand::Check { format, files } => check(format.map(Format::from), &files),
        DictCommand::Compile { dir, out } => compile(&dir, &out),
        DictCommand::Stats { json, dictionaries } => stats(json, &dictionaries),
        DictCommand::Mentions { inputs, dictionaries } => mentions(&inputs, &dictionaries),
        DictCommand::Unknown(args) => crate::ner_cmd::unknown(args),
    }
}

fn parse_date(date: Option<&str>) -> Result<Option<Date>> {
    date.map(|d| d.parse::<Date>().map_err(|e| anyhow::anyhow!("--date: {e}"))).transpose()
}

fn lookup(name: &str, date: Option<&str>, args: &DictionaryArgs) -> Result<ExitCode> {
    let date = parse_date(date)?;
    let dictionaries = args.load()?;
    let mut out = std::io::stdout().lock();
    let found = match date {
        Some(date) => dictionaries.actors.lookup(name, date),
        None => dictionaries.actors.lookup_key_undated(&annalist::dict::normalize::phrase_key(name)),
    };
    if let Some(found) = found {
        writeln!(out, "{}", found.code().unwrap_or("(no code on this date)"))?;
        writeln!(out, "  from {}", dictionaries.location(found.provenance()))?;
        writeln!(out, "  entry {} ({})", found.entry.name(), dictionaries.location(found.entry.provenance))?;
        writeln!(out, "  matched {:?}", found.phrase.text)?;
        for rule in &found.entry.codes {
            let when = rule.when.to_string();
            let marker = if Some(rule) == found.rule { "*" } else { " " };
            writeln!(
                out,
                "  {marker} [{}{}{when}] line {}",
                rule.code,
                if when.is_empty() { "" } else { " " },
                rule.line
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(agent) = dictionaries.agents.lookup(name) {
        writeln!(out, "{} (agent)", agent.code)?;
        writeln!(out, "  from {}", dictionaries.location(agent.provenance))?;
        return Ok(ExitCode::SUCCESS);
    }
    // A description ("Syrian army", "President of Russia"): code it as an article would be.
    let sentences = segment(name);
    let coding = code_actors(name, &sentences, date, &dictionaries);
    let whole = coding.mentions.iter().find(|m| m.span.start == 0 && m.span.end as usize == name.trim_end().len());
    if let Some(mention) = whole.filter(|m| m.kind != MentionKind::Agent || m.code.is_some()) {
        writeln!(out, "{}", mention.code.as_deref().unwrap_or("(no code on this date)"))?;
        for provenance in &mention.provenance {
            writeln!(out, "  from {}", dictionaries.location(*provenance))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "(not in the dictionaries)")?;
    for mention in &coding.mentions {
        writeln!(out, "  contains {:?}: {}", &name[mention.span], mention.code.as_deref().unwrap_or("-"))?;
    }
    Ok(ExitCode::FAILURE)
}

fn check(format: Option<Format>, files: &[PathBuf]) -> Result<ExitCode> {
    let mut total = 0;
    for path in files {
        let name = path.display().to_string();
        let Some(format) = format.or_else(|| Format::from_file_name(&name)) else {
            bail!("{name}: cannot tell the format from the name; give --format");
        };
        let mut sources = DictionarySources::default();
        let errors = add_file(&mut sources, format, path)?;
        for error in &errors {
            println!("{}", Diagnostic::from(error.clone()));
        }
        let dictionaries = sources.build();
        println!(
            "{name}: {format:?}, {} errors; {} actor entries ({} phrases), {} agent phrases, {} verb blocks, {} patterns, {} synonym sets, {} discards, {} issue phrases",
            errors.len(),
            dictionaries.actors.entries().len(),
            dictionaries.actors.len(),
            dictionaries.agents.len(),
            dictionaries.verbs.blocks.len(),
            dictionaries.verbs.blocks.iter().map(|b| b.patterns.len()).sum::<usize>(),
            dictionaries.verbs.synsets.len(),
            dictionaries.discards.entries().len(),
            dictionaries.issues.len(),
        );
        total += errors.len();
    }
    Ok(if total == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn compile(dir: &Path, out: &Path) -> Result<ExitCode> {
    let mut texts = Vec::new();
    for (_, name) in SHIPPED_FILES {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        texts.push((format!("data/dict/{name}"), text));
    }
    let borrowed: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let (bytes, errors) = compiled::compile(&borrowed);
    for error in &errors {
        eprintln!("{}", Diagnostic::from(error.clone()));
    }
    if !errors.is_empty() {
        bail!("{} errors in the shipped dictionaries; nothing written", errors.len());
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}

fn mentions(inputs: &[PathBuf], args: &DictionaryArgs) -> Result<ExitCode> {
    let dictionaries = args.load()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    crate::report::for_each_article(inputs, &mut |read| {
        let article = &read.article;
        let sentences = article_sentences(&article.text);
        let coding = code_actors(&article.text, &sentences, article.date, &dictionaries);
        writeln!(out, "# {}", article.id)?;
        write!(out, "{}", annalist::actors::render(&article.text, &coding))?;
        Ok(())
    })
}

fn stats(json: bool, args: &DictionaryArgs) -> Result<ExitCode> {
    // The shipped part alone, in its two steps, then everything `args` asks for.
    let started = Instant::now();
    let sources = DictionarySources::shipped();
    let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = sources.build();
    let shipped_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let dictionaries = args.load()?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let verbs = &dictionaries.verbs;
    let value = serde_json::json!({
        "load_ms": (load_ms * 10.0).round() / 10.0,
        "shipped_decode_ms": (decode_ms * 10.0).round() / 10.0,
        "shipped_load_ms": (shipped_ms * 10.0).round() / 10.0,
        "files": dictionaries.files.len(),
        "actor_entries": dictionaries.actors.entries().len(),
        "actor_phrases": dictionaries.actors.len(),
        "agent_phrases": dictionaries.agents.len(),
        "verb_blocks": verbs.blocks.len(),
        "verbs": verbs.blocks.iter().map(|b| b.verbs.len()).sum::<usize>(),
        "verb_patterns": verbs.blocks.iter().map(|b| b.patterns.len()).sum::<usize>(),
        "synonym_sets": verbs.synsets.len(),
        "transformations": verbs.transformations.len(),
        "discards": dictionaries.discards.entries().len(),
        "issue_phrases": dictionaries.issues.len(),
    });
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{value}")?;
    } else if let Some(map) = value.as_object() {
        for (key, value) in map {
            writeln!(out, "{key:<16} {value}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `annalist eval actors GOLD.jsonl`: for PLOVER gold records, whether the country (first three
/// letters of the code) of each record's source actors is among the actors coded in the sentence.
#[derive(Args)]
pub struct EvalActorsArgs {
    /// PLOVER-style JSON Lines: `text`, `date`, `source: [{actorText, code}]`.
    gold: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// List the records whose source country was not found.
    #[arg(long)]
    misses: bool,
    /// Code every record as of this date (YYYY-MM-DD) instead of its `date` field. The PLOVER gold
    /// records all carry the placeholder 2000-01-01 but were coded in 2016 with the codes of then
    /// (Serbia SRB, not 2000's SCGSRB); `--date 2016-12-19` measures against that.
    #[arg(long)]
    date: Option<String>,
    #[command(flatten)]
    dictionaries: DictionaryArgs,
}

pub fn eval_actors(args: &EvalActorsArgs) -> Result<ExitCode> {
    let dictionaries = args.dictionaries.load()?;
    let fixed_date = parse_date(args.date.as_deref())?;
    let text = std::fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let (mut records, mut found, mut actors, mut actors_found, mut skipped) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}", args.gold.display(), number + 1))?;
        let gold: Vec<String> = match value.get("source") {
            Some(serde_json::Value::Array(sources)) => sources
                .iter()
                .filter_map(|s| s.get("code").and_then(|c| c.as_str()))
                .map(|code| code.chars().take(3).collect::<String>().to_ascii_uppercase())
                .filter(|code| !code.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        if gold.is_empty() {
            // A record without a source actor (e.g. an unattributed bombing) says nothing here.
            skipped += 1;
            continue;
        }
        let sentence = value.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let date =
            fixed_date.or_else(|| value.get("date").and_then(|d| d.as_str()).and_then(|d| d.parse::<Date>().ok()));
        let coding = code_actors(sentence, &segment(sentence), date, &dictionaries);
        let coded: Vec<String> =
            coding.mentions.iter().filter_map(|m| m.code.as_deref()).map(|c| c.chars().take(3).collect()).collect();
        records += 1;
        let hits = gold.iter().filter(|country| coded.contains(country)).count();
        actors += gold.len();
        actors_found += hits;
        if hits == gold.len() {
            found += 1;
        } else {
            let id = value.get("id").and_then(|i| i.as_str()).unwrap_or("?");
            misses.push(format!("{id}: gold {gold:?}, coded {coded:?}: {sentence}"));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "records": records,
            "skipped_no_source": skipped,
            "source_country_found": ratio(found, records),
            "source_actors": actors,
            "source_actor_country_found": ratio(actors_found, actors),
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{} ({records} records with a source actor, {skipped} without)", args.gold.display())?;
        writeln!(
            out,
            "records whose every source country is found: {found}/{records} = {:.1}%",
            100.0 * ratio(found, records)
        )?;
        writeln!(
            out,
            "source actors whose country is found:        {actors_found}/{actors} = {:.1}%",
            100.0 * ratio(actors_found, actors)
        )?;
    }
    if args.misses {
        for miss in misses {
            writeln!(out, "miss {miss}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
