//! Store metrics: latency of every operation and errors by kind, whatever the backend.

use super::{Fact, FactQuery, FactStore, SharedStore, StoreError};
use crate::engine::model::Facts;
use async_trait::async_trait;
use std::time::Instant;

/// Wraps a store and records `paydiag_store_operation_duration_seconds` and
/// `paydiag_store_errors_total`, by operation.
#[derive(Debug)]
pub struct Instrumented {
    inner: SharedStore,
}

impl Instrumented {
    /// Instruments `inner`.
    pub fn new(inner: SharedStore) -> Self {
        Self { inner }
    }
}

async fn timed<T>(
    operation: &'static str,
    call: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    let started = Instant::now();
    let result = call.await;
    metrics::histogram!("paydiag_store_operation_duration_seconds", "operation" => operation)
        .record(started.elapsed().as_secs_f64());
    if let Err(e) = &result {
        let kind = match e {
            StoreError::Unavailable(_) => "unavailable",
            StoreError::Internal(_) => "internal",
        };
        metrics::counter!("paydiag_store_errors_total", "operation" => operation, "kind" => kind)
            .increment(1);
    }
    result
}

#[async_trait]
impl FactStore for Instrumented {
    async fn put_facts(&self, facts: Vec<Fact>) -> Result<(), StoreError> {
        timed("put_facts", self.inner.put_facts(facts)).await
    }

    async fn delete_maintenance_window(&self, id: &str) -> Result<bool, StoreError> {
        timed(
            "delete_maintenance_window",
            self.inner.delete_maintenance_window(id),
        )
        .await
    }

    async fn load_facts(&self, query: &FactQuery) -> Result<Facts, StoreError> {
        timed("load_facts", self.inner.load_facts(query)).await
    }

    async fn load_many(&self, queries: &[FactQuery]) -> Result<Vec<Facts>, StoreError> {
        timed("load_many", self.inner.load_many(queries)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        timed("ping", self.inner.ping()).await
    }
}
