/**
 * What automated campaigns keep between an event and its push (DynamoDB, the records table):
 *
 * - the tenant's **active automations** (read by every events request, so a trigger needs no scan);
 * - **due items**: one per (automation, device, occurrence), keyed deterministically so a
 *   re-ingested event or a re-run inactivity query finds its occurrence again, and listed by due
 *   time through a sparse index until it is handed to the send queue;
 * - **exit marks** per device and per logged-in shopper (the latest time each exit event was seen);
 * - per (automation, device) **the last push** (re-entry) and the device's **first open** (welcome).
 */
import type { Trigger } from '../domain/automations/trigger';

/** An automation as the event path and the sweeper see it. */
export interface ActiveAutomation {
  tenantId: string;
  automationId: string;
  trigger: Trigger;
  /** When it was launched: a first_open welcome goes to devices registered since. */
  activeSince: string;
  /** Paused: nothing new enters, but its exit events are still recorded (a purchase during a pause exits on resume). */
  paused?: boolean;
  /** Inactivity: the end of the last window of crossings evaluated (the next run starts there; absent: never). */
  evaluatedThrough?: string;
}

/** One occurrence of a trigger for one device. */
export interface DueItem {
  tenantId: string;
  automationId: string;
  deviceId: string;
  /** The triggering event's id (event), `spell:<last open>` (inactivity), `first` (first_open). */
  occurrence: string;
  /** When the trigger happened (the event's ts; the last app open for inactivity). */
  triggerTs: string;
  dueAt: string;
  /** The send batch it was handed to; set once, so a sweep that died halfway re-sends the same batch. */
  batch?: string | null;
}

/** What became of a due item that left the due list. */
export type DueOutcome = 'enqueued' | 'exited' | 'expired' | 'reentry' | 'dropped';

/** A subject exit marks are kept for: a device, or a logged-in shopper across their devices. */
export type ExitSubject = { deviceId: string } | { customerId: string };

export interface ExitMark {
  subject: ExitSubject;
  /** The event key (`purchase`, `custom:signup`). */
  key: string;
  ts: string;
}

export interface AutomationStore {
  /** Add (or refresh) an automation among the tenant's active ones. */
  activate(a: ActiveAutomation): Promise<void>;
  /** Remove it (paused, cancelled, deleted); no-op when absent. */
  deactivate(tenantId: string, automationId: string): Promise<void>;
  /** The tenant's active and paused automations (one query). */
  activeOf(tenantId: string): Promise<ActiveAutomation[]>;
  /** Every tenant's active inactivity automations (the daily run). */
  activeInactivity(): Promise<ActiveAutomation[]>;
  /** Record that an inactivity automation's crossings up to `through` are entered. */
  markEvaluated(tenantId: string, automationId: string, through: Date): Promise<void>;

  /** Store due items that do not exist yet (an occurrence is stored once, ever); returns those that were new. */
  enter(items: readonly DueItem[], now: Date): Promise<DueItem[]>;
  /** Due items whose due time is at or before `now`, up to `limit` (oldest first within each index shard). */
  due(now: Date, limit: number): Promise<DueItem[]>;
  /** Hand an item to a batch (only if it has none and is still due); false when it had one or left the list. */
  assignBatch(item: DueItem, batch: string): Promise<boolean>;
  /**
   * Fix a batch's devices before it is enqueued (first write wins): a sweep that resumes a batch
   * re-sends exactly these, whatever part of its items it finds, so a chunk id always names the same devices.
   */
  recordBatch(tenantId: string, automationId: string, batchId: string, deviceIds: readonly string[], now: Date): Promise<string[]>;
  /** The devices a batch was fixed with, or undefined when it never was. */
  batchDevices(tenantId: string, automationId: string, batchId: string): Promise<string[] | undefined>;
  /** Give an item that carries `from` (but is not among its devices) a new batch `to`. */
  reassignBatch(item: DueItem, from: string, to: string): Promise<boolean>;
  /** Take an item off the due list with its outcome (kept until it expires, so its occurrence is never entered again). */
  finish(item: DueItem, outcome: DueOutcome, now: Date): Promise<void>;
  /** Move an item of a paused automation off the due list, kept aside until it is resumed. */
  park(item: DueItem): Promise<void>;
  /** Put a resumed automation's parked items back on the due list; returns how many. */
  unpark(tenantId: string, automationId: string): Promise<number>;
  /** Drop a paused automation's parked items (its trigger was changed: they were due under the old one); returns how many. */
  dropParked(tenantId: string, automationId: string, now: Date): Promise<number>;

  /** Remember exit events (the latest ts per subject and key wins). */
  noteExits(tenantId: string, marks: readonly ExitMark[], now: Date): Promise<void>;
  /** The latest ts of each of `keys` for each subject: subject tag (`d:<id>` / `c:<id>`) → key → ts. */
  exitsOf(tenantId: string, subjects: readonly ExitSubject[], keys: readonly string[]): Promise<Map<string, Map<string, string>>>;

  /** When each device was last handed to a batch by this automation. */
  lastPushed(tenantId: string, automationId: string, deviceIds: readonly string[]): Promise<Map<string, string>>;
  /** Record that the devices were handed to a batch at `at`; kept `keepDays` (the re-entry window). */
  notePushed(tenantId: string, automationId: string, deviceIds: readonly string[], at: Date, keepDays: number): Promise<void>;
  /** The devices among `deviceIds` whose first app open is already recorded. */
  firstOpened(tenantId: string, deviceIds: readonly string[]): Promise<Set<string>>;
  /** Record devices' first app opens (a device's first record stays). */
  noteFirstOpens(tenantId: string, opens: readonly { deviceId: string; ts: string }[]): Promise<void>;

  /** Erasure: everything kept for these devices and shoppers. */
  forget(tenantId: string, deviceIds: readonly string[], customerIds: readonly string[]): Promise<void>;
}

/** The tag of an exit subject in exitsOf's answer. */
export function subjectTag(s: ExitSubject): string {
  return 'deviceId' in s ? `d:${s.deviceId}` : `c:${s.customerId}`;
}
