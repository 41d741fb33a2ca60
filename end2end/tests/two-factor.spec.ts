import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { hydrated, OWNER, PASSWORD } from "./helpers";

/** RFC 6238 (SHA-1, 6 digits, 30 s) from a base32 secret, `steps` steps from now: what an app shows. */
function totp(secret: string, steps = 0): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + steps));
  const mac = createHmac("sha1", key).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a team member turns on two-factor sign-in and signs in with a code, then from a remembered device", async ({ page, browser }, info) => {
  // The owner adds someone for this test (the demo's own accounts stay as the other tests expect).
  const email = `rosa-${Date.now()}@hearth.demo`;
  const password = "rosa-bakes-bread";
  const owner = await browser.newContext({ baseURL: info.project.use.baseURL });
  expect((await owner.request.post("/api/login", { form: { email: OWNER, password: PASSWORD } })).ok()).toBeTruthy();
  const added = await owner.request.post("/api/add_user", { form: { email, name: "Rosa Martín", role: "staff", password } });
  expect(added.ok(), await added.text()).toBeTruthy();
  await owner.close();

  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAs(page, email, password);
  await expect(page).toHaveURL(/\/orders/);
  await hydrated(page);
  await page.getByRole("link", { name: /Rosa Martín/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  const card = page.getByRole("region", { name: "Two-factor sign-in" });
  await card.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const qr = card.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(100);
  const secret = (await card.getByTestId("totp-secret").textContent())!;
  await page.screenshot({ path: info.outputPath("account-setup-desktop.png"), fullPage: true });
  // A wrong code is named; the right one turns it on and shows the ten recovery codes once.
  await card.getByLabel("Code").fill("000000");
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card.getByRole("alert")).toContainText("not the code your app shows now");
  // The refusal does not redraw the card: a code typed again stays where it was typed (it
  // used to vanish when the card's status was read again after the refusal).
  const code = totp(secret);
  await card.getByLabel("Code").fill(code);
  await page.waitForTimeout(1000);
  await expect(card.getByLabel("Code")).toHaveValue(code);
  await card.getByRole("button", { name: "Turn on" }).click();
  const codes = card.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(codes.first()).toHaveText(/^[2-9a-z]{4}-[2-9a-z]{4}$/);
  await page.screenshot({ path: info.outputPath("account-codes-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500); // the side menu's slide-out after the resize
  await page.screenshot({ path: info.outputPath("account-codes-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await card.getByRole("button", { name: "I have saved them" }).click();
  await expect(card).toContainText("10 recovery codes left.");
  await expect(codes).toHaveCount(0);

  // Signing in now asks for the code after the password.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, email, password);
  await expect(page.getByRole("alert")).toHaveText("Code: enter the 6-digit code from your authenticator app (or a recovery code).");
  await page.getByLabel("Code from your authenticator app").fill(totp(secret, 1));
  await page.getByLabel("Remember this device for 30 days").check();
  await page.screenshot({ path: info.outputPath("login-code-desktop.png") });
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orders/);
  await hydrated(page);
  // The board is drawn (the sign-in page's hydration mark stays on through the client-side
  // navigation, so it alone does not say the new page's buttons work yet).
  await expect(page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();

  // This browser is remembered: the password alone is enough next time.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, email, password);
  await expect(page).toHaveURL(/\/orders/);
});
