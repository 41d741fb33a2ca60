import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium" });
for (const [w, h, tag] of [[1440, 1000, "desk"], [390, 844, "phone"]]) {
  const c = await b.newContext({ baseURL: "http://127.0.0.1:3917", viewport: { width: w, height: h } });
  await c.request.post("/api/login", { form: { email: "owner@hearth.demo", password: "demo-bakery" } });
  const p = await c.newPage();
  for (const path of ["/kitchen", "/stock", "/kitchen/recipes"]) {
    await p.goto(path);
    await p.waitForSelector("body[data-hydrated]");
    await p.waitForTimeout(800);
    const name = path.replaceAll("/", "_");
    await p.screenshot({ path: `/tmp/k${name}-${tag}.png`, fullPage: true });
  }
  if (tag === "desk") {
    await p.goto("/kitchen");
    await p.waitForSelector("body[data-hydrated]");
    await p.getByRole("button", { name: "Tomorrow" }).click();
    await p.waitForTimeout(800);
    await p.emulateMedia({ media: "print" });
    await p.screenshot({ path: `/tmp/k_print.png`, fullPage: true });
    await p.pdf({ path: "/tmp/k_print.pdf", format: "A4" });
  }
  await c.close();
}
await b.close();
