//! A picture field: shows the current picture, lets the person choose another (shrunk in the
//! browser to JPEG before it is sent) or remove it, and says how the save went. Used for a
//! product's photo and the bakery's logo.
use leptos::prelude::*;

use crate::words::tr;

/// What a picture field is about: the key its messages start with, `key` itself being the
/// fieldset's legend ("Photo") and `key-label` the file input's accessible name, `key-empty`
/// what shows while there is no picture, `key-choose`, `key-remove` and `key-saved` the
/// buttons and what a save says.
#[derive(Clone, Copy)]
pub struct PictureWords {
    pub key: &'static str,
}

impl PictureWords {
    /// The message `key-part` ("" for the key itself).
    fn say(&self, part: &str) -> String {
        if part.is_empty() {
            tr(self.key)
        } else {
            tr(&format!("{}-{part}", self.key))
        }
    }

    /// Every message key a field of `key` uses (for the test that they exist).
    pub fn keys(key: &str) -> Vec<String> {
        ["", "-label", "-empty", "-choose", "-remove", "-saved"]
            .iter()
            .map(|part| format!("{key}{part}"))
            .collect()
    }
}

#[component]
pub fn PictureField(
    words: PictureWords,
    /// The picture now (a URL), if any.
    src: Option<String>,
    alt: String,
    /// The longest side, in pixels, the browser shrinks to.
    side: f64,
    /// Sends the new picture (base64 JPEG), or "" to remove it.
    send: Callback<String>,
    pending: Signal<bool>,
    /// The last save's outcome (its error as the person reads it).
    outcome: Signal<Option<Result<(), String>>>,
    #[prop(default = "product-photo")] class: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(src);
    let problem = RwSignal::new(None::<String>);
    let asked = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(file) = crate::ui::files::chosen_file(&ev) {
            leptos::task::spawn_local(async move {
                match crate::ui::files::shrink_jpeg(file, side).await {
                    Ok((jpeg, _, _)) => {
                        problem.set(None);
                        asked.set(true);
                        shown.set(Some(format!("data:image/jpeg;base64,{jpeg}")));
                        send.run(jpeg);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, side, send, asked);
    };
    let remove = move |_| {
        asked.set(true);
        shown.set(None);
        send.run(String::new());
    };
    view! {
        <fieldset class="checks photo-field">
            <legend>{words.say("")}</legend>
            {move || match shown.get() {
                Some(src) => view! { <img class=class src=src alt=alt.clone()/> }.into_any(),
                None => view! { <span class="muted small">{words.say("empty")}</span> }.into_any(),
            }}
            <label class="btn btn-small file-button">
                {words.say("choose")}
                <input type="file" accept="image/*" aria-label=words.say("label") on:change=on_file/>
            </label>
            {move || shown.get().is_some().then(|| view! {
                <button type="button" class="btn btn-small btn-ghost" on:click=remove>{words.say("remove")}</button>
            })}
            {move || problem.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || asked.get().then(|| outcome.get()).flatten().map(|r| match r {
                Ok(()) if pending.get() => view! { <span></span> }.into_any(),
                Ok(()) => view! { <p class="form-ok" role="status">{words.say("saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            })}
        </fieldset>
    }
}
