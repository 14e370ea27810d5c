//! The ticket corpus (`tests/fixtures/tickets.toml`) triaged over gRPC against the facts of
//! `tests/fixtures/triage_facts.ndjson`: what each ticket must be understood to say, and where
//! it must go. Every difference of every ticket is reported together.

#![allow(dead_code)]

use crate::helpers::TestApp;
use paydiag::{api::fact_codec::timestamp, json, pb::v1 as pb};
use serde::Deserialize;
use std::fmt::Write as _;

const FACTS: &str = include_str!("../fixtures/triage_facts.ndjson");
const TICKETS: &str = include_str!("../fixtures/tickets.toml");
/// When every ticket of the corpus arrives, unless it says otherwise.
const RECEIVED_AT: &str = "2026-11-22T10:00:00Z";

#[derive(Debug, Deserialize)]
struct Corpus {
    ticket: Vec<Ticket>,
}

/// One ticket and what must come of it (see the corpus file's header).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ticket {
    id: String,
    subject: String,
    body: String,
    account: String,
    zone: String,
    received: String,
    locale: String,
    references: Vec<String>,
    tx_hashes: Vec<String>,
    addresses: Vec<String>,
    amounts: Vec<String>,
    networks: Vec<String>,
    times: Vec<String>,
    memos: Vec<String>,
    kinds: Vec<String>,
    disposition: String,
    queue: String,
    priority: String,
    candidates: Vec<String>,
    missing: Vec<String>,
    reply_has: Vec<String>,
    reply_lacks: Vec<String>,
    locale_is: String,
    zone_is: String,
}

/// The corpus's tickets.
pub fn tickets() -> Vec<Ticket> {
    toml::from_str::<Corpus>(TICKETS)
        .expect("tickets.toml")
        .ticket
}

/// Imports the corpus's facts through ImportFacts.
pub async fn import_facts(app: &mut TestApp) {
    let items: Vec<pb::ImportFactsRequest> = FACTS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| json::from_json(l, "paydiag.v1.ImportFactsRequest").expect(l))
        .collect();
    let count = items.len() as u64;
    let stored = app
        .facts
        .import_facts(tokio_stream::iter(items))
        .await
        .expect("import")
        .into_inner();
    assert_eq!(stored.rejected, [], "the corpus's facts are valid");
    let total = stored.transactions_stored
        + stored.account_statuses_stored
        + stored.maintenance_windows_stored
        + stored.network_conditions_stored;
    assert_eq!(total, count);
}

/// Triages every ticket and returns every difference from what the corpus expects.
pub async fn differences(app: &mut TestApp) -> String {
    let mut report = String::new();
    for ticket in tickets() {
        let response = app
            .diagnosis
            .triage_ticket(request(&ticket))
            .await
            .map(tonic::Response::into_inner);
        let found = match response {
            Ok(response) => compare(&ticket, &response),
            Err(status) => vec![format!("refused: {status:?}")],
        };
        for difference in found {
            let _ = writeln!(report, "{}: {difference}", ticket.id);
        }
    }
    report
}

fn request(ticket: &Ticket) -> pb::TriageTicketRequest {
    let received = if ticket.received.is_empty() {
        RECEIVED_AT
    } else {
        &ticket.received
    };
    let received: chrono::DateTime<chrono::Utc> = received.parse().expect("received");
    pb::TriageTicketRequest {
        ticket_id: ticket.id.clone(),
        subject: ticket.subject.clone(),
        body: ticket.body.clone(),
        account_id: ticket.account.clone(),
        received_at: Some(timestamp(received)),
        time_zone: ticket.zone.clone(),
        locale: ticket.locale.clone(),
        ..Default::default()
    }
}

fn compare(ticket: &Ticket, r: &pb::TriageTicketResponse) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, expected: Vec<String>, actual: Vec<String>| {
        if expected != actual {
            out.push(format!("{what}: expected {expected:?}, got {actual:?}"));
        }
    };
    let x = r.extraction.clone().unwrap_or_default();
    check(
        "references",
        ticket.references.clone(),
        x.references.iter().map(|i| i.text.clone()).collect(),
    );
    check(
        "tx_hashes",
        ticket.tx_hashes.clone(),
        x.tx_hashes.iter().map(|i| i.text.clone()).collect(),
    );
    check(
        "addresses",
        ticket.addresses.clone(),
        x.addresses
            .iter()
            .map(|a| format!("{} {}", a.text, if a.valid { "valid" } else { "invalid" }))
            .collect(),
    );
    check(
        "amounts",
        ticket.amounts.clone(),
        x.amounts
            .iter()
            .map(|a| format!("{} {}", a.amount, a.asset).trim().to_owned())
            .collect(),
    );
    check(
        "networks",
        ticket.networks.clone(),
        x.networks.iter().map(|n| n.network.clone()).collect(),
    );
    check(
        "times",
        ticket.times.clone(),
        x.times
            .iter()
            .map(|t| {
                let at = t.at.as_ref().map(rfc3339).unwrap_or_default();
                let precision = t
                    .precision()
                    .as_str_name()
                    .trim_start_matches("TIME_PRECISION_");
                format!("{at} {}", precision.to_lowercase())
            })
            .collect(),
    );
    check(
        "memos",
        ticket.memos.clone(),
        x.memos.iter().map(|m| m.text.clone()).collect(),
    );
    check(
        "kinds",
        ticket.kinds.clone(),
        x.kinds
            .iter()
            .map(|k| {
                k.kind()
                    .as_str_name()
                    .trim_start_matches("TRANSACTION_KIND_")
                    .to_lowercase()
            })
            .collect(),
    );
    let name = |s: &str, prefix: &str| s.trim_start_matches(prefix).to_lowercase();
    check(
        "disposition",
        vec![ticket.disposition.clone()],
        vec![name(r.disposition().as_str_name(), "DISPOSITION_")],
    );
    check("queue", vec![ticket.queue.clone()], vec![r.queue.clone()]);
    let priority = match r.priority() {
        pb::Priority::Unspecified => String::new(),
        p => name(p.as_str_name(), "PRIORITY_"),
    };
    check("priority", vec![ticket.priority.clone()], vec![priority]);
    check(
        "candidates",
        ticket.candidates.clone(),
        r.candidates
            .iter()
            .map(|c| {
                let d = c.diagnosis.clone().unwrap_or_default();
                let reference = d
                    .transaction
                    .as_ref()
                    .map_or("-".to_owned(), |t| t.reference.clone());
                format!("{reference} {}", name(d.cause().as_str_name(), "CAUSE_"))
            })
            .collect(),
    );
    check(
        "missing",
        ticket.missing.clone(),
        r.missing_evidence()
            .map(|m| name(m.as_str_name(), "MISSING_EVIDENCE_"))
            .collect(),
    );
    for wanted in &ticket.reply_has {
        if !r.reply.contains(wanted.as_str()) {
            out.push(format!("reply lacks {wanted:?}: {:?}", r.reply));
        }
    }
    for unwanted in &ticket.reply_lacks {
        if r.reply.contains(unwanted.as_str()) {
            out.push(format!("reply holds {unwanted:?}: {:?}", r.reply));
        }
    }
    let auto_or_ask = matches!(
        r.disposition(),
        pb::Disposition::AutoReply | pb::Disposition::NeedsInfo
    );
    if auto_or_ask == r.reply.is_empty() {
        out.push(format!(
            "a {:?} ticket with reply {:?}",
            r.disposition(),
            r.reply
        ));
    }
    if !ticket.locale_is.is_empty() && ticket.locale_is != r.locale {
        out.push(format!("locale {} not {}", r.locale, ticket.locale_is));
    }
    if !ticket.zone_is.is_empty() && ticket.zone_is != r.time_zone {
        out.push(format!("time zone {} not {}", r.time_zone, ticket.zone_is));
    }
    out.extend(span_differences(ticket, &x));
    out
}

/// Every item's span must hold exactly its text, counted in characters of subject + "\n" + body.
fn span_differences(ticket: &Ticket, x: &pb::Extraction) -> Vec<String> {
    let text: Vec<char> = format!("{}\n{}", ticket.subject, ticket.body)
        .chars()
        .collect();
    let spans = x
        .references
        .iter()
        .map(|i| (i.span, &i.text))
        .chain(x.tx_hashes.iter().map(|i| (i.span, &i.text)))
        .chain(x.addresses.iter().map(|i| (i.span, &i.text)))
        .chain(x.amounts.iter().map(|i| (i.span, &i.text)))
        .chain(x.networks.iter().map(|i| (i.span, &i.text)))
        .chain(x.times.iter().map(|i| (i.span, &i.text)))
        .chain(x.memos.iter().map(|i| (i.span, &i.text)))
        .chain(x.kinds.iter().map(|i| (i.span, &i.text)));
    spans
        .filter_map(|(span, written)| {
            let span = span.unwrap_or_default();
            let (start, end) = (span.start as usize, span.end as usize);
            let there: String = text
                .get(start..end)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            (there != *written)
                .then(|| format!("span {start}..{end} holds {there:?}, not {written:?}"))
        })
        .collect()
}

fn rfc3339(t: &prost_types::Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.seconds, t.nanos as u32)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
