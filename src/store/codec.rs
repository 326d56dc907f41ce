//! The one place that knows how values are encoded: bincode 2 (serde) inside
//! a small versioned envelope `[0xB1, version_hi, version_lo, payload…]`.
//! Switching the codec (e.g. to postcard) touches this file only.
//!
//! Every persisted format has a version here or beside its type, each
//! held by a golden test (a small fixed input encoded and compared with a
//! committed copy, so a change of encoding fails until the version moves):
//!
//! | format | version | golden test |
//! |---|---|---|
//! | a record in the store | `Record::VERSION` per kind, `EVENT_VERSION` | `store::golden` |
//! | a case's run of events (`store::run`) | `RUN_MAGIC`, then `EVENT_VERSION` per event | `store::run` |
//! | the records snapshot `search-cache/records.bin` | [`SNAPSHOT_VERSION`] | `service::golden` |
//! | the search cache `search-cache/<kind>.idx` | [`SEARCH_CACHE_VERSION`] | `service::golden` |
//! | a backup file | `io::backup::FORMAT_VERSION` | `io::backup` round trips |
//!
//! The two files under `search-cache/` are derived data, stamped (see
//! [`stamp`]) with their format version, the program that wrote them
//! ([`build_id`]), the database they were made from (its random identity,
//! `store::DATABASE_ID`) and its write generation, and checksummed (CRC-32):
//! a file of another version, another skillbridge, another database or
//! another generation, or one whose checksum fails, is rebuilt, never read.

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

const MAGIC: u8 = 0xB1;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CodecError {
    #[error("value is not a skillbridge record (no envelope)")]
    NoEnvelope,
    #[error("record version {found} is newer than this program reads (up to {supported})")]
    Newer { found: u16, supported: u16 },
    #[error("record does not decode: {0}")]
    Decode(String),
    #[error("record does not encode: {0}")]
    Encode(String),
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// The most a record may claim to hold when decoded. bincode allocates a
/// string or vector at the length the bytes claim before reading it, so a
/// damaged length (say 6·10¹⁸) would abort the whole process on a failed
/// allocation; with a limit it is a decode error. Records are far smaller.
const DECODE_LIMIT: usize = 16 * 1024 * 1024;

fn decode_config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<DECODE_LIMIT>,
> {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Version of the records snapshot (`records.bin`). Bump it when the bytes
/// change: the file's layout, or what a record, a counter or their order
/// encodes to (a record's own `Record::VERSION` moves with it).
pub const SNAPSHOT_VERSION: u16 = 6;

/// Version of the search cache (`<kind>.idx`). Bump it when the bytes or
/// the search text change: the file's layout, or what a record's search
/// line, pinyin forms or shared texts hold (the rows, the catalog's names,
/// the matcher's forms).
pub const SEARCH_CACHE_VERSION: u16 = 8;

/// The program a derived file was written by: this skillbridge's version
/// and the version of the pinyin tables it was built with (read from
/// Cargo.lock), e.g. `skillbridge-0.1.0+pinyin-0.11.0`.
pub fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let lock = include_str!("../../Cargo.lock");
        let pinyin = lock
            .split("[[package]]")
            .find(|p| p.contains("\nname = \"pinyin\"\n"))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .map(|v| v.trim_matches('"'))
            .unwrap_or("unknown");
        format!("skillbridge-{}+pinyin-{pinyin}", env!("CARGO_PKG_VERSION"))
    })
}

/// The first line of a derived file: `<magic> <version> <build> <database> <generation>`.
pub fn stamp(magic: &str, version: u16, database: &str, generation: u64) -> String {
    format!("{magic} {version} {} {database} {generation}", build_id())
}

/// The database and generation a first line names, when it is a stamp of
/// this magic and version written by this build; `None` for anything else.
pub fn read_stamp(line: &str, magic: &str, version: u16) -> Option<(String, u64)> {
    let rest = line.strip_prefix(magic)?.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let (v, build, database, generation) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || v.parse::<u16>().ok()? != version || build != build_id() || database.is_empty() {
        return None;
    }
    Some((database.to_string(), generation.parse().ok()?))
}

/// A bulk value without the envelope (the snapshot's payload: its file
/// carries the version, the length and a checksum).
pub fn encode_bulk<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError::Encode(e.to_string()))
}

/// Decode what [`encode_bulk`] wrote; every byte must be used. No size
/// limit: callers check a checksum over the bytes first.
pub fn decode_bulk<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, config()).map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != bytes.len() {
        return Err(CodecError::Decode(format!(
            "{} trailing bytes after the value",
            bytes.len() - used
        )));
    }
    Ok(value)
}

pub fn encode<T: Serialize>(version: u16, value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![MAGIC, (version >> 8) as u8, version as u8];
    let body = bincode::serde::encode_to_vec(value, config()).map_err(|e| CodecError::Encode(e.to_string()))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// The envelope version of an encoded value, without decoding it.
pub fn version_of(bytes: &[u8]) -> Result<u16, CodecError> {
    if bytes.len() < 3 || bytes[0] != MAGIC {
        return Err(CodecError::NoEnvelope);
    }
    Ok(u16::from_be_bytes([bytes[1], bytes[2]]))
}

/// Decode a value written at `version` or older. Returns the version found so
/// callers can migrate older records.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], supported: u16) -> Result<(u16, T), CodecError> {
    let found = version_of(bytes)?;
    if found > supported {
        return Err(CodecError::Newer { found, supported });
    }
    let (value, used) = bincode::serde::decode_from_slice(&bytes[3..], decode_config())
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != bytes.len() - 3 {
        return Err(CodecError::Decode(format!(
            "{} trailing bytes after the record",
            bytes.len() - 3 - used
        )));
    }
    Ok((found, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let v = ("焊工".to_string(), 42u32, Some(7u64));
        let bytes = encode(1, &v).unwrap();
        let (ver, back): (u16, (String, u32, Option<u64>)) = decode(&bytes, 1).unwrap();
        assert_eq!((ver, back), (1, v.clone()));
        let newer = encode(9, &v).unwrap();
        assert_eq!(
            decode::<(String, u32, Option<u64>)>(&newer, 1).unwrap_err(),
            CodecError::Newer { found: 9, supported: 1 }
        );
        assert_eq!(decode::<u32>(b"xx", 1).unwrap_err(), CodecError::NoEnvelope);
        assert!(matches!(
            decode::<u64>(&[MAGIC, 0, 1, 0xff], 1),
            Err(CodecError::Decode(_))
        ));
        // A string claiming 2^62 bytes is an error, not an allocation.
        let mut huge = vec![MAGIC, 0, 1, 0xFF];
        huge.extend_from_slice(&(1u64 << 62).to_le_bytes());
        assert!(matches!(decode::<String>(&huge, 1), Err(CodecError::Decode(_))));
        let mut long = encode(1, &5u32).unwrap();
        long.push(0);
        assert!(matches!(decode::<u32>(&long, 1), Err(CodecError::Decode(_))));
    }

    #[test]
    fn a_stamp_reads_back_only_for_its_magic_version_and_build() {
        let line = stamp("skillbridge-search", 3, "ab12", 42);
        assert!(line.starts_with("skillbridge-search 3 skillbridge-"), "{line}");
        assert!(build_id().contains("+pinyin-0."), "{}", build_id());
        assert_eq!(
            read_stamp(&line, "skillbridge-search", 3),
            Some(("ab12".to_string(), 42))
        );
        assert_eq!(read_stamp(&line, "skillbridge-search", 2), None);
        assert_eq!(read_stamp(&line, "skillbridge-records", 3), None);
        let other = line.replace(build_id(), "skillbridge-9.9.9+pinyin-0.11.0");
        assert_eq!(read_stamp(&other, "skillbridge-search", 3), None);
        assert_eq!(read_stamp(&format!("{line} x"), "skillbridge-search", 3), None);
        let v = vec![(1u64, "焊工".to_string())];
        assert_eq!(decode_bulk::<Vec<(u64, String)>>(&encode_bulk(&v).unwrap()).unwrap(), v);
    }
}
