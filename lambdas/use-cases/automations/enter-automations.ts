/**
 * The event path of automated campaigns: called by POST /v1/events with the accepted events, it
 * makes devices due (event and first_open triggers) and remembers exit events, without waiting for
 * the lake (Firehose buffers for minutes in AWS). One query reads the tenant's active automations;
 * a tenant without any pays nothing more.
 *
 * Idempotent: a due item is keyed by (automation, device, occurrence), the occurrence being the
 * event's id (the SDK's, so a retried batch finds its items again) or `first` for a welcome; an
 * exit mark only ever moves to a later time. So the events use case may call this before it appends
 * the events and fail the request when it fails: the SDK's retry enters nothing twice.
 */
import { createHash } from 'node:crypto';
import { eventKeyOf, keysOfInterest, STALE_AFTER_MS, type Trigger } from '../../domain/automations/trigger';
import type { EventRow } from '../../domain/lake-schema';
import type { ActiveAutomation, AutomationStore, DueItem, ExitMark } from '../../ports/automation-store';
import type { DeviceStore } from '../../ports/device-store';

export interface EnterDeps {
  automations: AutomationStore;
  devices: Pick<DeviceStore, 'getMany'>;
}

const MINUTE_MS = 60_000;

type Row = Pick<EventRow, 'event_id' | 'device_id' | 'type' | 'ts' | 'name'> & Partial<Pick<EventRow, 'product_id' | 'order_id'>>;

/** Ids the events API makes for events sent without one (ingest-events.ts): new on every retry. */
const SERVER_EVENT_ID = /^srv-/;

/**
 * The occurrence an event stands for: the SDK's event id; for an event sent without one, what it says
 * (device, type, name, product, order, time), so the SDK's retry of a batch enters nothing twice.
 */
function occurrenceOf(e: Row): string {
  if (!SERVER_EVENT_ID.test(e.event_id)) return e.event_id;
  const what = [e.device_id, e.type, e.name ?? '', e.product_id ?? '', e.order_id ?? '', new Date(e.ts).toISOString()].join('\n');
  return `h:${createHash('sha256').update(what).digest('base64url').slice(0, 22)}`;
}

/** What entering did: items new this call, and exit marks written. */
export interface EnterOutcome {
  entered: DueItem[];
  exits: number;
}

export async function enterAutomations(deps: EnterDeps, tenantId: string, events: readonly Row[], now: Date): Promise<EnterOutcome> {
  const none = { entered: [], exits: 0 };
  if (events.length === 0) return none;
  const registered = await deps.automations.activeOf(tenantId);
  if (registered.length === 0) return none;
  // Paused automations enter nothing, but their exit events count (a purchase during a pause exits on resume).
  const active = registered.filter((a) => !a.paused);
  const exitKeys = new Set(registered.flatMap((a) => keysOfInterest(a.trigger).exit));
  const enterKeys = new Set(active.flatMap((a) => keysOfInterest(a.trigger).enter));
  const relevant = events.filter((e) => exitKeys.has(eventKeyOf(e)) || enterKeys.has(eventKeyOf(e)));
  if (relevant.length === 0) return none;

  // Device records: a shopper's exit marks go to their customer id; a welcome needs the registration time.
  const needDevices = relevant.filter((e) => exitKeys.has(eventKeyOf(e)) || (e.type === 'app_open' && hasFirstOpen(active)));
  const devices =
    needDevices.length > 0 ? await deps.devices.getMany(tenantId, [...new Set(needDevices.map((e) => e.device_id))]) : new Map();

  const marks: ExitMark[] = [];
  for (const e of relevant) {
    const key = eventKeyOf(e);
    if (!exitKeys.has(key)) continue;
    const ts = new Date(e.ts).toISOString();
    marks.push({ subject: { deviceId: e.device_id }, key, ts });
    const customerId = devices.get(e.device_id)?.customerId;
    if (customerId) marks.push({ subject: { customerId }, key, ts });
  }
  // Exit marks first: an exit event in the same batch as its trigger is known before the item can be swept.
  if (marks.length > 0) await deps.automations.noteExits(tenantId, marks, now);

  const items: DueItem[] = [];
  for (const a of active) if (a.trigger.type === 'event') items.push(...eventItems(a, a.trigger, relevant, now));
  const welcomes = hasFirstOpen(active) ? await firstOpenItems(deps, tenantId, active, relevant, devices) : { items: [], opens: [] };
  items.push(...welcomes.items);
  const entered = items.length > 0 ? await deps.automations.enter(items, now) : [];
  // After the items: a crash between leaves the first opens unrecorded, and the SDK's retry enters the same items (no double).
  if (welcomes.opens.length > 0) await deps.automations.noteFirstOpens(tenantId, welcomes.opens);
  return { entered, exits: marks.length };
}

function hasFirstOpen(active: readonly ActiveAutomation[]): boolean {
  return active.some((a) => a.trigger.type === 'first_open');
}

/** An event trigger: each matching event is an occurrence, due at ts + delay; one due over 24 h ago is history. */
function eventItems(a: ActiveAutomation, t: Extract<Trigger, { type: 'event' }>, events: readonly Row[], now: Date): DueItem[] {
  const out: DueItem[] = [];
  for (const e of events) {
    if (eventKeyOf(e) !== t.event) continue;
    const ts = Date.parse(e.ts);
    const due = ts + t.delayMinutes * MINUTE_MS;
    if (due < now.getTime() - STALE_AFTER_MS) continue;
    out.push({
      tenantId: a.tenantId,
      automationId: a.automationId,
      deviceId: e.device_id,
      occurrence: occurrenceOf(e),
      triggerTs: new Date(ts).toISOString(),
      dueAt: new Date(due).toISOString(),
    });
  }
  return out;
}

/**
 * first_open: a device's first app open ever seen. Every device whose first open is not recorded
 * yet gets it recorded (by the caller, after the items); each first_open automation welcomes those
 * registered since it went live (devices that were there before are not new: never welcomed).
 */
async function firstOpenItems(
  deps: EnterDeps,
  tenantId: string,
  active: readonly ActiveAutomation[],
  events: readonly Row[],
  devices: Map<string, { createdAt: string }>,
): Promise<{ items: DueItem[]; opens: { deviceId: string; ts: string }[] }> {
  const earliest = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'app_open') continue;
    const ts = new Date(e.ts).toISOString();
    if (!earliest.has(e.device_id) || ts < earliest.get(e.device_id)!) earliest.set(e.device_id, ts);
  }
  if (earliest.size === 0) return { items: [], opens: [] };
  const seen = await deps.automations.firstOpened(tenantId, [...earliest.keys()]);
  const opens = [...earliest].filter(([d]) => !seen.has(d)).map(([deviceId, ts]) => ({ deviceId, ts }));
  const items: DueItem[] = [];
  for (const a of active) {
    if (a.trigger.type !== 'first_open') continue;
    const since = Date.parse(a.activeSince);
    for (const { deviceId, ts } of opens) {
      const device = devices.get(deviceId);
      // No record yet: the SDK reported the open before registering; the sender checks the device at send time.
      if (device && Date.parse(device.createdAt) < since) continue;
      items.push({ tenantId, automationId: a.automationId, deviceId, occurrence: 'first', triggerTs: ts, dueAt: ts });
    }
  }
  return { items, opens };
}
