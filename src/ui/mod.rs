//! Rendering: `draw(&App, &mut Frame)` reads state and changes nothing
//! (bar the renderer's own scroll bookkeeping in `Cell`s).

mod dashboard;
mod detail;
mod overlays;
mod table;

pub use table::lit;

use crate::app::{App, Overlay, Tab};
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::service::Sort;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub const ACCENT: Color = Color::Cyan;
pub const HIT: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);

pub fn sort_label(app: &App, sort: Sort) -> &'static str {
    let t = app.state.t();
    let i = match sort {
        Sort::Relevance => 0,
        Sort::Newest => 1,
        Sort::OpenPosts => 2,
        Sort::Wage => 3,
        Sort::StartDate => 4,
        Sort::SeatsLeft => 5,
        Sort::Stars => 6,
        Sort::Name => 7,
        Sort::State => 8,
    };
    t.sorts[i].0
}

/// Draw the whole session.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < 20 || area.height < 6 {
        let msg = match app.state.lang {
            Lang::Zh => "窗口太小",
            Lang::En => "window too small",
        };
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let [header, search, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, app, header);
    draw_search(frame, app, search);
    draw_body(frame, app, body);
    draw_status(frame, app, status);
    draw_footer(frame, app, footer);
    for o in &app.state.overlays {
        overlays::draw(frame, app, o, body);
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.state.t();
    let mut spans = vec![Span::styled(
        format!(" {} ", t.app),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for tab in Tab::ALL {
        let label = format!(" {} ", t.tabs[tab.index()]);
        let style = if tab == app.state.tab {
            Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Gray)
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(label, style));
    }
    let left = Line::from(spans);
    let left_w = left.width() as u16;
    frame.render_widget(Paragraph::new(left), area);
    let date = app.svc.today().to_string();
    let candidates = if app.svc.is_simulated() {
        vec![
            format!("{} · {} {} ", t.demo_badge, t.simulated, date),
            format!("{} {} ", t.simulated, date),
            format!("{date} "),
        ]
    } else {
        vec![format!("{} · {} ", app.state.operator, date), format!("{date} ")]
    };
    if let Some(right) = candidates
        .into_iter()
        .find(|r| left_w + (unicode_width(r) as u16) < area.width)
    {
        let w = unicode_width(&right) as u16;
        let r = Rect {
            x: area.x + area.width - w,
            width: w,
            ..area
        };
        frame.render_widget(Paragraph::new(Span::styled(right, Style::new().fg(Color::DarkGray))), r);
    }
}

pub fn unicode_width(s: &str) -> usize {
    Line::from(s).width()
}

fn draw_search(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.state.t();
    let l = app.state.list();
    let prompt = format!("{}> ", t.search);
    let total = app.svc.read().index(app.state.tab.kind()).map(|i| i.len()).unwrap_or(0);
    let sorts = Sort::choices(app.state.tab.kind());
    let mut info = if l.pending {
        t.searching.to_string()
    } else {
        fill(t.results, &[&l.ids.len(), &total])
    };
    info.push_str(&format!(
        "  {}:{}",
        t.sort,
        sort_label(app, sorts[l.sort % sorts.len()])
    ));
    let filters = detail::filter_summary(app, &l.filters);
    if !filters.is_empty() {
        info.push_str(&format!("  {}:{}", t.filters, filters));
    }
    let info_w = unicode_width(&info) as u16;
    let prompt_w = unicode_width(&prompt) as u16;
    let input_w = area.width.saturating_sub(prompt_w + info_w + 2).max(4);
    let scroll = l.input.visual_scroll(input_w as usize);
    let value: String = l.input.value().to_string();
    let shown = skip_width(&value, scroll);
    let line = Line::from(vec![
        Span::styled(prompt.clone(), Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)),
        Span::raw(shown),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if info_w + prompt_w + 6 < area.width {
        let r = Rect {
            x: area.x + area.width - info_w,
            width: info_w,
            ..area
        };
        frame.render_widget(Paragraph::new(Span::styled(info, Style::new().fg(Color::DarkGray))), r);
    }
    if app.state.overlays.is_empty() {
        let cursor = (l.input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position((area.x + prompt_w + cursor.min(input_w), area.y));
    }
}

/// Drop leading display columns (for a scrolled input).
pub fn skip_width(s: &str, cols: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        if w >= cols {
            out.push(c);
        }
        w += unicode_width(c.encode_utf8(&mut [0; 4]));
    }
    out
}

fn draw_body(frame: &mut Frame, app: &App, area: Rect) {
    if area.width >= 110 {
        let [list, side] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
        table::draw_list(frame, app, list);
        detail::draw_pane(frame, app, side);
    } else if area.height >= 16 {
        let [list, side] = Layout::vertical([Constraint::Min(6), Constraint::Length(8)]).areas(area);
        table::draw_list(frame, app, list);
        detail::draw_pane(frame, app, side);
    } else {
        table::draw_list(frame, app, area);
    }
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let t = app.state.t();
    let (text, style) = match &app.state.status {
        Some(s) if s.error => (s.text.clone(), Style::new().fg(Color::Red)),
        Some(s) => (s.text.clone(), Style::new().fg(Color::Green)),
        None => (t.typing_hint.to_string(), Style::new().fg(Color::DarkGray)),
    };
    frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
}

/// The keys of the current screen.
pub fn footer_actions(app: &App) -> Vec<Action> {
    use Action::*;
    match app.state.overlays.last() {
        None => vec![Down, Open, Pair, New, Filter, CycleSort, NextTab, Quit, Help, Dashboard],
        Some(Overlay::Help { .. }) => vec![Down, Back],
        Some(Overlay::Detail { kind, id, .. }) => {
            let mut v = vec![Back];
            match kind {
                crate::domain::Kind::Cases => {
                    let inner = app.svc.read();
                    if let Some(c) = inner.data.cases.get(&crate::domain::CaseId(*id)) {
                        for m in crate::domain::legal_moves(&c.state) {
                            v.push(match m {
                                crate::domain::MoveKind::StartTraining => StartTraining,
                                crate::domain::MoveKind::SendToEvaluation => SendToEvaluation,
                                crate::domain::MoveKind::Certify => RecordPass,
                                crate::domain::MoveKind::Fail => RecordFail,
                                crate::domain::MoveKind::Retake => Retake,
                                crate::domain::MoveKind::Refer => Refer,
                                crate::domain::MoveKind::Hire => Hire,
                                crate::domain::MoveKind::NotHire => NotHire,
                                crate::domain::MoveKind::Withdraw => Withdraw,
                            });
                        }
                    }
                }
                crate::domain::Kind::Classes => v.push(Enroll),
                _ => v.push(Pair),
            }
            v.push(Help);
            v
        }
        Some(Overlay::Pairing(p)) => match p.rows {
            crate::app::PairRows::Classes(..) => vec![Down, Enroll, Back, Help],
            crate::app::PairRows::Demands(..) => vec![Down, Refer, Back, Help],
        },
        Some(Overlay::Picker(_)) => vec![Down, Open, Cancel],
        Some(Overlay::Confirm(_)) => vec![Confirm, Cancel],
        Some(Overlay::Form(_)) => vec![NextField, PrevField, Save, Cancel],
        Some(Overlay::Intake(_)) => vec![NextField, Open, Save, SaveAndNext, Cancel],
        Some(Overlay::Import(_)) => vec![Open, NextField, Cancel],
        Some(Overlay::Dashboard(_)) => vec![Down, NextTab, Open, Back, Help],
    }
}

fn draw_footer(frame: &mut Frame, app: &App, area: Rect) {
    let chain = app.state.chain();
    let mut spans = Vec::new();
    let mut used = 0u16;
    // Help first: it must always be visible; the rest as far as they fit.
    let mut actions = footer_actions(app);
    if let Some(i) = actions.iter().position(|a| *a == Action::Help) {
        let h = actions.remove(i);
        actions.insert(0, h);
    }
    for a in actions {
        let Some(k) = app.keymap.key_in_chain(&chain, a) else {
            continue;
        };
        let d = match app.state.lang {
            Lang::Zh => a.describe_zh(),
            Lang::En => a.describe_en(),
        };
        let (key, short) = if a == Action::Down {
            let up = app.keymap.key_in_chain(&chain, Action::Up);
            let label = if up.is_some() {
                "↑↓".to_string()
            } else {
                k.to_string()
            };
            (
                label,
                if app.state.lang == Lang::Zh { "移动" } else { "move" }.to_string(),
            )
        } else {
            // The description up to its first punctuation keeps the footer short.
            let short = d
                .split(['（', '(', '：', ':', '/'])
                .next()
                .unwrap_or(d)
                .trim()
                .to_string();
            (k.to_string(), short)
        };
        let key = format!(" {key} ");
        let desc = format!(" {short} ");
        let w = (unicode_width(&key) + unicode_width(&desc)) as u16;
        if used + w > area.width {
            continue;
        }
        used += w;
        spans.push(Span::styled(key, Style::new().fg(Color::Black).bg(Color::Gray)));
        spans.push(Span::raw(desc));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered block with a title.
pub fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::DarkGray))
        .title(Span::styled(
            title,
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
        ))
}

/// A rectangle centered in `area`, `pw`% by `ph`% of it, at least `min_w`×`min_h`.
pub fn centered(area: Rect, pw: u16, ph: u16, min_w: u16, min_h: u16) -> Rect {
    let w = (area.width * pw / 100).max(min_w).min(area.width);
    let h = (area.height * ph / 100).max(min_h).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
