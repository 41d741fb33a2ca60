// The owner's calendar and alerts (issue 15): a month of delivery days, bookings, baking and
// promotions, where a day is closed (and the order door then refuses it) and opened again; and
// the bell, whose count rises live when staff take an order and which lists what happened.
import { expect, test } from "@playwright/test";
import { violations } from "./a11y";
import { hydrated, OWNER, pickupOrder, signIn, STAFF } from "./helpers";

test("the owner closes a day on the calendar: it shows closed, orders for it are refused, it opens again", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.getByRole("link", { name: "Calendar" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Calendar", level: 1 })).toBeVisible();
  const month = await (await page.request.post("/api/get_calendar", { form: { month: "" } })).json();
  const today: string = month.today;
  const monthName = new Date(today + "T12:00:00Z").toLocaleString("en-GB", { month: "long", timeZone: "UTC" });
  await expect(page.locator("#calendar-month-title")).toHaveText(`${monthName} ${today.slice(0, 4)}`);
  // Today is marked in words, and its panel is open.
  const todayCell = page.locator("td.cal-day.today");
  await expect(todayCell.locator(".cal-today")).toHaveText("Today");
  await expect(page.locator(`section.calendar-day[data-day="${today}"]`)).toBeVisible();
  // Every district served today appears with its booked stops against its capacity.
  const todays = month.days.find((d: { date: string }) => d.date === today);
  for (const d of todays.districts) {
    await expect(todayCell.locator(".cal-district", { hasText: d.name })).toContainText(`${d.orders}/${d.capacity}`);
  }
  await page.screenshot({ path: "test-results/calendar-1440.png", fullPage: true });
  expect(await violations(page, "calendar")).toEqual([]);

  // Three days ahead (the next month's page if it falls there).
  const target = new Date(Date.parse(today + "T12:00:00Z") + 3 * 86_400_000).toISOString().slice(0, 10);
  if (target.slice(0, 7) !== today.slice(0, 7)) {
    await page.getByRole("link", { name: /Next/ }).click();
    await expect(page).toHaveURL(/month=/);
  }
  const cell = page.locator("td.cal-day").filter({ has: page.locator(".cal-num", { hasText: new RegExp(`^${Number(target.slice(8))}$`) }) });
  await cell.locator("button.cal-pick").click();
  const panel = page.locator(`section.calendar-day[data-day="${target}"]`);
  await expect(panel).toBeVisible();
  await expect(cell.locator("button.cal-pick")).toHaveAttribute("aria-pressed", "true");
  await panel.getByLabel("Note (optional)").fill("Inventory <b>day</b>");
  await panel.getByRole("button", { name: "Close this day" }).click();
  // The note is text, never markup.
  await expect(cell.locator(".cal-closed")).toHaveText("Closed · Inventory <b>day</b>");
  await expect(page.getByTestId("calendar-said")).toHaveText("Calendar saved.");
  await expect(panel.getByRole("button", { name: "Open this day again" })).toBeVisible();

  // The order door refuses the closed day, naming it, and offers other days.
  const form = {
    "fields[phone]": "612345678",
    "fields[name]": "Rosa Cerrado",
    "fields[fulfilment]": "pickup",
    "fields[payment]": "pay_at_pickup",
    "fields[items][0][sku]": "BRD-BAG",
    "fields[items][0][quantity]": "1",
    "fields[date]": target,
  };
  const quote = await (await page.request.post("/api/quote_phone_order", { form })).json();
  expect(JSON.stringify(quote.problems)).toContain(`closed on ${target}`);

  // On a phone the month is a list of days, each with its weekday; nothing overflows.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(cell.locator(".cal-weekday")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await cell.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/calendar-390.png" });
  await page.setViewportSize({ width: 1440, height: 1000 });

  // Printed: the month without the page's controls.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".calendar-nav")).toBeHidden();
  await expect(page.locator("nav.sidebar")).toBeHidden();
  await page.screenshot({ path: "test-results/calendar-print.png", fullPage: true });
  await page.emulateMedia({ media: "screen" });

  await panel.getByRole("button", { name: "Open this day again" }).click();
  await expect(cell.locator(".cal-closed")).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Close this day" })).toBeVisible();
  const again = await (await page.request.post("/api/quote_phone_order", { form })).json();
  expect(JSON.stringify(again.problems)).not.toContain("closed on");
});

test("the owner's bell counts a new order live, lists it, and leads to it", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, OWNER, /\/$/);
  await hydrated(page);
  const button = page.locator("button.bell-button");
  // Whatever is unread from before is read first.
  await button.click();
  await expect(page.locator("#bell-panel")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.locator("#bell-panel")).toBeHidden();
  await expect(button).toBeFocused();
  await expect(page.getByTestId("bell-count")).toHaveCount(0);
  await expect(button).toHaveAccessibleName("Alerts");

  // Staff take a phone order elsewhere: the owner's bell shows it without a reload.
  const staff = await browser.newContext({ baseURL: process.env.HEARTH_URL ?? "http://127.0.0.1:3000" });
  const staffPage = await staff.newPage();
  await signIn(staffPage, STAFF, /\/orders/);
  const { number } = await pickupOrder(staffPage, "Bea Campana", [["BRD-BAG", 1]]);
  await staff.close();
  await expect(page.getByTestId("bell-count")).toHaveText("1");
  await expect(button).toHaveAccessibleName("Alerts, 1 unread");
  await expect(page.getByTestId("bell-said")).toContainText(`New order #${number} from Bea Campana`);

  await button.click();
  const item = page.locator(".bell-item").first();
  await expect(item).toContainText(`New order #${number} from Bea Campana for `);
  await expect(item.locator(".bell-new")).toHaveText("New");
  // Opening the panel read it; it stays marked new while the panel is open.
  await expect(page.getByTestId("bell-count")).toHaveCount(0);
  await expect(item.locator(".bell-new")).toHaveText("New");
  await page.screenshot({ path: "test-results/bell-1440.png" });
  expect(await violations(page, "bell open")).toEqual([]);
  await item.getByRole("link").click();
  await expect(page).toHaveURL(/\/orders\?order=\d+/);
  await expect(page.getByRole("dialog").getByRole("heading", { name: `Order #${number}` })).toBeVisible();

  // On a phone the panel fits the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await hydrated(page);
  await page.locator("button.bell-button").click();
  const box = (await page.locator("#bell-panel").boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/bell-390.png" });
});

test("Settings → Alerts: notifications per kind, blocked notifications explained, and a pushed alert shown by the installed app", async ({ page, context }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signIn(page, OWNER, /\/$/);
  await page.goto("/settings#alerts");
  await hydrated(page);
  const card = page.locator("#alerts");
  await expect(card.getByRole("columnheader", { name: "On devices" })).toBeVisible();
  // Each kind can be switched off as a notification; the choice is kept.
  const box = card.getByRole("checkbox", { name: "A new order: On devices" });
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect.poll(async () => {
    const s = await (await page.request.post("/api/get_alert_settings")).json();
    return s.kinds.find((k: { kind: string }) => k.kind === "new_order").push;
  }).toBe(false);
  await page.reload();
  await hydrated(page);
  await expect(box).not.toBeChecked();
  await box.check();
  await expect.poll(async () => {
    const s = await (await page.request.post("/api/get_alert_settings")).json();
    return s.kinds.find((k: { kind: string }) => k.kind === "new_order").push;
  }).toBe(true);
  await expect(card.getByText("No device gets notifications yet.")).toBeVisible();

  // Notifications blocked for this site: switching on says so, and nothing is saved.
  await context.clearPermissions();
  await page.evaluate(() => {
    // What a browser answers when the owner blocked notifications for the site.
    Notification.requestPermission = () => Promise.resolve("denied");
  });
  await card.getByRole("button", { name: "Switch on notifications on this device" }).click();
  await expect(card.getByRole("alert")).toHaveText(
    "Notifications are blocked for Hearth in this browser's settings: allow them there, then try again.");
  await expect(card.getByText("No device gets notifications yet.")).toBeVisible();
  await page.screenshot({ path: "test-results/alerts-push-1440.png", fullPage: true });
  expect(await violations(page, "settings alerts")).toEqual([]);

  // An alert arrives by push: the installed app's worker shows it with the alert's words.
  // Neither half of that runs in headless Chromium (it has no push service to deliver from,
  // and nowhere to display a notification: showNotification never settles), so the push
  // event is dispatched in the worker and its showNotification recorded; the worker's own
  // push handler runs as shipped.
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const shown = await worker.evaluate((data) => {
    const sw = self as unknown as { registration: ServiceWorkerRegistration };
    const calls: unknown[] = [];
    sw.registration.showNotification = (title: string, options?: NotificationOptions) => {
      calls.push({ title, body: options?.body, tag: options?.tag, data: options?.data });
      return Promise.resolve();
    };
    try {
      // A script's event can't be kept alive (waitUntil refuses it): the call is made first.
      self.dispatchEvent(new PushEvent("push", { data }));
    } catch {
      // waitUntil's refusal of an untrusted event.
    }
    return calls;
  }, JSON.stringify({
    title: "Obrador Demo",
    body: "New order #4242 from <b>Ana</b> for Fri 4 Dec: €13.00",
    url: "/orders?order=1",
    tag: "hearth-alert-4242",
  }));
  expect(shown).toEqual([
    {
      title: "Obrador Demo",
      body: "New order #4242 from <b>Ana</b> for Fri 4 Dec: €13.00",
      tag: "hearth-alert-4242",
      data: { url: "/orders?order=1" },
    },
  ]);
});
