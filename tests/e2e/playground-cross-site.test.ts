/**
 * The playground is not a hole: another web site the operator visits cannot
 * create or change tickets through it, nor read the agent channel over its
 * WebSocket. Requests are sent as a browser would send them (Origin,
 * Sec-Fetch-Site, content types of a cross-site form), with node:http so the
 * Host header can be set too.
 */
import { request } from 'node:http';
import WebSocket from 'ws';
import type { Chatdesk } from '../../src/app';
import { startTestApp } from '../support/test-app';

interface Sent {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

describe('playground: cross-site requests and sockets are refused, same-origin ones work', () => {
  let app: Chatdesk;
  let origin: string;
  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_PLAYGROUND: 'true' }, { label: 'playground_cross_site' });
    origin = app.url;
  });
  afterAll(async () => {
    await app?.stop();
  });

  const send = (s: Sent) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(s.path, app.url);
      const req = request(url, { method: s.method ?? 'POST', headers: s.headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(s.body);
    });
  const ticketsTitled = async (title: string) => (await app.store.tickets.list({ limit: 500 })).filter((t) => t.title === title).length;
  const command = (title: string) => JSON.stringify({ user: 'mallory', text: title, requestId: `req-${title.replace(/\W/g, '').slice(0, 40)}` });

  it.each([
    ['another site posting JSON (Origin of that site)', { origin: 'https://evil.example', 'content-type': 'application/json' }],
    ['another site posting JSON (Sec-Fetch-Site cross-site)', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
    ['a same-site page on another port', { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }],
    ['a cross-site form post (text/plain, no preflight)', { 'content-type': 'text/plain' }],
    ['a cross-site form post (urlencoded)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a rebound DNS name (Host of another site)', { host: 'evil.example:3000', 'content-type': 'application/json' }],
  ])('%s: 403, no ticket', async (_what, headers) => {
    const title = `Cross site ${Object.values(headers).join(' ')}`.replace(/[^A-Za-z0-9 ]/g, ' ').slice(0, 80);
    const res = await send({ path: '/api/playground/command', headers: headers as Record<string, string>, body: command(title) });
    expect(res.status).toBe(403);
    await app.intake.idle();
    expect(await ticketsTitled(title)).toBe(0);
  });

  it('a rebound DNS name cannot read the conversations (the agent channel) either', async () => {
    const res = await send({ path: '/api/playground/conversations?user=bob', method: 'GET', headers: { host: 'evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('conversations');
  });

  it('the playground page itself (same origin) opens a ticket', async () => {
    const title = 'Same origin request opens a ticket';
    const res = await send({
      path: '/api/playground/command',
      headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: command(title),
    });
    expect(res.status).toBe(201);
    expect(await ticketsTitled(title)).toBe(1);
    const page = await send({ path: '/', method: 'GET', headers: { 'sec-fetch-site': 'none' } });
    expect(page.status).toBe(200);
  });

  it('a cross-origin WebSocket is refused; a same-origin one receives the agent channel', async () => {
    const wsUrl = `${app.url.replace('http', 'ws')}/api/playground/ws?user=bob`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { origin: 'https://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(403);

    const events: string[] = [];
    const ws = new WebSocket(wsUrl, { origin });
    ws.on('message', (data) => events.push(String(data)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const title = 'Seen over a same origin socket';
    expect((await send({ path: '/api/playground/command', headers: { origin, 'content-type': 'application/json' }, body: command(title) })).status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.includes(title)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(events.some((e) => e.includes(title))).toBe(true);
  });
});
