//! Each kind's rows turned into records: the lookups an import shares
//! (every kind by its natural key, read from the records themselves, not
//! from the indexes, which a damaged database may lack), and one builder
//! per kind that applies the store's rules to a row, going on past a bad
//! cell so that every problem of the row is reported.

use super::super::cells::{Names, demand_ref};
use super::super::resolve;
use super::super::table::Row;
use super::Why;
use super::cols::{Cell, CellError, Cols, Errs, bad, name_cell, parse_with, region_cell};
use crate::domain::*;
use crate::store::{Store, StoreError};
use crate::suggest::nearest;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Demands by their references, for demand keys and classes' links.
#[derive(Default)]
pub(super) struct Demands {
    by_id: HashMap<u64, JobDemand>,
    by_external: HashMap<String, Vec<DemandId>>,
    by_triple: HashMap<(EnterpriseId, OccupationId, RegionId), Vec<DemandId>>,
}

impl Demands {
    fn load(store: &Store) -> Result<Demands, StoreError> {
        let mut d = Demands::default();
        for dm in store.all::<JobDemand>()? {
            if let Some(e) = &dm.external_id {
                d.by_external.entry(e.clone()).or_default().push(dm.id);
            }
            d.by_triple
                .entry((dm.enterprise, dm.occupation, dm.region))
                .or_default()
                .push(dm.id);
            d.by_id.insert(dm.id.0, dm);
        }
        Ok(d)
    }

    /// A demand by its 编号: a source id, or `D<n>` for a demand that has
    /// none; `Err` with the ids when two demands claim the same 编号.
    fn by_ref(&self, r: &str) -> Result<Option<&JobDemand>, Vec<DemandId>> {
        if let Some(ids) = self.by_external.get(r) {
            if ids.len() > 1 {
                return Err(ids.clone());
            }
            return Ok(ids.first().and_then(|id| self.by_id.get(&id.0)));
        }
        let Some(n) = r.strip_prefix('D').and_then(|n| n.parse::<u64>().ok()) else {
            return Ok(None);
        };
        Ok(self.by_id.get(&n).filter(|d| d.external_id.is_none()))
    }

    fn refs(&self) -> Vec<String> {
        self.by_id.values().map(demand_ref).collect()
    }
}

/// Classes by name, institution and start date.
pub(super) type ClassKeys = HashMap<(String, InstitutionId, NaiveDate), Vec<ClassId>>;

/// Records of one kind by their natural key, read from the records. More
/// than one under a key is a damaged database: rows that meet it are
/// refused, never written to one of them.
pub(super) struct Keyed<R> {
    by_key: HashMap<String, Vec<R>>,
    names: Vec<String>,
}

impl<R: crate::store::Record> Keyed<R> {
    fn load(store: &Store, key: impl Fn(&R) -> String) -> Result<Keyed<R>, StoreError> {
        let mut by_key: HashMap<String, Vec<R>> = HashMap::new();
        let mut names = Vec::new();
        for r in store.all::<R>()? {
            let k = key(&r);
            names.push(k.clone());
            by_key.entry(k).or_default().push(r);
        }
        Ok(Keyed { by_key, names })
    }

    /// The one record under `key`; an error naming them when there are several.
    fn one(&self, key: &str, column: &'static str, value: &str) -> Cell<Option<R>> {
        match self.by_key.get(key).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.clone())),
            Some(many) => {
                let ids: Vec<String> = many.iter().map(|r| format!("{} {}", R::NAME, r.key())).collect();
                bad(
                    column,
                    value,
                    format!(
                        "{} records in the database have this {} ({}): the database is damaged; run `skillbridge check`, and merge or correct them before importing",
                        many.len(),
                        if R::KIND == Kind::Trainees { "ID number" } else { "name" },
                        ids.join(", ")
                    ),
                )
            }
        }
    }
}

/// Lookups shared by the rows of one import, each read once, when first needed.
pub(super) struct Cx<'a> {
    pub(super) store: &'a Store,
    pub(super) today: NaiveDate,
    pub(super) institutions: Option<Keyed<Institution>>,
    pub(super) enterprises: Option<Keyed<Enterprise>>,
    pub(super) trainees: Option<Keyed<Trainee>>,
    pub(super) demands: Option<Demands>,
    pub(super) classes: Option<ClassKeys>,
    pub(super) names: Option<Names>,
}

impl<'a> Cx<'a> {
    pub(super) fn new(store: &'a Store, today: NaiveDate) -> Cx<'a> {
        Cx {
            store,
            today,
            institutions: None,
            enterprises: None,
            trainees: None,
            demands: None,
            classes: None,
            names: None,
        }
    }
}

pub(super) fn read_err(e: StoreError) -> CellError {
    CellError {
        key: "",
        value: String::new(),
        reason: Why::Other(format!("reading the database failed: {e}")),
    }
}

/// The key institutions and enterprises are matched by: the normalized name.
fn name_key(name: &str) -> String {
    resolve::name(name)
}

impl Cx<'_> {
    fn institutions(&mut self) -> Cell<&Keyed<Institution>> {
        if self.institutions.is_none() {
            self.institutions = Some(Keyed::load(self.store, |i: &Institution| name_key(&i.name)).map_err(read_err)?);
        }
        self.institutions.as_ref().ok_or_else(|| read_err(gone()))
    }

    fn enterprises(&mut self) -> Cell<&Keyed<Enterprise>> {
        if self.enterprises.is_none() {
            self.enterprises = Some(Keyed::load(self.store, |e: &Enterprise| name_key(&e.name)).map_err(read_err)?);
        }
        self.enterprises.as_ref().ok_or_else(|| read_err(gone()))
    }

    fn trainees(&mut self) -> Cell<&Keyed<Trainee>> {
        if self.trainees.is_none() {
            self.trainees =
                Some(Keyed::load(self.store, |t: &Trainee| t.id_number.as_str().to_string()).map_err(read_err)?);
        }
        self.trainees.as_ref().ok_or_else(|| read_err(gone()))
    }

    /// The names a diff shows references by.
    pub(super) fn names(&mut self) -> Cell<&Names> {
        if self.names.is_none() {
            self.names = Some(Names::load(self.store).map_err(read_err)?);
        }
        self.names.as_ref().ok_or_else(|| read_err(gone()))
    }

    /// An institution a row refers to, which must exist.
    fn institution(&mut self, key: &'static str, name: &str) -> Cell<Institution> {
        let name = resolve::name(name);
        let all = self.institutions()?;
        if let Some(i) = all.one(&name_key(&name), key, &name)? {
            return Ok(i);
        }
        bad(key, name.clone(), no_such(Kind::Institutions, &name, &all.names))
    }

    /// An enterprise a row refers to, which must exist.
    fn enterprise(&mut self, key: &'static str, name: &str) -> Cell<Enterprise> {
        let name = resolve::name(name);
        let all = self.enterprises()?;
        if let Some(e) = all.one(&name_key(&name), key, &name)? {
            return Ok(e);
        }
        bad(key, name.clone(), no_such(Kind::Enterprises, &name, &all.names))
    }

    fn demands(&mut self) -> Cell<&Demands> {
        if self.demands.is_none() {
            self.demands = Some(Demands::load(self.store).map_err(read_err)?);
        }
        self.demands.as_ref().ok_or_else(|| read_err(gone()))
    }

    fn classes(&mut self) -> Cell<&ClassKeys> {
        if self.classes.is_none() {
            let mut m: ClassKeys = HashMap::new();
            for c in self.store.all::<TrainingClass>().map_err(read_err)? {
                m.entry((resolve::name(&c.name), c.institution, c.start))
                    .or_default()
                    .push(c.id);
            }
            self.classes = Some(m);
        }
        self.classes.as_ref().ok_or_else(|| read_err(gone()))
    }
}

fn gone() -> StoreError {
    StoreError::NotFound {
        kind: "lookup",
        id: "-".into(),
    }
}

pub(super) fn no_such(kind: Kind, name: &str, names: &[String]) -> Why {
    Why::NoRecord {
        kind,
        near: nearest(name, names.iter().map(String::as_str), 3)
            .into_iter()
            .map(str::to_string)
            .collect(),
        count: names.len(),
    }
}

/// A row turned into a record, with its natural key and the stored record it matches.
pub(super) struct Built<R> {
    pub(super) key: String,
    pub(super) key_col: &'static str,
    pub(super) existing: Option<R>,
    pub(super) record: R,
}

/// A builder's answer: the record, or every problem of the row.
pub(super) type Rows<T> = Result<T, Vec<CellError>>;

fn finish<T>(e: Errs, built: Option<T>) -> Rows<T> {
    match built {
        Some(b) if e.is_empty() => Ok(b),
        _ => Err(e.0),
    }
}

pub(super) fn institution(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Rows<Built<Institution>> {
    let mut e = Errs::default();
    let name = e.ok(name_cell(cols, row, "name"));
    let existing = match &name {
        Some(n) => e
            .ok(cx.institutions().and_then(|all| all.one(&name_key(n), "name", n)))
            .flatten(),
        None => None,
    };
    let region = e.ok(cols
        .required(row, "region")
        .and_then(|v| parse_with("region", v, resolve::region)));
    let stars = e.ok(cols
        .required(row, "stars")
        .and_then(|v| parse_with("stars", v, resolve::stars)));
    let built = (|| {
        let name = name?;
        Some(Built {
            key: name_key(&name),
            key_col: "name",
            record: Institution {
                id: existing.as_ref().map(|e| e.id).unwrap_or_default(),
                name,
                region: region?,
                stars: stars?,
            },
            existing,
        })
    })();
    finish(e, built)
}

pub(super) fn enterprise(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Rows<Built<Enterprise>> {
    let mut e = Errs::default();
    let name = e.ok(name_cell(cols, row, "name"));
    let existing = match &name {
        Some(n) => e
            .ok(cx.enterprises().and_then(|all| all.one(&name_key(n), "name", n)))
            .flatten(),
        None => None,
    };
    let old = existing.as_ref();
    let region = e.ok(cols
        .required(row, "region")
        .and_then(|v| parse_with("region", v, resolve::region)));
    let industry = e.ok(cols.field(
        row,
        "industry",
        old.map(|o| &o.industry),
        Some(String::new()),
        String::new,
        |v| Ok(v.to_string()),
    ));
    let alliance = e.ok(cols.field(
        row,
        "alliance",
        old.map(|o| &o.alliance),
        Some(None),
        || None,
        |v| parse_with("alliance", v, resolve::alliance).map(Some),
    ));
    let built = (|| {
        let name = name?;
        Some(Built {
            key: name_key(&name),
            key_col: "name",
            record: Enterprise {
                id: old.map(|e| e.id).unwrap_or_default(),
                name,
                region: region?,
                industry: industry?,
                alliance: alliance?,
            },
            existing: existing.clone(),
        })
    })();
    finish(e, built)
}

pub(super) fn demand(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Rows<Built<JobDemand>> {
    let mut e = Errs::default();
    let ent_name = e.ok(cols.required(row, "enterprise"));
    let ent = ent_name.and_then(|n| e.ok(cx.enterprise("enterprise", n)));
    let occupation = e.ok(cols
        .required(row, "occupation")
        .and_then(|v| parse_with("occupation", v, resolve::occupation)));
    let region_given = e.ok(region_cell(cols, row, "region"));
    let headcount = e.ok(cols
        .required(row, "headcount")
        .and_then(|v| parse_with("headcount", v, |v| resolve::number(v, 0, 1_000_000))));
    let reference = cols.value(row, "external_id");
    let today = cx.today;
    // Which stored demand the row is: by its 编号, else by enterprise, trade and region.
    let found: Option<(String, &'static str, Option<JobDemand>, Option<String>)> = match reference {
        Some(r) => match cx.demands() {
            Err(x) => e.ok(Err(x)),
            Ok(demands) => match demands.by_ref(r) {
                Ok(existing) => {
                    let existing = existing.cloned();
                    let external = match &existing {
                        Some(d) if d.external_id.is_none() => None,
                        _ => Some(r.to_string()),
                    };
                    Some((format!("ref {r}"), "external_id", existing, external))
                }
                Err(ids) => e.ok(bad(
                    "external_id",
                    r,
                    format!(
                        "{} demands in the database have this 编号 ({}): the database is damaged; run `skillbridge check`",
                        ids.len(),
                        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                )),
            },
        },
        None => match (&ent, occupation, region_given) {
            (Some(ent), Some(occupation), Some(region_given)) => {
                let region = region_given.unwrap_or(ent.region);
                match cx.demands() {
                    Err(x) => e.ok(Err(x)),
                    Ok(demands) => {
                        let found = demands
                            .by_triple
                            .get(&(ent.id, occupation, region))
                            .cloned()
                            .unwrap_or_default();
                        if found.len() > 1 {
                            let ids: Vec<String> = found
                                .iter()
                                .filter_map(|id| demands.by_id.get(&id.0))
                                .map(demand_ref)
                                .collect();
                            e.ok(bad(
                                "enterprise",
                                ent.name.clone(),
                                Why::SeveralDemands {
                                    trade: occupation.zh(),
                                    region: region.zh(),
                                    ids,
                                },
                            ))
                        } else {
                            let existing = found.first().and_then(|id| demands.by_id.get(&id.0)).cloned();
                            let external = existing.as_ref().and_then(|d| d.external_id.clone());
                            Some((
                                format!("{} {} {}", ent.id, occupation.0, region.0),
                                "enterprise",
                                existing,
                                external,
                            ))
                        }
                    }
                }
            }
            _ => None,
        },
    };
    let old = found.as_ref().and_then(|f| f.2.as_ref());
    let kind = e.ok(cols.field(
        row,
        "kind",
        old.map(|d| &d.kind),
        None,
        || {
            occupation
                .and_then(|o| o.get())
                .map(|o| o.kind)
                .unwrap_or(PostKind::Skilled)
        },
        |v| parse_with("kind", v, resolve::post_kind),
    ));
    let wage_min = e.ok(cols.field(
        row,
        "wage_min",
        old.map(|d| &d.wage_min),
        Some(0),
        || 0,
        |v| parse_with("wage_min", v, |v| resolve::number(v, 0, 1_000_000)),
    ));
    let min_for_max = wage_min.unwrap_or(0);
    let wage_max = e.ok(cols.field(
        row,
        "wage_max",
        old.map(|d| &d.wage_max),
        Some(min_for_max),
        || min_for_max,
        |v| parse_with("wage_max", v, |v| resolve::number(v, 0, 1_000_000)),
    ));
    let min_level = e.ok(cols.field(
        row,
        "min_level",
        old.map(|d| &d.min_level),
        Some(None),
        || None,
        |v| parse_with("min_level", v, resolve::min_level),
    ));
    let posted = e.ok(cols.field(
        row,
        "posted",
        old.map(|d| &d.posted),
        None,
        || today,
        |v| parse_with("posted", v, resolve::date),
    ));
    let asked = e.ok(cols.field(
        row,
        "status",
        old.map(|d| &d.status),
        None,
        || DemandStatus::Open,
        |v| parse_with("status", v, resolve::demand_status),
    ));
    // The store's rules for a demand with posts already taken.
    let usage = match old {
        Some(d) => e.ok(cx.store.demand_usage(d.id).map_err(read_err)).unwrap_or_default(),
        None => Default::default(),
    };
    if let Some(h) = headcount
        && h < usage.taken()
    {
        e.ok::<()>(bad(
            "headcount",
            h.to_string(),
            Why::Breach(Breach::BelowTaken { taken: usage.taken() }),
        ));
    }
    let built = (|| {
        let (key, key_col, existing, external_id) = found?;
        let ent = ent?;
        let headcount = headcount?;
        let region = region_given?
            .or(existing.as_ref().map(|d| d.region))
            .unwrap_or(ent.region);
        Some(Built {
            key,
            key_col,
            record: JobDemand {
                id: existing.as_ref().map(|d| d.id).unwrap_or_default(),
                external_id,
                enterprise: ent.id,
                occupation: occupation?,
                region,
                kind: kind?,
                headcount,
                wage_min: wage_min?,
                wage_max: wage_max?,
                min_level: min_level?,
                posted: posted?,
                status: crate::store::demand_status(asked?, usage.hired, headcount),
            },
            existing,
        })
    })();
    finish(e, built)
}

pub(super) fn class(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Rows<Built<TrainingClass>> {
    let mut e = Errs::default();
    let name = e.ok(name_cell(cols, row, "name"));
    let inst = e
        .ok(cols.required(row, "institution"))
        .and_then(|n| e.ok(cx.institution("institution", n)));
    let occupation = e.ok(cols
        .required(row, "occupation")
        .and_then(|v| parse_with("occupation", v, resolve::occupation)));
    let start = e.ok(cols
        .required(row, "start")
        .and_then(|v| parse_with("start", v, resolve::date)));
    let end = e.ok(cols
        .required(row, "end")
        .and_then(|v| parse_with("end", v, resolve::date)));
    let capacity = e.ok(cols
        .required(row, "capacity")
        .and_then(|v| parse_with("capacity", v, |v| resolve::number(v, 0, 100_000))));
    let region_given = e.ok(region_cell(cols, row, "region"));
    let mut existing = None;
    if let (Some(name), Some(inst), Some(start)) = (&name, &inst, start) {
        let found = e
            .ok(cx
                .classes()
                .map(|m| m.get(&(name.clone(), inst.id, start)).cloned().unwrap_or_default()))
            .unwrap_or_default();
        if found.len() > 1 {
            let ids: Vec<String> = found.iter().map(|c| c.to_string()).collect();
            e.ok::<()>(bad("name", name.clone(), Why::SeveralClasses { ids }));
        } else if let Some(id) = found.first() {
            existing = e.ok(cx.store.get::<TrainingClass>(id.0).map_err(read_err)).flatten();
        }
    }
    let old = existing.as_ref();
    let kind = e.ok(cols.field(
        row,
        "kind",
        old.map(|c| &c.kind),
        None,
        || ClassKind::Subsidized,
        |v| parse_with("kind", v, resolve::class_kind),
    ));
    let program = e.ok(cols.field(
        row,
        "program",
        old.map(|c| &c.program),
        None,
        || ProgramId(0),
        |v| parse_with("program", v, resolve::program),
    ));
    let target_level = e.ok(cols.field(
        row,
        "target_level",
        old.map(|c| &c.target_level),
        None,
        || SkillLevel::L5,
        |v| parse_with("target_level", v, resolve::level),
    ));
    let status = e.ok(cols.field(
        row,
        "status",
        old.map(|c| &c.status),
        None,
        || ClassStatus::Planned,
        |v| parse_with("status", v, resolve::class_status),
    ));
    let linked_demands = match cols.given(row, "linked_demands") {
        super::cols::Given::Value(v) => match cx.demands() {
            Err(x) => e.ok(Err(x)),
            Ok(demands) => {
                let mut ids = Vec::new();
                let mut failed = None;
                for part in resolve::split_list(v) {
                    match demands.by_ref(part) {
                        Ok(Some(d)) => {
                            if !ids.contains(&d.id) {
                                ids.push(d.id)
                            }
                        }
                        Ok(None) => {
                            let refs = demands.refs();
                            let near = nearest(part, refs.iter().map(String::as_str), 3);
                            failed = Some(Why::NoDemand {
                                code: part.to_string(),
                                near: near.into_iter().map(str::to_string).collect(),
                            });
                            break;
                        }
                        Err(many) => {
                            failed = Some(Why::Other(format!(
                                "{} demands have 编号 '{part}' ({}): the database is damaged; run `skillbridge check`",
                                many.len(),
                                many.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                            )));
                            break;
                        }
                    }
                }
                match failed {
                    Some(reason) => e.ok(bad("linked_demands", v, reason)),
                    None => Some(ids),
                }
            }
        },
        g => {
            let clear = g == super::cols::Given::Empty && cols.clear_empty;
            Some(if clear {
                Vec::new()
            } else {
                old.map(|c| c.linked_demands.clone()).unwrap_or_default()
            })
        }
    };
    if let (Some(old), Some(capacity)) = (old, capacity) {
        let used = e.ok(cx.store.seats_used(old.id).map_err(read_err)).unwrap_or(0);
        if capacity < used {
            e.ok::<()>(bad("capacity", capacity.to_string(), Why::SeatsTaken { used }));
        }
    }
    let built = (|| {
        let (name, inst, start) = (name?, inst?, start?);
        let key = format!("{name}\u{1f}{}\u{1f}{start}", inst.id);
        Some(Built {
            key,
            key_col: "name",
            record: TrainingClass {
                id: old.map(|c| c.id).unwrap_or_default(),
                name,
                institution: inst.id,
                occupation: occupation?,
                region: region_given?.or(old.map(|c| c.region)).unwrap_or(inst.region),
                kind: kind?,
                program: program?,
                quarter: Quarter::of(start),
                start,
                end: end?,
                capacity: capacity?,
                target_level: target_level?,
                linked_demands: linked_demands?,
                status: status?,
            },
            existing: existing.clone(),
        })
    })();
    finish(e, built)
}

fn id_number(cx: &Cx<'_>, raw: &str) -> Cell<IdNumber> {
    let text = resolve::digits(resolve::unwrap_text_number(raw));
    if resolve::looks_scientific(&text) {
        return bad("id_number", raw, Why::ExcelRounded);
    }
    IdNumber::parse_on(&text, cx.today).map_err(|e| CellError {
        key: "id_number",
        value: raw.to_string(),
        reason: e.into(),
    })
}

fn mobile(raw: &str) -> Cell<Option<Mobile>> {
    let t = resolve::mobile(resolve::unwrap_text_number(raw));
    if resolve::looks_scientific(&t) {
        return bad("mobile", raw, Why::ExcelRounded);
    }
    Mobile::parse(&t).map(Some).map_err(|e| CellError {
        key: "mobile",
        value: raw.to_string(),
        reason: e.into(),
    })
}

pub(super) fn trainee(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Rows<Built<Trainee>> {
    let mut e = Errs::default();
    let name = e.ok(name_cell(cols, row, "name"));
    let id = e
        .ok(cols.required(row, "id_number"))
        .and_then(|raw| e.ok(id_number(cx, raw)));
    let existing = match &id {
        Some(id) => e
            .ok(cx
                .trainees()
                .and_then(|all| all.one(id.as_str(), "id_number", id.as_str())))
            .flatten(),
        None => None,
    };
    let old = existing.as_ref();
    let mobile = e.ok(cols.field(row, "mobile", old.map(|t| &t.mobile), Some(None), || None, mobile));
    let region = match e.ok(region_cell(cols, row, "region")) {
        None => None,
        Some(Some(r)) => Some(r),
        Some(None) => match (old.map(|t| t.region), &id) {
            (Some(r), _) => Some(r),
            (None, Some(id)) => match resolve::region_of_address(id.address_code()) {
                Some(r) => Some(r),
                None => e.ok(bad(
                    "region",
                    cols.get(row, "region").unwrap_or_default(),
                    format!(
                        "no region given, and the ID number's address code {} is not a district of the city: give the 区域",
                        id.address_code()
                    ),
                )),
            },
            (None, None) => None,
        },
    };
    let key_group = e.ok(cols.field(
        row,
        "key_group",
        old.map(|t| &t.key_group),
        Some(None),
        || None,
        |v| Ok(resolve::key_group(v).map(Into::into)),
    ));
    let wanted = e.ok(cols.field(
        row,
        "wanted",
        old.map(|t| &t.wanted),
        Some(Wanted::default()),
        Wanted::default,
        |v| parse_with("wanted", v, resolve::occupations).map(Into::into),
    ));
    let today = cx.today;
    let created = e.ok(cols.field(
        row,
        "created",
        old.map(|t| &t.created),
        None,
        || today,
        |v| parse_with("created", v, resolve::date),
    ));
    let built = (|| {
        let id_number = id?;
        Some(Built {
            key: id_number.as_str().to_string(),
            key_col: "id_number",
            record: Trainee {
                id: old.map(|t| t.id).unwrap_or_default(),
                name: name?.into(),
                id_number,
                mobile: mobile?,
                key_group: key_group?,
                region: region?,
                wanted: wanted?,
                created: created?,
            },
            existing: existing.clone(),
        })
    })();
    finish(e, built)
}
