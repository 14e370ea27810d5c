//! What support needs from the customer for each next step: one table, by cause and action,
//! resolved against the rail the payment went over (a TxID proves a payment on a chain, a bank
//! statement one on a bank rail).

use super::{
    context::Context,
    diagnosis::{Action, Cause},
    model::TransactionKind,
    next_step::EvidenceItem::{self, *},
    policy::AddressFormat,
};

/// One entry of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// This item, whatever the rail.
    Item(EvidenceItem),
    /// What proves the customer's payment on its rail ([`Rail::proof`]). Nothing for money the
    /// platform sent out (withdrawals, transfers): its own record proves those.
    Proof,
    /// The memo or tag used, on networks that need one.
    MemoUsed,
}

use Need::{Item, MemoUsed, Proof};

/// What support needs for `cause` resolved by `action`, before the rail is known. The match on
/// the cause has no wildcard: a new cause cannot be added without deciding its evidence.
fn needs(cause: Cause, action: Action) -> &'static [Need] {
    match cause {
        // A payment the platform never saw: proof that it left, when, and how much.
        Cause::NotFound => &[Proof, Item(PaymentTime), Item(Amount)],
        Cause::AccountFrozen => match action {
            // Support must find the case and know who is asking; the reason stays undisclosed.
            Action::ContactSupport => &[Item(TransactionReference), Item(IdentityDocument)],
            _ => &[Item(IdentityDocument)],
        },
        Cause::Rejected => match action {
            // Funds that arrived after the order expired, or a decline support reviews.
            Action::ContactSupport => &[Item(TransactionReference), Proof],
            // The customer submits it again: there is nothing to prove.
            _ => &[],
        },
        Cause::InputMismatch => match action {
            // Funds stranded by a wrong network, asset or memo: what was sent, to where, with
            // which memo, as the sending wallet shows it.
            Action::RequestRecovery => &[
                Proof,
                Item(DestinationAddress),
                MemoUsed,
                Item(PaymentScreenshot),
            ],
            Action::ContactSupport => &[Item(TransactionReference), Proof],
            // The customer may mean another payment: the proof of the one they mean.
            _ => &[Proof, Item(PaymentTime), Item(Amount)],
        },
        // A deposit the network or asset rules kept from crediting: recovering it needs what
        // was sent, to where and with which memo, as a mismatch recovery does.
        Cause::UnsupportedAsset | Cause::BelowMinimum => match action {
            Action::RequestRecovery => &[
                Proof,
                Item(DestinationAddress),
                MemoUsed,
                Item(PaymentScreenshot),
            ],
            _ => &[Item(TransactionReference), Proof],
        },
        // The customer confirms, answers in the app, or submits again; a hold ends by itself:
        // support needs nothing from them.
        Cause::SecurityHold | Cause::AwaitingCustomerConfirmation | Cause::InformationRequired => {
            &[]
        }
        // It resolves by itself, nothing is wrong, or the record is all operations needs.
        Cause::Maintenance
        | Cause::ConfirmationDelay
        | Cause::ConfirmationStalled
        | Cause::NoIncident
        | Cause::Undetermined => &[],
    }
}

/// How a payment is proven on the rail it went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rail {
    /// A network with confirmations: its TxID; `memo` when it needs one to credit an account.
    Chain { memo: bool },
    /// A rail of bank accounts (IBAN): a bank statement.
    Bank,
    /// Any other rail (cards, internal transfers, networks without a policy): a screenshot.
    Other,
    /// Neither a transaction nor a claimed network says which.
    Unknown,
}

impl Rail {
    /// The rail of the transaction, or else of the network the customer says they used.
    fn of(ctx: &Context<'_>) -> Self {
        let network = match ctx.tx() {
            Some(tx) => tx.network.as_str(),
            None => match ctx.claim.network.as_deref() {
                Some(network) => ctx.rules.network_code(network),
                None => return Rail::Unknown,
            },
        };
        let policy = ctx.rules.policy(network).policy;
        match (policy.block_interval, policy.address_format) {
            (Some(_), _) => Rail::Chain {
                memo: policy.memo_required,
            },
            (None, AddressFormat::Iban) => Rail::Bank,
            (None, _) => Rail::Other,
        }
    }

    fn proof(self) -> &'static [EvidenceItem] {
        match self {
            Rail::Chain { .. } => &[TxHash],
            Rail::Bank => &[BankStatement],
            Rail::Other => &[PaymentScreenshot],
            Rail::Unknown => &[Network, PaymentScreenshot],
        }
    }
}

/// What support will need from the customer for the step `action` on `cause`, each item once, in
/// the order to ask for it.
pub fn required(cause: Cause, action: Action, ctx: &Context<'_>) -> Vec<EvidenceItem> {
    let rail = Rail::of(ctx);
    let sent_out = ctx.tx().is_some_and(|tx| {
        matches!(
            tx.kind,
            TransactionKind::Withdrawal | TransactionKind::Transfer
        )
    });
    let mut items = Vec::new();
    for need in needs(cause, action) {
        let resolved: &[EvidenceItem] = match need {
            Item(item) => std::slice::from_ref(item),
            Proof if sent_out => &[],
            Proof => rail.proof(),
            MemoUsed if rail == (Rail::Chain { memo: true }) => &[Memo],
            MemoUsed => &[],
        };
        for item in resolved {
            if !items.contains(item) {
                items.push(*item);
            }
        }
    }
    items
}
