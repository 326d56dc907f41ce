//! Changes to a city's reference data after it is made: add an
//! occupation, an alias, a region; retire one; import entries from a file.
//! Ids are only ever appended: a new entry takes the next id, an entry is
//! retired (hidden from pickers and the kiosk), never removed, so every
//! record keeps its meaning. Each change is checked whole (the same checks
//! as `pack check`) before anything is written.

use super::load::{Entries, FileSpans, row_issues};
use super::*;
use crate::domain::access::Denied;
use crate::store::StoreError;
use std::collections::HashMap;

/// One change an operator asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogEdit {
    AddOccupation {
        zh: String,
        en: String,
        aliases: Vec<String>,
        kind: PostKind,
    },
    AddAlias {
        occupation: OccupationId,
        alias: String,
    },
    AddRegion {
        code: String,
        zh: String,
        short_zh: String,
        en: String,
        lon: f64,
        lat: f64,
    },
    RetireOccupation(OccupationId),
    RetireRegion(RegionId),
    /// Entries of an import file: an id the pack has rewrites that entry,
    /// the next ids add entries.
    Import(Entries),
}

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("{}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Issue>),
    #[error(
        "{what} '{name}' is still used by {open} open demands or classes: retire it once they are closed (it stays on the records that name it)"
    )]
    InUse {
        what: &'static str,
        name: String,
        open: usize,
    },
    #[error("there is no {what} {id}")]
    Unknown { what: &'static str, id: u32 },
    #[error("{what} '{name}' is already retired")]
    AlreadyRetired { what: &'static str, name: String },
    #[error("{0}")]
    File(PackError),
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Apply `edit` to `pack`; what it did, for the audit record.
pub fn apply(pack: &mut Pack, edit: &CatalogEdit) -> Result<String, CatalogError> {
    let detail = match edit {
        CatalogEdit::AddOccupation { zh, en, aliases, kind } => {
            let id = pack.occupations.len();
            let id16 = u16::try_from(id).map_err(|_| CatalogError::Invalid(vec![too_many("occupation", id)]))?;
            pack.occupations.push(OccupationRow {
                id: id16,
                zh: words(zh),
                en: words(en),
                aliases: aliases.iter().map(|a| words(a)).filter(|a| !a.is_empty()).collect(),
                code: None,
                group: None,
                kind: *kind,
                related: vec![],
                retired: false,
            });
            format!("occupation {id} added: {} ({})", words(zh), words(en))
        }
        CatalogEdit::AddAlias { occupation, alias } => {
            let o = pack
                .occupations
                .get_mut(occupation.0 as usize)
                .ok_or(CatalogError::Unknown {
                    what: "occupation",
                    id: u32::from(occupation.0),
                })?;
            o.aliases.push(words(alias));
            format!("occupation {} ({}): alias '{}' added", o.id, o.zh, words(alias))
        }
        CatalogEdit::AddRegion {
            code,
            zh,
            short_zh,
            en,
            lon,
            lat,
        } => {
            let id = pack.regions.len();
            let id8 = u8::try_from(id).map_err(|_| CatalogError::Invalid(vec![too_many("region", id)]))?;
            let code = code.trim().to_string();
            let code_kind = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
                CodeKind::Official
            } else {
                CodeKind::Local
            };
            pack.regions.push(RegionRow {
                id: id8,
                code: code.clone(),
                code_kind,
                zh: words(zh),
                short_zh: words(short_zh),
                en: words(en),
                industries: String::new(),
                lon: *lon,
                lat: *lat,
                retired: false,
            });
            format!("region {id} added: {} ({code})", words(zh))
        }
        CatalogEdit::RetireOccupation(id) => {
            let o = pack.occupations.get_mut(id.0 as usize).ok_or(CatalogError::Unknown {
                what: "occupation",
                id: u32::from(id.0),
            })?;
            if o.retired {
                return Err(CatalogError::AlreadyRetired {
                    what: "occupation",
                    name: o.zh.clone(),
                });
            }
            o.retired = true;
            format!("occupation {} ({}) retired", o.id, o.zh)
        }
        CatalogEdit::RetireRegion(id) => {
            let r = pack.regions.get_mut(id.0 as usize).ok_or(CatalogError::Unknown {
                what: "region",
                id: u32::from(id.0),
            })?;
            if r.retired {
                return Err(CatalogError::AlreadyRetired {
                    what: "region",
                    name: r.zh.clone(),
                });
            }
            r.retired = true;
            format!("region {} ({}) retired", r.id, r.zh)
        }
        CatalogEdit::Import(entries) => {
            let (added, changed) = merge(pack, entries);
            let what = match entries {
                Entries::Regions(_) => "regions",
                Entries::Occupations(_) => "occupations",
            };
            format!("{what} imported: {added} added, {changed} changed")
        }
    };
    let issues: Vec<Issue> = row_issues(pack).into_iter().map(|(_, i)| i).collect();
    if issues.is_empty() {
        Ok(detail)
    } else {
        Err(CatalogError::Invalid(issues))
    }
}

fn too_many(table: &'static str, found: usize) -> Issue {
    Issue::IdOrder {
        table,
        expected: found - 1,
        found: found as i64,
    }
}

/// Put an import file's entries into the pack: an entry whose id the pack
/// has replaces it (keeping it retired if it was and the file does not
/// say), others are appended. Returns (added, changed).
fn merge(pack: &mut Pack, entries: &Entries) -> (usize, usize) {
    let (mut added, mut changed) = (0, 0);
    match entries {
        Entries::Regions(rows) => {
            for r in rows {
                match pack.regions.get_mut(r.id as usize) {
                    Some(old) => {
                        if old != r {
                            *old = r.clone();
                            changed += 1;
                        }
                    }
                    None => {
                        pack.regions.push(r.clone());
                        added += 1;
                    }
                }
            }
        }
        Entries::Occupations(rows) => {
            for o in rows {
                match pack.occupations.get_mut(o.id as usize) {
                    Some(old) => {
                        if old != o {
                            *old = o.clone();
                            changed += 1;
                        }
                    }
                    None => {
                        pack.occupations.push(o.clone());
                        added += 1;
                    }
                }
            }
        }
    }
    (added, changed)
}

/// Apply an import file's entries, placing each problem of the merged
/// pack in the file (FILE:LINE:COL) where the file holds the entry.
pub fn apply_import(pack: &mut Pack, entries: Entries, spans: &FileSpans) -> Result<String, CatalogError> {
    let by_id: HashMap<usize, usize> = match &entries {
        Entries::Regions(rows) => rows.iter().enumerate().map(|(k, r)| (r.id as usize, k)).collect(),
        Entries::Occupations(rows) => rows.iter().enumerate().map(|(k, o)| (o.id as usize, k)).collect(),
    };
    let table = match &entries {
        Entries::Regions(_) => "region",
        Entries::Occupations(_) => "occupation",
    };
    let mut merged = pack.clone();
    let edit = CatalogEdit::Import(entries);
    match apply(&mut merged, &edit) {
        Ok(detail) => {
            *pack = merged;
            Ok(format!("{detail} from {}", spans.file()))
        }
        Err(CatalogError::Invalid(_)) => {
            let problems = row_issues(&merged)
                .into_iter()
                .map(|(at, issue)| match by_id.get(&at.index) {
                    Some(k) if at.table == table => spans.place(*k, at.field, issue),
                    _ => PackProblem {
                        file: spans.file().to_string(),
                        line: 1,
                        col: 1,
                        issue,
                    },
                })
                .collect();
            Err(CatalogError::File(PackError { problems }))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additions_take_the_next_id_and_retiring_keeps_the_entry() {
        let mut p = Pack::zhenjiang();
        let d = apply(
            &mut p,
            &CatalogEdit::AddOccupation {
                zh: "叉车司机".into(),
                en: "forklift driver".into(),
                aliases: vec!["叉车工".into()],
                kind: PostKind::Skilled,
            },
        )
        .unwrap();
        assert_eq!(d, "occupation 20 added: 叉车司机 (forklift driver)");
        assert_eq!(p.occupations[20].aliases, vec!["叉车工"]);
        apply(
            &mut p,
            &CatalogEdit::AddAlias {
                occupation: OccupationId(20),
                alias: "铲车".into(),
            },
        )
        .unwrap();
        apply(&mut p, &CatalogEdit::RetireOccupation(OccupationId(0))).unwrap();
        assert_eq!(p.occupations.len(), 21);
        assert!(p.occupations[0].retired);
        assert!(matches!(
            apply(&mut p, &CatalogEdit::RetireOccupation(OccupationId(0))),
            Err(CatalogError::AlreadyRetired { .. })
        ));
    }

    #[test]
    fn an_alias_another_occupation_has_is_refused() {
        let mut p = Pack::zhenjiang();
        let e = apply(
            &mut p,
            &CatalogEdit::AddAlias {
                occupation: OccupationId(5),
                alias: "焊工".into(),
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("alias '焊工' is already occupation 3's"), "{e}");
    }
}
