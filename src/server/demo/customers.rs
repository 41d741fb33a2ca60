//! The demo's customers: points spread over the area, each in the district whose cell holds it,
//! with a Madrid name, phone, email and street, and what they agreed to hear about.
use sqlx::SqliteConnection;

use super::catalog::{FIRST_NAMES, LAST_NAMES};
use super::geo::{nearest_district, BBOX, DISTRICTS};
use super::Rng;
use crate::customers::Channel::{self, Email, Sms, Whatsapp};
use crate::error::AppError;

/// A demo customer as the orders need them.
pub(super) struct Cust {
    pub(super) id: i64,
    pub(super) district: usize,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) address: String,
}

/// How a batch of customers agreed to hear from the bakery.
#[derive(Clone, Copy)]
pub(super) enum Consent {
    /// Four in ten ticked the box at the website's checkout (the first customers).
    Checkout,
    /// A mix as a year of trading leaves it: ticked at checkout, told the bakery on the phone,
    /// and some who later withdrew a channel through the unsubscribe link.
    Mixed,
}

/// Adds customers until there are `until`, at most `per_district` in any district.
pub(super) async fn add(
    tx: &mut SqliteConnection,
    rng: &mut Rng,
    customers: &mut Vec<Cust>,
    (until, per_district): (usize, usize),
    district_ids: &[i64],
    consent: Consent,
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    let (s, w, n, e) = BBOX;
    let mut phones: Vec<String> = Vec::new();
    while customers.len() < until {
        let lat = s + 0.004 + rng.unit() * (n - s - 0.008);
        let lng = w + 0.004 + rng.unit() * (e - w - 0.008);
        let district = nearest_district(lat, lng);
        // Keep districts balanced.
        if customers.iter().filter(|c| c.district == district).count() >= per_district {
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
        let opt_in = rng.chance(match consent {
            Consent::Checkout => 0.4,
            Consent::Mixed => 0.55,
        });
        if phones.contains(&phone) {
            continue;
        }
        phones.push(phone.clone());
        let district_id = district_ids[district];
        let id = sqlx::query!(
            "INSERT INTO customers (name, phone, email, address, lat, lng, district_id, marketing_opt_in, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            name, phone, email, address, lat, lng, district_id, opt_in, now, now
        )
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        if opt_in {
            agree(tx, rng, id, customers.len(), consent).await?;
        }
        customers.push(Cust {
            id,
            district,
            lat,
            lng,
            address,
        });
    }
    Ok(())
}

/// The channels a customer who opted in chose, how, and (for some) one withdrawn since.
async fn agree(
    tx: &mut SqliteConnection,
    rng: &mut Rng,
    id: i64,
    nth: usize,
    consent: Consent,
) -> Result<(), AppError> {
    let channels: &[Channel] = match nth % 4 {
        0 => &[Email],
        1 => &[Email, Whatsapp],
        2 => &[Sms, Whatsapp],
        _ => &[Whatsapp],
    };
    let (how, withdraw) = match consent {
        Consent::Checkout => ("Website checkout", false),
        Consent::Mixed => (
            if rng.chance(0.3) {
                "Told the bakery"
            } else {
                "Website checkout"
            },
            rng.chance(0.12),
        ),
    };
    for c in channels {
        crate::customers::consent::set(tx, id, *c, true, how, None).await?;
    }
    if withdraw {
        crate::customers::consent::set(tx, id, channels[0], false, "Unsubscribe link", None)
            .await?;
    }
    Ok(())
}
