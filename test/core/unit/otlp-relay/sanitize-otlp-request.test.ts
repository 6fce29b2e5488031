import { expect } from 'chai';
import { MAX_OTLP_DEPTH, sanitizeOtlpRequest } from '../../../../src/core/otlp-relay/sanitize-otlp-request.ts';

type Attribute = { key: string; value: Record<string, unknown> };

const text = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });

/** An OTLP/JSON trace export request as the browser's exporter shapes it. */
function traceRequest(): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', 'api'), text('user.id', 'alice'), text('telemetry.sdk.language', 'webjs')] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-fetch', attributes: [text('user.id', 'alice')] },
            spans: [
              {
                traceId: '0af7651916cd43dd8448eb211c80319c',
                spanId: 'b7ad6b7169203331',
                name: 'HTTP GET',
                kind: 3,
                attributes: [
                  text('session.id', 'browser-session-1'),
                  text('user.id', 'alice'),
                  { key: 'enduser', value: { kvlistValue: { values: [text('user.id', 'alice'), text('role', 'x')] } } },
                ],
                events: [{ name: 'click', attributes: [text('user.id', 'alice'), text('session.id', 'browser-session-1')] }],
                links: [{ traceId: '0af7651916cd43dd8448eb211c80319d', spanId: 'b7ad6b7169203332', attributes: [text('user.id', 'mallory')] }],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** An OTLP/JSON log export request. */
function logRequest(): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [text('service.name', 'orders')] },
        scopeLogs: [
          {
            scope: { name: 'browser-session' },
            logRecords: [
              { eventName: 'session.start', attributes: [text('session.id', 'browser-session-2'), text('user.id', 'bob')], body: { stringValue: 'hi' } },
            ],
          },
        ],
      },
    ],
  };
}

/** Every attribute key anywhere in `value`, in document order. */
function attributeKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(attributeKeys);
  if (typeof value !== 'object' || value === null) return [];
  const own = 'key' in value && typeof value.key === 'string' ? [value.key] : [];
  return [...own, ...Object.values(value).flatMap(attributeKeys)];
}

function resourceAttributes(request: Readonly<Record<string, unknown>> | undefined, field: string): unknown[] {
  const batches = request?.[field] as { resource: { attributes: unknown[] } }[];
  return batches.map((batch) => batch.resource.attributes);
}

describe('sanitizeOtlpRequest', () => {
  it("sets every resource's service.name to the browser's and keeps its other attributes when a page claims a backend's name", () => {
    const sanitized = sanitizeOtlpRequest('traces', traceRequest(), 'web');
    expect(resourceAttributes(sanitized, 'resourceSpans')).to.deep.equal([[text('telemetry.sdk.language', 'webjs'), text('service.name', 'web')]]);
    const logs = sanitizeOtlpRequest('logs', logRequest(), 'storefront');
    expect(resourceAttributes(logs, 'resourceLogs')).to.deep.equal([[text('service.name', 'storefront')]]);
  });

  it('gives a resource the service name when the batch has no resource, or several service.name entries', () => {
    const request = {
      resourceSpans: [{ scopeSpans: [] }, { resource: { attributes: [text('service.name', 'a'), text('service.name', 'b')] }, scopeSpans: [] }],
    };
    expect(resourceAttributes(sanitizeOtlpRequest('traces', request, 'web'), 'resourceSpans')).to.deep.equal([
      [text('service.name', 'web')],
      [text('service.name', 'web')],
    ]);
  });

  it('removes user.id from the resource, scope, span, span event, span link and nested key/value lists, and keeps session.id', () => {
    const keys = attributeKeys(sanitizeOtlpRequest('traces', traceRequest(), 'web'));
    expect(keys).not.to.include('user.id');
    expect(keys.filter((key) => key === 'session.id')).to.have.length(2);
    expect(keys).to.include('role');
    const logKeys = attributeKeys(sanitizeOtlpRequest('logs', logRequest(), 'web'));
    expect(logKeys).to.deep.equal(['service.name', 'session.id']);
  });

  it('removes user.id also when the nested fields use the protobuf spellings the collector reads too', () => {
    const request = {
      resourceLogs: [{ scope_logs: [{ log_records: [{ attributes: [text('user.id', 'mallory'), text('session.id', 's-1')] }] }] }],
    };
    const keys = attributeKeys(sanitizeOtlpRequest('logs', request, 'web'));
    expect(keys).to.deep.equal(['session.id', 'service.name']);
  });

  it('leaves its input as it was when it sanitizes', () => {
    const request = traceRequest();
    const before = structuredClone(request);
    const sanitized = sanitizeOtlpRequest('traces', request, 'web');
    expect(request).to.deep.equal(before);
    expect(sanitized).not.to.deep.equal(before);
  });

  it('keeps every other field of the request as it was', () => {
    const sanitized = sanitizeOtlpRequest('traces', traceRequest(), 'web') as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const span = sanitized.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span).to.include({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'HTTP GET', kind: 3 });
  });

  it('refuses a body that is not an export request of its signal', () => {
    const refused: [string, unknown][] = [
      ['null', null],
      ['a string', 'resourceSpans'],
      ['an array', [traceRequest()]],
      ['the other signal', logRequest()],
      ['an extra field', { ...traceRequest(), extra: 1 }],
      ['the protobuf spelling at the top', { resource_spans: [] }],
      ['an empty object', {}],
      ['batches that are not an array', { resourceSpans: { 0: {} } }],
      ['a batch that is not an object', { resourceSpans: ['x'] }],
      ['a resource that is not an object', { resourceSpans: [{ resource: [] }] }],
      ['resource attributes that are not an array', { resourceSpans: [{ resource: { attributes: { 'user.id': 'x' } } }] }],
    ];
    for (const [what, request] of refused) expect(sanitizeOtlpRequest('traces', request, 'web'), what).to.equal(undefined);
  });

  it(`refuses a request nested deeper than ${MAX_OTLP_DEPTH} levels, and accepts one at the limit`, () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    // The request object is level 1 and its batches array level 2: a batch holding
    // `attributes` (level 3) whose value nests the rest.
    const at = (depth: number): unknown => ({ resourceSpans: [{ deep: nested(depth - 3) }] });
    expect(sanitizeOtlpRequest('traces', at(MAX_OTLP_DEPTH), 'web')).not.to.equal(undefined);
    expect(sanitizeOtlpRequest('traces', at(MAX_OTLP_DEPTH + 1), 'web')).to.equal(undefined);
    expect(sanitizeOtlpRequest('traces', at(100_000), 'web')).to.equal(undefined);
  });

  it('keeps a __proto__ key of the JSON as data, without touching the prototype of the result', () => {
    const request = JSON.parse('{"resourceSpans":[{"__proto__":{"polluted":true},"scopeSpans":[]}]}') as unknown;
    const sanitized = sanitizeOtlpRequest('traces', request, 'web') as { resourceSpans: Record<string, unknown>[] };
    const batch = sanitized.resourceSpans[0]!;
    expect(Object.getPrototypeOf(batch)).to.equal(Object.prototype);
    expect(JSON.stringify(sanitized)).to.include('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });
});
