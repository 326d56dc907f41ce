//! Case notes through the service (#18): every case's notes held in
//! memory (read from the store's notes tree at a load, kept current after
//! each write to a case), and the Cases tab's search of them.
//!
//! A Cases query with a note prefix (`注:夜班`, `note:night`; see
//! `domain::notes::NoteQuery`) searches the notes instead of the cases'
//! search lines: the words after the prefix must all match the case's
//! notes, with the search's own terms (Chinese, pinyin, initials,
//! `'exact`, `!not`…); words before it search the cases as usual. `注:`
//! alone lists every case with a note. The district scope, the filters
//! and the order apply as to any search. Nothing of a note goes into the
//! cases' search index: the normal search does not slow down and a note's
//! words never show in a list's cells.
//!
//! Notes may hold personal data: a kiosk never reaches them. The service
//! offers a case's notes to an operator's session…
//!
//! ```no_run
//! use skillbridge::domain::CaseId;
//! use skillbridge::service::Service;
//! fn operator(s: &Service) {
//!     let _ = s.case_notes(CaseId(1));
//!     let _ = s.read().data.notes.len();
//! }
//! ```
//!
//! …and a kiosk's view has no such method and no way to the service's data:
//!
//! ```compile_fail
//! use skillbridge::domain::CaseId;
//! use skillbridge::service::public::PublicView;
//! fn kiosk(v: &PublicView) {
//!     let _ = v.case_notes(CaseId(1));
//! }
//! ```

use super::list::sort_hits;
use super::{Data, Found, Inner, SearchSpec, Service};
use crate::domain::notes::{CaseNote, NoteQuery};
use crate::domain::{CaseId, Kind};
use crate::search::{Hay, Hit, Query, score};
use crate::store::{Result, Store};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

/// One case's notes, oldest first, with their search text.
#[derive(Debug, Clone)]
pub struct CaseNotes {
    pub list: Vec<CaseNote>,
    hay: Hay,
}

impl CaseNotes {
    fn new(list: Vec<CaseNote>) -> Option<CaseNotes> {
        if list.is_empty() {
            return None;
        }
        let line = list.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join("  ");
        Some(CaseNotes {
            hay: Hay::new(line),
            list,
        })
    }

    /// The notes a note query's words match one by one; all of them when
    /// none does alone (the words matched across notes) or there are none.
    pub fn matching(&self, words: &str) -> Vec<&CaseNote> {
        let q = Query::parse(words);
        let one: Vec<&CaseNote> = self
            .list
            .iter()
            .filter(|n| !q.is_empty() && score(&Hay::new(n.text.clone()), &q).is_some())
            .collect();
        if one.is_empty() {
            self.list.iter().collect()
        } else {
            one
        }
    }
}

/// True when a query might hold a note prefix (every prefix ends in a
/// colon): the one test a normal search pays.
fn may_be_notes(raw: &str) -> bool {
    raw.contains(':') || raw.contains('：')
}

/// The note query of a Cases search, if it is one.
pub fn note_query(kind: Kind, raw: &str) -> Option<NoteQuery> {
    if kind != Kind::Cases || !may_be_notes(raw) {
        return None;
    }
    NoteQuery::split(raw)
}

impl Data {
    /// Read every case's notes from the notes tree.
    pub(crate) fn load_notes(&mut self, store: &Store) -> Result<()> {
        let mut by_case: BTreeMap<CaseId, Vec<CaseNote>> = BTreeMap::new();
        for n in store.case_notes()? {
            by_case.entry(n.case).or_default().push(n);
        }
        self.notes = by_case
            .into_iter()
            .filter_map(|(c, l)| CaseNotes::new(l).map(|n| (c, n)))
            .collect();
        Ok(())
    }

    /// Keep one case's notes as the store now has them.
    pub(crate) fn keep_notes(&mut self, case: CaseId, list: Vec<CaseNote>) {
        match CaseNotes::new(list) {
            Some(n) => self.notes.insert(case, n),
            None => self.notes.remove(&case),
        };
    }
}

impl Inner {
    /// A Cases search of the notes (see the module). The matches never
    /// narrow from an earlier search's (`within` is not taken): the words
    /// before and after the prefix can change places between keystrokes,
    /// and the notes are few.
    pub(super) fn search_notes(
        &self,
        spec: &SearchSpec,
        nq: &NoteQuery,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Found> {
        let start = Instant::now();
        let data = &self.data;
        let words = Query::parse(&nq.notes);
        let cases = Query::parse(&nq.cases);
        let case_scores: Option<HashMap<u64, i64>> = if cases.is_empty() {
            None
        } else {
            let index = self.indexes.get(&Kind::Cases)?;
            Some(
                index
                    .search(&cases, None, cancelled)?
                    .into_iter()
                    .map(|h| (h.id, h.score))
                    .collect(),
            )
        };
        let mut hits = Vec::new();
        for (i, (id, notes)) in data.notes.iter().enumerate() {
            if i % 256 == 0 && cancelled() {
                return None;
            }
            let Some(s) = score(&notes.hay, &words) else { continue };
            let s = match &case_scores {
                None => s,
                Some(m) => match m.get(&id.0) {
                    Some(c) => s + c,
                    None => continue,
                },
            };
            if data.cases.contains_key(id) && spec.in_scope(data, id.0) {
                hits.push(Hit { id: id.0, score: s });
            }
        }
        let all: Arc<[u64]> = hits.iter().map(|h| h.id).collect();
        hits.retain(|h| spec.filters.keep(data, spec.kind, h.id));
        sort_hits(data, spec, &mut hits);
        Some(Found {
            hits: all,
            ids: hits.iter().map(|h| h.id).collect(),
            at: None,
            elapsed: start.elapsed(),
        })
    }
}

impl Service {
    /// A case's notes, oldest first (none when it has none).
    pub fn case_notes(&self, case: CaseId) -> Vec<CaseNote> {
        self.read()
            .data
            .notes
            .get(&case)
            .map(|n| n.list.clone())
            .unwrap_or_default()
    }
}
