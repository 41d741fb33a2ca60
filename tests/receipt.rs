//! The customer's receipt keeps what was sold: each line's name and VAT rate as they were when
//! the order was taken (the owner renaming a product or changing its rate later changes no
//! receipt), and the bakery's tax id from Settings → Business (a bad one refused by name).
mod common;

use common::*;
use serde_json::{json, Value};

async fn save_business(
    s: &TestServer,
    owner: &reqwest::Client,
    tax_id: Option<&str>,
) -> (u16, String) {
    let mut body = "business_name=Obrador+Hearth&currency=EUR&timezone=Europe%2FMadrid".to_string();
    if let Some(t) = tax_id {
        body.push_str(&format!("&tax_id={}", enc(t)));
    }
    let res = s.call(owner, "/api/save_business", &body).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn stored_tax_id(s: &TestServer) -> Option<String> {
    sqlx::query_scalar("SELECT tax_id FROM business_settings WHERE id = 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap()
}

async fn receipt(s: &TestServer, token: &str) -> Value {
    let (status, r) = s
        .json(&client(), "/api/get_receipt", &format!("token={token}"))
        .await;
    assert_eq!(status, 200, "{r}");
    r
}

#[tokio::test]
async fn a_receipt_shows_the_name_and_rate_a_line_was_sold_at_and_the_tax_id() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    for bad in ["<b>B1</b>", "B12345678B12345678B12345678B123456"] {
        let (status, text) = save_business(&s, &owner, Some(bad)).await;
        assert_eq!(status, 422, "{bad}: {text}");
        assert!(text.contains("tax_id"), "{text}");
        assert_eq!(stored_tax_id(&s).await, None, "a refusal changes nothing");
    }
    let (status, text) = save_business(&s, &owner, Some("  B12345678 ")).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(stored_tax_id(&s).await.as_deref(), Some("B12345678"));
    let (_, b) = s.json(&owner, "/api/get_business", "").await;
    assert_eq!(b["tax_id"], json!("B12345678"));

    sqlx::query(
        "UPDATE products SET tax_rate_bp = 400, daily_capacity = 1000 WHERE sku = 'BRD-SOUR'",
    )
    .execute(&s.state.pool)
    .await
    .unwrap();
    let sold_as: String = sqlx::query_scalar("SELECT name FROM products WHERE sku = 'BRD-SOUR'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let shop = Storefront::new(&s).await;
    let body = json!({
        "customer": {"name": "Receipt Tester", "phone": "626000001"},
        "fulfilment": {"type": "pickup", "date": next_saturday(&s), "time": "10:30"},
        "items": [{"sku": "BRD-SOUR", "quantity": 2}],
        "payment": {"method": "pay_at_pickup"}
    });
    let (status, out) = shop
        .post(&s, "/api/v1/orders", Some("receipt-1"), &body)
        .await;
    assert_eq!(status, 201, "{out}");
    let token: String = sqlx::query_scalar("SELECT tracking_token FROM orders WHERE number = ?")
        .bind(out["order_number"].as_i64().unwrap())
        .fetch_one(&s.state.pool)
        .await
        .unwrap();

    // Later the owner renames the loaf and its VAT goes up: the receipt still says what was sold.
    sqlx::query(
        "UPDATE products SET name = 'Sourdough XL', tax_rate_bp = 1000 WHERE sku = 'BRD-SOUR'",
    )
    .execute(&s.state.pool)
    .await
    .unwrap();
    let anyone = client();
    let r = receipt(&s, &token).await;
    assert_eq!(r["lines"][0][0], json!(sold_as), "{r}");
    assert_eq!(r["total"], json!("€13.00"));
    // €13.00 at 4 %: 12.50 + 0.50 (at today's 10 % it would be 11.82 + 1.18).
    assert_eq!(r["vat"], json!([["4 %", "€12.50", "€0.50"]]), "{r}");
    assert_eq!(r["tax_id"], json!("Tax id: B12345678"));
    let page = s.page(&anyone, &format!("/t/{token}/receipt")).await;
    assert!(
        page.contains("Tax id: B12345678") && page.contains(&sold_as),
        "{page}"
    );
    // Without the app: no wasm, and no copy of the receipt's data written in for one (a
    // resolved resource holding a value: `{\"Ok\":{…`).
    for app in [".wasm", "modulepreload", r#"\"Ok\":{"#] {
        assert!(!page.contains(app), "{app} in {page}");
    }

    // Emptied, it leaves every receipt.
    assert_eq!(save_business(&s, &owner, Some(" ")).await.0, 200);
    assert_eq!(stored_tax_id(&s).await, None);
    assert_eq!(receipt(&s, &token).await["tax_id"], json!(null));
}
