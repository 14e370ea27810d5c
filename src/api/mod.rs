//! The gRPC services: requests are checked and converted here, facts loaded from the store,
//! the engine evaluates, and the diagnosis is rendered back. No rule lives in this layer.

pub mod diagnosis_codec;
pub mod enums;
pub mod error;
pub mod fact_codec;
pub mod networks;
pub mod page_token;
pub mod reason;
pub mod records;
pub mod search;
pub mod validate;

mod diagnosis_service;
mod fact_service;
mod triage;
mod watch;

pub use diagnosis_service::{DiagnosisApi, MAX_BATCH};
pub use fact_service::{FactApi, IMPORT_BATCH};
pub use watch::DiagnosisStream;

use crate::{
    clock::{Clock, SystemClock},
    engine::policy::RuleSet,
    i18n::Catalog,
    recorder::{RecordOptions, Recorder},
    store::SharedStore,
    triage::extract::{ExtractConfig, Extractor},
    watch::{WatchOptions, Watches},
};
use anyhow::Context as _;
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
    /// Reads tickets, with the rules' reference patterns and network names.
    pub extractor: Arc<Extractor>,
    /// Where diagnoses made for a ticket leave their records.
    pub recorder: Recorder,
    /// The watches of this replica, and the clock they read.
    pub watches: Arc<Watches>,
}

impl AppState {
    /// State over `store` with `rules` and the shipped message catalogs.
    pub fn new(store: SharedStore, rules: RuleSet) -> anyhow::Result<Self> {
        let extractor = Extractor::new(&extract_config(&rules))
            .context("compiling the rules' triage.reference_patterns")?;
        Ok(Self {
            store,
            rules: Arc::new(rules),
            catalog: Arc::new(Catalog::load()?),
            extractor: Arc::new(extractor),
            recorder: Recorder::new(RecordOptions::default()),
            watches: Arc::new(Watches::new(WatchOptions::default(), Arc::new(SystemClock))),
        })
    }

    /// This state, recording with `options` (buffer, batches, retention) instead of the
    /// defaults.
    pub fn recording(self, options: RecordOptions) -> Self {
        Self {
            recorder: Recorder::new(options),
            ..self
        }
    }

    /// This state, watching within `options` and reading the time from `clock` instead of the
    /// defaults and the system's clock.
    pub fn watching(self, options: WatchOptions, clock: Arc<dyn Clock>) -> Self {
        Self {
            watches: Arc::new(Watches::new(options, clock)),
            ..self
        }
    }
}

/// What ticket extraction needs of the rules: reference patterns, and every network's code and
/// aliases as the names customers write.
pub fn extract_config(rules: &RuleSet) -> ExtractConfig {
    let network_names = rules
        .networks()
        .into_iter()
        .flat_map(|(code, policy)| {
            std::iter::once(code.to_owned())
                .chain(policy.aliases.iter().cloned())
                .map(move |name| (name, code.to_owned()))
        })
        .collect();
    ExtractConfig {
        reference_patterns: rules.triage().reference_patterns.clone(),
        network_names,
    }
}
