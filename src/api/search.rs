//! `FactService.SearchTransactions`: filters checked, pages bound to their filters, and the
//! amount bounds (decimals, which no index orders) applied while reading the store's pages.

use super::{
    enums,
    error::ServiceError,
    fact_codec::transaction_pb,
    page_token,
    validate::{Check, MAX_TEXT_CHARS, Violation},
};
use crate::engine::{
    model::{Transaction, tx_hash_key},
    policy::RuleSet,
};
use crate::pb::v1 as pb;
use crate::store::{
    FactStore,
    codec::destination_key,
    search::{Cursor, TransactionSearch},
};
use rust_decimal::Decimal;

/// Transactions per page when the request names no page size.
pub const DEFAULT_PAGE_SIZE: usize = 50;
/// Most transactions per page.
pub const MAX_PAGE_SIZE: usize = 500;
/// Transactions read from the store per round trip while amount bounds skip some.
const AMOUNT_SCAN_CHUNK: usize = 500;
/// Round trips one page may take while amount bounds skip transactions: a page then ends early,
/// with a token to go on, rather than reading an account's whole history in one call.
const MAX_SCAN_ROUNDS: usize = 10;

/// A checked search request.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchInput {
    /// The store's filters (no cursor, no limit yet).
    pub filters: TransactionSearch,
    /// Inclusive amount bounds.
    pub amount_min: Option<Decimal>,
    /// Inclusive amount bounds.
    pub amount_max: Option<Decimal>,
    /// Transactions per page.
    pub page_size: usize,
    /// Where the previous page ended.
    pub after: Option<Cursor>,
}

/// Checks a search request; networks are read through the rules' aliases.
pub fn search_input(
    p: &pb::SearchTransactionsRequest,
    rules: &RuleSet,
) -> Result<SearchInput, Vec<Violation>> {
    let mut c = Check::new("");
    let optional_id =
        |c: &mut Check, field: &str, value: &str| (!value.is_empty()).then(|| c.id(field, value));
    let account_id = optional_id(&mut c, "account_id", &p.account_id);
    let tx_hash = (!p.tx_hash.is_empty()).then(|| c.tx_hash("tx_hash", &p.tx_hash));
    let destination = c.text("destination", &p.destination, MAX_TEXT_CHARS, false);
    let destination_key = destination_key(&destination);
    if account_id.is_none() && tx_hash.is_none() && destination_key.is_none() {
        c.violation(
            "account_id",
            "one of account_id, tx_hash or destination is required, so that a search does not \
             read every transaction",
        );
    }
    let filters = TransactionSearch {
        account_id,
        tx_hash_key: tx_hash.map(|h| tx_hash_key(&h).into_owned()),
        destination_key,
        kinds: enum_list(&mut c, "kinds", &p.kinds, |k| {
            pb::TransactionKind::try_from(k).ok().and_then(enums::kind)
        }),
        networks: networks(&mut c, &p.networks, rules),
        asset: c.code("asset", &p.asset, false),
        statuses: enum_list(&mut c, "statuses", &p.statuses, |s| {
            pb::TransactionStatus::try_from(s)
                .ok()
                .and_then(enums::status)
        }),
        created_from: c.timestamp("created_after", p.created_after.as_ref(), false),
        created_before: c.timestamp("created_before", p.created_before.as_ref(), false),
        after: None,
        limit: 0,
    };
    let amount_min = c.decimal("amount_min", &p.amount_min, false);
    let amount_max = c.decimal("amount_max", &p.amount_max, false);
    let page_size = match usize::try_from(p.page_size) {
        Ok(0) => DEFAULT_PAGE_SIZE,
        Ok(n) if n <= MAX_PAGE_SIZE => n,
        _ => {
            c.violation("page_size", format!("must be 0 to {MAX_PAGE_SIZE}"));
            DEFAULT_PAGE_SIZE
        }
    };
    let mut input = SearchInput {
        filters,
        amount_min,
        amount_max,
        page_size,
        after: None,
    };
    if !p.page_token.is_empty() {
        input.after = page_token::read(&p.page_token, &input.fingerprint())
            .map(|(created_at, reference)| Cursor {
                created_at,
                reference,
            })
            .map_err(|why| c.violation("page_token", why))
            .ok();
    }
    c.finish()?;
    Ok(input)
}

fn enum_list<T>(c: &mut Check, field: &str, raw: &[i32], map: fn(i32) -> Option<T>) -> Vec<T> {
    let mut values = Vec::with_capacity(raw.len());
    for (i, value) in raw.iter().enumerate() {
        match map(*value) {
            Some(v) => values.push(v),
            None => c.violation(
                &format!("{field}[{i}]"),
                format!("must be a known value other than *_UNSPECIFIED, got {value}"),
            ),
        }
    }
    values
}

fn networks(c: &mut Check, raw: &[String], rules: &RuleSet) -> Vec<String> {
    let mut codes = Vec::with_capacity(raw.len());
    for (i, name) in raw.iter().enumerate() {
        if let Some(name) = c.code(&format!("networks[{i}]"), name, true) {
            codes.push(rules.network_code(&name).to_owned());
        }
    }
    codes
}

impl SearchInput {
    /// What a page token is bound to: every filter, not the page size.
    fn fingerprint(&self) -> String {
        page_token::fingerprint(&format!(
            "{:?}|{:?}|{:?}",
            self.filters, self.amount_min, self.amount_max
        ))
    }

    fn amount_fits(&self, tx: &Transaction) -> bool {
        self.amount_min.is_none_or(|min| tx.amount >= min)
            && self.amount_max.is_none_or(|max| tx.amount <= max)
    }

    fn bounds_amounts(&self) -> bool {
        self.amount_min.is_some() || self.amount_max.is_some()
    }
}

/// Runs one page of a search.
pub async fn search(
    store: &dyn FactStore,
    input: &SearchInput,
) -> Result<pb::SearchTransactionsResponse, ServiceError> {
    // One more than a page, to know whether another follows.
    let wanted = input.page_size + 1;
    let chunk = if input.bounds_amounts() {
        wanted.max(AMOUNT_SCAN_CHUNK)
    } else {
        wanted
    };
    let mut found: Vec<Transaction> = Vec::with_capacity(wanted);
    let mut after = input.after.clone();
    let mut unread = false;
    for round in 0..MAX_SCAN_ROUNDS {
        let search = TransactionSearch {
            after: after.clone(),
            limit: chunk,
            ..input.filters.clone()
        };
        let rows = store.search_transactions(&search).await?;
        let exhausted = rows.len() < chunk;
        for tx in rows {
            after = Some(cursor_of(&tx));
            if input.amount_fits(&tx) {
                found.push(tx);
                if found.len() == wanted {
                    break;
                }
            }
        }
        if found.len() == wanted || exhausted {
            break;
        }
        unread = round + 1 == MAX_SCAN_ROUNDS;
    }
    let next = if found.len() == wanted {
        found.truncate(input.page_size);
        found.last().map(cursor_of)
    } else if unread {
        after
    } else {
        None
    };
    let fingerprint = input.fingerprint();
    Ok(pb::SearchTransactionsResponse {
        transactions: found.iter().map(transaction_pb).collect(),
        next_page_token: next
            .map(|cursor| page_token::write(&fingerprint, cursor.created_at, &cursor.reference))
            .unwrap_or_default(),
    })
}

fn cursor_of(tx: &Transaction) -> Cursor {
    Cursor {
        created_at: tx.created_at,
        reference: tx.reference.clone(),
    }
}
