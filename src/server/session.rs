//! One SSH connection's session: its own thread running the screen its key
//! allows (an operator's workspace or the public kiosk) over the shared
//! service, through the remote terminal driver. A panic ends this session
//! only.

use crate::i18n::Lang;
use crate::keymap::KeyMap;
use crate::service::Service;
use crate::service::access::Actor;
use crate::term::remote::{ChannelOut, Drive, InputRx, drive};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

pub struct Settings {
    pub svc: Arc<Service>,
    pub keymap: Arc<KeyMap>,
    pub lang: Lang,
    pub idle: Duration,
    pub stopping: Arc<AtomicBool>,
}

/// Run one operator's workspace until they quit, go idle, or the server
/// stops. Every command it runs is checked against `actor` (role and
/// districts) by the service.
pub fn run(settings: Settings, actor: Actor, size: (u16, u16), rx: InputRx, out: ChannelOut, last_words: ChannelOut) {
    let name = actor.name.clone();
    let screen = crate::tui::Workspace::background(settings.svc.clone(), settings.keymap.clone(), actor, settings.lang);
    let how = Drive {
        who: &name,
        idle: settings.idle,
        stopping: &settings.stopping,
    };
    drive(&how, screen, size, rx, out, last_words);
}

/// A kiosk key's screen: the public lobby view over the same live service.
/// No key ends it (the lobby machine must not drop to a shell); idle brings
/// it home; it ends when the client goes or the server stops.
pub fn run_kiosk(
    settings: Settings,
    kiosk: &str,
    size: (u16, u16),
    rx: InputRx,
    out: ChannelOut,
    last_words: ChannelOut,
) {
    use crate::service::public::PublicView;
    let view = PublicView::new(settings.svc.clone());
    let kiosk_settings = crate::kiosk::Settings {
        lang: settings.lang,
        exit_key: None,
        ..Default::default()
    };
    let searcher = Box::new(crate::kiosk::searcher::BackgroundSearcher::new(view.clone(), None));
    // Its one write: wishes into the inbox, as this kiosk (#25).
    let inbox = crate::service::wish::WishInbox::new(settings.svc.clone(), kiosk);
    let screen = crate::kiosk::Kiosk::new(view, kiosk_settings, searcher).with_inbox(inbox);
    let how = Drive {
        who: "kiosk",
        idle: settings.idle,
        stopping: &settings.stopping,
    };
    drive(&how, screen, size, rx, out, last_words);
}
