import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";
import { drawPolygon, hydrated, OWNER, signIn } from "./helpers";

test("the owner draws a district, an overlapping one is refused, and GeoJSON goes out and back in", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  await page.getByRole("link", { name: "Edit districts" }).click();
  await expect(page).toHaveURL(/\/planning\/districts$/);
  await expect(page.locator(".leaflet-pm-toolbar").first()).toBeVisible();
  const rows = page.locator(".district-list > li");
  // A count does not wait: first wait until the list has drawn enough rows.
  await expect(rows.nth(5)).toBeAttached();
  const before = await rows.count();
  expect(before).toBeGreaterThan(5);

  // Zoom out so that there is open country around the demo districts, then draw there.
  await page.locator(".leaflet-control-zoom-out").click();
  await page.waitForTimeout(400);
  await page.locator(".leaflet-control-zoom-out").click();
  await page.waitForTimeout(600);
  await drawPolygon(page, [[0.08, 0.72], [0.2, 0.72], [0.2, 0.9], [0.08, 0.9]]);
  await expect(page.getByRole("heading", { name: "New district" })).toBeVisible();
  await expect(page.getByText("New outline drawn")).toBeVisible();
  const form = page.getByRole("region", { name: "District settings" });
  await form.getByLabel("Name").fill("Carabanchel Alto");
  await form.getByLabel("Stops per day").fill("9");
  await form.getByRole("group", { name: "Delivery days" }).getByText("Sat", { exact: true }).click();
  // Delivery windows per weekday: a bad one is named on its day and nothing is saved.
  const windows = form.getByRole("group", { name: "Delivery windows" });
  await expect(windows.getByRole("textbox")).toHaveCount(6);
  await windows.getByLabel("Mon").fill("9-11, 11:00–13:00");
  await windows.getByLabel("Tue").fill("13-11");
  await form.getByRole("button", { name: "Create district" }).click();
  await expect(form.getByRole("alert")).toContainText("Windows on Tue: 13:00–11:00 ends before it starts.");
  await expect(windows.getByLabel("Tue")).toHaveAttribute("aria-invalid", "true");
  await expect(rows).toHaveCount(before);
  await windows.getByLabel("Tue").fill("");
  await form.getByRole("button", { name: "Create district" }).click();
  await expect(page.getByRole("status")).toContainText("Saved Carabanchel Alto");
  await expect(rows).toHaveCount(before + 1);
  await expect(rows.filter({ hasText: "Carabanchel Alto" })).toContainText("Mon, Tue, Wed, Thu, Fri, Sat · 9 stops/day");
  await rows.filter({ hasText: "Carabanchel Alto" }).getByRole("button").click();
  await expect(windows.getByLabel("Mon")).toHaveValue("09:00–11:00, 11:00–13:00");
  await expect(windows.getByLabel("Tue")).toHaveValue("");
  await page.screenshot({ path: info.outputPath("districts.png") });

  // A shape in the middle of a demo district overlaps it: refused, named, nothing added.
  await drawPolygon(page, [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6]], ".districts-map path.leaflet-interactive");
  await form.getByLabel("Name").fill("Everywhere");
  await form.getByRole("button", { name: "Create district" }).click();
  await expect(form.getByRole("alert")).toContainText("overlaps");
  await expect(rows).toHaveCount(before + 1);

  // Export, edit the file elsewhere (a new capacity), import it back.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export districts" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("districts.geojson");
  const file = info.outputPath("districts.geojson");
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, "utf8"));
  expect(doc.features).toHaveLength(before + 1);
  const mine = doc.features.find((f: { properties: { name: string } }) => f.properties.name === "Carabanchel Alto");
  expect(mine.properties.capacity_per_day).toBe(9);
  expect(mine.properties.delivery_windows).toEqual({ Mon: ["09:00-11:00", "11:00-13:00"] });
  mine.properties.capacity_per_day = 14;
  writeFileSync(file, JSON.stringify(doc));
  await page.getByLabel("Import districts from a GeoJSON file").setInputFiles(file);
  await expect(page.getByRole("status")).toContainText(`Imported ${before + 1} districts (0 new, ${before + 1} updated)`);
  await expect(rows.filter({ hasText: "Carabanchel Alto" })).toContainText("14 stops/day");

  // It has no orders, so it can be deleted (which also leaves the map as the other tests expect).
  await rows.filter({ hasText: "Carabanchel Alto" }).getByRole("button").click();
  await form.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toContainText("Deleted Carabanchel Alto");
  await expect(rows).toHaveCount(before);
});
