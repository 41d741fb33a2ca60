//! The HTML shell, the root component and the route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::auth::api::{get_me, Login, Logout};
use crate::auth::{CurrentUser, Role};
use crate::error::AppError;
use crate::ui::{NotFound, Protected};

/// The document around the app: vendored Leaflet loads before hydration so `L` exists.
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
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#7a3e12"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <script src="/pwa.js" defer></script>
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
                <script src="/vendor/leaflet/leaflet.js"></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Who is signed in, and the sign-in/out actions that change it. Provided by `App`.
#[derive(Clone, Copy)]
pub struct Auth {
    pub me: Resource<Result<Option<CurrentUser>, AppError>>,
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

const OWNER: &[Role] = &[Role::Owner];
const KITCHEN: &[Role] = &[Role::Owner, Role::Staff];
const DRIVING: &[Role] = &[Role::Owner, Role::Driver];

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
        <Stylesheet id="leptos" href="/pkg/hearth.css"/>
        <Title text="Hearth"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=crate::auth::login::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=crate::auth::first_run::SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/t/:token") view=crate::tracker::TrackerPage ssr=SsrMode::Async/>
                <Route path=path!("/u/:token") view=crate::customers::UnsubscribePage ssr=SsrMode::Async/>
                <Route
                    path=path!("/")
                    view=|| view! { <Protected roles=OWNER><crate::dashboard::DashboardPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/orders")
                    view=|| view! { <Protected roles=KITCHEN><crate::orders::board::OrdersPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/planning")
                    view=|| view! { <Protected roles=OWNER><crate::planning::PlanningPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/planning/districts")
                    view=|| view! { <Protected roles=OWNER><crate::districts::DistrictsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/runs")
                    view=|| view! { <Protected roles=OWNER><crate::runs::RunsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/runs/:id/sheet")
                    view=|| view! { <Protected roles=DRIVING><crate::runs::sheet::RunSheetPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/kitchen")
                    view=|| view! { <Protected roles=KITCHEN><crate::kitchen::KitchenPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/kitchen/recipes")
                    view=|| view! { <Protected roles=OWNER><crate::kitchen::RecipesPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/stock")
                    view=|| view! { <Protected roles=KITCHEN><crate::kitchen::StockPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/menu")
                    view=|| view! { <Protected roles=OWNER><crate::menu::MenuPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/customers/standing")
                    view=|| view! { <Protected roles=OWNER><crate::standing::StandingOrdersPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/customers/segments")
                    view=|| view! { <Protected roles=OWNER><crate::customers::SegmentsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/customers/:id")
                    view=|| view! { <Protected roles=OWNER><crate::customers::CustomerPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/customers")
                    view=|| view! { <Protected roles=OWNER><crate::customers::CustomersPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/promotions")
                    view=|| view! { <Protected roles=OWNER><crate::promotions::PromotionsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/reports")
                    view=|| view! { <Protected roles=OWNER><crate::reports::ReportsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings")
                    view=|| view! { <Protected roles=OWNER><crate::settings::SettingsPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/audit")
                    view=|| view! { <Protected roles=OWNER><crate::audit::page::AuditPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/account")
                    view=|| view! { <Protected roles=&Role::ALL><crate::auth::account::AccountPage/></Protected> }
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/driver")
                    view=|| view! { <Protected roles=DRIVING><crate::driver::DriverPage/></Protected> }
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}
