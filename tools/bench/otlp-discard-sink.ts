/**
 * The light telemetry sink of the benchmark, in a process of its own: answers OTLP/HTTP
 * exports as a collector that accepted everything would, and keeps nothing, so that what a
 * variant pays for exporting is its own work and not the receiver's.
 *
 * `POST /v1/traces`, `/v1/logs`, `/v1/metrics`: the body is read and dropped (never parsed
 * nor buffered) and the answer is 200 with the export's empty success response, an empty
 * `Export*ServiceResponse`: zero bytes of `application/x-protobuf`, or `{}` of
 * `application/json` when the request was OTLP/JSON (the exporters' success, with no partial
 * success to report). Any other `POST` is 404.
 * `GET /`: 200 with what it has received, `{"exports":{"/v1/traces":n,…},"bytes":n}`, which
 * also tells the benchmark it is up.
 */
import { createServer } from 'node:http';

const EXPORT_PATHS = new Set(['/v1/traces', '/v1/logs', '/v1/metrics']);
const EMPTY = Buffer.alloc(0);
const EMPTY_JSON = Buffer.from('{}');

const exportsByPath: Record<string, number> = {};
let bytes = 0;

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exports: exportsByPath, bytes }));
    return;
  }
  const path = req.url ?? '';
  if (!EXPORT_PATHS.has(path)) {
    req.resume();
    res.writeHead(404).end();
    return;
  }
  const json = req.headers['content-type']?.startsWith('application/json') === true;
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => {
    exportsByPath[path] = (exportsByPath[path] ?? 0) + 1;
    const body = json ? EMPTY_JSON : EMPTY;
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf', 'content-length': body.length }).end(body);
  });
});
// Exporters keep their connections open between exports, as they do with a collector.
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
