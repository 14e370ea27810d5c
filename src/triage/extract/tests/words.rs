//! Networks, memos and kinds of transaction.

use super::*;

/// (text, the networks it names as (text, code)).
#[rustfmt::skip]
const NETWORKS: &[(&str, &[(&str, &str)])] = &[
    ("500 USDT（TRC20）", &[("TRC20", "TRON")]),
    ("USDT-TRC20", &[("TRC20", "TRON")]),
    ("via TRC-20 and erc-20", &[("TRC-20", "TRON"), ("erc-20", "ETHEREUM")]),
    ("BEP-20 or bep20", &[("BEP-20", "BSC"), ("bep20", "BSC")]),
    ("用波场转的，不是以太坊", &[("波场", "TRON"), ("以太坊", "ETHEREUM")]),
    ("走的tron网络", &[("tron", "TRON")]),
    // The asset of an amount is no network: only "Ethereum" names one.
    ("0.5 ETH on Ethereum", &[("Ethereum", "ETHEREUM")]),
    ("ETHER and ETHEREUMX and SOLID", &[]),
    ("DEP-SOL-7781 WD-BTC-3390", &[]),
    ("比特币地址 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", &[("比特币", "BITCOIN")]),
];

#[test]
fn networks_are_found_by_every_name_customers_give_them() {
    for (text, expected) in NETWORKS {
        let out = extract(text);
        let found: Vec<(String, String)> = out
            .networks
            .iter()
            .map(|f| (f.text.clone(), f.value.clone()))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(t, c)| ((*t).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(found, expected, "{text}");
        assert_spans_hold(text, &out);
    }
}

#[test]
fn a_network_name_inside_a_hash_or_address_is_no_network() {
    // "ETH" as a word inside an address-shaped token and an EVM address ending in hex "eth"-like
    // letters: the identifiers are read first and hide their letters.
    let text = "to TETH SOL xxxxxxxxxxxxxxxxxxxxxx 0x00000000000000000000000000000000000000ed";
    let out = extract(text);
    assert_eq!(
        out.networks
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>(),
        ["SOL"]
    );
    let address = "TETHxSoLxxxxxxxxxxxxxxxxxxxxxxxxxx";
    let out = extract(&format!("to {address} ETH"));
    assert_eq!(out.addresses.len(), 1);
    assert_eq!(
        out.networks.iter().map(|f| f.span).collect::<Vec<_>>(),
        [span(38, 41)]
    );
}

/// (text, the memo values in it, each with its span).
#[rustfmt::skip]
const MEMOS: &[(&str, &[(&str, Span)])] = &[
    ("memo: 12345", &[("12345", Span { start: 6, end: 11 })]),
    ("memo 12345", &[("12345", Span { start: 5, end: 10 })]),
    ("MEMO：12345", &[("12345", Span { start: 5, end: 10 })]),
    ("ＭＥＭＯ：１２３４５", &[("１２３４５", Span { start: 5, end: 10 })]),
    ("tag 104729", &[("104729", Span { start: 4, end: 10 })]),
    ("destination tag 104729", &[("104729", Span { start: 16, end: 22 })]),
    ("Dest tag: 104729", &[("104729", Span { start: 10, end: 16 })]),
    ("标签 104729", &[("104729", Span { start: 3, end: 9 })]),
    ("标签：104729", &[("104729", Span { start: 3, end: 9 })]),
    ("备注 abc123", &[("abc123", Span { start: 3, end: 9 })]),
    ("备注：abc123，谢谢", &[("abc123", Span { start: 3, end: 9 })]),
    ("附言: order_77-b", &[("order_77-b", Span { start: 4, end: 14 })]),
    ("memo: hello", &[("hello", Span { start: 6, end: 11 })]),
    ("I forgot to tag it", &[]),
    ("hashtag 123", &[]),
    ("备注了一下", &[]),
];

#[test]
fn memos_are_the_values_after_their_labels() {
    for (text, expected) in MEMOS {
        let out = extract(text);
        let found: Vec<(String, Span)> =
            out.memos.iter().map(|f| (f.text.clone(), f.span)).collect();
        let expected: Vec<(String, Span)> = expected
            .iter()
            .map(|(t, s)| ((*t).to_owned(), *s))
            .collect();
        assert_eq!(found, expected, "{text}");
        assert!(
            out.amounts.is_empty() && out.times.is_empty(),
            "{text}: {out:?}"
        );
    }
}

#[test]
fn a_memo_value_is_its_normalized_form() {
    let out = extract("ＭＥＭＯ：１２３４５");
    assert_eq!(out.memos.first().map(|f| f.value.as_str()), Some("12345"));
}

#[test]
fn a_memo_longer_than_64_characters_is_no_memo() {
    let text = format!("memo: {}", "7".repeat(65));
    assert!(extract(&text).memos.is_empty());
}

/// (text, the kinds of transaction it names).
#[rustfmt::skip]
const KINDS: &[(&str, &[TransactionKind])] = {
    use TransactionKind::{Deposit, Payment, Transfer, Withdrawal};
    &[
        ("充值没到账", &[Deposit]),
        ("存入和入金", &[Deposit, Deposit]),
        ("提现、提币、出金", &[Withdrawal, Withdrawal, Withdrawal]),
        ("转账还是汇款", &[Transfer, Transfer]),
        ("付款", &[Payment]),
        ("支付失败", &[Payment]),
        ("我付了钱", &[Payment]),
        ("I deposited 5 BTC", &[Deposit]),
        ("Top up failed; topped up again", &[Deposit, Deposit]),
        ("my withdrawal was withdrawn", &[Withdrawal, Withdrawal]),
        ("I withdraw", &[Withdrawal]),
        ("Transferred yesterday", &[Transfer]),
        ("payment pending, I paid, please pay", &[Payment, Payment, Payment]),
        ("I sent it, 转了", &[]),
        ("用支付宝充值了100元", &[Deposit]),
        ("付了500U充值。另外付款失败", &[Deposit, Payment]),
        ("paid 0.5 ETH to deposit", &[Deposit]),
        ("prepaid repayment paydiag", &[]),
        ("PAY-XLM-5512", &[]),
    ]
};

#[test]
fn kinds_of_transaction_are_read_from_their_words() {
    for (text, expected) in KINDS {
        let out = extract(text);
        let found: Vec<TransactionKind> = out.kinds.iter().map(|f| f.value).collect();
        assert_eq!(found, *expected, "{text}");
        assert_spans_hold(text, &out);
    }
}
