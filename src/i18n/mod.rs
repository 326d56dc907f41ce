//! Every string the screens show, once per language. Templates use `{}`
//! placeholders filled in order by [`fill`].
//!
//! - `strings`: what a language must say ([`Strings`], [`DashStrings`]);
//! - `zh`, `en`: each language's words, in one place per language.

mod en;
pub mod notes;
mod strings;
pub mod subsidy;
mod wish;
mod zh;

pub use en::{EN, EN_DASH};
pub use strings::{DashStrings, Strings};
pub use wish::{EN_WISH, WishStrings, ZH_WISH};
pub use zh::{ZH, ZH_DASH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "chinese" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn toggle(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
    pub fn t(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// Fill `{}` placeholders in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, p) in parts.enumerate() {
        if let Some(a) = args.get(i) {
            out.push_str(&a.to_string());
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_in_order() {
        assert_eq!(fill("{} / {} 条", &[&3, &10]), "3 / 10 条");
        assert_eq!(fill("no args", &[]), "no args");
        assert_eq!(fill("{}{}", &[&"a"]), "a");
    }
}
