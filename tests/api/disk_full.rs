//! A SQLite store on a disk that fills up while serving, then gets room again: writes are
//! refused by name and retried, FactService leaves health while reads keep serving, and both
//! come back by themselves.
//!
//! The disk is a small tmpfs the test mounts itself, so it needs root; without root (or when
//! the mount fails) the test says why and passes without checking anything.

use crate::helpers::{assert_reason, at, error_metadata, metadata, spawn_with_store, transaction};
use paydiag::{
    api::fact_codec::timestamp,
    pb::v1::{self as pb, import_facts_request::Fact},
    store::{FactQuery, StoreConfig},
};
use std::{path::Path, process::Command, time::Duration};
use tempfile::TempDir;
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_types::StatusExt as _;

const FACTS: &str = "paydiag.v1.FactService";
const DIAGNOSIS: &str = "paydiag.v1.DiagnosisService";
/// How long health may take to follow the store (it probes every 100 ms in tests).
const HEALTH_WITHIN: Duration = Duration::from_secs(10);

/// A tmpfs mounted on a temporary directory of its own; unmounted when dropped, however the
/// test ends.
struct Tmpfs {
    dir: TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (as `mount` takes it: `2m`), or says why it cannot.
    fn mount(size: &str) -> Result<Self, String> {
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| e.to_string())?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Err("mounting a tmpfs needs root".into());
        }
        let dir = TempDir::new().map_err(|e| e.to_string())?;
        let options = format!("size={size}");
        run(
            "mount",
            &["-t", "tmpfs", "-o", &options, "tmpfs"],
            dir.path(),
        )?;
        Ok(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Gives the tmpfs `size` of room, keeping what it holds.
    fn resize(&self, size: &str) {
        let options = format!("remount,size={size}");
        run("mount", &["-o", &options], self.path()).expect("resizing the tmpfs");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: a server still shutting down may hold the database open.
        if let Err(e) = run("umount", &["-l"], self.path()) {
            eprintln!("could not unmount {}: {e}", self.path().display());
        }
    }
}

/// Runs `program args… dir`, or says how it failed.
fn run(program: &str, args: &[&str], dir: &Path) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .arg(dir)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

fn put(reference: &str) -> pb::PutTransactionRequest {
    pb::PutTransactionRequest {
        transaction: Some(pb::Transaction {
            memo: "m".repeat(200),
            ..transaction(reference)
        }),
    }
}

/// A tmpfs of `size`, or `None` (saying why the test is skipped) where mounting is not allowed.
fn mounted(size: &str) -> Option<Tmpfs> {
    Tmpfs::mount(size)
        .map_err(|why| eprintln!("skipped: {why}"))
        .ok()
}

/// The SQLite store on `disk`, opened as `serve` opens it.
fn store_config(disk: &Tmpfs) -> StoreConfig {
    StoreConfig {
        db: disk.path().join("paydiag.db").display().to_string(),
        pool_size: 2,
        acquire_timeout: Duration::from_secs(5),
        operation_timeout: Duration::from_secs(5),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_by_name_takes_only_fact_service_out_of_health_and_recovers() {
    let Some(disk) = mounted("2m") else {
        return;
    };
    let config = store_config(&disk);
    let store = paydiag::store::open(&config)
        .await
        .expect("opening the store");
    let mut app = spawn_with_store(store, TempDir::new().expect("dir")).await;
    app.put_transaction(transaction("KEPT")).await;

    let mut refused = None;
    for i in 0..10_000 {
        if let Err(status) = app.facts.put_transaction(put(&format!("FILL-{i}"))).await {
            refused = Some(status);
            break;
        }
    }
    let refused = refused.expect("2 MB filled up within 10,000 writes");
    assert_eq!(refused.code(), Code::ResourceExhausted, "{refused:?}");
    assert!(refused.message().contains("out of space"), "{refused:?}");
    assert_reason(&refused, "STORE_OUT_OF_SPACE");
    let retry = refused
        .get_details_retry_info()
        .expect("google.rpc.RetryInfo");
    assert!(
        retry.retry_delay.is_some_and(|d| d > Duration::ZERO),
        "{retry:?}"
    );

    app.wait_for_health_of(FACTS, ServingStatus::NotServing, HEALTH_WITHIN)
        .await;
    assert_eq!(app.health_of(DIAGNOSIS).await, ServingStatus::Serving);
    assert_eq!(app.health_of("").await, ServingStatus::NotServing);
    let diagnosis = app.diagnose_at("KEPT", at(30)).await;
    assert_eq!(diagnosis.reference, "KEPT");

    // An import's batch is stored whole or not at all, also when the disk is full.
    let items = (0..50).map(|i| pb::ImportFactsRequest {
        fact: Some(Fact::Transaction(
            put(&format!("IMPORT-{i}")).transaction.expect("tx"),
        )),
    });
    let import = app.facts.import_facts(tokio_stream::iter(items)).await;
    let import = import.expect_err("an import onto a full disk");
    assert_eq!(import.code(), Code::ResourceExhausted, "{import:?}");
    assert!(
        import
            .message()
            .contains("0 facts of this import were stored"),
        "{import:?}"
    );
    assert_reason(&import, "STORE_OUT_OF_SPACE");
    assert_eq!(
        error_metadata(&import),
        metadata([("facts_stored", "0"), ("items_rejected", "0")])
    );
    for reference in ["IMPORT-0", "IMPORT-49"] {
        let facts = app
            .store
            .load_facts(&FactQuery::new(reference, at(60)))
            .await;
        assert_eq!(facts.expect("a read").transaction, None, "{reference}");
    }
    // Health stays out while the disk is full: its write probe is refused too.
    assert_eq!(app.health_of(FACTS).await, ServingStatus::NotServing);

    disk.resize("64m");
    app.wait_for_health_of(FACTS, ServingStatus::Serving, HEALTH_WITHIN)
        .await;
    assert_eq!(app.health_of("").await, ServingStatus::Serving);
    assert_eq!(app.health_of(DIAGNOSIS).await, ServingStatus::Serving);
    let stored = app.put_transaction(transaction("AFTER")).await;
    assert_eq!(stored.reference, "AFTER");
    let request = pb::DiagnoseRequest {
        reference: "AFTER".into(),
        as_of: Some(timestamp(at(30))),
        ..Default::default()
    };
    app.diagnosis.diagnose(request).await.expect("a diagnosis");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_on_a_read_only_file_system_is_refused_at_start_by_name() {
    let Some(disk) = mounted("4m") else {
        return;
    };
    let config = store_config(&disk);
    drop(
        paydiag::store::open(&config)
            .await
            .expect("creating the store"),
    );
    // The pool's threads close their connections shortly after the store is dropped.
    let started = std::time::Instant::now();
    while let Err(busy) = run("mount", &["-o", "remount,ro"], disk.path()) {
        assert!(started.elapsed() < Duration::from_secs(10), "{busy}");
        tokio::task::yield_now().await;
    }
    let refused = paydiag::store::open(&config)
        .await
        .expect_err("started on a read-only file system");
    let message = format!("{refused:#}");
    assert!(message.contains("read-only"), "{message}");
    assert!(message.contains(&config.db), "{message}");
}
