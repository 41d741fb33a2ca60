// Keyboard only on the driver's phone (a hardware keyboard or switch access): a stop is marked
// delivered without touching the screen, the stop says so, a screen reader hears it, and the
// focus stays on the stop.
import { expect, test } from "@playwright/test";
import { violations } from "./a11y";
import { DRIVER, publishTodayFor, signIn, tabTo } from "./helpers";

test("a stop is marked delivered with Tab, typing and Enter", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  const open = page.locator("ol.stops > li:not(.stop-done)");
  await expect(open.first()).toBeVisible();
  const stop = page.locator(`li[data-order="${await open.first().getAttribute("data-order")}"]`);
  const left = page.locator(".driver-summary .kpi-value").first();
  const n = Number(await left.innerText());

  await tabTo(page, stop.getByRole("button", { name: "Delivered", exact: true }));
  await page.keyboard.press("Enter");
  // The form opens with the focus in its first field.
  await expect(stop.getByLabel("Received by")).toBeFocused();
  await page.keyboard.type("Porter");
  await tabTo(page, stop.getByRole("button", { name: "Confirm delivery" }), 10);
  await page.keyboard.press("Enter");

  await expect(stop.getByTestId("stop-state")).toHaveText("Delivered");
  await expect(left).toHaveText(String(n - 1));
  await expect(page.getByTestId("driver-heard")).toHaveText(/^Stop \d+, .+: delivered\.$/);
  await expect(stop).toBeFocused();
  // A done stop recedes but stays readable.
  expect(await violations(page, "driver run with a stop done")).toEqual([]);
});
