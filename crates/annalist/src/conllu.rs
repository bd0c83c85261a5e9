//! CoNLL-U, the Universal Dependencies file format: reading treebanks for training and evaluation.
//!
//! Multiword tokens (`2-3  don't`) are kept as [`MultiwordToken`]s beside the syntactic words;
//! empty nodes (`8.1`) are skipped, as basic dependency trees do not use them.

use crate::error::{Error, ErrorKind, Location, Result};

/// One syntactic word (a line with an integer ID).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// Index of the head word, 1-based; 0 is the root.
    pub head: u32,
    pub deprel: String,
    pub misc: String,
}

impl Word {
    /// Whether MISC says `SpaceAfter=No`.
    pub fn no_space_after(&self) -> bool {
        self.misc.split('|').any(|item| item == "SpaceAfter=No")
    }
}

/// An orthographic token spanning several words, such as `don't` over `do` and `n't`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiwordToken {
    /// 1-based IDs of its first and last word.
    pub first: u32,
    pub last: u32,
    pub form: String,
    pub misc: String,
}

/// One sentence with its comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConlluSentence {
    pub sent_id: Option<String>,
    /// `# text = ...`, the sentence's raw text.
    pub text: Option<String>,
    /// `Some(id)` when a `# newdoc` comment starts a document here (the id may be empty).
    pub newdoc: Option<String>,
    /// Whether a `# newpar` comment starts a paragraph here.
    pub newpar: bool,
    pub words: Vec<Word>,
    pub multiword: Vec<MultiwordToken>,
    /// 1-based line of the sentence's first line in its file.
    pub line: u64,
}

impl ConlluSentence {
    /// Surface tokens in order: each is a multiword token's form or a word outside any multiword
    /// token, with the range of words (0-based, end exclusive) it covers.
    pub fn surface_tokens(&self) -> Vec<(&str, std::ops::Range<usize>)> {
        let mut out = Vec::with_capacity(self.words.len());
        let mut multiword = self.multiword.iter().peekable();
        let mut i = 0;
        while i < self.words.len() {
            match multiword.peek() {
                Some(mwt) if mwt.first as usize == i + 1 => {
                    let end = (mwt.last as usize).min(self.words.len());
                    out.push((mwt.form.as_str(), i..end.max(i + 1)));
                    i = end.max(i + 1);
                    multiword.next();
                }
                _ => {
                    out.push((self.words[i].form.as_str(), i..i + 1));
                    i += 1;
                }
            }
        }
        out
    }

    /// The sentence's raw text: `# text` if present, else the surface tokens joined by the spaces
    /// their MISC columns call for.
    pub fn raw_text(&self) -> String {
        if let Some(text) = &self.text {
            return text.clone();
        }
        let mut text = String::new();
        for (form, words) in self.surface_tokens() {
            text.push_str(form);
            let misc_no_space = if words.len() > 1 {
                self.multiword
                    .iter()
                    .find(|m| m.first as usize == words.start + 1)
                    .is_some_and(|m| m.misc.contains("SpaceAfter=No"))
            } else {
                self.words[words.start].no_space_after()
            };
            if !misc_no_space {
                text.push(' ');
            }
        }
        text.truncate(text.trim_end().len());
        text
    }
}

/// Parses a CoNLL-U file. `file` names it in errors, which give the line.
pub fn parse(text: &str, file: &str) -> Result<Vec<ConlluSentence>> {
    let mut sentences = Vec::new();
    let mut current = ConlluSentence::default();
    let mut started = false;
    for (idx, line) in text.lines().enumerate() {
        let line_no = idx as u64 + 1;
        let error = |message: String| Error::new(ErrorKind::Input, Location::line(file, line_no), message);
        if line.trim().is_empty() {
            if !current.words.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            started = false;
            continue;
        }
        if !started {
            current.line = line_no;
            started = true;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some((key, value)) = comment.split_once('=') {
                match key.trim() {
                    "text" => current.text = Some(value.trim().to_string()),
                    "sent_id" => current.sent_id = Some(value.trim().to_string()),
                    "newdoc id" => current.newdoc = Some(value.trim().to_string()),
                    "newpar id" => current.newpar = true,
                    _ => {}
                }
            } else if comment == "newdoc" {
                current.newdoc = Some(String::new());
            } else if comment == "newpar" {
                current.newpar = true;
            }
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 10 {
            return Err(error(format!("expected 10 tab-separated columns, found {}", columns.len())));
        }
        let id = columns[0];
        if id.contains('.') {
            continue;
        }
        if let Some((first, last)) = id.split_once('-') {
            let (Ok(first), Ok(last)) = (first.parse::<u32>(), last.parse::<u32>()) else {
                return Err(error(format!("bad multiword token range {id:?}")));
            };
            if last < first {
                return Err(error(format!("bad multiword token range {id:?}")));
            }
            current.multiword.push(MultiwordToken {
                first,
                last,
                form: columns[1].to_string(),
                misc: columns[9].to_string(),
            });
            continue;
        }
        let Ok(word_id) = id.parse::<u32>() else {
            return Err(error(format!("bad word id {id:?}")));
        };
        if word_id as usize != current.words.len() + 1 {
            return Err(error(format!("word id {word_id} out of sequence")));
        }
        let head = match columns[6] {
            "_" => 0,
            head => head.parse::<u32>().map_err(|_| error(format!("bad head {head:?}")))?,
        };
        current.words.push(Word {
            form: columns[1].to_string(),
            lemma: columns[2].to_string(),
            upos: columns[3].to_string(),
            xpos: columns[4].to_string(),
            feats: columns[5].to_string(),
            head,
            deprel: columns[7].to_string(),
            misc: columns[9].to_string(),
        });
    }
    if !current.words.is_empty() {
        sentences.push(current);
    }
    for sentence in &sentences {
        let n = sentence.words.len() as u32;
        if let Some(word) = sentence.words.iter().find(|w| w.head > n) {
            return Err(Error::new(
                ErrorKind::Input,
                Location::line(file, sentence.line),
                format!("head {} of {:?} is beyond the sentence's {n} words", word.head, word.form),
            ));
        }
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# sent_id = s1\n# newpar id = p1\n# text = I don't.\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_multiword_tokens_and_comments() {
        let sentences = parse(SAMPLE, "t.conllu").unwrap();
        assert_eq!(sentences.len(), 1);
        let sentence = &sentences[0];
        assert_eq!(sentence.newdoc.as_deref(), Some("d1"));
        assert!(sentence.newpar);
        assert_eq!(sentence.words.len(), 4);
        assert_eq!(sentence.words[2].head, 0);
        let surface: Vec<_> = sentence.surface_tokens().into_iter().map(|(form, _)| form).collect();
        assert_eq!(surface, ["I", "don't", "."]);
        assert_eq!(sentence.raw_text(), "I don't.");
        let mut no_text = sentence.clone();
        no_text.text = None;
        assert_eq!(no_text.raw_text(), "I don't.");
    }

    #[test]
    fn errors_name_the_line() {
        let error = parse("1\tI\tI\n", "bad.conllu").unwrap_err();
        assert_eq!(error.to_string(), "bad.conllu:1: expected 10 tab-separated columns, found 3");
        let error = parse("# x\n2\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n", "bad.conllu").unwrap_err();
        assert_eq!(error.location.line, Some(2));
    }
}
