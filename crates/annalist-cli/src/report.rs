//! Commands that read articles and print one record per article.

use crate::input;
use annalist::article::ReadArticle;
use annalist::segment::segment as split;
use annalist::{Diagnostic, Sentence, Severity};
use anyhow::Result;
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `each` over every article of `inputs`, printing diagnostics to standard error as they come.
/// The exit status is 1 when some input could not be read at all, 0 otherwise.
pub fn for_each_article(inputs: &[PathBuf], each: &mut dyn FnMut(ReadArticle) -> Result<()>) -> Result<ExitCode> {
    let mut failed = false;
    let mut report = |diagnostic: Diagnostic| {
        failed |= diagnostic.severity == Severity::Error;
        eprintln!("{diagnostic}");
    };
    let sources = input::expand(inputs, &mut report);
    let mut result = Ok(());
    for source in &sources {
        input::read(
            source,
            &mut |read| {
                for diagnostic in &read.diagnostics {
                    eprintln!("{diagnostic}");
                }
                if result.is_ok() {
                    result = each(read);
                }
            },
            &mut report,
        );
        std::mem::replace(&mut result, Ok(()))?;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

#[derive(Serialize)]
struct SegmentedArticle<'a> {
    id: &'a str,
    date: Option<annalist::Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    /// Input fields annalist does not know, passed through.
    #[serde(flatten)]
    extra: &'a serde_json::Map<String, serde_json::Value>,
    sentences: Vec<SentenceRecord<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct SentenceRecord<'a> {
    span: annalist::Span,
    text: &'a str,
    paragraph: u32,
    tokens: Vec<TokenRecord<'a>>,
}

#[derive(Serialize)]
struct TokenRecord<'a> {
    text: &'a str,
    span: annalist::Span,
    kind: annalist::TokenKind,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    clitic: bool,
}

/// `annalist segment`: sentences and tokens as JSON Lines or CoNLL-U.
pub fn segment(inputs: &[PathBuf], conllu: bool) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let status = for_each_article(inputs, &mut |read| {
        let article = &read.article;
        let sentences = split(&article.text);
        if conllu {
            write_conllu(&mut out, &article.id, &article.text, &sentences)?;
        } else {
            let text = article.text.as_str();
            let record = SegmentedArticle {
                id: &article.id,
                date: article.date,
                title: article.title.as_deref(),
                source: article.source.as_deref(),
                url: article.url.as_deref(),
                extra: &article.extra,
                sentences: sentences
                    .iter()
                    .map(|sentence| SentenceRecord {
                        span: sentence.span,
                        text: &text[sentence.span],
                        paragraph: sentence.paragraph,
                        tokens: sentence
                            .tokens
                            .iter()
                            .map(|token| TokenRecord {
                                text: &text[token.span],
                                span: token.span,
                                kind: token.kind,
                                clitic: token.clitic,
                            })
                            .collect(),
                    })
                    .collect(),
                diagnostics: &read.diagnostics,
            };
            serde_json::to_writer(&mut out, &record)?;
            writeln!(out)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(status)
}

/// Writes sentences as CoNLL-U with columns 3-8 empty: ID, FORM, and MISC with `SpaceAfter=No`;
/// contractions get a multiword token line over their words.
pub fn write_conllu(out: &mut dyn Write, id: &str, text: &str, sentences: &[Sentence]) -> Result<()> {
    writeln!(out, "# newdoc id = {id}")?;
    let mut paragraph = None;
    for (idx, sentence) in sentences.iter().enumerate() {
        if paragraph != Some(sentence.paragraph) {
            writeln!(out, "# newpar")?;
            paragraph = Some(sentence.paragraph);
        }
        writeln!(out, "# sent_id = {id}-{}", idx + 1)?;
        writeln!(out, "# text = {}", one_line(&text[sentence.span]))?;
        for (row, token) in sentence.tokens.iter().enumerate() {
            let space_after =
                |end: u32| text[end as usize..].starts_with(char::is_whitespace) || end as usize == text.len();
            if !token.clitic {
                let n_clitics = sentence.tokens[row + 1..].iter().take_while(|t| t.clitic).count();
                if n_clitics > 0 {
                    let last = &sentence.tokens[row + n_clitics];
                    let misc = if space_after(last.span.end) { "_" } else { "SpaceAfter=No" };
                    writeln!(
                        out,
                        "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{misc}",
                        row + 1,
                        row + 1 + n_clitics,
                        &text[token.span.cover(last.span)]
                    )?;
                }
            }
            let in_multiword = token.clitic || sentence.tokens.get(row + 1).is_some_and(|t| t.clitic);
            let misc = if in_multiword || space_after(token.span.end) { "_" } else { "SpaceAfter=No" };
            writeln!(out, "{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{misc}", row + 1, &text[token.span])?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table of precision, recall and F1 (in percent) with the system and gold counts, one row per
/// name, the names `width` characters wide.
pub fn write_counts_table(out: &mut dyn Write, width: usize, rows: &[(&str, annalist::eval::Counts)]) -> Result<()> {
    writeln!(out, "{:<width$} {:>9} {:>9} {:>9} {:>8} {:>8}", "", "precision", "recall", "F1", "system", "gold")?;
    for (name, counts) in rows {
        writeln!(
            out,
            "{name:<width$} {:>9.2} {:>9.2} {:>9.2} {:>8} {:>8}",
            100.0 * counts.precision(),
            100.0 * counts.recall(),
            100.0 * counts.f1(),
            counts.system,
            counts.gold
        )?;
    }
    Ok(())
}
