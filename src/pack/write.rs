//! A pack's files, as `load` reads them back: one entry per table, the
//! same order and layout every time (the shipped Zhenjiang pack is this
//! output for the compiled catalog).

use super::*;
use std::fmt::Write as _;
use std::path::Path;

/// A TOML basic string (JSON's escapes are TOML's).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

pub fn code_kind_name(k: CodeKind) -> &'static str {
    match k {
        CodeKind::Official => "official",
        CodeKind::Statistical => "statistical",
        CodeKind::Local => "local",
    }
}

pub fn post_kind_name(k: PostKind) -> &'static str {
    match k {
        PostKind::Skilled => "skilled",
        PostKind::TechnicalManagement => "technical-management",
    }
}

pub fn city_toml(p: &Pack) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# The city this pack is for. `sample = true` marks a pack that is not a city's own data."
    );
    let _ = writeln!(s, "[city]");
    let _ = writeln!(s, "zh = {}", q(&p.city.zh));
    let _ = writeln!(s, "en = {}", q(&p.city.en));
    let _ = writeln!(s, "sample = {}", p.city.sample);
    let _ = writeln!(s, "\n# The published baseline the figures start from.");
    let _ = writeln!(s, "[baseline]");
    let _ = writeln!(s, "skilled = {}", p.baseline.skilled);
    let _ = writeln!(s, "high_skill = {}", p.baseline.high_skill);
    let _ = writeln!(s, "per_10k = {:?}", p.baseline.per_10k);
    let _ = writeln!(s, "labor_force = {}", p.baseline.labor_force);
    let _ = writeln!(s, "\n# The campaign's goals.");
    let _ = writeln!(s, "[targets]");
    let _ = writeln!(s, "subsidized = {}", p.targets.subsidized);
    let _ = writeln!(s, "skilled = {}", p.targets.skilled);
    let _ = writeln!(s, "high_skill = {}", p.targets.high_skill);
    let _ = writeln!(s, "per_10k = {:?}", p.targets.per_10k);
    let _ = writeln!(s, "\n# Key groups (重点群体): trainees store the group's Chinese text.");
    for k in &p.key_groups {
        let _ = writeln!(s, "\n[[key_group]]\nzh = {}\nen = {}", q(&k.zh), q(&k.en));
    }
    s
}

pub fn regions_toml(p: &Pack) -> String {
    let mut s = String::from(
        "# Regions. Ids run 0, 1, 2… and are never reused; retire (retired = true) instead of removing.\n\
         # code_kind: official (GB/T 2260), statistical (a functional zone) or local (no national code).\n\
         # lon/lat: where the region sits on the dashboard map.\n",
    );
    for r in &p.regions {
        s.push_str(&region_entry(r));
    }
    s
}

pub fn region_entry(r: &RegionRow) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n[[region]]");
    let _ = writeln!(s, "id = {}", r.id);
    let _ = writeln!(s, "code = {}", q(&r.code));
    let _ = writeln!(s, "code_kind = {}", q(code_kind_name(r.code_kind)));
    let _ = writeln!(s, "zh = {}", q(&r.zh));
    let _ = writeln!(s, "short_zh = {}", q(&r.short_zh));
    let _ = writeln!(s, "en = {}", q(&r.en));
    let _ = writeln!(s, "industries = {}", q(&r.industries));
    let _ = writeln!(s, "lon = {:?}", r.lon);
    let _ = writeln!(s, "lat = {:?}", r.lat);
    if r.retired {
        let _ = writeln!(s, "retired = true");
    }
    s
}

pub fn occupations_toml(p: &Pack) -> String {
    let mut s = String::from(
        "# Occupations. Ids run 0, 1, 2… and are never reused; retire (retired = true) instead of removing.\n\
         # code: the national classification code (e.g. 6-18-02-04) with its edition (1999, 2015, 2022),\n\
         # only where verified; group: the classification group (e.g. 6-18-01).\n\
         # kind: skilled or technical-management; related: ids of related occupations.\n",
    );
    for o in &p.occupations {
        s.push_str(&occupation_entry(o));
    }
    s
}

pub fn occupation_entry(o: &OccupationRow) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n[[occupation]]");
    let _ = writeln!(s, "id = {}", o.id);
    let _ = writeln!(s, "zh = {}", q(&o.zh));
    let _ = writeln!(s, "en = {}", q(&o.en));
    let _ = writeln!(s, "aliases = {}", list(o.aliases.iter().map(|a| q(a))));
    if let Some((code, e)) = &o.code {
        let _ = writeln!(s, "code = {}", q(code));
        let _ = writeln!(s, "edition = {}", q(e.label()));
    }
    if let Some(g) = &o.group {
        let _ = writeln!(s, "group = {}", q(g));
    }
    let _ = writeln!(s, "kind = {}", q(post_kind_name(o.kind)));
    let _ = writeln!(s, "related = {}", list(o.related.iter().map(|r| r.to_string())));
    if o.retired {
        let _ = writeln!(s, "retired = true");
    }
    s
}

pub fn programs_toml(p: &Pack) -> String {
    let mut s = String::from("# Special programs (专项). Ids run 0, 1, 2… and are never reused.\n");
    for r in &p.programs {
        let _ = write!(
            s,
            "\n[[program]]\nid = {}\nzh = {}\nen = {}\n",
            r.id,
            q(&r.zh),
            q(&r.en)
        );
    }
    s
}

pub fn alliances_toml(p: &Pack) -> String {
    let mut s = String::from(
        "# Regional training alliances. Ids run 0, 1, 2… and are never reused; region: the id of its region.\n",
    );
    for a in &p.alliances {
        let _ = write!(
            s,
            "\n[[alliance]]\nid = {}\nzh = {}\nen = {}\nregion = {}\n",
            a.id,
            q(&a.zh),
            q(&a.en),
            a.region
        );
    }
    s
}

/// Write the pack's five files into `dir` (created if missing).
pub fn write_dir(p: &Pack, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(CITY_FILE), city_toml(p))?;
    std::fs::write(dir.join(REGIONS_FILE), regions_toml(p))?;
    std::fs::write(dir.join(OCCUPATIONS_FILE), occupations_toml(p))?;
    std::fs::write(dir.join(PROGRAMS_FILE), programs_toml(p))?;
    std::fs::write(dir.join(ALLIANCES_FILE), alliances_toml(p))?;
    Ok(())
}
