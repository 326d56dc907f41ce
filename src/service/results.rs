//! An evaluation agency's results sheet against the cases: each good row
//! matched by ID number to the person's case awaiting evaluation, its step
//! (a pass or a fail) decided by the domain's rule, every row that matches
//! no such case or disagrees with the record refused with its reason; then
//! written in one transaction, every step or none.

use super::Service;
use super::access::{AccessKind, Action, Actor};
use crate::domain::*;
use crate::io::import::results::{ResultRow, ResultSheet};
use crate::io::import::{ImportError, Reject};
use crate::io::table::ReadOptions;
use crate::store::Result;
use std::path::Path;

/// One row's step: which case, and how it moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultStep {
    pub line: usize,
    pub case: CaseId,
    pub trainee: TraineeId,
    pub name: String,
    pub mv: Move,
    pub note: String,
}

/// A results sheet checked against the cases; nothing written yet.
#[derive(Debug, Clone)]
pub struct ResultsPlan {
    pub sheet: ResultSheet,
    pub steps: Vec<ResultStep>,
    /// The sheet's bad rows and the rows no case takes, in row order.
    pub rejects: Vec<Reject>,
}

impl ResultsPlan {
    /// How many rows pass and how many fail.
    pub fn passes_and_fails(&self) -> (usize, usize) {
        let passes = self
            .steps
            .iter()
            .filter(|s| matches!(s.mv, Move::Certify { .. }))
            .count();
        (passes, self.steps.len() - passes)
    }

    /// One line per problem: `FILE:ROW: column 'X' = 'value': reason`.
    pub fn reject_messages(&self) -> Vec<String> {
        self.rejects.iter().flat_map(|r| r.messages(&self.sheet.path)).collect()
    }
}

impl Service {
    /// Read a results sheet and match it to the cases (of `class` only,
    /// when given). Refused for a role that may not move cases.
    pub fn results_plan(
        &self,
        by: &Actor,
        path: &Path,
        class: Option<ClassId>,
        opts: &ReadOptions,
    ) -> std::result::Result<ResultsPlan, ImportError> {
        by.may(Action::CaseStep)
            .map_err(|d| ImportError::Store(Box::new(d.into())))?;
        let sheet = crate::io::import::results::read(path, opts, self.today())?;
        let mut steps = Vec::new();
        let mut rejects = sheet.rejects.clone();
        {
            let r = self.read();
            for row in &sheet.rows {
                match step_of(&r.data, row, class, &sheet.path) {
                    Ok(s) if self.serves(by, s.trainee) => steps.push(s),
                    Ok(_) => rejects.push(ResultSheet::refuse(
                        row,
                        "身份证号",
                        row.id_number.masked().as_str(),
                        "this person is outside your districts".into(),
                    )),
                    Err(reject) => rejects.push(reject),
                }
            }
        }
        rejects.sort_by_key(|r| r.line);
        Ok(ResultsPlan { sheet, steps, rejects })
    }

    /// Write a plan's steps in one transaction (every one or none), and
    /// record the import of those people's results.
    pub fn results_apply(&self, by: &Actor, plan: &ResultsPlan) -> Result<Vec<Case>> {
        let steps: Vec<(CaseId, Move, String)> = plan
            .steps
            .iter()
            .map(|s| (s.case, s.mv.clone(), s.note.clone()))
            .collect();
        let moved = self.transition_each(&steps, by)?;
        self.record_access(
            by,
            AccessKind::Import,
            moved.len() as u64,
            &format!("evaluation results from {}", plan.sheet.path.display()),
        )?;
        Ok(moved)
    }
}

/// The step a good row gives, or why no case takes it.
fn step_of(
    data: &super::Data,
    row: &ResultRow,
    class: Option<ClassId>,
    path: &Path,
) -> std::result::Result<ResultStep, Reject> {
    let refuse = |column: &str, value: &str, reason: String| ResultSheet::refuse(row, column, value, reason);
    let id = row.id_number.as_str();
    let Some(t) = data.trainees.values().find(|t| t.id_number == row.id_number) else {
        return Err(refuse("身份证号", id, "no trainee has this ID number".into()));
    };
    if let Some(name) = &row.name
        && name != t.name.as_str()
    {
        return Err(refuse(
            "姓名",
            name,
            format!(
                "{} with this ID number is named '{}': check the row is this person's",
                t.id, t.name
            ),
        ));
    }
    let cases: Vec<&Case> = data
        .trainee_cases(t.id)
        .filter(|c| class.is_none_or(|k| c.class == k))
        .collect();
    let Some(case) = cases.iter().find(|c| c.state == CaseState::AwaitingEvaluation) else {
        let states: Vec<String> = cases
            .iter()
            .map(|c| format!("{} is {}", c.id, c.state.kind().zh()))
            .collect();
        let within = class.map(|k| format!(" in class {k}")).unwrap_or_default();
        let reason = if states.is_empty() {
            format!("{} {} has no case{within}", t.id, t.name)
        } else {
            format!(
                "{} {} has no case awaiting evaluation{within} ({})",
                t.id,
                t.name,
                states.join(", ")
            )
        };
        return Err(refuse("身份证号", id, reason));
    };
    let Some(k) = data.classes.get(&case.class) else {
        return Err(refuse(
            "身份证号",
            id,
            format!("the class {} of {} is missing", case.class, case.id),
        ));
    };
    let level = row.level.unwrap_or(k.target_level);
    let ev = row.evaluation.clone();
    let mv = if crate::domain::rules::passes(&ev, level) {
        match row.certificate.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Move::Certify {
                level,
                certificate: c.to_string(),
                evaluation: ev,
            },
            None => {
                return Err(refuse(
                    "证书编号",
                    "",
                    format!(
                        "scores {}/{} pass at {}: a pass needs the certificate's number",
                        ev.theory,
                        ev.practical,
                        level.zh()
                    ),
                ));
            }
        }
    } else {
        if let Some(c) = row.certificate.as_deref().filter(|c| !c.trim().is_empty()) {
            return Err(refuse(
                "证书编号",
                c,
                format!(
                    "scores {}/{}{} do not pass at {}, yet a certificate is given: check the row",
                    ev.theory,
                    ev.practical,
                    if level.needs_panel() && !ev.panel {
                        " without a passed panel review"
                    } else {
                        ""
                    },
                    level.zh()
                ),
            ));
        }
        Move::Fail { evaluation: ev }
    };
    let mut note = format!("results sheet {}:{}", path.display(), row.line);
    if let Some(d) = row.date {
        note.push_str(&format!("; 评价日期 {d}"));
    }
    Ok(ResultStep {
        line: row.line,
        case: case.id,
        trainee: t.id,
        name: t.name.to_string(),
        mv,
        note,
    })
}
