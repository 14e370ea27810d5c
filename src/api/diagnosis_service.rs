//! `paydiag.v1.DiagnosisService`.

use super::{
    AppState,
    diagnosis_codec::{DiagnoseInput, diagnose_input, diagnosis_pb},
    error::{ServiceError, rpc_status},
};
use crate::engine::{self, model::Facts};
use crate::pb::v1::{self as pb, diagnosis_service_server::DiagnosisService};
use crate::store::FactQuery;
use chrono::{DateTime, Utc};
use tonic::{Request, Response, Status};

/// Most requests one BatchDiagnose call may carry.
pub const MAX_BATCH: usize = 500;

/// The diagnosis service.
#[derive(Debug, Clone)]
pub struct DiagnosisApi {
    state: AppState,
}

impl DiagnosisApi {
    /// A service over `state`.
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn diagnose_one(
        &self,
        request: &pb::DiagnoseRequest,
        now: DateTime<Utc>,
    ) -> Result<pb::Diagnosis, ServiceError> {
        let input = diagnose_input(request, now)?;
        let facts = self.state.store.load_facts(&query_of(&input)).await?;
        Ok(self.diagnose_with(&input, &facts))
    }

    /// Evaluates and renders one diagnosis from facts already loaded.
    fn diagnose_with(&self, input: &DiagnoseInput, facts: &Facts) -> pb::Diagnosis {
        let diagnosis = engine::evaluate(
            &self.state.rules,
            &input.reference,
            &input.claim,
            facts,
            input.as_of,
        );
        let rendered = diagnosis_pb(diagnosis, &self.state.catalog, input.locale);
        metrics::counter!(
            "paydiag_diagnoses_total",
            "cause" => rendered.cause().as_str_name(),
            "action" => rendered.next_step.as_ref().map_or("", |s| s.action().as_str_name()),
        )
        .increment(1);
        tracing::info!(
            reference = %input.reference,
            ticket_id = %input.ticket_id,
            cause = rendered.cause().as_str_name(),
            "diagnosed"
        );
        rendered
    }
}

fn query_of(input: &DiagnoseInput) -> FactQuery {
    FactQuery {
        reference: input.reference.clone(),
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
        Ok(Response::new(
            self.diagnose_one(request.get_ref(), Utc::now()).await?,
        ))
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
        let now = Utc::now();
        let inputs: Vec<Result<DiagnoseInput, ServiceError>> = requests
            .iter()
            .map(|r| diagnose_input(r, now).map_err(ServiceError::from))
            .collect();
        // Every valid item's facts in one store round trip and one snapshot.
        let queries: Vec<FactQuery> = inputs.iter().flatten().map(query_of).collect();
        let mut loaded = match self.state.store.load_many(&queries).await {
            Ok(facts) => Ok(facts.into_iter()),
            Err(e) => Err(Status::from(ServiceError::from(e))),
        };
        let mut results = Vec::with_capacity(requests.len());
        for (item, input) in requests.iter().zip(inputs) {
            use pb::batch_diagnose_result::Result as Outcome;
            let result = match (input, &mut loaded) {
                (Err(invalid), _) => Outcome::Error(rpc_status(&Status::from(invalid))),
                (Ok(input), Ok(facts)) => match facts.next() {
                    Some(facts) => Outcome::Diagnosis(self.diagnose_with(&input, &facts)),
                    None => Outcome::Error(rpc_status(&Status::internal("internal error"))),
                },
                // The store failed: every item that needed it carries that error.
                (Ok(_), Err(status)) => Outcome::Error(rpc_status(status)),
            };
            results.push(pb::BatchDiagnoseResult {
                reference: item.reference.clone(),
                result: Some(result),
            });
        }
        Ok(Response::new(pb::BatchDiagnoseResponse { results }))
    }
}
