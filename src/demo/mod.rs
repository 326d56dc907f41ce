//! The demo city: a deterministic, synthetic Zhenjiang built from the
//! article's published aggregates (8 regions, 30 institutions, 611
//! technical-management and 1,345 skilled posts, a training menu of 3,607
//! regular seats for Aug–Dec 2025, 3 project-based classes of 102 seats on 88
//! posts of 12 enterprises). Every person, firm and school in it is invented.

mod aftercare;
mod any_city;
mod city;
mod names;
mod subsidy;
mod tables;
mod wishes;

use crate::domain::*;
use crate::rng::Rng;
use crate::store::bulk::BulkWriter;
use crate::store::{DemandUsage, Result, Store};
use chrono::{Duration, NaiveDate};
use city::{Gen, date, regular_class, status_on};
use std::collections::{HashMap, HashSet};
use tables::*;

pub use any_city::build_any;

/// About one trainee per planned seat (3,607 regular + 102 project).
pub const DEFAULT_TRAINEES: usize = 3_709;
pub const DEFAULT_SEED: u64 = 20250815;
pub const REGULAR_SEATS: u32 = 3_607;
pub const SKILLED_POSTS: u32 = 1_345;
pub const TECH_MGMT_POSTS: u32 = 611;
pub const INSTITUTIONS: usize = 30;
/// The seats of the spring cohort's two classes, beyond the published menu
/// (their trainees' follow-ups are due on the demo's date).
pub const SPRING_SEATS: u32 = aftercare::SEATS;

/// The demo's simulated "today": mid-way through the published menu.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default()
}

/// The meta key of a database's simulated business date (a demo's).
pub use crate::store::META_AS_OF;
/// The meta key that marks a demo database.
pub const META_DEMO: &str = "demo";
pub const OPERATOR: &str = "demo";

#[derive(Debug, Clone)]
pub struct Options {
    pub trainees: usize,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            trainees: DEFAULT_TRAINEES,
            seed: DEFAULT_SEED,
        }
    }
}

/// Build the demo city into an empty store.
pub fn build(store: &Store, opts: &Options) -> Result<()> {
    let mut clock = Phases::start();
    let today = as_of();
    let mut g = Gen {
        rng: Rng(opts.seed),
        w: BulkWriter::new(store),
        today,
        ids: HashSet::new(),
        mobiles: HashSet::new(),
        demands: Vec::new(),
        usage: HashMap::new(),
        cert_seq: 0,
        book: Default::default(),
    };

    // Institutions: 30, star ratings weighted towards the middle.
    let stars_pool = [
        5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 3,
    ];
    let mut institutions = Vec::new();
    let mut inst_names = HashSet::new();
    for (i, stars) in stars_pool.iter().enumerate() {
        let region = RegionId((i % 8) as u8);
        let name = loop {
            let n = format!(
                "{}{}{}{}",
                region.get().map(|r| r.short_zh).unwrap_or(""),
                g.rng.pick(names::FIRM_WORDS),
                g.rng.pick(names::FIRM_WORDS),
                g.rng.pick(names::INSTITUTION_STEMS)
            );
            if inst_names.insert(n.clone()) {
                break n;
            }
        };
        let inst = Institution {
            id: InstitutionId(g.id()?),
            name,
            region,
            stars: *stars,
        };
        g.w.put(&inst)?;
        institutions.push(inst);
    }

    // Enterprises: one of each industry first, then spread.
    let mut enterprises: Vec<Enterprise> = Vec::new();
    let mut ent_names = HashSet::new();
    let mut ent_industry: HashMap<EnterpriseId, Industry> = HashMap::new();
    for i in 0..120 {
        let industry = if i < Industry::ALL.len() * 2 {
            Industry::ALL[i % Industry::ALL.len()]
        } else {
            *g.rng.pick(&Industry::ALL)
        };
        let region = RegionId(*g.rng.pick(industry.regions()));
        let name = loop {
            let n = format!(
                "{}{}{}{}",
                region.get().map(|r| r.short_zh).unwrap_or(""),
                g.rng.pick(names::FIRM_WORDS),
                g.rng.pick(names::FIRM_WORDS),
                industry.suffix()
            );
            if ent_names.insert(n.clone()) {
                break n;
            }
        };
        let e = Enterprise {
            id: EnterpriseId(g.id()?),
            name,
            region,
            industry: industry.zh().to_string(),
            alliance: industry.alliance(),
        };
        ent_industry.insert(e.id, industry);
        g.w.put(&e)?;
        enterprises.push(e);
    }
    let firms_in = |inds: &[Industry]| -> Vec<usize> {
        enterprises
            .iter()
            .enumerate()
            .filter(|(_, e)| ent_industry.get(&e.id).is_some_and(|i| inds.contains(i)))
            .map(|(i, _)| i)
            .collect()
    };

    // Project-based demands first: 12 distinct enterprises, 88 posts.
    let mut used_firms: HashSet<usize> = HashSet::new();
    let mut project_links: Vec<Vec<DemandId>> = Vec::new();
    let mut project_posts: HashMap<u16, u32> = HashMap::new();
    for plan in &PROJECTS {
        let mut links = Vec::new();
        let pool: Vec<usize> = firms_in(plan.industries)
            .into_iter()
            .filter(|i| !used_firms.contains(i))
            .collect();
        for (k, posts) in plan.posts.iter().enumerate() {
            let fi = pool
                .get(k)
                .copied()
                .unwrap_or_else(|| (0..enterprises.len()).find(|i| !used_firms.contains(i)).unwrap_or(0));
            used_firms.insert(fi);
            let e = &enterprises[fi];
            let occ = OccupationId(plan.occ);
            let min = wage_base(plan.occ) + 100 * g.rng.range(0, 15);
            let d = JobDemand {
                id: DemandId(g.id()?),
                external_id: None,
                enterprise: e.id,
                occupation: occ,
                region: e.region,
                kind: PostKind::Skilled,
                headcount: *posts,
                wage_min: min,
                wage_max: min + 100 * g.rng.range(10, 30),
                min_level: Some(SkillLevel::L5),
                posted: date(2025, 7, g.rng.range(1, 31)),
                status: DemandStatus::Open,
            };
            links.push(d.id);
            *project_posts.entry(plan.occ).or_default() += posts;
            g.demands.push(d);
        }
        project_links.push(links);
    }

    // The rest of the demands, trade by trade, to the article's totals.
    for (occ, total) in SKILLED_SPLIT.iter().chain(TM_SPLIT.iter()) {
        let mut left = total - project_posts.get(occ).copied().unwrap_or(0);
        let o = OccupationId(*occ);
        let kind = o.get().map(|o| o.kind).unwrap_or(PostKind::Skilled);
        let pool = firms_in(industries_for(*occ));
        while left > 0 {
            let n = g.rng.range(1, 12).min(left);
            left -= n;
            let e = &enterprises[*g.rng.pick(&pool)];
            let min = wage_base(*occ) + 100 * g.rng.range(0, 15);
            let min_level = if kind == PostKind::TechnicalManagement {
                None
            } else {
                match g.rng.below(20) {
                    0..=9 => None,
                    10..=15 => Some(SkillLevel::L5),
                    16..=18 => Some(SkillLevel::L4),
                    _ => Some(SkillLevel::L3),
                }
            };
            g.demands.push(JobDemand {
                id: DemandId(g.id()?),
                external_id: None,
                enterprise: e.id,
                occupation: o,
                region: e.region,
                kind,
                headcount: n,
                wage_min: min,
                wage_max: min + 100 * g.rng.range(10, 40),
                min_level,
                posted: date(2025, *g.rng.pick(&[6, 7, 8]), g.rng.range(1, 28)),
                status: DemandStatus::Open,
            });
        }
    }

    // The training menu: regular classes to 3,607 seats, Aug–Dec 2025.
    let mut classes: Vec<TrainingClass> = Vec::new();
    let weights: Vec<u32> = CLASS_TRADES.iter().map(|(_, w)| *w).collect();
    let mut left = REGULAR_SEATS;
    while left > 0 {
        let mut cap = g.rng.range(20, 60).min(left);
        if left - cap < 15 {
            cap = left;
        }
        left -= cap;
        let occ = OccupationId(CLASS_TRADES[g.rng.weighted(&weights)].0);
        let start = date(2025, 8, 1) + Duration::days(g.rng.below(137) as i64);
        let end = start + Duration::days(g.rng.range(21, 56) as i64);
        classes.push(regular_class(&mut g, &institutions, occ, start, end, cap)?);
    }
    // Every program appears on the menu.
    for p in 0..8u8 {
        if !classes.iter().any(|c| c.program == ProgramId(p)) {
            let i = g.rng.below(classes.len() as u64) as usize;
            classes[i].program = ProgramId(p);
        }
    }
    // Project-based classes on their linked demands.
    for (plan, links) in PROJECTS.iter().zip(project_links) {
        let occ = OccupationId(plan.occ);
        let inst = &institutions[g.rng.below(institutions.len() as u64) as usize];
        let start = date(2025, plan.start.0, plan.start.1);
        let end = date(2025, plan.end.0, plan.end.1);
        classes.push(TrainingClass {
            id: ClassId(g.id()?),
            name: format!("{}项目化培训班（四位一体）", occ.zh()),
            institution: inst.id,
            occupation: occ,
            region: inst.region,
            kind: ClassKind::ProjectBased,
            program: ProgramId(plan.program),
            quarter: Quarter::of(start),
            start,
            end,
            capacity: plan.seats,
            target_level: SkillLevel::L4,
            linked_demands: links,
            status: status_on(start, end, today),
        });
    }

    // A larger city (--trainees beyond the default) gets earlier classes of
    // 2025 H1 so that most trainees have a case.
    let fill_of = |s: ClassStatus| match s {
        ClassStatus::Finished => 0.9,
        ClassStatus::Running => 0.88,
        ClassStatus::Open => 0.55,
        _ => 0.25,
    };
    // The published menu itself never changes: only trainees beyond the
    // default get extra classes.
    if opts.trainees > DEFAULT_TRAINEES {
        let mut extra = ((opts.trainees - DEFAULT_TRAINEES) as f64 * 0.8 / 0.9) as i64;
        while extra > 0 {
            let cap = g.rng.range(30, 60);
            extra -= i64::from(cap);
            let occ = OccupationId(CLASS_TRADES[g.rng.weighted(&weights)].0);
            let start = date(2025, 1, 6) + Duration::days(g.rng.below(150) as i64);
            let end = start + Duration::days(g.rng.range(21, 56) as i64);
            classes.push(regular_class(&mut g, &institutions, occ, start, end, cap)?);
        }
    }
    let planned: f64 = classes.iter().map(|c| fill_of(c.status) * f64::from(c.capacity)).sum();
    let scale = (opts.trainees as f64 * 0.85 / planned.max(1.0)).min(1.0);

    // Trainees with their cases, class by class (finished classes first so
    // their referrals see the demands free).
    classes.sort_by_key(|c| (c.start, c.id));
    let mut made = 0usize;
    for class in &classes {
        let f = fill_of(class.status) * scale;
        let jitter = 0.85 + 0.3 * (g.rng.below(1000) as f64 / 1000.0);
        let n = ((f64::from(class.capacity) * f * jitter).round() as u32).min(class.capacity) as usize;
        let n = n.min(opts.trainees.saturating_sub(made));
        let mut seats = 0u32;
        for _ in 0..n {
            let mut wanted = vec![class.occupation];
            if g.rng.chance(0.3) {
                let other = OccupationId(CLASS_TRADES[g.rng.below(16) as usize].0);
                if other != class.occupation {
                    wanted.push(other);
                }
            }
            let region = if g.rng.chance(0.7) {
                class.region
            } else {
                RegionId(g.rng.below(8) as u8)
            };
            let created = (class.start - Duration::days(g.rng.range(5, 30) as i64)).min(today);
            let t = g.person(region, wanted, created)?;
            g.put_trainee(&t)?;
            g.case(&t, class)?;
            seats += 1;
            made += 1;
        }
        // Withdrawn cases free their seat: count only those that hold one.
        let _ = seats;
    }
    // Waiting list: trainees with no class yet (less the spring cohort's).
    let cohort = aftercare::reserve(opts.trainees.saturating_sub(made));
    while made + cohort < opts.trainees {
        let occ = OccupationId(CLASS_TRADES[g.rng.below(16) as usize].0);
        let region = RegionId(g.rng.below(8) as u8);
        let created = date(2025, 9, 1) + Duration::days(g.rng.below(44) as i64);
        let t = g.person(region, vec![occ], created)?;
        g.put_trainee(&t)?;
        made += 1;
    }
    // The spring cohort, whose follow-ups are due (#18).
    aftercare::spring_cohort(&mut g, opts.seed, &institutions, &mut classes, cohort)?;

    // Demands' status and usage; classes with their seat counters.
    for d in &mut g.demands {
        let u = g.usage.get(&d.id).copied().unwrap_or_default();
        if u.hired >= d.headcount {
            d.status = DemandStatus::Filled;
        }
    }
    let demands = std::mem::take(&mut g.demands);
    for d in &demands {
        g.w.put(d)?;
        let u = g.usage.get(&d.id).copied().unwrap_or_default();
        if u != DemandUsage::default() {
            g.w.set_demand_usage(d.id, u)?;
        }
    }
    for c in &classes {
        g.w.put(c)?;
    }
    g.w.finish()?;
    clock.done("people, cases and events written");
    // Seat counters from the cases written (withdrawn cases hold none),
    // counted from the book: no case is read back.
    let mut w = BulkWriter::new(store);
    for (class, n) in g.book.seats() {
        w.set_seats_used(class, n)?;
    }
    w.finish()?;
    // People's training wishes (#25), in their own trees.
    clock.done("seat counters");
    wishes::build(store, &mut g.rng, &mut g.mobiles, today, &g.book, &classes)?;
    clock.done("wishes");
    store.set_meta(META_AS_OF, &today.to_string())?;
    // Training-subsidy claims in every state (#21).
    subsidy::build(store, today, &classes, &g.book)?;
    clock.done("subsidy claims");
    store.set_meta(
        META_DEMO,
        &format!(
            "synthetic demo city (seed {}, {} trainees): every person, firm and school is invented",
            opts.seed, opts.trainees
        ),
    )?;
    Ok(())
}

/// `SKILLBRIDGE_TIMING=1` prints how long each step of the build took.
struct Phases {
    on: bool,
    last: std::time::Instant,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            on: std::env::var_os("SKILLBRIDGE_TIMING").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn done(&mut self, what: &str) {
        if self.on {
            eprintln!("demo build: {what} in {:?}", self.last.elapsed());
        }
        self.last = std::time::Instant::now();
    }
}
