//! People's training wishes against open seats (#25): per trade ×
//! district, the open wishes (waiting for a callback, or registered and
//! waiting for a class) minus the seats left in classes of that trade in
//! that district that still take enrollments. A positive **unmet** is
//! people no open class answers: a trade to open a class for.

use crate::service::Data;
use serde::Serialize;

/// One trade in one district with people wishing for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WishRow {
    /// The occupation id and names.
    pub trade_id: u16,
    pub trade_zh: &'static str,
    pub trade_en: &'static str,
    /// The district id and names.
    pub district_id: u8,
    pub district_zh: &'static str,
    pub district_en: &'static str,
    /// Open wishes.
    pub wishing: u32,
    /// Of them, not yet called back.
    pub waiting: u32,
    pub seats_open: u32,
    /// `wishing − seats_open`, at least 0.
    pub unmet: u32,
}

impl WishRow {
    /// The trade's name in a language.
    pub fn trade(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Zh => self.trade_zh,
            crate::i18n::Lang::En => self.trade_en,
        }
    }

    /// The district's name in a language.
    pub fn district(&self, lang: crate::i18n::Lang) -> &'static str {
        match lang {
            crate::i18n::Lang::Zh => self.district_zh,
            crate::i18n::Lang::En => self.district_en,
        }
    }
}

/// Every trade × district with an open wish, the largest unmet first.
pub fn training_wishes(data: &Data) -> Vec<WishRow> {
    data.wish_demand()
        .into_iter()
        .map(|d| WishRow {
            trade_id: d.trade.0,
            trade_zh: d.trade.zh(),
            trade_en: d.trade.en(),
            district_id: d.region.0,
            district_zh: d.region.zh(),
            district_en: d.region.en(),
            wishing: d.wishing,
            waiting: d.waiting,
            seats_open: d.seats_open,
            unmet: d.unmet,
        })
        .collect()
}

/// The rows no open class answers (unmet above 0): trades to open a class for.
pub fn to_open(rows: &[WishRow]) -> impl Iterator<Item = &WishRow> {
    rows.iter().filter(|r| r.unmet > 0)
}
