//! `/customers/:id`: one customer — contact, figures (orders, spend, average, first and last
//! order, favourites, RFM), every order linked to its drawer, preferences, allergies, notes and
//! tags, consent per channel with its history, records that may be the same person, standing
//! orders, and loyalty points with referrals.
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::card::{get_customer, MergeCustomers, SaveCustomerProfile, SetConsent};
use super::CustomerCard;
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money as format_cents, tr, tr_count, tr_with};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveCustomerProfile>::new();
    let consent = ServerAction::<SetConsent>::new();
    let merge = ServerAction::<MergeCustomers>::new();
    let create = ServerAction::<crate::standing::CreateStandingOrder>::new();
    let change = ServerAction::<crate::standing::ChangeStandingOrder>::new();
    let terms = ServerAction::<crate::standing::ChangeStandingTerms>::new();
    let adjust = ServerAction::<crate::loyalty::api::AdjustPoints>::new();
    // The page reloads once a standing order is booked or its terms changed, not on a
    // refusal (which would clear the form being corrected).
    let booked = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            booked.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if change.value().with(Option::is_some) {
            terms.value().set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = terms.value().get() {
            change.value().set(None);
            booked.update(|n| *n += 1);
        }
    });
    let data = Resource::new(
        move || {
            (
                id(),
                save.version().get(),
                consent.version().get(),
                merge.version().get(),
                booked.get(),
                change.version().get(),
                adjust.version().get(),
            )
        },
        |(id, ..)| get_customer(id),
    );
    view! {
        <Transition fallback=|| view! { <Loading label=tr("card-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <Card c save consent merge create change terms adjust/> }.into_any(),
                    Err(error) => view! { <PageHeader title=tr("drawer-customer")/><ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Everything the bakery knows of one customer, section by section.
#[component]
fn Card(
    c: CustomerCard,
    save: ServerAction<SaveCustomerProfile>,
    consent: ServerAction<SetConsent>,
    merge: ServerAction<MergeCustomers>,
    create: ServerAction<crate::standing::CreateStandingOrder>,
    change: ServerAction<crate::standing::ChangeStandingOrder>,
    terms: ServerAction<crate::standing::ChangeStandingTerms>,
    adjust: ServerAction<crate::loyalty::api::AdjustPoints>,
) -> impl IntoView {
    let subtitle = format!(
        "{}{}",
        tr_with(
            "card-since",
            &[("since", crate::words::day(&c.since, "date-day-month-year"))]
        ),
        c.district
            .clone()
            .map(|d| format!(" · {d}"))
            .unwrap_or_default()
    );
    let (id, standing, products) = (c.id, c.standing.clone(), c.products.clone());
    let (loyalty, currency) = (c.loyalty.clone(), c.currency.clone());
    view! {
        <PageHeader title=c.name.clone() subtitle=subtitle/>
        <div class="grid-2 customer-card">
            <Facts c=c.clone()/>
            <Profile c=c.clone() save/>
        </div>
        <div class="grid-2">
            <Consent c=c.clone() consent/>
            <Duplicates c=c.clone() merge/>
        </div>
        <crate::standing::StandingPanel customer_id=id standing products currency=c.currency.clone() create change terms places=c.places.clone()/>
        <crate::loyalty::LoyaltyPanel card=loyalty currency adjust/>
        <Orders c/>
    }
}

/// Contact details and the figures: orders, spend, average, first and last, favourites, RFM.
#[component]
fn Facts(c: CustomerCard) -> impl IntoView {
    let money = |v: i64| format_cents(v, &c.currency);
    let rfm = c.rfm.map_or_else(
        || tr("card-rfm-none"),
        |(r, f, m)| {
            tr_with(
                "card-rfm",
                &[
                    ("r", r.to_string()),
                    ("f", f.to_string()),
                    ("m", m.to_string()),
                ],
            )
        },
    );
    let favourites = if c.favourites.is_empty() {
        "—".to_string()
    } else {
        c.favourites
            .iter()
            .map(|(n, q)| format!("{n} ({q})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let or_dash = |v: &Option<String>| {
        v.as_deref().map_or_else(
            || "—".into(),
            |d| crate::words::day(d, "date-day-month-year"),
        )
    };
    view! {
        <section class="card" aria-labelledby="cust-contact">
            <h2 id="cust-contact">{tr("card-contact")}</h2>
            <dl class="facts">
                <dt>{tr("stock-phone")}</dt><dd><a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a></dd>
                <dt>{tr("login-email")}</dt><dd>{c.email.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{tr("sheet-address")}</dt><dd>{c.address.clone().unwrap_or_else(|| "—".into())}</dd>
                {(c.places.len() > 1).then(|| view! {
                    <dt>{tr("card-places")}</dt>
                    <dd><ul class="plain-list">{c.places.iter().map(|p| {
                        let text = match &p.district {
                            Some(d) => format!("{} · {d}", p.address),
                            None => p.address.clone(),
                        };
                        view! { <li>{text}</li> }
                    }).collect_view()}</ul></dd>
                })}
            </dl>
            <h2>{tr("card-figures")}</h2>
            <dl class="facts" data-testid="customer-figures">
                <dt>{tr("nav-orders")}</dt><dd>{c.order_count}</dd>
                <dt>{tr("cust-spent")}</dt><dd>{money(c.spent_cents)}</dd>
                <dt>{tr("card-average")}</dt><dd>{money(c.average_cents)}</dd>
                <dt>{tr("card-first-last")}</dt><dd>{format!("{} / {}", or_dash(&c.first_order), or_dash(&c.last_order))}</dd>
                <dt>{tr("card-favourites")}</dt><dd>{favourites}</dd>
                <dt>"RFM"</dt><dd>{rfm}</dd>
            </dl>
        </section>
    }
}

/// What the bakery knows of their tastes: allergies, preferences, tags, notes.
#[component]
fn Profile(c: CustomerCard, save: ServerAction<SaveCustomerProfile>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="cust-profile">
            <h2 id="cust-profile">{tr("card-what-we-know")}</h2>
            <ActionForm action=save attr:class="form" attr:aria-label=tr("card-profile")>
                <input type="hidden" name="id" value=c.id.to_string()/>
                <label class="field"><span>{tr("card-allergies")}</span>
                    <input name="allergies" maxlength="300" value=c.allergies.clone()/></label>
                <label class="field"><span>{tr("card-preferences")}</span>
                    <input name="preferences" maxlength="500" value=c.preferences.clone() placeholder=tr("card-preferences-hint")/></label>
                <label class="field"><span>{tr("card-tags")}</span>
                    <input name="tags" value=c.tags.join(", ") placeholder="regular, office"/></label>
                <label class="field"><span>{tr("drawer-notes")}</span>
                    <textarea name="notes" rows="3" maxlength="2000">{c.notes.clone()}</textarea></label>
                <button type="submit" class="btn btn-primary">{tr("save")}</button>
                {move || save.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </ActionForm>
        </section>
    }
}

/// Consent per channel (record a consent or a withdrawal the customer told the bakery),
/// their unsubscribe link, and every consent given or withdrawn.
#[component]
fn Consent(c: CustomerCard, consent: ServerAction<SetConsent>) -> impl IntoView {
    let id = c.id;
    view! {
        <section class="card" aria-labelledby="cust-consent">
            <h2 id="cust-consent">{tr("card-consent")}</h2>
            <ul class="consents">
                {c.consent.iter().map(|(ch, on)| {
                    let (ch, on) = (*ch, *on);
                    view! {
                        <li data-testid=format!("consent-{}", ch.code())>
                            <span>{ch.label()}</span>
                            <strong>{if on { tr("card-agreed") } else { tr("card-no") }}</strong>
                            <button type="button" class="btn btn-small"
                                on:click=move |_| { consent.dispatch(SetConsent { id, channel: ch.code().into(), granted: !on, how: "Told the bakery".into() }); }>
                                {if on { tr("card-record-withdrawal") } else { tr("card-record-consent") }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || consent.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <p class="muted small unsub-link">{format!("{} ", tr("card-unsubscribe-link"))} <a href=c.unsubscribe_url.clone() target="_blank" rel="noopener">{c.unsubscribe_url.clone()}</a></p>
            <h3>{tr("drawer-history")}</h3>
            {if c.consent_history.is_empty() {
                view! { <p class="muted">{tr("card-no-consent")}</p> }.into_any()
            } else {
                view! {
                    <ul class="consent-history">
                        {c.consent_history.iter().map(|l| view! {
                            <li>{format!("{} · {} {} · {}", l.at, l.channel.label(), if l.granted { tr("card-given") } else { tr("card-withdrawn") }, l.source)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Other records that look like the same person, each with Merge (its orders come here).
#[component]
fn Duplicates(c: CustomerCard, merge: ServerAction<MergeCustomers>) -> impl IntoView {
    let id = c.id;
    view! {
        <section class="card" aria-labelledby="cust-dupes">
            <h2 id="cust-dupes">{tr("card-duplicates")}</h2>
            {if c.duplicates.is_empty() {
                view! { <p class="muted">{tr("card-no-duplicates")}</p> }.into_any()
            } else {
                view! {
                    <ul class="duplicates">
                        {c.duplicates.clone().into_iter().map(|d| {
                            let from = d.id;
                            view! {
                                <li>
                                    <A href=format!("/customers/{}", d.id)>{d.name.clone()}</A>
                                    {format!(" · {} · {} · {} ", d.phone, d.why, tr_count("kitchen-orders", d.orders as usize))}
                                    <button type="button" class="btn btn-small"
                                        on:click=move |_| { merge.dispatch(MergeCustomers { from, into: id }); }>
                                        {tr("card-merge")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || merge.value().get().map(|r| match r {
                Ok(n) => view! { <p class="form-ok" role="status">{tr_with("card-merged", &[("count", n.to_string())])}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

/// Every order, the latest first, each linked to the board's drawer.
#[component]
fn Orders(c: CustomerCard) -> impl IntoView {
    let cur = c.currency.clone();
    view! {
        <section class="card" aria-labelledby="cust-orders">
            <h2 id="cust-orders">{tr("nav-orders")}</h2>
            {if c.orders.is_empty() {
                view! { <p class="muted">{tr("card-no-orders")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table class="table">
                            <thead><tr><th>{tr("driver-order")}</th><th>{tr("dash-day")}</th><th>{tr("card-stage")}</th><th>{tr("card-promotion")}</th><th class="num">{tr("total")}</th></tr></thead>
                            <tbody>{c.orders.into_iter().map(|o| view! {
                                <tr>
                                    <td><A href=format!("/orders?day={}&order={}", o.day, o.id)>{format!("#{}", o.number)}</A></td>
                                    <td>{crate::words::day(&o.day, "date-short-year")}</td>
                                    <td>{tr(&format!("status-{}", o.status))}</td>
                                    <td>{o.promo.clone().unwrap_or_default()}</td>
                                    <td class="num">{format_cents(o.total_cents, &cur)}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
