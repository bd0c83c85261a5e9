//! The entity model file: gzip-compressed, a magic, a version, the feature-set number, the label
//! names, the word clusters (word keys in order, each with its three clusters), the lexicon (word
//! keys in order, each with its columns), the weight table in the layout it is scored from, the
//! kinds of word labelled `O` unscored (in order), and the beam width, written with the tagger's
//! model file functions, so that the same model always gives the same bytes and loading is a copy.

use super::features::FEATURE_SET;
use super::label::{self, N_CLASSES};
use super::lexicon::COLUMNS;
use super::{model_error, Ner};
use crate::error::Result;
use crate::nlp::model::{compress, decompress, write_len, write_str, write_weights, Reader};
use rustc_hash::{FxHashMap, FxHashSet};

const MAGIC: &[u8; 8] = b"ANLSTNER";
const VERSION: u32 = 7;
/// Older versions (without the lexicon) hold features of older feature sets, which this annalist
/// does not compute. Version 6 has no beam width: its models were trained greedy.
const OLDEST_VERSION: u32 = 6;

pub(crate) fn encode(ner: &Ner) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&FEATURE_SET.to_le_bytes());
    write_len(&mut out, N_CLASSES);
    for class in 0..N_CLASSES as u8 {
        write_str(&mut out, &label::name(class));
    }
    write_word_table(&mut out, &ner.clusters);
    write_word_table(&mut out, &ner.lexicon);
    write_weights(&mut out, &ner.weights);
    let mut sure: Vec<u64> = ner.sure_outside.iter().copied().collect();
    sure.sort_unstable();
    write_len(&mut out, sure.len());
    for kind in sure {
        out.extend_from_slice(&kind.to_le_bytes());
    }
    write_len(&mut out, ner.beam);
    compress(&out)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Ner> {
    let raw = decompress(bytes, "entity model")?;
    let mut reader = Reader::new(&raw);
    if reader.take(8)? != MAGIC {
        return Err(model_error("not an entity model (bad magic)"));
    }
    let version = u32::from_le_bytes(reader.array()?);
    if !(OLDEST_VERSION..=VERSION).contains(&version) {
        return Err(model_error(format!(
            "entity model version {version}; this annalist reads versions {OLDEST_VERSION} to {VERSION}"
        )));
    }
    let feature_set = u32::from_le_bytes(reader.array()?);
    if feature_set != FEATURE_SET {
        return Err(model_error(format!(
            "entity model trained with feature set {feature_set}; this annalist uses {FEATURE_SET} (retrain it)"
        )));
    }
    let n_classes = reader.len()?;
    if n_classes != N_CLASSES {
        return Err(model_error(format!("entity model has {n_classes} labels, expected {N_CLASSES}")));
    }
    for class in 0..N_CLASSES as u8 {
        if reader.str()? != label::name(class) {
            return Err(model_error("entity model labels are not in the expected order"));
        }
    }
    let clusters = read_word_table::<3>(&mut reader)?;
    let lexicon = read_word_table::<COLUMNS>(&mut reader)?;
    let weights = reader.weights()?;
    if weights.len() > 0 && weights.n_classes() != N_CLASSES {
        return Err(model_error("entity model weights do not match its labels"));
    }
    let mut sure_outside = FxHashSet::default();
    for _ in 0..reader.len()? {
        sure_outside.insert(u64::from_le_bytes(reader.array()?));
    }
    let beam = if version >= 7 { reader.len()? } else { 1 };
    if !reader.is_done() {
        return Err(model_error("trailing bytes after the entity model"));
    }
    Ok(Ner::new(weights, clusters, sure_outside).with_lexicon(lexicon).with_beam(beam))
}

/// A table of word keys and their numbers (clusters, lexicon columns), in key order.
fn write_word_table<const N: usize>(out: &mut Vec<u8>, table: &FxHashMap<u64, [u16; N]>) {
    let mut rows: Vec<(&u64, &[u16; N])> = table.iter().collect();
    rows.sort_unstable();
    write_len(out, rows.len());
    for (key, ids) in rows {
        out.extend_from_slice(&key.to_le_bytes());
        for id in ids {
            out.extend_from_slice(&id.to_le_bytes());
        }
    }
}

fn read_word_table<const N: usize>(reader: &mut Reader<'_>) -> Result<FxHashMap<u64, [u16; N]>> {
    let mut table = FxHashMap::default();
    for _ in 0..reader.len()? {
        let key = u64::from_le_bytes(reader.array()?);
        let mut ids = [0u16; N];
        for id in &mut ids {
            *id = u16::from_le_bytes(reader.array()?);
        }
        table.insert(key, ids);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::perceptron::Weights;

    #[test]
    fn round_trips_and_refuses_damage() {
        let weights =
            Weights::new(N_CLASSES, vec![9, 4], (0..2 * N_CLASSES).map(|i| i as f32 - 4.0).collect(), 0.0, &[]);
        let clusters: FxHashMap<u64, [u16; 3]> = [(7, [1, 2, 3]), (3, [4, 5, 6])].into_iter().collect();
        let lexicon: FxHashMap<u64, [u16; COLUMNS]> = [(8, [1, 2, 3, 4])].into_iter().collect();
        let ner =
            Ner::new(weights, clusters.clone(), [5].into_iter().collect()).with_lexicon(lexicon.clone()).with_beam(4);
        let bytes = ner.to_bytes();
        let decoded = Ner::from_bytes(&bytes).unwrap();
        assert_eq!(decoded.to_bytes(), bytes);
        assert_eq!(decoded.n_features(), 2);
        assert_eq!(decoded.clusters, clusters);
        assert_eq!(decoded.lexicon, lexicon);
        assert!(decoded.sure_outside.contains(&5));
        assert_eq!(decoded.beam, 4);
        assert_eq!(Ner::from_bytes(&Ner::default().to_bytes()).unwrap().n_features(), 0);
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(Ner::from_bytes(&bytes[..cut]).is_err());
        }
        assert!(Ner::from_bytes(b"ANLSTNER").is_err());
    }
}
