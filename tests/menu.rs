//! The owner's menu and booking rules on a real server: products made and changed through
//! the menu's server functions, then each booking rule seen from the storefront API with the
//! rule named and the next possible dates; prices that change leave orders alone; archived
//! products keep their orders.
mod common;

use chrono::{Datelike, Duration, NaiveDate};
use common::*;
use hearth::storefront::keys;
use serde_json::{json, Value};

struct Shop {
    s: TestServer,
    key: String,
    owner: reqwest::Client,
    http: reqwest::Client,
}

async fn shop() -> Shop {
    let s = spawn().await;
    let (_, key) = keys::create(&s.state.pool, "Website", None).await.unwrap();
    let owner = s.signed_in(OWNER).await;
    Shop {
        s,
        key,
        owner,
        http: reqwest::Client::new(),
    }
}

/// A product form, form-encoded as the page sends it (`form[field]=…`).
fn product(sku: &str, name: &str, extra: &[(&str, &str)], weekdays: &[u8]) -> String {
    let mut fields: Vec<(String, String)> = vec![
        ("sku".into(), sku.into()),
        ("name".into(), name.into()),
        ("description".into(), "Made for the test".into()),
        ("category".into(), "Test bakes".into()),
        ("price".into(), "5.00".into()),
        ("tax_rate".into(), "10".into()),
        ("daily_capacity".into(), "20".into()),
        ("lead_days".into(), "0".into()),
        ("min_quantity".into(), "1".into()),
        ("max_quantity".into(), "99".into()),
    ];
    for (k, v) in extra {
        if let Some(f) = fields.iter_mut().find(|f| f.0 == *k) {
            f.1 = v.to_string();
        }
    }
    let mut body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("form[{k}]={}", enc(v)))
        .collect();
    for (i, d) in weekdays.iter().enumerate() {
        body.push(format!("form[weekdays][{i}]={d}"));
    }
    body.push("form[allergens][0]=gluten&form[allergens][1]=milk".into());
    body.join("&")
}

const EVERY_DAY: [u8; 7] = [0, 1, 2, 3, 4, 5, 6];

/// The booking rules form: horizon, cut-off, and every day open for pickups 08–19 with a
/// break 13–16.
fn rules(horizon: i64, cutoff: &str) -> String {
    let mut body = vec![
        format!("form[horizon_days]={horizon}"),
        format!("form[cutoff]={}", enc(cutoff)),
    ];
    for i in 0..7 {
        body.push(format!(
            "form[days][{i}][open]=true&form[days][{i}][opens]=08%3A00&form[days][{i}][closes]=19%3A00&form[days][{i}][break_from]=13%3A00&form[days][{i}][break_to]=16%3A00"
        ));
    }
    body.join("&")
}

impl Shop {
    async fn save(&self, body: &str) -> (u16, Value) {
        let res = self.s.call(&self.owner, "/api/save_product", body).await;
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn set_rules(&self, body: &str) {
        let res = self
            .s
            .call(&self.owner, "/api/save_booking_rules", body)
            .await;
        assert_eq!(res.status(), 200, "{:?}", res.text().await);
    }

    fn today(&self) -> NaiveDate {
        self.s.state.config.today()
    }

    /// A pickup order of `qty` × `sku` for `day` at `time`.
    async fn pickup(&self, sku: &str, qty: i64, day: NaiveDate, time: &str) -> (u16, Value) {
        let body = json!({
            "customer": {"name": "Ana García", "phone": "655123123"},
            "fulfilment": {"type": "pickup", "date": day.to_string(), "time": time},
            "items": [{"sku": sku, "quantity": qty}],
            "payment": {"method": "pay_at_pickup"}
        });
        let res = self
            .http
            .post(self.s.url("/api/v1/orders"))
            .bearer_auth(&self.key)
            .header("Idempotency-Key", format!("k-{sku}-{qty}-{day}-{time}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A pickup order the rules refuse (422): its first error's field and message, and the
    /// next possible dates.
    async fn refused(
        &self,
        sku: &str,
        qty: i64,
        day: NaiveDate,
        time: &str,
    ) -> (String, String, Vec<String>) {
        let (status, e) = self.pickup(sku, qty, day, time).await;
        assert_eq!(status, 422, "{e}");
        refusal(&e)
    }

    async fn catalog(&self) -> Value {
        self.http
            .get(self.s.url("/api/v1/catalog"))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

fn refusal(v: &Value) -> (String, String, Vec<String>) {
    (
        v["errors"][0]["field"].as_str().unwrap_or("").to_string(),
        v["errors"][0]["message"].as_str().unwrap_or("").to_string(),
        v["next_possible_dates"]
            .as_array()
            .map(|a| a.iter().map(|d| d.as_str().unwrap().to_string()).collect())
            .unwrap_or_default(),
    )
}

#[tokio::test]
async fn each_booking_rule_is_named_with_the_next_possible_dates() {
    let shop = shop().await;
    shop.set_rules(&rules(10, "")).await;
    let today = shop.today();
    let (status, _) = shop
        .save(&product(
            "T-CAKE",
            "Test cake",
            &[("lead_days", "3")],
            &EVERY_DAY,
        ))
        .await;
    assert_eq!(status, 200);

    // Lead time: three days' notice.
    let (field, message, next) = shop
        .refused("T-CAKE", 1, today + Duration::days(2), "10:00")
        .await;
    assert_eq!(field, "items[0].sku");
    let earliest = today + Duration::days(3);
    assert_eq!(
        message,
        format!("Test cake needs 3 days' notice: the earliest day is {earliest}.")
    );
    assert_eq!(next.first(), Some(&earliest.to_string()), "{next:?}");
    let (status, o) = shop.pickup("T-CAKE", 1, earliest, "10:00").await;
    assert_eq!(status, 201, "{o}");

    // Offered weekdays: a bake made only on one weekday.
    let only = (today + Duration::days(4)).weekday().num_days_from_monday() as u8;
    let (status, _) = shop
        .save(&product("T-WEEKLY", "Weekly loaf", &[], &[only]))
        .await;
    assert_eq!(status, 200);
    let (field, message, next) = shop
        .refused("T-WEEKLY", 1, today + Duration::days(5), "10:00")
        .await;
    assert_eq!(field, "items[0].sku");
    assert!(message.starts_with("Weekly loaf is baked on "), "{message}");
    assert!(message.contains(&format!(
        "not on {}",
        (today + Duration::days(5)).format("%A")
    )));
    assert!(!next.is_empty());
    for d in &next {
        let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(d.weekday().num_days_from_monday() as u8, only, "{next:?}");
    }

    // Horizon: ten days, today included.
    let (field, message, next) = shop
        .refused("BRD-SOUR", 1, today + Duration::days(10), "10:00")
        .await;
    assert_eq!(field, "fulfilment.date");
    assert_eq!(
        message,
        format!(
            "Orders are taken up to 10 days ahead (until {}).",
            today + Duration::days(9)
        )
    );
    assert_eq!(next.first(), Some(&today.to_string()));

    // Closed date: refused, and skipped by the next possible dates.
    let closed = today + Duration::days(2);
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/set_closed_date",
            &format!("day={closed}&note=Family+wedding"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (field, message, next) = shop.refused("BRD-SOUR", 1, closed, "10:00").await;
    assert_eq!(field, "fulfilment.date");
    assert_eq!(
        message,
        format!("The bakery is closed on {closed} (Family wedding).")
    );
    assert!(!next.contains(&closed.to_string()), "{next:?}");
    assert_eq!(next.len(), 3);

    // Pickup hours with a break.
    let day = today + Duration::days(1);
    let (field, message, _) = shop.refused("BRD-SOUR", 1, day, "13:30").await;
    assert_eq!(field, "fulfilment.time");
    assert_eq!(
        message,
        format!(
            "Pickups on {} are 08:00–13:00, 16:00–19:00.",
            day.format("%A")
        )
    );
    let (status, o) = shop.pickup("BRD-SOUR", 1, day, "16:30").await;
    assert_eq!(status, 201, "{o}");

    // Cut-off: at 00:00 the day before, tomorrow is always closed by now.
    shop.set_rules(&rules(10, "00:00")).await;
    let tomorrow = today + Duration::days(1);
    let (field, message, next) = shop.refused("BRD-SOUR", 2, tomorrow, "10:00").await;
    assert_eq!(field, "fulfilment.date");
    assert_eq!(
        message,
        format!("Orders for {tomorrow} closed at 00:00 on {today}.")
    );
    assert_eq!(
        next.first(),
        Some(&(today + Duration::days(3)).to_string()),
        "closed day 2 skipped: {next:?}"
    );

    // A day the counter is shut for pickups.
    let mut body = rules(10, "");
    let shut = (today + Duration::days(4)).weekday().num_days_from_monday();
    body = body.replace(
        &format!("form[days][{shut}][open]=true"),
        &format!("form[days][{shut}][open]=false"),
    );
    shop.set_rules(&body).await;
    let (_, message, _) = shop
        .refused("BRD-SOUR", 3, today + Duration::days(4), "10:00")
        .await;
    assert!(
        message.starts_with("The bakery is closed for pickups on"),
        "{message}"
    );

    // Quantity limits per order.
    let (status, _) = shop
        .save(&product(
            "T-BOX",
            "Box of six",
            &[("max_quantity", "3")],
            &EVERY_DAY,
        ))
        .await;
    assert_eq!(status, 200);
    let (field, message, _) = shop.refused("T-BOX", 4, tomorrow, "10:00").await;
    assert_eq!(field, "items[0].quantity");
    assert!(
        message.contains("between 1 and 3 for Box of six"),
        "{message}"
    );

    // The catalog says all of it.
    let c = shop.catalog().await;
    assert_eq!(c["booking"]["horizon_days"], 10);
    assert_eq!(c["booking"]["closed_dates"], json!([closed.to_string()]));
    let cake = c["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == "T-CAKE")
        .unwrap();
    assert_eq!(cake["lead_days"], 3);
    assert_eq!(cake["allergens"], json!(["gluten", "milk"]));
    assert_eq!(cake["tax_rate_percent"], 10.0);
    let days: Vec<&str> = cake["days_available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(days.first(), Some(&earliest.to_string().as_str()));
    assert!(!days.contains(&closed.to_string().as_str()));
    let sun_hours = c["pickup"]["hours"].as_array().unwrap();
    assert_eq!(sun_hours.len(), 6);
    assert_eq!(sun_hours[0]["break_from"], "13:00");
}

#[tokio::test]
async fn a_new_price_leaves_orders_alone_and_an_archived_product_keeps_its_orders() {
    let shop = shop().await;
    shop.set_rules(&rules(14, "")).await;
    let (status, id) = shop
        .save(&product("T-LOAF", "Test loaf", &[], &EVERY_DAY))
        .await;
    assert_eq!(status, 200);
    let id = id.as_i64().unwrap();
    let day = shop.today() + Duration::days(1);
    let (status, o) = shop.pickup("T-LOAF", 2, day, "10:00").await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["total_cents"], 1000);
    let number = o["order_number"].as_i64().unwrap();

    let (status, _) = shop
        .save(&format!(
            "id={id}&{}",
            product("T-LOAF", "Test loaf", &[("price", "6.50")], &EVERY_DAY)
        ))
        .await;
    assert_eq!(status, 200);
    let total: i64 = sqlx::query_scalar("SELECT total_cents FROM orders WHERE number = ?")
        .bind(number)
        .fetch_one(&shop.s.state.pool)
        .await
        .unwrap();
    assert_eq!(total, 1000, "the order keeps the price it was taken at");
    let (status, o) = shop.pickup("T-LOAF", 2, day, "10:30").await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["total_cents"], 1300, "a new order takes the new price");

    // Delete is refused while orders have it; archive hides it and keeps the orders.
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={id}&change=Delete"),
        )
        .await;
    assert_eq!(res.status().as_u16(), 409, "{:?}", res.text().await);
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={id}&change=Archive"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let c = shop.catalog().await;
    assert!(!c["products"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["sku"] == "T-LOAF"));
    let (status, e) = shop.pickup("T-LOAF", 1, day, "11:00").await;
    assert_eq!(status, 422);
    assert!(refusal(&e).1.contains("no longer sold"), "{e}");
    let lines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.sku = 'T-LOAF'",
    )
    .fetch_one(&shop.s.state.pool)
    .await
    .unwrap();
    assert_eq!(lines, 2);
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={id}&change=Restore"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (status, o) = shop.pickup("T-LOAF", 1, day, "11:00").await;
    assert_eq!(status, 201, "{o}");

    // A product no order has can be deleted.
    let (_, fresh) = shop
        .save(&product("T-NEW", "Never sold", &[], &EVERY_DAY))
        .await;
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={}&change=Delete", fresh.as_i64().unwrap()),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        shop.s
            .count("SELECT COUNT(*) FROM products WHERE sku = 'T-NEW'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_bad_product_names_its_field_and_changes_nothing() {
    let shop = shop().await;
    let before = shop.s.count("SELECT COUNT(*) FROM products").await;
    for (extra, weekdays, field) in [
        (vec![("price", "4.555")], &EVERY_DAY[..], "price"),
        (vec![("name", "")], &EVERY_DAY[..], "name"),
        (vec![("sku", "BRD-SOUR")], &EVERY_DAY[..], "sku"),
        (vec![("lead_days", "-1")], &EVERY_DAY[..], "lead_days"),
        (
            vec![("min_quantity", "5"), ("max_quantity", "2")],
            &EVERY_DAY[..],
            "max_quantity",
        ),
        (vec![], &[][..], "weekdays"),
    ] {
        let (status, e) = shop.save(&product("T-BAD", "Bad", &extra, weekdays)).await;
        assert_eq!(status, 422, "{field}: {e}");
        assert_eq!(e["Validation"]["field"], field, "{e}");
    }
    assert_eq!(shop.s.count("SELECT COUNT(*) FROM products").await, before);
    // Staff may not change the menu.
    let staff = shop.s.signed_in(STAFF).await;
    let res = shop
        .s
        .call(
            &staff,
            "/api/save_product",
            &product("T-STAFF", "Staff", &[], &EVERY_DAY),
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(shop.s.count("SELECT COUNT(*) FROM products").await, before);
}

#[tokio::test]
async fn the_menu_keeps_the_owners_order() {
    let shop = shop().await;
    let list = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .filter(|p| p["category"] == "Breads")
            .map(|p| p["sku"].as_str().unwrap().to_string())
            .collect()
    };
    let menu: Value = shop
        .s
        .call(&shop.owner, "/api/list_menu", "")
        .await
        .json()
        .await
        .unwrap();
    let breads = list(&menu);
    let second = menu
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["sku"] == breads[1].as_str())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={second}&change=Up"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let menu: Value = shop
        .s
        .call(&shop.owner, "/api/list_menu", "")
        .await
        .json()
        .await
        .unwrap();
    let moved = list(&menu);
    assert_eq!(
        (moved[0].as_str(), moved[1].as_str()),
        (breads[1].as_str(), breads[0].as_str())
    );
    // The storefront's catalog lists them in the same order.
    let c = shop.catalog().await;
    let shown: Vec<&str> = c["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["category"] == "Breads")
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(shown, moved.iter().map(String::as_str).collect::<Vec<_>>());
    // The first can't go further up.
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/change_product",
            &format!("id={second}&change=Up"),
        )
        .await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn a_spreadsheet_csv_imports_all_or_nothing_and_exports_back() {
    let shop = shop().await;
    let before = shop.s.count("SELECT COUNT(*) FROM products").await;
    // As LibreOffice writes it: BOM, semicolons, decimal commas, quotes, a line break in a
    // description; one existing SKU (an update) and one bad row.
    let bad = "\u{feff}sku;name;category;price;daily_capacity;description;allergens\r\n\
        BRD-SOUR;Country sourdough;Breads;7,10;40;\"48 h; 900 g\";gluten\r\n\
        NEW-1;\"Pan \"\"gallego\"\"\";Panes;4,20;15;\"Corteza gruesa\r\nMiga abierta\";Cereals with gluten\r\n\
        NEW-2;Broken;Panes;cuatro;15;;\r\n";
    let body = format!("text={}", enc(bad));
    let preview: Value = shop
        .s
        .call(&shop.owner, "/api/preview_menu_csv", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["rows"], json!([]));
    assert_eq!(
        preview["errors"],
        json!(["Row 4, price: Price: an amount like 4.50, not \"cuatro\"."])
    );
    let res = shop
        .s
        .call(&shop.owner, "/api/import_menu_csv", &body)
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(shop.s.count("SELECT COUNT(*) FROM products").await, before);
    assert_eq!(
        shop.s
            .count("SELECT price_cents FROM products WHERE sku = 'BRD-SOUR'")
            .await,
        650,
        "all or nothing: the good rows did not go in either"
    );

    let good = bad.replace("NEW-2;Broken;Panes;cuatro;15;;\r\n", "");
    let body = format!("text={}", enc(&good));
    let preview: Value = shop
        .s
        .call(&shop.owner, "/api/preview_menu_csv", &body)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = preview["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["Update", "New"]);
    assert_eq!(
        shop.s.count("SELECT COUNT(*) FROM products").await,
        before,
        "a preview changes nothing"
    );
    let res = shop
        .s
        .call(&shop.owner, "/api/import_menu_csv", &body)
        .await;
    assert_eq!(res.status(), 200);
    let counts: Value = res.json().await.unwrap();
    assert_eq!(counts, json!([1, 1]));
    assert_eq!(
        shop.s
            .count("SELECT price_cents FROM products WHERE sku = 'BRD-SOUR'")
            .await,
        710
    );
    let (name, description): (String, String) =
        sqlx::query_as("SELECT name, description FROM products WHERE sku = 'NEW-1'")
            .fetch_one(&shop.s.state.pool)
            .await
            .unwrap();
    assert_eq!(name, "Pan \"gallego\"");
    assert_eq!(description, "Corteza gruesa\nMiga abierta");

    // The export reads back: same products, same order.
    let text: String = shop
        .s
        .call(&shop.owner, "/api/export_menu_csv", "semicolon=true")
        .await
        .json()
        .await
        .unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("\"Pan \"\"gallego\"\"\""), "{text}");
    let rows = hearth::menu::csv::parse(&text).unwrap();
    assert_eq!(rows.len() as i64, before + 1);
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/import_menu_csv",
            &format!("text={}", enc(&text)),
        )
        .await;
    let counts: Value = res.json().await.unwrap();
    assert_eq!(
        counts,
        json!([0, before + 1]),
        "re-importing an export only updates"
    );
}

#[tokio::test]
async fn a_product_photo_is_checked_served_publicly_and_listed_in_the_catalog() {
    use base64::Engine;
    let shop = shop().await;
    let b64 = |bytes: &[u8]| enc(&base64::engine::general_purpose::STANDARD.encode(bytes));
    let id = shop
        .s
        .count("SELECT id FROM products WHERE sku = 'BRD-SOUR'")
        .await;
    let sourdough = |c: &Value| -> Value {
        c["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["sku"] == "BRD-SOUR")
            .unwrap()
            .clone()
    };
    assert_eq!(sourdough(&shop.catalog().await)["image_url"], Value::Null);

    // Not a JPEG, or too big: named, nothing stored.
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
    for (bytes, why) in [
        (png.to_vec(), "must be a JPEG"),
        (tiny_jpeg(4000, 3000), "longest side"),
    ] {
        let res = shop
            .s
            .call(
                &shop.owner,
                "/api/set_product_photo",
                &format!("id={id}&jpeg={}", b64(&bytes)),
            )
            .await;
        assert_eq!(res.status(), 422);
        let e: Value = res.json().await.unwrap();
        assert_eq!(e["Validation"]["field"], "photo");
        assert!(
            e["Validation"]["message"].as_str().unwrap().contains(why),
            "{e}"
        );
    }
    assert_eq!(shop.s.count("SELECT COUNT(*) FROM product_photos").await, 0);
    // Staff may not.
    let staff = shop.s.signed_in(STAFF).await;
    let photo = tiny_jpeg(1200, 900);
    let body = format!("id={id}&jpeg={}", b64(&photo));
    assert_eq!(
        shop.s
            .call(&staff, "/api/set_product_photo", &body)
            .await
            .status(),
        403
    );

    let res = shop
        .s
        .call(&shop.owner, "/api/set_product_photo", &body)
        .await;
    assert_eq!(res.status(), 200);
    let url = sourdough(&shop.catalog().await)["image_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(url.contains(&format!("/media/products/{id}?v=")), "{url}");
    // Public (the website shows it), with the public URL's host replaced by the test server's.
    let path = &url[url.find("/media/").unwrap()..];
    let res = reqwest::get(shop.s.url(path)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.bytes().await.unwrap().to_vec(), photo);

    // Removed: gone from the catalog and the address.
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/set_product_photo",
            &format!("id={id}&jpeg="),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(sourdough(&shop.catalog().await)["image_url"], Value::Null);
    assert_eq!(reqwest::get(shop.s.url(path)).await.unwrap().status(), 404);
}

/// A delivery order to Calle Mayor (Centro) for `day`, in `window` (None: any time).
async fn deliver(
    shop: &Shop,
    day: NaiveDate,
    window: Option<(&str, &str)>,
    idem: &str,
) -> (u16, Value) {
    let mut fulfilment = json!({"type": "delivery", "address": "Calle Mayor 10, 28013 Madrid",
                                "lat": 40.4170, "lng": -3.7040, "date": day.to_string()});
    if let Some((from, to)) = window {
        fulfilment["window"] = json!({"from": from, "to": to});
    }
    let body = json!({
        "customer": {"name": "Ana García", "phone": "655123124"},
        "fulfilment": fulfilment,
        "items": [{"sku": "BRD-SOUR", "quantity": 4}],
        "payment": {"method": "cod"}
    });
    let res = shop
        .http
        .post(shop.s.url("/api/v1/orders"))
        .bearer_auth(&shop.key)
        .header("Idempotency-Key", idem)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn delivery_windows_per_district_and_weekday_bind_the_website() {
    let shop = shop().await;
    // The demo offers its four windows on every served day, through the editor's own checks.
    let cat = shop.catalog().await;
    let centro = cat["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Centro")
        .unwrap()
        .clone();
    let monday = &centro["windows"][0];
    assert_eq!(monday["weekday"], "Monday");
    assert_eq!(
        monday["windows"],
        json!([{"from": "09:00", "to": "11:00"}, {"from": "11:00", "to": "13:00"},
               {"from": "16:00", "to": "18:00"}, {"from": "18:00", "to": "20:00"}])
    );

    // The owner sets Centro's windows: mornings only on Tuesdays, any time on Wednesdays.
    let data: Value = shop
        .s
        .call(&shop.owner, "/api/get_districts", "")
        .await
        .json()
        .await
        .unwrap();
    let row = data["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["district"]["name"] == "Centro")
        .unwrap()
        .clone();
    let d = &row["district"];
    let save = |windows: [&str; 7]| {
        let mut body = format!(
            "id={}&name=Centro&colour={}&served_weekdays={}&delivery_fee=3.50&min_order=15.00&capacity_per_day=200&ring={}",
            d["id"],
            enc(d["colour"].as_str().unwrap()),
            d["served_weekdays"],
            enc(&d["ring"].to_string())
        );
        for (i, w) in windows.iter().enumerate() {
            body.push_str(&format!("&windows[{i}]={}", enc(w)));
        }
        body
    };
    let week = |tue: &'static str| ["9-11", tue, "", "9-11", "9-11", "9-11", ""];
    // A bad window is named with its day and nothing changes.
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/save_district",
            &save(week("10:00-12:00, 11:30-13:00")),
        )
        .await;
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    let text = e.to_string();
    assert!(text.contains("windows_tue"), "{text}");
    assert!(
        text.contains("Windows on Tue: 10:00–12:00 overlaps 11:30–13:00."),
        "{text}"
    );
    assert_eq!(shop.catalog().await["districts"], cat["districts"]);
    // A good one is saved and published.
    let res = shop
        .s
        .call(
            &shop.owner,
            "/api/save_district",
            &save(week("08:00–10:00; 10:00–12:00")),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let cat = shop.catalog().await;
    let centro = cat["districts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Centro")
        .unwrap()
        .clone();
    let by_day: Vec<(String, Value)> = centro["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["weekday"].as_str().unwrap().to_string(),
                w["windows"].clone(),
            )
        })
        .collect();
    assert_eq!(
        by_day.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(),
        ["Monday", "Tuesday", "Thursday", "Friday", "Saturday"],
        "Wednesday has none; Sunday is not served"
    );
    assert_eq!(
        by_day[1].1,
        json!([{"from": "08:00", "to": "10:00"}, {"from": "10:00", "to": "12:00"}])
    );

    // The website: a window not offered that day is refused with the offered ones named.
    let next = |wd: chrono::Weekday| {
        let mut d = shop.today() + Duration::days(1);
        while d.weekday() != wd {
            d += Duration::days(1);
        }
        d
    };
    let tue = next(chrono::Weekday::Tue);
    let before = shop.s.count("SELECT COUNT(*) FROM orders").await;
    let (status, e) = deliver(&shop, tue, Some(("09:00", "11:00")), "w-1").await;
    assert_eq!(status, 422, "{e}");
    let (field, message, dates) = refusal(&e);
    assert_eq!(field, "fulfilment.window");
    assert_eq!(
        message,
        "Centro is delivered on Tuesdays in these windows: 08:00–10:00, 10:00–12:00; 09:00–11:00 is not one of them."
    );
    assert!(dates.is_empty(), "a window is not a matter of days");
    assert_eq!(shop.s.count("SELECT COUNT(*) FROM orders").await, before);
    // The quote says the same.
    let quote: Value = shop
        .http
        .post(shop.s.url("/api/v1/quote"))
        .bearer_auth(&shop.key)
        .json(&json!({
            "customer": {"name": "Ana García", "phone": "655123124"},
            "fulfilment": {"type": "delivery", "address": "Calle Mayor 10", "lat": 40.417, "lng": -3.704,
                           "date": tue.to_string(), "window": {"from": "09:00", "to": "11:00"}},
            "items": [{"sku": "BRD-SOUR", "quantity": 4}],
            "payment": {"method": "cod"}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        quote.to_string().contains("08:00–10:00, 10:00–12:00"),
        "{quote}"
    );
    // An offered window, no window at all, and any window on a day without windows are taken.
    let (status, e) = deliver(&shop, tue, Some(("10:00", "12:00")), "w-2").await;
    assert_eq!(status, 201, "{e}");
    let (status, e) = deliver(&shop, tue, None, "w-3").await;
    assert_eq!(status, 201, "{e}");
    let wed = next(chrono::Weekday::Wed);
    let (status, e) = deliver(&shop, wed, Some(("14:15", "15:45")), "w-4").await;
    assert_eq!(status, 201, "{e}");
    assert_eq!(
        shop.s.count("SELECT COUNT(*) FROM orders").await,
        before + 3
    );
}
