//! Personal numbers on screen: every ID number and mobile masked
//! (`3211**********1234`, `139****1111`), but the one person an operator
//! revealed, for as long as the reveal lasts.

use super::record::DetailLine;
use crate::app::state::Shown;
use crate::domain::mask_numbers;
use std::borrow::Cow;

/// How this frame shows personal numbers.
#[derive(Debug, Clone, Copy)]
pub struct Mask<'a> {
    shown: Option<&'a Shown>,
}

impl<'a> Mask<'a> {
    pub fn new(shown: Option<&'a Shown>) -> Mask<'a> {
        Mask { shown }
    }

    /// `text` with every number masked but the revealed person's. Masking
    /// keeps the length in characters, so highlights still fit.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let keep: Vec<&str> = match self.shown {
            Some(s) => std::iter::once(s.id_number.as_str())
                .chain(s.mobile.as_deref())
                .filter(|k| !k.is_empty() && text.contains(*k))
                .collect(),
            None => Vec::new(),
        };
        if keep.is_empty() {
            return mask_numbers(text);
        }
        // Mask the text between the revealed numbers, keep them as they are.
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((at, k)) = keep.iter().filter_map(|k| rest.find(k).map(|i| (i, *k))).min() {
            out.push_str(&mask_numbers(&rest[..at]));
            out.push_str(k);
            rest = &rest[at + k.len()..];
        }
        out.push_str(&mask_numbers(rest));
        Cow::Owned(out)
    }

    /// Table rows, masked in place.
    pub fn rows(&self, rows: &mut [Vec<super::table::CellView>]) {
        for cell in rows.iter_mut().flatten() {
            if let Cow::Owned(o) = self.text(&cell.text) {
                cell.text = o;
            }
        }
    }

    /// A detail line, masked.
    pub fn line(&self, line: DetailLine) -> DetailLine {
        let m = |s: String| match self.text(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(o) => o,
        };
        match line {
            DetailLine::Title(s) => DetailLine::Title(m(s)),
            DetailLine::Field(l, s) => DetailLine::Field(l, m(s)),
            DetailLine::Item(s) => DetailLine::Item(m(s)),
            DetailLine::Event { when, operator, text } => DetailLine::Event {
                when,
                operator,
                text: m(text),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TraineeId;

    fn shown() -> Shown {
        Shown {
            trainee: TraineeId(5),
            id_number: "321181199003040121".into(),
            mobile: Some("13800000000".into()),
            until: std::time::Instant::now(),
        }
    }

    #[test]
    fn numbers_are_masked_but_the_revealed_persons() {
        let line = "王示例 321181199003040121 13800000000 · 李静 321102199610182687 13912345678";
        assert_eq!(
            Mask::new(None).text(line),
            "王示例 3211**********0121 138****0000 · 李静 3211**********2687 139****5678"
        );
        let s = shown();
        assert_eq!(
            Mask::new(Some(&s)).text(line),
            "王示例 321181199003040121 13800000000 · 李静 3211**********2687 139****5678"
        );
        // Nothing of the revealed person's: masked as usual.
        assert_eq!(Mask::new(Some(&s)).text("13912345678"), "139****5678");
    }
}
