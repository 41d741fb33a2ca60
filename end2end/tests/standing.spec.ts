import { expect, Page, test } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";

/** `YYYY-MM-DD` of a local date. */
function iso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Next week's Tuesday: the demo café's first standing delivery (it starts next Monday). */
function nextWeeksTuesday(): string {
  const d = new Date();
  const fromMonday = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - fromMonday + 8);
  return iso(d);
}

/** The board of the café's first delivery day, its card, its drawer, then the customer's page. */
async function openCafe(page: Page, info: import("@playwright/test").TestInfo) {
  await signIn(page, OWNER, /\/$/);
  await page.goto(`/orders?day=${nextWeeksTuesday()}`);
  await hydrated(page);
  const card = page.locator("article.order-card", { has: page.locator(".standing-flag", { hasText: "S-1" }) });
  await expect(card).toHaveCount(1);
  await expect(card.locator(".standing-flag")).toHaveAttribute("title", "Standing order S-1");
  await card.screenshot({ path: info.outputPath("standing-board-card.png") });
  await card.locator("a.order-number").click();
  const drawer = page.locator(".standing-of");
  await expect(drawer).toHaveText("↻ S-1 · Tue + Fri or Mon + Thu");
  await page.locator("dd a[href^='/customers/']").click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await hydrated(page);
  return page.locator("article.standing[data-standing='1']");
}

test("a standing order on the board, the drawer and the customer's page: skip, book again, pause, resume", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  const s1 = await openCafe(page, info);
  await expect(s1.locator("h3")).toContainText("S-1 · Twice a week, Tue + Fri (or Mon + Thu)");
  await expect(s1.locator("h3 .badge")).toHaveText("Active");
  const rows = s1.locator("tr[data-day]");
  expect(await rows.count()).toBeGreaterThan(0);
  const first = rows.first();
  const number = (await first.locator("a").innerText()).trim();
  expect(number).toMatch(/^#\d+$/);
  await s1.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("standing-customer-1440.png"), fullPage: true });

  // Skip the first date: the row says so, and the notice names the order cancelled.
  await first.getByRole("button", { name: "Skip" }).click();
  await expect(page.getByRole("status")).toContainText(`order ${number} is cancelled`);
  const skipped = s1.locator("tr[data-day]").first();
  await expect(skipped).toContainText("Skipped");
  // Booked again: a new order for that date.
  await skipped.getByRole("button", { name: "Deliver after all" }).click();
  const again = s1.locator("tr[data-day]").first();
  await expect(again.locator("a")).toHaveText(/^#\d+$/);
  expect((await again.locator("a").innerText()).trim()).not.toBe(number);
  await expect(again).toContainText("Received");

  // Pause: the deliveries created ahead are cancelled and none are shown; resume books them again.
  await s1.getByRole("button", { name: "Pause" }).click();
  await expect(s1.locator("h3 .badge")).toHaveText("Paused");
  await expect(s1).toContainText("No delivery in the next fortnight.");
  await s1.getByRole("button", { name: "Resume" }).click();
  await expect(s1.locator("h3 .badge")).toHaveText("Active");
  await expect(s1.locator("tr[data-day]").first().locator("a")).toHaveText(/^#\d+$/);
});

test("book a new standing order on the customer's page, also on a phone", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await openCafe(page, info);
  const before = await page.locator("article.standing").count();
  await page.locator("summary", { hasText: "New standing order" }).click();
  const form = page.locator("details.new-standing form");
  await form.getByLabel("Item 1").selectOption({ label: "Country sourdough" });
  await form.getByLabel("Quantity 1").fill("2");
  // A pattern of the wrong size for the alternative is refused, naming it.
  const booked = form.locator("fieldset", { hasText: "Delivered on (each week)" });
  const other = form.locator("fieldset", { hasText: "Or, if it suits the runs better" });
  await booked.getByLabel("Wed").check();
  await other.getByLabel("Thu").check();
  await other.getByLabel("Sat").check();
  const start = new Date();
  start.setDate(start.getDate() + 2);
  await form.locator("input[name=starts_on]").fill(iso(start));
  await form.getByRole("button", { name: "Book the standing order" }).click();
  await expect(form.getByRole("alert")).toContainText("schedule.weekdays[1]");
  await expect(page.locator("article.standing")).toHaveCount(before);
  await other.getByLabel("Sat").uncheck();
  await form.getByRole("button", { name: "Book the standing order" }).click();
  const made = page.locator("article.standing").nth(before);
  await expect(made.locator("h3")).toContainText("Weekly, Wed (or Thu)");
  await expect(made.locator("tr[data-day]").first()).toBeVisible();
  await made.scrollIntoViewIfNeeded();
  await made.screenshot({ path: info.outputPath("standing-new-1440.png") });

  // On a phone, as opened there.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await hydrated(page);
  await page.locator("article.standing", { hasText: "Weekly, Wed (or Thu)" }).last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("standing-phone.png") });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

test("the planning calendar and list mark standing orders' deliveries", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  // The café's first delivery day: its district-day cell counts a standing delivery.
  const cell = page.locator(`td[data-day="${nextWeeksTuesday()}"]`, { has: page.locator(".cell-standing", { hasText: "↻" }) });
  await expect(cell.first()).toBeVisible();
  await expect(cell.first()).toHaveAttribute("title", /from standing orders/);
  await expect(page.getByText(/↻ standing S-1 · Tue \+ Fri \(or Mon \+ Thu\)/).first()).toBeVisible();
  await cell.first().screenshot({ path: info.outputPath("standing-calendar-cell.png") });
});

test("every standing order at a glance", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/customers");
  await hydrated(page);
  await page.getByRole("link", { name: "Standing orders" }).click();
  await expect(page).toHaveURL(/\/customers\/standing$/);
  await hydrated(page);
  const row = page.locator("tr[data-standing='1']");
  await expect(row).toContainText("Twice a week, Tue + Fri (or Mon + Thu)");
  await expect(row.getByRole("link", { name: /^#\d+ · / })).toBeVisible();
  await page.screenshot({ path: info.outputPath("standing-list-1440.png"), fullPage: true });
  // The customer's name opens their page, with the standing order on it.
  await row.locator("td").nth(1).getByRole("link").click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await expect(page.locator("article.standing[data-standing='1']")).toBeVisible();
});

test("the owner changes a standing order's items and the deliveries ahead follow", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/customers/standing");
  await hydrated(page);
  await page.locator("tr[data-standing='2'] td").nth(1).getByRole("link").click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await hydrated(page);
  const s2 = page.locator("article.standing[data-standing='2']");
  const summary = s2.locator("p.muted.small").first();
  await expect(summary).toContainText(" × ");
  const was = await summary.innerText();
  await s2.getByText("Change items").click();
  const form = s2.getByRole("form", { name: "Change the items of S-2" });
  // A quantity that is not a number is named, and nothing changes.
  await form.getByLabel("Item 2").selectOption({ label: "Baguette tradition" });
  await form.getByLabel("Quantity 2").fill("");
  // The page reads the customer again after every change: wait for it before going on.
  const reread = page.waitForResponse((r) => r.url().includes("/api/get_customer"));
  await form.getByRole("button", { name: "Save items from tomorrow" }).click();
  await expect(page.getByRole("alert")).toContainText("items:");
  await reread;
  await expect(summary).toHaveText(was);
  if (!(await form.isVisible())) await s2.getByText("Change items").click();
  await form.getByLabel("Quantity 1").fill("2");
  await form.getByLabel("Item 2").selectOption({ label: "Baguette tradition" });
  await form.getByLabel("Quantity 2").fill("3");
  await form.screenshot({ path: info.outputPath("standing-change-items.png") });
  await form.getByRole("button", { name: "Save items from tomorrow" }).click();
  await expect(page.getByRole("status")).toContainText("the new items");
  await expect(s2).toContainText("2 × Country sourdough, 3 × Baguette tradition");
  // The next delivery's order has them too.
  await s2.locator("tr[data-day]").first().locator("a").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.locator("tbody tr", { hasText: "Baguette tradition" })).toContainText("× 3");
  await expect(drawer.locator("tbody tr", { hasText: "Country sourdough" })).toContainText("× 2");
  await expect(drawer.locator("tbody tr", { hasText: "Butter croissant" })).toHaveCount(0);
});

test("the owner changes a standing order's days and time and the deliveries ahead follow", async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/customers/standing");
  await hydrated(page);
  await page.locator("tr[data-standing='2'] td").nth(1).getByRole("link").click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await hydrated(page);
  const s2 = page.locator("article.standing[data-standing='2']");
  const heading = s2.locator("h3");
  await s2.getByText("Change days, address or time").click();
  const form = s2.getByRole("form", { name: "Change the days, address or time of S-2" });
  const booked = form.locator("fieldset", { hasText: "Delivered on (each week)" });
  const other = form.locator("fieldset", { hasText: "Or, if it suits the runs better" });
  // No day at all is named, and nothing changes.
  for (const day of ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]) await booked.getByLabel(day).uncheck();
  await form.getByRole("button", { name: "Save from tomorrow" }).click();
  await expect(form.getByRole("alert")).toContainText("at least one weekday");
  await expect(heading).not.toContainText("Fri");
  // Fridays (or Saturdays), 11:00–13:00.
  await booked.getByLabel("Fri").check();
  await other.getByLabel("Sat").check();
  await form.getByLabel("Deliver to").selectOption({ index: 0 });
  await form.locator("input[name=window]").fill("11:00-13:00");
  await form.screenshot({ path: info.outputPath("standing-change-terms.png") });
  await form.getByRole("button", { name: "Save from tomorrow" }).click();
  await expect(page.getByRole("status")).toContainText("Done");
  await expect(heading).toContainText("Weekly, Fri (or Sat)");
  await expect(s2.locator("p.muted.small").first()).toContainText("11:00–13:00");
  // The deliveries ahead are on Fridays now, and the next one's drawer says 11:00–13:00.
  const first = s2.locator("tr[data-day]").first();
  await expect(first.locator("td").first()).toContainText("Fri");
  await first.locator("a").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toContainText("11:00–13:00");

  // The form on a phone: nothing wider than the screen.
  await page.goBack();
  await page.setViewportSize({ width: 390, height: 844 });
  await hydrated(page);
  await s2.getByText("Change days, address or time").click();
  await form.scrollIntoViewIfNeeded();
  await form.screenshot({ path: info.outputPath("standing-change-terms-phone.png") });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});
