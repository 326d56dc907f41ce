//! One SSH connection: authentication against the key ring, one session
//! channel (the workspace, the kiosk or an admin's operation), and a "no"
//! to everything else: a second channel, forwarding, X11, agents,
//! subsystems (sftp) and environment variables.

use super::Shared;
use super::keys::Grant;
use super::ops::{self, MAX_IMPORT_BYTES, Op};
use super::session::{self, Settings};
use crate::paths::escape_log;
use crate::service::access::Role;
use crate::term::clamp_size;
use crate::term::remote::{ChannelOut, InputTx, input_queue};
use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The longest user name logged as it is.
const MAX_USER_LOGGED: usize = 64;

/// The SSH window of a screen's channel: what a client may send beyond
/// what the connection has read. Typing and pasting need little; a client
/// that floods and leaves leaves at most this (plus the session's input
/// queue) to be read after it is gone.
pub(super) const SCREEN_WINDOW: u32 = 32 * 1024;

/// The window of an import's channel (a file on standard input).
const IMPORT_WINDOW: u32 = 2 * 1024 * 1024;

/// What runs on the connection's one channel.
enum Running {
    Nothing,
    /// A screen: its input queue.
    Screen(InputTx),
    /// An operation waiting for its standard input (an import).
    Reading {
        op: Op,
        input: Vec<u8>,
    },
    /// An operation that has its input (or needs none).
    Busy,
}

pub(super) struct Conn {
    pub(super) shared: Arc<Shared>,
    pub(super) id: u64,
    pub(super) peer: Option<SocketAddr>,
    /// Set once a key is accepted (the connection stops counting as unauthenticated).
    pub(super) authed: Arc<AtomicBool>,
    pub(super) grant: Option<Grant>,
    pub(super) channel: Option<ChannelId>,
    pub(super) pty: Option<(u16, u16)>,
    running: Running,
}

impl Conn {
    pub(super) fn new(shared: Arc<Shared>, id: u64, peer: Option<SocketAddr>, authed: Arc<AtomicBool>) -> Conn {
        Conn {
            shared,
            id,
            peer,
            authed,
            grant: None,
            channel: None,
            pty: None,
            running: Running::Nothing,
        }
    }

    fn user(user: &str) -> String {
        let cut: String = user.chars().take(MAX_USER_LOGGED).collect();
        escape_log(&cut).into_owned()
    }

    /// Tell the client why, and close the channel with status 1.
    async fn refuse(&self, session: &mut Session, channel: ChannelId, text: &str) {
        let handle = session.handle();
        let text = format!("{text}\r\n");
        let _ = handle.data(channel, text.into_bytes()).await;
        let _ = handle.exit_status_request(channel, 1).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    }

    fn ours(&self, channel: ChannelId) -> bool {
        self.channel == Some(channel)
    }

    /// The grant a shell or a command starts under: answered "no" (and
    /// `None`) unless signed in, on this connection's one channel, with
    /// nothing running on it yet.
    fn may_start(&self, channel: ChannelId, session: &mut Session) -> Result<Option<Grant>, russh::Error> {
        match &self.grant {
            Some(g) if self.ours(channel) && matches!(self.running, Running::Nothing) => {
                session.channel_success(channel)?;
                Ok(Some(g.clone()))
            }
            _ => {
                session.channel_failure(channel)?;
                Ok(None)
            }
        }
    }

    /// Start an admin's operation on `channel`, its output streamed to
    /// the client, then the exit status and close.
    fn start_op(&mut self, session: &mut Session, channel: ChannelId, op: Op, input: Vec<u8>) {
        let Some(grant) = self.grant.clone() else { return };
        self.running = Running::Busy;
        let handle = session.handle();
        let svc = self.shared.svc.clone();
        tracing::info!("{} runs {op:?} over ssh", grant.actor.name);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<(bool, Vec<u8>)>(16);
        let pump = handle.clone();
        let sender = tokio::spawn(async move {
            while let Some((is_err, bytes)) = rx.recv().await {
                let sent = if is_err {
                    pump.extended_data(channel, 1, bytes).await
                } else {
                    pump.data(channel, bytes).await
                };
                if sent.is_err() {
                    break;
                }
            }
        });
        tokio::task::spawn_blocking(move || {
            let mut out = Pipe {
                tx: tx.clone(),
                err: false,
            };
            let mut err = Pipe { tx, err: true };
            let code = ops::run(&svc, &grant.actor, &op, &input, &mut out, &mut err);
            drop((out, err));
            let rt = tokio::runtime::Handle::current();
            rt.block_on(async move {
                let _ = sender.await;
                let _ = handle.exit_status_request(channel, code).await;
                let _ = handle.eof(channel).await;
                let _ = handle.close(channel).await;
            });
        });
    }
}

/// Output of an operation, in packets, to the task that sends them: the
/// operation waits while the client reads slowly.
struct Pipe {
    tx: tokio::sync::mpsc::Sender<(bool, Vec<u8>)>,
    err: bool,
}

impl std::io::Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(32 * 1024);
        self.tx
            .blocking_send((self.err, buf[..n].to_vec()))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Running::Screen(tx) = &self.running {
            tx.close();
        }
        self.shared.forget(self.id);
    }
}

impl Handler for Conn {
    type Error = anyhow::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.shared.ring.lookup(offer.public_key, self.peer) {
            Ok(_) => Auth::Accept,
            Err(_) => Auth::reject(),
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match self.shared.ring.lookup(key.public_key, self.peer) {
            Ok(g) => {
                tracing::info!(
                    "{} ({}) signed in as ssh user '{}' from {:?} (line {})",
                    g.actor.name,
                    g.actor.role,
                    Self::user(user),
                    self.peer,
                    g.line
                );
                if !self.authed.swap(true, Ordering::AcqRel) {
                    self.shared.unauthenticated.fetch_sub(1, Ordering::AcqRel);
                }
                self.shared.signed_in(self.id, g.clone());
                self.grant = Some(g);
                Ok(Auth::Accept)
            }
            Err(why) => {
                tracing::warn!(
                    "refused a key for ssh user '{}' from {:?}: {why} ({})",
                    Self::user(user),
                    self.peer,
                    self.shared.ring.path().display()
                );
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.grant.is_none() {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        } else if self.channel.is_some() {
            // One session per connection: a second one is refused, never
            // swapped for the first.
            tracing::info!("connection {}: a second session channel refused", self.id);
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        } else {
            self.channel = Some(channel.id());
            reply.accept().await;
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
        let allowed = self.grant.as_ref().is_some_and(|g| g.options.pty);
        if !self.ours(channel) || !allowed || !matches!(self.running, Running::Nothing) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        self.pty = Some(clamp_size(col_width, row_height));
        session.channel_success(channel)?;
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(grant) = self.may_start(channel, session)? else {
            return Ok(());
        };
        if grant.actor.role != Role::Admin {
            tracing::info!(
                "{} ({}) asked to run '{}': refused",
                grant.actor.name,
                grant.actor.role,
                escape_log(&String::from_utf8_lossy(&data[..data.len().min(ops::MAX_COMMAND)]))
            );
            self.running = Running::Busy;
            self.refuse(
                session,
                channel,
                &format!(
                    "skillbridge is an interactive screen: connect without a command (ssh -t -p PORT host). \
                     Commands (backup, check, export, import, audit) need a key with role=admin; {} is {}",
                    grant.actor.name, grant.actor.role
                ),
            )
            .await;
            return Ok(());
        }
        match Op::parse(data) {
            Ok(op) if op.reads_input() => {
                self.running = Running::Reading { op, input: Vec::new() };
            }
            Ok(op) => self.start_op(session, channel, op, Vec::new()),
            Err(usage) => {
                self.running = Running::Busy;
                self.refuse(session, channel, &format!("skillbridge: {usage}")).await;
            }
        }
        Ok(())
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        let Some(grant) = self.may_start(channel, session)? else {
            return Ok(());
        };
        let Some(size) = self.pty else {
            self.running = Running::Busy;
            let why = if grant.options.pty {
                "skillbridge needs a terminal: connect with ssh -t (a PTY was not requested)"
            } else {
                "skillbridge needs a terminal, and this key's options (no-pty or restrict) allow none"
            };
            self.refuse(session, channel, why).await;
            return Ok(());
        };
        let (input, rx) = input_queue();
        self.shared.screen_started(self.id, input.ender());
        self.running = Running::Screen(input);
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
        let actor = grant.actor;
        let name = actor.name.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("session-{name}"))
            .spawn(move || {
                shared.sessions.fetch_add(1, Ordering::AcqRel);
                let out = ChannelOut::new(out_tx.clone());
                let last_words = ChannelOut::new(out_tx);
                let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match actor.role {
                    Role::Kiosk => session::run_kiosk(settings, &actor.name, size, rx, out, last_words),
                    _ => session::run(settings, actor, size, rx, out, last_words),
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

    async fn data(&mut self, channel: ChannelId, data: &[u8], session: &mut Session) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        match &mut self.running {
            // Waits while the session's queue is full: the connection then
            // reads no more from the socket, and the client waits.
            Running::Screen(tx) => {
                tx.bytes(data).await;
            }
            Running::Reading { input, .. } => {
                if input.len() + data.len() > MAX_IMPORT_BYTES {
                    self.running = Running::Busy;
                    self.refuse(
                        session,
                        channel,
                        &format!(
                            "skillbridge: the file sent is larger than {} MB, the most an import over ssh takes",
                            MAX_IMPORT_BYTES >> 20
                        ),
                    )
                    .await;
                } else {
                    input.extend_from_slice(data);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn adjust_window(&mut self, _channel: ChannelId, _current: u32) -> u32 {
        if matches!(self.running, Running::Reading { .. }) {
            IMPORT_WINDOW
        } else {
            SCREEN_WINDOW
        }
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        let (w, h) = clamp_size(col_width, row_height);
        self.pty = Some((w, h));
        if let Running::Screen(tx) = &self.running {
            tx.resize(w, h);
        }
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        tracing::info!("connection {}: subsystem '{}' refused", self.id, escape_log(name));
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        match std::mem::replace(&mut self.running, Running::Busy) {
            Running::Screen(tx) => tx.close(),
            Running::Reading { op, input } => self.start_op(session, channel, op, input),
            other => self.running = other,
        }
        Ok(())
    }

    async fn channel_close(&mut self, channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        if !self.ours(channel) {
            return Ok(());
        }
        if let Running::Screen(tx) = &self.running {
            tx.close();
        }
        self.running = Running::Busy;
        Ok(())
    }
}
