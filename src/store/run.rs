//! A case's events kept as one value (schema 5).
//!
//! The events tree holds two kinds of item:
//! - under the case's own 8-byte key, a *run*: the case's events from
//!   seq 0 on, one after another, as a bulk load writes them (the demo
//!   city, a restore);
//! - under `case ++ seq` (`event_key`, 12 bytes), one event, as a
//!   transaction appends it after whatever the case holds.
//!
//! A reader takes the run, then the single events: in key order the
//! 8-byte key comes before every longer key it starts. One item per case
//! instead of one per event matters because sled's cost is per item: a
//! million-trainee city held 3M event items, most of its disk.
//!
//! A run's bytes: [`RUN_MAGIC`], then per event a u32 (little-endian)
//! length and the event as the codec writes it (`EVENT_VERSION`). Every
//! length is checked against the bytes that hold it.

use super::codec;
use super::record::EVENT_VERSION;
use crate::domain::{CaseId, Event};

/// First byte of a run (a codec envelope starts with 0xB1, so an older
/// reader taking a run for one event refuses it instead of misreading).
pub const RUN_MAGIC: u8 = 0xE5;

/// The key of a case's run.
pub fn run_key(case: CaseId) -> [u8; 8] {
    case.0.to_be_bytes()
}

/// A run being written: events appended in seq order.
#[derive(Debug)]
pub struct Run {
    pub case: CaseId,
    /// The seq the next event must have.
    pub next: u32,
    bytes: Vec<u8>,
}

impl Run {
    pub fn new(case: CaseId) -> Run {
        Run {
            case,
            next: 0,
            bytes: vec![RUN_MAGIC],
        }
    }

    /// Append the next event's encoding (`codec::encode(EVENT_VERSION, ..)`).
    pub fn push(&mut self, encoded: &[u8]) {
        let len = u32::try_from(encoded.len()).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(&len.to_le_bytes());
        self.bytes.extend_from_slice(encoded);
        self.next += 1;
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Why an event of a run does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    /// The run is cut here: nothing after it can be found.
    pub cut: bool,
    pub detail: String,
}

/// Each event of a run, decoded, in order; a frame that does not decode
/// is an error in its place. A length that overruns the value ends the
/// list with one error marked `cut` (nothing after it can be found).
pub fn frames(value: &[u8]) -> Vec<Result<Event, FrameError>> {
    let cut = |detail: String| Err(FrameError { cut: true, detail });
    let mut out = Vec::new();
    let Some((&RUN_MAGIC, mut rest)) = value.split_first() else {
        out.push(cut(format!("not a run of events (first byte {:?})", value.first())));
        return out;
    };
    while !rest.is_empty() {
        let Some((len, body)) = rest.split_first_chunk::<4>() else {
            out.push(cut(format!(
                "a run of events ends inside a length ({} bytes left)",
                rest.len()
            )));
            break;
        };
        let len = u32::from_le_bytes(*len) as usize;
        let Some((frame, after)) = (len <= body.len()).then(|| body.split_at(len)) else {
            out.push(cut(format!(
                "an event of the run says {len} bytes, {} are left",
                body.len()
            )));
            break;
        };
        out.push(decode_one(frame));
        rest = after;
    }
    out
}

/// Is this key of the events tree a case's run (else one event's)?
pub fn is_run(key: &[u8]) -> bool {
    key.len() == 8
}

/// Each event an item of the events tree holds, in order: a run's under
/// an 8-byte key ([`frames`]), else the one event.
pub fn each(key: &[u8], value: &[u8]) -> Vec<Result<Event, FrameError>> {
    if is_run(key) {
        return frames(value);
    }
    vec![decode_one(value)]
}

/// One event as the codec writes it.
fn decode_one(bytes: &[u8]) -> Result<Event, FrameError> {
    codec::decode::<Event>(bytes, EVENT_VERSION)
        .map(|(_, ev)| ev)
        .map_err(|e| FrameError {
            cut: false,
            detail: e.to_string(),
        })
}

/// The events an item of the events tree holds. The first failure is the
/// error.
pub fn decode_item(key: &[u8], value: &[u8]) -> Result<Vec<Event>, String> {
    each(key, value).into_iter().map(|r| r.map_err(|e| e.detail)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(case: u64, seq: u32, note: &str) -> Event {
        let mut ev = crate::store::golden::sample().event;
        ev.case = CaseId(case);
        ev.seq = seq;
        ev.note = note.into();
        ev
    }

    fn run_of(evs: &[Event]) -> Vec<u8> {
        let mut r = Run::new(evs[0].case);
        for ev in evs {
            r.push(&codec::encode(EVENT_VERSION, ev).unwrap());
        }
        assert_eq!(r.next as usize, evs.len());
        r.bytes().to_vec()
    }

    /// The run's bytes, held: a change of its layout fails here until
    /// `RUN_MAGIC` moves (with a migration) and the file is blessed again.
    #[test]
    fn golden_run_of_two_events() {
        let ev = crate::store::golden::sample().event;
        let evs = [Event { seq: 0, ..ev.clone() }, Event { seq: 1, ..ev }];
        let hex: String = run_of(&evs).iter().map(|b| format!("{b:02x}")).collect();
        crate::store::golden::assert_golden("src/store/golden/event-run-v1.txt", &format!("{hex}\n"), "RUN_MAGIC");
    }

    #[test]
    fn a_run_reads_back_event_by_event() {
        let evs = [event(7, 0, "甲"), event(7, 1, ""), event(7, 2, "第三条")];
        let bytes = run_of(&evs);
        assert_eq!(decode_item(&run_key(CaseId(7)), &bytes).unwrap(), evs);
        // A single event under its 12-byte key reads as it always did.
        let one = codec::encode(EVENT_VERSION, &evs[1]).unwrap();
        let key = crate::store::event_key(CaseId(7), 1);
        assert_eq!(decode_item(&key, &one).unwrap(), vec![evs[1].clone()]);
        // The run's key sorts before every single event of its case.
        assert!(run_key(CaseId(7)).as_slice() < key.as_slice());
        assert!(key.as_slice() < run_key(CaseId(8)).as_slice());
    }

    #[test]
    fn a_damaged_run_is_an_error_never_a_panic_and_keeps_what_reads() {
        let evs = [event(7, 0, "甲"), event(7, 1, "乙"), event(7, 2, "丙")];
        let bytes = run_of(&evs);
        // Where each event's frame ends.
        let mut ends = vec![1];
        while let Some(&at) = ends.last().filter(|&&at| at < bytes.len()) {
            ends.push(at + 4 + u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize);
        }
        assert_eq!(ends.len(), evs.len() + 1);
        // Cut anywhere: the events wholly before the cut, and an error
        // unless the cut falls between two events.
        for cut in 0..=bytes.len() {
            let got = frames(&bytes[..cut]);
            let whole = ends.iter().filter(|&&e| e <= cut).count().saturating_sub(1);
            let ok: Vec<Event> = got.iter().filter_map(|r| r.clone().ok()).collect();
            assert_eq!(ok, evs[..whole], "{cut}");
            let read = decode_item(&run_key(CaseId(7)), &bytes[..cut]);
            assert_eq!(read.is_ok(), ends.contains(&cut), "{cut}");
        }
        // A length that says more than is there.
        let mut long = bytes.clone();
        long[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        let got = frames(&long);
        assert_eq!(got.len(), 1);
        let e = got[0].as_ref().unwrap_err();
        assert!(e.cut && e.detail.contains("says 4294967295 bytes"), "{got:?}");
        // One event's bytes damaged: that one fails, the others read.
        let mut flipped = bytes.clone();
        let second = 1 + 4 + u32::from_le_bytes(bytes[1..5].try_into().unwrap()) as usize;
        flipped[second + 4] ^= 0xFF;
        let got = frames(&flipped);
        assert_eq!(got.len(), 3);
        assert!(
            got[0].is_ok() && got[1].as_ref().is_err_and(|e| !e.cut) && got[2].is_ok(),
            "{got:?}"
        );
        // Not a run at all.
        assert!(decode_item(&run_key(CaseId(7)), &[0xB1, 0, 2]).is_err());
        assert!(decode_item(&run_key(CaseId(7)), &[]).is_err());
    }
}
