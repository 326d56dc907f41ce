//! The district and trade choosers.

use super::*;

pub(super) fn draw_chooser(frame: &mut Frame, k: &Kiosk, c: &Chooser, body: Rect, laid: &mut Laid) {
    let t = k.state.lang.t();
    let w = body.width.saturating_sub(4).min(60);
    let h = body.height.saturating_sub(2).min(c.rows.len() as u16 + 4).max(6);
    let area = Rect {
        x: body.x + (body.width - w) / 2,
        y: body.y + 1.min(body.height.saturating_sub(h)),
        width: w,
        height: h.min(body.height),
    };
    crate::ui::clear_area(frame, area);
    let title = match c.field {
        crate::kiosk::Field::District => t.k_choose_district,
        crate::kiosk::Field::Trade => t.k_choose_trade,
    };
    let b = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(Style::new().fg(ACCENT))
        .title(Span::styled(format!(" {title} "), BOLD.fg(ACCENT)));
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if inner.height < 2 {
        return;
    }
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let value = c.input.value();
    let line = if value.is_empty() {
        Line::from(Span::styled(format!(" > {}", t.k_narrow), DIM))
    } else {
        Line::from(vec![Span::raw(" > "), Span::styled(value.to_string(), BOLD)])
    };
    frame.render_widget(Paragraph::new(line), input);
    let cursor = c.input.visual_cursor().min(input.width.saturating_sub(4) as usize) as u16;
    frame.set_cursor_position((input.x + 3 + cursor, input.y));
    let visible = list.height as usize;
    laid.page_rows = visible.max(1);
    if c.shown.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(format!(" {}", t.k_none_found), DIM)), list);
        return;
    }
    let first = scrolled(c.offset, c.selected, visible.max(1), c.shown.len());
    laid.chooser_offset = first;
    let rows: Vec<Line> = c
        .shown
        .iter()
        .skip(first)
        .take(visible)
        .enumerate()
        .filter_map(|(i, idx)| {
            c.rows
                .get(*idx)
                .map(|r| choice_line(r, first + i == c.selected, list.width))
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), list);
}

pub(super) fn choice_line(r: &ChoiceRow, chosen: bool, width: u16) -> Line<'static> {
    let mark = if chosen { "▶ " } else { "  " };
    let count = format!("{} ", r.count);
    // The count always shows: a label too long for the row is cut short.
    let room = (width as usize).saturating_sub(2 + 1 + unicode_width(&count));
    let mut label = String::new();
    for c in r.label.chars() {
        let next = format!("{label}{c}");
        if unicode_width(&next) + 1 > room && unicode_width(&r.label) > room {
            label.push('…');
            break;
        }
        label = next;
    }
    let pad = (width as usize).saturating_sub(2 + unicode_width(&label) + unicode_width(&count));
    let style = if chosen { SELECTED } else { Style::new() };
    Line::from(vec![
        Span::styled(mark, Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)),
        Span::styled(label, BOLD),
        Span::raw(" ".repeat(pad)),
        Span::styled(count, DIM),
    ])
    .style(style)
}
