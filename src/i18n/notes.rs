//! The words of the Cases tab's note search (#18), once per language.

use super::Lang;

pub struct NoteStrings {
    /// The pane's heading over the notes a note search matched.
    pub matching: &'static str,
    /// One note in that list: its kind, then its words.
    pub line: &'static str,
    /// The help's section on the search line (after every key).
    pub help_heading: &'static str,
    pub help_lines: [&'static str; 3],
}

pub const ZH_NOTES: NoteStrings = NoteStrings {
    matching: "匹配的备注",
    line: "{}：{}",
    help_heading: "【搜索】",
    help_lines: [
        "  直接输入即可搜索：中文、拼音全拼、首字母、英文、编号；空格=且 '精确 ^开头 结尾$ !排除",
        "  服务记录页输入「注:」加词搜索备注（回访备注、未录用说明、更正原因同搜），如 注:夜班；",
        "  「注:」前的词照常搜索服务记录，如 焊工 注:辞职；只输入「注:」列出全部有备注的服务记录",
    ],
};

pub const EN_NOTES: NoteStrings = NoteStrings {
    matching: "Matching notes",
    line: "{}: {}",
    help_heading: "[search]",
    help_lines: [
        "  Type to search: Chinese, pinyin, initials, English, codes; space = AND  'exact ^prefix suffix$ !not",
        "  On Cases, note: (or 注:) and words search the case notes (follow-up remarks, not-hired remarks and",
        "  correction reasons too), e.g. note:yeban; words before it search the cases: welder note:pay",
    ],
};

pub fn notes(lang: Lang) -> &'static NoteStrings {
    match lang {
        Lang::Zh => &ZH_NOTES,
        Lang::En => &EN_NOTES,
    }
}
