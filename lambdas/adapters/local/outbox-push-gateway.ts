/**
 * The local push gateway: records every push it "delivers" (exactly the SNS message it would
 * publish) in an outbox, one line per push, so tests can see a duplicate if one ever happened.
 * It can be told to fail a fraction of sends (transiently) or to report tokens as unregistered.
 *
 * The outbox stands in for the phone provider, not for product storage, so it is a plain
 * append-only NDJSON log per campaign (<dir>/<tenant>/<campaign>.ndjson) rather than DynamoDB items.
 * A push's line is written before `send` resolves (no fsync: a SIGKILL leaves the page cache to the
 * OS), so a restart on the same dir still knows it. Which devices a campaign reached is indexed in
 * memory, loaded from the campaign's log on its first use after a start; a torn line (a crash or a
 * failed write mid-line) is skipped.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { backoffDelay, LOCAL_PUSH_FAULT_RETRY } from '../../domain/backoff';
import type { GatewayFaults, LocalOutbox, OutboxItem } from '../../ports/local-outbox';
import { TransientPushError, type Push, type PushGateway, type PushResult } from '../../ports/push-gateway';

/** One line of a campaign's log: the item, plus the SNS attributes it was published with. */
interface LogLine extends OutboxItem {
  attributes?: Record<string, string>;
  /** A test push: shown in the outbox, but not a delivery of the campaign (deliveryRecord ignores it). */
  test?: true;
  /** Which delivery of the campaign (an automation's batch); absent for campaigns. */
  delivery?: string;
}

/** The key a delivered push is indexed by: the device, within its delivery when it has one. */
const deliveredKey = (deviceId: string, delivery?: string) => (delivery ? `${delivery}\n${deviceId}` : deviceId);

/** A campaign's log as this process writes it: the delivered devices and the lines waiting to be written. */
interface CampaignLog {
  file: string;
  delivered: Set<string>;
  pending: { text: string; done: (err?: Error) => void }[];
  writing: boolean;
  dirReady: boolean;
  /** The file may end in a torn line (a crash, a failed write): the next write starts a new line first. */
  needsNewline: boolean;
}

interface Entry {
  ready: Promise<CampaignLog>;
  loaded: boolean;
  /** Calls using the log right now; only an unused, loaded entry may leave the index. */
  users: number;
}

/** Campaigns whose delivered devices stay indexed at once; an idle one beyond this is reloaded on next use. */
const MAX_INDEXED = 256;
/** Ids used as file names as they are; any other id is hashed (campaign ids reach here from a query string). */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class OutboxPushGateway implements PushGateway, LocalOutbox {
  /** Injected faults per tenant, so one tenant's test switches never touch another's pushes. */
  private readonly faults = new Map<string, GatewayFaults>();
  /** Per (tenant, campaign), least recently used first. */
  private readonly index = new Map<string, Entry>();

  constructor(
    /** Directory of the logs (the local world's `<dataDir>/outbox`). */
    private readonly dir: string,
    private readonly random: () => number = Math.random,
    private readonly attempts = 3,
  ) {}

  faultsFor(tenantId: string): GatewayFaults {
    return this.faults.get(tenantId) ?? { failureRate: 0, unregisteredTokens: [], latencyMs: 0 };
  }

  setFaults(tenantId: string, faults: GatewayFaults): void {
    this.faults.set(tenantId, faults);
  }

  async send(push: Push): Promise<PushResult> {
    const faults = this.faultsFor(push.tenantId);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    // Like the SNS adapter, retry transient provider failures a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      if (faults.unregisteredTokens.includes(push.token)) return { outcome: 'invalid_token', reason: 'Unregistered' };
      if (this.random() >= faults.failureRate) break;
      if (attempt >= this.attempts) throw new TransientPushError('injected transient provider failure');
      await new Promise((r) => setTimeout(r, backoffDelay(attempt - 1, LOCAL_PUSH_FAULT_RETRY)));
    }
    await this.withLog(push.tenantId, push.campaignId, async (log) => {
      const line: LogLine = {
        deviceId: push.deviceId,
        platform: push.platform,
        message: push.message as Record<string, string>,
        sentAt: new Date().toISOString(),
        attributes: push.attributes,
        ...(push.test ? { test: true as const } : {}),
        ...(push.delivery ? { delivery: push.delivery } : {}),
      };
      try {
        await append(log, JSON.stringify(line) + '\n');
      } catch (err) {
        // Not recorded means not delivered: the sender releases the device and tries again later.
        throw new TransientPushError(`outbox write failed: ${(err as Error).message}`);
      }
      if (!push.test) log.delivered.add(deliveredKey(push.deviceId, push.delivery));
    });
    return { outcome: 'sent', providerId: `local-${randomUUID()}` };
  }

  async deliveryRecord(tenantId: string, campaignId: string, deviceId: string, delivery?: string): Promise<'delivered' | 'not_delivered'> {
    return this.withLog(tenantId, campaignId, async (log) =>
      log.delivered.has(deliveredKey(deviceId, delivery)) ? 'delivered' : 'not_delivered',
    );
  }

  /** Every push delivered for a campaign of a tenant, oldest first. */
  async outbox(tenantId: string, campaignId: string): Promise<OutboxItem[]> {
    // Straight from the file (not the index): any campaign id may be asked for, and none should stay in memory.
    const { lines } = await readLog(this.fileOf(tenantId, campaignId));
    return lines
      .map((l) => ({ deviceId: l.deviceId, platform: l.platform, message: l.message, sentAt: l.sentAt }))
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt)); // stable: same-millisecond pushes keep their log order
  }

  private fileOf(tenantId: string, campaignId: string): string {
    return path.join(this.dir, fileSegment(tenantId), `${fileSegment(campaignId)}.ndjson`);
  }

  private async withLog<T>(tenantId: string, campaignId: string, fn: (log: CampaignLog) => Promise<T>): Promise<T> {
    const key = `${tenantId}\n${campaignId}`;
    let entry = this.index.get(key);
    if (entry) {
      this.index.delete(key); // re-inserted below: most recently used last
    } else {
      const created: Entry = { ready: loadLog(this.fileOf(tenantId, campaignId)), loaded: false, users: 0 };
      created.ready.then(
        () => (created.loaded = true),
        () => this.index.get(key) === created && this.index.delete(key), // a failed load is tried again next time
      );
      entry = created;
    }
    this.index.set(key, entry);
    entry.users++;
    try {
      return await fn(await entry.ready);
    } finally {
      entry.users--;
      this.evictIdle();
    }
  }

  /**
   * Keeps the index to MAX_INDEXED campaigns. Only an entry nobody uses leaves it (its writes are done,
   * since a send holds it until its line is written), so two writers of one file never coexist.
   */
  private evictIdle(): void {
    if (this.index.size <= MAX_INDEXED) return;
    for (const [key, entry] of this.index) {
      if (this.index.size <= MAX_INDEXED) break;
      if (entry.loaded && entry.users === 0) this.index.delete(key);
    }
  }
}

function fileSegment(id: string): string {
  return SAFE_ID.test(id) ? id : `~${createHash('sha256').update(id).digest('hex')}`;
}

async function loadLog(file: string): Promise<CampaignLog> {
  const { lines, tornTail } = await readLog(file);
  return {
    file,
    delivered: new Set(lines.filter((l) => !l.test).map((l) => deliveredKey(l.deviceId, l.delivery))),
    pending: [],
    writing: false,
    dirReady: false,
    needsNewline: tornTail,
  };
}

/** Queue a line; one writer per log appends what is queued in one write, so concurrent sends never interleave. */
function append(log: CampaignLog, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    log.pending.push({ text, done: (err) => (err ? reject(err) : resolve()) });
    if (!log.writing) void flush(log);
  });
}

async function flush(log: CampaignLog): Promise<void> {
  log.writing = true;
  while (log.pending.length > 0) {
    const batch = log.pending.splice(0);
    try {
      if (!log.dirReady) {
        await fs.mkdir(path.dirname(log.file), { recursive: true });
        log.dirReady = true;
      }
      await fs.appendFile(log.file, (log.needsNewline ? '\n' : '') + batch.map((b) => b.text).join(''));
      log.needsNewline = false;
      for (const b of batch) b.done();
    } catch (err) {
      log.needsNewline = true; // part of the batch may be on disk: never let the next line continue it
      for (const b of batch) b.done(err as Error);
    }
  }
  log.writing = false;
}

/** The well-formed lines of a log (none if it does not exist), and whether it ends mid-line. */
async function readLog(file: string): Promise<{ lines: LogLine[]; tornTail: boolean }> {
  let size: number;
  let last: Buffer;
  try {
    const handle = await fs.open(file, 'r');
    try {
      size = (await handle.stat()).size;
      last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], tornTail: false };
    throw err;
  }
  const lines: LogLine[] = [];
  if (size === 0) return { lines, tornTail: false };
  // Read up to the size seen above: lines appended meanwhile belong to a later read.
  const input = createInterface({ input: createReadStream(file, { start: 0, end: size - 1 }), crlfDelay: Infinity });
  for await (const text of input) {
    const line = parseLine(text);
    if (line) lines.push(line);
  }
  return { lines, tornTail: last[0] !== 0x0a };
}

function parseLine(text: string): LogLine | undefined {
  if (text.length === 0) return undefined;
  try {
    const v = JSON.parse(text) as LogLine;
    return v && typeof v.deviceId === 'string' && typeof v.sentAt === 'string' && typeof v.message === 'object' ? v : undefined;
  } catch {
    return undefined; // a torn line
  }
}
