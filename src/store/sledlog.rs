//! sled 0.34's files read without sled, for `salvage`: a damaged database
//! can make sled loop forever, allocate without bound or panic, and sled
//! rewrites the end of its log when it opens one it thinks was torn. This
//! reader only reads, and every length it meets is checked against the
//! bytes that hold it.
//!
//! What it reads (sled 0.34.7's formats):
//! - `conf`: `segment_size: N` (else sled's default, 512 KiB).
//! - `snap.<lsn>`: the page table as of a log position (each page's base
//!   and fragments as (lsn, file offset)), a CRC-32 at its end.
//! - `db`: segments of `segment_size`; each a 20-byte header, then
//!   messages `crc32 u32 LE, kind u8, len, segment number, page id` (sled's
//!   varints) and `len` bytes; the CRC covers the body and the header after
//!   the CRC. A page is a base (a tree node, or the meta page naming each
//!   tree's root) and the links applied to it since (set, delete a key).
//! - `blobs/<lsn>`: a page too large for the log.
//!
//! The page table is the snapshot's, advanced by every message after it,
//! as sled does at start-up; without a readable snapshot, by every message
//! of the log in order. A message whose CRC fails is repaired when one bit
//! is wrong (a CRC-32 locates a single flipped bit) and reported; one that
//! cannot be repaired loses its page, whose key range is reported. Trees
//! are walked from their roots through index nodes and through each
//! leaf's link to the next, so one lost index node loses no record.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

const SEG_HEADER_LEN: usize = 20;
const MAX_MSG_HEADER_LEN: usize = 32;
const DEFAULT_SEGMENT: usize = 512 * 1024;
const META_PID: u64 = 0;
const COUNTER_PID: u64 = 1;

/// A message kind byte (sled's `MessageKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Canceled,
    Cap,
    BatchManifest,
    Free,
    Counter,
    Meta,
    Node,
    Link,
}

fn kind_of(b: u8) -> Option<(Kind, bool)> {
    Some(match b {
        1 => (Kind::Canceled, false),
        2 => (Kind::Cap, false),
        3 => (Kind::BatchManifest, false),
        4 => (Kind::Free, false),
        5 => (Kind::Counter, false),
        6 => (Kind::Meta, false),
        7 => (Kind::Meta, true),
        8 => (Kind::Node, false),
        9 => (Kind::Node, true),
        10 => (Kind::Link, false),
        11 => (Kind::Link, true),
        _ => return None,
    })
}

/// One readable message of the log.
#[derive(Debug, Clone)]
struct Msg {
    lsn: i64,
    kind: Kind,
    blob: bool,
    pid: u64,
    body: Vec<u8>,
    /// Bytes in the file: [lid, lid + len).
    len: u64,
}

/// Something the reader found wrong, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub file: PathBuf,
    pub offset: u64,
    pub what: String,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}: {}", self.file.display(), self.offset, self.what)
    }
}

/// Keys of a tree that could not be read: `[from, to)` (`to` empty: to the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub tree: String,
    pub from: Vec<u8>,
    pub to: Vec<u8>,
    pub why: String,
}

/// Where a page's current bytes are in the `db` file: its base and each
/// link since, as `[start, end)` offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSpan {
    pub tree: String,
    pub spans: Vec<(u64, u64)>,
    /// The keys the page holds.
    pub keys: Vec<Vec<u8>>,
}

/// What the files hold.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every tree's keys and values, by tree name.
    pub trees: BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>>,
    /// Damage put right (one wrong bit) — nothing was lost to it.
    pub repaired: Vec<Damage>,
    /// Damage that cost records: see `lost`.
    pub damage: Vec<Damage>,
    pub lost: Vec<Lost>,
    /// Notes on how the files were read.
    pub notes: Vec<String>,
    /// Each leaf page's bytes in the log (for tests that damage them).
    pub pages: Vec<PageSpan>,
}

/// The reader's own failure: the files cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {detail}")]
    Unreadable { path: PathBuf, detail: String },
}

// ---- sled's varints and values, bounds-checked

use crate::bytes::Cur;

/// sled's varints and values, on top of the shared reader.
impl Cur<'_> {
    fn u64(&mut self) -> Option<u64> {
        let b0 = self.u8()?;
        Some(match b0 {
            0..=240 => u64::from(b0),
            241..=248 => 240 + 256 * (u64::from(b0) - 241) + u64::from(self.u8()?),
            249 => {
                let b = self.take(2)?;
                2288 + 256 * u64::from(b[0]) + u64::from(b[1])
            }
            other => {
                let sz = usize::from(other) - 247;
                let b = self.take(sz)?;
                let mut a = [0u8; 8];
                a[..sz].copy_from_slice(b);
                u64::from_le_bytes(a)
            }
        })
    }
    fn ivec(&mut self) -> Option<Vec<u8>> {
        let n = usize::try_from(self.u64()?).ok()?;
        Some(self.take(n)?.to_vec())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DiskPtr {
    Inline(u64),
    Blob(u64, i64),
}

impl DiskPtr {
    fn read(c: &mut Cur<'_>) -> Option<DiskPtr> {
        match c.u8()? {
            0 => Some(DiskPtr::Inline(c.u64()?)),
            1 => Some(DiskPtr::Blob(c.u64()?, c.i64()?)),
            _ => None,
        }
    }
    fn lid(self) -> u64 {
        match self {
            DiskPtr::Inline(l) | DiskPtr::Blob(l, _) => l,
        }
    }
}

#[derive(Debug, Clone)]
enum PageState {
    Present {
        base: (i64, DiskPtr),
        frags: Vec<(i64, DiskPtr)>,
    },
    Free,
}

/// A tree node (sled's `Node`), keys already joined with the node's prefix.
#[derive(Debug, Clone, Default)]
struct Node {
    next: Option<u64>,
    lo: Vec<u8>,
    hi: Vec<u8>,
    prefix_len: usize,
    /// Leaf: (key, value); index: (key, child pid as bytes).
    leaf: bool,
    keys: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
    children: Vec<u64>,
}

impl Node {
    fn read(body: &[u8]) -> Option<Node> {
        let mut c = Cur(body);
        let next = c.u64()?;
        let _merging_child = c.u64()?;
        let _merging = c.u8()?;
        let prefix_len = usize::from(c.u8()?);
        let lo = c.ivec()?;
        let hi = c.ivec()?;
        let leaf = match c.u8()? {
            0 => true,
            1 => false,
            _ => return None,
        };
        let n = usize::try_from(c.u64()?).ok()?;
        // Each key takes at least one byte: a count past the bytes left is damage.
        if n > c.0.len() || prefix_len > lo.len() {
            return None;
        }
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            let k = c.ivec()?;
            let mut full = lo[..prefix_len].to_vec();
            full.extend_from_slice(&k);
            keys.push(full);
        }
        let mut node = Node {
            next: (next != 0).then_some(next),
            lo,
            hi,
            prefix_len,
            leaf,
            keys,
            ..Node::default()
        };
        for _ in 0..n {
            if leaf {
                node.values.push(c.ivec()?);
            } else {
                node.children.push(c.u64()?);
            }
        }
        c.empty().then_some(node)
    }

    /// Apply a link (sled's `Link`); `None` when it does not read.
    fn apply(&mut self, body: &[u8]) -> Option<()> {
        let mut c = Cur(body);
        match c.u8()? {
            0 => {
                let k = c.ivec()?;
                let v = c.ivec()?;
                let mut key = self.lo[..self.prefix_len.min(self.lo.len())].to_vec();
                key.extend_from_slice(&k);
                match self.keys.binary_search(&key) {
                    Ok(i) if self.leaf => self.values[i] = v,
                    Err(i) if self.leaf => {
                        self.keys.insert(i, key);
                        self.values.insert(i, v);
                    }
                    _ => {}
                }
            }
            1 => {
                let k = c.ivec()?;
                let mut key = self.lo[..self.prefix_len.min(self.lo.len())].to_vec();
                key.extend_from_slice(&k);
                if let Ok(i) = self.keys.binary_search(&key)
                    && self.leaf
                {
                    self.keys.remove(i);
                    self.values.remove(i);
                }
            }
            2 => {
                c.u64()?;
            }
            3 | 4 => {}
            _ => return None,
        }
        c.empty().then_some(())
    }
}

// ---- CRC-32 repair of a single wrong bit

/// One step of the reflected CRC-32 register.
fn step(x: u32) -> u32 {
    if x & 1 == 1 { (x >> 1) ^ 0xEDB8_8320 } else { x >> 1 }
}

/// The bit of `data` whose flip explains `syndrome` (the XOR of the CRC
/// stored and the CRC computed), as (byte, bit); `None` if no single bit does.
fn locate_flip(len: usize, syndrome: u32) -> Option<(usize, u8)> {
    if syndrome == 0 {
        return None;
    }
    // Effects of flipping bit k of the byte at distance d from the end:
    // step^(8(d+1))(1 << k). Walk from the last byte backwards.
    let mut effect: [u32; 8] = std::array::from_fn(|k| 1u32 << k);
    for d in 0..len {
        for e in &mut effect {
            for _ in 0..8 {
                *e = step(*e);
            }
        }
        if let Some(k) = effect.iter().position(|e| *e == syndrome) {
            return Some((len - 1 - d, k as u8));
        }
    }
    None
}

/// sled's message CRC: over the body, then the header after its CRC field.
fn message_crc(body: &[u8], header_tail: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(body);
    h.update(header_tail);
    h.finalize() ^ 0xFFFF_FFFF
}

struct Header {
    crc: u32,
    kind: u8,
    len: u64,
    segment: u64,
    pid: u64,
    size: usize,
}

fn header(bytes: &[u8]) -> Option<Header> {
    let mut c = Cur(bytes);
    let crc = c.u32()?;
    let kind = c.u8()?;
    let len = c.u64()?;
    let segment = c.u64()?;
    let pid = c.u64()?;
    Some(Header {
        crc,
        kind,
        len,
        segment,
        pid,
        size: bytes.len() - c.0.len(),
    })
}

/// The message at `pos` of a segment, as written or (where a message is
/// expected: `repair`) with one wrong bit put right; `None` when no message
/// reads there.
fn message_at(seg: &[u8], pos: usize, seg_size: usize, repair: bool) -> Option<(Header, Vec<u8>, bool)> {
    let end = seg.len().min(seg_size);
    let window = &seg[pos..end.min(pos + MAX_MSG_HEADER_LEN + 16)];
    let exact = |h: &Header, bytes: &[u8]| -> Option<Vec<u8>> {
        kind_of(h.kind)?;
        let start = pos + h.size;
        let stop = start.checked_add(usize::try_from(h.len).ok()?)?;
        if stop > end {
            return None;
        }
        let body = &seg[start..stop];
        (message_crc(body, &bytes[4..h.size]) == h.crc).then(|| body.to_vec())
    };
    if let Some(h) = header(window) {
        if let Some(body) = exact(&h, window) {
            return Some((h, body, false));
        }
        if !repair || window.iter().take(8).all(|b| *b == 0) {
            return None;
        }
        // One wrong bit in the body or the header after the CRC field, or in
        // the CRC field itself.
        let start = pos + h.size;
        if kind_of(h.kind).is_some()
            && let Some(stop) = usize::try_from(h.len).ok().and_then(|l| start.checked_add(l))
            && stop <= end
        {
            let body = &seg[start..stop];
            let tail = &window[4..h.size];
            let syndrome = message_crc(body, tail) ^ h.crc;
            if syndrome.count_ones() == 1 {
                return Some((h, body.to_vec(), true));
            }
            let mut data = [body, tail].concat();
            if let Some((byte, bit)) = locate_flip(data.len(), syndrome) {
                data[byte] ^= 1 << bit;
                if byte < body.len() {
                    data.truncate(body.len());
                    return Some((h, data, true));
                }
            }
        }
    }
    // One wrong bit in the header changes how it parses: try each.
    let mut w = window.to_vec();
    for i in 4..w.len().min(MAX_MSG_HEADER_LEN) {
        for bit in 0..8 {
            w[i] ^= 1 << bit;
            if let Some(h) = header(&w)
                && i < h.size
                && let Some(body) = exact(&h, &w)
            {
                return Some((h, body, true));
            }
            w[i] ^= 1 << bit;
        }
    }
    None
}

/// Every message of the log that reads, by its file offset; and the
/// stretches that do not.
struct Log {
    msgs: BTreeMap<u64, Msg>,
    /// Damaged stretches: (file offset, the page and log position if the header read).
    bad: Vec<(u64, Option<(u64, i64)>)>,
    repaired: Vec<u64>,
}

fn read_log(db: &Path, seg_size: usize) -> Result<Log, ScanError> {
    let path = db.join("db");
    let mut f = std::fs::File::open(&path).map_err(|source| ScanError::Io {
        path: path.clone(),
        source,
    })?;
    let mut log = Log {
        msgs: BTreeMap::new(),
        bad: Vec::new(),
        repaired: Vec::new(),
    };
    let mut seg = vec![0u8; seg_size];
    let mut base = 0u64;
    loop {
        let mut n = 0;
        while n < seg_size {
            match f.read(&mut seg[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => return Err(ScanError::Io { path, source }),
            }
        }
        if n == 0 {
            break;
        }
        super::progress::tick();
        let seg = &seg[..n];
        let mut pos = SEG_HEADER_LEN;
        let mut lost_at: Option<(u64, Option<(u64, i64)>)> = None;
        let mut last_segment: Option<u64> = None;
        // A message is expected at the segment's start and after each one.
        let mut expected = true;
        while pos + 6 <= seg.len() && pos + MAX_MSG_HEADER_LEN <= seg_size {
            match message_at(seg, pos, seg_size, expected) {
                Some((h, body, repaired)) => {
                    let kind = kind_of(h.kind).map(|k| k.0).unwrap_or(Kind::Canceled);
                    // A message of this segment's current incarnation ends a
                    // damaged stretch: what came before it was lost.
                    if let Some(bad) = lost_at.take()
                        && last_segment.is_none_or(|s| s == h.segment)
                    {
                        log.bad.push(bad);
                    }
                    last_segment = Some(h.segment);
                    let lid = base + pos as u64;
                    if repaired {
                        log.repaired.push(lid);
                    }
                    let (k, blob) = kind_of(h.kind).unwrap_or((Kind::Canceled, false));
                    let len = (h.size + body.len()) as u64;
                    log.msgs.insert(
                        lid,
                        Msg {
                            lsn: (h.segment as i64).saturating_mul(seg_size as i64) + pos as i64,
                            kind: k,
                            blob,
                            pid: h.pid,
                            body,
                            len,
                        },
                    );
                    if kind == Kind::Cap {
                        break;
                    }
                    pos += len as usize;
                    expected = true;
                }
                None => {
                    if lost_at.is_none() && seg[pos..(pos + 8).min(seg.len())].iter().any(|b| *b != 0) {
                        let pid = header(&seg[pos..seg.len().min(pos + MAX_MSG_HEADER_LEN)])
                            .filter(|h| kind_of(h.kind).is_some())
                            .map(|h| (h.pid, (h.segment as i64).saturating_mul(seg_size as i64) + pos as i64));
                        lost_at = Some((base + pos as u64, pid));
                    }
                    expected = false;
                    pos += 1;
                }
            }
        }
        base += n as u64;
        if n < seg_size {
            break;
        }
    }
    Ok(log)
}

/// A page's kind, base, links since, and where each is in the file.
type PageRead = (Kind, Vec<u8>, Vec<Vec<u8>>, Vec<(u64, u64)>);

/// The newest snapshot's page table and the log position it is as of.
fn read_snapshot(db: &Path, scan: &mut Scan) -> Option<(i64, Vec<Option<PageState>>)> {
    let mut snaps: Vec<PathBuf> = std::fs::read_dir(db)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                n.len() == 21 && n.starts_with("snap.") && n[5..].bytes().all(|b| b.is_ascii_hexdigit())
            })
        })
        .collect();
    snaps.sort();
    let path = snaps.pop()?;
    let mut bytes = std::fs::read(&path).ok()?;
    if bytes.len() <= 12 {
        scan.notes.push(format!(
            "{} is too short to be a snapshot: the whole log was read instead",
            path.display()
        ));
        return None;
    }
    let body_len = bytes.len() - 12;
    let stored = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().ok()?);
    let body = &mut bytes[..body_len];
    let found = crc32fast::hash(body);
    if found != stored {
        match locate_flip(body.len(), found ^ stored) {
            Some((byte, bit)) => {
                body[byte] ^= 1 << bit;
                scan.repaired.push(Damage {
                    file: path.clone(),
                    offset: byte as u64,
                    what: "one bit of the snapshot was wrong and was put right".into(),
                });
            }
            None if (found ^ stored).count_ones() == 1 => {}
            None => {
                scan.notes.push(format!(
                    "{}: the snapshot is damaged (its CRC fails): the whole log was read instead",
                    path.display()
                ));
                return None;
            }
        }
    }
    let mut c = Cur(&bytes[..body_len]);
    let stable = match c.i64()? {
        0 => return None,
        v if v < 0 => v,
        v => v - 1,
    };
    let _active = c.u64()?;
    let mut pt = Vec::new();
    while !c.empty() {
        let state = match c.u8()? {
            0 => {
                c.i64()?;
                DiskPtr::read(&mut c)?;
                Some(PageState::Free)
            }
            n => {
                let lsn = c.i64()?;
                let ptr = DiskPtr::read(&mut c)?;
                c.u64()?;
                let mut frags = Vec::new();
                for _ in 1..n {
                    let l = c.i64()?;
                    let p = DiskPtr::read(&mut c)?;
                    c.u64()?;
                    frags.push((l, p));
                }
                Some(PageState::Present {
                    base: (lsn, ptr),
                    frags,
                })
            }
        };
        pt.push(state);
    }
    Some((stable, pt))
}

/// `segment_size` from `conf`, else sled's default.
fn segment_size(db: &Path, scan: &mut Scan) -> usize {
    let text = std::fs::read(db.join("conf")).unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let found = text
        .lines()
        .find_map(|l| l.strip_prefix("segment_size:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|s| s.is_power_of_two() && (1024..=1 << 30).contains(s));
    found.unwrap_or_else(|| {
        scan.notes.push(format!(
            "{}: no segment size read: sled's default of 512 KiB assumed",
            db.join("conf").display()
        ));
        DEFAULT_SEGMENT
    })
}

/// Read the database directory `db`.
pub fn scan(db: &Path) -> Result<Scan, ScanError> {
    let mut scan = Scan::default();
    let seg_size = segment_size(db, &mut scan);
    let log = read_log(db, seg_size)?;
    let db_file = db.join("db");
    for lid in &log.repaired {
        scan.repaired.push(Damage {
            file: db_file.clone(),
            offset: *lid,
            what: "one bit of a log message was wrong and was put right".into(),
        });
    }
    // The page table: the snapshot's, advanced by every message after it.
    let (mut pt, from): (HashMap<u64, PageState>, i64) = match read_snapshot(db, &mut scan) {
        Some((stable, table)) => (
            table
                .into_iter()
                .enumerate()
                .filter_map(|(pid, s)| s.map(|s| (pid as u64, s)))
                .collect(),
            stable,
        ),
        None => (HashMap::new(), i64::MIN),
    };
    let mut order: Vec<(&u64, &Msg)> = log.msgs.iter().filter(|(_, m)| m.lsn >= from).collect();
    order.sort_by_key(|(_, m)| m.lsn);
    for (lid, m) in order {
        let ptr = if m.blob {
            let id = Cur(&m.body).i64().unwrap_or(0);
            DiskPtr::Blob(*lid, id)
        } else {
            DiskPtr::Inline(*lid)
        };
        match m.kind {
            Kind::Node | Kind::Meta | Kind::Counter => {
                pt.insert(
                    m.pid,
                    PageState::Present {
                        base: (m.lsn, ptr),
                        frags: vec![],
                    },
                );
            }
            Kind::Link => {
                if let Some(PageState::Present { base, frags }) = pt.get_mut(&m.pid)
                    && frags.last().map_or(base.0, |f| f.0) < m.lsn
                {
                    frags.push((m.lsn, ptr));
                }
            }
            Kind::Free => {
                pt.insert(m.pid, PageState::Free);
            }
            Kind::Canceled | Kind::Cap | Kind::BatchManifest => {}
        }
    }
    // Damage in the log that a page's current version may have been in.
    let mut damaged_pids: HashMap<u64, (u64, i64)> = HashMap::new();
    let mut unattributed = Vec::new();
    for (off, at) in &log.bad {
        match at {
            Some((pid, lsn)) => {
                damaged_pids.insert(*pid, (*off, *lsn));
            }
            None => unattributed.push(*off),
        }
    }
    // A page's current bytes.
    let read_ptr = |ptr: DiskPtr| -> Option<(Vec<u8>, Kind, (u64, u64))> {
        match ptr {
            DiskPtr::Inline(lid) => {
                let m = log.msgs.get(&lid)?;
                Some((m.body.clone(), m.kind, (lid, lid + m.len)))
            }
            DiskPtr::Blob(lid, id) => {
                let m = log.msgs.get(&lid)?;
                let bytes = std::fs::read(db.join("blobs").join(id.to_string())).ok()?;
                if bytes.len() < 5 {
                    return None;
                }
                let stored = u32::from_le_bytes(bytes[..4].try_into().ok()?);
                (crc32fast::hash(&bytes[4..]) == stored).then(|| (bytes[5..].to_vec(), m.kind, (lid, lid + m.len)))
            }
        }
    };
    let page = |pid: u64| -> Result<PageRead, u64> {
        let Some(PageState::Present { base, frags }) = pt.get(&pid) else {
            return Err(0);
        };
        let (body, kind, span) = read_ptr(base.1).ok_or(base.1.lid())?;
        let mut links = Vec::new();
        let mut spans = vec![span];
        let mut newest = base.0;
        for (lsn, p) in frags {
            let (b, _, s) = read_ptr(*p).ok_or(p.lid())?;
            links.push(b);
            spans.push(s);
            newest = newest.max(*lsn);
        }
        if let Some((off, lsn)) = damaged_pids.get(&pid)
            && *lsn > newest
        {
            // A newer version of this page is in a damaged stretch.
            return Err(*off);
        }
        Ok((kind, body, links, spans))
    };
    // The trees and their roots.
    let meta = match page(META_PID) {
        Ok((Kind::Meta, body, _, _)) => {
            let mut c = Cur(&body);
            let mut roots = BTreeMap::new();
            while !c.empty() {
                let Some(name) = c.ivec() else { break };
                let Some(pid) = c.u64() else { break };
                roots.insert(String::from_utf8_lossy(&name).into_owned(), pid);
            }
            roots
        }
        other => {
            let off = other.err().unwrap_or(0);
            return Err(ScanError::Unreadable {
                path: db_file,
                detail: format!(
                    "the page naming the database's trees (at byte {off}) cannot be read, so no record can be placed"
                ),
            });
        }
    };
    let _ = COUNTER_PID;
    for (tree, root) in meta {
        let mut rows: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let mut seen: HashSet<u64> = HashSet::new();
        // (pid, lower bound of its keys, upper bound)
        let mut todo: Vec<(u64, Vec<u8>, Vec<u8>)> = vec![(root, Vec::new(), Vec::new())];
        let mut leaves: BTreeSet<u64> = BTreeSet::new();
        while let Some((pid, from, to)) = todo.pop() {
            if !seen.insert(pid) {
                continue;
            }
            super::progress::tick();
            match page(pid) {
                Err(off) => {
                    scan.damage.push(Damage {
                        file: db_file.clone(),
                        offset: off,
                        what: format!("page {pid} of tree '{tree}' does not read"),
                    });
                    scan.lost.push(Lost {
                        tree: tree.clone(),
                        from,
                        to,
                        why: format!("page {pid} at byte {off} of {} is damaged", db_file.display()),
                    });
                }
                Ok((_, body, links, spans)) => {
                    let Some(mut node) = Node::read(&body) else {
                        scan.lost.push(Lost {
                            tree: tree.clone(),
                            from,
                            to,
                            why: format!("page {pid} does not decode"),
                        });
                        continue;
                    };
                    if links.iter().any(|l| node.apply(l).is_none()) {
                        scan.lost.push(Lost {
                            tree: tree.clone(),
                            from: node.lo.clone(),
                            to: node.hi.clone(),
                            why: format!("a change to page {pid} does not decode"),
                        });
                        continue;
                    }
                    if let Some(next) = node.next {
                        todo.push((next, node.hi.clone(), Vec::new()));
                    }
                    if node.leaf {
                        leaves.insert(pid);
                        scan.pages.push(PageSpan {
                            tree: tree.clone(),
                            spans,
                            keys: node.keys.clone(),
                        });
                        for (k, v) in node.keys.into_iter().zip(node.values) {
                            rows.entry(k).or_insert(v);
                        }
                    } else {
                        for (i, child) in node.children.iter().enumerate() {
                            let lo = node.keys[i].clone();
                            let hi = node.keys.get(i + 1).cloned().unwrap_or_else(|| node.hi.clone());
                            todo.push((*child, lo, hi));
                        }
                    }
                }
            }
        }
        scan.trees.insert(tree, rows);
    }
    // A lost page reached both through its parent and its left neighbour
    // is reported once, with the narrowest bounds known.
    scan.lost.sort_by(|a, b| (&a.tree, &a.why).cmp(&(&b.tree, &b.why)));
    scan.lost.dedup_by(|a, b| a.tree == b.tree && a.why == b.why);
    for off in unattributed {
        scan.damage.push(Damage {
            file: db_file.clone(),
            offset: off,
            what: "a damaged stretch of the log whose page cannot be told: a change written there may be missing"
                .into(),
        });
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_wrong_bit_is_located_by_the_crc() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        let good = crc32fast::hash(&data);
        for (byte, bit) in [(0usize, 0u8), (17, 5), (299, 7), (150, 3)] {
            let mut bad = data.clone();
            bad[byte] ^= 1 << bit;
            let syndrome = crc32fast::hash(&bad) ^ good;
            assert_eq!(locate_flip(bad.len(), syndrome), Some((byte, bit)));
        }
        assert_eq!(locate_flip(10, 0), None);
    }

    #[test]
    fn the_reader_sees_what_sled_sees() {
        use crate::domain::*;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let day = chrono::NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
        {
            let store = crate::store::Store::open(&path).unwrap();
            let mut saved = Vec::new();
            for n in 0..400u16 {
                let id = IdNumber::from_parts("321102", day - chrono::Duration::days(9000 + i64::from(n)), n).unwrap();
                saved.push(
                    store
                        .save(Trainee {
                            id: TraineeId(0),
                            name: format!("读者{n}").into(),
                            id_number: id,
                            mobile: None,
                            key_group: None,
                            region: RegionId(0),
                            wanted: vec![].into(),
                            created: day,
                        })
                        .unwrap(),
                );
            }
            drop(store);
            // Changes after the snapshot sled wrote when it closed.
            let store = crate::store::Store::reopen(&path).unwrap();
            for t in saved.iter().step_by(7) {
                store
                    .save(Trainee {
                        name: "改名".into(),
                        ..t.clone()
                    })
                    .unwrap();
            }
            store.flush().unwrap();
        }
        let scan = scan(&path).unwrap();
        assert!(
            scan.damage.is_empty() && scan.lost.is_empty(),
            "{:?} {:?}",
            scan.damage,
            scan.lost
        );
        let start = std::time::Instant::now();
        let db = loop {
            match sled::open(&path) {
                Ok(db) => break db,
                Err(_) if start.elapsed() < std::time::Duration::from_secs(5) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("{e}"),
            }
        };
        for name in db.tree_names() {
            let name_s = String::from_utf8_lossy(&name).into_owned();
            let tree = db.open_tree(&name).unwrap();
            let want: BTreeMap<Vec<u8>, Vec<u8>> = tree
                .iter()
                .map(|kv| kv.unwrap())
                .map(|(k, v)| (k.to_vec(), v.to_vec()))
                .collect();
            let got = scan.trees.get(&name_s).cloned().unwrap_or_default();
            assert_eq!(got.len(), want.len(), "tree {name_s}");
            assert!(got == want, "tree {name_s} differs");
        }
    }
}
