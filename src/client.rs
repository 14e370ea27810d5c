//! The `import` and `diagnose` commands: clients of a running server.

use crate::json;
use crate::pb::v1::{
    self as pb, diagnosis_service_client::DiagnosisServiceClient,
    fact_service_client::FactServiceClient,
};
use anyhow::Context as _;
use std::path::Path;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_stream::wrappers::ReceiverStream;

/// Streams an NDJSON file of `ImportFactsRequest`s (protobuf JSON, one per line) to the server.
///
/// Line N is item N-1 of the stream, so the server's rejected indices point at lines. A line
/// that is not valid JSON is reported here and sent as an empty item, which the server rejects
/// at the same index, keeping the numbering intact.
pub async fn import(server: &str, file: &Path) -> anyhow::Result<pb::ImportFactsResponse> {
    let mut client = FactServiceClient::connect(endpoint(server))
        .await
        .with_context(|| format!("connecting to {server}"))?;
    let input = tokio::fs::File::open(file)
        .await
        .with_context(|| format!("opening {}", file.display()))?;
    let (sender, receiver) = tokio::sync::mpsc::channel(1024);
    let reader = tokio::spawn(async move {
        let mut lines = BufReader::new(input).lines();
        let mut number = 0u64;
        while let Some(line) = lines.next_line().await? {
            number += 1;
            let item =
                json::from_json::<pb::ImportFactsRequest>(&line, "paydiag.v1.ImportFactsRequest")
                    .unwrap_or_else(|e| {
                        eprintln!("line {number}: not an ImportFactsRequest: {e:#}");
                        pb::ImportFactsRequest::default()
                    });
            if sender.send(item).await.is_err() {
                break;
            }
        }
        anyhow::Ok(())
    });
    let response = client.import_facts(ReceiverStream::new(receiver)).await;
    reader
        .await?
        .with_context(|| format!("reading {}", file.display()))?;
    Ok(response?.into_inner())
}

/// Diagnoses one reference on the server.
pub async fn diagnose(server: &str, request: pb::DiagnoseRequest) -> anyhow::Result<pb::Diagnosis> {
    let mut client = DiagnosisServiceClient::connect(endpoint(server))
        .await
        .with_context(|| format!("connecting to {server}"))?;
    Ok(client.diagnose(request).await?.into_inner())
}

/// `host:port` or a full URL.
fn endpoint(server: &str) -> String {
    if server.contains("://") {
        server.to_owned()
    } else {
        format!("http://{server}")
    }
}
