//! The embedded store: coded articles in one SQLite file (WAL), events merged across articles,
//! queries and exports. This is the only crate that speaks SQL; the `annalist` library stays
//! free of I/O, and the command and the server call this API.
//!
//! ```no_run
//! use annalist_store::{Store, query::EventFilter};
//! let store = Store::open("annalist.db".as_ref()).expect("the store opens");
//! let filter = EventFilter { actor: Some("RUS".into()), ..EventFilter::default() };
//! for event in store.events(&filter).expect("the query runs") {
//!     println!("{} {} {} {}", event.date.unwrap_or_default(), event.source, event.code, event.target);
//! }
//! ```

pub mod eval;
pub mod export;
mod merge;
pub mod query;
mod schema;
mod write;

pub use write::{content_hash, fingerprint, Ingested, WriteStats};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fmt;
use std::path::Path;

/// What went wrong in the store: the SQL error, or a store this build cannot use.
#[derive(Debug)]
pub enum Error {
    Sql(rusqlite::Error),
    /// A store written by a newer annalist (its schema version), or a bad argument.
    Invalid(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sql(error) => write!(f, "store: {error}"),
            Error::Invalid(message) => write!(f, "store: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sql(error) => Some(error),
            Error::Invalid(_) => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        Error::Sql(error)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Reports of one event more than this many days after its first report are another event.
pub const DEFAULT_WINDOW_DAYS: u32 = 1;

/// How long a reader or the writer waits for the other before giving up. WAL lets readers go on
/// while the writer writes, so this only matters around checkpoints.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How much of the file a connection maps into memory.
const MMAP_BYTES: i64 = 1 << 30;

/// An open store.
pub struct Store {
    conn: Connection,
    /// The merge window in days, as recorded in the store.
    window: i64,
}

/// How many rows of each kind a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub articles: u64,
    pub events: u64,
    /// Events as articles code them, before merging.
    pub article_events: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub entities: u64,
    pub failures: u64,
}

impl Store {
    /// Opens the store at `path`, creating it and bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::setup(Connection::open(path)?)
    }

    /// A store in memory, for tests and one-off coding.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    /// Opens an existing store for reading only (the server, queries during an ingest).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Readers map the file rather than copy each page out of the kernel's cache (a server
        // answering many small queries spends its time there otherwise), and keep 16 MiB of
        // pages of their own.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
        conn.pragma_update(None, "cache_size", -16384)?;
        let version: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version != schema::MIGRATIONS.len() {
            return Err(Error::Invalid(format!(
                "{} has schema version {version}, this annalist reads version {} (open it for writing once to upgrade)",
                path.display(),
                schema::MIGRATIONS.len()
            )));
        }
        let window = read_window(&conn)?;
        Ok(Store { conn, window })
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers never block the writer nor see a half-written batch; NORMAL
        // synchronisation loses nothing when the process dies (only a power cut can lose the
        // last transactions, never corrupt the file).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // 64 MiB of page cache (the default is 2): the indexes an ingest updates stay in memory.
        conn.pragma_update(None, "cache_size", -65536)?;
        let version: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > schema::MIGRATIONS.len() {
            return Err(Error::Invalid(format!(
                "schema version {version} is newer than this annalist's ({}); use a newer annalist",
                schema::MIGRATIONS.len()
            )));
        }
        for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        let window = match read_window(&conn) {
            Ok(window) => window,
            Err(_) => DEFAULT_WINDOW_DAYS as i64,
        };
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('merge_window_days', ?1)", [window.to_string()])?;
        Ok(Store { conn, window })
    }

    /// The merge window in days.
    pub fn window(&self) -> u32 {
        self.window as u32
    }

    /// Sets the merge window, re-merging every event when it changes (merging depends on it, and
    /// a store must not hold events merged under two windows). Returns whether it changed.
    pub fn set_window(&mut self, days: u32) -> Result<bool> {
        if i64::from(days) == self.window {
            return Ok(false);
        }
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'merge_window_days'", [days.to_string()])?;
        tx.execute("DELETE FROM events", [])?;
        write::remerge_all(&tx, i64::from(days))?;
        tx.commit()?;
        self.window = i64::from(days);
        Ok(true)
    }

    /// The hash the article with this id was stored with, if it is stored.
    pub fn stored_hash(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT hash FROM articles WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?)
    }

    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            Ok(self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            articles: count("articles")?,
            events: count("events")?,
            article_events: count("units")?,
            mentions: count("mentions")?,
            quotes: count("quotes")?,
            entities: count("entities")?,
            failures: count("failures")?,
        })
    }

    /// Folds the write-ahead log into the main file (done at the end of an ingest, so that the
    /// store is one file again).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Gathers the statistics SQLite's query planner chooses indexes by (`ANALYZE`). An ingest
    /// ends with the cheaper `PRAGMA optimize`, which does this where the tables changed much.
    pub fn analyze(&self) -> Result<()> {
        self.conn.execute_batch("ANALYZE")?;
        Ok(())
    }

    /// `PRAGMA optimize`: statistics refreshed where they have gone stale.
    pub fn optimize(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(())
    }

    /// The connection, for the query and export modules.
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

fn read_window(conn: &Connection) -> Result<i64> {
    let value: String =
        conn.query_row("SELECT value FROM meta WHERE key = 'merge_window_days'", [], |row| row.get(0))?;
    value.parse().map_err(|_| Error::Invalid(format!("bad merge window {value:?} in the store")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_store_is_upgraded_with_its_rows() {
        let conn = Connection::open_in_memory().expect("opens");
        conn.execute_batch(schema::MIGRATIONS[0]).expect("version 1");
        conn.pragma_update(None, "user_version", 1).expect("marks it");
        conn.execute(
            "INSERT INTO articles(key, hash, text, extra, diagnostics) VALUES ('a', 'h', 'Text.', '{}', '[]')",
            [],
        )
        .expect("an article");
        let store = Store::setup(conn).expect("upgrades");
        let version: usize = store.conn.query_row("PRAGMA user_version", [], |row| row.get(0)).expect("reads");
        assert_eq!(version, schema::MIGRATIONS.len());
        let view = store.article("a").expect("reads").expect("the article");
        assert_eq!((view.text.as_str(), view.times.clone()), ("Text.", serde_json::Value::Null));
        assert_eq!(store.window(), DEFAULT_WINDOW_DAYS);
    }
}
