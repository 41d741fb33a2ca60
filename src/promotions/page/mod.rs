//! `/promotions`: every promotion with what it earned (orders, revenue, discount, cost of goods
//! and delivery, margin, new and returning customers, repeat orders, uplift over the customers
//! held back), a form for a new one that warns while typing when it would sell below cost, and
//! personal codes for the customers who agreed to hear from the bakery.
use leptos::prelude::*;

use super::api::{get_promotions, CreatePromotion, SetPromotionActive};
use super::codes::{GetNearby, IssueNearbyCodes, IssuePromotionCodes};
use super::{Choices, PromotionRow};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_with};

mod new;
use new::NewPromotion;

#[component]
pub fn PromotionsPage() -> impl IntoView {
    let create = ServerAction::<CreatePromotion>::new();
    let toggle = ServerAction::<SetPromotionActive>::new();
    let issue = ServerAction::<IssuePromotionCodes>::new();
    let nearby = ServerAction::<IssueNearbyCodes>::new();
    let data = Resource::new(
        move || {
            (
                create.version().get(),
                toggle.version().get(),
                issue.version().get(),
                nearby.version().get(),
            )
        },
        |_| get_promotions(),
    );
    // Codes issued either way: their spreadsheet is saved.
    Effect::new(move |_| {
        if let Some(Ok(c)) = issue.value().get() {
            crate::ui::save_csv(&c.file_name, &c.csv);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(c)) = nearby.value().get() {
            crate::ui::save_csv(&c.file_name, &c.csv);
        }
    });
    view! {
        <PageHeader title=tr("promo-title") subtitle=tr("promo-subtitle")/>
        <Transition fallback=|| view! { <Loading label=tr("promo-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((rows, choices)) => view! {
                        <List rows=rows.clone() currency=choices.currency.clone() toggle/>
                        <div class="grid-2">
                            <NewPromotion choices=choices.clone() create/>
                            <Codes rows=rows.clone() choices issue/>
                        </div>
                        <FillTheVans rows nearby/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <crate::loyalty::ProgramCard/>
    }
}

#[component]
fn List(
    rows: Vec<PromotionRow>,
    currency: String,
    toggle: ServerAction<SetPromotionActive>,
) -> impl IntoView {
    let cur = currency.clone();
    let money = move |c: i64| crate::words::money(c, &cur);
    view! {
        <section class="card" aria-labelledby="promo-list">
            <h2 id="promo-list">{tr("promo-title")}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{tr("promo-none")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table promotions">
                            <thead><tr>
                                <th>{tr("promo-col-promotion")}</th><th class="num">{tr("promo-col-orders")}</th><th class="num">{tr("promo-col-revenue")}</th>
                                <th class="num">{tr("promo-col-discount")}</th><th class="num">{tr("promo-col-costs")}</th><th class="num">{tr("promo-col-margin")}</th>
                                <th class="num">{tr("promo-col-new")}</th><th class="num">{tr("promo-col-again")}</th>
                                <th>{tr("promo-col-held")}</th><th><span class="sr-only">{tr("promo-pause-or-resume")}</span></th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let f = r.figures.clone();
                                let id = r.id;
                                let active = r.active;
                                let costs = if f.items_without_cost > 0 {
                                    tr_with("promo-costs-no-recipe", &[("money", money(f.cogs_cents + f.delivery_cost_cents)), ("count", f.items_without_cost.to_string())])
                                } else {
                                    money(f.cogs_cents + f.delivery_cost_cents)
                                };
                                let uplift = uplift_text(&f, &currency);
                                view! {
                                    <tr class:paused=!active data-testid="promotion-row">
                                        <td>
                                            <strong>{r.name.clone()}</strong>
                                            {(!active).then(|| view! { <span class="chip">{tr("promo-paused")}</span> })}
                                            <div>{r.offer.clone()}</div>
                                            <div class="muted small">{r.rules.clone()}</div>
                                        </td>
                                        <td class="num">{f.orders}</td>
                                        <td class="num">{money(f.revenue_cents)}</td>
                                        <td class="num">{money(f.discount_cents)}</td>
                                        <td class="num">{costs}</td>
                                        <td class="num" class:negative=f.margin_cents < 0>{money(f.margin_cents)}</td>
                                        <td class="num">{format!("{} / {}", f.new_customers, f.returning_customers)}</td>
                                        <td class="num">{f.repeat_60}</td>
                                        <td class="small">{uplift}</td>
                                        <td>
                                            <button type="button" class="btn btn-small"
                                                on:click=move |_| { toggle.dispatch(SetPromotionActive { id, active: !active }); }>
                                                {if active { tr("promo-pause") } else { tr("promo-resume") }}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
        </section>
    }
}

/// What holding a group back showed: whether the promotion paid (margin and ordering against
/// the held-back customers, with their ranges), or how many codes went out without one.
fn uplift_text(f: &super::Figures, currency: &str) -> String {
    match &f.uplift {
        Some(u) => tr_with(
            "promo-uplift",
            &[
                (
                    "verdict",
                    tr(match (u.margin.is_clear(), u.margin.difference > 0.0) {
                        (true, true) => "promo-paid",
                        (true, false) => "promo-cost-more",
                        (false, _) => "promo-unclear",
                    }),
                ),
                ("ordered", points(u.ordered.difference)),
                ("low", points(u.ordered.low)),
                ("high", points(u.ordered.high)),
                ("margin", signed(u.margin.difference, currency)),
                ("margin_low", signed(u.margin.low, currency)),
                ("margin_high", signed(u.margin.high, currency)),
                ("treated", u.treated_customers.to_string()),
                ("held", u.held_back_customers.to_string()),
            ],
        ),
        None if f.codes_issued > 0 => tr_with(
            "promo-codes-issued-none-held",
            &[("count", f.codes_issued.to_string())],
        ),
        None => "—".into(),
    }
}

fn signed(cents: f64, currency: &str) -> String {
    let c = cents.round() as i64;
    if c >= 0 {
        format!("+{}", crate::words::money(c, currency))
    } else {
        crate::words::money(c, currency)
    }
}

/// A share as signed percentage points with one decimal: "+4.2", "+4,2".
fn points(share: f64) -> String {
    let x = share * 100.0;
    let shown = crate::words::number(x, 1);
    if shown.starts_with('-') {
        shown
    } else {
        format!("+{shown}")
    }
}

#[component]
fn Codes(
    rows: Vec<PromotionRow>,
    choices: Choices,
    issue: ServerAction<IssuePromotionCodes>,
) -> impl IntoView {
    let personal: Vec<PromotionRow> = rows
        .into_iter()
        .filter(|r| r.code.is_none() && !r.automatic)
        .collect();
    view! {
        <section class="card" aria-labelledby="promo-codes">
            <h2 id="promo-codes">{tr("promo-personal")}</h2>
            <p class="muted small">{tr("promo-personal-hint")}</p>
            {if personal.is_empty() {
                view! { <p class="muted">{tr("promo-personal-none")}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=issue attr:class="form" attr:aria-label=tr("promo-issue-label")>
                        <label class="field"><span>{tr("promo-col-promotion")}</span>
                            <select name="id">{personal.into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view()}</select></label>
                        <label class="field"><span>{tr("promo-segment")}</span>
                            <select name="segment_id">
                                <option value="">{tr("promo-everyone")}</option>
                                {choices.segments.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                            </select></label>
                        <label class="field"><span>{tr("segments-district")}</span>
                            <select name="district_id">
                                <option value="">{tr("promo-all")}</option>
                                {choices.districts.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                            </select></label>
                        <label class="field"><span>{tr("promo-idle")}</span><input name="idle_days" inputmode="numeric" placeholder=tr("segments-any")/></label>
                        <button type="submit" class="btn btn-primary">{tr("promo-issue")}</button>
                        {move || issue.value().get().map(|r| match r {
                            Ok(c) => view! { <p class="form-ok" role="status">{tr_with("promo-issued", &[("issued", c.issued.to_string()), ("held", c.held_back.to_string())])}</p> }.into_any(),
                            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                        })}
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// "We're in your area": customers near a day's runs who haven't ordered for it, cheapest
/// extra distance first, and personal codes for the nearest of them.
#[component]
fn FillTheVans(rows: Vec<PromotionRow>, nearby: ServerAction<IssueNearbyCodes>) -> impl IntoView {
    // Loaded when asked (an action, not a resource): the list is not part of the page's first
    // render, so nothing in it can differ between the server's HTML and the hydrated page.
    let find = ServerAction::<GetNearby>::new();
    let personal: Vec<PromotionRow> = rows
        .into_iter()
        .filter(|r| r.code.is_none() && !r.automatic && r.active)
        .collect();
    view! {
        <section class="card" aria-labelledby="promo-nearby">
            <h2 id="promo-nearby">{tr("promo-nearby")}</h2>
            <p class="muted small">{tr("promo-nearby-hint")}</p>
            <ActionForm action=find attr:class="form form-inline" attr:aria-label=tr("promo-nearby-label")>
                <label class="field"><span>{tr("promo-day")}</span><input type="date" name="day"/></label>
                <button type="submit" class="btn">{tr("promo-find")}</button>
            </ActionForm>
            {move || find.value().get().map(|r| match r {
                Ok((rows, shown)) => {
                    let n = rows.len();
                    let body = rows.into_iter().map(|c| {
                        let channels = c.channels.iter().map(|ch| tr(&format!("channel-{}", ch.code()))).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr data-testid="nearby-row">
                                <td><a href=format!("/customers/{}", c.customer_id)>{c.name}</a></td>
                                <td>{c.district.unwrap_or_default()}</td>
                                <td>{c.run}</td>
                                <td class="num">{format!("+{} km", crate::words::number(c.extra_km, 1))}</td>
                                <td>{if channels.is_empty() { "—".to_string() } else { channels }}</td>
                            </tr>
                        }
                    }).collect_view();
                    let personal = personal.clone();
                    if n == 0 {
                        view! { <p class="muted">{tr_with("promo-nearby-empty", &[("day", crate::words::day(&shown, "date-short"))])}</p> }.into_any()
                    } else {
                        view! {
                            <p class="muted small">{tr_with(if n == 1 { "promo-nearby-found-one" } else { "promo-nearby-found-other" }, &[("count", n.to_string()), ("day", crate::words::day(&shown, "date-short"))])}</p>
                            <div class="table-scroll" tabindex="0">
                                <table class="table">
                                    <thead><tr><th>{tr("promo-col-customer")}</th><th>{tr("segments-district")}</th><th>{tr("promo-col-run")}</th><th class="num">{tr("promo-col-extra")}</th><th>{tr("promo-col-agreed")}</th></tr></thead>
                                    <tbody>{body}</tbody>
                                </table>
                            </div>
                            {(!personal.is_empty()).then(|| view! {
                                <ActionForm action=nearby attr:class="form form-inline" attr:aria-label=tr("promo-nearby-codes-label")>
                                    <input type="hidden" name="day" value=shown.clone()/>
                                    <label class="field"><span>{tr("promo-col-promotion")}</span>
                                        <select name="id">{personal.iter().map(|r| view! { <option value=r.id.to_string()>{r.name.clone()}</option> }).collect_view()}</select></label>
                                    <label class="field field-narrow"><span>{tr("promo-how-many")}</span><input name="limit" inputmode="numeric" value="20"/></label>
                                    <button type="submit" class="btn btn-primary">{tr("promo-give")}</button>
                                </ActionForm>
                            })}
                        }.into_any()
                    }
                }
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            {move || nearby.value().get().map(|r| match r {
                Ok(c) => view! { <p class="form-ok" role="status">{tr_with("promo-issued", &[("issued", c.issued.to_string()), ("held", c.held_back.to_string())])}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
