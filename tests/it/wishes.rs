//! People's training wishes (#25): taken at the kiosk and the desk, the
//! callback queue and its outcomes through the real keymap, the intake
//! prefilled from a wish, unmet demand in the figures and the report, and
//! the snapshots of the kiosk form, its receipt, the queue and the unmet
//! demand view in both languages.

use crate::common::ui::{app, own_service, press, render, type_text};
use insta::assert_snapshot;
use skillbridge::app::state::Overlay;
use skillbridge::domain::wish::{Draft, Outcome, Stage, WishError};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::keymap::Key;
use skillbridge::kiosk::searcher::SyncSearcher;
use skillbridge::kiosk::{Kiosk, Page, Settings};
use skillbridge::service::public::PublicView;
use skillbridge::service::wish::WishInbox;
use skillbridge::service::{Actor, Service};
use skillbridge::store::StoreError;
use std::sync::Arc;
use std::time::Instant;

fn kiosk(svc: &Arc<Service>, name: &str, lang: Lang) -> Kiosk {
    let view = PublicView::new(svc.clone());
    let mut k = Kiosk::new(
        view.clone(),
        Settings {
            lang,
            ..Settings::default()
        },
        Box::new(SyncSearcher::new(view)),
    )
    .with_inbox(WishInbox::new(svc.clone(), name));
    k.tick(Instant::now());
    k
}

fn kpress(k: &mut Kiosk, keys: &str) {
    let now = Instant::now();
    for name in keys.split_whitespace() {
        let key: Key = name.parse().unwrap_or_else(|e| panic!("bad key '{name}': {e}"));
        k.key(key, now);
        k.tick(now);
    }
}

fn ktype(k: &mut Kiosk, text: &str) {
    let now = Instant::now();
    for c in text.chars() {
        k.key(Key::ch(c), now);
        k.tick(now);
    }
}

/// The screen's text as drawn: a wide character once.
fn drawn(k: &Kiosk, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::kiosk::ui::draw(f, k);
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += skillbridge::ui::unicode_width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

fn kscreen(k: &Kiosk, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        skillbridge::kiosk::ui::draw(f, k);
    })
    .unwrap();
    t.backend().to_string()
}

/// From the first open class: the wish form, filled and sent.
pub(crate) fn wish_at_kiosk(k: &mut Kiosk, name: &str, mobile: &str) {
    kpress(k, "1 enter w");
    assert!(
        matches!(k.state.pages.last(), Some(Page::Wish(_))),
        "{:?}",
        k.state.at()
    );
    ktype(k, name);
    kpress(k, "down");
    ktype(k, mobile);
    kpress(k, "down down down down space enter");
}

fn admin() -> Actor {
    Actor::admin("demo")
}

fn draft(mobile: &str, trade: u16, region: u8) -> Draft {
    Draft {
        name: "柏青".into(),
        mobile: mobile.into(),
        region: Some(RegionId(region)),
        trade: Some(OccupationId(trade)),
        consent: true,
        ..Draft::default()
    }
}

#[test]
fn the_demo_city_has_wishes_handled_and_waiting_and_a_gap_no_class_answers() {
    let (_dir, svc) = own_service(300);
    let data = svc.read();
    let w = &data.data.wishes;
    assert!(w.len() >= 30, "{} wishes", w.len());
    assert!(w.values().any(|h| h.state.stage == Stage::Waiting));
    assert!(w.values().any(|h| matches!(h.state.stage, Stage::Linked(_))));
    assert!(w.values().any(|h| !h.state.open()));
    drop(data);
    let queue = svc.wish_queue(&admin());
    assert!(queue.iter().any(|r| r.overdue), "some wait past the setting");
    assert!(queue.iter().any(|r| !r.overdue));
    let gaps = svc.wish_demand();
    assert!(
        gaps.iter()
            .any(|g| g.unmet > 0 && g.seats_open == 0 && g.trade == OccupationId(13) && g.region == RegionId(5)),
        "{gaps:?}"
    );
    // `check` is clean with them.
    assert!(svc.check_wishes().unwrap().is_empty());
}

#[test]
fn desk_wishes_outcomes_are_audited_and_the_report_counts_them() {
    let (_dir, svc) = own_service(300);
    let by = admin();
    let before = skillbridge::figures::wishes::training_wishes(&svc.read().data);
    let wish = svc.register_wish(&draft("13700000001", 13, 5), &by).unwrap();
    // The same mobile for the same trade is not queued twice.
    let e = svc.register_wish(&draft("137 0000 0001", 13, 5), &by).unwrap_err();
    assert!(
        matches!(e, StoreError::Wish(WishError::AlreadyWaiting { existing }) if existing == wish.id),
        "{e}"
    );
    let after = skillbridge::figures::wishes::training_wishes(&svc.read().data);
    let count = |rows: &[skillbridge::figures::wishes::WishRow]| {
        rows.iter()
            .find(|r| r.trade_id == 13 && r.district_id == 5)
            .map(|r| r.wishing)
            .unwrap_or(0)
    };
    assert_eq!(count(&after), count(&before) + 1);
    svc.wish_outcome(wish.id, Outcome::NotReached, &by, "").unwrap();
    svc.wish_outcome(wish.id, Outcome::NotInterested, &by, "").unwrap();
    let events = svc.wish_events(wish.id).unwrap();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.operator == "demo" && e.at > 0));
    let e = svc.wish_outcome(wish.id, Outcome::NotReached, &by, "").unwrap_err();
    assert!(matches!(e, StoreError::Wish(WishError::Closed { .. })), "{e}");
    // A kiosk role may not take a desk wish, nor an operator outside the district.
    let kiosk_actor = Actor::new("lobby-9", skillbridge::domain::access::Role::Kiosk);
    assert!(svc.register_wish(&draft("13700000002", 13, 5), &kiosk_actor).is_err());
    // Rate: a kiosk's inbox stops at the setting per minute (5 by default).
    let inbox = WishInbox::new(svc.clone(), "lobby-9");
    for i in 0..5 {
        inbox.append(&draft(&format!("1370000001{i}"), 3, 1)).unwrap();
    }
    let e = inbox.append(&draft("13700000019", 3, 1)).unwrap_err();
    assert_eq!(e, skillbridge::service::wish::Refusal::Busy);
    assert!(svc.check_wishes().unwrap().is_empty());
}

#[test]
fn a_kiosk_wish_reaches_the_queue_without_a_key_and_becomes_an_enrolled_trainee() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f7");
    let before = match a.state.overlays.last() {
        Some(Overlay::Wishes(q)) => q.rows.len(),
        other => panic!("no queue: {other:?}"),
    };
    let mut k = kiosk(&svc, "lobby-1", Lang::Zh);
    wish_at_kiosk(&mut k, "柏青禾", "13600000011");
    let receipt = match k.state.pages.last() {
        Some(Page::Receipt(n)) => *n,
        other => panic!("no receipt: {other:?}"),
    };
    let screen = kscreen(&k, 80, 24);
    assert!(screen.contains(&receipt.to_string()), "{screen}");
    let text = drawn(&k, 80, 24);
    assert!(!text.contains("柏青禾") && !text.contains("13600000011"), "{text}");
    // Any key: a fresh home screen, the form gone.
    kpress(&mut k, "x");
    assert!(k.state.pages.is_empty());
    // The operator's queue follows without a key.
    a.tick();
    let (rows, row) = match a.state.overlays.last() {
        Some(Overlay::Wishes(q)) => (q.rows.len(), q.rows.iter().position(|r| r.wish.id == receipt)),
        other => panic!("no queue: {other:?}"),
    };
    assert_eq!(rows, before + 1);
    let row = row.expect("the kiosk's wish is queued");
    if let Some(Overlay::Wishes(q)) = a.state.overlays.last_mut() {
        q.selected = row;
    }
    // Registered as a trainee: the intake opens prefilled.
    press(&mut a, "r");
    let form = match a.state.overlays.last() {
        Some(Overlay::Intake(f)) => f.clone(),
        other => panic!("no intake: {other:?}"),
    };
    let text = |f| form.get(f).map(|x| x.input.value().to_string()).unwrap_or_default();
    assert_eq!(text(skillbridge::app::intake::F::Name), "柏青禾");
    assert_eq!(text(skillbridge::app::intake::F::Mobile), "13600000011");
    press(&mut a, "down");
    type_text(&mut a, "320106199001011238");
    press(&mut a, "ctrl-s");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Wishes(_))),
        "{:?}",
        a.state.status
    );
    let held = svc.wish(receipt).unwrap();
    let trainee = held.state.trainee().expect("linked to the new trainee");
    assert_eq!(svc.read().data.trainees[&trainee].name.as_str(), "柏青禾");
    // Enrolled from the queue: a class of the trade.
    press(&mut a, "e");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Picker(_))),
        "{:?}",
        a.state.status
    );
    press(&mut a, "enter");
    let held = svc.wish(receipt).unwrap();
    assert!(!held.state.open(), "{:?} {:?}", held.state, a.state.status);
    assert!(svc.read().data.trainee_cases(trainee).count() == 1);
}

#[test]
fn kiosk_wish_form_and_receipt_snapshots() {
    let (_dir, svc) = own_service(200);
    for lang in [Lang::Zh, Lang::En] {
        let mut k = kiosk(&svc, "lobby-1", lang);
        kpress(&mut k, "1 enter w");
        let l = format!("{lang:?}").to_lowercase();
        assert_snapshot!(format!("kiosk_wish_form_{l}"), kscreen(&k, 80, 24));
        // A refusal says what to fix, echoing nothing.
        ktype(&mut k, "柏青");
        kpress(&mut k, "down");
        ktype(&mut k, "12345");
        kpress(&mut k, "enter");
        assert_snapshot!(format!("kiosk_wish_refused_{l}"), kscreen(&k, 80, 24));
        kpress(&mut k, "ctrl-u");
        ktype(&mut k, &format!("1360000002{}", if lang == Lang::Zh { 1 } else { 2 }));
        kpress(&mut k, "down down down down space enter");
        assert!(matches!(k.state.pages.last(), Some(Page::Receipt(_))));
        assert_snapshot!(format!("kiosk_wish_receipt_{l}"), kscreen(&k, 80, 24));
    }
}

#[test]
fn callback_queue_and_unmet_demand_snapshots() {
    let (_dir, svc) = own_service(300);
    for lang in [Lang::Zh, Lang::En] {
        let l = format!("{lang:?}").to_lowercase();
        let mut a = app(svc.clone(), lang);
        press(&mut a, "f7");
        assert_snapshot!(format!("wish_queue_{l}"), render(&a, 120, 40));
        press(&mut a, "a");
        assert_snapshot!(format!("wish_desk_form_{l}"), render(&a, 120, 40));
        press(&mut a, "esc esc f3 2");
        assert_snapshot!(format!("wish_unmet_demand_{l}"), render(&a, 120, 40));
    }
}

#[test]
fn the_desk_takes_a_wish_through_its_form() {
    let (_dir, svc) = own_service(200);
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "f7 a");
    type_text(&mut a, "柏青松");
    press(&mut a, "tab");
    type_text(&mut a, "13600000031");
    press(&mut a, "tab right tab right right tab tab");
    type_text(&mut a, " ");
    press(&mut a, "ctrl-s");
    assert!(
        matches!(a.state.overlays.last(), Some(Overlay::Wishes(_))),
        "{:?}",
        a.state.status
    );
    let found = svc.wish_queue(&admin()).into_iter().find(|r| r.wish.name == "柏青松");
    let row = found.expect("queued");
    assert_eq!(row.wish.source, skillbridge::domain::wish::Source::Desk("demo".into()));
}

#[test]
fn report_json_has_training_wishes() {
    let (dir, svc) = own_service(200);
    let fig = skillbridge::figures::compute(&svc.read().data, Default::default(), svc.today());
    let json = serde_json::to_value(&fig).unwrap();
    let rows = json["training_wishes"].as_array().expect("training_wishes");
    assert!(!rows.is_empty());
    assert!(rows.iter().any(|r| r["unmet"].as_u64().unwrap_or(0) > 0));
    drop(dir);
}
