//! The names a kiosk shows for the catalog's values, in either language.

use super::*;

pub(super) fn region_name(r: RegionId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => r.zh(),
        Lang::En => r.en(),
    }
}

pub(super) fn trade_name(o: OccupationId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => o.zh(),
        Lang::En => o.en(),
    }
}

pub(super) fn kind_name(k: ClassKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => k.zh(),
        Lang::En => k.name(),
    }
}

pub(super) fn status_name(s: ClassStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => s.zh(),
        Lang::En => s.name(),
    }
}

pub(super) fn program_name(p: ProgramId, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => p.zh(),
        Lang::En => p.en(),
    }
}

pub(super) fn post_kind_name(k: PostKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => k.zh(),
        Lang::En => k.en(),
    }
}

pub(super) fn level_name(l: SkillLevel, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => l.en(),
    }
}

pub(super) fn stars(n: u8) -> String {
    "★".repeat(n as usize)
}

/// `text` with the characters the query matches highlighted.
pub(super) fn lit(text: &str, query: &Query, base: Style) -> Vec<Span<'static>> {
    let hits = if query.is_empty() {
        Vec::new()
    } else {
        highlight(&Hay::new(text.to_string()), query)
    };
    crate::ui::lit(text, &hits, base).spans
}
