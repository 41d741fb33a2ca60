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
  const drawer = staff.getByRole("complementary", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  await expect(drawer.getByText("Total")).toBeVisible();
  await drawer.getByLabel("Reason for cancelling").fill("Customer is away");
  await drawer.getByRole("button", { name: "Cancel order" }).click();
  await expect(drawer.getByText("Cancelled: Customer is away")).toBeVisible();
  await expect(staff.getByRole("listitem", { name: "Confirmed" }).getByRole("article", { name: label })).toHaveCount(0);
  expect(new URL(staff.url()).searchParams.get("order")).not.toBeNull();
});

test("staff take a phone order and it lands on the board", async ({ browser }) => {
  const staff = await boardAs(browser, STAFF);
  await staff.getByRole("link", { name: "New phone order" }).click();
  const form = staff.getByRole("complementary", { name: "New phone order" });
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
