//! The `google.rpc.ErrorInfo` every error paydiag answers carries (AIP-193): a stable reason a
//! program can branch on, the domain `paydiag.v1`, and metadata where it is cheap and tells the
//! caller nothing about anyone else. The services and the layers build their error statuses with
//! [`error_status`], so that no error leaves without one.

use std::collections::HashMap;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// `ErrorInfo.domain` of every error: the API that defines the reasons.
pub const DOMAIN: &str = "paydiag.v1";

/// Declares [`ErrorReason`] from one list, so that its variants, [`ErrorReason::ALL`] and the
/// strings cannot drift apart.
macro_rules! reasons {
    ($($(#[doc = $doc:literal])+ $variant:ident => $name:literal,)+) => {
        /// Why a call failed, as `ErrorInfo.reason`: one per cause a caller would act on
        /// differently. A published reason is never renamed nor given another meaning; the
        /// README's "Errors" table lists each with its gRPC code and what to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorReason {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorReason {
            /// Every reason, in the order declared.
            pub const ALL: &'static [ErrorReason] = &[$(ErrorReason::$variant,)+];

            /// The reason as sent: UPPER_SNAKE_CASE.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorReason::$variant => $name,)+
                }
            }
        }
    };
}

reasons! {
    /// INVALID_ARGUMENT: fields of the request are invalid; `google.rpc.BadRequest` names each,
    /// metadata `field` the first.
    InvalidField => "INVALID_FIELD",
    /// OUT_OF_RANGE: the request message is larger than the server takes (`--max-request-bytes`).
    MessageTooLarge => "MESSAGE_TOO_LARGE",
    /// INTERNAL (gRPC's code for a request that cannot be parsed): the request is not valid
    /// protobuf or gRPC framing.
    MalformedMessage => "MALFORMED_MESSAGE",
    /// UNIMPLEMENTED: a method that takes one request message was sent more.
    TooManyMessages => "TOO_MANY_MESSAGES",
    /// UNIMPLEMENTED: paydiag has no such method.
    MethodNotFound => "METHOD_NOT_FOUND",
    /// UNIMPLEMENTED: the request is compressed with an encoding paydiag does not take.
    CompressionUnsupported => "COMPRESSION_UNSUPPORTED",
    /// UNIMPLEMENTED (with HTTP 415): the content type is not `application/grpc`.
    ContentTypeUnsupported => "CONTENT_TYPE_UNSUPPORTED",
    /// INTERNAL (as grpc-go answers): the `grpc-timeout` header is malformed.
    GrpcTimeoutMalformed => "GRPC_TIMEOUT_MALFORMED",
    /// DEADLINE_EXCEEDED: the caller's deadline was under 1 ms, passed before the call began.
    DeadlineTooShort => "DEADLINE_TOO_SHORT",
    /// DEADLINE_EXCEEDED: the request message did not arrive whole within `--message-timeout`;
    /// metadata `timeout`.
    MessageTimeout => "MESSAGE_TIMEOUT",
    /// DEADLINE_EXCEEDED: the call ran longer than the server allows (`--request-timeout`);
    /// metadata `timeout`.
    CallTimeout => "CALL_TIMEOUT",
    /// UNAUTHENTICATED: no `authorization` metadata.
    CredentialsMissing => "CREDENTIALS_MISSING",
    /// UNAUTHENTICATED: `authorization` is not `Bearer <token>`.
    CredentialsMalformed => "CREDENTIALS_MALFORMED",
    /// UNAUTHENTICATED: the token is not one of a known caller.
    CredentialsInvalid => "CREDENTIALS_INVALID",
    /// PERMISSION_DENIED: the caller lacks the role the method needs; metadata `role`.
    RoleMissing => "ROLE_MISSING",
    /// RESOURCE_EXHAUSTED: this address has been refused as unauthenticated too often; its calls
    /// are refused until the allowance refills (`RetryInfo`).
    UnauthenticatedRateLimited => "UNAUTHENTICATED_RATE_LIMITED",
    /// RESOURCE_EXHAUSTED: the caller is over its calls per second; metadata
    /// `rate_limit_per_second`.
    RateLimited => "RATE_LIMITED",
    /// RESOURCE_EXHAUSTED: the caller already has as many calls in flight as one caller may;
    /// metadata `limit`.
    CallerInFlightLimit => "CALLER_IN_FLIGHT_LIMIT",
    /// RESOURCE_EXHAUSTED: the server has as many calls in flight as it takes; metadata `limit`.
    Overloaded => "OVERLOADED",
    /// RESOURCE_EXHAUSTED: the caller, or the replica, already holds as many watches as
    /// allowed; `QuotaFailure` names which, metadata `limit`.
    WatchLimit => "WATCH_LIMIT",
    /// NOT_FOUND: no maintenance window has the id; metadata `id`.
    MaintenanceWindowNotFound => "MAINTENANCE_WINDOW_NOT_FOUND",
    /// UNAVAILABLE: the fact store cannot be reached or did not answer in time.
    StoreUnavailable => "STORE_UNAVAILABLE",
    /// RESOURCE_EXHAUSTED: the fact store is out of space; nothing of the write was stored.
    StoreOutOfSpace => "STORE_OUT_OF_SPACE",
    /// UNAVAILABLE: the fact store is read-only; nothing of the write was stored.
    StoreReadOnly => "STORE_READ_ONLY",
    /// RESOURCE_EXHAUSTED: an ImportFacts stream sent more items than one call takes
    /// (`--max-import-items`).
    ImportItemLimit => "IMPORT_ITEM_LIMIT",
    /// DEADLINE_EXCEEDED: an ImportFacts stream sent no item for the request timeout.
    ImportStreamIdle => "IMPORT_STREAM_IDLE",
    /// The stream's own code: an ImportFacts stream failed at an item for another reason than
    /// its size or its encoding.
    ImportStreamBroken => "IMPORT_STREAM_BROKEN",
    /// UNAVAILABLE: the server is shutting down and ended the call.
    ShuttingDown => "SHUTTING_DOWN",
    /// INTERNAL: anything unexpected; the cause is in the server's log, not in the answer.
    Internal => "INTERNAL",
}

impl ErrorReason {
    /// The reason of a status tonic answers by itself for a request it could not decode:
    /// OUT_OF_RANGE for a message over the size limit, INTERNAL for one that is not protobuf.
    pub fn of_undecodable(code: Code) -> Option<Self> {
        match code {
            Code::OutOfRange => Some(Self::MessageTooLarge),
            Code::Internal => Some(Self::MalformedMessage),
            _ => None,
        }
    }
}

impl std::fmt::Display for ErrorReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error status: `code` and `message`, an ErrorInfo with `reason`, the domain and
/// `metadata`, beside the other `details` (BadRequest, RetryInfo, QuotaFailure…).
pub fn error_status(
    code: Code,
    message: impl Into<String>,
    reason: ErrorReason,
    metadata: impl IntoIterator<Item = (&'static str, String)>,
    mut details: ErrorDetails,
) -> Status {
    let metadata: HashMap<String, String> = metadata
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    details.set_error_info(reason.as_str(), DOMAIN, metadata);
    Status::with_error_details(code, message, details)
}

/// The opaque INTERNAL status of anything unexpected, whose cause stays in the log.
pub fn internal() -> Status {
    error_status(
        Code::Internal,
        "internal error",
        ErrorReason::Internal,
        [],
        ErrorDetails::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `InvalidField` → `INVALID_FIELD`.
    fn upper_snake(camel: &str) -> String {
        let mut snake = String::new();
        for c in camel.chars() {
            if c.is_ascii_uppercase() && !snake.is_empty() {
                snake.push('_');
            }
            snake.push(c.to_ascii_uppercase());
        }
        snake
    }

    #[test]
    fn every_reason_is_upper_snake_case_distinct_and_spelled_as_its_variant() {
        let mut seen = std::collections::HashSet::new();
        for reason in ErrorReason::ALL {
            let name = reason.as_str();
            let words: Vec<&str> = name.split('_').collect();
            assert!(
                words.iter().all(|w| !w.is_empty()
                    && w.starts_with(|c: char| c.is_ascii_uppercase())
                    && w.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())),
                "{name} is not UPPER_SNAKE_CASE"
            );
            assert!(name.len() <= 63, "{name} is longer than AIP-193 allows");
            assert!(seen.insert(name), "{name} is used twice");
            assert_eq!(name, upper_snake(&format!("{reason:?}")));
        }
    }

    #[test]
    fn every_reason_is_documented_in_the_readme_errors_table() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
        for reason in ErrorReason::ALL {
            let cell = format!("| `{reason}` |");
            assert!(
                rows.iter().any(|row| row.starts_with(&cell)),
                "README.md has no row for {reason}"
            );
        }
    }

    #[test]
    fn a_status_carries_its_reason_domain_metadata_and_other_details() {
        let status = error_status(
            Code::ResourceExhausted,
            "busy",
            ErrorReason::Overloaded,
            [("limit", "8".to_owned())],
            ErrorDetails::with_retry_info(Some(std::time::Duration::from_secs(1))),
        );
        let info = status.get_details_error_info().expect("ErrorInfo");
        assert_eq!(
            (info.reason.as_str(), info.domain.as_str()),
            ("OVERLOADED", "paydiag.v1")
        );
        assert_eq!(
            info.metadata,
            HashMap::from([("limit".to_owned(), "8".to_owned())])
        );
        assert_eq!(
            status.get_details_retry_info().and_then(|r| r.retry_delay),
            Some(std::time::Duration::from_secs(1))
        );
        assert_eq!(
            (status.code(), status.message()),
            (Code::ResourceExhausted, "busy")
        );
    }
}
