//! `annalist eval timeline` (time anchoring against MEANTIME) and `annalist eval quotes`
//! (attributions against PolNeAR): the context of events, when they happened and who said what.

use annalist::eval::quotes::{self, parse_brat, QuoteDocument};
use annalist::eval::timeline::{self, TimelineCluster, TimelineDocument};
use annalist::pipeline::Pipeline;
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalTimelineArgs {
    /// A folder with `documents.jsonl` and `clusters.json` (the MEANTIME event-coreference layout).
    pub dir: PathBuf,
    /// Print one JSON object instead of a report.
    #[arg(long)]
    pub json: bool,
    /// List every scored mention with the gold date and the anchored one.
    #[arg(long)]
    pub verbose: bool,
    /// Score the baseline instead: every mention dated with its document's date.
    #[arg(long)]
    pub article_dates: bool,
}

/// `annalist eval timeline`: the share of dated gold mentions whose clause annalist anchors to the
/// gold date, at the gold's precision.
pub fn eval_timeline(args: EvalTimelineArgs) -> Result<ExitCode> {
    let documents: Vec<TimelineDocument> = read_json_lines(&args.dir.join("documents.jsonl"))?;
    let clusters_path = args.dir.join("clusters.json");
    let clusters: Vec<TimelineCluster> = serde_json::from_str(
        &std::fs::read_to_string(&clusters_path).with_context(|| format!("reading {}", clusters_path.display()))?,
    )
    .with_context(|| format!("{}: not a list of clusters", clusters_path.display()))?;
    let pipeline = Pipeline::shipped()?;
    let mut out = std::io::stdout().lock();
    let mut listed = Vec::new();
    let scores =
        timeline::evaluate(&pipeline, &documents, &clusters, args.article_dates, &mut |mention| listed.push(mention));
    if args.verbose {
        for m in &listed {
            writeln!(
                out,
                "{} {} {:?}: gold {} anchored {} ({})\n    {}",
                if m.correct { "ok  " } else { "MISS" },
                m.doc_id,
                m.text,
                m.gold,
                m.anchored.as_deref().unwrap_or("-"),
                m.basis.unwrap_or("-"),
                m.context
            )?;
        }
    }
    let ratio = |(correct, n): (usize, usize)| if n == 0 { 0.0 } else { correct as f64 / n as f64 };
    if args.json {
        let mut value = serde_json::json!({
            "accuracy": scores.accuracy(),
            "n": scores.n,
            "undated": scores.undated,
            "unresolved": scores.unresolved,
        });
        for (precision, counts) in &scores.by_precision {
            value[precision] = serde_json::json!({ "accuracy": ratio(*counts), "n": counts.1 });
        }
        writeln!(out, "{value}")?;
    } else {
        writeln!(
            out,
            "{} ({} dated gold mentions; {} undated left out; {} not found)",
            args.dir.display(),
            scores.n,
            scores.undated,
            scores.unresolved
        )?;
        writeln!(out, "anchoring accuracy {:.1}%", 100.0 * scores.accuracy())?;
        writeln!(out, "{:<12} {:>7} {:>9}", "precision", "n", "accuracy")?;
        for (precision, counts) in &scores.by_precision {
            writeln!(out, "{:<12} {:>7} {:>8.1}%", precision, counts.1, 100.0 * ratio(*counts))?;
        }
        writeln!(out, "{:<12} {:>7} {:>9}", "anchored by", "n", "accuracy")?;
        for (basis, counts) in &scores.by_basis {
            writeln!(out, "{:<12} {:>7} {:>8.1}%", basis, counts.1, 100.0 * ratio(*counts))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_json_lines<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line).with_context(|| format!("{}:{}: not a record", path.display(), number + 1))
        })
        .collect()
}

#[derive(Args)]
pub struct EvalQuotesArgs {
    /// A folder in PolNeAR's layout: `text/NAME.txt` and `attributions/NAME_ANNOTATOR.ann` (brat
    /// standoff). Where several annotators annotated a text, the first file in name order is used.
    pub dir: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `annalist eval quotes`: sources, cues and contents of attributions against brat gold.
pub fn eval_quotes(args: EvalQuotesArgs) -> Result<ExitCode> {
    let documents = read_brat_dir(&args.dir)?;
    let pipeline = Pipeline::shipped()?;
    let scores = quotes::evaluate(&pipeline, &documents);
    let mut out = std::io::stdout().lock();
    let rows = [
        ("source", scores.source, scores.source_overlap),
        ("cue", scores.cue, scores.cue_overlap),
        ("content", scores.content, scores.content_overlap),
    ];
    if args.json {
        let mut value = serde_json::json!({ "documents": scores.documents });
        for (role, exact, overlap) in rows {
            value[format!("{role}_f1")] = serde_json::json!(exact.f1());
            value[format!("{role}_precision")] = serde_json::json!(exact.precision());
            value[format!("{role}_recall")] = serde_json::json!(exact.recall());
            value[format!("{role}_overlap_f1")] = serde_json::json!(overlap.f1());
            value[format!("{role}_overlap_precision")] = serde_json::json!(overlap.precision());
            value[format!("{role}_overlap_recall")] = serde_json::json!(overlap.recall());
        }
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{} ({} documents)", args.dir.display(), scores.documents)?;
        writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}   {:>6} {:>6}",
            "", "exact", "", "", "overlap", "", "", "gold", "system"
        )?;
        writeln!(out, "{:<8} {:>6} {:>6} {:>6}   {:>6} {:>6} {:>6}", "role", "P", "R", "F1", "P", "R", "F1")?;
        for (role, exact, overlap) in rows {
            writeln!(
                out,
                "{:<8} {:>6.3} {:>6.3} {:>6.3}   {:>6.3} {:>6.3} {:>6.3}   {:>6} {:>6}",
                role,
                exact.precision(),
                exact.recall(),
                exact.f1(),
                overlap.precision(),
                overlap.recall(),
                overlap.f1(),
                exact.gold,
                exact.system
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The documents of a PolNeAR-style folder with their gold attributions; the date is the one in
/// the file name (`publisher_2016-09-12_slug`).
fn read_brat_dir(dir: &Path) -> Result<Vec<QuoteDocument>> {
    let annotations = dir.join("attributions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&annotations)
        .with_context(|| format!("reading {}", annotations.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "ann"))
        .collect();
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    let mut documents = Vec::new();
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        // `NAME_ANNOTATOR`: the annotator's id after the last underscore.
        let name = stem.rsplit_once('_').map_or(stem.as_str(), |(name, _)| name).to_string();
        if !seen.insert(name.clone()) {
            continue;
        }
        let text_path = dir.join("text").join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&text_path).with_context(|| format!("reading {}", text_path.display()))?;
        let ann = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let date = name.split('_').nth(1).and_then(|d| d.parse().ok());
        let gold = parse_brat(&ann, &text);
        documents.push(QuoteDocument { id: name, date, text, gold });
    }
    Ok(documents)
}
