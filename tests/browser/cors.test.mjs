// CORS with a real browser: a page served from another origin (another port) calls the
// host's API with fetch and a Bearer key, as the seed's own front end on localhost:3000 does.
// The allowed origin gets its answer (the preflight and the request pass); any other origin
// is blocked by the browser, because the host does not allow it.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { demoApiKey, freePort, launchBrowser, startHost, tempDir } from "./harness.mjs";

/** A plain page on 127.0.0.1:<port>, so that the browser has an origin to call from. */
async function startOrigin() {
  const port = await freePort();
  const server = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>Another front end</title><h1>Another front end</h1>");
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Runs in the page: the API call a front end makes. Answers what the page can see.
async function callApi([url, key]) {
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
    return { ok: true, status: response.status, body: await response.json() };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

describe("CORS in a browser", () => {
  let dir;
  let host;
  let allowed;
  let other;
  let browser;

  before(async () => {
    dir = tempDir("sb-cors-");
    allowed = await startOrigin();
    other = await startOrigin();
    host = await startHost({
      dir,
      config: {
        server: { cors: { allowed_origins: [allowed.origin], allow_credentials: false, max_age_seconds: 600 } },
        providers: { google_calendar: {} },
      },
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await host?.stop();
    await allowed?.close();
    await other?.close();
  });

  test("an allowed origin calls the API with a Bearer key", async () => {
    const page = await browser.context.newPage();
    await page.goto(allowed.origin);
    const result = await page.evaluate(callApi, [host.url("/api/v1/connectors"), demoApiKey]);
    assert.equal(result.ok, true, `the allowed origin was blocked: ${result.error}`);
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { connectors: [] });
    // The public providers list too (a simple request, no preflight).
    const providers = await page.evaluate(callApi, [host.url("/api/v1/connectors/providers"), demoApiKey]);
    assert.equal(providers.ok, true, providers.error);
    assert.ok(Array.isArray(providers.body));
    await page.close();
  });

  test("another origin is blocked by the browser", async () => {
    const page = await browser.context.newPage();
    await page.goto(other.origin);
    const result = await page.evaluate(callApi, [host.url("/api/v1/connectors"), demoApiKey]);
    assert.equal(result.ok, false, "a page of an origin the host does not allow read the API's answer");
    assert.match(result.error, /TypeError|Failed to fetch/);
    await page.close();
  });
});
