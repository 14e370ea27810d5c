//! How tickets are triaged, from the rules file's `[triage]` section: the patterns of platform
//! references, how candidates are searched and matched, and where each diagnosis sends a ticket.
//! The zone a ticket's times are read in is its language's, from `[time_zones]`.

use crate::engine::diagnosis::{Action, Cause};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::time::Duration;

/// What the ticket system should do with a ticket (or with one candidate of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Resolves by itself or needs only the customer: reply automatically.
    AutoReply,
    /// A person must act: route to a queue.
    Route,
    /// Stalled or unexplained: escalate.
    Escalate,
    /// Nothing identified: ask the customer.
    NeedsInfo,
}

/// How urgent; `P1` is the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Act now.
    P1,
    /// Within hours.
    P2,
    /// Within a working day.
    P3,
    /// When time allows.
    P4,
}

/// One row of the routing table: the first row whose cause (and action, if given) match a
/// diagnosis decides what happens to it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The primary cause it applies to.
    pub cause: Cause,
    /// The next action it applies to; unset = any.
    #[serde(default)]
    pub action: Option<Action>,
    /// What to do.
    pub disposition: Disposition,
    /// Where to, for `route` and `escalate`.
    #[serde(default)]
    pub queue: Option<String>,
    /// How urgent, for `route` and `escalate`.
    #[serde(default)]
    pub priority: Option<Priority>,
}

/// Where a diagnosis sends a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Routing<'a> {
    /// What to do.
    pub disposition: Disposition,
    /// Where to (route and escalate only).
    pub queue: Option<&'a str>,
    /// How urgent (route and escalate only).
    pub priority: Option<Priority>,
}

/// The `[triage]` section as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageFile {
    /// Regular expressions of platform references (see `regex` syntax).
    pub reference_patterns: Vec<String>,
    /// How far before a ticket an account's transactions are searched.
    #[serde(with = "humantime_serde")]
    pub look_back: Duration,
    /// How far a transaction's amount may be from the claimed one and still fit, as a fraction
    /// written as a decimal string ("0.02" = 2 %): fees make the two differ.
    pub amount_tolerance: String,
    /// Most candidates one ticket is diagnosed for.
    pub max_candidates: usize,
    /// Written before `[time_zones]`: the zone of the Chinese locales' readers, in a rules file
    /// that has no `[time_zones]`.
    #[serde(default)]
    pub chinese_time_zone: Option<String>,
    /// Written before `[time_zones]`: the zone of the other locales' readers, in a rules file
    /// that has no `[time_zones]`.
    #[serde(default)]
    pub default_time_zone: Option<String>,
    /// The routing table, first match wins.
    pub routes: Vec<Route>,
}

/// The checked `[triage]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct TriagePolicy {
    /// Patterns of platform references.
    pub reference_patterns: Vec<String>,
    /// Search window before a ticket.
    pub look_back: Duration,
    /// Relative amount tolerance.
    pub amount_tolerance: Decimal,
    /// Most candidates per ticket.
    pub max_candidates: usize,
    routes: Vec<Route>,
}

impl TriagePolicy {
    /// Checks the section as written; the error says what is wrong.
    pub fn new(file: TriageFile) -> Result<Self, String> {
        let amount_tolerance = Decimal::from_str_exact(&file.amount_tolerance)
            .ok()
            .filter(|t| !t.is_sign_negative() && *t < Decimal::ONE)
            .ok_or("triage.amount_tolerance must be a decimal from 0 to below 1, e.g. \"0.02\"")?;
        for route in &file.routes {
            let needs_queue = matches!(
                route.disposition,
                Disposition::Route | Disposition::Escalate
            );
            if needs_queue != (route.queue.is_some() && route.priority.is_some()) {
                return Err(format!(
                    "triage.routes: {:?}/{:?}: route and escalate rows need a queue and a \
                     priority, and only they may have them",
                    route.cause, route.action
                ));
            }
        }
        Ok(Self {
            reference_patterns: file.reference_patterns,
            look_back: file.look_back,
            amount_tolerance,
            max_candidates: file.max_candidates.max(1),
            routes: file.routes,
        })
    }

    /// Where a diagnosis with `cause` and `action` sends its ticket: the first matching row, or
    /// an escalation to `general` when no row matches, so an unforeseen outcome gets a person.
    pub fn routing(&self, cause: Cause, action: Action) -> Routing<'_> {
        self.routes
            .iter()
            .find(|r| r.cause == cause && r.action.is_none_or(|a| a == action))
            .map_or(
                Routing {
                    disposition: Disposition::Escalate,
                    queue: Some("general"),
                    priority: Some(Priority::P2),
                },
                |r| Routing {
                    disposition: r.disposition,
                    queue: r.queue.as_deref(),
                    priority: r.priority,
                },
            )
    }
}

/// Where a ticket goes, given where each of its candidates would: escalated if any candidate
/// is, else routed if any is (to the most urgent candidate's queue), else answered
/// automatically; with no candidate, the customer is asked for more.
pub fn combine<'a>(candidates: &[Routing<'a>]) -> Routing<'a> {
    let most_urgent = |disposition| {
        candidates
            .iter()
            .filter(|r| r.disposition == disposition)
            .min_by_key(|r| r.priority)
            .copied()
    };
    let only = |disposition| Routing {
        disposition,
        queue: None,
        priority: None,
    };
    if candidates.is_empty() {
        return only(Disposition::NeedsInfo);
    }
    most_urgent(Disposition::Escalate)
        .or_else(|| most_urgent(Disposition::Route))
        .unwrap_or_else(|| only(Disposition::AutoReply))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routing(disposition: Disposition, queue: &str, priority: Priority) -> Routing<'_> {
        Routing {
            disposition,
            queue: Some(queue),
            priority: Some(priority),
        }
    }

    #[test]
    fn a_ticket_goes_where_its_most_pressing_candidate_goes() {
        let auto = Routing {
            disposition: Disposition::AutoReply,
            queue: None,
            priority: None,
        };
        let risk = routing(Disposition::Route, "risk", Priority::P2);
        let general = routing(Disposition::Route, "general", Priority::P3);
        let ops = routing(Disposition::Escalate, "payments_ops", Priority::P3);
        assert_eq!(combine(&[]).disposition, Disposition::NeedsInfo);
        assert_eq!(combine(&[auto, auto]), auto);
        assert_eq!(combine(&[auto, general, risk]), risk);
        assert_eq!(combine(&[risk, ops, auto]), ops);
    }

    #[test]
    fn the_shipped_routes_send_every_outcome_somewhere_and_unforeseen_ones_to_a_person() {
        let rules = crate::engine::policy::RuleSet::shipped();
        let triage = rules.triage();
        assert_eq!(
            triage
                .routing(Cause::ConfirmationDelay, Action::Wait)
                .disposition,
            Disposition::AutoReply
        );
        assert_eq!(
            triage.routing(Cause::ConfirmationStalled, Action::Escalate),
            routing(Disposition::Escalate, "payments_ops", Priority::P2)
        );
        assert_eq!(
            triage.routing(Cause::AccountFrozen, Action::ContactSupport),
            routing(Disposition::Route, "risk", Priority::P2)
        );
        assert_eq!(
            triage.routing(Cause::InputMismatch, Action::RequestRecovery),
            routing(Disposition::Route, "recovery", Priority::P2)
        );
        // An action no row names for its cause.
        assert_eq!(
            triage.routing(Cause::NotFound, Action::Escalate),
            routing(Disposition::Escalate, "general", Priority::P2)
        );
    }
}
