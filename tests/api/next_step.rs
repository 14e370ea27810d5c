//! The next step on the wire: who acts, what support needs from the customer, where and how soon
//! the customer hears back, and the customer message saying so.

use crate::helpers::{at, spawn_app, t0, transaction};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};

/// An XRP deposit that arrived without the tag its shared address needs: it credits nobody.
fn untagged_xrp_deposit(reference: &str) -> pb::Transaction {
    pb::Transaction {
        kind: pb::TransactionKind::Deposit.into(),
        network: "xrp".into(),
        asset: "xrp".into(),
        destination: "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe".into(),
        status: pb::TransactionStatus::Completed.into(),
        confirmations: 1,
        completed_at: Some(timestamp(at(1))),
        ..transaction(reference)
    }
}

fn duration(seconds: i64) -> Option<prost_types::Duration> {
    Some(prost_types::Duration { seconds, nanos: 0 })
}

fn evidence(step: &pb::NextStep) -> Vec<pb::EvidenceItem> {
    step.required_evidence().collect()
}

#[tokio::test]
async fn a_recovery_is_supports_and_tells_the_customer_how_soon_in_their_language() {
    let mut app = spawn_app().await;
    app.put_transaction(untagged_xrp_deposit("DEP-XRP-NOTAG"))
        .await;
    let request = |locale: &str| pb::DiagnoseRequest {
        reference: "DEP-XRP-NOTAG".into(),
        as_of: Some(timestamp(at(5))),
        locale: locale.into(),
        view: pb::DiagnosisView::Basic.into(),
        ..Default::default()
    };

    let en = app.diagnosis.diagnose(request("en")).await.expect("en");
    let zh = app.diagnosis.diagnose(request("zh-CN")).await.expect("zh");
    let (en, zh) = (en.into_inner(), zh.into_inner());

    assert_eq!(en.cause(), pb::Cause::InputMismatch);
    let step = en.next_step.clone().expect("next step");
    assert_eq!(step.action(), pb::Action::RequestRecovery);
    assert_eq!(step.actor(), pb::Actor::Support);
    assert_eq!(
        evidence(&step),
        [
            pb::EvidenceItem::TxHash,
            pb::EvidenceItem::DestinationAddress,
            pb::EvidenceItem::Memo,
            pb::EvidenceItem::PaymentScreenshot,
        ]
    );
    assert_eq!(step.channel(), pb::Channel::InAppForm);
    assert_eq!(
        step.expected_response,
        Some(pb::ResponseTime {
            min: duration(86_400),
            max: duration(5 * 86_400),
            business_days: true,
        })
    );
    // Only the agent's summary is in the caller's language; the codes are the same.
    let zh_step = zh.next_step.clone().expect("zh next step");
    assert_eq!(
        zh_step,
        pb::NextStep {
            summary: zh_step.summary.clone(),
            ..step
        }
    );
    assert_eq!(
        en.customer_message,
        "Your deposit was sent with details that differ from what was required (memo/tag: \
         required on this network, but none was sent), so it could not be credited \
         automatically. Please submit a recovery request in the app. Our team will answer your \
         request within 1–5 business days."
    );
    assert_eq!(
        zh.customer_message,
        "由于您的充值发送时填写的信息与要求不符（Memo/标签：该网络必须填写，但您未填写），款项无法\
         自动到账。请在App内提交找回申请。客服将在1–5个工作日内处理您的申请并回复您。"
    );
}

#[tokio::test]
async fn an_unknown_reference_asks_the_customer_for_proof_and_names_the_chat_without_a_promise() {
    let mut app = spawn_app().await;

    let d = app.diagnose_at("DEP-NEVER-SEEN", t0()).await;

    assert_eq!(d.cause(), pb::Cause::NotFound);
    let step = d.next_step.expect("next step");
    assert_eq!(step.action(), pb::Action::CheckReference);
    assert_eq!(step.actor(), pb::Actor::Customer);
    // Nothing says which rail it went over: the network, and a screenshot as proof.
    assert_eq!(
        evidence(&step),
        [
            pb::EvidenceItem::Network,
            pb::EvidenceItem::PaymentScreenshot,
            pb::EvidenceItem::PaymentTime,
            pb::EvidenceItem::Amount,
        ]
    );
    assert_eq!(step.channel(), pb::Channel::InAppChat);
    assert_eq!(
        step.expected_response,
        Some(pb::ResponseTime {
            min: duration(0),
            max: duration(600),
            business_days: false,
        })
    );
    // The customer acts first: no answer is promised yet.
    assert_eq!(
        d.customer_message,
        "We could not find a payment with reference DEP-NEVER-SEEN. Please check the reference. \
         If money has left your bank account or wallet, contact support with proof of payment (a \
         bank statement or transaction hash)."
    );
}

#[tokio::test]
async fn a_wait_needs_nobody_nothing_and_no_channel() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("WD-CONFIRMING")).await;

    let d = app.diagnose_at("WD-CONFIRMING", at(1)).await;

    let step = d.next_step.expect("next step");
    assert_eq!(step.action(), pb::Action::Wait);
    assert_eq!(step.actor(), pb::Actor::None);
    assert_eq!(evidence(&step), []);
    assert_eq!(step.channel(), pb::Channel::Unspecified);
    assert_eq!(step.expected_response, None);
}
