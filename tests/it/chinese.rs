//! The Chinese interface reads like a Chinese office tool: the office's
//! words (退训, 机构名称), levels by name, and no English where a Chinese
//! operator reads.

use crate::common;

use common::ui::*;
use skillbridge::app::Overlay;
use skillbridge::domain::*;
use skillbridge::i18n::Lang;

#[test]
fn a_pass_chooses_its_level_by_name() {
    let (_dir, svc) = own_service(200);
    let case = svc
        .read()
        .data
        .cases
        .values()
        .find(|c| c.state == CaseState::AwaitingEvaluation)
        .map(|c| c.id)
        .unwrap();
    let mut a = app(svc, Lang::Zh);
    press(&mut a, "alt-4");
    type_text(&mut a, &format!("'{case}"));
    press(&mut a, "enter c enter");
    let Some(Overlay::Picker(p)) = a.state.overlays.last() else {
        panic!("no level picker: {:?}", a.state.overlays.last().map(|_| ()))
    };
    assert_eq!(p.title, "证书等级");
    let screen = render(&a, 100, 30);
    for name in [
        "五级/初级工",
        "四级/中级工",
        "三级/高级工",
        "二级/技师",
        "一级/高级技师",
    ] {
        assert!(screen.contains(name), "{name} offered:\n{screen}");
    }
    type_text(&mut a, "高级工");
    press(&mut a, "enter");
    let Some(Overlay::Form(f)) = a.state.overlays.last() else {
        panic!("back to the form")
    };
    assert_eq!(f.fields[0].input.value(), "3");
    let screen = render(&a, 100, 30);
    assert!(screen.contains("[3] 三级/高级工"), "{screen}");
    assert!(screen.contains("二级/技师、一级/高级技师须通过"), "{screen}");
}

#[test]
fn withdrawal_is_tuixun_and_names_are_the_records_own() {
    let mut a = app(small_service(), Lang::Zh);
    press(&mut a, "alt-i");
    assert!(render(&a, 100, 30).contains("机构名称"));
    press(&mut a, "esc alt-e");
    assert!(render(&a, 100, 30).contains("企业名称"));
    assert_eq!(StateKind::Withdrawn.zh(), "已退训");
    assert_eq!(MoveKind::Withdraw.zh(), "退训");
    // A new class without a name is named as the menu names them.
    let name = TrainingClass::default_name(
        OccupationId(3),
        ClassKind::Subsidized,
        "丹徒",
        chrono::NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
    );
    assert_eq!(name, "焊工补贴培训班（丹徒·9月）");
}
