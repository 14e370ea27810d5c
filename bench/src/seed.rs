//! The generated data set: facts streamed through ImportFacts, and the Diagnose requests that
//! look them up.
//!
//! Every diagnosed reference is realistic: its account has a status history, two maintenance
//! windows on its network hold it up at the evaluation time, its network has a recent congestion
//! observation, and the request carries a matching customer claim. The other transactions are
//! completed payments spread over the last 90 days, so that the store is as large as asked.

use chrono::{DateTime, TimeDelta, Utc};
use paydiag::{
    api::fact_codec::{
        account_status_pb, maintenance_window_pb, network_condition_pb, timestamp, transaction_pb,
    },
    engine::model::{
        AccountState, AccountStatus, ExpectedPayment, FreezeReason, MaintenanceType,
        MaintenanceWindow, NetworkCondition, Transaction, TransactionKind, TransactionStatus,
    },
    pb::v1::{self as pb, import_facts_request::Fact},
};
use rust_decimal::Decimal;

/// The networks of the shipped rules, with the asset used on each.
pub const NETWORKS: [(&str, &str); 12] = [
    ("BTC", "BTC"),
    ("ETH", "USDT"),
    ("BSC", "USDT"),
    ("TRON", "USDT"),
    ("SOL", "SOL"),
    ("XRP", "XRP"),
    ("XLM", "XLM"),
    ("TON", "TON"),
    ("SEPA", "EUR"),
    ("SWIFT", "USD"),
    ("CARD", "EUR"),
    ("INTERNAL", "USDT"),
];

/// Fewest windows: two current ones on every network.
pub const MIN_WINDOWS: u64 = 2 * NETWORKS.len() as u64;

/// Congestion observations per network: hourly over the last day.
const OBSERVATIONS: u64 = 24;

/// The evaluation time of every diagnosis: 2026-11-22T10:00:00Z.
pub fn as_of() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default()
}

fn minutes(m: i64) -> DateTime<Utc> {
    as_of() + TimeDelta::minutes(m)
}

/// The shape of the data set.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Transactions in the store.
    pub transactions: u64,
    /// Accounts they belong to (two status entries each).
    pub accounts: u64,
    /// Maintenance windows, spread over the networks.
    pub windows: u64,
    /// Transactions diagnosed, spread evenly over the reference space.
    pub references: u64,
}

impl Shape {
    /// Every `stride`-th transaction is a diagnosed one.
    fn stride(&self) -> u64 {
        (self.transactions / self.references.max(1)).max(1)
    }

    fn is_reference(&self, i: u64) -> bool {
        i % self.stride() == 0 && i / self.stride() < self.references
    }

    /// Items the seed stream holds.
    pub fn items(&self) -> u64 {
        self.windows + OBSERVATIONS * NETWORKS.len() as u64 + 2 * self.accounts + self.transactions
    }

    /// The seed: windows, congestion observations, account histories, then transactions.
    pub fn facts(self) -> impl Iterator<Item = pb::ImportFactsRequest> + Send + 'static {
        let windows = (0..self.windows).map(|j| Fact::MaintenanceWindow(window_pb(j)));
        let conditions = (0..OBSERVATIONS * NETWORKS.len() as u64)
            .map(|k| Fact::NetworkCondition(condition_pb(k)));
        let accounts = (0..self.accounts).flat_map(|a| history(a).map(Fact::AccountStatus));
        let transactions = (0..self.transactions).map(move |i| {
            let tx = if self.is_reference(i) {
                reference_tx(i, self.accounts)
            } else {
                settled_tx("TX", i, self.accounts)
            };
            Fact::Transaction(transaction_pb(&tx))
        });
        windows
            .chain(conditions)
            .chain(accounts)
            .chain(transactions)
            .map(|fact| pb::ImportFactsRequest { fact: Some(fact) })
    }

    /// The Diagnose requests of the diagnosed references, as of [`as_of`], asking for `view`.
    pub fn requests(&self, view: pb::DiagnosisView) -> Vec<pb::DiagnoseRequest> {
        (0..self.transactions)
            .filter(|i| self.is_reference(*i))
            .map(|i| diagnose_request(&reference_tx(i, self.accounts), view))
            .collect()
    }
}

impl Shape {
    /// A typical ticket (about 1 KiB, in Chinese and English) about each diagnosed reference,
    /// from its account: one candidate each.
    pub fn tickets(&self) -> Vec<pb::TriageTicketRequest> {
        (0..self.transactions)
            .filter(|i| self.is_reference(*i))
            .map(|i| ticket(&reference_tx(i, self.accounts)))
            .collect()
    }

    /// A search of each diagnosed reference's account: every transaction of it, newest first.
    pub fn searches(&self) -> Vec<pb::SearchTransactionsRequest> {
        (0..self.transactions)
            .filter(|i| self.is_reference(*i))
            .map(|i| pb::SearchTransactionsRequest {
                account_id: account_id(i % self.accounts.max(1)),
                ..Default::default()
            })
            .collect()
    }
}

/// What a customer writes about `tx`: its reference, amount, network and time among the usual
/// greetings, apologies and misleading numbers.
fn ticket(tx: &Transaction) -> pb::TriageTicketRequest {
    let body = format!(
        "您好，客服：\n\n我在一小时前提现了 {amount} {asset}（{network}），订单号 {reference}，到现在还没有到账。\
         我已经等了很久了，钱包地址确认过没有问题，之前的提现都是几分钟就到了。请帮我查一下是什么原因，\
         是不是网络拥堵或者在维护？我的手机号是 13800138000，APP 版本 5.2.1，今天已经联系过两次了。\n\n\
         Hello, I withdrew {amount} {asset} on {network} about an hour ago, reference {reference}, \
         and it still has not arrived in my wallet. Earlier withdrawals took a few minutes. Could you \
         please check whether the network is congested or under maintenance? This is my third message \
         today, ticket 48213. Thank you very much for your help.\n\n谢谢！",
        amount = tx.amount,
        asset = tx.asset,
        network = tx.network,
        reference = tx.reference,
    );
    pb::TriageTicketRequest {
        ticket_id: format!("BENCH-{}", tx.reference),
        subject: format!("提现未到账 / withdrawal not received {}", tx.reference),
        body,
        account_id: tx.account_id.clone(),
        received_at: Some(timestamp(as_of())),
        ..Default::default()
    }
}

/// `count` more settled transactions, with references of their own, for the import measurement.
pub fn extra_transactions(
    count: u64,
    accounts: u64,
) -> impl Iterator<Item = pb::ImportFactsRequest> + Send + 'static {
    (0..count).map(move |i| pb::ImportFactsRequest {
        fact: Some(Fact::Transaction(transaction_pb(&settled_tx(
            "IMPORT", i, accounts,
        )))),
    })
}

/// Window `j`: on network `j % 12`. The first two of each network hold at the evaluation time
/// (one ending, one ongoing); the rest are past maintenance, a week apart.
fn window_pb(j: u64) -> pb::MaintenanceWindow {
    let (network, _) = NETWORKS[(j % NETWORKS.len() as u64) as usize];
    let slot = (j / NETWORKS.len() as u64) as i64;
    let (starts, ends, drain, kinds, maintenance_type, title) = match slot {
        0 => (
            -120,
            -30,
            60,
            Vec::new(),
            MaintenanceType::Scheduled,
            format!("{network} node upgrade"),
        ),
        1 => (
            -20,
            40,
            20,
            vec![TransactionKind::Withdrawal],
            MaintenanceType::Unplanned,
            format!("{network} withdrawal processor outage"),
        ),
        past => (
            -past * 7 * 24 * 60,
            -past * 7 * 24 * 60 + 120,
            30,
            Vec::new(),
            MaintenanceType::Scheduled,
            format!("{network} weekly maintenance"),
        ),
    };
    maintenance_window_pb(&MaintenanceWindow {
        id: format!("mw-{}-{slot:05}", network.to_ascii_lowercase()),
        network: network.into(),
        kinds,
        maintenance_type,
        starts_at: minutes(starts),
        ends_at: Some(minutes(ends)),
        backlog_drain: TimeDelta::minutes(drain),
        title,
    })
}

/// Observation `k`: network `k % 12`, hourly, the latest ten minutes before the evaluation time.
fn condition_pb(k: u64) -> pb::NetworkCondition {
    let n = k % NETWORKS.len() as u64;
    let hour = (k / NETWORKS.len() as u64) as i64;
    network_condition_pb(&NetworkCondition {
        network: NETWORKS[n as usize].0.into(),
        congestion_factor: 1.0 + (n as f64) / 10.0 + (hour % 3) as f64 / 20.0,
        observed_at: minutes(-10 - 60 * hour),
    })
}

fn account_id(a: u64) -> String {
    format!("acct-{a:010}")
}

/// An account restricted for withdrawals for ten days two months ago, active since.
fn history(a: u64) -> impl Iterator<Item = pb::AccountStatus> {
    const DAY: i64 = 24 * 60;
    let restricted = AccountStatus {
        account_id: account_id(a),
        state: AccountState::Restricted,
        reason: Some(FreezeReason::AbnormalLogin),
        restricted_kinds: vec![TransactionKind::Withdrawal],
        effective_from: minutes(-60 * DAY),
        effective_until: Some(minutes(-50 * DAY)),
        note: "login from a new device; withdrawals held pending confirmation".into(),
    };
    let active = AccountStatus {
        state: AccountState::Active,
        reason: None,
        restricted_kinds: Vec::new(),
        effective_from: minutes(-50 * DAY),
        effective_until: None,
        note: "customer confirmed the device".into(),
        ..restricted.clone()
    };
    [restricted, active]
        .into_iter()
        .map(|s| account_status_pb(&s))
}

fn base_tx(prefix: &str, i: u64, accounts: u64) -> Transaction {
    let (network, asset) = NETWORKS[(i % NETWORKS.len() as u64) as usize];
    Transaction {
        reference: format!("{prefix}-{i:010}"),
        account_id: account_id(i % accounts.max(1)),
        kind: TransactionKind::Withdrawal,
        network: network.into(),
        asset: asset.into(),
        amount: Decimal::new(1_000 + (i % 99_000) as i64, 2),
        destination: format!("dest-{network}-{:012x}", i.wrapping_mul(0x9E37_79B9)),
        memo: String::new(),
        status: TransactionStatus::Pending,
        failure_reason: None,
        confirmations: 0,
        required_confirmations: 0,
        created_at: minutes(-60),
        updated_at: None,
        completed_at: None,
        expected: ExpectedPayment::default(),
        tx_hash: tx_hash(i),
        customer_confirmation: None,
        information_request: None,
    }
}

/// A distinct 64-digit hex hash for transaction `i`, as BTC and TRON write them.
fn tx_hash(i: u64) -> String {
    let mix = |k: u64| (i ^ k).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    format!("{:016x}{:016x}{:016x}{:016x}", mix(1), mix(2), mix(3), i)
}

/// A withdrawal made an hour before the evaluation time, during the first window of its
/// network, still pending: both current windows hold it up.
fn reference_tx(i: u64, accounts: u64) -> Transaction {
    base_tx("TX", i, accounts)
}

/// A payment completed at some point of the last 90 days.
fn settled_tx(prefix: &str, i: u64, accounts: u64) -> Transaction {
    const KINDS: [TransactionKind; 4] = [
        TransactionKind::Deposit,
        TransactionKind::Withdrawal,
        TransactionKind::Payment,
        TransactionKind::Transfer,
    ];
    let created = minutes(-120 - (i.wrapping_mul(7_919) % (90 * 24 * 60)) as i64);
    Transaction {
        kind: KINDS[(i / NETWORKS.len() as u64 % 4) as usize],
        memo: format!("{}", 100_000 + i % 900_000),
        status: TransactionStatus::Completed,
        confirmations: 40,
        created_at: created,
        updated_at: Some(created + TimeDelta::minutes(12)),
        completed_at: Some(created + TimeDelta::minutes(15)),
        ..base_tx(prefix, i, accounts)
    }
}

/// Diagnose `tx` as of [`as_of`], with the customer's (matching) account of the payment.
fn diagnose_request(tx: &Transaction, view: pb::DiagnosisView) -> pb::DiagnoseRequest {
    pb::DiagnoseRequest {
        reference: tx.reference.clone(),
        as_of: Some(timestamp(as_of())),
        claim: Some(pb::Claim {
            amount: tx.amount.to_string(),
            asset: tx.asset.clone(),
            network: tx.network.clone(),
            destination: tx.destination.clone(),
            memo: String::new(),
            paid_at: Some(timestamp(tx.created_at + TimeDelta::minutes(1))),
            tx_hash: String::new(),
        }),
        locale: "en".into(),
        ticket_id: format!("BENCH-{}", tx.reference),
        view: view.into(),
        requester_account_id: String::new(),
        time_zone: String::new(),
    }
}
