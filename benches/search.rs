//! Per-keystroke search latency on demo cities of 10k and 100k trainees
//! (1M with SKILLBRIDGE_BENCH_1M=1, 3M with SKILLBRIDGE_BENCH_3M=1): full
//! scans and narrowing.
//!
//! `cargo bench --bench search`

mod common;

use common::city;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use skillbridge::domain::Kind;
use skillbridge::search::Query;
use skillbridge::service::{Earlier, Filters, SearchSpec, Sort};
use std::hint::black_box;

fn spec(kind: Kind, q: &str) -> SearchSpec {
    SearchSpec {
        kind,
        query: Query::parse(q),
        filters: Filters::default(),
        sort: Sort::Relevance,
        districts: None,
    }
}

const QUERIES: [(&str, &str); 7] = [
    ("one_hanzi", "王"),
    ("initials_2", "wf"),
    ("name_4", "欧阳秀英"),
    ("multi_term", "焊工 丹阳"),
    ("negation", "hg !丹阳"),
    ("no_match", "zzqx"),
    ("empty", ""),
];

fn bench(c: &mut Criterion) {
    let mut sizes = vec![10_000, 100_000];
    if std::env::var_os("SKILLBRIDGE_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    if std::env::var_os("SKILLBRIDGE_BENCH_3M").is_some() {
        sizes.push(3_000_000);
    }
    for n in sizes {
        let (_dir, svc) = city(n);
        let mut g = c.benchmark_group(format!("search_trainees_{n}"));
        g.sample_size(20);
        for (name, q) in QUERIES {
            let s = spec(Kind::Trainees, q);
            g.bench_with_input(BenchmarkId::new("full", name), &s, |b, s| {
                b.iter(|| black_box(svc.read().search(s, None, &|| false).map(|f| f.ids.len())))
            });
        }
        // Narrowing: "wf" → "wfa" style growth from the previous results.
        let first = svc
            .read()
            .search(&spec(Kind::Trainees, "wa"), None, &|| false)
            .expect("search");
        let within = Earlier {
            ids: &first.hits,
            at: first.at.as_ref(),
        };
        let grown = spec(Kind::Trainees, "wan");
        g.bench_function("narrow/wa_to_wan", |b| {
            b.iter(|| black_box(svc.read().search(&grown, Some(within), &|| false).map(|f| f.ids.len())))
        });
        g.finish();
        let mut g = c.benchmark_group(format!("search_cases_{n}"));
        g.sample_size(20);
        for (name, q) in [("initials_2", "hg"), ("state", "已就业")] {
            let s = spec(Kind::Cases, q);
            g.bench_with_input(BenchmarkId::new("full", name), &s, |b, s| {
                b.iter(|| black_box(svc.read().search(s, None, &|| false).map(|f| f.ids.len())))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
