//! Training subsidies (#21) on a hand-made city: a claim built from a
//! finished class's roster, each person's verdict, the review with the
//! four-eyes rule, the ledger, `check`, and `report --format json`'s
//! `subsidy` totals per state and per program.

use crate::common::*;
use serde_json::Value;
use skillbridge::domain::subsidy::{ClaimId, ClaimState, Ineligible, Step, Verdict};
use skillbridge::domain::*;
use skillbridge::service::Actor;
use skillbridge::store::StoreError;

pub(crate) use crate::common::subsidy::open;

#[test]
fn a_claim_walks_from_draft_to_paid_and_the_ledger_follows() {
    let dir = tempfile::tempdir().unwrap();
    let (svc, t) = open(dir.path());
    let filer = Actor::operator("机构.李");
    let first = Actor::new("审核.王", skillbridge::domain::access::Role::Supervisor);
    let second = Actor::new("复核.赵", skillbridge::domain::access::Role::Supervisor);

    // The earlier class's claim goes through first: person 4 is then subsidized.
    let early = svc.build_claim(t.earlier, &filer).unwrap();
    svc.claim_step(early.id, Step::File, &filer).unwrap();

    let c = svc.build_claim(t.class, &filer).unwrap();
    assert_eq!(c.state, ClaimState::Draft);
    assert!(c.sample, "the shipped table is a sample");
    let verdict = |p: usize| {
        c.lines
            .iter()
            .find(|l| l.trainee == t.people[p])
            .unwrap()
            .verdict
            .clone()
    };
    assert_eq!(verdict(0), Verdict::Eligible { base: 1200, uplift: 0 });
    assert_eq!(
        verdict(1),
        Verdict::Eligible {
            base: 1200,
            uplift: 240
        }
    );
    assert_eq!(verdict(2), Verdict::Ineligible(Ineligible::NotCertified));
    assert_eq!(
        verdict(3),
        Verdict::Ineligible(Ineligible::AlreadySubsidized { claim: early.id })
    );
    assert_eq!(c.total(), 1200 + 1440 + 1200);

    // A second claim for the class is refused; so is a review of a draft.
    assert!(matches!(
        svc.build_claim(t.class, &filer),
        Err(StoreError::Subsidy(
            skillbridge::domain::subsidy::SubsidyError::ClassHasClaim { .. }
        ))
    ));
    assert!(matches!(
        svc.claim_step(c.id, Step::FirstApprove, &first),
        Err(StoreError::Subsidy(
            skillbridge::domain::subsidy::SubsidyError::Illegal { .. }
        ))
    ));
    // An operator may file but not review.
    svc.claim_step(c.id, Step::File, &filer).unwrap();
    assert!(matches!(
        svc.claim_step(c.id, Step::FirstApprove, &filer),
        Err(StoreError::Denied(_))
    ));
    svc.claim_step(c.id, Step::FirstApprove, &first).unwrap();
    // Four eyes: 初审's reviewer may not do 复核.
    assert!(matches!(
        svc.claim_step(c.id, Step::SecondApprove, &first),
        Err(StoreError::Subsidy(
            skillbridge::domain::subsidy::SubsidyError::SameReviewer { .. }
        ))
    ));
    // Returned with a reason: back to draft, filed again, reviewed again.
    let back = svc
        .claim_step(
            c.id,
            Step::Return {
                reason: "缺结业证书复印件".into(),
            },
            &second,
        )
        .unwrap();
    assert_eq!(back.state, ClaimState::Draft);
    assert_eq!(back.returned.as_deref(), Some("缺结业证书复印件"));
    svc.claim_step(c.id, Step::File, &filer).unwrap();
    svc.claim_step(c.id, Step::FirstApprove, &first).unwrap();
    svc.claim_step(c.id, Step::SecondApprove, &second).unwrap();
    let before = skillbridge::figures::subsidy::compute(&svc.read().data);
    let paid = svc.claim_step(c.id, Step::Pay, &first).unwrap();
    assert_eq!(paid.state, ClaimState::Paid);
    assert!(matches!(
        svc.claim_step(c.id, Step::Pay, &first),
        Err(StoreError::Subsidy(
            skillbridge::domain::subsidy::SubsidyError::Illegal { .. }
        ))
    ));

    // Every step is an event with its operator.
    let ev = svc.claim_events(c.id).unwrap();
    let steps: Vec<(&str, &str)> = ev.iter().map(|e| (e.step.name(), e.operator.as_str())).collect();
    assert_eq!(
        steps,
        [
            ("build", "机构.李"),
            ("file", "机构.李"),
            ("first_approve", "审核.王"),
            ("return", "复核.赵"),
            ("file", "机构.李"),
            ("first_approve", "审核.王"),
            ("second_approve", "复核.赵"),
            ("pay", "审核.王"),
        ]
    );

    // The figures: 3 approved subsidized trainings; person 4's earlier
    // class is certified with its claim pending.
    let f = skillbridge::figures::subsidy::compute(&svc.read().data);
    assert_eq!(before.approved, 3);
    assert_eq!(f.approved, 3);
    assert_eq!(f.pending, 1);
    assert_eq!(f.totals.paid.amount, 3840);
    assert_eq!(f.totals.returned.people, 1);
    assert_eq!(f.totals.claimed.amount, 3840 + 1200);
    let report = svc.check_as(&Actor::admin("t")).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn report_json_has_subsidy_totals_per_state_and_program() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let (svc, t) = open(dir.path());
        let a = Actor::admin("甲");
        let b = Actor::admin("乙");
        let c = Actor::admin("丙");
        let early = svc.build_claim(t.earlier, &a).unwrap();
        svc.claim_step(early.id, Step::File, &a).unwrap();
        let k = svc.build_claim(t.class, &a).unwrap();
        for (step, by) in [(Step::File, &a), (Step::FirstApprove, &b), (Step::SecondApprove, &c)] {
            svc.claim_step(k.id, step, by).unwrap();
        }
    }
    let out = run_bin(&["report", "--format", "json"], &db);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["subsidy"];
    assert_eq!(s["goal"], 80_000);
    assert_eq!(s["approved"], 3);
    assert_eq!(s["pending"], 1);
    assert_eq!(s["with_pending"], 4);
    assert_eq!(s["sample_standard"], true);
    let state = |name: &str| {
        s["by_state"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["state"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(state("filed")["claims"], 1);
    assert_eq!(state("filed")["amount"], 1200);
    assert_eq!(state("second_passed")["people"], 3);
    assert_eq!(state("second_passed")["amount"], 3840);
    assert_eq!(state("paid")["claims"], 0);
    let program = |id: u64| {
        s["by_program"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(program(1)["approved"]["amount"], 3840);
    assert_eq!(program(2)["claimed"]["amount"], 1200);
    assert_eq!(program(2)["approved"]["amount"], 0);
    assert_eq!(s["by_program"].as_array().unwrap().len(), PROGRAMS.len());
    // The same totals in CSV and Markdown.
    let csv = String::from_utf8(run_bin(&["report", "--format", "csv"], &db).stdout).unwrap();
    assert!(
        csv.contains("subsidy,target,补贴性培训,subsidized trainings,approved,3"),
        "{csv}"
    );
    assert!(csv.contains("subsidy_states,second_passed,复核通过,second_passed,amount,3840"));
    let md = String::from_utf8(run_bin(&["report", "--format", "md", "--lang", "zh"], &db).stdout).unwrap();
    assert!(md.contains("## 培训补贴") && md.contains("示例标准"), "{md}");
    assert!(md.contains("| 复核通过 | 1 | 3 | 3,840 |"), "{md}");
    let (ok, text) = run_cli(&["check"], &db);
    assert!(ok, "{text}");
}

#[test]
fn the_claims_command_walks_a_claim_and_exports_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let class = {
        let (_svc, t) = open(dir.path());
        t.class
    };
    let as_ = |who: &str, args: &[&str]| {
        let mut all = vec!["--operator", who];
        all.extend_from_slice(args);
        run_cli(&all, &db)
    };
    let (ok, text) = as_("li", &["claims", "build", &class.to_string()]);
    assert!(ok, "{text}");
    let id = text.split('\t').next().unwrap().to_string();
    assert!(id.starts_with('S'), "{text}");
    assert!(as_("li", &["claims", "file", &id]).0);
    assert!(as_("wang", &["claims", "first", &id]).0);
    let (ok, text) = as_("wang", &["claims", "second", &id]);
    assert!(!ok);
    assert!(text.contains("second reviewer"), "{text}");
    assert!(as_("zhao", &["claims", "second", &id]).0);
    let (ok, text) = as_("zhao", &["claims", "pay", &id]);
    assert!(ok && text.contains("paid"), "{text}");
    let out = dir.path().join("roster.csv");
    let (ok, text) = as_("zhao", &["claims", "export", "--out", out.to_str().unwrap()]);
    assert!(ok, "{text}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("申报编号") || csv.contains("claim"), "{csv}");
    assert!(csv.contains("sample standard") || csv.contains("示例标准"));
    assert!(
        !csv.contains(&id_number(1).as_str().to_string()),
        "whole ID numbers in the roster"
    );
    // A bad table is refused with its row; a good one replaces the sample.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[standard]]\noccupation = \"焊工\"\nlevel = 9\namount = 100\n").unwrap();
    let (ok, text) = as_("zhao", &["import", "standards", bad.to_str().unwrap()]);
    assert!(!ok && text.contains("row 1") && text.contains("level 9"), "{text}");
    let good = dir.path().join("city.toml");
    std::fs::write(
        &good,
        "sample = false\nsecond_reviewer = false\n[[standard]]\noccupation = \"焊工\"\nlevel = 5\namount = 2000\n",
    )
    .unwrap();
    let (ok, text) = as_("zhao", &["import", "standards", good.to_str().unwrap()]);
    assert!(ok && text.contains("city standard"), "{text}");
    let (ok, text) = run_cli(&["check"], &db);
    assert!(ok, "{text}");
}

/// The demo city (#21): claims in every state, and on their rosters every
/// reason a person is not subsidized — the spring cohort's classes ended
/// long before the demo's date (outside the window), and a few people have
/// earlier subsidized trainings (same occupation and level; the yearly
/// limit). `check` stays clean.
#[test]
fn the_demo_city_shows_every_ineligibility_reason_and_every_claim_state() {
    let dir = tempfile::tempdir().unwrap();
    let store = skillbridge::store::Store::open(dir.path()).unwrap();
    skillbridge::demo::build(&store, &skillbridge::demo::Options::default()).unwrap();
    let claims = store.claims().unwrap();
    let reasons: Vec<&Ineligible> = claims
        .iter()
        .flat_map(|c| &c.lines)
        .filter_map(|l| match &l.verdict {
            Verdict::Ineligible(i) => Some(i),
            Verdict::Eligible { .. } => None,
        })
        .collect();
    // Every reason, by an exhaustive match: a new reason must be added here.
    let kind = |i: &Ineligible| match i {
        Ineligible::NotSubsidizedClass => 0,
        Ineligible::NotCertified => 1,
        Ineligible::AlreadySubsidized { .. } => 2,
        Ineligible::YearLimit { .. } => 3,
        Ineligible::OutsideWindow { .. } => 4,
        Ineligible::NoStandard => 5,
    };
    for (k, name) in [
        "not_subsidized_class",
        "not_certified",
        "already_subsidized",
        "year_limit",
        "outside_window",
        "no_standard",
    ]
    .into_iter()
    .enumerate()
    {
        assert!(
            reasons.iter().any(|i| kind(i) == k && i.code() == name),
            "no line of the demo's claims is ineligible for {name}"
        );
    }
    // The earlier subsidy named is a real claim that counts.
    for i in &reasons {
        if let Ineligible::AlreadySubsidized { claim } = i {
            let held = claims.iter().find(|c| c.id == *claim).expect("the claim named exists");
            assert!(held.state.counts(), "{claim} is filed");
        }
        if let Ineligible::YearLimit { year, count } = i {
            assert_eq!((*year, *count), (2025, 3));
        }
    }
    for s in ClaimState::ALL {
        assert!(claims.iter().any(|c| c.state == s), "no demo claim is {}", s.en());
    }
    assert!(
        claims
            .iter()
            .any(|c| c.state == ClaimState::Draft && c.returned.is_some())
    );
    let report = store.check();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A claim built and filed for the finished class of a new city in `dir`,
/// which `check` then finds clean.
fn filed_claim(dir: &std::path::Path) -> ClaimId {
    let (svc, t) = open(dir);
    let filer = Actor::operator("机构.李");
    let c = svc.build_claim(t.earlier, &filer).unwrap();
    svc.claim_step(c.id, Step::File, &filer).unwrap();
    assert!(svc.check().problems.is_empty());
    c.id
}

/// `check` finds a subsidy index that differs from the claims, and
/// `check --repair` rebuilds it from them (after its backup) and says so.
#[test]
fn check_repair_rebuilds_the_subsidy_index_from_the_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    filed_claim(dir.path());
    let index = |path: &std::path::Path| -> Vec<(Vec<u8>, Vec<u8>)> {
        let raw = raw_open(path);
        raw.open_tree("subsidy_index")
            .unwrap()
            .iter()
            .map(|x| x.unwrap())
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect()
    };
    let good = index(&path);
    assert!(good.len() >= 3, "class, held and year entries: {good:?}");
    {
        let raw = raw_open(&path);
        let t = raw.open_tree("subsidy_index").unwrap();
        t.clear().unwrap();
        t.insert(b"Zstray", &[1u8]).unwrap();
        raw.flush().unwrap();
    }
    let (ok, text) = run_cli(&["check"], &path);
    assert!(!ok, "{text}");
    assert!(text.contains("subsidy index differs"), "{text}");
    let (ok, text) = run_cli(&["check", "--repair"], &path);
    assert!(ok, "{text}");
    assert!(text.contains("repaired subsidy_index"), "{text}");
    assert!(text.contains("check finds no problems"), "{text}");
    assert_eq!(index(&path), good);
    let (ok, text) = run_cli(&["check"], &path);
    assert!(ok, "{text}");
    // Nothing left to do: a second repair changes nothing.
    let (ok, text) = run_cli(&["check", "--repair"], &path);
    assert!(ok && text.contains("nothing to repair"), "{text}");
}

/// `check` in Chinese says what it finds in the subsidy claims and the
/// training wishes in Chinese: their trees by name, the problems by
/// template, never the English quoted as a message it does not know.
#[test]
fn check_says_subsidy_and_wish_problems_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let claim = filed_claim(dir.path());
    {
        let raw = raw_open(&path);
        let index = raw.open_tree("subsidy_index").unwrap();
        index.clear().unwrap();
        index.insert(b"Zstray", &[1u8]).unwrap();
        // The claim's filing overwritten by its build: a build cannot follow
        // a draft, the second step says it is the first, and the state is
        // no longer what the last step left.
        let events = raw.open_tree("subsidy_events").unwrap();
        let steps: Vec<_> = events.scan_prefix(claim.0.to_be_bytes()).map(|x| x.unwrap()).collect();
        assert_eq!(steps.len(), 2, "built and filed");
        events.insert(&steps[1].0, &steps[0].1).unwrap();
        raw.open_tree("wish_waiting")
            .unwrap()
            .insert(b"Zstray", &999u64.to_be_bytes())
            .unwrap();
        raw.flush().unwrap();
    }
    let (ok, en) = run_cli(&["check"], &path);
    assert!(!ok, "{en}");
    for said in [
        "the subsidy index differs from the claims",
        "built cannot follow a draft claim",
        "out of sequence (expected 1)",
        "state differs from its last event",
        "'wish_waiting' names wish",
    ] {
        assert!(en.contains(said), "{said}: {en}");
    }
    let (ok, zh) = run_cli(&["check", "--lang", "zh"], &path);
    assert!(!ok, "{zh}");
    for said in [
        "补贴索引：补贴索引与申报不一致",
        "补贴申报经办记录 ",
        "「生成申报」不能接在「草稿」的申报之后",
        "顺序不对（应为第 1 条）",
        "补贴申报 ",
        "状态与最后一条经办记录不一致",
        "意愿排队索引：意愿排队索引中列有已不在排队的培训意愿",
    ] {
        assert!(zh.contains(said), "{said}: {zh}");
    }
    for english in [
        "原始信息",
        "differs",
        "cannot follow",
        "names wish",
        "subsidy_",
        "wish_waiting",
    ] {
        assert!(!zh.contains(english), "{english}: {zh}");
    }
}
