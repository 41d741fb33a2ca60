//! `/settings`.
use leptos::prelude::*;

use super::api_keys::ApiKeysSection;
use super::delivery::DeliverySection;
use super::hours::HoursSection;
use super::team::TeamSection;
use crate::app::Auth;
use crate::ui::PageHeader;

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <PageHeader title="Settings" subtitle="Your team, your website's keys and your business"/>
        <TeamSection/>
        <HoursSection/>
        <DeliverySection/>
        <ApiKeysSection/>
        <Suspense>
            {move || Suspend::new(async move {
                auth.me.await.ok().flatten().map(|me| view! {
                    <section class="card">
                        <h2>"Business"</h2>
                        <dl class="facts">
                            <dt>"Name"</dt><dd>{me.business_name}</dd>
                            <dt>"Currency"</dt><dd>{me.currency}</dd>
                        </dl>
                        <p class="muted small">"Set with HEARTH_BUSINESS_NAME, HEARTH_CURRENCY and HEARTH_TIMEZONE when starting Hearth."</p>
                    </section>
                })
            })}
        </Suspense>
    }
}
