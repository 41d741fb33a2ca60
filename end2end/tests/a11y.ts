import AxeBuilder from "@axe-core/playwright";
import { expect, Page } from "@playwright/test";
import { DRIVER, hydrated, OWNER, signIn, STAFF } from "./helpers";

// WCAG 2.2 AA as axe-core checks it; a page passes with no serious or critical violation.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** An order's pin on a map. WCAG 2.5.8's "Equivalent" exception covers its size: every pin's
 *  function is also in the page's list beside the map (the planning page's orders, each with its
 *  day chooser), so two pins closer than 24 px (two orders at one address) are not a failure of
 *  target size. Every other rule still applies to pins. */
function onMapPin(html: string): boolean {
  return html.includes("leaflet-marker-icon");
}

/** The serious and critical violations on the page as it is now, one line each, naming where. */
export async function violations(page: Page, label: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !(v.id === "target-size" && onMapPin(n.html))) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => {
      const where = v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | ");
      return `${label}: ${v.id} (${v.impact}, ${v.nodes.length}×) ${v.help} — ${where}`;
    });
}

/** Opens `path`, waits for the client and for the page's own content, then audits it. */
async function visit(page: Page, path: string, label: string, ready?: (p: Page) => Promise<void>): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  // Loading placeholders gone: what is audited is what the user reads.
  await expect(page.locator(".loading")).toHaveCount(0);
  if (ready) await ready(page);
  return violations(page, label);
}

/** Every page each role reaches from its navigation, and the public ones, audited in turn. */
export async function sweep(page: Page): Promise<string[]> {
  const found: string[] = [];
  // Public: the sign-in page.
  found.push(...(await visit(page, "/login", "login")));

  // The owner: every page of the office, with the order drawer and the new-order form open.
  await signIn(page, OWNER, /\/$/);
  const req = page.context().request;
  const board = await (await req.post("/api/list_board", { form: {} })).json();
  const someOrder = board.columns.flatMap((c: { cards: { id: number }[] }) => c.cards)[0];
  const owner: [string, string][] = [
    ["/", "dashboard"],
    ["/orders", "board"],
    [`/orders?order=${someOrder.id}`, "board with an order open"],
    ["/orders?new=1", "phone order form"],
    ["/planning", "planning"],
    ["/planning/districts", "districts"],
    ["/runs", "runs"],
    ["/kitchen", "production plan"],
    ["/kitchen/recipes", "recipes"],
    ["/stock", "stock"],
    ["/menu", "menu"],
    ["/customers", "customers"],
    ["/customers/standing", "standing orders"],
    ["/customers/segments", "segments"],
    ["/promotions", "promotions"],
    ["/reports", "reports"],
    ["/calendar", "calendar"],
    ["/settings", "settings"],
    ["/audit", "audit log"],
    ["/account", "account"],
  ];
  for (const [path, label] of owner) found.push(...(await visit(page, path, `owner ${label}`)));
  // A customer's card, reached from the list.
  await page.goto("/customers");
  await hydrated(page);
  const card = page.locator("a.customer-link").first();
  const href = await card.getAttribute("href");
  expect(href, "a customer's card is linked from the list").toMatch(/^\/customers\/\d+$/);
  found.push(...(await visit(page, href!, "owner customer card")));
  // The customer's tracker, from the open order.
  await page.goto(`/orders?order=${someOrder.id}`);
  await hydrated(page);
  // (By where it goes: its words are the reader's language.)
  const tracker = await page.getByRole("dialog").locator("a[href^='/t/']").getAttribute("href");
  await signOut(page);
  await page.goto(tracker!);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  found.push(...(await violations(page, "customer tracker")));

  // The staff.
  await signIn(page, STAFF, /\/orders/);
  for (const [path, label] of [["/orders", "board"], ["/kitchen", "production plan"], ["/stock", "stock"], ["/account", "account"]]) {
    found.push(...(await visit(page, path, `staff ${label}`)));
  }
  await signOut(page);

  // A driver.
  await signIn(page, DRIVER, /\/driver/);
  found.push(...(await visit(page, "/driver", "driver run")));
  found.push(...(await visit(page, "/account", "driver account")));
  await signOut(page);
  return found;
}

/** Leaves the page first (its bell and event streams stop), then forgets the session: a
 * request still in flight when the cookies were cleared could set the session cookie again. */
async function signOut(page: Page) {
  await page.goto("about:blank");
  await page.context().clearCookies();
}
