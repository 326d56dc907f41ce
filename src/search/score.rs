//! Matching one query against one text: the forms each term is tried in,
//! exact and fuzzy hits, scores and the characters to highlight.

use super::hay::{DIGIT_BITS, Form, HayOf};
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
        // digit (and a record's code) is the same in every form. So is one
        // character: where it starts a syllable of the full pinyin, the
        // initials hold it as that hanzi's initial, no later and after the
        // same character, so the pinyin form can never score higher (and
        // walking its syllables cost a first keystroke most of its time).
        if term.text.len() == 1 || term.text.bytes().all(|b| b.is_ascii_digit()) || term.is_code() {
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
    line: &str,
    want_indices: bool,
) -> Option<(i64, Vec<usize>)> {
    let pat = term.text.as_str();
    let kind = match (form, term.kind) {
        (Form::Pinyin | Form::Initials, TermKind::Fuzzy) => TermKind::Exact,
        (_, k) => k,
    };
    // A run in the full pinyin starts a syllable: `gx` is not jian|g + x|in.
    let starts_ok = |b: usize| form != Form::Pinyin || starts_syllable(line, b);
    // `hay` + `tail` is the form; only derived forms have a tail, and only
    // runs are matched there. The tail starts with a space and a term holds
    // none, so a run lies wholly in one part and anchors fall as below.
    let found = match kind {
        TermKind::Fuzzy => {
            let hit = if want_indices {
                matcher().fuzzy_indices(hay, pat)
            } else {
                matcher().fuzzy_match(hay, pat).map(|s| (s, Vec::new()))
            };
            // Chinese typed is looked for as written first: characters found
            // apart rank below every record holding them together.
            let n = pat.chars().count() as i64;
            return hit.map(|(s, idx)| (if term.wide { s.min(32 * n - 1) } else { s }, idx));
        }
        // One byte (a first keystroke, looked for in every record) by
        // memchr itself, without the substring searcher's set-up per text.
        TermKind::Exact => match pat.as_bytes() {
            &[c] => match memchr::memchr_iter(c, hay.as_bytes()).find(|b| starts_ok(*b)) {
                Some(b) => Some((hay, "", b, 2)),
                None => memchr::memchr(c, tail.as_bytes()).map(|b| (hay, tail, b, 2)),
            },
            _ => match term.find_iter(hay.as_bytes()).find(|b| starts_ok(*b)) {
                Some(b) => Some((hay, "", b, 2)),
                // The tail is ASCII: every position starts its own "syllable".
                None => term.find(tail.as_bytes()).map(|b| (hay, tail, b, 2)),
            },
        },
        TermKind::Prefix => hay.starts_with(pat).then_some((hay, "", 0, 3)),
        // `$` ends a cell (cells are joined by two spaces), not only the line.
        TermKind::Suffix => term
            .find_iter(hay.as_bytes())
            .find(|b| {
                let after = &hay[b + pat.len()..];
                starts_ok(*b) && ((after.is_empty() && tail.is_empty()) || after.starts_with(CELL_SEP))
            })
            .map(|b| (hay, "", b, 3))
            .or_else(|| {
                term.find_iter(tail.as_bytes())
                    .find(|b| {
                        let after = &tail[b + pat.len()..];
                        after.is_empty() || after.starts_with(CELL_SEP)
                    })
                    .map(|b| (hay, tail, b, 3))
            }),
        TermKind::Equal => (tail.is_empty() && hay == pat).then_some((hay, "", 0, 4)),
    };
    found.map(|(head, tail, b, weight)| {
        let (score, idx) = exact_hit(head, tail, b, pat, weight, want_indices);
        let part = if tail.is_empty() { head } else { tail };
        let next = part[b + pat.len()..].bytes().next();
        (score + whole_bonus(term.is_run(), pat.len(), next), idx)
    })
}

/// Cells of a line are joined by two spaces.
const CELL_SEP: &str = "  ";

/// The bonus of a code or number found whole.
const WHOLE_BONUS: i64 = 16;

/// A code or a number found whole (not the start of a longer one) ranks
/// first: `D12` is D12 before D120. `next` is the byte after the run.
fn whole_bonus(run: bool, len: usize, next: Option<u8>) -> i64 {
    if run && len > 2 && next.is_none_or(|c| !c.is_ascii_alphanumeric()) {
        WHOLE_BONUS
    } else {
        0
    }
}

/// The score of a run of `n` characters found `start` characters into its
/// form, of a kind's `weight`: a run at the start of a word ranks higher,
/// and earlier runs (the visible cells) above later ones (hidden names and
/// aliases; only the first 64 characters earn that).
fn run_score(weight: i64, n: usize, start: usize, boundary: bool) -> i64 {
    let early = (64 - start.min(64) as i64) / 2;
    weight * 16 * n as i64 + if boundary { 32 } else { 0 } + early
}

/// Does byte `b` of the line's full-pinyin form start a syllable (or fall
/// on a character that is not a hanzi)?
pub(super) fn starts_syllable(line: &str, b: usize) -> bool {
    let mut pos = 0;
    for c in line.chars() {
        if pos >= b {
            return pos == b;
        }
        let w = c.to_pinyin().map_or(c.len_utf8(), |p| p.plain().len());
        if b < pos + w {
            return false;
        }
        pos += w;
    }
    true
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
    // A tail is ASCII (see `Hay`): its characters are its bytes.
    let before_chars = if joined_before.is_some() {
        before.len()
    } else {
        count(before)
    };
    let start = joined_before.map_or(0, count) + before_chars;
    let n = pat.chars().count();
    let boundary =
        before.ends_with(' ') || (before.is_empty() && joined_before.is_none_or(|h| h.is_empty() || h.ends_with(' ')));
    let score = run_score(weight, n, start, boundary);
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
    // Everything but a fuzzy pass over the line looks for a run.
    let runs = hay.may_hold_run(term);
    for f in term.forms {
        let fuzzy_line = *f == Form::Line && term.kind == TermKind::Fuzzy;
        if !runs && !fuzzy_line {
            continue;
        }
        // The fuzzy pass is the costly one: skip it when a run already
        // matched, or when the line lacks one of the term's characters.
        if *f == Form::Line && term.kind == TermKind::Fuzzy {
            if best.is_some() || (!term.wide && term.ascii_mask & !hay.line_mask != 0) {
                continue;
            }
            if term.wide {
                if let Some(b) = term.find(hay.line().as_bytes()) {
                    best = Some(exact_hit(hay.line(), "", b, &term.text, 2, false).0);
                    continue;
                }
                // One character not found is not there, fuzzily or not.
                if term.text.chars().nth(1).is_none() {
                    continue;
                }
            }
        }
        if let Some((s, _)) = term_form(term, *f, hay.parts(*f), hay.line(), false) {
            best = Some(best.map_or(s, |b| b.max(s)));
        }
    }
    best
}

/// Is `term` looked for first as runs in the initials and the full pinyin
/// (a fuzzy term of ASCII, not negated: a first keystroke, a name in
/// pinyin, an ID number, a mobile)? Such a term is what operators type and
/// what matches most of a city: [`run_verdict`] scores it straight from
/// the bytes.
pub(super) fn runs_first(term: &Term) -> bool {
    !term.negated && !term.wide && term.kind == TermKind::Fuzzy && term.forms.first() == Some(&Form::Initials)
}

/// What [`run_verdict`] found in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The term's score there (as [`term_hit`] gives it).
    Hit(i64),
    /// The term is not there.
    Miss,
    /// No run, but the line may hold the term fuzzily: [`term_hit`] decides.
    Ask,
}

/// [`term_hit`] for a term of [`runs_first`], with none of the general
/// path's set-up per record: the first run in the initials (then in the
/// shared tail) and the first in the full pinyin that starts a syllable
/// (then in the tail), each scored as [`exact_hit`] scores it, the better
/// kept. `line` gives the record's line (read only to find a syllable's
/// start).
///
/// `text` begins with the hay's text and may go on past its end (a scan
/// passes the rest of the arena): runs are looked for [`LANES`] bytes at a
/// time, and nothing of the text is read when the masks say no.
#[inline]
pub(super) fn run_verdict<'a, T>(hay: &HayOf<T>, text: &[u8], line: &dyn Fn() -> &'a str, term: &Term) -> Verdict {
    if (term.ascii_mask & !hay.ascii_mask) != 0 {
        return Verdict::Miss;
    }
    if (term.pairs[0] & !hay.pairs[0]) == 0 && (term.pairs[1] & !hay.pairs[1]) == 0 {
        let (tail, initials, pinyin) = (hay.tail_at as usize, hay.initials_at as usize, hay.pinyin_at as usize);
        let end = hay.end as usize;
        if tail > initials || initials > pinyin || pinyin > end || end > text.len() {
            return Verdict::Miss;
        }
        let parts = |head: std::ops::Range<usize>| Parts {
            text,
            head,
            tail: tail..initials,
            run: term.is_run(),
        };
        let pat = term.text.as_bytes();
        let in_initials = parts(initials..pinyin).first_run(pat, |_| true);
        // A run of digits, or of one character, that starts a syllable of
        // the full pinyin is one in the initials too (a syllable's first
        // letter is its hanzi's initial; a digit comes from no hanzi), no
        // earlier, with the same kind of neighbours (letters where a hanzi
        // is, the same characters elsewhere): it never scores better
        // there, so a first keystroke, an ID number or a mobile is looked
        // for once.
        let once = pat.len() == 1 || term.ascii_mask & !DIGIT_BITS == 0;
        let in_pinyin = if term.forms.contains(&Form::Pinyin) && !once {
            parts(pinyin..end).first_run(pat, |b| starts_syllable(line(), b - pinyin))
        } else {
            None
        };
        if let Some(s) = in_initials.max(in_pinyin) {
            return Verdict::Hit(s);
        }
    }
    // A fuzzy pass over the line is the general path's, when the line's
    // own characters hold the term's.
    if term.forms.contains(&Form::Line) && (term.ascii_mask & !hay.line_mask) == 0 {
        Verdict::Ask
    } else {
        Verdict::Miss
    }
}

/// One derived form of a record as byte ranges of its text: its own head
/// and the line's shared tail.
struct Parts<'t> {
    text: &'t [u8],
    head: std::ops::Range<usize>,
    tail: std::ops::Range<usize>,
    /// The term is a run (a code or a number found whole earns a bonus).
    run: bool,
}

impl Parts<'_> {
    /// The score of the first run of `pat` in the head that `starts_ok`
    /// takes (runs taken left to right, not overlapping, as the general
    /// path's searcher gives them), else of the first in the tail.
    #[inline(always)]
    fn first_run(&self, pat: &[u8], starts_ok: impl Fn(usize) -> bool) -> Option<i64> {
        let (text, head, tail) = (self.text, self.head.clone(), self.tail.clone());
        // Characters of a part of the text, counted to 64 (no bonus lies further).
        let chars = |s: &[u8]| {
            let mut n = 0;
            for &c in s.iter().take(256) {
                n += usize::from((c as i8) >= -0x40);
            }
            n.min(64)
        };
        let mut from = head.start;
        let mut found = None;
        while let Some(b) = find_run(text, from, head.end, pat) {
            if starts_ok(b) {
                found = Some(b);
                break;
            }
            from = b + pat.len();
        }
        let (start, boundary, after) = match found {
            Some(b) => {
                let before = &text[head.start..b];
                (
                    chars(before),
                    before.last().is_none_or(|&c| c == b' '),
                    &text[b + pat.len()..head.end],
                )
            }
            None => {
                let b = find_run(text, tail.start, tail.end, pat)?;
                let boundary = match text[tail.start..b].last() {
                    Some(&c) => c == b' ',
                    None => text[head.clone()].last().is_none_or(|&c| c == b' '),
                };
                (
                    chars(&text[head]) + (b - tail.start),
                    boundary,
                    &text[b + pat.len()..tail.end],
                )
            }
        };
        // As `term_form` scores a run (weight 2); the text is ASCII.
        Some(run_score(2, pat.len(), start, boundary) + whole_bonus(self.run, pat.len(), after.first().copied()))
    }
}

/// Where `pat` first occurs in `text[from..to]` (a record's initials or
/// its tail, tens of bytes), as an index of `text`. Its first two bytes
/// are looked for [`LANES`] bytes at a time, reading on past `to` where
/// `text` goes on: no call and no branch per byte.
#[inline(always)]
fn find_run(text: &[u8], from: usize, to: usize, pat: &[u8]) -> Option<usize> {
    let (&first, rest) = pat.split_first()?;
    let Some(&second) = rest.first() else {
        return find_byte(text, from, to, first);
    };
    // The last place a run can start.
    let last = to.checked_sub(pat.len())?;
    let mut at = from;
    while at <= last {
        let mut m = match (text.get(at..at + LANES), text.get(at + 1..at + 1 + LANES)) {
            // Where the first two bytes both are: few places to compare on.
            (Some(chunk), Some(next)) => eq_lanes(chunk, first) & eq_lanes(next, second),
            (Some(chunk), None) => eq_lanes(chunk, first),
            (None, _) => text[at..]
                .iter()
                .enumerate()
                .fold(0u32, |m, (i, &c)| m | (u32::from(c == first) << i)),
        };
        if last - at < LANES - 1 {
            m &= (1u32 << (last - at + 1)) - 1;
        }
        while m != 0 {
            let p = at + m.trailing_zeros() as usize;
            if text[p + 1..p + pat.len()].iter().zip(rest).all(|(a, b)| a == b) {
                return Some(p);
            }
            m &= m - 1;
        }
        at += LANES;
    }
    None
}

/// [`find_run`] of one byte (a first keystroke): the same walk with
/// nothing to compare after it.
#[inline(always)]
fn find_byte(text: &[u8], from: usize, to: usize, c: u8) -> Option<usize> {
    let mut at = from;
    while at < to {
        let m = match text.get(at..at + LANES) {
            Some(chunk) => eq_lanes(chunk, c),
            None => return text.get(at..to)?.iter().position(|&b| b == c).map(|p| at + p),
        };
        let m = if to - at < LANES {
            m & ((1u32 << (to - at)) - 1)
        } else {
            m
        };
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize);
        }
        at += LANES;
    }
    None
}

/// How many bytes [`eq_lanes`] compares at once.
#[cfg(target_arch = "x86_64")]
const LANES: usize = 16;
#[cfg(not(target_arch = "x86_64"))]
const LANES: usize = 8;

/// Which of the first [`LANES`] bytes of `chunk` equal `c`, one bit each
/// (bit `i` for byte `i`): one SSE2 compare and its mask (every x86_64 has
/// SSE2).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn eq_lanes(chunk: &[u8], c: u8) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let chunk = &chunk[..LANES];
    // SAFETY: `chunk` holds 16 readable bytes (sliced just above), an
    // unaligned load asks for no alignment, and SSE2, which all four
    // need, is part of every x86_64 (enabled in every build for it).
    let mask = unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)))
    };
    mask as u32 & 0xffff
}

/// Elsewhere: eight bytes in one word, with no false bit.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn eq_lanes(chunk: &[u8], c: u8) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut word = [0u8; 8];
    word.copy_from_slice(&chunk[..8]);
    let x = u64::from_le_bytes(word) ^ (u64::from(c) * 0x0101_0101_0101_0101);
    // A byte's top bit ends up clear exactly where `x` is zero there.
    let zero = !(((x & LOW7) + LOW7) | x | LOW7);
    // Gather the eight top bits into the low byte.
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
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
        let best = t
            .forms
            .iter()
            .filter_map(|f| term_form(t, *f, hay.parts(*f), hay.line(), true).map(|(s, idx)| (s, *f, idx)))
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

#[cfg(test)]
mod lane_tests {
    use super::*;

    #[test]
    fn each_lane_says_whether_its_byte_is_the_one() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..LANES)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Few values, so that most lanes hit some of the time;
                    // high bytes too (UTF-8).
                    [b'1', b'3', b' ', 0x80, 0xe5, 0x00][(x % 6) as usize]
                })
                .collect();
            for c in [b'1', b'3', b' ', 0x80, 0xe5, 0x00, b'z'] {
                let want = bytes
                    .iter()
                    .enumerate()
                    .fold(0u32, |m, (i, &b)| m | (u32::from(b == c) << i));
                assert_eq!(eq_lanes(&bytes, c), want, "{bytes:?} / {c}");
            }
        }
    }
}
