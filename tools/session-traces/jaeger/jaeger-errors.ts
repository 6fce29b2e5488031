/** Jaeger could not be used: the lookup cannot say anything (exit 2). */
export class JaegerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JaegerError';
  }
}

/** Jaeger did not answer, answered with an error status, or stopped answering part-way. */
export class JaegerUnavailableError extends JaegerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JaegerUnavailableError';
  }
}

/** Jaeger answered something the lookup cannot use: not JSON, an unexpected shape, or too large. */
export class JaegerAnswerError extends JaegerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JaegerAnswerError';
  }
}
