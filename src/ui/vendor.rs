//! The vendored Leaflet plugins pages load (from `public/vendor/`), by their plain paths: the
//! shell names each by its content for the browser (`app::shell`), so a returning visit
//! fetches none of them again, and a map asks for them by these names (`ui::map`).

/// The marker-clustering plugin's script (the planning map's).
pub const CLUSTER_SCRIPTS: &[&str] = &["/vendor/markercluster/leaflet.markercluster.js"];

/// The marker-clustering plugin's styles.
pub const CLUSTER_STYLES: &[&str] = &[
    "/vendor/markercluster/MarkerCluster.css",
    "/vendor/markercluster/MarkerCluster.Default.css",
];

/// Every plugin file a page may load.
pub const PLUGIN_FILES: [&str; 3] = [CLUSTER_SCRIPTS[0], CLUSTER_STYLES[0], CLUSTER_STYLES[1]];
