import { builtBinary } from './observability-stack.ts';
import { startVictoriaProgram, type VictoriaProgram } from './victoria-program.ts';

/**
 * A VictoriaLogs v1.52.1 cluster on loopback, all from the one `victoria-logs` binary: storage
 * nodes (no `-storageNode`: a single node, serving `/internal/insert` and `/internal/select/*`
 * to the others), an insert node (`-storageNode=… -select.disable`) and a select node
 * (`-storageNode=… -insert.disable`). Every node answers `/health`.
 */
export interface VictoriaLogsCluster {
  readonly storageNodes: readonly VictoriaProgram[];
  /** Serves `/insert/*` (OTLP at `otlpLogsUrl`); answers `/select/*` with 400. Shards each log stream whole to one storage node. */
  readonly insertNode: VictoriaProgram;
  /** Serves `/select/logsql/*` and the UI at `/select/vmui/`; answers `/insert/*` with 400. */
  readonly selectNode: VictoriaProgram;
  /** `<insert node>/insert/opentelemetry/v1/logs` (protobuf only, as on a single node). */
  readonly otlpLogsUrl: string;
  /** Stops every node and deletes their data directories. */
  discard(): Promise<void>;
}

export interface VictoriaLogsClusterOptions {
  /** Storage nodes. Default: 2. */
  readonly storageNodes?: number;
  /** The binary. Default: the one tools/stack/build-victorialogs.sh builds. */
  readonly binary?: string;
}

/**
 * Starts the storage nodes, then the insert and select nodes pointed at them, each on a free
 * port of 127.0.0.1, and resolves once every node answers `/health`. A node that fails to
 * start stops the ones already started.
 */
export async function startVictoriaLogsCluster(options: VictoriaLogsClusterOptions = {}): Promise<VictoriaLogsCluster> {
  const binary = options.binary ?? builtBinary('build-victorialogs.sh');
  const started: VictoriaProgram[] = [];
  const discardAll = async (): Promise<void> => {
    await Promise.all(started.map((node) => node.discard()));
  };
  try {
    const storageNodes: VictoriaProgram[] = [];
    for (let index = 0; index < (options.storageNodes ?? 2); index++) {
      const node = await startVictoriaProgram({ what: `VictoriaLogs storage node ${index + 1}`, binary });
      started.push(node);
      storageNodes.push(node);
    }
    const storageNodeFlag = `-storageNode=${storageNodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
    const insertNode = await startVictoriaProgram({ what: 'VictoriaLogs insert node', binary, flags: [storageNodeFlag, '-select.disable'] });
    started.push(insertNode);
    const selectNode = await startVictoriaProgram({ what: 'VictoriaLogs select node', binary, flags: [storageNodeFlag, '-insert.disable'] });
    started.push(selectNode);
    return { storageNodes, insertNode, selectNode, otlpLogsUrl: `${insertNode.baseUrl}/insert/opentelemetry/v1/logs`, discard: discardAll };
  } catch (error) {
    await discardAll();
    throw error;
  }
}
