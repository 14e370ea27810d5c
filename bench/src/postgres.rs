//! A PostgreSQL schema of the benchmark's own, for `--postgres`: created empty in the given
//! database, served by the Diagnose server, dropped when the benchmark ends, however it ends.

use anyhow::Context as _;
use tokio_postgres::NoTls;

/// A schema that exists from [`Schema::create`] until [`Schema::drop`].
#[derive(Debug)]
pub struct Schema {
    base_url: String,
    name: String,
}

impl Schema {
    /// Creates a fresh, empty schema named `paydiag_bench_<random>` in the database at
    /// `base_url`.
    pub async fn create(base_url: &str) -> anyhow::Result<Self> {
        let random = getrandom::u64().map_err(|e| anyhow::anyhow!("random bytes: {e}"))?;
        let schema = Self {
            base_url: base_url.to_owned(),
            name: format!("paydiag_bench_{random:016x}"),
        };
        schema
            .execute(&format!("CREATE SCHEMA {}", schema.name))
            .await
            .context("creating the benchmark's PostgreSQL schema")?;
        Ok(schema)
    }

    /// A URL whose connections work in this schema only.
    pub fn url(&self) -> String {
        let separator = if self.base_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{separator}options=-c%20search_path%3D{}",
            self.base_url, self.name
        )
    }

    /// Drops the schema and everything in it.
    pub async fn drop(self) -> anyhow::Result<()> {
        self.execute(&format!("DROP SCHEMA {} CASCADE", self.name))
            .await
            .with_context(|| format!("dropping the benchmark's schema {}", self.name))
    }

    async fn execute(&self, sql: &str) -> anyhow::Result<()> {
        let (client, connection) = tokio_postgres::connect(&self.base_url, NoTls)
            .await
            .context("connecting to PostgreSQL")?;
        let connection = tokio::spawn(connection);
        client.batch_execute(sql).await?;
        drop(client);
        connection.await??;
        Ok(())
    }
}
