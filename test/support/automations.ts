/** Test helper: the cart reminder automation the suites create through the API. */

type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** A cart reminder (add_to_cart, `delayMinutes` later, exits on purchase) created through `api` and activated; its id. */
export async function activeCartReminder(api: Api, o: { name: string; delayMinutes: number; body: string }): Promise<string> {
  const created = await api('POST', '/v1/campaigns', {
    name: o.name,
    kind: 'automated',
    trigger: { type: 'event', event: 'add_to_cart', delayMinutes: o.delayMinutes, exitOn: ['purchase'] },
    message: { title: 'Still thinking it over?', body: o.body },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await api('POST', `/v1/campaigns/${id}/launch`)).body.status).toBe('active');
  return id;
}
