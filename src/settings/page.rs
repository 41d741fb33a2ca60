//! `/settings`.
use leptos::prelude::*;

use super::api_keys::ApiKeysSection;
use super::delivery::DeliverySection;
use super::hours::HoursSection;
use super::team::TeamSection;
use crate::ui::PageHeader;

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <PageHeader title=crate::words::tr("nav-settings") subtitle=crate::words::tr("settings-subtitle")/>
        <super::business::BusinessSection/>
        <TeamSection/>
        <HoursSection/>
        <DeliverySection/>
        <crate::alerts::settings::AlertsSection/>
        <ApiKeysSection/>
        <super::backups::BackupsSection/>
    }
}
