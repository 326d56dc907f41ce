//! Training wishes (意向登记): a person says "I want to train as an
//! elder-care worker in 句容" — at the lobby kiosk or at the desk — and an
//! operator calls them back. Pure: what a wish holds and what it may say,
//! the outcomes of a callback, when a wish is overdue, and the unmet demand
//! (people wishing for a trade in a district minus the open seats there).
//!
//! A wish is written once into an append-only inbox and never changed;
//! what happens to it afterwards is a chain of [`WishEvent`]s, each signed
//! by an operator, which [`WishState::replay`] reads into its state.

use super::{CaseId, ClassId, Mobile, MobileError, OccupationId, RegionId, TraineeId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// The longest name a wish takes, in characters.
pub const MAX_NAME_CHARS: usize = 20;
/// The longest free text (a remark the person adds), in characters.
pub const MAX_NOTE_CHARS: usize = 60;
/// The longest key group text, in characters.
pub const MAX_GROUP_CHARS: usize = 20;
/// Callback attempts that did not reach the person before the wish closes.
pub const MAX_ATTEMPTS: u8 = 3;
/// Days after which a waiting wish is overdue, unless the database sets it.
pub const DEFAULT_OVERDUE_DAYS: u32 = 3;
/// Wishes one kiosk may register per minute, unless the database sets it.
pub const DEFAULT_PER_MINUTE: u32 = 5;

/// A wish's number: what the receipt shows (`Y12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct WishId(pub u64);

impl fmt::Display for WishId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Y{}", self.0)
    }
}

impl WishId {
    /// `Y12` or `12`.
    pub fn parse(s: &str) -> Option<WishId> {
        let t = s.trim();
        let digits = t.strip_prefix(['Y', 'y']).unwrap_or(t);
        digits.parse().ok().filter(|n| *n > 0).map(WishId)
    }
}

/// Where a wish was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// At a kiosk (its name from the key that opened the session).
    Kiosk(String),
    /// At the desk, by an operator.
    Desk(String),
}

/// What a person fills in, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub mobile: String,
    pub region: Option<RegionId>,
    pub trade: Option<OccupationId>,
    pub key_group: Option<String>,
    pub note: String,
    /// The class the wish was made from, if any.
    pub class: Option<ClassId>,
    /// The person agreed to the consent line.
    pub consent: bool,
}

/// A checked wish, as the inbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wish {
    pub id: WishId,
    pub name: String,
    pub mobile: Mobile,
    pub region: RegionId,
    pub trade: OccupationId,
    pub key_group: Option<String>,
    pub note: String,
    pub class: Option<ClassId>,
    pub source: Source,
    /// Unix seconds (a demo's simulated date with the real time of day).
    pub at: i64,
    /// The business date it was registered on.
    pub date: NaiveDate,
}

/// Why a wish or a callback outcome was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WishError {
    #[error("wish: the name is empty: expected the person's name, 1 to {MAX_NAME_CHARS} characters")]
    NameEmpty,
    #[error("wish: the name has {len} characters: at most {MAX_NAME_CHARS} are accepted")]
    NameTooLong { len: usize },
    #[error("wish: {0}")]
    Mobile(#[from] MobileError),
    #[error("wish: no district chosen: expected one of the city's 8 districts")]
    NoDistrict,
    #[error("wish: no trade chosen: expected a trade of the catalogue")]
    NoTrade,
    #[error("wish: the key group has {len} characters: at most {MAX_GROUP_CHARS} are accepted")]
    GroupTooLong { len: usize },
    #[error("wish: the remark has {len} characters: at most {MAX_NOTE_CHARS} are accepted")]
    NoteTooLong { len: usize },
    #[error("wish: the person has not agreed to be called back on this number: tick the consent line")]
    NoConsent,
    #[error("wish: kiosk '{kiosk}' registered {per_minute} wishes in the last minute (the most it may): wait a minute")]
    RateLimited { kiosk: String, per_minute: u32 },
    #[error("wish: this mobile already waits for a callback for the same trade (receipt {existing})")]
    AlreadyWaiting { existing: WishId },
    #[error("wish {0}: no such wish")]
    NotFound(WishId),
    #[error("wish {wish}: already closed ({outcome}): nothing more to record")]
    Closed { wish: WishId, outcome: &'static str },
    #[error("wish {wish}: not yet linked to a trainee: register the person or find them by mobile first")]
    NotLinked { wish: WishId },
    #[error("wish {wish}: already linked to trainee {trainee}")]
    Linked { wish: WishId, trainee: TraineeId },
    #[error("wish {wish}: no trainee has mobile {mobile}: register the person instead")]
    NoDuplicate { wish: WishId, mobile: String },
}

/// What a callback found or did. Closing outcomes end the wish; the others
/// leave it in the queue (a registered person waits for a class).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The person was registered as a trainee (intake), and now waits for a class.
    Registered(TraineeId),
    /// The person was enrolled in a class: the wish is answered.
    Enrolled { trainee: TraineeId, case: CaseId },
    /// The call did not reach them (the third closes the wish).
    NotReached,
    /// They no longer want the training.
    NotInterested,
    /// They are already a trainee (found by mobile): the wish is theirs.
    Duplicate(TraineeId),
}

impl Outcome {
    /// Its name in English (the Chinese is in `say`).
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Registered(_) => "registered as a trainee",
            Outcome::Enrolled { .. } => "enrolled in a class",
            Outcome::NotReached => "not reached",
            Outcome::NotInterested => "not interested",
            Outcome::Duplicate(_) => "already a trainee",
        }
    }
}

/// One operator outcome, kept forever (the wish's audit trail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishEvent {
    pub wish: WishId,
    pub seq: u32,
    pub at: i64,
    pub operator: String,
    pub outcome: Outcome,
    pub note: String,
}

/// Where a wish stands, as its events read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    /// Nobody reached the person yet.
    Waiting,
    /// Registered or found as a trainee; waits for a class.
    Linked(TraineeId),
    /// Done: enrolled, not interested, not reached three times.
    Closed(Closing),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Closing {
    Enrolled(CaseId),
    NotInterested,
    NotReached,
}

/// A wish's state: its stage, the attempts that did not reach the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WishState {
    pub stage: Stage,
    pub attempts: u8,
    pub events: u32,
}

impl Default for WishState {
    fn default() -> Self {
        WishState {
            stage: Stage::Waiting,
            attempts: 0,
            events: 0,
        }
    }
}

impl WishState {
    /// The state after `events`, in order.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Outcome>) -> WishState {
        let mut s = WishState::default();
        for o in events {
            s = s.after(o);
        }
        s
    }

    /// The state after one more outcome (not checked: see [`WishState::check`]).
    pub fn after(self, o: &Outcome) -> WishState {
        let mut s = self;
        s.events += 1;
        s.stage = match o {
            Outcome::Registered(t) | Outcome::Duplicate(t) => Stage::Linked(*t),
            Outcome::Enrolled { case, .. } => Stage::Closed(Closing::Enrolled(*case)),
            Outcome::NotInterested => Stage::Closed(Closing::NotInterested),
            Outcome::NotReached => {
                s.attempts = s.attempts.saturating_add(1);
                if s.attempts >= MAX_ATTEMPTS {
                    Stage::Closed(Closing::NotReached)
                } else {
                    self.stage
                }
            }
        };
        s
    }

    /// Is `o` a legal next outcome for wish `wish`?
    pub fn check(&self, wish: WishId, o: &Outcome) -> Result<(), WishError> {
        if let Stage::Closed(c) = self.stage {
            return Err(WishError::Closed {
                wish,
                outcome: c.name(),
            });
        }
        match (self.stage, o) {
            (Stage::Linked(trainee), Outcome::Registered(_) | Outcome::Duplicate(_)) => {
                Err(WishError::Linked { wish, trainee })
            }
            (Stage::Waiting, Outcome::Enrolled { .. }) => Err(WishError::NotLinked { wish }),
            _ => Ok(()),
        }
    }

    /// Still in the callback queue (waiting, or linked and waiting for a class).
    pub fn open(&self) -> bool {
        !matches!(self.stage, Stage::Closed(_))
    }

    /// The trainee the wish is linked to, if any.
    pub fn trainee(&self) -> Option<TraineeId> {
        match self.stage {
            Stage::Linked(t) => Some(t),
            _ => None,
        }
    }
}

impl Closing {
    pub fn name(self) -> &'static str {
        match self {
            Closing::Enrolled(_) => "enrolled in a class",
            Closing::NotInterested => "not interested",
            Closing::NotReached => "not reached three times",
        }
    }
}

/// Check what a person filled in: the name and free text trimmed and
/// bounded (control characters dropped, so nothing typed can move a
/// screen's cursor), the mobile by the usual rule, a district, a trade and
/// the consent.
pub fn check(draft: &Draft, id: WishId, source: Source, at: i64, date: NaiveDate) -> Result<Wish, WishError> {
    let name = clean(&draft.name);
    if name.is_empty() {
        return Err(WishError::NameEmpty);
    }
    let len = name.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(WishError::NameTooLong { len });
    }
    let mobile = Mobile::parse(&draft.mobile)?;
    // A retired district or trade is not offered, so it is not a choice.
    let region = draft.region.ok_or(WishError::NoDistrict)?;
    if region.get().is_none_or(|r| r.retired) {
        return Err(WishError::NoDistrict);
    }
    let trade = draft.trade.ok_or(WishError::NoTrade)?;
    if trade.get().is_none_or(|o| o.retired) {
        return Err(WishError::NoTrade);
    }
    let key_group = draft.key_group.as_deref().map(clean).filter(|g| !g.is_empty());
    if let Some(len) = key_group
        .as_ref()
        .map(|g| g.chars().count())
        .filter(|n| *n > MAX_GROUP_CHARS)
    {
        return Err(WishError::GroupTooLong { len });
    }
    let note = clean(&draft.note);
    let len = note.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(WishError::NoteTooLong { len });
    }
    if !draft.consent {
        return Err(WishError::NoConsent);
    }
    Ok(Wish {
        id,
        name,
        mobile,
        region,
        trade,
        key_group,
        note,
        class: draft.class,
        source,
        at,
        date,
    })
}

/// The fields of a wish form (the kiosk's and the desk's), top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Mobile,
    District,
    Trade,
    Group,
    Consent,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Name,
        Field::Mobile,
        Field::District,
        Field::Trade,
        Field::Group,
        Field::Consent,
    ];

    pub fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// A field typed into (the others are chosen).
    pub fn types_text(self) -> bool {
        matches!(self, Field::Name | Field::Mobile)
    }
}

/// The choice after (`forward`) or before `cur` in `all`, wrapping; from
/// nothing chosen, the first (or the last).
fn cycle<T: Copy + PartialEq>(all: &[T], cur: Option<T>, forward: bool) -> Option<T> {
    let n = all.len();
    if n == 0 {
        return None;
    }
    let i = match cur.and_then(|c| all.iter().position(|x| *x == c)) {
        None if forward => 0,
        None => n - 1,
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
    };
    all.get(i).copied()
}

/// The district a wish form offers next: the installed pack's districts,
/// retired ones left out (as every picker does).
pub fn next_region(cur: Option<RegionId>, forward: bool) -> Option<RegionId> {
    let all: Vec<RegionId> = super::catalog::active_regions().map(|r| r.id).collect();
    cycle(&all, cur, forward)
}

/// The trade a wish form offers next: the pack's trades, retired ones left out.
pub fn next_trade(cur: Option<OccupationId>, forward: bool) -> Option<OccupationId> {
    let all: Vec<OccupationId> = super::catalog::active_occupations().map(|o| o.id).collect();
    cycle(&all, cur, forward)
}

/// The key group a wish form offers next, as an index into
/// `DEFAULT_KEY_GROUPS`; "none" comes before the first.
pub fn next_group(cur: Option<usize>, forward: bool) -> Option<usize> {
    let all: Vec<Option<usize>> = std::iter::once(None)
        .chain((0..super::DEFAULT_KEY_GROUPS.len()).map(Some))
        .collect();
    cycle(&all, Some(cur), forward).flatten()
}

/// Trimmed, control characters (escapes, new lines, tabs) dropped.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// A wish waiting `days` or more days since it was registered is overdue.
pub fn overdue(wish: &Wish, state: &WishState, today: NaiveDate, days: u32) -> bool {
    state.stage == Stage::Waiting && (today - wish.date).num_days() >= i64::from(days)
}

/// A wish with its state, as the service keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub wish: Wish,
    pub state: WishState,
}

/// Every wish by number.
pub type Wishes = BTreeMap<WishId, Held>;

/// People wishing for a trade in a district, against the open seats there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Demand {
    pub trade: OccupationId,
    pub region: RegionId,
    /// Open wishes (waiting or linked, not yet enrolled).
    pub wishing: u32,
    /// Of them, waiting for a first callback.
    pub waiting: u32,
    /// Seats left in classes of the trade in the district that take enrollments.
    pub seats_open: u32,
    /// `wishing − seats_open` when positive: people no open class answers.
    pub unmet: u32,
}

/// Unmet demand per trade × district: open wishes counted where they were
/// made, against `seats` (open seats per (trade, district)). Only pairs with
/// a wish are listed; the largest unmet first, then the most wishing.
pub fn demand(wishes: &Wishes, seats: &BTreeMap<(OccupationId, RegionId), u32>) -> Vec<Demand> {
    let mut by: BTreeMap<(OccupationId, RegionId), (u32, u32)> = BTreeMap::new();
    for h in wishes.values().filter(|h| h.state.open()) {
        let e = by.entry((h.wish.trade, h.wish.region)).or_default();
        e.0 += 1;
        if h.state.stage == Stage::Waiting {
            e.1 += 1;
        }
    }
    let mut out: Vec<Demand> = by
        .into_iter()
        .map(|((trade, region), (wishing, waiting))| {
            let seats_open = seats.get(&(trade, region)).copied().unwrap_or(0);
            Demand {
                trade,
                region,
                wishing,
                waiting,
                seats_open,
                unmet: wishing.saturating_sub(seats_open),
            }
        })
        .collect();
    out.sort_by_key(|d| {
        (
            std::cmp::Reverse(d.unmet),
            std::cmp::Reverse(d.wishing),
            d.trade,
            d.region,
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 10, 9).unwrap_or_default()
    }

    fn draft() -> Draft {
        Draft {
            name: " 王芳 ".into(),
            mobile: "+86 139-1596-8613".into(),
            region: Some(RegionId(5)),
            trade: Some(OccupationId(0)),
            key_group: None,
            note: "想周末上课\u{1b}[2J".into(),
            class: None,
            consent: true,
        }
    }

    #[test]
    fn a_draft_is_checked_trimmed_and_bounded() {
        let w = check(&draft(), WishId(1), Source::Desk("li".into()), 0, day()).unwrap();
        assert_eq!(w.name, "王芳");
        assert_eq!(w.mobile.as_str(), "13915968613");
        assert_eq!(w.note, "想周末上课[2J", "no escape reaches a screen");
        let mut d = draft();
        d.mobile = "12345".into();
        assert!(matches!(
            check(&d, WishId(1), Source::Desk("li".into()), 0, day()),
            Err(WishError::Mobile(_))
        ));
        let mut d = draft();
        d.consent = false;
        assert_eq!(
            check(&d, WishId(1), Source::Desk("li".into()), 0, day()),
            Err(WishError::NoConsent)
        );
        let mut d = draft();
        d.note = "字".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            check(&d, WishId(1), Source::Desk("li".into()), 0, day()),
            Err(WishError::NoteTooLong {
                len: MAX_NOTE_CHARS + 1
            })
        );
        let mut d = draft();
        d.name = "  ".into();
        assert_eq!(
            check(&d, WishId(1), Source::Desk("li".into()), 0, day()),
            Err(WishError::NameEmpty)
        );
        let mut d = draft();
        d.trade = None;
        assert_eq!(
            check(&d, WishId(1), Source::Desk("li".into()), 0, day()),
            Err(WishError::NoTrade)
        );
    }

    #[test]
    fn outcomes_walk_the_stages() {
        let id = WishId(3);
        let s = WishState::default();
        assert_eq!(
            s.check(
                id,
                &Outcome::Enrolled {
                    trainee: TraineeId(1),
                    case: CaseId(1)
                }
            ),
            Err(WishError::NotLinked { wish: id })
        );
        let s = s.after(&Outcome::NotReached).after(&Outcome::NotReached);
        assert!(s.open());
        assert_eq!(s.attempts, 2);
        let linked = s.after(&Outcome::Registered(TraineeId(7)));
        assert_eq!(linked.trainee(), Some(TraineeId(7)));
        assert!(linked.check(id, &Outcome::Duplicate(TraineeId(8))).is_err());
        let done = linked.after(&Outcome::Enrolled {
            trainee: TraineeId(7),
            case: CaseId(2),
        });
        assert!(!done.open());
        assert!(matches!(
            done.check(id, &Outcome::NotInterested),
            Err(WishError::Closed { .. })
        ));
        let gone = WishState::replay(&[Outcome::NotReached, Outcome::NotReached, Outcome::NotReached]);
        assert_eq!(gone.stage, Stage::Closed(Closing::NotReached));
        assert_eq!(gone.events, 3);
    }

    #[test]
    fn overdue_after_n_days_while_waiting() {
        let w = check(&draft(), WishId(1), Source::Kiosk("lobby".into()), 0, day()).unwrap();
        let s = WishState::default();
        let later = day() + chrono::Days::new(3);
        assert!(!overdue(&w, &s, day() + chrono::Days::new(2), 3));
        assert!(overdue(&w, &s, later, 3));
        let linked = s.after(&Outcome::Duplicate(TraineeId(1)));
        assert!(
            !overdue(&w, &linked, later, 3),
            "a linked wish waits for a class, not a call"
        );
    }

    #[test]
    fn unmet_demand_is_wishing_minus_open_seats() {
        let mut wishes = Wishes::new();
        for (i, (trade, region)) in [(0u16, 5u8), (0, 5), (0, 5), (1, 1), (0, 1)].iter().enumerate() {
            let mut d = draft();
            d.trade = Some(OccupationId(*trade));
            d.region = Some(RegionId(*region));
            let id = WishId(i as u64 + 1);
            let wish = check(&d, id, Source::Desk("li".into()), 0, day()).unwrap();
            wishes.insert(
                id,
                Held {
                    wish,
                    state: WishState::default(),
                },
            );
        }
        if let Some(h) = wishes.get_mut(&WishId(5)) {
            h.state = h.state.after(&Outcome::NotInterested);
        }
        let seats = BTreeMap::from([((OccupationId(0), RegionId(5)), 1), ((OccupationId(1), RegionId(1)), 9)]);
        let d = demand(&wishes, &seats);
        assert_eq!(d.len(), 2, "a closed wish is no demand: {d:?}");
        assert_eq!(
            (d[0].trade, d[0].region, d[0].wishing, d[0].seats_open, d[0].unmet),
            (OccupationId(0), RegionId(5), 3, 1, 2)
        );
        assert_eq!(d[1].unmet, 0);
    }
}
