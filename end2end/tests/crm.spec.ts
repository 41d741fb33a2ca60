import { expect, test } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";

// The customer page on a phone: found from the list, its figures and orders readable without
// sideways scrolling; consent recorded with its history; allergies saved show on the page.

test("the customer page on a phone: figures, consent with history, allergies", async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/customers");
  await hydrated(page);
  const first = page.locator("a.customer-link").first();
  const name = (await first.innerText()).trim();
  await first.click();
  await expect(page).toHaveURL(/\/customers\/\d+$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const figures = page.getByTestId("customer-figures");
  await expect(figures).toContainText("Average order");
  await expect(figures).toContainText(/Recency \d · Frequency \d · Monetary \d/);
  await expect(page.getByRole("region", { name: "Orders" }).getByRole("link").first()).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling").toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath("customer-390.png"), fullPage: true });

  // Consent by WhatsApp, recorded as told; then withdrawn: both lines in the history.
  const whatsapp = page.getByTestId("consent-whatsapp");
  const before = (await whatsapp.locator("strong").innerText()).trim();
  await whatsapp.getByRole("button").click();
  await expect(whatsapp.locator("strong")).toHaveText(before === "Agreed" ? "No" : "Agreed");
  await whatsapp.getByRole("button").click();
  await expect(whatsapp.locator("strong")).toHaveText(before);
  const history = page.locator(".consent-history li");
  await expect(history.nth(0)).toContainText(/WhatsApp (given|withdrawn) · Told the bakery \(Lucía Navarro\)/);
  await expect(history.nth(1)).toContainText("WhatsApp");

  // Allergies are kept.
  const profile = page.getByRole("form", { name: "Customer profile" });
  await profile.getByLabel("Allergies (shown to the kitchen and the driver)").fill("Sesame <b>seeds</b>");
  await profile.getByRole("button", { name: "Save" }).click();
  await expect(profile.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("form", { name: "Customer profile" }).getByLabel("Allergies (shown to the kitchen and the driver)")).toHaveValue("Sesame <b>seeds</b>");
});
