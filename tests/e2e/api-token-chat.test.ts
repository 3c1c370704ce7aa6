/**
 * `/ticket admin token …` on the playground: desk admins create, list and
 * revoke API tokens from chat; the token itself arrives in a DM only (not in
 * the command's answer, which the intake inbox keeps); anyone else is refused.
 */
import type { Chatdesk } from '../../src/app';
import { dmConversation } from '../../src/adapters/playground/playground-hub';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { apiClient } from '../support/api-client';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';

describe('API tokens from chat', () => {
  let app: Chatdesk;
  const command = async (user: string, text: string): Promise<string> => {
    const res = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, text }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { reply: string }).reply;
  };
  const dms = async (user: string) => (await app.playground!.visibleTo(user)).find((c) => c.id === dmConversation(user))?.messages ?? [];
  const secretIn = (text: string) => /cdt_[A-Za-z0-9_-]{20,}/.exec(text)?.[0];

  beforeAll(async () => {
    const [it] = defaultDeskConfig.teams;
    const desk = deskFile({ teams: [{ ...it, agents: [{ platform: 'playground', id: 'bob' }] }], admins: ['playground:ada'] });
    app = await startTestApp({ CHATDESK_PLAYGROUND: 'true', CHATDESK_CONFIG: desk }, { label: 'api_token_chat' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('an admin creates a token: the answer describes it, the token comes by DM, works on the API and is stored nowhere in clear', async () => {
    const answer = await command('ada', 'admin token create nagios --scope tickets:write --role agent --team it');
    expect(answer).toContain('Created API token nagios');
    expect(answer).toContain('acting as agent of it');
    expect(secretIn(answer)).toBeUndefined();
    const secret = secretIn((await dms('ada')).map((m) => m.text).join('\n'));
    expect(secret).toBeDefined();

    const api = apiClient(app.url);
    expect((await api.call('GET', '/api/v1/tickets', { token: secret })).status).toBe(200);
    const stored = JSON.stringify(await app.store.connection.db!.collection('inbox').find({}).toArray());
    expect(stored).toContain('Created API token nagios');
    expect(stored).not.toContain(secret);
    expect(JSON.stringify(await app.store.connection.db!.collection('outbox').find({}).toArray())).not.toContain(secret);

    const listed = await command('ada', 'admin token list');
    expect(listed).toMatch(/nagios \(tok_[0-9a-f]+\) · tickets:write · acting as agent of it · active/);
    expect(secretIn(listed)).toBeUndefined();
    expect(await command('ada', 'admin token revoke nagios')).toMatch(/^Revoked nagios/);
    expect((await api.call('GET', '/api/v1/tickets', { token: secret })).status).toBe(401);
  });

  it('refuses people who are not desk admins, and explains bad input', async () => {
    const before = (await app.store.apiTokens.list()).length;
    expect(await command('bob', 'admin token create sneaky --scope admin')).toBe('Only desk admins manage API tokens.');
    expect(await command('bob', 'admin token list')).toBe('Only desk admins manage API tokens.');
    expect((await dms('bob')).some((m) => secretIn(m.text))).toBe(false);
    expect(await command('ada', 'admin token create x --scope root')).toMatch(/^Not created: scopes\.0/);
    expect(await command('ada', 'admin token create y --scope tickets:read --role agent --team nowhere')).toMatch(/^Not created: teams: no team nowhere/);
    expect(await command('ada', 'admin token')).toMatch(/^Usage: \/ticket admin token create/);
    expect((await app.store.apiTokens.list()).length).toBe(before);
    // "admin" as the first word of an ordinary problem still opens a ticket.
    const res = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'carol', text: 'admin password expired' }),
    });
    expect(res.status).toBe(201);
  });
});
