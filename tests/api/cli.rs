use crate::helpers::{spawn_app, t0, transaction};
use paydiag::{api::fact_codec::timestamp, i18n::Catalog, pb::v1 as pb};
use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

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

/// `count` confirming transactions as NDJSON lines, then one the server rejects (its amount has
/// a comma) and a line that is not JSON.
fn import_file(dir: &Path, count: usize) -> PathBuf {
    let mut lines = String::new();
    for i in 0..count {
        lines.push_str(&format!(
            r#"{{"transaction":{{"reference":"BULK-{i:05}","accountId":"acct-bulk-{:04}","kind":"TRANSACTION_KIND_DEPOSIT","network":"TRON","asset":"USDT","amount":"{}.25","status":"TRANSACTION_STATUS_CONFIRMING","confirmations":3,"createdAt":"2026-11-22T09:00:00Z"}}}}"#,
            i % 100,
            i + 1
        ));
        lines.push('\n');
    }
    lines.push_str(r#"{"transaction":{"reference":"BULK-BAD","accountId":"acct-bulk-0001","kind":"TRANSACTION_KIND_DEPOSIT","network":"TRON","asset":"USDT","amount":"12,50","status":"TRANSACTION_STATUS_CONFIRMING","createdAt":"2026-11-22T09:00:00Z"}}"#);
    lines.push_str("\nnot json\n");
    let file = dir.join("bulk.ndjson");
    std::fs::write(&file, lines).expect("write");
    file
}

/// What the server answers for [`import_file`] of `count` transactions.
fn import_summary(count: usize) -> serde_json::Value {
    serde_json::json!({
        "transactionsStored": count.to_string(),
        "rejectedCount": "2",
        "rejected": [
            {
                "index": count.to_string(),
                "field": "transaction.amount",
                "reason": "must be written with digits and one optional \".\" only (no sign, \
                           exponent or digit separators), e.g. \"100.50\""
            },
            {
                "index": (count + 1).to_string(),
                "field": "fact",
                "reason": "is required: set one fact"
            }
        ]
    })
}

/// Enough lines for several updates of the progress display.
const BULK: usize = 3_000;

#[tokio::test]
async fn an_import_whose_stderr_is_not_a_terminal_prints_no_progress_only_the_summary() {
    let app = spawn_app().await;
    let dir = tempfile::TempDir::new().expect("dir");
    let file = import_file(dir.path(), BULK);
    let server = app.addr.to_string();

    let import = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_paydiag"))
            .args(["import", file.to_str().expect("path"), "--server", &server])
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .output()
            .expect("run paydiag import")
    })
    .await
    .expect("import");

    assert_eq!(import.status.code(), Some(2), "{import:?}");
    let summary: serde_json::Value = serde_json::from_slice(&import.stdout).expect("json");
    assert_eq!(summary, import_summary(BULK));
    // Only the unreadable line is reported: no progress, not even a carriage return.
    assert_eq!(
        String::from_utf8_lossy(&import.stderr),
        format!(
            "line {}: not an ImportFactsRequest: expected ident at line 1 column 2\n",
            BULK + 2
        )
    );
}

#[tokio::test]
async fn an_import_on_a_terminal_shows_its_progress_and_ends_with_what_was_stored() {
    let app = spawn_app().await;
    let dir = tempfile::TempDir::new().expect("dir");
    let file = import_file(dir.path(), BULK);
    let command = format!(
        "{} import {} --server {}",
        env!("CARGO_BIN_EXE_paydiag"),
        file.to_str().expect("path"),
        app.addr
    );

    // `script` runs the command on a terminal of its own and copies what it shows to stdout.
    let shown = tokio::task::spawn_blocking(move || {
        Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .output()
            .expect("run script (util-linux)")
    })
    .await
    .expect("import");

    assert_eq!(shown.status.code(), Some(2), "{shown:?}");
    let screen = String::from_utf8_lossy(&shown.stdout);
    // The display's last state, drawn whatever the timing; the summary follows on stdout.
    assert!(
        screen.contains("3,000 items stored, 2 rejected, in "),
        "{screen}"
    );
    let summary_start = screen.find('{').expect("the summary");
    let summary: serde_json::Value =
        serde_json::from_str(&screen[summary_start..].replace("\r\n", "\n")).expect("json");
    assert_eq!(summary, import_summary(BULK));
}

#[tokio::test]
async fn diagnose_asks_for_the_view_and_time_zone_given_and_takes_any_tag_of_a_locale() {
    let mut app = spawn_app().await;
    app.put_transaction(transaction("CLI-ZONE")).await;
    let server = app.addr.to_string();
    let diagnose = move |extra: &[&str]| {
        let mut args = vec!["diagnose", "CLI-ZONE", "--server", &server];
        args.extend(["--as-of", "2026-11-22T10:01:00Z"]);
        args.extend(extra);
        let output = paydiag(&args);
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("diagnosis json")
    };
    let (utc, shanghai, basic, chinese) = tokio::task::spawn_blocking(move || {
        (
            diagnose(&[]),
            diagnose(&["--time-zone", "Asia/Shanghai", "--view", "full"]),
            diagnose(&["--time-zone", "Asia/Shanghai", "--view", "basic"]),
            diagnose(&["--locale", "ZH_cn", "--view", "basic"]),
        )
    })
    .await
    .expect("diagnose");

    // Done 108 s after 10:00 UTC, promised to the minute: 10:02 UTC, 18:02 in Shanghai.
    let message = "Your withdrawal of 100.50 USDT is waiting for network confirmations on ETH (3 \
                   of 12). We expect it to complete by";
    assert_eq!(
        utc["customerMessage"],
        format!("{message} 22 November 2026, 10:02 UTC."),
        "{utc}"
    );
    assert_eq!(
        shanghai["customerMessage"],
        format!("{message} 22 November 2026, 18:02 Beijing time."),
        "{shanghai}"
    );
    assert_eq!(
        shanghai["nextStep"]["summary"],
        "Wait until 22 November 2026, 18:02 Beijing time: 3 of 12 confirmations so far."
    );
    // Timestamps stay UTC.
    for diagnosis in [&utc, &shanghai] {
        assert_eq!(
            diagnosis["nextStep"]["expectedResolutionAt"],
            "2026-11-22T10:01:48Z"
        );
    }
    // The basic view is the full one without its findings, one per rule.
    assert_eq!(
        shanghai["findings"].as_array().map(Vec::len),
        Some(paydiag::engine::rules::RULES.len())
    );
    let mut without_findings = shanghai.clone();
    without_findings
        .as_object_mut()
        .expect("object")
        .remove("findings");
    assert_eq!(basic, without_findings);
    // Without a zone, Chinese readers get theirs (the rules file's for zh-CN).
    assert_eq!(chinese["locale"], "zh-CN", "{chinese}");
    assert_eq!(
        chinese["customerMessage"],
        "您的100.50 USDT提现正在等待ETH网络区块确认（3/12），预计于北京时间 2026年11月22日 18:02前到账。"
    );
}

/// The catalog's locale tags as clap lists possible values.
fn locale_tags() -> String {
    Catalog::locales()
        .map(|l| l.tag())
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn diagnose_refuses_a_view_time_zone_or_locale_it_does_not_know_saying_what_it_takes() {
    let refused = |flag: &str, value: &str| {
        let output = paydiag(&["diagnose", "CLI-1", flag, value, "--server", "127.0.0.1:1"]);
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        String::from_utf8(output.stderr).expect("utf-8")
    };
    let more = "\n\nFor more information, try '--help'.\n";

    assert_eq!(
        refused("--view", "everything"),
        format!(
            "error: invalid value 'everything' for '--view <VIEW>'\n  \
             [possible values: basic, full]{more}"
        )
    );
    assert_eq!(
        refused("--time-zone", "Beijing"),
        format!(
            "error: invalid value 'Beijing' for '--time-zone <TIME_ZONE>': not an IANA time \
             zone name; expected one such as Asia/Shanghai, Europe/Berlin or UTC{more}"
        )
    );
    assert_eq!(
        refused("--locale", "fr"),
        format!(
            "error: invalid value 'fr' for '--locale <LOCALE>'\n  [possible values: {}]{more}",
            locale_tags()
        )
    );
}

#[test]
fn diagnose_help_lists_every_locale_of_the_catalog() {
    let help = paydiag(&["diagnose", "--help"]);

    assert!(help.status.success(), "{help:?}");
    let help = String::from_utf8(help.stdout).expect("utf-8");
    // From the flag to the next one.
    let section = help
        .split("--locale <LOCALE>")
        .nth(1)
        .and_then(|after| after.split("\n      --").next())
        .expect("a --locale section");
    assert!(
        section.contains(&format!("[possible values: {}]", locale_tags())),
        "{help}"
    );
}
