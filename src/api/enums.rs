//! One place that maps protobuf enums to domain enums and back.

use crate::engine::{diagnosis, model, next_step};
use crate::pb::v1 as pb;

/// Defines `$to_domain(proto) -> Option<domain>` (None for `*_UNSPECIFIED`),
/// `$to_proto(domain) -> proto` and `$all`, every protobuf value with a domain value, from one
/// list of pairs, so that nothing drifts.
macro_rules! enum_pairs {
    ($to_domain:ident, $to_proto:ident, $all:ident, $pb:ty, $dom:ty { $($p:ident <=> $d:ident),+ $(,)? }) => {
        /// Every protobuf value that has a domain value.
        pub const $all: &[$pb] = &[$(<$pb>::$p,)+];

        /// The domain value of a protobuf value; `None` for `*_UNSPECIFIED`.
        pub fn $to_domain(value: $pb) -> Option<$dom> {
            match value {
                $(<$pb>::$p => Some(<$dom>::$d),)+
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }

        /// The protobuf value of a domain value.
        pub fn $to_proto(value: $dom) -> $pb {
            match value {
                $(<$dom>::$d => <$pb>::$p,)+
            }
        }
    };
}

enum_pairs!(kind, kind_pb, KINDS, pb::TransactionKind, model::TransactionKind {
    Deposit <=> Deposit, Withdrawal <=> Withdrawal, Payment <=> Payment, Transfer <=> Transfer,
});
enum_pairs!(status, status_pb, STATUSES, pb::TransactionStatus, model::TransactionStatus {
    Pending <=> Pending, Confirming <=> Confirming, Completed <=> Completed, Failed <=> Failed,
    NotCredited <=> NotCredited,
});
enum_pairs!(failure, failure_pb, FAILURES, pb::FailureReason, model::FailureReason {
    InsufficientBalance <=> InsufficientBalance,
    InvalidDetails <=> InvalidDetails,
    LimitExceeded <=> LimitExceeded,
    RiskDeclined <=> RiskDeclined,
    Expired <=> Expired,
    IssuerDeclined <=> IssuerDeclined,
});
enum_pairs!(state, state_pb, STATES, pb::AccountState, model::AccountState {
    Active <=> Active, Frozen <=> Frozen, Restricted <=> Restricted,
});
enum_pairs!(freeze, freeze_pb, FREEZES, pb::FreezeReason, model::FreezeReason {
    AbnormalLogin <=> AbnormalLogin,
    AbnormalActivity <=> AbnormalActivity,
    IdentityUnverified <=> IdentityUnverified,
    UserRequested <=> UserRequested,
    ComplianceReview <=> ComplianceReview,
    PasswordReset <=> PasswordReset,
    TwoFactorChanged <=> TwoFactorChanged,
    NewDevice <=> NewDevice,
    WithdrawalAddressChanged <=> WithdrawalAddressChanged,
});
enum_pairs!(confirmation_method, confirmation_method_pb, CONFIRMATION_METHODS, pb::ConfirmationMethod, model::ConfirmationMethod {
    Email <=> Email, TwoFactor <=> TwoFactor, Device <=> Device,
});
enum_pairs!(requested_information, requested_information_pb, REQUESTED_INFORMATION, pb::RequestedInformation, model::RequestedInformation {
    OriginatorDetails <=> OriginatorDetails,
    BeneficiaryDetails <=> BeneficiaryDetails,
    SourceOfFunds <=> SourceOfFunds,
});
enum_pairs!(maintenance, maintenance_pb, MAINTENANCE_TYPES, pb::MaintenanceType, model::MaintenanceType {
    Scheduled <=> Scheduled, Unplanned <=> Unplanned,
});
enum_pairs!(cause_of, cause_pb, CAUSES, pb::Cause, diagnosis::Cause {
    NoIncident <=> NoIncident,
    ConfirmationDelay <=> ConfirmationDelay,
    ConfirmationStalled <=> ConfirmationStalled,
    Maintenance <=> Maintenance,
    AccountFrozen <=> AccountFrozen,
    InputMismatch <=> InputMismatch,
    Rejected <=> Rejected,
    NotFound <=> NotFound,
    Undetermined <=> Undetermined,
    BelowMinimum <=> BelowMinimum,
    UnsupportedAsset <=> UnsupportedAsset,
    SecurityHold <=> SecurityHold,
    AwaitingCustomerConfirmation <=> AwaitingCustomerConfirmation,
    InformationRequired <=> InformationRequired,
});
enum_pairs!(action_of, action_pb, ACTIONS, pb::Action, diagnosis::Action {
    None <=> None,
    Wait <=> Wait,
    VerifyIdentity <=> VerifyIdentity,
    SecureAccount <=> SecureAccount,
    ContactSupport <=> ContactSupport,
    CorrectAndRetry <=> CorrectAndRetry,
    TopUpAndRetry <=> TopUpAndRetry,
    RequestRecovery <=> RequestRecovery,
    CheckReference <=> CheckReference,
    Escalate <=> Escalate,
    ConfirmRequest <=> ConfirmRequest,
    ProvideInformation <=> ProvideInformation,
});
enum_pairs!(outcome_of, outcome_pb, OUTCOMES, pb::FindingOutcome, diagnosis::Outcome {
    Matched <=> Matched, NotMatched <=> NotMatched, NotApplicable <=> NotApplicable,
});
enum_pairs!(match_kind_of, match_kind_pb, MATCH_KINDS, pb::MatchKind, diagnosis::MatchKind {
    Reference <=> Reference, TxHash <=> TxHash, None <=> None,
});
enum_pairs!(actor_of, actor_pb, ACTORS, pb::Actor, next_step::Actor {
    None <=> None, Customer <=> Customer, Support <=> Support, Operations <=> Operations,
});
enum_pairs!(evidence_of, evidence_pb, EVIDENCE_ITEMS, pb::EvidenceItem, next_step::EvidenceItem {
    ReferenceOrTxHash <=> ReferenceOrTxHash,
    PaymentTime <=> PaymentTime,
    Amount <=> Amount,
    Network <=> Network,
    PaymentScreenshot <=> PaymentScreenshot,
    TransactionReference <=> TransactionReference,
    TxHash <=> TxHash,
    DestinationAddress <=> DestinationAddress,
    Memo <=> Memo,
    BankStatement <=> BankStatement,
    IdentityDocument <=> IdentityDocument,
});
enum_pairs!(channel_of, channel_pb, CHANNELS, pb::Channel, next_step::Channel {
    InAppChat <=> InAppChat, Email <=> Email, Hotline <=> Hotline, InAppForm <=> InAppForm,
});

/// Triage's `MissingEvidence` value for an evidence item: the contract gives the two enums the
/// same numbers for the same items. `None` for items only a next step asks for.
pub fn missing_evidence_pb(item: next_step::EvidenceItem) -> Option<pb::MissingEvidence> {
    pb::MissingEvidence::try_from(i32::from(evidence_pb(item))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_evidence_values_are_the_evidence_items_of_the_same_number_and_name() {
        let mut converted = 0;
        for &item in EVIDENCE_ITEMS {
            let Some(missing) = evidence_of(item).and_then(missing_evidence_pb) else {
                continue;
            };
            converted += 1;
            assert_eq!(
                missing.as_str_name().strip_prefix("MISSING_EVIDENCE_"),
                item.as_str_name().strip_prefix("EVIDENCE_ITEM_"),
            );
        }
        // Every triage value has its evidence item.
        let triage_values = (1..)
            .take_while(|n| pb::MissingEvidence::try_from(*n).is_ok())
            .count();
        assert_eq!(converted, triage_values);
    }

    #[test]
    fn the_engine_lists_every_action_of_the_contract_once() {
        let contract: Vec<diagnosis::Action> =
            ACTIONS.iter().filter_map(|a| action_of(*a)).collect();
        assert_eq!(diagnosis::Action::ALL, contract.as_slice());
    }
}
