//! Editing an order's items from the drawer over HTTP: totals recomputed, product capacity and
//! the district minimum checked in the same transaction, stale versions and bad lines refused
//! by name with nothing changed.
mod common;

use common::*;
use serde_json::Value;

/// A received delivery order: (id, version).
async fn received(s: &TestServer) -> (i64, i64) {
    sqlx::query_as(
        "SELECT id, version FROM orders WHERE status = 'received' AND fulfilment = 'delivery'
           AND district_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap()
}

async fn detail(s: &TestServer, c: &reqwest::Client, id: i64) -> Value {
    s.call(c, "/api/get_order", &format!("order_id={id}"))
        .await
        .json()
        .await
        .unwrap()
}

async fn edit(
    s: &TestServer,
    c: &reqwest::Client,
    id: i64,
    version: i64,
    lines: &[(&str, i64)],
) -> (u16, String) {
    let skus: Vec<&str> = lines.iter().map(|l| l.0).collect();
    let qs: Vec<i64> = lines.iter().map(|l| l.1).collect();
    let body = format!(
        "order_id={id}&version={version}&{}&{}",
        indexed("skus", &skus),
        indexed("quantities", &qs)
    );
    let res = s.call(c, "/api/edit_items", &body).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// What must not change when an edit is refused.
async fn state(s: &TestServer, id: i64) -> (i64, i64, i64, String, i64) {
    let (subtotal, total, version): (i64, i64, i64) =
        sqlx::query_as("SELECT subtotal_cents, total_cents, version FROM orders WHERE id = ?")
            .bind(id)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let items: String = sqlx::query_scalar(
        "SELECT group_concat(product_id || 'x' || quantity) FROM order_items WHERE order_id = ?",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    let units = s
        .count("SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'units'")
        .await;
    (subtotal, total, version, items, units)
}

#[tokio::test]
async fn changing_items_recomputes_totals_and_counts_capacity() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version) = received(&s).await;
    let before = detail(&s, &staff, id).await;
    let skus: Vec<String> = serde_json::from_value(before["skus"].clone()).unwrap();
    let items = before["items"].as_array().unwrap();
    let (q0, price0) = (items[0][1].as_i64().unwrap(), items[0][2].as_i64().unwrap());
    let mut lines: Vec<(&str, i64)> = skus
        .iter()
        .zip(items)
        .map(|(s, i)| (s.as_str(), i[1].as_i64().unwrap()))
        .collect();
    // Room in the kitchen for two more.
    sqlx::query("UPDATE products SET daily_capacity = 1000 WHERE sku = ?")
        .bind(&skus[0])
        .execute(&s.state.pool)
        .await
        .unwrap();
    lines[0].1 += 2;
    let units = s
        .count("SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'units'")
        .await;
    let (status, text) = edit(&s, &staff, id, version, &lines).await;
    assert_eq!(status, 200, "{text}");
    let after = detail(&s, &staff, id).await;
    assert_eq!(after["items"][0][1].as_i64().unwrap(), q0 + 2);
    assert_eq!(
        after["items"][0][2].as_i64().unwrap(),
        price0,
        "the quoted price is kept"
    );
    assert_eq!(
        after["subtotal_cents"].as_i64().unwrap(),
        before["subtotal_cents"].as_i64().unwrap() + 2 * price0
    );
    assert_eq!(
        after["total_cents"].as_i64().unwrap(),
        after["subtotal_cents"].as_i64().unwrap() + after["delivery_fee_cents"].as_i64().unwrap()
    );
    assert_eq!(after["version"].as_i64().unwrap(), version + 1);
    assert!(
        after["history"].to_string().contains("items "),
        "{}",
        after["history"]
    );
    assert_eq!(
        s.count("SELECT COALESCE(SUM(used), 0) FROM capacity_used WHERE kind = 'units'")
            .await,
        units + 2
    );
    // The old version is stale now.
    let (status, text) = edit(&s, &staff, id, version, &lines).await;
    assert_eq!(status, 409, "{text}");
    assert!(text.contains("was changed by"), "{text}");
}

#[tokio::test]
async fn refused_edits_say_which_line_and_change_nothing() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version) = received(&s).await;
    let d = detail(&s, &staff, id).await;
    let sku: String = d["skus"][0].as_str().unwrap().to_string();
    let q = d["items"][0][1].as_i64().unwrap();
    let other: String =
        sqlx::query_scalar("SELECT sku FROM products WHERE sku <> ? AND active = 1 LIMIT 1")
            .bind(&sku)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let before = state(&s, id).await;
    for (lines, field, why) in [
        (vec![(sku.as_str(), 0)], "items[0].quantity", "from 1 to 99"),
        (
            vec![(sku.as_str(), 1), ("NO-SUCH", 1)],
            "items[1].sku",
            "no product NO-SUCH",
        ),
        (
            vec![(sku.as_str(), 1), (sku.as_str(), 2)],
            "items[1].sku",
            "listed twice",
        ),
        (vec![], "items", "at least one item"),
    ] {
        let (status, text) = edit(&s, &staff, id, version, &lines).await;
        assert_eq!(status, 422, "{why}: {text}");
        assert!(text.contains(field) && text.contains(why), "{why}: {text}");
    }
    // More than the kitchen can make that day.
    let day: String = sqlx::query_scalar("SELECT fulfil_on FROM orders WHERE id = ?")
        .bind(id)
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE products SET daily_capacity = (SELECT used FROM capacity_used c WHERE c.kind = 'units'
           AND c.ref_id = products.id AND c.day = ?) WHERE sku = ?",
    )
    .bind(&day)
    .bind(&sku)
    .execute(&s.state.pool)
    .await
    .unwrap();
    let (status, text) = edit(
        &s,
        &staff,
        id,
        version,
        &[(sku.as_str(), q + 1), (other.as_str(), 1)],
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert!(
        text.contains("items[0].quantity") && text.contains(&format!("at most {q} ")),
        "{text}"
    );
    // Under the district's minimum order.
    sqlx::query("UPDATE districts SET min_order_cents = 100000 WHERE id = (SELECT district_id FROM orders WHERE id = ?)")
        .bind(id)
        .execute(&s.state.pool)
        .await
        .unwrap();
    let (status, text) = edit(&s, &staff, id, version, &[(sku.as_str(), 1)]).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("minimum order"), "{text}");
    assert_eq!(state(&s, id).await, before);
    // Once baking, items are fixed.
    let baking: (i64, i64) =
        sqlx::query_as("SELECT id, version FROM orders WHERE status = 'baking' LIMIT 1")
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    let (status, text) = edit(&s, &staff, baking.0, baking.1, &[(sku.as_str(), 1)]).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("before baking"), "{text}");
}

#[tokio::test]
async fn only_what_an_edit_adds_is_checked_against_a_products_capacity() {
    let s = spawn().await;
    let staff = s.signed_in(STAFF).await;
    let (id, version) = received(&s).await;
    let before = detail(&s, &staff, id).await;
    let skus: Vec<String> = serde_json::from_value(before["skus"].clone()).unwrap();
    let items = before["items"].as_array().unwrap();
    let mut lines: Vec<(String, i64)> = skus
        .iter()
        .zip(items)
        .map(|(s, i)| (s.clone(), i[1].as_i64().unwrap()))
        .collect();
    // A second product on the order, so that one can be left alone.
    let other: String = sqlx::query_scalar(
        "SELECT sku FROM products WHERE active = 1 AND sku NOT IN (SELECT p.sku FROM order_items i
           JOIN products p ON p.id = i.product_id WHERE i.order_id = ?) ORDER BY price_cents DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    lines.push((other.clone(), 1));
    fn as_refs(l: &[(String, i64)]) -> Vec<(&str, i64)> {
        l.iter().map(|(a, b)| (a.as_str(), *b)).collect()
    }
    let (code, body) = edit(&s, &staff, id, version, &as_refs(&lines)).await;
    assert_eq!(code, 200, "{body}");
    // The owner lowers the first product's capacity below what the day already holds.
    let capped = lines[0].0.clone();
    sqlx::query("UPDATE products SET daily_capacity = 0 WHERE sku = ?")
        .bind(&capped)
        .execute(&s.state.pool)
        .await
        .unwrap();
    // More of the other product: accepted, the capped one is not in question.
    lines[1].1 += 1;
    let (code, body) = edit(&s, &staff, id, version + 1, &as_refs(&lines)).await;
    assert_eq!(code, 200, "{body}");
    // Keeping, or lowering, the capped product is fine; adding to it is refused by name.
    let kept = lines[0].1;
    lines[0].1 = kept + 1;
    let unchanged = state(&s, id).await;
    let (code, body) = edit(&s, &staff, id, version + 2, &as_refs(&lines)).await;
    assert_eq!(code, 422, "{body}");
    assert!(body.contains("items[0].quantity"), "{body}");
    assert!(body.contains(&format!("at most {kept}")), "{body}");
    assert_eq!(state(&s, id).await, unchanged, "a refusal changes nothing");
    if kept > 1 {
        lines[0].1 = kept - 1;
        let (code, body) = edit(&s, &staff, id, version + 2, &as_refs(&lines)).await;
        assert_eq!(code, 200, "{body}");
    }
}
