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

    // The order's drawer speaks Spanish too: its facts, the total in Spain's way, its history.
    await card.getByRole("link", { name: `#${number}` }).click();
    const drawer = page.getByRole("dialog", { name: "Detalles del pedido" });
    await expect(drawer.getByRole("heading", { name: `Pedido n.º ${number}` })).toBeVisible();
    await expect(drawer.locator(".status-pill")).toHaveText("Confirmado");
    await expect(drawer.getByText("Recogida en la panadería")).toBeVisible();
    await expect(drawer.locator("tfoot th.num")).toHaveText(/^\d+,\d{2} €$/);
    await expect(drawer.getByRole("heading", { name: "Historial" })).toBeVisible();
    // Its history in Spanish too: taken by phone, then moved on the board.
    const history = drawer.locator(".history");
    await expect(history).toContainText("Tomado por teléfono");
    await expect(history).toContainText("Recibido → Confirmado");
    await drawer.screenshot({ path: "test-results/es-drawer-1440.png" });
    await expect(drawer.getByRole("button", { name: "Cancelar pedido" })).toBeVisible();
    expect(await violations(page, "order drawer in Spanish")).toEqual([]);

    // What the order core refuses is worded in the reader's language too.
    await drawer.getByRole("button", { name: "Cambiar artículos" }).click();
    const items = drawer.getByRole("form", { name: "Cambiar artículos" });
    await items.getByRole("button", { name: "Guardar artículos" }).click();
    await expect(items.getByRole("alert")).toHaveText("items: No hay nada que cambiar.");
  } finally {
    await setLanguage(STAFF, "");
  }
});

test("the owner's planning page in Spanish: days, loads and the order list", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await setLanguage(OWNER, "es");
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
    // The map speaks it too: its name, and an order's popup and tooltip.
    await expect(page.getByRole("region", { name: "Mapa de distritos y pedidos" })).toBeVisible();
    const row = page.locator("li.plan-order").first();
    const number = (await row.locator(".plan-order-who strong").innerText()).replace("#", "");
    await row.getByRole("button", { name: `Ver el n.º ${number} en el mapa` }).click();
    const popup = page.locator(".leaflet-popup-content");
    await expect(popup).toContainText(`#${number}`);
    await expect(popup).toContainText(/(lun|mar|mié|jue|vie|sáb|dom) \d+ [a-z]+ \d{4} · (Recibido|Confirmado|En el horno|Listo|En reparto)/);
    await expect(popup).toContainText(/\d+ artículos? · (pagado|contra reembolso|por pagar)/);
    await expect(popup).toContainText("Arrastra a un día del calendario para moverlo");
    await page.locator(".leaflet-popup-close-button").click();
    await page.locator(`.order-pin span[data-order="${await row.getAttribute("data-order")}"]`).hover();
    await expect(page.getByRole("tooltip").filter({ hasText: `#${number} ·` })).toHaveText(/^#\d+ · (lun|mar|mié|jue|vie|sáb|dom) \d+ [a-z]+ \d{4}$/);
    // "Plan the fortnight" speaks Spanish too: the card, its progress and the plan's figures.
    const card = page.getByTestId("suggest");
    await expect(card.getByRole("heading", { name: "Planificar la quincena" })).toBeVisible();
    await card.getByRole("button", { name: "Planificar la quincena" }).click();
    await expect(card.getByTestId("suggest-figures")).toContainText(
      /entregas en 14 días, \d+ flexibles · según lo reservado [\d,]+ km, [\d,]+ h → planificado [\d,]+ km/,
      { timeout: 30_000 },
    );
    await expect(card.locator("summary", { hasText: "Día a día" })).toBeVisible();
    const moves = card.locator("li.move");
    if ((await moves.count()) > 0) {
      await expect(moves.first().getByRole("button", { name: "Aceptar" })).toBeVisible();
      await expect(moves.first()).toContainText(/Se une a|En la ruta del|Pedido fijo/);
    } else {
      await expect(card).toContainText("Cada pedido flexible ya está en su mejor día.");
    }
    await page.screenshot({ path: "test-results/es-planning-1440.png", fullPage: true });
    expect(await violations(page, "planning in Spanish")).toEqual([]);
  } finally {
    await setLanguage(OWNER, "");
  }
});

test("the owner's dashboard, runs and production sheet in Spanish, and the sign-in page in the browser's", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await setLanguage(OWNER, "es");
  try {
    await signIn(page, OWNER, /\/$/);
    await expect(page.getByRole("heading", { name: "Hola", level: 1 })).toBeVisible();
    await expect(page.getByText("Pedidos abiertos hoy")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Hoy por etapa" })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Entregas" })).toBeVisible();
    await page.screenshot({ path: "test-results/es-dashboard-1440.png", fullPage: true });

    await page.goto("/runs");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Rutas de reparto", level: 1 })).toBeVisible();
    await expect(page.getByTestId("optimise")).toHaveText(/Optimizar rutas|Optimizando…/);
    await expect(page.locator(".runs-summary")).toHaveText(/^\d+ de \d+ entregas en \d+ rutas? · \d+,\d km$/);
    await expect(page.getByRole("group", { name: "Repartidores" })).toBeVisible();
    await page.screenshot({ path: "test-results/es-runs-1440.png", fullPage: true });
    expect(await violations(page, "runs in Spanish")).toEqual([]);

    await page.goto("/kitchen");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Obrador", level: 1 })).toBeVisible();
    await expect(page.getByRole("region", { name: "Hoja de producción" })).toContainText(/Producción · \S+ \d+ \S+ \d{4}/);
    await expect(page.getByRole("button", { name: "Lista de la compra (CSV)" })).toBeVisible();
    await page.screenshot({ path: "test-results/es-kitchen-1440.png", fullPage: true });
    expect(await violations(page, "kitchen in Spanish")).toEqual([]);

    await page.goto("/menu");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Carta", level: 1 })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Se hornea" }).first()).toBeVisible();
    await expect(page.locator(".tag-allergen", { hasText: "Cereales con gluten" }).first()).toBeVisible();
    await page.getByRole("button", { name: "Nuevo producto" }).click();
    const editor = page.getByRole("dialog", { name: "Nuevo producto" });
    await expect(editor.getByRole("group", { name: "Alérgenos" })).toBeVisible();
    await expect(editor.getByLabel("Huevos")).toBeVisible();
    await expect(editor.getByRole("group", { name: "Se hornea" })).toContainText("sáb");
    await page.screenshot({ path: "test-results/es-menu-1440.png", fullPage: true });
    expect(await violations(page, "menu in Spanish")).toEqual([]);

    await page.goto("/customers");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Clientes", level: 1 })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Último pedido" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Solicitudes de privacidad" })).toBeVisible();

    await page.goto("/settings");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Ajustes", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Horario y reservas" })).toBeVisible();
    await expect(page.getByLabel("sábado: abre")).toBeVisible();
    await expect(page.getByRole("button", { name: "Crear clave" })).toBeVisible();
    await page.screenshot({ path: "test-results/es-settings-1440.png", fullPage: true });

    await page.goto("/customers/standing");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Pedidos fijos", level: 1 })).toBeVisible();
    await expect(page.locator("tr[data-standing]").first()).toContainText("Dos veces por semana, mar + vie (o lun + jue)");

    await page.goto("/planning/districts");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Distritos", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Dibujar un distrito nuevo" })).toBeVisible();
    await expect(page.locator(".district-row").first()).toContainText(/paradas\/día/);
  } finally {
    await setLanguage(OWNER, "");
  }
  // Before anyone signs in, the page follows the browser: Spanish for a browser that asks for it.
  const spanish = await browser.newContext({ locale: "es-ES" });
  try {
    const visitor = await spanish.newPage();
    await visitor.goto(new URL("/login", page.url()).href);
    await expect(visitor.getByRole("heading", { name: "Entrar en Hearth" })).toBeVisible();
    await expect(visitor.locator("html")).toHaveAttribute("lang", "es");
    await expect(visitor.getByLabel("Contraseña")).toBeVisible();
  } finally {
    await spanish.close();
  }
});

test("every page in Spanish, as each role, has no serious or critical accessibility violation", async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const people = [OWNER, STAFF, DRIVER];
  for (const p of people) await setLanguage(p, "es");
  try {
    expect(await sweep(page)).toEqual([]);
  } finally {
    for (const p of people) await setLanguage(p, "");
  }
});
