//! `paydiag.v1.DiagnosisService`.

use super::{
    AppState,
    diagnosis_codec::{DiagnoseInput, diagnose_input, diagnosis_pb},
    error::{ServiceError, rpc_status},
    networks, reason,
    records::{self, Made},
    triage,
    validate::Check,
    watch,
};
use crate::engine::{self, model::Facts};
use crate::pb::v1::{self as pb, diagnosis_service_server::DiagnosisService};
use crate::store::{
    FactQuery,
    records::{DiagnosisRecord, RecordSource},
};
use chrono::{DateTime, Utc};
use metrics::Counter;
use std::sync::{Arc, OnceLock};
use tokio_util::task::AbortOnDropHandle;
use tonic::{Request, Response, Status};
use tracing::Instrument;

/// Most requests one BatchDiagnose call may carry.
pub const MAX_BATCH: usize = 500;

/// Fewest items of a batch worth a task of their own: smaller batches are not split.
const MIN_BATCH_PART: usize = 32;

/// The diagnosis service.
#[derive(Debug, Clone)]
pub struct DiagnosisApi {
    pub(super) state: AppState,
    /// How many parts a large batch is split into, to be diagnosed in parallel: one per core.
    batch_parts: usize,
    diagnoses: Arc<DiagnosisCounters>,
}

/// `paydiag_diagnoses_total`, by cause and next action. Each counter is registered on first
/// use and kept, as looking it up by its labels on every diagnosis costs more than counting;
/// first use comes after the process installed its recorder.
#[derive(Debug)]
struct DiagnosisCounters {
    /// Indexed by the protobuf values of the cause and of the action, one slot for each value
    /// the API has.
    by_outcome: Vec<Vec<OnceLock<Counter>>>,
}

impl Default for DiagnosisCounters {
    fn default() -> Self {
        use super::enums::{ACTIONS, CAUSES};
        let actions = ACTIONS.iter().map(|&a| a as usize + 1).max().unwrap_or(0);
        let causes = CAUSES.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let row = || (0..actions).map(|_| OnceLock::new()).collect();
        Self {
            by_outcome: (0..causes).map(|_| row()).collect(),
        }
    }
}

impl DiagnosisCounters {
    fn count(&self, cause: pb::Cause, action: pb::Action) {
        let register = || {
            metrics::counter!(
                "paydiag_diagnoses_total",
                "cause" => cause.as_str_name(),
                "action" => action.as_str_name(),
            )
        };
        let slot = self
            .by_outcome
            .get(cause as usize)
            .and_then(|row| row.get(action as usize));
        match slot {
            Some(slot) => slot.get_or_init(register).increment(1),
            None => register().increment(1),
        }
    }
}

impl DiagnosisApi {
    /// A service over `state`.
    pub fn new(state: AppState) -> Self {
        let batch_parts = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            state,
            batch_parts,
            diagnoses: Arc::default(),
        }
    }

    async fn diagnose_one(
        &self,
        request: &pb::DiagnoseRequest,
        made: &Made,
    ) -> Result<pb::Diagnosis, ServiceError> {
        let input = self.input(request, made.at)?;
        let facts = self.state.store.load_facts(&query_of(&input)).await?;
        Ok(self.diagnose_recorded(&input, &facts, made))
    }

    /// The validated request, its claimed network read as the network code it names (customers
    /// say `TRC20` for TRON).
    pub(super) fn input(
        &self,
        request: &pb::DiagnoseRequest,
        now: DateTime<Utc>,
    ) -> Result<DiagnoseInput, ServiceError> {
        let mut input = diagnose_input(request, now, &self.state.rules)?;
        if let Some(network) = &mut input.claim.network {
            let code = self.state.rules.network_code(network);
            if code != network {
                *network = code.to_owned();
            }
        }
        Ok(input)
    }

    /// [`DiagnosisApi::diagnose_with`], its record (if it has one) handed to the recorder.
    fn diagnose_recorded(
        &self,
        input: &DiagnoseInput,
        facts: &Facts,
        made: &Made,
    ) -> pb::Diagnosis {
        let (diagnosis, record) = self.diagnose_with(input, facts, made);
        if let Some(record) = record {
            self.state.recorder.record(record);
        }
        diagnosis
    }

    /// Evaluates and renders one diagnosis from facts already loaded, and its record when it
    /// was made for a ticket.
    pub(super) fn diagnose_with(
        &self,
        input: &DiagnoseInput,
        facts: &Facts,
        made: &Made,
    ) -> (pb::Diagnosis, Option<DiagnosisRecord>) {
        let diagnosis = engine::evaluate(
            &self.state.rules,
            &input.reference,
            &input.claim,
            facts,
            input.as_of,
        );
        let record = records::record_of(&diagnosis, input, made);
        let rendered = diagnosis_pb(
            diagnosis,
            &self.state.catalog,
            input.locale,
            input.with_findings,
        );
        let action = rendered
            .next_step
            .as_ref()
            .map_or(pb::Action::Unspecified, |s| s.action());
        self.diagnoses.count(rendered.cause(), action);
        tracing::info!(
            reference = %input.reference,
            ticket_id = %input.ticket_id,
            cause = rendered.cause().as_str_name(),
            "diagnosed"
        );
        (rendered, record)
    }

    /// Diagnoses the valid items of a batch, in order: in parts of at least [`MIN_BATCH_PART`]
    /// items, one per core, each part loading its facts in one store round trip and snapshot.
    async fn diagnose_many(
        &self,
        inputs: Vec<DiagnoseInput>,
        made: &Made,
    ) -> Vec<Result<pb::Diagnosis, Status>> {
        let part_len = inputs.len().div_ceil(self.batch_parts).max(MIN_BATCH_PART);
        if inputs.len() <= part_len {
            return self.diagnose_part(inputs, made).await;
        }
        let mut parts = Vec::with_capacity(self.batch_parts);
        let mut rest = inputs;
        while !rest.is_empty() {
            let tail = rest.split_off(part_len.min(rest.len()));
            let part = std::mem::replace(&mut rest, tail);
            let len = part.len();
            let (api, made) = (self.clone(), made.clone());
            let task = async move { api.diagnose_part(part, &made).await }.in_current_span();
            // Aborted if the call is dropped, so that a cancelled batch stops its work.
            parts.push((len, AbortOnDropHandle::new(tokio::spawn(task))));
        }
        let mut results = Vec::with_capacity(parts.len() * part_len);
        for (len, part) in parts {
            match part.await {
                Ok(diagnosed) => results.extend(diagnosed),
                Err(e) => {
                    tracing::error!(error = %e, "a batch part failed");
                    results.extend((0..len).map(|_| Err(reason::internal())));
                }
            }
        }
        results
    }

    async fn diagnose_part(
        &self,
        inputs: Vec<DiagnoseInput>,
        made: &Made,
    ) -> Vec<Result<pb::Diagnosis, Status>> {
        let queries: Vec<FactQuery> = inputs.iter().map(query_of).collect();
        let mut loaded = match self.state.store.load_many(&queries).await {
            Ok(facts) => facts.into_iter(),
            Err(e) => {
                let status = Status::from(ServiceError::from(e));
                return inputs.iter().map(|_| Err(status.clone())).collect();
            }
        };
        inputs
            .iter()
            .map(|input| match loaded.next() {
                Some(facts) => Ok(self.diagnose_recorded(input, &facts, made)),
                None => Err(reason::internal()),
            })
            .collect()
    }
}

pub(super) fn query_of(input: &DiagnoseInput) -> FactQuery {
    FactQuery {
        reference: input.reference.clone(),
        requester: input.requester.clone(),
        claim_network: input.claim.network.clone(),
        as_of: input.as_of,
    }
}

#[tonic::async_trait]
impl DiagnosisService for DiagnosisApi {
    async fn diagnose(
        &self,
        request: Request<pb::DiagnoseRequest>,
    ) -> Result<Response<pb::Diagnosis>, Status> {
        let made = Made::by(&request, Utc::now(), RecordSource::Diagnose);
        Ok(Response::new(
            self.diagnose_one(request.get_ref(), &made).await?,
        ))
    }

    async fn list_networks(
        &self,
        request: Request<pb::ListNetworksRequest>,
    ) -> Result<Response<pb::ListNetworksResponse>, Status> {
        let mut c = Check::new("");
        let as_of = c.timestamp("as_of", request.get_ref().as_of.as_ref(), false);
        c.finish().map_err(ServiceError::from)?;
        let as_of = as_of.unwrap_or_else(Utc::now);
        let listed = networks::list(self.state.store.as_ref(), &self.state.rules, as_of).await?;
        Ok(Response::new(listed))
    }

    async fn triage_ticket(
        &self,
        request: Request<pb::TriageTicketRequest>,
    ) -> Result<Response<pb::TriageTicketResponse>, Status> {
        let made = Made::by(&request, Utc::now(), RecordSource::TriageTicket);
        let input = triage::triage_input(request.get_ref(), made.at, &self.state.rules)
            .map_err(ServiceError::from)?;
        Ok(Response::new(triage::triage(self, &input, &made).await?))
    }

    type WatchDiagnosisStream = watch::DiagnosisStream;

    async fn watch_diagnosis(
        &self,
        request: Request<pb::WatchDiagnosisRequest>,
    ) -> Result<Response<Self::WatchDiagnosisStream>, Status> {
        Ok(Response::new(watch::watch(self, request).await?))
    }

    async fn list_diagnosis_records(
        &self,
        request: Request<pb::ListDiagnosisRecordsRequest>,
    ) -> Result<Response<pb::ListDiagnosisRecordsResponse>, Status> {
        let input = records::list_input(request.get_ref()).map_err(ServiceError::from)?;
        let listed = records::list(self.state.store.as_ref(), &input).await?;
        Ok(Response::new(listed))
    }

    async fn batch_diagnose(
        &self,
        request: Request<pb::BatchDiagnoseRequest>,
    ) -> Result<Response<pb::BatchDiagnoseResponse>, Status> {
        let requests = &request.get_ref().requests;
        if requests.is_empty() || requests.len() > MAX_BATCH {
            let description = format!(
                "must hold 1 to {MAX_BATCH} requests, got {}",
                requests.len()
            );
            return Err(ServiceError::invalid("requests", description).into());
        }
        // One clock reading for the whole batch, so that items are evaluated as of the same moment.
        let made = Made::by(&request, Utc::now(), RecordSource::BatchDiagnose);
        let now = made.at;
        let mut valid = Vec::with_capacity(requests.len());
        let checked: Vec<Result<(), ServiceError>> = requests
            .iter()
            .map(|r| {
                let input = self.input(r, now)?;
                valid.push(input);
                Ok(())
            })
            .collect();
        let mut diagnosed = self.diagnose_many(valid, &made).await.into_iter();
        let mut results = Vec::with_capacity(requests.len());
        for (item, checked) in requests.iter().zip(checked) {
            use pb::batch_diagnose_result::Result as Outcome;
            let result = match checked.map(|()| diagnosed.next()) {
                Err(invalid) => Outcome::Error(rpc_status(&Status::from(invalid))),
                Ok(Some(Ok(diagnosis))) => Outcome::Diagnosis(diagnosis),
                Ok(Some(Err(status))) => Outcome::Error(rpc_status(&status)),
                Ok(None) => Outcome::Error(rpc_status(&reason::internal())),
            };
            results.push(pb::BatchDiagnoseResult {
                reference: item.reference.clone(),
                result: Some(result),
            });
        }
        Ok(Response::new(pb::BatchDiagnoseResponse { results }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The largest value of a protobuf enum, found by trying every small value.
    fn largest<E: TryFrom<i32>>() -> usize {
        (0..256)
            .filter(|&v| E::try_from(v).is_ok())
            .max()
            .and_then(|v| usize::try_from(v).ok())
            .unwrap_or_default()
    }

    #[test]
    fn every_cause_and_action_has_a_kept_counter() {
        let counters = DiagnosisCounters::default();
        assert_eq!(counters.by_outcome.len(), largest::<pb::Cause>() + 1);
        assert_eq!(counters.by_outcome[0].len(), largest::<pb::Action>() + 1);
    }
}
