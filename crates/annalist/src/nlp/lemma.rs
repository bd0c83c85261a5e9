//! Lemmatization: a lexicon of (form, XPOS) to lemma learned from the treebank, then, for forms
//! it has not seen, a table of irregular verbs and suffix rewrite rules learned from the same data.
//!
//! A rule rewrites the end of a word (`-ies` to `-y` for `NNS`, `-pped` to `-p` for `VBD`), chosen
//! by the longest suffix of the unseen word that was seen with the same XPOS. Rules are learned
//! rather than written because the treebank knows more of English morphology than a short list:
//! consonant doubling (`stopped`), silent-e restoration (`hoping`), `-ves` plurals and the like
//! all come out of counting.

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Longest suffix a rule is keyed on, in characters.
const MAX_SUFFIX: usize = 5;

/// Rewrites the end of a word: drop `strip` characters, then append `append`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rule {
    pub(crate) strip: u8,
    pub(crate) append: Box<str>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Lemmatizer {
    /// `"{xpos}\t{base}"` to lemma, where `base` is the form lowercased unless it is a proper noun.
    pub(crate) lexicon: FxHashMap<Box<str>, Box<str>>,
    /// `"{xpos}\t{suffix of base}"` to the rule most often right for it.
    pub(crate) rules: FxHashMap<Box<str>, Rule>,
}

/// Past tenses and participles too rare to be learned; the lexicon wins when it knows the form.
const IRREGULAR: &[(&str, &str)] = &[
    ("arose", "arise"),
    ("arisen", "arise"),
    ("awoke", "awake"),
    ("bore", "bear"),
    ("borne", "bear"),
    ("beaten", "beat"),
    ("befell", "befall"),
    ("began", "begin"),
    ("begun", "begin"),
    ("bent", "bend"),
    ("bound", "bind"),
    ("bit", "bite"),
    ("bitten", "bite"),
    ("bled", "bleed"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("broke", "break"),
    ("broken", "break"),
    ("bred", "breed"),
    ("brought", "bring"),
    ("built", "build"),
    ("burnt", "burn"),
    ("bought", "buy"),
    ("caught", "catch"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("clung", "cling"),
    ("dealt", "deal"),
    ("dug", "dig"),
    ("drew", "draw"),
    ("drawn", "draw"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("fed", "feed"),
    ("fled", "flee"),
    ("flung", "fling"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("foresaw", "foresee"),
    ("forgave", "forgive"),
    ("forgiven", "forgive"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("ground", "grind"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("knelt", "kneel"),
    ("led", "lead"),
    ("leapt", "leap"),
    ("lent", "lend"),
    ("misled", "mislead"),
    ("overcame", "overcome"),
    ("overran", "overrun"),
    ("overseen", "oversee"),
    ("oversaw", "oversee"),
    ("overthrew", "overthrow"),
    ("overthrown", "overthrow"),
    ("rode", "ride"),
    ("ridden", "ride"),
    ("rang", "ring"),
    ("rung", "ring"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("sank", "sink"),
    ("sunk", "sink"),
    ("shook", "shake"),
    ("shaken", "shake"),
    ("shot", "shoot"),
    ("slew", "slay"),
    ("slain", "slay"),
    ("slid", "slide"),
    ("sought", "seek"),
    ("sold", "sell"),
    ("sped", "speed"),
    ("spent", "spend"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("stood", "stand"),
    ("struck", "strike"),
    ("stricken", "strike"),
    ("strove", "strive"),
    ("striven", "strive"),
    ("swore", "swear"),
    ("sworn", "swear"),
    ("swept", "sweep"),
    ("swam", "swim"),
    ("swum", "swim"),
    ("swung", "swing"),
    ("taught", "teach"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("trod", "tread"),
    ("undertook", "undertake"),
    ("undertaken", "undertake"),
    ("upheld", "uphold"),
    ("wept", "weep"),
    ("withdrew", "withdraw"),
    ("withdrawn", "withdraw"),
    ("withheld", "withhold"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("wove", "weave"),
    ("woven", "weave"),
    ("wrung", "wring"),
    ("wrote", "write"),
    ("written", "write"),
];

impl Lemmatizer {
    /// Learns the lexicon and the rules from `(form, xpos, lemma)` triples.
    pub(crate) fn learn<'a>(words: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Lemmatizer {
        // BTreeMaps, so that ties are broken the same way on every run.
        let mut lemma_counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (form, xpos, lemma) in words {
            if lemma == "_" {
                continue;
            }
            let key = lexicon_key(xpos, &base(form, xpos));
            *lemma_counts.entry((key, lemma.to_string())).or_default() += 1;
        }
        let mut lexicon: FxHashMap<Box<str>, Box<str>> = FxHashMap::default();
        let mut best_count: FxHashMap<String, usize> = FxHashMap::default();
        let mut rule_counts: BTreeMap<(String, Rule), usize> = BTreeMap::new();
        for ((key, lemma), &count) in &lemma_counts {
            let best = best_count.entry(key.clone()).or_default();
            if count > *best {
                *best = count;
                lexicon.insert(key.as_str().into(), lemma.as_str().into());
            }
            // Rules are learned from types, not tokens: unseen words are rare words, which look
            // more like the treebank's vocabulary than like its running text.
            let Some((xpos, base)) = key.split_once('\t') else { continue };
            let base_chars: Vec<char> = base.chars().collect();
            let common = base.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
            let strip = base_chars.len() - common;
            let append: String = lemma.chars().skip(common).collect();
            for k in strip.max(1)..=MAX_SUFFIX.min(base_chars.len()) {
                let suffix: String = base_chars[base_chars.len() - k..].iter().collect();
                let rule = Rule { strip: strip as u8, append: append.as_str().into() };
                *rule_counts.entry((format!("{xpos}\t{suffix}"), rule)).or_default() += 1;
            }
        }
        let mut rules: FxHashMap<Box<str>, Rule> = FxHashMap::default();
        let mut rule_best: FxHashMap<String, usize> = FxHashMap::default();
        for ((key, rule), &count) in &rule_counts {
            let best = rule_best.entry(key.clone()).or_default();
            if count >= 2 && count > *best {
                *best = count;
                rules.insert(key.as_str().into(), rule.clone());
            }
        }
        Lemmatizer { lexicon, rules }
    }

    /// The lemma of `form` tagged `xpos`.
    pub(crate) fn lemma(&self, form: &str, xpos: &str) -> String {
        let base = base(form, xpos);
        let mut key = lexicon_key(xpos, &base);
        if let Some(lemma) = self.lexicon.get(key.as_str()) {
            return lemma.to_string();
        }
        if xpos.starts_with("VB") {
            if let Some((_, lemma)) = IRREGULAR.iter().find(|(irregular, _)| *irregular == base) {
                return lemma.to_string();
            }
        }
        let chars: Vec<(usize, char)> = base.char_indices().collect();
        for k in (1..=MAX_SUFFIX.min(chars.len())).rev() {
            key.truncate(xpos.len() + 1);
            key.push_str(&base[chars[chars.len() - k].0..]);
            if let Some(rule) = self.rules.get(key.as_str()) {
                let keep = chars.len() - (rule.strip as usize).min(chars.len());
                let end = chars.get(keep).map_or(base.len(), |&(offset, _)| offset);
                if keep == 0 && rule.append.is_empty() {
                    break;
                }
                return format!("{}{}", &base[..end], rule.append);
            }
        }
        base
    }
}

fn lexicon_key(xpos: &str, base: &str) -> String {
    let mut key = String::with_capacity(xpos.len() + 1 + base.len());
    key.push_str(xpos);
    key.push('\t');
    key.push_str(base);
    key
}

/// Proper nouns keep their case (EWT's lemma of `Putin` is `Putin`); other words are lowercased.
/// Typographic apostrophes and quotes become ASCII; digits are kept.
fn base(form: &str, xpos: &str) -> String {
    let proper = xpos == "NNP" || xpos == "NNPS";
    let mut out = String::with_capacity(form.len());
    for c in form.chars() {
        match c {
            '’' | '‘' | '′' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            c if !proper && c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRAIN: &[(&str, &str, &str)] = &[
        ("cities", "NNS", "city"),
        ("parties", "NNS", "party"),
        ("countries", "NNS", "country"),
        ("talks", "NNS", "talk"),
        ("leaders", "NNS", "leader"),
        ("stopped", "VBD", "stop"),
        ("planned", "VBD", "plan"),
        ("visited", "VBD", "visit"),
        ("praised", "VBD", "praise"),
        ("raised", "VBD", "raise"),
        ("passed", "VBD", "pass"),
        ("missed", "VBD", "miss"),
        ("created", "VBD", "create"),
        ("rated", "VBD", "rate"),
        ("was", "VBD", "be"),
        ("Putin", "NNP", "Putin"),
        ("I", "PRP", "I"),
        ("’s", "POS", "'s"),
    ];

    fn check(form: &str, xpos: &str, expect: &str) {
        let lemmatizer = Lemmatizer::learn(TRAIN.iter().copied());
        assert_eq!(lemmatizer.lemma(form, xpos), expect, "{form}/{xpos}");
    }

    #[test]
    fn lexicon_then_rules() {
        check("Was", "VBD", "be");
        check("I", "PRP", "I");
        check("'s", "POS", "'s");
        check("Sharaa", "NNP", "Sharaa");
        check("armies", "NNS", "army");
        check("congratulated", "VBD", "congratulate");
        check("expressed", "VBD", "express");
        check("The", "DT", "the");
        check("swore", "VBD", "swear");
        check("", "NN", "");
        check("é", "VBD", "é");
    }
}
