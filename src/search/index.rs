//! The searchable records of one kind: one text arena, shared tags, scans
//! over one or both cores with cancellation, the persisted text form, and
//! the best-first sort.

use super::Query;
use super::hay::{Hay, HayRef, Slot};
use super::score::{TAG_PENALTY, term_hit, term_score};

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
    ids: Vec<u64>,
    hays: Vec<Slot>,
    /// Every record's text, one after another (see [`HayOf`]).
    pub(super) arena: String,
    /// Bytes of the arena no record uses any more (replaced texts).
    pub(super) garbage: usize,
    /// Per record, its list of tags (see [`Tags`]).
    tag_lists: Vec<u32>,
    tags: Tags,
}

/// How often a long scan looks at its cancel flag.
pub(super) const CANCEL_EVERY: usize = 2048;

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
        let h = &self.hays[i];
        let start = usize::try_from(h.text).unwrap_or(usize::MAX);
        let text = start
            .checked_add(h.end as usize)
            .and_then(|end| self.arena.get(start..end))
            .unwrap_or("");
        h.with_text(text)
    }

    fn upsert_with_list(&mut self, id: u64, hay: HayRef<'_>, list: u32) {
        let slot = self.place(hay);
        match self.ids.binary_search(&id) {
            Ok(i) => {
                self.garbage += self.hays[i].end as usize;
                self.hays[i] = slot;
                self.tag_lists[i] = list;
                // Replaced texts stay in the arena until they are half of it.
                if self.garbage > (1 << 20) && self.garbage * 2 > self.arena.len() {
                    self.compact();
                }
            }
            Err(i) => {
                // New ids only grow, so this is nearly always a push.
                self.ids.insert(i, id);
                self.hays.insert(i, slot);
                self.tag_lists.insert(i, list);
            }
        }
    }

    /// Rewrite the arena with only the texts records use.
    fn compact(&mut self) {
        let mut arena = String::with_capacity(self.arena.len() - self.garbage);
        for i in 0..self.hays.len() {
            let at = arena.len() as u64;
            arena.push_str(self.view(i).text);
            self.hays[i].text = at;
        }
        self.arena = arena;
        self.garbage = 0;
    }

    /// Join indexes built apart (one per thread) over consecutive id
    /// ranges, in order.
    pub fn concat(parts: Vec<Index>) -> Index {
        let mut out = Index::default();
        let n: usize = parts.iter().map(Index::len).sum();
        out.ids.reserve_exact(n);
        out.hays.reserve_exact(n);
        out.tag_lists.reserve_exact(n);
        out.arena
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
                    out.ids.push(id);
                    out.hays.push(slot);
                    out.tag_lists.push(list);
                }
            }
        }
        out
    }

    /// Drop spare capacity once a build is done.
    pub fn shrink(&mut self) {
        self.ids.shrink_to_fit();
        self.hays.shrink_to_fit();
        self.tag_lists.shrink_to_fit();
        self.arena.shrink_to_fit();
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
        // Per term and tag list: the best tag score (lists are few).
        let list_best: Vec<Vec<Option<i64>>> = tag_scores
            .iter()
            .map(|per_tag| {
                self.tags
                    .lists
                    .iter()
                    .map(|l| {
                        l.iter()
                            .filter_map(|t| per_tag.get(*t as usize).copied().flatten())
                            .max()
                    })
                    .collect()
            })
            .collect();
        let record_score = |i: usize| -> Option<i64> {
            let list = self.tag_lists[i] as usize;
            let hay = self.view(i);
            let mut total = 0;
            for (k, t) in q.terms.iter().enumerate() {
                let tag_best = list_best[k].get(list).copied().flatten();
                total += term_score(&hay, t, tag_best)?;
            }
            Some(total)
        };
        // Narrowing pays when the earlier results are few; from a large part
        // of the index, finding each earlier id costs more than a scan.
        let within = within.filter(|w| w.len() * 4 < self.ids.len());
        let positions: Vec<usize>;
        let slots: &[usize] = match within {
            Some(ids) => {
                let mut p: Vec<usize> = ids.iter().filter_map(|id| self.slot(*id)).collect();
                // Earlier results come best first: visit them in index order.
                p.sort_unstable();
                positions = p;
                &positions
            }
            None => &[],
        };
        let n = if within.is_some() { slots.len() } else { self.ids.len() };
        let at = |k: usize| if within.is_some() { slots[k] } else { k };
        let scan = |range: std::ops::Range<usize>| -> Option<Vec<Hit>> {
            let mut out = Vec::new();
            for k in range {
                if k.is_multiple_of(CANCEL_EVERY) && cancelled() {
                    return None;
                }
                let i = at(k);
                if let Some(s) = record_score(i) {
                    out.push(Hit {
                        id: self.ids[i],
                        score: s,
                    });
                }
            }
            Some(out)
        };
        let threads = std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1)
            .min(8);
        if n < PARALLEL_FROM || threads < 2 {
            return scan(0..n);
        }
        // Split the scan over the cores; each part keeps index order.
        let chunk = n.div_ceil(threads);
        let parts: Vec<Option<Vec<Hit>>> = std::thread::scope(|sc| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = (t * chunk).min(n)..((t + 1) * chunk).min(n);
                    sc.spawn(move || scan(range))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(None)).collect()
        });
        let parts: Vec<Vec<Hit>> = parts.into_iter().collect::<Option<_>>()?;
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            out.extend(p);
        }
        Some(out)
    }
}

pub(super) fn tsv_clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        s.replace(['\t', '\n', '\r'], " ").into()
    } else {
        s.into()
    }
}

impl Index {
    /// The index as text (the persisted search cache): a line of counts,
    /// the shared texts, the tag lists, then one record per line,
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

    /// Read what [`Index::write_tsv`] wrote; `None` for anything else
    /// (cut short, out of order, a reference out of range).
    pub fn read_tsv(text: &str) -> Option<Index> {
        let mut lines = text.split('\n');
        let mut counts = lines.next()?.split(' ').map(|n| n.parse::<usize>().ok());
        let (n, ntags, nlists) = (counts.next()??, counts.next()??, counts.next()??);
        let mut ix = Index::default();
        for _ in 0..ntags {
            let t = lines.next()?;
            ix.tags.by_text.insert(t.into(), ix.tags.hays.len() as u32);
            ix.tags.hays.push(Hay::new(t.to_string()));
        }
        for _ in 0..nlists {
            let l = lines.next()?;
            let ids: Vec<u32> = if l.is_empty() {
                Vec::new()
            } else {
                l.split(',').map(|x| x.parse().ok()).collect::<Option<_>>()?
            };
            if ids.iter().any(|t| *t as usize >= ntags) {
                return None;
            }
            let ids = ids.into_boxed_slice();
            ix.tags.by_list.insert(ids.clone(), ix.tags.lists.len() as u32);
            ix.tags.lists.push(ids);
        }
        // The count is the file's word: reserve no more than its lines could hold.
        let n_max = n.min(text.len() / 4);
        ix.ids.reserve_exact(n_max);
        ix.hays.reserve_exact(n_max);
        ix.tag_lists.reserve_exact(n_max);
        for l in lines.filter(|l| !l.is_empty()) {
            let mut f = l.splitn(5, '\t');
            let id: u64 = f.next()?.parse().ok()?;
            let list: u32 = f.next()?.parse().ok()?;
            let (line, initials, pinyin) = (f.next()?, f.next()?, f.next()?);
            if (list as usize) >= nlists.max(1) || ix.ids.last().is_some_and(|last| *last >= id) {
                return None;
            }
            ix.ids.push(id);
            let slot = ix.place(Hay::from_parts(line, initials, pinyin).as_ref());
            ix.hays.push(slot);
            ix.tag_lists.push(list);
        }
        ix.arena.shrink_to_fit();
        (ix.ids.len() == n).then_some(ix)
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
    const MAX_RANGE: i64 = 1 << 12;
    if !hits.is_sorted_by_key(|h| h.id) {
        return false;
    }
    let (lo, hi) = hits
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), h| (lo.min(h.score), hi.max(h.score)));
    let Some(range) = hi.checked_sub(lo).filter(|r| *r < MAX_RANGE) else {
        return false;
    };
    // Bucket b holds score hi - b; starts[b] is where its run begins.
    let bucket = |h: &Hit| (hi - h.score) as usize;
    let mut starts = vec![0usize; range as usize + 2];
    for h in hits.iter() {
        starts[bucket(h) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![Hit { id: 0, score: 0 }; hits.len()];
    for h in hits.iter().rev() {
        let b = bucket(h);
        out[starts[b]] = *h;
        starts[b] += 1;
    }
    hits.copy_from_slice(&out);
    true
}

/// Below this many records one thread is faster than starting more.
pub(super) const PARALLEL_FROM: usize = 20_000;
