//! The API against its OpenAPI document, and its safety rules, over HTTP on loopback.

mod common;

use common::{fixture_store, get, request, start};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::OnceLock;

const TOKEN: &str = "test-token";

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(fixture_store("api"), Some(TOKEN)))
}

fn openapi() -> Value {
    get(server(), "/api/openapi.json").json()
}

/// Follows a `$ref` inside the document.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.trim_start_matches("#/").split('/').fold(document, |node, key| &node[key]),
        None => value,
    }
}

/// Checks `body` against a schema's type and required fields (of the object, or of every item
/// of an array).
fn check_schema(document: &Value, schema: &Value, body: &Value, what: &str) {
    let schema = resolve(document, schema);
    match schema["type"].as_str() {
        Some("object") => {
            assert!(body.is_object(), "{what}: not an object: {body}");
            for field in schema["required"].as_array().into_iter().flatten() {
                let field = field.as_str().unwrap_or("");
                assert!(body.get(field).is_some(), "{what}: no {field:?} in {body}");
            }
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if let Some(value) = body.get(name) {
                    check_schema(document, property, value, &format!("{what}.{name}"));
                }
            }
        }
        Some("array") => {
            let items = body.as_array().unwrap_or_else(|| panic!("{what}: not an array: {body}"));
            for item in items {
                check_schema(document, &schema["items"], item, &format!("{what}[]"));
            }
        }
        Some("integer") => assert!(body.is_i64() || body.is_u64(), "{what}: not an integer: {body}"),
        Some("number") => assert!(body.is_number(), "{what}: not a number: {body}"),
        Some("string") => assert!(body.is_string(), "{what}: not a string: {body}"),
        _ => {}
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b',' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn first_event_id() -> String {
    get(server(), "/api/events?limit=1").json()["events"][0]["id"].to_string()
}

#[test]
fn every_documented_route_answers_as_documented() {
    let document = openapi();
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12);
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().expect("operations") {
            let mut url = path.clone();
            let mut query = Vec::new();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let parameter = resolve(&document, parameter);
                let name = parameter["name"].as_str().expect("a name");
                let example = match &parameter["example"] {
                    Value::String(s) if s == "first-event" => first_event_id(),
                    Value::String(s) => s.clone(),
                    Value::Null => continue,
                    other => other.to_string(),
                };
                match parameter["in"].as_str() {
                    Some("path") => url = url.replace(&format!("{{{name}}}"), &example),
                    _ => query.push(format!("{name}={}", encode(&example))),
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", query.join("&"));
            }
            let what = format!("{} {url}", method.to_uppercase());
            let reply = match method.as_str() {
                "get" => get(server(), &url),
                "post" => {
                    let body = operation["requestBody"]["content"]["application/json"]["example"].to_string();
                    let auth = format!("Bearer {TOKEN}");
                    request(server(), "POST", &url, &[("Authorization", &auth)], body.as_bytes())
                }
                other => panic!("{what}: method {other} not tested"),
            };
            assert_eq!(reply.status, 200, "{what}: {}", reply.text());
            let (content_type, media) = operation["responses"]["200"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
                .unwrap_or_else(|| panic!("{what}: no documented content"));
            let answered = reply.header("content-type").unwrap_or("");
            assert!(answered.starts_with(content_type.as_str()), "{what}: {answered}, documented {content_type}");
            if content_type == "application/json" {
                check_schema(&document, &media["schema"], &reply.json(), &what);
            }
            // Every route that documents 400 answers a bad parameter with it and a reason.
            if operation["responses"].get("400").is_some() && method == "get" && !path.contains('{') {
                let separator = if url.contains('?') { '&' } else { '?' };
                let bad = get(server(), &format!("{url}{separator}nonsense=1"));
                assert_eq!(bad.status, 400, "{url} with nonsense=1");
                assert!(bad.json()["error"].as_str().is_some_and(|e| e.contains("nonsense")));
            }
        }
    }
}

#[test]
fn events_filter_and_page() {
    let all = get(server(), "/api/events?limit=1000").json();
    let total = all["total"].as_u64().expect("a total");
    assert_eq!(all["events"].as_array().map(Vec::len), Some(total as usize));
    let page = get(server(), "/api/events?limit=2&offset=1").json();
    assert_eq!(page["events"], Value::Array(all["events"].as_array().expect("events")[1..3].to_vec()));
    let dyad = get(server(), "/api/events?dyad=RUSGOV-SYRGOV&code=04").json();
    let events = dyad["events"].as_array().expect("events");
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["source"] == "RUSGOV" && e["code"].as_str().is_some_and(|c| c.starts_with("04"))));
    let near = get(server(), "/api/events?near=55.75,37.62,50").json();
    assert!(near["events"].as_array().expect("events").iter().all(|e| e["location"]["name"] == "Moscow"));
    let id = first_event_id();
    let detail = get(server(), &format!("/api/events/{id}")).json();
    assert!(!detail["mentions"][0]["sentence_text"].as_str().unwrap_or("").is_empty());
}

#[test]
fn bad_parameters_are_400_with_a_reason() {
    let cases = [
        ("/api/events?from=2026-02-30", "not a date"),
        ("/api/events?to=yesterday", "not a date"),
        ("/api/events?limit=100000", "limit"),
        ("/api/events?quad=9", "quad"),
        ("/api/events?near=1,2", "near"),
        ("/api/events?near=91,0,10", "near"),
        ("/api/events?dyad=RUS", "dyad"),
        ("/api/series?interval=year", "interval"),
        ("/api/events/abc", "whole number"),
        ("/api/search", "q"),
        ("/api/search?q=%22", "no words"),
    ];
    for (path, reason) in cases {
        let reply = get(server(), path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.text());
        let error = reply.json()["error"].as_str().unwrap_or("").to_string();
        assert!(error.contains(reason), "{path}: {error}");
    }
    assert_eq!(get(server(), "/api/events/12345").status, 404);
    assert_eq!(get(server(), "/api/articles/none").status, 404);
    assert_eq!(get(server(), "/nowhere").status, 404);
}

#[test]
fn every_answer_forbids_external_sources() {
    for path in ["/", "/assets/app.js", "/api/stats", "/api/events?quad=9", "/nowhere"] {
        let reply = get(server(), path);
        let policy = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(policy.contains("default-src 'self'") && !policy.contains("http"), "{path}: {policy}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn posting_needs_the_token_and_a_small_body() {
    let article =
        br#"{"id": "p", "date": "2026-01-28", "text": "Russian President Vladimir Putin praised the Syrian army."}"#;
    assert_eq!(request(server(), "POST", "/api/code", &[], article).status, 401);
    let wrong = request(server(), "POST", "/api/code", &[("Authorization", "Bearer nope")], article);
    assert_eq!(wrong.status, 401);
    let auth = format!("Bearer {TOKEN}");
    let coded = request(server(), "POST", "/api/code", &[("Authorization", &auth)], article).json();
    assert_eq!(coded["events"][0]["code"], "051");
    let big = vec![b' '; 128 << 10];
    assert_eq!(request(server(), "POST", "/api/code", &[("Authorization", &auth)], &big).status, 413);
    let bad = request(server(), "POST", "/api/code", &[("Authorization", &auth)], b"{not json");
    assert_eq!(bad.status, 400);
    // Posting stores nothing.
    assert_eq!(get(server(), "/api/articles/p").status, 404);
    // A server without a token is read-only.
    let read_only = start(fixture_store("api-read-only"), None);
    assert_eq!(request(read_only, "POST", "/api/code", &[("Authorization", &auth)], article).status, 403);
}

#[test]
fn downloads_are_csv_and_parquet() {
    let csv = get(server(), "/api/export.csv?actor=RUS");
    assert_eq!(csv.status, 200);
    assert!(csv.text().starts_with("id,date,"));
    assert!(csv.header("content-disposition").is_some_and(|d| d.contains("attachment")));
    let parquet = get(server(), "/api/export.parquet?actor=RUS");
    assert_eq!(parquet.status, 200);
    assert!(parquet.body.starts_with(b"PAR1") && parquet.body.ends_with(b"PAR1"));
}
