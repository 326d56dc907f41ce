//! City packs: a city's reference data as files it keeps — its name, its
//! regions, occupations, special programs, training alliances, key groups,
//! baseline and targets — instead of tables compiled into the program.
//!
//! A pack is a directory of five TOML files (see `packs/zhenjiang/`):
//! `city.toml` (`[city]`, `[baseline]`, `[targets]`, `[[key_group]]`),
//! `regions.toml` (`[[region]]`), `occupations.toml` (`[[occupation]]`),
//! `programs.toml` (`[[program]]`) and `alliances.toml` (`[[alliance]]`).
//! Every entry carries its id: records store ids, so ids run 0, 1, 2… in
//! file order and are never reused; renaming never changes what a record
//! means, and an entry no longer used is retired (`retired = true`), never
//! removed.
//!
//! - [`Pack`]: the owned rows (what the database stores, see
//!   `store::pack`), and the [`Catalog`] the program runs with;
//! - `load`: reading and checking a pack (`skillbridge pack check`), every
//!   problem with its FILE:LINE:COL; `write`: a pack's files.

pub mod edit;
pub mod load;
pub mod write;

pub use load::{Issue, PackError, PackProblem, check_catalog_rows, load_dir, load_file};

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

    /// The problems of these rows (ids in order, references that exist,
    /// codes that fit, no duplicates), without file positions.
    pub fn problems(&self) -> Vec<Issue> {
        check_catalog_rows(self)
    }
}

/// Names of a pack's files, in the order they are read.
pub const CITY_FILE: &str = "city.toml";
pub const REGIONS_FILE: &str = "regions.toml";
pub const OCCUPATIONS_FILE: &str = "occupations.toml";
pub const PROGRAMS_FILE: &str = "programs.toml";
pub const ALLIANCES_FILE: &str = "alliances.toml";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn shipped(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("packs").join(name)
    }

    #[test]
    fn the_zhenjiang_pack_is_the_compiled_catalog() {
        let loaded = load_dir(&shipped("zhenjiang")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded, Pack::zhenjiang());
        assert!(loaded.to_catalog().same_as(Catalog::zhenjiang()));
    }

    #[test]
    fn the_zhenjiang_pack_files_are_what_write_makes() {
        // The shipped files are generated from the compiled catalog; a
        // change to either shows here.
        let dir = tempfile::tempdir().unwrap();
        write::write_dir(&Pack::zhenjiang(), dir.path()).unwrap();
        for f in [CITY_FILE, REGIONS_FILE, OCCUPATIONS_FILE, PROGRAMS_FILE, ALLIANCES_FILE] {
            let made = std::fs::read_to_string(dir.path().join(f)).unwrap();
            let ours = std::fs::read_to_string(shipped("zhenjiang").join(f)).unwrap();
            assert_eq!(made, ours, "{f}");
        }
    }

    #[test]
    fn the_sample_pack_is_valid_marked_and_not_zhenjiang() {
        let p = load_dir(&shipped("sample-yangzhou")).unwrap_or_else(|e| panic!("{e}"));
        assert!(p.city.sample);
        assert!(p.city.zh.contains("示例"), "{}", p.city.zh);
        assert!(p.regions.iter().all(|r| !r.code.starts_with("3211")));
        assert_ne!(p.regions.len(), 8);
    }

    #[test]
    fn a_pack_survives_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Pack::zhenjiang();
        p.occupations[3].aliases.push("带\"引号\"的别名".into());
        p.regions[2].retired = true;
        write::write_dir(&p, dir.path()).unwrap();
        assert_eq!(load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}")), p);
    }
}
