//! The errors RPCs return, and their gRPC statuses with rich details.

use super::validate::Violation;
use crate::store::StoreError;
use std::time::Duration;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// How long callers should wait before retrying when the store is unavailable.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// How long callers should wait before retrying a write the store refused for lack of space or
/// for being read-only: someone has to free space or make it writable, which takes longer than
/// a passing outage, and retrying every second would only repeat the refusal.
pub const REFUSED_WRITE_RETRY_AFTER: Duration = Duration::from_secs(10);

/// Why an RPC failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request is malformed; each violation names its field.
    #[error("invalid request: {}", summary(.0))]
    InvalidArgument(Vec<Violation>),
    /// The named resource does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    /// One violation of `field`.
    pub fn invalid(field: &str, description: impl Into<String>) -> Self {
        Self::InvalidArgument(vec![Violation {
            field: field.into(),
            description: description.into(),
        }])
    }
}

impl From<Vec<Violation>> for ServiceError {
    fn from(violations: Vec<Violation>) -> Self {
        Self::InvalidArgument(violations)
    }
}

fn summary(violations: &[Violation]) -> String {
    let shown: Vec<String> = violations
        .iter()
        .take(3)
        .map(|v| format!("{} {}", v.field, v.description))
        .collect();
    let more = violations.len().saturating_sub(3);
    if more > 0 {
        format!("{}; and {more} more", shown.join("; "))
    } else {
        shown.join("; ")
    }
}

impl From<ServiceError> for Status {
    fn from(error: ServiceError) -> Self {
        match &error {
            ServiceError::InvalidArgument(violations) => {
                let violations: Vec<FieldViolation> = violations
                    .iter()
                    .map(|v| FieldViolation::new(&v.field, &v.description))
                    .collect();
                Status::with_error_details(
                    Code::InvalidArgument,
                    error.to_string(),
                    ErrorDetails::with_bad_request(violations),
                )
            }
            ServiceError::NotFound(message) => Status::not_found(message.clone()),
            ServiceError::Store(StoreError::Unavailable(cause)) => {
                tracing::warn!(%cause, "fact store unavailable");
                Status::with_error_details(
                    Code::Unavailable,
                    "the fact store is unavailable; retry later",
                    ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
                )
            }
            // Nothing of the write was stored, and the same write will work once there is
            // room: the store's resource, not the caller's request, is exhausted.
            ServiceError::Store(StoreError::NoSpace(cause)) => {
                tracing::error!(%cause, "fact store out of space: write refused");
                Status::with_error_details(
                    Code::ResourceExhausted,
                    "the fact store is out of space: writes are refused until space is freed \
                     (reads still work); nothing of this write was stored; retry later",
                    ErrorDetails::with_retry_info(Some(REFUSED_WRITE_RETRY_AFTER)),
                )
            }
            // UNAVAILABLE, not FAILED_PRECONDITION: nothing the caller can change would make the
            // write succeed, and it will once the store is writable again (a failover finished,
            // a file's permissions restored), so the caller should retry the same call later
            // rather than give it up.
            ServiceError::Store(StoreError::ReadOnly(cause)) => {
                tracing::error!(%cause, "fact store read-only: write refused");
                Status::with_error_details(
                    Code::Unavailable,
                    "the fact store is read-only: writes are refused until it is writable again \
                     (reads still work); nothing of this write was stored; retry later",
                    ErrorDetails::with_retry_info(Some(REFUSED_WRITE_RETRY_AFTER)),
                )
            }
            ServiceError::Store(StoreError::Internal(cause)) => {
                // Internal causes stay in the log: callers get an opaque status.
                tracing::error!(error = format!("{cause:#}"), "internal error");
                Status::internal("internal error")
            }
        }
    }
}

/// The `google.rpc.Status` of a status, details included, for results that carry errors inline.
pub fn rpc_status(status: &Status) -> tonic_types::Status {
    use prost::Message;
    // A status built with rich details carries the whole google.rpc.Status in its details.
    match tonic_types::Status::decode(status.details()) {
        Ok(decoded) if !status.details().is_empty() => decoded,
        _ => tonic_types::Status {
            code: status.code() as i32,
            message: status.message().to_owned(),
            details: Vec::new(),
        },
    }
}
