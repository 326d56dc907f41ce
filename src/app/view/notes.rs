//! The pane of a case found by a note search (#18): the notes the query
//! matched, under the case's title, before its fields and timeline.

use super::record::DetailLine;
use crate::domain::{Kind, RecordRef};
use crate::i18n::{Lang, fill, notes::notes};
use crate::service::Data;
use crate::service::notes::note_query;

/// Put the notes a note search matched right under the case's title
/// (nothing for any other search or record).
pub fn insert_matching(lines: &mut Vec<DetailLine>, data: &Data, tab: Kind, raw: &str, r: RecordRef, lang: Lang) {
    let (Some(nq), RecordRef::Case(case)) = (note_query(tab, raw), r) else {
        return;
    };
    let Some(found) = data.notes.get(&case) else { return };
    let s = notes(lang);
    let mut add = vec![DetailLine::Heading(s.matching)];
    for n in found.matching(&nq.notes) {
        let when = chrono::DateTime::from_timestamp(n.at, 0)
            .map(|d| {
                d.with_timezone(&crate::domain::china_time())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        let kind = if lang == Lang::Zh { n.kind.zh() } else { n.kind.en() };
        add.push(DetailLine::Event {
            when,
            operator: n.operator.clone(),
            text: fill(s.line, &[&kind, &n.text]),
        });
    }
    let at = 1.min(lines.len());
    lines.splice(at..at, add);
}
