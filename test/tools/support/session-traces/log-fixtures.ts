import type { ServerResponse } from 'node:http';
import type { FakeHandler } from './fake-server.ts';

/**
 * One line of VictoriaLogs v1.52.1's answer to `GET /select/logsql/query`, exactly as observed
 * for an access line the service's logger hands to the OpenTelemetry logs SDK (sent as OTLP
 * protobuf: v1.52.1 answers OTLP/JSON with 400 "json encoding isn't supported"): resource
 * `service.name`, scope `@opentelemetry/winston-transport`, severity 9 "info", body, the
 * record's trace and span ids, and the attributes (`user.id` already hashed, as the collector
 * leaves it). Observed: every value is a string, the fields come in alphabetical order, the
 * body is `_msg`, the time `_time` (RFC 3339, trailing zeros of the fraction cut), the
 * resource attributes make `_stream` and are fields too, the scope is `scope.name` and
 * `scope.version`, the severity `severity_text` and `severity_number`, the ids `trace_id` and
 * `span_id`; the record's trace flags are not kept.
 */
export const OBSERVED_LINE =
  '{"_msg":"request completed","_stream":"{service.name=\\"api\\"}","_stream_id":"00000000000000009d5d711f83a62d027956a8a67c95def2",' +
  '"_time":"2026-11-27T10:00:00.001Z","duration_ms":"12.1","http.method":"GET","http.route":"/api/downstream","http.status_code":"200",' +
  '"scope.name":"@opentelemetry/winston-transport","scope.version":"0.34.0","service.name":"api","session.id":"session-fix",' +
  '"severity_number":"9","severity_text":"info","span_id":"b7ad6b7169203331","trace_id":"0af7651916cd43dd8448eb211c80319c",' +
  '"user.id":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}';

/**
 * Observed from v1.52.1 for a record that also has an attribute named `trace_id`: the field
 * is written twice, the attribute first and the record's own id last.
 */
export const OBSERVED_LINE_WITH_TWO_TRACE_IDS =
  '{"_msg":"conflict","_stream":"{service.name=\\"orders\\"}","_stream_id":"00000000000000006f74de6e1964c9f975bee6a550cbbe86",' +
  '"_time":"2026-11-27T15:53:03.52Z","scope.name":"@opentelemetry/winston-transport","scope.version":"0.34.0","service.name":"orders",' +
  '"session.id":"session-0003","severity_number":"9","severity_text":"info","span_id":"bbbbbbbbbbbbbbbb",' +
  '"trace_id":"cccccccccccccccccccccccccccccccc","trace_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}';

/** A stored line of the observed shape with some fields changed; a field set to `undefined` is left out. */
export function storedLine(changes: Record<string, string | undefined> = {}): Record<string, string> {
  const line: Record<string, string | undefined> = { ...(JSON.parse(OBSERVED_LINE) as Record<string, string>), ...changes };
  return Object.fromEntries(Object.entries(line).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * The stored lines of session `session-fix` matching the Jaeger fixtures (fixtures.ts):
 * two access lines of trace-a (api, then orders), one of trace-b, one in a trace Jaeger did not
 * list and one logged outside any trace. Given newest first, as the store may order them.
 */
export function sessionLines(): Record<string, string>[] {
  return [
    storedLine({ _time: '2026-11-27T10:02:00Z', _msg: 'cache warmed', trace_id: undefined, span_id: undefined, 'http.method': undefined, 'http.route': undefined, 'http.status_code': undefined, duration_ms: undefined }),
    storedLine({ _time: '2026-11-27T10:01:30.5Z', trace_id: '00ff', _msg: 'sampled out', severity_text: 'warn', 'http.method': 'POST' }),
    storedLine({ _time: '2026-11-27T10:01:00.001Z', trace_id: 'trace-b', severity_text: 'error', 'http.method': 'POST', 'http.route': '/api/login', 'http.status_code': '500', duration_ms: '2' }),
    storedLine({ _time: '2026-11-27T10:00:00.005Z', trace_id: 'trace-a', 'service.name': 'orders', _stream: '{service.name="orders"}', 'http.route': '/api/session', duration_ms: '3' }),
    storedLine({ _time: '2026-11-27T10:00:00.012Z', trace_id: 'trace-a' }),
  ];
}

/** Sends `lines` as VictoriaLogs does: 200, application/stream+json, one JSON object per line. */
export function answerLines(response: ServerResponse, lines: readonly Record<string, string>[]): void {
  response.writeHead(200, { 'content-type': 'application/stream+json' }).end(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

/** A fake VictoriaLogs handler: `lines(url)` for `/select/logsql/query`, 404 elsewhere. */
export function victoriaLogsApi(lines: (url: URL) => readonly Record<string, string>[], prefix = ''): FakeHandler {
  return (_request, response, url) => {
    if (url.pathname === `${prefix}/select/logsql/query`) answerLines(response, lines(url));
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('missing route');
  };
}
