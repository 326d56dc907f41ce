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

pub use crate::domain::pack::*;

use crate::domain::catalog::{Baseline, CodeKind, Edition, OccupationId, PostKind, RegionId, Targets};

/// Names of a pack's files, in the order they are read.
pub const CITY_FILE: &str = "city.toml";
pub const REGIONS_FILE: &str = "regions.toml";
pub const OCCUPATIONS_FILE: &str = "occupations.toml";
pub const PROGRAMS_FILE: &str = "programs.toml";
pub const ALLIANCES_FILE: &str = "alliances.toml";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::Catalog;
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
