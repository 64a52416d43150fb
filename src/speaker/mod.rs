//! Speaker attribution: who carries each sentence's words or position.
//!
//! For every sentence the stage fills `speaker`, `speaker_camp` and
//! `attribution` by the rules of ANNOTATION.md, first rule that fits:
//!
//! 1. `quote`: a direct quotation with its attribution, before, after or
//!    inside it (`“…,” he said.`, `X put it bluntly: “…`, `“…” — X`);
//! 2. `continuation`: a sentence inside a quotation begun earlier, even across
//!    paragraphs or when the closing mark never comes;
//! 3. `reported`: an actor with a verb of saying (`X insisted`, `described by X as`);
//! 4. `described`: a position held without speaking (`Ukraine pushed back`,
//!    `the draft offered recognition` → the draft's author);
//! 5. `according_to`: an outlet or unnamed sources relay facts;
//! 6. `narration`: the outlet's own voice (`author`).
//!
//! Names resolve through the [`ActorRegistry`] (aliases, titles, metonyms
//! such as "Kyiv" or "the Kremlin"), pronouns and role nouns to the last
//! compatible actor, unnamed officials to `anonymous source`, and people the
//! registry does not know keep the full name the text gives them.
//!
//! ```
//! use stancemap::speaker::{attribute, ActorRegistry};
//!
//! let text = "Kyiv has reiterated that it will not cede land.\n“Crimea is Ukraine,” Kuleba said.";
//! let spans = [0..47, 48..text.len()];
//! let speakers = attribute(text, &spans, &ActorRegistry::builtin());
//! assert_eq!(speakers[0].name, "Ukrainian government");
//! assert_eq!(speakers[1].name, "Dmytro Kuleba");
//! ```

use std::ops::Range;

use crate::record::Speaker;

mod coref;
mod lexicon;
mod quotes;
pub mod registry;
mod rules;
mod sentence;
mod subject;
mod tokens;

pub use registry::{Actor, ActorKind, ActorRegistry, Gender, RegistryError};

/// Attributes each sentence of `text` to its speaker.
///
/// `sentences` are byte ranges of trimmed sentences inside `text`, in order;
/// newlines in `text` separate paragraphs. Returns one [`Speaker`] per span,
/// in the same order. Runs in time linear in the text.
pub fn attribute(text: &str, sentences: &[Range<usize>], registry: &ActorRegistry) -> Vec<Speaker> {
    rules::attribute(text, sentences, registry)
}

/// Like [`attribute`], with the name of the rule that decided each sentence
/// (for evaluation and debugging; the names are not a stable interface).
#[doc(hidden)]
pub fn explain(
    text: &str,
    sentences: &[Range<usize>],
    registry: &ActorRegistry,
) -> Vec<(Speaker, &'static str)> {
    rules::explain(text, sentences, registry)
}

/// The speaker stage: one speaker per sentence span.
pub trait SpeakerStage: Send + Sync {
    /// Attributes each sentence span of `text`; see [`attribute`].
    fn attribute(&self, text: &str, sentences: &[Range<usize>]) -> Vec<Speaker>;
}

/// The rule-based speaker stage over an actor registry.
#[derive(Debug, Clone)]
pub struct RuleAttributor {
    registry: ActorRegistry,
}

impl RuleAttributor {
    /// A stage that resolves names through `registry`.
    pub fn new(registry: ActorRegistry) -> Self {
        RuleAttributor { registry }
    }

    /// The registry the stage resolves names with.
    pub fn registry(&self) -> &ActorRegistry {
        &self.registry
    }
}

impl SpeakerStage for RuleAttributor {
    fn attribute(&self, text: &str, sentences: &[Range<usize>]) -> Vec<Speaker> {
        attribute(text, sentences, &self.registry)
    }
}

#[cfg(test)]
mod tests;
