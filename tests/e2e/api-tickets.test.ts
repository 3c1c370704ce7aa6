/**
 * The REST API end to end: the real app (Fastify mounted in its HTTP server),
 * the embedded database, the playground as the messenger where cards land.
 */
import type { Chatdesk } from '../../src/app';
import { AGENT_CHANNEL, dmConversation } from '../../src/adapters/playground/playground-hub';
import { waitFor } from '../emulators/shared';
import { ADMIN_TOKEN, apiClient } from '../support/api-client';
import { startTestApp } from '../support/test-app';

describe('REST API: tickets', () => {
  let app: Chatdesk;
  let api: ReturnType<typeof apiClient>;
  let writer: string;
  let reader: string;
  let agent: string;
  const channel = async () => (await app.playground!.visibleTo('x')).find((c) => c.id === AGENT_CHANNEL)?.messages ?? [];
  const dm = async (user: string) => (await app.playground!.visibleTo(user)).find((c) => c.id === dmConversation(user))?.messages ?? [];
  const ticketCount = async () => Object.values(await app.store.tickets.countByStatus()).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN }, { label: 'api-tickets' });
    api = apiClient(app.url);
    writer = await api.token('monitoring', ['tickets:write']);
    reader = await api.token('dashboard', ['tickets:read']);
    // On this open desk (no agents named) a token acts as an agent, except on the tickets it opened for itself (as in chat).
    agent = await api.token('service-desk', ['tickets:write', 'notes:read']);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('opens a ticket like a chat command: classified, routed, SLA, card in the agent channel, DM thread for the requester', async () => {
    const res = await api.call('POST', '/api/v1/tickets', {
      token: writer,
      body: { title: 'VPN keeps disconnecting', description: 'every 5 minutes since this morning', requester: 'playground:alice', fields: { impact: 'me' } },
    });
    expect(res.status).toBe(201);
    const ticket = res.json;
    expect(ticket.key).toMatch(/^T-\d+$/);
    expect(ticket.category).toBe('network');
    expect(ticket.team).toBe('it');
    expect(ticket.requester).toEqual({ platform: 'playground', id: 'alice' });
    expect(ticket.sla.firstResponse.phase).toBe('running');
    expect(Date.parse(ticket.sla.firstResponse.dueAt)).toBeGreaterThan(Date.parse(ticket.createdAt));

    const card = (await channel()).find((m) => m.card?.title.startsWith(ticket.key));
    expect(card?.card?.fields).toContainEqual({ label: 'SLA', value: expect.stringMatching(/^Response: .* left/) });
    expect((await dm('alice')).some((m) => m.text.includes(ticket.key))).toBe(true);

    const one = await api.call('GET', `/api/v1/tickets/${ticket.key}`, { token: reader });
    expect(one.status).toBe(200);
    // Without notes:read: the public history, as the requester sees it (no notes on entries other than replies).
    expect(one.json.history[0]).toEqual(expect.objectContaining({ action: 'created', actor: expect.objectContaining({ platform: 'api', id: 'monitoring' }) }));
    expect(one.json.history[0].note).toBeUndefined();
    const full = await api.call('GET', `/api/v1/tickets/${ticket.key}`, { token: agent });
    expect(full.json.history[0]).toMatchObject({ action: 'created', actor: { platform: 'api', id: 'monitoring' }, note: 'for playground:alice' });
  });

  it('an action over the API updates the card in place and is attributed to the token in the history', async () => {
    const opened = await api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'Printer on floor 3 jammed', fields: { impact: 'everyone' } } });
    expect(opened.status).toBe(201);
    const { key, id } = opened.json;
    expect(opened.json.requester).toEqual({ platform: 'api', id: 'monitoring', name: 'monitoring' });
    const card = (await channel()).find((m) => m.card?.title.startsWith(key))!;
    expect(card.card!.actions.map((a) => a.id)).toContain('claim');

    const claimed = await api.call('POST', `/api/v1/tickets/${key}/actions`, { token: agent, body: { action: 'assign', assignee: 'playground:bob' } });
    expect(claimed.status).toBe(200);
    expect(claimed.json.ticket).toMatchObject({ status: 'in_progress', assignee: { platform: 'playground', id: 'bob' } });
    let seen: unknown;
    await waitFor(
      async () => {
        seen = (await channel()).find((m) => m.id === card.id)?.card;
        return (seen as { footer?: string } | undefined)?.footer?.includes('bob');
      },
      { describe: () => JSON.stringify(seen) },
    );

    const resolved = await api.call('POST', `/api/v1/tickets/${id}/actions`, { token: agent, body: { action: 'resolve', note: 'cleared the tray' } });
    expect(resolved.status).toBe(200);
    expect(resolved.json.ticket.status).toBe('resolved');
    await waitFor(async () => (await channel()).find((m) => m.id === card.id)?.card?.actions.some((a) => a.id === 'reopen'));

    const history = (await api.call('GET', `/api/v1/tickets/${key}`, { token: agent })).json.history;
    expect(history).toContainEqual(
      expect.objectContaining({ action: 'assigned', actor: { platform: 'api', id: 'service-desk', name: 'service-desk' }, to: 'bob' }),
    );
    expect(history).toContainEqual(
      expect.objectContaining({ action: 'resolved', actor: { platform: 'api', id: 'service-desk', name: 'service-desk' }, note: 'cleared the tray' }),
    );

    const again = await api.call('POST', `/api/v1/tickets/${key}/actions`, { token: agent, body: { action: 'resolve' } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('chatdesk_transition_illegal');
  });

  it('is idempotent with an Idempotency-Key: a retry answers the same ticket and opens no second one', async () => {
    const body = { title: 'Cannot log in to payroll', requester: 'playground:carol', fields: { impact: 'me' } };
    const headers = { 'idempotency-key': 'alert-4711' };
    const first = await api.call('POST', '/api/v1/tickets', { token: writer, body, headers });
    expect(first.status).toBe(201);
    const count = await ticketCount();
    const second = await api.call('POST', '/api/v1/tickets', { token: writer, body, headers });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json.id).toBe(first.json.id);
    expect(await ticketCount()).toBe(count);
    // The key belongs to the token: another token's same key is another request.
    const other = await api.token('other-monitor', ['tickets:write']);
    const third = await api.call('POST', '/api/v1/tickets', { token: other, body, headers });
    expect(third.status).toBe(201);
    expect(third.json.id).not.toBe(first.json.id);
  });

  it('lists with filters, sorting and cursor pages that visit every ticket once', async () => {
    for (const title of ['Wifi down in room A', 'Wifi down in room B', 'Wifi down in room C', 'Wifi down in room D', 'Wifi down in room E']) {
      const r = await api.call('POST', '/api/v1/tickets', { token: writer, body: { title, requester: 'playground:dave', fields: { impact: 'me' } } });
      expect(r.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.call('GET', `/api/v1/tickets?requester=playground:dave&limit=2&sort=createdAt${cursor ? `&cursor=${cursor}` : ''}`, {
        token: reader,
      });
      expect(page.status).toBe(200);
      expect(page.json.tickets.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.tickets.map((t: { title: string }) => t.title));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Wifi down in room A', 'Wifi down in room B', 'Wifi down in room C', 'Wifi down in room D', 'Wifi down in room E']);

    const newest = await api.call('GET', '/api/v1/tickets?requester=playground:dave&limit=1', { token: reader });
    expect(newest.json.tickets[0].title).toBe('Wifi down in room E');
    const resolved = await api.call('GET', '/api/v1/tickets?status=resolved', { token: reader });
    expect(resolved.json.tickets.map((t: { title: string }) => t.title)).toEqual(['Printer on floor 3 jammed']);
    const bobs = await api.call('GET', '/api/v1/tickets?assignee=playground:bob&status=resolved,closed', { token: reader });
    expect(bobs.json.tickets).toHaveLength(1);
    const unassigned = await api.call('GET', '/api/v1/tickets?assignee=none&requester=playground:dave&category=network&priority=P0,P1,P2,P3', {
      token: reader,
    });
    expect(unassigned.json.tickets.length).toBe(5);
    // The SLA state now: the resolved printer ticket met its targets, dave's new ones are on time, nothing is breached.
    const met = await api.call('GET', '/api/v1/tickets?sla=met', { token: reader });
    expect(met.json.tickets.map((t: { title: string }) => t.title)).toEqual(['Printer on floor 3 jammed']);
    const ok = await api.call('GET', '/api/v1/tickets?sla=ok,warning&requester=playground:dave', { token: reader });
    expect(ok.json.tickets).toHaveLength(5);
    expect((await api.call('GET', '/api/v1/tickets?sla=breached', { token: reader })).json.tickets).toEqual([]);
    const words = await api.call('GET', '/api/v1/tickets?q=WIFI%20room%20c', { token: reader });
    expect(words.json.tickets.map((t: { title: string }) => t.title)).toEqual(['Wifi down in room C']);
    const later = await api.call('GET', `/api/v1/tickets?createdAfter=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token: reader });
    expect(later.json).toEqual({ tickets: [], nextCursor: null });

    // A cursor belongs to its filters and sort; anything else is refused, not misread.
    const first = await api.call('GET', '/api/v1/tickets?requester=playground:dave&limit=2', { token: reader });
    const moved = await api.call('GET', `/api/v1/tickets?requester=playground:carol&limit=2&cursor=${first.json.nextCursor}`, { token: reader });
    expect(moved.status).toBe(400);
    expect(moved.json.code).toBe('api_invalid_cursor');
    const garbage = await api.call('GET', '/api/v1/tickets?cursor=bm90LWEtY3Vyc29y', { token: reader });
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject({ code: 'api_invalid_cursor', fields: { cursor: expect.any(String) } });
  });

  it('refuses bad input with a 4xx in the one error shape and stores nothing', async () => {
    const before = await ticketCount();
    const cases: Array<[string, Promise<{ status: number; json: any }>, number, string]> = [
      ['unknown field', api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'x', priority: 'P0' } }), 400, 'api_invalid_request'],
      ['wrong type', api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 42 } }), 400, 'api_invalid_request'],
      [
        'invalid ticket',
        api.call('POST', '/api/v1/tickets', { token: writer, body: { title: '   ', fields: { impact: 'me' } } }),
        400,
        'chatdesk_ticket_invalid',
      ],
      [
        'missing required field',
        api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'Need Jira', type: 'access' } }),
        400,
        'chatdesk_ticket_invalid',
      ],
      [
        'option not listed',
        api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'Screen flickers', fields: { impact: 'planet' } } }),
        400,
        'chatdesk_ticket_invalid',
      ],
      [
        'unknown requester platform',
        api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'Screen flickers', requester: 'myspace:bob', fields: { impact: 'me' } } }),
        400,
        'api_invalid_request',
      ],
      [
        'not JSON',
        api.call('POST', '/api/v1/tickets', { token: writer, raw: '{"title":', headers: { 'content-type': 'application/json' } }),
        400,
        'api_invalid_request',
      ],
      [
        'not application/json',
        api.call('POST', '/api/v1/tickets', { token: writer, raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        415,
        'api_unsupported_media_type',
      ],
      [
        'oversized body',
        api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'big', description: 'x'.repeat(70 * 1024) } }),
        413,
        'api_payload_too_large',
      ],
      ['unknown query parameter', api.call('GET', '/api/v1/tickets?colour=red', { token: reader }), 400, 'api_invalid_request'],
      ['bad status filter', api.call('GET', '/api/v1/tickets?status=open', { token: reader }), 400, 'api_invalid_request'],
      ['bad SLA filter', api.call('GET', '/api/v1/tickets?sla=late', { token: reader }), 400, 'api_invalid_request'],
      ['unknown ticket', api.call('GET', '/api/v1/tickets/T-999999', { token: reader }), 404, 'chatdesk_ticket_not_found'],
      [
        'action on unknown ticket',
        api.call('POST', '/api/v1/tickets/T-999999/actions', { token: writer, body: { action: 'claim' } }),
        404,
        'chatdesk_ticket_not_found',
      ],
      ['unknown action', api.call('POST', '/api/v1/tickets/T-1001/actions', { token: writer, body: { action: 'delete' } }), 400, 'api_invalid_request'],
      ['no token', api.call('GET', '/api/v1/tickets'), 401, 'api_unauthorized'],
      ['unknown token', api.call('GET', '/api/v1/tickets', { token: 'cdt_not-a-token' }), 401, 'api_unauthorized'],
      [
        'missing scope',
        api.call('POST', '/api/v1/tickets', { token: reader, body: { title: 'Screen flickers', fields: { impact: 'me' } } }),
        403,
        'api_forbidden',
      ],
      ['admin route without admin scope', api.call('GET', '/api/v1/tokens', { token: writer }), 403, 'api_forbidden'],
      ['unknown route', api.call('GET', '/api/v1/nothing', { token: reader }), 404, 'api_not_found'],
    ];
    for (const [name, answer, status, code] of cases) {
      const res = await answer;
      expect({ name, status: res.status, code: res.json?.code }).toEqual({ name, status, code });
      expect(typeof res.json.message).toBe('string');
    }
    const unknown = await api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'x', priority: 'P0' } });
    expect(unknown.json.fields).toEqual({ priority: 'unknown field' });
    const invalid = await api.call('POST', '/api/v1/tickets', { token: writer, body: { title: 'Need Jira', type: 'access' } });
    expect(invalid.json.fields).toEqual({ system: 'required' });
    expect(await ticketCount()).toBe(before);
  });

  it('a revoked token is refused; the admin lists tokens without their secrets', async () => {
    const temp = await api.token('temporary', ['tickets:read']);
    expect((await api.call('GET', '/api/v1/tickets?limit=1', { token: temp })).status).toBe(200);
    const revoked = await api.call('DELETE', '/api/v1/tokens/temporary', { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(200);
    expect(revoked.json.token.revokedAt).not.toBeNull();
    const refused = await api.call('GET', '/api/v1/tickets?limit=1', { token: temp });
    expect(refused).toMatchObject({ status: 401, json: { code: 'api_unauthorized', message: 'this API token is revoked' } });

    const list = await api.call('GET', '/api/v1/tokens', { token: ADMIN_TOKEN });
    expect(list.json.tokens.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['monitoring', 'dashboard', 'temporary']));
    expect(JSON.stringify(list.json)).not.toContain(temp);
    expect(JSON.stringify(list.json)).not.toContain(writer);
    // The name is free again once revoked; an active name is not.
    expect((await api.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'temporary', scopes: ['tickets:read'] } })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'temporary', scopes: ['tickets:read'] } })).json.code).toBe(
      'api_name_taken',
    );
  });
});

describe('REST API: rate limit per token', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_API_RATE_LIMIT: '3' }, { label: 'api-rate' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers 429 with Retry-After once a token used its budget, other tokens unaffected', async () => {
    const api = apiClient(app.url);
    const busy = await api.token('busy', ['tickets:read']);
    const calm = await api.token('calm', ['tickets:read']);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.call('GET', '/api/v1/tickets', { token: busy })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await api.call('GET', '/api/v1/tickets', { token: busy });
    expect(limited.json.code).toBe('api_rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await api.call('GET', '/api/v1/tickets', { token: calm })).status).toBe(200);
  });
});
