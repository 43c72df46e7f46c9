/**
 * An automated campaign in the AWS world: the real entries of the `campaigns`, `events`,
 * `automations` and `sender` functions, each with its template environment and IAM role. Events go
 * through the events function (which enters the due items in DynamoDB before Firehose), the
 * automations function's sweep (as its every-minute rule invokes it) hands the due device to SQS,
 * the sender publishes to SNS; a device whose shopper bought in between is left out; nothing is
 * denied.
 */
import { activeCartReminder } from '../support/automations';
import { tokenFor } from './support/services/sns';
import { AwsWorld } from './support/world';

const MIN = 60_000;

describe('automated campaigns (AWS world)', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w));

  test('a cart add is pushed once by the sweep; one followed by a purchase on another device of the shopper is not', async () => {
    const appKey = await world.issueAppKey('acme');
    const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: 'acme' }, body);
    for (const [id, customerId] of [
      ['cart-1', undefined],
      ['cart-2', 'shopper-9'],
      ['tablet-2', 'shopper-9'],
    ] as const) {
      const body = { platform: 'ios', token: tokenFor('shop-ios', id), optedIn: true, ...(customerId ? { customerId } : {}) };
      expect((await world.http.request('PUT', `/v1/devices/${id}`, { appKey }, body)).status).toBe(200);
    }
    const id = await activeCartReminder(api, { name: 'Cart reminder', delayMinutes: 60, body: 'Your cart is waiting.' });

    const at = (msAgo: number) => new Date(world.now() - msAgo).toISOString();
    const events = [
      { eventId: 'e1', deviceId: 'cart-1', type: 'add_to_cart', productId: 'sku-1', ts: at(61 * MIN) },
      { eventId: 'e2', deviceId: 'cart-2', type: 'add_to_cart', productId: 'sku-1', ts: at(70 * MIN) },
      { eventId: 'e3', deviceId: 'tablet-2', type: 'purchase', orderId: 'o-1', amount: 30, currency: 'USD', ts: at(65 * MIN) },
    ];
    const ingested = await world.http.request('POST', '/v1/events', { appKey }, { events });
    expect(ingested.body).toMatchObject({ accepted: 3, rejected: [] });

    // The every-minute rule's invocation, then SQS → sender → SNS.
    world.lambda.invokeAsync(world.fn('automations'), { kind: 'sweep' });
    await world.settle();
    const pubs = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id));
    expect(pubs.map((p) => p.token.split(':')[2])).toEqual(['cart-1']);
    expect(pubs[0].payload.aps.alert.title).toBe('Still thinking it over?');
    const progress = (await api('GET', `/v1/campaigns/${id}`)).body.progress;
    expect(progress).toMatchObject({ targeted: 1, sent: 1, exited: 1 });

    // Another sweep pushes nothing more.
    world.lambda.invokeAsync(world.fn('automations'), { kind: 'sweep' });
    await world.settle();
    expect(world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id))).toHaveLength(1);
    expect(world.box.denials).toEqual([]);
  });
});
