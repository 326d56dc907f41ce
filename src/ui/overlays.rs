//! Dialogs drawn over the workspace: detail, pairing, pickers, confirm,
//! forms and help.

use super::detail::{class_reason, demand_reason, record_lines};
use super::table::{ColSpec, columns, row_lines};
use super::{ACCENT, block, centered};
use crate::app::{App, Overlay, PairRows, PickItems, Tab};
use crate::i18n::{Lang, fill};
use crate::keymap::Context;
use crate::search::Query;
use crate::service::Kind;
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
        Overlay::Dashboard(d) => super::dashboard::draw(frame, app, d, body),
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
                let why: Vec<String> = m.reasons.iter().map(|r| class_reason(r, t, lang)).collect();
                ListItem::new(vec![
                    Line::from(Span::styled(head, Style::new().add_modifier(Modifier::BOLD))),
                    Line::from(Span::styled(
                        format!("   {}", why.join(" · ")),
                        Style::new().fg(Color::Green),
                    )),
                ])
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
                ListItem::new(vec![
                    Line::from(Span::styled(head, Style::new().add_modifier(Modifier::BOLD))),
                    Line::from(Span::styled(
                        format!("   {}", why.join(" · ")),
                        Style::new().fg(Color::Green),
                    )),
                ])
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
