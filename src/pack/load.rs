//! Reading and checking a pack. Every problem is found (not only the
//! first) and named with its FILE:LINE:COL, as `keymap check` does: the
//! TOML's shape first (a field missing, misspelt or of the wrong type),
//! then what the rows say (ids in order, no duplicate codes or names,
//! references that exist, national codes that fit the pattern, every
//! region on the map).

use super::*;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// What is wrong, wherever it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    /// The file cannot be read (missing, unreadable).
    Unreadable { error: String },
    /// Not TOML at all.
    NotToml { message: String },
    /// TOML, but not the pack's shape (a field missing, unknown, of the wrong type).
    Shape { message: String },
    /// Ids run 0, 1, 2… in file order.
    IdOrder {
        table: &'static str,
        expected: usize,
        found: i64,
    },
    /// The same code twice.
    DuplicateCode {
        table: &'static str,
        code: String,
        first: i64,
    },
    /// The same Chinese name twice.
    DuplicateName {
        table: &'static str,
        name: String,
        first: i64,
    },
    /// A related occupation id no occupation has.
    UnknownRelated { id: i64 },
    /// An occupation listed as related to itself.
    RelatedToItself { id: i64 },
    /// An alliance's region id no region has.
    UnknownRegion { id: i64 },
    /// A national occupation code not of the pattern 6-18-02-04.
    BadNationalCode { code: String },
    /// A classification group not of the pattern 6-18 or 6-18-01.
    BadGroup { group: String },
    /// A national code without the edition it is from.
    CodeWithoutEdition { code: String },
    /// An edition without a code.
    EditionWithoutCode,
    /// An edition that is not 1999, 2015 or 2022.
    BadEdition { text: String },
    /// A region code that does not fit its kind.
    BadRegionCode { code: String, kind: &'static str },
    /// A code kind that is not official, statistical or local.
    BadCodeKind { text: String },
    /// A post kind that is not skilled or technical-management.
    BadPostKind { text: String },
    /// A region without lon or lat: it cannot be put on the map.
    MissingPosition { region: String, field: &'static str },
    /// A position outside China's longitudes (73–136) or latitudes (3–54).
    PositionOutOfRange { field: &'static str, value: f64 },
    /// A name that is empty.
    Empty { table: &'static str, field: &'static str },
    /// An alias that is already another occupation's name or alias.
    AliasTaken { alias: String, by: i64 },
    /// A table with no entries where at least one is needed.
    NoEntries { table: &'static str },
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issue::Unreadable { error } => write!(f, "cannot read the file: {error}"),
            Issue::NotToml { message } => write!(f, "not valid TOML: {message}"),
            Issue::Shape { message } => write!(f, "{message}"),
            Issue::IdOrder { table, expected, found } => write!(
                f,
                "{table} id {found}: expected {expected} (ids run 0, 1, 2… in file order and are never reused)"
            ),
            Issue::DuplicateCode { table, code, first } => {
                write!(
                    f,
                    "{table} code '{code}' is already {table} {first}'s: codes are unique"
                )
            }
            Issue::DuplicateName { table, name, first } => {
                write!(
                    f,
                    "{table} name '{name}' is already {table} {first}'s: names are unique"
                )
            }
            Issue::UnknownRelated { id } => {
                write!(
                    f,
                    "related occupation {id} does not exist: expected ids of this pack's occupations"
                )
            }
            Issue::RelatedToItself { id } => write!(f, "occupation {id} is listed as related to itself"),
            Issue::UnknownRegion { id } => {
                write!(f, "region {id} does not exist: expected an id of this pack's regions")
            }
            Issue::BadNationalCode { code } => write!(
                f,
                "national occupation code '{code}' does not fit the pattern of the national classification: expected 6-18-02-04 (digit, then three pairs of digits), or no code"
            ),
            Issue::BadGroup { group } => write!(
                f,
                "classification group '{group}' does not fit the pattern: expected 6-18 or 6-18-01, or no group"
            ),
            Issue::CodeWithoutEdition { code } => write!(
                f,
                "national code '{code}' has no edition: add edition = \"2015\" (or 1999, 2022)"
            ),
            Issue::EditionWithoutCode => write!(
                f,
                "an edition without a national code: add code = \"…\" or drop the edition"
            ),
            Issue::BadEdition { text } => write!(f, "edition '{text}' is not one of 1999, 2015, 2022"),
            Issue::BadRegionCode { code, kind } => match *kind {
                "local" => write!(f, "local region code '{code}': expected 1 to 12 letters or digits"),
                _ => write!(
                    f,
                    "{kind} region code '{code}': expected 6 digits (GB/T 2260), e.g. 321102; a zone with no national code is code_kind = \"local\""
                ),
            },
            Issue::BadCodeKind { text } => {
                write!(f, "code_kind '{text}' is not one of official, statistical, local")
            }
            Issue::BadPostKind { text } => write!(f, "kind '{text}' is not one of skilled, technical-management"),
            Issue::MissingPosition { region, field } => write!(
                f,
                "region '{region}' has no {field}: every region needs lon and lat (its place on the dashboard map), e.g. lon = 119.47, lat = 32.2"
            ),
            Issue::PositionOutOfRange { field, value } => write!(
                f,
                "{field} = {value} is outside China: expected lon from 73 to 136 and lat from 3 to 54 (degrees)"
            ),
            Issue::Empty { table, field } => write!(f, "{table} {field} is empty"),
            Issue::AliasTaken { alias, by } => write!(
                f,
                "alias '{alias}' is already occupation {by}'s name or alias: a search for it would find both"
            ),
            Issue::NoEntries { table } => write!(f, "no {table} entries: a pack needs at least one"),
        }
    }
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PackProblem {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub issue: Issue,
}

impl fmt::Display for PackProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.issue)
    }
}

/// Every problem a pack (or an import file) has.
#[derive(Debug, Clone, PartialEq)]
pub struct PackError {
    pub problems: Vec<PackProblem>,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackError {}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

// The files as written, with the places of what the checks point at.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCity {
    zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    sample: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyGroup {
    zh: Spanned<String>,
    en: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CityFile {
    city: RawCity,
    baseline: Baseline,
    targets: Targets,
    #[serde(default)]
    key_group: Vec<RawKeyGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegion {
    id: Spanned<i64>,
    code: Spanned<String>,
    code_kind: Spanned<String>,
    zh: Spanned<String>,
    short_zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    industries: String,
    lon: Option<Spanned<f64>>,
    lat: Option<Spanned<f64>>,
    #[serde(default)]
    retired: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionsFile {
    #[serde(default)]
    region: Vec<Spanned<RawRegion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOccupation {
    id: Spanned<i64>,
    zh: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    code: Option<Spanned<String>>,
    edition: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    kind: Spanned<String>,
    #[serde(default)]
    related: Vec<Spanned<i64>>,
    #[serde(default)]
    retired: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OccupationsFile {
    #[serde(default)]
    occupation: Vec<Spanned<RawOccupation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgram {
    id: Spanned<i64>,
    zh: Spanned<String>,
    en: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramsFile {
    #[serde(default)]
    program: Vec<Spanned<RawProgram>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlliance {
    id: Spanned<i64>,
    zh: Spanned<String>,
    en: Spanned<String>,
    region: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlliancesFile {
    #[serde(default)]
    alliance: Vec<Spanned<RawAlliance>>,
}

/// Where a row-level check points: a table's entry and one of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct At {
    pub table: &'static str,
    pub index: usize,
    pub field: &'static str,
}

/// One file's text and the spans of its entries' fields.
struct Source {
    file: String,
    text: String,
    spans: HashMap<At, Range<usize>>,
}

impl Source {
    fn problem(&self, span: Range<usize>, issue: Issue) -> PackProblem {
        let (line, col) = line_col(&self.text, span.start);
        PackProblem {
            file: self.file.clone(),
            line,
            col,
            issue,
        }
    }

    fn at(&self, at: At, issue: Issue) -> PackProblem {
        let span = self
            .spans
            .get(&at)
            .or_else(|| self.spans.get(&At { field: "", ..at }))
            .cloned()
            .unwrap_or(0..0);
        self.problem(span, issue)
    }

    fn note(&mut self, table: &'static str, index: usize, field: &'static str, span: Range<usize>) {
        self.spans.insert(At { table, index, field }, span);
    }
}

fn read_source(path: &Path, shown: String) -> Result<Source, PackProblem> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Source {
            file: shown,
            text,
            spans: HashMap::new(),
        }),
        Err(e) => Err(PackProblem {
            file: shown,
            line: 1,
            col: 1,
            issue: Issue::Unreadable { error: e.to_string() },
        }),
    }
}

fn parse<T: serde::de::DeserializeOwned>(src: &Source) -> Result<T, PackProblem> {
    if let Err(e) = toml::de::DeTable::parse(&src.text) {
        let span = e.span().unwrap_or(0..0);
        return Err(src.problem(
            span,
            Issue::NotToml {
                message: e.message().trim().to_string(),
            },
        ));
    }
    toml::from_str::<T>(&src.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.problem(
            span,
            Issue::Shape {
                message: e.message().trim().to_string(),
            },
        )
    })
}

fn id_of(id: &Spanned<i64>, max: i64) -> Option<i64> {
    let v = *id.get_ref();
    (0..=max).contains(&v).then_some(v)
}

fn edition(text: &str) -> Option<Edition> {
    match text.trim() {
        "1999" => Some(Edition::E1999),
        "2015" => Some(Edition::E2015),
        "2022" => Some(Edition::E2022),
        _ => None,
    }
}

fn code_kind(text: &str) -> Option<CodeKind> {
    match text.trim() {
        "official" => Some(CodeKind::Official),
        "statistical" => Some(CodeKind::Statistical),
        "local" => Some(CodeKind::Local),
        _ => None,
    }
}

fn post_kind(text: &str) -> Option<PostKind> {
    match text.trim() {
        "skilled" => Some(PostKind::Skilled),
        "technical-management" => Some(PostKind::TechnicalManagement),
        _ => None,
    }
}

/// Regions of a regions file (a pack's, or an import's), with their spans
/// noted in `src`; the problems of single fields go to `out`.
fn regions_of(src: &mut Source, out: &mut Vec<PackProblem>) -> Option<Vec<RegionRow>> {
    let file: RegionsFile = match parse(src) {
        Ok(f) => f,
        Err(p) => {
            out.push(p);
            return None;
        }
    };
    let mut rows = Vec::new();
    for (i, r) in file.region.into_iter().enumerate() {
        let whole = r.span();
        let r = r.into_inner();
        src.note("region", i, "", whole.clone());
        src.note("region", i, "id", r.id.span());
        src.note("region", i, "code", r.code.span());
        src.note("region", i, "zh", r.zh.span());
        src.note("region", i, "short_zh", r.short_zh.span());
        src.note("region", i, "en", r.en.span());
        let kind = code_kind(r.code_kind.get_ref());
        if kind.is_none() {
            out.push(src.problem(
                r.code_kind.span(),
                Issue::BadCodeKind {
                    text: r.code_kind.get_ref().clone(),
                },
            ));
        }
        let mut pos = |v: Option<Spanned<f64>>, field: &'static str, name: &str| match v {
            Some(v) => {
                src.note("region", i, field, v.span());
                Some(*v.get_ref())
            }
            None => {
                out.push(src.problem(
                    whole.clone(),
                    Issue::MissingPosition {
                        region: name.to_string(),
                        field,
                    },
                ));
                None
            }
        };
        let name = r.zh.get_ref().clone();
        let lon = pos(r.lon, "lon", &name);
        let lat = pos(r.lat, "lat", &name);
        rows.push(RegionRow {
            id: u8::try_from(*r.id.get_ref()).unwrap_or(u8::MAX),
            code: r.code.into_inner(),
            code_kind: kind.unwrap_or(CodeKind::Local),
            zh: r.zh.into_inner(),
            short_zh: r.short_zh.into_inner(),
            en: r.en.into_inner(),
            industries: r.industries,
            lon: lon.unwrap_or(120.0),
            lat: lat.unwrap_or(32.0),
            retired: r.retired,
        });
        if id_of(&r.id, i64::from(u8::MAX) - 1).is_none() {
            // Out of range: the row check reports it as out of order.
            if let Some(last) = rows.last_mut() {
                last.id = u8::MAX;
            }
        }
    }
    Some(rows)
}

fn occupations_of(src: &mut Source, out: &mut Vec<PackProblem>) -> Option<Vec<OccupationRow>> {
    let file: OccupationsFile = match parse(src) {
        Ok(f) => f,
        Err(p) => {
            out.push(p);
            return None;
        }
    };
    let mut rows = Vec::new();
    for (i, o) in file.occupation.into_iter().enumerate() {
        let whole = o.span();
        let o = o.into_inner();
        src.note("occupation", i, "", whole.clone());
        src.note("occupation", i, "id", o.id.span());
        src.note("occupation", i, "zh", o.zh.span());
        src.note("occupation", i, "en", o.en.span());
        for (k, a) in o.aliases.iter().enumerate().take(ALIAS_SLOTS.len()) {
            src.note("occupation", i, ALIAS_SLOTS[k], a.span());
        }
        for (k, r) in o.related.iter().enumerate().take(RELATED_SLOTS.len()) {
            src.note("occupation", i, RELATED_SLOTS[k], r.span());
        }
        if let Some(c) = &o.code {
            src.note("occupation", i, "code", c.span());
        }
        if let Some(g) = &o.group {
            src.note("occupation", i, "group", g.span());
        }
        let kind = post_kind(o.kind.get_ref());
        if kind.is_none() {
            out.push(src.problem(
                o.kind.span(),
                Issue::BadPostKind {
                    text: o.kind.get_ref().clone(),
                },
            ));
        }
        let code = match (&o.code, &o.edition) {
            (Some(c), Some(e)) => match edition(e.get_ref()) {
                Some(ed) => Some((c.get_ref().clone(), ed)),
                None => {
                    out.push(src.problem(
                        e.span(),
                        Issue::BadEdition {
                            text: e.get_ref().clone(),
                        },
                    ));
                    None
                }
            },
            (Some(c), None) => {
                out.push(src.problem(
                    c.span(),
                    Issue::CodeWithoutEdition {
                        code: c.get_ref().clone(),
                    },
                ));
                None
            }
            (None, Some(e)) => {
                out.push(src.problem(e.span(), Issue::EditionWithoutCode));
                None
            }
            (None, None) => None,
        };
        rows.push(OccupationRow {
            id: u16::try_from(*o.id.get_ref()).unwrap_or(u16::MAX),
            zh: o.zh.into_inner(),
            en: o.en.into_inner(),
            aliases: o.aliases.into_iter().map(Spanned::into_inner).collect(),
            code,
            group: o.group.map(Spanned::into_inner),
            kind: kind.unwrap_or(PostKind::Skilled),
            related: o
                .related
                .into_iter()
                .map(|r| u16::try_from(*r.get_ref()).unwrap_or(u16::MAX))
                .collect(),
            retired: o.retired,
        });
    }
    Some(rows)
}

/// Field names for an occupation's aliases and related ids, by position
/// (so a row check can point at the third alias).
const ALIAS_SLOTS: [&str; 16] = [
    "alias0", "alias1", "alias2", "alias3", "alias4", "alias5", "alias6", "alias7", "alias8", "alias9", "alias10",
    "alias11", "alias12", "alias13", "alias14", "alias15",
];
const RELATED_SLOTS: [&str; 16] = [
    "related0",
    "related1",
    "related2",
    "related3",
    "related4",
    "related5",
    "related6",
    "related7",
    "related8",
    "related9",
    "related10",
    "related11",
    "related12",
    "related13",
    "related14",
    "related15",
];

fn slot(slots: &'static [&'static str; 16], k: usize) -> &'static str {
    slots.get(k).copied().unwrap_or("")
}

fn national_code_fits(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 4
        && parts[0].len() == 1
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn group_fits(group: &str) -> bool {
    let parts: Vec<&str> = group.split('-').collect();
    (2..=3).contains(&parts.len())
        && parts[0].len() == 1
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn region_code_fits(code: &str, kind: CodeKind) -> bool {
    match kind {
        CodeKind::Official | CodeKind::Statistical => code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        CodeKind::Local => (1..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()),
    }
}

/// The row-level problems of a pack, each pointing at an entry's field.
pub fn row_issues(p: &Pack) -> Vec<(At, Issue)> {
    let mut out = Vec::new();
    let at = |table, index, field| At { table, index, field };
    // Regions.
    let mut codes: HashMap<&str, i64> = HashMap::new();
    let mut names: HashMap<&str, i64> = HashMap::new();
    for (i, r) in p.regions.iter().enumerate() {
        if r.id as usize != i {
            out.push((
                at("region", i, "id"),
                Issue::IdOrder {
                    table: "region",
                    expected: i,
                    found: i64::from(r.id),
                },
            ));
        }
        if !region_code_fits(&r.code, r.code_kind) {
            out.push((
                at("region", i, "code"),
                Issue::BadRegionCode {
                    code: r.code.clone(),
                    kind: super::write::code_kind_name(r.code_kind),
                },
            ));
        }
        if let Some(first) = codes.insert(&r.code, i as i64) {
            codes.insert(&r.code, first);
            out.push((
                at("region", i, "code"),
                Issue::DuplicateCode {
                    table: "region",
                    code: r.code.clone(),
                    first,
                },
            ));
        }
        for (field, v) in [("zh", &r.zh), ("short_zh", &r.short_zh), ("en", &r.en)] {
            if v.trim().is_empty() {
                out.push((at("region", i, field), Issue::Empty { table: "region", field }));
            }
        }
        if !r.zh.trim().is_empty()
            && let Some(first) = names.insert(&r.zh, i as i64)
        {
            names.insert(&r.zh, first);
            out.push((
                at("region", i, "zh"),
                Issue::DuplicateName {
                    table: "region",
                    name: r.zh.clone(),
                    first,
                },
            ));
        }
        if !(73.0..=136.0).contains(&r.lon) {
            out.push((
                at("region", i, "lon"),
                Issue::PositionOutOfRange {
                    field: "lon",
                    value: r.lon,
                },
            ));
        }
        if !(3.0..=54.0).contains(&r.lat) {
            out.push((
                at("region", i, "lat"),
                Issue::PositionOutOfRange {
                    field: "lat",
                    value: r.lat,
                },
            ));
        }
    }
    // Occupations.
    let n = p.occupations.len();
    let mut codes: HashMap<&str, i64> = HashMap::new();
    let mut words: HashMap<&str, i64> = HashMap::new();
    for (i, o) in p.occupations.iter().enumerate() {
        if o.id as usize != i {
            out.push((
                at("occupation", i, "id"),
                Issue::IdOrder {
                    table: "occupation",
                    expected: i,
                    found: i64::from(o.id),
                },
            ));
        }
        for (field, v) in [("zh", &o.zh), ("en", &o.en)] {
            if v.trim().is_empty() {
                out.push((
                    at("occupation", i, field),
                    Issue::Empty {
                        table: "occupation",
                        field,
                    },
                ));
            }
        }
        if let Some(first) = words.get(o.zh.as_str()).copied() {
            out.push((
                at("occupation", i, "zh"),
                Issue::DuplicateName {
                    table: "occupation",
                    name: o.zh.clone(),
                    first,
                },
            ));
        } else {
            words.insert(&o.zh, i as i64);
        }
        for (k, a) in o.aliases.iter().enumerate() {
            if a.trim().is_empty() {
                out.push((
                    at("occupation", i, slot(&ALIAS_SLOTS, k)),
                    Issue::Empty {
                        table: "occupation",
                        field: "alias",
                    },
                ));
                continue;
            }
            match words.get(a.as_str()).copied() {
                Some(by) if by != i as i64 => out.push((
                    at("occupation", i, slot(&ALIAS_SLOTS, k)),
                    Issue::AliasTaken { alias: a.clone(), by },
                )),
                Some(_) => {}
                None => {
                    words.insert(a, i as i64);
                }
            }
        }
        if let Some((code, _)) = &o.code {
            if !national_code_fits(code) {
                out.push((
                    at("occupation", i, "code"),
                    Issue::BadNationalCode { code: code.clone() },
                ));
            } else if let Some(first) = codes.insert(code, i as i64) {
                codes.insert(code, first);
                out.push((
                    at("occupation", i, "code"),
                    Issue::DuplicateCode {
                        table: "occupation",
                        code: code.clone(),
                        first,
                    },
                ));
            }
        }
        if let Some(g) = &o.group
            && !group_fits(g)
        {
            out.push((at("occupation", i, "group"), Issue::BadGroup { group: g.clone() }));
        }
        for (k, r) in o.related.iter().enumerate() {
            let field = slot(&RELATED_SLOTS, k);
            if *r as usize >= n {
                out.push((at("occupation", i, field), Issue::UnknownRelated { id: i64::from(*r) }));
            } else if *r == o.id {
                out.push((at("occupation", i, field), Issue::RelatedToItself { id: i64::from(*r) }));
            }
        }
    }
    // Programs and alliances.
    for (i, pr) in p.programs.iter().enumerate() {
        if pr.id as usize != i {
            out.push((
                at("program", i, "id"),
                Issue::IdOrder {
                    table: "program",
                    expected: i,
                    found: i64::from(pr.id),
                },
            ));
        }
        if pr.zh.trim().is_empty() {
            out.push((
                at("program", i, "zh"),
                Issue::Empty {
                    table: "program",
                    field: "zh",
                },
            ));
        }
    }
    for (i, a) in p.alliances.iter().enumerate() {
        if a.id as usize != i {
            out.push((
                at("alliance", i, "id"),
                Issue::IdOrder {
                    table: "alliance",
                    expected: i,
                    found: i64::from(a.id),
                },
            ));
        }
        if a.region as usize >= p.regions.len() {
            out.push((
                at("alliance", i, "region"),
                Issue::UnknownRegion {
                    id: i64::from(a.region),
                },
            ));
        }
    }
    for (i, k) in p.key_groups.iter().enumerate() {
        if k.zh.trim().is_empty() {
            out.push((
                at("key_group", i, "zh"),
                Issue::Empty {
                    table: "key_group",
                    field: "zh",
                },
            ));
        }
    }
    out
}

/// The problems of a pack's rows, without positions (edits from the
/// workspace and imports are checked with this).
pub fn check_catalog_rows(p: &Pack) -> Vec<Issue> {
    row_issues(p).into_iter().map(|(_, i)| i).collect()
}

fn file_name(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Read and check the pack in `dir`: the pack, or every problem it has.
pub fn load_dir(dir: &Path) -> Result<Pack, PackError> {
    let mut problems = Vec::new();
    let mut sources: HashMap<&'static str, Source> = HashMap::new();
    let open = |name: &'static str, problems: &mut Vec<PackProblem>| -> Option<Source> {
        match read_source(&dir.join(name), file_name(dir, name)) {
            Ok(s) => Some(s),
            Err(p) => {
                problems.push(p);
                None
            }
        }
    };
    let mut city_src = open(CITY_FILE, &mut problems);
    let mut regions_src = open(REGIONS_FILE, &mut problems);
    let mut occ_src = open(OCCUPATIONS_FILE, &mut problems);
    let mut prog_src = open(PROGRAMS_FILE, &mut problems);
    let mut all_src = open(ALLIANCES_FILE, &mut problems);

    let city = city_src.as_ref().and_then(|src| match parse::<CityFile>(src) {
        Ok(c) => Some(c),
        Err(p) => {
            problems.push(p);
            None
        }
    });
    let regions = regions_src.as_mut().and_then(|s| regions_of(s, &mut problems));
    let occupations = occ_src.as_mut().and_then(|s| occupations_of(s, &mut problems));
    let programs = prog_src.as_mut().and_then(|src| match parse::<ProgramsFile>(src) {
        Ok(f) => Some(
            f.program
                .into_iter()
                .enumerate()
                .map(|(i, p)| {
                    src.note("program", i, "", p.span());
                    let p = p.into_inner();
                    src.note("program", i, "id", p.id.span());
                    src.note("program", i, "zh", p.zh.span());
                    ProgramRow {
                        id: u8::try_from(*p.id.get_ref()).unwrap_or(u8::MAX),
                        zh: p.zh.into_inner(),
                        en: p.en.into_inner(),
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Err(p) => {
            problems.push(p);
            None
        }
    });
    let alliances = all_src.as_mut().and_then(|src| match parse::<AlliancesFile>(src) {
        Ok(f) => Some(
            f.alliance
                .into_iter()
                .enumerate()
                .map(|(i, a)| {
                    src.note("alliance", i, "", a.span());
                    let a = a.into_inner();
                    src.note("alliance", i, "id", a.id.span());
                    src.note("alliance", i, "region", a.region.span());
                    AllianceRow {
                        id: u8::try_from(*a.id.get_ref()).unwrap_or(u8::MAX),
                        zh: a.zh.into_inner(),
                        en: a.en.into_inner(),
                        region: u8::try_from(*a.region.get_ref()).unwrap_or(u8::MAX),
                    }
                })
                .collect::<Vec<_>>(),
        ),
        Err(p) => {
            problems.push(p);
            None
        }
    });
    let (Some(city), Some(regions), Some(occupations), Some(programs), Some(alliances)) =
        (city, regions, occupations, programs, alliances)
    else {
        return Err(PackError { problems });
    };
    let mut key_groups = Vec::new();
    if let Some(src) = city_src.as_mut() {
        for (i, k) in city.key_group.iter().enumerate() {
            src.note("key_group", i, "zh", k.zh.span());
        }
        for (field, v) in [("zh", &city.city.zh), ("en", &city.city.en)] {
            if v.get_ref().trim().is_empty() {
                problems.push(src.problem(v.span(), Issue::Empty { table: "city", field }));
            }
        }
    }
    for k in city.key_group {
        key_groups.push(KeyGroupRow {
            zh: k.zh.into_inner(),
            en: k.en.into_inner(),
        });
    }
    let pack = Pack {
        city: CityRow {
            zh: city.city.zh.into_inner(),
            en: city.city.en.into_inner(),
            sample: city.city.sample,
        },
        regions,
        occupations,
        programs,
        alliances,
        key_groups,
        baseline: city.baseline,
        targets: city.targets,
    };
    for (table, src, empty) in [
        ("region", &regions_src, pack.regions.is_empty()),
        ("occupation", &occ_src, pack.occupations.is_empty()),
        ("program", &prog_src, pack.programs.is_empty()),
    ] {
        if empty && let Some(s) = src {
            problems.push(s.problem(0..0, Issue::NoEntries { table }));
        }
    }
    if let Some(s) = regions_src {
        sources.insert("region", s);
    }
    if let Some(s) = occ_src {
        sources.insert("occupation", s);
    }
    if let Some(s) = prog_src {
        sources.insert("program", s);
    }
    if let Some(s) = all_src {
        sources.insert("alliance", s);
    }
    if let Some(s) = city_src {
        sources.insert("key_group", s);
    }
    for (at, issue) in row_issues(&pack) {
        if let Some(src) = sources.get(at.table) {
            problems.push(src.at(at, issue));
        }
    }
    if problems.is_empty() {
        Ok(pack)
    } else {
        problems.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        problems.dedup();
        Err(PackError { problems })
    }
}

/// What an import file holds: regions or occupations, as in a pack.
#[derive(Debug, Clone, PartialEq)]
pub enum Entries {
    Regions(Vec<RegionRow>),
    Occupations(Vec<OccupationRow>),
}

/// Read an import file of `[[region]]` or `[[occupation]]` entries (the
/// pack's format), each checked for its own fields; `merge` with the
/// database's pack checks the rest. On a problem in the merged pack, the
/// spans of this file name the place.
pub fn load_file(path: &Path, occupations: bool) -> Result<(Entries, FileSpans), PackError> {
    let mut problems = Vec::new();
    let mut src = read_source(path, path.display().to_string()).map_err(|p| PackError { problems: vec![p] })?;
    let entries = if occupations {
        occupations_of(&mut src, &mut problems).map(Entries::Occupations)
    } else {
        regions_of(&mut src, &mut problems).map(Entries::Regions)
    };
    match entries {
        Some(e) if problems.is_empty() => Ok((e, FileSpans(src))),
        _ => Err(PackError { problems }),
    }
}

/// An import file's text and spans, to place the problems found once its
/// entries are merged into the database's pack.
pub struct FileSpans(Source);

impl FileSpans {
    /// The problem of entry `index` of the file (`field` as in [`At`]).
    pub fn place(&self, index: usize, field: &'static str, issue: Issue) -> PackProblem {
        let table = if self.0.spans.keys().any(|a| a.table == "occupation") {
            "occupation"
        } else {
            "region"
        };
        self.0.at(At { table, index, field }, issue)
    }

    pub fn file(&self) -> &str {
        &self.0.file
    }
}
