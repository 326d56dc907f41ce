//! Kiosk mode: the lobby screen job seekers use themselves. Two lists —
//! open classes and open jobs — searchable by Chinese, pinyin and English,
//! filterable by district and trade; a job shows the classes that train
//! for it.
//!
//! It can leak nothing and change nothing: a session is built from a
//! [`PublicView`] and holds nothing else, so it has no path to trainees,
//! cases, the store or any command. It is independent of the terminal:
//! keys come in as [`Key`]s, time as an `Instant` the caller passes (so the
//! idle reset is testable without sleeping), and [`ui::draw`] draws on any
//! ratatui backend — the local driver is [`term`], an SSH session can be
//! another.

pub mod keys;
pub mod searcher;
pub mod term;
pub mod ui;
pub mod wish;

use crate::i18n::Lang;
use crate::keymap::Key;
use crate::search::{Hay, Query, score};
use crate::service::public::{ClassId, DemandId, Listing, OccupationId, PublicQuery, PublicView, RegionId};
use crate::widgets::cursor::{self, Step};
use crate::widgets::text::{self, Edit};
use keys::{KAction, Where};
use searcher::{Request, Response, Searcher};
use std::time::{Duration, Instant};
use tui_input::Input;

/// Seconds without a key before the kiosk returns to its home screen.
pub const DEFAULT_IDLE_SECS: u64 = 90;

/// How long a wish's receipt stays on screen without a key.
pub const RECEIPT_FOR: Duration = Duration::from_secs(30);

/// The longest search a visitor can type.
pub const MAX_QUERY_CHARS: usize = 40;

/// How a kiosk behaves; set once per kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The language of a fresh session (a visitor may switch; idle resets it).
    pub lang: Lang,
    /// Without a key for this long, the kiosk goes back to its home screen.
    pub idle: Duration,
    /// The one key that ends the session; `None`: nothing does.
    pub exit_key: Option<Key>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: Lang::Zh,
            idle: Duration::from_secs(DEFAULT_IDLE_SECS),
            exit_key: Some(Key::ctrl('c')),
        }
    }
}

/// One kiosk list: its search line, filters and results.
#[derive(Debug, Clone)]
pub struct ListView {
    pub listing: Listing,
    pub input: Input,
    pub region: Option<RegionId>,
    pub trade: Option<OccupationId>,
    pub ids: Vec<u64>,
    pub selected: usize,
    /// First visible row, as the last frame laid it out.
    pub offset: usize,
    pub generation: u64,
    pub pending: bool,
    /// Enter came before the results of what was typed: open the first
    /// one when they arrive (a quick visitor's Enter is not lost).
    pub open_when_found: bool,
    /// The search asked for is a new query or filter: its answer puts the
    /// cursor on the first row.
    pub to_top: bool,
}

impl ListView {
    fn new(listing: Listing) -> Self {
        ListView {
            listing,
            input: Input::default(),
            region: None,
            trade: None,
            ids: Vec::new(),
            selected: 0,
            offset: 0,
            generation: 0,
            pending: true,
            open_when_found: false,
            to_top: true,
        }
    }

    pub fn selected_id(&self) -> Option<u64> {
        self.ids.get(self.selected).copied()
    }

    fn query(&self) -> PublicQuery {
        PublicQuery {
            listing: self.listing,
            text: self.input.value().to_string(),
            region: self.region,
            trade: self.trade,
        }
    }
}

/// Which filter a chooser sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    District,
    Trade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceValue {
    All,
    Region(RegionId),
    Trade(OccupationId),
}

#[derive(Debug, Clone)]
pub struct ChoiceRow {
    pub label: String,
    pub count: usize,
    pub value: ChoiceValue,
    /// What typing in the chooser matches: both languages, aliases, codes.
    hay: Hay,
}

/// A list of districts or trades to pick a filter from; typing narrows it.
#[derive(Debug, Clone)]
pub struct Chooser {
    pub field: Field,
    pub input: Input,
    pub rows: Vec<ChoiceRow>,
    pub shown: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
}

impl Chooser {
    fn refilter(&mut self) {
        // The best matches first (the exact name above a near one), the
        // list's own order among equals.
        let q = Query::parse(self.input.value());
        let mut scored: Vec<(i64, usize)> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                if q.is_empty() {
                    Some((0, i))
                } else {
                    score(&r.hay, &q).map(|s| (s, i))
                }
            })
            .collect();
        scored.sort_by_key(|(s, i)| (std::cmp::Reverse(*s), *i));
        self.shown = scored.into_iter().map(|(_, i)| i).collect();
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }
}

/// A screen above the home screen.
#[derive(Debug, Clone)]
pub enum Page {
    List,
    Class {
        id: ClassId,
        scroll: usize,
    },
    Job {
        id: DemandId,
        selected: usize,
    },
    Choose(Chooser),
    /// The wish form (#25).
    Wish(wish::WishForm),
    /// A wish's receipt: its number only.
    Receipt(crate::service::wish::Number),
}

/// Everything one kiosk session shows.
#[derive(Debug, Clone)]
pub struct State {
    pub lang: Lang,
    /// The highlighted home choice: 0 classes, 1 jobs.
    pub home: usize,
    pub list: ListView,
    /// Screens over the home screen, the top one shown.
    pub pages: Vec<Page>,
    /// Rows a list shows at once, as the last frame laid out (for paging).
    pub page_rows: usize,
    /// How far the page on top can scroll, as the last frame laid out.
    pub max_scroll: usize,
    pub exit: bool,
}

impl State {
    fn new(lang: Lang) -> State {
        State {
            lang,
            home: 0,
            list: ListView::new(Listing::Classes),
            pages: Vec::new(),
            page_rows: 5,
            max_scroll: 0,
            exit: false,
        }
    }

    /// The screen keys are pressed on.
    pub fn at(&self) -> Where {
        match self.pages.last() {
            None => Where::Home,
            Some(Page::List) => Where::List,
            Some(Page::Class { .. }) => Where::Class,
            Some(Page::Job { .. }) => Where::Job,
            Some(Page::Choose(_)) => Where::Choose,
            Some(Page::Wish(_)) => Where::Wish,
            Some(Page::Receipt(_)) => Where::Receipt,
        }
    }

    /// True on the home screen with nothing typed, chosen or switched.
    pub fn is_fresh(&self, settings: &Settings) -> bool {
        self.pages.is_empty()
            && self.home == 0
            && self.lang == settings.lang
            && self.list.input.value().is_empty()
            && self.list.region.is_none()
            && self.list.trade.is_none()
    }
}

/// What `update` handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Action(KAction),
    /// A printable character for the search line.
    Char(char),
    /// Pasted (or IME-committed) text for the search line.
    Paste(String),
    /// What the last frame laid out.
    Laid(ui::Laid),
}

/// A kiosk session: its state, the public view it reads, and a searcher.
pub struct Kiosk {
    view: PublicView,
    pub settings: Settings,
    pub state: State,
    searcher: Box<dyn Searcher<Request, Response>>,
    next_gen: u64,
    seen_version: u64,
    /// When the last key came; `None` once the idle reset has run.
    last_input: Option<Instant>,
    /// The one write a kiosk may make: append a wish (#25).
    inbox: Option<crate::service::wish::WishInbox>,
}

/// The text edit a message makes, if it is one.
fn edit_of(msg: &Msg) -> Option<Edit> {
    Some(match msg {
        Msg::Char(c) => Edit::Insert(*c),
        Msg::Paste(s) => Edit::Paste(s.clone()),
        Msg::Action(KAction::DeleteBack) => Edit::DeleteBack,
        Msg::Action(KAction::ClearQuery) => Edit::Clear,
        Msg::Action(KAction::CursorLeft) => Edit::Left,
        Msg::Action(KAction::CursorRight) => Edit::Right,
        _ => return None,
    })
}

fn edit(input: &mut Input, edit: &Edit) -> bool {
    text::apply(input, edit, Some(MAX_QUERY_CHARS))
}

fn moved(selected: usize, len: usize, a: KAction, page: usize) -> usize {
    let step = match a {
        KAction::Up => Step::Up,
        KAction::Down => Step::Down,
        KAction::PageUp => Step::PageUp,
        KAction::PageDown => Step::PageDown,
        _ => return selected,
    };
    cursor::step(selected, len, step, page)
}

impl Kiosk {
    /// A fresh session on its home screen. The idle timer runs from the
    /// first key (a screen nobody touched has nothing to reset).
    pub fn new(view: PublicView, settings: Settings, searcher: Box<dyn Searcher<Request, Response>>) -> Kiosk {
        let seen_version = view.version();
        Kiosk {
            view,
            state: State::new(settings.lang),
            settings,
            searcher,
            next_gen: 0,
            seen_version,
            last_input: None,
            inbox: None,
        }
    }

    /// What the session reads (the renderer reads it too).
    pub fn view(&self) -> &PublicView {
        &self.view
    }

    /// True once the exit key was pressed.
    pub fn exited(&self) -> bool {
        self.state.exit
    }

    /// Is a search still running?
    pub fn busy(&self) -> bool {
        self.searcher.busy()
    }

    /// How long until the idle reset would run, if it is due to run at all.
    pub fn idle_left(&self, now: Instant) -> Option<Duration> {
        self.last_input
            .map(|t| self.settings.idle.saturating_sub(now.saturating_duration_since(t)))
    }

    /// A key, pressed at `now`: the exit key first, then the screen's map,
    /// then text for a search line.
    pub fn key(&mut self, key: Key, now: Instant) {
        self.last_input = Some(now);
        if self.settings.exit_key == Some(key) {
            self.state.exit = true;
            return;
        }
        let at = self.state.at();
        if at == Where::Receipt {
            // Any key after a receipt: a fresh home screen.
            self.state = State::new(self.state.lang);
            return;
        }
        if let Some(a) = keys::resolve(at, key) {
            self.update(Msg::Action(a));
        } else if at.types_text()
            && let Some(c) = key.text()
        {
            self.update(Msg::Char(c));
        }
    }

    /// Pasted text (or an input method's commit), at `now`.
    pub fn paste(&mut self, text: &str, now: Instant) {
        self.last_input = Some(now);
        if self.state.at().types_text() {
            self.update(Msg::Paste(text.to_string()));
        }
    }

    /// Run the idle reset when due, take in finished searches and changes
    /// made elsewhere. Call often.
    pub fn tick(&mut self, now: Instant) {
        if matches!(self.state.pages.last(), Some(Page::Receipt(_)))
            && self
                .last_input
                .is_some_and(|t| now.saturating_duration_since(t) >= RECEIPT_FOR)
        {
            // A receipt clears itself.
            self.state = State::new(self.settings.lang);
        }
        if self.idle_left(now) == Some(Duration::ZERO) {
            self.last_input = None;
            if !self.state.is_fresh(&self.settings) {
                self.state = State::new(self.settings.lang);
            }
        }
        let v = self.view.version();
        if v != self.seen_version {
            self.seen_version = v;
            if !self.state.pages.is_empty() {
                self.submit(false);
            }
        }
        for r in self.searcher.poll() {
            let l = &mut self.state.list;
            if r.generation != l.generation {
                continue;
            }
            let keep = l.selected_id();
            l.ids = r.ids;
            l.pending = false;
            let to_top = std::mem::take(&mut l.to_top);
            (l.selected, l.offset) = cursor::answered(keep, &l.ids, l.selected, l.offset, to_top);
            if std::mem::take(&mut l.open_when_found) && matches!(self.state.pages.last(), Some(Page::List)) {
                self.open_selected();
            }
        }
    }

    /// The detail page of the highlighted row.
    fn open_selected(&mut self) {
        let l = &self.state.list;
        let next = match (l.listing, l.selected_id()) {
            (Listing::Classes, Some(id)) => Page::Class {
                id: ClassId(id),
                scroll: 0,
            },
            (Listing::Jobs, Some(id)) => Page::Job {
                id: DemandId(id),
                selected: 0,
            },
            (_, None) => return,
        };
        self.state.pages.push(next);
    }

    /// Search for a new query or filter: the answer puts the cursor on top.
    fn search(&mut self) {
        self.submit(true);
    }

    /// Ask for the list's results; `to_top` unless the data changed.
    fn submit(&mut self, to_top: bool) {
        self.next_gen += 1;
        let l = &mut self.state.list;
        l.generation = self.next_gen;
        l.to_top = to_top || (l.to_top && l.pending);
        l.pending = true;
        self.searcher.submit(Request {
            generation: self.next_gen,
            query: l.query(),
        });
    }

    fn open_list(&mut self, listing: Listing) {
        self.state.home = match listing {
            Listing::Classes => 0,
            Listing::Jobs => 1,
        };
        self.state.list = ListView::new(listing);
        self.state.pages = vec![Page::List];
        self.search();
    }

    pub fn update(&mut self, msg: Msg) {
        if let Msg::Laid(laid) = msg {
            self.state.page_rows = laid.page_rows;
            self.state.max_scroll = laid.max_scroll;
            self.state.list.offset = laid.list_offset;
            if let Some(Page::Choose(c)) = self.state.pages.last_mut() {
                c.offset = laid.chooser_offset;
            }
            return;
        }
        if msg == Msg::Action(KAction::Language) {
            self.state.lang = self.state.lang.toggle();
            // A chooser's rows are written in the language: write them again.
            if let Some(Page::Choose(c)) = self.state.pages.last() {
                let field = c.field;
                self.state.pages.pop();
                self.open_chooser(field);
            }
            return;
        }
        if matches!(self.state.pages.last(), Some(Page::Wish(_))) {
            self.update_wish(msg);
            return;
        }
        if matches!(self.state.pages.last(), Some(Page::Receipt(_))) {
            self.state = State::new(self.state.lang);
            return;
        }
        if msg == Msg::Action(KAction::Wish) {
            self.open_wish();
            return;
        }
        let page = self.state.page_rows;
        match self.state.pages.last_mut() {
            None => match msg {
                Msg::Action(KAction::Up) => self.state.home = 0,
                Msg::Action(KAction::Down) => self.state.home = 1,
                Msg::Action(KAction::Open) => self.open_list(if self.state.home == 0 {
                    Listing::Classes
                } else {
                    Listing::Jobs
                }),
                Msg::Action(KAction::OpenClasses) => self.open_list(Listing::Classes),
                Msg::Action(KAction::OpenJobs) => self.open_list(Listing::Jobs),
                _ => {}
            },
            Some(Page::List) => {
                // Any other key than Enter means the visitor goes on.
                self.state.list.open_when_found = false;
                if let Some(e) = edit_of(&msg) {
                    if edit(&mut self.state.list.input, &e) {
                        self.state.list.selected = 0;
                        self.search();
                    }
                    return;
                }
                let Msg::Action(a) = msg else { return };
                let l = &mut self.state.list;
                match a {
                    KAction::Up | KAction::Down | KAction::PageUp | KAction::PageDown => {
                        l.selected = moved(l.selected, l.ids.len(), a, page);
                    }
                    KAction::Open if l.pending => l.open_when_found = true,
                    KAction::Open => self.open_selected(),
                    KAction::District => self.open_chooser(Field::District),
                    KAction::Trade => self.open_chooser(Field::Trade),
                    KAction::Back => self.state.pages.clear(),
                    _ => {}
                }
            }
            Some(Page::Class { scroll, .. }) => match msg {
                Msg::Action(a @ (KAction::Up | KAction::Down | KAction::PageUp | KAction::PageDown)) => {
                    *scroll = moved(*scroll, self.state.max_scroll + 1, a, page);
                }
                Msg::Action(KAction::Back) => {
                    self.state.pages.pop();
                }
                _ => {}
            },
            Some(Page::Job { id, selected }) => match msg {
                Msg::Action(a @ (KAction::Up | KAction::Down | KAction::PageUp | KAction::PageDown)) => {
                    let n = self.view.classes_for_job(*id).len();
                    *selected = moved(*selected, n, a, page);
                }
                Msg::Action(KAction::Open) => {
                    let pick = self.view.classes_for_job(*id).get(*selected).map(|t| t.class.id);
                    if let Some(class) = pick {
                        self.state.pages.push(Page::Class { id: class, scroll: 0 });
                    }
                }
                Msg::Action(KAction::Back) => {
                    self.state.pages.pop();
                }
                _ => {}
            },
            Some(Page::Choose(c)) => {
                if let Some(e) = edit_of(&msg) {
                    if edit(&mut c.input, &e) {
                        c.selected = 0;
                        c.refilter();
                    }
                    return;
                }
                match msg {
                    Msg::Action(a @ (KAction::Up | KAction::Down | KAction::PageUp | KAction::PageDown)) => {
                        c.selected = moved(c.selected, c.shown.len(), a, page);
                    }
                    Msg::Action(KAction::Open) => {
                        let Some(value) = c.shown.get(c.selected).and_then(|i| c.rows.get(*i)).map(|r| r.value) else {
                            return;
                        };
                        let field = c.field;
                        self.state.pages.pop();
                        let l = &mut self.state.list;
                        match (field, value) {
                            (Field::District, ChoiceValue::Region(r)) => l.region = Some(r),
                            (Field::District, _) => l.region = None,
                            (Field::Trade, ChoiceValue::Trade(o)) => l.trade = Some(o),
                            (Field::Trade, _) => l.trade = None,
                        }
                        l.selected = 0;
                        self.search();
                    }
                    Msg::Action(KAction::Back) => {
                        self.state.pages.pop();
                    }
                    _ => {}
                }
            }
            // Handled above.
            Some(Page::Wish(_) | Page::Receipt(_)) => {}
        }
    }

    fn open_chooser(&mut self, field: Field) {
        let listing = self.state.list.listing;
        let t = self.state.lang.t();
        let en = self.state.lang == Lang::En;
        let mut rows = Vec::new();
        let total = self.view.totals(listing).0;
        rows.push(ChoiceRow {
            label: t.k_all.to_string(),
            count: total,
            value: ChoiceValue::All,
            hay: Hay::new(format!("{} {}", crate::i18n::ZH.k_all, crate::i18n::EN.k_all)),
        });
        match field {
            Field::District => {
                for c in self.view.regions(listing) {
                    // A retired district is not offered to the public.
                    let Some(r) = c.id.get().filter(|r| !r.retired) else {
                        continue;
                    };
                    rows.push(ChoiceRow {
                        label: if en {
                            format!("{} {}", r.en, r.zh)
                        } else {
                            r.zh.to_string()
                        },
                        count: c.count,
                        value: ChoiceValue::Region(c.id),
                        hay: Hay::new(format!("{} {} {} {}", r.zh, r.short_zh, r.en, r.code)),
                    });
                }
            }
            Field::Trade => {
                for c in self.view.trades(listing) {
                    // A retired trade is not offered to the public.
                    let Some(o) = c.id.get().filter(|o| !o.retired) else {
                        continue;
                    };
                    rows.push(ChoiceRow {
                        label: if en {
                            format!("{} {}", o.en, o.zh)
                        } else {
                            o.zh.to_string()
                        },
                        count: c.count,
                        value: ChoiceValue::Trade(c.id),
                        hay: Hay::new(format!("{} {} {}", o.zh, o.en, o.aliases.join(" "))),
                    });
                }
            }
        }
        let current = match field {
            Field::District => self.state.list.region.map(ChoiceValue::Region),
            Field::Trade => self.state.list.trade.map(ChoiceValue::Trade),
        }
        .unwrap_or(ChoiceValue::All);
        let selected = rows.iter().position(|r| r.value == current).unwrap_or(0);
        let mut c = Chooser {
            field,
            input: Input::default(),
            shown: Vec::new(),
            rows,
            selected,
            offset: 0,
        };
        c.refilter();
        self.state.pages.push(Page::Choose(c));
    }
}
