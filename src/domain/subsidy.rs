//! Training subsidies (补贴性培训): the standard table, the eligibility
//! rules, claims and their review, and the ledger.
//!
//! An institution files a claim for a finished class (申报): the roster,
//! each certified person eligible or not and why, and the amount. The
//! center reviews it (初审, 复核), and records the payment (拨付); at any
//! review step it may return the claim with a reason (退回), which puts it
//! back to draft. A claim's lines are assessed when it is built and again
//! when it is filed, against every other filed claim, so that nobody is
//! subsidized twice for the same occupation at the same level and nobody
//! more than `max_per_year` times in a calendar year.
//!
//! The shipped standard table is a sample (示例标准): it is labelled so
//! wherever it shows, and never presented as a city's real standard.

use super::catalog::{OCCUPATIONS, OccupationId, ProgramId, SkillLevel};
use super::entities::{CaseId, ClassId, ClassKind, InstitutionId, Quarter, TraineeId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use thiserror::Error;

/// The shipped sample table (compiled in; loaded into a new database).
pub const SAMPLE_STANDARDS: &str = include_str!("../../data/subsidy-standards.toml");

/// Default: days after a class's end within which its claim may be filed.
pub const DEFAULT_WINDOW_DAYS: u16 = 90;
/// Default: subsidized trainings per person per calendar year.
pub const DEFAULT_MAX_PER_YEAR: u8 = 3;
/// The highest amount a standard may name (yuan).
pub const MAX_AMOUNT: u32 = 100_000;
/// The longest return reason (characters).
pub const MAX_REASON_CHARS: usize = 200;

/// A claim's number: `S12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct ClaimId(pub u64);

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

impl ClaimId {
    /// Read `S12` or `12`.
    pub fn parse(s: &str) -> Option<ClaimId> {
        let s = s.trim();
        let digits = s.strip_prefix(['S', 's']).unwrap_or(s);
        digits.parse::<u64>().ok().filter(|n| *n > 0).map(ClaimId)
    }
}

/// What a standard applies to: one occupation, or a classification group
/// (e.g. `6-18-01`, the machining group). An occupation's own row wins
/// over its group's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Occupation(OccupationId),
    Group(String),
}

impl Target {
    pub fn zh(&self) -> String {
        match self {
            Target::Occupation(o) => o.zh().to_string(),
            Target::Group(g) => format!("{g} 类"),
        }
    }
    pub fn en(&self) -> String {
        match self {
            Target::Occupation(o) => o.en().to_string(),
            Target::Group(g) => format!("group {g}"),
        }
    }
}

/// One row of the standard table: an amount in whole yuan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub target: Target,
    pub level: SkillLevel,
    pub amount: u32,
}

/// An uplift for a key group (e.g. 就业困难人员 +20%).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uplift {
    pub key_group: String,
    pub percent: u8,
}

/// The standard table and the claim settings it ships with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standards {
    /// A sample table (示例标准), never a city's real standard.
    pub sample: bool,
    /// Where it came from (a file name, "shipped sample").
    pub source: String,
    pub window_days: u16,
    pub max_per_year: u8,
    /// 复核 needs a second reviewer: the one who did 初审 may not do 复核,
    /// and the one who filed may not do 初审.
    pub second_reviewer: bool,
    pub rows: Vec<Standard>,
    pub uplifts: Vec<Uplift>,
}

impl Standards {
    /// The shipped sample.
    pub fn sample() -> Standards {
        // The shipped file is held by a test; an error here is a build defect.
        parse_standards(SAMPLE_STANDARDS, "subsidy-standards.toml").unwrap_or_else(|_| Standards {
            sample: true,
            source: "subsidy-standards.toml".into(),
            window_days: DEFAULT_WINDOW_DAYS,
            max_per_year: DEFAULT_MAX_PER_YEAR,
            second_reviewer: true,
            rows: Vec::new(),
            uplifts: Vec::new(),
        })
    }

    /// The base amount for an occupation at a level: its own row, else its
    /// group's.
    pub fn base(&self, occupation: OccupationId, level: SkillLevel) -> Option<u32> {
        let own = self
            .rows
            .iter()
            .find(|r| r.level == level && r.target == Target::Occupation(occupation));
        let group = occupation.get().and_then(|o| o.group);
        own.or_else(|| {
            let g = group?;
            self.rows
                .iter()
                .find(|r| r.level == level && matches!(&r.target, Target::Group(x) if x == g))
        })
        .map(|r| r.amount)
    }

    /// The uplift percent for a key group (0 for none).
    pub fn uplift(&self, key_group: Option<&str>) -> u8 {
        key_group
            .and_then(|g| self.uplifts.iter().find(|u| u.key_group == g))
            .map(|u| u.percent)
            .unwrap_or(0)
    }

    /// Base, uplift (yuan, rounded down) for one person.
    pub fn amount(&self, occupation: OccupationId, level: SkillLevel, key_group: Option<&str>) -> Option<(u32, u32)> {
        let base = self.base(occupation, level)?;
        let up = u64::from(base) * u64::from(self.uplift(key_group)) / 100;
        Some((base, up as u32))
    }
}

/// A standard table that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StandardsError {
    #[error("{file}: not a standard table: {detail}")]
    Toml { file: String, detail: String },
    #[error("{file}: row {row}: unknown occupation '{name}' (use a name from the occupation list, e.g. 焊工)")]
    UnknownOccupation { file: String, row: usize, name: String },
    #[error("{file}: row {row}: name either an occupation or a group, not {what}")]
    Target {
        file: String,
        row: usize,
        what: &'static str,
    },
    #[error("{file}: row {row}: level {level} is not a skill level (1 to 5)")]
    Level { file: String, row: usize, level: u8 },
    #[error("{file}: row {row}: amount {amount} is out of range (1 to {MAX_AMOUNT} yuan)")]
    Amount { file: String, row: usize, amount: u32 },
    #[error("{file}: row {row}: {target} at level {level} is already in the table (row {first})")]
    Duplicate {
        file: String,
        row: usize,
        first: usize,
        target: String,
        level: u8,
    },
    #[error("{file}: uplift for '{key_group}': {percent}% is out of range (1 to 100)")]
    Uplift {
        file: String,
        key_group: String,
        percent: u8,
    },
    #[error("{file}: {field} = {value} is out of range ({accepted})")]
    Setting {
        file: String,
        field: &'static str,
        value: u32,
        accepted: &'static str,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTable {
    sample: Option<bool>,
    window_days: Option<u32>,
    max_per_year: Option<u32>,
    second_reviewer: Option<bool>,
    #[serde(default)]
    standard: Vec<FileRow>,
    #[serde(default)]
    uplift: Vec<FileUplift>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    occupation: Option<String>,
    group: Option<String>,
    level: u8,
    amount: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileUplift {
    key_group: String,
    percent: u8,
}

fn occupation_named(name: &str) -> Option<OccupationId> {
    let n = name.trim();
    OCCUPATIONS
        .iter()
        .find(|o| o.zh == n || o.en.eq_ignore_ascii_case(n))
        .map(|o| o.id)
}

/// Read a standard table (TOML); `file` names it in errors. A file that
/// does not say `sample = false` is a sample.
pub fn parse_standards(text: &str, file: &str) -> Result<Standards, StandardsError> {
    let f = file.to_string();
    let t: FileTable = toml::from_str(text).map_err(|e| StandardsError::Toml {
        file: f.clone(),
        detail: e.to_string().trim().replace('\n', " "),
    })?;
    let setting = |field: &'static str, v: u32, lo: u32, hi: u32, accepted: &'static str| {
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(StandardsError::Setting {
                file: f.clone(),
                field,
                value: v,
                accepted,
            })
        }
    };
    let window_days = setting(
        "window_days",
        t.window_days.unwrap_or(u32::from(DEFAULT_WINDOW_DAYS)),
        1,
        730,
        "1 to 730 days",
    )? as u16;
    let max_per_year = setting(
        "max_per_year",
        t.max_per_year.unwrap_or(u32::from(DEFAULT_MAX_PER_YEAR)),
        1,
        12,
        "1 to 12",
    )? as u8;
    let mut rows: Vec<Standard> = Vec::new();
    for (i, r) in t.standard.iter().enumerate() {
        let row = i + 1;
        let target = match (&r.occupation, &r.group) {
            (Some(o), None) => {
                Target::Occupation(occupation_named(o).ok_or_else(|| StandardsError::UnknownOccupation {
                    file: f.clone(),
                    row,
                    name: o.clone(),
                })?)
            }
            (None, Some(g)) if !g.trim().is_empty() => Target::Group(g.trim().to_string()),
            (None, _) => {
                return Err(StandardsError::Target {
                    file: f.clone(),
                    row,
                    what: "neither",
                });
            }
            (Some(_), Some(_)) => {
                return Err(StandardsError::Target {
                    file: f.clone(),
                    row,
                    what: "both",
                });
            }
        };
        let level = SkillLevel::from_number(r.level).ok_or(StandardsError::Level {
            file: f.clone(),
            row,
            level: r.level,
        })?;
        if !(1..=MAX_AMOUNT).contains(&r.amount) {
            return Err(StandardsError::Amount {
                file: f.clone(),
                row,
                amount: r.amount,
            });
        }
        if let Some(first) = rows.iter().position(|x| x.target == target && x.level == level) {
            return Err(StandardsError::Duplicate {
                file: f.clone(),
                row,
                first: first + 1,
                target: target.en(),
                level: r.level,
            });
        }
        rows.push(Standard {
            target,
            level,
            amount: r.amount,
        });
    }
    let mut uplifts = Vec::new();
    for u in t.uplift {
        if !(1..=100).contains(&u.percent) {
            return Err(StandardsError::Uplift {
                file: f.clone(),
                key_group: u.key_group,
                percent: u.percent,
            });
        }
        uplifts.push(Uplift {
            key_group: u.key_group.trim().to_string(),
            percent: u.percent,
        });
    }
    Ok(Standards {
        sample: t.sample.unwrap_or(true),
        source: f,
        window_days,
        max_per_year,
        second_reviewer: t.second_reviewer.unwrap_or(true),
        rows,
        uplifts,
    })
}

/// Why a person on a roster is not subsidized.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ineligible {
    /// The class is not a government-subsidized class (政府补贴类培训).
    NotSubsidizedClass,
    /// Not certified in this class (no certificate, or withdrawn before it).
    NotCertified,
    /// Already subsidized for this occupation at this level (by that claim).
    AlreadySubsidized { claim: ClaimId },
    /// Already `count` subsidized trainings in `year` (the limit).
    YearLimit { year: i32, count: u8 },
    /// Filed `filed`, past the window of `days` after the class ended `end`.
    OutsideWindow {
        end: NaiveDate,
        filed: NaiveDate,
        days: u16,
    },
    /// The standard table has no amount for this occupation and level.
    NoStandard,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::NotSubsidizedClass => "not_subsidized_class",
            Ineligible::NotCertified => "not_certified",
            Ineligible::AlreadySubsidized { .. } => "already_subsidized",
            Ineligible::YearLimit { .. } => "year_limit",
            Ineligible::OutsideWindow { .. } => "outside_window",
            Ineligible::NoStandard => "no_standard",
        }
    }
    pub fn zh(&self) -> String {
        match self {
            Ineligible::NotSubsidizedClass => "非政府补贴类培训班".into(),
            Ineligible::NotCertified => "未在本班取证".into(),
            Ineligible::AlreadySubsidized { claim } => format!("同工种同等级已享受补贴（{claim}）"),
            Ineligible::YearLimit { year, count } => format!("{year} 年已享受 {count} 次补贴（上限）"),
            Ineligible::OutsideWindow { end, filed, days } => {
                format!("超过申报期限：结业 {end}，{days} 天内申报，申报日 {filed}")
            }
            Ineligible::NoStandard => "补贴标准无此工种等级".into(),
        }
    }
    pub fn en(&self) -> String {
        match self {
            Ineligible::NotSubsidizedClass => "not a government-subsidized class".into(),
            Ineligible::NotCertified => "not certified in this class".into(),
            Ineligible::AlreadySubsidized { claim } => {
                format!("already subsidized for this occupation and level ({claim})")
            }
            Ineligible::YearLimit { year, count } => {
                format!("{count} subsidized trainings in {year} already (the limit)")
            }
            Ineligible::OutsideWindow { end, filed, days } => {
                format!("filed {filed}, past the {days} days after the class ended {end}")
            }
            Ineligible::NoStandard => "no standard for this occupation and level".into(),
        }
    }
}

/// A line's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Subsidized: the base amount and the key-group uplift (yuan).
    Eligible {
        base: u32,
        uplift: u32,
    },
    Ineligible(Ineligible),
}

/// One person of the roster on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub case: CaseId,
    pub trainee: TraineeId,
    pub level: Option<SkillLevel>,
    pub key_group: Option<String>,
    pub verdict: Verdict,
}

impl Line {
    /// The amount claimed for the line (0 when ineligible).
    pub fn amount(&self) -> u64 {
        match self.verdict {
            Verdict::Eligible { base, uplift } => u64::from(base) + u64::from(uplift),
            Verdict::Ineligible(_) => 0,
        }
    }
    pub fn eligible(&self) -> bool {
        matches!(self.verdict, Verdict::Eligible { .. })
    }
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClaimState {
    /// 草稿: built, not filed (or returned).
    Draft,
    /// 已申报
    Filed,
    /// 初审通过
    FirstPassed,
    /// 复核通过
    SecondPassed,
    /// 已拨付
    Paid,
}

impl ClaimState {
    pub const ALL: [ClaimState; 5] = [
        ClaimState::Draft,
        ClaimState::Filed,
        ClaimState::FirstPassed,
        ClaimState::SecondPassed,
        ClaimState::Paid,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ClaimState::Draft => "draft",
            ClaimState::Filed => "filed",
            ClaimState::FirstPassed => "first_passed",
            ClaimState::SecondPassed => "second_passed",
            ClaimState::Paid => "paid",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ClaimState::Draft => "草稿",
            ClaimState::Filed => "已申报",
            ClaimState::FirstPassed => "初审通过",
            ClaimState::SecondPassed => "复核通过",
            ClaimState::Paid => "已拨付",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            ClaimState::Draft => "draft",
            ClaimState::Filed => "filed",
            ClaimState::FirstPassed => "first review passed",
            ClaimState::SecondPassed => "second review passed",
            ClaimState::Paid => "paid",
        }
    }
    /// Filed and not returned: its eligible lines count as subsidies.
    pub fn counts(self) -> bool {
        !matches!(self, ClaimState::Draft)
    }
    /// Approved (复核通过 or paid): counted toward the target.
    pub fn approved(self) -> bool {
        matches!(self, ClaimState::SecondPassed | ClaimState::Paid)
    }
}

/// A step of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    /// Built from the class's roster (the first event).
    Build,
    /// A draft's lines assessed again.
    Rebuild,
    /// 申报
    File,
    /// 初审通过
    FirstApprove,
    /// 复核通过
    SecondApprove,
    /// 拨付
    Pay,
    /// 退回, with the reason: back to draft.
    Return { reason: String },
}

impl Step {
    pub fn name(&self) -> &'static str {
        match self {
            Step::Build => "build",
            Step::Rebuild => "rebuild",
            Step::File => "file",
            Step::FirstApprove => "first_approve",
            Step::SecondApprove => "second_approve",
            Step::Pay => "pay",
            Step::Return { .. } => "return",
        }
    }
    pub fn zh(&self) -> &'static str {
        match self {
            Step::Build => "生成申报",
            Step::Rebuild => "重新核对",
            Step::File => "申报",
            Step::FirstApprove => "初审通过",
            Step::SecondApprove => "复核通过",
            Step::Pay => "拨付",
            Step::Return { .. } => "退回",
        }
    }
    /// Every step, a return with `reason`.
    pub fn each(reason: &str) -> [Step; 7] {
        [
            Step::Build,
            Step::Rebuild,
            Step::File,
            Step::FirstApprove,
            Step::SecondApprove,
            Step::Pay,
            Step::Return { reason: reason.into() },
        ]
    }

    pub fn en(&self) -> &'static str {
        match self {
            Step::Build => "built",
            Step::Rebuild => "assessed again",
            Step::File => "filed",
            Step::FirstApprove => "first review passed",
            Step::SecondApprove => "second review passed",
            Step::Pay => "paid",
            Step::Return { .. } => "returned",
        }
    }
}

/// A claim for one class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub class: ClassId,
    pub institution: InstitutionId,
    pub program: ProgramId,
    pub occupation: OccupationId,
    pub class_end: NaiveDate,
    /// The quarter of the class's end (the ledger's quarter).
    pub quarter: Quarter,
    pub state: ClaimState,
    pub lines: Vec<Line>,
    /// The date it was last filed (申报日).
    pub filed: Option<NaiveDate>,
    /// The standard table's source when the lines were assessed, and
    /// whether it was the sample.
    pub standards: String,
    pub sample: bool,
    /// The last return's reason, while the claim is a draft again.
    pub returned: Option<String>,
    /// How many times it was returned.
    pub returns: u32,
    /// The eligible amount when it was last returned (the ledger's returned).
    pub returned_amount: u64,
    /// Events so far (the next event's sequence number).
    pub events: u32,
}

impl Claim {
    pub fn total(&self) -> u64 {
        self.lines.iter().map(Line::amount).sum()
    }
    pub fn eligible(&self) -> usize {
        self.lines.iter().filter(|l| l.eligible()).count()
    }
}

/// One step of a claim, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimEvent {
    pub claim: ClaimId,
    pub seq: u32,
    /// Unix seconds.
    pub at: i64,
    pub operator: String,
    pub from: Option<ClaimState>,
    pub to: ClaimState,
    pub step: Step,
    /// The eligible total after the step.
    pub amount: u64,
}

/// A claim step refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubsidyError {
    #[error("claim {claim} is {} and cannot be {}; from {} it can be: {legal}", .from.en(), .step.en(), .from.en())]
    Illegal {
        claim: ClaimId,
        from: ClaimState,
        step: Step,
        legal: String,
    },
    #[error(
        "claim {claim}: a second reviewer is required, and {operator} already did '{}' on it; another reviewer must do '{}'",
        .earlier.en(), .step.en()
    )]
    SameReviewer {
        claim: ClaimId,
        operator: String,
        earlier: Step,
        step: Step,
    },
    #[error("a return needs a reason (1 to {MAX_REASON_CHARS} characters)")]
    ReasonMissing,
    #[error("the return reason has {0} characters; at most {MAX_REASON_CHARS}")]
    ReasonTooLong(usize),
    #[error("class {class} is not finished: a claim is built after the class ends ({end})")]
    ClassNotFinished { class: ClassId, end: NaiveDate },
    #[error("class {class} already has claim {claim}")]
    ClassHasClaim { class: ClassId, claim: ClaimId },
    #[error("claim {claim} has no eligible person: it cannot be filed")]
    NothingEligible { claim: ClaimId },
    #[error(transparent)]
    Standards(#[from] StandardsError),
    /// A change of the standard table made with the form, refused.
    #[error(transparent)]
    Edit(#[from] StandardEditError),
}

/// The steps legal from a state.
pub fn legal_steps(from: ClaimState) -> &'static [&'static str] {
    match from {
        ClaimState::Draft => &["rebuild", "file"],
        ClaimState::Filed => &["first_approve", "return"],
        ClaimState::FirstPassed => &["second_approve", "return"],
        ClaimState::SecondPassed => &["pay", "return"],
        ClaimState::Paid => &[],
    }
}

/// The state a step leads to from `from`, or why not.
pub fn next_claim_state(claim: ClaimId, from: ClaimState, step: &Step) -> Result<ClaimState, SubsidyError> {
    use ClaimState as S;
    let to = match (from, step) {
        (S::Draft, Step::Rebuild) => Some(S::Draft),
        (S::Draft, Step::File) => Some(S::Filed),
        (S::Filed, Step::FirstApprove) => Some(S::FirstPassed),
        (S::FirstPassed, Step::SecondApprove) => Some(S::SecondPassed),
        (S::SecondPassed, Step::Pay) => Some(S::Paid),
        (S::Filed | S::FirstPassed | S::SecondPassed, Step::Return { reason }) => {
            check_reason(reason)?;
            Some(S::Draft)
        }
        _ => None,
    };
    to.ok_or_else(|| SubsidyError::Illegal {
        claim,
        from,
        step: step.clone(),
        legal: {
            let l = legal_steps(from);
            if l.is_empty() {
                "nothing (final)".into()
            } else {
                l.join(", ")
            }
        },
    })
}

/// A return's reason: trimmed, not empty, not too long.
pub fn check_reason(reason: &str) -> Result<String, SubsidyError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(SubsidyError::ReasonMissing);
    }
    let n = r.chars().count();
    if n > MAX_REASON_CHARS {
        return Err(SubsidyError::ReasonTooLong(n));
    }
    Ok(r.to_string())
}

/// The four-eyes rule: with a second reviewer required, the one who filed
/// may not do 初审, and the one who did 初审 may not do 复核 (the latest
/// such step since the claim was last filed counts).
pub fn check_reviewer(
    claim: ClaimId,
    events: &[ClaimEvent],
    step: &Step,
    operator: &str,
    second_reviewer: bool,
) -> Result<(), SubsidyError> {
    if !second_reviewer {
        return Ok(());
    }
    let earlier = match step {
        Step::FirstApprove => Step::File,
        Step::SecondApprove => Step::FirstApprove,
        _ => return Ok(()),
    };
    let last = events.iter().rev().find(|e| e.step == earlier);
    match last {
        Some(e) if e.operator == operator => Err(SubsidyError::SameReviewer {
            claim,
            operator: operator.to_string(),
            earlier,
            step: step.clone(),
        }),
        _ => Ok(()),
    }
}

/// What eligibility needs of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassFacts {
    pub kind: ClassKind,
    pub occupation: OccupationId,
    pub end: NaiveDate,
}

/// One person of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub case: CaseId,
    pub trainee: TraineeId,
    /// The level certified in this class (`None`: not certified).
    pub certified: Option<SkillLevel>,
    pub key_group: Option<String>,
}

/// Subsidies granted on other claims that count (filed and not returned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prior {
    /// trainee × occupation × level → the claim.
    pub held: BTreeMap<(TraineeId, OccupationId, SkillLevel), ClaimId>,
    /// trainee × year → how many.
    pub per_year: BTreeMap<(TraineeId, i32), u8>,
}

impl Prior {
    /// What the eligible lines of counting claims grant (`skip`: the claim
    /// being assessed).
    pub fn of<'a>(claims: impl IntoIterator<Item = &'a Claim>, skip: Option<ClaimId>) -> Prior {
        let mut p = Prior::default();
        for c in claims {
            if Some(c.id) == skip || !c.state.counts() {
                continue;
            }
            for l in c.lines.iter().filter(|l| l.eligible()) {
                p.add(l, c);
            }
        }
        p
    }

    fn add(&mut self, l: &Line, c: &Claim) {
        if let Some(level) = l.level {
            self.held.entry((l.trainee, c.occupation, level)).or_insert(c.id);
        }
        *self.per_year.entry((l.trainee, c.class_end.year())).or_insert(0) += 1;
    }
}

/// Assess one roster, filed (or built) on `filed`. Each person gets the
/// first reason that applies, in the order: class kind, certification,
/// window, same occupation and level, yearly limit, standard.
pub fn assess(
    standards: &Standards,
    class: &ClassFacts,
    filed: NaiveDate,
    roster: &[Candidate],
    prior: &Prior,
) -> Vec<Line> {
    let year = class.end.year();
    let late = (filed - class.end).num_days() > i64::from(standards.window_days);
    let mut seen_year: BTreeMap<TraineeId, u8> = BTreeMap::new();
    let mut seen: HashSet<(TraineeId, SkillLevel)> = HashSet::new();
    roster
        .iter()
        .map(|c| {
            let verdict = (|| {
                if class.kind != ClassKind::Subsidized {
                    return Verdict::Ineligible(Ineligible::NotSubsidizedClass);
                }
                let Some(level) = c.certified else {
                    return Verdict::Ineligible(Ineligible::NotCertified);
                };
                if late {
                    return Verdict::Ineligible(Ineligible::OutsideWindow {
                        end: class.end,
                        filed,
                        days: standards.window_days,
                    });
                }
                if let Some(claim) = prior.held.get(&(c.trainee, class.occupation, level)) {
                    return Verdict::Ineligible(Ineligible::AlreadySubsidized { claim: *claim });
                }
                let before = prior.per_year.get(&(c.trainee, year)).copied().unwrap_or(0)
                    + seen_year.get(&c.trainee).copied().unwrap_or(0);
                if before >= standards.max_per_year {
                    return Verdict::Ineligible(Ineligible::YearLimit { year, count: before });
                }
                let Some((base, uplift)) = standards.amount(class.occupation, level, c.key_group.as_deref()) else {
                    return Verdict::Ineligible(Ineligible::NoStandard);
                };
                if !seen.insert((c.trainee, level)) {
                    return Verdict::Ineligible(Ineligible::AlreadySubsidized { claim: ClaimId(0) });
                }
                *seen_year.entry(c.trainee).or_insert(0) += 1;
                Verdict::Eligible { base, uplift }
            })();
            Line {
                case: c.case,
                trainee: c.trainee,
                level: c.certified,
                key_group: c.key_group.clone(),
                verdict,
            }
        })
        .collect()
}

/// Money and heads of one ledger cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sum {
    /// Subsidized trainings (eligible lines).
    pub people: u64,
    /// Yuan.
    pub amount: u64,
}

impl Sum {
    fn add(&mut self, people: u64, amount: u64) {
        self.people += people;
        self.amount += amount;
    }
}

/// One ledger row: an institution's claims of a program in a quarter
/// (the totals row has no quarter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    pub institution: InstitutionId,
    pub program: ProgramId,
    pub quarter: Option<Quarter>,
    pub claims: u64,
    /// Filed and not returned (any review state).
    pub claimed: Sum,
    /// 复核通过 or paid.
    pub approved: Sum,
    pub paid: Sum,
    /// Returned (as often as it happened; the amount at each last return).
    pub returned: Sum,
}

impl LedgerRow {
    /// A row with nothing in it (and no quarter: the totals).
    pub fn empty() -> LedgerRow {
        LedgerRow {
            institution: InstitutionId(0),
            program: ProgramId(0),
            quarter: None,
            claims: 0,
            claimed: Sum::default(),
            approved: Sum::default(),
            paid: Sum::default(),
            returned: Sum::default(),
        }
    }
}

impl Default for LedgerRow {
    fn default() -> Self {
        LedgerRow::empty()
    }
}

/// The ledger per institution, program and quarter, in that order.
pub fn ledger<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> Vec<LedgerRow> {
    let mut rows: BTreeMap<(InstitutionId, ProgramId, Quarter), LedgerRow> = BTreeMap::new();
    for c in claims {
        let r = rows
            .entry((c.institution, c.program, c.quarter))
            .or_insert_with(|| LedgerRow {
                institution: c.institution,
                program: c.program,
                quarter: Some(c.quarter),
                ..LedgerRow::empty()
            });
        r.claims += 1;
        let (n, a) = (c.eligible() as u64, c.total());
        if c.state.counts() {
            r.claimed.add(n, a);
        }
        if c.state.approved() {
            r.approved.add(n, a);
        }
        if c.state == ClaimState::Paid {
            r.paid.add(n, a);
        }
        if c.returns > 0 {
            r.returned.add(u64::from(c.returns), c.returned_amount);
        }
    }
    rows.into_values().collect()
}

/// The ledger's totals.
pub fn ledger_total(rows: &[LedgerRow]) -> LedgerRow {
    let mut t = LedgerRow::empty();
    for r in rows {
        t.claims += r.claims;
        t.claimed.add(r.claimed.people, r.claimed.amount);
        t.approved.add(r.approved.people, r.approved.amount);
        t.paid.add(r.paid.people, r.paid.amount);
        t.returned.add(r.returned.people, r.returned.amount);
    }
    t
}

pub mod edit;
pub use edit::{StandardEdit, StandardEditError};

#[cfg(test)]
mod tests;
