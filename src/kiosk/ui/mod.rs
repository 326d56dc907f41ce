//! Drawing the kiosk: `draw(&mut Frame, &Kiosk)` on any ratatui backend.
//! Large, plain and spacious: bold headings, each result on two lines with
//! room between, few columns, and a keys line of at most five keys. Every
//! record comes from the session's public view.

mod chooser;
mod names;
mod pages;
mod results;
mod wish;

use chooser::draw_chooser;
use names::*;
use pages::{draw_class, draw_gone, draw_job};
use results::{class_lines, draw_list, draw_rows, fits};

use super::keys::{self, Label, Where};
use super::{ChoiceRow, Chooser, Kiosk, Page};
use crate::i18n::{Lang, Strings, fill};
use crate::search::{Hay, Query, highlight};
use crate::service::public::{
    ClassKind, ClassReason, ClassStatus, Listing, OccupationId, PostKind, ProgramId, PublicClass, PublicJob, RegionId,
    SkillLevel, TrainFor,
};
use crate::ui::{ACCENT, unicode_width};
use crate::widgets::cursor::scrolled;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

pub(super) const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
pub(super) const DIM: Style = Style::new().fg(Color::Gray);
pub(super) const SELECTED: Style = Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD);
/// Width of the labels of a record's lines.
pub(super) const LABEL_W: usize = 10;

/// What a frame laid out, for the kiosk to take back (paging, scrolling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Laid {
    /// Rows the list on top shows at once.
    pub page_rows: usize,
    /// How far the page on top can scroll.
    pub max_scroll: usize,
    /// The first row the results list showed.
    pub list_offset: usize,
    /// The first row the chooser showed.
    pub chooser_offset: usize,
}

/// Draw the whole kiosk; returns what the frame laid out.
pub fn draw(frame: &mut Frame, k: &Kiosk) -> Laid {
    let mut laid = Laid {
        page_rows: k.state.page_rows,
        max_scroll: k.state.max_scroll,
        list_offset: k.state.list.offset,
        chooser_offset: match k.state.pages.last() {
            Some(Page::Choose(c)) => c.offset,
            _ => 0,
        },
    };
    let area = frame.area();
    let t = k.state.lang.t();
    if area.width < 30 || area.height < 10 {
        frame.render_widget(Paragraph::new(t.k_small), area);
        return laid;
    }
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
    draw_header(frame, k, header);
    match k.state.pages.last() {
        None => draw_home(frame, k, body),
        Some(Page::List) => draw_list(frame, k, body, &mut laid),
        Some(Page::Class { id, scroll }) => match k.view().class(*id) {
            Some(c) => draw_class(frame, k, &c, *scroll, body, &mut laid),
            None => draw_gone(frame, t, body),
        },
        Some(Page::Job { id, selected }) => match k.view().job(*id) {
            Some(j) => draw_job(frame, k, &j, *selected, body, &mut laid),
            None => draw_gone(frame, t, body),
        },
        Some(Page::Choose(c)) => {
            draw_list(frame, k, body, &mut laid);
            draw_chooser(frame, k, c, body, &mut laid);
        }
        Some(Page::Wish(f)) => wish::draw_wish_form(frame, k, f, body),
        Some(Page::Receipt(n)) => wish::draw_receipt(frame, k, *n, body),
    }
    draw_footer(frame, k, footer);
    laid
}

fn draw_header(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let t = k.state.lang.t();
    let bar = Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD);
    frame.render_widget(Block::new().style(bar), area);
    let title = format!(" {} ", t.k_title);
    let title_w = unicode_width(&title) as u16;
    frame.render_widget(Paragraph::new(Span::styled(title, bar)), area);
    let date = k.view().today().to_string();
    let candidates = if k.view().is_simulated() {
        vec![format!("{} · {} ", t.demo_badge, date), format!("{date} ")]
    } else {
        vec![format!("{date} ")]
    };
    if let Some(right) = candidates
        .into_iter()
        .find(|r| title_w + unicode_width(r) as u16 + 1 < area.width)
    {
        let w = unicode_width(&right) as u16;
        let r = Rect {
            x: area.x + area.width - w,
            width: w,
            ..area
        };
        frame.render_widget(
            Paragraph::new(Span::styled(right, Style::new().fg(Color::Black).bg(ACCENT))),
            r,
        );
    }
}

fn centered_line(text: &str, style: Style) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), style)).centered()
}

fn draw_home(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let t = k.state.lang.t();
    let v = k.view();
    let (classes, seats) = v.totals(Listing::Classes);
    let (jobs, posts) = v.totals(Listing::Jobs);
    let schools = v.institutions().len();
    let w = area.width.saturating_sub(4).min(66);
    let x = area.x + (area.width - w) / 2;
    let [welcome, _, one, _, two, _, hint, privacy] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(2),
    ])
    .flex(Flex::Center)
    .areas(area);
    frame.render_widget(Paragraph::new(centered_line(t.k_welcome, BOLD.fg(ACCENT))), welcome);
    let cards = [
        (
            one,
            "1",
            t.k_classes,
            fill(t.k_classes_info, &[&classes, &seats, &schools]),
        ),
        (two, "2", t.k_jobs, fill(t.k_jobs_info, &[&jobs, &posts])),
    ];
    for (i, (row, key, title, info)) in cards.into_iter().enumerate() {
        let chosen = k.state.home == i;
        let rect = Rect { x, width: w, ..row };
        let (border, title_style) = if chosen {
            (
                Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
                Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD),
            )
        } else {
            (Style::new().fg(Color::Gray), BOLD)
        };
        let b = Block::new()
            .borders(Borders::ALL)
            .border_type(if chosen { BorderType::Thick } else { BorderType::Rounded })
            .border_style(border);
        let inner = b.inner(rect);
        frame.render_widget(b, rect);
        let marker = if chosen { "▶ " } else { "  " };
        let lines = vec![
            Line::from(vec![
                Span::styled(marker, border),
                Span::styled(format!(" {key} "), title_style),
                Span::raw("  "),
                Span::styled(title.to_string(), title_style),
            ]),
            Line::from(Span::styled(format!("       {info}"), DIM)),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }
    frame.render_widget(
        Paragraph::new(centered_line(t.k_search_hint, Style::new())).wrap(ratatui::widgets::Wrap { trim: true }),
        hint,
    );
    frame.render_widget(
        Paragraph::new(centered_line(t.k_privacy, DIM)).wrap(ratatui::widgets::Wrap { trim: true }),
        privacy,
    );
}

fn label_text(l: Label, t: &Strings) -> &'static str {
    match l {
        Label::Move => t.k_key_move,
        Label::Scroll => t.k_key_scroll,
        Label::Open => t.k_key_open,
        Label::Details => t.k_key_details,
        Label::ViewClass => t.k_key_view_class,
        Label::Classes => t.k_key_classes,
        Label::Jobs => t.k_key_jobs,
        Label::District => t.k_key_district,
        Label::Trade => t.k_key_trade,
        Label::Back => t.k_key_back,
        Label::Home => t.k_key_home,
        Label::Choose => t.k_key_choose,
        Label::Cancel => t.k_key_cancel,
        Label::Language => t.k_key_language,
        Label::Wish => t.lang.wish().k_wish_hint,
        Label::Field => t.lang.wish().k_key_field,
        Label::Pick => t.lang.wish().k_key_pick,
        Label::Tick => t.lang.wish().k_key_tick,
        Label::Submit => t.lang.wish().k_key_submit,
    }
}

/// The keys of the current screen, generated from the kiosk's key map.
pub fn footer_entries(k: &Kiosk) -> Vec<(String, &'static str)> {
    let w: Where = k.state.at();
    let t = k.state.lang.t();
    keys::footer(w)
        .iter()
        .filter_map(|(actions, label)| keys::footer_keys(w, actions).map(|key| (key, label_text(*label, t))))
        .collect()
}

fn draw_footer(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0u16;
    for (key, label) in footer_entries(k) {
        let key = format!(" {key} ");
        let desc = format!(" {label}   ");
        let w = (unicode_width(&key) + unicode_width(&desc)) as u16;
        if used + w > area.width {
            break;
        }
        used += w;
        spans.push(Span::styled(
            key,
            Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(desc, BOLD));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
