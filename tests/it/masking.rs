//! Personal numbers on the workspace's screens: masked in lists, details,
//! rosters and pickers; one person's shown whole by a reveal, which is
//! recorded first and ends by itself; search by a whole number still works.

use crate::common;

use common::ui::*;
use skillbridge::app::REVEAL_FOR;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::service::Actor;
use skillbridge::service::access::{AccessKind, AuditFilter};

/// Any whole ID number (17 digits and a digit or X) or mobile on screen.
fn whole_numbers(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in screen.lines() {
        let b: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
                let run: String = b[i..].iter().take_while(|c| c.is_ascii_digit() || **c == 'X').collect();
                if run.len() == 18 || (run.len() == 11 && run.starts_with('1')) {
                    found.push(run.clone());
                }
                i += run.len().max(1);
            } else {
                i += 1;
            }
        }
    }
    found
}

#[test]
fn every_screen_that_shows_a_person_masks_their_numbers() {
    let svc = small_service();
    for lang in [Lang::Zh, Lang::En] {
        for keys in [
            "alt-3",       // the trainees' list and the pane
            "alt-3 enter", // a trainee's detail
            "alt-4 enter", // a case's detail
            "alt-2 enter", // a class with its roster
        ] {
            let mut a = app(svc.clone(), lang);
            press(&mut a, keys);
            for (w, h) in [(80, 24), (120, 40), (200, 60)] {
                let screen = render(&a, w, h);
                assert!(
                    screen.contains("**"),
                    "{keys} at {w}x{h} shows no masked number:\n{screen}"
                );
                assert_eq!(
                    whole_numbers(&screen),
                    Vec::<String>::new(),
                    "{keys} at {w}x{h}:\n{screen}"
                );
            }
        }
    }
}

#[test]
fn a_search_by_a_whole_number_finds_the_person_and_shows_it_masked() {
    let svc = small_service();
    let p = svc.read().data.trainees.values().next().cloned().unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-3");
    type_text(&mut a, p.id_number.as_str());
    assert_eq!(a.state.list().selected_id(), Some(p.id.0));
    let screen = render(&a, 120, 40);
    assert!(screen.contains(&p.id_number.masked()), "{screen}");
    // The search line is what the operator typed; the list and pane mask it.
    let below_search: String = screen.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(whole_numbers(&below_search), Vec::<String>::new(), "{screen}");
}

#[test]
fn a_reveal_shows_one_persons_numbers_is_recorded_and_ends_by_itself() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-3");
    let id = a.state.list().selected_id().unwrap();
    let p = svc.read().data.trainees.get(&TraineeId(id)).cloned().unwrap();
    let before = svc
        .access_records(&Actor::admin("audit"), &AuditFilter::default())
        .unwrap()
        .len();
    press(&mut a, "ctrl-r");
    let screen = render(&a, 120, 40);
    assert!(screen.contains(p.id_number.as_str()), "{screen}");
    assert!(
        screen.contains("留痕"),
        "the status says the view is recorded:\n{screen}"
    );
    // Only that person's numbers are whole.
    let whole = whole_numbers(&screen);
    assert!(
        whole
            .iter()
            .all(|n| n == p.id_number.as_str() || Some(n.as_str()) == p.mobile.as_ref().map(|m| m.as_str())),
        "{whole:?}"
    );
    let records = svc
        .access_records(&Actor::admin("audit"), &AuditFilter::default())
        .unwrap();
    assert_eq!(records.len(), before + 1);
    let last = records.last().unwrap();
    assert!(
        matches!(last.what, AccessKind::Reveal) && last.operator == "demo",
        "{last:?}"
    );
    // Its time runs out: masked again.
    a.expire(std::time::Instant::now() + REVEAL_FOR);
    let screen = render(&a, 120, 40);
    assert!(!screen.contains(p.id_number.as_str()), "{screen}");
    assert!(screen.contains(&p.id_number.masked()), "{screen}");
}

#[test]
fn a_reveal_from_a_case_shows_its_trainee_and_nobody_else_is_refused() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4 enter");
    let case = a.state.list().selected_id().unwrap();
    let p = {
        let r = svc.read();
        let t = r.data.cases.get(&CaseId(case)).unwrap().trainee;
        r.data.trainees.get(&t).cloned().unwrap()
    };
    press(&mut a, "ctrl-r");
    assert!(render(&a, 120, 40).contains(p.id_number.as_str()));
    // A demand has no person: said so, nothing recorded.
    let mut b = app(svc.clone(), Lang::Zh);
    press(&mut b, "alt-1 ctrl-r");
    assert!(render(&b, 120, 40).contains("请先选中一名学员"));
}

#[test]
fn an_operator_past_the_days_limit_is_refused_a_reveal() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    a.state.actor = Actor::operator("wang");
    press(&mut a, "alt-3");
    let mut refused = None;
    for _ in 0..60 {
        press(&mut a, "ctrl-r down");
        if a.state.status.as_ref().is_some_and(|s| s.error) {
            refused = a.state.status.clone();
            break;
        }
    }
    let refused = refused.expect("an operator's reveals are limited");
    assert!(a.state.revealed.is_some(), "the last allowed reveal still shows");
    assert!(!refused.text.is_empty());
}
