import { expect } from 'chai';
import { parseLookupArgs, UsageError } from '../../../../tools/session-traces/lookup-args.ts';

describe('parseLookupArgs', () => {
  const parse = (args: string[], env: Record<string, string> = {}): ReturnType<typeof parseLookupArgs> => parseLookupArgs(args, env);

  it('takes a session id with the documented defaults', () => {
    expect(parse(['session-0001'])).to.deep.include({
      sessionId: 'session-0001',
      userId: undefined,
      sinceMs: 24 * 3_600_000,
      since: '24h',
      limit: 100,
      services: undefined,
      json: false,
      follow: false,
      logs: false,
      jaegerUrl: 'http://localhost:16686',
      victoriaLogsUrl: 'http://localhost:9428',
    });
  });

  it('reads every option and JAEGER_URL', () => {
    const options = parse(['session-0001', '--since', '30m', '--limit', '5', '--service', 'api', '--service', 'orders', '--json', '--follow'], {
      JAEGER_URL: 'http://127.0.0.1:9999',
    });
    expect(options).to.deep.include({ sinceMs: 1_800_000, limit: 5, json: true, follow: true, jaegerUrl: 'http://127.0.0.1:9999' });
    expect(options.services).to.deep.equal(['api', 'orders']);
  });

  it('reads --logs and VICTORIALOGS_URL', () => {
    expect(parse(['session-0001', '--logs'], { VICTORIALOGS_URL: 'https://ada:pw@logs.example/vl' })).to.deep.include({
      logs: true,
      victoriaLogsUrl: 'https://ada:pw@logs.example/vl',
    });
  });

  it('takes --logs with --user, --follow and --json', () => {
    expect(parse(['--user', 'alice', '--logs', '--follow', '--json'])).to.deep.include({ userId: 'alice', logs: true, follow: true, json: true });
  });

  it('refuses a VICTORIALOGS_URL that is not http(s), without printing its credentials, when --logs is given', () => {
    expect(() => parse(['session-0001', '--logs'], { VICTORIALOGS_URL: 'ftp://ada:hunter2@logs' }))
      .to.throw(UsageError, /^VICTORIALOGS_URL must be an http\(s\) URL/)
      .with.property('message')
      .that.does.not.include('hunter2');
    expect(() => parse(['session-0001', '--logs'], { VICTORIALOGS_URL: 'http://logs:9428/?x=1' })).to.throw(UsageError, /VICTORIALOGS_URL .*without \?query/);
  });

  it('ignores VICTORIALOGS_URL when --logs is not given', () => {
    expect(parse(['session-0001'], { VICTORIALOGS_URL: 'ftp://logs' }).logs).to.equal(false);
  });

  it('takes --user instead of a session id', () => {
    expect(parse(['--user', 'alice@example.com'])).to.deep.include({ sessionId: undefined, userId: 'alice@example.com' });
  });

  it('answers --help without needing a session id', () => {
    expect(parse(['--help']).help).to.equal(true);
  });

  const refused: [string, string[], RegExp][] = [
    ['no session id', [], /session id, or --user/],
    ['a malformed session id (the middleware rules)', ['bad id with spaces'], /Not a valid session id/],
    ['a session id of 7 characters', ['abcdefg'], /Not a valid session id/],
    ['a session id with =', ['abcd=efgh'], /Not a valid session id/],
    ['both a session id and --user', ['session-0001', '--user', 'alice'], /not both/],
    ['two session ids', ['session-0001', 'session-0002'], /one session id/],
    ['a malformed user id', ['--user', 'bad\nuser'], /Not a valid user id/],
    ['an unknown option', ['session-0001', '--verbose'], /Unknown option/],
    ['a bad --since', ['session-0001', '--since', 'yesterday'], /--since/],
    ['a zero --since', ['session-0001', '--since', '0h'], /--since/],
    ['a bad --limit', ['session-0001', '--limit', 'lots'], /--limit/],
    ['a --limit over 1000', ['session-0001', '--limit', '5000'], /--limit/],
    ['--since without a value', ['session-0001', '--since'], /argument missing/],
  ];
  for (const [description, args, message] of refused) {
    it(`refuses ${description}`, () => {
      expect(() => parse(args)).to.throw(UsageError, message);
    });
  }

  it('refuses a JAEGER_URL that is not http(s)', () => {
    expect(() => parse(['session-0001'], { JAEGER_URL: 'ftp://jaeger' })).to.throw(UsageError, /JAEGER_URL/);
  });

  it('takes a JAEGER_URL with a path and credentials', () => {
    expect(parse(['session-0001'], { JAEGER_URL: 'https://ada:pw@jaeger.example/jaeger' }).jaegerUrl).to.equal('https://ada:pw@jaeger.example/jaeger');
  });

  it('refuses a JAEGER_URL with a query without printing its credentials', () => {
    expect(() => parse(['session-0001'], { JAEGER_URL: 'http://ada:hunter2@jaeger/?x=1' }))
      .to.throw(UsageError, /without \?query/)
      .with.property('message')
      .that.does.not.include('hunter2');
  });
});
