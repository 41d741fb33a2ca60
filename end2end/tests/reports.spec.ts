import * as fs from "fs";
import { expect, test } from "@playwright/test";
import { hydrated, OWNER, signIn } from "./helpers";

// The owner's reports on the demo bakery's year: the period's figures against the one before,
// the charts with their numbers, a longer period by month, a table downloaded as CSV, the
// forecast with its backtest, a clean print, and the page on a phone.

test("reports: figures, a year by month, CSV, forecast, print and phone", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("link", { name: "Reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await hydrated(page);

  // The last 30 days: four figures, each compared with the 30 days before.
  const kpis = page.locator(".kpis .kpi");
  await expect(kpis).toHaveCount(4);
  await expect(kpis.nth(0)).toContainText("Revenue");
  await expect(kpis.nth(0).locator(".kpi-value")).toHaveText(/€\s?[\d.,]+|[\d.,]+\s?€/);
  await expect(kpis.nth(0).locator(".kpi-foot")).toContainText(/vs \d+ \w+ \d{4} – \d+ \w+ \d{4}/);
  const sales = page.getByRole("region", { name: "Sales" });
  await expect(sales.getByRole("img", { name: /Revenue by day/ })).toBeVisible();
  await expect(sales.locator("tbody tr")).toHaveCount(30);
  await expect(page.getByRole("region", { name: "Popular products" }).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Orders arriving by weekday and hour/ })).toBeVisible();
  const profit = page.getByRole("region", { name: "Profit per district" });
  await expect(profit.getByRole("img", { name: "Profit per district over the period" })).toBeVisible();
  await expect(profit.locator(".total-row")).toContainText("Total");
  // The demo runs a loyalty programme: the points spent and what customers still hold.
  const loyalty = page.getByRole("region", { name: "Loyalty points" });
  await expect(loyalty).toContainText(/Points spent took €[\d.,]+ off orders, by \d+ customers/);
  await expect(loyalty).toContainText(/customers held [\d,]+ points, worth €[\d.,]+ in discounts/);
  await expect(loyalty.getByRole("row", { name: /Earned on orders/ })).toBeVisible();
  await page.screenshot({ path: info.outputPath("reports-1440.png"), fullPage: true });

  // Sorting products by margin puts the best margin first.
  const products = page.getByRole("region", { name: "Popular products" });
  await products.getByRole("button", { name: "By margin" }).click();
  await expect(products.getByRole("button", { name: "By margin" })).toHaveAttribute("aria-pressed", "true");
  const margins = await products.locator("tbody tr td:nth-child(5)").allInnerTexts();
  const numbers = margins.filter((m) => /\d/.test(m)).map((m) => Number(m.replace(/[^\d,.-]/g, "").replace(/\./g, "").replace(",", ".")));
  expect(numbers.length).toBeGreaterThan(1);
  expect(numbers[0]).toBeGreaterThanOrEqual(numbers[numbers.length - 1]);

  // The last 12 months, by month: 12 or 13 bars, and the busy December before last.
  await page.getByRole("button", { name: "Last 12 months" }).click();
  await expect(sales.getByRole("img", { name: /Revenue by month/ })).toBeVisible();
  // A count does not wait: first wait until the list has drawn enough rows.
  await expect(sales.locator("tbody tr").nth(11)).toBeAttached();
  const months = await sales.locator("tbody tr").count();
  expect(months).toBeGreaterThanOrEqual(12);
  expect(months).toBeLessThanOrEqual(13);

  // Profit per district as CSV: a header, the districts, and the total last.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    profit.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^hearth-profit-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split("\n");
  expect(lines[0]).toBe("district,orders,gross,discounts,cost_of_goods,delivery_cost,estimated_stops,failed_delivery_fees,profit");
  expect(lines.length).toBeGreaterThan(3);
  expect(lines[lines.length - 1]).toMatch(/^Total,\d+,/);

  // The forecast: 14 days for every product, and the backtest beating last week's numbers.
  const forecast = page.getByRole("region", { name: "Forecast for the kitchen" });
  await expect(forecast.locator("thead th")).toHaveCount(15);
  const backtest = forecast.locator(".forecast-backtest");
  await expect(backtest).toContainText(/off by \d+ % of the units sold \(MAPE \d+ %, bias [+-]?\d+ %\), against \d+ %/);
  const text = await backtest.innerText();
  const ours = Number(text.match(/off by (\d+) %/)![1]);
  const naive = Number(text.match(/against (\d+) %/)![1]);
  expect(ours).toBeLessThan(naive);

  // A bad period is refused, naming the field.
  await page.getByLabel("From", { exact: true }).fill("2026-12-31");
  await page.getByLabel("To", { exact: true }).fill("2026-01-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("alert")).toContainText("from: the first day must not be after the last.");

  // Printed: every section, no navigation or buttons.
  await page.getByRole("button", { name: "Last 30 days" }).click();
  await expect(sales.locator("tbody tr")).toHaveCount(30);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".sidebar")).toBeHidden();
  await expect(page.locator(".report-filter")).toBeHidden();
  await expect(profit.getByRole("button", { name: "Download CSV" })).toBeHidden();
  await page.pdf({ path: info.outputPath("reports.pdf"), format: "A4" });
  await page.screenshot({ path: info.outputPath("reports-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  // On a phone: readable without sideways scrolling of the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".kpis .kpi")).toHaveCount(4);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling").toBeLessThanOrEqual(390);
  await page.screenshot({ path: info.outputPath("reports-390.png"), fullPage: true });
});
