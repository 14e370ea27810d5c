//! When an outcome can next change by time alone.

use super::{
    model::{Claim, Facts},
    policy::RuleSet,
};
use chrono::{DateTime, Utc};

/// The earliest moment after `as_of` at which the same facts may be diagnosed otherwise: for
/// now, when the next step says to look again or expects the resolution.
pub fn next_change(
    rules: &RuleSet,
    reference: &str,
    claim: &Claim,
    facts: &Facts,
    as_of: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let diagnosis = super::evaluate(rules, reference, claim, facts, as_of);
    let step = &diagnosis.next_step;
    [step.recheck_at, step.expected_resolution_at]
        .into_iter()
        .flatten()
        .filter(|at| *at > as_of)
        .min()
}
