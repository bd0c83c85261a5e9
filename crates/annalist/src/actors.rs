//! Actor coding: finding the mentions of actors in an article's sentences and giving each its CAMEO
//! code on the article's date.
//!
//! A mention is one of:
//! - a **name** in the actor dictionary, longest match first over normalized words ("Russian
//!   President Vladimir Putin", "Ahmed al Sharaa", "Syria"), coded as the entry says on the date;
//! - a **country and agent**: a country name or adjective followed by an agent noun ("the Syrian
//!   army" = SYR + ~MIL = SYRMIL, "the Russian government" = RUSGOV, "Syria's government"), or an
//!   agent followed by "of" and a country ("the government of Syria");
//! - a **title and name**: country, title and a known person ("Syrian President Ahmed al-Sharaa")
//!   take the person's code; an appositive ("his Syrian counterpart, Ahmed al Sharaa") merges into
//!   one mention with the person's code;
//! - a **short form** of a person named earlier in the article: the surname, with or without its
//!   particle ("Putin", "al Sharaa"), or the name that followed a title ("Foreign Minister Sergei
//!   Lavrov ... Lavrov said");
//! - a **capital** standing for its state: "Moscow" is RUS, and RUSGOV when it acts or speaks
//!   ("Moscow said", "Moscow has rejected");
//! - a **bare agent** with no country ("officials", "the army"): `---` and the agent's code, the
//!   convention of the PETRARCH validation records for "a government of no named country".
//!
//! Mentions joined by "and", "or", commas or a hyphen ("Russia and Syria", "Russia-Syria ties")
//! form a [`Compound`].
//!
//! Names must start with a capital letter (or a particle or "the" before one), so that "us" is not
//! the United States and "turkey" is not Turkey.

use crate::date::Date;
use crate::dict::agents::AgentEntry;
use crate::dict::normalize::{first_key_word, is_particle, normalize_word};
use crate::dict::{ActorMatch, Dictionaries, Provenance};
use crate::text::{Sentence, Span, TokenKind};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// An actor mentioned in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// From the first word (including a determiner such as "the" or "his") to the last.
    pub span: Span,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// Token range within the sentence, `[first, last + 1)`.
    pub tokens: (usize, usize),
    /// The CAMEO code on the article's date; `None` when the entry has no code on that date.
    pub code: Option<String>,
    pub kind: MentionKind,
    /// The dictionary lines that produced the code (actor entry or rule, then agent).
    #[serde(skip)]
    pub provenance: Vec<Provenance>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A phrase of the actor dictionary.
    Name,
    /// A person's surname or short form after the full name earlier in the article.
    ShortForm,
    /// A country (name or adjective) with an agent: "the Syrian army".
    CountryAgent,
    /// A title and a person, or a description and an appositive name: the person's code.
    TitledName,
    /// A capital city standing for its state.
    Capital,
    /// An agent with no country.
    Agent,
}

/// Mentions joined by a conjunction, commas or a hyphen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Compound {
    pub span: Span,
    /// Indices into [`ActorCoding::mentions`].
    pub mentions: Vec<usize>,
}

/// The actors of an article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ActorCoding {
    pub mentions: Vec<Mention>,
    pub compounds: Vec<Compound>,
}

/// Finds and codes the actor mentions of an article. `date` is the article's date; without one,
/// entries give their undated default code.
pub fn code_actors(text: &str, sentences: &[Sentence], date: Option<Date>, dictionaries: &Dictionaries) -> ActorCoding {
    let mut coder = Coder { dictionaries, date, aliases: FxHashMap::default() };
    let mut coding = ActorCoding::default();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = Words::new(text, sentence);
        let mentions = coder.sentence_mentions(&words, sentence_idx);
        let first = coding.mentions.len();
        coding.mentions.extend(mentions);
        coding.compounds.extend(compounds(&words, &coding.mentions, first));
    }
    coding
}

/// A readable rendering, one mention a line (`sentence start..end CODE kind "text"`), then one line
/// per compound: what the golden tests compare.
pub fn render(text: &str, coding: &ActorCoding) -> String {
    let mut out = String::new();
    for mention in &coding.mentions {
        let kind =
            serde_json::to_value(mention.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        out.push_str(&format!(
            "{} {}..{} {} {} {:?}\n",
            mention.sentence,
            mention.span.start,
            mention.span.end,
            mention.code.as_deref().unwrap_or("-"),
            kind,
            &text[mention.span]
        ));
    }
    for compound in &coding.compounds {
        let members: Vec<&str> = compound.mentions.iter().map(|&m| &text[coding.mentions[m].span]).collect();
        out.push_str(&format!("compound {:?}\n", members.join(" + ")));
    }
    out
}

/// Whether the tokens `[start, end)` of `sentence` are, as a whole, a phrase of the actor dictionary
/// (for NER and `annalist dict unknown`: a name the dictionaries do not know is a candidate entry).
pub fn is_coded(text: &str, sentence: &Sentence, start: usize, end: usize, dictionaries: &Dictionaries) -> bool {
    let words = Words::new(text, sentence);
    let keyed: Vec<&str> =
        (start..end.min(words.len())).filter(|&i| words.is_word(i)).map(|i| words.norm[i].as_str()).collect();
    !keyed.is_empty()
        && dictionaries.actors.lookup_key_undated(&crate::dict::normalize::normalized_words_key(&keyed)).is_some()
}

/// A sentence's tokens with what matching needs: normalized forms and capitalization.
struct Words<'t> {
    text: &'t str,
    sentence: &'t Sentence,
    norm: Vec<String>,
}

impl<'t> Words<'t> {
    fn new(text: &'t str, sentence: &'t Sentence) -> Words<'t> {
        let norm = sentence.tokens.iter().map(|token| normalize_word(&text[token.span])).collect();
        Words { text, sentence, norm }
    }

    fn len(&self) -> usize {
        self.norm.len()
    }

    fn surface(&self, idx: usize) -> &'t str {
        &self.text[self.sentence.tokens[idx].span]
    }

    /// Words, numbers and symbols take part in names; punctuation does not.
    fn is_word(&self, idx: usize) -> bool {
        self.sentence.tokens[idx].kind != TokenKind::Punct
    }

    /// A hyphen inside a compound (`al-Sharaa`, `Ki-moon`), which names may span.
    fn is_hyphen(&self, idx: usize) -> bool {
        self.sentence.tokens[idx].kind == TokenKind::Punct && matches!(self.surface(idx), "-" | "‐" | "‑")
    }

    /// The apostrophe of a plural possessive inside a name ("Kurdistan Workers' Party"), which
    /// names may span as the dictionaries write them without it: attached to a word ending in s.
    fn is_plural_possessive(&self, idx: usize) -> bool {
        let tokens = &self.sentence.tokens;
        tokens[idx].kind == TokenKind::Punct
            && matches!(self.surface(idx), "'" | "’")
            && idx > 0
            && tokens[idx - 1].span.end == tokens[idx].span.start
            && self.surface(idx - 1).ends_with(['s', 'S'])
    }

    /// Punctuation a name may span: an inner hyphen or a plural possessive's apostrophe.
    fn is_name_joiner(&self, idx: usize) -> bool {
        self.is_hyphen(idx) || self.is_plural_possessive(idx)
    }

    fn is_capitalized(&self, idx: usize) -> bool {
        self.surface(idx).chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let tokens = &self.sentence.tokens;
        Span { start: tokens[start].span.start, end: tokens[end - 1].span.end }
    }

    /// The keyed words of `[start, end)`, or `None` when the range holds punctuation other than
    /// inner hyphens and apostrophes (a name does not run across a comma).
    fn key_words(&self, start: usize, end: usize) -> Option<Vec<&str>> {
        let mut words = Vec::with_capacity(end - start);
        for idx in start..end {
            if self.is_word(idx) {
                words.push(self.norm[idx].as_str());
            } else if !(self.is_name_joiner(idx) && idx > start && idx + 1 < end) {
                return None;
            }
        }
        Some(words)
    }
}

/// The longest phrase from `start` that `lookup` finds, as its end and what `lookup` gave. Each
/// end that is a word is tried; hyphens are stepped over ("Ahmed al-" goes on to "Ahmed
/// al-Sharaa"); the search stops after `max_tokens` tokens or `max_words` words, or where the
/// tokens stop making a key (punctuation).
fn longest_from<'w, T>(
    words: &'w Words<'_>,
    start: usize,
    max_tokens: usize,
    max_words: usize,
    mut lookup: impl FnMut(&[&'w str]) -> Option<T>,
) -> Option<(usize, T)> {
    let mut best = None;
    let mut n_words = 0;
    let mut end = start + 1;
    while end <= words.len() && end - start <= max_tokens {
        if words.is_word(end - 1) {
            n_words += 1;
            if n_words > max_words {
                break;
            }
        }
        if words.is_name_joiner(end - 1) {
            end += 1;
            continue;
        }
        let Some(key_words) = words.key_words(start, end) else {
            break;
        };
        if words.is_word(end - 1) {
            if let Some(found) = lookup(&key_words) {
                best = Some((end, found));
            }
        }
        end += 1;
    }
    best
}

/// A short form registered for the rest of the article.
#[derive(Clone, Debug)]
struct Alias {
    code: Option<String>,
    provenance: Vec<Provenance>,
}

struct Coder<'a> {
    dictionaries: &'a Dictionaries,
    date: Option<Date>,
    /// Key of a short form → what it stands for.
    aliases: FxHashMap<String, Alias>,
}

/// A dictionary name found at a position.
struct NameHit<'d> {
    end: usize,
    code: Option<String>,
    provenance: Vec<Provenance>,
    kind: MentionKind,
    /// The actor entry, for dictionary hits (not for short forms).
    actor: Option<ActorMatch<'d>>,
}

/// Longest names tried, in tokens (the longest Phoenix phrases have about 12 words).
const MAX_NAME_TOKENS: usize = 16;

/// Words after a capital that show it acting or speaking: "Moscow said".
const ACTION_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "has",
    "have",
    "had",
    "is",
    "was",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "must",
    "should",
    "did",
    "does",
    "announced",
    "accused",
    "rejected",
    "warned",
    "denied",
    "condemned",
    "urged",
    "called",
    "wants",
    "insists",
    "insisted",
    "responded",
    "agreed",
    "signed",
    "hopes",
    "hoped",
    "believes",
    "demanded",
    "dismissed",
    "welcomed",
    "blamed",
    "threatened",
    "vowed",
    "plans",
    "reiterated",
    "confirmed",
    "expressed",
    "sent",
    "launched",
    "recognized",
    "recognised",
    "refused",
    "ordered",
    "imposed",
    "expelled",
    "summoned",
    "protested",
    "criticized",
    "criticised",
    "supports",
    "backs",
    "backed",
    "opposes",
    "opposed",
    "claims",
    "claimed",
    "declared",
    "stated",
    "told",
    "asked",
    "offered",
];

/// Determiners kept at the start of a description ("the Syrian army", "his Syrian counterpart").
const DETERMINERS: &[&str] = &["the", "his", "her", "its", "their", "our", "your", "my", "a", "an"];

/// Words that end organization names, which are never surnames.
const ORGANIZATION_WORDS: &[&str] = &[
    "party",
    "army",
    "front",
    "council",
    "organization",
    "organisation",
    "union",
    "movement",
    "group",
    "brigade",
    "brigades",
    "forces",
    "force",
    "committee",
    "ministry",
    "bank",
    "fund",
    "agency",
    "league",
    "association",
    "assembly",
    "government",
    "republic",
    "kingdom",
    "state",
    "states",
    "nations",
    "federation",
    "company",
    "corporation",
    "inc",
    "ltd",
    "office",
    "court",
    "police",
    "guard",
    "institute",
];

/// Capitalized words that do not continue a person's name after a title.
const NOT_NAME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "on",
    "in",
    "at",
    "and",
    "the",
    "of",
    "said",
    "says",
    "i",
    "we",
    "he",
    "she",
    "it",
    "they",
];

impl<'a> Coder<'a> {
    fn sentence_mentions(&mut self, words: &Words<'_>, sentence_idx: usize) -> Vec<Mention> {
        let mut mentions: Vec<Mention> = Vec::new();
        let mut idx = 0;
        while idx < words.len() {
            match self.mention_at(words, idx, sentence_idx) {
                Some(mention) => {
                    idx = mention.tokens.1;
                    // An appositive name right after a description: "his Syrian counterpart, Ahmed al Sharaa".
                    if let Some(merged) = self.apposition(words, &mention, sentence_idx) {
                        idx = merged.tokens.1;
                        mentions.push(merged);
                    } else {
                        mentions.push(mention);
                    }
                }
                None => idx += 1,
            }
        }
        mentions
    }

    /// The mention starting at token `idx` (after any determiner), if there is one.
    fn mention_at(&mut self, words: &Words<'_>, idx: usize, sentence_idx: usize) -> Option<Mention> {
        let determiner_end = if DETERMINERS.contains(&words.norm[idx].as_str()) { idx + 1 } else { idx };
        if let Some(name) = self.name_at(words, idx) {
            return Some(self.after_name(words, idx, name, sentence_idx));
        }
        if determiner_end > idx && determiner_end < words.len() {
            if let Some(name) = self.name_at(words, determiner_end) {
                // "the Syrian army": keep the determiner with descriptions, not with plain names.
                let mention = self.after_name(words, determiner_end, name, sentence_idx);
                if matches!(mention.kind, MentionKind::CountryAgent | MentionKind::TitledName) {
                    return Some(Mention {
                        span: words.span(idx, mention.tokens.1),
                        tokens: (idx, mention.tokens.1),
                        ..mention
                    });
                }
                return Some(mention);
            }
        }
        let start = determiner_end;
        let (agent_end, agent) = self.agent_at(words, start)?;
        Some(self.agent_mention(words, idx, agent_end, agent, sentence_idx))
    }

    /// A name at `start` and what follows it: an agent ("Syrian army"), a title and person, or nothing.
    fn after_name(&mut self, words: &Words<'_>, start: usize, name: NameHit<'_>, sentence_idx: usize) -> Mention {
        let mut end = name.end;
        // "Syria's government": the clitic joins a country to its agent.
        let possessive = end < words.len() && words.norm[end] == "'s";
        let agent_start = if possessive { end + 1 } else { end };
        let is_country = name.kind != MentionKind::ShortForm && name.code.as_deref().is_some_and(|c| c.len() == 3);
        if is_country {
            if let Some((agent_end, agent)) = self.agent_at(words, agent_start) {
                let mut provenance = name.provenance.clone();
                provenance.push(agent.provenance);
                end = agent_end;
                // "Syrian President Ahmed al-Sharaa": the person's own code.
                if !possessive {
                    if let Some(person) =
                        self.name_at(words, end).filter(|p| p.code.as_ref().is_some_and(|c| c.len() > 3))
                    {
                        self.register_aliases(words, end, &person);
                        return Mention {
                            span: words.span(start, person.end),
                            sentence: sentence_idx,
                            tokens: (start, person.end),
                            code: person.code,
                            kind: MentionKind::TitledName,
                            provenance: person.provenance,
                        };
                    }
                }
                let code = Some(agent.code.apply(name.code.as_deref()));
                let end = self.unknown_person_after_title(words, end, agent, &code, &provenance);
                return Mention {
                    span: words.span(start, end),
                    sentence: sentence_idx,
                    tokens: (start, end),
                    code,
                    kind: MentionKind::CountryAgent,
                    provenance,
                };
            }
        }
        if name.kind == MentionKind::Name {
            self.register_aliases(words, start, &name);
        }
        let (code, kind) = match (&name.actor, &name.code) {
            (Some(actor), Some(code)) if actor.capital => {
                if self.acts(words, end) {
                    (Some(format!("{}GOV", &code[..code.len().min(3)])), MentionKind::Capital)
                } else {
                    (Some(code.clone()), MentionKind::Capital)
                }
            }
            _ => (name.code.clone(), name.kind),
        };
        Mention {
            span: words.span(start, end),
            sentence: sentence_idx,
            tokens: (start, end),
            code,
            kind,
            provenance: name.provenance,
        }
    }

    /// An agent not preceded by a country: "government of Syria", "President Vladimir Putin", or bare.
    fn agent_mention(
        &mut self,
        words: &Words<'_>,
        first: usize,
        end: usize,
        agent: &AgentEntry,
        sentence_idx: usize,
    ) -> Mention {
        let mut provenance = vec![agent.provenance];
        // "President Vladimir Putin": the person's code.
        if let Some(person) = self.name_at(words, end).filter(|p| p.code.as_ref().is_some_and(|c| c.len() > 3)) {
            self.register_aliases(words, end, &person);
            return Mention {
                span: words.span(first, person.end),
                sentence: sentence_idx,
                tokens: (first, person.end),
                code: person.code,
                kind: MentionKind::TitledName,
                provenance: person.provenance,
            };
        }
        // "the government of Syria", "President of Russia".
        if end + 1 < words.len() && words.norm[end] == "of" {
            let country_start = if words.norm[end + 1] == "the" { end + 2 } else { end + 1 };
            if let Some(country) =
                self.name_at(words, country_start).filter(|c| c.code.as_ref().is_some_and(|c| c.len() == 3))
            {
                provenance.extend(country.provenance.iter().copied());
                return Mention {
                    span: words.span(first, country.end),
                    sentence: sentence_idx,
                    tokens: (first, country.end),
                    code: Some(agent.code.apply(country.code.as_deref())),
                    kind: MentionKind::CountryAgent,
                    provenance,
                };
            }
        }
        let code = match agent.code.placement {
            crate::dict::agents::Placement::After => format!("---{}", agent.code.code),
            crate::dict::agents::Placement::Before => agent.code.code.clone(),
        };
        Mention {
            span: words.span(first, end),
            sentence: sentence_idx,
            tokens: (first, end),
            code: Some(code),
            kind: MentionKind::Agent,
            provenance,
        }
    }

    /// "Foreign Minister Sergei Lavrov" where the dictionaries do not know Lavrov: the capitalized
    /// words after a person's title are taken as the name, and its last word becomes a short form.
    fn unknown_person_after_title(
        &mut self,
        words: &Words<'_>,
        end: usize,
        agent: &AgentEntry,
        code: &Option<String>,
        provenance: &[Provenance],
    ) -> usize {
        let person_title = ["GOV", "LEG", "JUD", "ELI", "OPP", "PTY"].iter().any(|c| agent.code.code.starts_with(c));
        if !person_title || agent.key.ends_with('s') {
            return end;
        }
        let mut name_end = end;
        while name_end < words.len()
            && name_end - end < 4
            && words.is_word(name_end)
            && words.is_capitalized(name_end)
            && !NOT_NAME_WORDS.contains(&words.norm[name_end].as_str())
            && self.name_at(words, name_end).is_none()
        {
            name_end += 1;
        }
        if name_end - end >= 2 {
            let surname = words.norm[name_end - 1].clone();
            self.aliases.insert(surname, Alias { code: code.clone(), provenance: provenance.to_vec() });
            return name_end;
        }
        end
    }

    /// A description followed by `, Name`: one mention with the name's code.
    fn apposition(&mut self, words: &Words<'_>, mention: &Mention, sentence_idx: usize) -> Option<Mention> {
        if !matches!(mention.kind, MentionKind::CountryAgent | MentionKind::Agent) {
            return None;
        }
        let comma = mention.tokens.1;
        if comma + 1 >= words.len() || words.surface(comma) != "," {
            return None;
        }
        let person = self.name_at(words, comma + 1)?;
        if !matches!(person.code.as_deref(), Some(code) if code.len() > 3) || person.kind == MentionKind::Capital {
            return None;
        }
        self.register_aliases(words, comma + 1, &person);
        Some(Mention {
            span: words.span(mention.tokens.0, person.end),
            sentence: sentence_idx,
            tokens: (mention.tokens.0, person.end),
            code: person.code,
            kind: MentionKind::TitledName,
            provenance: person.provenance,
        })
    }

    /// Whether the words after a capital show it acting ("Moscow said", "Moscow and Damascus agreed").
    fn acts(&self, words: &Words<'_>, end: usize) -> bool {
        let mut next = end;
        // Skip a conjoined second name: "Moscow and Damascus said".
        if next + 1 < words.len() && matches!(words.norm[next].as_str(), "and" | "or") {
            if let Some(other) = self.name_at(words, next + 1) {
                next = other.end;
            }
        }
        next < words.len() && ACTION_CUES.contains(&words.norm[next].as_str())
    }

    /// The longest dictionary name or registered short form starting at `start`.
    fn name_at(&self, words: &Words<'_>, start: usize) -> Option<NameHit<'a>> {
        if start >= words.len() || !words.is_word(start) || !self.starts_name(words, start) {
            return None;
        }
        let actors = &self.dictionaries.actors;
        let limit = actors.max_words_from(first_key_word(&words.norm[start]));
        let mut best: Option<NameHit<'a>> = if limit == 0 {
            None
        } else {
            longest_from(words, start, MAX_NAME_TOKENS, limit + 2, |key_words| self.lookup(key_words)).map(
                |(end, found)| NameHit {
                    end,
                    code: found.code().map(str::to_string),
                    provenance: vec![found.provenance()],
                    kind: MentionKind::Name,
                    actor: Some(found),
                },
            )
        };
        // Short forms of names met earlier in the article ("Putin", "al Sharaa").
        for length in (1..=3).rev() {
            let end = start + length;
            if end > words.len() || best.as_ref().is_some_and(|b| b.end >= end) {
                continue;
            }
            let Some(key_words) = words.key_words(start, end) else {
                continue;
            };
            let key = crate::dict::normalize::normalized_words_key(&key_words);
            if let Some(alias) = self.aliases.get(&key) {
                best = Some(NameHit {
                    end,
                    code: alias.code.clone(),
                    provenance: alias.provenance.clone(),
                    kind: MentionKind::ShortForm,
                    actor: None,
                });
                break;
            }
        }
        best
    }

    fn lookup(&self, key_words: &[&str]) -> Option<ActorMatch<'a>> {
        let key = crate::dict::normalize::normalized_words_key_ref(key_words);
        let actors = &self.dictionaries.actors;
        match self.date {
            Some(date) => actors.lookup_key(&key, date),
            None => actors.lookup_key_undated(&key),
        }
    }

    /// A name starts with a capital, or with a lowercase particle or "the" before a capital.
    fn starts_name(&self, words: &Words<'_>, start: usize) -> bool {
        if words.is_capitalized(start) {
            return true;
        }
        let lead = words.norm[start].as_str();
        if is_particle(lead) || lead == "the" {
            let mut next = start + 1;
            if next < words.len() && words.is_hyphen(next) {
                next += 1;
            }
            return next < words.len() && words.is_capitalized(next);
        }
        false
    }

    /// The longest agent phrase starting at `start`.
    fn agent_at(&self, words: &Words<'_>, start: usize) -> Option<(usize, &'a AgentEntry)> {
        if start >= words.len() || !words.is_word(start) {
            return None;
        }
        let agents = &self.dictionaries.agents;
        let limit = agents.max_words_from(first_key_word(&words.norm[start]));
        longest_from(words, start, limit + 2, usize::MAX, |key_words| {
            agents.lookup_key(&crate::dict::normalize::normalized_words_key_ref(key_words))
        })
    }

    /// After a person's full name, its surname (and particle + surname) stand for it.
    fn register_aliases(&mut self, words: &Words<'_>, start: usize, hit: &NameHit<'_>) {
        let Some(actor) = &hit.actor else { return };
        let end = hit.end;
        let word_idxs: Vec<usize> = (start..end).filter(|&i| words.is_word(i)).collect();
        if word_idxs.len() < 2 || actor.capital {
            return;
        }
        let Some(&last) = word_idxs.last() else {
            return;
        };
        let surname = words.norm[last].as_str();
        let dated = actor.entry.codes.iter().any(|rule| rule.when.is_dated());
        let role_code = hit.code.as_ref().is_some_and(|c| c.len() > 3);
        let capitalized = word_idxs.iter().all(|&i| words.is_capitalized(i) || is_particle(&words.norm[i]));
        if !(dated || role_code) || !capitalized || ORGANIZATION_WORDS.contains(&surname) || surname.len() < 3 {
            return;
        }
        let alias = Alias { code: hit.code.clone(), provenance: hit.provenance.clone() };
        self.aliases.insert(surname.to_string(), alias.clone());
        let before = word_idxs[word_idxs.len() - 2];
        if is_particle(&words.norm[before]) {
            self.aliases.insert(format!("{} {surname}", words.norm[before]), alias);
        }
    }
}

/// Groups of mentions in one sentence joined only by "and", "or", commas or hyphens.
fn compounds(words: &Words<'_>, mentions: &[Mention], first: usize) -> Vec<Compound> {
    let mut compounds = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let flush = |group: &mut Vec<usize>, compounds: &mut Vec<Compound>| {
        if group.len() >= 2 {
            let span = mentions[group[0]].span.cover(mentions[group[group.len() - 1]].span);
            compounds.push(Compound { span, mentions: std::mem::take(group) });
        }
        group.clear();
    };
    for idx in first..mentions.len() {
        if let Some(&previous) = group.last() {
            let between = mentions[previous].tokens.1..mentions[idx].tokens.0;
            let joined = !between.is_empty()
                && between.clone().all(|t| matches!(words.norm[t].as_str(), "and" | "or" | "," | "-" | "&" | "‐"));
            if !joined {
                flush(&mut group, &mut compounds);
            }
        }
        group.push(idx);
    }
    flush(&mut group, &mut compounds);
    compounds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;
    use std::sync::OnceLock;

    fn dictionaries() -> &'static Dictionaries {
        static SHIPPED: OnceLock<Dictionaries> = OnceLock::new();
        SHIPPED.get_or_init(Dictionaries::shipped)
    }

    /// Mentions of `text` on `date`, rendered `text=CODE` and joined by ` | `.
    fn check(date: &str, text: &str, expect: &str) {
        let date: Date = date.parse().expect("test date");
        let coding = code_actors(text, &segment(text), Some(date), dictionaries());
        let got: Vec<String> =
            coding.mentions.iter().map(|m| format!("{}={}", &text[m.span], m.code.as_deref().unwrap_or("-"))).collect();
        assert_eq!(got.join(" | "), expect, "text: {text:?}");
    }

    #[test]
    fn names_agents_and_titles() {
        check("2026-01-28", "The Syrian army shelled the town.", "The Syrian army=SYRMIL");
        check("2026-01-28", "Syria's government denied it.", "Syria's government=SYRGOV");
        check("2026-01-28", "The government of Syria denied it.", "The government of Syria=SYRGOV");
        check("2026-01-28", "Syrian President Ahmed al-Sharaa spoke.", "Syrian President Ahmed al-Sharaa=SYRGOV");
        check("2024-06-01", "Abu Mohammad al-Jolani spoke.", "Abu Mohammad al-Jolani=SYRREB");
        check("2026-01-28", "Officials met.", "Officials=---GOV");
        check("2000-01-01", "The Kurdistan Workers' Party issued it.", "Kurdistan Workers' Party=TURREB");
    }

    #[test]
    fn short_forms_and_capitals() {
        check(
            "2026-01-28",
            "Russian Foreign Minister Sergei Lavrov arrived. Lavrov said Moscow would help.",
            "Russian Foreign Minister Sergei Lavrov=RUSGOV | Lavrov=RUSGOV | Moscow=RUSGOV",
        );
        check("2026-01-28", "Moscow said it would help.", "Moscow=RUSGOV");
        check("2026-01-28", "He flew to Moscow on Monday.", "Moscow=RUS");
    }

    #[test]
    fn lowercase_words_are_not_names() {
        check("2026-01-28", "They told us about turkey and chad.", "");
        check("2026-01-28", "The US told Turkey.", "The US=USA | Turkey=TUR");
    }
}
