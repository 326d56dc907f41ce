//! The persisted picture of every record: what [`Data`] holds, written
//! beside the search cache and stamped, like it, with the database's
//! identity and write generation, its format version and the program that
//! wrote it. A start
//! whose stamp matches reads this one file instead of walking every tree
//! of the database: faster, and sled's page cache stays small, since
//! nothing pulled a million pages through it.
//!
//! A stale, damaged or foreign file is ignored (and replaced), never
//! trusted. Format: the stamp line `skillbridge-records <version> <build>
//! <database> <generation>` (see `store::codec::stamp`; the version is
//! `codec::SNAPSHOT_VERSION`), the payload's length (u64 LE), the payload
//! (`codec::encode_bulk` of [`Records`]), and its CRC-32 (u32 LE).

use super::data::Data;
use crate::domain::*;
use crate::store::DemandUsage;
use crate::store::codec::{self, SNAPSHOT_VERSION};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MAGIC: &str = "skillbridge-records";

/// What the file holds: every record and the two counters.
#[derive(Serialize, Deserialize)]
struct Records {
    institutions: Vec<Institution>,
    enterprises: Vec<Enterprise>,
    demands: Vec<JobDemand>,
    classes: Vec<TrainingClass>,
    trainees: Vec<Trainee>,
    cases: Vec<Case>,
    seats_used: Vec<(ClassId, u32)>,
    /// (demand, referred, hired)
    demand_usage: Vec<(DemandId, u32, u32)>,
    /// What each hired case's events say after the job (follow-ups), and
    /// each case's referrals that ended without a hire: kept here so a
    /// start does not read the events of every such case (1 s at 1M).
    aftercare: Vec<(CaseId, aftercare::Aftercare)>,
    not_hired: Vec<(CaseId, Vec<aftercare::NotHiredStep>)>,
}

/// The same shape, borrowed, for writing without a copy.
#[derive(Serialize)]
struct RecordsOut<'a> {
    institutions: Vec<&'a Institution>,
    enterprises: Vec<&'a Enterprise>,
    demands: Vec<&'a JobDemand>,
    classes: Vec<&'a TrainingClass>,
    trainees: Vec<&'a Trainee>,
    cases: Vec<&'a Case>,
    seats_used: Vec<(ClassId, u32)>,
    demand_usage: Vec<(DemandId, u32, u32)>,
    aftercare: Vec<(CaseId, &'a aftercare::Aftercare)>,
    not_hired: Vec<(CaseId, &'a Vec<aftercare::NotHiredStep>)>,
}

pub fn file(db: &Path) -> PathBuf {
    super::cache::dir(db).join("records.bin")
}

/// Write `data` as the picture of `generation` of database `id`, atomically.
pub fn write(db: &Path, id: &str, generation: u64, data: &Data) -> std::io::Result<()> {
    write_encoded(db, id, generation, &encode(data)?)
}

/// The records as the file's payload (what needs the records in hand).
pub fn encode(data: &Data) -> std::io::Result<Vec<u8>> {
    let records = RecordsOut {
        institutions: data.institutions.values().collect(),
        enterprises: data.enterprises.values().collect(),
        demands: data.demands.values().collect(),
        classes: data.classes.values().collect(),
        trainees: data.trainees.values().collect(),
        cases: data.cases.values().collect(),
        seats_used: data.seats_used.iter().map(|(k, v)| (*k, *v)).collect(),
        demand_usage: data
            .demand_usage
            .iter()
            .map(|(k, u)| (*k, u.referred, u.hired))
            .collect(),
        aftercare: data.aftercare.iter().map(|(k, a)| (*k, a)).collect(),
        not_hired: data.not_hired.iter().map(|(k, n)| (*k, n)).collect(),
    };
    codec::encode_bulk(&records).map_err(std::io::Error::other)
}

/// Write a payload from [`encode`] as the picture of `generation` of database `id`.
pub fn write_encoded(db: &Path, id: &str, generation: u64, payload: &[u8]) -> std::io::Result<()> {
    super::cache::write_framed(
        &file(db),
        &codec::stamp(MAGIC, SNAPSHOT_VERSION, id, generation),
        payload,
    )
}

/// How the file stands against database `id` at `generation` (see `cache::Standing`).
pub fn standing(db: &Path, id: &str, generation: u64) -> Option<super::cache::Standing> {
    let bytes = std::fs::read(file(db)).ok()?;
    Some(super::cache::stand(&bytes, MAGIC, SNAPSHOT_VERSION, id, generation))
}

/// The picture of `generation` of database `id`, if the file holds exactly that, whole.
pub fn read(db: &Path, id: &str, generation: u64) -> Option<Data> {
    read_stamped(db).and_then(|u| u.take(id, generation))
}

/// The file's records, if its checksum holds and it decodes; whether they
/// are current is for [`super::cache::Unchecked::take`] to say.
pub fn read_stamped(db: &Path) -> Option<super::cache::Unchecked<Data>> {
    let bytes = std::fs::read(file(db)).ok()?;
    let ((database, generation), payload) = super::cache::unframe(&bytes, MAGIC, SNAPSHOT_VERSION).ok()??;
    Some(super::cache::Unchecked {
        database,
        generation,
        value: decode(payload)?,
    })
}

fn decode(payload: &[u8]) -> Option<Data> {
    let r: Records = codec::decode_bulk(payload).ok()?;
    let mut d = Data::default();
    d.institutions = r.institutions.into_iter().map(|x| (x.id, x)).collect();
    d.enterprises = r.enterprises.into_iter().map(|x| (x.id, x)).collect();
    d.demands = r.demands.into_iter().map(|x| (x.id, x)).collect();
    d.classes = r.classes.into_iter().map(|x| (x.id, x)).collect();
    d.trainees = super::idmap::IdMap::from_records(r.trainees);
    d.cases = super::idmap::IdMap::from_records(r.cases);
    d.link_cases();
    d.seats_used = r.seats_used.into_iter().collect();
    d.demand_usage = r
        .demand_usage
        .into_iter()
        .map(|(k, referred, hired)| (k, DemandUsage { referred, hired }))
        .collect();
    d.aftercare = r.aftercare.into_iter().collect();
    d.not_hired = r.not_hired.into_iter().collect();
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_picture_reads_back_only_for_its_generation_and_whole() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = crate::store::Store::open(&dir.path().join("db")).expect("open");
        crate::demo::build(&store, &crate::demo::Options { trainees: 300, seed: 7 }).expect("demo");
        let data = Data::load(&store).expect("load");
        let g = store.generation().expect("generation");
        write(store.path(), "db1", g, &data).expect("write");
        let back = read(store.path(), "db1", g).expect("read");
        assert_eq!(back.trainees, data.trainees);
        assert_eq!(back.cases, data.cases);
        assert_eq!(back.classes, data.classes);
        assert_eq!(back.demands, data.demands);
        assert_eq!(back.institutions, data.institutions);
        assert_eq!(back.enterprises, data.enterprises);
        assert_eq!(back.seats_used, data.seats_used);
        assert_eq!(back.demand_usage, data.demand_usage);
        assert!(!data.aftercare.is_empty() && !data.not_hired.is_empty());
        assert_eq!(back.aftercare, data.aftercare);
        assert_eq!(back.not_hired, data.not_hired);
        let t = *data.trainees.keys().next().expect("a trainee");
        assert_eq!(
            back.trainee_cases(t).collect::<Vec<_>>(),
            data.trainee_cases(t).collect::<Vec<_>>()
        );
        // Another generation, a flipped byte, a cut file: not used.
        assert!(read(store.path(), "db1", g + 1).is_none());
        assert!(read(store.path(), "db2", g).is_none(), "another database's picture");
        let path = file(store.path());
        let bytes = std::fs::read(&path).expect("bytes");
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        std::fs::write(&path, &flipped).expect("flip");
        assert!(read(store.path(), "db1", g).is_none());
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("cut");
        assert!(read(store.path(), "db1", g).is_none());
    }
}
