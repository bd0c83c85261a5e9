//! A bounded load test on loopback: 50 clients for 20 seconds against a server on the store of
//! the Reuters-21578 corpus, each alternating a page of events (actor and offset varying) and a
//! weekly dyad series, over kept-alive connections. Prints requests per second, p50, p99 and errors per endpoint.
//!
//! The store is `$ANNALIST_STORE`, else `target/bench-store/reuters.db`, coded from the corpus
//! (`$ANNALIST_REUTERS`, or `../shared/data/corpora/` beside the checkout) on first use. Without
//! either the bench says so and measures nothing. `ANNALIST_LOAD_SECONDS` and
//! `ANNALIST_LOAD_CLIENTS` change the bounds.

use annalist::pipeline::Pipeline;
use annalist::Article;
use annalist_store::{content_hash, Ingested, Store};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn reuters_store() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ANNALIST_STORE") {
        return Some(PathBuf::from(path));
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-store/reuters.db");
    if path.exists() {
        return Some(path);
    }
    let corpus = std::env::var_os("ANNALIST_REUTERS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/corpora/reuters-21578-1987.jsonl")
    });
    let Ok(data) = std::fs::read_to_string(&corpus) else {
        eprintln!("skipping: {} not found (set ANNALIST_STORE or ANNALIST_REUTERS)", corpus.display());
        return None;
    };
    let location = annalist::Location::file("reuters");
    let articles: Vec<Article> = data
        .lines()
        .filter_map(|line| annalist::article::read_json_line(line, &location).ok().map(|read| read.article))
        .collect();
    let pipeline = Pipeline::shipped().expect("the pipeline loads");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let coded: Vec<Ingested> = std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(articles.len().div_ceil(threads))
            .map(|part| {
                let pipeline = &pipeline;
                scope.spawn(move || {
                    part.iter()
                        .map(|a| Ingested {
                            article: a.clone(),
                            coded: pipeline.code(a),
                            hash: content_hash(a, "bench"),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a coding thread")).collect()
    });
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("the bench folder");
    let mut store = Store::open(&path).expect("the store opens");
    for batch in coded.chunks(512) {
        store.write(batch, &[]).expect("writes");
    }
    store.analyze().expect("analyzes");
    store.checkpoint().expect("checkpoints");
    Some(path)
}

/// A client's connection, kept alive between requests as a browser's is.
struct Client {
    addr: SocketAddr,
    stream: Option<TcpStream>,
}

impl Client {
    /// One GET: the status (0 when the connection failed) and how long it took.
    fn get(&mut self, path: &str) -> (u16, Duration) {
        let started = Instant::now();
        let status = self.try_get(path).unwrap_or_else(|_| {
            self.stream = None;
            0
        });
        (status, started.elapsed())
    }

    fn try_get(&mut self, path: &str) -> std::io::Result<u16> {
        if self.stream.is_none() {
            self.stream = Some(TcpStream::connect(self.addr)?);
        }
        let addr = self.addr;
        let stream = self.stream.as_mut().ok_or(std::io::ErrorKind::NotConnected)?;
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
        let mut reply = Vec::new();
        let mut buffer = [0; 64 << 10];
        let (head_end, length) = loop {
            let n = stream.read(&mut buffer)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            reply.extend_from_slice(&buffer[..n]);
            if let Some(at) = reply.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&reply[..at]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .ok_or(std::io::ErrorKind::InvalidData)?;
                break (at + 4, length);
            }
        };
        while reply.len() < head_end + length {
            let n = stream.read(&mut buffer)?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            reply.extend_from_slice(&buffer[..n]);
        }
        let head = String::from_utf8_lossy(&reply[..head_end.min(32)]).to_string();
        Ok(head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0))
    }
}

fn report(name: &str, mut times: Vec<Duration>, errors: usize, seconds: f64) {
    times.sort();
    let at = |p: f64| times.get(((times.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or_default();
    eprintln!(
        "{name}: {} requests, {:.0}/s, p50 {:.1?}, p99 {:.1?}, max {:.1?}, {errors} errors",
        times.len(),
        times.len() as f64 / seconds,
        at(0.5),
        at(0.99),
        times.last().copied().unwrap_or_default()
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing: run only when
    // asked to measure.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(db) = reuters_store() else { return };
    let clients = env_number("ANNALIST_LOAD_CLIENTS", 50) as usize;
    let seconds = env_number("ANNALIST_LOAD_SECONDS", 20);
    let config = annalist_server::Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..annalist_server::Config::new(db.clone())
    };
    let addr = annalist_server::spawn(config).expect("the server starts");
    let counts = Store::open_read_only(&db).expect("opens").counts().expect("counts");
    eprintln!(
        "{}: {} articles, {} events; {clients} clients for {seconds} s",
        db.display(),
        counts.articles,
        counts.events
    );
    const ACTORS: [&str; 8] = ["USA", "JPN", "GBR", "USAGOV", "FRA", "DEU", "CHN", "---BUS"];
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, usize, Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|client| {
                scope.spawn(move || {
                    let mut http = Client { addr, stream: None };
                    let (mut events, mut event_errors, mut series, mut series_errors) = (Vec::new(), 0, Vec::new(), 0);
                    let mut round = client;
                    while Instant::now() < deadline {
                        let actor = ACTORS[round % ACTORS.len()];
                        let offset = (round % 10) * 50;
                        let (status, time) = http.get(&format!("/api/events?actor={actor}&limit=50&offset={offset}"));
                        events.push(time);
                        event_errors += usize::from(status != 200);
                        let (status, time) = http.get("/api/series?dyad=USA-JPN&interval=week");
                        series.push(time);
                        series_errors += usize::from(status != 200);
                        round += clients;
                    }
                    (events, event_errors, series, series_errors)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a client")).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let (mut events, mut event_errors, mut series, mut series_errors) = (Vec::new(), 0, Vec::new(), 0);
    for (e, ee, s, se) in results {
        events.extend(e);
        event_errors += ee;
        series.extend(s);
        series_errors += se;
    }
    report("GET /api/events?actor=..&limit=50&offset=..", events, event_errors, elapsed);
    report("GET /api/series?dyad=USA-JPN&interval=week", series, series_errors, elapsed);
}
