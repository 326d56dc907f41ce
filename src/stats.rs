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

/// The names of the figures the summary's lines hold (see [`Stats::figures`]).
const FIGURES: [&str; 15] = [
    "regions",
    "institutions",
    "enterprises",
    "demands",
    "skilled",
    "technical",
    "regular",
    "regular_seats",
    "project",
    "project_seats",
    "linked_posts",
    "project_enterprises",
    "trainees",
    "cases",
    "seats_used",
];

/// The summary's lines in English and in Chinese: each `{name}` is one of
/// [`FIGURES`] (the languages order them differently).
const SUMMARY_EN: &str = "regions {regions}  institutions {institutions}  enterprises {enterprises}
demands {demands} ({skilled} skilled posts, {technical} technical-management posts)
classes {regular} regular ({regular_seats} seats) + {project} project-based ({project_seats} seats, linked to {linked_posts} posts of {project_enterprises} enterprises)
trainees {trainees}  cases {cases}  seats used {seats_used}
";
const SUMMARY_ZH: &str = "区域 {regions}  培训机构 {institutions}  企业 {enterprises}
岗位需求 {demands} 条（技能岗 {skilled} 个，技术管理岗 {technical} 个）
常规培训班 {regular} 个（名额 {regular_seats}）+ 项目化培训班 {project} 个（名额 {project_seats}，对接 {project_enterprises} 家企业的 {linked_posts} 个岗位）
学员 {trainees}  服务记录 {cases}  已占名额 {seats_used}
";

impl Stats {
    /// The figures the summary's lines name, in the order of [`FIGURES`].
    fn figures(&self) -> [String; 15] {
        let t = &self.totals;
        [
            REGIONS.len().to_string(),
            t.institutions.to_string(),
            t.enterprises.to_string(),
            t.demands.to_string(),
            t.demand_posts.skilled.to_string(),
            t.demand_posts.technical_management.to_string(),
            t.classes.regular.to_string(),
            t.seats.regular.to_string(),
            t.classes.project.to_string(),
            t.seats.project.to_string(),
            t.project_linked_posts.to_string(),
            t.project_enterprises.to_string(),
            t.trainees.to_string(),
            t.cases.to_string(),
            t.seats_used.to_string(),
        ]
    }

    /// `template` with each `{name}` replaced by its figure.
    fn fill(&self, template: &str) -> String {
        FIGURES
            .iter()
            .zip(self.figures())
            .fold(template.to_string(), |s, (name, v)| {
                s.replace(&format!("{{{name}}}"), &v)
            })
    }

    /// A short human-readable summary.
    pub fn text(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        if let Some(d) = &self.demo {
            s.push_str(&format!("{d}\n"));
        }
        s.push_str(&self.fill(SUMMARY_EN));
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
        s.push_str(&self.fill(SUMMARY_ZH));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_summaries_name_every_figure_once_and_nothing_else() {
        for template in [SUMMARY_EN, SUMMARY_ZH] {
            let names: Vec<&str> = template
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "a figure named twice: {template}");
            let mut known = FIGURES.to_vec();
            known.sort_unstable();
            assert_eq!(sorted, known, "{template}");
        }
    }
}
