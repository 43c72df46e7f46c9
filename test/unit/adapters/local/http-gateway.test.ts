/** The local gateway's catch-all: a generic API.md 500 for the client, the error with its context in the log. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { createHttpGateway, type GatewayLog, type GatewayOptions } from '../../../../lambdas/adapters/local/http-gateway';

type Route = GatewayOptions['routes'][number];
type Entry = { level: 'error' | 'warn'; message: string; extra: Record<string, any> };

function recorder(): GatewayLog & { entries: Entry[] } {
  const entries: Entry[] = [];
  return {
    entries,
    error: (message, extra) => entries.push({ level: 'error', message, extra }),
    warn: (message, extra) => entries.push({ level: 'warn', message, extra }),
  };
}

async function listen(options: Partial<GatewayOptions>): Promise<{ server: http.Server; url: string }> {
  const server = createHttpGateway({
    routes: [],
    verifyMerchant: async (token) => (token === 'good' ? { tenant_id: 'acme' } : undefined),
    authorizeDevice: async () => ({ isAuthorized: false, context: {} }),
    maxBodyBytes: 1024,
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A route whose handler throws `message`. */
function failingRoute(method: string, routePath: string, auth: Route['auth'], message: string): Route {
  return {
    method,
    path: routePath,
    auth,
    handler: async () => {
      throw new Error(message);
    },
  };
}

const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

describe('local HTTP gateway: unexpected errors', () => {
  test('a failure past the authorizer is logged with method, path, route, request id, tenant and stack; the client gets the generic body', async () => {
    const log = recorder();
    const { server, url } = await listen({
      log,
      routes: [failingRoute('POST', '/v1/things/{id}', 'merchant', 'db password is hunter2')],
    });
    try {
      const res = await fetch(`${url}/v1/things/t1?token=secret`, {
        method: 'POST',
        headers: { authorization: 'Bearer good' },
        body: '{}',
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'the service failed to handle this request' } });
      expect(text).not.toContain('hunter2');
      expect(log.entries).toHaveLength(1);
      const [entry] = log.entries;
      expect(entry.level).toBe('error');
      expect(entry.extra).toMatchObject({ method: 'POST', path: '/v1/things/t1', routeKey: 'POST /v1/things/{id}', tenantId: 'acme' });
      expect(entry.extra.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(entry.extra.error).toBeInstanceOf(Error);
      expect((entry.extra.error as Error).stack).toContain('hunter2');
      expect(JSON.stringify(entry.extra)).not.toContain('secret'); // the query string stays out of the log
    } finally {
      await close(server);
    }
  });

  test('a failing authorizer is logged too (no tenant known yet)', async () => {
    const log = recorder();
    const { server, url } = await listen({
      log,
      verifyMerchant: async () => {
        throw new Error('key store unreachable');
      },
      routes: [{ method: 'GET', path: '/v1/segments', auth: 'merchant', handler: async () => ({ statusCode: 200 }) }],
    });
    try {
      const res = await fetch(`${url}/v1/segments`, { headers: { authorization: 'Bearer x' } });
      expect(res.status).toBe(500);
      expect(log.entries).toHaveLength(1);
      expect(log.entries[0]).toMatchObject({
        level: 'error',
        extra: { method: 'GET', path: '/v1/segments', routeKey: 'GET /v1/segments', error: { message: 'key store unreachable' } },
      });
      expect(log.entries[0].extra.tenantId).toBeUndefined();
    } finally {
      await close(server);
    }
  });

  test('by default the structured logger writes the entry, stack included', async () => {
    const lines: string[] = [];
    // Powertools prints errors with console.error, so they go to stderr.
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      lines.push(String(chunk));
      return true;
    });
    const { server, url } = await listen({
      routes: [failingRoute('GET', '/v1/boom', 'none', 'kaboom')],
    });
    try {
      expect((await fetch(`${url}/v1/boom`)).status).toBe(500);
    } finally {
      spy.mockRestore();
      await close(server);
    }
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.level === 'ERROR');
    expect(entry).toMatchObject({ method: 'GET', path: '/v1/boom', routeKey: 'GET /v1/boom', error: { message: 'kaboom' } });
    expect(entry.error.stack).toContain('kaboom');
  });

  test('static paths that name no file (missing, too long, with a NUL) get the app shell, not a logged failure', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spush-gw-'));
    writeFileSync(path.join(dir, 'index.html'), '<html>shell</html>');
    const log = recorder();
    const { server, url } = await listen({ log, staticDir: dir });
    try {
      for (const p of ['/missing.js', '/index.html/x', `/${'x'.repeat(5000)}`, '/a%00b']) {
        const res = await fetch(url + p);
        expect(res.status).toBe(200); // the single-page app's shell
        expect(await res.text()).toBe('<html>shell</html>');
      }
      expect(log.entries).toEqual([]);
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
