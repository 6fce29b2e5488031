import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { LISTENER_KINDS, type ListenerKind } from '../support/fixtures/listener-routes.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

const SESSION_ID = 'session-trust-01';
const CLIENT_BAGGAGE = 'user.id=mallory,planted=evil';

/** The route of each kind, and whether the client sends a body (arriving 300 ms after the headers). */
const ROUTES: Readonly<Record<ListenerKind, { method: 'GET' | 'POST'; path: string }>> = {
  'request-end': { method: 'POST', path: '/api/listeners/request-end' },
  'response-finish': { method: 'GET', path: '/api/listeners/response-finish' },
  timer: { method: 'POST', path: '/api/listeners/timer' },
  emitter: { method: 'POST', path: '/api/listeners/emitter' },
  pipeline: { method: 'POST', path: '/api/listeners/pipeline' },
  job: { method: 'POST', path: '/api/listeners/job' },
};

/** Sends the client's baggage; a body, if any, follows the headers 300 ms later. */
function callAsClient(service: ServiceProcess, kind: ListenerKind): Promise<number> {
  const { method, path } = ROUTES[kind];
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${service.url}${path}`, {
      method,
      headers: { 'x-session-id': SESSION_ID, baggage: CLIENT_BAGGAGE, 'content-type': 'text/plain' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    if (method === 'GET') {
      req.end();
      return;
    }
    req.flushHeaders();
    setTimeout(() => req.end('a body that arrives late'), 300);
  });
}

function entries(header: string | string[] | undefined): Record<string, string> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return Object.fromEntries(
    text
      .split(',')
      .filter((entry) => entry.trim() !== '')
      .map((entry) => entry.trim().split('=') as [string, string]),
  );
}

/** What the downstream received from the call of `kind`: its baggage and the context's. */
async function callOf(downstream: RecordingDownstream, kind: ListenerKind): Promise<{ outgoing: Record<string, string>; context: Record<string, string> }> {
  const find = () => downstream.received.find((headers) => headers['x-call'] === kind);
  await waitFor(`the outgoing call made from '${kind}' to reach the downstream`, () => find() !== undefined);
  const headers = find()!;
  return { outgoing: entries(headers.baggage), context: entries(headers['x-context-baggage']) };
}

describe('the baggage trust boundary, in code that runs outside the middleware chain', function () {
  this.timeout(60_000);

  let downstream: RecordingDownstream;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await downstream.close();
  });

  async function start(trusted: boolean): Promise<ServiceProcess> {
    // The fixture service mounts the listener routes when it has a downstream to call.
    return startServiceProcess({
      TEST_DOWNSTREAM_URL: downstream.url,
      PROPAGATE_USER_ID: 'true',
      TRUST_INCOMING_BAGGAGE: String(trusted),
      OTEL_TRACES_EXPORTER: 'none',
    });
  }

  for (const kind of LISTENER_KINDS) {
    it(`at an untrusted edge, neither the client's user.id nor its other entries leave from '${kind}', nor does any context hold them`, async () => {
      service = await start(false);
      expect(await callAsClient(service, kind)).to.equal(200);
      const { outgoing, context } = await callOf(downstream, kind);
      // The session goes out from the store: the request's, or the job's own.
      expect(outgoing).to.deep.equal({ 'session.id': kind === 'job' ? 'job-session-0001' : SESSION_ID });
      expect(context).to.not.have.any.keys('user.id', 'planted');
    });

    it(`at a trusted internal service, the caller's user.id and other entries do travel on from '${kind}'`, async () => {
      service = await start(true);
      expect(await callAsClient(service, kind)).to.equal(200);
      const { outgoing, context } = await callOf(downstream, kind);
      expect(context).to.include({ planted: 'evil' });
      if (kind === 'job') {
        // A job is a session of its own: the caller's user is not its user.
        expect(outgoing).to.deep.equal({ 'session.id': 'job-session-0001', planted: 'evil' });
      } else {
        expect(outgoing).to.deep.equal({ 'session.id': SESSION_ID, 'user.id': 'mallory', planted: 'evil' });
      }
    });
  }
});
