//! Access records: who revealed, exported, imported, backed up or restored
//! whose data, and when. One tree (`audit`), appended to and read, never
//! changed: the store has no call that edits or removes a record of it, so
//! neither has the workspace. Kept apart from the record trees: writing one
//! does not move the write generation (the search cache stays current) and
//! `check` and `is_empty` do not look at it.
//!
//! A record is the codec's envelope around [`AccessEvent`], version
//! [`AUDIT_VERSION`] (held by the golden test below); the key is a
//! big-endian sequence number, so the tree reads in the order of writing.

use super::{Result, Store, codec};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The tree's name in sled.
pub const AUDIT_TREE: &str = "audit";

/// Envelope version of an access record.
pub const AUDIT_VERSION: u16 = 1;

/// What was done with personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum AccessKind {
    /// One person's whole ID number and mobile shown.
    Reveal,
    /// Records written out of the database (a file, standard output).
    Export,
    /// A spreadsheet read into the database.
    Import,
    /// A backup of the whole database taken.
    Backup,
    /// A backup restored into a new database.
    Restore,
    /// The city's reference data (regions, occupations…) loaded or changed.
    Catalog,
}

impl AccessKind {
    pub const ALL: [AccessKind; 6] = [
        AccessKind::Reveal,
        AccessKind::Export,
        AccessKind::Import,
        AccessKind::Backup,
        AccessKind::Restore,
        AccessKind::Catalog,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AccessKind::Reveal => "reveal",
            AccessKind::Export => "export",
            AccessKind::Import => "import",
            AccessKind::Backup => "backup",
            AccessKind::Restore => "restore",
            AccessKind::Catalog => "catalog",
        }
    }
}

impl fmt::Display for AccessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One access record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    /// Unix seconds, from the real clock (never a demo's simulated date).
    pub at: i64,
    /// Who: the operator named by their key (or the local account).
    pub operator: String,
    /// Their role then (`operator`, `supervisor`, `admin`).
    pub role: String,
    pub what: AccessKind,
    /// How many people's personal data it touched (0 for a backup of an
    /// empty database; every trainee for a backup).
    pub people: u64,
    /// What exactly: "trainee 12", "trainees to /srv/out.csv", "over ssh".
    pub detail: String,
}

/// Which access records to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// At or after this Unix second.
    pub since: Option<i64>,
    /// Only this operator's (exact name).
    pub operator: Option<String>,
    /// Only this kind.
    pub what: Option<AccessKind>,
}

impl fmt::Display for AccessEvent {
    /// One line: time (China Standard Time), who and their role, what, how
    /// many people, the detail.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = chrono::DateTime::from_timestamp(self.at, 0)
            .map(|t| {
                t.with_timezone(&crate::domain::china_time())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| self.at.to_string());
        let people = if self.people == 1 { "person" } else { "people" };
        write!(
            f,
            "{at}  {} ({})  {}  {} {people}  {}",
            self.operator, self.role, self.what, self.people, self.detail
        )
    }
}

/// `--since` as a Unix second: a date `2025-10-01` or a date and time
/// `2025-10-01T08:30` (China Standard Time), or an age `90m`, `24h`, `7d`
/// before `now`.
pub fn parse_since(text: &str, now: i64) -> std::result::Result<i64, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "--since '{text}': expected a date (2025-10-01), a date and time (2025-10-01T08:30) or an age (90m, 24h, 7d)"
        )
    };
    if let Some(unit) = t.chars().last().filter(|c| matches!(c, 'm' | 'h' | 'd')) {
        let n: i64 = t[..t.len() - 1].parse().map_err(|_| bad())?;
        let secs = match unit {
            'm' => 60,
            'h' => 3600,
            _ => 86_400,
        };
        return n.checked_mul(secs).map(|d| now - d).ok_or_else(bad);
    }
    let tz = crate::domain::china_time();
    let naive = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
        .map_err(|_| bad())?;
    naive
        .and_local_timezone(tz)
        .earliest()
        .map(|d| d.timestamp())
        .ok_or_else(bad)
}

impl AuditFilter {
    fn keeps(&self, e: &AccessEvent) -> bool {
        self.since.is_none_or(|s| e.at >= s)
            && self.operator.as_deref().is_none_or(|o| o == e.operator)
            && self.what.is_none_or(|w| w == e.what)
    }
}

impl Store {
    fn audit_tree(&self) -> Result<sled::Tree> {
        self.db.open_tree(AUDIT_TREE).map_err(|e| self.write_err(e))
    }

    /// Append one access record and make it durable before returning: an
    /// access is acknowledged only once its record is on disk.
    pub fn record_access(&self, event: &AccessEvent) -> Result<()> {
        let tree = self.audit_tree()?;
        let bytes = codec::encode(AUDIT_VERSION, event).map_err(|e| self.corrupt(e.to_string()))?;
        let key = self.new_id()?;
        tree.insert(key.to_be_bytes(), bytes).map_err(|e| self.write_err(e))?;
        tree.flush().map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// The access records the filter keeps, oldest first. A record that
    /// does not decode is reported, not skipped: the list must be whole.
    pub fn access_events(&self, filter: &AuditFilter) -> Result<Vec<AccessEvent>> {
        let tree = self.audit_tree()?;
        let mut out = Vec::new();
        for item in tree.iter() {
            let (key, value) = item.map_err(|e| self.write_err(e))?;
            let (_, event): (u16, AccessEvent) = codec::decode(&value, AUDIT_VERSION).map_err(|e| {
                self.corrupt(format!(
                    "access record {} in the '{AUDIT_TREE}' tree: {e}",
                    super::u64_from(&key).unwrap_or(0)
                ))
            })?;
            if filter.keeps(&event) {
                out.push(event);
            }
        }
        Ok(out)
    }

    /// How many people `operator` revealed at or after `since`.
    pub fn reveals_since(&self, operator: &str, since: i64) -> Result<usize> {
        let filter = AuditFilter {
            since: Some(since),
            operator: Some(operator.to_string()),
            what: Some(AccessKind::Reveal),
        };
        Ok(self.access_events(&filter)?.iter().map(|e| e.people as usize).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AccessEvent {
        AccessEvent {
            at: 1_760_000_000,
            operator: "wang.fang".into(),
            role: "operator".into(),
            what: AccessKind::Reveal,
            people: 1,
            detail: "trainee 12".into(),
        }
    }

    /// The bytes of an access record. A change fails here until
    /// AUDIT_VERSION moves (and old records are read by a migration).
    #[test]
    fn golden_access_record() {
        let bytes = codec::encode(AUDIT_VERSION, &sample()).unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "b10001fc00f0ced10977616e672e66616e67086f70657261746f7200010a747261696e6565203132"
        );
        let (v, back): (u16, AccessEvent) = codec::decode(&bytes, AUDIT_VERSION).unwrap();
        assert_eq!((v, back), (AUDIT_VERSION, sample()));
    }

    #[test]
    fn appended_records_list_in_order_and_filter() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let generation = store.generation().unwrap();
        let mut later = sample();
        later.at += 100;
        later.operator = "li".into();
        later.what = AccessKind::Export;
        later.people = 30;
        store.record_access(&sample()).unwrap();
        store.record_access(&later).unwrap();
        assert_eq!(
            store.generation().unwrap(),
            generation,
            "the search cache stays current"
        );
        assert!(store.is_empty(), "access records are not records");
        let all = store.access_events(&AuditFilter::default()).unwrap();
        assert_eq!(all, vec![sample(), later.clone()]);
        let f = AuditFilter {
            since: Some(sample().at + 1),
            ..Default::default()
        };
        assert_eq!(store.access_events(&f).unwrap(), vec![later.clone()]);
        let f = AuditFilter {
            operator: Some("wang.fang".into()),
            ..Default::default()
        };
        assert_eq!(store.access_events(&f).unwrap(), vec![sample()]);
        assert_eq!(store.reveals_since("wang.fang", 0).unwrap(), 1);
        assert_eq!(store.reveals_since("li", 0).unwrap(), 0);
        assert_eq!(
            sample().to_string(),
            "2025-10-09 16:53:20  wang.fang (operator)  reveal  1 person  trainee 12"
        );
    }

    #[test]
    fn since_takes_dates_times_and_ages() {
        let now = 1_760_000_000;
        assert_eq!(parse_since("7d", now), Ok(now - 7 * 86_400));
        assert_eq!(parse_since("90m", now), Ok(now - 5400));
        assert_eq!(parse_since("2025-10-09", now), Ok(1_759_939_200));
        assert_eq!(parse_since("2025-10-09T16:53", now), Ok(1_759_999_980));
        let e = parse_since("yesterday", now).unwrap_err();
        assert!(e.contains("'yesterday'") && e.contains("7d"), "{e}");
        assert!(parse_since("9999999999999999d", now).is_err());
    }
}
