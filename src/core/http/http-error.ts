/**
 * An error with an HTTP status and a stable, machine-readable code. Its message is safe to
 * send to the client: it never contains request data.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}
