//! The closed set of actions a key can be bound to. Names are kebab-case in
//! keymap.toml; each has a description the help screen shows.

macro_rules! actions {
    ($($variant:ident => $name:literal, $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            pub fn describe_zh(self) -> &'static str {
                match self {
                    $(Action::$variant => $zh,)*
                }
            }

            pub fn describe_en(self) -> &'static str {
                match self {
                    $(Action::$variant => $en,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $($name => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "退出", "quit";
    QuitNow => "quit-now", "立即退出程序（不询问）", "quit at once (never asks)";
    Help => "help", "帮助：全部按键", "help: every key";
    ToggleLanguage => "toggle-language", "切换中文/English", "switch language (中文/English)";
    NextTab => "next-tab", "下一个标签页", "next tab";
    PrevTab => "prev-tab", "上一个标签页", "previous tab";
    TabDemands => "tab-demands", "岗位需求", "job demands tab";
    TabClasses => "tab-classes", "培训班", "training classes tab";
    TabTrainees => "tab-trainees", "学员", "trainees tab";
    TabCases => "tab-cases", "服务记录", "cases tab";
    TabInstitutions => "tab-institutions", "培训机构", "institutions tab";
    TabEnterprises => "tab-enterprises", "企业", "enterprises tab";
    Goto => "goto", "转到记录（输入编号）", "go to a record (by its code)";
    Up => "up", "上移", "move up";
    Down => "down", "下移", "move down";
    PageUp => "page-up", "上一页", "page up";
    PageDown => "page-down", "下一页", "page down";
    First => "first", "第一条", "first row";
    Last => "last", "最后一条", "last row";
    Open => "open", "打开/选择", "open / choose";
    Back => "back", "返回", "back";
    Pair => "pair", "匹配：岗位↔培训班", "pair: demand ↔ classes";
    Enroll => "enroll", "报名入班", "enroll a trainee";
    Filter => "filter", "筛选", "filter";
    ClearFilters => "clear-filters", "清除筛选", "clear filters";
    CycleSort => "cycle-sort", "切换排序", "change sort order";
    ClearQuery => "clear-query", "清空搜索", "clear the search";
    DeleteBack => "delete-back", "删除前一字符", "delete the character before";
    DeleteForward => "delete-forward", "删除后一字符", "delete the character after";
    DeleteWord => "delete-word", "删除前一词", "delete the word before";
    CursorLeft => "cursor-left", "光标左移", "cursor left";
    CursorRight => "cursor-right", "光标右移", "cursor right";
    CursorHome => "cursor-home", "光标到行首", "cursor to start";
    CursorEnd => "cursor-end", "光标到行尾", "cursor to end";
    WordLeft => "word-left", "光标左移一词", "cursor one word left";
    WordRight => "word-right", "光标右移一词", "cursor one word right";
    StartTraining => "start-training", "开始培训", "start training";
    SendToEvaluation => "send-to-evaluation", "送技能评价", "send to evaluation";
    RecordPass => "record-pass", "评价通过（等级、证书号）", "record a pass (level, certificate)";
    RecordFail => "record-fail", "评价未通过", "record a fail";
    Retake => "retake", "补考", "retake the evaluation";
    Refer => "refer", "推荐岗位", "refer to a demand";
    Hire => "hire", "已录用", "hired";
    NotHire => "not-hire", "未录用", "not hired";
    Withdraw => "withdraw", "退训（需填原因）", "withdraw (reason required)";
    AddNote => "add-note", "添加备注", "add a note";
    CorrectStep => "correct-step", "更正最近一步（需填原因）", "correct the last step (reason required)";
    FollowUp => "follow-up", "就业回访（在岗、换工作、已离职、联系不上）", "record a follow-up (retained, changed job, left, not reached)";
    FollowUpsDue => "follow-ups-due", "待回访：到期的回访，最早的在前", "follow-ups due, oldest first";
    ReferenceView => "reference-data", "参考数据：职业与区域（添加、别名、停用）", "reference data: occupations and regions (add, alias, retire)";
    ClassStartTraining => "class-start-training", "全班开始培训", "start training: the whole class";
    ClassSendToEvaluation => "class-send-to-evaluation", "全班送技能评价", "send the whole class to evaluation";
    ExportList => "export-list", "导出（列表或班级花名册，Excel 和打印版）", "export (the list, or a class's roster; Excel and a page to print)";
    Reveal => "reveal", "显示完整证件号和手机号（30 秒，留痕）", "show the whole ID number and mobile (30 s, recorded)";
    Confirm => "confirm", "确认", "confirm";
    Cancel => "cancel", "取消", "cancel";
    NextField => "next-field", "下一项", "next field";
    PrevField => "prev-field", "上一项", "previous field";
    Save => "save", "保存", "save";
    SaveAndNext => "save-and-next", "保存并录入下一条", "save and start the next";
    New => "new", "新建（本页的记录）", "new record (of this tab)";
    Edit => "edit", "修改选中的记录", "edit the selected record";
    NewInstitution => "new-institution", "新建培训机构", "new institution";
    NewEnterprise => "new-enterprise", "新建企业", "new enterprise";
    EditInstitution => "edit-institution", "修改此班的培训机构", "edit this class's institution";
    EditEnterprise => "edit-enterprise", "修改此岗位的企业", "edit this demand's enterprise";
    OpenExisting => "open-existing", "打开已登记的此人", "open the person already registered";
    ImportFile => "import-file", "导入表格（先预检）", "import a spreadsheet (checked first)";
    Dashboard => "dashboard", "目标与数据看板", "dashboard: targets and figures";
    ViewTargets => "view-targets", "看板：目标进度", "dashboard: targets";
    ViewTrades => "view-trades", "看板：工种供需", "dashboard: supply and demand by trade";
    ViewDistricts => "view-districts", "看板：区域", "dashboard: districts";
    ViewMap => "view-map", "看板：区域地图", "dashboard: district map";
    ViewPrograms => "view-programs", "看板：专项", "dashboard: special programs";
    ViewAlliances => "view-alliances", "看板：联盟", "dashboard: regional alliances";
    ViewInstitutions => "view-institutions", "看板：机构评分", "dashboard: institution scorecard";
    ViewCharts => "view-charts", "看板：图表", "dashboard: charts";
    Left => "left", "左移", "move left";
    Right => "right", "右移", "move right";
    ViewAftercare => "view-aftercare", "看板：回访留存与未录用原因", "dashboard: retention and not-hired reasons";
    WishQueue => "wish-queue", "培训意向回电：未办结的意向，最早的在前", "training wishes to call back, oldest first";
    WishRegister => "wish-register", "登记为学员（预填登记表）", "register as a trainee (intake prefilled)";
    WishEnroll => "wish-enroll", "报名入班（意向的工种）", "enroll in a class (of the trade wished)";
    WishDuplicate => "wish-duplicate", "已是学员（按手机号找到）", "already a trainee (found by mobile)";
    WishNotReached => "wish-not-reached", "联系不上（第三次结束）", "not reached (the third closes it)";
    WishNotInterested => "wish-not-interested", "不再需要", "not interested";
    WishNew => "wish-new", "柜台登记培训意向", "take a training wish at the desk";
    Subsidies => "subsidies", "培训补贴：申报、审核与台账", "training subsidies: claims, review and ledger";
    BuildClaim => "build-claim", "按花名册生成补贴申报（已结业的班）", "build a subsidy claim from a finished class's roster";
    ClaimFile => "claim-file", "申报（补贴申报）", "file (a subsidy claim)";
    ClaimRebuild => "claim-rebuild", "重新核对（按花名册，草稿）", "reassess (the roster, a draft claim)";
    ClaimFirstApprove => "claim-first-approve", "初审通过（补贴申报）", "first review passed (a subsidy claim)";
    ClaimSecondApprove => "claim-second-approve", "复核通过（补贴申报，须另一审核人）", "second review passed (by another reviewer)";
    ClaimPay => "claim-pay", "拨付（登记补贴已拨付）", "pay (record the subsidy paid)";
    ClaimReturn => "claim-return", "退回（需填原因，回到草稿）", "return (reason required, back to draft)";
    SubsidyStandards => "subsidy-standards", "补贴标准表（主管可修改）", "the subsidy standard table (supervisors edit it)";
    StandardAdd => "standard-add", "新增补贴标准（工种或类别 × 等级 → 金额）", "add a standard (occupation or group × level → amount)";
    StandardEdit => "standard-edit", "修改所选标准的金额（或所选上浮）", "change the selected standard's amount (or uplift)";
    StandardRemove => "standard-remove", "删除所选标准（或取消所选上浮）", "remove the selected standard (or uplift)";
    UpliftEdit => "uplift-edit", "设置重点群体上浮比例", "set a key group's uplift";
}
