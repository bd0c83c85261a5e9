//! Segmentation: paragraphs, sentences and tokens, with byte spans, tokenized the way Universal
//! Dependencies English EWT is.
//!
//! The conventions followed are EWT's, because that is the treebank the tagger and parser learn
//! from: clitics are split off their host (`do|n't`, `Elena|'s`, `gon|na`, `can|not`) and marked
//! [`Token::clitic`]; punctuation is split, runs such as `...` and `?!` kept together; hyphenated
//! compounds are split (`search|-|engine`) except after prefixes (`co-workers`, `e-mail`,
//! `anti-American`) and between digits (`713-853-3989`); decimals, thousands separators, times,
//! dates with slashes, URLs and e-mail addresses stay whole; abbreviations keep their period
//! (`Mr.`, `U.S.`, `Jan.`, initials).
//!
//! Sentences end at terminal punctuation followed by something that can start a sentence, with
//! closing quotes and brackets kept with the sentence they close; at paragraph breaks (a blank line,
//! or a new line that starts indented, as newswire paragraphs do); and at the end of a line that
//! stands alone (a headline), unless the paragraph is hard-wrapped prose.

use crate::text::{Sentence, Span, Token, TokenKind};

/// Splits `text` into sentences of tokens.
pub fn segment(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    for (paragraph, block) in paragraphs(text).into_iter().enumerate() {
        tokens.clear();
        tokenize_into(text, block.span, &mut tokens);
        split_sentences(text, &tokens, &block.line_breaks, paragraph as u32, &mut sentences);
    }
    sentences
}

/// The sentences of an article's text: [`segment`], less a closing credit line. Events and
/// entities come from these.
pub fn article_sentences(text: &str) -> Vec<Sentence> {
    let mut sentences = segment(text);
    if sentences.last().is_some_and(|last| is_credit_line(text, last)) {
        sentences.pop();
    }
    sentences
}

/// Wire services whose name alone ends their stories. `REUTER` closes every story of Reuters
/// copy in the 1980s (Reuters-21578).
const WIRE_SERVICES: [&str; 15] = [
    "AAP", "AFP", "ANSA", "AP", "BERNAMA", "DPA", "EFE", "IANS", "KYODO", "PTI", "REUTER", "REUTERS", "TASS", "UPI",
    "XINHUA",
];

/// Whether `sentence` is a wire service's sign-off: its name alone, with nothing but
/// punctuation around it. It is a credit, not text: the entity recognizer, trained on web text
/// where a name alone on the last line signs an e-mail, would take it for a person (before this
/// check, 555 of the 22,193 entities found in the first 3,000 Reuters-21578 stories were such
/// sign-offs).
fn is_credit_line(text: &str, sentence: &Sentence) -> bool {
    let mut words = sentence.tokens.iter().filter(|token| token.kind != TokenKind::Punct);
    match (words.next(), words.next()) {
        (Some(word), None) => {
            let word = &text[word.span];
            WIRE_SERVICES.iter().any(|name| name.eq_ignore_ascii_case(word))
        }
        _ => false,
    }
}

/// Splits `text` into tokens, ignoring sentence boundaries.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, Span::new(0, text.len()), &mut tokens);
    tokens
}

/// A paragraph: text between hard breaks, and the positions of the line breaks inside it that end
/// a sentence (those of a block of short lines, not of hard-wrapped prose).
struct Block {
    span: Span,
    line_breaks: Vec<u32>,
}

/// Lines of `text` with their spans (without the `\n`, and without a `\r` before it).
fn lines(text: &str) -> impl Iterator<Item = Span> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let span_start = start;
        start += line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        Span::new(span_start, span_start + body.len())
    })
}

fn paragraphs(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Span> = Vec::new();
    let flush = |current: &mut Vec<Span>, blocks: &mut Vec<Block>| {
        if current.is_empty() {
            return;
        }
        blocks.push(block_of_lines(text, current));
        current.clear();
    };
    for line in lines(text) {
        let body = &text[line];
        if body.trim().is_empty() {
            flush(&mut current, &mut blocks);
            continue;
        }
        // An indented line after a non-blank line starts a paragraph (newswire style), as does a
        // form feed or any line in a block whose first line was not indented the same way.
        let indented = body.starts_with("  ") || body.starts_with('\t');
        if indented && !current.is_empty() {
            flush(&mut current, &mut blocks);
        }
        let trimmed_start = line.start as usize + (body.len() - body.trim_start().len());
        let trimmed_end = line.start as usize + body.trim_end().len();
        current.push(Span::new(trimmed_start, trimmed_end));
    }
    flush(&mut current, &mut blocks);
    blocks
}

/// Builds a block from its (trimmed) lines and decides which line breaks end sentences.
///
/// A block is hard-wrapped prose when one of its lines other than the last is long and does not end
/// a sentence (`...to manage the money market\nborrowing...`); its line breaks are spaces. In any
/// other block each line stands alone: a headline, a list item, a signature line.
fn block_of_lines(text: &str, lines: &[Span]) -> Block {
    let span = lines[0].cover(lines[lines.len() - 1]);
    let wrapped = lines[..lines.len() - 1].iter().any(|&line| {
        let body = &text[line];
        body.chars().count() >= 50 && !body.ends_with(['.', '!', '?', ':', '"', '”', ')'])
    });
    let line_breaks = if wrapped { Vec::new() } else { lines[..lines.len() - 1].iter().map(|line| line.end).collect() };
    Block { span, line_breaks }
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// Tokenizes the whitespace-separated chunks of `text[span]`.
fn tokenize_into(text: &str, span: Span, out: &mut Vec<Token>) {
    let mut chars: Vec<(usize, char)> = Vec::new();
    let bytes = text.as_bytes();
    let end = span.end as usize;
    let mut pos = span.start as usize;
    let mut chunk_start: Option<usize> = None;
    // Scans bytes, decoding only non-ASCII characters: most news text is ASCII, and this loop
    // touches every byte of every article.
    while pos <= end {
        let (is_space, width) = match bytes.get(pos) {
            None => (true, 1),
            Some(_) if pos == end => (true, 1),
            Some(&b) if b < 0x80 => (matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C), 1),
            Some(_) => match text[pos..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (true, 1),
            },
        };
        if is_space {
            if let Some(start) = chunk_start.take() {
                chars.clear();
                chars.reserve(pos - start + 1);
                chars.extend(text[start..pos].char_indices().map(|(i, c)| (start + i, c)));
                chars.push((pos, ' '));
                Chunk { text, chars: &chars, out }.split();
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(pos);
        }
        pos += width;
    }
}

/// One whitespace-free chunk, as `(byte offset, char)` pairs followed by a sentinel space whose
/// offset is the chunk's end.
struct Chunk<'a> {
    text: &'a str,
    chars: &'a [(usize, char)],
    out: &'a mut Vec<Token>,
}

impl Chunk<'_> {
    fn len(&self) -> usize {
        self.chars.len() - 1
    }

    fn at(&self, i: usize) -> char {
        self.chars.get(i).map_or(' ', |&(_, c)| c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars[i.min(self.chars.len() - 1)].0
    }

    fn push(&mut self, start: usize, end: usize, kind: TokenKind, clitic: bool) {
        let span = Span::new(self.offset(start), self.offset(end));
        self.out.push(Token { span, kind, clitic });
    }

    fn split(&mut self) {
        let n = self.len();
        let chunk = self.slice(0, n);
        // Most chunks cannot hold a URL or an address; decide that once per chunk, in one pass over
        // its bytes (substring searches cost more to set up than these short chunks take to scan).
        let bytes = chunk.as_bytes();
        let may_hold_url = bytes.iter().enumerate().any(|(at, &b)| match b {
            b'@' => true,
            b':' => bytes[at + 1..].starts_with(b"//"),
            b'w' | b'W' => bytes.get(at..at + 4).is_some_and(|head| head.eq_ignore_ascii_case(b"www.")),
            _ => false,
        });
        let mut i = 0;
        while i < n {
            if may_hold_url && (i == 0 || !is_word_char(self.at(i - 1))) {
                if let Some(end) = self.url_or_email(i) {
                    let kind = if self.slice(i, end).contains('@') && !self.slice(i, end).contains("://") {
                        TokenKind::Email
                    } else {
                        TokenKind::Url
                    };
                    self.push(i, end, kind, false);
                    i = end;
                    continue;
                }
            }
            let c = self.at(i);
            if is_word_char(c) {
                let end = self.scan_word(i);
                self.push_word(i, end);
                i = end;
            } else if let Some(end) = self.emoticon(i) {
                self.push(i, end, TokenKind::Symbol, false);
                i = end;
            } else if let Some(end) = self.leading_clitic(i) {
                self.push(i, end, TokenKind::Word, false);
                i = end;
            } else {
                let end = self.scan_punct(i);
                let kind = if is_punct(c) { TokenKind::Punct } else { TokenKind::Symbol };
                self.push(i, end, kind, false);
                i = end;
            }
        }
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.offset(start)..self.offset(end)]
    }

    /// A URL (`http://`, `https://`, `ftp://`, `www.`) or an e-mail address starting at `i`; its
    /// end excludes trailing punctuation and unbalanced closing brackets.
    fn url_or_email(&self, i: usize) -> Option<usize> {
        let rest = &self.text[self.offset(i)..self.offset(self.len())];
        let lower_starts = |prefix: &str| {
            rest.len() > prefix.len() && rest.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        let is_url =
            lower_starts("http://") || lower_starts("https://") || lower_starts("ftp://") || lower_starts("www.");
        let is_email = !is_url && {
            let at = rest.find('@');
            at.is_some_and(|at| {
                at > 0 && {
                    let local = &rest[..at];
                    let domain = rest[at + 1..].trim_end_matches(|c: char| !c.is_alphanumeric());
                    local.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
                        && domain.contains('.')
                        && domain.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
                }
            })
        };
        if !is_url && !is_email {
            return None;
        }
        let mut end = self.len();
        loop {
            let last = self.at(end - 1);
            let unbalanced = |open: char, close: char| {
                last == close && {
                    let s = self.slice(i, end);
                    s.matches(close).count() > s.matches(open).count()
                }
            };
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '”' | '’' | '>')
                || unbalanced('(', ')')
                || unbalanced('[', ']')
            {
                end -= 1;
            } else {
                break;
            }
        }
        (end > i + 4).then_some(end)
    }

    /// The end of the word starting at `i`: letters and digits, joined by inner periods, commas of
    /// thousands, colons of times, apostrophes, and the hyphens EWT keeps.
    fn scan_word(&self, i: usize) -> usize {
        let n = self.len();
        let mut j = i;
        while j < n {
            let c = self.at(j);
            if is_word_char(c) {
                j += 1;
                continue;
            }
            let (prev, next) = (self.at(j.wrapping_sub(1)), self.at(j + 1));
            let join = match c {
                '.' => is_word_char(next) && !(prev.is_lowercase() && next.is_uppercase() && self.word_len(i, j) > 3),
                ',' => prev.is_ascii_digit() && self.digits_then_break(j + 1) == 3,
                ':' => prev.is_ascii_digit() && next.is_ascii_digit(),
                '/' => prev.is_ascii_digit() && next.is_ascii_digit(),
                '\'' | '’' => prev.is_alphabetic() && next.is_alphabetic(),
                '&' => prev.is_uppercase() && next.is_uppercase() && self.word_len(i, j) <= 3,
                '-' => is_word_char(next) && self.keeps_hyphen(i, j),
                '_' => is_word_char(next),
                _ => false,
            };
            if !join {
                break;
            }
            j += 1;
        }
        // An abbreviation keeps its final period: `Mr.`, `U.S.`, `a.m.`, initials.
        if self.at(j) == '.' && self.at(j + 1) != '.' && is_abbreviation(self.slice(i, j)) {
            j += 1;
        }
        j
    }

    fn word_len(&self, i: usize, j: usize) -> usize {
        j - i
    }

    /// How many ASCII digits follow position `k`, if they are followed by something other than a
    /// digit (`1,000` has three; `1,0000` does not count as a thousands separator).
    fn digits_then_break(&self, k: usize) -> usize {
        let mut m = k;
        while self.at(m).is_ascii_digit() {
            m += 1;
        }
        m - k
    }

    /// EWT keeps the hyphen of numbers and codes (`713-853-3989`, `1986-87`, `x3-9890`) and after a
    /// prefix (`co-workers`, `e-mail`, `non-commercial`); it splits other compounds.
    fn keeps_hyphen(&self, word_start: usize, hyphen: usize) -> bool {
        let (prev, next) = (self.at(hyphen - 1), self.at(hyphen + 1));
        if prev.is_ascii_digit() && next.is_ascii_digit() {
            return true;
        }
        // The part since the last hyphen is what a prefix would be.
        let mut part_start = hyphen;
        while part_start > word_start && self.at(part_start - 1) != '-' {
            part_start -= 1;
        }
        let part = self.slice(part_start, hyphen);
        let part_has_digit = part.chars().any(|c| c.is_ascii_digit());
        if part_has_digit && part.chars().any(char::is_alphabetic) {
            return true;
        }
        PREFIXES.iter().any(|prefix| prefix.eq_ignore_ascii_case(part))
    }

    /// Emits the word `[i, j)`, splitting off clitics the way EWT does.
    fn push_word(&mut self, i: usize, j: usize) {
        let word = self.slice(i, j);
        let kind = if word.chars().any(char::is_alphabetic) { TokenKind::Word } else { TokenKind::Number };
        match clitic_split(word) {
            Some(host_chars) if host_chars > 0 => {
                self.push(i, i + host_chars, kind, false);
                self.push(i + host_chars, j, TokenKind::Word, true);
            }
            _ => self.push(i, j, kind, false),
        }
    }

    /// `'s`, `'ll`, `'re` standing as their own chunk (`Elena 's`): a word, not a quote mark.
    fn leading_clitic(&self, i: usize) -> Option<usize> {
        if !matches!(self.at(i), '\'' | '’') || i != 0 {
            return None;
        }
        let rest = self.slice(i + 1, self.len()).to_ascii_lowercase();
        matches!(rest.as_str(), "s" | "ll" | "re" | "ve" | "m" | "d").then_some(self.len())
    }

    /// Emoticons at `i`: `:)`, `:-(`, `;)`, `:D`, `:P`, `<3`, standing alone or at a chunk end.
    fn emoticon(&self, i: usize) -> Option<usize> {
        let rest = self.slice(i, self.len());
        const FACES: [&str; 14] =
            [":-)", ":-(", ":-D", ":-P", ";-)", ":)", ":(", ":D", ":P", ";)", ":/", ":'(", "<3", "^_^"];
        let face = FACES.iter().find(|face| rest.starts_with(*face))?;
        let end = i + face.chars().count();
        // `:D` inside `x:Dy` is not a face.
        (end >= self.len() || !self.at(end).is_alphanumeric()).then_some(end)
    }

    /// Punctuation at `i`: a run of terminal marks (`...`, `?!`), of dashes, or of the same symbol
    /// (`**`, `==`); otherwise one character.
    fn scan_punct(&self, i: usize) -> usize {
        let c = self.at(i);
        let mut j = i + 1;
        let same_run = |d: char| match c {
            '.' | '!' | '?' => matches!(d, '.' | '!' | '?'),
            '-' | '–' | '—' => d == c,
            '*' | '=' | '_' | '~' | '#' | '+' | '>' | '<' => d == c,
            _ => false,
        };
        while j < self.len() && same_run(self.at(j)) {
            j += 1;
        }
        j
    }
}

/// Letters, digits and combining marks.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// Punctuation proper, as opposed to symbols such as `$`, `%`, `+`.
fn is_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '\''
            | '"'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '-'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '«'
            | '»'
            | '…'
            | '/'
            | '\\'
            | '`'
            | '„'
            | '‚'
            | '‹'
            | '›'
            | '*'
    )
}

/// Where to split a clitic off `word`: the number of chars of the host, or `None`.
fn clitic_split(word: &str) -> Option<usize> {
    let has_apostrophe = word.contains(['\'', '’']);
    if !has_apostrophe {
        // Fused forms without an apostrophe, compared without allocating: this runs on every
        // word, so first the cheap test that every candidate passes (4 to 8 letters, ending in
        // "a" or "t": gonna, cannot, dont, shouldnt).
        let last = word.as_bytes().last().map(u8::to_ascii_lowercase);
        if !(4..=8).contains(&word.len()) || !matches!(last, Some(b'a' | b't')) {
            return None;
        }
        let is = |candidate: &&str| word.eq_ignore_ascii_case(candidate);
        if ["gonna", "wanna", "gotta", "cannot"].iter().any(is) {
            return Some(3);
        }
        // Web text drops apostrophes; EWT still splits the negation (`dont` = `do|nt`).
        if APOSTROPHELESS_NEGATIONS.iter().any(is) {
            return Some(word.len() - 2);
        }
        return None;
    }
    let n_chars = word.chars().count();
    let lower = word.to_lowercase().replace('’', "'");
    if n_chars > 3 && lower.ends_with("n't") {
        return Some(n_chars - 3);
    }
    for suffix in ["'s", "'m", "'d"] {
        if n_chars > 2 && lower.ends_with(suffix) {
            return Some(n_chars - 2);
        }
    }
    for suffix in ["'ll", "'re", "'ve"] {
        if n_chars > 3 && lower.ends_with(suffix) {
            return Some(n_chars - 3);
        }
    }
    None
}

const APOSTROPHELESS_NEGATIONS: [&str; 14] = [
    "dont", "didnt", "doesnt", "wont", "isnt", "arent", "wasnt", "werent", "couldnt", "wouldnt", "shouldnt", "havent",
    "hasnt", "aint",
];

/// Prefixes after which EWT keeps a hyphen inside the word.
const PREFIXES: [&str; 28] = [
    "e", "non", "pre", "post", "co", "anti", "pro", "ex", "multi", "mid", "re", "semi", "neo", "cross", "self",
    "inter", "intra", "sub", "super", "ultra", "over", "under", "counter", "psycho", "socio", "quasi", "pseudo", "x",
];

/// Whether `word` followed by a period is an abbreviation that keeps the period.
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    let first = chars.next();
    // Initials: `J.` in `Michael J. Fox`.
    if first.is_some_and(char::is_uppercase) && chars.next().is_none() {
        return true;
    }
    // Dotted abbreviations: `U.S`, `a.m`, `e.g`, `Ph.D`.
    if word.contains('.')
        && word.split('.').all(|part| (1..=2).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic))
    {
        return true;
    }
    ABBREVIATIONS.binary_search(&word).is_ok()
}

/// Abbreviations that take a period, sorted for binary search. Titles, months, days, company
/// suffixes and the Latin ones newswire uses. Case-sensitive: `No.` is an abbreviation, `no.` ends
/// a sentence.
const ABBREVIATIONS: [&str; 79] = [
    "Adm", "Ald", "Apr", "Aug", "Ave", "Blvd", "Bros", "Capt", "Cmdr", "Co", "Col", "Corp", "Cpl", "Dec", "Dept", "Dr",
    "Drs", "Esq", "Feb", "Fig", "Fla", "Fri", "Ft", "Gen", "Gov", "Hon", "Inc", "Jan", "Jr", "Jul", "Jun", "Lt", "Ltd",
    "Maj", "Mar", "Messrs", "Mon", "Mr", "Mrs", "Ms", "Mssrs", "Mt", "No", "Nos", "Nov", "Oct", "Ph", "Pres", "Prof",
    "Pvt", "Rd", "Rep", "Reps", "Rev", "Sat", "Sen", "Sens", "Sep", "Sept", "Sgt", "Sr", "St", "Sun", "Supt", "Thu",
    "Thurs", "Tue", "Tues", "Vol", "Wed", "approx", "cf", "etc", "ft", "pp", "vol", "vs", "viz", "mln",
];

// ---------------------------------------------------------------------------------------------
// Sentences

/// Titles and initials are never the last word of a sentence; other abbreviations may be.
fn is_title(word: &str) -> bool {
    const TITLES: [&str; 30] = [
        "Adm.", "Capt.", "Cmdr.", "Col.", "Cpl.", "Dr.", "Drs.", "Gen.", "Gov.", "Hon.", "Lt.", "Maj.", "Messrs.",
        "Mr.", "Mrs.", "Ms.", "Mt.", "No.", "Nos.", "Pres.", "Prof.", "Pvt.", "Rep.", "Reps.", "Rev.", "Sen.", "Sens.",
        "Sgt.", "St.", "Supt.",
    ];
    TITLES.contains(&word) || (word.chars().count() == 2 && word.starts_with(char::is_uppercase))
}

/// Words that begin sentences far more often than they follow an abbreviation inside one.
fn is_common_sentence_start(word: &str) -> bool {
    const STARTS: [&str; 36] = [
        "A",
        "After",
        "An",
        "And",
        "As",
        "At",
        "But",
        "For",
        "He",
        "Her",
        "His",
        "However",
        "I",
        "If",
        "In",
        "It",
        "Its",
        "Meanwhile",
        "Mr.",
        "Ms.",
        "Mrs.",
        "No",
        "On",
        "Our",
        "She",
        "So",
        "That",
        "The",
        "Their",
        "There",
        "These",
        "They",
        "This",
        "Those",
        "We",
        "When",
    ];
    STARTS.contains(&word)
}

fn is_terminal(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn is_closing(token: &str) -> bool {
    matches!(token, "\"" | "”" | "’" | "'" | ")" | "]" | "}" | "»" | "''")
}

/// Whether a token can begin a sentence: a capital, a digit, an opening quote or bracket, a
/// symbol; and lowercase `i`, which web text uses for `I`.
fn can_start_sentence(token: &str) -> bool {
    let Some(first) = token.chars().next() else { return false };
    first.is_uppercase()
        || first.is_ascii_digit()
        || token == "i"
        || (!first.is_alphanumeric()
            && !matches!(first, ',' | ';' | ':' | '.' | '!' | '?' | ')' | ']' | '}' | '%' | '…'))
}

fn is_emoticon(text: &str, token: Token) -> bool {
    token.kind == TokenKind::Symbol
        && text[token.span].chars().count() >= 2
        && text[token.span].starts_with([':', ';', '<', '^'])
}

fn starts_lowercase(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_lowercase)
}

fn split_sentences(text: &str, tokens: &[Token], line_breaks: &[u32], paragraph: u32, out: &mut Vec<Sentence>) {
    let mut start = 0;
    let mut line_break = line_breaks.iter().peekable();
    let mut i = 0;
    while i < tokens.len() {
        let form = &text[tokens[i].span];
        let mut end = i + 1;
        let boundary = if is_terminal(form) {
            // Closing quotes and brackets right after the mark belong to this sentence.
            // So does an emoticon, which web text puts after the mark (`Love her. :)`).
            while end < tokens.len()
                && ((tokens[end].span.start == tokens[end - 1].span.end && is_closing(&text[tokens[end].span]))
                    || is_emoticon(text, tokens[end]))
            {
                end += 1;
            }
            match tokens.get(end) {
                None => true,
                // Web text starts sentences in lowercase; after a full stop, question or
                // exclamation mark that is its own token (so not an abbreviation's period) a
                // lowercase word still starts a sentence. Not after a closing quote (`"Why?" he
                // asked`), and not after an ellipsis, which often trails off mid-sentence.
                Some(next) => {
                    can_start_sentence(&text[next.span])
                        || (end == i + 1
                            && !form.contains('…')
                            && !form.starts_with("..")
                            && starts_lowercase(&text[next.span]))
                }
            }
        } else if form.ends_with('.') && form.len() > 1 && tokens[i].kind == TokenKind::Word {
            // `...in the U.S. The talks...`: an abbreviation ends a sentence when a typical
            // sentence opener follows it.
            !is_title(form) && tokens.get(end).is_some_and(|next| is_common_sentence_start(&text[next.span]))
        } else {
            false
        };
        // A line break inside a block of short lines ends the sentence.
        let mut at_line_break = false;
        while let Some(&&pos) = line_break.peek() {
            if pos < tokens[end - 1].span.end {
                line_break.next();
            } else {
                at_line_break = tokens.get(end).is_some_and(|next| next.span.start > pos);
                break;
            }
        }
        if boundary || at_line_break || end == tokens.len() {
            let slice = &tokens[start..end];
            out.push(Sentence {
                span: slice[0].span.cover(slice[slice.len() - 1].span),
                tokens: slice.to_vec(),
                paragraph,
            });
            start = end;
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens joined by `|`, a clitic marked `+`; sentences separated by ` || `.
    fn check(input: &str, expect: &str) {
        let sentences = segment(input);
        let rendered: Vec<String> = sentences
            .iter()
            .map(|sentence| {
                sentence
                    .tokens
                    .iter()
                    .map(|token| format!("{}{}", if token.clitic { "+" } else { "" }, &input[token.span]))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        assert_eq!(rendered.join(" || "), expect, "segmenting {input:?}");
        for sentence in &sentences {
            assert!(sentence.tokens.iter().all(|t| sentence.span.contains(t.span) && !t.span.is_empty()));
        }
    }

    #[test]
    fn clitics_split_as_in_ewt() {
        check("I don't know.", "I|do|+n't|know|.");
        check("We can't, won't and cannot.", "We|ca|+n't|,|wo|+n't|and|can|+not|.");
        check("Elena's car; they're here; I'm gonna go.", "Elena|+'s|car|;|they|+'re|here|;|I|+'m|gon|+na|go|.");
        check("Syria’s integrity", "Syria|+’s|integrity");
        check("i dont care", "i|do|+nt|care");
        check("O'Brien said", "O'Brien|said");
    }

    #[test]
    fn punctuation_and_hyphens() {
        check("(and now e-mail) wares", "(|and|now|e-mail|)|wares");
        check("search-engine full-fledged", "search|-|engine|full|-|fledged");
        check("co-workers, anti-American, Russia-Syria ties", "co-workers|,|anti-American|,|Russia|-|Syria|ties");
        check("Wait... what?! No -- really", "Wait|...|what|?! || No|--|really");
        check("\"Hi,\" he said.", "\"|Hi|,|\"|he|said|.");
    }

    #[test]
    fn numbers_stay_whole() {
        check("It grew by 4.5% to $1,000,000 at 10:30.", "It|grew|by|4.5|%|to|$|1,000,000|at|10:30|.");
        check("Call 713-853-3989 on 11/28/2000.", "Call|713-853-3989|on|11/28/2000|.");
        check("the 1986/87 season", "the|1986/87|season");
        check("and/or", "and|/|or");
    }

    #[test]
    fn urls_and_email() {
        check("See http://www.example.com/a_b?x=1. Then", "See|http://www.example.com/a_b?x=1|. || Then");
        check("Mail jo.smith@enron.com, please.", "Mail|jo.smith@enron.com|,|please|.");
        check("(www.calguard.ca.gov)", "(|www.calguard.ca.gov|)");
        check("Visit WWW.EXAMPLE.COM today.", "Visit|WWW.EXAMPLE.COM|today|.");
    }

    #[test]
    fn abbreviations_and_initials() {
        check("Mr. Smith met Gen. Lee in the U.S. on Jan. 5.", "Mr.|Smith|met|Gen.|Lee|in|the|U.S.|on|Jan.|5|.");
        check("Michael J. Fox arrived at 5 p.m. today.", "Michael|J.|Fox|arrived|at|5|p.m.|today|.");
        check("He lives in the U.S. He left.", "He|lives|in|the|U.S. || He|left|.");
        check("It is No. 1 in the U.S. market.", "It|is|No.|1|in|the|U.S.|market|.");
    }

    #[test]
    fn sentences_and_quotes() {
        check("It rose. It fell! Did it? Yes.", "It|rose|. || It|fell|! || Did|it|? || Yes|.");
        check("\"It is done. We agree,\" he said. Then", "\"|It|is|done|. || We|agree|,|\"|he|said|. || Then");
        check("He said: \"Go home.\" Then he left.", "He|said|:|\"|Go|home|.|\" || Then|he|left|.");
        check("\"Why?\" he asked.", "\"|Why|?|\"|he|asked|.");
        check("It was 3.5 per cent. (See below.) Next", "It|was|3.5|per|cent|. || (|See|below|.|) || Next");
    }

    #[test]
    fn paragraphs_headlines_and_wrapping() {
        check("Historic Russia-Syria ties\n\nPutin noted it.", "Historic|Russia|-|Syria|ties || Putin|noted|it|.");
        check("Headline Here\nBody starts here.", "Headline|Here || Body|starts|here|.");
        check(
            "Standard Oil Co and BP North America\nInc said they plan to form a venture to manage the money market\nborrowing.\n    BP is a unit",
            "Standard|Oil|Co|and|BP|North|America|Inc|said|they|plan|to|form|a|venture|to|manage|the|money|market|borrowing|. || BP|is|a|unit",
        );
    }

    #[test]
    fn datelines_and_emoticons() {
        check("MOSCOW (Reuters) - Putin spoke.", "MOSCOW|(|Reuters|)|-|Putin|spoke|.");
        check("great :) see you", "great|:)|see|you");
    }

    /// An article's last sentence is dropped when it is a wire service's name alone, and only then.
    #[test]
    fn article_sentences_drop_a_closing_credit_line() {
        let last_words = |input: &str| -> String {
            let sentences = article_sentences(input);
            sentences.last().map_or(String::new(), |last| input[last.span].to_string())
        };
        for (input, last) in [
            ("The bank said it would raise rates.\n REUTER", "The bank said it would raise rates."),
            ("the minister told reporters.\n reuter...", "the minister told reporters."),
            ("Talks resumed on Monday.\n\n(AP)", "Talks resumed on Monday."),
            // A credit line only ends an article; a name alone elsewhere is text.
            ("REUTER\n Markets were calm.", "Markets were calm."),
            // Other words make it a sentence, and a name alone that is no wire service is a
            // signature the recognizer should see.
            ("He spoke to Reuters.\n Reuters said.", "Reuters said."),
            ("Thanks for the notes.\n\nJohn", "John"),
            ("REUTER", ""),
            ("", ""),
        ] {
            assert_eq!(last_words(input), last, "{input:?}");
        }
    }

    /// Random strings over an alphabet of troublemakers (quotes, dots, apostrophes, combining
    /// marks, multi-byte punctuation, newlines): no panic, and every token a non-empty,
    /// whitespace-free slice inside its sentence, in order.
    #[test]
    fn random_input_keeps_the_invariants() {
        const ALPHABET: [&str; 32] = [
            "a", "Z", "7", " ", "\n", "\n\n", "  ", ".", "...", "?", "!", "'", "’", "\"", "“", "”", "-", "—", "n't",
            "'s", "Mr", "U.S", "@", "http://", "www.", ":", ",", "(", ")", "\u{301}", "é", ":)",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let len = next() % 40;
            let input: String = (0..len).map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize]).collect();
            let mut last_end = 0;
            for sentence in segment(&input) {
                for token in &sentence.tokens {
                    let form = &input[token.span];
                    assert!(!form.is_empty() && !form.contains(char::is_whitespace), "{input:?}: {form:?}");
                    assert!(token.span.start >= last_end && sentence.span.contains(token.span), "{input:?}");
                    last_end = token.span.end;
                }
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for input in [
            "",
            " ",
            "\n\n",
            ".",
            "...",
            "'",
            "’s",
            "a\u{301}b",
            "\u{FEFF}x",
            "-",
            "--a",
            "http://",
            "@",
            "a@b",
            "x.",
            "\r\n\r\n",
        ] {
            let sentences = segment(input);
            for sentence in sentences {
                for token in sentence.tokens {
                    assert!(!input[token.span].trim().is_empty());
                }
            }
        }
    }
}
