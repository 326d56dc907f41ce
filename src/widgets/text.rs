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

/// Apply `edit` to `input`, keeping it within `max` characters when given.
/// True when the value changed (a cursor move changes nothing).
pub fn apply(input: &mut Input, edit: &Edit, max: Option<usize>) -> bool {
    let room = |input: &Input| max.is_none_or(|m| input.value().chars().count() < m);
    let req = match edit {
        Edit::Insert(c) => {
            return room(input) && input.handle(InputRequest::InsertChar(*c)).is_some_and(|r| r.value);
        }
        Edit::Paste(s) => {
            let mut changed = false;
            for c in s.chars().filter(|c| !c.is_control()) {
                if !room(input) {
                    break;
                }
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
}
