/** Why a listen failed and what to do, by the error's code. */
const CAUSES: Readonly<Record<string, { cause: string; fix: string }>> = {
  EADDRINUSE: { cause: 'the port is in use (another process holds it)', fix: 'set PORT to a free port (0 picks one) or stop that process' },
  EADDRNOTAVAIL: {
    cause: 'the address is not one of this machine’s',
    fix: 'set HOST to an address of this machine (0.0.0.0 for all interfaces, 127.0.0.1 for this machine only)',
  },
  EACCES: { cause: 'permission denied (ports below 1024 need privileges)', fix: 'set PORT to 1024 or above' },
  ENOTFOUND: { cause: 'the host name does not resolve', fix: 'set HOST to an address or a name this machine resolves' },
  EAI_AGAIN: { cause: 'the host name could not be resolved now', fix: 'set HOST to an address, or check the name service' },
};

/**
 * The one line a person reads when the server cannot listen on `host`:`port`: the address,
 * the cause and the fix, e.g. `cannot listen on 127.0.0.1:3000: the port is in use (another
 * process holds it); set PORT to a free port (0 picks one) or stop that process`. An error
 * code not known here is named with its message. No stack: the cause is the environment,
 * not the code. Control characters in the host are not echoed.
 */
export function describeListenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  const address = `${host.includes(':') ? `[${host}]` : host}:${String(port)}`.replace(/[\p{Cc}]/gu, '?');
  const known = CAUSES[error.code ?? ''];
  const reason = known === undefined ? `${error.code ?? error.name}: ${error.message}; check HOST and PORT` : `${known.cause}; ${known.fix}`;
  return `cannot listen on ${address}: ${reason}`.replace(/[\p{Cc}]/gu, ' ');
}

/**
 * The URL a person opens to reach a server listening on `host`:`port`: the wildcard
 * addresses (`0.0.0.0`, `::`) become `localhost`, IPv6 addresses get brackets.
 */
export function listeningUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${String(port)}`;
}
