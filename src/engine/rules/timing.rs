//! How long a transaction should take on its network, shared by the stalled and delay rules.
//!
//! Expected time = required confirmations × block interval × congestion factor, or, for rails
//! without confirmations, processing time × congestion factor. The clock starts when the network
//! last resumed processing the transaction, so maintenance never counts towards a stall; on a
//! rail that counts business days, once business time begins. While the primary cause holds the
//! transaction (a freeze, say), the clock stops where the hold began and no completion time is
//! given: the evidence says from when waiting is counted (`waiting_since`), why
//! (`waiting_counted_from`) and what holds it (`held_by`, `held_since`).

use super::Verdict;
use crate::engine::{
    context::Context,
    diagnosis::{Evidence, Text},
    model::Transaction,
    policy::to_delta,
    time::{add, business, fmt_secs, fmt_time, fmt_whole_secs, scale},
};
use chrono::{DateTime, TimeDelta, Utc};

/// When the network last resumed processing `tx`: its creation, or when the latest maintenance
/// window that held it up clears (the evaluation time, for a window with no announced end, which
/// is then [`Hold::Open`]). Time spent held up by maintenance is the maintenance's, not a stall;
/// but a window that began once the transaction had already waited past `stall_after` does not
/// excuse it: it had stalled before the maintenance.
fn resumed_at(
    ctx: &Context<'_>,
    tx: &Transaction,
    stall_after: TimeDelta,
) -> (DateTime<Utc>, Hold) {
    let mut holding: Vec<_> = ctx
        .facts
        .maintenance_windows
        .iter()
        .filter(|w| w.held_up(tx, ctx.as_of))
        .collect();
    holding.sort_unstable_by_key(|w| w.starts_at);
    let mut resumed = tx.created_at;
    let mut open = false;
    for window in holding {
        if window.starts_at > add(resumed, stall_after) {
            break;
        }
        match window.clears_at() {
            Some(clears) => resumed = resumed.max(clears),
            None => open = true,
        }
    }
    if open {
        (resumed.max(ctx.as_of), Hold::Open)
    } else if resumed > ctx.as_of {
        (resumed, Hold::Until(resumed))
    } else {
        (resumed, Hold::None)
    }
}

/// Whether maintenance still holds a transaction at the evaluation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// Processing is not held up (any window that held it has cleared).
    None,
    /// Held up until a window clears at this moment.
    Until(DateTime<Utc>),
    /// Held up by a window with no announced end.
    Open,
}

/// How a transaction's times are counted: every hour, or business days only (weekdays that are
/// not the rail's holidays).
#[derive(Clone, Copy)]
enum Clock<'a> {
    Calendar,
    Business(&'a business::Calendar),
}

impl Clock<'_> {
    /// `t + d` on this clock.
    fn add(self, t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
        match self {
            Clock::Calendar => add(t, d),
            Clock::Business(holidays) => holidays.add(t, d),
        }
    }

    /// The time from `from` to `to` on this clock.
    fn elapsed(self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self {
            Clock::Calendar => to - from,
            Clock::Business(holidays) => holidays.elapsed(from, to),
        }
    }

    /// The first moment by which `d` has passed on this clock since `t`: where waiting counted
    /// from `t` reaches `d`.
    fn reached(self, t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
        match self {
            Clock::Calendar => add(t, d),
            Clock::Business(holidays) => holidays.reached(t, d),
        }
    }

    /// When this clock starts counting from `t`: `t` itself, or on a business clock outside
    /// business time, the start of the next business day.
    fn start(self, t: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Clock::Calendar => t,
            // Business time is kept to the millisecond: within business time this is `t` cut
            // to it, which `max` puts back.
            Clock::Business(holidays) => holidays.add(t, TimeDelta::zero()).max(t),
        }
    }
}

/// From when a transaction's waiting is counted, and why: the evidence `waiting_counted_from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountedFrom {
    /// From its creation.
    Created,
    /// From when the maintenance (and its backlog) that held it up cleared.
    MaintenanceCleared,
    /// From the start of its rail's next business day: it was created (or resumed) outside
    /// business time.
    BusinessDay,
    /// From when the primary cause's hold is lifted: it was held before any waiting counted.
    HoldLifted,
}

impl CountedFrom {
    /// The stable code the evidence reports.
    pub fn code(self) -> &'static str {
        match self {
            CountedFrom::Created => "created",
            CountedFrom::MaintenanceCleared => "maintenance_cleared",
            CountedFrom::BusinessDay => "business_day",
            CountedFrom::HoldLifted => "hold_lifted",
        }
    }
}

/// The timing of one in-flight transaction at the evaluation time.
pub struct Timing {
    /// Confirmations required (0 for rails).
    pub required: u32,
    /// Confirmations collected.
    pub confirmations: u32,
    /// The congestion factor applied.
    pub congestion: f64,
    /// The congestion factor as the texts and the evidence write it, formatted once.
    congestion_text: String,
    /// How long the whole transaction should take.
    pub expected_time: TimeDelta,
    /// Age beyond which it counts as stalled.
    pub stall_after: TimeDelta,
    /// How long it has waited by the evaluation time, counted from `waiting_since` and stopped
    /// where the primary cause's hold began; zero while counting has not begun.
    pub waiting: TimeDelta,
    /// When waiting is counted from; `None` while that is not known (held with no announced
    /// end).
    pub waiting_since: Option<DateTime<Utc>>,
    /// Why waiting is counted from then.
    pub counted_from: CountedFrom,
    /// Whether maintenance still holds it: the stall clock has not started.
    pub hold: Hold,
    /// When it should be done, never before the evaluation time; `None` while it is held.
    pub expected_done: Option<DateTime<Utc>>,
    /// Whether it should have been done before the evaluation time (late, maybe not stalled).
    pub overdue: bool,
    /// When it counts as stalled, if still waiting then; `None` while a hold stops the clock
    /// before that.
    pub stalls_at: Option<DateTime<Utc>>,
    /// Whether the network has no policy of its own.
    pub fallback: bool,
    evidence: Evidence,
}

impl Timing {
    /// The in-flight transaction and its timing, or the verdict for a transaction that is
    /// missing or no longer waiting (both confirmation rules start the same way). The timing is
    /// computed once per evaluation.
    pub fn in_flight<'c>(
        ctx: &'c Context<'_>,
    ) -> Result<(&'c Transaction, &'c Self), Box<Verdict>> {
        let Some(tx) = ctx.tx() else {
            return Err(Box::new(Verdict::no_transaction()));
        };
        if !tx.in_flight() {
            return Err(Box::new(Verdict::not_matched(
                Text::new("confirmation-not-in-flight"),
                Vec::new(),
            )));
        }
        Ok((tx, Self::get(ctx, tx)))
    }

    /// The timing of `tx`, an in-flight transaction, computed once per evaluation.
    pub fn get<'c>(ctx: &'c Context<'_>, tx: &Transaction) -> &'c Self {
        ctx.timing.get_or_init(|| Self::of(ctx, tx))
    }

    /// Computes the timing of `tx` under its network's policy.
    pub fn of(ctx: &Context<'_>, tx: &Transaction) -> Self {
        let policy_ref = ctx.rules.policy(&tx.network);
        let policy = policy_ref.policy;
        let congestion = ctx.congestion();
        let congestion_text = congestion.to_string();
        let stall_factor = ctx.rules.stall_factor(policy);
        // Every entry below fits without growing: at most 20.
        let mut evidence: Evidence = Vec::with_capacity(20);
        evidence.push(("network", tx.network.clone()));
        evidence.push((
            "policy",
            if policy_ref.fallback {
                "fallback".into()
            } else {
                tx.network.clone()
            },
        ));
        // What is left once processing runs: the remaining blocks from the last observation, or
        // the whole processing time.
        let (required, expected_time, remaining) = match policy.block_interval {
            Some(interval) => {
                let required = if tx.required_confirmations > 0 {
                    tx.required_confirmations
                } else {
                    policy.required_confirmations
                };
                let per_block = scale(to_delta(interval), congestion);
                let remaining = required.saturating_sub(tx.confirmations);
                evidence.push(("confirmations", tx.confirmations.to_string()));
                evidence.push(("required_confirmations", required.to_string()));
                evidence.push(("block_interval", fmt_secs(to_delta(interval))));
                let left = scale(per_block, f64::from(remaining));
                (required, scale(per_block, f64::from(required)), Some(left))
            }
            None => {
                let processing = policy.processing_time.map(to_delta).unwrap_or_default();
                evidence.push(("processing_time", fmt_secs(processing)));
                (0, scale(processing, congestion), None)
            }
        };
        let min_stall_after = to_delta(ctx.rules.settings().min_stall_after);
        let stall_after = scale(expected_time, stall_factor).max(min_stall_after);
        // Rails that settle on business days only count their times in them.
        let clock = if policy.business_days && remaining.is_none() {
            evidence.push(("business_days", "true".into()));
            Clock::Business(&policy.holidays)
        } else {
            Clock::Calendar
        };
        let (resumed, hold) = resumed_at(ctx, tx, stall_after);
        let count = Count::of(ctx, tx, clock, resumed, hold, stall_after);
        let done = match remaining {
            // The confirmation count was observed at the last update; the rest follow from there.
            Some(left) => add(tx.observed_at().max(resumed), left),
            None => clock.add(resumed, expected_time),
        };
        match (ctx.condition, ctx.stale_condition) {
            (Some(c), _) => evidence.push(("congestion_observed_at", fmt_time(c.observed_at))),
            (None, Some(stale)) => {
                evidence.push(("congestion_ignored_stale_at", fmt_time(stale.observed_at)))
            }
            (None, None) => {}
        }
        // While the primary cause holds it, when it will be done is not known.
        let held = ctx.held.is_some();
        let expected_done = (!held).then(|| done.max(ctx.as_of));
        let overdue = !held && done < ctx.as_of;
        // The holidays the wait so far and the time still expected skip, for the agent.
        let skipped = match clock {
            Clock::Business(holidays) => holidays.skipped(resumed, done.max(ctx.as_of)),
            Clock::Calendar => Vec::new(),
        };
        if !skipped.is_empty() {
            let dates: Vec<String> = skipped.iter().map(|d| d.to_string()).collect();
            evidence.push(("holidays_skipped", dates.join(",")));
        }
        if hold == Hold::Open {
            evidence.push(("held_by_maintenance_until", "open".into()));
        } else if resumed > tx.created_at {
            evidence.push(("held_by_maintenance_until", fmt_time(resumed)));
        }
        evidence.extend([
            ("congestion_factor", congestion_text.clone()),
            ("expected_time", fmt_secs(expected_time)),
            ("stall_factor", stall_factor.to_string()),
            ("stall_after", fmt_secs(stall_after)),
            ("age", fmt_whole_secs(ctx.as_of - tx.created_at)),
        ]);
        count.report(ctx, tx, &mut evidence);
        Self {
            required,
            confirmations: tx.confirmations,
            congestion,
            congestion_text,
            expected_time,
            stall_after,
            waiting: count.waiting,
            waiting_since: count.since,
            counted_from: count.from,
            hold,
            expected_done,
            overdue,
            stalls_at: count.stalls_at,
            fallback: policy_ref.fallback,
            evidence,
        }
    }

    /// Whether it has waited as long as the stall bound or longer.
    pub fn stalled(&self) -> bool {
        self.waiting >= self.stall_after
    }

    /// Whether any waiting the texts can show (a whole second) has been counted.
    pub fn started(&self) -> bool {
        self.waiting >= TimeDelta::seconds(1)
    }

    /// The evidence both rules report, with room for one entry of the rule's own.
    pub fn evidence(&self) -> Evidence {
        let mut evidence = Vec::with_capacity(self.evidence.len() + 1);
        evidence.extend_from_slice(&self.evidence);
        evidence
    }

    /// Adds the arguments both rules' texts use; `age`, how long it has waited, only once a
    /// whole second has been counted, so that no text says it waited 0 s.
    pub fn args(&self, text: Text, tx: &Transaction) -> Text {
        let mut text = text
            .str("network", tx.network.clone())
            .str("fallback", if self.fallback { "yes" } else { "no" })
            .str("rail", if self.required == 0 { "yes" } else { "no" })
            .num("confirmations", self.confirmations)
            .num("required", self.required)
            .duration("expected_time", self.expected_time);
        if self.started() {
            text = text.duration("age", self.waiting);
        }
        text.str(
            "congested",
            if self.congestion > 1.0 { "yes" } else { "no" },
        )
        .str("congestion", self.congestion_text.clone())
    }
}

/// How waiting is counted for one transaction: from when, why, how much by the evaluation time,
/// and when it would stall.
struct Count {
    since: Option<DateTime<Utc>>,
    from: CountedFrom,
    waiting: TimeDelta,
    stalls_at: Option<DateTime<Utc>>,
}

impl Count {
    /// Counting starts when processing last resumed (on a business clock, once business time
    /// begins) and stops where the primary cause's hold began: a hold in force before counting
    /// began puts the start at its end, when that is known.
    fn of(
        ctx: &Context<'_>,
        tx: &Transaction,
        clock: Clock,
        resumed: DateTime<Utc>,
        hold: Hold,
        stall_after: TimeDelta,
    ) -> Self {
        let start = clock.start(resumed);
        let from = if start > resumed {
            CountedFrom::BusinessDay
        } else if hold == Hold::Open || resumed > tx.created_at {
            CountedFrom::MaintenanceCleared
        } else {
            CountedFrom::Created
        };
        // An open-ended window puts the resumption at the evaluation time only as a bound.
        let since = (hold != Hold::Open).then_some(start);
        // Where waiting reaches the bound ([`Timing::stalled`]): on a business clock, as the
        // business day it runs out in ends, not as the next one begins.
        let stalls = clock.reached(start, stall_after);
        let Some(held) = &ctx.held else {
            return Self {
                since,
                from,
                waiting: clock.elapsed(start, ctx.as_of).max(TimeDelta::zero()),
                stalls_at: Some(stalls),
            };
        };
        let held_from = held.holding.since.max(tx.created_at);
        if hold == Hold::Open || held_from <= start {
            return Self {
                since: held
                    .holding
                    .until
                    .filter(|_| hold != Hold::Open)
                    .map(|until| clock.start(until.max(resumed))),
                from: CountedFrom::HoldLifted,
                waiting: TimeDelta::zero(),
                stalls_at: None,
            };
        }
        let stopped = held_from.min(ctx.as_of);
        Self {
            since,
            from,
            waiting: clock.elapsed(start, stopped).max(TimeDelta::zero()),
            // It stalls only if it had before the hold began.
            stalls_at: (stalls <= held_from).then_some(stalls),
        }
    }

    /// The evidence of how waiting is counted.
    fn report(&self, ctx: &Context<'_>, tx: &Transaction, evidence: &mut Evidence) {
        if let Some(since) = self.since {
            evidence.push(("waiting_since", fmt_time(since)));
        }
        evidence.push(("waiting_counted_from", self.from.code().into()));
        // Written once a whole second has been counted: nothing counted is not "0s" of waiting.
        if self.waiting >= TimeDelta::seconds(1) {
            evidence.push(("waiting", fmt_whole_secs(self.waiting)));
        }
        if let Some(held) = &ctx.held {
            evidence.push(("held_by", held.by.into()));
            evidence.push((
                "held_since",
                fmt_time(held.holding.since.max(tx.created_at)),
            ));
            if let Some(until) = held.holding.until {
                evidence.push(("held_until", fmt_time(until)));
            }
        }
    }
}
