//! `skillbridge serve`: one process owns the database and serves every
//! operator's terminal over SSH (russh). Each connection is a session over
//! the one shared service, with its own screen, language and selection.

pub mod keys;
pub mod session;

use crate::i18n::Lang;
use crate::keymap::KeyMap;
use crate::service::Service;
use crate::term::remote::{ChannelOut, ToSession};
use keys::{KeyRing, Person, Role};
use russh::keys::{PrivateKey, ssh_key::LineEnding};
use russh::server::{Auth, Config, Handler, Msg, Server, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use session::Settings;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    #[error(
        "no authorized-keys file at {path}: create it with one line per operator, e.g.\n  ssh-ed25519 AAAA… wang.fang\n  ssh-ed25519 AAAA… lobby-1 role=kiosk\n(or pass --authorized-keys FILE)"
    )]
    NoKeys { path: PathBuf },
    #[error("cannot read {path}: {detail}")]
    Keys { path: PathBuf, detail: String },
    #[error("cannot listen on {addr}: {detail}")]
    Listen { addr: String, detail: String },
}

pub struct Options {
    pub listen: String,
    pub host_key: PathBuf,
    pub authorized_keys: PathBuf,
    pub idle: Duration,
    pub lang: Lang,
}

/// Load the host key, or make one (ed25519) the first time.
pub fn host_key(path: &Path) -> Result<PrivateKey, ServeError> {
    if path.exists() {
        return PrivateKey::read_openssh_file(path).map_err(|e| ServeError::HostKey {
            path: path.to_path_buf(),
            detail: e.to_string(),
        });
    }
    let key = PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519).map_err(|e| {
        ServeError::HostKeyWrite {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ServeError::HostKeyWrite {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    }
    key.write_openssh_file(path, LineEnding::LF)
        .map_err(|e| ServeError::HostKeyWrite {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    Ok(key)
}

struct Shared {
    svc: Arc<Service>,
    keymap: Arc<KeyMap>,
    ring: KeyRing,
    lang: Lang,
    idle: Duration,
    stopping: Arc<AtomicBool>,
    sessions: std::sync::atomic::AtomicUsize,
}

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
}

impl Server for App {
    type Handler = Conn;
    fn new_client(&mut self, peer: Option<SocketAddr>) -> Conn {
        tracing::info!("connection from {peer:?}");
        Conn {
            shared: self.shared.clone(),
            person: None,
            pty: None,
            to_session: None,
        }
    }
}

struct Conn {
    shared: Arc<Shared>,
    person: Option<Person>,
    pty: Option<(u16, u16)>,
    to_session: Option<std::sync::mpsc::Sender<ToSession>>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(tx) = self.to_session.take() {
            let _ = tx.send(ToSession::Close);
        }
    }
}

fn clamp(v: u32) -> u16 {
    v.min(u32::from(u16::MAX)) as u16
}

impl Conn {
    async fn refuse(&self, session: &mut Session, channel: ChannelId, text: &str) {
        let handle = session.handle();
        let text = format!("{text}\r\n");
        let _ = handle.data(channel, text.into_bytes()).await;
        let _ = handle.exit_status_request(channel, 1).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    }
}

impl Handler for Conn {
    type Error = anyhow::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.shared.ring.lookup(offer.public_key) {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match self.shared.ring.lookup(key.public_key) {
            Some(p) => {
                tracing::info!("{} ({:?}) signed in as ssh user '{user}'", p.name, p.role);
                self.person = Some(p);
                Ok(Auth::Accept)
            }
            None => {
                tracing::warn!(
                    "refused a key for ssh user '{user}': not in {}",
                    self.shared.ring.path().display()
                );
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        _channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.person.is_some() {
            reply.accept().await;
        } else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some((clamp(col_width), clamp(row_height)));
        session.channel_success(channel)?;
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        self.refuse(
            session,
            channel,
            "skillbridge is an interactive screen: connect without a command (ssh -t -p PORT host)",
        )
        .await;
        Ok(())
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        let Some(size) = self.pty else {
            self.refuse(
                session,
                channel,
                "skillbridge needs a terminal: connect with ssh -t (a PTY was not requested)",
            )
            .await;
            return Ok(());
        };
        let Some(person) = self.person.clone() else {
            self.refuse(session, channel, "not signed in").await;
            return Ok(());
        };
        let (to_session, rx) = std::sync::mpsc::channel();
        self.to_session = Some(to_session);
        // Frames for the client; a client that stops reading fills this and loses frames, nothing more.
        let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(8);
        let handle = session.handle();
        tokio::spawn(async move {
            while let Some(bytes) = out_rx.recv().await {
                if handle.data(channel, bytes).await.is_err() {
                    break;
                }
            }
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        let shared = self.shared.clone();
        let settings = Settings {
            svc: shared.svc.clone(),
            keymap: shared.keymap.clone(),
            lang: shared.lang,
            idle: shared.idle,
            stopping: shared.stopping.clone(),
        };
        let name = person.name.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("session-{name}"))
            .spawn(move || {
                shared.sessions.fetch_add(1, Ordering::AcqRel);
                let out = ChannelOut::new(out_tx.clone());
                let last_words = ChannelOut::new(out_tx);
                let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match person.role {
                    Role::Kiosk => session::run_kiosk(settings, size, rx, out, last_words),
                    Role::Operator => session::run(settings, person, size, rx, out, last_words),
                }));
                if res.is_err() {
                    tracing::error!("the session of {name} panicked and was closed; other sessions go on");
                }
                shared.sessions.fetch_sub(1, Ordering::AcqRel);
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start a session thread: {e}");
        }
        Ok(())
    }

    async fn data(&mut self, _channel: ChannelId, data: &[u8], _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(tx) = &self.to_session {
            let _ = tx.send(ToSession::Bytes(data.to_vec()));
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some((clamp(col_width), clamp(row_height)));
        if let Some(tx) = &self.to_session {
            let _ = tx.send(ToSession::Resize(clamp(col_width), clamp(row_height)));
        }
        Ok(())
    }

    async fn channel_eof(&mut self, _channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(tx) = self.to_session.take() {
            let _ = tx.send(ToSession::Close);
        }
        Ok(())
    }

    async fn channel_close(&mut self, _channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(tx) = self.to_session.take() {
            let _ = tx.send(ToSession::Close);
        }
        Ok(())
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
    let (ring, problems) = KeyRing::open(&opts.authorized_keys).map_err(|e| ServeError::Keys {
        path: opts.authorized_keys.clone(),
        detail: e.to_string(),
    })?;
    for p in &problems {
        eprintln!(
            "{}:{}: {} (line skipped)",
            opts.authorized_keys.display(),
            p.line,
            p.message
        );
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&opts.listen)
            .await
            .map_err(|e| ServeError::Listen {
                addr: opts.listen.clone(),
                detail: e.to_string(),
            })?;
        let local = listener.local_addr()?;
        let note = svc.db_path().join(crate::store::SERVER_NOTE);
        let _ = std::fs::write(&note, local.to_string());
        eprintln!("skillbridge serving {} on {local}", svc.db_path().display());
        eprintln!("host key {} fingerprint {fingerprint}", opts.host_key.display());
        eprintln!("{} authorized keys from {}", ring.len(), opts.authorized_keys.display());
        eprintln!("connect: ssh -t -p {} <host>", local.port());
        let stopping = Arc::new(AtomicBool::new(false));
        let shared = Arc::new(Shared {
            svc: svc.clone(),
            keymap,
            ring,
            lang: opts.lang,
            idle: opts.idle,
            stopping: stopping.clone(),
            sessions: std::sync::atomic::AtomicUsize::new(0),
        });
        let config = Arc::new(Config {
            keys: vec![key],
            methods: MethodSet::from(&[MethodKind::PublicKey][..]),
            auth_rejection_time: Duration::from_secs(1),
            auth_rejection_time_initial: Some(Duration::from_secs(0)),
            inactivity_timeout: Some(opts.idle + Duration::from_secs(60)),
            nodelay: true,
            ..Default::default()
        });
        let mut app = App { shared: shared.clone() };
        let running = app.run_on_socket(config, &listener);
        let handle = running.handle();
        let stop = async {
            #[cfg(unix)]
            {
                let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            #[cfg(not(unix))]
            tokio::signal::ctrl_c().await?;
            Ok::<(), std::io::Error>(())
        };
        tokio::select! {
            r = running => { r?; }
            r = stop => {
                r?;
                eprintln!("stopping: telling {} sessions", shared.sessions.load(Ordering::Acquire));
                stopping.store(true, Ordering::Release);
                for _ in 0..40 {
                    if shared.sessions.load(Ordering::Acquire) == 0 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                handle.shutdown("skillbridge server stopping".into());
            }
        }
        svc.flush()?;
        // Sessions are gone, so nothing writes: keep the index for the next start.
        svc.save_search_cache();
        let _ = std::fs::remove_file(&note);
        eprintln!("stopped; the database is flushed");
        Ok::<(), anyhow::Error>(())
    })
}
