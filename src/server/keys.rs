//! Who may connect: an authorized-keys file in OpenSSH's format whose
//! comment names the operator and may set the role:
//!
//! ```text
//! ssh-ed25519 AAAA… wang.fang
//! ssh-ed25519 AAAA… lobby-1 role=kiosk
//! ```
//!
//! A malformed line is reported with its line number and skipped; the file
//! is read again whenever it changes.

use russh::keys::PublicKey;
use russh::keys::ssh_key::public::KeyData;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operator,
    Kiosk,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

const KEY_TYPES: [&str; 8] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss",
];

/// Parse the file's text: the keys it grants and every problem, by line.
pub fn parse(text: &str) -> (Vec<(KeyData, Person)>, Vec<Problem>) {
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let n = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words: Vec<&str> = line.split_whitespace().collect();
        // OpenSSH allows options before the key type; none are honoured here.
        if let Some(pos) = words.iter().position(|w| KEY_TYPES.contains(w)) {
            if pos > 0 {
                problems.push(Problem {
                    line: n,
                    message: format!("options '{}' are ignored", words[..pos].join(" ")),
                });
            }
            words.drain(..pos);
        } else {
            problems.push(Problem {
                line: n,
                message: format!(
                    "no key type: expected a line like 'ssh-ed25519 AAAA… name [role=kiosk]'; types: {}",
                    KEY_TYPES.join(", ")
                ),
            });
            continue;
        }
        if words.len() < 2 {
            problems.push(Problem {
                line: n,
                message: "the key data is missing after the key type".into(),
            });
            continue;
        }
        let key = match PublicKey::from_openssh(&format!("{} {}", words[0], words[1])) {
            Ok(k) => k,
            Err(e) => {
                problems.push(Problem {
                    line: n,
                    message: format!("the key does not decode: {e}"),
                });
                continue;
            }
        };
        let comment = &words[2..];
        let mut name = None;
        let mut role = Role::Operator;
        let mut bad = None;
        for w in comment {
            match w.strip_prefix("role=") {
                Some("operator") => role = Role::Operator,
                Some("kiosk") => role = Role::Kiosk,
                Some(other) => bad = Some(format!("unknown role '{other}': expected role=operator or role=kiosk")),
                None if name.is_none() => name = Some(w.to_string()),
                None => {}
            }
        }
        if let Some(m) = bad {
            problems.push(Problem { line: n, message: m });
            continue;
        }
        let Some(name) = name else {
            problems.push(Problem {
                line: n,
                message: "no operator name: put it in the comment after the key (e.g. 'wang.fang')".into(),
            });
            continue;
        };
        keys.push((key.key_data().clone(), Person { name, role }));
    }
    (keys, problems)
}

struct Loaded {
    modified: Option<SystemTime>,
    keys: Vec<(KeyData, Person)>,
}

/// The authorized keys, read again when the file changes.
pub struct KeyRing {
    path: PathBuf,
    loaded: Mutex<Loaded>,
}

impl KeyRing {
    /// Read the file; its problems are returned for the operator to see.
    pub fn open(path: &Path) -> std::io::Result<(KeyRing, Vec<Problem>)> {
        let text = std::fs::read_to_string(path)?;
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let (keys, problems) = parse(&text);
        Ok((
            KeyRing {
                path: path.to_path_buf(),
                loaded: Mutex::new(Loaded { modified, keys }),
            },
            problems,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn refresh(&self) {
        let modified = std::fs::metadata(&self.path).and_then(|m| m.modified()).ok();
        let Ok(mut l) = self.loaded.lock() else { return };
        if modified == l.modified {
            return;
        }
        match std::fs::read_to_string(&self.path) {
            Ok(text) => {
                let (keys, problems) = parse(&text);
                for p in problems {
                    tracing::warn!("{}:{}: {}", self.path.display(), p.line, p.message);
                }
                tracing::info!("re-read {} ({} keys)", self.path.display(), keys.len());
                l.keys = keys;
                l.modified = modified;
            }
            Err(e) => tracing::warn!(
                "cannot re-read {}: {e}; keeping the keys read before",
                self.path.display()
            ),
        }
    }

    /// Who this key belongs to, if anyone.
    pub fn lookup(&self, key: &PublicKey) -> Option<Person> {
        self.refresh();
        let l = self.loaded.lock().ok()?;
        l.keys.iter().find(|(k, _)| k == key.key_data()).map(|(_, p)| p.clone())
    }

    pub fn len(&self) -> usize {
        self.loaded.lock().map(|l| l.keys.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGOuOjAwGSL1PQhDxC6s42NpdkSUXdaDNibQfDUdTXr0";

    #[test]
    fn names_roles_and_problems_by_line() {
        let text = format!(
            "# operators\n{K1} wang.fang\n\n{K1} lobby-1 role=kiosk\nssh-ed25519 AAAA-broken li\nrsa-ssh AAAA x\n{K1}\n{K1} zhang role=boss\n"
        );
        let (keys, problems) = parse(&text);
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys[0].1,
            Person {
                name: "wang.fang".into(),
                role: Role::Operator
            }
        );
        assert_eq!(
            keys[1].1,
            Person {
                name: "lobby-1".into(),
                role: Role::Kiosk
            }
        );
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![5, 6, 7, 8], "{problems:?}");
        assert!(problems[0].message.contains("does not decode"));
        assert!(problems[1].message.contains("no key type"));
        assert!(problems[2].message.contains("no operator name"));
        assert!(problems[3].message.contains("unknown role 'boss'"));
    }
}
