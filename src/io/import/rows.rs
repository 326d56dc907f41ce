//! Each kind's rows turned into records: the lookups an import shares
//! (institutions, enterprises, demands and classes by their natural keys),
//! and one builder per kind that applies the store's rules to a row.

use super::super::resolve;
use super::super::table::Row;
use super::cols::{Cell, CellError, Cols, bad, name_cell, parse_with, region_cell};
use crate::domain::*;
use crate::store::{Store, StoreError};
use crate::suggest::{did_you_mean, nearest};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Demands by their references, for demand keys and classes' links.
#[derive(Default)]
pub(super) struct Demands {
    by_id: HashMap<u64, JobDemand>,
    by_external: HashMap<String, DemandId>,
    by_triple: HashMap<(EnterpriseId, OccupationId, RegionId), Vec<DemandId>>,
}

impl Demands {
    fn load(store: &Store) -> Result<Demands, StoreError> {
        let mut d = Demands::default();
        for dm in store.all::<JobDemand>()? {
            if let Some(e) = &dm.external_id {
                d.by_external.insert(e.clone(), dm.id);
            }
            d.by_triple
                .entry((dm.enterprise, dm.occupation, dm.region))
                .or_default()
                .push(dm.id);
            d.by_id.insert(dm.id.0, dm);
        }
        Ok(d)
    }

    /// A demand by its 编号: a source id, or `D<n>` for a demand that has none.
    fn by_ref(&self, r: &str) -> Option<&JobDemand> {
        if let Some(id) = self.by_external.get(r) {
            return self.by_id.get(&id.0);
        }
        let n: u64 = r.strip_prefix('D')?.parse().ok()?;
        self.by_id.get(&n).filter(|d| d.external_id.is_none())
    }

    fn refs(&self) -> Vec<String> {
        self.by_id.values().map(demand_ref).collect()
    }
}

/// The 编号 export writes for a demand: its source id, else `D<n>`.
pub fn demand_ref(d: &JobDemand) -> String {
    d.external_id.clone().unwrap_or_else(|| d.id.to_string())
}

/// Classes by name, institution and start date.
pub(super) type ClassKeys = HashMap<(String, InstitutionId, NaiveDate), Vec<ClassId>>;

/// Lookups shared by the rows of one import.
pub(super) struct Cx<'a> {
    pub(super) store: &'a Store,
    pub(super) today: NaiveDate,
    pub(super) institutions: HashMap<String, Option<Institution>>,
    pub(super) enterprises: HashMap<String, Option<Enterprise>>,
    pub(super) institution_names: Option<Vec<String>>,
    pub(super) enterprise_names: Option<Vec<String>>,
    pub(super) demands: Option<Demands>,
    pub(super) classes: Option<ClassKeys>,
}

pub(super) fn read_err(e: StoreError) -> CellError {
    CellError {
        key: "",
        value: String::new(),
        reason: format!("reading the database failed: {e}"),
    }
}

impl Cx<'_> {
    fn institution(&mut self, key: &'static str, name: &str) -> Cell<Institution> {
        if !self.institutions.contains_key(name) {
            let found = self.store.institution_by_name(name).map_err(read_err)?;
            self.institutions.insert(name.to_string(), found);
        }
        if let Some(Some(i)) = self.institutions.get(name) {
            return Ok(i.clone());
        }
        if self.institution_names.is_none() {
            let all = self.store.all::<Institution>().map_err(read_err)?;
            self.institution_names = Some(all.into_iter().map(|i| i.name).collect());
        }
        let names = self.institution_names.as_deref().unwrap_or_default();
        bad(
            key,
            name,
            no_such("institution", name, names, "import institutions first"),
        )
    }

    fn enterprise(&mut self, key: &'static str, name: &str) -> Cell<Enterprise> {
        if !self.enterprises.contains_key(name) {
            let found = self.store.enterprise_by_name(name).map_err(read_err)?;
            self.enterprises.insert(name.to_string(), found);
        }
        if let Some(Some(e)) = self.enterprises.get(name) {
            return Ok(e.clone());
        }
        if self.enterprise_names.is_none() {
            let all = self.store.all::<Enterprise>().map_err(read_err)?;
            self.enterprise_names = Some(all.into_iter().map(|e| e.name).collect());
        }
        let names = self.enterprise_names.as_deref().unwrap_or_default();
        bad(
            key,
            name,
            no_such("enterprise", name, names, "import enterprises first"),
        )
    }

    fn demands(&mut self) -> Cell<&Demands> {
        if self.demands.is_none() {
            self.demands = Some(Demands::load(self.store).map_err(read_err)?);
        }
        Ok(self.demands.get_or_insert_with(Demands::default))
    }

    fn classes(&mut self) -> Cell<&ClassKeys> {
        if self.classes.is_none() {
            let mut m: ClassKeys = HashMap::new();
            for c in self.store.all::<TrainingClass>().map_err(read_err)? {
                m.entry((c.name.trim().to_string(), c.institution, c.start))
                    .or_default()
                    .push(c.id);
            }
            self.classes = Some(m);
        }
        Ok(self.classes.get_or_insert_with(HashMap::new))
    }
}

pub(super) fn no_such(what: &str, name: &str, names: &[String], hint: &str) -> String {
    let near = nearest(name, names.iter().map(String::as_str), 3);
    let mut s = format!("no {what} is called that");
    if near.is_empty() {
        s.push_str(&format!(" ({} {what}s in the database; {hint})", names.len()));
    } else {
        s.push_str(&format!("; {}", did_you_mean(&near)));
    }
    s
}

/// A row turned into a record, with its natural key and the stored record it matches.
pub(super) struct Built<R> {
    pub(super) key: String,
    pub(super) key_col: &'static str,
    pub(super) existing: Option<R>,
    pub(super) record: R,
}

pub(super) fn institution(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Institution>> {
    let name = name_cell(cols, row)?;
    let existing = cx.store.institution_by_name(name).map_err(read_err)?;
    let region = parse_with("region", cols.required(row, "region")?, resolve::region)?;
    let stars = parse_with("stars", cols.required(row, "stars")?, resolve::stars)?;
    let record = Institution {
        id: existing.as_ref().map(|e| e.id).unwrap_or_default(),
        name: name.into(),
        region,
        stars,
    };
    Ok(Built {
        key: name.to_string(),
        key_col: "name",
        existing,
        record,
    })
}

pub(super) fn enterprise(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Enterprise>> {
    let name = name_cell(cols, row)?;
    let existing = cx.store.enterprise_by_name(name).map_err(read_err)?;
    let region = parse_with("region", cols.required(row, "region")?, resolve::region)?;
    let industry = match cols.get(row, "industry") {
        Some(v) => v.to_string(),
        None => existing.as_ref().map(|e| e.industry.clone()).unwrap_or_default(),
    };
    let alliance = match cols.get(row, "alliance") {
        Some("") => None,
        Some(v) => Some(parse_with("alliance", v, resolve::alliance)?),
        None => existing.as_ref().and_then(|e| e.alliance),
    };
    let record = Enterprise {
        id: existing.as_ref().map(|e| e.id).unwrap_or_default(),
        name: name.to_string(),
        region,
        industry,
        alliance,
    };
    Ok(Built {
        key: name.to_string(),
        key_col: "name",
        existing,
        record,
    })
}

pub(super) fn demand(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<JobDemand>> {
    let ent_name = cols.required(row, "enterprise")?;
    let ent = cx.enterprise("enterprise", ent_name)?;
    let occupation = parse_with("occupation", cols.required(row, "occupation")?, resolve::occupation)?;
    let region_given = region_cell(cols, row, "region")?;
    let headcount = parse_with("headcount", cols.required(row, "headcount")?, |v| {
        resolve::number(v, 0, 1_000_000)
    })?;
    let reference = cols.value(row, "external_id");
    let today = cx.today;
    let demands = cx.demands()?;
    let (key, key_col, existing, external_id) = match reference {
        Some(r) => {
            let existing = demands.by_ref(r).cloned();
            let external = match &existing {
                Some(d) if d.external_id.is_none() => None,
                _ => Some(r.to_string()),
            };
            (format!("ref {r}"), "external_id", existing, external)
        }
        None => {
            let region = region_given.unwrap_or(ent.region);
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
                return bad(
                    "enterprise",
                    ent_name,
                    format!(
                        "{} demands of this enterprise for {} in {} exist ({}): add a 编号 column to say which one",
                        found.len(),
                        occupation.zh(),
                        region.zh(),
                        ids.join(", ")
                    ),
                );
            }
            let existing = found.first().and_then(|id| demands.by_id.get(&id.0)).cloned();
            let external = existing.as_ref().and_then(|d| d.external_id.clone());
            (
                format!("{} {} {}", ent.id, occupation.0, region.0),
                "enterprise",
                existing,
                external,
            )
        }
    };
    let old = existing.as_ref();
    let region = region_given.or(old.map(|d| d.region)).unwrap_or(ent.region);
    let kind = match cols.value(row, "kind") {
        Some(v) => parse_with("kind", v, resolve::post_kind)?,
        None => old
            .map(|d| d.kind)
            .or(occupation.get().map(|o| o.kind))
            .unwrap_or(PostKind::Skilled),
    };
    let wage_min = match cols.get(row, "wage_min") {
        Some("") => 0,
        Some(v) => parse_with("wage_min", v, |v| resolve::number(v, 0, 1_000_000))?,
        None => old.map(|d| d.wage_min).unwrap_or(0),
    };
    let wage_max = match cols.get(row, "wage_max") {
        Some("") => wage_min,
        Some(v) => parse_with("wage_max", v, |v| resolve::number(v, 0, 1_000_000))?,
        None => old.map(|d| d.wage_max).unwrap_or(wage_min).max(wage_min),
    };
    let min_level = match cols.get(row, "min_level") {
        Some(v) => parse_with("min_level", v, resolve::min_level)?,
        None => old.and_then(|d| d.min_level),
    };
    let posted = match cols.value(row, "posted") {
        Some(v) => parse_with("posted", v, resolve::date)?,
        None => old.map(|d| d.posted).unwrap_or(today),
    };
    let asked = match cols.value(row, "status") {
        Some(v) => parse_with("status", v, resolve::demand_status)?,
        None => old.map(|d| d.status).unwrap_or(DemandStatus::Open),
    };
    // The store's rules for a demand with posts already taken.
    let usage = match old {
        Some(d) => cx.store.demand_usage(d.id).map_err(read_err)?,
        None => Default::default(),
    };
    if headcount < usage.taken() {
        return bad(
            "headcount",
            headcount.to_string(),
            format!(
                "{} posts are already referred or hired; headcount must be at least that",
                usage.taken()
            ),
        );
    }
    let status = crate::store::demand_status(asked, usage.hired, headcount);
    let record = JobDemand {
        id: old.map(|d| d.id).unwrap_or_default(),
        external_id,
        enterprise: ent.id,
        occupation,
        region,
        kind,
        headcount,
        wage_min,
        wage_max,
        min_level,
        posted,
        status,
    };
    Ok(Built {
        key,
        key_col,
        existing,
        record,
    })
}

pub(super) fn class(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<TrainingClass>> {
    let name = name_cell(cols, row)?;
    let inst = cx.institution("institution", cols.required(row, "institution")?)?;
    let occupation = parse_with("occupation", cols.required(row, "occupation")?, resolve::occupation)?;
    let start = parse_with("start", cols.required(row, "start")?, resolve::date)?;
    let end = parse_with("end", cols.required(row, "end")?, resolve::date)?;
    let capacity = parse_with("capacity", cols.required(row, "capacity")?, |v| {
        resolve::number(v, 0, 100_000)
    })?;
    let region_given = region_cell(cols, row, "region")?;
    let found = cx
        .classes()?
        .get(&(name.to_string(), inst.id, start))
        .cloned()
        .unwrap_or_default();
    if found.len() > 1 {
        let ids: Vec<String> = found.iter().map(|c| c.to_string()).collect();
        return bad(
            "name",
            name,
            format!(
                "{} classes of this name, institution and start date exist ({}): rename them apart first",
                found.len(),
                ids.join(", ")
            ),
        );
    }
    let existing = match found.first() {
        Some(id) => cx.store.get::<TrainingClass>(id.0).map_err(read_err)?,
        None => None,
    };
    let old = existing.as_ref();
    let kind = match cols.value(row, "kind") {
        Some(v) => parse_with("kind", v, resolve::class_kind)?,
        None => old.map(|c| c.kind).unwrap_or(ClassKind::Subsidized),
    };
    let program = match cols.value(row, "program") {
        Some(v) => parse_with("program", v, resolve::program)?,
        None => old.map(|c| c.program).unwrap_or(ProgramId(0)),
    };
    let target_level = match cols.value(row, "target_level") {
        Some(v) => parse_with("target_level", v, resolve::level)?,
        None => old.map(|c| c.target_level).unwrap_or(SkillLevel::L5),
    };
    let status = match cols.value(row, "status") {
        Some(v) => parse_with("status", v, resolve::class_status)?,
        None => old.map(|c| c.status).unwrap_or(ClassStatus::Planned),
    };
    let linked_demands = match cols.get(row, "linked_demands") {
        Some(v) => {
            let demands = cx.demands()?;
            let mut ids = Vec::new();
            for part in resolve::split_list(v) {
                match demands.by_ref(part) {
                    Some(d) => {
                        if !ids.contains(&d.id) {
                            ids.push(d.id)
                        }
                    }
                    None => {
                        let refs = demands.refs();
                        let near = nearest(part, refs.iter().map(String::as_str), 3);
                        let mut reason = format!("no demand has 编号 '{part}' (import demands first)");
                        if !near.is_empty() {
                            reason.push_str(&format!("; {}", did_you_mean(&near)));
                        }
                        return bad("linked_demands", v, reason);
                    }
                }
            }
            ids
        }
        None => old.map(|c| c.linked_demands.clone()).unwrap_or_default(),
    };
    if let Some(old) = old {
        let used = cx.store.seats_used(old.id).map_err(read_err)?;
        if capacity < used {
            return bad(
                "capacity",
                capacity.to_string(),
                format!("{used} seats are already taken; capacity must be at least that"),
            );
        }
    }
    let record = TrainingClass {
        id: old.map(|c| c.id).unwrap_or_default(),
        name: name.to_string(),
        institution: inst.id,
        occupation,
        region: region_given.or(old.map(|c| c.region)).unwrap_or(inst.region),
        kind,
        program,
        quarter: Quarter::of(start),
        start,
        end,
        capacity,
        target_level,
        linked_demands,
        status,
    };
    Ok(Built {
        key: format!("{name}\u{1f}{}\u{1f}{start}", inst.id),
        key_col: "name",
        existing,
        record,
    })
}

pub(super) const EXCEL_ROUNDED: &str = "Excel stored this number as a number and kept only 15 digits, so the rest are lost: format the column as Text and enter the numbers again";

pub(super) fn trainee(cx: &mut Cx<'_>, cols: &Cols, row: &Row) -> Cell<Built<Trainee>> {
    let name = name_cell(cols, row)?;
    let raw = cols.required(row, "id_number")?;
    let text = resolve::unwrap_text_number(raw);
    if resolve::looks_scientific(text) {
        return bad("id_number", raw, EXCEL_ROUNDED);
    }
    let id_number = IdNumber::parse_on(text, cx.today).map_err(|e| CellError {
        key: "id_number",
        value: raw.to_string(),
        reason: e.to_string(),
    })?;
    let existing = cx.store.trainee_by_id_number(&id_number).map_err(read_err)?;
    let old = existing.as_ref();
    let mobile = match cols.get(row, "mobile") {
        Some("") => None,
        Some(v) => {
            let t = resolve::unwrap_text_number(v);
            if resolve::looks_scientific(t) {
                return bad("mobile", v, EXCEL_ROUNDED);
            }
            Some(Mobile::parse(t).map_err(|e| CellError {
                key: "mobile",
                value: v.to_string(),
                reason: e.to_string(),
            })?)
        }
        None => old.and_then(|t| t.mobile),
    };
    let region = match region_cell(cols, row, "region")? {
        Some(r) => r,
        None => match old
            .map(|t| t.region)
            .or(resolve::region_of_address(id_number.address_code()))
        {
            Some(r) => r,
            None => {
                return bad(
                    "region",
                    cols.get(row, "region").unwrap_or_default(),
                    format!(
                        "no region given, and the ID number's address code {} is not a district of the city: give the 区域",
                        id_number.address_code()
                    ),
                );
            }
        },
    };
    let key_group = match cols.get(row, "key_group") {
        Some(v) => resolve::key_group(v),
        None => old.and_then(|t| t.key_group.as_ref().map(|g| g.to_string())),
    };
    let wanted = match cols.get(row, "wanted") {
        Some(v) => parse_with("wanted", v, resolve::occupations)?,
        None => old.map(|t| t.wanted.to_vec()).unwrap_or_default(),
    };
    let created = match cols.value(row, "created") {
        Some(v) => parse_with("created", v, resolve::date)?,
        None => old.map(|t| t.created).unwrap_or(cx.today),
    };
    let record = Trainee {
        id: old.map(|t| t.id).unwrap_or_default(),
        name: name.into(),
        id_number,
        mobile,
        key_group: key_group.map(Into::into),
        region,
        wanted: wanted.into(),
        created,
    };
    Ok(Built {
        key: id_number.as_str().to_string(),
        key_col: "id_number",
        existing,
        record,
    })
}
