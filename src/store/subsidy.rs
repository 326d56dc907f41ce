//! Subsidy claims in the store: four trees of their own, written in one
//! sled transaction per change together with the write generation, and
//! flushed before a change returns.
//!
//! - `subsidy_standards`: the standard table (`table`), and one log entry
//!   per import of a table (who, when, from where), and one `edit` entry per
//!   change made with the workspace's form (who, when, what, the value before).
//! - `subsidy_claims`: claim id → [`Claim`].
//! - `subsidy_events`: claim ++ seq → [`ClaimEvent`], every step with its
//!   operator and time, kept forever.
//! - `subsidy_index`: what filed claims grant, read inside a transaction
//!   (which has no range scan): `L` trainee ++ occupation ++ level → claim,
//!   `Y` trainee ++ year → count, `C` class → claim.
//!
//! `check` recomputes the index from the claims and reads every chain.

use super::check::Problem;
use super::ops::Stamp;
use super::{GENERATION, Result, Store, StoreError, codec, u64_from};
use crate::domain::subsidy::{
    self as sub, Candidate, Claim, ClaimEvent, ClaimId, ClaimState, ClassFacts, Prior, Standards, Step, SubsidyError,
};
use crate::domain::*;
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use std::collections::BTreeMap;

pub const STANDARDS_TREE: &str = "subsidy_standards";
pub const CLAIMS_TREE: &str = "subsidy_claims";
pub const CLAIM_EVENTS_TREE: &str = "subsidy_events";
pub const INDEX_TREE: &str = "subsidy_index";
/// Envelope versions.
pub const CLAIM_VERSION: u16 = 1;
pub const STANDARDS_VERSION: u16 = 1;

const TABLE_KEY: &[u8] = b"table";

/// One import of a standard table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardsChange {
    pub at: i64,
    pub operator: String,
    pub source: String,
    pub rows: u32,
    pub sample: bool,
}

/// One edit of the standard table made with the workspace's form (#21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardsEditEvent {
    pub at: i64,
    pub operator: String,
    pub edit: sub::StandardEdit,
    /// The amount (or uplift percent) before the edit; none for a new row.
    pub before: Option<u32>,
}

/// Keys of the standard tree: the log of every table stored, the edits.
const LOG_PREFIX: &[u8] = b"log";
const EDIT_PREFIX: &[u8] = b"edit";

type TxErr = ConflictableTransactionError<StoreError>;

fn stop<T>(e: StoreError) -> std::result::Result<T, TxErr> {
    Err(ConflictableTransactionError::Abort(e))
}

fn refuse<T>(e: SubsidyError) -> std::result::Result<T, TxErr> {
    stop(StoreError::Subsidy(e))
}

fn held_key(trainee: TraineeId, occupation: OccupationId, level: SkillLevel) -> Vec<u8> {
    let mut k = vec![b'L'];
    k.extend_from_slice(&trainee.0.to_be_bytes());
    k.extend_from_slice(&occupation.0.to_be_bytes());
    k.push(level.number());
    k
}

fn year_key(trainee: TraineeId, year: i32) -> Vec<u8> {
    let mut k = vec![b'Y'];
    k.extend_from_slice(&trainee.0.to_be_bytes());
    k.extend_from_slice(&year.to_be_bytes());
    k
}

fn class_key(class: ClassId) -> Vec<u8> {
    let mut k = vec![b'C'];
    k.extend_from_slice(&class.0.to_be_bytes());
    k
}

fn claim_event_key(claim: ClaimId, seq: u32) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..8].copy_from_slice(&claim.0.to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// The index entries a claim implies (none unless it counts).
fn implied(c: &Claim) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = vec![(class_key(c.class), c.id.0.to_be_bytes().to_vec())];
    if c.state.counts() {
        for l in c.lines.iter().filter(|l| l.eligible()) {
            if let Some(level) = l.level {
                out.push((held_key(l.trainee, c.occupation, level), c.id.0.to_be_bytes().to_vec()));
            }
        }
    }
    out
}

/// The yearly counts a set of claims implies.
fn years<'a>(claims: impl IntoIterator<Item = &'a Claim>) -> BTreeMap<Vec<u8>, u8> {
    let mut m = BTreeMap::new();
    for c in claims.into_iter().filter(|c| c.state.counts()) {
        for l in c.lines.iter().filter(|l| l.eligible()) {
            *m.entry(year_key(l.trainee, c.class_end.year())).or_insert(0u8) += 1;
        }
    }
    m
}

/// A transaction's view of the subsidy trees and the meta tree.
struct SubTx<'a> {
    meta: &'a TransactionalTree,
    claims: &'a TransactionalTree,
    events: &'a TransactionalTree,
    index: &'a TransactionalTree,
    path: &'a std::path::Path,
}

impl SubTx<'_> {
    fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.path.to_path_buf(),
            detail,
        }
    }

    fn claim(&self, id: ClaimId) -> std::result::Result<Claim, TxErr> {
        match self.claims.get(id.0.to_be_bytes())? {
            None => stop(StoreError::NotFound {
                kind: "claim",
                id: id.to_string(),
            }),
            Some(v) => match codec::decode::<Claim>(&v, CLAIM_VERSION) {
                Ok((_, c)) => Ok(c),
                Err(e) => stop(self.corrupt(format!("claim {id}: {e}"))),
            },
        }
    }

    fn events_of(&self, c: &Claim) -> std::result::Result<Vec<ClaimEvent>, TxErr> {
        let mut out = Vec::new();
        for seq in 0..c.events {
            match self.events.get(claim_event_key(c.id, seq))? {
                Some(v) => match codec::decode::<ClaimEvent>(&v, CLAIM_VERSION) {
                    Ok((_, e)) => out.push(e),
                    Err(e) => return stop(self.corrupt(format!("claim event {}/{seq}: {e}", c.id))),
                },
                None => return stop(self.corrupt(format!("claim {} lacks its event {seq}", c.id))),
            }
        }
        Ok(out)
    }

    /// What filed claims grant the people of a roster (`skip`: this claim).
    fn prior(&self, class: &ClassFacts, roster: &[Candidate], skip: ClaimId) -> std::result::Result<Prior, TxErr> {
        let mut p = Prior::default();
        for c in roster {
            if let Some(level) = c.certified
                && let Some(v) = self.index.get(held_key(c.trainee, class.occupation, level))?
                && let Some(id) = u64_from(&v).map(ClaimId)
                && id != skip
            {
                p.held.insert((c.trainee, class.occupation, level), id);
            }
            let year = class.end.year();
            if let Some(v) = self.index.get(year_key(c.trainee, year))? {
                let n = v.first().copied().unwrap_or(0);
                p.per_year.insert((c.trainee, year), n);
            }
        }
        Ok(p)
    }

    /// Move the index from `old` to `new` (either may be absent).
    fn reindex(&self, old: Option<&Claim>, new: &Claim) -> std::result::Result<(), TxErr> {
        if let Some(o) = old {
            for (k, _) in implied(o) {
                self.index.remove(k)?;
            }
            for (k, n) in years([o]) {
                let have = self.index.get(&k)?.and_then(|v| v.first().copied()).unwrap_or(0);
                let left = have.saturating_sub(n);
                if left == 0 {
                    self.index.remove(k)?;
                } else {
                    self.index.insert(k, vec![left])?;
                }
            }
        }
        for (k, v) in implied(new) {
            self.index.insert(k, v)?;
        }
        for (k, n) in years([new]) {
            let have = self.index.get(&k)?.and_then(|v| v.first().copied()).unwrap_or(0);
            self.index.insert(k, vec![have.saturating_add(n)])?;
        }
        Ok(())
    }

    fn put(&self, c: &Claim) -> std::result::Result<(), TxErr> {
        match codec::encode(CLAIM_VERSION, c) {
            Ok(b) => {
                self.claims.insert(&c.id.0.to_be_bytes(), b)?;
                Ok(())
            }
            Err(e) => stop(self.corrupt(format!("claim {}: {e}", c.id))),
        }
    }

    fn put_event(&self, e: &ClaimEvent) -> std::result::Result<(), TxErr> {
        match codec::encode(CLAIM_VERSION, e) {
            Ok(b) => {
                self.events.insert(&claim_event_key(e.claim, e.seq), b)?;
                Ok(())
            }
            Err(err) => stop(self.corrupt(format!("claim event {}/{}: {err}", e.claim, e.seq))),
        }
    }

    fn bump(&self) -> std::result::Result<(), TxErr> {
        let g = self.meta.get(GENERATION)?.and_then(|v| u64_from(&v)).unwrap_or(0);
        self.meta.insert(GENERATION, &(g + 1).to_be_bytes())?;
        Ok(())
    }
}

/// The roster of a class as a claim reads it.
#[derive(Debug, Clone)]
pub struct Roster {
    pub class: ClassId,
    pub institution: InstitutionId,
    pub program: ProgramId,
    pub facts: ClassFacts,
    pub status: ClassStatus,
    pub people: Vec<Candidate>,
}

impl Store {
    fn sub_tree(&self, name: &str) -> Result<sled::Tree> {
        self.db.open_tree(name).map_err(|e| self.write_err(e))
    }

    /// Run `f` over the subsidy trees and the meta tree in one transaction
    /// that moves the generation, then flush.
    fn sub_transact<T>(&self, f: impl Fn(&SubTx<'_>) -> std::result::Result<T, TxErr>) -> Result<T> {
        let trees = [
            self.tree(super::TreeName::Meta).clone(),
            self.sub_tree(CLAIMS_TREE)?,
            self.sub_tree(CLAIM_EVENTS_TREE)?,
            self.sub_tree(INDEX_TREE)?,
        ];
        let out = trees.as_slice().transaction(|v: &Vec<TransactionalTree>| {
            let tx = SubTx {
                meta: &v[0],
                claims: &v[1],
                events: &v[2],
                index: &v[3],
                path: &self.path,
            };
            let out = f(&tx)?;
            tx.bump()?;
            Ok(out)
        });
        let out = match out {
            Ok(v) => v,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        };
        self.flush()?;
        Ok(out)
    }

    /// The standard table this database holds, or the shipped sample when
    /// it holds none.
    pub fn subsidy_standards(&self) -> Result<Standards> {
        let t = self.sub_tree(STANDARDS_TREE)?;
        match t.get(TABLE_KEY).map_err(|e| self.read_err(e))? {
            None => Ok(Standards::sample()),
            Some(v) => codec::decode::<Standards>(&v, STANDARDS_VERSION)
                .map(|(_, s)| s)
                .map_err(|e| self.corrupt(format!("subsidy standards: {e}"))),
        }
    }

    /// True when the database holds a standard table of its own.
    pub fn has_subsidy_standards(&self) -> Result<bool> {
        let t = self.sub_tree(STANDARDS_TREE)?;
        t.contains_key(TABLE_KEY).map_err(|e| self.read_err(e))
    }

    /// Store a standard table (an import, or the sample at creation), with
    /// a log entry of who did it and when, in one transaction.
    pub fn set_subsidy_standards(&self, s: &Standards, stamp: &Stamp) -> Result<()> {
        let bytes = codec::encode(STANDARDS_VERSION, s).map_err(|e| self.corrupt(format!("subsidy standards: {e}")))?;
        let change = StandardsChange {
            at: stamp.at,
            operator: stamp.operator.clone(),
            source: s.source.clone(),
            rows: s.rows.len() as u32,
            sample: s.sample,
        };
        let log = codec::encode(STANDARDS_VERSION, &change).map_err(|e| self.corrupt(format!("subsidy log: {e}")))?;
        let trees = [self.tree(super::TreeName::Meta).clone(), self.sub_tree(STANDARDS_TREE)?];
        let seq = self.new_id()?;
        let out = trees.as_slice().transaction(|v: &Vec<TransactionalTree>| {
            v[1].insert(TABLE_KEY, bytes.clone())?;
            let mut k = b"log".to_vec();
            k.extend_from_slice(&seq.to_be_bytes());
            v[1].insert(k, log.clone())?;
            let g = v[0].get(GENERATION)?.and_then(|x| u64_from(&x)).unwrap_or(0);
            v[0].insert(GENERATION, &(g + 1).to_be_bytes())?;
            Ok::<_, TxErr>(())
        });
        match out {
            Ok(()) => {}
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        }
        self.flush()
    }

    /// Change the standard table with one edit of the workspace's form: the
    /// table as stored now is read, changed (the domain's rules) and written
    /// back in one transaction, with a log entry (who, when) and the edit
    /// itself (with the amount or percent before it).
    pub fn edit_subsidy_standards(&self, edit: &sub::StandardEdit, stamp: &Stamp) -> Result<Standards> {
        let trees = [self.tree(super::TreeName::Meta).clone(), self.sub_tree(STANDARDS_TREE)?];
        let seq = self.new_id()?;
        let out = trees.as_slice().transaction(|v: &Vec<TransactionalTree>| {
            let now = match v[1].get(TABLE_KEY)? {
                None => Standards::sample(),
                Some(b) => match codec::decode::<Standards>(&b, STANDARDS_VERSION) {
                    Ok((_, s)) => s,
                    Err(e) => return stop(self.corrupt(format!("subsidy standards: {e}"))),
                },
            };
            let next = match now.apply(edit) {
                Ok(s) => s,
                Err(e) => return refuse(SubsidyError::Edit(e)),
            };
            let change = StandardsChange {
                at: stamp.at,
                operator: stamp.operator.clone(),
                source: next.source.clone(),
                rows: next.rows.len() as u32,
                sample: next.sample,
            };
            let record = StandardsEditEvent {
                at: stamp.at,
                operator: stamp.operator.clone(),
                edit: edit.clone(),
                before: edit.before(&now),
            };
            let enc = |r: std::result::Result<Vec<u8>, _>, what: &str| {
                r.map_err(|e| ConflictableTransactionError::Abort(self.corrupt(format!("{what}: {e}"))))
            };
            let table = enc(codec::encode(STANDARDS_VERSION, &next), "subsidy standards")?;
            let log = enc(codec::encode(STANDARDS_VERSION, &change), "subsidy log")?;
            let rec = enc(codec::encode(STANDARDS_VERSION, &record), "subsidy standards edit")?;
            v[1].insert(TABLE_KEY, table)?;
            let mut k = LOG_PREFIX.to_vec();
            k.extend_from_slice(&seq.to_be_bytes());
            v[1].insert(k, log)?;
            let mut k = EDIT_PREFIX.to_vec();
            k.extend_from_slice(&seq.to_be_bytes());
            v[1].insert(k, rec)?;
            let g = v[0].get(GENERATION)?.and_then(|x| u64_from(&x)).unwrap_or(0);
            v[0].insert(GENERATION, &(g + 1).to_be_bytes())?;
            Ok::<_, TxErr>(next)
        });
        let next = match out {
            Ok(s) => s,
            Err(TransactionError::Abort(e)) => return Err(e),
            Err(TransactionError::Storage(e)) => return Err(self.write_err(e)),
        };
        self.flush()?;
        Ok(next)
    }

    /// Every edit made with the workspace's form, oldest first.
    pub fn subsidy_standards_edits(&self) -> Result<Vec<StandardsEditEvent>> {
        let t = self.sub_tree(STANDARDS_TREE)?;
        let mut out = Vec::new();
        for item in t.scan_prefix(EDIT_PREFIX) {
            let (_, v) = item.map_err(|e| self.read_err(e))?;
            let (_, c) = codec::decode::<StandardsEditEvent>(&v, STANDARDS_VERSION)
                .map_err(|e| self.corrupt(format!("subsidy standards edit: {e}")))?;
            out.push(c);
        }
        Ok(out)
    }

    /// Every import of a standard table, oldest first.
    pub fn subsidy_standards_log(&self) -> Result<Vec<StandardsChange>> {
        let t = self.sub_tree(STANDARDS_TREE)?;
        let mut out = Vec::new();
        for item in t.scan_prefix(b"log") {
            let (_, v) = item.map_err(|e| self.read_err(e))?;
            let (_, c) = codec::decode::<StandardsChange>(&v, STANDARDS_VERSION)
                .map_err(|e| self.corrupt(format!("subsidy log: {e}")))?;
            out.push(c);
        }
        Ok(out)
    }

    /// Every claim, by id.
    pub fn claims(&self) -> Result<Vec<Claim>> {
        let t = self.sub_tree(CLAIMS_TREE)?;
        let mut out = Vec::new();
        for item in t.iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            let (_, c) = codec::decode::<Claim>(&v, CLAIM_VERSION)
                .map_err(|e| self.corrupt(format!("claim {:?}: {e}", u64_from(&k))))?;
            out.push(c);
        }
        Ok(out)
    }

    /// One claim's events, in order.
    pub fn claim_events(&self, claim: ClaimId) -> Result<Vec<ClaimEvent>> {
        let t = self.sub_tree(CLAIM_EVENTS_TREE)?;
        let mut out = Vec::new();
        for item in t.scan_prefix(claim.0.to_be_bytes()) {
            let (_, v) = item.map_err(|e| self.read_err(e))?;
            let (_, e) = codec::decode::<ClaimEvent>(&v, CLAIM_VERSION)
                .map_err(|e| self.corrupt(format!("claim event of {claim}: {e}")))?;
            out.push(e);
        }
        Ok(out)
    }

    /// Build a draft claim from a finished class's roster, each person
    /// assessed as of `stamp.today` against the claims filed so far.
    pub fn build_claim(&self, roster: &Roster, stamp: &Stamp) -> Result<Claim> {
        let standards = self.subsidy_standards()?;
        if roster.status != ClassStatus::Finished && roster.facts.end >= stamp.today {
            return Err(StoreError::Subsidy(SubsidyError::ClassNotFinished {
                class: roster.class,
                end: roster.facts.end,
            }));
        }
        let id = ClaimId(self.new_id()?);
        self.sub_transact(|tx| {
            if let Some(v) = tx.index.get(class_key(roster.class))? {
                return refuse(SubsidyError::ClassHasClaim {
                    class: roster.class,
                    claim: ClaimId(u64_from(&v).unwrap_or(0)),
                });
            }
            let prior = tx.prior(&roster.facts, &roster.people, id)?;
            let lines = sub::assess(&standards, &roster.facts, stamp.today, &roster.people, &prior);
            let claim = Claim {
                id,
                class: roster.class,
                institution: roster.institution,
                program: roster.program,
                occupation: roster.facts.occupation,
                class_end: roster.facts.end,
                quarter: Quarter::of(roster.facts.end),
                state: ClaimState::Draft,
                lines,
                filed: None,
                standards: standards.source.clone(),
                sample: standards.sample,
                returned: None,
                returns: 0,
                returned_amount: 0,
                events: 1,
            };
            tx.reindex(None, &claim)?;
            tx.put(&claim)?;
            tx.put_event(&ClaimEvent {
                claim: id,
                seq: 0,
                at: stamp.at,
                operator: stamp.operator.clone(),
                from: None,
                to: ClaimState::Draft,
                step: Step::Build,
                amount: claim.total(),
            })?;
            Ok(claim)
        })
    }

    /// Take one step of a claim. Filing and rebuilding assess the roster
    /// again (`roster` is the class's roster now); the four-eyes rule of
    /// the standard table holds for the reviews.
    pub fn claim_step(&self, id: ClaimId, step: &Step, roster: Option<&Roster>, stamp: &Stamp) -> Result<Claim> {
        let standards = self.subsidy_standards()?;
        let step = match step {
            Step::Return { reason } => Step::Return {
                reason: sub::check_reason(reason)?,
            },
            s => s.clone(),
        };
        self.sub_transact(|tx| {
            let old = tx.claim(id)?;
            let to = match sub::next_claim_state(id, old.state, &step) {
                Ok(s) => s,
                Err(e) => return refuse(e),
            };
            let events = tx.events_of(&old)?;
            if let Err(e) = sub::check_reviewer(id, &events, &step, &stamp.operator, standards.second_reviewer) {
                return refuse(e);
            }
            let mut new = old.clone();
            new.state = to;
            match &step {
                Step::Rebuild | Step::File => {
                    if let Some(r) = roster.filter(|r| r.class == old.class) {
                        let prior = tx.prior(&r.facts, &r.people, id)?;
                        new.lines = sub::assess(&standards, &r.facts, stamp.today, &r.people, &prior);
                        new.standards = standards.source.clone();
                        new.sample = standards.sample;
                    }
                    if step == Step::File {
                        if new.eligible() == 0 {
                            return refuse(SubsidyError::NothingEligible { claim: id });
                        }
                        new.filed = Some(stamp.today);
                        new.returned = None;
                    }
                }
                Step::Return { reason } => {
                    new.returned = Some(reason.clone());
                    new.returns += 1;
                    new.returned_amount = old.total();
                }
                _ => {}
            }
            new.events = old.events + 1;
            tx.reindex(Some(&old), &new)?;
            tx.put(&new)?;
            tx.put_event(&ClaimEvent {
                claim: id,
                seq: old.events,
                at: stamp.at,
                operator: stamp.operator.clone(),
                from: Some(old.state),
                to,
                step: step.clone(),
                amount: new.total(),
            })?;
            Ok(new)
        })
    }

    /// What `check` finds wrong with the claims: records that do not
    /// decode, chains that break the claim state machine, lines naming
    /// cases not in the class, the index differing from the claims, a
    /// person subsidized twice for one occupation and level or over the
    /// yearly limit.
    pub(super) fn check_subsidies(&self, classes: &[TrainingClass], cases: &[Case]) -> Vec<Problem> {
        let mut p = Vec::new();
        let mut say = |tree: &'static str, key: String, message: String| p.push(Problem { tree, key, message });
        let (Ok(claims_t), Ok(index_t), Ok(events_t)) = (
            self.sub_tree(CLAIMS_TREE),
            self.sub_tree(INDEX_TREE),
            self.sub_tree(CLAIM_EVENTS_TREE),
        ) else {
            say(CLAIMS_TREE, "-".into(), "the subsidy trees cannot be opened".into());
            return p;
        };
        if let Err(e) = self.subsidy_standards() {
            say(STANDARDS_TREE, "table".into(), e.to_string());
        }
        if let Err(e) = self.subsidy_standards_edits() {
            say(STANDARDS_TREE, "edit".into(), e.to_string());
        }
        let mut claims = Vec::new();
        for item in claims_t.iter() {
            match item {
                Err(e) => {
                    say(CLAIMS_TREE, "-".into(), format!("read failed: {e}"));
                    break;
                }
                Ok((k, v)) => match codec::decode::<Claim>(&v, CLAIM_VERSION) {
                    Ok((_, c)) if u64_from(&k) == Some(c.id.0) => claims.push(c),
                    Ok((_, c)) => say(
                        CLAIMS_TREE,
                        format!("{k:?}"),
                        format!("key does not match claim {}", c.id),
                    ),
                    Err(e) => say(CLAIMS_TREE, format!("{:?}", u64_from(&k)), e.to_string()),
                },
            }
        }
        let class_of: BTreeMap<ClassId, &TrainingClass> = classes.iter().map(|c| (c.id, c)).collect();
        let case_of: BTreeMap<CaseId, &Case> = cases.iter().map(|c| (c.id, c)).collect();
        let mut want: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let mut held: BTreeMap<(TraineeId, OccupationId, Option<SkillLevel>), ClaimId> = BTreeMap::new();
        let mut per_class: BTreeMap<ClassId, ClaimId> = BTreeMap::new();
        for c in &claims {
            let key = c.id.to_string();
            match class_of.get(&c.class) {
                None => say(CLAIMS_TREE, key.clone(), format!("class {} does not exist", c.class)),
                Some(cl) if cl.occupation != c.occupation || cl.end != c.class_end => say(
                    CLAIMS_TREE,
                    key.clone(),
                    format!("occupation or end date differs from class {}", c.class),
                ),
                _ => {}
            }
            for l in &c.lines {
                match case_of.get(&l.case) {
                    Some(k) if k.class == c.class && k.trainee == l.trainee => {}
                    _ => say(
                        CLAIMS_TREE,
                        key.clone(),
                        format!(
                            "line of case {} is not a case of class {} for {}",
                            l.case, c.class, l.trainee
                        ),
                    ),
                }
            }
            if let Some(other) = per_class.insert(c.class, c.id) {
                say(
                    CLAIMS_TREE,
                    key.clone(),
                    format!("class {} has another claim ({other})", c.class),
                );
            }
            want.extend(implied(c));
            if c.state.counts() {
                for l in c.lines.iter().filter(|l| l.eligible()) {
                    if let Some(other) = held.insert((l.trainee, c.occupation, l.level), c.id) {
                        say(
                            CLAIMS_TREE,
                            key.clone(),
                            format!(
                                "{} is subsidized twice for {} at one level (also {other})",
                                l.trainee,
                                c.occupation.en()
                            ),
                        );
                    }
                }
            }
            // The chain.
            let evs: Vec<ClaimEvent> = events_t
                .scan_prefix(c.id.0.to_be_bytes())
                .filter_map(|x| x.ok())
                .filter_map(|(_, v)| codec::decode::<ClaimEvent>(&v, CLAIM_VERSION).ok().map(|(_, e)| e))
                .collect();
            if evs.len() != c.events as usize {
                say(
                    CLAIM_EVENTS_TREE,
                    key.clone(),
                    format!("claim says {} events, {} read", c.events, evs.len()),
                );
            }
            let mut state = None;
            for (i, e) in evs.iter().enumerate() {
                let at = format!("{}/{}", c.id, e.seq);
                if e.seq as usize != i {
                    say(CLAIM_EVENTS_TREE, at.clone(), format!("out of sequence (expected {i})"));
                }
                let next = match (state, &e.step) {
                    (None, Step::Build) => Ok(ClaimState::Draft),
                    (None, _) => Err("the first step is not a build".to_string()),
                    // Worded for check (and its Chinese, `say::cli`): the
                    // step and the state it cannot follow.
                    (Some(s), step) => sub::next_claim_state(c.id, s, step).map_err(|x| match x {
                        sub::SubsidyError::Illegal { from, step, .. } => {
                            format!("{} cannot follow a {} claim", step.en(), from.en())
                        }
                        other => other.to_string(),
                    }),
                };
                match next {
                    Ok(s) if s == e.to => {}
                    Ok(s) => say(
                        CLAIM_EVENTS_TREE,
                        at,
                        format!("leads to {} but says {}", s.en(), e.to.en()),
                    ),
                    Err(m) => say(CLAIM_EVENTS_TREE, at, m),
                }
                state = Some(e.to);
            }
            if state.is_some() && state != Some(c.state) {
                say(CLAIMS_TREE, key.clone(), "state differs from its last event".into());
            }
        }
        let max = self
            .subsidy_standards()
            .map(|s| s.max_per_year)
            .unwrap_or(sub::DEFAULT_MAX_PER_YEAR);
        for (k, n) in years(&claims) {
            if n > max {
                say(
                    INDEX_TREE,
                    super::check::show_key(&k),
                    format!("{n} subsidies in one year (limit {max})"),
                );
            }
            want.insert(k, vec![n]);
        }
        let mut have: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for (k, v) in index_t.iter().flatten() {
            have.insert(k.to_vec(), v.to_vec());
        }
        if have != want {
            let missing = want.iter().filter(|(k, v)| have.get(*k) != Some(*v)).count();
            let stray = have.keys().filter(|k| !want.contains_key(*k)).count();
            say(
                INDEX_TREE,
                "-".into(),
                format!(
                    "the subsidy index differs from the claims ({missing} entries missing or wrong, {stray} stray)"
                ),
            );
        }
        p
    }
}

impl Store {
    /// The subsidy index the claims imply (what `check` compares with).
    fn subsidy_index_wanted(&self) -> Result<BTreeMap<Vec<u8>, Vec<u8>>> {
        let claims = self.claims()?;
        let mut want: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for c in &claims {
            want.extend(implied(c));
        }
        for (k, n) in years(&claims) {
            want.insert(k, vec![n]);
        }
        Ok(want)
    }

    /// `check --repair`: rebuild the subsidy index from the claims where it
    /// differs from them, in one transaction that moves the generation.
    /// Returns how many entries were written and removed (none: it matched).
    pub(super) fn repair_subsidy_index(&self) -> Result<Option<(usize, usize)>> {
        let want = self.subsidy_index_wanted()?;
        let index = self.sub_tree(INDEX_TREE)?;
        let mut have: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for item in index.iter() {
            let (k, v) = item.map_err(|e| self.read_err(e))?;
            have.insert(k.to_vec(), v.to_vec());
        }
        if have == want {
            return Ok(None);
        }
        let wrong: Vec<(Vec<u8>, Vec<u8>)> = want
            .iter()
            .filter(|(k, v)| have.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let stray: Vec<Vec<u8>> = have.keys().filter(|k| !want.contains_key(*k)).cloned().collect();
        self.sub_transact(|tx| {
            for k in &stray {
                tx.index.remove(k.as_slice())?;
            }
            for (k, v) in &wrong {
                tx.index.insert(k.as_slice(), v.as_slice())?;
            }
            Ok(())
        })?;
        Ok(Some((wrong.len(), stray.len())))
    }
}
