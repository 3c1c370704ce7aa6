/** The local web playground through its HTTP/WebSocket interface, on the embedded database. */
import WebSocket from 'ws';
import type { Chatdesk } from '../../src/app';
import type { PlaygroundEvent } from '../../src/adapters/playground/playground-hub';
import { startTestApp } from '../support/test-app';

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

/** Collects what the server pushes to one playground user. */
async function listen(app: Chatdesk, user: string) {
  const events: PlaygroundEvent[] = [];
  const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/playground/ws?user=${user}`);
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as PlaygroundEvent));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waitFor = async (pred: (e: PlaygroundEvent) => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const hit = events.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching event for ${user}; got ${JSON.stringify(events.map((e) => [e.type, e.message.text]))}`);
  };
  return { events, waitFor, close: () => ws.close() };
}

describe('playground: the same flows in the browser API', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    app = await startTestApp({}, { label: 'playground' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('creates a ticket from a command, shows the card to agents, claims it in place and tells the requester', async () => {
    const alice = await listen(app, 'alice');
    const bob = await listen(app, 'bob');
    const created = await post(`${app.url}/api/playground/command`, { user: 'alice', name: 'Alice', text: 'VPN 连不上，无法访问内网' });
    expect(created.status).toBe(201);
    expect(created.json.ticket.key).toMatch(/^T-\d+$/);
    const key: string = created.json.ticket.key;

    const card = await bob.waitFor((e) => e.type === 'message' && e.message.conversationId === 'agents' && e.message.card?.title.startsWith(key) === true);
    expect(card.message.card!.fields.find((f) => f.label === 'Category')?.value).toMatch(/^network/);
    const dm = await alice.waitFor((e) => e.message.conversationId === 'dm:alice');
    expect(dm.message.text).toContain(key);
    expect(dm.message.text).toContain('已创建'); // a requester writing Chinese is answered in Chinese
    expect(alice.events.some((e) => e.message.conversationId === 'agents')).toBe(true); // agent channel is visible to all in the playground
    expect(bob.events.some((e) => e.message.conversationId === 'dm:alice')).toBe(false); // but DMs are private

    const claim = await post(`${app.url}/api/playground/actions`, { user: 'bob', name: 'Bob', action: 'claim', ticketId: created.json.ticket.id });
    expect(claim.status).toBe(200);
    const updated = await bob.waitFor((e) => e.type === 'message_updated' && e.message.id === card.message.id);
    expect(updated.message.card!.footer).toContain('Bob');
    expect(updated.message.card!.actions.map((a) => a.id)).not.toContain('claim');
    const told = await alice.waitFor((e) => e.message.threadId === dm.message.id);
    expect(told.message.text).toContain('Bob');

    const again = await post(`${app.url}/api/playground/actions`, { user: 'carol', action: 'claim', ticketId: created.json.ticket.id });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe(`${key} is already claimed by Bob.`);

    const conversations = await fetch(`${app.url}/api/playground/conversations?user=alice`).then(
      (r) => r.json() as Promise<{ conversations: Array<{ id: string; messages: unknown[] }> }>,
    );
    expect(conversations.conversations.find((c) => c.id === 'dm:alice')!.messages.length).toBeGreaterThanOrEqual(2);
    alice.close();
    bob.close();
  });

  it('returns the form for a bare command and field errors for a bad submission, storing nothing', async () => {
    const bare = await post(`${app.url}/api/playground/command`, { user: 'alice', text: '' });
    expect(bare.status).toBe(200);
    expect(bare.json.form.fields.map((f: { id: string }) => f.id)).toEqual(['type', 'title', 'description', 'affected_service', 'impact']);

    const before = (await app.store.tickets.list({})).length;
    const bad = await post(`${app.url}/api/playground/tickets`, { user: 'alice', values: { type: 'access', title: '', system: '' } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual({ title: 'required', system: 'required' });
    const badOption = await post(`${app.url}/api/playground/tickets`, { user: 'alice', values: { type: 'incident', title: 'x', impact: 'galaxy' } });
    expect(badOption.json.errors).toEqual({ impact: 'choose one of the listed options' });
    expect((await app.store.tickets.list({})).length).toBe(before);

    const ok = await post(`${app.url}/api/playground/tickets`, { user: 'alice', values: { type: 'access', title: 'Need Figma', system: 'Figma' } });
    expect(ok.status).toBe(201);
    expect(await app.desk.findTicket(ok.json.ticket.key)).toMatchObject({ type: 'access', fields: { system: 'Figma' } });
  });

  it('opens one ticket for a resent submission, and a refused form can be fixed and sent with the same id', async () => {
    const before = (await app.store.tickets.list({ limit: 500 })).length;
    const first = await post(`${app.url}/api/playground/command`, { user: 'alice', text: 'Projector in room 4 is dead', requestId: 'req-0001-projector' });
    const again = await post(`${app.url}/api/playground/command`, { user: 'alice', text: 'Projector in room 4 is dead', requestId: 'req-0001-projector' });
    expect([first.status, again.status]).toEqual([201, 202]);
    expect(again.json).toEqual({ duplicate: true });

    const refused = await post(`${app.url}/api/playground/tickets`, {
      user: 'alice',
      requestId: 'req-0002-access',
      values: { type: 'access', title: 'Need Jira' },
    });
    expect(refused.status).toBe(422);
    const fixed = await post(`${app.url}/api/playground/tickets`, {
      user: 'alice',
      requestId: 'req-0002-access',
      values: { type: 'access', title: 'Need Jira', system: 'Jira' },
    });
    expect(fixed.status).toBe(201);
    expect((await app.store.tickets.list({ limit: 500 })).length).toBe(before + 2);
  });

  it('answers the help and escalations sub-commands, and routes every card button the core has', async () => {
    const help = await post(`${app.url}/api/playground/command`, { user: 'alice', text: 'help' });
    expect(help.status).toBe(200);
    expect(help.json.reply).toContain('/ticket escalations');
    const none = await post(`${app.url}/api/playground/command`, { user: 'dana', text: '升级' });
    expect(none.json.reply).toBe('你没有待处理的升级。');

    const created = await post(`${app.url}/api/playground/command`, { user: 'alice', text: 'Badge reader at the door rejects everyone' });
    await post(`${app.url}/api/playground/actions`, { user: 'bob', action: 'claim', ticketId: created.json.ticket.id });
    const wait = await post(`${app.url}/api/playground/actions`, { user: 'bob', action: 'wait', ticketId: created.json.ticket.id });
    expect(wait.status).toBe(200);
    expect(wait.json.ticket.status).toBe('waiting_on_requester');
  });

  it('rejects malformed requests with a clear 400', async () => {
    const badUser = await post(`${app.url}/api/playground/command`, { user: '<script>', text: 'hi' });
    expect(badUser.status).toBe(400);
    expect(badUser.json.error).toMatch(/^user:/);
    const badJson = await fetch(`${app.url}/api/playground/command`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(badJson.status).toBe(400);
    const unknown = await post(`${app.url}/api/playground/actions`, { user: 'bob', action: 'claim', ticketId: 'T-99999' });
    expect(unknown.status).toBe(409);
    expect(unknown.json.error).toMatch(/no longer exists/);
    const huge = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'a', text: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
