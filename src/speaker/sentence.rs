//! One sentence prepared for the rules: tokens, which of them are quoted,
//! where the body starts after a dateline, and the actors it mentions.

use std::ops::Range;

use super::coref::{pronoun, Discourse, Mention, MentionKind, Who, WhoKind};
use super::lexicon;
use super::quotes::{quote_at, Quote};
use super::registry::{ActorKind, ActorRegistry, Gender, Via};
use super::tokens::{tokenize, Tok};
use crate::record::Camp;

/// A sentence with everything the rules need.
#[derive(Debug)]
pub(crate) struct Sent<'t> {
    /// The whole text.
    pub text: &'t str,
    /// Sentence index in the document.
    pub idx: usize,
    /// Byte span in the text.
    pub span: Range<usize>,
    /// Paragraph index.
    pub para: usize,
    /// Tokens, offsets into the whole text.
    pub toks: Vec<Tok>,
    /// For each token: the quotation whose words it is part of.
    pub quoted: Vec<Option<usize>>,
    /// First token after a dateline or timestamp ("KYIV, March 7 —").
    pub body: usize,
    /// A headline: no final punctuation.
    pub headline: bool,
    /// The actors mentioned outside quotations, in order.
    pub mentions: Vec<Mention>,
}

impl<'t> Sent<'t> {
    /// Tokenizes and marks quoted words.
    pub fn new(
        text: &'t str,
        span: Range<usize>,
        idx: usize,
        para: usize,
        quotes: &[Quote],
    ) -> Self {
        // A span that is not a valid slice of the text yields no words (and so
        // the author) rather than a panic.
        let toks = text
            .get(span.clone())
            .map_or_else(Vec::new, |t| tokenize(t, span.start));
        let quoted: Vec<Option<usize>> = toks.iter().map(|t| quote_at(quotes, t.start)).collect();
        let mut body = dateline_end(text, &toks);
        // "Question: …" in an interview: the interviewer's words follow.
        if matches!(
            toks.get(body).map(|t| t.norm.as_str()),
            Some("question" | "q")
        ) && toks.get(body + 1).is_some_and(|t| t.is_punct(':'))
        {
            body += 2;
        }
        let headline = is_headline(&toks);
        Sent {
            text,
            idx,
            span,
            para,
            toks,
            quoted,
            body,
            headline,
            mentions: Vec::new(),
        }
    }

    /// Token `i` is outside every quotation.
    pub fn frame(&self, i: usize) -> bool {
        self.quoted[i].is_none()
    }

    /// Normalised text of token `i`, or "" past the end.
    pub fn norm(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.norm.as_str())
    }

    /// Number of word tokens.
    pub fn words(&self) -> usize {
        self.toks.iter().filter(|t| t.is_word()).count()
    }

    /// The mention covering token `i`.
    pub fn mention_at(&self, i: usize) -> Option<usize> {
        self.mentions
            .iter()
            .position(|m| m.first <= i && i < m.last)
    }

    /// The mention starting at token `i` (a leading "the" allowed).
    pub fn mention_starting(&self, i: usize) -> Option<usize> {
        self.mentions.iter().position(|m| {
            m.first == i
                || (m.first + 1 == i && self.norm(m.first) == "the")
                || (i < self.toks.len() && self.norm(i) == "the" && m.first == i + 1)
        })
    }

    /// Finds the actors mentioned outside quotations and resolves them.
    pub fn find_mentions(&mut self, reg: &ActorRegistry, st: &mut Discourse) {
        let n = self.toks.len();
        let mut out: Vec<Mention> = Vec::new();
        let mut local: Vec<Who> = Vec::new();
        let mut i = self.body;
        while i < n {
            if !self.frame(i) || !self.toks[i].is_word() {
                i += 1;
                continue;
            }
            if let Some(m) = self.registry_mention(reg, st, &local, &out, i) {
                i = m.last;
                if let Some(w) = &m.who {
                    local.push(w.clone());
                }
                out.push(m);
                continue;
            }
            let norm = self.toks[i].norm.as_str();
            if let Some(p) = pronoun(norm) {
                let possessive = matches!(p, "his" | "her" | "their" | "its");
                // "It also suggested …" right after a sentence about a draft: the draft again.
                let doc = st
                    .last_document
                    .as_ref()
                    .filter(|(_, at)| p == "it" && self.idx.saturating_sub(*at) <= 1);
                let m = match doc {
                    Some((owner, _)) => {
                        self.mention(i, i + 1, MentionKind::Document, owner.clone(), possessive)
                    }
                    None => {
                        let who = st.resolve_pronoun(p, &local, self.idx);
                        self.mention(i, i + 1, MentionKind::Pronoun, who, possessive)
                    }
                };
                out.push(m);
                i += 1;
                continue;
            }
            if let Some(m) = self.proxy_of(reg, st, &local, &out, i) {
                i = m.last;
                out.push(m);
                continue;
            }
            if let Some(m) = self.document_mention(i, &out, st) {
                i = m.last;
                out.push(m);
                continue;
            }
            // "Some in Washington argue", "one of them said", "Another said".
            let pronominal = (matches!(norm, "some" | "one" | "another" | "others" | "many" | "several" | "few")
                && (lexicon::is_say(self.norm(i + 1)) || matches!(self.norm(i + 1), "in" | "of" | "within" | "among")))
                // "two people familiar with the talks", "a person briefed on"
                || (matches!(norm, "people" | "person")
                    && (lexicon::is_anon_modifier(self.norm(i + 1)) || (i > 0 && lexicon::is_indefinite(self.norm(i - 1)))));
            if lexicon::is_anon_noun(norm) || pronominal {
                let first = self.np_start(i, &out);
                let mut m = self.mention(
                    first,
                    i + 1,
                    MentionKind::Anonymous,
                    Some(Who::anonymous()),
                    false,
                );
                m.whole = false;
                out.push(m);
                i += 1;
                continue;
            }
            if let Some(m) = self.name_mention(reg, st, i) {
                i = m.last;
                if let Some(w) = &m.who {
                    local.push(w.clone());
                }
                out.push(m);
                continue;
            }
            i += 1;
        }
        self.mentions = out;
        self.merge_titles_with_names(st);
    }

    fn mention(
        &self,
        first: usize,
        last: usize,
        kind: MentionKind,
        who: Option<Who>,
        possessive: bool,
    ) -> Mention {
        let possessive = possessive
            || self
                .toks
                .get(last)
                .is_some_and(|t| t.kind == super::tokens::TokKind::Possessive);
        let after_prep = first > 0 && {
            // "from several European countries", "of the UN"
            let mut k = first;
            while k > 0
                && first - k < 3
                && matches!(
                    self.norm(k - 1),
                    "the"
                        | "a"
                        | "an"
                        | "several"
                        | "some"
                        | "many"
                        | "most"
                        | "other"
                        | "all"
                        | "both"
                        | "two"
                        | "three"
                        | "four"
                        | "five"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                        | "these"
                        | "those"
                        | "various"
                        | "numerous"
                        | "few"
                )
            {
                k -= 1;
            }
            k > 0 && lexicon::is_preposition(self.norm(k - 1))
        };
        Mention {
            first,
            last,
            kind,
            who,
            possessive,
            after_prep,
            whole: false,
        }
    }

    /// A registry phrase at `i`, resolved.
    fn registry_mention(
        &self,
        reg: &ActorRegistry,
        st: &Discourse,
        local: &[Who],
        before: &[Mention],
        i: usize,
    ) -> Option<Mention> {
        let f = reg.longest_at(&self.toks, i)?;
        if (f.first..f.last).any(|j| !self.frame(j)) {
            return None;
        }
        // "Mr. X" never starts a match; the surname does.
        let has = |v: Via| f.hits.iter().any(|h| h.via == v);
        let kind = if has(Via::Name) {
            MentionKind::Name
        } else if has(Via::Title) {
            MentionKind::Title
        } else {
            MentionKind::Role
        };
        let hits: Vec<_> = match kind {
            MentionKind::Name => f
                .hits
                .iter()
                .copied()
                .filter(|h| h.via == Via::Name)
                .collect(),
            _ => f.hits.clone(),
        };
        // "Graham Whitfield" is not Lindsey Graham: a surname alias followed by
        // another name word starts a name the registry does not know.
        if kind == MentionKind::Name && f.last - f.first == 1 && !self.headline {
            let person = hits
                .iter()
                .all(|h| reg.actor(h.actor).kind == ActorKind::Person);
            let name_follows = self.toks.get(f.last).is_some_and(|t| {
                t.cap
                    && t.is_word()
                    && self.frame(f.last)
                    && lexicon::may_be_name_word(&t.norm)
                    && reg.longest_at(&self.toks, f.last).is_none()
            });
            if person && name_follows {
                return None;
            }
        }
        let prev = if f.first > 0 {
            self.norm(f.first - 1)
        } else {
            ""
        };
        let head = self.norm(f.last - 1);
        let next = self.norm(f.last);
        let next2 = self.norm(f.last + 1);
        // "two US officials", "a Kremlin aide", "officials familiar with": unnamed.
        let anon_head = lexicon::is_anon_noun(head);
        let definite = f.first > 1 && self.norm(f.first - 2) == "the";
        let indefinite =
            lexicon::is_indefinite(prev) && lexicon::is_unnamed_head(head) && !definite;
        let veiled = anon_head
            && (lexicon::is_anon_modifier(next)
                || (next == "speaking" && lexicon::is_anon_modifier(next2)));
        // "a Russian delegation member", "a Kremlin source": unnamed members.
        // ("a Downing Street spokesman" still speaks for Downing Street.)
        let member = lexicon::is_indefinite(prev)
            && (lexicon::is_unnamed_head(next) || next == "member")
            && !matches!(next, "spokesman" | "spokeswoman" | "spokesperson");
        if member {
            return Some(self.mention(
                f.first - 1,
                f.last + 1,
                MentionKind::Anonymous,
                Some(Who::anonymous()),
                false,
            ));
        }
        if (indefinite || veiled) && kind != MentionKind::Name {
            let first = if lexicon::is_indefinite(prev) {
                f.first - 1
            } else {
                f.first
            };
            return Some(self.mention(
                first,
                f.last,
                MentionKind::Anonymous,
                Some(Who::anonymous()),
                false,
            ));
        }
        if kind != MentionKind::Name
            && matches!(
                prev,
                "his" | "her" | "their" | "its" | "our" | "my" | "your"
            )
        {
            // "his administration": the possessor's, not the registry's.
            return None;
        }
        // "Turkey's foreign ministry", "South Africa's envoy": the possessor's own.
        let owner = before
            .last()
            .filter(|m| m.possessive && m.last + 1 == f.first && kind != MentionKind::Name)
            .and_then(|m| m.who.clone());
        let hits: Vec<_> = match &owner {
            Some(o) => hits
                .into_iter()
                .filter(|h| reg.actor(h.actor).camp == o.camp)
                .collect(),
            None => hits,
        };
        if hits.is_empty() {
            // "Turkey's foreign ministry": Turkey's own, which the registry lacks.
            let o = owner?;
            let start = before.last().map_or(f.first, |m| m.first);
            let mut m = self.mention(start, f.last, MentionKind::Name, Some(o), false);
            m.after_prep = before.last().is_some_and(|p| p.after_prep);
            return Some(m);
        }
        let who = st.resolve_title(reg, &hits, local);
        let who = match (kind, who) {
            (MentionKind::Role, None) if anon_head => Some(Who::anonymous()),
            (MentionKind::Role, None) => return None,
            (_, w) => w,
        };
        let kind = if who.as_ref().is_some_and(|w| w.kind == WhoKind::Anonymous) {
            MentionKind::Anonymous
        } else if lexicon::is_document(head) && kind != MentionKind::Name {
            // "the American proposal": a text standing for its author.
            MentionKind::Document
        } else {
            kind
        };
        let mut m = self.mention(f.first, f.last, kind, who, false);
        let lead = if self.norm(f.first) == "the" {
            f.first + 1
        } else {
            f.first
        };
        m.whole = matches!(self.norm(lead), "most" | "much" | "rest" | "all");
        Some(m)
    }

    /// "the representative of Venezuela", "the leadership of the Republicans":
    /// a body speaking through its agent.
    fn proxy_of(
        &self,
        reg: &ActorRegistry,
        st: &Discourse,
        local: &[Who],
        before: &[Mention],
        i: usize,
    ) -> Option<Mention> {
        if !lexicon::is_proxy_head(self.norm(i))
            || !matches!(self.norm(i + 1), "of" | "for" | "from")
        {
            return None;
        }
        // "the leaders of the 27 European Union member states": skip the determiners.
        let inner = (i + 2..(i + 5).min(self.toks.len()))
            .take_while(|&k| self.toks[k].is_word())
            .find_map(|k| self.registry_mention(reg, st, local, before, k))?;
        let who = inner.who.clone()?;
        if who.kind != WhoKind::Body {
            return None;
        }
        let mut first = i;
        while first > self.body
            && first + 3 > i
            && (matches!(
                self.norm(first - 1),
                "the" | "a" | "an" | "foreign" | "defence" | "defense" | "top" | "senior"
            ) || lexicon::is_indefinite(self.norm(first - 1)))
        {
            first -= 1;
        }
        Some(self.mention(first, inner.last, MentionKind::Name, Some(who), false))
    }

    /// "the draft", "Kyiv's ten-point plan": a document standing for its author.
    fn document_mention(&self, i: usize, before: &[Mention], st: &Discourse) -> Option<Mention> {
        if !lexicon::is_document(&self.toks[i].norm)
            || (self.toks[i].cap && i > self.body && !self.headline)
        {
            // "the Budapest Memorandum" is a name, not a draft.
            return None;
        }
        // Walk back over the document's modifiers to its determiner or owner.
        let mut j = i;
        let mut owner: Option<Who> = None;
        let mut determiner = false;
        while j > self.body && i - j < 4 {
            let p = &self.toks[j - 1];
            if let Some(m) = before
                .iter()
                .rev()
                .find(|m| m.last == j || (m.possessive && m.last + 1 == j))
            {
                if m.possessive || m.kind == MentionKind::Title {
                    owner = m.who.clone();
                }
                break;
            }
            if matches!(
                p.norm.as_str(),
                "the" | "this" | "that" | "its" | "their" | "his" | "her"
            ) {
                determiner = true;
                j -= 1;
                break;
            }
            let modifier = p.is_punct('-')
                || (p.is_word()
                    && (p.norm.contains('-')
                        || p.norm.chars().any(|c| c.is_ascii_digit())
                        || lexicon::is_document_modifier(&p.norm)));
            if !modifier {
                break;
            }
            j -= 1;
        }
        let owner = match owner {
            Some(w) => Some(w),
            None if determiner => st
                .last_owner
                .as_ref()
                .filter(|(_, s)| self.idx.saturating_sub(*s) <= 4)
                .map(|(w, _)| w.clone()),
            None => return None,
        };
        // An owner-less document still counts: it is the subject, and "it" may refer to it.
        Some(self.mention(j, i + 1, MentionKind::Document, owner, false))
    }

    /// Where the noun phrase ending at `head` starts ("two senior Western officials").
    fn np_start(&self, head: usize, before: &[Mention]) -> usize {
        let mut j = head;
        let floor = before.last().map_or(self.body, |m| m.last);
        while j > floor && head - j < 4 {
            let p = &self.toks[j - 1];
            if !p.is_word() || !self.frame(j - 1) {
                break;
            }
            let w = p.norm.as_str();
            let modifier = lexicon::is_indefinite(w)
                || p.cap
                || matches!(
                    w,
                    "the"
                        | "western"
                        | "local"
                        | "regional"
                        | "legal"
                        | "independent"
                        | "military"
                        | "election"
                        | "defence"
                        | "defense"
                        | "government"
                        | "administration"
                        | "intelligence"
                        | "security"
                        | "ruling"
                        | "opposition"
                        | "international"
                        | "realist"
                        | "other"
                        | "these"
                        | "those"
                        | "both"
                        | "most"
                        | "political"
                        | "foreign"
                        | "european"
                        | "american"
                )
                || w.ends_with("ian")
                || w.ends_with("ese");
            if !modifier {
                break;
            }
            j -= 1;
        }
        j
    }

    /// A person's name the registry does not know ("analyst Jane Roe"), or
    /// the surname of one introduced earlier.
    fn name_mention(&self, reg: &ActorRegistry, st: &mut Discourse, i: usize) -> Option<Mention> {
        // Headlines capitalise every word; only "Jane Roe: …" names someone there.
        let label = i == self.body
            && (i + 1..(i + 5).min(self.toks.len())).any(|k| self.toks[k].is_punct(':'));
        if (self.headline && !label) || !self.toks[i].cap {
            return None;
        }
        let honorific = i > 0
            && matches!(
                self.norm(i - 1),
                "mr" | "mrs" | "ms" | "dr" | "miss" | "prof"
            );
        let mut j = i;
        while j < self.toks.len()
            && self.frame(j)
            && self.toks[j].kind == super::tokens::TokKind::Word
        {
            let t = &self.toks[j];
            let name_word =
                (t.cap && lexicon::may_be_name_word(&t.norm) && !is_all_caps(self.raw(j)))
                    || (j > i
                        && lexicon::is_name_particle(&t.norm)
                        && self.toks.get(j + 1).is_some_and(|n| n.cap));
            if !name_word || (j > i && reg.longest_at(&self.toks, j).is_some()) {
                break;
            }
            j += 1;
        }
        let len = j - i;
        if len == 0 {
            return None;
        }
        // "Helsinki Final Act", "Polisario Front": a capitalised word that cannot
        // be part of a name ends an institution's name, not a person's.
        if j < self.toks.len()
            && self.toks[j].cap
            && self.toks[j].is_word()
            && self.frame(j)
            && reg.longest_at(&self.toks, j).is_none()
        {
            return None;
        }
        let norms: Vec<&str> = self.toks[i..j].iter().map(|t| t.norm.as_str()).collect();
        if let Some(mut w) = st.introduced(&norms) {
            // A later mention may say what the first did not ("we asked Charles
            // Whitmore, a professor …").
            if w.camp == Camp::Unknown {
                if let Some(c) = self.camp_around(reg, i, j) {
                    w.camp = c;
                    if let Some(x) = st.introduced.iter_mut().rev().find(|x| x.name == w.name) {
                        x.camp = c;
                    }
                }
            }
            return Some(self.mention(i, j, MentionKind::Name, Some(w), false));
        }
        // A new person needs a first name and a surname, and not to open the sentence
        // with a word that may be a plain capitalised word.
        if !(2..=4).contains(&len) || (honorific && len == 1) {
            return None;
        }
        if self.toks[j - 1].norm.len() < 2 {
            return None;
        }
        let name = self.display(i, j);
        let camp = self.camp_around(reg, i, j);
        let gender = if lexicon::is_female_first_name(&self.toks[i].norm) {
            Some(Gender::Female)
        } else {
            None
        };
        let who = Who {
            name,
            camp: camp.unwrap_or(Camp::Unknown),
            kind: WhoKind::Person,
            gender,
            actor: None,
        };
        st.introduce(who.clone());
        Some(self.mention(i, j, MentionKind::Name, Some(who), false))
    }

    /// The text of tokens `i..j`, as written.
    pub fn display(&self, i: usize, j: usize) -> String {
        self.text[self.toks[i].start..self.toks[j - 1].end].to_string()
    }

    /// Token `i` as written.
    pub fn raw(&self, i: usize) -> &'t str {
        &self.text[self.toks[i].start..self.toks[i].end]
    }

    /// The camp of a person the registry does not know, from the words
    /// around the name: a profession ("analyst") makes it `other`, else a
    /// demonym ("Russian", "Moscow-installed") gives the camp.
    fn camp_around(&self, reg: &ActorRegistry, i: usize, j: usize) -> Option<Camp> {
        let mut window: Vec<usize> = Vec::new();
        // Title words before the name, nearest first.
        let mut k = i;
        while k > self.body && i - k < 6 {
            let t = &self.toks[k - 1];
            if !t.is_word()
                || matches!(
                    t.norm.as_str(),
                    "the" | "a" | "an" | "and" | "said" | "told"
                )
            {
                break;
            }
            window.push(k - 1);
            k -= 1;
        }
        // An appositive or "of ..." after it.
        let n = self.toks.len();
        if j < n && (self.toks[j].is_punct(',') || self.norm(j) == "of" || self.norm(j) == "who") {
            let mut k = j + 1;
            while k < n && k - j <= 10 && !self.toks[k].is_punct(',') && !self.toks[k].is_punct('.')
            {
                window.push(k);
                k += 1;
            }
        }
        // Analysts, scholars and former officials speak for no camp.
        if window.iter().any(|&k| {
            lexicon::is_profession(self.norm(k))
                || matches!(
                    self.norm(k),
                    "research" | "think" | "former" | "retired" | "ex"
                )
        }) {
            return Some(Camp::Other);
        }
        window.iter().find_map(|&k| self.demonym(reg, k))
    }

    /// The camp a word names as a demonym ("Russian", "Kremlin-backed").
    pub fn demonym(&self, reg: &ActorRegistry, k: usize) -> Option<Camp> {
        let raw = self.raw(k);
        reg.demonym(raw).or_else(|| {
            let (head, _) = raw.split_once('-')?;
            if head.eq_ignore_ascii_case("pro") || head.eq_ignore_ascii_case("anti") {
                return None;
            }
            reg.demonym(head)
        })
    }

    /// Drops a title right before a name ("Russian Foreign Minister Sergei
    /// Lavrov", "Ukraine's foreign minister, Andrii Sybiha"); a name the
    /// registry does not know takes the title's camp.
    fn merge_titles_with_names(&mut self, st: &mut Discourse) {
        let mut k = 0;
        while k + 1 < self.mentions.len() {
            let (a, b) = (&self.mentions[k], &self.mentions[k + 1]);
            let adjacent =
                b.first == a.last || (b.first == a.last + 1 && self.toks[a.last].is_punct(','));
            let title = matches!(a.kind, MentionKind::Title | MentionKind::Role) && !a.possessive;
            if adjacent && title && b.kind == MentionKind::Name {
                let camp = a.who.as_ref().map(|w| w.camp);
                let first = a.first;
                let across_comma = b.first != a.last;
                let b = &mut self.mentions[k + 1];
                if !across_comma {
                    b.first = first;
                }
                if let (Some(w), Some(c)) = (b.who.as_mut(), camp) {
                    if w.actor.is_none() && w.camp == Camp::Unknown {
                        w.camp = c;
                        if let Some(x) = st.introduced.iter_mut().rev().find(|x| x.name == w.name) {
                            x.camp = c;
                        }
                    }
                }
                self.mentions.remove(k);
                continue;
            }
            k += 1;
        }
    }
}

/// An all-capitals word of two letters or more (a dateline, an acronym).
fn is_all_caps(raw: &str) -> bool {
    raw.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && raw.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// The first token after a dateline or liveblog timestamp.
fn dateline_end(text: &str, toks: &[Tok]) -> usize {
    let limit = toks.len().min(12);
    for i in 0..limit {
        let t = &toks[i];
        if t.is_punct('—') || t.is_punct('–') {
            if i == 0 {
                return 0;
            }
            let before = &toks[..i];
            let plausible = before.iter().all(|b| match b.punct() {
                Some(c) => ",/:.".contains(c),
                None => {
                    b.cap
                        || b.norm.chars().all(|c| c.is_ascii_digit())
                        || matches!(b.norm.as_str(), "am" | "pm" | "et")
                }
            });
            let marked = before
                .iter()
                .any(|b| b.norm.chars().all(|c| c.is_ascii_digit()))
                || before
                    .iter()
                    .any(|b| b.is_word() && is_all_caps(&text[b.start..b.end]));
            return if plausible && marked { i + 1 } else { 0 };
        }
    }
    0
}

/// A sentence without final punctuation is a headline or sub-heading.
fn is_headline(toks: &[Tok]) -> bool {
    let mut it = toks.iter().rev();
    loop {
        match it.next() {
            None => return true,
            Some(t) => match t.punct() {
                Some('.' | '!' | '?' | '…') => return false,
                Some('”' | '"' | '’' | '\'' | ')') => continue,
                _ => return true,
            },
        }
    }
}
