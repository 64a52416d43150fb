//! The discourse network: actor–actor agreement and conflict (network.csv, network.graphml).
//!
//! # Definition
//!
//! Following Discourse Network Analysis (Leifeld) with the single concept of this tool
//! (recognition of Russia's control over the occupied territories), an *actor* is a
//! speaker other than `author` and `anonymous source` whose camp is not `media`, and only
//! the actor's `favor` and `against` statements count (`neutral` and `unrelated` state no
//! position). With `f(A)` and `a(A)` the numbers of A's favor and against statements:
//!
//! - an `favor` edge A–B has weight `min(f(A), f(B))`; an `against` edge
//!   `min(a(A), a(B))`: the number of statements of the two that can be paired one to one
//!   with a statement of the same stance by the other. Two actors who each said it once are
//!   linked with weight 1; a prolific actor does not outweigh a rare one.
//! - a `conflict` edge has weight `min(f(A), a(B)) + min(a(A), f(B))`: the same pairing
//!   across opposite stances.
//!
//! `documents` counts the documents in which both actors made a statement of the paired
//! stances (for `conflict`: A favor and B against, or the other way round): how often the
//! two stand side by side in the same article. Edges of weight 0 are not written; edges are
//! undirected, with `source_actor` < `target_actor` by name.
//!
//! The edges are computed per source (the outlet), and for `ALL` sources together; the
//! GraphML file holds the `ALL` network.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::aggregate::{ActorTally, SpeakerTally, Tally, ALL};
use super::tables::encode_error;
use super::CompareError;

/// The header of network.csv.
pub const NETWORK_HEADER: [&str; 6] = [
    "source",
    "source_actor",
    "target_actor",
    "agreement",
    "weight",
    "documents",
];

/// The kind of tie between two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Agreement {
    /// Both favor.
    Favor,
    /// Both against.
    Against,
    /// One favor, the other against.
    Conflict,
}

impl Agreement {
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Favor => "favor",
            Agreement::Against => "against",
            Agreement::Conflict => "conflict",
        }
    }
}

/// One undirected edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edge<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub agreement: Agreement,
    pub weight: u64,
    pub documents: u64,
}

/// One row of network.csv.
#[derive(Debug, Serialize)]
struct EdgeRow<'a> {
    source: &'a str,
    source_actor: &'a str,
    target_actor: &'a str,
    agreement: &'a str,
    weight: u64,
    documents: u64,
}

/// Documents in both maps.
fn shared<'a>(
    x: &'a BTreeMap<u32, u64>,
    y: &'a BTreeMap<u32, u64>,
) -> impl Iterator<Item = u32> + 'a {
    let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    small.keys().copied().filter(move |d| large.contains_key(d))
}

/// The edges among `actors`, sorted by actor names, then favor, against, conflict.
pub(crate) fn edges(actors: &BTreeMap<String, ActorTally>) -> Vec<Edge<'_>> {
    let list: Vec<(&str, &ActorTally, u64, u64)> = actors
        .iter()
        .map(|(n, t)| (n.as_str(), t, t.favor_count(), t.against_count()))
        .filter(|(_, _, f, a)| f + a > 0)
        .collect();
    let mut out = Vec::new();
    for (i, &(a, ta, fa, aa)) in list.iter().enumerate() {
        for &(b, tb, fb, ab) in &list[i + 1..] {
            let favor = fa.min(fb);
            if favor > 0 {
                let documents = shared(&ta.favor, &tb.favor).count() as u64;
                out.push(Edge {
                    a,
                    b,
                    agreement: Agreement::Favor,
                    weight: favor,
                    documents,
                });
            }
            let against = aa.min(ab);
            if against > 0 {
                let documents = shared(&ta.against, &tb.against).count() as u64;
                out.push(Edge {
                    a,
                    b,
                    agreement: Agreement::Against,
                    weight: against,
                    documents,
                });
            }
            let conflict = fa.min(ab) + aa.min(fb);
            if conflict > 0 {
                let mut docs: Vec<u32> = shared(&ta.favor, &tb.against)
                    .chain(shared(&ta.against, &tb.favor))
                    .collect();
                docs.sort_unstable();
                docs.dedup();
                out.push(Edge {
                    a,
                    b,
                    agreement: Agreement::Conflict,
                    weight: conflict,
                    documents: docs.len() as u64,
                });
            }
        }
    }
    out
}

/// network.csv: the edges of each source, sources by name, then `ALL`.
pub(crate) fn network_csv(t: &Tally) -> Result<Vec<u8>, CompareError> {
    let err = encode_error("network.csv");
    let mut w = crate::output::csv_writer(Vec::new());
    w.write_record(NETWORK_HEADER).map_err(&err)?;
    let all = t.all_actors();
    let groups = t
        .actors
        .iter()
        .map(|(s, m)| (s.as_str(), m))
        .chain(std::iter::once((ALL, &all)));
    for (source, actors) in groups {
        for e in edges(actors) {
            w.serialize(EdgeRow {
                source,
                source_actor: e.a,
                target_actor: e.b,
                agreement: e.agreement.as_str(),
                weight: e.weight,
                documents: e.documents,
            })
            .map_err(&err)?;
        }
    }
    w.into_inner().map_err(|e| CompareError::Encode {
        file: "network.csv",
        source: e.into_error().into(),
    })
}

/// network.graphml: the `ALL` network as an undirected GraphML graph. Nodes are the actors
/// (id = name, with `label`, `camp`, `favor`, `against`); edges carry `agreement`, `weight`
/// and `documents`. Two actors can be joined by both an agreement and a conflict edge
/// (networkx then reads a MultiGraph).
pub(crate) fn network_graphml(t: &Tally) -> String {
    let actors = t.all_actors();
    let speakers: BTreeMap<String, SpeakerTally> = t.all_speakers();
    let mut s = String::new();
    s.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"camp\" for=\"node\" attr.name=\"camp\" attr.type=\"string\"/>\n",
        "  <key id=\"favor\" for=\"node\" attr.name=\"favor\" attr.type=\"int\"/>\n",
        "  <key id=\"against\" for=\"node\" attr.name=\"against\" attr.type=\"int\"/>\n",
        "  <key id=\"agreement\" for=\"edge\" attr.name=\"agreement\" attr.type=\"string\"/>\n",
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n",
        "  <key id=\"documents\" for=\"edge\" attr.name=\"documents\" attr.type=\"int\"/>\n",
        "  <graph id=\"stancemap\" edgedefault=\"undirected\">\n",
    ));
    for (name, tally) in &actors {
        let (f, a) = (tally.favor_count(), tally.against_count());
        if f + a == 0 {
            continue;
        }
        let camp = speakers
            .get(name)
            .map_or(super::aggregate::NONE, |s| s.camp());
        let name = xml_escape(name);
        let _ = writeln!(
            s,
            "    <node id=\"{name}\"><data key=\"label\">{name}</data><data key=\"camp\">{}</data>\
             <data key=\"favor\">{f}</data><data key=\"against\">{a}</data></node>",
            xml_escape(camp)
        );
    }
    for (i, e) in edges(&actors).iter().enumerate() {
        let _ = writeln!(
            s,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"agreement\">{}</data>\
             <data key=\"weight\">{}</data><data key=\"documents\">{}</data></edge>",
            xml_escape(e.a),
            xml_escape(e.b),
            e.agreement.as_str(),
            e.weight,
            e.documents
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(favor: &[(u32, u64)], against: &[(u32, u64)]) -> ActorTally {
        ActorTally {
            favor: favor.iter().copied().collect(),
            against: against.iter().copied().collect(),
        }
    }

    #[test]
    fn weights_follow_the_definition() {
        let mut actors = BTreeMap::new();
        // A: 3 favor (docs 1, 2), 1 against (doc 3). B: 1 favor (doc 1), 2 against (doc 3, 4).
        // C: only neutral statements never reach the actor table, so an empty tally is ignored.
        actors.insert("A".to_owned(), actor(&[(1, 2), (2, 1)], &[(3, 1)]));
        actors.insert("B".to_owned(), actor(&[(1, 1)], &[(3, 1), (4, 1)]));
        actors.insert("C".to_owned(), actor(&[], &[]));
        let got: Vec<_> = edges(&actors)
            .into_iter()
            .map(|e| (e.a, e.b, e.agreement.as_str(), e.weight, e.documents))
            .collect();
        assert_eq!(
            got,
            [
                // min(3, 1) = 1, both in doc 1.
                ("A", "B", "favor", 1, 1),
                // min(1, 2) = 1, both in doc 3.
                ("A", "B", "against", 1, 1),
                // min(3, 2) + min(1, 1) = 3; A favor & B against share no doc, A against &
                // B favor neither.
                ("A", "B", "conflict", 3, 0),
            ]
        );
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(
            xml_escape("A & \"B\" <c>\u{1}"),
            "A &amp; &quot;B&quot; &lt;c&gt;"
        );
    }
}
