//! When a background worker that sends what orders leave behind (webhooks, emails, alert
//! emails, pushes) looks again: on an order change, or after a while without one, and never
//! sooner than a short gap after its last look.
//!
//! Each worker used to look once per change it was told of: under a burst of website orders
//! (2,000 a second) that was a read of the database per order per worker, each a round trip to
//! SQLite's thread and a wake-up of the worker, competing with the orders for the two cores.
//! One look finds everything due, so the changes that arrive during the gap are answered by
//! the next look together. A look that sent a whole page (`PAGE`) is followed at once, so a
//! backlog still drains as fast as it can be sent.
use std::time::Duration;

use tokio::sync::broadcast::{self, error::TryRecvError};
use tokio::time::Instant;

use crate::error::AppError;
use crate::orders::model::OrderChange;

/// The shortest time between two looks: well under what a person notices for an email or a
/// phone notification, and long enough that a burst of orders costs a few looks a second.
pub const GAP: Duration = Duration::from_millis(100);

/// The most one look sends: every worker's query of what is due takes `LIMIT 20`.
pub const PAGE: usize = 20;

/// A worker's wake-ups.
pub struct Wakes {
    changes: broadcast::Receiver<OrderChange>,
    idle: Duration,
    last: Instant,
}

impl Wakes {
    /// Wakes on the changes `events` carries, or after `idle` without one.
    pub fn new(events: &broadcast::Sender<OrderChange>, idle: Duration) -> Self {
        Self {
            changes: events.subscribe(),
            idle,
            last: Instant::now(),
        }
    }

    /// Waits for the next look: a change (or `idle` without one), then at least `GAP` after
    /// the last look began. Every change that came meanwhile is taken with it.
    pub async fn next(&mut self) {
        let _ = tokio::time::timeout(self.idle, self.changes.recv()).await;
        tokio::time::sleep_until(self.last + GAP).await;
        while let Ok(_) | Err(TryRecvError::Lagged(_)) = self.changes.try_recv() {}
        self.last = Instant::now();
    }

    /// After a look that sent `sent` (or failed, logged as `worker`'s): a look that sent a
    /// whole page may have left more behind, so the next one comes at once and a backlog
    /// drains at the speed of sending, not a page per gap; any other waits for `next`. Only
    /// what was sent counts: a page that failed is retried later, not looked at again at once.
    pub async fn after(&mut self, worker: &str, sent: Result<usize, AppError>) {
        match sent {
            Ok(n) if n >= PAGE => tokio::task::yield_now().await,
            Ok(_) => self.next().await,
            Err(e) => {
                tracing::error!(error = %e, worker, "a worker's look failed");
                self.next().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::model::OrderStatus;

    fn change(order_id: i64) -> OrderChange {
        OrderChange {
            order_id,
            number: order_id,
            from: OrderStatus::Received,
            status: OrderStatus::Confirmed,
            version: 1,
            by: "a test".into(),
        }
    }

    /// A burst of changes is taken by one look; looks are never closer than the gap however
    /// many changes come; a quiet worker still looks after `idle`.
    #[tokio::test]
    async fn a_burst_of_changes_is_one_look() {
        let (events, _keep) = broadcast::channel(1024);
        let idle = Duration::from_millis(300);
        let begun = Instant::now();
        let mut wakes = Wakes::new(&events, idle);
        for i in 0..500 {
            events.send(change(i)).unwrap();
        }
        wakes.next().await;
        assert!(begun.elapsed() >= GAP);
        assert!(matches!(wakes.changes.try_recv(), Err(TryRecvError::Empty)));

        // 2,000 changes over ~0.4 s: at most one look per gap, and the last change is taken.
        let sender = tokio::spawn({
            let events = events.clone();
            async move {
                for i in 0..2_000 {
                    events.send(change(i)).unwrap();
                    if i % 50 == 0 {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
        });
        let busy = Instant::now();
        let mut looks = 0u32;
        while !sender.is_finished() {
            wakes.next().await;
            looks += 1;
        }
        wakes.next().await;
        looks += 1;
        let most = (busy.elapsed().as_millis() / GAP.as_millis()) as u32 + 1;
        assert!(looks <= most, "{looks} looks in {:?}", busy.elapsed());
        assert!(matches!(wakes.changes.try_recv(), Err(TryRecvError::Empty)));

        // Nothing happens: it looks again after `idle`.
        let quiet = Instant::now();
        wakes.next().await;
        assert!(quiet.elapsed() >= idle);
    }

    /// A backlog drains at the speed of sending: a look that sent a whole page is followed
    /// at once; a short page, or a failed look, waits for the gap.
    #[tokio::test]
    async fn a_full_page_is_followed_at_once() {
        let (events, _keep) = broadcast::channel(16);
        let mut wakes = Wakes::new(&events, Duration::from_secs(5));
        let mut backlog = 1_000usize;
        let begun = Instant::now();
        let mut looks = 0;
        while backlog > 0 {
            events.send(change(looks)).unwrap();
            let sent = backlog.min(PAGE);
            backlog -= sent;
            looks += 1;
            wakes.after("a test", Ok(sent)).await;
        }
        // 50 pages; one gap each would be 5 s.
        assert_eq!(looks, 50);
        assert!(
            begun.elapsed() < GAP,
            "{looks} pages took {:?}",
            begun.elapsed()
        );

        let before = wakes.last;
        events.send(change(0)).unwrap();
        wakes.after("a test", Ok(PAGE - 1)).await;
        assert!(
            wakes.last >= before + GAP,
            "a short page was followed at once"
        );
        let before = wakes.last;
        events.send(change(1)).unwrap();
        wakes.after("a test", Err(AppError::Unauthorized)).await;
        assert!(
            wakes.last >= before + GAP,
            "a failed look was followed at once"
        );
    }

    /// `PAGE` is what every worker's query takes.
    #[test]
    fn every_worker_takes_a_page() {
        for (file, source) in [
            ("orders/email.rs", include_str!("../orders/email.rs")),
            ("orders/notify.rs", include_str!("../orders/notify.rs")),
            ("alerts/mail.rs", include_str!("../alerts/mail.rs")),
            ("alerts/push.rs", include_str!("../alerts/push.rs")),
        ] {
            assert!(source.contains(&format!("LIMIT {PAGE}")), "{file}");
            assert!(source.contains("wakes.after("), "{file}");
        }
    }
}
