//! The demo city: a deterministic, synthetic Zhenjiang built from the
//! article's published aggregates (8 regions, 30 institutions, 611
//! technical-management and 1,345 skilled posts, a training menu of 3,607
//! regular seats for Aug–Dec 2025, 3 project-based classes of 102 seats on 88
//! posts of 12 enterprises). Every person, firm and school in it is invented.

mod names;

use crate::domain::*;
use crate::store::bulk::BulkWriter;
use crate::store::{DemandUsage, Result, Store};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{HashMap, HashSet};

/// About one trainee per planned seat (3,607 regular + 102 project).
pub const DEFAULT_TRAINEES: usize = 3_709;
pub const DEFAULT_SEED: u64 = 20250815;
pub const REGULAR_SEATS: u32 = 3_607;
pub const SKILLED_POSTS: u32 = 1_345;
pub const TECH_MGMT_POSTS: u32 = 611;
pub const INSTITUTIONS: usize = 30;

/// The demo's simulated "today": mid-way through the published menu.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap_or_default()
}

/// The meta key that marks a demo database and its simulated date.
pub const META_AS_OF: &str = "demo_as_of";
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

use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Industry {
    Eyewear,
    Electrical,
    NewEnergy,
    NewMaterials,
    Aerospace,
    Biomedicine,
    Marine,
    Semiconductor,
    Software,
    Commerce,
    Logistics,
    Machinery,
    AutoParts,
    ElderCare,
    Agriculture,
    Tourism,
}

use Industry as In;

impl Industry {
    const ALL: [Industry; 16] = [
        In::Eyewear,
        In::Electrical,
        In::NewEnergy,
        In::NewMaterials,
        In::Aerospace,
        In::Biomedicine,
        In::Marine,
        In::Semiconductor,
        In::Software,
        In::Commerce,
        In::Logistics,
        In::Machinery,
        In::AutoParts,
        In::ElderCare,
        In::Agriculture,
        In::Tourism,
    ];
    fn zh(self) -> &'static str {
        match self {
            In::Eyewear => "眼镜制造",
            In::Electrical => "电力装备",
            In::NewEnergy => "新能源",
            In::NewMaterials => "新材料",
            In::Aerospace => "航空航天零部件",
            In::Biomedicine => "生物医药",
            In::Marine => "船舶海工",
            In::Semiconductor => "半导体",
            In::Software => "软件信息",
            In::Commerce => "商贸服务",
            In::Logistics => "物流",
            In::Machinery => "机械制造",
            In::AutoParts => "汽车零部件",
            In::ElderCare => "养老服务",
            In::Agriculture => "现代农业",
            In::Tourism => "文旅",
        }
    }
    fn suffix(self) -> &'static str {
        match self {
            In::Eyewear => "光学眼镜有限公司",
            In::Electrical => "电气有限公司",
            In::NewEnergy => "新能源科技有限公司",
            In::NewMaterials => "新材料有限公司",
            In::Aerospace => "航空部件有限公司",
            In::Biomedicine => "生物医药有限公司",
            In::Marine => "船舶重工有限公司",
            In::Semiconductor => "半导体有限公司",
            In::Software => "信息技术有限公司",
            In::Commerce => "商贸有限公司",
            In::Logistics => "物流有限公司",
            In::Machinery => "机械有限公司",
            In::AutoParts => "汽车部件有限公司",
            In::ElderCare => "颐养院",
            In::Agriculture => "农业发展有限公司",
            In::Tourism => "文旅发展有限公司",
        }
    }
    fn alliance(self) -> Option<AllianceId> {
        Some(AllianceId(match self {
            In::Eyewear => 0,
            In::Marine => 1,
            In::Software => 2,
            In::Electrical | In::NewEnergy => 3,
            In::NewMaterials => 4,
            In::Aerospace => 5,
            In::Semiconductor => 6,
            In::ElderCare => 7,
            _ => return None,
        }))
    }
    /// Where such firms sit (region ids).
    fn regions(self) -> &'static [u8] {
        match self {
            In::Eyewear => &[3],
            In::Electrical => &[4, 4, 6],
            In::NewEnergy => &[6, 4],
            In::NewMaterials | In::Aerospace | In::Biomedicine => &[6],
            In::Marine | In::Semiconductor => &[7],
            In::Software => &[0, 7, 1],
            In::Commerce | In::Logistics => &[0, 1, 2],
            In::Machinery | In::AutoParts => &[2, 3, 6, 5],
            In::ElderCare => &[0, 1, 2, 3, 4, 5, 6, 7],
            In::Agriculture | In::Tourism => &[5, 2],
        }
    }
}

/// Industries that post demands for an occupation.
fn industries_for(occ: u16) -> &'static [Industry] {
    const MANUFACTURING: &[Industry] = &[
        In::Eyewear,
        In::Electrical,
        In::NewEnergy,
        In::NewMaterials,
        In::Aerospace,
        In::Biomedicine,
        In::Marine,
        In::Semiconductor,
        In::Machinery,
        In::AutoParts,
    ];
    match occ {
        0 => MANUFACTURING,
        1 => &[In::Machinery, In::AutoParts, In::Electrical, In::Aerospace, In::Marine],
        2 | 8 => &[In::Machinery, In::AutoParts, In::Aerospace, In::Electrical],
        3 => &[In::Marine, In::Machinery, In::Electrical, In::NewEnergy],
        4 | 11 | 13 => &[In::ElderCare],
        5 => &[In::Electrical, In::NewEnergy, In::Logistics, In::Machinery],
        6 => &[In::Commerce, In::Tourism, In::ElderCare],
        7 | 10 => &[In::Eyewear],
        9 => &[In::Machinery, In::NewMaterials, In::Biomedicine],
        12 => &[In::Marine],
        14 => &[In::Semiconductor],
        15 => &[In::Software, In::Agriculture, In::Eyewear, In::Commerce],
        _ => &[
            In::Machinery,
            In::Electrical,
            In::NewEnergy,
            In::Aerospace,
            In::Marine,
            In::Semiconductor,
            In::Software,
            In::Biomedicine,
        ],
    }
}

fn wage_base(occ: u16) -> u32 {
    match occ {
        0 | 4 | 10 => 4_500,
        6 | 7 | 15 => 5_000,
        1 => 5_500,
        2 | 5 | 8 | 9 | 11 | 14 => 6_000,
        3 | 12 => 6_500,
        13 => 4_200,
        _ => 8_000,
    }
}

fn program_for(rng: &mut Rng, occ: u16) -> ProgramId {
    if rng.chance(0.2) {
        return ProgramId(0);
    }
    ProgramId(match occ {
        4 | 11 | 13 => *rng.pick(&[7, 7, 4]),
        6 => 4,
        15 => *rng.pick(&[6, 5]),
        7 | 10 => 3,
        14 => 2,
        12 => 1,
        _ => *rng.pick(&[1, 3, 2]),
    })
}

/// Skilled posts per trade: the five most demanded first, as the article ranks them.
const SKILLED_SPLIT: [(u16, u32); 16] = [
    (0, 330),
    (1, 190),
    (2, 160),
    (3, 150),
    (4, 130),
    (5, 35),
    (6, 35),
    (7, 35),
    (8, 35),
    (9, 35),
    (10, 35),
    (11, 35),
    (12, 35),
    (13, 35),
    (14, 35),
    (15, 35),
];
const TM_SPLIT: [(u16, u32); 4] = [(16, 180), (17, 160), (18, 140), (19, 131)];

/// Class trades and their weights on the menu.
const CLASS_TRADES: [(u16, u32); 16] = [
    (0, 14),
    (1, 12),
    (2, 10),
    (3, 12),
    (4, 12),
    (5, 8),
    (6, 5),
    (7, 4),
    (8, 4),
    (9, 4),
    (10, 3),
    (11, 4),
    (12, 3),
    (13, 4),
    (14, 3),
    (15, 6),
];

/// The 3 project-based classes: trade, seats, start, end, and the posts of
/// their linked demands per enterprise (12 enterprises, 88 posts).
struct ProjectPlan {
    occ: u16,
    seats: u32,
    start: (u32, u32),
    end: (u32, u32),
    program: u8,
    posts: &'static [u32],
    industries: &'static [Industry],
}

const PROJECTS: [ProjectPlan; 3] = [
    ProjectPlan {
        occ: 3,
        seats: 36,
        start: (8, 18),
        end: (9, 30),
        program: 1,
        posts: &[8, 7, 6, 5, 4],
        industries: &[In::Marine, In::Machinery, In::Electrical, In::NewEnergy],
    },
    ProjectPlan {
        occ: 1,
        seats: 34,
        start: (9, 15),
        end: (11, 15),
        program: 1,
        posts: &[9, 8, 6, 5],
        industries: &[In::Machinery, In::AutoParts, In::Aerospace, In::Electrical],
    },
    ProjectPlan {
        occ: 4,
        seats: 32,
        start: (11, 3),
        end: (12, 20),
        program: 7,
        posts: &[12, 10, 8],
        industries: &[In::ElderCare],
    },
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn status_on(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> ClassStatus {
    if end < today {
        ClassStatus::Finished
    } else if start <= today {
        ClassStatus::Running
    } else if (start - today).num_days() <= 30 {
        ClassStatus::Open
    } else {
        ClassStatus::Planned
    }
}

fn unix(d: NaiveDate, minute: u32) -> i64 {
    d.and_hms_opt(9 + minute / 60 % 8, minute % 60, 0)
        .map(|t| t.and_utc().timestamp() - 8 * 3600)
        .unwrap_or(0)
}

struct Gen<'a> {
    rng: Rng,
    w: BulkWriter<'a>,
    today: NaiveDate,
    ids: HashSet<String>,
    mobiles: HashSet<String>,
    demands: Vec<JobDemand>,
    usage: HashMap<DemandId, DemandUsage>,
    cert_seq: u32,
}

impl Gen<'_> {
    fn id(&self) -> Result<u64> {
        self.w.new_id()
    }

    fn person(&mut self, region: RegionId, wanted: Vec<OccupationId>, created: NaiveDate) -> Result<Trainee> {
        let male = self.rng.chance(0.55);
        let surname = *self.rng.pick(names::SURNAMES);
        let given = if male {
            *self.rng.pick(names::GIVEN_MALE)
        } else {
            *self.rng.pick(names::GIVEN_FEMALE)
        };
        let age = self.rng.range(18, 58) as i32;
        let key_group = match self.rng.below(10) {
            0..=3 => None,
            4 if age <= 25 => Some(0),
            4..=6 => Some(1),
            7 => Some(2),
            8 => Some(3),
            _ => Some(self.rng.range(4, 5) as usize),
        };
        let address = match self.rng.below(10) {
            // Locals: the district's own code (the two zones use a parent district's).
            0..=5 => {
                let r = region.get().map(|r| r.code).unwrap_or("321102");
                if r.starts_with("ZJ") || r == "321171" {
                    "321102"
                } else {
                    r
                }
            }
            // An abolished code (丹徒县) still on old cards.
            6 => "321121",
            // Rural migrants from elsewhere in Jiangsu and from Anhui.
            7 => *self.rng.pick(&["320830", "321324", "320722", "321283"]),
            _ => *self.rng.pick(&["341221", "341125", "342422", "411527"]),
        };
        let id_number = loop {
            let birth = date(self.today.year() - age, 1, 1) + Duration::days(self.rng.below(365) as i64);
            let mut seq = self.rng.range(0, 999) as u16;
            // 17th digit: odd for men, even for women.
            if (seq % 2 == 1) != male {
                seq = if seq == 999 { 998 } else { seq + 1 };
            }
            if let Some(n) = IdNumber::from_parts(address, birth, seq)
                && self.ids.insert(n.as_str().to_string())
            {
                break n;
            }
        };
        let mobile = if self.rng.chance(0.92) {
            loop {
                let prefix = *self.rng.pick(&[
                    "139", "138", "137", "136", "135", "158", "159", "187", "188", "151", "152", "177", "180", "189",
                    "199",
                ]);
                let m = format!("{prefix}{:08}", self.rng.below(100_000_000));
                if self.mobiles.insert(m.clone()) {
                    break Mobile::parse(&m).ok();
                }
            }
        } else {
            None
        };
        Ok(Trainee {
            id: TraineeId(self.id()?),
            name: format!("{surname}{given}").into(),
            id_number,
            mobile,
            key_group: key_group.map(|i| catalog::DEFAULT_KEY_GROUPS[i].0.into()),
            region,
            wanted: wanted.into(),
            created,
        })
    }

    /// Pick a demand that can take a referral for this case.
    fn demand_for(&mut self, class: &TrainingClass, level: SkillLevel) -> Option<DemandId> {
        let fits = |d: &JobDemand, usage: &HashMap<DemandId, DemandUsage>| {
            d.status == DemandStatus::Open
                && class.occupation.relation_to(d.occupation).is_some()
                && d.min_level.is_none_or(|m| level.meets(m))
                && usage.get(&d.id).copied().unwrap_or_default().taken() < d.headcount
        };
        if let Some(d) = class
            .linked_demands
            .iter()
            .filter_map(|id| self.demands.iter().find(|d| d.id == *id))
            .find(|d| fits(d, &self.usage))
        {
            return Some(d.id);
        }
        let candidates: Vec<DemandId> = self
            .demands
            .iter()
            .filter(|d| fits(d, &self.usage))
            .map(|d| d.id)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        // Same district first, as an operator would.
        let local: Vec<DemandId> = candidates
            .iter()
            .copied()
            .filter(|id| self.demands.iter().any(|d| d.id == *id && d.region == class.region))
            .collect();
        let pool = if local.is_empty() || self.rng.chance(0.3) {
            &candidates
        } else {
            &local
        };
        Some(*self.rng.pick(pool))
    }

    /// Write one case with a legal event chain ending where the class's
    /// status and chance put it.
    fn case(&mut self, trainee: &Trainee, class: &TrainingClass) -> Result<()> {
        let case_id = CaseId(self.id()?);
        let enrolled_on = (class.start - Duration::days(self.rng.range(3, 25) as i64)).min(self.today);
        let mut steps: Vec<(NaiveDate, Move)> = Vec::new();
        let clamp = |d: NaiveDate, today: NaiveDate| d.min(today);
        match class.status {
            ClassStatus::Planned | ClassStatus::Open => {
                if self.rng.chance(0.05) {
                    steps.push((
                        clamp(enrolled_on + Duration::days(5), self.today),
                        withdraw("found a job on their own"),
                    ));
                }
            }
            ClassStatus::Running => {
                let r = self.rng.below(100);
                if r >= 7 {
                    steps.push((class.start, Move::StartTraining));
                }
                if r >= 95 {
                    steps.push((
                        clamp(class.start + Duration::days(7), self.today),
                        withdraw("family reasons"),
                    ));
                }
            }
            ClassStatus::Finished | ClassStatus::Cancelled => {
                steps.push((class.start, Move::StartTraining));
                let r = self.rng.below(100);
                if r < 5 {
                    steps.push((class.start + Duration::days(10), withdraw("left the city")));
                } else {
                    steps.push((class.end, Move::SendToEvaluation));
                    let eval_day = clamp(class.end + Duration::days(self.rng.range(3, 10) as i64), self.today);
                    if r < 20 {
                        // awaiting evaluation
                    } else if r < 30 {
                        steps.push((
                            eval_day,
                            Move::Fail {
                                evaluation: self.scores(false, class.target_level),
                            },
                        ));
                        if self.rng.chance(0.3) {
                            steps.push((clamp(eval_day + Duration::days(7), self.today), Move::Retake));
                        }
                    } else {
                        let level = class.target_level;
                        self.cert_seq += 1;
                        let certificate =
                            format!("ZJ{}{:02}{:06}", class.end.year(), class.occupation.0, self.cert_seq);
                        steps.push((
                            eval_day,
                            Move::Certify {
                                level,
                                certificate,
                                evaluation: self.scores(true, level),
                            },
                        ));
                        let r2 = self.rng.below(100);
                        if r2 >= 35
                            && let Some(d) = self.demand_for(class, level)
                        {
                            let refer_day = clamp(eval_day + Duration::days(self.rng.range(2, 12) as i64), self.today);
                            let u = self.usage.entry(d).or_default();
                            steps.push((refer_day, Move::Refer(d)));
                            let outcome_day =
                                clamp(refer_day + Duration::days(self.rng.range(5, 15) as i64), self.today);
                            if r2 < 60 {
                                u.referred += 1;
                            } else if r2 < 68 {
                                steps.push((outcome_day, Move::NotHire));
                            } else {
                                u.hired += 1;
                                steps.push((outcome_day, Move::Hire));
                            }
                        }
                    }
                }
            }
        }
        let mut state = CaseState::Enrolled;
        let mut cert = None;
        self.w.put_event(&Event {
            case: case_id,
            seq: 0,
            at: unix(enrolled_on, self.rng.range(0, 400)),
            operator: OPERATOR.into(),
            from: None,
            to: CaseState::Enrolled,
            action: None,
            note: String::new(),
        })?;
        for (i, (day, mv)) in steps.iter().enumerate() {
            let next = next_state(&state, mv).map_err(|e| crate::store::StoreError::Transition {
                case: case_id,
                source: e,
            })?;
            if let Move::Certify {
                level,
                certificate,
                evaluation,
            } = mv
            {
                cert = Some(Certification {
                    level: *level,
                    certificate: certificate.clone().into(),
                    evaluation: evaluation.clone(),
                    date: *day,
                });
            }
            self.w.put_event(&Event {
                case: case_id,
                seq: i as u32 + 1,
                at: unix(*day, self.rng.range(0, 400)),
                operator: OPERATOR.into(),
                from: Some(state.clone()),
                to: next.clone(),
                action: Some(mv.clone()),
                note: String::new(),
            })?;
            state = next;
        }
        self.w.put(&Case {
            id: case_id,
            trainee: trainee.id,
            class: class.id,
            state,
            certification: cert,
            events: steps.len() as u32 + 1,
            opened: enrolled_on,
        })
    }

    fn scores(&mut self, pass: bool, level: SkillLevel) -> Evaluation {
        if pass {
            Evaluation {
                theory: self.rng.range(60, 98) as u8,
                practical: self.rng.range(60, 98) as u8,
                panel: level.needs_panel(),
            }
        } else {
            Evaluation {
                theory: self.rng.range(30, 75) as u8,
                practical: self.rng.range(25, 59) as u8,
                panel: false,
            }
        }
    }
}

fn withdraw(reason: &str) -> Move {
    Move::Withdraw { reason: reason.into() }
}

/// Build the demo city into an empty store.
pub fn build(store: &Store, opts: &Options) -> Result<()> {
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
            g.w.put(&t)?;
            g.case(&t, class)?;
            seats += 1;
            made += 1;
        }
        // Withdrawn cases free their seat: count only those that hold one.
        let _ = seats;
    }
    // Waiting list: trainees with no class yet.
    while made < opts.trainees {
        let occ = OccupationId(CLASS_TRADES[g.rng.below(16) as usize].0);
        let region = RegionId(g.rng.below(8) as u8);
        let created = date(2025, 9, 1) + Duration::days(g.rng.below(44) as i64);
        let t = g.person(region, vec![occ], created)?;
        g.w.put(&t)?;
        made += 1;
    }

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
    // Seat counters from the cases written (withdrawn cases hold none).
    let mut seats: HashMap<ClassId, u32> = HashMap::new();
    for case in store.all::<Case>()? {
        if case.state.holds_seat() {
            *seats.entry(case.class).or_default() += 1;
        }
    }
    let mut w = BulkWriter::new(store);
    for (class, n) in seats {
        w.set_seats_used(class, n)?;
    }
    w.finish()?;
    store.set_meta(META_AS_OF, &today.to_string())?;
    store.set_meta(
        META_DEMO,
        &format!(
            "synthetic demo city (seed {}, {} trainees): every person, firm and school is invented",
            opts.seed, opts.trainees
        ),
    )?;
    Ok(())
}

fn regular_class(
    g: &mut Gen<'_>,
    institutions: &[Institution],
    occ: OccupationId,
    start: NaiveDate,
    end: NaiveDate,
    capacity: u32,
) -> Result<TrainingClass> {
    let inst = &institutions[g.rng.below(institutions.len() as u64) as usize];
    let kind = if g.rng.chance(0.6) {
        ClassKind::Subsidized
    } else {
        ClassKind::Certification
    };
    let roll = g.rng.below(10);
    let target_level = if kind == ClassKind::Subsidized {
        if roll <= 5 { SkillLevel::L5 } else { SkillLevel::L4 }
    } else {
        match roll {
            0..=4 => SkillLevel::L4,
            5..=8 => SkillLevel::L3,
            _ => SkillLevel::L2,
        }
    };
    let short = match kind {
        ClassKind::Subsidized => "补贴培训班",
        _ => "等级认定班",
    };
    Ok(TrainingClass {
        id: ClassId(g.id()?),
        name: format!(
            "{}{}（{}·{}月）",
            occ.zh(),
            short,
            inst.region.get().map(|r| r.short_zh).unwrap_or(""),
            start.month()
        ),
        institution: inst.id,
        occupation: occ,
        region: inst.region,
        kind,
        program: program_for(&mut g.rng, occ.0),
        quarter: Quarter::of(start),
        start,
        end,
        capacity,
        target_level,
        linked_demands: vec![],
        status: status_on(start, end, g.today),
    })
}
