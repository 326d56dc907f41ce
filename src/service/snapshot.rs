//! The persisted picture of every record: what [`Data`] holds, written
//! beside the search cache and stamped, like it, with the store's write
//! generation and a fingerprint of the code that defines the records. A
//! start whose stamp matches reads this one file instead of walking every
//! tree of the database: faster, and sled's page cache stays small, since
//! nothing pulled a million pages through it.
//!
//! A stale, damaged or foreign file is ignored (and replaced), never
//! trusted. Format: the magic line `skillbridge-records 1`, then `build`
//! and `generation` (u64 LE), the bincode payload's length (u64 LE), the
//! payload, and its CRC-32 (u32 LE).

use super::data::Data;
use crate::domain::*;
use crate::store::DemandUsage;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8] = b"skillbridge-records 1\n";

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
}

/// A fingerprint of the code that defines the records and their encoding.
fn build() -> u64 {
    super::cache::fingerprint(&[
        include_str!("../domain/entities.rs"),
        include_str!("../domain/idno.rs"),
        include_str!("../domain/case.rs"),
        include_str!("snapshot.rs"),
        include_str!("../../Cargo.lock"),
    ])
}

pub fn file(db: &Path) -> PathBuf {
    super::cache::dir(db).join("records.bin")
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard()
}

/// Write `data` as the picture of `generation`, atomically.
pub fn write(db: &Path, generation: u64, data: &Data) -> std::io::Result<()> {
    write_encoded(db, generation, &encode(data)?)
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
    };
    bincode::serde::encode_to_vec(&records, config()).map_err(std::io::Error::other)
}

/// Write a payload from [`encode`] as the picture of `generation`.
pub fn write_encoded(db: &Path, generation: u64, payload: &[u8]) -> std::io::Result<()> {
    super::cache::write_atomically(&file(db), |w| {
        w.write_all(MAGIC)?;
        w.write_all(&build().to_le_bytes())?;
        w.write_all(&generation.to_le_bytes())?;
        w.write_all(&(payload.len() as u64).to_le_bytes())?;
        w.write_all(payload)?;
        w.write_all(&crc32fast::hash(payload).to_le_bytes())
    })
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8)?.try_into().ok().map(u64::from_le_bytes)
}

/// The picture of `generation`, if the file holds exactly that, whole.
pub fn read(db: &Path, generation: u64) -> Option<Data> {
    let bytes = std::fs::read(file(db)).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    if u64_at(rest, 0)? != build() || u64_at(rest, 8)? != generation {
        return None;
    }
    let len = usize::try_from(u64_at(rest, 16)?).ok()?;
    let payload = rest.get(24..24usize.checked_add(len)?)?;
    let crc = rest.get(24 + len..)?;
    if crc != crc32fast::hash(payload).to_le_bytes() {
        return None;
    }
    let (r, used): (Records, usize) = bincode::serde::decode_from_slice(payload, config()).ok()?;
    if used != payload.len() {
        return None;
    }
    let mut d = Data::default();
    d.institutions = r.institutions.into_iter().map(|x| (x.id, x)).collect();
    d.enterprises = r.enterprises.into_iter().map(|x| (x.id, x)).collect();
    d.demands = r.demands.into_iter().map(|x| (x.id, x)).collect();
    d.classes = r.classes.into_iter().map(|x| (x.id, x)).collect();
    d.trainees = r.trainees.into_iter().map(|x| (x.id, x)).collect();
    d.cases = r.cases.into_iter().map(|x| (x.id, x)).collect();
    d.link_cases();
    d.seats_used = r.seats_used.into_iter().collect();
    d.demand_usage = r
        .demand_usage
        .into_iter()
        .map(|(k, referred, hired)| (k, DemandUsage { referred, hired }))
        .collect();
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
        write(store.path(), g, &data).expect("write");
        let back = read(store.path(), g).expect("read");
        assert_eq!(back.trainees, data.trainees);
        assert_eq!(back.cases, data.cases);
        assert_eq!(back.classes, data.classes);
        assert_eq!(back.demands, data.demands);
        assert_eq!(back.institutions, data.institutions);
        assert_eq!(back.enterprises, data.enterprises);
        assert_eq!(back.seats_used, data.seats_used);
        assert_eq!(back.demand_usage, data.demand_usage);
        let t = *data.trainees.keys().next().expect("a trainee");
        assert_eq!(
            back.trainee_cases(t).collect::<Vec<_>>(),
            data.trainee_cases(t).collect::<Vec<_>>()
        );
        // Another generation, a flipped byte, a cut file: not used.
        assert!(read(store.path(), g + 1).is_none());
        let path = file(store.path());
        let bytes = std::fs::read(&path).expect("bytes");
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        std::fs::write(&path, &flipped).expect("flip");
        assert!(read(store.path(), g).is_none());
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("cut");
        assert!(read(store.path(), g).is_none());
    }
}
