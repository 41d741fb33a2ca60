// Keyboard only (WCAG 2.1.1): every drag on the board and the planning page has a path without
// a mouse. Each test reaches its control with Tab from the top of the page and acts with keys.
import { expect, test } from "@playwright/test";
import { OWNER, pickupOrder, signIn, STAFF, tabTo } from "./helpers";

test("the board: a card moves to the next stage with Tab and Enter, and focus stays with it", async ({ page }) => {
  await signIn(page, STAFF, /\/orders/);
  const { number, day } = await pickupOrder(page, "Keyboard Kay", [["BRD-BAG", 1]]);
  await page.goto(`/orders?day=${day}`);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const card = page.locator("article.order-card").filter({ has: page.getByRole("link", { name: `#${number}`, exact: true }) });
  await expect(card).toBeVisible();
  const column = (name: string) => page.locator(`.board-column[aria-label="${name}"]`);
  await expect(column("Received").locator("article.order-card").filter({ hasText: `#${number}` })).toHaveCount(1);

  const menu = card.getByRole("combobox", { name: `Move order #${number} to` });
  await tabTo(page, menu);
  await expect(menu).toHaveValue("confirmed");
  await page.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Move" })).toBeFocused();
  await page.keyboard.press("Enter");

  // What the user sees: the card in Confirmed, the toast, and the focus back on its menu.
  await expect(page.getByRole("status").filter({ hasText: `#${number} moved to Confirmed` })).toBeVisible();
  await expect(column("Confirmed").locator("article.order-card").filter({ hasText: `#${number}` })).toHaveCount(1);
  await expect(page.getByRole("combobox", { name: `Move order #${number} to` })).toBeFocused();
});

test("the planning page: an order moves to another day with Tab, the arrow keys and Enter", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  const movable = page.locator("li.plan-order").filter({ hasNotText: "flexible" }).filter({ hasNotText: "in a run" }).filter({ hasText: /Received|Confirmed/ });
  await expect(movable.first()).toBeVisible();
  const row = page.locator(`li.plan-order[data-order="${await movable.first().getAttribute("data-order")}"]`);
  const districtName = ((await row.locator(".plan-order-who small").textContent()) ?? "").split("·")[1].trim();
  const select = row.locator("select");
  const booked = await select.inputValue();
  const options = await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  // The first later day the district is served with room, as the loads table shows it.
  const districtRow = page.locator("table.loads tbody tr").filter({ hasText: districtName });
  let target = "";
  for (const day of options.slice(options.indexOf(booked) + 1)) {
    const cell = districtRow.locator(`td.cell-open[data-day="${day}"]`);
    if ((await cell.count()) === 1) { target = day; break; }
  }
  expect(target, `a later open day for ${districtName}`).not.toBe("");
  const count = districtRow.locator(`td[data-day="${target}"] .cell-count`);
  const [used, cap] = (await count.innerText()).split("/").map(Number);

  await tabTo(page, select);
  for (let i = 0; i < options.length && (await select.inputValue()) !== target; i++) await page.keyboard.press("ArrowDown");
  await expect(select).toHaveValue(target);
  await page.keyboard.press("Tab");
  await expect(row.getByRole("button", { name: "Move" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page.getByRole("status").filter({ hasText: "moved to" })).toBeVisible();
  await expect(count).toHaveText(`${used + 1}/${cap}`);
  await expect(row.locator("select")).toHaveValue(target);
});

test("the order drawer keeps the keyboard inside it until Escape closes it", async ({ page }) => {
  await signIn(page, STAFF, /\/orders/);
  const { number, day } = await pickupOrder(page, "Drawer Dora", [["BRD-BAG", 1]]);
  await page.goto(`/orders?day=${day}`);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await tabTo(page, page.getByRole("link", { name: `#${number}`, exact: true }));
  await page.keyboard.press("Enter");
  const drawer = page.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order #${number}` })).toBeVisible();
  const inside = () => drawer.evaluate((d) => d.contains(document.activeElement));
  // More presses than the drawer has controls: Tab goes round inside it, both ways.
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    expect(await inside(), `Tab ${i + 1} left the drawer`).toBe(true);
  }
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await inside(), `Shift+Tab ${i + 1} left the drawer`).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
});

test("Escape closes the phone-order form and the product editor too, and Tab stays in each", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, OWNER, /\/$/);
  const dialogs: [string, string, string][] = [
    ["/orders", "New phone order", "link"],
    ["/menu", "New product", "button"],
  ];
  for (const [path, name, opener] of dialogs) {
    await page.goto(path);
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    const open = opener === "link" ? page.getByRole("link", { name }) : page.getByRole("button", { name });
    await tabTo(page, open);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("textbox").first().focus();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      expect(await dialog.evaluate((d) => d.contains(document.activeElement)), `${name}: Tab ${i + 1} left it`).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
  }
});
