//! Load on the SSH server: SESSIONS concurrent operators (default 50) on a
//! demo city of TRAINEES trainees (default 100k), each typing a search at
//! 5 keys a second for SECONDS seconds (default 20). Reports the key → next
//! frame latency (p50, p99, max) seen by the clients and the server's RSS:
//! after a cold start (no caches yet), then, started again from the caches
//! the first run left, idle, with every session idle, and under load.
//!
//! `cargo bench --bench ssh_load` (SKILLBRIDGE_LOAD_SESSIONS, _TRAINEES,
//! _SECONDS override the defaults; SKILLBRIDGE_BENCH_3M=1 makes the city 3M
//! trainees; SKILLBRIDGE_LOAD_DB=PATH uses a city already built).

use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{ChannelMsg, client};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Client;

impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _key: &russh::keys::PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

async fn session(
    port: u16,
    key: Arc<PrivateKey>,
    seconds: u64,
    start_typing: Arc<tokio::sync::Barrier>,
) -> Vec<Duration> {
    let config = Arc::new(client::Config::default());
    let mut h = client::connect(config, ("127.0.0.1", port), Client)
        .await
        .expect("connect");
    let auth = h
        .authenticate_publickey("load", PrivateKeyWithHashAlg::new(key, None))
        .await
        .expect("auth");
    assert!(auth.success(), "key refused");
    let mut ch = h.channel_open_session().await.expect("channel");
    ch.request_pty(false, "xterm", 120, 40, 0, 0, &[]).await.expect("pty");
    ch.request_shell(false).await.expect("shell");
    // Wait for the first frame.
    while let Some(msg) = ch.wait().await {
        if matches!(msg, ChannelMsg::Data { .. }) {
            break;
        }
    }
    start_typing.wait().await;
    let keys: &[&[u8]] = &[
        b"w", b"a", b"n", b"g", b"\x7f", b"\x7f", b"\x7f", b"\x7f", b"h", b"g", b"\x7f", b"\x7f",
    ];
    let mut lat = Vec::new();
    let end = Instant::now() + Duration::from_secs(seconds);
    let mut i = 0;
    while Instant::now() < end {
        let sent = Instant::now();
        ch.data(keys[i % keys.len()]).await.expect("send");
        i += 1;
        // The next data packet is the frame that answers the key.
        loop {
            match tokio::time::timeout(Duration::from_secs(5), ch.wait()).await {
                Ok(Some(ChannelMsg::Data { .. })) => {
                    lat.push(sent.elapsed());
                    break;
                }
                Ok(Some(_)) => continue,
                _ => {
                    lat.push(Duration::from_secs(5));
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200).saturating_sub(sent.elapsed())).await;
        // Drain frames that arrive late (search results) before the next key.
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(1), ch.wait()).await {}
    }
    let _ = ch.eof().await;
    lat
}

fn main() {
    let sessions = env("SKILLBRIDGE_LOAD_SESSIONS", 50) as usize;
    let default_size = if std::env::var_os("SKILLBRIDGE_BENCH_3M").is_some() {
        3_000_000
    } else {
        100_000
    };
    let trainees = env("SKILLBRIDGE_LOAD_TRAINEES", default_size) as usize;
    let seconds = env("SKILLBRIDGE_LOAD_SECONDS", 20);
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_skillbridge");
    let dir = tempfile::tempdir().expect("tmp");
    // A city already built (SKILLBRIDGE_LOAD_DB): a 3M build takes minutes.
    let db = match std::env::var_os("SKILLBRIDGE_LOAD_DB") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let db = dir.path().join("db");
            eprintln!("building a demo city of {trainees} trainees…");
            let ok = Command::new(bin)
                .args(["demo", "--build-only", "--trainees", &trainees.to_string(), "--db"])
                .arg(&db)
                .status()
                .expect("demo");
            assert!(ok.success());
            db
        }
    };
    let key = PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).expect("key");
    let public = key.public_key().to_openssh().expect("public key");
    let keys = dir.path().join("authorized_keys");
    std::fs::write(&keys, format!("{public} load\n")).expect("keys");
    let start = || {
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .arg("--authorized-keys")
            .arg(&keys)
            .arg("--host-key")
            .arg(dir.path().join("host_key"))
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let mut port = 0u16;
        for l in lines.by_ref() {
            let l = l.expect("line");
            if let Some(rest) = l.strip_prefix("connect: ssh -t -p ") {
                port = rest.split_whitespace().next().and_then(|p| p.parse().ok()).unwrap_or(0);
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        assert!(port > 0);
        // Let a cold start finish writing its caches in the background.
        std::thread::sleep(Duration::from_secs(2));
        (child, port)
    };
    let stop = |mut child: std::process::Child| {
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let _ = child.wait();
    };
    // A cold start (right after an import, say) walks the database and
    // writes the caches; every later start reads them: that is the steady
    // state measured under load.
    let (child, _) = start();
    let rss_cold = rss_kib(child.id(), "VmRSS:");
    stop(child);
    let (child, port) = start();
    let pid = child.id();
    let rss_start = rss_kib(pid, "VmRSS:");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let key = Arc::new(key);
    let barrier = Arc::new(tokio::sync::Barrier::new(sessions + 1));
    let mut tasks = Vec::new();
    for _ in 0..sessions {
        let k = key.clone();
        let b = barrier.clone();
        tasks.push(rt.spawn(session(port, k, seconds, b)));
    }
    rt.block_on(async {
        // Every session connected and drew its first frame: the idle figure.
        barrier.wait().await;
    });
    std::thread::sleep(Duration::from_millis(500));
    let rss_idle = rss_kib(pid, "VmRSS:");
    let mut all: Vec<Duration> = Vec::new();
    for t in tasks {
        all.extend(rt.block_on(t).expect("session"));
    }
    let rss_peak = rss_kib(pid, "VmHWM:");
    stop(child);
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    // A city given by SKILLBRIDGE_LOAD_DB is named by its path: its size
    // is whatever it was built with.
    let city = match std::env::var_os("SKILLBRIDGE_LOAD_DB") {
        Some(p) => format!("the city at {}", std::path::Path::new(&p).display()),
        None => format!("{trainees} trainees"),
    };
    println!("ssh load: {sessions} sessions × {seconds} s at 5 keys/s on {city}");
    println!("  keys answered: {}", all.len());
    println!(
        "  key → frame latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!(
        "  server RSS: {} MiB after a cold start (caches rebuilt); steady: {} MiB before sessions, {} MiB with {sessions} idle sessions ({:.1} MiB each), peak {} MiB",
        rss_cold / 1024,
        rss_start / 1024,
        rss_idle / 1024,
        (rss_idle.saturating_sub(rss_start)) as f64 / 1024.0 / sessions as f64,
        rss_peak / 1024
    );
}
