//! The actor registry: who can speak, under which names, in which camp.
//!
//! A registry is a TOML file with `[[actor]]` entries (canonical name, kind,
//! camp, aliases, titles, roles, gender) and `[[demonym]]` entries (words such
//! as "Russian" or "Kremlin-backed" that give an unknown person's camp). The
//! built-in one, `models/actors.toml`, covers the actors of the war over
//! Crimea and the occupied territories; `--actors FILE` swaps in another.
//!
//! ```toml
//! [[actor]]
//! name = "Vladimir Putin"
//! kind = "person"
//! camp = "russia"
//! gender = "male"
//! aliases = ["Putin"]                          # names: matched on capitalised words
//! titles = ["Russian president", "Kremlin leader"] # descriptions that identify the actor
//! roles = ["president"]                        # "the president said" → last one named
//!
//! [[demonym]]
//! camp = "russia"
//! words = ["Russian", "Moscow-backed"]
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use super::tokens::{tokenize, Tok};
use crate::record::Camp;

/// An actor registry that could not be read or is invalid.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The registry file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or an entry is invalid.
    #[error("{origin}:{line}: {msg}")]
    Invalid {
        /// The registry file, or `<actors>` for a string.
        origin: String,
        /// 1-based line of the offending entry.
        line: usize,
        /// What is wrong.
        msg: String,
    },
}

impl RegistryError {
    /// Replaces the origin of an `Invalid` error with the file it came from.
    fn with_path(self, path: &Path) -> Self {
        match self {
            RegistryError::Invalid { line, msg, .. } => RegistryError::Invalid {
                origin: path.display().to_string(),
                line,
                msg,
            },
            other => other,
        }
    }
}

/// What kind of actor an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A named person ("Vladimir Putin").
    Person,
    /// A government, institution or group ("Kremlin", "European Union").
    Body,
    /// A news outlet or agency cited as a source ("Reuters").
    Outlet,
}

/// Grammatical gender of a person, for resolving "he" and "she".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Referred to as "he".
    Male,
    /// Referred to as "she".
    Female,
}

/// One actor of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Canonical name, written to the `speaker` column.
    pub name: String,
    /// Person, body or outlet.
    pub kind: ActorKind,
    /// The actor's camp.
    pub camp: Camp,
    /// For people: "he" or "she"; `None` when unknown.
    pub gender: Option<Gender>,
    /// Other names, matched only on capitalised words ("Putin", "Kyiv").
    pub aliases: Vec<String>,
    /// Descriptions that identify the actor, matched in any case ("Kremlin spokesman").
    pub titles: Vec<String>,
    /// Role nouns that refer back to the actor once named ("the president").
    pub roles: Vec<String>,
}

/// How a registry phrase matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// The canonical name or an alias.
    Name,
    /// A title: identifies the actor, ambiguous titles go to the last one named.
    Title,
    /// A role noun: only refers back to an actor already named.
    Role,
}

/// One registry phrase ending at a trie node.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// Index into `ActorRegistry::actors`.
    pub actor: usize,
    /// How the phrase names the actor.
    pub via: Via,
}

/// A registry phrase found in a token sequence.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// First token of the phrase (a leading "the" included).
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// Every actor the phrase may name, in registry order.
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    next: HashMap<String, usize>,
    hits: Vec<Hit>,
}

/// The actors a speaker may be, with the phrases that name them.
#[derive(Debug, Clone)]
pub struct ActorRegistry {
    actors: Vec<Actor>,
    demonyms: HashMap<String, Camp>,
    /// Phrase trie over normalised tokens; node 0 is the root.
    trie: Vec<Node>,
    by_name: HashMap<String, usize>,
}

impl Default for ActorRegistry {
    /// An empty registry: every speaker is found from the text alone.
    fn default() -> Self {
        ActorRegistry {
            actors: Vec::new(),
            demonyms: HashMap::new(),
            trie: vec![Node::default()],
            by_name: HashMap::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    #[serde(default)]
    actor: Vec<Spanned<EntryRepr>>,
    #[serde(default)]
    demonym: Vec<Spanned<DemonymRepr>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryRepr {
    name: String,
    kind: ActorKind,
    camp: Camp,
    #[serde(default)]
    gender: Option<Gender>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemonymRepr {
    camp: Camp,
    words: Vec<String>,
}

static BUILTIN: LazyLock<ActorRegistry> = LazyLock::new(|| {
    // The file ships inside the binary and a unit test parses it, so a failure
    // here is a build defect, not bad input.
    ActorRegistry::from_toml_str(include_str!("../../models/actors.toml"))
        .unwrap_or_else(|e| panic!("built-in models/actors.toml is invalid: {e}"))
});

/// 1-based line of byte offset `at` in `src`.
fn line_of(src: &str, at: usize) -> usize {
    src.as_bytes()[..at.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl ActorRegistry {
    /// The registry shipped with stancemap (`models/actors.toml`).
    pub fn builtin() -> Self {
        BUILTIN.clone()
    }

    /// Reads a registry file; errors name the file and line.
    pub fn load(path: &Path) -> Result<Self, RegistryError> {
        let src = std::fs::read_to_string(path).map_err(|source| RegistryError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml_str(&src).map_err(|e| e.with_path(path))
    }

    /// Parses a registry from TOML text; errors name `<actors>` and the line.
    pub fn from_toml_str(src: &str) -> Result<Self, RegistryError> {
        let invalid = |at: usize, msg: String| RegistryError::Invalid {
            origin: "<actors>".to_string(),
            line: line_of(src, at),
            msg,
        };
        let file: FileRepr = toml::from_str(src).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            invalid(at, e.message().to_string())
        })?;
        let mut reg = ActorRegistry::default();
        for entry in file.actor {
            let at = entry.span().start;
            let e = entry.into_inner();
            let name = e.name.trim().to_string();
            if name.is_empty() {
                return Err(invalid(at, "actor with an empty name".to_string()));
            }
            if reg.by_name.contains_key(&name) {
                return Err(invalid(at, format!("duplicate actor {name:?}")));
            }
            if e.gender.is_some() && e.kind != ActorKind::Person {
                return Err(invalid(at, format!("{name:?}: only a person has a gender")));
            }
            for phrase in e.aliases.iter().chain(&e.titles).chain(&e.roles) {
                if phrase_tokens(phrase).is_empty() {
                    return Err(invalid(at, format!("{name:?}: empty alias, title or role")));
                }
            }
            reg.by_name.insert(name.clone(), reg.actors.len());
            reg.actors.push(Actor {
                name,
                kind: e.kind,
                camp: e.camp,
                gender: e.gender,
                aliases: e.aliases,
                titles: e.titles,
                roles: e.roles,
            });
        }
        for d in file.demonym {
            let at = d.span().start;
            let d = d.into_inner();
            for w in d.words {
                let key = super::tokens::normalize(w.trim());
                if key.is_empty() {
                    return Err(invalid(at, "empty demonym".to_string()));
                }
                reg.demonyms.insert(key, d.camp);
            }
        }
        reg.build_trie();
        Ok(reg)
    }

    fn build_trie(&mut self) {
        let mut trie = vec![Node::default()];
        for (i, a) in self.actors.iter().enumerate() {
            let mut seen = HashSet::new();
            let phrases = std::iter::once((&a.name, Via::Name))
                .chain(a.aliases.iter().map(|s| (s, Via::Name)))
                .chain(a.titles.iter().map(|s| (s, Via::Title)))
                .chain(a.roles.iter().map(|s| (s, Via::Role)));
            for (phrase, via) in phrases {
                // "The Atlantic" keeps its article: "Atlantic" alone is an ocean.
                let toks = if a.kind == ActorKind::Outlet {
                    phrase_tokens_as_written(phrase)
                } else {
                    phrase_tokens(phrase)
                };
                if !seen.insert((toks.clone(), via as u8)) {
                    continue;
                }
                let mut node = 0;
                for t in toks {
                    node = match trie[node].next.get(&t) {
                        Some(&n) => n,
                        None => {
                            trie.push(Node::default());
                            let n = trie.len() - 1;
                            trie[node].next.insert(t, n);
                            n
                        }
                    };
                }
                trie[node].hits.push(Hit { actor: i, via });
            }
        }
        self.trie = trie;
    }

    /// All actors, in file order.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The actor with this canonical name.
    pub fn get(&self, name: &str) -> Option<&Actor> {
        self.by_name.get(name).map(|&i| &self.actors[i])
    }

    /// The camp a demonym ("Russian", "Kremlin-backed") stands for.
    pub fn demonym(&self, word: &str) -> Option<Camp> {
        self.demonyms.get(&super::tokens::normalize(word)).copied()
    }

    /// The actor at `i`.
    pub(crate) fn actor(&self, i: usize) -> &Actor {
        &self.actors[i]
    }

    /// The longest registry phrase starting at `toks[i]` (a leading "the" is
    /// skipped); names must start with a capitalised word.
    pub(crate) fn longest_at(&self, toks: &[Tok], i: usize) -> Option<Found> {
        let with_the = self.walk(toks, i, i);
        if toks[i].norm != "the" {
            return with_the;
        }
        match (with_the, self.walk(toks, i, i + 1)) {
            (Some(a), Some(b)) => Some(if a.last >= b.last { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    /// The longest phrase read from `toks[start..]`, reported as starting at `first`.
    fn walk(&self, toks: &[Tok], first: usize, start: usize) -> Option<Found> {
        let mut node = 0;
        let mut best: Option<Found> = None;
        for (j, t) in toks.iter().enumerate().skip(start) {
            let Some(&n) = self.trie[node].next.get(&t.norm) else {
                break;
            };
            node = n;
            let hits: Vec<Hit> = self.trie[n]
                .hits
                .iter()
                .copied()
                .filter(|h| h.via != Via::Name || toks.get(start).is_some_and(|t| t.cap))
                .collect();
            if !hits.is_empty() {
                best = Some(Found {
                    first,
                    last: j + 1,
                    hits,
                });
            }
        }
        best
    }
}

/// Normalised word tokens of a registry phrase, without a leading "the".
fn phrase_tokens(phrase: &str) -> Vec<String> {
    let mut toks = phrase_tokens_as_written(phrase);
    if toks.first().is_some_and(|t| t == "the") {
        toks.remove(0);
    }
    toks
}

/// Normalised word tokens of a registry phrase, as written.
fn phrase_tokens_as_written(phrase: &str) -> Vec<String> {
    tokenize(phrase.trim(), 0)
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_and_has_the_canonical_names() {
        let reg = ActorRegistry::builtin();
        for name in [
            "Vladimir Putin",
            "Kremlin",
            "Ukrainian government",
            "US administration",
            "European governments",
            "Coalition of the willing",
            "International community",
            "The Telegraph",
        ] {
            assert!(reg.get(name).is_some(), "{name}");
        }
        assert_eq!(reg.demonym("Russian"), Some(Camp::Russia));
    }

    #[test]
    fn errors_name_the_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("[[actor]]\nname = \"A\"\nkind = \"person\"\ncamp = \"mars\"\n", 4, "unknown variant"),
            (
                "[[actor]]\nname=\"A\"\nkind=\"body\"\ncamp=\"us\"\n\n[[actor]]\nname=\"A\"\nkind=\"body\"\ncamp=\"us\"\n",
                6,
                "duplicate actor",
            ),
            ("[[actor]]\nname = \"A\"\nkind = \"body\"\n", 1, "missing field `camp`"),
            ("[[actor]\n", 1, ""),
        ];
        for (src, line, msg) in cases {
            match ActorRegistry::from_toml_str(src) {
                Err(RegistryError::Invalid {
                    line: l, msg: m, ..
                }) => {
                    assert_eq!(l, *line, "{src}: {m}");
                    assert!(m.contains(msg), "{m}");
                }
                other => panic!("{src}: {other:?}"),
            }
        }
    }

    #[test]
    fn load_names_the_file() {
        let dir = std::env::temp_dir().join(format!("actors-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bad.toml");
        std::fs::write(
            &path,
            "[[actor]]\nname = \"A\"\nkind = \"robot\"\ncamp = \"us\"\n",
        )
        .expect("write");
        let err = ActorRegistry::load(&path).expect_err("invalid kind");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}:3: ", path.display())),
            "{text}"
        );
        let missing = ActorRegistry::load(&dir.join("none.toml")).expect_err("missing");
        assert!(missing.to_string().contains("none.toml"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn longest_match_prefers_longer_phrases() {
        let reg = ActorRegistry::from_toml_str(
            r#"
[[actor]]
name = "Andriy Yermak"
kind = "person"
camp = "ukraine"
titles = ["Zelensky's chief of staff"]
[[actor]]
name = "Volodymyr Zelensky"
kind = "person"
camp = "ukraine"
aliases = ["Zelensky"]
"#,
        )
        .expect("valid");
        let toks = tokenize("President Zelensky’s chief of staff said", 0);
        let f = reg.longest_at(&toks, 1).expect("match");
        assert_eq!((f.first, f.last), (1, 6));
        assert_eq!(reg.actor(f.hits[0].actor).name, "Andriy Yermak");
        // Names need a capital letter; titles do not.
        let toks = tokenize("zelensky said", 0);
        assert!(reg.longest_at(&toks, 0).is_none());
    }
}
