//! The SSH server with the real OpenSSH client under tmux: log in, search,
//! enroll; a second session sees the seat count change without a key; an
//! unknown key is refused; a PTY is required; SIGTERM stops cleanly.

use crate::common;

use common::ssh::*;
use common::tmux::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// "余位/容量" of the row of `class` on a classes screen.
fn seats_of(screen: &str, class: &str) -> Option<String> {
    screen
        .lines()
        .filter(|l| l.contains(class) && l.contains('│'))
        .find_map(|line| {
            line.split_whitespace()
                .find(|w| {
                    let mut parts = w.split('/');
                    let ok =
                        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
                    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
                })
                .map(str::to_string)
        })
}

#[test]
fn two_operators_over_ssh() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let op = keygen(dir.path(), "wang");
    let _stranger = keygen(dir.path(), "stranger");
    let lobby = keygen(dir.path(), "lobby");
    let keys = dir.path().join("authorized_keys");
    std::fs::write(
        &keys,
        format!("# operators\n{op} wang.fang\nnot a key line\n{lobby} lobby-1 role=kiosk\n"),
    )
    .unwrap();
    let host_key = dir.path().join("host_key");
    let mut server = serve(&db, &keys, &host_key);
    let fingerprint = std::fs::read_to_string(&host_key).unwrap();

    let a = Tmux::start("ssh-a", &ssh_cmd(&dir.path().join("wang"), server.port), 120, 40);
    let b = Tmux::start("ssh-b", &ssh_cmd(&dir.path().join("wang"), server.port), 120, 40);
    a.wait_for("岗位需求");
    b.wait_for("岗位需求");
    a.text("hg");
    a.wait_for("▶焊工");
    a.keys(&["C-p"]);
    let s = a.wait_for("同工种");
    let class = s
        .lines()
        .find_map(|l| l.split('▶').nth(1))
        .and_then(|r| r.split_whitespace().next())
        .expect("a selected class")
        .to_string();
    b.keys(&["M-2"]);
    b.wait_for("余位/容量");
    b.text(&format!("'{class}"));
    let start = Instant::now();
    let before = loop {
        if let Some(s) = seats_of(&b.screen(), &class) {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no row for {class}:\n{}",
            b.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    a.keys(&["Enter"]);
    a.wait_for("选择学员报名");
    a.keys(&["Enter"]);
    a.wait_for("请确认");
    a.keys(&["y"]);
    a.wait_for("已报名：");
    // No key pressed in b: its screen changes by itself.
    let start = Instant::now();
    let after = loop {
        let now = seats_of(&b.screen(), &class);
        if now.as_deref() != Some(before.as_str()) {
            break now;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "b still shows {before}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let left = |s: &str| s.split('/').next().unwrap().parse::<u32>().unwrap();
    assert_eq!(left(after.as_deref().unwrap()) + 1, left(&before));

    // A kiosk key gets the kiosk screen, not the operators' tabs.
    let k = Tmux::start("ssh-kiosk", &ssh_cmd(&dir.path().join("lobby"), server.port), 80, 24);
    let screen = k.wait_for("找培训、找工作");
    assert!(!screen.contains("服务记录") && !screen.contains("学员"), "{screen}");
    k.keys(&["C-c"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        k.screen().contains("找培训、找工作"),
        "ctrl-c must not end a kiosk session"
    );
    drop(k);

    // An unknown key is refused.
    let out = Command::new("ssh")
        .args(SSH_OPTS.split_whitespace())
        .arg("-i")
        .arg(dir.path().join("stranger"))
        .args(["-p", &server.port.to_string(), "x@127.0.0.1", "true"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
        "{out:?}"
    );
    // Without a PTY: a one-line explanation.
    let out = Command::new("ssh")
        .arg("-T")
        .args(SSH_OPTS.split_whitespace())
        .arg("-i")
        .arg(dir.path().join("wang"))
        .args(["-p", &server.port.to_string(), "x@127.0.0.1"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("needs a terminal"),
        "{out:?}"
    );
    // A local open of the held database says how to connect.
    let out = Command::new(bin()).args(["stats", "--db"]).arg(&db).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("ssh -p {}", server.port)), "{err}");

    // SIGTERM: sessions are told, the server stops and the database checks clean.
    let st = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    a.wait_for("server is stopping");
    let start = Instant::now();
    loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            assert!(code.success(), "{code:?}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
    let check = Command::new(bin()).args(["check", "--db"]).arg(&db).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Same host key on the next start.
    let again = serve(&db, &keys, &host_key);
    assert_eq!(std::fs::read_to_string(&host_key).unwrap(), fingerprint);
    drop(again);
}
