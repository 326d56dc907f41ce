//! Where a class counts when it is not obvious: the regional alliance its
//! linked demands' enterprises or its trade belong to.

use crate::domain::*;
use crate::service::Data;

/// The alliance whose leading industry a trade's classes train for (`None`:
/// a trade every industry uses, or not one an alliance leads on).
pub fn trade_alliance(o: OccupationId) -> Option<AllianceId> {
    Some(AllianceId(match o.0 {
        // eyewear: optometric technician, spectacle lens fitter
        7 | 10 => 0,
        // marine engineering equipment: welder, hull assembler
        3 | 12 => 1,
        // digital skills: e-commerce specialist
        15 => 2,
        // electrical equipment and new energy: electrician
        5 => 3,
        // new materials: maintenance fitter (process plant upkeep)
        9 => 4,
        // aerospace parts: assembly fitter, lathe turner, milling machinist
        1 | 2 | 8 => 5,
        // semiconductors: chip fabrication worker
        14 => 6,
        // elder care: elder-care, infant-care and domestic service workers
        4 | 11 | 13 => 7,
        _ => return None,
    }))
}

/// The alliance a class counts for: a class built on demands counts for the
/// alliance most of their enterprises belong to; any other for its trade's.
pub fn class_alliance(data: &Data, class: &TrainingClass) -> Option<AllianceId> {
    let mut votes = vec![0u32; ALLIANCES.len()];
    for d in &class.linked_demands {
        let alliance = data
            .demands
            .get(d)
            .and_then(|d| data.enterprises.get(&d.enterprise))
            .and_then(|e| e.alliance);
        if let Some(a) = alliance
            && let Some(v) = votes.get_mut(a.0 as usize)
        {
            *v += 1;
        }
    }
    let best = votes
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .map(|(i, _)| AllianceId(i as u8));
    best.or_else(|| trade_alliance(class.occupation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_training_trade_with_an_alliance_names_a_real_one() {
        for o in OCCUPATIONS.iter() {
            if let Some(a) = trade_alliance(o.id) {
                assert!(a.get().is_some(), "{}", o.zh);
            }
        }
        assert_eq!(trade_alliance(OccupationId(7)), Some(AllianceId(0)));
        assert_eq!(trade_alliance(OccupationId(0)), None);
    }
}
