import { expect, test } from "@playwright/test";
import { DRIVER, signIn } from "./helpers";

test("a driver on a phone sees today's stops with call and navigate buttons", async ({ page }) => {
  await signIn(page, DRIVER, /\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  const stops = page.locator("ol.stops > li");
  expect(await stops.count()).toBeGreaterThan(0);
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
