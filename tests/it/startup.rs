//! Start-up from the persisted records and search index: used only when
//! they are exactly the store's current state, rebuilt otherwise, and what
//! a start finds is the same either way.

use skillbridge::domain::Kind;
use skillbridge::domain::*;
use skillbridge::search::Query;
use skillbridge::service::{Filters, SearchSpec, Service, Sort};
use skillbridge::store::Store;
use std::path::Path;
use std::sync::Arc;

fn open(path: &Path) -> Arc<Service> {
    Service::open(Store::reopen(path).expect("open")).expect("service")
}

/// A service, and the store it runs on kept aside to write behind its back.
fn open_keeping_store(path: &Path) -> (Arc<Service>, Store) {
    let store = Store::reopen(path).expect("open");
    (Service::open(store.clone()).expect("service"), store)
}

fn close(svc: Arc<Service>) {
    svc.wait_for_search_cache();
    drop(svc);
}

/// What a session's end and the next start do: the exit save, then an open.
fn exit_and_restart(svc: Arc<Service>, path: &Path) -> Arc<Service> {
    svc.save_search_cache();
    close(svc);
    open(path)
}

/// Everything a start has: records, counters and the trainee and case searches.
fn picture(svc: &Service) -> String {
    let r = svc.read();
    let search = |kind, q| {
        r.search(
            &SearchSpec {
                kind,
                query: Query::parse(q),
                filters: Filters::default(),
                sort: Sort::Relevance,
                districts: None,
            },
            None,
            &|| false,
        )
        .expect("search")
        .ids
    };
    let found = (search(Kind::Trainees, "wang"), search(Kind::Cases, "w"));
    let mut seats: Vec<_> = r.data.seats_used.iter().collect();
    seats.sort();
    format!(
        "{:?}\n{:?}\n{:?}\n{seats:?}\n{:?}\n{:?}\n{:?}",
        r.data.trainees, r.data.cases, r.data.classes, found, r.data.aftercare, r.data.not_hired
    )
}

#[test]
fn a_start_uses_the_snapshot_only_when_it_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 400, seed: 3 }).unwrap();
    }
    // Cold: walks the database and builds every index, then persists both.
    let svc = open(&path);
    assert_eq!(
        (svc.startup().records_from_snapshot, svc.startup().indexes_from_cache),
        (false, 0)
    );
    let cold = picture(&svc);
    close(svc);

    // Warm: the same picture from the files.
    let svc = open(&path);
    assert!(svc.startup().records_from_snapshot);
    assert_eq!(svc.startup().indexes_from_cache, Kind::ALL.len());
    assert_eq!(picture(&svc), cold);
    // Its indexes are the cache files mapped privately, not copies.
    let private = |svc: &Service, kind| svc.read().index(kind).is_some_and(|ix| ix.is_private());
    assert!(Kind::ALL.iter().all(|k| private(&svc, *k)));

    // A write, and the process ends without writing the files (a crash):
    // the next start sees they are stale and walks the database.
    let (class, trainee) = {
        let r = svc.read();
        let class = r
            .data
            .classes
            .values()
            .find(|c| c.status == ClassStatus::Open && r.data.seats_left(c) > 0)
            .map(|c| c.id)
            .expect("an open class with a seat");
        let trainee = r
            .data
            .trainees
            .keys()
            .copied()
            .find(|t| r.data.trainee_cases(*t).next().is_none())
            .expect("a trainee without a case");
        (class, trainee)
    };
    let case = svc
        .enroll(trainee, class, &skillbridge::service::Actor::admin("test"), "")
        .unwrap();
    let after_write = picture(&svc);
    // Changed in place (the pages written are copied, not the index).
    assert!(private(&svc, Kind::Cases));
    drop(svc);
    let svc = open(&path);
    assert!(!svc.startup().records_from_snapshot, "a stale snapshot is not used");
    assert_eq!(svc.startup().indexes_from_cache, 0, "nor a stale index");
    assert_eq!(picture(&svc), after_write);
    assert!(svc.read().data.cases.contains_key(&case.id));

    // A clean exit after a write leaves files the next start can use.
    let withdrawn = svc
        .transition(
            case.id,
            Move::Withdraw {
                reason: "moved away".into(),
            },
            &skillbridge::service::Actor::admin("test"),
            "",
        )
        .unwrap();
    svc.save_search_cache();
    let after_exit = picture(&svc);
    close(svc);
    let svc = open(&path);
    assert!(svc.startup().records_from_snapshot);
    assert_eq!(picture(&svc), after_exit);
    assert_eq!(svc.read().data.cases[&case.id].state, withdrawn.state);
}

#[test]
fn a_damaged_snapshot_or_index_is_rebuilt_not_believed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 200, seed: 5 }).unwrap();
    }
    let svc = open(&path);
    let cold = picture(&svc);
    close(svc);
    let cache = path.join("search-cache");
    let records = cache.join("records.bin");
    let mut bytes = std::fs::read(&records).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 1;
    std::fs::write(&records, &bytes).unwrap();
    std::fs::write(cache.join("trainees.idx"), "skillbridge-search 2 garbage").unwrap();
    // A half-written file of a process that died goes at the next open.
    std::fs::write(cache.join("cases.tmp999-0"), "half").unwrap();
    let svc = open(&path);
    assert!(!svc.startup().records_from_snapshot);
    assert_eq!(svc.startup().indexes_from_cache, Kind::ALL.len() - 1);
    assert_eq!(picture(&svc), cold);
    assert!(!cache.join("cases.tmp999-0").exists());
    close(svc);
    let svc = open(&path);
    assert!(svc.startup().records_from_snapshot, "rewritten after the rebuild");
    assert_eq!(picture(&svc), cold);
}

#[test]
fn a_write_the_picture_may_miss_is_never_hidden_by_the_caches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 200, seed: 9 }).unwrap();
    }
    close(open(&path));

    // A refused write commits nothing: the picture still matches, and the
    // exit save may write.
    let svc = open(&path);
    assert!(svc.startup().records_from_snapshot);
    let (trainee, class) = {
        let r = svc.read();
        let c = r.data.cases.values().next().expect("a case");
        (c.trainee, c.class)
    };
    assert!(
        svc.enroll(trainee, class, &skillbridge::service::Actor::admin("test"), "")
            .is_err(),
        "already enrolled there"
    );
    let t = svc.read().data.trainees.values().next().cloned().unwrap();
    let renamed = svc
        .save(
            Trainee {
                name: "改名测试".into(),
                ..t.clone()
            },
            &skillbridge::service::Actor::admin("test"),
        )
        .unwrap();
    svc.save_search_cache();
    close(svc);
    let (svc, store) = open_keeping_store(&path);
    assert!(
        svc.startup().records_from_snapshot,
        "the exit save wrote a matching picture"
    );
    assert_eq!(svc.read().data.trainees[&renamed.id].name, "改名测试");

    // A write straight to the store (as an import once did) leaves the
    // picture behind: the exit save must not stamp it as current.
    let bypass = store
        .save(Trainee {
            name: "绕过测试".into(),
            ..renamed
        })
        .unwrap();
    drop(store);
    svc.save_search_cache();
    close(svc);
    let (svc, store) = open_keeping_store(&path);
    assert!(
        !svc.startup().records_from_snapshot,
        "the stale picture was not persisted"
    );
    assert_eq!(svc.read().data.trainees[&bypass.id].name, "绕过测试");
    // Until a reload catches up, then it is current again.
    let again = store
        .save(Trainee {
            name: "再改".into(),
            ..bypass
        })
        .unwrap();
    drop(store);
    svc.reload().unwrap();
    let svc = exit_and_restart(svc, &path);
    assert!(svc.startup().records_from_snapshot);
    assert_eq!(svc.read().data.trainees[&again.id].name, "再改");
}

/// The server's and workspace's start: the files are read while sled
/// opens, and used only when their stamps match the database it opened.
#[test]
fn an_overlapped_start_uses_what_it_read_early_only_when_it_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 400, seed: 5 }).unwrap();
    }
    let overlapped = || Service::open_overlapped(&path, || Store::reopen(&path)).expect("service");
    let svc = overlapped();
    assert!(!svc.startup().records_from_snapshot, "nothing written yet");
    let cold = picture(&svc);
    assert!(
        !svc.read().data.aftercare.is_empty(),
        "the demo has follow-ups for the snapshot to carry"
    );
    close(svc);
    let svc = overlapped();
    assert!(svc.startup().records_from_snapshot);
    assert_eq!(svc.startup().indexes_from_cache, Kind::ALL.len());
    assert_eq!(picture(&svc), cold, "the same picture from the files");
    close(svc);
    // A write behind the files' back: what was read early is stale, unused.
    let store = Store::reopen(&path).unwrap();
    let first = store.all::<Trainee>().unwrap().remove(0);
    let renamed = store
        .save(Trainee {
            name: "早读测试".into(),
            ..first
        })
        .unwrap();
    drop(store);
    let svc = overlapped();
    assert!(!svc.startup().records_from_snapshot);
    assert_eq!(svc.startup().indexes_from_cache, 0);
    assert_eq!(svc.read().data.trainees[&renamed.id].name, "早读测试");
    // A foreign database's files at the same generation are not taken either.
    close(svc);
    let other = dir.path().join("other");
    {
        let store = Store::open(&other).unwrap();
        skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: 400, seed: 5 }).unwrap();
    }
    let svc = Service::open_overlapped(&other, || Store::reopen(&other)).expect("service");
    close(svc);
    let theirs = skillbridge::service::cache::dir(&other);
    let ours = skillbridge::service::cache::dir(&path);
    for f in std::fs::read_dir(&theirs).unwrap().flatten() {
        std::fs::copy(f.path(), ours.join(f.file_name())).unwrap();
    }
    let svc = overlapped();
    assert!(!svc.startup().records_from_snapshot, "another database's snapshot");
    assert_eq!(svc.read().data.trainees[&renamed.id].name, "早读测试");
}
