//! `skillbridge serve`: one process owns the database and serves every
//! operator's terminal over SSH (russh). Each connection is a session over
//! the one shared service, with its own screen, language and selection.
//!
//! What keeps one client from taking the others down: a cap on
//! connections and on connections not signed in yet (like OpenSSH's
//! MaxStartups), a time limit to sign in (LoginGraceTime), both far below
//! the open-file limit; a bounded input queue and a clamped terminal size
//! per session (`term::remote`, `term::clamp_size`); one session channel
//! per connection and a "no" to every request the server does not serve;
//! the keys checked every second, so removing a key ends its sessions.

mod conn;
pub mod keys;
pub mod ops;
pub mod session;

use crate::i18n::Lang;
use crate::keymap::KeyMap;
use crate::paths::{self, FileError};
use crate::service::Service;
use crate::term::remote::Ender;
use keys::{Grant, KeyRing};
use russh::keys::{PrivateKey, ssh_key::LineEnding};
use russh::server::Config;
use russh::{MethodKind, MethodSet};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ServeError {
    #[error(
        "cannot read the host key {path}: {detail}. Delete it to have a new one made (clients will then see a new fingerprint)"
    )]
    HostKey { path: PathBuf, detail: String },
    #[error("cannot write a new host key to {path}: {detail}")]
    HostKeyWrite { path: PathBuf, detail: String },
    #[error("refusing to start: {0}")]
    Unsafe(#[from] FileError),
    #[error(
        "no authorized-keys file at {path}: create it with one line per operator, e.g.\n  ssh-ed25519 AAAA… wang.fang\n  ssh-ed25519 AAAA… zhao.lei districts=321181\n  ssh-ed25519 AAAA… lobby-1 role=kiosk\n(or pass --authorized-keys FILE)"
    )]
    NoKeys { path: PathBuf },
    #[error("refusing to start: {detail}")]
    Keys { path: PathBuf, detail: String },
    #[error("cannot listen on {addr}: {detail}")]
    Listen { addr: String, detail: String },
    #[error(
        "the open-file limit is {limit}: too low to serve (a connection takes a file descriptor). Raise it (ulimit -n 4096, or LimitNOFILE= in the service unit)"
    )]
    FileLimit { limit: u64 },
}

/// How many clients the server takes, and how long one may take to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once, signed in or not.
    pub max_connections: usize,
    /// Connections open at once that have not signed in yet.
    pub max_startups: usize,
    /// Time from the connection to a key accepted.
    pub login_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            max_startups: 64,
            login_grace: Duration::from_secs(20),
        }
    }
}

impl Limits {
    /// The limits under the process's open-file limit: every connection
    /// takes a descriptor, and the database, the log and the listener
    /// need some; half the limit is left for them and for headroom.
    pub fn under_file_limit(self, file_limit: u64) -> Result<Limits, ServeError> {
        let room = (file_limit / 2).saturating_sub(32);
        if room < 8 {
            return Err(ServeError::FileLimit { limit: file_limit });
        }
        let room = usize::try_from(room).unwrap_or(usize::MAX);
        let max_connections = self.max_connections.min(room).max(1);
        Ok(Limits {
            max_connections,
            max_startups: self.max_startups.min(max_connections).max(1),
            login_grace: self.login_grace,
        })
    }
}

/// The soft open-file limit of this process.
fn file_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } == 0 {
            return r.rlim_cur;
        }
    }
    1024
}

pub struct Options {
    pub listen: String,
    pub host_key: PathBuf,
    pub authorized_keys: PathBuf,
    pub idle: Duration,
    pub lang: Lang,
    pub limits: Limits,
    /// Where imports (F6, `ssh … import`) may read from.
    pub import_dir: PathBuf,
}

/// Load the host key, or make one (ed25519) the first time, private to
/// this account from the start. A key other users may read or write is
/// refused, with how to fix it.
pub fn host_key(path: &Path) -> Result<PrivateKey, ServeError> {
    if path.exists() {
        paths::check_secret(path)?;
        return PrivateKey::read_openssh_file(path).map_err(|e| ServeError::HostKey {
            path: path.to_path_buf(),
            detail: e.to_string(),
        });
    }
    let write_err = |detail: String| ServeError::HostKeyWrite {
        path: path.to_path_buf(),
        detail,
    };
    let key =
        PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).map_err(|e| write_err(e.to_string()))?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        paths::private_dir(dir).map_err(|e| write_err(e.to_string()))?;
    }
    let text = key.to_openssh(LineEnding::LF).map_err(|e| write_err(e.to_string()))?;
    paths::write_private(path, text.as_bytes(), false).map_err(|e| write_err(e.to_string()))?;
    Ok(key)
}

/// The SSH settings of the server.
fn config(key: PrivateKey) -> Config {
    Config {
        keys: vec![key],
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        // Every refusal takes the same time, known keys or not.
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::from_secs(0)),
        max_auth_attempts: 6,
        // Only the client or the server ends a signed-in session (an
        // operator's by its idle time, never a kiosk's); a client that
        // vanished is found by keep-alives. Signing in has its own
        // deadline (`Limits::login_grace`).
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        // What a client may send ahead of what its session has read: a
        // client that leaves leaves at most this much work behind (an
        // import's channel gets a wider one, see `Conn::adjust_window`).
        window_size: conn::SCREEN_WINDOW,
        nodelay: true,
        ..Default::default()
    }
}

/// A signed-in connection, as the key watcher sees it.
#[derive(Default)]
pub(crate) struct Live {
    handle: Option<russh::server::Handle>,
    peer: Option<SocketAddr>,
    grant: Option<Grant>,
    ender: Option<Ender>,
    ended: bool,
}

pub(crate) struct Shared {
    svc: Arc<Service>,
    keymap: Arc<KeyMap>,
    ring: KeyRing,
    lang: Lang,
    idle: Duration,
    stopping: Arc<AtomicBool>,
    /// Session threads running.
    sessions: AtomicUsize,
    /// Connections open, and those not signed in yet.
    connections: AtomicUsize,
    unauthenticated: AtomicUsize,
    live: Mutex<HashMap<u64, Live>>,
}

impl Shared {
    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Live>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn attach(&self, id: u64, peer: Option<SocketAddr>, handle: russh::server::Handle) {
        let mut live = self.live();
        let l = live.entry(id).or_default();
        l.handle = Some(handle);
        l.peer = peer;
    }

    fn signed_in(&self, id: u64, grant: Grant) {
        self.live().entry(id).or_default().grant = Some(grant);
    }

    fn screen_started(&self, id: u64, ender: Ender) {
        self.live().entry(id).or_default().ender = Some(ender);
    }

    fn forget(&self, id: u64) {
        self.live().remove(&id);
    }

    /// End every session whose key was removed, changed, expired or may no
    /// longer come from where it is: the screen says why, then the
    /// connection is closed.
    fn end_revoked(&self) {
        self.ring.refresh();
        let mut ending = Vec::new();
        for l in self.live().values_mut() {
            let Some(g) = &l.grant else { continue };
            if l.ended {
                continue;
            }
            let why = match self.ring.check(&g.key, l.peer) {
                Ok(now) if now.actor == g.actor && now.options == g.options => continue,
                Ok(_) => "changed (role, districts or options)".to_string(),
                Err(keys::Refusal::NotListed) => "removed from the authorized keys".to_string(),
                Err(other) => other.to_string(),
            };
            l.ended = true;
            tracing::warn!("ending the session of {}: its key was {why}", g.actor.name);
            ending.push((l.ender.clone(), l.handle.clone(), why));
        }
        for (ender, handle, why) in ending {
            if let Some(e) = ender {
                e.end(format!(
                    "skillbridge: your key was {why}; this session is closed. Ask an administrator."
                ));
            }
            if let Some(h) = handle {
                tokio::spawn(async move {
                    // Time for the farewell to reach the client.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let _ = h
                        .disconnect(russh::Disconnect::ByApplication, "key revoked".into(), "en".into())
                        .await;
                });
            }
        }
    }
}

/// Releases a connection's places in the counts when it ends.
struct Counted {
    shared: Arc<Shared>,
    /// Set when the connection signed in (its unauthenticated place was
    /// given back then).
    authed: Arc<AtomicBool>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.shared.connections.fetch_sub(1, Ordering::AcqRel);
        if !self.authed.swap(true, Ordering::AcqRel) {
            self.shared.unauthenticated.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

async fn disconnect(handle: &russh::server::Handle, why: &str) {
    let _ = handle
        .disconnect(russh::Disconnect::ByApplication, why.into(), "en".into())
        .await;
}

/// One accepted connection, from the SSH banner to its end.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
    id: u64,
    grace: Duration,
    mut stop: tokio::sync::broadcast::Receiver<()>,
) {
    let authed = Arc::new(AtomicBool::new(false));
    let _counted = Counted {
        shared: shared.clone(),
        authed: authed.clone(),
    };
    let _ = socket.set_nodelay(true);
    let deadline = tokio::time::Instant::now() + grace;
    let handler = conn::Conn::new(shared.clone(), id, Some(peer), authed.clone());
    // A client that never sends its banner is dropped at the deadline.
    let mut session = match tokio::time::timeout_at(deadline, russh::server::run_stream(config, socket, handler)).await
    {
        Ok(Ok(s)) => s,
        _ => return,
    };
    let handle = session.handle();
    shared.attach(id, Some(peer), handle.clone());
    if !authed.load(Ordering::Acquire) {
        tokio::select! {
            _ = &mut session => return,
            _ = tokio::time::sleep_until(deadline) => {}
            _ = stop.recv() => {
                disconnect(&handle, "skillbridge server stopping").await;
                return;
            }
        }
        if !authed.load(Ordering::Acquire) {
            tracing::info!("{peer}: not signed in within {} s, disconnected", grace.as_secs());
            disconnect(&handle, "not signed in in time").await;
            let _ = tokio::time::timeout(Duration::from_secs(2), &mut session).await;
            return;
        }
    }
    tokio::select! {
        _ = &mut session => {}
        _ = stop.recv() => {
            disconnect(&handle, "skillbridge server stopping").await;
            let _ = tokio::time::timeout(Duration::from_secs(2), &mut session).await;
        }
    }
}

/// Accept connections until told to stop; a connection over a cap is
/// closed at once, and a failed accept (out of descriptors) waits a
/// moment instead of ending the server.
async fn accept(
    shared: Arc<Shared>,
    config: Arc<Config>,
    listener: tokio::net::TcpListener,
    limits: Limits,
    stop: tokio::sync::broadcast::Sender<()>,
    mut stopped: tokio::sync::broadcast::Receiver<()>,
) {
    let mut next_id = 0u64;
    let mut refused = 0u64;
    let mut noted = std::time::Instant::now() - Duration::from_secs(60);
    loop {
        let (socket, peer) = tokio::select! {
            _ = stopped.recv() => return,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    if noted.elapsed() >= Duration::from_secs(10) {
                        tracing::warn!("cannot accept a connection: {e}");
                        noted = std::time::Instant::now();
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let open = shared.connections.load(Ordering::Acquire);
        let waiting = shared.unauthenticated.load(Ordering::Acquire);
        if open >= limits.max_connections || waiting >= limits.max_startups {
            refused += 1;
            if noted.elapsed() >= Duration::from_secs(10) {
                tracing::warn!(
                    "refused {refused} connections (the last from {peer}): {open} open of {}, {waiting} not signed in of {}",
                    limits.max_connections,
                    limits.max_startups
                );
                refused = 0;
                noted = std::time::Instant::now();
            }
            drop(socket);
            continue;
        }
        shared.connections.fetch_add(1, Ordering::AcqRel);
        shared.unauthenticated.fetch_add(1, Ordering::AcqRel);
        next_id += 1;
        tracing::info!("connection {next_id} from {peer}");
        tokio::spawn(connection(
            shared.clone(),
            config.clone(),
            socket,
            peer,
            next_id,
            limits.login_grace,
            stop.subscribe(),
        ));
    }
}

/// SIGTERM and SIGINT, caught from the moment this is made.
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn wait(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.int.recv() => {},
        }
    }
}

/// Serve until SIGTERM or ctrl-c; then tell sessions, let them finish,
/// flush the database and remove the address note.
pub fn serve(svc: Arc<Service>, keymap: Arc<KeyMap>, opts: Options) -> anyhow::Result<()> {
    let key = host_key(&opts.host_key)?;
    let fingerprint = key.public_key().fingerprint(russh::keys::HashAlg::Sha256);
    if !opts.authorized_keys.exists() {
        return Err(ServeError::NoKeys {
            path: opts.authorized_keys.clone(),
        }
        .into());
    }
    let (ring, problems) = KeyRing::open(&opts.authorized_keys).map_err(|detail| ServeError::Keys {
        path: opts.authorized_keys.clone(),
        detail,
    })?;
    for p in &problems {
        eprintln!(
            "{}:{}: {} (this line grants nothing)",
            opts.authorized_keys.display(),
            p.line,
            paths::escape_log(&p.message)
        );
    }
    let limits = opts.limits.under_file_limit(file_limit())?;
    paths::private_dir(&opts.import_dir)?;
    svc.restrict_imports_to(opts.import_dir.clone());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        // The stop signals are caught before the server says where it
        // listens: a SIGTERM sent as soon as "connect:" is printed must
        // stop it cleanly (sessions told, database flushed), not kill it.
        let mut stop_signals = StopSignals::install()?;
        let listener = tokio::net::TcpListener::bind(&opts.listen)
            .await
            .map_err(|e| ServeError::Listen {
                addr: opts.listen.clone(),
                detail: e.to_string(),
            })?;
        let local = listener.local_addr()?;
        let note = svc.db_path().join(crate::store::SERVER_NOTE);
        let _ = paths::write_private(&note, local.to_string().as_bytes(), true);
        eprintln!("skillbridge serving {} on {local}", svc.db_path().display());
        eprintln!("host key {} fingerprint {fingerprint}", opts.host_key.display());
        eprintln!("{} authorized keys from {}", ring.len(), opts.authorized_keys.display());
        eprintln!(
            "limits: {} connections, {} not signed in, {} s to sign in; imports from {}",
            limits.max_connections,
            limits.max_startups,
            limits.login_grace.as_secs(),
            opts.import_dir.display()
        );
        eprintln!("connect: ssh -t -p {} <host>", local.port());
        let stopping = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            svc: svc.clone(),
            keymap,
            ring,
            lang: opts.lang,
            idle: opts.idle,
            stopping: stopping.clone(),
            sessions: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            unauthenticated: AtomicUsize::new(0),
            live: Mutex::new(HashMap::new()),
        });
        let config = Arc::new(config(key));
        let (stop_tx, _) = tokio::sync::broadcast::channel::<()>(4);
        // Subscribed before the task is spawned: a stop that comes before
        // the task first runs must still end it.
        let accepting = tokio::spawn(accept(
            shared.clone(),
            config,
            listener,
            limits,
            stop_tx.clone(),
            stop_tx.subscribe(),
        ));
        let watcher = {
            let shared = shared.clone();
            let mut stopped = stop_tx.subscribe();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(1));
                loop {
                    tokio::select! {
                        _ = stopped.recv() => return,
                        _ = tick.tick() => shared.end_revoked(),
                    }
                }
            })
        };
        stop_signals.wait().await;
        eprintln!("stopping: telling {} sessions", shared.sessions.load(Ordering::Acquire));
        stopping.store(true, Ordering::Release);
        for _ in 0..40 {
            if shared.sessions.load(Ordering::Acquire) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = stop_tx.send(());
        let _ = accepting.await;
        let _ = watcher.await;
        svc.flush()?;
        // Sessions are gone, so nothing writes: keep the index for the next start.
        svc.save_search_cache();
        let _ = std::fs::remove_file(&note);
        eprintln!("stopped; the database is flushed");
        Ok::<(), anyhow::Error>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_client_or_the_server_ends_a_session() {
        let key = PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).unwrap();
        let c = config(key);
        assert_eq!(c.inactivity_timeout, None, "a quiet kiosk is never cut off");
        assert!(
            c.keepalive_interval.is_some() && c.keepalive_max > 0,
            "a vanished client is"
        );
        assert_eq!(c.auth_rejection_time, Duration::from_secs(1));
        assert!(c.window_size <= 64 * 1024);
    }

    #[test]
    fn limits_stay_under_the_file_limit() {
        let l = Limits::default().under_file_limit(1024).unwrap();
        assert_eq!((l.max_connections, l.max_startups), (256, 64));
        let l = Limits::default().under_file_limit(256).unwrap();
        assert_eq!((l.max_connections, l.max_startups), (96, 64));
        assert!(Limits::default().under_file_limit(40).is_err());
    }
}
