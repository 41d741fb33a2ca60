//! The demo's own tests: its geometry, and a whole load on a real database.
use super::*;
use chrono::Datelike;
#[allow(unused_imports)]
use chrono::Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};

mod geometry {
    use super::*;

    pub(super) fn point_in_ring(lat: f64, lng: f64, ring: &[[f64; 2]]) -> bool {
        let mut inside = false;
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let ([yi, xi], [yj, xj]) = (ring[i], ring[j]);
            if (yi > lat) != (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    }

    #[test]
    fn districts_tile_the_area_without_overlap() {
        let rings = district_rings();
        assert_eq!(rings.len(), DISTRICTS.len());
        let mut rng = Rng(7);
        let (s, w, n, e) = BBOX;
        for _ in 0..2000 {
            let lat = s + rng.unit() * (n - s);
            let lng = w + rng.unit() * (e - w);
            let hits: Vec<usize> = (0..rings.len())
                .filter(|&i| point_in_ring(lat, lng, &rings[i]))
                .collect();
            // Points exactly on a shared border may be claimed by none; none may be claimed twice.
            assert!(hits.len() <= 1, "({lat}, {lng}) is in {hits:?}");
            if let [only] = hits[..] {
                assert_eq!(only, nearest_district(lat, lng));
            }
        }
        for (seed, ring) in DISTRICTS.iter().zip(&rings) {
            assert!(
                point_in_ring(seed.lat, seed.lng, ring),
                "{} holds its own centre",
                seed.name
            );
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng(SEED), Rng(SEED));
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next()).collect();
        assert_eq!(xs, ys);
        assert_eq!(xs[0], Rng(SEED).next());
    }

    #[test]
    fn every_weekday_has_delivery_districts() {
        for day in [Mon, Tue, Wed, Thu, Fri, Sat] {
            let n = DISTRICTS.iter().filter(|d| d.days.contains(&day)).count();
            assert!(n >= 3, "{day} has only {n} districts");
        }
        // Sunday: one, so that whatever day the demo starts on, today has a run.
        let n = DISTRICTS.iter().filter(|d| d.days.contains(&Sun)).count();
        assert_eq!(n, 1);
    }
}

mod db_tests {
    use super::*;
    use crate::districts::model::{ring_from_geojson, serves};

    fn config() -> Config {
        Config::from_env().expect("config")
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn the_demo_can_start_with_todays_run_published_for_its_driver(pool: SqlitePool) {
        let cfg = config();
        load(&pool, &cfg, false).await.unwrap();
        let today = cfg.today().to_string();
        let open_today = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM orders WHERE fulfil_on = ? AND fulfilment = 'delivery'
                   AND status NOT IN ('delivered', 'cancelled') AND lat IS NOT NULL",
            )
            .bind(&today)
            .fetch_one(&pool)
            .await
            .unwrap()
        };
        let runs_today = || async {
            sqlx::query_as::<_, (String, String, i64)>(
                "SELECT u.email, r.status, (SELECT COUNT(*) FROM run_stops s WHERE s.run_id = r.id)
                   FROM runs r JOIN users u ON u.id = r.driver_id WHERE r.day = ?",
            )
            .bind(&today)
            .fetch_all(&pool)
            .await
            .unwrap()
        };
        let (planned, unplanned) = publish_today(&pool, &cfg).await.unwrap();
        let open = open_today().await;
        assert_eq!((planned + unplanned) as i64, open);
        let runs = runs_today().await;
        if open > 0 {
            assert!(planned > 0, "none of today's {open} deliveries was planned");
            let [(driver, status, stops)] = &runs[..] else {
                panic!("one run expected: {runs:?}")
            };
            assert_eq!(driver, "driver@hearth.demo");
            assert_eq!(status, "published");
            assert_eq!(*stops, planned as i64);
        } else {
            assert!(runs.is_empty(), "{runs:?}");
        }
        // A day without open deliveries (in the demo, any Sunday): nothing planned, no run.
        sqlx::query(
            "UPDATE orders SET status = 'delivered' WHERE fulfil_on = ? AND status <> 'cancelled'",
        )
        .bind(&today)
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(open_today().await, 0);
        assert_eq!(publish_today(&pool, &cfg).await.unwrap(), (0, 0));
        let runs = runs_today().await;
        assert!(runs.is_empty(), "{runs:?}");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn the_demo_bakery_is_complete_and_consistent(pool: SqlitePool) {
        let cfg = config();
        let counts = load(&pool, &cfg, false).await.unwrap();
        assert_eq!(counts.districts, 11);
        assert_eq!(counts.customers, 300);
        assert_eq!(counts.products, 15);
        // Six weeks around today, and the year before them.
        assert!((900..=1170).contains(&counts.orders), "{counts:?}");
        consent_and_customers_as_trading_leaves_them(&pool).await;
        every_status_over_a_year_numbered_by_day(&pool, cfg.today()).await;
        deliveries_in_their_districts_on_served_days(&pool).await;
        promotions_and_money_add_up(&pool).await;
    }

    /// Consent given at checkout and on the phone, some withdrawn; customers who ordered.
    async fn consent_and_customers_as_trading_leaves_them(pool: &SqlitePool) {
        // A mix of consent as trading leaves it: given at checkout and on the phone, some
        // withdrawn through the unsubscribe link; every channel held by some, not by most.
        let mix: Vec<(String, bool, String, i64)> = sqlx::query_as(
            "SELECT channel, granted, source, COUNT(*) FROM consents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        for source in ["Website checkout", "Told the bakery", "Unsubscribe link"] {
            assert!(mix.iter().any(|m| m.2 == source), "{source}: {mix:?}");
        }
        let held: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT SUM(email_ok), SUM(sms_ok), SUM(whatsapp_ok) FROM customers")
                .fetch_all(pool)
                .await
                .unwrap();
        let (email, sms, whatsapp) = held[0];
        for n in [email, sms, whatsapp] {
            assert!((10..150).contains(&n), "{held:?}");
        }
        // Customers beyond the recent weeks' 80 have ordered in the year before.
        let never: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert!(never < 30, "{never} customers never ordered");
    }

    /// Every status, a year back and two weeks ahead, numbered in day order.
    async fn every_status_over_a_year_numbered_by_day(pool: &SqlitePool, today: chrono::NaiveDate) {
        // Every status appears, whatever weekday today is.
        let statuses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT status FROM orders")
            .fetch_all(pool)
            .await
            .unwrap();
        for s in crate::orders::model::OrderStatus::ALL {
            assert!(
                statuses.contains(&s.as_str().to_string()),
                "no {} order",
                s.as_str()
            );
        }
        // Orders span a year back and two weeks ahead; numbers follow the days.
        let (min, max): (String, String) =
            sqlx::query_as("SELECT MIN(fulfil_on), MAX(fulfil_on) FROM orders")
                .fetch_one(pool)
                .await
                .unwrap();
        assert!(min <= (today - Duration::days(330)).to_string(), "{min}");
        assert_eq!(max, (today + Duration::days(13)).to_string());
        let out_of_order: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders a JOIN orders b ON a.number < b.number AND a.fulfil_on > b.fulfil_on
             WHERE b.number <= 1000",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            out_of_order, 0,
            "the year's orders are numbered in day order, before the recent ones"
        );
    }

    /// Pinned deliveries fall in their district, on a day it is served; totals add up.
    async fn deliveries_in_their_districts_on_served_days(pool: &SqlitePool) {
        // Pinned deliveries fall in their district, on a day it is served, and totals add up.
        let rings: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT id, boundary, served_weekdays FROM districts")
                .fetch_all(pool)
                .await
                .unwrap();
        type Row = (f64, f64, i64, String, i64, i64, i64, i64);
        let orders: Vec<Row> = sqlx::query_as(
            "SELECT lat, lng, district_id, fulfil_on, subtotal_cents, delivery_fee_cents, total_cents, discount_cents
             FROM orders WHERE fulfilment = 'delivery' AND lat IS NOT NULL",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert!(orders.len() > 80);
        for (lat, lng, district, day, sub, fee, total, discount) in orders {
            let (_, boundary, mask) = rings.iter().find(|(id, _, _)| *id == district).unwrap();
            let ring = ring_from_geojson(boundary).unwrap();
            assert!(
                geometry::point_in_ring(lat, lng, &ring),
                "({lat},{lng}) outside district {district}"
            );
            let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
            assert!(
                serves(*mask as u8, day.weekday()),
                "district {district} not served on {day}"
            );
            assert_eq!(sub + fee - discount, total);
        }
    }

    /// Promotion uses on their orders' discounts, a held-back group, subtotals from lines.
    async fn promotions_and_money_add_up(pool: &SqlitePool) {
        // Past promotions with their uses, each discount on its order (with the points it
        // spent, if any).
        let (uses, mismatched): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), SUM(o.discount_cents <> (SELECT SUM(x.items_cents + x.delivery_cents)
                                                        FROM promotion_uses x WHERE x.order_id = o.id)
                                  + (SELECT COALESCE(SUM(l.cents), 0) FROM loyalty_ledger l
                                     WHERE l.order_id = o.id AND l.kind = 'redeemed'))
             FROM promotion_uses u JOIN orders o ON o.id = u.order_id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert!(uses >= 10, "{uses} promotion uses");
        assert_eq!(mismatched, 0);
        let held_back: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM promotion_codes WHERE held_out = 1")
                .fetch_one(pool)
                .await
                .unwrap();
        assert!(held_back > 0, "a comparison group");
        let item_sums: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders o WHERE o.subtotal_cents <>
               (SELECT SUM(quantity * unit_price_cents) FROM order_items WHERE order_id = o.id)",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(item_sums, 0, "subtotals equal the sum of their lines");
        let needs_location: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders WHERE fulfilment = 'delivery' AND lat IS NULL",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert!(needs_location >= 1, "some orders wait for a pin");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn loading_twice_is_refused_and_reset_replaces_everything(pool: SqlitePool) {
        let cfg = config();
        let first = load(&pool, &cfg, false).await.unwrap();
        let err = load(&pool, &cfg, false).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)));
        let again = load(&pool, &cfg, true).await.unwrap();
        assert_eq!(first, again);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(orders as usize, again.orders);
        let numbers: Vec<i64> = sqlx::query_scalar(
            "SELECT number FROM orders WHERE number IN (1, 2, 1001, 1002) ORDER BY number",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(numbers, vec![1, 2, 1001, 1002], "same data after a reset");
    }
}
