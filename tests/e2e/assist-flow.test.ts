/**
 * The requester's side of a ticket after it is opened, and the AI at work in
 * chat, through the playground's HTTP API on the embedded database: waiting
 * on the requester and their reply, duplicates, knowledge from resolved
 * tickets, answers offered at intake ("this solved it"), reply drafts for
 * agents, and the agent commands.
 */
import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { playgroundApi } from '../support/playground-api';
import { ADMIN_TOKEN, apiClient } from '../support/api-client';
import { startTestApp } from '../support/test-app';
import { waitFor } from '../emulators/shared/wait-for';

describe('assist: requester replies, duplicates, knowledge, answers and drafts in chat', () => {
  let app: Chatdesk;
  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_ADMIN_TOKEN: ADMIN_TOKEN }, { label: 'assist' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** Every internal note added here carries it; no requester's conversation may (offers, answers, drafts sent, replies). */
  const NOTE_MARK = 'INTERNAL-NOTE-assist';
  const REQUESTERS = ['alice', 'carol', 'erin', 'fred', 'gina', 'hank', 'ivan', 'judy', 'kim', 'liam', 'mia', 'noah'];
  afterEach(async () => {
    for (const user of REQUESTERS) {
      const leaked = (await dm(user)).filter((m) => m.text.includes(NOTE_MARK) || JSON.stringify(m.card ?? {}).includes(NOTE_MARK));
      expect({ user, leaked }).toEqual({ user, leaked: [] });
    }
  });

  const { settle, post, conversation } = playgroundApi(() => app);
  const open = async (user: string, text: string): Promise<Ticket> => {
    const r = await post('command', { user, name: nameOf(user), text });
    expect(r.status).toBe(201);
    await settle();
    return app.desk.findTicket(r.json.ticket.id);
  };
  const nameOf = (user: string) => user[0]!.toUpperCase() + user.slice(1);
  const act = async (user: string, action: string, value: string | undefined) => {
    const r = await post('actions', { user, name: nameOf(user), action, ticketId: value });
    await settle();
    return r;
  };
  const command = async (user: string, text: string) => {
    const r = await post('command', { user, name: nameOf(user), text });
    await settle();
    return r;
  };
  /** Bot messages in the thread under a ticket's card in the agent channel. */
  const cardThread = async (ticket: Ticket) => {
    const card = ticket.agentCards[0]!;
    return (await conversation('bob', 'agents')).filter((m) => m.threadId === card.messageId);
  };
  const dm = (user: string) => conversation(user, `dm:${user}`);

  it("an agent puts a ticket on hold; the requester's reply resumes it and its SLA clock, and reaches the agents", async () => {
    const ticket = await open('erin', 'The plotter on floor 2 prints blank pages');
    await act('bob', 'claim', ticket.id);
    const held = await act('bob', 'wait', ticket.id);
    expect(held.status).toBe(200);
    const waiting = await app.desk.findTicket(ticket.id);
    expect(waiting.status).toBe('waiting_on_requester');
    expect(waiting.sla?.pausedAt).toBeDefined();
    expect((await dm('erin')).map((m) => m.text).join('\n')).toContain(`Bob needs more information on ${ticket.key}`);
    const [card] = (await conversation('bob', 'agents')).filter((m) => m.id === ticket.agentCards[0]!.messageId);
    expect(card!.card!.actions.map((a) => a.id)).not.toContain('wait');

    const reply = await post('messages', { user: 'erin', name: 'Erin', text: 'It is the HP one next to the kitchen' });
    expect(reply.json.reply).toBe(`Added to ${ticket.key}. The team sees it.`);
    const resumed = await app.desk.findTicket(ticket.id);
    expect(resumed.status).toBe('in_progress');
    expect(resumed.sla?.pausedAt).toBeUndefined();
    expect(resumed.activity.at(-1)).toMatchObject({
      action: 'requester_replied',
      from: 'waiting_on_requester',
      to: 'in_progress',
      note: 'It is the HP one next to the kitchen',
    });
    expect((await cardThread(ticket)).map((m) => m.text)).toContain(`💬 Erin on ${ticket.key}:\nIt is the HP one next to the kitchen`);
  });

  it('answers a message from someone with no ticket with matched:false (the page then opens a ticket from it)', async () => {
    const r = await post('messages', { user: 'newcomer', text: 'hello' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ matched: false });
  });

  it('asks which ticket when the requester has several open ones, and routes by key', async () => {
    const a = await open('fred', 'Keyboard is missing the letter Q key cap');
    const b = await open('fred', 'Monitor flickers every few minutes at my desk');
    const ask = await post('messages', { user: 'fred', text: 'any news?' });
    expect(ask.json.reply).toContain(`You have several open tickets (${b.key}, ${a.key})`);
    const byKey = await post('messages', { user: 'fred', text: `${a.key} found a spare cap in the drawer` });
    expect(byKey.json.reply).toBe(`Added to ${a.key}. The team sees it.`);
    expect((await app.desk.findTicket(a.id)).activity.at(-1)?.note).toBe(`${a.key} found a spare cap in the drawer`);
    expect((await app.desk.findTicket(b.id)).activity.some((x) => x.action === 'requester_replied')).toBe(false);
  });

  it('a matching open ticket is offered as "is this your problem?"; agreeing links and closes the duplicate, and its requester hears of the fix', async () => {
    const original = await open('alice', 'The office VPN disconnects every ten minutes');
    const dup = await open('carol', 'The office VPN disconnects every ten minutes or so');
    expect(dup.assist?.possibleDuplicateOf).toBe(original.key);
    const offer = (await dm('carol')).find((m) => m.card?.actions.some((a) => a.id === 'dup_yes'));
    expect(offer?.card?.body).toContain(`Is this the same problem as ${original.key}`);
    // Only the requester may answer.
    const stranger = await act('bob', 'dup_yes', offer!.card!.actions.find((a) => a.id === 'dup_yes')!.value);
    expect(stranger.json.error).toBe(`Only the person who raised ${dup.key} can answer this.`);
    expect((await app.desk.findTicket(dup.id)).status).toBe('new');

    const yes = await act('carol', 'dup_yes', offer!.card!.actions.find((a) => a.id === 'dup_yes')!.value);
    expect(yes.status).toBe(200);
    const closed = await app.desk.findTicket(dup.id);
    expect(closed.status).toBe('closed');
    expect(closed.activity.findLast((a) => a.action === 'duplicate_linked')).toMatchObject({ to: original.key });
    // The audit trail: what was offered, and what the requester answered.
    expect(closed.activity.find((a) => a.action === 'assist_offered')?.note).toContain(`duplicate ${original.key}`);
    expect(closed.activity.at(-1)).toMatchObject({ action: 'assist_answered', to: 'dup_yes' });
    const updatedOffer = (await dm('carol')).find((m) => m.id === offer!.id);
    expect(updatedOffer?.text).toBe(`Linked ${dup.key} to ${original.key}: you will hear here when it is fixed.`);
    const withWatcher = await app.desk.findTicket(original.id);
    expect(withWatcher.watchers?.map((w) => w.id)).toEqual(['carol']);
    const dupCard = (await conversation('bob', 'agents')).find((m) => m.id === closed.agentCards[0]!.messageId);
    expect(dupCard?.card?.footer).toContain(`Duplicate of ${original.key}`);

    await act('bob', 'resolve', original.id);
    expect((await dm('carol')).map((m) => m.text)).toContain(`${original.key}, which you reported too (as ${dup.key}), was resolved by Bob.`);
  });

  it('turns a resolution into knowledge, offers it at intake, drafts a reply for agents, and records "this solved it" as deflected', async () => {
    const first = await open('gina', 'Outlook asks for my password again and again');
    await act('bob', 'claim', first.id);
    // The requester cannot answer as an agent.
    expect((await command('gina', `reply ${first.key} fixed it myself`)).json.error).toBe(`Only IT agents can reply to ${first.key}.`);
    const sent = await command(
      'bob',
      `reply ${first.key} Remove the saved Outlook credentials in Credential Manager, then sign in again.\ninternal: checked the ADFS logs`,
    );
    expect(sent.json.reply).toBe(`Sent to the requester of ${first.key}.`);
    expect((await dm('gina')).map((m) => m.text).join('\n')).toContain('Remove the saved Outlook credentials in Credential Manager');
    // An internal note before the resolution: it stays out of the knowledge entry, the offers and the drafts built from it.
    await command('bob', `note ${first.key} ${NOTE_MARK} Outlook profile is corrupt, do not tell the user yet`);
    await act('bob', 'resolve', first.id);

    const kbMessage = (await cardThread(first)).find((m) => m.card?.actions.some((a) => a.id === 'kb_reject'));
    expect(kbMessage?.card?.body).toContain('Remove the saved Outlook credentials');
    expect(kbMessage?.card?.body).not.toContain('ADFS'); // internal notes never become knowledge
    expect(JSON.stringify(kbMessage?.card)).not.toContain(NOTE_MARK);
    const entryId = (await app.desk.findTicket(first.id)).assist?.knowledge?.entryId;
    expect(entryId).toBe(`kb-${first.id}`);

    const next = await open('hank', 'Outlook keeps asking for my password again');
    expect(next.assist?.suggested).toEqual([entryId]);
    const offer = (await dm('hank')).find((m) => m.card?.actions.some((a) => a.id === 'kb_solved'));
    expect(offer?.card?.body).toContain('These answers solved similar requests:');
    expect(offer?.card?.body).toContain('Remove the saved Outlook credentials');

    const draft = (await cardThread(next)).find((m) => m.card?.actions.some((a) => a.id === 'draft_send'));
    expect(draft?.card?.title).toBe(`Suggested reply for ${next.key} (agents only)`);
    expect(draft?.card?.body).toContain('Remove the saved Outlook credentials');
    expect(draft?.card?.fields[0]?.value).toContain(first.key);
    expect((await dm('hank')).some((m) => m.card?.actions.some((a) => a.id.startsWith('draft_')))).toBe(false); // drafts stay with the agents

    const solved = await act('hank', 'kb_solved', offer!.card!.actions.find((a) => a.id === 'kb_solved')!.value);
    expect(solved.status).toBe(200);
    const deflected = await app.desk.findTicket(next.id);
    expect(deflected.status).toBe('resolved');
    expect(deflected.activity.findLast((a) => a.action === 'deflected')).toMatchObject({ note: entryId });
    expect(deflected.activity.at(-1)).toMatchObject({ action: 'assist_answered', to: 'kb_solved', note: entryId });
    expect((await dm('hank')).find((m) => m.id === offer!.id)?.text).toContain(`${next.key} is closed as solved`);
    expect((await app.desk.knowledge.get(entryId!))?.deflections).toBe(1);
    const card = (await conversation('bob', 'agents')).find((m) => m.id === deflected.agentCards[0]!.messageId);
    expect(card?.card?.footer).toContain('Solved by a knowledge answer');
  });

  it('sends a draft on Send (once), edits knowledge by command, and a rejected entry is no longer offered', async () => {
    const ticket = await open('ivan', 'Outlook asks me for the password over and over');
    const draft = (await cardThread(ticket)).find((m) => m.card?.actions.some((a) => a.id === 'draft_send'))!;
    const value = draft.card!.actions.find((a) => a.id === 'draft_send')!.value;
    const edit = await act('bob', 'draft_edit', value);
    expect(edit.json.reply).toContain(`/ticket reply ${ticket.key} `);
    await act('bob', 'draft_send', value);
    expect((await dm('ivan')).map((m) => m.text).join('\n')).toContain('Remove the saved Outlook credentials');
    const after = (await cardThread(ticket)).find((m) => m.id === draft.id)!;
    expect(after.card?.actions).toEqual([]);
    expect(after.card?.footer).toBe('Sent to the requester by Bob.');
    expect((await app.desk.findTicket(ticket.id)).firstResponseAt).toBeDefined();
    const again = await act('bob', 'draft_send', value);
    expect(again.json.reply).toBe('This draft was already sent.');

    const entryId = ticket.assist!.suggested![0]!;
    const edited = await command('bob', `kb ${entryId} Open Credential Manager, remove every "MicrosoftOffice" entry, restart Outlook.`);
    expect(edited.json.reply).toBe('Edited by Bob.');
    expect((await app.desk.knowledge.get(entryId))?.answer).toBe('Open Credential Manager, remove every "MicrosoftOffice" entry, restart Outlook.');

    const source = await app.desk.findTicket(entryId.replace(/^kb-/, ''));
    const kbMessage = (await cardThread(source)).find((m) => m.card?.actions.some((a) => a.id === 'kb_reject'))!;
    await act('bob', 'kb_reject', kbMessage.card!.actions.find((a) => a.id === 'kb_reject')!.value);
    expect((await app.desk.knowledge.get(entryId))?.status).toBe('rejected');
    expect((await cardThread(source)).find((m) => m.id === kbMessage.id)?.card?.footer).toBe('Rejected by Bob: no longer suggested.');
    const later = await open('judy', 'Outlook asks for my password again and again');
    expect(later.assist?.suggested).toBeUndefined();

    // The same entry changed through the REST API: its message under the card follows, as it does for a change from chat.
    const api = apiClient(app.url);
    const kb = (await api.call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name: 'kb', scopes: ['knowledge:write'] } })).json.secret as string;
    const apiAnswer = 'Sign out of Office on every device, then sign in again.';
    expect((await api.call('PATCH', `/api/v1/knowledge/${entryId}`, { token: kb, body: { answer: apiAnswer } })).status).toBe(200);
    const shown = async () => (await cardThread(source)).find((m) => m.id === kbMessage.id)?.card;
    expect(await shown()).toMatchObject({ body: apiAnswer, footer: 'Edited by kb.', actions: [] });
    expect((await api.call('POST', `/api/v1/knowledge/${entryId}/publish`, { token: kb })).status).toBe(200);
    const published = await shown();
    expect(published).toMatchObject({ body: apiAnswer, footer: 'Published by kb: now suggested to requesters.' });
    expect(published?.actions.map((a) => a.id)).toEqual(['kb_edit', 'kb_reject']);

    // The audit trail names who did each of it.
    const trail = (tk: { activity: Array<{ action: string; actor: { id: string }; note?: string }> }, action: string) =>
      tk.activity.filter((a) => a.action === action).map((a) => `${a.actor.id} ${a.note}`);
    expect(trail(await app.desk.findTicket(ticket.id), 'draft_sent')).toEqual([`bob ${value!.split('~')[1] ?? ''}`]);
    const audited = await app.desk.findTicket(source.id);
    expect(trail(audited, 'knowledge_published')).toEqual([`chatdesk ${entryId}`, `kb ${entryId}`]);
    expect(trail(audited, 'knowledge_edited')).toEqual([`bob ${entryId}`, `kb ${entryId}`]);
    expect(trail(audited, 'knowledge_rejected')).toEqual([`bob ${entryId}`]);
  });

  it('lets the assignee correct the category, and refuses unknown categories', async () => {
    const ticket = await open('kim', 'Need access to the finance share drive');
    await act('bob', 'claim', ticket.id);
    const bad = await command('bob', `category ${ticket.key} astrology`);
    expect(bad.json.reply).toMatch(/^Unknown category "astrology"/);
    const target = ticket.category === 'hardware' ? 'software' : 'hardware';
    const ok = await command('bob', `category ${ticket.key} ${target}`);
    expect(ok.json.reply).toBe(`${ticket.key} is now ${target}. The offline model learns from it.`);
    const changed = await app.desk.findTicket(ticket.id);
    expect(changed.category).toBe(target);
    expect(changed.activity.findLast((a) => a.action === 'recategorized')).toMatchObject({ from: ticket.category, to: target });
    // The correction is a stored training example of the live model.
    await app.liveClassifier.idle();
    expect(app.liveClassifier.status().examples.recategorized).toBe(1);
  });

  it('keeps private categories (hr, security) private: no duplicate offered across requesters, knowledge only as an unsuggested draft', async () => {
    const payslip = await open('liam', 'My payslip for March is missing the overtime hours');
    await act('bob', 'claim', payslip.id);
    await command('bob', `category ${payslip.key} hr`);
    const other = await open('mia', 'My payslip for March is missing the overtime hours too');
    expect(other.assist?.possibleDuplicateOf).toBeUndefined();
    expect((await dm('mia')).some((m) => m.card?.actions.some((a) => a.id === 'dup_yes'))).toBe(false);

    await command('bob', `reply ${payslip.key} Payroll added the 6 overtime hours to your April salary.`);
    await act('bob', 'resolve', payslip.id);
    // Drafted by an outbox job after the resolve.
    const entryId = await waitFor(async () => (await app.desk.findTicket(payslip.id)).assist?.knowledge?.entryId, { timeoutMs: 15_000 });
    expect((await app.desk.knowledge.get(entryId!))?.status).toBe('draft');
    const kbMessage = (await cardThread(payslip)).find((m) => m.card?.actions.some((a) => a.id === 'kb_reject'));
    expect(kbMessage?.card?.title).toContain('private category');
    const later = await open('noah', 'My payslip for March is missing the overtime hours');
    expect(later.assist?.suggested).toBeUndefined();
  });
});
