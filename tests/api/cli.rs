use crate::helpers::{spawn_app, t0};
use paydiag::{api::fact_codec::timestamp, pb::v1 as pb};
use std::process::Command;

fn paydiag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paydiag"))
        .args(args)
        .output()
        .expect("run paydiag")
}

#[tokio::test]
async fn import_streams_an_ndjson_file_and_diagnose_prints_protobuf_json() {
    let mut app = spawn_app().await;
    let dir = tempfile::TempDir::new().expect("dir");
    let file = dir.path().join("facts.ndjson");
    std::fs::write(
        &file,
        concat!(
            r#"{"transaction":{"reference":"CLI-1","accountId":"acct-cli-000001","kind":"TRANSACTION_KIND_DEPOSIT","network":"BTC","asset":"BTC","amount":"0.015","status":"TRANSACTION_STATUS_COMPLETED","createdAt":"2026-11-22T09:00:00Z","completedAt":"2026-11-22T09:40:00Z"}}"#,
            "\n",
            "this is not json\n",
            r#"{"networkCondition":{"network":"BTC","congestionFactor":1.5,"observedAt":"2026-11-22T09:30:00Z"}}"#,
            "\n",
        ),
    )
    .expect("write");
    let server = app.addr.to_string();

    let import = tokio::task::spawn_blocking({
        let (file, server) = (file.clone(), server.clone());
        move || paydiag(&["import", file.to_str().expect("path"), "--server", &server])
    })
    .await
    .expect("import");
    let diagnose = tokio::task::spawn_blocking(move || {
        paydiag(&[
            "diagnose",
            "CLI-1",
            "--server",
            &server,
            "--as-of",
            "2026-11-22T10:00:00Z",
            "--locale",
            "zh-CN",
        ])
    })
    .await
    .expect("diagnose");

    assert_eq!(
        import.status.code(),
        Some(2),
        "a partial import exits with 2"
    );
    let summary: serde_json::Value = serde_json::from_slice(&import.stdout).expect("import json");
    assert_eq!(summary["transactionsStored"], "1");
    assert_eq!(summary["networkConditionsStored"], "1");
    assert_eq!(summary["rejected"][0]["index"], "1");
    assert!(String::from_utf8_lossy(&import.stderr).contains("line 2"));

    assert!(
        diagnose.status.success(),
        "{}",
        String::from_utf8_lossy(&diagnose.stderr)
    );
    let diagnosis: serde_json::Value =
        serde_json::from_slice(&diagnose.stdout).expect("diagnosis json");
    assert_eq!(diagnosis["cause"], "CAUSE_NO_INCIDENT");
    assert_eq!(diagnosis["locale"], "zh-CN");
    assert_eq!(diagnosis["asOf"], "2026-11-22T10:00:00Z");
    let d = app
        .diagnosis
        .diagnose(pb::DiagnoseRequest {
            reference: "CLI-1".into(),
            as_of: Some(timestamp(t0())),
            ..Default::default()
        })
        .await
        .expect("diagnose over gRPC")
        .into_inner();
    assert_eq!(d.cause(), pb::Cause::NoIncident);
}
