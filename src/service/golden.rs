//! Golden tests of the two files a start reads instead of the database:
//! the records snapshot and the search cache, written for a small fixed
//! city (`store::golden::sample`) and compared with the committed copies
//! under `golden/`. A change of their bytes, or of the search text a
//! record gets (rows, catalog names, pinyin), fails here until
//! `codec::SNAPSHOT_VERSION` or `codec::SEARCH_CACHE_VERSION` moves and the
//! files are blessed again: `SKILLBRIDGE_BLESS=1 cargo test --lib golden`.

use super::{Data, Inner, build_indexes, cache, snapshot};
use crate::domain::Kind;
use crate::store::DemandUsage;
use crate::store::codec;
use crate::store::golden::{assert_golden, hex, sample};
use std::collections::HashMap;

fn city() -> Data {
    let s = sample();
    let mut d = Data::default();
    d.seats_used.insert(s.class.id, 1);
    d.demand_usage
        .insert(s.demand.id, DemandUsage { referred: 1, hired: 0 });
    d.institutions.insert(s.institution.id, s.institution);
    d.enterprises.insert(s.enterprise.id, s.enterprise);
    d.demands.insert(s.demand.id, s.demand);
    d.classes.insert(s.class.id, s.class);
    d.trainees.insert(s.trainee.id, s.trainee);
    d.cases.insert(s.case.id, s.case);
    d.link_cases();
    d
}

/// The file's text with this build's id written as `<build>`, so a new
/// release does not read as a format change.
fn without_build(text: &str) -> String {
    text.replacen(codec::build_id(), "<build>", 1)
}

#[test]
fn the_records_snapshot_is_written_as_committed() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = city();
    snapshot::write(dir.path(), "0123456789abcdef0123456789abcdef", 7, &data).expect("write");
    let bytes = std::fs::read(snapshot::file(dir.path())).expect("read");
    let end = bytes.iter().position(|b| *b == b'\n').expect("a stamp line");
    let text = format!(
        "{}\n{}\n",
        without_build(&String::from_utf8_lossy(&bytes[..end])),
        hex(&bytes[end + 1..])
    );
    assert_golden(
        "src/service/golden/records-snapshot.txt",
        &text,
        "store::codec::SNAPSHOT_VERSION",
    );
    let back = snapshot::read(dir.path(), "0123456789abcdef0123456789abcdef", 7).expect("reads back");
    assert_eq!(back.cases, data.cases);
    assert_eq!(back.demand_usage, data.demand_usage);
}

#[test]
fn the_search_cache_is_written_as_committed() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut inner = Inner::new(city(), HashMap::new());
    build_indexes(&mut inner, &Kind::ALL);
    let mut text = String::new();
    for kind in Kind::ALL {
        let ix = inner.index(kind).expect("an index per kind");
        cache::write(dir.path(), kind, "0123456789abcdef0123456789abcdef", 7, ix).expect("write");
        let bytes = std::fs::read(cache::dir(dir.path()).join(format!("{}.idx", kind.name()))).expect("read");
        let end = bytes.iter().position(|b| *b == b'\n').expect("a stamp line");
        let mut readable = Vec::new();
        ix.write_tsv(&mut readable).expect("text form");
        text += &format!(
            "== {}.idx\n{}\n-- as text:\n{}-- bytes:\n{}\n",
            kind.name(),
            without_build(&String::from_utf8_lossy(&bytes[..end])),
            String::from_utf8_lossy(&readable),
            hex(&bytes[end + 1..])
        );
        assert!(
            cache::read(dir.path(), kind, "0123456789abcdef0123456789abcdef", 7).is_some(),
            "{kind} reads back"
        );
        // A one-shot search maps it: the arrays are aligned in the file,
        // read in place.
        let mapped = cache::map_stamped(dir.path(), kind).and_then(|c| c.take("0123456789abcdef0123456789abcdef", 7));
        assert!(
            mapped.is_some_and(|m| m.is_mapped() && m.len() == ix.len()),
            "{kind} maps in place"
        );
    }
    assert_golden(
        "src/service/golden/search-cache.txt",
        &text,
        "store::codec::SEARCH_CACHE_VERSION",
    );
}
