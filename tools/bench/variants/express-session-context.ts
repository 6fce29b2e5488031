/** Variant 3: Express + this project's session middleware, no telemetry. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import express from 'express';
import { getByKey, SessionMapKey, sessionContext } from '../../../src/core/index.ts';
import { stopOnSigterm, port, type SessionBody } from './respond.ts';

const app = express();
app.use(sessionContext());
app.get('/api/session', async (_req, res) => {
  await nextTurn();
  const body: SessionBody = { sessionId: getByKey(SessionMapKey.SESSION_ID) ?? null, userId: getByKey(SessionMapKey.USER_ID) ?? null, traceId: null };
  res.json(body);
});
stopOnSigterm(app.listen(port(), '127.0.0.1'));
