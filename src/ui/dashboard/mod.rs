//! The dashboard overlay: gauges for the targets, tables of supply and
//! demand, the district map on a Canvas, bar charts of the gaps and weekly
//! sparklines. Reads the figures the dashboard keeps and computes nothing.

mod aftercare;
mod map;
mod tables;
mod targets;

use map::draw_map;
use tables::{draw_charts, draw_districts, draw_groups, draw_institutions, draw_trades, mark_style};
use targets::{draw_targets, sparkline};

use super::{ACCENT, block, unicode_width};
use crate::app::App;
use crate::app::dashboard::{DashboardState, View};
use crate::domain::{REGIONS, RegionId};
use crate::figures::cells::{institution_cells, pace_label};
use crate::figures::{
    Figures, InstitutionRow, Mark, Pace, Row as FigRow, Target, TargetKind, Targets, Week, format as num,
};
use crate::i18n::{DashStrings, Lang, fill};
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Bar, BarChart, Cell, Gauge, Paragraph, Row, Sparkline, Table, TableState, Wrap};

pub(super) const DIM: Style = Style::new().fg(Color::DarkGray);
pub(super) const SELECTED: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD);

/// Short English names of the districts, for the map (now derived from
/// the catalog's names: `map::en_short`; its test holds them to these).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const EN_SHORT: [&str; 8] = [
    "Jingkou",
    "Runzhou",
    "Dantu",
    "Danyang",
    "Yangzhong",
    "Jurong",
    "New Area",
    "Hi-tech",
];
pub fn draw(frame: &mut Frame, app: &App, d: &DashboardState, body: Rect) {
    super::clear_area(frame, body);
    let ds = app.state.t().dash;
    let f: &Figures = &d.figures;
    let b = block(format!("{} · {}", ds.title, fill(ds.as_of, &[&f.as_of])));
    let inner = b.inner(body);
    frame.render_widget(b, body);
    if inner.width < 12 || inner.height < 2 {
        return;
    }
    let [tabs, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    draw_tabs(frame, app, d, tabs);
    let lang = app.state.lang;
    match d.view {
        View::Targets => draw_targets(frame, ds, f, area),
        View::Trades => draw_trades(frame, ds, lang, d, area),
        View::Districts => draw_districts(frame, ds, lang, d, area),
        View::Map => draw_map(frame, ds, lang, d, area),
        View::Programs => draw_groups(frame, ds, lang, &f.programs, d.row(View::Programs), area),
        View::Alliances => draw_groups(frame, ds, lang, &f.alliances, d.row(View::Alliances), area),
        View::Institutions => draw_institutions(frame, ds, &f.institutions, d.row(View::Institutions), area),
        View::Charts => draw_charts(frame, ds, lang, f, area),
        View::Aftercare => aftercare::draw(frame, ds, lang, f, area),
    }
}

fn draw_tabs(frame: &mut Frame, app: &App, d: &DashboardState, area: Rect) {
    let ds = app.state.t().dash;
    let key = |v: View| {
        app.keymap
            .keys_for(Context::Dashboard, v.action())
            .first()
            .map(|k| k.to_string())
    };
    let spans = |compact: bool| -> Vec<Span<'static>> {
        let mut out = Vec::new();
        for v in View::ALL {
            let current = v == d.view;
            let label = ds.views[v.index()];
            let text = match (key(v), compact && !current) {
                (Some(k), true) => format!(" {k} "),
                (Some(k), false) => format!(" {k} {label} "),
                (None, _) => format!(" {label} "),
            };
            let style = if current {
                Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(Color::Gray)
            };
            out.push(Span::styled(text, style));
        }
        out
    };
    let full = spans(false);
    let width: usize = full.iter().map(|s| s.width()).sum();
    let line = if width <= area.width as usize {
        Line::from(full)
    } else {
        Line::from(spans(true))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Hands out rows of an area from the top until it is full.
pub(super) struct Rows {
    area: Rect,
    y: u16,
}

impl Rows {
    pub(super) fn new(area: Rect) -> Rows {
        Rows { area, y: area.y }
    }
    pub(super) fn left(&self) -> u16 {
        self.area.bottom().saturating_sub(self.y)
    }
    pub(super) fn take(&mut self, h: u16) -> Option<Rect> {
        if h == 0 || self.left() < h {
            return None;
        }
        let r = Rect {
            y: self.y,
            height: h,
            ..self.area
        };
        self.y += h;
        Some(r)
    }
}
