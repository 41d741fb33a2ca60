//! The HTML shell, the root component and the route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::auth::api::{get_me, Login, Logout};
use crate::auth::{Auth, DRIVING};
use crate::pages;
use crate::ui::{NotFound, Protected};

/// The document around the app. Vendored Leaflet is not in it: the first map on a page loads
/// it (`ui::map::with_plugins`) from the names the `hearth-leaflet` meta gives.
/// A customer's pages (tracker, unsubscribe) carry no app at all (see `app` below).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The inline hydration scripts carry the nonce that this response's CSP names.
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<axum::http::request::Parts>().and_then(|p| {
        p.extensions
            .get::<crate::server::headers::CspNonce>()
            .cloned()
    }) {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // Files are linked by names that change with their content, so browsers keep them.
    #[cfg(feature = "ssr")]
    let asset = {
        let root = options.site_root.clone();
        move |path: &str| crate::server::static_files::href(&root, path)
    };
    #[cfg(not(feature = "ssr"))]
    let asset = |path: &str| path.to_owned();
    // A customer's pages are served as plain HTML with no wasm at all: a first visit on a
    // phone moves a few kilobytes. The tracker (`/t/`) is kept live by public/tracker.js; the
    // unsubscribe page (`/u/`) is one form and needs no script.
    #[cfg(feature = "ssr")]
    let path = use_context::<axum::http::request::Parts>()
        .map(|p| p.uri.path().to_owned())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = String::new();
    let tracker = path.starts_with("/t/");
    let app = !tracker && !path.starts_with("/u/");
    let scripts = if app {
        view! {
            <script src=asset("/pwa.js") defer></script>
            // Leaflet (42 KB compressed) is fetched by the first map, not by every page
            // before it can hydrate (issue 17): here are only its content-named files.
            <meta
                name="hearth-leaflet"
                content=asset("/vendor/leaflet/leaflet.js")
                data-css=asset("/vendor/leaflet/leaflet.css")
                data-plugins=crate::ui::vendor::PLUGIN_FILES.map(&asset).join(" ")
            />
            <AutoReload options=options.clone()/>
            <HydrationScripts options/>
        }
        .into_any()
    } else {
        tracker
            .then(|| view! { <script src=asset("/tracker.js") defer></script> })
            .into_any()
    };
    view! {
        <!DOCTYPE html>
        // Its `lang` is set by the page (`leptos_meta::Html`): the reader's language.
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#7a3e12"/>
                <link rel="icon" href=asset("/favicon.svg") type="image/svg+xml"/>
                <link rel="manifest" href=asset("/manifest.webmanifest")/>
                <link rel="apple-touch-icon" href=asset("/icons/icon-192.png")/>
                <link rel="stylesheet" id="leptos" href=asset("/pkg/hearth.css")/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: auth context and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let me = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| get_me(),
    );
    provide_context(Auth { me, login, logout });

    view! {
        <Title text="Hearth"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=crate::auth::login::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view={Lazy::<pages::SetupRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/t/:token") view=crate::tracker::TrackerPage ssr=SsrMode::Async/>
                <Route path=path!("/t/:token/receipt") view=crate::tracker::receipt::ReceiptPage ssr=SsrMode::Async/>
                <Route path=path!("/u/:token") view=crate::customers::UnsubscribePage ssr=SsrMode::Async/>
                <Route path=path!("/") view={Lazy::<pages::DashboardRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/orders") view={Lazy::<pages::BoardRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/planning") view={Lazy::<pages::PlanningRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/planning/districts") view={Lazy::<pages::DistrictsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/runs") view={Lazy::<pages::RunsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/runs/:id/sheet") view={Lazy::<pages::RunSheetRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/kitchen") view={Lazy::<pages::KitchenRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/kitchen/recipes") view={Lazy::<pages::RecipesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/stock") view={Lazy::<pages::StockRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/menu") view={Lazy::<pages::MenuRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers/standing") view={Lazy::<pages::StandingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers/segments") view={Lazy::<pages::SegmentsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers/:id") view={Lazy::<pages::CustomerRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/customers") view={Lazy::<pages::CustomersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/promotions") view={Lazy::<pages::PromotionsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/calendar") view={Lazy::<pages::CalendarRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/reports") view={Lazy::<pages::ReportsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings") view={Lazy::<pages::SettingsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/audit") view={Lazy::<pages::AuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account") view={Lazy::<pages::AccountRoute>::new()} ssr=SsrMode::Async/>
                <Route
                    path=path!("/driver")
                    view=|| view! { <Protected roles=DRIVING><crate::driver::DriverPage/></Protected> }
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
