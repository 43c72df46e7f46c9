/** dynalite (DynamoDB on LevelDB) on a loopback port, persisted under the data folder. */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynaliteServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(dir: string, port = 0): Promise<DynaliteServer> {
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
