//! Training wishes over SSH (#25), the real binary and the OpenSSH client
//! under tmux: a `role=kiosk` session registers wishes; an operator's
//! callback queue shows the new one without a key pressed; the operator
//! registers the person as a trainee (the intake prefilled) and enrolls
//! them; `report`'s `training_wishes` is not what it was.

use crate::common;

use common::ssh::*;
use common::tmux::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn training_wishes(db: &Path) -> serde_json::Value {
    let out = Command::new(bin())
        .args(["report", "--format", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["training_wishes"].clone()
}

/// The receipt number a kiosk screen shows (`Y41`).
fn receipt(screen: &str) -> Option<String> {
    let at = screen.find("回执号：")?;
    let rest = &screen[at + "回执号：".len()..];
    let n: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    (n.len() > 1).then_some(n)
}

/// One wish at the kiosk from the page open now (a class or a job).
fn wish_at(k: &Tmux, name: &str, mobile: &str) -> String {
    k.keys(&["w"]);
    k.wait_for("培训意向登记");
    k.text(name);
    k.keys(&["Down"]);
    k.text(mobile);
    for _ in 0..4 {
        k.keys(&["Down"]);
    }
    k.keys(&["Space"]);
    k.wait_for("[x]");
    k.keys(&["Enter"]);
    let s = k.wait_for("回执号：");
    assert!(
        !s.contains(name) && !s.contains(mobile),
        "the receipt shows the wish:\n{s}"
    );
    receipt(&s).unwrap_or_else(|| panic!("no receipt number:\n{s}"))
}

#[test]
fn a_kiosk_wish_is_called_back_registered_and_enrolled() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 300);
    let before = training_wishes(&db);
    assert!(before.as_array().is_some_and(|a| !a.is_empty()), "{before}");
    let op = keygen(dir.path(), "wang");
    let lobby = keygen(dir.path(), "lobby");
    let keys = dir.path().join("authorized_keys");
    std::fs::write(&keys, format!("{op} wang.fang\n{lobby} lobby-1 role=kiosk\n")).unwrap();
    let host_key = dir.path().join("host_key");
    let mut server = serve(&db, &keys, &host_key);

    // The operator opens the callback queue first.
    let a = Tmux::start("wish-op", &ssh_cmd(&dir.path().join("wang"), server.port), 130, 100);
    a.wait_for("岗位需求");
    a.keys(&["F7"]);
    let s = a.wait_for("条未办结");
    let open_before = s
        .split("培训意向回电：")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .expect("the queue's count");

    // The kiosk: a wish from the first open class, one from the first job.
    let k = Tmux::start("wish-kiosk", &ssh_cmd(&dir.path().join("lobby"), server.port), 80, 24);
    k.wait_for("找培训、找工作");
    k.keys(&["1"]);
    k.wait_for("返回首页");
    k.keys(&["Enter"]);
    k.wait_for("想报名");
    let first = wish_at(&k, "柏青禾", "13600000051");
    k.keys(&["Escape"]);
    k.wait_for("找培训、找工作");
    k.keys(&["2"]);
    k.wait_for("返回首页");
    k.keys(&["Enter"]);
    k.wait_for("空缺");
    let second = wish_at(&k, "柏青松", "13600000052");
    assert_ne!(first, second);

    // No key pressed in the operator's session: the queue shows both.
    let s = a.wait_for(&format!("{} 条未办结", open_before + 2));
    assert!(s.contains(&format!("{first} ")), "{s}");
    // Down to the first kiosk wish (its row's place in the list).
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| l.starts_with("│ Y") || l.starts_with("│▶Y"))
        .collect();
    let at = rows
        .iter()
        .position(|l| l.contains(&format!("Y{} ", first.trim_start_matches('Y'))))
        .unwrap_or_else(|| panic!("{first} not in the rows:\n{s}"));
    for _ in 0..at {
        a.keys(&["Down"]);
    }
    let start = Instant::now();
    while !a.screen().lines().any(|l| l.starts_with(&format!("│▶{first} "))) {
        assert!(start.elapsed() < Duration::from_secs(5), "{}", a.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    // Registered as a trainee: the intake, prefilled from the wish.
    a.keys(&["r"]);
    let s = a.wait_for("新学员登记");
    assert!(s.contains("柏青禾") && s.contains("13600000051"), "{s}");
    a.keys(&["Down"]);
    a.text("320106199001011238");
    a.keys(&["C-s"]);
    a.wait_for("已保存：柏青禾");
    a.wait_for("待报名");
    // Enrolled in a class of the trade.
    a.keys(&["e"]);
    a.wait_for("选择培训班");
    a.keys(&["Enter"]);
    a.wait_for("已报名入班");
    a.wait_for(&format!("{} 条未办结", open_before + 1));
    drop(a);
    drop(k);

    // Stopped cleanly, the report's training wishes are not what they were.
    Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    let _ = server.child.wait();
    let after = training_wishes(&db);
    assert_ne!(before, after, "training_wishes did not change");
    let out = Command::new(bin()).args(["check", "--db"]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}
