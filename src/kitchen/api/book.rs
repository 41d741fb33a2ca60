//! The owner's book of the kitchen: ingredients, suppliers, recipes and stations (owner only,
//! costs are the owner's), and product waste (staff and owner).
use leptos::prelude::*;

use super::super::RecipesData;
#[cfg(feature = "ssr")]
use super::{day_or, KITCHEN, OWNER};
use crate::error::AppError;

/// An ingredient as typed on the stock page.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IngredientForm {
    pub name: String,
    pub unit: String,
    /// Per unit, in the currency ("0.90").
    pub cost: String,
    #[serde(default)]
    pub supplier_id: Option<i64>,
    /// In the unit ("2" kg).
    pub reorder_level: String,
}

/// Creates (`id` None) or changes an ingredient. Owner.
#[server(endpoint = "save_ingredient")]
pub async fn save_ingredient(id: Option<i64>, form: IngredientForm) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let (id, name) = crate::kitchen::stock::save_ingredient(&mut tx, id, &form).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.ingredient",
            &name,
            serde_json::to_value(&form).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Adds a supplier. Owner.
#[server(endpoint = "add_supplier")]
pub async fn add_supplier(
    name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
    #[server(default)] lead_days: String,
) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::invalid(
                "name",
                crate::said::said("refuse-supplier-name"),
            ));
        }
        let (email, phone) = (email.trim().to_string(), phone.trim().to_string());
        if !email.is_empty() && !email.contains('@') || email.len() > 200 {
            return Err(AppError::invalid(
                "email",
                crate::said::said("refuse-supplier-email"),
            ));
        }
        if phone.len() > 40 {
            return Err(AppError::invalid(
                "phone",
                crate::said::said("refuse-supplier-phone"),
            ));
        }
        let lead: i64 = if lead_days.trim().is_empty() {
            1
        } else {
            lead_days
                .trim()
                .parse()
                .ok()
                .filter(|d| (0..=60).contains(d))
                .ok_or_else(|| {
                    AppError::invalid("lead_days", crate::said::said("refuse-lead-days"))
                })?
        };
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let id = crate::kitchen::stock::add_supplier(&mut tx, &name, &email, &phone, lead).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.supplier_add",
            &name,
            serde_json::json!({ "email": email, "phone": phone, "lead_days": lead }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

/// Every product with its recipe, and the ingredients to build recipes from. Owner.
#[server(endpoint = "get_recipes")]
pub async fn get_recipes() -> Result<RecipesData, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        crate::kitchen::recipes::recipes_data(&mut conn, cx.config()).await
    })
    .await
}

/// A recipe line as typed: an ingredient and its quantity per batch in the base unit.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LineForm {
    pub ingredient_id: i64,
    pub quantity: String,
}

/// A recipe as typed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecipeForm {
    pub batch_yield: String,
    pub prep_minutes: String,
    pub bake_minutes: String,
    pub station: String,
    #[serde(default)]
    pub lines: Vec<LineForm>,
}

/// Saves a product's recipe (replacing its lines). Owner; the first bad field is named and
/// nothing changes.
#[server(endpoint = "save_recipe")]
pub async fn save_recipe(product_id: i64, form: RecipeForm) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let name = crate::kitchen::recipes::save_recipe(&mut tx, product_id, &form).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.recipe",
            &name,
            serde_json::to_value(&form).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Sets how many batches a station (an oven) bakes in a bake day; empty for no limit. Owner.
/// Booking then refuses orders that would need more batches than that.
#[server(endpoint = "save_station")]
pub async fn save_station(
    station: String,
    #[server(default)] batches: String,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let set = crate::kitchen::recipes::set_station(&mut tx, &station, &batches).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.station",
            station.trim(),
            serde_json::json!({ "batches_per_day": set }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Records baked goods thrown away on `day` (today when empty): `units` of a product and why
/// (`unsold`, `burnt`, `damaged`, `other`). Staff and owner; the field at fault is named.
#[server(endpoint = "record_waste")]
pub async fn record_waste(
    #[server(default)] day: String,
    product_id: i64,
    units: String,
    reason: String,
    #[server(default)] note: String,
) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let today = cx.config().today();
        let day = day_or(&day, today)?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let (name, n) = crate::kitchen::waste::record(
            &mut tx,
            today,
            &crate::kitchen::waste::Waste {
                day,
                product_id,
                units: &units,
                reason: &reason,
                note: &note,
                user_id: Some(me.id),
            },
        )
        .await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.waste",
            &name,
            serde_json::json!({ "day": day.to_string(), "units": n, "reason": reason, "note": note.trim() }),
        )
        .await?;
        tx.commit().await?;
        let lang = cx.lang(&me);
        Ok(lang.t_with(
            "kitchen-waste-recorded",
            &[
                ("units", n.into()),
                ("name", name.into()),
                ("reason", lang.t(&format!("waste-reason-{reason}")).into()),
            ],
        ))
    })
    .await
}
