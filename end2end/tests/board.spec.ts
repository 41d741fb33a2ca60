import { Browser, expect, Page, test } from "@playwright/test";
import { hydrated, OWNER, signIn, STAFF } from "./helpers";

async function boardAs(browser: Browser, email: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, email, email === OWNER ? /\/$/ : /\/orders$/);
  if (!page.url().endsWith("/orders")) {
    await page.goto("/orders");
    // Live updates start once the page is interactive.
    await hydrated(page);
  }
  await expect(page.getByRole("listitem", { name: "Received" })).toBeVisible();
  return page;
}

test("a card dragged on one board moves on another open board, and Undo moves it back", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  const owner = await boardAs(browser, OWNER);
  const received = staff.getByRole("listitem", { name: "Received" });
  const card = received.getByRole("article").first();
  const label = (await card.getAttribute("aria-label"))!; // "Order #1105"
  await card.dragTo(staff.getByRole("listitem", { name: "Confirmed" }));

  await expect(staff.getByRole("status")).toContainText(`${label.replace("Order ", "")} moved to Confirmed`);
  await expect(staff.getByRole("listitem", { name: "Confirmed" }).getByRole("article", { name: label })).toBeVisible();
  // The other board updates by itself (server-sent events), without a reload.
  await expect(owner.getByRole("listitem", { name: "Confirmed" }).getByRole("article", { name: label })).toBeVisible({ timeout: 5000 });

  await staff.getByRole("button", { name: "Undo" }).click();
  await expect(staff.getByRole("listitem", { name: "Received" }).getByRole("article", { name: label })).toBeVisible();
  await expect(owner.getByRole("listitem", { name: "Received" }).getByRole("article", { name: label })).toBeVisible({ timeout: 5000 });
});

test("the Move menu is the keyboard equivalent of dragging, and refused moves say why", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  const card = staff.getByRole("listitem", { name: "Received" }).getByRole("article").first();
  const label = (await card.getAttribute("aria-label"))!;
  const number = label.replace("Order ", "");
  await card.getByLabel(`Move order ${number} to`).selectOption("baking");
  await card.getByRole("button", { name: "Move" }).click();
  await expect(staff.getByRole("listitem", { name: "Baking" }).getByRole("article", { name: label })).toBeVisible();

  // A pickup order can't go out for delivery.
  const pickup = staff.getByRole("article").filter({ hasText: "Pickup" }).first();
  const pickupLabel = (await pickup.getAttribute("aria-label"))!;
  await expect(pickup.getByLabel(`Move order ${pickupLabel.replace("Order ", "")} to`).locator("option[value=out_for_delivery]")).toHaveCount(0);
  await pickup.dragTo(staff.getByRole("listitem", { name: "Out for delivery" }));
  await expect(staff.getByRole("alert")).toContainText("pickup order");
});

test("the order drawer shows the details and history, and cancels with a reason", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  const card = staff.getByRole("listitem", { name: "Confirmed" }).getByRole("article").first();
  const label = (await card.getAttribute("aria-label"))!;
  const number = label.replace("Order ", "");
  await card.getByRole("link", { name: number }).click();
  const drawer = staff.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  await expect(drawer.getByText("Total")).toBeVisible();
  await drawer.getByLabel("Reason for cancelling").fill("Customer is away");
  await drawer.getByRole("button", { name: "Cancel order" }).click();
  await expect(drawer.getByText("Cancelled: Customer is away")).toBeVisible();
  await expect(staff.getByRole("listitem", { name: "Confirmed" }).getByRole("article", { name: label })).toHaveCount(0);
  expect(new URL(staff.url()).searchParams.get("order")).not.toBeNull();
});

test("staff change an order's items in the drawer: the total follows, the history says so", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  const card = staff.getByRole("listitem", { name: "Received" }).getByRole("article").first();
  const number = (await card.getAttribute("aria-label"))!.replace("Order ", "");
  await card.getByRole("link", { name: number }).click();
  const drawer = staff.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  const total = drawer.locator("tfoot tr").last();
  const before = await total.innerText();
  await drawer.getByRole("button", { name: "Edit items" }).click();
  const form = drawer.getByRole("form", { name: "Edit items" });
  // Add one of the cheapest product (whatever the kitchen still has room for).
  const options = await form.getByLabel("Product to add").locator("option").evaluateAll((os) =>
    os.map((o) => ({ value: (o as HTMLOptionElement).value, price: Number(o.textContent!.split("·").pop()) })).filter((o) => o.value));
  options.sort((a, b) => a.price - b.price);
  await form.getByLabel("Product to add").selectOption(options[0].value);
  await form.getByRole("button", { name: "Add", exact: true }).click();
  await form.getByRole("button", { name: "Save items" }).click();
  await expect(total).not.toHaveText(before);
  await expect(drawer.locator(".history")).toContainText("items ");
});

test("staff change a delivery's address and drag its door pin in the drawer", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  // A delivery that is still in the kitchen and already has a pin and a district.
  const card = staff.getByRole("listitem", { name: "Received" }).getByRole("article").filter({ hasNotText: "Pickup" }).filter({ hasNotText: "Needs" }).first();
  const number = (await card.getAttribute("aria-label"))!.replace("Order ", "");
  await card.getByRole("link", { name: number }).click();
  const drawer = staff.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  await drawer.getByRole("button", { name: "Change address" }).click();
  const form = drawer.getByRole("form", { name: "Change address" });
  const lat = form.getByLabel("Latitude");
  await expect(lat).not.toHaveValue("");
  const lng = form.getByLabel("Longitude");
  const [lat0, lng0] = [await lat.inputValue(), await lng.inputValue()];
  await form.getByLabel("Address").fill("Calle del Pez 12, 3ºA");
  // Dragging the pin on the small map fills in its coordinates...
  const pin = form.locator(".pin-new");
  // The drawer scrolls: bring the small map into view before dragging on it.
  await form.locator(".leaflet-container").scrollIntoViewIfNeeded();
  const box = (await pin.boundingBox())!;
  await staff.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await staff.mouse.down();
  await staff.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 - 30, { steps: 8 });
  await staff.mouse.up();
  await expect(lat).not.toHaveValue(lat0);
  await expect(lng).not.toHaveValue(lng0);
  // ...and typing them (the keyboard way) moves the pin back to the door.
  const moved = (await pin.boundingBox())!;
  await lat.fill(lat0);
  await lat.press("Tab");
  await lng.fill(lng0);
  await lng.press("Tab");
  await expect.poll(async () => Math.round((await pin.boundingBox())!.x - moved.x)).toBeLessThan(-20);
  await form.getByRole("button", { name: "Save address" }).click();
  await expect(drawer.getByText("Calle del Pez 12, 3ºA").first()).toBeVisible();
  await expect(drawer.locator(".history")).toContainText("address");
});

test("staff take a phone order and it lands on the board", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  await staff.getByRole("link", { name: "New phone order" }).click();
  const form = staff.getByRole("dialog", { name: "New phone order" });
  await form.getByLabel("Caller's phone").fill("698 765 432");
  await form.getByRole("button", { name: "Look up" }).click();
  await expect(form.getByText("New customer")).toBeVisible();
  await form.getByLabel("Name", { exact: true }).fill("Rosa Phone");
  await form.getByLabel("Fulfilment").selectOption("pickup");
  await form.getByLabel("Payment").selectOption("pay_at_pickup");
  await form.getByLabel("Product 1").selectOption("PAS-CROI");
  await form.getByLabel("Quantity 1").fill("6");
  await form.getByRole("button", { name: "Take order" }).click();
  const taken = form.getByRole("status").filter({ hasText: "taken" });
  await expect(taken).toBeVisible();
  const number = (await taken.textContent())!.match(/#(\d+)/)![1];
  await expect(staff.getByRole("listitem", { name: "Received" }).getByRole("article", { name: `Order #${number}` })).toBeVisible();
});
