/** Variant 2, the reference: bare Express 5. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import express from 'express';
import { stopOnSigterm, port, type SessionBody } from './respond.ts';

const app = express();
app.get('/api/session', async (req, res) => {
  await nextTurn();
  const sessionId = req.headers['x-session-id'];
  const body: SessionBody = { sessionId: typeof sessionId === 'string' ? sessionId : null, userId: null, traceId: null };
  res.json(body);
});
stopOnSigterm(app.listen(port(), '127.0.0.1'));
