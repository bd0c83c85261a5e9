//! The store's tables, as a list of migrations. `PRAGMA user_version` holds how many have run; a
//! store made by an older annalist is brought up to date when opened, one made by a newer one is
//! refused rather than misread.

/// Each entry moves the schema from version `index` to `index + 1`. Never edit one that has
/// shipped: add another.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles, their events (`units`) and mentions, the merged events, quotes, entities,
    // failures, and full-text indexes over articles and quotes.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- An article as read. `key` is its id; `hash` covers everything coding depends on, so an
-- article ingested again with the same hash is skipped and one with another hash replaced.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL,
    date        TEXT,
    outlet      TEXT,
    title       TEXT,
    url         TEXT,
    text        TEXT NOT NULL,
    extra       TEXT NOT NULL,
    diagnostics TEXT NOT NULL
);
-- detail=none: no word positions. Searches are for articles holding all the words, and the
-- snippet is found again in the text; positions would double the index and its writing time.
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', detail=none);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;

-- An event as one article codes it (its first report and, in `mentions`, every report). `id` is
-- derived from the article's hash and the event's index, so it is the same whatever the order
-- of ingestion. `event` is the merged event it belongs to.
CREATE TABLE units (
    id             INTEGER PRIMARY KEY,
    article        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    event          INTEGER,
    source         TEXT NOT NULL,
    target         TEXT NOT NULL,
    code           TEXT NOT NULL,
    root_code      TEXT NOT NULL,
    base_code      TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    plover         TEXT,
    date           TEXT,
    day            INTEGER,
    date_precision TEXT NOT NULL,
    location       TEXT,
    country        TEXT,
    admin1         TEXT,
    lat            REAL,
    lon            REAL,
    geonameid      INTEGER,
    loc_precision  TEXT,
    loc_basis      TEXT,
    source_text    TEXT NOT NULL,
    target_text    TEXT NOT NULL,
    verb_text      TEXT NOT NULL,
    sentence       INTEGER NOT NULL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    confidence     REAL NOT NULL,
    rule           TEXT NOT NULL,
    json           TEXT NOT NULL
);
CREATE INDEX units_group ON units(source, target, base_code, day);
CREATE INDEX units_event ON units(event);
CREATE INDEX units_article ON units(article);

CREATE TABLE mentions (
    unit       INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    article    INTEGER NOT NULL,
    sentence   INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    verb_text  TEXT NOT NULL
);
CREATE INDEX mentions_unit ON mentions(unit);

-- One real-world event: the units merged by `merge.rs`, with the fields of its anchor (its
-- earliest report) and GDELT's counts. Rebuilt from the units whenever they change.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,
    target         TEXT NOT NULL,
    code           TEXT NOT NULL,
    root_code      TEXT NOT NULL,
    base_code      TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    plover         TEXT,
    date           TEXT,
    day            INTEGER,
    date_precision TEXT NOT NULL,
    location       TEXT,
    country        TEXT,
    admin1         TEXT,
    lat            REAL,
    lon            REAL,
    geonameid      INTEGER,
    loc_precision  TEXT,
    loc_basis      TEXT,
    confidence     REAL NOT NULL,
    num_mentions   INTEGER NOT NULL,
    num_sources    INTEGER NOT NULL,
    num_articles   INTEGER NOT NULL,
    anchor         INTEGER NOT NULL
);
CREATE INDEX events_day ON events(day);
CREATE INDEX events_source ON events(source, day);
CREATE INDEX events_target ON events(target, day);
CREATE INDEX events_dyad ON events(source, target, day);
CREATE INDEX events_code ON events(code, day);
CREATE INDEX events_place ON events(lat, lon);

CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    article       INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    cue           TEXT NOT NULL,
    speaker       TEXT,
    speaker_actor TEXT
);
CREATE INDEX quotes_article ON quotes(article);

CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker, content='quotes', content_rowid='id', detail=none);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) VALUES ('delete', old.id, old.text, old.speaker);
END;

CREATE TABLE entities (
    article    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    actor      TEXT,
    place      TEXT,
    country    TEXT,
    lat        REAL,
    lon        REAL,
    geonameid  INTEGER
);
CREATE INDEX entities_article ON entities(article);

-- What could not be read or coded, with its diagnostic; ingesting the same input again adds
-- nothing here either.
CREATE TABLE failures (
    location TEXT NOT NULL,
    code     TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (location, code, message)
) WITHOUT ROWID;
"#,
    // 2: what the article view highlights besides events: each quotation's full record (cue
    // and speaker spans) and the article's times and amounts. Actor indexes that cover what
    // series and counts read (the other actor, quad class, Goldstein), so that a dyad's weekly
    // series over a million events reads no table rows; a date index that holds the actors and
    // codes, so that reading a frequent actor's events in date order skips the others unread.
    r#"
ALTER TABLE quotes ADD COLUMN json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE articles ADD COLUMN annotations TEXT NOT NULL DEFAULT '{}';
DROP INDEX events_source;
DROP INDEX events_target;
DROP INDEX events_dyad;
CREATE INDEX events_source ON events(source, day, target, quad_class, goldstein);
CREATE INDEX events_target ON events(target, day, source, quad_class, goldstein);
DROP INDEX events_day;
CREATE INDEX events_day ON events(day, source, target, code, quad_class);
"#,
];
