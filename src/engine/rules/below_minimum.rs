//! A deposit smaller than the minimum its network takes for the asset is not credited.
//!
//! Platforms set these minimums because crediting dust costs more than it is worth; what was
//! sent below one reached the platform but sits uncredited until it is recovered by hand.

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
            Text::new("below-minimum-not-deposit").word("kind", "kind", kind_arg(tx.kind)),
            Vec::new(),
        );
    }
    let text = |id| {
        Text::new(id)
            .str("amount", tx.amount.to_string())
            .str("asset", tx.asset.clone())
            .str("network", tx.network.clone())
    };
    let Some(minimum) = policy.policy.min_deposit(&tx.asset) else {
        return Verdict::not_matched(text("below-minimum-none"), Vec::new());
    };
    let evidence = vec![
        ("amount", tx.amount.to_string()),
        ("asset", tx.asset.clone()),
        ("min_deposit", minimum.to_string()),
    ];
    let with_minimum = |id| text(id).str("minimum", minimum.to_string());
    if tx.amount >= minimum {
        return Verdict::not_matched(with_minimum("below-minimum-met"), evidence);
    }
    // Who starts the recovery is the platform's policy; the texts follow it.
    let action = ctx.rules.settings().below_minimum_action;
    // The texts select on the action's name in the rules file.
    let code = action.name();
    Verdict::matched(
        with_minimum("below-minimum-detail"),
        evidence,
        NextStep::new(
            action,
            with_minimum("below-minimum-summary").str("action", code.clone()),
        ),
        with_minimum("below-minimum-customer").str("action", code),
    )
}
