//! The subsidy overlay (#21): claims, a claim with its lines and steps,
//! the ledger. Draws the view it is given; reads nothing else.

use super::{ACCENT, BORDER, block, clear_area, unicode_width};
use crate::app::App;
use crate::app::subsidy::{SubView, SubsidyState};
use crate::app::view::OverlayView;
use crate::app::view::subsidy::SubsidyView;
use crate::i18n::subsidy::sub;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

const DIM: Style = Style::new().fg(Color::DarkGray);

/// A table, every column as wide as its widest cell (the last takes the rest).
fn table(
    frame: &mut Frame,
    area: Rect,
    head: &[&str],
    rows: &[Vec<String>],
    styles: &[Style],
    selected: Option<usize>,
) {
    let cols = head.len();
    let mut widths: Vec<u16> = head.iter().map(|h| unicode_width(h) as u16).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(unicode_width(c) as u16);
        }
    }
    let constraints: Vec<Constraint> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == cols {
                Constraint::Fill(1)
            } else {
                Constraint::Length(*w)
            }
        })
        .collect();
    let header = Row::new(head.iter().map(|h| {
        Cell::from(Span::styled(
            h.to_string(),
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
        ))
    }));
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let style = styles.get(i).copied().unwrap_or_default();
            Row::new(r.iter().map(|c| Cell::from(c.clone()))).style(style)
        })
        .collect();
    let t = Table::new(body, constraints)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(Style::new().bg(Color::DarkGray))
        .highlight_symbol("▶");
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(t, area, &mut st);
}

pub fn draw(frame: &mut Frame, app: &App, s: &SubsidyState, v: &OverlayView, body: Rect) {
    let OverlayView::Subsidy(v) = v else { return };
    let lang = app.state.lang;
    let w = sub(lang);
    clear_area(frame, body);
    let b = block(w.title.to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    let reason_h = u16::from(s.reason.is_some());
    let [tabs, label, main, reason, figure] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(reason_h),
        Constraint::Length(1),
    ])
    .areas(inner);
    let mut spans = Vec::new();
    for (i, name) in w.views.iter().enumerate() {
        let on = matches!(
            (i, v.view),
            (0, SubView::Claims) | (1, SubView::Ledger) | (2, SubView::Standards)
        );
        let style = if on {
            Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD)
        } else {
            DIM
        };
        spans.push(Span::styled(format!(" {name} "), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    let label_style = if v.sample { Style::new().fg(Color::Yellow) } else { DIM };
    frame.render_widget(Paragraph::new(Span::styled(v.standard.clone(), label_style)), label);
    match (v.view, &v.detail) {
        (SubView::Claims, Some(d)) => draw_detail(frame, v, d, s.scroll, main, lang),
        (SubView::Claims, None) if v.claims.is_empty() => {
            frame.render_widget(Paragraph::new(Span::styled(w.none, DIM)), main);
        }
        (SubView::Claims, None) => {
            let sel = s.selected.min(v.claims.len().saturating_sub(1));
            table(frame, main, &w.claim_cols, &v.claims, &[], Some(sel));
        }
        (SubView::Ledger, _) => {
            let n = v.ledger.len();
            let mut styles = vec![Style::new(); n];
            if let Some(last) = styles.last_mut() {
                *last = Style::new().add_modifier(Modifier::BOLD);
            }
            let sel = s.ledger_row.min(n.saturating_sub(2));
            table(frame, main, &w.ledger_cols, &v.ledger, &styles, Some(sel));
        }
        (SubView::Standards, _) => {
            if let Some(t) = &v.table {
                draw_standards(frame, t, s.std_row, main, lang);
            }
        }
    }
    if let Some(input) = &s.reason {
        let line = Line::from(vec![
            Span::styled(w.reason_prompt, Style::new().fg(ACCENT)),
            Span::raw(input.value().to_string()),
            Span::styled("▏", Style::new().fg(ACCENT)),
        ]);
        frame.render_widget(Paragraph::new(line), reason);
    }
    frame.render_widget(
        Paragraph::new(Span::styled(v.figure.clone(), Style::new().fg(Color::Green))),
        figure,
    );
}

fn draw_detail(
    frame: &mut Frame,
    _v: &SubsidyView,
    d: &crate::app::view::subsidy::ClaimDetail,
    scroll: usize,
    area: Rect,
    lang: crate::i18n::Lang,
) {
    let w = sub(lang);
    let head_h = d.head.len() as u16 + 1;
    let steps_h = (d.steps.len() as u16 + 2).min(area.height / 3).max(3);
    let [head, lines, steps] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Min(3),
        Constraint::Length(steps_h),
    ])
    .areas(area);
    let mut text = vec![Line::from(Span::styled(
        d.title.clone(),
        Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
    ))];
    text.extend(d.head.iter().map(|h| Line::from(h.clone())));
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), head);
    let styles: Vec<Style> = d
        .eligible
        .iter()
        .map(|ok| {
            if *ok {
                Style::new()
            } else {
                Style::new().fg(Color::Yellow)
            }
        })
        .collect();
    let from = scroll.min(d.lines.len().saturating_sub(1));
    table(
        frame,
        lines,
        &w.line_cols,
        &d.lines[from..],
        &styles[from.min(styles.len())..],
        None,
    );
    let mut s = vec![Line::from(Span::styled(w.steps, Style::new().fg(ACCENT)))];
    s.extend(d.steps.iter().map(|x| Line::from(Span::styled(x.clone(), BORDER))));
    s.push(Line::from(Span::styled(d.next.clone(), Style::new().fg(Color::Green))));
    // The latest steps and the next ones are what fits.
    let keep = steps.height as usize;
    let skip = s.len().saturating_sub(keep);
    frame.render_widget(Paragraph::new(s.split_off(skip.min(s.len()))), steps);
}

/// The standard table (#21): settings, what a change does, the rows, the
/// uplifts, the latest changes.
fn draw_standards(
    frame: &mut Frame,
    t: &crate::app::view::subsidy::StandardsView,
    selected: usize,
    area: Rect,
    lang: crate::i18n::Lang,
) {
    let w = sub(lang);
    let up_h = t.uplifts.len() as u16 + 1;
    let edits_h = if t.edits.is_empty() {
        0
    } else {
        t.edits.len() as u16 + 1
    };
    let [head, rows, uplifts, edits] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(up_h),
        Constraint::Length(edits_h),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(t.settings.clone(), DIM)),
            Line::from(Span::styled(t.note.clone(), Style::new().fg(Color::Green))),
        ]),
        head,
    );
    let n = t.rows.len();
    if n == 0 {
        frame.render_widget(Paragraph::new(Span::styled(w.std_none, DIM)), rows);
    } else {
        let styles: Vec<Style> = t
            .rows
            .iter()
            .map(|r| {
                if r.get(3).is_some_and(|m| !m.is_empty()) {
                    Style::new().fg(Color::Yellow)
                } else {
                    Style::new()
                }
            })
            .collect();
        table(
            frame,
            rows,
            &w.std_cols,
            &t.rows,
            &styles,
            (selected < n).then_some(selected),
        );
    }
    let sel = selected.checked_sub(n).filter(|i| *i < t.uplifts.len());
    table(frame, uplifts, &w.uplift_cols, &t.uplifts, &[], sel);
    if !t.edits.is_empty() {
        let mut lines = vec![Line::from(Span::styled(w.std_edits, Style::new().fg(ACCENT)))];
        lines.extend(t.edits.iter().map(|e| Line::from(Span::styled(e.clone(), BORDER))));
        frame.render_widget(Paragraph::new(lines), edits);
    }
}
