//! The command line's own words, in each language: every line a command
//! prints for people ([`Line`]) and every refusal the command line itself
//! makes ([`CliError`]), with the data they name. English and Chinese sit
//! side by side here (one match per language); `--json` and the CSV
//! headers chosen for import are machine output and keep their keys.

use super::Say;
use crate::domain::{Kind, OccupationId};
use crate::i18n::Lang;
use crate::service::cache::{Finding, Standing};
use crate::store::audit::{AccessEvent, AccessKind};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A backup's record kinds (`backup::KINDS`) in Chinese.
pub(super) fn backup_kind(k: &str) -> &'static str {
    match k {
        "meta" => "设置",
        "institution" => "培训机构",
        "enterprise" => "企业",
        "demand" => "岗位需求",
        "class" => "培训班",
        "trainee" => "学员",
        "case" => "服务记录",
        "event" => "经办记录",
        "pack" => "城市参考数据包",
        "pack_region" => "参考数据·区域",
        "pack_occupation" => "参考数据·工种",
        "pack_program" => "参考数据·培训项目",
        "pack_alliance" => "参考数据·联盟",
        "wish" => "培训意愿",
        "wish_event" => "意愿回访记录",
        "wish_waiting" => "意愿排队索引",
        "standards" => "补贴标准及导入记录",
        "claim" => "补贴申领",
        "claim_event" => "申领经办记录",
        "subsidy_index" => "补贴索引",
        _ => "记录",
    }
}

fn backup_word(k: &str) -> Option<&'static str> {
    Some(backup_kind(k)).filter(|z| *z != "记录")
}

/// `3 培训机构、12 企业…` (a backup's, restore's or salvage's counts).
pub fn counts(c: &BTreeMap<String, u64>, lang: Lang) -> String {
    let kinds: Vec<&str> = crate::io::backup::RECORD_KINDS
        .iter()
        .chain(crate::io::backup::SHOWN_CARRIED.iter().filter(|k| c.contains_key(**k)))
        .copied()
        .collect();
    match lang {
        Lang::En => kinds
            .iter()
            .map(|k| format!("{} {k}", c.get(*k).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", "),
        Lang::Zh => kinds
            .iter()
            .map(|k| format!("{} {} 条", backup_kind(k), c.get(*k).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("，"),
    }
}

fn access_kind_zh(k: AccessKind) -> &'static str {
    match k {
        AccessKind::Reveal => "查看完整号码",
        AccessKind::Export => "导出",
        AccessKind::Import => "导入",
        AccessKind::Backup => "备份",
        AccessKind::Catalog => "参考数据变更",
        AccessKind::Restore => "恢复",
    }
}

fn role_zh(name: &str) -> &str {
    match name {
        "kiosk" => "自助终端",
        "operator" => "经办员",
        "supervisor" => "主管",
        "admin" => "管理员",
        other => other,
    }
}

/// An access record's detail as the command line and the server write it
/// (`to FILE`, `from FILE`, `trainees from FILE (N new people; …)`,
/// `KIND to FILE`, `trainee T12 王芳`), in Chinese; anything else is
/// quoted as it was stored.
pub fn access_detail_zh(d: &str) -> String {
    let kind_zh = |w: &str| Kind::from_name(w).map(|k| k.zh());
    if let Some(rest) = d.strip_prefix("to ") {
        return format!("至 {}", out_zh(rest));
    }
    if let Some(rest) = d.strip_prefix("from ") {
        return format!("来自 {rest}");
    }
    if let Some(rest) = d.strip_prefix("trainees from ")
        && let Some((file, tail)) = rest.rsplit_once(" (")
        && let Some(n) = tail.strip_suffix(" new people; changed ones not counted)")
    {
        return format!("学员，来自 {file}（新增 {n} 人；修改的不计）");
    }
    if let Some(rest) = d.strip_prefix("search ")
        && let Some((kind, rest)) = rest.split_once(' ')
        && let Some(k) = kind_zh(kind)
    {
        return format!("查询{k} {rest}");
    }
    if let Some(z) = catalog_import_zh(d) {
        return z;
    }
    if let Some(rest) = d.strip_prefix("trainee ") {
        return format!("学员 {rest}");
    }
    if let Some((kind, rest)) = d.split_once(' ')
        && let Some(rest) = rest.strip_prefix("to ")
    {
        let k = if kind == "all" { Some("全部") } else { kind_zh(kind) };
        if let Some(k) = k {
            return format!("{k}，至 {}", out_zh(rest));
        }
    }
    format!("「{d}」")
}

/// `occupations imported: 1 added, 0 changed from FILE` (an import of
/// reference data, as `pack::edit` records it) in Chinese.
fn catalog_import_zh(d: &str) -> Option<String> {
    let (what, rest) = if let Some(rest) = d.strip_prefix("occupations imported: ") {
        ("职业", rest)
    } else {
        ("区域", d.strip_prefix("regions imported: ")?)
    };
    let (added, rest) = rest.split_once(" added, ")?;
    let (changed, file) = rest.split_once(" changed from ")?;
    Some(format!("从 {file} 导入{what}：新增 {added} 个，修改 {changed} 个"))
}

fn out_zh(to: &str) -> String {
    if to == "standard output" {
        "标准输出".to_string()
    } else {
        to.to_string()
    }
}

/// One access record: time, who (role), what, how many people, detail.
pub fn access_event(e: &AccessEvent, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => {
            let at = chrono::DateTime::from_timestamp(e.at, 0)
                .map(|t| {
                    t.with_timezone(&crate::domain::china_time())
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_else(|| e.at.to_string());
            format!(
                "{at}  {}（{}）  {}  {} 人  {}",
                e.operator,
                role_zh(&e.role),
                access_kind_zh(e.what),
                e.people,
                access_detail_zh(&e.detail)
            )
        }
    }
}

/// A derived file under `search-cache/` that `check` found wrong.
pub fn cache_finding(f: &Finding, lang: Lang) -> String {
    match lang {
        Lang::En => f.to_string(),
        Lang::Zh => match &f.standing {
            Standing::Damaged { why } => format!(
                "{}：已损坏（{}）；不会被使用，`check --repair` 会删除它（下次启动时重建）",
                f.path.display(),
                damage_zh(why)
            ),
            Standing::Foreign { id } => format!(
                "{}：由另一个数据库生成（编号 {id}）；不会被使用，`check --repair` 会删除它",
                f.path.display()
            ),
            Standing::Stale | Standing::OtherVersion | Standing::Current => {
                format!("{}：已过期，下次启动时重建", f.path.display())
            }
        },
    }
}

/// Why a derived file is damaged, in Chinese (`service::cache::unframe`'s words).
fn damage_zh(why: &str) -> String {
    match why {
        "checksum mismatch" => "校验和不符".into(),
        "its length field does not read" => "长度字段无法读取".into(),
        "it is shorter than its length field says (cut short?)" => "文件比长度字段所说的短（被截断？）".into(),
        "it has no checksum" => "缺少校验和".into(),
        other => format!("原始信息「{other}」"),
    }
}

/// What a command prints for people, with the data it names.
#[derive(Debug)]
pub enum Line {
    /// `check`: nothing wrong.
    CheckOk {
        records: usize,
        events: usize,
        path: PathBuf,
    },
    /// `check`: how many problems.
    CheckProblems {
        count: usize,
        path: PathBuf,
    },
    /// `check --repair` removed a derived file.
    CacheRemoved {
        path: PathBuf,
    },
    /// `check --repair` could not remove a derived file.
    CacheNotRemoved {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `backup`.
    BackedUp {
        db: PathBuf,
        file: PathBuf,
        counts: BTreeMap<String, u64>,
    },
    /// `restore`.
    Restored {
        file: PathBuf,
        db: PathBuf,
        counts: BTreeMap<String, u64>,
    },
    /// `salvage`: what was written.
    Salvaged {
        db: PathBuf,
        file: PathBuf,
        counts: BTreeMap<String, u64>,
    },
    /// `salvage`: nothing lost.
    SalvageComplete {
        file: PathBuf,
    },
    /// `salvage`: some records lost.
    SalvageLosses {
        count: usize,
        file: PathBuf,
    },
    /// `salvage`: a note on how the files were read, a repair, a loss.
    SalvageNote {
        text: String,
    },
    SalvageRepaired {
        text: String,
    },
    SalvageLost {
        text: String,
    },
    /// `init`.
    Created {
        path: PathBuf,
    },
    /// `keymap check`: a good file.
    KeymapOk {
        path: PathBuf,
    },
    /// `audit`: how many records were listed.
    AccessRecords {
        count: usize,
    },
    /// `export`: records written to a file.
    Exported {
        count: usize,
        kind: Kind,
        path: PathBuf,
    },
    /// `export --template`: an empty file written.
    TemplateWritten {
        kind: Kind,
        path: PathBuf,
    },
    /// `import`: the progress bar's label.
    Importing {
        kind: Kind,
    },
    /// `import results`: the sheet's summary, and whether it was a dry run
    /// or how many cases it moved.
    Results {
        file: PathBuf,
        rows: usize,
        passes: usize,
        fails: usize,
        rejected: usize,
        outcome: ResultsOutcome,
    },
    /// `import results --skip-invalid`: where the bad rows went.
    RejectsAt {
        path: PathBuf,
    },
    /// `import results`: every row was rejected.
    NothingWritten,
    /// An import warning (before its text).
    Warning {
        text: String,
    },
    /// `demo`: built, or an existing database opened.
    DemoBuilt {
        path: PathBuf,
    },
    DemoOpened {
        path: PathBuf,
    },
    /// A database opened and made private.
    MadePrivate {
        count: usize,
        path: PathBuf,
    },
    CannotMakePrivate {
        path: PathBuf,
        source: crate::paths::FileError,
    },
    /// `labor-force`: the setting shown or stored.
    LaborForce {
        value: u64,
        stored: bool,
        baseline: String,
    },
    LaborForceSet {
        value: u64,
        path: PathBuf,
        baseline: String,
    },
    /// `search`: fewer shown than found (`--limit`).
    Shown {
        shown: usize,
        total: usize,
    },
    /// The demo database's notice (`report.md`, `stats`).
    DemoNotice {
        text: String,
    },
    /// `import occupations|regions FILE`: entries merged into the pack.
    CatalogImported {
        occupations: bool,
        added: usize,
        changed: usize,
        file: PathBuf,
    },
}

/// How an `import results` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsOutcome {
    DryRun,
    Summary,
    Moved(usize),
}

/// The demo notice as `demo::build` stores it: `synthetic demo city (seed
/// S, N trainees): …`.
fn demo_notice_zh(text: &str) -> String {
    let nums: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    match nums.as_slice() {
        [seed, trainees, ..] if text.starts_with("synthetic demo city") => {
            format!("虚构的演示城市（种子 {seed}，{trainees} 名学员）：所有人员、企业和学校均为虚构")
        }
        _ => "虚构的演示城市：所有人员、企业和学校均为虚构".to_string(),
    }
}

impl Say for Line {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }
}

impl Line {
    fn en(&self) -> String {
        match self {
            Line::CheckOk { records, events, path } => format!(
                "ok: {records} records and {events} events checked at {}, no problems",
                path.display()
            ),
            Line::CheckProblems { count, path } => format!("{count} problems at {}", path.display()),
            Line::CacheRemoved { path } => format!("removed {}", path.display()),
            Line::CacheNotRemoved { path, source } => format!("cannot remove {}: {source}", path.display()),
            Line::BackedUp { db, file, counts: c } => format!(
                "backup of {} written to {}: {}",
                db.display(),
                file.display(),
                counts(c, Lang::En)
            ),
            Line::Restored { file, db, counts: c } => format!(
                "restored {} into {}: {}; check found no problems",
                file.display(),
                db.display(),
                counts(c, Lang::En)
            ),
            Line::Salvaged { db, file, counts: c } => format!(
                "salvaged {} into {}: {}",
                db.display(),
                file.display(),
                counts(c, Lang::En)
            ),
            Line::SalvageComplete { file } => format!(
                "nothing was lost; restore it with `skillbridge restore {} --db NEW_PATH`",
                file.display()
            ),
            Line::SalvageLosses { count, file } => format!(
                "{count} losses (listed above); restore what was saved with `skillbridge restore {} --db NEW_PATH`",
                file.display()
            ),
            Line::SalvageNote { text } => text.clone(),
            Line::SalvageRepaired { text } => format!("repaired: {text}"),
            Line::SalvageLost { text } => format!("lost: {text}"),
            Line::Created { path } => format!("created an empty database at {}", path.display()),
            Line::KeymapOk { path } => format!("ok: {} is a valid keymap", path.display()),
            Line::AccessRecords { count } => format!("{count} access records"),
            Line::Exported { count, kind, path } => format!("{count} {kind} written to {}", path.display()),
            Line::TemplateWritten { kind, path } => {
                format!("an empty {kind} file (the header row) written to {}", path.display())
            }
            Line::Importing { kind } => format!("importing {kind}"),
            Line::Results {
                file,
                rows,
                passes,
                fails,
                rejected,
                outcome,
            } => {
                let said = format!(
                    "{}: {rows} rows of results: {passes} pass, {fails} fail, {rejected} rejected",
                    file.display()
                );
                match outcome {
                    ResultsOutcome::DryRun => format!("{said} (dry run: nothing written)"),
                    ResultsOutcome::Summary => said,
                    ResultsOutcome::Moved(n) => format!("{said}; {n} cases moved"),
                }
            }
            Line::RejectsAt { path } => format!("rejected rows are in {}", path.display()),
            Line::NothingWritten => "skillbridge: nothing was written: every row was rejected".to_string(),
            Line::Warning { text } => format!("warning: {text}"),
            Line::DemoBuilt { path } => format!("built the demo city at {}", path.display()),
            Line::DemoOpened { path } => format!("opened the existing database at {} (left as it is)", path.display()),
            Line::MadePrivate { count, path } => format!(
                "made {count} files and directories of {} private to this account (0600/0700)",
                path.display()
            ),
            Line::CannotMakePrivate { path, source } => {
                format!("warning: cannot make {} private: {source}", path.display())
            }
            Line::LaborForce {
                value,
                stored,
                baseline,
            } => format!(
                "labor force {value} ({}); high-skill per 10,000 at the 2024 baseline: {baseline}",
                if *stored {
                    "set in this database"
                } else {
                    "the default: 226,300 high-skill talents ÷ 1,132 per 10,000"
                }
            ),
            Line::LaborForceSet { value, path, baseline } => format!(
                "labor force set to {value} in {}; high-skill per 10,000 at the 2024 baseline: {baseline}",
                path.display()
            ),
            Line::Shown { shown, total } => format!("{shown} of {total} matches shown (--limit)"),
            Line::DemoNotice { text } => text.clone(),
            Line::CatalogImported {
                occupations,
                added,
                changed,
                file,
            } => format!(
                "{} imported: {added} added, {changed} changed from {}",
                if *occupations { "occupations" } else { "regions" },
                file.display()
            ),
        }
    }

    fn zh(&self) -> String {
        match self {
            Line::CheckOk { records, events, path } => format!(
                "检查通过：{} 中的 {records} 条记录和 {events} 条经办记录均无问题",
                path.display()
            ),
            Line::CheckProblems { count, path } => format!("{} 发现 {count} 个问题", path.display()),
            Line::CacheRemoved { path } => format!("已删除 {}", path.display()),
            Line::CacheNotRemoved { path, source } => format!(
                "无法删除 {}：{}；请检查该文件及其目录的权限",
                path.display(),
                super::zh::io_error(source)
            ),
            Line::BackedUp { db, file, counts: c } => format!(
                "已把数据库 {} 备份到 {}：{}",
                db.display(),
                file.display(),
                counts(c, Lang::Zh)
            ),
            Line::Restored { file, db, counts: c } => format!(
                "已把 {} 恢复到新数据库 {}：{}；检查未发现问题",
                file.display(),
                db.display(),
                counts(c, Lang::Zh)
            ),
            Line::Salvaged { db, file, counts: c } => format!(
                "已从 {} 抢救出记录，写入 {}：{}",
                db.display(),
                file.display(),
                counts(c, Lang::Zh)
            ),
            Line::SalvageComplete { file } => format!(
                "没有丢失任何记录；用 `skillbridge restore {} --db 新路径` 恢复",
                file.display()
            ),
            Line::SalvageLosses { count, file } => format!(
                "丢失 {count} 处（见上文）；用 `skillbridge restore {} --db 新路径` 恢复抢救出的记录",
                file.display()
            ),
            Line::SalvageNote { text } => format!("说明：{}", salvage_text_zh(text)),
            Line::SalvageRepaired { text } => format!("已修正：{}", salvage_text_zh(text)),
            Line::SalvageLost { text } => format!("已丢失：{}", salvage_text_zh(text)),
            Line::Created { path } => format!("已在 {} 新建空数据库", path.display()),
            Line::KeymapOk { path } => format!("检查通过：{} 是有效的按键配置文件", path.display()),
            Line::AccessRecords { count } => format!("共 {count} 条访问记录"),
            Line::Exported { count, kind, path } => {
                format!("已把 {count} 条{}写入 {}", kind.zh(), path.display())
            }
            Line::TemplateWritten { kind, path } => {
                format!("已把空白的{}表格（只有表头行）写入 {}", kind.zh(), path.display())
            }
            Line::Importing { kind } => format!("正在导入{}", kind.zh()),
            Line::Results {
                file,
                rows,
                passes,
                fails,
                rejected,
                outcome,
            } => {
                let said = format!(
                    "{}：评价结果 {rows} 行：通过 {passes} 人，未通过 {fails} 人，有误 {rejected} 行",
                    file.display()
                );
                match outcome {
                    ResultsOutcome::DryRun => format!("{said}（试运行：未写入任何内容）"),
                    ResultsOutcome::Summary => said,
                    ResultsOutcome::Moved(n) => format!("{said}；已办理 {n} 条服务记录"),
                }
            }
            Line::RejectsAt { path } => format!("有误的行已写入 {}", path.display()),
            Line::NothingWritten => "skillbridge：未写入任何记录：每一行都有误".to_string(),
            Line::Warning { text } => format!("警告：{text}"),
            Line::DemoBuilt { path } => format!("已在 {} 建好演示城市", path.display()),
            Line::DemoOpened { path } => format!("已打开 {} 的现有数据库（未做改动）", path.display()),
            Line::MadePrivate { count, path } => format!(
                "已把 {} 中的 {count} 个文件和目录设为仅本账户可用（0600/0700）",
                path.display()
            ),
            Line::CannotMakePrivate { path, source } => format!(
                "警告：无法把 {} 设为仅本账户可用：{}",
                path.display(),
                source.say(Lang::Zh)
            ),
            Line::LaborForce {
                value,
                stored,
                baseline,
            } => format!(
                "劳动力人数 {value}（{}）；按 2024 年基数每万名劳动者中高技能人才：{baseline}",
                if *stored {
                    "本数据库中设定"
                } else {
                    "默认值：高技能人才 226,300 人 ÷ 每万人 1,132"
                }
            ),
            Line::LaborForceSet { value, path, baseline } => format!(
                "已在 {} 中把劳动力人数设为 {value}；按 2024 年基数每万名劳动者中高技能人才：{baseline}",
                path.display()
            ),
            Line::Shown { shown, total } => format!("共找到 {total} 条，显示前 {shown} 条（--limit）"),
            Line::DemoNotice { text } => demo_notice_zh(text),
            Line::CatalogImported {
                occupations,
                added,
                changed,
                file,
            } => format!(
                "已从 {} 导入{}：新增 {added} 个，修改 {changed} 个",
                file.display(),
                if *occupations { "职业" } else { "区域" }
            ),
        }
    }
}

/// A salvage line (`io::salvage`'s notes, repairs and losses) in
/// Chinese: the record words put into Chinese, the rest quoted.
fn salvage_text_zh(text: &str) -> String {
    translate(text, SALVAGE_ZH)
}

/// The command line's own refusals: a flag used where it does not apply,
/// a value it cannot read, a file in the way.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(
        "no database at {path}: create one with `skillbridge init --db {path}` (empty) or `skillbridge demo --db {path}` (the demo city), or pass --db PATH"
    )]
    NoDatabase { path: PathBuf },
    #[error("{path} already holds a database: nothing was changed (open it with `skillbridge --db {path}`)")]
    AlreadyDatabase { path: PathBuf },
    #[error("unknown language '{value}' for --lang: expected zh or en")]
    UnknownLanguage { value: String },
    #[error("--class picks the cases of a results sheet: use it with `import results`")]
    ClassNeedsResults,
    #[error("--class picks a class's cases: use it with `export cases`")]
    ClassNeedsCases,
    #[error("--class '{value}': expected a class's code such as C451")]
    BadClass { value: String },
    #[error("--class {value}: there is no such class")]
    NoSuchClass { value: String },
    #[error(
        "{file}: {rejected} of {rows} rows are invalid, so nothing was written. Fix them and import again, or pass --skip-invalid REJECTS.csv to write the good rows and set the bad ones aside"
    )]
    ResultsInvalid {
        file: PathBuf,
        rejected: usize,
        rows: usize,
    },
    #[error("`export all` writes one file per kind: give the directory with --out DIR")]
    AllNeedsOut,
    #[error(
        "unknown kind '{value}': expected one of institutions, enterprises, demands, classes, trainees, cases, or all"
    )]
    UnknownExportKind { value: String },
    #[error(
        "unknown kind '{value}': expected one of institutions, enterprises, demands, classes, trainees, or results"
    )]
    UnknownImportKind { value: String },
    #[error("unknown kind '{value}': expected demands, classes, trainees, cases, institutions or enterprises")]
    UnknownSearchKind { value: String },
    #[error("--template writes an empty file: it takes no --query, --filter, --sort or --class")]
    TemplateListed,
    #[error(
        "{kind} are made by enrolling, not imported: a template is for institutions, enterprises, demands, classes or trainees"
    )]
    TemplateNotImportable { kind: Kind },
    #[error("--what '{value}': expected one of reveal, export, import, backup, restore")]
    UnknownAccessKind { value: String },
    #[error(
        "--since '{value}': expected a date (2025-10-01), a date and time (2025-10-01T08:30) or an age (90m, 24h, 7d)"
    )]
    BadSince { value: String },
    #[error("cannot read the access file {path}: {source}")]
    AccessFileUnreadable { path: PathBuf, source: std::io::Error },
    #[error(
        "{path}:{line}: a second line of settings (the first is line {first}): the file holds one line, e.g. 'role=operator districts=321181'"
    )]
    AccessSecondLine { path: PathBuf, line: usize, first: usize },
    #[error("{path}:{line}: {source}. The file holds one line like 'role=operator districts=321181'")]
    AccessSetting {
        path: PathBuf,
        line: usize,
        source: crate::domain::access::BadSetting,
    },
    #[error("{path}:{line}: role=kiosk has no workspace: run `skillbridge kiosk` for the public screen")]
    AccessKiosk { path: PathBuf, line: usize },
    #[error("{path} holds no settings: write one line, e.g. 'role=operator'")]
    AccessEmpty { path: PathBuf },
    #[error(
        "unknown order '{value}': expected one of relevance, newest, name, open-posts, wage, start, seats, stars, state"
    )]
    UnknownSort { value: String },
    #[error("{kind} are not sorted by '{value}'")]
    NotSortedBy { kind: Kind, value: String },
    #[error("--filter '{word}': expected KEY=VALUE, e.g. region=丹阳市")]
    FilterNotKeyValue { word: String },
    #[error("--filter '{word}': {source}")]
    FilterUnresolved {
        word: String,
        source: crate::io::resolve::Unresolved,
    },
    #[error("--filter '{word}': no case state '{value}': expected one of {}", crate::domain::StateKind::ALL.iter().map(|s| s.zh()).collect::<Vec<_>>().join("、"))]
    NoCaseState { word: String, value: String },
    #[error("--filter '{word}': {kind} are not filtered by '{key}': expected region, trade, program or status/state")]
    NotFilteredBy { word: String, kind: Kind, key: String },
    #[error("the search was cancelled")]
    SearchCancelled,
    #[error(
        "--keymap {path} does not apply to the kiosk: its keys are fixed (see the README, Kiosk); only the exit key is a setting (--exit-key KEY or --no-exit)"
    )]
    KioskKeymap { path: PathBuf },
    #[error("--exit-key '{value}': {error}")]
    ExitKeyBad {
        value: String,
        error: crate::keymap::KeyError,
    },
    #[error("--exit-key {problem}")]
    ExitKeyTaken { key: String, types: bool, problem: String },
    #[error("cannot create directory {path}: {source}; pass --db with a directory path whose parents are directories")]
    DemoDirectory { path: PathBuf, source: std::io::Error },
    #[error("cannot remove {path}: {source}")]
    DemoScratch { path: PathBuf, source: std::io::Error },
    #[error("cannot move the built demo from {from} to {to}: {source}")]
    DemoMove {
        from: PathBuf,
        to: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the command: {source}")]
    CannotStart { source: std::io::Error },
}

impl Say for CliError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => cli_error_zh(self),
        }
    }
}

fn cli_error_zh(e: &CliError) -> String {
    match e {
        CliError::NoDatabase { path } => format!(
            "{p} 没有数据库：用 `skillbridge init --db {p}` 新建空数据库，或用 `skillbridge demo --db {p}` 建演示城市，或用 --db 指定数据库所在的路径",
            p = path.display()
        ),
        CliError::AlreadyDatabase { path } => format!(
            "{p} 已有数据库：未做任何改动（用 `skillbridge --db {p}` 打开它）",
            p = path.display()
        ),
        CliError::UnknownLanguage { value } => format!("不认识的语言“{value}”：应为 zh（中文）或 en（英文）"),
        CliError::ClassNeedsResults => {
            "--class 用于挑选评价结果表中某个培训班的服务记录：请与 `import results` 一起使用".into()
        }
        CliError::ClassNeedsCases => "--class 用于挑选某个培训班的服务记录：请与 `export cases` 一起使用".into(),
        CliError::BadClass { value } => format!("--class “{value}”：应为培训班编号，例如 C451"),
        CliError::NoSuchClass { value } => format!("--class {value}：没有这个培训班"),
        CliError::ResultsInvalid { file, rejected, rows } => format!(
            "{}：{rows} 行中有 {rejected} 行有误，因此未写入任何内容。请改正后重新导入，或加 --skip-invalid 有误行.csv 写入正确的行、把有误的行另存",
            file.display()
        ),
        CliError::AllNeedsOut => "`export all` 为每类记录各写一个文件：请用 --out 指定目录".into(),
        CliError::UnknownExportKind { value } => format!(
            "不认识的类别“{value}”：应为 institutions（培训机构）、enterprises（企业）、demands（岗位需求）、classes（培训班）、trainees（学员）、cases（服务记录）或 all（全部）"
        ),
        CliError::UnknownImportKind { value } => format!(
            "不认识的类别“{value}”：应为 institutions（培训机构）、enterprises（企业）、demands（岗位需求）、classes（培训班）、trainees（学员）或 results（评价结果）"
        ),
        CliError::UnknownSearchKind { value } => format!(
            "不认识的类别“{value}”：应为 demands（岗位需求）、classes（培训班）、trainees（学员）、cases（服务记录）、institutions（培训机构）或 enterprises（企业）"
        ),
        CliError::TemplateListed => {
            "--template 写出的是空白表格：不能同时使用 --query、--filter、--sort 或 --class".into()
        }
        CliError::TemplateNotImportable { kind } => format!(
            "{}由报名产生，不能导入：空白表格只适用于培训机构、企业、岗位需求、培训班和学员",
            kind.zh()
        ),
        CliError::UnknownAccessKind { value } => format!(
            "--what “{value}”：应为 reveal（查看完整号码）、export（导出）、import（导入）、backup（备份）或 restore（恢复）之一"
        ),
        CliError::BadSince { value } => format!(
            "--since “{value}”：应为日期（2025-10-01）、日期和时间（2025-10-01T08:30）或时长（90m 表示 90 分钟，24h 表示 24 小时，7d 表示 7 天）"
        ),
        CliError::AccessFileUnreadable { path, source } => format!(
            "无法读取权限文件 {}：{}。请让当前用户可以读取该文件；删除它则本机命令以管理员身份运行",
            path.display(),
            super::zh::io_error(source)
        ),
        CliError::AccessSecondLine { path, line, first } => format!(
            "{}:{line}：多了一行设置（第一行是第 {first} 行）：该文件只能有一行，例如 'role=operator districts=321181'",
            path.display()
        ),
        CliError::AccessSetting { path, line, source } => format!(
            "{}:{line}：{}。该文件只能有一行，例如 'role=operator districts=321181'",
            path.display(),
            source.say(Lang::Zh)
        ),
        CliError::AccessKiosk { path, line } => format!(
            "{}:{line}：role=kiosk（自助终端）没有工作台：公共屏幕请运行 `skillbridge kiosk`",
            path.display()
        ),
        CliError::AccessEmpty { path } => format!("{} 中没有任何设置：请写一行，例如 'role=operator'", path.display()),
        CliError::UnknownSort { value } => format!(
            "不认识的排序“{value}”：应为 relevance（相关度）、newest（最新）、name（名称）、open-posts（空缺岗位）、wage（薪资）、start（开班日期）、seats（剩余名额）、stars（星级）、state（状态）之一"
        ),
        CliError::NotSortedBy { kind, value } => format!("{}不能按“{value}”排序", kind.zh()),
        CliError::FilterNotKeyValue { word } => {
            format!("--filter “{word}”：应写成 键=值，例如 region=丹阳市")
        }
        CliError::FilterUnresolved { word, source } => {
            format!("--filter “{word}”：{}", super::zh::unresolved(source))
        }
        CliError::NoCaseState { word, value } => format!(
            "--filter “{word}”：没有“{value}”这个服务记录状态：应为 {} 之一",
            crate::domain::StateKind::ALL
                .iter()
                .map(|s| s.zh())
                .collect::<Vec<_>>()
                .join("、")
        ),
        CliError::NotFilteredBy { word, kind, key } => format!(
            "--filter “{word}”：{}不能按“{key}”筛选：应为 region（区域）、trade（工种）、program（专项）或 status/state（状态）",
            kind.zh()
        ),
        CliError::SearchCancelled => "搜索已取消".to_string(),
        CliError::KioskKeymap { path } => format!(
            "--keymap {} 不适用于自助终端：它的按键是固定的（见 README 的自助终端一节）；只有退出键可以设置（--exit-key 按键，或 --no-exit）",
            path.display()
        ),
        CliError::ExitKeyBad { value, error } => {
            format!("--exit-key “{value}”：{}", super::files::key_error(error))
        }
        CliError::ExitKeyTaken { key, types: true, .. } => {
            format!("--exit-key “{key}”会在搜索框里打出字，任何访客都可能按到；请用带 ctrl- 或 alt- 的键，或功能键")
        }
        CliError::ExitKeyTaken { key, .. } => {
            format!("--exit-key “{key}”是自助终端自己使用的按键；请选一个它不用的键，例如 ctrl-c 或 ctrl-alt-q")
        }
        CliError::DemoDirectory { path, source } => format!(
            "无法创建目录 {}：{}。请用 --db 指定一个上级各级都是目录的路径",
            path.display(),
            super::zh::io_error(source)
        ),
        CliError::DemoScratch { path, source } => format!(
            "无法删除 {}：{}。请手动删除它后重试",
            path.display(),
            super::zh::io_error(source)
        ),
        CliError::DemoMove { from, to, source } => format!(
            "无法把建好的演示城市从 {} 移到 {}：{}。请检查目标路径的权限",
            from.display(),
            to.display(),
            super::zh::io_error(source)
        ),
        CliError::CannotStart { source } => format!(
            "无法启动命令：{}。请检查内存和进程数限制后重试",
            super::zh::io_error(source)
        ),
    }
}

/// Match `text` against an English template whose `{}` stand for values
/// (no `{}` next to another), and give the values in order.
fn holes<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let mut rest = text.strip_prefix(parts[0])?;
    let mut values = Vec::new();
    for (i, lit) in parts.iter().enumerate().skip(1) {
        let last = i == parts.len() - 1;
        let at = if lit.is_empty() {
            if !last {
                return None;
            }
            rest.len()
        } else if last {
            rest.strip_suffix(lit).map(str::len)?
        } else {
            rest.find(lit)?
        };
        values.push(&rest[..at]);
        rest = &rest[at + lit.len()..];
    }
    rest.is_empty().then_some(values)
}

/// The first template of `table` that `text` fits, its Chinese filled in;
/// else the text quoted (a message this table does not know yet).
fn translate(text: &str, table: &[(&str, &str)]) -> String {
    for (en, zh) in table {
        if let Some(v) = holes(en, text) {
            // A value that is a record's word (`two trainee records…`) or
            // a tree, and where the message holds one a trade or a claim's
            // state, is said in Chinese.
            let v: Vec<&str> = v
                .into_iter()
                .enumerate()
                .map(|(slot, x)| value_zh(en, slot, x).unwrap_or(x))
                .collect();
            let args: Vec<&dyn std::fmt::Display> = v.iter().map(|s| s as &dyn std::fmt::Display).collect();
            return crate::i18n::fill(zh, &args);
        }
    }
    format!("（原始信息：「{text}」）")
}

/// The value in slot `slot` of `template` that `check` put in its English,
/// by its Chinese name: a record's word or a tree; a trade (`fitter`), a
/// claim's state or a claim's step only in the slots that hold one (a city
/// pack may name a trade anything, `class` or `paid` included, and
/// `filed` is both a state and a step).
fn value_zh(template: &str, slot: usize, x: &str) -> Option<&'static str> {
    use crate::domain::subsidy::{ClaimState, Step};
    let state = || ClaimState::ALL.into_iter().find(|s| s.en() == x).map(|s| s.zh());
    let step = || Step::each("").into_iter().find(|s| s.en() == x).map(|s| s.zh());
    match (template, slot) {
        (SUBSIDIZED_TWICE, 1) => OccupationId::all().find(|o| o.en() == x).map(OccupationId::zh),
        (LEADS_TO, _) | (CANNOT_FOLLOW, 1) => state(),
        (CANNOT_FOLLOW, _) => step(),
        (SUBSIDIZED_TWICE, _) => None,
        (CASE_STARTS_FROM | CASE_CANNOT_STEP, _) if x == NO_STATE => Some("（无）"),
        (CASE_STARTS_FROM | CASE_CANNOT_STEP | FOLLOW_UP_NOT_EMPLOYED, _) => {
            StateKind::ALL.into_iter().find(|k| k.en() == x).map(StateKind::zh)
        }
        _ => backup_word(x).or_else(|| tree_zh_known(x)),
    }
}

use crate::domain::StateKind;
use crate::store::check::{CASE_CANNOT_STEP, CASE_STARTS_FROM, FOLLOW_UP_NOT_EMPLOYED, NO_STATE};

/// The messages of `check` that hold a trade, claim states or a step.
const SUBSIDIZED_TWICE: &str = "{} is subsidized twice for {} at one level (also {})";
const LEADS_TO: &str = "leads to {} but says {}";
const CANNOT_FOLLOW: &str = "{} cannot follow a {} claim";

/// What `check` and `repair` find, in Chinese, message by message as
/// `store::check` and `store::derived` word them.
const CHECK_ZH: &[(&str, &str)] = &[
    ("trainee {} does not exist", "学员 {} 不存在"),
    ("class {} does not exist", "培训班 {} 不存在"),
    ("demand {} does not exist", "岗位需求 {} 不存在"),
    ("linked demand {} does not exist", "对接的岗位需求 {} 不存在"),
    ("enterprise {} does not exist", "企业 {} 不存在"),
    ("institution {} does not exist", "培训机构 {} 不存在"),
    (
        "case says {} events, {} stored",
        "服务记录记载 {} 条经办记录，实际存有 {} 条",
    ),
    ("out of sequence (expected {})", "顺序不对（应为第 {} 条）"),
    (
        "holds a certification its events undid or never recorded",
        "记有取证，但其经办记录已撤销或从未登记",
    ),
    (
        "state {} differs from its last event {}",
        "状态 {} 与最后一条经办记录 {} 不一致",
    ),
    (
        "counter says {} seats used, cases say {}",
        "计数记载已占名额 {}，服务记录显示为 {}",
    ),
    ("{} active enrollments exceed capacity {}", "在读 {} 人超过计划人数 {}"),
    (
        "counter says {}/{} referred/hired, cases say {}/{}",
        "计数记载已推荐/已录用 {}/{}，服务记录显示为 {}/{}",
    ),
    (
        "{} referred or hired exceed headcount {}",
        "已推荐和已录用共 {} 人，超过招聘人数 {}",
    ),
    (
        "status is {} but {} of {} posts are hired",
        "状态为 {}，但 {} 个岗位已录用 {} 个",
    ),
    ("malformed counter", "计数格式错误"),
    (CASE_STARTS_FROM, "起始状态为「{}」，但服务记录当时是「{}」"),
    (CASE_CANNOT_STEP, "服务记录不能从「{}」转到「{}」"),
    // a follow-up, a note or a correction the chain cannot have taken
    // (`domain::aftercare::AftercareError`, as `check` words it)
    (FOLLOW_UP_NOT_EMPLOYED, "回访只针对已就业的服务记录；此记录当时为「{}」"),
    (
        "no follow-up is scheduled {} months after the hire (the schedule is {} months)",
        "录用后第 {} 个月没有安排回访（回访安排为第 {} 个月）",
    ),
    (
        "the {}-month follow-up is not due until {}",
        "第 {} 个月的回访要到 {} 才到期",
    ),
    ("the {}-month follow-up is already closed", "第 {} 个月的回访已结束"),
    (
        "a monthly wage of {} yuan is out of range (1 to {})",
        "月工资 {} 元超出范围（1 到 {}）",
    ),
    ("a note cannot be empty", "备注不能为空"),
    (
        "a note is at most {} characters; this one has {}",
        "备注最多 {} 个字；此条有 {} 个字",
    ),
    ("a correction needs a reason", "更正须填写原因"),
    (
        "the reason 其他 (other) needs a few words in the note",
        "选“其他”时须在备注中写明原因",
    ),
    (
        "nothing to correct: the case has no step since its enrollment that is not already undone",
        "没有可更正的步骤：报名以来的步骤都已撤销",
    ),
    (
        "only the latest step can be corrected: event {}, not {}",
        "只能更正最近一步：第 {} 步，而不是第 {} 步",
    ),
    (
        "{} may correct only their own steps of the same day; event {} was recorded by {} on {}: a supervisor may correct it",
        "{} 只能更正自己当天办理的步骤；第 {} 步由 {} 于 {} 办理：请主管更正",
    ),
    // a record or a case's events that do not decode (`store::codec`); the
    // decoder's own words stay in the English report
    (
        "value is not a skillbridge record (no envelope)",
        "不是 skillbridge 写入的记录（缺少记录头），内容已损坏",
    ),
    (
        "record version {} is newer than this program reads (up to {})",
        "记录版本 {} 比本程序能读的版本更新（最高 {}）；请用写入它的新版 skillbridge 检查",
    ),
    (
        "record does not decode: {}",
        "记录无法解码，内容已损坏（解码器的说明见 --lang en 的报告）",
    ),
    (
        "the events do not decode: {}",
        "经办记录无法解码，内容已损坏（解码器的说明见 --lang en 的报告）",
    ),
    ("counter for a class that does not exist", "计数对应的培训班不存在"),
    ("counter for a demand that does not exist", "计数对应的岗位需求不存在"),
    ("index entry missing", "缺少索引项"),
    ("index entry points at the wrong record", "索引项指向了错误的记录"),
    ("index entry with no record behind it", "索引项没有对应的记录"),
    ("key does not match the record's id {}", "键与记录编号 {} 不一致"),
    (
        "two {} records claim this unique key ({} and {})",
        "两条记录（{}：{} 和 {}）占用同一个唯一键",
    ),
    (
        "read failed after {} records: {}; the rest of this tree is not checked. Restore a backup, or run `skillbridge salvage FILE` to save every record that still reads",
        "读取 {} 条记录后失败（原始信息：「{}」）；其余部分未检查。请恢复备份，或运行 `skillbridge salvage 文件` 抢救仍可读的记录",
    ),
    // the case notes tree (#18)
    ("the event's note has no entry", "经办记录中的备注在备注索引中缺少条目"),
    (
        "the entry differs from the event's note",
        "条目与经办记录中的备注不一致",
    ),
    (
        "entry with no note in the events behind it",
        "条目在经办记录中没有对应的备注",
    ),
    (
        "rebuilt from the events ({} entries written, {} stray removed)",
        "已按经办记录重建（写入 {} 条，删除多余的 {} 条）",
    ),
    // repair's changes
    (
        "pointed at the wrong record; now points at the one that holds the key",
        "原指向错误的记录；已改为指向持有该键的记录",
    ),
    ("was missing; added", "原来缺失；已补上"),
    ("named no record; removed", "没有对应的记录；已删除"),
    (
        "seats used: the counter said {}, the cases hold {}; set to {}",
        "已占名额：计数为 {}，服务记录为 {}；已设为 {}",
    ),
    (
        "posts taken: the counter said {}, the cases hold {} referred / {} hired; set to that",
        "已占岗位：计数为 {}，服务记录为已推荐 {} / 已录用 {}；已按此设定",
    ),
    (
        "counter for a class that does not exist; removed",
        "计数对应的培训班不存在；已删除",
    ),
    (
        "counter for a demand that does not exist; removed",
        "计数对应的岗位需求不存在；已删除",
    ),
    (
        "status was {} with {} of {} posts hired; now {}",
        "状态原为 {}，{} 个岗位中已录用 {} 个；现为 {}",
    ),
    // the subsidy claims (#21; `store::subsidy`)
    ("the subsidy trees cannot be opened", "补贴数据无法打开"),
    ("read failed: {}", "读取失败（原始信息：「{}」）"),
    ("key does not match claim {}", "键与申报 {} 不一致"),
    (
        "occupation or end date differs from class {}",
        "工种或结业日期与培训班 {} 不一致",
    ),
    (
        "line of case {} is not a case of class {} for {}",
        "明细中的服务记录 {} 不是培训班 {} 中 {} 的服务记录",
    ),
    ("class {} has another claim ({})", "培训班 {} 另有一份申报（{}）"),
    (SUBSIDIZED_TWICE, "学员 {} 在{}工种同一等级重复享受补贴（另见申报 {}）"),
    (
        "claim says {} events, {} read",
        "申报记载 {} 条经办记录，实际读到 {} 条",
    ),
    ("the first step is not a build", "第一步不是「生成申报」"),
    (LEADS_TO, "应为「{}」，记载的却是「{}」"),
    (CANNOT_FOLLOW, "「{}」不能接在「{}」的申报之后"),
    (
        "a return needs a reason (1 to {} characters)",
        "退回须写明原因（1 至 {} 个字）",
    ),
    (
        "the return reason has {} characters; at most {}",
        "退回原因有 {} 个字，最多 {} 个",
    ),
    ("state differs from its last event", "状态与最后一条经办记录不一致"),
    (
        "{} subsidies in one year (limit {})",
        "一年内享受 {} 次补贴（上限 {} 次）",
    ),
    (
        "the subsidy index differs from the claims ({} entries missing or wrong, {} stray)",
        "补贴索引与申报不一致（缺失或不符 {} 条，多余 {} 条）",
    ),
    (
        "rebuilt from the claims ({} entries written, {} stray removed)",
        "已按申报重建（写入 {} 条，删除多余的 {} 条）",
    ),
    // the training wishes (#25; `store::wish`)
    ("wish {} is open but not in '{}'", "培训意愿 {} 仍在排队，却不在{}中"),
    ("'{}' names wish {} that is not open", "{}中列有已不在排队的培训意愿 {}"),
];

/// A tree of the store in Chinese (`TreeName::name`).
fn tree_zh(tree: &str) -> String {
    if let Some(zh) = tree_zh_known(tree) {
        return zh.into();
    }
    match tree {
        "-" => "数据库".into(),
        "meta" => "设置".into(),
        "events" => "经办记录".into(),
        "idx_trainee_id_number" => "学员身份证号索引".into(),
        "idx_institution_name" => "培训机构名称索引".into(),
        "idx_enterprise_name" => "企业名称索引".into(),
        "idx_enrollment" => "报名索引".into(),
        "class_usage" => "培训班名额计数".into(),
        "demand_usage" => "岗位需求岗位计数".into(),
        other => match Kind::from_name(other) {
            Some(k) => k.zh().into(),
            None => format!("「{other}」"),
        },
    }
}

/// The trees with a Chinese name of their own (the record kinds' trees
/// take their kind's).
fn tree_zh_known(tree: &str) -> Option<&'static str> {
    use crate::store::{subsidy, wish};
    Some(match tree {
        "case_notes" => "服务记录备注索引",
        subsidy::STANDARDS_TREE => "补贴标准",
        subsidy::CLAIMS_TREE => "补贴申报",
        subsidy::CLAIM_EVENTS_TREE => "补贴申报经办记录",
        subsidy::INDEX_TREE => "补贴索引",
        wish::WAITING_TREE => "意愿排队索引",
        _ => return None,
    })
}

/// One problem `check` found: the tree, the key and what is wrong.
pub fn check_problem(p: &crate::store::check::Problem, lang: Lang) -> String {
    match lang {
        Lang::En => p.to_string(),
        Lang::Zh => {
            let key = if p.key == "-" {
                String::new()
            } else {
                format!(" {}", p.key)
            };
            format!("{}{key}：{}", tree_zh(p.tree), translate(&p.message, CHECK_ZH))
        }
    }
}

/// What `check --repair` did, as the command line prints it.
pub fn repair_report(r: &crate::store::repair::RepairReport, lang: Lang) -> String {
    if lang == Lang::En {
        return r.text();
    }
    let path = r.path.display();
    let mut out = String::new();
    if let Some(b) = &r.backup {
        out += &format!("已把 {path} 备份到 {}\n", b.display());
    }
    for c in &r.changes {
        let key = if c.key == "-" {
            String::new()
        } else {
            format!(" {}", c.key)
        };
        out += &format!("已修复 {}{key}：{}\n", tree_zh(c.tree), translate(&c.what, CHECK_ZH));
    }
    if r.changes.is_empty() {
        out += &format!("{path} 无需修复：索引、计数和岗位需求状态都与记录一致（事先做的副本已删除）\n");
    } else {
        out += &format!("{path} 共修复 {} 处\n", r.changes.len());
    }
    if r.remaining.is_empty() {
        out += "检查未发现问题\n";
    } else {
        out += &format!("还有 {} 个问题修复无法解决，需要经办人员处理：\n", r.remaining.len());
        for p in &r.remaining {
            out += &format!("  {}\n", check_problem(p, Lang::Zh));
        }
    }
    out
}

/// Salvage's lines (`io::salvage` and `store::sledlog` word them).
const SALVAGE_ZH: &[(&str, &str)] = &[
    ("{}: every record", "{}：全部记录"),
    ("{}: records from {} on", "{}：从 {} 起的记录"),
    ("{}: records before {}", "{}：{} 之前的记录"),
    ("{}: records from {} up to {}", "{}：从 {} 到 {} 的记录"),
    (
        "{} {}: does not decode ({}), left out",
        "{} {}：无法解码（原始信息：「{}」），未收录",
    ),
    (
        "{} {}: stored under another key, left out",
        "{} {}：存放在另一个键下，未收录",
    ),
    (
        "{} is too short to be a snapshot: the whole log was read instead",
        "{} 太短，不是快照：改为读取整个日志",
    ),
    (
        "{}: the snapshot is damaged (its CRC fails): the whole log was read instead",
        "{}：快照已损坏（校验失败）：改为读取整个日志",
    ),
    (
        "{}: no segment size read: sled's default of 512 KiB assumed",
        "{}：未读到段大小：按默认的 512 KiB 处理",
    ),
];

/// Guard's words when the watched command ended badly (`cli::guard`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The storage engine panicked reading it.
    Panicked { db: PathBuf },
    /// It needed more memory than its files explain.
    Memory { db: PathBuf, mb: u64 },
    /// A signal ended it.
    Signal { db: PathBuf, signal: i32 },
    /// No progress for `secs` seconds.
    Stalled { db: PathBuf, secs: u64 },
}

impl Say for Stopped {
    fn say(&self, lang: Lang) -> String {
        let db = match self {
            Stopped::Panicked { db }
            | Stopped::Memory { db, .. }
            | Stopped::Signal { db, .. }
            | Stopped::Stalled { db, .. } => db.display(),
        };
        match lang {
            Lang::En => {
                let todo = format!(
                    "Restore it from a backup (`skillbridge restore FILE --db NEW_PATH`), or run `skillbridge salvage FILE --db {db}` to save every record that still reads"
                );
                match self {
                    Stopped::Panicked { .. } => format!(
                        "skillbridge: the database at {db} is damaged: reading it failed inside the storage engine. {todo}"
                    ),
                    Stopped::Memory { mb, .. } => format!(
                        "skillbridge: the database at {db} is damaged, or far larger than its files: reading it needed more than {mb} MB of memory and was stopped. {todo}"
                    ),
                    Stopped::Signal { signal, .. } => format!(
                        "skillbridge: reading the database at {db} was stopped by signal {signal}: it may be damaged. {todo}"
                    ),
                    Stopped::Stalled { secs, .. } => format!(
                        "skillbridge: the database at {db} is damaged: reading it made no progress for {secs} s and was stopped. {todo}"
                    ),
                }
            }
            Lang::Zh => {
                let todo = format!(
                    "请从备份恢复（`skillbridge restore 备份文件 --db 新路径`），或运行 `skillbridge salvage 文件 --db {db}` 抢救仍可读的记录"
                );
                match self {
                    Stopped::Panicked { .. } => {
                        format!("skillbridge：数据库 {db} 已损坏：存储引擎读取时出错。{todo}")
                    }
                    Stopped::Memory { mb, .. } => format!(
                        "skillbridge：数据库 {db} 已损坏，或远大于其文件：读取需要超过 {mb} MB 内存，已停止。{todo}"
                    ),
                    Stopped::Signal { signal, .. } => {
                        format!("skillbridge：读取数据库 {db} 时被信号 {signal} 终止：数据库可能已损坏。{todo}")
                    }
                    Stopped::Stalled { secs, .. } => {
                        format!("skillbridge：数据库 {db} 已损坏：读取 {secs} 秒没有进展，已停止。{todo}")
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_break_in_a_follow_up_note_or_correction_is_said_in_chinese() {
        use crate::domain::aftercare::{AftercareError as A, ChainError};
        use crate::domain::{CaseState, DemandId};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let each = [
            A::NotEmployed(CaseState::Referred(DemandId(12))),
            A::NotScheduled {
                months: 4,
                schedule: "1, 3, 6".into(),
            },
            A::NotDue { months: 6, due: day },
            A::Closed { months: 3 },
            A::Wage(0),
            A::EmptyNote,
            A::NoteTooLong(900),
            A::ReasonMissing,
            A::OtherNeedsText,
            A::NothingToCorrect,
            A::NotLatest { latest: 5, asked: 3 },
            A::NotYours {
                who: "王芳".into(),
                seq: 4,
                by: "李明".into(),
                on: day,
            },
        ];
        for source in each {
            let english = crate::store::check::chain_break(&ChainError::Aftercare { seq: 3, source });
            let zh = translate(&english, CHECK_ZH);
            assert!(
                !zh.contains("原始信息") && !zh.chars().any(|c| c.is_ascii_alphabetic()),
                "{english} → {zh}"
            );
        }
        let not_employed = ChainError::Aftercare {
            seq: 3,
            source: A::NotEmployed(CaseState::Referred(DemandId(12))),
        };
        assert_eq!(
            translate(&crate::store::check::chain_break(&not_employed), CHECK_ZH),
            "回访只针对已就业的服务记录；此记录当时为「已推荐」"
        );
    }

    #[test]
    fn templates_take_their_values_in_order() {
        assert_eq!(
            holes("class {} does not exist", "class C12 does not exist"),
            Some(vec!["C12"])
        );
        assert_eq!(
            holes(
                "counter says {}/{} referred/hired, cases say {}/{}",
                "counter says 1/2 referred/hired, cases say 3/4"
            ),
            Some(vec!["1", "2", "3", "4"])
        );
        assert_eq!(holes("malformed counter", "malformed counter!"), None);
        assert_eq!(translate("class C12 does not exist", CHECK_ZH), "培训班 C12 不存在");
        assert!(translate("something new", CHECK_ZH).contains("「something new」"));
        // A trade, a claim's state and a tree inside a message are said in Chinese.
        let trade = OccupationId::all().next().expect("a trade");
        assert_eq!(
            translate(
                &format!("T3 is subsidized twice for {} at one level (also S9)", trade.en()),
                CHECK_ZH
            ),
            format!("学员 T3 在{}工种同一等级重复享受补贴（另见申报 S9）", trade.zh())
        );
        assert_eq!(
            translate("leads to first review passed but says paid", CHECK_ZH),
            "应为「初审通过」，记载的却是「已拨付」"
        );
        assert_eq!(
            translate("claim says 2 events, 1 read", CHECK_ZH),
            "申报记载 2 条经办记录，实际读到 1 条"
        );
        assert_eq!(
            translate("filed cannot follow a paid claim", CHECK_ZH),
            "「申报」不能接在「已拨付」的申报之后"
        );
        // Only there: a value elsewhere that reads as a state stays as it is.
        assert_eq!(translate("class paid does not exist", CHECK_ZH), "培训班 paid 不存在");
        assert_eq!(
            translate("wish Y3 is open but not in 'wish_waiting'", CHECK_ZH),
            "培训意愿 Y3 仍在排队，却不在意愿排队索引中"
        );
        // Salvage's word for an event left out, alone or in a case's run.
        for line in [
            "events [00, 00, 00, 07, 00, 00, 00, 01]: does not decode (bad), left out",
            "events [00, 00, 00, 07] #2: does not decode (bad), left out",
        ] {
            let zh = translate(line, SALVAGE_ZH);
            assert!(zh.contains("无法解码") && !zh.contains("left out"), "{zh}");
        }
    }

    #[test]
    fn access_details_read_chinese() {
        assert_eq!(access_detail_zh("to /tmp/b.bak"), "至 /tmp/b.bak");
        assert_eq!(access_detail_zh("trainees to standard output"), "学员，至 标准输出");
        assert_eq!(
            access_detail_zh("trainees from /x/t.csv (3 new people; changed ones not counted)"),
            "学员，来自 /x/t.csv（新增 3 人；修改的不计）"
        );
    }

    #[test]
    fn the_demo_notice_keeps_its_numbers() {
        let n = demo_notice_zh("synthetic demo city (seed 7, 300 trainees): every person, firm and school is invented");
        assert_eq!(n, "虚构的演示城市（种子 7，300 名学员）：所有人员、企业和学校均为虚构");
    }
}
