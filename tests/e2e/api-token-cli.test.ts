/** The token CLI against a running desk: create (shown once), list, revoke, and what the desk refuses. */
import type { Chatdesk } from '../../src/app';
import { main } from '../../src/api/token-cli';
import { ADMIN_TOKEN, apiClient } from '../support/api-client';
import { startTestApp } from '../support/test-app';

describe('token CLI', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN }, { label: 'token-cli' });
  });
  afterAll(async () => {
    await app?.stop();
  });
  const run = async (argv: string[], env: Record<string, string> = { CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...argv, '--url', app.url], { stdout: (l) => out.push(l), stderr: (l) => err.push(l), fetch: (...a) => fetch(...a), env });
    return { code, out, err };
  };

  it('creates a token that works with its scope, lists it without the secret, revokes it', async () => {
    const created = await run(['create', 'monitoring', '--scope', 'tickets:write']);
    expect(created.code).toBe(0);
    const secret = created.out.at(-1)!;
    expect(secret).toMatch(/^cdt_[A-Za-z0-9_-]{43}$/);
    const api = apiClient(app.url);
    const opened = await api.call('POST', '/api/v1/tickets', { token: secret, body: { title: 'Disk almost full on db-3' } });
    expect(opened.status).toBe(201);

    const listed = await run(['list']);
    expect(listed.code).toBe(0);
    expect(listed.out.join('\n')).toMatch(/\tmonitoring\ttickets:write\tacting as a person the desk file does not list\tcdt_.{6}…\tactive\tlast used 20/);
    expect(listed.out.join('\n')).not.toContain(secret);

    // A role for some teams, or a person's roles.
    const agent = await run(['create', 'triage-bot', '--scope', 'tickets:write,notes:read', '--role', 'agent', '--team', 'it']);
    expect(agent.out[0]).toMatch(/^created token triage-bot \(tok_\w+\) with tickets:write, notes:read, acting as agent of it$/);
    const as = await run(['create', 'as-alice', '--scope', 'tickets:read', '--as', 'slack:U0ALICE']);
    expect(as.out[0]).toMatch(/acting with the roles of slack:U0ALICE$/);

    expect((await run(['revoke', 'monitoring'])).code).toBe(0);
    expect((await api.call('GET', '/api/v1/tickets', { token: secret })).status).toBe(401);
  });

  it('says what is wrong: usage, a refused request, no admin token', async () => {
    expect((await run(['create', 'x'])).code).toBe(2);
    const bad = await run(['create', 'x', '--scope', 'root']);
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toContain('refused (400 api_invalid_request)');
    expect((await run(['revoke', 'nobody'])).err[0]).toContain('404');
    const wrong = await run(['list'], { CHATDESK_ADMIN_TOKEN: 'not-the-admin-token-at-all' });
    expect(wrong.code).toBe(1);
    expect(wrong.err[0]).toContain('401');
    expect((await run(['list'], {})).code).toBe(2);
  });
});
