//! Rendering: `draw(&mut Frame, &App)` paints the view the app builds for
//! this frame (one read of the service, made before drawing starts) and the
//! session's state. It changes nothing and reads no service; what the frame
//! laid out goes back to the session as a [`Viewport`] message.

mod dashboard;
mod detail;
mod overlays;
mod subsidy;
mod table;
pub mod wish;

pub use overlays::area_of;
pub use table::lit;

use crate::app::view::View;
use crate::app::{App, State, Viewport};
use crate::domain::Kind;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::service::Sort;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub const ACCENT: Color = Color::Cyan;
pub const HIT: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);

pub fn sort_label(st: &State, sort: Sort) -> &'static str {
    let t = st.t();
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

/// Draw the whole session; returns what the frame laid out.
pub fn draw(frame: &mut Frame, app: &App) -> Viewport {
    let view = app.view(frame.area());
    render(frame, app, &view);
    view.viewport()
}

/// Paint a view.
pub fn render(frame: &mut Frame, app: &App, view: &View) {
    let st = &app.state;
    let areas = &view.areas;
    if areas.too_small {
        let msg = match st.lang {
            Lang::Zh => "窗口太小",
            Lang::En => "window too small",
        };
        frame.render_widget(Paragraph::new(msg), frame.area());
        return;
    }
    draw_header(frame, st, areas.header);
    draw_search(frame, st, view, areas.search);
    table::draw_list(frame, st, view, areas.list);
    seal_right(frame, areas.list, "│", BORDER);
    if let Some(pane) = areas.pane {
        detail::draw_pane(frame, st, view, pane);
        seal_right(frame, pane, "│", BORDER);
    }
    draw_status(frame, st, areas.status);
    draw_footer(frame, app, view, areas.footer);
    for (o, v) in st.overlays.iter().zip(&view.overlays) {
        overlays::draw(frame, app, o, v, areas);
        seal_right(frame, overlays::area_of(o, areas.body), "│", BORDER);
    }
}

fn draw_header(frame: &mut Frame, st: &State, area: Rect) {
    let t = st.t();
    let mut spans = vec![Span::styled(
        format!(" {} ", t.app),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for tab in Kind::TABS {
        let label = format!(" {} ", t.tabs[tab.tab_index()]);
        let style = if tab == st.tab {
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
    let date = st.today.to_string();
    let candidates = if st.simulated {
        vec![
            format!("{} · {} {} ", t.demo_badge, t.simulated, date),
            format!("{} {} ", t.simulated, date),
            format!("{date} "),
        ]
    } else {
        vec![format!("{} · {} ", st.operator, date), format!("{date} ")]
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

fn draw_search(frame: &mut Frame, st: &State, view: &View, area: Rect) {
    let t = st.t();
    let l = st.list();
    let prompt = format!("{}> ", t.search);
    let mut info = if l.pending {
        t.searching.to_string()
    } else {
        fill(t.results, &[&l.ids.len(), &view.total])
    };
    info.push_str(&format!("  {}:{}", t.sort, sort_label(st, l.sort_order())));
    let filters = crate::app::filters::summary(&l.filters, t, st.lang);
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
    if st.overlays.is_empty() {
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

fn draw_status(frame: &mut Frame, st: &State, area: Rect) {
    let t = st.t();
    let (text, style) = match &st.status {
        Some(s) if s.error => (s.text.clone(), Style::new().fg(Color::Red)),
        Some(s) => (s.text.clone(), Style::new().fg(Color::Green)),
        None => (t.typing_hint.to_string(), Style::new().fg(Color::DarkGray)),
    };
    frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
}

fn draw_footer(frame: &mut Frame, app: &App, view: &View, area: Rect) {
    let st = &app.state;
    let chain = st.chain();
    let mut spans = Vec::new();
    let mut used = 0u16;
    // Help first: it must always be visible; the rest as far as they fit.
    let mut actions = view.footer.clone();
    if let Some(i) = actions.iter().position(|a| *a == Action::Help) {
        let h = actions.remove(i);
        actions.insert(0, h);
    }
    for a in actions {
        let Some(k) = app.keymap.key_in_chain(&chain, a) else {
            continue;
        };
        let d = match st.lang {
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
            (label, if st.lang == Lang::Zh { "移动" } else { "move" }.to_string())
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

/// Clear an area for a dialog drawn over other text. ratatui's `Clear`
/// resets the area's cells, but a double-width character starting just left
/// of it still spans its first column (hiding the dialog's left border on a
/// terminal), and one whose first half it cleared leaves its second half
/// just right of it: both are blanked too, so borders stay whole over
/// Chinese text at any offset.
pub fn clear_area(frame: &mut Frame, area: Rect) {
    frame.render_widget(ratatui::widgets::Clear, area);
    let buf = frame.buffer_mut();
    let bounds = buf.area;
    for y in area.top()..area.bottom() {
        if area.x > bounds.x
            && let Some(c) = buf.cell_mut((area.x - 1, y))
            && unicode_width(c.symbol()) > 1
        {
            c.reset();
        }
        let right = area.right();
        if right < bounds.right()
            && let Some(c) = buf.cell_mut((right, y))
            && c.symbol().is_empty()
        {
            c.reset();
        }
    }
}

/// After a box's content is drawn: a double-width character that wrapped
/// text put in its last inner column spills onto the right border (on a
/// terminal it hides it, and the next frame's diff can lose it). Blank such
/// characters and draw the border's cell again.
pub fn seal_right(frame: &mut Frame, area: Rect, symbol: &str, style: Style) {
    if area.width < 3 || area.height < 3 {
        return;
    }
    let buf = frame.buffer_mut();
    let border = area.right() - 1;
    for y in area.top() + 1..area.bottom() - 1 {
        if let Some(c) = buf.cell_mut((border - 1, y))
            && unicode_width(c.symbol()) > 1
        {
            c.reset();
        }
        if let Some(c) = buf.cell_mut((border, y)) {
            c.reset();
            c.set_symbol(symbol).set_style(style);
        }
    }
}

/// The style of a dialog's border ([`block`]).
pub const BORDER: Style = Style::new().fg(Color::DarkGray);

/// A bordered block with a title.
pub fn block(title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(BORDER)
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

/// The style of a cell's tone.
pub fn tone_style(t: crate::app::view::table::Tone) -> Style {
    use crate::app::view::table::Tone;
    match t {
        Tone::Plain => Style::new(),
        Tone::Good => Style::new().fg(Color::Green),
        Tone::Warn => Style::new().fg(Color::Yellow),
        Tone::Bad => Style::new().fg(Color::Red),
        Tone::Dim => Style::new().fg(Color::DarkGray),
    }
}
