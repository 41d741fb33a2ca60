// Planning page responsiveness with many orders: load, drop-to-calendar, and panning frame rate.
import { chromium } from "@playwright/test";
const base = process.env.HEARTH_URL ?? "http://127.0.0.1:3000";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
await page.goto(base + "/login");
await page.waitForSelector("body[data-hydrated]", { state: "attached" });
await page.getByLabel("Email").fill("owner@hearth.demo");
await page.getByLabel("Password").fill("demo-bakery");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
let t0 = Date.now();
await page.goto(base + "/planning");
await page.waitForSelector("body[data-hydrated]", { state: "attached" });
await page.waitForFunction(() => Number(document.querySelector(".planning-map .map")?.dataset.orders ?? 0) > 1000, null, { timeout: 120000 });
const markers = await page.locator(".planning-map .map").getAttribute("data-orders");
const drawn = await page.locator(".order-pin, .marker-cluster").count();
console.log(`orders on the map: ${markers} (${drawn} dots and clusters drawn); page to all markers placed: ${((Date.now() - t0) / 1000).toFixed(2)} s`);
// Drop → calendar: move one order with its menu (the same server call as a drag) and time
// until its new day's cell shows the new count.
const drops = [];
const movesFrom = await page.evaluate(() => new Date().toISOString());
for (let i = 0; i < 3; i++) {
  const row = page.locator("li.plan-order").filter({ hasText: "Confirmed" }).filter({ hasNotText: "flexible" }).nth(i * 7);
  const select = row.getByRole("combobox");
  const current = await select.inputValue();
  const name = (await row.locator(".plan-order-who small").innerText()).split("·")[1].trim();
  const district = await page.locator("table.loads tbody tr").filter({ hasText: name }).locator("td[data-district]").first().getAttribute("data-district");
  const cell = page.locator(`td.cell-open[data-district="${district}"][data-day]:not([data-day="${current}"])`).first();
  const day = await cell.getAttribute("data-day");
  const before = (await cell.locator(".cell-count").innerText()).trim();
  await select.selectOption(day);
  // Timed in the page (the click's event to the cell's change), so Playwright's own
  // round trips are not counted.
  await page.evaluate(([d, day]) => {
    window.__clickAt = 0; window.__cellAt = 0;
    document.addEventListener("click", () => { window.__clickAt = performance.now(); }, { capture: true, once: true });
    const cell = document.querySelector(`td[data-district="${d}"][data-day="${day}"]`);
    new MutationObserver((_, obs) => { window.__cellAt = performance.now(); obs.disconnect(); })
      .observe(cell, { subtree: true, characterData: true, childList: true });
  }, [district, day]);
  await row.getByRole("button", { name: "Move" }).click();
  await page.waitForFunction(([d, day, before]) => {
    const c = document.querySelector(`td[data-district="${d}"][data-day="${day}"]`);
    if (document.querySelector(".toast-error")) throw new Error(document.querySelector(".toast-error").textContent);
    return c && c.querySelector(".cell-count").textContent.trim() !== before;
  }, [district, day, before], { timeout: 60000 });
  drops.push(Math.round(await page.evaluate(() => window.__cellAt - window.__clickAt)));
}
console.log(`drop → calendar updated: ${drops.map((d) => d + " ms").join(", ")}`);
// What the page downloads: the whole fortnight once, then only what changed.
const sizes = await page.evaluate(async (since) => {
  const post = async (url, body) => (await (await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body })).text()).length;
  const full = await post("/api/get_planning", "");
  const delta = await post("/api/get_planning_changes", "since=" + encodeURIComponent(since));
  return [full, delta];
}, movesFrom);
console.log(`planning data: ${(sizes[0] / 1024).toFixed(0)} KB in full; the changes since the three moves began: ${(sizes[1] / 1024).toFixed(1)} KB`);
// Frame rate while panning: drag the map for 2 s and count animation frames.
const map = (await page.locator(".planning-map .map").boundingBox());
await page.evaluate(() => { window.__frames = 0; const f = () => { window.__frames++; window.__raf = requestAnimationFrame(f); }; window.__raf = requestAnimationFrame(f); });
const cx = map.x + map.width / 2, cy = map.y + map.height / 2;
await page.mouse.move(cx, cy);
await page.mouse.down();
t0 = Date.now();
for (let i = 0; i < 60; i++) {
  await page.mouse.move(cx + 150 * Math.sin(i / 6), cy + 100 * Math.cos(i / 6));
  await page.waitForTimeout(30);
}
await page.mouse.up();
const secs = (Date.now() - t0) / 1000;
const frames = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames; });
console.log(`panning: ${(frames / secs).toFixed(1)} frames per second over ${secs.toFixed(1)} s`);
await browser.close();
