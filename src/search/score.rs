//! Matching one query against one text: the forms each term is tried in,
//! exact and fuzzy hits, scores and the characters to highlight.

use super::hay::{Form, HayOf};
use super::{Query, Term, TermKind};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use pinyin::ToPinyin;
use std::sync::OnceLock;

pub(super) fn matcher() -> &'static SkimMatcherV2 {
    static M: OnceLock<SkimMatcherV2> = OnceLock::new();
    M.get_or_init(|| SkimMatcherV2::default().ignore_case().use_cache(true))
}

/// ASCII terms shorter than this match only as a contiguous run: one or two
/// letters spread fuzzily over a line of pinyin and English match nearly
/// every record. (So do terms of digits only, see [`Term::is_run`].)
pub const FUZZY_MIN_ASCII: usize = 3;

pub(super) fn forms_for(term: &Term) -> &'static [Form] {
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
pub(super) fn term_form(
    term: &Term,
    form: Form,
    (hay, tail): (&str, &str),
    want_indices: bool,
) -> Option<(i64, Vec<usize>)> {
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
pub(super) fn exact_hit(
    head: &str,
    tail: &str,
    byte: usize,
    pat: &str,
    weight: i64,
    want_indices: bool,
) -> (i64, Vec<usize>) {
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
pub(super) fn term_hit<T: AsRef<str>>(hay: &HayOf<T>, term: &Term) -> Option<i64> {
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
pub(super) const TAG_PENALTY: i64 = 16;

/// Does the term hold (for a negated term: is it absent)? Returns the score.
/// `tag_best` is the term's best score on the record's tags.
pub(super) fn term_score<T: AsRef<str>>(hay: &HayOf<T>, term: &Term, tag_best: Option<i64>) -> Option<i64> {
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
pub(super) fn pinyin_to_line(line: &str, idx: &[usize]) -> Vec<usize> {
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
