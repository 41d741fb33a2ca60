// The driver's first day on a phone (Pixel 7 project): what the screen shows after each tap
// with signal, and opening the run without signal right after signing in.
import { devices, expect, test } from "@playwright/test";
import { DRIVER, publishTodayFor, signIn } from "./helpers";

test("with signal, the driver's own taps show at once: At the door, Delivered, Not delivered, stops left", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  const open = page.locator("ol.stops > li:not(.stop-done)");
  expect(await open.count()).toBeGreaterThanOrEqual(2);
  const left = page.locator(".driver-summary .kpi-value").first();
  const n = Number(await left.innerText());
  const stop = page.locator(`li[data-order="${await open.first().getAttribute("data-order")}"]`);
  const state = stop.getByTestId("stop-state");

  await stop.getByRole("button", { name: "Arrived", exact: true }).click();
  await expect(state).toHaveText("At the door");
  await expect(stop.getByRole("button", { name: "Arrived", exact: true })).toBeDisabled();
  await expect(page.getByTestId("outbox")).toHaveCount(0);

  await stop.getByRole("button", { name: "Delivered", exact: true }).click();
  await stop.getByLabel("Received by").fill("Neighbour");
  await stop.getByRole("button", { name: "Confirm delivery" }).click();
  await expect(state).toHaveText("Delivered");
  await expect(stop.getByRole("button", { name: "Delivered", exact: true })).toHaveCount(0);
  await expect(left).toHaveText(String(n - 1));

  const next = page.locator(`li[data-order="${await open.first().getAttribute("data-order")}"]`);
  await next.getByRole("button", { name: "Failed", exact: true }).click();
  await next.getByLabel("Why").selectOption("Nobody home");
  await next.getByRole("button", { name: "Confirm: not delivered" }).click();
  await expect(next.getByTestId("stop-state")).toHaveText("Not delivered");
  await expect(left).toHaveText(String(n - 2));
  await expect(page.getByTestId("outbox")).toHaveCount(0);

  // The server has them: a reload shows the same.
  await page.reload();
  await expect(state).toHaveText("Delivered");
  await expect(next.getByTestId("stop-state")).toHaveText("Not delivered");
  await expect(left).toHaveText(String(n - 2));
});

test("right after a first sign-in on a new phone, the run opens without signal", async ({ browser }) => {
  const context = await browser.newContext({ ...devices["Pixel 7"] });
  const page = await context.newPage();
  await signIn(page, DRIVER, /\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  // The page says when it is safe to lose signal.
  await expect(page.getByTestId("offline-ready")).toBeVisible({ timeout: 30_000 });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  expect(await page.locator("ol.stops > li").count()).toBeGreaterThan(0);
  await context.close();
});
