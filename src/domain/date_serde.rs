//! A faster reading of the dates records hold. chrono writes a date as its
//! text (`2025-06-15`) and reads it back through its general format
//! parser; at a million trainees and cases that parser was a tenth of a
//! start. [`de`] reads the same text — the bytes on disk do not change —
//! with a fixed-width fast path, and hands anything else to chrono.

use chrono::NaiveDate;
use serde::Deserializer;
use serde::de::{Error, Visitor};

/// `YYYY-MM-DD` with four-digit year, read directly; `None` for any other
/// shape (chrono then decides).
fn fixed(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

struct DateText;

impl Visitor<'_> for DateText {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date as YYYY-MM-DD")
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<NaiveDate, E> {
        match fixed(s) {
            Some(d) => Ok(d),
            None => s.parse().map_err(E::custom),
        }
    }
}

/// Read a date written by chrono's `Serialize` (use with
/// `#[serde(deserialize_with = "…")]`).
pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateText)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_chrono_reads_and_refuses_what_it_refuses() {
        for s in [
            "2025-06-15",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-6-15",
            "+12025-06-15",
            "2025-06-1x",
            "２０２５-06-15",
            "",
        ] {
            let chrono: Result<NaiveDate, _> = s.parse();
            let ours = DateText.visit_str::<serde::de::value::Error>(s);
            assert_eq!(ours.ok(), chrono.ok(), "{s}");
        }
        // Through a real decoder, as records are read.
        let bytes = bincode::serde::encode_to_vec(NaiveDate::from_ymd_opt(2025, 6, 15), bincode::config::standard())
            .expect("encode");
        #[derive(serde::Deserialize)]
        struct D(#[serde(deserialize_with = "de")] NaiveDate);
        let (back, _): (Option<D>, usize) =
            bincode::serde::decode_from_slice(&bytes, bincode::config::standard()).expect("decode");
        assert_eq!(back.map(|d| d.0), NaiveDate::from_ymd_opt(2025, 6, 15));
    }
}
