//! Cell text → domain values. A reference by name resolves exactly (Chinese
//! name, English name, code or alias) or fails with a reason that suggests
//! the nearest names. Each function returns the reason only; the importer
//! adds the file, row, column and value.

use crate::domain::*;
use crate::suggest::{did_you_mean, nearest};
use chrono::NaiveDate;
use std::fmt;

/// A catalog a cell names an entry of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalog {
    Region,
    Program,
    Alliance,
}

/// Why a cell's text resolves to nothing: each language words it (the
/// `Display` is the English).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unresolved {
    /// No entry of the catalog is called that; the nearest names, and the
    /// names accepted.
    #[error("{}", unknown_en(*.what, .near, .listed))]
    Unknown {
        what: Catalog,
        near: Vec<String>,
        listed: Vec<&'static str>,
    },
    /// No trade is called that; the nearest names (an alias with its
    /// trade), and every trade.
    #[error("{}", trade_en(.near, .listed))]
    Trade {
        near: Vec<(String, Option<&'static str>)>,
        listed: Vec<&'static str>,
    },
    /// One of a list's parts.
    #[error("'{part}': {inner}")]
    InList { part: String, inner: Box<Unresolved> },
    #[error("not a skill level: expected {} (or 5 to 1)", .listed.join(", "))]
    NotLevel { listed: Vec<&'static str> },
    #[error("not a post kind: expected 技能岗 (skilled) or 技术管理岗 (technical-management)")]
    NotPostKind,
    #[error(
        "not a class kind: expected 政府补贴类培训 (subsidized), 技能等级认定 (certification) or 项目化培训 (project-based)"
    )]
    NotClassKind,
    #[error("not a class status: expected {}", .listed.iter().map(|s| format!("{} ({})", s.zh(), s.name())).collect::<Vec<_>>().join(", "))]
    NotClassStatus { listed: Vec<ClassStatus> },
    #[error("not a demand status: expected 招聘中 (open) or 已关闭 (closed)")]
    NotDemandStatus,
    #[error("not a date: {DATE_HELP}")]
    NotDate,
    #[error("year {year} is out of range: {DATE_HELP}")]
    YearOutOfRange { year: u32 },
    #[error("{year:04}-{month:02}-{day:02} is not a real date")]
    NotRealDate { year: u32, month: u32, day: u32 },
    #[error("must be from {min} to {max}")]
    OutOfRange { min: u32, max: u32 },
    #[error("not a whole number: expected digits from {min} to {max}")]
    NotNumber { min: u32, max: u32 },
    #[error("not a star rating: expected 1 to 5 (4, 4星, 四星 or ★★★★)")]
    NotStars,
}

impl fmt::Display for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Catalog::Region => "region",
            Catalog::Program => "program",
            Catalog::Alliance => "alliance",
        })
    }
}

fn unknown_en(what: Catalog, near: &[String], listed: &[&'static str]) -> String {
    let mut s = format!("no {what} is called that");
    if !near.is_empty() {
        let refs: Vec<&str> = near.iter().map(String::as_str).collect();
        s.push_str(&format!("; {}", did_you_mean(&refs)));
    }
    s.push_str(&format!(" Accepted: {}", listed.join(", ")));
    if what == Catalog::Region {
        s.push_str(" (or their English names or codes)");
    }
    s
}

fn trade_en(near: &[(String, Option<&'static str>)], listed: &[&'static str]) -> String {
    let mut s = "no trade is called that (by its name, English name, code or alias)".to_string();
    if !near.is_empty() {
        // Show the trade an alias belongs to.
        let shown: Vec<String> = near
            .iter()
            .map(|(n, trade)| match trade {
                Some(zh) => format!("{n}' ('{zh}"),
                None => n.clone(),
            })
            .collect();
        let refs: Vec<&str> = shown.iter().map(String::as_str).collect();
        s.push_str(&format!("; {}", did_you_mean(&refs)));
    }
    s.push_str(&format!(" Trades: {}", listed.join(", ")));
    s
}

/// Full-width ASCII forms (`１２３`, `Ｘ`, `－`, as Chinese input methods
/// type them) as ASCII, and the ideographic space as a space; everything
/// else as it is.
pub fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Characters that take no room: zero-width spaces and joiners, a BOM.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Chinese text, where a space between two characters is a stray.
fn wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3001..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// A person's or an organization's name as it is kept: every kind of
/// space (runs of them, tabs, NBSP, the full-width space) becomes one
/// space between Latin words and none next to a Chinese character
/// (`陈  静` → `陈静`, `Li  Ming` → `Li Ming`); zero-width characters go.
pub fn name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().filter(|c| !invisible(*c)) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space && !wide(c) && !out.chars().next_back().is_some_and(wide) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Digits as typed or pasted: full-width forms as ASCII, and the spaces,
/// hyphens, dots and parentheses people group them with removed.
pub fn digits(s: &str) -> String {
    ascii(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !invisible(*c) && !matches!(c, '-' | '(' | ')' | '.' | '—' | '–'))
        .collect()
}

/// A mobile number's text: [`digits`], and `0086` read as `+86`.
pub fn mobile(s: &str) -> String {
    let d = digits(s);
    match d.strip_prefix("0086") {
        Some(rest) if rest.len() == 11 => format!("+86{rest}"),
        _ => d,
    }
}

/// Case- and space-insensitive comparison key for names.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn pick<T: Copy>(input: &str, options: &[(T, Vec<&'static str>)]) -> Option<T> {
    let f = fold(input);
    options
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold(n) == f))
        .map(|(t, _)| *t)
}

fn unknown(what: Catalog, input: &str, candidates: &[&'static str], listed: Vec<&'static str>) -> Unresolved {
    Unresolved::Unknown {
        what,
        near: nearest(input, candidates.iter().copied(), 3)
            .into_iter()
            .map(str::to_string)
            .collect(),
        listed,
    }
}

fn region_names(r: &'static catalog::Region) -> Vec<&'static str> {
    let mut v = vec![r.zh, r.short_zh, r.en, r.code];
    if let Some(short_en) = r.en.strip_suffix(" District") {
        v.push(short_en);
    }
    v
}

pub fn region(input: &str) -> Result<RegionId, Unresolved> {
    let options: Vec<(RegionId, Vec<&'static str>)> = REGIONS.iter().map(|r| (r.id, region_names(r))).collect();
    if let Some(r) = pick(input, &options) {
        return Ok(r);
    }
    let candidates: Vec<&'static str> = REGIONS.iter().flat_map(region_names).collect();
    let listed: Vec<&'static str> = REGIONS.iter().map(|r| r.zh).collect();
    Err(unknown(Catalog::Region, input, &candidates, listed))
}

/// The region whose official code an ID number's address code is, if any.
pub fn region_of_address(code: &str) -> Option<RegionId> {
    REGIONS.iter().find(|r| r.code == code).map(|r| r.id)
}

fn occupation_names(o: &'static catalog::Occupation) -> Vec<&'static str> {
    let mut v = vec![o.zh, o.en];
    v.extend(o.aliases.iter().copied());
    if let Some((code, _)) = o.code {
        v.push(code);
    }
    v
}

pub fn occupation(input: &str) -> Result<OccupationId, Unresolved> {
    let options: Vec<(OccupationId, Vec<&'static str>)> =
        OCCUPATIONS.iter().map(|o| (o.id, occupation_names(o))).collect();
    if let Some(o) = pick(input, &options) {
        return Ok(o);
    }
    let candidates: Vec<&'static str> = OCCUPATIONS.iter().flat_map(occupation_names).collect();
    let near = nearest(input, candidates.iter().copied(), 3)
        .into_iter()
        .map(|n| match pick(n, &options).and_then(|id| id.get()) {
            Some(o) if o.zh != n => (n.to_string(), Some(o.zh)),
            _ => (n.to_string(), None),
        })
        .collect();
    let listed = OCCUPATIONS.iter().map(|o| o.zh).collect();
    Err(Unresolved::Trade { near, listed })
}

/// Trades separated by 、 ; , or |.
pub fn occupations(input: &str) -> Result<Vec<OccupationId>, Unresolved> {
    let mut out = Vec::new();
    for part in split_list(input) {
        let o = occupation(part).map_err(|e| Unresolved::InList {
            part: part.to_string(),
            inner: Box::new(e),
        })?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    Ok(out)
}

pub fn split_list(input: &str) -> impl Iterator<Item = &str> {
    input
        .split(['、', ';', '；', ',', '，', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub fn program(input: &str) -> Result<ProgramId, Unresolved> {
    let names = |p: &'static catalog::Program| -> Vec<&'static str> {
        let mut v = vec![p.zh, p.en];
        if let Some(short) = p.zh.strip_suffix("专项") {
            v.push(short);
        }
        v
    };
    let options: Vec<(ProgramId, Vec<&'static str>)> = PROGRAMS.iter().map(|p| (p.id, names(p))).collect();
    if let Some(p) = pick(input, &options) {
        return Ok(p);
    }
    let candidates: Vec<&'static str> = PROGRAMS.iter().flat_map(names).collect();
    let listed: Vec<&'static str> = PROGRAMS.iter().map(|p| p.zh).collect();
    Err(unknown(Catalog::Program, input, &candidates, listed))
}

pub fn alliance(input: &str) -> Result<AllianceId, Unresolved> {
    let options: Vec<(AllianceId, Vec<&'static str>)> = ALLIANCES.iter().map(|a| (a.id, vec![a.zh, a.en])).collect();
    if let Some(a) = pick(input, &options) {
        return Ok(a);
    }
    let candidates: Vec<&'static str> = ALLIANCES.iter().flat_map(|a| [a.zh, a.en]).collect();
    let listed: Vec<&'static str> = ALLIANCES.iter().map(|a| a.zh).collect();
    Err(unknown(Catalog::Alliance, input, &candidates, listed))
}

fn level_names(l: SkillLevel) -> Vec<&'static str> {
    let (num, zh_num, title, en_short) = match l {
        SkillLevel::L5 => ("5", "五级", "初级工", "L5"),
        SkillLevel::L4 => ("4", "四级", "中级工", "L4"),
        SkillLevel::L3 => ("3", "三级", "高级工", "L3"),
        SkillLevel::L2 => ("2", "二级", "技师", "L2"),
        SkillLevel::L1 => ("1", "一级", "高级技师", "L1"),
    };
    vec![l.zh(), l.en(), num, zh_num, title, en_short]
}

pub fn level(input: &str) -> Result<SkillLevel, Unresolved> {
    let options: Vec<(SkillLevel, Vec<&'static str>)> = SkillLevel::ALL.iter().map(|l| (*l, level_names(*l))).collect();
    let f = fold(input);
    let f = f.strip_prefix("level").unwrap_or(&f);
    if let Some(l) = pick(f, &options) {
        return Ok(l);
    }
    Err(Unresolved::NotLevel {
        listed: SkillLevel::ALL.iter().map(|l| l.zh()).collect(),
    })
}

/// A minimum level; empty, 无 or 不限 mean none.
pub fn min_level(input: &str) -> Result<Option<SkillLevel>, Unresolved> {
    match input.trim() {
        "" | "无" | "不限" | "none" | "-" => Ok(None),
        s => level(s).map(Some),
    }
}

pub fn post_kind(input: &str) -> Result<PostKind, Unresolved> {
    let options = [
        (PostKind::Skilled, vec!["技能岗", "技能", "技能岗位", "skilled"]),
        (
            PostKind::TechnicalManagement,
            vec![
                "技术管理岗",
                "技术管理",
                "专业技术管理岗",
                "technical-management",
                "technical management",
            ],
        ),
    ];
    pick(input, &options).ok_or(Unresolved::NotPostKind)
}

pub fn class_kind(input: &str) -> Result<ClassKind, Unresolved> {
    let options = [
        (
            ClassKind::Subsidized,
            vec!["政府补贴类培训", "政府补贴类", "补贴类培训", "补贴培训", "subsidized"],
        ),
        (
            ClassKind::Certification,
            vec!["技能等级认定", "等级认定", "认定", "certification"],
        ),
        (
            ClassKind::ProjectBased,
            vec!["项目化培训", "项目化", "project-based", "project"],
        ),
    ];
    pick(input, &options).ok_or(Unresolved::NotClassKind)
}

pub fn class_status(input: &str) -> Result<ClassStatus, Unresolved> {
    let all = [
        ClassStatus::Planned,
        ClassStatus::Open,
        ClassStatus::Running,
        ClassStatus::Finished,
        ClassStatus::Cancelled,
    ];
    let options: Vec<(ClassStatus, Vec<&'static str>)> = all.iter().map(|s| (*s, vec![s.zh(), s.name()])).collect();
    pick(input, &options).ok_or_else(|| Unresolved::NotClassStatus { listed: all.to_vec() })
}

/// A demand's status as a file gives it. `Filled` follows the hires and is
/// never taken from a file: 已满 reads as open.
pub fn demand_status(input: &str) -> Result<DemandStatus, Unresolved> {
    let options = [
        (DemandStatus::Open, vec!["招聘中", "open", "已满", "filled"]),
        (DemandStatus::Closed, vec!["已关闭", "关闭", "closed"]),
    ];
    pick(input, &options).ok_or(Unresolved::NotDemandStatus)
}

/// The Chinese name of a default key group given in English; other text as it is.
pub fn key_group(input: &str) -> Option<String> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    let f = fold(t);
    Some(
        DEFAULT_KEY_GROUPS
            .iter()
            .find(|(_, en)| fold(en) == f)
            .map(|(zh, _)| zh.to_string())
            .unwrap_or_else(|| t.to_string()),
    )
}

const DATE_HELP: &str = "expected a date such as 2025-08-01, 2025/8/1, 2025.8.1, 20250801 or 2025年8月1日";

/// Excel keeps a date as the number of days since 1899-12-30; a date
/// column formatted as General shows that number (45870 is 2025-08-01).
/// Five digits are unambiguous: no other way of writing a date has five.
fn excel_serial(t: &str) -> Option<NaiveDate> {
    // A date-time keeps its time after the point: the date is the whole part.
    let whole = match t.split_once('.') {
        Some((w, f)) if f.bytes().all(|b| b.is_ascii_digit()) => w,
        Some(_) => return None,
        None => t,
    };
    if whole.len() != 5 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = whole.parse().ok()?;
    // 1927-05-18 to 2119-01-05: every date a city's records hold.
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(n))
}

pub fn date(input: &str) -> Result<NaiveDate, Unresolved> {
    let t = ascii(input);
    let t = t.trim();
    if let Some(d) = excel_serial(t) {
        return Ok(d);
    }
    // A date-time from a spreadsheet: keep the date.
    let t = t.split(['T', ' ']).next().unwrap_or(t);
    let t = t.trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let nums: Option<Vec<u32>> = if parts.len() == 3 {
        parts.iter().map(|p| p.parse::<u32>().ok()).collect()
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        Some(vec![
            t[..4].parse().unwrap_or(0),
            t[4..6].parse().unwrap_or(0),
            t[6..].parse().unwrap_or(0),
        ])
    } else {
        None
    };
    let Some(n) = nums else {
        return Err(Unresolved::NotDate);
    };
    if n[0] < 1900 || n[0] > 2200 {
        return Err(Unresolved::YearOutOfRange { year: n[0] });
    }
    NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]).ok_or(Unresolved::NotRealDate {
        year: n[0],
        month: n[1],
        day: n[2],
    })
}

/// A whole number, allowing thousands separators and a unit (人, 名, 元).
pub fn number(input: &str, min: u32, max: u32) -> Result<u32, Unresolved> {
    let t: String = ascii(input)
        .trim()
        .trim_end_matches(['人', '名', '元', '个'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let t = t.strip_suffix(".0").unwrap_or(&t);
    match t.parse::<u64>() {
        Ok(n) if n >= u64::from(min) && n <= u64::from(max) => Ok(n as u32),
        Ok(_) => Err(Unresolved::OutOfRange { min, max }),
        Err(_) => Err(Unresolved::NotNumber { min, max }),
    }
}

/// Credit stars: 4, 4星, 四星, ★★★★.
pub fn stars(input: &str) -> Result<u8, Unresolved> {
    let t = ascii(input);
    let t = t.trim();
    let stars = t.chars().filter(|c| *c == '★').count();
    if stars > 0 && t.chars().all(|c| c == '★' || c == '☆') {
        return Ok(stars as u8);
    }
    let t = t.trim_end_matches('星').trim_end_matches("级");
    let zh = ["一", "二", "三", "四", "五"];
    if let Some(i) = zh.iter().position(|z| *z == t) {
        return Ok(i as u8 + 1);
    }
    match t.strip_suffix(".0").unwrap_or(t).parse::<u8>() {
        Ok(n) => Ok(n),
        Err(_) => Err(Unresolved::NotStars),
    }
}

/// Excel turns a long number into scientific notation and drops digits.
pub fn looks_scientific(s: &str) -> bool {
    let t = s.trim();
    let Some((mant, exp)) = t.split_once(['e', 'E']) else {
        return false;
    };
    !mant.is_empty()
        && mant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && exp.trim_start_matches('+').chars().all(|c| c.is_ascii_digit())
        && !exp.trim_start_matches('+').is_empty()
}

/// Wrappers spreadsheets put around numbers kept as text: `'…`, `="…"`, a tab.
pub fn unwrap_text_number(s: &str) -> &str {
    let t = s.trim().trim_start_matches('\'');
    t.strip_prefix("=\"")
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(t)
        .trim()
}

/// A cell as export wrote it for Excel: a value that would start a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return: the OWASP rule) was
/// written behind a `'`; read it back without.
pub fn unescape_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_resolve_every_way_and_suggest() {
        assert_eq!(region("京口区"), Ok(RegionId(0)));
        assert_eq!(region("京口"), Ok(RegionId(0)));
        assert_eq!(region("jingkou district"), Ok(RegionId(0)));
        assert_eq!(region("321181"), Ok(RegionId(3)));
        assert_eq!(region("ZJGX01"), Ok(RegionId(7)));
        let e = region("润洲区").unwrap_err().to_string();
        assert!(e.contains("did you mean '润州区'?"), "{e}");
        assert!(e.contains("镇江高新区"), "{e}");
    }

    #[test]
    fn trades_resolve_by_alias_and_code() {
        assert_eq!(occupation("电焊工"), Ok(OccupationId(3)));
        assert_eq!(occupation("6-18-02-04"), Ok(OccupationId(3)));
        assert_eq!(occupation("Welder"), Ok(OccupationId(3)));
        let e = occupation("养老护理").unwrap_err().to_string();
        assert!(e.contains("养老护理员"), "{e}");
        assert_eq!(
            occupations("焊工、车工;焊工").unwrap(),
            vec![OccupationId(3), OccupationId(2)]
        );
    }

    #[test]
    fn dates_numbers_levels_stars() {
        let d = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
        for s in [
            "2025-08-01",
            "2025/8/1",
            "2025.8.1",
            "20250801",
            "2025年8月1日",
            "2025-08-01 00:00:00",
        ] {
            assert_eq!(date(s), Ok(d), "{s}");
        }
        assert_eq!(
            date("2025-02-30").unwrap_err().to_string(),
            "2025-02-30 is not a real date"
        );
        assert!(date("next monday").unwrap_err().to_string().contains("2025-08-01"));
        assert_eq!(number("1,200人", 1, 10_000), Ok(1200));
        assert!(number("0", 1, 10).unwrap_err().to_string().contains("from 1 to 10"));
        assert_eq!(level("三级/高级工"), Ok(SkillLevel::L3));
        assert_eq!(level("技师"), Ok(SkillLevel::L2));
        assert_eq!(level("level 5"), Ok(SkillLevel::L5));
        assert_eq!(min_level("不限"), Ok(None));
        assert_eq!(stars("★★★★"), Ok(4));
        assert_eq!(stars("四星"), Ok(4));
        assert_eq!(stars("5.0"), Ok(5));
        assert!(looks_scientific("3.21102E+17"));
        assert!(!looks_scientific("32110219900101123X"));
        assert_eq!(unwrap_text_number("=\"13912345678\""), "13912345678");
        assert_eq!(key_group("rural migrant worker").as_deref(), Some("农村转移劳动者"));
        assert_eq!(demand_status("已满"), Ok(DemandStatus::Open));
    }

    #[test]
    fn full_width_spaces_serials_and_names() {
        assert_eq!(ascii("３２１１０２１９９６１０１８２６８Ｘ"), "32110219961018268X");
        assert_eq!(digits("１３９ １２３４－５６７８"), "13912345678");
        assert_eq!(mobile("0086 139 1234 5678"), "+8613912345678");
        assert_eq!(name("陈\u{a0}\u{a0}静"), "陈静");
        assert_eq!(name(" 陈\u{3000}静 "), "陈静");
        assert_eq!(name("Li \t Ming"), "Li Ming");
        assert_eq!(name("镇江 ABC 培训\u{200b}学校"), "镇江ABC培训学校");
        let d = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
        assert_eq!(date("45870"), Ok(d));
        assert_eq!(date("45870.0"), Ok(d));
        assert_eq!(date("２０２５－０８－０１"), Ok(d));
        assert!(date("4587").is_err());
        assert_eq!(number("３０", 1, 100), Ok(30));
        assert_eq!(stars("４"), Ok(4));
        assert_eq!(unescape_formula("'=HYPERLINK(1)"), "=HYPERLINK(1)");
        assert_eq!(unescape_formula("'abc"), "'abc");
    }
}
