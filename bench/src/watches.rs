//! Watches at rest and under one write: `--watches N` opens N WatchDiagnosis streams on one
//! server, a tenth of them on transactions of one network (ETH) and the rest on another (BTC),
//! then measures what they cost while nothing changes (the process's resident memory grown by
//! opening them, an upper bound for the server's, which shares the process; and the server's
//! CPU time over an idle period), and how long one maintenance window announced on ETH takes to
//! reach every watch it concerns.

use super::{load, servers};
use anyhow::Context as _;
use chrono::Utc;
use paydiag::{
    api::fact_codec::timestamp,
    pb::v1::{
        self as pb, diagnosis_service_client::DiagnosisServiceClient,
        fact_service_client::FactServiceClient,
    },
};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Streams opened on each connection (the server allows far more).
const STREAMS_PER_CONNECTION: usize = 100;

/// What the watches cost and how fast a change reached them.
#[derive(Debug, Clone, Copy)]
pub struct Watches {
    /// Streams open.
    pub open: usize,
    /// Of those, the ones the write concerned.
    pub concerned: usize,
    /// Growth of the process's resident memory from before the first watch to after the last
    /// one's first diagnosis, MiB.
    pub rss_growth_mib: f64,
    /// The servers' CPU time over the idle period, as a share of one core.
    pub idle_core_share: f64,
    /// How long the idle period lasted.
    pub idle: Duration,
    /// From the write's start to the last concerned watch's update, and to the median one.
    pub all_updated: Duration,
    pub median_updated: Duration,
    /// Watches the write did not concern that sent something anyway.
    pub woken_unconcerned: usize,
}

/// Opens `open` watches on the server at `addr`, `concerned` of them on ETH, and measures.
pub async fn measure(
    addr: std::net::SocketAddr,
    open: usize,
    concerned: usize,
    idle: Duration,
) -> anyhow::Result<Watches> {
    let channels = load::connect(addr, open.div_ceil(STREAMS_PER_CONNECTION)).await?;
    seed(&channels[0], open, concerned).await?;
    let (rss_before, _) = servers::memory_mib();
    let (updates, mut updated) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (firsts, mut first_seen) = mpsc::unbounded_channel::<()>();
    let mut streams = Vec::with_capacity(open);
    for i in 0..open {
        let channel = channels[i / STREAMS_PER_CONNECTION].clone();
        let (updates, firsts) = (updates.clone(), firsts.clone());
        streams.push(tokio::spawn(async move {
            let mut client = DiagnosisServiceClient::new(channel);
            let request = pb::WatchDiagnosisRequest {
                reference: reference(i, concerned),
                view: pb::DiagnosisView::Basic.into(),
                ..Default::default()
            };
            let mut stream = client.watch_diagnosis(request).await?.into_inner();
            stream.message().await?.context("no first diagnosis")?;
            let _ = firsts.send(());
            while stream.message().await?.is_some() {
                let _ = updates.send((i, Instant::now()));
            }
            anyhow::Ok(())
        }));
    }
    for _ in 0..open {
        first_seen
            .recv()
            .await
            .context("a watch failed before its first diagnosis")?;
    }
    let (rss_after, _) = servers::memory_mib();

    // Nothing changes for `idle`: what the servers' threads use meanwhile is the watches' rest.
    let before = servers::cpu_time();
    let started = Instant::now();
    tokio::time::sleep(idle).await;
    let idle = started.elapsed();
    let server_cpu = servers::cpu_time().since(before).servers;

    let written = Instant::now();
    announce_window(&channels[0]).await?;
    let mut delays = Vec::with_capacity(concerned);
    let mut woken_unconcerned = 0;
    while delays.len() < concerned {
        let (i, at) = tokio::time::timeout(Duration::from_secs(30), updated.recv())
            .await
            .context("concerned watches still waiting for their update after 30 s")?
            .context("the watches ended")?;
        if i < concerned {
            delays.push(at - written);
        } else {
            woken_unconcerned += 1;
        }
    }
    delays.sort_unstable();
    for stream in &streams {
        stream.abort();
    }
    Ok(Watches {
        open,
        concerned,
        rss_growth_mib: rss_after - rss_before,
        idle_core_share: server_cpu.as_secs_f64() / idle.as_secs_f64(),
        idle,
        all_updated: delays.last().copied().unwrap_or_default(),
        median_updated: delays.get(delays.len() / 2).copied().unwrap_or_default(),
        woken_unconcerned,
    })
}

/// The `i`th watched reference: ETH for the first `concerned`, BTC for the rest.
fn reference(i: usize, concerned: usize) -> String {
    if i < concerned {
        format!("WATCH-ETH-{i}")
    } else {
        format!("WATCH-BTC-{i}")
    }
}

/// One pending deposit per watch, created now: each is a delay, expected well after the
/// benchmark ends, so nothing changes by time alone while it runs.
async fn seed(
    channel: &tonic::transport::Channel,
    open: usize,
    concerned: usize,
) -> anyhow::Result<()> {
    let now = timestamp(Utc::now());
    let facts: Vec<pb::ImportFactsRequest> = (0..open)
        .map(|i| {
            let network = if i < concerned { "ETH" } else { "BTC" };
            let transaction = pb::Transaction {
                reference: reference(i, concerned),
                account_id: format!("acct-watch-{}", i % 1000),
                kind: pb::TransactionKind::Deposit.into(),
                network: network.into(),
                asset: if i < concerned { "ETH" } else { "BTC" }.into(),
                amount: "1.5".into(),
                destination: "bench-destination".into(),
                status: pb::TransactionStatus::Confirming.into(),
                created_at: Some(now),
                ..Default::default()
            };
            pb::ImportFactsRequest {
                fact: Some(pb::import_facts_request::Fact::Transaction(transaction)),
            }
        })
        .collect();
    let response = FactServiceClient::new(channel.clone())
        .import_facts(tokio_stream::iter(facts))
        .await
        .context("seeding the watched transactions")?
        .into_inner();
    anyhow::ensure!(
        response.rejected_count == 0,
        "{} watched transactions rejected: {:?}",
        response.rejected_count,
        response.rejected.first()
    );
    Ok(())
}

/// An unplanned outage on ETH from now on: every ETH watch turns to MAINTENANCE.
async fn announce_window(channel: &tonic::transport::Channel) -> anyhow::Result<()> {
    let window = pb::MaintenanceWindow {
        id: "bench-eth-outage".into(),
        network: "ETH".into(),
        r#type: pb::MaintenanceType::Unplanned.into(),
        starts_at: Some(timestamp(Utc::now() - chrono::TimeDelta::seconds(1))),
        ..Default::default()
    };
    FactServiceClient::new(channel.clone())
        .put_maintenance_window(pb::PutMaintenanceWindowRequest {
            maintenance_window: Some(window),
        })
        .await
        .context("announcing the window")?;
    Ok(())
}

/// The server options of the watched server: room for every watch.
pub fn options(open: usize) -> paydiag::watch::WatchOptions {
    paydiag::watch::WatchOptions {
        per_replica: open,
        per_caller: open,
        ..paydiag::watch::WatchOptions::default()
    }
}
