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
