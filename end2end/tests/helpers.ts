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
