//! Extraction, case by case: each table row is a ticket and exactly what it says.

use super::*;
use chrono::TimeZone;
use chrono_tz::Asia::Shanghai;

mod amounts;
mod identifiers;
mod times;
mod words;

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

/// The extractor of [`config`], compiled once for every test.
fn extractor() -> &'static Extractor {
    static EXTRACTOR: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&config()).expect("the test patterns compile"))
}

fn extract(text: &str) -> Extraction {
    extractor().extract(text, received(), Shanghai)
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

/// A transaction hash's 64 hex digits.
const HEX64: &str = "3a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

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
    // "BTC" is the asset of "0.25 BTC", not a network the customer named.
    assert!(out.networks.is_empty(), "{:?}", out.networks);
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
#[rustfmt::skip]
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
fn one_extractor_serves_every_thread() {
    fn shared<T: Send + Sync>() {}
    shared::<Extractor>();
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of tickets, glued in any order: most of what the patterns look for, half-written.
    #[rustfmt::skip]
    const FRAGMENTS: &[&str] = &[
        "0x", "5", "12", "2026", "-", "/", ".", ",", ":", " ", "年", "月", "日", "点", "半", "分钟前", "昨天",
        "下午", "pm", "May ", "ago", "hours", "USDT", "u", "元", "$", "￥", "个", "ETH", "TRC", "-20",
        "memo", "tag ", "备注：", "DEP-", "SOL", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "bc1q",
        "3a1b2c3d", "ＵＳＤＴ", "５", "：", "\u{200B}", "\u{202E}", "\u{3000}", "\u{FEFF}", "充值", "付了",
        "pay", "é", "😀", "\n",
    ];

    fn ticket() -> impl Strategy<Value = String> {
        let glued = prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
            .prop_map(|pieces| pieces.concat());
        prop_oneof![4 => glued, 1 => any::<String>()]
    }

    /// Any arrival paydiag accepts (years 1 to 9999).
    fn arrival() -> impl Strategy<Value = DateTime<Utc>> {
        let near = 1_795_000_000i64..1_795_700_000;
        let any = -62_135_596_800i64..=253_402_300_799;
        prop_oneof![3 => near, 1 => any]
            .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
    }

    fn zone() -> impl Strategy<Value = Tz> {
        prop::sample::select(vec![
            Shanghai,
            chrono_tz::UTC,
            chrono_tz::America::New_York,
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

        #[test]
        fn extraction_never_panics_and_every_span_holds_its_text(
            text in ticket(), received in arrival(), zone in zone()
        ) {
            let out = extractor().extract(&text, received, zone);
            assert_spans_hold(&text, &out);
            let count = text.chars().count();
            for span in out.times.iter().map(|f| f.span).chain(out.amounts.iter().map(|f| f.span)) {
                prop_assert!(span.start < span.end && span.end <= count);
            }
        }
    }
}
