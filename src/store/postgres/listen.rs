//! The change feed on PostgreSQL: one connection per replica `LISTEN`s on the schema's change
//! channel, which the tables' triggers notify at each commit (migrations 0008 and 0010), and
//! tells the replica's feed what each write touched.
//!
//! Notifications sent while the connection is down are lost, so each time the listener
//! (re)connects, the feed is told that anything may have changed ([`Change::Unknown`]): the
//! watches diagnose again rather than miss a change made while the database was out of reach.

use crate::store::changes::{Change, ChangeFeed, Touched};
use futures_util::{StreamExt as _, stream};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};
use tokio_util::task::AbortOnDropHandle;

/// The first wait before reconnecting; it doubles up to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_millis(100);
const MAX_RETRY: Duration = Duration::from_secs(5);

/// Listens for as long as the returned handle lives. The first connection is made before it
/// returns, within `timeout`, so that every write committed after the store opened is heard;
/// when it cannot be made (the database takes no LISTEN, as a standby does not), listening is
/// retried in the background.
pub async fn start(
    config: tokio_postgres::Config,
    feed: ChangeFeed,
    timeout: Duration,
) -> AbortOnDropHandle<()> {
    let first = match tokio::time::timeout(timeout, listening(&config)).await {
        Ok(Ok(listening)) => Some(listening),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "change feed: not listening yet; retrying in the background");
            None
        }
        Err(_) => {
            tracing::warn!(
                ?timeout,
                "change feed: not listening yet; retrying in the background"
            );
            None
        }
    };
    AbortOnDropHandle::new(tokio::spawn(run(config, feed, first)))
}

async fn run(config: tokio_postgres::Config, feed: ChangeFeed, mut first: Option<Listening>) {
    let mut retry = FIRST_RETRY;
    loop {
        let listened = match first.take() {
            Some(listening) => Ok(listening),
            None => listening(&config).await,
        };
        match listened {
            Ok(mut listening) => {
                retry = FIRST_RETRY;
                feed.publish(Change::Unknown);
                while let Some(payload) = listening.received.recv().await {
                    feed.touched(payload.lines().filter_map(Touched::decode).collect());
                }
                tracing::warn!("change feed: the listening connection closed; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, ?retry, "change feed: not listening; retrying"),
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(MAX_RETRY);
    }
}

/// A connection listening on the change channel, and the payloads it receives.
struct Listening {
    _client: tokio_postgres::Client,
    /// Polls the connection, which delivers notifications only while polled.
    _driver: AbortOnDropHandle<()>,
    /// Ends when the connection does.
    received: mpsc::UnboundedReceiver<String>,
}

/// Connects and listens on the schema's change channel.
async fn listening(config: &tokio_postgres::Config) -> Result<Listening, tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (notifications, received) = mpsc::unbounded_channel();
    let driver = AbortOnDropHandle::new(tokio::spawn(async move {
        let mut messages = stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if notifications.send(n.payload().to_owned()).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "change feed: the listening connection failed");
                    return;
                }
            }
        }
    }));
    // The channel is the database's to name (migration 0010), as its triggers notify it.
    let row = client
        .query_one("SELECT current_schema(), paydiag_changes_channel()", &[])
        .await?;
    let (schema, channel): (String, String) = (row.get(0), row.get(1));
    client
        .batch_execute(&format!("LISTEN {}", quote_ident(&channel)))
        .await?;
    tracing::info!(%schema, %channel, "change feed: listening");
    Ok(Listening {
        _client: client,
        _driver: driver,
        received,
    })
}

/// `name` as a quoted SQL identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_is_listened_to_as_one_quoted_identifier() {
        assert_eq!(
            quote_ident("paydiag_changes:paydiag"),
            "\"paydiag_changes:paydiag\""
        );
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
