//! Transaction hashes and addresses: every run of ASCII letters, digits and underscores is read
//! whole and classified by its shape, then, for addresses, its checksum is verified.

use super::text::Text;
use super::{Address, AddressFormat, Extraction, HashFormat, MAX_ITEMS};
use regex::Regex;
use sha3::{Digest, Keccak256};

/// The shortest and the longest hash or address: both segwit addresses (BIP-173).
const SHORTEST: usize = 14;
const LONGEST: usize = 74;

/// What one run of letters and digits is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Hash(HashFormat),
    Address(AddressFormat),
}

/// Finds hashes and addresses in maximal runs of ASCII letters, digits and underscores.
#[derive(Debug)]
pub(super) struct Chain {
    runs: Regex,
}

impl Chain {
    pub fn new() -> Result<Self, regex::Error> {
        // Shorter runs cannot be anything here: skipping them inside the automaton costs nothing.
        Ok(Self {
            runs: Regex::new(&format!("[0-9A-Za-z_]{{{SHORTEST},}}"))?,
        })
    }

    /// Adds the hashes and addresses of `text` to `out`, marking their bytes taken.
    pub fn find(&self, text: &mut Text<'_>, out: &mut Extraction) {
        let mut found = Vec::new();
        for run in self.runs.find_iter(&text.norm) {
            let (start, end) = (run.start(), run.end());
            let Some(token) = classify(run.as_str()) else {
                continue;
            };
            if text.is_taken(start, end) || text.glued_by_invisible(start, end) {
                continue;
            }
            found.push((start, end, token));
            // Each list holds at most MAX_ITEMS: no need to classify past both.
            if found.len() >= 2 * MAX_ITEMS {
                break;
            }
        }
        for (start, end, token) in found {
            let word = text.slice(start, end);
            match token {
                Token::Hash(format) if out.tx_hashes.len() < MAX_ITEMS => {
                    out.tx_hashes.push(text.found(start, end, format));
                }
                Token::Address(format) if out.addresses.len() < MAX_ITEMS => {
                    let address = Address {
                        format,
                        valid: is_valid(word, format),
                    };
                    out.addresses.push(text.found(start, end, address));
                }
                _ => continue,
            }
            text.take(start, end);
        }
    }
}

/// The shape of `word`, if it has one: prefix, length and alphabet only, no checksum.
fn classify(word: &str) -> Option<Token> {
    let len = word.len();
    // The longest shape is a segwit address; a longer run is none (and is not scanned).
    if len > LONGEST {
        return None;
    }
    if let Some(hex) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        let all_hex = hex.bytes().all(|b| b.is_ascii_hexdigit());
        return match hex.len() {
            64 if all_hex => Some(Token::Hash(HashFormat::Evm)),
            40 if all_hex => Some(Token::Address(AddressFormat::Evm)),
            _ => None,
        };
    }
    if len == 64 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(Token::Hash(HashFormat::Hex64));
    }
    if is_segwit_shaped(word) {
        return Some(Token::Address(AddressFormat::BtcSegwit));
    }
    if !word.bytes().all(is_base58) {
        return None;
    }
    match word.as_bytes().first() {
        Some(b'T') if len == 34 => Some(Token::Address(AddressFormat::Tron)),
        // A run of digits alone is a number, however long: real legacy addresses carry letters.
        Some(b'1' | b'3')
            if (26..=35).contains(&len) && word.bytes().any(|b| b.is_ascii_alphabetic()) =>
        {
            Some(Token::Address(AddressFormat::BtcLegacy))
        }
        _ => None,
    }
}

fn is_base58(b: u8) -> bool {
    b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l')
}

/// `bc1` and bech32 characters, 14 to 74 long (BIP-173's bounds for a segwit address).
fn is_segwit_shaped(word: &str) -> bool {
    const CHARSET: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let Some(prefix) = word.get(..3) else {
        return false;
    };
    let data = word.get(3..).unwrap_or_default();
    prefix.eq_ignore_ascii_case("bc1")
        && (SHORTEST..=LONGEST).contains(&word.len())
        && data
            .bytes()
            .all(|b| CHARSET.as_bytes().contains(&b.to_ascii_lowercase()))
}

/// Whether the checksum of an address of this shape holds.
fn is_valid(word: &str, format: AddressFormat) -> bool {
    match format {
        AddressFormat::Evm => word.get(2..).is_some_and(is_eip55),
        AddressFormat::Tron => base58check_version(word) == Some(0x41),
        AddressFormat::BtcLegacy => {
            let expected = if word.starts_with('1') { 0x00 } else { 0x05 };
            base58check_version(word) == Some(expected)
        }
        AddressFormat::BtcSegwit => {
            bech32::segwit::decode(word).is_ok_and(|(hrp, _, _)| hrp == bech32::hrp::BC)
        }
    }
}

/// The version byte of a Base58Check string carrying a 20-byte hash, if its checksum holds.
fn base58check_version(word: &str) -> Option<u8> {
    let payload = bs58::decode(word).with_check(None).into_vec().ok()?;
    match payload.as_slice() {
        [version, hash @ ..] if hash.len() == 20 => Some(*version),
        _ => None,
    }
}

/// EIP-55: all-lower and all-upper carry no checksum; mixed case must match the Keccak-256 of
/// the lower-case address, nibble by nibble.
fn is_eip55(hex: &str) -> bool {
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if !(has_lower && has_upper) {
        return true;
    }
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    hex.bytes().enumerate().all(|(i, b)| {
        let byte = hash.get(i / 2).copied().unwrap_or(0);
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        !b.is_ascii_alphabetic() || b.is_ascii_uppercase() == (nibble >= 8)
    })
}
