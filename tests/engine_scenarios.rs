//! Rule-engine scenarios as data: each row is facts, a claim, an evaluation time and what the
//! diagnosis must say. Adding a case is adding a row to [`scenarios`]. A failure names its row;
//! `PAYDIAG_SCENARIO=<part of a name> cargo test --test engine_scenarios` runs only the rows
//! whose names contain it.
//!
//! Every row is also rendered in every locale, and its customer message is checked for things a
//! customer must never see (the full account id, internal notes, review and risk reasons).
//!
//! UNDETERMINED is reached one way only: without a transaction NOT_FOUND always matches; with
//! one, a FAILED transaction is REJECTED, a COMPLETED one is NO_INCIDENT, and an in-flight one is
//! either within the stall bound (CONFIRMATION_DELAY) or beyond it (CONFIRMATION_STALLED); but
//! one that arrived and was NOT_CREDITED needs a cause that explains why, and without one it is
//! escalated.
//!
//! Every row is also held to how causes agree with each other: NO_INCIDENT is never
//! contributing, no text says a transaction waited 0 s, and a row can require that a finding
//! promises no completion time (`no_promise_from`) or that nothing calls the transaction
//! completed (`never_called_completed`), in every locale.

use chrono::{DateTime, TimeDelta, Utc};
use paydiag::engine::{
    self,
    diagnosis::{Action, Arg, Cause, Cause::*, Diagnosis, Outcome, Text},
    model::{
        AccountState, AccountStatus, Claim, ConfirmationMethod, CustomerConfirmation,
        ExpectedPayment, Facts, FailureReason, FailureReason::*, FreezeReason, FreezeReason::*,
        InformationRequest, MaintenanceType, MaintenanceWindow, NetworkCondition,
        RequestedInformation, RequestedInformation::*, Transaction, TransactionKind,
        TransactionKind::*, TransactionStatus,
    },
    next_step::{Actor, Channel, EvidenceItem, EvidenceItem::*, ResponseTime, ServiceLevel},
    policy::RuleSet,
};
use paydiag::{
    api::enums,
    i18n::{Catalog, Locale},
};
use rust_decimal::Decimal;
use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    time::Duration,
};

const REFERENCE: &str = "TX-20261122-0001";
const ACCOUNT: &str = "acct-0001234567";
const NOTE: &str = "linked to case FR-7781 (mule ring)";
const BTC_ADDRESS: &str = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh";
const TRON_ADDRESS: &str = "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf";
const EVM_ADDRESS: &str = "0x52908400098527886E0F7030069857D2E4169EE7";
const IBAN: &str = "DE89 3704 0044 0532 0130 00";

/// The rules in precedence order, as every diagnosis must list its findings.
const RULE_ORDER: &[&str] = &[
    "not_found",
    "unsupported_asset",
    "below_minimum",
    "account_frozen",
    "security_hold",
    "rejected",
    "awaiting_customer_confirmation",
    "information_required",
    "input_mismatch",
    "maintenance",
    "confirmation_stalled",
    "confirmation_delay",
    "no_incident",
];

/// Words that would tip a customer off about a review or a risk decline, beyond the catalogs'
/// own wording of those reasons (checked case-insensitively).
const TIPPING_OFF: &[&str] = &[
    "compliance",
    "unusual activity",
    "abnormal",
    "risk",
    "travel rule",
    "source of funds",
    "money laundering",
    "合规",
    "异常活动",
    "风控",
    "旅行规则",
    "资金来源",
    "反洗钱",
    "审查",
];

#[rustfmt::skip]
fn scenarios() -> Vec<Scenario> {
    vec![
        // NOT_FOUND, and payments that never arrived because their network was down.
        case("a_reference_the_platform_never_saw_is_not_found", "22 10:00")
            .expect(NotFound, Action::CheckReference)
            .evidence("not_found", "reference", REFERENCE),
        case("a_transaction_created_after_the_evaluation_time_did_not_exist_yet", "22 10:00")
            .tx(tx("22 12:00"))
            .expect(NotFound, Action::CheckReference)
            .evidence("not_found", "created_at", "2026-11-22T12:00:00Z"),
        case("a_payment_claimed_during_an_open_ended_outage_on_its_network_is_waiting_not_missing", "22 10:00")
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("tron-halt", "TRON", "22 09:00").unplanned())
            .expect(Maintenance, Action::Wait).contributing(&[NotFound])
            .no_resolution().recheck_at("22 10:30")
            .evidence("maintenance", "window_id", "tron-halt")
            .evidence("maintenance", "claimed.paid_at", "2026-11-22T09:30:00Z"),
        case("a_payment_claimed_during_maintenance_on_every_network_waits_for_the_backlog_to_drain", "22 11:00")
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("all-upgrade", "*", "22 09:00").ends("22 10:00").drain(120))
            .expect(Maintenance, Action::Wait).contributing(&[NotFound])
            .resolves_at("22 12:00").recheck_at("22 12:00"),
        case("a_payment_claimed_during_withdrawal_only_maintenance_is_not_found", "22 10:00")
            .window(window("tron-wd", "TRON", "22 09:00").ends("22 11:00").for_kinds(&[Withdrawal]))
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .expect(NotFound, Action::CheckReference),
        case("a_payment_claimed_during_maintenance_on_another_network_is_not_found", "22 10:00")
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("eth-fork", "ETH", "22 09:00"))
            .expect(NotFound, Action::CheckReference),
        case("a_payment_claimed_during_maintenance_that_drained_before_the_evaluation_time_is_not_found", "22 11:30")
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 10:00").drain(60))
            .expect(NotFound, Action::CheckReference),
        case("a_payment_claimed_just_as_the_backlog_cleared_is_not_found", "22 11:00")
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 10:00").drain(60))
            .expect(NotFound, Action::CheckReference),
        case("a_payment_claimed_before_the_maintenance_started_is_not_found", "22 10:00")
            .claim(claim().network("TRON").paid_at("22 08:30"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(NotFound, Action::CheckReference),
        case("a_claim_without_a_network_cannot_be_placed_in_a_maintenance_window", "22 10:00")
            .claim(claim().paid_at("22 09:30"))
            .window(window("all-halt", "*", "22 09:00"))
            .expect(NotFound, Action::CheckReference),
        case("a_transaction_recorded_after_the_evaluation_time_but_paid_during_an_outage_was_waiting", "22 10:00")
            .tx(tx("22 12:00").on("TRON", "USDT"))
            .claim(claim().network("TRON").paid_at("22 09:30"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(Maintenance, Action::Wait).contributing(&[NotFound])
            .no_resolution().recheck_at("22 10:30"),

        // The next step of every action: who acts, what support needs (by rail), where and how
        // soon the customer hears back, and what the customer is told of it.
        case("not_found_asks_for_the_network_a_screenshot_and_when_and_how_much_was_paid", "22 10:00")
            .expect(NotFound, Action::CheckReference)
            .step(Actor::Customer, &[Network, PaymentScreenshot, PaymentTime, Amount], chat_within_10_minutes()),
        case("not_found_on_a_chain_named_by_its_token_standard_asks_for_the_txid", "22 10:00")
            .claim(claim().network("TRC20"))
            .expect(NotFound, Action::CheckReference)
            .step(Actor::Customer, &[TxHash, PaymentTime, Amount], chat_within_10_minutes()),
        case("not_found_on_a_bank_rail_asks_for_a_bank_statement", "22 10:00")
            .claim(claim().network("SEPA"))
            .expect(NotFound, Action::CheckReference)
            .step(Actor::Customer, &[BankStatement, PaymentTime, Amount], chat_within_10_minutes()),
        case("not_found_on_a_card_asks_for_a_screenshot_of_the_payment", "22 10:00")
            .claim(claim().network("CARD"))
            .expect(NotFound, Action::CheckReference)
            .step(Actor::Customer, &[PaymentScreenshot, PaymentTime, Amount], chat_within_10_minutes()),
        case("identity_verification_is_the_customers_to_do_in_a_form_reviewed_within_a_business_day", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .step(Actor::Customer, &[IdentityDocument], form_within_1_business_day()),
        case("securing_the_account_is_the_customers_to_do_with_an_identity_document", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(AbnormalLogin, "22 08:00")])
            .expect(AccountFrozen, Action::SecureAccount).contributing(&[ConfirmationDelay])
            .step(Actor::Customer, &[IdentityDocument], form_within_1_business_day()),
        case("a_review_goes_to_support_in_the_chat_with_the_reference_and_an_identity_document", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(ComplianceReview, "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .step(Actor::Support, &[TransactionReference, IdentityDocument], chat_within_10_minutes())
            .told(TOLD_CHAT),
        case("topping_up_is_the_customers_to_do_and_needs_no_evidence", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(InsufficientBalance))
            .expect(Rejected, Action::TopUpAndRetry)
            .step(Actor::Customer, &[], None),
        case("correcting_the_details_is_the_customers_to_do_and_needs_no_evidence", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(InvalidDetails))
            .expect(Rejected, Action::CorrectAndRetry)
            .step(Actor::Customer, &[], None),
        case("funds_that_arrived_after_their_order_expired_go_to_support_with_the_reference_and_txid", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("ETH", "USDT").failed(Expired))
            .expect(Rejected, Action::ContactSupport)
            .step(Actor::Support, &[TransactionReference, TxHash], chat_within_10_minutes())
            .told(TOLD_CHAT),
        // The platform sent it: its own record is the proof.
        case("a_declined_withdrawal_goes_to_support_with_its_reference_alone", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(RiskDeclined))
            .expect(Rejected, Action::ContactSupport)
            .step(Actor::Support, &[TransactionReference], chat_within_10_minutes())
            .told(TOLD_CHAT),
        case("a_recovery_asks_for_the_txid_the_address_used_and_a_screenshot", "22 10:00:30")
            .tx(tx("22 10:00").on("BSC", "USDT").expecting(want().network("ETH")))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[ConfirmationDelay])
            .step(Actor::Support, &[TxHash, DestinationAddress, PaymentScreenshot], form_within_1_to_5_business_days())
            .told(TOLD_RECOVERY),
        case("a_recovery_on_a_network_of_tags_asks_for_the_tag_used_too", "22 10:05")
            .tx(tx("22 10:00").on("XRP", "XRP").completed("22 10:00:04"))
            .expect(InputMismatch, Action::RequestRecovery)
            .step(Actor::Support, &[TxHash, DestinationAddress, Memo, PaymentScreenshot], form_within_1_to_5_business_days())
            .told(TOLD_RECOVERY),
        case("a_short_bank_deposit_goes_to_support_with_the_reference_and_a_bank_statement", "22 10:00")
            .tx(tx("22 09:00").on("SEPA", "EUR").to(IBAN).amount("99").expecting(want().amount("100")))
            .expect(InputMismatch, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .step(Actor::Support, &[TransactionReference, BankStatement], chat_within_10_minutes())
            .told(TOLD_CHAT),
        case("a_claim_unlike_the_record_asks_for_proof_of_the_payment_meant", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().amount("0.45"))
            .expect(InputMismatch, Action::CheckReference)
            .step(Actor::Customer, &[TxHash, PaymentTime, Amount], chat_within_10_minutes()),
        case("waiting_for_confirmations_needs_nobody_and_nothing", "22 10:05")
            .tx(tx("22 10:00"))
            .expect(ConfirmationDelay, Action::Wait)
            .step(Actor::None, &[], None),
        case("waiting_out_maintenance_needs_nobody_and_nothing", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .step(Actor::None, &[], None),
        case("a_stall_goes_to_operations_and_the_customer_hears_back_by_email", "22 10:00")
            .tx(tx("22 08:00"))
            .expect(ConfirmationStalled, Action::Escalate)
            .step(Actor::Operations, &[], email_within_1_to_3_business_days())
            .told(TOLD_EMAIL),
        case("a_completed_transaction_needs_nobody_and_nothing", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:40"))
            .expect(NoIncident, Action::None)
            .step(Actor::None, &[], None),
        // UNSUPPORTED_ASSET: deposits of an asset their network does not take. One that arrived
        // was not credited: nothing calls it completed, and no incident is never beside it.
        case("usdc_deposited_on_tron_which_takes_only_trx_and_usdt_needs_a_recovery", "22 11:00")
            .tx(tx("22 10:00").on("TRON", "USDC").amount("200").arrived("22 10:01"))
            .expect(UnsupportedAsset, Action::RequestRecovery)
            .no_resolution().no_recheck().never_called_completed()
            .evidence("unsupported_asset", "asset", "USDC")
            .evidence("unsupported_asset", "supported_assets", "TRX,USDT")
            .evidence("unsupported_asset", "policy", "TRON")
            .summary_says("which takes only TRX/USDT: the funds were not credited")
            .customer_hears("Your deposit of 200 USDC was sent on TRON, where we do not support USDC, so it could not be credited automatically. Please submit a recovery request in the app with the transaction hash (TxID); we will let you know whether it can be recovered.")
            .customer_hears_in("zh-CN", "由于我们暂不支持通过TRON网络充值USDC，您的这笔200 USDC充值未能自动到账。请在App内提交找回申请并附上交易哈希（TxID），我们会告知您能否找回。"),
        case("usdt_deposited_on_bitcoin_is_not_credited_while_it_confirms", "22 10:05")
            .tx(tx("22 10:00").on("BTC", "USDT").amount("50"))
            .expect(UnsupportedAsset, Action::RequestRecovery).contributing(&[ConfirmationDelay])
            .customer_hears_in("zh-CN", "由于我们暂不支持通过BTC网络充值USDT"),
        case("an_asset_its_network_takes_is_credited", "22 11:00")
            .tx(tx("22 10:00").on("TRON", "USDT").amount("200").completed("22 10:01"))
            .expect(NoIncident, Action::None)
            .evidence("unsupported_asset", "supported_assets", "TRX,USDT")
            .detail_says("unsupported_asset", "USDT is taken on TRON."),
        case("a_network_listing_no_assets_takes_every_one", "22 10:05")
            .tx(tx("22 10:00").on("DOGE", "DOGE").amount("200"))
            .expect(ConfirmationDelay, Action::Wait)
            .lacks("unsupported_asset", "supported_assets")
            .detail_says("unsupported_asset", "DOGE lists no assets, so every asset is taken."),
        case("a_withdrawal_of_an_asset_the_network_does_not_take_is_not_an_unsupported_deposit", "22 11:00")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDC").completed("22 10:01"))
            .expect(NoIncident, Action::None)
            .lacks("unsupported_asset", "supported_assets"),
        // An unsupported asset is never credited, whatever its amount or account.
        case("an_unsupported_asset_outranks_a_deposit_below_the_minimum", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDC").amount("0.01"))
            .expect(UnsupportedAsset, Action::RequestRecovery).contributing(&[ConfirmationDelay]),
        case("an_unsupported_asset_outranks_a_frozen_account_and_a_wrong_network", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDC").amount("200").expecting(want().network("ETH")))
            .history([frozen(ComplianceReview, "22 08:00")])
            .expect(UnsupportedAsset, Action::RequestRecovery).contributing(&[AccountFrozen, InputMismatch, ConfirmationDelay]),
        case("a_deposit_below_the_minimum_of_an_asset_its_network_takes_is_below_the_minimum", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "TRX").amount("0.5"))
            .expect(BelowMinimum, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("unsupported_asset", "supported_assets", "TRX,USDT"),

        // BELOW_MINIMUM: deposits smaller than their network's minimum for the asset. One that
        // arrived was not credited: nothing calls it completed.
        case("a_bitcoin_deposit_below_the_minimum_is_not_credited_and_goes_to_support", "22 11:00")
            .tx(tx("22 10:00").amount("0.00005").arrived("22 10:30"))
            .expect(BelowMinimum, Action::ContactSupport)
            .no_resolution().no_recheck().never_called_completed()
            .evidence("below_minimum", "amount", "0.00005")
            .evidence("below_minimum", "min_deposit", "0.0001")
            .summary_says("0.00005 BTC is below the 0.0001 BTC minimum on BTC and was not credited. Open a recovery case")
            .customer_hears("Your deposit of 0.00005 BTC is below the minimum deposit of 0.0001 BTC on BTC, so it could not be credited automatically. Please contact support with the transaction hash (TxID), and we will check whether it can be recovered.")
            .customer_hears_in("zh-CN", "由于您充值的0.00005 BTC低于BTC网络的最低充值金额（0.0001 BTC），这笔充值未能自动到账。请联系客服并提供交易哈希（TxID），我们会为您核实能否找回。"),
        case("a_usdt_deposit_still_confirming_below_the_minimum_will_not_be_credited", "22 10:01")
            .tx(tx("22 10:00").on("ETH", "USDT").amount("9.99"))
            .expect(BelowMinimum, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .no_resolution()
            .evidence("below_minimum", "min_deposit", "10")
            .customer_hears_in("zh-CN", "由于您充值的9.99 USDT低于ETH网络的最低充值金额（10 USDT）"),
        case("a_deposit_of_exactly_the_minimum_is_credited", "22 11:00")
            .tx(tx("22 10:00").amount("0.00010").completed("22 10:30"))
            .expect(NoIncident, Action::None)
            .evidence("below_minimum", "min_deposit", "0.0001")
            .detail_says("below_minimum", "0.00010 BTC meets the minimum deposit of 0.0001 BTC on BTC"),
        case("a_withdrawal_smaller_than_the_deposit_minimum_is_not_held_to_it", "22 11:00")
            .tx(tx("22 10:00").kind(Withdrawal).amount("0.00005").completed("22 10:30"))
            .expect(NoIncident, Action::None)
            .lacks("below_minimum", "min_deposit"),
        case("an_asset_without_a_minimum_on_its_network_is_credited_however_small", "22 10:01")
            .tx(tx("22 10:00").on("ETH", "USDC").amount("0.01"))
            .expect(ConfirmationDelay, Action::Wait)
            .detail_says("below_minimum", "No minimum deposit is set for USDC on ETH"),
        // A deposit below the minimum stays uncredited whatever else holds it.
        case("a_deposit_below_the_minimum_outranks_a_frozen_account", "22 10:05")
            .tx(tx("22 10:00").amount("0.00005"))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(BelowMinimum, Action::ContactSupport).contributing(&[AccountFrozen, ConfirmationDelay]),
        case("a_deposit_below_the_minimum_outranks_a_short_payment_of_its_order", "22 10:01")
            .tx(tx("22 10:00").on("ETH", "USDT").amount("5").expecting(want().amount("6")))
            .expect(BelowMinimum, Action::ContactSupport).contributing(&[InputMismatch, ConfirmationDelay]),

        // ACCOUNT_FROZEN: every freeze reason, restrictions, and completed transactions.
        case("an_account_frozen_for_missing_identity_verification_holds_the_deposit_until_verified", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .no_resolution()
            .evidence("account_frozen", "state", "frozen")
            .evidence("account_frozen", "reason", "identity_unverified")
            .evidence("account_frozen", "note", NOTE),
        case("an_account_frozen_at_the_customers_request_needs_their_identity_to_lift_it", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(UserRequested, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "reason", "user_requested"),
        case("an_account_frozen_after_an_unusual_sign_in_must_be_secured", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(AbnormalLogin, "22 08:00")])
            .expect(AccountFrozen, Action::SecureAccount).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "reason", "abnormal_login"),
        case("an_account_frozen_for_unusual_activity_goes_to_support_without_telling_the_customer_why", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(AbnormalActivity, "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "reason", "abnormal_activity"),
        case("an_account_under_compliance_review_goes_to_support_without_telling_the_customer_why", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(ComplianceReview, "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "reason", "compliance_review"),
        case("a_withdrawal_restriction_under_review_holds_a_withdrawal", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([restricted(ComplianceReview, &[Withdrawal], "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "state", "restricted")
            .evidence("account_frozen", "restricted_kinds", "withdrawal")
            .no_promise_from("confirmation_delay")
            .detail_says("confirmation_delay", "held by the account restriction since 22 November 2026, 10:00 UTC")
            .detail_says_in("zh-CN", "confirmation_delay", "起因账户限制暂停处理"),
        case("a_payment_restriction_for_missing_verification_holds_a_payment", "22 10:05")
            .tx(tx("22 10:00").kind(Payment))
            .history([restricted(IdentityUnverified, &[Withdrawal, Payment], "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "restricted_kinds", "withdrawal,payment"),
        case("a_withdrawal_restriction_does_not_hold_a_deposit", "22 10:05")
            .tx(tx("22 10:00"))
            .history([restricted(AbnormalActivity, &[Withdrawal], "22 08:00")])
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30"),
        case("a_freeze_with_an_announced_end_is_expected_to_resolve_then", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(IdentityUnverified, "22 08:00").until("23 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .resolves_at("23 08:00")
            .evidence("account_frozen", "effective_until", "2026-11-23T08:00:00Z")
            // The freeze's end is the primary cause's promise; the delay makes none of its own.
            .no_promise_from("confirmation_delay")
            .evidence("confirmation_delay", "held_until", "2026-11-23T08:00:00Z")
            .evidence("confirmation_delay", "waiting_since", "2026-11-23T08:00:00Z")
            .evidence("confirmation_delay", "waiting_counted_from", "hold_lifted"),
        case("a_freeze_does_not_hold_a_transaction_that_had_already_completed", "22 10:05")
            .tx(tx("22 10:00").completed("22 10:03"))
            .history([frozen(AbnormalActivity, "22 10:04")])
            .expect(NoIncident, Action::None)
            .evidence("account_frozen", "reason", "abnormal_activity"),

        // SECURITY_HOLD: withdrawals held for a set time after a change to the account's security.
        case("a_withdrawal_during_a_security_hold_after_a_password_reset_waits_for_its_end", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("23 09:00").recheck_at("23 09:00")
            // The hold's end is the primary cause's promise; the delay makes none of its own.
            .no_promise_from("confirmation_delay")
            .evidence("confirmation_delay", "held_until", "2026-11-23T09:00:00Z")
            .evidence("confirmation_delay", "waiting_counted_from", "hold_lifted")
            .detail_says("confirmation_delay", "held by the security hold since 22 November 2026, 10:00 UTC")
            .evidence("security_hold", "reason", "password_reset")
            .evidence("security_hold", "effective_until", "2026-11-23T09:00:00Z")
            .evidence("security_hold", "note", NOTE)
            .detail_says("security_hold", "Held by a security hold after a password reset (since 22 November 2026, 09:00 UTC) until 23 November 2026, 09:00 UTC")
            .detail_says("account_frozen", "under a security hold after a password reset, not a freeze")
            .summary_says("Wait until 23 November 2026, 09:00 UTC: withdrawals are held for security after a password reset")
            .customer_hears("For your security, withdrawals from your account are paused until 23 November 2026, 09:00 UTC after a recent change to your account's security settings. Your withdrawal will continue by itself once the pause ends; you do not need to do anything. If you did not make this change, please contact support right away.")
            .customer_hears_in("zh-CN", "由于您的账户近期变更了安全设置，为保障您的资金安全，您的账户提现功能将暂停至")
            .customer_hears_in("zh-CN", "届时您的这笔提现会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。"),
        // Whatever set the hold off, the customer hears the same words.
        case("a_security_hold_after_a_2fa_change_is_told_without_naming_the_change", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([hold(TwoFactorChanged, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .evidence("security_hold", "reason", "two_factor_changed")
            .customer_hears("after a recent change to your account's security settings. Your withdrawal will continue by itself once the pause ends; you do not need to do anything. If you did not make this change, please contact support right away.")
            .customer_hears_in("zh-CN", "届时您的这笔提现会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。"),
        case("a_security_hold_after_a_new_device_is_told_without_naming_the_change", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([hold(NewDevice, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .evidence("security_hold", "reason", "new_device")
            .customer_hears("after a recent change to your account's security settings. Your withdrawal will continue by itself once the pause ends; you do not need to do anything. If you did not make this change, please contact support right away.")
            .customer_hears_in("zh-CN", "届时您的这笔提现会自动继续处理，您无需任何操作。如非本人操作，请立即联系客服。"),
        case("a_security_hold_after_a_new_withdrawal_address_holds_transfers_too", "22 10:05")
            .tx(tx("22 10:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .history([hold(WithdrawalAddressChanged, &[Withdrawal, Transfer], "22 09:00", "23 09:00")])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("23 09:00")
            .evidence("security_hold", "restricted_kinds", "withdrawal,transfer")
            .customer_hears("For your security, transfers from your account are paused until 23 November 2026, 09:00 UTC")
            .customer_hears_in("zh-CN", "为保障您的资金安全，您的账户转账功能将暂停至"),
        case("a_security_hold_on_withdrawals_does_not_hold_a_deposit", "22 10:05")
            .tx(tx("22 10:00"))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(ConfirmationDelay, Action::Wait)
            .detail_says("security_hold", "A security hold after a password reset is in force until 23 November 2026, 09:00 UTC, but it does not hold deposits."),
        case("a_withdrawal_completed_before_the_hold_began_is_not_held", "22 10:05")
            .tx(tx("22 08:00").kind(Withdrawal).completed("22 08:40"))
            .history([hold(NewDevice, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(NoIncident, Action::None)
            .evidence("security_hold", "reason", "new_device"),
        case("a_withdrawal_rejected_during_a_hold_is_explained_by_its_rejection", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(LimitExceeded))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(Rejected, Action::CorrectAndRetry)
            .detail_says("security_hold", "but this withdrawal is no longer waiting"),
        // As-of replay: a diagnosis as of T uses the hold as it stood at T.
        case("a_hold_in_force_at_the_evaluation_time_applies_although_it_was_lifted_early_later", "22 14:20")
            .tx(tx("22 14:00").kind(Withdrawal))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00"), active("22 14:30")])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("23 09:00"),
        case("a_hold_lifted_early_before_the_evaluation_time_no_longer_holds_the_withdrawal", "22 14:35")
            .tx(tx("22 14:00").kind(Withdrawal))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00"), active("22 14:30")])
            .expect(ConfirmationDelay, Action::Wait)
            .detail_says("security_hold", "No security hold is in force."),
        case("a_hold_extended_after_the_evaluation_time_ends_as_it_was_announced_then", "22 11:05")
            .tx(tx("22 11:00").kind(Withdrawal))
            .history([
                hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00"),
                hold(NewDevice, &[Withdrawal], "22 12:00", "23 12:00"),
            ])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("23 09:00")
            .evidence("security_hold", "reason", "password_reset"),
        case("a_hold_extended_before_the_evaluation_time_ends_at_its_new_end", "22 12:05")
            .tx(tx("22 11:00").kind(Withdrawal))
            .history([
                hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00"),
                hold(NewDevice, &[Withdrawal], "22 12:00", "23 12:00"),
            ])
            .expect(SecurityHold, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("23 12:00").recheck_at("23 12:00")
            .evidence("security_hold", "reason", "new_device"),
        case("a_hold_that_ended_before_the_evaluation_time_no_longer_applies", "23 09:05")
            .tx(tx("23 09:00").kind(Withdrawal))
            .history([hold(TwoFactorChanged, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(ConfirmationDelay, Action::Wait),
        // Precedence around the hold.
        case("a_security_hold_outranks_maintenance_on_the_withdrawals_network", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDT"))
            .history([hold(WithdrawalAddressChanged, &[Withdrawal], "22 09:00", "23 09:00")])
            .window(window("tron-halt", "TRON", "22 09:30"))
            .expect(SecurityHold, Action::Wait).contributing(&[Maintenance, ConfirmationDelay])
            .resolves_at("23 09:00"),
        case("a_security_hold_outranks_a_customers_misremembered_amount", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([hold(NewDevice, &[Withdrawal], "22 09:00", "23 09:00")])
            .claim(claim().amount("0.4"))
            .expect(SecurityHold, Action::Wait).contributing(&[InputMismatch, ConfirmationDelay]),
        case("a_deposit_below_the_minimum_outranks_a_hold_on_deposits", "22 10:05")
            .tx(tx("22 10:00").amount("0.00005"))
            .history([hold(NewDevice, &[Deposit, Withdrawal], "22 09:00", "23 09:00")])
            .expect(BelowMinimum, Action::ContactSupport).contributing(&[SecurityHold, ConfirmationDelay]),

        // As-of replay of the account status history.
        case("a_freeze_in_force_at_the_evaluation_time_applies_although_it_was_lifted_later", "21 10:05")
            .tx(tx("21 10:00"))
            .history([frozen(AbnormalLogin, "21 08:00"), active("22 08:00")])
            .expect(AccountFrozen, Action::SecureAccount).contributing(&[ConfirmationDelay])
            .evidence("account_frozen", "effective_from", "2026-11-21T08:00:00Z"),
        case("a_freeze_lifted_before_the_evaluation_time_no_longer_applies", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(AbnormalLogin, "21 08:00"), active("22 08:00")])
            .expect(ConfirmationDelay, Action::Wait)
            .evidence("account_frozen", "state", "active"),
        case("history_entries_handed_over_out_of_order_are_replayed_by_when_they_take_effect", "22 10:05")
            .tx(tx("22 10:00"))
            .history([active("22 08:00"), frozen(AbnormalLogin, "21 08:00")])
            .expect(ConfirmationDelay, Action::Wait),
        case("a_freeze_whose_end_has_passed_leaves_the_account_active", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(IdentityUnverified, "22 08:00").until("22 09:00")])
            .expect(ConfirmationDelay, Action::Wait),
        case("a_lapsed_entry_leaves_the_account_active_rather_than_restoring_the_freeze_it_replaced", "22 10:05")
            .tx(tx("22 10:00"))
            .history([
                frozen(AbnormalLogin, "21 08:00"),
                frozen(IdentityUnverified, "22 08:00").until("22 09:00"),
            ])
            .expect(ConfirmationDelay, Action::Wait),
        case("a_freeze_taking_effect_after_the_evaluation_time_does_not_apply_yet", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(AbnormalLogin, "22 11:00")])
            .expect(ConfirmationDelay, Action::Wait),
        case("of_two_entries_taking_effect_together_the_later_recorded_reactivation_wins", "22 10:05")
            .tx(tx("22 10:00"))
            .history([frozen(ComplianceReview, "22 08:00"), active("22 08:00")])
            .expect(ConfirmationDelay, Action::Wait),
        case("of_two_entries_taking_effect_together_the_later_recorded_freeze_wins", "22 10:05")
            .tx(tx("22 10:00"))
            .history([active("22 08:00"), frozen(AbnormalLogin, "22 08:00")])
            .expect(AccountFrozen, Action::SecureAccount).contributing(&[ConfirmationDelay]),

        // REJECTED: every failure reason.
        case("a_withdrawal_rejected_for_insufficient_balance_is_topped_up_and_retried", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(InsufficientBalance))
            .expect(Rejected, Action::TopUpAndRetry)
            .evidence("rejected", "failure_reason", "insufficient_balance")
            .summary_says("add funds"),
        case("a_withdrawal_rejected_for_invalid_details_is_corrected_and_retried", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(InvalidDetails))
            .expect(Rejected, Action::CorrectAndRetry)
            .evidence("rejected", "failure_reason", "invalid_details")
            .summary_says("correct the details"),
        case("a_withdrawal_over_the_limit_is_corrected_and_retried", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(LimitExceeded))
            .expect(Rejected, Action::CorrectAndRetry)
            .evidence("rejected", "failure_reason", "limit_exceeded")
            .summary_says("stay within the limit"),
        case("a_card_payment_for_an_expired_order_is_retried_with_a_new_order", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("CARD", "EUR").failed(Expired))
            .expect(Rejected, Action::CorrectAndRetry)
            .evidence("rejected", "failure_reason", "expired")
            .summary_says("start a new order"),
        // On a chain the funds moved: they arrived after the order expired.
        case("a_crypto_payment_that_arrived_after_its_order_expired_is_refunded_or_applied_not_paid_again", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("ETH", "USDT").failed(Expired))
            .expect(Rejected, Action::ContactSupport)
            .evidence("rejected", "failure_reason", "expired")
            .summary_says("the customer must not pay again")
            .customer_hears("arrived after the order expired, so it could not be applied automatically. Please do not pay again"),
        // The customer's bank or card issuer declined: the customer asks them, or pays another way.
        case("a_card_payment_declined_by_the_issuer_is_retried_with_another_card_after_asking_the_bank", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("CARD", "EUR").amount("89.90").failed(IssuerDeclined))
            .expect(Rejected, Action::CorrectAndRetry)
            .no_resolution().no_recheck()
            .evidence("rejected", "failure_reason", "issuer_declined")
            .detail_says("rejected", "The payment was rejected: declined by the customer's bank or card issuer.")
            .summary_says("the customer should ask their bank why (or use another card or account), then submit again")
            .customer_hears("Your payment was declined by your bank or card issuer. Please ask your bank why, or try again with another card or account.")
            .customer_hears_in("zh-CN", "您的付款被您的银行或发卡行拒绝。请联系您的银行了解原因，或更换其他银行卡、账户后重试。"),
        case("a_sepa_transfer_refused_by_the_customers_bank_is_retried_after_asking_the_bank", "22 10:05")
            .tx(tx("22 10:00").kind(Transfer).on("SEPA", "EUR").to(IBAN).failed(IssuerDeclined))
            .expect(Rejected, Action::CorrectAndRetry)
            .customer_hears_in("zh-CN", "您的转账被您的银行或发卡行拒绝。"),
        case("a_card_payment_over_the_issuers_limit_stays_within_the_limit", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("CARD", "EUR").failed(LimitExceeded))
            .expect(Rejected, Action::CorrectAndRetry)
            .customer_hears("Your payment was declined because it exceeds a limit on your account. Please try a smaller amount or contact support about your limits."),
        case("a_risk_declined_withdrawal_goes_to_support_without_telling_the_customer_why", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(RiskDeclined))
            .expect(Rejected, Action::ContactSupport)
            .evidence("rejected", "failure_reason", "risk_declined")
            .summary_says("Support must review it"),

        // AWAITING_CUSTOMER_CONFIRMATION: nothing is sent until the customer confirms.
        case("a_withdrawal_waiting_for_an_email_confirmation_asks_the_customer_to_confirm_before_it_lapses", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::Email, "22 10:30"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[ConfirmationDelay])
            .no_resolution().recheck_at("22 10:30")
            .step(Actor::Customer, &[], None)
            .evidence("awaiting_customer_confirmation", "confirmation_method", "email")
            .evidence("awaiting_customer_confirmation", "confirmation_expires_at", "2026-11-22T10:30:00Z")
            .detail_says("awaiting_customer_confirmation", "The withdrawal waits for the customer to confirm it by the link in the e-mail sent to them; nothing is sent until they do, and it lapses unconfirmed at 22 November 2026, 10:30 UTC.")
            .summary_says("Ask the customer to confirm the withdrawal of 0.5 BTC by the link in the e-mail sent to them before 22 November 2026, 10:30 UTC.")
            .customer_hears("Your withdrawal of 0.5 BTC is waiting for your confirmation. Please confirm it with the link in the e-mail we sent you before 22 November 2026, 10:30 UTC. Until then nothing is sent; if it is not confirmed by then, the request is cancelled and you will need to submit it again.")
            .customer_hears_in("zh-CN", "您的0.5 BTC提现申请正在等待您确认。请在")
            .customer_hears_in("zh-CN", "前点击我们发送给您的邮件中的确认链接完成确认。确认前资金不会发出；逾期未确认，该申请将自动取消，需要重新提交。"),
        case("a_withdrawal_waiting_for_a_2fa_code_asks_for_it_in_the_app", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::TwoFactor, "22 10:15"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[ConfirmationDelay])
            .recheck_at("22 10:15")
            .customer_hears("Please confirm it in the app with your two-step verification code before 22 November 2026, 10:15 UTC.")
            .customer_hears_in("zh-CN", "前在App内输入二次验证码完成确认。确认前资金不会发出；逾期未确认，该申请将自动取消，需要重新提交。"),
        case("a_transfer_waiting_for_a_device_prompt_asks_for_it_on_the_trusted_device", "22 10:05")
            .tx(tx("22 10:00").kind(Transfer).on("SEPA", "EUR").to(IBAN).awaiting(ConfirmationMethod::Device, "22 11:00"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[ConfirmationDelay])
            .recheck_at("22 11:00")
            .customer_hears("Your transfer of 0.5 EUR is waiting for your confirmation. Please confirm it in the app on your trusted device before 22 November 2026, 11:00 UTC.")
            .customer_hears_in("zh-CN", "您的0.5 EUR转账申请正在等待您确认。")
            .customer_hears_in("zh-CN", "前在您已信任设备的App内完成确认。确认前资金不会发出；逾期未确认，该申请将自动取消，需要重新提交。"),
        case("a_request_left_unconfirmed_past_its_expiry_is_void_and_made_again", "22 10:31")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::Email, "22 10:30"))
            .expect(AwaitingCustomerConfirmation, Action::CorrectAndRetry).contributing(&[ConfirmationDelay])
            .no_resolution().no_recheck()
            .detail_says("awaiting_customer_confirmation", "was not confirmed by the link in the e-mail sent to them by 22 November 2026, 10:30 UTC: the request lapsed and is void.")
            .summary_says("the customer must submit it again and confirm it by the link in the e-mail sent to them")
            .customer_hears("Your withdrawal of 0.5 BTC was not confirmed by 22 November 2026, 10:30 UTC, so the request was cancelled and nothing was sent. Please submit it again and confirm it with the link in the e-mail we send you.")
            .customer_hears_in("zh-CN", "前确认，该申请已自动取消，资金未发出。请重新提交，并点击邮件中的确认链接完成确认。"),
        case("a_request_is_void_from_the_moment_it_lapses", "22 10:30")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::TwoFactor, "22 10:30"))
            .expect(AwaitingCustomerConfirmation, Action::CorrectAndRetry).contributing(&[ConfirmationDelay]),
        // The customer holds it up, not the network: no escalation, however long it waits.
        case("a_request_waiting_a_day_for_confirmation_is_the_customers_to_confirm_not_stalled", "22 12:00")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::Email, "23 10:00"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[ConfirmationStalled])
            .recheck_at("23 10:00"),
        case("a_request_already_sent_no_longer_waits_for_confirmation", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).confirming(1, "22 10:04").awaiting(ConfirmationMethod::Email, "22 10:30"))
            .expect(ConfirmationDelay, Action::Wait)
            .evidence("awaiting_customer_confirmation", "confirmation_method", "email")
            .detail_says("awaiting_customer_confirmation", "the transaction is past pending: it no longer waits for it"),
        case("a_security_hold_outranks_a_request_waiting_for_confirmation", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::Email, "22 10:30"))
            .history([hold(PasswordReset, &[Withdrawal], "22 09:00", "23 09:00")])
            .expect(SecurityHold, Action::Wait).contributing(&[AwaitingCustomerConfirmation, ConfirmationDelay]),
        case("a_request_waiting_for_confirmation_outranks_maintenance_and_a_misremembered_amount", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDT").awaiting(ConfirmationMethod::Device, "22 10:30"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .claim(claim().amount("5"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[InputMismatch, Maintenance, ConfirmationDelay]),

        // INFORMATION_REQUIRED: held until the customer provides information, never told why.
        case("a_deposit_held_for_the_senders_details_asks_for_information_without_naming_the_rule", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDT").amount("12000").confirming(19, "22 10:02").asked(&[OriginatorDetails], "22 10:03"))
            .expect(InformationRequired, Action::ProvideInformation).contributing(&[ConfirmationDelay])
            .no_resolution().no_recheck()
            .step(Actor::Customer, &[], None)
            // Nothing moves until the customer answers: the delay promises no completion time.
            .no_promise_from("confirmation_delay")
            .evidence("confirmation_delay", "held_by", "information_required")
            .evidence("confirmation_delay", "held_since", "2026-11-22T10:03:00Z")
            .detail_says("confirmation_delay", "held by the request for information since 22 November 2026, 10:03 UTC")
            .evidence("information_required", "requested_information", "originator_details")
            .evidence("information_required", "requested_at", "2026-11-22T10:03:00Z")
            .detail_says("information_required", "Held until the customer provides the details of who sent the funds (travel rule) (asked for at 22 November 2026, 10:03 UTC).")
            .summary_says("Ask the customer to provide the details of who sent the funds (travel rule) through the request in the app or the e-mail sent at 22 November 2026, 10:03 UTC; the deposit stays held until they do. Tell them only that we need some information from them")
            .customer_hears("Your deposit of 12000 USDT is on hold because we need some information from you. Please open the request we sent you in the app or by e-mail and complete it; your deposit will continue once we have it.")
            .customer_hears_in("zh-CN", "由于我们需要您补充一些信息，您的12000 USDT充值暂未处理。请在App内或通过我们发送给您的邮件打开信息补充请求并填写完整，我们收到后会继续为您处理这笔充值。"),
        case("a_withdrawal_held_for_the_receivers_details_and_the_source_of_funds_names_both_to_the_agent_only", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).asked(&[BeneficiaryDetails, SourceOfFunds], "22 10:01"))
            .expect(InformationRequired, Action::ProvideInformation).contributing(&[ConfirmationDelay])
            .evidence("information_required", "requested_information", "beneficiary_details,source_of_funds")
            .detail_says("information_required", "Held until the customer provides the details of who receives the funds (travel rule); proof of the source of funds")
            .customer_hears("Your withdrawal of 0.5 BTC is on hold because we need some information from you.")
            .customer_hears_in("zh-CN", "由于我们需要您补充一些信息，您的0.5 BTC提现暂未处理。"),
        // As of a moment before it was asked for, it was not held for it.
        case("information_asked_for_after_the_evaluation_time_did_not_hold_the_deposit_yet", "22 10:02")
            .tx(tx("22 10:00").asked(&[SourceOfFunds], "22 10:03"))
            .expect(ConfirmationDelay, Action::Wait)
            .evidence("information_required", "requested_at", "2026-11-22T10:03:00Z")
            .detail_says("information_required", "Information was asked for later, at 22 November 2026, 10:03 UTC"),
        case("information_asked_for_exactly_at_the_evaluation_time_holds_the_deposit", "22 10:03")
            .tx(tx("22 10:00").asked(&[SourceOfFunds], "22 10:03"))
            .expect(InformationRequired, Action::ProvideInformation).contributing(&[ConfirmationDelay]),
        case("a_deposit_that_completed_is_no_longer_held_for_information", "22 11:00")
            .tx(tx("22 10:00").asked(&[OriginatorDetails], "22 10:03").completed("22 10:40"))
            .expect(NoIncident, Action::None)
            .detail_says("information_required", "the transaction is no longer in flight"),
        // Precedence around the request.
        case("a_frozen_account_outranks_a_request_for_information", "22 10:05")
            .tx(tx("22 10:00").asked(&[SourceOfFunds], "22 10:01"))
            .history([frozen(ComplianceReview, "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[InformationRequired, ConfirmationDelay]),
        case("a_request_waiting_for_confirmation_outranks_a_request_for_information", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).awaiting(ConfirmationMethod::Email, "22 10:30").asked(&[BeneficiaryDetails], "22 10:01"))
            .expect(AwaitingCustomerConfirmation, Action::ConfirmRequest).contributing(&[InformationRequired, ConfirmationDelay]),
        case("an_unsupported_asset_outranks_a_request_for_information", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDC").amount("5000").asked(&[OriginatorDetails], "22 10:01"))
            .expect(UnsupportedAsset, Action::RequestRecovery).contributing(&[InformationRequired, ConfirmationDelay]),
        case("a_request_for_information_outranks_maintenance_and_a_misremembered_amount", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDT").amount("3000").asked(&[OriginatorDetails], "22 10:01"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .claim(claim().amount("300"))
            .expect(InformationRequired, Action::ProvideInformation).contributing(&[InputMismatch, Maintenance, ConfirmationDelay]),

        // INPUT_MISMATCH against what the order or deposit address asked for.
        case("usdt_sent_on_bsc_to_an_eth_deposit_address_needs_a_recovery", "22 10:00:30")
            .tx(tx("22 10:00").on("BSC", "USDT").expecting(want().network("ETH")))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "mismatched_fields", "network")
            .evidence("input_mismatch", "expected.network", "ETH")
            .evidence("input_mismatch", "actual.network", "BSC"),
        case("usdc_sent_where_usdt_was_asked_for_needs_a_recovery", "22 10:01")
            .tx(tx("22 10:00").on("ETH", "USDC").expecting(want().asset("USDT")))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "expected.asset", "USDT")
            .evidence("input_mismatch", "actual.asset", "USDC"),
        // Funds that arrived with the wrong tag or none were not credited: nothing calls them
        // completed, and no incident is never a cause beside the mismatch.
        case("an_xrp_deposit_with_the_wrong_destination_tag_needs_a_recovery", "22 10:05")
            .tx(tx("22 10:00").on("XRP", "XRP").memo("100243").expecting(want().memo("100234")).arrived("22 10:00:04"))
            .expect(InputMismatch, Action::RequestRecovery)
            .never_called_completed()
            .evidence("input_mismatch", "expected.memo", "100234")
            .evidence("input_mismatch", "actual.memo", "100243")
            .customer_hears("(memo/tag: 100234 was required, 100243 was sent)"),
        case("an_xrp_deposit_without_the_tag_it_was_given_arrived_but_was_not_credited", "22 10:05")
            .tx(tx("22 10:00").on("XRP", "XRP").expecting(want().memo("220011")).arrived("22 10:00:04"))
            .expect(InputMismatch, Action::RequestRecovery)
            .never_called_completed()
            .evidence("input_mismatch", "actual.memo", "-")
            .evidence("no_incident", "arrived_at", "2026-11-22T10:00:04Z")
            .detail_says("no_incident", "The deposit of 0.5 XRP arrived on XRP at 22 November 2026, 10:00 UTC but was not credited to the customer's account.")
            .detail_says_in("zh-CN", "no_incident", "这笔0.5 XRP充值已于2026年11月22日 10:00（UTC）到达XRP，但尚未给客户上账。")
            .detail_says_in("zh-Hant", "no_incident", "這筆0.5 XRP入金已於2026年11月22日 10:00（UTC）送達XRP，但尚未入帳至客戶帳戶。")
            .detail_says("maintenance", "The transaction has arrived on XRP, so no maintenance holds it up.")
            .customer_hears("(memo/tag: 220011 was required, none was sent), so it could not be credited automatically"),
        case("an_xrp_deposit_without_the_required_tag_needs_a_recovery", "22 10:05")
            .tx(tx("22 10:00").on("XRP", "XRP").arrived("22 10:00:04"))
            .expect(InputMismatch, Action::RequestRecovery)
            .never_called_completed()
            .evidence("input_mismatch", "mismatched_fields", "memo")
            .evidence("input_mismatch", "expected.memo", "required")
            .evidence("input_mismatch", "actual.memo", "-")
            .customer_hears("(memo/tag: required on this network, but none was sent)"),
        case("an_xrp_withdrawal_without_a_tag_is_not_a_mismatch", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).on("XRP", "XRP").completed("22 10:00:04"))
            .expect(NoIncident, Action::None),
        case("a_short_payment_goes_to_support_to_settle_the_difference", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").amount("99.5").expecting(want().amount("100.00")))
            .expect(InputMismatch, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "mismatched_fields", "amount")
            .evidence("input_mismatch", "expected.amount", "100.00")
            .evidence("input_mismatch", "actual.amount", "99.5"),
        case("an_amount_written_with_trailing_zeros_is_the_same_amount", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").amount("100.00").expecting(want().amount("100")))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_payment_to_another_tron_address_goes_to_support", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").to("TJRabPrwbZy45sbavfcjinPJC18kjpRTv8").expecting(want().to(TRON_ADDRESS)))
            .expect(InputMismatch, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "expected.destination", TRON_ADDRESS)
            .evidence("input_mismatch", "actual.destination", "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8")
            .customer_hears("(destination: TXYZ****AeBf was required, TJRa****RTv8 was sent)"),
        case("a_tron_address_differing_only_in_case_is_another_address", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").to(&TRON_ADDRESS.to_lowercase()).expecting(want().to(TRON_ADDRESS)))
            .expect(InputMismatch, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "mismatched_fields", "destination"),
        case("an_eth_address_differing_only_in_checksum_case_is_the_same_address", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("ETH", "USDT").to(&EVM_ADDRESS.to_lowercase()).expecting(want().to(EVM_ADDRESS)))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_bsc_address_differing_only_in_checksum_case_is_the_same_address", "22 10:00:30")
            .tx(tx("22 10:00").kind(Payment).on("BSC", "USDT").to(EVM_ADDRESS).expecting(want().to(&EVM_ADDRESS.to_lowercase())))
            .expect(ConfirmationDelay, Action::Wait),
        case("an_iban_written_with_spaces_is_the_same_iban", "22 10:00")
            .tx(tx("22 09:00").kind(Transfer).on("SEPA", "EUR").to(&IBAN.replace(' ', "")).expecting(want().to(IBAN)))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_wrong_network_and_amount_need_a_recovery_first", "22 10:00:30")
            .tx(tx("22 10:00").on("BSC", "USDT").amount("50").expecting(want().network("ETH").amount("100")))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "mismatched_fields", "network,amount"),
        case("a_mismatch_with_the_order_is_reported_instead_of_the_customers_claim", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").amount("99.5").expecting(want().amount("100")))
            .claim(claim().amount("120"))
            .expect(InputMismatch, Action::ContactSupport).contributing(&[ConfirmationDelay])
            .evidence("input_mismatch", "mismatched_fields", "amount")
            .evidence("input_mismatch", "expected.amount", "100")
            .lacks("input_mismatch", "claimed.amount"),

        // INPUT_MISMATCH between the customer's claim and the record.
        case("a_customer_claiming_another_amount_on_a_completed_deposit_checks_the_reference", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().amount("0.45"))
            // Completed and credited, but the customer means something else: not "no incident".
            .expect(InputMismatch, Action::CheckReference)
            .detail_says("no_incident", "Not a transaction without incident: another cause explains it (see the matched findings).")
            .detail_says_in("zh-CN", "no_incident", "并非无异常：另有原因可以解释该交易（见已匹配的检查结果）。")
            .detail_says_in("zh-Hant", "no_incident", "並非無異常：另有原因可解釋此筆交易（請見已符合的檢查結果）。")
            .evidence("no_incident", "completed_at", "2026-11-22T10:30:00Z")
            .evidence("input_mismatch", "mismatched_fields", "amount")
            .evidence("input_mismatch", "claimed.amount", "0.45")
            .evidence("input_mismatch", "recorded.amount", "0.5")
            .customer_hears("(amount: you told us 0.45 BTC, our record shows 0.5 BTC)"),
        case("a_claimed_amount_with_trailing_zeros_matches_the_record", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().amount("0.50"))
            .expect(NoIncident, Action::None),
        case("a_claimed_payment_time_more_than_a_day_off_is_a_mismatch", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().paid_at("21 09:00"))
            .expect(InputMismatch, Action::CheckReference)
            .evidence("input_mismatch", "mismatched_fields", "paid_at")
            .evidence("input_mismatch", "claimed.paid_at", "2026-11-21T09:00:00Z")
            .evidence("input_mismatch", "recorded.created_at", "2026-11-22T10:00:00Z")
            .customer_hears("(payment time: you told us 21 November 2026, 09:00 UTC, our record shows 22 November 2026, 10:00 UTC)"),
        case("a_claimed_payment_time_within_a_day_matches_the_record", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().paid_at("21 11:00"))
            .expect(NoIncident, Action::None),
        case("a_customer_claiming_another_network_checks_the_reference", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().network("ETH"))
            .expect(InputMismatch, Action::CheckReference)
            .evidence("input_mismatch", "claimed.network", "ETH")
            .evidence("input_mismatch", "recorded.network", "BTC"),
        case("a_customer_claiming_another_asset_and_tag_sees_both_differences", "22 11:00")
            .tx(tx("22 10:00").on("XRP", "XRP").memo("100234").completed("22 10:00:04"))
            .claim(claim().asset("XLM").memo("77"))
            .expect(InputMismatch, Action::CheckReference)
            .evidence("input_mismatch", "mismatched_fields", "asset,memo")
            .evidence("input_mismatch", "claimed.asset", "XLM")
            .evidence("input_mismatch", "recorded.asset", "XRP")
            .evidence("input_mismatch", "claimed.memo", "77")
            .evidence("input_mismatch", "recorded.memo", "100234"),
        case("a_customer_claiming_another_destination_checks_the_reference", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().to("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"))
            .expect(InputMismatch, Action::CheckReference)
            .evidence("input_mismatch", "claimed.destination", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
            .evidence("input_mismatch", "recorded.destination", BTC_ADDRESS)
            .customer_hears("(destination: you told us bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, our record shows bc1q****0wlh)"),
        // An empty destination was not recorded: nothing can differ from it.
        case("a_claimed_destination_is_not_a_mismatch_when_the_record_has_none", "22 11:00")
            .tx(tx("22 10:00").to("").completed("22 10:30"))
            .claim(claim().to(BTC_ADDRESS))
            .expect(NoIncident, Action::None),
        case("an_asked_for_destination_is_not_a_mismatch_when_the_record_has_none", "22 10:01")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").to("").expecting(want().to(TRON_ADDRESS)))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_claimed_evm_destination_in_another_case_matches_the_record", "22 11:00")
            .tx(tx("22 10:00").kind(Withdrawal).on("BSC", "USDT").to(&EVM_ADDRESS.to_lowercase()).completed("22 10:01"))
            .claim(claim().to(EVM_ADDRESS))
            .expect(NoIncident, Action::None),
        case("a_claim_matching_the_record_in_every_field_is_no_incident", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:30"))
            .claim(claim().amount("0.500").asset("BTC").network("BTC").to(BTC_ADDRESS).paid_at("22 09:58"))
            .expect(NoIncident, Action::None),

        // MAINTENANCE holding a transaction.
        // Time held up by maintenance is not a stall: the clock restarts when processing resumes.
        case("a_deposit_held_by_an_open_ended_outage_waits_and_is_not_counted_as_stalled", "22 10:30")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-halt", "TRON", "22 09:00").unplanned())
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .no_resolution().recheck_at("22 11:00")
            .evidence("maintenance", "ends_at", "open")
            .evidence("confirmation_stalled", "held_by_maintenance_until", "open")
            // The outage holds it: nothing is counted, and when it will be done is not known.
            .lacks("confirmation_stalled", "waiting")
            .lacks("confirmation_stalled", "waiting_since")
            .evidence("confirmation_stalled", "waiting_counted_from", "hold_lifted")
            .evidence("confirmation_delay", "held_by", "maintenance")
            .evidence("confirmation_delay", "held_since", "2026-11-22T10:00:00Z")
            .lacks("confirmation_delay", "held_until")
            .no_promise_from("confirmation_delay")
            .detail_says("confirmation_stalled", "with no announced end: the stall clock starts when processing resumes")
            .detail_says("confirmation_delay", "0 of 19 confirmations on TRON; all 19 normally take 57 s, counted once the hold is lifted: held by an unplanned outage on TRON since 22 November 2026, 10:00 UTC, so no completion time can be given.")
            .detail_says_in("zh-CN", "confirmation_delay", "TRON网络已有0/19个区块确认，全部确认通常需要57秒，从解除暂停后起算：自2026年11月22日 10:00（UTC）起因TRON网络突发故障暂停处理，因此无法给出完成时间。")
            .detail_says_in("zh-Hant", "confirmation_delay", "TRON網路已有0/19個區塊確認，全部確認通常需要57秒，自解除暫停後起算：自2026年11月22日 10:00（UTC）起因TRON網路臨時故障暫停處理，因此無法提供完成時間。"),
        case("a_window_that_ended_but_is_still_draining_holds_the_deposit_until_the_backlog_clears", "22 10:45")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 10:15").drain(60))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("22 11:15").recheck_at("22 11:15")
            .evidence("maintenance", "expected_resolution_at", "2026-11-22T11:15:00Z")
            .evidence("maintenance", "backlog_drain", "3600s")
            .evidence("confirmation_stalled", "held_by_maintenance_until", "2026-11-22T11:15:00Z")
            .lacks("confirmation_stalled", "waiting")
            .evidence("confirmation_stalled", "waiting_since", "2026-11-22T11:15:00Z")
            .evidence("confirmation_stalled", "waiting_counted_from", "hold_lifted")
            .evidence("confirmation_stalled", "held_until", "2026-11-22T11:15:00Z")
            .evidence("confirmation_stalled", "age", "2700s")
            // The maintenance promises 11:15; nothing else promises a time of its own.
            .no_promise_from("confirmation_delay")
            .detail_says("confirmation_stalled", "Held up by maintenance on TRON until 22 November 2026, 11:15 UTC"),
        case("maintenance_on_every_network_holds_the_deposit", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("all-upgrade", "*", "22 09:00").ends("22 11:00").drain(30))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("22 11:30").recheck_at("22 11:30")
            .evidence("maintenance", "window_network", "*"),
        case("a_window_for_withdrawals_holds_a_withdrawal", "22 10:01")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDT"))
            .window(window("tron-wd", "TRON", "22 09:00").ends("22 11:00").for_kinds(&[Withdrawal]))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("22 11:00"),
        case("a_window_for_withdrawals_does_not_hold_a_deposit", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-wd", "TRON", "22 09:00").ends("22 11:00").for_kinds(&[Withdrawal]))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("22 10:10"),
        case("maintenance_on_another_network_does_not_hold_the_deposit", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("eth-fork", "ETH", "22 09:00"))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_deposit_pending_just_after_the_backlog_drained_is_delayed_not_stalled", "22 10:00:30")
            .tx(tx("22 09:15").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 09:30").drain(30))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:00:57")
            .evidence("confirmation_delay", "held_by_maintenance_until", "2026-11-22T10:00:00Z")
            .evidence("confirmation_delay", "waiting", "30s"),
        case("a_deposit_pending_long_after_the_backlog_drained_is_stalled_not_in_maintenance", "22 10:15")
            .tx(tx("22 09:15").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 09:30").drain(30))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "age", "3600s")
            .evidence("confirmation_stalled", "waiting", "900s")
            .detail_says("confirmation_stalled", "Waiting for 15 min, more than 10 min (57 s expected on TRON)"),
        // A transaction created while the backlog drains queues behind it; once it has cleared,
        // the window holds nothing created after.
        case("a_deposit_created_while_the_backlog_drains_waits_behind_it", "22 09:31")
            .tx(tx("22 09:30").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 08:00").ends("22 09:00").drain(120))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("22 11:00"),
        case("a_window_that_cleared_before_the_deposit_was_created_does_not_hold_it", "22 11:01")
            .tx(tx("22 11:00").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 08:00").ends("22 09:00").drain(120))
            .expect(ConfirmationDelay, Action::Wait),
        case("a_payment_claimed_while_the_backlog_drains_may_be_queued", "22 10:30")
            .claim(claim().network("TRON").paid_at("22 10:15"))
            .window(window("tron-upgrade", "TRON", "22 09:00").ends("22 10:00").drain(60))
            .expect(Maintenance, Action::Wait).contributing(&[NotFound])
            .summary_says("has reached the platform yet, but the customer paid on TRON during scheduled maintenance")
            .customer_hears("We have not received this payment yet. Payments on TRON are delayed by scheduled maintenance, and yours may still be on its way. If it has not been credited by 22 November 2026, 11:00 UTC, please contact support with the transaction hash."),
        case("a_window_that_has_not_started_by_the_evaluation_time_does_not_hold_the_deposit", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-upgrade", "TRON", "22 11:00").ends("22 12:00"))
            .expect(ConfirmationDelay, Action::Wait),
        case("of_two_windows_holding_the_deposit_the_one_clearing_last_sets_the_time", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-a", "TRON", "22 09:00").ends("22 10:30").drain(30))
            .window(window("all-b", "*", "22 09:30").ends("22 11:00").drain(60))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .resolves_at("22 12:00")
            .evidence("maintenance", "window_id", "all-b"),
        case("an_open_ended_window_outlasts_one_with_an_announced_end", "22 10:01")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("all-b", "*", "22 09:30").ends("22 11:00").drain(60))
            .window(window("tron-halt", "TRON", "22 09:50"))
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay])
            .no_resolution().recheck_at("22 10:31")
            .evidence("maintenance", "window_id", "tron-halt"),
        // A transaction that had stalled before an outage began is still stalled.
        case("an_outage_that_began_after_the_deposit_had_stalled_does_not_excuse_it", "22 11:00")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-halt", "TRON", "22 10:30").unplanned())
            .expect(ConfirmationStalled, Action::Escalate)
            .lacks("confirmation_stalled", "held_by_maintenance_until"),
        case("an_outage_that_began_before_the_deposit_stalled_holds_it", "22 11:00")
            .tx(tx("22 10:00").on("TRON", "USDT"))
            .window(window("tron-halt", "TRON", "22 10:02").unplanned())
            .expect(Maintenance, Action::Wait).contributing(&[ConfirmationDelay]),
        case("a_completed_withdrawal_tells_the_customer_where_to_look_if_it_has_not_arrived", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).completed("22 10:01"))
            .expect(NoIncident, Action::None)
            .summary_says("If the customer says it has not arrived, share the destination")
            .customer_hears("completed at 22 November 2026, 10:01 UTC. If it has not arrived yet, please check with the receiving wallet"),
        case("a_completed_deposit_is_not_held_by_maintenance", "22 10:05")
            .tx(tx("22 10:00").on("TRON", "USDT").completed("22 10:01"))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(NoIncident, Action::None),

        // CONFIRMATION_STALLED.
        case("a_bitcoin_deposit_waiting_beyond_three_times_its_expected_time_is_escalated", "22 10:00")
            .tx(tx("22 08:00"))
            .expect(ConfirmationStalled, Action::Escalate)
            .no_resolution().no_recheck()
            .evidence("confirmation_stalled", "expected_time", "1800s")
            .evidence("confirmation_stalled", "stall_factor", "3")
            .evidence("confirmation_stalled", "stall_after", "5400s")
            .evidence("confirmation_stalled", "age", "7200s"),
        case("an_eth_deposit_stuck_at_three_of_twelve_confirmations_is_escalated", "22 10:10")
            .tx(tx("22 10:00").on("ETH", "ETH").confirming(3, "22 10:03"))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "expected_time", "144s")
            .evidence("confirmation_stalled", "stall_after", "600s"),
        case("a_sepa_transfer_past_its_own_stall_factor_of_two_is_escalated", "19 09:01")
            .tx(tx("17 09:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "stall_factor", "2")
            .evidence("confirmation_stalled", "stall_after", "172800s"),
        case("a_deposit_exactly_at_the_stall_bound_is_stalled", "22 10:00")
            .tx(tx("22 08:30"))
            .expect(ConfirmationStalled, Action::Escalate),
        case("a_deposit_just_short_of_the_stall_bound_is_rechecked_at_it", "22 09:59:59")
            .tx(tx("22 08:30"))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("22 10:00"),
        // On chains that confirm in seconds the stall bound has a floor (`min_stall_after`).
        case("an_xrp_deposit_twenty_seconds_old_is_late_but_not_stalled", "22 10:00:20")
            .tx(tx("22 10:00").on("XRP", "XRP").memo("100234"))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("22 10:10")
            .evidence("confirmation_delay", "expected_time", "4s")
            .evidence("confirmation_delay", "stall_after", "600s"),
        case("a_deposit_on_a_network_without_a_policy_stalls_after_three_fallback_hours", "22 10:00")
            .tx(tx("22 06:00").on("DOGE", "DOGE"))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "policy", "fallback")
            .evidence("confirmation_stalled", "stall_after", "10800s"),
        case("fresh_congestion_widens_the_stall_bound", "22 10:00")
            .tx(tx("22 08:00"))
            .condition("BTC", 2.0, "22 09:30")
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("22 11:00")
            .evidence("confirmation_delay", "stalls_at", "2026-11-22T11:00:00Z")
            .evidence("confirmation_delay", "congestion_factor", "2")
            .evidence("confirmation_delay", "stall_after", "10800s"),
        case("stale_congestion_does_not_widen_the_stall_bound", "22 10:00")
            .tx(tx("22 08:00"))
            .condition("BTC", 2.0, "22 08:30")
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "congestion_factor", "1")
            .evidence("confirmation_stalled", "congestion_ignored_stale_at", "2026-11-22T08:30:00Z"),

        // CONFIRMATION_DELAY and its expected time.
        case("a_deposit_with_one_of_three_confirmations_waits_for_the_other_two_blocks", "22 10:15")
            .tx(tx("22 10:00").confirming(1, "22 10:10"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30").recheck_at("22 10:30")
            .evidence("confirmation_delay", "policy", "BTC")
            .evidence("confirmation_delay", "confirmations", "1")
            .evidence("confirmation_delay", "required_confirmations", "3")
            .evidence("confirmation_delay", "expected_resolution_at", "2026-11-22T10:30:00Z"),
        // Bank rails settle on weekdays: a weekend does not count towards their times.
        case("a_sepa_transfer_sent_on_friday_afternoon_is_expected_on_monday", "28 10:00")
            .tx(tx("27 16:00").kind(Transfer).on("SEPA", "EUR"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("30 16:00")
            .evidence("confirmation_delay", "business_days", "true")
            .evidence("confirmation_delay", "waiting", "28800s"),
        // ... and not on the public holidays of their calendar (TARGET2's for SEPA).
        case("a_sepa_transfer_sent_before_easter_is_expected_after_good_friday_and_easter_monday", "04-02 17:00")
            .tx(tx("04-02 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("04-07 16:00").recheck_at("04-07 16:00")
            .evidence("confirmation_delay", "business_days", "true")
            .evidence("confirmation_delay", "holidays_skipped", "2026-04-03,2026-04-06")
            .customer_hears("We expect it to complete by 7 April 2026, 16:00 UTC."),
        // Replayed as of the holiday itself, the wait stopped when it began.
        case("a_sepa_transfer_diagnosed_as_of_good_friday_has_waited_only_until_the_holiday_began", "04-03 12:00")
            .tx(tx("04-02 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("04-07 16:00")
            .evidence("confirmation_delay", "waiting", "28800s")
            .evidence("confirmation_delay", "age", "72000s"),
        case("a_sepa_transfer_late_after_easter_counts_its_stall_bound_in_business_days", "04-07 17:00")
            .tx(tx("04-02 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("04-08 16:00")
            .evidence("confirmation_delay", "stalls_at", "2026-04-08T16:00:00Z"),
        case("a_sepa_transfer_stalls_two_business_days_after_easter", "04-08 16:00")
            .tx(tx("04-02 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "holidays_skipped", "2026-04-03,2026-04-06"),
        case("a_sepa_transfer_sent_on_christmas_eve_is_expected_after_christmas_and_the_weekend", "12-24 17:00")
            .tx(tx("12-24 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("12-28 16:00")
            // 26 December 2026 is a Saturday: a holiday on a weekend skips nothing more.
            .evidence("confirmation_delay", "holidays_skipped", "2026-12-25"),
        case("a_sepa_transfer_sent_on_new_years_eve_is_expected_after_new_years_day", "12-31 17:00")
            .tx(tx("12-31 16:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("2027-01-04 16:00")
            .evidence("confirmation_delay", "holidays_skipped", "2027-01-01"),
        case("a_sepa_transfer_away_from_holidays_names_none", "24 10:00")
            .tx(tx("24 09:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .lacks("confirmation_delay", "holidays_skipped"),
        // A rail keeps only its own calendar: SWIFT lists no holidays.
        case("a_swift_transfer_is_not_held_to_the_sepa_calendar", "04-02 17:00")
            .tx(tx("04-02 16:00").kind(Transfer).on("SWIFT", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("04-07 16:00")
            .lacks("confirmation_delay", "holidays_skipped"),
        case("a_sepa_transfer_sent_on_friday_is_not_stalled_on_monday_morning", "30 09:00")
            .tx(tx("27 16:00").kind(Transfer).on("SEPA", "EUR"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("30 16:00"),
        case("a_sepa_transfer_stalls_after_two_business_days", "23 16:00")
            .tx(tx("19 16:00").kind(Transfer).on("SEPA", "EUR"))
            .expect(ConfirmationStalled, Action::Escalate)
            .evidence("confirmation_stalled", "stall_after", "172800s"),
        // A bound that runs out as a business day ends is reached then, not as the next begins:
        // the overdue delay's recheck is the moment the stall rule takes over.
        case("a_sepa_transfer_whose_stall_bound_runs_out_on_friday_night_is_rechecked_then", "20 12:00")
            .tx(tx("19 00:00").kind(Transfer).on("SEPA", "EUR"))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("21 00:00")
            .evidence("confirmation_delay", "stalls_at", "2026-11-21T00:00:00Z"),
        case("a_sepa_transfer_whose_stall_bound_ran_out_on_friday_night_is_stalled_from_saturday", "21 00:00")
            .tx(tx("19 00:00").kind(Transfer).on("SEPA", "EUR"))
            .expect(ConfirmationStalled, Action::Escalate),
        // Durations are seconds to the millisecond, whatever unit the policy was written in.
        case("a_solana_deposit_reports_its_sub_second_block_interval_in_seconds", "22 10:00:05")
            .tx(tx("22 10:00").on("SOL", "SOL"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:00:12.8")
            .evidence("confirmation_delay", "block_interval", "0.4s")
            .evidence("confirmation_delay", "expected_time", "12.8s")
            .evidence("confirmation_delay", "stall_after", "600s")
            .evidence("confirmation_delay", "age", "5s"),
        case("a_pending_deposit_never_updated_counts_from_its_creation", "22 10:05")
            .tx(tx("22 10:00"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30").recheck_at("22 10:30"),
        case("a_deposit_needing_more_confirmations_than_the_policy_waits_for_all_of_them", "22 10:05")
            .tx(tx("22 10:00").needs(6))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 11:00")
            .evidence("confirmation_delay", "required_confirmations", "6"),
        // Late but not stalled: when it will be done is no longer known, never "by now".
        case("a_deposit_whose_confirmations_should_already_be_in_is_rechecked_at_its_stall_bound", "22 10:40")
            .tx(tx("22 10:00").confirming(3, "22 10:20"))
            .expect(ConfirmationDelay, Action::Wait)
            .no_resolution().recheck_at("22 11:30")
            .detail_says("confirmation_delay", "Waiting for 40 min, longer than the 30 min expected on BTC (3 of 3 confirmations), but within the stall bound: it counts as stalled from 22 November 2026, 11:30 UTC.")
            .summary_says("Wait until 22 November 2026, 11:30 UTC")
            .customer_hears("is taking longer than usual on BTC. No action is needed from you; if it has not completed by 22 November 2026, 11:30 UTC, we will look into it."),
        case("an_eth_deposit_waits_for_its_remaining_blocks_from_the_last_update", "22 10:01:30")
            .tx(tx("22 10:00").on("ETH", "ETH").confirming(4, "22 10:01"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:02:36")
            // Texts show minutes: a promise is rounded up, never earlier than computed.
            .customer_hears("We expect it to complete by 22 November 2026, 10:03 UTC."),
        case("fresh_congestion_slows_the_expected_blocks", "22 10:05")
            .tx(tx("22 10:00"))
            .condition("BTC", 2.0, "22 09:30")
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 11:00")
            .evidence("confirmation_delay", "congestion_factor", "2")
            .evidence("confirmation_delay", "congestion_observed_at", "2026-11-22T09:30:00Z"),
        case("the_latest_congestion_at_or_before_the_evaluation_time_on_the_network_applies", "22 10:05")
            .tx(tx("22 10:00"))
            .condition("BTC", 1.5, "22 09:00")
            .condition("BTC", 2.0, "22 09:30")
            .condition("BTC", 4.0, "22 10:30")
            .condition("ETH", 5.0, "22 10:00")
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 11:00")
            .evidence("confirmation_delay", "congestion_observed_at", "2026-11-22T09:30:00Z"),
        case("congestion_observed_more_than_an_hour_before_is_ignored", "22 10:05")
            .tx(tx("22 10:00"))
            .condition("BTC", 2.0, "22 08:30")
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .evidence("confirmation_delay", "congestion_factor", "1")
            .evidence("confirmation_delay", "congestion_ignored_stale_at", "2026-11-22T08:30:00Z")
            .lacks("confirmation_delay", "congestion_observed_at"),
        case("congestion_observed_exactly_an_hour_before_still_applies", "22 10:05")
            .tx(tx("22 10:00"))
            .condition("BTC", 2.0, "22 09:05")
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 11:00"),
        case("a_sepa_transfer_takes_its_one_day_processing_time", "24 10:00")
            .tx(tx("24 09:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("25 09:00").recheck_at("25 09:00")
            .evidence("confirmation_delay", "policy", "SEPA")
            .evidence("confirmation_delay", "processing_time", "86400s"),
        case("congestion_slows_a_rail_too", "24 10:00")
            .tx(tx("24 09:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .condition("SEPA", 1.5, "24 09:30")
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("25 21:00"),
        case("a_deposit_on_a_network_without_a_policy_uses_the_fallback_processing_time", "22 10:05")
            .tx(tx("22 10:00").on("DOGE", "DOGE"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 11:00")
            .evidence("confirmation_delay", "policy", "fallback")
            .evidence("confirmation_delay", "processing_time", "3600s"),

        // NO_INCIDENT, and replaying a transaction that completed after the evaluation time.
        case("a_completed_deposit_is_no_incident", "22 11:00")
            .tx(tx("22 10:00").completed("22 10:40"))
            .expect(NoIncident, Action::None)
            .no_resolution().no_recheck()
            .evidence("no_incident", "completed_at", "2026-11-22T10:40:00Z"),
        case("a_deposit_that_completed_after_the_evaluation_time_was_still_confirming_then", "22 10:20")
            .tx(tx("22 10:00").confirming(3, "22 10:40").completed("22 10:40"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .evidence("confirmation_delay", "confirmations", "0"),
        case("a_rejection_recorded_after_the_evaluation_time_had_not_happened_then", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).confirming(0, "22 12:00").failed(LimitExceeded))
            .expect(ConfirmationDelay, Action::Wait)
            .lacks("rejected", "failure_reason"),
        case("confirmations_recorded_after_the_evaluation_time_were_not_observed_then", "22 10:05")
            .tx(tx("22 10:00").confirming(2, "22 10:20"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .evidence("confirmation_delay", "confirmations", "0"),
        case("confirmations_recorded_before_the_evaluation_time_count", "22 10:25")
            .tx(tx("22 10:00").confirming(2, "22 10:20"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .evidence("confirmation_delay", "confirmations", "2"),
        case("a_deposit_that_completed_late_was_stalled_before_it_completed", "22 11:45")
            .tx(tx("22 10:00").completed("22 12:00"))
            .expect(ConfirmationStalled, Action::Escalate),

        // Precedence between rules.
        case("a_frozen_account_explains_a_rejection_first", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).failed(LimitExceeded))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[Rejected])
            .no_resolution()
            .summary_says("then submit it again")
            .customer_hears("could not go through because your account needs identity verification. Please complete verification in the app, then try again."),
        case("a_rejection_before_the_account_was_frozen_is_explained_by_the_rejection", "22 13:00")
            .tx(tx("22 10:00").kind(Withdrawal).confirming(0, "22 10:00:01").failed(InsufficientBalance))
            .history([frozen(IdentityUnverified, "22 12:00")])
            .expect(Rejected, Action::TopUpAndRetry)
            .detail_says("account_frozen", "after this transaction was rejected: the freeze did not cause the rejection"),
        case("a_frozen_account_holds_a_pending_withdrawal_until_verification", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .summary_says("the transaction then continues")
            .customer_hears("is on hold because your account needs identity verification"),
        case("a_rejection_during_maintenance_is_a_rejection_with_maintenance_contributing", "22 10:05")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDT").failed(InsufficientBalance))
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(Rejected, Action::TopUpAndRetry).contributing(&[Maintenance]),
        case("a_rejected_payment_that_was_also_short_is_a_rejection_first", "22 10:05")
            .tx(tx("22 10:00").kind(Payment).on("TRON", "USDT").amount("90").expecting(want().amount("100")).failed(Expired))
            .expect(Rejected, Action::ContactSupport).contributing(&[InputMismatch]),
        case("a_stalled_deposit_is_escalated_even_when_the_customer_misremembers_it", "22 12:00")
            .tx(tx("22 08:00"))
            .claim(claim().paid_at("21 06:00"))
            .expect(ConfirmationStalled, Action::Escalate).contributing(&[InputMismatch]),
        case("a_wrong_tag_outranks_a_stall", "22 12:00")
            .tx(tx("22 08:00").on("XRP", "XRP"))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[ConfirmationStalled]),
        case("a_frozen_account_outranks_a_wrong_tag", "22 10:00:02")
            .tx(tx("22 10:00").on("XRP", "XRP"))
            .history([frozen(ComplianceReview, "22 08:00")])
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[InputMismatch, ConfirmationDelay]),
        case("a_wrong_network_outranks_maintenance", "22 10:00:30")
            .tx(tx("22 10:00").on("BSC", "USDT").expecting(want().network("ETH")))
            .window(window("bsc-halt", "BSC", "22 09:00"))
            .expect(InputMismatch, Action::RequestRecovery).contributing(&[Maintenance, ConfirmationDelay]),
        case("a_frozen_account_outranks_maintenance_and_a_delay", "22 12:00")
            .tx(tx("22 10:00").kind(Withdrawal).on("TRON", "USDT"))
            .history([frozen(AbnormalActivity, "22 08:00")])
            .window(window("tron-halt", "TRON", "22 09:00"))
            .expect(AccountFrozen, Action::ContactSupport).contributing(&[Maintenance, ConfirmationDelay])
            .no_promise_from("confirmation_delay")
            .evidence("confirmation_delay", "held_by", "account_frozen"),

        // Causes that agree with each other: findings stated in the light of the primary cause.
        // A freeze holds the transaction: nothing counts its waiting through the hold, and no
        // contributing finding promises when it completes (the evaluation time is a Sunday).
        case("a_sepa_withdrawal_held_by_a_freeze_over_a_weekend_promises_no_completion_time", "22 10:15")
            .tx(tx("22 10:00").kind(Withdrawal).on("SEPA", "EUR").to(IBAN))
            .history([frozen(IdentityUnverified, "22 09:00")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationDelay])
            .no_resolution().no_recheck()
            .no_promise_from("confirmation_delay")
            .no_promise_from("confirmation_stalled")
            .evidence("confirmation_delay", "held_by", "account_frozen")
            .evidence("confirmation_delay", "held_since", "2026-11-22T10:00:00Z")
            .evidence("confirmation_delay", "waiting_counted_from", "hold_lifted")
            .evidence("confirmation_stalled", "held_by", "account_frozen")
            .lacks("confirmation_delay", "waiting_since")
            .lacks("confirmation_delay", "waiting")
            .lacks("confirmation_delay", "held_until")
            .detail_says("confirmation_delay", "Processing on SEPA normally takes 1 d, counted once the hold is lifted: held by the account freeze since 22 November 2026, 10:00 UTC, so no completion time can be given.")
            .detail_says_in("zh-CN", "confirmation_delay", "SEPA处理通常需要1天，从解除暂停后起算：自2026年11月22日 10:00（UTC）起因账户冻结暂停处理，因此无法给出完成时间。")
            .detail_says_in("zh-Hant", "confirmation_delay", "SEPA處理通常需要1天，自解除暫停後起算：自2026年11月22日 10:00（UTC）起因帳戶凍結暫停處理，因此無法提供完成時間。")
            .detail_says("confirmation_stalled", "Held by the account freeze since 22 November 2026, 10:00 UTC: waiting is not counted while the hold lasts, so it cannot stall before the hold is lifted.")
            .detail_says_in("zh-CN", "confirmation_stalled", "自2026年11月22日 10:00（UTC）起因账户冻结暂停处理：暂停期间不计等待时间，解除前不会被判定为停滞。")
            .customer_hears("Your withdrawal is on hold because your account needs identity verification."),
        case("a_freeze_that_began_while_the_deposit_waited_stops_its_waiting_there", "22 10:20")
            .tx(tx("22 10:00"))
            .history([frozen(AbnormalLogin, "22 10:10")])
            .expect(AccountFrozen, Action::SecureAccount).contributing(&[ConfirmationDelay])
            .no_promise_from("confirmation_delay")
            .evidence("confirmation_delay", "waiting_since", "2026-11-22T10:00:00Z")
            .evidence("confirmation_delay", "waiting_counted_from", "created")
            .evidence("confirmation_delay", "waiting", "600s")
            .evidence("confirmation_delay", "held_by", "account_frozen")
            .evidence("confirmation_delay", "held_since", "2026-11-22T10:10:00Z")
            .detail_says("confirmation_stalled", "Held by the account freeze since 22 November 2026, 10:10 UTC: waiting is not counted while the hold lasts (it had waited 10 min before), so it cannot stall before the hold is lifted.")
            .detail_says_in("zh-CN", "confirmation_stalled", "暂停期间不计等待时间（此前已等待10分钟），解除前不会被判定为停滞。")
            .detail_says_in("zh-Hant", "confirmation_stalled", "暫停期間不計等候時間（此前已等候10分鐘），解除前不會判定為停滯。"),
        case("a_deposit_that_had_stalled_before_the_freeze_began_is_still_stalled_beside_it", "22 10:00")
            .tx(tx("22 08:00"))
            .history([frozen(IdentityUnverified, "22 09:40")])
            .expect(AccountFrozen, Action::VerifyIdentity).contributing(&[ConfirmationStalled])
            .evidence("confirmation_stalled", "waiting", "6000s")
            .evidence("confirmation_stalled", "held_by", "account_frozen")
            .evidence("confirmation_stalled", "held_since", "2026-11-22T09:40:00Z"),
        // Waiting not yet counted is said as such, never as "waiting 0 s".
        case("a_sepa_transfer_made_on_a_sunday_counts_its_waiting_from_monday", "22 10:00")
            .tx(tx("22 09:00").kind(Transfer).on("SEPA", "EUR").to(IBAN))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("24 00:00")
            .evidence("confirmation_delay", "waiting_since", "2026-11-23T00:00:00Z")
            .evidence("confirmation_delay", "waiting_counted_from", "business_day")
            .evidence("confirmation_delay", "age", "3600s")
            .lacks("confirmation_delay", "waiting")
            .lacks("confirmation_delay", "held_by")
            .detail_says("confirmation_stalled", "SEPA counts business days only: waiting is counted from 23 November 2026, 00:00 UTC, so it cannot have stalled yet.")
            .detail_says_in("zh-CN", "confirmation_stalled", "SEPA只按工作日计时：等待时间从2026年11月23日 00:00（UTC）起算，目前不会被判定为停滞。"),
        case("a_deposit_recorded_at_the_evaluation_time_has_waited_nothing_yet", "22 10:00")
            .tx(tx("22 10:00"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .evidence("confirmation_stalled", "waiting_since", "2026-11-22T10:00:00Z")
            .evidence("confirmation_stalled", "waiting_counted_from", "created")
            .lacks("confirmation_stalled", "waiting")
            .detail_says("confirmation_stalled", "Waiting is counted from 22 November 2026, 10:00 UTC: too recent to have stalled.")
            .detail_says_in("zh-CN", "confirmation_stalled", "等待时间从2026年11月22日 10:00（UTC）起算，时间尚短，不会被判定为停滞。"),
        // Arrived is not credited: nothing calls the deposit completed, and without a cause that
        // explains why it was not credited, it goes to operations.
        case("a_deposit_that_arrived_but_was_not_credited_for_no_known_reason_is_escalated", "22 10:30")
            .tx(tx("22 10:00").arrived("22 10:20"))
            .expect(Undetermined, Action::Escalate)
            .never_called_completed()
            .evidence("no_incident", "arrived_at", "2026-11-22T10:20:00Z")
            .summary_says("No rule explains this transaction"),
        case("a_deposit_that_arrived_on_a_frozen_account_is_held_by_the_freeze", "22 10:30")
            .tx(tx("22 10:00").arrived("22 10:20"))
            .history([frozen(IdentityUnverified, "22 08:00")])
            .expect(AccountFrozen, Action::VerifyIdentity)
            .never_called_completed()
            .customer_hears("Your deposit is on hold because your account needs identity verification."),
        case("a_deposit_that_arrived_is_not_held_by_maintenance", "22 10:30")
            .tx(tx("22 10:00").on("TRON", "USDT").arrived("22 10:01"))
            .window(window("tron-halt", "TRON", "22 10:05"))
            .expect(Undetermined, Action::Escalate)
            .never_called_completed()
            .detail_says("maintenance", "The transaction has arrived on TRON, so no maintenance holds it up.")
            .detail_says_in("zh-CN", "maintenance", "交易已到达TRON，不再受维护影响。")
            .detail_says_in("zh-Hant", "maintenance", "交易已送達TRON，不再受維護影響。"),
        case("a_deposit_that_arrived_after_the_evaluation_time_was_still_confirming_then", "22 10:10")
            .tx(tx("22 10:00").arrived("22 10:20"))
            .expect(ConfirmationDelay, Action::Wait)
            .resolves_at("22 10:30")
            .lacks("no_incident", "arrived_at"),
    ]
}

/// The rules the expectations are written against (see the fixture's header).
fn rules() -> RuleSet {
    RuleSet::parse(include_str!("fixtures/rules.toml")).expect("the tests' rules load")
}

#[test]
fn the_shipped_rules_load_and_diagnose_every_network_they_name() {
    let shipped = RuleSet::shipped();
    let networks = shipped.networks();
    assert!(!networks.is_empty());
    for (network, policy) in networks {
        // A deposit a second old on that network of an asset it takes (with the memo some
        // networks need, and above every minimum) is within its normal time.
        let asset = policy
            .assets
            .iter()
            .flatten()
            .next()
            .map_or("USDT", String::as_str);
        let deposit = tx("22 10:00")
            .on(network, asset)
            .amount("1000")
            .memo("104729");
        let row = case("a_fresh_deposit", "22 10:00:01").tx(deposit);
        let diagnosis = engine::evaluate(&shipped, REFERENCE, &row.claim, &row.facts, row.as_of);
        assert_eq!(
            diagnosis.cause, ConfirmationDelay,
            "{network}: {diagnosis:#?}"
        );
    }
}

#[test]
fn every_action_has_an_actor_a_scenario_and_the_service_level_it_needs_in_the_shipped_rules_and_the_fixture()
 {
    let table = scenarios();
    for &value in enums::ACTIONS {
        let action = enums::action_of(value).expect("a domain action");
        let actor = action.actor();
        assert!(
            enums::ACTORS.contains(&enums::actor_pb(actor)),
            "{value:?}: the contract names its actor"
        );
        for (which, rules) in [("shipped", RuleSet::shipped()), ("fixture", rules())] {
            let level = rules.service_level(action);
            match actor {
                Actor::Support | Actor::Operations => assert!(
                    level.is_some(),
                    "{value:?}: {actor:?} acts, so the {which} rules need a service level"
                ),
                Actor::None => assert_eq!(level, None, "{value:?}: nobody acts ({which})"),
                Actor::Customer => {}
            }
        }
        assert!(
            table
                .iter()
                .any(|row| row.action == action && row.step.is_some()),
            "{value:?}: no scenario row checks its actor, evidence and service level (.step)"
        );
    }
}

#[test]
fn a_rules_file_without_the_service_level_an_action_needs_is_refused_naming_it() {
    let fixture = include_str!("fixtures/rules.toml");
    let needing: Vec<Action> = enums::ACTIONS
        .iter()
        .filter_map(|a| enums::action_of(*a))
        .filter(|a| a.actor().is_staff())
        .collect();
    assert!(!needing.is_empty());
    for action in needing {
        let name = action.name();
        let entry = format!("\n{name} = {{");
        assert!(fixture.contains(&entry), "the fixture sets {name}");
        let without = fixture.replacen(&entry, &format!("\n# {name} = {{"), 1);
        let refused = RuleSet::parse(&without).expect_err(&name);
        let who = if action.actor() == Actor::Operations {
            "operations"
        } else {
            "support"
        };
        assert_eq!(
            refused.to_string(),
            format!(
                "rules file is not valid: service_levels.{name} is missing: {who} acts on \
                 {name}, so the customer must be told where and how soon they hear back (set \
                 channel and max)"
            )
        );
    }
}

#[test]
fn every_channel_states_where_and_how_soon_the_answer_comes_in_every_locale() {
    let catalog = Catalog::load().expect("the shipped catalogs load");
    #[rustfmt::skip]
    let table: &[(Option<ServiceLevel>, Told)] = &[
        (level(Channel::InAppChat, 0, 10 * MINUTE, false), TOLD_CHAT),
        (level(Channel::InAppChat, 0, MINUTE, false), &[
            ("en", "Our team will reply in the in-app chat within 1 minute."),
            ("zh-CN", "客服将在1分钟内通过App在线客服回复您。"),
            ("zh-Hant", "客服將在1分鐘內透過App線上客服回覆您。"),
        ]),
        (level(Channel::Email, DAY, 3 * DAY, true), TOLD_EMAIL),
        (level(Channel::Email, 0, 2 * HOUR, false), &[
            ("en", "Our team will reply by e-mail within 2 hours."),
            ("zh-CN", "客服将在2小时内通过邮件回复您。"),
            ("zh-Hant", "客服將在2小時內以電子郵件回覆您。"),
        ]),
        (level(Channel::Email, DAY, 2 * DAY, false), &[
            ("en", "Our team will reply by e-mail within 1–2 days."),
            ("zh-CN", "客服将在1–2天内通过邮件回复您。"),
            ("zh-Hant", "客服將在1至2天內以電子郵件回覆您。"),
        ]),
        (level(Channel::Hotline, 0, 5 * MINUTE, false), &[
            ("en", "When you call our hotline, an agent will answer within 5 minutes."),
            ("zh-CN", "拨打客服热线后，客服将在5分钟内为您接听。"),
            ("zh-Hant", "撥打客服專線後，客服將在5分鐘內為您接聽。"),
        ]),
        (level(Channel::Hotline, 30 * MINUTE, 90 * MINUTE, false), &[
            ("en", "When you call our hotline, an agent will answer within 30–90 minutes."),
            ("zh-CN", "拨打客服热线后，客服将在30–90分钟内为您接听。"),
            ("zh-Hant", "撥打客服專線後，客服將在30至90分鐘內為您接聽。"),
        ]),
        (level(Channel::InAppForm, DAY, 5 * DAY, true), TOLD_RECOVERY),
        (level(Channel::InAppForm, DAY, DAY, true), &[
            ("en", "Our team will answer your request within 1 business day."),
            ("zh-CN", "客服将在1个工作日内处理您的申请并回复您。"),
            ("zh-Hant", "客服將在1個工作天內處理您的申請並回覆您。"),
        ]),
    ];
    for channel in enums::CHANNELS {
        assert!(
            table
                .iter()
                .any(|(l, _)| l.map(|l| enums::channel_pb(l.channel)) == Some(*channel)),
            "{channel:?} has no row"
        );
    }
    for &(level, told) in table {
        let statement = level.expect("a level").statement();
        for locale in Catalog::locales() {
            let tag = locale.tag();
            let want = told.iter().find(|(t, _)| *t == tag).map(|(_, w)| *w);
            let got = catalog.try_render(locale, &statement).ok();
            assert_eq!(got.as_deref(), want, "{level:?} in {tag}");
        }
    }
}

#[test]
fn a_policy_of_request_recovery_has_the_customer_file_the_recovery_of_a_deposit_below_the_minimum()
{
    let shipped_action = r#"below_minimum_action = "contact_support""#;
    let fixture = include_str!("fixtures/rules.toml");
    assert!(fixture.contains(shipped_action));
    let rules = RuleSet::parse(&fixture.replace(
        shipped_action,
        r#"below_minimum_action = "request_recovery""#,
    ))
    .expect("the changed rules load");
    let row = case("a_dust_deposit", "22 11:00").tx(tx("22 10:00").amount("0.00005"));
    let d = engine::evaluate(&rules, REFERENCE, &row.claim, &row.facts, row.as_of);
    assert_eq!(
        (d.cause, d.next_step.action),
        (BelowMinimum, Action::RequestRecovery)
    );
    let catalog = Catalog::load().expect("the shipped catalogs load");
    let heard = |tag| {
        catalog
            .try_render(Catalog::negotiate(tag), &d.customer_message)
            .expect("renders")
    };
    assert_eq!(
        heard("en"),
        "Your deposit of 0.00005 BTC is below the minimum deposit of 0.0001 BTC on BTC, so it \
         could not be credited automatically. Please submit a recovery request in the app with \
         the transaction hash (TxID). Our team will answer your request within 1–5 business days."
    );
    assert_eq!(
        heard("zh-CN"),
        "由于您充值的0.00005 BTC低于BTC网络的最低充值金额（0.0001 BTC），这笔充值未能自动到账。\
         请在App内提交找回申请并附上交易哈希（TxID）。客服将在1–5个工作日内处理您的申请并回复您。"
    );
}

#[test]
fn every_scenario_gets_its_expected_diagnosis_and_renders_safely_in_every_locale() {
    let rules = rules();
    let catalog = Catalog::load().expect("the shipped catalogs load");
    let table = scenarios();
    let only = std::env::var("PAYDIAG_SCENARIO").ok();
    let chosen = |row: &Scenario| only.as_deref().is_none_or(|part| row.name.contains(part));
    assert!(
        table.iter().any(chosen),
        "no scenario's name contains {only:?}"
    );
    let mut failures = Vec::new();
    let mut failing_rows = 0;
    for (i, row) in table.iter().enumerate() {
        if !chosen(row) {
            continue;
        }
        let mut problems = run(&rules, &catalog, row);
        if table[..i].iter().any(|earlier| earlier.name == row.name) {
            problems.push("another row has the same name".into());
        }
        if !problems.is_empty() {
            failing_rows += 1;
        }
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", row.name)));
    }
    assert!(
        failures.is_empty(),
        "{failing_rows} of {} scenarios failed:\n{}",
        table.len(),
        failures.join("\n")
    );
}

// ---- Checks -------------------------------------------------------------------------------

/// Evaluates one row and lists everything wrong with the diagnosis; empty = the row passes.
fn run(rules: &RuleSet, catalog: &Catalog, row: &Scenario) -> Vec<String> {
    let evaluated = catch_unwind(AssertUnwindSafe(|| {
        engine::evaluate(rules, REFERENCE, &row.claim, &row.facts, row.as_of)
    }));
    let Ok(diagnosis) = evaluated else {
        return vec!["the engine panicked".into()];
    };
    let mut problems = Vec::new();
    check_expectations(row, &diagnosis, &mut problems);
    check_invariants(&diagnosis, &mut problems);
    check_agreement(row, &diagnosis, &mut problems);
    check_rendering(catalog, &diagnosis, &mut problems);
    check_next_step(rules, catalog, row, &diagnosis, &mut problems);
    if let Some(phrase) = row.customer_hears {
        match catalog.try_render(Locale::DEFAULT, &diagnosis.customer_message) {
            Ok(message) if message.contains(phrase) => {}
            rendered => problems.push(format!(
                "customer message should say {phrase:?}, got {rendered:?}"
            )),
        }
    }
    for (tag, phrase) in &row.heard_in {
        let locale = Catalog::negotiate(tag);
        if locale.tag() != *tag {
            problems.push(format!("no locale {tag}"));
        }
        match catalog.try_render(locale, &diagnosis.customer_message) {
            Ok(message) if message.contains(phrase) => {}
            rendered => problems.push(format!(
                "customer message ({tag}) should say {phrase:?}, got {rendered:?}"
            )),
        }
    }
    if let Some(phrase) = row.summary_says {
        match catalog.try_render(Locale::DEFAULT, &diagnosis.next_step.summary) {
            Ok(summary) if summary.contains(phrase) => {}
            rendered => problems.push(format!("summary should say {phrase:?}, got {rendered:?}")),
        }
    }
    for (tag, rule, phrase) in &row.details_say {
        let Some(finding) = diagnosis.finding(rule) else {
            problems.push(format!("no {rule} finding"));
            continue;
        };
        let locale = Catalog::negotiate(tag);
        match catalog.try_render(locale, &finding.detail) {
            Ok(detail) if locale.tag() == *tag && detail.contains(phrase) => {}
            rendered => problems.push(format!(
                "{rule} detail ({tag}) should say {phrase:?}, got {rendered:?}"
            )),
        }
    }
    problems
}

fn check_expectations(row: &Scenario, d: &Diagnosis, problems: &mut Vec<String>) {
    same(problems, "cause", &d.cause, &row.cause);
    same(problems, "action", &d.next_step.action, &row.action);
    same(
        problems,
        "contributing causes",
        &d.contributing_causes,
        &row.contributing,
    );
    if let Some(want) = &row.resolution_at {
        same(
            problems,
            "expected_resolution_at",
            &d.next_step.expected_resolution_at,
            want,
        );
    }
    if let Some(want) = &row.recheck_at {
        same(problems, "recheck_at", &d.next_step.recheck_at, want);
    }
    for (rule, key, value) in &row.evidence {
        let values = evidence_values(d, rule, key);
        if !values.contains(&value.as_str()) {
            problems.push(format!(
                "{rule} evidence {key}: want {value:?}, got {values:?}"
            ));
        }
    }
    for (rule, key) in &row.absent_evidence {
        let values = evidence_values(d, rule, key);
        if !values.is_empty() {
            problems.push(format!(
                "{rule} evidence should not have {key}, got {values:?}"
            ));
        }
    }
}

/// What holds for every diagnosis, whatever the facts.
fn check_invariants(d: &Diagnosis, problems: &mut Vec<String>) {
    let rules: Vec<&str> = d.findings.iter().map(|f| f.rule).collect();
    same(
        problems,
        "findings in precedence order",
        &rules,
        &RULE_ORDER.to_vec(),
    );
    let matched: Vec<Cause> = d
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Matched)
        .filter_map(|f| f.cause)
        .collect();
    let mut explained = d.contributing_causes.clone();
    if d.cause != Undetermined {
        explained.push(d.cause);
    }
    // No incident is the absence of every other cause, never one beside them.
    if d.contributing_causes.contains(&NoIncident) {
        problems.push("NO_INCIDENT is contributing".into());
    }
    // Nothing counted is not "waiting 0 s", in the evidence or in any text.
    for finding in &d.findings {
        if evidence_values(d, finding.rule, "waiting").contains(&"0s") {
            problems.push(format!("{} evidence says waiting 0s", finding.rule));
        }
    }
    for (what, text) in texts(d) {
        if zero_age(text) {
            problems.push(format!("{what} ({}) says it waited 0 s", text.id));
        }
    }
    let missing = |a: &[Cause], b: &[Cause]| a.iter().any(|c| !b.contains(c));
    if missing(&matched, &explained) || missing(&explained, &matched) {
        problems.push(format!(
            "matched findings {matched:?} differ from cause and contributing causes {explained:?}"
        ));
    }
    same(problems, "reference", &d.reference.as_str(), &REFERENCE);
    let step = &d.next_step;
    if let Some(resolved) = step.expected_resolution_at {
        if resolved < d.as_of {
            problems.push(format!(
                "expected resolution {resolved} is before the evaluation time"
            ));
        }
        if step.recheck_at.is_some_and(|recheck| recheck > resolved) {
            problems.push(format!(
                "recheck {:?} is after the expected resolution",
                step.recheck_at
            ));
        }
    }
}

/// The next step's actor, evidence and service level as the row expects them; its service level
/// as the rules set it; and its customer message stating the answer to wait for exactly when
/// support or operations acts, in every locale.
fn check_next_step(
    rules: &RuleSet,
    catalog: &Catalog,
    row: &Scenario,
    d: &Diagnosis,
    problems: &mut Vec<String>,
) {
    let step = &d.next_step;
    if let Some((actor, evidence, level)) = &row.step {
        same(problems, "actor", &step.actor(), actor);
        same(
            problems,
            "required evidence",
            &step.required_evidence,
            evidence,
        );
        same(problems, "service level", &step.service_level, level);
        if actor.is_staff() && row.told.is_none() {
            problems.push("support or operations acts: say what the customer is told".into());
        }
    }
    let configured = rules.service_level(step.action).copied();
    same(
        problems,
        "service level of the rules",
        &step.service_level,
        &configured,
    );
    if step.actor().is_staff() && step.service_level.is_none() {
        problems.push("support or operations acts, but no service level says when".into());
    }
    if let Some(told) = row.told {
        for locale in Catalog::locales() {
            let tag = locale.tag();
            let Some((_, told)) = told.iter().find(|(t, _)| *t == tag) else {
                problems.push(format!("what the customer is told in {tag} is not given"));
                continue;
            };
            let customer = catalog.render(locale, &d.customer_message);
            if !customer.ends_with(told) {
                problems.push(format!(
                    "customer message ({tag}) should end with {told:?}: {customer}"
                ));
            }
        }
    }
    let Some(level) = step.service_level else {
        return;
    };
    for locale in Catalog::locales() {
        let customer = catalog.render(locale, &d.customer_message);
        let statement = catalog.render(locale, &level.statement());
        if customer.contains(&statement) != step.actor().is_staff() {
            problems.push(format!(
                "customer message ({}) should state the answer to wait for ({statement:?}) \
                 exactly when support or operations acts: {customer}",
                locale.tag()
            ));
        }
    }
}

/// Every text of the diagnosis, named: each finding's detail, the summary, the customer message.
fn texts(d: &Diagnosis) -> Vec<(String, &Text)> {
    let mut texts: Vec<(String, &Text)> = d
        .findings
        .iter()
        .map(|f| (format!("{} detail", f.rule), &f.detail))
        .collect();
    texts.push(("next step summary".into(), &d.next_step.summary));
    texts.push(("customer message".into(), &d.customer_message));
    texts
}

/// Whether `text`, or a message nested in it, says a span of zero was waited (`age`).
fn zero_age(text: &Text) -> bool {
    text.args.iter().any(|(name, arg)| match arg {
        Arg::Duration(d) => *name == "age" && d.num_seconds() == 0,
        Arg::List(items) => items.iter().any(zero_age),
        _ => false,
    })
}

/// The messages that say a transaction completed, and the arguments that name when it will:
/// checked on the texts themselves, so that they hold in every locale the catalogs render.
const COMPLETED_MESSAGES: &[&str] = &[
    "no-incident-detail",
    "no-incident-summary",
    "no-incident-customer",
    "maintenance-completed",
    "frozen-but-completed",
];
const PROMISE_MESSAGES: &[&str] = &[
    "delay-detail",
    "delay-summary",
    "delay-customer",
    "delay-overdue-detail",
    "delay-overdue-summary",
    "delay-overdue-customer",
];
const PROMISE_ARGS: &[&str] = &["done", "stalls_at"];
const PROMISE_EVIDENCE: &[&str] = &["expected_resolution_at", "stalls_at"];

/// The problems with `text` if it (or a message nested in it) is one of `ids` or has one of
/// the arguments `args`.
fn says_any(text: &Text, ids: &[&str], args: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    if ids.contains(&text.id) {
        found.push(format!("message {}", text.id));
    }
    for (name, arg) in &text.args {
        if args.contains(name) {
            found.push(format!("argument {name} of {}", text.id));
        }
        if let Arg::List(items) = arg {
            found.extend(items.iter().flat_map(|t| says_any(t, ids, args)));
        }
    }
    found
}

/// The row's requirements on how findings agree with the primary cause, checked on the texts
/// and evidence and on the English and Chinese renderings.
fn check_agreement(row: &Scenario, d: &Diagnosis, problems: &mut Vec<String>) {
    for rule in &row.no_promise_from {
        let Some(finding) = d.finding(rule) else {
            problems.push(format!("no {rule} finding"));
            continue;
        };
        for found in says_any(&finding.detail, PROMISE_MESSAGES, PROMISE_ARGS) {
            problems.push(format!("{rule} detail promises a completion time: {found}"));
        }
        for key in PROMISE_EVIDENCE {
            let values = evidence_values(d, rule, key);
            if !values.is_empty() {
                problems.push(format!("{rule} evidence promises {key} {values:?}"));
            }
        }
    }
    if row.never_called_completed {
        for (what, text) in texts(d) {
            for found in says_any(text, COMPLETED_MESSAGES, &[]) {
                problems.push(format!("{what} calls it completed: {found}"));
            }
        }
        if let Some(tx) = &d.transaction {
            same(problems, "completed_at", &tx.completed_at, &None);
        }
    }
}

/// Renders every text of the diagnosis in every locale; customer messages must be safe to forward.
fn check_rendering(catalog: &Catalog, d: &Diagnosis, problems: &mut Vec<String>) {
    let texts = texts(d);
    for locale in Catalog::locales() {
        let tag = locale.tag();
        for (what, text) in &texts {
            let rendered = match catalog.try_render(locale, text) {
                Ok(rendered) => rendered,
                Err(errors) => {
                    problems.push(format!(
                        "{what} ({tag}, {}) failed to render: {errors:?}",
                        text.id
                    ));
                    continue;
                }
            };
            if rendered.contains('{') {
                problems.push(format!("{what} ({tag}) has a placeholder left: {rendered}"));
            }
            for id in message_ids(text) {
                if rendered.contains(id) {
                    problems.push(format!("{what} ({tag}) shows the raw id {id}: {rendered}"));
                }
            }
        }
        let customer = catalog
            .try_render(locale, &d.customer_message)
            .unwrap_or_default();
        for secret in secrets(catalog, locale) {
            if customer.to_lowercase().contains(&secret.to_lowercase()) {
                problems.push(format!(
                    "customer message ({tag}) reveals {secret:?}: {customer}"
                ));
            }
        }
        // Forwarded verbatim, it speaks to the customer, never about them.
        for third_person in ["customer", "客户", "客戶"] {
            if customer.to_lowercase().contains(third_person) {
                problems.push(format!(
                    "customer message ({tag}) speaks of the {third_person:?}: {customer}"
                ));
            }
        }
    }
}

/// The id of `text` and of every message nested in its list arguments.
fn message_ids(text: &Text) -> Vec<&'static str> {
    let mut ids = vec![text.id];
    for (_, arg) in &text.args {
        if let Arg::List(items) = arg {
            ids.extend(items.iter().flat_map(message_ids));
        }
    }
    ids
}

/// What a customer message must never contain in `locale`.
fn secrets(catalog: &Catalog, locale: Locale) -> Vec<String> {
    // Which change set a security hold off is never named either: only the generic wording.
    let undisclosed = [
        "freeze-reason-abnormal_activity",
        "freeze-reason-compliance_review",
        "freeze-reason-password_reset",
        "freeze-reason-two_factor_changed",
        "freeze-reason-new_device",
        "freeze-reason-withdrawal_address_changed",
        "failure-reason-risk_declined",
        // What an information request asks for is the agent's to explain, not the message's.
        "requested-information-originator_details",
        "requested-information-beneficiary_details",
        "requested-information-source_of_funds",
    ];
    let mut secrets: Vec<String> = undisclosed
        .iter()
        .map(|id| {
            catalog
                .try_render(locale, &Text::new(id))
                .unwrap_or_else(|e| panic!("{id} must render: {e:?}"))
        })
        .collect();
    secrets.extend(
        [
            "abnormal_activity",
            "compliance_review",
            "password_reset",
            "two_factor_changed",
            "new_device",
            "withdrawal_address_changed",
            "risk_declined",
            "originator_details",
            "beneficiary_details",
            "source_of_funds",
        ]
        .map(String::from),
    );
    secrets.extend(TIPPING_OFF.iter().map(|s| s.to_string()));
    secrets.extend([ACCOUNT.to_owned(), NOTE.to_owned()]);
    secrets
}

fn evidence_values<'a>(d: &'a Diagnosis, rule: &str, key: &str) -> Vec<&'a str> {
    d.finding(rule)
        .map(|f| {
            f.evidence
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v.as_str())
                .collect()
        })
        .unwrap_or_default()
}

fn same<T: PartialEq + std::fmt::Debug>(problems: &mut Vec<String>, what: &str, got: &T, want: &T) {
    if got != want {
        problems.push(format!("{what}: want {want:?}, got {got:?}"));
    }
}

// ---- Rows ---------------------------------------------------------------------------------

/// One scenario: the facts, the claim, the evaluation time and what the diagnosis must say.
struct Scenario {
    name: &'static str,
    as_of: DateTime<Utc>,
    claim: Claim,
    facts: Facts,
    cause: Cause,
    action: Action,
    contributing: Vec<Cause>,
    /// `None` = not checked; `Some(None)` = must be unset.
    resolution_at: Option<Option<DateTime<Utc>>>,
    /// `None` = not checked; `Some(None)` = must be unset.
    recheck_at: Option<Option<DateTime<Utc>>>,
    /// (rule, key, value) that the rule's finding must report.
    evidence: Vec<(&'static str, &'static str, String)>,
    /// (rule, key) that the rule's finding must not report.
    absent_evidence: Vec<(&'static str, &'static str)>,
    /// A phrase the English next-step summary must contain.
    summary_says: Option<&'static str>,
    /// A phrase the English customer message must contain.
    customer_hears: Option<&'static str>,
    /// (locale tag, phrase) that the customer message in that locale must contain.
    heard_in: Vec<(&'static str, &'static str)>,
    /// (locale tag, rule, phrase) that the rule's finding detail must contain in that locale.
    details_say: Vec<(&'static str, &'static str, &'static str)>,
    /// The next step's actor, required evidence and service level; `None` = not checked (the
    /// invariants still hold).
    step: Option<(Actor, Vec<EvidenceItem>, Option<ServiceLevel>)>,
    /// How the English and the Chinese customer messages end: where and how soon the answer
    /// comes.
    told: Option<Told>,
    /// Rules whose findings must promise no completion time (no moment it will be done by, in
    /// any text or evidence).
    no_promise_from: Vec<&'static str>,
    /// Whether no text may call the transaction completed (it arrived but was not credited).
    never_called_completed: bool,
}

/// What the customer is told of the answer to wait for, by locale tag: one for every locale.
type Told = &'static [(&'static str, &'static str)];

/// A row named `name`, evaluated at `as_of` (see [`at`]), with no facts and an empty claim.
fn case(name: &'static str, as_of: &str) -> Scenario {
    Scenario {
        name,
        as_of: at(as_of),
        claim: Claim::default(),
        facts: Facts::default(),
        cause: Undetermined,
        action: Action::Escalate,
        contributing: Vec::new(),
        resolution_at: None,
        recheck_at: None,
        evidence: Vec::new(),
        absent_evidence: Vec::new(),
        summary_says: None,
        customer_hears: None,
        heard_in: Vec::new(),
        details_say: Vec::new(),
        step: None,
        told: None,
        no_promise_from: Vec::new(),
        never_called_completed: false,
    }
}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// A service level answering between `min` and `max` seconds (whole days with `business_days`).
fn level(channel: Channel, min: u64, max: u64, business_days: bool) -> Option<ServiceLevel> {
    Some(ServiceLevel {
        channel,
        response: ResponseTime {
            min: Duration::from_secs(min),
            max: Duration::from_secs(max),
            business_days,
        },
    })
}

/// The fixture's levels for contact_support and check_reference.
fn chat_within_10_minutes() -> Option<ServiceLevel> {
    level(Channel::InAppChat, 0, 10 * MINUTE, false)
}

/// The fixture's level for verify_identity and secure_account.
fn form_within_1_business_day() -> Option<ServiceLevel> {
    level(Channel::InAppForm, 0, DAY, true)
}

/// The fixture's level for request_recovery.
fn form_within_1_to_5_business_days() -> Option<ServiceLevel> {
    level(Channel::InAppForm, DAY, 5 * DAY, true)
}

/// The fixture's level for escalate.
fn email_within_1_to_3_business_days() -> Option<ServiceLevel> {
    level(Channel::Email, DAY, 3 * DAY, true)
}

const TOLD_CHAT: Told = &[
    (
        "en",
        "Our team will reply in the in-app chat within 10 minutes.",
    ),
    ("zh-CN", "客服将在10分钟内通过App在线客服回复您。"),
    ("zh-Hant", "客服將在10分鐘內透過App線上客服回覆您。"),
];
const TOLD_RECOVERY: Told = &[
    (
        "en",
        "Our team will answer your request within 1–5 business days.",
    ),
    ("zh-CN", "客服将在1–5个工作日内处理您的申请并回复您。"),
    ("zh-Hant", "客服將在1至5個工作天內處理您的申請並回覆您。"),
];
const TOLD_EMAIL: Told = &[
    (
        "en",
        "Our team will reply by e-mail within 1–3 business days.",
    ),
    ("zh-CN", "客服将在1–3个工作日内通过邮件回复您。"),
    ("zh-Hant", "客服將在1至3個工作天內以電子郵件回覆您。"),
];

impl Scenario {
    fn tx(mut self, tx: Transaction) -> Self {
        self.facts.transaction = Some(tx);
        self
    }

    fn claim(mut self, claim: Claim) -> Self {
        self.claim = claim;
        self
    }

    fn history(mut self, entries: impl IntoIterator<Item = AccountStatus>) -> Self {
        self.facts.account_history.extend(entries);
        self
    }

    fn window(mut self, window: MaintenanceWindow) -> Self {
        self.facts.maintenance_windows.push(window);
        self
    }

    fn condition(mut self, network: &str, congestion_factor: f64, observed_at: &str) -> Self {
        self.facts.network_conditions.push(NetworkCondition {
            network: network.into(),
            congestion_factor,
            observed_at: at(observed_at),
        });
        self
    }

    fn expect(mut self, cause: Cause, action: Action) -> Self {
        self.cause = cause;
        self.action = action;
        self
    }

    fn contributing(mut self, causes: &[Cause]) -> Self {
        self.contributing = causes.to_vec();
        self
    }

    fn resolves_at(mut self, t: &str) -> Self {
        self.resolution_at = Some(Some(at(t)));
        self
    }

    fn no_resolution(mut self) -> Self {
        self.resolution_at = Some(None);
        self
    }

    fn recheck_at(mut self, t: &str) -> Self {
        self.recheck_at = Some(Some(at(t)));
        self
    }

    fn no_recheck(mut self) -> Self {
        self.recheck_at = Some(None);
        self
    }

    fn evidence(mut self, rule: &'static str, key: &'static str, value: &str) -> Self {
        self.evidence.push((rule, key, value.to_owned()));
        self
    }

    fn lacks(mut self, rule: &'static str, key: &'static str) -> Self {
        self.absent_evidence.push((rule, key));
        self
    }

    fn summary_says(mut self, phrase: &'static str) -> Self {
        self.summary_says = Some(phrase);
        self
    }

    fn customer_hears(mut self, phrase: &'static str) -> Self {
        self.customer_hears = Some(phrase);
        self
    }

    fn customer_hears_in(mut self, tag: &'static str, phrase: &'static str) -> Self {
        self.heard_in.push((tag, phrase));
        self
    }

    fn detail_says(self, rule: &'static str, phrase: &'static str) -> Self {
        self.detail_says_in("en", rule, phrase)
    }

    fn detail_says_in(
        mut self,
        tag: &'static str,
        rule: &'static str,
        phrase: &'static str,
    ) -> Self {
        self.details_say.push((tag, rule, phrase));
        self
    }

    fn no_promise_from(mut self, rule: &'static str) -> Self {
        self.no_promise_from.push(rule);
        self
    }

    fn never_called_completed(mut self) -> Self {
        self.never_called_completed = true;
        self
    }

    fn step(
        mut self,
        actor: Actor,
        evidence: &[EvidenceItem],
        service_level: Option<ServiceLevel>,
    ) -> Self {
        self.step = Some((actor, evidence.to_vec(), service_level));
        self
    }

    fn told(mut self, told: Told) -> Self {
        self.told = Some(told);
        self
    }
}

// ---- Facts --------------------------------------------------------------------------------

/// A moment (UTC), written `"22 10:00"` or `"22 10:00:30"` in November 2026, `"04-03 16:00"` in
/// another month of 2026, or `"2027-01-04 16:00"` in another year.
fn at(s: &str) -> DateTime<Utc> {
    let (day, time) = s
        .split_once(' ')
        .unwrap_or_else(|| panic!("bad moment {s:?}"));
    let seconds = if time.len() == 5 { ":00" } else { "" };
    let date = match day.matches('-').count() {
        0 => format!("2026-11-{day}"),
        1 => format!("2026-{day}"),
        _ => day.to_owned(),
    };
    DateTime::parse_from_rfc3339(&format!("{date}T{time}{seconds}Z"))
        .unwrap_or_else(|e| panic!("bad moment {s:?}: {e}"))
        .to_utc()
}

fn dec(s: &str) -> Decimal {
    s.parse()
        .unwrap_or_else(|e| panic!("bad amount {s:?}: {e}"))
}

/// A pending BTC deposit of 0.5 BTC created at `created_at`, with nothing asked for.
fn tx(created_at: &str) -> Transaction {
    Transaction {
        reference: REFERENCE.into(),
        account_id: ACCOUNT.into(),
        kind: Deposit,
        network: "BTC".into(),
        asset: "BTC".into(),
        amount: dec("0.5"),
        destination: BTC_ADDRESS.into(),
        memo: String::new(),
        status: TransactionStatus::Pending,
        failure_reason: None,
        confirmations: 0,
        required_confirmations: 0,
        created_at: at(created_at),
        updated_at: None,
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: String::new(),
        customer_confirmation: None,
        information_request: None,
    }
}

trait TxBuilder {
    fn kind(self, kind: TransactionKind) -> Self;
    fn on(self, network: &str, asset: &str) -> Self;
    fn amount(self, amount: &str) -> Self;
    fn to(self, destination: &str) -> Self;
    fn memo(self, memo: &str) -> Self;
    fn confirming(self, confirmations: u32, updated_at: &str) -> Self;
    fn needs(self, required_confirmations: u32) -> Self;
    fn failed(self, reason: FailureReason) -> Self;
    fn completed(self, completed_at: &str) -> Self;
    fn arrived(self, arrived_at: &str) -> Self;
    fn expecting(self, expected: ExpectedPayment) -> Self;
    fn awaiting(self, method: ConfirmationMethod, expires_at: &str) -> Self;
    fn asked(self, items: &[RequestedInformation], requested_at: &str) -> Self;
}

impl TxBuilder for Transaction {
    fn kind(self, kind: TransactionKind) -> Self {
        Self { kind, ..self }
    }

    fn on(self, network: &str, asset: &str) -> Self {
        Self {
            network: network.into(),
            asset: asset.into(),
            ..self
        }
    }

    fn amount(self, amount: &str) -> Self {
        Self {
            amount: dec(amount),
            ..self
        }
    }

    fn to(self, destination: &str) -> Self {
        Self {
            destination: destination.into(),
            ..self
        }
    }

    fn memo(self, memo: &str) -> Self {
        Self {
            memo: memo.into(),
            ..self
        }
    }

    fn confirming(self, confirmations: u32, updated_at: &str) -> Self {
        Self {
            status: TransactionStatus::Confirming,
            confirmations,
            updated_at: Some(at(updated_at)),
            ..self
        }
    }

    fn needs(self, required_confirmations: u32) -> Self {
        Self {
            required_confirmations,
            ..self
        }
    }

    fn failed(self, reason: FailureReason) -> Self {
        Self {
            status: TransactionStatus::Failed,
            failure_reason: Some(reason),
            ..self
        }
    }

    fn completed(self, completed_at: &str) -> Self {
        Self {
            status: TransactionStatus::Completed,
            completed_at: Some(at(completed_at)),
            ..self
        }
    }

    /// Arrived on its network at `arrived_at` but not credited.
    fn arrived(self, arrived_at: &str) -> Self {
        Self {
            status: TransactionStatus::NotCredited,
            updated_at: Some(at(arrived_at)),
            ..self
        }
    }

    fn expecting(self, expected: ExpectedPayment) -> Self {
        Self { expected, ..self }
    }

    fn asked(self, items: &[RequestedInformation], requested_at: &str) -> Self {
        Self {
            information_request: Some(InformationRequest {
                items: items.to_vec(),
                requested_at: at(requested_at),
            }),
            ..self
        }
    }

    fn awaiting(self, method: ConfirmationMethod, expires_at: &str) -> Self {
        Self {
            customer_confirmation: Some(CustomerConfirmation {
                method,
                expires_at: at(expires_at),
            }),
            ..self
        }
    }
}

/// What the order or deposit address asked for; nothing until set.
fn want() -> ExpectedPayment {
    ExpectedPayment::default()
}

/// What the customer says; nothing until set.
fn claim() -> Claim {
    Claim::default()
}

/// The fields an order and a claim share, set the same way on both.
trait PaymentFields: Sized {
    fn amount(self, amount: &str) -> Self;
    fn asset(self, asset: &str) -> Self;
    fn network(self, network: &str) -> Self;
    fn to(self, destination: &str) -> Self;
    fn memo(self, memo: &str) -> Self;
}

macro_rules! payment_fields {
    ($ty:ty) => {
        impl PaymentFields for $ty {
            fn amount(self, amount: &str) -> Self {
                Self {
                    amount: Some(dec(amount)),
                    ..self
                }
            }

            fn asset(self, asset: &str) -> Self {
                Self {
                    asset: Some(asset.into()),
                    ..self
                }
            }

            fn network(self, network: &str) -> Self {
                Self {
                    network: Some(network.into()),
                    ..self
                }
            }

            fn to(self, destination: &str) -> Self {
                Self {
                    destination: Some(destination.into()),
                    ..self
                }
            }

            fn memo(self, memo: &str) -> Self {
                Self {
                    memo: Some(memo.into()),
                    ..self
                }
            }
        }
    };
}

payment_fields!(ExpectedPayment);
payment_fields!(Claim);

trait ClaimBuilder {
    fn paid_at(self, paid_at: &str) -> Self;
}

impl ClaimBuilder for Claim {
    fn paid_at(self, paid_at: &str) -> Self {
        Self {
            paid_at: Some(at(paid_at)),
            ..self
        }
    }
}

fn status(state: AccountState, reason: Option<FreezeReason>, from: &str) -> AccountStatus {
    AccountStatus {
        account_id: ACCOUNT.into(),
        state,
        reason,
        restricted_kinds: Vec::new(),
        effective_from: at(from),
        effective_until: None,
        note: NOTE.into(),
    }
}

fn frozen(reason: FreezeReason, from: &str) -> AccountStatus {
    status(AccountState::Frozen, Some(reason), from)
}

/// A security hold on `kinds` after `trigger`, from `from` until `until`.
fn hold(
    trigger: FreezeReason,
    kinds: &[TransactionKind],
    from: &str,
    until: &str,
) -> AccountStatus {
    restricted(trigger, kinds, from).until(until)
}

fn restricted(reason: FreezeReason, kinds: &[TransactionKind], from: &str) -> AccountStatus {
    AccountStatus {
        restricted_kinds: kinds.to_vec(),
        ..status(AccountState::Restricted, Some(reason), from)
    }
}

fn active(from: &str) -> AccountStatus {
    AccountStatus {
        note: String::new(),
        ..status(AccountState::Active, None, from)
    }
}

trait StatusBuilder {
    fn until(self, effective_until: &str) -> Self;
}

impl StatusBuilder for AccountStatus {
    fn until(self, effective_until: &str) -> Self {
        Self {
            effective_until: Some(at(effective_until)),
            ..self
        }
    }
}

/// A scheduled, open-ended window on `network` (or "*") for every kind, with no backlog.
fn window(id: &str, network: &str, starts_at: &str) -> MaintenanceWindow {
    MaintenanceWindow {
        id: id.into(),
        network: network.into(),
        kinds: Vec::new(),
        maintenance_type: MaintenanceType::Scheduled,
        starts_at: at(starts_at),
        ends_at: None,
        backlog_drain: TimeDelta::zero(),
        title: format!("{network} upgrade"),
    }
}

trait WindowBuilder {
    fn ends(self, ends_at: &str) -> Self;
    fn drain(self, minutes: i64) -> Self;
    fn for_kinds(self, kinds: &[TransactionKind]) -> Self;
    fn unplanned(self) -> Self;
}

impl WindowBuilder for MaintenanceWindow {
    fn ends(self, ends_at: &str) -> Self {
        Self {
            ends_at: Some(at(ends_at)),
            ..self
        }
    }

    fn drain(self, minutes: i64) -> Self {
        Self {
            backlog_drain: TimeDelta::minutes(minutes),
            ..self
        }
    }

    fn for_kinds(self, kinds: &[TransactionKind]) -> Self {
        Self {
            kinds: kinds.to_vec(),
            ..self
        }
    }

    fn unplanned(self) -> Self {
        Self {
            maintenance_type: MaintenanceType::Unplanned,
            ..self
        }
    }
}
