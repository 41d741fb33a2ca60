//! The demo's eleven Madrid districts: where they are, their days and fees, and the rings
//! drawn around them.
use chrono::Weekday;

pub(super) struct DistrictSeed {
    pub(super) name: &'static str,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) colour: &'static str,
    pub(super) days: &'static [Weekday],
    pub(super) fee: i64,
    pub(super) min: i64,
    pub(super) cap: i64,
    pub(super) postcode: &'static str,
    pub(super) streets: [&'static str; 5],
}

use Weekday::{Fri, Mon, Sat, Sun, Thu, Tue, Wed};

pub(super) const DISTRICTS: [DistrictSeed; 11] = [
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
        // The park's neighbours get their weekend breakfast on Sundays too: every day of the
        // week has deliveries somewhere, so "today" always has a run to plan and drive.
        days: &[Wed, Sat, Sun],
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
pub(super) const BBOX: (f64, f64, f64, f64) = (40.392, -3.728, 40.468, -3.662); // south, west, north, east
/// Longitude is scaled by cos(latitude) so that "nearest" means nearest on the ground.
pub(super) const LNG_SCALE: f64 = 0.7615;

/// "09:00-11:00, 11:00-13:00, ..." as an owner types windows.
pub(super) fn slots_text_of(w: &[(&str, &str)]) -> String {
    w.iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Clips `poly` to the half-plane `a·p <= b` (Sutherland–Hodgman, one edge).
pub(super) fn clip(poly: &[(f64, f64)], a: (f64, f64), b: f64) -> Vec<(f64, f64)> {
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
pub(super) fn district_rings() -> Vec<Vec<[f64; 2]>> {
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
pub(super) fn nearest_district(lat: f64, lng: f64) -> usize {
    let d2 = |d: &DistrictSeed| {
        let dx = (d.lng - lng) * LNG_SCALE;
        let dy = d.lat - lat;
        dx * dx + dy * dy
    };
    (0..DISTRICTS.len())
        .min_by(|&a, &b| d2(&DISTRICTS[a]).total_cmp(&d2(&DISTRICTS[b])))
        .unwrap_or(0)
}
