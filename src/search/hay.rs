//! A record's searchable text in its three forms (line, initials, full
//! pinyin) with the masks that drop most non-matches before matching.

use super::Term;
use pinyin::ToPinyin;

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
#[repr(C)]
pub struct HayOf<T> {
    pub(super) text: T,
    pub(super) initials_at: u32,
    pub(super) pinyin_at: u32,
    /// Where the shared tail begins in the line (the line's length when none).
    pub(super) tail_at: u32,
    /// The text's length.
    pub(super) end: u32,
    pub(super) ascii_mask: u64,
    /// ASCII characters of the line itself (not of its pinyin).
    pub(super) line_mask: u64,
    pub(super) cjk_bloom: u64,
    /// The pairs of ASCII characters next to each other in the initials
    /// and the pinyin forms (see [`pair_bit`]): a run of two or more
    /// characters, of digits above all, is dropped before it is looked for
    /// when one of its pairs is missing. Most of an ID number's single
    /// digits are in every record; its pairs are not.
    pub(super) pairs: [u64; 2],
}

/// The [`ascii_bit`]s of the ten digits.
pub(super) const DIGIT_BITS: u64 = 0x3FF << 26;

pub(super) fn ascii_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ if c.is_ascii() => 1 << 36,
        _ => 0,
    }
}

pub(super) fn cjk_bit(c: char) -> u64 {
    if c.is_ascii() {
        0
    } else {
        1 << ((c as u32).wrapping_mul(2_654_435_761) >> 26)
    }
}

/// Where the pair `a b` of ASCII bytes falls in a [`HayOf::pairs`] bloom:
/// pairs of digits in the first word, every other pair in the second.
pub(super) fn pair_bit(a: u8, b: u8) -> (usize, u64) {
    let word = usize::from(!(a.is_ascii_digit() && b.is_ascii_digit()));
    let h = ((u64::from(a) << 8) | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
    (word, 1 << h)
}

/// The pairs of ASCII bytes next to each other in `bytes`, into `into`.
pub(super) fn add_pairs(bytes: impl Iterator<Item = u8>, into: &mut [u64; 2]) {
    let mut prev: Option<u8> = None;
    for b in bytes {
        if let Some(a) = prev
            && a.is_ascii()
            && b.is_ascii()
        {
            let (w, bit) = pair_bit(a, b);
            into[w] |= bit;
        }
        prev = Some(b);
    }
}

/// True for a character that should be matched against the line itself.
pub fn is_wide(c: char) -> bool {
    !c.is_ascii()
}

/// Where the line's shared tail begins: the first space of its longest
/// suffix of ASCII without capitals (which every form holds unchanged).
pub(super) fn tail_start(line: &str) -> usize {
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
pub(super) type Slot = HayOf<u64>;

// SAFETY: a slot is nine plain integers laid out in order (`repr(C)`): an
// u64, four u32, five u64 — 64 bytes with no padding, and any bit pattern
// is a slot (the index checks its offsets before reading through them).
// This is what lets a mapped search cache be read in place.
unsafe impl bytemuck::Zeroable for Slot {}
unsafe impl bytemuck::Pod for Slot {}
const _: () = assert!(size_of::<Slot>() == 64 && align_of::<Slot>() == 8);

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

    pub(super) fn from_text(text: String, initials_at: usize, pinyin_at: usize, tail_at: usize) -> Hay {
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
            pairs: [0; 2],
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
        let mut pairs = [0; 2];
        add_pairs(ih.bytes().chain(tail.bytes()), &mut pairs);
        add_pairs(ph.bytes().chain(tail.bytes()), &mut pairs);
        (h.cjk_bloom, h.line_mask, h.ascii_mask, h.pairs) = (cjk, line, ascii, pairs);
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
    pub(super) fn with_text<U>(&self, text: U) -> HayOf<U> {
        HayOf {
            text,
            initials_at: self.initials_at,
            pinyin_at: self.pinyin_at,
            tail_at: self.tail_at,
            end: self.end,
            ascii_mask: self.ascii_mask,
            line_mask: self.line_mask,
            cjk_bloom: self.cjk_bloom,
            pairs: self.pairs,
        }
    }
}

impl<T> HayOf<T> {
    /// Could `term` possibly match? (No false negatives.)
    pub(super) fn may_match(&self, term: &Term) -> bool {
        (term.ascii_mask & !self.ascii_mask) == 0 && (term.cjk_bloom & !self.cjk_bloom) == 0
    }

    /// Could `term` be found as a run (in the initials or the pinyin form,
    /// or the line's ASCII, which the initials form holds lower-cased)?
    pub(super) fn may_hold_run(&self, term: &Term) -> bool {
        (term.pairs[0] & !self.pairs[0]) == 0 && (term.pairs[1] & !self.pairs[1]) == 0
    }
}

impl<T: AsRef<str>> HayOf<T> {
    /// What the user reads.
    pub fn line(&self) -> &str {
        self.text.as_ref().get(..self.initials_at as usize).unwrap_or("")
    }

    /// A form as (head, tail): the form is the two joined.
    pub(super) fn parts(&self, f: Form) -> (&str, &str) {
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

    pub(super) fn joined(&self, f: Form) -> std::borrow::Cow<'_, str> {
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
}

/// Which of a hay's three forms a term matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    Line,
    Initials,
    Pinyin,
}
