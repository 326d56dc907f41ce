//! The case notes tree (`case_notes`, #18): case ++ event seq → the note
//! that event carries (`domain::notes::note_of`), so the Cases tab can
//! search notes without reading every case's events.
//!
//! The events stay the one record: a note's entry is written in the same
//! transaction as its event (`Tx::put_event`) or in the same bulk load
//! (`BulkWriter::put_event`: the demo city, a restore), `check` compares
//! the tree with what the events imply, `check --repair` rebuilds it from
//! them, and the upgrade to schema 4 fills it for a database whose notes
//! were written before it existed. A backup does not carry it: a restore
//! writes every event again, and with it every note's entry.

use super::check::{Problem, show_key};
use super::record::event_key;
use super::tx::{Edit, Tx, TxResult, abort};
use super::{Result, Store, StoreError, TreeName, codec};
use crate::domain::notes::{CaseNote, note_of};
use crate::domain::{CaseId, Event};
use std::collections::{BTreeMap, BTreeSet};

/// Envelope version of a note's entry.
pub const NOTE_VERSION: u16 = 1;

/// The tree's name (`TreeName::CaseNotes`), for messages.
pub const NOTES_TREE: &str = "case_notes";

/// A key and its value, as stored.
type Entry = (Vec<u8>, Vec<u8>);

/// The entry an event implies (`None`: the event carries no note).
fn entry_of(ev: &Event) -> std::result::Result<Option<Entry>, codec::CodecError> {
    match note_of(ev) {
        None => Ok(None),
        Some(n) => Ok(Some((
            event_key(ev.case, ev.seq).to_vec(),
            codec::encode(NOTE_VERSION, &n)?,
        ))),
    }
}

/// `K12/3` for a 12-byte key, else the key as `check` shows keys.
fn show_note_key(k: &[u8]) -> String {
    match (k.get(..8), k.get(8..12)) {
        (Some(c), Some(s)) if k.len() == 12 => {
            let case = u64::from_be_bytes(c.try_into().unwrap_or_default());
            let seq = u32::from_be_bytes(s.try_into().unwrap_or_default());
            format!("{}/{seq}", CaseId(case))
        }
        _ => show_key(k),
    }
}

impl Tx<'_> {
    /// Write the note entry of an event being written (called by
    /// `put_event`, so every event written in a transaction has it). An
    /// event without a note writes nothing: events are only ever
    /// appended, so there is no older entry under its key to remove.
    pub(crate) fn put_note(&self, ev: &Event) -> TxResult<()> {
        match entry_of(ev) {
            Ok(Some((k, v))) => {
                self.tree(TreeName::CaseNotes).insert(k, v)?;
            }
            Ok(None) => {}
            Err(e) => {
                return abort(StoreError::Corrupt {
                    path: self.path.to_path_buf(),
                    detail: format!("note of event {}/{}: {e}", ev.case, ev.seq),
                });
            }
        }
        Ok(())
    }
}

/// The note entry of an event in a bulk load (`BulkWriter::put_event`).
pub(super) fn bulk_entry(store: &Store, ev: &Event) -> Result<Option<Entry>> {
    entry_of(ev).map_err(|e| store.corrupt(format!("note of event {}/{}: {e}", ev.case, ev.seq)))
}

/// The events an item of the events tree holds, each read on its own; for
/// one that does not decode, the key under which its note's entry is kept
/// as it is: its own (a run's events are `case ++ i`), or the run's when
/// the run is cut there (what follows cannot be told).
fn events_for_notes(k: &[u8], v: &[u8]) -> Vec<std::result::Result<Event, Vec<u8>>> {
    let case = k.first_chunk::<8>().map(|c| CaseId(u64::from_be_bytes(*c)));
    super::run::each(k, v)
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.map_err(|e| match case {
                Some(case) if super::run::is_run(k) && !e.cut => {
                    event_key(case, u32::try_from(i).unwrap_or(u32::MAX)).to_vec()
                }
                _ => k.to_vec(),
            })
        })
        .collect()
}

/// What the events imply for the tree.
struct Wanted {
    entries: BTreeMap<Vec<u8>, Vec<u8>>,
    /// Keys of events that do not decode (`check` reports them): their
    /// entries are left as they are, perhaps the only copy of the words.
    unread: BTreeSet<Vec<u8>>,
}

impl Wanted {
    /// Is the entry under `key` (case ++ seq) behind an event that does
    /// not decode: its own, or its case's whole run?
    fn unread_holds(&self, key: &[u8]) -> bool {
        self.unread.contains(key) || key.get(..8).is_some_and(|case| self.unread.contains(case))
    }
}

impl Store {
    /// Every note, by case and event.
    pub fn case_notes(&self) -> Result<Vec<CaseNote>> {
        self.read_notes(self.tree(TreeName::CaseNotes).iter())
    }

    /// One case's notes, oldest first.
    pub fn case_notes_of(&self, case: CaseId) -> Result<Vec<CaseNote>> {
        self.read_notes(self.tree(TreeName::CaseNotes).scan_prefix(case.0.to_be_bytes()))
    }

    fn read_notes(&self, items: sled::Iter) -> Result<Vec<CaseNote>> {
        let mut out = Vec::new();
        for item in items {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let (_, n) = codec::decode::<CaseNote>(&v, NOTE_VERSION)
                .map_err(|e| self.corrupt(format!("{NOTES_TREE} {}: {e}", show_note_key(&k))))?;
            out.push(n);
        }
        Ok(out)
    }

    fn notes_wanted(&self) -> Result<Wanted> {
        let mut w = Wanted {
            entries: BTreeMap::new(),
            unread: BTreeSet::new(),
        };
        for item in self.tree(TreeName::Events).iter() {
            super::progress::tick();
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            for ev in events_for_notes(&k, &v) {
                match ev {
                    Ok(ev) => {
                        if let Some((key, value)) = entry_of(&ev)
                            .map_err(|e| self.corrupt(format!("note of event {}/{}: {e}", ev.case, ev.seq)))?
                        {
                            w.entries.insert(key, value);
                        }
                    }
                    Err(kept) => {
                        w.unread.insert(kept);
                    }
                }
            }
        }
        Ok(w)
    }

    /// The differences between the tree and the events: entries to write
    /// (missing or wrong) and stray keys to remove.
    #[allow(clippy::type_complexity)]
    fn notes_diff(&self) -> Result<(Vec<(Vec<u8>, Vec<u8>, bool)>, Vec<Vec<u8>>)> {
        let want = self.notes_wanted()?;
        let have = self.read_tree(TreeName::CaseNotes)?;
        let wrong = want
            .entries
            .iter()
            .filter(|(k, v)| have.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone(), have.contains_key(k)))
            .collect();
        let stray = have
            .keys()
            .filter(|k| !want.entries.contains_key(*k) && !want.unread_holds(k))
            .cloned()
            .collect();
        Ok((wrong, stray))
    }

    /// What `check` finds wrong with the notes tree: a note in the events
    /// without its entry (or with another), an entry no event's note is
    /// behind.
    pub(super) fn check_case_notes(&self) -> Vec<Problem> {
        let problem = |key: &[u8], message: &str| Problem {
            tree: NOTES_TREE,
            key: show_note_key(key),
            message: message.to_string(),
        };
        match self.notes_diff() {
            Err(e) => vec![Problem {
                tree: NOTES_TREE,
                key: "-".into(),
                message: e.to_string(),
            }],
            Ok((wrong, stray)) => wrong
                .iter()
                .map(|(k, _, stored)| match stored {
                    false => problem(k, "the event's note has no entry"),
                    true => problem(k, "the entry differs from the event's note"),
                })
                .chain(
                    stray
                        .iter()
                        .map(|k| problem(k, "entry with no note in the events behind it")),
                )
                .collect(),
        }
    }

    /// `check --repair` and the upgrade to schema 4: make the notes tree
    /// what the events imply, in one transaction that moves the
    /// generation. Returns how many entries were written and removed
    /// (`None`: it matched).
    pub fn repair_case_notes(&self) -> Result<Option<(usize, usize)>> {
        let (wrong, stray) = self.notes_diff()?;
        if wrong.is_empty() && stray.is_empty() {
            return Ok(None);
        }
        let mut edits: Vec<Edit> = stray
            .iter()
            .map(|k| Edit::Remove(TreeName::CaseNotes, k.clone()))
            .collect();
        edits.extend(
            wrong
                .iter()
                .map(|(k, v, _)| Edit::Put(TreeName::CaseNotes, k.clone(), v.clone())),
        );
        self.apply_edits(&edits)?;
        Ok(Some((wrong.len(), stray.len())))
    }
}

/// Schema 3 → 4: fill the notes tree from the events (a database whose
/// notes were written before the tree existed). Returns how many entries
/// it wrote; running it again writes none.
pub(super) fn fill_from_events(store: &Store) -> Result<usize> {
    Ok(store.repair_case_notes()?.map_or(0, |(written, _)| written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;
    use crate::store::Stamp;

    fn stamp() -> Stamp {
        Stamp {
            operator: "王敏".into(),
            at: 1_760_000_000,
            today: chrono::NaiveDate::from_ymd_opt(2025, 10, 15).expect("date"),
        }
    }

    /// A small city written by the bulk loader (as the demo city and a
    /// restore are): the golden sample's records and one enrolled case
    /// with three notes.
    fn city() -> (tempfile::TempDir, Store, CaseId) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("db")).expect("open");
        let s = crate::store::golden::sample();
        let case = Case {
            state: CaseState::Enrolled,
            certification: None,
            events: 4,
            ..s.case.clone()
        };
        let mut w = crate::store::bulk::BulkWriter::new(&store);
        w.put(&s.institution).expect("put");
        w.put(&s.enterprise).expect("put");
        w.put(&s.demand).expect("put");
        w.put(&s.class).expect("put");
        w.put(&s.trainee).expect("put");
        w.put(&case).expect("put");
        w.set_seats_used(s.class.id, 1).expect("seats");
        let texts = ["", "本人说夜班太多", "企业人事电话确认在岗", "家住丹阳，通勤远"];
        for (seq, text) in texts.iter().enumerate() {
            w.put_event(&Event {
                case: case.id,
                seq: seq as u32,
                at: 1_759_900_000 + seq as i64,
                operator: "wang.fang".into(),
                from: (seq > 0).then_some(CaseState::Enrolled),
                to: CaseState::Enrolled,
                action: (seq > 0).then_some(Move::Note),
                note: text.to_string(),
            })
            .expect("event");
        }
        w.finish().expect("finish");
        assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
        (dir, store, case.id)
    }

    fn events_notes(store: &Store) -> Vec<CaseNote> {
        store.all_events().expect("events").iter().filter_map(note_of).collect()
    }

    #[test]
    fn a_note_and_its_entry_are_written_together_and_read_back() {
        let (_dir, store, case) = city();
        let before = store.case_notes().expect("notes");
        assert_eq!(before.len(), 3, "the bulk load writes each note's entry");
        assert_eq!(before, events_notes(&store));
        let g = store.generation().expect("generation");
        let moved = store.add_note(case, &stamp(), "  本人想换白班  ").expect("note");
        assert_eq!(store.generation().expect("generation"), g + 1, "one transaction");
        let mine = store.case_notes_of(case).expect("notes");
        let last = mine.last().expect("the note's entry");
        assert_eq!(
            (last.seq, last.text.as_str(), last.operator.as_str(), last.at),
            (moved.events - 1, "本人想换白班", "王敏", 1_760_000_000)
        );
        assert_eq!(store.case_notes().expect("notes"), events_notes(&store));
        assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
        // A step without words writes no entry.
        store
            .transition(case, Move::StartTraining, &stamp(), "")
            .expect("start training");
        assert_eq!(store.case_notes().expect("notes").len(), 4);
        assert!(store.check().problems.is_empty(), "{:?}", store.check().problems);
    }

    #[test]
    fn check_finds_a_missing_a_wrong_and_a_stray_entry_and_repair_rebuilds_what_the_events_say() {
        let (_dir, store, _) = city();
        let incremental = store.read_tree(TreeName::CaseNotes).expect("tree");
        assert!(incremental.len() >= 3);
        let mut keys = incremental.keys();
        let (k1, k2) = (keys.next().expect("k1").clone(), keys.next().expect("k2").clone());
        let t = store.tree(TreeName::CaseNotes);
        t.remove(&k1).expect("remove");
        let other = incremental.values().nth(2).expect("v").clone();
        t.insert(&k2, other).expect("insert");
        let mut stray = k1.clone();
        stray[11] = stray[11].wrapping_add(200);
        t.insert(&stray, b"x".to_vec()).expect("insert");
        let problems: Vec<String> = store.check().problems.iter().map(|p| p.to_string()).collect();
        let show = |k: &[u8]| show_note_key(k);
        assert_eq!(
            problems,
            [
                format!("case_notes {}: the event's note has no entry", show(&k1)),
                format!("case_notes {}: the entry differs from the event's note", show(&k2)),
                format!(
                    "case_notes {}: entry with no note in the events behind it",
                    show(&stray)
                ),
            ]
        );
        assert!(problems[0].starts_with("case_notes K"), "{problems:?}");
        let g = store.generation().expect("generation");
        assert_eq!(store.repair_case_notes().expect("repair"), Some((2, 1)));
        assert!(store.generation().expect("generation") > g, "caches see the change");
        assert_eq!(
            store.read_tree(TreeName::CaseNotes).expect("tree"),
            incremental,
            "rebuilt = incremental"
        );
        assert!(store.check().problems.is_empty());
        assert_eq!(store.repair_case_notes().expect("repair"), None);
    }

    #[test]
    fn an_emptied_tree_is_filled_from_the_events() {
        let (_dir, store, _) = city();
        let incremental = store.read_tree(TreeName::CaseNotes).expect("tree");
        store.tree(TreeName::CaseNotes).clear().expect("clear");
        assert_eq!(store.check().problems.len(), incremental.len());
        assert_eq!(fill_from_events(&store).expect("fill"), incremental.len());
        assert_eq!(store.read_tree(TreeName::CaseNotes).expect("tree"), incremental);
        assert_eq!(fill_from_events(&store).expect("again"), 0);
    }
}
