import { expect, test } from "@playwright/test";
import { DRIVER, hydrated, OWNER, signIn, STAFF } from "./helpers";

test("a visitor is sent to sign in, and a wrong password is refused", async ({ page }) => {
  await page.goto("/orders");
  await expect(page).toHaveURL(/\/login\?next=\/orders/);
  await hydrated(page);
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("don't match an active account");
  await expect(page).toHaveURL(/\/login/);
});

test("the owner signs in to the dashboard and sees every section", async ({ page }) => {
  await signIn(page, OWNER, /\/$/);
  await expect(page.getByRole("heading", { name: "Good day" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Dashboard", "Orders", "Planning", "Customers", "Settings"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await expect(page.getByText("Open orders today")).toBeVisible();
  // Client-side navigation to the board keeps the shell and shows the stage columns.
  await nav.getByRole("link", { name: "Orders" }).click();
  await expect(page).toHaveURL(/\/orders$/);
  for (const stage of ["Received", "Baking", "Out for delivery", "Delivered"]) {
    await expect(page.getByRole("listitem", { name: stage })).toBeVisible();
  }
});

test("staff land on the orders board and cannot open the owner's pages", async ({ page }) => {
  await signIn(page, STAFF, /\/orders$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Orders" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/orders$/);
});

test("a driver lands on the driver view", async ({ page }) => {
  await signIn(page, DRIVER, /\/driver$/);
  await expect(page.getByRole("heading", { name: "Today's deliveries" })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/driver$/);
});

test("adding a team member updates the list without reloading the page", async ({ page }) => {
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Team" })).toBeVisible();
  await page.evaluate(() => ((window as any).__noReload = "still here"));
  const email = `baker${Date.now()}@hearth.demo`;
  await page.getByLabel("Name", { exact: true }).fill("Nuria Baker");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("New person's role").selectOption("staff");
  await page.getByLabel("First password").fill("rising-dough-42");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByRole("status")).toContainText("Nuria Baker can now sign in as staff");
  await expect(page.getByRole("cell", { name: new RegExp(email) })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__noReload)).toBe("still here");

  // A bad email is refused with a message naming the field, and nothing is added.
  await page.getByLabel("Name", { exact: true }).fill("No Email");
  await page.getByLabel("Email", { exact: true }).fill("nuria@localhost"); // the browser accepts it; Hearth does not
  await page.getByLabel("First password").fill("rising-dough-42");
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page.getByRole("alert")).toContainText("Email:");
  await expect(page.getByRole("cell", { name: /No Email/ })).toHaveCount(0);
});

test("the planning map draws every district", async ({ page }) => {
  await signIn(page, OWNER, /\/$/);
  await page.goto("/planning");
  await hydrated(page);
  const map = page.getByRole("region", { name: "Map of districts and orders" });
  await expect(map.locator("path.leaflet-interactive").first()).toBeVisible();
  expect(await map.locator("path.leaflet-interactive").count()).toBe(11); // the district polygons
  // The fortnight's orders: all placed on the map, drawn as dots or (where dense) clusters.
  await expect(map).toHaveAttribute("data-orders", /^\d+$/);
  expect(Number(await map.getAttribute("data-orders"))).toBeGreaterThan(20);
  expect(await map.locator(".order-pin, .marker-cluster").count()).toBeGreaterThan(3);
  await expect(page.getByRole("row", { name: /Malasaña/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Needs a location" })).toBeVisible();
});

test("an unknown page gets the friendly 404", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page isn't on the menu" })).toBeVisible();
  // Its title is worded once the page runs too (it used to turn into its message id then).
  await hydrated(page);
  await expect(page).toHaveTitle("Page not found · Hearth");
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});
