//! The demo data set as an agent meets it, over a real server: the answers agree with
//! themselves. DEMO-MISMATCH arrived but was not credited, so nothing calls it completed and no
//! incident is no cause beside the mismatch; DEMO-FROZEN is held by a freeze, so no finding
//! promises when it completes or says it waited 0 s. The demo is placed at `t0`, a Sunday, when
//! SEPA's business-day clock counts nothing.

use crate::helpers::{spawn_with_store, t0};
use paydiag::{api::fact_codec::timestamp, demo, pb::v1 as pb, store::FactStore};
use std::{collections::BTreeMap, sync::Arc};

/// A server holding the demo data set placed at `t0`.
async fn demo_app() -> crate::helpers::TestApp {
    let dir = tempfile::TempDir::new().expect("dir");
    let store = paydiag::store::sqlite::SqliteStore::open(&dir.path().join("demo.db"), 2)
        .await
        .expect("store");
    store
        .put_facts(demo::facts(t0()))
        .await
        .expect("demo facts");
    spawn_with_store(Arc::new(store), dir).await
}

/// `reference` diagnosed at `t0` in `locale`.
async fn diagnose(
    app: &mut crate::helpers::TestApp,
    reference: &str,
    locale: &str,
) -> pb::Diagnosis {
    app.diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: reference.into(),
            as_of: Some(timestamp(t0())),
            locale: locale.into(),
            ..Default::default()
        })
        .await
        .expect("diagnose")
        .into_inner()
}

/// The finding of `rule`.
fn finding<'d>(d: &'d pb::Diagnosis, rule: &str) -> &'d pb::Finding {
    d.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {d:?}"))
}

/// Every text of the diagnosis: the findings' details, the summary and the customer message.
fn texts(d: &pb::Diagnosis) -> Vec<&str> {
    let mut texts: Vec<&str> = d.findings.iter().map(|f| f.detail.as_str()).collect();
    texts.extend(d.next_step.iter().map(|s| s.summary.as_str()));
    texts.push(&d.customer_message);
    texts
}

fn evidence(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn demo_mismatch_arrived_without_its_tag_and_is_never_called_completed() {
    let mut app = demo_app().await;

    let d = diagnose(&mut app, "DEMO-MISMATCH", "en").await;
    assert_eq!(d.cause(), pb::Cause::InputMismatch);
    assert_eq!(d.contributing_causes, Vec::<i32>::new());
    assert_eq!(
        d.next_step.as_ref().map(|s| s.action()),
        Some(pb::Action::RequestRecovery)
    );
    let tx = d.transaction.as_ref().expect("the transaction");
    assert_eq!(tx.status(), pb::TransactionStatus::NotCredited);
    assert_eq!(tx.completed_at, None);
    let no_incident = finding(&d, "no_incident");
    assert_eq!(no_incident.outcome(), pb::FindingOutcome::NotMatched);
    assert_eq!(
        no_incident.detail,
        "The deposit of 300.00 XRP arrived on XRP at 22 November 2026, 09:21 UTC but was not credited to the customer's account."
    );
    assert_eq!(
        no_incident.evidence,
        evidence(&[("arrived_at", "2026-11-22T09:21:00Z")])
    );
    assert_eq!(
        d.customer_message,
        "Your deposit was sent with details that differ from what was required (memo/tag: 104729 was required, none was sent), so it could not be credited automatically. Please submit a recovery request in the app. Our team will answer your request within 1–5 business days."
    );
    for text in texts(&d) {
        assert!(!text.contains("complete"), "{text}");
    }

    let zh = diagnose(&mut app, "DEMO-MISMATCH", "zh-CN").await;
    assert_eq!(zh.contributing_causes, Vec::<i32>::new());
    assert_eq!(
        finding(&zh, "no_incident").detail,
        "这笔300.00 XRP充值已于北京时间 2026年11月22日 17:21到达XRP，但尚未给客户上账。"
    );
    for text in texts(&zh) {
        assert!(!text.contains("完成"), "{text}");
    }
}

#[tokio::test]
async fn demo_frozen_promises_no_completion_time_while_the_freeze_holds_it() {
    let mut app = demo_app().await;

    let d = diagnose(&mut app, "DEMO-FROZEN", "en").await;
    assert_eq!(d.cause(), pb::Cause::AccountFrozen);
    assert_eq!(
        d.contributing_causes().collect::<Vec<_>>(),
        [pb::Cause::ConfirmationDelay]
    );
    let step = d.next_step.as_ref().expect("next step");
    assert_eq!(step.action(), pb::Action::VerifyIdentity);
    assert_eq!(step.expected_resolution_at, None);
    assert_eq!(step.recheck_at, None);

    let held = [
        ("age", "900s"),
        ("business_days", "true"),
        ("congestion_factor", "1"),
        ("expected_time", "86400s"),
        ("held_by", "account_frozen"),
        ("held_since", "2026-11-22T09:45:00Z"),
        ("network", "SEPA"),
        ("policy", "SEPA"),
        ("processing_time", "86400s"),
        ("stall_after", "172800s"),
        ("stall_factor", "2"),
        ("waiting_counted_from", "hold_lifted"),
    ];
    let delay = finding(&d, "confirmation_delay");
    assert_eq!(delay.outcome(), pb::FindingOutcome::Matched);
    assert_eq!(
        delay.detail,
        "Processing on SEPA normally takes 1 d, counted once the hold is lifted: held by the account freeze since 22 November 2026, 09:45 UTC, so no completion time can be given."
    );
    assert_eq!(delay.evidence, evidence(&held));
    let stalled = finding(&d, "confirmation_stalled");
    assert_eq!(stalled.outcome(), pb::FindingOutcome::NotMatched);
    assert_eq!(
        stalled.detail,
        "Held by the account freeze since 22 November 2026, 09:45 UTC: waiting is not counted while the hold lasts, so it cannot stall before the hold is lifted."
    );
    assert_eq!(stalled.evidence, evidence(&held));
    for text in texts(&d) {
        assert!(!text.contains("Expected by"), "{text}");
        assert!(!text.contains(" 0 s"), "{text}");
    }

    let zh = diagnose(&mut app, "DEMO-FROZEN", "zh-CN").await;
    assert_eq!(
        zh.contributing_causes().collect::<Vec<_>>(),
        [pb::Cause::ConfirmationDelay]
    );
    assert_eq!(
        finding(&zh, "confirmation_delay").detail,
        "SEPA处理通常需要1天，从解除暂停后起算：自北京时间 2026年11月22日 17:45起因账户冻结暂停处理，因此无法给出完成时间。"
    );
    for text in texts(&zh) {
        assert!(!text.contains("预计"), "{text}");
        assert!(!text.contains("已等待0秒"), "{text}");
    }
}
