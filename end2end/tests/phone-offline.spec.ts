import { expect, test } from "@playwright/test";
import { DRIVER, makePicture, OWNER, PASSWORD, publishTodayFor, signIn } from "./helpers";

// Runs in the phone project (Pixel 7): see playwright.config.ts.
test("offline, a driver delivers and fails stops; back online they are applied exactly once", async ({ page, context, browser }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  // Wait until the service worker controls the page (first visit installs it).
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // The stops still to do (other tests share the run and may have reported some already).
  const stops = page.locator("ol.stops > li:not(.stop-done)");
  expect(await stops.count()).toBeGreaterThanOrEqual(3);
  const cod = stops.filter({ has: page.locator(".pill-cash") }).first();
  expect(await stops.filter({ has: page.locator(".pill-cash") }).count()).toBeGreaterThan(0);
  const codOrder = await cod.getAttribute("data-order");
  const others = stops.filter({ hasNot: page.locator(".pill-cash") });
  const plainOrder = await others.nth(0).getAttribute("data-order");
  const failOrder = await others.nth(1).getAttribute("data-order");

  // A big camera-like picture (3000×2000, several MB as PNG) to attach as proof of delivery.
  const picture = await makePicture(page, 3000, 2000);

  await context.setOffline(true);
  // Deliver the cash-on-delivery stop, collecting exactly what is due.
  await cod.getByRole("button", { name: "Delivered", exact: true }).click();
  await cod.getByLabel("Received by").fill("Ana");
  await cod.getByRole("button", { name: "Confirm delivery" }).click();
  const plain = page.locator(`li[data-order="${plainOrder}"]`);
  await plain.getByRole("button", { name: "Delivered", exact: true }).click();
  await plain.getByLabel("Photo of the delivery").setInputFiles({ name: "door.png", mimeType: "image/png", buffer: Buffer.from(picture, "base64") });
  // Shrunk on the phone before it goes anywhere.
  await expect(plain.getByTestId("photo-size")).toContainText("1280×853");
  await plain.getByRole("button", { name: "Confirm delivery" }).click();
  const failing = page.locator(`li[data-order="${failOrder}"]`);
  await failing.getByRole("button", { name: "Failed", exact: true }).click();
  await failing.getByLabel("Why").selectOption("Nobody home");
  await failing.getByRole("button", { name: "Confirm: not delivered" }).click();
  await expect(page.getByTestId("outbox")).toHaveText("Offline — 3 updates waiting");
  await expect(page.locator(`li[data-order="${codOrder}"] [data-testid=stop-state]`)).toHaveText("Delivered");
  await expect(failing.getByTestId("stop-state")).toHaveText("Not delivered");
  // The page still works offline after a reload (service worker), with the outbox kept.
  await page.reload();
  await expect(page.locator("ol.stops > li").first()).toBeVisible();
  await expect(page.getByTestId("outbox")).toContainText("3 updates waiting");

  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(page.getByTestId("outbox")).toHaveCount(0, { timeout: 20_000 });
  // The cash-up matches: what was due was collected.
  await expect(page.getByTestId("cash-expected")).toHaveText(await page.getByTestId("cash-collected").innerText());

  // The owner sees each outcome once, the cash, and the tracker counts the remaining stops.
  const owner = await browser.newContext();
  const req = owner.request;
  const base = page.url().replace(/\/driver.*$/, "");
  expect((await req.post(base + "/api/login", { form: { email: OWNER, password: PASSWORD } })).ok()).toBeTruthy();
  const plan = await (await req.post(base + "/api/get_day_plan", { form: {} })).json();
  const stopsOwner = plan.runs.flatMap((r: { stops: unknown[] }) => r.stops) as Array<Record<string, unknown>>;
  const byId = (id: string | null) => stopsOwner.find((s) => String(s.order_id) === id)!;
  expect(byId(codOrder).outcome).toBe("delivered");
  expect(byId(codOrder).cash_collected_cents).toBe(byId(codOrder).cod_cents);
  expect(byId(plainOrder).outcome).toBe("delivered");
  expect(byId(failOrder).outcome).toBe("failed");
  for (const id of [codOrder, plainOrder]) {
    const detail = await (await req.post(base + "/api/get_order", { form: { order_id: id! } })).json();
    const delivered = (detail.history as Array<[string, string, string]>).filter((h) => h[2].includes("→ Delivered"));
    expect(delivered.length).toBe(1);
  }
  // The photo arrived once, as the shrunk JPEG, for the owner's eyes.
  const photo = await req.get(base + `/photos/${plainOrder}`);
  expect(photo.status()).toBe(200);
  expect(photo.headers()["content-type"]).toBe("image/jpeg");
  const size = (await photo.body()).length;
  expect(size).toBeGreaterThan(10_000);
  expect(size).toBeLessThan(600_000);
  const shown = await (await req.post(base + "/api/get_order", { form: { order_id: plainOrder! } })).json();
  expect(shown.photo).toEqual([1280, 853]);
  console.log(`proof photo: 3000×2000 PNG of ${Math.round(Buffer.from(picture, "base64").length / 1024)} KB sent as a 1280×853 JPEG of ${Math.round(size / 1024)} KB`);
  await owner.close();
});
