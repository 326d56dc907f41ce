//! The timeline's lines for what happens after the job and around it:
//! follow-ups (outcome, reason, new employer, wage), notes, corrections
//! and not-hired reasons. Other steps are `record::event_line`'s.

use crate::domain::aftercare::FollowUpOutcome;
use crate::domain::{CaseState, Event, Move};
use crate::i18n::{Lang, fill};

/// The text of a follow-up, note, correction or reasoned not-hired event;
/// `None` for any other step.
pub fn after_job(e: &Event, lang: Lang) -> Option<String> {
    let t = lang.t();
    let zh = lang == Lang::Zh;
    let state = |s: &CaseState| if zh { s.kind().zh() } else { s.kind().en() };
    let note = || {
        if e.note.is_empty() {
            String::new()
        } else {
            format!(" — {}", e.note)
        }
    };
    Some(match e.action.as_ref()? {
        Move::FollowUp { months, outcome, wage } => {
            let mut what = (if zh { outcome.zh() } else { outcome.en() }).to_string();
            match outcome {
                FollowUpOutcome::Left(r) => what += &format!(" ({})", if zh { r.zh() } else { r.en() }),
                FollowUpOutcome::ChangedJob { employer, occupation } => {
                    let trade = occupation.map(|o| if zh { o.zh() } else { o.en() });
                    let parts: Vec<&str> = employer.as_deref().into_iter().chain(trade).collect();
                    if !parts.is_empty() {
                        what += &format!(" ({})", parts.join(" · "));
                    }
                }
                _ => {}
            }
            let mut text = fill(t.tl_follow_up, &[months, &what]);
            if let Some(w) = wage {
                text += &fill(t.tl_wage, &[w]);
            }
            text + &note()
        }
        Move::Note => fill(t.tl_note, &[&e.note]),
        Move::Correct { undoes, reason } => fill(t.tl_correct, &[undoes, &state(&e.to), reason]),
        Move::NotHireFor(r) => {
            let from = e.from.as_ref().map(state).unwrap_or_default();
            let r = if zh { r.zh() } else { r.en() };
            format!("{from} → {} ({r}){}", state(&e.to), note())
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::aftercare::{LeaveReason, NotHiredReason};
    use crate::domain::{CaseId, DemandId, OccupationId};

    fn ev(to: CaseState, mv: Move, note: &str) -> Event {
        Event {
            case: CaseId(1),
            seq: 7,
            at: 1_760_000_000,
            operator: "wang".into(),
            from: Some(CaseState::Employed(DemandId(2))),
            to,
            action: Some(mv),
            note: note.into(),
        }
    }

    #[test]
    fn follow_ups_notes_and_corrections_read_in_both_languages() {
        let employed = CaseState::Employed(DemandId(2));
        let changed = ev(
            employed.clone(),
            Move::FollowUp {
                months: 3,
                outcome: FollowUpOutcome::ChangedJob {
                    employer: Some("丹阳某眼镜厂".into()),
                    occupation: Some(OccupationId(3)),
                },
                wage: Some(5200),
            },
            "",
        );
        let zh = after_job(&changed, Lang::Zh).unwrap();
        assert!(zh.starts_with("3个月回访：换工作 (丹阳某眼镜厂 · "), "{zh}");
        assert!(zh.ends_with("，月薪5200元"), "{zh}");
        let en = after_job(&changed, Lang::En).unwrap();
        assert!(
            en.starts_with("3-month follow-up: changed job (丹阳某眼镜厂 · "),
            "{en}"
        );
        let left = ev(
            employed.clone(),
            Move::FollowUp {
                months: 6,
                outcome: FollowUpOutcome::Left(LeaveReason::Family),
                wage: None,
            },
            "照顾老人",
        );
        assert_eq!(
            after_job(&left, Lang::Zh).unwrap(),
            "6个月回访：已离职 (家庭原因) — 照顾老人"
        );
        assert_eq!(
            after_job(&ev(employed.clone(), Move::Note, "本人在岗"), Lang::Zh).unwrap(),
            "备注：本人在岗"
        );
        let fix = ev(
            CaseState::Referred(DemandId(2)),
            Move::Correct {
                undoes: 5,
                reason: "录错岗位".into(),
            },
            "",
        );
        assert_eq!(
            after_job(&fix, Lang::Zh).unwrap(),
            "更正第5条记录，退回「已推荐」：录错岗位"
        );
        assert_eq!(
            after_job(&fix, Lang::En).unwrap(),
            "corrected event 5, back to referred: 录错岗位"
        );
        let mut no = ev(
            CaseState::NotHired(DemandId(2)),
            Move::NotHireFor(NotHiredReason::TooFar),
            "",
        );
        no.from = Some(CaseState::Referred(DemandId(2)));
        assert_eq!(after_job(&no, Lang::Zh).unwrap(), "已推荐 → 未录用 (距离远)");
        assert_eq!(after_job(&ev(employed, Move::Hire, ""), Lang::Zh), None);
    }
}
