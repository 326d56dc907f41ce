//! Work by the class and by the list: institutions and enterprises as
//! lists, going to a record by its code, a class's roster, and a step for
//! a whole class in one transaction.

use crate::common;

use common::ui::*;
use skillbridge::app::Overlay;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

#[test]
fn an_institution_with_no_class_opens_from_its_list() {
    let (_dir, svc) = own_service(200);
    let lonely = svc
        .save(
            Institution {
                id: InstitutionId(0),
                name: "新开职业培训学校".into(),
                region: RegionId(2),
                stars: 3,
            },
            &skillbridge::service::Actor::admin("t"),
        )
        .unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-6");
    type_text(&mut a, "新开");
    assert_eq!(a.state.list().selected_id(), Some(lonely.id.0));
    press(&mut a, "enter");
    let screen = render(&a, 120, 40);
    assert!(
        screen.contains("新开职业培训学校") && screen.contains("0 个班"),
        "{screen}"
    );
    // Edit from its detail, a new one from its tab.
    press(&mut a, "f4");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Intake(f)) if f.editing == Some(lonely.id.0)));
    press(&mut a, "esc esc ctrl-n");
    assert!(matches!(a.state.overlays.last(), Some(Overlay::Intake(f)) if f.kind == Kind::Institutions));
    // Enterprises too: its demands in its detail.
    press(&mut a, "esc alt-7");
    let firm = svc.read().data.demands.values().next().unwrap().enterprise;
    type_text(&mut a, &format!("'{firm}"));
    press(&mut a, "enter");
    let demand = svc
        .read()
        .data
        .demands
        .values()
        .find(|d| d.enterprise == firm)
        .unwrap()
        .id;
    assert!(render(&a, 120, 40).contains(&demand.to_string()));
}

#[test]
fn a_code_typed_goes_to_its_record_from_any_tab() {
    let svc = demo_service();
    let t = *svc.read().data.trainees.keys().nth(3).unwrap();
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "ctrl-g");
    type_text(&mut a, &t.to_string().to_lowercase());
    press(&mut a, "enter");
    assert_eq!(a.state.tab, Kind::Trainees);
    match a.state.overlays.last() {
        Some(Overlay::Detail { record, .. }) => assert_eq!(*record, RecordRef::Trainee(t)),
        other => panic!("{other:?}"),
    }
    // A code that names nothing, and text that is no code, say so.
    press(&mut a, "esc ctrl-g");
    type_text(&mut a, "D999999");
    press(&mut a, "enter");
    assert!(a.state.status.as_ref().unwrap().text.contains("D999999"));
    press(&mut a, "ctrl-g");
    type_text(&mut a, "焊工");
    press(&mut a, "enter");
    assert!(a.state.status.as_ref().unwrap().error);
}

#[test]
fn a_class_shows_its_roster() {
    let svc = demo_service();
    let (class, names): (ClassId, Vec<String>) = {
        let inner = svc.read();
        let c = inner
            .data
            .classes
            .values()
            .find(|c| inner.data.class_cases(c.id).count() >= 3)
            .unwrap();
        (
            c.id,
            inner
                .data
                .class_cases(c.id)
                .map(|k| inner.data.trainees[&k.trainee].name.to_string())
                .collect(),
        )
    };
    let mut a = app(svc, Lang::Zh);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter");
    let v = a.view(ratatui::layout::Rect::new(0, 0, 120, 200));
    let Some(skillbridge::app::view::OverlayView::Detail(lines)) = v.overlays.last() else {
        panic!("no detail")
    };
    let text: Vec<String> = lines.iter().map(|l| format!("{l:?}")).collect();
    let text = text.join("\n");
    assert!(text.contains("花名册"));
    for n in names {
        assert!(text.contains(&n), "{n} on the roster");
    }
}

#[test]
fn a_whole_class_starts_training_in_one_step_naming_who_does_not() {
    let (_dir, svc) = own_service(300);
    let class = crate::workspace::class_ready_to_start(&svc);
    let (enrolled, others): (Vec<CaseId>, usize) = {
        let inner = svc.read();
        let all: Vec<&Case> = inner.data.class_cases(class).collect();
        (
            all.iter()
                .filter(|k| k.state == CaseState::Enrolled)
                .map(|k| k.id)
                .collect(),
            all.iter().filter(|k| k.state != CaseState::Enrolled).count(),
        )
    };
    let mut a = app(svc.clone(), Lang::Zh);
    press(&mut a, "alt-2");
    type_text(&mut a, &format!("'{class}"));
    press(&mut a, "enter S");
    let Some(Overlay::Confirm(c)) = a.state.overlays.last() else {
        panic!("no question: {:?}", a.state.status)
    };
    assert!(c.text.contains(&format!("{} 人", enrolled.len())), "{}", c.text);
    if others > 0 {
        assert!(c.text.contains(&format!("不办理 {others} 人")), "{}", c.text);
    }
    press(&mut a, "y");
    let st = a.state.status.clone().unwrap();
    assert!(!st.error, "{}", st.text);
    for k in &enrolled {
        assert_eq!(svc.read().data.cases[k].state, CaseState::InTraining);
        let last = svc.events(*k).unwrap().pop().unwrap();
        assert_eq!(last.to, CaseState::InTraining, "one event per case");
    }
    assert!(svc.check().problems.is_empty());
    // Sending to evaluation before the class ends moves no one, and says why.
    press(&mut a, "V");
    let st = a.state.status.clone().unwrap();
    assert!(st.error, "{}", st.text);
}
