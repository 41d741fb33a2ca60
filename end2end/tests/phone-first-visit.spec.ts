import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DRIVER, signIn, hydrated, recordRequests as record, refetched, Req } from "./helpers";

// What a driver's phone downloads. The wasm is split (src/pages.rs, `--split`): the driver's
// page is in the core, and the owner's planning map, reports or settings never come with it;
// and every client file is named by its content and served `immutable`, so a
// returning visit asks the network for none of them, even without the service worker.
// The budget is the figure recorded in first-visit-budget.json for this (dev) build: CI fails
// when the driver's first visit grows more than 10 % over it.
const budget = JSON.parse(readFileSync(resolve(__dirname, "../first-visit-budget.json"), "utf8"));

test.use({ serviceWorkers: "block" });

const path = (r: Req) => new URL(r.url).pathname;

test("the driver's phone downloads only its own page's code, and a returning visit fetches no client file", async ({ page }) => {
  await signIn(page, DRIVER, /\/driver$/);
  const { cdp, requests } = await record(page);
  await cdp.send("Network.clearBrowserCache");

  // Opens the driver's page and answers what it requested.
  const visit = async (): Promise<Req[]> => {
    requests.clear();
    await page.goto("/driver");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    return [...requests.values()];
  };

  // First visit, empty cache.
  const first = await visit();
  // The map library comes with the page's map, after the page is usable, not before it
  // hydrates; the run's stops are drawn on it.
  const leaflet = first.filter((r) => /\/vendor\/leaflet\/leaflet\.(js|css)$/.test(path(r)));
  expect(leaflet.map(path).sort(), "Leaflet's script and style, once each").toEqual(["/vendor/leaflet/leaflet.css", "/vendor/leaflet/leaflet.js"]);
  await expect(page.locator(".driver-map .leaflet-marker-icon").first()).toBeVisible();
  const code = first.filter((r) => /^\/pkg\/.*\.(wasm|js)$/.test(path(r)));
  const wasm = code.filter((r) => path(r).endsWith(".wasm"));
  const codeBytes = code.reduce((n, r) => n + r.bytes, 0);
  console.log(`driver first visit: ${first.length} requests, client code ${(codeBytes / 1024).toFixed(0)} KB in ${wasm.length} wasm files`);
  // Split: the driver's page is in the core every page loads; no group of the owner's pages
  // (board, planning, kitchen, reports, settings, office) comes with it.
  expect(wasm.map(path), "the core wasm only").toHaveLength(1);
  expect(wasm.map(path)[0]).toMatch(/^\/pkg\/hearth\./);
  for (const r of code) expect(path(r)).toMatch(/\.[A-Za-z0-9_-]{16,}\.(wasm|js)$/);
  expect(codeBytes, `budget ${budget.driver_code_bytes} B (+10 %) in first-visit-budget.json`).toBeLessThanOrEqual(budget.driver_code_bytes * 1.1);

  // The client's files are immutable; the page itself is never stored.
  const wasmUrl = wasm[0].url;
  const asset = await page.request.get(wasmUrl);
  expect(asset.headers()["cache-control"]).toContain("immutable");
  const doc = await page.request.get("/driver");
  expect(doc.headers()["cache-control"]).toBe("no-store");

  // Second visit: the page comes fresh from the server, every client file from the cache.
  const second = await visit();
  expect(refetched(page, second), "client files fetched again on a returning visit").toEqual([]);
  expect(second.some((r) => r.type === "Document" && !r.cached), "the page itself comes from the server").toBeTruthy();
});

test("the sign-in page downloads no map library", async ({ page }) => {
  const { requests } = await record(page);
  await page.goto("/login");
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  const fetched = [...requests.values()].map(path);
  expect(fetched.filter((p) => p.startsWith("/pkg/hearth.")).length, "the page loaded its client").toBeGreaterThan(0);
  expect(fetched.filter((p) => p.includes("leaflet")), fetched.join(", ")).toEqual([]);
});
