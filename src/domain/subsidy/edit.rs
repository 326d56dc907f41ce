//! The standard table edited in the workspace (#21): a row added, a row's
//! amount changed, a row removed, a key group's uplift set or removed.
//!
//! The rules hold here for every entry path: an amount is a whole number
//! of yuan from 1 to [`MAX_AMOUNT`], a row names a known occupation or
//! classification group at one of the five skill levels, no two rows name
//! the same occupation (or group) at the same level, and an uplift is for a
//! known key group, 1 to 100 percent (0 removes it).
//!
//! An edited table is no longer the shipped sample: [`Standards::apply`]
//! clears `sample` and sets the source to [`FORM_SOURCE`]. The rows it
//! did not change may still hold the sample's amounts; [`still_sample`]
//! says which, so the screens can mark them.

use super::{MAX_AMOUNT, Standard, Standards, Target, Uplift, occupation_named};
use crate::domain::catalog::{DEFAULT_KEY_GROUPS, OCCUPATIONS, SkillLevel};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The source of a table edited with the workspace's form.
pub const FORM_SOURCE: &str = "workspace form";

/// One change of the standard table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StandardEdit {
    /// A new row.
    Add {
        target: Target,
        level: SkillLevel,
        amount: u32,
    },
    /// A row's new amount.
    Amount {
        target: Target,
        level: SkillLevel,
        amount: u32,
    },
    /// A row taken out of the table.
    Remove { target: Target, level: SkillLevel },
    /// A key group's uplift set; 0 percent removes it.
    Uplift { key_group: String, percent: u8 },
}

/// The field of the form an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Target,
    Level,
    Amount,
    KeyGroup,
    Percent,
}

/// A change of the standard table refused: each names its field and what
/// is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StandardEditError {
    #[error(
        "occupation or group: '{0}' is neither an occupation nor a classification group: write an occupation's name (e.g. 焊工) or a group code (e.g. 6-18-01)"
    )]
    UnknownTarget(String),
    #[error(
        "level: '{0}' is not a skill level: write 1 to 5 (5 = junior … 1 = senior technician), or press Enter to choose"
    )]
    Level(String),
    #[error("amount: '{0}' is not accepted: write a whole number of yuan from 1 to {MAX_AMOUNT}")]
    Amount(String),
    #[error("key group: '{0}' is not a key group: write one of {groups}", groups = key_groups_en())]
    KeyGroup(String),
    #[error("uplift: '{0}' is not accepted: write a whole percent from 0 to 100 (0 removes the uplift)")]
    Percent(String),
    #[error("{} at {} is already in the table ({amount} yuan): change its amount instead", .target.en(), .level.en())]
    Duplicate {
        target: Target,
        level: SkillLevel,
        amount: u32,
    },
    #[error("{} at {} is not in the table (removed meanwhile?)", .target.en(), .level.en())]
    NoRow { target: Target, level: SkillLevel },
    #[error("key group: {0} has no uplift to remove")]
    NoUplift(String),
}

impl StandardEditError {
    /// The form field the error is shown on.
    pub fn field(&self) -> EditField {
        match self {
            StandardEditError::UnknownTarget(_)
            | StandardEditError::Duplicate { .. }
            | StandardEditError::NoRow { .. } => EditField::Target,
            StandardEditError::Level(_) => EditField::Level,
            StandardEditError::Amount(_) => EditField::Amount,
            StandardEditError::KeyGroup(_) | StandardEditError::NoUplift(_) => EditField::KeyGroup,
            StandardEditError::Percent(_) => EditField::Percent,
        }
    }
}

/// The installed key groups in English, for a refusal.
pub fn key_groups_en() -> String {
    DEFAULT_KEY_GROUPS
        .iter()
        .map(|(_, en)| *en)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The installed key groups in Chinese, for a refusal.
pub fn key_groups_zh() -> String {
    DEFAULT_KEY_GROUPS
        .iter()
        .map(|(zh, _)| *zh)
        .collect::<Vec<_>>()
        .join("、")
}

/// True when a classification group code names at least one occupation.
fn known_group(code: &str) -> bool {
    OCCUPATIONS.iter().any(|o| o.group == Some(code))
}

fn known_target(t: &Target) -> bool {
    match t {
        Target::Occupation(o) => o.get().is_some(),
        Target::Group(g) => known_group(g),
    }
}

/// An occupation by its Chinese or English name or an alias, or a
/// classification group by its code.
pub fn parse_target(text: &str) -> Result<Target, StandardEditError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(StandardEditError::UnknownTarget(String::new()));
    }
    if let Some(o) = occupation_named(t) {
        return Ok(Target::Occupation(o));
    }
    if let Some(o) = OCCUPATIONS.iter().find(|o| o.aliases.contains(&t)) {
        return Ok(Target::Occupation(o.id));
    }
    let code = t.trim_end_matches('类').trim();
    if known_group(code) {
        return Ok(Target::Group(code.to_string()));
    }
    Err(StandardEditError::UnknownTarget(t.to_string()))
}

/// A skill level: its number 1 to 5, or its Chinese or English name.
pub fn parse_level(text: &str) -> Result<SkillLevel, StandardEditError> {
    let t = text.trim();
    t.parse::<u8>()
        .ok()
        .and_then(SkillLevel::from_number)
        .or_else(|| {
            SkillLevel::ALL
                .into_iter()
                .find(|l| l.zh() == t || l.en().eq_ignore_ascii_case(t))
        })
        .ok_or_else(|| StandardEditError::Level(t.to_string()))
}

/// An amount in whole yuan, 1 to [`MAX_AMOUNT`] ("1800" or "1800元").
pub fn parse_amount(text: &str) -> Result<u32, StandardEditError> {
    let t = text.trim();
    let digits = t.strip_suffix('元').unwrap_or(t).trim();
    digits
        .parse::<u32>()
        .ok()
        .filter(|a| (1..=MAX_AMOUNT).contains(a))
        .ok_or_else(|| StandardEditError::Amount(t.to_string()))
}

/// An uplift percent, 0 to 100 ("20" or "20%"; 0 removes the uplift).
pub fn parse_percent(text: &str) -> Result<u8, StandardEditError> {
    let t = text.trim();
    let digits = t.strip_suffix(['%', '％']).unwrap_or(t).trim();
    digits
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| StandardEditError::Percent(t.to_string()))
}

/// A key group by its Chinese or English name (kept in Chinese, as the
/// trainees hold it), or one the table already has an uplift for.
pub fn parse_key_group(text: &str, table: &Standards) -> Result<String, StandardEditError> {
    let t = text.trim();
    if let Some((zh, _)) = DEFAULT_KEY_GROUPS
        .iter()
        .find(|(zh, en)| *zh == t || en.eq_ignore_ascii_case(t))
    {
        return Ok(zh.to_string());
    }
    if !t.is_empty() && table.uplifts.iter().any(|u| u.key_group == t) {
        return Ok(t.to_string());
    }
    Err(StandardEditError::KeyGroup(t.to_string()))
}

fn check_amount(amount: u32) -> Result<u32, StandardEditError> {
    if (1..=MAX_AMOUNT).contains(&amount) {
        Ok(amount)
    } else {
        Err(StandardEditError::Amount(amount.to_string()))
    }
}

impl Standards {
    /// The row for a target at a level, if the table has one.
    pub fn row(&self, target: &Target, level: SkillLevel) -> Option<&Standard> {
        self.rows.iter().find(|r| &r.target == target && r.level == level)
    }

    /// The table after one change, or why not. The result is no longer the
    /// sample, and its source is [`FORM_SOURCE`].
    pub fn apply(&self, edit: &StandardEdit) -> Result<Standards, StandardEditError> {
        let mut s = self.clone();
        let unknown = |t: &Target| StandardEditError::UnknownTarget(t.zh());
        match edit {
            StandardEdit::Add { target, level, amount } => {
                if !known_target(target) {
                    return Err(unknown(target));
                }
                check_amount(*amount)?;
                if let Some(r) = self.row(target, *level) {
                    return Err(StandardEditError::Duplicate {
                        target: target.clone(),
                        level: *level,
                        amount: r.amount,
                    });
                }
                s.rows.push(Standard {
                    target: target.clone(),
                    level: *level,
                    amount: *amount,
                });
            }
            StandardEdit::Amount { target, level, amount } => {
                check_amount(*amount)?;
                let r = s
                    .rows
                    .iter_mut()
                    .find(|r| &r.target == target && r.level == *level)
                    .ok_or_else(|| StandardEditError::NoRow {
                        target: target.clone(),
                        level: *level,
                    })?;
                r.amount = *amount;
            }
            StandardEdit::Remove { target, level } => {
                let i = s
                    .rows
                    .iter()
                    .position(|r| &r.target == target && r.level == *level)
                    .ok_or_else(|| StandardEditError::NoRow {
                        target: target.clone(),
                        level: *level,
                    })?;
                s.rows.remove(i);
            }
            StandardEdit::Uplift { key_group, percent } => {
                let group = parse_key_group(key_group, self)?;
                if *percent > 100 {
                    return Err(StandardEditError::Percent(percent.to_string()));
                }
                let at = s.uplifts.iter().position(|u| u.key_group == group);
                match (at, *percent) {
                    (None, 0) => return Err(StandardEditError::NoUplift(group)),
                    (Some(i), 0) => {
                        s.uplifts.remove(i);
                    }
                    (Some(i), p) => s.uplifts[i].percent = p,
                    (None, p) => s.uplifts.push(Uplift {
                        key_group: group,
                        percent: p,
                    }),
                }
            }
        }
        s.sample = false;
        s.source = FORM_SOURCE.to_string();
        Ok(s)
    }

    /// True when the table was last changed with the workspace's form.
    pub fn edited(&self) -> bool {
        self.source == FORM_SOURCE
    }
}

impl StandardEdit {
    /// What the edit was before it was made (the amount, the percent), as
    /// the table `before` holds it.
    pub fn before(&self, before: &Standards) -> Option<u32> {
        match self {
            StandardEdit::Add { .. } => None,
            StandardEdit::Amount { target, level, .. } | StandardEdit::Remove { target, level } => {
                before.row(target, *level).map(|r| r.amount)
            }
            StandardEdit::Uplift { key_group, .. } => before
                .uplifts
                .iter()
                .find(|u| &u.key_group == key_group)
                .map(|u| u32::from(u.percent)),
        }
    }

    /// The change in a few words.
    pub fn zh(&self) -> String {
        match self {
            StandardEdit::Add { target, level, amount } => {
                format!("新增：{} {} {amount} 元", target.zh(), level.zh())
            }
            StandardEdit::Amount { target, level, amount } => {
                format!("改金额：{} {} 改为 {amount} 元", target.zh(), level.zh())
            }
            StandardEdit::Remove { target, level } => format!("删除：{} {}", target.zh(), level.zh()),
            StandardEdit::Uplift { key_group, percent: 0 } => format!("取消上浮：{key_group}"),
            StandardEdit::Uplift { key_group, percent } => format!("上浮：{key_group} {percent}%"),
        }
    }
    pub fn en(&self) -> String {
        match self {
            StandardEdit::Add { target, level, amount } => {
                format!("added: {} {} {amount} yuan", target.en(), level.en())
            }
            StandardEdit::Amount { target, level, amount } => {
                format!("amount: {} {} now {amount} yuan", target.en(), level.en())
            }
            StandardEdit::Remove { target, level } => format!("removed: {} {}", target.en(), level.en()),
            StandardEdit::Uplift { key_group, percent: 0 } => format!("uplift removed: {key_group}"),
            StandardEdit::Uplift { key_group, percent } => format!("uplift: {key_group} {percent}%"),
        }
    }
}

/// Per row of `table`, true when it holds the shipped sample's amount
/// (same occupation or group, level and amount).
pub fn still_sample(table: &Standards) -> Vec<bool> {
    let sample = Standards::sample();
    table.rows.iter().map(|r| sample.rows.contains(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn welder() -> Target {
        parse_target("焊工").unwrap()
    }

    #[test]
    fn fields_are_read_or_refused_with_their_field_named() {
        assert!(matches!(welder(), Target::Occupation(_)));
        assert_eq!(parse_target("welder").unwrap(), welder());
        assert_eq!(parse_target("6-18-01").unwrap(), Target::Group("6-18-01".into()));
        assert_eq!(parse_target("6-18-01 类").unwrap(), Target::Group("6-18-01".into()));
        let e = parse_target("飞行员").unwrap_err();
        assert_eq!(e.field(), EditField::Target);
        assert!(e.to_string().starts_with("occupation or group: '飞行员'"), "{e}");
        assert_eq!(parse_target(" ").unwrap_err().field(), EditField::Target);

        assert_eq!(parse_level("4").unwrap(), SkillLevel::L4);
        assert_eq!(parse_level("四级/中级工").unwrap(), SkillLevel::L4);
        for bad in ["0", "6", "four", ""] {
            assert_eq!(parse_level(bad).unwrap_err().field(), EditField::Level, "{bad}");
        }

        assert_eq!(parse_amount("1800").unwrap(), 1800);
        assert_eq!(parse_amount(" 1800元 ").unwrap(), 1800);
        assert_eq!(parse_amount("100000").unwrap(), MAX_AMOUNT);
        for bad in ["0", "-5", "100001", "1800.5", "abc", ""] {
            let e = parse_amount(bad).unwrap_err();
            assert_eq!(e.field(), EditField::Amount, "{bad}");
            assert!(e.to_string().contains("from 1 to 100000"), "{e}");
        }

        assert_eq!(parse_percent("20%").unwrap(), 20);
        assert_eq!(parse_percent("0").unwrap(), 0);
        assert_eq!(parse_percent("101").unwrap_err().field(), EditField::Percent);
        assert_eq!(parse_percent("-1").unwrap_err().field(), EditField::Percent);

        let s = Standards::sample();
        assert_eq!(parse_key_group("退役军人", &s).unwrap(), "退役军人");
        assert_eq!(parse_key_group("veteran", &s).unwrap(), "退役军人");
        let e = parse_key_group("学生", &s).unwrap_err();
        assert_eq!(e.field(), EditField::KeyGroup);
        assert!(e.to_string().contains("veteran"), "the accepted groups are listed: {e}");
    }

    #[test]
    fn an_amount_changes_and_the_table_is_no_longer_the_sample() {
        let s = Standards::sample();
        assert!(s.sample);
        let w = welder();
        assert_eq!(s.row(&w, SkillLevel::L4).unwrap().amount, 1600);
        let edit = StandardEdit::Amount {
            target: w.clone(),
            level: SkillLevel::L4,
            amount: 1800,
        };
        assert_eq!(edit.before(&s), Some(1600));
        let t = s.apply(&edit).unwrap();
        assert_eq!(t.row(&w, SkillLevel::L4).unwrap().amount, 1800);
        assert!(!t.sample && t.edited());
        assert_eq!(t.rows.len(), s.rows.len());
        // Only the changed row no longer holds the sample's amount.
        let marks = still_sample(&t);
        let changed = t
            .rows
            .iter()
            .position(|r| r.target == w && r.level == SkillLevel::L4)
            .unwrap();
        assert!(!marks[changed]);
        assert_eq!(marks.iter().filter(|m| !**m).count(), 1);
        // The domain's own checks hold whatever the entry path.
        for amount in [0, MAX_AMOUNT + 1] {
            let e = s
                .apply(&StandardEdit::Amount {
                    target: w.clone(),
                    level: SkillLevel::L4,
                    amount,
                })
                .unwrap_err();
            assert_eq!(e.field(), EditField::Amount);
        }
        let e = s
            .apply(&StandardEdit::Amount {
                target: w.clone(),
                level: SkillLevel::L1,
                amount: 5000,
            })
            .unwrap_err();
        assert!(matches!(e, StandardEditError::NoRow { .. }));
    }

    #[test]
    fn rows_are_added_once_and_removed() {
        let s = Standards::sample();
        let w = welder();
        let add = |level, amount| StandardEdit::Add {
            target: w.clone(),
            level,
            amount,
        };
        let e = s.apply(&add(SkillLevel::L4, 2000)).unwrap_err();
        assert_eq!(
            e,
            StandardEditError::Duplicate {
                target: w.clone(),
                level: SkillLevel::L4,
                amount: 1600
            }
        );
        assert_eq!(e.field(), EditField::Target);
        let t = s.apply(&add(SkillLevel::L2, 3000)).unwrap();
        assert_eq!(t.rows.len(), s.rows.len() + 1);
        let occ = match &w {
            Target::Occupation(o) => *o,
            Target::Group(_) => unreachable!(),
        };
        assert_eq!(t.base(occ, SkillLevel::L2), Some(3000));
        assert!(!t.sample);
        assert!(s.apply(&add(SkillLevel::L2, 0)).is_err());
        let ghost = StandardEdit::Add {
            target: Target::Group("9-99-99".into()),
            level: SkillLevel::L5,
            amount: 100,
        };
        assert_eq!(s.apply(&ghost).unwrap_err().field(), EditField::Target);
        let gone = t
            .apply(&StandardEdit::Remove {
                target: w.clone(),
                level: SkillLevel::L2,
            })
            .unwrap();
        assert_eq!(gone.base(occ, SkillLevel::L2), None);
        assert!(matches!(
            gone.apply(&StandardEdit::Remove {
                target: w,
                level: SkillLevel::L2
            }),
            Err(StandardEditError::NoRow { .. })
        ));
    }

    #[test]
    fn uplifts_are_set_changed_and_removed() {
        let s = Standards::sample();
        let up = |g: &str, p| StandardEdit::Uplift {
            key_group: g.into(),
            percent: p,
        };
        let t = s.apply(&up("就业困难人员", 30)).unwrap();
        assert_eq!(t.uplift(Some("就业困难人员")), 30);
        let t = t.apply(&up("veteran", 15)).unwrap();
        assert_eq!(t.uplift(Some("退役军人")), 15);
        let t = t.apply(&up("退役军人", 0)).unwrap();
        assert_eq!(t.uplift(Some("退役军人")), 0);
        assert_eq!(
            t.apply(&up("退役军人", 0)).unwrap_err(),
            StandardEditError::NoUplift("退役军人".into())
        );
        assert_eq!(s.apply(&up("学生", 10)).unwrap_err().field(), EditField::KeyGroup);
        assert_eq!(s.apply(&up("退役军人", 101)).unwrap_err().field(), EditField::Percent);
    }
}
