//! Dates of the 2025–2027 action period: how much of it (or of a quarter)
//! has elapsed on a business date, quarters and weeks.

use crate::domain::Quarter;
use chrono::{Datelike, Duration, NaiveDate};

/// First day of the action period (技能照亮前程, 2025 to the end of 2027).
pub fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

/// Last day of the action period.
pub fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default()
}

/// Quarters in the period (2025Q1..2027Q4): a quarter's goal is a twelfth.
pub const QUARTERS: u32 = 12;

/// Share of the days from `first` to `last` (both included) that have passed
/// by the end of `today`: 0 before `first`, 1 from `last` on.
pub fn elapsed(first: NaiveDate, last: NaiveDate, today: NaiveDate) -> f64 {
    if today < first {
        return 0.0;
    }
    if today >= last {
        return 1.0;
    }
    let done = (today - first).num_days() + 1;
    let all = (last - first).num_days() + 1;
    done as f64 / all as f64
}

/// First and last day of a quarter.
pub fn quarter_bounds(q: Quarter) -> (NaiveDate, NaiveDate) {
    let year = i32::from(q.year);
    let month = u32::from(q.q.clamp(1, 4)) * 3 - 2;
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let next = if q.q >= 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 3, 1)
    }
    .unwrap_or_default();
    (first, next - Duration::days(1))
}

/// The Monday that starts the week of `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn elapsed_counts_whole_days_including_today() {
        assert_eq!(elapsed(start(), end(), day(2024, 12, 31)), 0.0);
        // 2025-01-01 is day 1 of 1,095 (2025, 2026, 2027: no leap year).
        assert!((elapsed(start(), end(), day(2025, 1, 1)) - 1.0 / 1095.0).abs() < 1e-12);
        // 2025-10-15 is day 288.
        assert!((elapsed(start(), end(), day(2025, 10, 15)) - 288.0 / 1095.0).abs() < 1e-12);
        assert_eq!(elapsed(start(), end(), day(2027, 12, 31)), 1.0);
        assert_eq!(elapsed(start(), end(), day(2030, 1, 1)), 1.0);
    }

    #[test]
    fn quarters_have_their_calendar_bounds() {
        assert_eq!(
            quarter_bounds(Quarter { year: 2025, q: 4 }),
            (day(2025, 10, 1), day(2025, 12, 31))
        );
        assert_eq!(
            quarter_bounds(Quarter { year: 2026, q: 1 }),
            (day(2026, 1, 1), day(2026, 3, 31))
        );
        let (a, b) = quarter_bounds(Quarter { year: 2025, q: 4 });
        // 2025-10-15 is day 15 of 92.
        assert!((elapsed(a, b, day(2025, 10, 15)) - 15.0 / 92.0).abs() < 1e-12);
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(day(2025, 10, 15)), day(2025, 10, 13));
        assert_eq!(week_start(day(2025, 10, 13)), day(2025, 10, 13));
        assert_eq!(week_start(day(2025, 1, 1)), day(2024, 12, 30));
    }
}
