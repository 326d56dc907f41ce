//! The rows of the breakdowns: demand and supply of a trade, district,
//! program or alliance (with its gap and how bad it is), and an
//! institution's scorecard.

use crate::domain::RegionId;
use serde::Serialize;

/// Demand and supply of one trade, district, program or alliance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    /// Headcount of open skilled demands not yet referred or hired.
    pub posts_open: u64,
    /// The same for technical-management demands (no training trade serves
    /// them: shown apart, outside the gap).
    pub tm_posts_open: u64,
    pub classes: u64,
    /// Capacity of the classes.
    pub seats: u64,
    /// Seats left in classes that still take enrollments.
    pub seats_open: u64,
    /// Cases holding a seat (every state but withdrawn).
    pub enrolled: u64,
    /// Enrolled, in training or awaiting evaluation.
    pub in_training: u64,
    /// Cases with a certification, whatever came next.
    pub certified: u64,
    /// Certified or not hired: waiting for a referral.
    pub waiting: u64,
    pub employed: u64,
}

/// How bad a gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// The pipeline covers the open posts.
    Covered,
    /// More open posts than people heading for them.
    Shortage,
    /// Even filling every open seat would leave posts empty.
    Critical,
}

impl Pipeline {
    /// Open posts nobody in the pipeline is heading for (negative: surplus).
    pub fn gap(&self) -> i64 {
        self.posts_open as i64 - self.in_training as i64 - self.waiting as i64
    }

    pub fn mark(&self) -> Mark {
        let gap = self.gap();
        if gap <= 0 {
            Mark::Covered
        } else if gap > self.seats_open as i64 {
            Mark::Critical
        } else {
            Mark::Shortage
        }
    }
}

/// One row of a breakdown: a trade, district, program or alliance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The occupation, region, program or alliance id.
    pub id: u16,
    pub zh: &'static str,
    pub en: &'static str,
    #[serde(flatten)]
    pub figures: Pipeline,
    pub gap: i64,
    pub mark: Mark,
    #[serde(flatten)]
    pub retained: super::retention::Retained,
}

impl Row {
    pub(super) fn new(id: u16, zh: &'static str, en: &'static str, figures: Pipeline) -> Row {
        Row {
            id,
            zh,
            en,
            figures,
            gap: figures.gap(),
            mark: figures.mark(),
            retained: Default::default(),
        }
    }
}

/// A ratio kept as its two counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rate {
    pub num: u64,
    pub den: u64,
    /// `num ÷ den`; absent when there is nothing to divide by.
    pub rate: Option<f64>,
}

impl Rate {
    pub(super) fn finish(&mut self) {
        self.rate = (self.den > 0).then(|| self.num as f64 / self.den as f64);
    }
}

/// An institution's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstitutionRow {
    pub id: u64,
    pub name: String,
    pub region: RegionId,
    /// Credit stars (信用星级), 1 to 5.
    pub stars: u8,
    pub classes: u64,
    pub seats: u64,
    pub enrolled: u64,
    pub completion: Rate,
    pub pass: Rate,
    pub placement: Rate,
    #[serde(flatten)]
    pub retained: super::retention::Retained,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_marked_by_how_far_seats_could_close_them() {
        let p = Pipeline {
            posts_open: 10,
            in_training: 3,
            waiting: 2,
            seats_open: 5,
            ..Pipeline::default()
        };
        assert_eq!(p.gap(), 5);
        assert_eq!(p.mark(), Mark::Shortage);
        let p = Pipeline { seats_open: 4, ..p };
        assert_eq!(p.mark(), Mark::Critical);
        let p = Pipeline { posts_open: 5, ..p };
        assert_eq!(p.gap(), 0);
        assert_eq!(p.mark(), Mark::Covered);
    }
}
