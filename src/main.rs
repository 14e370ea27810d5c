//! The `paydiag` command line: `serve`, `import` and `diagnose`.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use paydiag::{client, json, pb::v1 as pb, server, store::StoreConfig, telemetry};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

/// Payment-incident diagnosis: why a transaction is late, missing or refused, and what to do next.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the gRPC API.
    Serve {
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
        /// Most connections to the store (SQLite: read connections).
        #[arg(long, env = "PAYDIAG_DB_POOL_SIZE", default_value_t = 16)]
        db_pool_size: usize,
        /// Longest wait for a store connection, e.g. "2s".
        #[arg(long, env = "PAYDIAG_DB_ACQUIRE_TIMEOUT", default_value = "2s", value_parser = humantime::parse_duration)]
        db_acquire_timeout: Duration,
        /// Longest a PostgreSQL operation may take before the call is answered UNAVAILABLE.
        #[arg(long, env = "PAYDIAG_DB_OPERATION_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
        db_operation_timeout: Duration,
        /// How often the store is probed to keep health up to date.
        #[arg(long, env = "PAYDIAG_HEALTH_PROBE_INTERVAL", default_value = "1s", value_parser = humantime::parse_duration)]
        health_probe_interval: Duration,
        /// How long calls in flight may take to finish after shutdown begins.
        #[arg(long, env = "PAYDIAG_DRAIN_GRACE", default_value = "30s", value_parser = humantime::parse_duration)]
        drain_grace: Duration,
    },
    /// Stream an NDJSON file of ImportFactsRequest (protobuf JSON) to a running server.
    Import {
        /// The file: one ImportFactsRequest per line.
        file: PathBuf,
        /// The server's address.
        #[arg(long, env = "PAYDIAG_SERVER", default_value = "127.0.0.1:50051")]
        server: String,
    },
    /// Diagnose a transaction on a running server and print the diagnosis as JSON.
    Diagnose {
        /// The transaction reference.
        reference: String,
        /// The server's address.
        #[arg(long, env = "PAYDIAG_SERVER", default_value = "127.0.0.1:50051")]
        server: String,
        /// Language of the texts: en or zh-CN.
        #[arg(long, default_value = "en")]
        locale: String,
        /// Evaluate as of this RFC 3339 time instead of now.
        #[arg(long)]
        as_of: Option<chrono::DateTime<chrono::Utc>>,
        /// What the customer claims, as a protobuf JSON Claim, e.g. '{"amount":"100","network":"TRON"}'.
        #[arg(long)]
        claim: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init_logging();
    match run(Cli::parse().command).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("paydiag: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve {
            listen,
            db,
            rules,
            demo,
            db_pool_size,
            db_acquire_timeout,
            db_operation_timeout,
            health_probe_interval,
            drain_grace,
        } => {
            let store = StoreConfig {
                db,
                pool_size: db_pool_size,
                acquire_timeout: db_acquire_timeout,
                operation_timeout: db_operation_timeout,
            };
            let options = server::ServerOptions {
                drain_grace,
                health_probe_interval,
            };
            let config = server::ServeConfig {
                listen,
                store,
                rules,
                demo,
                options,
            };
            server::serve(config, telemetry::shutdown_signal()).await?;
        }
        Command::Import { file, server } => {
            let response = client::import(&server, &file).await?;
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
            locale,
            as_of,
            claim,
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
            };
            let diagnosis = client::diagnose(&server, request).await?;
            println!("{}", json::to_json(&diagnosis, "paydiag.v1.Diagnosis")?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
