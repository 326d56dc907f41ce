//! The results list: classes or jobs, two lines a row, the query lit.

use super::*;

/// The two lines of a class in a list.
pub(super) fn class_lines(
    c: &PublicClass,
    t: &Strings,
    lang: Lang,
    query: &Query,
    extra: &[String],
) -> [Line<'static>; 2] {
    let mut first = lit(trade_name(c.trade, lang), query, BOLD.fg(ACCENT));
    first.push(Span::raw("  "));
    first.extend(lit(&c.institution, query, BOLD));
    first.push(Span::styled(
        format!(" {}", stars(c.stars)),
        Style::new().fg(Color::Yellow),
    ));
    let mut second = lit(region_name(c.region, lang), query, Style::new());
    let mut rest = vec![
        fill(t.k_starts, &[&c.start.format("%m-%d")]),
        kind_name(c.kind, lang).to_string(),
        fill(t.k_seats_left, &[&c.seats_left]),
    ];
    rest.extend(extra.iter().cloned());
    second.push(Span::raw(format!(" · {}", rest.join(" · "))));
    [Line::from(first), Line::from(second)]
}

/// The two lines of a job in a list.
pub(super) fn job_lines(j: &PublicJob, t: &Strings, lang: Lang, query: &Query, trainings: usize) -> [Line<'static>; 2] {
    let mut first = lit(trade_name(j.trade, lang), query, BOLD.fg(ACCENT));
    first.push(Span::raw("  "));
    first.extend(lit(&j.enterprise, query, BOLD));
    let mut second = lit(region_name(j.region, lang), query, Style::new());
    let mut rest = vec![
        fill(t.k_open_posts, &[&j.open]),
        fill(t.k_wage, &[&j.wage_min, &j.wage_max]),
    ];
    if trainings > 0 {
        rest.push(fill(t.k_trainings, &[&trainings]));
    }
    second.push(Span::raw(format!(" · {}", rest.join(" · "))));
    [Line::from(first), Line::from(second)]
}

/// Rows of two lines and a gap, the selected one marked; returns the
/// first row shown (the selection kept in view from `offset`).
pub(super) fn draw_rows(frame: &mut Frame, area: Rect, rows: Vec<[Line<'static>; 2]>, selected: usize, first: usize) {
    let mut y = area.y;
    for (i, [a, b]) in rows.into_iter().enumerate() {
        if y + 2 > area.y + area.height {
            break;
        }
        let chosen = first + i == selected;
        let mark = if chosen { "▶ " } else { "  " };
        let style = if chosen { SELECTED } else { Style::new() };
        let mut la = vec![Span::styled(mark, Style::new().fg(ACCENT).add_modifier(Modifier::BOLD))];
        la.extend(a.spans);
        let mut lb = vec![Span::raw("  ")];
        lb.extend(b.spans);
        let rect = Rect { y, height: 2, ..area };
        frame.render_widget(Paragraph::new(vec![Line::from(la), Line::from(lb)]).style(style), rect);
        y += 3;
    }
}

/// Rows of three lines fit in `h`, at least one.
pub(super) fn fits(h: u16) -> usize {
    ((h as usize + 1) / 3).max(1)
}

pub(super) fn draw_list(frame: &mut Frame, k: &Kiosk, area: Rect, laid: &mut Laid) {
    let st = &k.state;
    let t = st.lang.t();
    let lang = st.lang;
    let l = &st.list;
    let [search, filters, _, rows] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    // The search box.
    let heading = match l.listing {
        Listing::Classes => t.k_classes,
        Listing::Jobs => t.k_jobs,
    };
    let b = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(Style::new().fg(ACCENT))
        .title(Span::styled(format!(" {heading} "), BOLD.fg(ACCENT)))
        .title(Span::styled(t.k_search_title, DIM));
    let inner = b.inner(search);
    frame.render_widget(b, search);
    let value = l.input.value();
    let width = inner.width.saturating_sub(2) as usize;
    let scroll = l.input.visual_scroll(width);
    let line = if value.is_empty() {
        Line::from(vec![Span::raw(" "), Span::styled(t.k_type_here, DIM)])
    } else {
        Line::from(vec![
            Span::raw(" "),
            Span::styled(crate::ui::skip_width(value, scroll), BOLD),
        ])
    };
    frame.render_widget(Paragraph::new(line), inner);
    if matches!(st.pages.last(), Some(Page::List)) && inner.width > 2 {
        let cursor = (l.input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position((inner.x + 1 + cursor.min(inner.width - 2), inner.y));
    }
    // The filters and the count.
    let all = t.k_all;
    let region = l.region.map(|r| region_name(r, lang)).unwrap_or(all);
    let trade = l.trade.map(|o| trade_name(o, lang)).unwrap_or(all);
    let on = Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD);
    let colon = |label: &str| format!("{label}{}", if label.is_ascii() { ": " } else { "：" });
    let filter_line = Line::from(vec![
        Span::raw(" "),
        Span::styled(colon(t.k_district), DIM),
        Span::styled(region.to_string(), if l.region.is_some() { on } else { BOLD }),
        Span::raw("    "),
        Span::styled(colon(t.k_trade), DIM),
        Span::styled(trade.to_string(), if l.trade.is_some() { on } else { BOLD }),
    ]);
    frame.render_widget(Paragraph::new(filter_line), filters);
    let count = if l.pending && l.ids.is_empty() {
        t.searching.to_string()
    } else {
        fill(t.k_found, &[&l.ids.len()])
    };
    let cw = unicode_width(&count) as u16 + 1;
    if cw < filters.width {
        let r = Rect {
            x: filters.x + filters.width - cw,
            width: cw,
            ..filters
        };
        frame.render_widget(Paragraph::new(Span::styled(count, DIM)), r);
    }
    // The results.
    let visible = fits(rows.height);
    laid.page_rows = visible;
    if l.ids.is_empty() {
        if !l.pending {
            frame.render_widget(
                Paragraph::new(Span::styled(format!(" {}", t.k_none_found), DIM))
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                rows,
            );
        }
        return;
    }
    let first = scrolled(l.offset, l.selected, visible, l.ids.len());
    laid.list_offset = first;
    let end = (first + visible).min(l.ids.len());
    let query = Query::parse(l.input.value());
    let v = k.view();
    let lines: Vec<[Line<'static>; 2]> = match l.listing {
        Listing::Classes => {
            let ids: Vec<_> = l.ids[first..end]
                .iter()
                .map(|id| crate::service::public::ClassId(*id))
                .collect();
            v.classes(&ids)
                .iter()
                .map(|c| class_lines(c, t, lang, &query, &[]))
                .collect()
        }
        Listing::Jobs => {
            let ids: Vec<_> = l.ids[first..end]
                .iter()
                .map(|id| crate::service::public::DemandId(*id))
                .collect();
            v.jobs(&ids)
                .iter()
                .map(|j| job_lines(j, t, lang, &query, v.classes_for_job(j.id).len()))
                .collect()
        }
    };
    draw_rows(frame, rows, lines, l.selected, first);
}
