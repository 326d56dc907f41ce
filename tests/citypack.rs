//! A city from another pack, in a test binary of its own: the catalog is
//! process-wide, so the sample city's (and every change made to it here)
//! cannot race the Zhenjiang tests of `tests/it`. The tests here take a
//! lock so they never run at the same time either.
//!
//! - the workspace's key paths (tabs, search, pairing, the dashboard's
//!   map) on a demo city built from `packs/sample-yangzhou`;
//! - reference data changed from the workspace's service: a new
//!   occupation and a new alias are found by their pinyin initials at
//!   once, in this session and in another one.

#[path = "common/mod.rs"]
mod common;

use common::ui::*;
use skillbridge::domain::catalog;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::pack::Pack;
use skillbridge::pack::edit::CatalogEdit;
use skillbridge::service::{Actor, Service};
use skillbridge::store::{AccessEvent, AccessKind, Store};
use std::path::Path;
use std::sync::{Arc, Mutex};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn sample_pack() -> Pack {
    skillbridge::pack::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("packs/sample-yangzhou"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A demo city built from the sample pack, as `demo --pack` builds it.
fn sample_city(trainees: usize) -> (tempfile::TempDir, Arc<Service>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    store
        .replace_pack(
            &sample_pack(),
            &AccessEvent {
                at: 0,
                operator: "test".into(),
                role: "admin".into(),
                what: AccessKind::Catalog,
                people: 0,
                detail: "sample pack".into(),
            },
        )
        .unwrap();
    skillbridge::demo::build_any(&store, &skillbridge::demo::Options { trainees, seed: 7 }).unwrap();
    assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    drop(store);
    let store = Store::reopen(&dir.path().join("db")).unwrap();
    (dir, Service::open(store).unwrap())
}

/// Nothing of Zhenjiang on a screen of the sample city.
fn not_zhenjiang(screen: &str) {
    for word in [
        "镇江",
        "丹阳",
        "京口",
        "句容",
        "扬中",
        "Jingkou",
        "Danyang",
        "Zhenjiang",
    ] {
        assert!(
            !screen.contains(word),
            "'{word}' on the sample city's screen:\n{screen}"
        );
    }
}

#[test]
fn the_sample_city_runs_the_workspace_key_paths() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_dir, svc) = sample_city(300);
    assert_eq!(catalog::current().city.en, "Yangzhou (sample)");
    assert_eq!(REGIONS.len(), 6);
    let mut a = app(svc.clone(), Lang::Zh);
    // Tabs: every list shows the sample city's records.
    for (key, name) in [
        ("alt-1", "demands"),
        ("alt-2", "classes"),
        ("alt-3", "trainees"),
        ("alt-4", "cases"),
        ("alt-6", "institutions"),
        ("alt-7", "enterprises"),
    ] {
        press(&mut a, key);
        assert!(!a.state.list().ids.is_empty(), "{name}: empty list");
        let screen = render(&a, 120, 40);
        not_zhenjiang(&screen);
        insta::assert_snapshot!(format!("sample_city_{name}_zh_120x40"), screen);
    }
    // Search: the pinyin initials of 焊工 find the welders' demands first.
    press(&mut a, "alt-1");
    type_text(&mut a, "hg");
    let first = a.state.list().ids[0];
    assert_eq!(svc.read().data.demands[&DemandId(first)].occupation.zh(), "焊工");
    // 船体装配工 is the sample pack's related trade of 焊工: pairing offers classes of both.
    press(&mut a, "ctrl-p");
    let screen = render(&a, 120, 40);
    not_zhenjiang(&screen);
    assert!(screen.contains("焊工") || screen.contains("船体装配工"), "{screen}");
    insta::assert_snapshot!("sample_city_pairing_zh_120x40", screen);
    press(&mut a, "esc esc");
    // The dashboard's map puts the sample pack's districts where its positions say.
    press(&mut a, "f3 4");
    let screen = render(&a, 120, 40);
    not_zhenjiang(&screen);
    for r in ["广陵", "邗江", "江都", "宝应", "仪征", "开发区"] {
        assert!(screen.contains(r), "{r} not on the map:\n{screen}");
    }
    insta::assert_snapshot!("sample_city_map_zh_120x40", screen);
    let mut en = app(svc.clone(), Lang::En);
    press(&mut en, "f3 4");
    let screen = render(&en, 120, 40);
    assert!(screen.contains("Guangling") && screen.contains("Baoying"), "{screen}");
    not_zhenjiang(&screen);
    insta::assert_snapshot!("sample_city_map_en_120x40", screen);
}

#[test]
fn an_occupation_and_an_alias_added_are_found_by_pinyin_at_once_in_every_session() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_dir, svc) = sample_city(200);
    let admin = Actor::admin("chen");
    let mut one = app(svc.clone(), Lang::Zh);
    let mut two = app(svc.clone(), Lang::Zh);
    // 铆工 (mg) is nobody's name or alias yet: nothing found.
    type_text(&mut one, "mg");
    assert!(one.state.list().ids.is_empty());
    // An alias for 焊工, from the service every session shares.
    let done = svc
        .edit_catalog(
            &admin,
            &CatalogEdit::AddAlias {
                occupation: OccupationId(0),
                alias: "铆工".into(),
            },
        )
        .unwrap();
    assert_eq!(done, "occupation 0 (焊工): alias '铆工' added");
    for a in [&mut one, &mut two] {
        a.tick();
        press(a, "ctrl-u");
        type_text(a, "mg");
        let ids = a.state.list().ids.clone();
        assert!(!ids.is_empty(), "the new alias finds nothing");
        let inner = svc.read();
        assert!(
            ids.iter()
                .all(|id| inner.data.demands[&DemandId(*id)].occupation == OccupationId(0))
        );
    }
    // A new occupation: offered by the trade picker and found by its initials.
    svc.edit_catalog(
        &admin,
        &CatalogEdit::AddOccupation {
            zh: "叉车司机".into(),
            en: "forklift driver".into(),
            aliases: vec!["铲车".into()],
            kind: PostKind::Skilled,
        },
    )
    .unwrap();
    let t = Lang::Zh.t();
    let offered = skillbridge::app::intake::fixed_items(skillbridge::app::intake::F::Trade, t, Lang::Zh);
    let hit = offered
        .iter()
        .filter(|(label, _)| skillbridge::search::Hay::new(label.clone()).initials().contains("ccsj"))
        .count();
    assert_eq!(hit, 1, "{offered:?}");
    // Retired: no longer offered, still named on its records.
    svc.edit_catalog(&admin, &CatalogEdit::RetireOccupation(OccupationId(9)))
        .unwrap();
    let offered = skillbridge::app::intake::fixed_items(skillbridge::app::intake::F::Trade, t, Lang::Zh);
    assert!(!offered.iter().any(|(l, _)| l.contains("叉车司机")));
    assert_eq!(OccupationId(9).zh(), "叉车司机");
    // The wish forms (desk and kiosk share one step) skip it too, and a
    // wish naming it is refused as "no trade chosen".
    let mut seen = Vec::new();
    let mut cur = None;
    for _ in 0..=OCCUPATIONS.len() {
        cur = skillbridge::domain::wish::next_trade(cur, true);
        seen.extend(cur);
    }
    assert!(!seen.contains(&OccupationId(9)), "{seen:?}");
    assert!(seen.contains(&OccupationId(0)), "{seen:?}");
    let draft = skillbridge::domain::wish::Draft {
        name: "王芳".into(),
        mobile: "13912345678".into(),
        region: Some(RegionId(0)),
        trade: Some(OccupationId(9)),
        consent: true,
        ..Default::default()
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let refused = skillbridge::domain::wish::check(
        &draft,
        skillbridge::domain::wish::WishId(1),
        skillbridge::domain::wish::Source::Desk("wang".into()),
        0,
        day,
    );
    assert_eq!(refused.unwrap_err(), skillbridge::domain::wish::WishError::NoTrade);
    // A district added then retired: the forms never offer it.
    let before = REGIONS.len();
    svc.edit_catalog(
        &admin,
        &CatalogEdit::AddRegion {
            code: "321099".into(),
            zh: "试验区".into(),
            short_zh: "试验".into(),
            en: "Trial".into(),
            lon: 119.4,
            lat: 32.4,
        },
    )
    .unwrap();
    let added = RegionId(u8::try_from(before).unwrap());
    let mut regions = Vec::new();
    let mut cur = None;
    for _ in 0..=REGIONS.len() {
        cur = skillbridge::domain::wish::next_region(cur, true);
        regions.extend(cur);
    }
    assert!(regions.contains(&added), "{regions:?}");
    svc.edit_catalog(&admin, &CatalogEdit::RetireRegion(added)).unwrap();
    let mut regions = Vec::new();
    for _ in 0..=REGIONS.len() {
        cur = skillbridge::domain::wish::next_region(cur, true);
        regions.extend(cur);
    }
    assert!(!regions.contains(&added), "{regions:?}");
    // In use: refused.
    let e = svc
        .edit_catalog(&admin, &CatalogEdit::RetireOccupation(OccupationId(0)))
        .unwrap_err();
    assert!(e.to_string().contains("still used by"), "{e}");
    // Every change is audited, the database holds it, and check is clean.
    let audit = svc.access_records(&admin, &Default::default()).unwrap();
    let changes: Vec<&str> = audit
        .iter()
        .filter(|e| e.what == AccessKind::Catalog && e.operator == "chen")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(changes.len(), 5, "{changes:?}");
    let stored = svc.stored_pack().unwrap().unwrap();
    assert_eq!(stored.occupations[0].aliases.last().map(String::as_str), Some("铆工"));
    assert!(stored.occupations[9].retired);
    assert!(svc.check().problems.is_empty());
}

#[test]
fn the_reference_data_view_adds_an_alias_and_an_occupation_through_the_keymap() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_dir, svc) = sample_city(200);
    let mut one = app(svc.clone(), Lang::Zh);
    let mut two = app(svc.clone(), Lang::Zh);
    press(&mut one, "f9");
    let screen = render(&one, 120, 40);
    assert!(
        screen.contains("参考数据") && screen.contains("添加职业") && screen.contains("宝应县"),
        "{screen}"
    );
    not_zhenjiang(&screen);
    insta::assert_snapshot!("sample_city_reference_view_zh_120x40", screen);
    // 焊工 → add an alias → 铆工 → yes.
    type_text(&mut one, "焊工");
    press(&mut one, "enter enter");
    type_text(&mut one, "铆工");
    press(&mut one, "enter");
    let screen = render(&one, 120, 40);
    assert!(screen.contains("为“焊工”添加别名“铆工”？"), "{screen}");
    press(&mut one, "y");
    let st = one.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    assert_eq!(st.text, "已为“焊工”添加别名“铆工”：各会话立即可搜");
    // The other session finds the welders' demands by the alias's initials, without a restart.
    two.tick();
    type_text(&mut two, "mg");
    let ids = two.state.list().ids.clone();
    assert!(!ids.is_empty());
    assert!(
        ids.iter()
            .all(|id| svc.read().data.demands[&DemandId(*id)].occupation == OccupationId(0))
    );
    // A new occupation, typed in one line; offered in the other session's trade picker.
    press(&mut one, "esc f9 enter");
    type_text(&mut one, "叉车司机/forklift driver/叉车工 铲车");
    press(&mut one, "enter y");
    let st = one.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    press(&mut two, "esc f9");
    type_text(&mut two, "ccsj");
    let screen = render(&two, 120, 40);
    assert!(screen.contains("叉车司机 · 叉车工 铲车"), "{screen}");
    // A bad line says what is accepted, and changes nothing.
    press(&mut one, "esc f9 down enter");
    type_text(&mut one, "321099/新区");
    press(&mut one, "enter");
    let st = one.state.status.clone().unwrap();
    assert!(
        st.error && st.text.contains("代码/中文名/简称/英文名/经度/纬度"),
        "{}",
        st.text
    );
    assert_eq!(REGIONS.len(), 6);
    assert!(svc.check().problems.is_empty());
}
