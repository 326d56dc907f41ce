//! What the lists hold and find: open records only, the same in Chinese,
//! pinyin and English, filters applied.

use super::*;

#[test]
fn chinese_pinyin_and_english_find_the_same_jobs_and_classes() {
    let svc = demo_service();
    let now = Instant::now();
    let found = |open: &str, q: &str| {
        let mut k = kiosk(svc.clone(), Lang::Zh, now);
        press(&mut k, open, now);
        type_text(&mut k, q, now);
        k.state.list.ids.clone()
    };
    for open in ["1", "2"] {
        let mut hanzi = found(open, "焊工");
        assert!(!hanzi.is_empty(), "{open}");
        hanzi.sort_unstable();
        for q in ["hangong", "welder", "hg"] {
            // Every welder record, ranked first; a long ASCII term is also
            // fuzzy over English text, so a few others may follow.
            let ids = found(open, q);
            let mut top = ids[..hanzi.len().min(ids.len())].to_vec();
            top.sort_unstable();
            assert_eq!(top, hanzi, "{open} '{q}' ranks other records above the welders");
        }
        assert_eq!(found(open, "welder").len(), hanzi.len());
    }
    let mut k = kiosk(svc.clone(), Lang::Zh, now);
    press(&mut k, "2", now);
    type_text(&mut k, "hg", now);
    let first = k.view().job(DemandId(k.state.list.ids[0])).unwrap();
    assert_eq!(first.trade.zh(), "焊工");
}

#[test]
fn lists_hold_only_open_records_and_filters_apply() {
    let svc = demo_service();
    let view = PublicView::new(svc.clone());
    let now = Instant::now();
    let classes = view.open_classes();
    let jobs = view.open_jobs();
    assert!(!classes.is_empty() && !jobs.is_empty());
    assert!(
        classes
            .iter()
            .all(|c| c.seats_left > 0 && c.status.accepts_enrollment())
    );
    assert!(jobs.iter().all(|j| j.open > 0));
    let data = &svc.read().data;
    let all_classes = data.classes.len();
    assert!(classes.len() < all_classes, "finished classes are not offered");
    // The kiosk list is the open set, and the district filter narrows it.
    let mut k = kiosk(svc.clone(), Lang::Zh, now);
    press(&mut k, "1", now);
    assert_eq!(k.state.list.ids.len(), classes.len());
    press(&mut k, "f2", now);
    type_text(&mut k, "丹阳", now);
    press(&mut k, "enter", now);
    let danyang: Vec<u64> = k.state.list.ids.clone();
    assert!(!danyang.is_empty() && danyang.len() < classes.len());
    for id in &danyang {
        assert_eq!(view.class(ClassId(*id)).unwrap().region.zh(), "丹阳市");
    }
    // The trade filter on top of it (typed in the chooser), then back to all.
    let trade = view.class(ClassId(danyang[0])).unwrap().trade;
    press(&mut k, "f3", now);
    type_text(&mut k, trade.zh(), now);
    press(&mut k, "enter", now);
    assert_eq!(k.state.list.trade, Some(trade));
    let both = k.state.list.ids.clone();
    assert!(!both.is_empty() && both.len() <= danyang.len());
    for id in &both {
        let c = view.class(ClassId(*id)).unwrap();
        assert_eq!((c.region.zh(), c.trade), ("丹阳市", trade));
    }
    // A chooser opens on the current value.
    press(&mut k, "f2 enter", now);
    assert_eq!(k.state.list.ids, both);
    for chooser in ["f2", "f3"] {
        press(&mut k, chooser, now);
        type_text(&mut k, "all", now);
        press(&mut k, "enter", now);
    }
    assert_eq!((k.state.list.region, k.state.list.trade), (None, None));
    assert_eq!(k.state.list.ids.len(), classes.len());
    // A job's "train for this job" classes are open ones of its trade or a related one.
    for j in jobs.iter().take(30) {
        for tf in view.classes_for_job(j.id) {
            assert!(tf.class.seats_left > 0);
            assert!(tf.class.trade.relation_to(j.trade).is_some());
        }
    }
}
