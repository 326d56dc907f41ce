//! The reference-data view (F9 from a list): the city's occupations and
//! regions as the database holds them, retired ones marked. From it an
//! operator with the reference-data right adds an occupation, an alias or
//! a region, or retires one; each change is confirmed, then carried out by
//! the service (checked whole, audited, every session sees it at once).
//! Nothing is ever deleted: records keep the ids they hold.

use super::msg::Effect;
use super::overlay::Outcome;
use super::state::{Confirm, Op, Overlay, PickPurpose, PickValue, Picker, State};
use crate::domain::catalog;
use crate::domain::*;
use crate::i18n::Lang;
use crate::pack::edit::CatalogEdit;

/// Where in the view a picker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStage {
    /// Every occupation and region, and the two additions.
    Menu,
    /// What to do with one entry.
    Entry,
    /// Typing what a change needs.
    Prompt(RefPrompt),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefPrompt {
    Occupation,
    Region,
    Alias(OccupationId),
}

/// A row of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefChoice {
    AddOccupation,
    AddRegion,
    Occupation(OccupationId),
    Region(RegionId),
    Alias(OccupationId),
    RetireOccupation(OccupationId),
    RetireRegion(RegionId),
}

fn say(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The rows of the view, from the catalog every session reads.
pub fn menu_rows(lang: Lang) -> Vec<(String, PickValue)> {
    let retired = |r: bool| {
        if r {
            say(lang, " ［已停用］", " [retired]")
        } else {
            String::new()
        }
    };
    let mut rows = vec![
        (
            say(lang, "＋ 添加职业", "+ add an occupation"),
            PickValue::Ref(RefChoice::AddOccupation),
        ),
        (
            say(lang, "＋ 添加区域", "+ add a region"),
            PickValue::Ref(RefChoice::AddRegion),
        ),
    ];
    for o in catalog::occupations() {
        let label = match lang {
            Lang::Zh => format!(
                "职业 {} {} · {}{}",
                o.id.0,
                o.zh,
                o.aliases.join(" "),
                retired(o.retired)
            ),
            Lang::En => format!(
                "occupation {} {} {} · {}{}",
                o.id.0,
                o.en,
                o.zh,
                o.aliases.join(" "),
                retired(o.retired)
            ),
        };
        rows.push((label, PickValue::Ref(RefChoice::Occupation(o.id))));
    }
    for r in catalog::regions() {
        let label = match lang {
            Lang::Zh => format!("区域 {} {} {}{}", r.id.0, r.zh, r.code, retired(r.retired)),
            Lang::En => format!("region {} {} {} {}{}", r.id.0, r.en, r.zh, r.code, retired(r.retired)),
        };
        rows.push((label, PickValue::Ref(RefChoice::Region(r.id))));
    }
    rows
}

/// Open the view.
pub fn open(st: &mut State) {
    let lang = st.lang;
    let title = match lang {
        Lang::Zh => format!("参考数据 · {}：职业与区域（Enter 选择）", catalog::current().city.zh),
        Lang::En => format!(
            "Reference data · {}: occupations and regions (Enter to choose)",
            catalog::current().city.en
        ),
    };
    st.overlays.push(Overlay::Picker(Picker::fixed(
        PickPurpose::Reference(RefStage::Menu),
        title,
        None,
        menu_rows(lang),
    )));
}

fn prompt(lang: Lang, p: RefPrompt) -> Picker {
    let title = match p {
        RefPrompt::Occupation => say(
            lang,
            "新职业：中文名/英文名/别名（别名以空格分隔；技术管理岗在最后加 /技术管理岗），Enter 确认",
            "New occupation: Chinese/English/aliases (aliases separated by spaces; add /tm for technical-management), Enter",
        ),
        RefPrompt::Region => say(
            lang,
            "新区域：代码/中文名/简称/英文名/经度/纬度（如 321004/新城区/新城/Xincheng District/119.4/32.4），Enter 确认",
            "New region: code/Chinese/short/English/lon/lat (e.g. 321004/新城区/新城/Xincheng District/119.4/32.4), Enter",
        ),
        RefPrompt::Alias(o) => match lang {
            Lang::Zh => format!("为“{}”添加别名，Enter 确认", o.zh()),
            Lang::En => format!("A new alias for '{}', Enter", o.en()),
        },
    };
    Picker::fixed(PickPurpose::Reference(RefStage::Prompt(p)), title, None, vec![])
}

/// What Enter in the view does.
pub(crate) fn choose(
    st: &mut State,
    stage: RefStage,
    value: Option<PickValue>,
    typed: String,
    _fx: &mut [Effect],
) -> Outcome {
    let lang = st.lang;
    match stage {
        RefStage::Prompt(p) => match parse(p, &typed, lang) {
            Ok((edit, text)) => Outcome::Push(Overlay::Confirm(Confirm {
                text,
                op: Op::Catalog(edit),
            })),
            Err(why) => {
                st.err(why);
                Outcome::Stay
            }
        },
        RefStage::Menu | RefStage::Entry => {
            let Some(PickValue::Ref(c)) = value else {
                super::update::nothing_selected(st);
                return Outcome::Stay;
            };
            match c {
                RefChoice::AddOccupation => Outcome::Push(Overlay::Picker(prompt(lang, RefPrompt::Occupation))),
                RefChoice::AddRegion => Outcome::Push(Overlay::Picker(prompt(lang, RefPrompt::Region))),
                RefChoice::Alias(o) => Outcome::Replace(Overlay::Picker(prompt(lang, RefPrompt::Alias(o)))),
                RefChoice::Occupation(o) => {
                    let mut rows = vec![(
                        say(lang, "添加别名", "add an alias"),
                        PickValue::Ref(RefChoice::Alias(o)),
                    )];
                    if o.get().is_some_and(|x| !x.retired) {
                        rows.push((
                            say(
                                lang,
                                "停用（不再出现在选择列表和自助查询中；已有记录不变）",
                                "retire (no longer offered; records keep it)",
                            ),
                            PickValue::Ref(RefChoice::RetireOccupation(o)),
                        ));
                    }
                    let title = match lang {
                        Lang::Zh => format!("职业 {} {}", o.0, o.zh()),
                        Lang::En => format!("occupation {} {}", o.0, o.en()),
                    };
                    Outcome::Push(Overlay::Picker(Picker::fixed(
                        PickPurpose::Reference(RefStage::Entry),
                        title,
                        None,
                        rows,
                    )))
                }
                RefChoice::Region(r) => {
                    let mut rows = Vec::new();
                    if r.get().is_some_and(|x| !x.retired) {
                        rows.push((
                            say(
                                lang,
                                "停用（不再出现在选择列表和自助查询中；已有记录不变）",
                                "retire (no longer offered; records keep it)",
                            ),
                            PickValue::Ref(RefChoice::RetireRegion(r)),
                        ));
                    }
                    let title = match lang {
                        Lang::Zh => format!("区域 {} {}", r.0, r.zh()),
                        Lang::En => format!("region {} {}", r.0, r.en()),
                    };
                    Outcome::Push(Overlay::Picker(Picker::fixed(
                        PickPurpose::Reference(RefStage::Entry),
                        title,
                        None,
                        rows,
                    )))
                }
                RefChoice::RetireOccupation(o) => Outcome::Push(Overlay::Confirm(Confirm {
                    text: match lang {
                        Lang::Zh => format!("停用职业“{}”？已有记录仍显示它，不可删除。", o.zh()),
                        Lang::En => format!(
                            "Retire occupation '{}'? Records keep showing it; nothing is deleted.",
                            o.en()
                        ),
                    },
                    op: Op::Catalog(CatalogEdit::RetireOccupation(o)),
                })),
                RefChoice::RetireRegion(r) => Outcome::Push(Overlay::Confirm(Confirm {
                    text: match lang {
                        Lang::Zh => format!("停用区域“{}”？已有记录仍显示它，不可删除。", r.zh()),
                        Lang::En => format!(
                            "Retire region '{}'? Records keep showing it; nothing is deleted.",
                            r.en()
                        ),
                    },
                    op: Op::Catalog(CatalogEdit::RetireRegion(r)),
                })),
            }
        }
    }
}

/// The change a prompt's text asks for, and the question that confirms it.
pub fn parse(p: RefPrompt, typed: &str, lang: Lang) -> Result<(CatalogEdit, String), String> {
    let parts: Vec<&str> = typed.split(['/', '／']).map(str::trim).collect();
    match p {
        RefPrompt::Alias(o) => {
            let alias = typed.trim();
            if alias.is_empty() {
                return Err(say(lang, "别名不能为空", "the alias is empty"));
            }
            let text = match lang {
                Lang::Zh => format!("为“{}”添加别名“{alias}”？", o.zh()),
                Lang::En => format!("Add the alias '{alias}' to '{}'?", o.en()),
            };
            Ok((
                CatalogEdit::AddAlias {
                    occupation: o,
                    alias: alias.to_string(),
                },
                text,
            ))
        }
        RefPrompt::Occupation => {
            let (zh, en) = match parts.as_slice() {
                [zh, en, ..] if !zh.is_empty() && !en.is_empty() => (*zh, *en),
                _ => {
                    return Err(say(
                        lang,
                        "请写成 中文名/英文名/别名，如 叉车司机/forklift driver/叉车工 铲车",
                        "write Chinese/English/aliases, e.g. 叉车司机/forklift driver/叉车工 铲车",
                    ));
                }
            };
            let aliases: Vec<String> = parts
                .get(2)
                .map(|a| a.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default();
            let kind = match parts.get(3).map(|k| k.to_lowercase()) {
                Some(k) if k == "技术管理岗" || k == "tm" || k == "technical-management" => {
                    PostKind::TechnicalManagement
                }
                _ => PostKind::Skilled,
            };
            let text = match lang {
                Lang::Zh => format!("添加职业“{zh}”（{en}，{}；别名：{}）？", kind.zh(), aliases.join(" ")),
                Lang::En => format!(
                    "Add the occupation '{en}' ({zh}, {}; aliases: {})?",
                    kind.en(),
                    aliases.join(" ")
                ),
            };
            Ok((
                CatalogEdit::AddOccupation {
                    zh: zh.to_string(),
                    en: en.to_string(),
                    aliases,
                    kind,
                },
                text,
            ))
        }
        RefPrompt::Region => {
            let bad = || {
                say(
                    lang,
                    "请写成 代码/中文名/简称/英文名/经度/纬度，如 321004/新城区/新城/Xincheng District/119.4/32.4",
                    "write code/Chinese/short/English/lon/lat, e.g. 321004/新城区/新城/Xincheng District/119.4/32.4",
                )
            };
            let [code, zh, short_zh, en, lon, lat] = parts.as_slice() else {
                return Err(bad());
            };
            let (Ok(lon), Ok(lat)) = (lon.parse::<f64>(), lat.parse::<f64>()) else {
                return Err(bad());
            };
            let text = match lang {
                Lang::Zh => format!("添加区域“{zh}”（{code}，地图位置 {lon}, {lat}）？"),
                Lang::En => format!("Add the region '{en}' ({code}, on the map at {lon}, {lat})?"),
            };
            Ok((
                CatalogEdit::AddRegion {
                    code: code.to_string(),
                    zh: zh.to_string(),
                    short_zh: short_zh.to_string(),
                    en: en.to_string(),
                    lon,
                    lat,
                },
                text,
            ))
        }
    }
}

/// What the status line says once a change is saved.
pub fn done(edit: &CatalogEdit, lang: Lang) -> String {
    match (edit, lang) {
        (CatalogEdit::AddOccupation { zh, .. }, Lang::Zh) => format!("已添加职业“{zh}”：各会话立即可选、可搜"),
        (CatalogEdit::AddOccupation { en, .. }, Lang::En) => {
            format!("occupation '{en}' added: offered and searchable in every session now")
        }
        (CatalogEdit::AddAlias { occupation, alias }, Lang::Zh) => {
            format!("已为“{}”添加别名“{alias}”：各会话立即可搜", occupation.zh())
        }
        (CatalogEdit::AddAlias { occupation, alias }, Lang::En) => {
            format!(
                "alias '{alias}' added to '{}': searchable in every session now",
                occupation.en()
            )
        }
        (CatalogEdit::AddRegion { zh, .. }, Lang::Zh) => format!("已添加区域“{zh}”"),
        (CatalogEdit::AddRegion { en, .. }, Lang::En) => format!("region '{en}' added"),
        (CatalogEdit::RetireOccupation(o), Lang::Zh) => format!("已停用职业“{}”", o.zh()),
        (CatalogEdit::RetireOccupation(o), Lang::En) => format!("occupation '{}' retired", o.en()),
        (CatalogEdit::RetireRegion(r), Lang::Zh) => format!("已停用区域“{}”", r.zh()),
        (CatalogEdit::RetireRegion(r), Lang::En) => format!("region '{}' retired", r.en()),
        (CatalogEdit::Import(_), Lang::Zh) => "已导入".to_string(),
        (CatalogEdit::Import(_), Lang::En) => "imported".to_string(),
    }
}

/// A change carried out: the view closes and the status line says what was
/// done; a refusal leaves the view as it was, with the reason.
pub fn finished(st: &mut State, result: Result<String, String>) {
    match result {
        Ok(done) => {
            st.overlays
                .retain(|o| !matches!(o, Overlay::Picker(p) if matches!(p.purpose, PickPurpose::Reference(_))));
            st.ok(done);
        }
        Err(e) => st.err(e),
    }
}
