//! The city's figures for the dashboard and `skillbridge report`: progress
//! toward the 2025–2027 targets, supply against demand per trade, and the
//! same pipeline per district, special program, regional alliance and
//! institution, with weekly enrollments and certifications.
//!
//! Pure: computed from the service's in-memory [`Data`], a business date and
//! the [`Settings`], with no terminal and no storage. Callers compute once
//! per `Service::version()` and draw from the result; nothing here is
//! recounted per frame.
//!
//! # What each figure counts
//! - **Subsidized trainings** (goal 80,000 人次 in 2025–2027): cases in
//!   government-subsidized classes (政府补贴类培训) and project-based classes
//!   (项目化培训, also subsidized), enrolled inside the period, that still
//!   hold their seat — a withdrawn enrollment is not a training.
//!   Skill-level certification classes (技能等级认定) are evaluations, not
//!   subsidized trainings.
//! - **Skilled talents** (goal 60,000): distinct trainees with a
//!   certification at any level dated inside the period.
//! - **High-skill talents** (goal 15,000): distinct trainees with a
//!   certification at 三级/高级工 or above dated inside the period.
//! - **High-skill talents per 10,000 workers** (goal 1,200):
//!   `(226,300 + high-skill talents of the program) × 10,000 ÷ labor force`.
//!   The Jan 2024 baseline (226,300 high-skill of a labor force the setting
//!   gives, 2,000,000 by default: 1,131.5, published as 1,132) plus what the
//!   program certifies; exits and training outside the program are not
//!   known here, so this is the program's contribution, not a census.
//! - Every target's **share** is `(actual − baseline) ÷ (goal − baseline)`:
//!   the part of the way from where the period started to the goal (the
//!   baseline is 0 for the three counts). The **pace** compares the actual
//!   with a straight line from the baseline on 2025-01-01 to the goal on
//!   2027-12-31, read at the end of the business date.
//! - **This quarter**: the same counts for events dated in the current
//!   quarter, against a twelfth of each goal (the per-10,000 goal is a
//!   twelfth of the rise from the baseline to 1,200).
//! - Pipeline per trade, district, program, alliance: **posts open** =
//!   headcount not yet referred or hired, of open skilled demands
//!   (technical-management posts are counted apart: no training trade
//!   serves them, so they stay out of the gap); **seats open** =
//!   seats left in classes that still take enrollments; **in training** =
//!   cases enrolled, in training or awaiting evaluation; **certified** =
//!   cases holding a certification, whatever happened next; **waiting** =
//!   cases certified or not hired, that is waiting for a referral;
//!   **employed** = cases hired. The **gap** is `posts open − in training −
//!   waiting`: posts nobody in the pipeline is heading for. A positive gap is
//!   a shortage; a gap larger than the open seats is critical (filling every
//!   open seat would still leave posts empty).
//! - Attribution: a demand belongs to the district it is posted in, to the
//!   alliance of its enterprise, and to the program of a project-based class
//!   it is linked to. A class belongs to its district and program; to an
//!   alliance through its linked demands' enterprises (project-based
//!   classes, the alliance most of them belong to) or else through its
//!   trade ([`trade_alliance`]). A case belongs where its class does.
//! - Institutions: **completion** = cases that finished training (reached
//!   evaluation, whatever came next) ÷ those plus cases withdrawn without a
//!   certificate; **pass rate** = certified cases ÷ certified plus failed
//!   (a retake that passes counts once, as a pass); **placement** =
//!   employed ÷ certified cases.
//! - Weekly counts: enrollments (every case, by its enrollment date) and
//!   certifications (by the certificate's date), Monday to Sunday, inside
//!   the period up to the business date. These dates are the business dates
//!   of the case's Enrolled and Certified events.
//! - Retention at 3 and 6 months (`retention_3m`, `retention_6m` of every
//!   trade, district, program, alliance and institution): see
//!   [`retention`]. A case's follow-ups count where its class does.
//! - Not-hired reasons per enterprise and per demand: see [`not_hired`].

mod attribution;
mod breakdown;
pub mod cells;
pub mod format;
pub mod not_hired;
pub mod period;
mod pipeline;
mod progress;
pub mod retention;
mod settings;
pub mod subsidy;
mod target;
pub mod totals;
pub mod wishes;

pub use attribution::{class_alliance, trade_alliance};
pub use pipeline::{InstitutionRow, Mark, Pipeline, Rate, Row};
pub use progress::Week;
pub use settings::*;
pub use target::{Basis, Pace, QuarterFigures, Span, Target, TargetKind, Targets};
pub use totals::{Posts, Split, Totals};

use crate::service::Data;
use breakdown::Breakdown;
use chrono::NaiveDate;
use progress::Progress;
use serde::Serialize;
use totals::Tally;

/// Everything the dashboard and the report show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// The business date the figures are read on.
    pub as_of: NaiveDate,
    pub basis: Basis,
    pub period: Span,
    pub targets: Targets,
    pub quarter: QuarterFigures,
    /// Skilled trades, worst gap first.
    pub trades: Vec<Row>,
    /// The 8 districts in catalogue order.
    pub districts: Vec<Row>,
    pub programs: Vec<Row>,
    pub alliances: Vec<Row>,
    /// Most stars first.
    pub institutions: Vec<InstitutionRow>,
    pub weeks: Vec<Week>,
    pub totals: Totals,
    /// Not-hired reasons per enterprise and per demand (#18).
    pub not_hired: not_hired::NotHired,
    /// People's training wishes against open seats, per trade × district,
    /// the largest unmet first (#25).
    pub training_wishes: Vec<wishes::WishRow>,
    /// Training subsidies: claims, the ledger, the counted trainings (#21).
    pub subsidy: subsidy::SubsidyFigures,
}

/// Compute every figure from the data, on a business date.
pub fn compute(data: &Data, settings: Settings, today: NaiveDate) -> Figures {
    let mut breakdown = Breakdown::new(data);
    let mut progress = Progress::new(today);
    let mut totals = Tally::of_data(data);
    for case in data.cases.values() {
        totals.case(case);
        let class = breakdown.class(case.class);
        progress.case(case, class.is_some_and(|c| c.subsidized));
        if let Some(ci) = class {
            breakdown.case(case, &ci);
            if let Some(care) = data.aftercare.get(&case.id) {
                breakdown.aftercare(care, &ci, today);
            }
        }
    }
    let p = progress.finish(settings);
    let b = breakdown.finish();
    Figures {
        as_of: today,
        basis: p.basis,
        period: p.period,
        targets: p.targets,
        quarter: p.quarter,
        trades: b.trades,
        districts: b.districts,
        programs: b.programs,
        alliances: b.alliances,
        institutions: b.institutions,
        weeks: p.weeks,
        totals: totals.finish(),
        not_hired: not_hired::count(data),
        training_wishes: wishes::training_wishes(data),
        subsidy: subsidy::compute(data),
    }
}
