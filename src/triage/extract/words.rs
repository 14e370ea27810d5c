//! Items found by their words: platform references (the configured patterns), network names,
//! labelled memos and the kind of transaction.

use super::amount::alternation;
use super::text::Text;
use super::{Extraction, MAX_CANDIDATES, MAX_ITEMS};
use crate::engine::model::TransactionKind;
use regex::{Regex, RegexSet};
use std::collections::{HashMap, HashSet};

/// Finds platform references with the configured patterns.
#[derive(Debug)]
pub(super) struct References {
    any: RegexSet,
    each: Vec<Regex>,
}

impl References {
    /// Compiles `patterns`; the error of an invalid one quotes it.
    pub fn new(patterns: &[String]) -> Result<Self, regex::Error> {
        let mut each = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            Regex::new(pattern)?;
            each.push(Regex::new(&ascii_word_boundaries(pattern))?);
        }
        let any = RegexSet::new(each.iter().map(Regex::as_str))?;
        Ok(Self { any, each })
    }

    /// Adds the references of `text` to `out`, first occurrence of each, marking them taken.
    pub fn find(&self, text: &mut Text<'_>, out: &mut Extraction) {
        // One pass says which patterns match at all; usually none or one runs again.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for index in &self.any.matches(&text.norm) {
            let Some(pattern) = self.each.get(index) else {
                continue;
            };
            let found = pattern
                .find_iter(&text.norm)
                .filter(|m| !m.is_empty())
                .take(MAX_CANDIDATES);
            spans.extend(found.map(|m| (m.start(), m.end())));
        }
        spans.sort_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
        let mut seen = HashSet::new();
        let mut last_end = 0;
        for (start, end) in spans {
            if start < last_end || out.references.len() >= MAX_ITEMS {
                continue;
            }
            last_end = end;
            text.take(start, end);
            let value = text.norm.get(start..end).unwrap_or_default().to_owned();
            if seen.insert(value.clone()) {
                out.references.push(text.found(start, end, value));
            }
        }
    }
}

/// `pattern` with its word boundaries made ASCII ones: a Unicode `\b` sees no boundary between
/// Chinese and Latin letters, so "订单DEP-SOL-7781没到账" would hide its reference, and the fast
/// engines give up on Unicode boundaries in non-ASCII text.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '\\' {
            continue;
        }
        match chars.next() {
            // `\b{start}` and the like are already explicit: leave them.
            Some(b @ ('b' | 'B')) if chars.peek() != Some(&'{') => {
                out.pop();
                out.push_str(if b == 'b' { r"(?-u:\b)" } else { r"(?-u:\B)" });
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Finds network names, each standing for its network code.
#[derive(Debug)]
pub(super) struct Networks {
    pattern: Option<Regex>,
    codes: HashMap<String, String>,
}

impl Networks {
    pub fn new(names: &[(String, String)]) -> Result<Self, regex::Error> {
        let codes: HashMap<String, String> = names
            .iter()
            .map(|(name, code)| (network_key(name), code.clone()))
            .collect();
        let mut names: Vec<&str> = names
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
        let pattern = if names.is_empty() {
            None
        } else {
            let each: Vec<String> = names.iter().map(|name| network_pattern(name)).collect();
            Some(Regex::new(&format!("(?i-u:{})", each.join("|")))?)
        };
        Ok(Self { pattern, codes })
    }

    /// Adds every mention of a network outside references, hashes and addresses to `out`.
    pub fn find(&self, text: &Text<'_>, out: &mut Extraction) {
        let Some(pattern) = &self.pattern else { return };
        for found in pattern.find_iter(&text.norm).take(MAX_CANDIDATES) {
            if out.networks.len() >= MAX_ITEMS {
                break;
            }
            if text.is_taken(found.start(), found.end()) {
                continue;
            }
            if let Some(code) = self.codes.get(&network_key(found.as_str())) {
                out.networks
                    .push(text.found(found.start(), found.end(), code.clone()));
            }
        }
    }
}

/// The form names are compared in: ASCII upper case, without hyphens or spaces ("trc-20" is
/// "TRC20").
fn network_key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A name as a pattern: a hyphen or space allowed between its letters and its digits ("TRC-20"),
/// and ASCII word boundaries at ASCII ends ("ETH" but not in "ETHER").
fn network_pattern(name: &str) -> String {
    let mut out = String::new();
    if name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(r"(?-u:\b)");
    }
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if previous.is_some_and(|p| p.is_ascii_alphabetic()) && c.is_ascii_digit() {
            out.push_str("[- ]?");
        }
        if c == '-' || c == ' ' {
            out.push_str("[- ]?");
        } else {
            out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
        }
        previous = Some(c);
    }
    if name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(r"(?-u:\b)");
    }
    out
}

/// Labels a memo, tag or destination tag is written after.
const MEMO_LABELS: &[&str] = &[
    "destination tag",
    "dest tag",
    "dest. tag",
    "memo",
    "tag",
    "标签",
    "备注",
    "附言",
];

/// The longest memo value read.
const MAX_MEMO_CHARS: usize = 64;

/// Finds labelled memos and tags.
#[derive(Debug)]
pub(super) struct Memos {
    pattern: Regex,
}

impl Memos {
    pub fn new() -> Result<Self, regex::Error> {
        let labels = alternation(MEMO_LABELS.iter().copied()).replace(' ', "[ ]?");
        let pattern = format!(
            r"(?i-u:{labels})[ \t]{{0,4}}(?P<sep>[:=][ \t]{{0,4}})?#?(?P<value>[A-Za-z0-9_-]+)"
        );
        Ok(Self {
            pattern: Regex::new(&pattern)?,
        })
    }

    /// Adds the memos of `text` to `out`, marking their values taken.
    pub fn find(&self, text: &mut Text<'_>, out: &mut Extraction) {
        let mut values = Vec::new();
        for caps in self.pattern.captures_iter(&text.norm).take(MAX_CANDIDATES) {
            let (Some(label), Some(value)) = (caps.get(0), caps.name("value")) else {
                continue;
            };
            // "tag" inside "hashtag": an ASCII label must start a word.
            let starts_word = !text
                .before(label.start())
                .is_some_and(|c| c.is_ascii_alphanumeric());
            // Without a colon the value must look like one ("memo 12345", not "tag it").
            let looks_like_value =
                caps.name("sep").is_some() || value.as_str().bytes().any(|b| b.is_ascii_digit());
            let short = value.as_str().len() <= MAX_MEMO_CHARS;
            if starts_word
                && looks_like_value
                && short
                && !text.is_taken(value.start(), value.end())
            {
                values.push((value.start(), value.end()));
            }
            if values.len() >= MAX_ITEMS {
                break;
            }
        }
        for (start, end) in values {
            let memo = text.norm.get(start..end).unwrap_or_default().to_owned();
            out.memos.push(text.found(start, end, memo));
            text.take(start, end);
        }
    }
}

/// Words naming a kind of transaction; `None` for words that only look like one ("支付宝" is
/// Alipay, not a payment).
const KIND_WORDS: &[(&str, Option<TransactionKind>)] = {
    use TransactionKind::{Deposit, Payment, Transfer, Withdrawal};
    &[
        ("充值", Some(Deposit)),
        ("存入", Some(Deposit)),
        ("入金", Some(Deposit)),
        ("提现", Some(Withdrawal)),
        ("提币", Some(Withdrawal)),
        ("出金", Some(Withdrawal)),
        ("转账", Some(Transfer)),
        ("汇款", Some(Transfer)),
        ("付款", Some(Payment)),
        ("支付宝", None),
        ("支付", Some(Payment)),
        ("付了", Some(Payment)),
        ("deposit", Some(Deposit)),
        ("deposits", Some(Deposit)),
        ("deposited", Some(Deposit)),
        ("depositing", Some(Deposit)),
        ("top up", Some(Deposit)),
        ("top-up", Some(Deposit)),
        ("topup", Some(Deposit)),
        ("topped up", Some(Deposit)),
        ("withdraw", Some(Withdrawal)),
        ("withdraws", Some(Withdrawal)),
        ("withdrew", Some(Withdrawal)),
        ("withdrawn", Some(Withdrawal)),
        ("withdrawal", Some(Withdrawal)),
        ("withdrawals", Some(Withdrawal)),
        ("withdrawing", Some(Withdrawal)),
        ("transfer", Some(Transfer)),
        ("transfers", Some(Transfer)),
        ("transferred", Some(Transfer)),
        ("transferring", Some(Transfer)),
        ("payment", Some(Payment)),
        ("payments", Some(Payment)),
        ("paid", Some(Payment)),
        ("pay", Some(Payment)),
        ("paying", Some(Payment)),
    ]
};

/// Finds the kinds of transaction the customer names.
#[derive(Debug)]
pub(super) struct Kinds {
    pattern: Regex,
}

impl Kinds {
    pub fn new() -> Result<Self, regex::Error> {
        let words = alternation(KIND_WORDS.iter().map(|(word, _)| *word));
        Ok(Self {
            pattern: Regex::new(&format!("(?i-u:{words})"))?,
        })
    }

    /// Adds the kinds `text` names to `out`.
    pub fn find(&self, text: &Text<'_>, out: &mut Extraction) {
        for found in self.pattern.find_iter(&text.norm).take(MAX_CANDIDATES) {
            if out.kinds.len() >= MAX_ITEMS {
                break;
            }
            let (start, end) = (found.start(), found.end());
            // "prepaid", "repayment": an English word must start a word.
            let ascii = found
                .as_str()
                .starts_with(|c: char| c.is_ascii_alphabetic());
            if ascii
                && text
                    .before(start)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let word = found.as_str().to_ascii_lowercase();
            let kind = KIND_WORDS
                .iter()
                .find(|(w, _)| *w == word)
                .and_then(|(_, kind)| *kind);
            if let Some(kind) = kind.filter(|_| !text.is_taken(start, end)) {
                out.kinds.push(text.found(start, end, kind));
            }
        }
        drop_payments_of_deposits(text, &mut out.kinds);
    }
}

/// "付了500U充值" is a deposit paid for: a payment word in the same sentence as a deposit word
/// describes the deposit, not a payment of its own.
fn drop_payments_of_deposits(text: &Text<'_>, kinds: &mut Vec<super::Found<TransactionKind>>) {
    let has = |kind| kinds.iter().any(|k| k.value == kind);
    if !has(TransactionKind::Deposit) || !has(TransactionKind::Payment) {
        return;
    }
    let sentences = sentence_numbers(text, kinds.iter().map(|k| k.span.start));
    let deposit_sentences: HashSet<usize> = kinds
        .iter()
        .zip(&sentences)
        .filter(|(k, _)| k.value == TransactionKind::Deposit)
        .map(|(_, s)| *s)
        .collect();
    let mut sentence = sentences.iter();
    kinds.retain(|k| {
        let in_deposit = sentence
            .next()
            .is_some_and(|s| deposit_sentences.contains(s));
        !(k.value == TransactionKind::Payment && in_deposit)
    });
}

/// The sentence number of each character position in `starts` (ascending), in one pass.
fn sentence_numbers(text: &Text<'_>, starts: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut numbers = Vec::new();
    let mut chars = text.norm.chars().enumerate().peekable();
    let mut sentence = 0;
    for start in starts {
        while let Some((_, c)) = chars.next_if(|(index, _)| *index < start) {
            // A full stop ends a sentence only before a space: "0.5 ETH" is one sentence.
            let next_is_space = chars.peek().is_some_and(|(_, n)| n.is_whitespace());
            if matches!(c, '。' | '!' | '?' | ';' | '\n') || (c == '.' && next_is_space) {
                sentence += 1;
            }
        }
        numbers.push(sentence);
    }
    numbers
}
