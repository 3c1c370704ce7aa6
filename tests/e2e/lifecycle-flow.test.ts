/**
 * The whole lifecycle through the playground's HTTP API on the embedded
 * database, with a clock the test moves: a reply within the reopen window
 * reopens, a resolved ticket closes itself after the desk's 7 days, a reply
 * after that opens a new linked ticket, and an agent closes one by command.
 * Internal notes added along the way never reach the requester.
 */
import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { playgroundApi } from '../support/playground-api';
import { startTestApp } from '../support/test-app';

const DAY = 86_400_000;
const NOTE = 'INTERNAL-NOTE-lifecycle: the requester broke it with a magnet';

describe('lifecycle: reopen window, auto-close, a follow-up after close, close by an agent', () => {
  let app: Chatdesk;
  let offset = 0;
  beforeAll(async () => {
    app = await startTestApp({}, { label: 'lifecycle', now: () => new Date(Date.now() + offset) });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const { settle, post, conversation } = playgroundApi(() => app);
  const nameOf = (user: string) => user[0]!.toUpperCase() + user.slice(1);
  const command = (user: string, text: string) => post('command', { user, name: nameOf(user), text });
  const act = (user: string, action: string, ticketId: string) => post('actions', { user, name: nameOf(user), action, ticketId });
  const dm = (user: string) => conversation(user, `dm:${user}`);
  const open = async (user: string, text: string): Promise<Ticket> => {
    const r = await command(user, text);
    expect(r.status).toBe(201);
    return app.desk.findTicket(r.json.ticket.id);
  };

  it('reopens on a reply within the window, closes itself after 7 days, and a reply after close opens a linked ticket', async () => {
    const ticket = await open('mallory', 'The badge reader at the side door stays red');
    await act('bob', 'claim', ticket.id);
    expect((await command('bob', `note ${ticket.key} ${NOTE}`)).json.reply).toBe(`Internal note added to ${ticket.key}. Only agents see it.`);
    await command('bob', `resolve ${ticket.key} Re-enrolled the badge; the reader is green again.`);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('resolved');

    // Day 3: within the window, the requester's reply reopens it.
    offset = 3 * DAY;
    const reply = await post('messages', { user: 'mallory', name: 'Mallory', text: `${ticket.key} it is red again this morning` });
    expect(reply.json.reply).toBe(`Added to ${ticket.key} and reopened it: the team will look again.`);
    expect((await app.desk.findTicket(ticket.id)).status).toBe('in_progress');
    await command('bob', `resolve ${ticket.key} Replaced the reader's fuse.`);

    // Day 9: resolved on day 3, still within 7 days: nothing closes.
    offset = 9 * DAY;
    expect(await app.desk.closeDue()).toEqual([]);
    // Day 10 and a bit: closed by itself, the requester told so.
    offset = 10.1 * DAY;
    expect(await app.desk.closeDue()).toEqual([ticket.key]);
    await settle();
    const closed = await app.desk.findTicket(ticket.id);
    expect(closed.status).toBe('closed');
    expect(closed.activity.at(-1)).toMatchObject({ action: 'auto_closed', actor: { platform: 'system', id: 'chatdesk' } });
    expect((await dm('mallory')).map((m) => m.text).join('\n')).toContain(`Your ticket ${ticket.key} is closed.`);
    expect(await app.desk.closeDue()).toEqual([]); // once

    // After close: a reply opens a new ticket, linked both ways; the closed one stays closed.
    const late = await post('messages', { user: 'mallory', name: 'Mallory', text: `${ticket.key} red again, third time` });
    const newKey = /opened (\S+) for this/.exec(String(late.json.reply))?.[1];
    expect(late.json.reply).toBe(`${ticket.key} was closed, so I opened ${newKey} for this and linked it to ${ticket.key}.`);
    const followUp = await app.desk.findTicket(newKey!);
    expect(followUp).toMatchObject({
      title: `Follow-up to ${ticket.key}: ${ticket.title}`,
      description: `${ticket.key} red again, third time`,
      requester: { id: 'mallory' },
    });
    expect(followUp.activity.find((a) => a.action === 'follow_up_linked')).toMatchObject({ from: ticket.key });
    const old = await app.desk.findTicket(ticket.id);
    expect(old.status).toBe('closed');
    expect(old.activity.at(-1)).toMatchObject({ action: 'follow_up_linked', to: newKey });

    // The note reached neither the requester's conversation nor the knowledge entry.
    expect((await dm('mallory')).filter((m) => m.text.includes('INTERNAL-NOTE') || JSON.stringify(m.card ?? {}).includes('INTERNAL-NOTE'))).toEqual([]);
    const entryId = old.assist?.knowledge?.entryId;
    const entry = entryId ? await app.desk.knowledge.get(entryId) : null;
    expect(entry?.answer).toBeDefined();
    expect(`${entry?.question} ${entry?.answer}`).not.toContain('INTERNAL-NOTE');
  });

  it("an agent closes a ticket by command or with the resolved card's Close button; a closed ticket takes no more changes", async () => {
    const a = await open('nina', 'Monitor arm is loose');
    expect((await command('bob', `close ${a.key}`)).json.reply).toBe(`${a.key} is closed.`);
    expect((await app.desk.findTicket(a.id)).status).toBe('closed');
    const b = await open('nina', 'Desk lamp flickers');
    await act('bob', 'resolve', b.id);
    expect((await act('bob', 'close', b.id)).status).toBe(200);
    expect((await app.desk.findTicket(b.id)).status).toBe('closed');
    expect((await act('bob', 'reopen', b.id)).json.error).toContain('closed');
    // The requester cannot close: it is an agent's action.
    const c = await open('nina', 'Chair squeaks');
    expect((await command('nina', `close ${c.key}`)).json.error).toBe(`Only IT agents can close ${c.key}.`);
    expect((await app.desk.findTicket(c.id)).status).not.toBe('closed');
  });
});
