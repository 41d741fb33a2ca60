//! Charts drawn as SVG in the page's HTML: readable with JavaScript off, printed as drawn, and
//! every label set as text (never as markup), so a product or district name shows as typed.
//! Each chart names itself for screen readers; its numbers are in the table beside it.
use leptos::prelude::*;

use super::DistrictProfit;

/// How a chart writes a value (money in the bakery's currency, a count).
pub type Fmt = std::sync::Arc<dyn Fn(f64) -> String + Send + Sync>;

/// Rounds `max` up to a "nice" axis top (1, 2 or 5 × 10ⁿ).
pub fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

/// Vertical bars, one per (label, value); `fmt` writes a value for the axis and tooltips.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, f64)>, fmt: Fmt) -> impl IntoView {
    let (w, h, left, bottom) = (800.0, 260.0, 64.0, 36.0);
    let top = nice_top(bars.iter().map(|b| b.1).fold(0.0, f64::max));
    let n = bars.len().max(1) as f64;
    let slot = (w - left - 8.0) / n;
    let bar_w = (slot * 0.72).max(1.0);
    let plot_h = h - bottom - 10.0;
    // Label every k-th bar so that labels never overlap.
    let every = ((n * 100.0) / (w - left)).ceil().max(1.0) as usize;
    let grid = (0..=4)
        .map(|i| {
            let v = top * i as f64 / 4.0;
            let y = 10.0 + plot_h - plot_h * i as f64 / 4.0;
            view! {
                <line x1=left x2=w - 4.0 y1=y y2=y class="chart-grid"/>
                <text x=left - 6.0 y=y + 4.0 text-anchor="end" class="chart-axis">{fmt(v)}</text>
            }
        })
        .collect_view();
    let rects = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let bh = if top > 0.0 { plot_h * v / top } else { 0.0 };
            let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
            let tip = format!("{label}: {}", fmt(v));
            let show = i % every == 0;
            view! {
                <rect x=x y=10.0 + plot_h - bh width=bar_w height=bh.max(0.0) class="chart-bar">
                    <title>{tip}</title>
                </rect>
                {show.then(|| view! {
                    <text x=x + bar_w / 2.0 y=h - bottom + 16.0 text-anchor="middle" class="chart-axis">{label}</text>
                })}
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {h}") role="img" aria-label=label>
            <title>{title}</title>
            {grid}
            {rects}
        </svg>
    }
}

/// Orders arriving per weekday (rows, Monday first) and hour (columns).
#[component]
pub fn HeatMap(title: String, cells: Vec<Vec<i64>>, max: i64) -> impl IntoView {
    let (left, top, cw, ch) = (44.0, 18.0, 31.0, 26.0);
    let days = crate::words::day_names("days-short");
    let hours = (0..24)
        .filter(|h| h % 3 == 0)
        .map(|h| {
            view! {
                <text x=left + cw * h as f64 + cw / 2.0 y=12.0 text-anchor="middle" class="chart-axis">
                    {format!("{h:02}")}
                </text>
            }
        })
        .collect_view();
    let rows = cells
        .into_iter()
        .enumerate()
        .map(|(d, row)| {
            let y = top + ch * d as f64;
            let boxes = row
                .into_iter()
                .enumerate()
                .map(|(hr, n)| {
                    let share = if max > 0 { n as f64 / max as f64 } else { 0.0 };
                    let tip = crate::words::tr_with(
                        "chart-heat-tip",
                        &[
                            ("day", days[d].clone()),
                            ("from", format!("{hr:02}:00")),
                            ("to", format!("{hr:02}:59")),
                            ("count", n.to_string()),
                        ],
                    );
                    view! {
                        <rect x=left + cw * hr as f64 y=y width=cw - 2.0 height=ch - 2.0 rx=3
                              class="heat-cell" fill-opacity=format!("{:.3}", 0.06 + 0.94 * share)>
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <text x=left - 6.0 y=y + ch / 2.0 + 4.0 text-anchor="end" class="chart-axis">{days[d].clone()}</text>
                {boxes}
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="chart heat" viewBox=format!("0 0 {} {}", left + cw * 24.0 + 4.0, top + ch * 7.0 + 4.0)
             role="img" aria-label=label>
            <title>{title}</title>
            {hours}
            {rows}
        </svg>
    }
}

/// Districts drawn from their outlines, green by profit, red by loss.
#[component]
pub fn ProfitMap(title: String, rows: Vec<DistrictProfit>, fmt: Fmt) -> impl IntoView {
    let shapes: Vec<&DistrictProfit> = rows.iter().filter(|r| r.ring.len() >= 3).collect();
    let pts = shapes.iter().flat_map(|r| r.ring.iter());
    let (mut s, mut n, mut w, mut e) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for p in pts {
        s = s.min(p[0]);
        n = n.max(p[0]);
        w = w.min(p[1]);
        e = e.max(p[1]);
    }
    if shapes.is_empty() {
        return view! { <p class="muted">{crate::words::tr("chart-no-outlines")}</p> }.into_any();
    }
    // Equirectangular at the area's latitude: fine at a city's scale.
    let k = ((s + n) / 2.0).to_radians().cos();
    let width = 600.0;
    let scale = width / ((e - w) * k).max(1e-9);
    let height = ((n - s) * scale).max(1.0);
    let xy = |p: &[f64; 2]| ((p[1] - w) * k * scale, (n - p[0]) * scale);
    let worst = shapes
        .iter()
        .map(|r| r.profit_cents.abs())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let paths = shapes
        .iter()
        .map(|r| {
            let d = r
                .ring
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (x, y) = xy(p);
                    format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" })
                })
                .collect::<String>()
                + "Z";
            let strength = 0.15 + 0.85 * (r.profit_cents.abs() as f64 / worst);
            let class = if r.profit_cents >= 0 { "map-gain" } else { "map-loss" };
            let (cx, cy) = {
                let (sx, sy) = r.ring.iter().map(xy).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
                (sx / r.ring.len() as f64, sy / r.ring.len() as f64)
            };
            let profit = fmt(r.profit_cents as f64);
            let tip = crate::words::tr_with(
                "chart-profit-tip",
                &[
                    ("name", r.name.clone()),
                    ("profit", profit.to_string()),
                    ("count", r.orders.to_string()),
                ],
            );
            view! {
                <path d=d class=class fill-opacity=format!("{strength:.3}")><title>{tip}</title></path>
                <text x=cx y=cy - 4.0 text-anchor="middle" class="map-label">{r.name.clone()}</text>
                <text x=cx y=cy + 12.0 text-anchor="middle" class="map-figure">{profit}</text>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="chart profit-map" viewBox=format!("-4 -4 {} {}", width + 8.0, height + 8.0)
             role="img" aria-label=label>
            <title>{title}</title>
            {paths}
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn axis_tops_are_round() {
        assert_eq!(super::nice_top(0.0), 1.0);
        assert_eq!(super::nice_top(7.0), 10.0);
        assert_eq!(super::nice_top(130.0), 200.0);
        assert_eq!(super::nice_top(4900.0), 5000.0);
        assert_eq!(super::nice_top(100.0), 100.0);
    }
}
