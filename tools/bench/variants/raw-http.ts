/** Variant 1, the ceiling: node:http alone, the same route by hand. */
import { createServer } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stopOnSigterm, port, type SessionBody } from './respond.ts';

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/api/session') {
    res.writeHead(404).end();
    return;
  }
  void nextTurn().then(() => {
    const sessionId = req.headers['x-session-id'];
    const body: SessionBody = { sessionId: typeof sessionId === 'string' ? sessionId : null, userId: null, traceId: null };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  });
});
stopOnSigterm(server);
server.listen(port(), '127.0.0.1');
