//! Training wishes through the service (#25): taken at the desk or
//! appended by a kiosk's [`WishInbox`], the callback queue, one-key
//! outcomes (each an event signed by the operator), and the unmet demand
//! per trade × district.
//!
//! A wish write does not move the store's generation (wishes live in trees
//! of their own), but it moves the service's version: every open session,
//! the operators' callback queue among them, sees it at once.

use super::data::Data;
use super::{Actor, Result, Service, access};
use crate::domain::wish::{self as w, Demand, Held, Outcome, Source, Stage, Wish, WishError, WishId, WishState};
use crate::domain::*;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One row of the callback queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub wish: Wish,
    pub state: WishState,
    /// Waiting this many days or more since it was registered.
    pub overdue: bool,
    pub days: i64,
    /// A trainee with the same mobile, if any (a likely duplicate).
    pub same_mobile: Option<TraineeId>,
}

impl Data {
    /// Read every wish and its outcomes (not in the snapshot).
    pub(crate) fn load_wishes(&mut self, store: &Store) -> Result<()> {
        self.wishes = store.wishes()?;
        Ok(())
    }

    /// Open seats per (trade, district): seats left in classes that still
    /// take enrollments (the dashboard's "seats open").
    pub fn open_seats(&self) -> BTreeMap<(OccupationId, RegionId), u32> {
        let mut out = BTreeMap::new();
        for c in self.classes.values().filter(|c| c.status.accepts_enrollment()) {
            *out.entry((c.occupation, c.region)).or_insert(0) += self.seats_left(c);
        }
        out
    }

    /// Unmet demand: open wishes per trade × district minus open seats.
    pub fn wish_demand(&self) -> Vec<Demand> {
        w::demand(&self.wishes, &self.open_seats())
    }

    /// The trainees holding these mobiles (one pass over the trainees).
    fn trainees_by_mobile(&self, mobiles: &HashSet<Mobile>) -> HashMap<Mobile, TraineeId> {
        if mobiles.is_empty() {
            return HashMap::new();
        }
        self.trainees
            .values()
            .filter_map(|t| t.mobile.filter(|m| mobiles.contains(m)).map(|m| (m, t.id)))
            .collect()
    }
}

impl Service {
    /// Days before a waiting wish is overdue (a database setting).
    pub fn wish_overdue_days(&self) -> u32 {
        self.store.wish_overdue_days()
    }

    /// Take a wish at the desk, signed by `by` (who needs intake rights
    /// over the wish's district).
    pub fn register_wish(&self, draft: &Draft, by: &Actor) -> Result<Wish> {
        by.may(access::Action::Intake)?;
        if let Some(r) = draft.region {
            by.may_in(access::Action::Intake, r, wish_subject("Y", Some(draft.name.as_str())))?;
        }
        self.append_wish(draft, Source::Desk(by.name.clone()), &by.name)
    }

    /// Append a wish (the desk's, or a kiosk's through its inbox).
    fn append_wish(&self, draft: &Draft, source: Source, operator: &str) -> Result<Wish> {
        let _gate = self.gate();
        let wish = self.store.append_wish(draft, source, &self.stamp(operator))?;
        self.write().data.wishes.insert(
            wish.id,
            Held {
                wish: wish.clone(),
                state: WishState::default(),
            },
        );
        self.bump();
        Ok(wish)
    }

    /// The callback queue `by` may see: open wishes of their districts,
    /// waiting ones first (oldest first, overdue marked), then the ones
    /// linked to a trainee and waiting for a class.
    pub fn wish_queue(&self, by: &Actor) -> Vec<QueueRow> {
        let days = self.wish_overdue_days();
        let today = self.today();
        let r = self.read();
        let data = &r.data;
        let open: Vec<&Held> = data
            .wishes
            .values()
            .filter(|h| h.state.open() && by.covers(h.wish.region))
            .collect();
        let mobiles: HashSet<Mobile> = open.iter().map(|h| h.wish.mobile).collect();
        let found = data.trainees_by_mobile(&mobiles);
        let mut rows: Vec<QueueRow> = open
            .into_iter()
            .map(|h| QueueRow {
                overdue: w::overdue(&h.wish, &h.state, today, days),
                days: (today - h.wish.date).num_days(),
                same_mobile: found.get(&h.wish.mobile).copied(),
                wish: h.wish.clone(),
                state: h.state,
            })
            .collect();
        rows.sort_by_key(|r| (r.state.stage != Stage::Waiting, r.wish.at, r.wish.id));
        rows
    }

    /// One wish (for an operator: they read its personal data masked).
    pub fn wish(&self, id: WishId) -> Option<Held> {
        self.read().data.wishes.get(&id).cloned()
    }

    /// The trainee holding a mobile, if any.
    pub fn trainee_by_mobile(&self, mobile: Mobile) -> Option<TraineeId> {
        let r = self.read();
        r.data
            .trainees_by_mobile(&HashSet::from([mobile]))
            .get(&mobile)
            .copied()
    }

    /// Record a callback's outcome, signed by `by` (intake rights over the
    /// wish's district). A registration names a trainee that exists; a
    /// duplicate names the trainee holding the wish's mobile.
    pub fn wish_outcome(&self, id: WishId, outcome: Outcome, by: &Actor, note: &str) -> Result<WishState> {
        let held = self.wish(id).ok_or(StoreError::Wish(WishError::NotFound(id)))?;
        by.may(access::Action::Intake)?;
        by.may_in(
            access::Action::Intake,
            held.wish.region,
            wish_subject(&id.to_string(), Some(held.wish.name.as_str())),
        )?;
        match &outcome {
            Outcome::Registered(t) | Outcome::Enrolled { trainee: t, .. } => {
                if !self.read().data.trainees.contains_key(t) {
                    return Err(StoreError::NotFound {
                        kind: "trainee",
                        id: t.to_string(),
                    });
                }
            }
            Outcome::Duplicate(t) => {
                if self.trainee_by_mobile(held.wish.mobile) != Some(*t) {
                    return Err(StoreError::Wish(WishError::NoDuplicate {
                        wish: id,
                        mobile: held.wish.mobile.masked(),
                    }));
                }
            }
            Outcome::NotReached | Outcome::NotInterested => {}
        }
        let _gate = self.gate();
        let state = self.store.wish_outcome(id, &outcome, &self.stamp(&by.name), note)?;
        if let Some(h) = self.write().data.wishes.get_mut(&id) {
            h.state = state;
        }
        self.bump();
        Ok(state)
    }

    /// The person found by the wish's mobile is already a trainee: link the
    /// wish to them.
    pub fn wish_duplicate(&self, id: WishId, by: &Actor) -> Result<WishState> {
        let held = self.wish(id).ok_or(StoreError::Wish(WishError::NotFound(id)))?;
        let Some(t) = self.trainee_by_mobile(held.wish.mobile) else {
            return Err(StoreError::Wish(WishError::NoDuplicate {
                wish: id,
                mobile: held.wish.mobile.masked(),
            }));
        };
        self.wish_outcome(id, Outcome::Duplicate(t), by, "")
    }

    /// Enroll the trainee a wish is linked to in `class`, then close the
    /// wish as enrolled. The enrollment is its own transaction (with its
    /// seat check); the outcome follows it.
    pub fn wish_enroll(&self, id: WishId, class: ClassId, by: &Actor) -> Result<Case> {
        let held = self.wish(id).ok_or(StoreError::Wish(WishError::NotFound(id)))?;
        held.state.check(
            id,
            &Outcome::Enrolled {
                trainee: TraineeId(0),
                case: CaseId(0),
            },
        )?;
        let Some(trainee) = held.state.trainee() else {
            return Err(StoreError::Wish(WishError::NotLinked { wish: id }));
        };
        by.may_in(
            access::Action::Intake,
            held.wish.region,
            wish_subject(&id.to_string(), Some(held.wish.name.as_str())),
        )?;
        let case = self.enroll(trainee, class, by, "")?;
        self.wish_outcome(id, Outcome::Enrolled { trainee, case: case.id }, by, "")?;
        Ok(case)
    }

    /// Open classes that answer a wish: its trade (or a related one), seats
    /// left, still taking enrollments; its district first, soonest start.
    pub fn classes_for_wish(&self, id: WishId) -> Vec<ClassId> {
        let (today, policy) = (self.today(), self.policy());
        let r = self.read();
        let data = &r.data;
        let Some(h) = data.wishes.get(&id) else {
            return Vec::new();
        };
        let mut v: Vec<&TrainingClass> = data
            .classes
            .values()
            .filter(|c| crate::domain::rules::enrollable(c, today, &policy).is_ok() && data.seats_left(c) > 0)
            .filter(|c| c.occupation.relation_to(h.wish.trade).is_some())
            .collect();
        v.sort_by_key(|c| (c.region != h.wish.region, c.occupation != h.wish.trade, c.start, c.id));
        v.into_iter().map(|c| c.id).collect()
    }

    /// A wish's name and whole mobile, for the call: recorded as a reveal
    /// (who, when, which wish) before it is handed over.
    pub fn reveal_wish(&self, by: &Actor, id: WishId) -> Result<(String, String)> {
        let held = self.wish(id).ok_or(StoreError::Wish(WishError::NotFound(id)))?;
        by.may_in(
            access::Action::Reveal,
            held.wish.region,
            wish_subject(&id.to_string(), None),
        )?;
        self.record_access(by, crate::store::AccessKind::Reveal, 1, &format!("wish {id}"))?;
        Ok((held.wish.name, held.wish.mobile.as_str().to_string()))
    }

    /// A wish's outcomes, oldest first: who recorded what, when.
    pub fn wish_events(&self, id: WishId) -> Result<Vec<crate::domain::wish::WishEvent>> {
        self.store.wish_events(id)
    }

    /// What is wrong with the wishes' trees (empty when nothing is).
    pub fn check_wishes(&self) -> Result<Vec<String>> {
        self.store.check_wishes()
    }

    /// Unmet demand now (see [`Data::wish_demand`]).
    pub fn wish_demand(&self) -> Vec<Demand> {
        self.read().data.wish_demand()
    }

    /// Waiting wishes a new class of `trade` in `region` would fill from.
    pub fn wishes_waiting_for(&self, trade: OccupationId, region: RegionId) -> u32 {
        let r = self.read();
        r.data
            .wish_demand()
            .into_iter()
            .find(|d| d.trade == trade && d.region == region)
            .map(|d| d.unmet)
            .unwrap_or(0)
    }
}

pub use crate::domain::DEFAULT_KEY_GROUPS;
pub use crate::domain::wish::{Draft, Field, MAX_NAME_CHARS, WishId as Number, next_group, next_region, next_trade};

/// Why a kiosk's wish was not taken, in terms that echo nothing typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Name,
    Mobile,
    District,
    Trade,
    Consent,
    /// The kiosk's wishes per minute are used up.
    Busy,
    /// The same mobile already waits for the same trade.
    Already,
    /// Anything else (the disk, the database): ask at the desk.
    Failed,
}

impl Refusal {
    fn of(e: &StoreError) -> Refusal {
        match e {
            StoreError::Wish(w) => match w {
                WishError::NameEmpty | WishError::NameTooLong { .. } => Refusal::Name,
                WishError::Mobile(_) => Refusal::Mobile,
                WishError::NoDistrict => Refusal::District,
                WishError::NoTrade => Refusal::Trade,
                WishError::NoConsent => Refusal::Consent,
                WishError::RateLimited { .. } => Refusal::Busy,
                WishError::AlreadyWaiting { .. } => Refusal::Already,
                _ => Refusal::Failed,
            },
            _ => Refusal::Failed,
        }
    }
}

/// What a kiosk hands a visitor after a wish: its number, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub number: WishId,
    /// The business date it was taken on.
    pub date: NaiveDate,
}

/// A kiosk's only way to write: append one wish to the inbox, as this
/// kiosk (rate-limited per kiosk by the store). It wraps the service in a
/// private field and has no other method: nothing it can call reads a
/// wish, a trainee or anything else back.
///
/// What an inbox can do (this compiles):
///
/// ```no_run
/// use skillbridge::domain::wish::Draft;
/// use skillbridge::service::wish::WishInbox;
/// fn kiosk(inbox: &WishInbox, d: &Draft) {
///     let _ = inbox.append(d).map(|r| r.number);
/// }
/// ```
///
/// The same reads on the service compile, so each refusal below is the
/// inbox's doing:
///
/// ```no_run
/// use skillbridge::domain::wish::WishId;
/// use skillbridge::service::{Actor, Service};
/// fn operator(s: &Service, a: &Actor) {
///     let _ = s.wish(WishId(1));
///     let _ = s.wish_queue(a);
///     let _ = s.read().data.wishes.len();
/// }
/// ```
///
/// An inbox cannot read a wish back…
///
/// ```compile_fail
/// use skillbridge::domain::wish::WishId;
/// use skillbridge::service::wish::WishInbox;
/// fn kiosk(inbox: &WishInbox) {
///     let _ = inbox.wish(WishId(1));
/// }
/// ```
///
/// ```compile_fail
/// use skillbridge::service::{Actor, wish::WishInbox};
/// fn kiosk(inbox: &WishInbox, a: &Actor) {
///     let _ = inbox.wish_queue(a);
/// }
/// ```
///
/// …nor reach the service behind it:
///
/// ```compile_fail
/// use skillbridge::service::wish::WishInbox;
/// fn kiosk(inbox: &WishInbox) {
///     let _ = inbox.svc.read();
/// }
/// ```
///
/// ```compile_fail
/// use skillbridge::service::wish::WishInbox;
/// fn kiosk(inbox: &WishInbox) {
///     let _ = inbox.read().data.wishes.len();
/// }
/// ```
///
/// ```compile_fail
/// use skillbridge::service::wish::WishInbox;
/// use skillbridge::service::Service;
/// fn kiosk(inbox: &WishInbox) {
///     let _: &Service = &*inbox;
/// }
/// ```
///
/// and the receipt it returns holds the number and the date only:
///
/// ```compile_fail
/// use skillbridge::domain::wish::Draft;
/// use skillbridge::service::wish::WishInbox;
/// fn kiosk(inbox: &WishInbox, d: &Draft) {
///     let _ = inbox.append(d).map(|r| r.wish.mobile);
/// }
/// ```
///
/// A kiosk's public view has no wish read either:
///
/// ```compile_fail
/// use skillbridge::domain::wish::WishId;
/// use skillbridge::service::public::PublicView;
/// fn kiosk(v: &PublicView) {
///     let _ = v.wish(WishId(1));
/// }
/// ```
#[derive(Clone)]
pub struct WishInbox {
    svc: Arc<Service>,
    kiosk: String,
}

impl std::fmt::Debug for WishInbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WishInbox({})", self.kiosk)
    }
}

impl WishInbox {
    /// The inbox of the kiosk named `kiosk` (its key's name).
    pub fn new(svc: Arc<Service>, kiosk: &str) -> WishInbox {
        WishInbox {
            svc,
            kiosk: kiosk.to_string(),
        }
    }

    /// Append one wish; a refusal says why (a bad field, the kiosk's limit
    /// per minute, the same mobile already waiting for the trade) and
    /// nothing more.
    pub fn append(&self, draft: &Draft) -> std::result::Result<Receipt, Refusal> {
        let name = format!("kiosk:{}", self.kiosk);
        match self.svc.append_wish(draft, Source::Kiosk(self.kiosk.clone()), &name) {
            Ok(wish) => Ok(Receipt {
                number: wish.id,
                date: wish.date,
            }),
            Err(e) => {
                if !e.is_refusal() {
                    tracing::warn!("kiosk {}: a wish was not saved: {e}", self.kiosk);
                }
                Err(Refusal::of(&e))
            }
        }
    }
}

/// A wish named in a district refusal: the person it may become (a
/// trainee), by the wish's code and, where the operator typed it, the name.
fn wish_subject(code: &str, name: Option<&str>) -> crate::domain::access::Subject {
    crate::domain::access::Subject {
        kind: crate::domain::Kind::Trainees,
        key: code.to_string(),
        name: name.map(str::to_string),
    }
}
