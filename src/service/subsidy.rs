//! Training subsidies through the service: the standard table, building a
//! claim from a finished class's roster, its steps (申报, 初审, 复核, 拨付,
//! 退回), each checked against the one asking and written as one store
//! transaction; the claims are kept in the picture for the screens and
//! the figures.

use super::data::Data;
use super::{Actor, Result, Service, access};
use crate::domain::subsidy::{self as sub, Candidate, Claim, ClaimEvent, ClaimId, ClassFacts, Standards, Step};
use crate::domain::*;
use crate::store::subsidy::Roster;
use crate::store::{Store, StoreError};
use std::path::Path;

impl Data {
    /// Read every claim from the store (at a load; claims are not in the
    /// records snapshot).
    pub(crate) fn load_claims(&mut self, store: &Store) -> Result<()> {
        self.claims = store.claims()?.into_iter().map(|c| (c.id, c)).collect();
        Ok(())
    }

    /// A class's roster as a claim reads it: every case of the class, the
    /// level certified in it, the person's key group.
    pub fn roster(&self, class: ClassId) -> Option<Roster> {
        let c = self.classes.get(&class)?;
        let people = self
            .class_cases(class)
            .map(|k| Candidate {
                case: k.id,
                trainee: k.trainee,
                certified: k.certification.as_ref().map(|x| x.level),
                key_group: self
                    .trainees
                    .get(&k.trainee)
                    .and_then(|t| t.key_group.as_ref().map(|g| g.to_string())),
            })
            .collect();
        Some(Roster {
            class,
            institution: c.institution,
            program: c.program,
            facts: ClassFacts {
                kind: c.kind,
                occupation: c.occupation,
                end: c.end,
            },
            status: c.status,
            people,
        })
    }

    /// The claim of a class, if it has one.
    pub fn claim_of_class(&self, class: ClassId) -> Option<&Claim> {
        self.claims.values().find(|c| c.class == class)
    }
}

/// Where a standard table comes from, for `import standards`.
fn source_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Service {
    /// The standard table this database holds (the sample when none).
    pub fn subsidy_standards(&self) -> Result<Standards> {
        self.store.subsidy_standards()
    }

    /// Put the shipped sample table in a database that holds none (a new
    /// database, the demo city).
    pub fn seed_subsidy_standards(&self, by: &Actor) -> Result<()> {
        if self.store.has_subsidy_standards()? {
            return Ok(());
        }
        self.gated(|| {
            self.store
                .set_subsidy_standards(&Standards::sample(), &self.stamp(&by.name))?;
            self.bump();
            Ok(())
        })
    }

    /// Replace the standard table with the one in `path` (TOML): checked
    /// whole before anything is written.
    pub fn import_standards(&self, path: &Path, by: &Actor) -> Result<Standards> {
        by.may(access::Action::SubsidyStandards)?;
        let text = std::fs::read_to_string(path).map_err(|e| {
            StoreError::Subsidy(sub::SubsidyError::Standards(sub::StandardsError::Toml {
                file: path.display().to_string(),
                detail: e.to_string(),
            }))
        })?;
        let s = sub::parse_standards(&text, &source_name(path)).map_err(sub::SubsidyError::from)?;
        self.save_standards(s, by)
    }

    /// Store a standard table (the form, an import).
    pub fn save_standards(&self, s: Standards, by: &Actor) -> Result<Standards> {
        by.may(access::Action::SubsidyStandards)?;
        self.gated(|| {
            self.store.set_subsidy_standards(&s, &self.stamp(&by.name))?;
            self.bump();
            Ok(s.clone())
        })
    }

    /// Change the standard table with one edit of the workspace's form
    /// (#21): supervisors and admins only; checked by the domain's rules
    /// against the table as stored, written with who and when in one
    /// transaction. Claims filed before keep their amounts; a draft is
    /// assessed with the new table when it is rebuilt or filed.
    pub fn edit_standards(&self, edit: &sub::StandardEdit, by: &Actor) -> Result<Standards> {
        by.may(access::Action::SubsidyStandards)?;
        self.gated(|| {
            let s = self.store.edit_subsidy_standards(edit, &self.stamp(&by.name))?;
            self.bump();
            Ok(s)
        })
    }

    /// Every table stored (imports, the sample, the form's edits), oldest
    /// first: who and when.
    pub fn standards_log(&self) -> Result<Vec<crate::store::subsidy::StandardsChange>> {
        self.store.subsidy_standards_log()
    }

    /// The form's edits of the standard table, oldest first.
    pub fn standards_edits(&self) -> Result<Vec<crate::store::subsidy::StandardsEditEvent>> {
        self.store.subsidy_standards_edits()
    }

    /// Every claim, newest first.
    pub fn claims(&self) -> Vec<Claim> {
        let mut v: Vec<Claim> = self.read().data.claims.values().cloned().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.id));
        v
    }

    pub fn claim(&self, id: ClaimId) -> Option<Claim> {
        self.read().data.claims.get(&id).cloned()
    }

    /// A claim's steps, oldest first.
    pub fn claim_events(&self, id: ClaimId) -> Result<Vec<ClaimEvent>> {
        self.store.claim_events(id)
    }

    /// Build a draft claim from a finished class's roster.
    pub fn build_claim(&self, class: ClassId, by: &Actor) -> Result<Claim> {
        by.may(access::Action::SubsidyFile)?;
        let roster = self.read().data.roster(class).ok_or_else(|| StoreError::NotFound {
            kind: "class",
            id: class.to_string(),
        })?;
        self.gated(|| {
            let claim = self.store.build_claim(&roster, &self.stamp(&by.name))?;
            self.write().data.claims.insert(claim.id, claim.clone());
            self.bump();
            Ok(claim)
        })
    }

    /// Take one step of a claim: filing and rebuilding need the right to
    /// file, the reviews and the payment the right to review.
    pub fn claim_step(&self, id: ClaimId, step: Step, by: &Actor) -> Result<Claim> {
        let action = match step {
            Step::Build | Step::Rebuild | Step::File => access::Action::SubsidyFile,
            _ => access::Action::SubsidyReview,
        };
        by.may(action)?;
        let roster = {
            let r = self.read();
            r.data.claims.get(&id).and_then(|c| r.data.roster(c.class))
        };
        self.gated(|| {
            let claim = self
                .store
                .claim_step(id, &step, roster.as_ref(), &self.stamp(&by.name))?;
            self.write().data.claims.insert(claim.id, claim.clone());
            self.bump();
            Ok(claim)
        })
    }
}

impl Service {
    /// Write the 申报花名册 of every claim (ID numbers masked) to `name` in
    /// the exports directory, recorded as an export; the path and lines.
    pub fn export_claims(
        &self,
        by: &Actor,
        format: crate::io::export::Format,
        en: bool,
        name: &str,
    ) -> std::result::Result<(std::path::PathBuf, usize), crate::io::export::ExportError> {
        use crate::io::export::ExportError;
        by.may(access::Action::Export).map_err(StoreError::from)?;
        let claims = self.claims();
        let bytes = {
            let r = self.read();
            let rows = roster_rows(&r.data, &claims, en);
            (crate::io::subsidy::render(format, &rows, en)?, rows.len())
        };
        let dir = self.export_dir();
        let io = |path: &Path, source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        let path = dir.join(name);
        crate::io::export::write_whole(&path, &bytes.0).map_err(|e| io(&path, e))?;
        self.record_access(
            by,
            crate::store::AccessKind::Export,
            bytes.1 as u64,
            &format!("subsidy claims (masked ID numbers) to {}", path.display()),
        )?;
        Ok((path, bytes.1))
    }
}

/// The rows: every line of every claim given, in the claims' order.
pub fn roster_rows(data: &Data, claims: &[Claim], en: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for c in claims {
        let class = data.classes.get(&c.class);
        let inst = data
            .institution(c.institution)
            .map(|i| i.name.clone())
            .unwrap_or_default();
        let standard = if c.sample {
            if en { "sample standard" } else { "示例标准" }
        } else if en {
            "city standard"
        } else {
            "本地标准"
        };
        for l in &c.lines {
            let person = data.trainees.get(&l.trainee);
            let (ok, reason) = match &l.verdict {
                sub::Verdict::Eligible { .. } => (if en { "yes" } else { "是" }, String::new()),
                sub::Verdict::Ineligible(why) => (if en { "no" } else { "否" }, if en { why.en() } else { why.zh() }),
            };
            out.push(vec![
                c.id.to_string(),
                (if en { c.state.en() } else { c.state.zh() }).to_string(),
                class
                    .map(|k| format!("{} {}", k.id, k.name))
                    .unwrap_or_else(|| c.class.to_string()),
                inst.clone(),
                (if en { c.program.en() } else { c.program.zh() }).to_string(),
                c.quarter.to_string(),
                (if en { c.occupation.en() } else { c.occupation.zh() }).to_string(),
                l.case.to_string(),
                person.map(|p| p.name.to_string()).unwrap_or_default(),
                person.map(|p| p.id_number.masked()).unwrap_or_default(),
                l.level
                    .map(|v| if en { v.en() } else { v.zh() })
                    .unwrap_or("")
                    .to_string(),
                l.key_group.clone().unwrap_or_default(),
                ok.to_string(),
                reason,
                l.amount().to_string(),
                standard.to_string(),
            ]);
        }
    }
    out
}
