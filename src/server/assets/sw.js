// Hearth's service worker. BUILD changes with every deployed client, which makes the browser
// install this worker anew and the page offer a reload.
const BUILD = "__BUILD__";
const CACHE = "hearth-" + BUILD;
// The app shell: the driver's page, the client (wasm/JS/CSS), the map library and the icons.
const SHELL = [
  "/driver",
  "/pkg/hearth.js",
  "/pkg/hearth.wasm",
  "/pkg/hearth.css",
  "/vendor/leaflet/leaflet.js",
  "/vendor/leaflet/leaflet.css",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/favicon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // One missing file (e.g. /driver when signed out) must not stop the install.
      Promise.all(SHELL.map((url) => cache.add(new Request(url, { credentials: "same-origin" })).catch(() => null)))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("hearth-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skipWaiting") self.skipWaiting();
  if (event.data && event.data.keep) {
    const url = event.data.keep;
    event.waitUntil(
      fetch(url, { credentials: "same-origin" })
        .then((res) => (res.ok ? caches.open(CACHE).then((c) => c.put(url, res)) : null))
        .catch(() => null)
    );
  }
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  // Only reads are cached; server-function POSTs and event streams always go to the network.
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/events/") || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    // Pages: the network first (fresh data), the last copy when offline.
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok && url.pathname === "/driver") {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put("/driver", copy));
          }
          return res;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || caches.match("/driver")))
    );
    return;
  }
  // The client's files and icons: from the cache, else the network.
  event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
});
