//! Reading runs for the page, the run sheet and the driver; publishing.
use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::matrix::{haversine_m, Point};
use super::model::{DayPlan, DayTab, DriverChoice, Run, RunSheet, RunStop, SheetStop, Unplanned};
use super::plan::{local_clock, settings, Settings};
use crate::error::AppError;
use crate::orders::model::{first_name, window_label, OrderChange, OrderStatus};
use crate::server::config::Config;

/// The runs of a day (all, or one driver's published ones), with costs worked out.
pub async fn runs(
    pool: &SqlitePool,
    config: &Config,
    s: &Settings,
    day: &str,
    driver: Option<i64>,
) -> Result<Vec<Run>, AppError> {
    let heads = sqlx::query!(
        r#"SELECT r.id AS "id!", r.driver_id, u.name AS driver, r.status, r.shift_start, r.shift_end,
                  r.capacity, r.distance_m, r.duration_s, r.depart_at, r.return_at, r.cash_handed_at,
                  (SELECT name FROM users WHERE id = r.cash_handed_to) AS "cash_handed_to?: String"
           FROM runs r JOIN users u ON u.id = r.driver_id
           WHERE r.day = ? AND (? IS NULL OR (r.driver_id = ? AND r.status = 'published'))
           ORDER BY u.name"#,
        day,
        driver,
        driver
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(heads.len());
    for h in heads {
        let mut stops = stops_of(pool, config, h.id).await?;
        price(s, &mut stops);
        // The driver is paid for driving and handing over, not for waiting between windows
        // (they go back to the kitchen or off the clock).
        let km = h.distance_m as f64 / 1000.0;
        let working_hours = km / s.speed_kmh + stops.len() as f64 * s.service_s / 3600.0;
        let cost = km * s.cost_per_km_cents as f64 + working_hours * s.driver_per_hour_cents as f64;
        let load = stops.iter().map(|st| st.items).sum();
        out.push(Run {
            id: h.id,
            driver_id: h.driver_id,
            driver: h.driver,
            published: h.status == "published",
            shift: format!("{}–{}", h.shift_start, h.shift_end),
            capacity: h.capacity,
            load,
            distance_km: (h.distance_m as f64 / 100.0).round() / 10.0,
            duration_min: (h.duration_s as f64 / 60.0).round() as i64,
            working_min: (working_hours * 60.0).round() as i64,
            depart: h
                .depart_at
                .as_deref()
                .map(|t| local_clock(config, t))
                .unwrap_or_default(),
            back: h
                .return_at
                .as_deref()
                .map(|t| local_clock(config, t))
                .unwrap_or_default(),
            cost_cents: cost.round() as i64,
            stops,
            cash_handed: h.cash_handed_at.as_deref().map(|t| {
                crate::said::said_with(
                    "runs-handed-by",
                    &[
                        ("time", &local_clock(config, t)),
                        ("name", &h.cash_handed_to.clone().unwrap_or_default()),
                    ],
                )
            }),
        });
    }
    Ok(out)
}

/// The stops of run `run_id` in order, each with its order's facts (costs not yet worked out).
async fn stops_of(
    pool: &SqlitePool,
    config: &Config,
    run_id: i64,
) -> Result<Vec<RunStop>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT s.order_id, s.seq, s.locked AS "locked: bool", s.eta, s.late AS "late: bool", s.leg_m,
                  o.number, c.name, COALESCE(o.address, '') AS "address!: String",
                  o.lat AS "lat!: f64", o.lng AS "lng!: f64", o.window_from, o.window_to, o.status,
                  s.outcome, s.cash_collected_cents,
                  CASE WHEN o.payment_method = 'cod' THEN o.total_cents ELSE 0 END AS "cod!: i64",
                  (SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE order_id = o.id) AS "items!: i64"
           FROM run_stops s JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id
           WHERE s.run_id = ? ORDER BY s.seq"#,
        run_id
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RunStop {
                order_id: r.order_id,
                number: r.number,
                seq: r.seq,
                customer: first_name(&r.name),
                address: r.address,
                lat: r.lat,
                lng: r.lng,
                window: window_label(r.window_from, r.window_to),
                eta: local_clock(config, &r.eta),
                late: r.late,
                locked: r.locked,
                items: r.items,
                leg_km: r.leg_m as f64 / 1000.0,
                outcome: r.outcome,
                cod_cents: r.cod,
                cash_collected_cents: r.cash_collected_cents,
                own_cost_cents: 0,
                third_party_cents: 0,
                status: OrderStatus::parse(&r.status)
                    .map_err(|_| AppError::internal("orders.status", &r.status))?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()
}

/// Each stop's own marginal cost (the distance and time the run saves without it) and the
/// third-party price (base + per km from the kitchen, same travel model).
fn price(s: &Settings, stops: &mut [RunStop]) {
    let Some(kitchen) = s.kitchen else { return };
    let km = |a: Point, b: Point| haversine_m(a, b) * s.detour / 1000.0;
    let hours_per_km = 1.0 / s.speed_kmh;
    let pts: Vec<Point> = stops
        .iter()
        .map(|st| Point {
            lat: st.lat,
            lng: st.lng,
        })
        .collect();
    for i in 0..stops.len() {
        let prev = if i == 0 { kitchen } else { pts[i - 1] };
        let next = if i + 1 == pts.len() {
            kitchen
        } else {
            pts[i + 1]
        };
        let saved_km = (km(prev, pts[i]) + km(pts[i], next) - km(prev, next)).max(0.0);
        let saved_hours = saved_km * hours_per_km + s.service_s / 3600.0;
        let own =
            saved_km * s.cost_per_km_cents as f64 + saved_hours * s.driver_per_hour_cents as f64;
        let third = s.third_party_base_cents as f64
            + km(kitchen, pts[i]) * s.third_party_per_km_cents as f64;
        stops[i].own_cost_cents = own.round() as i64;
        stops[i].third_party_cents = third.round() as i64;
    }
}

/// Why the solver left an order off every run, in `lang`: stored as a code (runs planned before
/// the codes kept the solver's English sentence, shown as it is).
pub fn unplanned_reason(lang: &crate::i18n::Lang, stored: String) -> String {
    match stored.as_str() {
        "too_large" => lang.t("runs-unserved-too-large"),
        "unreachable" => lang.t("runs-unserved-unreachable"),
        "no_room" => lang.t("runs-unserved-no-room"),
        _ => stored,
    }
}

pub async fn day_plan(
    pool: &SqlitePool,
    config: &Config,
    lang: &crate::i18n::Lang,
    day: NaiveDate,
) -> Result<DayPlan, AppError> {
    let key = day.to_string();
    let s = settings(pool).await?;
    let runs = runs(pool, config, &s, &key, None).await?;
    let unplanned = unplanned(pool, lang, &key).await?;
    let drivers = sqlx::query!(
        r#"SELECT id AS "id!", name, van_capacity, shift_start, shift_end FROM users
           WHERE role = 'driver' AND active = 1 ORDER BY name"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|d| DriverChoice {
        on_run: runs.iter().any(|r| r.driver_id == d.id),
        own_van: d.van_capacity.is_some() || d.shift_start.is_some() || d.shift_end.is_some(),
        van_capacity: d.van_capacity.unwrap_or(s.van_capacity),
        shift_start: d.shift_start.unwrap_or_else(|| s.shift_start.clone()),
        shift_end: d.shift_end.unwrap_or_else(|| s.shift_end.clone()),
        id: d.id,
        name: d.name,
    })
    .collect();
    let days = day_tabs(pool, config, day).await?;
    Ok(DayPlan {
        day: key,
        days,
        currency: config.currency(),
        kitchen: s.kitchen.map(|k| [k.lat, k.lng]),
        kitchen_address: s.kitchen_address,
        runs,
        unplanned,
        drivers,
        tile_url: config.tile_url.clone(),
        tile_attribution: config.tile_attribution.clone(),
    })
}

/// The day's deliveries on no run, each with why (no pin, the planner's reason, not yet).
async fn unplanned(
    pool: &SqlitePool,
    lang: &crate::i18n::Lang,
    key: &str,
) -> Result<Vec<Unplanned>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, c.name, o.window_from, o.window_to, o.lat, x.reason AS "reason?"
           FROM orders o JOIN customers c ON c.id = o.customer_id
           LEFT JOIN run_exclusions x ON x.order_id = o.id
           WHERE o.fulfil_on = ? AND o.fulfilment = 'delivery' AND o.status NOT IN ('delivered', 'cancelled')
             AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)
           ORDER BY COALESCE(o.window_from, '99:99'), o.number"#,
        key
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| Unplanned {
        order_id: r.id,
        number: r.number,
        customer: first_name(&r.name),
        window: window_label(r.window_from, r.window_to),
        reason: match (r.lat, r.reason) {
            (None, _) => lang.t("runs-needs-pin"),
            (_, Some(reason)) => unplanned_reason(lang, reason),
            _ => lang.t("runs-not-yet"),
        },
    })
    .collect();
    Ok(rows)
}

/// The tabs of the days with deliveries to plan, from the day before `day` (or today).
async fn day_tabs(
    pool: &SqlitePool,
    config: &Config,
    day: NaiveDate,
) -> Result<Vec<DayTab>, AppError> {
    let from = (day - chrono::Duration::days(1))
        .min(config.today())
        .to_string();
    let rows = sqlx::query!(
        r#"SELECT o.fulfil_on AS day, COUNT(*) AS "deliveries!: i64",
                  SUM(EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)) AS "planned!: i64"
           FROM orders o
           WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('cancelled', 'delivered') AND o.fulfil_on >= ?
           GROUP BY o.fulfil_on ORDER BY o.fulfil_on LIMIT 10"#,
        from
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|d| DayTab {
        day: d.day,
        deliveries: d.deliveries,
        planned: d.planned,
    })
    .collect();
    Ok(rows)
}

/// Marks the day's runs published; returns a change per order so trackers refresh.
pub async fn publish(
    pool: &SqlitePool,
    day: NaiveDate,
    by: &str,
) -> Result<Vec<OrderChange>, AppError> {
    let key = day.to_string();
    let mut tx = crate::server::db::begin_write(pool).await?;
    let n = sqlx::query!(
        "UPDATE runs SET status = 'published', published_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                version = version + 1 WHERE day = ?",
        key
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(AppError::Conflict(crate::said::said_with(
            "refuse-nothing-to-publish",
            &[("day", &key)],
        )));
    }
    tx.commit().await?;
    day_changes(pool, day, by).await
}

/// A change per order on the day's runs (status unchanged), so open trackers and boards
/// fetch the new arrival times.
pub async fn day_changes(
    pool: &SqlitePool,
    day: NaiveDate,
    by: &str,
) -> Result<Vec<OrderChange>, AppError> {
    let key = day.to_string();
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.status, o.version
           FROM run_stops s JOIN runs r ON r.id = s.run_id JOIN orders o ON o.id = s.order_id
           WHERE r.day = ?"#,
        key
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let status = OrderStatus::parse(&r.status)
                .map_err(|_| AppError::internal("orders.status", &r.status))?;
            Ok(OrderChange {
                order_id: r.id,
                number: r.number,
                from: status,
                status,
                version: r.version,
                by: by.to_string(),
            })
        })
        .collect()
}

/// A QR code of `text` as an SVG element.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(72, 72)
            .quiet_zone(false)
            .build(),
        Err(_) => String::new(),
    }
}

/// A run's line as its reader says it: "11 stops · 30.7 km · leaves 08:57 · back 18:16".
pub fn summary(lang: &crate::i18n::Lang, run: &Run) -> String {
    lang.t_with(
        "run-summary",
        &[
            ("stops", (run.stops.len() as i64).into()),
            ("km", lang.number(run.distance_km, 1).into()),
            ("depart", run.depart.clone().into()),
            ("back", run.back.clone().into()),
        ],
    )
}

/// The run sheet of `run_id`; with `driver`, only if it is that driver's published run.
pub async fn sheet(
    pool: &SqlitePool,
    config: &Config,
    lang: &crate::i18n::Lang,
    run_id: i64,
    driver: Option<i64>,
) -> Result<RunSheet, AppError> {
    let head = sqlx::query!(
        r#"SELECT r.day, r.driver_id, r.status, u.name FROM runs r JOIN users u ON u.id = r.driver_id WHERE r.id = ?"#,
        run_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-run")))?;
    if driver.is_some_and(|d| d != head.driver_id || head.status != "published") {
        return Err(AppError::Forbidden);
    }
    let s = settings(pool).await?;
    let run = runs(pool, config, &s, &head.day, None)
        .await?
        .into_iter()
        .find(|r| r.id == run_id)
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-run")))?;
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", c.name, c.phone, o.tracking_token, o.notes,
                  CASE WHEN o.payment_method = 'cod' AND o.paid = 0 THEN o.total_cents ELSE 0 END AS "cash!: i64",
                  (SELECT GROUP_CONCAT(i.quantity || ' × ' || p.name, ', ') FROM order_items i
                   JOIN products p ON p.id = i.product_id WHERE i.order_id = o.id) AS "items?: String"
           FROM run_stops s JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id
           WHERE s.run_id = ? ORDER BY s.seq"#,
        run_id
    )
    .fetch_all(pool)
    .await?;
    let base = config.public_url.trim_end_matches('/');
    let stops = run
        .stops
        .iter()
        .zip(rows)
        .map(|(st, r)| SheetStop {
            seq: st.seq,
            number: st.number,
            eta: st.eta.clone(),
            window: st.window.clone(),
            customer: r.name,
            phone: r.phone,
            address: st.address.clone(),
            items: r.items.unwrap_or_default(),
            cash_cents: r.cash,
            notes: r.notes.filter(|n| !n.trim().is_empty()),
            qr_svg: qr_svg(&format!("{base}/t/{}", r.tracking_token)),
        })
        .collect::<Vec<_>>();
    let cash: i64 = stops.iter().map(|s| s.cash_cents).sum();
    let day_label = chrono::NaiveDate::parse_from_str(&head.day, "%Y-%m-%d")
        .map(|d| format!("{} {}", lang.date_long(d), d.format("%Y")))
        .unwrap_or(head.day.clone());
    let summary = format!(
        "{} · {}",
        summary(lang, &run),
        lang.t_with(
            "run-cash-to-collect",
            &[("amount", lang.money(cash, &config.currency()).into())]
        )
    );
    Ok(RunSheet {
        business: config.business_name(),
        day_label,
        driver: head.name,
        currency: config.currency(),
        kitchen_address: s.kitchen_address,
        summary,
        stops,
    })
}
