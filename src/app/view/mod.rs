//! What one frame shows, built once per frame from the session's state and
//! one read of the service (the rows on screen, the record in focus, the
//! dialogs' data), so the renderer reads no service and holds no lock while
//! it draws. The frame's geometry lives here too: the builder must know how
//! many rows fit, and the renderer draws in the same places.

pub mod mask;
pub mod notes;
pub mod record;
pub mod subsidy;
pub mod table;
pub mod timeline;

pub use table::ColSpec;

use super::intake::pick_label;
use super::state::{Overlay, PairRows, PickItems, Picker, State, Viewport};
use crate::domain::*;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::search::Query;
use crate::service::{Data, Service};
use ratatui::layout::{Constraint, Layout, Rect};
use record::{DetailLine, class_reason, demand_reason, record_lines};
use table::CellView;

/// Where each part of the frame goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Too small to draw the workspace at all.
    pub too_small: bool,
    pub header: Rect,
    pub search: Rect,
    /// Lists and dialogs.
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
    /// The list's box, and the detail pane's when there is room for one.
    pub list: Rect,
    pub pane: Option<Rect>,
}

impl Areas {
    pub fn of(area: Rect) -> Areas {
        if area.width < 20 || area.height < 6 {
            return Areas {
                too_small: true,
                header: area,
                search: area,
                body: area,
                status: area,
                footer: area,
                list: area,
                pane: None,
            };
        }
        let [header, search, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (list, pane) = if body.width >= 110 {
            let [list, side] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
            (list, Some(side))
        } else if body.height >= 16 {
            let [list, side] = Layout::vertical([Constraint::Min(6), Constraint::Length(8)]).areas(body);
            (list, Some(side))
        } else {
            (body, None)
        };
        Areas {
            too_small: false,
            header,
            search,
            body,
            status,
            footer,
            list,
            pane,
        }
    }

    /// Inside a box's border.
    pub fn inside(r: Rect) -> Rect {
        Rect {
            x: r.x.saturating_add(1),
            y: r.y.saturating_add(1),
            width: r.width.saturating_sub(2),
            height: r.height.saturating_sub(2),
        }
    }

    /// Rows of the list that fit under its header.
    pub fn list_rows(&self) -> usize {
        Areas::inside(self.list).height.saturating_sub(1) as usize
    }

    /// A picker's box: its search line, then its rows.
    pub fn picker(&self) -> (Rect, Rect) {
        let inner = Areas::inside(self.body);
        let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        (input, list)
    }
}

/// The rows of the list on screen.
#[derive(Debug, Clone, Default)]
pub struct ListRows {
    /// Index of the first row shown.
    pub offset: usize,
    pub cols: Vec<ColSpec>,
    pub rows: Vec<Vec<CellView>>,
}

/// What a dialog shows beyond its own state.
#[derive(Debug, Clone)]
pub enum OverlayView {
    /// Nothing from the database (help, confirm, forms, import, dashboard).
    Plain,
    Detail(Vec<DetailLine>),
    Pairing {
        title: String,
        /// Each row's record, and why it ranks where it does.
        rows: Vec<(String, String)>,
    },
    /// A search picker's rows on screen: a table, or one line of cells.
    Picker {
        offset: usize,
        table: Option<Vec<ColSpec>>,
        rows: Vec<Vec<CellView>>,
    },
    /// What each field of a record form shows.
    Intake(Vec<String>),
    /// The subsidy overlay: claims, a claim, the ledger (#21).
    Subsidy(Box<subsidy::SubsidyView>),
}

/// One frame's worth of data.
#[derive(Debug, Clone)]
pub struct View {
    pub areas: Areas,
    /// Records of the current tab's kind.
    pub total: usize,
    pub list: ListRows,
    /// The highlighted record, for the pane beside the list.
    pub pane: Vec<DetailLine>,
    /// One per dialog, in the order of `State::overlays`.
    pub overlays: Vec<OverlayView>,
    /// The keys line's actions.
    pub footer: Vec<Action>,
}

impl View {
    /// What the frame laid out, for the session to take back.
    pub fn viewport(&self) -> Viewport {
        Viewport {
            rows: self.areas.list_rows().max(1),
            offset: self.list.offset,
        }
    }
}

/// Build the frame's view: one read of the service.
pub fn build(st: &State, svc: &Service, area: Rect) -> View {
    let areas = Areas::of(area);
    let inner = svc.read();
    let data = &inner.data;
    let (t, lang) = (st.t(), st.lang);
    let l = st.list();
    let total = inner.index(st.tab).map(|i| i.len()).unwrap_or(0);
    let visible = areas.list_rows().max(1);
    let offset = crate::widgets::cursor::scrolled(l.offset, l.selected, visible, l.ids.len());
    let end = (offset + visible).min(l.ids.len());
    let cols = table::shown_columns(st.tab, Areas::inside(areas.list).width);
    let query = Query::parse(l.input.value());
    let mask = mask::Mask::new(st.revealed.as_ref());
    let mut rows = table::rows(
        data,
        st.tab,
        &l.ids[offset.min(end)..end],
        &query,
        &cols,
        lang == Lang::Zh,
    );
    mask.rows(&mut rows);
    let masked = |lines: Vec<DetailLine>| lines.into_iter().map(|l| mask.line(l)).collect::<Vec<_>>();
    let events_of = |r: RecordRef| match (&st.case_events, r) {
        (Some((c, ev)), RecordRef::Case(id)) if *c == id => Some(ev.as_slice()),
        _ => None,
    };
    let pane = match l.selected_ref() {
        Some(r) if areas.pane.is_some() => {
            let mut lines = record_lines(data, r, st.today, t, lang, events_of(r));
            // A note search shows the notes it matched under the title (#18).
            notes::insert_matching(&mut lines, data, st.tab, l.input.value(), r, lang);
            masked(lines)
        }
        _ => Vec::new(),
    };
    let overlays = st
        .overlays
        .iter()
        .map(|o| match o {
            Overlay::Detail { record, .. } => OverlayView::Detail(masked(record_lines(
                data,
                *record,
                st.today,
                t,
                lang,
                events_of(*record),
            ))),
            Overlay::Pairing(p) => pairing(data, &p.rows, st),
            Overlay::Picker(p) => {
                let mut v = picker(data, p, &areas, lang);
                if let OverlayView::Picker { rows, .. } = &mut v {
                    mask.rows(rows);
                }
                v
            }
            Overlay::Intake(form) => OverlayView::Intake(
                form.fields
                    .iter()
                    .map(|fl| {
                        if fl.f.is_pick() {
                            fl.picks
                                .iter()
                                .map(|p| pick_label(fl.f, *p, data, t, lang))
                                .collect::<Vec<_>>()
                                .join("、")
                        } else {
                            fl.input.value().to_string()
                        }
                    })
                    .collect(),
            ),
            Overlay::Subsidy(s) => OverlayView::Subsidy(Box::new(subsidy::build(svc, data, s, lang))),
            _ => OverlayView::Plain,
        })
        .collect();
    View {
        areas,
        total,
        list: ListRows { offset, cols, rows },
        pane,
        overlays,
        footer: footer_actions(st, data),
    }
}

fn pairing(data: &Data, rows: &PairRows, st: &State) -> OverlayView {
    let (t, lang) = (st.t(), st.lang);
    let title = match rows {
        PairRows::Classes(d, _) => {
            let what = data
                .demands
                .get(d)
                .map(|x| {
                    format!(
                        "{} {} · {} · {} · {}",
                        x.id,
                        x.occupation.zh(),
                        data.enterprise_name(x.enterprise),
                        x.region.zh(),
                        fill(t.r_posts_open, &[&data.posts_open(x)])
                    )
                })
                .unwrap_or_default();
            fill(t.pairing_classes_title, &[&what]) + &super::wish::pairing_note(data, *d, lang)
        }
        PairRows::Demands(c, _) => {
            let who = data
                .cases
                .get(c)
                .map(|k| {
                    let name = data.trainees.get(&k.trainee).map(|x| x.name.as_str()).unwrap_or("?");
                    let lv = k
                        .certification
                        .as_ref()
                        .map(|c| if lang == Lang::Zh { c.level.zh() } else { c.level.en() })
                        .unwrap_or("");
                    format!("{name} · {} · {lv}", k.id)
                })
                .unwrap_or_default();
            fill(t.pairing_demands_title, &[&who])
        }
    };
    let rows = match rows {
        PairRows::Classes(_, rows) => rows
            .iter()
            .map(|m| {
                let head = data
                    .classes
                    .get(&m.class)
                    .map(|c| {
                        let inst = data.institution(c.institution).map(|i| i.name.as_str()).unwrap_or("?");
                        format!("{} {} · {} · {}", c.id, c.name, inst, c.start)
                    })
                    .unwrap_or_default();
                let why: Vec<String> = m.reasons.iter().map(|r| class_reason(r, t, lang)).collect();
                (head, why.join(" · "))
            })
            .collect(),
        PairRows::Demands(_, rows) => rows
            .iter()
            .map(|m| {
                let head = data
                    .demands
                    .get(&m.demand)
                    .map(|d| {
                        format!(
                            "{} {} · {} · {}",
                            d.id,
                            d.occupation.zh(),
                            data.enterprise_name(d.enterprise),
                            d.region.zh()
                        )
                    })
                    .unwrap_or_default();
                let why: Vec<String> = m.reasons.iter().map(|r| demand_reason(r, t, lang)).collect();
                (head, why.join(" · "))
            })
            .collect(),
    };
    OverlayView::Pairing { title, rows }
}

/// A search picker's rows on screen (a fixed picker's are in its state).
fn picker(data: &Data, p: &Picker, areas: &Areas, lang: Lang) -> OverlayView {
    let PickItems::Search { kind, ids } = &p.items else {
        return OverlayView::Plain;
    };
    let (_, list) = areas.picker();
    let visible = (list.height as usize).max(1);
    let offset = p.selected.saturating_sub(visible - 1);
    let end = (offset + visible).min(ids.len());
    let shown = &ids[offset.min(end)..end];
    let q = Query::parse(p.input.value());
    if matches!(kind, Kind::Institutions | Kind::Enterprises) {
        return OverlayView::Picker {
            offset,
            table: None,
            rows: table::cell_rows(data, *kind, shown, &q),
        };
    }
    let cols = table::shown_columns(*kind, list.width);
    let rows = table::rows(data, *kind, shown, &q, &cols, lang == Lang::Zh);
    OverlayView::Picker {
        offset,
        table: Some(cols),
        rows,
    }
}

/// The keys of the current screen.
pub fn footer_actions(st: &State, data: &Data) -> Vec<Action> {
    use Action::*;
    match st.overlays.last() {
        None => vec![
            Down, Open, Pair, New, Filter, CycleSort, ExportList, NextTab, Quit, Help, Dashboard,
        ],
        Some(Overlay::Help { .. }) => vec![Down, Back],
        Some(Overlay::Detail { record, .. }) => {
            let mut v = vec![Back];
            match record {
                RecordRef::Case(id) => {
                    if let Some(c) = data.cases.get(id) {
                        v.extend(legal_moves(&c.state).iter().filter_map(|m| super::case::action_of(*m)));
                        v.extend(c.state.hired().map(|_| FollowUp));
                        v.extend([AddNote, CorrectStep]);
                    }
                }
                RecordRef::Class(_) => v.extend([Enroll, ClassStartTraining, ClassSendToEvaluation, ExportList]),
                _ => v.push(Pair),
            }
            v.push(Help);
            v
        }
        Some(Overlay::Pairing(p)) => match p.rows {
            PairRows::Classes(..) => vec![Down, Enroll, Back, Help],
            PairRows::Demands(..) => vec![Down, Refer, Back, Help],
        },
        Some(Overlay::Picker(_)) => vec![Down, Open, Cancel],
        Some(Overlay::Confirm(_)) => vec![Confirm, Cancel],
        Some(Overlay::Form(_)) => vec![NextField, PrevField, Save, Cancel],
        Some(Overlay::Intake(_)) => vec![NextField, Open, Save, SaveAndNext, Cancel],
        Some(Overlay::Import(_)) => vec![Open, NextField, Cancel],
        Some(Overlay::Dashboard(_)) => vec![Down, NextTab, Open, Back, Help],
        Some(Overlay::Wishes(_)) => vec![
            WishRegister,
            WishEnroll,
            WishDuplicate,
            WishNotReached,
            WishNotInterested,
            WishNew,
            Back,
        ],
        Some(Overlay::DeskWish(_)) => vec![NextField, Open, Save, Cancel],
        Some(Overlay::Subsidy(s)) => subsidy::footer(s),
    }
}
