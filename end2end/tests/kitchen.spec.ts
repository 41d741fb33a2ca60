import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { bakeryToday, hydrated, OWNER, pickupOrder, signIn, STAFF } from "./helpers";

// The kitchen as staff use it: the production sheet counts the orders, marking a batch baked
// takes its ingredients from stock and moves the orders on the board, the sheet prints on one
// A4 page; the owner counts a shelf empty and the dashboard says the stock is low.

/** Days from the bakery's today to the first Monday, Wednesday or Thursday at least
 *  `from` days ahead. */
function quietDay(from: number): number {
  const today = bakeryToday();
  for (let i = from; ; i++) {
    const weekday = new Date(Date.parse(today + "T12:00:00Z") + i * 86_400_000).getUTCDay();
    if ([1, 3, 4].includes(weekday)) return i;
  }
}

async function sheetFor(page: Page, day: string) {
  await page.goto("/kitchen");
  await hydrated(page);
  await page.getByLabel("Day", { exact: true }).fill(day);
  await expect(page.getByRole("heading", { name: /^Production · / })).toBeVisible();
}

function cell(page: Page, sku: string, n: number) {
  return page.locator(`tr[data-product="${sku}"] td.num`).nth(n);
}

/** What the Stock page says is on the shelf (in the ingredient's unit). */
async function stockOf(page: Page, ingredient: string): Promise<number> {
  await page.goto("/stock");
  await hydrated(page);
  const row = page.getByRole("region", { name: "In stock" }).getByRole("row").filter({ hasText: ingredient });
  return parseFloat((await row.locator("td").first().innerText()).split(" ")[0]);
}

test("the sheet counts the orders; marking a batch baked takes stock and moves the cards; it prints on one page", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, STAFF, /\/orders$/);
  // Nine or more days ahead (after the days the other tests book into, so the sheet is the demo's
  // day and ours), on a Monday, Wednesday or Thursday: the demo's standing orders deliver on
  // Tuesdays, Fridays and Saturdays, and baking their baguettes here would leave them baking
  // when standing.spec.ts pauses or changes them. A full batch's worth: whatever was baked
  // already, some is left to bake.
  const first = await pickupOrder(page, "Kitchen Test One", [["BRD-BAG", 20]], quietDay(9));
  await sheetFor(page, first.day);
  const row = page.locator('tr[data-product="BRD-BAG"]');
  await expect(row).toBeVisible();
  const ordered = Number(await cell(page, "BRD-BAG", 0).innerText());
  expect(ordered).toBeGreaterThanOrEqual(20);
  // Another order for the same day: the sheet follows.
  const second = await pickupOrder(page, "Kitchen Test Two", [["BRD-BAG", 3]], quietDay(9));
  expect(second.day).toBe(first.day);
  await sheetFor(page, first.day);
  await expect(cell(page, "BRD-BAG", 0)).toHaveText(String(ordered + 3));

  const flourBefore = await stockOf(page, "Bread flour T65");
  await sheetFor(page, first.day);
  const batches = Number(await row.getByLabel(/Batches of .* baked/).inputValue());
  expect(batches).toBeGreaterThan(0);
  await row.getByRole("button", { name: "Mark baked" }).click();
  await expect(page.getByRole("status")).toContainText("marked baked");
  await expect(row.getByText("Done")).toBeVisible();
  await expect(cell(page, "BRD-BAG", 2)).toHaveText("0");
  // 5 kg of flour a batch of baguettes.
  expect(await stockOf(page, "Bread flour T65")).toBeCloseTo(flourBefore - 5 * batches, 3);

  // Both orders are ready on the board.
  await page.goto(`/orders?day=${first.day}`);
  await hydrated(page);
  for (const o of [first, second]) {
    await expect(page.getByRole("listitem", { name: "Ready" }).getByRole("article", { name: `Order #${o.number}` })).toBeVisible();
  }

  // The sheet prints on one A4 page.
  await sheetFor(page, first.day);
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: info.outputPath("production-sheet-print.png"), fullPage: true });
  const pdf = (await page.pdf({ format: "A4" })).toString("latin1");
  expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
});

test("a shelf counted empty shows as low stock on the dashboard", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Stock" }).click();
  await hydrated(page);
  const form = page.getByRole("form", { name: "Record stock" });
  await form.getByLabel("What happened").selectOption("Count");
  await form.getByLabel("Ingredient").selectOption({ label: "Honey" });
  await form.getByRole("textbox", { name: /Counted/ }).fill("lots");
  await form.getByRole("button", { name: "Record" }).click();
  await expect(form.getByRole("alert")).toContainText("Quantity of Honey (kg)");
  await form.getByRole("textbox", { name: /Counted/ }).fill("0");
  await form.getByRole("button", { name: "Record" }).click();
  await expect(form.getByRole("status")).toContainText("Honey: counted 0 kg");
  const honey = page.getByRole("region", { name: "In stock" }).getByRole("row").filter({ hasText: "Honey" });
  await expect(honey).toContainText("Low");
  await expect(honey.locator("td").first()).toHaveText("0 kg");
  await page.screenshot({ path: info.outputPath("stock-desktop.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  const alerts = page.getByRole("region", { name: "Kitchen alerts" });
  await expect(alerts).toContainText("Low stock");
  await expect(alerts).toContainText("Honey (0 kg, reorder at 1 kg)");
});

test("the owner orders from a supplier, staff receive it into stock, and booking may count the pantry", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  const honeyBefore = await stockOf(page, "Honey");
  const form = page.getByRole("form", { name: "New purchase order" });
  const line = form.getByRole("group", { name: "Line 1" });
  await line.getByLabel("Ingredient").selectOption({ label: "Honey" });
  await line.getByRole("textbox", { name: /Quantity/ }).fill("lots");
  await form.getByRole("button", { name: "Place order" }).click();
  await expect(form.getByRole("alert")).toContainText("Quantity of Honey (kg)");
  await line.getByRole("textbox", { name: /Quantity/ }).fill("2,5");
  await form.getByRole("button", { name: "Place order" }).click();
  await expect(form.getByRole("status")).toContainText(/PO-\d+ placed: arriving/);
  const number = (await form.getByRole("status").innerText()).match(/PO-\d+/)![0];
  const orders = page.getByRole("region", { name: "Purchase orders" });
  await expect(orders.getByRole("listitem", { name: number })).toContainText("Honey 2.5 kg");
  await page.screenshot({ path: info.outputPath("purchase-orders-desktop.png"), fullPage: true });

  // Staff receive it: the row says Received, the shelf has 2.5 kg more, a second look shows no button.
  await page.goto("about:blank");
  await page.context().clearCookies();
  await signIn(page, STAFF, /\/orders$/);
  await page.goto("/stock");
  await hydrated(page);
  await orders.getByRole("button", { name: `${number} arrived: add it to stock` }).click();
  await expect(orders.getByRole("status")).toHaveText(`${number} received into stock.`);
  await expect(orders.getByRole("listitem", { name: number }).locator(".pill")).toHaveText("Received");
  await expect(orders.getByRole("button", { name: `${number} arrived: add it to stock` })).toHaveCount(0);
  expect(await stockOf(page, "Honey")).toBeCloseTo(honeyBefore + 2.5, 3);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await hydrated(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath("purchase-orders-phone.png"), fullPage: true });

  // The owner switches the pantry check on and off again (the rest of the suite books freely).
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto("about:blank");
  await page.context().clearCookies();
  await signIn(page, OWNER, /\/$/);
  await page.goto("/kitchen/recipes");
  await hydrated(page);
  const pantry = page.getByRole("region", { name: "Pantry at booking" });
  const check = pantry.getByRole("checkbox", { name: "Refuse orders the pantry can't cover" });
  await expect(check).not.toBeChecked();
  try {
    await check.check();
    await expect(pantry.getByRole("status")).toHaveText("Saved.");
    await page.goto("/stock");
    await hydrated(page);
    await expect(orders).toContainText("Booking counts these");
  } finally {
    await page.goto("/kitchen/recipes");
    await hydrated(page);
    await check.uncheck();
    await expect(pantry.getByRole("status")).toHaveText("Saved.");
  }
  await page.goto("/stock");
  await hydrated(page);
  await expect(orders).toContainText("Booking doesn't check the pantry");
});

test("staff record what was thrown away and the sheet shows it against what was baked", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, STAFF, /\/orders$/);
  await page.goto("/kitchen");
  await hydrated(page);
  const card = page.getByRole("region", { name: "Thrown away" });
  const form = card.getByRole("form", { name: "Record waste" });
  const product = await form.getByLabel("Product").locator("option:checked").innerText();
  await form.getByLabel("Units").fill("many");
  await form.getByRole("button", { name: "Record waste" }).click();
  await expect(form.getByRole("alert")).toContainText("Units: a whole number");
  await form.getByLabel("Units").fill("2");
  await form.getByLabel("Why").selectOption({ label: "burnt" });
  await form.getByLabel("Note").fill("Oven <b>too</b> hot");
  await form.getByRole("button", { name: "Record waste" }).click();
  await expect(card.getByText(`2 × ${product} written off (burnt).`)).toBeVisible();
  await expect(card.getByRole("listitem").filter({ hasText: product })).toContainText("burnt · Oven <b>too</b> hot");
  await expect(card).toContainText(/\d+ thrown away of \d+ baked\./);
  const row = page.locator("table.production tbody tr").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${product}`) }) });
  await expect(row).toContainText(/\d+ thrown away/);
});

test("the owner imports ingredients and recipes from spreadsheets: a bad file is named row by row and writes nothing", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  // A product of the test's own, off the menu so that no other test sees it.
  const menu = await page.request.post("/api/import_menu_csv", {
    form: { text: "sku,name,category,price,daily_capacity,on_menu\nE2E-SPELT,Spelt test loaf,Bread,4.00,10,no\n" },
  });
  expect(menu.status()).toBe(200);
  await page.goto("/kitchen/recipes");
  await hydrated(page);
  const card = page.getByRole("region", { name: "Spreadsheets" });
  const csv = (text: string) => ({ name: "sheet.csv", mimeType: "text/csv", buffer: Buffer.from(text, "utf-8") });

  // A bad row: named, and no button to import.
  await card.getByLabel("Import ingredients from a CSV file").setInputFiles(csv("ingredient,unit,cost_per_unit\nSpelt flour E2E,stone,2\n"));
  const preview = card.getByRole("region", { name: "Import preview" });
  await expect(preview.getByRole("alert")).toContainText("until this problem is fixed");
  await expect(preview).toContainText("Row 2, unit:");
  await expect(preview.getByRole("button", { name: /^Import/ })).toHaveCount(0);
  await preview.getByRole("button", { name: "Close" }).click();

  // A good file as a Spanish spreadsheet writes it: previewed, then imported.
  await card.getByLabel("Import ingredients from a CSV file").setInputFiles(csv("\ufeffingredient;unit;cost_per_unit;supplier\nSpelt flour E2E;kg;3,20;Molino <i>E2E</i>\n"));
  const row = preview.getByRole("row").filter({ hasText: "Spelt flour E2E" });
  await expect(row).toContainText("New");
  await expect(row).toContainText("kg · 3.20 · Molino <i>E2E</i> (new supplier)");
  await page.screenshot({ path: info.outputPath("kitchen-csv-preview.png"), fullPage: false });
  await preview.getByRole("button", { name: "Import 1 ingredient" }).click();
  await expect(card.getByRole("status")).toHaveText("Imported: 1 added, 0 updated.");

  // The recipe: 0,5 kg of it for 8 loaves on the deck oven; the book shows it and its cost.
  await card.getByLabel("Import recipes from a CSV file").setInputFiles(csv("sku,ingredient,quantity,unit,batch_yield,station\nE2E-SPELT,Spelt flour E2E,\"0,5\",kg,8,Deck oven\n"));
  await expect(preview.getByRole("row").filter({ hasText: "Spelt test loaf" })).toContainText("8 a batch · Deck oven · Spelt flour E2E 500 g");
  await preview.getByRole("button", { name: "Import 1 recipe" }).click();
  await expect(card.getByRole("status")).toHaveText("Imported: 1 added, 0 updated.");
  const book = page.locator("table.recipes tbody tr").filter({ has: page.getByRole("rowheader", { name: "Spelt test loaf" }) });
  await expect(book).toContainText("Deck oven");
  await expect(book.locator("td.num").nth(0)).toHaveText("8");
  await expect(book.locator("td.num").nth(1)).toHaveText("€0.20");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await card.screenshot({ path: info.outputPath("kitchen-csv-phone.png") });
});

test("a delivery that came short is received as it came, with its best-before", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  const stock = await (await page.request.post("/api/get_stock", { form: {} })).json();
  const honey = (stock.ingredients as any[]).find((i) => i.name === "Honey");
  const supplier = (stock.suppliers as any[])[0];
  const placed = await page.request.post("/api/create_purchase_order", {
    form: {
      "form[supplier_id]": String(supplier.id), "form[arrives_on]": "", "form[note]": "",
      "form[lines][0][ingredient_id]": String(honey.id), "form[lines][0][quantity]": "2.5",
    },
  });
  expect(placed.status()).toBe(200);
  const number = (await placed.json() as string).match(/PO-\d+/)![0];
  await page.goto("/stock");
  await hydrated(page);
  const orders = page.getByRole("region", { name: "Purchase orders" });
  const item = orders.getByRole("listitem", { name: number });
  await item.getByRole("button", { name: `Receive ${number} as it came` }).click();
  const form = item.getByRole("form", { name: `Receive ${number} as it came` });
  const quantity = form.getByLabel("Honey received (kg; ordered 2.5 kg)");
  await expect(quantity).toHaveValue("2.5");
  await quantity.fill("lots");
  await form.getByRole("button", { name: "Receive into stock" }).click();
  await expect(orders.getByRole("alert")).toContainText("Honey received, in kg");
  await quantity.fill("1");
  await form.getByLabel("Best before").fill("2030-01-31");
  await form.getByRole("button", { name: "Receive into stock" }).click();
  await expect(orders.getByRole("status")).toHaveText(`${number} received into stock.`);
  await expect(item).toContainText("Honey 1 kg (of 2.5 kg)");
  await expect(item.locator(".pill")).toHaveText("Received");
  await expect(form).toHaveCount(0);
});
