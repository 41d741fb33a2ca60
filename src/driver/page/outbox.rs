//! The driver's outbox: updates kept in the phone's storage and sent in order, exactly once,
//! when there is signal; refusals are kept to be shown.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::driver::actions::DriverUpdate;

/// An update waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub key: String,
    pub order_id: i64,
    pub number: i64,
    pub action: String,
    pub recipient: Option<String>,
    pub cash_cents: Option<i64>,
    pub reason: Option<String>,
    pub note: Option<String>,
    /// Proof of delivery, a JPEG already shrunk on the phone (base64).
    #[serde(default)]
    pub photo: Option<String>,
}

impl Pending {
    fn to_call(&self) -> DriverUpdate {
        DriverUpdate {
            key: self.key.clone(),
            order_id: self.order_id,
            action: self.action.clone(),
            recipient: self.recipient.clone(),
            cash_cents: self.cash_cents,
            reason: self.reason.clone(),
            note: self.note.clone(),
            photo: self.photo.clone(),
        }
    }
}

#[cfg(feature = "hydrate")]
const OUTBOX: &str = "hearth.driver.outbox";

/// The outbox in the phone's local storage (empty on the server).
pub(super) fn load_outbox() -> Vec<Pending> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(OUTBOX).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

pub(super) fn save_outbox(items: &[Pending]) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set(OUTBOX, items);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = items;
}

/// Asks the service worker to keep a fresh copy of this page for offline use (public/pwa.js);
/// `ready` turns true once the copy is stored.
pub(super) fn keep_page(ready: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let w = js_sys::global();
        let promise = js_sys::Reflect::get(&w, &"hearthKeepPage".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&w).ok())
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        if let Some(promise) = promise {
            leptos::task::spawn_local(async move {
                if let Ok(v) = wasm_bindgen_futures::JsFuture::from(promise).await {
                    if v.as_bool() == Some(true) {
                        ready.set(true);
                    }
                }
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ready;
}

/// Outbox state shared by the page.
#[derive(Clone, Copy)]
pub(super) struct Outbox {
    pub(super) items: RwSignal<Vec<Pending>>,
    /// Updates the server accepted since the page loaded (photos dropped): the page shows
    /// them at once, without waiting for a reload to bring the server's copy.
    pub(super) confirmed: RwSignal<Vec<Pending>>,
    /// A fresh copy of the page is stored on the phone for offline use.
    pub(super) offline_ready: RwSignal<bool>,
    /// Refusals from the server, shown until dismissed.
    pub(super) refused: RwSignal<Vec<String>>,
    pub(super) sending: RwSignal<bool>,
    pub(super) online: RwSignal<bool>,
}

impl Outbox {
    /// The phone's latest word on an order: waiting to be sent, else accepted by the server.
    pub(super) fn latest(self, order_id: i64, action: Option<&str>) -> Option<Pending> {
        let pick = |v: &Vec<Pending>| {
            v.iter()
                .rev()
                .find(|p| p.order_id == order_id && action.is_none_or(|a| p.action == a))
                .cloned()
        };
        self.items.with(pick).or_else(|| self.confirmed.with(pick))
    }

    pub(super) fn push(self, p: Pending) {
        self.items.update(|v| v.push(p));
        save_outbox(&self.items.get_untracked());
        self.flush();
    }

    /// Sends waiting updates in order until one can't be sent.
    pub(super) fn flush(self) {
        if self.sending.get_untracked() || self.items.with_untracked(Vec::is_empty) {
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let mut sent = false;
            while let Some(next) = self.items.with_untracked(|v| v.first().cloned()) {
                let call = next.to_call();
                let result = crate::driver::actions::driver_update(
                    call.key,
                    call.order_id,
                    call.action,
                    call.recipient,
                    call.cash_cents,
                    call.reason,
                    call.note,
                    call.photo,
                )
                .await;
                match result {
                    Ok(_) => self.confirmed.update(|c| {
                        c.push(Pending {
                            photo: None,
                            ..next.clone()
                        })
                    }),
                    Err(crate::error::AppError::Transport(_)) => {
                        self.online.set(false);
                        break;
                    }
                    Err(e) => self
                        .refused
                        .update(|r| r.push(format!("#{}: {e}", next.number))),
                }
                self.online.set(true);
                sent = true;
                self.items.update(|v| {
                    v.retain(|p| p.key != next.key);
                });
                save_outbox(&self.items.get_untracked());
            }
            if sent {
                keep_page(self.offline_ready);
            }
            self.sending.set(false);
        });
    }
}
