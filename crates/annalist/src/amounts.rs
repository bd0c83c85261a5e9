//! Amounts: the numbers an article reports, with what they measure or count.
//!
//! "some 4 percent", "$3 billion", "12 soldiers killed", "thousands of protesters", Reuters'
//! "1.2 mln dlrs" and "12 pct", "a second visit". Each [`Amount`] has its value at full magnitude
//! (3,000,000,000 for "$3 billion"), a normalized unit, what is counted, the approximation word
//! ("some", "more than", "thousands") and the span it was read from.
//!
//! The reader works on tagged tokens, not the parse: amounts are short and their words are few
//! and fixed, and most sentences holding one have no actor and are never parsed. Numbers inside a
//! time expression ("in 1944", "in four months", "January 28") are times, not amounts, and a
//! number that names something ("Resolution 2254", "F-16", "the 2026 budget") is no amount.

use crate::nlp::{TaggedSentence, TaggedToken, Upos};
use crate::text::{Span, TokenKind};
use crate::time::TimeExpr;
use serde::{Serialize, Serializer};

/// What an amount measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AmountKind {
    /// A sum of money; the unit is an ISO 4217 code where the currency is unambiguous.
    Money,
    Percent,
    /// A physical quantity: distance, area, weight, volume, energy.
    Measure,
    /// A length of time that is not itself a time expression ("for two years").
    Duration,
    /// People or things counted ("12 soldiers", "thousands of protesters").
    Count,
    /// A rank ("second visit"): the value is its number.
    Ordinal,
    /// A bare number ("the toll rose to 35").
    Number,
}

/// One amount in an article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Amount {
    /// At full magnitude; integers print without a fraction. A vague quantity ("thousands")
    /// gives its least value, with the word in `approximation`.
    #[serde(serialize_with = "number")]
    pub value: f64,
    /// The upper end of a range ("10 to 15 percent", "between 200 and 300 people").
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "optional_number")]
    pub upper: Option<f64>,
    /// "percent", "percentage point", "USD", "km", "tonne", "year"...; absent for counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub kind: AmountKind,
    /// What is counted, as written: "soldiers", "Syrian soldiers", "visit".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<String>,
    /// The word that makes it approximate or a bound: "some", "more than", "up to", "thousands".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximation: Option<String>,
    /// `&text[span]`.
    pub text: String,
    pub span: Span,
    /// Index of the sentence in the article.
    pub sentence: usize,
}

fn number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    // 4, not 4.0: the contract's example, and what a reader of "$3 billion" expects.
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

fn optional_number<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => number(value, serializer),
        None => serializer.serialize_none(),
    }
}

/// The amounts of an article's sentences, in text order. `times` are the article's time
/// expressions, whose numbers are left to them.
pub fn find_amounts(text: &str, sentences: &[TaggedSentence], times: &[TimeExpr]) -> Vec<Amount> {
    let mut amounts = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let mut claimed = vec![false; sentence.tokens.len()];
        for time in times.iter().filter(|t| t.sentence == index) {
            for slot in claimed.iter_mut().take(time.tokens.1).skip(time.tokens.0) {
                *slot = true;
            }
        }
        let reader = Reader::new(text, &sentence.tokens, claimed);
        let mut at = 0;
        while at < reader.len() {
            match reader.amount(at) {
                Some((mut amount, end)) => {
                    amount.sentence = index;
                    amounts.push(amount);
                    at = end;
                }
                None => at += 1,
            }
        }
    }
    amounts
}

/// Word sequences before a number that make it approximate or a bound, longest first where one
/// begins another.
const APPROXIMATIONS: &[&[&str]] = &[
    &["no", "fewer", "than"],
    &["no", "more", "than"],
    &["not", "more", "than"],
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["as", "many", "as"],
    &["as", "much", "as"],
    &["as", "few", "as"],
    &["as", "little", "as"],
    &["close", "to"],
    &["just", "over"],
    &["just", "under"],
    &["well", "over"],
    &["upwards", "of"],
    &["in", "excess", "of"],
    &["an", "estimated"],
    &["estimated"],
    &["nearly"],
    &["almost"],
    &["about"],
    &["around"],
    &["approximately"],
    &["roughly"],
    &["some"],
    &["over"],
    &["under"],
    &["below"],
    &["above"],
    &["circa"],
];

/// Currency signs and codes written before the number, with the unit they give.
const CURRENCY_PREFIXES: &[(&[&str], &str)] = &[
    (&["us", "$"], "USD"),
    (&["us$"], "USD"),
    (&["a", "$"], "AUD"),
    (&["a$"], "AUD"),
    (&["c", "$"], "CAD"),
    (&["c$"], "CAD"),
    (&["hk", "$"], "HKD"),
    (&["hk$"], "HKD"),
    (&["$"], "USD"),
    (&["€"], "EUR"),
    (&["£"], "GBP"),
    (&["¥"], "JPY"),
    (&["₹"], "INR"),
    (&["₽"], "RUB"),
    (&["usd"], "USD"),
    (&["eur"], "EUR"),
    (&["gbp"], "GBP"),
];

/// Units written after the number: word sequences, the unit they normalize to, and its kind.
/// Where a currency word names several currencies ("francs", "rupees"), the unit is the word.
const UNITS: &[(&[&str], &str, AmountKind)] = &[
    (&["percentage", "points"], "percentage point", AmountKind::Percent),
    (&["percentage", "point"], "percentage point", AmountKind::Percent),
    (&["per", "cent"], "percent", AmountKind::Percent),
    (&["percent"], "percent", AmountKind::Percent),
    (&["pct"], "percent", AmountKind::Percent),
    (&["%"], "percent", AmountKind::Percent),
    (&["us", "dollars"], "USD", AmountKind::Money),
    (&["dollars"], "USD", AmountKind::Money),
    (&["dollar"], "USD", AmountKind::Money),
    (&["dlrs"], "USD", AmountKind::Money),
    (&["dlr"], "USD", AmountKind::Money),
    (&["euros"], "EUR", AmountKind::Money),
    (&["euro"], "EUR", AmountKind::Money),
    (&["pounds", "sterling"], "GBP", AmountKind::Money),
    (&["sterling"], "GBP", AmountKind::Money),
    (&["stg"], "GBP", AmountKind::Money),
    (&["yen"], "JPY", AmountKind::Money),
    (&["yuan"], "CNY", AmountKind::Money),
    (&["renminbi"], "CNY", AmountKind::Money),
    (&["rubles"], "RUB", AmountKind::Money),
    (&["roubles"], "RUB", AmountKind::Money),
    (&["ruble"], "RUB", AmountKind::Money),
    (&["rouble"], "RUB", AmountKind::Money),
    (&["hryvnias"], "UAH", AmountKind::Money),
    (&["shekels"], "ILS", AmountKind::Money),
    (&["lira"], "lira", AmountKind::Money),
    (&["lire"], "lira", AmountKind::Money),
    (&["francs"], "franc", AmountKind::Money),
    (&["marks"], "mark", AmountKind::Money),
    (&["rupees"], "rupee", AmountKind::Money),
    (&["riyals"], "riyal", AmountKind::Money),
    (&["dinars"], "dinar", AmountKind::Money),
    (&["pesos"], "peso", AmountKind::Money),
    (&["pence"], "penny", AmountKind::Money),
    (&["cents"], "cent", AmountKind::Money),
    (&["cts"], "cent", AmountKind::Money),
    (&["square", "kilometres"], "km2", AmountKind::Measure),
    (&["square", "kilometers"], "km2", AmountKind::Measure),
    (&["square", "km"], "km2", AmountKind::Measure),
    (&["square", "miles"], "mi2", AmountKind::Measure),
    (&["sq", "km"], "km2", AmountKind::Measure),
    (&["kilometres"], "km", AmountKind::Measure),
    (&["kilometers"], "km", AmountKind::Measure),
    (&["kilometre"], "km", AmountKind::Measure),
    (&["kilometer"], "km", AmountKind::Measure),
    (&["km"], "km", AmountKind::Measure),
    (&["miles"], "mile", AmountKind::Measure),
    (&["mile"], "mile", AmountKind::Measure),
    (&["metres"], "m", AmountKind::Measure),
    (&["meters"], "m", AmountKind::Measure),
    (&["hectares"], "ha", AmountKind::Measure),
    (&["acres"], "acre", AmountKind::Measure),
    (&["metric", "tonnes"], "tonne", AmountKind::Measure),
    (&["metric", "tonne"], "tonne", AmountKind::Measure),
    (&["metric", "tons"], "tonne", AmountKind::Measure),
    (&["tonnes"], "tonne", AmountKind::Measure),
    (&["tonne"], "tonne", AmountKind::Measure),
    (&["tons"], "ton", AmountKind::Measure),
    (&["ton"], "ton", AmountKind::Measure),
    (&["kilograms"], "kg", AmountKind::Measure),
    (&["kilos"], "kg", AmountKind::Measure),
    (&["kg"], "kg", AmountKind::Measure),
    (&["barrels", "per", "day"], "barrel per day", AmountKind::Measure),
    (&["barrels", "a", "day"], "barrel per day", AmountKind::Measure),
    (&["barrels"], "barrel", AmountKind::Measure),
    (&["bpd"], "barrel per day", AmountKind::Measure),
    (&["litres"], "l", AmountKind::Measure),
    (&["liters"], "l", AmountKind::Measure),
    (&["gallons"], "gallon", AmountKind::Measure),
    (&["cubic", "metres"], "m3", AmountKind::Measure),
    (&["cubic", "meters"], "m3", AmountKind::Measure),
    (&["megawatts"], "MW", AmountKind::Measure),
    (&["megawatt"], "MW", AmountKind::Measure),
    (&["mw"], "MW", AmountKind::Measure),
    (&["gigawatts"], "GW", AmountKind::Measure),
    (&["bushels"], "bushel", AmountKind::Measure),
    (&["ounces"], "ounce", AmountKind::Measure),
    (&["centuries"], "century", AmountKind::Duration),
    (&["century"], "century", AmountKind::Duration),
    (&["decades"], "decade", AmountKind::Duration),
    (&["decade"], "decade", AmountKind::Duration),
    (&["years"], "year", AmountKind::Duration),
    (&["year"], "year", AmountKind::Duration),
    (&["months"], "month", AmountKind::Duration),
    (&["month"], "month", AmountKind::Duration),
    (&["weeks"], "week", AmountKind::Duration),
    (&["week"], "week", AmountKind::Duration),
    (&["days"], "day", AmountKind::Duration),
    (&["day"], "day", AmountKind::Duration),
    (&["hours"], "hour", AmountKind::Duration),
    (&["hour"], "hour", AmountKind::Duration),
    (&["minutes"], "minute", AmountKind::Duration),
];

/// Words that scale the number before them ("3.5 million"), Reuters' abbreviations included.
const MULTIPLIERS: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("mln", 1e6),
    ("mn", 1e6),
    ("billion", 1e9),
    ("bln", 1e9),
    ("bn", 1e9),
    ("trillion", 1e12),
    ("tln", 1e12),
    ("trn", 1e12),
    ("dozen", 12.0),
];

/// Suffixes glued to digits ("3bn", "5km"): a multiplier, or a unit.
const GLUED_MULTIPLIERS: &[(&str, f64)] = &[("bn", 1e9), ("b", 1e9), ("mln", 1e6), ("mn", 1e6), ("m", 1e6), ("k", 1e3)];

/// A vague quantity's word, with its least value: "thousands of protesters" are at least 1,000.
const VAGUE: &[(&str, f64)] =
    &[("dozens", 12.0), ("scores", 20.0), ("hundreds", 1e2), ("thousands", 1e3), ("millions", 1e6), ("billions", 1e9)];

const CARDINALS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

const ORDINALS: &[(&str, f64)] = &[
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
    ("eleventh", 11.0),
    ("twelfth", 12.0),
    ("twentieth", 20.0),
];

/// Nouns after an ordinal that make it part of a time ("the second week", "first half") or a
/// fixed phrase, not a rank worth reporting.
const NOT_RANKED: &[&str] = &[
    "week",
    "month",
    "year",
    "day",
    "quarter",
    "half",
    "century",
    "decade",
    "round",
    "place",
    "hand",
    "person",
    "lady",
    "minister",
    "deputy",
    "secretary",
    "class",
    "floor",
    "instance",
    "step",
];

/// Participles that say what happened to the counted, joined to the amount's text ("12 soldiers
/// killed"): a casualty or detention count is what analysts look for.
const STATES: &[&str] = &[
    "killed",
    "wounded",
    "injured",
    "arrested",
    "detained",
    "displaced",
    "captured",
    "kidnapped",
    "abducted",
    "executed",
    "evacuated",
    "rescued",
    "deported",
    "released",
    "freed",
    "jailed",
    "imprisoned",
    "sentenced",
    "deployed",
    "missing",
    "dead",
];

/// Modifiers allowed between a number and what it counts ("12 more soldiers").
const COUNT_MODIFIERS: &[&str] = &["more", "other", "additional", "further", "new", "extra"];

/// A number as read: its value, and the token after it.
struct Read {
    /// The digits as an integer, and how many of them follow the decimal point: 1.2 billion is
    /// 12 times a billion over ten, exactly 1,200,000,000 (1.2 times a billion is not).
    mantissa: f64,
    decimals: i32,
    /// The product of the multipliers after it; 1 when none.
    scale: f64,
    /// The upper end of a range written as one token ("10-15").
    upper: Option<f64>,
    next: usize,
    /// A number written in digits (bare numbers count only then: "one" is mostly a pronoun).
    digits: bool,
    /// The vague word it was read from ("thousands").
    vague: Option<String>,
    /// A unit glued to the digits ("5km", "10%").
    unit: Option<(&'static str, AmountKind)>,
}

struct Reader<'a> {
    text: &'a str,
    tokens: &'a [TaggedToken],
    lower: Vec<String>,
    claimed: Vec<bool>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, tokens: &'a [TaggedToken], claimed: Vec<bool>) -> Reader<'a> {
        let lower = tokens.iter().map(|t| text[t.token.span].to_lowercase()).collect();
        Reader { text, tokens, lower, claimed }
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn word(&self, at: usize) -> &str {
        self.lower.get(at).map_or("", String::as_str)
    }

    fn raw(&self, at: usize) -> &'a str {
        &self.text[self.tokens[at].token.span]
    }

    fn free(&self, at: usize) -> bool {
        at < self.len() && !self.claimed[at]
    }

    /// The length of `phrase` if the words from `at` are it.
    fn matches(&self, at: usize, phrase: &[&str]) -> Option<usize> {
        phrase
            .iter()
            .enumerate()
            .all(|(i, word)| self.free(at + i) && self.word(at + i) == *word)
            .then_some(phrase.len())
    }

    /// The length of a currency sign from `at`: "US$" may be one token or two, but "a $500bn"
    /// is no Australian dollar, so a sign's tokens touch.
    fn currency(&self, at: usize) -> Option<(usize, &'static str)> {
        CURRENCY_PREFIXES.iter().find_map(|(sign, code)| {
            let len = self.matches(at, sign)?;
            let touching =
                (at + 1..at + len).all(|t| self.tokens[t - 1].token.span.end == self.tokens[t].token.span.start);
            touching.then_some((len, *code))
        })
    }

    /// The amount that starts at token `at`, and the token after it.
    fn amount(&self, at: usize) -> Option<(Amount, usize)> {
        if !self.free(at) {
            return None;
        }
        if let Some(found) = self.ordinal(at) {
            return Some(found);
        }
        let (approximation, mut next) = match APPROXIMATIONS.iter().find_map(|p| self.matches(at, p)) {
            Some(len) => (Some(self.words(at, at + len)), at + len),
            None => (None, at),
        };
        let between = self.word(next) == "between";
        if between {
            next += 1;
        }
        let mut unit = None;
        if let Some((len, code)) = self.currency(next) {
            unit = Some((code, AmountKind::Money));
            next += len;
        }
        let number_at = next;
        let first = self.number(number_at)?;
        if self.names_something(next, &first, approximation.is_some() || unit.is_some()) {
            return None;
        }
        let mut value = first.value();
        let mut next = first.next;
        let mut upper = first.upper.map(|high| high * first.scale);
        let separator = if between { &["and"][..] } else { &["to", "-", "–", "or"][..] };
        if separator.contains(&self.word(next)) && self.word(at.wrapping_sub(1)) != "from" {
            // "$2 to $3 billion"
            let after = next + 1 + self.currency(next + 1).filter(|_| unit.is_some()).map_or(0, |(len, _)| len);
            if let Some(second) = self.number(after).filter(|s| s.vague.is_none()) {
                // "2 to 3 million": the first takes the second's multiplier.
                if first.scale == 1.0 {
                    value = first.scaled(second.scale);
                }
                if second.value() > value {
                    upper = Some(second.value());
                    next = second.next;
                }
            }
        } else if between {
            return None;
        }
        // "billions of dollars" is money, as "thousands of protesters" is a count.
        let of = usize::from(first.vague.is_some() && self.word(next) == "of");
        if let Some(glued) = first.unit {
            unit = Some(glued);
        } else if let Some((len, code, kind)) =
            UNITS.iter().find_map(|(p, code, kind)| Some((self.matches(next + of, p)? + of, *code, *kind)))
        {
            let money_twice = unit.is_some() && kind == AmountKind::Money;
            if unit.is_none() || money_twice {
                unit = Some((code, kind));
                next += len;
            }
        }
        let mut counted = None;
        let mut end = next;
        if unit.is_none() {
            // A plural counts through "of" ("thousands of protesters"), a multiplier does not
            // ("several hundred refugees").
            let needs_of = first.vague.as_deref().is_some_and(|v| v.ends_with('s'));
            if let Some((noun_start, noun_end, after)) = self.counted(next, needs_of) {
                // "one" is mostly a pronoun or an article ("one possible reason"), unless what
                // happened to it is said ("one soldier killed").
                if self.word(number_at) == "one" && first.scale == 1.0 && after == noun_end {
                    return None;
                }
                counted = Some(self.text[self.span(noun_start, noun_end)].to_string());
                end = after;
            } else if first.vague.is_some() || !first.digits {
                return None;
            }
        }
        let kind = match (unit, &counted) {
            (Some((_, kind)), _) => kind,
            (None, Some(_)) => AmountKind::Count,
            (None, None) => AmountKind::Number,
        };
        let plain = matches!(kind, AmountKind::Number | AmountKind::Count) && approximation.is_none();
        if plain && first.scale == 1.0 && looks_like_a_year(self.raw(number_at)) {
            return None;
        }
        let approximation = approximation.or(first.vague);
        let span = self.span(at, end);
        Some((
            Amount {
                value,
                upper,
                unit: unit.map(|(code, _)| code.to_string()),
                kind,
                counted,
                approximation,
                text: self.text[span].to_string(),
                span,
                sentence: 0,
            },
            end,
        ))
    }

    /// A rank before what it ranks: "a second visit", "the 3rd round" (a time's "first half" and a
    /// title's "First Deputy" are no ranks).
    fn ordinal(&self, at: usize) -> Option<(Amount, usize)> {
        let word = self.word(at);
        let value = ORDINALS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v).or_else(|| {
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let suffix = &word[digits.len()..];
            let suffix_ok = matches!(suffix, "st" | "nd" | "rd" | "th");
            (suffix_ok && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse().ok())
                .flatten()
        })?;
        let first_letter_upper = self.raw(at).chars().next().is_some_and(char::is_uppercase);
        if first_letter_upper && at > 0 {
            return None;
        }
        // "second visit", "first working day" (a time): the nouns after it, judged by the last.
        let mut end = at + 1;
        while end < at + 4 && self.free(end) && self.tokens[end].upos == Upos::Noun {
            end += 1;
        }
        if end == at + 1 || NOT_RANKED.contains(&self.word(end - 1)) {
            return None;
        }
        let span = self.span(at, end);
        Some((
            Amount {
                value,
                upper: None,
                unit: None,
                kind: AmountKind::Ordinal,
                counted: Some(self.text[self.span(at + 1, end)].to_string()),
                approximation: None,
                text: self.text[span].to_string(),
                span,
                sentence: 0,
            },
            end,
        ))
    }

    /// A number from token `at`: digits ("1,200", "3.5", "3bn", "10%"), words ("twelve", "two
    /// hundred", "a dozen"), either followed by multipliers ("3.5 million"), or a vague quantity
    /// ("thousands", "tens of thousands", "several hundred").
    fn number(&self, at: usize) -> Option<Read> {
        if !self.free(at) {
            return None;
        }
        let word = self.word(at);
        let mut read = if self.tokens[at].token.kind == TokenKind::Number {
            match decimal(word) {
                Some((mantissa, decimals)) => Read { digits: true, ..Read::new(mantissa, decimals, at + 1) },
                None => {
                    // "10-15": a range in one token.
                    let (low, high) = word.split_once('-')?;
                    let ((low, low_decimals), (high, high_decimals)) = (decimal(low)?, decimal(high)?);
                    let high = high / 10f64.powi(high_decimals);
                    let read = Read { digits: true, ..Read::new(low, low_decimals, at + 1) };
                    (high > read.value()).then_some(Read { upper: Some(high), ..read })?
                }
            }
        } else if let Some(read) = self.glued(at) {
            read
        } else if let Some(&(_, least)) = VAGUE.iter().find(|(w, _)| *w == word) {
            // "hundreds of thousands": the vague word scales what follows "of".
            let mut read = Read::new(least, 0, at + 1);
            if self.word(at + 1) == "of" {
                if let Some(&(_, more)) = VAGUE.iter().find(|(w, _)| *w == self.word(at + 2)) {
                    read.scale = more;
                    read.next = at + 3;
                }
            }
            read.vague = Some(self.words(at, read.next));
            return Some(read);
        } else if word == "tens" && self.word(at + 1) == "of" {
            let &(_, more) = VAGUE.iter().find(|(w, _)| *w == self.word(at + 2))?;
            let vague = Some(self.words(at, at + 3));
            return Some(Read { scale: more, vague, ..Read::new(10.0, 0, at + 3) });
        } else if matches!(word, "several" | "few") || (word == "a" && self.word(at + 1) == "few") {
            // "several hundred", "a few thousand": at least one of the multiplier.
            let start = if word == "a" { at + 2 } else { at + 1 };
            let &(_, scale) = MULTIPLIERS.iter().find(|(w, _)| *w == self.word(start))?;
            let vague = Some(self.words(at, start));
            return Some(Read { scale, vague, ..Read::new(1.0, 0, start + 1) });
        } else {
            self.number_words(at)?
        };
        if read.unit.is_none() {
            // "3.5 million", "two hundred thousand": multipliers multiply.
            while let Some(&(_, scale)) =
                MULTIPLIERS.iter().find(|(w, _)| self.free(read.next) && *w == self.word(read.next))
            {
                read.scale *= scale;
                read.next += 1;
            }
            // "two hundred and fifty", "three hundred twenty"
            let and = usize::from(self.word(read.next) == "and");
            let rest_at = read.next + and;
            if !read.digits && read.scale >= 100.0 && self.free(rest_at) {
                if let Some(rest) = self.number_words(rest_at).filter(|r| r.mantissa < 100.0) {
                    read = Read { next: rest.next, ..Read::new(read.value() + rest.mantissa, 0, rest.next) };
                }
            }
        }
        Some(read)
    }

    /// Digits with a suffix in one token: "3bn", "1.5m", "5km", "10pc".
    fn glued(&self, at: usize) -> Option<Read> {
        let word = self.word(at);
        let digits_len = word.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
        if digits_len == 0 {
            return None;
        }
        let (mantissa, decimals) = decimal(&word[..digits_len])?;
        let read = Read { digits: true, ..Read::new(mantissa, decimals, at + 1) };
        let suffix = &word[digits_len..];
        if let Some(&(_, scale)) = GLUED_MULTIPLIERS.iter().find(|(s, _)| *s == suffix) {
            return Some(Read { scale, ..read });
        }
        let unit = match suffix {
            "km" => ("km", AmountKind::Measure),
            "kg" => ("kg", AmountKind::Measure),
            "mw" => ("MW", AmountKind::Measure),
            "pc" => ("percent", AmountKind::Percent),
            _ => return None,
        };
        Some(Read { unit: Some(unit), ..read })
    }

    /// A number in words: "twelve", "twenty-five", "two hundred and fifty", "a million", "a dozen".
    fn number_words(&self, at: usize) -> Option<Read> {
        let word = self.word(at);
        if matches!(word, "a" | "an") {
            // "a million", "a dozen": the multiplier loop reads the word after.
            return MULTIPLIERS.iter().any(|(w, _)| *w == self.word(at + 1)).then(|| Read::new(1.0, 0, at + 1));
        }
        let mut value = cardinal(word)?;
        let mut next = at + 1;
        // "twenty five"
        if value >= 20.0 && value % 10.0 == 0.0 {
            if let Some(units) = cardinal(self.word(next)).filter(|&u| u < 10.0 && self.free(next)) {
                value += units;
                next += 1;
            }
        }
        Some(Read::new(value, 0, next))
    }

    /// What a number counts: the noun (with up to two adjectives before it) right after it, or
    /// after "of" for a vague quantity; a past participle after the noun joins the text ("12
    /// soldiers killed"). Returns the counted words' token range and the token after the amount.
    fn counted(&self, at: usize, needs_of: bool) -> Option<(usize, usize, usize)> {
        let start = match self.word(at) {
            "of" if needs_of => at + 1,
            _ if needs_of => return None,
            _ => at,
        };
        let mut noun = start;
        while noun < start + 3
            && self.free(noun)
            && (self.tokens[noun].upos == Upos::Adj || COUNT_MODIFIERS.contains(&self.word(noun)))
        {
            noun += 1;
        }
        let first_noun = noun;
        while self.free(noun) && self.tokens[noun].upos == Upos::Noun {
            noun += 1;
        }
        if noun == first_noun {
            return None;
        }
        let mut after = noun;
        if self.free(after) && STATES.contains(&self.word(after)) {
            after += 1;
        }
        Some((start, noun, after))
    }

    /// A number that is part of a name or a compound, not an amount: after a proper noun
    /// ("Resolution 2254", "Boeing 737"), glued to letters or a hyphen ("F-16", "COVID-19"), or
    /// before a hyphen ("a 12-month deal", "a 7-2 vote").
    fn names_something(&self, at: usize, read: &Read, qualified: bool) -> bool {
        if qualified || !read.digits {
            return false;
        }
        let span = self.tokens[at].token.span;
        let before = self.text[..span.start as usize].chars().next_back();
        let after = self.text[span.end as usize..].chars().next();
        let after_name = at > 0
            && !self.claimed[at - 1]
            && (self.tokens[at - 1].upos == Upos::Propn
                || self.raw(at - 1).chars().next().is_some_and(char::is_uppercase)
                    && self.tokens[at - 1].upos == Upos::Noun);
        after_name
            || before.is_some_and(|c| c.is_alphabetic() || matches!(c, '-' | '/' | '#'))
            || after.is_some_and(|c| c.is_alphabetic() || c == '-')
    }

    /// The lowercase words from `start` to `end`, joined by spaces.
    fn words(&self, start: usize, end: usize) -> String {
        self.lower[start..end].join(" ")
    }

    /// The text span of tokens `start..end`.
    fn span(&self, start: usize, end: usize) -> Span {
        self.tokens[start].token.span.cover(self.tokens[end - 1].token.span)
    }
}

impl Read {
    fn new(mantissa: f64, decimals: i32, next: usize) -> Read {
        Read { mantissa, decimals, scale: 1.0, upper: None, next, digits: false, vague: None, unit: None }
    }

    fn value(&self) -> f64 {
        self.scaled(self.scale)
    }

    fn scaled(&self, scale: f64) -> f64 {
        self.mantissa * scale / 10f64.powi(self.decimals)
    }
}

fn cardinal(word: &str) -> Option<f64> {
    if let Some((tens, units)) = word.split_once('-') {
        let tens = CARDINALS.iter().find(|(w, _)| *w == tens).map(|(_, v)| *v)?;
        let units = CARDINALS.iter().find(|(w, _)| *w == units).map(|(_, v)| *v)?;
        return (tens >= 20.0 && units < 10.0).then_some(tens + units);
    }
    CARDINALS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

/// "1,200" and "3.5" as an integer and its number of decimals ((1200, 0), (35, 1)); "10:30",
/// "11/28/2000" and "713-853-3989" are not amounts.
fn decimal(word: &str) -> Option<(f64, i32)> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return None;
    }
    let (whole, fraction) = word.split_once('.').unwrap_or((word, ""));
    if fraction.contains('.') || fraction.contains(',') {
        return None;
    }
    // Commas group thousands: "1,200,000"; "1,2" is no number in English text.
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    // "00" of "10.00" read apart, "007": no amount starts with a zero digit.
    if whole.len() > 1 && whole.starts_with('0') {
        return None;
    }
    let digits = format!("{}{fraction}", groups.concat());
    if digits.is_empty() || digits.len() > 15 {
        return None;
    }
    Some((digits.parse().ok()?, fraction.len() as i32))
}

/// A four-digit number between 1000 and 2100 with nothing after it is a year the time reader
/// left alone ("the 2026 budget"), not an amount.
fn looks_like_a_year(word: &str) -> bool {
    word.len() == 4 && word.parse::<u32>().is_ok_and(|year| (1000..=2100).contains(&year))
}

#[cfg(test)]
mod tests {
    use crate::pipeline::tests::{pipeline, test_article};

    /// Each amount of `text` as `text = value[..upper] unit kind (counted) ~approximation`.
    fn amounts(text: &str) -> Vec<String> {
        let coded = pipeline().code(&test_article(text));
        coded
            .amounts
            .iter()
            .map(|a| {
                assert_eq!(&text[a.span], a.text);
                let value = serde_json::to_value(a).expect("an amount serializes");
                let upper = a.upper.map(|_| format!("..{}", value["upper"])).unwrap_or_default();
                let mut out =
                    format!("{} = {}{upper} {}", a.text, value["value"], value["kind"].as_str().unwrap_or("?"));
                if let Some(unit) = &a.unit {
                    out += &format!(" {unit}");
                }
                if let Some(counted) = &a.counted {
                    out += &format!(" ({counted})");
                }
                if let Some(approximation) = &a.approximation {
                    out += &format!(" ~{approximation}");
                }
                out
            })
            .collect()
    }

    #[test]
    fn reads_amounts() {
        let cases: &[(&str, &[&str])] = &[
            ("Economic cooperation grew by some 4 percent.", &["some 4 percent = 4 percent percent ~some"]),
            ("The fund is worth $3 billion.", &["$3 billion = 3000000000 money USD"]),
            (
                "Net profit rose 12 pct to 1.2 mln dlrs.",
                &["12 pct = 12 percent percent", "1.2 mln dlrs = 1200000 money USD"],
            ),
            (
                "Officials said 12 soldiers killed in the attack were buried.",
                &["12 soldiers killed = 12 count (soldiers)"],
            ),
            (
                "Thousands of protesters marched in the capital.",
                &["Thousands of protesters = 1000 count (protesters) ~thousands"],
            ),
            (
                "Tens of thousands of people fled.",
                &["Tens of thousands of people = 10000 count (people) ~tens of thousands"],
            ),
            ("It pledged about £2.5bn.", &["about £2.5bn = 2500000000 money GBP ~about"]),
            ("Between 200 and 300 people were detained.", &["Between 200 and 300 people = 200..300 count (people)"]),
            ("Aid rose to 2 to 3 million dollars.", &["2 to 3 million dollars = 2000000..3000000 money USD"]),
            ("Turnout was 10-15 percent.", &["10-15 percent = 10..15 percent percent"]),
            (
                "Unemployment fell 0.3 percentage points to 5.1%.",
                &["0.3 percentage points = 0.3 percent percentage point", "5.1% = 5.1 percent percent"],
            ),
            (
                "Two hundred and fifty troops and several hundred refugees crossed.",
                &[
                    "Two hundred and fifty troops = 250 count (troops)",
                    "several hundred refugees = 100 count (refugees) ~several",
                ],
            ),
            ("It is his second visit to Moscow.", &["second visit = 2 ordinal (visit)"]),
            (
                "The pipeline carries 3.3 million barrels per day across 1,200 km.",
                &["3.3 million barrels per day = 3300000 measure barrel per day", "1,200 km = 1200 measure km"],
            ),
            ("The death toll rose to more than 35.", &["more than 35 = 35 number ~more than"]),
            // Billions of a currency are money.
            ("It cost billions of dollars.", &["billions of dollars = 1000000000 money USD ~billions"]),
            // Names, compounds, years, dates and times are no amounts.
            ("Resolution 2254 was adopted.", &[]),
            ("The F-16 jets flew on March 3 in 1944.", &[]),
            ("A 12-month deal for the 2026 budget was signed at 10:30.", &[]),
            ("One possible reason is that one of them left a year ago.", &[]),
            ("The first half of the year was hard.", &[]),
            ("It will reopen in four months.", &[]),
            ("She was the First Deputy Prime Minister.", &[]),
            // "a $500bn": the article, not an Australian dollar.
            ("It is a $500bn market.", &["$500bn = 500000000000 money USD"]),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(text, expected)| {
                let found = amounts(text);
                (found != *expected).then(|| format!("{text}\n  found    {found:?}\n  expected {expected:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn odd_numbers_do_not_panic() {
        for text in
            ["$", "$ and", "between 3 and", "tens of", "1,2,3 and 1.2.3", "99999999999999999999 dollars", "-5 - 4 %"]
        {
            let _ = amounts(text);
        }
    }
}
