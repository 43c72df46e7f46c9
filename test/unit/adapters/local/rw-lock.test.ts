/** The local engine's lock: many readers or one writer, and a write that turns into a read with no writer in between. */
import { RwLock } from '../../../../lambdas/adapters/local/rw-lock';

const tick = () => new Promise((r) => setImmediate(r));

test('writeThenRead: a writer that queued during the write phase runs only after the read phase', async () => {
  const lock = new RwLock();
  const log: string[] = [];
  let releasePrepare!: () => void;
  let releaseRead!: () => void;
  const main = lock.writeThenRead(
    () => new Promise<void>((r) => ((releasePrepare = r), log.push('prepare'))),
    () => new Promise<string>((r) => ((releaseRead = () => r('done')), log.push('read'))),
  );
  await tick();
  const writer = lock.write(async () => void log.push('writer'));
  await tick();
  releasePrepare();
  await tick();
  await tick();
  expect(log).toEqual(['prepare', 'read']); // the queued writer did not slip in between
  releaseRead();
  expect(await main).toBe('done');
  await writer;
  expect(log).toEqual(['prepare', 'read', 'writer']);
});

test('a failing write phase releases the lock', async () => {
  const lock = new RwLock();
  await expect(
    lock.writeThenRead(
      async () => Promise.reject(new Error('boom')),
      async () => 'never',
    ),
  ).rejects.toThrow('boom');
  await expect(lock.write(async () => 'free')).resolves.toBe('free');
});

test('readers share; a writer waits for them and blocks readers that come after it', async () => {
  const lock = new RwLock();
  const log: string[] = [];
  let release!: () => void;
  const first = lock.read(() => new Promise<void>((r) => ((release = r), log.push('r1'))));
  await tick();
  const writer = lock.write(async () => void log.push('w'));
  const late = lock.read(async () => void log.push('r2'));
  await tick();
  expect(log).toEqual(['r1']);
  release();
  await Promise.all([first, writer, late]);
  expect(log).toEqual(['r1', 'w', 'r2']);
});
