//! The line discipline all PETRARCH dictionary files share: comments, blank lines, line numbers.
//!
//! PETRARCH strips everything after `#` anywhere on a line, skips lines that start with `<!`, and
//! treats `<!-- ... -->` as a comment that may span lines. We do the same, and keep the 1-based
//! number of every line so that each error can name it.

/// One meaningful line of a dictionary file: comments removed, never blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the file.
    pub number: u32,
    /// The text without its comment and without trailing whitespace; leading whitespace is kept
    /// because an indented line means something in some formats (a date restriction in actors).
    pub text: &'a str,
    /// The comment after `#`, trimmed, if there was one (dictionary entries cite their source there).
    pub comment: Option<&'a str>,
}

/// The meaningful lines of `text`, in order.
pub fn lines(text: &str) -> Lines<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Lines { rest: text.split('\n').enumerate(), in_comment: false }
}

pub struct Lines<'a> {
    rest: std::iter::Enumerate<std::str::Split<'a, char>>,
    in_comment: bool,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        for (index, raw) in self.rest.by_ref() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let mut line = raw.strip_suffix('\r').unwrap_or(raw);
            if self.in_comment {
                // Inside `<!-- ... -->`: skip up to and including the terminator.
                match line.find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        line = &line[end + 3..];
                    }
                    None => continue,
                }
            }
            let trimmed = line.trim_start();
            if trimmed.starts_with("<!--") {
                match trimmed.find("-->") {
                    Some(end) => line = &trimmed[end + 3..],
                    None => {
                        self.in_comment = true;
                        continue;
                    }
                }
            } else if trimmed.starts_with("<!") {
                // PETRARCH skips any line that starts with `<!`, such as `<! -- NEW ACTORS -->`.
                continue;
            }
            let (text, comment) = match comment_start(line) {
                Some(hash) => (&line[..hash], Some(line[hash + 1..].trim())),
                None => (line, None),
            };
            // A trailing `<!-- ... -->` on a content line is a comment too.
            let text = match text.find("<!--") {
                Some(start) if text[start..].contains("-->") => &text[..start],
                _ => text,
            };
            let text = text.trim_end();
            if text.trim_start().is_empty() {
                continue;
            }
            return Some(Line { number, text, comment });
        }
        None
    }
}

/// The first `#` that is not inside `[...]`: TABARI's discard code `[###]` is not a comment.
fn comment_start(line: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (idx, c) in line.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '#' if depth == 0 => return Some(idx),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each meaningful line rendered as `number:text`, joined by ` | `.
    fn check(input: &str, expect: &str) {
        let got: Vec<String> = lines(input).map(|line| format!("{}:{}", line.number, line.text)).collect();
        assert_eq!(got.join(" | "), expect, "input: {input:?}");
    }

    #[test]
    fn comments_and_blank_lines() {
        check("# header\n\nRUSSIA [RUS] # pas\n   \n\tSYRIA", "3:RUSSIA [RUS] | 5:\tSYRIA");
        check("<!-- one line -->\nA\n<! -- odd -->\nB", "2:A | 4:B");
        check("<!--\n# note\nstill comment\n# -->\nA [X]\r\n", "5:A [X]");
        check("A [X] <!-- trailing -->", "1:A [X]");
        check("\u{feff}A", "1:A");
        check("- * X [###] # note", "1:- * X [###]");
    }
}
