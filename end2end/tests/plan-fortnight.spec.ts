import { expect, test } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";

/** The "used/capacity" count of a district-day cell on the planning calendar. */
async function cellCount(page: import("@playwright/test").Page, district: string, day: string) {
  const cell = page.locator(`td[data-district="${district}"][data-day="${day}"] .cell-count`).first();
  const [used] = (await cell.innerText()).trim().split("/").map(Number);
  return used;
}

test("plan the fortnight: a progress bar, accept half, the calendar and the list follow, undo", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  const card = page.getByTestId("suggest");
  await card.getByRole("button", { name: "Plan the fortnight" }).click();
  // The search runs in the background with a progress bar and a Stop button.
  await expect(card.getByRole("progressbar", { name: "Planning the fortnight" })).toBeVisible();
  await expect(card.getByRole("button", { name: "Stop" })).toBeVisible();
  await card.screenshot({ path: info.outputPath("plan-progress-1440.png") });
  await expect(card.getByTestId("suggest-figures")).toContainText(/as booked [\d.]+ km, [\d.]+ h → planned [\d.]+ km/, { timeout: 30_000 });
  await expect(card.getByTestId("plan-progress")).toHaveCount(0);
  await card.locator("summary", { hasText: "Day by day" }).click();
  await expect(card.getByTestId("plan-days").locator("tbody tr").first()).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("plan-fortnight-1440.png"), fullPage: true });

  // Orders moved one by one (a standing order's week moves as a group: tests/standing.rs).
  const moves = card.locator("li.move:not([data-group])");
  // A count does not wait: first wait until the list has drawn enough rows.
  await expect(moves.nth(1)).toBeAttached();
  const n = await moves.count();
  expect(n).toBeGreaterThan(1);
  const half = Math.ceil(n / 2);
  const accepted: { id: string; from: string; to: string; number: string }[] = [];
  for (let i = 0; i < half; i++) {
    const m = moves.nth(i);
    const [id, from, to, district] = await Promise.all(
      ["data-order", "data-from", "data-to", "data-district"].map((a) => m.getAttribute(a)),
    );
    const number = (await m.locator("strong").first().innerText()).replace("#", "");
    await expect(m).toContainText(/Joins|route through/);
    const before = await cellCount(page, district!, to!);
    await m.getByRole("button", { name: "Accept" }).click();
    await expect(m.getByText("moved")).toBeVisible();
    // The calendar counts one more stop on the new day, and the order's row shows that day.
    await expect.poll(() => cellCount(page, district!, to!)).toBe(before + 1);
    await expect(page.getByLabel(`Delivery day of #${number}`)).toHaveValue(to!);
    accepted.push({ id: id!, from: from!, to: to!, number });
  }
  // The other half did not move.
  for (let i = half; i < n; i++) {
    await expect(moves.nth(i).getByRole("button", { name: "Accept" })).toBeVisible();
    const number = (await moves.nth(i).locator("strong").first().innerText()).replace("#", "");
    await expect(page.getByLabel(`Delivery day of #${number}`)).toHaveValue((await moves.nth(i).getAttribute("data-from"))!);
  }
  // Undo puts every accepted order back on its booked day.
  await card.getByRole("button", { name: "Undo accepted moves" }).click();
  for (const a of accepted) {
    await expect(page.getByLabel(`Delivery day of #${a.number}`)).toHaveValue(a.from);
  }
  await expect(moves.nth(0).getByRole("button", { name: "Accept" })).toBeVisible();
});

test("plan the fortnight on a phone", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  const card = page.getByTestId("suggest");
  await card.getByRole("button", { name: "Plan the fortnight" }).click();
  await expect(card.getByTestId("suggest-figures")).toBeVisible({ timeout: 30_000 });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: info.outputPath("plan-fortnight-phone.png") });
  // Nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
