//! Records of one kind by id, in id order, for the kinds a city has a
//! million of (trainees, cases): one vector of the records themselves,
//! sorted by the id each holds. A `BTreeMap` kept every id twice (as its
//! key and in the record) with a node's bookkeeping besides: 129 bytes a
//! trainee against 120 here, 9 MB at a million, with the same lookups
//! (a binary search) and iteration in id order. Ids are handed out in
//! ascending order, so a new record is a push; one inserted before the
//! end (never in practice) moves the records after it.

use crate::domain::{Case, CaseId, Trainee, TraineeId};

/// A record that carries its own id.
pub trait Keyed {
    type Id: Ord + Copy + std::fmt::Debug;
    fn id(&self) -> &Self::Id;
}

impl Keyed for Trainee {
    type Id = TraineeId;
    fn id(&self) -> &TraineeId {
        &self.id
    }
}

impl Keyed for Case {
    type Id = CaseId;
    fn id(&self) -> &CaseId {
        &self.id
    }
}

/// The records, ascending by id, no id twice.
#[derive(Clone, PartialEq, Eq)]
pub struct IdMap<V> {
    items: Vec<V>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap { items: Vec::new() }
    }
}

impl<V: Keyed> IdMap<V> {
    fn find(&self, id: &V::Id) -> Result<usize, usize> {
        // The newest is the one most often asked for after a write.
        match self.items.last() {
            Some(last) if last.id() < id => Err(self.items.len()),
            _ => self.items.binary_search_by(|v| v.id().cmp(id)),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: &V::Id) -> Option<&V> {
        self.find(id).ok().map(|i| &self.items[i])
    }

    pub fn contains_key(&self, id: &V::Id) -> bool {
        self.find(id).is_ok()
    }

    /// Add or replace the record with id `id` (the record's own), returning
    /// the one replaced.
    pub fn insert(&mut self, id: V::Id, v: V) -> Option<V> {
        assert_eq!(&id, v.id(), "a record is kept under its own id");
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i], v)),
            Err(i) => {
                self.items.insert(i, v);
                None
            }
        }
    }

    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.items.iter()
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &V::Id> + ExactSizeIterator {
        self.items.iter().map(|v| v.id())
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&V::Id, &V)> + ExactSizeIterator {
        self.items.iter().map(|v| (v.id(), v))
    }

    /// The records as read (a snapshot's, a database's), in any order: the
    /// last of an id wins, as inserting them one by one would.
    pub fn from_records(mut items: Vec<V>) -> Self {
        if !items.is_sorted_by(|a, b| a.id() < b.id()) {
            // Stable, so of one id the later stays later, and is kept.
            items.sort_by(|a, b| a.id().cmp(b.id()));
            // In place: of a run of one id the kept (first) slot takes
            // each later record in turn.
            items.dedup_by(|later, kept| {
                let same = later.id() == kept.id();
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
        }
        IdMap { items }
    }
}

impl<V: Keyed> std::ops::Index<&V::Id> for IdMap<V> {
    type Output = V;
    fn index(&self, id: &V::Id) -> &V {
        match self.get(id) {
            Some(v) => v,
            None => panic!("no record {id:?}"),
        }
    }
}

impl<'a, V: Keyed> IntoIterator for &'a IdMap<V> {
    type Item = (&'a V::Id, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, V>, fn(&'a V) -> (&'a V::Id, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|v| (v.id(), v))
    }
}

impl<V: Keyed> FromIterator<(V::Id, V)> for IdMap<V> {
    fn from_iter<I: IntoIterator<Item = (V::Id, V)>>(iter: I) -> Self {
        Self::from_records(
            iter.into_iter()
                .map(|(id, v)| {
                    assert_eq!(&id, v.id(), "a record is kept under its own id");
                    v
                })
                .collect(),
        )
    }
}

impl<V: Keyed + std::fmt::Debug> std::fmt::Debug for IdMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn case(id: u64, events: u32) -> Case {
        Case {
            id: CaseId(id),
            trainee: TraineeId(id % 7),
            class: crate::domain::ClassId(1),
            state: crate::domain::CaseState::Enrolled,
            certification: None,
            events,
            opened: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        }
    }

    #[test]
    fn it_answers_as_a_map_of_the_same_writes_does() {
        // A small generator of its own (the service may not use `rng`).
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut below = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n.max(1)
        };
        let mut map: BTreeMap<CaseId, Case> = BTreeMap::new();
        let mut ids: IdMap<Case> = IdMap::default();
        for n in 0..3000u32 {
            // Mostly new ids at the end, some replaced, some before the end.
            let id = match below(10) {
                0..=6 => map.keys().next_back().map_or(1, |k| k.0 + 1 + below(3)),
                7 | 8 => below(map.len() as u64 + 1),
                _ => below(10_000),
            };
            let c = case(id, n);
            assert_eq!(ids.insert(c.id, c.clone()), map.insert(c.id, c), "insert {id}");
            assert_eq!(ids.len(), map.len());
        }
        assert!(ids.iter().eq(map.iter()));
        assert!(ids.keys().rev().eq(map.keys().rev()));
        assert!(ids.values().eq(map.values()));
        for id in 0..10_010u64 {
            assert_eq!(ids.get(&CaseId(id)), map.get(&CaseId(id)));
            assert_eq!(ids.contains_key(&CaseId(id)), map.contains_key(&CaseId(id)));
        }
        assert_eq!(format!("{ids:?}"), format!("{map:?}"));
        // Read back in any order: the last of an id wins.
        let mut shuffled: Vec<(CaseId, Case)> = map.iter().map(|(k, v)| (*k, v.clone())).collect();
        shuffled.reverse();
        shuffled.push((CaseId(5), case(5, 99_999)));
        let again: IdMap<Case> = shuffled.into_iter().collect();
        map.insert(CaseId(5), case(5, 99_999));
        assert!(again.iter().eq(map.iter()));
    }
}
