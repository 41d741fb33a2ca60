//! The signed-in app shell: brand, role-aware navigation, the user menu, and the guard that
//! sends visitors to sign in and people to the pages their role allows.
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

use super::states::{ErrorNotice, Loading};
use crate::auth::api::Logout;
use crate::auth::Auth;
use crate::auth::{CurrentUser, Role};
use crate::words::{tr, tr_with};

// Outline icons (24×24, stroked), inline so they need no font or request.
const ICON_DASHBOARD: &str = "M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z";
const ICON_ORDERS: &str = "M4 4h4v16H4zM10 4h4v10h-4zM16 4h4v13h-4z";
const ICON_MAP: &str = "M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2zM9 4v14M15 6v14";
const ICON_ROUTE: &str = "M6 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM18 9a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 17h8a3 3 0 0 0 0-6H8a3 3 0 0 1 0-6h8";
const ICON_MENU: &str = "M4 7c0-2 3.6-4 8-4s8 2 8 4v2H4zM3 13h18M5 17h14l-1 4H6z";
// An oven with a loaf, and a jar: the kitchen and its stock.
const ICON_OVEN: &str =
    "M3 4h18v16H3zM3 9h18M7 6.5h.01M11 6.5h.01M7 16c0-2 2.2-3.5 5-3.5s5 1.5 5 3.5z";
const ICON_JAR: &str =
    "M8 3h8v3H8zM7 6h10a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zM5 12h14";
const ICON_PEOPLE: &str = "M16 20v-1a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v1M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM22 20v-1a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8";
/// A price tag.
const ICON_TAG: &str =
    "M20.6 13.4 13.4 20.6a2 2 0 0 1-2.8 0L3 13V3h10l7.6 7.6a2 2 0 0 1 0 2.8zM7.5 7.5h.01";
const ICON_VAN: &str = "M1 6h13v10H1zM14 9h4l3 3v4h-7zM5.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM17.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z";
/// A clipboard with lines.
const ICON_AUDIT: &str = "M9 4h6M9 3h6a1 1 0 0 1 1 1v1a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 5H6a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2M8 11h8M8 15h8M8 19h5";
const ICON_SETTINGS: &str = "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z";

const ICON_CHART: &str = "M3 3v18h18M7 15l4-4 3 3 5-6";
/// A page of a calendar.
const ICON_CALENDAR: &str = "M4 5h16v16H4zM4 10h16M8 3v4M16 3v4M8 14h2M14 14h2M8 18h2";

struct NavItem {
    href: &'static str,
    /// The key of its label's message.
    label: &'static str,
    icon: &'static str,
}

fn nav_for(role: Role) -> Vec<NavItem> {
    let item = |href, label, icon| NavItem { href, label, icon };
    match role {
        Role::Owner => vec![
            item("/", "nav-dashboard", ICON_DASHBOARD),
            item("/orders", "nav-orders", ICON_ORDERS),
            item("/planning", "nav-planning", ICON_MAP),
            item("/runs", "nav-runs", ICON_ROUTE),
            item("/kitchen", "nav-kitchen", ICON_OVEN),
            item("/stock", "nav-stock", ICON_JAR),
            item("/menu", "nav-menu", ICON_MENU),
            item("/customers", "nav-customers", ICON_PEOPLE),
            item("/promotions", "nav-promotions", ICON_TAG),
            item("/calendar", "nav-calendar", ICON_CALENDAR),
            item("/reports", "nav-reports", ICON_CHART),
            item("/driver", "nav-driver-view", ICON_VAN),
            item("/settings", "nav-settings", ICON_SETTINGS),
            item("/audit", "nav-audit", ICON_AUDIT),
        ],
        Role::Staff => vec![
            item("/orders", "nav-orders", ICON_ORDERS),
            item("/kitchen", "nav-kitchen", ICON_OVEN),
            item("/stock", "nav-stock", ICON_JAR),
        ],
        Role::Driver => vec![item("/driver", "nav-my-run", ICON_VAN)],
    }
}

/// Renders `children` inside the app shell when the signed-in user has one of `roles`;
/// otherwise redirects (to sign in, or to the page their role starts on).
#[component]
pub fn Protected(
    /// Roles allowed on this page.
    roles: &'static [Role],
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <Loading label="Opening Hearth"/> }>
            {move || {
                let children = children.clone();
                let here = location.pathname.get_untracked();
                Suspend::new(async move {
                    match auth.me.await {
                        // The owner of a production Hearth sets up two-factor sign-in first.
                        Ok(Some(user)) if user.must_enrol && here != "/account" => {
                            view! { <Redirect path="/account"/> }.into_any()
                        }
                        Ok(Some(user)) if roles.contains(&user.role) => {
                            view! { <AppShell user=user>{children()}</AppShell> }.into_any()
                        }
                        Ok(Some(user)) => view! { <Redirect path=user.role.landing()/> }.into_any(),
                        Ok(None) => {
                            let next = if here == "/" { String::new() } else { format!("?next={here}") };
                            view! { <Redirect path=format!("/login{next}")/> }.into_any()
                        }
                        Err(error) => view! { <leptos_meta::Html attr:lang="en"/><main class="content"><ErrorNotice error/></main> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The frame of every signed-in page.
#[component]
pub fn AppShell(
    /// The signed-in person.
    user: CurrentUser,
    /// The page content.
    children: Children,
) -> impl IntoView {
    // Every page inside speaks the person's language (`crate::words::tr`).
    let lang = user.words.lang.clone();
    crate::words::provide(user.words.clone());
    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Close the mobile menu whenever the page changes.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let auth = expect_context::<Auth>();
    let logout: ServerAction<Logout> = auth.logout;
    view! {
        <leptos_meta::Html attr:lang=lang/>
        <div class="shell" class:menu-open=move || menu_open.get()>
            <header class="topbar">
                <button
                    class="menu-toggle"
                    aria-label=tr("nav-menu-toggle")
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    <span></span><span></span><span></span>
                </button>
                <a href=user.role.landing() class="brand">
                    <BrandMark logo=user.logo.clone()/>
                    <span class="brand-text">
                        <span class="brand-name">"Hearth"</span>
                        <span class="brand-business">{user.business_name.clone()}</span>
                    </span>
                </a>
                {(user.role == Role::Owner).then(|| view! { <crate::pages::LazyBell/> })}
                <UserChip user=user.clone()/>
            </header>
            <nav class="sidebar" aria-label=tr("nav-main")>
                <NavLinks role=user.role/>
                <ActionForm action=logout attr:class="signout">
                    <button type="submit" class="btn btn-ghost btn-block">{tr("nav-sign-out")}</button>
                </ActionForm>
            </nav>
            <div class="scrim" on:click=move |_| menu_open.set(false)></div>
            <main class="content">{children()}</main>
        </div>
    }
}

/// The signed-in person's chip: initials, name and role, linking to Your account.
#[component]
fn UserChip(user: CurrentUser) -> impl IntoView {
    let initials: String = user
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect();
    view! {
        <a href="/account" class="user-chip" title=tr_with("nav-your-account", &[("email", user.email.clone())])>
            <span class="avatar" aria-hidden="true">{initials}</span>
            <span class="user-meta">
                <span class="user-name">{user.name.clone()}</span>
                <span class="user-role">{tr(&format!("role-{}", user.role.as_str()))}</span>
            </span>
        </a>
    }
}

/// The pages `role` opens, each loading its page's code on hover or focus; the owner's and
/// the staff's are also fetched once the browser is idle.
#[component]
fn NavLinks(role: Role) -> impl IntoView {
    let nav = nav_for(role);
    // The owner's and the staff's other pages are their own chunks: fetch them once the
    // browser is idle, so moving around never waits. A driver's phone fetches nothing extra.
    if role != Role::Driver {
        let hrefs: Vec<&'static str> = nav.iter().map(|item| item.href).collect();
        Effect::new(move |_| {
            let hrefs = hrefs.clone();
            set_timeout(
                move || {
                    hrefs
                        .iter()
                        .for_each(|href| crate::pages::preload_page(href))
                },
                std::time::Duration::from_millis(1500),
            );
        });
    }
    // Hovering or focusing a link starts loading its page's chunk.
    let preload_link = move |target: Option<leptos::web_sys::EventTarget>| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(href) = target
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .and_then(|el| el.closest("a[href]").ok().flatten())
                .and_then(|a| a.get_attribute("href"))
            {
                crate::pages::preload_page(&href);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = target;
    };
    let links = nav
        .into_iter()
        .map(|item| {
            view! {
                <A href=item.href attr:class="nav-link" exact=true>
                    <span class="nav-icon" aria-hidden="true">
                        <svg viewBox="0 0 24 24"><path d=item.icon></path></svg>
                    </span>
                    <span>{tr(item.label)}</span>
                </A>
            }
        })
        .collect_view();
    view! {
        <div
            class="nav-links"
            on:mouseover=move |ev| preload_link(ev.target())
            on:focusin=move |ev| preload_link(ev.target())
        >
            {links}
        </div>
    }
}

/// The title row of a page, with an optional subtitle and actions on the right.
#[component]
pub fn PageHeader(
    /// Page title.
    #[prop(into)]
    title: String,
    /// A line under the title.
    #[prop(into, optional)]
    subtitle: Option<String>,
    /// Buttons or links on the right.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <leptos_meta::Title text=format!("{title} · Hearth")/>
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                {subtitle.map(|s| view! { <p class="subtitle">{s}</p> })}
            </div>
            <div class="page-actions">{children.map(|c| c())}</div>
        </div>
    }
}

/// The bakery's logo, or Hearth's "H" until it has one.
#[component]
pub fn BrandMark(logo: Option<String>) -> impl IntoView {
    match logo {
        Some(src) => view! { <img class="brand-mark brand-logo" src=src alt=""/> }.into_any(),
        None => view! { <span class="brand-mark" aria-hidden="true">"H"</span> }.into_any(),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_link_of_every_role_has_words() {
        let english = crate::i18n::words(&crate::i18n::Lang::english());
        for role in Role::ALL {
            for item in nav_for(role) {
                assert_ne!(english.get(item.label), item.label, "{}", item.href);
            }
        }
    }
}
