//! The demo data set: one transaction per cause, placed relative to `now` so that each
//! reference shows its cause when diagnosed right away.

use crate::engine::model::{
    AccountState, AccountStatus, ConfirmationMethod, CustomerConfirmation, ExpectedPayment,
    FailureReason, FreezeReason, InformationRequest, MaintenanceType, MaintenanceWindow,
    NetworkCondition, RequestedInformation, Transaction, TransactionKind, TransactionStatus,
};
use crate::store::Fact;
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

/// Each demo reference and the cause it shows (`DEMO-NOT-FOUND` is deliberately absent from the store).
pub const REFERENCES: &[(&str, &str)] = &[
    ("DEMO-NO-INCIDENT", "CAUSE_NO_INCIDENT"),
    ("DEMO-DELAY", "CAUSE_CONFIRMATION_DELAY"),
    ("DEMO-STALLED", "CAUSE_CONFIRMATION_STALLED"),
    ("DEMO-MAINTENANCE", "CAUSE_MAINTENANCE"),
    ("DEMO-FROZEN", "CAUSE_ACCOUNT_FROZEN"),
    ("DEMO-MISMATCH", "CAUSE_INPUT_MISMATCH"),
    ("DEMO-REJECTED", "CAUSE_REJECTED"),
    ("DEMO-NOT-FOUND", "CAUSE_NOT_FOUND"),
    ("DEMO-BELOW-MIN", "CAUSE_BELOW_MINIMUM"),
    ("DEMO-UNSUPPORTED", "CAUSE_UNSUPPORTED_ASSET"),
    ("DEMO-SECURITY-HOLD", "CAUSE_SECURITY_HOLD"),
    ("DEMO-CONFIRM", "CAUSE_AWAITING_CUSTOMER_CONFIRMATION"),
    ("DEMO-INFO-REQUIRED", "CAUSE_INFORMATION_REQUIRED"),
];

/// The demo facts as of `now`.
pub fn facts(now: DateTime<Utc>) -> Vec<Fact> {
    let ago = |minutes: i64| now - TimeDelta::minutes(minutes);
    let base = |reference: &str, account: &str, kind, network: &str, asset: &str, amount: i64| {
        Transaction {
            reference: reference.into(),
            account_id: account.into(),
            kind,
            network: network.into(),
            asset: asset.into(),
            amount: Decimal::new(amount, 2),
            destination: String::new(),
            memo: String::new(),
            status: TransactionStatus::Confirming,
            failure_reason: None,
            confirmations: 0,
            required_confirmations: 0,
            created_at: ago(5),
            updated_at: None,
            completed_at: None,
            expected: ExpectedPayment::default(),
            tx_hash: String::new(),
            customer_confirmation: None,
            information_request: None,
        }
    };
    use TransactionKind::*;
    vec![
        Fact::Transaction(Transaction {
            status: TransactionStatus::Completed,
            confirmations: 3,
            created_at: ago(90),
            completed_at: Some(ago(45)),
            destination: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq".into(),
            tx_hash: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b".into(),
            ..base(
                "DEMO-NO-INCIDENT",
                "acct-demo-0001",
                Deposit,
                "BTC",
                "BTC",
                2_500,
            )
        }),
        Fact::Transaction(Transaction {
            confirmations: 4,
            updated_at: Some(ago(1)),
            created_at: ago(2),
            destination: "0x52908400098527886E0F7030069857D2E4169EE7".into(),
            tx_hash: "0x9f2c4e8b1d7a6f3e5c0b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f".into(),
            ..base(
                "DEMO-DELAY",
                "acct-demo-0002",
                Withdrawal,
                "ETH",
                "USDT",
                25_000,
            )
        }),
        Fact::Transaction(Transaction {
            status: TransactionStatus::Pending,
            created_at: ago(180),
            ..base(
                "DEMO-STALLED",
                "acct-demo-0003",
                Deposit,
                "BTC",
                "BTC",
                1_000,
            )
        }),
        Fact::Transaction(Transaction {
            status: TransactionStatus::Pending,
            created_at: ago(2),
            ..base(
                "DEMO-MAINTENANCE",
                "acct-demo-0004",
                Withdrawal,
                "TRON",
                "USDT",
                50_000,
            )
        }),
        Fact::MaintenanceWindow(MaintenanceWindow {
            id: "demo-tron-upgrade".into(),
            network: "TRON".into(),
            kinds: vec![Withdrawal],
            maintenance_type: MaintenanceType::Scheduled,
            starts_at: ago(30),
            ends_at: Some(now + TimeDelta::minutes(60)),
            backlog_drain: TimeDelta::minutes(30),
            title: "TRON node upgrade".into(),
        }),
        Fact::Transaction(Transaction {
            status: TransactionStatus::Pending,
            created_at: ago(15),
            destination: "FR76 3000 6000 0112 3456 7890 189".into(),
            ..base(
                "DEMO-FROZEN",
                "acct-demo-0005",
                Withdrawal,
                "SEPA",
                "EUR",
                1_250,
            )
        }),
        Fact::AccountStatus(AccountStatus {
            account_id: "acct-demo-0005".into(),
            state: AccountState::Frozen,
            reason: Some(FreezeReason::IdentityUnverified),
            restricted_kinds: Vec::new(),
            effective_from: ago(60),
            effective_until: None,
            note: "KYC document expired".into(),
        }),
        // Arrived on the ledger without its tag: not credited to the account.
        Fact::Transaction(Transaction {
            status: TransactionStatus::NotCredited,
            confirmations: 1,
            created_at: ago(40),
            updated_at: Some(ago(39)),
            destination: "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe".into(),
            tx_hash: "C53ECF838647FA5A4C780377025FEC7999AB4182590510CA461444B207AB74A9".into(),
            expected: ExpectedPayment {
                memo: Some("104729".into()),
                ..ExpectedPayment::default()
            },
            ..base(
                "DEMO-MISMATCH",
                "acct-demo-0006",
                Deposit,
                "XRP",
                "XRP",
                30_000,
            )
        }),
        Fact::Transaction(Transaction {
            status: TransactionStatus::Failed,
            failure_reason: Some(FailureReason::InsufficientBalance),
            created_at: ago(10),
            destination: "DE89 3704 0044 0532 0130 00".into(),
            ..base(
                "DEMO-REJECTED",
                "acct-demo-0007",
                Transfer,
                "SEPA",
                "EUR",
                120_000,
            )
        }),
        // 5 USDT where ETH takes deposits of USDT from 10.
        Fact::Transaction(Transaction {
            status: TransactionStatus::Completed,
            confirmations: 12,
            created_at: ago(20),
            completed_at: Some(ago(17)),
            destination: "0xdAC17F958D2ee523a2206206994597C13D831ec7".into(),
            tx_hash: "0x3b1f0c6d2e8a4f5b9c7d1e0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c".into(),
            ..base(
                "DEMO-BELOW-MIN",
                "acct-demo-0008",
                Deposit,
                "ETH",
                "USDT",
                500,
            )
        }),
        // USDC sent on TRON, which takes only TRX and USDT.
        Fact::Transaction(Transaction {
            status: TransactionStatus::Completed,
            confirmations: 19,
            created_at: ago(25),
            completed_at: Some(ago(24)),
            destination: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf".into(),
            tx_hash: "7c2d9e4f1a3b5c6d8e0f2a4b6c8d0e1f3a5b7c9d1e2f4a6b8c0d2e4f6a8b0c1d".into(),
            ..base(
                "DEMO-UNSUPPORTED",
                "acct-demo-0009",
                Deposit,
                "TRON",
                "USDC",
                20_000,
            )
        }),
        // A withdrawal made after a password reset: withdrawals are held for 24 h.
        Fact::Transaction(Transaction {
            status: TransactionStatus::Pending,
            created_at: ago(3),
            destination: "0x8ba1f109551bD432803012645Ac136ddd64DBA72".into(),
            ..base(
                "DEMO-SECURITY-HOLD",
                "acct-demo-0010",
                Withdrawal,
                "ETH",
                "USDT",
                80_000,
            )
        }),
        Fact::AccountStatus(AccountStatus {
            account_id: "acct-demo-0010".into(),
            state: AccountState::Restricted,
            reason: Some(FreezeReason::PasswordReset),
            restricted_kinds: vec![Withdrawal],
            effective_from: ago(120),
            effective_until: Some(ago(120) + TimeDelta::hours(24)),
            note: "password reset by e-mail link".into(),
        }),
        // A withdrawal whose e-mail confirmation the customer has not clicked yet.
        Fact::Transaction(Transaction {
            status: TransactionStatus::Pending,
            created_at: ago(4),
            destination: "0x8894E0a0c962CB723c1976a4421c95949bE2D4E3".into(),
            customer_confirmation: Some(CustomerConfirmation {
                method: ConfirmationMethod::Email,
                expires_at: ago(4) + TimeDelta::minutes(30),
            }),
            ..base(
                "DEMO-CONFIRM",
                "acct-demo-0011",
                Withdrawal,
                "BSC",
                "USDT",
                30_000,
            )
        }),
        // A large deposit from another provider, held for the details of who sent it.
        Fact::Transaction(Transaction {
            confirmations: 19,
            created_at: ago(6),
            updated_at: Some(ago(5)),
            destination: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf".into(),
            tx_hash: "a3f1c5e7092b4d6f8a0c2e4f6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d".into(),
            information_request: Some(InformationRequest {
                items: vec![RequestedInformation::OriginatorDetails],
                requested_at: ago(4),
            }),
            ..base(
                "DEMO-INFO-REQUIRED",
                "acct-demo-0012",
                Deposit,
                "TRON",
                "USDT",
                1_200_000,
            )
        }),
        Fact::NetworkCondition(NetworkCondition {
            network: "ETH".into(),
            congestion_factor: 1.5,
            observed_at: ago(3),
        }),
    ]
}
