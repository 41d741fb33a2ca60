//! `/kitchen/recipes` (owner): each product's recipe (ingredients per batch, batch yield,
//! minutes, station) with its cost of goods beside the price and the margin; the editor shows
//! the cost live while lines change.
use leptos::prelude::*;

use super::api::{get_recipes, LineForm, RecipeForm, SaveRecipe, SaveStation};
use super::model::{margin, unit_cost, CostLine};
use super::purchase_api::SavePantryCheck;
use super::{IngredientRow, RecipeLine, RecipeRow, RecipesData};
use crate::ui::{ErrorNotice, Loading, PageHeader};
use crate::words::{money as format_cents, number, tr, tr_with};

/// Cost per unit of `lines` at the ingredients' costs.
fn cost_of(lines: &[RecipeLine], batch_yield: i64, ingredients: &[IngredientRow]) -> f64 {
    let costed: Vec<CostLine> = lines
        .iter()
        .filter_map(|l| {
            let i = ingredients.iter().find(|i| i.id == l.ingredient_id)?;
            Some(CostLine {
                quantity: l.quantity,
                unit: i.unit,
                cost_cents: i.cost_cents,
            })
        })
        .collect();
    unit_cost(&costed, batch_yield)
}

#[component]
pub fn RecipesPage() -> impl IntoView {
    let save = ServerAction::<SaveRecipe>::new();
    let station = ServerAction::<SaveStation>::new();
    let pantry = ServerAction::<SavePantryCheck>::new();
    let import = ServerAction::<super::csv_api::ImportKitchenCsv>::new();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                station.version().get(),
                pantry.version().get(),
                import.version().get(),
            )
        },
        |_| get_recipes(),
    );
    view! {
        <PageHeader title=tr("recipes-title") subtitle=tr("recipes-subtitle")>
            <a class="btn" href="/kitchen">{tr("nav-kitchen")}</a>
            <a class="btn" href="/stock">{tr("nav-stock")}</a>
        </PageHeader>
        <Transition fallback=|| view! { <Loading label=tr("recipes-loading")/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <Stations stations=d.stations.clone() action=station/>
                        <PantryCheck on=d.check_pantry action=pantry/>
                        <Book data=d save/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
        <super::csv_page::KitchenSheets import/>
    }
}

#[component]
fn Book(data: RecipesData, save: ServerAction<SaveRecipe>) -> impl IntoView {
    let RecipesData {
        recipes,
        ingredients,
        currency,
        ..
    } = data;
    let open = RwSignal::new(None::<i64>);
    let ingredients = StoredValue::new(ingredients);
    let currency = StoredValue::new(currency);
    view! {
        <div class="table-scroll card" tabindex="0">
            <table class="table recipes">
                <thead><tr><th>{tr("kitchen-product")}</th><th>{tr("recipes-station")}</th><th class="num">{tr("recipes-batch-makes")}</th><th class="num">{tr("recipes-cost-item")}</th><th class="num">{tr("recipes-price")}</th><th class="num">{tr("recipes-margin")}</th><th><span class="sr-only">{tr("edit")}</span></th></tr></thead>
                <tbody>{recipes.into_iter().map(|r| {
                    let cost = cost_of(&r.lines, r.batch_yield, &ingredients.get_value());
                    let cur = currency.get_value();
                    let m = margin(r.price_cents, cost);
                    let id = r.product_id;
                    let row = r.clone();
                    view! {
                        <tr data-product-id=id.to_string()>
                            <th scope="row">{r.name.clone()}</th>
                            <td>{if r.has_recipe { r.station.clone() } else { "—".into() }}</td>
                            <td class="num">{if r.has_recipe { r.batch_yield.to_string() } else { "—".into() }}</td>
                            <td class="num">{if r.has_recipe { format_cents(cost.round() as i64, &cur) } else { tr("recipes-none") }}</td>
                            <td class="num">{format_cents(r.price_cents, &cur)}</td>
                            <td class="num" class:shortfall=m.is_some_and(|m| m < 0.5) && r.has_recipe>{match m { Some(m) if r.has_recipe => format!("{} %", number(m * 100.0, 0)), _ => "—".into() }}</td>
                            <td><button class="btn btn-small" on:click=move |_| open.set(if open.get_untracked() == Some(id) { None } else { Some(id) })>{if r.has_recipe { tr("edit") } else { tr("recipes-add") }}</button></td>
                        </tr>
                        {move || (open.get() == Some(id)).then(|| view! {
                            <tr class="recipe-editor-row"><td colspan="7"><Editor recipe=row.clone() ingredients=ingredients.get_value() currency=currency.get_value() save/></td></tr>
                        })}
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Editor(
    recipe: RecipeRow,
    ingredients: Vec<IngredientRow>,
    currency: String,
    save: ServerAction<SaveRecipe>,
) -> impl IntoView {
    let head = RwSignal::new((
        recipe.batch_yield.to_string(),
        recipe.prep_minutes.to_string(),
        recipe.bake_minutes.to_string(),
        recipe.station.clone(),
    ));
    let lines = RwSignal::new(
        recipe
            .lines
            .iter()
            .map(|l| (l.ingredient_id, l.quantity.to_string()))
            .collect::<Vec<_>>(),
    );
    let ings = StoredValue::new(ingredients);
    let price = recipe.price_cents;
    let live_cost = move || live_cost(head, lines, ings, price, &currency);
    let product_id = recipe.product_id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveRecipe {
            product_id,
            form: form_of(head.get_untracked(), lines.get_untracked()),
        });
    };
    let set_head = move |f: fn(&mut (String, String, String, String), String)| {
        move |ev: leptos::ev::Event| head.update(|h| f(h, event_target_value(&ev)))
    };
    let unit_of = move |id: i64| {
        ings.with_value(|i| i.iter().find(|x| x.id == id).map_or("g", |x| x.unit.base()))
    };
    view! {
        <form class="form recipe-editor" on:submit=submit aria-label=tr_with("recipes-recipe-of", &[("name", recipe.name.clone())])>
            <div class="form-row">
                <label class="field"><span>{tr("recipes-batch-makes")}</span><input inputmode="numeric" name="batch_yield" prop:value=move || head.with(|h| h.0.clone()) on:input=set_head(|h, v| h.0 = v)/></label>
                <label class="field"><span>{tr("recipes-prep")}</span><input inputmode="numeric" name="prep_minutes" prop:value=move || head.with(|h| h.1.clone()) on:input=set_head(|h, v| h.1 = v)/></label>
                <label class="field"><span>{tr("recipes-bake")}</span><input inputmode="numeric" name="bake_minutes" prop:value=move || head.with(|h| h.2.clone()) on:input=set_head(|h, v| h.2 = v)/></label>
                <label class="field"><span>{tr("recipes-station")}</span><input name="station" prop:value=move || head.with(|h| h.3.clone()) on:input=set_head(|h, v| h.3 = v)/></label>
            </div>
            <table class="table recipe-lines">
                <thead><tr><th>{tr("kitchen-ingredient")}</th><th>{tr("recipes-per-batch")}</th><th><span class="sr-only">{tr("drawer-remove")}</span></th></tr></thead>
                <tbody>
                    {move || lines.get().into_iter().enumerate().map(|(i, (ing, q))| view! {
                        <tr>
                            <td><select aria-label=tr_with("recipes-ingredient-n", &[("n", (i + 1).to_string())]) prop:value=ing.to_string()
                                on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); lines.update(|ls| ls[i].0 = v); }>
                                {ings.with_value(|all| all.iter().map(|x| view! { <option value=x.id.to_string() selected=x.id == ing>{x.name.clone()}</option> }).collect_view())}
                            </select></td>
                            <td><input class="qty" inputmode="numeric" aria-label=tr_with("phone-quantity-n", &[("n", (i + 1).to_string())]) prop:value=q
                                on:input=move |ev| { let v = event_target_value(&ev); lines.update(|ls| ls[i].1 = v); }/>" "{unit_of(ing)}</td>
                            <td><button type="button" class="btn btn-small" on:click=move |_| lines.update(|ls| { ls.remove(i); })>{tr("drawer-remove")}</button></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="form-actions">
                <button type="button" class="btn" on:click=move |_| {
                    let first = ings.with_value(|i| i.iter().map(|x| x.id).find(|id| lines.with_untracked(|ls| ls.iter().all(|l| l.0 != *id))));
                    if let Some(id) = first { lines.update(|ls| ls.push((id, String::new()))); }
                }>{tr("recipes-add-ingredient")}</button>
                <span class="live-cost" aria-live="polite">{live_cost}</span>
                <button type="submit" class="btn btn-primary">{tr("recipes-save")}</button>
            </div>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </form>
    }
}

/// The recipe as typed: (batch yield, prep minutes, bake minutes, station) and its lines
/// (ingredient, quantity per batch).
fn form_of(
    (batch_yield, prep_minutes, bake_minutes, station): (String, String, String, String),
    lines: Vec<(i64, String)>,
) -> RecipeForm {
    RecipeForm {
        batch_yield,
        prep_minutes,
        bake_minutes,
        station,
        lines: lines
            .into_iter()
            .map(|(ingredient_id, quantity)| LineForm {
                ingredient_id,
                quantity,
            })
            .collect(),
    }
}

/// What a batch's lines cost per item as typed, and the margin at the product's price.
fn live_cost(
    head: RwSignal<(String, String, String, String)>,
    lines: RwSignal<Vec<(i64, String)>>,
    ings: StoredValue<Vec<IngredientRow>>,
    price_cents: i64,
    currency: &str,
) -> String {
    let y = head.with(|h| h.0.trim().parse::<i64>().unwrap_or(0));
    let ls: Vec<RecipeLine> = lines.with(|ls| {
        ls.iter()
            .filter_map(|(i, q)| {
                Some(RecipeLine {
                    ingredient_id: *i,
                    quantity: q.trim().parse().ok()?,
                })
            })
            .collect()
    });
    let c = ings.with_value(|i| cost_of(&ls, y, i));
    let m = margin(price_cents, c)
        .map(|m| {
            format!(
                " · {}",
                tr_with("recipes-margin-of", &[("margin", number(m * 100.0, 0))])
            )
        })
        .unwrap_or_default();
    format!(
        "{}{m}",
        tr_with(
            "recipes-cost-per-item",
            &[("amount", format_cents(c.round() as i64, currency))]
        )
    )
}

/// Whether booking checks the pantry: stock plus purchase orders arriving before the bake day,
/// less what booked orders take.
#[component]
fn PantryCheck(on: bool, action: ServerAction<SavePantryCheck>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="pantry-title">
            <h2 id="pantry-title">{tr("pantry-title")}</h2>
            <label class="check">
                <input type="checkbox" prop:checked=on
                    on:change=move |ev| { action.dispatch(SavePantryCheck { on: event_target_checked(&ev) }); }/>
                <span>{tr("pantry-check")}</span>
            </label>
            <p class="muted small">{tr("pantry-hint")}</p>
            {move || action.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

/// Each station's batches per bake day: booking refuses what would need more.
#[component]
fn Stations(
    stations: Vec<(String, Option<i64>)>,
    action: ServerAction<SaveStation>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="stations-title">
            <h2 id="stations-title">{tr("recipes-stations")}</h2>
            <p class="muted small">{tr("recipes-stations-hint")}</p>
            <div class="stations">
                {stations.into_iter().map(|(name, batches)| {
                    let label = tr_with("recipes-batches-a-day", &[("name", name.clone())]);
                    view! {
                    <ActionForm action attr:class="inline-form" attr:aria-label=label>
                        <input type="hidden" name="station" value=name.clone()/>
                        <label class="field inline"><span>{name.clone()}</span>
                            <input name="batches" class="qty" inputmode="numeric" value=batches.map(|b| b.to_string()).unwrap_or_default() placeholder=tr("recipes-no-limit")/></label>
                        <button type="submit" class="btn btn-small">{tr("save")}</button>
                    </ActionForm>
                }}).collect_view()}
            </div>
            {move || action.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("saved")}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
