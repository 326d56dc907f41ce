//! The dashboard overlay: the city's targets, supply and demand by trade,
//! districts (table and map), programs, alliances, institutions and charts.
//!
//! The figures are computed by [`crate::figures`] when the dashboard opens
//! and again only when the service's version moves on (an enrollment in
//! another tab or another session); drawing reads the kept [`Figures`].

use super::msg::{Effect, FiguresRead, Msg};
use super::overlay::Outcome;
use super::state::{Overlay, State};
use super::update::{move_cursor, not_here, search_list};
use crate::domain::{Kind, OccupationId, ProgramId, REGIONS, RegionId};
use crate::figures::{Figures, Settings};
use crate::i18n::{Lang, Strings, fill};
use crate::keymap::Action;
use crate::service::Filters;
use std::sync::Arc;

/// The dashboard's views, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Targets,
    Trades,
    Districts,
    Map,
    Programs,
    Alliances,
    Institutions,
    Charts,
    /// Retention after the hire and the not-hired reasons (#18).
    Aftercare,
}

impl View {
    pub const ALL: [View; 9] = [
        View::Targets,
        View::Trades,
        View::Districts,
        View::Map,
        View::Programs,
        View::Alliances,
        View::Institutions,
        View::Charts,
        View::Aftercare,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The action that shows this view.
    pub fn action(self) -> Action {
        match self {
            View::Targets => Action::ViewTargets,
            View::Trades => Action::ViewTrades,
            View::Districts => Action::ViewDistricts,
            View::Map => Action::ViewMap,
            View::Programs => Action::ViewPrograms,
            View::Alliances => Action::ViewAlliances,
            View::Institutions => Action::ViewInstitutions,
            View::Charts => Action::ViewCharts,
            View::Aftercare => Action::ViewAftercare,
        }
    }

    fn of(a: Action) -> Option<View> {
        View::ALL.into_iter().find(|v| v.action() == a)
    }
}

/// A direction on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
    Up,
    Down,
}

/// The district the arrow leads to from `from` on the map: the nearest one
/// lying that way (within 60° of the direction), distances in km-like units
/// (longitude shrunk by the cosine of the latitude).
pub fn neighbor(from: RegionId, dir: Dir) -> Option<RegionId> {
    let f = from.get()?;
    let k = f.lat.to_radians().cos();
    REGIONS
        .iter()
        .filter(|r| r.id != from)
        .filter_map(|r| {
            let dx = (r.lon - f.lon) * k;
            let dy = r.lat - f.lat;
            let (along, across) = match dir {
                Dir::Right => (dx, dy),
                Dir::Left => (-dx, dy),
                Dir::Up => (dy, dx),
                Dir::Down => (-dy, dx),
            };
            // tan 60° ≈ 1.73: wide enough that every district stays reachable.
            (along > 0.0 && across.abs() <= 1.75 * along).then_some((along + across.abs(), r.id))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

/// What the dashboard overlay keeps.
#[derive(Debug, Clone)]
pub struct DashboardState {
    pub view: View,
    pub figures: Arc<Figures>,
    /// The service version the figures were computed at.
    pub version: u64,
    pub settings: Settings,
    /// How many times the figures were computed: once on opening and once
    /// per change of the data, never per frame.
    pub computed: u64,
    /// The selected row of each view; the map shares the districts' row.
    pub rows: [usize; View::ALL.len()],
}

impl DashboardState {
    fn slot(view: View) -> usize {
        match view {
            View::Map => View::Districts.index(),
            v => v.index(),
        }
    }

    /// The selected row of a view.
    pub fn row(&self, view: View) -> usize {
        self.rows[Self::slot(view)]
    }

    /// The district selected in the table and on the map.
    pub fn region(&self) -> RegionId {
        RegionId(self.row(View::Districts).min(REGIONS.len() - 1) as u8)
    }

    fn rows_in(&self, view: View) -> usize {
        let f = &self.figures;
        match view {
            View::Trades => f.trades.len(),
            View::Districts | View::Map => f.districts.len(),
            View::Programs => f.programs.len(),
            View::Alliances => f.alliances.len(),
            View::Institutions => f.institutions.len(),
            View::Targets | View::Charts | View::Aftercare => 0,
        }
    }
}

/// The figures, read (on opening, or again after a change of the data):
/// open the dashboard, or refresh the open one.
pub(super) fn figures_loaded(st: &mut State, read: FiguresRead) {
    let FiguresRead {
        figures,
        settings,
        version,
        problem,
        open,
    } = read;
    if let Some(problem) = problem {
        let t = st.t();
        st.err(fill(t.dash.setting_problem, &[&settings.labor_force, &problem]));
    }
    if open {
        st.overlays.push(Overlay::Dashboard(DashboardState {
            view: View::Targets,
            figures,
            version,
            settings,
            computed: 1,
            rows: [0; View::ALL.len()],
        }));
        return;
    }
    for o in &mut st.overlays {
        if let Overlay::Dashboard(d) = o
            && d.version != version
        {
            d.figures = figures.clone();
            d.version = version;
            d.computed += 1;
        }
    }
}

pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let page = st.page;
    let Some(Overlay::Dashboard(d)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    let Msg::Action(a) = msg else {
        return Outcome::Stay;
    };
    if let Some(v) = View::of(a) {
        d.view = v;
        return Outcome::Stay;
    }
    let slot = DashboardState::slot(d.view);
    let n = d.rows_in(d.view);
    match a {
        Action::Back | Action::Cancel | Action::Dashboard => return Outcome::Pop,
        Action::NextTab | Action::PrevTab => {
            let i = d.view.index();
            let k = View::ALL.len();
            d.view = View::ALL[if a == Action::NextTab {
                (i + 1) % k
            } else {
                (i + k - 1) % k
            }];
        }
        Action::Up | Action::Down | Action::Left | Action::Right if d.view == View::Map => {
            let dir = match a {
                Action::Up => Dir::Up,
                Action::Down => Dir::Down,
                Action::Left => Dir::Left,
                _ => Dir::Right,
            };
            if let Some(r) = neighbor(d.region(), dir) {
                d.rows[slot] = r.0 as usize;
            }
        }
        Action::Left | Action::Right => {}
        Action::Open => return drill_down(st, fx),
        other => {
            if !move_cursor(&mut d.rows[slot], n, other, page) {
                not_here(st, other);
            }
        }
    }
    Outcome::Stay
}

/// Enter on a district, trade or program: filter every list by it and
/// return to the lists.
fn drill_down(st: &mut State, fx: &mut Vec<Effect>) -> Outcome {
    let Some(Overlay::Dashboard(d)) = st.overlays.last() else {
        return Outcome::Stay;
    };
    let row = d.row(d.view);
    let f = &d.figures;
    let by = match d.view {
        View::Districts | View::Map => Some(FilterBy::Region(d.region())),
        View::Trades => f.trades.get(row).map(|r| FilterBy::Trade(OccupationId(r.id))),
        View::Programs => f.programs.get(row).map(|r| FilterBy::Program(ProgramId(r.id as u8))),
        _ => {
            not_here(st, Action::Open);
            return Outcome::Stay;
        }
    };
    let Some(by) = by else { return Outcome::Stay };
    st.overlays.pop();
    // The lists show what the row stands for: a query typed earlier would
    // hide it (a district with "0 records"), so it goes, and the status says so.
    let mut cleared = false;
    for kind in Kind::TABS {
        let l = &mut st.lists[kind.tab_index()];
        by.apply(&mut l.filters);
        if !l.input.value().is_empty() {
            l.input = tui_input::Input::default();
            cleared = true;
        }
        l.selected = 0;
        search_list(st, kind, fx);
    }
    let t = st.t();
    let (field, label) = by.describe(t, st.lang);
    let mut text = fill(t.dash.filtered, &[&field, &label]);
    if cleared {
        text.push_str(t.dash.query_cleared);
    }
    st.ok(text);
    Outcome::Stay
}

/// What Enter on a dashboard row filters the lists by.
#[derive(Debug, Clone, Copy)]
enum FilterBy {
    Region(RegionId),
    Trade(OccupationId),
    Program(ProgramId),
}

impl FilterBy {
    fn apply(self, f: &mut Filters) {
        match self {
            FilterBy::Region(r) => f.region = Some(r),
            FilterBy::Trade(o) => f.occupation = Some(o),
            FilterBy::Program(p) => f.program = Some(p),
        }
    }

    /// The filter's field and value, as the lists' filter line names them.
    fn describe(self, t: &Strings, lang: Lang) -> (&'static str, &'static str) {
        let en = lang == Lang::En;
        match self {
            FilterBy::Region(r) => (t.filter_fields[0], if en { r.en() } else { r.zh() }),
            FilterBy::Trade(o) => (t.filter_fields[1], if en { o.en() } else { o.zh() }),
            FilterBy::Program(p) => (t.filter_fields[4], if en { p.en() } else { p.zh() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(zh: &str) -> RegionId {
        REGIONS.iter().find(|r| r.short_zh == zh).map(|r| r.id).unwrap()
    }

    #[test]
    fn arrows_go_to_the_nearest_district_that_way() {
        assert_eq!(neighbor(id("京口"), Dir::Right), Some(id("新区")));
        assert_eq!(neighbor(id("京口"), Dir::Left), Some(id("润州")));
        assert_eq!(neighbor(id("京口"), Dir::Down), Some(id("丹徒")));
        assert_eq!(neighbor(id("新区"), Dir::Right), Some(id("扬中")));
        assert_eq!(neighbor(id("润州"), Dir::Left), Some(id("高新区")));
        assert_eq!(neighbor(id("丹徒"), Dir::Left), Some(id("句容")));
        // Nothing lies east of 扬中.
        assert_eq!(neighbor(id("扬中"), Dir::Right), None);
    }

    #[test]
    fn every_district_can_reach_every_other() {
        for from in RegionId::all() {
            let mut seen = vec![from];
            let mut i = 0;
            while i < seen.len() {
                for dir in [Dir::Left, Dir::Right, Dir::Up, Dir::Down] {
                    if let Some(n) = neighbor(seen[i], dir)
                        && !seen.contains(&n)
                    {
                        seen.push(n);
                    }
                }
                i += 1;
            }
            assert_eq!(seen.len(), REGIONS.len(), "from {}: {seen:?}", from.zh());
        }
    }
}
