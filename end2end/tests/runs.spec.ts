import { expect, Page, test } from "@playwright/test";
import { hydrated, optimise, OWNER, signIn } from "./helpers";

/** The owner on the runs page at 1440×900, hydrated. */
async function runsPage(page: Page) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/runs");
  await hydrated(page);
}

test("the owner optimises today's runs, drags a stop, locks it, publishes and prints the sheet", async ({ page }) => {
  await runsPage(page);
  await optimise(page);
  const run = page.getByTestId("run").first();
  const stops = run.locator("li.run-stop");
  // A count does not wait: first wait until the run has drawn enough stops.
  await expect(stops.nth(2)).toBeAttached();
  const n = await stops.count();
  expect(n).toBeGreaterThan(2);
  // Every stop has a numbered pin on the map.
  const all = await page.locator("li.run-stop").count();
  await expect(page.locator(".stop-pin")).toHaveCount(all);
  // Nothing sticks out sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // Drag the last stop to the top: the run is re-timed in that order.
  const last = await stops.nth(n - 1).getAttribute("data-order");
  await stops.nth(n - 1).dragTo(stops.nth(0));
  await expect(run.locator("li.run-stop").first()).toHaveAttribute("data-order", last!);
  await expect(run.locator("li.run-stop")).toHaveCount(n);

  // Lock it; the button shows the state.
  const lock = run.locator("li.run-stop").first().getByRole("button", { name: /^Lock #/ });
  await lock.click();
  await expect(run.locator("li.run-stop").first().getByRole("button", { name: /^Lock #/ })).toHaveAttribute("aria-pressed", "true");

  // A longer search shows its best plan so far and can be stopped.
  await page.getByTestId("search-longer").click();
  await expect(page.getByTestId("search-progress")).toContainText(/best so far \d+ vans? · [\d.]+ km/);
  await page.getByTestId("search-progress").getByRole("button", { name: "Stop" }).click();
  await expect(page.getByText(/^Longer search: \d+ stops on \d+ runs?/)).toBeVisible();

  await page.getByTestId("publish").click();
  await expect(page.getByTestId("run").first().getByText("Published", { exact: true })).toBeVisible();

  // The run sheet: every stop with a QR code of its tracking link; 15 stops fit an A4 page.
  const href = await page.getByTestId("run").first().getByRole("link", { name: "Run sheet" }).getAttribute("href");
  await page.goto(href!);
  await hydrated(page);
  await expect(page.locator(".sheet-table tbody tr")).toHaveCount(n);
  await expect(page.locator(".sheet-qr svg").first()).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 718, height: 1047 }); // A4 less 10 mm margins, at 96 dpi
  const needed = await page.evaluate(() => {
    const rows = [...document.querySelectorAll(".sheet-table tbody tr")].map((r) => r.getBoundingClientRect().height);
    const top = document.querySelector(".run-sheet")!.getBoundingClientRect().top;
    const body = document.querySelector(".sheet-table tbody")!.getBoundingClientRect().top;
    return body - top + 15 * Math.max(...rows);
  });
  expect(needed).toBeLessThanOrEqual(1047);
});

test("the planning map draws the runs of the day picked in its filter", async ({ page }) => {
  await runsPage(page);
  await optimise(page);
  const stops = await page.locator("li.run-stop").count();
  const day: string = (await (await page.request.post("/api/get_day_plan", { form: {} })).json()).day;
  await page.goto("/planning");
  await hydrated(page);
  await expect(page.getByTestId("runs-legend")).toHaveCount(0);
  await page.getByLabel("Day", { exact: true }).selectOption(day);
  await expect(page.getByTestId("runs-legend")).toContainText("Runs of");
  await expect(page.locator(".planning-map .stop-pin")).toHaveCount(stops);
  await page.getByLabel("Day", { exact: true }).selectOption("");
  await expect(page.getByTestId("runs-legend")).toHaveCount(0);
  await expect(page.locator(".planning-map .stop-pin")).toHaveCount(0);
});

test("a stop dragged upward lands where it was dropped; dropped low on a stop, it goes after it", async ({ page }) => {
  await runsPage(page);
  await optimise(page);
  const run = page.getByTestId("run").first();
  const stops = run.locator("li.run-stop");
  // A count does not wait: first wait until the run has drawn enough stops.
  await expect(stops.nth(3)).toBeAttached();
  const n = await stops.count();
  expect(n).toBeGreaterThan(3);
  const order = async () => stops.evaluateAll((ls) => ls.map((l) => l.getAttribute("data-order")));
  // Upward: the third stop onto the first one → it becomes the first, not the last.
  const before = await order();
  await stops.nth(2).dragTo(stops.nth(0));
  await expect.poll(order).toEqual([before[2], before[0], before[1], ...before.slice(3)]);
  // Downward onto the lower part of a stop: right after it.
  const now = await order();
  const box = (await stops.nth(2).boundingBox())!;
  await stops.nth(0).dragTo(stops.nth(2), { targetPosition: { x: 40, y: box.height - 4 } });
  await expect.poll(order).toEqual([now[1], now[2], now[0], ...now.slice(3)]);
});

test("re-optimising a published day asks first, keeps it published, and the driver still has a run", async ({ page, browser }) => {
  await runsPage(page);
  const confirm = page.getByRole("alertdialog", { name: "Re-plan published runs" });
  if ((await page.getByTestId("run").count()) === 0 || !(await page.getByTestId("run").first().getByText("Published", { exact: true }).isVisible())) {
    await optimise(page);
    await page.getByTestId("publish").click();
  }
  const run = page.getByTestId("run").first();
  await expect(run.getByText("Published", { exact: true })).toBeVisible();
  const driver = (await run.getByRole("heading").innerText()).trim();
  // Optimise again: asked first; keeping the published runs changes nothing.
  await page.getByTestId("optimise").click();
  await expect(confirm).toBeVisible();
  // The day reloading meanwhile (here: a stop locked, then unlocked again) leaves the question
  // open; it was kept by the day's view, which every reload draws anew, and vanished.
  const lock = run.getByRole("button", { name: /^Lock #/ }).first();
  const pressed = await lock.getAttribute("aria-pressed");
  const flipped = pressed === "true" ? "false" : "true";
  await lock.click();
  await expect(run.getByRole("button", { name: /^Lock #/ }).first()).toHaveAttribute("aria-pressed", flipped);
  await expect(confirm).toBeVisible();
  await run.getByRole("button", { name: /^Lock #/ }).first().click();
  await expect(run.getByRole("button", { name: /^Lock #/ }).first()).toHaveAttribute("aria-pressed", pressed ?? "false");
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Keep the published runs" }).click();
  await expect(confirm).toHaveCount(0);
  await page.getByTestId("optimise").click();
  await confirm.getByRole("button", { name: "Re-plan and update drivers" }).click();
  // Its own toast: when this test published the day above, that toast may still be showing.
  await expect(page.getByRole("status").filter({ hasText: "still published" })).toBeVisible();
  for (const r of await page.getByTestId("run").all()) {
    await expect(r.getByText("Published", { exact: true })).toBeVisible();
    await expect(r.getByText("Draft", { exact: true })).toHaveCount(0);
  }
  // That driver's phone still shows their run.
  const email = driver === "Javier Gil" ? "driver2@hearth.demo" : "driver@hearth.demo";
  const phone = await (await browser.newContext({ viewport: { width: 412, height: 915 } })).newPage();
  await signIn(phone, email, /\/driver$/);
  // The list arrives after the page: wait for it rather than count what is there yet.
  await expect(phone.locator("ol.stops > li").first()).toBeVisible();
  await expect(phone.getByText("No run published for you today")).toHaveCount(0);
});
