//! The targets view: a gauge and the pace of each target, the baseline.

use super::*;

pub(super) fn pace_style(p: Pace) -> Style {
    match p {
        Pace::Reached | Pace::OnTrack => Style::new().fg(Color::Green),
        Pace::Behind => Style::new().fg(Color::LightRed),
        Pace::NotStarted => DIM,
    }
}

/// One target on one line: name, gauge (share), actual / goal.
fn gauge_row(frame: &mut Frame, area: Rect, name: &str, name_w: u16, t: &Target, k: TargetKind, ds: &DashStrings) {
    let count = k.is_count();
    let numbers = format!(
        "{} / {}{}",
        num::value(t.actual, count),
        num::value(t.goal, count),
        ds.units[k as usize]
    );
    let num_w = unicode_width(&numbers) as u16 + 1;
    let [n, g, v] = Layout::horizontal([
        Constraint::Length(name_w),
        Constraint::Min(6),
        Constraint::Length(num_w),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(name.to_string()), n);
    let color = pace_style(t.pace).fg.unwrap_or(Color::Gray);
    frame.render_widget(
        Gauge::default()
            .ratio(t.share.clamp(0.0, 1.0))
            .label(num::share(t.share))
            .use_unicode(true)
            .gauge_style(Style::new().fg(color).bg(Color::Black)),
        g,
    );
    frame.render_widget(Paragraph::new(numbers).alignment(Alignment::Right), v);
}

fn pace_line(frame: &mut Frame, area: Rect, indent: u16, t: &Target, k: TargetKind, ds: &DashStrings) {
    let count = k.is_count();
    let line = Line::from(vec![
        Span::raw(" ".repeat(indent as usize)),
        Span::styled(fill(ds.due, &[&num::value(t.expected, count)]), DIM),
        Span::styled(" · ", DIM),
        Span::styled(pace_label(ds, t, count), pace_style(t.pace)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn targets_block(
    frame: &mut Frame,
    rows: &mut Rows,
    ds: &DashStrings,
    names: &[&str; 4],
    name_w: u16,
    ts: &Targets,
    pace_lines: bool,
) {
    for k in TargetKind::ALL {
        let t = ts.get(k);
        let Some(r) = rows.take(1) else { return };
        gauge_row(frame, r, names[k as usize], name_w, t, k, ds);
        if pace_lines && let Some(r) = rows.take(1) {
            pace_line(frame, r, name_w, t, k, ds);
        }
    }
}

pub(super) fn draw_targets(frame: &mut Frame, ds: &DashStrings, f: &Figures, area: Rect) {
    let wide = area.width >= 100;
    let names = if wide { &ds.targets } else { &ds.targets_short };
    let name_w = names.iter().map(|n| unicode_width(n)).max().unwrap_or(8) as u16 + 2;
    let roomy = area.height >= 24;
    let mut rows = Rows::new(area);
    let heading = |frame: &mut Frame, r: Rect, text: String| {
        frame.render_widget(
            Paragraph::new(Span::styled(text, Style::new().add_modifier(Modifier::BOLD))),
            r,
        );
    };
    let p = &f.period;
    if let Some(r) = rows.take(1) {
        heading(frame, r, fill(ds.period, &[&p.start, &p.end, &num::share(p.elapsed)]));
    }
    targets_block(frame, &mut rows, ds, names, name_w, &f.targets, true);
    // Subsidized trainings as the claims count them (#21), once there are claims.
    if f.subsidy.totals.claims > 0
        && let Some(r) = rows.take(1)
    {
        let en = std::ptr::eq(ds, &crate::i18n::EN_DASH);
        let w = crate::i18n::subsidy::sub(if en {
            crate::i18n::Lang::En
        } else {
            crate::i18n::Lang::Zh
        });
        let s = &f.subsidy;
        let text = fill(
            w.dash_line,
            &[
                &num::int(s.approved),
                &num::int(s.goal),
                &num::int(s.pending),
                &num::int(s.with_pending),
            ],
        );
        frame.render_widget(Paragraph::new(Span::styled(text, Style::new().fg(Color::Green))), r);
    }
    if roomy {
        rows.take(1);
    }
    let q = &f.quarter;
    if let Some(r) = rows.take(1) {
        heading(frame, r, fill(ds.quarter, &[&q.quarter, &num::share(q.span.elapsed)]));
    }
    targets_block(frame, &mut rows, ds, names, name_w, &q.targets, roomy);
    if roomy {
        rows.take(1);
    }
    let b = &f.basis;
    let baseline = fill(
        ds.baseline,
        &[
            &num::int(b.baseline_skilled),
            &num::int(b.baseline_high_skill),
            &num::value(b.published_per_10k, true),
            &num::int(b.labor_force),
            &num::value(b.baseline_per_10k, false),
        ],
    );
    // Each note whole or not at all.
    for note in [baseline, ds.rate_rule.to_string()] {
        let need = wrapped_lines(&note, area.width as usize) as u16;
        if let Some(r) = rows.take(need) {
            frame.render_widget(Paragraph::new(Span::styled(note, DIM)).wrap(Wrap { trim: true }), r);
        }
    }
    if rows.left() >= 5 {
        rows.take(1);
        let h = rows.left().min(8);
        if let Some(r) = rows.take(h) {
            let title = ds.chart_enroll;
            sparkline(frame, r, title, &f.weeks, |w| w.enrollments, Color::Cyan);
        }
    }
}

/// How many lines a text takes wrapped at spaces to `width` (a word longer
/// than a line is broken).
pub(super) fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let (mut lines, mut col) = (1, 0);
    for word in text.split(' ') {
        let w = unicode_width(word);
        if col > 0 && col + 1 + w <= width {
            col += 1 + w;
        } else if col == 0 && w <= width {
            col = w;
        } else {
            if col > 0 {
                lines += 1;
            }
            lines += w.saturating_sub(1) / width;
            col = w - w.saturating_sub(1) / width * width;
        }
    }
    lines
}

/// A titled sparkline of the last weeks that fit.
pub(super) fn sparkline(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    weeks: &[Week],
    value: fn(&Week) -> u64,
    color: Color,
) {
    if area.height < 2 {
        return;
    }
    let n = weeks.len().min(area.width as usize);
    let shown = &weeks[weeks.len() - n..];
    let peak = shown.iter().map(value).max().unwrap_or(0);
    let [t, s] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(
            fill(title, &[&n, &num::int(peak)]),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        t,
    );
    frame.render_widget(
        Sparkline::default()
            .data(shown.iter().map(value).collect::<Vec<u64>>())
            .style(Style::new().fg(color)),
        s,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_lines_as_a_word_wrapper_would() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("abc def", 7), 1);
        assert_eq!(wrapped_lines("abc def", 6), 2);
        assert_eq!(wrapped_lines("abcdefghijkl", 5), 3);
        assert_eq!(wrapped_lines("ab abcdefghijkl", 5), 4);
        // Double-width text counts two columns a character.
        assert_eq!(wrapped_lines("基线基线基线", 6), 2);
    }
}
