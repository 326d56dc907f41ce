//! Every variant says something in Chinese, with its key fields, and no
//! English words beyond the allowed tokens (codes, commands, file names).

use super::*;
use crate::domain::access::{Action, Role};
use crate::domain::case::MoveKind;
use crate::domain::*;
use crate::io::import::FieldChange;
use chrono::NaiveDate;
use std::path::PathBuf;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).expect("a date")
}

/// Runs of ASCII letters that are words, not codes, commands or names the
/// message is meant to carry.
fn english(s: &str) -> Vec<String> {
    const ALLOWED: &[&str] = &[
        "skillbridge",
        "check",
        "repair",
        "salvage",
        "restore",
        "db",
        "lsattr",
        "chattr",
        "bak",
        "YYYYmmddHHMMSS",
        "FILE",
        "CSV",
        "UTF",
        "GBK",
        "GB",
        "xlsx",
        "xls",
        "csv",
        "json",
        "JSON",
        "Excel",
        "WPS",
        "Unicode",
        "skip",
        "invalid",
        "REJECTS",
        "update",
        "sheet",
        "kiosk",
        "operator",
        "supervisor",
        "admin",
        "institutions",
        "enterprises",
        "demands",
        "classes",
        "trainees",
        "MB",
        "X",
        "A",
        "tmp",
        "db",
        "step",
        "wang",
        "fang",
    ];
    let mut out = Vec::new();
    // A token with a digit is a code or a number (K20001, 0xFF, 2025-09-01).
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let code = w.chars().any(|c| c.is_ascii_digit());
        if w.len() >= 2 && !code && !ALLOWED.contains(&w) && !w.chars().all(|c| c.is_ascii_uppercase()) {
            out.push(w.to_string());
        }
    }
    out
}

#[track_caller]
fn chinese(said: String, keys: &[&str]) {
    assert!(
        said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese: {said}"
    );
    for k in keys {
        assert!(said.contains(k), "'{k}' missing from: {said}");
    }
    // The data a message carries (a file name, a value typed) may be anything.
    let mut rest = said.replace("/tmp/bad.csv", "");
    for k in keys {
        rest = rest.replace(k, "");
    }
    let words = english(&rest);
    assert!(words.is_empty(), "English {words:?} in: {said}");
}

#[test]
fn store_errors() {
    let p = PathBuf::from("/tmp/db");
    let cases: Vec<(StoreError, Vec<&str>)> = vec![
        (
            StoreError::Locked {
                path: p.clone(),
                hint: String::new(),
            },
            vec!["/tmp/db"],
        ),
        (
            StoreError::NewerSchema {
                path: p.clone(),
                found: 9,
                supported: 2,
            },
            vec!["9", "2"],
        ),
        (
            StoreError::OldSchema {
                path: p.clone(),
                found: 0,
                oldest: 1,
            },
            vec!["0", "1"],
        ),
        (
            StoreError::Migration {
                path: p.clone(),
                from: 1,
                step: "step",
                backup: PathBuf::from("/tmp/db.bak"),
                detail: "磁盘".into(),
            },
            vec!["/tmp/db.bak", "磁盘"],
        ),
        (
            StoreError::Open {
                path: p.clone(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            vec!["/tmp/db", "没有这个文件"],
        ),
        (
            StoreError::Write {
                path: p.clone(),
                detail: "坏了".into(),
            },
            vec!["坏了"],
        ),
        (
            StoreError::DiskFull {
                path: p.clone(),
                doing: "写入",
            },
            vec!["/tmp/db"],
        ),
        (
            StoreError::ReadOnly {
                path: p.clone(),
                doing: "写入",
            },
            vec!["/tmp/db"],
        ),
        (
            StoreError::PermissionDenied {
                path: p.clone(),
                doing: "写入",
                detail: "拒绝".into(),
            },
            vec!["拒绝"],
        ),
        (
            StoreError::BadPath {
                path: p.clone(),
                detail: "不是目录".into(),
            },
            vec!["不是目录"],
        ),
        (StoreError::Vanished { path: p.clone() }, vec!["/tmp/db"]),
        (
            StoreError::Unreadable {
                path: p.clone(),
                detail: "乱码".into(),
            },
            vec!["乱码"],
        ),
        (
            StoreError::Corrupt {
                path: p.clone(),
                detail: "乱码".into(),
            },
            vec!["乱码"],
        ),
        (
            StoreError::Backup {
                path: p.clone(),
                backup: PathBuf::from("/tmp/b"),
                detail: "满".into(),
            },
            vec!["/tmp/b"],
        ),
        (
            StoreError::Unrepairable {
                path: p.clone(),
                count: 3,
                list: "T1".into(),
            },
            vec!["3", "T1"],
        ),
        (
            StoreError::NotFound {
                kind: "trainee",
                id: "T7".into(),
            },
            vec!["学员", "T7"],
        ),
        (
            StoreError::DuplicateIdNumber {
                id_number: "321102199001011234".into(),
                existing: TraineeId(7),
            },
            vec!["321102199001011234", "T7"],
        ),
        (
            StoreError::DuplicateName {
                kind: "institution",
                name: "镇江技工学校".into(),
                existing: "I3".into(),
            },
            vec!["镇江技工学校", "I3", "培训机构"],
        ),
        (
            StoreError::ClassFull {
                class: ClassId(451),
                used: 30,
                capacity: 30,
            },
            vec!["C451", "30"],
        ),
        (
            StoreError::ClassClosed {
                class: ClassId(542),
                status: ClassStatus::Finished,
            },
            vec!["C542", "已结业"],
        ),
        (
            StoreError::AlreadyEnrolled {
                trainee: TraineeId(6693),
                class: ClassId(451),
                case: CaseId(20001),
            },
            vec!["T6693", "C451", "K20001"],
        ),
        (
            StoreError::DemandUnavailable {
                demand: DemandId(12),
                why: Unavailable::Taken {
                    headcount: 5,
                    referred: 2,
                    hired: 3,
                },
            },
            vec!["D12", "5", "2", "3"],
        ),
        (
            StoreError::DemandUnavailable {
                demand: DemandId(12),
                why: Unavailable::Status(DemandStatus::Closed),
            },
            vec!["D12", "已关闭"],
        ),
        (
            StoreError::LevelTooLow {
                demand: DemandId(12),
                required: SkillLevel::L3,
                has: SkillLevel::L5,
            },
            vec!["D12", SkillLevel::L3.zh(), SkillLevel::L5.zh()],
        ),
        (
            StoreError::CapacityBelowEnrolled {
                class: ClassId(4),
                capacity: 10,
                used: 12,
            },
            vec!["C4", "10", "12"],
        ),
        (
            StoreError::Transition {
                case: CaseId(9),
                source: TransitionError::ReasonMissing,
            },
            vec!["K9"],
        ),
        (
            StoreError::Invalid(ValidationError {
                record: RecordRef::Demand(DemandId(3)),
                field: "headcount",
                value: "0".into(),
                reason: Breach::AtLeast { min: 1 },
            }),
            vec!["D3", "需求人数", "0", "1"],
        ),
        (
            StoreError::Rule(RuleError::PassBelowMark {
                theory: 50,
                practical: 70,
            }),
            vec!["50", "70", "60"],
        ),
        (
            StoreError::Denied(Denied::RevealLimit {
                who: "wang.fang".into(),
                role: Role::Operator,
                used: 50,
                limit: 50,
            }),
            vec!["wang.fang", "50"],
        ),
    ];
    for (e, keys) in cases {
        chinese(e.say(Lang::Zh), &keys);
        assert_eq!(e.say(Lang::En), e.to_string());
    }
}

#[test]
fn rule_errors() {
    let c = ClassId(451);
    let cases: Vec<(RuleError, Vec<&str>)> = vec![
        (
            RuleError::BeforeStart { class: c, start: day() },
            vec!["C451", "2025-09-01"],
        ),
        (
            RuleError::BeforeEnd { class: c, end: day() },
            vec!["C451", "2025-09-01"],
        ),
        (
            RuleError::FailWithPassingScores {
                theory: 80,
                practical: 75,
            },
            vec!["80", "75"],
        ),
        (
            RuleError::PassBelowMark {
                theory: 0,
                practical: 0,
            },
            vec!["60"],
        ),
        (
            RuleError::TooYoung {
                age: 15,
                min: 16,
                on: day(),
            },
            vec!["15", "16", "2025-09-01"],
        ),
        (
            RuleError::TooYoungForSpecial {
                age: 17,
                min: 18,
                on: day(),
                trade: "焊工",
            },
            vec!["17", "18", "焊工"],
        ),
        (
            RuleError::EnrollmentClosed {
                class: c,
                last: day(),
                status: Closed::Finished,
            },
            vec!["C451", "2025-09-01", "已结业"],
        ),
        (
            RuleError::AlreadyActive {
                case: CaseId(20001),
                class: c,
            },
            vec!["C451", "K20001"],
        ),
    ];
    for (e, keys) in cases {
        chinese(e.say(Lang::Zh), &keys);
    }
    for c in [Closed::Cancelled, Closed::Finished, Closed::PastWindow, Closed::NotOpen] {
        chinese(c.say(Lang::Zh), &[]);
    }
    let w = Warning::PastRetirement {
        age: 61,
        on: day(),
        retires_at: (60, 3),
    };
    chinese(w.say(Lang::Zh), &["61", "60", "3"]);
}

#[test]
fn transition_errors() {
    let cases: Vec<(TransitionError, Vec<&str>)> = vec![
        (
            TransitionError::Illegal {
                state: CaseState::Certified(SkillLevel::L4),
                attempted: MoveKind::StartTraining,
                legal: vec![MoveKind::Refer, MoveKind::Withdraw],
            },
            vec!["已取证", "开始培训", "推荐岗位", "退训"],
        ),
        (
            TransitionError::Illegal {
                state: CaseState::Withdrawn,
                attempted: MoveKind::Hire,
                legal: vec![],
            },
            vec!["已退训", "已办结"],
        ),
        (
            TransitionError::ScoreOutOfRange {
                what: "theory",
                value: 120,
            },
            vec!["理论", "120", "100"],
        ),
        (
            TransitionError::PassBelowMark {
                theory: 59,
                practical: 80,
            },
            vec!["59", "80"],
        ),
        (
            TransitionError::PanelRequired(SkillLevel::L2),
            vec![SkillLevel::L2.zh()],
        ),
        (
            TransitionError::FailAboveMark {
                theory: 90,
                practical: 90,
            },
            vec!["90"],
        ),
        (TransitionError::CertificateMissing, vec!["证书"]),
        (TransitionError::ReasonMissing, vec!["原因"]),
    ];
    for (e, keys) in cases {
        chinese(e.say(Lang::Zh), &keys);
    }
}

#[test]
fn field_rules() {
    let all = [
        Breach::Empty,
        Breach::TooLong { max: 60 },
        Breach::Control,
        Breach::Stars,
        Breach::AtLeast { min: 1 },
        Breach::AtMost { max: 10_000 },
        Breach::AboveMaxWage { max: 8000 },
        Breach::NotAfterStart { start: day() },
        Breach::ProjectNeedsDemand,
        Breach::OnlyProjectLinks,
        Breach::NoSuch { what: "region", max: 9 },
        Breach::BelowTaken { taken: 4 },
    ];
    for b in all {
        let e = ValidationError {
            record: RecordRef::Class(ClassId(8)),
            field: "end",
            value: "2025-08-01".into(),
            reason: b,
        };
        chinese(e.say(Lang::Zh), &["培训班", "C8", "结业时间", "2025-08-01"]);
    }
}

#[test]
fn access_refusals() {
    let role = Denied::Role {
        who: "wang.fang".into(),
        role: Role::Operator,
        action: Action::Import,
        needs: Role::Supervisor,
    };
    chinese(role.say(Lang::Zh), &["wang.fang", "导入表格", "主管"]);
    let trainee = crate::domain::access::Subject {
        kind: crate::domain::Kind::Trainees,
        key: "T12".into(),
        name: Some("王芳".into()),
    };
    let district = Denied::District {
        who: "wang.fang".into(),
        districts: Some(vec![crate::domain::RegionId(3)]),
        action: Action::Correct,
        what: trainee.clone(),
        district: crate::domain::RegionId(0),
    };
    chinese(
        district.say(Lang::Zh),
        &["wang.fang", "321181 丹阳市", "学员 T12 王芳", "321102 京口区"],
    );
    let every = Denied::District {
        who: "wang.fang".into(),
        districts: None,
        action: Action::Read,
        what: trainee,
        district: crate::domain::RegionId(99),
    };
    chinese(every.say(Lang::Zh), &["全部区域", "区域 99"]);
}

#[test]
fn numbers_and_kinds() {
    let ids = [
        IdNumberError::Empty,
        IdNumberError::WrongLength {
            value: "3211".into(),
            len: 4,
        },
        IdNumberError::NotDigit {
            value: "32110A".into(),
            pos: 6,
            ch: 'A',
        },
        IdNumberError::BadDate {
            value: "321102199013011234".into(),
            date: "1990-13-01".into(),
        },
        IdNumberError::FutureDate {
            value: "321102209001011234".into(),
            date: "2090-01-01".into(),
        },
        IdNumberError::WrongCheck {
            value: "321102199001011235".into(),
            found: '5',
            expected: '4',
        },
    ];
    for e in ids {
        chinese(e.say(Lang::Zh), &["身份证号"]);
    }
    let mobiles = [
        MobileError::Empty,
        MobileError::NotDigit {
            value: "139a".into(),
            ch: 'a',
        },
        MobileError::WrongLength {
            value: "139".into(),
            len: 3,
        },
        MobileError::WrongPrefix {
            value: "12912345678".into(),
        },
    ];
    for e in mobiles {
        chinese(e.say(Lang::Zh), &["手机号"]);
    }
    chinese(UnknownKind("cats".into()).say(Lang::Zh), &["“cats”"]);
}

#[test]
fn import_errors_and_lines() {
    let p = PathBuf::from("/tmp/bad.csv");
    let store = |e: StoreError| Box::new(e);
    chinese(
        ImportError::NotImportable(UnknownKind("cats".into())).say(Lang::Zh),
        &["“cats”"],
    );
    let errors = vec![
        ImportError::Table(TableError::Utf16 { path: p.clone() }),
        ImportError::MissingColumns {
            path: p.clone(),
            line: 1,
            kind: Kind::Trainees,
            missing: "身份证号".into(),
            have: "姓名".into(),
        },
        ImportError::DuplicateColumn {
            path: p.clone(),
            line: 1,
            first: "姓名".into(),
            second: "名字".into(),
            column: "姓名".into(),
        },
        ImportError::Invalid {
            path: p.clone(),
            count: 2,
            rows: 5,
        },
        ImportError::RejectsIsInput {
            path: p.clone(),
            rejects: p.clone(),
        },
        ImportError::Rejects {
            path: p.clone(),
            rejects: PathBuf::from("/tmp/r.csv"),
            source: std::io::Error::other("满"),
        },
        ImportError::Store(store(StoreError::Vanished { path: p.clone() })),
        ImportError::Write {
            path: p.clone(),
            line: 7,
            written: 2000,
            batch: 2000,
            source: store(StoreError::Vanished { path: p.clone() }),
        },
    ];
    for e in errors {
        chinese(e.say(Lang::Zh), &["/tmp/bad.csv"]);
    }
    let tables = vec![
        TableError::Io {
            path: p.clone(),
            source: std::io::Error::other("无"),
        },
        TableError::Empty {
            path: p.clone(),
            expected: "姓名".into(),
            what: "trainee",
        },
        TableError::Encoding {
            path: p.clone(),
            offset: 3,
            byte: 0xff,
        },
        TableError::Utf16 { path: p.clone() },
        TableError::OldExcel { path: p.clone() },
        TableError::Csv {
            path: p.clone(),
            row: 3,
            detail: "引号".into(),
        },
        TableError::Xlsx {
            path: p.clone(),
            detail: "坏".into(),
        },
        TableError::Json {
            path: p.clone(),
            detail: "坏".into(),
        },
        TableError::TooLarge {
            path: p.clone(),
            excess: Excess::Cells { found: 9, limit: 8 },
        },
        TableError::NoSheet {
            path: p.clone(),
            sheet: "表2".into(),
            sheets: "表1".into(),
        },
        TableError::SheetOfText {
            path: p.clone(),
            sheet: "表2".into(),
        },
        TableError::NoHeader {
            path: p.clone(),
            kind: Kind::Trainees,
            scanned: 10,
            first: "甲".into(),
            expected: "姓名".into(),
            sheets: String::new(),
        },
    ];
    for e in tables {
        chinese(e.say(Lang::Zh), &["/tmp/bad.csv"]);
    }
    chinese(
        TableError::Format {
            path: p.clone(),
            ext: "txt".into(),
        }
        .say(Lang::Zh),
        &["“txt”"],
    );
    let excesses = [
        Excess::FileBytes {
            found: 9_000_000,
            limit: 8_000_000,
        },
        Excess::Unpacked {
            found: 9_000_000,
            limit: 8_000_000,
        },
        Excess::Parts { found: 9, limit: 8 },
        Excess::Cells { found: 9, limit: 8 },
        Excess::Cell {
            cell: "ZZ9".into(),
            limit_rows: 8,
            limit_columns: 3,
        },
        Excess::SharedStrings { declared: 9, bytes: 8 },
    ];
    for x in excesses {
        chinese(x.say(Lang::Zh), &["8"]);
    }
    let whys = [
        Why::Breach(Breach::Empty),
        Why::IdNumber(IdNumberError::Empty),
        Why::Mobile(MobileError::Empty),
        Why::ExcelRounded,
        Why::Required {
            column: "身份证号",
            about: "the resident ID",
        },
        Why::Repeats {
            first: 2,
            kind: Kind::Trainees,
        },
        Why::NoRecord {
            kind: Kind::Institutions,
            near: vec!["镇江技工学校".into()],
            count: 3,
        },
        Why::NoRecord {
            kind: Kind::Enterprises,
            near: vec![],
            count: 3,
        },
        Why::SeatsTaken { used: 12 },
        Why::SeveralDemands {
            trade: "焊工",
            region: "京口区",
            ids: vec!["D1".into(), "D2".into()],
        },
        Why::SeveralClasses {
            ids: vec!["C1".into(), "C2".into()],
        },
        Why::NoDemand {
            code: "D9".into(),
            near: vec!["D90".into()],
        },
        Why::Unresolved(crate::io::resolve::region("润洲区").unwrap_err()),
        Why::Unresolved(crate::io::resolve::occupation("养老护理").unwrap_err()),
        Why::Unresolved(crate::io::resolve::occupations("焊工、养老护理").unwrap_err()),
        Why::Unresolved(crate::io::resolve::program("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::alliance("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::level("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::post_kind("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::class_kind("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::class_status("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::demand_status("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::date("x").unwrap_err()),
        Why::Unresolved(crate::io::resolve::date("1800-01-01").unwrap_err()),
        Why::Unresolved(crate::io::resolve::date("2025-02-30").unwrap_err()),
        Why::Unresolved(crate::io::resolve::number("0", 1, 10).unwrap_err()),
        Why::Unresolved(crate::io::resolve::number("x", 1, 10).unwrap_err()),
        Why::Unresolved(crate::io::resolve::stars("x").unwrap_err()),
    ];
    for w in whys {
        let r = Reject {
            line: 3,
            problems: vec![Problem {
                column: "身份证号".into(),
                value: "1".into(),
                reason: w,
            }],
            cells: vec![],
        };
        for line in reject_lines(&r, &p, Lang::Zh) {
            chinese(line, &["/tmp/bad.csv:3", "身份证号"]);
        }
    }
    let d = Diff {
        line: 4,
        kind: Kind::Trainees,
        id: 12,
        name: "李静".into(),
        fields: vec![FieldChange {
            column: "姓名".into(),
            old: "李静".into(),
            new: "李晶".into(),
        }],
        identity: true,
    };
    chinese(
        diff(&d, &p, Lang::Zh),
        &["/tmp/bad.csv:4", "学员 12", "'李静' → '李晶'"],
    );
    let report = Report {
        kind: Kind::Trainees,
        path: p.clone(),
        rows: 5,
        added: 2,
        updated: 1,
        held: 1,
        unchanged: 1,
        rejected: 1,
        written: false,
        rejects_file: Some(PathBuf::from("/tmp/r.csv")),
    };
    chinese(report.say(Lang::Zh), &["/tmp/bad.csv", "5", "/tmp/r.csv"]);
}

/// The rule the tests use must catch a real English message.
#[test]
fn the_check_sees_english() {
    assert!(
        !english(
            &StoreError::ClassFull {
                class: ClassId(1),
                used: 1,
                capacity: 1
            }
            .to_string()
        )
        .is_empty()
    );
}

#[test]
fn reader_notes_and_unknown_columns() {
    let notes = [
        Note::WorkbookNamed { ext: "csv".into() },
        Note::HeaderSpans { top: 1, bottom: 2 },
        Note::TitleRow { row: 1 },
        Note::TitleRows { first: 1, last: 2 },
        Note::NoHeader { column: "F".into() },
        Note::Encoding { encoding: "GBK".into() },
        Note::Sheet {
            sheet: "表1".into(),
            listed: "表1、表2".into(),
        },
        Note::FirstSheet {
            sheet: "表1".into(),
            listed: "表1、表2".into(),
        },
        Note::Merged { count: 3 },
        Note::Json,
    ];
    for n in notes {
        chinese(n.say(Lang::Zh), &[]);
    }
    let w = UnknownColumn {
        path: PathBuf::from("/tmp/bad.csv"),
        line: 1,
        header: "性别".into(),
        letter: "C".into(),
        near: vec!["姓名".into()],
    };
    chinese(w.say(Lang::Zh), &["/tmp/bad.csv:1", "性别", "C", "姓名"]);
}
