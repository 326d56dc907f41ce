//! A city pack's rows, owned: what the database stores (`store::pack`)
//! and what the pack files hold (`crate::pack` reads and writes them), and
//! the [`Catalog`] the program runs with. See `crate::pack` for the format.

use crate::domain::catalog::{
    Alliance, AllianceId, Baseline, Catalog, City, CodeKind, Edition, Occupation, OccupationId, PostKind, Program,
    ProgramId, Region, RegionId, Targets, leak,
};
use serde::{Deserialize, Serialize};

/// The city a pack is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityRow {
    pub zh: String,
    pub en: String,
    /// A sample (invented or partial data), not a city's own pack.
    pub sample: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionRow {
    pub id: u8,
    pub code: String,
    pub code_kind: CodeKind,
    pub zh: String,
    pub short_zh: String,
    pub en: String,
    pub industries: String,
    pub lon: f64,
    pub lat: f64,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccupationRow {
    pub id: u16,
    pub zh: String,
    pub en: String,
    pub aliases: Vec<String>,
    /// National classification code with its edition, only where verified.
    pub code: Option<(String, Edition)>,
    pub group: Option<String>,
    pub kind: PostKind,
    pub related: Vec<u16>,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramRow {
    pub id: u8,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceRow {
    pub id: u8,
    pub zh: String,
    pub en: String,
    pub region: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyGroupRow {
    pub zh: String,
    pub en: String,
}

/// A whole city pack, owned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    pub city: CityRow,
    pub regions: Vec<RegionRow>,
    pub occupations: Vec<OccupationRow>,
    pub programs: Vec<ProgramRow>,
    pub alliances: Vec<AllianceRow>,
    pub key_groups: Vec<KeyGroupRow>,
    pub baseline: Baseline,
    pub targets: Targets,
}

impl Pack {
    /// The rows of a catalog (Zhenjiang's compiled one, or the installed one).
    pub fn from_catalog(c: &Catalog) -> Pack {
        let s = |t: &str| t.to_string();
        Pack {
            city: CityRow {
                zh: s(c.city.zh),
                en: s(c.city.en),
                sample: c.city.sample,
            },
            regions: c
                .regions
                .iter()
                .map(|r| RegionRow {
                    id: r.id.0,
                    code: s(r.code),
                    code_kind: r.code_kind,
                    zh: s(r.zh),
                    short_zh: s(r.short_zh),
                    en: s(r.en),
                    industries: s(r.industries),
                    lon: r.lon,
                    lat: r.lat,
                    retired: r.retired,
                })
                .collect(),
            occupations: c
                .occupations
                .iter()
                .map(|o| OccupationRow {
                    id: o.id.0,
                    zh: s(o.zh),
                    en: s(o.en),
                    aliases: o.aliases.iter().map(|a| s(a)).collect(),
                    code: o.code.map(|(code, e)| (s(code), e)),
                    group: o.group.map(s),
                    kind: o.kind,
                    related: o.related.to_vec(),
                    retired: o.retired,
                })
                .collect(),
            programs: c
                .programs
                .iter()
                .map(|p| ProgramRow {
                    id: p.id.0,
                    zh: s(p.zh),
                    en: s(p.en),
                })
                .collect(),
            alliances: c
                .alliances
                .iter()
                .map(|a| AllianceRow {
                    id: a.id.0,
                    zh: s(a.zh),
                    en: s(a.en),
                    region: a.region.0,
                })
                .collect(),
            key_groups: c
                .key_groups
                .iter()
                .map(|(zh, en)| KeyGroupRow { zh: s(zh), en: s(en) })
                .collect(),
            baseline: c.baseline,
            targets: c.targets,
        }
    }

    /// The catalog the program runs with (texts leaked: see [`Catalog`]).
    pub fn to_catalog(&self) -> Catalog {
        Catalog::new(
            City {
                zh: leak(&self.city.zh),
                en: leak(&self.city.en),
                sample: self.city.sample,
            },
            self.regions
                .iter()
                .map(|r| Region {
                    id: RegionId(r.id),
                    code: leak(&r.code),
                    code_kind: r.code_kind,
                    zh: leak(&r.zh),
                    short_zh: leak(&r.short_zh),
                    en: leak(&r.en),
                    industries: leak(&r.industries),
                    lon: r.lon,
                    lat: r.lat,
                    retired: r.retired,
                })
                .collect(),
            self.occupations
                .iter()
                .map(|o| Occupation {
                    id: OccupationId(o.id),
                    zh: leak(&o.zh),
                    en: leak(&o.en),
                    aliases: Box::leak(o.aliases.iter().map(|a| leak(a)).collect::<Vec<_>>().into_boxed_slice()),
                    code: o.code.as_ref().map(|(c, e)| (leak(c), *e)),
                    group: o.group.as_deref().map(leak),
                    kind: o.kind,
                    related: Box::leak(o.related.clone().into_boxed_slice()),
                    retired: o.retired,
                })
                .collect(),
            self.programs
                .iter()
                .map(|p| Program {
                    id: ProgramId(p.id),
                    zh: leak(&p.zh),
                    en: leak(&p.en),
                })
                .collect(),
            self.alliances
                .iter()
                .map(|a| Alliance {
                    id: AllianceId(a.id),
                    zh: leak(&a.zh),
                    en: leak(&a.en),
                    region: RegionId(a.region),
                })
                .collect(),
            self.key_groups.iter().map(|k| (leak(&k.zh), leak(&k.en))).collect(),
            self.baseline,
            self.targets,
        )
    }

    /// Zhenjiang's pack, from the catalog compiled into the program.
    pub fn zhenjiang() -> Pack {
        Pack::from_catalog(Catalog::zhenjiang())
    }
}
