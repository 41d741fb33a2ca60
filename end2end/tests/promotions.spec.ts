import { expect, test } from "@playwright/test";
import * as fs from "fs";
import { hydrated, OWNER, pickupSlot, signIn } from "./helpers";

// A promotion from start to finish as the owner uses it: a draft that would sell below cost
// is flagged while typing; a promotion for personal codes is created; codes go out as a
// spreadsheet; a customer orders on the website with their code; the report counts the order
// and the customer's tracker shows the discount.

test("create a promotion, issue personal codes, order with one on the website, see it in the report", async ({ page, request }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/promotions");
  await hydrated(page);
  // The demo's past promotions, with what they earned.
  const autumn = page.getByTestId("promotion-row").filter({ hasText: "Autumn welcome" });
  await expect(autumn).toContainText("Code AUTUMN10");
  expect(Number(await autumn.locator("td.num").first().innerText())).toBeGreaterThan(0);
  const missYou = page.getByTestId("promotion-row").filter({ hasText: "We miss you" });
  await expect(missYou).toContainText(/held back/);

  // 95 % off would sell products below their recipe cost: said while typing.
  const form = page.getByRole("form", { name: "New promotion" });
  const name = `Thank you ${Date.now() % 100000}`;
  await form.getByLabel("Name").fill(name);
  await form.getByRole("textbox", { name: "Percent off" }).fill("95");
  await expect(form.getByTestId("below-cost")).toContainText("below its cost");
  // Two euros off, personal codes only, a fifth held back.
  await form.getByRole("combobox", { name: /^Offer/ }).selectOption("amount");
  await expect(form.getByTestId("below-cost")).toHaveCount(0);
  await form.getByRole("textbox", { name: "Amount off" }).fill("2.00");
  await form.getByLabel("Held back (% of those offered codes)").fill("20");
  await form.getByRole("button", { name: "Create promotion" }).click();
  await expect(form.getByRole("status")).toHaveText("Promotion created.");
  const row = page.getByTestId("promotion-row").filter({ hasText: name });
  await expect(row).toContainText("€2.00 off");
  await expect(row).toContainText("Personal codes");

  // A segment: customers who spent at least €10, counted as the rule is typed.
  await page.goto("/customers/segments");
  await hydrated(page);
  const editor = page.getByRole("form", { name: "New segment" });
  const count = editor.getByTestId("segment-count");
  await expect(count).toContainText(/^\d+ customers/);
  const everyone = parseInt((await count.innerText()).split(" ")[0]);
  await editor.getByLabel("Spent at least").fill("10");
  await expect(count).not.toHaveText(new RegExp(`^${everyone} customers`));
  const spenders = parseInt((await count.innerText()).split(" ")[0]);
  expect(spenders).toBeGreaterThan(0);
  expect(spenders).toBeLessThan(everyone);
  const segment = `Spenders ${name}`;
  await editor.getByLabel("Segment name").fill(segment);
  await editor.getByRole("button", { name: "Save segment" }).click();
  await expect(editor.getByRole("status").filter({ hasText: "Segment saved." })).toBeVisible();
  await expect(page.getByTestId("segment").filter({ hasText: segment })).toContainText(`${spenders} customers`);

  // Codes for the segment's customers who agreed to hear from the bakery, as a spreadsheet.
  await page.goto("/promotions");
  await hydrated(page);
  const codes = page.getByRole("form", { name: "Issue personal codes" });
  await codes.getByLabel("Promotion").selectOption({ label: name });
  await codes.getByLabel("Segment").selectOption({ label: segment });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    codes.getByRole("button", { name: "Issue codes and download" }).click(),
  ]);
  await expect(codes.getByRole("status")).toContainText(/\d+ codes issued, \d+ customers held back/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split("\n");
  expect(lines[0]).toBe("name,phone,email,code");
  const [, phone, , code] = lines[1].split(",");
  expect(phone).toMatch(/^\+\d{8,15}$/);
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);

  // The customer orders on the website with their code.
  const key: string = await (await page.context().request.post("/api/create_api_key", { form: { name: `Promo e2e ${name}` } })).json();
  const auth = { Authorization: `Bearer ${key}` };
  const catalog = await (await request.get("/api/v1/catalog", { headers: auth })).json();
  const { date, time } = pickupSlot(catalog, "BRD-BAG");
  const body = {
    customer: { name: "Promo Customer", phone },
    fulfilment: { type: "pickup", date, time },
    items: [{ sku: "BRD-BAG", quantity: 3 }],
    payment: { method: "pay_at_pickup" },
    promo_code: code.toLowerCase(),
  };
  const quote = await (await request.post("/api/v1/quote", { headers: auth, data: body })).json();
  expect(quote.promo_code.applied, JSON.stringify(quote)).toBe(true);
  expect(quote.discount_cents).toBe(200);
  const res = await request.post("/api/v1/orders", { headers: { ...auth, "Idempotency-Key": `promo-${code}` }, data: body });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();
  expect(order.discount_cents).toBe(200);
  expect(order.total_cents).toBe(quote.total_cents);
  // Used once: a second order with it is refused, naming why.
  const again = await request.post("/api/v1/orders", { headers: { ...auth, "Idempotency-Key": `promo-again-${code}` }, data: body });
  expect(again.status()).toBe(422);
  expect((await again.json()).promo_refusal).toBe("code_already_used");

  // The report counts it.
  await page.reload();
  await hydrated(page);
  const counted = page.getByTestId("promotion-row").filter({ hasText: name });
  await expect(counted.locator("td.num").nth(0)).toHaveText("1");
  await expect(counted.locator("td.num").nth(2)).toHaveText("€2.00");
  await page.screenshot({ path: info.outputPath("promotions-1440.png"), fullPage: true });

  // The customer's tracker shows the discount and what they pay.
  await page.goto(new URL(order.tracking_url).pathname);
  await hydrated(page);
  await expect(page.getByTestId("tracker-discount")).toHaveText(`${name} −€2.00`);
  await expect(page.locator(".tracker-total")).toContainText(`€${(order.total_cents / 100).toFixed(2)}`);
});
