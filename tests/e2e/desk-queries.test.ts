/**
 * `/ticket mine`, `/ticket search words` and `/ticket stats` (and their zh
 * twins) answer in chat instead of opening tickets, through the playground's
 * HTTP API on the real app: a requester sees their own tickets, agents see
 * their teams'.
 */
import type { Chatdesk } from '../../src/app';
import { startTestApp } from '../support/test-app';
import { deskFile } from '../support/desk-file';

type Json = Record<string, any>;

describe('desk queries in chat', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    const desk = deskFile({
      teams: [
        {
          id: 'it',
          name: 'IT',
          categories: ['hardware', 'software', 'network', 'access', 'email', 'security'],
          agentChannels: { playground: 'agents' },
          agents: [{ platform: 'playground', id: 'bob' }],
        },
        {
          id: 'people',
          name: 'People',
          categories: ['hr', 'facilities'],
          agentChannels: { playground: 'people' },
          agents: [{ platform: 'playground', id: 'pia' }],
        },
      ],
    });
    app = await startTestApp({ CHATDESK_CONFIG: desk }, { label: 'queries' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const command = async (user: string, text: string) => {
    const res = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, name: user, text }),
    });
    const json = (await res.json()) as Json;
    await app.intake.idle();
    return { status: res.status, json };
  };
  const ticketCount = async () => (await app.store.tickets.list({ limit: 1000 })).length;

  it('answers mine, search and stats without opening a ticket, each person seeing what the matrix lets them', async () => {
    const printer = await command('alice', 'The printer on floor 3 jams on every page');
    const laptop = await command('carol', 'My laptop does not boot after the update');
    const chair = await command('carol', 'My office chair is broken, the backrest fell off');
    expect([printer.status, laptop.status, chair.status]).toEqual([201, 201, 201]);
    const before = await ticketCount();

    const mine = await command('alice', 'mine');
    expect(mine.json.reply).toContain(`Raised by you (1):\n• ${printer.json.ticket.key} [`);
    expect(mine.json.reply).not.toContain(laptop.json.ticket.key);

    // A requester finds only their own tickets; bob, an IT agent, finds IT's.
    expect((await command('alice', 'search laptop')).json.reply).toBe('No ticket you can see matches "laptop".');
    const found = await command('bob', 'search LAPTOP');
    expect(found.json.reply).toContain(`Tickets matching "LAPTOP" (1, newest first):\n• ${laptop.json.ticket.key}`);
    // Words are matched as typed, not as a pattern.
    expect((await command('bob', 'search .*')).json.reply).toBe('No ticket you can see matches ".*".');

    const stats = await command('bob', 'stats');
    const chairTicket = await app.desk.findTicket(chair.json.ticket.id);
    const itOpen = chairTicket.team === 'it' ? 3 : 2;
    expect(stats.json.reply).toContain('Desk now (IT):');
    const itTickets = (await app.store.tickets.list({ team: 'it', limit: 50 })).filter((tk) => tk.status === 'new' || tk.status === 'triaged');
    const triaged = itTickets.filter((tk) => tk.status === 'triaged').length;
    expect(itTickets).toHaveLength(itOpen);
    expect(stats.json.reply).toContain(`• Open: ${itOpen} (new ${itOpen - triaged}, triaged ${triaged}, in progress 0, waiting on requester 0)`);
    expect(stats.json.reply).toContain(`• Today: ${itOpen} opened, 0 resolved`);
    expect(stats.json.reply).toContain('• Your queue: 0 open assigned to you');

    // The zh twins answer in Chinese.
    expect((await command('alice', '/工单 我的')).json.reply).toContain('你提交的（1）：');
    expect((await command('bob', '/工单 统计')).json.reply).toContain('当前服务台（IT）：');
    expect(await ticketCount()).toBe(before);
  });
});
