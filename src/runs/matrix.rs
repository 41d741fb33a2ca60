//! Travel distances and times between points: straight line × detour at an average speed (works
//! offline, the default), or an OSRM-compatible `/table` service when `HEARTH_OSRM_URL` is set.
use std::future::Future;

/// A point on the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
}

/// Row-major `n × n` metres and seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub n: usize,
    pub metres: Vec<f64>,
    pub seconds: Vec<f64>,
}

impl Matrix {
    pub fn metres(&self, a: usize, b: usize) -> f64 {
        self.metres[a * self.n + b]
    }
    pub fn seconds(&self, a: usize, b: usize) -> f64 {
        self.seconds[a * self.n + b]
    }
}

/// Something that knows how far apart points are.
pub trait DistanceMatrix {
    fn table(&self, points: &[Point]) -> impl Future<Output = Result<Matrix, String>> + Send;
}

/// Great-circle distance in metres.
pub fn haversine_m(a: Point, b: Point) -> f64 {
    const R: f64 = 6_371_000.0;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlng = (b.lng - a.lng).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Straight line × `detour`, driven at `speed_kmh`.
#[derive(Clone, Copy, Debug)]
pub struct StraightLine {
    pub detour: f64,
    pub speed_kmh: f64,
}

impl StraightLine {
    pub fn table_now(&self, points: &[Point]) -> Matrix {
        let n = points.len();
        let mut metres = vec![0.0; n * n];
        let mut seconds = vec![0.0; n * n];
        let mps = self.speed_kmh * 1000.0 / 3600.0;
        for (i, &a) in points.iter().enumerate() {
            for (j, &b) in points.iter().enumerate() {
                let m = haversine_m(a, b) * self.detour;
                metres[i * n + j] = m;
                seconds[i * n + j] = m / mps;
            }
        }
        Matrix { n, metres, seconds }
    }
}

impl DistanceMatrix for StraightLine {
    async fn table(&self, points: &[Point]) -> Result<Matrix, String> {
        Ok(self.table_now(points))
    }
}

/// The process's one HTTP client for the road server: its connection pool and TLS setup are
/// made once, not on every re-time.
pub fn shared_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new).clone()
}

/// An OSRM-compatible routing service: `GET {base}/table/v1/driving/{lng,lat;...}`
/// with `annotations=distance,duration`.
#[derive(Clone, Debug)]
pub struct Osrm {
    pub base_url: String,
    pub client: reqwest::Client,
}

#[derive(serde::Deserialize)]
struct OsrmTable {
    code: String,
    message: Option<String>,
    distances: Option<Vec<Vec<Option<f64>>>>,
    durations: Option<Vec<Vec<Option<f64>>>>,
}

impl DistanceMatrix for Osrm {
    async fn table(&self, points: &[Point]) -> Result<Matrix, String> {
        let n = points.len();
        let coords: Vec<String> = points
            .iter()
            .map(|p| format!("{:.6},{:.6}", p.lng, p.lat))
            .collect();
        let url = format!(
            "{}/table/v1/driving/{}?annotations=distance,duration",
            self.base_url.trim_end_matches('/'),
            coords.join(";")
        );
        let reply = self
            .client
            .get(&url)
            .timeout(std::time::Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| format!("the routing service did not answer: {e}"))?;
        let status = reply.status();
        let body: OsrmTable = reply.json().await.map_err(|e| {
            format!("the routing service answered {status} with something unreadable: {e}")
        })?;
        if body.code != "Ok" {
            return Err(format!(
                "the routing service said {}: {}",
                body.code,
                body.message.unwrap_or_default()
            ));
        }
        let flat = |rows: Option<Vec<Vec<Option<f64>>>>, what: &str| -> Result<Vec<f64>, String> {
            let rows = rows.ok_or(format!("the routing service sent no {what}"))?;
            if rows.len() != n || rows.iter().any(|r| r.len() != n) {
                return Err(format!(
                    "the routing service sent a {what} table of the wrong size"
                ));
            }
            rows.into_iter()
                .flatten()
                .map(|v| {
                    v.ok_or(format!(
                        "the routing service cannot route between some stops ({what} missing)"
                    ))
                })
                .collect()
        };
        Ok(Matrix {
            n,
            metres: flat(body.distances, "distance")?,
            seconds: flat(body.durations, "duration")?,
        })
    }
}

/// The configured provider.
#[derive(Clone, Debug)]
pub enum Travel {
    Straight(StraightLine),
    Osrm(Osrm),
}

impl DistanceMatrix for Travel {
    async fn table(&self, points: &[Point]) -> Result<Matrix, String> {
        match self {
            Travel::Straight(s) => s.table(points).await,
            Travel::Osrm(o) => o.table(points).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line_scales_with_detour_and_speed() {
        // Puerta del Sol to Retiro's Puerta de Alcalá: about 1.3 km apart.
        let sol = Point {
            lat: 40.41694,
            lng: -3.70361,
        };
        let alcala = Point {
            lat: 40.41997,
            lng: -3.68867,
        };
        let m = StraightLine {
            detour: 1.5,
            speed_kmh: 18.0,
        }
        .table_now(&[sol, alcala]);
        let straight = haversine_m(sol, alcala);
        assert!((1200.0..1400.0).contains(&straight), "{straight}");
        assert!((m.metres(0, 1) - straight * 1.5).abs() < 1e-6);
        assert!((m.seconds(0, 1) - straight * 1.5 / 5.0).abs() < 1e-6);
        assert_eq!(m.metres(1, 1), 0.0);
    }
}
