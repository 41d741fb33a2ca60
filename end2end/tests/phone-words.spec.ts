// A driver's pages carry only a driver's words (issue 17: the phone's first visit is smaller).
// Every page and state a driver can reach is walked in English and Spanish, and no message id
// may be on screen or in a label: a message the driver's words lacked would show as its id.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { DRIVER, hydrated, publishTodayFor, setLanguage, signIn } from "./helpers";

/** Every message id with a dash (a one-word id such as "save" could be a word on screen). */
const IDS = readFileSync(resolve(__dirname, "../../locales/en/hearth.ftl"), "utf8")
  .split("\n")
  .map((line) => /^([a-z][a-z0-9-]*)\s*=/.exec(line)?.[1])
  .filter((id): id is string => !!id && id.includes("-"));

/** The message ids on the page: in its text, its title and its elements' labels. */
async function idsShown(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const labels = [...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")].flatMap((e) =>
      ["aria-label", "title", "placeholder", "alt"].map((a) => e.getAttribute(a) ?? ""),
    );
    const options = [...document.querySelectorAll("option")].map((o) => o.textContent ?? "");
    return [document.title, document.body.innerText, ...labels, ...options].join("\n");
  });
  return IDS.filter((id) => new RegExp(`(^|[^a-z0-9-])${id}($|[^a-z0-9-])`).test(text));
}

for (const [lang, heading] of [
  ["en", "Today's deliveries"],
  ["es", "Entregas de hoy"],
]) {
  test(`a driver reading ${lang} sees no message id on any page they can open`, async ({ page }) => {
    const run = await publishTodayFor(page, "Marta Ruiz");
    await setLanguage(DRIVER, lang);
    try {
      const seen: Record<string, string[]> = {};
      await signIn(page, DRIVER, /\/driver$/);
      await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      seen["run"] = await idsShown(page);
      // The words that came with the page are the driver's, not the owner's.
      const me = await (await page.context().request.post("/api/me", { headers: { accept: "application/json" } })).json();
      const carried = Object.keys(me.words.messages);
      expect(me.words.lang).toBe(lang);
      expect(carried).toContain("driver-call");
      expect(carried.filter((id) => /^(promo|kitchen|planning|rep)-/.test(id))).toEqual([]);
      // A stop's two forms, opened and not sent (the other tests work this run).
      const stop = page.locator("ol.stops > li:not(.stop-done)").first();
      await stop.locator("button.btn-danger").first().click();
      await expect(stop.locator("select")).toBeVisible();
      seen["stop, not delivered"] = await idsShown(page);
      await stop.locator("button.btn-ok").first().click();
      await expect(stop.locator("input[type=file]")).toHaveCount(1);
      seen["stop, delivered"] = await idsShown(page);

      // Their account, by the menu: a client-side move, so the words are still the driver's.
      await page.locator("a.user-chip").click();
      await expect(page).toHaveURL(/\/account$/);
      const card = page.locator("section[aria-labelledby=two-factor-title]");
      await expect(card).toBeVisible();
      seen["account"] = await idsShown(page);
      await card.locator("button.btn-primary").click();
      await expect(card.locator("img.qr")).toBeVisible();
      seen["two-factor set-up"] = await idsShown(page);
      await card.locator("input[name=code]").fill("000000");
      await card.locator("button[type=submit].btn-primary").click();
      await expect(card.getByRole("alert")).toBeVisible();
      seen["two-factor, a wrong code"] = await idsShown(page);

      // The run's sheet, a page the owner has not opened; a page they may not open; no page.
      await page.goto(`/runs/${run}/sheet`);
      await hydrated(page);
      await expect(page.locator(".sheet-table tbody tr").first()).toBeVisible();
      seen["run sheet"] = await idsShown(page);
      await page.goto("/orders");
      await hydrated(page);
      seen["the order board (not theirs)"] = await idsShown(page);
      await page.goto("/no-such-page");
      await hydrated(page);
      seen["no such page"] = await idsShown(page);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);

      expect(IDS.length).toBeGreaterThan(1000);
      expect(Object.entries(seen).filter(([, ids]) => ids.length > 0)).toEqual([]);
    } finally {
      await setLanguage(DRIVER, "");
    }
  });
}
