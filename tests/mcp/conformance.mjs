// The MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against the
// real host with a tenant of four connectors, through auth_proxy.mjs (the suite cannot send a
// credential). Scenarios that need what switchboard does not offer are listed, with why, in
// conformance-baseline.yml; the suite fails if any other scenario fails or a listed one
// passes. Prints each scenario's checks and the closing line "N passed, N failed".
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthProxy } from './auth_proxy.mjs';
import { World } from './harness.mjs';

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600000);
    child.on('exit', (code) => { clearTimeout(timer); resolve(code ?? 1); });
  });
}

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const world = new World();
let proxy;
let output;
let exitCode = 1;
try {
  await world.start();
  const [tenant] = world.keys;
  await world.connect(tenant, 'calendar', 'google_calendar', 'Work');
  await world.connect(tenant, 'email', 'gmail', 'Mail');
  await world.connect(tenant, 'crm', 'hubspot', 'Sales');
  await world.connect(tenant, 'drive', 'google_drive', 'Files');
  proxy = await startAuthProxy(world.baseUrl, tenant.key);
  output = mkdtempSync(join(tmpdir(), 'switchboard-conformance-'));
  // Asynchronously: the proxy answers from this process's event loop meanwhile.
  exitCode = await run(process.execPath, [cli, 'server', '--url', `${proxy.url}/mcp`,
    '--suite', 'all', '--expected-failures', join(here, 'conformance-baseline.yml'),
    '--output-dir', output]);

  // Per scenario: its checks' statuses, from the suite's results folder.
  let passed = 0;
  let failed = 0;
  const expected = readFileSync(join(here, 'conformance-baseline.yml'), 'utf8');
  for (const entry of readdirSync(output).sort()) {
    const folder = join(output, entry);
    if (!statSync(folder).isDirectory()) continue;
    let checks;
    try { checks = JSON.parse(readFileSync(join(folder, 'checks.json'), 'utf8')); } catch { continue; }
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    const failures = checks.filter((c) => c.status === 'FAILURE');
    const listed = new RegExp(`^\\s*- ${scenario}\\s*$`, 'm').test(expected);
    const summary = checks.map((c) => `${c.id}:${c.status}`).join(' ');
    if (listed) {
      console.log(`not applicable: ${scenario} (${failures.length} failing checks)`);
    } else if (failures.length === 0) {
      passed += 1;
      console.log(`applies, passes: ${scenario}: ${summary}`);
    } else {
      failed += 1;
      console.log(`applies, FAILS: ${scenario}: ${summary}`);
      for (const f of failures) console.log(`  ${f.id}: ${f.errorMessage ?? ''}`);
    }
  }
  if (passed + failed === 0) {
    console.log('the conformance suite produced no results');
    exitCode = 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) exitCode = 1;
} catch (error) {
  console.error(error);
  console.error(world.log().slice(-4000));
  exitCode = 1;
} finally {
  await proxy?.close();
  await world.stop();
  if (output) rmSync(output, { recursive: true, force: true });
}
process.exit(exitCode);
