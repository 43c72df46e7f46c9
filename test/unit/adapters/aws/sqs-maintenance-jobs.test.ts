/** Maintenance jobs onto SQS: batches of 10, only the refused entries sent again (after a backoff), a delay passed through, and a bounded number of tries. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsMaintenanceJobs } from '../../../../lambdas/adapters/aws/sqs-maintenance-jobs';
import type { MaintenanceJob } from '../../../../lambdas/ports/maintenance-jobs';

const jobs = (n: number): MaintenanceJob[] => Array.from({ length: n }, (_, i) => ({ kind: 'compact', tenantId: `t${i}` }));

function fakeClient(refuse: (call: number, id: string) => boolean) {
  const calls: { Entries: { Id: string; MessageBody: string; DelaySeconds?: number }[] }[] = [];
  const client = {
    send: async (cmd: { input: { Entries: { Id: string; MessageBody: string; DelaySeconds?: number }[] } }) => {
      calls.push({ Entries: cmd.input.Entries });
      const n = calls.length;
      return { Failed: cmd.input.Entries.filter((e) => refuse(n, e.Id)).map((e) => ({ Id: e.Id, Code: 'Throttled', SenderFault: false })) };
    },
  } as unknown as SQSClient;
  return { client, calls };
}

test('25 jobs go in batches of 10, 10 and 5, each message one job, the delay on every entry', async () => {
  const { client, calls } = fakeClient(() => false);
  await new SqsMaintenanceJobs(client, 'https://q', async () => undefined).enqueue(jobs(25), { delaySeconds: 120 });
  expect(calls.map((c) => c.Entries.length)).toEqual([10, 10, 5]);
  expect(calls.flatMap((c) => c.Entries.map((e) => JSON.parse(e.MessageBody).tenantId))).toEqual(jobs(25).map((j) => j.tenantId));
  expect(new Set(calls.flatMap((c) => c.Entries.map((e) => e.DelaySeconds)))).toEqual(new Set([120]));
});

test('only the refused entries are sent again, after a backoff wait', async () => {
  const waits: number[] = [];
  const { client, calls } = fakeClient((call, id) => call === 1 && (id === '2' || id === '7'));
  await new SqsMaintenanceJobs(client, 'https://q', async (ms) => void waits.push(ms)).enqueue(jobs(10));
  expect(calls.map((c) => c.Entries.map((e) => e.Id))).toEqual([
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['2', '7'],
  ]);
  expect(waits).toHaveLength(1);
  expect(waits[0]).toBeGreaterThanOrEqual(25);
});

test('a queue that keeps refusing is an error after 5 tries, not a lost job', async () => {
  const { client, calls } = fakeClient(() => true);
  await expect(new SqsMaintenanceJobs(client, 'https://q', async () => undefined).enqueue(jobs(1))).rejects.toThrow(/refused 1 job/);
  expect(calls).toHaveLength(5);
});
