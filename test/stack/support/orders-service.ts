import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createService, makeTempDir, type TempDir } from '../../tools/support/create-service-run.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The `orders` service, generated as docker compose builds it, ready to run from a temporary folder. */
export interface OrdersProject {
  /** `node --import <preload> <main>` of the generated project (its own `npm start`). */
  readonly command: readonly string[];
  remove(): void;
}

/**
 * Generates the `orders` service (`create-service --own-code services/orders`) into a
 * temporary folder, as services/orders/Dockerfile does, sharing this repository's
 * node_modules (the generated package locks the same versions, fewer of them).
 */
export async function generateOrdersProject(): Promise<OrdersProject> {
  const temp: TempDir = makeTempDir('orders-');
  const dir = join(temp.path, 'orders');
  const run = await createService([dir, '--name', 'orders', '--own-code', join(projectRoot, 'services/orders')], projectRoot);
  if (run.code !== 0) {
    temp.remove();
    throw new Error(`create-service failed for orders (exit ${run.code}): ${run.stderr}`);
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    command: [process.execPath, '--import', join(dir, 'src/core/preload.ts'), join(dir, 'src/main.ts')],
    remove: () => {
      temp.remove();
    },
  };
}
