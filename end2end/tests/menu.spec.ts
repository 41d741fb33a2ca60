import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";

// The owner's menu and opening hours, as the owner uses them: what the page shows after each
// action, not only what the server stored. Screenshots at 1440 px and on a phone.

async function shoot(page: Page, path: string) {
  await page.screenshot({ path, fullPage: true });
}

test("the owner adds, corrects, edits and archives a product on the menu", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("link", { name: "Menu", exact: true }).click();
  await expect(page).toHaveURL(/\/menu$/);
  await hydrated(page);
  const breads = page.locator(".menu-group").filter({ has: page.getByRole("heading", { name: /^Breads/ }) });
  const sourdough = breads.locator("tr", { hasText: "Country sourdough" });
  await expect(sourdough).toContainText("€6.50");
  await expect(sourdough.locator(".tag-allergen")).toHaveText(["Cereals with gluten"]);
  await shoot(page, info.outputPath("menu-desktop.png"));

  // A seasonal cake: weekends only, two days' notice, at most two per order.
  const sku = `CAK-ROSC-${Date.now() % 100000}`;
  await page.getByRole("button", { name: "New product" }).click();
  const editor = page.getByRole("dialog", { name: "New product" });
  await editor.getByLabel("Name").fill("Roscón de Reyes");
  await editor.getByLabel("SKU").fill(sku);
  await editor.getByLabel("Category").fill("Seasonal");
  await editor.getByLabel("Price").fill("abc");
  await editor.getByLabel("Made per day").fill("6");
  await editor.getByLabel("Days of notice").fill("2");
  await editor.getByLabel("Maximum per order").fill("2");
  for (const d of ["Mon", "Tue", "Wed", "Thu", "Fri"]) await editor.getByLabel(d, { exact: true }).uncheck();
  for (const a of ["Eggs", "Milk", "Tree nuts"]) await editor.getByLabel(a, { exact: true }).check();
  await editor.getByRole("button", { name: "Save product" }).click();
  // Bad input: the field is named, marked, and nothing is added.
  await expect(editor.getByRole("alert")).toHaveText('Price: an amount like 4.50, not "abc".');
  await expect(editor.getByLabel("Price")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(`tr[data-sku="${sku}"]`)).toHaveCount(0);
  await shoot(page, info.outputPath("product-editor-desktop.png"));

  await editor.getByLabel("Price").fill("24.50");
  await editor.getByLabel("Tax included (%)").fill("10");
  await editor.getByRole("button", { name: "Save product" }).click();
  await expect(editor).toHaveCount(0);
  const seasonal = page.locator(".menu-group").filter({ has: page.getByRole("heading", { name: /^Seasonal/ }) });
  const row = seasonal.locator(`tr[data-sku="${sku}"]`);
  await expect(row).toContainText("€24.50");
  await expect(row).toContainText("Sat, Sun");
  await expect(row).toContainText("2 days");
  await expect(row).toContainText("1–2");
  await expect(row.locator(".tag-allergen")).toHaveText(["Eggs", "Milk", "Tree nuts"]);

  // Edit: a new price shows at once.
  await row.getByRole("button", { name: "Roscón de Reyes", exact: true }).click();
  const edit = page.getByRole("dialog", { name: "Edit Roscón de Reyes" });
  await expect(edit.getByLabel("Price")).toHaveValue("24.50");
  await expect(edit.getByLabel("Sat", { exact: true })).toBeChecked();
  await expect(edit.getByLabel("Mon", { exact: true })).not.toBeChecked();
  await edit.getByLabel("Price").fill("26");
  await edit.getByRole("button", { name: "Save product" }).click();
  await expect(edit).toHaveCount(0);
  await expect(row).toContainText("€26.00");

  // Archive: off the menu, listed apart, and back again.
  await row.getByRole("button", { name: "Archive" }).click();
  const archived = page.locator(".menu-archived");
  await expect(archived.locator(`tr[data-sku="${sku}"]`)).toBeVisible();
  await expect(seasonal.locator(`tr[data-sku="${sku}"]`)).toHaveCount(0);
  await archived.locator(`tr[data-sku="${sku}"]`).getByRole("button", { name: "Put back on the menu" }).click();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Archive" }).click();
  await expect(archived.locator(`tr[data-sku="${sku}"]`)).toBeVisible();

  // On a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, info.outputPath("menu-phone.png"));
  await sourdough.getByRole("button", { name: "Country sourdough", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Edit Country sourdough" })).toBeVisible();
  await shoot(page, info.outputPath("product-editor-phone.png"));
});

test("the owner sets pickup hours with a break, the horizon and a closed date", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/settings");
  await hydrated(page);
  const card = page.locator("#hours");
  await expect(card.getByLabel("Monday opens")).toHaveValue("08:00");
  // Sunday mornings too (the demo bakery's counter opens 09:00–13:00 then).
  await expect(card.getByLabel("Sunday", { exact: true })).toBeChecked();
  await expect(card.getByLabel("Sunday opens")).toHaveValue("09:00");

  // A bad break is named and nothing is saved.
  await card.getByLabel("Saturday break starts").fill("15:00");
  await card.getByLabel("Saturday break ends").fill("16:00");
  await card.getByRole("button", { name: "Save opening hours" }).click();
  await expect(card.getByRole("alert")).toContainText("Saturday's break: within the opening hours (08:00–14:00)");
  await card.getByLabel("Saturday break starts").fill("11:00");
  await card.getByLabel("Saturday break ends").fill("11:30");
  await card.getByLabel("Customers can book up to (days ahead)").fill("21");
  await card.getByRole("button", { name: "Save opening hours" }).click();
  await expect(card.getByRole("status")).toHaveText("Opening hours saved.");
  await page.reload();
  await hydrated(page);
  await expect(card.getByLabel("Saturday break starts")).toHaveValue("11:00");
  await expect(card.getByLabel("Customers can book up to (days ahead)")).toHaveValue("21");

  // A closed date far ahead shows in the list, then opens again.
  const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  await card.getByLabel("Date").fill(day);
  await card.getByLabel("Note (optional)").fill("Holidays");
  await card.getByRole("button", { name: "Close this date" }).click();
  const item = card.locator(".closed-list li", { hasText: "Holidays" });
  await expect(item).toBeVisible();
  await card.screenshot({ path: info.outputPath("opening-hours.png") });
  await item.getByRole("button", { name: "Open again" }).click();
  await expect(item).toHaveCount(0);

  // Back as the other tests expect them: no break, 14 days.
  await card.getByLabel("Saturday break starts").fill("");
  await card.getByLabel("Saturday break ends").fill("");
  await card.getByLabel("Customers can book up to (days ahead)").fill("14");
  await card.getByRole("button", { name: "Save opening hours" }).click();
  await expect(card.getByRole("status")).toHaveText("Opening hours saved.");
});
