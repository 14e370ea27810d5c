//! Finding a transaction from what a customer quotes, and never telling one customer about
//! another's account: checks over real gRPC that run on every store (SQLite in `tests/api`,
//! PostgreSQL in `tests/postgres.rs`), each handed a fresh, empty server.

#![allow(dead_code)]

use crate::helpers::{TestApp, at, t0, transaction};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};

/// The hash `TX-HASHED` is stored with (mixed case, with `0x`).
pub const STORED_HASH: &str = "0x9F2C4E8B1D7A6F3E5C0B9A8D7E6F5A4B3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E8F";
/// The account `transaction()` belongs to.
pub const OWNER: &str = "acct-0000012345";

/// Every check of this file, against apps from `$spawn`, with the attributes given after it.
#[macro_export]
macro_rules! every_lookup_check {
    ($spawn:expr) => {
        $crate::every_lookup_check!($spawn;);
    };
    ($spawn:expr; $(#[$attr:meta])*) => {
        $crate::store_checks!(lookup_checks; $spawn; $(#[$attr])*
            a_pasted_transaction_hash_finds_the_transaction_and_says_so,
            the_summary_carries_the_transactions_facts_with_the_account_masked,
            a_claimed_hash_that_differs_from_the_record_is_a_mismatch_naming_both,
            another_accounts_transaction_is_told_to_the_customer_as_an_unknown_reference,
            the_requesters_own_transaction_is_diagnosed_as_usual,
            a_batch_withholds_each_item_of_another_account,
            an_accounts_transactions_come_newest_first_a_page_at_a_time,
            every_filter_narrows_the_search,
            amount_bounds_skip_transactions_without_losing_any_across_pages,
            a_search_without_a_key_filter_or_with_a_foreign_token_is_refused,
            networks_are_listed_with_their_names_times_congestion_and_windows,
            every_ticket_of_the_corpus_is_understood_and_sent_where_it_belongs,
        );
    };
}

async fn diagnose(app: &mut TestApp, request: pb::DiagnoseRequest) -> pb::Diagnosis {
    app.diagnosis
        .diagnose(request)
        .await
        .expect("diagnose")
        .into_inner()
}

fn request(reference: &str) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference: reference.into(),
        as_of: Some(timestamp(at(1))),
        ..Default::default()
    }
}

async fn put_hashed(app: &mut TestApp) {
    app.put_transaction(pb::Transaction {
        tx_hash: STORED_HASH.into(),
        ..transaction("TX-HASHED")
    })
    .await;
}

fn evidence<'a>(d: &'a pb::Diagnosis, rule: &str, key: &str) -> Option<&'a str> {
    d.findings
        .iter()
        .find(|f| f.rule == rule)
        .and_then(|f| f.evidence.get(key))
        .map(String::as_str)
}

pub async fn a_pasted_transaction_hash_finds_the_transaction_and_says_so(app: &mut TestApp) {
    put_hashed(app).await;
    let lower = STORED_HASH.to_lowercase();
    for quoted in [&lower[2..], STORED_HASH, &format!("  {lower}  ")] {
        let d = diagnose(app, request(quoted)).await;
        assert_eq!(d.matched_by(), pb::MatchKind::TxHash, "{quoted}");
        assert_eq!(d.cause(), pb::Cause::ConfirmationDelay, "{quoted}");
        let tx = d.transaction.expect("a transaction summary");
        assert_eq!(tx.reference, "TX-HASHED");
        assert_eq!(tx.tx_hash, STORED_HASH);
        assert_eq!(
            evidence_of_hash(app, quoted).await,
            Some(STORED_HASH.to_owned())
        );
    }
    let by_reference = diagnose(app, request("TX-HASHED")).await;
    assert_eq!(by_reference.matched_by(), pb::MatchKind::Reference);
    let unknown = diagnose(app, request(&lower[..60])).await;
    assert_eq!(unknown.matched_by(), pb::MatchKind::None);
    assert_eq!(unknown.cause(), pb::Cause::NotFound);
    assert_eq!(unknown.transaction, None);
}

async fn evidence_of_hash(app: &mut TestApp, quoted: &str) -> Option<String> {
    let d = diagnose(app, request(quoted)).await;
    evidence(&d, "not_found", "tx_hash").map(str::to_owned)
}

pub async fn the_summary_carries_the_transactions_facts_with_the_account_masked(app: &mut TestApp) {
    put_hashed(app).await;
    let d = diagnose(app, request("TX-HASHED")).await;
    let expected = pb::TransactionSummary {
        reference: "TX-HASHED".into(),
        tx_hash: STORED_HASH.into(),
        kind: pb::TransactionKind::Withdrawal.into(),
        status: pb::TransactionStatus::Confirming.into(),
        network: "ETH".into(),
        asset: "USDT".into(),
        amount: "100.50".into(),
        created_at: Some(timestamp(t0())),
        completed_at: None,
        confirmations: 3,
        // The ETH policy's number, as the transaction sets none.
        required_confirmations: 12,
        account_id_masked: "ac****45".into(),
        failure_reason: pb::FailureReason::Unspecified.into(),
    };
    assert_eq!(d.transaction, Some(expected));
}

pub async fn a_claimed_hash_that_differs_from_the_record_is_a_mismatch_naming_both(
    app: &mut TestApp,
) {
    put_hashed(app).await;
    let claimed = "0x1111111111111111111111111111111111111111111111111111111111111111";
    let mut asked = request("TX-HASHED");
    asked.claim = Some(pb::Claim {
        tx_hash: claimed.into(),
        ..Default::default()
    });
    let d = diagnose(app, asked.clone()).await;
    assert_eq!(d.cause(), pb::Cause::InputMismatch);
    assert_eq!(
        d.next_step.as_ref().map(|s| s.action()),
        Some(pb::Action::CheckReference)
    );
    assert_eq!(
        evidence(&d, "input_mismatch", "claimed.tx_hash"),
        Some(claimed)
    );
    assert_eq!(
        evidence(&d, "input_mismatch", "recorded.tx_hash"),
        Some(STORED_HASH)
    );
    // The customer text does not spell out the recorded hash.
    assert!(
        !d.customer_message.contains(&STORED_HASH[4..60]),
        "{}",
        d.customer_message
    );
    // The same hash written another way is no mismatch.
    asked.claim = Some(pb::Claim {
        tx_hash: STORED_HASH[2..].to_lowercase(),
        ..Default::default()
    });
    let same = diagnose(app, asked).await;
    assert_eq!(same.cause(), pb::Cause::ConfirmationDelay);
}

pub async fn another_accounts_transaction_is_told_to_the_customer_as_an_unknown_reference(
    app: &mut TestApp,
) {
    put_hashed(app).await;
    // The owner is frozen for a reason never to be disclosed.
    app.facts
        .put_account_status(pb::PutAccountStatusRequest {
            account_status: Some(pb::AccountStatus {
                account_id: OWNER.into(),
                state: pb::AccountState::Frozen.into(),
                reason: pb::FreezeReason::ComplianceReview.into(),
                effective_from: Some(timestamp(at(-60))),
                note: "internal: case 4411".into(),
                ..Default::default()
            }),
        })
        .await
        .expect("put status");
    for quoted in ["TX-HASHED", STORED_HASH] {
        let mut asked = request(quoted);
        asked.requester_account_id = "acct-0000099999".into();
        let withheld = diagnose(app, asked).await;
        let unknown = diagnose(app, request("TX-NEVER-SEEN")).await;

        assert_eq!(withheld.cause(), pb::Cause::NotFound, "{quoted}");
        assert_eq!(withheld.contributing_causes, unknown.contributing_causes);
        assert_eq!(
            withheld.next_step.as_ref().map(|s| s.action()),
            Some(pb::Action::CheckReference)
        );
        assert_eq!(
            withheld.customer_message,
            unknown
                .customer_message
                .replace("TX-NEVER-SEEN", quoted.trim())
        );
        assert_eq!(withheld.matched_by(), pb::MatchKind::None);
        assert_eq!(withheld.transaction, None);
        let ownership = withheld
            .findings
            .iter()
            .find(|f| f.rule == "ownership")
            .expect("an ownership finding");
        assert_eq!(ownership.outcome(), pb::FindingOutcome::NotMatched);
        assert_eq!(ownership.cause(), pb::Cause::Unspecified);
        assert_eq!(
            ownership.evidence.get("owner").map(String::as_str),
            Some("ac****45")
        );
        let everything = format!("{withheld:?}");
        for secret in [OWNER, "case 4411", "COMPLIANCE"] {
            assert!(!everything.contains(secret), "{secret} in {everything}");
        }
        let frozen = withheld
            .findings
            .iter()
            .find(|f| f.rule == "account_frozen");
        assert_eq!(
            frozen.map(|f| f.outcome()),
            Some(pb::FindingOutcome::NotApplicable)
        );
    }
}

pub async fn the_requesters_own_transaction_is_diagnosed_as_usual(app: &mut TestApp) {
    put_hashed(app).await;
    let mut asked = request(STORED_HASH);
    asked.requester_account_id = OWNER.into();
    let own = diagnose(app, asked).await;
    assert_eq!(own.cause(), pb::Cause::ConfirmationDelay);
    assert_eq!(own.matched_by(), pb::MatchKind::TxHash);
    let ownership = own.findings.iter().find(|f| f.rule == "ownership");
    assert_eq!(
        ownership.map(|f| f.outcome()),
        Some(pb::FindingOutcome::Matched)
    );
    // Without a requester there is no ownership finding at all.
    let unchecked = diagnose(app, request(STORED_HASH)).await;
    assert!(unchecked.findings.iter().all(|f| f.rule != "ownership"));
}

pub async fn a_batch_withholds_each_item_of_another_account(app: &mut TestApp) {
    put_hashed(app).await;
    let item = |requester: &str| pb::DiagnoseRequest {
        requester_account_id: requester.into(),
        ..request("TX-HASHED")
    };
    let batch = pb::BatchDiagnoseRequest {
        requests: vec![item(OWNER), item("acct-0000099999"), item("")],
    };
    let results = app
        .diagnosis
        .batch_diagnose(batch)
        .await
        .expect("batch")
        .into_inner()
        .results;
    let causes: Vec<pb::Cause> = results
        .iter()
        .map(|r| match &r.result {
            Some(pb::batch_diagnose_result::Result::Diagnosis(d)) => d.cause(),
            other => panic!("not a diagnosis: {other:?}"),
        })
        .collect();
    assert_eq!(
        causes,
        [
            pb::Cause::ConfirmationDelay,
            pb::Cause::NotFound,
            pb::Cause::ConfirmationDelay
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// SearchTransactions
// ---------------------------------------------------------------------------------------------

/// Seven transactions of `OWNER` an hour apart (TX-S0 oldest … TX-S6 newest) on TRON and ETH,
/// amounts 100 to 700, and one of another account.
async fn put_history(app: &mut TestApp) {
    for i in 0..7i64 {
        let (network, kind, status) = match i % 3 {
            0 => (
                "TRON",
                pb::TransactionKind::Deposit,
                pb::TransactionStatus::Completed,
            ),
            1 => (
                "ETH",
                pb::TransactionKind::Withdrawal,
                pb::TransactionStatus::Pending,
            ),
            _ => (
                "TRON",
                pb::TransactionKind::Withdrawal,
                pb::TransactionStatus::Confirming,
            ),
        };
        let completed = status == pb::TransactionStatus::Completed;
        app.put_transaction(pb::Transaction {
            network: network.into(),
            kind: kind.into(),
            status: status.into(),
            amount: format!("{}00", i + 1),
            tx_hash: format!("{:064x}", i + 1),
            destination: format!("0xAbCd{i:036}"),
            created_at: Some(timestamp(at(60 * i))),
            completed_at: completed.then(|| timestamp(at(60 * i + 5))),
            ..transaction(&format!("TX-S{i}"))
        })
        .await;
    }
    app.put_transaction(pb::Transaction {
        account_id: "acct-0000099999".into(),
        ..transaction("TX-OTHER")
    })
    .await;
}

async fn search(
    app: &mut TestApp,
    request: pb::SearchTransactionsRequest,
) -> Result<pb::SearchTransactionsResponse, tonic::Status> {
    app.facts
        .search_transactions(request)
        .await
        .map(tonic::Response::into_inner)
}

fn references(page: &pb::SearchTransactionsResponse) -> Vec<&str> {
    page.transactions
        .iter()
        .map(|t| t.reference.as_str())
        .collect()
}

pub async fn an_accounts_transactions_come_newest_first_a_page_at_a_time(app: &mut TestApp) {
    put_history(app).await;
    let mut request = pb::SearchTransactionsRequest {
        account_id: OWNER.into(),
        page_size: 3,
        ..Default::default()
    };
    let mut pages = Vec::new();
    loop {
        let page = search(app, request.clone()).await.expect("search");
        pages.push(references(&page).join(","));
        if page.next_page_token.is_empty() {
            break;
        }
        request.page_token = page.next_page_token;
    }
    assert_eq!(
        pages,
        ["TX-S6,TX-S5,TX-S4", "TX-S3,TX-S2,TX-S1", "TX-S0"],
        "every transaction once, the other account's never"
    );
    // A page that ends exactly at the last transaction says there is no next one.
    let whole = search(
        app,
        pb::SearchTransactionsRequest {
            account_id: OWNER.into(),
            page_size: 7,
            ..Default::default()
        },
    )
    .await
    .expect("search");
    assert_eq!(whole.transactions.len(), 7);
    assert_eq!(whole.next_page_token, "");
    assert_eq!(whole.transactions[0].tx_hash, format!("{:064x}", 7));
}

pub async fn every_filter_narrows_the_search(app: &mut TestApp) {
    put_history(app).await;
    let by_account = |f: fn(&mut pb::SearchTransactionsRequest)| {
        let mut request = pb::SearchTransactionsRequest {
            account_id: OWNER.into(),
            ..Default::default()
        };
        f(&mut request);
        request
    };
    let cases: Vec<(pb::SearchTransactionsRequest, &str)> = vec![
        (
            by_account(|r| r.networks = vec!["trc20".into()]),
            "TX-S6,TX-S5,TX-S3,TX-S2,TX-S0",
        ),
        (
            by_account(|r| r.kinds = vec![pb::TransactionKind::Deposit.into()]),
            "TX-S6,TX-S3,TX-S0",
        ),
        (
            by_account(|r| {
                r.statuses = vec![
                    pb::TransactionStatus::Pending.into(),
                    pb::TransactionStatus::Confirming.into(),
                ]
            }),
            "TX-S5,TX-S4,TX-S2,TX-S1",
        ),
        (
            by_account(|r| r.asset = "usdt".into()),
            "TX-S6,TX-S5,TX-S4,TX-S3,TX-S2,TX-S1,TX-S0",
        ),
        (by_account(|r| r.asset = "BTC".into()), ""),
        (
            by_account(|r| {
                r.amount_min = "200".into();
                r.amount_max = "400.00".into();
            }),
            "TX-S3,TX-S2,TX-S1",
        ),
        (
            by_account(|r| {
                r.created_after = Some(timestamp(at(60)));
                r.created_before = Some(timestamp(at(180)));
            }),
            "TX-S2,TX-S1",
        ),
        (
            pb::SearchTransactionsRequest {
                tx_hash: format!("0X{:064X}", 3),
                ..Default::default()
            },
            "TX-S2",
        ),
        (
            pb::SearchTransactionsRequest {
                destination: format!("0xabcd {:036}", 4),
                ..Default::default()
            },
            "TX-S4",
        ),
    ];
    for (request, expected) in cases {
        let page = search(app, request.clone()).await.expect("search");
        assert_eq!(references(&page).join(","), expected, "{request:?}");
    }
}

pub async fn amount_bounds_skip_transactions_without_losing_any_across_pages(app: &mut TestApp) {
    put_history(app).await;
    let mut request = pb::SearchTransactionsRequest {
        account_id: OWNER.into(),
        amount_min: "150".into(),
        page_size: 2,
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = search(app, request.clone()).await.expect("search");
        seen.extend(references(&page).iter().map(|r| r.to_string()));
        if page.next_page_token.is_empty() {
            break;
        }
        request.page_token = page.next_page_token;
    }
    assert_eq!(seen, ["TX-S6", "TX-S5", "TX-S4", "TX-S3", "TX-S2", "TX-S1"]);
}

pub async fn a_search_without_a_key_filter_or_with_a_foreign_token_is_refused(app: &mut TestApp) {
    put_history(app).await;
    let field_of = |status: tonic::Status| {
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
        crate::helpers::assert_reason(&status, "INVALID_FIELD");
        crate::helpers::violated_fields(&status)
    };
    let unkeyed = pb::SearchTransactionsRequest {
        asset: "USDT".into(),
        ..Default::default()
    };
    let refused = search(app, unkeyed).await.expect_err("no key");
    assert_eq!(field_of(refused), ["account_id"]);

    let first = pb::SearchTransactionsRequest {
        account_id: OWNER.into(),
        page_size: 2,
        ..Default::default()
    };
    let page = search(app, first.clone()).await.expect("search");
    let other_filters = pb::SearchTransactionsRequest {
        asset: "USDT".into(),
        page_token: page.next_page_token.clone(),
        ..first.clone()
    };
    let refused = search(app, other_filters).await.expect_err("foreign token");
    assert_eq!(field_of(refused), ["page_token"]);
    // The page size may change between pages.
    let bigger = pb::SearchTransactionsRequest {
        page_size: 10,
        page_token: page.next_page_token,
        ..first.clone()
    };
    let rest = search(app, bigger).await.expect("search");
    assert_eq!(
        references(&rest),
        ["TX-S4", "TX-S3", "TX-S2", "TX-S1", "TX-S0"]
    );

    for (request, field) in [
        (
            pb::SearchTransactionsRequest {
                page_size: 501,
                ..first.clone()
            },
            "page_size",
        ),
        (
            pb::SearchTransactionsRequest {
                page_size: -1,
                ..first.clone()
            },
            "page_size",
        ),
        (
            pb::SearchTransactionsRequest {
                amount_min: "1e3".into(),
                ..first.clone()
            },
            "amount_min",
        ),
        (
            pb::SearchTransactionsRequest {
                kinds: vec![0],
                ..first.clone()
            },
            "kinds[0]",
        ),
        (
            pb::SearchTransactionsRequest {
                networks: vec!["TR ON".into()],
                ..first.clone()
            },
            "networks[0]",
        ),
        (
            pb::SearchTransactionsRequest {
                page_token: "zz".into(),
                ..first.clone()
            },
            "page_token",
        ),
    ] {
        let refused = search(app, request).await.expect_err(field);
        assert_eq!(field_of(refused), [field]);
    }
}

// ---------------------------------------------------------------------------------------------
// ListNetworks
// ---------------------------------------------------------------------------------------------

async fn put_window(app: &mut TestApp, id: &str, network: &str, from: i64, to: Option<i64>) {
    app.facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(pb::MaintenanceWindow {
                id: id.into(),
                network: network.into(),
                r#type: pb::MaintenanceType::Scheduled.into(),
                starts_at: Some(timestamp(at(from))),
                ends_at: to.map(|m| timestamp(at(m))),
                title: format!("{id} title"),
                ..Default::default()
            }),
        })
        .await
        .expect("put window");
}

async fn put_condition(app: &mut TestApp, network: &str, minutes: i64, factor: f64) {
    app.facts
        .put_network_condition(pb::PutNetworkConditionRequest {
            network_condition: Some(pb::NetworkCondition {
                network: network.into(),
                congestion_factor: factor,
                observed_at: Some(timestamp(at(minutes))),
            }),
        })
        .await
        .expect("put condition");
}

pub async fn networks_are_listed_with_their_names_times_congestion_and_windows(app: &mut TestApp) {
    put_window(app, "tron-now", "TRON", -30, None).await;
    put_window(app, "btc-tomorrow", "BTC", 24 * 60, Some(25 * 60)).await;
    put_window(app, "eth-yesterday", "ETH", -26 * 60, Some(-25 * 60)).await;
    put_window(app, "all-later", "*", 120, Some(180)).await;
    put_condition(app, "ETH", -10, 2.5).await;
    put_condition(app, "ETH", 30, 9.0).await; // after as_of: not yet observed
    put_condition(app, "BSC", -120, 3.0).await; // older than the 1 h freshness limit

    let listed = app
        .diagnosis
        .list_networks(pb::ListNetworksRequest {
            as_of: Some(timestamp(t0())),
        })
        .await
        .expect("list networks")
        .into_inner();

    let codes: Vec<&str> = listed.networks.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "BSC", "BTC", "CARD", "ETH", "INTERNAL", "SEPA", "SOL", "SWIFT", "TON", "TRON", "XLM",
            "XRP"
        ]
    );
    let network = |code: &str| {
        listed
            .networks
            .iter()
            .find(|n| n.code == code)
            .unwrap_or_else(|| panic!("{code} listed"))
            .clone()
    };
    let windows = |n: &pb::Network| -> Vec<String> {
        n.maintenance_windows.iter().map(|w| w.id.clone()).collect()
    };
    let tron = network("TRON");
    assert!(
        tron.aliases.contains(&"TRC20".to_owned()),
        "{:?}",
        tron.aliases
    );
    assert_eq!(tron.kind(), pb::NetworkKind::Chain);
    assert_eq!(tron.required_confirmations, 19);
    assert_eq!(
        tron.expected_time,
        Some(prost_types::Duration {
            seconds: 57,
            nanos: 0
        })
    );
    assert!(tron.held_up);
    assert_eq!(windows(&tron), ["tron-now", "all-later"]);
    let btc = network("BTC");
    assert!(!btc.held_up, "announced, not started");
    assert_eq!(windows(&btc), ["all-later", "btc-tomorrow"]);
    let eth = network("ETH");
    assert_eq!(windows(&eth), ["all-later"], "the cleared window is gone");
    assert_eq!(eth.congestion_factor, 2.5);
    assert_eq!(eth.congestion_observed_at, Some(timestamp(at(-10))));
    let bsc = network("BSC");
    assert_eq!(bsc.congestion_factor, 1.0);
    assert_eq!(bsc.congestion_observed_at, None);
    let sepa = network("SEPA");
    assert_eq!(sepa.kind(), pb::NetworkKind::Rail);
    assert!(sepa.business_days);
    assert_eq!(
        sepa.expected_time,
        Some(prost_types::Duration {
            seconds: 86_400,
            nanos: 0
        })
    );
    assert_eq!(sepa.holidays.len(), 18, "TARGET2's, 2025 to 2027");
    assert_eq!(sepa.holidays[..2], ["2025-01-01", "2025-04-18"]);
    assert_eq!(sepa.assets, ["EUR"]);
    assert!(network("SWIFT").holidays.is_empty());
    assert_eq!(tron.assets, ["TRX", "USDT"]);
    assert_eq!(
        network("ETH").min_deposits,
        [("ETH", "0.005"), ("USDT", "10")]
            .map(|(a, m)| (a.to_owned(), m.to_owned()))
            .into()
    );
    assert!(
        network("INTERNAL").assets.is_empty(),
        "every asset is taken"
    );
    assert!(network("XRP").memo_required);
    assert_eq!(listed.as_of, Some(timestamp(t0())));
}

// ---------------------------------------------------------------------------------------------
// TriageTicket: the corpus
// ---------------------------------------------------------------------------------------------

pub async fn every_ticket_of_the_corpus_is_understood_and_sent_where_it_belongs(app: &mut TestApp) {
    crate::corpus::import_facts(app).await;
    assert!(
        crate::corpus::tickets().len() >= 60,
        "the corpus holds at least 60 tickets"
    );
    let differences = crate::corpus::differences(app).await;
    assert!(
        differences.is_empty(),
        "tickets triaged otherwise than expected:\n{differences}"
    );
}
