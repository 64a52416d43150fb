//! Finding who a verb belongs to: the subject before it (past auxiliaries,
//! adverbs, inserted clauses and prepositional phrases), after it ("…,”
//! said X"), coordinated subjects, appositives and relative clauses.

use std::ops::Range;

use super::coref::{Mention, MentionKind, WhoKind};
use super::lexicon;
use super::sentence::Sent;

/// The subject right after an inverted verb, past its titles: "said Senior
/// Lieutenant Andriy Kovalenko", "said the French ambassador, Jérôme Bonnafont".
pub(super) fn inverted_subject(s: &Sent, v: usize) -> Option<usize> {
    let mut k = v + 1;
    while k < s.toks.len() && k <= v + 6 {
        if let Some(m) = s.mentions.iter().position(|m| m.first == k) {
            // A title followed by ", Name": the name.
            let m2 = s.mentions.get(m + 1).filter(|n| {
                s.mentions[m].kind != MentionKind::Name
                    && n.kind == MentionKind::Name
                    && n.first == s.mentions[m].last + 1
                    && s.toks[s.mentions[m].last].is_punct(',')
            });
            return Some(if m2.is_some() { m + 1 } else { m });
        }
        let t = &s.toks[k];
        let skippable = t.is_punct(',')
            || (t.is_word()
                && (t.cap
                    || lexicon::is_title_word(&t.norm)
                    || matches!(t.norm.as_str(), "the" | "a" | "an")));
        if !skippable {
            return None;
        }
        k += 1;
    }
    None
}

/// The subject of the verb at `v`: the nearest mention before it that only
/// auxiliaries, adverbs, an inserted clause or a prepositional phrase
/// separate from the verb.
pub(super) fn subject_before(s: &Sent, v: usize, lo: usize) -> Option<usize> {
    let participle = s.norm(v).ends_with("ing");
    for (mi, m) in s.mentions.iter().enumerate().rev() {
        if m.last > v || m.first < lo {
            continue;
        }
        let gap = m.last..v;
        if m.who.is_none() {
            // A document whose author is unknown is still the subject.
            if m.kind == MentionKind::Document && !m.after_prep && gap_ok(s, gap, participle) {
                return None;
            }
            continue;
        }
        if (gap.clone()).any(|k| hard_boundary(s, k)) {
            return None;
        }
        let relative = matches!(s.norm(m.last), "who" | "which" | "that");
        if inside_relative(s, m.first, lo) {
            continue;
        }
        // "with Dmitry Peskov saying": the participle's own subject.
        let absolute = participle && gap.is_empty() && m.first > 0 && s.norm(m.first - 1) == "with";
        if in_prepositional_group(s, mi) && !relative && !absolute {
            continue;
        }
        if m.possessive {
            // "Zelensky's office said": the possessor speaks through its office.
            let head = gap.clone().skip(1).all(|k| s.toks[k].is_word())
                && gap.len() <= 4
                && gap
                    .clone()
                    .skip(1)
                    .any(|k| lexicon::is_proxy_noun(s.norm(k)));
            if head {
                return Some(coordinated_subject(s, mi));
            }
            continue;
        }
        // ", Yevgeny Balitsky, said": an appositive name closes with the comma.
        let enclosed = m.first > 0 && s.toks[m.first - 1].is_punct(',');
        if gap_ok(s, gap.clone(), participle || enclosed) {
            return Some(led_by(
                s,
                appositive_head(s, body_of_group(s, coordinated_subject(s, mi))),
            ));
        }
        // "China, India, Brazil and Gabon abstained": a list with names the
        // registry lacks; its first member leads.
        let list = gap.len() >= 2
            && gap.clone().all(|k| {
                s.toks[k].is_punct(',')
                    || matches!(s.norm(k), "and" | "the")
                    || (s.toks[k].cap && s.toks[k].is_word())
            })
            && gap.clone().any(|k| s.norm(k) == "and");
        if list {
            // Walk back to the list's first member.
            let mut k = mi;
            while k > 0 {
                let p = &s.mentions[k - 1];
                let link = (p.last..s.mentions[k].first)
                    .all(|t| s.toks[t].is_punct(',') || s.norm(t) == "and");
                if !link || p.who.is_none() || p.last == s.mentions[k].first {
                    break;
                }
                k -= 1;
            }
            return Some(k);
        }
    }
    // "…, saying Russia would support …", "ordered sanctions and said …": the
    // main clause's subject.
    let mut b = v;
    while b > lo
        && s.toks[b - 1].is_word()
        && lexicon::is_bridge(s.norm(b - 1))
        && !matches!(s.norm(b - 1), "and" | "but")
    {
        b -= 1;
    }
    let coordinated = b > 0 && matches!(s.norm(b - 1), "and" | "but");
    if (participle && v > 0 && s.toks[v - 1].is_punct(',')) || coordinated {
        return clause_subject(s, lo..v);
    }
    None
}

/// Whether token `at` sits in a relative clause opened after a comma
/// (", who chairs the Mejlis,"; ", whose faction …").
fn inside_relative(s: &Sent, at: usize, lo: usize) -> bool {
    for k in (lo..at).rev() {
        if s.toks[k].is_punct(',') || !s.frame(k) {
            return false;
        }
        if matches!(s.norm(k), "who" | "which" | "whose" | "whom")
            && k > lo
            && s.toks[k - 1].is_punct(',')
        {
            return true;
        }
    }
    false
}

/// "Ukraine's delegation, led by Rustem Umerov, said": the leader speaks.
fn led_by(s: &Sent, mi: usize) -> usize {
    let m = &s.mentions[mi];
    if m.who.as_ref().is_some_and(|w| w.kind == WhoKind::Person)
        || !s.toks.get(m.last).is_some_and(|t| t.is_punct(','))
    {
        return mi;
    }
    let mut k = m.last + 1;
    if !matches!(s.norm(k), "led" | "headed" | "chaired") {
        return mi;
    }
    k += 1;
    while lexicon::is_bridge(s.norm(k)) && s.norm(k) != "by" {
        k += 1;
    }
    if s.norm(k) != "by" {
        return mi;
    }
    s.mentions
        .iter()
        .position(|p| {
            p.first > k
                && p.first <= k + 5
                && p.kind == MentionKind::Name
                && p.who.as_ref().is_some_and(|w| w.kind == WhoKind::Person)
        })
        .unwrap_or(mi)
}

/// "NATO foreign and defence ministers", "a Downing Street spokesman": unnamed
/// members of a named body speak for it.
fn body_of_group(s: &Sent, mi: usize) -> usize {
    let m = &s.mentions[mi];
    if m.kind != MentionKind::Anonymous || mi == 0 {
        return mi;
    }
    let p = &s.mentions[mi - 1];
    let body = p.kind == MentionKind::Name
        && p.who.as_ref().is_some_and(|w| w.kind == WhoKind::Body)
        && !p.possessive;
    let between =
        (p.last..m.first).all(|k| s.toks[k].is_word() && !s.toks[k].cap) && m.first - p.last <= 3;
    let head =
        lexicon::is_proxy_noun(s.norm(m.last - 1)) || lexicon::is_proxy_head(s.norm(m.last - 1));
    // "one EU diplomat" stays unnamed; "a State Department spokesman" speaks for it.
    let indefinite = p.first > 0 && lexicon::is_indefinite(s.norm(p.first - 1));
    let official = matches!(
        s.norm(m.last - 1),
        "spokesman" | "spokeswoman" | "spokesperson"
    );
    if body && between && head && !p.after_prep && (!indefinite || official) {
        mi - 1
    } else {
        mi
    }
}

/// A speaker that is not the main clause's subject still counts when only a
/// long introduction precedes it ("In a television interview broadcast on
/// Sunday, the Republican nominee said …"): no relative word comes between
/// the last comma and the speaker.
pub(super) fn relative_speaker_ok(s: &Sent, mi: usize) -> bool {
    let m = &s.mentions[mi];
    let start = (s.body..m.first)
        .rev()
        .find(|&k| s.toks[k].is_punct(',') || is_dash(s, k))
        .map_or(s.body, |c| c + 1);
    let relative = (start..m.first).any(|k| {
        matches!(
            s.norm(k),
            "that"
                | "which"
                | "who"
                | "whom"
                | "whose"
                | "where"
                | "when"
                | "what"
                | "as"
                | "while"
                | "whereas"
                | "although"
                | "though"
                | "because"
                | "if"
                | "unless"
                | "whether"
        )
    });
    // "the territory Moscow claims", "a fact Russian diplomats say": a noun
    // phrase with its determiner right before the speaker.
    let noun = |k: usize| {
        s.toks[k].is_word()
            && !s.toks[k].cap
            && !lexicon::is_bridge(s.norm(k))
            && !lexicon::is_title_word(s.norm(k))
    };
    let reduced = m.first > start
        && noun(m.first - 1)
        && (m.first.saturating_sub(3).max(start + 1)..m.first - 1).any(|k| {
            matches!(
                s.norm(k),
                "the"
                    | "a"
                    | "an"
                    | "any"
                    | "every"
                    | "this"
                    | "that"
                    | "all"
                    | "some"
                    | "its"
                    | "their"
            )
        });
    !relative && !reduced
}

/// "Vladislav Surkov, a Kremlin aide, said": the name, not its appositive.
fn appositive_head(s: &Sent, mi: usize) -> usize {
    let m = &s.mentions[mi];
    if mi == 0 || m.kind == MentionKind::Name || m.first == 0 || !s.toks[m.first - 1].is_punct(',')
    {
        return mi;
    }
    let p = &s.mentions[mi - 1];
    if p.last + 1 == m.first && p.kind == MentionKind::Name && !p.after_prep && p.who.is_some() {
        return mi - 1;
    }
    mi
}

/// The mentions coordinated with mention `mi` and before it, nearest
/// first: "Washington, London, Brussels, and most of the world". A list
/// needs an "and" (or "or") before its last member, so "In Kyiv, Turchynov"
/// is no list.
fn conjuncts(s: &Sent, mi: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = mi;
    let mut listed = false;
    while k > 0 {
        let (prev, m) = (&s.mentions[k - 1], &s.mentions[k]);
        let between: Vec<&str> = (prev.last..m.first).map(|t| s.norm(t)).collect();
        let link = match between.as_slice() {
            ["and"] | [",", "and"] | ["or"] | [",", "or"] => true,
            ["and", q] | [",", "and", q] => lexicon::is_indefinite(q),
            [","] => listed,
            _ => false,
        };
        if !link || prev.who.is_none() {
            break;
        }
        listed = true;
        k -= 1;
        out.push(k);
    }
    out
}

/// Whether mention `mi` sits in a prepositional phrase, alone or as part of
/// a coordination ("out of Moscow and Washington").
fn in_prepositional_group(s: &Sent, mi: usize) -> bool {
    s.mentions[mi].after_prep || conjuncts(s, mi).iter().any(|&k| s.mentions[k].after_prep)
}

/// "Washington and Brussels announced": the first of coordinated subjects
/// speaks for the group, unless one of them is the whole ("and most of the world").
fn coordinated_subject(s: &Sent, mi: usize) -> usize {
    if s.mentions[mi].whole {
        return mi;
    }
    conjuncts(s, mi).last().copied().unwrap_or(mi)
}

fn hard_boundary(s: &Sent, k: usize) -> bool {
    s.toks[k].punct().is_some_and(|c| ";:()".contains(c))
}

/// Whether the tokens between a subject and its verb allow them to belong together.
fn gap_ok(s: &Sent, gap: Range<usize>, participle: bool) -> bool {
    if gap.is_empty() {
        return true;
    }
    let toks: Vec<usize> = gap.collect();
    let first = toks[0];
    let is_sep =
        |k: usize| s.toks[k].is_punct(',') || s.toks[k].is_punct('—') || s.toks[k].is_punct('–');
    let bridge = |k: usize| s.toks[k].is_word() && lexicon::is_bridge(s.norm(k));
    if is_sep(first) {
        // ", speaking on Thursday," / "— a 28-point draft —" / ", who …,"
        let last_sep = toks.iter().rposition(|&k| is_sep(k)).unwrap_or(0);
        let tail_ok = toks[last_sep + 1..].iter().all(|&k| bridge(k));
        // "European diplomats, who say …"
        if last_sep == 0 && toks.len() > 1 && s.norm(toks[1]) == "who" {
            return tail_ok;
        }
        if last_sep == 0 {
            // ", speaking on Thursday": a participle; "— a 28-point draft — reportedly
            // offered": the mention closes an inserted appositive.
            return tail_ok && (participle || !s.toks[first].is_punct(','));
        }
        return tail_ok && toks.len() <= 30;
    }
    let habitual = |k: usize| {
        k > 0
            && s.norm(k) == "to"
            && matches!(
                s.norm(k - 1),
                "likes" | "continues" | "continued" | "tends" | "declined" | "refused" | "used"
            )
    };
    if toks
        .iter()
        .all(|&k| bridge(k) || habitual(k) || matches!(s.norm(k), "declined" | "refused"))
    {
        return true;
    }
    // "A European official who attended the dinner said"
    if s.norm(first) == "who" && toks.len() <= 8 && toks.iter().all(|&k| s.toks[k].is_word()) {
        return true;
    }
    // "Sources close to the discussions say", "One official briefed on the exchanges put".
    let w0 = s.norm(first);
    if lexicon::is_anon_modifier(w0)
        || lexicon::is_preposition(w0)
        || w0.ends_with("ed")
        || w0.ends_with("ing")
    {
        let words = toks
            .iter()
            .all(|&k| s.toks[k].is_word() || s.toks[k].is_punct('-'));
        if words && toks.len() <= 7 {
            return true;
        }
    }
    false
}

/// The subject of the clause in `range`: its first mention outside a
/// prepositional phrase.
pub(super) fn clause_subject(s: &Sent, range: Range<usize>) -> Option<usize> {
    let fits = |m: &Mention| {
        m.first >= range.start && m.last <= range.end && !m.after_prep && m.who.is_some()
    };
    let main = (0..s.mentions.len()).find(|&i| fits(&s.mentions[i]) && main_subject(s, i));
    main.or_else(|| s.mentions.iter().position(fits))
        .map(|i| coordinated_subject(s, i))
}

/// Whether mention `mi` is the subject of the main clause: only an
/// introductory phrase closed by a comma, or a word or two, precede it.
pub(super) fn main_subject(s: &Sent, mi: usize) -> bool {
    let first = s.mentions[mi].first;
    let prefix = s.body..first;
    // A comma, a dash or a quotation closes what came before ("“…,” the official said").
    let last_comma = prefix.clone().rev().find(|&k| {
        s.toks[k].is_punct(',')
            || is_dash(s, k)
            || !s.frame(k)
            || s.toks[k].punct().is_some_and(|c| "”\"’'“:".contains(c))
    });
    let lead = match last_comma {
        Some(c) => c + 1..first,
        None => prefix.clone(),
    };
    let short = lead.len() <= 4
        && lead.clone().all(|k| {
            let w = s.norm(k);
            matches!(
                w,
                "the"
                    | "but"
                    | "and"
                    | "yet"
                    | "so"
                    | "then"
                    | "now"
                    | "still"
                    | "instead"
                    | "meanwhile"
                    | "both"
                    | "even"
                    | "also"
            ) || (lexicon::is_bridge(w) && !matches!(w, "that" | "which" | "who"))
                || lexicon::is_title_word(w)
                || (s.toks[k].cap && s.toks[k].is_word())
        });
    let subordinate = prefix.clone().any(|k| {
        matches!(
            s.norm(k),
            "that"
                | "which"
                | "who"
                | "whom"
                | "whose"
                | "where"
                | "when"
                | "while"
                | "whereas"
                | "although"
                | "though"
                | "because"
                | "unless"
                | "until"
                | "whether"
        )
    });
    // An introductory clause ("After X met Y, Z said") is fine when a comma closes it.
    short
        && (!subordinate
            || last_comma.is_some_and(|c| !(c + 1..first).any(|k| s.norm(k) == "that")))
}

/// Token `k` is a dash (— or –).
pub(super) fn is_dash(s: &Sent, k: usize) -> bool {
    s.toks[k].is_punct('—') || s.toks[k].is_punct('–')
}
