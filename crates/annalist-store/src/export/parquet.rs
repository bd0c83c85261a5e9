//! Parquet files of events, one per day in Hive's `date=YYYY-MM-DD` layout. Written with the
//! parquet crate's column writers (arrow-rs without Arrow itself, which would triple the build):
//! one row group per file, Snappy-compressed.

use crate::query::{EventFilter, StoredEvent};
use crate::{Error, Result, Store};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::path::Path;
use std::sync::Arc;

/// How a column's values come out of an event; `None` is a null.
enum Getter {
    Int32(fn(&StoredEvent) -> Option<i32>),
    Int64(fn(&StoredEvent) -> Option<i64>),
    Double(fn(&StoredEvent) -> Option<f64>),
    Text(fn(&StoredEvent) -> Option<String>),
}

/// The date column, which only a single file has: in a partitioned folder the date is the
/// folder's name, and readers add it as a column.
const DATE: (&str, bool, Getter) = ("date", true, Getter::Text(|e| e.date.clone()));

/// The files' columns: name, whether it may be null, and its values.
const COLUMNS: &[(&str, bool, Getter)] = &[
    ("id", false, Getter::Int64(|e| Some(e.id))),
    ("date_precision", false, Getter::Text(|e| Some(e.date_precision.clone()))),
    ("source", false, Getter::Text(|e| Some(e.source.clone()))),
    ("target", false, Getter::Text(|e| Some(e.target.clone()))),
    ("code", false, Getter::Text(|e| Some(e.code.clone()))),
    ("root_code", false, Getter::Text(|e| Some(e.root_code.clone()))),
    ("base_code", false, Getter::Text(|e| Some(e.base_code.clone()))),
    ("quad_class", false, Getter::Int32(|e| Some(e.quad_class.into()))),
    ("goldstein", false, Getter::Double(|e| Some(e.goldstein))),
    ("plover", true, Getter::Text(|e| e.plover.clone())),
    ("num_mentions", false, Getter::Int64(|e| Some(e.num_mentions as i64))),
    ("num_sources", false, Getter::Int64(|e| Some(e.num_sources as i64))),
    ("num_articles", false, Getter::Int64(|e| Some(e.num_articles as i64))),
    ("location", true, Getter::Text(|e| e.location.as_ref().map(|p| p.name.clone()))),
    ("country", true, Getter::Text(|e| e.location.as_ref().and_then(|p| p.country.clone()))),
    ("admin1", true, Getter::Text(|e| e.location.as_ref().and_then(|p| p.admin1.clone()))),
    ("lat", true, Getter::Double(|e| e.location.as_ref().map(|p| p.lat))),
    ("lon", true, Getter::Double(|e| e.location.as_ref().map(|p| p.lon))),
    ("geonameid", true, Getter::Int64(|e| e.location.as_ref().map(|p| p.geonameid))),
    ("location_precision", true, Getter::Text(|e| e.location.as_ref().map(|p| p.precision.clone()))),
    ("location_basis", true, Getter::Text(|e| e.location.as_ref().map(|p| p.basis.clone()))),
    ("confidence", false, Getter::Double(|e| Some(e.confidence))),
    ("article", false, Getter::Text(|e| Some(e.article.clone()))),
    ("url", true, Getter::Text(|e| e.url.clone())),
    ("outlet", true, Getter::Text(|e| e.outlet.clone())),
    ("sentence", false, Getter::Int64(|e| Some(e.sentence as i64))),
    ("source_text", false, Getter::Text(|e| Some(e.source_text.clone()))),
    ("verb_text", false, Getter::Text(|e| Some(e.verb_text.clone()))),
    ("target_text", false, Getter::Text(|e| Some(e.target_text.clone()))),
];

fn columns(with_date: bool) -> impl Iterator<Item = &'static (&'static str, bool, Getter)> {
    with_date.then_some(&DATE).into_iter().chain(COLUMNS)
}

fn schema(with_date: bool) -> String {
    let fields: Vec<String> = columns(with_date)
        .map(|(name, nullable, getter)| {
            let repetition = if *nullable { "OPTIONAL" } else { "REQUIRED" };
            let (kind, annotation) = match getter {
                Getter::Int32(_) => ("INT32", ""),
                Getter::Int64(_) => ("INT64", ""),
                Getter::Double(_) => ("DOUBLE", ""),
                Getter::Text(_) => ("BYTE_ARRAY", " (UTF8)"),
            };
            format!("{repetition} {kind} {name}{annotation};")
        })
        .collect();
    format!("message event {{ {} }}", fields.join(" "))
}

fn parquet_error(error: parquet::errors::ParquetError) -> Error {
    Error::Invalid(format!("writing Parquet: {error}"))
}

/// The partition folder of a date (`2026-01-28`, or a month or year for a vaguer date: the
/// first 10 characters of its start).
fn partition(date: Option<&str>) -> String {
    match date.and_then(|d| d.get(..10)).filter(|d| d.len() == 10) {
        Some(day) => format!("date={day}"),
        None => "date=__HIVE_DEFAULT_PARTITION__".to_string(),
    }
}

type Schema = Arc<parquet::schema::types::Type>;

fn settings(with_date: bool) -> Result<(Schema, Arc<WriterProperties>)> {
    let schema = Arc::new(parse_message_type(&schema(with_date)).map_err(parquet_error)?);
    let properties = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
    Ok((schema, properties))
}

/// All the events matching `filter` in one Parquet file, with a `date` column (a download).
pub(super) fn export_file(store: &Store, filter: &EventFilter, out: impl std::io::Write + Send) -> Result<u64> {
    let (schema, properties) = settings(true)?;
    let mut rows = Vec::new();
    store.for_each_event(filter, &mut |event| {
        rows.push(event);
        Ok(())
    })?;
    write_file(out, schema, properties, &rows, true)?;
    Ok(rows.len() as u64)
}

pub(super) fn export(store: &Store, filter: &EventFilter, dir: &Path) -> Result<(u64, u64)> {
    let (schema, properties) = settings(false)?;
    let (mut events, mut files) = (0, 0);
    let mut current: Option<String> = None;
    let mut rows: Vec<StoredEvent> = Vec::new();
    let mut undated: Vec<StoredEvent> = Vec::new();
    let mut flush = |part: &str, rows: &mut Vec<StoredEvent>| -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let folder = dir.join(part);
        std::fs::create_dir_all(&folder).map_err(|e| Error::Invalid(format!("creating {}: {e}", folder.display())))?;
        let path = folder.join("part-0.parquet");
        let file = std::fs::File::create(&path).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        write_file(file, schema.clone(), properties.clone(), rows, false)?;
        events += rows.len() as u64;
        files += 1;
        rows.clear();
        Ok(())
    };
    store.for_each_event(filter, &mut |event| {
        let part = partition(event.date.as_deref());
        if part.ends_with("__") {
            undated.push(event);
            return Ok(());
        }
        if current.as_deref() != Some(part.as_str()) {
            if let Some(previous) = current.take() {
                flush(&previous, &mut rows)?;
            }
            current = Some(part);
        }
        rows.push(event);
        Ok(())
    })?;
    if let Some(previous) = current {
        flush(&previous, &mut rows)?;
    }
    flush(&partition(None), &mut undated)?;
    Ok((events, files))
}

fn write_file(
    out: impl std::io::Write + Send,
    schema: Schema,
    properties: Arc<WriterProperties>,
    rows: &[StoredEvent],
    with_date: bool,
) -> Result<()> {
    let mut writer = SerializedFileWriter::new(out, schema, properties).map_err(parquet_error)?;
    let mut group = writer.next_row_group().map_err(parquet_error)?;
    for (_, nullable, getter) in columns(with_date) {
        let Some(mut column) = group.next_column().map_err(parquet_error)? else { break };
        // Definition levels: 1 where a nullable column has a value, 0 for a null.
        fn split<T>(values: Vec<Option<T>>) -> (Vec<T>, Vec<i16>) {
            let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
            (values.into_iter().flatten().collect(), levels)
        }
        macro_rules! write {
            ($type:ty, $values:expr) => {{
                let (values, levels) = split($values);
                let levels = nullable.then_some(levels.as_slice());
                column.typed::<$type>().write_batch(&values, levels, None).map_err(parquet_error)?;
            }};
        }
        match getter {
            Getter::Int32(get) => write!(Int32Type, rows.iter().map(get).collect()),
            Getter::Int64(get) => write!(Int64Type, rows.iter().map(get).collect()),
            Getter::Double(get) => write!(DoubleType, rows.iter().map(get).collect()),
            Getter::Text(get) => {
                write!(ByteArrayType, rows.iter().map(|e| get(e).map(|s| ByteArray::from(s.into_bytes()))).collect())
            }
        }
        column.close().map_err(parquet_error)?;
    }
    group.close().map_err(parquet_error)?;
    writer.close().map_err(parquet_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_by_day() {
        assert_eq!(partition(Some("2026-01-28")), "date=2026-01-28");
        assert_eq!(partition(Some("2026-01")), "date=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(partition(None), "date=__HIVE_DEFAULT_PARTITION__");
    }

    #[test]
    fn the_schema_parses() {
        let partitioned = parse_message_type(&schema(false)).expect("a valid schema");
        assert_eq!(partitioned.get_fields().len(), COLUMNS.len());
        let single = parse_message_type(&schema(true)).expect("a valid schema");
        assert_eq!(single.get_fields().len(), COLUMNS.len() + 1);
    }
}
