//! The report's tables as spreadsheets: money as plain decimals (12.50), weekdays by name, text
//! cells made safe from formulas, UTF-8 with a byte-order mark so that spreadsheet programs
//! read accents right.
use super::figures::WEEKDAYS;
use super::{Forecast, Report};
use crate::customers::csv::safe_cell;
use crate::error::AppError;

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn row<const N: usize>(cells: [String; N]) -> Vec<String> {
    cells.into()
}

/// Header and rows of one table of `r` (`table` is one of `api::TABLES`, but the forecast).
pub fn rows(r: &Report, table: &str) -> Vec<Vec<String>> {
    match table {
        "sales" => sales(r),
        "products" => products(r),
        "products-by-district" => products_by_district(r),
        "arrivals" => arrivals(r),
        "windows" => windows(r),
        "reasons" => reasons(r),
        "cash" => cash(r),
        "profit" => profit(r),
        "district-days" => district_days(r),
        "waste" => waste(r),
        "loyalty" => loyalty(r),
        _ => Vec::new(),
    }
}

/// Revenue and orders per period of the chart.
fn sales(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![s("period_start"), s("orders"), s("revenue")]);
    for p in &r.series {
        out.push(row([
            p.start.clone(),
            p.orders.to_string(),
            money(p.revenue_cents),
        ]));
    }
    out
}

/// Each product: units, revenue, cost of goods and margin.
fn products(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![
        s("product"),
        s("units"),
        s("revenue"),
        s("cost_of_goods"),
        s("margin"),
    ]);
    for p in &r.products {
        out.push(row([
            safe_cell(&p.name),
            p.units.to_string(),
            money(p.revenue_cents),
            p.cogs_cents.map(money).unwrap_or_default(),
            p.margin_cents.map(money).unwrap_or_default(),
        ]));
    }
    out
}

/// Units of each product in each district.
fn products_by_district(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![s("product"), s("district"), s("units")]);
    for p in &r.by_district {
        for (d, u) in &p.districts {
            out.push(row([safe_cell(&p.product), safe_cell(d), u.to_string()]));
        }
    }
    out
}

/// When orders arrive: weekday × hour.
fn arrivals(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    let mut head = vec![s("weekday")];
    head.extend((0..24).map(|h| format!("{h:02}:00")));
    out.push(head);
    for (w, cells) in r.heat.cells.iter().enumerate() {
        let mut line = vec![WEEKDAYS[w].to_string()];
        line.extend(cells.iter().map(|n| n.to_string()));
        out.push(line);
    }
    out
}

/// Delivery windows by weekday.
fn windows(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    let mut head = vec![s("window")];
    head.extend(WEEKDAYS.iter().map(|d| d.to_string()));
    head.push(s("total"));
    out.push(head);
    for w in &r.windows {
        let mut line = vec![safe_cell(&w.window)];
        line.extend(w.by_weekday.iter().map(|n| n.to_string()));
        line.push(w.total.to_string());
        out.push(line);
    }
    out
}

/// Cancellations and failed deliveries by reason.
fn reasons(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![s("kind"), s("reason"), s("count")]);
    for c in &r.cancellations {
        out.push(row([
            s("cancelled"),
            safe_cell(&c.reason),
            c.count.to_string(),
        ]));
    }
    for c in &r.failures {
        out.push(row([
            s("failed_delivery"),
            safe_cell(&c.reason),
            c.count.to_string(),
        ]));
    }
    out
}

/// Cash on delivery per driver: expected, collected, the difference.
fn cash(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![
        s("driver"),
        s("stops"),
        s("cash_expected"),
        s("cash_collected"),
        s("difference"),
    ]);
    for c in &r.cash {
        out.push(row([
            safe_cell(&c.driver),
            c.stops.to_string(),
            money(c.expected_cents),
            money(c.collected_cents),
            money(c.collected_cents - c.expected_cents),
        ]));
    }
    out
}

/// Profit per district, then the total.
fn profit(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![
        s("district"),
        s("orders"),
        s("gross"),
        s("discounts"),
        s("cost_of_goods"),
        s("delivery_cost"),
        s("estimated_stops"),
        s("failed_delivery_fees"),
        s("profit"),
    ]);
    for p in r.profit.iter().chain(std::iter::once(&r.profit_total)) {
        out.push(row([
            safe_cell(&p.name),
            p.orders.to_string(),
            money(p.gross_cents),
            money(p.discount_cents),
            money(p.cogs_cents),
            money(p.delivery_cents),
            p.estimated_stops.to_string(),
            money(p.failed_fees_cents),
            money(p.profit_cents),
        ]));
    }
    out
}

/// Each district on each weekday it is served.
fn district_days(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    out.push(vec![
        s("district"),
        s("weekday"),
        s("days"),
        s("orders"),
        s("revenue"),
        s("profit"),
    ]);
    for d in &r.district_days {
        out.push(row([
            safe_cell(&d.district),
            WEEKDAYS[d.weekday.min(6)].to_string(),
            d.days.to_string(),
            d.orders.to_string(),
            money(d.revenue_cents),
            money(d.profit_cents),
        ]));
    }
    out
}

/// What was thrown away, by reason, against what was baked.
fn waste(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = Vec::new();
    let reasons = crate::kitchen::WASTE_REASONS;
    let mut head = vec![s("product"), s("thrown_away"), s("baked")];
    head.extend(reasons.iter().map(|r| r.to_string()));
    head.push(s("cost"));
    out.push(head);
    for w in &r.waste {
        let mut cells = vec![
            safe_cell(&w.product),
            w.wasted.to_string(),
            w.baked.to_string(),
        ];
        cells.extend(reasons.iter().map(|code| {
            let n = w
                .reasons
                .iter()
                .find(|(c, _)| c == code)
                .map_or(0, |(_, n)| *n);
            n.to_string()
        }));
        cells.push(w.cost_cents.map(money).unwrap_or_default());
        out.push(cells);
    }
    out
}

/// The loyalty points of the period and the one before, one line per movement.
fn loyalty(r: &Report) -> Vec<Vec<String>> {
    let s = |t: &str| t.to_string();
    let mut out = vec![vec![s("movement"), s("points"), s("previous_period")]];
    let Some(l) = &r.loyalty else {
        return out;
    };
    let (m, p) = (&l.movement, &l.previous);
    for (name, now, before) in l.rows() {
        out.push(vec![s(name), now.to_string(), before.to_string()]);
    }
    out.push(vec![
        s("discount_given"),
        money(m.redeemed_cents),
        money(p.redeemed_cents),
    ]);
    out.push(vec![s("held_at_end"), l.held.to_string(), String::new()]);
    out.push(vec![s("held_worth"), money(l.held_cents), String::new()]);
    out
}

/// The forecast: one line per product and day.
pub fn forecast_rows(f: &Forecast) -> Vec<Vec<String>> {
    let mut out = vec![[
        "product",
        "day",
        "booked",
        "expected",
        "low",
        "high",
        "daily_limit",
    ]
    .map(String::from)
    .to_vec()];
    for r in &f.rows {
        for c in &r.cells {
            out.push(vec![
                safe_cell(&r.name),
                c.day.clone(),
                c.booked.to_string(),
                format!("{:.1}", c.expected),
                format!("{:.1}", c.low),
                format!("{:.1}", c.high),
                c.capacity.map(|c| c.to_string()).unwrap_or_default(),
            ]);
        }
    }
    out
}

/// The rows as CSV text.
pub fn write(rows: &[Vec<String>]) -> Result<String, AppError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| AppError::internal("csv", e))?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::internal("csv", e))?;
    Ok(format!(
        "\u{feff}{}",
        String::from_utf8(bytes).map_err(|e| AppError::internal("csv", e))?
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_and_quotes() {
        assert_eq!(super::money(-1205), "-12.05");
        assert_eq!(super::money(7), "0.07");
        let csv = super::write(&[vec!["a,b".into(), "=1+1".into()]]).unwrap();
        assert_eq!(csv, "\u{feff}\"a,b\",=1+1\n");
    }
}
