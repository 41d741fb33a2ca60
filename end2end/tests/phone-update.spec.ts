import { expect, test } from "@playwright/test";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { resolve } from "node:path";
import { DRIVER, publishTodayFor, signIn } from "./helpers";

// The client build the server stamps its service worker with (see src/server/http.rs): the
// core wasm, named by its content (hearth.<hash>.wasm).
const PKG = resolve(__dirname, "../../target/site/pkg");
const WASM = resolve(PKG, readdirSync(PKG).find((f) => /^hearth\..+\.wasm$/.test(f))!);

// Runs in the phone project (Pixel 7): see playwright.config.ts.
test("a new deployment offers the driver a reload, and the reload brings the run back", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await expect(page.locator(".update-banner")).toHaveCount(0);
  const before = await (await page.request.get("/sw.js")).text();

  // "Deploy" a new client: the server sees a different wasm and serves a new worker.
  const { atime, mtime } = statSync(WASM);
  try {
    const later = new Date(mtime.getTime() + 60_000);
    utimesSync(WASM, later, later);
    expect(await (await page.request.get("/sw.js")).text()).not.toBe(before);
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update(); });
    const banner = page.locator(".update-banner");
    await expect(banner).toContainText("A new version of Hearth is ready.");
    await banner.getByRole("button", { name: "Reload" }).click();
    // The new worker takes over, the page reloads itself and shows the run again.
    await expect(banner).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
    await expect(page.locator("ol.stops > li").first()).toBeVisible();
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
  } finally {
    utimesSync(WASM, atime, mtime);
  }
});
