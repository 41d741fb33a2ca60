// Hearth's service worker. BUILD changes with every deployed client, which makes the browser
// install this worker anew and the page offer a reload.
const BUILD = "__BUILD__";
const CACHE = "hearth-" + BUILD;
// The app shell: the driver's page, the client's main files (wasm/JS/CSS, by their hashed
// names), the map library and the icons. Each page's own chunk of the wasm is kept when a
// page loads it (below), so the worker never downloads pages a phone does not open.
const SHELL = "__SHELL__";

// Only a page's own answer is kept: a redirect (to /login when signed out) must never be
// stored as the page — a browser refuses to show a redirected answer to a navigation.
function keepable(res) {
  return res && res.ok && !res.redirected;
}

function store(cache, url) {
  return fetch(new Request(url, { credentials: "same-origin" }))
    .then((res) => (keepable(res) ? cache.put(url, res).then(() => true) : false))
    .catch(() => false);
}

self.addEventListener("install", (event) => {
  // One missing file (e.g. /driver when signed out) must not stop the install.
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(SHELL.map((url) => store(cache, url)))));
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
    // The page asks for a fresh copy of itself (and the app's files) to be kept for offline
    // use; it is told when that is done, so it can say so.
    // `files`: the client files this page loaded (its wasm chunks among them), kept too.
    const url = event.data.keep;
    const files = (event.data.files || []).filter((u) => typeof u === "string" && u.startsWith("/pkg/"));
    const reply = event.ports && event.ports[0];
    event.waitUntil(
      caches.open(CACHE)
        .then((cache) => Promise.all([store(cache, url)].concat(
          SHELL.concat(files).filter((u) => u !== url).map((u) => cache.match(u).then((hit) => hit || store(cache, u))))))
        .then((done) => done[0])
        .catch(() => false)
        .then((ok) => { if (reply) reply.postMessage(ok); })
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
          if (keepable(res) && url.pathname === "/driver") {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put("/driver", copy));
          }
          return res;
        })
        .catch(() =>
          caches.match(url.pathname)
            .then((hit) => (hit && !hit.redirected ? hit : caches.match("/driver")))
            .then((hit) => (hit && !hit.redirected ? hit : Response.error())))
    );
    return;
  }
  // The client's files and icons: from the cache, else the network. A hashed client file
  // (a page's wasm chunk, say) is kept once fetched: its name changes with its content.
  event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
    if (url.pathname.startsWith("/pkg/") && res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
    }
    return res;
  })));
});

// An alert pushed by Hearth (src/alerts/push.rs): shown as a notification; a tap opens the
// page it is about, in a Hearth window already open when there is one.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Hearth", {
      body: data.body || "",
      tag: data.tag,
      data: { url: data.url || "/" },
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((list) => {
      const open = list.find((c) => new URL(c.url).origin === url.origin && "navigate" in c);
      return open ? open.focus().then((c) => c.navigate(url.href)) : self.clients.openWindow(url.href);
    })
  );
});
