//! How a kiosk behaves over time: the idle reset, the exit key, live data,
//! every size, a session on another thread, a quick visitor's Enter.

use super::*;

#[test]
fn the_idle_reset_returns_home_and_clears_the_search() {
    let svc = demo_service();
    let t0 = Instant::now();
    let at = |s: u64| t0 + Duration::from_secs(s);
    let mut k = kiosk(svc, Lang::Zh, t0);
    assert!(k.state.is_fresh(&k.settings));
    assert_eq!(k.idle_left(at(1000)), None, "nothing to reset before a key");
    press(&mut k, "2", at(0));
    type_text(&mut k, "hg", at(0));
    press(&mut k, "f4 f2", at(0));
    assert!(!k.state.pages.is_empty());
    assert_eq!(k.state.lang, Lang::En);
    k.tick(at(89));
    assert_eq!(k.state.list.input.value(), "hg", "not yet at 89 s");
    assert_eq!(k.idle_left(at(89)), Some(Duration::from_secs(1)));
    // A key starts the wait again.
    press(&mut k, "esc", at(60));
    k.tick(at(149));
    assert_eq!(k.state.list.input.value(), "hg", "60 + 89 s");
    k.tick(at(150));
    assert!(k.state.pages.is_empty(), "back home at 60 + 90 s");
    assert_eq!(k.state.list.input.value(), "");
    assert_eq!((k.state.list.region, k.state.list.trade), (None, None));
    assert_eq!(k.state.lang, Lang::Zh, "the visitor's language switch is undone");
    assert!(k.state.is_fresh(&k.settings));
    assert!(!k.exited());
    assert_eq!(k.idle_left(at(500)), None, "it does not run again until a key");
    // A shorter setting.
    let mut k = kiosk_with(
        demo_service(),
        Settings {
            idle: Duration::from_secs(5),
            ..Settings::default()
        },
        t0,
    );
    press(&mut k, "1", at(0));
    type_text(&mut k, "焊工", at(1));
    k.tick(at(5));
    assert_eq!(k.state.list.input.value(), "焊工");
    k.tick(at(6));
    assert!(k.state.pages.is_empty() && k.state.list.input.value().is_empty());
}

/// Every key a visitor could press, on every screen.
fn every_key() -> Vec<Key> {
    let mut v: Vec<Key> = Vec::new();
    for c in ('a'..='z').chain('0'..='9') {
        for m in ["", "ctrl-", "alt-", "ctrl-alt-"] {
            v.push(format!("{m}{c}").parse().unwrap());
        }
    }
    for n in [
        "enter",
        "esc",
        "tab",
        "backtab",
        "backspace",
        "delete",
        "insert",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "space",
        "ctrl-\\",
        "ctrl-[",
        "ctrl-space",
        "alt-enter",
        "ctrl-enter",
        "shift-enter",
    ] {
        v.push(n.parse().unwrap());
    }
    for n in 1..=12 {
        v.push(format!("f{n}").parse().unwrap());
        v.push(format!("ctrl-f{n}").parse().unwrap());
        v.push(format!("alt-f{n}").parse().unwrap());
    }
    v
}

#[test]
fn with_no_exit_key_nothing_exits_and_by_default_only_ctrl_c_does() {
    let svc = demo_service();
    let now = Instant::now();
    let no_exit = Settings {
        exit_key: None,
        ..Settings::default()
    };
    // Walk into every screen and press every key there, ctrl-c included.
    for path in ["", "1", "1 f2", "1 f3", "1 enter", "2", "2 enter", "2 enter enter"] {
        for key in every_key() {
            let mut k = kiosk_with(svc.clone(), no_exit.clone(), now);
            press(&mut k, path, now);
            k.key(key, now);
            k.tick(now);
            assert!(!k.exited(), "'{key}' after '{path}' exited a kiosk with no exit key");
        }
    }
    // The default: ctrl-c, and nothing else.
    for key in every_key() {
        let mut k = kiosk(svc.clone(), Lang::Zh, now);
        press(&mut k, "2", now);
        k.key(key, now);
        assert_eq!(k.exited(), key == Key::ctrl('c'), "'{key}'");
    }
    // Another exit key: ctrl-c is then an ordinary (unbound) key.
    let f12 = Settings {
        exit_key: Some("ctrl-alt-q".parse().unwrap()),
        ..Settings::default()
    };
    let mut k = kiosk_with(svc, f12, now);
    press(&mut k, "ctrl-c", now);
    assert!(!k.exited());
    press(&mut k, "ctrl-alt-q", now);
    assert!(k.exited());
}

#[test]
fn the_kiosk_reads_the_live_database() {
    let (_dir, svc) = own_service(300);
    let view = PublicView::new(svc.clone());
    let now = Instant::now();
    let mut k = kiosk(svc.clone(), Lang::Zh, now);
    press(&mut k, "2", now);
    let before = k.state.list.ids.clone();
    let first = DemandId(before[0]);
    // An operator closes the first job the kiosk shows, and opens another.
    let mut d = svc.read().data.demands[&first].clone();
    d.status = DemandStatus::Closed;
    svc.save(d, &skillbridge::service::Actor::admin("t")).unwrap();
    k.tick(now);
    assert!(
        !k.state.list.ids.contains(&first.0),
        "a closed job leaves the kiosk at once"
    );
    assert_eq!(view.job(first), None);
    // Its detail page, if open, says it changed instead of showing stale data.
    k.state.pages.push(Page::Job { id: first, selected: 0 });
    let text = screen_text(&k, 80, 24);
    assert!(text.contains("这条信息刚刚更新"), "{text}");
}

#[test]
fn every_kiosk_screen_survives_every_size() {
    let svc = demo_service();
    let now = Instant::now();
    let mut k = kiosk(svc, Lang::En, now);
    for keys in ["", "1", "f2", "esc enter", "esc esc 2", "enter", "enter", "esc f3"] {
        press(&mut k, keys, now);
        for w in [1u16, 2, 5, 10, 29, 30, 31, 40, 79, 80, 81, 120, 200] {
            for h in [1u16, 2, 3, 5, 9, 10, 11, 16, 24, 40, 60] {
                let _ = render(&k, w, h);
            }
        }
    }
}

#[test]
fn a_kiosk_session_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<Kiosk>();
    send::<PublicView>();
    fn sync<T: Sync>() {}
    sync::<PublicView>();
}

/// Answers only when let go: a search that is slow, on demand.
struct Held {
    view: PublicView,
    out: Vec<skillbridge::kiosk::searcher::Response>,
    go: Arc<std::sync::atomic::AtomicBool>,
}

impl skillbridge::worker::Searcher<skillbridge::kiosk::searcher::Request, skillbridge::kiosk::searcher::Response>
    for Held
{
    fn submit(&mut self, req: skillbridge::kiosk::searcher::Request) {
        let ids = self.view.search(&req.query, &|| false).unwrap();
        self.out.push(skillbridge::kiosk::searcher::Response {
            generation: req.generation,
            ids,
        });
    }
    fn poll(&mut self) -> Vec<skillbridge::kiosk::searcher::Response> {
        if self.go.load(std::sync::atomic::Ordering::SeqCst) {
            std::mem::take(&mut self.out)
        } else {
            Vec::new()
        }
    }
    fn busy(&self) -> bool {
        !self.out.is_empty()
    }
}

#[test]
fn enter_before_the_results_opens_the_first_of_them() {
    let svc = demo_service();
    let now = Instant::now();
    let view = PublicView::new(svc);
    let held = |go: &Arc<std::sync::atomic::AtomicBool>| {
        let searcher = Held {
            view: view.clone(),
            out: Vec::new(),
            go: go.clone(),
        };
        Kiosk::new(view.clone(), Settings::default(), Box::new(searcher))
    };
    let go = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut k = held(&go);
    press(&mut k, "1", now);
    type_text(&mut k, "welder", now);
    press(&mut k, "enter", now);
    assert!(k.busy() && k.state.list.pending);
    assert!(matches!(k.state.pages.last(), Some(Page::List)), "nothing to open yet");
    go.store(true, std::sync::atomic::Ordering::SeqCst);
    k.tick(now);
    let first = ClassId(k.state.list.ids[0]);
    assert_eq!(view.class(first).unwrap().trade.en(), "welder");
    assert!(
        matches!(k.state.pages.last(), Some(Page::Class { id, .. }) if *id == first),
        "{:?}",
        k.state.pages
    );
    // Another key after Enter means the visitor went on: nothing opens.
    let go = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut k = held(&go);
    press(&mut k, "1", now);
    type_text(&mut k, "welder", now);
    press(&mut k, "enter down", now);
    go.store(true, std::sync::atomic::Ordering::SeqCst);
    k.tick(now);
    assert!(matches!(k.state.pages.last(), Some(Page::List)));
}
