//! Dialogs drawn over the workspace: detail, pairing, pickers, confirm,
//! forms and help.

use super::{ACCENT, block, centered};
use crate::app::view::{Areas, OverlayView};
use crate::app::{App, Overlay, PickItems};
use crate::i18n::{Lang, fill};
use crate::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, TableState, Wrap};

/// Where a dialog is drawn: a question and a case step's form are centred
/// boxes, every other dialog takes the body.
pub fn area_of(o: &Overlay, body: Rect) -> Rect {
    match o {
        Overlay::Confirm(c) => {
            // Tall enough for the question as it wraps, and the keys under it.
            let w = (body.width * 60 / 100).max(40).min(body.width);
            let lines = wrapped_lines(&c.text, usize::from(w.saturating_sub(2)));
            centered(body, 60, 30, 40, lines + 4)
        }
        Overlay::Form(f) => centered(body, 70, 10, 44, (f.fields.len() as u16) * 2 + 4),
        _ => body,
    }
}

/// How many rows `text` takes when word-wrapped at `width` columns, as the
/// paragraph will wrap it: breaks at spaces, a word wider than a row is cut.
fn wrapped_lines(text: &str, width: usize) -> u16 {
    let width = width.max(1);
    let mut rows = 1usize;
    let mut used = 0usize;
    for word in text.split(' ') {
        let w = super::unicode_width(word);
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else if w <= width {
            rows += 1;
            used = w;
        } else {
            // A long run (Chinese has no spaces) fills rows as it goes.
            let start = if used == 0 { 0 } else { used + 1 };
            let total = start + w;
            rows += total.saturating_sub(1) / width;
            used = total - (total.saturating_sub(1) / width) * width;
        }
    }
    u16::try_from(rows).unwrap_or(u16::MAX)
}

pub fn draw(frame: &mut Frame, app: &App, o: &Overlay, v: &OverlayView, areas: &Areas) {
    let body = areas.body;
    match o {
        Overlay::Detail { scroll, .. } => draw_detail(frame, app, v, *scroll, body),
        Overlay::Pairing(p) => draw_pairing(frame, app, p, v, body),
        Overlay::Picker(p) => draw_picker(frame, app, p, v, areas),
        Overlay::Confirm(c) => {
            let t = app.state.t();
            let area = area_of(o, body);
            super::clear_area(frame, area);
            let b = block(t.confirm_title.to_string());
            let inner = b.inner(area);
            frame.render_widget(b, area);
            let lines = vec![
                Line::from(c.text.clone()),
                Line::from(""),
                Line::from(Span::styled(t.confirm_keys, Style::new().fg(Color::DarkGray))),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Overlay::Form(f) => {
            let t = app.state.t();
            let area = area_of(o, body);
            super::clear_area(frame, area);
            let b = block(f.title(t));
            let inner = b.inner(area);
            frame.render_widget(b, area);
            let mut lines = Vec::new();
            let label_w = 18usize;
            let mut cursor = None;
            for (i, field) in f.fields.iter().enumerate() {
                let label = field.id.label(t);
                let pad = label_w.saturating_sub(super::unicode_width(label));
                let focused = i == f.focus;
                let style = if focused {
                    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
                } else {
                    Style::new()
                };
                let mut spans = vec![
                    Span::styled(format!("{}{} ", label, " ".repeat(pad)), style),
                    Span::styled(format!("[{}]", field.input.value()), style),
                ];
                // The level by name; when a panel review counts.
                let note = match field.id {
                    crate::app::form::FieldId::Level => field
                        .input
                        .value()
                        .trim()
                        .parse::<u8>()
                        .ok()
                        .and_then(crate::domain::SkillLevel::from_number)
                        .map(|l| match app.state.lang {
                            Lang::Zh => l.zh().to_string(),
                            Lang::En => l.en().to_string(),
                        }),
                    crate::app::form::FieldId::Panel => Some(t.f_panel_hint.to_string()),
                    _ => None,
                };
                if let Some(n) = note {
                    spans.push(Span::styled(format!(" {n}"), Style::new().fg(Color::DarkGray)));
                }
                lines.push(Line::from(spans));
                if focused {
                    cursor = Some((
                        inner.x + label_w as u16 + 2 + field.input.visual_cursor() as u16,
                        inner.y + lines.len() as u16 - 1,
                    ));
                }
                lines.push(match &field.error {
                    Some(e) => Line::from(Span::styled(format!("  ✗ {e}"), Style::new().fg(Color::Red))),
                    None => Line::from(""),
                });
            }
            lines.push(Line::from(Span::styled(t.form_keys, Style::new().fg(Color::DarkGray))));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            if let Some((x, y)) = cursor
                && x < inner.x + inner.width
                && y < inner.y + inner.height
            {
                frame.set_cursor_position((x, y));
            }
        }
        Overlay::Help { scroll } => draw_help(frame, app, *scroll, body),
        Overlay::Intake(form) => draw_intake(frame, app, form, v, body),
        Overlay::Import(d) => draw_import(frame, app, d, body),
        Overlay::Dashboard(d) => super::dashboard::draw(frame, app, d, body),
        Overlay::Wishes(q) => super::wish::draw_queue(frame, app, q, body),
        Overlay::DeskWish(d) => super::wish::draw_desk(frame, app, d, body),
        Overlay::Subsidy(s) => super::subsidy::draw(frame, app, s, v, body),
    }
}

fn draw_import(frame: &mut Frame, app: &App, d: &crate::app::ImportDialog, body: Rect) {
    let t = app.state.t();
    super::clear_area(frame, body);
    let b = block(t.imp_title.to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    let kind = if d.kind == crate::domain::Kind::Cases {
        t.imp_results_kind
    } else if app.state.lang == Lang::Zh {
        d.kind.zh()
    } else {
        d.kind.name()
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}：", t.imp_kind), Style::new().fg(Color::Gray)),
            Span::raw(kind.to_string()),
        ]),
        Line::from(vec![
            Span::styled(
                format!("{}：", t.imp_path),
                Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                d.input.value().to_string(),
                Style::new().add_modifier(Modifier::UNDERLINED),
            ),
        ]),
    ];
    if let Some(e) = &d.error {
        lines.push(Line::from(Span::styled(format!("✗ {e}"), Style::new().fg(Color::Red))));
    }
    if let Some(r) = &d.results {
        results_lines(&mut lines, t, r, inner.height);
    } else {
        plan_lines(&mut lines, t, d, inner.height);
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if d.plan.is_none() && d.results.is_none() {
        let x = inner.x + super::unicode_width(&format!("{}：", t.imp_path)) as u16 + d.input.visual_cursor() as u16;
        if x < inner.x + inner.width && inner.height > 1 {
            frame.set_cursor_position((x, inner.y + 1));
        }
    }
}

/// A checked results sheet: the counts, then the go-ahead or every problem.
fn results_lines(
    lines: &mut Vec<Line<'static>>,
    t: &crate::i18n::Strings,
    r: &crate::service::results::ResultsPlan,
    height: u16,
) {
    let (passes, fails) = r.passes_and_fails();
    lines.push(Line::from(""));
    lines.push(Line::from(fill(
        t.imp_results_plan,
        &[&(r.steps.len() + r.rejects.len()), &passes, &fails, &r.rejects.len()],
    )));
    if r.rejects.is_empty() && !r.steps.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(t.imp_confirm, Style::new().fg(Color::Green))));
    } else {
        lines.push(Line::from(Span::styled(t.imp_bad, Style::new().fg(Color::Red))));
        let said = r
            .rejects
            .iter()
            .flat_map(|x| crate::say::reject_lines(x, r.path(), t.lang));
        for m in said.take(height.saturating_sub(8) as usize) {
            lines.push(Line::from(Span::styled(m, Style::new().fg(Color::Red))));
        }
    }
}

/// A checked spreadsheet of records (or, before the check, the keys).
fn plan_lines(lines: &mut Vec<Line<'static>>, t: &crate::i18n::Strings, d: &crate::app::ImportDialog, height: u16) {
    match &d.plan {
        None => {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(t.imp_keys, Style::new().fg(Color::DarkGray))));
        }
        Some(p) => {
            lines.push(Line::from(""));
            lines.push(Line::from(fill(
                t.imp_plan,
                &[&p.rows, &p.added, &p.updated, &p.unchanged, &p.rejects.len()],
            )));
            for n in crate::say::plan_notes(p, t.lang) {
                lines.push(Line::from(Span::styled(n, Style::new().fg(Color::DarkGray))));
            }
            for d in crate::say::plan_diffs(p, t.lang)
                .into_iter()
                .take(height.saturating_sub(10) as usize)
            {
                lines.push(Line::from(Span::styled(d, Style::new().fg(Color::Yellow))));
            }
            if p.rejects.is_empty() {
                lines.push(Line::from(""));
                if p.updated > 0 {
                    lines.push(Line::from(Span::styled(
                        fill(t.imp_update, &[&p.updated]),
                        Style::new().fg(Color::Yellow),
                    )));
                }
                lines.push(Line::from(Span::styled(t.imp_confirm, Style::new().fg(Color::Green))));
            } else {
                lines.push(Line::from(Span::styled(t.imp_bad, Style::new().fg(Color::Red))));
                for m in crate::say::plan_rejects(p, t.lang)
                    .into_iter()
                    .take(height.saturating_sub(8) as usize)
                {
                    lines.push(Line::from(Span::styled(m, Style::new().fg(Color::Red))));
                }
            }
        }
    }
}

fn draw_intake(frame: &mut Frame, app: &App, form: &crate::app::intake::Intake, v: &OverlayView, body: Rect) {
    let t = app.state.t();
    let shown_values: &[String] = match v {
        OverlayView::Intake(s) => s,
        _ => &[],
    };
    super::clear_area(frame, body);
    let b = block(form.title(t).to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let label_w = form
        .fields
        .iter()
        .map(|f| super::unicode_width(form.label(f.f, t)))
        .max()
        .unwrap_or(8)
        + 2;
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor: Option<(u16, usize)> = None;
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = form.label(fl.f, t);
        let pad = label_w.saturating_sub(super::unicode_width(label));
        let lstyle = if focused {
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
        } else if fl.error.is_some() {
            Style::new().fg(Color::Red)
        } else {
            Style::new().fg(Color::Gray)
        };
        let shown = shown_values.get(i).cloned().unwrap_or_default();
        let mut spans = vec![
            Span::styled(if focused { "▶" } else { " " }, lstyle),
            Span::styled(format!("{label}{}", " ".repeat(pad)), lstyle),
        ];
        if fl.f.is_pick() {
            let text = if shown.is_empty() && focused {
                t.i_choose.to_string()
            } else {
                shown
            };
            let style = if text == t.i_choose {
                Style::new().fg(Color::DarkGray)
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!("▸ {text}"), style));
        } else {
            spans.push(Span::styled(
                shown,
                if focused {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                } else {
                    Style::new()
                },
            ));
            if focused {
                cursor = Some(((1 + label_w + fl.input.visual_cursor()) as u16, lines.len()));
            }
        }
        if let Some(note) = &fl.note {
            spans.push(Span::styled(format!("  {note}"), Style::new().fg(Color::Green)));
        }
        if focused {
            focus_line = lines.len();
        }
        lines.push(Line::from(spans));
        if let Some(e) = &fl.error {
            lines.push(Line::from(Span::styled(
                format!("{}✗ {e}", " ".repeat(label_w + 1)),
                Style::new().fg(Color::Red),
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(t.i_keys, Style::new().fg(Color::DarkGray))));
    let h = inner.height as usize;
    let scroll = focus_line.saturating_sub(h.saturating_sub(3));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some((x, line)) = cursor
        && line >= scroll
        && line - scroll < h
        && x < inner.width
    {
        frame.set_cursor_position((inner.x + x, inner.y + (line - scroll) as u16));
    }
}

fn draw_detail(frame: &mut Frame, app: &App, v: &OverlayView, scroll: usize, body: Rect) {
    let t = app.state.t();
    super::clear_area(frame, body);
    let b = block(t.detail.to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    let lines = match v {
        OverlayView::Detail(d) => super::detail::lines(d),
        _ => Vec::new(),
    };
    let max = lines.len().saturating_sub(1);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max) as u16, 0)),
        inner,
    );
}

fn draw_pairing(frame: &mut Frame, app: &App, p: &crate::app::Pairing, v: &OverlayView, body: Rect) {
    let t = app.state.t();
    let area = body;
    super::clear_area(frame, area);
    let (title, rows) = match v {
        OverlayView::Pairing { title, rows } => (title.clone(), rows.as_slice()),
        _ => (String::new(), &[][..]),
    };
    let b = block(title);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if p.is_empty() {
        frame.render_widget(Paragraph::new(t.pairing_empty), inner);
        return;
    }
    let items: Vec<ListItem> = rows.iter().map(|(head, why)| pair_row(head.clone(), why)).collect();
    let list = List::new(items)
        .highlight_style(Style::new().bg(Color::DarkGray))
        .highlight_symbol("▶");
    let mut ls = ListState::default();
    ls.select(Some(p.selected));
    frame.render_stateful_widget(list, inner, &mut ls);
}

/// A pairing result: the record in bold, its reasons under it.
fn pair_row(head: String, why: &str) -> ListItem<'static> {
    ListItem::new(vec![
        Line::from(Span::styled(head, Style::new().add_modifier(Modifier::BOLD))),
        Line::from(Span::styled(format!("   {why}"), Style::new().fg(Color::Green))),
    ])
}

fn draw_picker(frame: &mut Frame, app: &App, p: &crate::app::Picker, v: &OverlayView, areas: &Areas) {
    let t = app.state.t();
    let area = areas.body;
    super::clear_area(frame, area);
    let b = block(p.title.clone());
    frame.render_widget(b, area);
    let (input, list) = areas.picker();
    let prompt = format!("{}> ", t.search);
    let pw = super::unicode_width(&prompt) as u16;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)),
            Span::raw(p.input.value().to_string()),
        ])),
        input,
    );
    frame.set_cursor_position((
        input.x + (pw + p.input.visual_cursor() as u16).min(input.width.saturating_sub(1)),
        input.y,
    ));
    match (&p.items, v) {
        (
            PickItems::Search { .. },
            OverlayView::Picker {
                offset,
                table: None,
                rows,
            },
        ) => {
            let items: Vec<ListItem> = rows
                .iter()
                .map(|cells| {
                    let mut spans = Vec::new();
                    for c in cells {
                        spans.extend(super::table::lit(&c.text, &c.hits, Style::new()).spans);
                        spans.push(Span::raw("  "));
                    }
                    ListItem::new(Line::from(spans))
                })
                .collect();
            let l = List::new(items)
                .highlight_style(Style::new().bg(Color::DarkGray))
                .highlight_symbol("▶");
            let mut ls = ListState::default();
            ls.select(Some(p.selected.saturating_sub(*offset)));
            frame.render_stateful_widget(l, list, &mut ls);
        }
        (
            PickItems::Search { ids, .. },
            OverlayView::Picker {
                offset,
                table: Some(cols),
                rows,
            },
        ) => {
            let table = super::table::table(cols, rows, None)
                .row_highlight_style(Style::new().bg(Color::DarkGray))
                .highlight_symbol("▶");
            let mut ts = TableState::default();
            if !ids.is_empty() {
                ts.select(Some(p.selected.saturating_sub(*offset)));
            }
            frame.render_stateful_widget(table, list, &mut ts);
        }
        (PickItems::Fixed { all, shown }, _) => {
            let items: Vec<ListItem> = shown
                .iter()
                .filter_map(|i| all.get(*i))
                .map(|(label, _)| ListItem::new(label.clone()))
                .collect();
            let l = List::new(items)
                .highlight_style(Style::new().bg(Color::DarkGray))
                .highlight_symbol("▶");
            let mut ls = ListState::default();
            ls.select(Some(p.selected));
            frame.render_stateful_widget(l, list, &mut ls);
        }
        _ => {}
    }
}

fn draw_help(frame: &mut Frame, app: &App, scroll: usize, body: Rect) {
    let t = app.state.t();
    let area = body;
    super::clear_area(frame, area);
    let b = block(format!("{} — {}", t.help_title, t.help_hint));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines: Vec<Line> = Vec::new();
    for ctx in Context::ALL {
        let bindings = app.keymap.bindings(ctx);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            match app.state.lang {
                Lang::Zh => format!("【{}】", ctx.zh()),
                Lang::En => format!("[{}]", ctx.name()),
            },
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
        )));
        for (k, a) in bindings {
            let d = match app.state.lang {
                Lang::Zh => a.describe_zh(),
                Lang::En => a.describe_en(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", k.to_string()), Style::new().fg(Color::Yellow)),
                Span::raw(d.to_string()),
            ]));
        }
    }
    // The search line's syntax, with the Cases tab's note search (#18).
    let ns = crate::i18n::notes::notes(app.state.lang);
    lines.push(Line::from(Span::styled(
        ns.help_heading,
        Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
    )));
    lines.extend(ns.help_lines.iter().map(|l| Line::from(*l)));
    let max = lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max) as u16, 0)), inner);
}
