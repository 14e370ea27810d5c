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
use tonic::{
    Request, Status,
    metadata::{Ascii, MetadataValue},
    transport::Channel,
};

/// `--view` of the commands that diagnose: the `DiagnoseRequest.view` they ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// Without findings.
    Basic,
    /// With every rule's finding and its evidence.
    Full,
}

impl From<View> for pb::DiagnosisView {
    fn from(view: View) -> Self {
        match view {
            View::Basic => Self::Basic,
            View::Full => Self::Full,
        }
    }
}

/// Streams an NDJSON file of `ImportFactsRequest`s (protobuf JSON, one per line) to the server.
///
/// Line N is item N-1 of the stream, so the server's rejected indices point at lines. A line
/// that is not valid JSON is reported here and sent as an empty item, which the server rejects
/// at the same index, keeping the numbering intact.
pub async fn import(
    server: &str,
    token: Option<&str>,
    file: &Path,
) -> anyhow::Result<pb::ImportFactsResponse> {
    let mut client = FactServiceClient::with_interceptor(connect(server).await?, bearer(token)?);
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
pub async fn diagnose(
    server: &str,
    token: Option<&str>,
    request: pb::DiagnoseRequest,
) -> anyhow::Result<pb::Diagnosis> {
    let mut client =
        DiagnosisServiceClient::with_interceptor(connect(server).await?, bearer(token)?);
    Ok(client.diagnose(request).await?.into_inner())
}

/// Connects to `host:port` or a full URL.
async fn connect(server: &str) -> anyhow::Result<Channel> {
    let url = if server.contains("://") {
        server.to_owned()
    } else {
        format!("http://{server}")
    };
    let endpoint =
        Channel::from_shared(url).with_context(|| format!("bad server address {server:?}"))?;
    endpoint
        .connect()
        .await
        .with_context(|| format!("connecting to {server}"))
}

/// Adds `authorization: Bearer <token>` to every call, when there is a token.
fn bearer(
    token: Option<&str>,
) -> anyhow::Result<impl FnMut(Request<()>) -> Result<Request<()>, Status> + use<>> {
    let value: Option<MetadataValue<Ascii>> = token
        .map(|t| format!("Bearer {t}").parse())
        .transpose()
        .context("the token is not valid metadata")?;
    Ok(move |mut request: Request<()>| {
        if let Some(value) = &value {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    })
}
