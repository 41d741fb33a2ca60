import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { createStorefrontKey, hydrated, OWNER, postCentroDelivery, signIn } from "./helpers";

// Markup a customer could type into the storefront: if any page (or a Leaflet popup or
// tooltip) put it in the document as HTML, it would run and count in window.__xss.
// The board, map and tracker show only the first word of a name: it carries markup too, and
// must show its tags as text (escaped) rather than turn italic.
const NAME = `<i>Ana</i> Vega <img src=x onerror="window.__xss=(window.__xss||0)+1">`;
const FIRST = "<i>Ana</i>";
const ADDRESS = `Calle <svg onload="window.__xss=(window.__xss||0)+1"></svg> Mayor 7`;
const NOTE = `"><script>window.__xss=(window.__xss||0)+1</script>`;

/**
 * Before any page script: records CSP violations, and makes every string that the app hands
 * Leaflet as HTML (popups, tooltips, div icons) go into the live document as Leaflet would
 * when it opens them, so markup that survived escaping runs even if its marker is clustered.
 */
async function watch(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    let real: any;
    const show = (html: unknown) => {
      if (typeof html !== "string") return;
      const box = document.createElement("div");
      box.className = "xss-probe";
      box.innerHTML = html;
      document.body.appendChild(box);
    };
    Object.defineProperty(window, "L", {
      configurable: true,
      get: () => real,
      set: (L: any) => {
        real = L;
        for (const kind of ["bindPopup", "bindTooltip"]) {
          const original = L.Layer.prototype[kind];
          L.Layer.prototype[kind] = function (content: unknown, ...rest: unknown[]) {
            show(content);
            return original.call(this, content, ...rest);
          };
        }
        const divIcon = L.divIcon;
        L.divIcon = (opts: any) => { show(opts?.html); return divIcon(opts); };
      },
    });
  });
  page.on("dialog", (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
}

async function clean(page: Page, where: string) {
  // Let images error and handlers fire.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as any).__xss ?? 0), `${where}: markup ran`).toBe(0);
  expect(await page.evaluate(() => (window as any).__csp), `${where}: CSP violations`).toEqual([]);
}

test("customer text with markup stays text on every page that shows it, under a strict CSP", async ({ browser, request }) => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const owner = await ctx.newPage();
  await watch(owner);
  await signIn(owner, OWNER, /\/$/);
  await clean(owner, "dashboard");
  const key = await createStorefrontKey(owner, "XSS probe");

  const { res, day } = await postCentroDelivery(request, key, {
    customer: { name: NAME, phone: "699 000 222" },
    fulfilment: { address: ADDRESS, lat: 40.4171, lng: -3.7031 },
    items: [{ sku: "CAK-BASQ", quantity: 1, note: NOTE }],
    notes: NOTE,
  });
  expect(res.status(), await res.text()).toBe(201);
  const order = await res.json();

  // The owner's bell: the new order's alert names the customer as text.
  await owner.goto("/");
  await hydrated(owner);
  await owner.locator("button.bell-button").click();
  await expect(owner.locator(".bell-text").filter({ hasText: `${FIRST} Vega <img src=x` }).first()).toBeVisible();
  await clean(owner, "bell");
  await owner.keyboard.press("Escape");

  // The board: the card and its drawer show the markup as text.
  await owner.goto(`/orders?day=${day}`);
  await hydrated(owner);
  const card = owner.getByRole("article", { name: `Order #${order.order_number}` });
  await expect(card).toContainText(FIRST);
  await card.getByRole("link", { name: `#${order.order_number}` }).click();
  const drawer = owner.getByRole("dialog", { name: "Order details" });
  await expect(drawer).toContainText(`${FIRST} Vega <img src=x`);
  await expect(drawer).toContainText(ADDRESS);
  await expect(drawer).toContainText(NOTE);
  await clean(owner, "board and drawer");

  // The planning map: markers, popups, tooltips.
  await owner.goto("/planning");
  await hydrated(owner);
  await expect(owner.locator(".order-pin span").first()).toBeVisible();
  await expect(owner.locator(".xss-probe").filter({ hasText: FIRST }).first()).toBeAttached();
  await clean(owner, "planning");

  // The runs page with the order on a run: stop tooltips.
  const req = owner.context().request;
  const plan = await (await req.post("/api/get_day_plan", { form: { day } })).json();
  const optimised = await req.post("/api/optimise_runs", { form: { day, "drivers[0]": String(plan.drivers[0].id) } });
  expect(optimised.ok(), await optimised.text()).toBeTruthy();
  await owner.goto(`/runs?day=${day}`);
  await hydrated(owner);
  await expect(owner.locator("main").getByText(FIRST).first()).toBeVisible();
  await expect(owner.locator(".xss-probe").filter({ hasText: FIRST }).first()).toBeAttached();
  await clean(owner, "runs");

  // Customers.
  await owner.goto("/customers");
  await hydrated(owner);
  await clean(owner, "customers");

  // The public tracker.
  const visitor = await (await browser.newContext()).newPage();
  await watch(visitor);
  await visitor.goto(new URL(order.tracking_url).pathname);
  await hydrated(visitor);
  await expect(visitor.getByRole("heading", { name: `${FIRST}, your order is received` })).toBeVisible();
  await clean(visitor, "tracker");
});

test("pages carry the security headers and still hydrate under their CSP", async ({ page, request }) => {
  for (const path of ["/login", "/t/0123456789abcdef0123456789abcdef", "/api/v1/docs"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]{22}' 'wasm-unsafe-eval'/);
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["cache-control"], path).toBe("no-store");
  }
  await watch(page);
  await signIn(page, OWNER, /\/$/);
  await clean(page, "dashboard after sign-in");
  // The API reference (Swagger UI) runs from files, not inline script.
  await page.goto("/api/v1/docs");
  await expect(page.getByText("Hearth storefront API").first()).toBeVisible();
  await clean(page, "API reference");
});
