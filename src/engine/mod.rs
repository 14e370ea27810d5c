//! The rule engine: facts and an evaluation time in, a diagnosis out. Pure: no I/O, no clock.

pub mod context;
pub mod diagnosis;
mod evidence;
pub mod model;
pub mod next_step;
pub mod policy;
pub mod rules;
pub mod service_levels;
pub mod time;

use chrono::{DateTime, Utc};
use context::Context;
use diagnosis::{Action, Cause, Diagnosis, Finding, MatchKind, NextStep, Outcome, Text};
use model::{Claim, Facts, Transaction};
use policy::RuleSet;
use rules::{RULES, Resolution};

/// Evaluates every rule against `facts` as of `as_of` and picks the primary cause.
pub fn evaluate(
    rules: &RuleSet,
    reference: &str,
    claim: &Claim,
    facts: &Facts,
    as_of: DateTime<Utc>,
) -> Diagnosis {
    let ctx = Context::new(reference, claim, facts, rules, as_of);
    let mut findings = Vec::with_capacity(RULES.len() + 1);
    findings.extend(rules::ownership::finding(&facts.ownership));
    let mut resolutions: Vec<(Cause, Resolution)> = Vec::new();
    for rule in RULES {
        let verdict = (rule.evaluate)(&ctx);
        if let Some(resolution) = verdict.resolution {
            resolutions.push((rule.cause, resolution));
        }
        findings.push(Finding {
            rule: rule.name,
            cause: Some(rule.cause),
            outcome: verdict.outcome,
            detail: verdict.detail,
            evidence: verdict.evidence,
        });
    }
    debug_assert!(
        findings
            .iter()
            .filter_map(|f| Some((f.outcome, f.cause?)))
            .all(|(outcome, cause)| (outcome == Outcome::Matched)
                == resolutions.iter().any(|(c, _)| *c == cause))
    );

    let primary = primary_index(&resolutions);
    let (cause, mut resolution) = match primary {
        Some(i) => resolutions.remove(i),
        None => (Cause::Undetermined, undetermined()),
    };
    let (matched_by, transaction) = found(&ctx);
    let step = &mut resolution.next_step;
    step.recheck_at = step.recheck_at.map(time::representable);
    step.expected_resolution_at = step.expected_resolution_at.map(time::representable);
    step.required_evidence = evidence::required(cause, step.action, &ctx);
    step.service_level = rules.service_level(step.action).copied();
    let customer_message = next_step::customer_message(resolution.customer_message, step);
    Diagnosis {
        reference: reference.to_owned(),
        as_of,
        cause,
        contributing_causes: resolutions.into_iter().map(|(c, _)| c).collect(),
        findings,
        next_step: resolution.next_step,
        customer_message,
        ruleset_version: rules.version().clone(),
        matched_by,
        transaction,
    }
}

/// How the transaction was found, and the transaction as of the evaluation time with the
/// confirmations it needs resolved from its policy.
fn found(ctx: &Context<'_>) -> (MatchKind, Option<Transaction>) {
    let Some(tx) = ctx.tx() else {
        return (MatchKind::None, None);
    };
    let matched_by = if tx.reference == ctx.reference {
        MatchKind::Reference
    } else {
        MatchKind::TxHash
    };
    let mut tx = tx.clone();
    if tx.required_confirmations == 0 {
        tx.required_confirmations = ctx.rules.policy(&tx.network).policy.required_confirmations;
    }
    (matched_by, Some(tx))
}

/// The first match in precedence order, or the first cause it yields to that matched too.
fn primary_index(matched: &[(Cause, Resolution)]) -> Option<usize> {
    let (_, first) = matched.first()?;
    let yielded = first
        .yields_to
        .iter()
        .find_map(|cause| matched.iter().position(|(c, _)| c == cause));
    Some(yielded.unwrap_or(0))
}

fn undetermined() -> Resolution {
    Resolution {
        next_step: NextStep::new(Action::Escalate, Text::new("undetermined-summary")),
        customer_message: Text::new("undetermined-customer"),
        yields_to: &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(cause: Cause, action: Action, yields_to: &'static [Cause]) -> (Cause, Resolution) {
        let resolution = Resolution {
            next_step: NextStep::new(action, Text::new("summary")),
            customer_message: Text::new("customer"),
            yields_to,
        };
        (cause, resolution)
    }

    #[test]
    fn the_first_match_is_primary_unless_it_yields_to_a_later_one_whatever_the_actions() {
        let stalled = matched(Cause::ConfirmationStalled, Action::Escalate, &[]);
        for action in [Action::CheckReference, Action::ContactSupport, Action::Wait] {
            let yielding = matched(Cause::InputMismatch, action, &[Cause::ConfirmationStalled]);
            let standing = matched(Cause::InputMismatch, action, &[]);
            assert_eq!(primary_index(&[yielding, stalled.clone()]), Some(1));
            assert_eq!(primary_index(&[standing, stalled.clone()]), Some(0));
        }
        // Yielding to a cause that did not match changes nothing.
        let not_found = matched(
            Cause::NotFound,
            Action::CheckReference,
            &[Cause::Maintenance],
        );
        assert_eq!(primary_index(&[not_found]), Some(0));
        assert_eq!(primary_index(&[]), None);
    }
}
