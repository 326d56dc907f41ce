//! What each kind of record shows in a list and what it is found by: the
//! searchable cells (joined into the search line, so highlights map back to
//! cells) and hidden search text (English names, aliases, codes).

use super::data::Data;
use crate::domain::*;
use crate::search::Hay;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Demands,
    Classes,
    Trainees,
    Cases,
    Institutions,
    Enterprises,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Demands,
        Kind::Classes,
        Kind::Trainees,
        Kind::Cases,
        Kind::Institutions,
        Kind::Enterprises,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Demands => "demands",
            Kind::Classes => "classes",
            Kind::Trainees => "trainees",
            Kind::Cases => "cases",
            Kind::Institutions => "institutions",
            Kind::Enterprises => "enterprises",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == s)
    }
}

/// Separator between cells in the search line.
pub const SEP: &str = "  ";

fn occ_hidden(o: OccupationId) -> String {
    match o.get() {
        Some(o) => {
            let mut s = format!("{} {}", o.en, o.aliases.join(" "));
            if let Some((code, _)) = o.code {
                s.push(' ');
                s.push_str(code);
            }
            if let Some(g) = o.group {
                s.push(' ');
                s.push_str(g);
            }
            s
        }
        None => String::new(),
    }
}

/// Searchable cells of a record, in display order.
pub fn cells(data: &Data, kind: Kind, id: u64) -> Option<Vec<String>> {
    Some(match kind {
        Kind::Demands => {
            let d = data.demands.get(&DemandId(id))?;
            vec![
                d.occupation.zh().to_string(),
                data.enterprise_name(d.enterprise).to_string(),
                d.region.zh().to_string(),
                d.id.to_string(),
            ]
        }
        Kind::Classes => {
            let c = data.classes.get(&ClassId(id))?;
            vec![
                c.name.clone(),
                data.institution(c.institution)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                c.kind.zh().to_string(),
                c.id.to_string(),
            ]
        }
        Kind::Trainees => {
            let t = data.trainees.get(&TraineeId(id))?;
            vec![
                t.name.clone(),
                t.id_number.to_string(),
                t.mobile.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                t.region.zh().to_string(),
                t.wanted.iter().map(|o| o.zh()).collect::<Vec<_>>().join("、"),
            ]
        }
        Kind::Cases => {
            let c = data.cases.get(&CaseId(id))?;
            let t = data.trainees.get(&c.trainee);
            let class = data.classes.get(&c.class);
            vec![
                t.map(|t| t.name.clone()).unwrap_or_default(),
                class.map(|k| k.occupation.zh().to_string()).unwrap_or_default(),
                c.state.kind().zh().to_string(),
                class.map(|k| k.name.clone()).unwrap_or_default(),
                c.id.to_string(),
            ]
        }
        Kind::Institutions => {
            let i = data.institutions.get(&InstitutionId(id))?;
            vec![i.name.clone(), i.region.zh().to_string(), "★".repeat(i.stars as usize)]
        }
        Kind::Enterprises => {
            let e = data.enterprises.get(&EnterpriseId(id))?;
            vec![e.name.clone(), e.region.zh().to_string(), e.industry.clone()]
        }
    })
}

fn hidden(data: &Data, kind: Kind, id: u64) -> String {
    match kind {
        Kind::Demands => data
            .demands
            .get(&DemandId(id))
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    occ_hidden(d.occupation),
                    d.region.en(),
                    d.kind.en(),
                    d.external_id.clone().unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        Kind::Classes => data
            .classes
            .get(&ClassId(id))
            .map(|c| {
                format!(
                    "{} {} {} {} {} {}",
                    c.occupation.zh(),
                    occ_hidden(c.occupation),
                    c.region.zh(),
                    c.region.en(),
                    c.kind.name(),
                    c.program.zh()
                )
            })
            .unwrap_or_default(),
        Kind::Trainees => data
            .trainees
            .get(&TraineeId(id))
            .map(|t| {
                let occ: Vec<String> = t.wanted.iter().map(|o| occ_hidden(*o)).collect();
                format!(
                    "{} {} {}",
                    t.region.en(),
                    t.key_group.clone().unwrap_or_default(),
                    occ.join(" ")
                )
            })
            .unwrap_or_default(),
        Kind::Cases => data
            .cases
            .get(&CaseId(id))
            .map(|c| {
                let t = data.trainees.get(&c.trainee);
                format!(
                    "{} {} {}",
                    c.state.kind().en(),
                    t.map(|t| t.id_number.to_string()).unwrap_or_default(),
                    data.classes
                        .get(&c.class)
                        .map(|k| occ_hidden(k.occupation))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        Kind::Institutions => data
            .institutions
            .get(&InstitutionId(id))
            .map(|i| format!("{} {}", i.region.en(), i.id))
            .unwrap_or_default(),
        Kind::Enterprises => data
            .enterprises
            .get(&EnterpriseId(id))
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.region.en(),
                    e.alliance.map(|a| a.zh()).unwrap_or(""),
                    e.id
                )
            })
            .unwrap_or_default(),
    }
}

/// The search line: the cells, then the hidden text.
pub fn hay(data: &Data, kind: Kind, id: u64) -> Option<Hay> {
    let c = cells(data, kind, id)?;
    let mut line = c.join(SEP);
    line.push_str(SEP);
    line.push_str(&hidden(data, kind, id));
    Some(Hay::new(line))
}

/// Split highlighted line positions into per-cell positions.
pub fn cell_highlights(cells: &[String], line_hits: &[usize]) -> Vec<Vec<usize>> {
    let sep = SEP.chars().count();
    let mut out = Vec::with_capacity(cells.len());
    let mut start = 0;
    for c in cells {
        let n = c.chars().count();
        out.push(
            line_hits
                .iter()
                .filter(|&&i| i >= start && i < start + n)
                .map(|i| i - start)
                .collect(),
        );
        start += n + sep;
    }
    out
}
