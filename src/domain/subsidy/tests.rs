use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn welder() -> OccupationId {
    occupation_named("焊工").unwrap()
}

fn lathe() -> OccupationId {
    occupation_named("车工").unwrap()
}

fn class() -> ClassFacts {
    ClassFacts {
        kind: ClassKind::Subsidized,
        occupation: welder(),
        end: d(2025, 9, 30),
    }
}

fn cand(n: u64, level: Option<SkillLevel>) -> Candidate {
    Candidate {
        case: CaseId(100 + n),
        trainee: TraineeId(n),
        certified: level,
        key_group: None,
    }
}

fn one(standards: &Standards, class: &ClassFacts, filed: NaiveDate, c: Candidate, prior: &Prior) -> Verdict {
    assess(standards, class, filed, &[c], prior).remove(0).verdict
}

#[test]
fn the_shipped_table_reads_and_is_a_sample() {
    let s = Standards::sample();
    assert!(s.sample);
    assert_eq!(s.window_days, 90);
    assert_eq!(s.max_per_year, 3);
    assert!(s.second_reviewer);
    assert!(s.rows.len() > 10);
    assert_eq!(
        parse_standards(SAMPLE_STANDARDS, "x").unwrap(),
        s.clone().with_source("x")
    );
}

impl Standards {
    fn with_source(mut self, s: &str) -> Standards {
        self.source = s.into();
        self
    }
}

#[test]
fn an_occupation_row_wins_over_its_group_and_uplift_adds_a_percent() {
    let s = Standards::sample();
    assert_eq!(s.base(welder(), SkillLevel::L5), Some(1200));
    // 车工 has no row of its own: the machining group's.
    assert_eq!(s.base(lathe(), SkillLevel::L4), Some(1400));
    assert_eq!(s.base(welder(), SkillLevel::L1), None);
    assert_eq!(
        s.amount(welder(), SkillLevel::L5, Some("就业困难人员")),
        Some((1200, 240))
    );
    assert_eq!(s.amount(welder(), SkillLevel::L5, Some("退役军人")), Some((1200, 0)));
}

#[test]
fn a_bad_table_names_the_row_and_what_is_accepted() {
    let bad = |t: &str| parse_standards(t, "f.toml").unwrap_err();
    assert!(matches!(bad("nonsense = 1"), StandardsError::Toml { .. }));
    assert!(matches!(
        bad("[[standard]]\noccupation = \"宇航员\"\nlevel = 5\namount = 1"),
        StandardsError::UnknownOccupation { row: 1, .. }
    ));
    assert!(matches!(
        bad("[[standard]]\nlevel = 5\namount = 1"),
        StandardsError::Target { what: "neither", .. }
    ));
    assert!(matches!(
        bad("[[standard]]\noccupation = \"焊工\"\ngroup = \"6-18-01\"\nlevel = 5\namount = 1"),
        StandardsError::Target { what: "both", .. }
    ));
    assert!(matches!(
        bad("[[standard]]\noccupation = \"焊工\"\nlevel = 6\namount = 1"),
        StandardsError::Level { level: 6, .. }
    ));
    assert!(matches!(
        bad("[[standard]]\noccupation = \"焊工\"\nlevel = 5\namount = 0"),
        StandardsError::Amount { amount: 0, .. }
    ));
    assert!(matches!(
        bad(
            "[[standard]]\noccupation = \"焊工\"\nlevel = 5\namount = 1\n[[standard]]\noccupation = \"焊工\"\nlevel = 5\namount = 2"
        ),
        StandardsError::Duplicate { row: 2, first: 1, .. }
    ));
    assert!(matches!(
        bad("[[uplift]]\nkey_group = \"x\"\npercent = 0"),
        StandardsError::Uplift { .. }
    ));
    assert!(matches!(
        bad("window_days = 0"),
        StandardsError::Setting {
            field: "window_days",
            ..
        }
    ));
    assert!(matches!(
        bad("max_per_year = 13"),
        StandardsError::Setting {
            field: "max_per_year",
            ..
        }
    ));
    let real = parse_standards("sample = false", "city.toml").unwrap();
    assert!(!real.sample);
}

#[test]
fn eligible_when_certified_in_a_subsidized_class_in_time() {
    let s = Standards::sample();
    let v = one(
        &s,
        &class(),
        d(2025, 10, 10),
        cand(1, Some(SkillLevel::L5)),
        &Prior::default(),
    );
    assert_eq!(v, Verdict::Eligible { base: 1200, uplift: 0 });
}

#[test]
fn rule_subsidized_class_only() {
    let s = Standards::sample();
    for kind in [ClassKind::Certification, ClassKind::ProjectBased] {
        let c = ClassFacts { kind, ..class() };
        let v = one(
            &s,
            &c,
            d(2025, 10, 10),
            cand(1, Some(SkillLevel::L5)),
            &Prior::default(),
        );
        assert_eq!(v, Verdict::Ineligible(Ineligible::NotSubsidizedClass));
    }
}

#[test]
fn rule_certified_in_the_class() {
    let s = Standards::sample();
    let v = one(&s, &class(), d(2025, 10, 10), cand(1, None), &Prior::default());
    assert_eq!(v, Verdict::Ineligible(Ineligible::NotCertified));
}

#[test]
fn rule_not_twice_for_the_same_occupation_and_level() {
    let s = Standards::sample();
    let mut prior = Prior::default();
    prior.held.insert((TraineeId(1), welder(), SkillLevel::L5), ClaimId(7));
    let v = one(&s, &class(), d(2025, 10, 10), cand(1, Some(SkillLevel::L5)), &prior);
    assert_eq!(
        v,
        Verdict::Ineligible(Ineligible::AlreadySubsidized { claim: ClaimId(7) })
    );
    // Another level of the same occupation is a new subsidy.
    let v = one(&s, &class(), d(2025, 10, 10), cand(1, Some(SkillLevel::L4)), &prior);
    assert_eq!(v, Verdict::Eligible { base: 1600, uplift: 0 });
}

#[test]
fn rule_at_most_three_a_calendar_year() {
    let s = Standards::sample();
    let mut prior = Prior::default();
    prior.per_year.insert((TraineeId(1), 2025), 3);
    let v = one(&s, &class(), d(2025, 10, 10), cand(1, Some(SkillLevel::L5)), &prior);
    assert_eq!(v, Verdict::Ineligible(Ineligible::YearLimit { year: 2025, count: 3 }));
    // Two in the year leave room for a third; last year's do not count.
    prior.per_year.insert((TraineeId(1), 2025), 2);
    prior.per_year.insert((TraineeId(2), 2024), 3);
    assert!(matches!(
        one(&s, &class(), d(2025, 10, 10), cand(1, Some(SkillLevel::L5)), &prior),
        Verdict::Eligible { .. }
    ));
    assert!(matches!(
        one(&s, &class(), d(2025, 10, 10), cand(2, Some(SkillLevel::L5)), &prior),
        Verdict::Eligible { .. }
    ));
}

#[test]
fn rule_filed_within_the_window() {
    let s = Standards::sample();
    let end = class().end;
    let last = end + chrono::Days::new(90);
    assert!(matches!(
        one(&s, &class(), last, cand(1, Some(SkillLevel::L5)), &Prior::default()),
        Verdict::Eligible { .. }
    ));
    let late = last + chrono::Days::new(1);
    let v = one(&s, &class(), late, cand(1, Some(SkillLevel::L5)), &Prior::default());
    assert_eq!(
        v,
        Verdict::Ineligible(Ineligible::OutsideWindow {
            end,
            filed: late,
            days: 90
        })
    );
}

#[test]
fn rule_no_standard_for_the_level() {
    let s = Standards::sample();
    let v = one(
        &s,
        &class(),
        d(2025, 10, 10),
        cand(1, Some(SkillLevel::L1)),
        &Prior::default(),
    );
    assert_eq!(v, Verdict::Ineligible(Ineligible::NoStandard));
}

#[test]
fn every_reason_reads_in_both_languages() {
    let all = [
        Ineligible::NotSubsidizedClass,
        Ineligible::NotCertified,
        Ineligible::AlreadySubsidized { claim: ClaimId(3) },
        Ineligible::YearLimit { year: 2025, count: 3 },
        Ineligible::OutsideWindow {
            end: d(2025, 1, 1),
            filed: d(2025, 6, 1),
            days: 90,
        },
        Ineligible::NoStandard,
    ];
    let codes: HashSet<&str> = all.iter().map(|i| i.code()).collect();
    assert_eq!(codes.len(), all.len());
    for i in &all {
        assert!(!i.zh().is_empty() && !i.en().is_empty());
        assert!(
            !i.zh().chars().any(|c| c.is_ascii_alphabetic() && c != 'S'),
            "{}",
            i.zh()
        );
    }
}

#[test]
fn every_legal_transition() {
    use ClaimState as S;
    let c = ClaimId(1);
    let reason = "材料不全";
    let r = || Step::Return { reason: reason.into() };
    let legal = [
        (S::Draft, Step::Rebuild, S::Draft),
        (S::Draft, Step::File, S::Filed),
        (S::Filed, Step::FirstApprove, S::FirstPassed),
        (S::FirstPassed, Step::SecondApprove, S::SecondPassed),
        (S::SecondPassed, Step::Pay, S::Paid),
        (S::Filed, r(), S::Draft),
        (S::FirstPassed, r(), S::Draft),
        (S::SecondPassed, r(), S::Draft),
    ];
    for (from, step, to) in &legal {
        assert_eq!(next_claim_state(c, *from, step), Ok(*to), "{from:?} {step:?}");
    }
    // Every other pair is refused, naming the legal steps.
    let steps = Step::each(reason);
    let mut refused = 0;
    for from in ClaimState::ALL {
        for step in &steps {
            if legal.iter().any(|(f, s, _)| f == &from && s == step) {
                continue;
            }
            match next_claim_state(c, from, step) {
                Err(SubsidyError::Illegal { legal, .. }) => {
                    refused += 1;
                    let want = legal_steps(from);
                    if want.is_empty() {
                        assert!(legal.contains("final"));
                    } else {
                        assert_eq!(legal, want.join(", "));
                    }
                }
                other => panic!("{from:?} {step:?}: {other:?}"),
            }
        }
    }
    assert_eq!(refused, 5 * 7 - legal.len());
}

#[test]
fn a_return_needs_a_reason() {
    let c = ClaimId(1);
    let empty = Step::Return { reason: "  ".into() };
    assert_eq!(
        next_claim_state(c, ClaimState::Filed, &empty),
        Err(SubsidyError::ReasonMissing)
    );
    let long = Step::Return {
        reason: "长".repeat(MAX_REASON_CHARS + 1),
    };
    assert_eq!(
        next_claim_state(c, ClaimState::Filed, &long),
        Err(SubsidyError::ReasonTooLong(MAX_REASON_CHARS + 1))
    );
}

fn ev(seq: u32, step: Step, operator: &str) -> ClaimEvent {
    ClaimEvent {
        claim: ClaimId(1),
        seq,
        at: 0,
        operator: operator.into(),
        from: None,
        to: ClaimState::Draft,
        step,
        amount: 0,
    }
}

#[test]
fn four_eyes_when_a_second_reviewer_is_required() {
    let c = ClaimId(1);
    let events = vec![
        ev(0, Step::Build, "机构甲"),
        ev(1, Step::File, "机构甲"),
        ev(2, Step::FirstApprove, "审核乙"),
    ];
    // The filer may not do 初审; the 初审 reviewer may not do 复核.
    assert!(matches!(
        check_reviewer(c, &events[..2], &Step::FirstApprove, "机构甲", true),
        Err(SubsidyError::SameReviewer {
            earlier: Step::File,
            ..
        })
    ));
    assert!(matches!(
        check_reviewer(c, &events, &Step::SecondApprove, "审核乙", true),
        Err(SubsidyError::SameReviewer {
            earlier: Step::FirstApprove,
            ..
        })
    ));
    assert_eq!(check_reviewer(c, &events, &Step::SecondApprove, "复核丙", true), Ok(()));
    // Without the requirement one person may do both; paying is never held.
    assert_eq!(
        check_reviewer(c, &events, &Step::SecondApprove, "审核乙", false),
        Ok(())
    );
    assert_eq!(check_reviewer(c, &events, &Step::Pay, "审核乙", true), Ok(()));
}

fn claim(id: u64, state: ClaimState, lines: Vec<Line>) -> Claim {
    Claim {
        id: ClaimId(id),
        class: ClassId(id),
        institution: InstitutionId(1 + id % 2),
        program: ProgramId((id % 3) as u8),
        occupation: welder(),
        class_end: d(2025, 9, 30),
        quarter: Quarter { year: 2025, q: 3 },
        state,
        lines,
        filed: None,
        standards: "x".into(),
        sample: true,
        returned: None,
        returns: 0,
        returned_amount: 0,
        events: 1,
    }
}

#[test]
fn the_ledger_sums_per_institution_program_and_quarter() {
    let line = |t: u64, ok: bool| Line {
        case: CaseId(t),
        trainee: TraineeId(t),
        level: Some(SkillLevel::L5),
        key_group: None,
        verdict: if ok {
            Verdict::Eligible {
                base: 1000,
                uplift: 200,
            }
        } else {
            Verdict::Ineligible(Ineligible::NotCertified)
        },
    };
    let mut returned = claim(2, ClaimState::Draft, vec![line(3, true)]);
    returned.returns = 1;
    returned.returned_amount = 1200;
    let claims = [
        claim(1, ClaimState::Paid, vec![line(1, true), line(2, false)]),
        returned,
        claim(3, ClaimState::Filed, vec![line(4, true)]),
    ];
    let rows = ledger(&claims);
    let total = ledger_total(&rows);
    assert_eq!(total.claims, 3);
    assert_eq!(
        total.claimed,
        Sum {
            people: 2,
            amount: 2400
        }
    );
    assert_eq!(
        total.approved,
        Sum {
            people: 1,
            amount: 1200
        }
    );
    assert_eq!(
        total.paid,
        Sum {
            people: 1,
            amount: 1200
        }
    );
    assert_eq!(
        total.returned,
        Sum {
            people: 1,
            amount: 1200
        }
    );
    assert_eq!(rows.len(), 3);
}

fn arb_state() -> impl Strategy<Value = ClaimState> {
    prop::sample::select(ClaimState::ALL.to_vec())
}

proptest! {
    /// The ledger's approved amount is the sum of the eligible lines of
    /// approved claims, whatever the claims.
    #[test]
    fn ledger_equals_eligible_lines_of_approved_claims(
        spec in prop::collection::vec((arb_state(), prop::collection::vec((0u64..20, any::<bool>(), 0u32..5000, 0u32..500), 0..8)), 0..12)
    ) {
        let claims: Vec<Claim> = spec.iter().enumerate().map(|(i, (state, lines))| {
            let lines = lines.iter().map(|(t, ok, base, up)| Line {
                case: CaseId(*t),
                trainee: TraineeId(*t),
                level: Some(SkillLevel::L5),
                key_group: None,
                verdict: if *ok { Verdict::Eligible { base: *base, uplift: *up } } else { Verdict::Ineligible(Ineligible::NotCertified) },
            }).collect();
            claim(i as u64 + 1, *state, lines)
        }).collect();
        let total = ledger_total(&ledger(&claims));
        let want: u64 = claims.iter().filter(|c| c.state.approved())
            .flat_map(|c| c.lines.iter()).filter(|l| l.eligible()).map(Line::amount).sum();
        let heads = claims.iter().filter(|c| c.state.approved())
            .flat_map(|c| c.lines.iter()).filter(|l| l.eligible()).count() as u64;
        prop_assert_eq!(total.approved.amount, want);
        prop_assert_eq!(total.approved.people, heads);
        let paid: u64 = claims.iter().filter(|c| c.state == ClaimState::Paid).map(Claim::total).sum();
        prop_assert_eq!(total.paid.amount, paid);
    }

    /// Claims built and filed one after another, each assessed against the
    /// ones filed before it: nobody is subsidized twice for the same
    /// occupation and level, nor more than the yearly limit.
    #[test]
    fn nobody_is_paid_twice_for_the_same_occupation_and_level(
        classes in prop::collection::vec((0usize..3, prop::collection::vec((0u64..6, 4u8..=5), 1..6), 0u32..120, any::<bool>()), 1..14)
    ) {
        let s = Standards::sample();
        let occs = [welder(), lathe(), occupation_named("电工").unwrap()];
        let mut filed: Vec<Claim> = Vec::new();
        for (i, (o, roster, late, returned)) in classes.iter().enumerate() {
            let facts = ClassFacts { kind: ClassKind::Subsidized, occupation: occs[*o], end: d(2025, 6, 30) };
            let roster: Vec<Candidate> = roster.iter().enumerate().map(|(j, (t, lv))| Candidate {
                case: CaseId((i * 10 + j) as u64),
                trainee: TraineeId(*t),
                certified: SkillLevel::from_number(*lv),
                key_group: None,
            }).collect();
            let prior = Prior::of(&filed, None);
            let lines = assess(&s, &facts, facts.end + chrono::Days::new(u64::from(*late)), &roster, &prior);
            let mut c = claim(i as u64 + 1, if *returned { ClaimState::Draft } else { ClaimState::Paid }, lines);
            c.occupation = occs[*o];
            c.class_end = facts.end;
            filed.push(c);
        }
        let mut seen = HashSet::new();
        let mut per_year: BTreeMap<TraineeId, u8> = BTreeMap::new();
        for c in filed.iter().filter(|c| c.state.counts()) {
            for l in c.lines.iter().filter(|l| l.eligible()) {
                prop_assert!(seen.insert((l.trainee, c.occupation, l.level)), "{:?} twice", l.trainee);
                let n = per_year.entry(l.trainee).or_insert(0);
                *n += 1;
                prop_assert!(*n <= s.max_per_year);
            }
        }
    }
}
