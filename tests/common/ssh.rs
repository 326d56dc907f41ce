//! The SSH server run as the real binary for the e2e tests, and the
//! OpenSSH client command that logs in to it.

use super::tmux::{bin, shell_quote};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const SSH_OPTS: &str = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR";

pub fn keygen(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen is needed: apt-get install openssh-client");
    assert!(st.success());
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    public.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

pub struct Served {
    pub child: Child,
    pub port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(db: &Path, keys: &Path, host_key: &Path) -> Served {
    let mut child = Command::new(bin())
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .arg("--authorized-keys")
        .arg(keys)
        .arg("--host-key")
        .arg(host_key)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = child.stderr.take().unwrap();
    let mut lines = BufReader::new(err).lines();
    let mut port = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("connect: ssh -t -p ") {
            port = rest.split_whitespace().next().unwrap().parse().unwrap();
            break;
        }
    }
    assert!(port > 0, "the server did not say where it listens");
    std::thread::spawn(move || for _ in lines {});
    Served { child, port }
}

pub fn ssh_cmd(key: &Path, port: u16) -> String {
    format!("ssh -t {SSH_OPTS} -i {} -p {port} op@127.0.0.1", shell_quote(key))
}
