//! `.txt`: one article per file.

use std::io::BufRead;

use super::{decode_lossy, InputFile, Item, Skipped, Warning};
use crate::record::Document;

/// Reads one article; yields a warning first if the bytes were not valid UTF-8.
pub(super) fn read(mut reader: Box<dyn BufRead>, file: &InputFile) -> Vec<Item> {
    let name = file.display_name();
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return vec![Item::Skipped(Skipped {
            location: name.clone(),
            doc_id: name,
            reason: format!("read error: {e}"),
        })];
    }
    let (text, lossy) = decode_lossy(bytes);
    let mut items = Vec::with_capacity(2);
    if lossy {
        items.push(Item::Warning(Warning {
            location: name.clone(),
            message: "invalid UTF-8, decoded with replacement characters".to_string(),
        }));
    }
    items.push(Item::Doc(Document {
        doc_id: name.clone(),
        location: name,
        source: file.default_source(),
        text,
        ..Document::default()
    }));
    items
}
