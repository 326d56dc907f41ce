//! Dialogs drawn over the workspace: detail, pairing, pickers, confirm,
//! forms and help.

use super::detail::{class_reason, demand_reason, record_lines};
use super::table::{ColSpec, columns, row_lines};
use super::{ACCENT, block, centered};
use crate::app::{App, Overlay, PairRows, PickItems, Tab};
use crate::domain::Kind;
use crate::i18n::{Lang, fill};
use crate::keymap::Context;
use crate::search::Query;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

pub fn draw(frame: &mut Frame, app: &App, o: &Overlay, body: Rect) {
    match o {
        Overlay::Detail { kind, id, scroll } => draw_detail(frame, app, *kind, *id, *scroll, body),
        Overlay::Pairing(_) => draw_pairing(frame, app, o, body),
        Overlay::Picker(_) => draw_picker(frame, app, o, body),
        Overlay::Confirm(c) => {
            let t = app.state.t();
            let area = centered(body, 60, 30, 40, 6);
            frame.render_widget(Clear, area);
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
            let h = (f.fields.len() as u16) * 2 + 4;
            let area = centered(body, 70, 10, 44, h);
            frame.render_widget(Clear, area);
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
                lines.push(Line::from(vec![
                    Span::styled(format!("{}{} ", label, " ".repeat(pad)), style),
                    Span::styled(format!("[{}]", field.input.value()), style),
                ]));
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
        Overlay::Intake(form) => draw_intake(frame, app, form, body),
        Overlay::Import(d) => draw_import(frame, app, d, body),
        Overlay::Dashboard(d) => super::dashboard::draw(frame, app, d, body),
    }
}

fn draw_import(frame: &mut Frame, app: &App, d: &crate::app::ImportDialog, body: Rect) {
    let t = app.state.t();
    frame.render_widget(Clear, body);
    let b = block(t.imp_title.to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    let kind = if app.state.lang == Lang::Zh {
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
            for n in p.notes.iter().chain(&p.warnings) {
                lines.push(Line::from(Span::styled(n.clone(), Style::new().fg(Color::DarkGray))));
            }
            if p.rejects.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(t.imp_confirm, Style::new().fg(Color::Green))));
            } else {
                lines.push(Line::from(Span::styled(t.imp_bad, Style::new().fg(Color::Red))));
                for m in p
                    .reject_messages()
                    .into_iter()
                    .take(inner.height.saturating_sub(8) as usize)
                {
                    lines.push(Line::from(Span::styled(m, Style::new().fg(Color::Red))));
                }
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if d.plan.is_none() {
        let x = inner.x + super::unicode_width(&format!("{}：", t.imp_path)) as u16 + d.input.visual_cursor() as u16;
        if x < inner.x + inner.width && inner.height > 1 {
            frame.set_cursor_position((x, inner.y + 1));
        }
    }
}

fn draw_intake(frame: &mut Frame, app: &App, form: &crate::app::intake::Intake, body: Rect) {
    let t = app.state.t();
    let lang = app.state.lang;
    let today = app.svc.today();
    frame.render_widget(Clear, body);
    let b = block(form.title(t).to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let data = app.svc.read();
    let label_w = form
        .fields
        .iter()
        .map(|f| super::unicode_width(f.f.label(t)))
        .max()
        .unwrap_or(8)
        + 2;
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor: Option<(u16, usize)> = None;
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = fl.f.label(t);
        let pad = label_w.saturating_sub(super::unicode_width(label));
        let lstyle = if focused {
            Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
        } else if fl.error.is_some() {
            Style::new().fg(Color::Red)
        } else {
            Style::new().fg(Color::Gray)
        };
        let shown = form.display(fl, &data.data, t, lang, today);
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

fn draw_detail(frame: &mut Frame, app: &App, kind: Kind, id: u64, scroll: usize, body: Rect) {
    let t = app.state.t();
    frame.render_widget(Clear, body);
    let b = block(t.detail.to_string());
    let inner = b.inner(body);
    frame.render_widget(b, body);
    let events = match &app.state.case_events {
        Some((c, ev)) if kind == Kind::Cases && c.0 == id => Some(ev.as_slice()),
        _ => None,
    };
    let data = app.svc.read();
    let lines = record_lines(app, &data.data, kind, id, events);
    let max = lines.len().saturating_sub(1);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max) as u16, 0)),
        inner,
    );
}

fn draw_pairing(frame: &mut Frame, app: &App, o: &Overlay, body: Rect) {
    let Overlay::Pairing(p) = o else { return };
    let t = app.state.t();
    let lang = app.state.lang;
    let area = body;
    frame.render_widget(Clear, area);
    let inner_data = app.svc.read();
    let data = &inner_data.data;
    let title = match &p.rows {
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
            fill(t.pairing_classes_title, &[&what])
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
    let b = block(title);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if p.is_empty() {
        frame.render_widget(Paragraph::new(t.pairing_empty), inner);
        return;
    }
    let items: Vec<ListItem> = match &p.rows {
        PairRows::Classes(_, rows) => rows
            .iter()
            .map(|m| {
                let c = data.classes.get(&m.class);
                let head = c
                    .map(|c| {
                        let inst = data.institution(c.institution).map(|i| i.name.as_str()).unwrap_or("?");
                        format!("{} {} · {} · {}", c.id, c.name, inst, c.start)
                    })
                    .unwrap_or_default();
                pair_row(head, m.reasons.iter().map(|r| class_reason(r, t, lang)))
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
                pair_row(head, m.reasons.iter().map(|r| demand_reason(r, t, lang)))
            })
            .collect(),
    };
    let list = List::new(items)
        .highlight_style(Style::new().bg(Color::DarkGray))
        .highlight_symbol("▶");
    let mut ls = ListState::default();
    ls.select(Some(p.selected));
    frame.render_stateful_widget(list, inner, &mut ls);
}

/// A pairing result: the record in bold, its reasons under it.
fn pair_row(head: String, reasons: impl Iterator<Item = String>) -> ListItem<'static> {
    let why: Vec<String> = reasons.collect();
    ListItem::new(vec![
        Line::from(Span::styled(head, Style::new().add_modifier(Modifier::BOLD))),
        Line::from(Span::styled(
            format!("   {}", why.join(" · ")),
            Style::new().fg(Color::Green),
        )),
    ])
}

fn draw_picker(frame: &mut Frame, app: &App, o: &Overlay, body: Rect) {
    let Overlay::Picker(p) = o else { return };
    let t = app.state.t();
    let area = body;
    frame.render_widget(Clear, area);
    let b = block(p.title.clone());
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
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
    match &p.items {
        PickItems::Search { kind, ids } if matches!(kind, Kind::Institutions | Kind::Enterprises) => {
            let inner_data = app.svc.read();
            let q = Query::parse(p.input.value());
            let items: Vec<ListItem> = ids
                .iter()
                .map(|id| {
                    let cells = crate::service::rows::cells(&inner_data.data, *kind, *id).unwrap_or_default();
                    let hits = crate::service::rows::highlights(&cells, &q);
                    let mut spans = Vec::new();
                    for (i, c) in cells.iter().enumerate() {
                        spans.extend(
                            super::table::lit(c, hits.get(i).map(Vec::as_slice).unwrap_or(&[]), Style::new()).spans,
                        );
                        spans.push(Span::raw("  "));
                    }
                    ListItem::new(Line::from(spans))
                })
                .collect();
            let l = List::new(items)
                .highlight_style(Style::new().bg(Color::DarkGray))
                .highlight_symbol("▶");
            let mut ls = ListState::default();
            ls.select(Some(p.selected));
            frame.render_stateful_widget(l, list, &mut ls);
        }
        PickItems::Search { kind, ids } => {
            let tab = match kind {
                Kind::Demands => Tab::Demands,
                Kind::Classes => Tab::Classes,
                Kind::Cases => Tab::Cases,
                _ => Tab::Trainees,
            };
            let all = columns(tab);
            let cols: Vec<&ColSpec> = all.iter().filter(|c| list.width >= c.min_table).collect();
            let visible = list.height as usize;
            let offset = p.selected.saturating_sub(visible.saturating_sub(1));
            let end = (offset + visible).min(ids.len());
            let inner_data = app.svc.read();
            let rows: Vec<Row> = row_lines(
                &inner_data,
                *kind,
                &ids[offset.min(end)..end],
                &Query::parse(p.input.value()),
                &cols,
                app.state.lang == Lang::Zh,
            );
            let widths: Vec<Constraint> = cols.iter().map(|c| c.width).collect();
            let table = Table::new(rows, widths)
                .column_spacing(1)
                .row_highlight_style(Style::new().bg(Color::DarkGray))
                .highlight_symbol("▶");
            let mut ts = TableState::default();
            if !ids.is_empty() {
                ts.select(Some(p.selected - offset));
            }
            frame.render_stateful_widget(table, list, &mut ts);
        }
        PickItems::Fixed { all, shown } => {
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
    }
}

fn draw_help(frame: &mut Frame, app: &App, scroll: usize, body: Rect) {
    let t = app.state.t();
    let area = body;
    frame.render_widget(Clear, area);
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
            format!("[{}]", ctx.name()),
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
    let max = lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max) as u16, 0)), inner);
}
