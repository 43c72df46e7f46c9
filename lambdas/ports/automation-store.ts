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
  /** The send batch it was handed to (on finished items). */
  batch?: string | null;
}

/** A sweeper batch between its opening and its hand-over to the send queue. */
export interface OpenBatch {
  batchId: string;
  tenantId: string;
  automationId: string;
  items: DueItem[];
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
  /**
   * Open a batch: record its items (and so its devices) before anything of it is written or enqueued.
   * An open batch is finished by whoever finds it (`openBatches`), so a sweep that dies halfway is
   * completed by the next with exactly these items: a chunk id always names the same devices.
   */
  openBatch(batch: OpenBatch): Promise<void>;
  /** Batches opened and not closed (a sweep died with them), oldest first. */
  openBatches(): Promise<OpenBatch[]>;
  /** Close a batch once it is enqueued and its items are finished. */
  closeBatch(batch: Pick<OpenBatch, 'batchId'>): Promise<void>;
  /**
   * Take items off the due list with their outcome (and batch), kept until they expire so an occurrence is never
   * entered again. Written without conditions, in batches of 25: only the sweeper (one at a time) writes due items.
   */
  finishMany(items: readonly DueItem[], outcome: DueOutcome, now: Date, batch?: string): Promise<void>;
  /** Move items of a paused automation off the due list, kept aside until it is resumed. */
  parkMany(items: readonly DueItem[]): Promise<void>;
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
