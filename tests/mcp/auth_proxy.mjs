// A reverse proxy on loopback that adds `Authorization: Bearer <key>` to every request and
// streams the answer back: the MCP conformance suite connects with a bare URL and cannot
// send a credential, and /mcp, like every API route, requires one. It stands where an API
// gateway would; everything else (Origin, Host, the session headers, the body) passes as is.
import http from 'node:http';

export function startAuthProxy(targetBaseUrl, apiKey) {
  const target = new URL(targetBaseUrl);
  const server = http.createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, authorization: `Bearer ${apiKey}` };
    const upstream = http.request({
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers,
    }, (answer) => {
      outgoing.writeHead(answer.statusCode, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', (error) => {
      outgoing.writeHead(502, { 'Content-Type': 'text/plain' });
      outgoing.end(`proxy: ${error.message}`);
    });
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://localhost:${server.address().port}`,
      close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
    }));
  });
}
