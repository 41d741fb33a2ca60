// Hearth in Spanish (issue 19): a person picks their own language on their account page and
// every page they open speaks it — the frame, the board, the planning page — with Spanish
// dates and money, `lang="es"` on the document, and no accessibility violation in Spanish.
import { expect, test } from "@playwright/test";
import { sweep, violations } from "./a11y";
import { DRIVER, hydrated, OWNER, pickupOrder, setLanguage, signIn, STAFF } from "./helpers";

test("staff choose Spanish on their account page: the board speaks it, moves say it", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  try {
    await signIn(page, STAFF, /\/orders/);
    await page.goto("/account");
    await hydrated(page);
    await page.getByTestId("my-language").selectOption("es");
    await page.getByRole("button", { name: "Save" }).click();
    // The whole frame redraws in Spanish at once, without reloading.
    await expect(page.getByRole("heading", { name: "Tu cuenta", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Pedidos" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "es");

    const { number, day } = await pickupOrder(page, "Lola Idioma", [["BRD-BAG", 1]]);
    await page.goto(`/orders?day=${day}`);
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Pedidos", level: 1 })).toBeVisible();
    await expect(page.locator(".subtitle")).toHaveText(/^((Hoy|Mañana) · )?\S+ \d+ de \S+ · \d+ pedidos?$/);
    for (const stage of ["Recibido", "Confirmado", "En el horno", "Listo"]) {
      await expect(page.getByRole("heading", { name: stage, level: 2 })).toBeVisible();
    }
    const card = page.locator("article.order-card", { has: page.getByText(`#${number}`, { exact: true }) });
    await expect(card.getByRole("button", { name: "Mover" })).toBeVisible();
    await expect(card).toContainText("1 artículo");
    await card.getByRole("button", { name: "Mover" }).click();
    await expect(page.locator(".toast")).toContainText(`N.º ${number} pasa a Confirmado`);
    await page.screenshot({ path: "test-results/es-board-1440.png" });
    expect(await violations(page, "board in Spanish")).toEqual([]);
  } finally {
    await setLanguage(page.context().request, STAFF, "");
  }
});

test("the owner's planning page in Spanish: days, loads and the order list", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await setLanguage(page.context().request, OWNER, "es");
  try {
    await signIn(page, OWNER, /\/$/);
    await page.goto("/planning");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Planificación", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Paradas reservadas, próximos 14 días" })).toBeVisible();
    // Spanish short day names head the load table.
    const head = await page.locator("table.loads thead th").allInnerTexts();
    expect(head[0]).toBe("Distrito");
    expect(head.slice(1).every((h) => /^(lun|mar|mié|jue|vie|sáb|dom)\d+$/.test(h.replace(/\s/g, ""))), head.join(" ")).toBe(true);
    await expect(page.getByRole("region", { name: "Pedidos de la quincena" })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Día", exact: true })).toBeVisible();
    await page.screenshot({ path: "test-results/es-planning-1440.png", fullPage: true });
    expect(await violations(page, "planning in Spanish")).toEqual([]);
  } finally {
    await setLanguage(page.context().request, OWNER, "");
  }
});

test("every page in Spanish, as each role, has no serious or critical accessibility violation", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const people = [OWNER, STAFF, DRIVER];
  for (const p of people) await setLanguage(page.context().request, p, "es");
  try {
    expect(await sweep(page)).toEqual([]);
  } finally {
    for (const p of people) await setLanguage(page.context().request, p, "");
  }
});
