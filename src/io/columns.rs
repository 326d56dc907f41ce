//! The columns of every kind, in Chinese and English, and the mapping from a
//! file's header row to them. Export writes `zh` headers (what the city's
//! spreadsheets use); import accepts `zh`, `key` and every alias, in any
//! order. The README's import section lists this table.

use crate::domain::Kind;
use crate::suggest::{did_you_mean, nearest};

/// One column a kind reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The English name: JSON key and accepted header.
    pub key: &'static str,
    /// The Chinese header export writes.
    pub zh: &'static str,
    /// Other headers accepted on import.
    pub aliases: &'static [&'static str],
    /// A file without this column is refused.
    pub required: bool,
    /// What goes in it, for the README and error messages.
    pub about: &'static str,
}

const fn col(
    key: &'static str,
    zh: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    about: &'static str,
) -> Column {
    Column {
        key,
        zh,
        aliases,
        required,
        about,
    }
}

const REGION_ALIASES: &[&str] = &["所在区域", "培训区域", "地区", "区县", "所属区域", "辖市区"];
const OCCUPATION_ALIASES: &[&str] = &[
    "职业（工种）",
    "职业(工种)",
    "职业工种",
    "职业",
    "岗位名称",
    "岗位",
    "trade",
];

pub static INSTITUTION_COLUMNS: [Column; 3] = [
    col(
        "name",
        "机构名称",
        &["培训机构", "机构", "培训机构名称", "institution"],
        true,
        "the institution's full name (its natural key: the same name updates the same institution)",
    ),
    col(
        "region",
        "区域",
        REGION_ALIASES,
        true,
        "district: 京口区 / Jingkou District / 321102, or short 京口",
    ),
    col(
        "stars",
        "信用星级",
        &["星级", "信用等级", "credit_stars"],
        true,
        "credit stars 1 to 5: 4, 4星, 四星 or ★★★★",
    ),
];

pub static ENTERPRISE_COLUMNS: [Column; 4] = [
    col(
        "name",
        "企业名称",
        &["企业", "单位名称", "用人单位", "enterprise", "company"],
        true,
        "the enterprise's full name (its natural key)",
    ),
    col("region", "区域", REGION_ALIASES, true, "district, as for institutions"),
    col(
        "industry",
        "行业",
        &["所属行业", "产业", "所属产业"],
        false,
        "free text, e.g. 船舶海工",
    ),
    col(
        "alliance",
        "培训联盟",
        &["联盟", "产业联盟", "所属联盟"],
        false,
        "one of the 8 regional training alliances (zh or en name), or empty",
    ),
];

pub static DEMAND_COLUMNS: [Column; 11] = [
    col(
        "external_id",
        "编号",
        &["需求编号", "岗位编号", "id"],
        false,
        "the demand's id in the source list (its natural key); export writes D<n> for a demand that has none",
    ),
    col(
        "enterprise",
        "企业名称",
        &["企业", "用人单位", "单位名称", "company"],
        true,
        "an enterprise that exists (import enterprises first)",
    ),
    col(
        "occupation",
        "工种",
        OCCUPATION_ALIASES,
        true,
        "trade: 焊工 / welder / 6-18-02-04 or an alias such as 电焊工",
    ),
    col(
        "region",
        "区域",
        REGION_ALIASES,
        false,
        "district; default: the enterprise's",
    ),
    col(
        "kind",
        "岗位类别",
        &["岗位类型", "类别", "post_kind"],
        false,
        "技能岗 (skilled) or 技术管理岗 (technical-management); default: the trade's",
    ),
    col(
        "headcount",
        "需求人数",
        &["人数", "招聘人数", "需求数量", "岗位数"],
        true,
        "posts wanted, 1 to 10000",
    ),
    col(
        "wage_min",
        "最低月薪",
        &["月薪下限", "薪资下限", "最低工资"],
        false,
        "yuan a month; default 0",
    ),
    col(
        "wage_max",
        "最高月薪",
        &["月薪上限", "薪资上限", "最高工资"],
        false,
        "yuan a month, not below the minimum; default: the minimum",
    ),
    col(
        "min_level",
        "最低技能等级",
        &["技能等级要求", "等级要求", "技能要求"],
        false,
        "五级/初级工 … 一级/高级技师 (or 5 … 1), empty or 不限 for none",
    ),
    col(
        "posted",
        "发布日期",
        &["发布时间", "登记日期", "posted_on"],
        false,
        "date, e.g. 2025-08-01; default: today",
    ),
    col(
        "status",
        "状态",
        &["需求状态"],
        false,
        "招聘中 (open) or 已关闭 (closed); 已满 (filled) is set by skillbridge when the last hire lands and reads as open",
    ),
];

pub static CLASS_COLUMNS: [Column; 12] = [
    col(
        "name",
        "班级名称",
        &["班级", "培训班名称", "培训班", "班名", "class"],
        true,
        "the class's name; name + institution + start date are its natural key",
    ),
    col(
        "institution",
        "培训机构",
        &["机构名称", "承训机构", "培训机构名称"],
        true,
        "an institution that exists (import institutions first)",
    ),
    col("occupation", "工种", OCCUPATION_ALIASES, true, "trade, as for demands"),
    col(
        "region",
        "区域",
        REGION_ALIASES,
        false,
        "district; default: the institution's",
    ),
    col(
        "kind",
        "培训类型",
        &["培训类别", "类型", "class_kind"],
        false,
        "政府补贴类培训 (subsidized), 技能等级认定 (certification) or 项目化培训 (project-based); default subsidized",
    ),
    col(
        "program",
        "专项",
        &["培训专项", "专项名称", "所属专项"],
        false,
        "one of the 8 special programs (zh or en name); default 重点群体技能培训专项",
    ),
    col(
        "start",
        "开班时间",
        &["开班日期", "开始日期", "开课时间", "开课日期"],
        true,
        "date, e.g. 2025-08-01",
    ),
    col(
        "end",
        "结业时间",
        &["结业日期", "结束日期", "结课日期"],
        true,
        "date after the start",
    ),
    col(
        "capacity",
        "计划人数",
        &["培训人数", "班级人数", "人数", "名额", "计划培训人数"],
        true,
        "seats, at least 1",
    ),
    col(
        "target_level",
        "培训等级",
        &["目标等级", "技能等级", "认定等级"],
        false,
        "五级/初级工 … 一级/高级技师; default 五级/初级工",
    ),
    col(
        "linked_demands",
        "关联需求",
        &["关联岗位", "对接岗位"],
        false,
        "project-based classes only: the 编号 of its demands, separated by 、 or ;",
    ),
    col(
        "status",
        "状态",
        &["班级状态"],
        false,
        "计划中 (planned), 报名中 (open), 开班中 (running), 已结业 (finished), 已取消 (cancelled); default planned",
    ),
];

pub static TRAINEE_COLUMNS: [Column; 7] = [
    col("name", "姓名", &["名字", "学员姓名"], true, "the trainee's name"),
    col(
        "id_number",
        "身份证号",
        &["身份证号码", "身份证", "公民身份号码", "证件号码", "身份证件号码"],
        true,
        "18-character resident ID (or the old 15-digit form); the natural key",
    ),
    col(
        "mobile",
        "手机号",
        &["手机号码", "手机", "联系电话", "电话", "联系方式"],
        false,
        "11 digits starting with 1 (+86 allowed), or empty",
    ),
    col(
        "region",
        "区域",
        &["所在区域", "居住区域", "户籍区域", "地区", "区县"],
        false,
        "district; default: from the ID number's address code when it is in the city",
    ),
    col(
        "key_group",
        "重点群体",
        &["人员类别", "群体类别", "人员类型"],
        false,
        "e.g. 农村转移劳动者 (free text; the English names of the default groups are read as their Chinese)",
    ),
    col(
        "wanted",
        "意向工种",
        &["求职意向", "意向职业", "意向岗位", "trades"],
        false,
        "trades separated by 、 or ;",
    ),
    col(
        "created",
        "登记日期",
        &["登记时间", "建档日期"],
        false,
        "date; default: today",
    ),
];

/// A case as a list or a class's roster (花名册) shows it: export only
/// (cases are made by enrolling, and travel whole in backups).
pub static CASE_COLUMNS: [Column; 13] = [
    col("code", "编号", &[], false, "the case's code, K<n>"),
    col("name", "姓名", &[], false, "the trainee's name"),
    col("id_number", "身份证号", &[], false, "the trainee's ID number"),
    col("mobile", "手机号", &[], false, "the trainee's mobile"),
    col("trainee", "学员编号", &[], false, "the trainee's code, T<n>"),
    col("class", "培训班", &[], false, "the class's name"),
    col("class_code", "班级编号", &[], false, "the class's code, C<n>"),
    col("state", "状态", &[], false, "where the case stands"),
    col("theory", "理论成绩", &[], false, "0-100, once evaluated"),
    col("practical", "实操成绩", &[], false, "0-100, once evaluated"),
    col("level", "等级", &[], false, "the level certified"),
    col("certificate", "证书编号", &[], false, "the certificate's number"),
    col("demand", "推荐岗位", &[], false, "the demand referred to or hired for"),
];

/// The sheet an evaluation agency returns (`import results`): one row per
/// person evaluated, matched by ID number to their case awaiting evaluation.
pub static RESULT_COLUMNS: [Column; 8] = [
    col(
        "id_number",
        "身份证号",
        &["身份证号码", "身份证", "公民身份号码", "证件号码", "身份证件号码"],
        true,
        "the person's ID number: finds their case awaiting evaluation",
    ),
    col(
        "name",
        "姓名",
        &["名字", "考生姓名", "学员姓名"],
        false,
        "checked against the trainee's name",
    ),
    col(
        "theory",
        "理论成绩",
        &["理论", "理论知识成绩", "理论考试成绩"],
        true,
        "0-100",
    ),
    col(
        "practical",
        "实操成绩",
        &["实操", "技能操作成绩", "操作技能成绩", "实操考试成绩"],
        true,
        "0-100",
    ),
    col(
        "level",
        "等级",
        &["职业技能等级", "鉴定等级", "评价等级", "级别"],
        false,
        "the level certified (default: the class's target level); empty for a fail",
    ),
    col(
        "certificate",
        "证书编号",
        &["证书号", "证书号码"],
        false,
        "needed for a pass",
    ),
    col(
        "panel",
        "综合评审",
        &["评审", "综合评审结果"],
        false,
        "通过/是/yes for a passed panel review (二级 and up)",
    ),
    col(
        "date",
        "评价日期",
        &["鉴定日期", "考试日期", "评价时间"],
        false,
        "the evaluation's date; not after today",
    ),
];

/// The columns an export of `kind` writes: an importable kind's own, and
/// the case list's for cases.
pub fn export_columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Cases => &CASE_COLUMNS,
        k => columns(k),
    }
}

/// Headers that are read and deliberately ignored: a row counter and the
/// reason column of a rejects file (so it re-imports as it is).
pub const IGNORED: &[&str] = &["序号", "no", "no.", "行号", "错误原因", "reason", "row"];

pub fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Institutions => &INSTITUTION_COLUMNS,
        Kind::Enterprises => &ENTERPRISE_COLUMNS,
        Kind::Demands => &DEMAND_COLUMNS,
        Kind::Classes => &CLASS_COLUMNS,
        Kind::Trainees => &TRAINEE_COLUMNS,
        // Cases come in as an evaluation agency's results (`import results`).
        Kind::Cases => &RESULT_COLUMNS,
    }
}

pub fn column(kind: Kind, key: &str) -> Option<&'static Column> {
    columns(kind).iter().find(|c| c.key == key)
}

/// Header text reduced to what matters: no spaces, no required-markers,
/// ASCII parentheses and lower-case ASCII.
pub fn normalize_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | ':' | '：' | '_' | '-'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn strip_parenthesized(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in h.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

impl Column {
    fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.zh, self.key].into_iter().chain(self.aliases.iter().copied())
    }
    fn matches(&self, normalized: &str) -> bool {
        self.names().any(|n| normalize_header(n) == normalized)
    }
}

/// Which column of `kind` a header names, if any.
pub fn lookup(kind: Kind, header: &str) -> Option<&'static Column> {
    let n = normalize_header(header);
    if n.is_empty() {
        return None;
    }
    columns(kind).iter().find(|c| c.matches(&n)).or_else(|| {
        let s = strip_parenthesized(&n);
        columns(kind).iter().find(|c| c.matches(&s))
    })
}

pub fn is_ignored(header: &str) -> bool {
    let n = normalize_header(header);
    IGNORED.iter().any(|i| normalize_header(i) == n)
}

/// The accepted names of a column, for messages: `'身份证号' (id_number; also 身份证, …)`.
pub fn describe(c: &Column) -> String {
    if c.aliases.is_empty() {
        format!("'{}' ({})", c.zh, c.key)
    } else {
        format!("'{}' ({}; also {})", c.zh, c.key, c.aliases.join(", "))
    }
}

/// Nearest column names to an unknown header.
pub fn suggest(kind: Kind, header: &str) -> String {
    did_you_mean(&near(kind, header))
}

/// The columns (their export names) nearest a header the kind lacks.
pub fn near(kind: Kind, header: &str) -> Vec<&'static str> {
    let all: Vec<&'static str> = columns(kind).iter().flat_map(|c| c.names()).collect();
    let near = nearest(header.trim(), all.iter().copied(), 2);
    // Suggest the column's export name, not a rare alias.
    let mut shown: Vec<&str> = Vec::new();
    for n in near {
        if let Some(c) = columns(kind).iter().find(|c| c.names().any(|x| x == n)) {
            let s = if n == c.key { c.key } else { c.zh };
            if !shown.contains(&s) {
                shown.push(s);
            }
        }
    }
    shown
}

/// Every column of every kind as a markdown table (kept in the README; a
/// test checks the README holds it).
pub fn markdown() -> String {
    let mut s = String::new();
    for kind in Kind::IMPORTABLE {
        s.push_str(&format!("\n#### {} ({})\n\n", kind.name(), kind.zh()));
        s.push_str("| 中文 | English | required | also accepted | what goes in it |\n|---|---|---|---|---|\n");
        for c in columns(kind) {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.zh,
                c.key,
                if c.required { "yes" } else { "" },
                c.aliases.join(", "),
                c.about
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_both_languages_with_noise() {
        assert_eq!(lookup(Kind::Trainees, " *身份证号 ").map(|c| c.key), Some("id_number"));
        assert_eq!(lookup(Kind::Trainees, "ID_Number").map(|c| c.key), Some("id_number"));
        assert_eq!(lookup(Kind::Trainees, "\u{feff}姓名").map(|c| c.key), Some("name"));
        assert_eq!(lookup(Kind::Demands, "职业（工种）").map(|c| c.key), Some("occupation"));
        assert_eq!(lookup(Kind::Demands, "最低月薪（元）").map(|c| c.key), Some("wage_min"));
        assert_eq!(lookup(Kind::Classes, "开班时间").map(|c| c.key), Some("start"));
        assert!(lookup(Kind::Trainees, "备注").is_none());
        assert!(is_ignored("序号"));
        assert_eq!(suggest(Kind::Trainees, "手机好"), "did you mean '手机号'?");
    }

    #[test]
    fn no_header_means_two_columns_of_one_kind() {
        for kind in Kind::IMPORTABLE {
            let cols = columns(kind);
            for (i, a) in cols.iter().enumerate() {
                for b in &cols[i + 1..] {
                    for n in a.names() {
                        assert!(
                            !b.matches(&normalize_header(n)),
                            "{kind}: '{n}' names {} and {}",
                            a.key,
                            b.key
                        );
                    }
                }
            }
        }
    }
}
