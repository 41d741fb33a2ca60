//! The points on a customer's page (balance, next expiry, referral code and referrals, the
//! ledger, an adjustment with a reason) and the programme's card on the promotions page.
use leptos::prelude::*;
use leptos_router::components::A;

use super::api::{get_loyalty, AdjustPoints, SaveLoyalty};
use super::{Card, Summary};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{money, tr, tr_with};

/// A customer's points and referrals.
#[component]
pub fn LoyaltyPanel(
    card: Card,
    currency: String,
    adjust: ServerAction<AdjustPoints>,
) -> impl IntoView {
    let cur = currency.clone();
    let expiry = card.next_expiry.clone().map_or_else(
        || "—".to_string(),
        |(day, points)| {
            tr_with(
                "loyalty-expire-on",
                &[
                    ("points", points.to_string()),
                    ("day", crate::words::day(&day, "date-day-month-year")),
                ],
            )
        },
    );
    let status = |rewarded: bool| {
        if rewarded {
            tr("loyalty-rewarded")
        } else {
            tr("loyalty-waiting")
        }
    };
    let by = card.referred_by.clone().map(|(id, name, rewarded)| {
        view! { <A href=format!("/customers/{id}")>{name}</A>{format!(" · {}", status(rewarded))} }
    });
    view! {
        <section class="card" aria-labelledby="cust-points" data-testid="loyalty">
            <h2 id="cust-points">{tr("loyalty-title")}</h2>
            {(!card.program.enabled).then(|| view! { <p class="muted">{tr("loyalty-off")}</p> })}
            <dl class="facts">
                <dt>{tr("loyalty-points")}</dt>
                <dd data-testid="loyalty-available">{tr_with("loyalty-worth", &[("points", card.available.to_string()), ("amount", money(card.value_cents, &cur))])}</dd>
                <dt>{tr("loyalty-next-expiry")}</dt><dd>{expiry}</dd>
                <dt>{tr("loyalty-referral-code")}</dt><dd><code data-testid="referral-code">{card.referral_code.clone()}</code></dd>
                <dt>{tr("loyalty-referred-by")}</dt><dd>{by.map_or_else(|| view! { "—" }.into_any(), IntoAny::into_any)}</dd>
                <dt>{tr("loyalty-referred")}</dt>
                <dd>{if card.referred.is_empty() { view! { "—" }.into_any() } else {
                    view! { <ul class="plain">{card.referred.iter().cloned().map(|(id, name, rewarded)| view! {
                        <li><A href=format!("/customers/{id}")>{name}</A>{format!(" · {}", status(rewarded))}</li>
                    }).collect_view()}</ul> }.into_any()
                }}</dd>
            </dl>
            <h3>{tr("loyalty-adjust")}</h3>
            <Adjust customer_id=card.customer_id adjust/>
            <h3>{tr("loyalty-ledger")}</h3>
            <Ledger lines=card.lines currency/>
        </section>
    }
}

/// The owner's adjustment: points (negative to take) and the reason.
#[component]
fn Adjust(customer_id: i64, adjust: ServerAction<AdjustPoints>) -> impl IntoView {
    view! {
        <ActionForm action=adjust attr:class="form" attr:aria-label=tr("loyalty-adjust")>
            <input type="hidden" name="customer_id" value=customer_id.to_string()/>
            <div class="form-row">
                <label class="field"><span>{tr("loyalty-points")}</span>
                    <input name="points" inputmode="numeric" placeholder="50 / -50"/></label>
                <label class="field"><span>{tr("loyalty-reason")}</span>
                    <input name="reason" maxlength="200"/></label>
            </div>
            <button type="submit" class="btn">{tr("loyalty-adjust")}</button>
        </ActionForm>
        {move || adjust.value().get().map(|r| match r {
            Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// Every line of the points, newest first, with the balance after it.
#[component]
fn Ledger(lines: Vec<super::LedgerLine>, currency: String) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{tr("loyalty-no-lines")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table" data-testid="loyalty-ledger">
                <thead><tr><th>{tr("dash-day")}</th><th>{tr("loyalty-what")}</th><th>{tr("driver-order")}</th>
                    <th class="num">{tr("loyalty-points")}</th><th class="num">{tr("loyalty-balance")}</th></tr></thead>
                <tbody>{lines.into_iter().map(|l| {
                    let what = match (&l.note, l.cents) {
                        (Some(n), _) => format!("{} · {n}", tr(&format!("loyalty-kind-{}", l.kind))),
                        (None, c) if c > 0 => format!("{} · {}", tr(&format!("loyalty-kind-{}", l.kind)), money(c, &currency)),
                        _ => tr(&format!("loyalty-kind-{}", l.kind)),
                    };
                    view! {
                        <tr>
                            <td class="nowrap">{crate::words::day(&l.day, "date-day-month-year")}</td>
                            <td>{what}</td>
                            <td>{l.order.map(|(id, n, day)| view! { <A href=format!("/orders?day={day}&order={id}")>{format!("#{n}")}</A> })}</td>
                            <td class="num">{if l.points > 0 { format!("+{}", l.points) } else { l.points.to_string() }}</td>
                            <td class="num">{l.balance}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The programme on the promotions page (beside the page's own data, not inside it): its
/// figures and its settings.
#[component]
pub fn ProgramCard() -> impl IntoView {
    let save = ServerAction::<SaveLoyalty>::new();
    let data = Resource::new(move || save.version().get(), |_| get_loyalty());
    view! {
        <section class="card" aria-labelledby="loyalty-title" data-testid="loyalty-program">
            <h2 id="loyalty-title">{tr("loyalty-program")}</h2>
            <Transition fallback=|| view! { <Loading label=tr("loyalty-program")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(s) => view! { <Figures s=s.clone()/><ProgramForm s save/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Figures(s: Summary) -> impl IntoView {
    let m = |c: i64| money(c, &s.currency);
    view! {
        <dl class="facts" data-testid="loyalty-figures">
            <dt>{tr("loyalty-outstanding")}</dt>
            <dd>{tr_with("loyalty-worth", &[("points", s.outstanding.to_string()), ("amount", m(s.outstanding_cents))])}</dd>
            <dt>{tr("loyalty-members")}</dt><dd>{s.members}</dd>
            <dt>{tr("loyalty-last-30")}</dt>
            <dd>{tr_with("loyalty-last-30-figures", &[
                ("earned", s.earned_30.to_string()),
                ("redeemed", s.redeemed_30.to_string()),
                ("amount", m(s.redeemed_cents_30)),
                ("expired", s.expired_30.to_string()),
            ])}</dd>
            <dt>{tr("loyalty-referrals")}</dt>
            <dd>{tr_with("loyalty-referrals-figures", &[("made", s.referrals.to_string()), ("rewarded", s.referrals_rewarded.to_string())])}</dd>
        </dl>
    }
}

#[component]
fn ProgramForm(s: Summary, save: ServerAction<SaveLoyalty>) -> impl IntoView {
    let p = s.program;
    // In the reader's decimals ("5,00" in Spanish); the server reads a comma or a point.
    let value = crate::words::number(p.value_per_100 as f64 / 100.0, 2);
    view! {
        <ActionForm action=save attr:class="form" attr:aria-label=tr("loyalty-program")>
            <label class="check"><input type="checkbox" name="enabled" value="true" checked=p.enabled/>
                <span>{tr("loyalty-enabled")}</span></label>
            <div class="form-row">
                <label class="field"><span>{tr("loyalty-per-unit")}</span>
                    <input name="points_per_unit" inputmode="numeric" value=p.points_per_unit.to_string()/></label>
                <label class="field"><span>{tr("loyalty-value-per-100")}</span>
                    <input name="value_per_100" inputmode="decimal" value=value/></label>
                <label class="field"><span>{tr("loyalty-min-redeem")}</span>
                    <input name="min_redeem" inputmode="numeric" value=p.min_redeem.to_string()/></label>
                <label class="field"><span>{tr("loyalty-expiry-days")}</span>
                    <input name="expiry_days" inputmode="numeric" value=p.expiry_days.to_string()/></label>
                <label class="field"><span>{tr("loyalty-referral-points")}</span>
                    <input name="referral_points" inputmode="numeric" value=p.referral_points.to_string()/></label>
            </div>
            <p class="muted small">{tr("loyalty-how")}</p>
            <button type="submit" class="btn btn-primary">{tr("save")}</button>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </ActionForm>
    }
}
