// What the browser tests drive: the built `switchboard serve` and `provider-sim` as child
// processes on free loopback ports, and Debian's Chromium, headless, through playwright-core
// (Playwright's own browser download is not used). The executables come from the environment
// CTest sets (tests/browser/CMakeLists.txt); screenshots go to SB_BROWSER_OUTPUT_DIR.

import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const demoApiKey = "sb-demo-key-for-local-use-only";
const demoKeySha256 = "a1b5d292ed522af54a15c0ec7c61f851efc3716262cd321bb1111942e9dfbc3b";

function required(name, hint) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${hint}`);
  if (!existsSync(value)) throw new Error(`${name} names ${value}, which does not exist: ${hint}`);
  return value;
}

export function paths() {
  const build = "build switchboard, provider-sim and the plugins first (run the tests through ctest)";
  return {
    switchboard: required("SB_SWITCHBOARD_EXE", build),
    providerSim: required("SB_PROVIDER_SIM_EXE", build),
    plugins: required("SB_PLUGINS_DIR", build),
  };
}

/** A port no one listens on now (the OS picks it; a tiny window before the child binds it). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

class Child {
  constructor(name, argv, { env, logFile }) {
    this.name = name;
    this.logFile = logFile;
    const log = openSync(logFile, "w");
    this.process = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", log, log] });
    this.exited = new Promise((resolve) => this.process.once("exit", (code, signal) => resolve({ code, signal })));
    this.running = true;
    this.exited.then(() => { this.running = false; });
  }

  log() {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  async stop() {
    if (!this.running) return;
    this.process.kill("SIGTERM");
    const done = await Promise.race([this.exited, sleep(15000).then(() => null)]);
    if (!done) {
      this.process.kill("SIGKILL");
      await this.exited;
    }
  }
}

async function waitForHttp(url, child, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) break;
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const log = child.log().split("\n").slice(-30).join("\n");
  await child.stop();
  throw new Error(`${child.name} did not answer ${url}:\n${log}`);
}

/** provider-sim on a free port; without autoApprove it shows its consent page. */
export async function startProviderSim({ dir, autoApprove = false } = {}) {
  const { providerSim } = paths();
  const port = await freePort();
  const argv = [providerSim, "--port", String(port), "--log-level", "warn"];
  if (autoApprove) argv.push("--auto-approve");
  const child = new Child("provider-sim", argv, { env: {}, logFile: join(dir, "provider-sim.log") });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/_admin/health`, child);
  return {
    base,
    child,
    url: (path) => `${base}${path}`,
    async admin(method, path, body) {
      const response = await fetch(`${base}/_admin/${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`provider-sim ${method} /_admin/${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    stop: () => child.stop(),
  };
}

/** The four shipped providers, each pointed at the simulator (as config/demo.json does). */
export function providerOverrides(sim) {
  const google = (api) => ({
    overrides: {
      api_base_url: sim.url(`/${api}`),
      authorize_url: sim.url("/accounts.google.com/o/oauth2/v2/auth"),
      token_url: sim.url("/oauth2.googleapis.com/token"),
      revoke_url: sim.url("/oauth2.googleapis.com/revoke"),
      identity_url: sim.url("/openidconnect.googleapis.com/v1/userinfo"),
    },
  });
  return {
    google_calendar: google("www.googleapis.com"),
    gmail: google("gmail.googleapis.com"),
    google_drive: google("www.googleapis.com"),
    hubspot: {
      overrides: {
        api_base_url: sim.url("/api.hubapi.com"),
        authorize_url: sim.url("/app.hubspot.com/oauth/authorize"),
        token_url: sim.url("/api.hubapi.com/oauth/v1/token"),
        revoke_url: sim.url("/api.hubapi.com/oauth/v1/refresh-tokens/{token}"),
        identity_url: sim.url("/api.hubapi.com/oauth/v1/access-tokens/{access_token}"),
      },
    },
  };
}

/**
 * `switchboard serve` on a free port with the demo API key, SQLite in `dir`, and `config`
 * merged over that (e.g. providers, server.cors). The front end is the host itself.
 */
export async function startHost({ dir, config = {}, env: extraEnv = {} }) {
  const { switchboard, plugins } = paths();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const full = {
    ...config,
    server: { ...(config.server ?? {}), listen: "127.0.0.1", port },
    log: { format: "text", level: "info" },
    database: { url: `sqlite://${join(dir, "switchboard.db")}` },
    auth: {
      ...(config.auth ?? {}),
      api_keys: [{ key_sha256: demoKeySha256, tenant_id: "browser-tenant", user_id: "browser-user" }],
    },
  };
  const configFile = join(dir, "switchboard.json");
  writeFileSync(configFile, JSON.stringify(full, null, 2));
  const env = {
    // A Fernet key: 32 random bytes in URL-safe base64, padded.
    CONNECTOR_ENCRYPTION_KEY: randomBytes(32).toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
    GOOGLE_CLIENT_ID: "sim-google-client-id",
    GOOGLE_CLIENT_SECRET: "sim-google-client-secret",
    HUBSPOT_CLIENT_ID: "sim-hubspot-client-id",
    HUBSPOT_CLIENT_SECRET: "sim-hubspot-client-secret",
    ...extraEnv,
  };
  const child = new Child("switchboard", [switchboard, "serve", "--config", configFile, "--plugins-dir", plugins],
    { env, logFile: join(dir, "switchboard.log") });
  await waitForHttp(`${base}/readyz`, child);
  return { base, child, url: (path) => `${base}${path}`, stop: () => child.stop(), log: () => child.log() };
}

/** Headless Chromium (Debian's) in a fresh profile; close() also removes the profile. */
export async function launchBrowser() {
  const executablePath = process.env.SB_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: install Debian's chromium package ` +
      "(scripts/install-deps --tests)");
  }
  let playwright;
  try {
    playwright = await import("playwright-core");
  } catch {
    throw new Error("playwright-core is not installed here: run `npm ci` in this folder " +
      "(CTest's browser_npm_ci does)");
  }
  const profile = tempDir("sb-chromium-");
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function outputDir() {
  const output = process.env.SB_BROWSER_OUTPUT_DIR ?? join(tmpdir(), "switchboard-browser-output");
  mkdirSync(output, { recursive: true });
  return output;
}

/** An HS256 JWT of `claims` signed with `secret` (what a product's identity provider issues). */
export function signJwt(claims, secret) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
