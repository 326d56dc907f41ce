//! The words of the Cases tab's note search (#18), once per language.

use super::Lang;

pub struct NoteStrings {
    /// The pane's heading over the notes a note search matched.
    pub matching: &'static str,
    /// One note in that list: its kind, then its words.
    pub line: &'static str,
}

pub const ZH_NOTES: NoteStrings = NoteStrings {
    matching: "匹配的备注",
    line: "{}：{}",
};

pub const EN_NOTES: NoteStrings = NoteStrings {
    matching: "Matching notes",
    line: "{}: {}",
};

pub fn notes(lang: Lang) -> &'static NoteStrings {
    match lang {
        Lang::Zh => &ZH_NOTES,
        Lang::En => &EN_NOTES,
    }
}
