//! The words of a refused wish or callback outcome (#25), in Chinese; the
//! English is the error's own message.

use super::Say;
use crate::domain::wish::{Closing, MAX_GROUP_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS, Outcome, WishError};
use crate::i18n::Lang;

impl Say for WishError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => zh(self),
        }
    }
}

/// A wish refusal in Chinese.
pub fn zh(e: &WishError) -> String {
    match e {
        WishError::NameEmpty => format!("培训意向：姓名为空，应填写本人姓名（1 至 {MAX_NAME_CHARS} 个字）"),
        WishError::NameTooLong { len } => format!("培训意向：姓名有 {len} 个字，最多 {MAX_NAME_CHARS} 个"),
        WishError::Mobile(m) => format!("培训意向：{}", super::zh::mobile(m)),
        WishError::NoDistrict => "培训意向：未选择区县，应从全市 8 个区县中选择一个".into(),
        WishError::NoTrade => "培训意向：未选择工种，应从工种目录中选择一个".into(),
        WishError::GroupTooLong { len } => format!("培训意向：重点群体有 {len} 个字，最多 {MAX_GROUP_CHARS} 个"),
        WishError::NoteTooLong { len } => format!("培训意向：备注有 {len} 个字，最多 {MAX_NOTE_CHARS} 个"),
        WishError::NoConsent => "培训意向：本人未同意用此号码回电，请勾选同意说明".into(),
        WishError::RateLimited { kiosk, per_minute } => {
            format!("培训意向：自助机“{kiosk}”一分钟内已登记 {per_minute} 条（上限），请稍等一分钟")
        }
        WishError::AlreadyWaiting { existing } => {
            format!("培训意向：此手机号已登记同一工种，正在等待回电（回执号 {existing}）")
        }
        WishError::NotFound(id) => format!("培训意向 {id}：没有这条意向"),
        WishError::Closed { wish, outcome } => {
            format!("培训意向 {wish}：已结束（{}），不能再记录", closing_zh(outcome))
        }
        WishError::NotLinked { wish } => {
            format!("培训意向 {wish}：尚未关联学员，请先登记为学员或按手机号查找已有学员")
        }
        WishError::Linked { wish, trainee } => format!("培训意向 {wish}：已关联学员 {trainee}"),
        WishError::NoDuplicate { wish, mobile } => {
            format!("培训意向 {wish}：没有学员使用手机号 {mobile}，请改为登记为学员")
        }
    }
}

fn closing_zh(name: &str) -> &'static str {
    [
        (Closing::Enrolled(crate::domain::CaseId(0)).name(), "已报名入班"),
        (Closing::NotInterested.name(), "不再需要"),
        (Closing::NotReached.name(), "三次联系不上"),
    ]
    .iter()
    .find(|(en, _)| *en == name)
    .map(|(_, zh)| *zh)
    .unwrap_or("已结束")
}

/// An outcome's name in the reader's language.
pub fn outcome(o: &Outcome, lang: Lang) -> &'static str {
    match (lang, o) {
        (Lang::En, o) => o.name(),
        (Lang::Zh, Outcome::Registered(_)) => "已登记为学员",
        (Lang::Zh, Outcome::Enrolled { .. }) => "已报名入班",
        (Lang::Zh, Outcome::NotReached) => "联系不上",
        (Lang::Zh, Outcome::NotInterested) => "不再需要",
        (Lang::Zh, Outcome::Duplicate(_)) => "已是学员（按手机号找到）",
    }
}
