//! Hostile input never panics. Every parser and decoder that reads what a
//! person typed, what a file holds or what arrives over the wire gets
//! arbitrary input here (multi-byte text included) and must return a value
//! or an error, never panic, and what it accepts must be well-formed.
//!
//! Targets: resident ID numbers, mobile numbers, the record codec, database
//! directories full of garbage or with damaged files, search queries, key
//! strings, keymap.toml text, SSH input bytes in any packet split, and the
//! import readers (CSV and xlsx bytes of every kind).
//!
//! Adding a target (search queries, key strings, keymap.toml, import
//! readers, SSH input bytes…): add one `proptest!` block below with
//! `cases(N)` as its case count, asserting (1) no panic — proptest turns a
//! panic into a failure with the shrunk input — and (2) a property of what
//! is accepted (it round-trips, it is within bounds, the error names the
//! input). Keep N small enough that the whole file runs in seconds;
//! `SKILLBRIDGE_PROPTEST_CASES=N` runs every target with at least N cases.

use proptest::prelude::*;
use skillbridge::domain::*;
use skillbridge::store::codec;
use skillbridge::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The test's own case count, or `SKILLBRIDGE_PROPTEST_CASES` when that is larger.
fn cases(default: u32) -> u32 {
    match std::env::var("SKILLBRIDGE_PROPTEST_CASES") {
        Ok(v) => v
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("SKILLBRIDGE_PROPTEST_CASES={v:?} is not a whole number"))
            .max(default),
        Err(_) => default,
    }
}

/// Panics on sled's own threads ("sled-io-N", "log flusher"), where a panic
/// would not reach the test. A panic on a test's thread fails that test by
/// itself, so it is not counted here (other tests run concurrently).
static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread
                .name()
                .is_none_or(|n| n.starts_with("sled-io") || n == "log flusher")
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

fn date(days: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1800, 1, 1).unwrap() + chrono::Duration::days(days)
}

/// Text made of what ID numbers and phone numbers are made of, plus look-alikes.
fn number_like() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x', ' ', '-', '+', '８', 'Ｘ', '١', '中', '\u{0}',
        '\u{301}', '🙂',
    ]);
    prop::collection::vec(chars, 0..22).prop_map(|v| v.into_iter().collect())
}

/// A valid ID number with one character replaced by any character.
fn mutated_id_number() -> impl Strategy<Value = String> {
    (0u16..1000, 0i64..40_000, 0usize..18, any::<char>()).prop_map(|(seq, days, pos, ch)| {
        let id = IdNumber::from_parts("321102", date(36_500) + chrono::Duration::days(days % 20_000), seq)
            .expect("valid parts");
        id.as_str()
            .chars()
            .enumerate()
            .map(|(i, c)| if i == pos { ch } else { c })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), ..ProptestConfig::default() })]

    #[test]
    fn id_numbers_never_panic_and_what_they_accept_is_well_formed(
        input in prop_oneof![any::<String>(), number_like(), mutated_id_number()],
        today in (0i64..150_000).prop_map(date),
    ) {
        if let Ok(id) = IdNumber::parse_on(&input, today) {
            let s = id.as_str();
            prop_assert_eq!(s.len(), 18);
            prop_assert!(s[..17].bytes().all(|b| b.is_ascii_digit()), "{}", s);
            prop_assert_eq!(skillbridge::domain::idno::check_char(&s.as_bytes()[..17]), s.as_bytes()[17] as char);
            prop_assert!(id.birth_date() <= today);
            prop_assert_eq!(IdNumber::parse_on(s, today), Ok(id));
            let _ = (id.sex(), id.age_on(today), id.masked(), id.address_code());
        }
    }

    #[test]
    fn mobiles_never_panic_and_what_they_accept_is_well_formed(
        input in prop_oneof![any::<String>(), number_like()],
    ) {
        if let Ok(m) = Mobile::parse(&input) {
            let b = m.as_str().as_bytes();
            prop_assert_eq!(b.len(), 11);
            prop_assert!(b.iter().all(u8::is_ascii_digit));
            prop_assert!(b[0] == b'1' && (b'3'..=b'9').contains(&b[1]), "{}", m);
            prop_assert_eq!(Mobile::parse(m.as_str()), Ok(m));
        }
    }
}

/// Decode as a record type; what decodes must encode back to the same bytes.
fn decode_as<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok((version, value)) = codec::decode::<T>(bytes, 1) {
        let again = codec::encode(version, &value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (_, back) = codec::decode::<T>(&again, 1).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, value);
    }
    Ok(())
}

fn decode_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    decode_as::<Institution>(bytes)?;
    decode_as::<Enterprise>(bytes)?;
    decode_as::<JobDemand>(bytes)?;
    decode_as::<TrainingClass>(bytes)?;
    decode_as::<Trainee>(bytes)?;
    decode_as::<Case>(bytes)?;
    decode_as::<Event>(bytes)?;
    Ok(())
}

/// Real encodings of every record kind, to mutate.
fn samples() -> Vec<Vec<u8>> {
    let d = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
    let case = Case {
        id: CaseId(9),
        trainee: TraineeId(2),
        class: ClassId(3),
        state: CaseState::Referred(DemandId(4)),
        certification: Some(Certification {
            level: SkillLevel::L3,
            certificate: "ZJ-1".into(),
            evaluation: Evaluation {
                theory: 90,
                practical: 80,
                panel: false,
            },
            date: d,
        }),
        events: 5,
        opened: d,
    };
    let event = Event {
        case: CaseId(9),
        seq: 4,
        at: 1_760_000_000,
        operator: "王芳".into(),
        from: Some(CaseState::Certified(SkillLevel::L3)),
        to: CaseState::Referred(DemandId(4)),
        action: Some(Move::Refer(DemandId(4))),
        note: "推荐到镇江某船舶公司".into(),
    };
    let trainee = Trainee {
        id: TraineeId(2),
        name: "李明".into(),
        id_number: IdNumber::from_parts("321102", d - chrono::Duration::days(9000), 17).unwrap(),
        mobile: Mobile::parse("13912345678").ok(),
        key_group: Some("农村转移劳动者".into()),
        region: RegionId(1),
        wanted: vec![OccupationId(3), OccupationId(4)].into(),
        created: d,
    };
    vec![
        codec::encode(1, &case).unwrap(),
        codec::encode(1, &event).unwrap(),
        codec::encode(1, &trainee).unwrap(),
    ]
}

/// A real encoding with some bytes changed, cut short or extended.
fn mutated_record() -> impl Strategy<Value = Vec<u8>> {
    let n = samples().len();
    (
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        any::<prop::sample::Index>(),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(which, flips, cut, tail)| {
            let mut b = samples().swap_remove(which);
            for (at, v) in flips {
                let i = at.index(b.len());
                b[i] = v;
            }
            b.truncate(3 + cut.index(b.len() - 2));
            b.extend(tail);
            b
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(3000), ..ProptestConfig::default() })]

    #[test]
    fn the_codec_never_panics_on_arbitrary_bytes(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| [vec![0xB1, 0, 1], b].concat()),
            mutated_record(),
        ],
    ) {
        decode_all(&bytes)?;
    }
}

/// A small real database, built once per run by the torture workload
/// (`skillbridge torture`) under cargo's scratch directory; the damage
/// tests start from its files.
fn template() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-template-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("db");
        let ack_log = dir.join("acks").display().to_string();
        let (ok, text) = crate::common::run_cli(
            &[
                "torture",
                "--ack-log",
                &ack_log,
                "--seed",
                "3",
                "--threads",
                "1",
                "--max-acks",
                "150",
                "--max-seconds",
                "60",
            ],
            &db,
        );
        assert!(ok, "the torture workload failed: {text}");
        db
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Open whatever is at `path` and use it: an error must name the path; a
/// database that opens must survive `check`, reads and a write attempt.
fn open_and_use(path: &Path) -> Result<(), TestCaseError> {
    let before = PANICS.load(Ordering::SeqCst);
    match Store::reopen(path) {
        Err(e) => {
            prop_assert!(
                e.to_string().contains(&path.display().to_string()),
                "the error does not name {}: {}",
                path.display(),
                e
            );
            prop_assert!(!matches!(e, StoreError::Locked { .. }), "{}", e);
        }
        Ok(store) => {
            let _ = store.check();
            let _ = store.all::<Trainee>();
            let _ = store.all::<Case>();
            let _ = store.save(Institution {
                id: InstitutionId(0),
                name: "垃圾测试学校".into(),
                region: RegionId(0),
                stars: 3,
            });
        }
    }
    prop_assert_eq!(
        PANICS.load(Ordering::SeqCst),
        before,
        "a sled thread panicked (see stderr)"
    );
    Ok(())
}

/// File names sled uses, and others.
fn file_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "db",
        "conf",
        "snap.0000000000000000",
        "snap.00000000000A0000",
        "snap.00000000000B0000.generating",
        "blobs/0000000000000001",
        "notes.txt",
        "db.tmp",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(40), ..ProptestConfig::default() })]

    #[test]
    fn a_directory_of_garbage_files_is_refused_or_opened_never_a_panic(
        files in prop::collection::vec((file_name(), prop::collection::vec(any::<u8>(), 0..2048)), 0..5),
    ) {
        count_panics();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        for (name, bytes) in &files {
            let f = path.join(name);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, bytes).unwrap();
        }
        open_and_use(&path)?;
    }

    #[test]
    fn a_damaged_database_is_refused_or_opened_never_a_panic(
        target in prop::sample::select(vec!["db", "conf", "snap"]),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in prop::option::weighted(0.2, any::<prop::sample::Index>()),
    ) {
        count_panics();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        copy_dir(template(), &path);
        let file = std::fs::read_dir(&path)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(target)));
        if let Some(file) = file {
            let mut bytes = std::fs::read(&file).unwrap();
            // Damage where the data is, not the zeroed tail of a segment.
            let used = bytes.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1);
            if used > 0 {
                for (at, v) in flips {
                    let i = at.index(used);
                    bytes[i] = v;
                }
                if let Some(cut) = cut {
                    bytes.truncate(cut.index(bytes.len()));
                }
                std::fs::write(&file, bytes).unwrap();
            }
        }
        open_and_use(&path)?;
    }
}

// ---- search queries, key strings, keymap files, SSH input bytes, import readers

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1500)))]

    /// Any typed query parses; scoring and highlighting any line with it
    /// stay inside the line.
    #[test]
    fn search_queries_never_panic(query in any::<String>(), line in any::<String>()) {
        let q = skillbridge::search::Query::parse(&query);
        let hay = skillbridge::search::Hay::new(line.clone());
        let _ = skillbridge::search::score(&hay, &q);
        let n = line.chars().count();
        for i in skillbridge::search::highlight(&hay, &q) {
            prop_assert!(i < n, "highlight {i} past the end of {line:?}");
        }
    }

    /// Any key string either parses to a key that prints back to itself or
    /// is refused with a message.
    #[test]
    fn key_strings_never_panic(s in any::<String>()) {
        use skillbridge::keymap::Key;
        match s.parse::<Key>() {
            Ok(k) => prop_assert_eq!(k.to_string().parse::<Key>().ok(), Some(k)),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Any keymap file text is accepted or refused with placed problems.
    #[test]
    fn keymap_files_never_panic(text in any::<String>(), prefix in prop::sample::select(vec!["", "[list]\n", "[form]\n\"", "[global]\n\"ctrl-"])) {
        let text = format!("{prefix}{text}");
        match skillbridge::keymap::parse(&text, "fuzz.toml") {
            Ok(_) => {}
            Err(e) => {
                prop_assert!(!e.problems.is_empty());
                for p in &e.problems {
                    prop_assert!(p.line >= 1 && p.line <= text.lines().count().max(1) + 1, "{p}");
                }
            }
        }
    }

    /// Any bytes over SSH, in any packet split, never panic the parser.
    #[test]
    fn ssh_input_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), split in 0usize..256) {
        let mut p = skillbridge::term::bytes::Parser::new();
        let now = std::time::Instant::now();
        let cut = split.min(bytes.len());
        let _ = p.feed(&bytes[..cut], now);
        let _ = p.feed(&bytes[cut..], now);
        let _ = p.tick(now + std::time::Duration::from_secs(1));
    }
}

fn import_store() -> &'static (tempfile::TempDir, Store) {
    static S: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        (dir, store)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(200)))]

    /// Any CSV or xlsx bytes are checked or refused, never a panic, and a
    /// check writes nothing.
    #[test]
    fn import_readers_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        header in prop::sample::select(vec!["", "姓名,身份证号\n", "机构名称,区域,信用星级\n", "\u{feff}name,id_number,mobile\n"]),
        ext in prop::sample::select(vec!["csv", "xlsx"]),
        kind in prop::sample::select(skillbridge::domain::Kind::IMPORTABLE.to_vec()),
    ) {
        let (dir, store) = import_store();
        let n = PANICS.load(Ordering::SeqCst);
        let path = dir.path().join(format!("fuzz-{}.{ext}", std::process::id()));
        let mut content = header.as_bytes().to_vec();
        content.extend_from_slice(&bytes);
        std::fs::write(&path, &content).unwrap();
        let _ = skillbridge::io::import::plan(store, kind, &path, &Default::default());
        prop_assert_eq!(PANICS.load(Ordering::SeqCst), n);
        prop_assert!(store.is_empty(), "a check wrote to the database");
    }
}
