// Named to run first among the phone specs (Playwright runs files in name order): the others
// deliver stops of the same published run, and on a short day (the demo's Saturday run has
// seven stops) none was left for this test to find a stop still to do.
import { expect, test } from "@playwright/test";
import { DRIVER, hydrated, OWNER, publishTodayFor, signIn } from "./helpers";

test("a driver on a phone sees their published run with ETAs, call and navigate buttons", async ({ page }) => {
  await publishTodayFor(page, "Marta Ruiz");
  await signIn(page, DRIVER, /\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  const stops = page.locator("ol.stops > li");
  expect(await stops.count()).toBeGreaterThan(0);
  await expect(stops.first().getByText(/^ETA \d\d:\d\d$/)).toBeVisible();
  // The first stop still to do (an earlier test may have delivered some already).
  const first = stops.filter({ has: page.getByRole("link", { name: "Call" }) }).first();
  await expect(first.getByRole("link", { name: "Call" })).toHaveAttribute("href", /^tel:\+34/);
  await expect(first.getByRole("link", { name: "Navigate" })).toHaveAttribute("href", /^geo:/);
  // Nothing overflows the phone's width, down to a small 360 px phone: every stop card and
  // its buttons stay on screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 360, height: 740 });
  const widest = await page.evaluate(() =>
    Math.max(...[...document.querySelectorAll("ol.stops > li, ol.stops > li .btn")].map((e) => e.getBoundingClientRect().right)));
  expect(widest).toBeLessThanOrEqual(360);
  // The menu button opens the navigation drawer (a client-side interaction).
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("button", { name: "Sign out" })).not.toBeInViewport();
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(nav.getByRole("button", { name: "Sign out" })).toBeInViewport();
});

test("the owner sends a one-time sign-in link; the driver's phone opens the run with it, once", async ({ page, browser }) => {
  await publishTodayFor(page, "Marta Ruiz");
  const owner = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
  await signIn(owner, OWNER, /\/$/);
  await owner.goto("/runs");
  await hydrated(owner);
  const run = owner.getByTestId("run").filter({ hasText: "Marta Ruiz" });
  await run.getByRole("button", { name: "Sign-in link for the driver" }).click();
  const link = await run.getByLabel("Sign-in link").inputValue();
  expect(link).toMatch(/\/login\/link\/[0-9a-f]{32}$/);
  await expect(run.getByRole("link", { name: "Send by WhatsApp" })).toHaveAttribute("href", /^https:\/\/wa\.me\/\?text=/);
  await owner.context().close();

  // On the phone (signed out): opening the link asks first, then signs in and shows the run.
  const path = new URL(link).pathname;
  await page.goto(path);
  await expect(page.getByRole("heading", { name: "Hi Marta" })).toBeVisible();
  await page.getByRole("button", { name: "Sign in as Marta" }).click();
  await expect(page).toHaveURL(/\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  expect(await page.locator("ol.stops > li").count()).toBeGreaterThan(0);
  // It worked once.
  await page.goto(path);
  await expect(page.getByRole("heading", { name: "This link has expired" })).toBeVisible();
});
