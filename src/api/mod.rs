//! The gRPC services: requests are checked and converted here, facts loaded from the store,
//! the engine evaluates, and the diagnosis is rendered back. No rule lives in this layer.

pub mod diagnosis_codec;
pub mod enums;
pub mod error;
pub mod fact_codec;
pub mod networks;
pub mod search;
pub mod validate;

mod diagnosis_service;
mod fact_service;

pub use diagnosis_service::{DiagnosisApi, MAX_BATCH};
pub use fact_service::FactApi;

use crate::{engine::policy::RuleSet, i18n::Catalog, store::SharedStore};
use std::sync::Arc;

/// What every RPC works with.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where facts live.
    pub store: SharedStore,
    /// The rules diagnoses are made with.
    pub rules: Arc<RuleSet>,
    /// The message catalogs.
    pub catalog: Arc<Catalog>,
}

impl AppState {
    /// State over `store` with `rules` and the shipped message catalogs.
    pub fn new(store: SharedStore, rules: RuleSet) -> anyhow::Result<Self> {
        Ok(Self {
            store,
            rules: Arc::new(rules),
            catalog: Arc::new(Catalog::load()?),
        })
    }
}
