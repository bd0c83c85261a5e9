//! Writing coded articles: one transaction per batch, so that a crash loses at most the batch
//! in progress and never leaves half an article or an event without its merge.

use crate::merge::{cluster, Location, Unit};
use crate::{Result, Store};
use annalist::pipeline::CodedArticle;
use annalist::{Article, Diagnostic};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// A coded article ready to store, with the hash that makes storing it idempotent.
pub struct Ingested {
    pub article: Article,
    pub coded: CodedArticle,
    pub hash: String,
}

/// What one write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteStats {
    /// Articles stored for the first time.
    pub added: u64,
    /// Articles whose id was stored with other content, replaced.
    pub replaced: u64,
    /// Articles already stored as they are.
    pub unchanged: u64,
    /// Article events written.
    pub events: u64,
}

/// The hash an article is stored under: its fields and `fingerprint`, which names what coding
/// depends on besides the article (annalist's version, the dictionaries), so that recoding with
/// other dictionaries replaces the old rows instead of being skipped.
pub fn content_hash(article: &Article, fingerprint: &str) -> String {
    let mut hasher = Sha256::new();
    // serde_json writes struct fields in declaration order and `extra` as a sorted map, so the
    // bytes are the same for the same article.
    hasher.update(serde_json::to_vec(article).unwrap_or_default());
    hasher.update([0]);
    hasher.update(fingerprint.as_bytes());
    hex(&hasher.finalize())
}

/// A short name for what coding depended on: `annalist` and its version, then each named input
/// (a dictionary file: its name and its bytes) hashed.
pub fn fingerprint(version: &str, inputs: &[(String, Vec<u8>)]) -> String {
    if inputs.is_empty() {
        return format!("annalist {version}");
    }
    let mut hasher = Sha256::new();
    for (name, bytes) in inputs {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    format!("annalist {version} + {}", &hex(&hasher.finalize())[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A unit's id: stable for the same article content and event index, whatever the store. 53
/// bits, so that JavaScript (the dashboard, any JSON reader that uses doubles) reads it exactly.
/// Two units of a million collide with a chance of about 1 in 18,000; the later one then takes
/// the next free id, the one case where ids depend on the order of ingestion.
fn unit_id(tx: &Transaction, hash: &str, index: usize) -> Result<i64> {
    let digest = Sha256::new().chain_update(hash.as_bytes()).chain_update(index.to_le_bytes()).finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    let mut id = (u64::from_le_bytes(first) >> 11) as i64;
    let mut taken = tx.prepare_cached("SELECT 1 FROM units WHERE id = ?1")?;
    while taken.exists([id])? {
        id = (id + 1) & ((1 << 53) - 1);
    }
    Ok(id)
}

/// `value` to `digits` decimals: the coder's single-precision numbers widened to SQLite's doubles
/// would otherwise print as 1.899999976.
pub(crate) fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// The name an enum is serialized under (`"direct"`, `"PER"`, `"city"`).
fn serialized_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The merge groups a batch touched: (source, target, base code) and the days concerned.
#[derive(Default)]
struct Touched {
    groups: BTreeMap<(String, String, String), (i64, i64)>,
    /// Units that merge with nothing (undated, or an actor left vague), each its own event.
    alone: Vec<i64>,
    /// Events whose units were deleted (a replaced article): rebuilt or dropped.
    stale_events: BTreeSet<i64>,
}

impl Touched {
    fn add(&mut self, source: String, target: String, base_code: String, day: Option<i64>, id: i64) {
        match day.filter(|_| mergeable(&source, &target)) {
            Some(day) => {
                let range = self.groups.entry((source, target, base_code)).or_insert((day, day));
                range.0 = range.0.min(day);
                range.1 = range.1.max(day);
            }
            None => self.alone.push(id),
        }
    }
}

/// Whether events of these actors may merge across articles: only when both are named down to
/// a country or organisation. "A company said" in two articles, or any one-sided event, says too
/// little to be one event (measured on MEANTIME: every such merge was wrong).
fn mergeable(source: &str, target: &str) -> bool {
    let named = |code: &str| !code.is_empty() && !code.starts_with("---");
    named(source) && named(target)
}

impl Store {
    /// Stores a batch of coded articles and the read failures that came with them, and merges
    /// their events into the store's, all in one transaction.
    pub fn write(&mut self, batch: &[Ingested], failures: &[Diagnostic]) -> Result<WriteStats> {
        let window = self.window;
        let tx = self.conn.transaction()?;
        let mut stats = WriteStats::default();
        let mut touched = Touched::default();
        for item in batch {
            let existing: Option<(i64, String)> = tx
                .prepare_cached("SELECT id, hash FROM articles WHERE key = ?1")?
                .query_row([&item.article.id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            match existing {
                Some((_, hash)) if hash == item.hash => {
                    stats.unchanged += 1;
                    continue;
                }
                Some((rowid, _)) => {
                    delete_article(&tx, rowid, &mut touched)?;
                    stats.replaced += 1;
                }
                None => stats.added += 1,
            }
            stats.events += insert_article(&tx, item, &mut touched)?;
        }
        for diagnostic in failures {
            tx.prepare_cached("INSERT OR IGNORE INTO failures(location, code, message) VALUES (?1, ?2, ?3)")?
                .execute(params![diagnostic.location.to_string(), diagnostic.code, diagnostic.message])?;
        }
        remerge(&tx, &touched, window)?;
        tx.commit()?;
        Ok(stats)
    }
}

fn delete_article(tx: &Transaction, rowid: i64, touched: &mut Touched) -> Result<()> {
    let mut units =
        tx.prepare_cached("SELECT id, source, target, base_code, day, event FROM units WHERE article = ?1")?;
    let rows = units.query_map([rowid], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get::<_, Option<i64>>(5)?))
    })?;
    for row in rows {
        let (id, source, target, base_code, day, event) = row?;
        touched.add(source, target, base_code, day, id);
        touched.stale_events.extend(event);
    }
    // Units, mentions, quotes and entities go with it (foreign keys cascade).
    tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?.execute([rowid])?;
    Ok(())
}

fn insert_article(tx: &Transaction, item: &Ingested, touched: &mut Touched) -> Result<u64> {
    let article = &item.article;
    let coded = &item.coded;
    tx.prepare_cached(
        "INSERT INTO articles(key, hash, date, outlet, title, url, text, extra, diagnostics, annotations)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        article.id,
        item.hash,
        article.date.map(|d| d.to_string()),
        article.source,
        article.title,
        article.url,
        article.text,
        serde_json::to_string(&article.extra).unwrap_or_default(),
        serde_json::to_string(&coded.diagnostics).unwrap_or_default(),
        serde_json::json!({"times": coded.times, "amounts": coded.amounts}).to_string(),
    ])?;
    let rowid = tx.last_insert_rowid();
    for (index, event) in coded.events.iter().enumerate() {
        let id = unit_id(tx, &item.hash, index)?;
        let day = event.date.as_ref().map(|date| date.start.to_days());
        let place = event.location.as_ref();
        tx.prepare_cached(
            "INSERT INTO units(id, article, idx, source, target, code, root_code, base_code, quad_class,
                goldstein, plover, date, day, date_precision, location, country, admin1, lat, lon, geonameid,
                loc_precision, loc_basis, source_text, target_text, verb_text, sentence, span_start, span_end,
                confidence, rule, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        )?
        .execute(params![
            id,
            rowid,
            index as i64,
            event.source,
            event.target,
            event.code,
            event.root_code,
            event.base_code,
            event.quad_class,
            round(event.goldstein.into(), 1),
            event.plover,
            event.date.as_ref().map(|date| date.to_string()),
            day,
            event.date_precision,
            place.map(|p| &p.place.name),
            place.and_then(|p| p.place.country.as_ref()),
            place.and_then(|p| p.place.admin1.as_ref()),
            place.map(|p| round(p.place.lat.into(), 5)),
            place.map(|p| round(p.place.lon.into(), 5)),
            place.map(|p| p.place.geonameid),
            place.map(|p| p.place.precision),
            place.map(|p| p.basis),
            event.source_text,
            event.target_text,
            event.verb_text,
            event.sentence as i64,
            event.span.start,
            event.span.end,
            round(event.confidence.into(), 3),
            event.rule,
            serde_json::to_string(event).unwrap_or_default(),
        ])?;
        let mut mention = tx.prepare_cached(
            "INSERT INTO mentions(unit, article, sentence, span_start, span_end, verb_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        mention.execute(params![
            id,
            rowid,
            event.sentence as i64,
            event.span.start,
            event.span.end,
            event.verb_text
        ])?;
        for other in &event.mentions {
            mention.execute(params![
                id,
                rowid,
                other.sentence as i64,
                other.span.start,
                other.span.end,
                other.verb_text
            ])?;
        }
        touched.add(event.source.clone(), event.target.clone(), event.base_code.clone(), day, id);
    }
    for (index, quote) in coded.quotes.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO quotes(article, idx, text, span_start, span_end, kind, cue, speaker, speaker_actor, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            rowid,
            index as i64,
            quote.text,
            quote.span.start,
            quote.span.end,
            serialized_name(&quote.kind),
            quote.cue,
            quote.speaker,
            quote.speaker_actor,
            serde_json::to_string(quote).unwrap_or_default(),
        ])?;
    }
    for (index, entity) in coded.entities.iter().enumerate() {
        let place = entity.place.as_ref();
        tx.prepare_cached(
            "INSERT INTO entities(article, idx, text, type, span_start, span_end, actor, place, country, lat, lon, geonameid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            rowid,
            index as i64,
            entity.text,
            serialized_name(&entity.kind),
            entity.span.start,
            entity.span.end,
            entity.actor,
            place.map(|p| &p.name),
            place.and_then(|p| p.country.as_ref()),
            place.map(|p| round(p.lat.into(), 5)),
            place.map(|p| round(p.lon.into(), 5)),
            place.map(|p| p.geonameid),
        ])?;
    }
    Ok(coded.events.len() as u64)
}

/// Re-merges the segments a batch touched and rebuilds their events.
fn remerge(tx: &Transaction, touched: &Touched, window: i64) -> Result<()> {
    let mut stale = touched.stale_events.clone();
    let mut assigned: Vec<(i64, i64)> = touched.alone.iter().map(|&id| (id, id)).collect();
    for ((source, target, base_code), &(lo, hi)) in &touched.groups {
        let (lo, hi) = segment_bounds(tx, (source, target, base_code), lo, hi, window)?;
        let mut units = Vec::new();
        let mut select = tx.prepare_cached(
            "SELECT id, day, event, country, lat, lon, loc_precision, loc_basis FROM units
             WHERE source = ?1 AND target = ?2 AND base_code = ?3 AND day BETWEEN ?4 AND ?5",
        )?;
        let rows = select.query_map(params![source, target, base_code, lo, hi], |row| {
            let location = match (row.get::<_, Option<f64>>(4)?, row.get::<_, Option<f64>>(5)?) {
                (Some(lat), Some(lon)) => Some(Location {
                    country: row.get(3)?,
                    lat,
                    lon,
                    city: row.get::<_, Option<String>>(6)?.as_deref() == Some("city"),
                    stated: matches!(row.get::<_, Option<String>>(7)?.as_deref(), Some("clause" | "sentence")),
                }),
                _ => None,
            };
            Ok((Unit { id: row.get(0)?, day: row.get(1)?, location }, row.get::<_, Option<i64>>(2)?))
        })?;
        for row in rows {
            let (unit, event) = row?;
            stale.extend(event);
            units.push(unit);
        }
        assigned.extend(cluster(&mut units, window));
    }
    for event in &stale {
        tx.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([event])?;
    }
    let mut events = BTreeSet::new();
    for &(unit, event) in &assigned {
        tx.prepare_cached("UPDATE units SET event = ?2 WHERE id = ?1")?.execute([unit, event])?;
        events.insert(event);
    }
    for event in events {
        build_event(tx, event)?;
    }
    Ok(())
}

/// Widens `[lo, hi]` until no unit of the group lies within `window` days outside it: then the
/// units inside form whole segments, which merge independently of everything else.
fn segment_bounds(
    tx: &Transaction,
    (source, target, base_code): (&String, &String, &String),
    mut lo: i64,
    mut hi: i64,
    window: i64,
) -> Result<(i64, i64)> {
    let mut bounds = tx.prepare_cached(
        "SELECT min(day), max(day) FROM units
         WHERE source = ?1 AND target = ?2 AND base_code = ?3 AND day BETWEEN ?4 AND ?5",
    )?;
    loop {
        let (min, max): (Option<i64>, Option<i64>) = bounds
            .query_row(params![source, target, base_code, lo - window, hi + window], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let (new_lo, new_hi) = (min.map_or(lo, |m| m.min(lo)), max.map_or(hi, |m| m.max(hi)));
        if (new_lo, new_hi) == (lo, hi) {
            return Ok((lo, hi));
        }
        (lo, hi) = (new_lo, new_hi);
    }
}

/// Writes the event `id` from its units: the anchor's (the unit with that id) codes and date,
/// the best-attested place (a stated one before a guessed one, then the earliest), GDELT's
/// counts. An outlet-less article counts as its own source: nothing says two are the same.
fn build_event(tx: &Transaction, id: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO events(id, source, target, code, root_code, base_code, quad_class, goldstein, plover,
            date, day, date_precision, location, country, admin1, lat, lon, geonameid, loc_precision, loc_basis,
            confidence, num_mentions, num_sources, num_articles, anchor)
         SELECT a.id, a.source, a.target, a.code, a.root_code, a.base_code, a.quad_class, a.goldstein, a.plover,
            a.date, a.day, a.date_precision, p.location, p.country, p.admin1, p.lat, p.lon, p.geonameid,
            p.loc_precision, p.loc_basis,
            (SELECT max(confidence) FROM units WHERE event = a.id),
            (SELECT count(*) FROM mentions m JOIN units u ON m.unit = u.id WHERE u.event = a.id),
            (SELECT count(DISTINCT coalesce(r.outlet, '\u{1}' || r.key)) FROM units u
                JOIN articles r ON r.id = u.article WHERE u.event = a.id),
            (SELECT count(DISTINCT article) FROM units WHERE event = a.id),
            a.id
         FROM units a
         LEFT JOIN (SELECT * FROM units WHERE event = ?1 AND location IS NOT NULL
                    ORDER BY loc_basis = 'clause' DESC, loc_basis = 'sentence' DESC, day, id LIMIT 1) p
         WHERE a.id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Merges every unit again (the window changed).
pub(crate) fn remerge_all(tx: &Transaction, window: i64) -> Result<()> {
    let mut touched = Touched::default();
    let mut select = tx.prepare("SELECT id, source, target, base_code, day FROM units")?;
    let rows = select.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?;
    for row in rows {
        let (id, source, target, base_code, day) = row?;
        touched.add(source, target, base_code, day, id);
    }
    remerge(tx, &touched, window)
}
