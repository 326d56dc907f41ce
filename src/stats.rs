//! Whole-database figures for `skillbridge stats`: the same totals the
//! dashboard and the report count ([`figures::totals`]), read straight from
//! the store, where only demands, classes and cases are decoded.

use crate::domain::*;
use crate::figures::totals::{self, Census, Posts, Split, Totals};
use crate::store::{Result, Store};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub totals: Totals,
    /// Set on a demo database: says the data is synthetic.
    pub demo: Option<String>,
}

pub fn compute(store: &Store) -> Result<Stats> {
    let demands = store.all::<JobDemand>()?;
    let classes = store.all::<TrainingClass>()?;
    let cases = store.all::<Case>()?;
    let classes = classes
        .iter()
        .map(|c| Ok((c, store.seats_used(c.id)?)))
        .collect::<Result<Vec<_>>>()?;
    let demands = demands
        .iter()
        .map(|d| Ok((d, store.demand_usage(d.id)?)))
        .collect::<Result<Vec<_>>>()?;
    let census = Census {
        institutions: store.count::<Institution>(),
        enterprises: store.count::<Enterprise>(),
        trainees: store.count::<Trainee>(),
    };
    Ok(Stats {
        totals: totals::count(census, classes, demands, &cases),
        demo: store.meta(crate::demo::META_DEMO)?,
    })
}

/// `stats --json`: the totals under the names and in the order it has
/// always printed them.
#[derive(Serialize)]
struct Json<'a> {
    regions: usize,
    institutions: usize,
    enterprises: usize,
    demands: usize,
    demand_posts: &'a Posts,
    classes: &'a Split,
    seats: &'a Split,
    seats_used: u64,
    project_linked_posts: u64,
    project_enterprises: usize,
    trainees: usize,
    cases: usize,
    cases_by_state: &'a BTreeMap<&'static str, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    demo: Option<&'a str>,
}

impl Serialize for Stats {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let t = &self.totals;
        Json {
            regions: REGIONS.len(),
            institutions: t.institutions,
            enterprises: t.enterprises,
            demands: t.demands,
            demand_posts: &t.demand_posts,
            classes: &t.classes,
            seats: &t.seats,
            seats_used: t.seats_used,
            project_linked_posts: t.project_linked_posts,
            project_enterprises: t.project_enterprises,
            trainees: t.trainees,
            cases: t.cases,
            cases_by_state: &t.cases_by_state,
            demo: self.demo.as_deref(),
        }
        .serialize(s)
    }
}

impl Stats {
    /// A short human-readable summary.
    pub fn text(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        if let Some(d) = &self.demo {
            s.push_str(&format!("{d}\n"));
        }
        s.push_str(&format!(
            "regions {}  institutions {}  enterprises {}\n\
             demands {} ({} skilled posts, {} technical-management posts)\n\
             classes {} regular ({} seats) + {} project-based ({} seats, linked to {} posts of {} enterprises)\n\
             trainees {}  cases {}  seats used {}\n",
            REGIONS.len(),
            t.institutions,
            t.enterprises,
            t.demands,
            t.demand_posts.skilled,
            t.demand_posts.technical_management,
            t.classes.regular,
            t.seats.regular,
            t.classes.project,
            t.seats.project,
            t.project_linked_posts,
            t.project_enterprises,
            t.trainees,
            t.cases,
            t.seats_used,
        ));
        let states: Vec<String> = t.cases_by_state.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!("cases by state: {}\n", states.join(", ")));
        s
    }

    /// The same summary in Chinese (`--lang zh`).
    pub fn text_zh(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        if self.demo.is_some() {
            s.push_str(&format!(
                "演示城市（虚构数据：{} 名学员，所有人员、企业和学校均为虚构）\n",
                t.trainees
            ));
        }
        s.push_str(&format!(
            "区域 {}  培训机构 {}  企业 {}\n\
             岗位需求 {} 条（技能岗 {} 个，技术管理岗 {} 个）\n\
             常规培训班 {} 个（名额 {}）+ 项目化培训班 {} 个（名额 {}，对接 {} 家企业的 {} 个岗位）\n\
             学员 {}  服务记录 {}  已占名额 {}\n",
            REGIONS.len(),
            t.institutions,
            t.enterprises,
            t.demands,
            t.demand_posts.skilled,
            t.demand_posts.technical_management,
            t.classes.regular,
            t.seats.regular,
            t.classes.project,
            t.seats.project,
            t.project_enterprises,
            t.project_linked_posts,
            t.trainees,
            t.cases,
            t.seats_used,
        ));
        let states: Vec<String> = t
            .cases_by_state
            .iter()
            .map(|(k, v)| {
                let name = StateKind::ALL
                    .iter()
                    .find(|s| s.name() == *k)
                    .map(|s| s.zh())
                    .unwrap_or(k);
                format!("{name} {v}")
            })
            .collect();
        s.push_str(&format!("各状态服务记录：{}\n", states.join("，")));
        s
    }
}
