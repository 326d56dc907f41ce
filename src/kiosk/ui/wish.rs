//! The wish form and its receipt (#25). The form shows what this visitor is
//! typing now; the receipt shows the number only. No wish is read back.

use super::*;
use crate::kiosk::wish::{WishField, WishForm};
use crate::service::wish::{DEFAULT_KEY_GROUPS, Number as WishId, Refusal};

fn refusal_text(r: Refusal, lang: Lang) -> &'static str {
    let w = lang.wish();
    match r {
        Refusal::Name => w.k_bad_name,
        Refusal::Mobile => w.k_bad_mobile,
        Refusal::Consent => w.k_bad_consent,
        Refusal::District | Refusal::Trade => w.k_bad_choice,
        Refusal::Busy => w.k_busy,
        Refusal::Already => w.k_already,
        Refusal::Failed => w.k_failed,
    }
}

pub(super) fn draw_wish_form(frame: &mut Frame, k: &Kiosk, f: &WishForm, area: Rect) {
    let lang = k.state.lang;
    let w = lang.wish();
    let t = lang.t();
    let width = area.width.saturating_sub(2).min(76);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(ACCENT))
        .title(Span::styled(w.k_form_title, BOLD.fg(ACCENT)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let choice = |s: Option<&str>| match s {
        Some(s) => format!("◀ {s} ▶"),
        None => format!("◀ {} ▶", t.k_all.chars().map(|_| '·').collect::<String>()),
    };
    let group = match f.group.and_then(|i| DEFAULT_KEY_GROUPS.get(i)) {
        Some((zh, en)) => match lang {
            Lang::Zh => (*zh).to_string(),
            Lang::En => (*en).to_string(),
        },
        None => w.k_group_none.to_string(),
    };
    let rows: [(WishField, &str, String); 6] = [
        (WishField::Name, w.k_name, f.name.value().to_string()),
        (WishField::Mobile, w.k_mobile, f.mobile.value().to_string()),
        (
            WishField::District,
            w.k_district,
            choice(f.region.map(|r| region_name(r, lang))),
        ),
        (
            WishField::Trade,
            w.k_trade,
            choice(f.trade.map(|o| trade_name(o, lang))),
        ),
        (WishField::Group, w.k_group, format!("◀ {group} ▶")),
        (
            WishField::Consent,
            "",
            if f.consent { w.k_agree } else { w.k_not_agreed }.to_string(),
        ),
    ];
    let mut lines = vec![Line::from("")];
    let label_w = rows.iter().map(|(_, l, _)| unicode_width(l)).max().unwrap_or(0) + 2;
    for (field, label, value) in rows {
        let focused = f.focus == field;
        if field == WishField::Consent {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(format!("  {}", w.k_consent), DIM)));
        }
        let marker = if focused { "▶ " } else { "  " };
        let pad = label_w.saturating_sub(unicode_width(label));
        let style = if focused { SELECTED } else { BOLD };
        let mut spans = vec![
            Span::styled(marker, BOLD.fg(ACCENT)),
            Span::styled(format!("{label}{}", " ".repeat(pad)), DIM),
            Span::styled(value, style),
        ];
        if focused && matches!(field, WishField::Name | WishField::Mobile) {
            spans.push(Span::styled("▏", BOLD.fg(ACCENT)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    if let Some(r) = f.refusal {
        lines.push(Line::from(Span::styled(
            format!("  {}", refusal_text(r, lang)),
            BOLD.fg(Color::Red),
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

pub(super) fn draw_receipt(frame: &mut Frame, k: &Kiosk, number: WishId, area: Rect) {
    let w = k.state.lang.wish();
    let width = area.width.saturating_sub(4).min(60);
    let [_, rect, _] = Layout::vertical([Constraint::Min(0), Constraint::Length(8), Constraint::Min(0)]).areas(area);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..rect
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(Style::new().fg(Color::Green))
        .title(Span::styled(w.k_receipt_title, BOLD.fg(Color::Green)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let lines = vec![
        Line::from(""),
        centered_line(&fill(w.k_receipt, &[&number]), BOLD.fg(ACCENT)),
        Line::from(""),
        centered_line(w.k_receipt_more, Style::new()),
        Line::from(""),
        centered_line(w.k_receipt_keys, DIM),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }), inner);
}
