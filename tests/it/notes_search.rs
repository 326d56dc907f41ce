//! Case notes searched from the Cases tab (#18): a note prefix (`注:`,
//! `note:`) typed on the search line finds the cases whose notes match,
//! the pane shows the notes it matched; the notes tree that search reads
//! is filled on an upgrade and by a restore.

use crate::common;
use common::ui::*;
use skillbridge::domain::notes::note_of;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::search::Query;
use skillbridge::service::{Filters, SearchSpec, Sort};
use skillbridge::store::Store;

/// The demo's cases whose notes hold `word`.
fn cases_noting(svc: &skillbridge::service::Service, word: &str) -> Vec<u64> {
    let r = svc.read();
    let mut ids: Vec<u64> = r
        .data
        .notes
        .iter()
        .filter(|(_, n)| n.list.iter().any(|x| x.text.contains(word)))
        .map(|(c, _)| c.0)
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

fn shot(lang: Lang, typed: &str) {
    let svc = demo_service();
    let want = cases_noting(&svc, "夜班");
    assert_eq!(want.len(), 1, "the demo has one case whose note says 夜班");
    let mut a = app(svc.clone(), lang);
    press(&mut a, "alt-4");
    type_text(&mut a, typed);
    assert_eq!(a.state.list().ids.to_vec(), want, "{typed} finds the case by its note");
    let screen = render(&a, 120, 40);
    assert!(screen.contains("夜班太多"), "the pane shows the note:\n{screen}");
    let l = if lang == Lang::Zh { "zh" } else { "en" };
    insta::assert_snapshot!(format!("notes_search_{l}_120x40"), screen);
}

#[test]
fn a_note_search_typed_on_the_cases_tab_finds_the_case_and_shows_its_note_zh() {
    shot(Lang::Zh, "注:夜班");
}

#[test]
fn a_note_search_typed_on_the_cases_tab_finds_the_case_and_shows_its_note_en() {
    // Full pinyin finds Chinese notes, as in any search.
    shot(Lang::En, "note:yeban");
}

#[test]
fn the_prefix_alone_lists_every_case_with_a_note_and_words_before_it_search_the_cases() {
    let svc = demo_service();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-4");
    type_text(&mut a, "注：");
    let all: Vec<u64> = svc.read().data.notes.keys().rev().map(|c| c.0).collect();
    assert!(all.len() >= 8, "the demo's cohort has notes: {all:?}");
    assert_eq!(a.state.list().ids.to_vec(), all, "newest first");
    // Without the prefix the same word finds no case: notes are not in
    // the cases' search lines.
    press(&mut a, "ctrl-u");
    type_text(&mut a, "'夜班太多");
    assert!(a.state.list().ids.is_empty());
    // Words before the prefix narrow the cases as usual: a trade.
    press(&mut a, "ctrl-u");
    let with_note = *all.first().unwrap();
    let trade = {
        let r = svc.read();
        let c = &r.data.cases[&CaseId(with_note)];
        r.data.classes[&c.class].occupation.zh().to_string()
    };
    type_text(&mut a, &format!("{trade} 注:"));
    let ids = a.state.list().ids.to_vec();
    assert!(ids.contains(&with_note) && ids.len() <= all.len(), "{ids:?}");
    let r = svc.read();
    for id in &ids {
        let c = &r.data.cases[&CaseId(*id)];
        assert_eq!(r.data.classes[&c.class].occupation.zh(), trade);
    }
}

#[test]
fn a_note_added_in_the_workspace_is_found_at_once_and_only_in_the_operators_districts() {
    let (_dir, svc) = own_service(300);
    let mut a = app(svc.clone(), Lang::Zh);
    let case = svc
        .read()
        .data
        .cases
        .values()
        .find(|c| c.state.kind() == StateKind::InTraining)
        .map(|c| c.id)
        .unwrap();
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{case}"));
    press(&mut a, "enter m");
    type_text(&mut a, "本人要求调到周末班，新手机13912345678");
    press(&mut a, "enter esc ctrl-u");
    type_text(&mut a, "注:周末班");
    assert_eq!(a.state.list().ids.to_vec(), vec![case.0]);
    // The pane shows the note with its numbers masked, as everywhere.
    let screen = render(&a, 120, 40);
    assert!(
        screen.contains("匹配的备注") && screen.contains("139****5678"),
        "{screen}"
    );
    assert!(!screen.contains("13912345678"), "{screen}");
    // An operator of another district finds nothing.
    let region = {
        let r = svc.read();
        r.data.trainees[&r.data.cases[&case].trainee].region
    };
    let other = REGIONS.iter().map(|r| r.id).find(|r| *r != region).unwrap();
    let spec = |districts: Option<Vec<RegionId>>| SearchSpec {
        kind: Kind::Cases,
        query: Query::parse("注:周末班"),
        filters: Filters::default(),
        sort: Sort::Relevance,
        districts,
    };
    let found = |s: SearchSpec| svc.read().search(&s, None, &|| false).unwrap().ids.to_vec();
    assert_eq!(found(spec(Some(vec![region]))), vec![case.0]);
    assert!(found(spec(Some(vec![other]))).is_empty());
    // A filter applies too.
    let mut filtered = spec(None);
    filtered.filters.case_state = Some(StateKind::Employed);
    assert!(found(filtered).is_empty());
}

fn notes_in_events(store: &Store) -> Vec<notes::CaseNote> {
    store.all_events().unwrap().iter().filter_map(note_of).collect()
}

use skillbridge::domain::notes;

#[test]
fn a_database_from_before_the_notes_tree_gets_it_filled_on_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 300, seed: 7 }).unwrap();
    }
    // What the program before the tree left: schema 3, notes only in events.
    {
        let raw = common::raw_open(&path);
        raw.drop_tree("case_notes").unwrap();
        raw.open_tree("meta")
            .unwrap()
            .insert("schema_version", &3u32.to_be_bytes())
            .unwrap();
        raw.flush().unwrap();
    }
    let store = Store::reopen(&path).unwrap();
    let want = notes_in_events(&store);
    assert!(want.len() >= 8);
    assert_eq!(store.case_notes().unwrap(), want);
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    let svc = skillbridge::service::Service::open(store).unwrap();
    let mut a = app(svc, Lang::Zh);
    press(&mut a, "alt-4");
    type_text(&mut a, "注:夜班");
    assert_eq!(a.state.list().ids.len(), 1);
}

#[test]
fn a_restored_backup_finds_its_notes_and_repair_rebuilds_a_lost_tree() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let file = dir.path().join("city.sbk");
    let (ok, said) = common::run_cli(&["backup", file.to_str().unwrap()], &db);
    assert!(ok, "{said}");
    let restored = dir.path().join("restored");
    let (ok, said) = common::run_cli(&["restore", file.to_str().unwrap()], &restored);
    assert!(ok, "{said}");
    {
        let store = Store::reopen(&restored).unwrap();
        let want = notes_in_events(&store);
        assert!(want.len() >= 8);
        assert_eq!(store.case_notes().unwrap(), want);
    }
    // A tree lost some other way: check says so, repair rebuilds it.
    {
        let raw = common::raw_open(&restored);
        raw.open_tree("case_notes").unwrap().clear().unwrap();
        raw.flush().unwrap();
    }
    let (ok, said) = common::run_cli(&["--lang", "zh", "check"], &restored);
    assert!(
        !ok && said.contains("服务记录备注索引 K") && said.contains("缺少条目"),
        "{said}"
    );
    let (ok, said) = common::run_cli(&["--lang", "en", "check"], &restored);
    assert!(
        !ok && said.contains("case_notes K") && said.contains("the event's note has no entry"),
        "{said}"
    );
    let (ok, said) = common::run_cli(&["--lang", "en", "check", "--repair"], &restored);
    assert!(
        ok && said.contains("case_notes") && said.contains("rebuilt from the events"),
        "{said}"
    );
    let (ok, said) = common::run_cli(&["check"], &restored);
    assert!(ok, "{said}");
}

#[test]
fn the_help_says_how_to_search_notes_in_both_languages() {
    for (lang, example) in [(Lang::Zh, "注:夜班"), (Lang::En, "note:yeban")] {
        let mut a = app(small_service(), lang);
        press(&mut a, "alt-4 f1");
        let screen = render(&a, 120, 400);
        assert!(screen.contains(example), "{lang:?}:\n{screen}");
    }
}

#[test]
fn the_search_command_never_prints_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    for q in ["注:夜班", "夜班", "'夜班太多"] {
        let (_, out) = common::run_cli(&["search", "cases", q, "--reveal"], &db);
        assert!(!out.contains("夜班"), "{q}: {out}");
    }
}

/// One event of a case's run that does not decode costs only its own
/// note's entry: the run's other events still say what the notes tree
/// must hold, so a lost entry of a readable event is found and rebuilt.
#[test]
fn a_damaged_event_in_a_run_leaves_its_neighbours_notes_checked_and_repaired() {
    use skillbridge::store::{TreeName, event_key};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    // Cases with a note, and which of their events carry one.
    let noted_cases: Vec<(CaseId, Vec<usize>)> = {
        let store = common::demo_store(&path, 300, 7);
        assert!(store.items_in(TreeName::Events) * 2 < store.all_events().unwrap().len());
        let cases: Vec<Case> = store.all().unwrap();
        cases
            .iter()
            .filter_map(|c| {
                let evs = store.events_of(c.id).ok()?;
                let noted: Vec<usize> = (0..evs.len()).filter(|i| note_of(&evs[*i]).is_some()).collect();
                (!noted.is_empty()).then_some((c.id, noted))
            })
            .collect()
    };
    let (case, noted) = {
        let raw = common::raw_open(&path);
        let events = raw.open_tree("events").unwrap();
        // Where each event's frame starts in a run.
        let starts = |run: &[u8]| {
            let mut at = 1;
            let mut out = Vec::new();
            while at < run.len() {
                out.push(at);
                at += 4 + u32::from_le_bytes(run[at..at + 4].try_into().unwrap()) as usize;
            }
            out
        };
        let (case, noted, damaged, mut run) = noted_cases
            .iter()
            .find_map(|(case, noted)| {
                let run = events.get(case.0.to_be_bytes()).ok()??.to_vec();
                let n = starts(&run).len();
                let noted = *noted.iter().find(|i| **i < n)?;
                let damaged = (0..n).find(|i| *i != noted)?;
                Some((*case, noted, damaged, run))
            })
            .expect("a run with a noted event and another");
        // Break the damaged event's envelope (its first byte).
        let at = starts(&run)[damaged];
        run[at + 4] ^= 0xFF;
        events.insert(case.0.to_be_bytes(), run).unwrap();
        raw.open_tree("case_notes")
            .unwrap()
            .remove(event_key(case, noted as u32))
            .unwrap()
            .expect("the noted event's entry");
        raw.flush().unwrap();
        (case, noted)
    };
    let (ok, said) = common::run_cli(&["--lang", "en", "check"], &path);
    let entry = format!("case_notes {case}/{noted}");
    assert!(
        !ok && said.contains(&entry) && said.contains("the event's note has no entry"),
        "{said}"
    );
    let (_, said) = common::run_cli(&["--lang", "en", "check", "--repair"], &path);
    assert!(said.contains("rebuilt from the events"), "{said}");
    let store = Store::reopen(&path).unwrap();
    let n = store.case_notes_of(case).unwrap();
    assert!(n.iter().any(|n| n.seq as usize == noted), "{n:?}");
}
