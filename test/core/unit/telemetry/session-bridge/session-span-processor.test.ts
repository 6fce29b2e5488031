import { context, trace, type Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { SessionMapKey } from '../../../../../src/core/context/session-map-key.ts';
import { runWithSession } from '../../../../../src/core/context/run-with-session.ts';
import { createSessionStore, runInSessionStore, setByKey } from '../../../../../src/core/context/session-storage.ts';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../../../../src/core/context/semconv.ts';
import { SessionSpanProcessor } from '../../../../../src/core/telemetry/session-bridge/session-span-processor.ts';
import { installContextManager } from '../../../support/context-manager.ts';

describe('SessionSpanProcessor', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SessionSpanProcessor(), new SimpleSpanProcessor({ exporter })],
  });
  const tracer: Tracer = provider.getTracer('test');
  let uninstall: () => void;

  before(() => {
    uninstall = installContextManager();
  });
  after(async () => {
    uninstall();
    await provider.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
  });

  const attributesOf = (name: string): Record<string, unknown> => {
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
    if (span === undefined) throw new Error(`no span named ${name}`);
    return span.attributes;
  };

  it('adds session.id to a span started inside a session', () => {
    runWithSession({ sessionId: 'session-proc-1' }, () => {
      tracer.startSpan('manual').end();
    });
    expect(attributesOf('manual')).to.include({ [ATTR_SESSION_ID]: 'session-proc-1' });
    expect(attributesOf('manual')).not.to.have.property(ATTR_USER_ID);
  });

  it('adds user.id to spans started after setByKey, not to those started before', () => {
    runWithSession({ sessionId: 'session-proc-2' }, () => {
      tracer.startSpan('before-login').end();
      setByKey(SessionMapKey.USER_ID, 'frank');
      tracer.startSpan('after-login').end();
    });
    expect(attributesOf('before-login')).not.to.have.property(ATTR_USER_ID);
    expect(attributesOf('after-login')).to.include({ [ATTR_SESSION_ID]: 'session-proc-2', [ATTR_USER_ID]: 'frank' });
  });

  it('tags early spans at session start and again on every setByKey', () => {
    const root = tracer.startSpan('root');
    runInSessionStore(createSessionStore({ sessionId: 'session-proc-3' }, [root]), () => {
      expect(root.isRecording()).to.equal(true);
      setByKey(SessionMapKey.USER_ID, 'grace');
    });
    root.end();
    expect(attributesOf('root')).to.include({ [ATTR_SESSION_ID]: 'session-proc-3', [ATTR_USER_ID]: 'grace' });
  });

  it('leaves spans outside any session untouched', () => {
    tracer.startSpan('outside').end();
    expect(attributesOf('outside')).to.deep.equal({});
  });

  it('tags a child span with the session of the context it starts in, not of its parent', () => {
    const parent = tracer.startSpan('parent');
    runWithSession({ sessionId: 'session-proc-4' }, () => {
      tracer.startSpan('child', {}, trace.setSpan(context.active(), parent)).end();
    });
    parent.end();
    expect(attributesOf('child')).to.include({ [ATTR_SESSION_ID]: 'session-proc-4' });
  });
});
