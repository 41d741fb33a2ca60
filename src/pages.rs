//! The owner's and the staff's pages, in lazily loaded groups. Every build splits the wasm at
//! the `#[lazy]` functions below (`cargo leptos build --split`): the sign-in page and the
//! driver's page stay in the core every visitor loads (src/app.rs), and each group
//! here is fetched when one of its pages is first opened, a link to it is hovered or focused,
//! or the browser is idle after an owner or staff page has loaded (`preload_page`).
//!
//! Why groups and not one chunk per page: the splitter puts the code shared by each set of
//! split points into a chunk of its own, and with a split point per page (24) the driver's
//! page alone needed 248 files; six groups keep every page at a handful of files.
use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::auth::{KITCHEN, OWNER};
use crate::ui::Protected;

/// A route whose view is one page of a lazily loaded group.
macro_rules! grouped_route {
    ($route:ident, $group:ident, $preload:ident, $page:expr) => {
        #[doc = concat!("The route of `", stringify!($page), "`, loaded with `", stringify!($group), "`.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group($page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

/// The pages of the office: dashboard, customers, promotions, menu, audit.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Office {
    Dashboard,
    Customers,
    Customer,
    Segments,
    Standing,
    Promotions,
    Menu,
    Audit,
    /// Not a page: the owner's alerts bell in the top bar (`LazyBell`).
    Bell,
}

#[lazy]
fn office(page: Office) -> AnyView {
    match page {
        Office::Dashboard => {
            view! { <Protected roles=OWNER><crate::dashboard::DashboardPage/></Protected> }
                .into_any()
        }
        Office::Customers => {
            view! { <Protected roles=OWNER><crate::customers::CustomersPage/></Protected> }
                .into_any()
        }
        Office::Customer => {
            view! { <Protected roles=OWNER><crate::customers::CustomerPage/></Protected> }
                .into_any()
        }
        Office::Segments => {
            view! { <Protected roles=OWNER><crate::customers::SegmentsPage/></Protected> }
                .into_any()
        }
        Office::Standing => {
            view! { <Protected roles=OWNER><crate::standing::StandingOrdersPage/></Protected> }
                .into_any()
        }
        Office::Promotions => {
            view! { <Protected roles=OWNER><crate::promotions::PromotionsPage/></Protected> }
                .into_any()
        }
        Office::Menu => {
            view! { <Protected roles=OWNER><crate::menu::MenuPage/></Protected> }.into_any()
        }
        Office::Audit => {
            view! { <Protected roles=OWNER><crate::audit::page::AuditPage/></Protected> }.into_any()
        }
        Office::Bell => view! { <crate::alerts::Bell/> }.into_any(),
    }
}

/// The owner's alerts bell, from the office group rather than the core, so that no driver's
/// phone downloads it (issue 17). The server sends its empty place; once the page is
/// interactive the browser loads the group (which an owner's pages fetch when idle anyway)
/// and draws the bell, which then fetches its alerts as it always did.
#[component]
pub fn LazyBell() -> impl IntoView {
    let live = RwSignal::new(false);
    // Effects run once the page is hydrated, never on the server.
    Effect::new(move |_| live.set(true));
    view! { <div class="bell-slot">{move || live.get().then(bell)}</div> }
}

#[cfg(feature = "hydrate")]
fn bell() -> impl IntoView {
    Suspend::new(send_wrapper::SendWrapper::new(office(Office::Bell)))
}

#[cfg(not(feature = "hydrate"))]
fn bell() -> impl IntoView {}

grouped_route!(DashboardRoute, office, __preload_office, Office::Dashboard);
grouped_route!(CustomersRoute, office, __preload_office, Office::Customers);
grouped_route!(CustomerRoute, office, __preload_office, Office::Customer);
grouped_route!(SegmentsRoute, office, __preload_office, Office::Segments);
grouped_route!(StandingRoute, office, __preload_office, Office::Standing);
grouped_route!(
    PromotionsRoute,
    office,
    __preload_office,
    Office::Promotions
);
grouped_route!(MenuRoute, office, __preload_office, Office::Menu);
grouped_route!(AuditRoute, office, __preload_office, Office::Audit);

/// The order board (the staff's first page).
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Board {
    Orders,
}

#[lazy]
fn board(page: Board) -> AnyView {
    match page {
        Board::Orders => {
            view! { <Protected roles=KITCHEN><crate::orders::board::OrdersPage/></Protected> }
                .into_any()
        }
    }
}

grouped_route!(BoardRoute, board, __preload_board, Board::Orders);

/// The kitchen: production plan, recipes, stock.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Kitchen {
    Plan,
    Recipes,
    Stock,
}

#[lazy]
fn kitchen(page: Kitchen) -> AnyView {
    match page {
        Kitchen::Plan => {
            view! { <Protected roles=KITCHEN><crate::kitchen::KitchenPage/></Protected> }.into_any()
        }
        Kitchen::Recipes => {
            view! { <Protected roles=OWNER><crate::kitchen::RecipesPage/></Protected> }.into_any()
        }
        Kitchen::Stock => {
            view! { <Protected roles=KITCHEN><crate::kitchen::StockPage/></Protected> }.into_any()
        }
    }
}

grouped_route!(KitchenRoute, kitchen, __preload_kitchen, Kitchen::Plan);
grouped_route!(RecipesRoute, kitchen, __preload_kitchen, Kitchen::Recipes);
grouped_route!(StockRoute, kitchen, __preload_kitchen, Kitchen::Stock);

/// Planning: the map, the districts editor, the runs.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Planning {
    Map,
    Districts,
    Runs,
}

#[lazy]
fn planning(page: Planning) -> AnyView {
    match page {
        Planning::Map => {
            view! { <Protected roles=OWNER><crate::planning::PlanningPage/></Protected> }.into_any()
        }
        Planning::Districts => {
            view! { <Protected roles=OWNER><crate::districts::DistrictsPage/></Protected> }
                .into_any()
        }
        Planning::Runs => {
            view! { <Protected roles=OWNER><crate::runs::RunsPage/></Protected> }.into_any()
        }
    }
}

grouped_route!(PlanningRoute, planning, __preload_planning, Planning::Map);
grouped_route!(
    DistrictsRoute,
    planning,
    __preload_planning,
    Planning::Districts
);
grouped_route!(RunsRoute, planning, __preload_planning, Planning::Runs);

/// The owner's numbers and calendar.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Reports {
    Reports,
    Calendar,
}

#[lazy]
fn reports(page: Reports) -> AnyView {
    match page {
        Reports::Reports => {
            view! { <Protected roles=OWNER><crate::reports::ReportsPage/></Protected> }.into_any()
        }
        Reports::Calendar => {
            view! { <Protected roles=OWNER><crate::calendar::CalendarPage/></Protected> }.into_any()
        }
    }
}

grouped_route!(ReportsRoute, reports, __preload_reports, Reports::Reports);
grouped_route!(CalendarRoute, reports, __preload_reports, Reports::Calendar);

/// The bakery's settings, and the pages a person opens now and then whatever their role: their
/// own account (language, two-factor sign-in), the first-run setup and a run's printable
/// sheet. Out of the core, a driver's first visit does not carry them (issue 17); a driver
/// who opens one loads this group.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Settings {
    Settings,
    Account,
    Setup,
    RunSheet,
}

#[lazy]
fn settings(page: Settings) -> AnyView {
    match page {
        Settings::Settings => {
            view! { <Protected roles=OWNER><crate::settings::SettingsPage/></Protected> }.into_any()
        }
        Settings::Account => view! {
            <Protected roles=&crate::auth::Role::ALL><crate::auth::account::AccountPage/></Protected>
        }
        .into_any(),
        Settings::Setup => view! { <crate::auth::first_run::SetupPage/> }.into_any(),
        Settings::RunSheet => view! {
            <Protected roles=crate::auth::DRIVING><crate::runs::sheet::RunSheetPage/></Protected>
        }
        .into_any(),
    }
}

grouped_route!(
    SettingsRoute,
    settings,
    __preload_settings,
    Settings::Settings
);
grouped_route!(
    AccountRoute,
    settings,
    __preload_settings,
    Settings::Account
);
grouped_route!(SetupRoute, settings, __preload_settings, Settings::Setup);
grouped_route!(
    RunSheetRoute,
    settings,
    __preload_settings,
    Settings::RunSheet
);

/// Starts loading the code of the page at `path` (a link hovered or focused, or the owner's
/// pages once the browser is idle) so that following the link does not wait for its chunk.
/// Loading a group twice costs nothing: the loader keeps what it has. Pages in the core
/// (sign-in, driver) need nothing.
pub fn preload_page(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let path = path.split(['?', '#']).next().unwrap_or_default().to_owned();
        wasm_bindgen_futures::spawn_local(async move { preload(&path).await });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[cfg(feature = "hydrate")]
async fn preload(path: &str) {
    match path {
        "/orders" => BoardRoute::preload().await,
        "/planning" | "/planning/districts" | "/runs" => PlanningRoute::preload().await,
        "/kitchen" | "/kitchen/recipes" | "/stock" => KitchenRoute::preload().await,
        "/reports" | "/calendar" => ReportsRoute::preload().await,
        "/settings" | "/account" | "/setup" => SettingsRoute::preload().await,
        p if p.starts_with("/runs/") => SettingsRoute::preload().await,
        "/" | "/menu" | "/promotions" | "/audit" => DashboardRoute::preload().await,
        p if p.starts_with("/customers") => DashboardRoute::preload().await,
        _ => {}
    }
}
