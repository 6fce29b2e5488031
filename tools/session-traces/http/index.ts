/**
 * What the Jaeger and VictoriaLogs clients share to ask a query API over HTTP: the endpoint
 * URL (credentials as Basic authentication, never shown), one GET with a size limit and a
 * timeout, the concurrency limit, and the reading of an answer's text and shape.
 */
export { QueryEndpoint, type QueryService, type QueryLimits, type FailureAdvice } from './query-endpoint.ts';
export { HttpGetError, type GetFailure, type LimitedAnswer } from './http-get.ts';
export { ConcurrencyLimit } from './concurrency-limit.ts';
export { parseEndpointUrl, EndpointUrlError, type Endpoint } from './endpoint-url.ts';
export { decodeAnswerText, describeNotJson } from './answer-text.ts';
export { AnswerShapeError, describeValue } from './answer-shape.ts';
