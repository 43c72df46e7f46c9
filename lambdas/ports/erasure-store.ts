/** Erasure jobs (DynamoDB in both worlds). */
import type { Erasure, ErasureSubject } from '../domain/lake/erasure';

export interface ErasureStore {
  /**
   * Store a new `running` erasure, unless one for the same subject is already running: then that one
   * is returned (`created: false`), so repeating a request never starts a second job.
   */
  start(erasure: Erasure): Promise<{ erasure: Erasure; created: boolean }>;
  get(tenantId: string, id: string): Promise<Erasure | undefined>;
  /** Finish a running erasure (succeeded with counts, or failed with a reason); frees its subject. */
  finish(tenantId: string, id: string, outcome: Pick<Erasure, 'status' | 'devices' | 'events' | 'error' | 'completedAt'>): Promise<void>;
  /** Remember what a running erasure has removed so far (a retry that finds nothing left keeps them). */
  recordCounts(tenantId: string, id: string, counts: { devices: number; events: number }): Promise<void>;
  /** Every running erasure of every tenant (the hourly sweep resumes those a crash left behind). */
  running(): Promise<Array<Pick<Erasure, 'tenantId' | 'id' | 'createdAt'>>>;
}

export type { ErasureSubject };
