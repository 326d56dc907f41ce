//! Search finds what was typed first: Chinese as written before characters
//! found apart, a record's code before its digits scattered elsewhere, a
//! record's own name before an alias, a pinyin run only from a syllable's
//! start (operator safety, item 8).

use crate::common;

use common::ui::*;
use skillbridge::app::{Overlay, PickItems};
use skillbridge::domain::*;
use skillbridge::i18n::Lang;
use skillbridge::search::Query;
use skillbridge::service::{Filters, SearchSpec, Service, Sort};

fn found(svc: &Service, kind: Kind, q: &str) -> Vec<u64> {
    let spec = SearchSpec {
        kind,
        query: Query::parse(q),
        filters: Filters::default(),
        sort: Sort::Relevance,
        districts: None,
    };
    svc.read().search(&spec, None, &|| false).unwrap().ids.to_vec()
}

#[test]
fn chinese_as_written_ranks_above_characters_found_apart() {
    let svc = demo_service();
    let ids = found(&svc, Kind::Demands, "镇江新区");
    let inner = svc.read();
    let in_new_area: Vec<bool> = ids
        .iter()
        .map(|id| inner.data.demands[&DemandId(*id)].region.zh() == "镇江新区")
        .collect();
    let first_other = in_new_area.iter().position(|x| !x).unwrap_or(ids.len());
    assert!(first_other > 0, "镇江新区's demands are found");
    assert!(
        in_new_area[first_other..].iter().all(|x| !x),
        "every demand in 镇江新区 comes before any found apart (镇江高新区)"
    );
}

#[test]
fn a_record_code_finds_that_record_first_and_not_its_digits_scattered() {
    let svc = demo_service();
    for (kind, code) in [
        (
            Kind::Demands,
            svc.read().data.demands.keys().nth(2).unwrap().to_string(),
        ),
        (
            Kind::Classes,
            svc.read().data.classes.keys().nth(3).unwrap().to_string(),
        ),
        (Kind::Cases, svc.read().data.cases.keys().next().unwrap().to_string()),
    ] {
        let ids = found(&svc, kind, &code);
        assert!(!ids.is_empty(), "{code} is found");
        assert_eq!(RecordRef::new(kind, ids[0]).to_string(), code, "{code} first");
        for id in &ids {
            let other = RecordRef::new(kind, *id).to_string();
            assert!(
                other.starts_with(&code),
                "{code} found {other}: only codes that begin so"
            );
        }
    }
    // A trainee by the code the detail shows.
    let t = *svc.read().data.trainees.keys().nth(7).unwrap();
    let ids = found(&svc, Kind::Trainees, &t.to_string());
    assert_eq!(ids.first(), Some(&t.0), "{t} finds that trainee");
}

#[test]
fn a_trade_s_own_name_ranks_above_its_aliases() {
    let svc = demo_service();
    let inner_trade = |id: u64| svc.read().data.demands[&DemandId(id)].occupation.zh().to_string();
    for q in ["hg", "hg$"] {
        let ids = found(&svc, Kind::Demands, q);
        let trades: Vec<String> = ids.iter().map(|id| inner_trade(*id)).collect();
        assert_eq!(trades[0], "焊工", "{q}: welders first");
        let first_other = trades.iter().position(|t| t != "焊工").unwrap_or(trades.len());
        assert!(
            trades[first_other..].iter().all(|t| t != "焊工"),
            "{q}: every welder before any alias hit ({trades:?})"
        );
    }
}

#[test]
fn in_the_district_picker_initials_find_the_district_they_spell() {
    let mut a = app(small_service(), Lang::Zh);
    press(&mut a, "alt-3 ctrl-n tab tab tab");
    type_text(&mut a, "gx");
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("no picker")
    };
    let PickItems::Fixed { all, shown } = &p.items else {
        panic!()
    };
    let labels: Vec<&str> = shown.iter().map(|i| all[*i].0.as_str()).collect();
    assert!(labels[0].starts_with("镇江高新区"), "{labels:?}");
    assert!(
        !labels.iter().any(|l| l.starts_with("镇江新区")),
        "gx is not jian|g + x|in: {labels:?}"
    );
    // The exact name first.
    press(&mut a, "ctrl-u");
    type_text(&mut a, "镇江新区");
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("no picker")
    };
    let PickItems::Fixed { all, shown } = &p.items else {
        panic!()
    };
    assert!(all[shown[0]].0.starts_with("镇江新区"), "{:?}", all[shown[0]].0);
}
