//! The breakdowns: each open post, class and case counted in its trade,
//! district, program and alliance, and each class and case in its
//! institution's scorecard.

use super::attribution::class_alliance;
use super::pipeline::{InstitutionRow, Pipeline, Rate, Row};
use super::retention::Retained;
use crate::domain::aftercare::Aftercare;
use crate::domain::*;
use crate::service::Data;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Where a class's cases count.
#[derive(Clone, Copy)]
pub(super) struct ClassInfo {
    occupation: usize,
    region: usize,
    program: usize,
    alliance: Option<usize>,
    institution: Option<usize>,
    /// A subsidized training: a subsidized or a project-based class.
    pub subsidized: bool,
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

/// One pipeline per trade, district, program and alliance (catalogue order).
struct Pipelines {
    trades: Vec<Pipeline>,
    districts: Vec<Pipeline>,
    programs: Vec<Pipeline>,
    alliances: Vec<Pipeline>,
    /// Retention per trade, district, program and alliance (same order).
    retained: [Vec<Retained>; 4],
}

impl Pipelines {
    /// The retention rows a class (and its cases) count in.
    fn retained_of(&mut self, ci: &ClassInfo) -> impl Iterator<Item = &mut Retained> {
        let [t, d, p, a] = &mut self.retained;
        [
            t.get_mut(ci.occupation),
            d.get_mut(ci.region),
            p.get_mut(ci.program),
            ci.alliance.and_then(|x| a.get_mut(x)),
        ]
        .into_iter()
        .flatten()
    }

    /// The pipelines a class (and its cases) count in.
    fn of(&mut self, ci: &ClassInfo) -> impl Iterator<Item = &mut Pipeline> {
        let alliance = match ci.alliance {
            Some(a) => self.alliances.get_mut(a),
            None => None,
        };
        [
            self.trades.get_mut(ci.occupation),
            self.districts.get_mut(ci.region),
            self.programs.get_mut(ci.program),
            alliance,
        ]
        .into_iter()
        .flatten()
    }
}

/// The breakdown rows, as the figures show them.
pub(super) struct Breakdowns {
    /// Skilled trades, worst gap first.
    pub trades: Vec<Row>,
    pub districts: Vec<Row>,
    pub programs: Vec<Row>,
    pub alliances: Vec<Row>,
    /// Most stars first.
    pub institutions: Vec<InstitutionRow>,
}

/// The breakdowns being counted: open posts and classes first, then case by case.
pub(super) struct Breakdown {
    pipelines: Pipelines,
    institutions: Vec<InstitutionRow>,
    classes: IdMap<ClassId, ClassInfo>,
}

impl Breakdown {
    /// Count the open posts and the classes.
    pub(super) fn new(data: &Data) -> Breakdown {
        let institutions: Vec<InstitutionRow> = data
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
                retained: Retained::default(),
            })
            .collect();
        let mut b = Breakdown {
            pipelines: Pipelines {
                trades: vec![Pipeline::default(); OCCUPATIONS.len()],
                districts: vec![Pipeline::default(); REGIONS.len()],
                programs: vec![Pipeline::default(); PROGRAMS.len()],
                alliances: vec![Pipeline::default(); ALLIANCES.len()],
                retained: [
                    vec![Retained::default(); OCCUPATIONS.len()],
                    vec![Retained::default(); REGIONS.len()],
                    vec![Retained::default(); PROGRAMS.len()],
                    vec![Retained::default(); ALLIANCES.len()],
                ],
            },
            institutions,
            classes: IdMap::default(),
        };
        b.posts(data);
        b.seats(data);
        b
    }

    /// Open posts, in their trade, district, alliance and the programs of
    /// the project-based classes built on them.
    fn posts(&mut self, data: &Data) {
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
        let p = &mut self.pipelines;
        for d in data.demands.values() {
            let open = if d.status == DemandStatus::Open {
                u64::from(data.posts_open(d))
            } else {
                0
            };
            if open == 0 {
                continue;
            }
            let tm = d.kind == PostKind::TechnicalManagement;
            let bump = |p: &mut Pipeline| {
                if tm {
                    p.tm_posts_open += open;
                } else {
                    p.posts_open += open;
                }
            };
            let alliance = data.enterprises.get(&d.enterprise).and_then(|e| e.alliance);
            let here = [
                p.trades.get_mut(d.occupation.0 as usize),
                p.districts.get_mut(d.region.0 as usize),
                alliance.and_then(|a| p.alliances.get_mut(a.0 as usize)),
            ];
            for x in here.into_iter().flatten() {
                bump(x);
            }
            for i in demand_programs.get(&d.id).into_iter().flatten() {
                if let Some(x) = p.programs.get_mut(*i) {
                    bump(x);
                }
            }
        }
    }

    /// Classes and their seats, and where each class's cases will count.
    fn seats(&mut self, data: &Data) {
        let inst_index: HashMap<u64, usize> = self.institutions.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        self.classes.reserve(data.classes.len());
        for c in data.classes.values() {
            let cap = u64::from(c.capacity);
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
            for p in self.pipelines.of(&ci) {
                p.classes += 1;
                p.seats += cap;
                p.seats_open += open;
            }
            if let Some(r) = ci.institution.and_then(|i| self.institutions.get_mut(i)) {
                r.classes += 1;
                r.seats += cap;
            }
            self.classes.insert(c.id, ci);
        }
    }

    /// Where a class's cases count (`None`: a class the data does not hold).
    pub(super) fn class(&self, id: ClassId) -> Option<ClassInfo> {
        self.classes.get(&id).copied()
    }

    /// Count a case where its class does.
    pub(super) fn case(&mut self, case: &Case, ci: &ClassInfo) {
        let kind = case.state.kind();
        let holds_seat = case.state.holds_seat();
        let in_training = matches!(
            kind,
            StateKind::Enrolled | StateKind::InTraining | StateKind::AwaitingEvaluation
        );
        let certified = case.certification.is_some();
        let waiting = matches!(kind, StateKind::Certified | StateKind::NotHired);
        let employed = kind == StateKind::Employed;
        for p in self.pipelines.of(ci) {
            p.enrolled += u64::from(holds_seat);
            p.in_training += u64::from(in_training);
            p.certified += u64::from(certified);
            p.waiting += u64::from(waiting);
            p.employed += u64::from(employed);
        }
        if let Some(r) = ci.institution.and_then(|i| self.institutions.get_mut(i)) {
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

    /// Count an employed case's follow-ups where its class counts.
    pub(super) fn aftercare(&mut self, care: &Aftercare, ci: &ClassInfo, today: NaiveDate) {
        for r in self.pipelines.retained_of(ci) {
            r.add(care, today);
        }
        if let Some(r) = ci.institution.and_then(|i| self.institutions.get_mut(i)) {
            r.retained.add(care, today);
        }
    }

    /// The rows: trades worst gap first, institutions most stars first.
    pub(super) fn finish(self) -> Breakdowns {
        let Breakdown {
            pipelines: p,
            mut institutions,
            ..
        } = self;
        for r in &mut institutions {
            r.completion.finish();
            r.pass.finish();
            r.placement.finish();
        }
        institutions.sort_by_key(|r| (std::cmp::Reverse(r.stars), r.id));
        let [rt, rd, rp, ra] = &p.retained;
        let with = |mut row: Row, r: &[Retained], i: usize| {
            row.retained = r.get(i).copied().unwrap_or_default();
            row
        };
        let mut trades: Vec<Row> = OCCUPATIONS
            .iter()
            .filter(|o| o.kind == PostKind::Skilled)
            .map(|o| {
                with(
                    Row::new(o.id.0, o.zh, o.en, p.trades[o.id.0 as usize]),
                    rt,
                    o.id.0 as usize,
                )
            })
            .collect();
        trades.sort_by_key(|r| (std::cmp::Reverse(r.gap), std::cmp::Reverse(r.figures.posts_open), r.id));
        Breakdowns {
            trades,
            districts: REGIONS
                .iter()
                .map(|r| {
                    let row = Row::new(u16::from(r.id.0), r.zh, r.en, p.districts[r.id.0 as usize]);
                    with(row, rd, r.id.0 as usize)
                })
                .collect(),
            programs: PROGRAMS
                .iter()
                .map(|g| {
                    let row = Row::new(u16::from(g.id.0), g.zh, g.en, p.programs[g.id.0 as usize]);
                    with(row, rp, g.id.0 as usize)
                })
                .collect(),
            alliances: ALLIANCES
                .iter()
                .map(|a| {
                    let row = Row::new(u16::from(a.id.0), a.zh, a.en, p.alliances[a.id.0 as usize]);
                    with(row, ra, a.id.0 as usize)
                })
                .collect(),
            institutions,
        }
    }
}
