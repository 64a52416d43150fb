//! Who is who: resolved speakers, the mentions of a sentence, and the
//! discourse state that resolves titles, roles, pronouns and surnames to the
//! last compatible actor.

use super::registry::{ActorKind, ActorRegistry, Gender, Hit, Via};
use crate::record::Camp;

/// What sort of speaker a `Who` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhoKind {
    /// A named person.
    Person,
    /// A government, institution or group.
    Body,
    /// A news outlet.
    Outlet,
    /// Unnamed officials, sources, insiders.
    Anonymous,
}

/// A resolved speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Who {
    /// Canonical name.
    pub name: String,
    /// Camp.
    pub camp: Camp,
    /// Person, body, outlet or anonymous.
    pub kind: WhoKind,
    /// For people: he or she, when known.
    pub gender: Option<Gender>,
    /// Registry index, for registered actors.
    pub actor: Option<usize>,
}

impl Who {
    /// The registry actor at `i`.
    pub fn from_actor(reg: &ActorRegistry, i: usize) -> Self {
        let a = reg.actor(i);
        Who {
            name: a.name.clone(),
            camp: a.camp,
            kind: match a.kind {
                ActorKind::Person => WhoKind::Person,
                ActorKind::Body => WhoKind::Body,
                ActorKind::Outlet => WhoKind::Outlet,
            },
            gender: a.gender,
            actor: Some(i),
        }
    }

    /// The unnamed source.
    pub fn anonymous() -> Self {
        Who {
            name: "anonymous source".to_string(),
            camp: Camp::Unknown,
            kind: WhoKind::Anonymous,
            gender: None,
            actor: None,
        }
    }
}

/// How a mention refers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MentionKind {
    /// A registry name or alias, or a person the text introduced.
    Name,
    /// A registry title ("the Russian president").
    Title,
    /// A role noun that refers back ("the president").
    Role,
    /// he, she, they, it.
    Pronoun,
    /// officials, sources, a diplomat.
    Anonymous,
    /// A written proposal standing for its author ("the draft").
    Document,
}

/// An actor mentioned in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    /// First token (index into the sentence's tokens).
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// How it refers.
    pub kind: MentionKind,
    /// Whom it refers to, when resolved.
    pub who: Option<Who>,
    /// Followed by a possessive `'s` (or is a possessive pronoun).
    pub possessive: bool,
    /// Directly after a preposition ("in Kyiv").
    pub after_prep: bool,
    /// The phrase starts with a quantifier that makes it a whole ("most of the world").
    pub whole: bool,
}

/// One remembered mention.
#[derive(Debug, Clone)]
struct Seen {
    who: Who,
    sentence: usize,
}

/// How many remembered mentions to keep; older ones are rarely antecedents.
const MEMORY: usize = 64;

/// What the article has said so far.
#[derive(Debug, Default)]
pub(crate) struct Discourse {
    seen: Vec<Seen>,
    /// The last speaker other than the author, with its sentence.
    pub last_speaker: Option<(Who, usize)>,
    /// The last quotation's speaker, with its paragraph and sentence.
    pub last_quote: Option<(Who, usize, usize)>,
    /// The interviewee answering in the current paragraph ("Podolyak: …").
    pub interview: Option<(Who, usize)>,
    /// The last proposal or draft mentioned (its author, when known), with its sentence.
    pub last_document: Option<(Option<Who>, usize)>,
    /// The author of the last proposal or draft whose author is known, with its sentence.
    pub last_owner: Option<(Who, usize)>,
    /// People the text introduced that the registry does not know.
    pub(crate) introduced: Vec<Who>,
}

impl Discourse {
    /// Remembers a mention.
    pub fn note(&mut self, who: &Who, sentence: usize) {
        if who.kind == WhoKind::Anonymous {
            return;
        }
        self.seen.push(Seen {
            who: who.clone(),
            sentence,
        });
        if self.seen.len() > 2 * MEMORY {
            self.seen.drain(..MEMORY);
        }
    }

    /// Remembers a speaker.
    pub fn spoke(&mut self, who: &Who, sentence: usize) {
        self.last_speaker = Some((who.clone(), sentence));
    }

    /// Sentence of the last mention of registry actor `i`.
    fn last_seen(&self, i: usize) -> Option<usize> {
        self.seen
            .iter()
            .rev()
            .find(|s| s.who.actor == Some(i))
            .map(|s| s.sentence)
    }

    /// A title shared by several actors goes to the one named last, else the first listed.
    pub fn resolve_title(&self, reg: &ActorRegistry, hits: &[Hit], local: &[Who]) -> Option<Who> {
        let titled: Vec<usize> = hits
            .iter()
            .filter(|h| h.via != Via::Role)
            .map(|h| h.actor)
            .collect();
        let pick = |cands: &[usize]| -> Option<usize> {
            if let Some(w) = local
                .iter()
                .rev()
                .find(|w| w.actor.is_some_and(|a| cands.contains(&a)))
            {
                return w.actor;
            }
            cands
                .iter()
                .filter_map(|&a| self.last_seen(a).map(|s| (s, a)))
                .max_by_key(|&(s, _)| s)
                .map(|(_, a)| a)
        };
        if !titled.is_empty() {
            let a = pick(&titled).unwrap_or(titled[0]);
            return Some(Who::from_actor(reg, a));
        }
        // Role nouns only refer back; for bodies ("the ministry") the camp of
        // the actors named lately picks among them.
        let roles: Vec<usize> = hits.iter().map(|h| h.actor).collect();
        let bodies = roles.iter().all(|&a| reg.actor(a).kind == ActorKind::Body);
        if bodies {
            // "In Moscow, the Foreign Ministry said": the sentence's own place first.
            if let Some(a) = local
                .iter()
                .rev()
                .find_map(|w| roles.iter().copied().find(|&a| reg.actor(a).camp == w.camp))
            {
                return Some(Who::from_actor(reg, a));
            }
        }
        pick(&roles)
            .or_else(|| {
                bodies
                    .then(|| self.by_recent_camp(reg, &roles, local))
                    .flatten()
            })
            .map(|a| Who::from_actor(reg, a))
    }

    /// The candidate whose camp is that of the latest actor named in one of
    /// the candidates' camps.
    fn by_recent_camp(&self, reg: &ActorRegistry, cands: &[usize], local: &[Who]) -> Option<usize> {
        // "In Kyiv, the foreign ministry said": the sentence's own actors first.
        let in_sentence = local
            .iter()
            .rev()
            .find_map(|w| cands.iter().copied().find(|&a| reg.actor(a).camp == w.camp));
        if in_sentence.is_some() {
            return in_sentence;
        }
        // Only the latest actor's camp: "the Foreign Ministry" in a story about
        // Turkey is not Russia's.
        let last = self.seen.last()?;
        cands
            .iter()
            .copied()
            .find(|&a| reg.actor(a).camp == last.who.camp)
    }

    /// Remembers a person the text introduced (the latest few hundred).
    pub fn introduce(&mut self, who: Who) {
        if self.introduced.len() >= 4 * MEMORY {
            self.introduced.drain(..MEMORY);
        }
        self.introduced.push(who);
    }

    /// A surname (or full name) of a person the text introduced.
    pub fn introduced(&self, norm_tokens: &[&str]) -> Option<Who> {
        let joined = norm_tokens.join(" ");
        self.introduced
            .iter()
            .rev()
            .find(|w| {
                let n = super::tokens::normalize(&w.name);
                n == joined || n.ends_with(&format!(" {joined}"))
            })
            .cloned()
    }

    /// Resolves he/she/they/it, preferring the last speaker, then the
    /// mentions of this sentence, then the most recent compatible mention.
    pub fn resolve_pronoun(&self, pronoun: &str, local: &[Who], sentence: usize) -> Option<Who> {
        if pronoun == "you" {
            // An interviewer's "you": the one being interviewed.
            return self.interview.as_ref().map(|(w, _)| w.clone()).or_else(|| {
                self.last_quote
                    .as_ref()
                    .filter(|q| sentence.saturating_sub(q.2) <= 6)
                    .map(|q| q.0.clone())
            });
        }
        let fits = |w: &Who| pronoun_fits(pronoun, w);
        // Within a sentence the first compatible actor, usually its subject
        // ("Aksyonov invited the president to the peninsula, which he called …").
        if let Some(w) = local.iter().find(|w| fits(w)) {
            return Some(w.clone());
        }
        if let Some((w, s)) = &self.last_speaker {
            if sentence.saturating_sub(*s) <= 2 && fits(w) {
                return Some(w.clone());
            }
        }
        // An interview or a long quoted exchange: the one quoted lately.
        if let Some((w, _, s)) = &self.last_quote {
            if sentence.saturating_sub(*s) <= 4 && fits(w) {
                return Some(w.clone());
            }
        }
        // Prefer the first compatible mention of the latest sentence that has one
        // (its subject, usually), then earlier sentences.
        let mut best: Option<&Seen> = None;
        for s in self.seen.iter().rev() {
            if sentence.saturating_sub(s.sentence) > 6 {
                break;
            }
            if !fits(&s.who) {
                continue;
            }
            match best {
                Some(b) if b.sentence != s.sentence => break,
                _ => best = Some(s),
            }
        }
        best.map(|s| s.who.clone())
    }
}

/// Whether a pronoun can refer to `w`.
fn pronoun_fits(pronoun: &str, w: &Who) -> bool {
    match pronoun {
        "he" | "his" | "him" | "himself" => {
            w.kind == WhoKind::Person && w.gender != Some(Gender::Female)
        }
        "she" | "her" | "hers" | "herself" => {
            w.kind == WhoKind::Person && w.gender != Some(Gender::Male)
        }
        "they" | "their" | "them" | "themselves" => {
            matches!(w.kind, WhoKind::Body | WhoKind::Anonymous)
        }
        "it" | "its" | "itself" => matches!(w.kind, WhoKind::Body | WhoKind::Outlet),
        _ => false,
    }
}

/// Whether `w` is a pronoun the resolver handles, and its base form.
pub(crate) fn pronoun(w: &str) -> Option<&'static str> {
    Some(match w {
        "he" => "he",
        "his" => "his",
        "she" => "she",
        "her" => "her",
        "they" => "they",
        "their" => "their",
        "it" => "it",
        "its" => "its",
        "you" => "you",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, g: Gender) -> Who {
        Who {
            name: name.to_string(),
            camp: Camp::Other,
            kind: WhoKind::Person,
            gender: Some(g),
            actor: None,
        }
    }

    #[test]
    fn pronouns_take_the_last_compatible_actor() {
        let mut d = Discourse::default();
        let putin = person("Vladimir Putin", Gender::Male);
        let kallas = person("Kaja Kallas", Gender::Female);
        d.note(&putin, 0);
        d.note(&kallas, 1);
        let cases = [("he", "Vladimir Putin"), ("she", "Kaja Kallas")];
        for (p, want) in cases {
            let got = d.resolve_pronoun(p, &[], 2).map(|w| w.name);
            assert_eq!(got.as_deref(), Some(want), "{p}");
        }
        // The last speaker wins over a later mention.
        let yermak = person("Andriy Yermak", Gender::Male);
        let zelensky = person("Volodymyr Zelensky", Gender::Male);
        d.note(&yermak, 3);
        d.note(&zelensky, 3);
        d.spoke(&yermak, 3);
        let got = d.resolve_pronoun("he", &[], 4).map(|w| w.name);
        assert_eq!(got.as_deref(), Some("Andriy Yermak"));
        assert!(d.resolve_pronoun("it", &[], 4).is_none());
    }
}
