//! `skillbridge today [DATE]`: the business date, and the demo's simulated
//! clock (#18). A demo database runs at a date of its own (2025-10-15 when
//! built); `today DATE` moves it forward, so that follow-ups fall due as
//! they would in the months after a hire. A real database runs at the
//! real date and is never moved; the clock never goes back (events would
//! lie in its future).

use super::open_existing;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use skillbridge::store::{META_AS_OF, Store};
use std::path::Path;
use std::process::ExitCode;

pub fn today(db: &Path, date: Option<&str>) -> Result<ExitCode> {
    let store = open_existing(db)?;
    let said = match date {
        None => show(&store)?,
        Some(d) => advance(&store, d)?,
    };
    println!("{said}");
    Ok(ExitCode::SUCCESS)
}

fn simulated(store: &Store) -> Result<Option<NaiveDate>> {
    Ok(store
        .meta(META_AS_OF)?
        .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()))
}

fn show(store: &Store) -> Result<String> {
    Ok(match simulated(store)? {
        Some(d) => {
            format!("business date {d} (simulated: a demo database; `skillbridge today YYYY-MM-DD` moves it forward)")
        }
        None => format!(
            "business date {} (the real date in China Standard Time)",
            chrono::Utc::now()
                .with_timezone(&skillbridge::domain::china_time())
                .date_naive()
        ),
    })
}

fn advance(store: &Store, text: &str) -> Result<String> {
    let Ok(to) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
        bail!("'{text}' is not a date: give the new business date as YYYY-MM-DD, e.g. 2026-01-20");
    };
    let Some(from) = simulated(store)? else {
        bail!(
            "the database at {} runs at the real date: only a demo database's simulated date can be moved",
            store.path().display()
        );
    };
    if to < from {
        bail!("the business date is {from}: it moves only forward, and {to} is before it");
    }
    store.set_meta(META_AS_OF, &to.to_string())?;
    Ok(format!(
        "business date moved from {from} to {to} in {} (a demo database's simulated date)",
        store.path().display()
    ))
}
