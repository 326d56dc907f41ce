//! The leak walk with training wishes present (#25): wishes registered
//! through this kiosk itself, and the demo's, never show on any screen a
//! visitor can reach — the form a visitor opens, the receipt, or anything
//! after it.

use super::leaks::{Watch, personal, public_corpus, walk_every_screen};
use super::*;
use skillbridge::service::wish::WishInbox;

#[test]
fn no_screen_shows_a_wish_even_the_ones_made_at_this_kiosk() {
    let (_dir, svc) = own_service(600);
    let now = Instant::now();
    let mut k = kiosk(svc.clone(), Lang::Zh, now).with_inbox(WishInbox::new(svc.clone(), "lobby-1"));
    // Two wishes through the kiosk's own keys: from a class and from a job.
    for (open, name, mobile) in [("1", "柏青禾", "13600000041"), ("2", "柏青松", "13600000042")] {
        press(&mut k, &format!("{open} enter w"), now);
        assert!(
            matches!(k.state.pages.last(), Some(Page::Wish(_))),
            "{open}: {:?}",
            k.state.at()
        );
        type_text(&mut k, name, now);
        press(&mut k, "down", now);
        type_text(&mut k, mobile, now);
        press(&mut k, "down down down down space enter", now);
        assert!(
            matches!(k.state.pages.last(), Some(Page::Receipt(_))),
            "{open}: {:?}",
            k.state.at()
        );
        let receipt = buffer_text(terminal(&k, 80, 24).backend().buffer());
        assert!(!receipt.contains(name) && !receipt.contains(mobile), "{receipt}");
        press(&mut k, "esc", now);
        assert!(k.state.pages.is_empty(), "the receipt clears itself on a key");
    }
    let wishes = svc.wish_queue(&skillbridge::service::Actor::admin("t"));
    assert!(wishes.iter().any(|r| r.wish.name == "柏青禾"));
    // Every trainee's and every wish's name and mobile is watched.
    let mut people = personal(&svc);
    people.extend(svc.read().data.wishes.values().map(|h| {
        (
            h.wish.name.clone(),
            String::new(),
            Some(h.wish.mobile.as_str().to_string()),
        )
    }));
    let view = PublicView::new(svc.clone());
    let watch = Watch::new(&people, &public_corpus(&view));
    let mut screens = 0;
    for lang in [Lang::Zh, Lang::En] {
        for (what, text) in walk_every_screen(svc.clone(), lang) {
            screens += 1;
            let found = watch.leaks(&text);
            assert!(found.is_empty(), "{lang:?} {what} shows {found:?}:\n{text}");
        }
        // The wish form as a visitor opens it, from a class, a job and a list.
        let mut k = kiosk(svc.clone(), lang, now).with_inbox(WishInbox::new(svc.clone(), "lobby-2"));
        for keys in ["1 enter w", "2 enter w", "1 f5"] {
            press(&mut k, keys, now);
            let text = buffer_text(terminal(&k, 100, 30).backend().buffer());
            screens += 1;
            assert!(matches!(k.state.pages.last(), Some(Page::Wish(_))), "{keys}");
            let found = watch.leaks(&text);
            assert!(found.is_empty(), "{lang:?} {keys} form shows {found:?}:\n{text}");
            press(&mut k, "esc esc esc", now);
        }
    }
    assert!(screens > 500, "only {screens} screens walked");
}
