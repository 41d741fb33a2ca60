import { expect, Page } from "@playwright/test";

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
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(landing);
  await hydrated(page);
}

/** As the owner (over HTTP), plans today's deliveries onto one run for `driverName` and publishes it. */
export async function publishTodayFor(page: Page, driverName: string) {
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
  await req.post("/api/logout", { form: {} });
}
