//! Opaque page tokens (AIP-158), bound to the filters of the listing that gave them: where the
//! page ended (a moment and a key), and a fingerprint of the filters, hex-encoded.

use super::validate::MAX_ID_CHARS;
use crate::store::codec::{time_from_key, time_key};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

const VERSION: &str = "1";
/// Why a token that paydiag did not give is refused.
const MALFORMED: &str = "is not a page token paydiag gave";
/// Why a token given for other filters is refused.
const OTHER_FILTERS: &str =
    "belongs to a listing with other filters: send the same filters with it";

/// The fingerprint a token is bound to: of `filters`, the `Debug` text of every filter (not
/// the page size).
pub fn fingerprint(filters: &str) -> String {
    let digest = Sha256::digest(filters.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The token of a page that ended at `(at, key)` of a listing with `fingerprint`.
pub fn write(fingerprint: &str, at: DateTime<Utc>, key: &str) -> String {
    let plain = format!("{VERSION}\n{fingerprint}\n{}\n{key}", time_key(at));
    plain.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Where the page of `token` ended, if it was given for a listing with `fingerprint`; else
/// why not, as a field violation's description.
pub fn read(token: &str, fingerprint: &str) -> Result<(DateTime<Utc>, String), &'static str> {
    if token.len() > 4 * (MAX_ID_CHARS * 4 + 64) || token.len() % 2 != 0 {
        return Err(MALFORMED);
    }
    let bytes: Vec<u8> = (0..token.len())
        .step_by(2)
        .map(|i| {
            token
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<_>>()
        .ok_or(MALFORMED)?;
    let plain = String::from_utf8(bytes).map_err(|_| MALFORMED)?;
    let mut parts = plain.splitn(4, '\n');
    let (Some(VERSION), Some(bound), Some(at), Some(key)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MALFORMED);
    };
    if bound != fingerprint {
        return Err(OTHER_FILTERS);
    }
    Ok((time_from_key(at).map_err(|_| MALFORMED)?, key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_token_reads_back_only_with_its_own_filters() {
        let at = time_from_key("2026-11-22T10:00:00Z").expect("time");
        let key = "DEP-SOL-7781\n☃";
        let token = write("00aa11bb22cc33dd", at, key);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
        assert_eq!(read(&token, "00aa11bb22cc33dd"), Ok((at, key.to_owned())));
        assert_eq!(read(&token, "ffffffffffffffff"), Err(OTHER_FILTERS));
        for broken in ["zz", "abc", "00", &token[..token.len() - 2]] {
            assert_eq!(read(broken, "00aa11bb22cc33dd"), Err(MALFORMED), "{broken}");
        }
    }
}
