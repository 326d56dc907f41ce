//! An evaluation agency's results sheet against the cases: each good row
//! matched by ID number to the person's case awaiting evaluation, its step
//! (a pass or a fail) decided by the domain's rule, every row that matches
//! no such case or disagrees with the record refused with its reason; then
//! written in one transaction, every step or none.

use super::Service;
use super::access::{AccessKind, Action, Actor};
use crate::domain::*;
use crate::io::import::results::{ResultRow, ResultSheet};
use crate::io::import::{ImportError, Reject, Why};
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

    /// The sheet's path (for the words of a report).
    pub fn path(&self) -> &Path {
        &self.sheet.path
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
            // Each row's trainee by ID number: one map, not a scan of
            // every trainee per row (a sheet of 500 rows at 1M trainees).
            let by_number: std::collections::HashMap<&str, &Trainee> = if sheet.rows.is_empty() {
                Default::default()
            } else {
                r.data.trainees.values().map(|t| (t.id_number.as_str(), t)).collect()
            };
            for row in &sheet.rows {
                match step_of(&r.data, &by_number, row, class, &sheet.path) {
                    Ok(s) if self.serves(by, s.trainee) => steps.push(s),
                    Ok(_) => rejects.push(ResultSheet::refuse(
                        row,
                        "身份证号",
                        row.id_number.masked().as_str(),
                        Why::OutsideDistricts,
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
    by_number: &std::collections::HashMap<&str, &Trainee>,
    row: &ResultRow,
    class: Option<ClassId>,
    path: &Path,
) -> std::result::Result<ResultStep, Reject> {
    let refuse = |column: &str, value: &str, reason: Why| ResultSheet::refuse(row, column, value, reason);
    let id = row.id_number.as_str();
    let Some(t) = by_number.get(row.id_number.as_str()).copied() else {
        return Err(refuse("身份证号", id, Why::NoTrainee));
    };
    if let Some(name) = &row.name
        && name != t.name.as_str()
    {
        let other = Why::OtherName {
            trainee: t.id.to_string(),
            name: t.name.to_string(),
        };
        return Err(refuse("姓名", name, other));
    }
    let cases: Vec<&Case> = data
        .trainee_cases(t.id)
        .filter(|c| class.is_none_or(|k| c.class == k))
        .collect();
    let Some(case) = cases.iter().find(|c| c.state == CaseState::AwaitingEvaluation) else {
        let reason = Why::NotAwaiting(Box::new(crate::io::import::NotAwaiting {
            trainee: t.id.to_string(),
            name: t.name.to_string(),
            class: class.map(|k| k.to_string()),
            cases: cases.iter().map(|c| (c.id.to_string(), c.state.kind())).collect(),
        }));
        return Err(refuse("身份证号", id, reason));
    };
    let Some(k) = data.classes.get(&case.class) else {
        let missing = Why::Other(format!("the class {} of {} is missing", case.class, case.id));
        return Err(refuse("身份证号", id, missing));
    };
    let level = row.level.unwrap_or(k.target_level);
    let ev = row.evaluation.clone();
    let certificate = row.certificate.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let mv = match (crate::domain::rules::passes(&ev, level), certificate) {
        (true, Some(c)) => Move::Certify {
            level,
            certificate: c.to_string(),
            evaluation: ev,
        },
        (true, None) => {
            let why = Why::PassNeedsCertificate {
                theory: ev.theory,
                practical: ev.practical,
                level,
            };
            return Err(refuse("证书编号", "", why));
        }
        (false, Some(c)) => {
            let why = Why::FailWithCertificate {
                theory: ev.theory,
                practical: ev.practical,
                panel_missing: level.needs_panel() && !ev.panel,
                level,
            };
            return Err(refuse("证书编号", c, why));
        }
        (false, None) => Move::Fail { evaluation: ev },
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
