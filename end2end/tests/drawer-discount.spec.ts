import { expect, test } from "@playwright/test";
import { hydrated, OWNER, pickupSlot, signIn } from "./helpers";

// A customer calls about an order already placed on the website: they forgot their code and
// want to spend their points. In the order's drawer the code is applied (an unknown one is
// named and changes nothing), then the points; the drawer shows each discount line, the new
// total and the history, and offers neither again; then both come off again.

test("a code and points added to a placed order from its drawer, and taken off again", async ({ page, request }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  const key: string = await (await page.context().request.post("/api/create_api_key", { form: { name: `Drawer e2e ${Date.now()}` } })).json();
  const auth = { Authorization: `Bearer ${key}` };
  const catalog = await (await request.get("/api/v1/catalog", { headers: auth })).json();
  const croissant = catalog.products.find((p: any) => p.sku === "PAS-CROI");
  const { date, time } = pickupSlot(catalog, "PAS-CROI");
  const stamp = String(Date.now()).slice(-7);
  const name = `Caller ${stamp}`;
  const res = await request.post("/api/v1/orders", {
    headers: { ...auth, "Idempotency-Key": `drawer-${stamp}` },
    data: {
      customer: { name, phone: `+3468${stamp}` },
      fulfilment: { type: "pickup", date, time },
      items: [{ sku: "PAS-CROI", quantity: 6 }],
      payment: { method: "pay_at_pickup" },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();
  const price = croissant.price_cents;
  const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

  // Another customer's referral code, as their page shows it.
  await page.goto("/customers");
  await hydrated(page);
  const referrer = page.locator("a.customer-link").first();
  const referrerName = (await referrer.innerText()).trim();
  await referrer.click();
  await hydrated(page);
  const referral = (await page.getByTestId("referral-code").innerText()).trim();
  expect(referral).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);

  // The owner gives the caller 100 points on their page, then opens the order from it.
  await page.goto(`/customers?q=${encodeURIComponent(name)}`);
  await hydrated(page);
  await page.locator("a.customer-link", { hasText: name }).first().click();
  await hydrated(page);
  const adjust = page.getByRole("form", { name: "Adjust points" });
  await adjust.getByLabel("Points").fill("100");
  await adjust.getByLabel("Reason").fill("Sorry for the wait");
  await adjust.getByRole("button", { name: "Adjust points" }).click();
  await expect(page.getByTestId("loyalty-available")).toHaveText("100 points (worth €5.00)");
  await page.getByRole("region", { name: "Orders" }).getByRole("link", { name: `#${order.order_number}` }).first().click();
  await expect(page).toHaveURL(/\/orders\?.*order=\d+/);
  await hydrated(page);
  const drawer = page.getByRole("dialog");
  const total = drawer.locator("tfoot tr").last();
  await expect(total).toContainText(euros(6 * price));
  await drawer.locator(".discount-editor").scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("drawer-discount-offered-1440.png") });

  // An unknown code is named and changes nothing; the real one takes two of six croissants off (buy 2, get 1).
  const code = drawer.getByRole("form", { name: "Promotion code" });
  await code.getByLabel("Promotion code").fill("NOSUCH");
  await code.getByRole("button", { name: "Apply code" }).click();
  await expect(drawer.locator(".discount-editor [role=alert]")).toContainText("promo_code:");
  await expect(total).toContainText(euros(6 * price));
  await drawer.getByRole("form", { name: "Promotion code" }).getByLabel("Promotion code").fill("trio");
  await drawer.getByRole("form", { name: "Promotion code" }).getByRole("button", { name: "Apply code" }).click();
  await expect(drawer.locator("tr.discount", { hasText: "Croissant trio (TRIO)" })).toContainText(`−${euros(2 * price)}`);
  await expect(total).toContainText(euros(4 * price));
  await expect(drawer.getByRole("form", { name: "Promotion code" })).toHaveCount(0);

  // The points: what the caller holds is shown; 100 take €5.00 off.
  const points = drawer.getByRole("form", { name: "Points to spend" });
  await expect(points).toContainText("The customer has 100 points (worth €5.00).");
  await points.getByLabel("Points to spend").fill("100");
  await points.getByRole("button", { name: "Spend points" }).click();
  await expect(drawer.locator("tr.discount", { hasText: "Loyalty points (100)" })).toContainText("−€5.00");
  await expect(total).toContainText(euros(4 * price - 500));
  await expect(drawer.getByRole("form", { name: "Points to spend" })).toHaveCount(0);
  await expect(drawer.locator(".history")).toContainText("code TRIO applied");
  await expect(drawer.locator(".history")).toContainText("100 points spent: −€5.00");
  await page.screenshot({ path: info.outputPath("drawer-discount-1440.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await hydrated(page);
  await drawer.locator("tr.discount").first().scrollIntoViewIfNeeded();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling").toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath("drawer-discount-390.png") });

  // The caller changes their mind: the points go back, then the code comes off.
  await page.setViewportSize({ width: 1440, height: 1000 });
  await drawer.getByRole("button", { name: "Give the 100 points back (€5.00)" }).click();
  await expect(drawer.locator("tr.discount", { hasText: "Loyalty points" })).toHaveCount(0);
  await expect(total).toContainText(euros(4 * price));
  await expect(drawer.getByRole("form", { name: "Points to spend" })).toContainText("The customer has 100 points (worth €5.00).");
  await expect(drawer.locator(".history")).toContainText("100 points given back: +€5.00");
  await drawer.getByRole("button", { name: "Take code TRIO off" }).click();
  await expect(drawer.locator("tr.discount")).toHaveCount(0);
  await expect(total).toContainText(euros(6 * price));
  await expect(drawer.getByRole("form", { name: "Promotion code" })).toBeVisible();
  await expect(drawer.locator(".history")).toContainText("code TRIO removed");

  // The caller was sent by another customer: their code is recorded on this first order.
  const referralForm = drawer.getByRole("form", { name: "Referral code (first order only)" });
  await referralForm.getByLabel("Referral code (first order only)").fill("NOSUCH99");
  await referralForm.getByRole("button", { name: "Record referral" }).click();
  await expect(drawer.locator(".discount-editor [role=alert]")).toContainText("referral_code:");
  await drawer.getByRole("form", { name: "Referral code (first order only)" }).getByLabel("Referral code (first order only)").fill(referral.toLowerCase());
  await drawer.getByRole("form", { name: "Referral code (first order only)" }).getByRole("button", { name: "Record referral" }).click();
  await expect(drawer.locator(".history")).toContainText(`referred by ${referrerName} (code ${referral})`);
  await expect(drawer.getByRole("form", { name: "Referral code (first order only)" })).toHaveCount(0);
});
