//! Resident identity numbers (GB 11643-1999) and mobile numbers.
//!
//! An 18-character number is `AAAAAA YYYYMMDD SSS C`: address code, birth
//! date, sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
//! check character. The old 15-digit form (`AAAAAA YYMMDD SSS`, no check
//! character) is upgraded by inserting `19` and computing the check.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Why a resident ID number was refused. Each message says what is wrong
/// and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("ID number is empty: expected 18 characters (17 digits and a check digit 0-9 or X)")]
    Empty,
    #[error("ID number '{value}' has {len} characters: expected 18 (or the old 15-digit form)")]
    WrongLength { value: String, len: usize },
    #[error(
        "ID number '{value}' has '{ch}' at position {pos}: only digits are allowed there (X only as the last character)"
    )]
    NotDigit { value: String, pos: usize, ch: char },
    #[error("ID number '{value}' encodes birth date {date}, which is not a real date")]
    BadDate { value: String, date: String },
    #[error("ID number '{value}' encodes birth date {date}, which is in the future")]
    FutureDate { value: String, date: String },
    #[error("ID number '{value}' has check digit '{found}' but its first 17 digits give '{expected}'")]
    WrongCheck { value: String, found: char, expected: char },
}

/// Sex as encoded by the 17th digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A valid 18-character resident ID number (upper-case X), kept inline:
/// a city holds a million of them in memory. Stored and exchanged as text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber([u8; 18]);

/// `N` ASCII bytes from a string that has exactly that many, else `None`.
fn ascii_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    if !s.is_ascii() {
        return None;
    }
    s.as_bytes().try_into().ok()
}

fn ascii_str(b: &[u8]) -> &str {
    // Only ASCII is ever stored (see `ascii_array`).
    std::str::from_utf8(b).unwrap_or("")
}

/// Debug, Display and serde for an inline text type (`as_str` gives its
/// text): exchanged as the string it holds, refused by name when a stored
/// string has the wrong length.
macro_rules! inline_text {
    ($ty:ident, $refusal:literal) => {
        impl $ty {
            /// The value as stored (its text, exactly as long as the type
            /// holds, in ASCII), as a stored record reads it: the text is
            /// checked when it is first entered, not each time it is read.
            pub fn from_stored(s: &str) -> Option<$ty> {
                ascii_array(s).map($ty)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&self.as_str()).finish()
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Read from the decoder's own bytes (no `String` each: a
                // start decodes a million of these).
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("the text of a ", stringify!($ty)))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        $ty::from_stored(s).ok_or_else(|| E::custom(format!($refusal, s)))
                    }
                }
                d.deserialize_str(Text)
            }
        }
    };
}

inline_text!(IdNumber, "ID number '{}' is not 18 ASCII characters");
inline_text!(Mobile, "mobile '{}' is not 11 ASCII digits");

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize] as char
}

impl IdNumber {
    /// Parse and validate against today's date.
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        Self::parse_on(input, chrono::Local::now().date_naive())
    }

    /// Parse and validate; `today` bounds the birth date.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<Self, IdNumberError> {
        let value: String = input.trim().to_string();
        if value.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let chars: Vec<char> = value.chars().collect();
        let upgraded: String = match chars.len() {
            18 => value.to_ascii_uppercase(),
            15 => {
                if let Some((pos, ch)) = chars.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
                    return Err(IdNumberError::NotDigit {
                        value,
                        pos: pos + 1,
                        ch: *ch,
                    });
                }
                let mut s = String::with_capacity(18);
                s.push_str(&value[..6]);
                s.push_str("19");
                s.push_str(&value[6..15]);
                let c = check_char(s.as_bytes());
                s.push(c);
                s
            }
            len => return Err(IdNumberError::WrongLength { value, len }),
        };
        for (i, ch) in upgraded.chars().enumerate() {
            let ok = ch.is_ascii_digit() || (i == 17 && ch == 'X');
            if !ok {
                return Err(IdNumberError::NotDigit { value, pos: i + 1, ch });
            }
        }
        // All 18 characters are ASCII from here on.
        let bytes = upgraded.as_bytes();
        let date_str = &upgraded[6..14];
        let pretty = format!("{}-{}-{}", &date_str[..4], &date_str[4..6], &date_str[6..8]);
        let date = NaiveDate::parse_from_str(date_str, "%Y%m%d").map_err(|_| IdNumberError::BadDate {
            value: value.clone(),
            date: pretty.clone(),
        })?;
        if date.year() < 1850 {
            return Err(IdNumberError::BadDate { value, date: pretty });
        }
        if date > today {
            return Err(IdNumberError::FutureDate { value, date: pretty });
        }
        let expected = check_char(&bytes[..17]);
        let found = bytes[17] as char;
        if expected != found {
            return Err(IdNumberError::WrongCheck { value, found, expected });
        }
        // 18 ASCII characters, checked above.
        ascii_array(&upgraded).map(IdNumber).ok_or(IdNumberError::WrongLength {
            value,
            len: upgraded.len(),
        })
    }

    /// Build a number from parts (used by the demo generator); computes the check.
    pub fn from_parts(address: &str, birth: NaiveDate, seq: u16) -> Option<Self> {
        if address.len() != 6 || !address.bytes().all(|b| b.is_ascii_digit()) || seq > 999 {
            return None;
        }
        let mut s = format!("{address}{}{seq:03}", birth.format("%Y%m%d"));
        let c = check_char(s.as_bytes());
        s.push(c);
        ascii_array(&s).map(IdNumber)
    }

    pub fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }

    /// The six-digit address code (may be an abolished county; never checked).
    pub fn address_code(&self) -> &str {
        ascii_str(&self.0[..6])
    }

    pub fn birth_date(&self) -> NaiveDate {
        // Validated at construction.
        NaiveDate::parse_from_str(ascii_str(&self.0[6..14]), "%Y%m%d").unwrap_or_default()
    }

    pub fn sex(&self) -> Sex {
        let d = self.0[16].wrapping_sub(b'0');
        if d % 2 == 1 { Sex::Male } else { Sex::Female }
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        today.years_since(self.birth_date()).unwrap_or(0)
    }

    /// The number with the middle masked, for screens that must not show
    /// it whole (GB/T 35273 lists it as sensitive): the first 4 and last 4
    /// characters, `3211**********1234`. Same length as the number.
    pub fn masked(&self) -> String {
        mask_id_bytes(&self.0)
    }
}

/// `3211**********1234` from the 18 characters of an ID number.
fn mask_id_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(18);
    out.push_str(ascii_str(&b[..4]));
    out.push_str("**********");
    out.push_str(ascii_str(&b[14..18]));
    out
}

/// `139****1111` from the 11 digits of a mobile.
fn mask_mobile_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(11);
    out.push_str(ascii_str(&b[..3]));
    out.push_str("****");
    out.push_str(ascii_str(&b[7..11]));
    out
}

/// Free text (a search line, a cell, a log message) with every run that
/// looks like a resident ID number (17 digits then a digit or X) or a
/// mainland mobile (`1[3-9]` and 9 more digits) masked as
/// [`IdNumber::masked`] and [`Mobile::masked`] mask them. Only whole runs of
/// digits are masked (a 20-digit number is left alone: it is neither), and
/// the text keeps its length in characters, so highlight positions worked
/// out on the original still point at the same places.
pub fn mask_numbers(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let mut end = i + digits;
        let masked = if digits == 17 && matches!(b.get(end), Some(b'X' | b'x')) {
            end += 1;
            Some(mask_id_bytes(&b[i..end]))
        } else if digits == 18 {
            Some(mask_id_bytes(&b[i..end]))
        } else if digits == 11 && b[i] == b'1' && (b'3'..=b'9').contains(&b[i + 1]) {
            Some(mask_mobile_bytes(&b[i..end]))
        } else {
            None
        };
        let whole = b.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
        if let (Some(m), true) = (masked, whole) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str(&m);
            copied = end;
        }
        i = end.max(i + 1);
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// Why a mobile number was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MobileError {
    #[error("mobile number is empty: expected 11 digits starting with 1 (e.g. 13912345678)")]
    Empty,
    #[error("mobile number '{value}' has '{ch}': only digits are allowed (an optional leading +86 is removed)")]
    NotDigit { value: String, ch: char },
    #[error("mobile number '{value}' has {len} digits: expected 11")]
    WrongLength { value: String, len: usize },
    #[error("mobile number '{value}' must start with 13-19 (1 then 3-9)")]
    WrongPrefix { value: String },
}

/// A mainland mobile number: `^1[3-9]\d{9}$` after stripping +86. Kept
/// inline, stored and exchanged as text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mobile([u8; 11]);

impl Mobile {
    pub fn parse(input: &str) -> Result<Self, MobileError> {
        let raw = input.trim();
        if raw.is_empty() {
            return Err(MobileError::Empty);
        }
        let mut s: String = raw.chars().filter(|c| *c != ' ' && *c != '-').collect();
        if let Some(rest) = s.strip_prefix("+86") {
            s = rest.to_string();
        } else if s.len() == 13 && s.starts_with("86") {
            s = s[2..].to_string();
        }
        if let Some(ch) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(MobileError::NotDigit {
                value: raw.to_string(),
                ch,
            });
        }
        if s.len() != 11 {
            return Err(MobileError::WrongLength {
                value: raw.to_string(),
                len: s.len(),
            });
        }
        let b = s.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(MobileError::WrongPrefix { value: raw.to_string() });
        }
        // 11 ASCII digits, checked above.
        ascii_array(&s).map(Mobile).ok_or(MobileError::WrongLength {
            value: raw.to_string(),
            len: s.len(),
        })
    }
    pub fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }

    /// The number with the middle four digits masked: `139****1111`.
    pub fn masked(&self) -> String {
        mask_mobile_bytes(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_numbers_keep_the_text_form_on_disk_and_in_json() {
        let id = IdNumber::from_parts("321102", NaiveDate::from_ymd_opt(1981, 4, 22).unwrap(), 957).unwrap();
        let m = Mobile::parse("+86 139-1596-8613").unwrap();
        // bincode: the same bytes as the String it replaced.
        let cfg = bincode::config::standard();
        let as_text = bincode::serde::encode_to_vec(id.as_str().to_string(), cfg).unwrap();
        assert_eq!(bincode::serde::encode_to_vec(id, cfg).unwrap(), as_text);
        let (back, _): (IdNumber, usize) = bincode::serde::decode_from_slice(&as_text, cfg).unwrap();
        assert_eq!(back, id);
        // JSON: a plain string.
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"13915968613\"");
        assert_eq!(serde_json::from_str::<Mobile>("\"13915968613\"").unwrap(), m);
        // A stored value of the wrong length is refused, by name.
        let e = serde_json::from_str::<IdNumber>("\"3211\"").unwrap_err().to_string();
        assert!(e.contains("ID number '3211'"), "{e}");
        assert!(serde_json::from_str::<Mobile>("\"139\"").is_err());
        // Read in place from bincode's bytes, refused the same way; and
        // from JSON with an escape (a text the reader had to unescape).
        let short = bincode::serde::encode_to_vec("3211", cfg).unwrap();
        let e = bincode::serde::decode_from_slice::<IdNumber, _>(&short, cfg)
            .unwrap_err()
            .to_string();
        assert!(e.contains("ID number '3211'"), "{e}");
        assert_eq!(serde_json::from_str::<Mobile>("\"1391596861\\u0033\"").unwrap(), m);
        assert_eq!(format!("{id:?}"), format!("IdNumber({:?})", id.as_str()));
    }

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn valid_numbers_parse_and_decode() {
        // The GB 11643 worked example.
        let id = IdNumber::parse_on("11010519491231002X", today()).unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.sex(), Sex::Female);
        let id = IdNumber::parse_on("440524188001010014", today()).unwrap();
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.age_on(today()), 146);
    }

    #[test]
    fn lower_case_x_is_accepted_as_upper() {
        let id = IdNumber::parse_on("11010519491231002x", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_digit_names_both() {
        let e = IdNumber::parse_on("110105194912310021", today()).unwrap_err();
        assert_eq!(
            e,
            IdNumberError::WrongCheck {
                value: "110105194912310021".into(),
                found: '1',
                expected: 'X'
            }
        );
        assert!(e.to_string().contains("check digit '1'"));
        assert!(e.to_string().contains("give 'X'"));
    }

    #[test]
    fn impossible_dates_are_refused() {
        // 1990-02-30 does not exist; fix the check digit so only the date is wrong.
        let mut s = String::from("32110219900230001");
        s.push(check_char(s.as_bytes()));
        let e = IdNumber::parse_on(&s, today()).unwrap_err();
        assert!(matches!(e, IdNumberError::BadDate { .. }), "{e}");
        assert!(e.to_string().contains("1990-02-30"));
        let mut s = String::from("32110220300101001");
        s.push(check_char(s.as_bytes()));
        let e = IdNumber::parse_on(&s, today()).unwrap_err();
        assert!(matches!(e, IdNumberError::FutureDate { .. }), "{e}");
    }

    #[test]
    fn wrong_lengths_and_characters() {
        assert_eq!(IdNumber::parse_on("", today()), Err(IdNumberError::Empty));
        let e = IdNumber::parse_on("1234567", today()).unwrap_err();
        assert_eq!(
            e,
            IdNumberError::WrongLength {
                value: "1234567".into(),
                len: 7
            }
        );
        let e = IdNumber::parse_on("1101051949123100XX", today()).unwrap_err();
        assert!(matches!(e, IdNumberError::NotDigit { pos: 17, .. }), "{e}");
        let e = IdNumber::parse_on("11010519491231002Ｘ", today()).unwrap_err();
        assert!(matches!(e, IdNumberError::NotDigit { pos: 18, .. }), "{e}");
    }

    #[test]
    fn fifteen_digit_form_is_upgraded() {
        let id = IdNumber::parse_on("110105491231002", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn abolished_address_codes_stay_valid() {
        // 321121 was 丹徒县 before it became a district; never rejected for that.
        let id = IdNumber::from_parts("321121", NaiveDate::from_ymd_opt(1960, 5, 1).unwrap(), 17).unwrap();
        assert!(IdNumber::parse_on(id.as_str(), today()).is_ok());
    }

    #[test]
    fn masks_keep_the_ends_and_the_length() {
        let id = IdNumber::parse_on("11010519491231002X", today()).unwrap();
        assert_eq!(id.masked(), "1101**********002X");
        let id = IdNumber::from_parts("321183", NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(), 123).unwrap();
        assert_eq!(id.masked().len(), 18);
        assert!(id.masked().starts_with("3211**********") && id.masked().ends_with(&id.as_str()[14..]));
        let m = Mobile::parse("13912341111").unwrap();
        assert_eq!(m.masked(), "139****1111");
    }

    #[test]
    fn numbers_in_text_are_masked_whole_runs_only() {
        let line = "王芳 11010519491231002x 13912341111 · D12 12345678901234567890 139123411112 a13912341111";
        let masked = mask_numbers(line);
        assert_eq!(
            masked,
            "王芳 1101**********002x 139****1111 · D12 12345678901234567890 139123411112 a13912341111"
        );
        assert_eq!(masked.chars().count(), line.chars().count());
        assert!(matches!(mask_numbers("焊工 6-18-02-04"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(mask_numbers("321102199001010011"), "3211**********0011");
        assert_eq!(mask_numbers(""), "");
    }

    #[test]
    fn mobiles() {
        assert_eq!(Mobile::parse("13912345678").unwrap().as_str(), "13912345678");
        assert_eq!(Mobile::parse("+86 139 1234 5678").unwrap().as_str(), "13912345678");
        assert!(matches!(
            Mobile::parse("12912345678"),
            Err(MobileError::WrongPrefix { .. })
        ));
        assert!(matches!(
            Mobile::parse("1391234567"),
            Err(MobileError::WrongLength { len: 10, .. })
        ));
        assert!(matches!(
            Mobile::parse("1391234567a"),
            Err(MobileError::NotDigit { ch: 'a', .. })
        ));
        assert_eq!(Mobile::parse("  "), Err(MobileError::Empty));
    }
}
