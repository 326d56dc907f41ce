//! Keeping the in-memory picture and its search lists: building the
//! lists, and what each saved record changes in them.

use super::{Inner, rows};
use crate::domain::*;
use crate::search::Index;
use crate::store::{Editable, Record};
use std::collections::HashMap;
use std::sync::Arc;

pub(super) fn build_indexes(inner: &mut Inner, kinds: &[Kind]) {
    let d = &inner.data;
    let mut idx: HashMap<Kind, Arc<Index>> = HashMap::new();
    let lists = kinds.iter().map(|kind| {
        let ids: Vec<u64> = match kind {
            Kind::Demands => d.demands.keys().map(|k| k.0).collect(),
            Kind::Classes => d.classes.keys().map(|k| k.0).collect(),
            Kind::Trainees => d.trainees.keys().map(|k| k.0).collect(),
            Kind::Cases => d.cases.keys().map(|k| k.0).collect(),
            Kind::Institutions => d.institutions.keys().map(|k| k.0).collect(),
            Kind::Enterprises => d.enterprises.keys().map(|k| k.0).collect(),
        };
        (*kind, ids)
    });
    // Making the pinyin forms is the slow part of start-up: split it over
    // the cores, then insert in order.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    for (kind, ids) in lists {
        let make = |part: &[u64]| -> Index {
            let mut ix = Index::new();
            for id in part {
                if let Some((h, tags)) = rows::hay(d, kind, *id) {
                    ix.upsert_tagged(*id, h, &tags);
                }
            }
            ix
        };
        let mut ix = if ids.len() < 4096 || threads == 1 {
            make(&ids)
        } else {
            let chunk = ids.len().div_ceil(threads);
            let parts: Vec<Index> = std::thread::scope(|sc| {
                let handles: Vec<_> = ids.chunks(chunk).map(|c| sc.spawn(move || make(c))).collect();
                // A part that panicked is a bug: never keep (or persist) an
                // index missing its records.
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            Index::concat(parts)
        };
        ix.shrink();
        idx.insert(kind, Arc::new(ix));
    }
    for kind in idx.keys() {
        inner.changed(*kind);
    }
    inner.indexes.extend(idx);
}

/// Give the heap that loading freed back to the system. Loading decodes
/// every record on several threads, and glibc keeps what they freed in
/// per-thread arenas: at 100k trainees that is about 20 MB of a resident
/// size that would otherwise never shrink.
pub(super) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it
    // takes no pointers and is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Records the service keeps in memory after a save.
pub trait Cached: Editable + Record {
    fn cache(self, inner: &mut Inner);
}

impl Cached for Institution {
    fn cache(self, w: &mut Inner) {
        let id = self.id;
        w.data.institutions.insert(id, self);
        w.reindex(Kind::Institutions, id.0);
        let classes: Vec<u64> = w
            .data
            .classes
            .values()
            .filter(|c| c.institution == id)
            .map(|c| c.id.0)
            .collect();
        for c in classes {
            w.reindex(Kind::Classes, c);
        }
    }
}

impl Cached for Enterprise {
    fn cache(self, w: &mut Inner) {
        let id = self.id;
        w.data.enterprises.insert(id, self);
        w.reindex(Kind::Enterprises, id.0);
        let demands: Vec<u64> = w
            .data
            .demands
            .values()
            .filter(|d| d.enterprise == id)
            .map(|d| d.id.0)
            .collect();
        for d in demands {
            w.reindex(Kind::Demands, d);
        }
    }
}

impl Cached for JobDemand {
    fn cache(self, w: &mut Inner) {
        let id = self.id;
        w.data.demands.insert(id, self);
        w.reindex(Kind::Demands, id.0);
    }
}

impl Cached for TrainingClass {
    fn cache(self, w: &mut Inner) {
        let id = self.id;
        w.data.seats_used.entry(id).or_insert(0);
        w.data.classes.insert(id, self);
        w.reindex(Kind::Classes, id.0);
        w.reindex_cases_of_class(id);
    }
}

impl Cached for Trainee {
    fn cache(self, w: &mut Inner) {
        let id = self.id;
        w.data.trainees.insert(id, self);
        w.reindex(Kind::Trainees, id.0);
        w.reindex_cases_of_trainee(id);
    }
}
