/**
 * VictoriaLogs could not be used: it did not answer, answered an error status, stopped
 * part-way, or answered something the lookup cannot read. The lookup then prints the traces
 * without their logs and says why in one line (the message, which never holds credentials).
 */
export class VictoriaLogsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VictoriaLogsError';
  }
}
