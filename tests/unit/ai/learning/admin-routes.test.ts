/** The admin import endpoint's HTTP contract (the import itself is covered end to end in tests/e2e/classifier-import.test.ts). */
import type { ImportRequest, LiveClassifier } from '../../../../src/ai/learning/live-classifier';
import { silentLogger } from '../../../../src/logger';
import { createAdminRoutes } from '../../../../src/server/admin-routes';
import { startHttpServer, type RunningServer } from '../../../../src/server/http-server';

const TOKEN = 'unit-admin-token-0123456789';

describe('admin routes', () => {
  let server: RunningServer;
  const received: ImportRequest[] = [];
  const classifier: Pick<LiveClassifier, 'importHistory' | 'status'> = {
    importHistory: async (request) => {
      received.push(request);
      return { ok: false, error: 'refused for the test', errors: [{ line: 2, message: 'no category' }], moreErrors: 0, rows: 1 };
    },
    status: () => ({
      taxonomy: 'seed',
      priorities: 'seed',
      categories: ['a', 'b'],
      examples: { category: 2, priority: 2, imported: 0, recategorized: 0 },
      trainedAt: null,
      trainingMs: 0,
      abstainBelow: 0.5,
      abstainFrom: 'seed',
    }),
  };
  beforeAll(async () => {
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      routes: [createAdminRoutes({ token: TOKEN, classifier, logger: silentLogger(), bodyLimitBytes: 1024 })],
      upgrades: [],
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  const call = async (path: string, init: RequestInit = {}, token: string | null = TOKEN) => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('passes the file, format and columns to the import and answers 422 with its row errors', async () => {
    const res = await call('/admin/classifier/import?format=csv&text-col=subject,body&label-col=queue&priority-col=urgency&id-col=ref', {
      method: 'POST',
      body: 'subject,body,queue\nx,y,',
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ line: 2, message: 'no category' }]);
    expect(received.at(-1)).toEqual({
      content: 'subject,body,queue\nx,y,',
      format: 'csv',
      columns: { title: 'subject', description: 'body', category: 'queue', priority: 'urgency', id: 'ref' },
    });
    const jsonl = await call('/admin/classifier/import', { method: 'POST', body: '{}', headers: { 'content-type': 'application/x-ndjson' } });
    expect(jsonl.status).toBe(422);
    expect(received.at(-1)).toMatchObject({ format: 'jsonl', columns: {} });
  });

  it('answers the model status to GET /admin/classifier', async () => {
    expect(await call('/admin/classifier')).toEqual({ status: 200, json: expect.objectContaining({ taxonomy: 'seed', categories: ['a', 'b'] }) });
  });

  it('refuses bad requests before importing anything', async () => {
    const n = received.length;
    expect((await call('/admin/classifier/import', { method: 'POST', body: 'a' })).json.error).toMatch(/format=csv/);
    expect((await call('/admin/classifier/import?format=xlsx', { method: 'POST', body: 'a' })).status).toBe(400);
    expect((await call('/admin/classifier/import?format=csv&label=x', { method: 'POST', body: 'a' })).json.error).toMatch(/unknown parameter label/);
    expect((await call('/admin/classifier/import?format=csv&text-col=a,b,c', { method: 'POST', body: 'a' })).status).toBe(400);
    expect((await call('/admin/classifier/import?format=csv', { method: 'POST', body: Buffer.from([0x67, 0xe5, 0xb7]) })).json.error).toMatch(/not UTF-8/);
    expect((await call('/admin/classifier/import?format=csv', { method: 'POST', body: 'x'.repeat(2000) })).status).toBe(413);
    expect((await call('/admin/classifier/import?format=csv')).status).toBe(405);
    expect((await call('/admin/classifier/export')).status).toBe(404);
    expect((await call('/admin/classifier', {}, null)).status).toBe(401);
    expect((await call('/admin/classifier', {}, TOKEN.slice(0, -1))).status).toBe(401);
    expect(received.length).toBe(n);
  });

  it('leaves other paths to the other routes', async () => {
    expect((await call('/admin')).status).toBe(404);
    expect((await call('/healthz', {}, null)).json).toEqual({ ok: true });
  });
});
