// The driver page on a throttled phone connection: bytes transferred and time until the page
// is interactive (hydrated), first visit and repeat visit (service worker cache).
//   node end2end/driver-perf.mjs   (server on HEARTH_URL, demo data, a published run for Marta)
import { chromium, devices } from "@playwright/test";
const base = process.env.HEARTH_URL ?? "http://127.0.0.1:3000";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
// First visit: no service worker yet (blocked), so every byte comes over the network.
const ctx = await browser.newContext({ ...devices["Pixel 7"], serviceWorkers: process.env.SW === "allow" ? "allow" : "block" });
const page = await ctx.newPage();
// Sign in unthrottled.
await page.goto(base + "/login");
await page.waitForSelector("body[data-hydrated]", { state: "attached" });
await page.getByLabel("Email").fill("driver@hearth.demo");
await page.getByLabel("Password").fill("demo-bakery");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/\/driver$/);
const cdp = await ctx.newCDPSession(page);
await cdp.send("Network.enable");
let bytes = 0;
cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
// Lighthouse's "slow 4G" (what it calls mobile): 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT.
await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
const visits = process.env.SW === "allow" ? ["repeat visit (service worker installed)"] : ["first visit (empty cache)", "second visit (HTTP cache)"];
for (const visit of visits) {
  if (visit.startsWith("first")) {
    await cdp.send("Network.clearBrowserCache");
  }
  bytes = 0;
  const t0 = Date.now();
  await page.goto(base + "/driver", { waitUntil: "commit" });
  await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 120000 });
  const tti = Date.now() - t0;
  await page.waitForLoadState("networkidle");
  console.log(`${visit}: ${(bytes / 1024).toFixed(0)} KB transferred, interactive after ${(tti / 1000).toFixed(2)} s`);
}
await browser.close();
