//! 中文: every typed refusal and failure, each variant in full, with the
//! record codes, names, dates and numbers it carries and what would be
//! accepted. No arm falls back to the English message.

use crate::domain::access::{Action, Denied, Role};
use crate::domain::case::{MoveKind, PASS_MARK};
use crate::domain::rules::{Closed, RuleError, Warning};
use crate::domain::{
    Breach, CaseState, IdNumberError, Kind, MobileError, RecordRef, TransitionError, UnknownKind, ValidationError,
};
use crate::io::columns;
use crate::io::import::{Diff, ImportError, Problem, Report, UnknownColumn, Why};
use crate::io::resolve::{Catalog, Unresolved};
use crate::io::table::{Excess, Note, TableError, column_letter};
use crate::store::{StoreError, Unavailable};
use std::path::Path;

/// A record named by the English word the store uses (`Record::NAME`).
fn noun(word: &str) -> &'static str {
    match word {
        "trainee" => "学员",
        "class" => "培训班",
        "demand" => "岗位需求",
        "case" => "服务记录",
        "institution" => "培训机构",
        "enterprise" => "企业",
        "event" => "经办记录",
        "importable file" => "可导入的文件",
        _ => "记录",
    }
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Kiosk => "自助终端（kiosk）",
        Role::Operator => "经办员（operator）",
        Role::Supervisor => "主管（supervisor）",
        Role::Admin => "管理员（admin）",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Read => "查看记录",
        Action::Intake => "登记新记录",
        Action::CaseStep => "办理服务记录的步骤",
        Action::Pairing => "为学员报名或推荐岗位",
        Action::Correct => "修改已有记录",
        Action::ReferenceData => "修改培训机构、企业或设置",
        Action::Reveal => "查看完整的身份证号或手机号",
        Action::Import => "导入表格",
        Action::Export => "导出记录",
        Action::ExportPersonal => "导出个人信息（学员）",
        Action::ReadAudit => "查看访问记录",
        Action::Check => "运行完整性检查",
        Action::Backup => "备份数据库",
        Action::Restore => "恢复或修复数据库",
        Action::SubsidyFile => "生成或申报补贴申报",
        Action::SubsidyReview => "审核补贴申报或登记拨付",
        Action::SubsidyStandards => "修改补贴标准",
    }
}

/// A case's state with its data: 已取证（四级/中级工）, 已推荐（岗位需求 D12）.
fn state(s: &CaseState) -> String {
    match s {
        CaseState::Certified(l) => format!("{}（{}）", s.kind().zh(), l.zh()),
        CaseState::Referred(d) | CaseState::NotHired(d) | CaseState::Employed(d) => {
            format!("{}（岗位需求 {d}）", s.kind().zh())
        }
        other => other.kind().zh().to_string(),
    }
}

fn moves(legal: &[MoveKind]) -> String {
    if legal.is_empty() {
        "无（已办结）".to_string()
    } else {
        legal.iter().map(|m| m.zh()).collect::<Vec<_>>().join("、")
    }
}

fn districts(ds: &Option<Vec<crate::domain::RegionId>>) -> String {
    match ds {
        None => "全部区域".to_string(),
        Some(d) => d.iter().map(|r| district(*r)).collect::<Vec<_>>().join("、"),
    }
}

/// `321181 丹阳市`, or `区域 N` for an id the catalog lacks.
fn district(r: crate::domain::RegionId) -> String {
    match r.get() {
        Some(g) => format!("{} {}", g.code, g.zh),
        None => format!("区域 {}", r.0),
    }
}

/// `学员 T12 王芳`: the record a district refusal is about.
fn subject(s: &crate::domain::access::Subject) -> String {
    match &s.name {
        Some(n) => format!("{} {} {n}", s.kind.zh(), s.key),
        None => format!("{} {}", s.kind.zh(), s.key),
    }
}

fn score(what: &str) -> &'static str {
    match what {
        "theory" => "理论",
        "practical" => "实操",
        _ => "成绩",
    }
}

/// A record's field by the column an import or export gives it.
fn field(record: &RecordRef, field: &str) -> String {
    match columns::column(record.kind(), field) {
        Some(c) => c.zh.to_string(),
        None => match field {
            "occupation" => "工种".to_string(),
            "program" => "专项".to_string(),
            "region" => "区域".to_string(),
            _ => "字段".to_string(),
        },
    }
}

/// What the system said about a file, in words (the OS's own text is English).
pub(super) fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "没有这个文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::InvalidData => "内容无效",
        K::UnexpectedEof => "文件意外结束",
        _ => "读写出错",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what}（系统错误码 {code}）"),
        None => what.to_string(),
    }
}

/// What the store was doing when the system refused (`store::fault`).
fn doing_zh(doing: &str) -> &'static str {
    match doing {
        "opening" => "打开",
        "reading" => "读取",
        "saving" => "保存",
        "backing up" => "备份",
        _ => "读写",
    }
}

fn mb(b: u64) -> String {
    format!("{:.1} MB", b as f64 / 1e6)
}

pub(super) fn store(e: &StoreError) -> String {
    match e {
        StoreError::Locked { path, hint } => format!(
            "数据库 {} 已被另一个进程打开（同一时间只能由一个进程使用）。请关闭另一个 skillbridge，或连接持有它的服务器{hint}",
            path.display()
        ),
        StoreError::NewerSchema { path, found, supported } => format!(
            "数据库 {} 由更新版本的 skillbridge 写入（结构版本 {found}；本程序最高读取 {supported}）。请升级 skillbridge；数据库未被改动",
            path.display()
        ),
        StoreError::OldSchema { path, found, oldest } => format!(
            "数据库 {} 的结构版本为 {found}，早于本程序可升级的版本（从版本 {oldest} 起）；数据库未被改动。请用写入它的 skillbridge 版本打开并导出数据",
            path.display()
        ),
        StoreError::Migration {
            path,
            from,
            step,
            backup,
            detail,
        } => format!(
            "升级数据库 {} 时在结构版本 {from} 这一步（'{step}'）失败（原始信息：「{detail}」）。升级前的副本在 {}；排除原因后重新打开数据库即可继续（已完成的步骤保留），或放回副本",
            path.display(),
            backup.display()
        ),
        StoreError::Open { path, source } => {
            format!(
                "无法打开数据库 {}：{}。请检查目录是否存在且可写",
                path.display(),
                io_error(source)
            )
        }
        StoreError::Write { path, detail } => format!(
            "数据库 {} 读写失败（原始信息：「{detail}」）。本次修改未保存；此前确认的修改都安全。请检查磁盘和权限，然后重新启动 skillbridge",
            path.display()
        ),
        StoreError::DiskFull { path, doing } => format!(
            "{} 所在磁盘已满（{}时）：本次修改未保存；此前确认的修改都安全。请清理 {} 所在磁盘的空间，然后重新启动 skillbridge",
            path.display(),
            doing_zh(doing),
            path.display()
        ),
        StoreError::ReadOnly { path, doing } => format!(
            "数据库 {} 位于只读文件系统上（{}时）：skillbridge 即使只读也要写入（锁和日志），未做任何改动。请以读写方式重新挂载，或把目录复制到可写的位置并用 --db 指定副本",
            path.display(),
            doing_zh(doing)
        ),
        StoreError::PermissionDenied { path, doing, detail } => format!(
            "没有使用数据库 {} 的权限（{}时；原始信息：「{detail}」）；未做任何改动。请给当前用户该目录及其中每个文件的读写权限；若 `lsattr` 显示不可变标志 'i'，用 `chattr -i` 去掉",
            path.display(),
            doing_zh(doing)
        ),
        StoreError::BadPath { path, detail } => format!(
            "无法创建数据库目录 {}（原始信息：「{detail}」）。请用 --db 指定一个上级目录存在的目录路径",
            path.display()
        ),
        StoreError::Vanished { path } => format!(
            "skillbridge 使用中的数据库目录 {} 不见了，本次修改无法保存。请放回该目录（或恢复备份）并重新启动 skillbridge",
            path.display()
        ),
        StoreError::Unreadable { path, detail } => format!(
            "目录 {p} 不是可读的 skillbridge 数据库（原始信息：「{detail}」）；未做任何改动。如果应当是，请从备份恢复（`skillbridge restore 备份文件`，或名如 {p}.bak-YYYYmmddHHMMSS 的副本），或运行 `skillbridge salvage 文件 --db {p}` 抢救仍可读的记录；要重新开始，请用 --db 指定一个空目录",
            p = path.display()
        ),
        StoreError::Corrupt { path, detail } => format!(
            "数据库 {p} 已损坏（原始信息：「{detail}」）。运行 `skillbridge check --db {p}` 列出损坏之处；`skillbridge check --repair` 会重建索引和计数（先备份目录），损坏的记录本身只能从备份找回：恢复最近的备份，或运行 `skillbridge salvage 文件 --db {p}` 抢救仍可读的记录",
            p = path.display()
        ),
        StoreError::Backup { path, backup, detail } => format!(
            "无法把数据库 {} 备份到 {}（原始信息：「{detail}」）；未做任何改动。备份需要数据库旁有与数据库同样大小的空闲空间",
            path.display(),
            backup.display()
        ),
        StoreError::Unrepairable { path, count, list } => format!(
            "修复未改动数据库 {p}：有 {count} 条记录无法解码（{list}），缺了它们就无法重建其索引和计数。请恢复最近一次完好的备份（名如 {p}.bak-YYYYmmddHHMMSS 的副本）",
            p = path.display()
        ),
        StoreError::NotFound { kind, id } => format!("{} {id} 不存在", noun(kind)),
        StoreError::DuplicateIdNumber { id_number, existing } => {
            format!("身份证号 {id_number} 已登记（学员 {existing}）；请打开该记录")
        }
        StoreError::DuplicateName { kind, name, existing } => {
            format!("名称为“{name}”的{}已存在（{existing}）", noun(kind))
        }
        StoreError::ClassFull { class, used, capacity } => {
            format!("培训班 {class} 已满：{capacity} 个名额已用 {used} 个")
        }
        StoreError::ClassClosed { class, status } => {
            format!("培训班 {class} {}，不再接受报名", status.zh())
        }
        StoreError::AlreadyEnrolled { trainee, class, case } => {
            format!("学员 {trainee} 已报名培训班 {class}（服务记录 {case}）")
        }
        StoreError::DemandUnavailable { demand, why } => {
            format!("岗位需求 {demand} 没有空缺岗位：{}", unavailable(why))
        }
        StoreError::LevelTooLow { demand, required, has } => format!(
            "岗位需求 {demand} 要求 {} 或更高等级；该学员取得的是 {}",
            required.zh(),
            has.zh()
        ),
        StoreError::CapacityBelowEnrolled { class, capacity, used } => {
            format!("计划人数 {capacity} 少于培训班 {class} 已报名的 {used} 人")
        }
        StoreError::Transition { case, source } => format!("服务记录 {case}：{}", transition(source)),
        StoreError::Aftercare { case, source } => format!("服务记录 {case}：{}", aftercare(source)),
        StoreError::Invalid(v) => validation(v),
        StoreError::Rule(r) => rule(r),
        StoreError::Denied(d) => denied(d),
        StoreError::Wish(w) => super::wish::zh(w),
        StoreError::Subsidy(e) => super::subsidy::subsidy(e),
    }
}

pub(super) fn unavailable(u: &Unavailable) -> String {
    match u {
        Unavailable::Status(s) => format!("该需求{}", s.zh()),
        Unavailable::Taken {
            headcount,
            referred,
            hired,
        } => format!("{headcount} 个岗位都已占用（已推荐 {referred} 人，已录用 {hired} 人）"),
    }
}

pub(super) fn closed(c: &Closed) -> String {
    match c {
        Closed::Cancelled => "已取消",
        Closed::Finished => "已结业",
        Closed::PastWindow => "已过报名期",
        Closed::NotOpen => "未开放报名",
    }
    .to_string()
}

pub(super) fn rule(e: &RuleError) -> String {
    match e {
        RuleError::BeforeStart { class, start } => {
            format!("培训班 {class} 于 {start} 开班：开班前不能开始培训")
        }
        RuleError::BeforeEnd { class, end } => {
            format!("培训班 {class} 于 {end} 结业：评价须在培训结束之后（提前结业须在备注中写明原因）")
        }
        RuleError::FailWithPassingScores { theory, practical } => format!(
            "理论 {theory} 分、实操 {practical} 分均已及格（不低于 {PASS_MARK} 分）：应登记为评价通过，而不是未通过"
        ),
        RuleError::PassBelowMark { theory, practical } => {
            format!("评价通过需理论和实操成绩均不低于 {PASS_MARK} 分；现为理论 {theory} 分、实操 {practical} 分")
        }
        RuleError::TooYoung { age, min, on } => {
            format!("开班日 {on} 时年满 {age} 周岁：参加培训须年满 {min} 周岁")
        }
        RuleError::TooYoungForSpecial { age, min, on, trade } => {
            format!("开班日 {on} 时年满 {age} 周岁：{trade}属于特种作业，须年满 {min} 周岁")
        }
        RuleError::EnrollmentClosed { class, last, status } => {
            format!("培训班 {class} 的报名截止于 {last}（{}）", closed(status))
        }
        RuleError::AlreadyActive { case, class } => {
            format!("该学员已在培训班 {class} 学习（服务记录 {case}，尚未办结）：再报名其他班须写明原因")
        }
    }
}

pub(super) fn warning(w: &Warning) -> String {
    match w {
        Warning::PastRetirement { age, on, retires_at } => format!(
            "开班日 {on} 时年满 {age} 周岁：已超过法定退休年龄（{} 岁 {} 个月）",
            retires_at.0, retires_at.1
        ),
    }
}

pub(super) fn transition(e: &TransitionError) -> String {
    match e {
        TransitionError::Illegal {
            state: s,
            attempted,
            legal,
        } => format!(
            "状态为“{}”的服务记录不能办理“{}”；可办理：{}",
            state(s),
            attempted.zh(),
            moves(legal)
        ),
        TransitionError::ScoreOutOfRange { what, value } => {
            format!("{}成绩 {value} 超出范围：应为 0 到 100", score(what))
        }
        TransitionError::PassBelowMark { theory, practical } => {
            format!("评价通过需理论和实操成绩均不低于 {PASS_MARK} 分；现为理论 {theory} 分、实操 {practical} 分")
        }
        TransitionError::PanelRequired(level) => {
            format!("{} 还需通过评审（评审通过）", level.zh())
        }
        TransitionError::FailAboveMark { theory, practical } => format!(
            "评价未通过需有一项成绩低于 {PASS_MARK} 分或评审未通过；理论 {theory} 分、实操 {practical} 分均已及格"
        ),
        TransitionError::CertificateMissing => "评价通过须填写证书编号".to_string(),
        TransitionError::ReasonMissing => "退训须填写原因".to_string(),
    }
}

pub(super) fn validation(e: &ValidationError) -> String {
    format!(
        "{} {}：{} '{}'：{}",
        Kind::zh(e.record.kind()),
        e.record,
        field(&e.record, e.field),
        e.value,
        breach(&e.reason)
    )
}

pub(super) fn breach(b: &Breach) -> String {
    match b {
        Breach::Empty => "不能为空".to_string(),
        Breach::TooLong { max } => format!("超过 {max} 个字"),
        Breach::Control => "不能含控制字符".to_string(),
        Breach::Stars => "信用星级为 1 到 5".to_string(),
        Breach::AtLeast { min } => format!("至少为 {min}"),
        Breach::AtMost { max } => format!("至多为 {max}"),
        Breach::AboveMaxWage { max } => format!("不能高于最高月薪 {max}"),
        Breach::NotAfterStart { start } => format!("须晚于开班日期 {start}"),
        Breach::ProjectNeedsDemand => "项目化培训班须对接至少一条岗位需求".to_string(),
        Breach::OnlyProjectLinks => "只有项目化培训班可对接岗位需求".to_string(),
        Breach::NoSuch { what, max } => {
            let what = match *what {
                "region" => "区域",
                "occupation" => "工种",
                "program" => "专项",
                _ => "编号",
            };
            format!("没有这个{what}：应为 0 到 {max}")
        }
        Breach::BelowTaken { taken } => {
            format!("已有 {taken} 个岗位推荐或录用；需求人数不能少于此数")
        }
    }
}

pub(super) fn denied(d: &Denied) -> String {
    match d {
        Denied::Role {
            who,
            role: r,
            action: a,
            needs,
        } => format!(
            "{who}（{}）不能{}：需要{}{}权限",
            role(*r),
            action(*a),
            role(*needs),
            if *needs == Role::Admin { "" } else { "或更高" }
        ),
        Denied::District {
            who,
            districts: ds,
            action: a,
            what,
            district: at,
        } => format!(
            "{who} 负责 {}，不能为 {d} 的{}{}：请联系 {d} 的经办员或主管",
            districts(ds),
            subject(what),
            action(*a),
            d = district(*at)
        ),
        Denied::RevealLimit {
            who,
            role: r,
            used,
            limit,
        } => format!(
            "{who}（{}）24 小时内已查看 {used} 人的完整号码，达到经办员的上限（{limit}）：主管可查看更多",
            role(*r)
        ),
    }
}

pub(super) fn id_number(e: &IdNumberError) -> String {
    match e {
        IdNumberError::Empty => "身份证号为空：应为 18 位（17 位数字加一位校验码 0-9 或 X）".to_string(),
        IdNumberError::WrongLength { value, len } => {
            format!("身份证号 '{value}' 有 {len} 位：应为 18 位（或旧的 15 位）")
        }
        IdNumberError::NotDigit { value, pos, ch } => {
            format!("身份证号 '{value}' 第 {pos} 位是 '{ch}'：此处只能是数字（X 只能在最后一位）")
        }
        IdNumberError::BadDate { value, date } => {
            format!("身份证号 '{value}' 中的出生日期 {date} 不是真实日期")
        }
        IdNumberError::FutureDate { value, date } => {
            format!("身份证号 '{value}' 中的出生日期 {date} 在今天之后")
        }
        IdNumberError::WrongCheck { value, found, expected } => {
            format!("身份证号 '{value}' 的校验码是 '{found}'，但按前 17 位应为 '{expected}'")
        }
    }
}

pub(super) fn mobile(e: &MobileError) -> String {
    match e {
        MobileError::Empty => "手机号为空：应为以 1 开头的 11 位数字（如 13912345678）".to_string(),
        MobileError::NotDigit { value, ch } => {
            format!("手机号 '{value}' 含有 '{ch}'：只能是数字（开头的 +86 会被去掉）")
        }
        MobileError::WrongLength { value, len } => format!("手机号 '{value}' 有 {len} 位数字：应为 11 位"),
        MobileError::WrongPrefix { value } => format!("手机号 '{value}' 应以 13-19 开头（1 后接 3-9）"),
    }
}

pub(super) fn unknown_kind(e: &UnknownKind) -> String {
    format!(
        "没有“{}”这一类：应为 institutions（培训机构）、enterprises（企业）、demands（岗位需求）、classes（培训班）、trainees（学员）之一",
        e.0
    )
}

pub(super) fn import(e: &ImportError) -> String {
    match e {
        ImportError::Table(t) => table(t),
        ImportError::NotImportable(k) => unknown_kind(k),
        ImportError::MissingColumns {
            path,
            line,
            kind,
            missing,
            have,
        } => format!(
            "{}:{line}：文件缺少{}的必填列 {missing}，未导入任何记录。表头行现有：{have}",
            path.display(),
            Kind::zh(*kind)
        ),
        ImportError::DuplicateColumn {
            path,
            line,
            first,
            second,
            column,
        } => format!(
            "{}:{line}：列“{first}”和“{second}”都表示 {column}：请只保留一列",
            path.display()
        ),
        ImportError::Invalid { path, count, rows } => format!(
            "{}：{rows} 行中有 {count} 行有误，因此未写入任何记录。请修正后重新导入，或加 --skip-invalid 有误行.csv 写入正确的行、把有误的行另存",
            path.display()
        ),
        ImportError::RejectsIsInput { path, rejects } => format!(
            "--skip-invalid {} 指向正在导入的文件（{}）：有误的行会覆盖它。未写入任何记录；请为有误的行另取文件名",
            rejects.display(),
            path.display()
        ),
        ImportError::Rejects { path, rejects, source } => {
            format!(
                "{}：无法写入有误行文件 {}：{}",
                path.display(),
                rejects.display(),
                io_error(source)
            )
        }
        ImportError::Store(s) => store(s),
        ImportError::Write {
            path,
            line,
            written,
            batch,
            source,
        } => format!(
            "{}:{line}：写入数据库失败；此前已按整批写入 {written} 行，本行所在的一批 {batch} 行未写入：{}",
            path.display(),
            store(source)
        ),
    }
}

pub(super) fn table(e: &TableError) -> String {
    match e {
        TableError::Io { path, source } => format!("{}：无法读取：{}", path.display(), io_error(source)),
        TableError::Empty { path, expected, what } => format!(
            "{}：文件是空的：应有一行表头列出各列（{expected}），每个{}一行",
            path.display(),
            noun(what)
        ),
        TableError::Encoding { path, offset, byte } => format!(
            "{}：文件既不是 UTF-8 也不是 GB18030/GBK（偏移 {offset} 处的字节 0x{byte:02X} 两者都无效）：请另存为“CSV UTF-8”或 .xlsx",
            path.display()
        ),
        TableError::Utf16 { path } => format!(
            "{}：文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”或 .xlsx",
            path.display()
        ),
        TableError::OldExcel { path } => format!(
            "{}：文件是 Excel 97-2003 工作簿（.xls），无法读取：请另存为 .xlsx 或“CSV UTF-8”",
            path.display()
        ),
        TableError::Csv { path, row, detail } => format!("{}:{row}：不是有效的 CSV：{detail}", path.display()),
        TableError::Xlsx { path, detail } => format!(
            "{}：无法读取工作簿：{detail}。应为 Excel 或 WPS 保存的 .xlsx 文件",
            path.display()
        ),
        TableError::Json { path, detail } => format!(
            "{}：不是 JSON 格式的导出文件：{detail}。应为以列名为键的对象数组",
            path.display()
        ),
        TableError::Format { path, ext } => format!(
            "{}：不读取扩展名为“{ext}”的文件：应为 .csv、.xlsx 或 .json",
            path.display()
        ),
        TableError::TooLarge { path, excess: x } => {
            format!("{}：已拒绝，未读入数据库：{}", path.display(), excess(x))
        }
        TableError::NoSheet { path, sheet, sheets } => format!(
            "{}：工作簿中没有名为“{sheet}”的工作表；现有工作表：{sheets}",
            path.display()
        ),
        TableError::SheetOfText { path, sheet } => format!(
            "{}：--sheet '{sheet}' 指定了工作表，但该文件不是工作簿（.xlsx）",
            path.display()
        ),
        TableError::NoHeader {
            path,
            kind,
            scanned,
            first,
            expected,
            sheets,
        } => format!(
            "{}：前 {scanned} 行都没有{}的列名：第一行是 {first}。应有一行表头，例如 {expected}{sheets}",
            path.display(),
            Kind::zh(*kind)
        ),
    }
}

pub(super) fn excess(x: &Excess) -> String {
    match x {
        Excess::FileBytes { found, limit } => {
            format!("文件有 {}，超过此处可读的 {}", mb(*found), mb(*limit))
        }
        Excess::Unpacked { found, limit } => {
            format!("工作簿解压后超过 {}（至少 {}）", mb(*limit), mb(*found))
        }
        Excess::Parts { found, limit } => format!("工作簿有 {found} 个部件，超过此处可读的 {limit} 个"),
        Excess::Cells { found, limit } => format!("文件超过 {limit} 个单元格（至少 {found} 个）"),
        Excess::Cell {
            cell,
            limit_rows,
            limit_columns,
        } => format!(
            "单元格 {cell} 超出此处可读的 {limit_columns} × {limit_rows} 个单元格（A 到 {} 列，1 到 {limit_rows} 行）：请删除其中的内容，或把表格复制到新工作表",
            column_letter((*limit_columns as usize).saturating_sub(1))
        ),
        Excess::SharedStrings { declared, bytes } => {
            format!("工作簿在 {bytes} 字节的部件中声明了 {declared} 个共享字符串，不可能容纳（文件已损坏或有恶意）")
        }
    }
}

fn key_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Institutions | Kind::Enterprises => "名称",
        Kind::Demands => "编号（或企业 + 工种 + 区域）",
        Kind::Classes => "班级名称、培训机构和开班时间",
        Kind::Trainees | Kind::Cases => "身份证号",
    }
}

pub(super) fn why(w: &Why) -> String {
    match w {
        Why::Breach(b) => breach(b),
        Why::IdNumber(e) => id_number(e),
        Why::Mobile(e) => mobile(e),
        Why::ExcelRounded => {
            "Excel 把这个号码存成了数值，只保留 15 位，其余已丢失：请把该列设为“文本”格式后重新输入".to_string()
        }
        Why::Required { column, .. } => format!("为空；{column}是必填列"),
        Why::Repeats { first, kind } => {
            format!("与第 {first} 行重复（{}相同）；两行只保留一行", key_words(*kind))
        }
        Why::Unresolved(u) => unresolved(u),
        Why::NoRecord { kind, near, count } => {
            let what = Kind::zh(*kind);
            if near.is_empty() {
                format!("没有叫这个名称的{what}（数据库中有 {count} 个{what}；请先导入{what}）")
            } else {
                format!("没有叫这个名称的{what}；{}", did_you_mean(near))
            }
        }
        Why::NoDemand { code, near } => {
            let mut s = format!("没有编号为 '{code}' 的岗位需求（请先导入岗位需求）");
            if !near.is_empty() {
                s.push_str(&format!("；{}", did_you_mean(near)));
            }
            s
        }
        Why::SeatsTaken { used } => format!("已有 {used} 个名额被占用；计划人数不能少于此数"),
        Why::SeveralDemands { trade, region, ids } => format!(
            "该企业在{region}的{trade}岗位需求有 {} 条（{}）：请加一列“编号”指明是哪一条",
            ids.len(),
            ids.join("、")
        ),
        Why::SeveralClasses { ids } => format!(
            "同名、同机构、同开班时间的培训班有 {} 个（{}）：请先改名加以区分",
            ids.len(),
            ids.join("、")
        ),
        Why::NotAScore => "不是成绩：应为 0 到 100 的数".to_string(),
        Why::ScoreOutOfRange => "超出范围：成绩应在 0 到 100 之间".to_string(),
        Why::NotPanel => "应填“通过”或“未通过”".to_string(),
        Why::FutureDate { today } => format!("晚于今天（{today}）：评价日期不能在将来"),
        Why::PersonRepeats { first } => format!("重复：第 {first} 行已给出此人的成绩"),
        Why::NoTrainee => "没有学员使用这个身份证号".to_string(),
        Why::OtherName { trainee, name } => {
            format!("此身份证号的学员 {trainee} 名叫“{name}”：请核对这一行是否是此人")
        }
        Why::NotAwaiting(n) => {
            let crate::io::import::NotAwaiting {
                trainee,
                name,
                class,
                cases,
            } = n.as_ref();
            let within = class.as_ref().map(|k| format!("在培训班 {k} ")).unwrap_or_default();
            if cases.is_empty() {
                format!("{trainee} {name} {within}没有服务记录")
            } else {
                let states: Vec<String> = cases.iter().map(|(c, s)| format!("{c} {}", s.zh())).collect();
                format!("{trainee} {name} {within}没有待评价的服务记录（{}）", states.join("、"))
            }
        }
        Why::PassNeedsCertificate {
            theory,
            practical,
            level,
        } => format!(
            "理论 {theory}、实操 {practical} 达到{}的合格线：合格须填证书编号",
            level.zh()
        ),
        Why::FailWithCertificate {
            theory,
            practical,
            panel_missing,
            level,
        } => format!(
            "理论 {theory}、实操 {practical}{}未达到{}的合格要求，却填了证书编号：请核对这一行",
            if *panel_missing {
                "（且未通过综合评审）"
            } else {
                ""
            },
            level.zh()
        ),
        Why::OutsideDistricts => "此人不在您负责的区域".to_string(),
        Why::Other(text) => text.clone(),
    }
}

/// 是不是 'a' 或 'b'？
fn did_you_mean(near: &[String]) -> String {
    let quoted: Vec<String> = near.iter().map(|n| format!("'{n}'")).collect();
    format!("是不是 {}？", quoted.join(" 或 "))
}

/// `；是不是 'a'？` after a refusal, or the sentence's end.
fn then_did_you_mean(near: &[String]) -> String {
    if near.is_empty() {
        "。".to_string()
    } else {
        format!("；{}", did_you_mean(near))
    }
}

pub(super) fn unresolved(u: &Unresolved) -> String {
    match u {
        Unresolved::Unknown { what, near, listed } => {
            let what = match what {
                Catalog::Region => "区域",
                Catalog::Program => "专项",
                Catalog::Alliance => "产业联盟",
            };
            let mut s = format!("没有叫这个名称的{what}");
            s.push_str(&then_did_you_mean(near));
            s.push_str(&format!("可填：{}", listed.join("、")));
            s
        }
        Unresolved::Trade { near, listed } => {
            let mut s = "没有这个工种（按名称、英文名、代码或别名查找）".to_string();
            let shown: Vec<String> = near
                .iter()
                .map(|(n, trade)| match trade {
                    Some(zh) => format!("{n}（{zh}）"),
                    None => n.clone(),
                })
                .collect();
            s.push_str(&then_did_you_mean(&shown));
            s.push_str(&format!("工种：{}", listed.join("、")));
            s
        }
        Unresolved::InList { part, inner } => format!("'{part}'：{}", unresolved(inner)),
        Unresolved::NotLevel { listed } => format!("不是技能等级：应为 {}（或 5 到 1）", listed.join("、")),
        Unresolved::NotPostKind => "不是岗位类别：应为 技能岗 或 技术管理岗".to_string(),
        Unresolved::NotClassKind => "不是培训类型：应为 政府补贴类培训、技能等级认定 或 项目化培训".to_string(),
        Unresolved::NotClassStatus { listed } => format!(
            "不是班级状态：应为 {}",
            listed.iter().map(|s| s.zh()).collect::<Vec<_>>().join("、")
        ),
        Unresolved::NotDemandStatus => "不是需求状态：应为 招聘中 或 已关闭".to_string(),
        Unresolved::NotDate => format!("不是日期：{DATE_HELP}"),
        Unresolved::YearOutOfRange { year } => format!("年份 {year} 超出范围：{DATE_HELP}"),
        Unresolved::NotRealDate { year, month, day } => {
            format!("{year:04}-{month:02}-{day:02} 不是真实的日期")
        }
        Unresolved::OutOfRange { min, max } => format!("应为 {min} 到 {max}"),
        Unresolved::NotNumber { min, max } => format!("不是整数：应为 {min} 到 {max} 的数字"),
        Unresolved::NotStars => "不是信用星级：应为 1 到 5（4、4星、四星 或 ★★★★）".to_string(),
    }
}

const DATE_HELP: &str = "应为日期，如 2025-08-01、2025/8/1、2025.8.1、20250801 或 2025年8月1日";

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::WorkbookNamed { ext } => format!("文件名为 .{ext}，但按 Excel 工作簿读取"),
        Note::HeaderSpans { top, bottom } => format!("表头占第 {top} 到 {bottom} 行（合并单元格）"),
        Note::TitleRow { row } => format!("已跳过表头上方的第 {row} 行（标题）"),
        Note::TitleRows { first, last } => format!("已跳过表头上方的第 {first} 到 {last} 行（标题）"),
        Note::NoHeader { column } => format!("{column} 列有内容但没有表头：不导入"),
        Note::Encoding { encoding } => format!("按 {encoding} 编码读取"),
        Note::Sheet { sheet, listed } => format!("读取工作表“{sheet}”（共有：{listed}）"),
        Note::FirstSheet { sheet, listed } => {
            format!("读取第一个工作表“{sheet}”（共有：{listed}；可用 --sheet 指定其他工作表）")
        }
        Note::Merged { count } => format!("{count} 处合并单元格已按其值填充"),
        Note::Json => "按 JSON 读取：第 N 行是数组的第 N-1 个元素".to_string(),
    }
}

pub(super) fn unknown_column(w: &UnknownColumn) -> String {
    let mut s = format!(
        "{}:{}：未知的列“{}”（{} 列），不导入",
        w.path.display(),
        w.line,
        w.header,
        w.letter
    );
    if !w.near.is_empty() {
        s.push_str(&format!("；{}", did_you_mean(&w.near)));
    }
    s
}

pub(super) fn problem(p: &Problem) -> String {
    format!("列“{}” = '{}'：{}", p.column, p.value, why(&p.reason))
}

pub(super) fn diff(d: &Diff, path: &Path) -> String {
    let fields: Vec<String> = d
        .fields
        .iter()
        .map(|f| {
            let mut s = format!("{} '{}' → '{}'", f.column, f.old, f.new);
            if f.new.is_empty() {
                s.push_str("（清空）");
            }
            s
        })
        .collect();
    format!(
        "{}:{}：{} {} '{}' 将被修改：{}{}",
        path.display(),
        d.line,
        Kind::zh(d.kind),
        d.id,
        d.name,
        fields.join("；"),
        if d.identity {
            " —— 这会改变此人的姓名：请核对身份证号确是本人"
        } else {
            ""
        }
    )
}

pub(super) fn report(r: &Report) -> String {
    let mut s = format!(
        "{}：{}共 {} 行：新增 {}，更新 {}，不变 {}，有误 {}",
        r.path.display(),
        Kind::zh(r.kind),
        r.rows,
        r.added,
        r.updated,
        r.unchanged,
        r.rejected
    );
    if r.held > 0 {
        s.push_str(&format!(
            "；文件对 {} 条已有记录的修改{}保留原样（见上）：加 --update 才会写入这些修改",
            r.held,
            if r.written { "已" } else { "将" }
        ));
    }
    if !r.written {
        s.push_str("（预检：未写入任何记录）");
    }
    if let Some(p) = &r.rejects_file {
        s.push_str(&format!("；有误的行在 {}", p.display()));
    }
    s
}

pub(super) fn aftercare(e: &crate::domain::aftercare::AftercareError) -> String {
    use crate::domain::aftercare::{AftercareError as A, MAX_NOTE_CHARS, MAX_WAGE};
    match e {
        A::NotEmployed(state) => format!("回访只针对已就业的服务记录；此记录为“{}”", state.kind().zh()),
        A::NotScheduled { months, schedule } => {
            format!("录用后第 {months} 个月没有安排回访（回访安排为第 {schedule} 个月）")
        }
        A::NotDue { months, due } => format!("第 {months} 个月的回访要到 {due} 才到期"),
        A::Closed { months } => format!("第 {months} 个月的回访已结束"),
        A::Wage(w) => format!("月工资 {w} 元超出范围（1 到 {MAX_WAGE}）"),
        A::EmptyNote => "备注不能为空".to_string(),
        A::NoteTooLong(n) => format!("备注最多 {MAX_NOTE_CHARS} 个字；此条有 {n} 个字"),
        A::ReasonMissing => "更正须填写原因".to_string(),
        A::OtherNeedsText => "选“其他”时须在备注中写明原因".to_string(),
        A::NothingToCorrect => "没有可更正的步骤：报名以来的步骤都已撤销".to_string(),
        A::NotLatest { latest, asked } => format!("只能更正最近一步：第 {latest} 步，而不是第 {asked} 步"),
        A::NotYours { who, seq, by, on } => {
            format!("{who} 只能更正自己当天办理的步骤；第 {seq} 步由 {by} 于 {on} 办理：请主管更正")
        }
    }
}

pub(super) fn export(e: &crate::io::export::ExportError) -> String {
    use crate::io::export::ExportError as E;
    match e {
        E::Store(s) => store(s),
        E::Io { path, source } => format!("无法写入 {}：{}", path.display(), io_error(source)),
        E::Directory { path } => format!(
            "{} 是一个文件夹：请用 --out 给出文件名，或用 `export all --out 文件夹` 把每类记录导出到其中",
            path.display()
        ),
        E::NotGbk { kind, id, column, ch } => format!(
            "{} {id} 的“{column}”列含有 GBK 无法表示的字符“{ch}”，未导出任何内容：请用 UTF-8（默认，Excel 也能打开）或 .xlsx 导出",
            kind.zh()
        ),
        E::EncodingOfBinary { format } => format!("--encoding 只用于 CSV；{format} 文件有自己的编码"),
        E::Xlsx(detail) => format!("无法生成工作簿：{detail}"),
    }
}

/// A city pack's table, in Chinese.
fn pack_table(t: &str) -> &'static str {
    match t {
        "region" => "区域",
        "occupation" => "职业",
        "program" => "专项",
        "alliance" => "培训联盟",
        "key_group" => "重点群体",
        "city" => "城市",
        _ => "条目",
    }
}

fn pack_field(f: &str) -> &'static str {
    match f {
        "zh" => "中文名",
        "en" => "英文名",
        "short_zh" => "简称",
        "alias" => "别名",
        "lon" => "经度（lon）",
        "lat" => "纬度（lat）",
        _ => "字段",
    }
}

pub(super) fn pack_issue(i: &crate::pack::Issue) -> String {
    use crate::pack::Issue as I;
    match i {
        I::Unreadable { error } => format!("无法读取文件：{error}"),
        I::NotToml { message } => {
            format!(
                "不是有效的 TOML：语法有误，请检查引号、括号是否成对，每项是否写成 名字 = 值（解析器原文“{message}”）"
            )
        }
        I::Shape { message } => format!("格式不符：{}", pack_shape(message)),
        I::IdOrder { table, expected, found } => format!(
            "{}编号 {found}：应为 {expected}（编号按文件顺序从 0、1、2… 排下去，永不重用）",
            pack_table(table)
        ),
        I::DuplicateCode { table, code, first } => {
            let t = pack_table(table);
            format!("{t}代码“{code}”已属于{t} {first}：代码不能重复")
        }
        I::DuplicateName { table, name, first } => {
            let t = pack_table(table);
            format!("{t}名称“{name}”已属于{t} {first}：名称不能重复")
        }
        I::UnknownRelated { id } => format!("相关职业 {id} 不存在：应为本包中职业的编号"),
        I::RelatedToItself { id } => format!("职业 {id} 被列为与自己相关"),
        I::UnknownRegion { id } => format!("区域 {id} 不存在：应为本包中区域的编号"),
        I::BadNationalCode { code } => {
            format!("国家职业分类代码“{code}”不符合格式：应形如 6-18-02-04（一位数字后接三组两位数字），或不填")
        }
        I::BadGroup { group } => format!("职业分类小类“{group}”不符合格式：应形如 6-18 或 6-18-01，或不填"),
        I::CodeWithoutEdition { code } => {
            format!("国家职业分类代码“{code}”没有注明版本：请加 edition = \"2015\"（或 1999、2022）")
        }
        I::EditionWithoutCode => "注明了版本却没有国家职业分类代码：请加 code = \"…\" 或删去版本".to_string(),
        I::BadEdition { text } => format!("版本“{text}”不是 1999、2015、2022 之一"),
        I::BadRegionCode { code, kind } => match *kind {
            "local" => format!("本地区域代码“{code}”：应为 1 到 12 个字母或数字"),
            _ => format!(
                "区域代码“{code}”：应为 6 位数字（GB/T 2260），如 321102；没有国家代码的园区请写 code_kind = \"local\""
            ),
        },
        I::BadCodeKind { text } => format!("code_kind“{text}”不是 official、statistical、local 之一"),
        I::BadPostKind { text } => {
            format!("kind“{text}”不是 skilled（技能岗）、technical-management（技术管理岗）之一")
        }
        I::MissingPosition { region, field } => format!(
            "区域“{region}”缺少{}：每个区域都要有 lon 和 lat（在看板地图上的位置），如 lon = 119.47、lat = 32.2",
            pack_field(field)
        ),
        I::PositionOutOfRange { field, value } => format!(
            "{} = {value} 不在中国境内：经度应在 73 到 136 之间，纬度应在 3 到 54 之间",
            pack_field(field)
        ),
        I::Empty { table, field } => format!("{}的{}为空", pack_table(table), pack_field(field)),
        I::AliasTaken { alias, by } => format!("别名“{alias}”已是职业 {by} 的名称或别名：搜索它会同时找到两个职业"),
        I::NoEntries { table } => format!("没有任何{}：城市包至少要有一个", pack_table(table)),
    }
}

pub(super) fn pack_problem(p: &crate::pack::PackProblem) -> String {
    format!("{}:{}:{}: {}", p.file, p.line, p.col, pack_issue(&p.issue))
}

pub(super) fn pack(e: &crate::pack::PackError) -> String {
    e.problems.iter().map(pack_problem).collect::<Vec<_>>().join("\n")
}

/// The TOML reader's words about a file's shape, in Chinese (field names
/// stay as written: they are the file's own words).
fn pack_shape(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected one of ").unwrap_or((rest, ""));
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return if expected.is_empty() {
            format!("未知字段 {field}")
        } else {
            format!("未知字段 {field}，可用的字段：{}", expected.replace(", ", "、"))
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("缺少字段 {field}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!("类型不对：这里是 {found}，应为 {expected}");
    }
    if let Some(rest) = message.strip_prefix("duplicate key") {
        return format!("重复的键{rest}");
    }
    message.to_string()
}

pub(super) fn catalog_error(e: &crate::pack::edit::CatalogError) -> String {
    use crate::pack::edit::CatalogError as E;
    let what = |w: &str| pack_table(w);
    match e {
        E::Store(s) => store(s),
        E::Denied(d) => denied(d),
        E::Invalid(issues) => issues.iter().map(pack_issue).collect::<Vec<_>>().join("；"),
        E::InUse { what: w, name, open } => format!(
            "{}“{name}”还有 {open} 个招聘中的需求或未结束的培训班在用：待其结束后再停用（停用后已有记录仍显示它）",
            what(w)
        ),
        E::Unknown { what: w, id } => format!("没有编号为 {id} 的{}", what(w)),
        E::AlreadyRetired { what: w, name } => format!("{}“{name}”已经停用", what(w)),
        E::File(f) => pack(f),
    }
}
