import { get } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { context, type Context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { expect } from 'chai';
import { Router } from 'express';
import { rotateSession } from '../../../src/core/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// A full, synchronous collection on demand: the flag only reaches functions made after it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What the probe route leaves behind: weak references to its request and response. */
interface Probe {
  readonly request: WeakRef<object>;
  readonly response: WeakRef<object>;
  readonly closed: Promise<void>;
}

/**
 * Contexts captured during requests that outlive them, as a timer, a promise or a pooled
 * socket started during a request keeps the context it was started in.
 */
const outliving: Context[] = [];
const outlivingRotations: (() => string)[] = [];
let lastProbe: Probe | undefined;

function probeRoutes(): Router {
  const router = Router();
  router.get('/release/probe', (req, res) => {
    outliving.push(context.active());
    outlivingRotations.push(rotateSessionIn(context.active()));
    lastProbe = {
      request: new WeakRef(req),
      response: new WeakRef(res),
      closed: new Promise<void>((resolve) => {
        res.once('close', () => {
          resolve();
        });
      }),
    };
    res.json({ ok: true });
  });
  return router;
}

/** `rotateSession` as code running later in `captured` would call it. */
function rotateSessionIn(captured: Context): () => string {
  return () => context.with(captured, rotateSession);
}

/** GET `url` on a connection of its own, closed after the answer, untraced; resolves once closed. */
function getOnce(url: string): Promise<number> {
  return context.with(suppressTracing(context.active()), () =>
    new Promise<number>((resolve, reject) => {
      const call = get(url, { agent: false, headers: { connection: 'close', 'x-session-id': 'release-session-0001' } }, (answer) => {
        answer.resume();
        answer.once('close', () => {
          resolve(answer.statusCode ?? 0);
        });
      });
      call.once('error', reject);
    }),
  );
}

describe('a request, once closed (real SDK, in-memory exporters)', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ routers: [probeRoutes()] });
  });

  after(async () => {
    outliving.length = 0;
    outlivingRotations.length = 0;
    await app.close();
  });

  it('leaves nothing of itself reachable from the contexts that outlive it', async () => {
    expect(await getOnce(`${app.url}/api/release/probe`)).to.equal(200);
    const probe = lastProbe!;
    lastProbe = undefined;
    await probe.closed;
    // The request's own callbacks (the close listeners above among them) finish first.
    await nextTurn();
    await nextTurn();
    collectGarbage();

    expect(outliving).to.have.length(1);
    expect(probe.request.deref(), 'the request').to.equal(undefined);
    expect(probe.response.deref(), 'the response').to.equal(undefined);
  });

  it('still refuses a later rotation as after the answer, for code running in its context', async () => {
    expect(await getOnce(`${app.url}/api/release/probe`)).to.equal(200);
    await lastProbe!.closed;
    lastProbe = undefined;

    expect(outlivingRotations.at(-1)).to.throw(/after the response headers were sent/);
  });
});
