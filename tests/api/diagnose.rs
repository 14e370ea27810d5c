use crate::helpers::{
    assert_reason, at, error_metadata, metadata, spawn_app, status_of, t0, transaction,
};
use paydiag::{
    api::{MAX_BATCH, fact_codec::timestamp},
    pb::v1 as pb,
};

#[tokio::test]
async fn a_confirming_transaction_is_diagnosed_as_delayed_with_when_it_should_complete() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-DELAY")).await;

    let d = app.diagnose_at("TX-DELAY", at(1)).await;

    assert_eq!(d.cause(), pb::Cause::ConfirmationDelay);
    let step = d.next_step.expect("next step");
    assert_eq!(step.action(), pb::Action::Wait);
    // 9 confirmations of 12 remain at 12 s each from creation: 108 s after t0.
    assert_eq!(
        step.expected_resolution_at,
        Some(timestamp(t0() + chrono::TimeDelta::seconds(108)))
    );
    assert_eq!(
        step.recheck_at, step.expected_resolution_at,
        "recheck when it should be done"
    );
    assert_eq!(
        d.findings.len(),
        paydiag::engine::rules::RULES.len(),
        "one finding per rule"
    );
    let delay = d
        .findings
        .iter()
        .find(|f| f.rule == "confirmation_delay")
        .expect("delay finding");
    assert_eq!(delay.outcome(), pb::FindingOutcome::Matched);
    assert_eq!(
        delay.evidence.get("confirmations").map(String::as_str),
        Some("3")
    );
    assert_eq!(
        delay
            .evidence
            .get("required_confirmations")
            .map(String::as_str),
        Some("12")
    );
    assert!(
        d.ruleset_version.starts_with("2026.11+"),
        "{}",
        d.ruleset_version
    );
    assert_eq!(d.locale, "en");
}

#[tokio::test]
async fn an_unknown_reference_is_a_not_found_diagnosis_not_an_error() {
    let mut app = spawn_app().await;

    let d = app.diagnose_at("NO-SUCH-REF", t0()).await;

    assert_eq!(d.cause(), pb::Cause::NotFound);
    assert_eq!(
        d.next_step.expect("step").action(),
        pb::Action::CheckReference
    );
    assert!(d.customer_message.contains("NO-SUCH-REF"));
}

#[tokio::test]
async fn an_unknown_reference_paid_during_maintenance_on_the_claimed_network_is_maintenance() {
    let mut app = spawn_app().await;
    let window = pb::MaintenanceWindow {
        id: "tron-upgrade".into(),
        network: "TRON".into(),
        r#type: pb::MaintenanceType::Unplanned.into(),
        starts_at: Some(timestamp(at(-60))),
        ..Default::default()
    };
    app.facts
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .expect("put window");
    let claim = pb::Claim {
        network: "tron".into(),
        paid_at: Some(timestamp(at(-30))),
        ..Default::default()
    };

    let d = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "NEVER-ARRIVED".into(),
            as_of: Some(timestamp(t0())),
            claim: Some(claim),
            ..Default::default()
        })
        .await
        .expect("diagnose")
        .into_inner();

    assert_eq!(d.cause(), pb::Cause::Maintenance);
    assert_eq!(
        d.contributing_causes().collect::<Vec<_>>(),
        [pb::Cause::NotFound]
    );
    let step = d.next_step.expect("step");
    assert_eq!(step.action(), pb::Action::Wait);
    assert_eq!(
        step.expected_resolution_at, None,
        "an open-ended window has no known end"
    );
    assert_eq!(step.recheck_at, Some(timestamp(at(30))));

    // A name customers give the network (its token standard) is the network.
    let d = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "NEVER-ARRIVED".into(),
            as_of: Some(timestamp(t0())),
            claim: Some(pb::Claim {
                network: "TRC20".into(),
                paid_at: Some(timestamp(at(-30))),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .expect("diagnose")
        .into_inner();
    assert_eq!(d.cause(), pb::Cause::Maintenance);
}

#[tokio::test]
async fn account_status_history_is_replayed_as_of_the_evaluation_time() {
    let mut app = spawn_app().await;
    app.put_transaction(pb::Transaction {
        created_at: Some(timestamp(at(-10))),
        ..transaction("TX-FROZEN")
    })
    .await;
    for (state, reason, from) in [
        (
            pb::AccountState::Frozen,
            pb::FreezeReason::AbnormalLogin,
            at(-5),
        ),
        (
            pb::AccountState::Active,
            pb::FreezeReason::Unspecified,
            at(60),
        ),
    ] {
        let status = pb::AccountStatus {
            account_id: "acct-0000012345".into(),
            state: state.into(),
            reason: reason.into(),
            effective_from: Some(timestamp(from)),
            ..Default::default()
        };
        app.facts
            .put_account_status(pb::PutAccountStatusRequest {
                account_status: Some(status),
            })
            .await
            .expect("put status");
    }

    let during = app.diagnose_at("TX-FROZEN", at(30)).await;
    let after = app.diagnose_at("TX-FROZEN", at(61)).await;

    assert_eq!(during.cause(), pb::Cause::AccountFrozen);
    assert_eq!(
        during.next_step.expect("step").action(),
        pb::Action::SecureAccount
    );
    // The customer is told about their own account, by no id, masked or not.
    assert_eq!(
        during.customer_message,
        "Your withdrawal is on hold because we noticed an unusual sign-in to your account. \
         Please reset your password, turn on two-step verification, then verify your identity."
    );
    // Once the freeze is lifted, nothing but the network explains the wait, which is overdue.
    assert_eq!(after.cause(), pb::Cause::ConfirmationStalled);
}

#[tokio::test]
async fn a_claim_that_differs_from_the_record_is_an_input_mismatch_naming_both_values() {
    let mut app = spawn_app().await;
    app.put_transaction(pb::Transaction {
        status: pb::TransactionStatus::Completed.into(),
        completed_at: Some(timestamp(at(5))),
        ..transaction("TX-CLAIM")
    })
    .await;
    let claim = pb::Claim {
        amount: "100.5000".into(),
        asset: "USDC".into(),
        ..Default::default()
    };

    let d = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "TX-CLAIM".into(),
            as_of: Some(timestamp(at(10))),
            claim: Some(claim),
            ..Default::default()
        })
        .await
        .expect("diagnose")
        .into_inner();

    assert_eq!(d.cause(), pb::Cause::InputMismatch);
    // Completed, but no incident is never a cause beside another.
    assert_eq!(d.contributing_causes().collect::<Vec<_>>(), []);
    assert_eq!(
        d.next_step.expect("step").action(),
        pb::Action::CheckReference
    );
    let finding = d
        .findings
        .iter()
        .find(|f| f.rule == "input_mismatch")
        .expect("finding");
    // "100.5000" equals "100.50" as a decimal: only the asset differs.
    assert_eq!(
        finding
            .evidence
            .get("mismatched_fields")
            .map(String::as_str),
        Some("asset")
    );
    assert_eq!(
        finding.evidence.get("claimed.asset").map(String::as_str),
        Some("USDC")
    );
    assert_eq!(
        finding.evidence.get("recorded.asset").map(String::as_str),
        Some("USDT")
    );
}

#[tokio::test]
async fn texts_come_in_simplified_chinese_and_unknown_locales_fall_back_to_english() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-LOCALE")).await;
    let request = |locale: &str| pb::DiagnoseRequest {
        reference: "TX-LOCALE".into(),
        as_of: Some(timestamp(at(1))),
        locale: locale.into(),
        ..Default::default()
    };

    let zh = app
        .diagnosis
        .diagnose(request("zh_CN"))
        .await
        .expect("zh")
        .into_inner();
    let fr = app
        .diagnosis
        .diagnose(request("fr-FR"))
        .await
        .expect("fr")
        .into_inner();

    assert_eq!(zh.locale, "zh-CN");
    assert!(
        zh.customer_message.contains("确认"),
        "{}",
        zh.customer_message
    );
    assert!(zh.next_step.expect("step").summary.contains("请等待"));
    assert_eq!(fr.locale, "en");
    assert!(
        fr.customer_message.contains("confirmations"),
        "{}",
        fr.customer_message
    );
}

#[tokio::test]
async fn batch_results_come_back_in_request_order_and_a_bad_item_does_not_fail_the_batch() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-A")).await;
    let item = |reference: &str| pb::DiagnoseRequest {
        reference: reference.into(),
        as_of: Some(timestamp(at(1))),
        ..Default::default()
    };

    let response = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: vec![item("TX-A"), item(""), item("TX-MISSING")],
        })
        .await
        .expect("batch")
        .into_inner();

    use pb::batch_diagnose_result::Result as R;
    let results = response.results;
    assert_eq!(results.len(), 3);
    assert!(
        matches!(&results[0].result, Some(R::Diagnosis(d)) if d.cause() == pb::Cause::ConfirmationDelay)
    );
    let Some(R::Error(error)) = &results[1].result else {
        panic!("second item should fail: {:?}", results[1])
    };
    assert_eq!(error.code, tonic::Code::InvalidArgument as i32);
    let detail = error
        .details
        .iter()
        .find(|d| d.type_url.ends_with("google.rpc.BadRequest"))
        .expect("BadRequest detail");
    let bad_request =
        <tonic_types::pb::BadRequest as prost::Message>::decode(detail.value.as_slice())
            .expect("decode");
    assert_eq!(bad_request.field_violations[0].field, "reference");
    assert_reason(&status_of(error), "INVALID_FIELD");
    assert_eq!(
        error_metadata(&status_of(error)),
        metadata([("field", "reference")])
    );
    assert!(
        matches!(&results[2].result, Some(R::Diagnosis(d)) if d.cause() == pb::Cause::NotFound)
    );
    assert_eq!(results[2].reference, "TX-MISSING");
}

#[tokio::test]
async fn a_full_batch_answers_every_item_as_diagnose_would_in_request_order() {
    let mut app = spawn_app().await;
    for reference in ["TX-0", "TX-1", "TX-2"] {
        app.put_transaction(transaction(reference)).await;
    }
    // Three stored references, two unknown ones, and an invalid item every seventh.
    let items: Vec<pb::DiagnoseRequest> = (0..MAX_BATCH)
        .map(|i| pb::DiagnoseRequest {
            reference: if i % 7 == 3 {
                String::new()
            } else {
                format!("TX-{}", i % 5)
            },
            as_of: Some(timestamp(at(1))),
            ..Default::default()
        })
        .collect();
    let mut single = std::collections::HashMap::new();
    for item in items.iter().filter(|i| !i.reference.is_empty()) {
        if !single.contains_key(&item.reference) {
            let diagnosis = app
                .diagnosis
                .diagnose(item.clone())
                .await
                .expect("diagnose");
            single.insert(item.reference.clone(), diagnosis.into_inner());
        }
    }

    let results = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: items.clone(),
        })
        .await
        .expect("batch")
        .into_inner()
        .results;

    use pb::batch_diagnose_result::Result as R;
    assert_eq!(results.len(), MAX_BATCH);
    for (i, (item, result)) in items.iter().zip(&results).enumerate() {
        assert_eq!(result.reference, item.reference, "item {i}");
        match &result.result {
            Some(R::Diagnosis(d)) => assert_eq!(Some(d), single.get(&item.reference), "item {i}"),
            Some(R::Error(e)) => {
                assert!(item.reference.is_empty(), "item {i} failed: {e:?}");
                assert_eq!(e.code, tonic::Code::InvalidArgument as i32, "item {i}");
                assert_reason(&status_of(e), "INVALID_FIELD");
            }
            None => panic!("item {i} has no result"),
        }
    }
    let causes: std::collections::HashSet<_> = single.values().map(|d| d.cause()).collect();
    assert!(causes.len() >= 2, "the batch should mix causes: {causes:?}");
}

#[tokio::test]
async fn the_basic_view_is_the_full_diagnosis_without_its_findings_in_single_and_batch_calls() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-VIEW")).await;
    let request = |view: pb::DiagnosisView| pb::DiagnoseRequest {
        reference: "TX-VIEW".into(),
        as_of: Some(timestamp(at(1))),
        claim: Some(pb::Claim {
            amount: "1".into(),
            ..Default::default()
        }),
        view: view.into(),
        ..Default::default()
    };
    let mut diagnose = async |view| {
        app.diagnosis
            .diagnose(request(view))
            .await
            .expect("diagnosed")
            .into_inner()
    };

    let unset = diagnose(pb::DiagnosisView::Unspecified).await;
    let full = diagnose(pb::DiagnosisView::Full).await;
    let basic = diagnose(pb::DiagnosisView::Basic).await;

    assert_eq!(full, unset, "unset is the full view");
    assert_eq!(
        full.findings.len(),
        paydiag::engine::rules::RULES.len(),
        "{:?}",
        full.findings
    );
    assert!(basic.findings.is_empty(), "{:?}", basic.findings);
    assert_eq!(
        basic,
        pb::Diagnosis {
            findings: Vec::new(),
            ..full.clone()
        }
    );
    assert!(
        !basic.contributing_causes.is_empty(),
        "the claim mismatches"
    );

    let batch = app
        .diagnosis
        .batch_diagnose(pb::BatchDiagnoseRequest {
            requests: vec![
                request(pb::DiagnosisView::Basic),
                request(pb::DiagnosisView::Full),
            ],
        })
        .await
        .expect("batch")
        .into_inner();
    let answers: Vec<_> = batch
        .results
        .into_iter()
        .map(|r| match r.result {
            Some(pb::batch_diagnose_result::Result::Diagnosis(d)) => d,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(answers, [basic, full]);
}

#[tokio::test]
async fn a_claimed_network_is_read_through_the_names_customers_give_it() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-ERC20")).await;
    let diagnose = |network: &str| pb::DiagnoseRequest {
        reference: "TX-ERC20".into(),
        as_of: Some(timestamp(at(1))),
        claim: Some(pb::Claim {
            network: network.into(),
            ..Default::default()
        }),
        ..Default::default()
    };

    let erc20 = app
        .diagnosis
        .diagnose(diagnose("erc20"))
        .await
        .expect("diagnose")
        .into_inner();
    let bep20 = app
        .diagnosis
        .diagnose(diagnose("BEP20"))
        .await
        .expect("diagnose")
        .into_inner();

    assert_eq!(erc20.cause(), pb::Cause::ConfirmationDelay, "ERC20 is ETH");
    assert_eq!(bep20.cause(), pb::Cause::InputMismatch, "BEP20 is BSC");
    let finding = bep20
        .findings
        .iter()
        .find(|f| f.rule == "input_mismatch")
        .expect("finding");
    assert_eq!(
        finding.evidence.get("claimed.network").map(String::as_str),
        Some("BSC")
    );
}

#[tokio::test]
async fn moments_in_texts_are_in_the_readers_zone_written_natively_and_timestamps_stay_utc() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("TX-ZONE")).await;
    let diagnose = |locale: &str, time_zone: &str| pb::DiagnoseRequest {
        reference: "TX-ZONE".into(),
        as_of: Some(timestamp(at(1))),
        locale: locale.into(),
        time_zone: time_zone.into(),
        ..Default::default()
    };
    // Done 108 s after 10:00 UTC, promised to the minute: 10:02 UTC, 11:02 in Berlin, 18:02 in
    // Beijing, Taipei and Hong Kong. Without a zone, each locale's readers get the rules file's.
    #[rustfmt::skip]
    let table = [
        ("zh-CN", "", "zh-CN",
            "您的100.50 USDT提现正在等待ETH网络区块确认（3/12），预计于北京时间 2026年11月22日 18:02前到账。"),
        ("zh", "UTC", "zh-CN",
            "您的100.50 USDT提现正在等待ETH网络区块确认（3/12），预计于2026年11月22日 10:02（UTC）前到账。"),
        ("zh-Hant", "Asia/Hong_Kong", "zh-Hant",
            "您的100.50 USDT出金正在等待ETH網路區塊確認（3/12），預計於香港時間 2026年11月22日 18:02前入帳。"),
        ("zh-TW", "", "zh-Hant",
            "您的100.50 USDT出金正在等待ETH網路區塊確認（3/12），預計於台灣時間 2026年11月22日 18:02前入帳。"),
        ("zh-HK", "Europe/Berlin", "zh-Hant",
            "您的100.50 USDT出金正在等待ETH網路區塊確認（3/12），預計於2026年11月22日 11:02（UTC+1）前入帳。"),
        ("en", "", "en",
            "Your withdrawal of 100.50 USDT is waiting for network confirmations on ETH (3 of 12). \
             We expect it to complete by 22 November 2026, 10:02 UTC."),
        ("en", "Europe/Berlin", "en",
            "Your withdrawal of 100.50 USDT is waiting for network confirmations on ETH (3 of 12). \
             We expect it to complete by 22 November 2026, 11:02 CET."),
    ];
    for (locale, time_zone, tag, message) in table {
        let d = app
            .diagnosis
            .diagnose(diagnose(locale, time_zone))
            .await
            .expect("diagnose")
            .into_inner();
        assert_eq!(d.locale, tag, "{locale} in {time_zone:?}");
        assert_eq!(d.customer_message, message, "{locale} in {time_zone:?}");
        // Timestamps stay UTC, whatever the texts' zone.
        assert_eq!(
            d.next_step.and_then(|s| s.expected_resolution_at),
            Some(timestamp(t0() + chrono::TimeDelta::seconds(108))),
            "{locale} in {time_zone:?}"
        );
    }

    for locale in ["zh-CN", "en"] {
        let refused = app
            .diagnosis
            .diagnose(diagnose(locale, "Beijing"))
            .await
            .expect_err("an unknown zone");
        assert_eq!(refused.code(), tonic::Code::InvalidArgument);
        assert_eq!(crate::helpers::violated_fields(&refused), ["time_zone"]);
        assert_reason(&refused, "INVALID_FIELD");
    }
}
