//! A demo city for any city pack: the Zhenjiang demo follows the
//! article's published figures trade by trade; this one only needs the
//! installed catalog (its regions, occupations, programs, alliances and key
//! groups), so a pack of another city gets a working demo too. Institutions
//! and firms in every region, demands and classes in every occupation,
//! trainees walking their cases to every state. Deterministic for a seed.

use super::city::{Gen, date, regular_class, status_on};
use super::{META_AS_OF, META_DEMO, Options, as_of, names};
use crate::domain::catalog;
use crate::domain::*;
use crate::rng::Rng;
use crate::store::bulk::BulkWriter;
use crate::store::{Result, Store};
use chrono::Duration;
use std::collections::{HashMap, HashSet};

/// Build a demo city from the installed catalog into an empty store.
pub fn build_any(store: &Store, opts: &Options) -> Result<()> {
    let today = as_of();
    let regions: Vec<RegionId> = catalog::active_regions().map(|r| r.id).collect();
    let occupations: Vec<OccupationId> = catalog::active_occupations().map(|o| o.id).collect();
    let programs = catalog::programs().len().max(1) as u64;
    if regions.is_empty() || occupations.is_empty() {
        return Ok(());
    }
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
    let short = |r: RegionId| r.get().map(|r| r.short_zh).unwrap_or("");

    // Two schools and three firms in every region.
    let mut institutions = Vec::new();
    let mut enterprises = Vec::new();
    let mut names_used = HashSet::new();
    for (i, region) in regions.iter().enumerate() {
        for k in 0..2 {
            let name = loop {
                let n = format!(
                    "{}{}{}{}",
                    short(*region),
                    g.rng.pick(names::FIRM_WORDS),
                    g.rng.pick(names::FIRM_WORDS),
                    g.rng.pick(names::INSTITUTION_STEMS)
                );
                if names_used.insert(n.clone()) {
                    break n;
                }
            };
            let inst = Institution {
                id: InstitutionId(g.id()?),
                name,
                region: *region,
                stars: 2 + ((i + k) % 4) as u8,
            };
            g.w.put(&inst)?;
            institutions.push(inst);
        }
        let alliance = catalog::alliances().iter().find(|a| a.region == *region).map(|a| a.id);
        for _ in 0..3 {
            let name = loop {
                let n = format!(
                    "{}{}{}有限公司",
                    short(*region),
                    g.rng.pick(names::FIRM_WORDS),
                    g.rng.pick(names::FIRM_WORDS)
                );
                if names_used.insert(n.clone()) {
                    break n;
                }
            };
            let e = Enterprise {
                id: EnterpriseId(g.id()?),
                name,
                region: *region,
                industry: region.get().map(|r| r.industries.to_string()).unwrap_or_default(),
                alliance,
            };
            g.w.put(&e)?;
            enterprises.push(e);
        }
    }

    // Demands: a few in every occupation.
    for o in &occupations {
        let kind = o.get().map(|o| o.kind).unwrap_or(PostKind::Skilled);
        for _ in 0..g.rng.range(2, 4) {
            let e = &enterprises[g.rng.below(enterprises.len() as u64) as usize];
            let min = 4_000 + 100 * g.rng.range(0, 30);
            g.demands.push(JobDemand {
                id: DemandId(g.id()?),
                external_id: None,
                enterprise: e.id,
                occupation: *o,
                region: e.region,
                kind,
                headcount: g.rng.range(2, 12),
                wage_min: min,
                wage_max: min + 100 * g.rng.range(10, 30),
                min_level: if kind == PostKind::Skilled {
                    Some(SkillLevel::L5)
                } else {
                    None
                },
                posted: date(2025, *g.rng.pick(&[6, 7, 8]), g.rng.range(1, 28)),
                status: DemandStatus::Open,
            });
        }
    }

    // Classes, round the occupations, from June to December 2025, until
    // there are seats for the trainees.
    let mut classes: Vec<TrainingClass> = Vec::new();
    let mut seats = 0usize;
    let mut k = 0usize;
    while seats < opts.trainees || k < occupations.len() {
        let occ = occupations[k % occupations.len()];
        let cap = g.rng.range(20, 45);
        let start = date(2025, 6, 2) + Duration::days(g.rng.below(200) as i64);
        let end = start + Duration::days(g.rng.range(21, 56) as i64);
        let mut c = regular_class(&mut g, &institutions, occ, start, end, cap)?;
        c.program = ProgramId((k as u64 % programs) as u8);
        c.status = status_on(start, end, today);
        seats += cap as usize;
        classes.push(c);
        k += 1;
    }

    // Trainees with their cases, finished classes first.
    classes.sort_by_key(|c| (c.start, c.id));
    let fill = |s: ClassStatus| match s {
        ClassStatus::Finished => 0.9,
        ClassStatus::Running => 0.85,
        ClassStatus::Open => 0.5,
        _ => 0.2,
    };
    let mut made = 0usize;
    for class in &classes {
        let n = ((f64::from(class.capacity) * fill(class.status)) as usize).min(opts.trainees.saturating_sub(made));
        for _ in 0..n {
            let region = if g.rng.chance(0.7) {
                class.region
            } else {
                regions[g.rng.below(regions.len() as u64) as usize]
            };
            let created = (class.start - Duration::days(g.rng.range(5, 30) as i64)).min(today);
            let t = g.person(region, vec![class.occupation], created)?;
            g.w.put(&t)?;
            g.case(&t, class)?;
            made += 1;
        }
    }
    while made < opts.trainees {
        let occ = occupations[g.rng.below(occupations.len() as u64) as usize];
        let region = regions[g.rng.below(regions.len() as u64) as usize];
        let created = date(2025, 9, 1) + Duration::days(g.rng.below(44) as i64);
        let t = g.person(region, vec![occ], created)?;
        g.w.put(&t)?;
        made += 1;
    }

    // Demands with their usage, classes, seat counters.
    for d in &mut g.demands {
        if g.usage.get(&d.id).copied().unwrap_or_default().hired >= d.headcount {
            d.status = DemandStatus::Filled;
        }
    }
    let demands = std::mem::take(&mut g.demands);
    for d in &demands {
        g.w.put(d)?;
        let u = g.usage.get(&d.id).copied().unwrap_or_default();
        if u != Default::default() {
            g.w.set_demand_usage(d.id, u)?;
        }
    }
    for c in &classes {
        g.w.put(c)?;
    }
    g.w.finish()?;
    // Seat counters from the generator's book: no case is read back.
    let used = g.book.seats();
    let mut w = BulkWriter::new(store);
    for (class, n) in used {
        w.set_seats_used(class, n)?;
    }
    w.finish()?;
    store.set_meta(META_AS_OF, &today.to_string())?;
    store.set_meta(
        META_DEMO,
        &format!(
            "synthetic demo of {} (seed {}, {} trainees): every person, firm and school is invented",
            catalog::current().city.en,
            opts.seed,
            opts.trainees
        ),
    )?;
    Ok(())
}
