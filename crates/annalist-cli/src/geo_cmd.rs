//! `annalist eval geo`: toponyms and their coordinates against GeoVirus.

use annalist::eval::geo::{evaluate, parse_geovirus};
use annalist::pipeline::Pipeline;
use anyhow::{anyhow, Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalGeoArgs {
    /// GeoVirus' XML (`<article>`s with `<text>` and `<location>`s).
    pub file: PathBuf,
    /// Print one JSON object instead of a report.
    #[arg(long)]
    pub json: bool,
}

/// `annalist eval geo`: recall and precision of place entities, share within 161 km, mean error
/// and country accuracy.
pub fn eval_geo(args: EvalGeoArgs) -> Result<ExitCode> {
    let xml = std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let (documents, unaligned) = parse_geovirus(&xml).map_err(|e| anyhow!("{}: {e}", args.file.display()))?;
    let pipeline = Pipeline::shipped()?;
    let mut scores = evaluate(&pipeline, &documents);
    scores.unaligned = unaligned;
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "documents": scores.documents,
            "gold": scores.gold,
            "unaligned": scores.unaligned,
            "recall": scores.recall(),
            "precision": scores.precision(),
            "acc161": scores.acc161(),
            "mean_km": scores.mean_km(),
            "country_acc": scores.country_acc(),
            "acc161_by_precision": scores.acc161_by_precision().map(|(precision, n, _, acc161)| {
                (precision.to_string(), serde_json::json!({ "n": n, "acc161": acc161 }))
            }).collect::<serde_json::Map<_, _>>(),
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(
            out,
            "{} ({} documents, {} gold toponyms, {} not at their offsets and left out)",
            args.file.display(),
            scores.documents,
            scores.gold,
            scores.unaligned
        )?;
        writeln!(out, "recall      {:.3} ({} of {} found)", scores.recall(), scores.found, scores.gold)?;
        writeln!(
            out,
            "precision   {:.3} ({} of {} place entities)",
            scores.precision(),
            scores.system_correct,
            scores.system
        )?;
        writeln!(
            out,
            "acc161      {:.3} ({} of {} found within 161 km)",
            scores.acc161(),
            scores.within_161,
            scores.found
        )?;
        for (precision, n, within, acc161) in scores.acc161_by_precision() {
            writeln!(out, "  {precision:<9} {acc161:.3} ({within} of {n})")?;
        }
        writeln!(out, "mean error  {:.0} km", scores.mean_km())?;
        writeln!(
            out,
            "country     {:.3} ({} of {})",
            scores.country_acc(),
            scores.country_correct,
            scores.country_gold
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
