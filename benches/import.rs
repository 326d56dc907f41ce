//! Import throughput: `cargo bench --bench import`. The scale knob is
//! SKILLBRIDGE_BENCH_N (trainees per file, default 2,000; the issue's
//! figure is 100,000, measured once in release with /usr/bin/time).

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use skillbridge::domain::IdNumber;
use skillbridge::domain::Kind;
use skillbridge::io::import;
use skillbridge::store::Store;
use std::path::Path;

fn size() -> usize {
    std::env::var("SKILLBRIDGE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// A trainees CSV of `n` distinct valid people.
fn write_file(path: &Path, n: usize) {
    let regions = [
        "京口区",
        "润州区",
        "丹徒区",
        "丹阳市",
        "扬中市",
        "句容市",
        "镇江新区",
        "镇江高新区",
    ];
    let trades = ["焊工", "车工", "装配钳工", "养老护理员", "电工"];
    let mut s = String::from("姓名,身份证号,手机号,区域,重点群体,意向工种,登记日期\n");
    let base = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    for i in 0..n {
        let birth = base + chrono::Duration::days((i / 1000) as i64);
        let id = IdNumber::from_parts("321102", birth, (i % 1000) as u16).map(|n| n.to_string());
        let id = id.unwrap_or_default();
        s.push_str(&format!(
            "学员{i},{id},139{:08},{},农村转移劳动者,{}、{},2025-09-01\n",
            i,
            regions[i % regions.len()],
            trades[i % trades.len()],
            trades[(i + 1) % trades.len()]
        ));
    }
    if let Err(e) = std::fs::write(path, s) {
        panic!("cannot write the bench file {}: {e}", path.display());
    }
}

fn bench(c: &mut Criterion) {
    let n = size();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("trainees.csv");
    write_file(&file, n);
    let opts = import::Options::default();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function(format!("{n} new trainees into an empty database"), |b| {
        b.iter_batched(
            || {
                let db = tempfile::tempdir().expect("temp dir");
                let store = Store::open(&db.path().join("db")).expect("open");
                (db, store)
            },
            |(db, store)| {
                let plan = import::plan(&store, Kind::Trainees, &file, &opts).expect("plan");
                let report =
                    import::apply(&store, plan, &import::ApplyOptions::default(), &mut |_, _| {}).expect("apply");
                assert_eq!(report.added, n);
                (db, store)
            },
            BatchSize::PerIteration,
        )
    });
    let db = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&db.path().join("db")).expect("open");
    let plan = import::plan(&store, Kind::Trainees, &file, &opts).expect("plan");
    import::apply(&store, plan, &import::ApplyOptions::default(), &mut |_, _| {}).expect("apply");
    group.bench_function(format!("{n} unchanged trainees (a re-import)"), |b| {
        b.iter(|| {
            let plan = import::plan(&store, Kind::Trainees, &file, &opts).expect("plan");
            assert_eq!(plan.unchanged, n);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
