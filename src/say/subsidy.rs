//! The Chinese of the subsidy refusals (#21); the English is each error's
//! own message.

use crate::domain::subsidy::{MAX_AMOUNT, MAX_REASON_CHARS, StandardsError, SubsidyError, legal_steps};

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
