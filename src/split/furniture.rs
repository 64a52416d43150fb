//! Page furniture: the chrome of a news page that scrapers keep (share buttons, "Read more",
//! bylines, cookie notices). It is not a statement, so the pipeline drops it.
//!
//! Detection is conservative, since dropping a real sentence loses a statement: every pattern
//! is anchored (a whole line, a line prefix or suffix, or a phrase only a site uses of itself,
//! such as "we use cookies"), and bylines must consist of name-like words after "By".

/// How a pattern is matched against the normalised sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// The whole sentence.
    Exact,
    /// The start of the sentence, ending at a word boundary.
    Prefix,
    /// The end of the sentence.
    Suffix,
    /// Anywhere in the sentence.
    Contains,
    /// The start of the sentence, when the sentence also names a social network or channel
    /// ("Follow us on Telegram", not "Follow us, he told his men").
    PrefixNetwork,
}

/// The pattern table, in lower case. The sentence is lower-cased, its whitespace collapsed and
/// its leading and trailing decoration (`»`, `|`, `:`, `…`) removed before matching.
const PATTERNS: &[(Match, &str)] = &[
    // Links to other pages.
    (Match::Exact, "read more"),
    (Match::Exact, "continue reading"),
    (Match::Exact, "related"),
    (Match::Exact, "related articles"),
    (Match::Exact, "related stories"),
    (Match::Exact, "related news"),
    (Match::Exact, "related content"),
    (Match::Exact, "read also"),
    (Match::Exact, "also read"),
    (Match::Exact, "see also"),
    (Match::Exact, "more on this story"),
    (Match::Exact, "most read"),
    (Match::Exact, "most popular"),
    (Match::Exact, "top stories"),
    (Match::Exact, "recommended"),
    (Match::Exact, "you may also like"),
    (Match::Exact, "next article"),
    (Match::Exact, "previous article"),
    (Match::Exact, "back to top"),
    (Match::Prefix, "read more:"),
    (Match::Prefix, "read more at"),
    (Match::Prefix, "read more here"),
    (Match::Prefix, "read also:"),
    (Match::Prefix, "also read:"),
    (Match::Prefix, "see also:"),
    (Match::Prefix, "related:"),
    (Match::Prefix, "more:"),
    (Match::Prefix, "watch:"),
    (Match::Prefix, "video:"),
    (Match::Prefix, "listen:"),
    (Match::Prefix, "tags:"),
    (Match::Prefix, "topics:"),
    (Match::Prefix, "filed under:"),
    (Match::Prefix, "click here"),
    (Match::Prefix, "tap here"),
    // Advertising.
    (Match::Exact, "advertisement"),
    (Match::Exact, "advertising"),
    (Match::Exact, "sponsored"),
    (Match::Exact, "sponsored content"),
    (Match::Exact, "skip advertisement"),
    (Match::Exact, "story continues below advertisement"),
    (Match::Exact, "article continues below advertisement"),
    (Match::Exact, "scroll to continue"),
    (Match::Exact, "scroll to continue with content"),
    (Match::Prefix, "advertisement -"),
    // Calls to action.
    (Match::Exact, "subscribe"),
    (Match::Exact, "subscribe now"),
    (Match::Prefix, "subscribe to"),
    (Match::Prefix, "subscribe for"),
    (Match::Prefix, "subscribe now"),
    (Match::Prefix, "sign up for"),
    (Match::Prefix, "sign up to"),
    (Match::Prefix, "sign up now"),
    (Match::Exact, "sign up"),
    (Match::Exact, "sign in"),
    (Match::Exact, "log in"),
    (Match::Exact, "register"),
    (Match::PrefixNetwork, "follow us"),
    (Match::PrefixNetwork, "join us"),
    (Match::PrefixNetwork, "join our"),
    (Match::PrefixNetwork, "like us"),
    (Match::PrefixNetwork, "find us on"),
    (Match::Prefix, "download our"),
    (Match::Prefix, "get our newsletter"),
    (Match::Exact, "newsletter"),
    (Match::Exact, "print"),
    (Match::Exact, "email"),
    (Match::Exact, "share"),
    (Match::Exact, "share this"),
    (Match::Exact, "share this article"),
    (Match::Exact, "share this story"),
    (Match::Prefix, "share this:"),
    (Match::Exact, "comments"),
    (Match::Exact, "show comments"),
    (Match::Exact, "leave a comment"),
    (Match::Exact, "loading"),
    (Match::Exact, "listen to this article"),
    (Match::Exact, "watch video"),
    (Match::Exact, "skip to content"),
    (Match::Exact, "skip to main content"),
    (Match::Prefix, "report an error"),
    (Match::Prefix, "report a typo"),
    // Credits and rights.
    (Match::Prefix, "photo:"),
    (Match::Prefix, "photo by"),
    (Match::Prefix, "photos:"),
    (Match::Prefix, "photograph:"),
    (Match::Prefix, "image:"),
    (Match::Prefix, "picture:"),
    (Match::Prefix, "file photo:"),
    (Match::Prefix, "photo credit"),
    (Match::Prefix, "image credit"),
    (Match::Prefix, "credit:"),
    (Match::Prefix, "this article was originally published"),
    (Match::Prefix, "this story was originally published"),
    (Match::Prefix, "this article first appeared"),
    (Match::Prefix, "©"),
    (Match::Suffix, "all rights reserved"),
    // Cookie and consent notices: only a site speaks of "our" cookies.
    (Match::Contains, "we use cookies"),
    (Match::Contains, "this site uses cookies"),
    (Match::Contains, "this website uses cookies"),
    (Match::Contains, "our cookie policy"),
    (Match::Contains, "our use of cookies"),
    (Match::Contains, "you agree to the use of cookies"),
    (Match::Contains, "you consent to the use of cookies"),
    (Match::Exact, "accept cookies"),
    (Match::Exact, "accept all cookies"),
    (Match::Exact, "cookie settings"),
    (Match::Exact, "manage cookies"),
    (Match::Exact, "cookie policy"),
    (Match::Exact, "accept"),
    (Match::Exact, "accept all"),
    (Match::Exact, "reject all"),
    (Match::Exact, "got it"),
];

/// Words that, with a network name, make a "follow us" line a call to action.
const CHANNELS: &[&str] = &["channel", "newsletter", "community", "page", "feed"];

/// Words of a share-button bar.
const SHARE_WORDS: &[&str] = &[
    "share", "shares", "sharing", "on", "via", "to", "this", "the", "article", "story", "page",
    "link", "copy", "copied", "tweet", "email", "e", "mail", "print", "more", "comment",
    "comments",
];

/// Social networks and messengers.
const NETWORKS: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "reddit",
    "whatsapp",
    "telegram",
    "pinterest",
    "messenger",
    "vk",
    "viber",
    "flipboard",
    "tumblr",
    "pocket",
    "threads",
    "bluesky",
    "mastodon",
    "weibo",
    "wechat",
    "odnoklassniki",
    "gmail",
    "sms",
    "instagram",
    "youtube",
    "tiktok",
];

/// Words of a date or time stamp ("Updated: 28 November 2025, 10:05 GMT").
const STAMP_WORDS: &[&str] = &[
    "updated",
    "published",
    "posted",
    "modified",
    "last",
    "first",
    "on",
    "at",
    "ago",
    "hour",
    "hours",
    "minute",
    "minutes",
    "min",
    "mins",
    "day",
    "days",
    "today",
    "yesterday",
    "just",
    "now",
    "am",
    "pm",
    "a",
    "m",
    "p",
    "gmt",
    "utc",
    "et",
    "edt",
    "est",
    "bst",
    "cet",
    "cest",
    "msk",
    "eet",
    "eest",
    "pt",
    "pst",
    "pdt",
];

/// Months and weekdays, full and abbreviated.
const CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// Capitalised words that follow "By" in sentences but are no one's name ("By Monday, ...").
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "Then",
    "Now",
    "Far",
    "Contrast",
    "Comparison",
    "Law",
    "Decree",
    "Order",
    "Force",
    "Default",
    "Design",
    "Way",
    "Land",
    "Sea",
    "Air",
    "Mid",
    "Early",
    "Late",
    "End",
    "Noon",
    "Midnight",
    "Tonight",
    "Tomorrow",
    "Yesterday",
    "Today",
    "Next",
    "Last",
    "Most",
    "All",
    "Some",
    "Many",
];

/// Longest sentence considered; furniture is short, and cookie notices fit.
const MAX_FURNITURE_BYTES: usize = 600;

/// Whether `sentence` is page furniture rather than a statement.
///
/// True for share bars, "Read more" and advertising lines, calls to subscribe or follow,
/// bylines ("By Jane Doe and John Roe"), photo credits, date stamps ("Updated 10:05 GMT"),
/// copyright lines, cookie notices, and text without a letter or digit.
pub fn is_furniture(sentence: &str) -> bool {
    let s = sentence.trim();
    if !s.chars().any(char::is_alphanumeric) {
        return true;
    }
    if s.len() > MAX_FURNITURE_BYTES {
        return false;
    }
    let norm = normalise(s);
    PATTERNS
        .iter()
        .any(|&(kind, pattern)| matches(&norm, kind, pattern))
        || is_share_bar(&norm)
        || is_stamp(&norm)
        || is_copyright(&norm)
        || is_byline(s)
}

/// Lower-cases, collapses whitespace and strips decoration at both ends.
fn normalise(s: &str) -> String {
    let lower = s.to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let decoration: &[char] = &[
        ' ', '.', ':', '!', '…', '»', '›', '«', '‹', '→', '|', '-', '–', '—', '*', '•', '·', '>',
    ];
    collapsed.trim_matches(decoration).to_string()
}

fn matches(norm: &str, kind: Match, pattern: &str) -> bool {
    match kind {
        Match::Exact => norm == pattern,
        Match::Prefix => starts_with_word(norm, pattern),
        Match::PrefixNetwork => {
            starts_with_word(norm, pattern)
                && words(norm).any(|w| NETWORKS.contains(&w) || CHANNELS.contains(&w))
        }
        Match::Suffix => norm.ends_with(pattern),
        Match::Contains => norm.contains(pattern),
    }
}

/// Whether `norm` starts with `pattern`, ending at a word boundary.
fn starts_with_word(norm: &str, pattern: &str) -> bool {
    norm.starts_with(pattern)
        && (!pattern.ends_with(char::is_alphanumeric)
            || !norm[pattern.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric))
}

/// Lower-case words: runs of letters and digits.
fn words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// "Share on Facebook «||» Share on Twitter", or a bare row of network names.
fn is_share_bar(norm: &str) -> bool {
    let mut networks = 0;
    let mut share = false;
    for w in words(norm) {
        if NETWORKS.contains(&w) {
            networks += 1;
        } else if SHARE_WORDS.contains(&w) || w.chars().all(|c| c.is_ascii_digit()) {
            share |= matches!(w, "share" | "tweet");
        } else {
            return false;
        }
    }
    (share && networks >= 1) || networks >= 2
}

/// "Updated: 28 November 2025, 10:05 GMT", "Published 3 hours ago".
fn is_stamp(norm: &str) -> bool {
    let mut has_digit = false;
    let mut has_date = false;
    for w in words(norm) {
        if w.chars().all(|c| c.is_ascii_digit()) {
            has_digit = true;
        } else if CALENDAR.contains(&w) {
            has_date = true;
        } else if !STAMP_WORDS.contains(&w) {
            return false;
        }
    }
    let has_time = norm.contains(':') || norm.contains("ago");
    has_digit && (has_date || has_time)
}

/// "(c) 2025 Reuters", "Copyright 2025 ...", "Copyright © ...".
fn is_copyright(norm: &str) -> bool {
    let rest = if let Some(r) = norm.strip_prefix("copyright") {
        r.trim_start()
    } else if let Some(r) = norm.strip_prefix("(c)") {
        r.trim_start()
    } else {
        return false;
    };
    rest.starts_with('©')
        || rest.starts_with("(c)")
        || rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Credits that may come before "by" in a byline segment.
const CREDITS: &[&str] = &[
    "",
    "written",
    "words",
    "story",
    "text",
    "reporting",
    "additional reporting",
    "editing",
    "writing",
    "compiled",
    "photos",
    "video",
];

/// A byline: "By Jane Doe", "By JANE DOE and John Roe, Reuters", "By Jane Doe in Kyiv",
/// "Reporting by Jane Doe; Editing by John Roe". Every word after "by" must look like a name.
fn is_byline(s: &str) -> bool {
    if s.ends_with(['?', '!']) {
        return false;
    }
    s.split(';').all(|segment| {
        let segment = segment.trim();
        // ASCII lower-casing keeps byte offsets valid in `segment`.
        let lower = segment.to_ascii_lowercase();
        let Some(at) = lower.find("by ") else {
            return false;
        };
        let credit = lower[..at].trim();
        let names = segment.get(at + 3..).unwrap_or("");
        CREDITS.contains(&credit) && is_name_list(names)
    })
}

/// One or more names joined by "and", "&", commas or "in PLACE".
fn is_name_list(s: &str) -> bool {
    let mut names = 0;
    for token in s.split_whitespace() {
        let token = token.trim_end_matches(',');
        if matches!(
            token,
            "and" | "&" | "|" | "-" | "–" | "—" | "in" | "for" | ""
        ) {
            continue;
        }
        if !is_name_token(token)
            || NOT_NAMES.contains(&token)
            || CALENDAR.contains(&token.to_lowercase().trim_end_matches('.'))
        {
            return false;
        }
        names += 1;
        if names > 10 {
            return false;
        }
    }
    names >= 1
}

/// A capitalised word of a name: "Jane", "O'Neil", "Jean-Luc", "J.", "Jr.", "DOE".
fn is_name_token(token: &str) -> bool {
    let mut chars = token.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let body = token.trim_end_matches('.');
    // Only initials and "Jr." end with a period; a sentence's last word does not count.
    if body.len() < token.len() && body.chars().count() > 2 {
        return false;
    }
    body.chars()
        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_is_detected() {
        let cases = [
            "Share on Facebook «||» Share on Twitter «||» Share on Reddit «||» Share on LinkedIn",
            "Facebook Twitter WhatsApp Email",
            "Share this article",
            "Read more",
            "Read more »",
            "Read more: Putin says talks are over",
            "Advertisement",
            "ADVERTISEMENT",
            "Story continues below advertisement",
            "Subscribe to our newsletter",
            "Sign up for our daily briefing",
            "Follow us on Telegram",
            "Join our Telegram channel",
            "© 2025 Reuters",
            "Copyright 2025 The Associated Press.",
            "All rights reserved.",
            "By Jane Doe",
            "By Jane Doe and John Roe",
            "BY JANE DOE",
            "By Jane Doe, Reuters",
            "By J. R. Smith in Kyiv",
            "Photo: Reuters",
            "Photo by Jane Doe/AP",
            "Updated: 28 November 2025, 10:05 GMT",
            "Updated 3 hours ago",
            "Published on Nov 28, 2025",
            "We use cookies to improve your experience. By continuing to browse you agree.",
            "This website uses cookies.",
            "Reporting by Guy Faulconbridge; Editing by Kevin Liffey",
            "Reporting by Guy Faulconbridge in Moscow; Additional reporting by Jane Doe",
            "Written by Jane Doe",
            "«||»",
            "* * *",
        ];
        for s in cases {
            assert!(is_furniture(s), "should be furniture: {s:?}");
        }
    }

    #[test]
    fn real_sentences_are_kept() {
        let cases = [
            "By Monday, Russian troops had withdrawn.",
            "By Friday Kyiv Agreed.",
            "By then, the plan was dead.",
            "Updated figures show losses rose.",
            "Photo evidence emerged on Tuesday.",
            "Follow-up talks are planned.",
            "Share prices fell on Monday.",
            "Advertisement revenue fell.",
            "The EU fined Google over cookie consent rules.",
            "Copyright law was also discussed.",
            "Read the draft carefully, he said.",
            "Subscribers to the plan include Hungary.",
            "Telegram and WhatsApp were blocked in Crimea.",
            "Reporting by the BBC showed heavy losses.",
            "Written by Putin himself, the essay denied Ukraine's statehood.",
            "Originally published in 2021, the essay denied Ukraine's statehood.",
            "Follow us, the commander told his men.",
            "Join our fight, Zelensky urged.",
            "The EU regulates the use of cookies.",
            "Google changed its cookie settings.",
            "By the end of 2014, Russia had annexed Crimea.",
            "By Russia's count, 20 villages fell.",
            "Envoys Sent to Moscow for High-Stakes Talks",
            "Europe Pushes Back Hard",
            "“Zelensky will not sign away territory.",
            "They say the Europeans can do whatever they want.”",
        ];
        for s in cases {
            assert!(!is_furniture(s), "should be kept: {s:?}");
        }
    }

    #[test]
    fn seed_article_has_one_furniture_line() {
        let article = include_str!("../../tests/data/seed/article.txt");
        let dropped: Vec<&str> = article.lines().filter(|l| is_furniture(l)).collect();
        assert_eq!(
            dropped,
            ["Share on Facebook «||» Share on Twitter «||» Share on Reddit «||» Share on LinkedIn"]
        );
    }
}
