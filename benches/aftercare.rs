//! Rebuilding the follow-ups and not-hired steps from the events, as every
//! start does (#18), on a demo city of 100k trainees (set
//! SKILLBRIDGE_BENCH_TRAINEES for another size): the cost that decided
//! against keeping them in a tree of their own.
//!
//! `cargo bench --bench aftercare`

use criterion::{Criterion, criterion_group, criterion_main};
use skillbridge::service::Data;
use skillbridge::store::Store;
use std::time::{Duration, Instant};

fn bench(c: &mut Criterion) {
    let n = std::env::var("SKILLBRIDGE_BENCH_TRAINEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("db")).expect("open");
    let t = Instant::now();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees: n, seed: 1 }).expect("demo");
    eprintln!("built a demo city of {n} trainees in {:?}", t.elapsed());
    let data = Data::load(&store).expect("records");
    eprintln!(
        "{} cases, {} with follow-ups, {} with a not-hired step",
        data.cases.len(),
        data.aftercare.len(),
        data.not_hired.len()
    );
    let mut g = c.benchmark_group(format!("aftercare_{n}"));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("load_aftercare", |b| {
        b.iter(|| {
            let mut d = data.clone();
            d.load_aftercare(&store).expect("events read");
            d
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
