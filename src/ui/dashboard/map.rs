//! The district map: a projection of the districts' positions, labels
//! placed where they overlap nothing, and the selected district's panel.

use super::*;

/// Longitude/latitude to the cells of an area, and back to canvas points.
struct Projection {
    left: f64,
    right: f64,
    bottom: f64,
    top: f64,
    w: u16,
    h: u16,
}

impl Projection {
    /// Fit the districts into the area at their true proportions: a degree
    /// of longitude is cos(latitude) of a degree of latitude, and a cell is
    /// about twice as tall as it is wide.
    fn new(area: Rect) -> Projection {
        let (mut left, mut right) = (f64::MAX, f64::MIN);
        let (mut bottom, mut top) = (f64::MAX, f64::MIN);
        for r in REGIONS.iter() {
            left = left.min(r.lon);
            right = right.max(r.lon);
            bottom = bottom.min(r.lat);
            top = top.max(r.lat);
        }
        // A margin on every side keeps markers off the edges.
        let (mx, my) = ((right - left) * 0.1, (top - bottom) * 0.12);
        let (mut left, mut right, mut bottom, mut top) = (left - mx, right + mx, bottom - my, top + my);
        let k = ((top + bottom) / 2.0).to_radians().cos();
        let cols = f64::from(area.width.saturating_sub(1).max(1));
        let rows = f64::from(area.height.saturating_sub(1).max(1)) * 2.0;
        let (wide, high) = ((right - left) * k, top - bottom);
        if wide / high < cols / rows {
            let grow = (high * cols / rows / k - (right - left)) / 2.0;
            left -= grow;
            right += grow;
        } else {
            let grow = (wide * rows / cols - high) / 2.0;
            bottom -= grow;
            top += grow;
        }
        Projection {
            left,
            right,
            bottom,
            top,
            w: area.width,
            h: area.height,
        }
    }
    fn cell(&self, lon: f64, lat: f64) -> (u16, u16) {
        let x = (lon - self.left) * f64::from(self.w.saturating_sub(1)) / (self.right - self.left);
        let y = (self.top - lat) * f64::from(self.h.saturating_sub(1)) / (self.top - self.bottom);
        (x.max(0.0) as u16, y.max(0.0) as u16)
    }
    /// A canvas point that lands in cell (x, y).
    fn point(&self, x: u16, y: u16) -> (f64, f64) {
        let sx = (self.right - self.left) / f64::from(self.w.saturating_sub(1).max(1));
        let sy = (self.top - self.bottom) / f64::from(self.h.saturating_sub(1).max(1));
        (
            self.left + (f64::from(x) + 0.25) * sx,
            self.top - (f64::from(y) + 0.25) * sy,
        )
    }
}

/// Where a district's label goes.
struct Placed {
    region: usize,
    x: u16,
    y: u16,
    text: String,
    /// Not beside the marker: joined to it by a line.
    leader: bool,
}

/// Put each label where it overlaps no other label or marker: beside the
/// marker if there is room, else above or below it, else its name only,
/// else nothing (the marker stays).
fn place_labels(p: &Projection, labels: &[(String, String)], order: &[usize]) -> Vec<Placed> {
    let (w, h) = (p.w as i32, p.h as i32);
    let mut used = vec![false; (w * h).max(0) as usize];
    let at = |x: i32, y: i32| (y * w + x) as usize;
    let markers: Vec<(i32, i32)> = REGIONS
        .iter()
        .map(|r| {
            let (x, y) = p.cell(r.lon, r.lat);
            (i32::from(x), i32::from(y))
        })
        .collect();
    for (x, y) in &markers {
        if *x < w && *y < h {
            used[at(*x, *y)] = true;
        }
    }
    let mut out = Vec::new();
    for &i in order {
        let (mx, my) = markers[i];
        'texts: for text in [&labels[i].0, &labels[i].1] {
            let lw = unicode_width(text) as i32;
            let candidates = [
                (mx + 2, my, false),
                (mx - 1 - lw, my, false),
                (mx + 2, my - 1, true),
                (mx + 2, my + 1, true),
                (mx - 1 - lw, my - 1, true),
                (mx - 1 - lw, my + 1, true),
                (mx - lw / 2, my - 1, true),
                (mx - lw / 2, my + 1, true),
                (mx + 2, my - 2, true),
                (mx + 2, my + 2, true),
                (mx - 1 - lw, my - 2, true),
                (mx - 1 - lw, my + 2, true),
            ];
            for (x, y, leader) in candidates {
                if x < 0 || y < 0 || x + lw > w || y >= h {
                    continue;
                }
                // One free cell on either side keeps labels apart.
                let free = (x - 1..x + lw + 1).all(|cx| cx < 0 || cx >= w || !used[at(cx, y)]);
                if !free {
                    continue;
                }
                for cx in x..x + lw {
                    used[at(cx, y)] = true;
                }
                out.push(Placed {
                    region: i,
                    x: x as u16,
                    y: y as u16,
                    text: text.clone(),
                    leader,
                });
                break 'texts;
            }
        }
    }
    out
}

pub(super) fn draw_map(frame: &mut Frame, ds: &DashStrings, lang: Lang, d: &DashboardState, area: Rect) {
    let f = &d.figures;
    let selected = d.region();
    let (map, panel) = if area.width >= 70 {
        let [m, p] = Layout::horizontal([Constraint::Min(40), Constraint::Length(28)]).areas(area);
        (m, Some(p))
    } else {
        (area, None)
    };
    let (map, legend) = if panel.is_none() && map.height > 4 {
        let [m, l] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(map);
        (m, Some(l))
    } else {
        (map, None)
    };
    if map.width < 8 || map.height < 3 {
        return;
    }
    let p = Projection::new(map);
    let labels: Vec<(String, String)> = REGIONS
        .iter()
        .zip(&f.districts)
        .map(|(r, row)| {
            let short = match lang {
                Lang::Zh => r.short_zh,
                Lang::En => en_short(r),
            };
            let x = &row.figures;
            (
                format!(
                    "{short} {}/{}/{}/{}/{}",
                    x.posts_open, x.seats_open, x.in_training, x.certified, x.employed
                ),
                short.to_string(),
            )
        })
        .collect();
    let mut order: Vec<usize> = vec![selected.0 as usize];
    order.extend((0..REGIONS.len()).filter(|i| *i != selected.0 as usize));
    let placed = place_labels(&p, &labels, &order);
    let cells: Vec<(u16, u16)> = REGIONS.iter().map(|r| p.cell(r.lon, r.lat)).collect();
    let canvas = Canvas::default()
        .x_bounds([p.left, p.right])
        .y_bounds([p.bottom, p.top])
        .paint(|ctx| {
            for l in placed.iter().filter(|l| l.leader) {
                let (mx, my) = cells[l.region];
                let end_x = if l.x > mx {
                    l.x
                } else {
                    l.x + unicode_width(&l.text) as u16 - 1
                };
                let (x1, y1) = p.point(mx, my);
                let (x2, y2) = p.point(end_x, l.y);
                ctx.draw(&CanvasLine::new(x1, y1, x2, y2, Color::DarkGray));
            }
            ctx.layer();
            for (i, (x, y)) in cells.iter().enumerate() {
                let (px, py) = p.point(*x, *y);
                let style = if i == selected.0 as usize {
                    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().fg(ACCENT)
                };
                ctx.print(
                    px,
                    py,
                    Span::styled(if i == selected.0 as usize { "◉" } else { "●" }, style),
                );
            }
        });
    frame.render_widget(canvas, map);
    // Labels go on top, cell-exact (double-width names stay whole).
    let buf = frame.buffer_mut();
    for l in &placed {
        let style = if l.region == selected.0 as usize {
            SELECTED
        } else {
            Style::new().fg(Color::White)
        };
        let x = map.x + l.x;
        let room = map.right().saturating_sub(x);
        buf.set_line(x, map.y + l.y, &Line::styled(l.text.clone(), style), room);
    }
    if let Some(l) = legend {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{} · {}", ds.map_legend, ds.map_hint), DIM)),
            l,
        );
    }
    if let Some(panel) = panel {
        draw_district_panel(frame, ds, lang, f, selected, panel);
    }
}

pub(super) fn draw_district_panel(
    frame: &mut Frame,
    ds: &DashStrings,
    lang: Lang,
    f: &Figures,
    r: RegionId,
    area: Rect,
) {
    let Some(row) = f.districts.get(r.0 as usize) else {
        return;
    };
    let x = &row.figures;
    let title = match lang {
        Lang::Zh => r.zh().to_string(),
        Lang::En => r.en().to_string(),
    };
    let label_w = ds.cols_districts[1..]
        .iter()
        .map(|c| unicode_width(c))
        .max()
        .unwrap_or(8);
    let kv = |label: &str, value: String, style: Style| {
        let pad = label_w.saturating_sub(unicode_width(label));
        Line::from(vec![
            Span::styled(format!("{label}{} ", " ".repeat(pad)), DIM),
            Span::styled(value, style),
        ])
    };
    let c = &ds.cols_districts;
    let lines = vec![
        Line::from(Span::styled(
            title,
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )),
        kv(c[1], num::int(x.posts_open), Style::new()),
        kv(c[2], num::int(x.seats_open), Style::new()),
        kv(c[3], num::int(x.in_training), Style::new()),
        kv(c[4], num::int(x.certified), Style::new()),
        kv(c[5], num::int(x.employed), Style::new()),
        kv(c[6], num::signed(row.gap), mark_style(row.mark)),
        Line::from(""),
        Line::from(Span::styled(ds.map_legend_panel, DIM)),
        Line::from(Span::styled(ds.map_hint, DIM)),
    ];
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(1),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_keeps_east_east_and_north_north() {
        let p = Projection::new(Rect::new(0, 0, 60, 20));
        let cell = |zh: &str| {
            let r = REGIONS.iter().find(|r| r.short_zh == zh).unwrap();
            p.cell(r.lon, r.lat)
        };
        // 扬中 is the easternmost, 句容 the westernmost and southernmost.
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).0 <= cell("扬中").0));
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).0 >= cell("句容").0));
        assert!(REGIONS.iter().all(|r| p.cell(r.lon, r.lat).1 <= cell("句容").1));
        assert!(cell("京口").1 < cell("丹徒").1 && cell("丹徒").1 < cell("丹阳").1);
        for r in REGIONS.iter() {
            let (x, y) = p.cell(r.lon, r.lat);
            assert!(x > 0 && x < 59 && y > 0 && y < 19, "{} at {x},{y}", r.zh);
            // A point printed at a cell lands in that cell.
            let (px, py) = p.point(x, y);
            assert_eq!(p.cell(px, py), (x, y), "{}", r.zh);
        }
    }

    #[test]
    fn labels_never_overlap_and_the_selected_one_is_placed() {
        let p = Projection::new(Rect::new(0, 0, 50, 17));
        let labels: Vec<(String, String)> = REGIONS
            .iter()
            .map(|r| (format!("{} 1234/567/89/10/11", r.short_zh), r.short_zh.to_string()))
            .collect();
        for first in 0..REGIONS.len() {
            let mut order = vec![first];
            order.extend((0..REGIONS.len()).filter(|i| *i != first));
            let placed = place_labels(&p, &labels, &order);
            assert_eq!(placed.first().map(|l| l.region), Some(first));
            for (i, a) in placed.iter().enumerate() {
                for b in &placed[i + 1..] {
                    let (aw, bw) = (unicode_width(&a.text) as u16, unicode_width(&b.text) as u16);
                    let apart = a.y != b.y || a.x + aw < b.x || b.x + bw < a.x;
                    assert!(apart, "{} and {} overlap", a.text, b.text);
                }
            }
        }
    }
}

/// A district's short English name for the map: its English name without
/// the city's name before it or "District", "County", "Zone" after it
/// (Zhenjiang's: Jingkou … New Area, Hi-tech, as `EN_SHORT` lists them).
fn en_short(r: &crate::domain::catalog::Region) -> &'static str {
    let city = crate::domain::catalog::current().city.en;
    let mut s: &'static str = r.en.strip_prefix(city).map(str::trim_start).unwrap_or(r.en);
    for suffix in [" District", " County", " Zone"] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x;
            break;
        }
    }
    if s.is_empty() { r.en } else { s }
}

#[cfg(test)]
mod en_short_tests {
    #[test]
    fn the_derived_short_names_are_zhenjiangs_map_labels() {
        let derived: Vec<&str> = crate::domain::catalog::Catalog::zhenjiang()
            .regions
            .iter()
            .map(super::en_short)
            .collect();
        assert_eq!(derived, super::super::EN_SHORT);
    }
}
