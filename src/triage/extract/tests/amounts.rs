//! Amounts, and the numbers that are none.

use super::*;

/// A ticket and its amounts as (text, amount, asset).
type AmountRow = (
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

#[rustfmt::skip]
const AMOUNTS: &[AmountRow] = &[
    ("转了500 USDT过去", &[("500 USDT", "500", "USDT")]),
    ("sent 0.25 BTC yesterday", &[("0.25 BTC", "0.25", "BTC")]),
    ("充了500u", &[("500u", "500", "USDT")]),
    ("500U没到", &[("500U", "500", "USDT")]),
    ("paid 1,200.50 USDC", &[("1,200.50 USDC", "1200.50", "USDC")]),
    ("total 1,234,567 USDT", &[("1,234,567 USDT", "1234567", "USDT")]),
    ("充值５００ＵＳＤＴ", &[("５００ＵＳＤＴ", "500", "USDT")]),
    ("付了500元", &[("500元", "500", "CNY")]),
    ("￥500", &[("￥500", "500", "CNY")]),
    ("¥500", &[("¥500", "500", "CNY")]),
    ("500块", &[("500块", "500", "CNY")]),
    ("500人民币", &[("500人民币", "500", "CNY")]),
    ("RMB 500", &[("RMB 500", "500", "CNY")]),
    ("€120", &[("€120", "120", "EUR")]),
    ("120 EUR", &[("120 EUR", "120", "EUR")]),
    ("120欧元", &[("120欧元", "120", "EUR")]),
    ("$50", &[("$50", "50", "USD")]),
    ("50 USD", &[("50 USD", "50", "USD")]),
    ("50美元", &[("50美元", "50", "USD")]),
    ("50刀", &[("50刀", "50", "USD")]),
    ("0.5个ETH", &[("0.5个ETH", "0.5", "ETH")]),
    ("0.5 eth", &[("0.5 eth", "0.5", "ETH")]),
    ("100 TRX and 2 SOL, 3 xrp", &[("100 TRX", "100", "TRX"), ("2 SOL", "2", "SOL"), ("3 xrp", "3", "XRP")]),
    ("500 USDT-TRC20", &[("500 USDT", "500", "USDT")]),
    ("金额:300USDT。", &[("300USDT", "300", "USDT")]),
    ("付款，500U，然后$50, then", &[("500U", "500", "USDT"), ("$50", "50", "USD")]),
    ("USDT 500个 and 500 个 USDT", &[("500 个 USDT", "500", "USDT")]),
];

#[test]
fn amounts_are_found_with_their_asset() {
    for (text, expected) in AMOUNTS {
        let out = extract(text);
        let found: Vec<(String, Decimal, Option<String>)> = out
            .amounts
            .iter()
            .map(|f| (f.text.clone(), f.value.amount, f.value.asset.clone()))
            .collect();
        let expected: Vec<(String, Decimal, Option<String>)> = expected
            .iter()
            .map(|(t, a, asset)| ((*t).to_owned(), dec(a), Some((*asset).to_owned())))
            .collect();
        assert_eq!(found, expected, "{text}");
        assert_spans_hold(text, &out);
    }
}

#[test]
fn an_amount_keeps_the_scale_it_was_written_with() {
    let out = extract("1,200.50 USDC");
    assert_eq!(
        out.amounts.first().map(|f| f.value.amount.to_string()),
        Some("1200.50".to_owned())
    );
}

#[test]
fn numbers_that_are_no_payment_fact_give_no_amount() {
    let texts = [
        "电话13812345678",
        "call me at +86 138 1234 5678",
        "充值了3笔都没到",
        "two transactions, tried 3 times",
        "ticket #48213",
        "工单号 48213",
        "app v2.3.1, version 5.1, 版本 5.1.2",
        "2026-05-30 14:58, 5月30日, 2026年, in 2025",
        "memo 104729 tag 55",
        "DEP-USDT-4410",
        "TRC-20 USDT and ERC20 USDT",
        "1,2345 USDT",
        "v2.5 USDT",
        "$50k",
    ];
    for text in texts {
        let out = extract(text);
        assert!(out.amounts.is_empty(), "{text}: {:?}", out.amounts);
    }
}

#[test]
fn a_number_too_long_for_a_decimal_is_no_amount() {
    let digits = "9".repeat(400);
    for text in [
        format!("{digits} USDT"),
        format!("${digits}"),
        format!("0.{digits} BTC"),
        digits.clone(),
    ] {
        assert!(extract(&text).amounts.is_empty(), "{} digits", text.len());
    }
    let out = extract(&format!("{} USDT", "1".repeat(28)));
    assert_eq!(out.amounts.len(), 1, "28 digits still fit");
}

#[test]
fn digits_inside_hashes_and_addresses_give_no_amount() {
    let out = extract(&format!(
        "{HEX64} USDT 0x52908400098527886E0F7030069857D2E4169EE7 eth"
    ));
    assert!(out.amounts.is_empty(), "{:?}", out.amounts);
    assert_eq!(out.tx_hashes.len() + out.addresses.len(), 2);
}
