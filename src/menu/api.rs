//! The menu's server functions. Owner only; every change goes through `menu::repo`.
use leptos::prelude::*;

use super::model::{Product, ProductForm};
use crate::error::AppError;

/// Every product, archived ones last.
#[server(endpoint = "list_menu")]
pub async fn list_menu() -> Result<Vec<Product>, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        super::repo::list(cx.db()).await
    })
    .await
}

/// Creates (`id` None) or changes a product; the first bad field is named and nothing changes.
#[server(endpoint = "save_product")]
pub async fn save_product(id: Option<i64>, form: ProductForm) -> Result<i64, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let valid = form.validate()?;
        let before = match id {
            Some(id) => super::repo::list(cx.db())
                .await?
                .into_iter()
                .find(|p| p.id == id)
                .map(|p| ProductForm::of(&p)),
            None => None,
        };
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let id = match id {
            Some(id) => {
                super::repo::update(&mut tx, id, &valid).await?;
                id
            }
            None => super::repo::create(&mut tx, &valid).await?,
        };
        let action = if before.is_some() {
            "menu.product"
        } else {
            "menu.product_add"
        };
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            action,
            &valid.name,
            crate::audit::change(&before, &Some(form.clone())),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(product = id, sku = %valid.sku, by = me.id, "product saved");
        Ok(id)
    })
    .await
}

/// What the menu page asks for besides a save.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MenuChange {
    Archive,
    Restore,
    Up,
    Down,
    Delete,
}

/// Archives, restores, moves or deletes (only a product no order has) one product.
#[server(endpoint = "change_product")]
pub async fn change_product(id: i64, change: MenuChange) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        match change {
            MenuChange::Archive => super::repo::set_active(&mut tx, id, false).await?,
            MenuChange::Restore => super::repo::set_active(&mut tx, id, true).await?,
            MenuChange::Up => super::repo::shift(&mut tx, id, true).await?,
            MenuChange::Down => super::repo::shift(&mut tx, id, false).await?,
            MenuChange::Delete => super::repo::delete(&mut tx, id).await?,
        }
        if !matches!(change, MenuChange::Up | MenuChange::Down) {
            crate::audit::record(
                &mut *tx,
                &crate::audit::Who::user(me.id, &me.name),
                &format!("menu.{change:?}").to_lowercase(),
                &format!("product {id}"),
                serde_json::json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(product = id, ?change, by = me.id, "menu changed");
        Ok(())
    })
    .await
}

/// One row of an import preview.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PreviewRow {
    pub line: u64,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub allergens: String,
    /// "New", "Update", with ", off the menu" when archived by the file.
    pub action: String,
}

/// What an import would do: every row, or every problem (then nothing can be imported).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CsvPreview {
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<String>,
}

/// The menu as CSV (UTF-8 with BOM; `;` when `semicolon`).
#[server(endpoint = "export_menu_csv")]
pub async fn export_menu_csv(#[server(default)] semicolon: bool) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let products = super::repo::list(cx.db()).await?;
        let text = super::csv::export(&products, semicolon)
            .map_err(|e| AppError::internal("menu csv", e))?;
        tracing::info!(by = me.id, products = products.len(), "menu exported");
        cx.audit(
            &me,
            "export.menu_csv",
            "Menu",
            serde_json::json!({"products": products.len()}),
        )
        .await?;
        Ok(text)
    })
    .await
}

/// Reads a CSV file and says what importing it would do; changes nothing.
#[server(endpoint = "preview_menu_csv")]
pub async fn preview_menu_csv(text: String) -> Result<CsvPreview, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let rows = match super::csv::parse(&text) {
            Ok(rows) => rows,
            Err(errors) => {
                return Ok(CsvPreview {
                    rows: vec![],
                    errors: errors.iter().map(ToString::to_string).collect(),
                })
            }
        };
        let mut conn = cx.db().acquire().await?;
        let mut out = Vec::new();
        for r in rows {
            let v = r.form.validate()?;
            let exists = super::repo::find_by_sku(&mut conn, &v.sku).await?.is_some();
            let mut action = if exists { "Update" } else { "New" }.to_string();
            if !r.on_menu {
                action.push_str(", off the menu");
            }
            out.push(PreviewRow {
                line: r.line,
                sku: v.sku,
                name: v.name,
                category: v.category,
                price_cents: v.price_cents,
                allergens: super::csv::allergen_names(&r.form.allergens),
                action,
            });
        }
        Ok(CsvPreview {
            rows: out,
            errors: vec![],
        })
    })
    .await
}

/// Imports a CSV file: every row or none. Rows whose SKU exists update that product (its
/// orders keep their prices); the others are added. Returns (added, updated).
#[server(endpoint = "import_menu_csv")]
pub async fn import_menu_csv(text: String) -> Result<(usize, usize), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let rows = super::csv::parse(&text).map_err(|errors| crate::sheet::refused(&errors))?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let (mut added, mut updated) = (0, 0);
        for r in &rows {
            let v = r.form.validate()?;
            let id = match super::repo::find_by_sku(&mut tx, &v.sku).await? {
                Some(id) => {
                    super::repo::update(&mut tx, id, &v).await?;
                    updated += 1;
                    id
                }
                None => {
                    added += 1;
                    super::repo::create(&mut tx, &v).await?
                }
            };
            super::repo::set_active(&mut tx, id, r.on_menu).await?;
        }
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "menu.import_csv",
            "Menu",
            serde_json::json!({"added": added, "updated": updated}),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(by = me.id, added, updated, "menu imported");
        Ok((added, updated))
    })
    .await
}

/// Sets a product's photo (a JPEG the page shrank, base64), or removes it when `jpeg` is empty.
#[server(endpoint = "set_product_photo")]
pub async fn set_product_photo(id: i64, #[server(default)] jpeg: String) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        if jpeg.trim().is_empty() {
            super::repo::remove_photo(&mut tx, id).await?;
        } else {
            let (bytes, w, h) = crate::driver::actions::check_photo(&jpeg)?;
            super::repo::set_photo(&mut tx, id, &bytes, w, h).await?;
        }
        let what = if jpeg.trim().is_empty() {
            "removed"
        } else {
            "set"
        };
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "menu.photo",
            &format!("product {id}"),
            serde_json::json!({"after": what}),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(product = id, by = me.id, "product photo changed");
        Ok(())
    })
    .await
}
