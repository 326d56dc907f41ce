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

pub mod format;
pub mod period;

use crate::domain::*;
use crate::service::Data;
use crate::stats::{Posts, Split};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

pub const GOAL_SUBSIDIZED: u64 = 80_000;
pub const GOAL_SKILLED: u64 = 60_000;
pub const GOAL_HIGH_SKILL: u64 = 15_000;
pub const GOAL_PER_10K: f64 = 1_200.0;
/// Published baseline, January 2024.
pub const BASELINE_SKILLED: u64 = 657_000;
pub const BASELINE_HIGH_SKILL: u64 = 226_300;
pub const PUBLISHED_PER_10K: f64 = 1_132.0;
/// 226,300 ÷ 1,132 × 10,000 ≈ 2.0 million workers.
pub const DEFAULT_LABOR_FORCE: u64 = 2_000_000;
/// The meta key of the labor-force setting.
pub const META_LABOR_FORCE: &str = "labor_force";
/// The skilled talents of the baseline are workers: the labor force holds them.
pub const MIN_LABOR_FORCE: u64 = BASELINE_SKILLED;
pub const MAX_LABOR_FORCE: u64 = 100_000_000;

/// What the figures depend on besides the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Workers in the city (for the per-10,000 figure).
    pub labor_force: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            labor_force: DEFAULT_LABOR_FORCE,
        }
    }
}

/// A labor-force value that is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "labor force '{value}' ({place}) is not accepted: expected a whole number of workers from \
     {MIN_LABOR_FORCE} to {MAX_LABOR_FORCE}, e.g. 2000000 (the article's baseline implies about 2.0 million)"
)]
pub struct SettingError {
    pub value: String,
    pub place: String,
}

impl Settings {
    /// Parse a labor force ("2000000", "2,000,000" or "2_000_000").
    pub fn parse_labor_force(text: &str, place: &str) -> Result<u64, SettingError> {
        let digits: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
        match digits.parse::<u64>() {
            Ok(n) if (MIN_LABOR_FORCE..=MAX_LABOR_FORCE).contains(&n) => Ok(n),
            _ => Err(SettingError {
                value: text.to_string(),
                place: place.to_string(),
            }),
        }
    }

    /// The settings kept in the database's meta tree (`None`: the default).
    pub fn from_meta(labor_force: Option<&str>, place: &str) -> Result<Settings, SettingError> {
        Ok(match labor_force {
            None => Settings::default(),
            Some(v) => Settings {
                labor_force: Self::parse_labor_force(v, place)?,
            },
        })
    }

    /// High-skill talents per 10,000 workers for a number of high-skill talents.
    pub fn per_10k(&self, high_skill: u64) -> f64 {
        high_skill as f64 * 10_000.0 / self.labor_force.max(1) as f64
    }

    /// The baseline's high-skill talents per 10,000 workers.
    pub fn baseline_per_10k(&self) -> f64 {
        self.per_10k(BASELINE_HIGH_SKILL)
    }
}

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
}

impl Row {
    fn new(id: u16, zh: &'static str, en: &'static str, figures: Pipeline) -> Row {
        Row {
            id,
            zh,
            en,
            figures,
            gap: figures.gap(),
            mark: figures.mark(),
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
    fn finish(&mut self) {
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
}

/// Enrollments and certifications of one week (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    pub start: NaiveDate,
    pub enrollments: u64,
    pub certifications: u64,
}

/// Whole-database counts, named as `skillbridge stats` names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub institutions: usize,
    pub enterprises: usize,
    pub demands: usize,
    pub demand_posts: Posts,
    pub classes: Split,
    pub seats: Split,
    pub seats_used: u64,
    pub trainees: usize,
    pub cases: usize,
    pub cases_by_state: BTreeMap<&'static str, u64>,
    /// Open technical-management posts (not a training trade: left out of `trades`).
    pub technical_management_posts_open: u64,
}

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
}

/// The alliance whose leading industry a trade's classes train for (`None`:
/// a trade every industry uses, or not one an alliance leads on).
pub fn trade_alliance(o: OccupationId) -> Option<AllianceId> {
    Some(AllianceId(match o.0 {
        // eyewear: optometric technician, spectacle lens fitter
        7 | 10 => 0,
        // marine engineering equipment: welder, hull assembler
        3 | 12 => 1,
        // digital skills: e-commerce specialist
        15 => 2,
        // electrical equipment and new energy: electrician
        5 => 3,
        // new materials: maintenance fitter (process plant upkeep)
        9 => 4,
        // aerospace parts: assembly fitter, lathe turner, milling machinist
        1 | 2 | 8 => 5,
        // semiconductors: chip fabrication worker
        14 => 6,
        // elder care: elder-care, infant-care and domestic service workers
        4 | 11 | 13 => 7,
        _ => return None,
    }))
}

/// The alliance a class counts for: a class built on demands counts for the
/// alliance most of their enterprises belong to; any other for its trade's.
pub fn class_alliance(data: &Data, class: &TrainingClass) -> Option<AllianceId> {
    let mut votes = [0u32; ALLIANCES.len()];
    for d in &class.linked_demands {
        let alliance = data
            .demands
            .get(d)
            .and_then(|d| data.enterprises.get(&d.enterprise))
            .and_then(|e| e.alliance);
        if let Some(a) = alliance
            && let Some(v) = votes.get_mut(a.0 as usize)
        {
            *v += 1;
        }
    }
    let best = votes
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .map(|(i, _)| AllianceId(i as u8));
    best.or_else(|| trade_alliance(class.occupation))
}

/// Where a class's cases count.
struct ClassInfo {
    occupation: usize,
    region: usize,
    program: usize,
    alliance: Option<usize>,
    institution: Option<usize>,
    subsidized: bool,
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

/// A hasher for record ids: they are already well spread, so one multiply
/// does (SipHash costs more than the rest of a case's counting).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

fn within(d: NaiveDate, first: NaiveDate, last: NaiveDate) -> bool {
    first <= d && d <= last
}

/// Compute every figure from the data, on a business date.
pub fn compute(data: &Data, settings: Settings, today: NaiveDate) -> Figures {
    let (p_first, p_last) = (period::start(), period::end());
    let quarter = Quarter::of(today);
    let (q_first, q_last) = period::quarter_bounds(quarter);
    // Events count up to the business date, inside the period.
    let p_upto = today.min(p_last);
    let q_upto = today.min(q_last);

    let mut trades = vec![Pipeline::default(); OCCUPATIONS.len()];
    let mut districts = vec![Pipeline::default(); REGIONS.len()];
    let mut programs = vec![Pipeline::default(); PROGRAMS.len()];
    let mut alliances = vec![Pipeline::default(); ALLIANCES.len()];

    // Demands a project-based class of a program is built on.
    let mut demand_programs: HashMap<DemandId, Vec<usize>> = HashMap::new();
    for c in data.classes.values() {
        for d in &c.linked_demands {
            let v = demand_programs.entry(*d).or_default();
            let p = c.program.0 as usize;
            if !v.contains(&p) {
                v.push(p);
            }
        }
    }

    let mut posts = Posts {
        skilled: 0,
        technical_management: 0,
    };
    let mut tm_open = 0u64;
    for d in data.demands.values() {
        match d.kind {
            PostKind::Skilled => posts.skilled += u64::from(d.headcount),
            PostKind::TechnicalManagement => posts.technical_management += u64::from(d.headcount),
        }
        let open = if d.status == DemandStatus::Open {
            u64::from(data.posts_open(d))
        } else {
            0
        };
        if open == 0 {
            continue;
        }
        let tm = d.kind == PostKind::TechnicalManagement;
        if tm {
            tm_open += open;
        }
        let bump = |p: &mut Pipeline| {
            if tm {
                p.tm_posts_open += open;
            } else {
                p.posts_open += open;
            }
        };
        if let Some(p) = trades.get_mut(d.occupation.0 as usize) {
            bump(p);
        }
        if let Some(p) = districts.get_mut(d.region.0 as usize) {
            bump(p);
        }
        let alliance = data.enterprises.get(&d.enterprise).and_then(|e| e.alliance);
        if let Some(p) = alliance.and_then(|a| alliances.get_mut(a.0 as usize)) {
            bump(p);
        }
        for i in demand_programs.get(&d.id).into_iter().flatten() {
            if let Some(p) = programs.get_mut(*i) {
                bump(p);
            }
        }
    }

    let mut institutions: Vec<InstitutionRow> = data
        .institutions
        .values()
        .map(|i| InstitutionRow {
            id: i.id.0,
            name: i.name.clone(),
            region: i.region,
            stars: i.stars,
            classes: 0,
            seats: 0,
            enrolled: 0,
            completion: Rate::default(),
            pass: Rate::default(),
            placement: Rate::default(),
        })
        .collect();
    let inst_index: HashMap<u64, usize> = institutions.iter().enumerate().map(|(i, r)| (r.id, i)).collect();

    let mut n_classes = Split { regular: 0, project: 0 };
    let mut seats = Split { regular: 0, project: 0 };
    let mut seats_used = 0u64;
    let mut info: IdMap<ClassId, ClassInfo> = IdMap::default();
    info.reserve(data.classes.len());
    for c in data.classes.values() {
        let cap = u64::from(c.capacity);
        if c.kind.is_regular() {
            n_classes.regular += 1;
            seats.regular += cap;
        } else {
            n_classes.project += 1;
            seats.project += cap;
        }
        seats_used += u64::from(data.seats_used.get(&c.id).copied().unwrap_or(0));
        let open = if c.status.accepts_enrollment() {
            u64::from(data.seats_left(c))
        } else {
            0
        };
        let ci = ClassInfo {
            occupation: c.occupation.0 as usize,
            region: c.region.0 as usize,
            program: c.program.0 as usize,
            alliance: class_alliance(data, c).map(|a| a.0 as usize),
            institution: inst_index.get(&c.institution.0).copied(),
            subsidized: matches!(c.kind, ClassKind::Subsidized | ClassKind::ProjectBased),
        };
        let bump = |p: &mut Pipeline| {
            p.classes += 1;
            p.seats += cap;
            p.seats_open += open;
        };
        for p in pipelines(&mut trades, &mut districts, &mut programs, &mut alliances, &ci) {
            bump(p);
        }
        if let Some(r) = ci.institution.and_then(|i| institutions.get_mut(i)) {
            r.classes += 1;
            r.seats += cap;
        }
        info.insert(c.id, ci);
    }

    let first_week = period::week_start(p_first);
    let mut weeks: Vec<Week> = Vec::new();
    if today >= p_first {
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
    let week_of = |d: NaiveDate| ((period::week_start(d) - first_week).num_days() / 7) as usize;

    let mut by_state = [0u64; StateKind::ALL.len()];
    let mut whole = Output::default();
    let mut this_quarter = Output::default();
    for case in data.cases.values() {
        let kind = case.state.kind();
        by_state[kind as usize] += 1;
        if within(case.opened, p_first, p_upto)
            && let Some(w) = weeks.get_mut(week_of(case.opened))
        {
            w.enrollments += 1;
        }
        if let Some(cert) = &case.certification
            && within(cert.date, p_first, p_upto)
        {
            if let Some(w) = weeks.get_mut(week_of(cert.date)) {
                w.certifications += 1;
            }
            whole.skilled.push(case.trainee);
            if cert.level.is_high_skill() {
                whole.high_skill.push(case.trainee);
            }
            if within(cert.date, q_first, q_upto) {
                this_quarter.skilled.push(case.trainee);
                if cert.level.is_high_skill() {
                    this_quarter.high_skill.push(case.trainee);
                }
            }
        }
        let Some(ci) = info.get(&case.class) else {
            continue;
        };
        let holds_seat = case.state.holds_seat();
        if ci.subsidized && holds_seat && within(case.opened, p_first, p_upto) {
            whole.subsidized += 1;
            if within(case.opened, q_first, q_upto) {
                this_quarter.subsidized += 1;
            }
        }
        let in_training = matches!(
            kind,
            StateKind::Enrolled | StateKind::InTraining | StateKind::AwaitingEvaluation
        );
        let certified = case.certification.is_some();
        let waiting = matches!(kind, StateKind::Certified | StateKind::NotHired);
        let employed = kind == StateKind::Employed;
        let bump = |p: &mut Pipeline| {
            p.enrolled += u64::from(holds_seat);
            p.in_training += u64::from(in_training);
            p.certified += u64::from(certified);
            p.waiting += u64::from(waiting);
            p.employed += u64::from(employed);
        };
        for p in pipelines(&mut trades, &mut districts, &mut programs, &mut alliances, ci) {
            bump(p);
        }
        if let Some(r) = ci.institution.and_then(|i| institutions.get_mut(i)) {
            r.enrolled += u64::from(holds_seat);
            let finished = matches!(
                kind,
                StateKind::AwaitingEvaluation
                    | StateKind::Certified
                    | StateKind::NotCertified
                    | StateKind::Referred
                    | StateKind::NotHired
                    | StateKind::Employed
            ) || (kind == StateKind::Withdrawn && certified);
            let dropped = kind == StateKind::Withdrawn && !certified;
            r.completion.num += u64::from(finished);
            r.completion.den += u64::from(finished || dropped);
            r.pass.num += u64::from(certified);
            r.pass.den += u64::from(certified || kind == StateKind::NotCertified);
            r.placement.num += u64::from(employed);
            r.placement.den += u64::from(certified);
        }
    }
    for r in &mut institutions {
        r.completion.finish();
        r.pass.finish();
        r.placement.finish();
    }
    institutions.sort_by_key(|r| (std::cmp::Reverse(r.stars), r.id));

    let (subsidized, q_subsidized) = (whole.subsidized, this_quarter.subsidized);
    let (skilled, high_skill) = (distinct(whole.skilled), distinct(whole.high_skill));
    let (q_skilled, q_high_skill) = (distinct(this_quarter.skilled), distinct(this_quarter.high_skill));
    let elapsed = period::elapsed(p_first, p_last, today);
    let q_elapsed = period::elapsed(q_first, q_last, today);
    let base_rate = settings.baseline_per_10k();
    let quarters = f64::from(period::QUARTERS);
    let targets = Targets {
        subsidized_trainings: Target::new(GOAL_SUBSIDIZED as f64, 0.0, subsidized as f64, elapsed),
        skilled_talents: Target::new(GOAL_SKILLED as f64, 0.0, skilled as f64, elapsed),
        high_skill_talents: Target::new(GOAL_HIGH_SKILL as f64, 0.0, high_skill as f64, elapsed),
        high_skill_per_10k: Target::new(
            GOAL_PER_10K,
            base_rate,
            settings.per_10k(BASELINE_HIGH_SKILL + high_skill),
            elapsed,
        ),
    };
    let quarter_targets = Targets {
        subsidized_trainings: Target::new(GOAL_SUBSIDIZED as f64 / quarters, 0.0, q_subsidized as f64, q_elapsed),
        skilled_talents: Target::new(GOAL_SKILLED as f64 / quarters, 0.0, q_skilled as f64, q_elapsed),
        high_skill_talents: Target::new(GOAL_HIGH_SKILL as f64 / quarters, 0.0, q_high_skill as f64, q_elapsed),
        high_skill_per_10k: Target::new(
            ((GOAL_PER_10K - base_rate) / quarters).max(0.0),
            0.0,
            settings.per_10k(q_high_skill),
            q_elapsed,
        ),
    };

    let mut trade_rows: Vec<Row> = OCCUPATIONS
        .iter()
        .filter(|o| o.kind == PostKind::Skilled)
        .map(|o| Row::new(o.id.0, o.zh, o.en, trades[o.id.0 as usize]))
        .collect();
    trade_rows.sort_by_key(|r| (std::cmp::Reverse(r.gap), std::cmp::Reverse(r.figures.posts_open), r.id));

    Figures {
        as_of: today,
        basis: Basis {
            labor_force: settings.labor_force,
            baseline_skilled: BASELINE_SKILLED,
            baseline_high_skill: BASELINE_HIGH_SKILL,
            baseline_per_10k: base_rate,
            published_per_10k: PUBLISHED_PER_10K,
        },
        period: Span {
            start: p_first,
            end: p_last,
            elapsed,
        },
        targets,
        quarter: QuarterFigures {
            quarter: quarter.to_string(),
            span: Span {
                start: q_first,
                end: q_last,
                elapsed: q_elapsed,
            },
            targets: quarter_targets,
        },
        trades: trade_rows,
        districts: REGIONS
            .iter()
            .map(|r| Row::new(u16::from(r.id.0), r.zh, r.en, districts[r.id.0 as usize]))
            .collect(),
        programs: PROGRAMS
            .iter()
            .map(|p| Row::new(u16::from(p.id.0), p.zh, p.en, programs[p.id.0 as usize]))
            .collect(),
        alliances: ALLIANCES
            .iter()
            .map(|a| Row::new(u16::from(a.id.0), a.zh, a.en, alliances[a.id.0 as usize]))
            .collect(),
        institutions,
        weeks,
        totals: Totals {
            institutions: data.institutions.len(),
            enterprises: data.enterprises.len(),
            demands: data.demands.len(),
            demand_posts: posts,
            classes: n_classes,
            seats,
            seats_used,
            trainees: data.trainees.len(),
            cases: data.cases.len(),
            cases_by_state: StateKind::ALL
                .iter()
                .map(|k| (k.name(), by_state[*k as usize]))
                .collect(),
            technical_management_posts_open: tm_open,
        },
    }
}

/// The breakdown rows a class (and its cases) count in.
fn pipelines<'a>(
    trades: &'a mut [Pipeline],
    districts: &'a mut [Pipeline],
    programs: &'a mut [Pipeline],
    alliances: &'a mut [Pipeline],
    ci: &ClassInfo,
) -> impl Iterator<Item = &'a mut Pipeline> {
    let alliance = match ci.alliance {
        Some(a) => alliances.get_mut(a),
        None => None,
    };
    [
        trades.get_mut(ci.occupation),
        districts.get_mut(ci.region),
        programs.get_mut(ci.program),
        alliance,
    ]
    .into_iter()
    .flatten()
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

    #[test]
    fn the_default_labor_force_reproduces_the_published_rate() {
        let s = Settings::default();
        assert_eq!(s.baseline_per_10k(), 1_131.5);
        assert_eq!(s.baseline_per_10k().round(), PUBLISHED_PER_10K);
    }

    #[test]
    fn labor_force_parsing_accepts_separators_and_names_the_range() {
        assert_eq!(Settings::parse_labor_force("2,100,000", "x"), Ok(2_100_000));
        assert_eq!(Settings::parse_labor_force(" 2_000_000 ", "x"), Ok(2_000_000));
        let e = Settings::parse_labor_force("2e6", "--labor-force").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("'2e6'") && msg.contains("--labor-force"), "{msg}");
        assert!(msg.contains("657000 to 100000000"), "{msg}");
        assert!(Settings::parse_labor_force("1000", "x").is_err());
        assert_eq!(
            Settings::from_meta(None, "x"),
            Ok(Settings {
                labor_force: DEFAULT_LABOR_FORCE
            })
        );
        assert!(Settings::from_meta(Some("lots"), "meta").is_err());
    }

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

    #[test]
    fn state_kinds_index_their_own_counter() {
        for (i, k) in StateKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k:?}");
        }
    }

    #[test]
    fn every_training_trade_with_an_alliance_names_a_real_one() {
        for o in OCCUPATIONS.iter() {
            if let Some(a) = trade_alliance(o.id) {
                assert!(a.get().is_some(), "{}", o.zh);
            }
        }
        assert_eq!(trade_alliance(OccupationId(7)), Some(AllianceId(0)));
        assert_eq!(trade_alliance(OccupationId(0)), None);
    }
}
