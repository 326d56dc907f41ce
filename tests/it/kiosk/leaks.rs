//! No screen a visitor can reach shows a trainee's name, ID number or
//! mobile, and the check itself catches such data where it is shown.

use super::*;

/// Every trainee's name, ID number and mobile.
pub(super) fn personal(svc: &Service) -> Vec<(String, String, Option<String>)> {
    svc.read()
        .data
        .trainees
        .values()
        .map(|t| {
            (
                t.name.to_string(),
                t.id_number.to_string(),
                t.mobile.as_ref().map(|m| m.to_string()),
            )
        })
        .collect()
}

/// Text that is public anyway: an ordinary word or a firm's name that a
/// trainee's name happens to equal is not a leak of that trainee.
pub(super) fn public_corpus(view: &PublicView) -> String {
    let mut s = String::new();
    for i in view.institutions() {
        s.push_str(&i.name);
        s.push('\n');
    }
    for e in view.enterprise_names() {
        s.push_str(&e);
        s.push('\n');
    }
    for c in view.open_classes() {
        s.push_str(&c.name);
        s.push('\n');
    }
    for r in REGIONS.iter() {
        s.push_str(&format!("{} {}\n", r.zh, r.short_zh));
    }
    for o in OCCUPATIONS.iter() {
        s.push_str(&format!("{} {}\n", o.zh, o.aliases.join(" ")));
    }
    for p in PROGRAMS.iter() {
        s.push_str(p.zh);
        s.push('\n');
    }
    s
}

/// Digit runs long enough to be an ID number (18, or 17 and X) or a mobile (11).
fn long_numbers(screen: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in screen.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == 'X' && run.len() == 17) {
            run.push(c);
        } else {
            if run.len() >= 11 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    out
}

/// The personal data to look for, prepared for fast lookups.
pub(super) struct Watch {
    ids_and_mobiles: HashSet<String>,
    /// Names of two or more characters that are not public words.
    names: HashSet<String>,
    longest_name: usize,
}

impl Watch {
    pub(super) fn new(people: &[(String, String, Option<String>)], corpus: &str) -> Watch {
        let mut ids_and_mobiles = HashSet::new();
        let mut names = HashSet::new();
        for (name, id, mobile) in people {
            ids_and_mobiles.insert(id.clone());
            ids_and_mobiles.extend(mobile.clone());
            if name.chars().count() >= 2 && !corpus.contains(name.as_str()) {
                names.insert(name.clone());
            }
        }
        let longest_name = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        Watch {
            ids_and_mobiles,
            names,
            longest_name,
        }
    }

    /// What in `screen` is personal data: any digit run long enough to be
    /// an ID number or a mobile (known or not), and any trainee's name.
    pub(super) fn leaks(&self, screen: &str) -> Vec<String> {
        let mut found: Vec<String> = long_numbers(screen)
            .into_iter()
            .map(|n| {
                if self.ids_and_mobiles.contains(&n) {
                    format!("a trainee's ID number or mobile {n}")
                } else {
                    format!("a long number {n}")
                }
            })
            .collect();
        // Every run of hanzi, every substring of a name's length in it.
        let hanzi = |c: char| ('\u{3400}'..='\u{9fff}').contains(&c);
        let chars: Vec<char> = screen.chars().collect();
        let mut s = String::new();
        for i in (0..chars.len()).filter(|&i| hanzi(chars[i])) {
            s.clear();
            for (len, c) in chars[i..].iter().take(self.longest_name).enumerate() {
                if !hanzi(*c) {
                    break;
                }
                s.push(*c);
                if len >= 1 && self.names.contains(&s) {
                    found.push(format!("name {s}"));
                }
            }
        }
        found
    }
}

/// Every screen a visitor can reach: home, both lists (each row and its
/// detail, each job's classes and their details), both choosers, searches.
pub(super) fn walk_every_screen(svc: Arc<Service>, lang: Lang) -> Vec<(String, String)> {
    let now = Instant::now();
    let mut k = kiosk(svc, lang, now);
    let mut shots: Vec<(String, String)> = Vec::new();
    // Each shot is a frame a driver draws: the kiosk takes back what it laid out.
    let mut shot = |what: String, k: &mut Kiosk| {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            let mut laid = None;
            t.draw(|f| laid = Some(skillbridge::kiosk::ui::draw(f, k))).unwrap();
            shots.push((format!("{what} at {w}x{h}"), buffer_text(t.backend().buffer())));
            k.update(skillbridge::kiosk::Msg::Laid(laid.unwrap()));
        }
    };
    shot("home".into(), &mut k);
    for (open, listing) in [("1", Listing::Classes), ("2", Listing::Jobs)] {
        press(&mut k, open, now);
        shot(format!("{listing:?}"), &mut k);
        for chooser in ["f2", "f3"] {
            press(&mut k, chooser, now);
            shot(format!("{listing:?} {chooser}"), &mut k);
            press(&mut k, "esc", now);
        }
        let n = k.state.list.ids.len();
        assert!(n > 5, "{listing:?}: only {n} rows");
        for row in 0..n {
            assert_eq!(k.state.list.selected, row);
            shot(format!("{listing:?} row {row}"), &mut k);
            press(&mut k, "enter", now);
            shot(format!("{listing:?} row {row} detail"), &mut k);
            if listing == Listing::Jobs {
                let id = match k.state.pages.last() {
                    Some(Page::Job { id, .. }) => *id,
                    other => panic!("not a job: {other:?}"),
                };
                // Every class that trains for it is in the classes list
                // walked above; here: the job page at each of them, and one opened.
                let n = k.view().classes_for_job(id).len();
                if n > 0 {
                    press(&mut k, "enter", now);
                    shot(format!("job row {row} first class"), &mut k);
                    press(&mut k, "esc", now);
                }
                for i in 1..n {
                    press(&mut k, "down", now);
                    shot(format!("job row {row} at class {i}"), &mut k);
                }
            } else {
                press(&mut k, "pagedown", now);
                shot(format!("class row {row} scrolled"), &mut k);
            }
            press(&mut k, "esc down", now);
        }
        press(&mut k, "esc", now);
    }
    // Searches by trade, place and firm in all three scripts.
    for q in [
        "焊工",
        "hg",
        "welder",
        "丹阳",
        "danyang",
        "养老",
        "ylhly",
        "有限公司",
        "C5",
        "D2",
    ] {
        for open in ["1", "2"] {
            press(&mut k, open, now);
            type_text(&mut k, q, now);
            shot(format!("{open} search {q}"), &mut k);
            press(&mut k, "enter", now);
            shot(format!("{open} search {q} first"), &mut k);
            press(&mut k, "esc esc", now);
        }
    }
    shots
}

#[test]
fn no_screen_shows_a_name_an_id_number_or_a_mobile() {
    let svc = demo_service();
    let view = PublicView::new(svc.clone());
    let people = personal(&svc);
    assert!(people.len() >= 500, "the demo city has {} trainees", people.len());
    let corpus = public_corpus(&view);
    let watch = Watch::new(&people, &corpus);
    let checked = watch.names.len();
    // Names that equal public words are skipped, but they must stay rare or
    // the check would be hollow.
    assert!(
        checked * 100 >= people.len() * 95,
        "only {checked} of {} names are checked",
        people.len()
    );
    let mut screens = 0;
    for lang in [Lang::Zh, Lang::En] {
        for (what, text) in walk_every_screen(svc.clone(), lang) {
            screens += 1;
            let found = watch.leaks(&text);
            assert!(found.is_empty(), "{lang:?} {what} shows {found:?}:\n{text}");
        }
    }
    assert!(screens > 500, "only {screens} screens walked");
}

#[test]
fn the_leak_check_catches_personal_data_where_it_is_shown() {
    // The same check on the operators' trainee list finds what it shows:
    // so a clean kiosk walk means something.
    let svc = demo_service();
    let view = PublicView::new(svc.clone());
    let people = personal(&svc);
    let corpus = public_corpus(&view);
    let mut app = common::ui::app(svc, Lang::Zh);
    common::ui::press(&mut app, "alt-3");
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| {
        skillbridge::ui::draw(f, &app);
    })
    .unwrap();
    let text = buffer_text(t.backend().buffer());
    let found: HashSet<String> = Watch::new(&people, &corpus).leaks(&text).into_iter().collect();
    // Exactly what a plain search of the screen finds, and no less.
    let mut shown = HashSet::new();
    for (name, id, mobile) in &people {
        for number in std::iter::once(id).chain(mobile) {
            if text.contains(number.as_str()) {
                shown.insert(format!("a trainee's ID number or mobile {number}"));
            }
        }
        if !corpus.contains(name.as_str()) && text.contains(name.as_str()) {
            shown.insert(format!("name {name}"));
        }
    }
    assert!(shown.len() >= 30, "the trainee list shows only {shown:?}:\n{text}");
    assert_eq!(found, shown);
    // An unknown 18-digit run is caught too.
    assert!(!Watch::new(&[], "").leaks("x 110101199003074514 y").is_empty());
    assert!(!Watch::new(&[], "").leaks("电话13912345678").is_empty());
}

#[test]
fn searching_for_a_person_finds_nothing() {
    let svc = demo_service();
    let view = PublicView::new(svc.clone());
    let corpus = public_corpus(&view);
    let now = Instant::now();
    for (name, id, mobile) in personal(&svc).into_iter().take(40) {
        for listing in [Listing::Classes, Listing::Jobs] {
            let q = skillbridge::service::public::PublicQuery::new(listing, &id);
            assert_eq!(view.search(&q, &|| false), Some(vec![]), "{id}");
            if let Some(m) = &mobile {
                let q = skillbridge::service::public::PublicQuery::new(listing, m);
                assert_eq!(view.search(&q, &|| false), Some(vec![]), "{m}");
            }
        }
        // A name finds a job only where it is a public word too (a firm's name).
        let mut k = kiosk(svc.clone(), Lang::Zh, now);
        press(&mut k, "2", now);
        type_text(&mut k, &format!("'{name}"), now);
        assert!(
            k.state.list.ids.is_empty() || corpus.contains(&name),
            "'{name}' found jobs"
        );
    }
}
