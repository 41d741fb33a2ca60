//! The stored summaries of the days marked good in `from..=to`.
use chrono::NaiveDate;

use super::{
    ArrivalDay, BookingDay, CancelDay, CashDay, DistrictDay, FailureDay, ItemDay, RunDay, WindowDay,
};

readers! {
    summarised_items -> ItemDay: r#"SELECT x.day AS "day!: NaiveDate", x.district_id AS district, x.product_id AS product, x.units, x.cents
           FROM report_days d JOIN report_day_items x INDEXED BY report_day_items_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_windows -> WindowDay: r#"SELECT x.day AS "day!: NaiveDate", x.slot AS window, x.deliveries
           FROM report_days d JOIN report_day_windows x INDEXED BY report_day_windows_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_districts -> DistrictDay: r#"SELECT x.day AS "day!: NaiveDate", x.district_id AS district, x.orders, x.gross_cents,
                  x.discount_cents, x.total_cents, x.unrun, x.unrun_lat, x.unrun_lng
           FROM report_days d JOIN report_day_districts x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_runs -> RunDay: r#"SELECT x.day AS "day!: NaiveDate", x.district_id AS district, x.km, x.hours
           FROM report_days d JOIN report_day_runs x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_bookings -> BookingDay: r#"SELECT x.day AS "day!: NaiveDate", x.product_id AS product, x.lead, x.units
           FROM report_days d JOIN report_day_bookings x INDEXED BY report_day_bookings_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_arrivals -> ArrivalDay: r#"SELECT x.day AS "day!: NaiveDate", x.hour, x.orders
           FROM report_days d JOIN report_day_arrivals x INDEXED BY report_day_arrivals_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_cancellations -> CancelDay: r#"SELECT x.day AS "day!: NaiveDate", x.reason, x.orders
           FROM report_days d JOIN report_day_cancellations x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_failures -> FailureDay: r#"SELECT x.day AS "day!: NaiveDate", x.district_id AS district, x.reason, x.stops, x.fee_cents
           FROM report_days d JOIN report_day_failures x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
    summarised_cash -> CashDay: r#"SELECT x.day AS "day!: NaiveDate", x.driver_id, x.stops, x.expected_cents, x.collected_cents
           FROM report_days d JOIN report_day_cash x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#;
}
