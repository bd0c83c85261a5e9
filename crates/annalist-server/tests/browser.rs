//! The dashboard in a headless Chromium, driven through chromedriver's WebDriver protocol:
//! every page loads, a filter applies, an event leads to its article with the sentence
//! highlighted, and no page requests anything outside the server or logs a script error.
//! Screenshots go to `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says so and passes, except under CI (`CI` set), where it fails.

mod common;

use common::{fixture_store, request, start};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Browser {
    driver: SocketAddr,
    session: String,
    child: Child,
    base: String,
}

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file()))
}

impl Browser {
    fn start(base: String) -> Option<Browser> {
        let driver =
            std::env::var_os("ANNALIST_CHROMEDRIVER").map(PathBuf::from).or_else(|| find(&["chromedriver"]))?;
        let chromium = find(&["chromium", "chromium-browser", "google-chrome"])?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-component-update"]
            }
        }}});
        let mut browser = Browser { driver: addr, session: String::new(), child, base };
        let created = browser.call("POST", "/session", capabilities);
        browser.session = created["sessionId"].as_str().expect("a session").to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let headers = [("Content-Type", "application/json")];
        let reply = request(self.driver, method, path, &headers, body.as_bytes());
        let value = reply.json()["value"].clone();
        assert!(reply.status == 200, "WebDriver {method} {path}: {value}");
        value
    }

    fn session(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn script(&self, code: &str) -> Value {
        self.session("POST", "/execute/sync", json!({"script": code, "args": []}))
    }

    /// Waits until the dashboard has drawn `page` (app.js sets `data-ready`).
    fn wait_for(&self, page: &str) {
        let started = Instant::now();
        while self.script("return document.body.dataset.ready") != json!(page) {
            assert!(started.elapsed() < Duration::from_secs(30), "page {page} never finished drawing");
            std::thread::sleep(Duration::from_millis(100));
        }
        let error = self.script("const e = document.querySelector('.error'); return e ? e.textContent : null");
        assert!(error.is_null(), "page {page} shows an error: {error}");
    }

    fn open(&self, hash: &str, page: &str) {
        self.session("POST", "/url", json!({"url": format!("{}/{hash}", self.base)}));
        self.wait_for(page);
    }

    /// No script error, no CSP violation, nothing loaded from outside the server.
    fn check_clean(&self, page: &str) {
        let problems = self.script("return window.__problems");
        assert_eq!(problems, json!([]), "page {page}");
        let outside = self.script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))",
        );
        assert_eq!(outside, json!([]), "page {page} requested from outside");
        assert!(self.script("return window.__pwned").is_null(), "page {page} ran article markup");
    }

    fn count(&self, selector: &str) -> u64 {
        self.script(&format!("return document.querySelectorAll({selector:?}).length")).as_u64().unwrap_or(0)
    }

    fn screenshot(&self, name: &str) {
        let data = self.session("GET", "/screenshot", Value::Null);
        let png = base64_decode(data.as_str().expect("base64"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("writes");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(self.driver, "DELETE", &format!("/session/{}", self.session), &[], b"");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | u32::from(d) << (18 - 6 * i));
        out.extend(n.to_be_bytes()[1..chunk.len()].iter().copied());
    }
    out
}

#[test]
fn every_page_loads_offline_and_leads_from_events_to_sentences() {
    let addr = start(fixture_store("browser"), None);
    let Some(browser) = Browser::start(format!("http://{addr}")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs chromium and chromium-driver (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipping: chromedriver or chromium not found");
        return;
    };

    browser.open("#/", "overview");
    assert!(browser.count(".card") >= 4);
    assert!(browser.count("svg.chart rect") >= 1);
    browser.check_clean("overview");
    browser.screenshot("overview");

    // A filter from the form: every row is then an event of a Russian actor.
    browser.open("#/events", "events");
    browser.script("document.querySelector('#filters input[name=actor]').value = 'RUS'; document.getElementById('filters').requestSubmit()");
    browser.wait_for("events");
    assert!(browser.script("return location.hash").as_str().is_some_and(|h| h.contains("actor=RUS")));
    let actors = browser.script("return [...document.querySelectorAll('table.events tr.link')].map(r => r.cells[2].textContent + ' ' + r.cells[4].textContent)");
    let actors = actors.as_array().expect("rows").clone();
    assert!(!actors.is_empty() && actors.iter().all(|a| a.as_str().is_some_and(|a| a.contains("RUS"))), "{actors:?}");
    browser.check_clean("events");
    browser.screenshot("events");

    // The first event, then the article behind its first report, the event's words marked.
    browser.script("document.querySelector('table.events tr.link').click()");
    browser.wait_for("event");
    assert!(browser.count(".mention mark") >= 1);
    browser.check_clean("event");
    browser.script("document.querySelector('.article-link').click()");
    browser.wait_for("article");
    assert!(browser.count("#article-text .verb") >= 1);
    assert!(browser.count("#article-text .focus") >= 1, "the event followed is not highlighted");
    browser.check_clean("article");
    browser.screenshot("article");

    // Article text that looks like markup stays text.
    browser.open("#/article/markup", "article");
    let shown = browser.script("return document.getElementById('article-text').textContent");
    assert!(shown.as_str().is_some_and(|t| t.contains("<img src=x onerror=")), "{shown}");
    assert_eq!(browser.count("#article-text img, #article-text b"), 0);
    browser.check_clean("markup article");

    browser.open("#/dyad/RUSGOV-SYRGOV", "dyad");
    assert!(browser.count("svg.chart") >= 4);
    assert!(browser.count("svg.chart rect") >= 1);
    browser.check_clean("dyad");
    browser.screenshot("dyad");

    browser.open("#/map", "map");
    assert!(browser.count("svg.map path.land") > 100);
    assert!(browser.count("svg.map circle") >= 1);
    browser.script("document.getElementById('zoom-in').click()");
    browser.check_clean("map");
    browser.screenshot("map");
    browser.script("document.querySelector('svg.map circle').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
    browser.wait_for("event");

    browser.open("#/network", "network");
    assert!(browser.count("svg.network circle") >= 2);
    browser.check_clean("network");
    browser.screenshot("network");

    browser.open("#/quotes?speaker=Putin", "quotes");
    assert!(browser.count("blockquote") >= 1);
    browser.check_clean("quotes");
    browser.screenshot("quotes");

    browser.open("#/search?q=Kremlin", "search");
    assert!(browser.count("table tr") >= 1);
    browser.check_clean("search");
}
