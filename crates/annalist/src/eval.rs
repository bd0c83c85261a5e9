//! Measuring annalist against gold data. Each submodule compares a stage's output with an
//! annotated file and returns counts; the `annalist eval` command prints them.

pub mod events;
pub mod geo;
pub mod ner;
pub mod quotes;
pub mod roles;
pub mod segment;
pub mod timeline;
pub mod ud;

use serde::Serialize;
use std::collections::HashMap;

/// One half of a gold set, for tuning on one and checking on the other that a change
/// generalizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    Tune,
    Held,
}

/// Each record's half: records alternate between the halves within their category, in file
/// order, so that both halves have every category in the same proportion and adding records at
/// the end of a file moves no earlier record.
pub fn halves<'a>(categories: impl IntoIterator<Item = &'a str>) -> Vec<Half> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    categories
        .into_iter()
        .map(|category| {
            let n = seen.entry(category).or_default();
            *n += 1;
            if *n % 2 == 1 {
                Half::Tune
            } else {
                Half::Held
            }
        })
        .collect()
}

/// Matches between a system's items and the gold items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub correct: usize,
    pub system: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(self) -> f64 {
        ratio(self.correct, self.system)
    }

    pub fn recall(self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub fn add(&mut self, other: Counts) {
        self.correct += other.correct;
        self.system += other.system;
        self.gold += other.gold;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Counts exact matches between two sorted, duplicate-free lists of spans.
pub fn match_sorted<T: Ord>(system: &[T], gold: &[T]) -> Counts {
    let (mut i, mut j, mut correct) = (0, 0, 0);
    while i < system.len() && j < gold.len() {
        match system[i].cmp(&gold[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                correct += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Counts { correct, system: system.len(), gold: gold.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_alternate_within_each_category() {
        let halves = halves(["A", "A", "B", "A", "B"]);
        assert_eq!(halves, [Half::Tune, Half::Held, Half::Tune, Half::Tune, Half::Held]);
    }
}
