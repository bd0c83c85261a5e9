//! The classes the entity tagger predicts: `O`, and the `B`egin and `I`nside of each kind (IOB2).
//!
//! An `I` only follows a `B` or `I` of its kind, so every prediction is well formed. (BILOU
//! classes, which also mark an entity's last word and one-word entities, scored 2.4 points of F1
//! lower in cross-validation on Universal NER EWT with greedy decoding: a `B` commits the tagger
//! to a longer entity before it has seen where the entity ends. With the beam search they still
//! scored 0.4 to 0.7 lower on EWT test, trained on train only, seeds 1 and 2.)

use super::gold::{chunks, Bio};
use super::EntityKind;

/// `O`, then `B` and `I` of each kind in [`EntityKind::ALL`] order.
pub(crate) const N_CLASSES: usize = 1 + 2 * EntityKind::ALL.len();

pub(crate) const OUTSIDE: u8 = 0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Begin,
    Inside,
}

const PARTS: [Part; 2] = [Part::Begin, Part::Inside];

fn class(part: Part, kind: EntityKind) -> u8 {
    1 + 2 * kind as u8 + part as u8
}

fn parts(class: u8) -> Option<(Part, EntityKind)> {
    let idx = usize::from(class.checked_sub(1)?);
    Some((*PARTS.get(idx % 2)?, *EntityKind::ALL.get(idx / 2)?))
}

/// `O`, `B-PER`, `I-ORG`...: the names written into the model file.
pub(crate) fn name(class: u8) -> String {
    to_bio(&[class]).first().map_or_else(|| "O".to_string(), Bio::to_string)
}

/// Whether `class` may follow `previous` (`None` at the start of a sentence): an `I` only
/// continues its own kind.
pub(crate) fn may_follow(class: u8, previous: Option<u8>) -> bool {
    match parts(class) {
        Some((Part::Inside, kind)) => previous.and_then(parts).is_some_and(|(_, k)| k == kind),
        _ => true,
    }
}

/// The classes of IOB2 labels (read as [`chunks`] reads them, so an orphan `I` begins).
pub(crate) fn encode(labels: &[Bio]) -> Vec<u8> {
    let mut classes = vec![OUTSIDE; labels.len()];
    for (start, end, kind) in chunks(labels) {
        classes[start] = class(Part::Begin, kind);
        for slot in &mut classes[start + 1..end] {
            *slot = class(Part::Inside, kind);
        }
    }
    classes
}

/// The IOB2 labels of classes.
pub(crate) fn to_bio(classes: &[u8]) -> Vec<Bio> {
    classes
        .iter()
        .map(|&class| match parts(class) {
            None => Bio::O,
            Some((Part::Begin, kind)) => Bio::B(kind),
            Some((Part::Inside, kind)) => Bio::I(kind),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    fn check(labels: &[Bio], expect: &str) {
        let classes = encode(labels);
        let names: Vec<String> = classes.iter().map(|&c| name(c)).collect();
        assert_eq!(names.join(" "), expect);
        assert_eq!(to_bio(&classes), labels);
        let mut previous = None;
        for &class in &classes {
            assert!(may_follow(class, previous), "{} after {:?}", name(class), previous.map(name));
            previous = Some(class);
        }
    }

    #[test]
    fn round_trips_iob2() {
        check(&[Bio::B(Per), Bio::I(Per), Bio::O, Bio::B(Loc)], "B-PER I-PER O B-LOC");
        check(&[Bio::B(Org), Bio::I(Org), Bio::I(Org), Bio::B(Org)], "B-ORG I-ORG I-ORG B-ORG");
        check(&[], "");
    }

    #[test]
    fn constrains_sequences() {
        let b_per = class(Part::Begin, Per);
        assert!(may_follow(OUTSIDE, Some(b_per)));
        assert!(!may_follow(class(Part::Inside, Org), Some(b_per)));
        assert!(may_follow(class(Part::Inside, Per), Some(class(Part::Inside, Per))));
        assert!(!may_follow(class(Part::Inside, Per), None));
        assert!(!may_follow(class(Part::Inside, Per), Some(OUTSIDE)));
        assert!(may_follow(class(Part::Begin, Oth), Some(b_per)));
        for c in 0..N_CLASSES as u8 {
            assert_eq!(parts(c).is_none(), c == OUTSIDE);
        }
        assert_eq!(parts(N_CLASSES as u8), None);
    }
}
