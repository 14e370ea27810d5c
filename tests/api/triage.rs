//! TriageTicket's refusals and its answers to hostile text, over gRPC. What tickets are
//! understood to say and where they go is the corpus's (`corpus.rs`).

use crate::helpers::{spawn_app, violated_fields};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use tonic::Code;

fn ticket(body: &str) -> pb::TriageTicketRequest {
    pb::TriageTicketRequest {
        ticket_id: "T-1".into(),
        body: body.into(),
        received_at: Some(timestamp(crate::helpers::t0())),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_bad_ticket_is_refused_naming_every_bad_field() {
    let mut app = spawn_app().await;
    let cases: Vec<(pb::TriageTicketRequest, Vec<&str>)> = vec![
        (
            pb::TriageTicketRequest {
                ticket_id: String::new(),
                ..ticket("where is my money")
            },
            vec!["ticket_id"],
        ),
        (
            pb::TriageTicketRequest {
                subject: "x".repeat(32 * 1024),
                ..ticket(&"y".repeat(32 * 1024 + 1))
            },
            vec!["body"],
        ),
        (
            pb::TriageTicketRequest {
                time_zone: "Mars/Olympus_Mons".into(),
                account_id: " acct-1".into(),
                ..ticket("where is my money")
            },
            vec!["account_id", "time_zone"],
        ),
        (
            pb::TriageTicketRequest {
                subject: "line\nbreak".into(),
                ..ticket("ok")
            },
            vec!["subject"],
        ),
    ];
    for (request, fields) in cases {
        let refused = app
            .diagnosis
            .triage_ticket(request)
            .await
            .expect_err("refused");
        assert_eq!(refused.code(), Code::InvalidArgument, "{refused:?}");
        crate::helpers::assert_reason(&refused, "INVALID_FIELD");
        let mut named = violated_fields(&refused);
        named.sort();
        assert_eq!(named, fields, "{refused:?}");
    }
    // Exactly 64 KiB of subject and body together is accepted.
    let full = pb::TriageTicketRequest {
        subject: "x".repeat(32 * 1024),
        ..ticket(&"y".repeat(32 * 1024))
    };
    let accepted = app.diagnosis.triage_ticket(full).await.expect("64 KiB");
    assert_eq!(accepted.get_ref().disposition(), pb::Disposition::NeedsInfo);
}

#[tokio::test]
async fn hostile_text_gives_an_empty_extraction_and_asks_the_customer() {
    let mut app = spawn_app().await;
    let hostile = [
        "7".repeat(64 * 1024 - 1),
        "0x".repeat(32 * 1024 - 1),
        format!("deposit {} USDT", "9".repeat(400)),
        "5月5月5月5月".repeat(3000),
        "\u{202e}\u{200b}\u{2066}".repeat(5000),
    ];
    for body in hostile {
        let answer = app
            .diagnosis
            .triage_ticket(ticket(&body))
            .await
            .expect("answered")
            .into_inner();
        let x = answer.extraction.clone().unwrap_or_default();
        let found = x.references.len()
            + x.tx_hashes.len()
            + x.addresses.len()
            + x.amounts.len()
            + x.networks.len()
            + x.memos.len();
        assert_eq!(found, 0, "{:?}", &body[..40.min(body.len())]);
        assert_eq!(answer.disposition(), pb::Disposition::NeedsInfo);
        assert!(answer.candidates.is_empty());
        assert!(!answer.reply.is_empty());
    }
}

#[tokio::test]
async fn an_unknown_locale_is_english_and_chinese_text_defaults_to_shanghai_and_chinese() {
    let mut app = spawn_app().await;
    let english = app
        .diagnosis
        .triage_ticket(pb::TriageTicketRequest {
            locale: "xx-YY".into(),
            ..ticket("paid yesterday at 3pm")
        })
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(
        (english.locale.as_str(), english.time_zone.as_str()),
        ("en", "UTC")
    );
    let times = english.extraction.unwrap_or_default().times;
    assert_eq!(times.len(), 1);
    // 15:00 UTC the day before 2026-11-22T10:00:00Z.
    assert_eq!(times[0].at, Some(timestamp(crate::helpers::at(-19 * 60))));

    let chinese = app
        .diagnosis
        .triage_ticket(ticket("昨天下午3点付的钱"))
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(
        (chinese.locale.as_str(), chinese.time_zone.as_str()),
        ("zh-CN", "Asia/Shanghai")
    );
    let times = chinese.extraction.unwrap_or_default().times;
    // 15:00 in Shanghai is 07:00 UTC.
    assert_eq!(times[0].at, Some(timestamp(crate::helpers::at(-27 * 60))));
    assert!(chinese.reply.starts_with("您好"), "{}", chinese.reply);
}

#[tokio::test]
async fn a_tickets_times_are_read_in_the_zone_of_its_language_whatever_the_reply_is_written_in() {
    let mut app = spawn_app().await;
    let in_locale = |body: &str, locale: &str| pb::TriageTicketRequest {
        locale: locale.into(),
        ..ticket(body)
    };
    // (body, locale asked for) → (locale, zone, the one time the text names, in minutes from t0):
    // 15:00 yesterday is 07:00 UTC in Shanghai and Taipei, 15:00 UTC in UTC.
    let table = [
        ("昨天下午3点付的钱", "en", ("en", "Asia/Shanghai", -27 * 60)),
        (
            "昨天下午3點付的錢",
            "zh-TW",
            ("zh-Hant", "Asia/Taipei", -27 * 60),
        ),
        ("paid yesterday at 3pm", "zh-CN", ("zh-CN", "UTC", -19 * 60)),
    ];
    for (body, locale, (tag, zone, minutes)) in table {
        let answer = app
            .diagnosis
            .triage_ticket(in_locale(body, locale))
            .await
            .expect("answered")
            .into_inner();
        assert_eq!(
            (answer.locale.as_str(), answer.time_zone.as_str()),
            (tag, zone),
            "{body}"
        );
        let times = answer.extraction.unwrap_or_default().times;
        assert_eq!(times.len(), 1, "{body}");
        assert_eq!(times[0].at, Some(timestamp(crate::helpers::at(minutes))));
    }
}

#[tokio::test]
async fn a_ticket_in_traditional_characters_is_answered_in_traditional_chinese_in_taiwan_time() {
    let mut app = spawn_app().await;
    let answer = app
        .diagnosis
        .triage_ticket(ticket("我的出金還沒到帳，請幫我查一下"))
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(
        (answer.locale.as_str(), answer.time_zone.as_str()),
        ("zh-Hant", "Asia/Taipei")
    );
    assert_eq!(answer.disposition(), pb::Disposition::NeedsInfo);
    assert_eq!(
        answer.reply,
        "您好：\n\n\
         感謝您與我們聯絡。我們目前查不到您詢問的這筆付款，為了盡快協助您確認，請回覆以下資料：\n\
         - 這筆付款的訂單編號或TxID（交易雜湊值）\n\
         - 付款的日期與時間\n\
         - 付款金額及幣別\n\
         - 使用的網路（例如TRC20、ERC20、BEP20），若為銀行轉帳請註明轉帳方式\n\
         - 錢包或網路銀行中這筆付款的截圖\n\
         收到後我們會立即查詢，並告知您這筆付款的最新進度。\n\n\
         如還有任何疑問，直接回覆這封信即可，我們會繼續為您處理。"
    );
}
