//! The searchable records of one kind: one text arena, shared tags, scans
//! over one or both cores with cancellation, the persisted text form, and
//! the best-first sort.

use super::Query;
use super::hay::{Hay, HayRef, Slot};
use super::mapped::{Arr, Text};
use super::score::{TAG_PENALTY, Verdict, run_verdict, runs_first, term_hit, term_score};

/// One hit: a record id and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub id: u64,
    pub score: i64,
}

/// Text many records share (a district's English name, a trade's aliases, a
/// case state): each distinct text is kept and matched once per query, and
/// a record holds only the number of its list of tags.
#[derive(Debug, Default, Clone)]
pub(super) struct Tags {
    hays: Vec<Hay>,
    by_text: std::collections::HashMap<Box<str>, u32>,
    /// Distinct lists of tags; list 0 is the empty list.
    lists: Vec<Box<[u32]>>,
    by_list: std::collections::HashMap<Box<[u32]>, u32>,
}

impl Tags {
    fn list_of<S: AsRef<str>>(&mut self, texts: &[S]) -> u32 {
        if self.lists.is_empty() {
            self.lists.push(Box::new([]));
            self.by_list.insert(Box::new([]), 0);
        }
        let mut ids: Vec<u32> = Vec::with_capacity(texts.len());
        for t in texts {
            let t = t.as_ref().trim();
            if t.is_empty() {
                continue;
            }
            let id = match self.by_text.get(t) {
                Some(&id) => id,
                None => {
                    let id = self.hays.len() as u32;
                    self.hays.push(Hay::new(t.to_string()));
                    self.by_text.insert(t.into(), id);
                    id
                }
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if let Some(&l) = self.by_list.get(ids.as_slice()) {
            return l;
        }
        let l = self.lists.len() as u32;
        self.lists.push(ids.clone().into_boxed_slice());
        self.by_list.insert(ids.into_boxed_slice(), l);
        l
    }

    fn list(&self, l: u32) -> &[u32] {
        self.lists.get(l as usize).map(|b| &b[..]).unwrap_or(&[])
    }
}

/// The searchable records of one kind, in ascending id order.
#[derive(Debug, Default, Clone)]
pub struct Index {
    ids: Arr<u64>,
    hays: Arr<Slot>,
    /// Every record's text, one after another (see [`HayOf`]).
    pub(super) arena: Text,
    /// Bytes of the arena no record uses any more (replaced texts).
    pub(super) garbage: usize,
    /// Per record, its list of tags (see [`Tags`]).
    tag_lists: Arr<u32>,
    tags: Tags,
    /// Which order of records this is (see [`Layout`]).
    layout: Layout,
}

/// An index's order of records: a new number for every index made and
/// whenever a record is put between two others (the positions after it
/// move), so positions taken in one index are read only in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout(u64);

impl Default for Layout {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Layout(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// Where an earlier search's matches were in an index, ascending: a
/// search narrowing from them reads those records with no id looked up
/// (at a million records, finding 50k ids one by one took longer than a
/// whole scan), as long as the index keeps that order.
#[derive(Debug, Clone)]
pub struct Positions {
    layout: Layout,
    at: std::sync::Arc<[u32]>,
}

impl Positions {
    /// How many matches.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
}

/// How often a long scan looks at its cancel flag.
pub(super) const CANCEL_EVERY: usize = 2048;

/// How many records ahead a scan asks for a record's slot, and its text.
const PREFETCH_SLOT: usize = 16;
const PREFETCH_TEXT: usize = 8;
/// From how many records an index is scanned with prefetching: a smaller
/// one stays in the processor's caches, and the requests only cost
/// (at 100k, typing p99 4.4-4.6 ms with them against 3.4-4.6 without).
/// The unit tests' small indexes prefetch too, so their scans walk that path.
const PREFETCH_FROM: usize = if cfg!(test) { 1 } else { 1 << 18 };

/// A hint to the processor to bring `p`'s cache line in; never faults.
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it reads nothing the program sees and
    // does not fault on any address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every record's id, ascending.
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }

    fn slot(&self, id: u64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// Add or replace a record's hay (no shared text).
    pub fn upsert(&mut self, id: u64, hay: Hay) {
        self.upsert_tagged(id, hay, &[] as &[&str]);
    }

    /// Add or replace a record: its own text and the shared texts it is
    /// also found by.
    pub fn upsert_tagged<S: AsRef<str>>(&mut self, id: u64, hay: Hay, tags: &[S]) {
        let list = self.tags.list_of(tags);
        self.upsert_with_list(id, hay.as_ref(), list);
    }

    /// Put a hay's text at the arena's end: its slot.
    fn place(&mut self, hay: HayRef<'_>) -> Slot {
        let at = self.arena.len() as u64;
        self.arena.push_str(hay.text);
        hay.with_text(at)
    }

    /// A record's hay, read from the arena.
    fn view(&self, i: usize) -> HayRef<'_> {
        view_in(&self.hays, &self.arena, i)
    }

    fn upsert_with_list(&mut self, id: u64, hay: HayRef<'_>, list: u32) {
        let slot = self.place(hay);
        match self.ids.binary_search(&id) {
            Ok(i) => {
                self.garbage += self.hays[i].end as usize;
                self.hays.set(i, slot);
                self.tag_lists.set(i, list);
                // Replaced texts stay in the arena until they are half of it.
                if self.garbage > (1 << 20) && self.garbage * 2 > self.arena.len() {
                    self.compact();
                }
            }
            Err(i) => {
                // New ids only grow, so this is nearly always a push.
                if i < self.ids.len() {
                    self.layout = Layout::default();
                }
                self.ids.insert(i, id);
                self.hays.insert(i, slot);
                self.tag_lists.insert(i, list);
            }
        }
    }

    /// Rewrite the arena with only the texts records use.
    fn compact(&mut self) {
        let mut arena = String::with_capacity(self.arena.len() - self.garbage);
        let mut hays = self.hays.to_vec();
        for (i, h) in hays.iter_mut().enumerate() {
            let at = arena.len() as u64;
            arena.push_str(self.view(i).text);
            h.text = at;
        }
        self.hays = Arr::Own(hays);
        self.arena = Text::Own(arena);
        self.garbage = 0;
    }

    /// Join indexes built apart (one per thread) over consecutive id
    /// ranges, in order.
    pub fn concat(parts: Vec<Index>) -> Index {
        let mut out = Index::default();
        let n: usize = parts.iter().map(Index::len).sum();
        out.ids.to_mut().reserve_exact(n);
        out.hays.to_mut().reserve_exact(n);
        out.tag_lists.to_mut().reserve_exact(n);
        out.arena
            .to_mut()
            .reserve_exact(parts.iter().map(|p| p.arena.len() - p.garbage).sum());
        for part in parts {
            // The part's lists, renumbered as lists of this index.
            let lists: Vec<u32> = part
                .tags
                .lists
                .iter()
                .map(|l| {
                    let texts: Vec<&str> = l
                        .iter()
                        .filter_map(|t| part.tags.hays.get(*t as usize).map(Hay::line))
                        .collect();
                    out.tags.list_of(&texts)
                })
                .collect();
            for i in 0..part.len() {
                let (id, hay) = (part.ids[i], part.view(i));
                let list = lists.get(part.tag_lists[i] as usize).copied().unwrap_or(0);
                if out.ids.last().is_some_and(|last| *last >= id) {
                    out.upsert_with_list(id, hay, list);
                } else {
                    let slot = out.place(hay);
                    out.ids.to_mut().push(id);
                    out.hays.to_mut().push(slot);
                    out.tag_lists.to_mut().push(list);
                }
            }
        }
        out
    }

    /// Drop spare capacity once a build is done.
    pub fn shrink(&mut self) {
        // A mapped index holds no spare capacity: left as it is.
        if let Arr::Own(v) = &mut self.ids {
            v.shrink_to_fit();
        }
        if let Arr::Own(v) = &mut self.hays {
            v.shrink_to_fit();
        }
        if let Arr::Own(v) = &mut self.tag_lists {
            v.shrink_to_fit();
        }
        if let Text::Own(s) = &mut self.arena {
            s.shrink_to_fit();
        }
    }

    /// A record's own text (what highlights refer to).
    pub fn get(&self, id: u64) -> Option<HayRef<'_>> {
        self.slot(id).map(|i| self.view(i))
    }

    /// The shared texts a record is also found by.
    pub fn tags_of(&self, id: u64) -> Vec<&str> {
        self.slot(id).map(|i| self.tag_texts(i)).unwrap_or_default()
    }

    fn tag_texts(&self, i: usize) -> Vec<&str> {
        self.tags
            .list(self.tag_lists[i])
            .iter()
            .filter_map(|t| self.tags.hays.get(*t as usize).map(|h| h.line()))
            .collect()
    }

    /// Everything a record is found by, as one line (what `search --lines`
    /// prints and what an outside tool such as fzf would be given).
    pub fn full_line(&self, id: u64) -> Option<String> {
        let i = self.slot(id)?;
        let mut line = self.view(i).line().to_string();
        for t in self.tag_texts(i) {
            line.push(' ');
            line.push_str(t);
        }
        Some(line)
    }

    /// (id, own text, tags) of every record, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, HayRef<'_>, Vec<&str>)> {
        (0..self.ids.len()).map(|i| (self.ids[i], self.view(i), self.tag_texts(i)))
    }

    /// Every record matching `q` (all records, score 0, for an empty query),
    /// restricted to `within` when given (narrowing from earlier results).
    /// Returns `None` when `cancelled()` turns true mid-scan.
    pub fn search(&self, q: &Query, within: Option<&[u64]>, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Vec<Hit>> {
        let scanned = self.scan(q, within, None, cancelled)?;
        Some(self.hits_of(&scanned.parts))
    }

    /// The scan's parts as hits, in index order.
    fn hits_of(&self, parts: &[Part]) -> Vec<Hit> {
        let ids = &self.ids[..];
        parts
            .iter()
            .flatten()
            .map(|&(i, score)| Hit {
                id: ids[i as usize],
                score: i64::from(score),
            })
            .collect()
    }

    /// The ids of every record matching `q`, best first (as
    /// [`sort_best_first`] orders them): what a list shows. Made straight
    /// from the scan's parts, with no list of hits copied, joined or sorted
    /// in between (at a million records that copying cost more than the
    /// matching of a one-character term).
    pub fn search_ranked(
        &self,
        q: &Query,
        within: Option<&[u64]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<std::sync::Arc<[u64]>> {
        Some(self.search_ranked_at(q, within, None, cancelled)?.0)
    }

    /// [`Index::search_ranked`], narrowing from the earlier matches' places
    /// `at` when they are this index's (else from their ids `within`), and
    /// with the places of the matches when they are few enough for a later
    /// search to narrow from.
    pub fn search_ranked_at(
        &self,
        q: &Query,
        within: Option<&[u64]>,
        at: Option<&Positions>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<(std::sync::Arc<[u64]>, Option<Positions>)> {
        let scanned = self.scan(q, within, at, cancelled)?;
        let n: usize = scanned.parts.iter().map(Vec::len).sum();
        let places = narrows_from(n, self.ids.len()).then(|| Positions {
            layout: self.layout,
            at: scanned.parts.iter().flatten().map(|h| h.0).collect(),
        });
        Some((self.ranked(&scanned), places))
    }

    /// Best first, then newest, from parts in index order: a counting sort
    /// by the scan's tallies, or a sort when a tally spilled or the scores
    /// lie too far apart.
    fn ranked(&self, scanned: &Scanned) -> std::sync::Arc<[u64]> {
        let parts = &scanned.parts[..];
        let n: usize = parts.iter().map(Vec::len).sum();
        let sorted = || {
            let mut hits = self.hits_of(parts);
            sort_best_first(&mut hits);
            hits.iter().map(|h| h.id).collect()
        };
        let (lo, hi) = scanned
            .tallies
            .iter()
            .map(Tally::bounds)
            .fold((i32::MAX, i32::MIN), |(lo, hi), (l, h)| (lo.min(l), hi.max(h)));
        let range = i64::from(hi) - i64::from(lo);
        if n < 2 || range >= COUNTING_RANGE || scanned.tallies.iter().any(|t| t.spilled) {
            return sorted();
        }
        let score = |b: usize| (i64::from(hi) - b as i64) as i32;
        let counts: Vec<Vec<usize>> = scanned
            .tallies
            .iter()
            .map(|t| (0..=range as usize).map(|b| t.of(score(b))).collect())
            .collect();
        let parallel = n >= PARALLEL_FROM && parts.len() > 1;
        self.ranked_on_each(parts, &counts, n, hi, parallel)
            .unwrap_or_else(sorted)
    }

    /// [`Index::ranked`]'s counting sort, each part placed on a thread of
    /// its own when `parallel` (at a million hits one thread took as long
    /// as the matching). `counts[p][b]` is how many of part `p`'s hits
    /// score `hi - b`. The output holds, for each score best first, each
    /// part's hits of that score, the last part first and each part's
    /// newest first. `None` when the counts were not the parts' own.
    fn ranked_on_each(
        &self,
        parts: &[Part],
        counts: &[Vec<usize>],
        n: usize,
        hi: i32,
        parallel: bool,
    ) -> Option<std::sync::Arc<[u64]>> {
        let buckets = counts.first().map_or(0, Vec::len);
        if counts.len() != parts.len() || counts.iter().any(|c| c.len() != buckets) {
            return None;
        }
        let bucket = |s: i32| (i64::from(hi) - i64::from(s)) as usize;
        // Where each part's hits of each score begin.
        let mut starts = vec![vec![0usize; buckets]; parts.len()];
        let mut at = 0;
        for b in 0..buckets {
            for p in (0..parts.len()).rev() {
                starts[p][b] = at;
                at += counts[p][b];
            }
        }
        if at != n {
            return None;
        }
        // Not zeroed: every place is written below, which is checked.
        let mut out = std::sync::Arc::<[u64]>::new_uninit_slice(n);
        let place = Shared(std::sync::Arc::get_mut(&mut out)?.as_mut_ptr().cast::<u64>(), n);
        let ids = &self.ids[..];
        let parted: Vec<(&Part, Vec<usize>, &Vec<usize>)> = parts
            .iter()
            .zip(starts)
            .zip(counts)
            .map(|((p, s), c)| (p, s, c))
            .collect();
        let filled = on_each(&parted, parallel, |(part, starts, counts)| {
            let mut next = starts.clone();
            for &(i, s) in part.iter().rev() {
                let b = bucket(s);
                if b >= buckets || next[b] >= starts[b] + counts[b] {
                    return false;
                }
                place.put(next[b], ids[i as usize]);
                next[b] += 1;
            }
            // Each of the part's runs filled to its end: with the runs
            // cutting 0..n apart, every place was written once.
            next.iter().zip(starts).zip(*counts).all(|((x, s), c)| *x == s + c)
        });
        if !filled.iter().all(|f| *f) {
            return None;
        }
        // SAFETY: every place in 0..n was written (checked just above).
        Some(unsafe { out.assume_init() })
    }

    /// Where each of `ids` is in the index, ascending (earlier results come
    /// best first: a scan visits them in index order); ids not here are
    /// left out. Many ids are sorted and walked along the index once, which
    /// at a million records is ten times faster than looking up each.
    fn positions_of(&self, ids: &[u64]) -> Vec<u32> {
        if ids.len() * 16 < self.ids.len() {
            let mut p: Vec<u32> = ids.iter().filter_map(|id| self.slot(*id)).map(|i| i as u32).collect();
            p.sort_unstable();
            return p;
        }
        let mut want = ids.to_vec();
        want.sort_unstable();
        let mut p = Vec::with_capacity(want.len());
        let mut j = 0;
        let all = &self.ids[..];
        for id in want {
            while j < all.len() && all[j] < id {
                j += 1;
            }
            if all.get(j) == Some(&id) {
                p.push(j as u32);
            }
        }
        p
    }

    /// The scan itself: per part of the index (one per core), the
    /// matching records' positions, ascending, and their scores.
    fn scan(
        &self,
        q: &Query,
        within: Option<&[u64]>,
        at: Option<&Positions>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Scanned> {
        // Each term against each shared text, once: per term, per tag.
        let tag_scores: Vec<Vec<Option<i64>>> = q
            .terms
            .iter()
            .map(|t| {
                self.tags
                    .hays
                    .iter()
                    .map(|h| term_hit(h, t).map(|s| s - TAG_PENALTY))
                    .collect()
            })
            .collect();
        // Per term and tag list: the best tag score (lists are few), in
        // one flat table of i32 (`NO_TAG` for none) that stays in cache: a
        // record's list is looked up once per term, in no order.
        let lists = self.tags.lists.len().max(1);
        let mut list_best = vec![NO_TAG; q.terms.len() * lists];
        for (k, per_tag) in tag_scores.iter().enumerate() {
            for (l, tags) in self.tags.lists.iter().enumerate() {
                let best = tags
                    .iter()
                    .filter_map(|t| per_tag.get(*t as usize).copied().flatten())
                    .max();
                if let Some(b) = best {
                    list_best[k * lists + l] = i32::try_from(b).unwrap_or(i32::MAX).max(NO_TAG + 1);
                }
            }
        }
        // The arrays, taken once (a mapped index's arrays are looked up).
        let (hays, arena, tag_lists) = (&self.hays[..], &self.arena[..], &self.tag_lists[..]);
        // A query of fuzzy ASCII terms (a first keystroke, a name in
        // pinyin, an ID number, a mobile) is scored by its own path.
        let all_fast = q.terms.iter().all(runs_first);
        let bytes = arena.as_bytes();
        // When no tag holds any term (`32`, `13`: most digit runs), no
        // record's tags are looked up.
        let tagged = list_best.iter().any(|b| *b != NO_TAG);
        let record_score = |i: usize| -> Option<i64> {
            let list = if tagged { tag_lists[i] as usize } else { 0 };
            let tag_best = |k: usize| {
                if !tagged {
                    return None;
                }
                list_best
                    .get(k * lists + list)
                    .copied()
                    .filter(|b| *b != NO_TAG)
                    .map(i64::from)
            };
            let mut total = 0;
            let slot = &hays[i];
            if all_fast {
                // Straight from the slot and the arena's bytes.
                let at = usize::try_from(slot.text).unwrap_or(usize::MAX);
                let text = bytes.get(at..).unwrap_or_default();
                let line = || {
                    at.checked_add(slot.initials_at as usize)
                        .and_then(|end| arena.get(at..end))
                        .unwrap_or_default()
                };
                for (k, t) in q.terms.iter().enumerate() {
                    let own = match run_verdict(slot, text, &line, t) {
                        Verdict::Hit(s) => Some(s),
                        Verdict::Miss => None,
                        Verdict::Ask => term_hit(&view_in(hays, arena, i), t),
                    };
                    total += match (own, tag_best(k)) {
                        (Some(a), Some(b)) => a.max(b),
                        (a, b) => a.or(b)?,
                    };
                }
                return Some(total);
            }
            // A term whose characters the record lacks, and that no tag of
            // it holds, fails it before its text is read.
            for (k, t) in q.terms.iter().enumerate() {
                if !t.negated && !slot.may_match(t) && tag_best(k).is_none() {
                    return None;
                }
            }
            let hay = view_in(hays, arena, i);
            for (k, t) in q.terms.iter().enumerate() {
                total += term_score(&hay, t, tag_best(k))?;
            }
            Some(total)
        };
        let within = within.filter(|w| narrows_from(w.len(), self.ids.len()));
        // The earlier matches' places, when this index still has them.
        let places = at.filter(|p| {
            within.is_some_and(|w| w.len() == p.len())
                && p.layout == self.layout
                && p.at.last().is_none_or(|&l| (l as usize) < self.ids.len())
        });
        let positions: Vec<u32>;
        let slots: &[u32] = match (places, within) {
            (Some(p), _) => &p.at,
            (None, Some(ids)) => {
                positions = self.positions_of(ids);
                &positions
            }
            (None, None) => &[],
        };
        let n = if within.is_some() { slots.len() } else { self.ids.len() };
        let at = |k: usize| if within.is_some() { slots[k] as usize } else { k };
        let prefetching = self.ids.len() >= PREFETCH_FROM;
        let scan = |range: std::ops::Range<usize>| -> Option<(Part, Tally)> {
            let mut out = Vec::with_capacity(range.len().min(1 << 16));
            let mut tally = Tally::default();
            // No record is asked for ahead past this: the part's end, or
            // none at all in a small index.
            let end = if prefetching { range.end } else { 0 };
            for k in range {
                if k.is_multiple_of(CANCEL_EVERY) && cancelled() {
                    return None;
                }
                // Ask for what the records a little ahead need before they
                // are scored: their slots, then (once those are in) their
                // text. A scan is bound by the memory's latency, not the matching.
                if k + PREFETCH_SLOT < end {
                    let j = at(k + PREFETCH_SLOT);
                    prefetch(hays.as_ptr().wrapping_add(j));
                    if tagged {
                        prefetch(tag_lists.as_ptr().wrapping_add(j));
                    }
                }
                if k + PREFETCH_TEXT < end {
                    let text = hays[at(k + PREFETCH_TEXT)].text;
                    prefetch(arena.as_ptr().wrapping_add(usize::try_from(text).unwrap_or(0)));
                }
                let i = at(k);
                if let Some(s) = record_score(i) {
                    // Scores are small sums (a term's weight by its length):
                    // an i32 holds any a query of real length can reach.
                    let s = i32::try_from(s).unwrap_or(if s < 0 { i32::MIN } else { i32::MAX });
                    tally.add(s);
                    out.push((i as u32, s));
                }
            }
            Some((out, tally))
        };
        let threads = std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1)
            .min(8);
        if n < PARALLEL_FROM || threads < 2 {
            let (part, tally) = scan(0..n)?;
            return Some(Scanned {
                parts: vec![part],
                tallies: vec![tally],
            });
        }
        // Split the scan over the cores, in pieces each core takes as it
        // is free (a core slowed by other work takes fewer); each piece
        // keeps index order, and the pieces are in order.
        let piece = n.div_ceil(threads * PIECES_PER_CORE);
        let ranges: Vec<std::ops::Range<usize>> = (0..n.div_ceil(piece))
            .map(|p| p * piece..((p + 1) * piece).min(n))
            .collect();
        let (parts, tallies) = on_each(&ranges, true, |r| scan(r.clone()))
            .into_iter()
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .unzip();
        Some(Scanned { parts, tallies })
    }
}

/// A scan's matches, in parts in index order, each with its [`Tally`].
struct Scanned {
    parts: Vec<Part>,
    tallies: Vec<Tally>,
}

/// How many of a part's matches score each score, counted as the scan
/// finds them (so ranking reads the matches once, to place them):
/// `n[s - base]`, over [`COUNTING_RANGE`] scores around the first;
/// `spilled` once a score falls outside them.
#[derive(Debug, Default)]
struct Tally {
    base: i32,
    n: Vec<u32>,
    spilled: bool,
}

impl Tally {
    /// Where `s` is counted (out of range when it is not).
    #[inline(always)]
    fn at(&self, s: i32) -> usize {
        usize::try_from(i64::from(s) - i64::from(self.base)).unwrap_or(usize::MAX)
    }

    #[inline(always)]
    fn add(&mut self, s: i32) {
        let at = self.at(s);
        match self.n.get_mut(at) {
            Some(c) => *c += 1,
            None => self.first_or_spill(s),
        }
    }

    #[cold]
    fn first_or_spill(&mut self, s: i32) {
        if self.n.is_empty() && !self.spilled {
            const HALF: i32 = (COUNTING_RANGE / 2) as i32;
            self.base = s.saturating_sub(HALF);
            self.n = vec![0; COUNTING_RANGE as usize];
            self.add(s);
        } else {
            self.spilled = true;
            self.n = Vec::new();
        }
    }

    /// How many scored `s`.
    fn of(&self, s: i32) -> usize {
        self.n.get(self.at(s)).map_or(0, |c| *c as usize)
    }

    /// The lowest and the highest score counted (`(i32::MAX, i32::MIN)`
    /// for none).
    fn bounds(&self) -> (i32, i32) {
        let first = self.n.iter().position(|c| *c > 0);
        let last = self.n.iter().rposition(|c| *c > 0);
        match (first, last) {
            // Each is a score counted, so an i32.
            (Some(f), Some(l)) => (
                (i64::from(self.base) + f as i64) as i32,
                (i64::from(self.base) + l as i64) as i32,
            ),
            _ => (i32::MAX, i32::MIN),
        }
    }
}

/// Does a search narrow from `earlier` matches of an index of `len`
/// records? It pays when they are few; from a large part of the index,
/// reading the records one by one costs more than a scan.
fn narrows_from(earlier: usize, len: usize) -> bool {
    earlier * 4 < len
}

/// Record `i`'s hay, its text read from the arena.
fn view_in<'a>(hays: &[Slot], arena: &'a str, i: usize) -> HayRef<'a> {
    let h = &hays[i];
    let start = usize::try_from(h.text).unwrap_or(usize::MAX);
    let text = start
        .checked_add(h.end as usize)
        .and_then(|end| arena.get(start..end))
        .unwrap_or("");
    h.with_text(text)
}

pub(super) fn tsv_clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        s.replace(['\t', '\n', '\r'], " ").into()
    } else {
        s.into()
    }
}

impl Index {
    /// The index as readable text (the golden test of the search cache
    /// shows it beside the binary form): a line of counts, the shared
    /// texts, the tag lists, then one record per line,
    /// `id TAB list TAB line TAB initials TAB pinyin`.
    pub fn write_tsv(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(
            w,
            "{} {} {}",
            self.ids.len(),
            self.tags.hays.len(),
            self.tags.lists.len()
        )?;
        for h in &self.tags.hays {
            writeln!(w, "{}", tsv_clean(h.line()))?;
        }
        for l in &self.tags.lists {
            let ids: Vec<String> = l.iter().map(u32::to_string).collect();
            writeln!(w, "{}", ids.join(","))?;
        }
        for i in 0..self.ids.len() {
            let h = self.view(i);
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}",
                self.ids[i],
                self.tag_lists[i],
                tsv_clean(h.line()),
                tsv_clean(&h.initials()),
                tsv_clean(&h.pinyin())
            )?;
        }
        Ok(())
    }
}

/// Best score first, then newest (ids are unique, so the order is total and
/// an unstable sort is deterministic). A large list is sorted in two halves
/// on two threads and merged.
pub fn sort_best_first(hits: &mut [Hit]) {
    let cmp = |a: &Hit, b: &Hit| b.score.cmp(&a.score).then(b.id.cmp(&a.id));
    if hits.len() >= 4096 && counting_sort(hits) {
        return;
    }
    let threads = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1);
    if hits.len() < 2 * PARALLEL_FROM || threads < 2 {
        hits.sort_unstable_by(cmp);
        return;
    }
    let mid = hits.len() / 2;
    {
        let (a, b) = hits.split_at_mut(mid);
        std::thread::scope(|sc| {
            sc.spawn(|| a.sort_unstable_by(cmp));
            b.sort_unstable_by(cmp);
        });
    }
    let mut merged = Vec::with_capacity(hits.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < hits.len() {
        if cmp(&hits[j], &hits[i]).is_lt() {
            merged.push(hits[j]);
            j += 1;
        } else {
            merged.push(hits[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&hits[i..mid]);
    merged.extend_from_slice(&hits[j..]);
    hits.copy_from_slice(&merged);
}

/// A scan answers in id order and its scores take few values (a short
/// term scores by kind, length and position): then a counting sort by score,
/// filling from the newest, gives best first, newest first in linear time.
/// Returns false, touching nothing, when the hits are not like that.
pub(super) fn counting_sort(hits: &mut [Hit]) -> bool {
    const MAX_RANGE: i64 = COUNTING_RANGE;
    if !hits.is_sorted_by_key(|h| h.id) {
        return false;
    }
    let (lo, hi) = hits
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), h| (lo.min(h.score), hi.max(h.score)));
    let Some(range) = hi.checked_sub(lo).filter(|r| *r < MAX_RANGE) else {
        return false;
    };
    let out = counting_order(
        || hits.iter().map(|h| (*h, h.score)),
        hits.len(),
        hi,
        range,
        Hit { id: 0, score: 0 },
    );
    hits.copy_from_slice(&out);
    true
}

/// Items given in ascending id order, with scores within `hi - range ..=
/// hi`, best score first and then the later item first: a counting sort
/// (bucket b holds score hi - b; filled from the last item back, each
/// bucket is newest first). `items` is walked twice.
fn counting_order<T: Copy, I: DoubleEndedIterator<Item = (T, i64)>>(
    items: impl Fn() -> I,
    n: usize,
    hi: i64,
    range: i64,
    fill: T,
) -> Vec<T> {
    let bucket = |s: i64| (hi - s) as usize;
    let mut starts = vec![0usize; range as usize + 2];
    for (_, s) in items() {
        starts[bucket(s) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![fill; n];
    for (t, s) in items().rev() {
        let b = bucket(s);
        out[starts[b]] = t;
        starts[b] += 1;
    }
    out
}

/// `f` of each of `items`, in order: on this thread, or when `parallel` on
/// one thread per core (this one too), each taking the next item not yet
/// taken. An item a thread could not finish (it panicked, or could not
/// start) is done here afterwards.
fn on_each<T: Sync, R: Send>(items: &[T], parallel: bool, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |p| p.get());
    let workers = if parallel { cores.min(items.len()) } else { 1 };
    if workers < 2 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<R>>> = std::sync::Mutex::new(items.iter().map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(t) = items.get(i) else { break };
            let r = f(t);
            done.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
        }
    };
    std::thread::scope(|sc| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(sc, work).ok())
            .collect();
        work();
        for h in helpers {
            // A panic is answered below: its item is done again here.
            let _ = h.join();
        }
    });
    let done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.into_iter()
        .zip(items)
        .map(|(r, t)| r.unwrap_or_else(|| f(t)))
        .collect()
}

/// Pieces of a scan per core (see [`Index::scan`]).
const PIECES_PER_CORE: usize = 4;

/// A list that threads fill at places no two of them share (the counting
/// sort's: each part's run of each score is its own).
#[derive(Clone, Copy)]
struct Shared(*mut u64, usize);

// SAFETY: the pointer is only written through `put`, at indices the
// counting sort gives each thread apart, while the list it points into is
// borrowed mutably by the caller and outlives the threads (scoped).
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    fn put(self, at: usize, v: u64) {
        assert!(at < self.1, "a place past the list");
        // SAFETY: in bounds (checked above); no other thread writes `at`.
        unsafe { self.0.add(at).write(v) }
    }
}

/// One part of a scan: its matches' positions, ascending, and scores.
type Part = Vec<(u32, i32)>;

/// No tag of the list matched the term.
const NO_TAG: i32 = i32::MIN;

/// Scores spread over fewer values than this are sorted by counting.
const COUNTING_RANGE: i64 = 1 << 12;

/// Below this many records one thread is faster than starting more.
/// (Unit tests split from a thousand, so they walk the threads' paths too.)
pub(super) const PARALLEL_FROM: usize = if cfg!(test) { 1_000 } else { 20_000 };

/// The binary form of an index (the persisted search cache): the arrays a
/// search reads, as they are in memory, so a start copies them, or a
/// one-shot search maps them, instead of parsing text and working out every
/// record's masks again. Little-endian:
///
/// `n u64, tags u32, lists u32, arena u64`; each shared text as `len u32`
/// and its bytes; each tag list as `len u32` and its `u32`s; `pad u8` and
/// that many zero bytes, so that the arrays begin 8-aligned in the file;
/// the ids (`n × u64`), each record's slot (`n × 64` bytes: arena offset
/// u64, initials, pinyin, tail, end u32, the three masks and the two words
/// of pairs u64), each record's tag list (`n × u32`), then the arena (every
/// record's text, in order).
mod bin {
    use super::super::hay::{Hay, Slot};
    use super::super::mapped::{Arr, Map, Text};
    use super::Index;
    use crate::bytes::Cur;

    pub(super) const SLOT: usize = 64;
    const _: () = assert!(size_of::<Slot>() == SLOT);

    /// Write `ix`; `base` is where in its file the first byte will be (the
    /// arrays are padded to begin 8-aligned there).
    pub(super) fn write(ix: &Index, w: &mut dyn std::io::Write, base: usize) -> std::io::Result<()> {
        let n = ix.ids.len();
        let live: usize = ix.hays.iter().map(|h| h.end as usize).sum();
        let mut head = Vec::new();
        head.extend_from_slice(&(n as u64).to_le_bytes());
        head.extend_from_slice(&(ix.tags.hays.len() as u32).to_le_bytes());
        head.extend_from_slice(&(ix.tags.lists.len() as u32).to_le_bytes());
        head.extend_from_slice(&(live as u64).to_le_bytes());
        for h in &ix.tags.hays {
            let t = h.line().as_bytes();
            head.extend_from_slice(&(t.len() as u32).to_le_bytes());
            head.extend_from_slice(t);
        }
        for l in &ix.tags.lists {
            head.extend_from_slice(&(l.len() as u32).to_le_bytes());
            for t in l.iter() {
                head.extend_from_slice(&t.to_le_bytes());
            }
        }
        let pad = (8 - (base + head.len() + 1) % 8) % 8;
        head.push(pad as u8);
        head.extend_from_slice(&[0; 8][..pad]);
        w.write_all(&head)?;
        let mut buf = Vec::with_capacity(n * SLOT);
        for id in ix.ids.iter() {
            buf.extend_from_slice(&id.to_le_bytes());
        }
        // The arena is written compacted: each record's text right after
        // the one before, so the offsets are recomputed here.
        let mut at = 0u64;
        for h in ix.hays.iter() {
            buf.extend_from_slice(&at.to_le_bytes());
            for x in [h.initials_at, h.pinyin_at, h.tail_at, h.end] {
                buf.extend_from_slice(&x.to_le_bytes());
            }
            for m in [h.ascii_mask, h.line_mask, h.cjk_bloom, h.pairs[0], h.pairs[1]] {
                buf.extend_from_slice(&m.to_le_bytes());
            }
            at += u64::from(h.end);
        }
        for l in ix.tag_lists.iter() {
            buf.extend_from_slice(&l.to_le_bytes());
        }
        w.write_all(&buf)?;
        for i in 0..n {
            w.write_all(ix.view(i).text.as_bytes())?;
        }
        Ok(())
    }

    /// The counts, as `usize`.
    fn len(c: &mut Cur<'_>) -> Option<usize> {
        usize::try_from(c.u64_le()?).ok()
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        b.get(at..at + 4)
            .and_then(|x| x.try_into().ok())
            .map_or(0, u32::from_le_bytes)
    }

    fn u64_at(b: &[u8], at: usize) -> u64 {
        b.get(at..at + 8)
            .and_then(|x| x.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    }

    fn slot_at(s: &[u8]) -> Slot {
        Slot {
            text: u64_at(s, 0),
            initials_at: u32_at(s, 8),
            pinyin_at: u32_at(s, 12),
            tail_at: u32_at(s, 16),
            end: u32_at(s, 20),
            ascii_mask: u64_at(s, 24),
            line_mask: u64_at(s, 32),
            cjk_bloom: u64_at(s, 40),
            pairs: [u64_at(s, 48), u64_at(s, 56)],
        }
    }

    /// Where the bytes being read are: in a map, at this offset (the big
    /// arrays are then read in place), or anywhere (they are copied).
    type Place<'m> = Option<(&'m Map, usize)>;

    /// `n` items at `pos` of the bytes: read in place from the map when
    /// the bytes are mapped, aligned and little-endian, else copied.
    fn arr<T: bytemuck::Pod>(raw: &[u8], pos: usize, n: usize, place: Place<'_>, each: fn(&[u8]) -> T) -> Arr<T> {
        place
            .filter(|_| cfg!(target_endian = "little"))
            .and_then(|(map, base)| Arr::mapped(map, base + pos, n))
            .unwrap_or_else(|| Arr::Own(raw.chunks_exact(size_of::<T>()).map(each).collect()))
    }

    /// Read what [`write`] wrote, checking every reference and boundary;
    /// `None` for anything else.
    pub(super) fn read(bytes: &[u8], place: Place<'_>) -> Option<Index> {
        let mut c = Cur(bytes);
        let n = len(&mut c)?;
        let (ntags, nlists) = (c.u32()? as usize, c.u32()? as usize);
        let arena_len = len(&mut c)?;
        let mut ix = Index::default();
        for _ in 0..ntags {
            let len = c.u32()? as usize;
            let t = std::str::from_utf8(c.take(len)?).ok()?;
            ix.tags.by_text.insert(t.into(), ix.tags.hays.len() as u32);
            ix.tags.hays.push(Hay::new(t.to_string()));
        }
        if nlists > c.0.len() / 4 {
            return None;
        }
        for _ in 0..nlists {
            let len = c.u32()? as usize;
            let raw = c.take(len.checked_mul(4)?)?;
            let ids: Box<[u32]> = raw.chunks_exact(4).map(|x| u32_at(x, 0)).collect();
            if ids.iter().any(|t| *t as usize >= ntags) {
                return None;
            }
            ix.tags.by_list.insert(ids.clone(), ix.tags.lists.len() as u32);
            ix.tags.lists.push(ids);
        }
        let pad = c.take(1)?[0] as usize;
        if pad >= 8 || c.take(pad)?.iter().any(|b| *b != 0) {
            return None;
        }
        let at = |c: &Cur<'_>| bytes.len() - c.0.len();
        let ids_at = at(&c);
        let ids = c.take(n.checked_mul(8)?)?;
        let slots_at = at(&c);
        let slots = c.take(n.checked_mul(SLOT)?)?;
        let lists_at = at(&c);
        let lists = c.take(n.checked_mul(4)?)?;
        let arena_at = at(&c);
        let arena = c.take(arena_len)?;
        if !c.0.is_empty() {
            return None;
        }
        ix.ids = arr(ids, ids_at, n, place, |x| u64_at(x, 0));
        ix.hays = arr(slots, slots_at, n, place, slot_at);
        ix.tag_lists = arr(lists, lists_at, n, place, |x| u32_at(x, 0));
        ix.arena = match place.and_then(|(map, base)| Text::mapped(map, base + arena_at, arena_len)) {
            Some(t) => t,
            None => Text::Own(std::str::from_utf8(arena).ok()?.to_string()),
        };
        if ix.ids.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        if ix.tag_lists.iter().any(|l| *l as usize >= nlists.max(1)) {
            return None;
        }
        let text: &str = &ix.arena;
        let mut at = 0u64;
        for slot in ix.hays.iter() {
            // Texts one after another, each cut at character boundaries.
            let start = usize::try_from(slot.text).ok()?;
            let t = text.get(start..start.checked_add(slot.end as usize)?)?;
            let ok = slot.text == at
                && slot.tail_at <= slot.initials_at
                && slot.initials_at <= slot.pinyin_at
                && slot.pinyin_at <= slot.end
                && [slot.tail_at, slot.initials_at, slot.pinyin_at]
                    .iter()
                    .all(|b| t.is_char_boundary(*b as usize));
            if !ok {
                return None;
            }
            at += u64::from(slot.end);
        }
        if at != arena_len as u64 {
            return None;
        }
        Some(ix)
    }
}

impl Index {
    /// The index in its binary form (see [`bin`]), as the bytes of a file
    /// from byte `base` on.
    pub fn write_bin(&self, w: &mut dyn std::io::Write, base: usize) -> std::io::Result<()> {
        bin::write(self, w, base)
    }

    /// Read what [`Index::write_bin`] wrote, copying it; `None` for
    /// anything else (cut short, out of order, a reference or a boundary
    /// out of range).
    pub fn read_bin(bytes: &[u8]) -> Option<Index> {
        bin::read(bytes, None)
    }

    /// Read what [`Index::write_bin`] wrote at bytes `range` of `map`, with
    /// the same checks as [`Index::read_bin`]; the large arrays are read in
    /// place from the map (a one-shot search: nothing copied).
    pub fn map_bin(map: &super::mapped::Map, range: std::ops::Range<usize>) -> Option<Index> {
        let at = range.start;
        bin::read(map.get(range)?, Some((map, at)))
    }

    /// Whether the index's arrays are read in place from a mapped file.
    pub fn is_mapped(&self) -> bool {
        self.hays.is_mapped()
    }

    /// Whether its arrays are private mappings, changed in place.
    pub fn is_private(&self) -> bool {
        self.hays.is_private()
    }

    /// Map the arrays read in place from a shared map of `file` (see
    /// [`Index::map_bin`]) privately from it instead: a change then copies
    /// the pages it writes, not the arrays. Nothing changes unless every
    /// array can be; returns whether they were.
    pub fn privately(&mut self, file: &std::fs::File) -> bool {
        let (Some(ids), Some(hays), Some(tag_lists), Some(arena)) = (
            self.ids.privately(file),
            self.hays.privately(file),
            self.tag_lists.privately(file),
            self.arena.privately(file),
        ) else {
            return false;
        };
        (self.ids, self.hays, self.tag_lists, self.arena) = (ids, hays, tag_lists, arena);
        true
    }
}

#[cfg(test)]
mod bin_tests {
    use super::*;

    fn sample() -> Index {
        let mut ix = Index::new();
        ix.upsert_tagged(
            3,
            Hay::new("王芳  焊工 13912345678".into()),
            &["Danyang", "welder 电焊工"],
        );
        ix.upsert_tagged(7, Hay::new("李雷  车工".into()), &["Danyang"]);
        ix.upsert(9, Hay::new("K9  no tags".into()));
        // A replaced text leaves garbage in the arena: written compacted.
        ix.upsert_tagged(7, Hay::new("李雷  数控车工".into()), &["Danyang"]);
        ix
    }

    fn bytes(ix: &Index) -> Vec<u8> {
        let mut b = Vec::new();
        ix.write_bin(&mut b, 0).expect("write");
        b
    }

    #[test]
    fn the_binary_form_reads_back_the_same_index() {
        let ix = sample();
        assert!(ix.garbage > 0);
        let back = Index::read_bin(&bytes(&ix)).expect("reads");
        assert_eq!(back.garbage, 0);
        assert_eq!(back.ids(), ix.ids());
        for (a, b) in ix.iter().zip(back.iter()) {
            assert_eq!(a, b);
        }
        for q in ["danyang 焊", "lilei", "sk", "1391", "!danyang", "数控"] {
            let q = Query::parse(q);
            assert_eq!(back.search(&q, None, &|| false), ix.search(&q, None, &|| false));
        }
        assert!(Index::read_bin(&bytes(&Index::new())).is_some_and(|i| i.is_empty()));
    }

    #[test]
    fn a_damaged_payload_is_refused_never_trusted() {
        let good = bytes(&sample());
        let n = 3;
        // Where the arrays begin: after the counts, the tags and the lists.
        let arrays = good.len() - (n * (8 + 4 + bin::SLOT)) - sample().arena.len() + sample().garbage;
        let ids = arrays;
        let slots = ids + n * 8;
        let lists = slots + n * bin::SLOT;
        let with = |at: usize, b: &[u8]| -> Vec<u8> {
            let mut v = good.clone();
            v[at..at + b.len()].copy_from_slice(b);
            v
        };
        assert!(Index::read_bin(&good).is_some());
        // Ids out of order.
        assert!(Index::read_bin(&with(ids, &9u64.to_le_bytes())).is_none());
        // A tag list that does not exist.
        assert!(Index::read_bin(&with(lists, &99u32.to_le_bytes())).is_none());
        // A record's form cut inside a character (王 is three bytes).
        assert!(Index::read_bin(&with(slots + 8, &1u32.to_le_bytes())).is_none());
        // A text that does not follow the one before it.
        assert!(Index::read_bin(&with(slots + bin::SLOT, &1u64.to_le_bytes())).is_none());
        // A count no file could hold; cut short; a byte too many.
        assert!(Index::read_bin(&with(0, &u64::MAX.to_le_bytes())).is_none());
        assert!(Index::read_bin(&good[..good.len() - 1]).is_none());
        assert!(Index::read_bin(&[good.as_slice(), &[0]].concat()).is_none());
        // Not UTF-8 in the arena.
        let last = good.len() - 1;
        assert!(Index::read_bin(&with(last, &[0xff])).is_none());
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;

    #[test]
    fn earlier_results_are_found_in_the_index_by_either_walk() {
        let mut ix = Index::new();
        for id in (0..400u64).map(|i| i * 2) {
            ix.upsert(id, Hay::new(format!("r{id}")));
        }
        // Few ids are looked up one by one; many are walked along the
        // index once. Either way: ascending, and ids not there left out.
        let few = [798, 4, 5, 0];
        assert!(few.len() * 16 < ix.len());
        assert_eq!(ix.positions_of(&few), vec![0, 2, 399]);
        let many: Vec<u64> = (0..300u64).rev().collect();
        assert!(many.len() * 16 >= ix.len());
        assert_eq!(ix.positions_of(&many), (0..150).collect::<Vec<_>>());
        assert_eq!(ix.positions_of(&[1_000_000; 40]), Vec::<u32>::new());
    }

    #[test]
    fn work_on_each_comes_back_in_order_even_when_a_helper_dies() {
        let items: Vec<u64> = (0..40).collect();
        let want: Vec<u64> = items.iter().map(|x| x * 3).collect();
        assert_eq!(on_each(&items, true, |x| x * 3), want);
        assert_eq!(on_each(&items, false, |x| x * 3), want);
        // Every item a helper thread takes panics there; the calling
        // thread does it again, so nothing is lost or out of place.
        let caller = std::thread::current().id();
        let got = on_each(&items, true, |x| {
            assert_eq!(std::thread::current().id(), caller, "a helper dies");
            // Slow enough that a helper surely takes an item meanwhile.
            std::thread::sleep(std::time::Duration::from_millis(1));
            x * 3
        });
        assert_eq!(got, want);
    }

    #[test]
    fn ranked_ids_are_best_first_then_newest_as_a_sort_of_the_hits() {
        let mut ix = Index::new();
        for id in 1..=5000u64 {
            let name = if id % 3 == 0 {
                "焊工 丹阳"
            } else {
                "电焊工 丹阳"
            };
            // Scores spread by where the number falls and what it holds.
            let pad = " ".repeat((id % 7) as usize);
            ix.upsert(id, Hay::new(format!("{name}{pad}  {id}  {}", id * 37)));
        }
        for q in ["hg", "焊工", "dy", "1", "99", "zzz", "3", "12", "d", "2 1"] {
            let q = Query::parse(q);
            let mut hits = ix.search(&q, None, &|| false).expect("not cancelled");
            sort_best_first(&mut hits);
            let want: Vec<u64> = hits.iter().map(|h| h.id).collect();
            assert_eq!(
                &*ix.search_ranked(&q, None, &|| false).expect("not cancelled"),
                &want[..]
            );
        }
    }

    #[test]
    fn a_tally_counts_scores_near_its_first_and_spills_past_them() {
        let mut t = Tally::default();
        assert_eq!(t.bounds(), (i32::MAX, i32::MIN));
        for s in [40, 40, -3, 2000, 40] {
            t.add(s);
        }
        assert_eq!((t.of(40), t.of(-3), t.of(2000), t.of(41)), (3, 1, 1, 0));
        assert_eq!(t.bounds(), (-3, 2000));
        assert!(!t.spilled);
        t.add(40 + 2 * 4096);
        assert!(t.spilled);
        // At the ends of the i32s.
        let mut t = Tally::default();
        t.add(i32::MAX);
        t.add(i32::MIN);
        assert!(t.spilled);
        let mut t = Tally::default();
        t.add(i32::MAX);
        t.add(i32::MAX - 5);
        assert_eq!(t.bounds(), (i32::MAX - 5, i32::MAX));
    }

    #[test]
    fn placing_refuses_counts_that_are_not_the_parts_own() {
        let mut ix = Index::new();
        for id in 0..10u64 {
            ix.upsert(id, Hay::new(format!("r{id}")));
        }
        let parts: Vec<Part> = vec![vec![(0, 5), (1, 4), (2, 5)], vec![(5, 4), (9, 5)]];
        // Scores 5 and 4: bucket 0 and 1.
        let right = vec![vec![2, 1], vec![1, 1]];
        let placed = ix
            .ranked_on_each(&parts, &right, 5, 5, true)
            .expect("the parts' own counts");
        assert_eq!(&*placed, &[9, 2, 0, 5, 1]);
        for wrong in [
            vec![vec![1, 2], vec![1, 1]],
            vec![vec![3, 0], vec![1, 1]],
            vec![vec![2, 1], vec![2, 0]],
            vec![vec![2, 1]],
        ] {
            assert!(ix.ranked_on_each(&parts, &wrong, 5, 5, true).is_none(), "{wrong:?}");
        }
        // Tallies that spilled are not trusted: the hits are sorted.
        let tallied = |spill: bool| {
            parts
                .iter()
                .map(|p| {
                    let mut t = Tally::default();
                    for h in p {
                        t.add(h.1);
                    }
                    if spill {
                        t.add(1 << 20);
                    }
                    t
                })
                .collect::<Vec<_>>()
        };
        for tallies in [tallied(false), tallied(true)] {
            let scanned = Scanned {
                parts: parts.clone(),
                tallies,
            };
            assert_eq!(&*ix.ranked(&scanned), &[9, 2, 0, 5, 1]);
        }
    }
}

#[cfg(test)]
mod mapped_tests {
    use super::*;

    /// `ix` written at byte `base` of a file, and the file mapped.
    fn mapped(ix: &Index, base: usize) -> (super::super::mapped::Map, std::ops::Range<usize>) {
        let (_, map, range) = mapped_file(ix, base);
        (map, range)
    }

    /// The same, with the file.
    fn mapped_file(ix: &Index, base: usize) -> (std::fs::File, super::super::mapped::Map, std::ops::Range<usize>) {
        let mut bytes = vec![7u8; base];
        ix.write_bin(&mut bytes, base).expect("write");
        let f = tempfile::tempfile().expect("temp");
        std::io::Write::write_all(&mut &f, &bytes).expect("write");
        // SAFETY: a temp file no one else can reach.
        let map = unsafe { memmap2::Mmap::map(&f) }.expect("map");
        (f, std::sync::Arc::new(map), base..bytes.len())
    }

    /// Every way the tests ask an index what it holds, as one value.
    fn answers(ix: &Index) -> Vec<String> {
        let mut out = vec![format!("{} {:?}", ix.len(), ix.ids())];
        for q in [
            "wf",
            "王芳 t1",
            "1391234",
            "!danyang",
            "焊工 lilei",
            "hmm 9",
            "zm",
            "t9",
            "zr",
        ] {
            let q = Query::parse(q);
            out.push(format!("{:?}", ix.search(&q, None, &|| false)));
            out.push(format!("{:?}", ix.search_ranked(&q, None, &|| false)));
        }
        out.extend(ix.iter().map(|(id, hay, tags)| format!("{id} {} {tags:?}", hay.line())));
        out
    }

    #[test]
    fn a_privately_mapped_index_changes_in_place_as_an_owned_one_does_and_leaves_its_file_alone() {
        let ix = sample();
        for base in [0, 3, 4093, 4096, 5000] {
            let (file, map, range) = mapped_file(&ix, base);
            let mut p = Index::map_bin(&map, range.clone()).expect("maps");
            assert!(p.privately(&file), "base {base}: mapped privately");
            drop(map);
            assert!(p.is_private() && p.is_mapped());
            assert_eq!(answers(&p), answers(&ix), "base {base}: as read");
            let mut own = ix.clone();
            // A record replaced, one added at the end, one in the middle.
            let changes: [(u64, &str, &[&str]); 4] = [
                (150, "赵敏  t150", &["Danyang"]),
                (999, "周芷若  t999", &[]),
                (150, "赵敏  t150  13900000000", &["welder 焊工"]),
                (0, "张无忌  t0", &["new tag"]),
            ];
            for (id, line, tags) in changes {
                p.upsert_tagged(id, Hay::new(line.into()), tags);
                own.upsert_tagged(id, Hay::new(line.into()), tags);
            }
            assert!(p.is_private(), "base {base}: changed in place, not copied");
            assert_eq!(answers(&p), answers(&own), "base {base}: changed");
            // A copy is its own: changing it leaves the mapped index alone.
            let mut copy = p.clone();
            assert!(!copy.is_mapped());
            copy.upsert(151, Hay::new("殷素素".into()));
            assert_eq!(answers(&p), answers(&own));
            // The file still holds what was written.
            let (again, _) = {
                // SAFETY: a temp file no one else can reach.
                let m = std::sync::Arc::new(unsafe { memmap2::Mmap::map(&file) }.expect("map"));
                (Index::map_bin(&m, range.clone()).expect("maps"), ())
            };
            assert_eq!(answers(&again), answers(&ix), "base {base}: the file is untouched");
        }
    }

    #[test]
    fn a_privately_mapped_index_grown_past_its_room_is_copied_and_stays_whole() {
        let ix = sample();
        let (file, map, range) = mapped_file(&ix, 11);
        let mut p = Index::map_bin(&map, range).expect("maps");
        assert!(p.privately(&file));
        let mut own = ix.clone();
        // A slot is 64 bytes: 1 MiB of room holds 16384 more records.
        for id in 1000..20_000u64 {
            let line = format!("学员{id}  t{id}");
            p.upsert(id, Hay::new(line.clone()));
            own.upsert(id, Hay::new(line));
            if id == 1000 + 16_000 {
                assert!(p.is_private(), "still in its room at {id}");
            }
        }
        assert!(!p.is_private(), "grown past its room: copied");
        assert_eq!(answers(&p), answers(&own));
    }

    fn sample() -> Index {
        let mut ix = Index::new();
        for id in 1..=300u64 {
            let name = ["王芳", "李雷", "韩梅梅"][id as usize % 3];
            ix.upsert_tagged(
                id,
                Hay::new(format!("{name}  t{id}  1391234{id:04}")),
                &["Danyang", "welder 焊工"],
            );
        }
        ix
    }

    #[test]
    fn a_mapped_index_is_read_in_place_searches_the_same_and_copies_on_change() {
        let ix = sample();
        // At any offset in its file: the arrays are padded to 8-aligned.
        for base in [0, 1, 5, 29, 64] {
            let (map, range) = mapped(&ix, base);
            let m = Index::map_bin(&map, range.clone()).expect("maps");
            assert!(m.is_mapped(), "base {base}: read in place");
            assert!(!Index::read_bin(&map[range]).expect("reads").is_mapped());
            for q in ["wf", "王芳 t1", "1391234", "!danyang", "焊工 lilei", "hmm 9"] {
                let q = Query::parse(q);
                assert_eq!(m.search(&q, None, &|| false), ix.search(&q, None, &|| false));
                assert_eq!(
                    m.search_ranked(&q, None, &|| false),
                    ix.search_ranked(&q, None, &|| false)
                );
            }
            assert_eq!(m.full_line(150), ix.full_line(150));
        }
        // A change copies the arrays; the map is left as it was.
        let (map, range) = mapped(&ix, 3);
        let mut m = Index::map_bin(&map, range.clone()).expect("maps");
        m.upsert(150, Hay::new("赵敏  t150".into()));
        m.upsert(999, Hay::new("周芷若  t999".into()));
        assert!(!m.is_mapped());
        assert_eq!(m.len(), 301);
        let hits = m.search(&Query::parse("zm"), None, &|| false).expect("done");
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![150]);
        assert_eq!(
            Index::map_bin(&map, range).expect("maps").full_line(150),
            ix.full_line(150)
        );
    }

    #[test]
    fn a_damaged_mapped_index_is_refused() {
        let ix = sample();
        let (map, range) = mapped(&ix, 0);
        let good = map[range.clone()].to_vec();
        // Cut short, and one text's offset moved: refused either way.
        assert!(Index::map_bin(&map, range.start..range.end - 1).is_none());
        let slots = good.len() - ix.len() * (8 + 4 + bin::SLOT) - ix.arena.len() + ix.garbage + ix.len() * 8;
        let mut bad = good.clone();
        bad[slots + bin::SLOT] ^= 1;
        let f = tempfile::tempfile().expect("temp");
        std::io::Write::write_all(&mut &f, &bad).expect("write");
        // SAFETY: a temp file no one else can reach.
        let map = std::sync::Arc::new(unsafe { memmap2::Mmap::map(&f) }.expect("map"));
        assert!(Index::map_bin(&map, 0..bad.len()).is_none());
    }
}
