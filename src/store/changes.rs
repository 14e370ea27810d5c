//! The change feed: what each committed write touched, told to whoever watches the store.
//!
//! Every store has one feed. SQLite tells it in-process, after each commit. PostgreSQL has
//! triggers notify (`NOTIFY`) in the writing transaction, delivered at commit to every replica
//! listening, so that a write through one replica reaches the watches of all of them. A change
//! names keys, not rows: a watch wakes when a key it depends on was touched, and loads the facts
//! again itself.

use super::Fact;
use crate::engine::model::tx_hash_key;
use std::sync::Arc;
use tokio::sync::broadcast;

/// How many changes the feed holds for a subscriber that has not read them yet; one that falls
/// further behind is told it missed some ([`broadcast::error::RecvError::Lagged`]).
const FEED_CAPACITY: usize = 4096;

/// One thing a write touched, as a watch depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Touched {
    /// The transaction looked up by this key: its reference, or its hash's lookup key
    /// ([`tx_hash_key`]).
    Transaction(String),
    /// The status history of this account.
    Account(String),
    /// The maintenance windows or congestion of this network (`*`: of every network).
    Network(String),
}

impl Touched {
    /// The key as a NOTIFY payload line carries it: a one-letter kind, `:`, the key.
    pub fn encode(&self) -> String {
        match self {
            Self::Transaction(key) => format!("t:{key}"),
            Self::Account(key) => format!("a:{key}"),
            Self::Network(key) => format!("n:{key}"),
        }
    }

    /// A key from a payload line; `None` for a line paydiag does not write.
    pub fn decode(line: &str) -> Option<Self> {
        let (kind, key) = line.split_once(':')?;
        let key = key.to_owned();
        match kind {
            "t" => Some(Self::Transaction(key)),
            "a" => Some(Self::Account(key)),
            "n" => Some(Self::Network(key)),
            _ => None,
        }
    }
}

/// What the feed tells its subscribers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A write touched these keys.
    Touched(Arc<[Touched]>),
    /// Changes may have been missed (the store's listener lost its connection): anything may
    /// have changed.
    Unknown,
}

/// The keys `facts` touch, each once.
pub fn touched_by(facts: &[Fact]) -> Vec<Touched> {
    let mut touched: Vec<Touched> = facts
        .iter()
        .flat_map(|fact| -> Vec<Touched> {
            match fact {
                Fact::Transaction(tx) => {
                    let mut keys = vec![Touched::Transaction(tx.reference.clone())];
                    if !tx.tx_hash.is_empty() {
                        keys.push(Touched::Transaction(tx_hash_key(&tx.tx_hash).into_owned()));
                    }
                    keys
                }
                Fact::AccountStatus(status) => vec![Touched::Account(status.account_id.clone())],
                Fact::MaintenanceWindow(w) => vec![Touched::Network(w.network.clone())],
                Fact::NetworkCondition(c) => vec![Touched::Network(c.network.clone())],
            }
        })
        .collect();
    touched.sort_unstable();
    touched.dedup();
    touched
}

/// A store's change feed. Cheap to clone; every clone tells the same subscribers.
#[derive(Debug, Clone)]
pub struct ChangeFeed {
    sender: broadcast::Sender<Change>,
}

impl Default for ChangeFeed {
    fn default() -> Self {
        Self {
            sender: broadcast::Sender::new(FEED_CAPACITY),
        }
    }
}

impl ChangeFeed {
    /// Tells every subscriber about `change`; nothing happens when nobody listens.
    pub fn publish(&self, change: Change) {
        if let Change::Touched(keys) = &change
            && keys.is_empty()
        {
            return;
        }
        // An error only means that nobody subscribed.
        let _ = self.sender.send(change);
    }

    /// Tells every subscriber that `keys` were touched.
    pub fn touched(&self, keys: Vec<Touched>) {
        self.publish(Change::Touched(keys.into()));
    }

    /// The changes published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_its_payload_line_whatever_it_holds() {
        for touched in [
            Touched::Transaction("DEP-1:a".into()),
            Touched::Account("acct-7".into()),
            Touched::Network("*".into()),
        ] {
            assert_eq!(Touched::decode(&touched.encode()), Some(touched));
        }
        assert_eq!(Touched::decode("x:1"), None);
        assert_eq!(Touched::decode("no separator"), None);
    }
}
