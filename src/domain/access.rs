//! Who may do what: the four roles, an operator's district scope, and the
//! one rule that says which role an action needs. Pure rules: the service
//! asks them before every command, the server and the local workspace say
//! who is asking.
//!
//! | role | may |
//! |---|---|
//! | `kiosk` | the public screen only (open classes and jobs): no service command |
//! | `operator` | read; intake of new trainees, demands and classes; case steps; pairing (enroll, refer); reveal a limited number of ID numbers a day; optionally only in some districts |
//! | `supervisor` | what an operator may, in every district, and: corrections (edit an existing record), reference data (institutions, enterprises, settings), imports, the check, exports without personal data, reveals without limit, the access records |
//! | `admin` | everything: backups and restores, exports of personal data (trainees), repair |

use super::catalog::{REGIONS, RegionId};
use std::fmt;
use thiserror::Error;

/// A role, lowest first: each includes what the ones below it may do,
/// except that only `kiosk` is limited to the public screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Kiosk,
    Operator,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Kiosk, Role::Operator, Role::Supervisor, Role::Admin];

    /// The name as written in `role=` (lower case, exact).
    pub fn name(self) -> &'static str {
        match self {
            Role::Kiosk => "kiosk",
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Exactly one of the four names, in lower case: anything else (other
    /// case, look-alike letters, spaces) is refused, never read as the
    /// nearest role.
    pub fn parse(s: &str) -> Result<Role, BadSetting> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| BadSetting::Role { value: s.to_string() })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a command does, for the role check (and the refusal's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read lists and records (personal data masked).
    Read,
    /// Create a trainee, a demand or a class.
    Intake,
    /// Move a case one step.
    CaseStep,
    /// Enroll a trainee, refer a certified one.
    Pairing,
    /// Change an existing trainee, demand or class.
    Correct,
    /// Create or change an institution or an enterprise, or a setting.
    ReferenceData,
    /// Show one person's whole ID number and mobile.
    Reveal,
    /// Import a spreadsheet.
    Import,
    /// Export a kind without personal data.
    Export,
    /// Export trainees (ID numbers, mobiles).
    ExportPersonal,
    /// Read the access records.
    ReadAudit,
    /// Run the integrity check.
    Check,
    /// Take a backup of the whole database.
    Backup,
    /// Restore a backup, repair the database.
    Restore,
    /// Build and file a training-subsidy claim (申报).
    SubsidyFile,
    /// Review a subsidy claim (初审, 复核, 退回) and record its payment (拨付).
    SubsidyReview,
    /// Change the subsidy standard table (the form, an import).
    SubsidyStandards,
}

impl Action {
    /// The lowest role that may do it.
    pub fn needs(self) -> Role {
        match self {
            Action::Read | Action::Intake | Action::CaseStep | Action::Pairing | Action::Reveal => Role::Operator,
            Action::SubsidyFile => Role::Operator,
            Action::SubsidyReview => Role::Supervisor,
            Action::SubsidyStandards => Role::Supervisor,
            Action::Correct
            | Action::ReferenceData
            | Action::Import
            | Action::Export
            | Action::ReadAudit
            | Action::Check => Role::Supervisor,
            Action::ExportPersonal | Action::Backup | Action::Restore => Role::Admin,
        }
    }

    /// What it is, after "may not".
    pub fn describe(self) -> &'static str {
        match self {
            Action::Read => "read records",
            Action::Intake => "register new records",
            Action::CaseStep => "move a case",
            Action::Pairing => "enroll or refer a trainee",
            Action::Correct => "change an existing record",
            Action::ReferenceData => "change institutions, enterprises or settings",
            Action::Reveal => "reveal an ID number or mobile",
            Action::Import => "import a spreadsheet",
            Action::Export => "export records",
            Action::ExportPersonal => "export personal data (trainees)",
            Action::ReadAudit => "read the access records",
            Action::Check => "run the integrity check",
            Action::Backup => "take a backup",
            Action::Restore => "restore or repair the database",
            Action::SubsidyFile => "build or file a subsidy claim",
            Action::SubsidyReview => "review a subsidy claim or record its payment",
            Action::SubsidyStandards => "change the subsidy standard table",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Someone the service acts for: a name (recorded in every event and
/// access record), a role and, for an operator, the districts they serve
/// (`None`: every district).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    pub districts: Option<Vec<RegionId>>,
}

/// Why a command was refused for the one asking.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    #[error("{who} ({role}) may not {action}: that needs the {needs} role{or_higher}", or_higher = if *.needs == Role::Admin { "" } else { " or higher" })]
    Role {
        who: String,
        role: Role,
        action: Action,
        needs: Role,
    },
    #[error(
        "{who} serves {} and may not {action} for {what} of {d}: ask an operator of {d} or a supervisor",
        districts_label(.districts), d = region_label(*.district)
    )]
    District {
        who: String,
        /// The districts `who` serves (`None`: every district).
        districts: Option<Vec<RegionId>>,
        action: Action,
        what: Subject,
        district: RegionId,
    },
    #[error(
        "{who} ({role}) has revealed {used} people's numbers in the last 24 hours, the most an operator may ({limit}): a supervisor may reveal more"
    )]
    RevealLimit {
        who: String,
        role: Role,
        used: usize,
        limit: usize,
    },
}

/// How many people an operator may reveal in 24 hours; supervisors and
/// admins are not limited (every reveal is recorded either way).
pub const OPERATOR_REVEALS_PER_DAY: usize = 50;

impl Actor {
    pub fn new(name: &str, role: Role) -> Actor {
        Actor {
            name: name.to_string(),
            role,
            districts: None,
        }
    }

    /// An administrator (the local account that owns the database files,
    /// tests, maintenance).
    pub fn admin(name: &str) -> Actor {
        Actor::new(name, Role::Admin)
    }

    pub fn operator(name: &str) -> Actor {
        Actor::new(name, Role::Operator)
    }

    /// Limited to these districts (operators only: see [`parse_settings`]).
    pub fn in_districts(mut self, districts: Vec<RegionId>) -> Actor {
        self.districts = Some(districts);
        self
    }

    /// May this actor do `action` at all?
    pub fn may(&self, action: Action) -> Result<(), Denied> {
        let needs = action.needs();
        if self.role == Role::Kiosk || self.role < needs {
            return Err(Denied::Role {
                who: self.name.clone(),
                role: self.role,
                action,
                needs,
            });
        }
        Ok(())
    }

    /// True when the actor serves `region` (always, without a scope).
    pub fn covers(&self, region: RegionId) -> bool {
        self.districts.as_ref().is_none_or(|d| d.contains(&region))
    }

    /// May this actor do `action` on a record of `region`? `what` names the
    /// record for the refusal (e.g. "trainee 12 王芳").
    pub fn may_in(&self, action: Action, region: RegionId, what: Subject) -> Result<(), Denied> {
        self.may(action)?;
        if self.covers(region) {
            return Ok(());
        }
        Err(Denied::District {
            who: self.name.clone(),
            districts: self.districts.clone(),
            action,
            what,
            district: region,
        })
    }

    /// "321181 丹阳市, 321183 句容市", or "every district".
    pub fn districts_text(&self) -> String {
        districts_label(&self.districts)
    }
}

/// The record a district refusal is about: its kind, code and (for a
/// person) name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: super::Kind,
    pub key: String,
    pub name: Option<String>,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.kind {
            super::Kind::Classes => "class",
            k => k.name().trim_end_matches('s'),
        };
        write!(f, "{word} {}", self.key)?;
        if let Some(n) = &self.name {
            write!(f, " {n}")?;
        }
        Ok(())
    }
}

/// "321181 丹阳市, 321183 句容市", or "every district" for `None`.
pub fn districts_label(d: &Option<Vec<RegionId>>) -> String {
    match d {
        None => "every district".into(),
        Some(d) => d.iter().map(|r| region_label(*r)).collect::<Vec<_>>().join(", "),
    }
}

/// "321181 丹阳市", or "region N" for an id the catalog lacks.
pub fn region_label(r: RegionId) -> String {
    match r.get() {
        Some(g) => format!("{} {}", g.code, g.zh),
        None => format!("region {}", r.0),
    }
}

/// A setting of a key's comment or of the local access file that cannot
/// be used. The line it came from is named by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BadSetting {
    #[error("unknown role '{value}': expected exactly one of role=kiosk, role=operator, role=supervisor, role=admin")]
    Role { value: String },
    #[error("unknown district '{value}' in districts=: expected codes separated by commas, from {known}")]
    District { value: String, known: String },
    #[error("districts= is empty: give at least one district code, e.g. districts=321181,321183")]
    NoDistricts,
    #[error("'{word}' is given twice: each setting may appear once")]
    Twice { word: String },
    #[error(
        "'{word}' is not a setting: expected a name first, then only role=ROLE and districts=CODES (exact lower-case words, separated by spaces)"
    )]
    Unknown { word: String },
    #[error("districts= applies to role=operator only (a {role} serves every district)")]
    DistrictsNeedOperator { role: Role },
    #[error("no name: the first word must name the person (e.g. wang.fang)")]
    NoName,
    #[error("the name '{name}' has a character that is not allowed: use letters, digits, '.', '_', '-' or '@'")]
    BadName { name: String },
}

/// A district by its code (`321181`, or the local `ZJGX01`), exactly.
pub fn parse_district(code: &str) -> Result<RegionId, BadSetting> {
    REGIONS
        .iter()
        .find(|r| r.code == code)
        .map(|r| r.id)
        .ok_or_else(|| BadSetting::District {
            value: code.to_string(),
            known: REGIONS.iter().map(|r| r.code).collect::<Vec<_>>().join(", "),
        })
}

/// True for a name a log line and a record can carry as it is.
pub fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// The settings words of a key's comment or of the local access file:
/// `NAME [role=ROLE] [districts=CODE,CODE…]`, split on ASCII spaces and
/// tabs only. Every word after the name must be exactly `role=` or
/// `districts=` with a value; a repeated or unknown word, a role that is
/// not one of the four, or a district that does not exist refuses the
/// whole line: nothing is guessed and nothing widened. Without `role=` the
/// role is `default_role`. `name` is `None` when the caller gives the name
/// (the local access file).
pub fn parse_settings(words: &[&str], name: Option<&str>, default_role: Role) -> Result<Actor, BadSetting> {
    let (name, rest) = match name {
        Some(n) => (n.to_string(), words),
        None => {
            let Some((first, rest)) = words.split_first() else {
                return Err(BadSetting::NoName);
            };
            if first.contains('=') {
                return Err(BadSetting::NoName);
            }
            (first.to_string(), rest)
        }
    };
    if !name_ok(&name) {
        return Err(BadSetting::BadName { name });
    }
    let mut role = None;
    let mut districts: Option<Vec<RegionId>> = None;
    for w in rest {
        if let Some(v) = w.strip_prefix("role=") {
            if role.is_some() {
                return Err(BadSetting::Twice { word: "role=".into() });
            }
            role = Some(Role::parse(v)?);
        } else if let Some(v) = w.strip_prefix("districts=") {
            if districts.is_some() {
                return Err(BadSetting::Twice {
                    word: "districts=".into(),
                });
            }
            if v.is_empty() {
                return Err(BadSetting::NoDistricts);
            }
            let mut list = Vec::new();
            for code in v.split(',') {
                let r = parse_district(code)?;
                if list.contains(&r) {
                    return Err(BadSetting::Twice { word: code.to_string() });
                }
                list.push(r);
            }
            districts = Some(list);
        } else {
            return Err(BadSetting::Unknown { word: w.to_string() });
        }
    }
    let role = role.unwrap_or(default_role);
    if districts.is_some() && role != Role::Operator {
        return Err(BadSetting::DistrictsNeedOperator { role });
    }
    Ok(Actor { name, role, districts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Actor, BadSetting> {
        let words: Vec<&str> = line.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
        parse_settings(&words, None, Role::Operator)
    }

    #[test]
    fn roles_and_scopes_parse_exactly() {
        let a = parse("wang.fang").unwrap();
        assert_eq!((a.role, a.districts), (Role::Operator, None));
        let a = parse("li role=supervisor").unwrap();
        assert_eq!(a.role, Role::Supervisor);
        let a = parse("zhao districts=321181,321183").unwrap();
        assert_eq!(a.districts, Some(vec![RegionId(3), RegionId(5)]));
        assert_eq!(parse("lobby-1 role=kiosk").unwrap().role, Role::Kiosk);
    }

    #[test]
    fn anything_else_refuses_the_line() {
        for (line, want) in [
            ("lobby-4 role=kiosk role=operator", "given twice"),
            ("lobby-4 Role=kiosk", "not a setting"),
            ("lobby-4 role:kiosk", "not a setting"),
            ("lobby-4 r\u{3bf}le=kiosk", "not a setting"),
            ("lobby-4 role=kiosk\u{a0}role=operator", "unknown role"),
            ("lobby-4 role=Operator", "unknown role"),
            ("lobby-4 role=", "unknown role"),
            ("zhao districts=321181,999999", "unknown district '999999'"),
            ("zhao districts=", "is empty"),
            ("zhao districts=321181,321181", "given twice"),
            ("li role=supervisor districts=321181", "role=operator only"),
            ("role=admin", "no name"),
            ("", "no name"),
            ("wang\u{1b}[2J", "not allowed"),
        ] {
            let e = parse(line).expect_err(line).to_string();
            assert!(e.contains(want), "{line}: {e}");
        }
    }

    #[test]
    fn each_role_may_what_its_rank_allows() {
        let kiosk = Actor::new("k", Role::Kiosk);
        let op = Actor::operator("o");
        let sup = Actor::new("s", Role::Supervisor);
        let admin = Actor::admin("a");
        assert!(kiosk.may(Action::Read).is_err());
        assert!(op.may(Action::Pairing).is_ok());
        let e = op.may(Action::Correct).unwrap_err().to_string();
        assert_eq!(
            e,
            "o (operator) may not change an existing record: that needs the supervisor role or higher"
        );
        assert!(sup.may(Action::Correct).is_ok());
        let e = sup.may(Action::Backup).unwrap_err().to_string();
        assert!(e.ends_with("needs the admin role"), "{e}");
        assert!(admin.may(Action::Restore).is_ok());
    }

    #[test]
    fn a_scoped_operator_covers_only_their_districts() {
        let op = Actor::operator("zhao").in_districts(vec![RegionId(3)]);
        assert!(op.covers(RegionId(3)));
        assert!(!op.covers(RegionId(0)));
        let e = op
            .may_in(
                Action::Read,
                RegionId(0),
                Subject {
                    kind: crate::domain::Kind::Trainees,
                    key: "T7".into(),
                    name: None,
                },
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("serves 321181 丹阳市") && e.contains("321102 京口区"), "{e}");
    }
}
