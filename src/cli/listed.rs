//! `export KIND --query/--filter/--sort/--class`: a list as the workspace's
//! tab would show it, for a file.

use anyhow::Result;
use skillbridge::domain::*;
use skillbridge::io::resolve;
use skillbridge::say::cli::CliError;
use skillbridge::search::Query;
use skillbridge::service::{Filters, SearchSpec, Service, Sort};
use skillbridge::store::Store;

/// The order named on the command line.
fn sort(kind: Kind, name: &str) -> Result<Sort> {
    let s = match name.trim().to_ascii_lowercase().as_str() {
        "relevance" | "相关度" => Sort::Relevance,
        "newest" | "最新" => Sort::Newest,
        "name" | "姓名" | "名称" => Sort::Name,
        "open-posts" | "posts" => Sort::OpenPosts,
        "wage" | "薪资" => Sort::Wage,
        "start" | "start-date" | "开班日期" => Sort::StartDate,
        "seats" | "seats-left" => Sort::SeatsLeft,
        "stars" | "星级" => Sort::Stars,
        "state" | "状态" => Sort::State,
        other => {
            return Err(CliError::UnknownSort {
                value: other.to_string(),
            }
            .into());
        }
    };
    if !Sort::choices(kind).contains(&s) {
        return Err(CliError::NotSortedBy {
            kind,
            value: name.to_string(),
        }
        .into());
    }
    Ok(s)
}

/// `--filter KEY=VALUE` words into the workspace's filters.
fn filters(kind: Kind, words: &[String]) -> Result<Filters> {
    let mut f = Filters::default();
    for w in words {
        let (key, value) = w
            .split_once('=')
            .ok_or_else(|| CliError::FilterNotKeyValue { word: w.clone() })?;
        let bad = |source: resolve::Unresolved| CliError::FilterUnresolved {
            word: w.clone(),
            source,
        };
        match key.trim() {
            "region" | "区域" => f.region = Some(resolve::region(value).map_err(bad)?),
            "trade" | "occupation" | "工种" => f.occupation = Some(resolve::occupation(value).map_err(bad)?),
            "program" | "专项" => f.program = Some(resolve::program(value).map_err(bad)?),
            "status" | "状态" if kind == Kind::Demands => {
                f.demand_status = Some(resolve::demand_status(value).map_err(bad)?)
            }
            "status" | "状态" if kind == Kind::Classes => {
                f.class_status = Some(resolve::class_status(value).map_err(bad)?)
            }
            "state" | "status" | "状态" if kind == Kind::Cases => {
                let v = value.trim();
                let s = StateKind::ALL
                    .iter()
                    .find(|s| s.zh() == v || s.en().eq_ignore_ascii_case(v) || s.name() == v)
                    .ok_or_else(|| CliError::NoCaseState {
                        word: w.clone(),
                        value: v.to_string(),
                    })?;
                f.case_state = Some(*s);
            }
            other => {
                return Err(CliError::NotFilteredBy {
                    word: w.clone(),
                    kind,
                    key: other.to_string(),
                }
                .into());
            }
        }
    }
    Ok(f)
}

/// The ids of the list, in order, and a title for a printed page.
pub fn ids(
    store: &Store,
    kind: Kind,
    query: Option<&str>,
    filter: &[String],
    order: Option<&str>,
    class: Option<&str>,
) -> Result<(Vec<u64>, Option<String>)> {
    let class = match class {
        None => None,
        Some(_) if kind != Kind::Cases => return Err(CliError::ClassNeedsCases.into()),
        Some(code) => match RecordRef::parse(code) {
            Some(RecordRef::Class(c)) => Some(c),
            _ => {
                return Err(CliError::BadClass {
                    value: code.to_string(),
                }
                .into());
            }
        },
    };
    let spec = SearchSpec {
        kind,
        query: Query::parse(query.unwrap_or("")),
        filters: filters(kind, filter)?,
        sort: match order {
            Some(o) => sort(kind, o)?,
            None => Sort::choices(kind)[0],
        },
        districts: None,
    };
    let svc = Service::open(store.clone())?;
    let r = svc.read();
    let found = r.search(&spec, None, &|| false).ok_or(CliError::SearchCancelled)?;
    let mut ids: Vec<u64> = found.ids.to_vec();
    let mut title = None;
    if let Some(c) = class {
        let k = r
            .data
            .classes
            .get(&c)
            .ok_or_else(|| CliError::NoSuchClass { value: c.to_string() })?;
        ids.retain(|id| r.data.cases.get(&CaseId(*id)).is_some_and(|x| x.class == c));
        if query.is_none() && order.is_none() {
            // A roster in the class's own order.
            ids = r.data.class_cases(c).map(|x| x.id.0).collect();
            ids.retain(|id| filter.is_empty() || found.ids.contains(id));
        }
        let inst = r.data.institution(k.institution).map(|i| i.name.as_str()).unwrap_or("");
        title = Some(format!(
            "{} {} 花名册 · {inst} · {} 至 {}",
            k.id, k.name, k.start, k.end
        ));
    }
    Ok((ids, title))
}
