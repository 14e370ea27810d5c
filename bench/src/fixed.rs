//! The fixed-answer baseline: a `DiagnosisService` that answers every Diagnose with one
//! diagnosis made earlier by the real server. Served by the same `server::run_with`, it measures
//! what carrying a diagnosis costs (its bytes through HTTP/2 both ways, encoding, decoding)
//! when making it costs nothing.

use paydiag::pb::v1::{self as pb, diagnosis_service_server::DiagnosisService};
use std::sync::{Arc, OnceLock};
use tonic::{Request, Response, Status};

/// The service; clones share the answer.
#[derive(Clone, Default)]
pub struct FixedAnswer {
    answer: Arc<OnceLock<pb::Diagnosis>>,
}

impl FixedAnswer {
    /// Sets the answer, once; until then every call fails.
    pub fn set(&self, answer: pb::Diagnosis) -> anyhow::Result<()> {
        self.answer
            .set(answer)
            .map_err(|_| anyhow::anyhow!("the fixed answer is already set"))
    }
}

#[tonic::async_trait]
impl DiagnosisService for FixedAnswer {
    /// Answers a copy of the fixed diagnosis, as a handler hands over the one it built.
    async fn diagnose(
        &self,
        _request: Request<pb::DiagnoseRequest>,
    ) -> Result<Response<pb::Diagnosis>, Status> {
        let answer = self.answer.get().cloned();
        answer
            .map(Response::new)
            .ok_or_else(|| Status::failed_precondition("the fixed answer is not set yet"))
    }

    async fn batch_diagnose(
        &self,
        _request: Request<pb::BatchDiagnoseRequest>,
    ) -> Result<Response<pb::BatchDiagnoseResponse>, Status> {
        Err(diagnose_only())
    }

    async fn triage_ticket(
        &self,
        _request: Request<pb::TriageTicketRequest>,
    ) -> Result<Response<pb::TriageTicketResponse>, Status> {
        Err(diagnose_only())
    }

    async fn list_networks(
        &self,
        _request: Request<pb::ListNetworksRequest>,
    ) -> Result<Response<pb::ListNetworksResponse>, Status> {
        Err(diagnose_only())
    }

    async fn list_diagnosis_records(
        &self,
        _request: Request<pb::ListDiagnosisRecordsRequest>,
    ) -> Result<Response<pb::ListDiagnosisRecordsResponse>, Status> {
        Err(diagnose_only())
    }

    type WatchDiagnosisStream = paydiag::api::DiagnosisStream;

    async fn watch_diagnosis(
        &self,
        _request: Request<pb::WatchDiagnosisRequest>,
    ) -> Result<Response<Self::WatchDiagnosisStream>, Status> {
        Err(diagnose_only())
    }
}

fn diagnose_only() -> Status {
    Status::unimplemented("the fixed-answer baseline answers Diagnose only")
}
