//! Editing a one-line text field (a `tui_input::Input`), the same way in
//! every field of every screen.

use tui_input::{Input, InputRequest};

/// One edit of a text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Pasted (or an input method's committed) text; control characters are dropped.
    Paste(String),
    DeleteBack,
    DeleteForward,
    DeleteWord,
    Clear,
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
}

/// The most characters any text field holds (the search line, a form's
/// field, a path): a longer paste is cut there. Every field is bounded, so
/// a huge paste costs no more than this to edit and to search for.
pub const MAX_FIELD_CHARS: usize = 1024;

/// Apply `edit` to `input`, keeping it within `max` characters when given
/// and within [`MAX_FIELD_CHARS`] always.
/// True when the value changed (a cursor move changes nothing).
pub fn apply(input: &mut Input, edit: &Edit, max: Option<usize>) -> bool {
    let max = max.map_or(MAX_FIELD_CHARS, |m| m.min(MAX_FIELD_CHARS));
    let room = |input: &Input| input.value().chars().count() < max;
    let req = match edit {
        Edit::Insert(c) => {
            return room(input) && input.handle(InputRequest::InsertChar(*c)).is_some_and(|r| r.value);
        }
        Edit::Paste(s) => {
            let mut left = max.saturating_sub(input.value().chars().count());
            let mut changed = false;
            for c in s.chars().filter(|c| !c.is_control()) {
                if left == 0 {
                    break;
                }
                left -= 1;
                changed |= input.handle(InputRequest::InsertChar(c)).is_some_and(|r| r.value);
            }
            return changed;
        }
        Edit::DeleteBack => InputRequest::DeletePrevChar,
        Edit::DeleteForward => InputRequest::DeleteNextChar,
        Edit::DeleteWord => InputRequest::DeletePrevWord,
        Edit::Clear => InputRequest::DeleteLine,
        Edit::Left => InputRequest::GoToPrevChar,
        Edit::Right => InputRequest::GoToNextChar,
        Edit::Home => InputRequest::GoToStart,
        Edit::End => InputRequest::GoToEnd,
        Edit::WordLeft => InputRequest::GoToPrevWord,
        Edit::WordRight => InputRequest::GoToNextWord,
    };
    input.handle(req).is_some_and(|r| r.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_report_whether_the_value_changed() {
        let mut i = Input::default();
        assert!(apply(&mut i, &Edit::Insert('焊'), None));
        assert!(apply(&mut i, &Edit::Paste("工\u{1b}[A".into()), None));
        assert_eq!(i.value(), "焊工[A", "control characters are dropped");
        assert!(!apply(&mut i, &Edit::Left, None));
        assert!(apply(&mut i, &Edit::DeleteBack, None));
        assert_eq!(i.value(), "焊工A");
        assert!(apply(&mut i, &Edit::Clear, None));
        assert!(!apply(&mut i, &Edit::DeleteBack, None));
    }

    #[test]
    fn a_bounded_field_takes_no_more() {
        let mut i = Input::default();
        assert!(apply(&mut i, &Edit::Paste("abcdef".into()), Some(4)));
        assert_eq!(i.value(), "abcd");
        assert!(!apply(&mut i, &Edit::Insert('x'), Some(4)));
    }

    #[test]
    fn every_field_is_bounded() {
        let mut i = Input::default();
        let t0 = std::time::Instant::now();
        assert!(apply(&mut i, &Edit::Paste("焊".repeat(1 << 20)), None));
        assert_eq!(i.value().chars().count(), MAX_FIELD_CHARS);
        assert!(!apply(&mut i, &Edit::Insert('x'), None));
        assert!(!apply(&mut i, &Edit::Paste("x".into()), Some(1 << 20)));
        assert!(t0.elapsed() < std::time::Duration::from_secs(2), "{:?}", t0.elapsed());
    }
}
