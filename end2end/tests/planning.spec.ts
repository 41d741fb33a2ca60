import { expect, test } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";
import type { Locator } from "@playwright/test";

/** Waits until the map has finished framing itself (it re-fits once layout settles). */
async function settled(pin: Locator) {
  let last = "";
  for (let i = 0; i < 40; i++) {
    const box = JSON.stringify(await pin.boundingBox());
    if (box === last) return;
    last = box;
    await pin.page().waitForTimeout(250);
  }
}

test("dragging an order's marker onto a district-day moves it: calendar, marker and board follow", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  await expect(page.locator(".order-pin span").first()).toBeVisible();
  // An order that can move: not flexible, received or confirmed, in a district with another served day.
  const candidates = page.locator("li.plan-order").filter({ hasNotText: "flexible" }).filter({ hasText: /Received|Confirmed/ });
  const ids = await candidates.evaluateAll((els) => els.map((e) => e.getAttribute("data-order")));
  let id = "", target = "", cellCount = "";
  for (const candidate of ids) {
    const pin = page.locator(`.order-pin span[data-order="${candidate}"]`);
    // Several orders can share an address: only a marker that is on top can be grabbed.
    const onTop = await pin.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
    });
    if (!onTop) continue;
    const district = await pin.getAttribute("data-district");
    const booked = await pin.getAttribute("data-booked");
    const cells = page.locator(`td.cell-open[data-district="${district}"][data-day]:not([data-day="${booked}"])`);
    if ((await cells.count()) > 0) {
      id = candidate!;
      target = (await cells.first().getAttribute("data-day"))!;
      cellCount = (await cells.first().innerText()).trim();
      break;
    }
  }
  expect(id).not.toBe("");
  const pin = page.locator(`.order-pin span[data-order="${id}"]`);
  const cell = page.locator(`td[data-district][data-day="${target}"]`).filter({ hasText: cellCount }).first();
  await cell.scrollIntoViewIfNeeded();
  await settled(pin);
  const from = (await pin.boundingBox())!;
  const to = (await cell.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 40, from.y + 40, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
  await page.mouse.up();

  await expect(page.getByRole("status")).toContainText("moved to");
  // The cell counts one more stop; the marker now carries the new day (and its colour).
  const [used, cap] = cellCount.split("/").map(Number);
  await expect(page.locator(`td[data-day="${target}"]`).filter({ hasText: `${used + 1}/${cap}` }).first()).toBeVisible();
  await expect(page.locator(`.order-pin span[data-order="${id}"]`)).toHaveAttribute("data-booked", target);
  // The staff board shows it on its new day.
  const number = (await page.locator(`li.plan-order[data-order="${id}"] strong`).first().innerText()).replace("#", "");
  const staff = await page.context().newPage();
  await staff.goto(page.url().replace(/\/planning.*/, `/orders?day=${target}`));
  await expect(staff.getByRole("article", { name: `Order #${number}` })).toBeVisible();
  await staff.close();

  // Undo puts it back.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(`.order-pin span[data-order="${id}"]`)).not.toHaveAttribute("data-booked", target);
});

test("a refused move says why (the menu equivalent of a drag)", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  const row = page.locator("li.plan-order").filter({ hasText: "Out for delivery" }).first();
  const select = row.getByRole("combobox");
  const current = await select.inputValue();
  const other = (await select.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).find((d) => d !== current)!;
  await select.selectOption(other);
  await row.getByRole("button", { name: "Move" }).click();
  await expect(page.getByRole("alert")).toContainText("already out for delivery");
  await expect(row.getByRole("combobox")).toHaveValue(current);
});

test("an order without a location is pinned by dragging a marker onto the map", async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  const list = page.locator(".attention-list > li");
  const before = await list.count();
  expect(before).toBeGreaterThan(0);
  await list.first().getByRole("button", { name: "Pin on map" }).click();
  const pin = page.locator(".pin-new");
  await expect(pin).toBeVisible();
  await settled(pin);
  const box = (await pin.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 30, box.y + 25, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByRole("status")).toContainText("Pinned in");
  await expect(page.locator(".attention-list > li")).toHaveCount(before - 1);
});
