//! "想报名 / 想培训" on the kiosk (#25): from a class, a job or the list's
//! trade, a visitor fills in a wish — name, mobile, district, trade,
//! optionally a key group — ticks the consent line, and gets a receipt
//! number. The form's text lives only in this session's state until it is
//! sent; then the page is replaced by the receipt (which holds the number
//! only) and the form is gone.
//!
//! The only write a kiosk has is its [`WishInbox`]: append, nothing else.
//! Nothing a wish holds is ever read back, so nothing of one can be shown.

use super::keys::KAction;
use super::{Kiosk, Msg, Page};
use crate::service::public::{ClassId, DemandId, Listing, OccupationId, RegionId};
use crate::service::wish::{DEFAULT_KEY_GROUPS, Draft, MAX_NAME_CHARS, Refusal, WishInbox};
use crate::widgets::text::{self, Edit};
use tui_input::Input;

/// The most characters the mobile field takes (with +86 and spaces).
pub const MAX_MOBILE_CHARS: usize = 16;

pub use crate::service::wish::Field as WishField;

/// The field a refusal sends the visitor back to.
fn field_of(r: Refusal) -> WishField {
    match r {
        Refusal::Name => WishField::Name,
        Refusal::Mobile | Refusal::Already => WishField::Mobile,
        Refusal::District => WishField::District,
        Refusal::Trade => WishField::Trade,
        Refusal::Consent | Refusal::Busy | Refusal::Failed => WishField::Consent,
    }
}

/// The wish form a visitor fills in.
#[derive(Debug, Clone)]
pub struct WishForm {
    pub name: Input,
    pub mobile: Input,
    pub region: Option<RegionId>,
    pub trade: Option<OccupationId>,
    /// Index into the key groups; `None`: not chosen.
    pub group: Option<usize>,
    pub consent: bool,
    pub focus: WishField,
    /// The class it was opened from.
    pub class: Option<ClassId>,
    pub refusal: Option<Refusal>,
}

impl WishForm {
    fn new(trade: Option<OccupationId>, region: Option<RegionId>, class: Option<ClassId>) -> WishForm {
        WishForm {
            name: Input::default(),
            mobile: Input::default(),
            region,
            trade,
            group: None,
            consent: false,
            focus: WishField::Name,
            class,
            refusal: None,
        }
    }

    fn draft(&self) -> Draft {
        Draft {
            name: self.name.value().to_string(),
            mobile: self.mobile.value().to_string(),
            region: self.region,
            trade: self.trade,
            key_group: self
                .group
                .and_then(|i| DEFAULT_KEY_GROUPS.get(i))
                .map(|(zh, _)| (*zh).to_string()),
            note: String::new(),
            class: self.class,
            consent: self.consent,
        }
    }

    /// Step a choice field one way (`forward`) or the other, wrapping.
    fn cycle(&mut self, forward: bool) {
        match self.focus {
            WishField::District => self.region = crate::service::wish::next_region(self.region, forward),
            WishField::Trade => self.trade = crate::service::wish::next_trade(self.trade, forward),
            WishField::Group => self.group = crate::service::wish::next_group(self.group, forward),
            WishField::Consent => self.consent = !self.consent,
            WishField::Name | WishField::Mobile => {}
        }
    }
}

impl Kiosk {
    /// Give the session its kiosk's inbox: the one write it may make.
    pub fn with_inbox(mut self, inbox: WishInbox) -> Kiosk {
        self.inbox = Some(inbox);
        self
    }

    /// How long until a receipt on screen clears itself, if one is shown.
    pub fn receipt_left(&self, now: std::time::Instant) -> Option<std::time::Duration> {
        if !matches!(self.state.pages.last(), Some(Page::Receipt(_))) {
            return None;
        }
        self.last_input
            .map(|t| super::RECEIPT_FOR.saturating_sub(now.saturating_duration_since(t)))
    }

    /// Open the wish form for a trade (and district, and class) shown now.
    pub(super) fn open_wish(&mut self) {
        let (trade, region, class) = match self.state.pages.last() {
            Some(Page::Class { id, .. }) => match self.view.class(*id) {
                Some(c) => (Some(c.trade), Some(c.region), Some(c.id)),
                None => return,
            },
            Some(Page::Job { id, .. }) => match self.view.job(*id) {
                Some(j) => (Some(j.trade), Some(j.region), None),
                None => return,
            },
            Some(Page::List) => {
                let l = &self.state.list;
                let row = l.selected_id();
                let (trade, region) = match (l.listing, row) {
                    (Listing::Classes, Some(id)) => self
                        .view
                        .class(ClassId(id))
                        .map(|c| (Some(c.trade), Some(c.region)))
                        .unwrap_or((None, None)),
                    (Listing::Jobs, Some(id)) => self
                        .view
                        .job(DemandId(id))
                        .map(|j| (Some(j.trade), Some(j.region)))
                        .unwrap_or((None, None)),
                    _ => (None, None),
                };
                (l.trade.or(trade), l.region.or(region), None)
            }
            _ => return,
        };
        self.state.pages.push(Page::Wish(WishForm::new(trade, region, class)));
    }

    /// A message on the wish form.
    pub(super) fn update_wish(&mut self, msg: Msg) {
        let Some(Page::Wish(f)) = self.state.pages.last_mut() else {
            return;
        };
        let text_edit = match &msg {
            Msg::Char(c) => Some(Edit::Insert(*c)),
            Msg::Paste(s) => Some(Edit::Paste(s.clone())),
            Msg::Action(KAction::Toggle) if f.focus.types_text() => Some(Edit::Insert(' ')),
            Msg::Action(KAction::DeleteBack) => Some(Edit::DeleteBack),
            Msg::Action(KAction::ClearQuery) => Some(Edit::Clear),
            Msg::Action(KAction::CursorLeft) if f.focus.types_text() => Some(Edit::Left),
            Msg::Action(KAction::CursorRight) if f.focus.types_text() => Some(Edit::Right),
            _ => None,
        };
        if let Some(e) = text_edit {
            let (input, max) = match f.focus {
                WishField::Name => (&mut f.name, MAX_NAME_CHARS),
                WishField::Mobile => (&mut f.mobile, MAX_MOBILE_CHARS),
                _ => return,
            };
            if text::apply(input, &e, Some(max)) {
                f.refusal = None;
            }
            return;
        }
        let Msg::Action(a) = msg else { return };
        let n = WishField::ALL.len();
        match a {
            KAction::Up | KAction::PrevField => {
                f.focus = WishField::ALL[(f.focus.index() + n - 1) % n];
            }
            KAction::Down | KAction::NextField => {
                f.focus = WishField::ALL[(f.focus.index() + 1) % n];
            }
            KAction::CursorLeft => f.cycle(false),
            KAction::CursorRight | KAction::Toggle => f.cycle(true),
            KAction::Open => self.send_wish(),
            KAction::Back => {
                // The form and all it held are dropped.
                self.state.pages.pop();
            }
            _ => {}
        }
    }

    /// Send the form: a receipt replaces it, or it says what to fix.
    fn send_wish(&mut self) {
        let Some(Page::Wish(f)) = self.state.pages.last_mut() else {
            return;
        };
        let draft = f.draft();
        let sent = match &self.inbox {
            Some(inbox) => inbox.append(&draft),
            None => Err(Refusal::Failed),
        };
        match sent {
            Ok(receipt) => {
                // Nothing typed stays: the pages under it are public, the
                // receipt holds the number only.
                self.state.pages.pop();
                self.state.pages.push(Page::Receipt(receipt.number));
            }
            Err(r) => {
                f.refusal = Some(r);
                f.focus = field_of(r);
            }
        }
    }
}
