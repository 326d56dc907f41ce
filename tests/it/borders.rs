//! Dialogs drawn over Chinese text keep whole borders at any offset: no
//! double-width character under a dialog spans its left border, none is
//! left half-cut at its right border.

use crate::common;

use common::ui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use skillbridge::app::App;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

fn frame(a: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::ui::draw(f, a);
    })
    .unwrap();
    t.backend().buffer().clone()
}

/// The border problems of the box at `r` in `buf`, if any.
fn torn(buf: &Buffer, r: ratatui::layout::Rect) -> Vec<String> {
    let width = |s: &str| skillbridge::ui::unicode_width(s);
    let mut problems = Vec::new();
    for y in r.top()..r.bottom() {
        let left = buf[(r.x, y)].symbol();
        if !"│┌└".contains(left) {
            problems.push(format!("row {y}: left border is {left:?}"));
        }
        if r.x > 0 && width(buf[(r.x - 1, y)].symbol()) > 1 {
            problems.push(format!("row {y}: a wide character spans the left border"));
        }
        let right = buf[(r.right() - 1, y)].symbol();
        if !"│┐┘".contains(right) {
            problems.push(format!("row {y}: right border is {right:?}"));
        }
        if width(buf[(r.right() - 2, y)].symbol()) > 1 {
            problems.push(format!("row {y}: a wide character spans the right border"));
        }
        if r.right() < buf.area.right() && buf[(r.right(), y)].symbol().is_empty() {
            problems.push(format!("row {y}: half a wide character right of the border"));
        }
    }
    problems
}

/// Every dialog of a walk, over screens of Chinese, at widths that put the
/// centred boxes at odd and even columns.
#[test]
fn every_dialog_keeps_its_borders_over_chinese_text() {
    let (_dir, svc) = own_service(200);
    let case = svc
        .read()
        .data
        .cases
        .values()
        .find(|c| c.state == CaseState::AwaitingEvaluation)
        .map(|c| c.id)
        .unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    let mut checked = 0;
    let mut check = |a: &App, what: &str| {
        // Steps of 3: odd and even widths, so centred boxes land on both.
        for w in (61..=101u16).step_by(3) {
            for h in [24u16, 31] {
                let buf = frame(a, w, h);
                let body = skillbridge::app::view::Areas::of(buf.area).body;
                for o in &a.state.overlays {
                    let r = skillbridge::ui::area_of(o, body);
                    let problems = torn(&buf, r);
                    if !problems.is_empty() {
                        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                        t.draw(|f| {
                            skillbridge::ui::draw(f, a);
                        })
                        .unwrap();
                        panic!("{what} at {w}x{h}: {problems:?} in {r:?}\n{}", t.backend());
                    }
                    checked += 1;
                }
            }
        }
    };
    // A case's detail (full of Chinese), its pass form over it, the question over both.
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{case}"));
    press(&mut a, "enter");
    check(&a, "detail");
    press(&mut a, "c");
    check(&a, "form over the detail");
    press(&mut a, "tab");
    type_text(&mut a, "证书编号一二三");
    press(&mut a, "tab");
    type_text(&mut a, "80");
    press(&mut a, "tab");
    type_text(&mut a, "85");
    press(&mut a, "enter");
    check(&a, "question over the form");
    press(&mut a, "n esc esc esc");
    // Pairing, the picker and its question over the demands.
    press(&mut a, "alt-1");
    type_text(&mut a, "焊工");
    press(&mut a, "ctrl-p");
    check(&a, "pairing");
    press(&mut a, "enter");
    check(&a, "picker");
    press(&mut a, "esc esc esc");
    // A record form, help, the dashboard.
    press(&mut a, "alt-3 ctrl-n");
    type_text(&mut a, "测试");
    press(&mut a, "esc");
    check(&a, "discard question over a record form");
    press(&mut a, "y f1");
    check(&a, "help");
    press(&mut a, "esc f3");
    check(&a, "dashboard");
    assert!(checked > 300, "{checked} boxes checked");
}
