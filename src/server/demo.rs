//! The demo bakery: a home bakery in Madrid with eleven delivery districts, ~80 customers,
//! 15 products, ~150 orders from four weeks ago to two weeks ahead in every status, an owner,
//! a staff member and two drivers. Deterministic: the same seed and the same "today" give the
//! same data.
use chrono::{Datelike, Duration, TimeZone, Weekday};
use sqlx::SqlitePool;

use super::config::Config;
use super::db;
use crate::auth::password::{hash_blocking, DEMO_PASSWORD};
use crate::districts::model::mask_of;
use crate::error::AppError;

/// The demo accounts: (email, name, role).
pub const DEMO_USERS: [(&str, &str, &str); 4] = [
    ("owner@hearth.demo", "Lucía Navarro", "owner"),
    ("staff@hearth.demo", "Pablo Ortega", "staff"),
    ("driver@hearth.demo", "Marta Ruiz", "driver"),
    ("driver2@hearth.demo", "Javier Gil", "driver"),
];

const SEED: u64 = 0x4845_4152_5448; // "HEARTH"

/// SplitMix64: tiny, fast, and stable forever (unlike a library RNG whose stream may change).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A Poisson draw (by inversion: small means only).
    pub(super) fn poisson(&mut self, mean: f64) -> u64 {
        let (l, mut k, mut p) = ((-mean).exp(), 0, 1.0);
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
    /// An index drawn with the given weights.
    pub(super) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

struct DistrictSeed {
    name: &'static str,
    lat: f64,
    lng: f64,
    colour: &'static str,
    days: &'static [Weekday],
    fee: i64,
    min: i64,
    cap: i64,
    postcode: &'static str,
    streets: [&'static str; 5],
}

use Weekday::{Fri, Mon, Sat, Thu, Tue, Wed};

const DISTRICTS: [DistrictSeed; 11] = [
    DistrictSeed {
        name: "Malasaña",
        lat: 40.4265,
        lng: -3.7045,
        colour: "#d9480f",
        days: &[Tue, Fri, Sat],
        fee: 250,
        min: 1500,
        cap: 14,
        postcode: "28004",
        streets: [
            "Calle del Espíritu Santo",
            "Calle de San Andrés",
            "Calle del Pez",
            "Calle de la Palma",
            "Calle de Manuela Malasaña",
        ],
    },
    DistrictSeed {
        name: "Chamberí",
        lat: 40.4365,
        lng: -3.7030,
        colour: "#1c7ed6",
        days: &[Mon, Wed, Fri],
        fee: 300,
        min: 1500,
        cap: 14,
        postcode: "28010",
        streets: [
            "Calle de Olid",
            "Calle de Trafalgar",
            "Calle de Santa Engracia",
            "Calle de Ponzano",
            "Calle de Eloy Gonzalo",
        ],
    },
    DistrictSeed {
        name: "Salamanca",
        lat: 40.4295,
        lng: -3.6795,
        colour: "#7048e8",
        days: &[Tue, Thu, Sat],
        fee: 350,
        min: 2000,
        cap: 16,
        postcode: "28001",
        streets: [
            "Calle de Serrano",
            "Calle de Velázquez",
            "Calle de Goya",
            "Calle de Lagasca",
            "Calle de Hermosilla",
        ],
    },
    DistrictSeed {
        name: "Retiro",
        lat: 40.4095,
        lng: -3.6740,
        colour: "#2f9e44",
        days: &[Wed, Sat],
        fee: 350,
        min: 2000,
        cap: 12,
        postcode: "28009",
        streets: [
            "Calle de Ibiza",
            "Calle de O'Donnell",
            "Avenida de Menéndez Pelayo",
            "Calle del Doctor Castelo",
            "Calle de Narváez",
        ],
    },
    DistrictSeed {
        name: "Lavapiés",
        lat: 40.4080,
        lng: -3.7010,
        colour: "#e8590c",
        days: &[Mon, Thu],
        fee: 250,
        min: 1200,
        cap: 12,
        postcode: "28012",
        streets: [
            "Calle de Argumosa",
            "Calle del Ave María",
            "Calle de la Fe",
            "Calle de Valencia",
            "Calle de Embajadores",
        ],
    },
    DistrictSeed {
        name: "La Latina",
        lat: 40.4105,
        lng: -3.7135,
        colour: "#c2255c",
        days: &[Tue, Fri],
        fee: 250,
        min: 1200,
        cap: 12,
        postcode: "28005",
        streets: [
            "Calle de la Cava Baja",
            "Calle de Toledo",
            "Calle del Humilladero",
            "Calle de Segovia",
            "Calle de la Paloma",
        ],
    },
    DistrictSeed {
        name: "Arganzuela",
        lat: 40.3965,
        lng: -3.6960,
        colour: "#0c8599",
        days: &[Wed, Sat],
        fee: 400,
        min: 2000,
        cap: 10,
        postcode: "28045",
        streets: [
            "Paseo de las Delicias",
            "Calle de Méndez Álvaro",
            "Paseo de la Chopera",
            "Calle de Palos de la Frontera",
            "Calle de Tomás Bretón",
        ],
    },
    DistrictSeed {
        name: "Chamartín",
        lat: 40.4570,
        lng: -3.6785,
        colour: "#5c940d",
        days: &[Thu, Sat],
        fee: 450,
        min: 2500,
        cap: 10,
        postcode: "28002",
        streets: [
            "Calle del Príncipe de Vergara",
            "Calle de Alfonso XIII",
            "Calle de López de Hoyos",
            "Avenida de Alberto Alcocer",
            "Calle de Costa Rica",
        ],
    },
    DistrictSeed {
        name: "Tetuán",
        lat: 40.4585,
        lng: -3.7005,
        colour: "#e67700",
        days: &[Mon, Thu],
        fee: 400,
        min: 2000,
        cap: 10,
        postcode: "28020",
        streets: [
            "Calle de Bravo Murillo",
            "Calle de Orense",
            "Calle de Francos Rodríguez",
            "Calle del Marqués de Viana",
            "Calle de Pinos Alta",
        ],
    },
    DistrictSeed {
        name: "Argüelles",
        lat: 40.4310,
        lng: -3.7175,
        colour: "#3b5bdb",
        days: &[Wed, Fri],
        fee: 300,
        min: 1500,
        cap: 12,
        postcode: "28008",
        streets: [
            "Calle de la Princesa",
            "Calle de Alberto Aguilera",
            "Calle de Rodríguez San Pedro",
            "Calle de Ferraz",
            "Calle de Quintana",
        ],
    },
    DistrictSeed {
        name: "Centro",
        lat: 40.4170,
        lng: -3.7040,
        colour: "#862e9c",
        days: &[Mon, Tue, Wed, Thu, Fri, Sat],
        fee: 200,
        min: 1000,
        cap: 16,
        postcode: "28013",
        streets: [
            "Calle del Arenal",
            "Calle de la Montera",
            "Calle de Preciados",
            "Calle Mayor",
            "Calle de las Huertas",
        ],
    },
];

/// The area the districts tile: central Madrid.
const BBOX: (f64, f64, f64, f64) = (40.392, -3.728, 40.468, -3.662); // south, west, north, east
/// Longitude is scaled by cos(latitude) so that "nearest" means nearest on the ground.
const LNG_SCALE: f64 = 0.7615;

const PRODUCTS: [(&str, &str, &str, &str, i64, i64); 15] = [
    (
        "BRD-SOUR",
        "Country sourdough",
        "48-hour fermented wheat and rye loaf, 900 g",
        "bread",
        650,
        40,
    ),
    (
        "BRD-SEED",
        "Seeded rye",
        "Dense rye with sunflower, flax and pumpkin seeds",
        "bread",
        720,
        20,
    ),
    (
        "BRD-BAG",
        "Baguette tradition",
        "Long-fermented French baguette",
        "bread",
        220,
        60,
    ),
    (
        "BRD-FOC",
        "Rosemary focaccia",
        "Olive oil focaccia with rosemary and flaky salt",
        "bread",
        550,
        20,
    ),
    (
        "BRD-BRIO",
        "Butter brioche",
        "Enriched brioche loaf",
        "bread",
        780,
        15,
    ),
    (
        "BRD-SPELT",
        "Whole spelt loaf",
        "100% wholegrain spelt, 750 g",
        "bread",
        690,
        20,
    ),
    (
        "PAS-CROI",
        "Butter croissant",
        "Laminated with French butter",
        "pastry",
        190,
        120,
    ),
    (
        "PAS-PAC",
        "Pain au chocolat",
        "Two batons of dark chocolate",
        "pastry",
        220,
        80,
    ),
    (
        "PAS-ALM",
        "Almond croissant",
        "Twice-baked with frangipane",
        "pastry",
        290,
        40,
    ),
    (
        "PAS-CIN",
        "Cinnamon roll",
        "Brown butter and cinnamon swirl",
        "pastry",
        280,
        60,
    ),
    (
        "PAS-CARD",
        "Cardamom bun",
        "Swedish-style knot",
        "pastry",
        290,
        50,
    ),
    (
        "CAK-BASQ",
        "Basque cheesecake",
        "Burnt cheesecake, serves 8",
        "cake",
        3200,
        6,
    ),
    (
        "CAK-CARR",
        "Carrot cake",
        "Spiced, with cream cheese frosting, serves 10",
        "cake",
        2800,
        5,
    ),
    (
        "CAK-CHOC",
        "Chocolate olive-oil cake",
        "Dark chocolate, serves 8",
        "cake",
        2600,
        5,
    ),
    (
        "CAK-LEMT",
        "Lemon tart",
        "Sweet pastry, lemon curd, 24 cm",
        "cake",
        2400,
        6,
    ),
];

const FIRST_NAMES: [&str; 30] = [
    "Ana", "Carmen", "María", "Lucía", "Paula", "Elena", "Sara", "Laura", "Marta", "Alba", "Irene",
    "Clara", "Noelia", "Rocío", "Beatriz", "Javier", "Daniel", "Pablo", "Álvaro", "Hugo", "Diego",
    "Sergio", "Adrián", "Jorge", "Raúl", "Mario", "Iván", "Óscar", "Tomás", "Andrés",
];
const LAST_NAMES: [&str; 24] = [
    "García",
    "Martínez",
    "López",
    "Sánchez",
    "González",
    "Pérez",
    "Rodríguez",
    "Fernández",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Álvarez",
    "Romero",
    "Alonso",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Serrano",
];
const NOTES: [&str; 6] = [
    "Nut allergy: no almond products in this order, please.",
    "Ring twice, 3rd floor, no lift.",
    "Leave with the concierge if we are out.",
    "Birthday: please write 'Feliz cumple, Leo' on the card.",
    "Gluten-sensitive guest: keep the rye separate.",
    "Call on arrival, the buzzer is broken.",
];
pub(super) const WINDOWS: [(&str, &str); 4] = [
    ("09:00", "11:00"),
    ("11:00", "13:00"),
    ("16:00", "18:00"),
    ("18:00", "20:00"),
];

/// "09:00-11:00, 11:00-13:00, ..." as an owner types windows.
fn slots_text_of(w: &[(&str, &str)]) -> String {
    w.iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Clips `poly` to the half-plane `a·p <= b` (Sutherland–Hodgman, one edge).
fn clip(poly: &[(f64, f64)], a: (f64, f64), b: f64) -> Vec<(f64, f64)> {
    let inside = |p: (f64, f64)| a.0 * p.0 + a.1 * p.1 <= b + 1e-12;
    let cut = |p: (f64, f64), q: (f64, f64)| {
        let (fp, fq) = (a.0 * p.0 + a.1 * p.1 - b, a.0 * q.0 + a.1 * q.1 - b);
        let t = fp / (fp - fq);
        (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
    };
    let mut out = Vec::new();
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        match (inside(p), inside(q)) {
            (true, true) => out.push(q),
            (true, false) => out.push(cut(p, q)),
            (false, true) => {
                out.push(cut(p, q));
                out.push(q);
            }
            (false, false) => {}
        }
    }
    out
}

/// Each district's cell of the Voronoi diagram of the district centres inside `BBOX`, so the
/// districts tile the area without overlapping. Rings are `[lat, lng]`.
fn district_rings() -> Vec<Vec<[f64; 2]>> {
    let (s, w, n, e) = BBOX;
    let sites: Vec<(f64, f64)> = DISTRICTS
        .iter()
        .map(|d| (d.lng * LNG_SCALE, d.lat))
        .collect();
    sites
        .iter()
        .enumerate()
        .map(|(i, si)| {
            let mut poly = vec![
                (w * LNG_SCALE, s),
                (e * LNG_SCALE, s),
                (e * LNG_SCALE, n),
                (w * LNG_SCALE, n),
            ];
            for (j, sj) in sites.iter().enumerate() {
                if i != j {
                    let a = (sj.0 - si.0, sj.1 - si.1);
                    let b = (sj.0 * sj.0 + sj.1 * sj.1 - si.0 * si.0 - si.1 * si.1) / 2.0;
                    poly = clip(&poly, a, b);
                }
            }
            poly.into_iter().map(|(x, y)| [y, x / LNG_SCALE]).collect()
        })
        .collect()
}

/// The district whose centre is nearest (the Voronoi cell containing the point).
fn nearest_district(lat: f64, lng: f64) -> usize {
    let d2 = |d: &DistrictSeed| {
        let dx = (d.lng - lng) * LNG_SCALE;
        let dy = d.lat - lat;
        dx * dx + dy * dy
    };
    (0..DISTRICTS.len())
        .min_by(|&a, &b| d2(&DISTRICTS[a]).total_cmp(&d2(&DISTRICTS[b])))
        .unwrap_or(0)
}

/// The demo menu's category, tax (Spain: 4 % on bread, 10 % on the rest), allergens and
/// dietary tags.
fn demo_terms(
    sku: &str,
    cat: &str,
) -> (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
) {
    let category = match cat {
        "bread" => "Breads",
        "pastry" => "Pastries",
        _ => "Cakes",
    };
    let tax = if cat == "bread" { "4" } else { "10" };
    let (allergens, dietary): (&[&str], &[&str]) = match sku {
        "BRD-SOUR" | "BRD-BAG" | "BRD-SPELT" => (&["gluten"], &["vegan"]),
        "BRD-SEED" => (&["gluten", "sesame"], &["vegan"]),
        "BRD-FOC" => (&["gluten"], &["vegan"]),
        "BRD-BRIO" | "PAS-CROI" | "PAS-PAC" | "PAS-CIN" | "PAS-CARD" => {
            (&["gluten", "eggs", "milk"], &["vegetarian"])
        }
        "PAS-ALM" => (&["gluten", "eggs", "milk", "nuts"], &["vegetarian"]),
        "CAK-CARR" => (&["gluten", "eggs", "milk", "nuts"], &["vegetarian"]),
        "CAK-CHOC" => (&["gluten", "eggs"], &["vegetarian", "lactose_free"]),
        _ => (&["gluten", "eggs", "milk"], &["vegetarian"]),
    };
    (category, tax, allergens, dietary)
}

/// One demo order as written, for the recent weeks and the year before alike.
pub(super) struct DemoOrder {
    pub number: i64,
    pub customer_id: i64,
    pub status: &'static str,
    pub fulfilment: &'static str,
    pub fulfil_on: String,
    pub window: (String, String),
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub district_id: Option<i64>,
    pub payment: &'static str,
    pub paid: bool,
    pub subtotal: i64,
    pub fee: i64,
    pub notes: Option<String>,
    /// When it arrived (UTC timestamp).
    pub created: String,
    /// (product, quantity, unit price).
    pub lines: Vec<(i64, i64, i64)>,
}

/// Writes a demo order, its lines and its "created" history line; returns its id.
pub(super) async fn insert_order(
    tx: &mut sqlx::SqliteConnection,
    o: &DemoOrder,
) -> Result<i64, AppError> {
    let token = super::tokens::tracking_token()?;
    let total = o.subtotal + o.fee;
    let (wf, wt) = (&o.window.0, &o.window.1);
    let id = sqlx::query!(
        "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                             total_cents, notes, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'demo', ?, ?)",
        o.number, token, o.customer_id, o.status, o.fulfilment, o.fulfil_on, wf, wt,
        o.address, o.lat, o.lng, o.district_id, o.payment, o.paid, o.subtotal, o.fee, total, o.notes,
        o.created, o.created
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    for (pid, qty, price) in &o.lines {
        sqlx::query!(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)",
            id, pid, qty, price
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "INSERT INTO order_events (order_id, kind, to_status, detail, created_at) VALUES (?, 'created', 'received', 'Demo data', ?)",
        id, o.created
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// Summary of what `load` wrote.
#[derive(Debug, PartialEq, Eq)]
pub struct DemoCounts {
    pub districts: usize,
    pub customers: usize,
    pub products: usize,
    pub orders: usize,
    pub users: usize,
}

/// Two regular customers in Centro: a café's sourdough on Tuesdays and Fridays (or Mondays and
/// Thursdays, if that suits the runs) and a family's Saturday bread box, booked from next week
/// through the standing orders' own writer; their visits are created at once, through the
/// order core, as the worker would. Returns the orders created.
async fn standing_orders(pool: &SqlitePool, config: &Config) -> Result<usize, AppError> {
    use crate::storefront::model::{CustomerIn, ItemIn, PaymentIn, WindowIn};
    use crate::storefront::standing::{ScheduleIn, StandingFulfilmentIn, StandingOrderIn};
    let customers = sqlx::query!(
        r#"SELECT c.name, c.phone, c.address, c.lat AS "lat!: f64", c.lng AS "lng!: f64"
           FROM customers c JOIN districts d ON d.id = c.district_id
           WHERE d.name = 'Centro' AND c.lat IS NOT NULL ORDER BY c.id LIMIT 2"#
    )
    .fetch_all(pool)
    .await?;
    let today = config.today();
    let monday = crate::standing::model::monday_of(today) + chrono::Duration::days(7);
    type Plan = (
        &'static [(&'static str, i64)],
        &'static [&'static [&'static str]],
    );
    let plans: [Plan; 2] = [
        (
            &[("BRD-SOUR", 3), ("BRD-BAG", 4)],
            &[&["tue", "fri"], &["mon", "thu"]],
        ),
        (&[("BRD-SOUR", 1), ("PAS-CROI", 4)], &[&["sat"]]),
    ];
    let products = crate::storefront::intake::products(pool).await?;
    let core =
        crate::orders::core::Core::unheard(pool.clone(), std::sync::Arc::new(config.clone()));
    let mut made = 0;
    for (c, (items, weekdays)) in customers.into_iter().zip(plans) {
        let input = StandingOrderIn {
            customer: Some(CustomerIn {
                name: Some(c.name),
                phone: Some(c.phone),
                email: None,
                marketing_opt_in: None,
                consent: None,
            }),
            fulfilment: Some(StandingFulfilmentIn {
                kind: Some("delivery".into()),
                address: c.address,
                lat: Some(c.lat),
                lng: Some(c.lng),
                window: Some(WindowIn {
                    from: Some(WINDOWS[0].0.into()),
                    to: Some(WINDOWS[0].1.into()),
                }),
                time: None,
            }),
            items: Some(
                items
                    .iter()
                    .map(|(sku, q)| ItemIn {
                        sku: Some(sku.to_string()),
                        quantity: Some(*q),
                        note: None,
                    })
                    .collect(),
            ),
            payment: Some(PaymentIn {
                method: Some("cod".into()),
                reference: None,
            }),
            schedule: Some(ScheduleIn {
                visits_per_week: Some(weekdays[0].len() as i64),
                weekdays: Some(
                    weekdays
                        .iter()
                        .map(|p| p.iter().map(|d| d.to_string()).collect())
                        .collect(),
                ),
                starts_on: Some(monday.to_string()),
                ends_on: None,
            }),
            notes: None,
        };
        let (order, schedule) =
            crate::storefront::standing::validate(&input, today, &products, &config.phone_country)
                .map_err(|e| AppError::internal("demo standing order", format!("{e:?}")))?;
        let who = crate::audit::Who {
            id: None,
            name: "Demo".into(),
        };
        let id = crate::standing::store::create(pool, &order, &schedule, "staff", None, &who)
            .await?
            .id;
        let created = crate::standing::ahead::make(&core, Some(id)).await?.created;
        // Seeded, like the demo's other orders: nobody is told of them.
        for order in &created {
            sqlx::query!("DELETE FROM webhook_outbox WHERE order_id = ?", order)
                .execute(pool)
                .await?;
            sqlx::query!("DELETE FROM email_outbox WHERE order_id = ?", order)
                .execute(pool)
                .await?;
        }
        made += created.len();
    }
    Ok(made)
}

/// Plans today's deliveries of the demo bakery onto a run for its first driver (Marta) and
/// publishes it, so that `/driver` and the trackers show a run from the first start
/// (`HEARTH_DEMO_RUN=publish`, which `./hearth.sh run` sets). Returns the stops planned and
/// left out; nothing is planned on a day without deliveries (Sundays in the demo).
pub async fn publish_today(pool: &SqlitePool, config: &Config) -> Result<(usize, usize), AppError> {
    let email = DEMO_USERS.iter().find(|u| u.2 == "driver").map(|u| u.0);
    let driver = sqlx::query_scalar!(
        r#"SELECT id AS "id!: i64" FROM users WHERE email = ? AND role = 'driver'"#,
        email
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| {
        AppError::invalid(
            "HEARTH_DEMO_RUN",
            "The demo driver is not in this database.",
        )
    })?;
    let today = config.today();
    let plan = crate::runs::plan::optimise(pool, config, today, &[driver]).await?;
    // A day without open deliveries gives no run, and there is nothing to publish.
    if plan.planned > 0 {
        crate::runs::read::publish(pool, today, "Demo").await?;
    }
    Ok((plan.planned, plan.unplanned))
}

/// Loads the demo bakery in one transaction. With `reset`, first deletes all business data
/// and accounts; without it, refuses a database that already has users.
pub async fn load(pool: &SqlitePool, config: &Config, reset: bool) -> Result<DemoCounts, AppError> {
    let today = config.today();
    // Hash before taking the write lock: argon2 is slow on purpose.
    let hashes: Vec<String> = tokio::task::spawn_blocking(|| {
        DEMO_USERS
            .iter()
            .map(|_| hash_blocking(DEMO_PASSWORD))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::internal("demo hashing", e))??;

    let mut tx = db::begin_write(pool).await?;
    let existing = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 && !reset {
        return Err(AppError::Conflict(
            "The database already has accounts; use `hearth demo --reset` to replace everything with the demo bakery.".into(),
        ));
    }
    if reset {
        // The kitchen's moves name their users and products: it goes first.
        crate::kitchen::demo::clear_in(&mut tx).await?;
        crate::standing::store::clear_visits_in(&mut tx).await?;
        crate::alerts::store::clear_in(&mut tx).await?;
        for table in [
            "DELETE FROM consents",
            "DELETE FROM customer_tags",
            "DELETE FROM segments",
            "DELETE FROM promotion_uses",
            "DELETE FROM promotion_codes",
            "DELETE FROM promotion_products",
            "DELETE FROM promotion_districts",
            "DELETE FROM promotions",
            "DELETE FROM idempotency_keys",
            "DELETE FROM webhook_outbox",
            "DELETE FROM run_exclusions",
            "DELETE FROM run_stops",
            "DELETE FROM runs",
            "DELETE FROM order_events",
            "DELETE FROM order_items",
            "DELETE FROM orders",
            "DELETE FROM customers",
            "DELETE FROM capacity_used",
            "DELETE FROM login_attempts",
            "DELETE FROM api_keys",
            "DELETE FROM users",
        ] {
            if table == "DELETE FROM customers" {
                // Standing orders name customers and are named by orders: between the two.
                crate::standing::store::clear_in(&mut tx).await?;
            }
            sqlx::query(table).execute(&mut *tx).await?;
        }
        crate::districts::repo::clear_in(&mut tx).await?;
        crate::menu::repo::clear(&mut tx).await?;
        crate::settings::hours::clear_in(&mut tx).await?;
        // Sessions belong to the accounts just removed. The table exists once the server ran.
        let has_sessions = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM sqlite_master WHERE type = 'table' AND name = 'sessions'"#
        )
        .fetch_one(&mut *tx)
        .await?;
        if has_sessions > 0 {
            sqlx::query("DELETE FROM sessions")
                .execute(&mut *tx)
                .await?;
        }
    }

    let mut rng = Rng(SEED);
    let now = db::now();

    for ((email, name, role), hash) in DEMO_USERS.iter().zip(&hashes) {
        sqlx::query!(
            "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            email, name, role, hash, now, now
        )
        .execute(&mut *tx)
        .await?;
    }

    // Through the district editor's own checks and writer, as an owner would type them; every
    // served day offers the demo's four delivery windows.
    let mut district_ids = Vec::new();
    let windows = vec![slots_text_of(&WINDOWS); 7];
    for (seed, ring) in DISTRICTS.iter().zip(district_rings()) {
        let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);
        let d = crate::districts::edit::validate(
            0,
            seed.name,
            seed.colour,
            mask_of(seed.days),
            &money(seed.fee),
            &money(seed.min),
            &seed.cap.to_string(),
            &serde_json::to_string(&ring).unwrap_or_default(),
            &windows,
        )?;
        district_ids.push(crate::districts::repo::save_in(&mut tx, None, &d).await?);
    }

    let mut product_ids = Vec::new();
    // Pickup Monday to Saturday, 08:00–14:00; booking 14 days ahead, same-day orders taken.
    let hours = crate::settings::hours::HoursForm {
        horizon_days: "14".into(),
        cutoff: String::new(),
        days: (0..7)
            .map(|i| crate::settings::hours::DayForm {
                open: i < 6,
                opens: "08:00".into(),
                closes: "14:00".into(),
                ..Default::default()
            })
            .collect(),
    };
    crate::settings::hours::save_in(&mut tx, &hours).await?;

    // Through the menu's own form and writer, as an owner would type them.
    for (sku, name, desc, cat, price, cap) in PRODUCTS {
        let (category, tax, allergens, dietary) = demo_terms(sku, cat);
        let form = crate::menu::model::ProductForm {
            sku: sku.into(),
            name: name.into(),
            description: desc.into(),
            category: category.into(),
            price: format!("{:.2}", price as f64 / 100.0),
            tax_rate: tax.into(),
            daily_capacity: cap.to_string(),
            allergens: allergens.iter().map(|a| a.to_string()).collect(),
            dietary: dietary.iter().map(|a| a.to_string()).collect(),
            ..crate::menu::model::ProductForm::blank()
        };
        let id = crate::menu::repo::create(&mut tx, &form.validate()?).await?;
        product_ids.push((id, price));
    }

    // Customers: points spread over the area, each in the district whose cell holds it.
    struct Cust {
        id: i64,
        district: usize,
        lat: f64,
        lng: f64,
        address: String,
    }
    let mut customers: Vec<Cust> = Vec::new();
    let (s, w, n, e) = BBOX;
    while customers.len() < 80 {
        let lat = s + 0.004 + rng.unit() * (n - s - 0.008);
        let lng = w + 0.004 + rng.unit() * (e - w - 0.008);
        let district = nearest_district(lat, lng);
        // Keep districts balanced: at most 10 customers each.
        if customers.iter().filter(|c| c.district == district).count() >= 10 {
            continue;
        }
        let seed = &DISTRICTS[district];
        let name = format!(
            "{} {} {}",
            rng.pick(&FIRST_NAMES),
            rng.pick(&LAST_NAMES),
            rng.pick(&LAST_NAMES)
        );
        let phone = format!("+346{:08}", 10_000_000 + rng.below(89_999_999));
        let address = format!(
            "{}, {}, {}º {}, {} Madrid",
            rng.pick(&seed.streets),
            1 + rng.below(120),
            1 + rng.below(6),
            ["A", "B", "C", "D", "Izq.", "Dcha."][rng.below(6) as usize],
            seed.postcode
        );
        let email = format!(
            "{}{}@example.com",
            name.split_whitespace()
                .next()
                .unwrap_or("cliente")
                .to_lowercase(),
            customers.len() + 1
        );
        let opt_in = rng.chance(0.4);
        let district_id = district_ids[district];
        let id = sqlx::query!(
            "INSERT INTO customers (name, phone, email, address, lat, lng, district_id, marketing_opt_in, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            name, phone, email, address, lat, lng, district_id, opt_in, now, now
        )
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        // Those who opted in chose their channels: a mix of email, SMS and WhatsApp.
        if opt_in {
            use crate::customers::Channel::{Email, Sms, Whatsapp};
            let channels: &[crate::customers::Channel] = match customers.len() % 4 {
                0 => &[Email],
                1 => &[Email, Whatsapp],
                2 => &[Sms, Whatsapp],
                _ => &[Whatsapp],
            };
            for c in channels {
                crate::customers::consent::set(&mut tx, id, *c, true, "Website checkout", None)
                    .await?;
            }
        }
        customers.push(Cust {
            id,
            district,
            lat,
            lng,
            address,
        });
    }

    // Orders, day by day.
    let today_statuses = [
        "received",
        "confirmed",
        "baking",
        "ready",
        "out_for_delivery",
        "delivered",
    ];
    let mut number = 1001i64;
    let mut orders = 0usize;
    let mut unpinned_days: Vec<i64> = Vec::new();
    for offset in -28i64..=13 {
        let day = today + Duration::days(offset);
        let count = match offset {
            0 => 14,
            o if o < 0 => 3 + rng.below(2),
            _ => 2 + rng.below(3),
        };
        for k in 0..count {
            let weekday = day.weekday();
            let servable: Vec<usize> = (0..customers.len())
                .filter(|&i| DISTRICTS[customers[i].district].days.contains(&weekday))
                .collect();
            let delivery = !servable.is_empty() && rng.chance(0.8);
            let cust = if delivery {
                &customers[*rng.pick(&servable)]
            } else {
                &customers[rng.below(customers.len() as u64) as usize]
            };
            let status = match offset {
                o if o < 0 => {
                    if rng.chance(0.07) {
                        "cancelled"
                    } else if delivery {
                        "delivered"
                    } else {
                        "collected"
                    }
                }
                0 => {
                    let s = today_statuses[k as usize % today_statuses.len()];
                    if !delivery && s == "out_for_delivery" {
                        "ready"
                    } else if !delivery && s == "delivered" {
                        "collected"
                    } else {
                        s
                    }
                }
                // The next days have confirmed orders whatever the draw (half of each day's,
                // at least), so that the planning page always has some to plan.
                1 | 2 => {
                    let drawn = ["received", "confirmed"][rng.below(2) as usize];
                    if k % 2 == 0 {
                        "confirmed"
                    } else {
                        drawn
                    }
                }
                3..=5 => {
                    if rng.chance(0.05) {
                        "cancelled"
                    } else if k % 2 == 0 {
                        "confirmed"
                    } else {
                        "received"
                    }
                }
                _ => {
                    if rng.chance(0.05) {
                        "cancelled"
                    } else {
                        "received"
                    }
                }
            };
            let payment = if delivery {
                if rng.chance(0.4) {
                    "cod"
                } else {
                    "prepaid"
                }
            } else if rng.chance(0.5) {
                "pay_at_pickup"
            } else {
                "prepaid"
            };
            let closed = matches!(status, "delivered" | "collected");
            let paid = payment == "prepaid" || closed;
            let (window_from, window_to) = if delivery {
                let (a, b) = rng.pick(&WINDOWS);
                (a.to_string(), b.to_string())
            } else {
                let start = (8 + rng.below(6)) * 60 + 30 * rng.below(2);
                let end = start + 30;
                (
                    format!("{:02}:{:02}", start / 60, start % 60),
                    format!("{:02}:{:02}", end / 60, end % 60),
                )
            };
            // Two upcoming orders (on different days, from five days out) arrive without a pin
            // for the owner to place, whatever weekday today is.
            let unpinned = delivery
                && offset >= 5
                && unpinned_days.len() < 2
                && !unpinned_days.contains(&offset);
            if unpinned {
                unpinned_days.push(offset);
            }
            let seed = &DISTRICTS[cust.district];
            let fee = if delivery { seed.fee } else { 0 };
            let lines = 1 + rng.below(3);
            let mut items = Vec::new();
            let mut subtotal = 0i64;
            for _ in 0..lines {
                let (pid, price) = *rng.pick(&product_ids);
                if items.iter().any(|(p, _, _)| *p == pid) {
                    continue;
                }
                let qty = if price < 500 {
                    2 + rng.below(5) as i64
                } else {
                    1 + rng.below(2) as i64
                };
                subtotal += price * qty;
                items.push((pid, qty, price));
            }
            let notes = rng.chance(0.12).then(|| rng.pick(&NOTES).to_string());
            let created = {
                let placed = day - Duration::days(1 + rng.below(3) as i64);
                let local = placed
                    .and_hms_opt(8 + rng.below(12) as u32, rng.below(60) as u32, 0)
                    .unwrap_or_default();
                let utc = config
                    .timezone()
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.with_timezone(&chrono::Utc));
                utc.map(db::timestamp).unwrap_or_else(|| now.clone())
            };
            let fulfil_on = day.to_string();
            let (address, lat, lng, district_id) = if delivery && !unpinned {
                (
                    Some(cust.address.clone()),
                    Some(cust.lat),
                    Some(cust.lng),
                    Some(district_ids[cust.district]),
                )
            } else if unpinned {
                (Some(cust.address.clone()), None, None, None)
            } else {
                (None, None, None, None)
            };
            let fulfilment = if delivery { "delivery" } else { "pickup" };
            insert_order(
                &mut tx,
                &DemoOrder {
                    number,
                    customer_id: cust.id,
                    status,
                    fulfilment,
                    fulfil_on,
                    window: (window_from, window_to),
                    address,
                    lat,
                    lng,
                    district_id,
                    payment,
                    paid,
                    subtotal,
                    fee,
                    notes,
                    created,
                    lines: items,
                },
            )
            .await?;
            number += 1;
            orders += 1;
        }
    }
    // Half of the upcoming, not yet baking deliveries accept any day of their week.
    let (soon, horizon) = (
        (today + chrono::Duration::days(2)).to_string(),
        (today + chrono::Duration::days(1)).to_string(),
    );
    sqlx::query!(
        "UPDATE orders SET flex_from = MAX(date(fulfil_on, '-3 day'), ?), flex_to = date(fulfil_on, '+3 day')
         WHERE fulfilment = 'delivery' AND status IN ('received', 'confirmed') AND fulfil_on >= ? AND id % 2 = 0",
        horizon,
        soon
    )
    .execute(&mut *tx)
    .await?;
    let owner = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM users WHERE role = 'owner' ORDER BY id LIMIT 1"#
    )
    .fetch_one(&mut *tx)
    .await?;
    crate::kitchen::demo::seed(&mut tx, today, owner).await?;
    // Past promotions and the orders that used them: their discounts and totals follow.
    crate::promotions::demo::seed(&mut tx, today, owner).await?;
    sqlx::query!(
        "UPDATE orders SET
             discount_cents = (SELECT SUM(u.items_cents + u.delivery_cents) FROM promotion_uses u WHERE u.order_id = orders.id),
             promo_code = (SELECT u.code FROM promotion_uses u WHERE u.order_id = orders.id AND u.code IS NOT NULL),
             total_cents = MAX(0, subtotal_cents + delivery_fee_cents
                                  - (SELECT SUM(u.items_cents + u.delivery_cents) FROM promotion_uses u WHERE u.order_id = orders.id))
         WHERE id IN (SELECT order_id FROM promotion_uses)"
    )
    .execute(&mut *tx)
    .await?;
    // The recent cancellations were for a reason the customer gave.
    sqlx::query!(
        "INSERT INTO order_events (order_id, kind, from_status, to_status, detail, created_at)
         SELECT id, 'cancelled', 'received', 'cancelled',
                CASE id % 4 WHEN 0 THEN 'Customer away that day' WHEN 1 THEN 'Changed their mind'
                            WHEN 2 THEN 'Ordered twice by mistake' ELSE 'Wrong day chosen' END,
                created_at
         FROM orders WHERE status = 'cancelled'"
    )
    .execute(&mut *tx)
    .await?;
    // The year before, for the reports and the forecast (numbered below the recent orders).
    let past: Vec<super::demo_history::Customer> = customers
        .iter()
        .map(|c| super::demo_history::Customer {
            id: c.id,
            district_id: district_ids[c.district],
            served: DISTRICTS[c.district].days,
            fee_cents: DISTRICTS[c.district].fee,
            lat: c.lat,
            lng: c.lng,
            address: c.address.clone(),
        })
        .collect();
    orders += super::demo_history::seed(
        &mut tx,
        config,
        today - Duration::days(364),
        today - Duration::days(29),
        &past,
        &product_ids,
    )
    .await?;
    // The kitchen, in Chamberí: every run starts and ends here.
    sqlx::query!(
        "UPDATE business_settings SET kitchen_address = 'Calle de Ponzano 39, Madrid', kitchen_lat = 40.4421, kitchen_lng = -3.7012
         WHERE id = 1"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let orders = orders + standing_orders(pool, config).await?;
    // The demo's own making is not news: its alerts (with its lots near their best-before)
    // are in the bell, but nobody is emailed.
    let mut tx = db::begin_write(pool).await?;
    crate::alerts::store::raise_best_before(&mut tx, config.today()).await?;
    crate::alerts::store::nothing_to_send_for_what_is_pending(&mut tx).await?;
    tx.commit().await?;
    Ok(DemoCounts {
        districts: DISTRICTS.len(),
        customers: customers.len(),
        products: PRODUCTS.len(),
        orders,
        users: DEMO_USERS.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn point_in_ring(lat: f64, lng: f64, ring: &[[f64; 2]]) -> bool {
        let mut inside = false;
        let mut j = ring.len() - 1;
        for i in 0..ring.len() {
            let ([yi, xi], [yj, xj]) = (ring[i], ring[j]);
            if (yi > lat) != (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    }

    #[test]
    fn districts_tile_the_area_without_overlap() {
        let rings = district_rings();
        assert_eq!(rings.len(), DISTRICTS.len());
        let mut rng = Rng(7);
        let (s, w, n, e) = BBOX;
        for _ in 0..2000 {
            let lat = s + rng.unit() * (n - s);
            let lng = w + rng.unit() * (e - w);
            let hits: Vec<usize> = (0..rings.len())
                .filter(|&i| point_in_ring(lat, lng, &rings[i]))
                .collect();
            // Points exactly on a shared border may be claimed by none; none may be claimed twice.
            assert!(hits.len() <= 1, "({lat}, {lng}) is in {hits:?}");
            if let [only] = hits[..] {
                assert_eq!(only, nearest_district(lat, lng));
            }
        }
        for (seed, ring) in DISTRICTS.iter().zip(&rings) {
            assert!(
                point_in_ring(seed.lat, seed.lng, ring),
                "{} holds its own centre",
                seed.name
            );
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng(SEED), Rng(SEED));
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next()).collect();
        assert_eq!(xs, ys);
        assert_eq!(xs[0], Rng(SEED).next());
    }

    #[test]
    fn every_weekday_but_sunday_has_delivery_districts() {
        for day in [Mon, Tue, Wed, Thu, Fri, Sat] {
            let n = DISTRICTS.iter().filter(|d| d.days.contains(&day)).count();
            assert!(n >= 3, "{day} has only {n} districts");
        }
    }
}

#[cfg(test)]
mod db_tests {
    use super::*;
    use crate::districts::model::{ring_from_geojson, serves};

    fn config() -> Config {
        Config::from_env().expect("config")
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn the_demo_can_start_with_todays_run_published_for_its_driver(pool: SqlitePool) {
        let cfg = config();
        load(&pool, &cfg, false).await.unwrap();
        let today = cfg.today().to_string();
        let open_today = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM orders WHERE fulfil_on = ? AND fulfilment = 'delivery'
                   AND status NOT IN ('delivered', 'cancelled') AND lat IS NOT NULL",
            )
            .bind(&today)
            .fetch_one(&pool)
            .await
            .unwrap()
        };
        let runs_today = || async {
            sqlx::query_as::<_, (String, String, i64)>(
                "SELECT u.email, r.status, (SELECT COUNT(*) FROM run_stops s WHERE s.run_id = r.id)
                   FROM runs r JOIN users u ON u.id = r.driver_id WHERE r.day = ?",
            )
            .bind(&today)
            .fetch_all(&pool)
            .await
            .unwrap()
        };
        let (planned, unplanned) = publish_today(&pool, &cfg).await.unwrap();
        let open = open_today().await;
        assert_eq!((planned + unplanned) as i64, open);
        let runs = runs_today().await;
        if open > 0 {
            assert!(planned > 0, "none of today's {open} deliveries was planned");
            let [(driver, status, stops)] = &runs[..] else {
                panic!("one run expected: {runs:?}")
            };
            assert_eq!(driver, "driver@hearth.demo");
            assert_eq!(status, "published");
            assert_eq!(*stops, planned as i64);
        } else {
            assert!(runs.is_empty(), "{runs:?}");
        }
        // A day without open deliveries (in the demo, any Sunday): nothing planned, no run.
        sqlx::query(
            "UPDATE orders SET status = 'delivered' WHERE fulfil_on = ? AND status <> 'cancelled'",
        )
        .bind(&today)
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(open_today().await, 0);
        assert_eq!(publish_today(&pool, &cfg).await.unwrap(), (0, 0));
        let runs = runs_today().await;
        assert!(runs.is_empty(), "{runs:?}");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn the_demo_bakery_is_complete_and_consistent(pool: SqlitePool) {
        let cfg = config();
        let counts = load(&pool, &cfg, false).await.unwrap();
        assert_eq!(counts.districts, 11);
        assert_eq!(counts.customers, 80);
        assert_eq!(counts.products, 15);
        // Six weeks around today, and the year before them.
        assert!((900..=1170).contains(&counts.orders), "{counts:?}");

        // Every status appears.
        let statuses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT status FROM orders")
            .fetch_all(&pool)
            .await
            .unwrap();
        for s in crate::orders::model::OrderStatus::ALL {
            assert!(
                statuses.contains(&s.as_str().to_string()),
                "no {} order",
                s.as_str()
            );
        }
        // Orders span a year back and two weeks ahead; numbers follow the days.
        let today = cfg.today();
        let (min, max): (String, String) =
            sqlx::query_as("SELECT MIN(fulfil_on), MAX(fulfil_on) FROM orders")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(min <= (today - Duration::days(330)).to_string(), "{min}");
        assert_eq!(max, (today + Duration::days(13)).to_string());
        let out_of_order: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders a JOIN orders b ON a.number < b.number AND a.fulfil_on > b.fulfil_on
             WHERE b.number <= 1000",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(
            out_of_order, 0,
            "the year's orders are numbered in day order, before the recent ones"
        );

        // Pinned deliveries fall in their district, on a day it is served, and totals add up.
        let rings: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT id, boundary, served_weekdays FROM districts")
                .fetch_all(&pool)
                .await
                .unwrap();
        type Row = (f64, f64, i64, String, i64, i64, i64, i64);
        let orders: Vec<Row> = sqlx::query_as(
            "SELECT lat, lng, district_id, fulfil_on, subtotal_cents, delivery_fee_cents, total_cents, discount_cents
             FROM orders WHERE fulfilment = 'delivery' AND lat IS NOT NULL",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(orders.len() > 80);
        for (lat, lng, district, day, sub, fee, total, discount) in orders {
            let (_, boundary, mask) = rings.iter().find(|(id, _, _)| *id == district).unwrap();
            let ring = ring_from_geojson(boundary).unwrap();
            assert!(
                tests::point_in_ring(lat, lng, &ring),
                "({lat},{lng}) outside district {district}"
            );
            let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
            assert!(
                serves(*mask as u8, day.weekday()),
                "district {district} not served on {day}"
            );
            assert_eq!(sub + fee - discount, total);
        }
        // Past promotions with their uses, each discount on its order.
        let (uses, mismatched): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), SUM(o.discount_cents <> (SELECT SUM(x.items_cents + x.delivery_cents)
                                                        FROM promotion_uses x WHERE x.order_id = o.id))
             FROM promotion_uses u JOIN orders o ON o.id = u.order_id",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(uses >= 10, "{uses} promotion uses");
        assert_eq!(mismatched, 0);
        let held_back: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM promotion_codes WHERE held_out = 1")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(held_back > 0, "a comparison group");
        let item_sums: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders o WHERE o.subtotal_cents <>
               (SELECT SUM(quantity * unit_price_cents) FROM order_items WHERE order_id = o.id)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(item_sums, 0, "subtotals equal the sum of their lines");
        let needs_location: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders WHERE fulfilment = 'delivery' AND lat IS NULL",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(needs_location >= 1, "some orders wait for a pin");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn loading_twice_is_refused_and_reset_replaces_everything(pool: SqlitePool) {
        let cfg = config();
        let first = load(&pool, &cfg, false).await.unwrap();
        let err = load(&pool, &cfg, false).await.unwrap_err();
        assert!(matches!(err, AppError::Conflict(_)));
        let again = load(&pool, &cfg, true).await.unwrap();
        assert_eq!(first, again);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(orders as usize, again.orders);
        let numbers: Vec<i64> = sqlx::query_scalar(
            "SELECT number FROM orders WHERE number IN (1, 2, 1001, 1002) ORDER BY number",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(numbers, vec![1, 2, 1001, 1002], "same data after a reset");
    }
}
