//! Drawing the dashboard on a demo city of 100k trainees (set
//! SKILLBRIDGE_BENCH_TRAINEES for another size): every view at 120×40 and
//! 200×60 must take well under one frame (16 ms). Also measured: computing
//! the figures from scratch, which happens once when the dashboard opens and
//! once per change of the data, never per frame.
//!
//! `cargo bench --bench dashboard`

mod common;

use common::city;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use skillbridge::app::searcher::SyncSearcher;
use skillbridge::app::{App, Overlay};
use skillbridge::figures::{self, Settings};
use skillbridge::i18n::Lang;
use skillbridge::keymap::{Key, KeyMap};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

fn press(app: &mut App, keys: &str) {
    for k in keys.split_whitespace() {
        let key: Key = k.parse().expect("key");
        app.key(key);
        app.tick();
    }
}

fn bench(c: &mut Criterion) {
    let n = std::env::var("SKILLBRIDGE_BENCH_TRAINEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let (_dir, svc) = city(n);
    eprintln!(
        "{} cases, {} classes, {} demands",
        svc.read().data.cases.len(),
        svc.read().data.classes.len(),
        svc.read().data.demands.len()
    );
    let keymap = Arc::new(KeyMap::shipped().expect("keymap"));
    let mut app = App::new(
        svc.clone(),
        keymap,
        Box::new(SyncSearcher::new(svc.clone())),
        skillbridge::service::Actor::admin("bench"),
        Lang::Zh,
    );
    app.tick();
    press(&mut app, "f3");
    assert!(matches!(app.state.overlays.last(), Some(Overlay::Dashboard(_))));

    let mut g = c.benchmark_group(format!("dashboard_{n}"));
    g.sample_size(30);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("figures_compute", |b| {
        b.iter(|| black_box(figures::compute(&svc.read().data, Settings::default(), svc.today())))
    });
    for (w, h) in [(120u16, 40u16), (200, 60)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        for (key, name) in [
            ("1", "targets"),
            ("2", "trades"),
            ("3", "districts"),
            ("4", "map"),
            ("5", "programs"),
            ("6", "alliances"),
            ("7", "institutions"),
            ("8", "charts"),
        ] {
            press(&mut app, key);
            g.bench_function(format!("draw_{name}_{w}x{h}"), |b| {
                b.iter(|| {
                    term.draw(|f| {
                        skillbridge::ui::draw(f, &app);
                    })
                    .expect("draw");
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
