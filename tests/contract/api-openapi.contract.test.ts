/**
 * The REST API against its own OpenAPI document: every documented operation
 * is called, and every answer (successes and errors) is validated with ajv
 * against the response schema the document gives for its status.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Chatdesk } from '../../src/app';
import { ADMIN_TOKEN, apiClient, type ApiAnswer } from '../support/api-client';
import { startTestApp } from '../support/test-app';
import { waitFor } from '../emulators/shared';

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

describe('REST API contract: the OpenAPI 3.1 document and the answers agree', () => {
  let app: Chatdesk;
  let doc: Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const called = new Set<string>();

  /** Calls an operation (`GET /api/v1/tickets/{key}` with the concrete path) and checks the answer against the document. */
  const check = async (operation: string, path: string, opts: Parameters<ReturnType<typeof apiClient>['call']>[2] = {}): Promise<ApiAnswer> => {
    const [method, template] = operation.split(' ') as [string, string];
    const answer = await apiClient(app.url).call(method, path, opts);
    const documented = doc.paths[template]?.[method.toLowerCase()];
    expect({ operation, documented: !!documented }).toEqual({ operation, documented: true });
    const response = documented!.responses[String(answer.status)];
    expect({ operation, status: answer.status, documented: !!response }).toEqual({ operation, status: answer.status, documented: true });
    const schema = response!.content?.['application/json']?.schema;
    expect(schema).toBeDefined();
    const validate = ajv.compile(schema!);
    const valid = validate(answer.json);
    expect({ operation, status: answer.status, errors: valid ? null : validate.errors }).toEqual({ operation, status: answer.status, errors: null });
    called.add(`${method.toLowerCase()} ${template}`);
    return answer;
  };

  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1' }, { label: 'api-contract' });
    const res = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('is an OpenAPI 3.1 document with bearer auth and the error shape on every error response', () => {
    expect(doc.openapi).toBe('3.1.0');
    // The schemas are the zod ones, not placeholders: a ticket names its fields, the list its filters.
    const ticket = doc.paths['/api/v1/tickets/{key}']!.get!.responses['200']!.content!['application/json']!.schema as {
      properties: { ticket: { required: string[] } };
    };
    expect(ticket.properties.ticket.required).toEqual(expect.arrayContaining(['key', 'status', 'priority', 'sla', 'requester']));
    const list = doc.paths['/api/v1/tickets']!.get as unknown as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['status', 'assignee', 'createdAfter', 'cursor', 'sort', 'limit']),
    );
    const errors = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) => Object.entries(op.responses).filter(([s]) => Number(s) >= 400)),
    );
    expect(errors.length).toBeGreaterThan(20);
    for (const [, r] of errors) expect(r.content?.['application/json']?.schema).toMatchObject({ required: expect.arrayContaining(['code', 'message']) });
  });

  it('answers every documented operation as documented', async () => {
    const token = (await check('POST /api/v1/tokens', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'contract', scopes: ['tickets:write'] } })).json
      .secret as string;
    await check('POST /api/v1/tokens', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'contract', scopes: ['tickets:write'] } }); // 409
    await check('POST /api/v1/tokens', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'bad name!', scopes: ['root'] } }); // 400
    await check('GET /api/v1/tokens', '/api/v1/tokens', { token: ADMIN_TOKEN });
    await check('GET /api/v1/tokens', '/api/v1/tokens', { token }); // 403
    await check('GET /api/v1/tokens', '/api/v1/tokens'); // 401

    const created = await check('POST /api/v1/tickets', '/api/v1/tickets', {
      token,
      body: { title: 'Outlook crashes on start', requester: 'playground:alice' },
      headers: { 'idempotency-key': 'c-1' },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await check('POST /api/v1/tickets', '/api/v1/tickets', {
          token,
          body: { title: 'Outlook crashes on start', requester: 'playground:alice' },
          headers: { 'idempotency-key': 'c-1' },
        })
      ).status,
    ).toBe(200);
    await check('POST /api/v1/tickets', '/api/v1/tickets', { token, body: { title: 'x', colour: 'red' } }); // 400
    await check('POST /api/v1/tickets', '/api/v1/tickets', { token, body: { title: 'x'.repeat(70_000) } }); // 413
    await check('POST /api/v1/tickets', '/api/v1/tickets', { token, raw: 'title', headers: { 'content-type': 'text/plain' } }); // 415
    const key = created.json.key as string;

    await check('GET /api/v1/tickets', '/api/v1/tickets?status=new&sort=-updatedAt&limit=1', { token });
    await check('GET /api/v1/tickets', '/api/v1/tickets?cursor=zzz', { token }); // 400
    await check('GET /api/v1/tickets/{key}', `/api/v1/tickets/${key}`, { token });
    await check('GET /api/v1/tickets/{key}', '/api/v1/tickets/T-424242', { token }); // 404
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'claim' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'wait' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'reply', text: 'Which Outlook version?' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'reopen' } }); // 409: not resolved
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'escalate', to: 'playground:lead' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'resolve', note: 'repaired the profile' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'reopen' } });
    await check('POST /api/v1/tickets/{key}/actions', `/api/v1/tickets/${key}/actions`, { token, body: { action: 'assign', assignee: 'playground:bob' } });

    // The resolved ticket drafted a knowledge entry (in the background).
    const kb = (await check('POST /api/v1/tokens', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'kb', scopes: ['knowledge:write'] } })).json
      .secret as string;
    const entryId = `kb-${created.json.id as string}`;
    await waitFor(async () => !!(await app.desk.knowledge.get(entryId)));
    const listed = await check('GET /api/v1/knowledge', '/api/v1/knowledge?q=outlook&limit=5', { token: kb });
    expect(listed.json.entries.map((e: { id: string }) => e.id)).toContain(entryId);
    await check('GET /api/v1/knowledge', '/api/v1/knowledge', { token }); // 403: no knowledge scope
    await check('GET /api/v1/knowledge', '/api/v1/knowledge?status=archived', { token: kb }); // 400
    await check('GET /api/v1/knowledge/{id}', `/api/v1/knowledge/${entryId}`, { token: kb });
    await check('GET /api/v1/knowledge/{id}', '/api/v1/knowledge/kb-nothing', { token: kb }); // 404
    const edited = await check('PATCH /api/v1/knowledge/{id}', `/api/v1/knowledge/${entryId}`, {
      token: kb,
      body: { answer: 'Repair the Outlook profile (Control Panel > Mail). Ask ops@example.com if stuck.', category: 'software' },
    });
    expect(edited.json.entry).toMatchObject({ category: 'software', answer: expect.stringContaining('[email]') });
    await check('PATCH /api/v1/knowledge/{id}', `/api/v1/knowledge/${entryId}`, { token: kb, body: {} }); // 400
    await check('PATCH /api/v1/knowledge/{id}', `/api/v1/knowledge/${entryId}`, { token, body: { answer: 'x' } }); // 403
    expect((await check('POST /api/v1/knowledge/{id}/reject', `/api/v1/knowledge/${entryId}/reject`, { token: kb })).json.entry.status).toBe('rejected');
    expect((await check('POST /api/v1/knowledge/{id}/publish', `/api/v1/knowledge/${entryId}/publish`, { token: kb })).json.entry.status).toBe('published');
    await check('POST /api/v1/knowledge/{id}/publish', '/api/v1/knowledge/kb-nothing/publish', { token: kb }); // 404
    const audit = (await app.desk.findTicket(key)).activity.filter((a) => a.action.startsWith('knowledge_') && a.actor.id === 'kb').map((a) => a.action);
    expect(audit).toEqual(['knowledge_edited', 'knowledge_rejected', 'knowledge_published']);

    const hook = await check('POST /api/v1/webhooks', '/api/v1/webhooks', {
      token: ADMIN_TOKEN,
      body: { url: 'http://127.0.0.1:9/hooks', events: ['ticket.created'] },
    });
    await check('POST /api/v1/webhooks', '/api/v1/webhooks', { token: ADMIN_TOKEN, body: { url: 'http://10.1.1.1/hooks', events: ['ticket.created'] } }); // 400
    await check('GET /api/v1/webhooks', '/api/v1/webhooks', { token: ADMIN_TOKEN });
    await check('GET /api/v1/webhooks/{id}/deliveries', `/api/v1/webhooks/${hook.json.webhook.id}/deliveries`, { token: ADMIN_TOKEN });
    await check('DELETE /api/v1/webhooks/{id}', `/api/v1/webhooks/${hook.json.webhook.id}`, { token: ADMIN_TOKEN });
    await check('DELETE /api/v1/webhooks/{id}', `/api/v1/webhooks/${hook.json.webhook.id}`, { token: ADMIN_TOKEN }); // 404
    await check('GET /api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/wh_nothing/deliveries', { token: ADMIN_TOKEN }); // 404

    await check('DELETE /api/v1/tokens/{id}', '/api/v1/tokens/contract', { token: ADMIN_TOKEN });
    await check('DELETE /api/v1/tokens/{id}', '/api/v1/tokens/tok_nothing', { token: ADMIN_TOKEN }); // 404
    await check('GET /api/v1/tickets', '/api/v1/tickets', { token }); // 401: revoked

    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.filter((op) => !called.has(op))).toEqual([]);
  });
});
