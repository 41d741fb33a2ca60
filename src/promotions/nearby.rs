//! "We're in your area": for the runs planned on a day, the customers near them who have not
//! ordered for that day, ranked by the extra distance their stop would add to the run it suits
//! best (the cheapest insertion between two consecutive stops of the planned route, kitchen to
//! kitchen, by the route planner's own distances) — offers that fill the van where it is going
//! anyway.
use serde::{Deserialize, Serialize};

/// A customer worth an offer for a day's runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nearby {
    pub customer_id: i64,
    pub name: String,
    pub district: Option<String>,
    /// The run (its driver) their stop would join.
    pub run: String,
    /// Extra km the stop would add to that run.
    pub extra_km: f64,
    /// Channels they agreed to (empty: no offer can be sent).
    pub channels: Vec<crate::customers::Channel>,
}

/// The extra metres of visiting point `x` on `route` (kitchen, stops…, kitchen; indexes into
/// `m`), at its cheapest place between two consecutive points.
#[cfg(feature = "ssr")]
pub fn insertion_m(route: &[usize], x: usize, m: &crate::runs::matrix::Matrix) -> f64 {
    route
        .windows(2)
        .map(|w| m.metres(w[0], x) + m.metres(x, w[1]) - m.metres(w[0], w[1]))
        .fold(f64::INFINITY, f64::min)
}

/// How close (straight line) to a stop of a run a customer must live to be "next to" it.
#[cfg(feature = "ssr")]
const NEAR_M: f64 = 1500.0;

/// The customers with a pin near `day`'s runs (within 1.5 km of one of their stops) and no order
/// for that day, cheapest extra distance first. The distances are the route planner's own
/// (`runs::plan::travel_table`: the road server when one is configured, else the straight line
/// × detour), one table for the kitchen, every stop and every customer near.
#[cfg(feature = "ssr")]
pub async fn candidates(
    pool: &sqlx::SqlitePool,
    config: &crate::server::config::Config,
    day: &str,
) -> Result<Vec<Nearby>, crate::error::AppError> {
    use crate::runs::matrix::Point;
    let settings = crate::runs::plan::settings(pool).await?;
    let Some(kitchen) = settings.kitchen else {
        return Ok(vec![]);
    };
    let (mut points, runs) = day_runs(pool, day, kitchen).await?;
    let customers = sqlx::query!(
        r#"SELECT c.id AS "id!", c.name, d.name AS "district?", c.lat AS "lat!: f64", c.lng AS "lng!: f64",
                  c.email_ok AS "email!: bool", c.sms_ok AS "sms!: bool", c.whatsapp_ok AS "whatsapp!: bool"
           FROM customers c LEFT JOIN districts d ON d.id = c.district_id
           WHERE c.erased_at IS NULL AND c.lat IS NOT NULL AND c.lng IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.fulfil_on = ?
                             AND o.status <> 'cancelled')"#,
        day
    )
    .fetch_all(pool)
    .await?;
    // Who lives next to which runs (straight line), before asking for any distance.
    let stops_end = points.len();
    let mut near = Vec::new();
    for c in customers {
        let x = Point {
            lat: c.lat,
            lng: c.lng,
        };
        let runs_near = runs_near(&points, &runs, x);
        if !runs_near.is_empty() {
            points.push(x);
            near.push((c, runs_near));
        }
    }
    if near.is_empty() {
        return Ok(vec![]);
    }
    let m = crate::runs::plan::travel_table(config, &settings, &points).await?;
    let mut out = Vec::new();
    for (i, (c, runs_near)) in near.into_iter().enumerate() {
        let x = stops_end + i;
        let Some((run, metres)) = runs_near
            .into_iter()
            .map(|r| (r, insertion_m(&runs[r].2, x, &m)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        use crate::customers::Channel;
        let channels = [
            (Channel::Email, c.email),
            (Channel::Sms, c.sms),
            (Channel::Whatsapp, c.whatsapp),
        ];
        out.push(Nearby {
            customer_id: c.id,
            name: c.name,
            district: c.district,
            run: runs[run].1.clone(),
            extra_km: (metres.max(0.0) / 100.0).round() / 10.0,
            channels: channels.into_iter().filter(|c| c.1).map(|c| c.0).collect(),
        });
    }
    out.sort_by(|a, b| {
        a.extra_km
            .total_cmp(&b.extra_km)
            .then(a.customer_id.cmp(&b.customer_id))
    });
    Ok(out)
}

/// The day's runs as a travel table's points, the kitchen (0) then every stop, and each run as
/// (id, driver, its route as indexes, kitchen to kitchen).
#[cfg(feature = "ssr")]
async fn day_runs(
    pool: &sqlx::SqlitePool,
    day: &str,
    kitchen: crate::runs::matrix::Point,
) -> Result<(Vec<crate::runs::matrix::Point>, Vec<DayRun>), crate::error::AppError> {
    use crate::runs::matrix::Point;
    let stops = sqlx::query!(
        r#"SELECT s.run_id, u.name AS driver, o.lat AS "lat!: f64", o.lng AS "lng!: f64"
           FROM run_stops s JOIN runs r ON r.id = s.run_id JOIN users u ON u.id = r.driver_id
           JOIN orders o ON o.id = s.order_id
           WHERE r.day = ? AND o.lat IS NOT NULL AND o.lng IS NOT NULL AND o.status <> 'cancelled'
           ORDER BY s.run_id, s.seq"#,
        day
    )
    .fetch_all(pool)
    .await?;
    let mut points = vec![kitchen];
    let mut runs: Vec<DayRun> = Vec::new();
    for s in stops {
        points.push(Point {
            lat: s.lat,
            lng: s.lng,
        });
        let at = points.len() - 1;
        match runs.last_mut() {
            Some((id, _, route)) if *id == s.run_id => route.push(at),
            _ => runs.push((s.run_id, s.driver, vec![0, at])),
        }
    }
    for (_, _, route) in runs.iter_mut() {
        route.push(0);
    }
    Ok((points, runs))
}

/// The runs (indexes into `runs`) with a stop within [`NEAR_M`] of `x`, in a straight line.
#[cfg(feature = "ssr")]
fn runs_near(
    points: &[crate::runs::matrix::Point],
    runs: &[DayRun],
    x: crate::runs::matrix::Point,
) -> Vec<usize> {
    use crate::runs::matrix::haversine_m;
    runs.iter()
        .enumerate()
        .filter(|(_, (_, _, route))| {
            route[1..route.len() - 1]
                .iter()
                .any(|&s| haversine_m(points[s], x) <= NEAR_M)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A run of the day: its id, its driver's name, and its route as indexes into the points.
#[cfg(feature = "ssr")]
type DayRun = (i64, String, Vec<usize>);

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::runs::matrix::Point;

    #[test]
    fn a_stop_on_the_way_costs_nothing_and_a_detour_costs_its_cheapest_insertion() {
        use crate::runs::matrix::StraightLine;
        // Kitchen at the origin, one stop 0.02° north (≈ 2.2 km), back.
        let k = Point {
            lat: 40.0,
            lng: -3.7,
        };
        let s = Point {
            lat: 40.02,
            lng: -3.7,
        };
        let halfway = Point {
            lat: 40.01,
            lng: -3.7,
        };
        // 0.01° of longitude east of the stop (≈ 850 m): between the stop and the way back.
        let east = Point {
            lat: 40.02,
            lng: -3.69,
        };
        let points = [k, s, halfway, east];
        let route = [0, 1, 0];
        let straight = |detour| {
            StraightLine {
                detour,
                speed_kmh: 30.0,
            }
            .table_now(&points)
        };
        let m = straight(1.0);
        assert!(insertion_m(&route, 2, &m) < 1.0);
        let h = crate::runs::matrix::haversine_m;
        let expect = h(s, east) + h(east, k) - h(s, k);
        let extra = insertion_m(&route, 3, &m);
        assert!((extra - expect).abs() < 1.0, "{extra} vs {expect}");
        assert!(extra > 0.0 && extra < 2.0 * h(s, east));
        assert!((insertion_m(&route, 3, &straight(1.3)) - 1.3 * extra).abs() < 1.0);
    }
}
