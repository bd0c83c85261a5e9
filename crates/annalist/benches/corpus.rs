//! Loading the measuring corpora for benchmarks. They live outside the repository (they may not be
//! committed), so a benchmark whose corpus is absent says so and measures nothing.

use std::path::PathBuf;

/// The Reuters-21578 corpus: `$ANNALIST_REUTERS`, or `../shared/data/corpora/` beside the checkout.
pub fn reuters_path() -> PathBuf {
    std::env::var_os("ANNALIST_REUTERS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/reuters-21578-1987.jsonl")
    })
}

/// The `text` fields of the Reuters corpus, or `None` (with a message) when it is not there.
pub fn reuters_texts() -> Option<Vec<String>> {
    let path = reuters_path();
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found (set ANNALIST_REUTERS)", path.display());
        return None;
    };
    let texts = data
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|value| value.get("text").and_then(|text| text.as_str()).map(str::to_string))
        .collect();
    Some(texts)
}
