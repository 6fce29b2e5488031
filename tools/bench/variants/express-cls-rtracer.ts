/** Variant 4: Express + cls-rtracer, taking the id from the x-session-id header. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import rTracer from 'cls-rtracer';
import express from 'express';
import { stopOnSigterm, port, type SessionBody } from './respond.ts';

const app = express();
app.use(rTracer.expressMiddleware({ useHeader: true, headerName: 'x-session-id', echoHeader: true }));
app.get('/api/session', async (_req, res) => {
  await nextTurn();
  const id = rTracer.id();
  const body: SessionBody = { sessionId: typeof id === 'string' ? id : null, userId: null, traceId: null };
  res.json(body);
});
stopOnSigterm(app.listen(port(), '127.0.0.1'));
