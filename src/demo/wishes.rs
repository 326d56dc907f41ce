//! The demo city's training wishes (#25): people who asked at the lobby
//! kiosks or the desk over the last two weeks, some called back already
//! (registered, enrolled, found as trainees, not reached, not interested),
//! most still waiting — among them 家政服务员 in 句容市, which no open
//! class there answers (a trade to open a class for), and 养老护理员 in
//! 句容市, which the open classes can take. Every person is
//! invented; the mobiles are new ones except where a wish is the
//! duplicate of a demo trainee.

use super::city::{Book, Brief, unix};
use super::names;
use crate::domain::wish::{Draft, Outcome, Source};
use crate::domain::*;
use crate::rng::Rng;
use crate::store::{Result, Stamp, Store};
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;

/// Waiting wishes: (trade, district, how many).
const WAITING: [(u16, u8, usize); 6] = [(4, 5, 11), (13, 5, 6), (3, 3, 4), (11, 0, 3), (15, 4, 3), (5, 7, 2)];

const KIOSKS: [&str; 2] = ["lobby-1", "lobby-2"];

struct W<'a> {
    store: &'a Store,
    rng: &'a mut Rng,
    mobiles: &'a mut HashSet<String>,
    today: NaiveDate,
    minute: u32,
}

impl W<'_> {
    fn stamp(&mut self, day: NaiveDate) -> Stamp {
        // Every write a minute apart: no kiosk comes near its limit.
        self.minute += 1;
        Stamp {
            operator: super::OPERATOR.into(),
            at: unix(day, self.minute),
            today: day,
        }
    }

    fn mobile(&mut self) -> String {
        loop {
            let prefix = *self.rng.pick(&["139", "138", "158", "187", "151", "177", "199"]);
            let m = format!("{prefix}{:08}", self.rng.below(100_000_000));
            if self.mobiles.insert(m.clone()) {
                return m;
            }
        }
    }

    fn name(&mut self) -> String {
        let surname = *self.rng.pick(names::SURNAMES);
        let given = if self.rng.chance(0.5) {
            *self.rng.pick(names::GIVEN_MALE)
        } else {
            *self.rng.pick(names::GIVEN_FEMALE)
        };
        format!("{surname}{given}")
    }

    /// One wish, `days` before today, at a kiosk or the desk.
    fn wish(
        &mut self,
        trade: OccupationId,
        region: RegionId,
        days: i64,
        mobile: String,
        name: String,
    ) -> Result<wish::Wish> {
        let day = self.today - Duration::days(days);
        let source = if self.rng.chance(0.6) {
            Source::Kiosk((*self.rng.pick(&KIOSKS)).to_string())
        } else {
            Source::Desk(super::OPERATOR.into())
        };
        let key_group = match self.rng.below(4) {
            0 => Some(DEFAULT_KEY_GROUPS[1].0.to_string()),
            1 => Some(DEFAULT_KEY_GROUPS[2].0.to_string()),
            _ => None,
        };
        let draft = Draft {
            name,
            mobile,
            region: Some(region),
            trade: Some(trade),
            key_group,
            note: String::new(),
            class: None,
            consent: true,
        };
        let stamp = self.stamp(day);
        self.store.append_wish(&draft, source, &stamp)
    }

    fn outcome(&mut self, id: wish::WishId, days: i64, o: Outcome) -> Result<()> {
        let day = self.today - Duration::days(days);
        let stamp = self.stamp(day);
        self.store.wish_outcome(id, &o, &stamp, "").map(|_| ())
    }
}

/// Write the demo's wishes (after the records, into the finished store).
/// `book` holds the trainees and cases written and `classes` every class:
/// only the few trainees a wish names are read back.
pub(super) fn build(
    store: &Store,
    rng: &mut Rng,
    mobiles: &mut HashSet<String>,
    today: NaiveDate,
    book: &Book,
    classes: &[TrainingClass],
) -> Result<()> {
    // In id order, as the trees hold them.
    let mut people = book.people.clone();
    people.sort_by_key(|(id, _)| *id);
    let mut cases = book.cases.clone();
    cases.sort_by_key(|c| c.id);
    let trainee = |id: TraineeId| store.get::<Trainee>(id.0);
    let mut w = W {
        store,
        rng,
        mobiles,
        today,
        minute: 0,
    };
    // Waiting for a first call, oldest first (some past the 3 days).
    for (trade, region, n) in WAITING {
        for _ in 0..n {
            let days = w.rng.range(0, 12) as i64;
            let (m, name) = (w.mobile(), w.name());
            w.wish(OccupationId(trade), RegionId(region), days, m, name)?;
        }
    }
    // Not interested, and not reached three times: closed.
    for _ in 0..2 {
        let (m, name) = (w.mobile(), w.name());
        let x = w.wish(OccupationId(4), RegionId(5), 13, m, name)?;
        w.outcome(x.id, 11, Outcome::NotInterested)?;
    }
    let (m, name) = (w.mobile(), w.name());
    let gone = w.wish(OccupationId(13), RegionId(5), 14, m, name)?;
    for days in [12, 10, 8] {
        w.outcome(gone.id, days, Outcome::NotReached)?;
    }
    // Not reached once: still waiting.
    let (m, name) = (w.mobile(), w.name());
    let once = w.wish(OccupationId(4), RegionId(5), 6, m, name)?;
    w.outcome(once.id, 4, Outcome::NotReached)?;
    // Registered from a wish and waiting for a class: people of the
    // demo's waiting list (no case yet) whose trade has no seat in 句容.
    // A set, not a scan of every case per trainee: at a million trainees
    // that scan was quadratic (the 1M demo build never finished).
    let with_case: HashSet<TraineeId> = cases.iter().map(|c| c.trainee).collect();
    let mut waiting_list: Vec<Trainee> = Vec::new();
    for (id, _) in people
        .iter()
        .filter(|(id, mobile)| *mobile && !with_case.contains(id))
        .take(4)
    {
        if let Some(t) = trainee(*id)? {
            waiting_list.push(t);
        }
    }
    for (i, t) in waiting_list.iter().enumerate() {
        let Some(m) = t.mobile else { continue };
        let x = w.wish(
            OccupationId(4),
            RegionId(5),
            9 - i as i64,
            m.as_str().to_string(),
            t.name.to_string(),
        )?;
        let o = if i % 2 == 0 {
            Outcome::Registered(t.id)
        } else {
            Outcome::Duplicate(t.id)
        };
        w.outcome(x.id, 7 - i as i64, o)?;
    }
    // Answered: registered, then enrolled in a class of the trade wished.
    let enrolled: Vec<(&Brief, &TrainingClass)> = cases
        .iter()
        .filter(|c| c.holds_seat)
        .filter_map(|c| classes.iter().find(|k| k.id == c.class).map(|k| (c, k)))
        .take(3)
        .collect();
    for (case, class) in enrolled {
        let Some(t) = trainee(case.trainee)? else {
            continue;
        };
        let Some(m) = t.mobile else { continue };
        let x = w.wish(
            class.occupation,
            class.region,
            13,
            m.as_str().to_string(),
            t.name.to_string(),
        )?;
        w.outcome(x.id, 12, Outcome::Registered(t.id))?;
        w.outcome(
            x.id,
            10,
            Outcome::Enrolled {
                trainee: t.id,
                case: case.id,
            },
        )?;
    }
    Ok(())
}
