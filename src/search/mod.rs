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

/// One searchable record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hay {
    /// What the user reads (and what `search --lines` prints).
    pub line: String,
    /// `line` lower-cased, each hanzi replaced by its pinyin initial.
    pub initials: String,
    /// `line` lower-cased, each hanzi replaced by its plain pinyin syllable.
    pub pinyin: String,
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

impl Hay {
    pub fn new(line: String) -> Hay {
        let mut initials = String::with_capacity(line.len());
        let mut pinyin = String::with_capacity(line.len() * 2);
        let mut ascii_mask = 0;
        let mut line_mask = 0;
        let mut cjk_bloom = 0;
        for c in line.chars() {
            cjk_bloom |= cjk_bit(c);
            match c.to_pinyin() {
                Some(p) => {
                    initials.push_str(p.first_letter());
                    pinyin.push_str(p.plain());
                    for pc in p.plain().chars() {
                        ascii_mask |= ascii_bit(pc);
                    }
                }
                None => {
                    let l = c.to_ascii_lowercase();
                    initials.push(l);
                    pinyin.push(l);
                    ascii_mask |= ascii_bit(l);
                    line_mask |= ascii_bit(l);
                }
            }
        }
        Hay {
            line,
            initials,
            pinyin,
            ascii_mask,
            line_mask,
            cjk_bloom,
        }
    }

    /// A hay from forms stored earlier (the persisted index): only the masks
    /// are computed.
    pub fn from_parts(line: String, initials: String, pinyin: String) -> Hay {
        let mut ascii_mask = 0;
        let mut line_mask = 0;
        let mut cjk_bloom = 0;
        for c in line.chars() {
            cjk_bloom |= cjk_bit(c);
            if c.is_ascii() {
                line_mask |= ascii_bit(c.to_ascii_lowercase());
            }
        }
        for c in initials.chars().chain(pinyin.chars()) {
            ascii_mask |= ascii_bit(c);
        }
        Hay {
            line,
            initials,
            pinyin,
            ascii_mask,
            line_mask,
            cjk_bloom,
        }
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
/// every record.
pub const FUZZY_MIN_ASCII: usize = 3;

fn forms_for(term: &Term) -> &'static [Form] {
    if term.wide {
        &[Form::Line]
    } else if term.text.len() < FUZZY_MIN_ASCII && term.kind == TermKind::Fuzzy {
        // The initials form holds the line's ASCII too, lower-cased.
        &[Form::Initials, Form::Pinyin]
    } else {
        &[Form::Initials, Form::Pinyin, Form::Line]
    }
}

fn form_text(hay: &Hay, f: Form) -> &str {
    match f {
        Form::Line => &hay.line,
        Form::Initials => &hay.initials,
        Form::Pinyin => &hay.pinyin,
    }
}

/// Score of one positive term against one form, with matched char indices
/// in that form when asked. Initials and full pinyin match as a contiguous
/// run (a fuzzy match across a line of initials finds nearly everything:
/// `hg` would hit 航空部件 through "HanG"); the line itself is fuzzy, which
/// serves English names, codes and Chinese terms.
fn term_form(term: &Term, form: Form, hay: &str, want_indices: bool) -> Option<(i64, Vec<usize>)> {
    let pat = term.text.as_str();
    let kind = match (form, term.kind) {
        (Form::Pinyin | Form::Initials, TermKind::Fuzzy) => TermKind::Exact,
        (_, k) => k,
    };
    match kind {
        TermKind::Fuzzy => {
            if want_indices {
                matcher().fuzzy_indices(hay, pat)
            } else {
                matcher().fuzzy_match(hay, pat).map(|s| (s, Vec::new()))
            }
        }
        TermKind::Exact => hay.find(pat).map(|b| exact_hit(hay, b, pat, 2)),
        TermKind::Prefix => hay.starts_with(pat).then(|| exact_hit(hay, 0, pat, 3)),
        TermKind::Suffix => hay
            .ends_with(pat)
            .then(|| exact_hit(hay, hay.len() - pat.len(), pat, 3)),
        TermKind::Equal => (hay == pat).then(|| exact_hit(hay, 0, pat, 4)),
    }
}

fn exact_hit(hay: &str, byte: usize, pat: &str, weight: i64) -> (i64, Vec<usize>) {
    let start = hay[..byte].chars().count();
    let n = pat.chars().count();
    // A run at the start of a word ranks higher, and earlier runs (the
    // visible cells) above later ones (hidden names and aliases).
    let boundary = byte == 0 || hay[..byte].ends_with(' ');
    let early = (64 - start.min(64) as i64) / 2;
    let score = weight * 16 * n as i64 + if boundary { 32 } else { 0 } + early;
    (score, (start..start + n).collect())
}

/// Does the term hold (for a negated term: is it absent)? Returns the score.
fn term_score(hay: &Hay, term: &Term) -> Option<i64> {
    if !hay.may_match(term) {
        return if term.negated { Some(0) } else { None };
    }
    let mut best: Option<i64> = None;
    for f in forms_for(term) {
        // The fuzzy pass is the costly one: skip it when a run already
        // matched, or when the line lacks one of the term's characters.
        if *f == Form::Line && term.kind == TermKind::Fuzzy {
            if best.is_some() || (!term.wide && term.ascii_mask & !hay.line_mask != 0) {
                continue;
            }
            if term.wide
                && let Some(b) = hay.line.find(term.text.as_str())
            {
                best = Some(exact_hit(&hay.line, b, &term.text, 2).0);
                continue;
            }
        }
        if let Some((s, _)) = term_form(term, *f, form_text(hay, *f), false) {
            best = Some(best.map_or(s, |b| b.max(s)));
        }
    }
    match (term.negated, best) {
        (false, b) => b,
        (true, None) => Some(0),
        (true, Some(_)) => None,
    }
}

/// Score a hay against a whole query: `None` when any term fails.
pub fn score(hay: &Hay, q: &Query) -> Option<i64> {
    let mut total = 0;
    for t in &q.terms {
        total += term_score(hay, t)?;
    }
    Some(total)
}

/// Character indices of `hay.line` to highlight for this query.
pub fn highlight(hay: &Hay, q: &Query) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for t in q.terms.iter().filter(|t| !t.negated) {
        let best = forms_for(t)
            .iter()
            .filter_map(|f| term_form(t, *f, form_text(hay, *f), true).map(|(s, idx)| (s, *f, idx)))
            .max_by_key(|(s, _, _)| *s);
        if let Some((_, form, idx)) = best {
            match form {
                Form::Line | Form::Initials => out.extend(idx),
                Form::Pinyin => out.extend(pinyin_to_line(&hay.line, &idx)),
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

/// The searchable records of one kind.
#[derive(Debug, Default, Clone)]
pub struct Index {
    ids: Vec<u64>,
    hays: Vec<Hay>,
    pos: std::collections::HashMap<u64, usize>,
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

    /// Add or replace a record's hay.
    pub fn upsert(&mut self, id: u64, hay: Hay) {
        match self.pos.get(&id) {
            Some(&i) => self.hays[i] = hay,
            None => {
                self.pos.insert(id, self.ids.len());
                self.ids.push(id);
                self.hays.push(hay);
            }
        }
    }

    pub fn get(&self, id: u64) -> Option<&Hay> {
        self.pos.get(&id).map(|&i| &self.hays[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = (u64, &Hay)> {
        self.ids.iter().copied().zip(self.hays.iter())
    }

    /// Every record matching `q` (all records, score 0, for an empty query),
    /// restricted to `within` when given (narrowing from earlier results).
    /// Returns `None` when `cancelled()` turns true mid-scan.
    pub fn search(&self, q: &Query, within: Option<&[u64]>, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Hit>> {
        let positions: Vec<usize>;
        let slots: &[usize] = match within {
            Some(ids) => {
                positions = ids.iter().filter_map(|id| self.pos.get(id).copied()).collect();
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
                if let Some(s) = score(&self.hays[i], q) {
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
        let mut out = Vec::new();
        for p in parts {
            out.extend(p?);
        }
        Some(out)
    }
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

    #[test]
    fn index_search_narrows_and_cancels() {
        let mut ix = Index::new();
        ix.upsert(1, Hay::new("焊工 丹阳".into()));
        ix.upsert(2, Hay::new("车工 丹阳".into()));
        ix.upsert(3, Hay::new("焊工 句容".into()));
        let all = ix.search(&Query::parse("hg"), None, &|| false).unwrap();
        assert_eq!(all.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1, 3]);
        let ids: Vec<u64> = all.iter().map(|h| h.id).collect();
        let narrow = ix.search(&Query::parse("hg dy"), Some(&ids), &|| false).unwrap();
        assert_eq!(narrow.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
        assert!(ix.search(&Query::parse("hg"), None, &|| true).is_none());
        ix.upsert(2, Hay::new("焊工 扬中".into()));
        assert_eq!(ix.search(&Query::parse("焊工"), None, &|| false).unwrap().len(), 3);
    }
}
