//! The model file: a gzip-compressed binary of the tagger's classes, lexicon, weights and
//! calibrated margin, the lemmatizer's lexicon and rules, and the parser's labels, weights and
//! sure arc kinds.
//!
//! Weight tables are written in the layout they are scored from (see [`super::perceptron`]):
//! their cache-line buckets byte for byte, then their spilled rows, so that loading is one
//! decompression and a copy, with no hashing or sorting. Everything is written in a fixed order,
//! so the same model always gives the same bytes.

use super::lemma::{Lemmatizer, Rule};
use super::parser::Parser;
#[cfg(test)]
use super::perceptron::{from_bf16, to_bf16};
use super::perceptron::{Bucket, Table, Weights, BUCKET_BYTES};
use super::tagger::{Lexicon, Tagger};
use super::{deprel, model_error, xpos_tag, Model, Upos};
use crate::error::Result;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::{Read, Write};

const MAGIC: &[u8; 8] = b"ANLSTNLP";
const VERSION: u32 = 7;
/// The oldest version read: version 6 lacks the shortcuts calibrated on development data (its
/// tagger's second pass rescores every word and its labeller scores every arc).
const OLDEST_VERSION: u32 = 6;
/// Decoded models are far smaller; this bounds the damage of a corrupt or hostile file.
const MAX_DECODED: u64 = 1 << 30;

pub(crate) fn encode(model: &Model) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let tagger = &model.tagger;
    write_len(&mut out, tagger.classes.len());
    for (upos, xpos) in &tagger.classes {
        write_str(&mut out, upos.as_str());
        write_str(&mut out, xpos);
    }
    let mut dict: Vec<(u64, u16)> = tagger.lexicon.dict.iter().map(|(&k, &v)| (k, v)).collect();
    dict.sort_unstable();
    write_len(&mut out, dict.len());
    for (key, class) in dict {
        out.extend_from_slice(&key.to_le_bytes());
        write_len(&mut out, class as usize);
    }
    let mut ambiguity: Vec<(u64, u64)> = tagger.lexicon.ambiguity.iter().map(|(&k, &v)| (k, v)).collect();
    ambiguity.sort_unstable();
    write_len(&mut out, ambiguity.len());
    for (key, class) in ambiguity {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&class.to_le_bytes());
    }
    write_weights(&mut out, &tagger.weights);
    write_weights(&mut out, &tagger.second);
    match tagger.sure {
        None => out.push(0),
        Some(margin) => {
            out.push(1);
            out.extend_from_slice(&margin.to_le_bytes());
        }
    }
    let mut lexicon: Vec<(&str, &str)> = model.lemmatizer.lexicon.iter().map(|(k, v)| (&**k, &**v)).collect();
    lexicon.sort_unstable();
    write_len(&mut out, lexicon.len());
    for (key, lemma) in lexicon {
        write_str(&mut out, key);
        write_str(&mut out, lemma);
    }
    let mut rules: Vec<(&str, &Rule)> = model.lemmatizer.rules.iter().map(|(k, v)| (&**k, v)).collect();
    rules.sort_unstable();
    write_len(&mut out, rules.len());
    for (key, rule) in rules {
        write_str(&mut out, key);
        out.push(rule.strip);
        write_str(&mut out, &rule.append);
    }
    match &model.parser {
        None => out.push(0),
        Some(parser) => {
            out.push(1);
            write_len(&mut out, parser.labels.len());
            for label in &parser.labels {
                write_str(&mut out, label);
            }
            let mut vocabulary: Vec<u64> = parser.vocabulary.iter().copied().collect();
            vocabulary.sort_unstable();
            write_len(&mut out, vocabulary.len());
            for word in vocabulary {
                out.extend_from_slice(&word.to_le_bytes());
            }
            write_weights(&mut out, &parser.transitions);
            write_weights(&mut out, &parser.labeller);
            let mut sure: Vec<(u64, u8)> = parser.sure_labels.iter().map(|(&k, &v)| (k, v)).collect();
            sure.sort_unstable();
            write_len(&mut out, sure.len());
            for (kind, label) in sure {
                out.extend_from_slice(&kind.to_le_bytes());
                out.push(label);
            }
        }
    }
    compress(&out)
}

/// Gzip at the best compression (the same bytes in, the same bytes out).
pub(crate) fn compress(raw: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(raw);
    encoder.finish().unwrap_or_default()
}

/// Un-gzips a model file, refusing anything that is not gzip or decodes to more than
/// [`MAX_DECODED`] bytes; `what` names the file in messages ("model", "entity model").
pub(crate) fn decompress(bytes: &[u8], what: &str) -> Result<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(model_error(format!("not a gzip-compressed {what} file")));
    }
    let mut raw = Vec::new();
    GzDecoder::new(bytes)
        .take(MAX_DECODED)
        .read_to_end(&mut raw)
        .map_err(|error| model_error(format!("corrupt {what}: {error}")))?;
    Ok(raw)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Model> {
    let raw = decompress(bytes, "model")?;
    let mut reader = Reader::new(&raw);
    if reader.take(8)? != MAGIC {
        return Err(model_error("not a model file (bad magic)"));
    }
    let version = u32::from_le_bytes(reader.array()?);
    if !(OLDEST_VERSION..=VERSION).contains(&version) {
        return Err(model_error(format!(
            "model version {version}; this annalist reads versions {OLDEST_VERSION} to {VERSION}"
        )));
    }
    let n_classes = reader.len()?;
    let mut classes = Vec::with_capacity(n_classes.min(4096));
    for _ in 0..n_classes {
        let upos = reader.str()?;
        let upos = Upos::parse(upos).ok_or_else(|| model_error(format!("unknown UPOS {upos:?}")))?;
        classes.push((upos, xpos_tag(reader.str()?)));
    }
    let mut lexicon = Lexicon::default();
    for _ in 0..reader.len()? {
        let key = u64::from_le_bytes(reader.array()?);
        let class = reader.len()?;
        if class >= classes.len() {
            return Err(model_error("tag dictionary class out of range"));
        }
        lexicon.dict.insert(key, class as u16);
    }
    for _ in 0..reader.len()? {
        let key = u64::from_le_bytes(reader.array()?);
        lexicon.ambiguity.insert(key, u64::from_le_bytes(reader.array()?));
    }
    let weights = reader.weights()?;
    let second = reader.weights()?;
    if weights.n_classes() != classes.len() || (second.len() > 0 && second.n_classes() != classes.len()) {
        return Err(model_error("tagger weights do not match its classes"));
    }
    let sure = match version {
        6 => None,
        _ => match reader.take(1)?[0] {
            0 => None,
            _ => Some(f32::from_le_bytes(reader.array()?)).filter(|margin| !margin.is_nan()),
        },
    };
    let tagger = Tagger { classes, lexicon, weights, second, sure };
    let mut lemmatizer = Lemmatizer::default();
    for _ in 0..reader.len()? {
        let key = reader.str()?.into();
        lemmatizer.lexicon.insert(key, reader.str()?.into());
    }
    for _ in 0..reader.len()? {
        let key = reader.str()?.into();
        let strip = reader.take(1)?[0];
        lemmatizer.rules.insert(key, Rule { strip, append: reader.str()?.into() });
    }
    let parser = match reader.take(1)?[0] {
        0 => None,
        _ => {
            let n_labels = reader.len()?;
            if n_labels == 0 || n_labels > 64 {
                return Err(model_error(format!("{n_labels} dependency labels (1 to 64 allowed)")));
            }
            let mut labels = Vec::with_capacity(n_labels);
            for _ in 0..n_labels {
                labels.push(deprel(reader.str()?));
            }
            let n_words = reader.len()?;
            let mut vocabulary = FxHashSet::default();
            for _ in 0..n_words {
                vocabulary.insert(u64::from_le_bytes(reader.array()?));
            }
            let transitions = reader.weights()?;
            let labeller = reader.weights()?;
            if transitions.n_classes() != 3 || labeller.n_classes() != labels.len() {
                return Err(model_error("parser weights do not match its transitions and labels"));
            }
            let mut sure_labels = FxHashMap::default();
            if version > 6 {
                for _ in 0..reader.len()? {
                    let kind = u64::from_le_bytes(reader.array()?);
                    let label = reader.take(1)?[0];
                    if usize::from(label) >= labels.len() {
                        return Err(model_error("sure label out of range"));
                    }
                    sure_labels.insert(kind, label);
                }
            }
            Some(Parser { labels, vocabulary, transitions, labeller, sure_labels })
        }
    };
    if !reader.is_done() {
        return Err(model_error("trailing bytes after the model"));
    }
    Ok(Model::new(tagger, lemmatizer, parser))
}

pub(crate) fn write_len(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// A weight table as it is laid out in memory (see [`super::perceptron`]).
pub(crate) fn write_weights(out: &mut Vec<u8>, weights: &Weights) {
    write_len(out, weights.n_classes());
    write_len(out, weights.len());
    let (hot, cold) = weights.tables();
    for table in [hot, cold] {
        write_len(out, table.buckets.len());
        for bucket in &table.buckets {
            out.extend_from_slice(&bucket.0);
        }
        write_len(out, table.rows.len());
        for &entry in &table.rows {
            out.extend_from_slice(&entry.to_le_bytes());
        }
    }
}

/// Reads what the `write_*` functions wrote, every length checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    /// Whether every byte has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(model_error(format!("truncated model (at byte {} of {})", self.pos, self.bytes.len())));
        };
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    pub(crate) fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(model_error("corrupt model (overlong number)"))
    }

    /// A count or length, checked against the bytes left so that a corrupt count cannot make
    /// the decoder allocate without bound.
    pub(crate) fn len(&mut self) -> Result<usize> {
        let value = self.varint()?;
        if value > (self.bytes.len() - self.pos) as u64 * 8 + 64 {
            return Err(model_error("corrupt model (count larger than the file)"));
        }
        Ok(value as usize)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str> {
        let len = self.len()?;
        std::str::from_utf8(self.take(len)?).map_err(|_| model_error("corrupt model (invalid UTF-8)"))
    }

    pub(crate) fn weights(&mut self) -> Result<Weights> {
        let n_classes = self.len()?;
        let n_rows = self.len()?;
        if n_classes > 4096 || (n_classes == 0 && n_rows > 0) {
            return Err(model_error(format!("corrupt model ({n_classes} classes)")));
        }
        let hot = self.table()?;
        let cold = self.table()?;
        if n_classes == 0 {
            // An empty table: a one-pass tagger's second pass.
            if !hot.buckets.is_empty() || !cold.buckets.is_empty() {
                return Err(model_error("corrupt model (rows in an empty table)"));
            }
            return Ok(Weights::default());
        }
        Ok(Weights::from_tables(n_classes, n_rows, hot, cold))
    }

    /// A weight table, decoded straight into its final layout.
    fn table(&mut self) -> Result<Table> {
        let n_buckets = self.len()?;
        let raw = self
            .take(n_buckets.checked_mul(BUCKET_BYTES).ok_or_else(|| model_error("corrupt model (size overflow)"))?)?;
        let buckets = raw
            .chunks_exact(BUCKET_BYTES)
            .map(|chunk| {
                let mut bucket = Bucket::default();
                bucket.0.copy_from_slice(chunk);
                bucket
            })
            .collect();
        let n_entries = self.len()?;
        let raw = self.take(n_entries.checked_mul(4).ok_or_else(|| model_error("corrupt model (size overflow)"))?)?;
        let rows = raw.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        Ok(Table { buckets, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bf16_rounds_to_nearest() {
        for value in [0.0f32, 1.0, -2.5, 0.1, 123.456, -1e-3] {
            let back = from_bf16(to_bf16(value));
            assert!((back - value).abs() <= value.abs() / 128.0, "{value} -> {back}");
        }
    }

    #[test]
    fn round_trips_a_small_model() {
        let classes = vec![(Upos::Noun, "NN"), (Upos::Verb, "VBD")];
        let mut lexicon = Lexicon::default();
        lexicon.dict.insert(7, 1);
        lexicon.ambiguity.insert(8, 9);
        let weights = Weights::new(2, vec![5, 3], vec![1.0, -1.0, 0.5, 0.25], 0.0, &[3]);
        let tagger = Tagger { classes, lexicon, weights, sure: Some(12.5), ..Tagger::default() };
        let lemmatizer = Lemmatizer::learn([("visited", "VBD", "visit"), ("posted", "VBD", "post")].into_iter());
        let parser = Parser {
            labels: vec!["root", "nsubj"],
            vocabulary: [11, 12].into_iter().collect(),
            transitions: Weights::new(3, vec![1, 4], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.0, &[4]),
            labeller: Weights::new(2, vec![2], vec![1.0, 2.0], 0.0, &[]),
            sure_labels: [(6, 1)].into_iter().collect(),
        };
        let model = Model::new(tagger, lemmatizer, Some(parser));
        let bytes = model.to_bytes();
        let decoded = Model::from_bytes(&bytes).unwrap();
        assert_eq!(decoded.to_bytes(), bytes);
        assert_eq!(decoded.tagger.classes, model.tagger.classes);
        assert_eq!(decoded.tagger.sure, Some(12.5));
        assert_eq!(decoded.lemmatizer.lemma("waited", "VBD"), "wait");
        assert_eq!(decoded.parser.as_ref().map(|p| p.vocabulary.len()), Some(2));
        assert_eq!(decoded.parser.as_ref().and_then(|p| p.sure_labels.get(&6)), Some(&1));
        for cut in [10, bytes.len() / 2, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
    }
}
