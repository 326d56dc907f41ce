use super::*;
use crate::i18n::{EN, ZH};
use crate::service::Data;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
}

fn type_into(form: &mut Intake, f: F, s: &str) {
    let fl = form.fields.iter_mut().find(|x| x.f == f).unwrap();
    fl.input = Input::new(s.to_string());
}

#[test]
fn parsers() {
    assert_eq!(parse_date("2025-10-01"), NaiveDate::from_ymd_opt(2025, 10, 1));
    assert_eq!(parse_date("20251001"), NaiveDate::from_ymd_opt(2025, 10, 1));
    assert_eq!(parse_date("2025/10/01"), NaiveDate::from_ymd_opt(2025, 10, 1));
    assert_eq!(parse_date("2025-02-30"), None);
    assert_eq!(parse_date("十月"), None);
    assert_eq!(parse_number("12", 1, 100), Some(12));
    assert_eq!(parse_number("0", 1, 100), None);
    assert_eq!(parse_number("-3", 0, 100), None);
    assert_eq!(parse_number("abc", 0, 100), None);
}

#[test]
fn id_errors_in_both_languages() {
    let e = IdNumber::parse_on("110105194912310021", today()).unwrap_err();
    assert_eq!(id_error(&e, &ZH), "校验位应为 X，输入为 1");
    assert_eq!(id_error(&e, &EN), "check digit should be X, typed 1");
}

#[test]
fn a_refused_trainee_keeps_every_field_and_focuses_the_first_bad_one() {
    let data = Data::default();
    let mut f = Intake::new(Kind::Trainees, today(), &Carry::default());
    type_into(&mut f, F::Name, "王芳");
    type_into(&mut f, F::IdNumber, "110105194912310021");
    type_into(&mut f, F::Mobile, "1391234");
    assert!(f.build(&data, &ZH, today()).is_none());
    let bad: Vec<F> = f.fields.iter().filter(|x| x.error.is_some()).map(|x| x.f).collect();
    assert_eq!(bad, vec![F::IdNumber, F::Mobile, F::Region, F::Wanted]);
    assert_eq!(f.fields[f.focus].f, F::IdNumber);
    assert_eq!(f.text(F::Name), "王芳");
    assert_eq!(f.text(F::IdNumber), "110105194912310021");
    assert_eq!(f.text(F::Mobile), "1391234");
}

#[test]
fn a_good_trainee_builds() {
    let data = Data::default();
    let mut f = Intake::new(Kind::Trainees, today(), &Carry::default());
    type_into(&mut f, F::Name, "王芳");
    type_into(&mut f, F::IdNumber, "11010519491231002x");
    f.choose(F::Region, Pick::Region(RegionId(3)));
    f.choose(F::Wanted, Pick::Occupation(OccupationId(3)));
    f.choose(F::Wanted, Pick::Occupation(OccupationId(4)));
    f.choose(F::Wanted, Pick::Occupation(OccupationId(3)));
    match f.build(&data, &EN, today()) {
        Some(Built::Trainee(t, None)) => {
            assert_eq!(t.id_number.as_str(), "11010519491231002X");
            assert_eq!(t.region, RegionId(3));
            assert_eq!(t.wanted.as_slice(), [OccupationId(3), OccupationId(4)]);
            assert_eq!(t.mobile, None);
        }
        other => panic!("{other:?} {:?}", f.fields),
    }
}

#[test]
fn demand_rules_land_on_their_fields() {
    let data = Data::default();
    let mut f = Intake::new(Kind::Demands, today(), &Carry::default());
    f.choose(F::Enterprise, Pick::Enterprise(EnterpriseId(1)));
    f.choose(F::Trade, Pick::Occupation(OccupationId(3)));
    f.choose(F::Region, Pick::Region(RegionId(0)));
    type_into(&mut f, F::Headcount, "0");
    type_into(&mut f, F::WageMin, "9000");
    type_into(&mut f, F::WageMax, "6000");
    assert!(f.build(&data, &ZH, today()).is_none());
    assert_eq!(
        f.get(F::Headcount).unwrap().error.as_deref(),
        Some("应为 1 到 10000 的整数")
    );
    type_into(&mut f, F::Headcount, "5");
    assert!(f.build(&data, &ZH, today()).is_none());
    assert_eq!(
        f.get(F::WageMin).unwrap().error.as_deref(),
        Some("下限不能高于上限 6000")
    );
    type_into(&mut f, F::WageMax, "12000");
    assert!(matches!(f.build(&data, &ZH, today()), Some(Built::Demand(_))));
    // Choosing a technical-management trade sets the post kind.
    f.choose(F::Trade, Pick::Occupation(OccupationId(16)));
    assert_eq!(f.pick(F::PostKind), Some(Pick::PostKind(PostKind::TechnicalManagement)));
}

#[test]
fn class_rules_land_on_their_fields() {
    let data = Data::default();
    let mut f = Intake::new(Kind::Classes, today(), &Carry::default());
    f.choose(F::Institution, Pick::Institution(InstitutionId(1)));
    f.choose(F::Trade, Pick::Occupation(OccupationId(3)));
    f.choose(F::Region, Pick::Region(RegionId(0)));
    f.choose(F::Program, Pick::Program(ProgramId(2)));
    type_into(&mut f, F::Start, "2025-11-01");
    type_into(&mut f, F::End, "2025-10-01");
    type_into(&mut f, F::Capacity, "30");
    assert!(f.build(&data, &EN, today()).is_none());
    assert_eq!(
        f.get(F::End).unwrap().error.as_deref(),
        Some("must be after the start date 2025-11-01")
    );
    type_into(&mut f, F::End, "2025-12-01");
    f.choose(F::ClassKind, Pick::ClassKind(ClassKind::ProjectBased));
    assert!(f.build(&data, &EN, today()).is_none());
    assert_eq!(f.get(F::Linked).unwrap().error.as_deref(), Some(EN.e_linked));
    f.choose(F::Linked, Pick::Demand(DemandId(9)));
    match f.build(&data, &EN, today()) {
        Some(Built::Class(c)) => {
            assert_eq!(c.name, "焊工项目化培训班（京口·11月）");
            assert_eq!(c.quarter, Quarter { year: 2025, q: 4 });
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn live_id_check_says_what_the_number_encodes() {
    let mut f = Intake::new(Kind::Trainees, today(), &Carry::default());
    type_into(&mut f, F::IdNumber, "1101051949");
    f.live_check(&ZH, Lang::Zh, today());
    assert!(
        f.get(F::IdNumber).unwrap().error.is_none(),
        "no error while still typing"
    );
    type_into(&mut f, F::IdNumber, "11010519491231002X");
    f.live_check(&ZH, Lang::Zh, today());
    assert_eq!(
        f.get(F::IdNumber).unwrap().note.as_deref(),
        Some("女 · 75岁 · 生于 1949-12-31")
    );
    type_into(&mut f, F::IdNumber, "11010519491231002A");
    f.live_check(&ZH, Lang::Zh, today());
    assert!(f.get(F::IdNumber).unwrap().error.is_some());
}

#[test]
fn save_and_next_keeps_region_program_and_class() {
    let mut f = Intake::new(Kind::Trainees, today(), &Carry::default());
    f.choose(F::Region, Pick::Region(RegionId(5)));
    f.choose(F::EnrollClass, Pick::Class(Some(ClassId(77))));
    let next = Intake::new(Kind::Trainees, today(), &f.carry());
    assert_eq!(next.pick(F::Region), Some(Pick::Region(RegionId(5))));
    assert_eq!(next.pick(F::EnrollClass), Some(Pick::Class(Some(ClassId(77)))));
    assert_eq!(next.text(F::Name), "");
    assert!(!next.dirty);
}
