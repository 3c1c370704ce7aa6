/**
 * Outbound webhooks end to end: the real app, its durable outbox and SLA
 * worker on the embedded database, and local receivers that check every
 * signature the way the README tells integrators to.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chatdesk } from '../../src/app';
import { waitFor } from '../emulators/shared';
import { ADMIN_TOKEN, apiClient } from '../support/api-client';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';
import { TICKET_EVENT_TYPES } from '../../src/core/webhooks/ticket-events';

const MIN = 60_000;

interface Received {
  id: string;
  type: string;
  ticketKey: string;
  signed: boolean;
  attempt: number;
  note?: string;
  change?: Record<string, unknown>;
}

/** A webhook receiver: verifies the signature against `secret`, answers as `mode` says (per request). */
async function receiver(clock: () => number) {
  const got: Received[] = [];
  let secret = '';
  let requests = 0;
  let answer: (n: number) => 'ok' | '500' | 'hang-up' = () => 'ok';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const mode = answer(requests);
      if (mode === 'hang-up') return req.socket.destroy();
      if (mode === '500') {
        res.writeHead(500).end('down');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      // The README's check: HMAC-SHA256 over "<t>.<raw body>", constant-time compare, at most 5 minutes old.
      const header = String(req.headers['chatdesk-signature'] ?? '');
      const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
      const v1 = /(?:^|,)v1=([0-9a-f]+)/.exec(header)?.[1] ?? '';
      const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
      const signed = v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected)) && Math.abs(clock() / 1000 - t) <= 300;
      const event = JSON.parse(body) as { id: string; type: string; data: { ticket: { key: string }; change?: { note?: string } & Record<string, unknown> } };
      got.push({
        id: event.id,
        type: event.type,
        ticketKey: event.data.ticket.key,
        signed,
        attempt: Number(req.headers['chatdesk-delivery-attempt']),
        ...(event.data.change?.note ? { note: event.data.change.note } : {}),
        ...(event.data.change ? { change: event.data.change } : {}),
      });
      res.writeHead(signed ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    got,
    requests: () => requests,
    setSecret: (s: string) => (secret = s),
    answerWith: (f: (n: number) => 'ok' | '500' | 'hang-up') => (answer = f),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('webhooks: signed deliveries through the durable outbox', () => {
  let app: Chatdesk;
  let api: ReturnType<typeof apiClient>;
  let writer: string;
  let now = new Date('2026-11-23T09:00:00Z').getTime();
  const receivers: Array<Awaited<ReturnType<typeof receiver>>> = [];
  const subscribe = async (events: string[]) => {
    const r = await receiver(() => now);
    receivers.push(r);
    const created = await api.call('POST', '/api/v1/webhooks', { token: ADMIN_TOKEN, body: { url: r.url, events } });
    expect(created.status).toBe(201);
    r.setSecret(created.json.secret);
    return { r, id: created.json.webhook.id as string };
  };
  const open = async (title: string) => {
    const res = await api.call('POST', '/api/v1/tickets', { token: writer, body: { title, requester: 'playground:alice', fields: { impact: 'me' } } });
    expect(res.status).toBe(201);
    return res.json as { key: string; id: string };
  };
  const act = async (key: string, body: Record<string, unknown>) =>
    expect((await api.call('POST', `/api/v1/tickets/${key}/actions`, { token: writer, body })).status).toBe(200);
  const settled = async () => {
    await app.webhooks.idle();
    await app.outbox.idle();
  };

  beforeAll(async () => {
    const same = { firstResponse: '10m', resolution: '1h' };
    app = await startTestApp(
      {
        CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN,
        CHATDESK_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1',
        CHATDESK_CONFIG: deskFile({ sla: { policies: { P0: same, P1: same, P2: same, P3: same } } }),
      },
      { label: 'webhooks', now: () => new Date(now) },
    );
    api = apiClient(app.url);
    writer = await api.token('monitoring', ['tickets:write']);
  });
  afterAll(async () => {
    await app?.stop();
    for (const r of receivers) await r.close();
  });

  it('refuses targets on loopback or private addresses that configuration does not allow', async () => {
    for (const url of ['http://10.0.0.5/hooks', 'http://[::1]:8080/hooks', 'http://192.168.1.20/hooks', 'http://169.254.169.254/latest/meta-data']) {
      const res = await api.call('POST', '/api/v1/webhooks', { token: ADMIN_TOKEN, body: { url, events: ['ticket.created'] } });
      expect({ url, status: res.status, code: res.json.code }).toEqual({ url, status: 400, code: 'chatdesk_webhook_target_refused' });
    }
    const bad = await api.call('POST', '/api/v1/webhooks', { token: ADMIN_TOKEN, body: { url: 'ftp://example.com/x', events: ['ticket.created'] } });
    expect(bad.status).toBe(400);
    const unknown = await api.call('POST', '/api/v1/webhooks', { token: ADMIN_TOKEN, body: { url: 'http://127.0.0.1:9/x', events: ['ticket.deleted'] } });
    expect(unknown.status).toBe(400);
    const notAdmin = await api.call('POST', '/api/v1/webhooks', { token: writer, body: { url: 'http://127.0.0.1:9/x', events: ['ticket.created'] } });
    expect(notAdmin.status).toBe(403);
    expect((await api.call('GET', '/api/v1/webhooks', { token: ADMIN_TOKEN })).json.webhooks).toEqual([]);
  });

  it('delivers every event type once, signed, as the ticket goes through its life and its SLA', async () => {
    const { r } = await subscribe([...TICKET_EVENT_TYPES]);
    const ticket = await open('Payroll export fails');
    await settled();
    now += 8 * MIN; // 80% of the 10 min first-response target: a warning
    await waitFor(() => r.got.some((e) => e.type === 'sla.warning'), { timeoutMs: 8000, describe: () => JSON.stringify(r.got) });
    await act(ticket.key, { action: 'claim' });
    await act(ticket.key, { action: 'note', text: 'the export job runs on the old server' });
    await act(ticket.key, { action: 'escalate', note: 'payday tomorrow' });
    await settled(); // (deliveries signed before the clock moves are checked against the time they were sent at)
    now += 53 * MIN; // 61 min: the 1 h resolution target is breached
    await waitFor(() => r.got.some((e) => e.type === 'sla.breached'), { timeoutMs: 8000, describe: () => JSON.stringify(r.got) });
    await act(ticket.key, { action: 'resolve' });
    await waitFor(() => r.got.some((e) => e.type === 'ticket.resolved'), { describe: () => JSON.stringify(r.got) });
    await settled();

    const types = r.got.map((e) => e.type);
    // Every type but the requester's rating and its comment (given in chat, not over the API: see below).
    expect(new Set(types)).toEqual(new Set(TICKET_EVENT_TYPES.filter((t) => t !== 'ticket.csat_received' && t !== 'ticket.csat_commented')));
    expect(r.got.find((e) => e.type === 'ticket.note_added')?.note).toBe('the export job runs on the old server');
    expect(r.got.filter((e) => !(e.signed && e.ticketKey === ticket.key && e.attempt === 1))).toEqual([]);
    const ids = r.got.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // new -> in_progress (claim), in_progress -> resolved: two status changes.
    expect(types.filter((t) => t === 'ticket.status_changed')).toHaveLength(2);
  });

  it("delivers the requester's rating and, later, their comment on it (given in chat)", async () => {
    const { r } = await subscribe(['ticket.csat_received', 'ticket.csat_commented']);
    const ticket = await open('VPN drops every hour');
    await act(ticket.key, { action: 'resolve' });
    // What the rating buttons and the comment form send, from the requester on the playground.
    const alice = { platform: 'playground' as const, id: 'alice' };
    const press = (request: { kind: 'button'; action: string; ticketId: string } | { kind: 'csat_comment'; ticketId: string; text: string }) =>
      app.intake.submitAndWait({ id: `playground:webhooks-csat-${request.kind}`, platform: 'playground', user: alice, locale: 'en', request, reply: {} }, 5000);
    await expect(press({ kind: 'button', action: 'csat_5', ticketId: ticket.id })).resolves.toMatchObject({ outcome: { status: 'answered' } });
    await expect(press({ kind: 'csat_comment', ticketId: ticket.id, text: 'Solved before my coffee was cold' })).resolves.toMatchObject({
      outcome: { status: 'answered' },
    });
    await waitFor(() => r.got.length >= 2, { describe: () => JSON.stringify(r.got) });
    await settled();
    expect(r.got.map((e) => [e.type, e.ticketKey, e.change, e.signed])).toEqual([
      ['ticket.csat_received', ticket.key, { to: '5' }, true],
      ['ticket.csat_commented', ticket.key, { to: '5', comment: 'Solved before my coffee was cold' }, true],
    ]);
  });

  it('keeps retrying a receiver that is down (500, connection closed) and delivers once it is up', async () => {
    const { r, id } = await subscribe(['ticket.created']);
    r.answerWith((n) => (n === 1 ? '500' : n === 2 ? 'hang-up' : 'ok'));
    const ticket = await open('Laptop will not boot');
    await waitFor(() => r.got.find((e) => e.ticketKey === ticket.key), { timeoutMs: 15_000, describe: () => `${r.requests()} requests` });
    await settled();
    expect(r.got.filter((e) => e.ticketKey === ticket.key).map((e) => e.attempt)).toEqual([3]);
    const attempts = (await api.call('GET', `/api/v1/webhooks/${id}/deliveries`, { token: ADMIN_TOKEN })).json.deliveries;
    expect(attempts.map((a: { attempt: number; status: number | null; ok: boolean }) => [a.attempt, a.status, a.ok])).toEqual([
      [3, 204, true],
      [2, null, false],
      [1, 500, false],
    ]);
    const sub = (await api.call('GET', '/api/v1/webhooks', { token: ADMIN_TOKEN })).json.webhooks.find((w: { id: string }) => w.id === id);
    expect(sub).toMatchObject({ state: 'active', failingSince: null, lastDelivery: { ok: true, status: 204 } });
  });

  it('sends nothing more to a deleted subscription, not even what was queued for it', async () => {
    const { r, id } = await subscribe(['ticket.created', 'ticket.status_changed']);
    r.answerWith(() => '500');
    const ticket = await open('Monitor flickers');
    await waitFor(() => r.requests() >= 1);
    expect((await api.call('DELETE', `/api/v1/webhooks/${id}`, { token: ADMIN_TOKEN })).status).toBe(200);
    const sent = r.requests();
    r.answerWith(() => 'ok');
    await act(ticket.key, { action: 'claim' });
    await open('Keyboard missing keys');
    await settled();
    expect(r.requests()).toBe(sent);
    expect(r.got).toEqual([]);
    expect((await api.call('DELETE', `/api/v1/webhooks/${id}`, { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it('disables a subscription that keeps failing for 24 hours', async () => {
    const { r, id } = await subscribe(['ticket.created']);
    r.answerWith(() => '500');
    await open('Disk full on build server');
    // The first failure is recorded (it starts the 24 h), and its retry waits; then a day passes.
    const Outbox = app.store.connection.model('Outbox');
    await waitFor(async () => ((await Outbox.findOne({ state: 'pending', 'job.subscriptionId': id }).lean()) as { attempts?: number } | null)?.attempts === 1);
    now += 25 * 60 * MIN;
    await waitFor(
      async () =>
        (await api.call('GET', '/api/v1/webhooks', { token: ADMIN_TOKEN })).json.webhooks.find((w: { id: string }) => w.id === id)?.state === 'disabled',
      {
        timeoutMs: 10_000,
        describe: () => JSON.stringify({ requests: r.requests() }),
      },
    );
    await settled();
    const requests = r.requests();
    await open('Another one after it was disabled');
    await settled();
    expect(r.requests()).toBe(requests);
  });
});
