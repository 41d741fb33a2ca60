import { test, expect } from "@playwright/test";
import { STAFF, OWNER, signIn, hydrated, recordRequests, refetched } from "./helpers";

// The owner's and the staff's pages are lazily loaded groups of the split wasm (src/pages.rs):
// a page brings its group's chunks; following a link to a page of another group loads that
// group before the page shows, and the page works.
test("the board loads its own chunks, and the kitchen's arrive when the staff go there", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(new URL(r.url()).pathname); });
  await signIn(page, STAFF, /\/orders/);
  await expect(page.getByRole("heading", { name: "Orders", exact: true })).toBeVisible();
  const atBoard = [...wasm];
  // The core and the board's group (its page chunk and the code it shares with other groups).
  expect(atBoard.filter((p) => /^\/pkg\/hearth\./.test(p)), atBoard.join(", ")).toHaveLength(1);
  expect(atBoard.some((p) => p.includes("split_board_")), atBoard.join(", ")).toBeTruthy();
  expect(atBoard.some((p) => p.includes("split_planning_")), "the owner's planning map is not the staff's").toBeFalsy();
  await page.getByRole("link", { name: "Kitchen" }).click();
  await expect(page).toHaveURL(/\/kitchen$/);
  await expect(page.getByRole("heading", { name: "Kitchen", exact: true })).toBeVisible();
  expect(wasm.some((p) => p.includes("split_kitchen_")), wasm.join(", ")).toBeTruthy();
});

test("the owner's planning page opens from the dashboard, its group loaded on the way", async ({ page }) => {
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("link", { name: "Planning" }).click();
  await expect(page).toHaveURL(/\/planning$/);
  await expect(page.locator(".leaflet-container").first()).toBeVisible();
  await page.getByRole("link", { name: "Reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole("heading", { name: "Reports", exact: true })).toBeVisible();
});

test.describe("without the service worker", () => {
  test.use({ serviceWorkers: "block" });

  // The planning map brings Leaflet and its clustering plugin after the page is usable; every
  // one of those files is named by its content and served immutable, as the wasm is: a
  // returning visit asks the network for none of them.
  test("the owner's planning page, visited again, fetches no client file", async ({ page }) => {
    await signIn(page, OWNER, /\/$/);
    const { cdp, requests } = await recordRequests(page);
    await cdp.send("Network.clearBrowserCache");
    const visit = async () => {
      requests.clear();
      await page.goto("/planning");
      await hydrated(page);
      await expect(page.locator(".leaflet-container").first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      return [...requests.values()];
    };
    const first = await visit();
    const plugin = first.map((r) => new URL(r.url)).filter((u) => u.pathname.startsWith("/vendor/markercluster/"));
    expect(plugin.map((u) => u.pathname).sort(), "the clustering plugin, once each file").toEqual([
      "/vendor/markercluster/MarkerCluster.Default.css",
      "/vendor/markercluster/MarkerCluster.css",
      "/vendor/markercluster/leaflet.markercluster.js",
    ]);
    for (const u of plugin) expect(u.searchParams.get("v"), `${u.pathname} named by its content`).toMatch(/^[0-9a-f]{8,}$/);
    const second = await visit();
    expect(refetched(page, second), "client files fetched again on a returning visit").toEqual([]);
  });
});
