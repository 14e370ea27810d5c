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
        an_accounts_transactions_come_newest_first_a_page_at_a_time,
        every_filter_narrows_the_search,
        amount_bounds_skip_transactions_without_losing_any_across_pages,
        a_search_without_a_key_filter_or_with_a_foreign_token_is_refused,
        networks_are_listed_with_their_names_times_congestion_and_windows,
        every_ticket_of_the_corpus_is_understood_and_sent_where_it_belongs,
    );
}
