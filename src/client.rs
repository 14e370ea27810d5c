//! The `import` and `diagnose` commands: clients of a running server.

mod progress;

use crate::i18n::Catalog;
use crate::json;
use crate::pb::v1::{
    self as pb, diagnosis_service_client::DiagnosisServiceClient,
    fact_service_client::FactServiceClient,
};
use anyhow::Context as _;
use chrono_tz::Tz;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use progress::{ImportProgress, Read};
use std::{ffi::OsStr, path::Path};
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

/// `--locale` of the commands that diagnose: a locale of the catalog, by its tag or by any tag
/// that selects it (`zh`, `zh_CN`, …), as the server negotiates it. The tags are the possible
/// values `--help` lists and a bad value's error names.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocaleParser;

impl LocaleParser {
    /// Each locale's tag.
    fn tags() -> impl Iterator<Item = PossibleValue> {
        Catalog::locales().map(|l| PossibleValue::new(l.tag()))
    }
}

impl TypedValueParser for LocaleParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        match value.to_str() {
            Some(tag) if Catalog::find(tag).is_some() => Ok(tag.to_owned()),
            // The error of a value that is none of the tags, naming them.
            _ => PossibleValuesParser::new(Self::tags()).parse_ref(cmd, arg, value),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(Self::tags()))
    }
}

/// `--time-zone` of the commands that diagnose: an IANA time zone name, as the server reads it.
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    name.parse().map_err(|_| {
        "not an IANA time zone name; expected one such as Asia/Shanghai, Europe/Berlin or UTC"
            .to_owned()
    })
}

/// Lines read between two updates of the progress display's counts (it is redrawn at a pace of
/// its own): often enough for the eye, and nothing next to reading and encoding the lines.
const LINES_PER_UPDATE: u64 = 1024;

/// Streams an NDJSON file of `ImportFactsRequest`s (protobuf JSON, one per line) to the server,
/// showing its progress on stderr if `show_progress`.
///
/// Line N is item N-1 of the stream, so the server's rejected indices point at lines. A line
/// that is not valid JSON is reported here and sent as an empty item, which the server rejects
/// at the same index, keeping the numbering intact.
pub async fn import(
    server: &str,
    token: Option<&str>,
    file: &Path,
    show_progress: bool,
) -> anyhow::Result<pb::ImportFactsResponse> {
    let mut client = FactServiceClient::with_interceptor(connect(server).await?, bearer(token)?);
    let input = tokio::fs::File::open(file)
        .await
        .with_context(|| format!("opening {}", file.display()))?;
    let size = input
        .metadata()
        .await
        .with_context(|| format!("reading the size of {}", file.display()))?
        .len();
    let progress = ImportProgress::new(show_progress, size);
    let (sender, receiver) = tokio::sync::mpsc::channel(1024);
    let reader = tokio::spawn(send_lines(input, sender, progress.clone()));
    let response = client.import_facts(ReceiverStream::new(receiver)).await;
    let outcome = match reader.await {
        Ok(read) => read.with_context(|| format!("reading {}", file.display())),
        Err(e) => Err(e.into()),
    }
    .and_then(|()| Ok(response?.into_inner()));
    progress.end(outcome.as_ref().ok());
    outcome
}

/// Sends every line of `input` as an item, until the file ends or the call does.
async fn send_lines(
    input: tokio::fs::File,
    sender: tokio::sync::mpsc::Sender<pb::ImportFactsRequest>,
    progress: ImportProgress,
) -> anyhow::Result<()> {
    let mut input = BufReader::new(input);
    let mut line = String::new();
    let mut read = Read::default();
    loop {
        line.clear();
        let bytes = input.read_line(&mut line).await?;
        if bytes == 0 {
            break;
        }
        read.items += 1;
        read.bytes += bytes as u64;
        let json = line.strip_suffix('\n').unwrap_or(&line);
        let json = json.strip_suffix('\r').unwrap_or(json);
        let item = json::from_json::<pb::ImportFactsRequest>(json, "paydiag.v1.ImportFactsRequest")
            .unwrap_or_else(|e| {
                read.unreadable += 1;
                progress.warn(&format!(
                    "line {}: not an ImportFactsRequest: {e:#}",
                    read.items
                ));
                pb::ImportFactsRequest::default()
            });
        if sender.send(item).await.is_err() {
            break;
        }
        if read.items % LINES_PER_UPDATE == 0 {
            progress.read(read);
        }
    }
    progress.all_read(read);
    Ok(())
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
