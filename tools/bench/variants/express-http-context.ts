/** Variant 5: Express + express-http-context, the session id set from the header. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import express from 'express';
import httpContext from 'express-http-context';
import { stopOnSigterm, port, type SessionBody } from './respond.ts';

const app = express();
app.use(httpContext.middleware);
app.use((req, res, next) => {
  const header = req.headers['x-session-id'];
  const sessionId = typeof header === 'string' ? header : crypto.randomUUID();
  httpContext.set('sessionId', sessionId);
  res.setHeader('x-session-id', sessionId);
  next();
});
app.get('/api/session', async (_req, res) => {
  await nextTurn();
  const sessionId: unknown = httpContext.get('sessionId');
  const body: SessionBody = { sessionId: typeof sessionId === 'string' ? sessionId : null, userId: null, traceId: null };
  res.json(body);
});
stopOnSigterm(app.listen(port(), '127.0.0.1'));
