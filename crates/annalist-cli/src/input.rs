//! Reading articles from files, directories, gzip and standard input, in bounded memory.
//!
//! Every article found is handed to a callback as soon as it is read, so a corpus of any size
//! streams through. Whatever cannot be read becomes a diagnostic and the batch goes on.

use annalist::article::{self, ReadArticle, MAX_ARTICLE_BYTES};
use annalist::{Diagnostic, Location};
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// What a file holds, judged by its extension (after any `.gz`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Seed,
    JsonLines,
    Json,
}

fn format_of(name: &str) -> Option<Format> {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let extension = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("txt") => Some(Format::Seed),
        Some("jsonl") | Some("ndjson") => Some(Format::JsonLines),
        Some("json") => Some(Format::Json),
        _ => None,
    }
}

/// An input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// Expands the command-line inputs: `-` is standard input, a directory stands for its `.txt`,
/// `.jsonl`, `.json` files (and their `.gz`) at any depth, in sorted order so runs are repeatable.
pub fn expand(inputs: &[PathBuf], on_diagnostic: &mut dyn FnMut(Diagnostic)) -> Vec<Source> {
    let mut sources = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if input.is_dir() {
            walk(input, &mut sources, on_diagnostic);
        } else {
            // A missing or unreadable file is reported when it is opened.
            sources.push(Source::File(input.clone()));
        }
    }
    sources
}

fn walk(dir: &Path, sources: &mut Vec<Source>, on_diagnostic: &mut dyn FnMut(Diagnostic)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            on_diagnostic(Diagnostic::error(
                "unreadable",
                Location::file(dir.display().to_string()),
                format!("cannot list directory: {error}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, sources, on_diagnostic);
        } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|name| format_of(name).is_some()) {
            sources.push(Source::File(path));
        }
    }
}

/// Reads every article of `source`, calling `on_article` for each and `on_diagnostic` for what
/// could not be read at all.
pub fn read(source: &Source, on_article: &mut dyn FnMut(ReadArticle), on_diagnostic: &mut dyn FnMut(Diagnostic)) {
    let (name, reader): (String, io::Result<Box<dyn Read>>) = match source {
        Source::Stdin => ("<stdin>".to_string(), Ok(Box::new(io::stdin().lock()))),
        Source::File(path) => {
            let name = path.display().to_string();
            let file = File::open(path).map(|file| Box::new(file) as Box<dyn Read>);
            (name, file)
        }
    };
    match reader {
        Ok(reader) => read_stream(&name, reader, on_article, on_diagnostic),
        Err(error) => {
            on_diagnostic(Diagnostic::error("unreadable", Location::file(&name), format!("cannot open: {error}")))
        }
    }
}

/// Reads articles from a stream named `name`: gzip is recognized by its magic bytes, the format by
/// the name's extension, or for standard input by the first non-blank byte (`{` means JSON Lines).
pub fn read_stream(
    name: &str,
    reader: Box<dyn Read + '_>,
    on_article: &mut dyn FnMut(ReadArticle),
    on_diagnostic: &mut dyn FnMut(Diagnostic),
) {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let is_gzip = match buffered.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(error) => {
            on_diagnostic(Diagnostic::error("unreadable", Location::file(name), format!("cannot read: {error}")));
            return;
        }
    };
    let mut reader: Box<dyn BufRead + '_> = if is_gzip {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(buffered)))
    } else {
        Box::new(buffered)
    };
    let format = match format_of(name) {
        Some(format) => format,
        None => match reader.fill_buf() {
            Ok(head) if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Format::JsonLines,
            Ok(_) => Format::Seed,
            Err(error) => {
                on_diagnostic(Diagnostic::error("unreadable", Location::file(name), format!("cannot read: {error}")));
                return;
            }
        },
    };
    match format {
        Format::JsonLines => read_json_lines(name, reader, on_article, on_diagnostic),
        Format::Seed | Format::Json => {
            let location = Location::file(name);
            let bytes = match read_bounded(&mut reader, MAX_ARTICLE_BYTES) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    on_diagnostic(Diagnostic::error(
                        "too-large",
                        location,
                        format!("file is larger than {} MiB; skipped", MAX_ARTICLE_BYTES >> 20),
                    ));
                    return;
                }
                Err(error) => {
                    on_diagnostic(Diagnostic::error("unreadable", location, format!("cannot read: {error}")));
                    return;
                }
            };
            if bytes.iter().all(u8::is_ascii_whitespace) {
                on_diagnostic(Diagnostic::error("empty-file", location, "the file is empty"));
                return;
            }
            let (text, mut decode_diagnostics) = article::decode(&bytes, &location);
            if format == Format::Seed {
                let mut read = article::read_seed(name, &text, &location);
                for diagnostic in &mut decode_diagnostics {
                    diagnostic.location.article = Some(read.article.id.clone());
                }
                decode_diagnostics.append(&mut read.diagnostics);
                read.diagnostics = decode_diagnostics;
                on_article(read);
            } else {
                decode_diagnostics.into_iter().for_each(&mut *on_diagnostic);
                for result in article::read_json_document(&text, &location) {
                    match result {
                        Ok(read) => on_article(read),
                        Err(diagnostic) => on_diagnostic(diagnostic),
                    }
                }
            }
        }
    }
}

/// Reads all of `reader` if it holds at most `limit` bytes; `None` if it holds more.
fn read_bounded(reader: &mut dyn BufRead, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

fn read_json_lines(
    name: &str,
    mut reader: Box<dyn BufRead + '_>,
    on_article: &mut dyn FnMut(ReadArticle),
    on_diagnostic: &mut dyn FnMut(Diagnostic),
) {
    let mut line = Vec::new();
    let mut line_no = 0u64;
    let mut n_records = 0usize;
    loop {
        line_no += 1;
        let location = Location::line(name, line_no);
        match read_line_bounded(&mut reader, &mut line, MAX_ARTICLE_BYTES) {
            Ok(LineRead::End) => break,
            Ok(LineRead::TooLong(len)) => {
                n_records += 1;
                on_diagnostic(Diagnostic::error(
                    "too-large",
                    location,
                    format!("line of {len} bytes exceeds {} MiB; record skipped", MAX_ARTICLE_BYTES >> 20),
                ));
            }
            Ok(LineRead::Line) => {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                n_records += 1;
                let (text, decode_diagnostics) = article::decode(&line, &location);
                match article::read_json_line(&text, &location) {
                    Ok(mut read) => {
                        let mut diagnostics = decode_diagnostics;
                        for diagnostic in &mut diagnostics {
                            diagnostic.location.article = Some(read.article.id.clone());
                        }
                        diagnostics.append(&mut read.diagnostics);
                        read.diagnostics = diagnostics;
                        on_article(read);
                    }
                    Err(diagnostic) => on_diagnostic(diagnostic),
                }
            }
            Err(error) => {
                on_diagnostic(Diagnostic::error(
                    "unreadable",
                    location,
                    format!("read error: {error}; rest of file skipped"),
                ));
                return;
            }
        }
    }
    if n_records == 0 {
        on_diagnostic(Diagnostic::error("empty-file", Location::file(name), "the file holds no records"));
    }
}

enum LineRead {
    Line,
    /// The line was longer than the limit; it was read through and discarded. Holds its length.
    TooLong(u64),
    End,
}

/// Reads one line into `line` (without its `\n`), keeping at most `limit` bytes in memory: a longer
/// line is consumed and dropped, so a single 200 MB line costs no more memory than the limit.
fn read_line_bounded(reader: &mut dyn BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<LineRead> {
    line.clear();
    let mut total = 0u64;
    let mut too_long = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            if total == 0 {
                return Ok(LineRead::End);
            }
            break;
        }
        let (chunk, found_newline) = match memchr_newline(buffer) {
            Some(pos) => (&buffer[..pos], true),
            None => (buffer, false),
        };
        total += chunk.len() as u64;
        if !too_long && line.len() + chunk.len() > limit {
            too_long = true;
            line.clear();
            line.shrink_to(1 << 16);
        }
        if !too_long {
            line.extend_from_slice(chunk);
        }
        let consumed = chunk.len() + usize::from(found_newline);
        reader.consume(consumed);
        if found_newline {
            total += 1;
            break;
        }
    }
    if too_long {
        return Ok(LineRead::TooLong(total));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(LineRead::Line)
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(name: &str, bytes: Vec<u8>) -> (Vec<ReadArticle>, Vec<Diagnostic>) {
        let (mut articles, mut diagnostics) = (Vec::new(), Vec::new());
        read_stream(name, Box::new(io::Cursor::new(bytes)), &mut |a| articles.push(a), &mut |d| diagnostics.push(d));
        (articles, diagnostics)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
        diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn json_lines_go_on_after_a_bad_line() {
        let input = b"{\"id\":\"a\",\"date\":\"2026-01-01\",\"text\":\"One.\"}\n{broken\n\n{\"id\":\"c\",\"date\":\"2026-01-03\",\"text\":\"Three.\"}\r\n".to_vec();
        let (articles, diagnostics) = read_all("x.jsonl", input);
        let ids: Vec<_> = articles.iter().map(|a| a.article.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(codes(&diagnostics), ["bad-json"]);
        assert_eq!(diagnostics[0].location.line, Some(2));
    }

    #[test]
    fn gzip_is_recognized_by_content() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b" date 2026-01-28 Putin spoke.").unwrap();
        let (articles, diagnostics) = read_all("dir/2026-01-28-x.txt.gz", encoder.finish().unwrap());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(articles[0].article.id, "2026-01-28-x");
        assert_eq!(articles[0].article.text, "Putin spoke.");
    }

    #[test]
    fn standard_input_format_is_sniffed() {
        let (articles, _) = read_all("<stdin>", b"  {\"id\":\"j\",\"date\":\"2026-01-01\",\"text\":\"x\"}\n".to_vec());
        assert_eq!(articles[0].article.id, "j");
        let (articles, _) = read_all("<stdin>", b"date 2026-01-01\nx".to_vec());
        assert_eq!(articles[0].article.date.unwrap().to_string(), "2026-01-01");
    }

    #[test]
    fn empty_files_and_invalid_utf8() {
        let (articles, diagnostics) = read_all("e.txt", Vec::new());
        assert!(articles.is_empty());
        assert_eq!(codes(&diagnostics), ["empty-file"]);
        let (_, diagnostics) = read_all("e.jsonl", b"\n\n".to_vec());
        assert_eq!(codes(&diagnostics), ["empty-file"]);
        let (articles, diagnostics) =
            read_all("l.jsonl", b"{\"id\":\"b\",\"date\":\"2005-01-01\",\"text\":\"caf\xe9\"}".to_vec());
        assert!(diagnostics.is_empty());
        assert_eq!(articles[0].article.text, "café");
        assert_eq!(codes(&articles[0].diagnostics), ["invalid-utf8"]);
        assert_eq!(articles[0].diagnostics[0].location.article.as_deref(), Some("b"));
    }

    #[test]
    fn nul_bytes_in_seed_files() {
        let (articles, _) = read_all("n.txt", b"date 2026-01-01\nA\0B.".to_vec());
        assert_eq!(articles[0].article.text, "A B.");
        assert_eq!(codes(&articles[0].diagnostics), ["nul-bytes"]);
    }

    /// A reader that produces a 200 MB line without ever holding it, then a good record.
    struct HugeLine {
        remaining: u64,
        tail: io::Cursor<&'static [u8]>,
    }

    impl Read for HugeLine {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.remaining > 0 {
                let n = (buf.len() as u64).min(self.remaining) as usize;
                buf[..n].fill(b'x');
                self.remaining -= n as u64;
                return Ok(n);
            }
            self.tail.read(buf)
        }
    }

    #[test]
    fn a_200_mb_line_is_skipped_in_bounded_memory() {
        let huge = HugeLine {
            remaining: 200 << 20,
            tail: io::Cursor::new(b"\n{\"id\":\"ok\",\"date\":\"2026-01-01\",\"text\":\"Fine.\"}\n"),
        };
        let (mut articles, mut diagnostics) = (Vec::new(), Vec::new());
        read_stream("big.jsonl", Box::new(huge), &mut |a| articles.push(a), &mut |d| diagnostics.push(d));
        assert_eq!(codes(&diagnostics), ["too-large"]);
        assert_eq!(diagnostics[0].location.line, Some(1));
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].article.id, "ok");
    }
}
