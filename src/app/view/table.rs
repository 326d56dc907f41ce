//! A list as a table: which columns each kind shows (and from which width),
//! and the cells of the rows on screen, with the query's highlights and the
//! live figures (posts open, seats left, status).

use crate::domain::*;
use crate::i18n::Strings;
use crate::search::Query;
use crate::service::{Data, rows};
use ratatui::layout::Constraint;
use std::collections::HashMap;

/// A column: a searchable cell by position, or a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Cell(usize),
    OpenPosts,
    /// An enterprise's open posts, over its demands.
    Posts,
    /// An institution's classes.
    ClassCount,
    Wage,
    Status,
    Start,
    Seats,
}

#[derive(Debug, Clone, Copy)]
pub struct ColSpec {
    pub col: Col,
    /// Position of the header among the kind's column names.
    pub header: usize,
    pub width: Constraint,
    /// Hidden when the table is narrower than this.
    pub min_table: u16,
}

const fn spec(col: Col, header: usize, width: Constraint, min_table: u16) -> ColSpec {
    ColSpec {
        col,
        header,
        width,
        min_table,
    }
}

/// The columns of a kind's table, widest table first.
pub fn columns(kind: Kind) -> Vec<ColSpec> {
    use Constraint::*;
    match kind {
        Kind::Demands => vec![
            spec(Col::Cell(0), 0, Length(14), 0),
            spec(Col::Cell(1), 1, Min(16), 0),
            spec(Col::Cell(2), 2, Length(10), 0),
            spec(Col::OpenPosts, 4, Length(9), 60),
            spec(Col::Wage, 5, Length(11), 70),
            spec(Col::Status, 6, Length(6), 90),
            spec(Col::Cell(3), 3, Length(6), 50),
        ],
        Kind::Classes => vec![
            spec(Col::Cell(0), 0, Min(20), 0),
            spec(Col::Cell(1), 1, Length(26), 110),
            spec(Col::Cell(2), 2, Length(12), 130),
            spec(Col::Start, 4, Length(6), 50),
            spec(Col::Seats, 5, Length(9), 40),
            spec(Col::Status, 6, Length(6), 60),
            spec(Col::Cell(3), 3, Length(6), 70),
        ],
        Kind::Cases => vec![
            spec(Col::Cell(0), 0, Length(8), 0),
            spec(Col::Cell(1), 1, Length(14), 0),
            spec(Col::Cell(2), 2, Length(8), 0),
            spec(Col::Cell(3), 3, Min(16), 50),
            spec(Col::Cell(4), 4, Length(7), 70),
        ],
        Kind::Institutions => vec![
            spec(Col::Cell(0), 0, Min(20), 0),
            spec(Col::Cell(1), 1, Length(10), 40),
            spec(Col::Cell(2), 2, Length(9), 50),
            spec(Col::ClassCount, 3, Length(7), 60),
        ],
        Kind::Enterprises => vec![
            spec(Col::Cell(0), 0, Min(20), 0),
            spec(Col::Cell(1), 1, Length(10), 40),
            spec(Col::Cell(2), 2, Length(14), 60),
            spec(Col::Posts, 3, Length(9), 50),
        ],
        Kind::Trainees => vec![
            spec(Col::Cell(0), 0, Length(8), 0),
            spec(Col::Cell(1), 1, Length(18), 0),
            spec(Col::Cell(2), 2, Length(11), 60),
            spec(Col::Cell(3), 3, Length(10), 70),
            spec(Col::Cell(4), 4, Min(10), 50),
        ],
    }
}

/// The columns a table of this width shows.
pub fn shown_columns(kind: Kind, width: u16) -> Vec<ColSpec> {
    columns(kind).into_iter().filter(|c| width >= c.min_table).collect()
}

/// The column names of a kind's table.
pub fn headers(t: &'static Strings, kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Demands => &t.cols_demands,
        Kind::Classes => &t.cols_classes,
        Kind::Cases => &t.cols_cases,
        Kind::Institutions => &t.cols_institutions,
        Kind::Enterprises => &t.cols_enterprises,
        Kind::Trainees => &t.cols_trainees,
    }
}

/// How a cell reads: plain, good news, a warning, bad news or faded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    Good,
    Warn,
    Bad,
    Dim,
}

/// One cell on screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellView {
    pub text: String,
    /// Character positions the query matched.
    pub hits: Vec<usize>,
    pub tone: Tone,
}

fn figure(data: &Data, kind: Kind, id: u64, col: Col, zh: bool, owned: &HashMap<u64, u32>) -> CellView {
    let cell = |text: String, tone: Tone| CellView {
        text,
        hits: Vec::new(),
        tone,
    };
    match kind {
        Kind::Demands => {
            let Some(d) = data.demands.get(&DemandId(id)) else {
                return CellView::default();
            };
            match col {
                Col::OpenPosts => cell(format!("{}/{}", data.posts_open(d), d.headcount), Tone::Plain),
                Col::Wage => cell(format!("{}-{}", d.wage_min, d.wage_max), Tone::Plain),
                Col::Status => cell(
                    if zh { d.status.zh() } else { d.status.name() }.to_string(),
                    match d.status {
                        DemandStatus::Open => Tone::Good,
                        _ => Tone::Dim,
                    },
                ),
                _ => CellView::default(),
            }
        }
        Kind::Classes => {
            let Some(c) = data.classes.get(&ClassId(id)) else {
                return CellView::default();
            };
            match col {
                Col::Start => cell(c.start.format("%m-%d").to_string(), Tone::Plain),
                Col::Seats => {
                    let left = data.seats_left(c);
                    cell(
                        format!("{}/{}", left, c.capacity),
                        if left == 0 { Tone::Bad } else { Tone::Plain },
                    )
                }
                Col::Status => cell(
                    if zh { c.status.zh() } else { c.status.name() }.to_string(),
                    match c.status {
                        ClassStatus::Open | ClassStatus::Planned => Tone::Good,
                        ClassStatus::Running => Tone::Warn,
                        _ => Tone::Dim,
                    },
                ),
                _ => CellView::default(),
            }
        }
        Kind::Institutions if col == Col::ClassCount => {
            cell(owned.get(&id).copied().unwrap_or(0).to_string(), Tone::Plain)
        }
        Kind::Enterprises if col == Col::Posts => {
            let open = owned.get(&id).copied().unwrap_or(0);
            cell(open.to_string(), if open > 0 { Tone::Good } else { Tone::Dim })
        }
        _ => CellView::default(),
    }
}

/// Per institution or enterprise on screen: its classes, or its open posts
/// (one pass over the classes or demands for the rows shown).
fn owned_counts(data: &Data, kind: Kind, ids: &[u64]) -> HashMap<u64, u32> {
    let shown: std::collections::HashSet<u64> = ids.iter().copied().collect();
    let mut out = HashMap::new();
    match kind {
        Kind::Institutions => {
            for c in data.classes.values().filter(|c| shown.contains(&c.institution.0)) {
                *out.entry(c.institution.0).or_insert(0) += 1;
            }
        }
        Kind::Enterprises => {
            for d in data
                .demands
                .values()
                .filter(|d| d.status == DemandStatus::Open && shown.contains(&d.enterprise.0))
            {
                *out.entry(d.enterprise.0).or_insert(0) += data.posts_open(d);
            }
        }
        _ => {}
    }
    out
}

/// The cells of the rows `ids` of a kind, in the columns `cols`.
pub fn rows(data: &Data, kind: Kind, ids: &[u64], query: &Query, cols: &[ColSpec], zh: bool) -> Vec<Vec<CellView>> {
    let owned = owned_counts(data, kind, ids);
    ids.iter()
        .map(|id| {
            let cells = rows::cells(data, kind, *id).unwrap_or_default();
            let hits = rows::highlights(&cells, query);
            cols.iter()
                .map(|c| match c.col {
                    Col::Cell(i) => CellView {
                        text: cells.get(i).map(|c| c.to_string()).unwrap_or_default(),
                        hits: hits.get(i).cloned().unwrap_or_default(),
                        tone: Tone::Plain,
                    },
                    other => figure(data, kind, *id, other, zh, &owned),
                })
                .collect()
        })
        .collect()
}

/// Every searchable cell of the rows `ids` (a picker's one-line rows).
pub fn cell_rows(data: &Data, kind: Kind, ids: &[u64], query: &Query) -> Vec<Vec<CellView>> {
    ids.iter()
        .map(|id| {
            let cells = rows::cells(data, kind, *id).unwrap_or_default();
            let hits = rows::highlights(&cells, query);
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| CellView {
                    text: c.to_string(),
                    hits: hits.get(i).cloned().unwrap_or_default(),
                    tone: Tone::Plain,
                })
                .collect()
        })
        .collect()
}
