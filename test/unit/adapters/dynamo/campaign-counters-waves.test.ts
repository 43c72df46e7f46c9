/**
 * Reading many waves' figures (a list page of local campaigns: one name per wave in the projection)
 * stays under DynamoDB's 4 KB expression limit, and still sums every wave. dynalite does not check
 * that limit, so the client below rejects what DynamoDB would (400 ValidationException).
 */
import { CampaignCounters } from '../../../../lambdas/adapters/dynamo/campaign-counters';
import { DynamoTable } from '../../../../lambdas/adapters/dynamo/table';
import { RECORDS_TABLE } from '../../../../lambdas/config/tables';
import { dynaliteTables } from '../../../support/dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** DynamoDB's limit on any expression string (ProjectionExpression included). */
const EXPRESSION_LIMIT = 4096;

const db = dynaliteTables();
let counters: CampaignCounters;
let longest = 0;
beforeAll(() => {
  const doc = db().doc;
  const send = doc.send.bind(doc) as (cmd: unknown) => Promise<unknown>;
  // As DynamoDB answers an expression past its limit.
  (doc as unknown as { send: (cmd: unknown) => Promise<unknown> }).send = async (cmd) => {
    const input = (cmd as { input?: { RequestItems?: Record<string, { ProjectionExpression?: string }> } }).input;
    for (const req of Object.values(input?.RequestItems ?? {})) {
      const size = Buffer.byteLength(req.ProjectionExpression ?? '');
      longest = Math.max(longest, size);
      if (size > EXPRESSION_LIMIT) throw new Error(`ValidationException: Expression size has exceeded the maximum allowed size (${size})`);
    }
    return send(cmd);
  };
  counters = new CampaignCounters(new DynamoTable(doc, RECORDS_TABLE.logicalName));
});

test('700 waves over two campaigns are read in slices under the 4 KB limit, each wave summed over every shard', async () => {
  const wavesA = Array.from({ length: 450 }, (_, i) => `tz-${i}`);
  const wavesB = Array.from({ length: 250 }, (_, i) => `tz-b${i}`);
  // Figures land in different shards (one per batch key); a few waves of each campaign get some.
  const batches: [string, string, number][] = [
    ['cmp_a', 'tz-0', 1],
    ['cmp_a', 'tz-0', 1],
    ['cmp_a', 'tz-449', 1],
    ['cmp_a', 'tz-230', -1],
    ['cmp_b', 'tz-b249', 1],
    ['cmp_b', 'tz-b0', 1],
  ];
  for (const [i, [campaign, waveId, net]] of batches.entries())
    await counters.apply('t1', campaign, `done:${waveId}:${i}`, { batchesDone: 1, sent: 10 }, { waveId, net });

  const read = await counters.read(
    't1',
    ['cmp_a', 'cmp_b'],
    new Map([
      ['cmp_a', wavesA],
      ['cmp_b', wavesB],
    ]),
  );
  expect(longest).toBeGreaterThan(0);
  expect(longest).toBeLessThan(EXPRESSION_LIMIT / 2);
  const a = read.get('cmp_a')!;
  expect(a).toMatchObject({ batchesDone: 4, sent: 40 });
  expect(Object.keys(a.waves)).toHaveLength(450);
  expect(a.waves).toMatchObject({ 'tz-0': 2, 'tz-449': 1, 'tz-230': -1, 'tz-1': 0 });
  const b = read.get('cmp_b')!;
  expect(b).toMatchObject({ batchesDone: 2, sent: 20 });
  expect(Object.keys(b.waves)).toHaveLength(250);
  expect(b.waves).toMatchObject({ 'tz-b249': 1, 'tz-b0': 1, 'tz-b1': 0 });
});
