//! Incoming facts checked and converted to domain types, and stored facts converted back.

use super::{
    enums,
    validate::{Check, MAX_NOTE_CHARS, MAX_TEXT_CHARS, Violation},
};
use crate::engine::model::{
    ALL_NETWORKS, AccountState, AccountStatus, CustomerConfirmation, ExpectedPayment, FreezeReason,
    InformationRequest, MaintenanceWindow, NetworkCondition, Transaction, TransactionKind,
    TransactionStatus,
};
use crate::pb::v1 as pb;
use crate::store::Fact;
use chrono::{DateTime, TimeDelta, Utc};

/// Longest backlog drain a window may declare.
const MAX_BACKLOG_DRAIN: TimeDelta = TimeDelta::days(30);
/// Highest congestion factor accepted: beyond this a network is down, which is maintenance.
const MAX_CONGESTION: f64 = 1000.0;
/// Most confirmations a transaction may report or require.
const MAX_CONFIRMATIONS: u32 = 1_000_000;

/// Checks and converts a transaction; `prefix` is its path in the request.
pub fn transaction(p: &pb::Transaction, prefix: &str) -> Result<Transaction, Vec<Violation>> {
    let mut c = Check::new(prefix);
    let reference = c.id("reference", &p.reference);
    let account_id = c.id("account_id", &p.account_id);
    let kind = c.enumeration("kind", p.kind, true, enums::kind);
    let network = c.code("network", &p.network, true);
    let asset = c.code("asset", &p.asset, true);
    let amount = c.decimal("amount", &p.amount, true);
    let destination = c.text("destination", &p.destination, MAX_TEXT_CHARS, false);
    let memo = c.text("memo", &p.memo, MAX_TEXT_CHARS, false);
    let tx_hash = c.tx_hash("tx_hash", &p.tx_hash);
    let status = c.enumeration("status", p.status, true, enums::status);
    let failure_reason = c.enumeration("failure_reason", p.failure_reason, false, enums::failure);
    for (field, n) in [
        ("confirmations", p.confirmations),
        ("required_confirmations", p.required_confirmations),
    ] {
        if n > MAX_CONFIRMATIONS {
            c.violation(field, format!("must be at most {MAX_CONFIRMATIONS}"));
        }
    }
    let created_at = c.timestamp("created_at", p.created_at.as_ref(), true);
    let updated_at = c.timestamp("updated_at", p.updated_at.as_ref(), false);
    let completed_at = c.timestamp("completed_at", p.completed_at.as_ref(), false);
    if let Some(created) = created_at {
        not_before(&mut c, "updated_at", updated_at, created);
        not_before(&mut c, "completed_at", completed_at, created);
    }
    if failure_reason.is_some() && status != Some(TransactionStatus::Failed) {
        c.violation(
            "failure_reason",
            "is only allowed when status is TRANSACTION_STATUS_FAILED",
        );
    }
    if completed_at.is_some() && status != Some(TransactionStatus::Completed) {
        c.violation(
            "completed_at",
            "is only allowed when status is TRANSACTION_STATUS_COMPLETED",
        );
    }
    // Only funds coming in are credited: outgoing ones are released, or not.
    let incoming = matches!(
        kind,
        Some(TransactionKind::Deposit | TransactionKind::Payment)
    );
    if status == Some(TransactionStatus::NotCredited) && kind.is_some() && !incoming {
        c.violation(
            "status",
            "TRANSACTION_STATUS_NOT_CREDITED is only allowed for deposits and payments",
        );
    }
    let expected = expected_payment(&mut c, p.expected.as_ref());
    let customer_confirmation =
        customer_confirmation(&mut c, p.customer_confirmation.as_ref(), created_at);
    let information_request =
        information_request(&mut c, p.information_request.as_ref(), created_at);
    // A transaction that completed or was rejected is held for nothing.
    let in_flight = |s| {
        matches!(
            s,
            TransactionStatus::Pending | TransactionStatus::Confirming
        )
    };
    if p.information_request.is_some() && status.is_some_and(|s| !in_flight(s)) {
        c.violation(
            "information_request",
            "is only allowed while the transaction is in flight (TRANSACTION_STATUS_PENDING or \
             TRANSACTION_STATUS_CONFIRMING)",
        );
    }
    if p.customer_confirmation.is_some() {
        // Nothing has been sent while the customer has yet to confirm, and only what the
        // customer sends out is theirs to confirm.
        if status.is_some_and(|s| s != TransactionStatus::Pending) {
            c.violation(
                "customer_confirmation",
                "is only allowed when status is TRANSACTION_STATUS_PENDING",
            );
        }
        if kind == Some(TransactionKind::Deposit) {
            c.violation(
                "customer_confirmation",
                "is not allowed on a deposit: only what the customer sends out is confirmed",
            );
        }
    }
    let (Some(kind), Some(network), Some(asset), Some(amount), Some(status), Some(created_at)) =
        (kind, network, asset, amount, status, created_at)
    else {
        return Err(c.into_violations());
    };
    c.finish()?;
    Ok(Transaction {
        reference,
        account_id,
        kind,
        network,
        asset,
        amount,
        destination,
        memo,
        status,
        failure_reason,
        confirmations: p.confirmations,
        required_confirmations: p.required_confirmations,
        created_at,
        updated_at,
        completed_at,
        expected,
        tx_hash,
        customer_confirmation,
        information_request,
    })
}

fn information_request(
    c: &mut Check,
    p: Option<&pb::InformationRequest>,
    created_at: Option<DateTime<Utc>>,
) -> Option<InformationRequest> {
    let p = p?;
    if p.items.is_empty() {
        c.violation(
            "information_request.items",
            "must name at least one item asked for",
        );
    }
    let mut items = Vec::with_capacity(p.items.len());
    for (i, raw) in p.items.iter().enumerate() {
        let field = format!("information_request.items[{i}]");
        match c.enumeration(&field, *raw, true, enums::requested_information) {
            Some(item) if items.contains(&item) => c.violation(&field, "is named twice"),
            Some(item) => items.push(item),
            None => {}
        }
    }
    let requested_at = c.timestamp(
        "information_request.requested_at",
        p.requested_at.as_ref(),
        true,
    );
    if let (Some(asked), Some(created)) = (requested_at, created_at) {
        if asked < created {
            c.violation(
                "information_request.requested_at",
                "must not be before created_at",
            );
        }
    }
    Some(InformationRequest {
        items,
        requested_at: requested_at?,
    })
}

fn customer_confirmation(
    c: &mut Check,
    p: Option<&pb::CustomerConfirmation>,
    created_at: Option<DateTime<Utc>>,
) -> Option<CustomerConfirmation> {
    let p = p?;
    let method = c.enumeration(
        "customer_confirmation.method",
        p.method,
        true,
        enums::confirmation_method,
    );
    let expires_at = c.timestamp(
        "customer_confirmation.expires_at",
        p.expires_at.as_ref(),
        true,
    );
    if let (Some(expires), Some(created)) = (expires_at, created_at) {
        if expires <= created {
            c.violation(
                "customer_confirmation.expires_at",
                "must be after created_at",
            );
        }
    }
    Some(CustomerConfirmation {
        method: method?,
        expires_at: expires_at?,
    })
}

fn not_before(c: &mut Check, field: &str, value: Option<DateTime<Utc>>, created: DateTime<Utc>) {
    if value.is_some_and(|t| t < created) {
        c.violation(field, "must not be before created_at");
    }
}

fn expected_payment(c: &mut Check, p: Option<&pb::ExpectedPayment>) -> ExpectedPayment {
    let Some(p) = p else {
        return ExpectedPayment::default();
    };
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    ExpectedPayment {
        amount: c.decimal("expected.amount", &p.amount, false),
        asset: c.code("expected.asset", &p.asset, false),
        network: c.code("expected.network", &p.network, false),
        destination: non_empty(c.text(
            "expected.destination",
            &p.destination,
            MAX_TEXT_CHARS,
            false,
        )),
        memo: non_empty(c.text("expected.memo", &p.memo, MAX_TEXT_CHARS, false)),
    }
}

/// Checks and converts an account status entry.
pub fn account_status(
    p: &pb::AccountStatus,
    prefix: &str,
) -> Result<AccountStatus, Vec<Violation>> {
    let mut c = Check::new(prefix);
    let account_id = c.id("account_id", &p.account_id);
    let state = c.enumeration("state", p.state, true, enums::state);
    let reason = c.enumeration("reason", p.reason, false, enums::freeze);
    let mut restricted_kinds = Vec::with_capacity(p.restricted_kinds.len());
    for (i, raw) in p.restricted_kinds.iter().enumerate() {
        let field = format!("restricted_kinds[{i}]");
        restricted_kinds.extend(c.enumeration(&field, *raw, true, enums::kind));
    }
    let effective_from = c.timestamp("effective_from", p.effective_from.as_ref(), true);
    let effective_until = c.timestamp("effective_until", p.effective_until.as_ref(), false);
    if let (Some(from), Some(until)) = (effective_from, effective_until) {
        if until <= from {
            c.violation("effective_until", "must be after effective_from");
        }
    }
    let note = c.text("note", &p.note, MAX_NOTE_CHARS, true);
    // A security hold is a restriction that lifts itself: without its end it would never lift,
    // and a frozen state would block more than the hold does.
    if reason.is_some_and(FreezeReason::security_hold) {
        if state.is_some_and(|s| s != AccountState::Restricted) {
            c.violation(
                "state",
                "must be ACCOUNT_STATE_RESTRICTED when the reason is a security hold",
            );
        }
        if p.effective_until.is_none() {
            c.violation(
                "effective_until",
                "is required when the reason is a security hold: the hold ends then",
            );
        }
    }
    match state {
        Some(AccountState::Active) if reason.is_some() => {
            c.violation("reason", "must be unset when the state is ACTIVE")
        }
        // An unknown reason number has been named already; only an unset one is missing.
        Some(AccountState::Frozen | AccountState::Restricted) if p.reason == 0 => {
            c.violation(
                "reason",
                "is required when the state is FROZEN or RESTRICTED",
            );
        }
        _ => {}
    }
    match state {
        Some(AccountState::Restricted) if p.restricted_kinds.is_empty() => {
            c.violation(
                "restricted_kinds",
                "must name at least one kind when the state is RESTRICTED",
            );
        }
        Some(AccountState::Active | AccountState::Frozen) if !p.restricted_kinds.is_empty() => {
            c.violation(
                "restricted_kinds",
                "is only allowed when the state is RESTRICTED",
            );
        }
        _ => {}
    }
    let (Some(state), Some(effective_from)) = (state, effective_from) else {
        return Err(c.into_violations());
    };
    c.finish()?;
    Ok(AccountStatus {
        account_id,
        state,
        reason,
        restricted_kinds,
        effective_from,
        effective_until,
        note,
    })
}

/// Checks and converts a maintenance window.
pub fn maintenance_window(
    p: &pb::MaintenanceWindow,
    prefix: &str,
) -> Result<MaintenanceWindow, Vec<Violation>> {
    let mut c = Check::new(prefix);
    let id = c.id("id", &p.id);
    let network = if p.network == ALL_NETWORKS {
        Some(p.network.clone())
    } else {
        c.code("network", &p.network, true)
    };
    let mut kinds = Vec::with_capacity(p.kinds.len());
    for (i, raw) in p.kinds.iter().enumerate() {
        kinds.extend(c.enumeration(&format!("kinds[{i}]"), *raw, true, enums::kind));
    }
    let maintenance_type = c.enumeration("type", p.r#type, true, enums::maintenance);
    let starts_at = c.timestamp("starts_at", p.starts_at.as_ref(), true);
    let ends_at = c.timestamp("ends_at", p.ends_at.as_ref(), false);
    if let (Some(start), Some(end)) = (starts_at, ends_at) {
        if end <= start {
            c.violation("ends_at", "must be after starts_at");
        }
    }
    let backlog_drain = c.duration("backlog_drain", p.backlog_drain.as_ref(), MAX_BACKLOG_DRAIN);
    let title = c.text("title", &p.title, MAX_TEXT_CHARS, false);
    let (Some(network), Some(maintenance_type), Some(starts_at)) =
        (network, maintenance_type, starts_at)
    else {
        return Err(c.into_violations());
    };
    c.finish()?;
    Ok(MaintenanceWindow {
        id,
        network,
        kinds,
        maintenance_type,
        starts_at,
        ends_at,
        backlog_drain,
        title,
    })
}

/// Checks and converts a network condition.
pub fn network_condition(
    p: &pb::NetworkCondition,
    prefix: &str,
) -> Result<NetworkCondition, Vec<Violation>> {
    let mut c = Check::new(prefix);
    let network = c.code("network", &p.network, true);
    let factor = p.congestion_factor;
    if !(1.0..=MAX_CONGESTION).contains(&factor) {
        c.violation(
            "congestion_factor",
            format!("must be between 1.0 (normal) and {MAX_CONGESTION}, got {factor}"),
        );
    }
    let observed_at = c.timestamp("observed_at", p.observed_at.as_ref(), true);
    let (Some(network), Some(observed_at)) = (network, observed_at) else {
        return Err(c.into_violations());
    };
    c.finish()?;
    Ok(NetworkCondition {
        network,
        congestion_factor: factor,
        observed_at,
    })
}

/// Checks and converts one item of an import stream.
pub fn import_item(p: &pb::ImportFactsRequest) -> Result<Fact, Vec<Violation>> {
    use pb::import_facts_request::Fact as P;
    match &p.fact {
        Some(P::Transaction(t)) => transaction(t, "transaction").map(Fact::Transaction),
        Some(P::AccountStatus(s)) => account_status(s, "account_status").map(Fact::AccountStatus),
        Some(P::MaintenanceWindow(w)) => {
            maintenance_window(w, "maintenance_window").map(Fact::MaintenanceWindow)
        }
        Some(P::NetworkCondition(n)) => {
            network_condition(n, "network_condition").map(Fact::NetworkCondition)
        }
        None => Err(vec![Violation {
            field: "fact".into(),
            description: "is required: set one fact".into(),
        }]),
    }
}

/// A domain time as a protobuf timestamp.
pub fn timestamp(t: DateTime<Utc>) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: t.timestamp(),
        nanos: t.timestamp_subsec_nanos() as i32,
    }
}

/// A stored transaction as returned to callers.
pub fn transaction_pb(t: &Transaction) -> pb::Transaction {
    let e = &t.expected;
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    pb::Transaction {
        reference: t.reference.clone(),
        account_id: t.account_id.clone(),
        kind: enums::kind_pb(t.kind).into(),
        network: t.network.clone(),
        asset: t.asset.clone(),
        amount: t.amount.to_string(),
        destination: t.destination.clone(),
        memo: t.memo.clone(),
        status: enums::status_pb(t.status).into(),
        failure_reason: t.failure_reason.map_or(0, |r| enums::failure_pb(r).into()),
        confirmations: t.confirmations,
        required_confirmations: t.required_confirmations,
        created_at: Some(timestamp(t.created_at)),
        updated_at: t.updated_at.map(timestamp),
        completed_at: t.completed_at.map(timestamp),
        expected: (*e != ExpectedPayment::default()).then(|| pb::ExpectedPayment {
            amount: e.amount.map(|a| a.to_string()).unwrap_or_default(),
            asset: text(&e.asset),
            network: text(&e.network),
            destination: text(&e.destination),
            memo: text(&e.memo),
        }),
        tx_hash: t.tx_hash.clone(),
        customer_confirmation: t.customer_confirmation.map(|c| pb::CustomerConfirmation {
            method: enums::confirmation_method_pb(c.method).into(),
            expires_at: Some(timestamp(c.expires_at)),
        }),
        information_request: t
            .information_request
            .as_ref()
            .map(|r| pb::InformationRequest {
                items: r
                    .items
                    .iter()
                    .map(|i| enums::requested_information_pb(*i).into())
                    .collect(),
                requested_at: Some(timestamp(r.requested_at)),
            }),
    }
}

/// A stored account status as returned to callers.
pub fn account_status_pb(s: &AccountStatus) -> pb::AccountStatus {
    pb::AccountStatus {
        account_id: s.account_id.clone(),
        state: enums::state_pb(s.state).into(),
        reason: s.reason.map_or(0, |r| enums::freeze_pb(r).into()),
        restricted_kinds: s
            .restricted_kinds
            .iter()
            .map(|k| enums::kind_pb(*k).into())
            .collect(),
        effective_from: Some(timestamp(s.effective_from)),
        effective_until: s.effective_until.map(timestamp),
        note: s.note.clone(),
    }
}

/// A stored maintenance window as returned to callers.
pub fn maintenance_window_pb(w: &MaintenanceWindow) -> pb::MaintenanceWindow {
    let drain = w.backlog_drain;
    pb::MaintenanceWindow {
        id: w.id.clone(),
        network: w.network.clone(),
        kinds: w.kinds.iter().map(|k| enums::kind_pb(*k).into()).collect(),
        r#type: enums::maintenance_pb(w.maintenance_type).into(),
        starts_at: Some(timestamp(w.starts_at)),
        ends_at: w.ends_at.map(timestamp),
        backlog_drain: Some(prost_types::Duration {
            seconds: drain.num_seconds(),
            nanos: drain.subsec_nanos(),
        }),
        title: w.title.clone(),
    }
}

/// A stored network condition as returned to callers.
pub fn network_condition_pb(n: &NetworkCondition) -> pb::NetworkCondition {
    pb::NetworkCondition {
        network: n.network.clone(),
        congestion_factor: n.congestion_factor,
        observed_at: Some(timestamp(n.observed_at)),
    }
}
