//! Amounts: a number with its asset written right after it ("500 USDT", "0.5个ETH", "500元") or
//! a currency right before it ("$50", "RMB 500"). A bare number is never an amount: phone,
//! ticket and version numbers, counts and years carry no asset.

use super::text::Text;
use super::{Amount, Extraction, MAX_CANDIDATES, MAX_ITEMS};
use regex::{Captures, Regex};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The asset codes an amount may be written with, case-insensitively.
pub const ASSETS: &[&str] = &[
    "USDT", "USDC", "BTC", "ETH", "TRX", "BNB", "SOL", "XRP", "XLM", "TON", "DAI", "EUR", "USD",
    "CNY",
];

/// Other ways of writing an asset after the number, with the asset each stands for.
const SUFFIX_ALIASES: &[(&str, &str)] = &[
    ("U", "USDT"),
    ("RMB", "CNY"),
    ("人民币", "CNY"),
    ("块钱", "CNY"),
    ("块", "CNY"),
    ("元", "CNY"),
    ("欧元", "EUR"),
    ("美元", "USD"),
    ("刀", "USD"),
];

/// Currencies written before the number, with the asset each stands for.
const PREFIXES: &[(&str, &str)] = &[
    ("￥", "CNY"),
    ("¥", "CNY"),
    ("€", "EUR"),
    ("$", "USD"),
    ("RMB", "CNY"),
    ("CNY", "CNY"),
    ("EUR", "EUR"),
    ("USD", "USD"),
];

/// `rust_decimal` holds at most 28 significant digits; a longer number is not an amount.
const MAX_DIGITS: usize = 28;

/// Finds amounts.
#[derive(Debug)]
pub(super) struct Amounts {
    pattern: Regex,
}

impl Amounts {
    pub fn new() -> Result<Self, regex::Error> {
        let prefixes = alternation(PREFIXES.iter().map(|(name, _)| *name));
        let suffixes = alternation(
            ASSETS
                .iter()
                .chain(SUFFIX_ALIASES.iter().map(|(name, _)| name))
                .copied(),
        );
        // Commas only in groups of three; one space and "个" allowed between number and asset.
        // Only numbers with a currency or an asset match at all, so bare numbers cost nothing.
        let number = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
        let pattern = format!(
            r"(?i-u:(?P<pre>{prefixes}))[ ]?(?P<num>{number})|(?P<num2>{number})[ ]?个?[ ]?(?i-u:(?P<suf>{suffixes}))"
        );
        Ok(Self {
            pattern: Regex::new(&pattern)?,
        })
    }

    /// Adds the amounts of `text` to `out`, marking the words of their assets taken: "BTC" in
    /// "0.25 BTC" names the asset sent, not a network the customer chose.
    pub fn find(&self, text: &mut Text<'_>, out: &mut Extraction) {
        let mut found = Vec::new();
        for caps in self.pattern.captures_iter(&text.norm).take(MAX_CANDIDATES) {
            if found.len() >= MAX_ITEMS {
                break;
            }
            let Some((start, end, asset_word, amount)) = read(text, &caps) else {
                continue;
            };
            if !text.is_taken(start, end) {
                found.push((text.found(start, end, amount), asset_word));
            }
        }
        for (amount, (start, end)) in found {
            text.take(start, end);
            out.amounts.push(amount);
        }
    }
}

/// The bytes and the amount a match stands for, and the bytes of its asset's word, when its
/// number stands alone and it names an asset.
fn read(text: &Text<'_>, caps: &Captures<'_>) -> Option<(usize, usize, (usize, usize), Amount)> {
    let num = caps.name("num").or_else(|| caps.name("num2"))?;
    let pre = caps.name("pre");
    let suf = caps.name("suf");
    // "v2.5 USDT", "TRC-20 USDT", "1,2345 USDT": the number is the tail of something else.
    if pre.is_none() && text.number_glued_before(num.start(), &['-', '/']) {
        return None;
    }
    // "$50k", "$5.5.1": without an asset after it, a currency needs the number to end there.
    if suf.is_none() && text.number_glued_after(num.end()) {
        return None;
    }
    // A word prefix such as "USD" must start a word: "XUSD 5" is no amount.
    if pre.is_some_and(|p| {
        text.before(p.start())
            .is_some_and(|c| c.is_ascii_alphanumeric())
    }) {
        return None;
    }
    let asset = match (suf, pre) {
        (Some(s), _) => suffix_asset(s.as_str())?,
        (None, Some(p)) => prefix_asset(p.as_str())?,
        (None, None) => return None,
    };
    let amount = Amount {
        amount: decimal(num.as_str())?,
        asset: Some(asset.to_owned()),
    };
    let word = suf.or(pre).map(|w| (w.start(), w.end()))?;
    Some((
        pre.unwrap_or(num).start(),
        suf.unwrap_or(num).end(),
        word,
        amount,
    ))
}

/// The exact value of a number written with optional thousands separators.
fn decimal(number: &str) -> Option<Decimal> {
    let plain: String = number.chars().filter(|c| *c != ',').collect();
    if plain.chars().filter(char::is_ascii_digit).count() > MAX_DIGITS {
        return None;
    }
    Decimal::from_str(&plain).ok()
}

fn suffix_asset(written: &str) -> Option<&'static str> {
    let upper = written.to_ascii_uppercase();
    let code = ASSETS.iter().find(|code| **code == upper);
    let alias = SUFFIX_ALIASES
        .iter()
        .find(|(name, _)| *name == upper)
        .map(|(_, code)| code);
    code.or(alias).copied()
}

fn prefix_asset(written: &str) -> Option<&'static str> {
    let upper = written.to_ascii_uppercase();
    PREFIXES
        .iter()
        .find(|(name, _)| *name == upper)
        .map(|(_, code)| *code)
}

/// An alternation of literal names, longest first so that "USDT" wins over "USD", with an ASCII
/// word boundary after each ASCII name ("500 usdt" but not "500 usdtx").
pub(super) fn alternation<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
    let escaped: Vec<String> = names
        .iter()
        .map(|name| {
            let end = if name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                r"(?-u:\b)"
            } else {
                ""
            };
            format!("{}{end}", regex::escape(name))
        })
        .collect();
    escaped.join("|")
}
