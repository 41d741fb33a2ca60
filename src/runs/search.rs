//! Longer searches for a day's runs, in the background: start, watch the best plan so far,
//! stop early (the best plan found is kept). The runs page polls the status.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::Optimised;
use crate::error::AppError;

/// Where a search is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchState {
    pub elapsed_s: f64,
    pub seconds: f64,
    /// Best plan so far.
    pub vehicles: usize,
    pub km: f64,
    pub unserved: usize,
    pub done: bool,
    pub outcome: Option<Optimised>,
    pub error: Option<String>,
}

#[cfg(feature = "ssr")]
mod jobs {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    use std::time::Instant;

    use super::super::model::Optimised;
    use super::super::plan::Search;
    use crate::error::AppError;

    pub struct Job {
        pub search: Search,
        pub started: Instant,
        pub result: Mutex<Option<Result<Optimised, AppError>>>,
    }

    pub fn all() -> &'static Mutex<HashMap<String, Arc<Job>>> {
        static JOBS: OnceLock<Mutex<HashMap<String, Arc<Job>>>> = OnceLock::new();
        JOBS.get_or_init(Default::default)
    }

    pub fn get(id: &str) -> Result<Arc<Job>, AppError> {
        all()
            .lock()
            .expect("jobs lock")
            .get(id)
            .cloned()
            .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-search")))
    }
}

/// Starts a search of `seconds` (1–120) for the day's runs with these drivers. Owner.
#[server(endpoint = "start_search")]
pub async fn start_search(
    day: String,
    #[server(default)] drivers: Vec<i64>,
    seconds: f64,
) -> Result<String, AppError> {
    use std::sync::atomic::AtomicBool;
    use std::sync::{Arc, Mutex};

    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let me = me.name;
        let day = crate::orders::model::parse_day(&day, "day")?;
        if !(1.0..=120.0).contains(&seconds) {
            return Err(AppError::invalid(
                "seconds",
                crate::said::said("refuse-seconds-range"),
            ));
        }
        if drivers.is_empty() {
            return Err(AppError::invalid(
                "drivers",
                crate::said::said("refuse-choose-driver"),
            ));
        }
        let id = crate::server::tokens::random_hex::<12>()?;
        let search = super::plan::Search {
            seconds,
            stop: Arc::new(AtomicBool::new(false)),
            progress: Arc::new(Mutex::new(None)),
        };
        let job = Arc::new(jobs::Job {
            search: search.clone(),
            started: std::time::Instant::now(),
            result: Mutex::new(None),
        });
        jobs::all()
            .lock()
            .expect("jobs lock")
            .insert(id.clone(), job.clone());
        let (pool, config) = (cx.state.pool.clone(), cx.state.config.clone());
        let events = cx.state.events.clone();
        tokio::spawn(async move {
            let r = super::plan::optimise_with(&pool, &config, day, &drivers, Some(search)).await;
            if matches!(&r, Ok(o) if o.republished) {
                super::plan::announce_republished(&pool, &events, day, &me).await;
            }
            *job.result.lock().expect("result lock") = Some(r);
        });
        Ok(id)
    })
    .await
}

/// The best plan so far of a search, or its outcome once done. Owner.
#[server(endpoint = "search_status")]
pub async fn search_status(job: String) -> Result<SearchState, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, _me| async move {
        let j = jobs::get(&job)?;
        let p = *j.search.progress.lock().expect("progress lock");
        let result = j.result.lock().expect("result lock").clone();
        if result.is_some() {
            jobs::all().lock().expect("jobs lock").remove(&job);
        }
        Ok(SearchState {
            elapsed_s: j.started.elapsed().as_secs_f64(),
            seconds: j.search.seconds,
            vehicles: p.map_or(0, |p| p.vehicles),
            km: p.map_or(0.0, |p| (p.distance / 100.0).round() / 10.0),
            unserved: p.map_or(0, |p| p.unserved),
            done: result.is_some(),
            outcome: result.clone().and_then(Result::ok),
            error: result.and_then(Result::err).map(|e| e.to_string()),
        })
    })
    .await
}

/// Stops a search early; the best plan found so far is stored. Owner.
#[server(endpoint = "stop_search")]
pub async fn stop_search(job: String) -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |_cx, _me| async move {
        let j = jobs::get(&job)?;
        j.search
            .stop
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    })
    .await
}
