//! Diagnose requests checked and converted, and diagnoses rendered into the caller's locale.

use super::{
    enums,
    fact_codec::timestamp,
    validate::{Check, MAX_ID_CHARS, MAX_TEXT_CHARS, Violation},
};
use crate::engine::{
    diagnosis::{Diagnosis, Finding},
    model::{Claim, Transaction},
    next_step::ResponseTime,
    policy::RuleSet,
};
use crate::i18n::{Catalog, Locale};
use crate::mask::mask;
use crate::pb::v1 as pb;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// A checked diagnose request.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnoseInput {
    /// The reference, trimmed.
    pub reference: String,
    /// The evaluation time (the request's, or now).
    pub as_of: DateTime<Utc>,
    /// What the customer claims.
    pub claim: Claim,
    /// The locale to render in.
    pub locale: Locale,
    /// The ticket, for the log.
    pub ticket_id: String,
    /// Whether the answer carries every rule's finding (the full view) or not (the basic view).
    pub with_findings: bool,
    /// The account asking, which must own the transaction to learn about it.
    pub requester: Option<String>,
}

/// Checks a diagnose request; `now` is used when it names no evaluation time, and `rules` say
/// the locale's time zone when it names none.
pub fn diagnose_input(
    p: &pb::DiagnoseRequest,
    now: DateTime<Utc>,
    rules: &RuleSet,
) -> Result<DiagnoseInput, Vec<Violation>> {
    let mut c = Check::new("");
    let reference = c.id("reference", p.reference.trim());
    let as_of = c.timestamp("as_of", p.as_of.as_ref(), false).unwrap_or(now);
    let claim = p
        .claim
        .as_ref()
        .map(|claim| self::claim(&mut c, claim))
        .unwrap_or_default();
    let ticket_id = c.text("ticket_id", &p.ticket_id, MAX_ID_CHARS, false);
    let zone = time_zone(&mut c, &p.time_zone);
    let requester = (!p.requester_account_id.is_empty())
        .then(|| c.id("requester_account_id", &p.requester_account_id));
    let with_findings = with_findings(&mut c, p.view);
    c.finish()?;
    let locale = Catalog::negotiate(&p.locale);
    Ok(DiagnoseInput {
        reference,
        as_of,
        claim,
        locale: locale.in_zone(zone.unwrap_or_else(|| rules.time_zone(locale))),
        ticket_id,
        with_findings,
        requester,
    })
}

/// An optional IANA time zone name; `None` when empty (or unknown, with a violation).
pub fn time_zone(c: &mut Check, name: &str) -> Option<Tz> {
    if name.is_empty() {
        return None;
    }
    let zone = name.parse::<Tz>().ok();
    if zone.is_none() {
        c.violation(
            "time_zone",
            "must be an IANA time zone name, e.g. \"Asia/Shanghai\" or \"Europe/Berlin\"",
        );
    }
    zone
}

/// Whether the `view` asked for carries findings: FULL, the default, does.
pub fn with_findings(c: &mut Check, view: i32) -> bool {
    c.enumeration("view", view, false, |view| match view {
        pb::DiagnosisView::Unspecified => None,
        pb::DiagnosisView::Basic => Some(false),
        pb::DiagnosisView::Full => Some(true),
    })
    .unwrap_or(true)
}

fn claim(c: &mut Check, p: &pb::Claim) -> Claim {
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    Claim {
        amount: c.decimal("claim.amount", &p.amount, false),
        asset: c.code("claim.asset", &p.asset, false),
        network: c.code("claim.network", &p.network, false),
        destination: non_empty(c.text("claim.destination", &p.destination, MAX_TEXT_CHARS, false)),
        memo: non_empty(c.text("claim.memo", &p.memo, MAX_TEXT_CHARS, false)),
        paid_at: c.timestamp("claim.paid_at", p.paid_at.as_ref(), false),
        tx_hash: non_empty(c.tx_hash("claim.tx_hash", &p.tx_hash)),
    }
}

/// Renders a diagnosis in `locale`, with its findings if `with_findings`, taking their evidence
/// over rather than copying it.
pub fn diagnosis_pb(
    d: Diagnosis,
    catalog: &Catalog,
    locale: Locale,
    with_findings: bool,
) -> pb::Diagnosis {
    let step = &d.next_step;
    pb::Diagnosis {
        as_of: Some(timestamp(d.as_of)),
        cause: enums::cause_pb(d.cause).into(),
        contributing_causes: d
            .contributing_causes
            .iter()
            .map(|c| enums::cause_pb(*c).into())
            .collect(),
        next_step: Some(pb::NextStep {
            action: enums::action_pb(step.action).into(),
            summary: catalog.render(locale, &step.summary),
            recheck_at: step.recheck_at.map(timestamp),
            expected_resolution_at: step.expected_resolution_at.map(timestamp),
            actor: enums::actor_pb(step.actor()).into(),
            required_evidence: step
                .required_evidence
                .iter()
                .map(|e| enums::evidence_pb(*e).into())
                .collect(),
            channel: step
                .service_level
                .map_or(0, |level| enums::channel_pb(level.channel).into()),
            expected_response: step.service_level.map(|level| response_pb(level.response)),
        }),
        customer_message: catalog.render(locale, &d.customer_message),
        locale: locale.tag().to_owned(),
        ruleset_version: d.ruleset_version.to_string(),
        findings: if with_findings {
            d.findings
                .into_iter()
                .map(|f| finding_pb(f, catalog, locale))
                .collect()
        } else {
            Vec::new()
        },
        matched_by: enums::match_kind_pb(d.matched_by).into(),
        transaction: d.transaction.as_ref().map(summary_pb),
        reference: d.reference,
    }
}

/// The summary of a transaction callers read instead of findings: its account masked.
pub fn summary_pb(t: &Transaction) -> pb::TransactionSummary {
    pb::TransactionSummary {
        reference: t.reference.clone(),
        tx_hash: t.tx_hash.clone(),
        kind: enums::kind_pb(t.kind).into(),
        status: enums::status_pb(t.status).into(),
        network: t.network.clone(),
        asset: t.asset.clone(),
        amount: t.amount.to_string(),
        created_at: Some(timestamp(t.created_at)),
        completed_at: t.completed_at.map(timestamp),
        confirmations: t.confirmations,
        required_confirmations: t.required_confirmations,
        account_id_masked: mask(&t.account_id),
        failure_reason: t.failure_reason.map_or(0, |r| enums::failure_pb(r).into()),
    }
}

/// How soon an answer comes, as the contract writes it.
fn response_pb(r: ResponseTime) -> pb::ResponseTime {
    pb::ResponseTime {
        min: prost_types::Duration::try_from(r.min).ok(),
        max: prost_types::Duration::try_from(r.max).ok(),
        business_days: r.business_days,
    }
}

fn finding_pb(f: Finding, catalog: &Catalog, locale: Locale) -> pb::Finding {
    pb::Finding {
        rule: f.rule.to_owned(),
        cause: f.cause.map_or(0, |c| enums::cause_pb(c).into()),
        outcome: enums::outcome_pb(f.outcome).into(),
        detail: catalog.render(locale, &f.detail),
        evidence: f
            .evidence
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    }
}
