//! List filters: which fields a tab can be filtered by, the values each
//! offers (from the catalog and the record kinds, no database read), and
//! the summary the search line shows.

use super::state::PickValue;
use crate::domain::*;
use crate::i18n::{Lang, Strings};
use crate::service::Filters;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Region,
    Trade,
    Status,
    Kind,
    Program,
}

impl FilterField {
    pub const ALL: [FilterField; 5] = [
        FilterField::Region,
        FilterField::Trade,
        FilterField::Status,
        FilterField::Kind,
        FilterField::Program,
    ];

    pub fn label(self, t: &Strings) -> &'static str {
        t.filter_fields[self as usize]
    }

    pub fn applies(self, tab: Kind) -> bool {
        match self {
            FilterField::Region => true,
            FilterField::Trade => !matches!(tab, Kind::Institutions | Kind::Enterprises),
            FilterField::Status => matches!(tab, Kind::Demands | Kind::Classes | Kind::Cases),
            FilterField::Kind => matches!(tab, Kind::Demands | Kind::Classes),
            FilterField::Program => matches!(tab, Kind::Classes | Kind::Cases),
        }
    }

    /// The filters with this field cleared.
    fn cleared(self, base: &Filters) -> Filters {
        let mut f = base.clone();
        match self {
            FilterField::Region => f.region = None,
            FilterField::Trade => f.occupation = None,
            FilterField::Status => {
                f.demand_status = None;
                f.class_status = None;
                f.case_state = None;
            }
            FilterField::Kind => {
                f.post_kind = None;
                f.class_kind = None;
            }
            FilterField::Program => f.program = None,
        }
        f
    }
}

/// The fields a tab can be filtered by, as picker rows.
pub fn field_rows(tab: Kind, t: &Strings) -> Vec<(String, PickValue)> {
    FilterField::ALL
        .iter()
        .filter(|f| f.applies(tab))
        .map(|f| (f.label(t).to_string(), PickValue::Field(*f)))
        .collect()
}

/// The values of one field, as picker rows: "all" first, each row the
/// filters as they would be with that value.
pub fn value_rows(field: FilterField, tab: Kind, base: &Filters, t: &Strings, lang: Lang) -> Vec<(String, PickValue)> {
    let cleared = field.cleared(base);
    let en = lang == Lang::En;
    let mut all: Vec<(String, PickValue)> = vec![(t.all.to_string(), PickValue::Filter(cleared.clone()))];
    let mut add = |label: String, f: Filters| all.push((label, PickValue::Filter(f)));
    let with = |set: &dyn Fn(&mut Filters)| {
        let mut f = cleared.clone();
        set(&mut f);
        f
    };
    match field {
        FilterField::Region => {
            for r in REGIONS.iter() {
                let label = format!("{} {}", r.zh, if en { r.en } else { "" }).trim().to_string();
                add(label, with(&|f| f.region = Some(r.id)));
            }
        }
        FilterField::Trade => {
            for o in OCCUPATIONS.iter() {
                add(format!("{} {}", o.zh, o.en), with(&|f| f.occupation = Some(o.id)));
            }
        }
        FilterField::Status => match tab {
            Kind::Demands => {
                for s in [DemandStatus::Open, DemandStatus::Filled, DemandStatus::Closed] {
                    let label = if en { s.name() } else { s.zh() };
                    add(label.into(), with(&|f| f.demand_status = Some(s)));
                }
            }
            Kind::Classes => {
                for s in super::intake::CLASS_STATUSES {
                    let label = if en { s.name() } else { s.zh() };
                    add(label.into(), with(&|f| f.class_status = Some(s)));
                }
            }
            _ => {
                for s in StateKind::ALL {
                    let label = if en { s.en() } else { s.zh() };
                    add(label.into(), with(&|f| f.case_state = Some(s)));
                }
            }
        },
        FilterField::Kind => {
            if tab == Kind::Demands {
                for k in [PostKind::Skilled, PostKind::TechnicalManagement] {
                    let label = if en { k.en() } else { k.zh() };
                    add(label.into(), with(&|f| f.post_kind = Some(k)));
                }
            } else {
                for k in super::intake::CLASS_KINDS {
                    let label = if en { k.name() } else { k.zh() };
                    add(label.into(), with(&|f| f.class_kind = Some(k)));
                }
            }
        }
        FilterField::Program => {
            for p in PROGRAMS.iter() {
                let label = if en { p.en } else { p.zh };
                add(label.into(), with(&|f| f.program = Some(p.id)));
            }
        }
    }
    all
}

/// "区域=丹阳市 工种=焊工" for the search line.
pub fn summary(f: &Filters, t: &Strings, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    let labels = t.filter_fields;
    if let Some(r) = f.region {
        parts.push(format!("{}={}", labels[0], r.zh()));
    }
    if let Some(o) = f.occupation {
        parts.push(format!("{}={}", labels[1], o.zh()));
    }
    if let Some(s) = f.demand_status {
        parts.push(format!("{}={}", labels[2], if zh { s.zh() } else { s.name() }));
    }
    if let Some(s) = f.class_status {
        parts.push(format!("{}={}", labels[2], if zh { s.zh() } else { s.name() }));
    }
    if let Some(s) = f.case_state {
        parts.push(format!("{}={}", labels[2], if zh { s.zh() } else { s.en() }));
    }
    if let Some(k) = f.post_kind {
        parts.push(format!("{}={}", labels[3], if zh { k.zh() } else { k.en() }));
    }
    if let Some(k) = f.class_kind {
        parts.push(format!("{}={}", labels[3], if zh { k.zh() } else { k.name() }));
    }
    if let Some(p) = f.program {
        parts.push(format!("{}={}", labels[4], if zh { p.zh() } else { p.en() }));
    }
    parts.join(" ")
}
