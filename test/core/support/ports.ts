import { connect, createServer, type Server } from 'node:net';

async function listenOnAnyPort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Racy by nature: another process may
 * take it before the program it is meant for binds it. Prefer PORT=0 and reading back the
 * bound port; when a program needs its ports given, treat "address already in use" at its
 * start as a reason to retry with new ones.
 */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** `count` distinct free ports (see {@link freePort}): all are held until every one is chosen. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnAnyPort());
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** True when nothing accepts connections on 127.0.0.1:`port`. */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '0.0.0.0', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

/** True when a connection to 127.0.0.1:`port` is refused (nothing listens there). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

/**
 * Privileged ports, none on the WHATWG fetch "bad ports" list (which fetch refuses before
 * connecting). The OS never hands them out for port 0 or as the source port of a connection,
 * so no other test can start listening there while this one runs, as it could on a port that
 * was merely free a moment ago (and a connection to a closed ephemeral port can even be
 * answered by itself, a TCP self-connect).
 */
const CLOSED_PORT_CANDIDATES = [1023, 1022, 1021, 1020, 1019, 1018, 1017, 1016] as const;

/** A loopback port nothing listens on: connections to it are refused (ECONNREFUSED). */
export async function closedPort(): Promise<number> {
  for (const port of CLOSED_PORT_CANDIDATES) if (await refusesConnections(port)) return port;
  throw new Error(`Every candidate closed port accepts connections on 127.0.0.1: ${CLOSED_PORT_CANDIDATES.join(', ')}`);
}
