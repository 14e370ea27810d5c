//! The time the server diagnoses at, and waiting for a moment to come. The engine never reads
//! a clock; the services read this one, so that tests can set the time and move it on.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

/// Where the server reads the time.
#[async_trait]
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now.
    fn now(&self) -> DateTime<Utc>;

    /// Returns once it is `at` or later.
    async fn sleep_until(&self, at: DateTime<Utc>);
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, at: DateTime<Utc>) {
        // A monotonic sleep: a later step of the wall clock delays or hastens the wake-up, which
        // then finds the outcome as it is and schedules the next one.
        if let Ok(wait) = (at - Utc::now()).to_std() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// A clock that stands still until it is set: what tests diagnose at.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: watch::Sender<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: watch::Sender::new(now),
        }
    }

    /// Sets the time to `now`, waking whoever waits for a moment up to it. Time never goes
    /// back: an earlier `now` is ignored.
    pub fn set(&self, now: DateTime<Utc>) {
        self.now.send_if_modified(|held| {
            let later = now > *held;
            if later {
                *held = now;
            }
            later
        });
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    async fn sleep_until(&self, at: DateTime<Utc>) {
        let mut now = self.now.subscribe();
        // The sender lives as long as this clock: waiting cannot fail.
        let _ = now.wait_for(|now| *now >= at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[tokio::test]
    async fn a_manual_clock_wakes_a_sleeper_once_set_past_its_moment() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let clock = ManualClock::new(start);
        let sleeper = {
            let clock = clock.clone();
            tokio::spawn(async move { clock.sleep_until(start + TimeDelta::seconds(10)).await })
        };
        clock.set(start + TimeDelta::seconds(5));
        clock.set(start - TimeDelta::seconds(5));
        assert_eq!(clock.now(), start + TimeDelta::seconds(5), "never back");
        assert!(!sleeper.is_finished());
        clock.set(start + TimeDelta::seconds(10));
        sleeper.await.expect("the sleeper wakes");
    }
}
