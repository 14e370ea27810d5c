//! A deposit of an asset its network does not take on the platform is not credited: a token sent
//! on a chain where the platform does not list it, or on the wrong chain for it.
//!
//! The funds reached an address the platform controls, but no account is credited for an asset
//! it does not book on that network; they can only be recovered by hand, where at all.

use super::{Verdict, kind_arg};
use crate::engine::{
    context::Context,
    diagnosis::{NextStep, Text},
    model::TransactionKind,
};

pub fn evaluate(ctx: &Context<'_>) -> Verdict {
    let (Some(tx), Some(policy)) = (ctx.tx(), ctx.policy()) else {
        return Verdict::no_transaction();
    };
    if tx.kind != TransactionKind::Deposit {
        return Verdict::not_matched(
            Text::new("unsupported-asset-not-deposit").word("kind", "kind", kind_arg(tx.kind)),
            Vec::new(),
        );
    }
    let text = |id| {
        Text::new(id)
            .str("asset", tx.asset.clone())
            .str("network", tx.network.clone())
    };
    // A network that lists no assets takes every one.
    let Some(assets) = &policy.policy.assets else {
        return Verdict::not_matched(text("unsupported-asset-unlisted"), Vec::new());
    };
    // Codes joined without a word of any language, so that every locale can show them.
    let supported = assets.join("/");
    let evidence = vec![
        ("asset", tx.asset.clone()),
        ("supported_assets", assets.join(",")),
        (
            "policy",
            if policy.fallback {
                "fallback".into()
            } else {
                tx.network.clone()
            },
        ),
    ];
    if policy.policy.supports(&tx.asset) {
        return Verdict::not_matched(text("unsupported-asset-supported"), evidence);
    }
    // Who starts the recovery is the platform's policy; the texts follow it.
    let action = ctx.rules.settings().unsupported_asset_action;
    // The texts select on the action's name in the rules file.
    let code = action.name();
    let supported_there = |id| text(id).str("supported", supported.clone());
    Verdict::matched(
        supported_there("unsupported-asset-detail"),
        evidence,
        NextStep::new(
            action,
            supported_there("unsupported-asset-summary").str("action", code.clone()),
        ),
        text("unsupported-asset-customer")
            .str("amount", tx.amount.to_string())
            .str("action", code),
    )
}
