//! `annalist ingest`, `query` and `export` end to end: idempotence, a crash at random points,
//! exports, and clear errors for bad parameters.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn annalist() -> Command {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn summary(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.lines().last().expect("a summary line")).expect("JSON")
}

fn export(db: &Path, format: &str) -> Vec<u8> {
    run(annalist().args(["export", "--format", format, "--db"]).arg(db)).stdout
}

/// The store fixture's articles again and again under new ids and dates (`copies` of each), in
/// one JSON Lines file.
fn many_articles(dir: &Path, copies: usize) -> PathBuf {
    let fixture = std::fs::read_to_string(data("store/merge.jsonl")).expect("the fixture");
    let mut lines = Vec::new();
    for copy in 0..copies {
        for line in fixture.lines() {
            let mut article: serde_json::Value = serde_json::from_str(line).expect("JSON");
            article["id"] = format!("{}-{copy}", article["id"].as_str().unwrap_or("")).into();
            let day = article["date"].as_str().and_then(|d| d.get(8..10)).and_then(|d| d.parse::<u32>().ok());
            article["date"] = format!("2026-03-{:02}", (day.unwrap_or(1) + copy as u32) % 28 + 1).into();
            lines.push(article.to_string());
        }
    }
    let path = dir.join("many.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("written");
    path
}

#[test]
fn the_seed_article_goes_into_the_store_once() {
    let dir = scratch("store-seed");
    let db = dir.join("annalist.db");
    let seed = data("2026-01-28-moscow-putin-al-sharaa.txt");
    let first = run(annalist().arg("ingest").arg("--db").arg(&db).arg(&seed));
    let first = summary(&first);
    assert_eq!(first["added"], 1);
    assert!(first["store"]["events"].as_u64() >= Some(5), "{first}");
    let exported = export(&db, "jsonl");
    let second = summary(&run(annalist().arg("ingest").arg("--db").arg(&db).arg(&seed)));
    assert_eq!((second["added"].as_u64(), second["article_events"].as_u64()), (Some(0), Some(0)));
    assert_eq!(second["unchanged"], 1);
    assert_eq!(second["store"], first["store"]);
    assert_eq!(export(&db, "jsonl"), exported);

    // --show prints the events as a table: the congratulation of the first sentence among them.
    let shown = run(annalist().args(["ingest", "--show", "--db"]).arg(&db).arg(&seed));
    let table = String::from_utf8_lossy(&shown.stdout);
    assert!(table.lines().any(|l| l.contains("RUSGOV") && l.contains("051") && l.contains("congratulated")), "{table}");
}

#[test]
fn an_ingest_killed_at_random_points_ends_as_an_uninterrupted_one() {
    let dir = scratch("store-crash");
    let input = many_articles(&dir, 12);
    let ingest = |db: &Path| {
        let mut command = annalist();
        command.args(["ingest", "--quiet", "--transaction-size", "4", "--threads", "2", "--db"]).arg(db).arg(&input);
        command
    };
    let clean = dir.join("clean.db");
    let started = Instant::now();
    run(&mut ingest(&clean));
    let duration = started.elapsed();
    let expected = export(&clean, "jsonl");
    assert!(!expected.is_empty());

    let crashed = dir.join("crashed.db");
    // Kill points spread over a run's length by a fixed pseudo-random sequence, so that a
    // failure can be reproduced.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut interrupted = 0;
    for _ in 0..5 {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let fraction = 0.15 + 0.8 * ((state >> 33) as f64 / (1u64 << 31) as f64);
        let mut child = ingest(&crashed).stdout(std::process::Stdio::null()).spawn().expect("starts");
        std::thread::sleep(duration.mul_f64(fraction / 2.0));
        if child.try_wait().expect("waits").is_none() {
            child.kill().expect("SIGKILL");
            interrupted += 1;
        }
        child.wait().expect("ends");
    }
    assert!(interrupted >= 3, "only {interrupted} runs were still going when killed");
    run(&mut ingest(&crashed));
    assert_eq!(export(&crashed, "jsonl"), expected, "the store after crashes differs");
    assert_eq!(export(&crashed, "gdelt"), export(&clean, "gdelt"));
}

#[test]
fn exports_every_format() {
    let dir = scratch("store-export");
    let db = dir.join("annalist.db");
    run(annalist().arg("ingest").arg("--db").arg(&db).arg(data("store/merge.jsonl")));
    let gdelt = String::from_utf8(export(&db, "gdelt")).expect("UTF-8");
    assert!(gdelt.lines().all(|line| line.split('\t').count() == 61));
    let csv = String::from_utf8(export(&db, "csv")).expect("UTF-8");
    assert_eq!(csv.lines().count(), gdelt.lines().count() + 1);
    let filtered = run(annalist().args(["export", "--format", "jsonl", "--dyad", "RUSGOV-SYRGOV", "--db"]).arg(&db));
    let filtered = String::from_utf8_lossy(&filtered.stdout);
    assert!(filtered.lines().count() >= 2 && filtered.lines().all(|l| l.contains("\"source\":\"RUSGOV\"")));
    let parquet = dir.join("parquet");
    run(annalist().args(["export", "--format", "parquet", "--out"]).arg(&parquet).arg("--db").arg(&db));
    assert!(parquet.join("date=2026-02-10/part-0.parquet").is_file());
}

#[test]
fn queries_answer_and_bad_parameters_say_why() {
    let dir = scratch("store-query");
    let db = dir.join("annalist.db");
    run(annalist().arg("ingest").arg("--db").arg(&db).arg(data("store/merge.jsonl")));
    let events = run(annalist().args(["query", "--format", "jsonl", "events", "--actor", "ISR", "--db"]).arg(&db));
    let events: Vec<serde_json::Value> =
        String::from_utf8_lossy(&events.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(events.len(), 1);
    let id = events[0]["id"].to_string();
    let detail = run(annalist().args(["query", "event", &id, "--db"]).arg(&db));
    assert!(String::from_utf8_lossy(&detail.stdout).contains("Israeli troops attacked Hamas fighters"));
    let series = run(annalist().args(["query", "series", "--dyad", "RUS-SYR", "--interval", "month", "--db"]).arg(&db));
    assert!(String::from_utf8_lossy(&series.stdout).contains("2026-02-01"));

    let bad: [&[&str]; 4] = [
        &["query", "events", "--from", "2026-02-30"],
        &["query", "series", "--interval", "year"],
        &["query", "events", "--near", "55,37"],
        &["query", "events", "--quad", "7"],
    ];
    for args in bad {
        let output = annalist().args(args).arg("--db").arg(&db).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("error") && !stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let missing = annalist().args(["query", "events", "--db"]).arg(dir.join("none.db")).output().expect("runs");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such store"));
}

#[test]
fn unreadable_records_are_stored_as_failures_and_the_rest_goes_in() {
    let dir = scratch("store-failures");
    let input = dir.join("mixed.jsonl");
    let fixture = std::fs::read_to_string(data("store/merge.jsonl")).expect("the fixture");
    std::fs::write(&input, format!("{fixture}{{not json\n")).expect("written");
    let db = dir.join("annalist.db");
    let output = annalist().arg("ingest").arg("--db").arg(&db).arg(&input).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(summary(&output)["added"], 4);
    let failures = run(annalist().args(["query", "--format", "jsonl", "failures", "--db"]).arg(&db));
    let failures = String::from_utf8_lossy(&failures.stdout);
    assert_eq!(failures.lines().count(), 1);
    assert!(failures.contains("mixed.jsonl:5"), "{failures}");
    // Again: the failure is not stored twice.
    let _ = annalist().arg("ingest").arg("--db").arg(&db).arg(&input).output().expect("runs");
    let again = run(annalist().args(["query", "--format", "jsonl", "failures", "--db"]).arg(&db));
    assert_eq!(String::from_utf8_lossy(&again.stdout).lines().count(), 1);
}
