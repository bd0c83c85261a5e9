//! Places: the embedded gazetteer ([`Gazetteer`]), toponym resolution ([`resolve_places`]) and
//! event locations ([`locate_events`]).
//!
//! The gazetteer is GeoNames' cities of 15,000 people and more, its first-level divisions, the
//! countries (with world-countries' names and Natural Earth centres), the continents, and rivers
//! and regions known at country level, derived by
//! `scripts/derive-gazetteer.py` and embedded in the binary (see NOTICE). A place entity is
//! resolved in two passes: the first notes the countries the article speaks of (the actor codes
//! of its names, and its places with a single candidate); the second scores every candidate of a
//! name by its kind and population, that context, and the "City, Region" or "City, Country"
//! pattern ("Pandi, Bulacan"), and takes the best. An event is located where its own clause says
//! ("in Moscow", "visited Damascus"), else where its sentence says, else at the article's
//! dateline or the first place it reports something happening in.

use crate::analysis::Analysis;
use crate::dict::normalize::normalize_word;
use crate::events::Event;
use crate::ner::{Entity, EntityKind};
use crate::nlp::{ParsedSentence, TaggedSentence, Upos};
use crate::text::Span;
use flate2::read::GzDecoder;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::io::Read;

/// The gazetteer `scripts/derive-gazetteer.py` derives from GeoNames and world-countries.
static GAZETTEER_BYTES: &[u8] = include_bytes!("../../../data/gazetteer/geo.tsv.gz");

/// What kind of place a gazetteer entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Continent,
    Country,
    /// A first-level division: a state, province or region.
    Admin1,
    /// A country's capital.
    Capital,
    City,
    /// A river or region known at country level ("the Euphrates region"): one entry for each
    /// country it lies in, at the country's centre.
    Region,
}

impl PlaceKind {
    fn parse(text: &str) -> Option<PlaceKind> {
        Some(match text {
            "continent" => PlaceKind::Continent,
            "country" => PlaceKind::Country,
            "admin1" => PlaceKind::Admin1,
            "capital" => PlaceKind::Capital,
            "city" => PlaceKind::City,
            "region" => PlaceKind::Region,
            _ => return None,
        })
    }

    /// A country, division, continent or region: a name that stands for an area, which a
    /// writer capitalizes only as a name (unlike many towns': "Reading", "Mobile").
    fn is_area(self) -> bool {
        !matches!(self, PlaceKind::City | PlaceKind::Capital)
    }

    /// How precisely a place of this kind locates something.
    pub fn precision(self) -> &'static str {
        match self {
            PlaceKind::Continent => "continent",
            PlaceKind::Country | PlaceKind::Region => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Capital | PlaceKind::City => "city",
        }
    }

    /// A prior for a name's readings, on the scale of log10(population): a country or
    /// continent of a name is what a writer means before a town of that name.
    fn prior(self) -> f32 {
        match self {
            PlaceKind::Continent | PlaceKind::Country => 3.0,
            // A division's population is the sum of its cities': more than a city's, less than
            // its standing in the news ("Washington" is the capital before the state).
            PlaceKind::Admin1 => 0.5,
            PlaceKind::Capital => 1.5,
            PlaceKind::City | PlaceKind::Region => 0.0,
        }
    }
}

/// One gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub geonameid: u32,
    pub kind: PlaceKind,
    pub name: String,
    /// ISO 3166-1 alpha-3; empty for a continent.
    pub country: String,
    /// GeoNames' first-level division code within the country ("48" for Moscow).
    pub admin1: String,
    pub lat: f32,
    pub lon: f32,
    pub population: u64,
}

/// A place as output: on entities (`place`) and, with its basis, on events (`location`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Place {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The first-level division's name ("Moscow", "New South Wales").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    pub lat: f32,
    pub lon: f32,
    pub geonameid: u32,
    pub feature: PlaceKind,
    /// `city`, `admin1`, `country` or `continent`.
    pub precision: &'static str,
}

/// Where an event happened, and what says so.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventLocation {
    #[serde(flatten)]
    pub place: Place,
    /// `clause`: the event's own clause names it ("visited Damascus", "met in Moscow");
    /// `sentence`: another clause of its sentence; `article`: the article's dateline or the first
    /// place it reports something happening in.
    pub basis: &'static str,
    /// The place name that located it.
    pub span: Span,
}

/// The places annalist knows, indexed by name.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub records: Vec<Record>,
    /// Normalized name ([`name_key`]) to records, for names and alternate names.
    names: FxHashMap<String, Vec<u32>>,
    /// Names written in capitals ("US", "UK", "NSW"), matched only as capitals.
    codes: FxHashMap<String, Vec<u32>>,
    /// (country, admin1 code) to the division's record.
    divisions: FxHashMap<(String, String), u32>,
    /// ISO3 to the country's record.
    countries: FxHashMap<String, u32>,
    /// The first words of the names of areas (countries, divisions, continents, regions), keyed
    /// as [`name_key`] keys them: most capitalized words start no area's name, and are passed
    /// over without a lookup of the runs they open.
    area_starts: FxHashSet<String>,
}

impl Gazetteer {
    /// Reads the embedded gazetteer (a pipeline reads it once and keeps it:
    /// [`crate::pipeline::Pipeline::places`]).
    pub fn embedded() -> Result<Gazetteer, String> {
        let mut text = String::new();
        GzDecoder::new(GAZETTEER_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| format!("the embedded gazetteer does not decompress: {e}"))?;
        let mut gazetteer = Gazetteer::default();
        match gazetteer.add_tsv(&text, "data/gazetteer/geo.tsv.gz").into_iter().next() {
            Some(error) => Err(error),
            None => Ok(gazetteer),
        }
    }

    /// Adds places in the derived gazetteer's layout (see `scripts/derive-gazetteer.py`):
    /// `geonameid kind name country admin1 lat lon population alternates`, tab-separated, the
    /// last two optional (a user's own places may take any geonameid not in use). Lines that are
    /// empty or start with `#` are skipped. Returns an error naming `origin` and the line for each
    /// bad line; the good ones are added.
    pub fn add_tsv(&mut self, text: &str, origin: &str) -> Vec<String> {
        let mut errors = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(error) = self.add_line(line, &format!("{origin}:{}", number + 1)) {
                errors.push(error);
            }
        }
        errors
    }

    fn add_line(&mut self, line: &str, at: &str) -> Result<(), String> {
        let bad = |what: &str| format!("{at}: {what} in {line:?}");
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            return Err(bad("fewer than 7 tab-separated columns"));
        }
        let number_of = |col: usize, what: &str| cols[col].trim().parse::<f32>().map_err(|_| bad(what));
        let lat = number_of(5, "a latitude that is not a number")?;
        let lon = number_of(6, "a longitude that is not a number")?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(bad("coordinates out of range"));
        }
        let record = Record {
            geonameid: cols[0].trim().parse().map_err(|_| bad("a geonameid that is not a number"))?,
            kind: PlaceKind::parse(cols[1].trim())
                .ok_or_else(|| bad("a kind other than continent, country, admin1, capital, city or region"))?,
            name: cols[2].trim().to_string(),
            country: cols[3].trim().to_string(),
            admin1: cols[4].trim().to_string(),
            lat,
            lon,
            population: match cols.get(7).map(|c| c.trim()) {
                None | Some("") => 0,
                Some(pop) => pop.parse().map_err(|_| bad("a population that is not a number"))?,
            },
        };
        if record.name.is_empty() {
            return Err(bad("an empty name"));
        }
        let index = u32::try_from(self.records.len()).map_err(|_| bad("too many places"))?;
        let alternates = cols.get(8).map_or(Vec::new(), |alts| alts.split('|').filter(|a| !a.is_empty()).collect());
        for name in std::iter::once(record.name.as_str()).chain(alternates) {
            self.index_name(name, index);
            if record.kind.is_area() {
                let first = name.split(|c: char| c.is_whitespace() || c == '-').next().unwrap_or("");
                self.area_starts.insert(name_key(first));
            }
        }
        match record.kind {
            PlaceKind::Admin1 => {
                self.divisions.insert((record.country.clone(), record.admin1.clone()), index);
            }
            PlaceKind::Country => {
                self.countries.insert(record.country.clone(), index);
            }
            _ => {}
        }
        self.records.push(record);
        Ok(())
    }

    fn index_name(&mut self, name: &str, index: u32) {
        let letters: String = name.chars().filter(|c| *c != '.').collect();
        let (map, key) = if letters.len() <= 5 && letters.chars().all(|c| c.is_ascii_uppercase()) {
            (&mut self.codes, letters)
        } else {
            (&mut self.names, name_key(name))
        };
        if !key.is_empty() {
            let entry = map.entry(key).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
    }

    /// The records a name written as `text` may be: by its normalized form, and where it is
    /// written in capitals ("U.S.", "NSW"), by its letters.
    pub fn candidates(&self, text: &str) -> Vec<u32> {
        let key = name_key(text);
        let mut found = self.names.get(&key).cloned().unwrap_or_default();
        // "the Euphrates region", "the Jordan valley": the region by its proper name.
        if found.is_empty() {
            if let Some((name, last)) = key.rsplit_once(' ') {
                if REGION_WORDS.contains(&last) {
                    found = self.names.get(name).cloned().unwrap_or_default();
                }
            }
        }
        let letters: String = text.chars().filter(|c| *c != '.').collect();
        if letters.chars().all(|c| c.is_ascii_uppercase()) {
            if let Some(codes) = self.codes.get(&letters) {
                found.extend(codes.iter().filter(|c| !found.contains(c)).collect::<Vec<_>>());
            }
        }
        found
    }

    /// A country's record by ISO3.
    pub fn country(&self, iso3: &str) -> Option<u32> {
        self.countries.get(iso3).copied()
    }

    /// The output form of record `index`.
    pub fn place(&self, index: u32) -> Place {
        let record = &self.records[index as usize];
        let admin1 = match record.kind {
            PlaceKind::City | PlaceKind::Capital | PlaceKind::Admin1 => self
                .divisions
                .get(&(record.country.clone(), record.admin1.clone()))
                .map(|&d| self.records[d as usize].name.clone()),
            _ => None,
        };
        Place {
            name: record.name.clone(),
            country: (!record.country.is_empty()).then(|| record.country.clone()),
            admin1,
            lat: record.lat,
            lon: record.lon,
            geonameid: record.geonameid,
            feature: record.kind,
            precision: record.kind.precision(),
        }
    }

    /// Whether `outer` contains `inner`: its country, or its division.
    fn contains(&self, outer: u32, inner: u32) -> bool {
        let (outer, inner) = (&self.records[outer as usize], &self.records[inner as usize]);
        match outer.kind {
            PlaceKind::Country => inner.kind != PlaceKind::Country && inner.country == outer.country,
            PlaceKind::Admin1 => {
                matches!(inner.kind, PlaceKind::City | PlaceKind::Capital)
                    && inner.country == outer.country
                    && inner.admin1 == outer.admin1
            }
            _ => false,
        }
    }
}

/// Words that may follow a region's proper name.
const REGION_WORDS: &[&str] = &["region", "regions", "valley", "river", "basin", "delta", "area", "province"];

/// A name's lookup key: its words normalized ([`normalize_word`]: lower case, accents folded),
/// without periods, a leading "the" or a possessive "'s".
pub fn name_key(name: &str) -> String {
    let name = name.trim_end_matches("'s").trim_end_matches("’s");
    let mut words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| normalize_word(&w.replace('.', "")).replace('’', "'"))
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// How far apart two points are, in kilometres (haversine).
pub fn distance_km(a: (f32, f32), b: (f32, f32)) -> f64 {
    let (lat1, lon1) = (f64::from(a.0).to_radians(), f64::from(a.1).to_radians());
    let (lat2, lon2) = (f64::from(b.0).to_radians(), f64::from(b.1).to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// Place entities for the names of countries, divisions, continents and regions the recognizer
/// left out ("NSW", "Guinea"): a run of one to six capitalized words (with "of", "the" and "and"
/// between them) outside every entity that the gazetteer has as an area; and entities the
/// recognizer cut short of an area's name ("Democratic [Republic of the Congo]", "People's
/// [Republic of China]"), widened to it (their actor code, which was the part's, dropped).
/// Returned with the recognizer's, in text order.
pub fn add_toponyms(
    text: &str,
    tagged: &[TaggedSentence],
    mut entities: Vec<Entity>,
    gazetteer: &Gazetteer,
) -> Vec<Entity> {
    let is_area = |name: &str| gazetteer.candidates(name).iter().any(|&c| gazetteer.records[c as usize].kind.is_area());
    let mut merged = vec![false; entities.len()];
    for i in 0..entities.len() {
        let (first, end) = entities[i].tokens;
        let Some(sentence) = tagged.get(entities[i].sentence).filter(|s| end <= s.tokens.len() && !merged[i]) else {
            continue;
        };
        // A token the widened name may take: one of no entity, or of an entity it takes whole
        // ("Democratic Republic" + "of the" + "Congo").
        let takes = |t: usize, (s, e): (usize, usize)| {
            entities.iter().all(|o| {
                o.sentence != entities[i].sentence
                    || t < o.tokens.0
                    || t >= o.tokens.1
                    || (s <= o.tokens.0 && o.tokens.1 <= e)
            })
        };
        let widened = (0..=4.min(first))
            .flat_map(|left| (0..=3.min(sentence.tokens.len() - end)).map(move |right| (first - left, end + right)))
            .filter(|&(s, e)| {
                (s, e) != (first, end)
                    && (s..first).chain(end..e).all(|t| {
                        // Not the possessive of "Syria's", nor the sentence's full stop.
                        !matches!(sentence.tokens[t].upos, Upos::Punct | Upos::Part)
                            && !sentence.tokens[t].token.clitic
                            && takes(t, (s, e))
                    })
            })
            .filter(|&(s, e)| {
                let span = Span::new(
                    sentence.tokens[s].token.span.start as usize,
                    sentence.tokens[e - 1].token.span.end as usize,
                );
                text[span].chars().next().is_some_and(char::is_uppercase)
                    && gazetteer.area_starts.contains(&name_key(&text[sentence.tokens[s].token.span]))
                    && is_area(&text[span])
            })
            .max_by_key(|&(s, e)| (e - s, std::cmp::Reverse(s)));
        if let Some((s, e)) = widened.filter(|_| entities[i].kind != EntityKind::Per) {
            let span =
                Span::new(sentence.tokens[s].token.span.start as usize, sentence.tokens[e - 1].token.span.end as usize);
            let index = entities[i].sentence;
            for (j, other) in entities.iter().enumerate() {
                merged[j] |= j != i && other.sentence == index && s <= other.tokens.0 && other.tokens.1 <= e;
            }
            let entity = &mut entities[i];
            entity.text = text[span].to_string();
            entity.span = span;
            entity.tokens = (s, e);
            entity.kind = EntityKind::Loc;
            entity.actor = None;
        }
    }
    let mut keep = merged.iter().map(|m| !m);
    entities.retain(|_| keep.next().unwrap_or(true));
    let mut added = Vec::new();
    for (index, sentence) in tagged.iter().enumerate() {
        let taken: Vec<(usize, usize)> = entities.iter().filter(|e| e.sentence == index).map(|e| e.tokens).collect();
        let free = |t: usize| !taken.iter().any(|&(s, e)| s <= t && t < e);
        let word = |t: usize| &text[sentence.tokens[t].token.span];
        // A name's words are capitalized ("Democratic Republic" is read as an adjective and a
        // proper noun); a sentence's first word is capitalized anyway, so it must be a proper noun.
        let capitalized = |t: usize| {
            word(t).chars().next().is_some_and(char::is_uppercase)
                && (sentence.tokens[t].upos == Upos::Propn || (t > 0 && sentence.tokens[t].upos != Upos::Punct))
        };
        let joining = |t: usize| matches!(word(t), "of" | "the" | "and");
        let run = |start: usize, end: usize| {
            Span::new(
                sentence.tokens[start].token.span.start as usize,
                sentence.tokens[end - 1].token.span.end as usize,
            )
        };
        let mut start = 0;
        while start < sentence.tokens.len() {
            if !free(start) || !capitalized(start) || !gazetteer.area_starts.contains(&name_key(word(start))) {
                start += 1;
                continue;
            }
            // "Democratic Republic of the Congo": capitalized words, "of", "the" and "and" within.
            let longest = (1..=6.min(sentence.tokens.len() - start)).rev().find(|&len| {
                let end = start + len;
                capitalized(end - 1)
                    && (start..end).all(|t| free(t) && (capitalized(t) || joining(t)))
                    && is_area(&text[run(start, end)])
            });
            match longest {
                Some(len) => {
                    let span = run(start, start + len);
                    added.push(Entity {
                        text: text[span].to_string(),
                        kind: EntityKind::Loc,
                        span,
                        actor: None,
                        place: None,
                        sentence: index,
                        tokens: (start, start + len),
                    });
                    start += len;
                }
                None => start += 1,
            }
        }
    }
    if !added.is_empty() {
        entities.extend(added);
        entities.sort_by_key(|e| (e.span.start, e.span.end));
    }
    entities
}

/// Words after a place name that make it part of a disease's name.
const DISEASES: &[&str] = &["virus", "ebolavirus", "fever", "flu", "influenza", "disease", "encephalitis"];

/// Score for a candidate in a country the article speaks of, per mention of that country
/// (capped), and for the region or country a "City, Region" pattern names.
const CONTEXT_BONUS: f32 = 1.0;
const CONTEXT_CAP: f32 = 3.0;
const PATTERN_BONUS: f32 = 6.0;

/// Words after a name that say it is a division's.
const DIVISION_WORDS: &[&str] = &["state", "province", "oblast", "governorate", "prefecture"];

/// The word after an entity, lower-cased.
fn next_word(text: &str, entity: &Entity) -> String {
    let after = text.get(entity.span.end as usize..).unwrap_or("");
    after.split_whitespace().next().unwrap_or("").trim_end_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// The gazetteer record of every place entity of the article (`None` for other entities and for
/// names the gazetteer lacks), in entity order.
pub fn resolve_places(text: &str, entities: &[Entity], gazetteer: &Gazetteer) -> Vec<Option<u32>> {
    let candidates: Vec<Vec<u32>> = entities
        .iter()
        .map(|entity| {
            let mut found = gazetteer.candidates(&entity.text);
            // "West Nile virus", "Marburg fever": a disease named after a place.
            if DISEASES.iter().any(|d| next_word(text, entity).starts_with(d)) {
                return Vec::new();
            }
            // An organisation or group named exactly as a country or region ("U.S." read as an
            // organisation) is that place; a person never is.
            match entity.kind {
                EntityKind::Loc => {}
                EntityKind::Org | EntityKind::Oth => found.retain(|&c| gazetteer.records[c as usize].kind.is_area()),
                EntityKind::Per => return Vec::new(),
            }
            // The actor dictionaries know more names of countries than GeoNames ("Britain"); a
            // group's code ("Canadian": CAN) is no place.
            if found.is_empty() && entity.kind == EntityKind::Loc {
                found.extend(entity.actor.as_deref().filter(|code| code.len() == 3).and_then(|c| gazetteer.country(c)));
            }
            found
        })
        .collect();
    // The countries the article speaks of: its actors' and its unambiguous places'.
    let mut context: FxHashMap<&str, f32> = FxHashMap::default();
    for (entity, found) in entities.iter().zip(&candidates) {
        let country = match found.as_slice() {
            [single] => Some(gazetteer.records[*single as usize].country.as_str()),
            _ => entity.actor.as_deref().and_then(|code| code.get(..3)).filter(|c| gazetteer.country(c).is_some()),
        };
        if let Some(country) = country.filter(|c| !c.is_empty()) {
            *context.entry(country).or_default() += CONTEXT_BONUS;
        }
    }
    // "Pandi, Bulacan": entity `a` and the next, `a + 1`, with only a comma between them.
    let comma_pair = |a: usize| {
        entities.get(a + 1).is_some_and(|b| {
            b.sentence == entities[a].sentence
                && text.get(entities[a].span.end as usize..b.span.start as usize).is_some_and(|gap| gap.trim() == ",")
        })
    };
    let mut resolved = Vec::with_capacity(entities.len());
    for (index, found) in candidates.iter().enumerate() {
        // The name after the comma may contain a candidate; the one before, be contained in it.
        let container = comma_pair(index).then(|| &candidates[index + 1]);
        let contained = index.checked_sub(1).filter(|&p| comma_pair(p)).map(|p| &candidates[p]);
        // A division named after its city ("Moscow", "Mexico City") stands back for the city:
        // writers mean the city; but "Washington state", "Niger State" are the division.
        let division = DIVISION_WORDS.contains(&next_word(text, &entities[index]).as_str());
        let found: Vec<u32> = found
            .iter()
            .copied()
            .filter(|&c| {
                let kind = gazetteer.records[c as usize].kind;
                if division {
                    return kind == PlaceKind::Admin1
                        || !found.iter().any(|&o| gazetteer.records[o as usize].kind == PlaceKind::Admin1);
                }
                kind != PlaceKind::Admin1 || !found.iter().any(|&other| other != c && gazetteer.contains(c, other))
            })
            .collect();
        let written = name_key(&entities[index].text);
        let best = found.iter().copied().max_by(|&a, &b| {
            let score = |c: u32| {
                let record = &gazetteer.records[c as usize];
                let mut score = ((record.population as f32) + 10.0).log10() + record.kind.prior();
                if name_key(&record.name) == written {
                    score += 0.5;
                }
                score += context.get(record.country.as_str()).copied().unwrap_or(0.0).min(CONTEXT_CAP);
                if container.is_some_and(|outer| outer.iter().any(|&o| gazetteer.contains(o, c))) {
                    score += PATTERN_BONUS;
                }
                if contained.is_some_and(|inner| inner.iter().any(|&i| gazetteer.contains(c, i))) {
                    score += PATTERN_BONUS;
                }
                score
            };
            score(a).total_cmp(&score(b)).then_with(|| b.cmp(&a))
        });
        resolved.push(best);
    }
    resolved
}

/// Prepositions that say where something happens.
const LOCATIVE: &[&str] = &["in", "at", "near", "inside", "outside", "across", "throughout", "around", "within"];

/// Verbs whose object is where the act happens ("visited Damascus", "shelled Aleppo"), unlike
/// most, whose object is acted on ("fought Germany").
const PLACE_VERBS: &[&str] = &[
    "visit", "tour", "enter", "reach", "invade", "occupy", "capture", "seize", "bomb", "shell", "raid", "storm",
    "besiege", "liberate", "retake", "overrun",
];

/// Nouns for happenings, whose place is the place of the act that opens, holds or joins them:
/// "opening a meeting in Moscow", "held talks in Geneva".
const HAPPENINGS: &[&str] = &[
    "meeting",
    "talks",
    "talk",
    "summit",
    "conference",
    "visit",
    "ceremony",
    "rally",
    "protest",
    "demonstration",
    "negotiation",
    "negotiations",
    "session",
    "forum",
    "election",
    "vote",
    "attack",
    "attacks",
    "clash",
    "clashes",
    "fighting",
    "battle",
    "offensive",
    "strike",
    "strikes",
    "explosion",
    "bombing",
    "raid",
    "operation",
    "exercise",
    "exercises",
    "signing",
    "funeral",
    "parade",
];

/// The verb a place entity says where of: the verb whose locative oblique it is ("met in
/// Moscow") or whose object it is ("visited Damascus").
fn locative_verb(parsed: &ParsedSentence, tokens: (usize, usize)) -> Option<usize> {
    let (first, end) = tokens;
    let head = (first..end).find(|&t| parsed.tokens[t].head.is_none_or(|h| h < first || h >= end))?;
    let token = &parsed.tokens[head];
    let governor = token.head?;
    let is_verb = |t: usize| matches!(parsed.tokens[t].upos, Upos::Verb | Upos::Aux);
    match token.deprel {
        "obj" if is_verb(governor) && PLACE_VERBS.contains(&parsed.tokens[governor].lemma.as_str()) => Some(governor),
        deprel if deprel.starts_with("obl") || deprel == "nmod" || deprel == "advmod" => {
            let locative = parsed.children(head).any(|c| {
                parsed.tokens[c].deprel == "case" && LOCATIVE.contains(&parsed.tokens[c].lemma.to_lowercase().as_str())
            });
            if !locative {
                return None;
            }
            if is_verb(governor) {
                return Some(governor);
            }
            // "a meeting in Moscow": the happening's place is that of the verb it belongs to.
            let noun = &parsed.tokens[governor];
            let happening = HAPPENINGS.contains(&noun.lemma.to_lowercase().as_str());
            noun.head.filter(|&v| happening && is_verb(v))
        }
        _ => None,
    }
}

/// A place entity as events see it.
struct Site {
    sentence: usize,
    verb: Option<usize>,
    span: Span,
    record: u32,
    first_token: usize,
}

/// Sets each event's `location`: the place its own clause names (or the clause it is
/// coordinated with: "visited Damascus and worked with..."), else a place another clause of its
/// sentence says something happened in, else the article's dateline or the first place the
/// article says something happened in. Events with none of these keep no location.
pub fn locate_events(analysis: &Analysis<'_>, places: &[Option<u32>], gazetteer: &Gazetteer, events: &mut [Event]) {
    let sites: Vec<Site> = analysis
        .entities
        .iter()
        .zip(places)
        .filter_map(|(entity, record)| {
            let record = (*record)?;
            let verb = analysis.parsed.get(entity.sentence)?.as_ref().and_then(|p| locative_verb(p, entity.tokens));
            Some(Site { sentence: entity.sentence, verb, span: entity.span, record, first_token: entity.tokens.0 })
        })
        .collect();
    // A dateline: a place opening the article, followed by a comma, dash or parenthesis.
    let dateline = sites.iter().find(|s| {
        s.sentence == 0
            && s.first_token == 0
            && analysis
                .text
                .get(s.span.end as usize..)
                .is_some_and(|rest| rest.trim_start().starts_with([',', '-', '—', '–', '(']))
    });
    let article = dateline.or_else(|| sites.iter().find(|s| s.verb.is_some()));
    for event in events {
        let Some(parsed) = analysis.parsed.get(event.sentence).and_then(Option::as_ref) else { continue };
        let verb = parsed.tokens.iter().position(|t| t.token.span.start == event.verb_span.start);
        let in_sentence = || sites.iter().filter(|s| s.sentence == event.sentence);
        let mut clause = None;
        let mut node = verb;
        for _ in 0..parsed.tokens.len() {
            let Some(v) = node else { break };
            clause = in_sentence().find(|s| s.verb == Some(v));
            if clause.is_some() {
                break;
            }
            node = match parsed.tokens[v].deprel {
                "conj" | "xcomp" => parsed.tokens[v].head,
                _ => None,
            };
        }
        let (site, basis) = match (clause, in_sentence().find(|s| s.verb.is_some()), article) {
            (Some(site), _, _) => (site, "clause"),
            (None, Some(site), _) => (site, "sentence"),
            (None, None, Some(site)) => (site, "article"),
            (None, None, None) => continue,
        };
        event.location = Some(EventLocation { place: gazetteer.place(site.record), basis, span: site.span });
    }
}

/// An actor named by its role alone ("police", "the opposition newspaper", "former president
/// Carlos Menem" where the dictionaries lack him: `---COP`, `---OPPMED`, `---GOV`) is of the
/// country the event happens in, as CAMEO's coders code it: the country of the event's own
/// clause's or sentence's place ("troops killed ten militants in Afghanistan": AFGREB) and, for a
/// target, else the country of a source that has one ("an Argentine judge ordered former
/// president Carlos Menem to appear": ARG). An article's dateline says where it was written,
/// not whose the actors are, so it gives none.
pub fn country_of_bare_agents(events: &mut [Event], gazetteer: &Gazetteer) {
    let bare = |code: &str| code.len() > 3 && code.starts_with("---");
    let country = |code: &str| code.get(..3).filter(|c| gazetteer.country(c).is_some()).map(str::to_string);
    for event in events {
        let place = place_country(event, gazetteer);
        if bare(&event.source) {
            if let Some(place) = &place {
                event.source = format!("{place}{}", &event.source[3..]);
            }
        }
        if bare(&event.target) {
            if let Some(country) = place.clone().or_else(|| country(&event.source)) {
                event.target = format!("{country}{}", &event.target[3..]);
            }
        }
    }
}

/// People named as an ethnic group ("ethnic Albanians", "ethnic Turks") are of the country they
/// live in, not of the state their name comes from: "Ethnic Albanians in south Serbia are
/// demanding..." is SRB, as CAMEO's coders code minorities. The country is that of the event's
/// own clause's or sentence's place, when it differs. Only the word "ethnic" says so: "Syrian
/// refugees in Lebanon" stay Syrian.
pub fn country_of_ethnic_groups(events: &mut [Event], gazetteer: &Gazetteer) {
    let ethnic = |text: &str| text.split(|c: char| !c.is_alphabetic()).any(|w| w.eq_ignore_ascii_case("ethnic"));
    for event in events {
        let Some(place) = place_country(event, gazetteer) else { continue };
        let relocate = |code: &mut String, text: &str| {
            let country = code.get(..3).filter(|c| gazetteer.country(c).is_some() && *c != place.as_str());
            if ethnic(text) && country.is_some() {
                *code = format!("{place}{}", &code[3..]);
            }
        };
        relocate(&mut event.source, &event.source_text);
        relocate(&mut event.target, &event.target_text);
    }
}

/// The country of the place an event's own clause or sentence names: the article's dateline or
/// main place says where it was written, not whose its actors are.
fn place_country(event: &Event, gazetteer: &Gazetteer) -> Option<String> {
    event
        .location
        .as_ref()
        .filter(|l| l.basis != "article")
        .and_then(|l| l.place.country.clone())
        .filter(|c| gazetteer.country(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::{pipeline, test_article};

    /// Each place entity of `text` as `name=resolved name/country/precision`.
    fn places(text: &str) -> Vec<String> {
        pipeline()
            .code(&test_article(text))
            .entities
            .iter()
            .filter_map(|e| {
                let p = e.place.as_ref()?;
                Some(format!("{}={}/{}/{}", e.text, p.name, p.country.as_deref().unwrap_or("-"), p.precision))
            })
            .collect()
    }

    /// Each event of `text` as `verb@place (basis)`.
    fn locations(text: &str) -> Vec<String> {
        pipeline()
            .code(&test_article(text))
            .events
            .iter()
            .map(|e| match &e.location {
                Some(l) => format!("{}@{} ({})", e.verb_text, l.place.name, l.basis),
                None => format!("{}@-", e.verb_text),
            })
            .collect()
    }

    #[test]
    fn actors_named_by_role_take_their_events_country() {
        let dyads = |text: &str| -> Vec<String> {
            pipeline()
                .code(&test_article(text))
                .events
                .iter()
                .map(|e| format!("{} -> {}", e.source, e.target))
                .collect()
        };
        // The place of the event's clause, else the source's country.
        assert_eq!(dyads("Kenyan police arrested three opposition leaders in Nairobi."), ["KENCOP -> KENOPP"]);
        assert_eq!(dyads("An Argentine judge summoned the former president."), ["ARGJUD -> ARGELI"]);
        // An ethnic group is of the country it lives in; refugees keep theirs.
        assert_eq!(dyads("Ethnic Albanians marched against the Serbian government in Serbia."), ["SRB -> SRBGOV"]);
        assert_eq!(dyads("Syrian refugees marched against the Lebanese government in Lebanon."), ["SYRREF -> LBNGOV"]);
    }

    #[test]
    fn names_resolve_by_kind_population_and_context() {
        // A country before a town of its name; a US state where the city's neighbour says so.
        assert_eq!(places("Russian troops entered Georgia."), ["Georgia=Georgia/GEO/country"]);
        assert!(places("Flooding hit Atlanta, Georgia.").contains(&"Georgia=Georgia/USA/admin1".to_string()));
        // "City, Region": the small Paris of Texas.
        assert!(places("Police in Paris, Texas, arrested two men.").contains(&"Paris=Paris/USA/city".to_string()));
        // A capital before its namesake division; a demonym is no place; a disease is no place.
        assert_eq!(places("Officials in Moscow met Syrian envoys."), ["Moscow=Moscow/RUS/city"]);
        assert!(places("The West Nile virus spread.").is_empty());
        // "Washington state" is the state, "Washington" the capital.
        assert!(
            places("Farmers in Washington state lost crops.").contains(&"Washington=Washington/USA/admin1".to_string())
        );
        assert!(places("Officials in Washington said so.").contains(&"Washington=Washington/USA/city".to_string()));
        // A name the recognizer cut in two is widened to the country's.
        assert_eq!(
            places("Officials in the Democratic Republic of the Congo said so."),
            ["Democratic Republic of the Congo=Democratic Republic of the Congo/COD/country"]
        );
    }

    #[test]
    fn events_are_located_by_clause_sentence_and_article() {
        assert_eq!(locations("Putin met Assad in Damascus on Monday."), ["met@Damascus (clause)"]);
        // The visit and its mirror (hosting), and the act coordinated with it.
        assert_eq!(
            locations("Erdogan visited Baghdad and praised Iraq."),
            ["visited@Baghdad (clause)", "visited@Baghdad (clause)", "praised@Baghdad (clause)"]
        );
        // No place in the article: no location.
        assert_eq!(locations("Putin praised Assad."), ["praised@-"]);
    }

    #[test]
    fn the_shipped_gazetteer_loads_and_finds_places() {
        let gazetteer = Gazetteer::embedded().expect("the embedded gazetteer loads");
        assert!(gazetteer.records.len() > 30_000);
        let moscow = gazetteer.candidates("Moscow");
        assert!(moscow.iter().any(|&c| gazetteer.records[c as usize].geonameid == 524901));
        // Capitals only as capitals: "us" is a pronoun, "US" a country.
        assert!(gazetteer.candidates("US").iter().any(|&c| gazetteer.records[c as usize].country == "USA"));
        assert!(gazetteer.candidates("U.S.").iter().any(|&c| gazetteer.records[c as usize].country == "USA"));
        assert!(!gazetteer.candidates("us").iter().any(|&c| gazetteer.records[c as usize].country == "USA"));
        assert!(gazetteer.candidates("São Paulo") == gazetteer.candidates("Sao Paulo"));
    }

    #[test]
    fn bad_lines_are_errors_naming_the_line() {
        let mut gazetteer = Gazetteer::default();
        let errors = gazetteer.add_tsv(
            "# mine\n1\tcity\tA\tSYR\t01\t33.5\t36.3\n2\tcity\tB\tSYR\t01\tnorth\t36\n3\tcity\tC\tSYR\t01\t33\t36\t9\tCee\n",
            "my.tsv",
        );
        assert_eq!(errors, ["my.tsv:3: a latitude that is not a number in \"2\\tcity\\tB\\tSYR\\t01\\tnorth\\t36\""]);
        assert_eq!(gazetteer.records.len(), 2);
        assert_eq!(gazetteer.candidates("Cee"), [1]);
        assert_eq!(gazetteer.add_tsv("3\ttown\tC\tSYR\t01\t1\t1", "my.tsv").len(), 1);
        assert_eq!(gazetteer.add_tsv("4\tcity\tD\tSYR\t01\t91\t1", "my.tsv").len(), 1);
    }

    #[test]
    fn distances() {
        let moscow = (55.75, 37.62);
        let damascus = (33.51, 36.29);
        let km = distance_km(moscow, damascus);
        assert!((2460.0..2490.0).contains(&km), "{km}");
        assert_eq!(distance_km(moscow, moscow), 0.0);
    }
}
