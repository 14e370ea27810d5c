//! The real `paydiag` binary as operators run it: JSON and plain text logs, metrics over HTTP,
//! audit lines, masking, and a graceful drain on SIGTERM.

use paydiag::{
    api::fact_codec::timestamp,
    auth::token_hash,
    pb::v1::{
        self as pb, diagnosis_service_client::DiagnosisServiceClient,
        fact_service_client::FactServiceClient,
    },
};
use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::{Request, transport::Channel};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

#[path = "process/records.rs"]
mod records;

const READER: &str = "reader-token-for-process-test";
const WRITER: &str = "writer-token-for-process-test";
const ACCOUNT: &str = "acct-SECRET-0001234567";
const ADDRESS: &str = "0x52908400098527886E0F7030069857D2E4169EE7";
/// The counter of log lines lost because the log sink did not keep up.
const DROPPED: &str = "paydiag_log_lines_dropped_total";

/// The reason and domain of a status's `google.rpc.ErrorInfo`.
fn reason_of(status: &tonic::Status) -> [String; 2] {
    use tonic_types::StatusExt;
    let info = status
        .get_details_error_info()
        .unwrap_or_else(|| panic!("no google.rpc.ErrorInfo in {status:?}"));
    [info.reason, info.domain]
}

/// A port free a moment ago, for the metrics listener: the exporter cannot say which port it
/// bound. Only scraped once the server is serving, so a clash shows as a server that exits
/// before serving, with its logs.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A callers file in `dir`: "agent" reads with [`READER`], "feeder" writes with [`WRITER`].
fn callers_file(dir: &Path) -> std::path::PathBuf {
    let callers = dir.join("callers.toml");
    std::fs::write(
        &callers,
        format!(
            "[[callers]]\nname = \"agent\"\ntoken_sha256 = \"{}\"\nroles = [\"reader\"]\n\n\
             [[callers]]\nname = \"feeder\"\ntoken_sha256 = \"{}\"\nroles = [\"writer\"]\n",
            token_hash(READER),
            token_hash(WRITER)
        ),
    )
    .expect("callers file");
    callers
}

/// A pending withdrawal of [`ACCOUNT`] to [`ADDRESS`], created now.
fn transaction(reference: &str) -> pb::Transaction {
    pb::Transaction {
        reference: reference.into(),
        account_id: ACCOUNT.into(),
        kind: pb::TransactionKind::Withdrawal.into(),
        network: "ETH".into(),
        asset: "USDT".into(),
        amount: "10".into(),
        destination: ADDRESS.into(),
        status: pb::TransactionStatus::Pending.into(),
        created_at: Some(timestamp(chrono::Utc::now())),
        ..Default::default()
    }
}

fn authorized<T>(message: T, token: &str, request_id: Option<&str>) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("metadata"),
    );
    if let Some(id) = request_id {
        request
            .metadata_mut()
            .insert("x-request-id", id.parse().expect("metadata"));
    }
    request
}

/// A channel to a server that [`Server::start`] saw report serving: no retrying needed.
async fn connect(port: u16) -> Channel {
    Channel::from_shared(format!("http://127.0.0.1:{port}"))
        .expect("uri")
        .connect()
        .await
        .expect("connect to the server, which reported serving")
}

async fn scrape(port: u16) -> String {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("metrics listener");
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await
        .expect("request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("response");
    response
}

/// The value of the first sample of `name` whose labels contain every one of `labels`.
fn sample(metrics: &str, name: &str, labels: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| line.starts_with(name) && labels.iter().all(|l| line.contains(l)))
        .find_map(|line| line.rsplit(' ').next()?.parse().ok())
}

struct Server(Child);

/// A running `paydiag serve` over a store in a directory of its own, listening on a port it
/// chose itself and known to be serving.
struct Started {
    server: Server,
    logs: Logs,
    port: u16,
    metrics_port: u16,
}

/// The server's log lines: those read until it reported serving, then the rest as they come.
struct Logs {
    read: Vec<String>,
    rest: std::sync::mpsc::Receiver<String>,
}

impl Logs {
    /// Waits (30 s at most) for a line containing `text` and returns it; every line read on the
    /// way is kept for [`Logs::all`].
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rest.recv_timeout(left) {
                Ok(line) => {
                    self.read.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!("no log line with {text:?}: {:#?}", self.read),
            }
        }
    }

    /// Every line, waiting for the server to close its stderr (it exited).
    fn all(self) -> Vec<String> {
        let mut lines = self.read;
        lines.extend(self.rest);
        lines
    }
}

impl Server {
    /// Starts the real binary with `global` options ahead of `serve` and `serve_args` after the
    /// common ones, logging at info to a piped stderr, and waits until it reports serving. The
    /// server binds a port of its own choosing (so no other process can take it first, and no
    /// connection attempt can meet itself on a port nobody listens on yet) and says which.
    fn start(dir: &Path, global: &[&str], serve_args: &[&str]) -> Started {
        Self::start_under(&[], dir, global, serve_args)
    }

    /// [`Server::start`], run by `wrapper` (a program and its arguments, such as `prlimit`
    /// with a lower open-file limit), which must exec the binary in its own process.
    fn start_under(wrapper: &[&str], dir: &Path, global: &[&str], serve_args: &[&str]) -> Started {
        let binary = env!("CARGO_BIN_EXE_paydiag");
        let mut command = match wrapper {
            [] => Command::new(binary),
            [program, args @ ..] => {
                let mut command = Command::new(program);
                command.args(args).arg(binary);
                command
            }
        };
        let metrics_port = free_port();
        let mut server = Server(
            command
                .args(global)
                .args(["serve", "--listen", "127.0.0.1:0"])
                .args(["--metrics-listen", &format!("127.0.0.1:{metrics_port}")])
                .args(["--db", dir.join("p.db").to_str().expect("path")])
                .args(serve_args)
                .env("RUST_LOG", "info")
                .stderr(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .expect("start paydiag"),
        );
        let stderr = server.0.stderr.take().expect("stderr");
        let (tx, rest) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut read = Vec::new();
        let port = loop {
            let Ok(line) = rest.recv_timeout(Duration::from_secs(30)) else {
                panic!("the server did not report serving: {read:?}");
            };
            let port = line
                .contains("serving paydiag.v1")
                .then(|| listening_port(&line))
                .flatten();
            read.push(line);
            if let Some(port) = port {
                break port;
            }
        };
        Started {
            server,
            logs: Logs { read, rest },
            port,
            metrics_port,
        }
    }
}

/// The port of the `127.0.0.1:PORT` address a log line names.
fn listening_port(line: &str) -> Option<u16> {
    let (_, after) = line.split_once("127.0.0.1:")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

#[tokio::test]
async fn operators_get_json_logs_metrics_audit_and_a_graceful_drain() {
    let dir = tempfile::TempDir::new().expect("dir");
    let callers = callers_file(dir.path());
    let Started {
        mut server,
        mut logs,
        port,
        metrics_port,
    } = Server::start(
        dir.path(),
        &["--log-format", "json"],
        &[
            "--callers",
            callers.to_str().expect("path"),
            "--drain-grace",
            "10s",
        ],
    );
    let channel = connect(port).await;
    let mut facts = FactServiceClient::new(channel.clone());
    let mut diagnosis = DiagnosisServiceClient::new(channel.clone());

    // Facts carrying personal data, then a diagnosis with our request id, and one refused call.
    let transaction = transaction("TX-OPS-1");
    facts
        .put_transaction(authorized(
            pb::PutTransactionRequest {
                transaction: Some(transaction.clone()),
            },
            WRITER,
            None,
        ))
        .await
        .expect("put transaction");
    let frozen = pb::AccountStatus {
        account_id: ACCOUNT.into(),
        state: pb::AccountState::Frozen.into(),
        reason: pb::FreezeReason::ComplianceReview.into(),
        effective_from: Some(timestamp(
            chrono::Utc::now() - chrono::TimeDelta::minutes(1),
        )),
        note: "internal case 991".into(),
        ..Default::default()
    };
    facts
        .put_account_status(authorized(
            pb::PutAccountStatusRequest {
                account_status: Some(frozen),
            },
            WRITER,
            None,
        ))
        .await
        .expect("put status");
    let request = pb::DiagnoseRequest {
        reference: "TX-OPS-1".into(),
        ..Default::default()
    };
    // Twice: the second is counted through the metric handles the first registered.
    for request_id in ["req-ops-0001", "req-ops-0002"] {
        let diagnosed = diagnosis
            .diagnose(authorized(request.clone(), READER, Some(request_id)))
            .await
            .expect("diagnose");
        assert_eq!(diagnosed.get_ref().cause(), pb::Cause::AccountFrozen);
    }
    let refused = diagnosis
        .diagnose(authorized(request, "wrong-token", None))
        .await
        .expect_err("bad token");
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);
    assert_eq!(reason_of(&refused), ["CREDENTIALS_INVALID", "paydiag.v1"]);
    // An import that breaks part way (its second item is over the size limit) after storing one.
    let broken = facts
        .import_facts(authorized(
            tokio_stream::iter([
                pb::ImportFactsRequest {
                    fact: Some(pb::import_facts_request::Fact::Transaction(
                        pb::Transaction {
                            reference: "TX-OPS-2".into(),
                            ..transaction.clone()
                        },
                    )),
                },
                pb::ImportFactsRequest {
                    fact: Some(pb::import_facts_request::Fact::Transaction(
                        pb::Transaction {
                            memo: "x".repeat(2 << 20),
                            ..transaction.clone()
                        },
                    )),
                },
            ]),
            WRITER,
            None,
        ))
        .await
        .expect_err("an item over the size limit");
    assert_eq!(broken.code(), tonic::Code::OutOfRange, "{broken:?}");
    assert_eq!(reason_of(&broken), ["MESSAGE_TOO_LARGE", "paydiag.v1"]);

    // Metrics, scraped over HTTP and parsed.
    let metrics = scrape(metrics_port).await;
    assert!(
        metrics.starts_with("HTTP/1.1 200") || metrics.starts_with("HTTP/1.0 200"),
        "{metrics}"
    );
    let diagnose_calls = sample(
        &metrics,
        "rpc_server_call_duration_seconds_count",
        &[
            "rpc_method=\"paydiag.v1.DiagnosisService/Diagnose\"",
            "rpc_grpc_status_code=\"OK\"",
        ],
    );
    assert_eq!(diagnose_calls, Some(2.0), "{metrics}");
    assert!(
        sample(
            &metrics,
            "rpc_server_call_duration_seconds_bucket",
            &[
                "rpc_method=\"paydiag.v1.DiagnosisService/Diagnose\"",
                "le=\"0.0001\""
            ]
        )
        .is_some(),
        "histogram buckets: {metrics}"
    );
    assert_eq!(
        sample(
            &metrics,
            "paydiag_diagnoses_total",
            &[
                "cause=\"CAUSE_ACCOUNT_FROZEN\"",
                "action=\"ACTION_CONTACT_SUPPORT\""
            ]
        ),
        Some(2.0)
    );
    assert_eq!(
        sample(
            &metrics,
            "paydiag_auth_failures_total",
            &["reason=\"unknown_token\""]
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &metrics,
            "paydiag_store_operation_duration_seconds_count",
            &["operation=\"load_facts\""]
        ),
        Some(2.0)
    );

    // SIGTERM with an import in flight: it completes, then the process exits cleanly.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut import_client = facts.clone();
    let import = tokio::spawn(async move {
        import_client
            .import_facts(authorized(
                tokio_stream::wrappers::ReceiverStream::new(rx),
                WRITER,
                None,
            ))
            .await
    });
    let condition = |n: i64| pb::ImportFactsRequest {
        fact: Some(pb::import_facts_request::Fact::NetworkCondition(
            pb::NetworkCondition {
                network: "ETH".into(),
                congestion_factor: 1.5,
                observed_at: Some(timestamp(
                    chrono::Utc::now() - chrono::TimeDelta::seconds(n),
                )),
            },
        )),
    };
    tx.send(condition(1)).await.expect("send");
    // The import is the one call in flight once the server counts it.
    tokio::time::timeout(Duration::from_secs(20), async {
        // Each scrape is a round trip to the server: nothing to pause for between them.
        while sample(
            &scrape(metrics_port).await,
            "paydiag_in_flight_requests",
            &[],
        ) != Some(1.0)
        {}
    })
    .await
    .expect("the import reaches the server");
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    logs.wait_for("shutting down");
    tx.send(condition(2)).await.expect("send after SIGTERM");
    drop(tx);
    let imported = import
        .await
        .expect("import task")
        .expect("the in-flight import completes")
        .into_inner();
    assert_eq!(
        imported.network_conditions_stored, 2,
        "no accepted write is lost"
    );
    let exit = tokio::task::spawn_blocking(move || server.0.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(exit.success(), "clean exit after the drain: {exit:?}");

    // Logs: JSON, request id on every line of that call, audit lines, nothing personal in full.
    let lines = tokio::task::spawn_blocking(move || logs.all())
        .await
        .expect("log reader");
    let parsed: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let of_request: Vec<&serde_json::Value> = parsed
        .iter()
        .filter(|v| v["span"]["request_id"] == "req-ops-0001")
        .collect();
    assert!(
        !of_request.is_empty(),
        "lines of the diagnose call carry its request id"
    );
    let diagnosed_lines: Vec<&serde_json::Value> = parsed
        .iter()
        .filter(|v| v["fields"]["message"] == "diagnosed")
        .collect();
    assert!(
        diagnosed_lines
            .iter()
            .all(|v| v["span"]["request_id"].is_string()),
        "every line logged inside a call names its request id"
    );
    let audit: Vec<&serde_json::Value> = parsed
        .iter()
        .filter(|v| v["target"] == "paydiag::audit")
        .collect();
    let status_write = audit
        .iter()
        .find(|v| v["fields"]["method"] == "PutAccountStatus")
        .expect("audited status write");
    assert_eq!(status_write["fields"]["caller"], "feeder");
    assert_eq!(status_write["fields"]["outcome"], "ok");
    assert!(
        status_write["fields"]["resource"]
            .as_str()
            .is_some_and(|r| r.contains("****"))
    );
    assert!(
        audit.iter().any(|v| v["fields"]["outcome"] == "denied"),
        "refused call audited"
    );
    let imports: Vec<&&serde_json::Value> = audit
        .iter()
        .filter(|v| v["fields"]["method"] == "ImportFacts")
        .collect();
    let broken_import = imports
        .iter()
        .find(|v| v["fields"]["outcome"] == "OUT_OF_RANGE")
        .expect("the import that broke is audited");
    assert_eq!(broken_import["fields"]["stored"], 1, "{broken_import}");
    // Its one batch was audited as it committed, before the break.
    let batch = imports
        .iter()
        .find(|v| v["fields"]["outcome"] == "batch stored")
        .expect("the committed batch is audited");
    assert_eq!(
        (
            &batch["fields"]["stored"],
            &batch["fields"]["first_index"],
            &batch["fields"]["last_index"]
        ),
        (&1.into(), &0.into(), &0.into()),
        "{batch}"
    );
    for line in &lines {
        for secret in [ACCOUNT, ADDRESS, READER, WRITER, "internal case 991"] {
            assert!(!line.contains(secret), "log line leaks {secret:?}: {line}");
        }
    }
}

#[test]
fn text_logs_written_to_a_pipe_carry_no_terminal_colour_codes() {
    let dir = tempfile::TempDir::new().expect("dir");
    let Started {
        server: _server,
        logs,
        ..
    } = Server::start(dir.path(), &[], &[]);
    let lines = logs.read;
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("serving paydiag.v1")),
        "the server did not report serving: {lines:?}"
    );
    for line in &lines {
        assert!(!line.contains('\u{1b}'), "escape code in {line:?}");
        assert!(line.contains(" INFO "), "not a text log line: {line:?}");
    }
}

#[tokio::test]
async fn the_diagnose_command_prints_the_basic_view_as_json_without_findings() {
    let dir = tempfile::TempDir::new().expect("dir");
    let Started {
        server: _server,
        port,
        ..
    } = Server::start(dir.path(), &[], &["--demo"]);
    // The demo data is loaded before the server listens.
    connect(port).await;
    let diagnose = |view: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_paydiag"))
            .args(["diagnose", "DEMO-MAINTENANCE", "--view", view])
            .args(["--server", &format!("127.0.0.1:{port}")])
            .output()
            .expect("run paydiag diagnose");
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
    };

    let basic = diagnose("basic");
    let full = diagnose("full");

    assert_eq!(basic["cause"], "CAUSE_MAINTENANCE", "{basic}");
    assert!(basic.get("findings").is_none(), "{basic}");
    assert_eq!(
        full["findings"].as_array().map(Vec::len),
        Some(paydiag::engine::rules::RULES.len()),
        "{full}"
    );
    assert_eq!(basic["nextStep"], full["nextStep"]);
    assert_eq!(basic["customerMessage"], full["customerMessage"]);
}

/// Waits until the server at `port` answers health checks with SERVING, failing if it exits
/// first or takes longer than 30 s; its logs cannot tell us, as nothing reads them.
async fn wait_until_serving(server: &mut Server, port: u16) -> Channel {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(exit) = server.0.try_wait().expect("server status") {
            panic!("the server exited before serving: {exit:?}");
        }
        let endpoint = Channel::from_shared(format!("http://127.0.0.1:{port}")).expect("uri");
        if let Ok(channel) = endpoint.connect().await {
            if health(&channel).await == Some(ServingStatus::Serving) {
                return channel;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the server never reported SERVING"
        );
        tokio::task::yield_now().await;
    }
}

/// The server's overall health, or `None` if it did not answer within 5 s.
async fn health(channel: &Channel) -> Option<ServingStatus> {
    let mut client = HealthClient::new(channel.clone());
    let check = client.check(HealthCheckRequest {
        service: String::new(),
    });
    let response = tokio::time::timeout(Duration::from_secs(5), check).await;
    Some(response.ok()?.ok()?.into_inner().status())
}

/// The longest a call may take while the log sink is stalled: far beyond a loaded debug build.
const CALL_DEADLINE: Duration = Duration::from_secs(10);

/// One caller's share of a round of load: `diagnoses` Diagnose calls, each followed every
/// fourth time by a PutTransaction of a new reference; how many transactions it wrote.
async fn load(channel: Channel, round: usize, caller: usize, diagnoses: usize) -> usize {
    let mut diagnosis = DiagnosisServiceClient::new(channel.clone());
    let mut facts = FactServiceClient::new(channel);
    let mut puts = 0;
    for i in 0..diagnoses {
        let request = pb::DiagnoseRequest {
            reference: "DEMO-MAINTENANCE".into(),
            ..Default::default()
        };
        tokio::time::timeout(
            CALL_DEADLINE,
            diagnosis.diagnose(authorized(request, READER, None)),
        )
        .await
        .expect("Diagnose answers within its deadline")
        .expect("diagnose");
        if i % 4 == 0 {
            let put = pb::PutTransactionRequest {
                transaction: Some(transaction(&format!("TX-LOG-{round}-{caller}-{i}"))),
            };
            tokio::time::timeout(
                CALL_DEADLINE,
                facts.put_transaction(authorized(put, WRITER, None)),
            )
            .await
            .expect("PutTransaction answers within its deadline")
            .expect("put transaction");
            puts += 1;
        }
    }
    puts
}

/// The sum of every sample of `name` with all of `labels`; 0 if there is none.
fn total(metrics: &str, name: &str, labels: &[&str]) -> f64 {
    sample(metrics, name, labels).unwrap_or(0.0)
}

/// A `paydiag serve --demo` whose stderr is a FIFO that the test holds open but does not read,
/// as a stuck log shipper leaves it: once the pipe's 64 KiB are full, the server's log writer is
/// stuck in `write`.
struct StalledLogs {
    server: Server,
    channel: Channel,
    metrics_port: u16,
    /// The reading end, read-write so that opening it does not wait for a writer. Keep it: once
    /// it is closed, the server's writes fail at once instead of stalling.
    sink: std::fs::File,
}

impl StalledLogs {
    async fn start(dir: &Path) -> Self {
        let callers = callers_file(dir);
        let fifo = dir.join("stderr.fifo");
        let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(made.success(), "mkfifo: {made:?}");
        let sink = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo)
            .expect("open the FIFO");
        let stderr = std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .expect("open the FIFO for the server");
        let (port, metrics_port) = (free_port(), free_port());
        let mut server = Server(
            Command::new(env!("CARGO_BIN_EXE_paydiag"))
                .args(["--log-format", "json", "serve", "--demo"])
                .args(["--listen", &format!("127.0.0.1:{port}")])
                .args(["--metrics-listen", &format!("127.0.0.1:{metrics_port}")])
                .args(["--db", dir.join("p.db").to_str().expect("path")])
                .args(["--callers", callers.to_str().expect("path")])
                .args(["--rate-limit-per-second", "0"])
                .env("RUST_LOG", "info")
                .stderr(Stdio::from(stderr))
                .stdout(Stdio::null())
                .spawn()
                .expect("start paydiag"),
        );
        let channel = wait_until_serving(&mut server, port).await;
        Self {
            server,
            channel,
            metrics_port,
            sink,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_are_served_while_nothing_reads_the_log_and_the_lost_lines_are_reported() {
    let dir = tempfile::TempDir::new().expect("dir");
    let StalledLogs {
        server: _server,
        channel,
        metrics_port,
        sink,
    } = StalledLogs::start(dir.path()).await;

    // Rounds of calls from 8 callers at once, until the log writer reports dropping lines: the
    // pipe holds 64 KiB, the writer's buffer a few MiB. Every call must answer in time.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut puts = 0;
    let mut calls = 0;
    for round in 0.. {
        let callers: Vec<_> = (0..8)
            .map(|caller| tokio::spawn(load(channel.clone(), round, caller, 100)))
            .collect();
        for caller in callers {
            puts += caller.await.expect("a caller's task");
        }
        calls += 8 * 100;
        let metrics = scrape(metrics_port).await;
        if total(&metrics, DROPPED, &["kind=\"other\""]) > 0.0 {
            assert_eq!(
                total(&metrics, DROPPED, &["kind=\"audit\""]),
                0.0,
                "audit lines are the last to be dropped: {metrics}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no log line dropped after {calls} diagnoses: {metrics}"
        );
    }
    assert_eq!(health(&channel).await, Some(ServingStatus::Serving));
    let metrics = scrape(metrics_port).await;
    let dropped = total(&metrics, DROPPED, &["kind=\"other\""]);

    // The sink drains: every audit line comes out, then one line says how many others were lost.
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(sink).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut audited_puts = 0;
    let report = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("the drained log reports the lines it dropped");
        let line: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if line["target"] == "paydiag::audit" && line["fields"]["method"] == "PutTransaction" {
            audited_puts += 1;
        }
        let message = line["fields"]["message"].as_str().unwrap_or_default();
        if message.contains("log lines dropped") {
            break message.to_owned();
        }
    };
    assert_eq!(audited_puts, puts, "every write is audited");
    assert_eq!(
        report,
        format!("{dropped} log lines dropped (0 audit) while the log sink was not keeping up")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_whose_log_sink_stopped_reading_still_exits_on_sigterm() {
    let dir = tempfile::TempDir::new().expect("dir");
    let StalledLogs {
        mut server,
        channel,
        sink: _sink,
        ..
    } = StalledLogs::start(dir.path()).await;
    // Several times the 64 KiB the pipe holds: the log writer is stuck writing to it.
    let callers: Vec<_> = (0..4)
        .map(|caller| tokio::spawn(load(channel.clone(), 0, caller, 100)))
        .collect();
    for caller in callers {
        caller.await.expect("a caller's task");
    }

    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let pid = server.0.id().to_string();
    let exited = tokio::task::spawn_blocking(move || server.0.wait());
    let Ok(exit) = tokio::time::timeout(Duration::from_secs(20), exited).await else {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
        panic!("the server did not exit within 20 s of SIGTERM");
    };
    let exit = exit.expect("join").expect("wait");
    assert!(exit.success(), "clean exit: {exit:?}");
}

/// CPU time the process `pid` has used so far, from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // The fields after the command name, which is in parentheses and may hold spaces.
    let (_, after) = stat.rsplit_once(") ").expect("a stat line");
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // Linux reports CPU time in clock ticks of 1/100 s.
    Duration::from_millis(ticks * 10)
}

#[tokio::test]
async fn out_of_file_descriptors_the_server_backs_off_quietly_reaps_silent_connections_and_recovers()
 {
    let dir = tempfile::TempDir::new().expect("dir");
    // A cap above the open-file limit, so that the process does run out of descriptors.
    let mut started = Server::start_under(
        &["prlimit", "--nofile=256:256"],
        dir.path(),
        &[],
        &["--max-connections", "5000", "--handshake-timeout", "2s"],
    );
    let pid = started.server.0.id();

    // Connections that never speak: the kernel queues those the server cannot accept.
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(
            tokio::net::TcpStream::connect(("127.0.0.1", started.port))
                .await
                .expect("connect"),
        );
    }
    started.logs.wait_for("cannot accept connections");
    let (cpu_before, wall) = (cpu_time(pid), std::time::Instant::now());

    // Every silent connection is closed by the server: accepted ones after the handshake
    // timeout, queued ones once descriptors are free again and their own timeout has passed.
    for mut connection in silent {
        let mut rest = Vec::new();
        tokio::time::timeout(Duration::from_secs(60), connection.read_to_end(&mut rest))
            .await
            .expect("the server closes every silent connection")
            .expect("closed cleanly");
    }
    let (cpu, wall) = (cpu_time(pid) - cpu_before, wall.elapsed());

    assert!(
        cpu < wall / 2,
        "the server used {cpu:?} of CPU in {wall:?} while out of descriptors"
    );
    let mut health =
        tonic_health::pb::health_client::HealthClient::new(connect(started.port).await);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .expect("health answers again")
        .into_inner()
        .status();
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving
    );
    let metrics = scrape(started.metrics_port).await;
    assert!(
        sample(
            &metrics,
            "paydiag_accept_errors_total",
            &["listener=\"grpc\""]
        )
        .unwrap_or(0.0)
            >= 1.0,
        "{metrics}"
    );
    assert!(
        sample(
            &metrics,
            "paydiag_connections_closed_total",
            &["reason=\"handshake_timeout\""]
        )
        .unwrap_or(0.0)
            >= 1.0,
        "{metrics}"
    );
    let logs = &mut started.logs;
    logs.read.extend(logs.rest.try_iter());
    let failures = logs
        .read
        .iter()
        .filter(|line| line.contains("cannot accept connections"))
        .count();
    assert!(
        (1..=2).contains(&failures),
        "one line per 10 s, not per attempt: {failures} lines"
    );
}

#[tokio::test]
async fn an_import_cut_by_the_callers_deadline_is_audited_per_committed_batch_and_timed() {
    let dir = tempfile::TempDir::new().expect("dir");
    let callers = callers_file(dir.path());
    let mut started = Server::start(
        dir.path(),
        &[],
        &["--callers", callers.to_str().expect("path")],
    );
    let mut facts = FactServiceClient::new(connect(started.port).await);
    let (tx, rx) = tokio::sync::mpsc::channel(4_096);
    // A whole batch and part of the next, then the stream waits past the caller's deadline.
    for n in 0..2_500 {
        let transaction = pb::Transaction {
            reference: format!("TX-DL-{n}"),
            account_id: ACCOUNT.into(),
            kind: pb::TransactionKind::Deposit.into(),
            network: "ETH".into(),
            asset: "USDT".into(),
            amount: "1".into(),
            status: pb::TransactionStatus::Pending.into(),
            created_at: Some(timestamp(chrono::Utc::now())),
            ..Default::default()
        };
        tx.send(pb::ImportFactsRequest {
            fact: Some(pb::import_facts_request::Fact::Transaction(transaction)),
        })
        .await
        .expect("queued");
    }
    let mut request = authorized(
        tokio_stream::wrappers::ReceiverStream::new(rx),
        WRITER,
        None,
    );
    request.set_timeout(Duration::from_secs(2));

    let cut = facts
        .import_facts(request)
        .await
        .expect_err("past the deadline");

    // tonic's client ends the call at its own deadline, and reports it so.
    assert_eq!(
        (cut.code(), cut.message()),
        (tonic::Code::Cancelled, "Timeout expired")
    );
    let batch = started.logs.wait_for("batch stored");
    for field in [
        "caller=\"feeder\"",
        "stored=2000",
        "first_index=0",
        "last_index=1999",
    ] {
        assert!(batch.contains(field), "{field} missing from {batch}");
    }
    // The server times the call as ended by the deadline, or as cancelled when the client's
    // own timer (started before the request left) beat the server's to it.
    let import = "rpc_method=\"paydiag.v1.FactService/ImportFacts\"";
    let timed = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let metrics = scrape(started.metrics_port).await;
            let count = |code: &str| {
                let labels = [import, code];
                sample(&metrics, "rpc_server_call_duration_seconds_count", &labels)
            };
            let deadline = count("rpc_grpc_status_code=\"DEADLINE_EXCEEDED\"");
            let cancelled = count("rpc_grpc_status_code=\"CANCELLED\"");
            if deadline.is_some() || cancelled.is_some() {
                return deadline.unwrap_or(0.0) + cancelled.unwrap_or(0.0);
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the cut call is timed");
    assert_eq!(timed, 1.0);
    drop(tx);
}

#[tokio::test]
async fn a_flood_of_bad_tokens_writes_one_audit_line_then_one_with_the_count() {
    let dir = tempfile::TempDir::new().expect("dir");
    let callers = callers_file(dir.path());
    let Started {
        server, logs, port, ..
    } = Server::start(
        dir.path(),
        &[],
        &["--callers", callers.to_str().expect("path")],
    );
    let mut diagnosis = DiagnosisServiceClient::new(connect(port).await);

    for _ in 0..500 {
        let refused = diagnosis
            .diagnose(authorized(
                pb::DiagnoseRequest {
                    reference: "TX".into(),
                    ..Default::default()
                },
                "a-guessed-token",
                None,
            ))
            .await
            .expect_err("a bad token");
        assert!(
            matches!(
                refused.code(),
                tonic::Code::Unauthenticated | tonic::Code::ResourceExhausted
            ),
            "{refused:?}"
        );
    }
    // On SIGTERM the refusals not yet written are audited together.
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let lines = logs.all();

    let refusals: Vec<&String> = lines
        .iter()
        .filter(|line| line.contains("paydiag::audit") && line.contains("refused"))
        .collect();
    assert_eq!(refusals.len(), 2, "{refusals:#?}");
    assert!(refusals[0].contains("call refused") && refusals[0].contains("count=1"));
    assert!(
        refusals[1].contains("calls refused") && refusals[1].contains("count=499"),
        "{}",
        refusals[1]
    );
    drop(server);
}
