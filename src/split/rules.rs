//! Rule-based sentence boundary detection for English news text.
//!
//! [`sentence_spans`] makes one left-to-right pass over the text. A sentence ends:
//! - at a paragraph break (a blank line), always;
//! - at a line break when the line lacks final punctuation (a headline, a caption), and also
//!   after final punctuation (scraped articles put one paragraph on a line) unless the next
//!   line goes on in lower case or the line is a dateline;
//! - after a terminator cluster (`.`, `?`, `!`, `…`, spaced ellipses, plus any closing quotes
//!   and brackets) followed by whitespace, when the rules below do not veto it;
//! - before the next item of a numbered, lettered or bulleted list.
//!
//! The vetoes: a lower-case next word (`“…,” he said.`, `Yahoo! in`); abbreviations (titles such as
//! `Mr.` and `Gen.`, `U.S.`, `a.m.`, `No. 5`, `Jan. 5`, `e.g.`); initials (`J. R. R. Tolkien`);
//! numbers, e-mail addresses and URLs (no whitespace after the dot); omission marks (`[...]`);
//! three-dot spaced ellipses (`is . . . I`); and news datelines (`MOSCOW, October 4. /TASS/.`),
//! which stay a prefix of the first sentence. Sentences inside quotations are split like any
//! other, since the unit of analysis is the sentence, not the quotation.

use std::ops::Range;

/// Byte ranges of the sentences of `text`, in order.
///
/// Each range is trimmed of surrounding whitespace, non-empty and on char boundaries; ranges are
/// sorted and never overlap, and every non-whitespace character of `text` lies in one of them.
/// The cost is linear in the length of `text`.
pub fn sentence_spans(text: &str) -> Vec<Range<usize>> {
    Scanner::new(text).run()
}

/// Closing quotes and brackets that stay with the sentence they follow.
const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』'];

/// Closers that may follow another closer after one space (`‘no.’ ”`, French `fini. »`).
const SPACED_CLOSERS: &[char] = &['”', '’', '»', '›', '」', '』'];

/// Opening quotes and brackets skipped to find the first letter of the next sentence.
const OPENERS: &[char] = &[
    '"', '\'', '“', '‘', '«', '‹', '(', '[', '{', '„', '‚', '¿', '¡', '「', '『',
];

/// Bullets: each one after whitespace starts a new list item.
const BULLETS: &[char] = &['•', '◦', '▪', '●', '‣', '⁃'];

/// Abbreviations (lower case, without the final period), sorted for binary search.
const ABBREVIATIONS: &[(&str, Abbreviation)] = &[
    ("a.m", Abbreviation::Time),
    ("adm", Abbreviation::Title),
    ("al", Abbreviation::Postpositive),
    ("amb", Abbreviation::Title),
    ("approx", Abbreviation::BeforeNumber),
    ("apr", Abbreviation::BeforeNumber),
    ("art", Abbreviation::BeforeNumber),
    ("arts", Abbreviation::BeforeNumber),
    ("assn", Abbreviation::Postpositive),
    ("atty", Abbreviation::Title),
    ("aug", Abbreviation::BeforeNumber),
    ("ave", Abbreviation::Postpositive),
    ("blvd", Abbreviation::Postpositive),
    ("brig", Abbreviation::Title),
    ("bros", Abbreviation::Postpositive),
    ("c", Abbreviation::BeforeNumber),
    ("ca", Abbreviation::BeforeNumber),
    ("capt", Abbreviation::Title),
    ("cdr", Abbreviation::Title),
    ("cf", Abbreviation::NeverFinal),
    ("ch", Abbreviation::BeforeNumber),
    ("chap", Abbreviation::BeforeNumber),
    ("cmdr", Abbreviation::Title),
    ("co", Abbreviation::Postpositive),
    ("col", Abbreviation::Title),
    ("corp", Abbreviation::Postpositive),
    ("cpl", Abbreviation::Title),
    ("cpt", Abbreviation::Title),
    ("dec", Abbreviation::BeforeNumber),
    ("dept", Abbreviation::Postpositive),
    ("det", Abbreviation::Title),
    ("dr", Abbreviation::Title),
    ("e.g", Abbreviation::NeverFinal),
    ("esq", Abbreviation::Postpositive),
    ("est", Abbreviation::BeforeNumber),
    ("ext", Abbreviation::BeforeNumber),
    ("feb", Abbreviation::BeforeNumber),
    ("fig", Abbreviation::BeforeNumber),
    ("figs", Abbreviation::BeforeNumber),
    ("fr", Abbreviation::Title),
    ("ft", Abbreviation::Postpositive),
    ("gen", Abbreviation::Title),
    ("gov", Abbreviation::Title),
    ("govt", Abbreviation::Postpositive),
    ("hon", Abbreviation::Title),
    ("i.e", Abbreviation::NeverFinal),
    ("inc", Abbreviation::Postpositive),
    ("insp", Abbreviation::Title),
    ("jan", Abbreviation::BeforeNumber),
    ("jr", Abbreviation::Postpositive),
    ("jul", Abbreviation::BeforeNumber),
    ("jun", Abbreviation::BeforeNumber),
    ("llc", Abbreviation::Postpositive),
    ("lt", Abbreviation::Title),
    ("ltd", Abbreviation::Postpositive),
    ("maj", Abbreviation::Title),
    ("mar", Abbreviation::BeforeNumber),
    ("messrs", Abbreviation::Title),
    ("mlle", Abbreviation::Title),
    ("mme", Abbreviation::Title),
    ("mr", Abbreviation::Title),
    ("mrs", Abbreviation::Title),
    ("ms", Abbreviation::Title),
    ("mt", Abbreviation::Postpositive),
    ("no", Abbreviation::BeforeNumber),
    ("nos", Abbreviation::BeforeNumber),
    ("nov", Abbreviation::BeforeNumber),
    ("nr", Abbreviation::BeforeNumber),
    ("n°", Abbreviation::BeforeNumber),
    ("nº", Abbreviation::BeforeNumber),
    ("oct", Abbreviation::BeforeNumber),
    ("op", Abbreviation::BeforeNumber),
    ("p", Abbreviation::BeforeNumber),
    ("p.m", Abbreviation::Time),
    ("para", Abbreviation::BeforeNumber),
    ("paras", Abbreviation::BeforeNumber),
    ("ph.d", Abbreviation::Postpositive),
    ("plc", Abbreviation::Postpositive),
    ("pp", Abbreviation::BeforeNumber),
    ("pres", Abbreviation::Title),
    ("prof", Abbreviation::Title),
    ("pt", Abbreviation::BeforeNumber),
    ("pts", Abbreviation::BeforeNumber),
    ("pvt", Abbreviation::Title),
    ("rd", Abbreviation::Postpositive),
    ("ref", Abbreviation::BeforeNumber),
    ("refs", Abbreviation::BeforeNumber),
    ("rep", Abbreviation::Title),
    ("reps", Abbreviation::Title),
    ("rev", Abbreviation::Title),
    ("sec", Abbreviation::BeforeNumber),
    ("secs", Abbreviation::BeforeNumber),
    ("sen", Abbreviation::Title),
    ("sens", Abbreviation::Title),
    ("sep", Abbreviation::BeforeNumber),
    ("sept", Abbreviation::BeforeNumber),
    ("sgt", Abbreviation::Title),
    ("sr", Abbreviation::Postpositive),
    ("st", Abbreviation::Postpositive),
    ("supt", Abbreviation::Title),
    ("tel", Abbreviation::BeforeNumber),
    ("univ", Abbreviation::Postpositive),
    ("v", Abbreviation::NeverFinal),
    ("viz", Abbreviation::NeverFinal),
    ("vol", Abbreviation::BeforeNumber),
    ("vols", Abbreviation::BeforeNumber),
    ("vs", Abbreviation::NeverFinal),
];

/// Capitalised words that usually start a sentence and rarely follow `U.S.`, `Co.` or an
/// initial inside a name; sorted for binary search.
const STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "All",
    "Also",
    "Although",
    "An",
    "And",
    "Another",
    "Are",
    "As",
    "At",
    "Because",
    "Before",
    "Being",
    "Both",
    "But",
    "Can",
    "Could",
    "Despite",
    "Did",
    "Do",
    "Does",
    "During",
    "Each",
    "Earlier",
    "Every",
    "For",
    "From",
    "Had",
    "Has",
    "Have",
    "He",
    "Her",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Is",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "May",
    "Meanwhile",
    "Might",
    "Millions",
    "More",
    "Moreover",
    "Most",
    "Must",
    "My",
    "Nevertheless",
    "No",
    "None",
    "Not",
    "Now",
    "On",
    "Or",
    "Our",
    "Several",
    "She",
    "Should",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "Therefore",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "Today",
    "Was",
    "We",
    "Were",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "Will",
    "Would",
    "Yesterday",
    "Yet",
    "You",
    "Your",
];

/// Longest word compared against the tables; longer words are never abbreviations.
const MAX_ABBREVIATION_BYTES: usize = 16;

/// Longest run of opening quotes and brackets skipped when looking at the next word.
const MAX_OPENERS: usize = 8;

/// One left-to-right pass over a text, collecting sentence spans.
struct Scanner<'t> {
    text: &'t str,
    out: Vec<Range<usize>>,
    /// Start of the open sentence, if one is open.
    start: Option<usize>,
    /// Whitespace-separated tokens in the open sentence so far.
    words: usize,
    /// Whether the open sentence has a letter or digit; punctuation alone never ends a sentence.
    has_alnum: bool,
    /// Start of the current token.
    tok_start: usize,
    /// The previous token of the open sentence (empty at its start).
    prev_tok: Range<usize>,
    /// End of the last terminator cluster, to tell whether a line ends with final punctuation.
    last_term_end: Option<usize>,
    /// The list item the open sentence belongs to, so that the next item can be found.
    list: Option<Marker>,
    /// End of the last period kept inside a dateline.
    dateline_end: Option<usize>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            text,
            out: Vec::new(),
            start: None,
            words: 0,
            has_alnum: false,
            tok_start: 0,
            prev_tok: 0..0,
            last_term_end: None,
            list: None,
            dateline_end: None,
        }
    }

    fn run(mut self) -> Vec<Range<usize>> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            // Fast path: letters and digits inside a sentence need no decision.
            if self.start.is_some() && byte.is_ascii_alphanumeric() {
                self.has_alnum = true;
                i += 1;
                continue;
            }
            let Some(c) = char_at(text, i) else { break };
            if c.is_whitespace() {
                let (j, breaks) = skip_whitespace(text, i);
                self.whitespace(i, j, breaks);
                i = j;
                continue;
            }
            if self.start.is_none() {
                let after = self.begin(i);
                if after > i {
                    i = after;
                    continue;
                }
            }
            i = match c {
                '.' | '…' => self.dots(i),
                _ if is_strong_terminator(c) => self.strong(i),
                _ => {
                    if c.is_alphanumeric() {
                        self.has_alnum = true;
                    }
                    i + c.len_utf8()
                }
            };
        }
        if let Some(s) = self.start {
            self.emit(s, text.len());
        }
        self.out
    }

    /// Opens a sentence at `i` and returns where scanning goes on: past a list marker if the
    /// sentence starts with one, else `i`.
    fn begin(&mut self, i: usize) -> usize {
        self.open_at(i);
        match self.text.get(i..).and_then(list_marker) {
            Some((marker, len)) => {
                self.list = marker;
                i + len
            }
            None => i,
        }
    }

    /// Opens a sentence at `i`, with no list context.
    fn open_at(&mut self, i: usize) {
        self.start = Some(i);
        self.words = 1;
        self.has_alnum = false;
        self.tok_start = i;
        self.prev_tok = i..i;
        self.list = None;
    }

    /// Closes the open sentence at `end` (exclusive, trimmed here if needed).
    fn emit(&mut self, start: usize, end: usize) {
        debug_assert!(self.text.get(start..end).is_some(), "{start}..{end}");
        if let Some(sentence) = self.text.get(start..end) {
            let end = start + sentence.trim_end().len();
            if end > start {
                self.out.push(start..end);
            }
        }
        self.start = None;
    }

    /// Ends the open sentence at `end` unless it is still punctuation only.
    fn end_sentence(&mut self, end: usize) {
        if let Some(s) = self.start {
            if self.has_alnum {
                self.emit(s, end);
            }
        }
    }

    /// Handles the whitespace run `i..j` that holds `breaks` line breaks.
    fn whitespace(&mut self, i: usize, j: usize, breaks: usize) {
        let Some(s) = self.start else { return };
        // A blank line always ends a sentence. A single line break does too (a headline, a
        // scraped paragraph), unless the line ends with final punctuation and the next line
        // goes on in lower case or the line is a dateline ("MOSCOW, October 4. /TASS/.").
        let glued = breaks == 1
            && self.last_term_end == Some(i)
            && (self.dateline_end == Some(i) || starts_lower(self.text, j));
        if breaks >= 2 || (breaks == 1 && !glued) {
            self.emit(s, i);
            return;
        }
        if j >= self.text.len() {
            return;
        }
        if self.has_alnum && self.next_item_starts(j) {
            self.emit(s, i);
            return;
        }
        self.prev_tok = self.tok_start..i;
        self.tok_start = j;
        self.words += 1;
    }

    /// Whether a bullet or the next marker of the current list starts at `j`.
    fn next_item_starts(&self, j: usize) -> bool {
        let Some(c) = char_at(self.text, j) else {
            return false;
        };
        if BULLETS.contains(&c) {
            return true;
        }
        let Some(current) = self.list else {
            return false;
        };
        if !(c.is_ascii_digit() || c.is_ascii_lowercase()) {
            return false;
        }
        matches!(
            self.text.get(j..).and_then(list_marker),
            Some((Some(m), _)) if m.follows(current)
        )
    }

    /// Handles a run of dots or ellipses starting at `i`; returns where scanning goes on.
    fn dots(&mut self, i: usize) -> usize {
        let text = self.text;
        let (run_end, n, spaced) = dot_run(text, i);
        let before = char_before(text, i);
        let after = char_at(text, run_end);
        // "[...]" marks an omission inside a quotation, never an end.
        if !spaced && matches!(before, Some('[' | '(')) && matches!(after, Some(']' | ')')) {
            return run_end;
        }
        if after.is_some_and(is_strong_terminator) {
            return self.strong(run_end);
        }
        let q = skip_closers(text, run_end);
        self.last_term_end = Some(q);
        let Some(next) = next_word(text, q) else {
            return q;
        };
        let closed = q > run_end;
        let attached = before.is_some_and(|c| !c.is_whitespace());
        let ends = if n == 1 {
            let ends = self.period_ends(i, closed, &next);
            if !ends && self.in_dateline(i, &next) {
                self.dateline_end = Some(q);
            }
            ends
        } else if !spaced || closed {
            next.upper()
        } else if n >= 4 && attached {
            // "compounds. . . . The": a period, then an ellipsis that opens the next sentence.
            if next.upper() && self.has_alnum {
                if let Some(s) = self.start {
                    let first_end = i + char_at(text, i).map_or(1, char::len_utf8);
                    self.emit(s, first_end);
                    let (second, _) = skip_whitespace(text, first_end);
                    self.open_at(second);
                }
            }
            false
        } else {
            // A spaced three-dot ellipsis is mid-sentence ("the thing is . . . I didn't");
            // a fourth dot is the period ("with a period . . . . Next").
            n >= 4 && next.upper()
        };
        if ends {
            self.end_sentence(q);
        }
        q
    }

    /// Whether a single period at `i` ends its sentence.
    fn period_ends(&self, i: usize, closed: bool, next: &Next) -> bool {
        if next.lower() {
            return false;
        }
        // A closing quote or bracket after the period confirms the end.
        if closed {
            return true;
        }
        if self.in_dateline(i, next) {
            return false;
        }
        let word = self.word_before(i);
        match abbreviation(word) {
            Abbreviation::Title | Abbreviation::NeverFinal => false,
            Abbreviation::BeforeNumber => !next.digit(),
            Abbreviation::Time => {
                next.upper() && (next.starter() || (self.words >= 4 && !next.time_zone()))
            }
            Abbreviation::Postpositive => next.upper() && next.starter(),
            Abbreviation::Initial => {
                // "you and I. Did" ends; "Albert I. Jones" does not.
                (word == "I" && self.prev_token_is_lower()) || next.starter()
            }
            Abbreviation::None => true,
        }
    }

    /// The word that ends at `i`, without opening quotes and brackets.
    fn word_before(&self, i: usize) -> &'t str {
        strip_openers(self.text.get(self.tok_start..i).unwrap_or(""))
    }

    /// Whether the period at `i` is inside a dateline: "MOSCOW, October 4. /TASS/. Russian ..."
    /// stays one sentence.
    fn in_dateline(&self, i: usize, next: &Next) -> bool {
        next.first == Some('/') || is_agency(self.word_before(i))
    }

    fn prev_token_is_lower(&self) -> bool {
        let prev = strip_openers(self.text.get(self.prev_tok.clone()).unwrap_or(""));
        prev.chars().next().is_some_and(char::is_lowercase)
    }

    /// Handles a run of `?` and `!` (with any dots) starting at `i`; returns where scanning goes on.
    fn strong(&mut self, i: usize) -> usize {
        let text = self.text;
        let mut p = i;
        let mut wide = false;
        while let Some(c) = char_at(text, p) {
            if !(is_strong_terminator(c) || c == '.' || c == '…') {
                break;
            }
            wide |= matches!(c, '。' | '？' | '！');
            p += c.len_utf8();
        }
        let q = skip_closers(text, p);
        self.last_term_end = Some(q);
        let ends = match next_word(text, q) {
            Some(next) => !next.lower(),
            // Full-width terminators need no space after them.
            None => wide && q < text.len(),
        };
        if ends {
            self.end_sentence(q);
        }
        q
    }
}

/// The start of what follows a terminator cluster.
struct Next<'t> {
    /// First character after any opening quotes or brackets.
    first: Option<char>,
    /// The alphanumeric run starting at `first`, empty if long or absent.
    word: &'t str,
    /// The character right after `word`.
    after_word: Option<char>,
    /// The word after `word` and one space, empty if none.
    second: &'t str,
}

impl Next<'_> {
    fn lower(&self) -> bool {
        self.first.is_some_and(char::is_lowercase)
    }

    fn upper(&self) -> bool {
        self.first.is_some_and(char::is_uppercase)
    }

    fn digit(&self) -> bool {
        self.first.is_some_and(|c| c.is_ascii_digit())
    }

    /// Whether the next word typically starts a sentence.
    fn starter(&self) -> bool {
        // "A." or "A-10" is an initial or a name, not the article.
        if matches!(self.after_word, Some('.' | '-')) {
            return false;
        }
        STARTERS.binary_search(&self.word).is_ok()
    }

    /// Whether the next words name a time zone: "GMT", "ET", "Moscow time".
    fn time_zone(&self) -> bool {
        let acronym =
            (2..=4).contains(&self.word.len()) && self.word.bytes().all(|b| b.is_ascii_uppercase());
        acronym || self.second.eq_ignore_ascii_case("time")
    }
}

/// What follows position `q`, if whitespace and then more text follow it.
fn next_word(text: &str, q: usize) -> Option<Next<'_>> {
    if !char_at(text, q)?.is_whitespace() {
        return None;
    }
    let (k, _) = skip_whitespace(text, q);
    let rest = text.get(k..)?;
    if rest.is_empty() {
        return None;
    }
    let mut w = 0;
    for c in rest.chars().take(MAX_OPENERS) {
        if !OPENERS.contains(&c) {
            break;
        }
        w += c.len_utf8();
    }
    let tail = &rest[w..];
    let (word, after_word) = leading_word(tail);
    // The word after a single space, for "3 p.m. Moscow time".
    let second = match after_word {
        Some(' ') => tail.get(word.len() + 1..).map_or("", |t| leading_word(t).0),
        _ => "",
    };
    Some(Next {
        first: tail.chars().next(),
        word,
        after_word,
        second,
    })
}

/// The alphanumeric run at the start of `s` (empty if longer than any table entry) and the
/// character after it.
fn leading_word(s: &str) -> (&str, Option<char>) {
    let mut end = 0;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            return (&s[..end], Some(c));
        }
        end += c.len_utf8();
        if end > MAX_ABBREVIATION_BYTES {
            return ("", None);
        }
    }
    (&s[..end], None)
}

/// The kinds of word that can precede a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbreviation {
    /// Titles and other prepositive abbreviations, always followed by what they modify
    /// (`Mr.`, `Gen.`).
    Title,
    /// Never the end of a sentence (`e.g. Crimea`, `Roe v. Wade`).
    NeverFinal,
    /// Introduces a number (`No. 5`, `p. 55`, `Jan. 5`): final only before a non-number.
    BeforeNumber,
    /// A time of day: final before a capitalised word once the sentence has a clause
    /// (`at 6 P.M. Mr. Smith`), not after an opening adverbial (`At 5 a.m. Mr. Smith went`).
    Time,
    /// Postpositive, or also an adjective (`U.S. Government`, `Acme Inc. CEO`): final only
    /// before a word that typically starts a sentence.
    Postpositive,
    /// A single capital letter: an initial unless a sentence starter follows.
    Initial,
    /// An ordinary word.
    None,
}

/// Classifies the word before a period (without the period).
fn abbreviation(word: &str) -> Abbreviation {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return Abbreviation::Initial;
        }
    }
    let mut buf = [0u8; MAX_ABBREVIATION_BYTES];
    let Some(lower) = lowercase_into(word, &mut buf) else {
        return Abbreviation::None;
    };
    if let Ok(k) = ABBREVIATIONS.binary_search_by(|&(entry, _)| entry.cmp(lower)) {
        return ABBREVIATIONS[k].1;
    }
    if is_acronym(word) {
        return Abbreviation::Postpositive;
    }
    Abbreviation::None
}

/// Lower-cases `word` into `buf` without allocating; `None` if it is empty or does not fit.
fn lowercase_into<'b>(word: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let mut n = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let len = c.len_utf8();
        let slot = buf.get_mut(n..n + len)?;
        c.encode_utf8(slot);
        n += len;
    }
    if n == 0 {
        return None;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Single letters joined by periods, without the final one: `U.S`, `U.S.A`, `D.C`.
fn is_acronym(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 3
        && b.len() % 2 == 1
        && b.iter().enumerate().all(|(k, &x)| {
            if k % 2 == 0 {
                x.is_ascii_alphabetic()
            } else {
                x == b'.'
            }
        })
}

/// A news agency tag of a dateline: `/TASS/`.
fn is_agency(word: &str) -> bool {
    word.len() >= 3
        && word.len() <= MAX_ABBREVIATION_BYTES
        && word.starts_with('/')
        && word.ends_with('/')
}

/// Whether the text at `j` starts, after any opening quotes, with a lower-case letter.
fn starts_lower(text: &str, j: usize) -> bool {
    text.get(j..)
        .and_then(|rest| rest.trim_start_matches(OPENERS).chars().next())
        .is_some_and(char::is_lowercase)
}

fn strip_openers(word: &str) -> &str {
    word.trim_start_matches(OPENERS)
}

/// Question and exclamation marks, and the full-width terminators of CJK text.
fn is_strong_terminator(c: char) -> bool {
    matches!(c, '?' | '!' | '‼' | '⁇' | '⁈' | '⁉' | '？' | '！' | '。')
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// Skips whitespace from `i`; returns where it ends and how many line breaks it holds
/// (a blank line or a paragraph separator counts two).
fn skip_whitespace(text: &str, i: usize) -> (usize, usize) {
    let Some(rest) = text.get(i..) else {
        return (text.len(), 0);
    };
    let mut breaks = 0;
    let mut after_cr = false;
    for (off, c) in rest.char_indices() {
        if !c.is_whitespace() {
            return (i + off, breaks);
        }
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' | '\u{0B}' | '\u{85}' | '\u{2028}' => breaks += 1,
            '\u{0C}' | '\u{2029}' => breaks += 2,
            _ => {}
        }
        after_cr = c == '\r';
    }
    (text.len(), breaks)
}

/// Scans the dots of an ellipsis or period at `i`: `.`, `...`, `…`, `. . . .`.
/// Returns the end, the number of dots (`…` counts three) and whether spaces separate them.
fn dot_run(text: &str, i: usize) -> (usize, usize, bool) {
    let bytes = text.as_bytes();
    let mut p = i;
    let mut n = 0;
    let mut spaced = false;
    loop {
        match char_at(text, p) {
            Some('.') => {
                n += 1;
                p += 1;
            }
            Some('…') => {
                n += 3;
                p += '…'.len_utf8();
            }
            _ => break,
        }
        if bytes.get(p) == Some(&b' ') && matches!(char_at(text, p + 1), Some('.' | '…')) {
            spaced = true;
            p += 1;
        }
    }
    (p, n, spaced)
}

/// Skips closing quotes and brackets from `p`.
fn skip_closers(text: &str, mut p: usize) -> usize {
    while let Some(c) = char_at(text, p) {
        if CLOSERS.contains(&c) {
            p += c.len_utf8();
        } else if c == ' ' && char_at(text, p + 1).is_some_and(|d| SPACED_CLOSERS.contains(&d)) {
            // "‘no.’ ”": typographic space between closers.
            p += 1;
        } else {
            break;
        }
    }
    p
}

/// How a list item is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Digits,
    Letter,
}

/// What follows the number of a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `1.`
    Dot,
    /// `1.)`
    DotParen,
    /// `1)`
    Paren,
}

/// A list item's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Marker {
    numbering: Numbering,
    value: u32,
    form: Form,
}

impl Marker {
    fn follows(self, previous: Marker) -> bool {
        self.numbering == previous.numbering
            && self.form == previous.form
            && previous.value.checked_add(1) == Some(self.value)
    }
}

/// Parses a list marker at the start of `s`: an optional bullet, then `12.`, `12.)`, `12)`, `b.`
/// or `b)` followed by whitespace. Returns the marker (`None` for a bare bullet) and the bytes
/// it takes.
fn list_marker(s: &str) -> Option<(Option<Marker>, usize)> {
    let bytes = s.as_bytes();
    let mut p = 0;
    let mut bullet = None;
    if let Some(c) = s.chars().next() {
        if BULLETS.contains(&c) {
            p = c.len_utf8();
            bullet = Some((None, p));
            while bytes.get(p) == Some(&b' ') && p < 8 {
                p += 1;
            }
        }
    }
    let digits = bytes[p..]
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (numbering, value, q) = match (digits, bytes.get(p)) {
        (1..=3, _) => {
            let value = s[p..p + digits].parse().ok()?;
            (Numbering::Digits, value, p + digits)
        }
        (0, Some(&b)) if b.is_ascii_lowercase() => (Numbering::Letter, u32::from(b - b'a'), p + 1),
        _ => return bullet,
    };
    let after = &s[q..];
    let (form, len) = if after.starts_with(".)") {
        (Form::DotParen, 2)
    } else if after.starts_with(')') {
        (Form::Paren, 1)
    } else if after.starts_with('.') {
        (Form::Dot, 1)
    } else {
        return bullet;
    };
    let end = q + len;
    if !s[end..].chars().next().is_some_and(char::is_whitespace) {
        return bullet;
    }
    let marker = Marker {
        numbering,
        value,
        form,
    };
    Some((Some(marker), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the sentences of `text` with their byte spans.
    fn check(text: &str, expected: &[(&str, (usize, usize))]) {
        let got: Vec<(&str, (usize, usize))> = sentence_spans(text)
            .into_iter()
            .map(|r| (&text[r.clone()], (r.start, r.end)))
            .collect();
        assert_eq!(got, expected, "text: {text:?}");
    }

    /// The sentence texts only, for the larger tables.
    fn texts(text: &str) -> Vec<&str> {
        sentence_spans(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(STARTERS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(abbreviation("N°"), Abbreviation::BeforeNumber);
        assert_eq!(abbreviation("P.M"), Abbreviation::Time);
        assert_eq!(abbreviation("U.S.A"), Abbreviation::Postpositive);
        assert_eq!(abbreviation("Gen"), Abbreviation::Title);
        assert_eq!(abbreviation("Ж"), Abbreviation::Initial);
        assert_eq!(abbreviation("Crimea"), Abbreviation::None);
    }

    #[test]
    fn empty_and_whitespace_only() {
        for text in ["", " ", "\n", "\r\n\r\n", " \t \u{a0}\u{2029} "] {
            check(text, &[]);
        }
    }

    #[test]
    fn simple_sentences() {
        check(
            "Hello World. My name is Jonas.",
            &[("Hello World.", (0, 12)), ("My name is Jonas.", (13, 30))],
        );
        check("  Is it? Yes!  ", &[("Is it?", (2, 8)), ("Yes!", (9, 13))]);
        check("No final punctuation", &[("No final punctuation", (0, 20))]);
    }

    #[test]
    fn abbreviations() {
        check(
            "Mr. Smith met Gen. Valery Gerasimov. They spoke.",
            &[
                ("Mr. Smith met Gen. Valery Gerasimov.", (0, 36)),
                ("They spoke.", (37, 48)),
            ],
        );
        check(
            "I live in the U.S. How about you?",
            &[
                ("I live in the U.S.", (0, 18)),
                ("How about you?", (19, 33)),
            ],
        );
        check(
            "The U.S. Senate and the U.N. Security Council met on Jan. 5 at 10 a.m. to vote.",
            &[(
                "The U.S. Senate and the U.N. Security Council met on Jan. 5 at 10 a.m. to vote.",
                (0, 79),
            )],
        );
        check(
            "Sen. Jones, Rep. Lee and Gov. Hochul, i.e. three people, met Lt. Col. Shaw vs. Prof. Dr. Kuhn.",
            &[(
                "Sen. Jones, Rep. Lee and Gov. Hochul, i.e. three people, met Lt. Col. Shaw vs. Prof. Dr. Kuhn.",
                (0, 94),
            )],
        );
        check(
            "Acme Inc. It rose. Acme Corp. CEO Jane Roe spoke at No. 10 Downing St. on Friday.",
            &[
                ("Acme Inc.", (0, 9)),
                ("It rose.", (10, 18)),
                (
                    "Acme Corp. CEO Jane Roe spoke at No. 10 Downing St. on Friday.",
                    (19, 81),
                ),
            ],
        );
        check(
            "They met in the E.U. The talks failed.",
            &[
                ("They met in the E.U.", (0, 20)),
                ("The talks failed.", (21, 38)),
            ],
        );
    }

    #[test]
    fn times_of_day() {
        check(
            "Putin spoke at 3 p.m. Moscow time, or 10 a.m. GMT. At 6 p.m. Peskov replied.",
            &[
                (
                    "Putin spoke at 3 p.m. Moscow time, or 10 a.m. GMT.",
                    (0, 50),
                ),
                ("At 6 p.m. Peskov replied.", (51, 76)),
            ],
        );
    }

    #[test]
    fn initials() {
        check(
            "J. R. R. Tolkien wrote it. Vladimir V. Putin agreed.",
            &[
                ("J. R. R. Tolkien wrote it.", (0, 26)),
                ("Vladimir V. Putin agreed.", (27, 52)),
            ],
        );
        check(
            "We make a good team, you and I. Did you see Albert I. Jones?",
            &[
                ("We make a good team, you and I.", (0, 31)),
                ("Did you see Albert I. Jones?", (32, 60)),
            ],
        );
        check(
            "They chose Plan B. The rest failed.",
            &[
                ("They chose Plan B.", (0, 18)),
                ("The rest failed.", (19, 35)),
            ],
        );
    }

    #[test]
    fn numbers_emails_urls() {
        check(
            "Inflation hit 3.5 percent, up from 1.000 units. Write to jane.doe@example.com. See https://example.com/a.html. Done.",
            &[
                ("Inflation hit 3.5 percent, up from 1.000 units.", (0, 47)),
                ("Write to jane.doe@example.com.", (48, 78)),
                ("See https://example.com/a.html.", (79, 110)),
                ("Done.", (111, 116)),
            ],
        );
        check(
            "Prices rose in 2024. 2025 was worse.",
            &[
                ("Prices rose in 2024.", (0, 20)),
                ("2025 was worse.", (21, 36)),
            ],
        );
    }

    #[test]
    fn ellipses() {
        check(
            "He paused… Then he spoke. I wasn’t really ... well, I mean...see . . . what I mean.",
            &[
                ("He paused…", (0, 12)),
                ("Then he spoke.", (13, 27)),
                (
                    "I wasn’t really ... well, I mean...see . . . what I mean.",
                    (28, 87),
                ),
            ],
        );
        check(
            "“The laws … will appear […] less complex. . . .” Next one.",
            &[
                ("“The laws … will appear […] less complex. . . .”", (0, 56)),
                ("Next one.", (57, 66)),
            ],
        );
    }

    #[test]
    fn quotes_straight_and_curly() {
        check(
            "She said, \"This is great.\" she smiled. 'Really?' He nodded.",
            &[
                ("She said, \"This is great.\" she smiled.", (0, 38)),
                ("'Really?'", (39, 48)),
                ("He nodded.", (49, 59)),
            ],
        );
        check(
            "“Why?” asked Putin. “Enough!” He left.",
            &[
                ("“Why?” asked Putin.", (0, 23)),
                ("“Enough!”", (24, 37)),
                ("He left.", (38, 46)),
            ],
        );
        check(
            "He said it («Crimea is ours.») and left. He wrote: «Готово. Всё».",
            &[
                ("He said it («Crimea is ours.») and left.", (0, 42)),
                ("He wrote: «Готово.", (43, 68)),
                ("Всё».", (69, 78)),
            ],
        );
    }

    #[test]
    fn multi_sentence_quote_split_at_each_end() {
        check(
            "He said: “Crimea is part of Ukraine. Crimea is Ukraine.” Then he left.",
            &[
                ("He said: “Crimea is part of Ukraine.", (0, 38)),
                ("Crimea is Ukraine.”", (39, 60)),
                ("Then he left.", (61, 74)),
            ],
        );
    }

    #[test]
    fn attribution_after_quote_stays_whole() {
        check(
            "“Nobody sane would sign a document giving up territory,” he said. “Zelensky will not sign.",
            &[
                (
                    "“Nobody sane would sign a document giving up territory,” he said.",
                    (0, 69),
                ),
                ("“Zelensky will not sign.", (70, 96)),
            ],
        );
        check(
            "“It is over.” he said. “Is it?” she asked.",
            &[
                ("“It is over.” he said.", (0, 26)),
                ("“Is it?” she asked.", (27, 50)),
            ],
        );
    }

    #[test]
    fn headlines_and_paragraphs() {
        check(
            "Envoys Sent to Moscow\nBoth men were there.\n\nA new paragraph\n\nwithout end",
            &[
                ("Envoys Sent to Moscow", (0, 21)),
                ("Both men were there.", (22, 42)),
                ("A new paragraph", (44, 59)),
                ("without end", (61, 72)),
            ],
        );
        // A line break after final punctuation ends the sentence even where the period alone
        // would not (scraped paragraphs), except before lower case and after a dateline.
        check(
            "Sanctions came from the U.S.\nRussia rejected them.\nMOSCOW, October 4. /TASS/.\nPutin spoke.",
            &[
                ("Sanctions came from the U.S.", (0, 28)),
                ("Russia rejected them.", (29, 50)),
                ("MOSCOW, October 4. /TASS/.\nPutin spoke.", (51, 90)),
            ],
        );
        check(
            "It was late.\nand dark.",
            &[("It was late.\nand dark.", (0, 22))],
        );
    }

    #[test]
    fn crlf_line_endings() {
        check(
            "Headline Here\r\nFirst sentence. Second one.\r\n\r\nNext para\r\n",
            &[
                ("Headline Here", (0, 13)),
                ("First sentence.", (15, 30)),
                ("Second one.", (31, 42)),
                ("Next para", (46, 55)),
            ],
        );
    }

    #[test]
    fn datelines() {
        check(
            "MOSCOW, October 4. /TASS/. Russian President Vladimir Putin spoke. He left.",
            &[
                (
                    "MOSCOW, October 4. /TASS/. Russian President Vladimir Putin spoke.",
                    (0, 66),
                ),
                ("He left.", (67, 75)),
            ],
        );
        check(
            "KYIV, Dec. 5 (Reuters) - Talks resumed.",
            &[("KYIV, Dec. 5 (Reuters) - Talks resumed.", (0, 39))],
        );
    }

    #[test]
    fn non_ascii_text() {
        check(
            "Президент В. Путин заявил. Это всё — конец. José Martí spoke — briefly. Ünal left.",
            &[
                ("Президент В. Путин заявил.", (0, 47)),
                ("Это всё — конец.", (48, 77)),
                ("José Martí spoke — briefly.", (78, 109)),
                ("Ünal left.", (110, 121)),
            ],
        );
        check(
            "東京に行った。大阪も。",
            &[("東京に行った。", (0, 21)), ("大阪も。", (21, 33))],
        );
    }

    #[test]
    fn lists() {
        check(
            "1. The first item 2. The second item",
            &[
                ("1. The first item", (0, 17)),
                ("2. The second item", (18, 36)),
            ],
        );
        check(
            "• First point • Second point",
            &[("• First point", (0, 15)), ("• Second point", (16, 32))],
        );
        // A number that does not continue the list stays inside the item.
        check(
            "1) Troops took 3) Bakhmut 2) Avdiivka",
            &[
                ("1) Troops took 3) Bakhmut", (0, 25)),
                ("2) Avdiivka", (26, 37)),
            ],
        );
    }

    #[test]
    fn golden_rules() {
        let data = include_str!("../../tests/data/golden_rules_en.json");
        let cases: Vec<serde_json::Value> = serde_json::from_str(data).expect("valid JSON");
        assert_eq!(cases.len(), 48);
        let mut passed = 0;
        for case in &cases {
            let text = case["text"].as_str().expect("text");
            let expected: Vec<&str> = case["expected"]
                .as_array()
                .expect("expected")
                .iter()
                .map(|v| v.as_str().expect("string").trim())
                .collect();
            let got: Vec<&str> = texts(text).into_iter().map(str::trim).collect();
            if got == expected {
                passed += 1;
            } else {
                println!(
                    "golden rule {} ({}) failed:\n  expected {expected:?}\n  got      {got:?}",
                    case["id"], case["rule"]
                );
            }
        }
        println!("golden rules: {passed}/48");
        assert_eq!(passed, 48);
    }

    /// Splits one CSV record into fields (quoted fields may hold commas and doubled quotes).
    fn csv_fields(line: &str) -> Vec<String> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
        fields
    }

    #[test]
    fn seed_article_reproduces_gold_sentences() {
        let article = include_str!("../../tests/data/seed/article.txt");
        let gold = include_str!("../../tests/data/seed/gold.csv");
        let expected: Vec<(usize, usize, String)> = gold
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f = csv_fields(l);
                let start = f[1].parse().expect("char_start");
                let end = f[2].parse().expect("char_end");
                (start, end, f[3].clone())
            })
            .collect();
        assert_eq!(expected.len(), 40);
        let got: Vec<(usize, usize, String)> = sentence_spans(article)
            .into_iter()
            .filter(|r| !crate::split::furniture::is_furniture(&article[r.clone()]))
            .map(|r| {
                let start = article[..r.start].chars().count();
                let end = start + article[r.clone()].chars().count();
                (start, end, article[r].to_string())
            })
            .collect();
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e);
        }
        assert_eq!(got.len(), expected.len());
    }

    /// xorshift64: a fixed, dependency-free source of pseudo-random strings.
    fn next_random(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn property_spans_are_well_formed() {
        const PROPERTY_CASES: usize = 5000;
        const ALPHABET: &[&str] = &[
            "a", "B", "I", "Mr", "U.S", "e.g", "1", "22", " ", " ", " ", ".", ".", "!", "?", "…",
            "\"", "'", "“", "”", "‘", "’", "«", "»", "(", ")", "[", "]", "\n", "\r\n", "\n\n",
            "\t", "\u{a0}", "\u{2029}", "é", "Ж", "ж", "—", "東", "。", "•", "⁃", "/", ":", ",",
            "-", "@", "1.)", "2)", "b.", "/TASS/", "p.m", " . . .", "[...]", "J. R.",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..PROPERTY_CASES {
            let len = (next_random(&mut state) % 40) as usize;
            let mut text = String::new();
            for _ in 0..len {
                let pick = (next_random(&mut state) % ALPHABET.len() as u64) as usize;
                text.push_str(ALPHABET[pick]);
            }
            let spans = sentence_spans(&text);
            let mut covered = 0;
            for (k, r) in spans.iter().enumerate() {
                assert!(r.start < r.end && r.end <= text.len(), "{text:?}: {r:?}");
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                let s = &text[r.clone()];
                assert_eq!(s, s.trim(), "{text:?}: untrimmed {r:?}");
                if k > 0 {
                    assert!(spans[k - 1].end <= r.start, "{text:?}: overlap at {r:?}");
                }
                // Nothing but whitespace lies between sentences.
                assert!(
                    text[covered..r.start].trim().is_empty(),
                    "{text:?}: lost text"
                );
                covered = r.end;
            }
            assert!(text[covered..].trim().is_empty(), "{text:?}: lost tail");
        }
    }

    #[test]
    fn long_inputs_are_linear() {
        let started = std::time::Instant::now();
        let line = "word ".repeat(200_000);
        assert_eq!(sentence_spans(&line).len(), 1);
        let dots = ". ".repeat(500_000);
        assert!(sentence_spans(&dots).len() <= 1);
        let doc = "Mr. Smith said the U.S. Army left at 5 p.m. on Jan. 5. “It is over,” he said.\n"
            .repeat(10_000);
        assert_eq!(sentence_spans(&doc).len(), 20_000);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
    }
}
