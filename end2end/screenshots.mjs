// Takes screenshots of the main screens for a human to look at:
//   node end2end/screenshots.mjs [outdir]   (server on HEARTH_URL or http://127.0.0.1:3000)
import { chromium, devices } from "@playwright/test";
const base = process.env.HEARTH_URL ?? "http://127.0.0.1:3000";
const out = process.argv[2] ?? "/tmp/hearth-shots";
import { mkdirSync } from "node:fs";
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
async function session(email, ctxOpts) {
  const ctx = await browser.newContext(ctxOpts);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.log("pageerror:", e.message.slice(0, 800)));
  page.on("console", (m) => m.type() === "error" && console.log("console:", m.text().slice(0, 800)));
  await page.goto(base + "/login");
  await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 60000 });
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-bakery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}
const shots = [
  ["owner@hearth.demo", { viewport: { width: 1440, height: 900 } }, ["/", "/orders", "/planning", "/customers", "/settings"], "desktop"],
  ["driver@hearth.demo", devices["Pixel 7"], ["/driver"], "phone"],
  ["staff@hearth.demo", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, ["/orders"], "phone"],
];
const login = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await login.goto(base + "/login");
await login.screenshot({ path: `${out}/login-desktop.png` });
for (const [email, opts, paths, tag] of shots) {
  const page = await session(email, opts);
  for (const p of paths) {
    await page.goto(base + p);
    await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 60000 });
    await page.waitForTimeout(1500);
    const name = `${out}/${email.split("@")[0]}${p.replaceAll("/", "-") || "-home"}-${tag}.png`;
    await page.screenshot({ path: name, fullPage: p !== "/planning" });
    console.log(name);
  }
}
await browser.close();
