//! `.csv`: a header row, then one article per row.

use std::io::BufRead;

use super::{decode_lossy, Fields, Item, Skipped, Warning};

/// Streams the rows of a CSV file as items. A row with the wrong number of fields is skipped
/// and reported with its line; a file without a `text` column is one skipped item.
pub(super) fn read(
    reader: Box<dyn BufRead>,
    name: String,
    default_source: String,
) -> Box<dyn Iterator<Item = Item>> {
    let mut rdr = crate::output::csv_reader_builder().from_reader(reader);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Box::new(std::iter::once(Item::Skipped(Skipped {
                location: format!("{name}:1"),
                doc_id: String::new(),
                reason: format!("cannot read CSV header: {e}"),
            })))
        }
    };
    let column = |key: &str| {
        headers
            .iter()
            .position(|h| h.trim_ascii() == key.as_bytes())
    };
    let Some(text_col) = column("text") else {
        return Box::new(std::iter::once(Item::Skipped(Skipped {
            location: format!("{name}:1"),
            doc_id: String::new(),
            reason: "CSV header has no `text` column; the whole file is skipped".to_string(),
        })));
    };
    let cols = [
        column("id"),
        column("source"),
        column("date"),
        column("url"),
        column("title"),
    ];
    let width = headers.len();
    let mut records = rdr.into_byte_records();
    let mut pending: Vec<Item> = Vec::new();
    Box::new(std::iter::from_fn(move || loop {
        if let Some(item) = pending.pop() {
            return Some(item);
        }
        let result = records.next()?;
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Some(Item::Skipped(Skipped {
                    location: format!("{name}:{line}"),
                    doc_id: String::new(),
                    reason: format!("malformed CSV row: {e}"),
                }));
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let location = format!("{name}:{line}");
        if record.len() != width {
            return Some(Item::Skipped(Skipped {
                location,
                doc_id: String::new(),
                reason: format!("row has {} fields, the header has {width}", record.len()),
            }));
        }
        let mut lossy = false;
        let mut get = |col: Option<usize>| {
            col.and_then(|c| record.get(c)).map(|b| {
                let (s, bad) = decode_lossy(b.to_vec());
                lossy |= bad;
                s
            })
        };
        let fields = Fields {
            id: get(cols[0]),
            source: get(cols[1]),
            date: get(cols[2]),
            url: get(cols[3]),
            title: get(cols[4]),
            text: get(Some(text_col)),
        };
        match fields.into_document(&location, &default_source) {
            Ok(doc) => pending.push(Item::Doc(doc)),
            Err(reason) => pending.push(Item::Skipped(Skipped {
                location: location.clone(),
                doc_id: String::new(),
                reason,
            })),
        }
        if lossy {
            pending.push(Item::Warning(Warning {
                location,
                message: "invalid UTF-8, decoded with replacement characters".to_string(),
            }));
        }
    }))
}
