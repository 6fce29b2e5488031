import { expect } from 'chai';
import { startTraceCommand, type CommandResult } from '../support/cli-process.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { answerJson, startFakeJaeger, type FakeJaeger } from '../support/session-traces/fake-jaeger.ts';
import { downstreamTrace } from '../support/session-traces/fixtures.ts';

describe('session-traces --follow', function () {
  this.timeout(30_000);

  let jaeger: FakeJaeger | undefined;

  afterEach(async () => {
    await jaeger?.close();
    jaeger = undefined;
  });

  it('exits 0 at once on Ctrl-C when a poll is pending against a Jaeger that never answers it', async () => {
    let searches = 0;
    jaeger = await startFakeJaeger((_request, response, url) => {
      if (url.pathname === '/api/services') {
        answerJson(response, { data: ['api'] });
        return;
      }
      searches += 1;
      // The first search finds a trace; every poll after it is left unanswered.
      if (searches === 1) answerJson(response, { data: [downstreamTrace()] });
    });
    const following = startTraceCommand(['session-0001', '--follow'], { JAEGER_URL: jaeger.url });
    try {
      await waitFor('the first poll after the initial search to reach the fake Jaeger', () => searches === 2, 15_000);
      following.child.kill('SIGINT');
      let result: CommandResult | undefined;
      void following.exited.then((exited) => (result = exited));
      // Generous, and still under the 10 s request timeout that a poll Ctrl-C cannot abort would wait for.
      await waitFor('the command to exit after Ctrl-C (the pending poll must be aborted)', () => result !== undefined, 8_000);
      expect(result?.code, result?.stderr).to.equal(0);
      expect(result?.stdout).to.include('/trace/trace-a');
      expect(result?.stderr).to.equal('session-traces: following; Ctrl-C to stop\n');
    } finally {
      following.child.kill('SIGKILL');
    }
  });
});
