//! The `paydiag` command line: `serve`, `import`, `diagnose` and `token`.

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use paydiag::{
    auth,
    client::{self, View},
    json,
    pb::v1 as pb,
    recorder::RecordOptions,
    server,
    store::StoreConfig,
    telemetry,
    watch::WatchOptions,
};
use std::{
    io::IsTerminal as _, net::SocketAddr, path::PathBuf, process::ExitCode, sync::Arc,
    time::Duration,
};

/// mimalloc: a diagnosis allocates many small, short-lived strings on every worker thread, where
/// it spends far less time than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Payment-incident diagnosis: why a transaction is late, missing or refused, and what to do next.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// How log lines are written to stderr.
    #[arg(long, global = true, env = "PAYDIAG_LOG_FORMAT", value_enum, default_value_t = telemetry::LogFormat::Text)]
    log_format: telemetry::LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gRPC API.
    Serve(Box<ServeArgs>),
    /// Stream an NDJSON file of ImportFactsRequest (protobuf JSON) to a running server, showing
    /// its progress when stderr is a terminal.
    Import {
        /// The file: one ImportFactsRequest per line.
        file: PathBuf,
        /// The server's address.
        #[arg(long, env = "PAYDIAG_SERVER", default_value = "127.0.0.1:50051")]
        server: String,
        /// Bearer token to call with.
        #[arg(long, env = "PAYDIAG_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Diagnose a transaction on a running server and print the diagnosis as JSON.
    Diagnose {
        /// The transaction's reference, or its transaction hash.
        reference: String,
        /// The server's address.
        #[arg(long, env = "PAYDIAG_SERVER", default_value = "127.0.0.1:50051")]
        server: String,
        /// Bearer token to call with.
        #[arg(long, env = "PAYDIAG_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Language of the texts: one of these tags, or another tag the server takes for one
        /// (any case, with `-` or `_`).
        #[arg(long, default_value = "en", value_parser = client::LocaleParser)]
        locale: String,
        /// Evaluate as of this RFC 3339 time instead of now.
        #[arg(long)]
        as_of: Option<chrono::DateTime<chrono::Utc>>,
        /// What the customer claims, as a protobuf JSON Claim, e.g. '{"amount":"100","network":"TRON"}'.
        #[arg(long)]
        claim: Option<String>,
        /// How much to return: full (with every rule's finding) or basic (without findings).
        #[arg(long, value_enum, default_value_t = View::Full)]
        view: View,
        /// The account of the customer asking: another account's transaction is then diagnosed
        /// as an unknown reference.
        #[arg(long)]
        requester: Option<String>,
        /// The customer's IANA time zone, e.g. Asia/Shanghai, in which the texts show moments
        /// (default: the zone the server's rules file gives the locale's readers; timestamps
        /// stay UTC).
        #[arg(long, value_parser = client::parse_time_zone)]
        time_zone: Option<chrono_tz::Tz>,
    },
    /// Create a new caller token: prints the token (give it to the caller) and the callers-file
    /// entry holding only its hash.
    Token {
        /// The caller's name.
        #[arg(long)]
        name: String,
        /// Its roles: reader, writer.
        #[arg(long, value_delimiter = ',', default_value = "reader")]
        roles: Vec<String>,
    },
}

/// `paydiag serve` settings; every flag can also be set by its PAYDIAG_* variable.
#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PAYDIAG_LISTEN", default_value = "127.0.0.1:50051")]
    listen: SocketAddr,
    /// The fact store: a SQLite file path (created if missing), or a postgres:// URL.
    #[arg(
        long,
        env = "PAYDIAG_DB",
        default_value = "paydiag.db",
        hide_env_values = true
    )]
    db: String,
    /// A rules file (TOML) replacing the shipped network policies.
    #[arg(long, env = "PAYDIAG_RULES")]
    rules: Option<PathBuf>,
    /// Load the demo data set (one transaction per cause) at start.
    #[arg(long, env = "PAYDIAG_DEMO")]
    demo: bool,
    /// Callers file (TOML): who may call, by token hash and roles. Without it every call is
    /// anonymous, which is allowed only on loopback addresses.
    #[arg(long, env = "PAYDIAG_CALLERS")]
    callers: Option<PathBuf>,
    /// Serve TLS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, env = "PAYDIAG_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "PAYDIAG_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Require client certificates signed by this CA (PEM): mutual TLS. Needs --tls-cert.
    #[arg(long, env = "PAYDIAG_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// Serve anonymous callers on a non-loopback address. Anyone who can connect can then read
    /// and write facts.
    #[arg(long, env = "PAYDIAG_INSECURE_ALLOW_ANONYMOUS")]
    insecure_allow_anonymous: bool,
    /// Calls per second each caller may make, unless the callers file sets its own; 0 = no limit.
    #[arg(long, env = "PAYDIAG_RATE_LIMIT_PER_SECOND", default_value_t = 1000)]
    rate_limit_per_second: u32,
    /// Where to serve Prometheus metrics over HTTP ("off" for nowhere). Keep it private.
    #[arg(long, env = "PAYDIAG_METRICS_LISTEN", default_value = "127.0.0.1:9464")]
    metrics_listen: OptionalAddr,
    /// Most connections to the store (SQLite: read connections).
    #[arg(long, env = "PAYDIAG_DB_POOL_SIZE", default_value_t = 16)]
    db_pool_size: usize,
    /// Longest wait for a store connection, e.g. "2s".
    #[arg(long, env = "PAYDIAG_DB_ACQUIRE_TIMEOUT", default_value = "2s", value_parser = humantime::parse_duration)]
    db_acquire_timeout: Duration,
    /// Longest a PostgreSQL operation may take before the call is answered UNAVAILABLE.
    #[arg(long, env = "PAYDIAG_DB_OPERATION_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    db_operation_timeout: Duration,
    /// Largest request message accepted, in bytes.
    #[arg(long, env = "PAYDIAG_MAX_REQUEST_BYTES", default_value_t = 1024 * 1024)]
    max_request_bytes: usize,
    /// Most items one ImportFacts call may stream.
    #[arg(long, env = "PAYDIAG_MAX_IMPORT_ITEMS", default_value_t = 5_000_000)]
    max_import_items: u64,
    /// Most connections open at once; more are closed as soon as they are accepted. Default:
    /// half the open-file limit, at most 10000.
    #[arg(long, env = "PAYDIAG_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// How long a new connection has to begin HTTP/2 (or complete its TLS handshake).
    #[arg(long, env = "PAYDIAG_HANDSHAKE_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    handshake_timeout: Duration,
    /// How long a connection may carry no call before it is closed (with GOAWAY).
    #[arg(long, env = "PAYDIAG_IDLE_TIMEOUT", default_value = "5m", value_parser = humantime::parse_duration)]
    idle_timeout: Duration,
    /// Most calls at once on one connection, advertised to clients so that they queue the rest.
    #[arg(long, env = "PAYDIAG_MAX_CALLS_PER_CONNECTION", default_value_t = 128)]
    max_calls_per_connection: usize,
    /// Most calls at once across all connections; more are refused with RESOURCE_EXHAUSTED.
    /// Health checks and reflection have budgets of their own.
    #[arg(long, env = "PAYDIAG_MAX_CALLS_IN_FLIGHT", default_value_t = 2048)]
    max_calls_in_flight: usize,
    /// Most calls at once from one caller (anonymous callers together count as one).
    #[arg(long, env = "PAYDIAG_MAX_CALLS_PER_CALLER", default_value_t = 512)]
    max_calls_per_caller: usize,
    /// How long a request message has to arrive whole, e.g. "5s" (not ImportFacts' stream).
    #[arg(long, env = "PAYDIAG_MESSAGE_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    message_timeout: Duration,
    /// Longest a call may run; a shorter deadline set by the caller wins. For ImportFacts, longest
    /// its stream may go without an item (noticed within twice that).
    #[arg(long, env = "PAYDIAG_REQUEST_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    request_timeout: Duration,
    /// How often idle connections are pinged (half-open ones are then closed).
    #[arg(long, env = "PAYDIAG_KEEPALIVE_INTERVAL", default_value = "30s", value_parser = humantime::parse_duration)]
    keepalive_interval: Duration,
    /// How long a keepalive ping may go unanswered before the connection is closed.
    #[arg(long, env = "PAYDIAG_KEEPALIVE_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    keepalive_timeout: Duration,
    /// How often the store is probed to keep health up to date.
    #[arg(long, env = "PAYDIAG_HEALTH_PROBE_INTERVAL", default_value = "1s", value_parser = humantime::parse_duration)]
    health_probe_interval: Duration,
    /// How long calls in flight may take to finish after shutdown begins.
    #[arg(long, env = "PAYDIAG_DRAIN_GRACE", default_value = "30s", value_parser = humantime::parse_duration)]
    drain_grace: Duration,
    /// How long case records (diagnoses made with a ticket id) are kept, e.g. "400d"; older
    /// ones are deleted in the background.
    #[arg(long, env = "PAYDIAG_RECORDS_RETENTION", default_value = "400d", value_parser = humantime::parse_duration)]
    records_retention: Duration,
    /// How often records older than the retention are deleted.
    #[arg(long, env = "PAYDIAG_RECORDS_RETENTION_INTERVAL", default_value = "1h", value_parser = humantime::parse_duration)]
    records_retention_interval: Duration,
    /// Longest a case record waits to be committed with others; records of at most this long
    /// (plus two commits) before a crash may be lost.
    #[arg(long, env = "PAYDIAG_RECORDS_FLUSH_INTERVAL", default_value = "50ms", value_parser = humantime::parse_duration)]
    records_flush_interval: Duration,
    /// Most case records committed together. Under a few thousand records a second a batch
    /// holds what a flush interval gathers; beyond, larger batches keep up (one commit per
    /// batch).
    #[arg(long, env = "PAYDIAG_RECORDS_BATCH", default_value_t = 5_000)]
    records_batch: usize,
    /// Most case records waiting to be written, as while the store is away; more are dropped
    /// and counted in paydiag_records_dropped_total.
    #[arg(long, env = "PAYDIAG_RECORDS_BUFFER", default_value_t = 100_000)]
    records_buffer: usize,
    /// Most WatchDiagnosis streams open at once on this replica; more are refused with
    /// RESOURCE_EXHAUSTED (WATCH_LIMIT).
    #[arg(long, env = "PAYDIAG_MAX_WATCHES", default_value_t = 10_000)]
    max_watches: usize,
    /// Most WatchDiagnosis streams one caller may hold open at once on this replica (anonymous
    /// callers count as one).
    #[arg(long, env = "PAYDIAG_MAX_WATCHES_PER_CALLER", default_value_t = 1_000)]
    max_watches_per_caller: usize,
    /// How long a watched reference that names no transaction is watched for one to appear
    /// before the watch ends on NOT_FOUND.
    #[arg(long, env = "PAYDIAG_WATCH_NOT_FOUND_GRACE", default_value = "10m", value_parser = humantime::parse_duration)]
    watch_not_found_grace: Duration,
}

impl ServeArgs {
    fn into_config(self) -> anyhow::Result<server::ServeConfig> {
        let callers = match &self.callers {
            Some(path) => auth::Callers::load(path)?,
            None => auth::Callers::default(),
        };
        let store = StoreConfig {
            db: self.db,
            pool_size: self.db_pool_size,
            acquire_timeout: self.db_acquire_timeout,
            operation_timeout: self.db_operation_timeout,
        };
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                Some(server::Tls::load(cert, key, self.tls_client_ca.as_deref())?)
            }
            _ => None,
        };
        let options = server::ServerOptions {
            tls,
            callers: Arc::new(callers),
            rate_limit_per_second: self.rate_limit_per_second,
            max_request_bytes: self.max_request_bytes,
            max_import_items: self.max_import_items,
            connections: server::ConnectionLimits {
                max_connections: self
                    .max_connections
                    .unwrap_or_else(paydiag::transport::default_max_connections),
                handshake_timeout: self.handshake_timeout,
                idle_timeout: self.idle_timeout,
            },
            max_calls_per_connection: self.max_calls_per_connection,
            max_calls_in_flight: self.max_calls_in_flight,
            max_calls_per_caller: self.max_calls_per_caller,
            message_timeout: self.message_timeout,
            request_timeout: self.request_timeout,
            keepalive_interval: self.keepalive_interval,
            keepalive_timeout: self.keepalive_timeout,
            drain_grace: self.drain_grace,
            health_probe_interval: self.health_probe_interval,
        };
        Ok(server::ServeConfig {
            listen: self.listen,
            metrics_listen: self.metrics_listen.0,
            store,
            rules: self.rules,
            demo: self.demo,
            options,
            insecure_allow_anonymous: self.insecure_allow_anonymous,
            records: RecordOptions {
                buffer: self.records_buffer,
                batch: self.records_batch,
                flush_interval: self.records_flush_interval,
                retention: self.records_retention,
                retention_interval: self.records_retention_interval,
                ..RecordOptions::default()
            },
            watches: WatchOptions {
                per_replica: self.max_watches,
                per_caller: self.max_watches_per_caller,
                not_found_grace: self.watch_not_found_grace,
            },
        })
    }
}

/// An address, or "off" for none.
#[derive(Debug, Clone, Copy)]
struct OptionalAddr(Option<SocketAddr>);

impl std::str::FromStr for OptionalAddr {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.eq_ignore_ascii_case("off") {
            return Ok(Self(None));
        }
        let addr = value
            .parse()
            .map_err(|e| format!("{e}: expected host:port or \"off\""))?;
        Ok(Self(Some(addr)))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = match telemetry::init_logging(cli.log_format) {
        Ok(logs) => logs,
        Err(e) => {
            eprintln!("paydiag: starting the log writer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = run(cli.command).await;
    // Flush queued log lines before anything else is printed or the process ends.
    drop(logs);
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("paydiag: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => {
            server::serve(args.into_config()?, telemetry::shutdown_signal()).await?
        }
        Command::Import {
            file,
            server,
            token,
        } => {
            let show_progress = std::io::stderr().is_terminal();
            let response = client::import(&server, token.as_deref(), &file, show_progress).await?;
            println!(
                "{}",
                json::to_json(&response, "paydiag.v1.ImportFactsResponse")?
            );
            // Automation can tell a partial import from a clean one.
            if response.rejected_count > 0 {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Diagnose {
            reference,
            server,
            token,
            locale,
            as_of,
            claim,
            view,
            requester,
            time_zone,
        } => {
            let claim = claim
                .map(|json| json::from_json::<pb::Claim>(&json, "paydiag.v1.Claim"))
                .transpose()
                .context("reading --claim")?;
            let as_of = as_of.map(paydiag::api::fact_codec::timestamp);
            let request = pb::DiagnoseRequest {
                reference,
                as_of,
                claim,
                locale,
                ticket_id: String::new(),
                view: pb::DiagnosisView::from(view).into(),
                requester_account_id: requester.unwrap_or_default(),
                time_zone: time_zone
                    .map(|zone| zone.name().to_owned())
                    .unwrap_or_default(),
            };
            let diagnosis = client::diagnose(&server, token.as_deref(), request).await?;
            println!("{}", json::to_json(&diagnosis, "paydiag.v1.Diagnosis")?);
        }
        Command::Token { name, roles } => {
            let (token, hash) = auth::new_token()?;
            let roles: Vec<String> = roles.iter().map(|r| format!("{:?}", r.trim())).collect();
            println!("# Give this token to {name:?} (it is shown only now):\n# {token}\n");
            println!(
                "[[callers]]\nname = {name:?}\ntoken_sha256 = \"{hash}\"\nroles = [{}]",
                roles.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
