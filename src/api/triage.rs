//! `DiagnosisService.TriageTicket`: a ticket's text read, its transactions found and diagnosed,
//! and the ticket's disposition decided from the rules' routing table.

use super::{
    diagnosis_codec::{self, DiagnoseInput},
    diagnosis_service::DiagnosisApi,
    enums,
    error::ServiceError,
    fact_codec::timestamp,
    records::Made,
    validate::{Check, Violation},
};
use crate::engine::{
    diagnosis::{Action, Text},
    model::{Claim, Facts},
    next_step::EvidenceItem,
};
use crate::i18n::{Catalog, Locale, script};
use crate::pb::v1 as pb;
use crate::store::{
    FactQuery,
    records::{DiagnosisRecord, RecordedRouting},
    search::TransactionSearch,
};
use crate::triage::{
    candidates,
    extract::{self, Extraction, Found},
    policy::{self, Disposition, Priority, Routing},
};
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// Most bytes of a ticket's subject and body together.
pub const MAX_TICKET_BYTES: usize = 64 * 1024;
/// Most of an account's transactions read to rank a ticket's candidates: the newest in its
/// look-back window.
const MAX_SEARCHED: usize = 500;

/// A checked ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageInput {
    ticket_id: String,
    /// `subject + "\n" + body`: what spans count in.
    text: String,
    account_id: Option<String>,
    received_at: DateTime<Utc>,
    zone: Tz,
    locale: Locale,
    as_of: DateTime<Utc>,
    with_findings: bool,
}

/// Checks a ticket; `now` is its arrival when it names none.
pub fn triage_input(
    p: &pb::TriageTicketRequest,
    now: DateTime<Utc>,
    rules: &crate::engine::policy::RuleSet,
) -> Result<TriageInput, Vec<Violation>> {
    let mut c = Check::new("");
    let ticket_id = c.id("ticket_id", &p.ticket_id);
    let bytes = p.subject.len() + 1 + p.body.len();
    if bytes > MAX_TICKET_BYTES + 1 {
        c.violation(
            "body",
            format!(
                "subject and body together must be at most {MAX_TICKET_BYTES} bytes, got {}",
                bytes - 1
            ),
        );
    } else {
        c.text("subject", &p.subject, MAX_TICKET_BYTES, false);
        c.text("body", &p.body, MAX_TICKET_BYTES, true);
    }
    let account_id = (!p.account_id.is_empty()).then(|| c.id("account_id", &p.account_id));
    let received_at = c
        .timestamp("received_at", p.received_at.as_ref(), false)
        .unwrap_or(now);
    let as_of = c
        .timestamp("as_of", p.as_of.as_ref(), false)
        .unwrap_or(received_at);
    let with_findings = diagnosis_codec::with_findings(&mut c, p.view);
    let text = format!("{}\n{}", p.subject, p.body);
    let chinese = text.chars().any(is_han);
    // A ticket written in Traditional characters comes from Taiwan or Hong Kong readers.
    let its_chinese = || {
        Catalog::negotiate(if script::is_traditional(&text) {
            "zh-Hant"
        } else {
            "zh-CN"
        })
    };
    let locale = match p.locale.as_str() {
        "" if chinese => its_chinese(),
        requested => Catalog::negotiate(requested),
    };
    // The ticket's times are in its writer's zone, which its language tells better than the
    // language the reply is asked in: an agent may want a Chinese ticket answered in English.
    let written_in = match (chinese, locale.tag().starts_with("zh")) {
        (true, false) => its_chinese(),
        (false, true) => Locale::DEFAULT,
        _ => locale,
    };
    let zone = diagnosis_codec::time_zone(&mut c, &p.time_zone)
        .unwrap_or_else(|| rules.time_zone(written_in));
    let locale = locale.in_zone(zone);
    c.finish()?;
    Ok(TriageInput {
        ticket_id,
        text,
        account_id,
        received_at,
        zone,
        locale,
        as_of,
        with_findings,
    })
}

/// A CJK ideograph: a ticket holding one is written in Chinese.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// One transaction the ticket may be about, before it is diagnosed.
struct Lookup {
    source: pb::CandidateSource,
    quoted: String,
}

/// Triages a checked ticket.
pub async fn triage(
    api: &DiagnosisApi,
    input: &TriageInput,
    made: &Made,
) -> Result<pb::TriageTicketResponse, ServiceError> {
    let state = &api.state;
    let x = state
        .extractor
        .extract(&input.text, input.received_at, input.zone);
    let lookups = lookups(api, input, &x).await?;
    let claim_network = x.networks.first().map(|n| n.value.clone());
    let queries: Vec<FactQuery> = lookups
        .iter()
        .map(|l| FactQuery {
            reference: l.quoted.clone(),
            requester: input.account_id.clone(),
            claim_network: claim_network.clone(),
            as_of: input.as_of,
        })
        .collect();
    // One candidate, the common case, is read as Diagnose reads: inline, without a snapshot
    // transaction or a hop to the blocking pool.
    let loaded = match queries.as_slice() {
        [] => Vec::new(),
        [one] => vec![state.store.load_facts(one).await?],
        many => state.store.load_many(many).await?,
    };
    let mut seen = Vec::new();
    let mut candidates = Vec::with_capacity(lookups.len());
    let mut routings = Vec::with_capacity(lookups.len());
    for (lookup, facts) in lookups.into_iter().zip(loaded) {
        // A ticket quoting a transaction's reference and its hash is about one transaction.
        if let Some(tx) = &facts.transaction {
            if seen.contains(&tx.reference) {
                continue;
            }
            seen.push(tx.reference.clone());
        }
        let (candidate, routing) = diagnose(api, input, &x, lookup, &facts, made);
        candidates.push(candidate);
        routings.push(routing);
    }
    let ticket = policy::combine(&routings);
    let response = respond(api, input, x, candidates, ticket);
    tracing::info!(
        ticket_id = %input.ticket_id,
        candidates = response.candidates.len(),
        disposition = response.disposition().as_str_name(),
        "triaged"
    );
    Ok(response)
}

/// What to diagnose: each quoted reference and hash, in text order; or, with none quoted, the
/// account's recent transactions that fit the ticket best.
async fn lookups(
    api: &DiagnosisApi,
    input: &TriageInput,
    x: &Extraction,
) -> Result<Vec<Lookup>, ServiceError> {
    // References are looked up as read (full-width letters as ASCII), hashes as written.
    let mut lookups: Vec<Lookup> = x
        .references
        .iter()
        .map(|r| Lookup {
            source: pb::CandidateSource::Reference,
            quoted: r.value.clone(),
        })
        .collect();
    lookups.extend(x.tx_hashes.iter().map(|h| Lookup {
        source: pb::CandidateSource::TxHash,
        quoted: h.text.clone(),
    }));
    let rules = &api.state.rules;
    let triage = rules.triage();
    lookups.truncate(triage.max_candidates);
    let Some(account_id) = input.account_id.as_ref().filter(|_| lookups.is_empty()) else {
        return Ok(lookups);
    };
    let look_back = crate::engine::policy::to_delta(triage.look_back);
    let search = TransactionSearch {
        account_id: Some(account_id.clone()),
        created_from: Some(input.received_at - look_back.min(TimeDelta::days(3650))),
        created_before: input.as_of.checked_add_signed(TimeDelta::nanoseconds(1)),
        limit: MAX_SEARCHED,
        ..TransactionSearch::default()
    };
    let recent = api.state.store.search_transactions(&search).await?;
    let ranked = candidates::rank(x, recent, triage, rules, input.received_at);
    Ok(ranked
        .into_iter()
        .map(|tx| Lookup {
            source: pb::CandidateSource::AccountSearch,
            quoted: tx.reference,
        })
        .collect())
}

/// Diagnoses one candidate with the claim that fits it, and where it alone would send the
/// ticket.
fn diagnose<'r>(
    api: &'r DiagnosisApi,
    input: &TriageInput,
    x: &Extraction,
    lookup: Lookup,
    facts: &Facts,
    made: &Made,
) -> (pb::TriageCandidate, Routing<'r>) {
    let rules = &api.state.rules;
    let claim = candidates::claim_for(x, facts.transaction.as_ref(), rules);
    let diagnose_input = DiagnoseInput {
        reference: lookup.quoted.clone(),
        as_of: input.as_of,
        claim: claim.clone(),
        locale: input.locale,
        ticket_id: input.ticket_id.clone(),
        with_findings: input.with_findings,
        requester: input.account_id.clone(),
    };
    let (diagnosis, record) = api.diagnose_with(&diagnose_input, facts, made);
    let cause = enums::cause_of(diagnosis.cause());
    let action = diagnosis
        .next_step
        .as_ref()
        .and_then(|s| enums::action_of(s.action()));
    let routing = match (cause, action) {
        (Some(cause), Some(action)) => rules.triage().routing(cause, action),
        _ => rules.triage().routing(
            crate::engine::diagnosis::Cause::Undetermined,
            Action::Escalate,
        ),
    };
    if let Some(record) = record {
        api.state.recorder.record(DiagnosisRecord {
            routing: Some(RecordedRouting {
                disposition: routing.disposition,
                queue: routing.queue.map(str::to_owned),
                priority: routing.priority,
            }),
            ..record
        });
    }
    let candidate = pb::TriageCandidate {
        source: lookup.source.into(),
        quoted: if lookup.source == pb::CandidateSource::AccountSearch {
            String::new()
        } else {
            lookup.quoted
        },
        claim: Some(claim_pb(&claim)),
        diagnosis: Some(diagnosis),
        disposition: disposition_pb(routing.disposition).into(),
        queue: routing.queue.unwrap_or_default().to_owned(),
        priority: priority_pb(routing.priority).into(),
    };
    (candidate, routing)
}

fn respond(
    api: &DiagnosisApi,
    input: &TriageInput,
    x: Extraction,
    candidates: Vec<pb::TriageCandidate>,
    ticket: Routing<'_>,
) -> pb::TriageTicketResponse {
    let catalog = &api.state.catalog;
    let missing = match ticket.disposition {
        Disposition::NeedsInfo => missing_evidence(&x),
        _ => Vec::new(),
    };
    let reply = match ticket.disposition {
        Disposition::AutoReply => auto_reply(catalog, input.locale, &candidates),
        Disposition::NeedsInfo => needs_info_reply(catalog, input.locale, &missing),
        Disposition::Route | Disposition::Escalate => String::new(),
    };
    let recheck_at = candidates
        .iter()
        .filter_map(|c| c.diagnosis.as_ref()?.next_step.as_ref()?.recheck_at)
        .min_by_key(|t| (t.seconds, t.nanos));
    pb::TriageTicketResponse {
        ticket_id: input.ticket_id.clone(),
        extraction: Some(extraction_pb(x)),
        candidates,
        disposition: disposition_pb(ticket.disposition).into(),
        queue: ticket.queue.unwrap_or_default().to_owned(),
        priority: priority_pb(ticket.priority).into(),
        reply,
        missing_evidence: missing
            .iter()
            .filter_map(|m| enums::missing_evidence_pb(*m))
            .map(i32::from)
            .collect(),
        recheck_at,
        locale: input.locale.tag().to_owned(),
        time_zone: input.zone.name().to_owned(),
        received_at: Some(timestamp(input.received_at)),
        as_of: Some(timestamp(input.as_of)),
    }
}

/// What the customer should send when nothing could be identified: items of the evidence
/// vocabulary next steps use too.
fn missing_evidence(x: &Extraction) -> Vec<EvidenceItem> {
    let mut missing = Vec::new();
    let unidentified = x.references.is_empty() && x.tx_hashes.is_empty();
    if unidentified {
        missing.push(EvidenceItem::ReferenceOrTxHash);
    }
    if x.times.is_empty() {
        missing.push(EvidenceItem::PaymentTime);
    }
    if x.amounts.is_empty() {
        missing.push(EvidenceItem::Amount);
    }
    if x.networks.is_empty() {
        missing.push(EvidenceItem::Network);
    }
    if unidentified {
        missing.push(EvidenceItem::PaymentScreenshot);
    }
    missing
}

/// One message to the customer from the candidates' own customer messages: each once, named by
/// what the customer quoted when there are several.
fn auto_reply(catalog: &Catalog, locale: Locale, candidates: &[pb::TriageCandidate]) -> String {
    let mut items: Vec<String> = Vec::new();
    for candidate in candidates {
        let Some(d) = &candidate.diagnosis else {
            continue;
        };
        let item = if candidates.len() == 1 {
            d.customer_message.clone()
        } else {
            let named = match &d.transaction {
                Some(tx) => tx.reference.clone(),
                None => d.reference.clone(),
            };
            let text = Text::new("triage-reply-item")
                .str("reference", named)
                .str("message", d.customer_message.clone());
            catalog.render(locale, &text)
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    letter(catalog, locale, &items.join("\n\n"))
}

fn needs_info_reply(catalog: &Catalog, locale: Locale, missing: &[EvidenceItem]) -> String {
    let items: Vec<String> = missing
        .iter()
        .map(|m| catalog.render(locale, &Text::new(missing_id(*m))))
        .map(|item| format!("- {item}"))
        .collect();
    let ask = Text::new("triage-needs-info").str("items", items.join("\n"));
    letter(catalog, locale, &catalog.render(locale, &ask))
}

/// How the customer is asked for an item.
fn missing_id(m: EvidenceItem) -> &'static str {
    use EvidenceItem::*;
    match m {
        ReferenceOrTxHash => "missing-reference-or-tx-hash",
        PaymentTime => "missing-payment-time",
        Amount => "missing-amount",
        Network => "missing-network",
        PaymentScreenshot => "missing-payment-screenshot",
        TransactionReference => "missing-transaction-reference",
        TxHash => "missing-tx-hash",
        DestinationAddress => "missing-destination-address",
        Memo => "missing-memo",
        BankStatement => "missing-bank-statement",
        IdentityDocument => "missing-identity-document",
    }
}

/// `body` between the locale's greeting and closing.
fn letter(catalog: &Catalog, locale: Locale, body: &str) -> String {
    let greeting = catalog.render(locale, &Text::new("triage-reply-greeting"));
    let closing = catalog.render(locale, &Text::new("triage-reply-closing"));
    format!("{greeting}\n\n{body}\n\n{closing}")
}

/// A disposition as the contract writes it.
pub(super) fn disposition_pb(d: Disposition) -> pb::Disposition {
    match d {
        Disposition::AutoReply => pb::Disposition::AutoReply,
        Disposition::Route => pb::Disposition::Route,
        Disposition::Escalate => pb::Disposition::Escalate,
        Disposition::NeedsInfo => pb::Disposition::NeedsInfo,
    }
}

/// A priority as the contract writes it; `None` is UNSPECIFIED.
pub(super) fn priority_pb(p: Option<Priority>) -> pb::Priority {
    match p {
        None => pb::Priority::Unspecified,
        Some(Priority::P1) => pb::Priority::P1,
        Some(Priority::P2) => pb::Priority::P2,
        Some(Priority::P3) => pb::Priority::P3,
        Some(Priority::P4) => pb::Priority::P4,
    }
}

fn claim_pb(c: &Claim) -> pb::Claim {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    pb::Claim {
        amount: c.amount.map(|a| a.to_string()).unwrap_or_default(),
        asset: text(&c.asset),
        network: text(&c.network),
        destination: text(&c.destination),
        memo: text(&c.memo),
        paid_at: c.paid_at.map(timestamp),
        tx_hash: text(&c.tx_hash),
    }
}

fn span_pb<T>(f: &Found<T>) -> Option<pb::TextSpan> {
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Some(pb::TextSpan {
        start: clamp(f.span.start),
        end: clamp(f.span.end),
    })
}

fn extraction_pb(x: Extraction) -> pb::Extraction {
    use extract::{AddressFormat as A, HashFormat as H, Precision as P};
    pb::Extraction {
        references: x
            .references
            .iter()
            .map(|f| pb::ExtractedReference {
                span: span_pb(f),
                text: f.text.clone(),
            })
            .collect(),
        tx_hashes: x
            .tx_hashes
            .iter()
            .map(|f| pb::ExtractedTxHash {
                span: span_pb(f),
                text: f.text.clone(),
                format: match f.value {
                    H::Evm => pb::TxHashFormat::Evm,
                    H::Hex64 => pb::TxHashFormat::Hex64,
                }
                .into(),
            })
            .collect(),
        addresses: x
            .addresses
            .iter()
            .map(|f| pb::ExtractedAddress {
                span: span_pb(f),
                text: f.text.clone(),
                format: match f.value.format {
                    A::Evm => pb::AddressFormat::Evm,
                    A::Tron => pb::AddressFormat::Tron,
                    A::BtcLegacy => pb::AddressFormat::BtcLegacy,
                    A::BtcSegwit => pb::AddressFormat::BtcSegwit,
                }
                .into(),
                valid: f.value.valid,
            })
            .collect(),
        amounts: x
            .amounts
            .iter()
            .map(|f| pb::ExtractedAmount {
                span: span_pb(f),
                text: f.text.clone(),
                amount: f.value.amount.to_string(),
                asset: f.value.asset.clone().unwrap_or_default(),
            })
            .collect(),
        networks: x
            .networks
            .iter()
            .map(|f| pb::ExtractedNetwork {
                span: span_pb(f),
                text: f.text.clone(),
                network: f.value.clone(),
            })
            .collect(),
        times: x
            .times
            .iter()
            .map(|f| pb::ExtractedTime {
                span: span_pb(f),
                text: f.text.clone(),
                at: Some(timestamp(f.value.at)),
                precision: match f.value.precision {
                    P::Day => pb::TimePrecision::Day,
                    P::Hour => pb::TimePrecision::Hour,
                    P::Minute => pb::TimePrecision::Minute,
                }
                .into(),
            })
            .collect(),
        memos: x
            .memos
            .iter()
            .map(|f| pb::ExtractedMemo {
                span: span_pb(f),
                text: f.text.clone(),
            })
            .collect(),
        kinds: x
            .kinds
            .iter()
            .map(|f| pb::ExtractedKind {
                span: span_pb(f),
                text: f.text.clone(),
                kind: enums::kind_pb(f.value).into(),
            })
            .collect(),
    }
}
