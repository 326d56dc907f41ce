//! The public face of the service: what a kiosk in the lobby may see.
//!
//! [`PublicView`] wraps the process's `Arc<Service>` in a private field and
//! offers only reads of public data: open classes, open job demands,
//! institutions and enterprise names, districts and trades with counts, and
//! search over classes and demands. Its record types ([`PublicClass`],
//! [`PublicJob`], [`TrainFor`]) hold no trainee, case, ID number, mobile or
//! operator: there is no field to put one in. It has no method that writes,
//! and no way back to the service it wraps.
//!
//! "Open" means what a job seeker can act on: a class that still takes
//! enrollments and has a seat left; a demand that is open with a post left.
//!
//! What a kiosk can do with a view (this compiles):
//!
//! ```no_run
//! use skillbridge::service::public::{Listing, PublicQuery, PublicView};
//! fn kiosk(v: &PublicView) {
//!     let _ = v.open_classes();
//!     let _ = v.search(&PublicQuery::new(Listing::Jobs, "hg"), &|| false);
//! }
//! ```
//!
//! The same calls on the service itself compile, so each refusal below is
//! the view's doing, not a typo in the example:
//!
//! ```no_run
//! use skillbridge::domain::{CaseId, ClassId, Move, TraineeId, TrainingClass};
//! use skillbridge::service::{Actor, Service};
//! fn operator(s: &Service, c: TrainingClass, a: &Actor) {
//!     let _ = s.enroll(TraineeId(1), ClassId(1), a, "");
//!     let _ = s.transition(CaseId(1), Move::StartTraining, a, "");
//!     let _ = s.save(c, a);
//!     let _ = s.read().data.trainees.len();
//!     let _ = s.db_path();
//! }
//! ```
//!
//! What a view cannot do: enroll, save or move a case (there are no such
//! methods)…
//!
//! ```compile_fail
//! use skillbridge::domain::{ClassId, TraineeId};
//! use skillbridge::service::{Actor, public::PublicView};
//! fn kiosk(v: &PublicView, a: &Actor) {
//!     let _ = v.enroll(TraineeId(1), ClassId(1), a, "");
//! }
//! ```
//!
//! ```compile_fail
//! use skillbridge::domain::{CaseId, Move};
//! use skillbridge::service::{Actor, public::PublicView};
//! fn kiosk(v: &PublicView, a: &Actor) {
//!     let _ = v.transition(CaseId(1), Move::StartTraining, a, "");
//! }
//! ```
//!
//! ```compile_fail
//! use skillbridge::domain::TrainingClass;
//! use skillbridge::service::{Actor, public::PublicView};
//! fn kiosk(v: &PublicView, c: TrainingClass, a: &Actor) {
//!     let _ = v.save(c, a);
//! }
//! ```
//!
//! …nor reach the service, its data or its store in any way:
//!
//! ```compile_fail
//! use skillbridge::service::public::PublicView;
//! fn kiosk(v: &PublicView) {
//!     let _ = v.svc.read();
//! }
//! ```
//!
//! ```compile_fail
//! use skillbridge::service::public::PublicView;
//! fn kiosk(v: &PublicView) {
//!     let _ = v.read().data.trainees.len();
//! }
//! ```
//!
//! ```compile_fail
//! use skillbridge::service::public::PublicView;
//! use skillbridge::service::Service;
//! fn kiosk(v: &PublicView) {
//!     let _: &Service = &*v;
//! }
//! ```
//!
//! ```compile_fail
//! use skillbridge::service::public::PublicView;
//! fn kiosk(v: &PublicView) {
//!     let _ = v.store();
//! }
//! ```

use super::matching;
use super::{Data, Filters, SearchSpec, Service, Sort};
use crate::domain::Kind;
use crate::search::Query;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use super::matching::ClassReason;
pub use crate::domain::{
    ClassId, ClassKind, ClassStatus, DemandId, OccupationId, PostKind, ProgramId, RegionId, SkillLevel,
};
use crate::domain::{DemandStatus, JobDemand, TrainingClass};

/// The two lists a kiosk offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    Classes,
    Jobs,
}

/// A class open for enrollment, as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicClass {
    pub id: ClassId,
    pub name: String,
    pub trade: OccupationId,
    pub institution: String,
    /// The institution's credit stars, 1 to 5 (0 when unknown).
    pub stars: u8,
    pub region: RegionId,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub kind: ClassKind,
    pub program: ProgramId,
    pub capacity: u32,
    pub seats_left: u32,
    pub target_level: SkillLevel,
    pub status: ClassStatus,
}

/// An open job demand, as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicJob {
    pub id: DemandId,
    pub trade: OccupationId,
    pub enterprise: String,
    pub region: RegionId,
    pub kind: PostKind,
    pub headcount: u32,
    /// Posts still free.
    pub open: u32,
    /// Monthly wage range in yuan.
    pub wage_min: u32,
    pub wage_max: u32,
    pub min_level: Option<SkillLevel>,
    pub posted: NaiveDate,
}

/// An open class that trains for a job, with the reasons it ranks where it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainFor {
    pub class: PublicClass,
    pub reasons: Vec<ClassReason>,
}

/// A training institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicInstitution {
    pub name: String,
    pub region: RegionId,
    pub stars: u8,
}

/// A filter value with how many open records it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice<T> {
    pub id: T,
    pub count: usize,
}

/// What a kiosk list asks for: typed text (Chinese, pinyin, English, fzf
/// terms) and the district and trade filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicQuery {
    pub listing: Listing,
    pub text: String,
    pub region: Option<RegionId>,
    pub trade: Option<OccupationId>,
}

impl PublicQuery {
    pub fn new(listing: Listing, text: &str) -> PublicQuery {
        PublicQuery {
            listing,
            text: text.to_string(),
            region: None,
            trade: None,
        }
    }
}

/// Read-only, public-only access to a service. Cheap to clone.
#[derive(Clone)]
pub struct PublicView {
    svc: Arc<Service>,
}

impl std::fmt::Debug for PublicView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicView")
    }
}

impl From<Arc<Service>> for PublicView {
    fn from(svc: Arc<Service>) -> PublicView {
        PublicView::new(svc)
    }
}

/// What makes a class open to the public today: it takes enrollments by
/// the program's rules (status, the last day to enroll) and has a seat.
#[derive(Debug, Clone, Copy)]
struct Opening {
    today: chrono::NaiveDate,
    policy: crate::domain::rules::Policy,
}

fn class_is_open(data: &Data, c: &TrainingClass, o: &Opening) -> bool {
    crate::domain::rules::enrollable(c, o.today, &o.policy).is_ok() && data.seats_left(c) > 0
}

fn job_is_open(data: &Data, d: &JobDemand) -> bool {
    d.status == DemandStatus::Open && data.posts_open(d) > 0
}

fn public_class(data: &Data, c: &TrainingClass) -> PublicClass {
    let inst = data.institution(c.institution);
    PublicClass {
        id: c.id,
        name: c.name.clone(),
        trade: c.occupation,
        institution: inst.map(|i| i.name.clone()).unwrap_or_default(),
        stars: inst.map(|i| i.stars).unwrap_or(0),
        region: c.region,
        start: c.start,
        end: c.end,
        kind: c.kind,
        program: c.program,
        capacity: c.capacity,
        seats_left: data.seats_left(c),
        target_level: c.target_level,
        status: c.status,
    }
}

fn public_job(data: &Data, d: &JobDemand) -> PublicJob {
    PublicJob {
        id: d.id,
        trade: d.occupation,
        enterprise: data.enterprise_name(d.enterprise).to_string(),
        region: d.region,
        kind: d.kind,
        headcount: d.headcount,
        open: data.posts_open(d),
        wage_min: d.wage_min,
        wage_max: d.wage_max,
        min_level: d.min_level,
        posted: d.posted,
    }
}

impl PublicView {
    /// Today and the rules a class is open to the public by.
    fn opening(&self) -> Opening {
        Opening {
            today: self.svc.today(),
            policy: self.svc.policy(),
        }
    }

    /// The public view of a service (what a kiosk session is built from).
    pub fn new(svc: Arc<Service>) -> PublicView {
        PublicView { svc }
    }

    /// Grows with every change in the service: compare to refresh.
    pub fn version(&self) -> u64 {
        self.svc.version()
    }

    /// The business date (a demo database runs at its simulated date).
    pub fn today(&self) -> NaiveDate {
        self.svc.today()
    }

    /// True on a demo database with a simulated date.
    pub fn is_simulated(&self) -> bool {
        self.svc.is_simulated()
    }

    /// Every open class, soonest start first.
    pub fn open_classes(&self) -> Vec<PublicClass> {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        let mut v: Vec<PublicClass> = data
            .classes
            .values()
            .filter(|c| class_is_open(data, c, &open))
            .map(|c| public_class(data, c))
            .collect();
        v.sort_by_key(|c| (c.start, c.id));
        v
    }

    /// Every open job demand, newest first.
    pub fn open_jobs(&self) -> Vec<PublicJob> {
        let inner = self.svc.read();
        let data = &inner.data;
        data.demands
            .values()
            .rev()
            .filter(|d| job_is_open(data, d))
            .map(|d| public_job(data, d))
            .collect()
    }

    /// How many records a list holds, and (for jobs) how many posts are open.
    pub fn totals(&self, listing: Listing) -> (usize, u64) {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        match listing {
            Listing::Classes => {
                let open: Vec<&TrainingClass> = data
                    .classes
                    .values()
                    .filter(|c| class_is_open(data, c, &open))
                    .collect();
                (open.len(), open.iter().map(|c| u64::from(data.seats_left(c))).sum())
            }
            Listing::Jobs => {
                let open: Vec<&JobDemand> = data.demands.values().filter(|d| job_is_open(data, d)).collect();
                (open.len(), open.iter().map(|d| u64::from(data.posts_open(d))).sum())
            }
        }
    }

    /// One class, while it is open.
    pub fn class(&self, id: ClassId) -> Option<PublicClass> {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        data.classes
            .get(&id)
            .filter(|c| class_is_open(data, c, &open))
            .map(|c| public_class(data, c))
    }

    /// One job demand, while it is open.
    pub fn job(&self, id: DemandId) -> Option<PublicJob> {
        let inner = self.svc.read();
        let data = &inner.data;
        data.demands
            .get(&id)
            .filter(|d| job_is_open(data, d))
            .map(|d| public_job(data, d))
    }

    /// The open ones among `ids`, in that order (one lock for a screenful).
    pub fn classes(&self, ids: &[ClassId]) -> Vec<PublicClass> {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        ids.iter()
            .filter_map(|id| data.classes.get(id))
            .filter(|c| class_is_open(data, c, &open))
            .map(|c| public_class(data, c))
            .collect()
    }

    /// The open ones among `ids`, in that order.
    pub fn jobs(&self, ids: &[DemandId]) -> Vec<PublicJob> {
        let inner = self.svc.read();
        let data = &inner.data;
        ids.iter()
            .filter_map(|id| data.demands.get(id))
            .filter(|d| job_is_open(data, d))
            .map(|d| public_job(data, d))
            .collect()
    }

    /// "Train for this job": open classes for an open demand, best first,
    /// each with its reasons (project link, trade, district, start, stars).
    pub fn classes_for_job(&self, id: DemandId) -> Vec<TrainFor> {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        if !data.demands.get(&id).is_some_and(|d| job_is_open(data, d)) {
            return Vec::new();
        }
        matching::classes_for_demand(data, id, open.today, &open.policy)
            .into_iter()
            .filter_map(|m| {
                let c = data.classes.get(&m.class)?;
                Some(TrainFor {
                    class: public_class(data, c),
                    reasons: m.reasons,
                })
            })
            .collect()
    }

    /// Every training institution.
    pub fn institutions(&self) -> Vec<PublicInstitution> {
        let inner = self.svc.read();
        inner
            .data
            .institutions
            .values()
            .map(|i| PublicInstitution {
                name: i.name.clone(),
                region: i.region,
                stars: i.stars,
            })
            .collect()
    }

    /// The names of every enterprise that posted demands.
    pub fn enterprise_names(&self) -> Vec<String> {
        let inner = self.svc.read();
        inner.data.enterprises.values().map(|e| e.name.clone()).collect()
    }

    /// Every district, with how many open records of the list it holds.
    pub fn regions(&self, listing: Listing) -> Vec<Choice<RegionId>> {
        let counts = self.count_by(listing, |_, region| Some(region));
        RegionId::all()
            .map(|id| Choice {
                id,
                count: counts.get(&id).copied().unwrap_or(0),
            })
            .collect()
    }

    /// The trades that have open records in the list, with their counts.
    pub fn trades(&self, listing: Listing) -> Vec<Choice<OccupationId>> {
        let counts = self.count_by(listing, |trade, _| Some(trade));
        OccupationId::all()
            .filter_map(|id| counts.get(&id).map(|&count| Choice { id, count }))
            .collect()
    }

    fn count_by<K: Ord>(
        &self,
        listing: Listing,
        key: impl Fn(OccupationId, RegionId) -> Option<K>,
    ) -> BTreeMap<K, usize> {
        let inner = self.svc.read();
        let data = &inner.data;
        let open = self.opening();
        let mut out = BTreeMap::new();
        let keys: Vec<Option<K>> = match listing {
            Listing::Classes => data
                .classes
                .values()
                .filter(|c| class_is_open(data, c, &open))
                .map(|c| key(c.occupation, c.region))
                .collect(),
            Listing::Jobs => data
                .demands
                .values()
                .filter(|d| job_is_open(data, d))
                .map(|d| key(d.occupation, d.region))
                .collect(),
        };
        for k in keys.into_iter().flatten() {
            *out.entry(k).or_insert(0) += 1;
        }
        out
    }

    /// Search a list: ids of open records, best match first (an empty
    /// query lists classes by start date, jobs newest first). `None` when
    /// `cancelled()` turned true mid-scan.
    pub fn search(&self, q: &PublicQuery, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Vec<u64>> {
        let query = Query::parse(&q.text);
        let (kind, empty_sort) = match q.listing {
            Listing::Classes => (Kind::Classes, Sort::StartDate),
            Listing::Jobs => (Kind::Demands, Sort::Newest),
        };
        let spec = SearchSpec {
            kind,
            sort: if query.is_empty() { empty_sort } else { Sort::Relevance },
            query,
            districts: None,
            filters: Filters {
                region: q.region,
                occupation: q.trade,
                ..Filters::default()
            },
        };
        let inner = self.svc.read();
        let found = inner.search(&spec, None, cancelled)?;
        let data = &inner.data;
        let open = self.opening();
        Some(
            found
                .ids
                .iter()
                .copied()
                .filter(|id| match q.listing {
                    Listing::Classes => data
                        .classes
                        .get(&ClassId(*id))
                        .is_some_and(|c| class_is_open(data, c, &open)),
                    Listing::Jobs => data.demands.get(&DemandId(*id)).is_some_and(|d| job_is_open(data, d)),
                })
                .collect(),
        )
    }
}
