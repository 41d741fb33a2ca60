//! `/customers/segments`: saved segments with their live counts and exports per channel (only
//! customers who agreed to it; every export logged), and an editor that counts as you type.
use leptos::prelude::*;

use super::segments::Rules;
use super::segments_api::{get_segments, CountSegment, ExportSegment, SaveSegment, SegmentsData};
use super::Channel;
use crate::ui::{ErrorNotice, Loading, PageHeader};

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
        <PageHeader title="Segments" subtitle="Groups of customers by what they do; they update themselves"/>
        <Transition fallback=|| view! { <Loading label="Loading segments"/> }>
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
    // Counted by an action that an effect sends whenever the rules change: a resource here,
    // inside the page's own Transition, could resolve on the server before the page was sent
    // and differ from what the browser hydrated (the page then failed to hydrate).
    let count = ServerAction::<CountSegment>::new();
    Effect::new(move |_| {
        let rules = rules.get();
        count.dispatch(CountSegment { rules });
    });
    let text = move |get: fn(&Rules) -> &String, set: fn(&mut Rules, String)| {
        (
            move || rules.with(|r| get(r).clone()),
            move |ev: leptos::ev::Event| rules.update(|r| set(r, event_target_value(&ev))),
        )
    };
    let (spend, set_spend) = text(|r| &r.min_spend, |r, v| r.min_spend = v);
    let (min_o, set_min_o) = text(|r| &r.min_orders, |r, v| r.min_orders = v);
    let (max_o, set_max_o) = text(|r| &r.max_orders, |r, v| r.max_orders = v);
    let (before, set_before) = text(|r| &r.last_order_before, |r, v| r.last_order_before = v);
    let (after, set_after) = text(|r| &r.last_order_after, |r, v| r.last_order_after = v);
    let score = move |label: &'static str, get: fn(&Rules) -> u8, set: fn(&mut Rules, u8)| {
        view! {
            <label class="field field-narrow"><span>{label}</span>
                <select on:change=move |ev| rules.update(|r| set(r, event_target_value(&ev).parse().unwrap_or(0)))>
                    {(0u8..=5).map(|v| view! {
                        <option value=v.to_string() selected=move || rules.with(|r| get(r) == v)>{if v == 0 { "Any".to_string() } else { format!("{v}+") }}</option>
                    }).collect_view()}
                </select></label>
        }
    };
    view! {
        <section class="card" aria-labelledby="seg-edit">
            <h2 id="seg-edit">"New segment"</h2>
            <form class="form" aria-label="New segment" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveSegment { name: name.get_untracked(), rules: rules.get_untracked() });
            }>
                <div class="form-row">
                    <label class="field"><span>"District"</span>
                        <select on:change=move |ev| rules.update(|r| r.district_id = event_target_value(&ev).parse().ok())>
                            <option value="">"Any"</option>
                            {d.districts.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span>"Bought"</span>
                        <select on:change=move |ev| rules.update(|r| r.product_id = event_target_value(&ev).parse().ok())>
                            <option value="">"Anything"</option>
                            {d.products.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                        </select></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>"Spent at least"</span><input inputmode="decimal" prop:value=spend on:input=set_spend placeholder="0.00"/></label>
                    <label class="field field-narrow"><span>"Orders from"</span><input inputmode="numeric" prop:value=min_o on:input=set_min_o/></label>
                    <label class="field field-narrow"><span>"to"</span><input inputmode="numeric" prop:value=max_o on:input=set_max_o/></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>"Last order on or after"</span><input type="date" prop:value=after on:input=set_after/></label>
                    <label class="field"><span>"Last order on or before"</span><input type="date" prop:value=before on:input=set_before/></label>
                </div>
                <div class="form-row">
                    <label class="field"><span>"Tag"</span>
                        <select on:change=move |ev| rules.update(|r| r.tag = event_target_value(&ev))>
                            <option value="">"Any"</option>
                            {d.tags.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                        </select></label>
                    <label class="field"><span>"Agreed to"</span>
                        <select on:change=move |ev| rules.update(|r| r.consent = event_target_value(&ev))>
                            <option value="">"Any channel or none"</option>
                            {Channel::ALL.map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                        </select></label>
                </div>
                <fieldset class="form-row"><legend>"RFM scores (1 low – 5 high)"</legend>
                    {score("Recency", |r| r.min_recency, |r, v| r.min_recency = v)}
                    {score("Frequency", |r| r.min_frequency, |r, v| r.min_frequency = v)}
                    {score("Monetary", |r| r.min_monetary, |r, v| r.min_monetary = v)}
                </fieldset>
                <p class="segment-count" role="status" aria-live="polite" data-testid="segment-count">
                    {move || match count.value().get() {
                        Some(Ok((n, [e, s, w]))) => format!("{n} customers · {e} by email · {s} by SMS · {w} by WhatsApp"),
                        Some(Err(e)) => e.to_string(),
                        None => "Counting…".to_string(),
                    }}
                </p>
                <label class="field"><span>"Segment name"</span>
                    <input required maxlength="80" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) placeholder="Regulars in Centro"/></label>
                <button type="submit" class="btn btn-primary">"Save segment"</button>
                {move || save.value().get().map(|r| match r {
                    Ok(_) => view! { <p class="form-ok" role="status">"Segment saved."</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

#[component]
fn Saved(d: SegmentsData, export: ServerAction<ExportSegment>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="seg-saved">
            <h2 id="seg-saved">"Saved segments"</h2>
            {if d.segments.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="segments">
                        {d.segments.into_iter().map(|s| {
                            let id = s.id;
                            view! {
                                <li data-testid="segment">
                                    <strong>{s.name.clone()}</strong>
                                    {format!(" · {} customers", s.count)}
                                    <div class="row-actions">
                                        {Channel::ALL.into_iter().zip(s.reachable).map(|(c, n)| view! {
                                            <button type="button" class="btn btn-small" disabled=n == 0
                                                on:click=move |_| { export.dispatch(ExportSegment { id, channel: c.code().into() }); }>
                                                {format!("{} CSV ({n})", c.label())}
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
                Ok(e) => view! { <p class="form-ok" role="status">{format!("Exported {} customers who agreed to this channel.", e.count)}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <h3>"Exports"</h3>
            {if d.exports.is_empty() {
                view! { <p class="muted">"No export yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="exports">
                        {d.exports.into_iter().map(|e| view! {
                            <li>{format!("{} · {} · {} · {} · {} customers", e.at, e.who, e.segment, e.channel, e.count)}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
