//! Speaker attribution (interface only until the rule stage lands; it fills no columns).

use std::path::Path;

use thiserror::Error;

use crate::record::Speaker;

/// An invalid actor registry.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct RegistryError(String);

/// The actor registry.
#[derive(Debug, Clone, Default)]
pub struct ActorRegistry;

impl ActorRegistry {
    /// The built-in registry.
    pub fn builtin() -> Self {
        ActorRegistry
    }
    /// Loads a registry file.
    pub fn load(path: &Path) -> Result<Self, RegistryError> {
        std::fs::read_to_string(path)
            .map_err(|e| RegistryError(format!("{}: {e}", path.display())))?;
        Ok(ActorRegistry)
    }
}

/// The speaker stage.
pub trait SpeakerStage: Send + Sync {
    /// One speaker per sentence span.
    fn attribute(&self, text: &str, sentences: &[std::ops::Range<usize>]) -> Vec<Speaker>;
}

/// Rule-based attribution.
pub struct RuleAttributor;

impl RuleAttributor {
    /// A stage over `registry`.
    pub fn new(_registry: ActorRegistry) -> Self {
        RuleAttributor
    }
}

impl SpeakerStage for RuleAttributor {
    fn attribute(&self, _text: &str, _sentences: &[std::ops::Range<usize>]) -> Vec<Speaker> {
        Vec::new()
    }
}
