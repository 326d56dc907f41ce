//! Drawing the kiosk: `draw(&mut Frame, &Kiosk)` on any ratatui backend.
//! Large, plain and spacious: bold headings, each result on two lines with
//! room between, few columns, and a keys line of at most five keys. Every
//! record comes from the session's public view.

use super::keys::{self, Label, Where};
use super::{ChoiceRow, Chooser, Kiosk, Page};
use crate::i18n::{Lang, Strings, fill};
use crate::search::{Hay, Query, highlight};
use crate::service::public::{
    ClassKind, ClassReason, ClassStatus, Listing, OccupationId, PostKind, ProgramId, PublicClass, PublicJob, RegionId,
    SkillLevel, TrainFor,
};
use crate::ui::{ACCENT, unicode_width};
use crate::widgets::cursor::scrolled;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);
const DIM: Style = Style::new().fg(Color::Gray);
const SELECTED: Style = Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD);
/// Width of the labels of a record's lines.
const LABEL_W: usize = 10;

/// What a frame laid out, for the kiosk to take back (paging, scrolling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Laid {
    /// Rows the list on top shows at once.
    pub page_rows: usize,
    /// How far the page on top can scroll.
    pub max_scroll: usize,
    /// The first row the results list showed.
    pub list_offset: usize,
    /// The first row the chooser showed.
    pub chooser_offset: usize,
}

/// Draw the whole kiosk; returns what the frame laid out.
pub fn draw(frame: &mut Frame, k: &Kiosk) -> Laid {
    let mut laid = Laid {
        page_rows: k.state.page_rows,
        max_scroll: k.state.max_scroll,
        list_offset: k.state.list.offset,
        chooser_offset: match k.state.pages.last() {
            Some(Page::Choose(c)) => c.offset,
            _ => 0,
        },
    };
    let area = frame.area();
    let t = k.state.lang.t();
    if area.width < 30 || area.height < 10 {
        frame.render_widget(Paragraph::new(t.k_small), area);
        return laid;
    }
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
    draw_header(frame, k, header);
    match k.state.pages.last() {
        None => draw_home(frame, k, body),
        Some(Page::List) => draw_list(frame, k, body, &mut laid),
        Some(Page::Class { id, scroll }) => match k.view().class(*id) {
            Some(c) => draw_class(frame, k, &c, *scroll, body, &mut laid),
            None => draw_gone(frame, t, body),
        },
        Some(Page::Job { id, selected }) => match k.view().job(*id) {
            Some(j) => draw_job(frame, k, &j, *selected, body, &mut laid),
            None => draw_gone(frame, t, body),
        },
        Some(Page::Choose(c)) => {
            draw_list(frame, k, body, &mut laid);
            draw_chooser(frame, k, c, body, &mut laid);
        }
    }
    draw_footer(frame, k, footer);
    laid
}

fn draw_header(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let t = k.state.lang.t();
    let bar = Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD);
    frame.render_widget(Block::new().style(bar), area);
    let title = format!(" {} ", t.k_title);
    let title_w = unicode_width(&title) as u16;
    frame.render_widget(Paragraph::new(Span::styled(title, bar)), area);
    let date = k.view().today().to_string();
    let candidates = if k.view().is_simulated() {
        vec![format!("{} · {} ", t.demo_badge, date), format!("{date} ")]
    } else {
        vec![format!("{date} ")]
    };
    if let Some(right) = candidates
        .into_iter()
        .find(|r| title_w + unicode_width(r) as u16 + 1 < area.width)
    {
        let w = unicode_width(&right) as u16;
        let r = Rect {
            x: area.x + area.width - w,
            width: w,
            ..area
        };
        frame.render_widget(
            Paragraph::new(Span::styled(right, Style::new().fg(Color::Black).bg(ACCENT))),
            r,
        );
    }
}

fn centered_line(text: &str, style: Style) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), style)).centered()
}

fn draw_home(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let t = k.state.lang.t();
    let v = k.view();
    let (classes, seats) = v.totals(Listing::Classes);
    let (jobs, posts) = v.totals(Listing::Jobs);
    let schools = v.institutions().len();
    let w = area.width.saturating_sub(4).min(66);
    let x = area.x + (area.width - w) / 2;
    let [welcome, _, one, _, two, _, hint, privacy] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(2),
    ])
    .flex(Flex::Center)
    .areas(area);
    frame.render_widget(Paragraph::new(centered_line(t.k_welcome, BOLD.fg(ACCENT))), welcome);
    let cards = [
        (
            one,
            "1",
            t.k_classes,
            fill(t.k_classes_info, &[&classes, &seats, &schools]),
        ),
        (two, "2", t.k_jobs, fill(t.k_jobs_info, &[&jobs, &posts])),
    ];
    for (i, (row, key, title, info)) in cards.into_iter().enumerate() {
        let chosen = k.state.home == i;
        let rect = Rect { x, width: w, ..row };
        let (border, title_style) = if chosen {
            (
                Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
                Style::new().fg(Color::Black).bg(ACCENT).add_modifier(Modifier::BOLD),
            )
        } else {
            (Style::new().fg(Color::Gray), BOLD)
        };
        let b = Block::new()
            .borders(Borders::ALL)
            .border_type(if chosen { BorderType::Thick } else { BorderType::Rounded })
            .border_style(border);
        let inner = b.inner(rect);
        frame.render_widget(b, rect);
        let marker = if chosen { "▶ " } else { "  " };
        let lines = vec![
            Line::from(vec![
                Span::styled(marker, border),
                Span::styled(format!(" {key} "), title_style),
                Span::raw("  "),
                Span::styled(title.to_string(), title_style),
            ]),
            Line::from(Span::styled(format!("       {info}"), DIM)),
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }
    frame.render_widget(
        Paragraph::new(centered_line(t.k_search_hint, Style::new())).wrap(ratatui::widgets::Wrap { trim: true }),
        hint,
    );
    frame.render_widget(
        Paragraph::new(centered_line(t.k_privacy, DIM)).wrap(ratatui::widgets::Wrap { trim: true }),
        privacy,
    );
}

fn region_name(r: RegionId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => r.zh(),
        Lang::En => r.en(),
    }
}

fn trade_name(o: OccupationId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => o.zh(),
        Lang::En => o.en(),
    }
}

fn kind_name(k: ClassKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => k.zh(),
        Lang::En => k.name(),
    }
}

fn status_name(s: ClassStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.zh(),
        Lang::En => s.name(),
    }
}

fn program_name(p: ProgramId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => p.zh(),
        Lang::En => p.en(),
    }
}

fn post_kind_name(k: PostKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => k.zh(),
        Lang::En => k.en(),
    }
}

fn level_name(l: SkillLevel, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => l.en(),
    }
}

fn stars(n: u8) -> String {
    "★".repeat(n as usize)
}

/// `text` with the characters the query matches highlighted.
fn lit(text: &str, query: &Query, base: Style) -> Vec<Span<'static>> {
    let hits = if query.is_empty() {
        Vec::new()
    } else {
        highlight(&Hay::new(text.to_string()), query)
    };
    crate::ui::lit(text, &hits, base).spans
}

/// The two lines of a class in a list.
fn class_lines(c: &PublicClass, t: &Strings, lang: Lang, query: &Query, extra: &[String]) -> [Line<'static>; 2] {
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
fn job_lines(j: &PublicJob, t: &Strings, lang: Lang, query: &Query, trainings: usize) -> [Line<'static>; 2] {
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
fn draw_rows(frame: &mut Frame, area: Rect, rows: Vec<[Line<'static>; 2]>, selected: usize, first: usize) {
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
fn fits(h: u16) -> usize {
    ((h as usize + 1) / 3).max(1)
}

fn draw_list(frame: &mut Frame, k: &Kiosk, area: Rect, laid: &mut Laid) {
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

fn kv(label: &str, value: Vec<Span<'static>>) -> Line<'static> {
    let pad = LABEL_W.saturating_sub(unicode_width(label));
    let mut spans = vec![Span::styled(format!("  {label}{}", " ".repeat(pad)), DIM)];
    spans.extend(value);
    Line::from(spans)
}

fn plain(s: String) -> Vec<Span<'static>> {
    vec![Span::styled(s, BOLD)]
}

fn draw_gone(frame: &mut Frame, t: &Strings, area: Rect) {
    let [_, msg] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(centered_line(t.k_gone, BOLD)), msg);
}

fn draw_class(frame: &mut Frame, k: &Kiosk, c: &PublicClass, scroll: usize, area: Rect, laid: &mut Laid) {
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

fn reasons(tf: &TrainFor, t: &Strings, lang: Lang) -> Vec<String> {
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

fn draw_job(frame: &mut Frame, k: &Kiosk, j: &PublicJob, selected: usize, area: Rect, laid: &mut Laid) {
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

fn draw_chooser(frame: &mut Frame, k: &Kiosk, c: &Chooser, body: Rect, laid: &mut Laid) {
    let t = k.state.lang.t();
    let w = body.width.saturating_sub(4).min(60);
    let h = body.height.saturating_sub(2).min(c.rows.len() as u16 + 4).max(6);
    let area = Rect {
        x: body.x + (body.width - w) / 2,
        y: body.y + 1.min(body.height.saturating_sub(h)),
        width: w,
        height: h.min(body.height),
    };
    frame.render_widget(Clear, area);
    let title = match c.field {
        super::Field::District => t.k_choose_district,
        super::Field::Trade => t.k_choose_trade,
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

fn choice_line(r: &ChoiceRow, chosen: bool, width: u16) -> Line<'static> {
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

fn label_text(l: Label, t: &Strings) -> &'static str {
    match l {
        Label::Move => t.k_key_move,
        Label::Scroll => t.k_key_scroll,
        Label::Open => t.k_key_open,
        Label::Details => t.k_key_details,
        Label::ViewClass => t.k_key_view_class,
        Label::Classes => t.k_key_classes,
        Label::Jobs => t.k_key_jobs,
        Label::District => t.k_key_district,
        Label::Trade => t.k_key_trade,
        Label::Back => t.k_key_back,
        Label::Home => t.k_key_home,
        Label::Choose => t.k_key_choose,
        Label::Cancel => t.k_key_cancel,
        Label::Language => t.k_key_language,
    }
}

/// The keys of the current screen, generated from the kiosk's key map.
pub fn footer_entries(k: &Kiosk) -> Vec<(String, &'static str)> {
    let w: Where = k.state.at();
    let t = k.state.lang.t();
    keys::footer(w)
        .iter()
        .filter_map(|(actions, label)| keys::footer_keys(w, actions).map(|key| (key, label_text(*label, t))))
        .collect()
}

fn draw_footer(frame: &mut Frame, k: &Kiosk, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0u16;
    for (key, label) in footer_entries(k) {
        let key = format!(" {key} ");
        let desc = format!(" {label}   ");
        let w = (unicode_width(&key) + unicode_width(&desc)) as u16;
        if used + w > area.width {
            break;
        }
        used += w;
        spans.push(Span::styled(
            key,
            Style::new()
                .fg(Color::Black)
                .bg(Color::White)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(desc, BOLD));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
