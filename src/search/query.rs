//! fzf's extended query syntax.

use super::hay::{add_pairs, ascii_bit, cjk_bit, is_wide};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Fuzzy,
    /// `'word`: a substring.
    Exact,
    /// `^word`
    Prefix,
    /// `word$`
    Suffix,
    /// `^word$`
    Equal,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub kind: TermKind,
    pub negated: bool,
    /// Lower-cased text to look for.
    pub text: String,
    /// True when the term holds non-ASCII characters (matched against the line).
    pub wide: bool,
    pub(super) ascii_mask: u64,
    pub(super) cjk_bloom: u64,
    /// The term's pairs of characters (see `HayOf::pairs`); none for a wide
    /// term, which is matched against the line as written.
    pub(super) pairs: [u64; 2],
    /// A SIMD substring searcher for `text`, built once per query (a scan
    /// looks for it in long texts; see [`Term::find`]).
    pub(super) finder: memchr::memmem::Finder<'static>,
    /// [`Term::is_run`], worked out once (a scan asks per record).
    run: bool,
    /// The forms of a record this term is looked for in.
    pub(super) forms: &'static [super::hay::Form],
}

impl PartialEq for Term {
    fn eq(&self, other: &Term) -> bool {
        // The finder follows from the text.
        (self.kind, self.negated, &self.text, self.wide) == (other.kind, other.negated, &other.text, other.wide)
    }
}

impl Eq for Term {}

/// A parsed query: every term must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub raw: String,
    pub terms: Vec<Term>,
}

impl Query {
    pub fn parse(raw: &str) -> Query {
        let terms = raw.split_whitespace().filter_map(Term::parse).collect();
        Query {
            raw: raw.to_string(),
            terms,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when every match of `self` is also a match of `prev`, so a
    /// search for `self` may scan only `prev`'s results (fzf's narrowing).
    pub fn narrows(&self, prev: &Query) -> bool {
        if prev.terms.is_empty() {
            return false;
        }
        // Each earlier term is still there unchanged, or grown as a fuzzy or
        // exact term that only gets stricter as it grows.
        prev.terms.iter().enumerate().all(|(i, p)| match self.terms.get(i) {
            Some(t) if t == p => true,
            Some(t) => {
                !p.negated
                    && !t.negated
                    && t.kind == p.kind
                    && matches!(p.kind, TermKind::Fuzzy | TermKind::Exact | TermKind::Prefix)
                    && t.wide == p.wide
                    && t.text.starts_with(&p.text)
                    // Runs (short or digit-only terms) and fuzzy terms match
                    // differently: a term crossing from one to the other
                    // matches more, not less.
                    && t.is_run() == p.is_run()
            }
            None => false,
        })
    }
}

impl Term {
    /// Does this term match only as a contiguous run? A fuzzy ASCII term of
    /// one or two characters (`hg`), or of digits only: an ID number or a
    /// mobile is typed in order, and digits scattered over a line of them
    /// match nearly every record.
    pub fn is_run(&self) -> bool {
        self.run
    }

    fn works_out_run(&self) -> bool {
        self.kind == TermKind::Fuzzy
            && !self.wide
            && (self.text.len() < super::FUZZY_MIN_ASCII
                || self.text.bytes().all(|b| b.is_ascii_digit())
                || self.is_code())
    }

    /// A record's code as the screens show it: one letter of a kind (D
    /// demand, C class, T trainee, K case, I institution, E enterprise) and
    /// digits (`D12`, `K20001`). It finds that record, not its digits
    /// scattered over others.
    pub fn is_code(&self) -> bool {
        let b = self.text.as_bytes();
        b.len() >= 2 && matches!(b[0], b'd' | b'c' | b't' | b'k' | b'i' | b'e') && b[1..].iter().all(u8::is_ascii_digit)
    }

    fn parse(word: &str) -> Option<Term> {
        let mut s = word;
        let negated = s.starts_with('!');
        if negated {
            s = &s[1..];
        }
        let mut kind = if negated { TermKind::Exact } else { TermKind::Fuzzy };
        if let Some(rest) = s.strip_prefix('\'') {
            kind = TermKind::Exact;
            s = rest;
        } else if let Some(rest) = s.strip_prefix('^') {
            kind = TermKind::Prefix;
            s = rest;
        }
        if s.len() > 1
            && let Some(rest) = s.strip_suffix('$')
        {
            kind = if kind == TermKind::Prefix {
                TermKind::Equal
            } else {
                TermKind::Suffix
            };
            s = rest;
        }
        if s.is_empty() {
            return None;
        }
        let text = s.to_lowercase();
        let mut ascii_mask = 0;
        let mut cjk_bloom = 0;
        let mut wide = false;
        for c in text.chars() {
            if is_wide(c) {
                wide = true;
            }
        }
        for c in text.chars() {
            // A wide term is matched against the line: its ASCII letters may
            // be upper case there, so only the CJK bloom filters it.
            if wide {
                cjk_bloom |= cjk_bit(c);
            } else {
                ascii_mask |= ascii_bit(c);
            }
        }
        let mut pairs = [0; 2];
        if !wide {
            add_pairs(text.bytes(), &mut pairs);
        }
        let mut term = Term {
            pairs,
            finder: memchr::memmem::Finder::new(text.as_bytes()).into_owned(),
            kind,
            negated,
            text,
            wide,
            ascii_mask,
            cjk_bloom,
            run: false,
            forms: &[],
        };
        term.run = term.works_out_run();
        term.forms = super::score::forms_for(&term);
        Some(term)
    }

    /// Where the term's text first occurs in `hay`.
    pub(super) fn find(&self, hay: &[u8]) -> Option<usize> {
        self.finder.find(hay)
    }

    /// Where the term's text occurs in `hay`, left to right, not
    /// overlapping.
    pub(super) fn find_iter<'a>(&'a self, hay: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        self.finder.find_iter(hay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fzf_terms() {
        let q = Query::parse("hg 'weld ^焊 工$ ^x$ !丹阳 !'y");
        let kinds: Vec<(TermKind, bool, &str)> = q.terms.iter().map(|t| (t.kind, t.negated, t.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (TermKind::Fuzzy, false, "hg"),
                (TermKind::Exact, false, "weld"),
                (TermKind::Prefix, false, "焊"),
                (TermKind::Suffix, false, "工"),
                (TermKind::Equal, false, "x"),
                (TermKind::Exact, true, "丹阳"),
                (TermKind::Exact, true, "y"),
            ]
        );
        assert!(Query::parse("! ' ^").is_empty());
        assert_eq!(Query::parse("$").terms[0].text, "$");
    }

    #[test]
    fn narrowing_rules() {
        let p = |s| Query::parse(s);
        assert!(p("hg").narrows(&p("h")));
        assert!(p("hg dy").narrows(&p("hg")));
        assert!(p("hg d").narrows(&p("hg ")));
        assert!(!p("h").narrows(&p("hg")));
        assert!(!p("hg").narrows(&p("")));
        assert!(!p("!ab").narrows(&p("!a")));
        assert!(!p("ab$").narrows(&p("a$")));
        assert!(!p("hgx").narrows(&p("hg")));
        assert!(p("hgxy").narrows(&p("hgx")));
        // Digits are runs at any length, so they narrow as they grow; a
        // letter after them makes a fuzzy term, which does not.
        assert!(p("321").narrows(&p("32")));
        assert!(p("32110").narrows(&p("3211")));
        assert!(!p("321a").narrows(&p("321")));
    }
}
