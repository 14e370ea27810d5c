//! Case records on the wire: the record a diagnosis made for a ticket leaves, and
//! `DiagnosisService.ListDiagnosisRecords` (filters checked, pages bound to their filters).

use super::{
    diagnosis_codec::DiagnoseInput,
    enums,
    error::ServiceError,
    fact_codec::timestamp,
    page_token, triage,
    validate::{Check, MAX_ID_CHARS, Violation},
};
use crate::auth::Caller;
use crate::engine::diagnosis::Diagnosis;
use crate::pb::v1 as pb;
use crate::store::{
    FactStore,
    records::{DiagnosisRecord, ListedRecord, RecordCursor, RecordQuery, RecordSource},
};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Records per page when the request names no page size.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Most records per page: a larger page size is read as this (AIP-158).
pub const MAX_PAGE_SIZE: usize = 500;

/// Who made a diagnosis, when and through which call: what its record holds beside the
/// outcome.
#[derive(Debug, Clone)]
pub struct Made {
    /// The caller.
    pub caller: Arc<Caller>,
    /// When the call began, by the server's clock.
    pub at: DateTime<Utc>,
    /// The call.
    pub source: RecordSource,
}

impl Made {
    /// A diagnosis made by `request`'s caller (as the auth layer found it; anonymous when no
    /// callers are configured), at `at`, through `source`.
    pub fn by<T>(request: &tonic::Request<T>, at: DateTime<Utc>, source: RecordSource) -> Self {
        let caller = request.extensions().get::<Arc<Caller>>().cloned();
        Self {
            caller: caller.unwrap_or_else(Caller::anonymous),
            at,
            source,
        }
    }
}

/// The record of `diagnosis`, made for `input`'s ticket; `None` when it names no ticket.
pub fn record_of(
    diagnosis: &Diagnosis,
    input: &DiagnoseInput,
    made: &Made,
) -> Option<DiagnosisRecord> {
    if input.ticket_id.is_empty() {
        return None;
    }
    let tx = diagnosis.transaction.as_ref();
    let step = &diagnosis.next_step;
    Some(DiagnosisRecord {
        ticket_id: input.ticket_id.clone(),
        reference: tx.map_or_else(|| input.reference.clone(), |t| t.reference.clone()),
        tx_hash: match tx {
            Some(t) => (!t.tx_hash.is_empty()).then(|| t.tx_hash.clone()),
            None => input.claim.tx_hash.clone(),
        },
        as_of: diagnosis.as_of,
        diagnosed_at: made.at,
        cause: diagnosis.cause,
        contributing_causes: diagnosis.contributing_causes.clone(),
        action: step.action,
        recheck_at: step.recheck_at,
        expected_resolution_at: step.expected_resolution_at,
        ruleset_version: diagnosis.ruleset_version.to_string(),
        caller: made.caller.name.clone(),
        source: made.source,
        routing: None,
    })
}

/// A checked listing request.
#[derive(Debug, Clone, PartialEq)]
pub struct ListInput {
    /// The store's query, for one more record than a page (to learn whether another follows).
    query: RecordQuery,
    page_size: usize,
}

/// Checks a listing request.
pub fn list_input(p: &pb::ListDiagnosisRecordsRequest) -> Result<ListInput, Vec<Violation>> {
    let mut c = Check::new("");
    let optional = |c: &mut Check, field: &str, value: &str| {
        (!value.is_empty()).then(|| c.text(field, value, MAX_ID_CHARS, false))
    };
    let ticket_id = optional(&mut c, "ticket_id", &p.ticket_id);
    let reference = optional(&mut c, "reference", &p.reference);
    if ticket_id.is_none() && reference.is_none() {
        c.violation(
            "ticket_id",
            "one of ticket_id or reference is required, so that a listing does not read every \
             record",
        );
    }
    let diagnosed_from = c.timestamp("diagnosed_after", p.diagnosed_after.as_ref(), false);
    let diagnosed_before = c.timestamp("diagnosed_before", p.diagnosed_before.as_ref(), false);
    if let (Some(from), Some(before)) = (diagnosed_from, diagnosed_before) {
        if before < from {
            c.violation("diagnosed_before", "must not be before diagnosed_after");
        }
    }
    let page_size = match usize::try_from(p.page_size) {
        Ok(0) => DEFAULT_PAGE_SIZE,
        Ok(n) => n.min(MAX_PAGE_SIZE),
        Err(_) => {
            c.violation(
                "page_size",
                format!("must not be negative (0 = {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE})"),
            );
            DEFAULT_PAGE_SIZE
        }
    };
    let mut input = ListInput {
        query: RecordQuery {
            ticket_id,
            reference,
            diagnosed_from,
            diagnosed_before,
            after: None,
            limit: page_size + 1,
        },
        page_size,
    };
    if !p.page_token.is_empty() {
        input.query.after = page_token::read(&p.page_token, &input.fingerprint())
            .and_then(|(diagnosed_at, id)| {
                let id = id.parse().map_err(|_| "is not a page token paydiag gave")?;
                Ok(RecordCursor { diagnosed_at, id })
            })
            .map_err(|why| c.violation("page_token", why))
            .ok();
    }
    c.finish()?;
    Ok(input)
}

impl ListInput {
    /// What a page token is bound to: every filter, neither the page size nor the cursor.
    fn fingerprint(&self) -> String {
        let q = &self.query;
        page_token::fingerprint(&format!(
            "records|{:?}|{:?}|{:?}|{:?}",
            q.ticket_id, q.reference, q.diagnosed_from, q.diagnosed_before
        ))
    }
}

/// Lists one page.
pub async fn list(
    store: &dyn FactStore,
    input: &ListInput,
) -> Result<pb::ListDiagnosisRecordsResponse, ServiceError> {
    let mut found = store.list_records(&input.query).await?;
    let next = if found.len() > input.page_size {
        found.truncate(input.page_size);
        found.last().map(ListedRecord::cursor)
    } else {
        None
    };
    let fingerprint = input.fingerprint();
    Ok(pb::ListDiagnosisRecordsResponse {
        next_page_token: next
            .map(|c| page_token::write(&fingerprint, c.diagnosed_at, &c.id.to_string()))
            .unwrap_or_default(),
        records: found.into_iter().map(|l| record_pb(l.record)).collect(),
    })
}

/// A record as the contract writes it.
pub fn record_pb(r: DiagnosisRecord) -> pb::DiagnosisRecord {
    let routing = r.routing.as_ref();
    pb::DiagnosisRecord {
        ticket_id: r.ticket_id,
        reference: r.reference,
        tx_hash: r.tx_hash.unwrap_or_default(),
        as_of: Some(timestamp(r.as_of)),
        diagnosed_at: Some(timestamp(r.diagnosed_at)),
        cause: enums::cause_pb(r.cause).into(),
        contributing_causes: r
            .contributing_causes
            .iter()
            .map(|c| enums::cause_pb(*c).into())
            .collect(),
        action: enums::action_pb(r.action).into(),
        recheck_at: r.recheck_at.map(timestamp),
        expected_resolution_at: r.expected_resolution_at.map(timestamp),
        ruleset_version: r.ruleset_version,
        caller: r.caller,
        source: source_pb(r.source).into(),
        disposition: routing.map_or(0, |t| triage::disposition_pb(t.disposition).into()),
        queue: routing.and_then(|t| t.queue.clone()).unwrap_or_default(),
        priority: triage::priority_pb(routing.and_then(|t| t.priority)).into(),
    }
}

fn source_pb(source: RecordSource) -> pb::RecordSource {
    match source {
        RecordSource::Diagnose => pb::RecordSource::Diagnose,
        RecordSource::BatchDiagnose => pb::RecordSource::BatchDiagnose,
        RecordSource::TriageTicket => pb::RecordSource::TriageTicket,
        RecordSource::WatchDiagnosis => pb::RecordSource::WatchDiagnosis,
    }
}
