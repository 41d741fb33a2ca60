import { APIRequestContext, APIResponse, CDPSession, expect, Page, request as apiRequest } from "@playwright/test";

export const PASSWORD = "demo-bakery";
export const OWNER = "owner@hearth.demo";
export const STAFF = "staff@hearth.demo";
export const DRIVER = "driver@hearth.demo";

/** Waits until the WebAssembly client has hydrated the page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 60_000 });
}

/** Signs in through the login form and waits for the landing page. */
export async function signIn(page: Page, email: string, landing: RegExp) {
  await page.goto("/login");
  await hydrated(page);
  // A test that switches person clears the cookies first; an answer to the last page still in
  // flight (the service worker keeping a page, a session refreshed) can set the last person's
  // cookie again after that, and /login then sends them to their own start page. Clear again.
  for (let tries = 0; new URL(page.url()).pathname !== "/login" && tries < 3; tries++) {
    await page.context().clearCookies();
    await page.goto("/login");
    await hydrated(page);
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(landing);
  await hydrated(page);
}

/** As the owner (over HTTP), plans today's deliveries onto one run for `driverName` and
 *  publishes it; returns the run's id. */
export async function publishTodayFor(page: Page, driverName: string): Promise<number> {
  const req = page.context().request;
  const login = await req.post("/api/login", { form: { email: OWNER, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const plan = await (await req.post("/api/get_day_plan", { form: {} , headers: { accept: "application/json" } })).json();
  const driver = plan.drivers.find((d: { name: string }) => d.name === driverName);
  const optimised = await req.post("/api/optimise_runs", { form: { day: plan.day, "drivers[0]": String(driver.id) } });
  // The tests share one database: once an earlier test has reported stops on this driver's
  // run, it is under way and re-planning keeps it as it is (409 saying so); it stays published.
  if (!optimised.ok()) {
    expect(optimised.status()).toBe(409);
    expect(await optimised.text()).toContain("under way");
  }
  expect((await req.post("/api/publish_runs", { form: { day: plan.day } })).ok()).toBeTruthy();
  const published = await (await req.post("/api/get_day_plan", { form: {}, headers: { accept: "application/json" } })).json();
  await req.post("/api/logout", { form: {} });
  return published.runs.find((r: { driver: string }) => r.driver === driverName).id;
}

/** On the runs page: "Optimise runs", confirming the re-plan when the day is already published. */
export async function optimise(page: Page) {
  await page.getByTestId("optimise").click();
  const confirm = page.getByRole("alertdialog", { name: "Re-plan published runs" });
  const planned = page.getByRole("status").filter({ hasText: /Planned \d+ stops on \d+ runs?/ });
  await expect(confirm.or(planned)).toBeVisible();
  if (await confirm.isVisible()) await confirm.getByRole("button", { name: "Re-plan and update drivers" }).click();
  await expect(planned).toBeVisible();
}

/**
 * As the signed-in staff member of `page` (over HTTP, as the phone-order form does), takes a
 * pickup order of `items` for `name` on the first day from today that the kitchen accepts it.
 * Tests that change orders make their own, so they don't depend on what earlier tests left.
 */
export async function pickupOrder(page: Page, name: string, items: [string, number][], fromDay = 0): Promise<{ number: string; day: string }> {
  const req = page.context().request;
  const today: string = (await (await req.post("/api/list_board", { form: {} })).json()).today;
  const fields: Record<string, string> = {
    "fields[phone]": `61${String(Date.now()).slice(-7)}`,
    "fields[name]": name,
    "fields[fulfilment]": "pickup",
    "fields[payment]": "pay_at_pickup",
  };
  items.forEach(([sku, q], i) => {
    fields[`fields[items][${i}][sku]`] = sku;
    fields[`fields[items][${i}][quantity]`] = String(q);
  });
  for (let i = fromDay; i < fromDay + 7; i++) {
    const day = new Date(Date.parse(today + "T12:00:00Z") + i * 86_400_000).toISOString().slice(0, 10);
    const form = { ...fields, "fields[date]": day };
    const quote = await (await req.post("/api/quote_phone_order", { form })).json();
    if (quote.problems.length > 0) continue;
    const res = await req.post("/api/create_phone_order", { form: { ...form, key: `e2e-${Date.now()}-${Math.random()}` } });
    expect(res.ok()).toBeTruthy();
    return { number: String(await res.json()), day };
  }
  throw new Error(`no day in the next week takes ${JSON.stringify(items)}`);
}

/** Clicks the corners of a polygon at fractions of the map's box, then the first again to close it. */
export async function drawPolygon(page: Page, corners: [number, number][], within = ".districts-map .map") {
  const box = (await page.locator(within).first().boundingBox())!;
  const at = ([fx, fy]: [number, number]) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.getByRole("button", { name: "Draw a new district" }).click();
  for (const c of [...corners, corners[0]]) {
    const [x, y] = at(c);
    await page.mouse.move(x, y, { steps: 3 });
    await page.mouse.click(x, y);
    await page.waitForTimeout(150);
  }
}

/** A camera-like picture drawn in the page (coloured blocks), as base64 PNG of `w`×`h`. */
export async function makePicture(page: Page, w = 3000, h = 2000): Promise<string> {
  return page.evaluate(async ([w, h]) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext("2d")!;
    for (let i = 0; i < 400; i++) {
      g.fillStyle = `hsl(${(i * 37) % 360} 70% 50%)`;
      g.fillRect((i * 97) % w, (i * 53) % h, 160, 120);
    }
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: "image/png" })).arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, [w, h]);
}

/**
 * Presses Tab (only the keyboard) until `target` has the focus, as someone without a mouse
 * gets there; fails when `max` presses never reach it.
 */
export async function tabTo(page: Page, target: import("@playwright/test").Locator, max = 800) {
  const handle = await target.elementHandle();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((el) => el === document.activeElement, handle)) return;
  }
  throw new Error(`${max} presses of Tab never reached ${target}`);
}

/** As the owner signed in on `page`: creates a storefront key in Settings (shown once) and returns it. */
export async function createStorefrontKey(page: Page, name: string): Promise<string> {
  await page.goto("/settings");
  await hydrated(page);
  await page.getByLabel("New key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.locator("code.key").textContent())!.trim();
}

/** The bakery's time zone: the one the test command gave the server (scripts/test.sh picks one
 *  where the run starts mid-morning, so the bakery's day cannot change under it), else the demo's. */
export const BAKERY_TZ = process.env.HEARTH_TIMEZONE ?? "Europe/Madrid";

/** The bakery's today, "YYYY-MM-DD". */
export function bakeryToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: BAKERY_TZ }).format(new Date());
}

/** The first day after the bakery's today, as the storefront's catalog offers it, with room in
 *  Centro and, given a `sku`, that product still to be had. */
export async function centroDay(request: APIRequestContext, key: string, sku?: string): Promise<string> {
  const catalog = await (await request.get("/api/v1/catalog", { headers: { Authorization: `Bearer ${key}` } })).json();
  const centro = catalog.districts.find((d: { name: string }) => d.name === "Centro");
  const product = sku && catalog.products.find((p: { sku: string }) => p.sku === sku);
  // After the bakery's today, not UTC's: the two differ for hours each day, and the bakery's
  // today is a same-day delivery the booking rules refuse.
  const today = bakeryToday();
  const day = centro.days.find((d: { has_room: boolean; date: string }) =>
    d.has_room && d.date > today && (!product || product.days_available.includes(d.date)));
  expect(day, `a day with room in Centro${sku ? ` and ${sku} to be had` : ""}`).toBeTruthy();
  return day.date;
}

/** A website's delivery of one Basque cheesecake (unless `order` says other items) to Centro,
 *  on the first day the catalog then offers the first item there with room (unless `order`
 *  gives a date); `order` gives the customer, the address and anything else. Returns the
 *  storefront's answer and the first such day. */
export async function postCentroDelivery(
  request: APIRequestContext,
  key: string,
  order: { customer: object; fulfilment: object; [field: string]: unknown },
  idempotencyKey = `centro-${Date.now()}-${Math.random()}`,
): Promise<{ res: APIResponse; day: string }> {
  const items = (order.items as { sku: string }[] | undefined) ?? [{ sku: "CAK-BASQ", quantity: 1 }];
  const day = await centroDay(request, key, items[0].sku);
  const res = await request.post("/api/v1/orders", {
    headers: { Authorization: `Bearer ${key}`, "Idempotency-Key": idempotencyKey },
    data: {
      items,
      payment: { method: "prepaid" },
      ...order,
      fulfilment: { type: "delivery", date: day, ...order.fulfilment },
    },
  });
  return { res, day };
}

/** The middle of the demo's Centro district (the mean of its outline's corners), asked as the
 *  owner whose `request` it is. */
export async function centroMiddle(request: APIRequestContext): Promise<{ lat: number; lng: number }> {
  const data = await (await request.post("/api/get_planning", { form: {} })).json();
  const centro = (data.districts as { name: string; ring: number[][] }[]).find((d) => d.name === "Centro")!;
  const mean = (i: number) => centro.ring.reduce((a, p) => a + p[i], 0) / centro.ring.length;
  return { lat: mean(0), lng: mean(1) };
}

/** The first day the catalog offers `sku` that the shop opens for pickup, at its opening time. */
export function pickupSlot(catalog: any, sku: string): { date: string; time: string } {
  const weekdayOf = (d: string) => new Date(d + "T12:00:00Z").toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" });
  const product = catalog.products.find((p: { sku: string }) => p.sku === sku);
  const date: string = product.days_available.find((d: string) => catalog.pickup.days.includes(weekdayOf(d)));
  expect(date, `a pickup day for ${sku}`).toBeTruthy();
  return { date, time: catalog.pickup.hours.find((h: { weekday: string }) => h.weekday === weekdayOf(date)).opens };
}

/** Sets the language of `email`'s own pages ("" for the bakery's), over HTTP as that person, in a
 *  request context of its own: the page's session (cookies, live connections) is not touched. */
export async function setLanguage(email: string, code: string) {
  const request = await apiRequest.newContext({ baseURL: process.env.HEARTH_URL ?? "http://127.0.0.1:3000" });
  try {
    expect((await request.post("/api/login", { form: { email, password: PASSWORD } })).ok()).toBeTruthy();
    const saved = await request.post("/api/set_my_language", { form: { language: code } });
    expect(saved.ok(), await saved.text()).toBeTruthy();
  } finally {
    await request.dispose();
  }
}

/// A request as Chromium's network log tells it: served from the cache or not, bytes on the wire.
export type Req = { url: string; type: string; cached: boolean; bytes: number };

/// Records every request of `page` (Chromium's network log, by request id).
export async function recordRequests(page: Page): Promise<{ cdp: CDPSession; requests: Map<string, Req> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const requests = new Map<string, Req>();
  cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, { url: e.request.url, type: e.type ?? "", cached: false, bytes: 0 }));
  cdp.on("Network.requestServedFromCache", (e) => { const r = requests.get(e.requestId); if (r) r.cached = true; });
  cdp.on("Network.responseReceived", (e) => { const r = requests.get(e.requestId); if (r && e.response.fromDiskCache) r.cached = true; });
  cdp.on("Network.loadingFinished", (e) => { const r = requests.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  return { cdp, requests };
}

/// The paths of Hearth's own client files (scripts, styles, wasm, images) among `requests` that
/// did not come from the browser's cache. Pages, server functions and live updates are not
/// client files; map tiles come from another origin under its own caching rules.
export function refetched(page: Page, requests: Req[]): string[] {
  const origin = new URL(page.url()).origin;
  return requests
    .filter((r) => new URL(r.url).origin === origin)
    .filter((r) => !r.cached && !["Document", "Fetch", "XHR", "EventSource"].includes(r.type))
    .map((r) => new URL(r.url).pathname);
}
