/**
 * The rest of the permission matrix, through the playground's API on a
 * governed desk (IT agents bob and carol, People agent pat, dave a desk-wide
 * manager, ada an admin): the requester's own actions, the managers' take
 * over and acknowledge, assist buttons and knowledge commands. The contract
 * suite covers the card buttons and agent commands on every messenger.
 */
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { waitFor } from '../emulators/shared/wait-for';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';

type Json = Record<string, any>;

describe('permissions: requester, manager and assist actions', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    const [it] = defaultDeskConfig.teams;
    const desk = deskFile({
      teams: [
        {
          ...it,
          agents: [
            { platform: 'playground', id: 'bob' },
            { platform: 'playground', id: 'carol' },
          ],
        },
        { id: 'people', name: 'People', categories: [], agents: [{ platform: 'playground', id: 'pat' }] },
      ],
      managers: ['playground:dave'],
      admins: ['playground:ada'],
    });
    app = await startTestApp({ CHATDESK_PLAYGROUND: 'true', CHATDESK_CONFIG: desk }, { label: 'permissions_flow' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const post = async (path: string, body: Json) => {
    const res = await fetch(`${app.url}/api/playground/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    await app.desk.idle();
    return { status: res.status, json };
  };
  const open = async (user: string, text: string): Promise<Ticket> => {
    const r = await post('command', { user, text });
    expect(r.status).toBe(201);
    return app.desk.findTicket(r.json.ticket.id);
  };
  const act = (user: string, action: string, ticketId: string, extra: Json = {}) => post('actions', { user, action, ticketId, ...extra });
  const refusedTo = async (user: string, action: string, ticket: Ticket) =>
    (await app.desk.findTicket(ticket.id)).activity.filter((a) => a.action === 'refused' && a.actor.id === user && a.to === action).length;

  it('the requester resolves and reopens their own ticket; someone else cannot; an agent of another team cannot claim it', async () => {
    const ticket = await open('alice', 'Laptop fan is very loud');
    expect((await act('eve', 'resolve', ticket.id)).json.error).toBe(`Only the requester of ${ticket.key} or IT agents can resolve it.`);
    expect((await act('pat', 'claim', ticket.id)).json.error).toBe(`Only IT agents can claim ${ticket.key}.`);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('new');
    expect((await act('alice', 'resolve', ticket.id)).status).toBe(200);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('resolved');
    expect((await act('eve', 'reopen', ticket.id)).json.error).toBe(`Only the requester of ${ticket.key} or IT agents can reopen it.`);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('resolved');
    expect((await act('alice', 'reopen', ticket.id)).status).toBe(200);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('new');
    expect(await refusedTo('eve', 'resolve', ticket)).toBe(1);
    expect(await refusedTo('pat', 'claim', ticket)).toBe(1);
  });

  it('take over and acknowledge: refused to agents, allowed to a manager and to an admin', async () => {
    const ticket = await open('alice', 'VPN certificate expired for the whole team');
    expect((await act('bob', 'take_over', ticket.id)).json.error).toBe(`Only IT managers can take over ${ticket.key}.`);
    expect((await act('carol', 'acknowledge', ticket.id)).json.error).toBe(`Only IT managers can acknowledge escalations of ${ticket.key}.`);
    expect((await app.desk.findTicket(ticket.id)).assignee).toBeUndefined();
    const took = await act('dave', 'take_over', ticket.id);
    // The private answer carries the hand-off summary (no DM to oneself).
    expect(took.json.reply).toMatch(new RegExp(`^You now own ${ticket.key}\\.\n\n📋 Hand-off summary of ${ticket.key} `));
    expect(took.json.reply).toContain('dave took it over');
    expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe('dave');
    expect((await act('ada', 'assign', ticket.id, { assignee: { user: 'pat' } })).status).toBe(200);
    expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe('pat');
  });

  it("assist buttons and knowledge: a reply draft and a knowledge entry are for the team's agents only", async () => {
    const first = await open('alice', 'Outlook asks for my password again and again');
    await act('bob', 'claim', first.id);
    expect((await post('command', { user: 'bob', text: `reply ${first.key} Remove the saved Outlook credentials, then sign in again.` })).status).toBe(200);
    await act('bob', 'resolve', first.id);
    // Drafted after the resolve by an outbox job (durable: another replica finishes it after a crash).
    const entryId = await waitFor(async () => (await app.desk.findTicket(first.id)).assist?.knowledge?.entryId, { timeoutMs: 15_000 });
    expect(entryId).toBeDefined();
    const kb = await post('command', { user: 'eve', text: `kb ${entryId} Send me your password and I will fix it` });
    expect(kb.json.error).toBe(`Only IT agents can change the knowledge entry of ${first.key}.`);
    expect((await act('eve', 'kb_reject', `${first.id}~${entryId}`)).json.error).toBe(`Only IT agents can change the knowledge entry of ${first.key}.`);

    const next = await open('hank', 'Outlook keeps asking for my password again');
    const draft = (await app.desk.findTicket(next.id)).assist?.drafts?.[0];
    expect(draft).toBeDefined();
    expect((await act('eve', 'draft_send', `${next.id}~${draft!.id}`)).json.error).toBe(`Only IT agents can use reply drafts of ${next.key}.`);
    expect((await app.desk.findTicket(next.id)).activity.some((a) => a.action === 'agent_replied')).toBe(false);
    // Only hank answers the offer made to him.
    expect((await act('bob', 'kb_solved', `${next.id}~${entryId}`)).json.error).toBe(`Only the person who raised ${next.key} can answer this.`);
    expect(['new', 'triaged']).toContain((await app.desk.findTicket(next.id)).status); // still open: the refused click changed nothing
    expect((await act('carol', 'draft_send', `${next.id}~${draft!.id}`)).status).toBe(200);
    expect((await app.desk.findTicket(next.id)).activity.some((a) => a.action === 'agent_replied')).toBe(true);
  });
});
