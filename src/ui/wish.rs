//! The callback queue of training wishes and the desk's wish form (#25).
//! Mobiles show masked (Ctrl-R reveals one, recorded); a wish's free text
//! is shown as typed with control characters already dropped.

use super::{ACCENT, block, clear_area, unicode_width};
use crate::app::App;
use crate::app::wish::{DeskWish, WishField, WishQueue};
use crate::domain::DEFAULT_KEY_GROUPS;
use crate::domain::wish::{Source, Stage};
use crate::i18n::{Lang, fill};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

const DIM: Style = Style::new().fg(Color::DarkGray);

/// `s` padded with spaces to `w` columns (CJK counts two).
fn pad(s: &str, w: usize) -> String {
    let n = unicode_width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

pub fn draw_queue(frame: &mut Frame, app: &App, q: &WishQueue, area: Rect) {
    let lang = app.state.lang;
    let w = lang.wish();
    clear_area(frame, area);
    let b = block(fill(w.q_title, &[&q.rows.len()]));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height < 2 {
        return;
    }
    let [head, list, keys] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    let widths = [8usize, 11, 10, 12, 11];
    let cols: String = w
        .q_cols
        .iter()
        .enumerate()
        .map(|(i, c)| match widths.get(i) {
            Some(n) => pad(c, *n),
            None => (*c).to_string(),
        })
        .collect();
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {cols}"),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        head,
    );
    frame.render_widget(Paragraph::new(Span::styled(w.q_keys, DIM)), keys);
    if q.rows.is_empty() {
        let text = if q.loaded { w.q_none } else { app.state.t().searching };
        frame.render_widget(Paragraph::new(format!(" {text}")), list);
        return;
    }
    let items: Vec<ListItem> = q
        .rows
        .iter()
        .map(|r| {
            let (district, trade) = match lang {
                Lang::Zh => (r.wish.region.zh(), r.wish.trade.zh()),
                Lang::En => (r.wish.region.en(), r.wish.trade.en()),
            };
            let first = format!(
                "{}{}{}{}{}{}",
                pad(&r.wish.id.to_string(), widths[0]),
                pad(&r.wish.date.format("%m-%d").to_string(), widths[1]),
                pad(&r.wish.name, widths[2]),
                pad(&r.wish.mobile.masked(), widths[3]),
                pad(district, widths[4]),
                trade
            );
            let mut second: Vec<Span> = vec![Span::raw("   ")];
            match r.state.stage {
                Stage::Linked(t) => {
                    second.push(Span::styled(fill(w.q_linked, &[&t]), Style::new().fg(Color::Green)));
                }
                _ if r.overdue => second.push(Span::styled(
                    fill(w.q_overdue, &[&r.days]),
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                )),
                _ => second.push(Span::styled(
                    fill(w.q_waiting, &[&r.days]),
                    Style::new().fg(Color::Yellow),
                )),
            }
            if r.state.attempts > 0 {
                second.push(Span::styled(
                    format!("  {}", fill(w.q_attempts, &[&r.state.attempts])),
                    DIM,
                ));
            }
            if let (Some(t), None) = (r.same_mobile, r.state.trainee()) {
                second.push(Span::styled(format!("  {}", fill(w.q_same_mobile, &[&t])), DIM));
            }
            let source = match &r.wish.source {
                Source::Kiosk(k) => format!("  ⌂ {k}"),
                Source::Desk(o) => format!("  ✎ {o}"),
            };
            second.push(Span::styled(source, DIM));
            if let Some(g) = &r.wish.key_group {
                let g = DEFAULT_KEY_GROUPS
                    .iter()
                    .find(|(zh, _)| zh == g)
                    .map(|(zh, en)| if lang == Lang::Zh { *zh } else { *en })
                    .unwrap_or(g.as_str());
                second.push(Span::styled(format!("  {g}"), DIM));
            }
            if !r.wish.note.is_empty() {
                second.push(Span::styled(format!("  “{}”", r.wish.note), DIM));
            }
            ListItem::new(vec![
                Line::from(Span::styled(first, Style::new().add_modifier(Modifier::BOLD))),
                Line::from(second),
            ])
        })
        .collect();
    let widget = List::new(items)
        .highlight_style(Style::new().bg(Color::DarkGray))
        .highlight_symbol("▶");
    let mut ls = ListState::default();
    ls.select(Some(q.selected.min(q.rows.len().saturating_sub(1))));
    frame.render_stateful_widget(widget, list, &mut ls);
}

pub fn draw_desk(frame: &mut Frame, app: &App, d: &DeskWish, body: Rect) {
    let lang = app.state.lang;
    let w = lang.wish();
    let area = super::centered(body, 80, 60, 50, 16);
    clear_area(frame, area);
    let b = block(w.d_title.to_string());
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let f = &d.form;
    let choice = |s: Option<&str>| format!("◀ {} ▶", s.unwrap_or("—"));
    let group = f
        .group
        .and_then(|i| DEFAULT_KEY_GROUPS.get(i))
        .map(|(zh, en)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or(w.k_group_none);
    let rows = [
        (WishField::Name, w.k_name, format!("[{}]", f.name.value())),
        (WishField::Mobile, w.k_mobile, format!("[{}]", f.mobile.value())),
        (
            WishField::District,
            w.k_district,
            choice(f.region.map(|r| if lang == Lang::Zh { r.zh() } else { r.en() })),
        ),
        (
            WishField::Trade,
            w.k_trade,
            choice(f.trade.map(|o| if lang == Lang::Zh { o.zh() } else { o.en() })),
        ),
        (WishField::Group, w.k_group, format!("◀ {group} ▶")),
        (
            WishField::Consent,
            "",
            if f.consent { w.k_agree } else { w.k_not_agreed }.to_string(),
        ),
    ];
    let label_w = rows.iter().map(|(_, l, _)| unicode_width(l)).max().unwrap_or(0) + 2;
    let mut lines = Vec::new();
    for (field, label, value) in rows {
        let focused = f.focus == field;
        if field == WishField::Consent {
            lines.push(Line::from(Span::styled(w.d_consent, DIM)));
        }
        let style = if focused {
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(if focused { "▶ " } else { "  " }, style),
            Span::styled(pad(label, label_w), style),
            Span::styled(value, style),
        ]));
    }
    lines.push(Line::from(""));
    if let Some(e) = &d.error {
        lines.push(Line::from(Span::styled(format!("✗ {e}"), Style::new().fg(Color::Red))));
    }
    lines.push(Line::from(Span::styled(w.d_keys, DIM)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Room under the trades table for the trades to open a class for, when
/// the dashboard is tall enough and anyone wishes for one.
pub fn split_for_wishes(area: Rect, f: &crate::figures::Figures) -> (Rect, Option<Rect>) {
    let rows = crate::figures::wishes::to_open(&f.training_wishes).count();
    if rows == 0 || area.height < 24 {
        return (area, None);
    }
    let h = (rows.min(6) as u16) + 2;
    let [top, bottom] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(8),
        ratatui::layout::Constraint::Length(h),
    ])
    .areas(area);
    (top, Some(bottom))
}

/// The trades to open a class for: people wishing minus open seats, per
/// trade × district, the largest first.
pub fn draw_gap(frame: &mut Frame, lang: Lang, f: &crate::figures::Figures, area: Rect) {
    let w = lang.wish();
    let widths = [14usize, 12, 10, 8, 10];
    let head: String = w
        .gap_cols
        .iter()
        .enumerate()
        .map(|(i, c)| match widths.get(i) {
            Some(n) => pad(c, *n),
            None => (*c).to_string(),
        })
        .collect();
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" {}", w.gap_title),
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
        )),
        Line::from(Span::styled(
            format!(" {head}"),
            Style::new().add_modifier(Modifier::BOLD),
        )),
    ];
    for r in crate::figures::wishes::to_open(&f.training_wishes).take(area.height.saturating_sub(2) as usize) {
        lines.push(Line::from(vec![
            Span::raw(format!(
                " {}{}{}{}{}",
                pad(r.trade(lang), widths[0]),
                pad(r.district(lang), widths[1]),
                pad(&r.wishing.to_string(), widths[2]),
                pad(&r.waiting.to_string(), widths[3]),
                pad(&r.seats_open.to_string(), widths[4]),
            )),
            Span::styled(
                format!("+{}", r.unmet),
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
