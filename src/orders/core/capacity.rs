//! What the bakery can still take: stops per district-day and units per product-day. One
//! query loads what is booked over a range of days (`Booked::load`); every question after that
//! (`delivery_refusal`, `units_refusal`, `next_dates`) is a pure function of that snapshot, so
//! the storefront, phone orders, edits, day moves and pins all ask the same thing the same way.
//!
//! The booked counts come from `capacity_used`, which triggers keep equal to a recount of the
//! orders (see the tests in `storefront::calendar`). Products with a recipe at a station that
//! has a limit (the kitchen's ovens) also count in whole batches per station and bake day.
//! (Over 400 lines: a third of it is the tests, kept beside the rules they check.)
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::districts::model::{serves, District};
use crate::said::{money, said_count, said_with, weekday, weekdays};

/// One product line as capacity sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub product_id: i64,
    pub name: String,
    pub quantity: i64,
    /// The product's daily capacity.
    pub capacity: i64,
    /// The weekdays it is baked (bit 0 = Monday).
    pub offered: i64,
    /// Days of notice a customer must give.
    pub lead_days: i64,
}

/// A refusal: the field to name, the sentence for the person, and the days that would work.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub field: String,
    pub message: String,
    pub next: Vec<String>,
}

/// What is booked from `from` to `to`, with what a change takes back out of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Booked {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    stops: HashMap<(i64, NaiveDate), i64>,
    units: HashMap<(i64, NaiveDate), i64>,
    /// Product → (its recipe's station, units a batch makes).
    recipes: HashMap<i64, (String, i64)>,
    /// Station → batches it can bake in a day (stations with a limit only).
    stations: HashMap<String, i64>,
    /// The ingredients, when booking checks the pantry (see `pantry`).
    pantry: Option<super::pantry::Pantry>,
}

impl Booked {
    /// Loads every counter from `from` to `to` (inclusive) in one query, the ovens' limits,
    /// and (when booking checks it) the pantry from `today` on, for every product.
    #[cfg(feature = "ssr")]
    pub async fn load(
        conn: &mut sqlx::SqliteConnection,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Booked, crate::error::AppError> {
        Self::load_for(conn, from, to, today, None).await
    }

    /// The same, with the pantry's side only for the ingredients `products` use (an order's
    /// own lines): what one order's check needs, not the whole ledger.
    #[cfg(feature = "ssr")]
    pub async fn load_for(
        conn: &mut sqlx::SqliteConnection,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
        products: Option<&[i64]>,
    ) -> Result<Booked, crate::error::AppError> {
        // One statement with the calendar (`booking::read`), and the pantry's when it is on.
        Ok(super::booking::read(conn, (from, to), today, &[], products)
            .await?
            .2)
    }

    /// The snapshot from its rows (JSON arrays): the counters from `from` to `to`, the ovens'
    /// limits, and their recipes.
    #[cfg(feature = "ssr")]
    pub(super) fn from_rows(
        (from, to): (NaiveDate, NaiveDate),
        used: &str,
        stations: &str,
        recipes: &str,
    ) -> Result<Booked, crate::error::AppError> {
        let mut booked = Booked {
            from: Some(from),
            to: Some(to),
            ..Booked::default()
        };
        let used: Vec<(String, i64, String, i64)> = crate::server::db::json_rows(used)?;
        for (kind, ref_id, day, used) in used {
            let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
                continue;
            };
            match kind.as_str() {
                "stops" => booked.stops.insert((ref_id, day), used),
                _ => booked.units.insert((ref_id, day), used),
            };
        }
        let stations: Vec<(String, i64)> = crate::server::db::json_rows(stations)?;
        booked.stations = stations
            .into_iter()
            .map(|(name, batches)| (name.to_lowercase(), batches))
            .collect();
        let recipes: Vec<(i64, String, i64)> = crate::server::db::json_rows(recipes)?;
        booked.recipes = recipes
            .into_iter()
            .map(|(product, station, batch_yield)| (product, (station.to_lowercase(), batch_yield)))
            .collect();
        Ok(booked)
    }

    /// The pantry's side of the snapshot (tests, and callers that already hold it).
    pub fn with_pantry(mut self, pantry: super::pantry::Pantry) -> Booked {
        self.pantry = Some(pantry);
        self
    }

    /// The kitchen's side of the snapshot: recipes (product → station, batch yield) and the
    /// stations' batches per day (tests, and callers that already hold them).
    pub fn with_stations(
        mut self,
        recipes: impl IntoIterator<Item = (i64, (String, i64))>,
        stations: impl IntoIterator<Item = (String, i64)>,
    ) -> Booked {
        self.recipes = recipes
            .into_iter()
            .map(|(p, (s, y))| (p, (s.to_lowercase(), y)))
            .collect();
        self.stations = stations
            .into_iter()
            .map(|(s, n)| (s.to_lowercase(), n))
            .collect();
        self
    }

    /// Whole batches booked at `station` on `day`, with `extra` units (product → units) added.
    fn batches_at(&self, station: &str, day: NaiveDate, extra: &HashMap<i64, i64>) -> i64 {
        self.recipes
            .iter()
            .filter(|(_, (s, _))| s == station)
            .map(|(p, (_, y))| {
                let units = self.units.get(&(*p, day)).copied().unwrap_or(0)
                    + extra.get(p).copied().unwrap_or(0);
                (units + y - 1).max(0) / (*y).max(1)
            })
            .sum()
    }

    /// A snapshot built by hand (tests, and callers that already hold the counts).
    pub fn from_counts(
        stops: impl IntoIterator<Item = ((i64, NaiveDate), i64)>,
        units: impl IntoIterator<Item = ((i64, NaiveDate), i64)>,
    ) -> Booked {
        Booked {
            from: None,
            to: None,
            stops: stops.into_iter().collect(),
            units: units.into_iter().collect(),
            ..Booked::default()
        }
    }

    fn covers(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }

    pub fn stops(&self, district: i64, day: NaiveDate) -> i64 {
        debug_assert!(self.covers(day), "{day} is outside the loaded range");
        self.stops.get(&(district, day)).copied().unwrap_or(0)
    }

    pub fn units(&self, product: i64, day: NaiveDate) -> i64 {
        debug_assert!(self.covers(day), "{day} is outside the loaded range");
        self.units.get(&(product, day)).copied().unwrap_or(0)
    }

    /// Takes an order's own load off `day`, so that checking it against another day (or its
    /// new items against its own day) does not count it twice.
    pub fn release(&mut self, district: Option<i64>, lines: &[Line], day: NaiveDate) {
        if let Some(d) = district {
            if let Some(n) = self.stops.get_mut(&(d, day)) {
                *n = (*n - 1).max(0);
            }
        }
        for l in lines {
            if let Some(n) = self.units.get_mut(&(l.product_id, day)) {
                *n = (*n - l.quantity).max(0);
            }
        }
        if let Some(p) = self.pantry.as_mut() {
            p.release(lines, day);
        }
    }
}

/// How many counter rows disagree with a recount of the orders themselves (0 when the triggers
/// kept `capacity_used` right). The invariant the tests of every writer check.
#[cfg(feature = "ssr")]
pub async fn drift(pool: &sqlx::SqlitePool) -> Result<i64, crate::error::AppError> {
    Ok(sqlx::query_scalar!(
        r#"WITH truth AS (
             SELECT 'stops' AS kind, district_id AS ref_id, fulfil_on AS day, COUNT(*) AS used FROM orders
             WHERE fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL
             GROUP BY district_id, fulfil_on
             UNION ALL
             SELECT 'units', i.product_id, o.fulfil_on, SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE o.status <> 'cancelled' GROUP BY i.product_id, o.fulfil_on)
         SELECT COUNT(*) AS "n!: i64" FROM (
             SELECT kind, ref_id, day, used FROM truth
             EXCEPT SELECT kind, ref_id, day, used FROM capacity_used WHERE used > 0
             UNION ALL
             SELECT kind, ref_id, day, used FROM capacity_used WHERE used > 0
             EXCEPT SELECT kind, ref_id, day, used FROM truth)"#
    )
    .fetch_one(pool)
    .await?)
}

/// Why a delivery to `district` with `lines` does not fit on `day`, or None when it does.
/// Checks the served weekday, the stops left, the minimum order and each product's units.
pub fn delivery_refusal(
    booked: &Booked,
    district: &District,
    lines: &[Line],
    subtotal_cents: i64,
    day: NaiveDate,
    currency: &str,
) -> Option<Refusal> {
    if let Some(r) = stop_refusal(booked, district, day) {
        return Some(r);
    }
    if subtotal_cents < district.min_order_cents {
        return Some(refusal(
            "items",
            said_with(
                "refuse-min-order",
                &[
                    ("district", &district.name),
                    ("minimum", &money(district.min_order_cents, currency)),
                    ("total", &money(subtotal_cents, currency)),
                ],
            ),
        ));
    }
    units_refusal(booked, lines, day)
}

/// Why `district` takes no more stops on `day` (not served that weekday, or full), or None.
pub fn stop_refusal(booked: &Booked, district: &District, day: NaiveDate) -> Option<Refusal> {
    if !serves(district.served_weekdays, day.weekday()) {
        return Some(refusal(
            "fulfilment.date",
            said_with(
                "refuse-not-served",
                &[
                    ("district", &district.name),
                    ("days", &weekdays(district.served_weekdays)),
                    ("weekday", &weekday(day)),
                ],
            ),
        ));
    }
    (booked.stops(district.id, day) >= district.capacity_per_day).then(|| {
        refusal(
            "fulfilment.date",
            said_with(
                "refuse-no-slots",
                &[("district", &district.name), ("day", &day)],
            ),
        )
    })
}

/// Why the kitchen cannot make `lines` on `day` (the first product short, the first station
/// that would need more batches than it can bake that day, or an ingredient the pantry can't
/// cover when booking checks it), or None.
pub fn units_refusal(booked: &Booked, lines: &[Line], day: NaiveDate) -> Option<Refusal> {
    let Some((i, line, left)) = lines.iter().enumerate().find_map(|(i, l)| {
        let left = l.capacity - booked.units(l.product_id, day);
        (l.quantity > left).then_some((i, l, left.max(0)))
    }) else {
        return station_refusal(booked, lines, day)
            .or_else(|| booked.pantry.as_ref()?.refusal(lines, day));
    };
    let message = if left == 0 {
        said_with("refuse-sold-out", &[("product", &line.name), ("day", &day)])
    } else {
        said_with(
            "refuse-only-left",
            &[("left", &left), ("product", &line.name), ("day", &day)],
        )
    };
    Some(refusal(&format!("items[{i}].quantity"), message))
}

/// Why a station (an oven) cannot bake the batches `lines` add on `day`, or None. An order
/// that fits in batches already booked (the rest of a tray) always fits.
fn station_refusal(booked: &Booked, lines: &[Line], day: NaiveDate) -> Option<Refusal> {
    if booked.stations.is_empty() {
        return None;
    }
    let mut extra: HashMap<i64, i64> = HashMap::new();
    for l in lines {
        *extra.entry(l.product_id).or_default() += l.quantity;
    }
    lines.iter().enumerate().find_map(|(i, l)| {
        let (station, batch) = booked.recipes.get(&l.product_id)?;
        let cap = *booked.stations.get(station)?;
        let before = booked.batches_at(station, day, &HashMap::new());
        let after = booked.batches_at(station, day, &extra);
        // The line named is one that needs a batch of its own.
        let units = booked.units.get(&(l.product_id, day)).copied().unwrap_or(0);
        let own = |u: i64| (u + batch - 1).max(0) / (*batch).max(1);
        let adds = own(units + extra[&l.product_id]) > own(units);
        (after > cap && after > before && adds).then(|| {
            let name = station;
            refusal(
                &format!("items[{i}].quantity"),
                if before >= cap {
                    said_with(
                        "refuse-station-full",
                        &[
                            ("station", name),
                            ("day", &day),
                            ("cap", &cap),
                            ("product", &l.name),
                        ],
                    )
                } else {
                    said_count(
                        "refuse-station-room",
                        cap - before,
                        &[
                            ("station", name),
                            ("day", &day),
                            ("needs", &(after - before)),
                        ],
                    )
                },
            )
        })
    })
}

/// Up to three of `days` on which the order would fit: `open` says the calendar allows the
/// day (see `calendar`), and the district (when delivered) has a stop and the kitchen the units.
pub fn next_dates(
    booked: &Booked,
    district: Option<&District>,
    lines: &[Line],
    days: impl IntoIterator<Item = NaiveDate>,
    open: impl Fn(NaiveDate) -> bool,
) -> Vec<String> {
    days.into_iter()
        .filter(|&day| {
            open(day)
                && district.is_none_or(|d| stop_refusal(booked, d, day).is_none())
                && units_refusal(booked, lines, day).is_none()
        })
        .take(3)
        .map(|d| d.to_string())
        .collect()
}

fn refusal(field: &str, message: String) -> Refusal {
    Refusal {
        field: field.to_string(),
        message,
        next: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn centro() -> District {
        District {
            id: 1,
            name: "Centro".into(),
            colour: "#123456".into(),
            ring: vec![],
            holes: vec![],
            // Monday, Wednesday, Friday.
            served_weekdays: 0b0010101,
            delivery_fee_cents: 300,
            min_order_cents: 1500,
            capacity_per_day: 2,
            windows: Default::default(),
        }
    }

    fn bread(quantity: i64) -> Vec<Line> {
        vec![Line {
            product_id: 9,
            name: "Sourdough".into(),
            quantity,
            capacity: 10,
            offered: 127,
            lead_days: 0,
        }]
    }

    #[test]
    fn each_rule_refuses_with_the_storefront_wording() {
        // 2026-12-07 is a Monday, 2026-12-08 a Tuesday.
        let (mon, tue) = (day("2026-12-07"), day("2026-12-08"));
        let booked = Booked::from_counts([((1, mon), 2)], [((9, tue), 8)]);
        let d = centro();
        let r = delivery_refusal(&booked, &d, &bread(1), 2000, tue, "EUR").unwrap();
        assert_eq!(r.field, "fulfilment.date");
        assert!(r.message.contains("not on Tuesday"), "{}", r.message);
        let r = delivery_refusal(&booked, &d, &bread(1), 2000, mon, "EUR").unwrap();
        assert!(r.message.contains("no delivery slots left on 2026-12-07"));
        let wed = day("2026-12-09");
        let r = delivery_refusal(&booked, &d, &bread(1), 1000, wed, "EUR").unwrap();
        assert_eq!(r.field, "items");
        assert_eq!(
            delivery_refusal(&booked, &d, &bread(1), 2000, wed, "EUR"),
            None
        );
        let r = units_refusal(&booked, &bread(3), tue).unwrap();
        assert_eq!(
            (r.field.as_str(), r.message.as_str()),
            (
                "items[0].quantity",
                "Only 2 × Sourdough left on 2026-12-08."
            )
        );
    }

    #[test]
    fn releasing_an_order_gives_its_own_stop_and_units_back() {
        let mon = day("2026-12-07");
        let mut booked = Booked::from_counts([((1, mon), 2)], [((9, mon), 10)]);
        let d = centro();
        assert!(delivery_refusal(&booked, &d, &bread(2), 2000, mon, "EUR").is_some());
        booked.release(Some(1), &bread(2), mon);
        assert_eq!(booked.stops(1, mon), 1);
        assert_eq!(booked.units(9, mon), 8);
        assert_eq!(
            delivery_refusal(&booked, &d, &bread(2), 2000, mon, "EUR"),
            None
        );
    }

    #[test]
    fn next_dates_skip_unserved_full_and_sold_out_days() {
        let from = day("2026-12-07");
        let booked = Booked::from_counts([((1, from), 2)], [((9, day("2026-12-09")), 10)]);
        let fortnight = || (0..14).map(|i| from + chrono::Duration::days(i));
        let next = next_dates(&booked, Some(&centro()), &bread(1), fortnight(), |_| true);
        // Mon full, Tue/Thu/Sat/Sun unserved, Wed sold out: Fri 11, Mon 14, Wed 16.
        assert_eq!(next, ["2026-12-11", "2026-12-14", "2026-12-16"]);
        let pickups = next_dates(&booked, None, &bread(1), fortnight(), |d| {
            matches!(d.weekday(), chrono::Weekday::Wed | chrono::Weekday::Thu)
        });
        assert_eq!(pickups, ["2026-12-10", "2026-12-16", "2026-12-17"]);
    }

    #[test]
    fn a_full_oven_refuses_new_batches_but_not_the_rest_of_a_tray() {
        let mon = day("2026-12-07");
        // Loaves (10 a batch) and focaccia (6 a tray) share the deck oven: 3 batches a day.
        let line = |id, name: &str, quantity| Line {
            product_id: id,
            name: name.into(),
            quantity,
            capacity: 1000,
            offered: 127,
            lead_days: 0,
        };
        let booked = Booked::from_counts([], [((1, mon), 15), ((2, mon), 4)]).with_stations(
            [
                (1, ("Deck oven".to_string(), 10)),
                (2, ("Deck oven".to_string(), 6)),
            ],
            [("deck oven".to_string(), 3)],
        );
        // 2 batches of loaves + 1 tray of focaccia: full. The rest of each still fits.
        assert_eq!(units_refusal(&booked, &[line(1, "Loaf", 5)], mon), None);
        assert_eq!(units_refusal(&booked, &[line(2, "Focaccia", 2)], mon), None);
        let r = units_refusal(&booked, &[line(2, "Focaccia", 2), line(1, "Loaf", 6)], mon).unwrap();
        assert_eq!(r.field, "items[1].quantity");
        assert!(
            r.message
                .contains("deck oven is fully booked on 2026-12-07"),
            "{}",
            r.message
        );
        // Another day has room; a product without a recipe or station limit is not counted.
        let tue = day("2026-12-08");
        assert_eq!(units_refusal(&booked, &[line(1, "Loaf", 30)], tue), None);
        assert!(units_refusal(&booked, &[line(1, "Loaf", 31)], tue)
            .unwrap()
            .message
            .contains("room for 3 more batches on 2026-12-08; this order needs 4"));
        assert_eq!(units_refusal(&booked, &[line(3, "Cake", 50)], mon), None);
        let next = next_dates(&booked, None, &[line(1, "Loaf", 6)], [mon, tue], |_| true);
        assert_eq!(next, ["2026-12-08"]);
    }
}
