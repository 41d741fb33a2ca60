//! The kitchen's spreadsheets as server functions: recipes out, and ingredients or recipes in
//! (preview, then import). The owner's, like the recipes and costs themselves.
use leptos::prelude::*;

use super::csv::KitchenImport;
use crate::error::AppError;

/// Reads `what` ("ingredients" or "recipes") and runs `text` through the writers in one write
/// transaction, kept only when `keep` and every row passed.
#[cfg(feature = "ssr")]
async fn run(what: &str, text: &str, keep: bool) -> Result<KitchenImport, AppError> {
    use crate::server::ctx::Ctx;
    let (what, text) = (what.to_string(), text.to_string());
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let sheet = super::csv::KitchenSheet::parse(&what)
            .ok_or_else(|| AppError::invalid("what", crate::said::said("refuse-csv-what")))?;
        if text.len() > 2_000_000 {
            return Err(AppError::invalid(
                "text",
                crate::said::said("refuse-file-size"),
            ));
        }
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let done = super::csv::apply(&mut tx, sheet, &text).await?;
        if !keep {
            tx.rollback().await?;
            return Ok(done);
        }
        if !done.errors.is_empty() {
            tx.rollback().await?;
            return Err(AppError::invalid("text", done.errors.join("\n")));
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.import_csv",
            &what,
            serde_json::json!({ "added": done.added(), "updated": done.updated() }),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(
            by = me.id,
            what,
            added = done.added(),
            updated = done.updated(),
            "kitchen csv imported"
        );
        Ok(done)
    })
    .await
}

/// What importing `text` as `what` ("ingredients" or "recipes") would do; changes nothing.
#[server(endpoint = "preview_kitchen_csv")]
pub async fn preview_kitchen_csv(what: String, text: String) -> Result<KitchenImport, AppError> {
    run(&what, &text, false).await
}

/// Imports `text` as `what`: every row or none (422 naming each bad row and column).
#[server(endpoint = "import_kitchen_csv")]
pub async fn import_kitchen_csv(what: String, text: String) -> Result<KitchenImport, AppError> {
    run(&what, &text, true).await
}

/// Every recipe as CSV (UTF-8 with BOM), one row per ingredient line; reads back in.
#[server(endpoint = "recipes_csv")]
pub async fn recipes_csv() -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut conn = cx.db().acquire().await?;
        let text = super::csv::recipes_csv(&mut conn).await?;
        drop(conn);
        cx.audit(&me, "export.recipes", "Recipes", serde_json::json!({}))
            .await?;
        Ok(text)
    })
    .await
}
