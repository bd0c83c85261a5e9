//! The `annalist` binary end to end: inputs of every kind, bad input, exit statuses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn annalist() -> Command {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/2026-01-28-moscow-putin-al-sharaa.txt")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn stdout_records(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each output line is JSON"))
        .collect()
}

#[test]
fn segments_the_seed_article() {
    let output = annalist().arg("segment").arg(seed()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = stdout_records(&output);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "2026-01-28-moscow-putin-al-sharaa");
    assert_eq!(records[0]["date"], "2026-01-28");
    assert_eq!(records[0]["sentences"].as_array().map(Vec::len), Some(15));
    assert_eq!(records[0]["sentences"][0]["tokens"][0]["text"], "Russian");
}

#[test]
fn a_bad_batch_goes_on_and_names_each_problem() {
    let dir = scratch("bad-batch");
    std::fs::write(dir.join("a-good.txt"), "date 2026-01-28\nPutin spoke. He left.").unwrap();
    std::fs::write(dir.join("b-empty.txt"), "").unwrap();
    std::fs::write(dir.join("c-nobody.txt"), "date 2026-01-28\n").unwrap();
    std::fs::create_dir_all(dir.join("d")).unwrap();
    std::fs::write(
        dir.join("d/e.jsonl"),
        concat!(
            "{\"id\":\"j1\",\"date\":\"2026-01-28\",\"text\":\"One.\",\"lang\":\"en\"}\n",
            "{not json\n",
            "{\"id\":\"j3\",\"date\":\"2026-02-30\",\"text\":\"Three.\"}\n",
            "{\"id\":\"j4\",\"text\":\"Four \\u0000 NUL.\"}\n",
        ),
    )
    .unwrap();
    std::fs::write(dir.join("d/f-latin1.txt"), b"date 2005-01-01\nCaf\xe9 owners met.").unwrap();
    std::fs::write(dir.join("ignored.csv"), "x").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("missing-target"), dir.join("g-unreadable.txt")).unwrap();

    let output = annalist().arg("segment").arg(&dir).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let ids: Vec<String> = stdout_records(&output).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["a-good", "c-nobody", "j1", "j3", "j4", "f-latin1"]);
    // Unknown input fields pass through.
    assert_eq!(stdout_records(&output)[2]["lang"], "en");
    for expected in [
        "b-empty.txt: error[empty-file]",
        "c-nobody.txt: article c-nobody: warning[empty-body]",
        "e.jsonl:2: error[bad-json]",
        "e.jsonl:3: article j3: error[bad-date]: impossible date \"2026-02-30\"",
        "e.jsonl:4: article j4: warning[missing-date]",
        "e.jsonl:4: article j4: warning[nul-bytes]",
        "f-latin1.txt:2: article f-latin1: warning[invalid-utf8]",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    #[cfg(unix)]
    assert!(stderr.contains("g-unreadable.txt: error[unreadable]"), "{stderr}");
}

#[test]
fn reads_standard_input() {
    let mut child =
        annalist().args(["segment", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"s1\",\"date\":\"20260128\",\"text\":\"Mr. Smith arrived. He spoke.\"}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let records = stdout_records(&output);
    assert_eq!(records[0]["id"], "s1");
    assert_eq!(records[0]["sentences"].as_array().map(Vec::len), Some(2));
}

#[test]
fn writes_conllu_with_multiword_tokens() {
    let dir = scratch("conllu");
    let path = dir.join("x.txt");
    std::fs::write(&path, "date 2026-01-01\nI don't know.").unwrap();
    let output = annalist().args(["segment", "--format", "conllu"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let expected = "# newdoc id = x\n# newpar\n# sent_id = x-1\n# text = I don't know.\n1\tI\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n4\tknow\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
    assert_eq!(stdout, expected);
}

#[test]
fn evaluates_segmentation_against_conllu() {
    let dir = scratch("eval-segment");
    let gold = dir.join("gold.conllu");
    std::fs::write(
        &gold,
        "# newdoc id = d\n# text = It rose. It fell\n1\tIt\t_\t_\t_\t_\t0\t_\t_\t_\n2\trose\t_\t_\t_\t_\t0\t_\t_\tSpaceAfter=No\n3\t.\t_\t_\t_\t_\t0\t_\t_\t_\n4\tIt\t_\t_\t_\t_\t0\t_\t_\t_\n5\tfell\t_\t_\t_\t_\t0\t_\t_\t_\n\n",
    )
    .unwrap();
    let output = annalist().args(["eval", "segment", "--json"]).arg(&gold).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(scores["tokens_f1"], 1.0);
    // Gold has one sentence spanning both clauses; the segmenter finds two.
    assert_eq!(scores["sentences_f1"], 0.0);
}

#[test]
fn a_missing_gold_file_is_a_clear_error() {
    let output = annalist().args(["eval", "segment", "/nonexistent/gold.conllu"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("reading /nonexistent/gold.conllu"));
}

#[test]
fn evaluates_entities_on_a_tiny_gold_file() {
    let dir = scratch("eval-ner");
    let gold = dir.join("gold.iob2");
    std::fs::write(
        &gold,
        "# newdoc id = d1\n1\tVladimir\tB-PER\n2\tPutin\tI-PER\n3\tvisited\tO\n4\tMoscow\tB-LOC\n5\t.\tB-O\n\n\
         1\tNATO\tB-ORG\n2\tofficials\tO\n3\tcame\tO\n4\t.\tO\n",
    )
    .unwrap();
    let output = annalist().args(["eval", "ner", "--json"]).arg(&gold).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = stdout_records(&output);
    for key in ["f1", "per_f1", "org_f1", "loc_f1", "oth_f1"] {
        assert!(records[0][key].is_f64(), "{key} in {}", records[0]);
    }
    assert_eq!(records[0]["entities_gold"], 3);
    assert_eq!(records[0]["repaired_labels"], 1);

    std::fs::write(&gold, "1\tword\n").unwrap();
    let output = annalist().args(["eval", "ner"]).arg(&gold).output().expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("gold.iob2:1"));
}

#[test]
fn clustering_reports_bad_lines_and_too_little_text() {
    let dir = scratch("train-clusters");
    let text = dir.join("text.jsonl");
    std::fs::write(&text, "{\"text\": \"Putin visited Moscow. Putin left Moscow.\"}\nnot json\n").unwrap();
    let out = dir.join("clusters.tsv");
    let output = annalist().args(["train", "clusters", "--text"]).arg(&text).arg("--out").arg(&out).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("text.jsonl:2: not JSON"), "{stderr}");
    assert!(stderr.contains("too little text to cluster"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn trains_entities_with_a_lexicon_and_names_a_bad_lexicon_file() {
    let dir = scratch("train-ner-lexicon");
    let gold = dir.join("gold.iob2");
    let sentence = "1\tPutin\tB-PER\n2\tvisited\tO\n3\tMoscow\tB-LOC\n4\t.\tO\n\n";
    std::fs::write(&gold, sentence.repeat(3)).unwrap();
    let clusters = dir.join("clusters.json.gz");
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(br#"{"Putin": 806, "Moscow": 38}"#).unwrap();
    std::fs::write(&clusters, gzip.finish().unwrap()).unwrap();
    let probs = dir.join("probs.json");
    std::fs::write(&probs, r#"{"Putin": -11.8, "Moscow": -11.0, "moscow": -16.0}"#).unwrap();
    let train = |probs: &Path, out: &Path| {
        annalist()
            .args(["train", "ner", "--epochs", "2", "--train"])
            .arg(&gold)
            .arg("--lexicon-clusters")
            .arg(&clusters)
            .arg("--lexicon-probs")
            .arg(probs)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let out = dir.join("model.ner.gz");
    let output = train(&probs, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("lexicon: 2 words"), "{stderr}");
    let output = annalist().args(["eval", "ner", "--json", "--model"]).arg(&out).arg(&gold).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let bad = dir.join("bad.json");
    std::fs::write(&bad, "[1, 2]").unwrap();
    let output = train(&bad, &dir.join("none.ner.gz"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.json") && stderr.contains("not a JSON object of words to numbers"), "{stderr}");
    assert!(!dir.join("none.ner.gz").exists());
}

#[test]
fn calibrating_a_model_keeps_its_parses() {
    let dir = scratch("train-calibrate");
    let dev = dir.join("dev.conllu");
    let mut treebank = String::new();
    for (idx, sentence) in
        ["Putin received al-Sharaa in Moscow .", "The talks , he said , went well ."].iter().enumerate()
    {
        treebank.push_str(&format!("# sent_id = {idx}\n"));
        for (k, word) in sentence.split(' ').enumerate() {
            treebank.push_str(&format!("{}\t{word}\t_\tX\tXX\t_\t{k}\tdep\t_\t_\n", k + 1));
        }
        treebank.push('\n');
    }
    std::fs::write(&dev, treebank).unwrap();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/model/en_ewt.model");
    let out = dir.join("calibrated.model");
    let output = annalist()
        .args(["train", "calibrate", "--model"])
        .arg(&model)
        .arg("--dev")
        .arg(&dev)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("second pass keeps first-pass tags"));
    let parse = |model: &Path| {
        let output = annalist().args(["parse", "--input", "conllu", "--model"]).arg(model).arg(&dev).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    assert_eq!(parse(&out), parse(&model));
}

#[test]
fn lists_names_no_dictionary_codes() {
    let dir = scratch("dict-unknown");
    let corpus = dir.join("corpus.jsonl");
    std::fs::write(
        &corpus,
        concat!(
            "{\"id\":\"a\",\"date\":\"2026-01-28\",\"text\":\"Russian President Vladimir Putin met Zorblat Quenthorpe in Moscow.\"}\n",
            "{\"id\":\"b\",\"date\":\"2026-01-29\",\"text\":\"Zorblat Quenthorpe said on Monday that talks went well.\"}\n",
        ),
    )
    .unwrap();
    let output = annalist().args(["dict", "unknown", "--json", "--top", "5"]).arg(&corpus).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = stdout_records(&output);
    assert_eq!(records[0]["name"], "Zorblat Quenthorpe");
    assert_eq!(records[0]["type"], "PER");
    assert_eq!(records[0]["count"], 2);
    assert!(records[0]["example"].as_str().is_some_and(|e| e.contains("Putin")));
    // Putin is in the actor dictionary, so he is not listed.
    assert!(records.iter().all(|r| r["name"] != "Vladimir Putin"));
}

#[test]
fn codes_the_seed_article() {
    let output = annalist().arg("code").arg(seed()).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = stdout_records(&output);
    assert_eq!(records.len(), 1);
    let events = records[0]["events"].as_array().expect("events");
    let first = &events[0];
    assert_eq!(
        (first["source"].as_str(), first["target"].as_str(), first["code"].as_str()),
        (Some("RUSGOV"), Some("SYRGOV"), Some("051"))
    );
    assert_eq!(first["date"], "2026-01-28");
    assert_eq!(first["quad_class"], 1);
    assert!(events.iter().all(|e| !e["code"].as_str().unwrap_or("19").starts_with("19")));
    let entities = records[0]["entities"].as_array().expect("entities");
    let putin = entities.iter().find(|e| e["text"] == "Vladimir Putin").expect("Putin is an entity");
    assert_eq!((putin["type"].as_str(), putin["actor"].as_str()), (Some("PER"), Some("RUSGOV")));
    assert_eq!(putin["span"], serde_json::json!([18, 32]));
}

/// The data contract's location: `{"name": "Moscow", "country": "RUS", "lat": 55.75, ...}`.
#[test]
fn locates_the_seed_article_in_moscow() {
    let output = annalist().arg("code").arg(seed()).output().expect("runs");
    let records = stdout_records(&output);
    let location = &records[0]["events"][0]["location"];
    assert_eq!((location["name"].as_str(), location["country"].as_str()), (Some("Moscow"), Some("RUS")));
    assert_eq!((location["geonameid"].as_u64(), location["basis"].as_str()), (Some(524901), Some("article")));
    assert!((location["lat"].as_f64().unwrap_or(0.0) - 55.75).abs() < 0.01);
    assert!((location["lon"].as_f64().unwrap_or(0.0) - 37.62).abs() < 0.01);
}

/// `--user-places` adds a user's places; a bad line is named and skipped, the rest loads.
#[test]
fn user_places_add_to_the_gazetteer() {
    let dir = scratch("user-places");
    let places = dir.join("mine.tsv");
    std::fs::write(&places, "9000001\tcity\tAlpha Town\tSYR\t13\t33.6\t36.4\t50000\tAlphaville\n9000002\tcity\tBad\n")
        .expect("writes");
    let mut child = annalist()
        .args(["code", "--user-places"])
        .arg(&places)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let line = r#"{"id":"u","date":"2026-01-28","text":"Putin met Assad in Alphaville on Monday."}"#;
    child.stdin.take().expect("stdin").write_all(line.as_bytes()).expect("writes");
    let output = child.wait_with_output().expect("finishes");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("mine.tsv:2: fewer than 7 tab-separated columns"));
    let records = stdout_records(&output);
    let location = &records[0]["events"][0]["location"];
    assert_eq!((location["name"].as_str(), location["geonameid"].as_u64()), (Some("Alpha Town"), Some(9000001)));
}

#[test]
fn code_keeps_ids_and_input_order_on_several_threads() {
    let dir = scratch("code-order");
    let path = dir.join("a.jsonl");
    let lines: String = (0..40)
        .map(|i| format!("{{\"id\":\"a{i}\",\"date\":\"2026-01-28\",\"text\":\"Russia praised Syria. Iran criticized Israel.\",\"lang\":\"en\"}}\n"))
        .collect();
    std::fs::write(&path, lines).unwrap();
    let output = annalist().args(["code", "--threads", "3"]).arg(&path).output().unwrap();
    assert!(output.status.success());
    let records = stdout_records(&output);
    let ids: Vec<String> = records.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, (0..40).map(|i| format!("a{i}")).collect::<Vec<_>>());
    assert_eq!(records[7]["lang"], "en");
    assert_eq!(records[7]["events"].as_array().map(Vec::len), Some(2));
}

#[test]
fn evaluates_events_with_petrarch_dictionaries() {
    let dir = scratch("eval-events");
    let gold = dir.join("records.jsonl");
    std::fs::write(
        &gold,
        concat!(
            "{\"id\":\"D-1\",\"category\":\"DEMO\",\"active\":true,\"date\":\"1995-01-01\",\"text\":\"Arnor is about to restore full diplomatic ties with Gondor.\",\"expected\":[{\"source\":\"ARN\",\"target\":\"GON\",\"code\":\"050\"}],\"expected_kind\":\"events\"}\n",
            "{\"id\":\"D-2\",\"category\":\"DEMO\",\"active\":false,\"date\":\"1995-01-01\",\"text\":\"x\",\"expected\":[],\"expected_kind\":\"events\"}\n",
        ),
    )
    .unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/petrarch");
    let output = annalist()
        .args(["eval", "events", "--json"])
        .arg(&gold)
        .arg("--actors")
        .arg(data.join("PETR.Validate.actors.txt"))
        .arg("--agents")
        .arg(data.join("PETR.Validate.agents.txt"))
        .arg("--verbs")
        .arg(data.join("PETR.Validate.verbs.2.0.txt"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(scores["records"], 1);
    assert_eq!(scores["exact"], 1.0);
    assert_eq!(scores["f1"], 1.0);
}

#[test]
fn eval_events_counts_errors_by_class() {
    let dir = scratch("eval-errors");
    let gold = dir.join("gold.jsonl");
    let record = |id: &str, text: &str, source: &str, target: &str, code: &str| {
        format!(
            r#"{{"id":"{id}","category":"TEST","active":true,"date":"2026-01-28","text":"{text}","expected":[{{"source":"{source}","target":"{target}","code":"{code}"}}],"expected_kind":"events","config":{{"require_dyad":"false"}}}}"#
        )
    };
    let lines = [
        record("right", "Russian President Vladimir Putin praised the Syrian army.", "RUSGOV", "SYRMIL", "051"),
        record("wrong-code", "Russian President Vladimir Putin praised the Syrian army.", "RUSGOV", "SYRMIL", "042"),
    ];
    std::fs::write(&gold, lines.join("\n")).unwrap();
    let output = annalist().args(["eval", "events", "--errors", "--json"]).arg(&gold).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["records"], 2);
    assert_eq!(report["errors"], serde_json::json!({"code: root 04 coded as 05": 1}));
    let text = annalist().args(["eval", "events", "--errors"]).arg(&gold).output().expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("errors by kind") && text.contains("e.g. wrong-code"), "{text}");
}
