// The official MCP TypeScript SDK client against the real host and provider-sim: initialize,
// the tools of a tenant with four connectors, calls through the same path as the REST API, a
// validation error as isError, notifications/tools/list_changed on connect and disconnect,
// a choice between two calendars, and the transport's refusals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { World } from './harness.mjs';

const world = new World();
let tenantA;
let tenantB;
const clients = [];

async function connectClient(key, onListChanged) {
  const client = new Client({ name: 'switchboard-mcp-test', version: '1.0.0' });
  if (onListChanged) client.setNotificationHandler(ToolListChangedNotificationSchema, onListChanged);
  const transport = new StreamableHTTPClientTransport(world.mcpUrl(), {
    requestInit: { headers: world.headers(key) },
  });
  await client.connect(transport);
  clients.push({ client, transport });
  return { client, transport };
}

function errorOf(result) {
  assert.equal(result.isError, true, JSON.stringify(result));
  return JSON.parse(result.content[0].text).error;
}

describe('MCP client (official TypeScript SDK) against switchboard', () => {
  before(async () => {
    await world.start();
    [tenantA, tenantB] = world.keys;
    await world.connect(tenantA, 'calendar', 'google_calendar', 'Work');
    await world.connect(tenantA, 'email', 'gmail', 'Mail');
    await world.connect(tenantA, 'crm', 'hubspot', 'Sales');
    await world.connect(tenantA, 'drive', 'google_drive', 'Files');
  });

  after(async () => {
    for (const { client } of clients) await client.close().catch(() => {});
    await world.stop();
  });

  test('initialize negotiates the latest revision and opens a session', async () => {
    const { client, transport } = await connectClient(tenantA);
    assert.equal(transport.protocolVersion ?? LATEST_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION);
    assert.equal(LATEST_PROTOCOL_VERSION, '2025-11-25');
    assert.ok(transport.sessionId && /^[\x21-\x7e]{32,}$/.test(transport.sessionId), transport.sessionId);
    assert.equal(client.getServerVersion().name, 'switchboard');
    assert.deepEqual(client.getServerCapabilities().tools, { listChanged: true });
    assert.deepEqual(await client.ping(), {});
  });

  test('tools/list: one tool per action of the four connectors, and the seed tools', async () => {
    const { client } = await connectClient(tenantA);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    console.log(`tools for a tenant with four connectors (${names.length}): ${names.join(', ')}`);
    for (const name of ['calendar_create_event', 'calendar_list_events', 'email_send_email',
      'crm_create_contact', 'drive_upload_file', 'book_meeting_via_connector',
      'send_email_via_connector', 'create_crm_contact']) {
      assert.ok(names.includes(name), `${name} missing from ${names}`);
    }
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.equal(tool.outputSchema.type, 'object', tool.name);
      assert.ok(tool.description.length > 20, tool.name);
      assert.match(tool.name, /^[a-z0-9_]{1,64}$/);
    }
    const create = tools.find((t) => t.name === 'calendar_create_event');
    assert.deepEqual(create.inputSchema.required, ['summary', 'start', 'end']);
    assert.ok(create.inputSchema.definitions.EventTime, 'schemas are self-contained');
    assert.match(create.description, /'Work' \(google_calendar, sim\.user@example\.com\)/);
    assert.equal(create.inputSchema.properties.connector, undefined, 'one calendar: no choice');
  });

  test('tools/call runs calendar.create_event with a Meet link, as structured content', async () => {
    const { client } = await connectClient(tenantA);
    const result = await client.callTool({
      name: 'calendar_create_event',
      arguments: {
        summary: 'Kick-off',
        start: { date_time: '2026-05-04T10:00:00+02:00' },
        end: { date_time: '2026-05-04T10:30:00+02:00' },
        attendees: [{ email: 'ada@example.com' }],
        video_conference: true,
      },
    });
    assert.equal(result.isError, false, JSON.stringify(result));
    assert.match(result.structuredContent.video_conference_link, /^https:\/\/meet\.google\.com\//);
    assert.ok(result.structuredContent.id);
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  });

  test('book_meeting_via_connector: the seed tool answers success, event_id, video_link', async () => {
    const { client } = await connectClient(tenantA);
    const result = await client.callTool({
      name: 'book_meeting_via_connector',
      arguments: {
        title: 'Demo', start_time: '2026-05-05T15:00:00+02:00', duration_minutes: 45,
        attendees: ['grace@example.com'],
      },
    });
    assert.equal(result.isError, false, JSON.stringify(result));
    const answer = result.structuredContent;
    assert.equal(answer.success, true);
    assert.ok(answer.event_id);
    assert.match(answer.video_link, /^https:\/\/meet\.google\.com\//);
    assert.equal(answer.end_time, '2026-05-05T15:45:00+02:00');
  });

  test('send_email_via_connector and create_crm_contact reach the providers', async () => {
    const { client } = await connectClient(tenantA);
    const sent = await client.callTool({
      name: 'send_email_via_connector',
      arguments: { to: ['ada@example.com'], subject: 'Notes', body: 'See you Monday.' },
    });
    assert.equal(sent.structuredContent.success, true, JSON.stringify(sent));
    assert.ok(sent.structuredContent.message_id);
    const mailbox = await world.sim_admin('GET', '/_admin/gmail/messages?account=sim.user@example.com');
    assert.ok(JSON.stringify(mailbox).includes('See you Monday.'), JSON.stringify(mailbox));
    const contact = await client.callTool({
      name: 'create_crm_contact',
      arguments: { email: 'lin@example.com', name: 'Lin Wei', company: 'Acme' },
    });
    assert.equal(contact.structuredContent.success, true, JSON.stringify(contact));
    assert.ok(contact.structuredContent.contact_id);
  });

  test('a validation error is a tool error (isError) with the API code and field', async () => {
    const { client } = await connectClient(tenantA);
    const result = await client.callTool({
      name: 'calendar_create_event',
      arguments: { summary: 'Bad', start: { date_time: 'tomorrow' }, end: { date_time: '2026-05-04T10:30:00Z' } },
    });
    const error = errorOf(result);
    assert.equal(error.code, 'invalid_params');
    assert.equal(error.field, '/start/date_time');
    const seed = await client.callTool({
      name: 'book_meeting_via_connector',
      arguments: { title: 'x', start_time: '2026-05-05T15:00:00Z', duration_minutes: 0, attendees: [] },
    });
    assert.equal(errorOf(seed).code, 'invalid_params');
  });

  test('an unknown tool is a JSON-RPC invalid params error', async () => {
    const { client } = await connectClient(tenantA);
    await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }),
      (e) => e.code === -32602 && /Unknown tool/.test(e.message));
  });

  test('list_changed reaches a client when its tenant connects and disconnects', async () => {
    let changes = 0;
    let wake = () => {};
    const { client } = await connectClient(tenantB, () => { changes += 1; wake(); });
    const waitChange = (what, seen) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no list_changed within 15 s after ${what}`)), 15000);
      wake = () => { if (changes > seen) { clearTimeout(timer); resolve(); } };
      wake();
    });
    assert.deepEqual((await client.listTools()).tools, []);
    // The client opens its GET stream after initialized; give it a moment to be waiting.
    await new Promise((r) => setTimeout(r, 500));

    const before = changes;
    const connector = await world.connect(tenantB, 'calendar', 'google_calendar', 'Team');
    await waitChange('connect', before);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('calendar_create_event') && names.includes('book_meeting_via_connector'), names);

    const afterConnect = changes;
    const removed = await world.api(tenantB, 'DELETE', `/api/v1/connectors/${connector.id}`);
    assert.ok(removed.status === 204 || removed.status === 200, JSON.stringify(removed));
    await waitChange('disconnect', afterConnect);
    assert.deepEqual((await client.listTools()).tools, []);

    // Seed behaviour on the REST API: no calendar is an answer, not a crash.
    const none = await world.api(tenantB, 'POST', '/api/v1/assistant/book_meeting_via_connector', {
      title: 'x', start_time: '2026-05-05T15:00:00Z', duration_minutes: 30, attendees: [],
    });
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { success: false, error: 'No calendar connected', code: 'no_active_connector' });
  });

  test('two calendars: the tools take a required connector argument naming one', async () => {
    const { client } = await connectClient(tenantA);
    const personal = await world.connect(tenantA, 'calendar', 'google_calendar', 'Personal', 'other@example.com');
    const { tools } = await client.listTools();
    const create = tools.find((t) => t.name === 'calendar_create_event');
    assert.deepEqual(create.inputSchema.properties.connector.enum.sort(), ['Personal', 'Work']);
    assert.ok(create.inputSchema.required.includes('connector'));
    const ambiguous = await client.callTool({
      name: 'book_meeting_via_connector',
      arguments: { title: 'x', start_time: '2026-05-05T09:00:00Z', duration_minutes: 15, attendees: [] },
    });
    assert.equal(ambiguous.structuredContent.success, false);
    assert.equal(ambiguous.structuredContent.code, 'ambiguous_connector');
    const booked = await client.callTool({
      name: 'book_meeting_via_connector',
      arguments: { title: 'Dentist', start_time: '2026-05-05T09:00:00Z', duration_minutes: 15,
        attendees: [], video_conference: false, connector: 'Personal' },
    });
    assert.equal(booked.structuredContent.success, true, JSON.stringify(booked));
    assert.equal(booked.structuredContent.connector_id, personal.id);
    assert.equal(booked.structuredContent.video_link, null);
    const event = await client.callTool({
      name: 'calendar_list_events',
      arguments: { time_min: '2026-05-05T00:00:00Z', time_max: '2026-05-06T00:00:00Z', connector: 'Personal' },
    });
    assert.equal(event.isError, false, JSON.stringify(event));
    assert.ok(event.structuredContent.events.some((e) => e.summary === 'Dentist'));
  });

  test('the transport refuses what the spec says to refuse', async () => {
    const url = world.mcpUrl();
    const init = {
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    const post = (headers, body) => fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    assert.equal((await post({}, init)).status, 401, 'no credential');
    const evil = await post(world.headers(tenantA, { Origin: 'http://evil.example.com' }), init);
    assert.equal(evil.status, 403);
    assert.equal((await evil.json()).error.code, -32600);
    const local = await post(world.headers(tenantA, { Origin: `http://localhost:${url.port}` }), init);
    assert.equal(local.status, 200);
    const session = local.headers.get('mcp-session-id');
    assert.ok(session);

    const parse = await post(world.headers(tenantA, { 'Mcp-Session-Id': session }), '{"jsonrpc":');
    assert.equal(parse.status, 400);
    assert.equal((await parse.json()).error.code, -32700);
    const noSession = await post(world.headers(tenantA), { jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal(noSession.status, 400);
    const unknown = await post(world.headers(tenantA, { 'Mcp-Session-Id': 'nope' }), { jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal(unknown.status, 404);
    const stolen = await post(world.headers(tenantB, { 'Mcp-Session-Id': session }), { jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal(stolen.status, 404, "another tenant's session is unknown");
    const badVersion = await post(world.headers(tenantA, { 'Mcp-Session-Id': session, 'MCP-Protocol-Version': '1999-01-01' }),
      { jsonrpc: '2.0', id: 2, method: 'ping' });
    assert.equal(badVersion.status, 400);
    const inSession = world.headers(tenantA, { 'Mcp-Session-Id': session, 'MCP-Protocol-Version': '2025-11-25' });
    const missing = await (await post(inSession, { jsonrpc: '2.0', id: 3, method: 'resources/list' })).json();
    assert.equal(missing.error.code, -32601);
    const invalid = await post(inSession, { jsonrpc: '1.0', id: 4, method: 'ping' });
    assert.equal(invalid.status, 400);
    assert.equal((await invalid.json()).error.code, -32600);
    const badParams = await (await post(inSession, { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { arguments: {} } })).json();
    assert.equal(badParams.error.code, -32602);
    const batch = await post(inSession, [{ jsonrpc: '2.0', id: 6, method: 'ping' }]);
    assert.equal(batch.status, 400, 'no batches in 2025-11-25');
    const note = await post(inSession, { jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(note.status, 202);
    const ended = await fetch(url, { method: 'DELETE', headers: inSession });
    assert.equal(ended.status, 204);
    assert.equal((await post(inSession, { jsonrpc: '2.0', id: 7, method: 'ping' })).status, 404);
  });

  test('a 2025-03-26 client: its revision, batches, no structured content', async () => {
    const url = world.mcpUrl();
    const post = (headers, body) => fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...world.headers(tenantA), ...headers },
      body: JSON.stringify(body),
    });
    const init = await post({}, { jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'old', version: '1' } } });
    assert.equal((await init.json()).result.protocolVersion, '2025-03-26');
    const headers = { 'Mcp-Session-Id': init.headers.get('mcp-session-id'), 'MCP-Protocol-Version': '2025-03-26' };
    const batch = await post(headers, [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
    ]);
    assert.equal(batch.status, 200);
    const answers = await batch.json();
    assert.deepEqual(answers.map((a) => a.id), [2, 3]);
    const tool = answers[1].result.tools.find((t) => t.name === 'calendar_list_events');
    assert.equal(tool.outputSchema, undefined);
    const future = await post({}, { jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2099-01-01', capabilities: {}, clientInfo: { name: 'new', version: '1' } } });
    assert.equal((await future.json()).result.protocolVersion, '2025-11-25');
  });
});
