//! A small word tokenizer shared by the registry matcher and the rules.
//!
//! Tokens keep byte offsets into the text they came from, a lower-cased form
//! with typographic apostrophes folded to `'`, and whether the word was
//! capitalised (names only match capitalised words).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// Letters, digits and word-internal `-`, `'`, `.`.
    Word,
    /// The possessive `'s` split off a word.
    Possessive,
    /// Any other single character that is not whitespace.
    Punct(char),
}

/// One token.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// Lower-cased text, `’` folded to `'`.
    pub norm: String,
    /// The kind of token.
    pub kind: TokKind,
    /// The first character is upper-case.
    pub cap: bool,
}

impl Tok {
    /// A word token (possessives included).
    pub fn is_word(&self) -> bool {
        !matches!(self.kind, TokKind::Punct(_))
    }

    /// The punctuation character, if this is one.
    pub fn punct(&self) -> Option<char> {
        match self.kind {
            TokKind::Punct(c) => Some(c),
            _ => None,
        }
    }

    /// This is the punctuation character `c`.
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Characters that may join two word parts ("pro-Ukraine", "O'Brien", "U.S").
fn is_joiner(c: char) -> bool {
    c == '-' || c == '.' || is_apostrophe(c)
}

/// Tokenizes `text[range]`, offsets relative to the whole `text`.
pub(crate) fn tokenize(text: &str, base: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Tok {
                start: base + i,
                end: base + i + c.len_utf8(),
                norm: c.to_string(),
                kind: TokKind::Punct(c),
                cap: false,
            });
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                it.next();
                continue;
            }
            if is_joiner(d) {
                // A joiner belongs to the word only when a letter or digit follows it.
                let after = text[j + d.len_utf8()..].chars().next();
                if after.is_some_and(char::is_alphanumeric) {
                    end = j + d.len_utf8();
                    it.next();
                    continue;
                }
            }
            break;
        }
        push_word(&mut out, text, base, i, end);
    }
    out
}

/// Pushes a word, splitting a trailing possessive `'s` into its own token.
fn push_word(out: &mut Vec<Tok>, text: &str, base: usize, start: usize, end: usize) {
    let word = &text[start..end];
    let cap = word.chars().next().is_some_and(char::is_uppercase);
    let norm = normalize(word);
    if norm.len() > 2 && norm.ends_with("'s") {
        // `'` is one byte in `norm` but may be three in `word`.
        let s_len = 1;
        let apos_len = word[..word.len() - s_len]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        let split = end - s_len - apos_len;
        out.push(Tok {
            start: base + start,
            end: base + split,
            norm: norm[..norm.len() - 2].to_string(),
            kind: TokKind::Word,
            cap,
        });
        out.push(Tok {
            start: base + split,
            end: base + end,
            norm: "'s".to_string(),
            kind: TokKind::Possessive,
            cap: false,
        });
        return;
    }
    out.push(Tok {
        start: base + start,
        end: base + end,
        norm,
        kind: TokKind::Word,
        cap,
    });
}

/// Lower-cases and folds typographic apostrophes and dashes.
pub(crate) fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_possessives_and_punctuation() {
        let cases: &[(&str, &[&str])] = &[
            ("Russia’s control", &["russia", "'s", "control"]),
            ("U.S. envoy", &["u.s", ".", "envoy"]),
            ("pro-Ukraine nations,", &["pro-ukraine", "nations", ","]),
            (
                "“We won't,” he said.",
                &["“", "we", "won't", ",", "”", "he", "said", "."],
            ),
            ("allies’ plan", &["allies", "’", "plan"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = tokenize(text, 0).into_iter().map(|t| t.norm).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "Zelensky’s chief";
        let toks = tokenize(text, 10);
        assert_eq!((toks[0].start, toks[0].end), (10, 18));
        assert_eq!((toks[1].start, toks[1].end), (18, 22));
        assert_eq!(&text[toks[1].start - 10..toks[1].end - 10], "’s");
        assert!(toks[0].cap);
    }
}
