//! The words of the subsidy screens (#21), once per language.

use super::Lang;

/// What the subsidy screens say.
#[derive(Debug)]
pub struct SubsidyStrings {
    pub title: &'static str,
    pub views: [&'static str; 3],
    /// `{}`: the table's source. Shown wherever amounts are.
    pub sample: &'static str,
    pub city_standard: &'static str,
    pub claim_cols: [&'static str; 9],
    pub line_cols: [&'static str; 6],
    pub ledger_cols: [&'static str; 8],
    pub total: &'static str,
    pub none: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    /// `{}` claim, `{}` state.
    pub detail_title: &'static str,
    /// class, institution, program, quarter, class end.
    pub detail_head: &'static str,
    /// eligible, on the roster, amount.
    pub detail_sum: &'static str,
    /// filed date.
    pub filed_on: &'static str,
    /// how many returns, the last return's reason.
    pub returned: &'static str,
    /// how many returns (filed again since).
    pub returned_before: &'static str,
    pub steps: &'static str,
    /// What a step may be taken now, the keys.
    pub next_steps: &'static str,
    pub final_state: &'static str,
    pub reason_prompt: &'static str,
    /// `{}` claim, `{}` step, `{}` eligible, `{}` amount.
    pub ask_step: &'static str,
    /// `{}` claim, `{}` reason.
    pub ask_return: &'static str,
    /// `{}` class.
    pub ask_build: &'static str,
    /// `{}` claim, `{}` state, `{}` eligible, `{}` amount.
    pub done_step: &'static str,
    pub not_a_class: &'static str,
    /// approved, goal, pending, with pending.
    pub dash_line: &'static str,
    pub dash_rule: &'static str,
    /// `{}` lines, `{}` file.
    pub exported: &'static str,
    pub roster_name: &'static str,
    /// The standard table (#21): its columns, the uplifts' columns.
    pub std_cols: [&'static str; 4],
    pub uplift_cols: [&'static str; 2],
    /// window days, max per year, second reviewer (yes/no).
    pub std_settings: &'static str,
    /// A table changed with the form: operator, date.
    pub std_edited: &'static str,
    /// … with rows still at the sample's amounts: operator, date, rows.
    pub std_edited_sample: &'static str,
    /// The mark of a row still at the sample's amount.
    pub std_mark_sample: &'static str,
    /// What an edit changes and what it does not.
    pub std_note: &'static str,
    pub std_edits: &'static str,
    pub std_none: &'static str,
    /// Form titles: add, amount (`{}` the row), uplift.
    pub form_std_add: &'static str,
    pub form_std_amount: &'static str,
    pub form_uplift: &'static str,
    pub f_target: &'static str,
    pub f_amount: &'static str,
    pub f_key_group: &'static str,
    pub f_percent: &'static str,
    /// `{}` the edit.
    pub ask_std: &'static str,
    /// `{}` the edit.
    pub done_std: &'static str,
    pub std_pick_row: &'static str,
    /// A draft claim's amounts follow the table when rebuilt or filed.
    pub draft_note: &'static str,
    pub yes_no: [&'static str; 2],
}

pub const ZH_SUB: SubsidyStrings = SubsidyStrings {
    title: "培训补贴",
    views: ["补贴申报", "补贴台账", "补贴标准"],
    sample: "示例标准（随程序提供的示例数据），非本市实际补贴标准",
    city_standard: "补贴标准：{}",
    claim_cols: [
        "编号",
        "状态",
        "培训班",
        "培训机构",
        "工种",
        "季度",
        "符合",
        "金额（元）",
        "申报日",
    ],
    line_cols: ["服务记录", "姓名", "等级", "重点群体", "金额（元）", "审核意见"],
    ledger_cols: [
        "培训机构",
        "专项",
        "季度",
        "申报数",
        "已申报 人/元",
        "已审核 人/元",
        "已拨付 人/元",
        "退回 次/元",
    ],
    total: "合计",
    none: "暂无补贴申报：在已结业培训班的详情中按 B 生成",
    yes: "符合",
    no: "不符合",
    detail_title: "补贴申报 {} · {}",
    detail_head: "{} · {} · {} · {} · 结业 {}",
    detail_sum: "符合 {} 人 / 花名册 {} 人 · 补贴合计 {} 元",
    filed_on: "申报日 {}",
    returned: "已退回 {} 次，最近原因：{}",
    returned_before: "曾退回 {} 次（原因见办理记录）",
    steps: "办理记录",
    next_steps: "可办理：{}",
    final_state: "已拨付，办结",
    reason_prompt: "退回原因（回车确认，Esc 取消）：",
    ask_step: "对补贴申报 {} 办理“{}”？符合 {} 人，合计 {} 元",
    ask_return: "退回补贴申报 {}（原因：{}）？申报回到草稿",
    ask_build: "为培训班 {} 按花名册生成补贴申报草稿？",
    done_step: "补贴申报 {} 现为“{}”：符合 {} 人，合计 {} 元",
    not_a_class: "生成补贴申报须在培训班详情中进行",
    dash_line: "补贴性培训（已审核申报）：{} / {} 人次 · 含已取证待审核：{} 人次（合计 {}）",
    dash_rule: "口径：已审核 = 复核通过或已拨付的申报中符合条件的人次；待审核 = 政府补贴类培训班已取证、所在班申报尚未审核通过的人次",
    exported: "已导出申报花名册 {} 行：{}",
    roster_name: "申报花名册",
    std_cols: ["工种或类别", "等级", "金额（元）", "来源"],
    uplift_cols: ["重点群体", "上浮"],
    std_settings: "申报期限：结业后 {} 天 · 每人每年最多补贴 {} 次 · 复核须另一审核人：{}",
    std_edited: "本地标准（{} 于 {} 在工作台修改）",
    std_edited_sample: "本地标准（{} 于 {} 在工作台修改；{} 条仍为示例金额，标“示例”）",
    std_mark_sample: "示例",
    std_note: "修改只影响此后生成、重新核对或申报的申报：草稿在重新核对或申报时按新标准重算；已申报的申报保持原金额。",
    std_edits: "修改记录",
    std_none: "标准表为空",
    form_std_add: "新增补贴标准",
    form_std_amount: "修改补贴标准：{}",
    form_uplift: "重点群体上浮（0 表示取消）",
    f_target: "工种或类别",
    f_amount: "金额（元）",
    f_key_group: "重点群体",
    f_percent: "上浮（%）",
    ask_std: "修改补贴标准（{}）？此后生成、重新核对或申报的申报按新标准计算；已申报的保持原金额",
    done_std: "补贴标准已修改（{}）：不再是示例标准",
    std_pick_row: "请先选中一条补贴标准",
    draft_note: "草稿：重新核对或申报时按当前补贴标准重算金额",
    yes_no: ["是", "否"],
};

pub const EN_SUB: SubsidyStrings = SubsidyStrings {
    title: "Training subsidies",
    views: ["Claims", "Ledger", "Standards"],
    sample: "sample standard ({}), not the city's real subsidy standard",
    city_standard: "subsidy standard: {}",
    claim_cols: [
        "Claim",
        "State",
        "Class",
        "Institution",
        "Trade",
        "Quarter",
        "Eligible",
        "Amount (yuan)",
        "Filed",
    ],
    line_cols: ["Case", "Name", "Level", "Key group", "Amount (yuan)", "Verdict"],
    ledger_cols: [
        "Institution",
        "Program",
        "Quarter",
        "Claims",
        "Claimed n/¥",
        "Approved n/¥",
        "Paid n/¥",
        "Returned n/¥",
    ],
    total: "Total",
    none: "No subsidy claims yet: press B in a finished class's detail to build one",
    yes: "eligible",
    no: "not eligible",
    detail_title: "Subsidy claim {} · {}",
    detail_head: "{} · {} · {} · {} · ended {}",
    detail_sum: "{} eligible of {} on the roster · {} yuan in all",
    filed_on: "filed {}",
    returned: "returned {} time(s), last reason: {}",
    returned_before: "returned {} time(s) before (the reasons are in the steps)",
    steps: "Steps",
    next_steps: "Next: {}",
    final_state: "paid: closed",
    reason_prompt: "Reason for the return (Enter confirms, Esc cancels): ",
    ask_step: "Claim {}: '{}'? {} eligible, {} yuan",
    ask_return: "Return claim {} (reason: {})? It goes back to draft",
    ask_build: "Build a draft subsidy claim for class {} from its roster?",
    done_step: "Claim {} is now '{}': {} eligible, {} yuan",
    not_a_class: "A subsidy claim is built from a class's detail",
    dash_line: "Subsidized trainings (approved claims): {} / {} · with certified, claims pending: {} (in all {})",
    dash_rule: "Rule: approved = eligible people on claims passed by the second review or paid; pending = people certified in government-subsidized classes whose claim is not approved yet",
    exported: "Wrote the claims roster, {} lines: {}",
    roster_name: "claims-roster",
    std_cols: ["Occupation or group", "Level", "Amount (yuan)", "Source"],
    uplift_cols: ["Key group", "Uplift"],
    std_settings: "Filing window: {} days after the class ends · at most {} subsidies per person a year · second reviewer: {}",
    std_edited: "local standard (changed in the workspace by {} on {})",
    std_edited_sample: "local standard (changed in the workspace by {} on {}; {} rows still hold sample amounts, marked 'sample')",
    std_mark_sample: "sample",
    std_note: "Changes apply to claims built, reassessed or filed later (a draft is recomputed then); filed claims keep their amounts.",
    std_edits: "Changes",
    std_none: "The table is empty",
    form_std_add: "Add a subsidy standard",
    form_std_amount: "Change a subsidy standard: {}",
    form_uplift: "Key group uplift (0 removes it)",
    f_target: "Occupation or group",
    f_amount: "Amount (yuan)",
    f_key_group: "Key group",
    f_percent: "Uplift (%)",
    ask_std: "Change the subsidy standards ({})? Claims built, reassessed or filed from now on use it; filed claims keep their amounts",
    done_std: "Subsidy standards changed ({}): no longer the sample",
    std_pick_row: "Select a standard first",
    draft_note: "draft: its amounts are assessed again with the current standards when reassessed or filed",
    yes_no: ["yes", "no"],
};

/// The subsidy words of a language.
pub fn sub(lang: Lang) -> &'static SubsidyStrings {
    match lang {
        Lang::Zh => &ZH_SUB,
        Lang::En => &EN_SUB,
    }
}
