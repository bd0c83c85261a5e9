//! What the server tests share: a fixture store, a server on a free loopback port, and a small
//! HTTP/1.1 client (the tests need no HTTP crate of their own).

#![allow(dead_code)]

use annalist::article::{read_json_line, read_seed};
use annalist::pipeline::Pipeline;
use annalist::Location;
use annalist_store::{content_hash, Ingested, Store};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data").join(name)
}

/// An article whose text looks like markup: the dashboard must show it as text.
pub const MARKUP: &str = r#"{"id": "markup", "date": "2026-02-12", "source": "Test", "text": "<img src=x onerror=\"window.__pwned = 1\"> Russian President Vladimir Putin praised the Syrian army <b>on Thursday</b>."}"#;

/// A store of the seed article, the store fixture's four articles and [`MARKUP`], made once per
/// test binary under `name`.
pub fn fixture_store(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let pipeline = Pipeline::shipped().expect("the pipeline loads");
    let seed = std::fs::read_to_string(data("2026-01-28-moscow-putin-al-sharaa.txt")).expect("the seed");
    let mut articles = vec![read_seed("2026-01-28-moscow-putin-al-sharaa", &seed, &Location::file("seed")).article];
    let fixture = std::fs::read_to_string(data("store/merge.jsonl")).expect("the fixture");
    for line in fixture.lines().chain([MARKUP]) {
        articles.push(read_json_line(line, &Location::file("fixture")).expect("an article").article);
    }
    let batch: Vec<Ingested> = articles
        .into_iter()
        .map(|article| Ingested { coded: pipeline.code(&article), hash: content_hash(&article, "test"), article })
        .collect();
    let mut store = Store::open(&path).expect("the store opens");
    store.write(&batch, &[]).expect("writes");
    store.checkpoint().expect("checkpoints");
    path
}

/// Starts a server on the store at a free loopback port; it runs until the test ends.
pub fn start(db: PathBuf, token: Option<&str>) -> SocketAddr {
    let config = annalist_server::Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: token.map(str::to_string),
        max_body: 64 << 10,
        ..annalist_server::Config::new(db)
    };
    annalist_server::spawn(config).expect("the server starts")
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// One request on a fresh connection.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("writes");
    stream.write_all(body).expect("writes");
    // Read the head, then as many bytes as Content-Length says: a server may keep the
    // connection open whatever the request asked (chromedriver does).
    let mut raw = Vec::new();
    let mut buffer = [0; 16 << 10];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut buffer).expect("reads");
        assert!(n > 0, "the connection closed before the head ended");
        raw.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = raw[split + 4..].to_vec();
    match length {
        Some(length) => {
            while body.len() < length {
                let n = stream.read(&mut buffer).expect("reads");
                assert!(n > 0, "the connection closed before the body ended");
                body.extend_from_slice(&buffer[..n]);
            }
        }
        None => {
            stream.read_to_end(&mut body).expect("reads");
        }
    }
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], b"")
}
