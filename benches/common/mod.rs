//! What the benches share: a demo city in a temporary directory.

use skillbridge::service::Service;
use skillbridge::store::Store;
use std::sync::Arc;
use std::time::Instant;

/// A demo city of `trainees` (seed 1) and the service over it; the
/// directory goes with the returned guard.
pub fn city(trainees: usize) -> (tempfile::TempDir, Arc<Service>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("db")).expect("open");
    let t = Instant::now();
    skillbridge::demo::build(&store, &skillbridge::demo::Options { trainees, seed: 1 }).expect("demo");
    eprintln!("built a demo city of {trainees} trainees in {:?}", t.elapsed());
    let svc = Service::open(store).expect("service");
    (dir, svc)
}
