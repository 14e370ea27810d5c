//! `DiagnosisService.ListNetworks`: the networks of the rules, with the facts in force for each.

use super::{
    error::ServiceError,
    fact_codec::{maintenance_window_pb, timestamp},
};
use crate::engine::{
    context,
    model::{ALL_NETWORKS, MaintenanceWindow, NetworkCondition},
    policy::RuleSet,
};
use crate::pb::v1 as pb;
use crate::store::FactStore;
use chrono::{DateTime, Utc};

/// Every network of `rules` as the store's facts show it at `as_of`.
pub async fn list(
    store: &dyn FactStore,
    rules: &RuleSet,
    as_of: DateTime<Utc>,
) -> Result<pb::ListNetworksResponse, ServiceError> {
    let (windows, conditions) = tokio::try_join!(
        store.windows_not_cleared(as_of),
        store.latest_conditions(as_of)
    )?;
    let networks = rules
        .networks()
        .into_iter()
        .map(|(code, policy)| {
            let own: Vec<&MaintenanceWindow> = windows
                .iter()
                .filter(|w| w.network == code || w.network == ALL_NETWORKS)
                .collect();
            let condition = in_force(&conditions, code, rules, as_of);
            pb::Network {
                code: code.to_owned(),
                aliases: policy.aliases.iter().map(|a| a.to_uppercase()).collect(),
                kind: if policy.required_confirmations > 0 {
                    pb::NetworkKind::Chain
                } else {
                    pb::NetworkKind::Rail
                }
                .into(),
                required_confirmations: policy.required_confirmations,
                expected_time: prost_types::Duration::try_from(policy.normal_time()).ok(),
                business_days: policy.business_days,
                holidays: policy
                    .holidays
                    .dates()
                    .iter()
                    .map(|d| d.to_string())
                    .collect(),
                assets: policy.assets.clone().unwrap_or_default(),
                min_deposits: policy
                    .min_deposit
                    .iter()
                    .map(|(asset, minimum)| (asset.clone(), minimum.0.to_string()))
                    .collect(),
                memo_required: policy.memo_required,
                congestion_factor: condition.map_or(1.0, |c| c.congestion_factor),
                congestion_observed_at: condition.map(|c| timestamp(c.observed_at)),
                held_up: own.iter().any(|w| w.holds_at(as_of)),
                maintenance_windows: own.into_iter().map(maintenance_window_pb).collect(),
            }
        })
        .collect();
    Ok(pb::ListNetworksResponse {
        networks,
        as_of: Some(timestamp(as_of)),
        ruleset_version: rules.version().to_string(),
    })
}

/// The observation of `network` a diagnosis at `as_of` would use: the latest, unless too old.
fn in_force<'a>(
    conditions: &'a [NetworkCondition],
    network: &str,
    rules: &RuleSet,
    as_of: DateTime<Utc>,
) -> Option<&'a NetworkCondition> {
    let latest = conditions.iter().find(|c| c.network == network)?;
    context::fresh(latest, rules, as_of).then_some(latest)
}
