//! The PETRARCH actor dictionary format, and the date-aware choice of an actor's code.
//!
//! ```text
//! VLADIMIR_PUTIN_  # CountryInfo.txt        a primary phrase starts an entry
//! +PUTIN_                                   synonyms follow with `+`
//!     [RUSGOV 20000507-20080507]            codes with date restrictions, on indented lines
//!     [RUSGOV >20120507]
//!     [RUSELI]                              an undated code is the default
//! SYRIA_  [SYR]                             a code may follow the primary phrase
//! ```
//!
//! Restrictions are `<D` (on or before D), `>D` (on or after D) and `D1-D2` (both inclusive), with
//! dates as `YYYYMMDD` or `YYMMDD` (`YY` up to 30 is 20YY, else 19YY, as in PETRARCH).
//!
//! **Where annalist departs from PETRARCH2 on purpose.** PETRARCH2 takes the first code in file
//! order whose restriction holds, and an undated code always holds, so `SAM_GAMGEE [HOB]` followed
//! by `[HOBCIV <20080120]` codes HOB on every date. Here a dated code valid on the article's date
//! always wins over the undated default ([`ActorEntry::code_on`]); among dated codes the first
//! listed wins, as the PETRARCH validation dictionary's comments expect. PETRARCH2 also reads only
//! the last `[...]` on a primary line and takes `;` comments as part of the name; we read every
//! group and treat `;` after the codes as a comment. Like PETRARCH2, consecutive primary phrases
//! without a code form one entry with the codes that follow them. An official whose every office
//! has ended gets the country's `ELI` after the last one (`add_former_official_default`), where
//! PETRARCH2 gives no code.

use super::lines::lines;
use super::normalize::phrase_key;
use super::{Provenance, Source};
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use serde::{Deserialize, Serialize};

/// One actor: the phrases that name it and the codes it has over time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorEntry {
    /// The primary phrase first, then the synonyms, in file order.
    pub phrases: Vec<ActorPhrase>,
    /// Codes in file order; see [`ActorEntry::code_on`] for which one applies.
    pub codes: Vec<CodeRule>,
    /// Where the primary phrase is.
    pub provenance: Provenance,
}

/// A phrase as written in the dictionary, and its lookup key ([`super::normalize::phrase_key`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorPhrase {
    pub text: String,
    pub key: String,
    pub line: u32,
}

/// A code and the dates it applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRule {
    /// The CAMEO code as written (`RUSGOV`, `IGOUNO`; `---` is PETRARCH's null code).
    pub code: String,
    pub when: Validity,
    pub line: u32,
}

/// When a code applies. Bounds are inclusive, as in PETRARCH.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    /// No restriction: the entry's default.
    Always,
    /// On or before the date (`<D`).
    Until(Date),
    /// On or after the date (`>D`).
    From(Date),
    /// Between the dates (`D1-D2`).
    Between(Date, Date),
}

impl Validity {
    pub fn is_dated(self) -> bool {
        self != Validity::Always
    }

    pub fn holds_on(self, date: Date) -> bool {
        match self {
            Validity::Always => true,
            Validity::Until(end) => date <= end,
            Validity::From(start) => date >= start,
            Validity::Between(start, end) => start <= date && date <= end,
        }
    }
}

impl std::fmt::Display for Validity {
    /// The restriction as it would be written in a dictionary: `<20080120`, `20080120-20121109`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Validity::Always => Ok(()),
            Validity::Until(end) => write!(f, "<{}", end.to_yyyymmdd()),
            Validity::From(start) => write!(f, ">{}", start.to_yyyymmdd()),
            Validity::Between(start, end) => {
                write!(f, "{}-{}", start.to_yyyymmdd(), end.to_yyyymmdd())
            }
        }
    }
}

impl ActorEntry {
    /// The code that applies on `date`: the first dated code whose restriction holds, else the first
    /// undated code, else none (the entry names an actor that has no code on that date).
    pub fn code_on(&self, date: Date) -> Option<&CodeRule> {
        self.codes
            .iter()
            .find(|rule| rule.when.is_dated() && rule.when.holds_on(date))
            .or_else(|| self.codes.iter().find(|rule| !rule.when.is_dated()))
    }

    /// The primary phrase as written.
    pub fn name(&self) -> &str {
        self.phrases.first().map_or("", |phrase| phrase.text.as_str())
    }
}

/// Reads an actor dictionary. Bad lines are reported in `errors` and skipped; everything else loads.
pub fn parse(source: &Source<'_>, errors: &mut Vec<Error>) -> Vec<ActorEntry> {
    let mut entries: Vec<ActorEntry> = Vec::new();
    // Whether the last entry has been given a code (a bad one included).
    let mut coded = true;
    for line in lines(source.text) {
        let text = line.text.trim();
        let error = |message: String| Error::new(ErrorKind::Dictionary, source.location(line.number), message);
        if text.starts_with('[') {
            coded = true;
            // A restriction line belongs to the entry above it.
            let Some(entry) = entries.last_mut() else {
                errors.push(error(format!("code {text:?} comes before any actor phrase")));
                continue;
            };
            read_codes(text, line.number, &mut entry.codes, &error, errors);
        } else if let Some(synonym) = text.strip_prefix('+') {
            let Some(entry) = entries.last_mut() else {
                errors.push(error(format!("synonym {text:?} comes before any actor phrase")));
                continue;
            };
            let (phrase, codes) = split_codes(synonym);
            if let Some(phrase) = read_phrase(phrase, line.number, &error, errors) {
                entry.phrases.push(phrase);
            }
            if !codes.is_empty() {
                coded = true;
                read_codes(codes, line.number, &mut entry.codes, &error, errors);
            }
        } else {
            let (phrase, codes) = split_codes(text);
            let Some(phrase) = read_phrase(phrase, line.number, &error, errors) else {
                continue;
            };
            // A primary phrase after one that has no code yet names the same actor, as PETRARCH2
            // reads it (it starts a new entry only once the current one has a code): Phoenix lists
            // `BORIS_YELTSIN_`, `YELTSIN`, `PRESIDENT_YELTSIN` ... on lines of their own, then the
            // codes for all of them.
            if let Some(entry) = entries.last_mut().filter(|_| !coded) {
                entry.phrases.push(phrase);
                if !codes.is_empty() {
                    coded = true;
                    read_codes(codes, line.number, &mut entry.codes, &error, errors);
                }
                continue;
            }
            coded = !codes.is_empty();
            let mut entry = ActorEntry {
                phrases: vec![phrase],
                codes: Vec::new(),
                provenance: Provenance { file: source.id, line: line.number },
            };
            if !codes.is_empty() {
                read_codes(codes, line.number, &mut entry.codes, &error, errors);
            }
            entries.push(entry);
        }
    }
    for entry in &mut entries {
        add_former_official_default(entry);
    }
    entries
}

/// A person whose codes are all offices in one country, each ending on a date, gets that
/// country's `ELI` (CAMEO's elites: former officials) after the last of them: "Former prime
/// minister Andreas Papandreou" is still Greek after his last office, as Phoenix's own defaults
/// (`BORIS_YELTSIN_ ... [RUSELI]`) say for most people but not for all. Before the first office
/// nothing is known ("Kenzo Oshima, the United Nations Emergency Relief Coordinator" before he
/// was Japan's ambassador). The code points at the line of the last office, which names the country.
fn add_former_official_default(entry: &mut ActorEntry) {
    let Some(last) = entry.codes.last() else { return };
    let Some(country) = last.code.get(..3) else { return };
    let one_country = entry.codes.iter().all(|rule| rule.code.get(..3) == Some(country));
    let official = entry.codes.iter().any(|rule| matches!(rule.code.get(3..6), Some("GOV" | "ELI")));
    if !one_country || !official || matches!(country, "IGO" | "NGO" | "MNC") {
        return;
    }
    let mut end = None;
    for rule in &entry.codes {
        match rule.when {
            Validity::Until(date) | Validity::Between(_, date) => end = end.max(Some(date)),
            Validity::Always | Validity::From(_) => return,
        }
    }
    if let Some(end) = end {
        let line = last.line;
        entry.codes.push(CodeRule { code: format!("{country}ELI"), when: Validity::From(end), line });
    }
}

/// Splits `PHRASE [CODE] [CODE DATES]` at the first `[`.
fn split_codes(text: &str) -> (&str, &str) {
    match text.find('[') {
        Some(open) => (&text[..open], &text[open..]),
        None => (text, ""),
    }
}

fn read_phrase(text: &str, line: u32, error: &dyn Fn(String) -> Error, errors: &mut Vec<Error>) -> Option<ActorPhrase> {
    let text = text.trim();
    if text.contains(']') {
        errors.push(error(format!("stray ']' in phrase {text:?}")));
        return None;
    }
    let key = phrase_key(text);
    if key.is_empty() {
        errors.push(error(format!("phrase {text:?} has no words")));
        return None;
    }
    Some(ActorPhrase { text: text.to_string(), key, line })
}

/// Reads every `[...]` group of `text` into `codes`. Text after the last group must be a `;`
/// comment (TABARI style) or nothing.
fn read_codes(
    text: &str,
    line: u32,
    codes: &mut Vec<CodeRule>,
    error: &dyn Fn(String) -> Error,
    errors: &mut Vec<Error>,
) {
    let mut rest = text.trim();
    while let Some(after_open) = rest.strip_prefix('[') {
        let Some(close) = after_open.find(']') else {
            errors.push(error(format!("missing ']' in {rest:?}")));
            return;
        };
        match read_code(&after_open[..close]) {
            Ok(rule) => codes.push(CodeRule { line, ..rule }),
            Err(message) => errors.push(error(message)),
        }
        rest = after_open[close + 1..].trim_start();
    }
    if !rest.is_empty() && !rest.starts_with(';') {
        errors.push(error(format!("unexpected text {rest:?} after the code")));
    }
}

/// Reads the inside of one `[...]`: a code, then an optional restriction.
fn read_code(inside: &str) -> Result<CodeRule, String> {
    let mut parts = inside.split_whitespace();
    let Some(code) = parts.next() else {
        return Err("empty code '[]'".to_string());
    };
    if !is_actor_code(code) {
        return Err(format!("{code:?} is not an actor code (expected letters, e.g. [RUSGOV 20000507-20080507])"));
    }
    let restriction: String = parts.collect();
    let when = parse_restriction(&restriction)?;
    Ok(CodeRule { code: code.to_string(), when, line: 0 })
}

/// Actor codes are letters with the odd digit, `/` between alternatives (`ELR/GAL`), or PETRARCH's
/// null (`---`) and pass-through (`+++`) codes. A leading digit is a date that lost its code.
fn is_actor_code(code: &str) -> bool {
    let valid_chars = code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '+' | '~' | '_'));
    let starts_well = code.starts_with(|c: char| c.is_ascii_alphabetic()) || code == "---" || code == "+++";
    valid_chars && starts_well
}

/// `""`, `<D`, `>D` or `D1-D2`, spaces already removed.
pub fn parse_restriction(text: &str) -> Result<Validity, String> {
    if text.is_empty() {
        Ok(Validity::Always)
    } else if let Some(date) = text.strip_prefix('<') {
        Ok(Validity::Until(parse_date(date)?))
    } else if let Some(date) = text.strip_prefix('>') {
        Ok(Validity::From(parse_date(date)?))
    } else if let Some((start, end)) = text.split_once('-') {
        let (start, end) = (parse_date(start)?, parse_date(end)?);
        if end < start {
            return Err(format!("date range {text:?} ends before it starts"));
        }
        Ok(Validity::Between(start, end))
    } else {
        Err(format!("restriction {text:?} is not <DATE, >DATE or DATE-DATE"))
    }
}

/// `YYYYMMDD` or `YYMMDD` (`YY` <= 30 is 20YY, as in KEDS, TABARI and PETRARCH).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let digits = |s: &str| s.parse::<u32>().map_err(|_| format!("date {text:?} is not YYYYMMDD or YYMMDD"));
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("date {text:?} is not YYYYMMDD or YYMMDD"));
    }
    let (year, month, day) = match text.len() {
        8 => (digits(&text[..4])? as i32, digits(&text[4..6])?, digits(&text[6..])?),
        6 => {
            let yy = digits(&text[..2])? as i32;
            (if yy <= 30 { 2000 + yy } else { 1900 + yy }, digits(&text[2..4])?, digits(&text[4..])?)
        }
        _ => return Err(format!("date {text:?} has {} digits (expected YYYYMMDD or YYMMDD)", text.len())),
    };
    Date::from_ymd(year, month, day).ok_or_else(|| format!("date {text:?} is no calendar day"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::FileId;

    fn parse_str(text: &str) -> (Vec<ActorEntry>, Vec<Error>) {
        let mut errors = Vec::new();
        let source = Source { id: FileId(0), name: "test.actors", text };
        let entries = parse(&source, &mut errors);
        (entries, errors)
    }

    /// Codes the first entry of `dictionary` gets on each date of `dates` (`-` for none), or the
    /// errors, rendered `line: message`.
    fn check(dictionary: &str, dates: &[&str], expect: &str) {
        let (entries, errors) = parse_str(dictionary);
        let got = if !errors.is_empty() {
            crate::dict::render_errors(&errors)
        } else {
            dates
                .iter()
                .map(|date| {
                    let date: Date = date.parse().expect("test date");
                    entries[0].code_on(date).map_or("-".to_string(), |rule| rule.code.clone())
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(got, expect, "dictionary: {dictionary:?}");
    }

    /// The PETRARCH2 bug: an undated default listed first must not shadow a dated code.
    #[test]
    fn dated_code_beats_undated_default() {
        let sam = "SAM_GAMGEE [HOB]  # default\n\
                   \t[HOBCIV <20080120]\n\
                   \t[ORCHOB 20100109-20100112] # overrides the next\n\
                   \t[HOBMIL 20080120-20121109]\n\
                   \t[HOBGOV 20121109-20130119]\n\
                   \t[HOBELI >20130119]\n";
        check(
            sam,
            &["2001-01-01", "2008-01-20", "2010-01-10", "2011-01-01", "2012-12-25", "2026-01-28"],
            "HOBCIV HOBCIV ORCHOB HOBMIL HOBGOV HOBELI",
        );
        check("HAMFAST GAMGEE [HOB]\n\t[HOBGOV 20121109-20130119]", &["2012-12-01", "2014-01-01"], "HOBGOV HOB");
        check("ONODOHER\n\t[ONO <911226]", &["1990-01-01", "1992-01-01"], "ONO -");
    }

    #[test]
    fn sharaa() {
        let entry = "AHMED_AL-SHARAA\n+ABU_MOHAMMAD_AL-JOLANI\n\t[SYRREB <20250128]\n\t[SYRGOV >20250129]";
        check(entry, &["2024-06-01", "2025-01-28", "2025-01-29", "2026-01-28"], "SYRREB SYRREB SYRGOV SYRGOV");
    }

    #[test]
    fn formats() {
        check("GOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]", &["1996-01-01"], "HOBGOV");
        check(
            "JAVIER_DE_CUELLAR_\t[IGOUNO 820101-911231] [ELI]# IGOrulers.txt",
            &["1985-01-01", "2000-01-01"],
            "IGOUNO ELI",
        );
        check("HAMID_KARZAI_  [AFGMIL]; CountryInfo.txt", &["2000-01-01"], "AFGMIL");
        check("ENT  \n\t[ENT]", &["2000-01-01"], "ENT");
        check("PRINCE OF DOL AMROTH\n\t[--- <950630]\n\t[DOL]", &["1990-01-01", "1999-01-01"], "--- DOL");
        check("ZIMBABWE\n\t[RHO <790606]\n\t[ZBW]#jw 9/30/91", &["1970-01-01", "1990-01-01"], "RHO ZBW");
    }

    /// Primary phrases without a code share the codes that follow them, as in PETRARCH2.
    #[test]
    fn uncoded_primaries_share_the_next_codes() {
        let (entries, errors) =
            parse_str("BORIS_YELTSIN_\nYELTSIN\n+PRESIDENT_YELTSIN\n\t[RUSGOV 910710-991231]\nPUTIN [RUSGOV]");
        assert!(errors.is_empty());
        let names: Vec<Vec<&str>> =
            entries.iter().map(|e| e.phrases.iter().map(|p| p.text.as_str()).collect()).collect();
        assert_eq!(names, [vec!["BORIS_YELTSIN_", "YELTSIN", "PRESIDENT_YELTSIN"], vec!["PUTIN"]]);
        assert_eq!(entries[0].codes[0].code, "RUSGOV");
    }

    /// An official's country outlives the office: `ELI` outside the dates, unless a default is given.
    #[test]
    fn former_officials_keep_their_country() {
        let mitterrand = "FRANCOIS_MITTERRAND_\n\t[FRAELI 340101-810521]\n\t[FRAGOV 810521-950517]";
        check(mitterrand, &["1990-01-01", "2000-01-01"], "FRAGOV FRAELI");
        check("GOLLUM\n\t[HOB <950601]\n\t[HOBREB >990816]", &["1997-01-01"], "-");
        check("BAN_KI-MOON\n\t[IGOUNO >20070101]\n\t[KORGOV 20040117-20061201]", &["2000-01-01"], "-");
        check("KENZO_OSHIMA_\n\t[JPNGOV 050601-070831]", &["2000-01-01", "2008-01-01"], "- JPNELI");
    }

    #[test]
    fn errors_name_the_line() {
        check(
            "X\n\t[950601-990815]",
            &[],
            "2: \"950601-990815\" is not an actor code (expected letters, e.g. [RUSGOV 20000507-20080507])",
        );
        check("X [KOR 2004017-20061201]", &[], "1: date \"2004017\" has 7 digits (expected YYYYMMDD or YYMMDD)");
        check("X [KOR 20040231-20061201]", &[], "1: date \"20040231\" is no calendar day");
        check("[ABC]\nX", &[], "1: code \"[ABC]\" comes before any actor phrase");
        check("X [ABC] trailing", &[], "1: unexpected text \"trailing\" after the code");
        check("X [ABC", &[], "1: missing ']' in \"[ABC\"");
        check("+FAEROYENE]_", &[], "1: synonym \"+FAEROYENE]_\" comes before any actor phrase");
    }

    #[test]
    fn bad_lines_do_not_stop_the_rest() {
        let (entries, errors) = parse_str("A [AAA]\nB [BBB 2004017-2005]\nC [CCC]\n+D]\nE [EEE]");
        assert_eq!(errors.len(), 2);
        let names: Vec<&str> = entries.iter().map(|e| e.name()).collect();
        assert_eq!(names, ["A", "B", "C", "E"]);
        assert_eq!(entries[2].phrases.len(), 1);
    }
}
