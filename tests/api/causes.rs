//! The causes a support desk meets besides the classic delays, over real gRPC on every store
//! (SQLite in `tests/api`, PostgreSQL in `tests/postgres.rs`), each check handed a fresh, empty
//! server: each cause's facts go in through `FactService` as a caller sends them, come back as
//! stored, and come out of `Diagnose` with its cause, action, times and texts in both locales.
//! Facts the API refuses name their fields and store nothing.

#![allow(dead_code)]

use crate::helpers::{TestApp, at, transaction, violations};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use tonic::Code;

/// Every check of this file, against apps from `$spawn`, with the attributes given after it.
#[macro_export]
macro_rules! every_cause_check {
    ($spawn:expr) => {
        $crate::every_cause_check!($spawn;);
    };
    ($spawn:expr; $(#[$attr:meta])*) => {
        $crate::store_checks!(causes; $spawn; $(#[$attr])*
            a_deposit_of_an_asset_its_network_does_not_take_needs_a_recovery_request,
            a_deposit_below_its_networks_minimum_is_not_credited_and_goes_to_support,
            a_withdrawal_under_a_security_hold_waits_for_its_end_as_the_hold_stood_then,
            a_security_hold_must_be_a_restriction_with_an_end,
            a_withdrawal_waiting_for_confirmation_is_stored_found_and_diagnosed_until_it_lapses,
            a_confirmation_names_each_bad_part_and_stores_nothing,
            a_deposit_held_for_information_is_stored_found_and_diagnosed_from_when_it_was_asked,
            an_information_request_names_each_bad_part_and_stores_nothing,
            a_sepa_transfer_replayed_over_easter_counts_neither_holiday,
            a_payment_the_card_issuer_declined_sends_the_customer_to_their_bank,
        );
    };
}

/// `reference` diagnosed at `as_of` in `locale`.
async fn diagnose_in(
    app: &mut TestApp,
    reference: &str,
    as_of: chrono::DateTime<chrono::Utc>,
    locale: &str,
) -> pb::Diagnosis {
    app.diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: reference.into(),
            as_of: Some(timestamp(as_of)),
            locale: locale.into(),
            ..Default::default()
        })
        .await
        .expect("diagnose")
        .into_inner()
}

/// The evidence `key` of the finding of `rule`.
fn evidence<'d>(d: &'d pb::Diagnosis, rule: &str, key: &str) -> Option<&'d str> {
    let finding = d.findings.iter().find(|f| f.rule == rule)?;
    finding.evidence.get(key).map(String::as_str)
}

/// A deposit of `amount` `asset` on `network` that arrived at `t0` plus two minutes.
fn deposit(reference: &str, network: &str, asset: &str, amount: &str) -> pb::Transaction {
    pb::Transaction {
        kind: pb::TransactionKind::Deposit.into(),
        network: network.into(),
        asset: asset.into(),
        amount: amount.into(),
        status: pb::TransactionStatus::Completed.into(),
        confirmations: 12,
        completed_at: Some(timestamp(at(2))),
        ..transaction(reference)
    }
}

pub async fn a_deposit_of_an_asset_its_network_does_not_take_needs_a_recovery_request(
    app: &mut TestApp,
) {
    app.put_transaction(deposit("DEP-USDC-TRON", "tron", "usdc", "200"))
        .await;

    let en = diagnose_in(app, "DEP-USDC-TRON", at(5), "en").await;
    let zh = diagnose_in(app, "DEP-USDC-TRON", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::UnsupportedAsset);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::RequestRecovery);
        assert_eq!(
            evidence(d, "unsupported_asset", "supported_assets"),
            Some("TRX,USDT")
        );
    }
    assert_eq!(
        en.customer_message,
        "Your deposit of 200 USDC was sent on TRON, where we do not support USDC, so it could not \
         be credited automatically. Please submit a recovery request in the app with the \
         transaction hash (TxID); we will let you know whether it can be recovered. Our team will answer your request within 1–5 business days."
    );
    assert_eq!(
        zh.customer_message,
        "由于我们暂不支持通过TRON网络充值USDC，您的这笔200 USDC充值未能自动到账。\
         请在App内提交找回申请并附上交易哈希（TxID），我们会告知您能否找回。\
         客服将在1–5个工作日内处理您的申请并回复您。"
    );
}

pub async fn a_deposit_below_its_networks_minimum_is_not_credited_and_goes_to_support(
    app: &mut TestApp,
) {
    app.put_transaction(deposit("DEP-DUST", "eth", "usdt", "9.5"))
        .await;

    let en = diagnose_in(app, "DEP-DUST", at(5), "en").await;
    let zh = diagnose_in(app, "DEP-DUST", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::BelowMinimum);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::ContactSupport);
        assert_eq!((step.recheck_at, step.expected_resolution_at), (None, None));
        assert_eq!(evidence(d, "below_minimum", "min_deposit"), Some("10"));
        assert_eq!(evidence(d, "below_minimum", "amount"), Some("9.5"));
    }
    assert_eq!(
        en.customer_message,
        "Your deposit of 9.5 USDT is below the minimum deposit of 10 USDT on ETH, so it could \
         not be credited automatically. Please contact support with the transaction hash (TxID), \
         and we will check whether it can be recovered. Our team will reply in the in-app chat within 10 minutes."
    );
    assert_eq!(
        zh.customer_message,
        "由于您充值的9.5 USDT低于ETH网络的最低充值金额（10 USDT），这笔充值未能自动到账。\
         请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。\
         客服将在10分钟内通过App在线客服回复您。"
    );
    // The same deposit at the minimum is credited.
    app.put_transaction(deposit("DEP-DUST", "eth", "usdt", "10.00"))
        .await;
    let credited = diagnose_in(app, "DEP-DUST", at(5), "en").await;
    assert_eq!(credited.cause(), pb::Cause::NoIncident);
}

/// A security hold on `acct-0000012345`'s withdrawals after `trigger`, from `from` until `until`
/// (minutes after `t0`).
fn hold(trigger: pb::FreezeReason, from: i64, until: i64) -> pb::AccountStatus {
    pb::AccountStatus {
        account_id: transaction("x").account_id,
        state: pb::AccountState::Restricted.into(),
        reason: trigger.into(),
        restricted_kinds: vec![pb::TransactionKind::Withdrawal.into()],
        effective_from: Some(timestamp(at(from))),
        effective_until: Some(timestamp(at(until))),
        note: "reset from a new IP after a SIM swap report".into(),
    }
}

async fn put_status(app: &mut TestApp, status: pb::AccountStatus) -> Result<(), tonic::Status> {
    app.facts
        .put_account_status(pb::PutAccountStatusRequest {
            account_status: Some(status),
        })
        .await
        .map(drop)
}

pub async fn a_withdrawal_under_a_security_hold_waits_for_its_end_as_the_hold_stood_then(
    app: &mut TestApp,
) {
    app.put_transaction(transaction("WD-HELD")).await;
    let day = 24 * 60;
    put_status(app, hold(pb::FreezeReason::PasswordReset, -60, day - 60))
        .await
        .expect("hold stored");
    // Support lifts it early, half an hour after the withdrawal.
    put_status(
        app,
        pb::AccountStatus {
            state: pb::AccountState::Active.into(),
            reason: 0,
            restricted_kinds: Vec::new(),
            effective_from: Some(timestamp(at(30))),
            effective_until: None,
            note: String::new(),
            ..hold(pb::FreezeReason::PasswordReset, 0, 1)
        },
    )
    .await
    .expect("lift stored");

    let en = diagnose_in(app, "WD-HELD", at(5), "en").await;
    let zh = diagnose_in(app, "WD-HELD", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::SecurityHold);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::Wait);
        assert_eq!(step.expected_resolution_at, Some(timestamp(at(day - 60))));
        assert_eq!(step.recheck_at, step.expected_resolution_at);
        assert_eq!(
            evidence(d, "security_hold", "reason"),
            Some("password_reset")
        );
    }
    assert_eq!(
        en.customer_message,
        "For your security, withdrawals from your account are paused until 23 November 2026, 09:00 UTC \
         after a recent change to your account's security settings. Your withdrawal will continue \
         by itself once the pause ends; you do not need to do anything. If you did not make this \
         change, please contact support right away."
    );
    assert!(
        zh.customer_message.starts_with(
            "由于您的账户近期变更了安全设置，为保障您的资金安全，您的账户提现功能将暂停至"
        ),
        "{}",
        zh.customer_message
    );
    assert!(
        zh.customer_message.ends_with(
            "届时您的这笔提现会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。"
        ),
        "{}",
        zh.customer_message
    );
    // Once lifted, nothing holds it: 35 minutes on ETH where 2 min 24 s is expected.
    let lifted = diagnose_in(app, "WD-HELD", at(35), "en").await;
    assert_eq!(lifted.cause(), pb::Cause::ConfirmationStalled);
}

pub async fn a_security_hold_must_be_a_restriction_with_an_end(app: &mut TestApp) {
    let frozen_for_good = pb::AccountStatus {
        state: pb::AccountState::Frozen.into(),
        restricted_kinds: Vec::new(),
        effective_until: None,
        ..hold(pb::FreezeReason::NewDevice, 0, 60)
    };

    let refused = put_status(app, frozen_for_good)
        .await
        .expect_err("a hold that never ends");

    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(
        violations(&refused),
        [
            (
                "account_status.state".to_owned(),
                "must be ACCOUNT_STATE_RESTRICTED when the reason is a security hold".to_owned()
            ),
            (
                "account_status.effective_until".to_owned(),
                "is required when the reason is a security hold: the hold ends then".to_owned()
            ),
        ]
    );
    // Nothing of it was stored: the account's withdrawal is not held.
    app.put_transaction(transaction("WD-FREE")).await;
    let d = app.diagnose_at("WD-FREE", at(1)).await;
    assert_eq!(d.cause(), pb::Cause::ConfirmationDelay);
}

/// A withdrawal of 250 USDT on ETH, created at `t0`, waiting for the customer to confirm it by
/// `method` until `lapses` minutes after `t0`.
fn awaiting(reference: &str, method: pb::ConfirmationMethod, lapses: i64) -> pb::Transaction {
    pb::Transaction {
        amount: "250".into(),
        status: pb::TransactionStatus::Pending.into(),
        confirmations: 0,
        customer_confirmation: Some(pb::CustomerConfirmation {
            method: method.into(),
            expires_at: Some(timestamp(at(lapses))),
        }),
        ..transaction(reference)
    }
}

pub async fn a_withdrawal_waiting_for_confirmation_is_stored_found_and_diagnosed_until_it_lapses(
    app: &mut TestApp,
) {
    let sent = awaiting("WD-CONFIRM", pb::ConfirmationMethod::Email, 30);
    let stored = app.put_transaction(sent.clone()).await;
    assert_eq!(stored.customer_confirmation, sent.customer_confirmation);
    let found = app
        .facts
        .search_transactions(pb::SearchTransactionsRequest {
            account_id: sent.account_id.clone(),
            ..Default::default()
        })
        .await
        .expect("search")
        .into_inner();
    assert_eq!(found.transactions, [stored]);

    let en = diagnose_in(app, "WD-CONFIRM", at(5), "en").await;
    let zh = diagnose_in(app, "WD-CONFIRM", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::AwaitingCustomerConfirmation);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::ConfirmRequest);
        assert_eq!(step.recheck_at, Some(timestamp(at(30))));
        assert_eq!(step.expected_resolution_at, None);
        assert_eq!(
            evidence(d, "awaiting_customer_confirmation", "confirmation_method"),
            Some("email")
        );
        assert_eq!(
            evidence(
                d,
                "awaiting_customer_confirmation",
                "confirmation_expires_at"
            ),
            Some("2026-11-22T10:30:00Z")
        );
    }
    assert_eq!(
        en.customer_message,
        "Your withdrawal of 250 USDT is waiting for your confirmation. Please confirm it with the \
         link in the e-mail we sent you before 22 November 2026, 10:30 UTC. Until then nothing is sent; \
         if it is not confirmed by then, the request is cancelled and you will need to submit it \
         again."
    );
    assert!(
        zh.customer_message
            .starts_with("您的250 USDT提现申请正在等待您确认。请在"),
        "{}",
        zh.customer_message
    );
    assert!(
        zh.customer_message.ends_with(
            "前点击我们发送给您的邮件中的确认链接完成确认。确认前资金不会发出；\
             逾期未确认，该申请将自动取消，需要重新提交。"
        ),
        "{}",
        zh.customer_message
    );

    // Unconfirmed past its expiry, the request is void: it is made again.
    let lapsed = diagnose_in(app, "WD-CONFIRM", at(31), "en").await;
    assert_eq!(lapsed.cause(), pb::Cause::AwaitingCustomerConfirmation);
    let step = lapsed.next_step.expect("step");
    assert_eq!(step.action(), pb::Action::CorrectAndRetry);
    assert_eq!((step.recheck_at, step.expected_resolution_at), (None, None));

    // Confirmed and sent, the platform records it without the confirmation.
    app.put_transaction(pb::Transaction {
        status: pb::TransactionStatus::Confirming.into(),
        customer_confirmation: None,
        updated_at: Some(timestamp(at(6))),
        ..sent
    })
    .await;
    let confirmed = diagnose_in(app, "WD-CONFIRM", at(7), "en").await;
    assert_eq!(confirmed.cause(), pb::Cause::ConfirmationDelay);
}

pub async fn a_confirmation_names_each_bad_part_and_stores_nothing(app: &mut TestApp) {
    let refused = |t: pb::Transaction| {
        let mut facts = app.facts.clone();
        async move {
            facts
                .put_transaction(pb::PutTransactionRequest {
                    transaction: Some(t),
                })
                .await
                .expect_err("refused")
        }
    };
    let good = awaiting("WD-BAD", pb::ConfirmationMethod::TwoFactor, 30);
    let cases = [
        (
            pb::Transaction {
                kind: pb::TransactionKind::Deposit.into(),
                ..good.clone()
            },
            vec![(
                "transaction.customer_confirmation",
                "is not allowed on a deposit: only what the customer sends out is confirmed",
            )],
        ),
        (
            pb::Transaction {
                status: pb::TransactionStatus::Confirming.into(),
                ..good.clone()
            },
            vec![(
                "transaction.customer_confirmation",
                "is only allowed when status is TRANSACTION_STATUS_PENDING",
            )],
        ),
        (
            pb::Transaction {
                customer_confirmation: Some(pb::CustomerConfirmation {
                    method: 0,
                    expires_at: Some(timestamp(at(-1))),
                }),
                ..good.clone()
            },
            vec![
                (
                    "transaction.customer_confirmation.method",
                    "is required (must not be *_UNSPECIFIED)",
                ),
                (
                    "transaction.customer_confirmation.expires_at",
                    "must be after created_at",
                ),
            ],
        ),
        (
            pb::Transaction {
                customer_confirmation: Some(pb::CustomerConfirmation {
                    method: 9,
                    expires_at: None,
                }),
                ..good.clone()
            },
            vec![
                (
                    "transaction.customer_confirmation.method",
                    "unknown enum value 9",
                ),
                (
                    "transaction.customer_confirmation.expires_at",
                    "is required",
                ),
            ],
        ),
    ];
    for (bad, expected) in cases {
        let status = refused(bad).await;
        assert_eq!(status.code(), Code::InvalidArgument);
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, d)| (f.to_owned(), d.to_owned()))
            .collect();
        assert_eq!(violations(&status), expected);
    }
    // Nothing of them was stored.
    let d = diagnose_in(app, "WD-BAD", at(1), "en").await;
    assert_eq!(d.cause(), pb::Cause::NotFound);
}

/// A deposit of 12,000 USDT on TRON, created at `t0`, confirming, held from `asked` minutes after
/// `t0` for `items`.
fn held_for(reference: &str, items: &[pb::RequestedInformation], asked: i64) -> pb::Transaction {
    pb::Transaction {
        kind: pb::TransactionKind::Deposit.into(),
        network: "TRON".into(),
        amount: "12000".into(),
        confirmations: 19,
        updated_at: Some(timestamp(at(1))),
        information_request: Some(pb::InformationRequest {
            items: items.iter().map(|i| (*i).into()).collect(),
            requested_at: Some(timestamp(at(asked))),
        }),
        ..transaction(reference)
    }
}

pub async fn a_deposit_held_for_information_is_stored_found_and_diagnosed_from_when_it_was_asked(
    app: &mut TestApp,
) {
    let items = [
        pb::RequestedInformation::OriginatorDetails,
        pb::RequestedInformation::SourceOfFunds,
    ];
    let sent = held_for("DEP-HELD", &items, 3);
    let stored = app.put_transaction(sent.clone()).await;
    assert_eq!(stored.information_request, sent.information_request);
    let found = app
        .facts
        .search_transactions(pb::SearchTransactionsRequest {
            account_id: sent.account_id.clone(),
            ..Default::default()
        })
        .await
        .expect("search")
        .into_inner();
    assert_eq!(found.transactions, [stored]);

    let en = diagnose_in(app, "DEP-HELD", at(5), "en").await;
    let zh = diagnose_in(app, "DEP-HELD", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::InformationRequired);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::ProvideInformation);
        assert_eq!((step.recheck_at, step.expected_resolution_at), (None, None));
        assert_eq!(
            evidence(d, "information_required", "requested_information"),
            Some("originator_details,source_of_funds")
        );
    }
    assert_eq!(
        en.customer_message,
        "Your deposit of 12000 USDT is on hold because we need some information from you. Please \
         open the request we sent you in the app or by e-mail and complete it; your deposit will \
         continue once we have it."
    );
    assert_eq!(
        zh.customer_message,
        "由于我们需要您补充一些信息，您的12000 USDT充值暂未处理。请在App内或通过我们发送给您的\
         邮件打开信息补充请求并填写完整，我们收到后会继续为您处理这笔充值。"
    );
    // The agent is told what is asked for, and not to say why.
    let summary = en.next_step.expect("step").summary;
    assert!(
        summary.starts_with(
            "Ask the customer to provide the details of who sent the funds (travel rule); proof \
             of the source of funds through the request in the app"
        ),
        "{summary}"
    );
    // As of a moment before it was asked for, the deposit was not held for it.
    let before = diagnose_in(app, "DEP-HELD", at(2), "en").await;
    assert_eq!(before.cause(), pb::Cause::ConfirmationDelay);
}

pub async fn an_information_request_names_each_bad_part_and_stores_nothing(app: &mut TestApp) {
    use pb::RequestedInformation as R;
    let good = held_for("DEP-BAD", &[R::SourceOfFunds], 3);
    let with_request = |items: Vec<i32>, asked: Option<i64>| pb::Transaction {
        information_request: Some(pb::InformationRequest {
            items,
            requested_at: asked.map(|m| timestamp(at(m))),
        }),
        ..good.clone()
    };
    let cases = [
        (
            pb::Transaction {
                status: pb::TransactionStatus::Completed.into(),
                completed_at: Some(timestamp(at(4))),
                ..good.clone()
            },
            vec![(
                "transaction.information_request",
                "is only allowed while the transaction is in flight (TRANSACTION_STATUS_PENDING \
                 or TRANSACTION_STATUS_CONFIRMING)",
            )],
        ),
        (
            with_request(Vec::new(), None),
            vec![
                (
                    "transaction.information_request.items",
                    "must name at least one item asked for",
                ),
                (
                    "transaction.information_request.requested_at",
                    "is required",
                ),
            ],
        ),
        (
            with_request(
                vec![R::SourceOfFunds.into(), 7, R::SourceOfFunds.into()],
                Some(-1),
            ),
            vec![
                (
                    "transaction.information_request.items[1]",
                    "unknown enum value 7",
                ),
                ("transaction.information_request.items[2]", "is named twice"),
                (
                    "transaction.information_request.requested_at",
                    "must not be before created_at",
                ),
            ],
        ),
    ];
    for (bad, expected) in cases {
        let status = app
            .facts
            .put_transaction(pb::PutTransactionRequest {
                transaction: Some(bad),
            })
            .await
            .expect_err("refused");
        assert_eq!(status.code(), Code::InvalidArgument);
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, d)| (f.to_owned(), d.to_owned()))
            .collect();
        assert_eq!(violations(&status), expected);
    }
    let d = diagnose_in(app, "DEP-BAD", at(5), "en").await;
    assert_eq!(d.cause(), pb::Cause::NotFound);
}

/// A moment of 2026 (UTC), written `"04-02T16:00"`.
fn in_2026(moment: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-{moment}:00Z"))
        .expect("a moment")
        .to_utc()
}

pub async fn a_sepa_transfer_replayed_over_easter_counts_neither_holiday(app: &mut TestApp) {
    app.put_transaction(pb::Transaction {
        kind: pb::TransactionKind::Transfer.into(),
        network: "sepa".into(),
        asset: "eur".into(),
        destination: "DE89 3704 0044 0532 0130 00".into(),
        status: pb::TransactionStatus::Pending.into(),
        confirmations: 0,
        // Maundy Thursday, 16:00: one business day later is Tuesday, after Good Friday and
        // Easter Monday.
        created_at: Some(timestamp(in_2026("04-02T16:00"))),
        ..transaction("TR-EASTER")
    })
    .await;
    let tuesday = Some(timestamp(in_2026("04-07T16:00")));

    for as_of in ["04-02T17:00", "04-03T12:00", "04-06T23:59"] {
        let d = diagnose_in(app, "TR-EASTER", in_2026(as_of), "en").await;
        assert_eq!(d.cause(), pb::Cause::ConfirmationDelay, "{as_of}");
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.expected_resolution_at, tuesday, "{as_of}");
        assert_eq!(
            evidence(&d, "confirmation_delay", "holidays_skipped"),
            Some("2026-04-03,2026-04-06")
        );
        // Replayed as of the holidays, the wait stopped when Good Friday began.
        if as_of != "04-02T17:00" {
            assert_eq!(
                evidence(&d, "confirmation_delay", "waiting"),
                Some("28800s")
            );
        }
    }
    let en = diagnose_in(app, "TR-EASTER", in_2026("04-02T17:00"), "en").await;
    assert_eq!(
        en.customer_message,
        "Your transfer of 100.50 EUR is being processed by SEPA. We expect it to complete by \
         7 April 2026, 16:00 UTC."
    );
    // Two business days after it was sent, it has stalled.
    let stalled = diagnose_in(app, "TR-EASTER", in_2026("04-08T16:00"), "en").await;
    assert_eq!(stalled.cause(), pb::Cause::ConfirmationStalled);
}

pub async fn a_payment_the_card_issuer_declined_sends_the_customer_to_their_bank(
    app: &mut TestApp,
) {
    let sent = pb::Transaction {
        kind: pb::TransactionKind::Payment.into(),
        network: "CARD".into(),
        asset: "EUR".into(),
        amount: "89.90".into(),
        destination: String::new(),
        status: pb::TransactionStatus::Failed.into(),
        failure_reason: pb::FailureReason::IssuerDeclined.into(),
        confirmations: 0,
        ..transaction("PAY-DECLINED")
    };
    let stored = app.put_transaction(sent.clone()).await;
    assert_eq!(stored.failure_reason(), pb::FailureReason::IssuerDeclined);

    let en = diagnose_in(app, "PAY-DECLINED", at(5), "en").await;
    let zh = diagnose_in(app, "PAY-DECLINED", at(5), "zh-CN").await;

    for d in [&en, &zh] {
        assert_eq!(d.cause(), pb::Cause::Rejected);
        let step = d.next_step.as_ref().expect("step");
        assert_eq!(step.action(), pb::Action::CorrectAndRetry);
        assert_eq!(
            evidence(d, "rejected", "failure_reason"),
            Some("issuer_declined")
        );
        let summary = d.transaction.as_ref().expect("summary");
        assert_eq!(summary.failure_reason(), pb::FailureReason::IssuerDeclined);
    }
    assert_eq!(
        en.customer_message,
        "Your payment was declined by your bank or card issuer. Please ask your bank why, or try \
         again with another card or account."
    );
    assert_eq!(
        zh.customer_message,
        "您的付款被您的银行或发卡行拒绝。请联系您的银行了解原因，或更换其他银行卡、账户后重试。"
    );
}
