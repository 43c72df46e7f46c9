/**
 * The local stand-in for SQS on dynalite: every message is handled once on success, again after a
 * failure (with a backoff), dead-lettered after too many receives, held until `notBefore`, and kept
 * across a restart (a new queue on the same table delivers what the old one left). Polls read an
 * in-memory index, so this also checks that the index never loses or invents a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSendQueue } from '../../../../lambdas/adapters/local/local-send-queue';
import { openLocalDeps } from '../../../../lambdas/composition/local';
import { offsetClock } from '../../../../lambdas/ports/clock';
import type { SendBatch } from '../../../../lambdas/ports/send-queue';

const batch = (id: string, extra: Partial<SendBatch> = {}): SendBatch => ({
  tenantId: 't1',
  campaignId: 'c1',
  waveId: 'now',
  batchId: id,
  deviceIds: [id],
  ...extra,
});

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('LocalSendQueue', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spush-queue-'));
  let local: Awaited<ReturnType<typeof openLocalDeps>>;
  const queues: LocalSendQueue[] = [];
  const queue = (opts: ConstructorParameters<typeof LocalSendQueue>[1] = {}, clock = offsetClock()) => {
    const q = new LocalSendQueue(local.records, { pollMs: 10, ...opts }, () => undefined, clock);
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    local = await openLocalDeps(dir);
    await local.queue.stop(); // the world's own consumer must not take our messages
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });
  afterAll(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('500 messages enqueued while it consumes: each handled once, then the queue is empty', async () => {
    const q = queue({ concurrency: 4 });
    const seen: string[] = [];
    q.consume(async (b) => void seen.push(b.batchId));
    await Promise.all(Array.from({ length: 10 }, (_, k) => q.enqueue(Array.from({ length: 50 }, (_, i) => batch(`m${k * 50 + i}`)))));
    await until(() => seen.length >= 500, '500 messages');
    await until(async () => (await q.depth()).queued === 0, 'deletes');
    expect(new Set(seen).size).toBe(500);
    expect(seen).toHaveLength(500);
  });

  test('a failed message comes back after a backoff; one failing for good is dead-lettered', async () => {
    const q = queue({ maxReceives: 3 });
    const tries = new Map<string, number>();
    q.consume(async (b) => {
      tries.set(b.batchId, (tries.get(b.batchId) ?? 0) + 1);
      if (b.batchId === 'flaky' && tries.get('flaky')! < 2) throw new Error('transient');
      if (b.batchId === 'poison') throw new Error('always');
    });
    await q.enqueue([batch('flaky'), batch('poison')]);
    await until(async () => (await q.depth()).dead === 1 && tries.get('flaky') === 2, 'the retry and the dead letter');
    expect(tries.get('poison')).toBe(3);
    expect(await q.depth()).toEqual({ queued: 0, dead: 1 });
  });

  test('a message with notBefore waits for it', async () => {
    const clock = offsetClock();
    const q = queue({}, clock);
    const seen: string[] = [];
    q.consume(async (b) => void seen.push(b.batchId));
    await q.enqueue([batch('later', { notBefore: new Date(clock.now().getTime() + 3_600_000).toISOString() }), batch('now')]);
    await until(() => seen.includes('now'), 'the due message');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(['now']);
    clock.advance(3_600_000);
    await until(() => seen.includes('later'), 'the delayed message');
  });

  test('a restart: a new queue on the same table delivers what the stopped one left, messages enqueued before it polls included', async () => {
    const first = queue();
    await first.enqueue([batch('left-1'), batch('left-2')]);
    await first.stop(); // never consumed
    const second = queue();
    await second.enqueue([batch('early')]); // before its index is loaded
    const seen: string[] = [];
    second.consume(async (b) => void seen.push(b.batchId));
    await until(() => seen.length >= 3, 'three messages');
    await until(async () => (await second.depth()).queued === 0, 'deletes');
    expect(seen.sort()).toEqual(['early', 'left-1', 'left-2']);
  });
});
