// First and second visits per route on a throttled connection: what each page downloads (the
// wasm is split per page), how long until it is interactive, and whether a returning visit
// asks the network for any client file at all.
//   node end2end/first-visit.mjs   (server on HEARTH_URL with the demo bakery and a published
//   run for Marta; TRACK=<tracking token> or DATABASE_URL=sqlite://… to find one)
// Prints a Markdown table (for BENCHMARKS.md) and, with JSON=path, writes the figures there.
import { chromium, devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";

const base = process.env.HEARTH_URL ?? "http://127.0.0.1:3000";
const PASSWORD = "demo-bakery";

function trackingToken() {
  if (process.env.TRACK) return process.env.TRACK;
  const db = (process.env.DATABASE_URL ?? "").replace(/^sqlite:\/\//, "");
  if (!db) throw new Error("set TRACK=<tracking token> or DATABASE_URL=sqlite://<file>");
  return execFileSync("sqlite3", [db, "SELECT tracking_token FROM orders ORDER BY id DESC LIMIT 1"]).toString().trim();
}

const phone = devices["Pixel 7"];
const desktop = { viewport: { width: 1440, height: 900 } };
const routes = [
  { name: "sign-in", path: "/login", device: phone },
  { name: "tracker", path: `/t/${trackingToken()}`, device: phone },
  { name: "driver", path: "/driver", user: "driver@hearth.demo", device: phone },
  { name: "board", path: "/orders", user: "staff@hearth.demo", device: desktop },
  { name: "planning", path: "/planning", user: "owner@hearth.demo", device: desktop },
];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const results = [];
for (const route of routes) {
  // No service worker: every byte of the first visit comes over the network, and the second
  // visit shows what the HTTP cache alone does.
  const ctx = await browser.newContext({ ...route.device, serviceWorkers: "block" });
  // The moment the app marks the page hydrated, on the clock Resource Timing uses: "until
  // interactive" counts what had arrived by then, not what arrived before this script looked
  // (a map's Leaflet, asked for at hydration, used to land in between).
  await ctx.addInitScript(() => {
    new MutationObserver((_, seen) => {
      if (document.body?.hasAttribute("data-hydrated")) {
        window.__hydratedAt = performance.now();
        seen.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated"] });
  });
  const page = await ctx.newPage();
  if (route.user) {
    await page.goto(base + "/login");
    await page.waitForSelector("body[data-hydrated]", { state: "attached" });
    await page.getByLabel("Email").fill(route.user);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  }
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  const requests = new Map();
  cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, { url: e.request.url, type: e.type, cached: false, bytes: 0 }));
  cdp.on("Network.requestServedFromCache", (e) => { const r = requests.get(e.requestId); if (r) r.cached = true; });
  cdp.on("Network.responseReceived", (e) => { const r = requests.get(e.requestId); if (r && e.response.fromDiskCache) r.cached = true; });
  cdp.on("Network.loadingFinished", (e) => { const r = requests.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  // Lighthouse's "slow 4G": 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  await cdp.send("Network.clearBrowserCache");

  const visit = async () => {
    requests.clear();
    const t0 = Date.now();
    await page.goto(base + route.path, { waitUntil: "commit" });
    await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 120000 });
    const tti = Date.now() - t0;
    // Bytes on the wire (CDP's, headers included) of the page and of every response that was
    // complete when the page was hydrated (Resource Timing's `responseEnd`).
    const done = new Set(
      await page.evaluate(() =>
        performance.getEntriesByType("resource").filter((r) => r.responseEnd <= window.__hydratedAt).map((r) => r.name),
      ),
    );
    await page.waitForLoadState("networkidle");
    const all = [...requests.values()];
    // Summed once the network is idle, when CDP has reported every response's size.
    const atInteractive = all.filter((r) => r.type === "Document" || done.has(r.url)).reduce((n, r) => n + r.bytes, 0);
    const pkg = all.filter((r) => new URL(r.url).pathname.startsWith("/pkg/"));
    return {
      tti,
      atInteractive,
      total: all.reduce((n, r) => n + r.bytes, 0),
      wasmJs: pkg.filter((r) => /\.(wasm|js)$/.test(new URL(r.url).pathname)).reduce((n, r) => n + r.bytes, 0),
      chunks: pkg.filter((r) => /\.wasm$/.test(r.url)).length,
      // Client files (scripts, styles, wasm, fonts, images) that went to the network.
      // (Map tiles come from the tile server, another origin, under its own caching rules.)
      assetRequests: all
        .filter((r) => new URL(r.url).origin === new URL(base).origin)
        .filter((r) => !r.cached && !["Document", "Fetch", "XHR", "EventSource"].includes(r.type))
        .map((r) => new URL(r.url).pathname),
    };
  };
  const first = await visit();
  const second = await visit();
  results.push({ route: route.name, first, second });
  await ctx.close();
}
await browser.close();

const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
console.log("| route | first visit: until interactive | interactive after | wasm + JS (chunks) | after idle | second visit: client files fetched |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(`| ${r.route} | ${kb(r.first.atInteractive)} | ${(r.first.tti / 1000).toFixed(2)} s | ${kb(r.first.wasmJs)} (${r.first.chunks} wasm) | ${kb(r.first.total)} | ${r.second.assetRequests.length}${r.second.assetRequests.length ? " " + r.second.assetRequests.join(", ") : ""} |`);
}
if (process.env.JSON) writeFileSync(process.env.JSON, JSON.stringify(results, null, 2));
