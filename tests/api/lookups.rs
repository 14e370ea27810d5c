//! The lookup checks (see `lookup_checks.rs`) on SQLite.

use crate::helpers::{TestApp, spawn_app};
use crate::lookup_checks;

async fn sqlite() -> (TestApp, ()) {
    (spawn_app().await, ())
}

mod sqlite {
    use super::*;

    lookup_checks!(sqlite();
        a_pasted_transaction_hash_finds_the_transaction_and_says_so,
        the_summary_carries_the_transactions_facts_with_the_account_masked,
        a_claimed_hash_that_differs_from_the_record_is_a_mismatch_naming_both,
        another_accounts_transaction_is_told_to_the_customer_as_an_unknown_reference,
        the_requesters_own_transaction_is_diagnosed_as_usual,
        a_batch_withholds_each_item_of_another_account,
    );
}
