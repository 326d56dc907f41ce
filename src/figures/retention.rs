//! Retention after a hire: of the follow-ups at 3 and at 6 months that
//! are closed (the person reached, or three attempts that did not reach
//! them), how many found the person employed (在岗 with the employer of
//! the hire, or 换工作 in another job), and the mean monthly wage where
//! one was recorded. A follow-up due and not yet closed counts as due
//! only; with none closed the share is absent ("—"), never 0 %.

use crate::domain::aftercare::{Aftercare, Slot};
use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// The two follow-ups the figures report, in months after the hire.
pub const REPORTED: [u8; 2] = [3, 6];

/// One group's retention at one follow-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Follow-ups whose due date has come.
    pub due: u64,
    /// Of those, closed: reached, or closed as unknown.
    pub closed: u64,
    /// Of the closed, employed at the follow-up.
    pub count: u64,
    wage_total: u64,
    wages: u64,
}

impl Retention {
    /// `count ÷ closed`; `None` when none is closed.
    pub fn share(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.count as f64 / self.closed as f64)
    }
    /// The mean monthly wage recorded (yuan), when any was.
    pub fn wage(&self) -> Option<u64> {
        (self.wages > 0).then(|| self.wage_total / self.wages)
    }
    /// Count one employed case's follow-up at `months`, read on `today`.
    pub(super) fn add(&mut self, care: &Aftercare, months: u8, today: NaiveDate) {
        match care.slot(months) {
            Slot::Open { due, .. } => self.due += u64::from(due <= today),
            Slot::Unknown { .. } => {
                self.due += 1;
                self.closed += 1;
            }
            Slot::Done { visit, .. } => {
                self.due += 1;
                self.closed += 1;
                self.count += u64::from(visit.outcome.employed() == Some(true));
                if let Some(w) = visit.wage {
                    self.wage_total += u64::from(w);
                    self.wages += 1;
                }
            }
        }
    }
}

impl Serialize for Retention {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Retention", 5)?;
        st.serialize_field("due", &self.due)?;
        st.serialize_field("closed", &self.closed)?;
        st.serialize_field("count", &self.count)?;
        st.serialize_field("share", &self.share())?;
        st.serialize_field("wage", &self.wage())?;
        st.end()
    }
}

/// Retention at 3 and 6 months.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Retained {
    pub retention_3m: Retention,
    pub retention_6m: Retention,
}

impl Retained {
    pub(super) fn add(&mut self, care: &Aftercare, today: NaiveDate) {
        self.retention_3m.add(care, REPORTED[0], today);
        self.retention_6m.add(care, REPORTED[1], today);
    }
}

/// A retention as a cell: the share with the employed of the closed
/// ("80% (4/5)"), or "—" when none is closed, never 0 %.
pub fn kept_cell(x: &Retention) -> String {
    match x.share() {
        Some(s) => format!("{} ({}/{})", super::format::rate(Some(s)), x.count, x.closed),
        None => "—".into(),
    }
}

/// A program's or institution's retention row: due and kept at 3 and 6
/// months, the mean wage recorded ("—" when none).
pub fn cells(name: &str, r: &Retained) -> Vec<String> {
    let wage = r.retention_6m.wage().or(r.retention_3m.wage());
    vec![
        name.to_string(),
        super::format::int(r.retention_3m.due),
        kept_cell(&r.retention_3m),
        super::format::int(r.retention_6m.due),
        kept_cell(&r.retention_6m),
        wage.map(super::format::int).unwrap_or_else(|| "—".into()),
    ]
}

/// The institution scorecard's two retention columns: the shares at 3 and
/// 6 months ("—" when none is closed).
pub fn scorecard_cells(r: &Retained) -> [String; 2] {
    [r.retention_3m.share(), r.retention_6m.share()].map(super::format::rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DemandId;
    use crate::domain::aftercare::{FollowUpOutcome, Visit};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    #[test]
    fn nothing_closed_reads_as_a_dash_never_zero() {
        let mut care = Aftercare {
            hired: day(6, 1),
            demand: DemandId(1),
            visits: Vec::new(),
        };
        let mut r = Retained::default();
        r.add(&care, day(8, 1));
        assert_eq!((r.retention_3m.due, r.retention_3m.closed), (0, 0));
        assert_eq!(scorecard_cells(&r), ["—".to_string(), "—".to_string()]);
        assert_eq!(cells("x", &r)[2], "—");
        // Due and not recorded: still a dash, not 0 %.
        let mut r = Retained::default();
        r.add(&care, day(9, 2));
        assert_eq!(r.retention_3m.due, 1);
        assert_eq!(kept_cell(&r.retention_3m), "—");
        care.visits.push(Visit {
            months: 3,
            on: day(9, 3),
            outcome: FollowUpOutcome::Retained,
            wage: Some(5000),
            seq: 7,
        });
        let mut r = Retained::default();
        r.add(&care, day(9, 3));
        assert_eq!(kept_cell(&r.retention_3m), "100% (1/1)");
        assert_eq!(scorecard_cells(&r)[1], "—");
        assert_eq!(cells("x", &r)[5], "5,000");
    }
}
