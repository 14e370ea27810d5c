//! A PostgreSQL schema of a test's own, so that tests run in parallel on one database and leave
//! nothing behind: created empty, named `paydiag_test_<random>`, dropped when the test ends,
//! however it ends.

#![allow(dead_code)]

use paydiag::store::postgres::PostgresConfig;
use std::{net::SocketAddr, time::Duration};
use tokio_postgres::{Client, NoTls};

/// The variable naming the database the tests may create schemas in.
pub const URL_VAR: &str = "PAYDIAG_TEST_POSTGRES_URL";

/// The database URL: from the environment when the test runs, else as it was when built.
pub fn base_url() -> String {
    std::env::var(URL_VAR)
        .ok()
        .or_else(|| option_env!("PAYDIAG_TEST_POSTGRES_URL").map(str::to_owned))
        .unwrap_or_else(|| {
            panic!("{URL_VAR} is not set: set it to postgres://postgres@127.0.0.1:5432/test")
        })
}

/// Where the database server listens, for a proxy to forward to.
pub fn upstream() -> (String, u16) {
    let config: tokio_postgres::Config = base_url().parse().expect("a PostgreSQL URL");
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
        other => panic!("the tests need a TCP host in {URL_VAR}, not {other:?}"),
    };
    (host, config.get_ports().first().copied().unwrap_or(5432))
}

/// `url` with its host and port replaced by `addr`; everything else is kept.
pub fn with_address(url: &str, addr: SocketAddr) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let user = authority
        .rsplit_once('@')
        .map(|(user, _)| format!("{user}@"))
        .unwrap_or_default();
    format!("{scheme}://{user}{addr}{tail}")
}

/// A schema that exists from [`TestSchema::create`] until the value is dropped.
#[derive(Debug)]
pub struct TestSchema {
    name: String,
    base_url: String,
}

impl TestSchema {
    /// Creates a fresh, empty schema.
    pub async fn create() -> Self {
        Self::create_named("").await
    }

    /// Creates a fresh, empty schema whose name is as long as PostgreSQL allows: 63 bytes.
    pub async fn create_long() -> Self {
        Self::create_named("_named_as_long_as_a_schema_name_is").await
    }

    async fn create_named(suffix: &str) -> Self {
        let random = getrandom::u64().expect("random bytes");
        let schema = Self {
            name: format!("paydiag_test_{random:016x}{suffix}"),
            base_url: base_url(),
        };
        let client = connect(&schema.base_url).await;
        client
            .batch_execute(&format!("CREATE SCHEMA {}", schema.name))
            .await
            .expect("creating the test schema");
        schema
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL whose connections work in this schema only. They also carry the schema's name as
    /// their `application_name`, so that the drop can find any still open.
    pub fn url(&self) -> String {
        self.url_setting(&[])
    }

    /// [`TestSchema::url`] whose sessions also take each `(name, value)` setting, as the
    /// `options` of a libpq URL give them (`-c name=value`).
    pub fn url_setting(&self, settings: &[(&str, &str)]) -> String {
        let separator = if self.base_url.contains('?') {
            '&'
        } else {
            '?'
        };
        let more: String = settings
            .iter()
            .map(|(name, value)| format!("%20-c%20{name}%3D{value}"))
            .collect();
        format!(
            "{}{separator}options=-c%20search_path%3D{name}{more}&application_name={name}",
            self.base_url,
            name = self.name
        )
    }

    /// [`TestSchema::url`] through `addr` (a proxy) instead of the server's own address.
    pub fn url_via(&self, addr: SocketAddr) -> String {
        with_address(&self.url(), addr)
    }

    /// A store configuration for this schema with generous timeouts.
    pub fn store_config(&self) -> PostgresConfig {
        PostgresConfig {
            url: self.url(),
            pool_size: 4,
            acquire_timeout: Duration::from_secs(10),
            operation_timeout: Duration::from_secs(10),
        }
    }

    /// A client of its own in this schema, for looking at what the store wrote.
    pub async fn client(&self) -> Client {
        connect(&self.url()).await
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        self.client()
            .await
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .expect("counting rows")
            .get(0)
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        // Drop runs outside async code (and may run while panicking): drop the schema on a
        // thread with a runtime of its own, and wait for it.
        let (url, name) = (self.base_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(drop_schema(&url, &name))
        })
        .join();
        let failure = match dropped {
            Ok(Ok(())) => return,
            Ok(Err(e)) => format!("{e}"),
            Err(_) => "the dropping thread panicked".to_owned(),
        };
        if std::thread::panicking() {
            eprintln!("could not drop test schema {}: {failure}", self.name);
        } else {
            panic!("could not drop test schema {}: {failure}", self.name);
        }
    }
}

async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connecting to PostgreSQL ({URL_VAR}): {e}"));
    tokio::spawn(connection);
    client
}

async fn drop_schema(url: &str, name: &str) -> Result<(), tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(connection);
    let drop = format!("DROP SCHEMA IF EXISTS {name} CASCADE");
    client.batch_execute("SET lock_timeout = '3s'").await?;
    if client.batch_execute(&drop).await.is_ok() {
        return Ok(());
    }
    // A session of the test still holds a lock on the schema's tables: one left inside a
    // transaction behind a blackholed proxy, or a store the test leaked. End them, then drop.
    client
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1 AND pid <> pg_backend_pid()",
            &[&name],
        )
        .await?;
    client.batch_execute("SET lock_timeout = '10s'").await?;
    client.batch_execute(&drop).await
}
