//! Purchase orders and the pantry check. Staff and owner receive what arrives; only the owner
//! orders (it costs money), cancels, and decides whether booking checks the pantry.
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Role;
use crate::error::AppError;

#[cfg(feature = "ssr")]
const KITCHEN: &[Role] = &[Role::Owner, Role::Staff];
#[cfg(feature = "ssr")]
const OWNER: &[Role] = &[Role::Owner];

/// A line as typed: an ingredient and a quantity in its unit ("25" kg). A line with no
/// quantity is left out.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PurchaseLineForm {
    pub ingredient_id: i64,
    pub quantity: String,
}

/// What came of one line, as staff typed it when the delivery differs from the order: the
/// quantity in the ingredient's unit (empty: as ordered; 0: none came) and the lot's
/// best-before (empty: none).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReceivedLine {
    pub ingredient_id: i64,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub best_before: String,
}

/// A purchase order as typed on the stock page.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PurchaseForm {
    pub supplier_id: Option<i64>,
    /// `YYYY-MM-DD`; empty: today + the supplier's lead time.
    #[serde(default)]
    pub arrives_on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub lines: Vec<PurchaseLineForm>,
}

/// Writes a checked purchase order and audits it; returns what to tell the person.
#[cfg(feature = "ssr")]
async fn place(
    cx: &crate::server::ctx::Ctx,
    me: &crate::auth::repo::UserAuth,
    supplier_id: i64,
    arrives_on: &str,
    note: &str,
    lines: &[(i64, i64)],
    tx: &mut crate::server::db::WriteTx,
) -> Result<String, AppError> {
    let today = cx.config().today();
    let lead = sqlx::query_scalar!("SELECT lead_days FROM suppliers WHERE id = ?", supplier_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            AppError::invalid("supplier_id", crate::said::said("refuse-choose-supplier"))
        })?;
    let arrives = match arrives_on.trim() {
        "" => today + chrono::Duration::days(lead),
        t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| AppError::invalid("arrives_on", crate::said::said("refuse-arrives-on")))?,
    };
    let id = super::purchase::create(
        &mut *tx,
        today,
        &super::purchase::NewPurchase {
            supplier_id,
            arrives_on: arrives,
            lines,
            note: note.trim(),
            user_id: Some(me.id),
        },
    )
    .await?;
    crate::audit::record(
        &mut **tx,
        &crate::audit::Who::user(me.id, &me.name),
        "kitchen.purchase_order",
        &format!("PO-{id}"),
        serde_json::json!({ "supplier_id": supplier_id, "arrives_on": arrives.to_string(), "lines": lines }),
    )
    .await?;
    let lang = cx.lang(me);
    Ok(lang.t_with(
        "po-placed",
        &[
            ("number", format!("PO-{id}").into()),
            ("day", lang.day(&arrives.to_string(), "date-short").into()),
        ],
    ))
}

/// Orders from a supplier: the lines typed (quantities in each ingredient's unit), arriving on
/// the day given (or after the supplier's lead time). Owner; the first bad field is named and
/// nothing is written.
#[server(endpoint = "create_purchase_order")]
pub async fn create_purchase_order(form: PurchaseForm) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let supplier = form.supplier_id.ok_or_else(|| {
            AppError::invalid("supplier_id", crate::said::said("refuse-choose-supplier"))
        })?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let mut lines = Vec::new();
        for (i, l) in form.lines.iter().enumerate() {
            if l.quantity.trim().is_empty() {
                continue;
            }
            let field = format!("lines[{i}].quantity");
            let (q, _, _) =
                super::stock_read::typed_quantity(&mut tx, l.ingredient_id, &l.quantity, &field)
                    .await
                    .map_err(|e| match e {
                        AppError::Validation { field, message } if field == "ingredient_id" => {
                            AppError::invalid(&format!("lines[{i}].ingredient_id"), message)
                        }
                        other => other,
                    })?;
            if q <= 0 {
                return Err(AppError::invalid(
                    &field,
                    crate::said::said("refuse-more-than-zero"),
                ));
            }
            lines.push((l.ingredient_id, q));
        }
        let said = place(
            &cx,
            &me,
            supplier,
            &form.arrives_on,
            &form.note,
            &lines,
            &mut tx,
        )
        .await?;
        tx.commit().await?;
        Ok(said)
    })
    .await
}

/// Orders what `day`'s shopping list says to buy from `supplier_id`, arriving after the
/// supplier's lead time. Owner.
#[server(endpoint = "order_shopping_list")]
pub async fn order_shopping_list(day: String, supplier_id: i64) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("day", crate::said::said("refuse-day-like")))?;
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let plan = super::plan::plan(&mut tx, cx.config(), &cx.lang(&me), day).await?;
        let lines: Vec<(i64, i64)> = plan
            .shopping
            .iter()
            .filter(|s| s.supplier_id == Some(supplier_id) && s.base > 0)
            .map(|s| (s.ingredient_id, s.base))
            .collect();
        if lines.is_empty() {
            return Err(AppError::invalid(
                "supplier_id",
                crate::said::said("refuse-nothing-from-supplier"),
            ));
        }
        let said = place(&cx, &me, supplier_id, "", "", &lines, &mut tx).await?;
        tx.commit().await?;
        Ok(said)
    })
    .await
}

/// Receives an open purchase order into stock: as ordered, or as it came (`got`: other
/// quantities, best-before dates; lines not named came as ordered). Staff and owner; a second
/// receipt is refused.
#[server(endpoint = "receive_purchase_order")]
pub async fn receive_purchase_order(
    id: i64,
    #[server(default)] got: Vec<ReceivedLine>,
) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(KITCHEN, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let reason = format!("PO-{id}");
        let by = super::stock::MoveBy {
            user_id: Some(me.id),
            reason: &reason,
            batch_id: None,
        };
        let lines = super::purchase::receive(&mut tx, id, cx.config().today(), &by, &got).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.purchase_received",
            &reason,
            serde_json::json!({ "lines": lines }),
        )
        .await?;
        tx.commit().await?;
        Ok(cx.lang(&me).t_with(
            "po-received",
            &[
                ("number", reason.into()),
                ("count", (lines.len() as i64).into()),
            ],
        ))
    })
    .await
}

/// Cancels an open purchase order. Owner.
#[server(endpoint = "cancel_purchase_order")]
pub async fn cancel_purchase_order(id: i64) -> Result<String, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::purchase::cancel(&mut tx, id).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.purchase_cancelled",
            &format!("PO-{id}"),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(cx
            .lang(&me)
            .t_with("po-cancelled", &[("number", format!("PO-{id}").into())]))
    })
    .await
}

/// Switches booking's pantry check on or off. Owner.
#[server(endpoint = "save_pantry_check")]
pub async fn save_pantry_check(on: bool) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(OWNER, move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        super::purchase::set_check_pantry(&mut tx, on).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "kitchen.pantry_check",
            if on { "on" } else { "off" },
            serde_json::json!({ "check_pantry": on }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
