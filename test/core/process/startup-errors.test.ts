import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { runToExit, type FinishedProcess } from '../support/run-to-exit.ts';
import { startServiceProcess, testServiceCommand, waitFor, type ServiceProcess } from '../support/service-process.ts';

/** The fixture service run to its end with the core's variables in `env`. */
function runService(env: Record<string, string>): Promise<FinishedProcess> {
  return runToExit(testServiceCommand(), { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', OTEL_SDK_DISABLED: 'true', ...env });
}

/** Exit 1, exactly `lines` lines on stderr and no stack frame anywhere. */
function expectOneLineFailure(run: FinishedProcess, lines = 1): string[] {
  expect(run.code, run.stderr).to.equal(1);
  const written = run.stderr.split('\n').filter(Boolean);
  expect(written, run.stderr).to.have.length(lines);
  expect(`${run.stdout}${run.stderr}`).not.to.match(/^\s+at /m);
  return written;
}

describe('service start-up errors', () => {
  let holder: Server | undefined;
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
    const held = holder;
    holder = undefined;
    if (held !== undefined) await new Promise((resolve) => held.close(resolve));
  });

  it('writes one line naming the port in use and the fix, and exits 1, when another process holds the port', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const [line] = expectOneLineFailure(await runService({ PORT: String(port) }));
    expect(line).to.equal(
      `cannot listen on 127.0.0.1:${port}: the port is in use (another process holds it); set PORT to a free port (0 picks one) or stop that process`,
    );
  });

  it('writes one line naming the address and saying to set HOST, and exits 1, when the address is not this machine’s', async () => {
    // TEST-NET-1 (RFC 5737): never assigned to a machine; binding to it fails locally, no packet leaves.
    const [line] = expectOneLineFailure(await runService({ HOST: '192.0.2.1' }));
    expect(line).to.match(/^cannot listen on 192\.0\.2\.1:0: the address is not one of this machine’s; set HOST to /);
  });

  it('writes one line per bad variable naming it and what it must be, and exits 1, when variables are invalid', async () => {
    const lines = expectOneLineFailure(await runService({ PORT: 'eighty', LOG_FORMAT: 'fancy', OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '0' }), 3);
    expect(lines).to.deep.equal([
      'invalid configuration: PORT must be an integer from 0 to 65535, got "eighty"',
      'invalid configuration: LOG_FORMAT must be one of auto, json, pretty, got "fancy"',
      'invalid configuration: OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT must be an integer from 1 to 1000000000, got "0"',
    ]);
  });

  it('refuses at start-up, one line each, a batch processor variable that is not a whole number (telemetry on)', async () => {
    // Accepted before: no log record was ever exported (a batch of 0.5 never fills), every span dropped.
    const lines = expectOneLineFailure(
      await runService({ OTEL_SDK_DISABLED: 'false', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '0.5', OTEL_BSP_MAX_QUEUE_SIZE: '0.5' }),
      2,
    );
    expect(lines).to.deep.equal([
      'invalid configuration: OTEL_BSP_MAX_QUEUE_SIZE must be an integer from 1 to 2147483647, got "0.5"',
      'invalid configuration: OTEL_BLRP_MAX_EXPORT_BATCH_SIZE must be an integer from 1 to 2147483647, got "0.5"',
    ]);
  });

  it('logs listening with the URL and where telemetry goes when it starts', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4999', OTEL_LOGS_EXPORTER: 'none' });
    const listening = service.logLines().find((line) => line['message'] === 'listening');
    expect(listening).to.include({ url: service.url, telemetry: 'traces to http://127.0.0.1:4999/v1/traces (OTLP http/protobuf)' });
  });

  it('logs telemetry off in the listening line when the SDK is disabled', async () => {
    service = await startServiceProcess({ OTEL_SDK_DISABLED: 'true' });
    expect(service.logLines().find((line) => line['message'] === 'listening')).to.include({ telemetry: 'off' });
  });

  it('writes readable lines, not JSON, to a pipe when LOG_FORMAT=pretty', async () => {
    const [executable, ...args] = testServiceCommand();
    const child = spawn(executable!, args, {
      env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', OTEL_SDK_DISABLED: 'true', LOG_FORMAT: 'pretty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    try {
      await waitFor('the readable listening line', () => /listening/.test(stdout), 60_000, () => stdout);
      expect(stdout).to.match(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}listening url=http:\/\/127\.0\.0\.1:\d+ port=\d+ telemetry=off\n$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
