//! Who may connect: an authorized-keys file read as strictly as sshd reads
//! one. A line is `[OPTIONS] KEYTYPE BASE64 NAME [role=ROLE] [districts=CODES]`:
//!
//! ```text
//! ssh-ed25519 AAAA… wang.fang
//! ssh-ed25519 AAAA… zhao.lei districts=321181,321183
//! ssh-ed25519 AAAA… li.na role=supervisor
//! from="10.1.0.0/16",expiry-time="20261231" ssh-ed25519 AAAA… ops role=admin
//! restrict ssh-ed25519 AAAA… lobby-1 role=kiosk
//! ```
//!
//! - Options are honoured or the line is refused: `from=` (IP patterns
//!   with `*`, `?`, `!` and CIDR, as sshd; host names never match, since
//!   no name is looked up), `expiry-time=`, `no-pty`, `restrict` (no PTY
//!   unless `pty` follows), `pty`, and the forwarding options sshd knows
//!   (`no-port-forwarding`, `no-agent-forwarding`, `no-X11-forwarding`,
//!   `no-user-rc`: forwarding is refused to every key anyway). Any other
//!   option (`command=`, `environment=`, `permitopen=`…) refuses the line.
//! - The comment's words are the settings of `domain::access::parse_settings`:
//!   a name, then only exact `role=` and `districts=` words; a repeated or
//!   unknown word refuses the line. Without `role=` the role is `operator`.
//! - The same key on two lines refuses both.
//! - Every refused line is reported with its number, and its key does not
//!   log in. A file that cannot be read (missing, unreadable, writable by
//!   other users) revokes every key until it can be read again.
//!
//! The ring is read again when the file changes; the server checks the
//! live sessions against it every second and ends those whose key is gone
//! or changed.

use crate::service::access::{Actor, Role, parse_settings};
use russh::keys::PublicKey;
use russh::keys::ssh_key::public::KeyData;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// A line of the file that does not grant anything, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// One pattern of a `from=` list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FromPattern {
    /// An address with `*` and `?` wildcards (a host name never matches).
    Glob(String),
    /// An address block, `10.1.0.0/16`.
    Cidr(IpAddr, u8),
}

/// What the options of a key's line allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOptions {
    /// `from=`: (negated, pattern); empty means from anywhere.
    from: Vec<(bool, FromPattern)>,
    /// `expiry-time=`: refused at and after this moment.
    pub expires: Option<SystemTime>,
    /// False after `no-pty`, or `restrict` without `pty`.
    pub pty: bool,
}

impl Default for KeyOptions {
    fn default() -> Self {
        KeyOptions {
            from: Vec::new(),
            expires: None,
            pty: true,
        }
    }
}

/// A key the file grants, with who it is and what its options allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub key: KeyData,
    pub actor: Actor,
    pub options: KeyOptions,
    pub line: usize,
}

/// Why a key that is in the file does not log in now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotListed,
    From { line: usize, peer: String },
    Expired { line: usize },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotListed => f.write_str("not in the authorized keys"),
            Refusal::From { line, peer } => write!(f, "line {line} allows it only from= other addresses than {peer}"),
            Refusal::Expired { line } => write!(f, "line {line}'s expiry-time has passed"),
        }
    }
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

/// The longest line read: a key line is a few hundred bytes (an RSA key
/// of 16384 bits is under 3 KB).
const MAX_LINE: usize = 16 * 1024;

/// Split off the first word, where a word ends at whitespace outside
/// double quotes (sshd's rule for the options field).
fn first_word(line: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return (&line[..i], line[i..].trim_start_matches([' ', '\t'])),
            _ => {}
        }
    }
    (line, "")
}

/// `name` or `name="value"` items of an options field, split on commas
/// outside quotes. `Err` names what is malformed.
fn split_options(field: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut rest = field;
    while !rest.is_empty() {
        let name_end = rest.find([',', '=']).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("an empty option in '{field}'"));
        }
        rest = &rest[name_end..];
        let mut value = None;
        if let Some(r) = rest.strip_prefix('=') {
            let Some(r) = r.strip_prefix('"') else {
                return Err(format!("option '{name}=' needs its value in double quotes"));
            };
            let mut v = String::new();
            let mut chars = r.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some((_, '"')) => v.push('"'),
                        Some((_, other)) => {
                            v.push('\\');
                            v.push(other);
                        }
                        None => break,
                    },
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => v.push(c),
                }
            }
            let Some(end) = end else {
                return Err(format!("option '{name}=' has no closing double quote"));
            };
            value = Some(v);
            rest = &r[end..];
        }
        out.push((name, value));
        match rest.strip_prefix(',') {
            Some("") => return Err(format!("a trailing comma in '{field}'")),
            Some(r) => rest = r,
            None if rest.is_empty() => {}
            None => return Err(format!("unexpected '{rest}' after an option")),
        }
    }
    Ok(out)
}

fn parse_from(list: &str) -> Result<Vec<(bool, FromPattern)>, String> {
    let mut out = Vec::new();
    for p in list.split(',') {
        let (neg, p) = match p.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, p),
        };
        if p.is_empty() {
            return Err(format!("from=\"{list}\" has an empty pattern"));
        }
        if let Some((addr, bits)) = p.split_once('/') {
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("from= pattern '{p}' is not an address block like 10.1.0.0/16"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits: u8 = bits
                .parse()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(|| format!("from= pattern '{p}': the prefix length must be 0 to {max}"))?;
            out.push((neg, FromPattern::Cidr(addr, bits)));
        } else if p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '*' | '?' | '-' | '_'))
        {
            out.push((neg, FromPattern::Glob(p.to_ascii_lowercase())));
        } else {
            return Err(format!("from= pattern '{p}' has a character sshd patterns do not"));
        }
    }
    Ok(out)
}

/// sshd's `expiry-time` value: `YYYYMMDD[HHMM[SS]]` in the server's local
/// time, or in UTC with a trailing `Z`.
fn parse_expiry(v: &str) -> Result<SystemTime, String> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    let bad = || format!("expiry-time=\"{v}\" is not YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (Z for UTC)");
    let (digits, utc) = match v.strip_suffix('Z') {
        Some(d) => (d, true),
        None => (v, false),
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<u32>().ok());
    let (h, mi, s) = match digits.len() {
        8 => (0, 0, 0),
        12 => (num(8..10).ok_or_else(bad)?, num(10..12).ok_or_else(bad)?, 0),
        14 => (
            num(8..10).ok_or_else(bad)?,
            num(10..12).ok_or_else(bad)?,
            num(12..14).ok_or_else(bad)?,
        ),
        _ => return Err(bad()),
    };
    let year = num(0..4).ok_or_else(bad)? as i32;
    let date = NaiveDate::from_ymd_opt(year, num(4..6).ok_or_else(bad)?, num(6..8).ok_or_else(bad)?).ok_or_else(bad)?;
    let at: NaiveDateTime = date.and_hms_opt(h, mi, s).ok_or_else(bad)?;
    let secs = if utc {
        at.and_utc().timestamp()
    } else {
        chrono::Local
            .from_local_datetime(&at)
            .earliest()
            .ok_or_else(bad)?
            .timestamp()
    };
    let secs = u64::try_from(secs).map_err(|_| bad())?;
    Ok(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

fn parse_options(field: &str) -> Result<KeyOptions, String> {
    let mut o = KeyOptions::default();
    let mut restrict = false;
    let mut pty_again = false;
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in split_options(field)? {
        if seen.contains(&name) {
            return Err(format!("option '{name}' is given twice"));
        }
        seen.push(name.clone());
        let need_value = |v: Option<String>| v.ok_or_else(|| format!("option '{name}' needs a value: {name}=\"…\""));
        match name.as_str() {
            "from" => o.from = parse_from(&need_value(value)?)?,
            "expiry-time" => o.expires = Some(parse_expiry(&need_value(value)?)?),
            "no-pty"
            | "restrict"
            | "pty"
            | "no-port-forwarding"
            | "no-agent-forwarding"
            | "no-x11-forwarding"
            | "no-user-rc"
                if value.is_some() =>
            {
                return Err(format!("option '{name}' takes no value"));
            }
            "no-pty" => o.pty = false,
            "restrict" => restrict = true,
            "pty" => pty_again = true,
            // Forwarding and ~/.ssh/rc are refused to every key.
            "no-port-forwarding" | "no-agent-forwarding" | "no-x11-forwarding" | "no-user-rc" => {}
            other => {
                return Err(format!(
                    "option '{other}' is not supported here (skillbridge honours from=, expiry-time=, restrict, pty, no-pty and the no-*-forwarding options); remove it or the key cannot log in"
                ));
            }
        }
    }
    if restrict && !pty_again {
        o.pty = false;
    }
    if seen.iter().any(|n| n == "no-pty") && pty_again {
        return Err("options 'no-pty' and 'pty' contradict each other".into());
    }
    Ok(o)
}

/// One line: its key and settings, or why it is refused.
fn parse_line(line: &str) -> Result<(KeyData, Actor, KeyOptions), String> {
    if line.len() > MAX_LINE {
        return Err(format!(
            "the line is {} bytes long, more than any key line ({MAX_LINE})",
            line.len()
        ));
    }
    let (first, rest) = first_word(line);
    let (options, rest) = if KEY_TYPES.contains(&first) {
        (KeyOptions::default(), line)
    } else {
        let (ty, _) = first_word(rest);
        if !KEY_TYPES.contains(&ty) {
            // A broken options field says what is broken in it.
            if first.contains(['"', '=']) {
                parse_options(first)?;
            }
            return Err(format!(
                "no key type: expected a line like 'ssh-ed25519 AAAA… name [role=ROLE] [districts=CODES]' (types: {})",
                KEY_TYPES.join(", ")
            ));
        }
        (parse_options(first)?, rest)
    };
    let (ty, rest) = first_word(rest);
    let (data, comment) = first_word(rest);
    if data.is_empty() {
        return Err("the key data is missing after the key type".into());
    }
    let key = PublicKey::from_openssh(&format!("{ty} {data}")).map_err(|e| format!("the key does not decode: {e}"))?;
    let words: Vec<&str> = comment.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    let actor = parse_settings(&words, None, Role::Operator).map_err(|e| e.to_string())?;
    Ok((key.key_data().clone(), actor, options))
}

/// Parse the file's text: the keys it grants and every refused line.
pub fn parse(text: &str) -> (Vec<Grant>, Vec<Problem>) {
    let mut grants: Vec<Grant> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_matches([' ', '\t', '\r']);
        let n = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok((key, actor, options)) => grants.push(Grant {
                key,
                actor,
                options,
                line: n,
            }),
            Err(message) => problems.push(Problem { line: n, message }),
        }
    }
    // The same key twice: which line holds is a guess, so neither does.
    let mut dup: Vec<usize> = Vec::new();
    for (i, g) in grants.iter().enumerate() {
        if let Some(other) = grants.iter().enumerate().find(|(j, o)| *j != i && o.key == g.key) {
            problems.push(Problem {
                line: g.line,
                message: format!(
                    "the same key is on line {} too: both lines are refused until one is removed",
                    other.1.line
                ),
            });
            dup.push(i);
        }
    }
    let mut i = 0;
    grants.retain(|_| {
        i += 1;
        !dup.contains(&(i - 1))
    });
    problems.sort_by_key(|p| p.line);
    (grants, problems)
}

fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative wildcard match with one backtrack point.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn in_block(addr: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

impl KeyOptions {
    /// sshd's rule: a negated pattern that matches refuses; otherwise some
    /// pattern must match. An unknown peer matches nothing.
    fn allows_from(&self, peer: Option<IpAddr>) -> bool {
        if self.from.is_empty() {
            return true;
        }
        let Some(peer) = peer else { return false };
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(peer),
            v4 => v4,
        };
        let text = peer.to_string();
        let mut allowed = false;
        for (neg, p) in &self.from {
            let hit = match p {
                FromPattern::Glob(g) => glob(g, &text),
                FromPattern::Cidr(net, bits) => in_block(peer, *net, *bits),
            };
            if hit && *neg {
                return false;
            }
            allowed |= hit;
        }
        allowed
    }
}

/// What identifies the file's content on disk, to notice a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: m.modified().ok(),
        len: m.len(),
        inode,
    })
}

/// Read the file if it may be trusted: a regular file (links followed)
/// no other user may write. `Err` says why not.
pub fn read_trusted(path: &Path) -> Result<String, String> {
    crate::paths::check_not_writable_by_others(path).map_err(|e| e.to_string())?;
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(text).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

struct Loaded {
    stamp: Option<Stamp>,
    grants: Vec<Grant>,
    /// Set while the file cannot be read: nobody is let in.
    unreadable: Option<String>,
}

/// The authorized keys, read again when the file changes.
pub struct KeyRing {
    path: PathBuf,
    loaded: Mutex<Loaded>,
}

impl KeyRing {
    /// Read the file; its refused lines are returned for the operator to see.
    pub fn open(path: &Path) -> Result<(KeyRing, Vec<Problem>), String> {
        let stamp = stamp(path);
        let text = read_trusted(path)?;
        let (grants, problems) = parse(&text);
        Ok((
            KeyRing {
                path: path.to_path_buf(),
                loaded: Mutex::new(Loaded {
                    stamp,
                    grants,
                    unreadable: None,
                }),
            },
            problems,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the file again if it changed. A file that cannot be read (or
    /// may not be trusted) revokes every key until it can.
    pub fn refresh(&self) {
        let now = stamp(&self.path);
        let Ok(mut l) = self.loaded.lock() else { return };
        if now.is_some() && now == l.stamp && l.unreadable.is_none() {
            return;
        }
        match read_trusted(&self.path) {
            Ok(text) => {
                let (grants, problems) = parse(&text);
                for p in problems {
                    tracing::warn!(
                        "{}",
                        crate::paths::escape_log(&format!(
                            "{}:{}: {} (this line grants nothing)",
                            self.path.display(),
                            p.line,
                            p.message
                        ))
                    );
                }
                tracing::info!("read {} ({} keys)", self.path.display(), grants.len());
                l.grants = grants;
                l.unreadable = None;
                l.stamp = now;
            }
            Err(why) => {
                if l.unreadable.as_deref() != Some(why.as_str()) {
                    tracing::error!("{why}: every key is revoked until the file can be read");
                    eprintln!("skillbridge: {why}: every key is revoked until the file can be read");
                }
                l.grants.clear();
                l.unreadable = Some(why);
                l.stamp = now;
            }
        }
    }

    /// Who this key belongs to, if it may log in from `peer` now.
    pub fn lookup(&self, key: &PublicKey, peer: Option<SocketAddr>) -> Result<Grant, Refusal> {
        self.refresh();
        self.check(key.key_data(), peer)
    }

    /// The grant for a key as the ring holds it now, without reading the
    /// file again (the watcher reads it once for every session).
    pub fn check(&self, key: &KeyData, peer: Option<SocketAddr>) -> Result<Grant, Refusal> {
        let l = self.loaded.lock().map_err(|_| Refusal::NotListed)?;
        let g = l.grants.iter().find(|g| &g.key == key).ok_or(Refusal::NotListed)?;
        if !g.options.allows_from(peer.map(|p| p.ip())) {
            return Err(Refusal::From {
                line: g.line,
                peer: peer
                    .map(|p| p.ip().to_string())
                    .unwrap_or_else(|| "an unknown address".into()),
            });
        }
        if g.options.expires.is_some_and(|t| SystemTime::now() >= t) {
            return Err(Refusal::Expired { line: g.line });
        }
        Ok(g.clone())
    }

    pub fn len(&self) -> usize {
        self.loaded.lock().map(|l| l.grants.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGOuOjAwGSL1PQhDxC6s42NpdkSUXdaDNibQfDUdTXr0";
    const K2: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMGPsrk/I2AJyI7nSmJPFozkEtG++c75rVmmZ3fMP7FW";

    fn addr(s: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(s.parse().unwrap(), 40000))
    }

    #[test]
    fn names_roles_and_problems_by_line() {
        let text = format!(
            "# operators\n{K1} wang.fang\n\n{K2} lobby-1 role=kiosk\nssh-ed25519 AAAA-broken li\nrsa-ssh AAAA x\n{K1}\n{K1} zhang role=boss\n"
        );
        let (keys, problems) = parse(&text);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![5, 6, 7, 8], "{problems:?}");
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert_eq!(keys[0].actor, Actor::operator("wang.fang"));
        assert_eq!(keys[1].actor, Actor::new("lobby-1", Role::Kiosk));
        assert!(problems[0].message.contains("does not decode"));
        assert!(problems[1].message.contains("no key type"));
        assert!(problems[2].message.contains("no name"));
        assert!(problems[3].message.contains("unknown role 'boss'"));
    }

    #[test]
    fn a_kiosk_key_cannot_become_an_operator() {
        for comment in [
            "lobby-4 role=kiosk role=operator",
            "lobby-4 Role=kiosk",
            "lobby-4 role:kiosk",
            "lobby-4 r\u{3bf}le=kiosk",
            "lobby-4 role=kiosk\u{a0}role=operator",
        ] {
            let (keys, problems) = parse(&format!("{K1} {comment}\n"));
            assert!(keys.is_empty(), "{comment}: {keys:?}");
            assert_eq!(problems.len(), 1, "{comment}");
            assert_eq!(problems[0].line, 1);
        }
    }

    #[test]
    fn the_same_key_twice_refuses_both_lines() {
        let (keys, problems) = parse(&format!("{K1} a\n{K2} b\n{K1} c role=kiosk\n"));
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].actor.name, "b");
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), vec![1, 3]);
        assert!(problems[0].message.contains("line 3"), "{problems:?}");
    }

    #[test]
    fn options_are_honoured_or_the_line_is_refused() {
        let (keys, problems) = parse(&format!("from=\"10.0.0.1\" {K1} a\nrestrict {K2} b role=kiosk\n"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!keys[0].options.allows_from(addr("127.0.0.1").map(|a| a.ip())));
        assert!(keys[0].options.allows_from(addr("10.0.0.1").map(|a| a.ip())));
        assert!(!keys[1].options.pty, "restrict takes the PTY away");
        for (opts, want) in [
            ("command=\"/bin/false\",no-pty,restrict", "'command' is not supported"),
            ("environment=\"A=B\"", "'environment' is not supported"),
            ("from=10.0.0.1", "double quotes"),
            ("from=\"10.0.0.1", "closing double quote"),
            ("from=\"10.0.0.0/33\"", "prefix length"),
            ("expiry-time=\"2026\"", "expiry-time"),
            ("no-pty,no-pty", "given twice"),
            ("no-pty,", "trailing comma"),
            ("no-pty,pty", "contradict"),
        ] {
            let (keys, problems) = parse(&format!("{opts} {K1} a\n"));
            assert!(keys.is_empty(), "{opts}");
            assert!(problems[0].message.contains(want), "{opts}: {problems:?}");
        }
        let (keys, _) = parse(&format!("restrict,pty,no-agent-forwarding {K1} a\n"));
        assert!(keys[0].options.pty);
    }

    #[test]
    fn from_patterns_follow_sshd() {
        let o = |list: &str| KeyOptions {
            from: parse_from(list).unwrap(),
            ..Default::default()
        };
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(o("10.1.*").allows_from(ip("10.1.2.3")));
        assert!(!o("10.1.*").allows_from(ip("10.2.2.3")));
        assert!(o("10.0.0.0/8,!10.9.9.9").allows_from(ip("10.1.1.1")));
        assert!(!o("10.0.0.0/8,!10.9.9.9").allows_from(ip("10.9.9.9")));
        assert!(
            !o("!10.9.9.9").allows_from(ip("1.2.3.4")),
            "a negation alone allows nobody"
        );
        assert!(o("127.0.0.?").allows_from(ip("::ffff:127.0.0.1")));
        assert!(!o("office.example.com").allows_from(ip("127.0.0.1")));
        assert!(!o("*").allows_from(None));
    }

    #[test]
    fn expiry_times_are_honoured() {
        let (keys, problems) = parse(&format!(
            "expiry-time=\"20000101\" {K1} a\nexpiry-time=\"209912312359Z\" {K2} b\n"
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(keys[0].options.expires.is_some_and(|t| t < SystemTime::now()));
        assert!(keys[1].options.expires.is_some_and(|t| t > SystemTime::now()));
    }
}
