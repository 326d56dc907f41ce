//! Search that finds a record by its Chinese text, its full pinyin, its
//! pinyin initials, its English names and its codes, with fzf's query
//! terms: space = AND, `'exact`, `^prefix`, `suffix$`, `!not`.
//!
//! Each record becomes a [`Hay`]: the display line, the same line with every
//! hanzi replaced by its initial (same length: char `i` ↔ char `i`), and the
//! line with every hanzi replaced by its full syllable. ASCII terms match the
//! initials and the pinyin forms; terms with CJK match the line itself. Each
//! hay carries a bitmask of the ASCII characters it holds and a small bloom of
//! its CJK characters, so most non-matches are dropped before the matcher
//! runs.

mod query;

pub use query::{Query, Term, TermKind};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use pinyin::ToPinyin;
use std::sync::OnceLock;

/// One searchable text in three forms: the display line, the line with
/// every hanzi replaced by its initial (same length in chars: char `i` ↔
/// char `i`), and the line with every hanzi replaced by its full syllable.
///
/// The line's tail of lower-case ASCII (an ID number, a mobile: the same in
/// every form) is kept once: the buffer holds the line, then the initials
/// and the pinyin of the line's head only, and the two derived forms are
/// head + tail. The tail begins with a space and a term never holds one, so
/// a run never spans the join.
///
/// `T` is where the text lives: its own buffer ([`Hay`]), a borrowed one
/// ([`HayRef`]), or an offset into an index's arena (one buffer for all of
/// a list's records: no allocation, no allocator overhead per record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HayOf<T> {
    text: T,
    initials_at: u32,
    pinyin_at: u32,
    /// Where the shared tail begins in the line (the line's length when none).
    tail_at: u32,
    /// The text's length.
    end: u32,
    ascii_mask: u64,
    /// ASCII characters of the line itself (not of its pinyin).
    line_mask: u64,
    cjk_bloom: u64,
}

fn ascii_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ if c.is_ascii() => 1 << 36,
        _ => 0,
    }
}

fn cjk_bit(c: char) -> u64 {
    if c.is_ascii() {
        0
    } else {
        1 << ((c as u32).wrapping_mul(2_654_435_761) >> 26)
    }
}

/// True for a character that should be matched against the line itself.
pub fn is_wide(c: char) -> bool {
    !c.is_ascii()
}

/// Where the line's shared tail begins: the first space of its longest
/// suffix of ASCII without capitals (which every form holds unchanged).
fn tail_start(line: &str) -> usize {
    let b = line.as_bytes();
    let mut s = b.len();
    while s > 0 && b[s - 1].is_ascii() && !b[s - 1].is_ascii_uppercase() {
        s -= 1;
    }
    b[s..].iter().position(|&c| c == b' ').map_or(b.len(), |p| s + p)
}

/// A hay with its own buffer.
pub type Hay = HayOf<Box<str>>;
/// A hay borrowed from wherever its text lives.
pub type HayRef<'a> = HayOf<&'a str>;
/// A record's hay in an index: its text starts at this arena offset.
type Slot = HayOf<u64>;

impl Hay {
    pub fn new(line: String) -> Hay {
        let tail_at = tail_start(&line);
        let head = &line[..tail_at];
        // One exact-size buffer: count the forms' bytes first, then write.
        let (mut ni, mut np) = (0, 0);
        for c in head.chars() {
            match c.to_pinyin() {
                Some(p) => {
                    ni += p.first_letter().len();
                    np += p.plain().len();
                }
                None => {
                    ni += c.len_utf8();
                    np += c.len_utf8();
                }
            }
        }
        let mut text = String::with_capacity(line.len() + ni + np);
        text.push_str(&line);
        for c in head.chars() {
            match c.to_pinyin() {
                Some(p) => text.push_str(p.first_letter()),
                None => text.push(c.to_ascii_lowercase()),
            }
        }
        for c in head.chars() {
            match c.to_pinyin() {
                Some(p) => text.push_str(p.plain()),
                None => text.push(c.to_ascii_lowercase()),
            }
        }
        Hay::from_text(text, line.len(), line.len() + ni, tail_at)
    }

    fn from_text(text: String, initials_at: usize, pinyin_at: usize, tail_at: usize) -> Hay {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut h = Hay {
            initials_at: at(initials_at),
            pinyin_at: at(pinyin_at),
            tail_at: at(tail_at),
            end: at(text.len()),
            text: text.into_boxed_str(),
            ascii_mask: 0,
            line_mask: 0,
            cjk_bloom: 0,
        };
        let (mut cjk, mut line, mut ascii) = (0, 0, 0);
        for c in h.line().chars() {
            cjk |= cjk_bit(c);
            if c.is_ascii() {
                line |= ascii_bit(c.to_ascii_lowercase());
            }
        }
        let (ih, tail) = h.parts(Form::Initials);
        let (ph, _) = h.parts(Form::Pinyin);
        for c in ih.chars().chain(ph.chars()).chain(tail.chars()) {
            ascii |= ascii_bit(c);
        }
        (h.cjk_bloom, h.line_mask, h.ascii_mask) = (cjk, line, ascii);
        h
    }

    /// A hay from forms made earlier (the persisted index): only the masks
    /// are computed (and the shared tail found again).
    pub fn from_parts(line: &str, initials: &str, pinyin: &str) -> Hay {
        let t = tail_start(line);
        let tail = &line[t..];
        let (t, ih, ph) = match (initials.strip_suffix(tail), pinyin.strip_suffix(tail)) {
            (Some(i), Some(p)) => (t, i, p),
            _ => (line.len(), initials, pinyin),
        };
        let mut text = String::with_capacity(line.len() + ih.len() + ph.len());
        text.push_str(line);
        text.push_str(ih);
        text.push_str(ph);
        Hay::from_text(text, line.len(), line.len() + ih.len(), t)
    }

    /// The same hay, borrowed.
    pub fn as_ref(&self) -> HayRef<'_> {
        self.with_text(&self.text)
    }
}

impl<T> HayOf<T> {
    fn with_text<U>(&self, text: U) -> HayOf<U> {
        HayOf {
            text,
            initials_at: self.initials_at,
            pinyin_at: self.pinyin_at,
            tail_at: self.tail_at,
            end: self.end,
            ascii_mask: self.ascii_mask,
            line_mask: self.line_mask,
            cjk_bloom: self.cjk_bloom,
        }
    }
}

impl<T: AsRef<str>> HayOf<T> {
    /// What the user reads.
    pub fn line(&self) -> &str {
        self.text.as_ref().get(..self.initials_at as usize).unwrap_or("")
    }

    /// A form as (head, tail): the form is the two joined.
    fn parts(&self, f: Form) -> (&str, &str) {
        let line = self.line();
        let tail = line.get(self.tail_at as usize..).unwrap_or("");
        match f {
            Form::Line => (line, ""),
            Form::Initials => (
                self.text
                    .as_ref()
                    .get(self.initials_at as usize..self.pinyin_at as usize)
                    .unwrap_or(""),
                tail,
            ),
            Form::Pinyin => (self.text.as_ref().get(self.pinyin_at as usize..).unwrap_or(""), tail),
        }
    }

    fn joined(&self, f: Form) -> std::borrow::Cow<'_, str> {
        match self.parts(f) {
            (head, "") => head.into(),
            (head, tail) => format!("{head}{tail}").into(),
        }
    }

    /// The line lower-cased, each hanzi replaced by its pinyin initial.
    pub fn initials(&self) -> std::borrow::Cow<'_, str> {
        self.joined(Form::Initials)
    }

    /// The line lower-cased, each hanzi replaced by its plain syllable.
    pub fn pinyin(&self) -> std::borrow::Cow<'_, str> {
        self.joined(Form::Pinyin)
    }

    /// Could `term` possibly match? (No false negatives.)
    fn may_match(&self, term: &Term) -> bool {
        (term.ascii_mask & !self.ascii_mask) == 0 && (term.cjk_bloom & !self.cjk_bloom) == 0
    }
}

fn matcher() -> &'static SkimMatcherV2 {
    static M: OnceLock<SkimMatcherV2> = OnceLock::new();
    M.get_or_init(|| SkimMatcherV2::default().ignore_case().use_cache(true))
}

/// Which of a hay's three forms a term matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Line,
    Initials,
    Pinyin,
}

/// ASCII terms shorter than this match only as a contiguous run: one or two
/// letters spread fuzzily over a line of pinyin and English match nearly
/// every record. (So do terms of digits only, see [`Term::is_run`].)
pub const FUZZY_MIN_ASCII: usize = 3;

fn forms_for(term: &Term) -> &'static [Form] {
    if term.wide {
        &[Form::Line]
    } else if term.is_run() {
        // The initials form holds the line's ASCII too, lower-cased; a
        // digit is the same in every form.
        if term.text.bytes().all(|b| b.is_ascii_digit()) {
            &[Form::Initials]
        } else {
            &[Form::Initials, Form::Pinyin]
        }
    } else {
        &[Form::Initials, Form::Pinyin, Form::Line]
    }
}

/// Score of one positive term against one form, with matched char indices
/// in that form when asked. Initials and full pinyin match as a contiguous
/// run (a fuzzy match across a line of initials finds nearly everything:
/// `hg` would hit 航空部件 through "HanG"); the line itself is fuzzy, which
/// serves English names, codes and Chinese terms.
fn term_form(term: &Term, form: Form, (hay, tail): (&str, &str), want_indices: bool) -> Option<(i64, Vec<usize>)> {
    let pat = term.text.as_str();
    let kind = match (form, term.kind) {
        (Form::Pinyin | Form::Initials, TermKind::Fuzzy) => TermKind::Exact,
        (_, k) => k,
    };
    // `hay` + `tail` is the form; only derived forms have a tail, and only
    // runs are matched there. The tail starts with a space and a term holds
    // none, so a run lies wholly in one part and anchors fall as below.
    match kind {
        TermKind::Fuzzy => {
            if want_indices {
                matcher().fuzzy_indices(hay, pat)
            } else {
                matcher().fuzzy_match(hay, pat).map(|s| (s, Vec::new()))
            }
        }
        TermKind::Exact => match term.finder.find(hay.as_bytes()) {
            Some(b) => Some(exact_hit(hay, "", b, pat, 2, want_indices)),
            None => term
                .finder
                .find(tail.as_bytes())
                .map(|b| exact_hit(hay, tail, b, pat, 2, want_indices)),
        },
        TermKind::Prefix => hay
            .starts_with(pat)
            .then(|| exact_hit(hay, "", 0, pat, 3, want_indices)),
        TermKind::Suffix if tail.is_empty() => hay
            .ends_with(pat)
            .then(|| exact_hit(hay, "", hay.len() - pat.len(), pat, 3, want_indices)),
        TermKind::Suffix => tail
            .ends_with(pat)
            .then(|| exact_hit(hay, tail, tail.len() - pat.len(), pat, 3, want_indices)),
        TermKind::Equal => (tail.is_empty() && hay == pat).then(|| exact_hit(hay, "", 0, pat, 4, want_indices)),
    }
}

/// Score of a run of `pat` at `byte` in the form `head` + `tail` (at `byte`
/// of the tail when the tail is not empty, else of the head), with its char
/// indices when asked (a scan asks for none: no allocation per hit).
fn exact_hit(head: &str, tail: &str, byte: usize, pat: &str, weight: i64, want_indices: bool) -> (i64, Vec<usize>) {
    let (before, joined_before) = if tail.is_empty() {
        (&head[..byte], None)
    } else {
        (&tail[..byte], Some(head))
    };
    // Only the first 64 characters earn a bonus: count no further.
    let count = |s: &str| {
        if want_indices {
            s.chars().count()
        } else {
            s.chars().take(64).count()
        }
    };
    let start = joined_before.map_or(0, count) + count(before);
    let n = pat.chars().count();
    // A run at the start of a word ranks higher, and earlier runs (the
    // visible cells) above later ones (hidden names and aliases).
    let boundary =
        before.ends_with(' ') || (before.is_empty() && joined_before.is_none_or(|h| h.is_empty() || h.ends_with(' ')));
    let early = (64 - start.min(64) as i64) / 2;
    let score = weight * 16 * n as i64 + if boundary { 32 } else { 0 } + early;
    let indices = if want_indices {
        (start..start + n).collect()
    } else {
        Vec::new()
    };
    (score, indices)
}

/// The best score of a term's text in a hay, ignoring negation.
fn term_hit<T: AsRef<str>>(hay: &HayOf<T>, term: &Term) -> Option<i64> {
    if !hay.may_match(term) {
        return None;
    }
    let mut best: Option<i64> = None;
    for f in forms_for(term) {
        // The fuzzy pass is the costly one: skip it when a run already
        // matched, or when the line lacks one of the term's characters.
        if *f == Form::Line && term.kind == TermKind::Fuzzy {
            if best.is_some() || (!term.wide && term.ascii_mask & !hay.line_mask != 0) {
                continue;
            }
            if term.wide {
                if let Some(b) = term.finder.find(hay.line().as_bytes()) {
                    best = Some(exact_hit(hay.line(), "", b, &term.text, 2, false).0);
                    continue;
                }
                // One character not found is not there, fuzzily or not.
                if term.text.chars().nth(1).is_none() {
                    continue;
                }
            }
        }
        if let Some((s, _)) = term_form(term, *f, hay.parts(*f), false) {
            best = Some(best.map_or(s, |b| b.max(s)));
        }
    }
    best
}

/// A hit on shared text (a tag) ranks below the same hit on the record's own line.
const TAG_PENALTY: i64 = 16;

/// Does the term hold (for a negated term: is it absent)? Returns the score.
/// `tag_best` is the term's best score on the record's tags.
fn term_score<T: AsRef<str>>(hay: &HayOf<T>, term: &Term, tag_best: Option<i64>) -> Option<i64> {
    if term.negated {
        // Absent from the tags and from the line.
        return (tag_best.is_none() && term_hit(hay, term).is_none()).then_some(0);
    }
    match (term_hit(hay, term), tag_best) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Score a hay against a whole query: `None` when any term fails.
pub fn score<T: AsRef<str>>(hay: &HayOf<T>, q: &Query) -> Option<i64> {
    let mut total = 0;
    for t in &q.terms {
        total += term_score(hay, t, None)?;
    }
    Some(total)
}

/// Character indices of `hay.line()` to highlight for this query.
pub fn highlight<T: AsRef<str>>(hay: &HayOf<T>, q: &Query) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for t in q.terms.iter().filter(|t| !t.negated) {
        let best = forms_for(t)
            .iter()
            .filter_map(|f| term_form(t, *f, hay.parts(*f), true).map(|(s, idx)| (s, *f, idx)))
            .max_by_key(|(s, _, _)| *s);
        if let Some((_, form, idx)) = best {
            match form {
                Form::Line | Form::Initials => out.extend(idx),
                Form::Pinyin => out.extend(pinyin_to_line(hay.line(), &idx)),
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Map char indices in the pinyin form back to the line's characters.
fn pinyin_to_line(line: &str, idx: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0usize; // char position in the pinyin form
    let mut k = 0usize;
    for (li, c) in line.chars().enumerate() {
        let width = c.to_pinyin().map(|p| p.plain().chars().count()).unwrap_or(1);
        let end = pos + width;
        let mut hit = false;
        while k < idx.len() && idx[k] < end {
            if idx[k] >= pos {
                hit = true;
            }
            k += 1;
        }
        if hit {
            out.push(li);
        }
        pos = end;
        if k >= idx.len() {
            break;
        }
    }
    out
}

/// One hit: a record id and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub id: u64,
    pub score: i64,
}

/// Text many records share (a district's English name, a trade's aliases, a
/// case state): each distinct text is kept and matched once per query, and
/// a record holds only the number of its list of tags.
#[derive(Debug, Default, Clone)]
struct Tags {
    hays: Vec<Hay>,
    by_text: std::collections::HashMap<Box<str>, u32>,
    /// Distinct lists of tags; list 0 is the empty list.
    lists: Vec<Box<[u32]>>,
    by_list: std::collections::HashMap<Box<[u32]>, u32>,
}

impl Tags {
    fn list_of<S: AsRef<str>>(&mut self, texts: &[S]) -> u32 {
        if self.lists.is_empty() {
            self.lists.push(Box::new([]));
            self.by_list.insert(Box::new([]), 0);
        }
        let mut ids: Vec<u32> = Vec::with_capacity(texts.len());
        for t in texts {
            let t = t.as_ref().trim();
            if t.is_empty() {
                continue;
            }
            let id = match self.by_text.get(t) {
                Some(&id) => id,
                None => {
                    let id = self.hays.len() as u32;
                    self.hays.push(Hay::new(t.to_string()));
                    self.by_text.insert(t.into(), id);
                    id
                }
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if let Some(&l) = self.by_list.get(ids.as_slice()) {
            return l;
        }
        let l = self.lists.len() as u32;
        self.lists.push(ids.clone().into_boxed_slice());
        self.by_list.insert(ids.into_boxed_slice(), l);
        l
    }

    fn list(&self, l: u32) -> &[u32] {
        self.lists.get(l as usize).map(|b| &b[..]).unwrap_or(&[])
    }
}

/// The searchable records of one kind, in ascending id order.
#[derive(Debug, Default, Clone)]
pub struct Index {
    ids: Vec<u64>,
    hays: Vec<Slot>,
    /// Every record's text, one after another (see [`HayOf`]).
    arena: String,
    /// Bytes of the arena no record uses any more (replaced texts).
    garbage: usize,
    /// Per record, its list of tags (see [`Tags`]).
    tag_lists: Vec<u32>,
    tags: Tags,
}

/// How often a long scan looks at its cancel flag.
const CANCEL_EVERY: usize = 2048;

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every record's id, ascending.
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }

    fn slot(&self, id: u64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// Add or replace a record's hay (no shared text).
    pub fn upsert(&mut self, id: u64, hay: Hay) {
        self.upsert_tagged(id, hay, &[] as &[&str]);
    }

    /// Add or replace a record: its own text and the shared texts it is
    /// also found by.
    pub fn upsert_tagged<S: AsRef<str>>(&mut self, id: u64, hay: Hay, tags: &[S]) {
        let list = self.tags.list_of(tags);
        self.upsert_with_list(id, hay.as_ref(), list);
    }

    /// Put a hay's text at the arena's end: its slot.
    fn place(&mut self, hay: HayRef<'_>) -> Slot {
        let at = self.arena.len() as u64;
        self.arena.push_str(hay.text);
        hay.with_text(at)
    }

    /// A record's hay, read from the arena.
    fn view(&self, i: usize) -> HayRef<'_> {
        let h = &self.hays[i];
        let start = usize::try_from(h.text).unwrap_or(usize::MAX);
        let text = start
            .checked_add(h.end as usize)
            .and_then(|end| self.arena.get(start..end))
            .unwrap_or("");
        h.with_text(text)
    }

    fn upsert_with_list(&mut self, id: u64, hay: HayRef<'_>, list: u32) {
        let slot = self.place(hay);
        match self.ids.binary_search(&id) {
            Ok(i) => {
                self.garbage += self.hays[i].end as usize;
                self.hays[i] = slot;
                self.tag_lists[i] = list;
                // Replaced texts stay in the arena until they are half of it.
                if self.garbage > (1 << 20) && self.garbage * 2 > self.arena.len() {
                    self.compact();
                }
            }
            Err(i) => {
                // New ids only grow, so this is nearly always a push.
                self.ids.insert(i, id);
                self.hays.insert(i, slot);
                self.tag_lists.insert(i, list);
            }
        }
    }

    /// Rewrite the arena with only the texts records use.
    fn compact(&mut self) {
        let mut arena = String::with_capacity(self.arena.len() - self.garbage);
        for i in 0..self.hays.len() {
            let at = arena.len() as u64;
            arena.push_str(self.view(i).text);
            self.hays[i].text = at;
        }
        self.arena = arena;
        self.garbage = 0;
    }

    /// Join indexes built apart (one per thread) over consecutive id
    /// ranges, in order.
    pub fn concat(parts: Vec<Index>) -> Index {
        let mut out = Index::default();
        let n: usize = parts.iter().map(Index::len).sum();
        out.ids.reserve_exact(n);
        out.hays.reserve_exact(n);
        out.tag_lists.reserve_exact(n);
        out.arena
            .reserve_exact(parts.iter().map(|p| p.arena.len() - p.garbage).sum());
        for part in parts {
            // The part's lists, renumbered as lists of this index.
            let lists: Vec<u32> = part
                .tags
                .lists
                .iter()
                .map(|l| {
                    let texts: Vec<&str> = l
                        .iter()
                        .filter_map(|t| part.tags.hays.get(*t as usize).map(Hay::line))
                        .collect();
                    out.tags.list_of(&texts)
                })
                .collect();
            for i in 0..part.len() {
                let (id, hay) = (part.ids[i], part.view(i));
                let list = lists.get(part.tag_lists[i] as usize).copied().unwrap_or(0);
                if out.ids.last().is_some_and(|last| *last >= id) {
                    out.upsert_with_list(id, hay, list);
                } else {
                    let slot = out.place(hay);
                    out.ids.push(id);
                    out.hays.push(slot);
                    out.tag_lists.push(list);
                }
            }
        }
        out
    }

    /// Drop spare capacity once a build is done.
    pub fn shrink(&mut self) {
        self.ids.shrink_to_fit();
        self.hays.shrink_to_fit();
        self.tag_lists.shrink_to_fit();
        self.arena.shrink_to_fit();
    }

    /// A record's own text (what highlights refer to).
    pub fn get(&self, id: u64) -> Option<HayRef<'_>> {
        self.slot(id).map(|i| self.view(i))
    }

    /// The shared texts a record is also found by.
    pub fn tags_of(&self, id: u64) -> Vec<&str> {
        self.slot(id).map(|i| self.tag_texts(i)).unwrap_or_default()
    }

    fn tag_texts(&self, i: usize) -> Vec<&str> {
        self.tags
            .list(self.tag_lists[i])
            .iter()
            .filter_map(|t| self.tags.hays.get(*t as usize).map(|h| h.line()))
            .collect()
    }

    /// Everything a record is found by, as one line (what `search --lines`
    /// prints and what an outside tool such as fzf would be given).
    pub fn full_line(&self, id: u64) -> Option<String> {
        let i = self.slot(id)?;
        let mut line = self.view(i).line().to_string();
        for t in self.tag_texts(i) {
            line.push(' ');
            line.push_str(t);
        }
        Some(line)
    }

    /// (id, own text, tags) of every record, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, HayRef<'_>, Vec<&str>)> {
        (0..self.ids.len()).map(|i| (self.ids[i], self.view(i), self.tag_texts(i)))
    }

    /// Every record matching `q` (all records, score 0, for an empty query),
    /// restricted to `within` when given (narrowing from earlier results).
    /// Returns `None` when `cancelled()` turns true mid-scan.
    pub fn search(&self, q: &Query, within: Option<&[u64]>, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Hit>> {
        // Each term against each shared text, once: per term, per tag.
        let tag_scores: Vec<Vec<Option<i64>>> = q
            .terms
            .iter()
            .map(|t| {
                self.tags
                    .hays
                    .iter()
                    .map(|h| term_hit(h, t).map(|s| s - TAG_PENALTY))
                    .collect()
            })
            .collect();
        // Per term and tag list: the best tag score (lists are few).
        let list_best: Vec<Vec<Option<i64>>> = tag_scores
            .iter()
            .map(|per_tag| {
                self.tags
                    .lists
                    .iter()
                    .map(|l| {
                        l.iter()
                            .filter_map(|t| per_tag.get(*t as usize).copied().flatten())
                            .max()
                    })
                    .collect()
            })
            .collect();
        let record_score = |i: usize| -> Option<i64> {
            let list = self.tag_lists[i] as usize;
            let hay = self.view(i);
            let mut total = 0;
            for (k, t) in q.terms.iter().enumerate() {
                let tag_best = list_best[k].get(list).copied().flatten();
                total += term_score(&hay, t, tag_best)?;
            }
            Some(total)
        };
        // Narrowing pays when the earlier results are few; from a large part
        // of the index, finding each earlier id costs more than a scan.
        let within = within.filter(|w| w.len() * 4 < self.ids.len());
        let positions: Vec<usize>;
        let slots: &[usize] = match within {
            Some(ids) => {
                let mut p: Vec<usize> = ids.iter().filter_map(|id| self.slot(*id)).collect();
                // Earlier results come best first: visit them in index order.
                p.sort_unstable();
                positions = p;
                &positions
            }
            None => &[],
        };
        let n = if within.is_some() { slots.len() } else { self.ids.len() };
        let at = |k: usize| if within.is_some() { slots[k] } else { k };
        let scan = |range: std::ops::Range<usize>| -> Option<Vec<Hit>> {
            let mut out = Vec::new();
            for k in range {
                if k.is_multiple_of(CANCEL_EVERY) && cancelled() {
                    return None;
                }
                let i = at(k);
                if let Some(s) = record_score(i) {
                    out.push(Hit {
                        id: self.ids[i],
                        score: s,
                    });
                }
            }
            Some(out)
        };
        let threads = std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1)
            .min(8);
        if n < PARALLEL_FROM || threads < 2 {
            return scan(0..n);
        }
        // Split the scan over the cores; each part keeps index order.
        let chunk = n.div_ceil(threads);
        let parts: Vec<Option<Vec<Hit>>> = std::thread::scope(|sc| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = (t * chunk).min(n)..((t + 1) * chunk).min(n);
                    sc.spawn(move || scan(range))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(None)).collect()
        });
        let parts: Vec<Vec<Hit>> = parts.into_iter().collect::<Option<_>>()?;
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            out.extend(p);
        }
        Some(out)
    }
}

fn tsv_clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        s.replace(['\t', '\n', '\r'], " ").into()
    } else {
        s.into()
    }
}

impl Index {
    /// The index as text (the persisted search cache): a line of counts,
    /// the shared texts, the tag lists, then one record per line,
    /// `id TAB list TAB line TAB initials TAB pinyin`.
    pub fn write_tsv(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(
            w,
            "{} {} {}",
            self.ids.len(),
            self.tags.hays.len(),
            self.tags.lists.len()
        )?;
        for h in &self.tags.hays {
            writeln!(w, "{}", tsv_clean(h.line()))?;
        }
        for l in &self.tags.lists {
            let ids: Vec<String> = l.iter().map(u32::to_string).collect();
            writeln!(w, "{}", ids.join(","))?;
        }
        for i in 0..self.ids.len() {
            let h = self.view(i);
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}",
                self.ids[i],
                self.tag_lists[i],
                tsv_clean(h.line()),
                tsv_clean(&h.initials()),
                tsv_clean(&h.pinyin())
            )?;
        }
        Ok(())
    }

    /// Read what [`Index::write_tsv`] wrote; `None` for anything else
    /// (cut short, out of order, a reference out of range).
    pub fn read_tsv(text: &str) -> Option<Index> {
        let mut lines = text.split('\n');
        let mut counts = lines.next()?.split(' ').map(|n| n.parse::<usize>().ok());
        let (n, ntags, nlists) = (counts.next()??, counts.next()??, counts.next()??);
        let mut ix = Index::default();
        for _ in 0..ntags {
            let t = lines.next()?;
            ix.tags.by_text.insert(t.into(), ix.tags.hays.len() as u32);
            ix.tags.hays.push(Hay::new(t.to_string()));
        }
        for _ in 0..nlists {
            let l = lines.next()?;
            let ids: Vec<u32> = if l.is_empty() {
                Vec::new()
            } else {
                l.split(',').map(|x| x.parse().ok()).collect::<Option<_>>()?
            };
            if ids.iter().any(|t| *t as usize >= ntags) {
                return None;
            }
            let ids = ids.into_boxed_slice();
            ix.tags.by_list.insert(ids.clone(), ix.tags.lists.len() as u32);
            ix.tags.lists.push(ids);
        }
        // The count is the file's word: reserve no more than its lines could hold.
        let n_max = n.min(text.len() / 4);
        ix.ids.reserve_exact(n_max);
        ix.hays.reserve_exact(n_max);
        ix.tag_lists.reserve_exact(n_max);
        for l in lines.filter(|l| !l.is_empty()) {
            let mut f = l.splitn(5, '\t');
            let id: u64 = f.next()?.parse().ok()?;
            let list: u32 = f.next()?.parse().ok()?;
            let (line, initials, pinyin) = (f.next()?, f.next()?, f.next()?);
            if (list as usize) >= nlists.max(1) || ix.ids.last().is_some_and(|last| *last >= id) {
                return None;
            }
            ix.ids.push(id);
            let slot = ix.place(Hay::from_parts(line, initials, pinyin).as_ref());
            ix.hays.push(slot);
            ix.tag_lists.push(list);
        }
        ix.arena.shrink_to_fit();
        (ix.ids.len() == n).then_some(ix)
    }
}

/// Best score first, then newest (ids are unique, so the order is total and
/// an unstable sort is deterministic). A large list is sorted in two halves
/// on two threads and merged.
pub fn sort_best_first(hits: &mut [Hit]) {
    let cmp = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(b.id.cmp(&a.id));
    if hits.len() >= 4096 && counting_sort(hits) {
        return;
    }
    let threads = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1);
    if hits.len() < 2 * PARALLEL_FROM || threads < 2 {
        hits.sort_unstable_by(cmp);
        return;
    }
    let mid = hits.len() / 2;
    {
        let (a, b) = hits.split_at_mut(mid);
        std::thread::scope(|sc| {
            sc.spawn(|| a.sort_unstable_by(cmp));
            b.sort_unstable_by(cmp);
        });
    }
    let mut merged = Vec::with_capacity(hits.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < hits.len() {
        if cmp(&hits[j], &hits[i]).is_lt() {
            merged.push(hits[j]);
            j += 1;
        } else {
            merged.push(hits[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&hits[i..mid]);
    merged.extend_from_slice(&hits[j..]);
    hits.copy_from_slice(&merged);
}

/// A scan answers in id order and its scores take few values (a short
/// term scores by kind, length and position): then a counting sort by score,
/// filling from the newest, gives best first, newest first in linear time.
/// Returns false, touching nothing, when the hits are not like that.
fn counting_sort(hits: &mut [Hit]) -> bool {
    const MAX_RANGE: i64 = 1 << 12;
    if !hits.is_sorted_by_key(|h| h.id) {
        return false;
    }
    let (lo, hi) = hits
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), h| (lo.min(h.score), hi.max(h.score)));
    let Some(range) = hi.checked_sub(lo).filter(|r| *r < MAX_RANGE) else {
        return false;
    };
    // Bucket b holds score hi - b; starts[b] is where its run begins.
    let bucket = |h: &Hit| (hi - h.score) as usize;
    let mut starts = vec![0usize; range as usize + 2];
    for h in hits.iter() {
        starts[bucket(h) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![Hit { id: 0, score: 0 }; hits.len()];
    for h in hits.iter().rev() {
        let b = bucket(h);
        out[starts[b]] = *h;
        starts[b] += 1;
    }
    hits.copy_from_slice(&out);
    true
}

/// Below this many records one thread is faster than starting more.
const PARALLEL_FROM: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(line: &str, q: &str) -> bool {
        score(&Hay::new(line.to_string()), &Query::parse(q)).is_some()
    }

    #[test]
    fn chinese_pinyin_and_initials_all_find_the_trade() {
        for q in ["焊工", "hg", "hangong", "HG", "han gong", "hang"] {
            assert!(finds("焊工 welder 6-18-02-04", q), "{q}");
        }
        assert!(finds("养老护理员 elder-care worker", "ylhly"));
        assert!(finds("装配钳工 assembly fitter", "zpqg"));
        assert!(finds("焊工 welder 6-18-02-04", "welder"));
        assert!(finds("焊工 welder 6-18-02-04", "6-18-02"));
        assert!(!finds("车工 lathe turner", "焊"));
        assert!(!finds("车工 丹阳", "hg"));
        assert!(!finds("车工 丹阳", "hangong"));
    }

    #[test]
    fn fzf_terms() {
        let l = "焊工 welder | 丹阳市 | 12人";
        assert!(finds(l, "'welder"));
        assert!(!finds(l, "'wdr"));
        assert!(finds(l, "wdr"));
        assert!(finds(l, "^焊"));
        assert!(!finds(l, "^丹"));
        assert!(finds(l, "^hg"));
        assert!(finds(l, "人$"));
        assert!(finds(l, "焊工 丹阳"));
        assert!(!finds(l, "焊工 !丹阳"));
        assert!(finds(l, "焊工 !句容"));
        assert!(!finds(l, "焊工 车工"));
        assert!(finds(l, ""));
        assert!(finds(l, "   "));
    }

    #[test]
    fn initials_match_as_a_run_not_scattered() {
        let q = Query::parse("hg");
        assert!(score(&Hay::new("焊工".into()), &q).is_some());
        assert!(score(&Hay::new("黄色的小狗".into()), &q).is_none());
        assert!(score(&Hay::new("新区航空部件".into()), &q).is_none());
        assert!(score(&Hay::new("新区 Zhenjiang".into()), &q).is_none());
        assert!(score(&Hay::new("新区 Zhenjiang".into()), &Query::parse("zjg")).is_some());
        // Digits are a run at any length: 32119 is not 3…2…1…1…9.
        let id = Hay::new("王芳  321102198104229572  13915968613".into());
        assert!(score(&id, &Query::parse("3211021981")).is_some());
        assert!(score(&id, &Query::parse("139159")).is_some());
        assert!(score(&id, &Query::parse("32119")).is_none());
        assert!(score(&id, &Query::parse("wf 13915")).is_some());
        // English stays fuzzy.
        assert!(score(&Hay::new("焊工 welder".into()), &Query::parse("wldr")).is_some());
        let start = score(&Hay::new("焊工 企业".into()), &q).unwrap();
        let inner = score(&Hay::new("电焊工 企业".into()), &q).unwrap();
        assert!(start > inner, "{start} vs {inner}");
    }

    #[test]
    fn highlight_maps_every_form_back_to_the_line() {
        let hay = Hay::new("王芳 焊工".into());
        assert_eq!(highlight(&hay, &Query::parse("焊工")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("hg")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("hangong")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("wangfang")), vec![0, 1]);
        assert_eq!(highlight(&hay, &Query::parse("!wf")), Vec::<usize>::new());
    }

    /// The same hay with its derived forms kept whole (no shared tail).
    fn whole(line: &str) -> Hay {
        let h = Hay::new(line.to_string());
        let (i, p) = (h.initials().into_owned(), h.pinyin().into_owned());
        Hay::from_text(format!("{line}{i}{p}"), line.len(), line.len() + i.len(), line.len())
    }

    #[test]
    fn a_shared_tail_matches_and_scores_exactly_as_whole_forms() {
        let lines = [
            "谢明  321102199312246574  15969878355",
            "谢明  K20253  32110219931224657X",
            "装配钳工等级认定班（高新区·1月）  k20253  321102",
            "abc def",
            "  123 45",
            "谢明",
            "",
        ];
        let queries = [
            "3211",
            "^xm",
            "574$",
            "355$",
            "'20253",
            "xm",
            "xieming",
            "321 159",
            "!3211",
            "=xm",
            "谢明",
            "k2025",
            "xm3211",
            "3211955",
            "^xm$",
            "^abc$",
            "^谢明$",
            "^xieming$",
            "^123$",
            "^k20253$",
            "!^xm$",
            "abc",
            "^abc",
            "def$",
            "=abc",
            "^123",
            "45$",
            "=谢明",
            "xiem 355$",
            "gxq",
            "1yue",
            "zpqg 321102$",
        ];
        for line in lines {
            let (split, whole) = (Hay::new(line.to_string()), whole(line));
            assert_eq!(split.line(), whole.line());
            assert_eq!(split.initials(), whole.initials(), "{line}");
            assert_eq!(split.pinyin(), whole.pinyin(), "{line}");
            assert_eq!(split.ascii_mask, whole.ascii_mask, "{line}");
            let back = Hay::from_parts(line, &split.initials(), &split.pinyin());
            assert_eq!(back, split, "{line}");
            for q in queries {
                let q = Query::parse(q);
                assert_eq!(score(&split, &q), score(&whole, &q), "{line} / {}", q.raw);
                assert_eq!(highlight(&split, &q), highlight(&whole, &q), "{line} / {}", q.raw);
            }
        }
        // The tail is kept once: the ID number and mobile are not repeated.
        let h = Hay::new(lines[0].to_string());
        assert_eq!(h.text.matches("321102199312246574").count(), 1);
        assert!(h.text.len() < lines[0].len() + "xm".len() + "xieming".len() + 1);
    }

    #[test]
    fn shared_text_is_found_once_per_query_and_ranks_below_the_line() {
        let mut ix = Index::new();
        ix.upsert_tagged(1, Hay::new("王芳  焊工".into()), &["Danyang", "welder 电焊工"]);
        ix.upsert_tagged(2, Hay::new("李雷  车工".into()), &["Danyang", "lathe turner"]);
        ix.upsert_tagged(3, Hay::new("张伟  welder".into()), &["Jurong"]);
        let ids_in = |ix: &Index, q: &str| -> Vec<u64> {
            let mut h = ix.search(&Query::parse(q), None, &|| false).unwrap();
            h.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
            h.into_iter().map(|h| h.id).collect()
        };
        let ids = |q: &str| ids_in(&ix, q);
        assert_eq!(ids("danyang"), vec![1, 2]);
        assert_eq!(ids("dy"), Vec::<u64>::new(), "two letters are a run, not scattered");
        assert_eq!(ids("电焊"), vec![1]);
        assert_eq!(ids("danyang !lathe"), vec![1], "negation looks at tags too");
        assert_eq!(ids("!danyang"), vec![3]);
        assert_eq!(ids("welder"), vec![3, 1], "own text first");
        assert_eq!(ix.full_line(2).unwrap(), "李雷  车工 Danyang lathe turner");
        assert_eq!(ix.tags_of(3), vec!["Jurong"]);
        // Replacing a record replaces its tags.
        ix.upsert_tagged(2, Hay::new("李雷  车工".into()), &["Jurong"]);
        assert_eq!(ids_in(&ix, "danyang"), vec![1]);
    }

    #[test]
    fn indexes_built_apart_and_joined_equal_one_built_whole() {
        let recs: Vec<(u64, String, Vec<String>)> = (0..50u64)
            .map(|i| {
                (
                    i * 3 + 1,
                    format!("学员{i}  焊工"),
                    vec![format!("district {}", i % 4), format!("group {}", i % 3)],
                )
            })
            .collect();
        let mut whole = Index::new();
        for (id, line, tags) in &recs {
            whole.upsert_tagged(*id, Hay::new(line.clone()), tags);
        }
        let parts: Vec<Index> = recs
            .chunks(17)
            .map(|c| {
                let mut ix = Index::new();
                for (id, line, tags) in c {
                    ix.upsert_tagged(*id, Hay::new(line.clone()), tags);
                }
                ix
            })
            .collect();
        let joined = Index::concat(parts);
        assert_eq!(joined.len(), whole.len());
        for (id, _, _) in whole.iter() {
            assert_eq!(joined.full_line(id), whole.full_line(id));
        }
        for q in ["district 2", "group !district", "hg", "xy"] {
            let q = Query::parse(q);
            assert_eq!(joined.search(&q, None, &|| false), whole.search(&q, None, &|| false));
        }
    }

    #[test]
    fn best_first_sorts_by_score_then_newest_at_any_size() {
        let mut rng = 12345u64;
        for n in [0, 1, 7, 1000, 2 * PARALLEL_FROM + 3] {
            let mut hits: Vec<Hit> = (0..n as u64)
                .map(|id| {
                    rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    Hit {
                        id,
                        score: (rng >> 58) as i64,
                    }
                })
                .collect();
            let mut want = hits.clone();
            want.sort_by(|a, b| b.score.cmp(&a.score).then(b.id.cmp(&a.id)));
            // In id order with few scores (the counting sort), and shuffled.
            let mut shuffled = hits.clone();
            shuffled.reverse();
            sort_best_first(&mut hits);
            assert_eq!(hits, want, "n = {n}");
            sort_best_first(&mut shuffled);
            assert_eq!(shuffled, want, "n = {n}, shuffled");
            // Scores too spread for counting.
            let mut wide: Vec<Hit> = want
                .iter()
                .map(|h| Hit {
                    id: h.id,
                    score: h.score * 100_000,
                })
                .collect();
            wide.sort_by_key(|h| h.id);
            sort_best_first(&mut wide);
            assert!(
                wide.windows(2).all(|w| (w[0].score, w[0].id) > (w[1].score, w[1].id)),
                "n = {n}, wide"
            );
        }
    }

    #[test]
    fn replaced_texts_leave_the_arena_when_they_are_half_of_it() {
        let mut ix = Index::new();
        for id in 0..100u64 {
            ix.upsert(id, Hay::new(format!("学员{id}  {:018}", id)));
        }
        // Rewrite one record until its old texts would outweigh the rest.
        let long = "焊".repeat(20_000);
        for round in 0..200u64 {
            ix.upsert(7, Hay::new(format!("{long}  r{round}")));
            assert!(
                ix.garbage * 2 <= ix.arena.len() || ix.garbage <= 1 << 20,
                "round {round}"
            );
        }
        assert!(ix.arena.len() < 4 << 20, "compacted: {} bytes", ix.arena.len());
        assert!(ix.get(7).unwrap().line().ends_with("  r199"));
        for id in (0..100u64).filter(|id| *id != 7) {
            assert_eq!(ix.get(id).unwrap().line(), format!("学员{id}  {:018}", id));
            let hits = ix
                .search(&Query::parse(&format!("{:018}", id)), None, &|| false)
                .unwrap();
            assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id]);
        }
        let hits = ix.search(&Query::parse("r199$"), None, &|| false).unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![7]);
    }

    #[test]
    fn index_search_narrows_and_cancels() {
        let mut ix = Index::new();
        ix.upsert(1, Hay::new("焊工 丹阳".into()));
        ix.upsert(2, Hay::new("车工 丹阳".into()));
        ix.upsert(3, Hay::new("焊工 句容".into()));
        // Enough others that narrowing from two earlier results pays.
        for id in 10..20 {
            ix.upsert(id, Hay::new(format!("车工 {id}")));
        }
        let all = ix.search(&Query::parse("hg"), None, &|| false).unwrap();
        assert_eq!(all.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1, 3]);
        let ids: Vec<u64> = all.iter().map(|h| h.id).collect();
        let narrow = ix.search(&Query::parse("hg dy"), Some(&ids), &|| false).unwrap();
        assert_eq!(narrow.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
        // Only the earlier results are looked at (a narrowing search trusts them).
        let only = ix.search(&Query::parse("车工"), Some(&[12, 3]), &|| false).unwrap();
        assert_eq!(only.iter().map(|h| h.id).collect::<Vec<_>>(), vec![12]);
        assert!(ix.search(&Query::parse("hg"), None, &|| true).is_none());
        ix.upsert(2, Hay::new("焊工 扬中".into()));
        assert_eq!(ix.search(&Query::parse("焊工"), None, &|| false).unwrap().len(), 3);
        // From most of the index, a narrowing search scans it all: same answer.
        let most: Vec<u64> = (10..20).chain([1, 2, 3]).collect();
        assert_eq!(
            ix.search(&Query::parse("车工"), Some(&most), &|| false).unwrap().len(),
            10
        );
    }
}
