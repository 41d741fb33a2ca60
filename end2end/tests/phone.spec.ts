import { expect, test } from "@playwright/test";
import { DRIVER, publishTodayFor, signIn } from "./helpers";

test("a driver on a phone sees their published run with ETAs, call and navigate buttons", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  const stops = page.locator("ol.stops > li");
  expect(await stops.count()).toBeGreaterThan(0);
  await expect(stops.first().getByText(/^ETA \d\d:\d\d$/)).toBeVisible();
  const first = stops.first();
  await expect(first.getByRole("link", { name: "Call" })).toHaveAttribute("href", /^tel:\+34/);
  await expect(first.getByRole("link", { name: "Navigate" })).toHaveAttribute("href", /^geo:/);
  // Nothing overflows the phone's width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The menu button opens the navigation drawer (a client-side interaction).
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("button", { name: "Sign out" })).not.toBeInViewport();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(nav.getByRole("button", { name: "Sign out" })).toBeInViewport();
});
