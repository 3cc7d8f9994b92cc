/**
 * The settings pages in a real browser against `npm start`'s stack: an API key created (its
 * secret shown once, then nowhere on the page), used, and revoked; a rooftop and a department
 * added (a bad time zone refused next to its field) and the department deleted; single sign-on
 * set up against the simulator's OpenID provider; a user added, promoted and deactivated; and
 * all of it found in the audit log, filtered, paged and opened to its before/after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, openFromSidebar, type Session, signIn, stack, sidewaysOverflow } from "./browser";
import { watchRefusals } from "./refusals";
import { apiJson } from "./stack-api";

const KEY_NAME = "E2E CRM key";
const ROOFTOP = "Demo Motors Northside";
const USER_EMAIL = "vera.viewer@demo-motors.test";

let s: Session;
let secret = "";
let takeRefusals: ReturnType<typeof watchRefusals>;

/** Polls that wait on the stack: a loaded machine can take seconds to answer. */
const SLOW = { timeout: 20_000 };

beforeAll(async () => {
  s = await openBrowser();
  takeRefusals = watchRefusals(s);
  await signIn(s.page);
  takeRefusals([]);
});
afterAll(async () => s?.close());

describe("API keys", () => {
  it("refuses a key without a name, next to the field", async () => {
    const { page } = s;
    await openFromSidebar(page, "API keys");
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByRole("button", { name: "Create key" }).click();
    const name = dialog.getByLabel("Name", { exact: true });
    await expect.poll(() => name.getAttribute("aria-invalid"), SLOW).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/keys" }]);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
  });

  it("creates a key, shows its secret once, and lists it by prefix only", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByLabel(/^Workflows/).check();
    await dialog.getByLabel("Tags").fill("crm, e2e");
    await dialog.getByLabel("Name", { exact: true }).fill(KEY_NAME);
    await dialog.getByLabel("Name", { exact: true }).press("Enter");

    const shown = page.getByRole("dialog", { name: `API key “${KEY_NAME}”` });
    await shown.getByText("you won't see it again").waitFor();
    secret = (await shown.locator("pre code").textContent()) ?? "";
    expect(secret).toMatch(/^sk-aut-/);
    await s.screenshot("settings-keys-secret");
    await shown.getByRole("button", { name: "I have copied it" }).click();
    await shown.waitFor({ state: "hidden" });

    const row = page.getByRole("row", { name: new RegExp(KEY_NAME) });
    await row.getByText("active").waitFor();
    const prefix = ((await row.locator("code").first().textContent()) ?? "").replace("…", "");
    expect(prefix.length).toBeGreaterThan(6);
    expect(secret.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(secret.length);
    await expect.poll(() => row.textContent(), SLOW).toMatch(/gateway.*workflows/);
    expect(await page.content()).not.toContain(secret);

    // The secret works.
    const models = await fetch(`${stack().base}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(models.status).toBe(200);
  });

  it("revokes the key after a confirmation, and the key stops working", async () => {
    const { page } = s;
    await page.getByRole("button", { name: `Revoke ${KEY_NAME}` }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke this key?" });
    await confirm.getByText("This cannot be undone").waitFor();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "hidden" });
    const row = page.getByRole("row", { name: new RegExp(KEY_NAME) });
    await row.getByText("revoked").waitFor();
    await expect(row.getByRole("button", { name: /Revoke/ }).count()).resolves.toBe(0);
    await s.screenshot("settings-keys");

    const models = await fetch(`${stack().base}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(models.status).toBe(401);
    expect(await page.content()).not.toContain(secret);
  });
});

describe("dealership", () => {
  it("adds a rooftop (refusing a bad time zone) and a department under it, then deletes the department", async () => {
    const { page } = s;
    await openFromSidebar(page, "Dealership");
    const tree = page.getByRole("list", { name: "Rooftops and departments" });
    await tree.getByText("Demo Motors Downtown").waitFor();
    // The group has no SSO yet: GET /sso answers null, a state the page shows.
    await page.getByText("Single sign-on is not set up").waitFor();

    await page.getByRole("button", { name: "Add rooftop" }).click();
    const add = page.getByRole("dialog", { name: "Add rooftop" });
    await add.getByLabel("Name").fill(ROOFTOP);
    const zone = add.getByLabel("Time zone (optional)");
    await zone.fill("Mars/Olympus_Mons");
    await zone.press("Enter");
    await add.getByText("not an IANA time zone").first().waitFor();
    expect(await zone.getAttribute("aria-invalid")).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/rooftops" }]);
    await zone.fill("America/Denver");
    await zone.press("Enter");
    await add.waitFor({ state: "hidden" });
    await tree.getByText(ROOFTOP).waitFor();

    await page.getByRole("button", { name: `Add a department to ${ROOFTOP}` }).click();
    const dep = page.getByRole("dialog", { name: "Add department" });
    expect(await dep.getByLabel("Rooftop").inputValue()).not.toBe("");
    await dep.getByLabel("Name").fill("Parts");
    await dep.getByLabel("Name").press("Enter");
    await dep.waitFor({ state: "hidden" });
    const northside = tree.getByRole("listitem").filter({ hasText: ROOFTOP });
    await northside.getByRole("list").getByText("Parts").waitFor();
    await northside.getByText("America/Denver").waitFor();

    await page.getByRole("button", { name: "Add a department to Demo Motors Downtown" }).click();
    const extra = page.getByRole("dialog", { name: "Add department" });
    await extra.getByLabel("Name").fill("Body shop");
    await extra.getByRole("button", { name: "Add department" }).click();
    await extra.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Delete Body shop" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete Body shop?" });
    await confirm.getByRole("button", { name: "Delete" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expect.poll(() => tree.getByText("Body shop").count(), SLOW).toBe(0);
  });

  it("refuses a bad group time zone next to the field and keeps the saved one", async () => {
    const { page } = s;
    const zone = page.getByLabel("Time zone", { exact: true });
    const saved = await zone.inputValue();
    await zone.fill("Nowhere/Special");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => zone.getAttribute("aria-invalid"), SLOW).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/tenant" }]);
    await page.getByRole("button", { name: "Discard" }).click();
    expect(await zone.inputValue()).toBe(saved);
  });

  it("sets up single sign-on against an OpenID provider", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Set up SSO" }).click();
    const dialog = page.getByRole("dialog", { name: "Set up single sign-on" });
    await dialog.getByLabel("Issuer URL").fill(`${stack().simUrl}/oidc`);
    await dialog.getByLabel("Client ID").fill("auterity-e2e");
    await dialog.getByLabel("Client secret").fill("e2e-client-secret");
    await dialog.getByLabel("Allowed e-mail domains").fill("demo-motors.test");
    await dialog.getByLabel("Role of new users").selectOption("viewer");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("/api/v1/auth/sso/callback").first().waitFor();
    await page.getByText(`${stack().simUrl}/oidc`).waitFor();
    await s.screenshot("settings-tenant");
  });
});

describe("users", () => {
  it("adds a user scoped to a rooftop, changes the role, and deactivates after a confirmation", async () => {
    const { page } = s;
    await openFromSidebar(page, "Users & roles");
    await page.getByRole("table", { name: "What each role may do" }).waitFor();

    await page.getByRole("button", { name: "Add user" }).click();
    const add = page.getByRole("dialog", { name: "Add user" });
    await add.getByLabel("E-mail").fill(USER_EMAIL);
    await add.getByLabel("Name").fill("Vera Viewer");
    await add.getByLabel("Role").selectOption("viewer");
    await add.getByLabel("Rooftop scope").selectOption({ label: ROOFTOP });
    await add.getByLabel("Password (optional)").fill("short");
    await add.getByLabel("Password (optional)").press("Enter");
    await expect.poll(() => add.getByLabel("Password (optional)").getAttribute("aria-invalid"), SLOW).toBe("true");
    takeRefusals([{ status: 400, path: "/api/v1/users" }]);
    await add.getByLabel("Password (optional)").fill("long-enough-password");
    await add.getByRole("button", { name: "Add user" }).click();
    await add.waitFor({ state: "hidden" });

    const row = page.getByRole("row", { name: /Vera Viewer/ });
    await row.getByText("Viewer", { exact: true }).waitFor();
    await row.getByText(ROOFTOP).waitFor();

    await page.getByRole("button", { name: "Edit Vera Viewer" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Vera Viewer" });
    await edit.getByLabel("Role").selectOption("member");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "hidden" });
    await row.getByText("Member", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Deactivate Vera Viewer" }).click();
    const confirm = page.getByRole("dialog", { name: "Deactivate Vera Viewer?" });
    await confirm.getByRole("button", { name: "Deactivate" }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.getByText("disabled", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Reactivate Vera Viewer" }).waitFor();
    await s.screenshot("settings-users");
  });
});

describe("audit log", () => {
  it("shows what was done, filters by action, opens an entry's before/after, and pages with Load more", async () => {
    // More entries than one page: 30 keys created and revoked through the API.
    for (let i = 0; i < 30; i++) {
      const { body } = await apiJson<{ id: string }>("POST", "/keys", { name: `bulk-${i}`, scopes: ["gateway"] });
      expect((await apiJson("DELETE", `/keys/${body.id}`)).status).toBe(200);
    }
    const { page } = s;
    await openFromSidebar(page, "Audit log");
    const log = page.getByRole("table", { name: "Audit log, newest first" });
    await log.getByText("api_key.revoked").first().waitFor();
    await page.getByText("50 entries shown").waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(async () => Number((await page.getByText(/\d+ entries shown/).textContent())?.split(" ")[0]), SLOW).toBeGreaterThan(50);
    for (const action of ["rooftop.created", "rooftop.deleted", "user.created", "user.updated", "user.disabled", "sso.configured"]) {
      await log.getByText(action, { exact: true }).first().waitFor();
    }

    await page.getByLabel("Action").fill("api_key.created");
    await page.getByLabel("Action").press("Enter");
    await expect.poll(() => log.getByText("api_key.revoked").count(), SLOW).toBe(0);
    const created = log.getByRole("row").filter({ hasText: "api_key.created" });
    expect(await created.count()).toBeGreaterThan(1);

    // The key made in the browser, by the signed-in admin (not the API key that made the bulk ones).
    await page.getByLabel("Actor").selectOption({ label: stack().adminEmail });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => created.count(), SLOW).toBe(1);
    await log.getByRole("button", { name: /Details of api_key.created/ }).click();
    const diff = page.getByRole("table", { name: "Changes recorded by api_key.created" });
    await diff.getByRole("row", { name: /name/ }).getByText(KEY_NAME).waitFor();
    await diff.getByRole("row", { name: /tags/ }).getByText('["crm","e2e"]').waitFor();
    await s.screenshot("settings-audit");
    expect(await page.content()).not.toContain(secret);
  });
});

describe("at tablet width", () => {
  it("reaches the users page through the menu and the tables scroll inside the page", async () => {
    const tablet = await openBrowser({ width: 820, height: 1180 });
    try {
      await signIn(tablet.page);
      await tablet.page.getByRole("button", { name: "Menu" }).click();
      await openFromSidebar(tablet.page, "Users & roles");
      await tablet.page.getByRole("row", { name: /Vera Viewer/ }).waitFor();
      expect(await sidewaysOverflow(tablet.page)).toBeLessThanOrEqual(0);
      await tablet.screenshot("settings-users-tablet");
      expect(tablet.problems).toEqual([]);
    } finally {
      await tablet.close();
    }
  });

  it("left no console errors, page errors or server errors", () => {
    takeRefusals([]);
    expect(s.problems).toEqual([]);
  });
});
