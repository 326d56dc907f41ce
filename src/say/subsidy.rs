//! The Chinese of the subsidy refusals (#21); the English is each error's
//! own message.

use crate::domain::subsidy::edit::key_groups_zh;
use crate::domain::subsidy::{
    MAX_AMOUNT, MAX_REASON_CHARS, StandardEditError, StandardsError, SubsidyError, legal_steps,
};

fn step_zh(name: &str) -> &'static str {
    match name {
        "rebuild" => "重新核对",
        "file" => "申报",
        "first_approve" => "初审通过",
        "second_approve" => "复核通过",
        "pay" => "拨付",
        "return" => "退回",
        _ => "其他",
    }
}

pub(super) fn subsidy(e: &SubsidyError) -> String {
    match e {
        SubsidyError::Illegal { claim, from, step, .. } => {
            let legal: Vec<&str> = legal_steps(*from).iter().map(|s| step_zh(s)).collect();
            let legal = if legal.is_empty() {
                "无（已是最终状态）".to_string()
            } else {
                legal.join("、")
            };
            format!(
                "补贴申报 {claim} 处于“{}”，不能“{}”；此时可以：{legal}",
                from.zh(),
                step.zh()
            )
        }
        SubsidyError::SameReviewer {
            claim,
            operator,
            earlier,
            step,
        } => format!(
            "补贴申报 {claim} 要求两人审核：{operator} 已办理“{}”，“{}”须由另一位审核人办理",
            earlier.zh(),
            step.zh()
        ),
        SubsidyError::ReasonMissing => format!("退回须填写原因（1 到 {MAX_REASON_CHARS} 个字）"),
        SubsidyError::ReasonTooLong(n) => format!("退回原因最多 {MAX_REASON_CHARS} 个字；此条有 {n} 个字"),
        SubsidyError::ClassNotFinished { class, end } => {
            format!("培训班 {class} 尚未结业：结业（{end}）后才能生成补贴申报")
        }
        SubsidyError::ClassHasClaim { class, claim } => format!("培训班 {class} 已有补贴申报 {claim}"),
        SubsidyError::NothingEligible { claim } => format!("补贴申报 {claim} 没有符合条件的人员，不能申报"),
        SubsidyError::Standards(s) => standards(s),
        SubsidyError::Edit(e) => standard_edit(e),
    }
}

/// A change of the standard table refused (the form's field first).
pub fn standard_edit(e: &StandardEditError) -> String {
    match e {
        StandardEditError::UnknownTarget(t) => {
            format!("工种或类别：“{t}”既不是工种也不是工种类别：请写工种名称（如 焊工）或类别代码（如 6-18-01）")
        }
        StandardEditError::Level(t) => {
            format!("等级：“{t}”不是技能等级：请写 1 到 5（5 = 五级/初级工 … 1 = 一级/高级技师），或按回车选择")
        }
        StandardEditError::Amount(t) => format!("金额：“{t}”不可用：请写 1 到 {MAX_AMOUNT} 之间的整数（元）"),
        StandardEditError::KeyGroup(t) => format!("重点群体：“{t}”不是重点群体：请写 {}", key_groups_zh()),
        StandardEditError::Percent(t) => format!("上浮比例：“{t}”不可用：请写 0 到 100 的整数（0 表示取消上浮）"),
        StandardEditError::Duplicate { target, level, amount } => format!(
            "工种或类别：{} {} 已在标准表中（{amount} 元）：请改它的金额",
            target.zh(),
            level.zh()
        ),
        StandardEditError::NoRow { target, level } => {
            format!(
                "工种或类别：{} {} 不在标准表中（可能已被删除）",
                target.zh(),
                level.zh()
            )
        }
        StandardEditError::NoUplift(g) => format!("重点群体：{g} 没有上浮，无可取消"),
    }
}

pub(super) fn standards(e: &StandardsError) -> String {
    match e {
        StandardsError::Toml { file, detail } => format!("{file}：不是有效的补贴标准表：{detail}"),
        StandardsError::UnknownOccupation { file, row, name } => {
            format!("{file}：第 {row} 条：没有工种“{name}”（请用工种表中的名称，如 焊工）")
        }
        StandardsError::Target { file, row, what } => {
            let w = if *what == "both" {
                "两者都填了"
            } else {
                "两者都没填"
            };
            format!("{file}：第 {row} 条：须填工种（occupation）或工种类别（group）之一，{w}")
        }
        StandardsError::Level { file, row, level } => {
            format!("{file}：第 {row} 条：等级 {level} 不是技能等级（1 到 5）")
        }
        StandardsError::Amount { file, row, amount } => {
            format!("{file}：第 {row} 条：金额 {amount} 超出范围（1 到 {MAX_AMOUNT} 元）")
        }
        StandardsError::Duplicate {
            file,
            row,
            first,
            level,
            ..
        } => format!("{file}：第 {row} 条与第 {first} 条重复（同一工种、{level} 级）"),
        StandardsError::Uplift {
            file,
            key_group,
            percent,
        } => format!("{file}：重点群体“{key_group}”的上浮 {percent}% 超出范围（1 到 100）"),
        StandardsError::Setting { file, field, value, .. } => {
            let (what, ok) = match *field {
                "window_days" => ("申报期限天数", "1 到 730 天"),
                _ => ("每人每年补贴次数上限", "1 到 12"),
            };
            format!("{file}：{what} {value} 超出范围（{ok}）")
        }
    }
}
