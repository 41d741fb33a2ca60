//! Every registered server function, called by a visitor, a driver, staff and the owner,
//! against an explicit table of who may call it. A new endpoint without a row fails this test.
mod common;

use common::*;
use std::collections::BTreeSet;

const ANON: &str = "anonymous";
const ALL: &[&str] = &[ANON, "driver", "staff", "owner"];
const SIGNED_IN: &[&str] = &["driver", "staff", "owner"];

/// (endpoint, a valid request body, who may call it).
const TABLE: &[(&str, &str, &[&str])] = &[
    ("/api/me", "", ALL),
    (
        "/api/login",
        "email=someone@example.com&password=wrong",
        ALL,
    ),
    ("/api/logout", "", ALL),
    ("/api/list_users", "", &["owner"]),
    (
        "/api/add_user",
        "email=new-{who}@example.com&name=New&role=staff&password=0123456789ab",
        &["owner"],
    ),
    ("/api/set_user_role", "user_id=2&role=staff", &["owner"]),
    ("/api/set_user_active", "user_id=2&active=true", &["owner"]),
    ("/api/list_board", "", &["owner", "staff"]),
    ("/api/get_dashboard", "", &["owner"]),
    ("/api/get_planning", "", &["owner"]),
    (
        "/api/get_planning_changes",
        "since=2026-01-05T09:00:00.000Z",
        &["owner"],
    ),
    ("/api/get_day_plan", "", &["owner"]),
    ("/api/optimise_runs", "day=2026-01-05", &["owner"]),
    ("/api/reorder_run", "run_id=999", &["owner"]),
    ("/api/lock_stop", "order_id=1&locked=true", &["owner"]),
    ("/api/publish_runs", "day=2026-01-05", &["owner"]),
    ("/api/get_run_sheet", "run_id=999", &["owner", "driver"]),
    ("/api/get_delivery_settings", "", &["owner"]),
    ("/api/start_search", "day=2026-01-05&seconds=0", &["owner"]),
    ("/api/search_status", "job=none", &["owner"]),
    ("/api/stop_search", "job=none", &["owner"]),
    ("/api/suggest_plan", "", &["owner"]),
    ("/api/start_plan", "", &["owner"]),
    ("/api/plan_progress", "", &["owner"]),
    ("/api/stop_plan", "", &["owner"]),
    (
        "/api/assign_day",
        "order_ids[0]=999999&day=2026-01-05",
        &["owner"],
    ),
    ("/api/pin_order", "order_id=999999&lat=0&lng=0", &["owner"]),
    (
        "/api/accept_suggestions",
        "order_ids[0]=1&days[0]=2020-01-01",
        &["owner"],
    ),
    ("/api/mark_cash_handed", "run_id=999", &["owner"]),
    (
        "/api/create_standing_order",
        "customer_id=999999&form[starts_on]=2020-01-01",
        &["owner"],
    ),
    ("/api/list_standing_orders", "", &["owner"]),
    (
        "/api/change_standing_order",
        "id=999999&action=resume",
        &["owner"],
    ),
    (
        "/api/change_standing_terms",
        "id=999999&form[window]=",
        &["owner"],
    ),
    (
        "/api/driver_update",
        "key=authz-{who}-0001&order_id=1&action=arrived",
        &["driver"],
    ),
    (
        "/api/save_delivery_settings",
        "kitchen_address=x&kitchen_lat=40.4&kitchen_lng=-3.7&detour_factor=1.3&avg_speed_kmh=20\
         &service_minutes=4&shift_start=09:00&shift_end=20:00&van_capacity=100&cost_per_km=0.3\
         &driver_cost_per_hour=15&third_party_base=3.9&third_party_per_km=0.8",
        &["owner"],
    ),
    ("/api/list_customers", "q=", &["owner"]),
    ("/api/get_driver_day", "", &["owner", "driver"]),
    (
        "/api/get_tracking",
        "token=0123456789abcdef0123456789abcdef",
        ALL,
    ),
    (
        "/api/get_receipt",
        "token=0123456789abcdef0123456789abcdef",
        ALL,
    ),
    ("/api/get_order", "order_id=1", &["owner", "staff"]),
    (
        "/api/cancel_order",
        "order_id=1&version=99&reason=test",
        &["owner", "staff"],
    ),
    (
        "/api/mark_paid",
        "order_id=1&version=99",
        &["owner", "staff"],
    ),
    (
        "/api/move_order",
        "order_id=1&to=confirmed&version=1",
        &["owner", "staff"],
    ),
    ("/api/find_customer", "phone=600000000", &["owner", "staff"]),
    ("/api/list_products", "", &["owner", "staff"]),
    (
        "/api/create_phone_order",
        "fields[phone]=abc&fields[name]=X&fields[fulfilment]=pickup&fields[date]=2000-01-01&fields[payment]=prepaid&key=authz-key-1",
        &["owner", "staff"],
    ),
    (
        "/api/quote_phone_order",
        "fields[phone]=abc&fields[name]=X&fields[fulfilment]=pickup&fields[date]=2000-01-01&fields[payment]=prepaid",
        &["owner", "staff"],
    ),
    ("/api/phone_order_setup", "", &["owner", "staff"]),
    (
        "/api/edit_order",
        "order_id=1&version=99&window=09:00-11:00",
        &["owner", "staff"],
    ),
    (
        "/api/edit_address",
        "order_id=1&version=99&address=Calle+1",
        &["owner", "staff"],
    ),
    (
        "/api/edit_items",
        "order_id=1&version=99&skus[0]=X&quantities[0]=1",
        &["owner", "staff"],
    ),
    (
        "/api/add_discount",
        "order_id=1&version=99&promo_code=X",
        &["owner", "staff"],
    ),
    (
        "/api/remove_discount",
        "order_id=1&version=99&what=code",
        &["owner", "staff"],
    ),
    ("/api/list_api_keys", "", &["owner"]),
    ("/api/get_districts", "", &["owner"]),
    (
        "/api/save_district",
        "name=X&colour=red&served_weekdays=0&delivery_fee=x&min_order=x&capacity_per_day=x&ring=x",
        &["owner"],
    ),
    ("/api/delete_district", "id=999999", &["owner"]),
    ("/api/import_districts", "geojson=x", &["owner"]),
    ("/api/export_districts", "", &["owner"]),
    ("/api/create_sign_in_link", "run_id=999999", &["owner"]),
    ("/api/save_driver_van", "driver_id=999999", &["owner"]),
    ("/api/create_api_key", "name=Website", &["owner"]),
    ("/api/revoke_api_key", "key_id=999", &["owner"]),
    ("/api/list_menu", "", &["owner"]),
    ("/api/save_product", "form[sku]=X", &["owner"]),
    ("/api/change_product", "id=999999&change=Up", &["owner"]),
    ("/api/export_menu_csv", "", &["owner"]),
    ("/api/preview_menu_csv", "text=x", &["owner"]),
    ("/api/import_menu_csv", "text=x", &["owner"]),
    ("/api/get_booking_rules", "", &["owner"]),
    ("/api/save_booking_rules", "form[horizon_days]=0", &["owner"]),
    ("/api/set_closed_date", "day=x", &["owner"]),
    ("/api/set_product_photo", "id=999999", &["owner"]),
    ("/api/get_readiness", "", &["owner"]),
    ("/api/get_business", "", &["owner"]),
    ("/api/save_business", "business_name=&currency=&timezone=", &["owner"]),
    ("/api/set_logo", "jpeg=x", &["owner"]),
    ("/api/list_backups", "", &["owner"]),
    ("/api/list_audit", "", &["owner"]),
    ("/api/export_customer", "id=999999", &["owner"]),
    ("/api/erase_customer", "id=999999", &["owner"]),
    ("/api/get_privacy", "", &["owner"]),
    ("/api/export_customers_csv", "", &["owner"]),
    ("/api/preview_customers_csv", "text=name", &["owner"]),
    ("/api/import_customers_csv", "text=name", &["owner"]),
    ("/api/export_orders_csv", "from=2026-01-01&to=2026-01-02", &["owner"]),
    ("/api/preview_orders_csv", "text=day", &["owner"]),
    ("/api/import_orders_csv", "text=day", &["owner"]),
    ("/api/close_privacy_request", "id=999999&done=true", &["owner"]),
    ("/api/set_customer_retention", "months=", &["owner"]),
    ("/api/set_audit_retention", "days=730", &["owner"]),
    // Anyone signed in, for their own account.
    ("/api/two_factor_status", "", SIGNED_IN),
    ("/api/my_language", "", SIGNED_IN),
    ("/api/set_my_language", "language=", SIGNED_IN),
    ("/api/start_two_factor", "", SIGNED_IN),
    ("/api/confirm_two_factor", "code=000000", SIGNED_IN),
    ("/api/disable_two_factor", "code=000000", SIGNED_IN),
    ("/api/reset_user_two_factor", "user_id=2", &["owner"]),
    ("/api/reset_user_password", "user_id=999&password=0123456789ab", &["owner"]),
    ("/api/back_up_now", "", &["owner"]),
    // Public: the setup page asks them before anyone exists. Once an account exists,
    // creating a "first" owner is a conflict for everyone (tests/first_run.rs).
    ("/api/first_run", "", ALL),
    ("/api/sign_in_words", "", ALL),
    ("/api/setup_words", "", ALL),
    ("/api/list_time_zones", "", ALL),
    (
        "/api/create_first_owner",
        "name=X&email=x-{who}%40example.com&password=0123456789ab",
        ALL,
    ),
    ("/api/get_production_plan", "day=2026-01-05", &["owner", "staff"]),
    ("/api/shopping_csv", "day=2026-01-05", &["owner", "staff"]),
    (
        "/api/mark_baked",
        "day=2026-01-05&product_id=999999&batches=1&baked_before=0",
        &["owner", "staff"],
    ),
    ("/api/get_stock", "", &["owner", "staff"]),
    (
        "/api/change_stock",
        "change=Receive&ingredient_id=999999&quantity=1",
        &["owner", "staff"],
    ),
    (
        "/api/save_ingredient",
        "form[name]=Authz+{who}&form[unit]=kg&form[cost]=1&form[reorder_level]=0",
        &["owner"],
    ),
    ("/api/add_supplier", "name=Authz+{who}", &["owner"]),
    ("/api/get_recipes", "", &["owner"]),
    (
        "/api/save_recipe",
        "product_id=999999&form[batch_yield]=1&form[prep_minutes]=0&form[bake_minutes]=0&form[station]=Oven",
        &["owner"],
    ),
    ("/api/get_stock_alerts", "", &["owner", "staff"]),
    ("/api/save_station", "station=Authz+{who}&batches=", &["owner"]),
    (
        "/api/create_purchase_order",
        "form[supplier_id]=999999&form[arrives_on]=&form[note]=",
        &["owner"],
    ),
    (
        "/api/order_shopping_list",
        "day=2026-01-05&supplier_id=999999",
        &["owner"],
    ),
    ("/api/receive_purchase_order", "id=999999", &["owner", "staff"]),
    ("/api/cancel_purchase_order", "id=999999", &["owner"]),
    ("/api/save_pantry_check", "on=false", &["owner"]),
    ("/api/stock_csv", "what=balances", &["owner", "staff"]),
    ("/api/recipes_csv", "", &["owner"]),
    ("/api/preview_kitchen_csv", "what=recipes&text=", &["owner"]),
    ("/api/import_kitchen_csv", "what=recipes&text=", &["owner"]),
    (
        "/api/record_waste",
        "day=&product_id=999999&units=1&reason=unsold",
        &["owner", "staff"],
    ),
    ("/api/get_promotions", "", &["owner"]),
    ("/api/get_report", "from=&to=&grain=", &["owner"]),
    ("/api/get_calendar", "month=", &["owner"]),
    ("/api/get_alerts", "", &["owner"]),
    ("/api/read_alerts", "up_to=0", &["owner"]),
    ("/api/get_alert_settings", "", &["owner"]),
    ("/api/set_alert_setting", "kind=x", &["owner"]),
    ("/api/save_push_device", "endpoint=x&p256dh=x&auth=x", &["owner"]),
    ("/api/forget_push_device", "id=0", &["owner"]),
    ("/api/get_forecast", "", &["owner"]),
    ("/api/report_csv", "from=&to=&grain=&table=sales", &["owner"]),
    ("/api/check_promotion", "draft[kind]=free_delivery", &["owner"]),
    (
        "/api/create_promotion",
        "draft[name]=Authz+{who}&draft[kind]=free_delivery",
        &["owner"],
    ),
    ("/api/set_promotion_active", "id=1&active=true", &["owner"]),
    ("/api/issue_promotion_codes", "id=1", &["owner"]),
    ("/api/get_nearby", "", &["owner"]),
    ("/api/get_loyalty", "", &["owner"]),
    (
        "/api/save_loyalty",
        "points_per_unit=x&value_per_100=x&min_redeem=x&expiry_days=x&referral_points=x",
        &["owner"],
    ),
    (
        "/api/adjust_points",
        "customer_id=999999&points=x&reason=authz",
        &["owner"],
    ),
    ("/api/issue_nearby_codes", "id=999999", &["owner"]),
    ("/api/get_customer", "id=1", &["owner"]),
    ("/api/save_customer_profile", "id=1", &["owner"]),
    ("/api/set_consent", "id=1&channel=sms&granted=false", &["owner"]),
    ("/api/merge_customers", "from=999998&into=999999", &["owner"]),
    ("/api/get_segments", "", &["owner"]),
    ("/api/count_segment", "", &["owner"]),
    ("/api/save_segment", "name=Authz+{who}", &["owner"]),
    ("/api/export_segment", "id=999999&channel=sms", &["owner"]),
    ("/api/get_subscription", "token=x", ALL),
    ("/api/unsubscribe", "token=x", ALL),
];

#[tokio::test]
async fn every_server_function_checks_the_callers_role() {
    let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let listed: BTreeSet<&str> = TABLE.iter().map(|(p, _, _)| *p).collect();
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "endpoints without an authorisation row: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for endpoints that no longer exist: {stale:?}"
    );

    let s = spawn().await;
    let mut checked = 0;
    for (path, body, allowed) in TABLE {
        for who in ALL {
            let c = match *who {
                ANON => client(),
                "driver" => s.signed_in(DRIVER).await,
                "staff" => s.signed_in(STAFF).await,
                _ => s.signed_in(OWNER).await,
            };
            let res = s.call(&c, path, &body.replace("{who}", who)).await;
            let status = res.status().as_u16();
            if allowed.contains(who) {
                assert!(
                    !matches!(status, 401 | 403),
                    "{who} should be allowed to call {path}, got {status}"
                );
            } else {
                let expected = if *who == ANON { 401 } else { 403 };
                assert_eq!(status, expected, "{who} calling {path}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, TABLE.len() * ALL.len());
}
