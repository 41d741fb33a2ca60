//! The phone-order form's parts: what they share (`Form`), each field's problems, the item
//! lines, the running total and the "order taken" panel.
use leptos::prelude::*;

use super::super::phone::{CreatePhoneOrder, PhoneQuote, ProductChoice};
use super::ROWS;
use crate::words::{money as format_cents, tr, tr_with};

/// The windows offered when the district's day sets none.
const COMMON_WINDOWS: [&str; 4] = ["09:00-11:00", "11:00-13:00", "16:00-18:00", "18:00-20:00"];

/// What the form's parts share: the fields as typed, which ones the caller has answered,
/// whether "Take order" was pressed, the take itself, the last quote and the currency. All
/// signals, so each part gets its own copy.
#[derive(Clone, Copy)]
pub(super) struct Form {
    pub fields: RwSignal<super::PhoneFields>,
    pub touched: RwSignal<Vec<String>>,
    pub tried: RwSignal<bool>,
    pub create: ServerAction<CreatePhoneOrder>,
    pub last_quote: RwSignal<PhoneQuote>,
    pub cur: StoredValue<String>,
}

impl Form {
    /// The order this form took: the form is locked until "Take another order".
    pub fn taken(self) -> Option<i64> {
        self.create.value().get().and_then(Result::ok)
    }

    /// Marks `field` as answered: its problems show from now on.
    pub fn touch(self, field: &str) {
        self.touched.update(|t| {
            if !t.iter().any(|x| x == field) {
                t.push(field.to_string())
            }
        });
    }

    /// What typing in a field does: `f` writes it into the fields, and `name` is answered.
    pub fn set(
        self,
        f: fn(&mut super::PhoneFields, String),
        name: &'static str,
    ) -> impl Fn(leptos::ev::Event) + Copy + Send + Sync + 'static {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            self.fields.update(|x| f(x, v));
            self.touch(name);
        }
    }

    pub fn money(self, cents: i64) -> String {
        self.cur.with_value(|cur| format_cents(cents, cur))
    }

    /// `field`'s problems beside it: the take's refusal of it, else — once the caller has
    /// answered it or pressed "Take order" — what the quote says of it ("items": of any line).
    pub fn problem(self, field: String) -> impl Fn() -> Option<AnyView> + Send + Sync {
        move || {
            let shown = self.tried.get() || self.touched.with(|t| t.contains(&field));
            let refused = self.create.value().with(|v| match v {
                Some(Err(e)) if e.field() == Some(field.as_str()) => Some(e.to_string()),
                _ => None,
            });
            let quoted = || {
                self.last_quote.with(|q| {
                    q.problems
                        .iter()
                        .filter(|(f, _)| {
                            *f == field || (field == "items" && f.starts_with("items"))
                        })
                        .map(|(_, m)| m.clone())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
            };
            refused
                .or_else(|| shown.then(quoted).filter(|m| !m.is_empty()))
                .map(|m| view! { <span class="field-error" role="alert">{m}</span> }.into_any())
        }
    }
}

/// Once taken: the order's number, who, how and when, the total, and the next steps.
#[component]
pub(super) fn Taken(
    form: Form,
    another: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let success = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if form.taken().is_some() {
            if let Some(el) = success.get() {
                let _ = el.focus();
            }
        }
    });
    let fields = form.fields;
    view! {
        <div class="phone-taken" node_ref=success tabindex="-1">
            {move || form.taken().map(|n| view! {
                <div class="form-ok phone-done" role="status">
                    <strong>{tr_with("phone-taken", &[("number", n.to_string())])}</strong>
                    <span>{fields.with(|f| format!("{} · {} · {}", f.name,
                        if f.fulfilment == "pickup" { tr("pickup").to_lowercase() } else { tr("delivery").to_lowercase() },
                        crate::words::day(&f.date, "date-short-year")))}</span>
                    <span>{move || format!("{} {}", tr("total"), form.money(form.last_quote.with(|q| q.total_cents)))}</span>
                    <div class="runs-buttons">
                        <button type="button" class="btn btn-primary" on:click=move |_| another()>{tr("phone-another")}</button>
                        <a class="btn" href=fields.with(|f| format!("/orders?day={}&q=%23{n}", f.date))>{tr("phone-show-on-board")}</a>
                    </div>
                </div>
            })}
        </div>
    }
}

/// The item lines: a product and a quantity each, with the line's problems.
#[component]
pub(super) fn ItemLines(form: Form, products: Vec<ProductChoice>) -> impl IntoView {
    let fields = form.fields;
    let line = move |i: usize| {
        let options = products
            .iter()
            .map(|p| view! {
                <option value=p.sku.clone()>{format!("{} · {}", p.name, form.money(p.price_cents))}</option>
            })
            .collect_view();
        let field = format!("items[{i}]");
        let touch = move || form.touch(&format!("items[{i}]"));
        view! {
            <div class="line">
                <select aria-label=tr_with("phone-product-n", &[("n", (i + 1).to_string())])
                    prop:value=move || fields.with(|f| f.items[i].sku.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); fields.update(|f| f.items[i].sku = v); touch(); }>
                    <option value="">"—"</option>
                    {options}
                </select>
                <input type="number" min="1" max="99" aria-label=tr_with("phone-quantity-n", &[("n", (i + 1).to_string())])
                    prop:value=move || fields.with(|f| f.items[i].quantity.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); fields.update(|f| f.items[i].quantity = v); touch(); }/>
                {form.problem(field)}
            </div>
        }
    };
    view! {
        <fieldset class="lines">
            <legend>{tr("phone-items")}</legend>
            {(0..ROWS).map(line).collect_view()}
            {form.problem("items".into())}
        </fieldset>
    }
}

/// The running total as the caller is read it: items, delivery, discounts, total, the
/// district, and the next days that would take the order when this one cannot.
#[component]
pub(super) fn Total(form: Form) -> impl IntoView {
    let fields = form.fields;
    move || {
        let q = form.last_quote.get();
        let delivery = fields.with(|f| f.fulfilment == "delivery");
        view! {
            <div class="phone-total" data-testid="phone-total" aria-live="polite">
                <span>{format!("{} {}", tr("phone-items"), form.money(q.subtotal_cents))}</span>
                {delivery.then(|| view! { <span>{format!("{} {}", tr("delivery"), form.money(q.fee_cents))}</span> })}
                {q.discounts.iter().map(|(name, cents)| view! {
                    <span class="discount">{format!("{name} −{}", form.money(*cents))}</span>
                }).collect_view()}
                <strong>{format!("{} {}", tr("total"), form.money(q.total_cents))}</strong>
                {q.district.clone().map(|d| view! { <span class="muted small">{d}</span> })}
                {(!q.next_dates.is_empty()).then(|| view! {
                    <span class="muted small next-dates">{format!("{} ", tr("phone-next-possible"))}
                        {q.next_dates.iter().map(|d| {
                            let day = d.clone();
                            view! {
                                <button type="button" class="btn btn-small btn-ghost"
                                    on:click=move |_| fields.update(|f| f.date = day.clone())>
                                    {crate::words::day(d, "date-short-year")}
                                </button>
                            }
                        }).collect_view()}
                    </span>
                })}
            </div>
        }
    }
}

/// The district's windows for the day once the pin and day are known; until then (or on a
/// day that offers none) the usual two-hour windows. A chosen window stays listed so its
/// refusal can be read.
pub(super) fn window_options(form: Form) -> impl IntoView {
    let offered = form.last_quote.with(|q| q.windows.clone());
    let mut list = if offered.is_empty() {
        COMMON_WINDOWS.iter().map(|w| w.to_string()).collect()
    } else {
        offered
    };
    let chosen = form.fields.with(|f| f.window.clone().unwrap_or_default());
    if !chosen.is_empty() && !list.contains(&chosen) {
        list.push(chosen.clone());
    }
    std::iter::once(
        view! { <option value="" selected=chosen.is_empty()>{tr("phone-any-time")}</option> }
            .into_any(),
    )
    .chain(list.into_iter().map(|w| {
        let label = w.replace('-', "–");
        let selected = w == chosen;
        view! { <option value=w selected=selected>{label}</option> }.into_any()
    }))
    .collect_view()
}
