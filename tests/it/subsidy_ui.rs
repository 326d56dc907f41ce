//! The subsidy screens (#21) on a hand-made city, driven through the real
//! keymap: the claims list, a claim with its lines and the review keys
//! (the four-eyes refusal, a return with its reason, the payment), the
//! ledger; in Chinese and in English.

use crate::common::ui::{app, press, render, type_text};
use skillbridge::domain::access::Role;
use skillbridge::domain::subsidy::{ClaimState, Step};
use skillbridge::i18n::Lang;
use skillbridge::service::Actor;

fn screens(lang: Lang, tag: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (svc, t) = crate::subsidy::open(dir.path());
    let filer = Actor::operator("机构.李");
    let early = svc.build_claim(t.earlier, &filer).unwrap();
    svc.claim_step(early.id, Step::File, &filer).unwrap();
    let c = svc.build_claim(t.class, &filer).unwrap();
    svc.claim_step(c.id, Step::File, &filer).unwrap();

    // The session acts as "demo" (an admin): it does 初审 itself.
    let mut a = app(svc.clone(), lang);
    press(&mut a, "f8");
    insta::assert_snapshot!(format!("subsidy_list_{tag}"), render(&a, 120, 30));
    press(&mut a, "enter");
    insta::assert_snapshot!(format!("subsidy_claim_{tag}"), render(&a, 120, 30));
    press(&mut a, "1 y");
    assert_eq!(svc.claim(c.id).unwrap().state, ClaimState::FirstPassed);
    // Four eyes: the one who did 初审 may not do 复核.
    press(&mut a, "2 y");
    assert_eq!(svc.claim(c.id).unwrap().state, ClaimState::FirstPassed);
    insta::assert_snapshot!(format!("subsidy_review_refused_{tag}"), render(&a, 120, 30));
    // Returned with a reason typed in its own line.
    press(&mut a, "x");
    type_text(&mut a, "缺签到表");
    insta::assert_snapshot!(format!("subsidy_return_reason_{tag}"), render(&a, 120, 30));
    press(&mut a, "enter y");
    let back = svc.claim(c.id).unwrap();
    assert_eq!(back.state, ClaimState::Draft);
    assert_eq!(back.returned.as_deref(), Some("缺签到表"));
    // Filed again by the institution, 初审 by the session, 复核 by
    // another reviewer, paid by the session.
    svc.claim_step(c.id, Step::File, &filer).unwrap();
    a.tick();
    press(&mut a, "1 y");
    svc.claim_step(c.id, Step::SecondApprove, &Actor::new("复核.赵", Role::Supervisor))
        .unwrap();
    a.tick();
    press(&mut a, "p y");
    assert_eq!(svc.claim(c.id).unwrap().state, ClaimState::Paid);
    insta::assert_snapshot!(format!("subsidy_claim_paid_{tag}"), render(&a, 120, 30));
    press(&mut a, "esc tab");
    insta::assert_snapshot!(format!("subsidy_ledger_{tag}"), render(&a, 120, 30));
    press(&mut a, "esc");
    let screen = render(&a, 120, 30);
    assert!(
        !screen.contains("培训补贴") && !screen.contains("Training subsidies"),
        "the overlay is closed:\n{screen}"
    );
}

#[test]
fn claim_review_and_ledger_in_chinese() {
    screens(Lang::Zh, "zh");
}

#[test]
fn claim_review_and_ledger_in_english() {
    screens(Lang::En, "en");
}
