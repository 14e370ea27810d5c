//! The errors RPCs return, and their gRPC statuses with rich details.

use super::reason::{ErrorReason, error_status};
use super::validate::Violation;
use crate::store::StoreError;
use std::time::Duration;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation};

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
    /// No maintenance window has this id.
    #[error("no maintenance window has id {0:?}")]
    WindowNotFound(String),
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

impl ServiceError {
    /// The status answering this error, with `context` appended to its message and `metadata`
    /// added to its ErrorInfo: for an error met part way through a call, saying how far the
    /// call got.
    pub fn status_with(
        &self,
        context: Option<&str>,
        metadata: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Status {
        let Answer {
            code,
            message,
            reason,
            metadata: own,
            details,
        } = self.answer();
        let message = match context {
            Some(context) => format!("{message} {context}"),
            None => message,
        };
        error_status(
            code,
            message,
            reason,
            own.into_iter().chain(metadata),
            details,
        )
    }

    /// The answer to this error; logs what the answer leaves out.
    fn answer(&self) -> Answer {
        match self {
            ServiceError::InvalidArgument(violations) => {
                let fields: Vec<FieldViolation> = violations
                    .iter()
                    .map(|v| FieldViolation::new(&v.field, &v.description))
                    .collect();
                // The first bad field, for programs that branch on one; BadRequest has them all.
                let first = violations.first().map(|v| ("field", v.field.clone()));
                Answer {
                    code: Code::InvalidArgument,
                    message: self.to_string(),
                    reason: ErrorReason::InvalidField,
                    metadata: first,
                    details: ErrorDetails::with_bad_request(fields),
                }
            }
            // The id is the caller's own and names an operator's window, nobody's account.
            ServiceError::WindowNotFound(id) => Answer {
                code: Code::NotFound,
                message: self.to_string(),
                reason: ErrorReason::MaintenanceWindowNotFound,
                metadata: Some(("id", id.clone())),
                details: ErrorDetails::new(),
            },
            ServiceError::Store(StoreError::Unavailable(cause)) => {
                tracing::warn!(%cause, "fact store unavailable");
                Answer {
                    code: Code::Unavailable,
                    message: "the fact store is unavailable; retry later".to_owned(),
                    reason: ErrorReason::StoreUnavailable,
                    metadata: None,
                    details: ErrorDetails::with_retry_info(Some(RETRY_AFTER)),
                }
            }
            // Nothing of the write was stored, and the same write will work once there is
            // room: the store's resource, not the caller's request, is exhausted.
            ServiceError::Store(StoreError::NoSpace(cause)) => {
                tracing::error!(%cause, "fact store out of space: write refused");
                Answer {
                    code: Code::ResourceExhausted,
                    message:
                        "the fact store is out of space: writes are refused until space is freed \
                     (reads still work); nothing of this write was stored; retry later"
                            .to_owned(),
                    reason: ErrorReason::StoreOutOfSpace,
                    metadata: None,
                    details: ErrorDetails::with_retry_info(Some(REFUSED_WRITE_RETRY_AFTER)),
                }
            }
            // UNAVAILABLE, not FAILED_PRECONDITION: nothing the caller can change would make the
            // write succeed, and it will once the store is writable again (a failover finished,
            // a file's permissions restored), so the caller should retry the same call later
            // rather than give it up.
            ServiceError::Store(StoreError::ReadOnly(cause)) => {
                tracing::error!(%cause, "fact store read-only: write refused");
                Answer {
code: Code::Unavailable,
message: "the fact store is read-only: writes are refused until it is writable again \
                     (reads still work); nothing of this write was stored; retry later"
                        .to_owned(),
reason: ErrorReason::StoreReadOnly,
metadata: None,
details: ErrorDetails::with_retry_info(Some(REFUSED_WRITE_RETRY_AFTER)),
}
            }
            ServiceError::Store(StoreError::Internal(cause)) => {
                // Internal causes stay in the log: callers get an opaque status.
                tracing::error!(error = format!("{cause:#}"), "internal error");
                Answer {
                    code: Code::Internal,
                    message: "internal error".to_owned(),
                    reason: ErrorReason::Internal,
                    metadata: None,
                    details: ErrorDetails::new(),
                }
            }
        }
    }
}

/// What answers an error, before it is encoded.
struct Answer {
    code: Code,
    message: String,
    reason: ErrorReason,
    metadata: Option<(&'static str, String)>,
    details: ErrorDetails,
}

impl From<ServiceError> for Status {
    fn from(error: ServiceError) -> Self {
        error.status_with(None, [])
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

#[cfg(test)]
mod tests {
    use super::*;
    use tonic_types::StatusExt;

    #[test]
    fn each_kind_of_store_error_has_its_code_reason_and_retry_delay() {
        let cases = [
            (
                StoreError::Unavailable("down".into()),
                Code::Unavailable,
                "STORE_UNAVAILABLE",
                Some(RETRY_AFTER),
            ),
            (
                StoreError::NoSpace("full".into()),
                Code::ResourceExhausted,
                "STORE_OUT_OF_SPACE",
                Some(REFUSED_WRITE_RETRY_AFTER),
            ),
            (
                StoreError::ReadOnly("standby".into()),
                Code::Unavailable,
                "STORE_READ_ONLY",
                Some(REFUSED_WRITE_RETRY_AFTER),
            ),
            (
                StoreError::Internal(anyhow::anyhow!("secret cause")),
                Code::Internal,
                "INTERNAL",
                None,
            ),
        ];
        for (error, code, reason, retry) in cases {
            let status = Status::from(ServiceError::from(error));
            let info = status.get_details_error_info().expect("ErrorInfo");
            assert_eq!(
                (status.code(), info.reason.as_str(), info.domain.as_str()),
                (code, reason, "paydiag.v1")
            );
            assert!(info.metadata.is_empty(), "{info:?}");
            assert_eq!(
                status.get_details_retry_info().and_then(|r| r.retry_delay),
                retry,
                "{reason}"
            );
        }
    }

    #[test]
    fn an_internal_error_tells_the_caller_nothing_of_its_cause() {
        let status = Status::from(ServiceError::from(StoreError::Internal(anyhow::anyhow!(
            "password=hunter2"
        ))));
        assert_eq!(status.message(), "internal error");
    }

    #[test]
    fn context_and_metadata_are_added_to_the_answer_of_an_error() {
        let error = ServiceError::invalid("transaction.amount", "must be positive");
        let status = error.status_with(Some("(2 facts stored)"), [("facts_stored", "2".into())]);
        assert_eq!(
            status.message(),
            "invalid request: transaction.amount must be positive (2 facts stored)"
        );
        let info = status.get_details_error_info().expect("ErrorInfo");
        assert_eq!(info.reason, "INVALID_FIELD");
        assert_eq!(
            info.metadata,
            std::collections::HashMap::from([
                ("field".to_owned(), "transaction.amount".to_owned()),
                ("facts_stored".to_owned(), "2".to_owned()),
            ])
        );
        let bad_request = status.get_details_bad_request().expect("BadRequest");
        assert_eq!(bad_request.field_violations[0].field, "transaction.amount");
    }
}
