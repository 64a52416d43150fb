//! `.jsonl`: one JSON object per line.

use std::io::BufRead;

use serde_json::Value;

use super::{decode_lossy, Fields, Item, Skipped, Warning};

/// Streams the lines of a JSONL file as items; blank lines are not documents.
pub(super) fn read(
    mut reader: Box<dyn BufRead>,
    name: String,
    default_source: String,
) -> impl Iterator<Item = Item> {
    let mut line_no = 0usize;
    let mut pending: Vec<Item> = Vec::new();
    let mut done = false;
    std::iter::from_fn(move || loop {
        if let Some(item) = pending.pop() {
            return Some(item);
        }
        if done {
            return None;
        }
        let mut buf = Vec::new();
        line_no += 1;
        let location = format!("{name}:{line_no}");
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => {
                done = true;
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                done = true;
                return Some(Item::Skipped(Skipped {
                    location,
                    doc_id: String::new(),
                    reason: format!("read error: {e}"),
                }));
            }
        }
        let (line, lossy) = decode_lossy(buf);
        if line.trim().is_empty() {
            continue;
        }
        // Items are popped from the end: push the document first, the warning last.
        match parse_line(&line, &location, &default_source) {
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
    })
}

fn parse_line(
    line: &str,
    location: &str,
    default_source: &str,
) -> Result<crate::record::Document, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err(format!(
            "line is a JSON {}, not an object",
            kind_name(&value)
        ));
    };
    let field = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if key != "text" => Ok(Some(n.to_string())),
            Some(other) => Err(format!(
                "field `{key}` is a JSON {}, expected a string",
                kind_name(other)
            )),
        }
    };
    Fields {
        id: field("id")?,
        source: field("source")?,
        date: field("date")?,
        url: field("url")?,
        title: field("title")?,
        text: field("text")?,
    }
    .into_document(location, default_source)
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
