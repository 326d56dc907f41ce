//! Progress toward the targets: subsidized trainings and certified talents
//! counted inside the period and the current quarter up to the business
//! date, and enrollments and certifications week by week.

use super::period;
use super::settings::*;
use super::target::{Basis, QuarterFigures, Span, Target, Targets};
use crate::domain::*;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// Enrollments and certifications of one week (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    pub start: NaiveDate,
    pub enrollments: u64,
    pub certifications: u64,
}

/// People and trainings counted toward the targets in a stretch of days.
#[derive(Default)]
struct Output {
    subsidized: u64,
    /// Trainees certified (one entry per certificate; distinct ones counted at the end).
    skilled: Vec<TraineeId>,
    high_skill: Vec<TraineeId>,
}

/// The number of distinct trainees in a list.
fn distinct(mut v: Vec<TraineeId>) -> u64 {
    v.sort_unstable();
    v.dedup();
    v.len() as u64
}

fn within(d: NaiveDate, first: NaiveDate, last: NaiveDate) -> bool {
    first <= d && d <= last
}

/// The counts toward the targets, case by case.
pub(super) struct Progress {
    today: NaiveDate,
    quarter: Quarter,
    /// The period's and the quarter's first and last day.
    p: (NaiveDate, NaiveDate),
    q: (NaiveDate, NaiveDate),
    /// Events count up to the business date, inside the period.
    p_upto: NaiveDate,
    q_upto: NaiveDate,
    first_week: NaiveDate,
    weeks: Vec<Week>,
    whole: Output,
    this_quarter: Output,
}

/// What the progress comes to.
pub(super) struct Reached {
    pub basis: Basis,
    pub period: Span,
    pub targets: Targets,
    pub quarter: QuarterFigures,
    pub weeks: Vec<Week>,
}

impl Progress {
    pub(super) fn new(today: NaiveDate) -> Progress {
        let p = (period::start(), period::end());
        let quarter = Quarter::of(today);
        let q = period::quarter_bounds(quarter);
        let p_upto = today.min(p.1);
        let first_week = period::week_start(p.0);
        let mut weeks: Vec<Week> = Vec::new();
        if today >= p.0 {
            let mut w = first_week;
            while w <= p_upto {
                weeks.push(Week {
                    start: w,
                    enrollments: 0,
                    certifications: 0,
                });
                w += Duration::days(7);
            }
        }
        Progress {
            today,
            quarter,
            p,
            q,
            p_upto,
            q_upto: today.min(q.1),
            first_week,
            weeks,
            whole: Output::default(),
            this_quarter: Output::default(),
        }
    }

    fn week(&mut self, d: NaiveDate) -> Option<&mut Week> {
        let i = ((period::week_start(d) - self.first_week).num_days() / 7) as usize;
        self.weeks.get_mut(i)
    }

    /// Count one case; `subsidized`: its class is a subsidized training.
    pub(super) fn case(&mut self, case: &Case, subsidized: bool) {
        let (first, upto) = (self.p.0, self.p_upto);
        if within(case.opened, first, upto)
            && let Some(w) = self.week(case.opened)
        {
            w.enrollments += 1;
        }
        if let Some(cert) = &case.certification
            && within(cert.date, first, upto)
        {
            if let Some(w) = self.week(cert.date) {
                w.certifications += 1;
            }
            let high = cert.level.is_high_skill();
            self.whole.skilled.push(case.trainee);
            if high {
                self.whole.high_skill.push(case.trainee);
            }
            if within(cert.date, self.q.0, self.q_upto) {
                self.this_quarter.skilled.push(case.trainee);
                if high {
                    self.this_quarter.high_skill.push(case.trainee);
                }
            }
        }
        if subsidized && case.state.holds_seat() && within(case.opened, first, upto) {
            self.whole.subsidized += 1;
            if within(case.opened, self.q.0, self.q_upto) {
                self.this_quarter.subsidized += 1;
            }
        }
    }

    /// The targets, read against the settings.
    pub(super) fn finish(self, settings: Settings) -> Reached {
        let (p_first, p_last) = self.p;
        let (q_first, q_last) = self.q;
        let (subsidized, q_subsidized) = (self.whole.subsidized, self.this_quarter.subsidized);
        let (skilled, high_skill) = (distinct(self.whole.skilled), distinct(self.whole.high_skill));
        let (q_skilled, q_high_skill) = (
            distinct(self.this_quarter.skilled),
            distinct(self.this_quarter.high_skill),
        );
        let elapsed = period::elapsed(p_first, p_last, self.today);
        let q_elapsed = period::elapsed(q_first, q_last, self.today);
        let base_rate = settings.baseline_per_10k();
        let quarters = f64::from(period::QUARTERS);
        // The goals and the baseline are the city's (its pack in the database).
        let city = crate::domain::catalog::current();
        let (goal, baseline) = (city.targets, city.baseline);
        let targets = Targets {
            subsidized_trainings: Target::new(goal.subsidized as f64, 0.0, subsidized as f64, elapsed),
            skilled_talents: Target::new(goal.skilled as f64, 0.0, skilled as f64, elapsed),
            high_skill_talents: Target::new(goal.high_skill as f64, 0.0, high_skill as f64, elapsed),
            high_skill_per_10k: Target::new(
                goal.per_10k,
                base_rate,
                settings.per_10k(baseline.high_skill + high_skill),
                elapsed,
            ),
        };
        let quarter_targets = Targets {
            subsidized_trainings: Target::new(goal.subsidized as f64 / quarters, 0.0, q_subsidized as f64, q_elapsed),
            skilled_talents: Target::new(goal.skilled as f64 / quarters, 0.0, q_skilled as f64, q_elapsed),
            high_skill_talents: Target::new(goal.high_skill as f64 / quarters, 0.0, q_high_skill as f64, q_elapsed),
            high_skill_per_10k: Target::new(
                ((goal.per_10k - base_rate) / quarters).max(0.0),
                0.0,
                settings.per_10k(q_high_skill),
                q_elapsed,
            ),
        };
        Reached {
            basis: Basis {
                labor_force: settings.labor_force,
                baseline_skilled: baseline.skilled,
                baseline_high_skill: baseline.high_skill,
                baseline_per_10k: base_rate,
                published_per_10k: baseline.per_10k,
            },
            period: Span {
                start: p_first,
                end: p_last,
                elapsed,
            },
            targets,
            quarter: QuarterFigures {
                quarter: self.quarter.to_string(),
                span: Span {
                    start: q_first,
                    end: q_last,
                    elapsed: q_elapsed,
                },
                targets: quarter_targets,
            },
            weeks: self.weeks,
        }
    }
}
