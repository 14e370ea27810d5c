//! What a ticket's text says about the payment: references, transaction hashes, addresses,
//! amounts, networks, times, memos and the kind of transaction. Pure: no I/O, no clock.
//!
//! Every pattern is a `regex` (finite automata, no backtracking), compiled once, so extraction
//! is linear in the size of the text whatever it holds; each list holds at most [`MAX_ITEMS`].
//!
//! How the text is read:
//! - Full-width ASCII (`５００ＵＳＤＴ`, `：`) is read as ASCII and the ideographic space as a
//!   space, one character for one, so spans still point at what the customer wrote. Zero-width
//!   and bidirectional controls end a token: a hash or address with one inside is not found.
//! - Identifiers come first and hide their characters from everything else: references, then
//!   hashes and addresses, then memo values. "SOL" in `DEP-SOL-7781` is no network, the digits
//!   of a hash no amount.
//! - An amount needs its asset right after it (one space and "个" allowed) or a currency right
//!   before it; a bare number is never an amount.
//! - Times are read in the ticket's zone. A date without a year is the latest such date not
//!   after the day the ticket arrived; a clock time without a date is today's, or yesterday's
//!   when today's is still to come. A part of the day stands for its start: 凌晨 00:00,
//!   早上/morning 06:00, 上午 09:00, 中午/下午/afternoon 12:00, 傍晚 17:00,
//!   晚上/evening/tonight/last night 18:00, 夜里/深夜/半夜/night 21:00, each with
//!   [`Precision::Hour`]. "2 hours ago" is exactly two hours before arrival.

mod amount;
mod calendar;
mod chain;
#[cfg(test)]
mod tests;
mod text;
mod times;
mod words;

use crate::engine::model::TransactionKind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

pub use amount::ASSETS;

/// The most items of one kind taken from one ticket, so that the output stays bounded whatever
/// the text holds.
pub const MAX_ITEMS: usize = 100;

/// The most candidate matches one kind of item reads from one ticket: a ticket with more
/// number-like or date-like strings than this is noise past that point, and reading on would only
/// spend time.
const MAX_CANDIDATES: usize = 2000;

/// Where an item was found: `start..end` in Unicode scalar values of the text extracted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// One extracted item: where it was, the text as written there, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// Where it was.
    pub span: Span,
    /// The characters of the span, as written.
    pub text: String,
    /// What they mean.
    pub value: T,
}

/// Which chain family a transaction hash is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFormat {
    /// `0x` and 64 hex digits (EVM chains).
    Evm,
    /// 64 hex digits (BTC, TRON and similar).
    Hex64,
}

/// Which kind of address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressFormat {
    /// `0x` and 40 hex digits; EIP-55 checksum when mixed-case.
    Evm,
    /// Base58Check starting with `T` (version byte 0x41).
    Tron,
    /// Base58Check P2PKH (`1…`) or P2SH (`3…`).
    BtcLegacy,
    /// Bech32 / bech32m, `bc1…`.
    BtcSegwit,
}

/// A destination address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address {
    /// Its format.
    pub format: AddressFormat,
    /// Whether its checksum holds (always true for an all-lower or all-upper EVM address, which
    /// carries none).
    pub valid: bool,
}

/// An amount and the asset it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The amount, exactly as a decimal.
    pub amount: Decimal,
    /// The asset code (upper-case: `USDT`, `BTC`, `CNY`, `EUR`, `USD`, …); `None` when the number
    /// was written with a payment word but no asset. ([`Extractor`] gives none such today: a
    /// number without an asset is no amount.)
    pub asset: Option<String>,
}

/// How precisely a time was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// Only the day ("yesterday", "5月30日").
    Day,
    /// The hour, or part of a day ("this morning", "下午3点").
    Hour,
    /// The minute ("14:58").
    Minute,
}

/// A moment the ticket mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The start of the moment, in UTC (e.g. midnight in the ticket's zone for a day).
    pub at: DateTime<Utc>,
    /// How precisely it was given.
    pub precision: Precision,
}

/// Everything extracted from one ticket, each list in text order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Platform references; the value reads full-width characters as ASCII.
    pub references: Vec<Found<String>>,
    /// Transaction hashes, as written.
    pub tx_hashes: Vec<Found<HashFormat>>,
    /// Destination addresses.
    pub addresses: Vec<Found<Address>>,
    /// Amounts with their asset.
    pub amounts: Vec<Found<Amount>>,
    /// Networks, as network codes (`TRON` for "TRC20" or "波场").
    pub networks: Vec<Found<String>>,
    /// Times.
    pub times: Vec<Found<Moment>>,
    /// Memos, tags and destination tags (the value without its label, full-width characters
    /// read as ASCII).
    pub memos: Vec<Found<String>>,
    /// The kinds of transaction the customer means.
    pub kinds: Vec<Found<TransactionKind>>,
}

/// What extraction is configured with (from the rules file).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtractConfig {
    /// Regular expressions a platform reference matches (e.g. `\b(?:DEP|WD)-[A-Z0-9]+-\d+\b`).
    pub reference_patterns: Vec<String>,
    /// Names customers give networks, with the code each stands for: `("TRC20", "TRON")`,
    /// `("波场", "TRON")`. Codes themselves are included as `("TRON", "TRON")`.
    pub network_names: Vec<(String, String)>,
}

/// The compiled extractor: built once, used for every ticket.
#[derive(Debug)]
pub struct Extractor {
    references: words::References,
    chain: chain::Chain,
    memos: words::Memos,
    times: times::Pieces,
    amounts: amount::Amounts,
    networks: words::Networks,
    kinds: words::Kinds,
}

impl Extractor {
    /// Compiles `config`; an invalid reference pattern is an error naming it.
    ///
    /// Word boundaries (`\b`) in reference patterns are ASCII ones: Chinese text puts letters
    /// right against a reference ("订单DEP-SOL-7781没到账"), where a Unicode boundary sees none.
    pub fn new(config: &ExtractConfig) -> Result<Self, regex::Error> {
        Ok(Self {
            references: words::References::new(&config.reference_patterns)?,
            chain: chain::Chain::new()?,
            memos: words::Memos::new()?,
            times: times::Pieces::new()?,
            amounts: amount::Amounts::new()?,
            networks: words::Networks::new(&config.network_names)?,
            kinds: words::Kinds::new()?,
        })
    }

    /// Extracts what `text` says. Relative times ("yesterday at 3pm", "昨天14:58") are read
    /// from `received_at` in `zone`.
    pub fn extract(&self, text: &str, received_at: DateTime<Utc>, zone: Tz) -> Extraction {
        let mut out = Extraction::default();
        let mut text = text::Text::new(text);
        // Identifiers first: their letters and digits are nothing else (no network in
        // "DEP-SOL-7781", no amount in a hash). Memo values then hide their digits too.
        self.references.find(&mut text, &mut out);
        self.chain.find(&mut text, &mut out);
        self.memos.find(&mut text, &mut out);
        let pieces = self.times.find(&text);
        calendar::find(&text, &pieces, received_at, zone, &mut out);
        self.amounts.find(&mut text, &mut out);
        self.networks.find(&text, &mut out);
        self.kinds.find(&text, &mut out);
        out
    }
}
