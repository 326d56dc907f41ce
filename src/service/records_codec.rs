//! The records snapshot's encoding of the two big lists, trainees and
//! cases: each field at a fixed width where it has one (ids, an ID number,
//! a date as its day number), a text as its length and bytes. A start
//! reads a million of each; through serde each field took a visitor, a
//! date a text to parse, and the whole about three times as long.
//!
//! Only the snapshot uses it (a cache, rebuilt from the database when it
//! does not read): the database and backups keep their own encodings.
//! Every list is its count (u64 LE) and then its records; all integers are
//! little-endian. A read checks what the serde reading checked (UTF-8
//! text, an ID number's and a mobile's length and ASCII, a real date, a
//! known state and level) and gives `None` for anything else: bytes cut
//! short, left over, or out of range.

use crate::domain::*;
use chrono::{Datelike, NaiveDate};

/// The fewest bytes a trainee and a case take: what bounds the room a
/// list's stated count may reserve.
const TRAINEE_BYTES: usize = 8 + 4 + 18 + 1 + 1 + 1 + 4 + 4;
const CASE_BYTES: usize = 8 * 3 + 1 + 1 + 4 + 4;

fn put_u32(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Option<()> {
    put_u32(out, s.len())?;
    out.extend_from_slice(s.as_bytes());
    Some(())
}

fn put_date(out: &mut Vec<u8>, d: NaiveDate) {
    out.extend_from_slice(&d.num_days_from_ce().to_le_bytes());
}

/// Trainees as the snapshot holds them; `None` if a text or a list is
/// longer than 4 GB (no record is).
pub(super) fn encode_trainees<'a>(ts: impl ExactSizeIterator<Item = &'a Trainee>) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(8 + ts.len() * 64);
    out.extend_from_slice(&(ts.len() as u64).to_le_bytes());
    for t in ts {
        out.extend_from_slice(&t.id.0.to_le_bytes());
        put_str(&mut out, &t.name)?;
        out.extend_from_slice(t.id_number.as_str().as_bytes());
        match &t.mobile {
            Some(m) => {
                out.push(1);
                out.extend_from_slice(m.as_str().as_bytes());
            }
            None => out.push(0),
        }
        match &t.key_group {
            Some(g) => {
                out.push(1);
                put_str(&mut out, g)?;
            }
            None => out.push(0),
        }
        out.push(t.region.0);
        put_u32(&mut out, t.wanted.len())?;
        for o in &t.wanted {
            out.extend_from_slice(&o.0.to_le_bytes());
        }
        put_date(&mut out, t.created);
    }
    Some(out)
}

/// Cases as the snapshot holds them.
pub(super) fn encode_cases<'a>(cs: impl ExactSizeIterator<Item = &'a Case>) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(8 + cs.len() * 48);
    out.extend_from_slice(&(cs.len() as u64).to_le_bytes());
    for c in cs {
        for id in [c.id.0, c.trainee.0, c.class.0] {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let (tag, demand) = match &c.state {
            CaseState::Enrolled => (0, None),
            CaseState::InTraining => (1, None),
            CaseState::AwaitingEvaluation => (2, None),
            CaseState::Certified(l) => (3 + 16 * l.number(), None),
            CaseState::NotCertified => (4, None),
            CaseState::Referred(d) => (5, Some(d)),
            CaseState::NotHired(d) => (6, Some(d)),
            CaseState::Employed(d) => (7, Some(d)),
            CaseState::Withdrawn => (8, None),
        };
        out.push(tag);
        if let Some(d) = demand {
            out.extend_from_slice(&d.0.to_le_bytes());
        }
        match &c.certification {
            Some(cert) => {
                out.push(cert.level.number());
                put_str(&mut out, &cert.certificate)?;
                let e = &cert.evaluation;
                out.extend_from_slice(&[e.theory, e.practical, u8::from(e.panel)]);
                put_date(&mut out, cert.date);
            }
            None => out.push(0),
        }
        out.extend_from_slice(&c.events.to_le_bytes());
        put_date(&mut out, c.opened);
    }
    Some(out)
}

/// Reads what the encoders wrote, front to back.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.array()?)).ok()
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(self.array()?))
    }

    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// A list's count, and a vector reserved for it (no more than the
    /// bytes left could hold at `min` bytes a record).
    fn list<T>(&mut self, min: usize) -> Option<(u64, Vec<T>)> {
        let n = self.u64()?;
        let room = usize::try_from(n).ok()?.min(self.0.len() / min);
        Some((n, Vec::with_capacity(room)))
    }
}

/// The trainees [`encode_trainees`] wrote; `None` unless every byte reads.
pub(super) fn decode_trainees(bytes: &[u8]) -> Option<Vec<Trainee>> {
    let mut b = Bytes(bytes);
    let (n, mut out) = b.list(TRAINEE_BYTES)?;
    for _ in 0..n {
        let id = TraineeId(b.u64()?);
        let name = b.str()?.into();
        let id_number = IdNumber::from_stored(std::str::from_utf8(b.take(18)?).ok()?)?;
        let mobile = match b.flag()? {
            true => Some(Mobile::from_stored(std::str::from_utf8(b.take(11)?).ok()?)?),
            false => None,
        };
        let key_group = match b.flag()? {
            true => Some(b.str()?.into()),
            false => None,
        };
        let region = RegionId(b.u8()?);
        let mut wanted = Wanted::new();
        for _ in 0..b.len()? {
            wanted.push(OccupationId(u16::from_le_bytes(b.array()?)));
        }
        out.push(Trainee {
            id,
            name,
            id_number,
            mobile,
            key_group,
            region,
            wanted,
            created: b.date()?,
        });
    }
    b.0.is_empty().then_some(out)
}

/// The cases [`encode_cases`] wrote; `None` unless every byte reads.
pub(super) fn decode_cases(bytes: &[u8]) -> Option<Vec<Case>> {
    let mut b = Bytes(bytes);
    let (n, mut out) = b.list(CASE_BYTES)?;
    for _ in 0..n {
        let (id, trainee, class) = (CaseId(b.u64()?), TraineeId(b.u64()?), ClassId(b.u64()?));
        let tag = b.u8()?;
        let state = match tag {
            0 => CaseState::Enrolled,
            1 => CaseState::InTraining,
            2 => CaseState::AwaitingEvaluation,
            4 => CaseState::NotCertified,
            5 => CaseState::Referred(DemandId(b.u64()?)),
            6 => CaseState::NotHired(DemandId(b.u64()?)),
            7 => CaseState::Employed(DemandId(b.u64()?)),
            8 => CaseState::Withdrawn,
            t if t % 16 == 3 => CaseState::Certified(SkillLevel::from_number(t / 16)?),
            _ => return None,
        };
        let certification = match b.u8()? {
            0 => None,
            level => Some(Certification {
                level: SkillLevel::from_number(level)?,
                certificate: b.str()?.into(),
                evaluation: Evaluation {
                    theory: b.u8()?,
                    practical: b.u8()?,
                    panel: b.flag()?,
                },
                date: b.date()?,
            }),
        };
        out.push(Case {
            id,
            trainee,
            class,
            state,
            certification,
            events: u32::from_le_bytes(b.array()?),
            opened: b.date()?,
        });
    }
    b.0.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city() -> crate::service::Data {
        let dir = tempfile::tempdir().expect("tmp");
        let store = crate::store::Store::open(&dir.path().join("db")).expect("open");
        crate::demo::build(
            &store,
            &crate::demo::Options {
                trainees: 400,
                seed: 11,
            },
        )
        .expect("demo");
        crate::service::Data::load(&store).expect("load")
    }

    #[test]
    fn trainees_and_cases_read_back_as_written_in_every_shape() {
        let d = city();
        let ts: Vec<&Trainee> = d.trainees.values().collect();
        let cs: Vec<&Case> = d.cases.values().collect();
        // The city holds every shape the encoding distinguishes.
        assert!(ts.iter().any(|t| t.mobile.is_none()) && ts.iter().any(|t| t.mobile.is_some()));
        assert!(ts.iter().any(|t| t.key_group.is_some()) && ts.iter().any(|t| t.wanted.len() > 1));
        let kinds: std::collections::BTreeSet<_> = cs.iter().map(|c| c.state.kind()).collect();
        assert!(kinds.len() >= 8, "{kinds:?}");
        assert!(cs.iter().any(|c| c.certification.is_some()));
        let back = decode_trainees(&encode_trainees(ts.iter().copied()).expect("encode")).expect("decode");
        assert_eq!(back.iter().collect::<Vec<_>>(), ts);
        let back = decode_cases(&encode_cases(cs.iter().copied()).expect("encode")).expect("decode");
        assert_eq!(back.iter().collect::<Vec<_>>(), cs);
        // Long texts, no trades, every state and level by hand.
        let mut t = ts[0].clone();
        t.name = "欧阳娜娜娜娜娜娜娜娜娜娜娜娜".into();
        t.wanted = Wanted::new();
        let back = decode_trainees(&encode_trainees([&t].into_iter()).expect("encode")).expect("decode");
        assert_eq!(back, vec![t]);
        let mut c = cs[0].clone();
        for state in [
            CaseState::Enrolled,
            CaseState::Withdrawn,
            CaseState::Referred(DemandId(u64::MAX)),
            CaseState::NotHired(DemandId(7)),
            CaseState::Employed(DemandId(0)),
        ]
        .into_iter()
        .chain(SkillLevel::ALL.into_iter().map(CaseState::Certified))
        {
            c.state = state;
            let back = decode_cases(&encode_cases([&c].into_iter()).expect("encode")).expect("decode");
            assert_eq!(back, vec![c.clone()]);
        }
    }

    #[test]
    fn bytes_cut_short_left_over_or_changed_read_as_nothing_and_never_panic() {
        let d = city();
        let ts: Vec<&Trainee> = d.trainees.values().take(5).collect();
        let cs: Vec<&Case> = d.cases.values().take(5).collect();
        let t = encode_trainees(ts.into_iter()).expect("encode");
        let c = encode_cases(cs.into_iter()).expect("encode");
        for cut in 0..t.len() {
            assert!(decode_trainees(&t[..cut]).is_none(), "trainees cut at {cut}");
        }
        for cut in 0..c.len() {
            assert!(decode_cases(&c[..cut]).is_none(), "cases cut at {cut}");
        }
        let mut longer = t.clone();
        longer.push(0);
        assert!(decode_trainees(&longer).is_none());
        // A count no bytes could hold reserves little and reads as nothing.
        let mut huge = c.clone();
        huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode_cases(&huge).is_none());
        // Every byte changed in turn: whatever it reads as, no panic.
        for i in 0..t.len().max(c.len()) {
            for (bytes, trainees) in [(&t, true), (&c, false)] {
                if let Some(&orig) = bytes.get(i) {
                    let mut x = bytes.clone();
                    x[i] = orig ^ 0xA5;
                    if trainees {
                        let _ = decode_trainees(&x);
                    } else {
                        let _ = decode_cases(&x);
                    }
                }
            }
        }
    }
}
