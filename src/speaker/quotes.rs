//! Quotation tracking over a whole text, across sentences and paragraphs.
//!
//! One linear scan finds every quotation: curly (“ ” ‘ ’) or straight (" ')
//! marks, straight ones told apart by what surrounds them. A quotation left
//! open at the end of a paragraph goes on into the next one when that
//! paragraph opens with a quote mark (the usual convention) or closes one
//! before opening any; otherwise it ends with its paragraph, so a closing mark
//! that never comes cannot swallow the rest of the article.

use std::ops::Range;

/// One quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quote {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// The quoted words: from after the opening mark to the closing mark
    /// (or to the end of the paragraph where it was never closed).
    pub body: Range<usize>,
    /// Byte offset one past the closing mark (or `body.end` if unclosed).
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Double,
    Single,
}

fn is_open_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => p.is_whitespace() || "([{—–-/:“‘".contains(p),
    }
}

/// Classifies a character as an opening or closing mark given its neighbours.
/// Returns `(mark, opens)`.
fn classify(c: char, prev: Option<char>, next: Option<char>) -> Option<(Mark, bool)> {
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    match c {
        '“' | '„' => Some((Mark::Double, true)),
        '”' => Some((Mark::Double, false)),
        '"' => Some((Mark::Double, is_open_context(prev))),
        '‘' => Some((Mark::Single, true)),
        // An apostrophe inside a word ("don’t", "Russia’s") is not a mark.
        '’' | '\'' if prev_alnum && next_alnum => None,
        '\'' if is_open_context(prev) => next_alnum.then_some((Mark::Single, true)),
        '’' | '\'' => Some((Mark::Single, false)),
        _ => None,
    }
}

/// Finds every quotation in `text`, in order; they never overlap.
pub(crate) fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    // (mark, byte offset of the opening mark, byte offset of the body start)
    let mut open: Option<(Mark, usize, usize)> = None;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    // Where an opening mark of a continued paragraph was consumed already.
    let mut skip_at: Option<usize> = None;
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if c == '\n' {
            if let Some((mark, start, body)) = open {
                match continues(&text[i + 1..], mark) {
                    Continue::No => {
                        out.push(Quote {
                            open: start,
                            body: body..i,
                            end: i,
                        });
                        open = None;
                    }
                    Continue::AfterMark(at) => skip_at = Some(i + 1 + at),
                    Continue::Yes => {}
                }
            }
            prev = Some(c);
            continue;
        }
        if skip_at == Some(i) {
            skip_at = None;
            prev = Some(c);
            continue;
        }
        if let Some((mark, opens)) = classify(c, prev, next) {
            match open {
                None if opens => open = Some((mark, i, i + c.len_utf8())),
                // A lone closing mark or a single quote inside a double one: ignore.
                None => {}
                Some((m, start, body)) if m == mark => {
                    if opens && mark == Mark::Double {
                        // A new quotation while one is open: the first was never closed.
                        out.push(Quote {
                            open: start,
                            body: body..i,
                            end: i,
                        });
                        open = Some((mark, i, i + c.len_utf8()));
                    } else if !opens {
                        out.push(Quote {
                            open: start,
                            body: body..i,
                            end: i + c.len_utf8(),
                        });
                        open = None;
                    }
                }
                Some(_) => {}
            }
        }
        prev = Some(c);
    }
    if let Some((_, start, body)) = open {
        let end = text.trim_end().len().max(body);
        out.push(Quote {
            open: start,
            body: body..end,
            end,
        });
    }
    out
}

enum Continue {
    No,
    Yes,
    /// Continues; the paragraph's opening mark sits at this offset.
    AfterMark(usize),
}

/// Whether a quotation open at the end of a paragraph goes on into `rest`
/// (the text after the newline).
fn continues(rest: &str, mark: Mark) -> Continue {
    let para = rest.split('\n').next().unwrap_or("");
    let lead = para.len() - para.trim_start().len();
    let mut prev = None;
    let mut chars = para.char_indices().peekable();
    let mut first = true;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if let Some((m, opens)) = classify(c, prev, next) {
            if m == mark {
                if opens && first && i == lead {
                    return Continue::AfterMark(i);
                }
                return if opens { Continue::No } else { Continue::Yes };
            }
        }
        if !c.is_whitespace() {
            first = false;
        }
        prev = Some(c);
    }
    Continue::No
}

/// The quotation whose body contains byte offset `pos`, by binary search.
pub(crate) fn quote_at(quotes: &[Quote], pos: usize) -> Option<usize> {
    let i = quotes.partition_point(|q| q.body.start <= pos);
    let i = i.checked_sub(1)?;
    (pos < quotes[i].body.end).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<&str> {
        find_quotes(text)
            .into_iter()
            .map(|q| &text[q.body])
            .collect()
    }

    #[test]
    fn finds_quotations() {
        let cases: &[(&str, &[&str])] = &[
            ("“We stay,” he said.", &["We stay,"]),
            ("\"We stay,\" he said.", &["We stay,"]),
            ("'We stay,' she said.", &["We stay,"]),
            ("Russia’s “de facto” claim", &["de facto"]),
            (
                "He said: “It is ours. It always was.”",
                &["It is ours. It always was."],
            ),
            // Single quotes nested in a double quotation do not end it.
            (
                "“They call it ‘reunification’, we don’t,” he said.",
                &["They call it ‘reunification’, we don’t,"],
            ),
            // Multi-paragraph: the next paragraph reopens with a mark.
            (
                "“First part.\n“Second part.” Next.",
                &["First part.\n“Second part."],
            ),
            // Multi-paragraph: the next paragraph only closes.
            (
                "“First part.\nSecond part.” Next.",
                &["First part.\nSecond part."],
            ),
            // Unclosed: ends with its paragraph.
            (
                "“Never closed.\nNarration goes on. “Fresh,” he said.",
                &["Never closed.", "Fresh,"],
            ),
            // A new opening mark while one is open ends the first.
            ("“Unclosed. “Second,” he said.", &["Unclosed. ", "Second,"]),
            ("“At the very end", &["At the very end"]),
        ];
        for (text, want) in cases {
            assert_eq!(&bodies(text), want, "{text:?}");
        }
    }

    #[test]
    fn quote_at_finds_the_body() {
        let text = "a “bc” d “ef”";
        let q = find_quotes(text);
        assert_eq!(quote_at(&q, text.find('b').unwrap_or(0)), Some(0));
        assert_eq!(quote_at(&q, text.find('d').unwrap_or(0)), None);
        assert_eq!(quote_at(&q, text.find('f').unwrap_or(0)), Some(1));
    }
}
