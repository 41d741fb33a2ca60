//! `/customers/segments`: saved segments with their live counts and exports per channel (only
//! customers who agreed to it; every export logged), and an editor that counts as you type.
use leptos::prelude::*;

use super::segments::Rules;
use super::segments_api::{get_segments, CountSegment, ExportSegment, SaveSegment, SegmentsData};
use super::Channel;
use crate::ui::{bound_text, ErrorNotice, Loading, PageHeader};
use crate::words::{tr, tr_count, tr_with};

/// A channel's name in the reader's language.
fn channel(c: Channel) -> String {
    tr(&format!("channel-{}", c.code()))
}

#[component]
pub fn SegmentsPage() -> impl IntoView {
    let save = ServerAction::<SaveSegment>::new();
    let export = ServerAction::<ExportSegment>::new();
    let data = Resource::new(
        move || (save.version().get(), export.version().get()),
        |_| get_segments(),
    );
    Effect::new(move |_| {
        if let Some(Ok(e)) = export.value().get() {
            crate::ui::save_csv(&e.file_name, &e.csv);
        }
    });
    view! {
        <PageHeader title=tr("segments-title") subtitle=tr("segments-subtitle")/>
        <Transition fallback=|| view! { <Loading label=tr("segments-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <div class="grid-2">
                            <Editor d=d.clone() save/>
                            <Saved d export/>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(d: SegmentsData, save: ServerAction<SaveSegment>) -> impl IntoView {
    let rules = RwSignal::new(Rules::default());
    let name = RwSignal::new(String::new());
    let count = counted(rules);
    let (spend, set_spend) = bound_text(rules, |r| &r.min_spend, |r, v| r.min_spend = v);
    let (min_o, set_min_o) = bound_text(rules, |r| &r.min_orders, |r, v| r.min_orders = v);
    let (max_o, set_max_o) = bound_text(rules, |r| &r.max_orders, |r, v| r.max_orders = v);
    let (before, set_before) = bound_text(
        rules,
        |r| &r.last_order_before,
        |r, v| r.last_order_before = v,
    );
    let (after, set_after) = bound_text(
        rules,
        |r| &r.last_order_after,
        |r, v| r.last_order_after = v,
    );
    let (points, set_points) = bound_text(rules, |r| &r.min_points, |r, v| r.min_points = v);
    view! {
        <section class="card" aria-labelledby="seg-edit">
            <h2 id="seg-edit">{tr("segments-new")}</h2>
            <form class="form" aria-label=tr("segments-new") on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveSegment { name: name.get_untracked(), rules: rules.get_untracked() });
            }>
                <div class="form-row">
                    <label class="field"><span>{tr("segments-district")}</span>
                        <select on:change=move |ev| rules.update(|r| r.district_id = event_target_value(&ev).parse().ok())>
                            <option value="">{tr("segments-any")}</option>
                            {d.districts.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span>{tr("segments-bought")}</span>
                        <select on:change=move |ev| rules.update(|r| r.product_id = event_target_value(&ev).parse().ok())>
                            <option value="">{tr("segments-anything")}</option>
                            {d.products.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>{tr("segments-spent")}</span><input inputmode="decimal" prop:value=spend on:input=set_spend placeholder="0.00"/></label>
                    <label class="field field-narrow"><span>{tr("segments-orders-from")}</span><input inputmode="numeric" prop:value=min_o on:input=set_min_o/></label>
                    <label class="field field-narrow"><span>{tr("segments-orders-to")}</span><input inputmode="numeric" prop:value=max_o on:input=set_max_o/></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>{tr("segments-after")}</span><input type="date" prop:value=after on:input=set_after/></label>
                    <label class="field"><span>{tr("segments-before")}</span><input type="date" prop:value=before on:input=set_before/></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>{tr("segments-tag")}</span>
                        <select on:change=move |ev| rules.update(|r| r.tag = event_target_value(&ev))>
                            <option value="">{tr("segments-any")}</option>
                            {d.tags.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span>{tr("segments-agreed")}</span>
                        <select on:change=move |ev| rules.update(|r| r.consent = event_target_value(&ev))>
                            <option value="">{tr("segments-any-channel")}</option>
                            {Channel::ALL.map(|c| view! { <option value=c.code()>{channel(c)}</option> }).collect_view()}
                        </select></label>
                    <label class="field field-narrow"><span>{tr("segments-points")}</span><input inputmode="numeric" prop:value=points on:input=set_points/></label>
                </div>
                <fieldset class="form-row"><legend>{tr("segments-rfm")}</legend>
                    {score(rules, tr("segments-recency"), |r| r.min_recency, |r, v| r.min_recency = v)}
                    {score(rules, tr("segments-frequency"), |r| r.min_frequency, |r, v| r.min_frequency = v)}
                    {score(rules, tr("segments-monetary"), |r| r.min_monetary, |r, v| r.min_monetary = v)}
                </fieldset>
                <p class="segment-count" role="status" aria-live="polite" data-testid="segment-count">
                    {move || count_words(count)}
                </p>
                <label class="field"><span>{tr("segments-name")}</span>
                    <input required maxlength="80" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) placeholder=tr("segments-name-hint")/></label>
                <button type="submit" class="btn btn-primary">{tr("segments-save")}</button>
                {move || save.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="form-ok" role="status">{tr("segments-saved")}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

/// The customers the rules pick, counted again whenever they change: by an action that an
/// effect sends, as a resource here, inside the page's own Transition, could resolve on the
/// server before the page was sent and differ from what the browser hydrated (the page then
/// failed to hydrate).
fn counted(rules: RwSignal<Rules>) -> ServerAction<CountSegment> {
    let count = ServerAction::<CountSegment>::new();
    Effect::new(move |_| {
        let rules = rules.get();
        count.dispatch(CountSegment { rules });
    });
    count
}

/// How many customers the rules pick, and how many of them can be reached on each channel.
fn count_words(count: ServerAction<CountSegment>) -> String {
    match count.value().get() {
        Some(Ok((n, [e, s, w]))) => format!(
            "{} · {}",
            tr_count("segments-customers", n as usize),
            tr_with(
                "segments-reach",
                &[
                    ("email", e.to_string()),
                    ("sms", s.to_string()),
                    ("whatsapp", w.to_string())
                ]
            )
        ),
        Some(Err(e)) => e.to_string(),
        None => tr("segments-counting"),
    }
}

/// One of the RFM scores' least value (any, or 1+ to 5+).
fn score(
    rules: RwSignal<Rules>,
    label: String,
    get: fn(&Rules) -> u8,
    set: fn(&mut Rules, u8),
) -> impl IntoView {
    view! {
        <label class="field field-narrow"><span>{label}</span>
            <select on:change=move |ev| rules.update(|r| set(r, event_target_value(&ev).parse().unwrap_or(0)))>
                {(0u8..=5).map(|v| view! {
                    <option value=v.to_string() selected=move || rules.with(|r| get(r) == v)>{if v == 0 { tr("segments-any") } else { format!("{v}+") }}</option>
                }).collect_view()}
            </select></label>
    }
}

#[component]
fn Saved(d: SegmentsData, export: ServerAction<ExportSegment>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="seg-saved">
            <h2 id="seg-saved">{tr("segments-saved-title")}</h2>
            {if d.segments.is_empty() {
                view! { <p class="muted">{tr("segments-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="segments">
                        {d.segments.into_iter().map(|s| {
                            let id = s.id;
                            view! {
                                <li data-testid="segment">
                                    <strong>{s.name.clone()}</strong>
                                    {format!(" · {}", tr_count("segments-customers", s.count as usize))}
                                    <div class="row-actions">
                                        {Channel::ALL.into_iter().zip(s.reachable).map(|(c, n)| view! {
                                            <button type="button" class="btn btn-small" disabled=n == 0
                                                on:click=move |_| { export.dispatch(ExportSegment { id, channel: c.code().into() }); }>
                                                {tr_with("segments-csv", &[("channel", channel(c)), ("count", n.to_string())])}
                                            </button>
                                        }).collect_view()}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || export.value().get().map(|r| match r {
                Ok(e) => view! { <p class="form-ok" role="status">{tr_count("segments-exported", e.count as usize)}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <h3>{tr("segments-exports")}</h3>
            {if d.exports.is_empty() {
                view! { <p class="muted">{tr("segments-no-export")}</p> }.into_any()
            } else {
                view! {
                    <ul class="exports">
                        {d.exports.into_iter().map(|e| view! {
                            <li>{format!("{} · {} · {} · {} · {}", e.at, e.who, e.segment, e.channel, tr_count("segments-customers", e.count as usize))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
