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
        <PageHeader title="Settings" subtitle="Your team, your website's keys and your business"/>
        <super::business::BusinessSection/>
        <TeamSection/>
        <HoursSection/>
        <DeliverySection/>
        <ApiKeysSection/>
        <super::backups::BackupsSection/>
    }
}
