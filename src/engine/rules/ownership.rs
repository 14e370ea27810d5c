//! The ownership check: whether the transaction a reference names belongs to the requester.
//!
//! Not a rule of the precedence table: it detects no cause. It runs before the rules, in the
//! store, which withholds another account's transaction so that the rules see an unknown
//! reference; this finding tells the agent why.

use crate::engine::{
    diagnosis::{Finding, Outcome, Text},
    model::Ownership,
};
use crate::mask::mask;

/// The finding's stable name.
pub const NAME: &str = "ownership";

/// The ownership finding, when a requester was named and a transaction found.
pub fn finding(ownership: &Ownership) -> Option<Finding> {
    let (outcome, detail, evidence) = match ownership {
        Ownership::Unchecked => return None,
        Ownership::Requester => (
            Outcome::Matched,
            Text::new("ownership-requester"),
            vec![("owner", "requester".to_owned())],
        ),
        Ownership::Other { owner } => (
            Outcome::NotMatched,
            Text::new("ownership-other").str("owner", mask(owner)),
            vec![("owner", mask(owner))],
        ),
    };
    Some(Finding {
        rule: NAME,
        cause: None,
        outcome,
        detail,
        evidence,
    })
}
