// The integrations page in a real browser (headless Chromium) against the real host and the
// provider simulator: sign-in, connecting each of the four providers through the simulator's
// consent page, one action per category from the page (a meeting with a Google Meet link
// among them), refresh, disconnect with its confirmation, the error paths a person can meet
// (consent denied, an expired or replayed OAuth state, a provider that is down), keyboard
// use, and an automated accessibility check (axe-core). A screenshot of the page with four
// connected providers is saved in SB_BROWSER_OUTPUT_DIR.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import {
  launchBrowser, outputDir, providerOverrides, signJwt, startHost, startProviderSim, tempDir,
} from "./harness.mjs";
import { connectorCards, notice, providerCard, waitForGone, waitForText } from "./page_helpers.mjs";

// The shortest OAuth state lifetime the config allows: one flow is left waiting at the
// consent page while the other tests run, and finished once its state has expired.
const stateTtlSeconds = 30;
const jwtSecret = "browser-test-hs256-secret-0123456789abcdef";

const providers = [
  { id: "google_calendar", name: "Google Calendar", connection: "Work calendar", email: "cal.user@example.com" },
  { id: "gmail", name: "Gmail", connection: "Work mail", email: "mail.user@example.com" },
  { id: "google_drive", name: "Google Drive", connection: "Team files", email: "drive.user@example.com" },
  { id: "hubspot", name: "HubSpot", connection: "Sales CRM", email: "crm.user@example.com" },
];

let dir;
let sim;
let host;
let browser;
let page;
const callbacks = [];

async function axeViolations(target) {
  const { default: AxeBuilder } = await import("@axe-core/playwright");
  const results = await new AxeBuilder({ page: target }).analyze();
  return results.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Connect on the page, through the simulator's consent page, and back. */
async function connect(target, provider, { email, name, decision = "Allow", atConsent }) {
  const card = providerCard(target, provider.id);
  await card.getByLabel("Name for the connection").fill(name);
  await Promise.all([
    target.waitForURL((url) => url.href.startsWith(sim.base)),
    card.getByRole("button", { name: new RegExp(`^Connect ${provider.name}`) }).click(),
  ]);
  await target.getByLabel("Account e-mail").fill(email);
  if (atConsent) await atConsent();
  await Promise.all([
    target.waitForURL((url) => url.href.startsWith(host.base) && url.pathname === "/settings/integrations"),
    target.getByRole("button", { name: decision, exact: true }).click(),
  ]);
}

async function openActionDialog(provider, action) {
  // A dialog an earlier failing test left open would hide the page.
  if (await page.locator("#action-dialog[open]").count() > 0) await page.keyboard.press("Escape");
  const card = connectorCards(page, provider.id).first();
  await card.getByRole("button", { name: /^Try an action/ }).click();
  const dialog = page.locator("#action-dialog");
  await dialog.waitFor({ state: "visible" });
  await dialog.getByLabel("Action", { exact: true }).selectOption(action);
  await dialog.locator(".schema-form").waitFor();
  return dialog;
}

async function runAndWait(dialog) {
  await dialog.getByRole("button", { name: "Run the action" }).click();
  return waitForText(dialog.locator(".result"), /done|not|cannot|check/i, 60000);
}

describe("the integrations page", () => {
  before(async () => {
    dir = tempDir("sb-browser-");
    sim = await startProviderSim({ dir });
    host = await startHost({
      dir,
      config: {
        state_store: { backend: "sql", ttl_seconds: stateTtlSeconds },
        providers: providerOverrides(sim),
        auth: { jwt: { hs256_secret_env: "SB_BROWSER_JWT_SECRET", issuer: "https://id.browser.test", audience: "switchboard" } },
      },
      env: { SB_BROWSER_JWT_SECRET: jwtSecret },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on("request", (request) => {
      if (request.url().startsWith(host.url("/api/v1/connectors/callback"))) callbacks.push(request.url());
    });
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  });

  after(async () => {
    await browser?.close();
    await host?.stop();
    await sim?.stop();
    if (process.exitCode && host) console.error(`switchboard log:\n${host.log().split("\n").slice(-40).join("\n")}`);
  });

  test("is served by the host with strict security headers", async () => {
    for (const path of ["/", "/settings/integrations"]) {
      const response = await fetch(host.url(path));
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type"), /^text\/html/);
      const csp = response.headers.get("content-security-policy");
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(response.headers.get("x-frame-options"), "DENY");
      assert.equal(response.headers.get("referrer-policy"), "no-referrer");
    }
  });

  test("shows every provider and refuses a wrong key in words", async () => {
    await page.goto(host.url("/"));
    for (const provider of providers) {
      await waitForText(providerCard(page, provider.id), new RegExp(provider.name));
    }
    // Signed out: no session bar, no "Sign out".
    assert.equal(await page.getByRole("button", { name: "Sign out" }).isVisible(), false);
    await page.getByLabel("API key or token").fill("not-a-key-of-this-host");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitForText(page.locator("#credential-error"), /not accepted/);
    assert.equal(await page.getByLabel("API key or token").getAttribute("aria-invalid"), "true");
  });

  test("the signed-out page passes the accessibility check", async () => {
    assert.deepEqual(await axeViolations(page), []);
  });

  test("signs in with the demo key", async () => {
    await page.getByRole("button", { name: "Use the demo key" }).click();
    await waitForText(page.locator("#session-label"), /demo API key/);
    await waitForText(page.locator("#connected-empty"), /No account is connected yet/);
  });

  // Left at the consent page now, finished after its state has expired (the last tests).
  let waitingPage;
  let waitingSince;

  test("starts a connection that will wait past its state's lifetime", async () => {
    waitingPage = await browser.context.newPage();
    await waitingPage.goto(host.url("/settings/integrations"));
    // A new tab has a sessionStorage of its own: sign in there too.
    await waitingPage.getByRole("button", { name: "Use the demo key" }).click();
    const drive = providers[2];
    const card = providerCard(waitingPage, drive.id);
    await card.getByLabel("Name for the connection").fill("Too late");
    await Promise.all([
      waitingPage.waitForURL((url) => url.href.startsWith(sim.base)),
      card.getByRole("button", { name: /^Connect Google Drive/ }).click(),
    ]);
    await waitingPage.getByLabel("Account e-mail").fill("late.user@example.com");
    waitingSince = Date.now();
  });

  test("connects each of the four providers through the consent page", async () => {
    for (const provider of providers) {
      await connect(page, provider, { email: provider.email, name: provider.connection });
      await waitForText(notice(page), new RegExp(`${provider.name} is connected`));
      // Back from the provider, the outcome has the keyboard focus (and is read out).
      assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest(".notice"))), true);
      const card = connectorCards(page, provider.id);
      await waitForText(card, /Active/);
      await waitForText(card, new RegExp(provider.email.replace(/\./g, "\\.")));
      await waitForText(card, new RegExp(provider.connection));
    }
    assert.equal(await page.locator(".connector-card").count(), 4);
    // Nothing of the flow stays in the address bar.
    assert.equal(new URL(page.url()).search, "");
    await page.screenshot({ path: join(outputDir(), "integrations-four-connected.png"), fullPage: true });
  });

  test("the page with four connected accounts passes the accessibility check", async () => {
    assert.deepEqual(await axeViolations(page), []);
  });

  test("books a meeting with a Google Meet link from the page", async () => {
    const dialog = await openActionDialog(providers[0], "create_event");
    await dialog.getByLabel(/^Summary/).fill("Kick-off with Ada");
    await dialog.getByLabel("Video conference").check();
    assert.match(await runAndWait(dialog), /Create event: done/);
    const link = dialog.locator(".result-links li", { hasText: "Video meeting" }).locator("a");
    assert.match(await link.getAttribute("href"), /^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.match(await dialog.locator(".result-json").innerText(), /Kick-off with Ada/);
  });

  test("the action dialog passes the accessibility check", async () => {
    assert.deepEqual(await axeViolations(page), []);
    await page.locator("#action-dialog").getByRole("button", { name: "Close" }).click();
  });

  test("sends an e-mail from the page", async () => {
    const dialog = await openActionDialog(providers[1], "send_email");
    const to = dialog.getByRole("group", { name: /^To/ }).first();
    await to.getByLabel(/^Email/).fill("ada@example.com");
    await dialog.getByLabel(/^Subject/).fill("Hello from the integrations page");
    await dialog.getByLabel("Text body").fill("It works.");
    assert.match(await runAndWait(dialog), /Send email: done/);
    await dialog.getByRole("button", { name: "Close" }).click();
    const mailbox = await sim.admin("GET", "gmail/messages?account=ada%40example.com");
    assert.match(JSON.stringify(mailbox), /Hello from the integrations page/);
  });

  test("uploads a file from the page", async () => {
    const dialog = await openActionDialog(providers[2], "upload_file");
    await dialog.getByLabel(/^Content/).setInputFiles({
      name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("meeting notes\n"),
    });
    // Picking the file fills its name and media type (once the browser has read it).
    const name = dialog.getByLabel(/^Name/);
    for (let i = 0; i < 50 && (await name.inputValue()) === ""; i += 1) await sleep(100);
    assert.equal(await name.inputValue(), "notes.txt");
    assert.equal(await dialog.getByLabel(/^MIME type/).inputValue(), "text/plain");
    assert.match(await runAndWait(dialog), /Upload file: done/);
    assert.match(await dialog.locator(".result-json").innerText(), /notes\.txt/);
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  test("creates a CRM contact from the page, and shows a refused value beside its field", async () => {
    const dialog = await openActionDialog(providers[3], "create_contact");
    await dialog.getByLabel(/^Email/).fill("grace@example.com");
    await dialog.getByLabel("First name").fill("Grace");
    assert.match(await runAndWait(dialog), /Create contact: done/);
    assert.match(await dialog.locator(".result-json").innerText(), /grace@example\.com/);
    // The same contact again: HubSpot refuses it, and the page says so in words.
    await dialog.getByRole("button", { name: "Run the action" }).click();
    await waitForText(dialog.locator(".result-error"), /./, 60000);
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  test("refreshes a connector", async () => {
    const card = connectorCards(page, "google_calendar").first();
    await card.getByRole("button", { name: /^Refresh/ }).click();
    await waitForText(card, /Access renewed just now/);
    assert.doesNotMatch(await card.locator(".facts").innerText(), /Last refreshed\s+Not yet/);
    // The focus stays on the button that was pressed.
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ""), /^Refresh/);
  });

  test("says so when the person denies consent, and when the state is replayed", async () => {
    const before = callbacks.length;
    await connect(page, providers[1], {
      email: "other@example.com",
      name: "Second mail",
      decision: "Deny",
      // The simulator's consent page is for people too.
      atConsent: async () => assert.deepEqual(await axeViolations(page), []),
    });
    await waitForText(notice(page), /You declined access at Gmail/);
    assert.equal(await page.locator(".connector-card").count(), 4);
    const denied = callbacks.slice(before).find((url) => url.includes("error=access_denied"));
    assert.ok(denied, "the simulator redirected to the callback with error=access_denied");
    // The same callback again: its state was used once already.
    await page.goto(denied);
    await waitForText(notice(page), /expired or was already used/);
  });

  test("says so when the provider is down during the connection", async () => {
    await sim.admin("POST", "faults", { kind: "error", prefix: "/oauth2.googleapis.com/token", status: 503, count: 50 });
    try {
      await connect(page, providers[2], { email: "second.drive@example.com", name: "Second files" });
      await waitForText(notice(page), /Google Drive did not finish the sign-in.*may be down/);
    } finally {
      await sim.admin("DELETE", "faults");
    }
    assert.equal(await page.locator(".connector-card").count(), 4);
  });

  test("says so when the provider is down during an action", async () => {
    await sim.admin("POST", "faults", { kind: "error", prefix: "/www.googleapis.com/calendar/", status: 503, count: 50 });
    try {
      const dialog = await openActionDialog(providers[0], "list_events");
      await dialog.getByRole("button", { name: "Run the action" }).click();
      await waitForText(dialog.locator(".result-error"), /Google Calendar is not reachable right now/, 60000);
      await dialog.getByRole("button", { name: "Close" }).click();
    } finally {
      await sim.admin("DELETE", "faults");
    }
  });

  test("disconnects only after the confirmation", async () => {
    const card = connectorCards(page, "hubspot").first();
    await card.getByRole("button", { name: /^Disconnect/ }).click();
    const confirm = page.locator("#confirm-dialog");
    await confirm.waitFor({ state: "visible" });
    assert.match(await confirm.innerText(), /Disconnect Sales CRM\?/);
    // Cancel has the focus first, and keeps everything.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "confirm-cancel");
    await page.keyboard.press("Enter");
    await confirm.waitFor({ state: "hidden" });
    assert.equal(await connectorCards(page, "hubspot").count(), 1);

    await card.getByRole("button", { name: /^Disconnect/ }).click();
    await confirm.getByRole("button", { name: "Disconnect" }).click();
    await waitForGone(connectorCards(page, "hubspot"));
    await waitForText(notice(page), /Sales CRM is disconnected/);
    assert.equal(await page.locator(".connector-card").count(), 3);
  });

  test("says so when a connection's state has expired", async () => {
    const waited = Date.now() - waitingSince;
    const remaining = stateTtlSeconds * 1000 + 2000 - waited;
    if (remaining > 0) await sleep(remaining);
    await Promise.all([
      waitingPage.waitForURL((url) => url.href.startsWith(host.base) && url.pathname === "/settings/integrations"),
      waitingPage.getByRole("button", { name: "Allow", exact: true }).click(),
    ]);
    await waitForText(notice(waitingPage), /expired or was already used/);
    await waitingPage.close();
  });

  // The confirm mode of the connect flow (the default): the callback comes back with a
  // one-time `completion` code, which the page confirms with POST /api/v1/connectors/complete.
  test("finishes a connection that comes back to a tab not signed in", async () => {
    // The provider's return is caught before it loads, and opened in a fresh tab instead.
    // Playwright routes only the first request of a redirect chain (the consent form's POST;
    // the callback and the page come after it by redirects), so that POST is routed: it runs
    // at the simulator, the callback it redirects to runs at the host, both without following
    // redirects, and the browser gets a 204 and stays where it is.
    let returnUrl = null;
    const isConsent = (url) => url.href.startsWith(sim.base);
    await page.route(isConsent, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const consent = await route.fetch({ maxRedirects: 0 });
      const callback = new URL(consent.headers()["location"], sim.base).href;
      const back = await page.request.get(callback, { maxRedirects: 0 });
      returnUrl = new URL(back.headers()["location"], host.base).href;
      await route.fulfill({ status: 204 });
    });
    try {
      const card = providerCard(page, "hubspot");
      await card.getByLabel("Name for the connection").fill("Second CRM");
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(sim.base)),
        card.getByRole("button", { name: /^Connect HubSpot/ }).click(),
      ]);
      await page.getByLabel("Account e-mail").fill("second.crm@example.com");
      await page.getByRole("button", { name: "Allow", exact: true }).click();
      for (let i = 0; i < 100 && !returnUrl; i += 1) await sleep(100);
    } finally {
      await page.unroute(isConsent);
    }
    assert.ok(returnUrl && new URL(returnUrl).searchParams.has("completion"),
      "the callback sent the browser back with a completion code");
    const fresh = await browser.context.newPage();
    await fresh.goto(returnUrl);
    await waitForText(notice(fresh), /Sign in to finish connecting HubSpot/);
    assert.equal(new URL(fresh.url()).search, "", "the completion code left the address bar");
    await fresh.getByRole("button", { name: "Use the demo key" }).click();
    await waitForText(notice(fresh), /HubSpot is connected as second\.crm@example\.com/);
    await waitForText(connectorCards(fresh, "hubspot"), /Active/);
    await fresh.close();
  });

  test("says so when a completion code is unknown or used", async () => {
    await page.goto(host.url("/settings/integrations?success=true&provider=gmail&completion=not-a-real-code"));
    await waitForText(notice(page), /Gmail was not connected/);
    await waitForText(notice(page), /could not be confirmed: the confirmation expired or was already used/);
  });

  test("signs out, and in again with a pasted JWT", async () => {
    await page.goto(host.url("/settings/integrations"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.locator("#sign-in").waitFor({ state: "visible" });
    await page.locator("#session").waitFor({ state: "hidden" });
    assert.equal(await page.locator(".connector-card").count(), 0);
    const token = signJwt({
      sub: "jwt-user", email: "jwt.user@example.com", tenant_id: "browser-tenant",
      iss: "https://id.browser.test", aud: "switchboard",
      iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600,
    }, jwtSecret);
    await page.getByLabel("API key or token").fill(token);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await waitForText(page.locator("#session-label"), /Signed in as jwt\.user@example\.com/);
    // The tenant's accounts, whoever of the tenant connected them.
    await waitForText(connectorCards(page, "google_calendar"), /Active/);
    // A reload keeps the sign-in for this tab.
    await page.reload();
    await waitForText(page.locator("#session-label"), /jwt\.user@example\.com/);
  });

  test("can be used with the keyboard alone", async () => {
    await page.goto(host.url("/settings/integrations"));
    await waitForText(connectorCards(page, "google_calendar"), /Active/);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.className), "skip-link");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    // Tab reaches a card's "Try an action", Enter opens the dialog, Escape closes it.
    for (let i = 0; i < 40; i += 1) {
      await page.keyboard.press("Tab");
      if (/^Try an action/.test(await page.evaluate(() => document.activeElement?.textContent ?? ""))) break;
    }
    await page.keyboard.press("Enter");
    await page.locator("#action-dialog").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await page.locator("#action-dialog").waitFor({ state: "hidden" });
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ""), /^Try an action/);
  });
});
