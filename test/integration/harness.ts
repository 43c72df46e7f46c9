/** Starts the real local world (dynalite + lake + DuckDB + HTTP on an ephemeral port) for a test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalWorld, type LocalWorld, type LocalWorldOptions } from '../../lambdas/composition/local';

export interface Caller {
  token: string;
  appKey: string;
  tenantId: string;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestWorld {
  world!: LocalWorld;
  readonly dataDir: string;
  private readonly suiteTenants: [string, Caller][] = [];

  constructor(private readonly options: Partial<LocalWorldOptions> = {}) {
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'spush-'));
  }

  async start(): Promise<this> {
    this.world = await startLocalWorld({ dataDir: this.dataDir, port: 0, compactEveryMs: 0, ...this.options });
    return this;
  }

  /** Start the world before the tests of the enclosing describe (then make its `tenants`, then run `setup`) and stop it after them. */
  forSuite(setup: () => Promise<unknown> = async () => {}, timeoutMs?: number): this {
    beforeAll(async () => {
      await this.start();
      for (const [tenantId, caller] of this.suiteTenants) Object.assign(caller, await this.tenant(tenantId));
      await setup();
    }, timeoutMs);
    afterAll(() => this.stop());
    return this;
  }

  async restart(): Promise<void> {
    await this.world.stop();
    await this.start();
  }

  async stop(removeData = true): Promise<void> {
    await this.world?.stop();
    if (removeData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  get url(): string {
    return this.world.url;
  }

  async request<T = any>(
    method: string,
    urlPath: string,
    opts: { token?: string; appKey?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.appKey) headers['x-app-key'] = opts.appKey;
    let body: string | Buffer | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + urlPath, { method, headers, body: body as any });
    const text = await res.text();
    let parsed: any = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** `api(method, path, body?, who?)`: a request with `who`'s token, by default the caller `me()` returns when it is made. */
  as(me: () => Caller) {
    return (method: string, urlPath: string, body?: unknown, who: Caller = me()) =>
      this.request(method, urlPath, { token: who.token, body });
  }

  /** Callers of these tenants, made by forSuite once the world has started (before its `setup`): read them in hooks and tests. */
  tenants(...tenantIds: string[]): Caller[] {
    return tenantIds.map((tenantId) => {
      const caller = {} as Caller;
      this.suiteTenants.push([tenantId, caller]);
      return caller;
    });
  }

  async tenant(tenantId: string): Promise<Caller> {
    const res = await this.request('POST', '/local/tenants', { body: { tenantId } });
    if (res.status !== 200) throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Rows of a lake table for a tenant, straight from DuckDB (what segment queries see). */
  async lakeRows(table: 'events' | 'devices', tenantId: string): Promise<Record<string, unknown>[]> {
    return this.world.engine.run({ sql: `SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY ALL`, params: [tenantId] });
  }
}

/** Asserts an API.md error body. */
export function expectError(res: ApiResponse, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code: code ?? expect.any(String), message: expect.any(String) }) });
}

export function isoDaysAgo(days: number, from = new Date()): string {
  return new Date(from.getTime() - days * 86_400_000).toISOString();
}

/** Poll until `check` returns a truthy value (or throw after timeoutMs). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A campaign body with sensible defaults. */
export function campaignBody(over: Record<string, unknown> = {}) {
  return {
    name: `Campaign ${Math.random().toString(36).slice(2, 8)}`,
    kind: 'campaign',
    message: { title: '24h only: 30% off 🎉', body: 'Your favourites are on sale. Tap to shop.', deepLink: 'myshop://sale/bf' },
    schedule: { type: 'now' },
    ...over,
  };
}

/** Create a campaign (campaignBody + overrides) and launch it; its id. */
export async function launchNow(t: TestWorld, caller: Caller, over: Record<string, unknown> = {}): Promise<string> {
  const c = (await t.request('POST', '/v1/campaigns', { token: caller.token, body: campaignBody(over) })).body;
  const res = await t.request('POST', `/v1/campaigns/${c.id}/launch`, { token: caller.token });
  if (res.status !== 200) throw new Error(`launch answered ${res.status}: ${JSON.stringify(res.body)}`);
  return c.id as string;
}

/** Wait until the campaign is `sent`; the campaign as the API shows it then. */
export function waitSent(t: TestWorld, caller: Caller, id: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    async () => {
      const c = (await t.request('GET', `/v1/campaigns/${id}`, { token: caller.token })).body;
      return c.status === 'sent' ? c : undefined;
    },
    timeoutMs,
    `campaign ${id} sent`,
  );
}

/** Local wall-clock "YYYY-MM-DDTHH:mm:ss" of an instant in a zone. */
export function wallClock(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Create a segment of the devices in `countries` (fails the test unless it is created); the segment as the API answers it. */
export async function countrySegment(t: TestWorld, caller: Caller, name: string, countries: string[]): Promise<{ id: string }> {
  const body = { name, match: 'all', criteria: [{ filter: 'device_country', operator: 'in', value: countries }] };
  const res = await t.request('POST', '/v1/segments', { token: caller.token, body });
  if (res.status !== 201) throw new Error(`segment ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Register devices through the device API. */
export async function registerDevices(t: TestWorld, caller: Caller, devices: [string, Record<string, unknown>][]) {
  for (const [id, over] of devices) {
    const res = await t.request('PUT', `/v1/devices/${id}`, {
      appKey: caller.appKey,
      body: { platform: 'ios', token: `tok-${id}`, optedIn: true, ...over },
    });
    if (res.status !== 200) throw new Error(`device ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The outbox of a campaign, as device ids (sorted, duplicates kept). */
export async function outboxDevices(t: TestWorld, caller: Caller, campaignId: string): Promise<string[]> {
  const res = await t.request('GET', `/local/outbox?campaignId=${campaignId}`, { token: caller.token });
  return (res.body.items as { deviceId: string }[]).map((i) => i.deviceId).sort();
}
