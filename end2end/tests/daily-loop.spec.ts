// The first-day defects of the daily loop (staff and owner at a desk): each test does what a
// person does with real clicks, drags and keys, and asserts what they then see.
import { Browser, expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { centroMiddle, hydrated, OWNER, pickupOrder, signIn, STAFF } from "./helpers";

async function as(browser: Browser, email: string, path: string, size = { width: 1440, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size })).newPage();
  await signIn(page, email, email === OWNER ? /\/$/ : /\/orders$/);
  await page.goto(path);
  await hydrated(page);
  return page;
}

/** Runs SQL on the suite's database file, as the owner's settings will (product capacity). */
function sql(statement: string): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL (the server's SQLite file) is needed for this test");
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", url.replace(/^sqlite:\/\//, ""), statement]).toString().trim();
}

test("a phone order is taken once: the result shows where the eye is and the form locks", async ({ browser }) => {
  const staff = await as(browser, STAFF, "/orders");
  await staff.getByRole("link", { name: "New phone order" }).click();
  const drawer = staff.getByRole("dialog", { name: "New phone order" });
  const first = `Twice${Date.now() % 1_000_000}`;
  await drawer.getByLabel("Caller's phone").fill(`67${String(Date.now()).slice(-7)}`);
  await drawer.getByRole("button", { name: "Look up" }).click();
  await expect(drawer.getByText("New customer")).toBeVisible();
  await drawer.getByLabel("Name", { exact: true }).fill(`${first} Caller`);
  await drawer.getByLabel("Fulfilment").selectOption("pickup");
  await drawer.getByLabel("Payment").selectOption("pay_at_pickup");
  await drawer.getByLabel("Product 1").selectOption("PAS-CROI");
  await drawer.getByLabel("Quantity 1").fill("6");
  // The running total to read to the caller: six croissants at the listed price.
  const price = await drawer.getByLabel("Product 1").locator("option[value=PAS-CROI]").innerText();
  const unit = Number(price.split("·").pop()!.replace(/[^\d,.]/g, "").replace(",", "."));
  await expect(drawer.getByTestId("phone-total")).toContainText(`Total €${(6 * unit).toFixed(2)}`);
  // Two quick clicks: one order.
  await drawer.getByRole("button", { name: "Take order" }).dblclick();
  const taken = drawer.getByRole("status").filter({ hasText: /Order #\d+ taken/ });
  await expect(taken).toBeVisible();
  await expect(taken).toBeInViewport();
  await expect(drawer.getByRole("button", { name: "Take order" })).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "Take another order" })).toBeVisible();
  const number = (await taken.innerText()).match(/#(\d+)/)![1];
  await expect(staff.getByRole("article").filter({ hasText: first })).toHaveCount(1);
  // The history names who took it.
  await staff.getByRole("article", { name: `Order #${number}` }).getByRole("link", { name: `#${number}` }).click();
  await expect(staff.getByRole("dialog", { name: "Order details" }).locator(".history")).toContainText("Pablo Ortega: Taken by phone");
});

test("a phone delivery needs the door's pin, said next to the map before taking it", async ({ browser }) => {
  const staff = await as(browser, STAFF, "/orders");
  await staff.getByRole("link", { name: "New phone order" }).click();
  const drawer = staff.getByRole("dialog", { name: "New phone order" });
  await drawer.getByLabel("Caller's phone").fill(`66${String(Date.now()).slice(-7)}`);
  await drawer.getByLabel("Name", { exact: true }).fill("Pin Needed");
  await drawer.getByLabel("Address").fill("Calle de Alcalá 100");
  await drawer.getByLabel("Product 1").selectOption("CAK-BASQ");
  await drawer.getByRole("button", { name: "Take order" }).click();
  await expect(drawer.getByRole("alert").filter({ hasText: "place the door's pin" })).toBeVisible();
  await expect(drawer.getByRole("button", { name: "Take order" })).toBeVisible();
  // Typing the pin (the keyboard way): the district and its delivery fee join the total.
  await drawer.getByLabel("Latitude").fill("40.4243");
  await drawer.getByLabel("Latitude").press("Tab");
  await drawer.getByLabel("Longitude").fill("-3.6795");
  await drawer.getByLabel("Longitude").press("Tab");
  await expect(drawer.getByTestId("phone-total")).toContainText("delivers");
  await expect(drawer.getByRole("alert").filter({ hasText: "place the door's pin" })).toHaveCount(0);
});

test("after a keyboard Move the focus stays on the moved card, and the next Move moves that card again", async ({ browser }) => {
  const staff = await as(browser, STAFF, "/orders");
  const mine = await pickupOrder(staff, "Keyboard Mover", [["PAS-CROI", 2]]);
  const other = await pickupOrder(staff, "Next InLine", [["PAS-CROI", 2]]);
  await staff.goto(`/orders?day=${mine.day}`);
  await hydrated(staff);
  const label = `Order #${mine.number}`;
  const card = staff.getByRole("listitem", { name: "Received" }).getByRole("article", { name: label });
  const menu = card.getByLabel(`Move order #${mine.number} to`);
  await menu.focus();
  await menu.selectOption("confirmed");
  await staff.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Move" })).toBeFocused();
  await staff.keyboard.press("Enter");
  const moved = staff.getByRole("listitem", { name: "Confirmed" }).getByRole("article", { name: label });
  await expect(moved).toBeVisible();
  await expect(moved.getByLabel(`Move order #${mine.number} to`)).toBeFocused();
  // Tab, Enter again: the same order takes its next step; the order after it stays put.
  await staff.keyboard.press("Tab");
  await staff.keyboard.press("Enter");
  const baking = staff.getByRole("listitem", { name: "Baking" }).getByRole("article", { name: label });
  await expect(baking).toBeVisible();
  await expect(baking.getByLabel(`Move order #${mine.number} to`)).toBeFocused();
  await expect(staff.getByRole("listitem", { name: "Received" }).getByRole("article", { name: `Order #${other.number}` })).toBeVisible();
  // A collected order's menu never preselects a move backwards.
  // Each step waits for the card in its new column (the toast of the step before would still
  // be showing, so it can't tell whether this step was taken).
  for (const [step, column] of [["ready", "Ready"], ["collected", "Delivered"]]) {
    await staff.getByRole("article", { name: label }).getByLabel(`Move order #${mine.number} to`).selectOption(step);
    await staff.getByRole("article", { name: label }).getByRole("button", { name: "Move" }).click();
    await expect(staff.getByRole("listitem", { name: column }).getByRole("article", { name: label })).toBeVisible();
  }
  const done = staff.getByRole("listitem", { name: "Delivered" }).getByRole("article", { name: label });
  await expect(done.locator("select[name=to]")).toHaveValue("");
});

test("the Undo toast closes by itself and never covers the drawer; Escape closes the drawer", async ({ browser }) => {
  const staff = await as(browser, STAFF, "/orders");
  const mine = await pickupOrder(staff, "Toast Watcher", [["PAS-CROI", 2]]);
  await staff.goto(`/orders?day=${mine.day}`);
  await hydrated(staff);
  const number = `#${mine.number}`;
  const card = staff.getByRole("article", { name: `Order ${number}` });
  await card.getByLabel(`Move order ${number} to`).selectOption("confirmed");
  await card.getByRole("button", { name: "Move" }).click();
  const toast = staff.getByRole("status").filter({ hasText: "moved to Confirmed" });
  await expect(toast).toBeVisible();
  // Open an order: the drawer takes the focus, and its buttons stay clear of the toast.
  await staff.getByRole("listitem", { name: "Confirmed" }).getByRole("link", { name: number }).click();
  const drawer = staff.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  expect(await staff.evaluate(() => !!document.activeElement?.closest("aside.drawer"))).toBe(true);
  const t = (await toast.boundingBox())!;
  const d = (await drawer.boundingBox())!;
  expect(t.x + t.width).toBeLessThanOrEqual(d.x);
  // The day is written out, not ISO.
  await expect(drawer.locator("dd").nth(1)).toHaveText(/^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}/);
  await expect(toast).toBeHidden({ timeout: 12_000 });
  await staff.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
  expect(new URL(staff.url()).searchParams.get("order")).toBeNull();
});

test("editing items is checked only for what it adds; a refusal shows beside the items and keeps the input", async ({ browser }) => {
  const staff = await as(browser, STAFF, "/orders");
  const mine = await pickupOrder(staff, "Items Editor", [["PAS-CROI", 3], ["CAK-BASQ", 1]]);
  await staff.goto(`/orders?day=${mine.day}`);
  await hydrated(staff);
  const number = `#${mine.number}`;
  await staff.getByRole("article", { name: `Order ${number}` }).getByRole("link", { name: number }).click();
  const drawer = staff.getByRole("dialog", { name: "Order details" });
  await expect(drawer.getByRole("heading", { name: `Order ${number}` })).toBeVisible();
  await drawer.getByRole("button", { name: "Edit items" }).click();
  const form = drawer.getByRole("form", { name: "Edit items" });
  const names = await form.locator(".items-name").allInnerTexts();
  // The kitchen can make none of the cheesecakes that day any more (the owner lowered its
  // capacity after the booking): that day is now over capacity for it.
  const capped = names.find((n) => n.includes("cheesecake"))!;
  const croissants = names.find((n) => n !== capped)!;
  const before = sql(`SELECT daily_capacity FROM products WHERE name = '${capped.replace(/'/g, "''")}'`);
  sql(`UPDATE products SET daily_capacity = 0 WHERE name = '${capped.replace(/'/g, "''")}'`);
  try {
    // One more of the other product: accepted, the first product is not in question.
    const other = form.getByLabel(`Quantity of ${croissants}`);
    const q = Number(await other.inputValue());
    await other.fill(String(q + 1));
    await other.press("Tab");
    const total = drawer.locator("tfoot tr").last();
    const was = await total.innerText();
    await form.getByRole("button", { name: "Save items" }).click();
    await expect(total).not.toHaveText(was);
    // The editor closes once the save's own answer is in. The new total may show first (the
    // board's live event can refetch the drawer before that answer arrives); clicking "Edit
    // items" in between would close the still-open editor, so wait for it to close.
    await expect(form).toBeHidden();
    await expect(drawer.getByRole("alert")).toHaveCount(0);
    // One more of the capped product: refused beside the items, the form still open with it.
    // The save's answer and the board's live event each refetch the order, and the drawer
    // is drawn again when it arrives: a click pressed on the old button and released on the
    // new one is no click at all (as for a person, who clicks again). So click until the
    // button says the editor is open, never twice on an open one.
    const editItems = drawer.getByRole("button", { name: "Edit items" });
    await expect(async () => {
      if ((await editItems.getAttribute("aria-expanded")) !== "true") await editItems.click();
      await expect(form).toBeVisible({ timeout: 1_000 });
    }).toPass();
    const cappedInput = form.getByLabel(`Quantity of ${capped}`);
    const c = Number(await cappedInput.inputValue());
    await cappedInput.fill(String(c + 2));
    await cappedInput.press("Tab");
    await form.getByRole("button", { name: "Save items" }).click();
    const refusal = form.getByRole("alert");
    await expect(refusal).toContainText(`at most ${c} ${capped}`);
    await expect(refusal).toBeInViewport();
    await expect(cappedInput).toHaveValue(String(c + 2));
  } finally {
    sql(`UPDATE products SET daily_capacity = ${before} WHERE name = '${capped.replace(/'/g, "''")}'`);
  }
});

test("unticking a district's day with booked orders says which and saves nothing", async ({ browser }) => {
  const owner = await as(browser, OWNER, "/planning/districts");
  const data = await (await owner.request.post("/api/get_planning", { form: {} })).json();
  const booked = (data.orders as any[]).find((o) => o.district_id && !["delivered", "cancelled"].includes(o.status) && o.fulfil_on > data.today);
  const district = (data.districts as any[]).find((d) => d.id === booked.district_id);
  const weekday = new Date(booked.fulfil_on + "T12:00:00Z").toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  const rows = owner.locator(".district-list > li");
  await rows.filter({ hasText: district.name }).getByRole("button").click();
  const form = owner.getByRole("region", { name: "District settings" });
  await expect(form.getByRole("heading", { name: district.name })).toBeVisible();
  await form.getByRole("group", { name: "Delivery days" }).getByText(weekday, { exact: true }).click();
  await form.getByRole("button", { name: "Save district" }).click();
  await expect(form.getByRole("alert")).toContainText("Not saved");
  await expect(form.getByRole("alert")).toContainText(`#${booked.number}`);
  const after = await (await owner.request.post("/api/get_planning", { form: {} })).json();
  expect(after.districts.find((d: any) => d.id === district.id).served_weekdays).toBe(district.served_weekdays);
});

test("dropping an order on a day its district is not served says why", async ({ browser }) => {
  // Tall enough that the calendar and the orders list are on screen together.
  const owner = await as(browser, OWNER, "/planning", { width: 1440, height: 2400 });
  const off = owner.locator(".loads td.cell-off").first();
  const row = owner.locator("li.plan-order[draggable=true]").first();
  await expect(row).toBeVisible();
  // Grabbed by its text (not its menu or tick box), as a person would.
  await row.locator(".plan-order-who strong").dragTo(off);
  await expect(owner.getByRole("alert")).toContainText("is not delivered to on");
});

test("a customer's name with markup shows as text in the map's popup and tooltip, never as HTML", async ({ browser }) => {
  const owner = await as(browser, OWNER, "/planning");
  const req = owner.context().request;
  const today: string = (await (await req.post("/api/list_board", { form: {} })).json()).today;
  const name = `<img src=x onerror="window.__xss=1">Eve${Date.now() % 100000}`;
  // A delivery to Centro's middle, on the first day it is accepted.
  const { lat, lng } = await centroMiddle(req);
  let number = "";
  for (let i = 1; i < 10 && !number; i++) {
    const day = new Date(Date.parse(today + "T12:00:00Z") + i * 86_400_000).toISOString().slice(0, 10);
    const form = {
      "fields[phone]": `62${String(Date.now()).slice(-7)}`, "fields[name]": name, "fields[fulfilment]": "delivery",
      "fields[date]": day, "fields[address]": "Calle Mayor 1", "fields[lat]": String(lat), "fields[lng]": String(lng),
      "fields[payment]": "prepaid", "fields[items][0][sku]": "CAK-BASQ", "fields[items][0][quantity]": "1",
    };
    const res = await req.post("/api/create_phone_order", { form: { ...form, key: `xss-${Date.now()}-${i}` } });
    if (res.ok()) number = String(await res.json());
  }
  expect(number).not.toBe("");
  await owner.reload();
  await hydrated(owner);
  const order = ((await (await req.post("/api/get_planning", { form: {} })).json()).orders as any[]).find((o) => String(o.number) === number);
  await owner.getByLabel("Day", { exact: true }).selectOption(order.fulfil_on);
  // Found from the list: the map goes to its dot (it may sit in a cluster with the day's
  // other orders near Centro's middle; CI once had it so) and opens its popup.
  await owner.getByRole("button", { name: `Show #${number} on the map` }).click();
  const popup = owner.locator(".leaflet-popup-content");
  // The map shows first names: here the markup itself, as text.
  await expect(popup).toContainText(`#${number} <img`);
  await expect(popup.locator("img")).toHaveCount(0);
  await owner.locator(".leaflet-popup-close-button").click();
  const pin = owner.locator(`.order-pin span[data-order="${order.id}"]`);
  await pin.hover();
  // Its own tooltip (a district's outline has one too).
  await expect(owner.getByRole("tooltip").filter({ hasText: `#${number} ·` })).toBeVisible();
  expect(await owner.evaluate(() => (window as any).__xss)).toBeUndefined();
});
