//! Case notes as the Cases tab searches them (#18): what an operator wrote
//! about a case after its training, read from the case's events.
//!
//! A case's notes are the words of these events (nothing else):
//! - a note (`Move::Note`): its text;
//! - a follow-up (`Move::FollowUp`): the remark recorded with it;
//! - a referral that ended without a hire (`Move::NotHireFor`): the words
//!   that came with the reason (`其他` needs them);
//! - a correction (`Move::Correct`): its reason.
//!
//! A withdrawal's reason, the reason for a second enrollment and the line
//! an imported results sheet leaves on a step are shown in the timeline
//! but are not notes: they are short set phrases or provenance, which
//! would bury the notes in a search of them.
//!
//! The store keeps every note in a tree of its own beside its event (see
//! `store::notes`); this module says what that tree must hold.

use super::{CaseId, Event, Move};
use serde::{Deserialize, Serialize};

/// Which event a note came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    Note,
    FollowUp,
    NotHired,
    Correction,
}

impl NoteKind {
    pub fn zh(self) -> &'static str {
        match self {
            NoteKind::Note => "备注",
            NoteKind::FollowUp => "回访备注",
            NoteKind::NotHired => "未录用说明",
            NoteKind::Correction => "更正原因",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::FollowUp => "follow-up remark",
            NoteKind::NotHired => "not-hired remark",
            NoteKind::Correction => "correction reason",
        }
    }
}

/// One note: which case and event, when, by whom, and the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNote {
    pub case: CaseId,
    pub seq: u32,
    /// Unix seconds (the event's time).
    pub at: i64,
    pub operator: String,
    pub kind: NoteKind,
    pub text: String,
}

/// The note an event carries, if it carries one (see the module's list).
pub fn note_of(ev: &Event) -> Option<CaseNote> {
    let (kind, text) = match &ev.action {
        Some(Move::Note) => (NoteKind::Note, ev.note.trim().to_string()),
        Some(Move::FollowUp { .. }) => (NoteKind::FollowUp, ev.note.trim().to_string()),
        Some(Move::NotHireFor(_)) => (NoteKind::NotHired, ev.note.trim().to_string()),
        Some(Move::Correct { reason, .. }) => {
            let parts: Vec<&str> = [reason.trim(), ev.note.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            (NoteKind::Correction, parts.join(" · "))
        }
        _ => return None,
    };
    if text.is_empty() {
        return None;
    }
    Some(CaseNote {
        case: ev.case,
        seq: ev.seq,
        at: ev.at,
        operator: ev.operator.clone(),
        kind,
        text,
    })
}

/// The words that switch the Cases tab's search to the notes, at the start
/// of a word of the query (`注:夜班`, `note:night`): full-width colons too,
/// as a Chinese input method types them.
pub const NOTE_PREFIXES: [&str; 6] = ["注:", "注：", "备注:", "备注：", "note:", "notes:"];

/// A Cases query split at its note prefix: the words before it search the
/// cases as usual, the words after it (and after the prefix in its own
/// word) search the notes. `None` when the query has no note prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteQuery {
    pub cases: String,
    pub notes: String,
}

impl NoteQuery {
    pub fn split(raw: &str) -> Option<NoteQuery> {
        let words: Vec<&str> = raw.split_whitespace().collect();
        let (at, rest) = words
            .iter()
            .enumerate()
            .find_map(|(i, w)| strip_prefix(w).map(|r| (i, r)))?;
        let mut notes: Vec<&str> = Vec::new();
        if !rest.is_empty() {
            notes.push(rest);
        }
        notes.extend(&words[at + 1..]);
        Some(NoteQuery {
            cases: words[..at].join(" "),
            notes: notes.join(" "),
        })
    }
}

/// The word after a note prefix (ASCII prefixes in any case).
fn strip_prefix(word: &str) -> Option<&str> {
    NOTE_PREFIXES.iter().find_map(|p| {
        let head = word.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &word[p.len()..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::aftercare::{FollowUpOutcome, NotHiredReason};
    use crate::domain::{CaseState, DemandId};

    fn ev(action: Option<Move>, note: &str) -> Event {
        Event {
            case: CaseId(7),
            seq: 3,
            at: 1_760_000_000,
            operator: "王敏".into(),
            from: Some(CaseState::Employed(DemandId(1))),
            to: CaseState::Employed(DemandId(1)),
            action,
            note: note.into(),
        }
    }

    #[test]
    fn the_words_of_notes_follow_ups_not_hired_and_corrections_are_notes() {
        let n = note_of(&ev(Some(Move::Note), " 本人说夜班太多 ")).expect("a note");
        assert_eq!(
            (n.kind, n.text.as_str(), n.seq, n.case),
            (NoteKind::Note, "本人说夜班太多", 3, CaseId(7))
        );
        let f = Move::FollowUp {
            months: 3,
            outcome: FollowUpOutcome::NotReached,
            wage: None,
        };
        assert_eq!(
            note_of(&ev(Some(f.clone()), "关机")).map(|n| n.kind),
            Some(NoteKind::FollowUp)
        );
        assert_eq!(note_of(&ev(Some(f), "")), None, "a follow-up without words is no note");
        let nh = Move::NotHireFor(NotHiredReason::Other);
        assert_eq!(
            note_of(&ev(Some(nh), "距离太远")).map(|n| n.kind),
            Some(NoteKind::NotHired)
        );
        let c = Move::Correct {
            undoes: 2,
            reason: "录错了".into(),
        };
        assert_eq!(note_of(&ev(Some(c), "")).map(|n| n.text), Some("录错了".into()));
        // Steps, withdrawals and enrollments keep their words in the timeline only.
        assert_eq!(note_of(&ev(Some(Move::Hire), "results sheet a.csv:3")), None);
        let w = Move::Withdraw {
            reason: "个人原因".into(),
        };
        assert_eq!(note_of(&ev(Some(w), "搬家")), None);
        assert_eq!(note_of(&ev(None, "已在另一班")), None);
    }

    #[test]
    fn a_note_prefix_splits_the_query_anywhere_and_in_either_script() {
        let q = |raw: &str| NoteQuery::split(raw).map(|q| (q.cases, q.notes));
        assert_eq!(q("注:夜班"), Some(("".into(), "夜班".into())));
        assert_eq!(q("注：夜班 辞职"), Some(("".into(), "夜班 辞职".into())));
        assert_eq!(q("备注: 夜班"), Some(("".into(), "夜班".into())));
        assert_eq!(q("焊工 注:"), Some(("焊工".into(), "".into())));
        assert_eq!(q("NOTE:night shift"), Some(("".into(), "night shift".into())));
        assert_eq!(q("welder notes:pay"), Some(("welder".into(), "pay".into())));
        assert_eq!(q("夜班"), None);
        assert_eq!(q("注意"), None);
        assert_eq!(q("footnote:x"), None, "only at the start of a word");
        assert_eq!(q(""), None);
    }
}
