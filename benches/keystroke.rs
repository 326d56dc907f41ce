//! Per-keystroke search latency as percentiles (criterion reports means):
//! on a demo city of 100k trainees (10k with SKILLBRIDGE_BENCH_SMALL=1; 1M
//! added with SKILLBRIDGE_BENCH_1M=1, 3M with SKILLBRIDGE_BENCH_3M=1, or
//! SKILLBRIDGE_BENCH_DB=PATH for a city
//! already built), two workloads through the workspace's own searcher
//! (search, filter and sort; narrowing when a query only grows):
//!
//! - **full**: each query of the set from scratch, ROUNDS times;
//! - **typing**: operator queries typed one character at a time, as the
//!   workspace submits them, every keystroke timed.
//!
//! Prints p50, p99 and max per line. `cargo bench --bench keystroke`

mod common;

use common::city;
use skillbridge::app::searcher::{Request, Searcher, Slot, SyncSearcher};
use skillbridge::domain::Kind;
use skillbridge::search::Query;
use skillbridge::service::{Filters, SearchSpec, Service, Sort};
use skillbridge::store::Store;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const FULL: [(&str, &str); 7] = [
    ("1 hanzi", "王"),
    ("2-letter initials", "wf"),
    ("4-character name", "欧阳秀英"),
    ("two terms", "焊工 丹阳"),
    ("negation", "焊工 !丹阳"),
    ("no match", "zzqx"),
    ("empty", ""),
];

/// What operators type, one character at a time.
const TYPED: [&str; 10] = [
    "王芳",
    "wangfang",
    "wf",
    "ouyang",
    "焊工 丹阳",
    "hg !丹阳",
    "3211021981",
    "139159",
    "zpqg dt",
    "yanglao hugong",
];

fn rounds() -> usize {
    std::env::var("SKILLBRIDGE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn line(label: &str, mut t: Vec<Duration>) -> Duration {
    t.sort();
    let p99 = pct(&t, 0.99);
    println!(
        "  {label:<26} n={:<5} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        t.len(),
        pct(&t, 0.50).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        t.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    p99
}

fn spec(q: &str) -> SearchSpec {
    SearchSpec {
        kind: Kind::Trainees,
        query: Query::parse(q),
        filters: Filters::default(),
        sort: Sort::Relevance,
        districts: None,
    }
}

fn submit(s: &mut SyncSearcher, generation: u64, q: &str) -> (Duration, usize, bool) {
    let t = Instant::now();
    s.submit(Request {
        slot: Slot::List(Kind::Trainees),
        generation,
        spec: spec(q),
    });
    let e = t.elapsed();
    let r = s.poll().pop();
    (
        e,
        r.as_ref().map(|r| r.found.ids.len()).unwrap_or(0),
        r.is_some_and(|r| r.narrowed),
    )
}

fn run(svc: Arc<Service>, label: &str) {
    let n = svc.read().index(Kind::Trainees).map(|i| i.len()).unwrap_or(0);
    println!("{label}: {n} trainees, {} rounds", rounds());
    let mut all_full = Vec::new();
    let mut generation = 0;
    for (name, q) in FULL {
        let mut t = Vec::new();
        let mut found = 0;
        for _ in 0..rounds() {
            // A fresh searcher: nothing to narrow from.
            let mut s = SyncSearcher::new(svc.clone());
            generation += 1;
            let (e, f, _) = submit(&mut s, generation, q);
            t.push(e);
            found = f;
        }
        all_full.extend(t.iter().copied());
        line(&format!("full {name} ({found})"), t);
    }
    line("full, every query", all_full);
    let mut typing = Vec::new();
    let mut worst: Vec<(Duration, String, usize)> = Vec::new();
    let mut narrowed = 0;
    for _ in 0..rounds() {
        let mut s = SyncSearcher::new(svc.clone());
        for q in TYPED {
            let chars: Vec<char> = q.chars().collect();
            for k in 1..=chars.len() {
                let typed: String = chars[..k].iter().collect();
                generation += 1;
                let (e, found, nar) = submit(&mut s, generation, &typed);
                narrowed += usize::from(nar);
                typing.push(e);
                worst.push((e, typed, found));
            }
            // Clear the box before the next query, as an operator would.
            generation += 1;
            typing.push(submit(&mut s, generation, "").0);
        }
    }
    let keys = typing.len();
    worst.sort_by_key(|w| std::cmp::Reverse(w.0));
    worst.dedup_by(|a, b| a.1 == b.1);
    let slow: Vec<String> = worst
        .iter()
        .take(5)
        .map(|(e, q, f)| format!("{q:?} {:.1} ms ({f} found)", e.as_secs_f64() * 1e3))
        .collect();
    println!("  slowest keystrokes: {}", slow.join(", "));
    let p99 = line("typing, every keystroke", typing);
    println!("  ({narrowed} of {keys} keystrokes narrowed; goal p99 ≤ 16 ms at 100k, ≤ 100 ms at 1M: p99 {p99:.2?})");
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing
    // and must not spend minutes here.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Ok(db) = std::env::var("SKILLBRIDGE_BENCH_DB") {
        let store = Store::open(Path::new(&db)).expect("open SKILLBRIDGE_BENCH_DB");
        run(Service::open(store).expect("service"), &db);
        return;
    }
    let mut sizes = vec![if std::env::var_os("SKILLBRIDGE_BENCH_SMALL").is_some() {
        10_000
    } else {
        100_000
    }];
    if std::env::var_os("SKILLBRIDGE_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    if std::env::var_os("SKILLBRIDGE_BENCH_3M").is_some() {
        sizes.push(3_000_000);
    }
    for n in sizes {
        let (_dir, svc) = city(n);
        run(svc, &format!("demo city of {n}"));
    }
}
