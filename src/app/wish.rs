//! Training wishes in the workspace (#25): the callback queue (F7), its
//! one-key outcomes, "registered as a trainee" through the intake form
//! prefilled from the wish, enrolling a linked person in a class, and a
//! wish taken at the desk.
//!
//! The queue's rows are read when it opens and again whenever the data
//! changes (this session's write or anyone's, a kiosk's wish included), so
//! an operator sees a new wish without pressing a key.

use super::intake::{F, Intake, Pick};
use super::msg::{Effect, Loaded, Msg, Prep, Ran, Run};
use super::overlay::Outcome;
use super::state::{Overlay, PickPurpose, PickValue, Picker, State};
use super::update::{edit_of, move_cursor, not_here, nothing_selected};
use crate::domain::wish::{Outcome as WishOutcome, WishId};
use crate::domain::*;
use crate::i18n::{Lang, fill};
use crate::keymap::Action;
use crate::say::Say;
use crate::service::wish::QueueRow;
use crate::service::{Actor, Service};

/// The callback queue on screen.
#[derive(Debug, Clone, Default)]
pub struct WishQueue {
    pub rows: Vec<QueueRow>,
    pub selected: usize,
    /// The wish whose person the intake form below is registering.
    pub converting: Option<WishId>,
    /// Read at least once.
    pub loaded: bool,
}

impl WishQueue {
    pub fn selected_wish(&self) -> Option<&QueueRow> {
        self.rows.get(self.selected)
    }
}

pub use crate::domain::wish::Field as WishField;

/// What the desk's form holds.
#[derive(Debug, Clone)]
pub struct WishForm {
    pub name: tui_input::Input,
    pub mobile: tui_input::Input,
    pub region: Option<RegionId>,
    pub trade: Option<OccupationId>,
    /// Index into the key groups; `None`: not chosen.
    pub group: Option<usize>,
    pub consent: bool,
    pub focus: WishField,
}

impl WishForm {
    pub fn blank() -> WishForm {
        WishForm {
            name: tui_input::Input::default(),
            mobile: tui_input::Input::default(),
            region: None,
            trade: None,
            group: None,
            consent: false,
            focus: WishField::Name,
        }
    }

    fn index(&self) -> usize {
        self.focus.index()
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = WishField::ALL.len();
        let i = self.index();
        self.focus = WishField::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// Step the focused choice one way or the other (wrapping), or tick.
    pub fn step(&mut self, forward: bool) {
        match self.focus {
            WishField::District => self.region = crate::domain::wish::next_region(self.region, forward),
            WishField::Trade => self.trade = crate::domain::wish::next_trade(self.trade, forward),
            WishField::Group => self.group = crate::domain::wish::next_group(self.group, forward),
            WishField::Consent => self.consent = !self.consent,
            WishField::Name | WishField::Mobile => {}
        }
    }

    /// Edit the focused text field.
    pub fn edit(&mut self, e: &crate::widgets::text::Edit) {
        let (input, max) = match self.focus {
            WishField::Name => (&mut self.name, crate::domain::wish::MAX_NAME_CHARS),
            WishField::Mobile => (&mut self.mobile, 16),
            _ => return,
        };
        crate::widgets::text::apply(input, e, Some(max));
    }

    pub fn to_draft(&self) -> crate::domain::wish::Draft {
        crate::domain::wish::Draft {
            name: self.name.value().to_string(),
            mobile: self.mobile.value().to_string(),
            region: self.region,
            trade: self.trade,
            key_group: self
                .group
                .and_then(|i| DEFAULT_KEY_GROUPS.get(i))
                .map(|(zh, _)| (*zh).to_string()),
            note: String::new(),
            class: None,
            consent: self.consent,
        }
    }
}

/// A wish taken at the desk.
#[derive(Debug, Clone)]
pub struct DeskWish {
    pub form: WishForm,
    pub error: Option<String>,
}

/// A wish write the operator asked for.
#[derive(Debug, Clone)]
pub enum WishOp {
    Outcome(WishId, WishOutcome),
    Duplicate(WishId),
    Enroll(WishId, ClassId),
    Desk(crate::domain::wish::Draft),
    Reveal(WishId),
}

/// F7 from a list: open the queue (its rows follow).
pub(super) fn open(st: &mut State, fx: &mut Vec<Effect>) {
    st.overlays.push(Overlay::Wishes(WishQueue::default()));
    fx.push(Effect::Prepare(Prep::WishQueue));
}

/// The queue's rows for the session's operator.
pub(super) fn rows(svc: &Service, by: &Actor) -> Vec<QueueRow> {
    svc.wish_queue(by)
}

/// The rows arrived: keep the cursor on the wish it was on.
pub(super) fn loaded(st: &mut State, rows: Vec<QueueRow>) {
    for o in st.overlays.iter_mut() {
        if let Overlay::Wishes(q) = o {
            let keep = q.selected_wish().map(|r| r.wish.id);
            q.rows = rows.clone();
            q.selected = keep
                .and_then(|id| q.rows.iter().position(|r| r.wish.id == id))
                .unwrap_or_else(|| q.selected.min(q.rows.len().saturating_sub(1)));
            q.loaded = true;
        }
    }
}

/// The data changed: read the queue again if one is open.
pub(super) fn changed(st: &State, fx: &mut Vec<Effect>) {
    if st.overlays.iter().any(|o| matches!(o, Overlay::Wishes(_))) {
        fx.push(Effect::Prepare(Prep::WishQueue));
    }
}

/// A key on the queue.
pub(super) fn update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let page = st.page;
    let Some(Overlay::Wishes(q)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    let Msg::Action(a) = msg else { return Outcome::Stay };
    if move_cursor(&mut q.selected, q.rows.len(), a, page) {
        return Outcome::Stay;
    }
    let sel = q.selected_wish().map(|r| (r.wish.id, r.state.trainee()));
    match a {
        Action::Back | Action::Cancel => return Outcome::Pop,
        Action::WishNew => {
            return Outcome::Push(Overlay::DeskWish(Box::new(DeskWish {
                form: WishForm::blank(),
                error: None,
            })));
        }
        _ => {}
    }
    let Some((id, linked)) = sel else {
        nothing_selected(st);
        return Outcome::Stay;
    };
    match a {
        Action::WishRegister => {
            if let Some(t) = linked {
                let w = st.lang.wish();
                st.err(fill(w.q_linked, &[&t]));
                return Outcome::Stay;
            }
            q.converting = Some(id);
            fx.push(Effect::Prepare(Prep::WishIntake(id)));
        }
        Action::WishEnroll => fx.push(Effect::Prepare(Prep::WishClasses(id))),
        Action::WishDuplicate => fx.push(Effect::Run(Run::Wish(WishOp::Duplicate(id)))),
        Action::WishNotReached => fx.push(Effect::Run(Run::Wish(WishOp::Outcome(id, WishOutcome::NotReached)))),
        Action::WishNotInterested => {
            fx.push(Effect::Run(Run::Wish(WishOp::Outcome(id, WishOutcome::NotInterested))));
        }
        Action::Reveal => fx.push(Effect::Run(Run::Wish(WishOp::Reveal(id)))),
        other => not_here(st, other),
    }
    Outcome::Stay
}

/// The intake form for a wish's person: a new trainee, prefilled.
pub(super) fn intake_for(svc: &Service, st: &State, id: WishId) -> Option<Box<Intake>> {
    let held = svc.wish(id)?;
    let w = &held.wish;
    let mut form = Intake::new(Kind::Trainees, st.today, &Default::default());
    for fl in &mut form.fields {
        match fl.f {
            F::Name => fl.input = tui_input::Input::new(w.name.clone()),
            F::Mobile => fl.input = tui_input::Input::new(w.mobile.as_str().to_string()),
            _ => {}
        }
    }
    let group = w
        .key_group
        .as_deref()
        .and_then(|g| DEFAULT_KEY_GROUPS.iter().position(|(zh, en)| *zh == g || *en == g));
    if group.is_some() {
        form.choose(F::KeyGroup, Pick::KeyGroup(group));
    }
    form.choose(F::Region, Pick::Region(w.region));
    form.choose(F::Wanted, Pick::Occupation(w.trade));
    form.dirty = true;
    Some(Box::new(form))
}

/// The classes a linked wish's person may be enrolled in, for a picker.
pub(super) fn classes(svc: &Service, st: &State, id: WishId) -> Loaded {
    let inner = svc.read();
    let data = &inner.data;
    let lang = st.lang;
    let t = st.t();
    let rows = svc
        .classes_for_wish(id)
        .into_iter()
        .filter_map(|c| data.classes.get(&c))
        .map(|c| {
            let trade = match lang {
                Lang::Zh => c.occupation.zh(),
                Lang::En => c.occupation.en(),
            };
            let region = match lang {
                Lang::Zh => c.region.zh(),
                Lang::En => c.region.en(),
            };
            let label = format!(
                "{} {} · {} · {} · {} · {}",
                c.id,
                c.name,
                trade,
                region,
                c.start,
                fill(t.k_seats_left, &[&data.seats_left(c)])
            );
            (label, c.id)
        })
        .collect();
    Loaded::WishClasses(id, rows)
}

/// The classes arrived: a picker, or why there is none.
pub(super) fn classes_loaded(st: &mut State, id: WishId, rows: Vec<(String, ClassId)>) {
    let w = st.lang.wish();
    if rows.is_empty() {
        st.err(w.q_no_class.to_string());
        return;
    }
    let rows = rows
        .into_iter()
        .map(|(label, c)| (label, PickValue::Open(RecordRef::Class(c))))
        .collect();
    st.overlays.push(Overlay::Picker(Picker::fixed(
        PickPurpose::WishClass(id),
        fill(w.q_pick_class, &[&id]),
        None,
        rows,
    )));
}

/// A class chosen for a wish: enroll.
pub(super) fn class_chosen(id: WishId, value: Option<PickValue>, fx: &mut Vec<Effect>) -> Outcome {
    match value {
        Some(PickValue::Open(RecordRef::Class(c))) => {
            fx.push(Effect::Run(Run::Wish(WishOp::Enroll(id, c))));
            Outcome::Pop
        }
        _ => Outcome::Stay,
    }
}

/// Carry out a wish write; the words of what came of it.
pub(super) fn write(svc: &Service, st: &State, op: WishOp) -> Ran {
    let by = &st.actor;
    let lang = st.lang;
    let w = lang.wish();
    let done = |id: WishId, o: &WishOutcome| fill(w.q_done, &[&id, &crate::say::wish::outcome(o, lang)]);
    let out = match op {
        WishOp::Outcome(id, o) => svc.wish_outcome(id, o.clone(), by, "").map(|_| done(id, &o)),
        WishOp::Duplicate(id) => svc
            .wish_duplicate(id, by)
            .map(|s| done(id, &WishOutcome::Duplicate(s.trainee().unwrap_or_default()))),
        WishOp::Enroll(id, class) => svc.wish_enroll(id, class, by).map(|case| {
            done(
                id,
                &WishOutcome::Enrolled {
                    trainee: case.trainee,
                    case: case.id,
                },
            ) + &format!(" ({})", case.id)
        }),
        WishOp::Desk(draft) => svc.register_wish(&draft, by).map(|wish| fill(w.d_saved, &[&wish.id])),
        WishOp::Reveal(id) => svc
            .reveal_wish(by, id)
            .map(|(name, mobile)| format!("{id} {name} {mobile}")),
    };
    Ran::Wish(out.map_err(|e| e.say(lang)))
}

/// What a wish write came to.
pub(super) fn ran(st: &mut State, r: Result<String, String>) {
    match r {
        Ok(text) => {
            if matches!(st.overlays.last(), Some(Overlay::DeskWish(_))) {
                st.overlays.pop();
            }
            st.ok(text);
        }
        Err(e) => {
            if let Some(Overlay::DeskWish(d)) = st.overlays.last_mut() {
                d.error = Some(e.clone());
            }
            st.err(e);
        }
    }
}

/// A record form was saved while the queue below was registering a
/// wish's person: link the wish to the trainee (found by the ID number
/// typed), and close it as enrolled when the form also enrolled them.
pub(super) fn after_intake(svc: &Service, st: &State, wish: WishId, id_number: &str) {
    let Ok(n) = IdNumber::parse_on(id_number, st.today) else {
        return;
    };
    let Some((trainee, _)) = super::intake::registered(&svc.read().data, &n) else {
        return;
    };
    let by = &st.actor;
    if svc
        .wish_outcome(wish, WishOutcome::Registered(trainee), by, "intake")
        .is_err()
    {
        return;
    }
    let trade = svc.wish(wish).map(|h| h.wish.trade);
    let case = {
        let r = svc.read();
        r.data
            .trainee_cases(trainee)
            .filter(|c| crate::domain::rules::is_active(&c.state))
            .filter(|c| {
                r.data
                    .classes
                    .get(&c.class)
                    .is_some_and(|k| Some(k.occupation) == trade)
            })
            .map(|c| c.id)
            .max()
    };
    if let Some(case) = case {
        let _ = svc.wish_outcome(wish, WishOutcome::Enrolled { trainee, case }, by, "intake");
    }
}

/// The wish the queue below the top form is registering, if any.
pub(super) fn converting(st: &State) -> Option<WishId> {
    st.overlays.iter().rev().find_map(|o| match o {
        Overlay::Wishes(q) => q.converting,
        _ => None,
    })
}

/// A key on the desk form.
pub(super) fn desk_update(st: &mut State, msg: Msg, fx: &mut Vec<Effect>) -> Outcome {
    let Some(Overlay::DeskWish(d)) = st.overlays.last_mut() else {
        return Outcome::Stay;
    };
    let f = &mut d.form;
    let on_text = matches!(f.focus, WishField::Name | WishField::Mobile);
    if let Msg::Char(' ') = msg
        && !on_text
    {
        f.step(true);
        return Outcome::Stay;
    }
    if let Some(e) = edit_of(&msg) {
        match (&e, on_text) {
            (crate::widgets::text::Edit::Left, false) => f.step(false),
            (crate::widgets::text::Edit::Right, false) => f.step(true),
            _ => f.edit(&e),
        }
        return Outcome::Stay;
    }
    let Msg::Action(a) = msg else { return Outcome::Stay };
    match a {
        Action::NextField | Action::Down => f.move_focus(true),
        Action::PrevField | Action::Up => f.move_focus(false),
        Action::Open => f.step(true),
        Action::Save | Action::SaveAndNext => {
            fx.push(Effect::Run(Run::Wish(WishOp::Desk(f.to_draft()))));
        }
        Action::Cancel | Action::Back => return Outcome::Pop,
        other => not_here(st, other),
    }
    Outcome::Stay
}

/// Pairing a demand's classes: a note when people wait for its trade in
/// its district that open classes cannot take ("a new class would fill").
pub(crate) fn pairing_note(data: &crate::service::Data, demand: DemandId, lang: Lang) -> String {
    let Some(d) = data.demands.get(&demand) else {
        return String::new();
    };
    let Some(gap) = data
        .wish_demand()
        .into_iter()
        .find(|g| g.trade == d.occupation && g.region == d.region && g.unmet > 0)
    else {
        return String::new();
    };
    let (trade, region) = match lang {
        Lang::Zh => (gap.trade.zh(), gap.region.zh()),
        Lang::En => (gap.trade.en(), gap.region.en()),
    };
    format!(
        "  ·  {}",
        fill(lang.wish().pairing_note, &[&trade, &region, &gap.unmet])
    )
}
