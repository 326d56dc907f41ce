//! A class's page and a job's page (with the classes that train for it).

use super::*;

pub(super) fn kv(label: &str, value: Vec<Span<'static>>) -> Line<'static> {
    let pad = LABEL_W.saturating_sub(unicode_width(label));
    let mut spans = vec![Span::styled(format!("  {label}{}", " ".repeat(pad)), DIM)];
    spans.extend(value);
    Line::from(spans)
}

pub(super) fn plain(s: String) -> Vec<Span<'static>> {
    vec![Span::styled(s, BOLD)]
}

pub(super) fn draw_gone(frame: &mut Frame, t: &Strings, area: Rect) {
    let [_, msg] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(centered_line(t.k_gone, BOLD)), msg);
}

pub(super) fn draw_class(frame: &mut Frame, k: &Kiosk, c: &PublicClass, scroll: usize, area: Rect, laid: &mut Laid) {
    let t = k.state.lang.t();
    let lang = k.state.lang;
    let trade = match lang {
        Lang::Zh => c.trade.zh().to_string(),
        Lang::En => format!("{} {}", c.trade.en(), c.trade.zh()),
    };
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(format!("  {}", c.name), BOLD.fg(ACCENT))),
        Line::from(""),
        kv(t.k_l_trade, plain(trade)),
        kv(
            t.k_l_institution,
            vec![
                Span::styled(c.institution.clone(), BOLD),
                Span::styled(format!(" {}", stars(c.stars)), Style::new().fg(Color::Yellow)),
            ],
        ),
        kv(t.k_l_district, plain(region_name(c.region, lang).to_string())),
        kv(t.k_l_dates, plain(fill(t.k_dates_fmt, &[&c.start, &c.end]))),
        kv(t.k_l_kind, plain(kind_name(c.kind, lang).to_string())),
        kv(
            t.k_l_seats,
            vec![Span::styled(
                fill(t.k_seats_fmt, &[&c.seats_left, &c.capacity]),
                BOLD.fg(Color::Green),
            )],
        ),
        kv(t.k_l_program, plain(program_name(c.program, lang).to_string())),
        kv(t.k_l_target, plain(level_name(c.target_level, lang).to_string())),
        kv(t.k_l_status, plain(status_name(c.status, lang).to_string())),
        Line::from(""),
        Line::from(Span::styled(format!("  {}", t.k_enroll_how), BOLD.fg(Color::Yellow))),
    ];
    let max = lines.len().saturating_sub(area.height as usize);
    laid.max_scroll = max;
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max) as u16, 0)), area);
}

pub(super) fn reasons(tf: &TrainFor, t: &Strings, lang: Lang) -> Vec<String> {
    tf.reasons
        .iter()
        .filter_map(|r| match r {
            ClassReason::BuiltOnDemand => Some(t.k_built_on.to_string()),
            ClassReason::RelatedTrade(_) => Some(t.k_related.to_string()),
            ClassReason::SameDistrict => Some(t.k_same_district.to_string()),
            _ => None,
        })
        .map(|s| if lang == Lang::Zh { s } else { s.to_lowercase() })
        .collect()
}

pub(super) fn draw_job(frame: &mut Frame, k: &Kiosk, j: &PublicJob, selected: usize, area: Rect, laid: &mut Laid) {
    let t = k.state.lang.t();
    let lang = k.state.lang;
    let trade = match lang {
        Lang::Zh => j.trade.zh().to_string(),
        Lang::En => format!("{} {}", j.trade.en(), j.trade.zh()),
    };
    let level = match j.min_level {
        Some(l) => fill(t.k_level_fmt, &[&level_name(l, lang)]),
        None => t.k_any_level.to_string(),
    };
    let train = k.view().classes_for_job(j.id);
    let head = vec![
        Line::from(""),
        Line::from(Span::styled(format!("  {} · {}", trade, j.enterprise), BOLD.fg(ACCENT))),
        Line::from(""),
        kv(t.k_l_district, plain(region_name(j.region, lang).to_string())),
        kv(
            t.k_l_open,
            vec![Span::styled(
                fill(t.k_open_fmt, &[&j.open, &j.headcount]),
                BOLD.fg(Color::Green),
            )],
        ),
        kv(t.k_l_wage, plain(fill(t.k_wage_fmt, &[&j.wage_min, &j.wage_max]))),
        kv(t.k_l_level, plain(level)),
        kv(t.k_l_post_kind, plain(post_kind_name(j.kind, lang).to_string())),
        Line::from(Span::styled(format!("  {}", t.k_apply_how), BOLD.fg(Color::Yellow))),
        Line::from(""),
        Line::from(Span::styled(
            format!(" ── {} ──", fill(t.k_train_for, &[&train.len()])),
            BOLD.fg(ACCENT),
        )),
    ];
    let head_h = (head.len() as u16).min(area.height);
    let [top, rest] = Layout::vertical([Constraint::Length(head_h), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(head), top);
    if rest.height == 0 {
        return;
    }
    if train.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("  {}", t.k_no_training), DIM)),
            rest,
        );
        return;
    }
    let visible = fits(rest.height);
    laid.page_rows = visible;
    let selected = selected.min(train.len() - 1);
    let first = scrolled(0, selected, visible, train.len());
    let end = (first + visible).min(train.len());
    let none = Query::default();
    let lines: Vec<[Line<'static>; 2]> = train[first..end]
        .iter()
        .map(|tf| class_lines(&tf.class, t, lang, &none, &reasons(tf, t, lang)))
        .collect();
    draw_rows(frame, rest, lines, selected, first);
}
