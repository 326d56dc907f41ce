//! 中文 for the failures of files the command line reads and writes:
//! backups, salvage, files it refuses to write through, keymap files,
//! access settings and the labor-force setting. Each names the thing, the
//! place and what to do; a parser's or the system's own English words
//! follow only as a quoted detail in brackets.

use super::Say;
use crate::domain::access::BadSetting;
use crate::figures::SettingError;
use crate::i18n::Lang;
use crate::io::backup::BackupError;
use crate::io::salvage::SalvageError;
use crate::keymap::{Flaw, KeyError, KeymapError, Problem};
use crate::paths::FileError;
use crate::store::sledlog::ScanError;

macro_rules! said_here {
    ($($t:ty => $f:ident),* $(,)?) => {$(
        impl Say for $t {
            fn say(&self, lang: Lang) -> String {
                match lang {
                    Lang::En => self.to_string(),
                    Lang::Zh => $f(self),
                }
            }
        }
    )*};
}

said_here! {
    BackupError => backup,
    FileError => file,
    SalvageError => salvage,
    ScanError => scan,
    KeymapError => keymap,
    BadSetting => bad_setting,
    SettingError => setting,
}

/// A detail in a program's or the system's own words, quoted.
fn quoted(detail: &str) -> String {
    format!("（原始信息：「{}」）", detail.trim())
}

/// The system's word for what went wrong with a file, by its kind.
pub(super) fn io_kind(k: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match k {
        K::NotFound => "没有这个文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一段不是目录",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::InvalidData => "内容无效（不是 UTF-8 文本？）",
        K::UnexpectedEof => "文件意外结束",
        _ => "读写出错",
    }
}

fn backup(e: &BackupError) -> String {
    match e {
        BackupError::Io { path, source } => format!(
            "无法读写备份文件 {}：{}。请检查路径和权限",
            path.display(),
            super::zh::io_error(source)
        ),
        BackupError::Exists { path } => format!(
            "{} 已存在：请换一个文件名，或把它移走（备份从不覆盖已有文件）",
            path.display()
        ),
        BackupError::Store(s) => s.say(Lang::Zh),
        BackupError::NotBackup { path, found } => format!(
            "{} 不是 skillbridge 的备份文件：第一行是“{found}”，应以“{}”和版本号开头",
            path.display(),
            crate::io::backup::MAGIC
        ),
        BackupError::NewerFormat { path, found, supported } => format!(
            "{} 的备份格式版本为 {found}，比本程序能读取的（最高 {supported}）更新：请用更新版本的 skillbridge 恢复",
            path.display()
        ),
        BackupError::NewerSchema { path, found, supported } => format!(
            "{} 的数据结构版本为 {found}，比本程序能读取的（最高 {supported}）更新：请用更新版本的 skillbridge 恢复",
            path.display()
        ),
        BackupError::Damaged { path, line, detail } => format!(
            "备份文件 {} 第 {line} 行已损坏，无法读取{}；未恢复任何内容。请改用另一份备份",
            path.display(),
            quoted(detail)
        ),
        BackupError::Truncated { path } => format!(
            "备份文件 {} 在结尾的“end”行之前就结束了：文件不完整（复制被中断？）；未恢复任何内容",
            path.display()
        ),
        BackupError::Checksum { path, expected, found } => format!(
            "备份文件 {} 校验失败（文件记载 {expected}，按内容算得 {found}）：文件已损坏；未恢复任何内容",
            path.display()
        ),
        BackupError::Counts {
            path,
            kind,
            expected,
            found,
        } => format!(
            "备份文件 {} 的文件头记载{} {expected} 条，文件里却有 {found} 条；未恢复任何内容",
            path.display(),
            super::cli::backup_kind(kind)
        ),
        BackupError::NotEmpty { path, detail } => format!(
            "{} 已有数据库{}：恢复从不覆盖已有数据库。请用 --db 指定一个新路径，或把该目录移走",
            path.display(),
            records_zh(detail)
        ),
        BackupError::NotADirectory { path, detail } => format!(
            "{}{}：恢复要在这里新建数据库目录，该路径必须不存在或是空目录；未恢复任何内容。请用 --db 指定另一个路径",
            path.display(),
            place_zh(detail)
        ),
        BackupError::Check { path, problems } => format!(
            "恢复出的数据库未通过检查（{} 个问题，第一个：{}）；未在 {} 放入任何内容",
            problems.len(),
            problems.first().map(|p| quoted(p)).unwrap_or_default(),
            path.display()
        ),
    }
}

/// ` (12 records)` → `（12 条记录）`.
fn records_zh(detail: &str) -> String {
    let d = detail.trim();
    match d
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(" records)"))
        .and_then(|n| n.parse::<u64>().ok())
    {
        Some(n) => format!("（{n} 条记录）"),
        None if d.is_empty() => String::new(),
        None => quoted(d),
    }
}

fn place_zh(detail: &str) -> String {
    match detail.trim() {
        "is a file" => " 是一个文件".to_string(),
        "is a directory that holds other files" => " 是一个存有其他文件的目录".to_string(),
        "" => String::new(),
        other => quoted(other),
    }
}

fn file(e: &FileError) -> String {
    match e {
        FileError::Exists { path } => format!("{} 已存在：请换一个文件名，或加 --force 替换它", path.display()),
        FileError::Link { path } => format!(
            "{} 是符号链接：skillbridge 不通过链接写文件，请直接写出目标文件的路径",
            path.display()
        ),
        FileError::NotRegular { path } => {
            format!("{} 不是普通文件（是设备、管道或目录）：请指定一个文件", path.display())
        }
        FileError::Io { path, source } => format!(
            "无法写入 {}：{}。请检查路径和权限",
            path.display(),
            super::zh::io_error(source)
        ),
        FileError::WritableByOthers { path, who, mode } => format!(
            "{p} 可被{}写入（权限 {mode:04o}）：能写它的人就能让自己登录。请用 `chmod go-w {p}` 修正",
            if *who == "others" {
                "其他用户"
            } else {
                "同组用户"
            },
            p = path.display()
        ),
        FileError::ReadableByOthers { path, mode } => format!(
            "{p} 可被其他用户读取（权限 {mode:04o}）：它是服务器的私钥。请用 `chmod 600 {p}` 修正",
            p = path.display()
        ),
        FileError::Owner { path, owner, me } => format!(
            "{} 属于用户编号 {owner}，既不是本账户（{me}）也不是 root：请用 `chown` 把它交给运行 skillbridge 的账户",
            path.display()
        ),
    }
}

fn salvage(e: &SalvageError) -> String {
    match e {
        SalvageError::NoDatabase { path } => format!(
            "{} 没有数据库：没有可抢救的内容（用 --db 指定数据库目录）",
            path.display()
        ),
        SalvageError::Scan(s) => scan(s),
        SalvageError::Store(s) => s.say(Lang::Zh),
        SalvageError::Backup(b) => backup(b),
    }
}

fn scan(e: &ScanError) -> String {
    match e {
        ScanError::Io { path, source } => format!(
            "无法读取数据库文件 {}：{}。请检查权限",
            path.display(),
            super::zh::io_error(source)
        ),
        ScanError::Unreadable { path, detail } => format!(
            "数据库文件 {} 无法读取，没有记录能被抢救{}。请恢复最近的备份",
            path.display(),
            quoted(detail)
        ),
    }
}

fn keymap(e: &KeymapError) -> String {
    e.problems.iter().map(problem).collect::<Vec<_>>().join("\n")
}

/// `FILE:LINE:COL: [context] …` with the problem in Chinese.
pub fn problem(p: &Problem) -> String {
    let place = if p.line == 0 {
        format!("{}：", p.file)
    } else {
        format!("{}:{}:{}：", p.file, p.line, p.col)
    };
    let ctx = p.context.as_deref().map(|c| format!("[{c}] ")).unwrap_or_default();
    format!("{place}{ctx}{}", flaw(&p.flaw))
}

/// "；是不是“x”？" for the nearest candidate, or nothing.
fn near<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match crate::suggest::nearest(input, candidates, 1).as_slice() {
        [one] => format!("；是不是“{one}”？"),
        _ => String::new(),
    }
}

/// Names the operator types into the file, each quoted: “a”、“b”.
fn listed<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("“{n}”")).collect::<Vec<_>>().join("、")
}

fn flaw(f: &Flaw) -> String {
    use crate::keymap::{Action, Context};
    match f {
        Flaw::Unreadable { kind } => format!(
            "无法读取按键配置文件：{}。请检查路径，或不加该参数使用默认按键",
            io_kind(*kind)
        ),
        Flaw::NotToml { detail } => format!(
            "不是有效的 TOML 格式{}；每节写成 [上下文名]，下面每行写 \"按键\" = \"动作\"",
            quoted(detail)
        ),
        Flaw::UnknownContext { name } => format!(
            "没有名为“{name}”的上下文{}；可用的上下文：{}",
            near(name, Context::ALL.iter().map(|c| c.name())),
            listed(Context::ALL.iter().map(|c| c.name()))
        ),
        Flaw::NotTable { context } => {
            format!("“{context}”应是一节“\"按键\" = \"动作\"”的设置，例如 [{context}] 下面写 \"ctrl-s\" = \"save\"")
        }
        Flaw::BadKey { key, error } => format!("按键“{key}”有误：{}", key_error(error)),
        Flaw::UnknownAction { action, key } => format!(
            "按键“{key}”的动作“{action}”不存在{}；可用的动作：{}，或用“{}”取消绑定",
            near(action, Action::ALL.iter().map(|a| a.name())),
            listed(Action::ALL.iter().map(|a| a.name())),
            crate::keymap::UNBIND
        ),
        Flaw::ActionNotString { key } => {
            format!("按键“{key}”的动作必须是加引号的动作名，例如 \"save\"")
        }
        Flaw::Twice { key, first, line, col } => {
            format!("按键“{key}”绑定了两次：第 {line} 行第 {col} 列的“{first}”是同一个键")
        }
    }
}

pub(super) fn key_error(e: &KeyError) -> String {
    match e {
        KeyError::Empty => "按键为空：应为例如 'ctrl-s'、'enter'、'f1' 或单个字符".to_string(),
        KeyError::UnknownModifier(m) => format!(
            "不认识的修饰键“{m}”{}：应为 ctrl-、alt- 或 shift-",
            near(m, ["ctrl", "alt", "shift"])
        ),
        KeyError::UnknownName(n) => format!(
            "不认识的键名“{n}”{}：应为单个字符、f1-f12 或以下之一：{}",
            near(n, crate::keymap::KEY_NAMES.iter().copied()),
            listed(crate::keymap::KEY_NAMES.iter().copied())
        ),
    }
}

fn bad_setting(e: &BadSetting) -> String {
    match e {
        BadSetting::Role { value } => format!(
            "不认识的角色“{value}”：应为 role=kiosk（自助终端）、role=operator（经办员）、role=supervisor（主管）、role=admin（管理员）之一"
        ),
        BadSetting::District { value, known } => {
            format!("districts= 中不认识的区域编码“{value}”：应为以逗号分隔的编码，可用：{known}")
        }
        BadSetting::NoDistricts => "districts= 为空：至少写一个区域编码，例如 districts=321181,321183".to_string(),
        BadSetting::Twice { word } => format!("“{word}”写了两次：每项设置只能出现一次"),
        BadSetting::Unknown { word } => {
            format!("“{word}”不是设置项：应先写名字，然后只能有 role=角色 和 districts=编码（小写，用空格分隔）")
        }
        BadSetting::DistrictsNeedOperator { role } => {
            format!("districts= 只适用于 role=operator（{} 负责全部区域）", role.name())
        }
        BadSetting::NoName => "没有名字：第一个词必须是人名（例如 wang.fang）".to_string(),
        BadSetting::BadName { name } => format!("名字“{name}”含有不允许的字符：只能用字母、数字、'.'、'_'、'-' 或 '@'"),
    }
}

fn setting(e: &SettingError) -> String {
    format!(
        "劳动力人数“{}”（{}）不被接受：应为 {} 到 {} 之间的整数，例如 {}（本市基数中的劳动力人数）",
        e.value,
        place_of_setting(&e.place),
        e.min,
        crate::figures::MAX_LABOR_FORCE,
        e.example
    )
}

/// Where a labor-force value came from, in Chinese (the callers name it
/// in English: `--labor-force`, `the labor-force argument`, the setting
/// of a database).
fn place_of_setting(place: &str) -> String {
    if place == "--labor-force" {
        "--labor-force".to_string()
    } else if place == "the labor-force argument" {
        "`skillbridge labor-force` 的参数".to_string()
    } else if let Some(rest) = place.strip_prefix("setting '")
        && let Some((key, rest)) = rest.split_once("' of the database at ")
        && let Some((db, _)) = rest.split_once("; ")
    {
        format!("数据库 {db} 的设置项“{key}”；用 `skillbridge labor-force 人数` 修改")
    } else {
        quoted(place)
    }
}
