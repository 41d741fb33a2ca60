import { expect, test } from "@playwright/test";
import { hydrated, OWNER, pickupSlot, signIn } from "./helpers";

// Loyalty points as the owner and a customer use them: a new customer orders on the website;
// the owner gives them 100 points on their page (a bad figure is named and changes nothing);
// the customer spends them on the website; their page shows the spend in the ledger and the
// balance, the tracker shows the discount, and the promotions page shows the programme's
// figures. The customer page with its points on a phone.

test("the owner gives points, the customer spends them on the website, both pages show it", async ({ page, request }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  const key: string = await (await page.context().request.post("/api/create_api_key", { form: { name: `Loyalty e2e ${Date.now()}` } })).json();
  const auth = { Authorization: `Bearer ${key}` };
  const catalog = await (await request.get("/api/v1/catalog", { headers: auth })).json();
  const { date, time } = pickupSlot(catalog, "BRD-SOUR");
  const phone = `+3469${String(Date.now()).slice(-7)}`;
  const body: any = {
    customer: { name: "Points Customer", phone },
    fulfilment: { type: "pickup", date, time },
    items: [{ sku: "BRD-SOUR", quantity: 2 }],
    payment: { method: "pay_at_pickup" },
  };
  const first = await request.post("/api/v1/orders", { headers: { ...auth, "Idempotency-Key": `loyalty-first-${phone}` }, data: body });
  expect(first.status(), await first.text()).toBe(201);
  expect((await first.json()).loyalty).toBeUndefined();

  // The owner finds them and gives 100 points.
  await page.goto(`/customers?q=${encodeURIComponent("Points Customer")}`);
  await hydrated(page);
  await page.locator("a.customer-link", { hasText: "Points Customer" }).first().click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await hydrated(page);
  const points = page.getByTestId("loyalty");
  await expect(points.getByTestId("loyalty-available")).toHaveText(/^0 points \(worth €0\.00\)$/);
  await expect(points.getByTestId("referral-code")).toHaveText(/^[2-9A-HJ-NP-Z]{8}$/);
  const adjust = points.getByRole("form", { name: "Adjust points" });
  await adjust.getByLabel("Points").fill("a hundred");
  await adjust.getByLabel("Reason").fill("Welcome gift");
  await adjust.getByRole("button", { name: "Adjust points" }).click();
  await expect(points.getByRole("alert")).toContainText("Points: a whole number");
  await expect(points.getByTestId("loyalty-available")).toHaveText(/^0 points/);
  await adjust.getByLabel("Points").fill("100");
  await adjust.getByRole("button", { name: "Adjust points" }).click();
  await expect(points.getByTestId("loyalty-available")).toHaveText("100 points (worth €5.00)");
  await expect(points.getByTestId("loyalty-ledger").locator("tbody tr").first()).toContainText("Adjusted · Welcome gift");

  // The customer spends them on the website: the quote shows it, then the order.
  body.redeem_points = 100;
  const quote = await (await request.post("/api/v1/quote", { headers: auth, data: body })).json();
  expect(quote.problems, JSON.stringify(quote)).toEqual([]);
  expect(quote.loyalty.redeemed_cents).toBe(500);
  const res = await request.post("/api/v1/orders", { headers: { ...auth, "Idempotency-Key": `loyalty-spend-${phone}` }, data: body });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();
  expect(order.discount_cents).toBe(500);
  // Spending them again is refused, naming the field.
  const again = await request.post("/api/v1/orders", { headers: { ...auth, "Idempotency-Key": `loyalty-again-${phone}` }, data: body });
  expect(again.status()).toBe(422);
  expect((await again.json()).errors[0].field).toBe("redeem_points");

  // Their page: the spend in the ledger, linked to the order, and nothing left.
  await page.reload();
  await hydrated(page);
  await expect(points.getByTestId("loyalty-available")).toHaveText("0 points (worth €0.00)");
  const spent = points.getByTestId("loyalty-ledger").locator("tbody tr").first();
  await expect(spent).toContainText("Spent · €5.00");
  await expect(spent.getByRole("link", { name: `#${order.order_number}` })).toBeVisible();
  await expect(spent.locator("td.num").first()).toHaveText("-100");
  await points.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("customer-points-1440.png"), fullPage: true });

  // The promotions page: the programme and its figures.
  await page.goto("/promotions");
  await hydrated(page);
  const programme = page.getByTestId("loyalty-program");
  await expect(programme.getByTestId("loyalty-figures")).toContainText(/\d+ points \(worth €[\d,.]+\)/);
  await expect(programme.getByLabel("Run a loyalty programme")).toBeChecked();
  await programme.scrollIntoViewIfNeeded();
  await programme.screenshot({ path: info.outputPath("loyalty-programme-1440.png") });

  // The customer's tracker shows the discount.
  await page.goto(new URL(order.tracking_url).pathname);
  await hydrated(page);
  await expect(page.getByTestId("tracker-discount")).toContainText("Loyalty points (100) −€5.00");

  // The same page on a phone: no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goBack();
  await page.goBack();
  await hydrated(page);
  await expect(page.getByTestId("loyalty")).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling").toBeLessThanOrEqual(390);
  await page.getByTestId("loyalty").screenshot({ path: info.outputPath("customer-points-390.png") });
});
