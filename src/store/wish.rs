//! Training wishes on disk: three trees of their own, apart from the
//! record trees (like the access records): writing one does not move the
//! write generation, so the search cache and the records snapshot stay
//! current.
//!
//! - `wish_inbox`: wish number → the wish, written once and never changed
//!   or removed (the store has no call that does): the kiosk's inbox.
//! - `wish_events`: wish number ++ seq → every operator outcome, signed and
//!   timed, appended in the same transaction that checks it.
//! - `wish_waiting`: mobile ++ trade → the open wish holding it, so one
//!   mobile is not queued twice for the same trade.
//!
//! The next wish number and each kiosk's registrations of the last minute
//! live in the meta tree, written in the same transaction.

use super::{Result, Stamp, Store, StoreError, TreeName, codec};
use crate::domain::wish::{
    self as w, Draft, Held, Outcome, Source, Wish, WishError, WishEvent, WishId, WishState, Wishes,
};
use crate::domain::{Mobile, OccupationId};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

pub const INBOX_TREE: &str = "wish_inbox";
pub const EVENTS_TREE: &str = "wish_events";
pub const WAITING_TREE: &str = "wish_waiting";

/// Envelope version of a wish and of a wish event.
pub const WISH_VERSION: u16 = 1;

/// The database setting: days before a waiting wish is overdue.
pub const META_OVERDUE_DAYS: &str = "policy.wish_overdue_days";
/// The database setting: wishes one kiosk may register per minute.
pub const META_PER_MINUTE: &str = "policy.wish_per_minute";
/// The next wish number.
const META_NEXT: &str = "wish_next";
/// A kiosk's registration times of the last minute (`wish_rate.<kiosk>`).
const META_RATE: &str = "wish_rate.";

type Abort = ConflictableTransactionError<StoreError>;

fn waiting_key(mobile: &Mobile, trade: OccupationId) -> Vec<u8> {
    let mut k = mobile.as_str().as_bytes().to_vec();
    k.extend_from_slice(&trade.0.to_be_bytes());
    k
}

fn event_key(wish: WishId, seq: u32) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..8].copy_from_slice(&wish.0.to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

fn times(v: Option<&[u8]>) -> Vec<i64> {
    v.map(|b| {
        String::from_utf8_lossy(b)
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    })
    .unwrap_or_default()
}

impl Store {
    fn wish_trees(&self) -> Result<Vec<sled::Tree>> {
        let mut out = Vec::with_capacity(4);
        for name in [INBOX_TREE, EVENTS_TREE, WAITING_TREE] {
            out.push(self.db.open_tree(name).map_err(|e| self.write_err(e))?);
        }
        out.push(self.tree(TreeName::Meta).clone());
        Ok(out)
    }

    /// Days before a waiting wish is overdue, as this database sets it.
    pub fn wish_overdue_days(&self) -> u32 {
        self.meta(META_OVERDUE_DAYS)
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse().ok())
            .filter(|d| (1..=365).contains(d))
            .unwrap_or(w::DEFAULT_OVERDUE_DAYS)
    }

    /// Wishes one kiosk may register per minute, as this database sets it.
    pub fn wish_per_minute(&self) -> u32 {
        self.meta(META_PER_MINUTE)
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse().ok())
            .filter(|d| (1..=1000).contains(d))
            .unwrap_or(w::DEFAULT_PER_MINUTE)
    }

    fn wish_tx<T>(&self, f: impl Fn(&[TransactionalTree]) -> std::result::Result<T, Abort>) -> Result<T> {
        let trees = self.wish_trees()?;
        let out = trees
            .as_slice()
            .transaction(|view: &Vec<TransactionalTree>| f(view.as_slice()));
        let out = match out {
            Ok(v) => v,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        };
        self.flush()?;
        Ok(out)
    }

    /// Check a draft and append it to the inbox, in one transaction: a
    /// kiosk past its registrations per minute is refused, and so is a
    /// mobile whose open wish for the same trade is still queued.
    pub fn append_wish(&self, draft: &Draft, source: Source, stamp: &Stamp) -> Result<Wish> {
        // Refused before anything is written when the draft itself is bad.
        w::check(draft, WishId(1), source.clone(), stamp.at, stamp.today)?;
        let per_minute = self.wish_per_minute();
        let path = self.path.clone();
        let corrupt = |detail: String| {
            ConflictableTransactionError::Abort(StoreError::Corrupt {
                path: path.clone(),
                detail,
            })
        };
        self.wish_tx(|t| {
            let (inbox, waiting, meta) = (&t[0], &t[2], &t[3]);
            if let Source::Kiosk(kiosk) = &source {
                let key = format!("{META_RATE}{kiosk}");
                let mut recent: Vec<i64> = times(meta.get(key.as_bytes())?.as_deref());
                recent.retain(|at| stamp.at - *at < 60 && *at <= stamp.at);
                if recent.len() >= per_minute as usize {
                    return Err(ConflictableTransactionError::Abort(StoreError::Wish(
                        WishError::RateLimited {
                            kiosk: kiosk.clone(),
                            per_minute,
                        },
                    )));
                }
                recent.push(stamp.at);
                let text: Vec<String> = recent.iter().map(i64::to_string).collect();
                meta.insert(key.as_bytes(), text.join(",").as_bytes())?;
            }
            let next = meta
                .get(META_NEXT)?
                .and_then(|v| String::from_utf8_lossy(&v).trim().parse::<u64>().ok())
                .unwrap_or(1);
            let wish = w::check(draft, WishId(next), source.clone(), stamp.at, stamp.today)
                .map_err(|e| ConflictableTransactionError::Abort(StoreError::Wish(e)))?;
            let wkey = waiting_key(&wish.mobile, wish.trade);
            if let Some(v) = waiting.get(&wkey)? {
                let existing = super::u64_from(&v).map(WishId).unwrap_or_default();
                return Err(ConflictableTransactionError::Abort(StoreError::Wish(
                    WishError::AlreadyWaiting { existing },
                )));
            }
            let bytes = codec::encode(WISH_VERSION, &wish).map_err(|e| corrupt(format!("wish {}: {e}", wish.id)))?;
            inbox.insert(&wish.id.0.to_be_bytes(), bytes)?;
            waiting.insert(wkey, &wish.id.0.to_be_bytes())?;
            meta.insert(META_NEXT, (next + 1).to_string().as_bytes())?;
            Ok(wish)
        })
    }

    /// Record an operator's outcome of a callback: checked against the
    /// wish's events, appended with who and when, and the mobile let go
    /// from the waiting index once the wish closes — one transaction.
    pub fn wish_outcome(&self, id: WishId, outcome: &Outcome, stamp: &Stamp, note: &str) -> Result<WishState> {
        let path = self.path.clone();
        let corrupt = |detail: String| {
            ConflictableTransactionError::Abort(StoreError::Corrupt {
                path: path.clone(),
                detail,
            })
        };
        let note = w::clean(note);
        self.wish_tx(|t| {
            let (inbox, events, waiting) = (&t[0], &t[1], &t[2]);
            let Some(v) = inbox.get(id.0.to_be_bytes())? else {
                return Err(ConflictableTransactionError::Abort(StoreError::Wish(
                    WishError::NotFound(id),
                )));
            };
            let (_, wish): (u16, Wish) =
                codec::decode(&v, WISH_VERSION).map_err(|e| corrupt(format!("wish {id}: {e}")))?;
            let mut outcomes = Vec::new();
            for seq in 0.. {
                let Some(v) = events.get(event_key(id, seq))? else {
                    break;
                };
                let (_, ev): (u16, WishEvent) =
                    codec::decode(&v, WISH_VERSION).map_err(|e| corrupt(format!("wish {id} event {seq}: {e}")))?;
                outcomes.push(ev.outcome);
            }
            let state = WishState::replay(&outcomes);
            state
                .check(id, outcome)
                .map_err(|e| ConflictableTransactionError::Abort(StoreError::Wish(e)))?;
            let ev = WishEvent {
                wish: id,
                seq: state.events,
                at: stamp.at,
                operator: stamp.operator.clone(),
                outcome: outcome.clone(),
                note: note.clone(),
            };
            let bytes = codec::encode(WISH_VERSION, &ev).map_err(|e| corrupt(format!("wish {id}: {e}")))?;
            events.insert(&event_key(id, ev.seq), bytes)?;
            let after = state.after(outcome);
            if !after.open() {
                let key = waiting_key(&wish.mobile, wish.trade);
                if waiting.get(&key)?.and_then(|v| super::u64_from(&v)) == Some(id.0) {
                    waiting.remove(key)?;
                }
            }
            Ok(after)
        })
    }

    /// Every wish with its state, by number. A wish or event that does not
    /// decode is reported, not skipped.
    pub fn wishes(&self) -> Result<Wishes> {
        let trees = self.wish_trees()?;
        let mut out = Wishes::new();
        for item in trees[0].iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let (_, wish): (u16, Wish) = codec::decode(&v, WISH_VERSION).map_err(|e| {
                self.corrupt(format!(
                    "wish {} in '{INBOX_TREE}': {e}",
                    super::u64_from(&k).unwrap_or(0)
                ))
            })?;
            out.insert(
                wish.id,
                Held {
                    wish,
                    state: WishState::default(),
                },
            );
        }
        for item in trees[1].iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let (_, ev): (u16, WishEvent) = codec::decode(&v, WISH_VERSION)
                .map_err(|e| self.corrupt(format!("a wish event in '{EVENTS_TREE}' ({k:?}): {e}")))?;
            if let Some(h) = out.get_mut(&ev.wish) {
                h.state = h.state.after(&ev.outcome);
            }
        }
        Ok(out)
    }

    /// One wish's outcomes, oldest first (its audit trail).
    pub fn wish_events(&self, id: WishId) -> Result<Vec<WishEvent>> {
        let trees = self.wish_trees()?;
        let mut out = Vec::new();
        for item in trees[1].scan_prefix(id.0.to_be_bytes()) {
            let (_, v) = item.map_err(|e| self.read_err(e))?;
            let (_, ev): (u16, WishEvent) =
                codec::decode(&v, WISH_VERSION).map_err(|e| self.corrupt(format!("wish {id} event: {e}")))?;
            out.push(ev);
        }
        Ok(out)
    }

    /// What `check` finds wrong with the wishes: an open wish missing from
    /// the waiting index, or an index entry no open wish holds.
    pub fn check_wishes(&self) -> Result<Vec<String>> {
        let wishes = self.wishes()?;
        let trees = self.wish_trees()?;
        let mut problems = Vec::new();
        let mut want = std::collections::BTreeMap::new();
        for h in wishes.values().filter(|h| h.state.open()) {
            want.entry(waiting_key(&h.wish.mobile, h.wish.trade))
                .or_insert(h.wish.id.0);
        }
        let mut have = std::collections::BTreeMap::new();
        for item in trees[2].iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            have.insert(k.to_vec(), super::u64_from(&v).unwrap_or(0));
        }
        for (k, id) in &want {
            if have.get(k) != Some(id) {
                problems.push(format!("wish {} is open but not in '{WAITING_TREE}'", WishId(*id)));
            }
        }
        for (k, id) in &have {
            if !want.contains_key(k) {
                problems.push(format!("'{WAITING_TREE}' names wish {} that is not open", WishId(*id)));
            }
        }
        Ok(problems)
    }
}

/// `check`'s part: the wishes' problems, as problems of their tree.
pub(super) fn check_into(store: &Store, p: &mut Vec<super::check::Problem>) {
    let found = match store.check_wishes() {
        Ok(v) => v,
        Err(e) => vec![e.to_string()],
    };
    p.extend(found.into_iter().map(|message| super::check::Problem {
        tree: WAITING_TREE,
        key: "-".into(),
        message,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RegionId, TraineeId};
    use chrono::NaiveDate;

    fn stamp(at: i64) -> Stamp {
        Stamp {
            operator: "li".into(),
            at,
            today: NaiveDate::from_ymd_opt(2025, 10, 9).unwrap_or_default(),
        }
    }

    fn draft(mobile: &str) -> Draft {
        Draft {
            name: "王芳".into(),
            mobile: mobile.into(),
            region: Some(RegionId(5)),
            trade: Some(OccupationId(0)),
            consent: true,
            ..Draft::default()
        }
    }

    #[test]
    fn the_inbox_appends_numbers_refuses_twice_and_limits_a_kiosk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let generation = store.generation().unwrap();
        let kiosk = Source::Kiosk("lobby".into());
        let a = store
            .append_wish(&draft("13900000001"), kiosk.clone(), &stamp(100))
            .unwrap();
        assert_eq!(a.id, WishId(1));
        let e = store
            .append_wish(&draft("13900000001"), kiosk.clone(), &stamp(101))
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Wish(WishError::AlreadyWaiting { existing }) if existing == a.id),
            "{e}"
        );
        store.set_meta(META_PER_MINUTE, "3").unwrap();
        for i in 2..=3 {
            store
                .append_wish(&draft(&format!("1390000000{i}")), kiosk.clone(), &stamp(102))
                .unwrap();
        }
        let e = store
            .append_wish(&draft("13900000009"), kiosk.clone(), &stamp(110))
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Wish(WishError::RateLimited { per_minute: 3, .. })),
            "{e}"
        );
        // Another kiosk, the desk, and the same kiosk a minute later are not held back.
        store
            .append_wish(&draft("13900000009"), Source::Kiosk("hall".into()), &stamp(110))
            .unwrap();
        store
            .append_wish(&draft("13900000008"), Source::Desk("li".into()), &stamp(110))
            .unwrap();
        store.append_wish(&draft("13900000007"), kiosk, &stamp(170)).unwrap();
        assert_eq!(store.wishes().unwrap().len(), 6);
        assert_eq!(
            store.generation().unwrap(),
            generation,
            "the search cache stays current"
        );
        assert!(store.check_wishes().unwrap().is_empty());
    }

    #[test]
    fn outcomes_are_signed_events_and_free_the_mobile_when_closed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let desk = Source::Desk("li".into());
        let a = store
            .append_wish(&draft("13900000001"), desk.clone(), &stamp(100))
            .unwrap();
        let s = store
            .wish_outcome(a.id, &Outcome::Registered(TraineeId(4)), &stamp(200), "")
            .unwrap();
        assert_eq!(s.trainee(), Some(TraineeId(4)));
        // Linked, still waiting for a class: the same mobile and trade stays queued once.
        assert!(
            store
                .append_wish(&draft("13900000001"), desk.clone(), &stamp(201))
                .is_err()
        );
        let e = store
            .wish_outcome(a.id, &Outcome::Duplicate(TraineeId(5)), &stamp(202), "")
            .unwrap_err();
        assert!(matches!(e, StoreError::Wish(WishError::Linked { .. })), "{e}");
        store
            .wish_outcome(a.id, &Outcome::NotInterested, &stamp(300), "改主意了")
            .unwrap();
        let events = store.wish_events(a.id).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!((events[1].operator.as_str(), events[1].at), ("li", 300));
        assert!(!store.wishes().unwrap()[&a.id].state.open());
        // Closed: the mobile may wish again.
        store.append_wish(&draft("13900000001"), desk, &stamp(400)).unwrap();
        assert!(store.check_wishes().unwrap().is_empty());
        let e = store
            .wish_outcome(WishId(99), &Outcome::NotReached, &stamp(1), "")
            .unwrap_err();
        assert!(matches!(e, StoreError::Wish(WishError::NotFound(_))));
    }
}
