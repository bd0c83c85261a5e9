//! The JSON API's handlers. Parameters are read by hand so that every bad one (a date that is
//! no date, an unknown name, a limit out of range) gets 400 and a sentence saying why; values
//! reach SQL only as parameters (the store's queries).

use crate::App;
use annalist::Date;
use annalist_store::export::Format;
use annalist_store::query::{parse_dyad, parse_near, EventFilter, Interval};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// An error answer: its status and, as JSON, `{"error": reason}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }
}

impl From<annalist_store::Error> for ApiError {
    fn from(error: annalist_store::Error) -> ApiError {
        match error {
            annalist_store::Error::Invalid(message) => ApiError::bad(message),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

type Answer = Result<Json<Value>, ApiError>;
type Pairs = Query<Vec<(String, String)>>;

/// A request's query parameters, each taken once; what is left over is an error.
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn new(Query(pairs): Pairs) -> Params {
        Params { pairs }
    }

    fn take(&mut self, name: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(key, _)| key == name)?;
        let (_, value) = self.pairs.remove(at);
        Some(value).filter(|v| !v.trim().is_empty())
    }

    fn number(&mut self, name: &str, default: u64, max: u64) -> Result<u64, ApiError> {
        match self.take(name) {
            None => Ok(default),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::bad(format!("{name}={text:?}: a whole number from 0 to {max}"))),
            },
        }
    }

    fn date(&mut self, name: &str) -> Result<Option<Date>, ApiError> {
        match self.take(name) {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|error| ApiError::bad(format!("{name}={text:?}: not a date (YYYY-MM-DD): {error}"))),
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        match self.pairs.first() {
            None => Ok(()),
            Some((key, _)) => Err(ApiError::bad(format!("unknown parameter {key:?}"))),
        }
    }

    /// The event filters (everything but paging).
    fn filter(&mut self) -> Result<EventFilter, ApiError> {
        let (mut source, mut target) = (self.take("source"), self.take("target"));
        let reason = |name: &str, text: &str, error: annalist_store::Error| match error {
            annalist_store::Error::Invalid(why) => ApiError::bad(format!("{name}={text:?}: {why}")),
            other => ApiError::internal(other),
        };
        if let Some(dyad) = self.take("dyad") {
            let (s, t) = parse_dyad(&dyad).map_err(|e| reason("dyad", &dyad, e))?;
            (source, target) = (Some(s), Some(t));
        }
        let quad_class = match self.take("quad") {
            None => None,
            Some(text) => match text.trim().parse::<u8>() {
                Ok(q @ 1..=4) => Some(q),
                _ => return Err(ApiError::bad(format!("quad={text:?}: 1, 2, 3 or 4"))),
            },
        };
        let near = match self.take("near") {
            None => None,
            Some(text) => Some(parse_near(&text).map_err(|e| reason("near", &text, e))?),
        };
        let filter = EventFilter {
            actor: self.take("actor"),
            source,
            target,
            code: self.take("code"),
            quad_class,
            from: self.date("from")?,
            to: self.date("to")?,
            place: self.take("place"),
            near,
            article: self.take("article"),
            limit: None,
            offset: 0,
        };
        // The store checks ranges (latitude, distance) too; ask it now rather than mid-query.
        annalist_store::query::check(&filter)?;
        Ok(filter)
    }
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::assets::OPENAPI).into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or route (the API is described at /api/openapi.json)")
}

pub async fn stats(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    Params::new(query).finish()?;
    let counts = app.with_store(|store| Ok(store.counts()?)).await?;
    Ok(Json(json!(counts)))
}

pub async fn events(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let mut filter = params.filter()?;
    let limit = params.number("limit", 50, 1000)?;
    let offset = params.number("offset", 0, u32::MAX.into())?;
    params.finish()?;
    filter.limit = Some(limit);
    filter.offset = offset;
    app.with_store(move |store| {
        let (total, events) = store.events_page(&filter)?;
        Ok(Json(json!({ "total": total, "limit": limit, "offset": offset, "events": events })))
    })
    .await
}

pub async fn event(State(app): State<Arc<App>>, Path(id): Path<String>, query: Pairs) -> Answer {
    Params::new(query).finish()?;
    let id: i64 = id.parse().map_err(|_| ApiError::bad(format!("event id {id:?}: a whole number")))?;
    let detail = app.with_store(move |store| Ok(store.event(id)?)).await?;
    match detail {
        Some(detail) => Ok(Json(json!(detail))),
        None => Err(ApiError::new(StatusCode::NOT_FOUND, format!("no event {id}"))),
    }
}

pub async fn series(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let filter = params.filter()?;
    let interval: Interval = params.take("interval").as_deref().unwrap_or("week").parse()?;
    params.finish()?;
    let points = app.with_store(move |store| Ok(store.series(&filter, interval)?)).await?;
    Ok(Json(json!(points)))
}

pub async fn actors(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let filter = params.filter()?;
    let limit = params.number("limit", 20, 1000)?;
    params.finish()?;
    let actors = app.with_store(move |store| Ok(store.top_actors(&filter, limit)?)).await?;
    Ok(Json(json!(actors)))
}

pub async fn dyads(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let filter = params.filter()?;
    let limit = params.number("limit", 20, 1000)?;
    params.finish()?;
    let dyads = app.with_store(move |store| Ok(store.top_dyads(&filter, limit)?)).await?;
    Ok(Json(json!(dyads)))
}

pub async fn quotes(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let (text, speaker) = (params.take("text"), params.take("speaker"));
    let limit = params.number("limit", 100, 1000)?;
    params.finish()?;
    let quotes = app.with_store(move |store| Ok(store.quotes(text.as_deref(), speaker.as_deref(), limit)?)).await?;
    Ok(Json(json!(quotes)))
}

pub async fn article(State(app): State<Arc<App>>, Path(id): Path<String>, query: Pairs) -> Answer {
    Params::new(query).finish()?;
    let key = id.clone();
    match app.with_store(move |store| Ok(store.article(&key)?)).await? {
        Some(view) => Ok(Json(json!(view))),
        None => Err(ApiError::new(StatusCode::NOT_FOUND, format!("no article {id:?}"))),
    }
}

pub async fn search(State(app): State<Arc<App>>, query: Pairs) -> Answer {
    let mut params = Params::new(query);
    let words = params.take("q").ok_or_else(|| ApiError::bad("q: the words to search for"))?;
    let limit = params.number("limit", 20, 200)?;
    params.finish()?;
    let hits = app.with_store(move |store| Ok(store.search_articles(&words, limit)?)).await?;
    Ok(Json(json!(hits)))
}

fn download(content_type: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

pub async fn export_csv(State(app): State<Arc<App>>, query: Pairs) -> Result<Response, ApiError> {
    let mut params = Params::new(query);
    let filter = params.filter()?;
    params.finish()?;
    let body = app
        .with_store(move |store| {
            let mut out = Vec::new();
            store.export(&filter, Format::Csv, &mut out)?;
            Ok(out)
        })
        .await?;
    Ok(download("text/csv; charset=utf-8", "annalist-events.csv", body))
}

pub async fn export_parquet(State(app): State<Arc<App>>, query: Pairs) -> Result<Response, ApiError> {
    let mut params = Params::new(query);
    let filter = params.filter()?;
    params.finish()?;
    let body = app
        .with_store(move |store| {
            let mut out = Vec::new();
            store.export_parquet_file(&filter, &mut out)?;
            Ok(out)
        })
        .await?;
    Ok(download("application/vnd.apache.parquet", "annalist-events.parquet", body))
}

/// `POST /api/code`: codes the posted article (`{"id", "date", "text", ...}`, as a JSON Lines
/// record) and answers its coded record, storing nothing.
pub async fn code(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Answer {
    let Some(token) = &app.config.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only: start it with --token to allow POST",
        ));
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if given != Some(token.as_str()) {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "POST needs the header Authorization: Bearer TOKEN"));
    }
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::bad("the body is not UTF-8"))?;
    let read = annalist::article::read_json_line(text, &annalist::Location::file("request"))
        .map_err(|diagnostic| ApiError::bad(diagnostic.message))?;
    let app = Arc::clone(&app);
    tokio::task::spawn_blocking(move || {
        let pipeline = app.pipeline.get_or_init(|| annalist::pipeline::Pipeline::shipped().map_err(|e| e.to_string()));
        let pipeline = pipeline.as_ref().map_err(ApiError::internal)?;
        let mut coded = pipeline.code(&read.article);
        let mut diagnostics = read.diagnostics;
        diagnostics.append(&mut coded.diagnostics);
        coded.diagnostics = diagnostics;
        Ok(Json(json!(coded)))
    })
    .await
    .map_err(|_| ApiError::internal("the coding thread stopped"))?
}
