#![allow(dead_code)]
//! Drive the real binary in tmux: send keys, wait for text on screen.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub name: String,
}

pub fn require_tmux() {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "tmux is required for the end-to-end tests: apt-get install tmux (.ci/run does)"
    );
}

impl Tmux {
    /// Start `cmd` in a detached session of the given size.
    pub fn start(tag: &str, cmd: &str, w: u16, h: u16) -> Tmux {
        require_tmux();
        let name = format!("sb-{tag}-{}", std::process::id());
        let _ = Command::new("tmux").args(["kill-session", "-t", &name]).output();
        let st = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
            ])
            .arg(format!("{cmd}; echo EXITED $?; sleep 30"))
            .env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .status()
            .unwrap();
        assert!(st.success(), "tmux new-session failed");
        Tmux { name }
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen contains `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("'{text}' did not appear; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Send keys as tmux names them (`C-p`, `Enter`, `Escape`).
    pub fn keys(&self, keys: &[&str]) {
        let st = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Type literal text.
    pub fn text(&self, text: &str) {
        let st = Command::new("tmux")
            .args(["send-keys", "-l", "-t", &self.name, text])
            .status()
            .unwrap();
        assert!(st.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.name]).output();
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_skillbridge")
}

pub fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}
