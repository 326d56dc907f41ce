//! Training-subsidy figures (#21): claims per state and per program, the
//! ledger per institution, program and quarter, and subsidized trainings
//! toward the 80,000 goal counted two ways.
//!
//! # The counting rules
//! - **Approved** (`approved`): the eligible lines of claims that passed
//!   复核 or were paid (复核通过, 已拨付), of classes that ended inside the
//!   2025–2027 period. This is the figure that counts toward the goal.
//! - **Pending** (`pending`): cases certified in government-subsidized
//!   classes that ended inside the period, whose class has no approved
//!   claim yet (no claim, a draft, filed or passed 初审). They may still be
//!   found ineligible: `with_pending` = approved + pending is an upper
//!   bound, shown beside the approved figure, never instead of it.

use super::period;
use crate::domain::subsidy::{ClaimState, LedgerRow, Sum, ledger, ledger_total};
use crate::domain::{ClassKind, ProgramId};
use crate::service::Data;
use serde::Serialize;
use std::collections::BTreeSet;

/// The goal: 80,000 subsidized trainings in 2025–2027.
pub const GOAL: u64 = 80_000;

/// Claims in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateTotal {
    pub state: &'static str,
    pub name_zh: &'static str,
    pub claims: u64,
    /// Eligible people on them.
    pub people: u64,
    /// Yuan.
    pub amount: u64,
}

/// One program's money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgramTotal {
    pub id: u8,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub claims: u64,
    pub claimed: Sum,
    pub approved: Sum,
    pub paid: Sum,
    pub returned: Sum,
}

/// Everything the dashboard and the report show of subsidies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SubsidyFigures {
    pub goal: u64,
    /// Subsidized trainings of approved claims (the counted figure).
    pub approved: u64,
    /// Certified in subsidized classes whose claims are not approved yet.
    pub pending: u64,
    /// approved + pending.
    pub with_pending: u64,
    /// Some claim was assessed under the shipped sample table (示例标准).
    pub sample_standard: bool,
    pub by_state: Vec<StateTotal>,
    pub by_program: Vec<ProgramTotal>,
    pub ledger: Vec<LedgerRow>,
    pub totals: LedgerRow,
}

/// Compute the subsidy figures from the data.
pub fn compute(data: &Data) -> SubsidyFigures {
    let (first, last) = (period::start(), period::end());
    let inside = |d: chrono::NaiveDate| d >= first && d <= last;
    let claims: Vec<_> = data.claims.values().collect();
    let approved: u64 = claims
        .iter()
        .filter(|c| c.state.approved() && inside(c.class_end))
        .map(|c| c.eligible() as u64)
        .sum();
    let approved_classes: BTreeSet<_> = claims.iter().filter(|c| c.state.approved()).map(|c| c.class).collect();
    let pending = data
        .classes
        .values()
        .filter(|c| c.kind == ClassKind::Subsidized && inside(c.end) && !approved_classes.contains(&c.id))
        .map(|c| data.class_cases(c.id).filter(|k| k.certification.is_some()).count() as u64)
        .sum();
    let by_state = ClaimState::ALL
        .iter()
        .map(|s| {
            let of: Vec<_> = claims.iter().filter(|c| c.state == *s).collect();
            StateTotal {
                state: s.name(),
                name_zh: s.zh(),
                claims: of.len() as u64,
                people: of.iter().map(|c| c.eligible() as u64).sum(),
                amount: of.iter().map(|c| c.total()).sum(),
            }
        })
        .collect();
    let rows = ledger(claims.iter().copied());
    let by_program = crate::domain::PROGRAMS
        .iter()
        .map(|p| {
            let mine: Vec<LedgerRow> = rows.iter().filter(|r| r.program == p.id).cloned().collect();
            let t = ledger_total(&mine);
            ProgramTotal {
                id: p.id.0,
                name_zh: p.zh,
                name_en: p.en,
                claims: t.claims,
                claimed: t.claimed,
                approved: t.approved,
                paid: t.paid,
                returned: t.returned,
            }
        })
        .collect();
    let totals = ledger_total(&rows);
    SubsidyFigures {
        goal: GOAL,
        approved,
        pending,
        with_pending: approved + pending,
        sample_standard: claims.iter().any(|c| c.sample),
        by_state,
        by_program,
        ledger: rows,
        totals,
    }
}

/// A program's name in a language.
pub fn program_name(id: ProgramId, en: bool) -> &'static str {
    if en { id.en() } else { id.zh() }
}
