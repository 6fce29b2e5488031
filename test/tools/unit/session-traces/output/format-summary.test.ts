import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { SessionSummary } from '../../../../../tools/session-traces/jaeger/session-summary.ts';
import { formatJson, formatReport } from '../../../../../tools/session-traces/output/format-output.ts';
import { formatSummary } from '../../../../../tools/session-traces/output/format-summary.ts';
import type { LookupReport } from '../../../../../tools/session-traces/report/lookup-report.ts';
import { capturingStream, CONTROL_CHARACTER, hasOwnColours, withoutOwnColours } from '../../../support/session-traces/captured-io.ts';
import { exampleReport as report } from '../../../support/session-traces/fixtures.ts';

/** A stream that is not a terminal, as stdout is when piped. */
const piped = { stream: new PassThrough() as unknown as NodeJS.WriteStream };

/** The example report as --follow has it: without a summary. */
const following = (): LookupReport => Object.fromEntries(Object.entries(report).filter(([key]) => key !== 'summary')) as unknown as LookupReport;

/** The example's summary, which every test here has. */
const summary = (): SessionSummary => {
  if (report.summary === undefined || report.summary === null) throw new Error('the example report has no summary');
  return report.summary;
};

describe('formatSummary', () => {
  it('prints the requests from outside and per service, the errors, services and time, then a table of the routes', () => {
    expect(formatSummary(report, piped).split('\n')).to.deep.equal([
      'Summary (2 traces)',
      '  requests  2 from outside; served: api 2, orders 1',
      '  errors    1 from outside; served with an error: api 1',
      '  services  api, orders',
      '  time      2026-11-27 10:00:00.000 to 2026-11-27 10:01:00.002 (UTC)',
      '┌─────────┬─────────────────────┬─────────────────┬──────────┬────────┬─────────┬─────────┐',
      '│ SERVICE │ OPERATION           │ ROUTE           │ REQUESTS │ ERRORS │ P50     │ P99     │',
      '├─────────┼─────────────────────┼─────────────────┼──────────┼────────┼─────────┼─────────┤',
      '│ api     │ GET /api/downstream │ /api/downstream │ 1        │ 0      │ 12.3 ms │ 12.3 ms │',
      '│ api     │ POST /api/login     │ /api/login      │ 1        │ 1      │ 2 ms    │ 2 ms    │',
      '│ orders  │ GET /api/session    │ /api/session    │ 1        │ 0      │ 3 ms    │ 3 ms    │',
      '└─────────┴─────────────────────┴─────────────────┴──────────┴────────┴─────────┴─────────┘',
      '',
    ]);
  });

  it('says 0 errors, one trace, and - for a route-less request (a 404) when the session had no failure', () => {
    const lines = formatSummary(
      {
        ...report,
        summary: {
          ...summary(),
          traces: 1,
          edgeErrors: 0,
          errors: 0,
          byService: [{ service: 'api', requests: 1, errors: 0 }],
          routes: [{ service: 'api', operation: 'GET', httpRoute: null, requests: 1, errors: 0, p50Ms: 0.4, p99Ms: 0.4 }],
        },
      },
      piped,
    ).split('\n');
    expect(lines[0]).to.equal('Summary (1 trace)');
    expect(lines[2]).to.equal('  errors    0');
    expect(lines.find((line) => line.startsWith('│ api'))).to.equal('│ api     │ GET       │ -     │ 1        │ 0      │ 0.4 ms │ 0.4 ms │');
  });

  it('prints no table when no request was served (the traces hold no server span)', () => {
    const printed = formatSummary({ ...report, summary: { ...summary(), edgeRequests: 0, edgeErrors: 0, requests: 0, errors: 0, byService: [], routes: [] } }, piped);
    expect(printed.split('\n')[1]).to.equal('  requests  0 from outside');
    expect(printed).not.to.include('┌');
  });

  it('prints nothing when the report has no summary: no traces (null) or --follow (absent)', () => {
    expect(formatSummary({ ...report, traces: [], summary: null }, piped)).to.equal('');
    expect(formatSummary(following(), piped)).to.equal('');
  });

  for (const colours of [false, true]) {
    it(`prints names from Jaeger without control characters when they hold them and colours are ${colours ? 'on' : 'off'}`, () => {
      const hostile: SessionSummary = {
        ...summary(),
        services: ['api\u001b[2J', 'orders\u202e'],
        byService: [{ service: '\u001b]8;;http://evil.example/\u0007api', requests: 1, errors: 1 }],
        routes: [{ service: 'api\r\n', operation: 'GET \u009b31m/x\u200b', httpRoute: '/x\u0000', requests: 1, errors: 1, p50Ms: 1, p99Ms: 1 }],
      };
      const { stream } = capturingStream(colours);
      const printed = formatSummary({ ...report, summary: hostile }, { stream });
      expect(hasOwnColours(printed), 'colours were on').to.equal(colours);
      expect(withoutOwnColours(printed)).not.to.match(CONTROL_CHARACTER);
      expect(withoutOwnColours(printed)).to.include('api[2J, orders').and.include('GET 31m/x').and.include(']8;;http://evil.example/api 1');
    });
  }
});

describe('formatReport with a summary', () => {
  it('prints the summary between the trace table and the links', () => {
    const text = formatReport(report, piped);
    const at = (needle: string): number => text.indexOf(needle);
    expect(at('│ 2026-11-27 10:00:00.000')).to.be.above(-1);
    expect(at('│ 2026-11-27 10:00:00.000')).to.be.below(at('Summary (2 traces)'));
    expect(at('Summary (2 traces)')).to.be.below(at('Traces in Jaeger:'));
    expect(text).to.include('┘\n\nSummary (2 traces)\n').and.include('┘\n\nTraces in Jaeger:\n');
  });

  it('prints the table and links alone when the report has no summary', () => {
    expect(formatReport(following(), piped)).not.to.include('Summary');
  });
});

describe('formatJson with a summary', () => {
  it('prints the summary with the documented, stable fields', () => {
    const parsed = JSON.parse(formatJson(report)) as { summary: Record<string, unknown> & { byService: object[]; routes: object[] } };
    expect(Object.keys(parsed.summary)).to.deep.equal(['traces', 'edgeRequests', 'edgeErrors', 'requests', 'errors', 'services', 'firstStart', 'lastEnd', 'byService', 'routes']);
    expect(Object.keys(parsed.summary.byService[0]!)).to.deep.equal(['service', 'requests', 'errors']);
    expect(Object.keys(parsed.summary.routes[0]!)).to.deep.equal(['service', 'operation', 'httpRoute', 'requests', 'errors', 'p50Ms', 'p99Ms']);
  });

  it('prints null for the summary when there are no traces', () => {
    expect((JSON.parse(formatJson({ ...report, traces: [], summary: null })) as { summary: unknown }).summary).to.equal(null);
  });

  it('prints names from Jaeger without control characters, raw or escaped', () => {
    const hostile: SessionSummary = { ...summary(), services: ['api\u001b[2J'], routes: [{ ...summary().routes[0]!, operation: 'GET \u009b/x' }] };
    const printed = formatJson({ ...report, summary: hostile });
    expect(printed).not.to.match(CONTROL_CHARACTER).and.not.to.match(/\\u00/);
  });
});
