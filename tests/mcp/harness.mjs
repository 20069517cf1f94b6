// The real host and provider-sim as child processes on free loopback ports, for the MCP
// tests: the host with an API key for two tenants, the four shipped plugins pointed at the
// simulator, a fresh SQLite database in a temporary folder. Paths come from the environment
// CTest sets (tests/mcp/CMakeLists.txt).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FRONTEND = 'https://app.mcp.test';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through CTest (label mcp)`);
  return value;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

// An API key and the tenant it stands for; the config holds only its SHA-256.
function apiKey(tenant, user) {
  const key = `sbk_mcp_${tenant}_${randomBytes(16).toString('hex')}`;
  return { key, tenant, user, digest: createHash('sha256').update(key).digest('hex') };
}

export class World {
  async start({ mcp = {} } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'switchboard-mcp-'));
    // The simulator first: the host's provider overrides name its port.
    const simPort = await freePort();
    this.simUrl = `http://127.0.0.1:${simPort}`;
    const simArgs = ['--port', String(simPort), '--auto-approve'];
    if (process.env.SB_SPECS_DIR) simArgs.push('--specs-dir', process.env.SB_SPECS_DIR);
    this.sim = spawn(required('SB_PROVIDER_SIM_EXE'), simArgs, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`${this.simUrl}/_admin/health`, this.sim, 'provider-sim');

    this.keys = [apiKey('tenant-a', 'user-a'), apiKey('tenant-b', 'user-b')];
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const s = this.simUrl;
    const google = (api) => ({
      overrides: {
        authorize_url: `${s}/accounts.google.com/o/oauth2/v2/auth`,
        token_url: `${s}/oauth2.googleapis.com/token`,
        revoke_url: `${s}/oauth2.googleapis.com/revoke`,
        identity_url: `${s}/openidconnect.googleapis.com/v1/userinfo`,
        api_base_url: `${s}/${api}`,
      },
    });
    const config = {
      server: { listen: '127.0.0.1', port, io_threads: 1, worker_threads: 4 },
      log: { format: 'json', level: 'info' },
      database: { url: `sqlite://${join(this.dir, 'switchboard.db')}` },
      state_store: { backend: 'sql' },
      public_urls: { api_base_url: this.baseUrl },
      auth: {
        api_keys: this.keys.map((k) => ({ key_sha256: k.digest, tenant_id: k.tenant, user_id: k.user })),
      },
      mcp,
      providers: {
        google_calendar: google('www.googleapis.com'),
        gmail: google('gmail.googleapis.com'),
        google_drive: google('www.googleapis.com'),
        hubspot: {
          overrides: {
            api_base_url: `${s}/api.hubapi.com`,
            authorize_url: `${s}/app.hubspot.com/oauth/authorize`,
            token_url: `${s}/api.hubapi.com/oauth/v1/token`,
            revoke_url: `${s}/api.hubapi.com/oauth/v1/refresh-tokens/{token}`,
            identity_url: `${s}/api.hubapi.com/oauth/v1/access-tokens/{access_token}`,
          },
        },
      },
    };
    const configFile = join(this.dir, 'switchboard.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    this.logFile = join(this.dir, 'switchboard.log');
    const env = {
      PATH: process.env.PATH,
      CONNECTOR_ENCRYPTION_KEY: `${randomBytes(32).toString('base64url')}=`,
      GOOGLE_CLIENT_ID: 'sim-google-client-id',
      GOOGLE_CLIENT_SECRET: 'sim-google-client-secret',
      HUBSPOT_CLIENT_ID: 'sim-hubspot-client-id',
      HUBSPOT_CLIENT_SECRET: 'sim-hubspot-client-secret',
      FRONTEND_URL: FRONTEND,
    };
    const { openSync } = await import('node:fs');
    const log = openSync(this.logFile, 'w');
    this.host = spawn(required('SB_SWITCHBOARD_EXE'),
      ['serve', '--config', configFile, '--plugins-dir', required('SB_PLUGINS_DIR')],
      { env, stdio: ['ignore', log, log] });
    try {
      await waitFor(`${this.baseUrl}/healthz`, this.host, 'switchboard');
    } catch (error) {
      throw new Error(`${error.message}\n${this.log().slice(-4000)}`);
    }
    return this;
  }

  log() {
    try { return readFileSync(this.logFile, 'utf8'); } catch { return ''; }
  }

  async stop() {
    await Promise.all([stop(this.host), stop(this.sim)]);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  mcpUrl() { return new URL('/mcp', this.baseUrl); }

  headers(key, extra = {}) {
    return { Authorization: `Bearer ${key.key}`, ...extra };
  }

  async api(key, method, path, body) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: this.headers(key, body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async sim_admin(method, path, body) {
    const response = await fetch(`${this.simUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status === 204 ? null : response.json();
  }

  // The whole connect flow as a browser makes it: authorize, the simulator's consent (as
  // `account` when given, else its default user, at once), the host's callback, and — when
  // the host asks for it (connect confirmation) — the confirmation with the completion code.
  async connect(key, type, provider, name, account) {
    const start = await this.api(key, 'POST', '/api/v1/connectors/authorize', { type, provider, name });
    if (start.status !== 200) throw new Error(`authorize ${provider}: ${start.status} ${JSON.stringify(start.body)}`);
    let atProvider;
    if (account) {
      await this.sim_admin('PUT', '/_admin/settings', { auto_approve: false });
      try {
        const page = await fetch(start.body.authorization_url, { redirect: 'manual' });
        const html = await page.text();
        const action = new URL(html.match(/action="([^"]+)"/)[1].replaceAll('&amp;', '&'),
          start.body.authorization_url);
        const request = html.match(/name="request" value="([^"]+)"/)[1];
        atProvider = await fetch(action, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request, email: account, decision: 'approve' }).toString(),
        });
      } finally {
        await this.sim_admin('PUT', '/_admin/settings', { auto_approve: true });
      }
    } else {
      atProvider = await fetch(start.body.authorization_url, { redirect: 'manual' });
    }
    if (atProvider.status !== 302) throw new Error(`simulator ${provider}: ${atProvider.status} ${await atProvider.text()}`);
    const back = await fetch(atProvider.headers.get('location'), { redirect: 'manual' });
    if (back.status !== 302) throw new Error(`callback ${provider}: ${back.status} ${await back.text()}`);
    const landed = new URL(back.headers.get('location'));
    if (landed.searchParams.get('success') !== 'true') {
      throw new Error(`connect ${provider} failed: ${landed.search}`);
    }
    const completion = landed.searchParams.get('completion');
    if (completion) {
      const confirmed = await this.api(key, 'POST', '/api/v1/connectors/complete', { completion });
      if (confirmed.status !== 201) throw new Error(`confirm ${provider}: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
      return confirmed.body;
    }
    const listed = await this.api(key, 'GET', '/api/v1/connectors');
    const found = listed.body.connectors.filter((c) => c.name === name && c.provider === provider);
    if (found.length === 0) throw new Error(`no connector ${name} after connecting ${provider}`);
    return found[found.length - 1];
  }
}
