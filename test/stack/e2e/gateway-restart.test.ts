import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { isSessionSampled } from '../../../src/core/index.ts';
import { waitFor } from '../../core/support/service-process.ts';
import { sumOf, type MetricSample } from '../support/collector-metrics.ts';
import { endRequestSpans, startGatewayTier, type Gateway, type GatewayTier } from '../support/gateway-tier-stack.ts';
import { searchTraces } from '../support/jaeger-query.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

// A gateway restarted mid-run, one agent (otel-agent.yaml) and two gateways (otel-gateway.yaml)
// on loopback, every session kept so that "stored" must equal "acknowledged" minus what is
// counted. What the runs here showed (figures printed by each case):
// - SIGTERM: the agent's load_balancing queue holds the spans of the stopped gateway and its
//   retry (static resolver: the gateway stays on the ring) delivers them once it is back;
//   tail_sampling decides its pending traces at shutdown with the spans it has. No span lost,
//   none counted failed. A batch that also held spans for the other gateway is retried whole:
//   those spans reach the other gateway again (Jaeger keeps one copy: same span id).
// - SIGKILL: what the killed process held in tail_sampling's buffer (decision_wait) is lost.
//   The agent counted it sent (the gateway had acknowledged it), nothing counts it failed;
//   only the killed process's own otelcol_receiver_accepted_spans, read before it died,
//   minus what it exported, gives the figure.
// - With the agent's retry off, the outage's spans are counted in
//   otelcol_exporter_send_failed_spans (whole batches: more than what is missing); with
//   tail_sampling's drop_pending_traces_on_shutdown the pending traces are lost uncounted.

/** Keeps every session (otel-gateway.yaml: ratio 1 cannot be written; one session id in 2^32 is dropped, and none of these). */
const KEEP_EVERY_SESSION = 'ffffffff';
const REQUESTS = 3;
/** Every fifth request is made outside a session and fails: routed by trace id (load_balancing/by-trace) and kept as an error. */
const WITHOUT_SESSION_EVERY = 5;
/** Pace of the senders, one session (or request outside one) each, and a cap that keeps every trace in one Jaeger search (limit 1000). */
const SEND_EVERY_MS = 25;
const MAX_SESSIONS = 250;
const RUN = randomUUID().slice(0, 8);
const SERVICES = [`gr-api-${RUN}`, `gr-orders-${RUN}`];
const AGENT_EXPORTERS = ['load_balancing/by-session', 'load_balancing/by-trace'];

/** What the services' SDK exporters reported: spans acknowledged by the agent, and spans whose export failed. */
class CountingExporter implements SpanExporter {
  readonly acknowledged = new Set<string>();
  failed = 0;
  readonly #inner: SpanExporter;

  constructor(url: string) {
    this.#inner = new OTLPTraceExporter({ url });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) for (const span of spans) this.acknowledged.add(`${span.spanContext().traceId}/${span.spanContext().spanId}`);
      else this.failed += spans.length;
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** One request (endRequestSpans): the number of spans it ended. */
const request = (api: Tracer, orders: Tracer, sessionId: string | undefined, fails: boolean): number => endRequestSpans(api, orders, sessionId, fails).length;

/** Sessions (and failed requests outside sessions) sent at a steady pace until stopped, over two services' SDKs. */
class Sender {
  readonly exporters: CountingExporter[];
  readonly #providers: TracerProvider[];
  ended = 0;
  sent = 0;
  #stopped = false;
  #paused: Promise<void> | undefined;
  #resume: (() => void) | undefined;
  readonly #done: Promise<void>;

  constructor(url: string) {
    this.exporters = SERVICES.map(() => new CountingExporter(url));
    this.#providers = SERVICES.map(
      (service, i) =>
        new TracerProvider({
          resource: resourceFromAttributes({ 'service.name': service }),
          // A queue no burst here fills: a span the SDK dropped would be neither acknowledged nor failed.
          spanProcessors: [new BatchSpanProcessor({ exporter: this.exporters[i]!, scheduledDelayMillis: 200, maxQueueSize: 100_000, maxExportBatchSize: 256 })],
        }),
    );
    this.#done = this.#run();
  }

  async #run(): Promise<void> {
    const [api, orders] = this.#providers.map((provider) => provider.getTracer('gateway-restart-test')) as [Tracer, Tracer];
    while (!this.#stopped && this.sent < MAX_SESSIONS) {
      if (this.#paused !== undefined) await this.#paused;
      this.sent++;
      if (this.sent % WITHOUT_SESSION_EVERY === 0) {
        this.ended += request(api, orders, undefined, true);
      } else {
        const id = `gr-${RUN}-${randomUUID()}`;
        if (!isSessionSampled(id, Number.parseInt(KEEP_EVERY_SESSION, 16) / 2 ** 32)) throw new Error(`session ${id} is above the threshold`);
        for (let r = 0; r < REQUESTS; r++) this.ended += request(api, orders, id, false);
      }
      // Pacing, not a wait: the restart below happens while sessions keep coming.
      await delay(SEND_EVERY_MS);
    }
  }

  /** Stops sending until {@link Sender.resume} and flushes both SDKs: every span ended so far has been exported or has failed. */
  async pause(): Promise<void> {
    this.#paused = new Promise((resolve) => {
      this.#resume = resolve;
    });
    await Promise.all(this.#providers.map((provider) => provider.forceFlush()));
  }

  resume(): void {
    this.#paused = undefined;
    this.#resume?.();
  }

  /** Stops sending and flushes both SDKs; resolves once every export has reported. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.resume();
    await this.#done;
    await Promise.all(this.#providers.map((provider) => provider.shutdown()));
  }

  acknowledged(): Set<string> {
    return new Set(this.exporters.flatMap((exporter) => [...exporter.acknowledged]));
  }

  failed(): number {
    return this.exporters.reduce((sum, exporter) => sum + exporter.failed, 0);
  }
}

/** The agent's exporters' spans: sent (a gateway acknowledged them), failed after retries, refused by a full queue. */
function agentOutcome(samples: readonly MetricSample[]): { sent: number; failed: number; refused: number } {
  const total = (name: string): number => AGENT_EXPORTERS.reduce((sum, exporter) => sum + sumOf(samples, name, { exporter }), 0);
  return { sent: total('otelcol_exporter_sent_spans'), failed: total('otelcol_exporter_send_failed_spans'), refused: total('otelcol_exporter_enqueue_failed_spans') };
}

/**
 * The end of a gateway's outage: once the agent has failed a send to it (the outage is real),
 * starts it again, waits until it accepts spans, stops the sender, and waits until the agent has
 * sent, failed or refused every span acknowledged to the services. Returns the sessions sent
 * when the gateway was started again, and the agent's final metrics.
 */
async function outageEnds(stack: GatewayTier, restarted: Gateway, sender: Sender, how: 'stopped' | 'killed'): Promise<{ sentAtRestart: number; agent: MetricSample[] }> {
  await waitFor(
    `the agent to fail a send to the ${how} ${restarted.name}`,
    async () => sumOf(await stack.agentMetrics(), 'otelcol_loadbalancer_backend_outcome', { endpoint: restarted.otlpEndpoint, success: 'false' }) > 0,
    60_000,
  );
  await restarted.start();
  const sentAtRestart = sender.sent;
  await waitFor('the restarted gateway to accept spans', async () => sumOf(await restarted.metrics(), 'otelcol_receiver_accepted_spans') > 0, 120_000);
  await sender.stop();
  const acknowledged = sender.acknowledged().size;
  let agent: MetricSample[] = [];
  await waitFor(
    `the agent to have sent, failed or refused every one of the ${acknowledged} acknowledged spans`,
    async () => {
      agent = await stack.agentMetrics();
      const { sent, failed, refused } = agentOutcome(agent);
      return sent + failed + refused === acknowledged;
    },
    10 * 60_000,
    () => JSON.stringify(agentOutcome(agent)),
  );
  return { sentAtRestart, agent };
}

/** The sum of counter `name` over the final metrics of several gateway processes. */
function overLives(lives: readonly (readonly MetricSample[])[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  return lives.reduce((sum, life) => sum + sumOf(life, name, labels), 0);
}

describe('the gateway tier with a gateway restarted mid-run (SIGTERM)', function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e gateway-restart', ['stack-programs']);
  });

  this.timeout(20 * 60_000);

  let tier: GatewayTier | undefined;
  const startedAt = Date.now();
  let sender: Sender;
  /** Sessions sent when the gateway was stopped, and when it answered again. */
  /** The restarted gateway's OTLP endpoint, the `endpoint` label of the agent's otelcol_loadbalancer_* series. */
  let restartedEndpoint = '';
  let sentAtStop = 0;
  let sentAtRestart = 0;
  let agent: MetricSample[] = [];
  /** Final metrics of each gateway process, in order of their lives. */
  const lives: MetricSample[][] = [];
  /** Distinct spans of the run in Jaeger, `traceId/spanId`. */
  let stored = new Set<string>();

  before(async () => {
    const stack = await startGatewayTier({ gatewayEnv: { SESSION_SAMPLE_THRESHOLD: KEEP_EVERY_SESSION, TAIL_SAMPLING_DECISION_WAIT: '2s' } });
    tier = stack;
    const [restarted, other] = stack.gateways as [Gateway, Gateway];
    restartedEndpoint = restarted.otlpEndpoint;
    sender = new Sender(stack.agentTracesUrl);

    await waitFor('the first gateway to accept spans', async () => sumOf(await restarted.metrics(), 'otelcol_receiver_accepted_spans') > 0, 60_000);
    sentAtStop = sender.sent;
    const firstLife = await restarted.stop('SIGTERM');
    if (firstLife === undefined) throw new Error(`${restarted.name} pushed no metrics as it stopped:\n${restarted.output()}`);
    lives.push(firstLife);
    // The outage is real only once the agent has failed to send to it.
    ({ sentAtRestart, agent } = await outageEnds(stack, restarted, sender, 'stopped'));
    const acknowledged = sender.acknowledged();
    const counted = agentOutcome(agent).failed + agentOutcome(agent).refused;
    const missing = (): number => [...acknowledged].filter((span) => !stored.has(span)).length;
    await waitFor(
      'every acknowledged span in Jaeger, or counted failed on the agent',
      async () => {
        stored = new Set((await searchTraces(stack.jaeger.queryUrl, SERVICES[0]!, {}, startedAt)).flatMap((found) => found.spans.map((span) => `${span.traceID}/${span.spanID}`)));
        return missing() <= counted;
      },
      180_000,
      () => `${missing()} acknowledged spans missing from Jaeger, ${counted} counted failed on the agent`,
    );
    // Final counts of the gateways' current processes.
    for (const gateway of [restarted, other]) {
      const last = await gateway.stop('SIGTERM');
      if (last === undefined) throw new Error(`${gateway.name} pushed no metrics as it stopped:\n${gateway.output()}`);
      lives.push(last);
    }
    const { sent, failed, refused } = agentOutcome(agent);
    const gatewaysAccepted = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_receiver_accepted_spans'), 0);
    const gatewaysExported = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' }), 0);
    console.log(
      `      sessions sent ${sender.sent} (${sentAtStop} before the stop, ${sentAtRestart - sentAtStop} during the outage); ` +
        `SDK: ${sender.ended} spans ended, ${acknowledged.size} acknowledged, ${sender.failed()} failed; ` +
        `agent: ${sumOf(agent, 'otelcol_receiver_accepted_spans')} accepted, ${sent} sent, ${failed} failed, ${refused} refused, ` +
        `${sumOf(agent, 'otelcol_loadbalancer_backend_outcome', { endpoint: restarted.otlpEndpoint, success: 'false' })} failed sends to ${restarted.name}; ` +
        `gateways (lives ${lives.length}): ${gatewaysAccepted} accepted, ${gatewaysExported} exported to Jaeger; Jaeger: ${stored.size} distinct spans`,
    );
    for (const [i, life] of lives.entries()) {
      console.log(
        `      gateway process ${i + 1}: ${sumOf(life, 'otelcol_receiver_accepted_spans')} spans accepted, ` +
          `tail_sampling: ${sumOf(life, 'otelcol_processor_tail_sampling_new_trace_id_received')} new trace ids, ` +
          `${sumOf(life, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'true' })} traces sampled, ` +
          `${sumOf(life, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'false' })} not sampled; ` +
          `${sumOf(life, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' })} spans exported`,
      );
    }
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await tier?.stop();
  });

  it('keeps sending sessions while the gateway is down, and every span ended in the SDKs is acknowledged by the agent', () => {
    expect(sentAtRestart, 'sessions sent during the outage').to.be.greaterThan(sentAtStop);
    expect(sender.failed(), 'spans whose export to the agent failed').to.equal(0);
    expect(sender.acknowledged().size).to.equal(sender.ended);
    expect(sumOf(agent, 'otelcol_receiver_accepted_spans')).to.equal(sender.ended);
  });

  it('holds the spans of the stopped gateway in the agent\'s queue and retries them: none failed or refused', () => {
    expect(sumOf(agent, 'otelcol_loadbalancer_backend_outcome', { endpoint: restartedEndpoint, success: 'false' })).to.be.greaterThan(0);
    const { sent, failed, refused } = agentOutcome(agent);
    expect({ failed, refused }).to.deep.equal({ failed: 0, refused: 0 });
    expect(sent).to.equal(sender.ended);
  });

  it('receives on the gateways every span the agent sent (a batch retried whole sends its spans for the other gateway there again)', () => {
    const gatewaysAccepted = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_receiver_accepted_spans'), 0);
    expect(gatewaysAccepted).to.be.at.least(agentOutcome(agent).sent);
  });

  it('decides every trace each gateway process received, the stopped one at its shutdown with the spans it had, and keeps them all', () => {
    const received = overLives(lives, 'otelcol_processor_tail_sampling_new_trace_id_received');
    expect(received).to.be.greaterThan(0);
    expect(sumOf(lives[0]!, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'true' }), 'decided by the stopped process').to.equal(
      sumOf(lives[0]!, 'otelcol_processor_tail_sampling_new_trace_id_received'),
    );
    expect({
      sampled: overLives(lives, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'true' }),
      notSampled: overLives(lives, 'otelcol_processor_tail_sampling_global_count_traces_sampled', { sampled: 'false' }),
    }).to.deep.equal({ sampled: received, notSampled: 0 });
  });

  it('stores every acknowledged span in Jaeger, and only those: what the gateways kept, each span once', () => {
    const acknowledged = sender.acknowledged();
    expect([...acknowledged].filter((span) => !stored.has(span))).to.deep.equal([]);
    expect([...stored].filter((span) => !acknowledged.has(span))).to.deep.equal([]);
    // Every session is kept: the gateways passed on to Jaeger all they accepted, duplicates included.
    const gatewaysAccepted = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_receiver_accepted_spans'), 0);
    const gatewaysExported = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' }), 0);
    const gatewaysFailed = lives.reduce((sum, life) => sum + sumOf(life, 'otelcol_exporter_send_failed_spans') + sumOf(life, 'otelcol_exporter_enqueue_failed_spans'), 0);
    expect({ gatewaysExported, gatewaysFailed }).to.deep.equal({ gatewaysExported: gatewaysAccepted, gatewaysFailed: 0 });
  });
});

describe('the gateway tier with a gateway killed (SIGKILL) mid-run and started again', function () {
  before(function () {
    requirePrerequisites(this, 'test:e2e gateway-restart', ['stack-programs']);
  });

  this.timeout(20 * 60_000);

  let tier: GatewayTier | undefined;
  const startedAt = Date.now();
  let sender: Sender;
  let sentAtKill = 0;
  let sentAtRestart = 0;
  let agent: MetricSample[] = [];
  /** The killed process's metrics, read once it had received everything the agent had for it and before the kill. */
  let killed: MetricSample[] = [];
  /** Final metrics of the restarted process and of the other gateway. */
  const survivors: MetricSample[][] = [];
  let stored = new Set<string>();
  let missing: string[] = [];

  before(async () => {
    // A decision_wait longer than the steps around the kill: every span the killed process
    // accepted is still in tail_sampling's buffer when it dies, so its loss is exactly its
    // otelcol_receiver_accepted_spans.
    const stack = await startGatewayTier({ gatewayEnv: { SESSION_SAMPLE_THRESHOLD: KEEP_EVERY_SESSION, TAIL_SAMPLING_DECISION_WAIT: '30s' } });
    tier = stack;
    const [restarted, other] = stack.gateways as [Gateway, Gateway];
    sender = new Sender(stack.agentTracesUrl);
    await waitFor('the first gateway to accept spans', async () => sumOf(await restarted.metrics(), 'otelcol_receiver_accepted_spans') > 0, 60_000);
    // The senders pause for the kill only so that the killed process's counts can be read
    // complete: once the agent has delivered all it was given, nothing more reaches it.
    await sender.pause();
    const acknowledgedAtKill = sender.acknowledged().size;
    await waitFor(
      `the agent to have sent, failed or refused the ${acknowledgedAtKill} spans acknowledged before the kill`,
      async () => {
        const { sent, failed, refused } = agentOutcome(await stack.agentMetrics());
        return sent + failed + refused === acknowledgedAtKill;
      },
      60_000,
    );
    killed = await restarted.metrics();
    sentAtKill = sender.sent;
    await restarted.stop('SIGKILL');
    sender.resume();
    ({ sentAtRestart, agent } = await outageEnds(stack, restarted, sender, 'killed'));
    const acknowledged = sender.acknowledged();
    const lostInKill = sumOf(killed, 'otelcol_receiver_accepted_spans');
    await waitFor(
      `every acknowledged span in Jaeger but at most the ${lostInKill} the killed process held`,
      async () => {
        stored = new Set((await searchTraces(stack.jaeger.queryUrl, SERVICES[0]!, {}, startedAt)).flatMap((found) => found.spans.map((span) => `${span.traceID}/${span.spanID}`)));
        missing = [...acknowledged].filter((span) => !stored.has(span));
        return missing.length <= lostInKill;
      },
      180_000,
      () => `${missing.length} acknowledged spans missing from Jaeger`,
    );
    for (const gateway of [restarted, other]) {
      const last = await gateway.stop('SIGTERM');
      if (last === undefined) throw new Error(`${gateway.name} pushed no metrics as it stopped:\n${gateway.output()}`);
      survivors.push(last);
    }
    const { sent, failed, refused } = agentOutcome(agent);
    console.log(
      `      sessions sent ${sender.sent} (${sentAtKill} before the kill, ${sentAtRestart - sentAtKill} during the outage); ` +
        `SDK: ${sender.ended} spans ended, ${acknowledged.size} acknowledged, ${sender.failed()} failed; ` +
        `agent: ${sent} sent, ${failed} failed, ${refused} refused, ` +
        `${sumOf(agent, 'otelcol_loadbalancer_backend_outcome', { endpoint: restarted.otlpEndpoint, success: 'false' })} failed sends to ${restarted.name}; ` +
        `killed process: ${lostInKill} spans accepted, ${sumOf(killed, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' })} exported, ` +
        `${sumOf(killed, 'otelcol_processor_tail_sampling_new_trace_id_received')} traces received by tail_sampling, ` +
        `${sumOf(killed, 'otelcol_processor_tail_sampling_global_count_traces_sampled')} decided; ` +
        `restarted and other gateway: ${overLives(survivors, 'otelcol_receiver_accepted_spans')} accepted, ` +
        `${overLives(survivors, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' })} exported; ` +
        `Jaeger: ${stored.size} distinct spans, ${missing.length} acknowledged spans missing`,
    );
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await tier?.stop();
  });

  it('keeps sending sessions while the gateway is down, and every span ended in the SDKs is acknowledged by the agent', () => {
    expect(sentAtRestart, 'sessions sent during the outage').to.be.greaterThan(sentAtKill);
    expect(sender.failed(), 'spans whose export to the agent failed').to.equal(0);
    expect(sender.acknowledged().size).to.equal(sender.ended);
  });

  it('counts the spans the killed process held as sent on the agent, failed nowhere', () => {
    expect(agentOutcome(agent)).to.deep.equal({ sent: sender.ended, failed: 0, refused: 0 });
  });

  it('loses exactly what the killed process held in tail_sampling\'s buffer, visible only in its own counts read before it died', () => {
    const lostInKill = sumOf(killed, 'otelcol_receiver_accepted_spans');
    expect(lostInKill, 'spans the killed process accepted').to.be.greaterThan(0);
    expect(sumOf(killed, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' }), 'spans it had exported').to.equal(0);
    expect(missing).to.have.length(lostInKill);
  });

  it('loses nothing in the restarted process and the other gateway: they exported all they accepted', () => {
    const accepted = overLives(survivors, 'otelcol_receiver_accepted_spans');
    expect(overLives(survivors, 'otelcol_exporter_sent_spans', { exporter: 'otlp_grpc/jaeger' })).to.equal(accepted);
    expect([...stored].filter((span) => !sender.acknowledged().has(span))).to.deep.equal([]);
  });
});
