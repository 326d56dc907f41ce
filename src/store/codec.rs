//! The one place that knows how values are encoded: bincode 2 (serde) inside
//! a small versioned envelope `[0xB1, version_hi, version_lo, payload…]`.
//! Switching the codec (e.g. to postcard) touches this file only.

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
}
