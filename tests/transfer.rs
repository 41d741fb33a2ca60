//! Customers and orders as spreadsheet CSV on a real server: export with BOM (and `;` with
//! decimal commas), import with a preview, every bad row named, all or nothing, matched by
//! phone; an exported file imports back unchanged; orders exported for a range of days.
mod common;

use common::*;
use serde_json::Value;

async fn text(s: &TestServer, c: &reqwest::Client, path: &str, body: &str) -> (u16, Value) {
    let res = s.call(c, path, body).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn customers_go_out_and_come_back_from_a_spreadsheet() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let before = s.count("SELECT COUNT(*) FROM customers").await;

    let (st, csv) = text(&s, &owner, "/api/export_customers_csv", "").await;
    assert_eq!(st, 200);
    let csv = csv.as_str().unwrap().to_string();
    assert!(csv.starts_with("\u{feff}name,phone,email,address,lat,lng,marketing_opt_in,notes,district,orders,spent,last_order,since"));
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(r.records().count() as i64, before);
    let (_, semi) = text(&s, &owner, "/api/export_customers_csv", "semicolon=true").await;
    let semi = semi.as_str().unwrap();
    assert!(semi.lines().next().unwrap().contains("name;phone;email"));
    assert!(
        semi.lines().nth(1).unwrap().contains(";40,4"),
        "decimal commas for a spreadsheet in Spain"
    );

    // The unchanged export imports back: every row an update, nothing added or changed.
    let snapshot = || async {
        sqlx::query_as::<
            _,
            (
                String,
                String,
                Option<String>,
                Option<String>,
                Option<f64>,
                i64,
            ),
        >("SELECT name, phone, email, address, lat, district_id FROM customers ORDER BY id")
        .fetch_all(&s.state.pool)
        .await
        .unwrap()
    };
    let was = snapshot().await;
    let (st, p) = text(
        &s,
        &owner,
        "/api/preview_customers_csv",
        &format!("text={}", enc(&csv)),
    )
    .await;
    assert_eq!(st, 200);
    assert!(p["errors"].as_array().unwrap().is_empty(), "{p}");
    assert!(p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r[3] == "Update"));
    let (st, done) = text(
        &s,
        &owner,
        "/api/import_customers_csv",
        &format!("text={}", enc(&csv)),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(done, serde_json::json!([0, before]));
    assert_eq!(snapshot().await, was);

    // A spreadsheet's file: BOM, `;`, quotes, a line break in a cell, and one bad row.
    let known: String = sqlx::query_scalar("SELECT phone FROM customers ORDER BY id LIMIT 1")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let file = |bad: &str| {
        format!(
            "\u{feff}Name;Phone;Email;Address;Lat;Lng;Marketing opt in;Notes\r\n\
             Nueva Clienta;611 222 333;nueva@example.com;\"Calle Mayor 3,\n1º\";40,417;-3,704;sí;\"Prefers \"\"mornings\"\"\"\r\n\
             Known Renamed;{known};;;;;;\r\n\
             Tercera;{bad};;;;;;\r\n"
        )
    };
    let broken = file("12");
    let (_, p) = text(
        &s,
        &owner,
        "/api/preview_customers_csv",
        &format!("text={}", enc(&broken)),
    )
    .await;
    assert_eq!(
        p["errors"],
        serde_json::json!(["Row 4, phone: \"12\" is not a phone number"])
    );
    let (st, e) = text(
        &s,
        &owner,
        "/api/import_customers_csv",
        &format!("text={}", enc(&broken)),
    )
    .await;
    assert_eq!(st, 422);
    assert!(e.to_string().contains("Row 4, phone"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM customers").await,
        before,
        "nothing imported"
    );

    let good = file("622 333 444");
    let (st, done) = text(
        &s,
        &owner,
        "/api/import_customers_csv",
        &format!("text={}", enc(&good)),
    )
    .await;
    assert_eq!(st, 200, "{done}");
    assert_eq!(done, serde_json::json!([2, 1]));
    let new: (String, String, Option<String>, Option<i64>, bool) = sqlx::query_as(
        "SELECT address, notes, email, district_id, marketing_opt_in FROM customers WHERE phone = '+34611222333'",
    )
    .fetch_one(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(new.0, "Calle Mayor 3,\n1º");
    assert_eq!(new.1, "Prefers \"mornings\"");
    assert_eq!(new.2.as_deref(), Some("nueva@example.com"));
    assert!(new.3.is_some(), "the pin put her in a district");
    assert!(new.4);
    let renamed: (String, Option<String>) =
        sqlx::query_as("SELECT name, address FROM customers WHERE phone = ?")
            .bind(&known)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert_eq!(renamed.0, "Known Renamed");
    assert!(
        renamed.1.is_some(),
        "an empty cell leaves the address as it was"
    );
    let log: Value = s
        .call(&owner, "/api/list_audit", "q=customer")
        .await
        .json()
        .await
        .unwrap();
    let actions = log.to_string();
    assert!(actions.contains("customer.import_csv") && actions.contains("export.customers"));
}

#[tokio::test]
async fn orders_are_exported_for_a_range_of_days() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let today = s.state.config.today();
    let (a, b) = (
        today.to_string(),
        (today + chrono::Duration::days(6)).to_string(),
    );
    let (st, csv) = text(
        &s,
        &owner,
        "/api/export_orders_csv",
        &format!("from={a}&to={b}"),
    )
    .await;
    assert_eq!(st, 200);
    let csv = csv.as_str().unwrap();
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "order");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let expected: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE fulfil_on BETWEEN ? AND ?")
            .bind(&a)
            .bind(&b)
            .fetch_one(&s.state.pool)
            .await
            .unwrap();
    assert!(expected > 0);
    assert_eq!(rows.len() as i64, expected);
    assert!(rows.iter().all(|r| r[1] >= *a && r[1] <= *b));
    assert!(rows.iter().all(|r| r[9].contains("× ")), "items listed");
    let (st, _) = text(
        &s,
        &owner,
        "/api/export_orders_csv",
        &format!("from={b}&to={a}"),
    )
    .await;
    assert_eq!(st, 422);
}

#[tokio::test]
async fn orders_come_in_from_a_spreadsheet_by_the_websites_rules_all_or_nothing() {
    let s = spawn().await;
    let owner = s.signed_in(OWNER).await;
    let mut day = s.state.config.today() + chrono::Duration::days(1);
    while chrono::Datelike::weekday(&day) == chrono::Weekday::Sun {
        day += chrono::Duration::days(1);
    }
    let bread: String = sqlx::query_scalar("SELECT name FROM products WHERE sku = 'BRD-SOUR'")
        .fetch_one(&s.state.pool)
        .await
        .unwrap();
    let past = s.state.config.today() - chrono::Duration::days(3);
    let file = |bad: bool| {
        let mut t = format!(
            "\u{feff}day;fulfilment;customer;phone;items;window;address;lat;lng\n\
             {day};pickup;Rosa Vidal;611 000 001;\"2× {bread}; 1 PAS-CROI\";10:00;;;\n\
             {day};delivery;Tomás Gil;611 000 002;6x pas-croi;09:00-11:00;Calle Mayor 8;40,417;-3,704\n"
        );
        if bad {
            t.push_str(&format!(
                "{past};pickup;Late;611 000 003;1 BRD-SOUR;10:00;;;\n"
            ));
        }
        t
    };
    let before = s.count("SELECT COUNT(*) FROM orders").await;
    let (st, p) = text(
        &s,
        &owner,
        "/api/preview_orders_csv",
        &format!("text={}", enc(&file(true))),
    )
    .await;
    assert_eq!(st, 200);
    let errors = p["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{p}");
    assert!(
        errors[0].as_str().unwrap().starts_with("Row 4, day: "),
        "{p}"
    );
    let (st, e) = text(
        &s,
        &owner,
        "/api/import_orders_csv",
        &format!("text={}", enc(&file(true))),
    )
    .await;
    assert_eq!(st, 422);
    assert!(e.to_string().contains("Row 4, day"));
    assert_eq!(
        s.count("SELECT COUNT(*) FROM orders").await,
        before,
        "nothing imported"
    );

    let (_, p) = text(
        &s,
        &owner,
        "/api/preview_orders_csv",
        &format!("text={}", enc(&file(false))),
    )
    .await;
    let actions: Vec<String> = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[3].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions.len(), 2);
    assert!(
        actions.iter().all(|a| a.starts_with("New order, €")),
        "{actions:?}"
    );
    let (st, done) = text(
        &s,
        &owner,
        "/api/import_orders_csv",
        &format!("text={}", enc(&file(false))),
    )
    .await;
    assert_eq!(st, 200, "{done}");
    assert_eq!(done, serde_json::json!([2, 0]));
    let imported: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT o.source, e.detail, (SELECT SUM(quantity) FROM order_items WHERE order_id = o.id)
         FROM orders o JOIN order_events e ON e.order_id = o.id AND e.kind = 'created'
         JOIN customers c ON c.id = o.customer_id
         WHERE c.phone IN ('+34611000001', '+34611000002') ORDER BY c.phone",
    )
    .fetch_all(&s.state.pool)
    .await
    .unwrap();
    assert_eq!(
        imported,
        [
            (
                "import".to_string(),
                "Imported from a spreadsheet".to_string(),
                3
            ),
            (
                "import".to_string(),
                "Imported from a spreadsheet".to_string(),
                6
            )
        ]
    );

    // That day's export imports back as "already in Hearth": nothing doubles.
    let (_, csv) = text(
        &s,
        &owner,
        "/api/export_orders_csv",
        &format!("from={day}&to={day}"),
    )
    .await;
    let csv = csv.as_str().unwrap().to_string();
    let on_day = s.count("SELECT COUNT(*) FROM orders").await;
    let (st, done) = text(
        &s,
        &owner,
        "/api/import_orders_csv",
        &format!("text={}", enc(&csv)),
    )
    .await;
    assert_eq!(st, 200, "{done}");
    assert_eq!(done[0], 0);
    assert!(done[1].as_i64().unwrap() >= 2);
    assert_eq!(s.count("SELECT COUNT(*) FROM orders").await, on_day);
}
