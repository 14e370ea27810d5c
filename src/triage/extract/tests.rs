//! Extraction, case by case: each table row is a ticket and exactly what it says.

use super::*;
use chrono::TimeZone;
use chrono_tz::Asia::Shanghai;

const REFERENCE: &str = r"\b(?:DEMO|DEP|WD|PAY|TR|TX)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b";

fn config() -> ExtractConfig {
    let names = [
        ("TRC20", "TRON"),
        ("TRON", "TRON"),
        ("波场", "TRON"),
        ("ERC20", "ETHEREUM"),
        ("ETH", "ETHEREUM"),
        ("Ethereum", "ETHEREUM"),
        ("以太坊", "ETHEREUM"),
        ("BEP20", "BSC"),
        ("BTC", "BITCOIN"),
        ("比特币", "BITCOIN"),
        ("SOL", "SOLANA"),
        ("Solana", "SOLANA"),
    ];
    ExtractConfig {
        reference_patterns: vec![REFERENCE.to_owned()],
        network_names: names
            .iter()
            .map(|(n, c)| ((*n).to_owned(), (*c).to_owned()))
            .collect(),
    }
}

/// 2026-05-31 10:00 in Shanghai.
fn received() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 31, 2, 0, 0)
        .single()
        .expect("a valid instant")
}

fn extract(text: &str) -> Extraction {
    Extractor::new(&config())
        .expect("the test patterns compile")
        .extract(text, received(), Shanghai)
}

fn span(start: usize, end: usize) -> Span {
    Span { start, end }
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("a valid instant")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

/// (text, value, span) of every item of a list.
fn items<T: Clone>(found: &[Found<T>]) -> Vec<(String, T, Span)> {
    found
        .iter()
        .map(|f| (f.text.clone(), f.value.clone(), f.span))
        .collect()
}

#[test]
fn the_reference_ticket_gives_its_time_amount_network_and_kind() {
    let out = extract("我昨天14:58付了500 USDT（TRC20）但是一直没有到账");
    assert_eq!(
        items(&out.times),
        [(
            "昨天14:58".to_owned(),
            Moment {
                at: utc(2026, 5, 30, 6, 58),
                precision: Precision::Minute
            },
            span(1, 8)
        )]
    );
    let amount = Amount {
        amount: dec("500"),
        asset: Some("USDT".to_owned()),
    };
    assert_eq!(
        items(&out.amounts),
        [("500 USDT".to_owned(), amount, span(10, 18))]
    );
    assert_eq!(
        items(&out.networks),
        [("TRC20".to_owned(), "TRON".to_owned(), span(19, 24))]
    );
    assert_eq!(
        items(&out.kinds),
        [("付了".to_owned(), TransactionKind::Payment, span(8, 10))]
    );
    assert!(
        out.references.is_empty()
            && out.tx_hashes.is_empty()
            && out.addresses.is_empty()
            && out.memos.is_empty()
    );
}

/// Every item's text is exactly the characters its span covers.
fn assert_spans_hold(text: &str, out: &Extraction) {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(Span, &str)> = Vec::new();
    spans.extend(out.references.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.tx_hashes.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.addresses.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.amounts.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.networks.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.times.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.memos.iter().map(|f| (f.span, f.text.as_str())));
    spans.extend(out.kinds.iter().map(|f| (f.span, f.text.as_str())));
    for (span, written) in spans {
        let covered: String = chars
            .get(span.start..span.end)
            .unwrap_or_default()
            .iter()
            .collect();
        assert_eq!(covered, written, "span {span:?} of {text:?}");
    }
}

#[test]
fn references_are_found_once_each_even_against_chinese_letters() {
    let text = "订单DEP-SOL-7781没到账，另见 DEMO-DELAY 和 DEP-SOL-7781";
    let out = extract(text);
    let expected = [
        (
            "DEP-SOL-7781".to_owned(),
            "DEP-SOL-7781".to_owned(),
            span(2, 14),
        ),
        (
            "DEMO-DELAY".to_owned(),
            "DEMO-DELAY".to_owned(),
            span(21, 31),
        ),
    ];
    assert_eq!(items(&out.references), expected);
    assert!(
        out.networks.is_empty(),
        "SOL inside a reference is no network: {:?}",
        out.networks
    );
    assert_spans_hold(text, &out);
}

#[test]
fn every_shipped_reference_shape_is_a_reference_and_nothing_else() {
    let text = "WD-BTC-3390, TR-SEPA-9001; PAY-XLM-5512 / DEP-USDT-4410";
    let out = extract(text);
    let values: Vec<String> = out.references.iter().map(|f| f.value.clone()).collect();
    assert_eq!(
        values,
        [
            "WD-BTC-3390",
            "TR-SEPA-9001",
            "PAY-XLM-5512",
            "DEP-USDT-4410"
        ]
    );
    assert!(
        out.networks.is_empty() && out.kinds.is_empty() && out.amounts.is_empty(),
        "{out:?}"
    );
}

#[test]
fn reference_patterns_keep_their_own_flags() {
    let config = ExtractConfig {
        reference_patterns: vec![r"(?i)\bref-\d+\b".to_owned()],
        network_names: vec![],
    };
    let out = Extractor::new(&config).expect("compiles").extract(
        "see Ref-12 and REF-13",
        received(),
        Shanghai,
    );
    let values: Vec<String> = out.references.iter().map(|f| f.value.clone()).collect();
    assert_eq!(values, ["Ref-12", "REF-13"]);
}

#[test]
fn an_invalid_reference_pattern_is_an_error_naming_it() {
    let config = ExtractConfig {
        reference_patterns: vec!["DEP-(".to_owned()],
        network_names: vec![],
    };
    let error = Extractor::new(&config).expect_err("an unclosed group");
    assert!(error.to_string().contains("DEP-("), "{error}");
}

const HEX64: &str = "3a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[test]
fn transaction_hashes_are_found_with_or_without_a_label() {
    let cases = [
        (
            format!("txid: 0x{HEX64}"),
            vec![(format!("0x{HEX64}"), HashFormat::Evm, span(6, 72))],
        ),
        (
            format!("TxID:{HEX64}"),
            vec![(HEX64.to_owned(), HashFormat::Hex64, span(5, 69))],
        ),
        (
            format!("交易哈希{HEX64}，请查"),
            vec![(HEX64.to_owned(), HashFormat::Hex64, span(4, 68))],
        ),
        (
            format!("hash {}", HEX64.to_uppercase()),
            vec![(HEX64.to_uppercase(), HashFormat::Hex64, span(5, 69))],
        ),
    ];
    for (text, expected) in cases {
        let out = extract(&text);
        assert_eq!(items(&out.tx_hashes), expected, "{text}");
        assert!(
            out.addresses.is_empty() && out.amounts.is_empty(),
            "{text}: {out:?}"
        );
    }
}

#[test]
fn a_hex_run_longer_or_shorter_than_a_hash_is_no_hash() {
    for text in [
        format!("{HEX64}a"),
        format!("x{HEX64}"),
        format!("0x{HEX64}0"),
        HEX64[1..].to_owned(),
        format!("{HEX64}_"),
    ] {
        let out = extract(&text);
        assert!(
            out.tx_hashes.is_empty() && out.addresses.is_empty(),
            "{text}: {out:?}"
        );
    }
}

#[test]
fn a_zero_width_character_inside_a_hash_leaves_nothing_to_extract() {
    for at in [1, 20, 40, 63] {
        let text = format!("txid 0x{}\u{200B}{}", &HEX64[..at], &HEX64[at..]);
        let out = extract(&text);
        assert_eq!(out, Extraction::default(), "zero-width after {at} digits");
    }
    let text = format!("hash {}\u{2066}{}", &HEX64[..32], &HEX64[32..]);
    assert_eq!(extract(&text), Extraction::default());
}

#[test]
fn zero_width_characters_around_a_hash_do_not_hide_it() {
    let text = format!("\u{200B}{HEX64}\u{FEFF} 到账了吗");
    assert_eq!(
        items(&extract(&text).tx_hashes),
        [(HEX64.to_owned(), HashFormat::Hex64, span(1, 65))]
    );
}

/// An address, its format and whether its checksum holds.
const ADDRESSES: &[(&str, AddressFormat, bool)] = &[
    (
        "0x52908400098527886E0F7030069857D2E4169EE7",
        AddressFormat::Evm,
        true,
    ),
    (
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        AddressFormat::Evm,
        true,
    ),
    (
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        AddressFormat::Evm,
        true,
    ),
    (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        AddressFormat::Evm,
        true,
    ),
    // The first EIP-55 vector with one letter's case flipped.
    (
        "0x52908400098527886e0F7030069857D2E4169EE7",
        AddressFormat::Evm,
        false,
    ),
    (
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        AddressFormat::Tron,
        true,
    ),
    (
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u",
        AddressFormat::Tron,
        false,
    ),
    (
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        AddressFormat::BtcLegacy,
        true,
    ),
    (
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
        AddressFormat::BtcLegacy,
        false,
    ),
    (
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        AddressFormat::BtcLegacy,
        true,
    ),
    (
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
        AddressFormat::BtcLegacy,
        false,
    ),
    (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        AddressFormat::BtcSegwit,
        true,
    ),
    (
        "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ",
        AddressFormat::BtcSegwit,
        true,
    ),
    (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp",
        AddressFormat::BtcSegwit,
        false,
    ),
    (
        "bC1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        AddressFormat::BtcSegwit,
        false,
    ),
    (
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
        AddressFormat::BtcSegwit,
        true,
    ),
    // The taproot program under a bech32 (not bech32m) checksum breaks BIP-350's rule.
    (
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3296",
        AddressFormat::BtcSegwit,
        false,
    ),
];

#[test]
fn addresses_are_found_with_their_checksum_verdict() {
    for (address, format, valid) in ADDRESSES {
        let text = format!("打到地址：{address} 了");
        let out = extract(&text);
        let expected = Address {
            format: *format,
            valid: *valid,
        };
        let end = 5 + address.chars().count();
        assert_eq!(
            items(&out.addresses),
            [((*address).to_owned(), expected, span(5, end))],
            "{address}"
        );
        assert!(
            out.tx_hashes.is_empty() && out.amounts.is_empty() && out.networks.is_empty(),
            "{address}: {out:?}"
        );
    }
}

#[test]
fn strings_without_an_address_shape_are_no_address() {
    let texts = [
        "0x52908400098527886E0F7030069857D2E4169EE", // 39 hex digits
        "0x52908400098527886E0F7030069857D2E4169EE7a", // 41
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6",         // 33 characters
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0t",        // 0 is not base58
        "13812345678912345678912345",                // digits alone are a number
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdb", // b is not bech32
    ];
    for text in texts {
        assert!(extract(text).addresses.is_empty(), "{text}");
    }
}

/// (text, the amounts written in it as (text, amount, asset)).
/// A ticket and its amounts as (text, amount, asset).
type AmountRow = (
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

const AMOUNTS: &[AmountRow] = &[
    ("转了500 USDT过去", &[("500 USDT", "500", "USDT")]),
    ("sent 0.25 BTC yesterday", &[("0.25 BTC", "0.25", "BTC")]),
    ("充了500u", &[("500u", "500", "USDT")]),
    ("500U没到", &[("500U", "500", "USDT")]),
    (
        "paid 1,200.50 USDC",
        &[("1,200.50 USDC", "1200.50", "USDC")],
    ),
    (
        "total 1,234,567 USDT",
        &[("1,234,567 USDT", "1234567", "USDT")],
    ),
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
    (
        "100 TRX and 2 SOL, 3 xrp",
        &[
            ("100 TRX", "100", "TRX"),
            ("2 SOL", "2", "SOL"),
            ("3 xrp", "3", "XRP"),
        ],
    ),
    ("500 USDT-TRC20", &[("500 USDT", "500", "USDT")]),
    ("金额:300USDT。", &[("300USDT", "300", "USDT")]),
    (
        "付款，500U，然后$50, then",
        &[("500U", "500", "USDT"), ("$50", "50", "USD")],
    ),
    (
        "USDT 500个 and 500 个 USDT",
        &[("500 个 USDT", "500", "USDT")],
    ),
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

/// (text, the time expression in it, UTC instant as (y, mo, d, h, mi), precision); the ticket
/// arrived 2026-05-31 10:00 in Shanghai (02:00 UTC).
/// A ticket, its time expression, the UTC instant as (y, mo, d, h, mi) and the precision.
type TimeRow = (
    &'static str,
    &'static str,
    (i32, u32, u32, u32, u32),
    Precision,
);

const TIMES: &[TimeRow] = &[
    (
        "2026-05-30 14:58 付的款",
        "2026-05-30 14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "2026/05/30 14:58",
        "2026/05/30 14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "on 2026-05-30.",
        "2026-05-30",
        (2026, 5, 29, 16, 0),
        Precision::Day,
    ),
    (
        "5月30日下午2点58分转的",
        "5月30日下午2点58分",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "5月30日14:58",
        "5月30日14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    ("5月30日", "5月30日", (2026, 5, 29, 16, 0), Precision::Day),
    (
        "2026年5月30日 下午3点",
        "2026年5月30日 下午3点",
        (2026, 5, 30, 7, 0),
        Precision::Hour,
    ),
    (
        "30/05 14:58",
        "30/05 14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "05/30 14:58",
        "05/30 14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "04/05 09:00",
        "04/05 09:00",
        (2026, 5, 4, 1, 0),
        Precision::Minute,
    ),
    (
        "May 30 14:58",
        "May 30 14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "on 30 May at 2:58pm",
        "30 May at 2:58pm",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    (
        "12月30日",
        "12月30日",
        (2025, 12, 29, 16, 0),
        Precision::Day,
    ),
    (
        "我昨天14:58付的",
        "昨天14:58",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
    ("昨天就付了", "昨天", (2026, 5, 29, 16, 0), Precision::Day),
    (
        "今天上午10点",
        "今天上午10点",
        (2026, 5, 31, 2, 0),
        Precision::Hour,
    ),
    (
        "前天晚上",
        "前天晚上",
        (2026, 5, 29, 10, 0),
        Precision::Hour,
    ),
    ("昨晚8点", "昨晚8点", (2026, 5, 30, 12, 0), Precision::Hour),
    (
        "yesterday at 3pm",
        "yesterday at 3pm",
        (2026, 5, 30, 7, 0),
        Precision::Hour,
    ),
    (
        "Yesterday 15:30",
        "Yesterday 15:30",
        (2026, 5, 30, 7, 30),
        Precision::Minute,
    ),
    (
        "at 3pm yesterday",
        "3pm yesterday",
        (2026, 5, 30, 7, 0),
        Precision::Hour,
    ),
    (
        "2 hours ago",
        "2 hours ago",
        (2026, 5, 31, 0, 0),
        Precision::Hour,
    ),
    (
        "an hour ago",
        "an hour ago",
        (2026, 5, 31, 1, 0),
        Precision::Hour,
    ),
    (
        "30 minutes ago",
        "30 minutes ago",
        (2026, 5, 31, 1, 30),
        Precision::Minute,
    ),
    (
        "30分钟前",
        "30分钟前",
        (2026, 5, 31, 1, 30),
        Precision::Minute,
    ),
    (
        "半小时前",
        "半小时前",
        (2026, 5, 31, 1, 30),
        Precision::Minute,
    ),
    (
        "两个小时前",
        "两个小时前",
        (2026, 5, 31, 0, 0),
        Precision::Hour,
    ),
    ("3天前", "3天前", (2026, 5, 27, 16, 0), Precision::Day),
    (
        "this morning",
        "this morning",
        (2026, 5, 30, 22, 0),
        Precision::Hour,
    ),
    ("today", "today", (2026, 5, 30, 16, 0), Precision::Day),
    (
        "last night",
        "last night",
        (2026, 5, 30, 10, 0),
        Precision::Hour,
    ),
    (
        "yesterday morning at 9:30",
        "yesterday morning at 9:30",
        (2026, 5, 30, 1, 30),
        Precision::Minute,
    ),
    ("刚才", "刚才", (2026, 5, 31, 2, 0), Precision::Minute),
    (
        "just now",
        "just now",
        (2026, 5, 31, 2, 0),
        Precision::Minute,
    ),
    (
        "下午2点半",
        "下午2点半",
        (2026, 5, 30, 6, 30),
        Precision::Minute,
    ),
    ("凌晨3点", "凌晨3点", (2026, 5, 30, 19, 0), Precision::Hour),
    (
        "晚上十点",
        "晚上十点",
        (2026, 5, 30, 14, 0),
        Precision::Hour,
    ),
    ("3pm", "3pm", (2026, 5, 30, 7, 0), Precision::Hour),
    ("3:05 pm", "3:05 pm", (2026, 5, 30, 7, 5), Precision::Minute),
    ("10am", "10am", (2026, 5, 31, 2, 0), Precision::Hour),
    ("14:58", "14:58", (2026, 5, 30, 6, 58), Precision::Minute),
    ("9:30", "9:30", (2026, 5, 31, 1, 30), Precision::Minute),
    (
        "2026-05-30T14:58:00Z",
        "2026-05-30T14:58:00Z",
        (2026, 5, 30, 14, 58),
        Precision::Minute,
    ),
    (
        "14:58 UTC",
        "14:58 UTC",
        (2026, 5, 30, 14, 58),
        Precision::Minute,
    ),
    (
        "２０２６－０５－３０ １４：５８",
        "２０２６－０５－３０ １４：５８",
        (2026, 5, 30, 6, 58),
        Precision::Minute,
    ),
];

#[test]
fn times_are_read_in_the_customers_zone_from_the_tickets_arrival() {
    for (text, written, (y, mo, d, h, mi), precision) in TIMES {
        let out = extract(text);
        let expected = Moment {
            at: utc(*y, *mo, *d, *h, *mi),
            precision: *precision,
        };
        let found: Vec<(String, Moment)> = out
            .times
            .iter()
            .map(|f| (f.text.clone(), f.value))
            .collect();
        assert_eq!(found, [((*written).to_owned(), expected)], "{text}");
        assert!(out.amounts.is_empty(), "{text}: a time is no amount");
        assert_spans_hold(text, &out);
    }
}

#[test]
fn invalid_dates_and_lone_parts_of_the_day_are_no_time() {
    let texts = [
        "2月30日",
        "2026-13-45",
        "2026-02-30 10:00",
        "25:61",
        "早上好，晚上好",
        "good morning",
        "5月5月5月5月",
        "30/05",
        "version 5.1, v2.3.1",
        "13812345678",
        "2026年",
        "13pm",
        "12026-05-30",
    ];
    for text in texts {
        let out = extract(text);
        assert!(out.times.is_empty(), "{text}: {:?}", out.times);
    }
}

#[test]
fn a_29_february_without_year_is_the_last_leap_day() {
    let out = extract("2月29日");
    assert_eq!(
        out.times.first().map(|f| f.value.at),
        Some(utc(2024, 2, 28, 16, 0))
    );
}

#[test]
fn several_times_are_listed_in_text_order() {
    let out = extract("昨天14:58付款，今天10am又问了一次，2 hours ago");
    let written: Vec<&str> = out.times.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(written, ["昨天14:58", "今天10am", "2 hours ago"]);
}

/// (text, the networks it names as (text, code)).
const NETWORKS: &[(&str, &[(&str, &str)])] = &[
    ("500 USDT（TRC20）", &[("TRC20", "TRON")]),
    ("USDT-TRC20", &[("TRC20", "TRON")]),
    (
        "via TRC-20 and erc-20",
        &[("TRC-20", "TRON"), ("erc-20", "ETHEREUM")],
    ),
    ("BEP-20 or bep20", &[("BEP-20", "BSC"), ("bep20", "BSC")]),
    (
        "用波场转的，不是以太坊",
        &[("波场", "TRON"), ("以太坊", "ETHEREUM")],
    ),
    ("走的tron网络", &[("tron", "TRON")]),
    (
        "0.5 ETH on Ethereum",
        &[("ETH", "ETHEREUM"), ("Ethereum", "ETHEREUM")],
    ),
    ("ETHER and ETHEREUMX and SOLID", &[]),
    ("DEP-SOL-7781 WD-BTC-3390", &[]),
    (
        "比特币地址 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        &[("比特币", "BITCOIN")],
    ),
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
const MEMOS: &[(&str, &[(&str, Span)])] = &[
    ("memo: 12345", &[("12345", Span { start: 6, end: 11 })]),
    ("memo 12345", &[("12345", Span { start: 5, end: 10 })]),
    ("MEMO：12345", &[("12345", Span { start: 5, end: 10 })]),
    (
        "ＭＥＭＯ：１２３４５",
        &[("１２３４５", Span { start: 5, end: 10 })],
    ),
    ("tag 104729", &[("104729", Span { start: 4, end: 10 })]),
    (
        "destination tag 104729",
        &[("104729", Span { start: 16, end: 22 })],
    ),
    (
        "Dest tag: 104729",
        &[("104729", Span { start: 10, end: 16 })],
    ),
    ("标签 104729", &[("104729", Span { start: 3, end: 9 })]),
    ("标签：104729", &[("104729", Span { start: 3, end: 9 })]),
    ("备注 abc123", &[("abc123", Span { start: 3, end: 9 })]),
    (
        "备注：abc123，谢谢",
        &[("abc123", Span { start: 3, end: 9 })],
    ),
    (
        "附言: order_77-b",
        &[("order_77-b", Span { start: 4, end: 14 })],
    ),
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
        (
            "payment pending, I paid, please pay",
            &[Payment, Payment, Payment],
        ),
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

#[test]
fn a_full_width_ticket_reads_like_an_ascii_one() {
    let text = "ＤＥＰ－ＳＯＬ－７７８１　充值５００ＵＳＤＴ（ＴＲＣ２０）　２０２６－０５－３０　１４：５８";
    let out = extract(text);
    assert_eq!(
        items(&out.references),
        [(
            "ＤＥＰ－ＳＯＬ－７７８１".to_owned(),
            "DEP-SOL-7781".to_owned(),
            span(0, 12)
        )]
    );
    let amount = Amount {
        amount: dec("500"),
        asset: Some("USDT".to_owned()),
    };
    assert_eq!(
        items(&out.amounts),
        [("５００ＵＳＤＴ".to_owned(), amount, span(15, 22))]
    );
    assert_eq!(
        items(&out.networks),
        [("ＴＲＣ２０".to_owned(), "TRON".to_owned(), span(23, 28))]
    );
    let moment = Moment {
        at: utc(2026, 5, 30, 6, 58),
        precision: Precision::Minute,
    };
    assert_eq!(
        items(&out.times),
        [(
            "２０２６－０５－３０　１４：５８".to_owned(),
            moment,
            span(30, 46)
        )]
    );
    assert_eq!(
        out.kinds.iter().map(|f| f.value).collect::<Vec<_>>(),
        [TransactionKind::Deposit]
    );
}

#[test]
fn an_english_ticket_gives_every_fact() {
    let text = format!(
        "Hi, I deposited 0.25 BTC to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq yesterday at 3pm, txid {HEX64}, ref DEP-BTC-1200. Still not credited."
    );
    let out = extract(&text);
    assert_eq!(
        out.references
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>(),
        ["DEP-BTC-1200"]
    );
    assert_eq!(
        out.tx_hashes.iter().map(|f| f.value).collect::<Vec<_>>(),
        [HashFormat::Hex64]
    );
    let segwit = Address {
        format: AddressFormat::BtcSegwit,
        valid: true,
    };
    assert_eq!(
        out.addresses.iter().map(|f| f.value).collect::<Vec<_>>(),
        [segwit]
    );
    assert_eq!(
        out.amounts
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>(),
        ["0.25 BTC"]
    );
    assert_eq!(
        out.networks
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>(),
        ["BITCOIN"]
    );
    let moment = Moment {
        at: utc(2026, 5, 30, 7, 0),
        precision: Precision::Hour,
    };
    assert_eq!(
        out.times
            .iter()
            .map(|f| (f.text.as_str(), f.value))
            .collect::<Vec<_>>(),
        [("yesterday at 3pm", moment)]
    );
    assert_eq!(
        out.kinds.iter().map(|f| f.value).collect::<Vec<_>>(),
        [TransactionKind::Deposit]
    );
    assert_spans_hold(&text, &out);
}

/// 64 KiB of one hostile unit, repeated.
fn hostile(unit: &str) -> String {
    let mut text = String::with_capacity(64 * 1024 + 8);
    while text.len() < 64 * 1024 {
        text.push_str(unit);
    }
    text
}

/// Hostile units: long runs, many partial matches, mixed scripts and invisible characters.
const HOSTILE: &[&str] = &[
    "0x",
    "0",
    "5月",
    "5月5",
    "500 USDT ",
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ",
    "0x52908400098527886E0F7030069857D2E4169EE7 ",
    "DEP-A-1 DEP-A-2 ",
    "memo 1 ",
    "昨天14:58 ",
    "TRC20 充值 pay ",
    "1,",
    "11:11:",
    "\u{200B}a\u{202E}1ｆ５",
    "$",
    "5月30日下午",
    "3 hours ago ",
    "ab12",
    "bc1q",
    "May 1 ",
    "tag it ",
    "hashtag 1 ",
    "pay prepaid ",
    "25:61 ",
    "TETHxSoLxxxxxxxxxxxxxxxxxxxxxxxxxx ",
];

#[test]
fn hostile_tickets_give_bounded_lists_and_never_panic() {
    for unit in HOSTILE {
        let text = hostile(unit);
        let out = extract(&text);
        let lens = [
            out.references.len(),
            out.tx_hashes.len(),
            out.addresses.len(),
            out.amounts.len(),
            out.networks.len(),
            out.times.len(),
            out.memos.len(),
            out.kinds.len(),
        ];
        assert!(
            lens.iter().all(|len| *len <= MAX_ITEMS),
            "{unit:?}: {lens:?}"
        );
        assert_spans_hold(&text, &out);
    }
    assert_eq!(extract(&"0".repeat(100_000)), Extraction::default());
    assert!(extract(&"9".repeat(1000)).amounts.is_empty());
}

#[test]
fn the_empty_ticket_says_nothing() {
    assert_eq!(extract(""), Extraction::default());
    assert_eq!(extract("\n"), Extraction::default());
}

#[test]
fn more_ways_of_writing_a_time_read_as_expected() {
    let rows: &[TimeRow] = &[
        (
            "May 30th, 2026 at 2:58 PM",
            "May 30th, 2026 at 2:58 PM",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
        (
            "5月30号 下午 3点",
            "5月30号 下午 3点",
            (2026, 5, 30, 7, 0),
            Precision::Hour,
        ),
        ("下午3点", "下午3点", (2026, 5, 30, 7, 0), Precision::Hour),
        (
            "昨天中午12点",
            "昨天中午12点",
            (2026, 5, 30, 4, 0),
            Precision::Hour,
        ),
        (
            "前天晚上12点",
            "前天晚上12点",
            (2026, 5, 29, 16, 0),
            Precision::Hour,
        ),
        ("昨天下午", "昨天下午", (2026, 5, 30, 4, 0), Precision::Hour),
        (
            "yesterday night",
            "yesterday night",
            (2026, 5, 30, 13, 0),
            Precision::Hour,
        ),
        (
            "2026-05-30 14:58:33",
            "2026-05-30 14:58:33",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
        (
            "30/05/2026",
            "30/05/2026",
            (2026, 5, 29, 16, 0),
            Precision::Day,
        ),
        (
            "14:58+08:00",
            "14:58+08:00",
            (2026, 5, 30, 6, 58),
            Precision::Minute,
        ),
    ];
    for (text, written, (y, mo, d, h, mi), precision) in rows {
        let out = extract(text);
        let expected = Moment {
            at: utc(*y, *mo, *d, *h, *mi),
            precision: *precision,
        };
        let found: Vec<(String, Moment)> = out
            .times
            .iter()
            .map(|f| (f.text.clone(), f.value))
            .collect();
        assert_eq!(found, [((*written).to_owned(), expected)], "{text}");
    }
}

#[test]
fn a_local_time_skipped_by_daylight_saving_is_read_an_hour_later() {
    // 2026-03-08: New York skips from 02:00 to 03:00 EST→EDT; the ticket arrives at noon.
    let received = utc(2026, 3, 8, 16, 0);
    let extractor = Extractor::new(&config()).expect("compiles");
    let out = extractor.extract("today at 2:30am", received, chrono_tz::America::New_York);
    let moment = Moment {
        at: utc(2026, 3, 8, 7, 30),
        precision: Precision::Minute,
    };
    assert_eq!(
        out.times.iter().map(|f| f.value).collect::<Vec<_>>(),
        [moment]
    );
}

#[test]
fn a_date_without_year_is_never_after_the_day_the_ticket_arrived() {
    let extractor = Extractor::new(&config()).expect("compiles");
    // Arrived 2026-01-02 in Shanghai: "12月30日" is in 2025, "1月2日" today.
    let received = utc(2026, 1, 2, 3, 0);
    let out = extractor.extract("12月30日 和 1月2日", received, Shanghai);
    let days: Vec<DateTime<Utc>> = out.times.iter().map(|f| f.value.at).collect();
    assert_eq!(days, [utc(2025, 12, 29, 16, 0), utc(2026, 1, 1, 16, 0)]);
}

#[test]
fn one_extractor_serves_every_thread() {
    fn shared<T: Send + Sync>() {}
    shared::<Extractor>();
}
