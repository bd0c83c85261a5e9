//! The entity model file: gzip-compressed, a magic, a version, the feature-set number, the label
//! names, and the weight table (keys sorted and delta-encoded as varints, then the weights as
//! bfloat16), written in a fixed order so that the same model always gives the same bytes. The
//! layout of the table is that of the tagger's model file.

use super::features::FEATURE_SET;
use super::label::{self, N_CLASSES};
use super::{model_error, Ner};
use crate::error::Result;
use crate::nlp::perceptron::{from_bf16, to_bf16, Weights};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{Read, Write};

const MAGIC: &[u8; 8] = b"ANLSTNER";
const VERSION: u32 = 1;
/// Decoded models are far smaller; this bounds the damage of a corrupt or hostile file.
const MAX_DECODED: u64 = 1 << 28;

pub(crate) fn encode(ner: &Ner) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&FEATURE_SET.to_le_bytes());
    write_varint(&mut out, N_CLASSES as u64);
    for class in 0..N_CLASSES as u8 {
        let name = label::name(class);
        write_varint(&mut out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
    }
    write_weights(&mut out, &ner.weights);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(&out);
    encoder.finish().unwrap_or_default()
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Ner> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(model_error("not an entity model (no gzip header)"));
    }
    let mut raw = Vec::new();
    GzDecoder::new(bytes)
        .take(MAX_DECODED)
        .read_to_end(&mut raw)
        .map_err(|error| model_error(format!("corrupt entity model: {error}")))?;
    let mut reader = Reader { bytes: &raw, pos: 0 };
    if reader.take(8)? != MAGIC {
        return Err(model_error("not an entity model (bad magic)"));
    }
    let version = reader.u32()?;
    if version != VERSION {
        return Err(model_error(format!("entity model version {version}; this annalist reads version {VERSION}")));
    }
    let feature_set = reader.u32()?;
    if feature_set != FEATURE_SET {
        return Err(model_error(format!(
            "entity model trained with feature set {feature_set}; this annalist uses {FEATURE_SET} (retrain it)"
        )));
    }
    let n_classes = reader.count()?;
    if n_classes != N_CLASSES {
        return Err(model_error(format!("entity model has {n_classes} labels, expected {N_CLASSES}")));
    }
    for class in 0..N_CLASSES as u8 {
        let len = reader.count()?;
        let name = reader.take(len)?;
        if name != label::name(class).as_bytes() {
            return Err(model_error("entity model labels are not in the expected order"));
        }
    }
    let weights = reader.weights(n_classes)?;
    if reader.pos != raw.len() {
        return Err(model_error("trailing bytes after the entity model"));
    }
    Ok(Ner { weights })
}

/// A weight table: the number of keys, the keys delta-encoded, then every row's weights.
fn write_weights(out: &mut Vec<u8>, weights: &Weights) {
    let entries: Vec<(u64, Vec<f32>)> = weights.entries().collect();
    write_varint(out, entries.len() as u64);
    let mut previous = 0u64;
    for (key, _) in &entries {
        write_varint(out, key - previous);
        previous = *key;
    }
    for (_, row) in &entries {
        for &weight in row {
            out.extend_from_slice(&to_bf16(weight).to_le_bytes());
        }
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u64) {
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

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(model_error(format!("truncated entity model (at byte {} of {})", self.pos, self.bytes.len())));
        };
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32> {
        let mut array = [0u8; 4];
        array.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(array))
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(model_error("corrupt entity model (overlong number)"))
    }

    fn weights(&mut self, n_classes: usize) -> Result<Weights> {
        let n = self.count()?;
        if n == 0 {
            return Ok(Weights::default());
        }
        let mut keys = Vec::with_capacity(n);
        let mut key = 0u64;
        for _ in 0..n {
            key = key.wrapping_add(self.varint()?);
            keys.push(key);
        }
        let size = n.checked_mul(n_classes * 2).ok_or_else(|| model_error("corrupt entity model (size overflow)"))?;
        let rows =
            self.take(size)?.chunks_exact(2).map(|pair| from_bf16(u16::from_le_bytes([pair[0], pair[1]]))).collect();
        Ok(Weights::new(n_classes, keys, rows, 0.0, &[]))
    }

    /// A count or length, checked against the bytes left so that a corrupt count cannot make
    /// the decoder allocate without bound.
    fn count(&mut self) -> Result<usize> {
        let value = self.varint()?;
        if value > (self.bytes.len() - self.pos) as u64 {
            return Err(model_error("corrupt entity model (count larger than the file)"));
        }
        Ok(value as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_damage() {
        let weights =
            Weights::new(N_CLASSES, vec![9, 4], (0..2 * N_CLASSES).map(|i| i as f32 - 4.0).collect(), 0.0, &[]);
        let ner = Ner { weights };
        let bytes = ner.to_bytes();
        let decoded = Ner::from_bytes(&bytes).unwrap();
        assert_eq!(decoded.to_bytes(), bytes);
        assert_eq!(decoded.n_features(), 2);
        assert_eq!(Ner::from_bytes(&Ner::default().to_bytes()).unwrap().n_features(), 0);
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(Ner::from_bytes(&bytes[..cut]).is_err());
        }
        assert!(Ner::from_bytes(b"ANLSTNER").is_err());
    }
}
