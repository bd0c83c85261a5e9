//! `annalist serve`: a JSON API over a store, described by `/api/openapi.json`, and the
//! dashboard that reads it, every asset embedded. The only crate that knows HTTP.
//!
//! Safe by default: it listens on loopback, is read-only unless given a token (then `POST
//! /api/code` takes `Authorization: Bearer TOKEN`), limits request bodies and handling time,
//! forbids every external source by Content-Security-Policy, and answers a bad parameter with 400
//! and its reason. The store is opened read-only, so an ingest can write while it serves.

mod api;
mod assets;

use annalist_store::Store;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Required as `Authorization: Bearer TOKEN` by `POST` routes; without one they are refused.
    pub token: Option<String>,
    /// The largest request body (an article posted to `/api/code`).
    pub max_body: usize,
    /// How long a request may take before it is answered 503.
    pub timeout: Duration,
}

impl Config {
    pub fn new(db: PathBuf) -> Config {
        Config {
            db,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body: 1 << 20,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What every handler shares: read-only connections to the store, reused, and the pipeline for
/// `POST /api/code`, loaded on first use.
pub(crate) struct App {
    config: Config,
    connections: Mutex<Vec<Store>>,
    pipeline: OnceLock<Result<annalist::pipeline::Pipeline, String>>,
}

impl App {
    /// Runs `query` on a connection of the pool, on a blocking thread (SQLite calls block).
    pub(crate) async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        query: impl FnOnce(&Store) -> Result<T, api::ApiError> + Send + 'static,
    ) -> Result<T, api::ApiError> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = app.connections.lock().map(|mut pool| pool.pop()).unwrap_or(None);
            let store = match pooled {
                Some(store) => store,
                None => Store::open_read_only(&app.config.db).map_err(api::ApiError::internal)?,
            };
            let result = query(&store);
            if let Ok(mut pool) = app.connections.lock() {
                pool.push(store);
            }
            result
        })
        .await
        .map_err(|_| api::ApiError::internal("the query thread stopped"))?
    }
}

/// The router: the API under `/api`, the dashboard at `/` and `/assets`.
pub fn router(config: Config) -> Router {
    let timeout = config.timeout;
    let max_body = config.max_body;
    let app = Arc::new(App { config, connections: Mutex::new(Vec::new()), pipeline: OnceLock::new() });
    Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/stats", get(api::stats))
        .route("/api/events", get(api::events))
        .route("/api/events/{id}", get(api::event))
        .route("/api/series", get(api::series))
        .route("/api/actors", get(api::actors))
        .route("/api/dyads", get(api::dyads))
        .route("/api/quotes", get(api::quotes))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/search", get(api::search))
        .route("/api/export.csv", get(api::export_csv))
        .route("/api/export.parquet", get(api::export_parquet))
        .route("/api/code", post(api::code))
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(timeout, limit_time))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// Answers 503 for a request that takes longer than the limit.
async fn limit_time(State(timeout): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => api::ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the request took too long").into_response(),
    }
}

/// Every page may load only from this server: no CDN, no tiles, no fonts from elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Serves until interrupted (Ctrl-C). Refuses a store that does not exist, since a read-only
/// server cannot make one.
pub fn serve(config: Config) -> std::io::Result<()> {
    if !config.db.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{}: no such store (make one with `annalist ingest --db {} FILE...`)",
                config.db.display(),
                config.db.display()
            ),
        ));
    }
    Store::open_read_only(&config.db).map_err(|e| std::io::Error::other(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() {
            eprintln!("annalist: warning: listening on {addr}, reachable from other machines");
        }
        eprintln!("annalist: serving {} on http://{addr}/ (Ctrl-C stops)", config.db.display());
        axum::serve(listener, router(config))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

/// Serves on a thread of its own until the process ends, for tests and benchmarks: binds
/// `config.addr` (port 0 takes a free one) and returns the address it listens on.
pub fn spawn(config: Config) -> std::io::Result<SocketAddr> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let ready = sender.clone();
        let started = tokio::runtime::Builder::new_multi_thread().enable_all().build().and_then(|runtime| {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(config.addr).await?;
                let _ = ready.send(listener.local_addr());
                axum::serve(listener, router(config)).await
            })
        });
        // Reaches the caller only when the server could not start.
        if let Err(error) = started {
            let _ = sender.send(Err(error));
        }
    });
    receiver.recv().map_err(|_| std::io::Error::other("the server thread stopped"))?
}
