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

/// Runs each named check against a fresh app from `$spawn` (an expression giving a future of
/// `(TestApp, guard)`, the guard kept until the check ends), with the attributes given after it.
#[macro_export]
macro_rules! lookup_checks {
    ($spawn:expr; $(#[$attr:meta])* $($check:ident),+ $(,)?) => {
        $crate::lookup_checks!(@each [$(#[$attr])*] $spawn; $($check),+);
    };
    // `$attrs` is the bracketed attribute list, passed whole into each check's repetition.
    (@each $attrs:tt $spawn:expr; $($check:ident),+) => {$(
        $crate::lookup_checks!(@one $attrs $spawn; $check);
    )+};
    (@one [$(#[$attr:meta])*] $spawn:expr; $check:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])*
        async fn $check() {
            let (mut app, _guard) = $spawn.await;
            $crate::lookup_checks::$check(&mut app).await;
        }
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
