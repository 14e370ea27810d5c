//! Ticket extraction micro-benchmarks: a typical 1 KiB ticket, and 64 KiB bodies written to be
//! as costly as possible (long digit runs, thousands of "0x", repeated partial dates, mixed
//! scripts, invisible characters). Targets: under 50 µs for the typical ticket and under 5 ms
//! for each hostile body (BENCHMARKS.md). What each input must give is checked before it is
//! measured, so a benchmark never times a wrong reading.
//!
//! Run with `cargo bench --bench extract`.

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use paydiag::{api::extract_config, engine::policy::RuleSet, triage::extract::Extractor};
use std::{hint::black_box, time::Duration};

/// Subject and body, as TriageTicket joins them: about 1 KiB, Chinese and English, with a
/// reference, an amount, a network, a time, an address, a hash and the usual noise.
const TYPICAL: &str = "USDT提现未到账 / withdrawal not received\n\
    您好，客服：\n我昨天14:58提现了 500 USDT（TRC20），订单号 WD-TRX-1002，到现在还没有到账。\
    收款地址是 TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE，交易哈希 \
    7f3e9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b。之前的提现都是几分钟就到了，\
    请帮我查一下是不是网络拥堵或者在维护？我的手机号是 13800138000，APP 版本 5.2.1，今天已经联系过两次了。\n\n\
    Hello, I withdrew 500 USDT on TRC20 yesterday at 14:58, reference WD-TRX-1002, and it still \
    has not arrived in my wallet. Earlier withdrawals took a few minutes. Could you please check \
    whether the network is congested or under maintenance? This is my third message today, \
    ticket 48213. Thank you very much for your help.\n谢谢！";

/// 2026-11-22T10:00:00Z.
fn received_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default()
}

/// `unit` repeated to 64 KiB.
fn filled(unit: &str) -> String {
    unit.repeat(64 * 1024 / unit.len())
}

/// The hostile bodies, by name.
fn hostile() -> Vec<(&'static str, String)> {
    vec![
        ("digits", filled("7")),
        ("0x", filled("0x")),
        (
            "hex_runs",
            filled("0x52908400098527886E0F7030069857D2E4169EE 9f2c4e8b1d7a6f3e5c0b9a8d7e6f5a4 "),
        ),
        (
            "partial_dates",
            filled("5月30日下午2点58分 30/05 14: 2026-05-"),
        ),
        ("amounts", filled("500 USDT 1,200.50 USDC ￥500 €120 500u ")),
        (
            "mixed_scripts",
            filled("付了５００ＵＳＤＴ（ＴＲＣ２０）昨天14:58 DEP-SOL-7781 备注：1 "),
        ),
        (
            "invisible",
            filled("T\u{200b}R7NHq\u{202e}jeKQx0x\u{2066}9f "),
        ),
    ]
}

fn bench_extract(c: &mut Criterion) {
    let rules = RuleSet::shipped();
    let extractor = Extractor::new(&extract_config(&rules)).expect("shipped patterns compile");
    let zone = chrono_tz::Asia::Shanghai;

    let typical = extractor.extract(TYPICAL, received_at(), zone);
    assert_eq!(typical.references.len(), 1, "{typical:?}");
    assert_eq!(typical.amounts.len(), 2, "{typical:?}");
    assert_eq!(typical.tx_hashes.len(), 1, "{typical:?}");
    assert_eq!(typical.addresses.len(), 1, "{typical:?}");
    // "昨天14:58", "今天", "yesterday at 14:58", "today".
    assert_eq!(typical.times.len(), 4, "{typical:?}");

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    group.bench_function("typical_1KiB", |b| {
        b.iter(|| extractor.extract(black_box(TYPICAL), received_at(), zone))
    });
    for (name, body) in hostile() {
        let out = extractor.extract(&body, received_at(), zone);
        // Every list stays bounded, whatever the body holds.
        let most = paydiag::triage::extract::MAX_ITEMS;
        assert!(
            out.amounts.len() <= most && out.times.len() <= most,
            "{name}"
        );
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(format!("hostile_64KiB/{name}"), |b| {
            b.iter(|| extractor.extract(black_box(&body), received_at(), zone))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_extract
}
criterion_main!(benches);
