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
//! `codec::SNAPSHOT_VERSION`), the payload's length (u64 LE), the payload,
//! and its CRC-32 (u32 LE). The payload is three parts: the length of the
//! first two (u64 LE each), then [`Rest`] (everything but trainees and
//! cases, `codec::encode_bulk`), the trainees and the cases (each in the
//! fixed-width encoding of `records_codec`). The two big parts decode on
//! their own threads.
//!
//! The file is read through a shared read-only map where it can be (the
//! payload is decoded straight from the page cache, not copied into the
//! process first); cache files are only ever replaced whole by a rename,
//! never written in place, so the mapped bytes do not change.

use super::data::Data;
use super::idmap::IdMap;
use super::records_codec;
use crate::domain::*;
use crate::store::DemandUsage;
use crate::store::codec::{self, SNAPSHOT_VERSION};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MAGIC: &str = "skillbridge-records";

/// What the file holds besides the trainees and the cases: the other
/// records and the counters.
#[derive(Serialize, Deserialize)]
struct Rest {
    institutions: Vec<Institution>,
    enterprises: Vec<Enterprise>,
    demands: Vec<JobDemand>,
    classes: Vec<TrainingClass>,
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
struct RestOut<'a> {
    institutions: Vec<&'a Institution>,
    enterprises: Vec<&'a Enterprise>,
    demands: Vec<&'a JobDemand>,
    classes: Vec<&'a TrainingClass>,
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
    let rest = RestOut {
        institutions: data.institutions.values().collect(),
        enterprises: data.enterprises.values().collect(),
        demands: data.demands.values().collect(),
        classes: data.classes.values().collect(),
        seats_used: data.seats_used.iter().map(|(k, v)| (*k, *v)).collect(),
        demand_usage: data
            .demand_usage
            .iter()
            .map(|(k, u)| (*k, u.referred, u.hired))
            .collect(),
        aftercare: data.aftercare.iter().map(|(k, a)| (*k, a)).collect(),
        not_hired: data.not_hired.iter().map(|(k, n)| (*k, n)).collect(),
    };
    let rest = codec::encode_bulk(&rest).map_err(std::io::Error::other)?;
    let too_long = || std::io::Error::other("a record's text or list is longer than 4 GB");
    let trainees = records_codec::encode_trainees(data.trainees.values()).ok_or_else(too_long)?;
    let cases = records_codec::encode_cases(data.cases.values()).ok_or_else(too_long)?;
    let mut out = Vec::with_capacity(16 + rest.len() + trainees.len() + cases.len());
    for part in [&rest, &trainees] {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
    }
    for part in [rest, trainees, cases] {
        out.extend_from_slice(&part);
    }
    Ok(out)
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
    let file = std::fs::File::open(file(db)).ok()?;
    // SAFETY: the file is only ever replaced whole by a rename
    // (`cache::write_framed`), never written in place, so the mapped
    // bytes do not change while they are read (the map lasts one decode).
    // Like the search cache files, it must not be edited in place from
    // outside (see the README's Storage).
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) };
    let copied;
    let bytes: &[u8] = match &map {
        Ok(map) => map,
        Err(_) => {
            let mut read = Vec::new();
            std::io::Read::read_to_end(&mut &file, &mut read).ok()?;
            copied = read;
            &copied
        }
    };
    let ((database, generation), payload) = super::cache::unframe(bytes, MAGIC, SNAPSHOT_VERSION).ok()??;
    Some(super::cache::Unchecked {
        database,
        generation,
        value: decode(payload)?,
    })
}

/// The payload's three parts: the rest, the trainees, the cases.
fn parts(payload: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let len = |at: usize| -> Option<usize> {
        let b: [u8; 8] = payload.get(at..at + 8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(b)).ok()
    };
    let (rest, trainees) = (len(0)?, len(8)?);
    let body = payload.get(16..)?;
    let (rest_part, body) = body.split_at_checked(rest)?;
    let (trainee_part, case_part) = body.split_at_checked(trainees)?;
    Some((rest_part, trainee_part, case_part))
}

fn decode(payload: &[u8]) -> Option<Data> {
    let (rest, trainees, cases) = parts(payload)?;
    let decode_trainees = || records_codec::decode_trainees(trainees).map(IdMap::from_records);
    // The trainees on their own thread (on this one after the cases when
    // no thread can be started), the cases and the links made from them
    // on this one, then the small rest.
    let (trainees, d) = std::thread::scope(|sc| {
        let apart = std::thread::Builder::new()
            .name("snapshot-trainees".into())
            .spawn_scoped(sc, decode_trainees)
            .ok();
        let mut d = Data::default();
        let cases = records_codec::decode_cases(cases).map(|c| {
            d.cases = IdMap::from_records(c);
            d.link_cases();
        });
        let trainees = match apart {
            Some(t) => t.join().ok().flatten(),
            None => decode_trainees(),
        };
        (trainees, cases.map(|()| d))
    });
    let mut d = d?;
    d.trainees = trainees?;
    let r: Rest = codec::decode_bulk(rest).ok()?;
    d.institutions = r.institutions.into_iter().map(|x| (x.id, x)).collect();
    d.enterprises = r.enterprises.into_iter().map(|x| (x.id, x)).collect();
    d.demands = r.demands.into_iter().map(|x| (x.id, x)).collect();
    d.classes = r.classes.into_iter().map(|x| (x.id, x)).collect();
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
    fn a_payload_whose_part_lengths_do_not_fit_reads_as_nothing() {
        let data = Data::default();
        let good = encode(&data).expect("encode");
        assert!(decode(&good).is_some());
        let with_lengths = |rest: u64, trainees: u64| {
            let mut p = good.clone();
            p[..8].copy_from_slice(&rest.to_le_bytes());
            p[8..16].copy_from_slice(&trainees.to_le_bytes());
            p
        };
        let body = (good.len() - 16) as u64;
        for (rest, trainees) in [(body + 1, 0), (0, body + 1), (u64::MAX, 1), (1, u64::MAX), (body, 0)] {
            assert!(decode(&with_lengths(rest, trainees)).is_none(), "{rest} {trainees}");
        }
        assert!(decode(&good[..15]).is_none());
        assert!(decode(&[]).is_none());
    }

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
