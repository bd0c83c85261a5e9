//! Coreference: the names, pronouns and descriptions of an article that refer to one person,
//! organisation or place ([`Referent`]), for quotations (who is "he" in "he said"?) and events
//! (an event whose source is "he" is the antecedent's).
//!
//! Resolution goes through the article in text order:
//! - **names** (entities and actor mentions) join the referent of an earlier or later name they
//!   shorten: "Putin" is "Vladimir Putin", "al Sharaa" is "Ahmed al Sharaa"; the fullest name
//!   names the referent;
//! - **pronouns**: "he", "she", "his", "him" take the latest person mentioned before them, of
//!   their gender where it is known (from "Mr." or "Mrs.", or an earlier pronoun); "they" and
//!   "their" the latest group, organisation or country; "it" and "its" the latest organisation or
//!   country. Outside a quotation, nobody named inside one is a candidate ("“I back Trump,” he
//!   said": "he" is not Trump), and inside one "I" and "we" are the speaker's, not resolved here;
//! - **descriptions**: "the Syrian leader", "the president", "the ministry": the latest person
//!   (or organisation) the description fits: of the country its adjective names, in government
//!   for a leader's title, or named with that title ("President Vladimir Putin");
//! - **relative pronouns**: "who", "which" right after a name ("al Sharaa, who is making his second
//!   visit") are that name.

use crate::actors::{Mention, MentionKind};
use crate::analysis::Analysis;
use crate::ner::EntityKind;
use crate::nlp::{TaggedSentence, Upos};
use crate::text::Span;

/// Something an article refers to, under one or more names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referent {
    /// The fullest name the article gives ("Vladimir Putin", not "Putin").
    pub name: String,
    pub name_span: Span,
    pub kind: ReferentKind,
    /// The actor code on the article's date, from the first of its mentions that has one.
    pub actor: Option<String>,
    pub gender: Option<Gender>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferentKind {
    Person,
    Organization,
    /// A country, city or region.
    Place,
    /// A group without a name: "officials", "the Syrian army".
    Group,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

/// How a mention names its referent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    Name,
    Pronoun,
    Description,
    Relative,
}

/// One mention of a referent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefMention {
    pub sentence: usize,
    /// Token range within the sentence, `[first, last + 1)`.
    pub tokens: (usize, usize),
    pub span: Span,
    pub referent: usize,
    pub form: Form,
}

/// The referents of an article and every mention resolved to one, in text order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coreference {
    pub referents: Vec<Referent>,
    pub mentions: Vec<RefMention>,
}

impl Coreference {
    /// The mention covering token `token` of sentence `sentence`, and its referent.
    pub fn at(&self, sentence: usize, token: usize) -> Option<(&RefMention, &Referent)> {
        let first = self.mentions.partition_point(|m| m.sentence < sentence);
        self.mentions[first..]
            .iter()
            .take_while(|m| m.sentence == sentence)
            .find(|m| m.tokens.0 <= token && token < m.tokens.1)
            .map(|m| (m, &self.referents[m.referent]))
    }

    /// The referent of a pronoun, description or relative pronoun at `token` (not of a name).
    pub fn antecedent(&self, sentence: usize, token: usize) -> Option<&Referent> {
        self.at(sentence, token).filter(|(m, _)| m.form != Form::Name).map(|(_, r)| r)
    }

    /// The last token of the name a relative pronoun at `token` follows ("Russia, which was then
    /// fighting": "Russia"), for a clause the parser did not attach to that name.
    pub fn relative_antecedent(&self, sentence: usize, token: usize) -> Option<usize> {
        let (relative, _) = self.at(sentence, token).filter(|(m, _)| m.form == Form::Relative)?;
        let first = self.mentions.partition_point(|m| m.sentence < sentence);
        self.mentions[first..]
            .iter()
            .take_while(|m| m.sentence == sentence && m.tokens.1 <= token)
            .filter(|m| m.referent == relative.referent && m.form == Form::Name)
            .last()
            .map(|m| m.tokens.1 - 1)
    }
}

/// Resolves the names, pronouns and descriptions of an analysed article. `quoted` are the spans
/// inside quotation marks.
pub fn resolve(analysis: &Analysis<'_>, quoted: &[Span]) -> Coreference {
    let mut resolver = Resolver { analysis, quoted, coreference: Coreference::default() };
    for (index, sentence) in analysis.tagged.iter().enumerate() {
        resolver.sentence(index, sentence);
    }
    resolver.coreference
}

/// Titles that say a man or a woman: "Mr. Trump", "Mrs. Clinton".
const MALE_TITLES: &[&str] = &["mr", "mr.", "sir", "lord", "king", "prince", "monsieur"];
const FEMALE_TITLES: &[&str] =
    &["mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "lady", "queen", "princess", "dame"];

/// Nouns a description of a person is headed by, with whether a government post goes with them.
const PERSON_ROLES: &[(&str, bool)] = &[
    ("leader", true),
    ("president", true),
    ("premier", true),
    ("minister", true),
    ("chancellor", true),
    ("king", true),
    ("queen", true),
    ("monarch", true),
    ("ruler", true),
    ("dictator", true),
    ("governor", true),
    ("mayor", true),
    ("senator", true),
    ("lawmaker", true),
    ("envoy", true),
    ("ambassador", true),
    ("diplomat", true),
    ("secretary", true),
    ("counterpart", true),
    ("general", false),
    ("commander", false),
    ("chief", false),
    ("head", false),
    ("spokesman", false),
    ("spokeswoman", false),
    ("spokesperson", false),
    ("official", false),
    ("chairman", false),
    ("executive", false),
    ("founder", false),
    ("candidate", false),
    ("nominee", false),
    ("businessman", false),
    ("billionaire", false),
    ("cleric", false),
    ("activist", false),
];

/// Nouns a description of an organisation is headed by.
const ORGANIZATION_ROLES: &[&str] = &[
    "ministry",
    "government",
    "administration",
    "company",
    "firm",
    "group",
    "organization",
    "organisation",
    "agency",
    "party",
    "bank",
    "council",
    "court",
    "alliance",
    "union",
    "bloc",
    "committee",
    "commission",
    "movement",
    "militia",
    "regime",
    "corporation",
    "network",
    "newspaper",
    "campaign",
    "carrier",
    "airline",
    "automaker",
    "manufacturer",
    "maker",
    "department",
    "office",
    "embassy",
];

/// How far back (in sentences) a pronoun or description looks for its antecedent.
const PRONOUN_REACH: usize = 3;
const DESCRIPTION_REACH: usize = 12;

struct Resolver<'r, 'a> {
    analysis: &'r Analysis<'a>,
    quoted: &'r [Span],
    coreference: Coreference,
}

/// A name in a sentence: an entity or an actor mention, with what it says of its referent.
struct Name {
    tokens: (usize, usize),
    span: Span,
    kind: ReferentKind,
    actor: Option<String>,
    /// Normalized words without titles ("vladimir putin").
    words: Vec<String>,
    /// A definite description the dictionaries code ("the company", "the Syrian leader"): it
    /// refers back to someone named before when one fits.
    descriptive: bool,
}

impl Resolver<'_, '_> {
    fn sentence(&mut self, index: usize, sentence: &TaggedSentence) {
        let text = self.analysis.text;
        let names = self.names(index, sentence);
        let mut next_name = 0;
        let mut token = 0;
        while token < sentence.tokens.len() {
            if let Some(name) = names.get(next_name).filter(|n| n.tokens.0 == token) {
                next_name += 1;
                // "the company", "the Syrian leader": a description of someone named before,
                // else someone new.
                let described = name.descriptive.then(|| self.description(index, sentence, token, &names)).flatten();
                match described {
                    Some((end, referent)) => {
                        let span =
                            Span::new(name.span.start as usize, sentence.tokens[end - 1].token.span.end as usize);
                        self.describe(index, (token, end), span, referent, name.actor.as_deref());
                        token = end.max(name.tokens.1);
                    }
                    None => {
                        self.add_name(index, name);
                        token = name.tokens.1;
                    }
                }
                continue;
            }
            let key = text[sentence.tokens[token].token.span].to_lowercase();
            let span = sentence.tokens[token].token.span;
            let resolved = match key.as_str() {
                "he" | "him" | "his" | "himself" => self.pronoun_person(index, span, Some(Gender::Male)),
                "she" | "her" | "hers" | "herself" => self.pronoun_person(index, span, Some(Gender::Female)),
                "they" | "them" | "their" | "themselves" => self.pronoun_group(index, span, true),
                "its" | "itself" => self.pronoun_group(index, span, false),
                // "it" is as often no one ("it is important"): only as a subject before a verb
                // that says or does something ("it said", "it would pay").
                "it" if self.it_acts(sentence, token) => self.pronoun_group(index, span, false),
                "who" | "which" | "whom" | "whose" => self.relative(index, sentence, token),
                "the" => {
                    if let Some((end, referent)) = self.description(index, sentence, token, &names) {
                        let mention_span =
                            Span::new(span.start as usize, sentence.tokens[end - 1].token.span.end as usize);
                        self.describe(index, (token, end), mention_span, referent, None);
                        token = end;
                        continue;
                    }
                    None
                }
                _ => None,
            };
            if let Some((referent, form)) = resolved {
                self.coreference.mentions.push(RefMention {
                    sentence: index,
                    tokens: (token, token + 1),
                    span,
                    referent,
                    form,
                });
                if form == Form::Pronoun {
                    self.learn_gender(referent, &key);
                }
            }
            token += 1;
        }
        // Names inside a description's words were pushed first; keep text order.
        self.coreference.mentions.sort_by_key(|m| (m.sentence, m.tokens.0, m.tokens.1));
    }

    /// Records a description of `referent`, whose actor, if the referent has none yet, the
    /// description's own code gives ("Renault ... the company": `---BUS`).
    fn describe(&mut self, sentence: usize, tokens: (usize, usize), span: Span, referent: usize, code: Option<&str>) {
        let entry = &mut self.coreference.referents[referent];
        if entry.actor.is_none() {
            entry.actor = code.map(str::to_string);
        }
        self.coreference.mentions.push(RefMention { sentence, tokens, span, referent, form: Form::Description });
    }

    /// The sentence's names: entities, and actor mentions no entity covers, in text order and
    /// without overlaps (the entity wins: "Vladimir Putin" inside "Russian President Vladimir
    /// Putin" names the person).
    fn names(&self, index: usize, sentence: &TaggedSentence) -> Vec<Name> {
        let text = self.analysis.text;
        let mut names: Vec<Name> = Vec::new();
        let first = self.analysis.actors.mentions.partition_point(|m| m.sentence < index);
        let mentions: Vec<&Mention> =
            self.analysis.actors.mentions[first..].iter().take_while(|m| m.sentence == index).collect();
        for entity in self.analysis.entities.iter().filter(|e| e.sentence == index) {
            let kind = match entity.kind {
                EntityKind::Per => ReferentKind::Person,
                EntityKind::Org => ReferentKind::Organization,
                EntityKind::Loc => ReferentKind::Place,
                // Nationalities ("Syrian") and events name no one a pronoun refers to.
                EntityKind::Oth => continue,
            };
            // A group mention around the entity is the better name: "U.S. officials" (USAGOV),
            // not "U.S.", is who "they" are.
            let (first, last) = entity.tokens;
            let group = |m: &Mention| {
                matches!(m.kind, MentionKind::Agent | MentionKind::CountryAgent)
                    && m.tokens.0 <= first
                    && last <= m.tokens.1
                    && m.tokens != entity.tokens
            };
            if mentions.iter().any(|m| group(m)) {
                continue;
            }
            // An entity without a code takes that of an actor mention over it ("Mr Howard"), or, for a
            // person, of the title right before the name ("former Air Force official Darleen
            // Druyun": USAMIL).
            let overlapping = || {
                mentions
                    .iter()
                    .find(|m| m.code.is_some() && m.tokens.0 < last && first < m.tokens.1)
                    .and_then(|m| m.code.clone())
            };
            let titled = || {
                mentions
                    .iter()
                    .filter(|m| m.code.is_some() && m.tokens.1 <= first && first - m.tokens.1 <= 2)
                    .find(|m| (m.tokens.1..first).all(|t| matches!(sentence.tokens[t].upos, Upos::Noun | Upos::Propn)))
                    .and_then(|m| m.code.clone())
            };
            let actor = entity.actor.clone().or_else(overlapping).or_else(|| {
                if kind == ReferentKind::Person {
                    titled()
                } else {
                    None
                }
            });
            names.push(Name {
                tokens: entity.tokens,
                span: entity.span,
                kind,
                actor,
                words: name_words(&entity.text),
                descriptive: false,
            });
        }
        for mention in mentions {
            if names.iter().any(|n| n.tokens.0 < mention.tokens.1 && mention.tokens.0 < n.tokens.1) {
                continue;
            }
            // "his Syrian counterpart": the possessive is a pronoun of its own.
            let mut mention = mention.clone();
            let opening = text[sentence.tokens[mention.tokens.0].token.span].to_lowercase();
            if matches!(opening.as_str(), "his" | "her" | "its" | "their") && mention.tokens.1 > mention.tokens.0 + 1 {
                mention.tokens.0 += 1;
                mention.span =
                    Span::new(sentence.tokens[mention.tokens.0].token.span.start as usize, mention.span.end as usize);
            }
            let mention = &mention;
            let kind = match mention.kind {
                // "the Syrian army" is an "it", "Syrian officials" a "they".
                MentionKind::Agent | MentionKind::CountryAgent
                    if is_body(&last_word(text, sentence, mention.tokens)) =>
                {
                    ReferentKind::Organization
                }
                MentionKind::Agent | MentionKind::CountryAgent => ReferentKind::Group,
                MentionKind::Capital => ReferentKind::Place,
                _ if is_person_mention(mention) => ReferentKind::Person,
                _ if mention.code.as_ref().is_some_and(|c| c.len() == 3) => ReferentKind::Place,
                _ => ReferentKind::Organization,
            };
            // "the Syrian leader", "the company": a definite mention headed by a title or an
            // organisation's noun.
            let head = last_word(text, sentence, mention.tokens);
            let definite = text[mention.span].get(..4).is_some_and(|w| w.eq_ignore_ascii_case("the "));
            let descriptive = matches!(mention.kind, MentionKind::Agent | MentionKind::CountryAgent)
                && (person_role(&head).is_some() || definite && ORGANIZATION_ROLES.contains(&head.as_str()));
            names.push(Name {
                tokens: mention.tokens,
                span: mention.span,
                kind,
                actor: mention.code.clone(),
                words: name_words(&text[mention.span]),
                descriptive,
            });
        }
        names.sort_by_key(|n| n.tokens.0);
        names
    }

    fn add_name(&mut self, sentence: usize, name: &Name) {
        let referent = self.same_as(name).unwrap_or_else(|| {
            let text = self.analysis.text;
            self.coreference.referents.push(Referent {
                name: text[name.span].to_string(),
                name_span: name.span,
                kind: name.kind,
                actor: None,
                gender: self.title_gender(name.span),
            });
            self.coreference.referents.len() - 1
        });
        let text = self.analysis.text;
        let title_gender = self.title_gender(name.span);
        let entry = &mut self.coreference.referents[referent];
        // The fullest name: the most words.
        if name.kind == ReferentKind::Person && name_words(&entry.name).len() < name.words.len() {
            entry.name = text[name.span].to_string();
            entry.name_span = name.span;
        }
        if entry.actor.is_none() {
            entry.actor.clone_from(&name.actor);
        }
        if entry.gender.is_none() {
            entry.gender = title_gender;
        }
        self.coreference.mentions.push(RefMention {
            sentence,
            tokens: name.tokens,
            span: name.span,
            referent,
            form: Form::Name,
        });
    }

    /// The referent an earlier name of the same thing started: the same words, or for a person a
    /// shorter form of a name ("Putin", "Mrs. Clinton") or a longer one it completes.
    fn same_as(&self, name: &Name) -> Option<usize> {
        if name.words.is_empty() {
            return None;
        }
        let referents = &self.coreference.referents;
        // The latest mention wins: "Clinton" after "Bill Clinton" is Bill.
        for mention in self.coreference.mentions.iter().rev().filter(|m| m.form == Form::Name) {
            let referent = &referents[mention.referent];
            let words = name_words(&self.analysis.text[mention.span]);
            let fits = if name.kind == ReferentKind::Person && referent.kind == ReferentKind::Person {
                shortens(&name.words, &words) || shortens(&words, &name.words)
            } else {
                words == name.words
                    && (referent.kind == name.kind || referent.actor.is_some() && referent.actor == name.actor)
            };
            if fits {
                return Some(mention.referent);
            }
        }
        None
    }

    /// The gender a title right before the name says ("Mr. Trump").
    fn title_gender(&self, span: Span) -> Option<Gender> {
        let before = self.analysis.text[..span.start as usize].trim_end();
        let title = before.rsplit(|c: char| c.is_whitespace()).next()?.to_lowercase();
        let own = self.analysis.text[span].split_whitespace().next()?.to_lowercase();
        [title, own].into_iter().find_map(|word| {
            if MALE_TITLES.contains(&word.as_str()) {
                Some(Gender::Male)
            } else if FEMALE_TITLES.contains(&word.as_str()) {
                Some(Gender::Female)
            } else {
                None
            }
        })
    }

    /// The first person among the [`candidates`](Self::candidates) of the pronoun's gender where
    /// known.
    fn pronoun_person(&self, sentence: usize, span: Span, gender: Option<Gender>) -> Option<(usize, Form)> {
        self.candidates(sentence, span)
            .find(|&r| {
                let referent = &self.coreference.referents[r];
                referent.kind == ReferentKind::Person
                    && (gender.is_none() || referent.gender.is_none() || referent.gender == gender)
            })
            .map(|r| (r, Form::Pronoun))
    }

    /// The referents a pronoun at `span` may stand for, in the order they are tried: the
    /// pronoun's own sentence from the pronoun back, then each earlier sentence within
    /// [`PRONOUN_REACH`] from its start, since a sentence's first mention is most often its subject
    /// ("Putin met al Sharaa. He said": Putin). Outside a quotation, nobody named inside one.
    fn candidates(&self, sentence: usize, span: Span) -> impl Iterator<Item = usize> + '_ {
        let outside = !self.inside_quote(span);
        let mentions = &self.coreference.mentions;
        let usable = move |m: &&RefMention| !(outside && self.inside_quote(m.span));
        let own = mentions.iter().rev().filter(move |m| m.sentence == sentence && m.span.end <= span.start);
        let earlier = (sentence.saturating_sub(PRONOUN_REACH)..sentence)
            .rev()
            .flat_map(move |s| mentions.iter().filter(move |m| m.sentence == s));
        own.chain(earlier).filter(usable).map(|m| m.referent)
    }

    /// The latest group, organisation or country (`plural`: "they") or organisation or country
    /// ("it") before `span`.
    fn pronoun_group(&self, sentence: usize, span: Span, plural: bool) -> Option<(usize, Form)> {
        self.candidates(sentence, span)
            .find(|&r| {
                let kind = self.coreference.referents[r].kind;
                match plural {
                    // A place is an "it" ("Russia said it"), seldom a "they".
                    true => matches!(kind, ReferentKind::Group | ReferentKind::Organization),
                    false => matches!(kind, ReferentKind::Organization | ReferentKind::Place),
                }
            })
            .map(|r| (r, Form::Pronoun))
    }

    /// Whether "it" at `token` acts: a subject followed (after auxiliaries and adverbs) by a
    /// verb other than "be", "seem" or "take" (as in "it takes time").
    fn it_acts(&self, sentence: &TaggedSentence, token: usize) -> bool {
        let mut next = token + 1;
        while let Some(t) = sentence.tokens.get(next) {
            match t.upos {
                Upos::Aux | Upos::Adv | Upos::Part => next += 1,
                Upos::Verb => {
                    return !matches!(t.lemma.as_str(), "be" | "seem" | "appear" | "take" | "remain" | "mean")
                }
                _ => return false,
            }
        }
        false
    }

    /// A relative pronoun right after a name, or after a name and a comma.
    fn relative(&self, sentence: usize, tagged: &TaggedSentence, token: usize) -> Option<(usize, Form)> {
        let before = |t: usize| tagged.tokens.get(t).map(|t| t.token.span);
        let comma = token > 0 && self.analysis.text[before(token - 1)?] == *",";
        let end = if comma { token - 1 } else { token };
        let last = self.coreference.mentions.last().filter(|m| m.sentence == sentence && m.tokens.1 == end)?;
        Some((last.referent, Form::Relative))
    }

    /// A definite description at `token` ("the Syrian leader", "the president", "the ministry"):
    /// its end and referent.
    fn description(
        &self,
        sentence: usize,
        tagged: &TaggedSentence,
        token: usize,
        names: &[Name],
    ) -> Option<(usize, usize)> {
        let text = self.analysis.text;
        // "the" (adjectives or a country's name) head noun, the head followed by no name of its
        // own ("the president, Vladimir Putin" is a name, not a description).
        let mut end = token + 1;
        while end < tagged.tokens.len() && matches!(tagged.tokens[end].upos, Upos::Adj | Upos::Propn) && end < token + 4
        {
            end += 1;
        }
        let head = tagged.tokens.get(end)?;
        if head.upos != Upos::Noun {
            return None;
        }
        let head_word = text[head.token.span].to_lowercase();
        let next_is_name = tagged.tokens.get(end + 1).is_some_and(|t| t.upos == Upos::Propn)
            || names.iter().any(|n| n.tokens.0 == end + 2 && text[tagged.tokens[end + 1].token.span] == *",");
        if next_is_name {
            return None;
        }
        // The country its adjective names: an actor mention inside the description.
        let first = self.analysis.actors.mentions.partition_point(|m| m.sentence < sentence);
        let country = self.analysis.actors.mentions[first..]
            .iter()
            .take_while(|m| m.sentence == sentence)
            .find(|m| m.tokens.0 <= end && token < m.tokens.1)
            .and_then(|m| m.code.as_deref())
            .and_then(|code| code.get(..3))
            .filter(|c| !c.starts_with("---"))
            .map(str::to_string);
        let span = Span::new(tagged.tokens[token].token.span.start as usize, head.token.span.end as usize);
        let earlier = |reach: usize| {
            self.coreference
                .mentions
                .iter()
                .rev()
                .filter(move |m| m.span.end <= span.start && m.sentence + reach >= sentence)
                .map(|m| m.referent)
        };
        if let Some(government) = person_role(&head_word) {
            let fits = |r: &usize| {
                let referent = &self.coreference.referents[*r];
                let actor = referent.actor.as_deref().unwrap_or("");
                referent.kind == ReferentKind::Person
                    && country.as_deref().is_none_or(|c| actor.starts_with(c))
                    && (!government || actor.len() > 3 || self.titled(*r, &head_word))
            };
            let found =
                earlier(DESCRIPTION_REACH).find(|r| fits(r) && (country.is_some() || self.titled(*r, &head_word)));
            let found = found.or_else(|| earlier(DESCRIPTION_REACH).find(fits))?;
            return Some((end + 1, found));
        }
        if ORGANIZATION_ROLES.contains(&head_word.trim_end_matches('s')) && !head_word.ends_with("ss") {
            let plural = head_word.ends_with('s');
            if plural {
                return None;
            }
            let found = earlier(DESCRIPTION_REACH).find(|r| {
                let referent = &self.coreference.referents[*r];
                let actor = referent.actor.as_deref().unwrap_or("");
                // "the government" is no newspaper: a coded antecedent has the description's
                // agent ("the company" may also be a company the dictionaries do not know).
                let agent = match head_word.as_str() {
                    "government" | "administration" | "regime" | "ministry" | "department" => Some("GOV"),
                    "company" | "firm" | "corporation" | "carrier" | "airline" | "automaker" | "manufacturer"
                    | "maker" => Some("BUS"),
                    "bank" => Some("BUS"),
                    "party" => Some("PTY"),
                    "court" => Some("JUD"),
                    "newspaper" | "network" => Some("MED"),
                    _ => None,
                };
                let fits_agent = agent.is_none_or(|a| {
                    if actor.is_empty() {
                        a == "BUS"
                    } else {
                        actor.contains(a) || a == "BUS" && actor.starts_with("MNC")
                    }
                });
                referent.kind == ReferentKind::Organization
                    && fits_agent
                    && country.as_deref().is_none_or(|c| actor.starts_with(c))
            })?;
            return Some((end + 1, found));
        }
        None
    }

    /// Whether a person was named with the title `role` right before a name ("President Vladimir
    /// Putin" is titled "president").
    fn titled(&self, referent: usize, role: &str) -> bool {
        let text = self.analysis.text;
        self.coreference.mentions.iter().filter(|m| m.referent == referent && m.form == Form::Name).any(|m| {
            let before = &text[..m.span.start as usize];
            let words: Vec<String> = before.split_whitespace().rev().take(3).map(str::to_lowercase).collect();
            words.iter().any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == role)
                || text[m.span].to_lowercase().split_whitespace().any(|w| w == role)
        })
    }

    /// A pronoun resolved to a person tells the person's gender, the first time.
    fn learn_gender(&mut self, referent: usize, pronoun: &str) {
        let gender = match pronoun {
            "he" | "him" | "his" | "himself" => Gender::Male,
            "she" | "her" | "hers" | "herself" => Gender::Female,
            _ => return,
        };
        let entry = &mut self.coreference.referents[referent];
        if entry.kind == ReferentKind::Person && entry.gender.is_none() {
            entry.gender = Some(gender);
        }
    }

    fn inside_quote(&self, span: Span) -> bool {
        let at = self.quoted.partition_point(|q| q.end <= span.start);
        self.quoted.get(at).is_some_and(|q| q.contains(span))
    }
}

/// Whether `short` is a shorter form of the person name `long`: its last word is the long one's
/// surname ("Putin" of "Vladimir Putin", "al Sharaa" of "Ahmed al Sharaa"), or it is the long
/// name's first word alone ("Hillary").
fn shortens(short: &[String], long: &[String]) -> bool {
    if short.is_empty() || short.len() >= long.len() {
        return short == long && !short.is_empty();
    }
    long.ends_with(short) || (short.len() == 1 && long.first() == short.first() && long.len() == 2)
}

/// A name's words, normalized, without titles and suffixes ("Mr. Donald Trump Jr." is "donald
/// trump").
fn name_words(name: &str) -> Vec<String> {
    const DROPPED: &[&str] = &[
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "jr",
        "sr",
        "president",
        "sen",
        "senator",
        "gov",
        "governor",
        "rep",
        "prime",
        "minister",
        "secretary",
        "gen",
        "general",
        "the",
        "his",
        "her",
        "their",
        "its",
    ];
    name.split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| crate::dict::normalize::normalize_word(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .filter(|w| !w.is_empty() && !DROPPED.contains(&w.as_str()))
        .collect()
}

/// The last word of a token range, lowercase.
fn last_word(text: &str, sentence: &TaggedSentence, tokens: (usize, usize)) -> String {
    sentence.tokens.get(tokens.1.saturating_sub(1)).map_or(String::new(), |t| text[t.token.span].to_lowercase())
}

/// Whether an agent's head noun names one body ("army", "ministry"), not its members.
fn is_body(word: &str) -> bool {
    const BODIES: &[&str] =
        &["army", "military", "police", "navy", "coalition", "opposition", "junta", "force", "guard"];
    BODIES.contains(&word) || ORGANIZATION_ROLES.contains(&word)
}

/// Whether a head noun is a person's title, and whether the title goes with a government post.
fn person_role(word: &str) -> Option<bool> {
    PERSON_ROLES.iter().find(|(role, _)| *role == word).map(|(_, government)| *government)
}

/// Whether an actor mention names a person: a title with a name, a short form of one, or a name
/// coded with a role (RUSGOV "Putin", not a country's bare RUS).
fn is_person_mention(mention: &Mention) -> bool {
    matches!(mention.kind, MentionKind::TitledName | MentionKind::ShortForm)
        || (mention.kind == MentionKind::Name
            && mention.code.as_ref().is_some_and(|c| c.len() > 3 && !c.starts_with("IGO")))
}

#[cfg(test)]
mod tests {
    use crate::pipeline::tests::{pipeline, test_article};

    /// Every pronoun, description and relative pronoun of `text` with the fullest name of its
    /// referent, as `word=Name` joined by `; `.
    fn check(text: &str, expect: &str) {
        let article = test_article(text);
        let coreference = pipeline().coreference(&article);
        let got: Vec<String> = coreference
            .mentions
            .iter()
            .filter(|m| m.form != super::Form::Name)
            .map(|m| format!("{}={}", &text[m.span], coreference.referents[m.referent].name))
            .collect();
        assert_eq!(got.join("; "), expect, "resolving {text:?}");
    }

    #[test]
    fn pronouns_take_the_latest_fitting_antecedent() {
        check(
            "Russian President Vladimir Putin congratulated his Syrian counterpart. He said Syria was recovering.",
            "his=Vladimir Putin; He=Vladimir Putin",
        );
        check("Mrs. Clinton met Donald Trump. She said the talks went well.", "She=Clinton");
        check("The Syrian army said it had retaken the town.", "it=The Syrian army");
    }

    #[test]
    fn descriptions_and_plurals_fit_what_they_describe() {
        // "the government" is not the newspaper named last; "they" is not a county.
        check("The BBC reported the deal. The government denied it.", "");
        check("Michael Howard spoke in Northamptonshire. They were people saving for a home.", "");
    }

    #[test]
    fn names_join_their_fullest_form() {
        check(
            "Ahmed al Sharaa arrived in Moscow. Putin received al Sharaa, who is making his second visit.",
            "who=Ahmed al Sharaa; his=Ahmed al Sharaa",
        );
    }

    #[test]
    fn nobody_in_a_quotation_is_the_speaker() {
        check("\"I support Trump,\" he said. Senator Graham spoke first.", "");
        check("Senator Lindsey Graham arrived. \"I support Trump,\" he said.", "he=Lindsey Graham");
    }

    #[test]
    fn descriptions_fit_country_and_title() {
        check(
            "Vladimir Putin met Ahmed al Sharaa in Moscow. Putin praised the Syrian leader.",
            "the Syrian leader=Ahmed al Sharaa",
        );
    }
}
