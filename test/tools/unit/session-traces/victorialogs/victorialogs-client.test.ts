import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import { VictoriaLogsClient } from '../../../../../tools/session-traces/victorialogs/victorialogs-client.ts';
import { VictoriaLogsError } from '../../../../../tools/session-traces/victorialogs/victorialogs-error.ts';
import { waitFor } from '../../../../core/support/service-process.ts';
import { startFakeServer, type FakeServer } from '../../../support/session-traces/fake-server.ts';
import { answerLines, OBSERVED_LINE, sessionLines, victoriaLogsApi } from '../../../support/session-traces/log-fixtures.ts';
import { rejection } from '../../../support/session-traces/rejection.ts';

const SEARCH = { field: 'session.id', value: 'session-fix', sinceMs: Date.UTC(2026, 10, 26, 10), limit: 500 };

describe('VictoriaLogsClient', () => {
  let store: FakeServer | undefined;

  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  /** The message of the VictoriaLogsError `client.query` rejects with when the fake answers with `answer`. */
  const failure = async (answer: (response: ServerResponse) => void, client?: (url: string) => VictoriaLogsClient): Promise<string> => {
    store = await startFakeServer((_request, response) => {
      answer(response);
    });
    const error = await rejection((client?.(store.url) ?? new VictoriaLogsClient(store.url)).query(SEARCH));
    expect(error).to.be.instanceOf(VictoriaLogsError);
    return (error as Error).message;
  };

  it('asks once, by exact field match from the window start with a limit, and returns every line when the store answers', async () => {
    store = await startFakeServer(victoriaLogsApi(() => sessionLines()));
    const lines = await new VictoriaLogsClient(store.url).query(SEARCH);
    expect(lines.map((line) => line.message)).to.deep.equal(['cache warmed', 'sampled out', 'request completed', 'request completed', 'request completed']);
    expect(store.requests).to.have.length(1);
    const [request] = store.requests;
    expect(request?.pathname).to.equal('/select/logsql/query');
    expect(Object.fromEntries(request!.searchParams)).to.deep.equal({ query: '"session.id":="session-fix"', start: '2026-11-26T10:00:00.000Z', limit: '500' });
  });

  it('asks under the path of the URL, sends its credentials as Basic authentication and shows the URL without them', async () => {
    store = await startFakeServer(victoriaLogsApi(() => [], '/logs'));
    const client = new VictoriaLogsClient(`http://ada:hunter2@127.0.0.1:${store.port}/logs`);
    expect(await client.query(SEARCH)).to.deep.equal([]);
    expect(store.requests[0]?.pathname).to.equal('/logs/select/logsql/query');
    expect(store.requests[0]?.authorization).to.equal(`Basic ${Buffer.from('ada:hunter2').toString('base64')}`);
    expect(client.displayUrl).to.equal(`${store.url}/logs`);
    expect(client.baseUrl.href).to.equal(`${store.url}/logs/`);
  });

  it('names the line when one line of the answer is malformed', async () => {
    const message = await failure((response) => {
      response.writeHead(200, { 'content-type': 'application/stream+json' }).end(`${OBSERVED_LINE}\n{"_msg":"cut`);
    });
    expect(message).to.equal(`VictoriaLogs at ${store!.url} answered /select/logsql/query with an unexpected shape: line 2 should be JSON, got "{\\"_msg\\":\\"cut"`);
  });

  it('says what came instead and asks whether VICTORIALOGS_URL is right when the answer is an HTML page', async () => {
    const message = await failure((response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Jaeger UI</title>');
    });
    expect(message).to.equal(`VictoriaLogs at ${store!.url} answered /select/logsql/query with text/html, not JSON ("<!DOCTYPE html><title>Jaeger UI</title>"…); is VICTORIALOGS_URL its address?`);
  });

  it('reports the status when the store answers 500', async () => {
    const message = await failure((response) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('cannot execute query');
    });
    expect(message).to.equal(`VictoriaLogs at ${store!.url} answered 500 to /select/logsql/query; is VICTORIALOGS_URL its address?`);
  });

  it('says to put credentials in VICTORIALOGS_URL when the store answers 401 to a request without them', async () => {
    const message = await failure((response) => {
      response.writeHead(401, { 'www-authenticate': 'Basic' }).end();
    });
    expect(message).to.match(/answered 401 to \/select\/logsql\/query; it needs credentials: put them in VICTORIALOGS_URL as http:\/\/user:password@host/);
  });

  it('says it did not answer, and where to point VICTORIALOGS_URL, when nothing listens', async () => {
    const closed = await startFakeServer(() => undefined);
    await closed.close();
    const error = await rejection(new VictoriaLogsClient(`http://ada:hunter2@127.0.0.1:${closed.port}`).query(SEARCH));
    expect(error).to.be.instanceOf(VictoriaLogsError);
    expect((error as Error).message).to.equal(
      `VictoriaLogs at ${closed.url} did not answer (ECONNREFUSED). Is it running? Set VICTORIALOGS_URL to its address (port 9428 by default).`,
    );
  });

  it('stops reading and closes the connection when an answer passes maxAnswerBytes', async () => {
    const message = await failure(
      (response) => {
        // Chunked and never finished: only the limit can end the read.
        response.writeHead(200, { 'content-type': 'application/stream+json' });
        response.write(`${OBSERVED_LINE}\n`.repeat(50));
      },
      (url) => new VictoriaLogsClient(url, { maxAnswerBytes: 10_000 }),
    );
    expect(message).to.equal(`VictoriaLogs at ${store!.url} answered /select/logsql/query with more than the 10000 bytes limit; narrow the search with --since`);
    await waitFor('the fake store to see the oversized answer abandoned', () => store!.requests[0]!.abandoned(), 5_000);
  });

  it('says the answer stopped part-way when the connection is cut', async () => {
    const message = await failure((response) => {
      response.writeHead(200, { 'content-type': 'application/stream+json', 'content-length': '100000' });
      response.write(OBSERVED_LINE, () => response.destroy());
    });
    expect(message).to.match(new RegExp(`^VictoriaLogs at ${store!.url} stopped answering /select/logsql/query part-way \\(\\w+\\)$`));
  });

  it('returns the lines of an answer that is empty', async () => {
    store = await startFakeServer((_request, response) => {
      answerLines(response, []);
    });
    expect(await new VictoriaLogsClient(store.url).query(SEARCH)).to.deep.equal([]);
  });
});
