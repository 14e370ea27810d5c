//! The rule engine: facts and an evaluation time in, a diagnosis out. Pure: no I/O, no clock.

pub mod context;
pub mod diagnosis;
mod evidence;
pub mod horizon;
pub mod model;
pub mod next_step;
pub mod policy;
pub mod rules;
pub mod service_levels;
pub mod time;

use chrono::{DateTime, Utc};
use context::{Context, Held};
use diagnosis::{Action, Cause, Diagnosis, Finding, MatchKind, NextStep, Outcome, Text};
use model::{Claim, Facts, Transaction};
use policy::RuleSet;
use rules::{RULES, Resolution, Verdict};

/// Evaluates every rule against `facts` as of `as_of` and picks the primary cause.
///
/// The findings are stated in the light of the primary cause: when it holds the transaction
/// ([`Verdict::holding`]), every other rule is evaluated again knowing the hold, so that none
/// counts waiting through it or promises a completion time. The primary cause is the one picked
/// before: the hold is its own, and explains the transaction first.
pub fn evaluate(
    rules: &RuleSet,
    reference: &str,
    claim: &Claim,
    facts: &Facts,
    as_of: DateTime<Utc>,
) -> Diagnosis {
    let ctx = Context::new(reference, claim, facts, rules, as_of);
    let mut verdicts: Vec<Verdict> = RULES.iter().map(|rule| (rule.evaluate)(&ctx)).collect();
    settle_alone(&mut verdicts);
    let primary = primary_rule(&verdicts);
    let held = primary.and_then(|i| {
        let holding = verdicts[i].resolution.as_ref()?.holds.clone()?;
        let by = RULES[i].name;
        Some(Held { by, holding })
    });
    let ctx = match held {
        Some(held) => {
            let ctx = ctx.held_by(held);
            for (i, rule) in RULES.iter().enumerate() {
                if Some(i) != primary {
                    verdicts[i] = (rule.evaluate)(&ctx);
                }
            }
            settle_alone(&mut verdicts);
            ctx
        }
        None => ctx,
    };

    let mut findings = Vec::with_capacity(RULES.len() + 1);
    findings.extend(rules::ownership::finding(&facts.ownership));
    let mut resolution = None;
    let mut contributing_causes = Vec::new();
    for (i, (rule, verdict)) in RULES.iter().zip(verdicts).enumerate() {
        debug_assert_eq!(
            verdict.outcome == Outcome::Matched,
            verdict.resolution.is_some()
        );
        match verdict.resolution {
            Some(r) if Some(i) == primary => resolution = Some(r),
            Some(_) => contributing_causes.push(rule.cause),
            None => {}
        }
        findings.push(Finding {
            rule: rule.name,
            cause: Some(rule.cause),
            outcome: verdict.outcome,
            detail: verdict.detail,
            evidence: verdict.evidence,
        });
    }
    let (cause, mut resolution) = match (primary, resolution) {
        (Some(i), Some(resolution)) => (RULES[i].cause, resolution),
        _ => (Cause::Undetermined, undetermined()),
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
        contributing_causes,
        findings,
        next_step: resolution.next_step,
        customer_message,
        ruleset_version: rules.version().clone(),
        matched_by,
        transaction,
    }
}

/// A cause that is the absence of every other ([`Verdict::alone`]) stands only when no other
/// rule matched; otherwise its finding is not matched, with the detail it gave for that case.
fn settle_alone(verdicts: &mut [Verdict]) {
    let matched = verdicts.iter().filter(|v| v.resolution.is_some()).count();
    if matched < 2 {
        return;
    }
    for verdict in verdicts.iter_mut() {
        let otherwise = verdict.resolution.as_ref().and_then(|r| r.alone.clone());
        if let Some(otherwise) = otherwise {
            *verdict = Verdict::not_matched(otherwise, std::mem::take(&mut verdict.evidence));
        }
    }
}

/// The index in [`RULES`] of the primary cause among `verdicts` (one per rule), if any matched.
fn primary_rule(verdicts: &[Verdict]) -> Option<usize> {
    let matched: Vec<(usize, Cause, &Resolution)> = RULES
        .iter()
        .zip(verdicts)
        .enumerate()
        .filter_map(|(i, (rule, v))| Some((i, rule.cause, v.resolution.as_ref()?)))
        .collect();
    let causes: Vec<(Cause, &Resolution)> = matched.iter().map(|(_, c, r)| (*c, *r)).collect();
    primary_index(&causes).map(|m| matched[m].0)
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
fn primary_index(matched: &[(Cause, &Resolution)]) -> Option<usize> {
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
        holds: None,
        alone: None,
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
            holds: None,
            alone: None,
        };
        (cause, resolution)
    }

    fn pick(matched: &[(Cause, Resolution)]) -> Option<usize> {
        let refs: Vec<(Cause, &Resolution)> = matched.iter().map(|(c, r)| (*c, r)).collect();
        primary_index(&refs)
    }

    #[test]
    fn the_first_match_is_primary_unless_it_yields_to_a_later_one_whatever_the_actions() {
        let stalled = matched(Cause::ConfirmationStalled, Action::Escalate, &[]);
        for action in [Action::CheckReference, Action::ContactSupport, Action::Wait] {
            let yielding = matched(Cause::InputMismatch, action, &[Cause::ConfirmationStalled]);
            let standing = matched(Cause::InputMismatch, action, &[]);
            assert_eq!(pick(&[yielding, stalled.clone()]), Some(1));
            assert_eq!(pick(&[standing, stalled.clone()]), Some(0));
        }
        // Yielding to a cause that did not match changes nothing.
        let not_found = matched(
            Cause::NotFound,
            Action::CheckReference,
            &[Cause::Maintenance],
        );
        assert_eq!(pick(&[not_found]), Some(0));
        assert_eq!(pick(&[]), None);
    }

    fn verdict(id: &'static str) -> Verdict {
        Verdict::matched(
            Text::new(id),
            vec![("key", id.to_owned())],
            NextStep::new(Action::None, Text::new("summary")),
            Text::new("customer"),
        )
    }

    #[test]
    fn a_cause_that_is_the_absence_of_every_other_stands_only_alone() {
        let absence = || verdict("nothing-wrong").alone(Text::new("something-else"));
        let mut alone = vec![Verdict::no_transaction(), absence()];
        settle_alone(&mut alone);
        assert_eq!(alone[1].outcome, Outcome::Matched);

        let mut with_another = vec![verdict("delayed"), absence()];
        settle_alone(&mut with_another);
        assert_eq!(with_another[0].outcome, Outcome::Matched);
        assert_eq!(
            with_another[1],
            Verdict::not_matched(
                Text::new("something-else"),
                vec![("key", "nothing-wrong".to_owned())]
            ),
            "not matched, its evidence kept"
        );
    }
}
