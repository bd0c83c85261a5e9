//! Geocoding against GeoVirus (Gritta et al. 2018): Wikinews articles whose toponyms carry the
//! coordinates of their Wikipedia pages.
//!
//! A gold toponym is **found** when a place entity of annalist (one with a `place`) overlaps it;
//! recall is found gold over gold, precision place entities overlapping a gold toponym over place
//! entities. Over the found ones: `acc161`, the share resolved within 161 km (100 miles) of the
//! gold point, the mean error in km, and country accuracy, where the gold's country is that of
//! the gazetteer city nearest its point (continents, which have none, are left out).
//!
//! GeoVirus' offsets count characters from one before the text's start: the toponym at gold
//! `start` begins at character `start - 1`. A gold toponym whose name is not at that place is
//! looked for within a few characters, and counted as `unaligned` when it is not found (as are
//! the few with empty offsets).

use crate::article::Article;
use crate::geo::{distance_km, Gazetteer, PlaceKind};
use crate::pipeline::Pipeline;
use crate::text::Span;
use serde::Serialize;
use std::collections::BTreeMap;

/// One gold toponym, its span as bytes into the document text.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldToponym {
    pub name: String,
    pub span: Span,
    pub lat: f32,
    pub lon: f32,
}

/// A GeoVirus article.
#[derive(Clone, Debug, PartialEq)]
pub struct GeoDocument {
    /// Its Wikinews address.
    pub id: String,
    pub text: String,
    pub gold: Vec<GoldToponym>,
}

/// What [`evaluate`] counts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GeoScores {
    pub documents: usize,
    pub gold: usize,
    /// Gold toponyms whose name is not at their offsets (left out of `gold`).
    pub unaligned: usize,
    /// Place entities annalist found.
    pub system: usize,
    /// Place entities that overlap a gold toponym.
    pub system_correct: usize,
    /// Gold toponyms a place entity overlaps.
    pub found: usize,
    pub within_161: usize,
    pub km_total: f64,
    pub country_gold: usize,
    pub country_correct: usize,
    /// Found toponyms and those within 161 km, by the precision of the place annalist gave:
    /// a country's or division's point is a convention (a centre), a city's is the city.
    pub by_precision: BTreeMap<&'static str, (usize, usize)>,
}

impl GeoScores {
    pub fn recall(&self) -> f64 {
        ratio(self.found as f64, self.gold)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.system_correct as f64, self.system)
    }
    pub fn acc161(&self) -> f64 {
        ratio(self.within_161 as f64, self.found)
    }
    pub fn mean_km(&self) -> f64 {
        ratio(self.km_total, self.found)
    }
    pub fn country_acc(&self) -> f64 {
        ratio(self.country_correct as f64, self.country_gold)
    }
    /// `acc161` by the precision of annalist's place: (precision, found, within 161 km, acc161).
    pub fn acc161_by_precision(&self) -> impl Iterator<Item = (&'static str, usize, usize, f64)> + '_ {
        self.by_precision.iter().map(|(&precision, &(n, within))| (precision, n, within, ratio(within as f64, n)))
    }
}

fn ratio(part: f64, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part / whole as f64
    }
}

/// Reads GeoVirus' XML: `<article>`s, each with a `<source>`, a `<text>` and `<location>`s of
/// `<name>`, `<start>`, `<end>`, `<lat>`, `<lon>`. Returns the documents and the number of gold
/// toponyms that could not be aligned with their text.
pub fn parse_geovirus(xml: &str) -> Result<(Vec<GeoDocument>, usize), String> {
    let mut documents = Vec::new();
    let mut unaligned = 0;
    for (number, article) in elements(xml, "article").enumerate() {
        let bad = |what: &str| format!("article {}: {what}", number + 1);
        let text = unescape(elements(article, "text").next().ok_or_else(|| bad("no <text>"))?);
        let id = elements(article, "source").next().map_or_else(|| format!("geovirus-{}", number + 1), unescape);
        let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
        let mut gold = Vec::new();
        for location in elements(article, "location") {
            let field = |tag: &str| {
                elements(location, tag).next().map(unescape).ok_or_else(|| bad(&format!("a location without <{tag}>")))
            };
            let number_of = |tag: &str| -> Result<f64, String> {
                field(tag)?.trim().parse::<f64>().map_err(|_| bad(&format!("a <{tag}> that is not a number")))
            };
            let name = field("name")?;
            // A few toponyms have no offsets at all.
            if field("start")?.trim().is_empty() {
                unaligned += 1;
                continue;
            }
            let start = number_of("start")? as usize;
            let (lat, lon) = (number_of("lat")? as f32, number_of("lon")? as f32);
            let length = name.chars().count();
            let aligned = [0isize, -1, 1, -2, 2, -3, 3].iter().find_map(|shift| {
                let first = (start as isize - 1 + shift).max(0) as usize;
                let (&s, &e) = (chars.get(first)?, chars.get(first + length)?);
                (text[s..e] == name).then_some(Span::new(s, e))
            });
            match aligned {
                Some(span) => gold.push(GoldToponym { name, span, lat, lon }),
                None => unaligned += 1,
            }
        }
        documents.push(GeoDocument { id, text, gold });
    }
    if documents.is_empty() {
        return Err("no <article> elements".to_string());
    }
    Ok((documents, unaligned))
}

/// The contents of each `<tag>...</tag>` in `xml`, in order (not nested in themselves).
fn elements<'x>(xml: &'x str, tag: &str) -> impl Iterator<Item = &'x str> + 'x {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut rest = xml;
    std::iter::from_fn(move || {
        let start = rest.find(&open)? + open.len();
        let end = start + rest[start..].find(&close)?;
        let body = &rest[start..end];
        rest = &rest[end + close.len()..];
        Some(body)
    })
}

/// XML's five named entities and numeric character references.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The country of the gazetteer city nearest a point.
fn country_at(gazetteer: &Gazetteer, point: (f32, f32)) -> Option<&str> {
    gazetteer
        .records
        .iter()
        .filter(|r| matches!(r.kind, PlaceKind::City | PlaceKind::Capital))
        .map(|r| (distance_km(point, (r.lat, r.lon)), r))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r.country.as_str())
}

/// Codes every document (undated) and scores its place entities against the gold toponyms.
pub fn evaluate(pipeline: &Pipeline, documents: &[GeoDocument]) -> GeoScores {
    let gazetteer = pipeline.places();
    let mut scores = GeoScores::default();
    for document in documents {
        let article = Article { id: document.id.clone(), text: document.text.clone(), ..Article::default() };
        let coded = pipeline.code(&article);
        let places: Vec<_> = coded.entities.iter().filter_map(|e| e.place.as_ref().map(|p| (e.span, p))).collect();
        let overlaps = |a: Span, b: Span| a.start < b.end && b.start < a.end;
        scores.documents += 1;
        scores.gold += document.gold.len();
        scores.system += places.len();
        scores.system_correct +=
            places.iter().filter(|(span, _)| document.gold.iter().any(|g| overlaps(*span, g.span))).count();
        for gold in &document.gold {
            let Some((_, place)) = places.iter().find(|(span, _)| overlaps(*span, gold.span)) else { continue };
            scores.found += 1;
            let km = distance_km((gold.lat, gold.lon), (place.lat, place.lon));
            scores.km_total += km;
            let by_precision = scores.by_precision.entry(place.precision).or_default();
            by_precision.0 += 1;
            if km <= 161.0 {
                scores.within_161 += 1;
                by_precision.1 += 1;
            }
            let continent = gazetteer
                .candidates(&gold.name)
                .iter()
                .any(|&c| gazetteer.records[c as usize].kind == PlaceKind::Continent);
            if !continent {
                if let Some(country) = country_at(gazetteer, (gold.lat, gold.lon)) {
                    scores.country_gold += 1;
                    if place.country.as_deref() == Some(country) {
                        scores.country_correct += 1;
                    }
                }
            }
        }
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_geovirus_xml() {
        let xml =
            "<articles><article><source>https://x/a</source><text>Fighting in Pandi, Bulacan &amp; Manila.</text>\
            <locations><location><name>Pandi</name><start>13</start><end>18</end><lat>14.87</lat><lon>120.95</lon>\
            <page>p</page></location><location><name>Manila</name><start>30</start><end>36</end><lat>14.6</lat>\
            <lon>120.98</lon></location><location><name>Nowhere</name><start>1</start><end>8</end><lat>1</lat>\
            <lon>1</lon></location></locations></article></articles>";
        let (documents, unaligned) = parse_geovirus(xml).expect("parses");
        assert_eq!(unaligned, 1);
        let document = &documents[0];
        assert_eq!(document.text, "Fighting in Pandi, Bulacan & Manila.");
        let names: Vec<&str> = document.gold.iter().map(|g| &document.text[g.span]).collect();
        assert_eq!(names, ["Pandi", "Manila"]);
        assert!(parse_geovirus("<articles/>").is_err());
        assert!(parse_geovirus("<article><text>a</text><location><name>a</name></location></article>").is_err());
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape("a &amp; b &lt;c&gt; &#233;&#x41; & &bogus; &"), "a & b <c> éA & &bogus; &");
    }
}
