import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, OWNER, signIn } from "./helpers";

test("the owner reads the audit log, takes a backup and exports a customer's data", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);

  // A backup by hand: listed, and in the log.
  await page.goto("/settings#backups");
  await hydrated(page);
  const backups = page.locator("#backups");
  await backups.getByRole("button", { name: "Back up now" }).click();
  await expect(backups.getByRole("status")).toContainText(/Backup written: hearth-\d{8}-\d{6}-\d{3}\.db/);
  await expect(backups.locator("tbody tr").first()).toBeVisible();

  // A customer's data, as two files.
  await page.goto("/customers");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Privacy requests" })).toBeVisible();
  const first = page.locator("table tbody tr").first();
  const name = (await first.locator("strong").textContent())!;
  const downloads: string[] = [];
  page.on("download", async (d) => {
    const file = info.outputPath(d.suggestedFilename());
    await d.saveAs(file);
    downloads.push(file);
  });
  await first.getByRole("button", { name: "Export data" }).click();
  await expect.poll(() => downloads.length).toBe(2);
  const json = downloads.find((f) => f.endsWith(".json"))!;
  const doc = JSON.parse(readFileSync(json, "utf8"));
  expect(doc.customer.name).toBe(name);
  expect(doc.orders.length).toBeGreaterThan(0);
  const csv = readFileSync(downloads.find((f) => f.endsWith(".csv"))!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  await page.screenshot({ path: info.outputPath("customers-desktop.png") });

  // A spreadsheet of customers: a bad phone is named and nothing comes in; fixed, it imports.
  const phone = `6${String(Date.now()).slice(-8)}`;
  const sheet = (second: string) =>
    `\ufeffname;phone;email;notes\nMarta Sheet ${phone};${phone};marta@example.com;"Likes \"\"rye\"\"\nand spelt"\nPaco Sheet;${second};;\n`;
  const chooser = page.getByLabel("Import customers from a CSV file");
  await chooser.setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(sheet("12")) });
  await expect(page.locator(".csv-errors")).toContainText('Row 3, phone: "12" is not a phone number');
  await page.getByRole("button", { name: "Close" }).click();
  await chooser.setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(sheet(`7${phone.slice(1)}`)) });
  const preview = page.getByLabel("Import preview");
  await expect(preview.locator("tbody tr")).toHaveCount(2);
  await expect(preview).toContainText("New");
  await page.getByRole("button", { name: "Import 2 customers" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported:" })).toHaveText("Imported: 2 customers added, 0 updated.");
  await page.getByRole("searchbox").fill(`Marta Sheet ${phone}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator("table tbody tr")).toHaveCount(1);
  await expect(page.locator("table tbody tr").first()).toContainText("Marta Sheet");

  // The log shows all of it, newest first, and filters.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await hydrated(page);
  const rows = page.locator("table.audit tbody tr");
  await expect(rows.first()).toContainText("customer.import_csv");
  await expect(page.locator("table.audit")).toContainText("export.customer");
  await expect(page.locator("table.audit")).toContainText("backup");
  await expect(page.locator("table.audit")).toContainText("sign_in");
  await page.getByLabel("Kind").selectOption({ label: "Sign-in" });
  await expect(rows.first()).toContainText("sign_in");
  for (const r of await rows.all()) await expect(r.locator("code")).toHaveText(/^sign_in/);
  await page.getByLabel("Kind").selectOption({ label: "Everything" });
  await page.getByRole("searchbox", { name: "Search" }).fill("export.customer");
  await expect(rows.first().locator("code")).toHaveText("export.customer");
  for (const r of await rows.all()) await expect(r.locator("code")).toHaveText("export.customer");
  await rows.first().getByText("Details", { exact: true }).click();
  await expect(rows.first().locator("pre")).toContainText('"orders"');
  await page.getByRole("searchbox", { name: "Search" }).fill("");
  await page.screenshot({ path: info.outputPath("audit-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: info.outputPath("audit-phone.png"), fullPage: true });
});
