//! When a background worker that sends what orders leave behind (webhooks, emails, alert
//! emails, pushes) looks again: on an order change, or after a while without one, and never
//! sooner than a short gap after its last look.
//!
//! Each worker used to look once per change it was told of: under a burst of website orders
//! (2,000 a second) that was a read of the database per order per worker, each a round trip to
//! SQLite's thread and a wake-up of the worker, competing with the orders for the two cores.
//! One look finds everything due, so the changes that arrive during the gap are answered by
//! the next look together.
use std::time::Duration;

use tokio::sync::broadcast::{self, error::TryRecvError};
use tokio::time::Instant;

use crate::orders::model::OrderChange;

/// The shortest time between two looks: well under what a person notices for an email or a
/// phone notification, and long enough that a burst of orders costs a few looks a second.
pub const GAP: Duration = Duration::from_millis(100);

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
}
