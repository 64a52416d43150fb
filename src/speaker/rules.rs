//! The attribution rules of ANNOTATION.md, applied in order to each
//! sentence: quote, continuation, reported, described, according_to,
//! narration.

use std::ops::Range;

use super::coref::{Discourse, Mention, MentionKind, Who, WhoKind};
use super::lexicon;
use super::quotes::{find_quotes, Quote};
use super::registry::ActorRegistry;
use super::sentence::Sent;
use super::subject::{
    clause_subject, inverted_subject, is_dash, main_subject, relative_speaker_ok, subject_before,
};
use crate::record::{Attribution, Speaker};

/// A decision for one sentence.
struct Verdict {
    who: Option<Who>,
    how: Attribution,
    /// Which rule decided, for debugging.
    rule: &'static str,
}

impl Verdict {
    fn new(who: Who, how: Attribution) -> Self {
        Verdict {
            who: Some(who),
            how,
            rule: "",
        }
    }

    fn by(mut self, rule: &'static str) -> Self {
        self.rule = rule;
        self
    }

    fn narration() -> Self {
        Verdict {
            who: None,
            how: Attribution::Narration,
            rule: "narration",
        }
    }
}

/// Attributes every sentence of one text; see [`super::attribute`].
pub(crate) fn attribute(text: &str, spans: &[Range<usize>], reg: &ActorRegistry) -> Vec<Speaker> {
    explain(text, spans, reg)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// Like [`attribute`], with the name of the rule that decided each sentence.
pub(crate) fn explain(
    text: &str,
    spans: &[Range<usize>],
    reg: &ActorRegistry,
) -> Vec<(Speaker, &'static str)> {
    let quotes = find_quotes(text);
    let paras = paragraphs(text, spans);
    let mut sents: Vec<Sent> = spans
        .iter()
        .zip(&paras)
        .enumerate()
        .map(|(i, (span, &p))| Sent::new(text, span.clone(), i, p, &quotes))
        .collect();
    let mut st = Discourse::default();
    let mut quote_who: Vec<Option<Who>> = vec![None; quotes.len()];
    let mut out = Vec::with_capacity(spans.len());
    for i in 0..sents.len() {
        sents[i].find_mentions(reg, &mut st);
        let v = decide(&mut sents, i, &quotes, &mut quote_who, &mut st, reg);
        let s = &sents[i];
        for (mi, m) in s.mentions.iter().enumerate() {
            // "It" refers back to a draft only when the draft was the subject.
            if m.kind == MentionKind::Document && main_subject(s, mi) {
                st.last_document = Some((m.who.clone(), i));
            }
            if let (MentionKind::Document, Some(w)) = (m.kind, &m.who) {
                st.last_owner = Some((w.clone(), i));
            }
            if let Some(w) = &m.who {
                st.note(w, i);
            }
        }
        match v.who {
            Some(who) if v.how != Attribution::Narration => {
                st.note(&who, i);
                if who.kind != WhoKind::Anonymous
                    || v.how == Attribution::Quote
                    || v.how == Attribution::Continuation
                {
                    st.spoke(&who, i);
                }
                if matches!(v.how, Attribution::Quote | Attribution::Continuation) {
                    st.last_quote = Some((who.clone(), s.para, i));
                }
                out.push((
                    Speaker {
                        name: who.name,
                        camp: who.camp,
                        attribution: v.how,
                    },
                    v.rule,
                ));
            }
            _ => out.push((Speaker::author(), v.rule)),
        }
    }
    out
}

/// Paragraph index of each span: the number of newlines before it.
fn paragraphs(text: &str, spans: &[Range<usize>]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(spans.len());
    let (mut pos, mut para) = (0usize, 0usize);
    for span in spans {
        let end = span.start.min(bytes.len()).max(pos);
        para += bytes[pos..end].iter().filter(|&&b| b == b'\n').count();
        pos = end;
        out.push(para);
    }
    out
}

fn decide(
    sents: &mut [Sent],
    i: usize,
    quotes: &[Quote],
    quote_who: &mut [Option<Who>],
    st: &mut Discourse,
    reg: &ActorRegistry,
) -> Verdict {
    let s = &sents[i];
    // 2. continuation: the sentence starts inside a quotation opened earlier.
    if let Some(q) = s
        .quoted
        .first()
        .copied()
        .flatten()
        .filter(|&q| quotes[q].open < s.span.start)
    {
        let who = quote_who[q]
            .clone()
            .or_else(|| quote_frame_speaker(s, st, q))
            .or_else(|| fallback_quote_speaker(st, s));
        if let Some(w) = &who {
            quote_who[q] = Some(w.clone());
            return Verdict::new(w.clone(), Attribution::Continuation).by("cont");
        }
    }
    // "Lavrov: A freeze would settle nothing." (interview transcripts, liveblogs)
    if let Some(v) = interview_label(s) {
        if v.how == Attribution::Quote {
            st.interview = v.who.clone().map(|w| (w, s.para));
        }
        return v;
    }
    // 1. quote: a direct quotation that carries the sentence.
    if let Some(q) = carrying_quote(s, quotes) {
        let mut who = quote_frame_speaker(s, st, q);
        if who.is_none() {
            // The attribution may follow the quotation's last sentence.
            if let Some(j) = (i + 1..sents.len())
                .take_while(|&j| sents[j].span.start < quotes[q].end)
                .last()
            {
                sents[j].find_mentions(reg, st);
                who = quote_frame_speaker(&sents[j], st, q);
            }
        }
        let s = &sents[i];
        let fully_quoted = s.quoted[s.body..]
            .iter()
            .zip(&s.toks[s.body..])
            .all(|(q, t)| q.is_some() || !t.is_word());
        if let Some(w) = who {
            quote_who[q] = Some(w.clone());
            return Verdict::new(w, Attribution::Quote).by("quote-frame");
        }
        let intro = i > 0 && sents[i - 1].toks.last().is_some_and(|t| t.is_punct(':'));
        // "Lavrov was unmoved. “Nobody will return Crimea.”": the person the
        // previous sentence is about.
        let introduced = (i > 0 && sents[i - 1].para == s.para)
            .then(|| {
                let p = &sents[i - 1];
                clause_subject(p, p.body..p.toks.len())
                    .and_then(|m| p.mentions[m].who.clone())
                    .filter(|w| w.kind == WhoKind::Person)
            })
            .flatten();
        if let Some(w) = fallback_quote_speaker(st, s).or(introduced) {
            quote_who[q] = Some(w.clone());
            let how = if fully_quoted && !intro {
                Attribution::Continuation
            } else {
                Attribution::Quote
            };
            return Verdict::new(w, how).by("quote-fallback");
        }
    }
    let s = &sents[i];
    // The rest of an interviewee's answer.
    if let Some((w, p)) = &st.interview {
        if *p == s.para {
            return Verdict::new(w.clone(), Attribution::Continuation).by("interview-cont");
        }
    }
    // A question in the outlet's own voice ("What Would Moscow Want in Return").
    if is_question(s) {
        return Verdict::narration();
    }
    // "According to X, …" frames the whole sentence.
    if s.norm(s.body) == "according" {
        if let Some(v) = according_to(s) {
            return v;
        }
    }
    // 3. reported: an act of saying with its subject.
    let all = s.body..s.toks.len();
    if let Some(said) = speech(s, all.clone(), false, st) {
        // "Ukrainian officials privately acknowledged it, according to The New
        // York Times": the outlet is the channel.
        if said.who.kind == WhoKind::Anonymous {
            if let Some(v) = according_to(s)
                .filter(|v| v.who.as_ref().is_some_and(|w| w.kind == WhoKind::Outlet))
            {
                return v;
            }
        }
        return channel_or_speaker(s, &said);
    }
    // 5 (before 4, as it names its channel). "according to X"
    if let Some(v) = according_to(s) {
        return v;
    }
    // "Satellite images reviewed by Reuters": an outlet as the agent.
    if let Some(m) = s.mentions.iter().find(|m| {
        m.who.as_ref().is_some_and(|w| w.kind == WhoKind::Outlet)
            && m.first > 0
            && s.norm(m.first - 1) == "by"
    }) {
        if let Some(w) = m.who.clone() {
            return Verdict::new(w, Attribution::AccordingTo).by("outlet-agent");
        }
    }
    // 4. described: a position held without speaking.
    if let Some(v) = described(sents, i) {
        return v;
    }
    Verdict::narration()
}

/// A question asked in the outlet's voice: it ends with "?" or is a
/// headline opening with a question word.
fn is_question(s: &Sent) -> bool {
    let asks = lexicon::is_question_word(s.norm(s.body));
    let ends = s.toks.last().is_some_and(|t| t.is_punct('?'));
    asks && (ends || s.headline)
}

/// An outlet or unnamed source relays; the holder of a position they relay wins.
fn channel_or_speaker(s: &Sent, said: &Said) -> Verdict {
    let who = said.who.clone();
    if said.kind == MentionKind::Document {
        return Verdict::new(who, Attribution::Described).by("doc-subject");
    }
    match who.kind {
        WhoKind::Anonymous | WhoKind::Outlet => {
            // What they relay: the sentence without the channel and its verb
            // ("X, officials say" relays X).
            let from = said
                .subject
                .map_or(said.verb, |m| s.mentions[m].first.min(said.verb));
            let content: Vec<usize> = (s.body..s.toks.len())
                .filter(|&k| k < from || k > said.verb)
                .collect();
            let media = who.kind == WhoKind::Outlet
                || (from..said.verb).any(|k| {
                    matches!(
                        s.norm(k),
                        "reports" | "report" | "media" | "newspapers" | "outlets"
                    )
                });
            if let Some(h) = holder_in(s, &content, media) {
                return Verdict::new(h, Attribution::Described).by("channel-holder");
            }
            if s.headline {
                // "Crimean Officials Report 97 Percent Backing": the outlet's own headline.
                return Verdict::narration();
            }
            if who.kind == WhoKind::Anonymous && content.iter().any(|&k| is_target_at(s, k)) {
                Verdict::new(who, Attribution::Reported).by("anon-reported")
            } else {
                Verdict::new(who, Attribution::AccordingTo).by("channel")
            }
        }
        _ => Verdict::new(who, Attribution::Reported).by("speech"),
    }
}

/// The quotation that carries sentence `s`, if any: it opens the sentence,
/// follows a colon, or holds most of its words.
fn carrying_quote(s: &Sent, quotes: &[Quote]) -> Option<usize> {
    let words = s.words().max(1);
    let mut seen: Vec<usize> = Vec::new();
    for q in s.quoted.iter().flatten() {
        if !seen.contains(q) {
            seen.push(*q);
        }
    }
    for &q in &seen {
        let quote = &quotes[q];
        let in_sent: usize = s
            .toks
            .iter()
            .zip(&s.quoted)
            .filter(|(t, qq)| **qq == Some(q) && t.is_word())
            .count();
        let open_tok = s.toks.iter().position(|t| t.start == quote.open);
        let opens_sentence = open_tok.is_some_and(|o| o <= s.body);
        let after_colon = open_tok.is_some_and(|o| o > 0 && s.toks[o - 1].is_punct(':'));
        let after_dash = open_tok
            .is_some_and(|o| o > 0 && (s.toks[o - 1].is_punct('—') || s.toks[o - 1].is_punct('–')));
        if opens_sentence || ((after_colon || after_dash) && in_sent >= 3) || in_sent * 2 >= words {
            return Some(q);
        }
    }
    None
}

/// The speaker of quotation `q` named in the frame of sentence `s`: before
/// the quotation ("X said: “…"), after it ("…,” he said."; "…” — X"), or in
/// between.
fn quote_frame_speaker(s: &Sent, st: &Discourse, q: usize) -> Option<Who> {
    let n = s.toks.len();
    // Tokens of this quotation in this sentence.
    let first_q = s.quoted.iter().position(|x| *x == Some(q));
    let last_q = s.quoted.iter().rposition(|x| *x == Some(q));
    // After the quotation (its closing mark is at last_q + 1).
    if let Some(lq) = last_q {
        let after = (lq + 1).min(n);
        let mut k = after;
        while k < n && !s.toks[k].is_word() && !is_dash(s, k) {
            k += 1;
        }
        if k < n && is_dash(s, k) {
            if let Some(m) = s.mention_starting(k + 1) {
                return s.mentions[m].who.clone();
            }
        }
        if let Some(said) = speech(s, after..n, true, st) {
            return Some(said.who);
        }
    }
    // Before it.
    if let Some(fq) = first_q {
        let open = fq.saturating_sub(1);
        if open > s.body {
            if let Some(said) = speech(s, s.body..open, false, st) {
                return Some(said.who);
            }
            let lead = s.toks[open - 1].punct();
            if matches!(lead, Some(':') | Some(',')) || s.toks[open - 1].is_word() {
                // "Kallas was scathing about the idea: “…": the clause's subject.
                if let Some(m) = clause_subject(s, s.body..open) {
                    if lead == Some(':') {
                        return s.mentions[m].who.clone();
                    }
                }
            }
        }
    }
    None
}

/// When a quotation names no speaker: the last one quoted nearby, else the
/// last speaker.
fn fallback_quote_speaker(st: &Discourse, s: &Sent) -> Option<Who> {
    if let Some((w, p, _)) = &st.last_quote {
        if s.para.saturating_sub(*p) <= 2 {
            return Some(w.clone());
        }
    }
    if let Some((w, at)) = &st.last_speaker {
        if s.idx.saturating_sub(*at) <= 4 {
            return Some(w.clone());
        }
    }
    None
}

/// "Podolyak: We believe only what we see." → quote; a headline
/// "Kyiv: No Recognition Under Any Plan" → described.
fn interview_label(s: &Sent) -> Option<Verdict> {
    let m = s.mention_starting(s.body)?;
    let mention = &s.mentions[m];
    if !s.toks.get(mention.last).is_some_and(|t| t.is_punct(':')) {
        return None;
    }
    let who = mention.who.clone()?;
    if who.kind == WhoKind::Anonymous {
        return None;
    }
    let quoted_after = s.quoted.get(mention.last + 2).is_some_and(|q| q.is_some());
    let how = if s.headline && !quoted_after {
        Attribution::Described
    } else {
        Attribution::Quote
    };
    Some(Verdict::new(who, how).by("interview"))
}

/// An act of saying and its speaker.
struct Said {
    who: Who,
    kind: MentionKind,
    verb: usize,
    /// The speaker's mention, when it has one.
    subject: Option<usize>,
}

/// The speaker mention `m` stands for: a document whose author is unknown
/// speaks for the last speaker ("the statement said").
fn who_of(s: &Sent, m: usize, st: &Discourse) -> Option<Who> {
    let mention = &s.mentions[m];
    match (&mention.who, mention.kind) {
        (Some(w), _) => Some(w.clone()),
        (None, MentionKind::Document) => st
            .last_speaker
            .as_ref()
            .filter(|(_, at)| s.idx.saturating_sub(*at) <= 3)
            .map(|(w, _)| w.clone()),
        _ => None,
    }
}

/// The first act of saying in `range` whose speaker is found.
fn speech(s: &Sent, range: Range<usize>, after_quote: bool, st: &Discourse) -> Option<Said> {
    let said = |m: usize, verb: usize| {
        // A speaker inside a relative clause ("the territory Moscow claims", "a
        // fact Russian diplomats say …") is not what the sentence reports.
        if !after_quote && !main_subject(s, m) && !relative_speaker_ok(s, m) {
            return None;
        }
        who_of(s, m, st).map(|who| Said {
            who,
            kind: s.mentions[m].kind,
            verb,
            subject: Some(m),
        })
    };
    for v in range.clone() {
        if !s.frame(v) || !s.toks[v].is_word() || !lexicon::is_say(s.norm(v)) {
            continue;
        }
        // "refused to acknowledge": an infinitive is not an act of saying.
        // "likes to argue", "declined to say whether": still an act of saying.
        let habitual = v > 1
            && (matches!(
                s.norm(v - 2),
                "likes"
                    | "continues"
                    | "continued"
                    | "tends"
                    | "tend"
                    | "used"
                    | "went"
                    | "on"
                    | "continue"
            ) || (matches!(
                s.norm(v - 2),
                "declined" | "refused" | "declines" | "refuses"
            ) && matches!(
                s.norm(v),
                "say" | "comment" | "specify" | "elaborate" | "confirm"
            )));
        if v > 0 && s.norm(v - 1) == "to" && !habitual {
            continue;
        }
        // "have been told", "has not said": the subject does not speak.
        let mut b = v;
        while b > range.start
            && b + 3 > v
            && s.toks[b - 1].is_word()
            && lexicon::is_bridge(s.norm(b - 1))
        {
            b -= 1;
        }
        let before: Vec<&str> = (b..v).map(|k| s.norm(k)).collect();
        let passive = before
            .iter()
            .rev()
            .take(2)
            .any(|w| matches!(*w, "been" | "be" | "being" | "is" | "are" | "was" | "were"))
            && s.norm(v + 1) != "by";
        let negated = before.iter().any(|w| matches!(*w, "not" | "n't" | "never"));
        // "Europe should make clear …": the outlet's advice, not Europe's words.
        let advised = before
            .iter()
            .any(|w| matches!(*w, "should" | "must" | "ought" | "could" | "might"));
        // "the behaviour it claims to contain"
        let pretends = matches!(s.norm(v), "claims" | "claim" | "claimed") && s.norm(v + 1) == "to";
        if passive || negated || advised || pretends {
            continue;
        }
        if s.mention_at(v).is_some() {
            continue;
        }
        // "the declaration states", "the statement reads": only documents.
        let doc_only = matches!(s.norm(v), "state" | "states" | "reads" | "read");
        if doc_only
            && !subject_before(s, v, range.start)
                .is_some_and(|m| s.mentions[m].kind == MentionKind::Document)
        {
            continue;
        }
        if let Some(need) = lexicon::say_needs(s.norm(v)) {
            let ok = (v + 1..(v + 3).min(s.toks.len()))
                .any(|k| need.split_whitespace().any(|w| w == s.norm(k)));
            if !ok {
                continue;
            }
        }
        // "described by Kyiv as", "was quoted by …": the agent speaks.
        if s.norm(v + 1) == "by" && s.norm(v) != "asked" && !(v > 0 && s.toks[v - 1].is_punct(','))
        {
            if let Some(found) = s.mention_starting(v + 2).and_then(|m| said(m, v)) {
                return Some(found);
            }
        }
        if let Some(found) = subject_before(s, v, range.start).and_then(|m| said(m, v)) {
            return Some(found);
        }
        // "…,” said Arseniy Yatsenyuk, who …" / "…, the diplomats said."
        let inverted_ok = (lexicon::is_inverting_say(s.norm(v)) || after_quote)
            && (v == range.start
                || after_quote
                || s.toks[v - 1].punct().is_some_and(|c| ",”\"’'".contains(c)));
        if inverted_ok {
            // "…, said X." / "…, said X, who …" — not "…, said Washington should …".
            let closes = |m: usize| {
                let end = s.mentions[m].last;
                end >= s.toks.len()
                    || s.toks[end].punct().is_some_and(|c| ",.;:—–".contains(c))
                    || lexicon::is_clause_link(s.norm(end))
            };
            if let Some(found) = inverted_subject(s, v)
                .filter(|&m| after_quote || closes(m))
                .and_then(|m| said(m, v))
            {
                return Some(found);
            }
            // "…,” said a former captain who asked not to be named.
            if matches!(s.norm(v + 1), "a" | "an" | "one") {
                return Some(Said {
                    who: Who::anonymous(),
                    kind: MentionKind::Anonymous,
                    verb: v,
                    subject: None,
                });
            }
        }
    }
    None
}

/// "according to X": X relays, unless the sentence carries a holder's position.
fn according_to(s: &Sent) -> Option<Verdict> {
    let k = (s.body..s.toks.len().saturating_sub(1))
        .find(|&k| s.frame(k) && s.norm(k) == "according" && s.norm(k + 1) == "to")?;
    let mut j = k + 2;
    while matches!(s.norm(j), "the" | "a" | "an") {
        j += 1;
    }
    // The first actor named in the phrase: "according to the head of the
    // referendum commission, Mikhail Malyshev," / "according to two officials".
    let found = s.mentions.iter().position(|m| {
        m.last > j
            && m.first >= k + 2
            && m.first <= j + 12
            && !(m.after_prep && m.kind != MentionKind::Anonymous && m.first > j + 1)
    });
    let who = match found.and_then(|m| s.mentions[m].who.clone()) {
        Some(w) => w,
        // "according to Russian investigators quoted by RIA Novosti"
        None => match s.mentions.iter().find(|m| {
            m.first > j
                && m.first <= j + 8
                && m.who.as_ref().is_some_and(|w| w.kind == WhoKind::Outlet)
        }) {
            Some(m) => m.who.clone()?,
            // An outlet or body the registry does not know: "the rights group OVD-Info".
            None => channel_name(s, j)?,
        },
    };
    // The holder of a position in the rest of the sentence wins.
    let outside: Vec<usize> = (s.body..s.toks.len())
        .filter(|&t| t < k || t > j + 6)
        .collect();
    if let Some(h) = holder_in(s, &outside, true) {
        return Some(Verdict::new(h, Attribution::Described).by("according-holder"));
    }
    let how = match who.kind {
        WhoKind::Person => Attribution::Reported,
        _ => Attribution::AccordingTo,
    };
    Some(Verdict::new(who, how).by("according"))
}

/// A capitalised name after "according to" the registry does not know.
fn channel_name(s: &Sent, j: usize) -> Option<Who> {
    let mut k = j;
    while k < s.toks.len() && s.toks[k].is_word() && !s.toks[k].cap && k - j < 5 {
        k += 1;
    }
    let start = k;
    // "Russian investigators": a demonym, not a name.
    if s.toks.get(k + 1).is_some_and(|t| t.is_word() && !t.cap) {
        return None;
    }
    while k < s.toks.len()
        && (s.toks[k].cap || (s.toks[k].is_punct('-') && k > start))
        && s.toks[k].kind != super::tokens::TokKind::Possessive
    {
        k += 1;
    }
    (k > start).then(|| Who {
        name: s.display(start, k),
        camp: crate::record::Camp::Media,
        kind: WhoKind::Outlet,
        gender: None,
        actor: None,
    })
}

/// Whether any word in `range` is about the target.
fn has_target(s: &Sent, range: Range<usize>) -> bool {
    range.into_iter().any(|k| is_target_at(s, k))
}

/// Token `k` is about the target ("facial recognition" is not).
fn is_target_at(s: &Sent, k: usize) -> bool {
    k < s.toks.len() && lexicon::is_target_word(s.norm(k)) && !(k > 0 && s.norm(k - 1) == "facial")
}

/// The holder of a position relayed in `range` ("his stance", "US recognition",
/// "Moscow has never agreed").
/// The holder of a position relayed in `toks`. Only media reports (`media`)
/// relay a holder through a verb ("Reports suggest Trump is preparing …");
/// officials and analysts who say what others will do speak for themselves.
fn holder_in(s: &Sent, toks: &[usize], media: bool) -> Option<Who> {
    if !toks.iter().any(|&k| is_target_at(s, k)) {
        return None;
    }
    let inside = |m: &Mention| toks.contains(&m.first);
    let mut first_subject = true;
    for (mi, m) in s.mentions.iter().enumerate() {
        if !inside(m) {
            continue;
        }
        let Some(who) = &m.who else { continue };
        if matches!(who.kind, WhoKind::Anonymous | WhoKind::Outlet) {
            continue;
        }
        // "his stance": the position of the actor the text is about.
        if m.possessive
            && m.kind == MentionKind::Pronoun
            && matches!(s.norm(m.first), "his" | "her")
        {
            let start = if s
                .toks
                .get(m.last)
                .is_some_and(|t| t.kind == super::tokens::TokKind::Possessive)
            {
                m.last + 1
            } else {
                m.last
            };
            if (start..(start + 4).min(s.toks.len()))
                .take_while(|&k| s.toks[k].is_word())
                .any(|k| lexicon::is_stance_noun(s.norm(k)))
            {
                return Some(who.clone());
            }
            continue;
        }
        if m.after_prep && m.kind != MentionKind::Document {
            continue;
        }
        // "US recognition", "the American concept"
        if m.kind == MentionKind::Document || lexicon::is_target_word(s.norm(m.last)) {
            return Some(who.clone());
        }
        // "Moscow has never agreed …", "US officials were exploring …"
        let verb = (m.last..(m.last + 5).min(s.toks.len()))
            .find(|&k| s.toks[k].is_word() && !lexicon::is_bridge(s.norm(k)));
        // "Kyiv should trade land": a recommendation, not Kyiv's position.
        let prescribed = (m.last..(m.last + 3).min(s.toks.len())).any(|k| {
            matches!(
                s.norm(k),
                "should" | "must" | "ought" | "could" | "might" | "need" | "will" | "may"
            )
        });
        // Only the relayed clause's own subject: "… what Putin offered" is not Putin's position.
        let subject = first_subject && !m.after_prep;
        first_subject = false;
        if let Some(v) = verb.filter(|_| !prescribed && subject && media) {
            if (lexicon::is_position(s.norm(v))
                || lexicon::is_say(s.norm(v))
                || s.norm(v).ends_with("ing"))
                && subject_before(s, v, 0) == Some(mi)
            {
                return Some(who.clone());
            }
        }
    }
    None
}

/// 4. described: an actor holds a position on the target without speaking.
fn described(sents: &[Sent], i: usize) -> Option<Verdict> {
    let s = &sents[i];
    let n = s.toks.len();
    let own = has_target(s, s.body..n);
    let target_in = |j: usize| has_target(&sents[j], 0..sents[j].toks.len());
    // A sentence may refer back to the previous one's topic ("Ukraine pushed
    // back"); a headline announces its lede's.
    let topic = own
        || (s.words() <= 8 && i > 0 && target_in(i - 1))
        || (s.headline && i + 1 < sents.len() && target_in(i + 1));
    if !topic {
        return None;
    }
    // A subject with a verb of position.
    for v in s.body..n {
        if !s.frame(v) || !s.toks[v].is_word() || s.mention_at(v).is_some() {
            continue;
        }
        let w = s.norm(v);
        let doc_verb = lexicon::is_document_verb(w);
        if !lexicon::is_position(w) && !doc_verb && !lexicon::is_say(w) {
            continue;
        }
        if let Some(m) = subject_before(s, v, s.body) {
            let mention = &s.mentions[m];
            let Some(who) = mention.who.clone() else {
                continue;
            };
            let relative = s.norm(mention.last) == "who";
            if !relative && !main_subject(s, m) {
                continue;
            }
            if who.kind == WhoKind::Anonymous || who.kind == WhoKind::Outlet {
                continue;
            }
            if mention.kind == MentionKind::Document && !doc_verb {
                continue;
            }
            return Some(Verdict::new(who, Attribution::Described).by("position-subject"));
        }
    }
    // A stated stance as the subject: "Kyiv's position is that …".
    if own {
        if let Some(h) = holder_possessive(s) {
            return Some(Verdict::new(h, Attribution::Described).by("possessive-stance"));
        }
    }
    None
}

fn holder_possessive(s: &Sent) -> Option<Who> {
    for m in &s.mentions {
        if !m.possessive || m.first != s.body {
            continue;
        }
        let Some(who) = &m.who else { continue };
        if matches!(who.kind, WhoKind::Anonymous | WhoKind::Outlet) {
            continue;
        }
        let start = if s
            .toks
            .get(m.last)
            .is_some_and(|t| t.kind == super::tokens::TokKind::Possessive)
        {
            m.last + 1
        } else {
            m.last
        };
        let end = (start + 4).min(s.toks.len());
        let noun = (start..end)
            .take_while(|&k| s.toks[k].is_word())
            .find(|&k| lexicon::is_stance_noun(s.norm(k)));
        if noun
            .is_some_and(|k| matches!(s.norm(k + 1), "is" | "was" | "remains" | "remained" | "has"))
        {
            return Some(who.clone());
        }
    }
    None
}
