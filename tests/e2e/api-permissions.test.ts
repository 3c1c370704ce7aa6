/**
 * The permission matrix for API tokens, on a governed desk (IT agent bob,
 * People agent pat, dave a desk-wide manager): a token's scopes say which
 * routes it may call, its role (as a person, or a role for some teams, or
 * none) what it may do there. A refusal is a 403 in the one error shape that
 * changes nothing but the audit trail, where the token's name is recorded.
 */
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { ADMIN_TOKEN, apiClient } from '../support/api-client';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';

type Json = Record<string, any>;

describe('REST API: permission and scope matrix', () => {
  let app: Chatdesk;
  let api: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};

  const make = async (name: string, body: Json) => {
    const res = await api.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name, ...body } });
    expect(res.status).toBe(201);
    tokens[name] = res.json.secret;
    return res.json.token;
  };
  /** A network ticket (routed to IT) opened by `opener` for `requester` (the opener itself when left out). */
  const open = async (opener = 'opener', requester?: string): Promise<Json> => {
    const res = await api.call('POST', '/api/v1/tickets', {
      token: tokens[opener],
      body: { title: 'VPN drops every few minutes', fields: { impact: 'me' }, ...(requester ? { requester } : {}) },
    });
    expect(res.status).toBe(201);
    expect(res.json.team).toBe('it');
    return res.json;
  };
  const stored = (key: string) => app.desk.findTicket(key);

  beforeAll(async () => {
    const [it] = defaultDeskConfig.teams;
    const desk = deskFile({
      teams: [
        { ...it, agents: [{ platform: 'playground', id: 'bob' }] },
        { id: 'people', name: 'People', categories: [], agents: [{ platform: 'playground', id: 'pat' }] },
      ],
      managers: ['playground:dave'],
    });
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN, CHATDESK_PLAYGROUND: 'true', CHATDESK_CONFIG: desk }, { label: 'api_permissions' });
    api = apiClient(app.url);
    await make('opener', { scopes: ['tickets:write'] });
    await make('unlisted', { scopes: ['tickets:write', 'notes:read'] });
    await make('it-agent', { scopes: ['tickets:write', 'notes:read'], role: 'agent', teams: ['it'] });
    await make('it-agent-no-notes', { scopes: ['tickets:write'], role: 'agent', teams: ['it'] });
    await make('it-reader', { scopes: ['tickets:read', 'notes:read'], role: 'agent', teams: ['it'] });
    await make('people-agent', { scopes: ['tickets:write', 'notes:read'], role: 'agent', teams: ['people'] });
    await make('it-manager', { scopes: ['tickets:write'], role: 'manager', teams: ['it'] });
    await make('as-bob', { scopes: ['tickets:write', 'notes:read'], as: 'playground:bob' });
    await make('as-dave', { scopes: ['tickets:write'], as: 'playground:dave' });
    await make('admin-scope', { scopes: ['admin'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  // Every row has four cells: jest reads a fourth parameter of a test function it is not given as `done`.
  const rows: Array<[token: string, body: Json, expected: 200 | 403, reason: string]> = [
    ['unlisted', { action: 'claim' }, 403, 'not_team_agent'],
    ['people-agent', { action: 'claim' }, 403, 'not_team_agent'],
    ['it-agent', { action: 'claim' }, 200, ''],
    ['as-bob', { action: 'claim' }, 200, ''],
    ['as-dave', { action: 'claim' }, 200, ''],
    ['admin-scope', { action: 'claim' }, 200, ''],
    ['it-agent', { action: 'assign', assignee: 'playground:pat' }, 403, 'assignee_outside_team'],
    ['it-agent', { action: 'assign', assignee: 'playground:bob' }, 200, ''],
    ['it-manager', { action: 'assign', assignee: 'playground:pat' }, 200, ''],
    ['unlisted', { action: 'resolve', note: 'works now' }, 403, 'not_requester_or_agent'],
    ['it-agent', { action: 'resolve', note: 'works now' }, 200, ''],
    ['unlisted', { action: 'note', text: 'checked the logs' }, 403, 'not_team_agent'],
    ['people-agent', { action: 'note', text: 'checked the logs' }, 403, 'not_team_agent'],
    ['it-agent', { action: 'note', text: 'checked the logs' }, 200, ''],
    ['people-agent', { action: 'escalate', note: 'urgent' }, 403, 'not_team_agent'],
    ['it-agent', { action: 'escalate', note: 'urgent' }, 200, ''],
    ['unlisted', { action: 'tag', add: ['vpn'] }, 403, 'not_team_agent'],
    ['it-agent', { action: 'tag', add: ['vpn'] }, 200, ''],
    ['unlisted', { action: 'close' }, 403, 'not_team_agent'],
    ['admin-scope', { action: 'close' }, 200, ''],
  ];

  it.each(rows)('%s → %j: %s', async (token, body, expected, reason) => {
    const ticket = await open('opener', 'playground:alice');
    const res = await api.call('POST', `/api/v1/tickets/${ticket.key}/actions`, { token: tokens[token], body });
    const after = await stored(ticket.key);
    expect(res.status).toBe(expected);
    if (expected === 200) {
      expect(after.activity.some((a) => a.actor.platform === 'api' && a.actor.id === token && a.action !== 'refused')).toBe(true);
      return;
    }
    expect(res.json).toEqual({ code: 'chatdesk_forbidden', message: expect.stringContaining(reason) });
    // Nothing changed but the audit trail: the refused attempt, attributed to the token's name.
    expect({ status: after.status, assignee: after.assignee ?? null, tags: after.tags, priority: after.priority }).toEqual({
      status: ticket.status,
      assignee: null,
      tags: [],
      priority: ticket.priority,
    });
    const last = after.activity.at(-1)!;
    expect(last).toMatchObject({ action: 'refused', actor: { platform: 'api', id: token }, note: reason });
    expect(after.activity.filter((a) => a.action === 'note')).toHaveLength(0);
  });

  it('a scope refusal comes first: a read-only token of an agent changes nothing and the ticket is not touched', async () => {
    const ticket = await open('opener', 'playground:alice');
    const res = await api.call('POST', `/api/v1/tickets/${ticket.key}/actions`, { token: tokens['it-reader'], body: { action: 'claim' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ code: 'api_forbidden', message: 'this token lacks the tickets:write scope' });
    const after = await stored(ticket.key);
    expect(after.status).toBe(ticket.status);
    expect(after.activity.filter((a) => a.actor.id === 'it-reader')).toEqual([]);
  });

  it('a token without a role is a requester: it acts on the tickets it opened for itself, and lists and reads only those', async () => {
    const own = await open('unlisted');
    const other = await open('opener', 'playground:alice');
    expect((await api.call('POST', `/api/v1/tickets/${own.key}/actions`, { token: tokens.unlisted, body: { action: 'resolve' } })).status).toBe(200);
    const list = await api.call('GET', '/api/v1/tickets?limit=200', { token: tokens.unlisted });
    expect(list.status).toBe(200);
    expect(list.json.tickets.map((t: Json) => t.key)).toEqual([own.key]);
    const read = await api.call('GET', `/api/v1/tickets/${other.key}`, { token: tokens.unlisted });
    expect(read.status).toBe(403);
    expect(read.json.code).toBe('chatdesk_forbidden');
    // The agent sees both.
    const agents = await api.call('GET', '/api/v1/tickets?limit=200', { token: tokens['it-agent'] });
    expect(agents.json.tickets.map((t: Json) => t.key)).toEqual(expect.arrayContaining([own.key, other.key]));
  });

  it('internal notes are shown to a notes:read token acting as an agent of the team; other tokens of the team get the public history', async () => {
    const ticket = await open('opener', 'playground:alice');
    const noted = await api.call('POST', `/api/v1/tickets/${ticket.key}/actions`, {
      token: tokens['it-agent'],
      body: { action: 'note', text: 'the user is on the old VPN client' },
    });
    expect(noted.status).toBe(200);
    await api.call('POST', `/api/v1/tickets/${ticket.key}/actions`, { token: tokens['it-agent'], body: { action: 'reply', text: 'Please update the client' } });
    const history = async (token: string) => {
      const res = await api.call('GET', `/api/v1/tickets/${ticket.key}`, { token: tokens[token] });
      expect(res.status).toBe(200);
      return res.json.history as Json[];
    };
    for (const token of ['it-agent', 'as-bob', 'admin-scope']) {
      expect(await history(token)).toContainEqual(expect.objectContaining({ action: 'note', note: 'the user is on the old VPN client' }));
    }
    // An agent of another team may not view the ticket at all (as in chat).
    expect((await api.call('GET', `/api/v1/tickets/${ticket.key}`, { token: tokens['people-agent'] })).status).toBe(403);
    for (const token of ['it-agent-no-notes']) {
      const seen = await history(token);
      expect(seen.some((e) => e.action === 'note')).toBe(false);
      expect(JSON.stringify(seen)).not.toContain('old VPN client');
      // The public history keeps what the requester sees, the agent's reply included.
      expect(seen).toContainEqual(expect.objectContaining({ action: 'agent_replied', note: 'Please update the client' }));
    }
  });

  it('token roles are checked when the token is created', async () => {
    const bad = async (body: Json, field: string) => {
      const res = await api.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'bad-role', scopes: ['tickets:read'], ...body } });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json.fields)).toEqual([field]);
    };
    await bad({ role: 'agent', teams: ['nope'] }, 'teams');
    await bad({ role: 'agent' }, 'teams');
    await bad({ teams: ['it'] }, 'role');
    await bad({ as: 'myspace:bob' }, 'as');
    await bad({ as: 'playground:bob', role: 'agent', teams: ['it'] }, 'as');
    const list = await api.call('GET', '/api/v1/tokens', { token: ADMIN_TOKEN });
    expect(list.json.tokens.find((t: Json) => t.name === 'it-agent')).toMatchObject({ role: 'agent', teams: ['it'], as: null });
    expect(list.json.tokens.find((t: Json) => t.name === 'as-bob')).toMatchObject({ as: 'playground:bob', role: null, teams: [] });
  });
});
