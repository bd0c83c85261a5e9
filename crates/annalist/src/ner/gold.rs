//! Reading annotated named entities: Universal NER's IOB2 files and CoNLL-2003 files, with the
//! repairs the first Universal NER release needs.
//!
//! - **IOB2** (Universal NER): `# comment` lines, then one word per line as `INDEX<TAB>WORD<TAB>TAG`
//!   with optional annotator columns after; a blank line ends a sentence. Tags are `O`, `B-X`,
//!   `I-X` with X one of `PER`, `ORG`, `LOC`, `OTH`.
//! - **CoNLL-2003**: `WORD POS CHUNK TAG` separated by spaces, `-DOCSTART-` lines between
//!   documents, IOB1 or IOB2 tags with `MISC` for other names.
//!
//! Repairs, each counted in [`Repairs`] so that a file's noise is visible:
//! - `B-O` (stray in the first Universal NER release: 540 in train, 318 in dev, none in test,
//!   nearly all on punctuation and sentence-initial words) means `O`, except right before an
//!   `I-X`, where it is the `B-X` whose type was lost (dev: "Kay/B-O Mann/I-PER").
//! - An `I-X` that does not continue an `X` (after `O` or another type) begins a new `X`, as
//!   conlleval reads it; this is also how IOB1 files become IOB2.
//! - `MISC` is `OTH`, and `GPE` (geo-political entity) and `FAC` are `LOC`, so that other
//!   annotation schemes score by the same four types. Any other tag is `O`, counted as unknown.

use super::EntityKind;
use crate::error::{Error, ErrorKind, Location, Result};

/// A begin-inside-outside label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bio {
    O,
    /// The first word of an entity.
    B(EntityKind),
    /// A later word of an entity.
    I(EntityKind),
}

impl Bio {
    /// Whether this label may follow `previous` in a well-formed IOB2 sequence.
    pub fn may_follow(self, previous: Bio) -> bool {
        match self {
            Bio::I(kind) => matches!(previous, Bio::B(k) | Bio::I(k) if k == kind),
            _ => true,
        }
    }

    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Bio::O => None,
            Bio::B(kind) | Bio::I(kind) => Some(kind),
        }
    }
}

impl std::fmt::Display for Bio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bio::O => write!(f, "O"),
            Bio::B(kind) => write!(f, "B-{}", kind.as_str()),
            Bio::I(kind) => write!(f, "I-{}", kind.as_str()),
        }
    }
}

/// The entities of a label sequence as `(first word, last word + 1, kind)`, read as conlleval
/// reads them: an `I-X` that does not continue an `X` starts one.
pub fn chunks(labels: &[Bio]) -> Vec<(usize, usize, EntityKind)> {
    let mut chunks = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (idx, &label) in labels.iter().enumerate() {
        let continues = matches!((label, open), (Bio::I(kind), Some((_, k))) if kind == k);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            chunks.push((start, idx, kind));
        }
        open = label.kind().map(|kind| (idx, kind));
    }
    if let Some((start, kind)) = open {
        chunks.push((start, labels.len(), kind));
    }
    chunks
}

/// An annotated sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSentence {
    pub words: Vec<String>,
    /// One label per word, well-formed IOB2 after the repairs.
    pub labels: Vec<Bio>,
    /// The 1-based line of its first word, for messages.
    pub line: u64,
    /// Whether it starts a document (`# newdoc` in IOB2, `-DOCSTART-` in CoNLL-2003): the
    /// recognizer looks at the other sentences of a document.
    pub newdoc: bool,
}

/// The documents of a list of sentences, as index ranges (a file without document marks is one
/// document).
pub fn documents(sentences: &[GoldSentence]) -> Vec<std::ops::Range<usize>> {
    let mut documents = Vec::new();
    let mut start = 0;
    for (idx, sentence) in sentences.iter().enumerate() {
        if sentence.newdoc && idx > start {
            documents.push(start..idx);
            start = idx;
        }
    }
    if start < sentences.len() {
        documents.push(start..sentences.len());
    }
    documents
}

/// The file formats [`parse`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoldFormat {
    Iob2,
    Conll2003,
}

/// How many labels each repair changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Repairs {
    /// `B-O` read as `O`.
    pub stray_b_o: usize,
    /// `B-O` before `I-X` read as `B-X`.
    pub untyped_begin: usize,
    /// `I-X` that did not continue an `X`, read as `B-X`.
    pub orphan_inside: usize,
    /// Tags of no known type, read as `O`.
    pub unknown: usize,
}

impl Repairs {
    pub fn total(&self) -> usize {
        self.stray_b_o + self.untyped_begin + self.orphan_inside + self.unknown
    }
}

/// Reads annotated sentences from the text of a file; `file` names it in errors. A line that is
/// not a word line (too few columns) is an error naming the line.
pub fn parse(text: &str, format: GoldFormat, file: &str) -> Result<(Vec<GoldSentence>, Repairs)> {
    let mut sentences = Vec::new();
    let mut repairs = Repairs::default();
    let mut words: Vec<String> = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    let mut first_line = 0;
    let mut newdoc = false;
    let mut finish =
        |words: &mut Vec<String>, tags: &mut Vec<&str>, line: u64, newdoc: &mut bool, repairs: &mut Repairs| {
            if !words.is_empty() {
                let labels = repair(tags, repairs);
                sentences.push(GoldSentence { words: std::mem::take(words), labels, line, newdoc: *newdoc });
                *newdoc = false;
            }
            tags.clear();
        };
    for (idx, line) in text.lines().enumerate() {
        let number = idx as u64 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            finish(&mut words, &mut tags, first_line, &mut newdoc, &mut repairs);
            continue;
        }
        let columns: Vec<&str> = match format {
            GoldFormat::Iob2 => {
                if line.starts_with('#') {
                    newdoc |= line.trim_start_matches(['#', ' ']).starts_with("newdoc");
                    continue;
                }
                line.split('\t').collect()
            }
            GoldFormat::Conll2003 => {
                if line.starts_with("-DOCSTART-") {
                    finish(&mut words, &mut tags, first_line, &mut newdoc, &mut repairs);
                    newdoc = true;
                    continue;
                }
                line.split_whitespace().collect()
            }
        };
        let (word, tag) = match format {
            GoldFormat::Iob2 if columns.len() >= 3 => (columns[1], columns[2]),
            GoldFormat::Conll2003 if columns.len() >= 2 => (columns[0], columns[columns.len() - 1]),
            _ => {
                let expected = match format {
                    GoldFormat::Iob2 => "INDEX<TAB>WORD<TAB>TAG",
                    GoldFormat::Conll2003 => "WORD POS CHUNK TAG",
                };
                return Err(Error::new(
                    ErrorKind::Input,
                    Location::line(file, number),
                    format!("expected {expected}, found {line:?}"),
                ));
            }
        };
        if words.is_empty() {
            first_line = number;
        }
        words.push(word.to_string());
        tags.push(tag.trim());
    }
    finish(&mut words, &mut tags, first_line, &mut newdoc, &mut repairs);
    Ok((sentences, repairs))
}

/// Tags to well-formed IOB2 labels (see the module's repairs).
fn repair(tags: &[&str], repairs: &mut Repairs) -> Vec<Bio> {
    let raw: Vec<Option<(char, Option<EntityKind>)>> = tags.iter().map(|tag| read_tag(tag)).collect();
    let mut labels = Vec::with_capacity(tags.len());
    let mut previous = Bio::O;
    for (idx, tag) in raw.iter().enumerate() {
        let label = match *tag {
            None => {
                repairs.unknown += 1;
                Bio::O
            }
            Some(('O', _)) => Bio::O,
            Some(('B', None)) => match raw.get(idx + 1) {
                Some(Some(('I', Some(kind)))) => {
                    repairs.untyped_begin += 1;
                    Bio::B(*kind)
                }
                _ => {
                    repairs.stray_b_o += 1;
                    Bio::O
                }
            },
            Some(('B', Some(kind))) => Bio::B(kind),
            Some((_, Some(kind))) => {
                let label = Bio::I(kind);
                if label.may_follow(previous) {
                    label
                } else {
                    repairs.orphan_inside += 1;
                    Bio::B(kind)
                }
            }
            Some((_, None)) => {
                repairs.stray_b_o += 1;
                Bio::O
            }
        };
        labels.push(label);
        previous = label;
    }
    labels
}

/// `O`, `B-PER`, `I-MISC`, `B-O`: the prefix letter and the kind (`None` for `-O`); `None` for a
/// tag that cannot be read.
fn read_tag(tag: &str) -> Option<(char, Option<EntityKind>)> {
    if tag == "O" || tag == "_" || tag == "-" {
        return Some(('O', None));
    }
    let (prefix, kind) = tag.split_once('-')?;
    let prefix = match prefix {
        "B" | "S" => 'B',
        "I" | "E" => 'I',
        _ => return None,
    };
    let kind = match kind {
        "O" => None,
        "PER" | "PERSON" => Some(EntityKind::Per),
        "ORG" => Some(EntityKind::Org),
        "LOC" | "GPE" | "FAC" => Some(EntityKind::Loc),
        "OTH" | "MISC" => Some(EntityKind::Oth),
        _ => return None,
    };
    Some((prefix, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses one IOB2 sentence given as `word/TAG` pairs and renders its repaired labels.
    fn check(tagged: &str, expect: &str, expect_repairs: usize) {
        let text: String = tagged
            .split(' ')
            .enumerate()
            .map(|(idx, pair)| {
                let (word, tag) = pair.rsplit_once('/').unwrap();
                format!("{}\t{word}\t{tag}\n", idx + 1)
            })
            .collect();
        let (sentences, repairs) = parse(&text, GoldFormat::Iob2, "test").unwrap();
        let rendered: Vec<String> = sentences[0]
            .words
            .iter()
            .zip(&sentences[0].labels)
            .map(|(word, label)| format!("{word}/{label}"))
            .collect();
        assert_eq!(rendered.join(" "), expect);
        assert_eq!(repairs.total(), expect_repairs);
    }

    #[test]
    fn repairs_the_first_release_noise() {
        check("Moscow/B-LOC ./B-O", "Moscow/B-LOC ./O", 1);
        check("Kay/B-O Mann/I-PER said/O", "Kay/B-PER Mann/I-PER said/O", 1);
        check("the/O Syrian/I-OTH army/O", "the/O Syrian/B-OTH army/O", 1);
        check("New/B-LOC York/I-LOC Times/I-ORG", "New/B-LOC York/I-LOC Times/B-ORG", 1);
        check("x/B-ZZZ y/O", "x/O y/O", 1);
        check("Vladimir/B-PER Putin/I-PER", "Vladimir/B-PER Putin/I-PER", 0);
    }

    #[test]
    fn reads_conll2003_with_iob1_tags() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n\n";
        let (sentences, repairs) = parse(text, GoldFormat::Conll2003, "test").unwrap();
        assert_eq!(sentences.len(), 1);
        assert_eq!(sentences[0].labels, [Bio::B(EntityKind::Org), Bio::O, Bio::B(EntityKind::Oth)]);
        assert_eq!(sentences[0].line, 3);
        assert!(sentences[0].newdoc);
        assert_eq!(repairs.orphan_inside, 2);
    }

    #[test]
    fn splits_documents() {
        let text = "# newdoc id = a\n1\tA\tO\n\n1\tB\tO\n\n# newdoc id = b\n1\tC\tO\n";
        let (sentences, _) = parse(text, GoldFormat::Iob2, "test").unwrap();
        assert_eq!(documents(&sentences), [0..2, 2..3]);
        assert_eq!(documents(&sentences[1..]), [0..1, 1..2]);
        assert!(documents(&[]).is_empty());
    }

    #[test]
    fn reports_bad_lines() {
        let error = parse("1\tword\n", GoldFormat::Iob2, "gold.iob2").unwrap_err();
        assert!(error.to_string().contains("gold.iob2:1"), "{error}");
    }

    #[test]
    fn chunks_read_like_conlleval() {
        use EntityKind::*;
        let labels = [Bio::B(Per), Bio::I(Per), Bio::O, Bio::I(Loc), Bio::B(Loc), Bio::I(Org)];
        assert_eq!(chunks(&labels), [(0, 2, Per), (3, 4, Loc), (4, 5, Loc), (5, 6, Org)]);
        assert_eq!(chunks(&[]), []);
    }
}
