//! Repairs of one parse error the coder meets often in news: a past tense tagged as a participle,
//! so that a whole sentence parses as a noun phrase. "Young Algerians blocked roads leading to the
//! city centre." comes out with `roads` as the root, `Algerians` as its subject and `blocked` as an
//! adjective of it; "Thousands of Iraqi Kurds demonstrated in Kirkuk." with `demonstrated` as a
//! participle modifying `Thousands`. A clause has a verb: in a full sentence (it ends in a full stop
//! and is longer than a headline), the participle is the clause's verb, and the tree is rebuilt
//! around it. Headlines ("Protesters arrested in Moscow") are noun phrases and stay as parsed.
//!
//! The repaired tree is the coder's only: `annalist parse` prints what the parser said.

use crate::nlp::{ParsedSentence, Upos};

/// Relations by which a noun heads a clause (where a verb should stand).
const CLAUSE_HEADS: &[&str] = &["root", "ccomp", "parataxis"];

/// The fewest words of a sentence that is not a headline.
const MIN_WORDS: usize = 7;

/// The sentence with its clause verbs put back, or `None` when none was misread.
pub fn verbless_clauses(parsed: &ParsedSentence) -> Option<ParsedSentence> {
    let tokens = &parsed.tokens;
    let words = tokens.iter().filter(|t| t.upos != Upos::Punct).count();
    let full_stop = tokens.last().is_some_and(|t| t.upos == Upos::Punct && t.token.span.len() == 1);
    if words < MIN_WORDS || !full_stop {
        return None;
    }
    let mut repaired: Option<ParsedSentence> = None;
    for noun in 0..tokens.len() {
        let sentence = repaired.as_ref().unwrap_or(parsed);
        let head_token = &sentence.tokens[noun];
        // A subject beside another subject of the same verb is a clause too: "Zambia extradited
        // the suspect to Britain, a government official said", with "Zambia" read as a second
        // subject of "said".
        let second_subject = head_token.deprel == "nsubj"
            && head_token
                .head
                .is_some_and(|h| sentence.children(h).any(|c| c > noun && sentence.tokens[c].deprel == "nsubj"));
        if !matches!(head_token.upos, Upos::Noun | Upos::Propn)
            || !(CLAUSE_HEADS.contains(&head_token.deprel) || second_subject)
        {
            continue;
        }
        let children: Vec<usize> = sentence.children(noun).collect();
        if children.iter().any(|&c| matches!(sentence.tokens[c].deprel, "cop" | "nsubj:pass")) {
            continue;
        }
        let subject = children.iter().copied().find(|&c| sentence.tokens[c].deprel == "nsubj");
        let participle = |c: &usize| {
            let token = &sentence.tokens[*c];
            token.upos == Upos::Verb
                && matches!(token.xpos, "VBN" | "VBD")
                && sentence.children(*c).all(|g| !matches!(sentence.tokens[g].deprel, "aux" | "aux:pass" | "nsubj"))
        };
        // "[Algerians] blocked roads": an adjective between the noun's subject and the noun.
        let before = subject.and_then(|s| {
            children
                .iter()
                .copied()
                .find(|c| *c > s && *c < noun && sentence.tokens[*c].deprel == "amod" && participle(c))
        });
        // "[Thousands] demonstrated in Kirkuk": a participle after a noun with no subject.
        let after = subject
            .is_none()
            .then(|| {
                children.iter().copied().find(|c| *c > noun && sentence.tokens[*c].deprel == "acl" && participle(c))
            })
            .flatten();
        let Some(verb) = before.or(after) else { continue };
        let mut fixed = sentence.clone();
        let (noun_head, noun_deprel) = (fixed.tokens[noun].head, fixed.tokens[noun].deprel);
        fixed.tokens[verb].head = noun_head;
        fixed.tokens[verb].deprel = if second_subject { "ccomp" } else { noun_deprel };
        fixed.tokens[verb].xpos = "VBD";
        fixed.tokens[noun].head = Some(verb);
        fixed.tokens[noun].deprel = if before.is_some() { "obj" } else { "nsubj" };
        for &child in &children {
            let moved = match subject {
                // The subject and the sentence's punctuation go to the verb.
                Some(s) => child == s || fixed.tokens[child].upos == Upos::Punct,
                // What follows the verb is the verb's ("demonstrated [in Kirkuk]"), and so is
                // the final punctuation.
                None => child > verb,
            };
            if moved && child != verb {
                fixed.tokens[child].head = Some(verb);
            }
        }
        repaired = Some(fixed);
    }
    repaired
}

#[cfg(test)]
mod tests {
    use super::verbless_clauses;
    use crate::nlp::{ParsedSentence, ParsedToken, Upos};
    use crate::pipeline::tests::{pipeline, test_article};
    use crate::text::{Span, Token, TokenKind};

    /// The root word of the sentence's tree as the coder sees it: repaired, or as parsed.
    fn root(text: &str) -> Option<String> {
        let article = test_article(text);
        let analysis = pipeline().analyze(&article);
        let parsed = analysis.parsed.first()?.as_ref()?;
        let tree = verbless_clauses(parsed).unwrap_or_else(|| parsed.clone());
        tree.root().map(|r| text[tree.tokens[r].token.span].to_string())
    }

    /// A parsed sentence from (word, UPOS, XPOS, 1-based head or 0, relation) rows, words
    /// separated by single spaces.
    fn tree_of(rows: &[(&str, &str, &'static str, usize, &'static str)]) -> ParsedSentence {
        let mut tokens = Vec::new();
        let mut at = 0;
        for &(word, upos, xpos, head, deprel) in rows {
            let span = Span::new(at, at + word.len());
            at += word.len() + 1;
            let kind = if upos == "PUNCT" { TokenKind::Punct } else { TokenKind::Word };
            tokens.push(ParsedToken {
                token: Token { span, kind, clitic: false },
                upos: Upos::parse(upos).unwrap_or(Upos::X),
                xpos,
                lemma: word.to_lowercase(),
                head: head.checked_sub(1),
                deprel,
            });
        }
        ParsedSentence { span: Span::new(0, at.saturating_sub(1)), paragraph: 0, tokens }
    }

    #[test]
    fn a_sentence_has_a_verb() {
        // Whatever the parser makes of them, the verb is the root the coder works from.
        assert_eq!(
            root("Young Algerians blocked roads leading to the city centre on Sunday.").as_deref(),
            Some("blocked")
        );
        assert_eq!(
            root("Thousands of Iraqi Kurds demonstrated in the northern city of Kirkuk on Sunday.").as_deref(),
            Some("demonstrated")
        );
        // A clause read as a second subject of the reporting verb, as the parser has read it.
        let tree = tree_of(&[
            ("Zambia", "PROPN", "NNP", 9, "nsubj"),
            ("extradited", "VERB", "VBN", 1, "acl"),
            ("the", "DET", "DT", 4, "det"),
            ("suspect", "NOUN", "NN", 2, "obj"),
            ("to", "ADP", "IN", 6, "case"),
            ("Britain", "PROPN", "NNP", 2, "obl"),
            (",", "PUNCT", ",", 9, "punct"),
            ("officials", "NOUN", "NNS", 9, "nsubj"),
            ("said", "VERB", "VBD", 0, "root"),
            (".", "PUNCT", ".", 9, "punct"),
        ]);
        let fixed = verbless_clauses(&tree).map(|t| t.tokens.iter().map(|t| (t.head, t.deprel)).collect::<Vec<_>>());
        let fixed = fixed.unwrap_or_default();
        assert_eq!(fixed.first(), Some(&(Some(1), "nsubj")), "{fixed:?}");
        assert_eq!(fixed.get(1), Some(&(Some(8), "ccomp")), "{fixed:?}");
        // A headline is a noun phrase.
        let article = test_article("Iraqi protesters arrested in Baghdad");
        let analysis = pipeline().analyze(&article);
        let parsed = analysis.parsed.first().and_then(Option::as_ref);
        assert!(parsed.and_then(verbless_clauses).is_none());
    }
}
