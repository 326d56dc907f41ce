//! What each kind of record shows in a list and what it is found by: the
//! searchable cells (joined into the search line, so highlights map back to
//! cells) and hidden search text (English names, aliases, codes).

use super::data::Data;
use crate::domain::*;
use crate::search::{Hay, Query};
use std::borrow::Cow;

/// Separator between cells in the search line.
pub const SEP: &str = "  ";

/// A trade's hidden search text (English name, aliases, code, group),
/// made once per catalog: an alias added at run time is in the next
/// catalog's text, and the indexes are rebuilt with it.
fn occ_hidden(o: OccupationId) -> &'static str {
    crate::domain::catalog::current().occupation_search_text(o)
}

/// Searchable cells of a record, in display order.
pub fn cells(data: &Data, kind: Kind, id: u64) -> Option<Vec<Cow<'_, str>>> {
    Some(match kind {
        Kind::Demands => {
            let d = data.demands.get(&DemandId(id))?;
            vec![
                d.occupation.zh().into(),
                data.enterprise_name(d.enterprise).into(),
                d.region.zh().into(),
                d.id.to_string().into(),
            ]
        }
        Kind::Classes => {
            let c = data.classes.get(&ClassId(id))?;
            vec![
                c.name.as_str().into(),
                data.institution(c.institution)
                    .map(|i| i.name.as_str())
                    .unwrap_or_default()
                    .into(),
                c.kind.zh().into(),
                c.id.to_string().into(),
            ]
        }
        Kind::Trainees => {
            let t = data.trainees.get(&TraineeId(id))?;
            vec![
                t.name.as_str().into(),
                t.id_number.as_str().into(),
                t.mobile.as_ref().map(|m| m.as_str()).unwrap_or_default().into(),
                t.region.zh().into(),
                match t.wanted.as_slice() {
                    [] => "".into(),
                    [one] => one.zh().into(),
                    many => many.iter().map(|o| o.zh()).collect::<Vec<_>>().join("、").into(),
                },
            ]
        }
        Kind::Cases => {
            let c = data.cases.get(&CaseId(id))?;
            let t = data.trainees.get(&c.trainee);
            let class = data.classes.get(&c.class);
            vec![
                t.map(|t| t.name.as_str()).unwrap_or_default().into(),
                class.map(|k| k.occupation.zh()).unwrap_or_default().into(),
                c.state.kind().zh().into(),
                class.map(|k| k.name.as_str()).unwrap_or_default().into(),
                c.id.to_string().into(),
            ]
        }
        Kind::Institutions => {
            let i = data.institutions.get(&InstitutionId(id))?;
            vec![
                i.name.as_str().into(),
                i.region.zh().into(),
                "★".repeat(i.stars as usize).into(),
            ]
        }
        Kind::Enterprises => {
            let e = data.enterprises.get(&EnterpriseId(id))?;
            vec![e.name.as_str().into(), e.region.zh().into(), e.industry.as_str().into()]
        }
    })
}

/// What a record is found by beyond its cells: text of its own (appended
/// to its line) and text it shares with many records (kept once, as tags).
fn hidden(data: &Data, kind: Kind, id: u64) -> (Cow<'_, str>, Vec<Cow<'_, str>>) {
    let none = || (Cow::Borrowed(""), Vec::new());
    match kind {
        Kind::Demands => data
            .demands
            .get(&DemandId(id))
            .map(|d| {
                (
                    d.external_id.as_deref().unwrap_or_default().into(),
                    vec![
                        occ_hidden(d.occupation).into(),
                        d.region.en().into(),
                        d.kind.en().into(),
                    ],
                )
            })
            .unwrap_or_else(none),
        Kind::Classes => data
            .classes
            .get(&ClassId(id))
            .map(|c| {
                (
                    Cow::Borrowed(""),
                    vec![
                        c.occupation.zh().into(),
                        occ_hidden(c.occupation).into(),
                        c.region.zh().into(),
                        c.region.en().into(),
                        c.kind.name().into(),
                        c.program.zh().into(),
                    ],
                )
            })
            .unwrap_or_else(none),
        Kind::Trainees => data
            .trainees
            .get(&TraineeId(id))
            .map(|t| {
                let mut tags: Vec<Cow<'_, str>> =
                    vec![t.region.en().into(), t.key_group.as_deref().unwrap_or_default().into()];
                tags.extend(t.wanted.iter().map(|o| Cow::Borrowed(occ_hidden(*o))));
                // The code the detail shows (T6693), lower-cased so the line's
                // ASCII tail (ID number, mobile) stays one shared run.
                (format!("t{}", t.id.0).into(), tags)
            })
            .unwrap_or_else(none),
        Kind::Cases => data
            .cases
            .get(&CaseId(id))
            .map(|c| {
                let t = data.trainees.get(&c.trainee);
                (
                    t.map(|t| t.id_number.as_str()).unwrap_or_default().into(),
                    vec![
                        c.state.kind().en().into(),
                        data.classes
                            .get(&c.class)
                            .map(|k| occ_hidden(k.occupation))
                            .unwrap_or_default()
                            .into(),
                    ],
                )
            })
            .unwrap_or_else(none),
        Kind::Institutions => data
            .institutions
            .get(&InstitutionId(id))
            .map(|i| (i.id.to_string().into(), vec![i.region.en().into()]))
            .unwrap_or_else(none),
        Kind::Enterprises => data
            .enterprises
            .get(&EnterpriseId(id))
            .map(|e| {
                (
                    e.id.to_string().into(),
                    vec![e.region.en().into(), e.alliance.map(|a| a.zh()).unwrap_or("").into()],
                )
            })
            .unwrap_or_else(none),
    }
}

/// Cells of a kind that many records share (a district, a trade, a state,
/// a class's name): searched as tags, kept once per index rather than once
/// per record (at a million trainees and cases this is some 250 MB).
fn shared_cells(kind: Kind) -> &'static [usize] {
    match kind {
        Kind::Trainees => &[3, 4],
        Kind::Cases => &[1, 2, 3],
        _ => &[],
    }
}

/// A record's search text: its line (its own cells, then text of its own)
/// and the shared texts it is also found by (shared cells among them).
pub fn hay(data: &Data, kind: Kind, id: u64) -> Option<(Hay, Vec<Cow<'_, str>>)> {
    let c = cells(data, kind, id)?;
    let (own, mut tags) = hidden(data, kind, id);
    let shared = shared_cells(kind);
    let mut line = String::with_capacity(c.iter().map(|x| x.len() + SEP.len()).sum::<usize>() + own.len());
    let mut shared_texts = Vec::with_capacity(shared.len());
    for (i, x) in c.into_iter().enumerate() {
        if shared.contains(&i) {
            shared_texts.push(x);
            continue;
        }
        if !line.is_empty() {
            line.push_str(SEP);
        }
        line.push_str(&x);
    }
    if !own.is_empty() {
        line.push_str(SEP);
        line.push_str(&own);
    }
    shared_texts.append(&mut tags);
    Some((Hay::new(line), shared_texts))
}

/// Per cell, the characters `query` matches: worked out on the cells as
/// shown (the index keeps shared cells apart), for the rows on screen.
pub fn highlights<S: AsRef<str>>(cells: &[S], query: &Query) -> Vec<Vec<usize>> {
    if query.is_empty() {
        return vec![Vec::new(); cells.len()];
    }
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str(SEP);
        }
        line.push_str(c.as_ref());
    }
    cell_highlights(cells, &crate::search::highlight(&Hay::new(line), query))
}

/// Split highlighted line positions into per-cell positions.
pub fn cell_highlights<S: AsRef<str>>(cells: &[S], line_hits: &[usize]) -> Vec<Vec<usize>> {
    let sep = SEP.chars().count();
    let mut out = Vec::with_capacity(cells.len());
    let mut start = 0;
    for c in cells {
        let n = c.as_ref().chars().count();
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
