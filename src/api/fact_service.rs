//! `paydiag.v1.FactService`.

use super::{
    AppState,
    error::{RETRY_AFTER, ServiceError},
    fact_codec,
    reason::{ErrorReason, error_status},
    search,
    validate::Check,
};
use crate::pb::v1::{self as pb, fact_service_server::FactService};
use crate::store::Fact;
use crate::{auth::Caller, mask::mask};
use std::{sync::Arc, time::Duration};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tonic::{Code, Request, Response, Status, Streaming};
use tonic_types::{ErrorDetails, QuotaViolation};

/// Facts stored per store transaction during an import: large enough to amortize commits,
/// small enough to keep memory flat however long the stream.
pub const IMPORT_BATCH: usize = 2_000;
/// Rejected items listed in an import response (all are counted).
pub const MAX_REJECTED_LISTED: usize = 1_000;

/// The fact service.
#[derive(Debug, Clone)]
pub struct FactApi {
    state: AppState,
    max_import_items: u64,
    item_timeout: Duration,
    /// Cancelled when the server stops waiting for calls to finish on shutdown.
    cut: CancellationToken,
}

impl FactApi {
    /// A service over `state`, taking at most `max_import_items` items per ImportFacts call and
    /// ending an import whose stream goes `item_timeout` without an item (within twice that).
    pub fn new(state: AppState, max_import_items: u64, item_timeout: Duration) -> Self {
        Self {
            state,
            max_import_items,
            item_timeout,
            cut: CancellationToken::new(),
        }
    }

    /// Ends imports still running when `cut` is cancelled, storing what they received and
    /// saying how far they got (UNAVAILABLE, so that the caller resends the rest elsewhere).
    pub fn cut_off_by(self, cut: CancellationToken) -> Self {
        Self { cut, ..self }
    }

    async fn put(&self, fact: Fact) -> Result<(), ServiceError> {
        self.state.store.put_facts(vec![fact]).await?;
        Ok(())
    }

    /// Reads the stream into `import`, storing it in batches. Whatever ends the stream early, the
    /// items read before it are stored and the error says how many.
    async fn import(
        &self,
        mut stream: Streaming<pb::ImportFactsRequest>,
        import: &mut Import,
    ) -> Result<(), Status> {
        // One timer for the whole stream rather than one per item: each time it fires, the
        // stream must have sent an item since the time before, so a stream that goes quiet is
        // ended after one to two timeouts of silence.
        let quiet = tokio::time::sleep(self.item_timeout);
        tokio::pin!(quiet);
        let mut heard = 0u64;
        loop {
            let message = tokio::select! {
                biased;
                message = stream.message() => message,
                () = &mut quiet => {
                    if import.read > heard {
                        heard = import.read;
                        quiet.as_mut().reset(Instant::now() + self.item_timeout);
                        continue;
                    }
                    import.flush(&self.state).await?;
                    return Err(went_quiet(import, self.item_timeout));
                }
                () = self.cut.cancelled() => {
                    import.flush(&self.state).await?;
                    return Err(cut_off(import));
                }
            };
            let item = match message {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(status) => {
                    import.flush(&self.state).await?;
                    return Err(broken(import, status));
                }
            };
            if import.read == self.max_import_items {
                // What came before the cap is stored; the caller sends the rest in another call.
                import.flush(&self.state).await?;
                return Err(too_long(self.max_import_items, import));
            }
            match fact_codec::import_item(&item) {
                Ok(fact) => import.pending.push(fact),
                Err(violations) => import.reject(import.read, violations),
            }
            import.read += 1;
            if import.pending.len() >= IMPORT_BATCH {
                import.flush(&self.state).await?;
            }
        }
        import.flush(&self.state).await?;
        tracing::info!(
            items = import.read,
            stored = import.stored(),
            rejected = import.response.rejected_count,
            "import finished"
        );
        Ok(())
    }
}

/// The required sub-message `field`, or the violation saying it is missing.
fn present<'a, T>(field: &str, value: Option<&'a T>) -> Result<&'a T, ServiceError> {
    value.ok_or_else(|| ServiceError::invalid(field, "is required"))
}

#[tonic::async_trait]
impl FactService for FactApi {
    async fn search_transactions(
        &self,
        request: Request<pb::SearchTransactionsRequest>,
    ) -> Result<Response<pb::SearchTransactionsResponse>, Status> {
        let input = search::search_input(request.get_ref(), &self.state.rules)
            .map_err(ServiceError::from)?;
        let page = search::search(self.state.store.as_ref(), &input).await?;
        Ok(Response::new(page))
    }

    async fn put_transaction(
        &self,
        request: Request<pb::PutTransactionRequest>,
    ) -> Result<Response<pb::Transaction>, Status> {
        let resource = request
            .get_ref()
            .transaction
            .as_ref()
            .map(|t| clip(&t.reference));
        audited(&request, "PutTransaction", resource, async {
            let p = present("transaction", request.get_ref().transaction.as_ref())?;
            let transaction =
                fact_codec::transaction(p, "transaction").map_err(ServiceError::from)?;
            let stored = fact_codec::transaction_pb(&transaction);
            self.put(Fact::Transaction(transaction)).await?;
            Ok(Response::new(stored))
        })
        .await
    }

    async fn put_account_status(
        &self,
        request: Request<pb::PutAccountStatusRequest>,
    ) -> Result<Response<pb::AccountStatus>, Status> {
        // Account ids are personal data: the log keeps only a masked form.
        let resource = request
            .get_ref()
            .account_status
            .as_ref()
            .map(|s| mask(&s.account_id));
        audited(&request, "PutAccountStatus", resource, async {
            let p = present("account_status", request.get_ref().account_status.as_ref())?;
            let status =
                fact_codec::account_status(p, "account_status").map_err(ServiceError::from)?;
            let stored = fact_codec::account_status_pb(&status);
            self.put(Fact::AccountStatus(status)).await?;
            Ok(Response::new(stored))
        })
        .await
    }

    async fn put_maintenance_window(
        &self,
        request: Request<pb::PutMaintenanceWindowRequest>,
    ) -> Result<Response<pb::MaintenanceWindow>, Status> {
        let resource = request
            .get_ref()
            .maintenance_window
            .as_ref()
            .map(|w| clip(&w.id));
        audited(&request, "PutMaintenanceWindow", resource, async {
            let p = present(
                "maintenance_window",
                request.get_ref().maintenance_window.as_ref(),
            )?;
            let window = fact_codec::maintenance_window(p, "maintenance_window")
                .map_err(ServiceError::from)?;
            let stored = fact_codec::maintenance_window_pb(&window);
            self.put(Fact::MaintenanceWindow(window)).await?;
            Ok(Response::new(stored))
        })
        .await
    }

    async fn delete_maintenance_window(
        &self,
        request: Request<pb::DeleteMaintenanceWindowRequest>,
    ) -> Result<Response<()>, Status> {
        let resource = Some(clip(&request.get_ref().id));
        audited(&request, "DeleteMaintenanceWindow", resource, async {
            let mut check = Check::new("");
            let id = check.id("id", &request.get_ref().id);
            check.finish().map_err(ServiceError::from)?;
            let store = &self.state.store;
            if !store
                .delete_maintenance_window(&id)
                .await
                .map_err(ServiceError::from)?
            {
                return Err(ServiceError::WindowNotFound(id).into());
            }
            Ok(Response::new(()))
        })
        .await
    }

    async fn put_network_condition(
        &self,
        request: Request<pb::PutNetworkConditionRequest>,
    ) -> Result<Response<pb::NetworkCondition>, Status> {
        let resource = request
            .get_ref()
            .network_condition
            .as_ref()
            .map(|c| clip(&c.network));
        audited(&request, "PutNetworkCondition", resource, async {
            let p = present(
                "network_condition",
                request.get_ref().network_condition.as_ref(),
            )?;
            let condition = fact_codec::network_condition(p, "network_condition")
                .map_err(ServiceError::from)?;
            let stored = fact_codec::network_condition_pb(&condition);
            self.put(Fact::NetworkCondition(condition)).await?;
            Ok(Response::new(stored))
        })
        .await
    }

    async fn import_facts(
        &self,
        request: Request<Streaming<pb::ImportFactsRequest>>,
    ) -> Result<Response<pb::ImportFactsResponse>, Status> {
        let caller = request
            .extensions()
            .get::<Arc<Caller>>()
            .map_or_else(|| "-".to_owned(), |c| c.name.clone());
        let mut import = Import::new(caller);
        let result = self.import(request.into_inner(), &mut import).await;
        // Every outcome is audited with what it stored: an import that fails part way has
        // still written the batches before the failure (each audited as it committed).
        tracing::info!(
            target: "paydiag::audit",
            caller = import.caller,
            method = "ImportFacts",
            resource = "-",
            outcome = result.as_ref().map_or_else(|s| code_name(s.code()), |()| "ok"),
            stored = import.stored(),
            rejected = import.response.rejected_count,
            "fact write"
        );
        result.map(|()| Response::new(import.response))
    }
}

/// The error for a stream that broke at its next item (it could not be read: malformed, too
/// large), saying what was done with the items before it. The stream's own code is kept.
fn broken(import: &Import, status: Status) -> Status {
    let index = import.read;
    let message = format!(
        "item {index} of the stream could not be read ({}): the {index} items before it were \
         processed ({} stored, {} rejected); send the rest in another call",
        status.message(),
        import.stored(),
        import.response.rejected_count
    );
    let reason =
        ErrorReason::of_undecodable(status.code()).unwrap_or(ErrorReason::ImportStreamBroken);
    error_status(
        status.code(),
        message,
        reason,
        import.progress(),
        ErrorDetails::new(),
    )
}

/// The error for a stream that sent no item for `timeout`, saying what was done with the
/// items before the silence.
fn went_quiet(import: &Import, timeout: Duration) -> Status {
    let index = import.read;
    let timeout = humantime::format_duration(timeout).to_string();
    let message = format!(
        "the stream sent no item for {timeout}: the {index} items before were processed ({} \
         stored, {} rejected); send the rest in another call",
        import.stored(),
        import.response.rejected_count
    );
    let metadata = import.progress().into_iter().chain([("timeout", timeout)]);
    error_status(
        Code::DeadlineExceeded,
        message,
        ErrorReason::ImportStreamIdle,
        metadata,
        ErrorDetails::new(),
    )
}

/// The error for an import cut off by the server's shutdown, saying how far it got, in the
/// message and in the ErrorInfo's metadata.
fn cut_off(import: &Import) -> Status {
    let (read, stored, rejected) = (import.read, import.stored(), import.response.rejected_count);
    let message = format!(
        "the server is shutting down: the {read} items received were processed ({stored} \
         stored, {rejected} rejected); send the rest to another replica"
    );
    error_status(
        Code::Unavailable,
        message,
        ErrorReason::ShuttingDown,
        import.progress(),
        ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
    )
}

/// The error for a stream past the cap, saying what was done with the items before it.
fn too_long(cap: u64, import: &Import) -> Status {
    let message = format!(
        "an ImportFacts call takes at most {cap} items: the first {cap} were processed \
         ({} stored, {} rejected); send the rest in another call",
        import.stored(),
        import.response.rejected_count
    );
    let details = ErrorDetails::with_quota_failure(vec![QuotaViolation::new(
        "ImportFacts items per call",
        format!("at most {cap}"),
    )]);
    error_status(
        Code::ResourceExhausted,
        message,
        ErrorReason::ImportItemLimit,
        import.progress(),
        details,
    )
}

/// Records a write in the audit log: who made it, on what, and how it ended.
async fn audited<M, T>(
    request: &Request<M>,
    method: &'static str,
    resource: Option<String>,
    write: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    let result = write.await;
    let caller = request.extensions().get::<Arc<Caller>>();
    let outcome = match &result {
        Ok(_) => "ok",
        Err(status) => code_name(status.code()),
    };
    tracing::info!(
        target: "paydiag::audit",
        caller = caller.map_or("-", |c| c.name.as_str()),
        method,
        resource = resource.as_deref().unwrap_or("-"),
        outcome,
        "fact write"
    );
    result
}

/// A resource id as logged: at most 64 characters, so that no request floods the log.
fn clip(id: &str) -> String {
    id.chars().take(64).collect()
}

/// The canonical name of a gRPC code, as in logs and metrics.
pub fn code_name(code: tonic::Code) -> &'static str {
    crate::layers::rpc_metrics::code_name(code)
}

/// An import in progress: the facts not yet stored and the running response.
struct Import {
    /// Who is importing, as audited.
    caller: String,
    pending: Vec<Fact>,
    /// Items read from the stream so far.
    read: u64,
    /// The index of the first item of the pending batch.
    batch_from: u64,
    response: pb::ImportFactsResponse,
}

impl Import {
    fn new(caller: String) -> Self {
        Self {
            caller,
            pending: Vec::new(),
            read: 0,
            batch_from: 0,
            response: pb::ImportFactsResponse::default(),
        }
    }

    /// How far the import got, as ErrorInfo metadata: the items before `items_processed` were
    /// each stored or rejected, so the caller resends from there.
    fn progress(&self) -> [(&'static str, String); 3] {
        [
            ("items_processed", self.read.to_string()),
            ("facts_stored", self.stored().to_string()),
            ("items_rejected", self.response.rejected_count.to_string()),
        ]
    }

    /// Facts stored so far.
    fn stored(&self) -> u64 {
        let r = &self.response;
        r.transactions_stored
            + r.account_statuses_stored
            + r.maintenance_windows_stored
            + r.network_conditions_stored
    }

    /// Counts a rejected item and lists it (up to the cap): its first bad field, and every
    /// violation in the reason.
    fn reject(&mut self, index: u64, violations: Vec<super::validate::Violation>) {
        self.response.rejected_count += 1;
        if self.response.rejected.len() >= MAX_REJECTED_LISTED {
            return;
        }
        let field = violations
            .first()
            .map(|v| v.field.clone())
            .unwrap_or_default();
        let reason = match violations.as_slice() {
            [only] => only.description.clone(),
            all => all
                .iter()
                .map(|v| format!("{} {}", v.field, v.description))
                .collect::<Vec<_>>()
                .join("; "),
        };
        self.response.rejected.push(pb::RejectedFact {
            index,
            field,
            reason,
        });
    }

    /// Stores the pending facts in one store transaction and counts them.
    async fn flush(&mut self, state: &AppState) -> Result<(), Status> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let counts = batch.iter().fold([0u64; 4], |mut n, fact| {
            n[match fact {
                Fact::Transaction(_) => 0,
                Fact::AccountStatus(_) => 1,
                Fact::MaintenanceWindow(_) => 2,
                Fact::NetworkCondition(_) => 3,
            }] += 1;
            n
        });
        let (first, last) = (self.batch_from, self.read.saturating_sub(1));
        self.batch_from = self.read;
        // The commit and its audit line run apart from the call: a batch that commits is
        // audited even if the call is dropped meanwhile (the caller's deadline, a disconnect).
        let store = state.store.clone();
        let caller = self.caller.clone();
        let committed = tokio::spawn(async move {
            store.put_facts(batch).await?;
            tracing::info!(
                target: "paydiag::audit",
                caller,
                method = "ImportFacts",
                resource = "-",
                outcome = "batch stored",
                stored = counts.iter().sum::<u64>(),
                first_index = first,
                last_index = last,
                "fact write"
            );
            Ok(())
        })
        .await
        .unwrap_or_else(|e| Err(crate::store::StoreError::Internal(anyhow::anyhow!(e))));
        if let Err(error) = committed {
            // The batches before this one are stored: the caller resends from here.
            let (stored, rejected) = (self.stored(), self.response.rejected_count);
            let context = format!(
                "({stored} facts of this import were stored and {rejected} items rejected \
                 before this batch of {})",
                counts.iter().sum::<u64>()
            );
            let metadata = [
                ("facts_stored", stored.to_string()),
                ("items_rejected", rejected.to_string()),
            ];
            return Err(ServiceError::from(error).status_with(Some(&context), metadata));
        }
        let r = &mut self.response;
        r.transactions_stored += counts[0];
        r.account_statuses_stored += counts[1];
        r.maintenance_windows_stored += counts[2];
        r.network_conditions_stored += counts[3];
        Ok(())
    }
}
