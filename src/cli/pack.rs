//! `skillbridge pack check DIR` and `pack write DIR`.

use super::Globals;
use anyhow::{Context, Result};
use skillbridge::demo;
use skillbridge::domain::catalog;
use skillbridge::i18n::Lang;
use skillbridge::pack::{Pack, load_dir, write::write_dir};
use skillbridge::say::Say;
use skillbridge::store::{AccessEvent, AccessKind, Store};
use std::path::Path;
use std::process::ExitCode;

/// Check a pack: every problem listed (FILE:LINE:COL), exit 2 on any.
pub fn check(g: &Globals, dir: &Path) -> Result<ExitCode> {
    let lang = g.cli_lang()?;
    match load_dir(dir) {
        Ok(p) => {
            let (n_r, n_o, n_p, n_a) = (
                p.regions.len(),
                p.occupations.len(),
                p.programs.len(),
                p.alliances.len(),
            );
            let sample = if p.city.sample && !p.city.en.contains("sample") {
                " (sample)"
            } else {
                ""
            };
            match lang {
                Lang::Zh => println!(
                    "正确：{} 是有效的城市包（{}{}：{n_r} 个区域、{n_o} 个职业、{n_p} 个专项、{n_a} 个培训联盟）",
                    dir.display(),
                    p.city.zh,
                    if p.city.sample && !p.city.zh.contains("示例") {
                        "，示例"
                    } else {
                        ""
                    }
                ),
                Lang::En => println!(
                    "ok: {} is a valid city pack ({}{sample}: {n_r} regions, {n_o} occupations, {n_p} programs, {n_a} alliances)",
                    dir.display(),
                    p.city.en
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}", e.say(lang));
            Ok(ExitCode::from(2))
        }
    }
}

/// Write the database's pack (or, with `compiled`, the Zhenjiang catalog
/// compiled into the program) into `dir`.
pub fn write(g: &Globals, dir: &Path, compiled: bool) -> Result<ExitCode> {
    let pack = if compiled {
        Pack::zhenjiang()
    } else {
        let store = super::open_existing(&g.db_path())?;
        store.pack()?.unwrap_or_else(|| Pack::from_catalog(catalog::current()))
    };
    write_dir(&pack, dir).with_context(|| format!("cannot write the pack into {}", dir.display()))?;
    println!(
        "wrote the city pack of {} ({} regions, {} occupations) into {}",
        pack.city.en,
        pack.regions.len(),
        pack.occupations.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Read and check a pack for `init --pack` / `demo --pack`: its problems,
/// in the command line's language, refuse it before anything is made.
pub fn read(g: &Globals, dir: &Path) -> Result<Pack> {
    load_dir(dir).map_err(|e| {
        anyhow::anyhow!(
            "{}\n{}",
            match g.cli_lang() {
                Ok(Lang::Zh) => format!("城市包 {} 有问题，未做任何改动：", dir.display()),
                _ => format!("the city pack {} has problems; nothing was changed:", dir.display()),
            },
            e.say(g.cli_lang().unwrap_or(Lang::En))
        )
    })
}

/// Make `pack` the reference data of a database just made (audited).
pub fn load_into(g: &Globals, store: &Store, pack: &Pack, dir: &Path) -> Result<()> {
    let by = super::access::local_actor(g)?;
    store.replace_pack(
        pack,
        &AccessEvent {
            at: chrono::Utc::now().timestamp(),
            operator: by.name.clone(),
            role: by.role.name().to_string(),
            what: AccessKind::Catalog,
            people: 0,
            detail: format!(
                "city pack of {} from {}: {} regions, {} occupations, {} programs, {} alliances",
                pack.city.en,
                dir.display(),
                pack.regions.len(),
                pack.occupations.len(),
                pack.programs.len(),
                pack.alliances.len()
            ),
        },
    )?;
    Ok(())
}

/// The demo city for the installed catalog: Zhenjiang's full demo (the
/// article's figures) when it is Zhenjiang's, else a demo of any city.
pub fn build_demo(store: &Store, opts: &demo::Options) -> skillbridge::store::Result<()> {
    if catalog::current().same_as(catalog::Catalog::zhenjiang()) {
        demo::build(store, opts)
    } else {
        demo::build_any(store, opts)
    }
}

/// `skillbridge import occupations|regions FILE`: entries in the pack's
/// format, merged into the database's pack (checked whole, problems at
/// FILE:LINE:COL), written with its access record. Exit 2 on a problem,
/// nothing written.
pub fn import(
    db: &Path,
    file: &Path,
    occupations: bool,
    by: &skillbridge::service::Actor,
    lang: Lang,
) -> Result<ExitCode> {
    let store = super::open_existing(db)?;
    let (entries, spans) = match skillbridge::pack::load_file(file, occupations) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{}", e.say(lang));
            return Ok(ExitCode::from(2));
        }
    };
    let mut pack = store.pack()?.unwrap_or_else(|| Pack::from_catalog(catalog::current()));
    let before = pack.clone();
    match skillbridge::pack::edit::apply_import(&mut pack, entries, &spans) {
        Ok(detail) => {
            store.write_pack(
                &pack,
                Some(&AccessEvent {
                    at: chrono::Utc::now().timestamp(),
                    operator: by.name.clone(),
                    role: by.role.name().to_string(),
                    what: AccessKind::Catalog,
                    people: 0,
                    detail: detail.clone(),
                }),
            )?;
            let (added, changed) = if occupations {
                counted(&before.occupations, &pack.occupations)
            } else {
                counted(&before.regions, &pack.regions)
            };
            let line = skillbridge::say::cli::Line::CatalogImported {
                occupations,
                added,
                changed,
                file: file.to_path_buf(),
            };
            println!("{}", line.say(lang));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}", e.say(lang));
            Ok(ExitCode::from(2))
        }
    }
}

/// (added, changed) between a table before an import and after it: an
/// import appends new ids and replaces the entries it names.
fn counted<T: PartialEq>(before: &[T], after: &[T]) -> (usize, usize) {
    let changed = before.iter().zip(after).filter(|(b, a)| b != a).count();
    (after.len().saturating_sub(before.len()), changed)
}
