//! Issue 7: property tests of the splitter and the speaker stage on generated text.

use proptest::prelude::*;
use stancemap::speaker::{ActorRegistry, RuleAttributor, SpeakerStage};
use stancemap::split::sentence_spans;

/// Text built from the pieces that stress the stages: quotes of every kind, abbreviations,
/// ellipses, newlines, names, pronouns, verbs of saying, multibyte and invisible characters.
fn news_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Putin",
        "Zelensky",
        "the Kremlin",
        "Kyiv",
        "he",
        "She",
        "officials",
        "said",
        "told reporters",
        "according to",
        "Reuters",
        "“",
        "”",
        "\"",
        "'",
        "‘",
        "’",
        "«",
        "»",
        ".",
        "?",
        "!",
        "…",
        "...",
        ",",
        ":",
        " — ",
        "U.S.",
        "Mr.",
        "Gen.",
        "Jan.",
        "3.5",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "  ",
        "Crimea",
        "recognition",
        "\u{200B}",
        "\u{202E}",
        "\u{0000}",
        "Крым",
        "é",
        "🙂",
        "(",
        ")",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn issue7_splitter_spans_are_in_bounds_ordered_and_trimmed(text in news_like()) {
        let spans = sentence_spans(&text);
        let mut last_end = 0;
        for s in &spans {
            prop_assert!(s.start >= last_end && s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let sentence = &text[s.clone()];
            prop_assert_eq!(sentence, sentence.trim());
            last_end = s.end;
        }
    }

    #[test]
    fn issue7_speaker_stage_gives_one_speaker_per_sentence(text in news_like()) {
        let spans = sentence_spans(&text);
        let stage = RuleAttributor::new(ActorRegistry::builtin());
        let speakers = stage.attribute(&text, &spans);
        prop_assert_eq!(speakers.len(), spans.len());
        for s in &speakers {
            prop_assert!(!s.name.is_empty());
        }
    }
}
