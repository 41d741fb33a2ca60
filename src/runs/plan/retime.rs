//! Re-timing runs without optimising: after the owner reorders a run by hand (`reorder`) or
//! an order's pin moved (`retime_after_move`). The road server is always asked before the
//! write transaction opens; inside it the runs are checked to be as read, else read again.
use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::super::matrix::Matrix;
use super::super::model::{parse_clock, window_seconds};
use super::stops::{points, run_of, stops_of, TimedStop};
use super::{at, settings, timing, travel_table, Settings};
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db;

/// Sets a run's stops to `order_ids` in that order (taking them off other runs of the same
/// day) and re-times every run touched: arrivals, lateness against windows, totals. The road
/// server is asked before the write transaction opens, for the runs as they will be; inside it
/// each touched run is checked to be exactly that (else all is rolled back and read again, up
/// to three times), so a slow road server never holds the write lock.
pub async fn reorder(
    pool: &SqlitePool,
    config: &Config,
    run_id: i64,
    order_ids: &[i64],
) -> Result<(), AppError> {
    let s = settings(pool).await?;
    let kitchen = s.kitchen.ok_or_else(|| {
        AppError::invalid("kitchen", crate::said::said("refuse-kitchen-location"))
    })?;
    let run = sqlx::query!("SELECT day FROM runs WHERE id = ?", run_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-run")))?;
    let day = crate::orders::model::parse_day(&run.day, "day")?;
    let mut seen = std::collections::HashSet::new();
    if !order_ids.iter().all(|id| seen.insert(*id)) {
        return Err(AppError::invalid(
            "order_ids",
            crate::said::said("refuse-stop-twice"),
        ));
    }
    for _ in 0..3 {
        let expected = runs_after(pool, run_id, order_ids).await?;
        let mut tables = Vec::with_capacity(expected.len());
        for (_, read) in &expected {
            tables.push(if read.1.is_empty() {
                None
            } else {
                Some(travel_table(config, &s, &points(kitchen, &read.1)).await?)
            });
        }
        let mut tx = db::begin_write(pool).await?;
        let touched = write_stops(&mut tx, run_id, &run.day, order_ids).await?;
        let mut same = touched.iter().all(|t| expected.iter().any(|(r, _)| r == t));
        for ((r, read), m) in expected.iter().zip(&tables) {
            if !same || stops_of(&mut tx, *r).await? != *read {
                same = false;
                break;
            }
            match m {
                Some(m) => write_times(&mut tx, config, &s, day, *r, read, m).await?,
                None => {
                    sqlx::query!("DELETE FROM runs WHERE id = ?", r)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        if same {
            tx.commit().await?;
            return Ok(());
        }
    }
    Err(AppError::Conflict(crate::said::said(
        "refuse-runs-kept-changing",
    )))
}

/// Each run `reorder` touches, with its stops as they will be: `run_id` with `order_ids`, and
/// every other run that loses one of them without it.
async fn runs_after(
    pool: &SqlitePool,
    run_id: i64,
    order_ids: &[i64],
) -> Result<Vec<(i64, (String, Vec<TimedStop>))>, AppError> {
    let mut conn = pool.acquire().await?;
    let (shift, _) = stops_of(&mut conn, run_id).await?;
    let mut mine = Vec::with_capacity(order_ids.len());
    for &id in order_ids {
        let o = sqlx::query!(
            r#"SELECT lat AS "lat!: f64", lng AS "lng!: f64", window_from, window_to FROM orders
               WHERE id = ? AND lat IS NOT NULL"#,
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(o) = o {
            mine.push(TimedStop {
                order_id: id,
                lat: o.lat,
                lng: o.lng,
                window: (o.window_from, o.window_to),
            });
        }
    }
    let mut out = vec![(run_id, (shift, mine))];
    for &id in order_ids {
        let other = sqlx::query_scalar!("SELECT run_id FROM run_stops WHERE order_id = ?", id)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(other) = other.filter(|o| out.iter().all(|(r, _)| r != o)) {
            let (shift, stops) = stops_of(&mut conn, other).await?;
            let left = stops
                .into_iter()
                .filter(|st| !order_ids.contains(&st.order_id))
                .collect();
            out.push((other, (shift, left)));
        }
    }
    Ok(out)
}

/// Writes `run_id`'s stops as `order_ids` (checked to be deliveries of `day`), taking them off
/// other runs; reports and locks move with their stops. Times are written by the caller; the
/// runs touched are returned.
async fn write_stops(
    tx: &mut db::WriteTx,
    run_id: i64,
    day: &str,
    order_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    check_deliveries(tx, day, order_ids).await?;
    // What the driver reported at these stops, and their locks, move with them.
    let mut kept = std::collections::HashMap::new();
    for &id in order_ids {
        if let Some(k) = sqlx::query!(
            r#"SELECT s.run_id, o.number, s.locked AS "locked: bool", s.outcome, s.outcome_at, s.recipient,
                      s.cash_collected_cents, s.fail_reason, s.fail_note
               FROM run_stops s JOIN orders o ON o.id = s.order_id WHERE s.order_id = ?"#,
            id
        )
        .fetch_optional(&mut **tx)
        .await?
        {
            if k.run_id != run_id && k.outcome.is_some() {
                return Err(AppError::invalid(
                    "order_ids",
                    crate::said::said_with("refuse-reported-their", &[("number", &k.number)]),
                ));
            }
            kept.insert(id, k);
        }
    }
    let touched = detach(tx, run_id, order_ids).await?;
    // Whatever this run had that is not in the new list becomes unplanned, unless the driver
    // already reported it: that record stays on the run.
    let reported = sqlx::query!(
        r#"SELECT s.order_id, o.number FROM run_stops s JOIN orders o ON o.id = s.order_id
           WHERE s.run_id = ? AND s.outcome IS NOT NULL"#,
        run_id
    )
    .fetch_all(&mut **tx)
    .await?;
    if let Some(r) = reported.iter().find(|r| !order_ids.contains(&r.order_id)) {
        return Err(AppError::invalid(
            "order_ids",
            crate::said::said_with("refuse-reported-its", &[("number", &r.number)]),
        ));
    }
    sqlx::query!("DELETE FROM run_stops WHERE run_id = ?", run_id)
        .execute(&mut **tx)
        .await?;
    for (i, &id) in order_ids.iter().enumerate() {
        let seq = i as i64 + 1;
        let k = kept.get(&id);
        let locked = k.is_some_and(|k| k.locked);
        let outcome = k.and_then(|k| k.outcome.clone());
        let outcome_at = k.and_then(|k| k.outcome_at.clone());
        let recipient = k.and_then(|k| k.recipient.clone());
        let cash = k.and_then(|k| k.cash_collected_cents);
        let fail_reason = k.and_then(|k| k.fail_reason.clone());
        let fail_note = k.and_then(|k| k.fail_note.clone());
        sqlx::query!(
            "INSERT INTO run_stops (run_id, order_id, seq, eta, locked, outcome, outcome_at, recipient,
                                    cash_collected_cents, fail_reason, fail_note)
             VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
            run_id,
            id,
            seq,
            locked,
            outcome,
            outcome_at,
            recipient,
            cash,
            fail_reason,
            fail_note
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(touched)
}

/// Refuses any of `order_ids` that is not a delivery of `day` with a pin, still to do.
async fn check_deliveries(
    tx: &mut db::WriteTx,
    day: &str,
    order_ids: &[i64],
) -> Result<(), AppError> {
    for &id in order_ids {
        let ok = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM orders
               WHERE id = ? AND fulfil_on = ? AND fulfilment = 'delivery' AND lat IS NOT NULL
                 AND status NOT IN ('cancelled')"#,
            id,
            day
        )
        .fetch_one(&mut **tx)
        .await?;
        if ok == 0 {
            return Err(AppError::invalid(
                "order_ids",
                crate::said::said_with("refuse-not-delivery-of", &[("id", &id), ("day", &day)]),
            ));
        }
    }
    Ok(())
}

/// Takes `order_ids` off whatever run or exclusion list holds them; returns `run_id` and every
/// run that lost one of them (all to be re-timed).
async fn detach(
    tx: &mut db::WriteTx,
    run_id: i64,
    order_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    // Runs that lose a stop to this one are re-timed too.
    let mut touched: Vec<i64> = vec![run_id];
    for &id in order_ids {
        if let Some(other) =
            sqlx::query_scalar!("SELECT run_id FROM run_stops WHERE order_id = ?", id)
                .fetch_optional(&mut **tx)
                .await?
        {
            if !touched.contains(&other) {
                touched.push(other);
            }
        }
        sqlx::query!("DELETE FROM run_stops WHERE order_id = ?", id)
            .execute(&mut **tx)
            .await?;
        sqlx::query!("DELETE FROM run_exclusions WHERE order_id = ?", id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(touched)
}

/// Re-times the run holding `order_id`, if it is on one, after its stop moved (the order core
/// changed the pin; the runs side follows in its own write). The road server is asked with no
/// lock held: the stops are read, the travel table fetched, then the write transaction checks
/// that the run is still as read (else reads again, up to three times) before writing.
pub async fn retime_after_move(
    pool: &SqlitePool,
    config: &Config,
    order_id: i64,
) -> Result<(), AppError> {
    let s = settings(pool).await?;
    let Some(kitchen) = s.kitchen else {
        return Ok(());
    };
    for _ in 0..3 {
        let mut conn = pool.acquire().await?;
        let Some((run_id, day)) = run_of(&mut conn, order_id).await? else {
            return Ok(());
        };
        let read = stops_of(&mut conn, run_id).await?;
        drop(conn);
        if read.1.is_empty() {
            return Ok(());
        }
        let m = travel_table(config, &s, &points(kitchen, &read.1)).await?;
        let mut tx = db::begin_write(pool).await?;
        if stops_of(&mut tx, run_id).await? == read {
            write_times(&mut tx, config, &s, day, run_id, &read, &m).await?;
            tx.commit().await?;
            return Ok(());
        }
    }
    Err(AppError::Conflict(crate::said::said(
        "refuse-run-kept-changing",
    )))
}

/// Writes a run's arrivals, lateness, legs and totals from its stops and travel table `m`
/// (no optimisation): the driver waits when early; an arrival after the window closes is late.
async fn write_times(
    tx: &mut db::WriteTx,
    config: &Config,
    s: &Settings,
    day: NaiveDate,
    run_id: i64,
    read: &(String, Vec<TimedStop>),
    m: &Matrix,
) -> Result<(), AppError> {
    let (shift_start, stops) = read;
    let mut clock_s = parse_clock(shift_start, "shift_start")?;
    let mut starts = Vec::with_capacity(stops.len());
    let mut late = Vec::with_capacity(stops.len());
    for (i, st) in stops.iter().enumerate() {
        let (ready, due) = window_seconds(st.window.0.as_deref(), st.window.1.as_deref())?;
        clock_s += m.seconds(i, i + 1);
        if let Some(r) = ready {
            clock_s = clock_s.max(r);
        }
        starts.push(clock_s);
        late.push(due.is_some_and(|d| clock_s > d));
        clock_s += s.service_s;
    }
    let nodes: Vec<usize> = (1..=stops.len()).collect();
    let t = timing(m, &nodes, &starts);
    let back = clock_s + m.seconds(stops.len(), 0);
    for (i, st) in stops.iter().enumerate() {
        let eta = at(config, day, starts[i]);
        let seq = i as i64 + 1;
        let (is_late, leg) = (late[i], t.legs[i]);
        sqlx::query!(
            "UPDATE run_stops SET seq = ?, eta = ?, late = ?, leg_m = ? WHERE run_id = ? AND order_id = ?",
            seq,
            eta,
            is_late,
            leg,
            run_id,
            st.order_id
        )
        .execute(&mut **tx)
        .await?;
    }
    let (depart, ret) = (at(config, day, t.depart), at(config, day, back));
    let duration = (back - t.depart).round() as i64;
    sqlx::query!(
        "UPDATE runs SET distance_m = ?, duration_s = ?, depart_at = ?, return_at = ?, version = version + 1,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        t.metres,
        duration,
        depart,
        ret,
        run_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
