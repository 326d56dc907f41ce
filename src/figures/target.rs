//! A target of the 2025–2027 action: its goal, baseline and actual, the
//! share of the way done and the pace against a straight line to the goal.

use chrono::NaiveDate;
use serde::Serialize;

/// Where a target stands against a straight line to its goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// The period (or quarter) has not begun.
    NotStarted,
    OnTrack,
    Behind,
    /// The goal is met.
    Reached,
}

/// One target: goal, baseline, actual, share of the way, and pace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub goal: f64,
    pub baseline: f64,
    pub actual: f64,
    /// `(actual − baseline) ÷ (goal − baseline)`, never below 0 (above 1 once exceeded).
    pub share: f64,
    /// Where the straight line from the baseline to the goal stands today.
    pub expected: f64,
    pub pace: Pace,
}

impl Target {
    pub fn new(goal: f64, baseline: f64, actual: f64, elapsed: f64) -> Target {
        let span = goal - baseline;
        let share = if span > 0.0 {
            ((actual - baseline) / span).max(0.0)
        } else {
            1.0
        };
        let expected = baseline + span * elapsed;
        let pace = if actual >= goal {
            Pace::Reached
        } else if elapsed <= 0.0 {
            Pace::NotStarted
        } else if actual >= expected {
            Pace::OnTrack
        } else {
            Pace::Behind
        };
        Target {
            goal,
            baseline,
            actual,
            share,
            expected,
            pace,
        }
    }

    /// How far the actual is behind the line (0 when on track).
    pub fn shortfall(&self) -> f64 {
        (self.expected - self.actual).max(0.0)
    }
}

/// The four targets of the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    SubsidizedTrainings,
    SkilledTalents,
    HighSkillTalents,
    HighSkillPer10k,
}

impl TargetKind {
    pub const ALL: [TargetKind; 4] = [
        TargetKind::SubsidizedTrainings,
        TargetKind::SkilledTalents,
        TargetKind::HighSkillTalents,
        TargetKind::HighSkillPer10k,
    ];
    /// The stable machine name (JSON and CSV keys).
    pub fn key(self) -> &'static str {
        match self {
            TargetKind::SubsidizedTrainings => "subsidized_trainings",
            TargetKind::SkilledTalents => "skilled_talents",
            TargetKind::HighSkillTalents => "high_skill_talents",
            TargetKind::HighSkillPer10k => "high_skill_per_10k",
        }
    }
    /// A count of people or trainings (the per-10,000 figure is a rate).
    pub fn is_count(self) -> bool {
        self != TargetKind::HighSkillPer10k
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    pub subsidized_trainings: Target,
    pub skilled_talents: Target,
    pub high_skill_talents: Target,
    pub high_skill_per_10k: Target,
}

impl Targets {
    pub fn get(&self, k: TargetKind) -> &Target {
        match k {
            TargetKind::SubsidizedTrainings => &self.subsidized_trainings,
            TargetKind::SkilledTalents => &self.skilled_talents,
            TargetKind::HighSkillTalents => &self.high_skill_talents,
            TargetKind::HighSkillPer10k => &self.high_skill_per_10k,
        }
    }
}

/// A stretch of days and how much of it has passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Share of its days passed by the end of the business date.
    pub elapsed: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterFigures {
    /// e.g. "2025Q4".
    pub quarter: String,
    #[serde(flatten)]
    pub span: Span,
    pub targets: Targets,
}

/// The fixed numbers the targets are read against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Basis {
    pub labor_force: u64,
    pub baseline_skilled: u64,
    pub baseline_high_skill: u64,
    /// 226,300 × 10,000 ÷ labor force.
    pub baseline_per_10k: f64,
    /// The figure the article publishes for January 2024.
    pub published_per_10k: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_and_pace_follow_the_straight_line() {
        let t = Target::new(80_000.0, 0.0, 20_000.0, 0.5);
        assert_eq!(t.share, 0.25);
        assert_eq!(t.expected, 40_000.0);
        assert_eq!(t.pace, Pace::Behind);
        assert_eq!(t.shortfall(), 20_000.0);
        let t = Target::new(1_200.0, 1_131.5, 1_200.5, 0.5);
        assert_eq!(t.pace, Pace::Reached);
        assert!(t.share > 1.0);
        let t = Target::new(1_200.0, 1_100.0, 1_150.0, 0.25);
        assert_eq!(t.share, 0.5);
        assert_eq!(t.expected, 1_125.0);
        assert_eq!(t.pace, Pace::OnTrack);
        assert_eq!(t.shortfall(), 0.0);
        assert_eq!(Target::new(100.0, 0.0, 0.0, 0.0).pace, Pace::NotStarted);
        // Below the baseline the share stays at zero.
        assert_eq!(Target::new(1_200.0, 1_131.5, 1_000.0, 0.1).share, 0.0);
    }
}
