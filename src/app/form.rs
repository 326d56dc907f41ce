//! Small dialogs of text fields (evaluation results, a withdrawal reason):
//! one input per field, each showing its own error in place.

use super::state::Op;
use crate::domain::aftercare::{FollowUpOutcome, LeaveReason, NotHiredReason};
use crate::domain::*;
use crate::i18n::{Lang, Strings, fill};
use crate::say::Say;
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Level,
    Certificate,
    Theory,
    Practical,
    Panel,
    Reason,
    SecondReason,
    Note,
    CorrectReason,
    NotHiredCode,
    Outcome,
    LeaveCode,
    Wage,
    /// The subsidy standard table's form (#21).
    StdTarget,
    StdAmount,
    StdKeyGroup,
    StdPercent,
}

impl FieldId {
    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            FieldId::Level => t.f_level,
            FieldId::Certificate => t.f_certificate,
            FieldId::Theory => t.f_theory,
            FieldId::Practical => t.f_practical,
            FieldId::Panel => t.f_panel,
            FieldId::Reason => t.f_reason,
            FieldId::SecondReason => t.f_second_reason,
            FieldId::Note => t.f_note,
            FieldId::CorrectReason => t.f_correct_reason,
            FieldId::NotHiredCode => t.f_not_hired_code,
            FieldId::Outcome => t.f_outcome,
            FieldId::LeaveCode => t.f_leave_code,
            FieldId::Wage => t.f_wage,
            FieldId::StdTarget => crate::i18n::subsidy::sub(t.lang).f_target,
            FieldId::StdAmount => crate::i18n::subsidy::sub(t.lang).f_amount,
            FieldId::StdKeyGroup => crate::i18n::subsidy::sub(t.lang).f_key_group,
            FieldId::StdPercent => crate::i18n::subsidy::sub(t.lang).f_percent,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub input: Input,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    Pass(CaseId),
    Fail(CaseId),
    Withdraw(CaseId),
    /// After the job (#18): a note, a correction of the last step, a
    /// not-hired reason, a follow-up.
    Note(CaseId),
    Correct(CaseId),
    NotHire(CaseId),
    FollowUp(CaseId),
    /// Why a trainee still in a class takes a second one.
    SecondClass {
        trainee: TraineeId,
        class: ClassId,
    },
    /// The subsidy standard table (#21): a new row, a row's amount (the
    /// row is the one the table's view holds as `editing`), an uplift.
    StandardAdd,
    StandardAmount,
    StandardUplift,
}

impl FormPurpose {
    /// The case a case step's form is for.
    pub fn case(self) -> Option<CaseId> {
        match self {
            FormPurpose::Pass(c)
            | FormPurpose::Fail(c)
            | FormPurpose::Withdraw(c)
            | FormPurpose::Note(c)
            | FormPurpose::Correct(c)
            | FormPurpose::NotHire(c)
            | FormPurpose::FollowUp(c) => Some(c),
            FormPurpose::SecondClass { .. } => None,
            FormPurpose::StandardAdd | FormPurpose::StandardAmount | FormPurpose::StandardUplift => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub purpose: FormPurpose,
    pub subject: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was typed.
    pub dirty: bool,
    /// Who and what the form is about, for the question after it.
    pub names: (String, String),
    /// The class's level.
    pub target: Option<SkillLevel>,
}

fn field(id: FieldId, value: &str) -> Field {
    Field {
        id,
        input: Input::new(value.to_string()),
        error: None,
    }
}

impl Form {
    /// A form for a step; `target` is the class's level (a pass proposes
    /// it; a fail checks whether its panel review decides).
    pub fn new(purpose: FormPurpose, subject: String, target: Option<SkillLevel>) -> Form {
        let fields = match purpose {
            FormPurpose::Pass(_) => vec![
                field(
                    FieldId::Level,
                    &target.map(|l| l.number().to_string()).unwrap_or_default(),
                ),
                field(FieldId::Certificate, ""),
                field(FieldId::Theory, ""),
                field(FieldId::Practical, ""),
                field(FieldId::Panel, "n"),
            ],
            FormPurpose::Fail(_) => vec![
                field(FieldId::Theory, ""),
                field(FieldId::Practical, ""),
                field(FieldId::Panel, "n"),
            ],
            FormPurpose::Withdraw(_) => vec![field(FieldId::Reason, "")],
            FormPurpose::SecondClass { .. } => vec![field(FieldId::SecondReason, "")],
            FormPurpose::Note(_) => vec![field(FieldId::Note, "")],
            FormPurpose::Correct(_) => vec![field(FieldId::CorrectReason, "")],
            FormPurpose::NotHire(_) => vec![field(FieldId::NotHiredCode, ""), field(FieldId::Note, "")],
            FormPurpose::FollowUp(_) => vec![
                field(FieldId::Outcome, ""),
                field(FieldId::LeaveCode, ""),
                field(FieldId::Wage, ""),
                field(FieldId::Note, ""),
            ],
            FormPurpose::StandardAdd => vec![
                field(FieldId::StdTarget, ""),
                field(FieldId::Level, ""),
                field(FieldId::StdAmount, ""),
            ],
            FormPurpose::StandardAmount => vec![field(FieldId::StdAmount, "")],
            FormPurpose::StandardUplift => vec![field(FieldId::StdKeyGroup, ""), field(FieldId::StdPercent, "")],
        };
        Form {
            purpose,
            subject,
            fields,
            focus: 0,
            dirty: false,
            names: (String::new(), String::new()),
            target,
        }
    }

    pub fn title(&self, t: &Strings) -> String {
        let tpl = match self.purpose {
            FormPurpose::Pass(_) => t.form_pass,
            FormPurpose::Fail(_) => t.form_fail,
            FormPurpose::Withdraw(_) => t.form_withdraw,
            FormPurpose::SecondClass { .. } => "{}",
            FormPurpose::Note(_) => t.form_note,
            FormPurpose::Correct(_) => t.form_correct,
            FormPurpose::NotHire(_) => t.form_not_hire,
            FormPurpose::FollowUp(_) => t.form_follow_up,
            FormPurpose::StandardAdd => crate::i18n::subsidy::sub(t.lang).form_std_add,
            FormPurpose::StandardAmount => crate::i18n::subsidy::sub(t.lang).form_std_amount,
            FormPurpose::StandardUplift => crate::i18n::subsidy::sub(t.lang).form_uplift,
        };
        crate::i18n::fill(tpl, &[&self.subject])
    }

    /// The field the cursor is on.
    pub fn focused_id(&self) -> Option<FieldId> {
        self.fields.get(self.focus).map(|f| f.id)
    }

    /// Set the level field (from the level picker).
    pub fn set_level(&mut self, level: SkillLevel) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == FieldId::Level) {
            f.input = Input::new(level.number().to_string());
            f.error = None;
            self.dirty = true;
        }
    }

    pub fn focused(&mut self) -> &mut Input {
        let i = self.focus.min(self.fields.len().saturating_sub(1));
        &mut self.fields[i].input
    }

    fn value(&self, id: FieldId) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.input.value().trim())
            .unwrap_or("")
    }

    fn set_error(&mut self, id: FieldId, e: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.error = Some(e);
        }
    }

    /// Check every field; on success the move to make. On failure each bad
    /// field carries its error and the focus moves to the first of them;
    /// nothing typed is changed.
    pub fn submit(&mut self, t: &Strings) -> Option<Move> {
        for f in &mut self.fields {
            f.error = None;
        }
        let score = |s: &str| s.parse::<u8>().ok().filter(|v| *v <= 100);
        let mut ok = true;
        let mut check = |form: &mut Form, id: FieldId, good: bool, msg: &str| {
            if !good {
                form.set_error(id, msg.to_string());
                ok = false;
            }
        };
        let theory = score(self.value(FieldId::Theory));
        let practical = score(self.value(FieldId::Practical));
        let panel = match self.value(FieldId::Panel).to_ascii_lowercase().as_str() {
            "y" | "yes" | "是" => Some(true),
            "n" | "no" | "否" | "" => Some(false),
            _ => None,
        };
        let mv = match self.purpose {
            FormPurpose::Pass(_) => {
                let level = self
                    .value(FieldId::Level)
                    .parse::<u8>()
                    .ok()
                    .and_then(SkillLevel::from_number);
                let cert = self.value(FieldId::Certificate).to_string();
                check(self, FieldId::Level, level.is_some(), t.e_level);
                check(self, FieldId::Certificate, !cert.is_empty(), t.e_required);
                check(self, FieldId::Theory, theory.is_some(), t.e_score);
                check(self, FieldId::Practical, practical.is_some(), t.e_score);
                check(self, FieldId::Panel, panel.is_some(), t.e_panel);
                match (level, theory, practical, panel) {
                    (Some(level), Some(theory), Some(practical), Some(panel)) if ok => Some(Move::Certify {
                        level,
                        certificate: cert,
                        evaluation: Evaluation {
                            theory,
                            practical,
                            panel,
                        },
                    }),
                    _ => None,
                }
            }
            FormPurpose::Fail(_) => {
                // Both scores passing is a pass, unless the level's panel review decides.
                let panel_decides = self.target.is_some_and(|l| l.needs_panel()) && panel == Some(false);
                let passing =
                    theory.is_some_and(|v| v >= case_pass_mark()) && practical.is_some_and(|v| v >= case_pass_mark());
                check(self, FieldId::Theory, !passing || panel_decides, t.e_fail_passing);
                check(self, FieldId::Theory, theory.is_some(), t.e_score);
                check(self, FieldId::Practical, practical.is_some(), t.e_score);
                check(self, FieldId::Panel, panel.is_some(), t.e_panel);
                match (theory, practical, panel) {
                    (Some(theory), Some(practical), Some(panel)) if ok => Some(Move::Fail {
                        evaluation: Evaluation {
                            theory,
                            practical,
                            panel,
                        },
                    }),
                    _ => None,
                }
            }
            FormPurpose::Withdraw(_) => {
                let reason = self.value(FieldId::Reason).to_string();
                check(self, FieldId::Reason, !reason.is_empty(), t.e_required);
                ok.then_some(Move::Withdraw { reason })
            }
            // Not a case step: see `reason`; after the job: see `aftercare`.
            FormPurpose::SecondClass { .. }
            | FormPurpose::Note(_)
            | FormPurpose::Correct(_)
            | FormPurpose::NotHire(_)
            | FormPurpose::FollowUp(_) => None,
            // The standard table's forms: see `app::standards`.
            FormPurpose::StandardAdd | FormPurpose::StandardAmount | FormPurpose::StandardUplift => None,
        };
        // The state machine's own rules (pass mark, panel) land on a field too.
        if let Some(m) = &mv
            && let Err(e) = next_state(&CaseState::AwaitingEvaluation, m)
            && !matches!(m, Move::Withdraw { .. })
        {
            let id = match e {
                TransitionError::PanelRequired(_) | TransitionError::FailAboveMark { .. } => FieldId::Panel,
                TransitionError::CertificateMissing => FieldId::Certificate,
                TransitionError::PassBelowMark { theory, .. } if theory < case_pass_mark() => FieldId::Theory,
                _ => FieldId::Practical,
            };
            self.set_error(id, e.say(t.lang));
            self.focus_first_error();
            return None;
        }
        if mv.is_none() {
            self.focus_first_error();
        }
        mv
    }

    /// The reason typed for a second class, or its field's error.
    pub fn reason(&mut self, t: &Strings) -> Option<String> {
        let reason = self.value(FieldId::SecondReason).to_string();
        for f in &mut self.fields {
            f.error = None;
        }
        if reason.is_empty() {
            self.set_error(FieldId::SecondReason, t.e_required.to_string());
            self.focus_first_error();
            return None;
        }
        Some(reason)
    }

    /// An after-the-job form checked: what to write, and the words of its
    /// confirmation (`None` for a note, written at once). On failure each
    /// bad field shows why.
    pub fn aftercare(&mut self, t: &Strings, lang: Lang) -> Option<(Op, Option<String>)> {
        for f in &mut self.fields {
            f.error = None;
        }
        let case = self.purpose.case()?;
        let note = self.value(FieldId::Note).to_string();
        // A code field holds a name chosen from its picker, or its number.
        let code = |s: &str, n: usize| {
            let id = [FieldId::NotHiredCode, FieldId::Outcome, FieldId::LeaveCode]
                .into_iter()
                .find(|id| code_names(*id).len() == n);
            let by_name = id.and_then(|id| {
                code_names(id)
                    .iter()
                    .position(|(zh, en)| *zh == s || en.eq_ignore_ascii_case(s))
            });
            by_name.or_else(|| s.parse::<usize>().ok().filter(|i| (1..=n).contains(i)).map(|i| i - 1))
        };
        let out = match self.purpose {
            FormPurpose::Note(_) if note.is_empty() => {
                self.set_error(FieldId::Note, t.e_required.to_string());
                None
            }
            FormPurpose::Note(_) => Some((Op::Note { case, text: note }, None)),
            FormPurpose::Correct(_) => {
                let reason = self.value(FieldId::CorrectReason).to_string();
                if reason.is_empty() {
                    self.set_error(FieldId::CorrectReason, t.e_required.to_string());
                    None
                } else {
                    let text = fill(t.ask_correct, &[&self.subject, &reason]);
                    Some((Op::Correct { case, reason }, Some(text)))
                }
            }
            FormPurpose::NotHire(_) => match code(self.value(FieldId::NotHiredCode), NotHiredReason::ALL.len()) {
                Some(i) => {
                    let reason = NotHiredReason::ALL[i];
                    let name = if lang == Lang::Zh { reason.zh() } else { reason.en() };
                    let text = fill(t.ask_not_hire, &[&self.subject, &name]);
                    Some((Op::NotHired { case, reason, note }, Some(text)))
                }
                None => {
                    self.set_error(FieldId::NotHiredCode, t.e_code.to_string());
                    None
                }
            },
            FormPurpose::FollowUp(_) => {
                let wage_text = self.value(FieldId::Wage).to_string();
                let wage = wage_text.parse::<u32>().ok();
                if wage.is_none() && !wage_text.is_empty() {
                    self.set_error(FieldId::Wage, t.e_code.to_string());
                }
                let leave = code(self.value(FieldId::LeaveCode), LeaveReason::ALL.len()).map(|i| LeaveReason::ALL[i]);
                let outcome = match code(self.value(FieldId::Outcome), 4) {
                    Some(0) => Some(FollowUpOutcome::Retained),
                    Some(1) => Some(FollowUpOutcome::ChangedJob {
                        employer: None,
                        occupation: None,
                    }),
                    Some(2) => {
                        if leave.is_none() {
                            self.set_error(FieldId::LeaveCode, t.e_code.to_string());
                        }
                        leave.map(FollowUpOutcome::Left)
                    }
                    Some(_) => Some(FollowUpOutcome::NotReached),
                    None => {
                        self.set_error(FieldId::Outcome, t.e_code.to_string());
                        None
                    }
                };
                match outcome {
                    Some(outcome) if self.fields.iter().all(|f| f.error.is_none()) => {
                        let mut said = if lang == Lang::Zh { outcome.zh() } else { outcome.en() }.to_string();
                        if let FollowUpOutcome::Left(r) = &outcome {
                            said = format!("{said}（{}）", if lang == Lang::Zh { r.zh() } else { r.en() });
                        }
                        if let Some(w) = wage {
                            said = format!("{said}，{w}");
                        }
                        let text = fill(t.ask_follow_up, &[&self.subject, &said]);
                        Some((
                            Op::FollowUp {
                                case,
                                outcome,
                                wage,
                                note,
                            },
                            Some(text),
                        ))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if out.is_none() {
            self.focus_first_error();
        }
        out
    }

    fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
        }
    }
}

fn case_pass_mark() -> u8 {
    crate::domain::case::PASS_MARK
}

/// The named choices of a code field of an after-the-job form (#18), in
/// code order (zh, en): the not-hired reasons, the follow-up outcomes, the
/// reasons for leaving. Empty for any other field.
pub fn code_names(id: FieldId) -> Vec<(&'static str, &'static str)> {
    match id {
        FieldId::NotHiredCode => NotHiredReason::ALL.iter().map(|r| (r.zh(), r.en())).collect(),
        FieldId::Outcome => [
            FollowUpOutcome::Retained,
            FollowUpOutcome::ChangedJob {
                employer: None,
                occupation: None,
            },
            FollowUpOutcome::Left(LeaveReason::Other),
            FollowUpOutcome::NotReached,
        ]
        .iter()
        .map(|o| (o.zh(), o.en()))
        .collect(),
        FieldId::LeaveCode => LeaveReason::ALL.iter().map(|r| (r.zh(), r.en())).collect(),
        _ => Vec::new(),
    }
}

impl Form {
    /// Put a code field's choice, by name in `lang`, into the field.
    pub fn set_code(&mut self, id: FieldId, i: usize, lang: Lang) {
        let names = code_names(id);
        if let (Some((zh, en)), Some(f)) = (names.get(i), self.fields.iter_mut().find(|f| f.id == id)) {
            f.input = Input::new(if lang == Lang::Zh { zh } else { en }.to_string());
            f.error = None;
            self.dirty = true;
        }
    }

    /// Focus a field of the form.
    pub fn focus_on(&mut self, id: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id) {
            self.focus = i;
        }
    }
}

impl Form {
    /// Put a value in a field (a form opened filled).
    pub fn fill(&mut self, id: FieldId, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.input = Input::new(value.to_string());
        }
    }

    /// A field's value, trimmed.
    pub fn text(&self, id: FieldId) -> &str {
        self.value(id)
    }

    /// Show an error on a field (and focus the first field in error).
    pub fn refuse(&mut self, id: FieldId, error: String) {
        self.set_error(id, error);
        self.focus_first_error();
    }

    /// Clear every field's error.
    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    fn typed(form: &mut Form, values: &[&str]) {
        for (f, v) in form.fields.iter_mut().zip(values) {
            f.input = Input::new(v.to_string());
        }
    }

    #[test]
    fn a_refused_pass_keeps_every_field_and_points_at_the_first_bad_one() {
        let mut f = Form::new(FormPurpose::Pass(CaseId(1)), "x".into(), Some(SkillLevel::L4));
        typed(&mut f, &["4", "", "abc", "70", "n"]);
        assert!(f.submit(&EN).is_none());
        assert_eq!(f.focus, 1);
        assert_eq!(f.fields[1].error.as_deref(), Some(EN.e_required));
        assert_eq!(f.fields[2].error.as_deref(), Some(EN.e_score));
        let values: Vec<&str> = f.fields.iter().map(|x| x.input.value()).collect();
        assert_eq!(values, vec!["4", "", "abc", "70", "n"]);
    }

    #[test]
    fn rules_of_the_machine_land_on_a_field() {
        let mut f = Form::new(FormPurpose::Pass(CaseId(1)), "x".into(), None);
        typed(&mut f, &["2", "C-9", "80", "90", "n"]);
        assert!(f.submit(&EN).is_none());
        assert_eq!(f.fields[f.focus].id, FieldId::Panel);
        typed(&mut f, &["4", "C-9", "50", "90", "n"]);
        assert!(f.submit(&EN).is_none());
        assert_eq!(f.fields[f.focus].id, FieldId::Theory);
        typed(&mut f, &["4", "C-9", "80", "90", "n"]);
        assert!(matches!(
            f.submit(&EN),
            Some(Move::Certify {
                level: SkillLevel::L4,
                ..
            })
        ));
    }

    #[test]
    fn withdraw_needs_a_reason() {
        let mut f = Form::new(FormPurpose::Withdraw(CaseId(1)), "x".into(), None);
        assert!(f.submit(&EN).is_none());
        typed(&mut f, &["moved away"]);
        assert!(matches!(f.submit(&EN), Some(Move::Withdraw { .. })));
    }
}
