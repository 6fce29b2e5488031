import { expect } from 'chai';
import type { ChainReport, LookupReport } from '../../../../tools/session-traces/report/lookup-report.ts';
import type { JaegerTrace } from '../../../../tools/session-traces/jaeger/jaeger-answer.ts';
import { MAX_CHAIN_LENGTH } from '../../../../tools/session-traces/lookup-args.ts';
import { EXIT, runLookup } from '../../../../tools/session-traces/run-lookup.ts';
import { linkSpansOf, nextSessionsIn, previousSessionIn } from '../../../../tools/session-traces/jaeger/session-links.ts';
import { capturedIo } from '../../support/session-traces/captured-io.ts';
import { jaegerApi, startFakeJaeger, type FakeJaeger } from '../../support/session-traces/fake-jaeger.ts';
import { span } from '../../support/session-traces/fixtures.ts';

const START = Date.UTC(2026, 11, 3, 10, 0, 0) * 1000;

/** A one-span trace of `api` at `offsetS` seconds, with `tags`. */
function trace(traceID: string, offsetS: number, tags: Record<string, string>): JaegerTrace {
  return { traceID, processes: { p1: { serviceName: 'api' } }, spans: [{ ...span('s1', undefined, 'p1', 'GET /api/session', START + offsetS * 1_000_000, 1000, tags), traceID }] };
}

/** A session's own request, and the first request of a session that replaced another (a login, a browser's renewal). */
const request = (traceID: string, offsetS: number, sessionId: string): JaegerTrace => trace(traceID, offsetS, { 'session.id': sessionId });
const replacing = (traceID: string, offsetS: number, sessionId: string, previousId: string): JaegerTrace =>
  trace(traceID, offsetS, { 'session.id': sessionId, 'session.previous_id': previousId });

/** A fake Jaeger holding `world`: a search answers the traces with a span that has every tag asked for. */
function jaegerHolding(world: readonly JaegerTrace[]): Parameters<typeof startFakeJaeger>[0] {
  return jaegerApi(['api'], (url) => {
    const tags = JSON.parse(url.searchParams.get('tags') ?? '{}') as Record<string, string>;
    return world.filter((candidate) =>
      candidate.spans.some((found) => Object.entries(tags).every(([key, value]) => found.tags.some((tag) => tag.key === key && tag.value === value))),
    );
  });
}

/** one -> two (a login) -> three (an idle renewal), each with a request of its own. */
const CHAIN = [
  request('t1', 0, 'session-one'),
  replacing('t2', 10, 'session-two', 'session-one'),
  request('t3', 20, 'session-two'),
  replacing('t4', 30, 'session-three', 'session-two'),
];

const sessionOf = (report: LookupReport): string | undefined => report.tags['session.id'];

describe('the sessions next to a session (previousSessionIn, nextSessionsIn)', () => {
  /** The link spans of `traces`, as a lookup keeps them. */
  const links = (traces: readonly JaegerTrace[]): ReturnType<typeof linkSpansOf> => traces.flatMap(linkSpansOf);

  it('takes the previous session from the earliest span of the session that names one', () => {
    const world = [request('a', 0, 'session-two'), replacing('b', 10, 'session-two', 'session-one'), replacing('c', 20, 'session-two', 'session-zero')];
    expect(previousSessionIn(links(world), 'session-two')).to.equal('session-one');
  });

  it('finds no previous session when no span of the session names one, or only spans of another session do', () => {
    expect(previousSessionIn(links([request('a', 0, 'session-one')]), 'session-one')).to.equal(null);
    expect(previousSessionIn(links([replacing('a', 0, 'session-two', 'session-one')]), 'session-one')).to.equal(null);
  });

  it('lists the sessions that replaced a session once each, by their earliest span', () => {
    const found = [replacing('a', 30, 'session-late', 'session-one'), replacing('b', 10, 'session-early', 'session-one'), replacing('c', 40, 'session-early', 'session-one')];
    expect(nextSessionsIn(links(found), 'session-one')).to.deep.equal(['session-early', 'session-late']);
  });

  it('ignores spans that name another previous session', () => {
    expect(nextSessionsIn(links([replacing('a', 0, 'session-three', 'session-two')]), 'session-one')).to.deep.equal([]);
  });

  it('takes no link to or from a value that is not a session id', () => {
    const forged = 'x\u001b[2Jy';
    expect(previousSessionIn(links([replacing('a', 0, 'session-two', forged)]), 'session-two')).to.equal(null);
    expect(nextSessionsIn(links([replacing('a', 0, forged, 'session-one')]), 'session-one')).to.deep.equal([]);
  });
});

describe('session-traces: the chain of sessions', () => {
  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await jaeger?.close();
    jaeger = undefined;
  });

  const run = async (world: readonly JaegerTrace[], argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    jaeger = await startFakeJaeger(jaegerHolding(world));
    const io = capturedIo({ JAEGER_URL: jaeger.url });
    const code = await runLookup(argv, io.io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('reports the previous and the next session in --json when the session has both', async () => {
    const { code, stdout } = await run(CHAIN, ['session-two', '--json']);
    expect(code).to.equal(EXIT.FOUND);
    const report = JSON.parse(stdout) as LookupReport;
    expect(report.previousSessionId).to.equal('session-one');
    expect(report.nextSessionIds).to.deep.equal(['session-three']);
    expect(report.traces.map((found) => found.traceId)).to.deep.equal(['t2', 't3']);
  });

  it('reports null and no next session when the session stands alone', async () => {
    const { stdout } = await run([request('t1', 0, 'session-alone')], ['session-alone', '--json']);
    const report = JSON.parse(stdout) as LookupReport;
    expect(report.previousSessionId).to.equal(null);
    expect(report.nextSessionIds).to.deep.equal([]);
  });

  it('prints the previous and the next session before the table', async () => {
    const { stdout } = await run(CHAIN, ['session-two']);
    expect(stdout.startsWith('Previous session: session-one\nNext session: session-three\n'), stdout).to.equal(true);
  });

  it('reports no neighbours for a user, whose traces span sessions', async () => {
    const { stdout } = await run([], ['--user', 'ada', '--json']);
    expect(JSON.parse(stdout)).not.to.have.any.keys('previousSessionId', 'nextSessionIds');
  });

  it('prints every session of the chain with --chain, oldest first, each under its heading, from any session of it', async () => {
    for (const asked of ['session-one', 'session-two', 'session-three']) {
      const { code, stdout } = await run(CHAIN, [asked, '--chain']);
      expect(code).to.equal(EXIT.FOUND);
      const headings = stdout.split('\n').filter((line) => line.startsWith('Session '));
      expect(headings, asked).to.deep.equal(['Session session-one (1 of 3)', 'Session session-two (2 of 3)', 'Session session-three (3 of 3)']);
      await jaeger?.close();
      jaeger = undefined;
    }
  });

  it('prints {sessions, truncated} with --chain --json, each session a full report', async () => {
    const { stdout } = await run(CHAIN, ['session-three', '--chain', '--json']);
    const chain = JSON.parse(stdout) as ChainReport;
    expect(chain).to.include({ truncated: false, loopsBackTo: null });
    expect(chain.sessions.map(sessionOf)).to.deep.equal(['session-one', 'session-two', 'session-three']);
    expect(chain.sessions.map((report) => report.traces.length)).to.deep.equal([1, 2, 1]);
    expect(chain.sessions[1]).to.deep.include({ previousSessionId: 'session-one', nextSessionIds: ['session-three'] });
  });

  it(`shows at most ${MAX_CHAIN_LENGTH} sessions of a longer chain, around the one asked for, and says it cut the chain`, async () => {
    const id = (i: number): string => `session-${String(i).padStart(2, '0')}`;
    const world = [request('t0', 0, id(0)), ...Array.from({ length: 24 }, (_, i) => replacing(`t${i + 1}`, i + 1, id(i + 1), id(i)))];
    const { code, stdout, stderr } = await run(world, [id(12), '--chain', '--json']);
    expect(code).to.equal(EXIT.FOUND);
    const chain = JSON.parse(stdout) as ChainReport;
    expect(chain.truncated).to.equal(true);
    expect(chain.sessions).to.have.length(MAX_CHAIN_LENGTH);
    const shown = chain.sessions.map(sessionOf);
    expect(shown).to.include(id(12));
    // Consecutive, oldest first.
    expect(shown).to.deep.equal(Array.from({ length: MAX_CHAIN_LENGTH }, (_, i) => id(Number(shown[0]!.slice(-2)) + i)));
    expect(stderr).to.include(`the chain goes on past the ${MAX_CHAIN_LENGTH} sessions shown`);
  });

  it('ends the chain when it comes back to a session it holds', async () => {
    const world = [replacing('t1', 0, 'session-a', 'session-b'), replacing('t2', 10, 'session-b', 'session-a')];
    const { stdout, stderr } = await run(world, ['session-a', '--chain', '--json']);
    const chain = JSON.parse(stdout) as ChainReport;
    expect(chain.sessions.map(sessionOf)).to.have.members(['session-a', 'session-b']);
    expect(chain.truncated, 'nothing was cut for length').to.equal(false);
    expect(chain.loopsBackTo).to.be.oneOf(['session-a', 'session-b']);
    expect(stderr).to.include(`the chain comes back to ${chain.loopsBackTo}, already shown, and ends there`);
    expect(stderr).not.to.include('goes on past');
  });

  it('follows the first of two sessions that replaced one, and names the one it left', async () => {
    const world = [request('t0', 0, 'session-root'), replacing('t1', 10, 'session-left', 'session-root'), replacing('t2', 20, 'session-right', 'session-root')];
    const { stdout, stderr } = await run(world, ['session-root', '--chain', '--json']);
    const chain = JSON.parse(stdout) as ChainReport;
    expect(chain.sessions.map(sessionOf)).to.deep.equal(['session-root', 'session-left']);
    expect(stderr).to.include('session-root was replaced by 2 sessions; the chain follows session-left, not session-right');
  });

  it('exits 1 when no session of the chain has a trace', async () => {
    const { code, stdout } = await run([], ['session-none', '--chain']);
    expect(code).to.equal(EXIT.NONE);
    expect(stdout).to.include('Session session-none (1 of 1)');
  });

  for (const [argv, message] of [
    [['--user', 'ada', '--chain'], '--chain follows a session'],
    [['session-one', '--chain', '--follow'], '--chain and --follow do not go together'],
  ] as const) {
    it(`refuses ${argv.join(' ')} with exit 2 before asking Jaeger`, async () => {
      const { code, stderr } = await run(CHAIN, [...argv]);
      expect(code).to.equal(EXIT.FAILED);
      expect(stderr).to.include(message);
      expect(jaeger!.requests).to.deep.equal([]);
    });
  }
});
