//! Verb chains: what an upper verb does to the event of the verb it governs.
//!
//! CAMEO has a parallel structure: the same actions (material and diplomatic cooperation, aid,
//! reform, yielding, meeting...) appear under "appeal for" (02), "express intent to" (03),
//! "demand" (10), "reject" (12) and, for the conflictual ones, "threaten" (13). "Arnor agreed to
//! provide aid to Gondor" is one event, `033` (express intent to provide aid), not an agreement
//! plus an aid event. [`combine`] maps an upper verb's code and a lower verb's code onto that
//! structure; [`negate`] does the same for negation ("refused to provide aid" is `122`, "did not
//! attack" is no event).

/// The stance an upper verb takes toward the action of the verb it governs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modality {
    /// 01x: said, stated. The action is reported, and keeps its own code.
    Statement,
    /// 02x: urged, appealed.
    Appeal,
    /// 03x: agreed, promised, offered, pledged, is ready.
    Intend,
    /// 10x: demanded, ordered.
    Demand,
    /// 12x: refused, rejected.
    Reject,
    /// 13x: threatened, warned.
    Threaten,
}

/// The modality an upper verb's code expresses, if it is one of CAMEO's modal roots.
pub fn modality(code: &str) -> Option<Modality> {
    match code.get(..2)? {
        "01" => Some(Modality::Statement),
        "02" => Some(Modality::Appeal),
        "03" => Some(Modality::Intend),
        "10" => Some(Modality::Demand),
        "12" => Some(Modality::Reject),
        "13" => Some(Modality::Threaten),
        _ => None,
    }
}

/// The code of an upper verb with modality `upper` governing an action coded `lower`; `None` when
/// CAMEO has no such combination (the upper verb's own code then stands).
///
/// Each row: the lower code's prefix (longest first wins) and the combined code under appeal,
/// intend, demand, reject and threaten (`""`: no combination).
pub fn combine(upper: Modality, lower: &str) -> Option<String> {
    // A lower verb that is itself modal ("said it would agree to...") keeps its own code: the
    // innermost stance is the one that says what will happen.
    if modality(lower).is_some_and(|m| m != Modality::Statement) {
        return Some(lower.to_string());
    }
    let column = match upper {
        Modality::Statement => return Some(lower.to_string()),
        Modality::Appeal => 0,
        Modality::Intend => 1,
        Modality::Demand => 2,
        Modality::Reject => 3,
        Modality::Threaten => 4,
    };
    let row = ACTIONS.iter().filter(|(prefix, _)| lower.starts_with(prefix)).max_by_key(|(prefix, _)| prefix.len())?;
    // An intent to do harm is a threat: CAMEO has no "express intent to attack" but 13x.
    let code = match row.1[column] {
        "" if upper == Modality::Intend => row.1[4],
        code => code,
    };
    (!code.is_empty()).then(|| code.to_string())
}

/// The demand that someone carry out an intent: "Y must agree to constitutional changes" said by X
/// is X demanding reform of Y (034 to 104), "must reach an agreement" a demand to settle (037 to
/// 107). CAMEO's 03x and 10x run parallel but for meeting (036, 108) and mediation (038 and 039,
/// 105). `None` for a code that is no intent.
pub fn demand_for_intent(intent: &str) -> Option<String> {
    if !intent.starts_with("03") {
        return None;
    }
    Some(match intent.get(..3)? {
        "036" => "108".to_string(),
        "037" => "107".to_string(),
        "038" | "039" => "105".to_string(),
        _ => format!("10{}", &intent[2..]),
    })
}

/// `(lower code prefix, [appeal, intend, demand, reject, threaten])`.
const ACTIONS: [(&str, [&str; 5]); 49] = [
    // Consult: meeting and negotiating.
    ("04", ["026", "036", "108", "125", "134"]),
    ("045", ["028", "039", "108", "126", "135"]),
    // Diplomatic cooperation.
    ("05", ["022", "032", "102", "120", "131"]),
    ("057", ["027", "037", "107", "127", "131"]),
    // Material cooperation.
    ("06", ["021", "031", "101", "121", "131"]),
    ("061", ["0211", "0311", "1011", "1211", "1312"]),
    ("062", ["0212", "0312", "1012", "1212", "131"]),
    ("063", ["0213", "0313", "1013", "121", "131"]),
    ("064", ["0214", "0314", "1014", "121", "131"]),
    // Aid.
    ("07", ["023", "033", "103", "122", "1311"]),
    ("071", ["0231", "0331", "1031", "1221", "1311"]),
    ("072", ["0232", "0332", "1032", "1222", "1311"]),
    ("073", ["0233", "0333", "1033", "1223", "1311"]),
    ("074", ["0234", "0334", "1034", "1224", "1311"]),
    ("075", ["023", "033", "103", "122", "1311"]),
    // Yielding.
    ("08", ["025", "035", "105", "124", ""]),
    ("081", ["0251", "0351", "1051", "1241", ""]),
    ("082", ["0252", "0352", "1052", "1242", ""]),
    ("083", ["024", "034", "104", "123", ""]),
    ("0831", ["0241", "0341", "1041", "1231", ""]),
    ("0832", ["0242", "0342", "1042", "1232", ""]),
    ("0833", ["0243", "0343", "1043", "1233", ""]),
    ("0834", ["0244", "0344", "1044", "1234", ""]),
    ("084", ["0253", "0353", "1053", "1243", ""]),
    ("085", ["0254", "0354", "1054", "1244", ""]),
    ("086", ["0255", "0355", "1055", "1245", "136"]),
    ("087", ["0256", "0356", "1056", "1246", ""]),
    ("0871", ["0256", "0356", "107", "1246", ""]),
    ("0874", ["0256", "0356", "106", "1246", ""]),
    // Investigation: demanded or rejected.
    ("09", ["", "", "", "", ""]),
    // Protest is threatened: "threatened to hold a general strike", "will boycott the elections".
    ("14", ["", "", "", "", "133"]),
    // Reducing relations and sanctions are threatened.
    ("16", ["", "", "", "", "131"]),
    ("161", ["", "", "", "", "1313"]),
    ("162", ["", "", "", "", "1311"]),
    ("163", ["", "", "", "", "1312"]),
    ("164", ["", "", "", "", "134"]),
    ("165", ["", "", "", "", "135"]),
    ("166", ["", "", "", "", "136"]),
    // Coercion and force are threatened.
    ("17", ["", "", "", "", "137"]),
    ("172", ["", "", "", "", "132"]),
    ("1721", ["", "", "", "", "1321"]),
    ("1722", ["", "", "", "", "1322"]),
    ("1723", ["", "", "", "", "1323"]),
    ("1724", ["", "", "", "", "1324"]),
    ("18", ["", "", "", "", "1383"]),
    ("19", ["", "", "", "", "138"]),
    ("191", ["", "", "", "", "1381"]),
    ("192", ["", "", "", "", "1382"]),
    ("20", ["", "", "", "", "1385"]),
];

/// The code of a negated verb ("did not", "never", "refused to"): cooperation not given is a
/// rejection of it (CAMEO 12x); disapproval or rejection withheld is diplomatic cooperation (050); a
/// conflictual act that did not happen, a demand or threat not made, or a negated statement, is no
/// event (`None`).
pub fn negate(code: &str) -> Option<String> {
    match code.get(..2)? {
        // "did not agree to provide aid": a rejection of what would have been intended.
        "03" => match code.get(..3)? {
            "031" => Some("121".to_string()),
            "033" => Some("122".to_string()),
            "034" => Some("123".to_string()),
            "035" => Some("124".to_string()),
            "036" => Some("125".to_string()),
            "037" => Some("127".to_string()),
            "038" | "039" => Some("126".to_string()),
            _ => Some("120".to_string()),
        },
        "04" | "05" | "06" | "07" | "08" => combine(Modality::Reject, code),
        // Disapproval or rejection withheld ("did not clash over the efforts", "did not reject the
        // plan") is a cooperative stance, as PETRARCH codes it.
        "11" | "12" => Some("050".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `"upper lower"` combined, or `"not code"` negated; `-` for no code.
    fn check(input: &str, expect: &str) {
        let got = match input.split_once(' ') {
            Some(("not", code)) => negate(code),
            Some((upper, lower)) => modality(upper).and_then(|m| combine(m, lower)),
            None => None,
        };
        assert_eq!(got.as_deref().unwrap_or("-"), expect, "{input}");
    }

    #[test]
    fn upper_verbs_combine_with_actions() {
        check("030 070", "033"); // agreed to provide aid
        check("030 0311", "0311"); // agreed to promise economic cooperation: the inner stance
        check("030 061", "0311"); // agreed to cooperate economically
        check("020 040", "026"); // urged to meet
        check("100 0874", "106"); // demanded a withdrawal
        check("130 190", "138"); // threatened to attack
        check("130 161", "1313"); // threatened to break relations
        check("120 073", "1223"); // refused to provide humanitarian aid
        check("010 190", "190"); // said it attacked: the action
        check("030 190", "138"); // an intent to attack is a threat
        check("030 174", "137"); // an intent to expel: a threat of repression
        check("030 1723", "1323"); // will extend the curfew
        check("130 143", "133"); // threatened to hold a general strike
        check("051 040", "-"); // praise is not modal
    }

    #[test]
    fn intents_demanded() {
        assert_eq!(demand_for_intent("0344").as_deref(), Some("1044"));
        assert_eq!(demand_for_intent("030").as_deref(), Some("100"));
        assert_eq!(demand_for_intent("036").as_deref(), Some("108"));
        assert_eq!(demand_for_intent("190"), None);
    }

    #[test]
    fn negation() {
        check("not 033", "122");
        check("not 040", "125");
        check("not 061", "1211");
        check("not 190", "-");
        check("not 111", "050");
        check("not 130", "-");
        check("not 010", "-");
    }
}
