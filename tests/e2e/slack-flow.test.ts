/**
 * The foundation flow on real parts: the real Bolt app inside chatdesk, the
 * Slack emulator over HTTP, the embedded database.
 */
import type { Chatdesk } from '../../src/app';
import { waitFor } from '../emulators/shared';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { postSigned, sendBlockAction, sendSlashCommand, sendViewSubmission } from '../emulators/slack/inbound';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

const AGENTS = 'C0AGENTS';
const REQUESTER = 'U0ALICE';
const AGENT_BOB = 'U0BOB';
const AGENT_CAROL = 'U0CAROL';

type Block = {
  type: string;
  text?: { text: string };
  block_id?: string;
  elements?: Array<{ action_id?: string; value?: string }>;
  fields?: Array<{ text: string }>;
};

describe('Slack: /ticket to a claimed ticket', () => {
  let emu: SlackEmulator;
  let app: Chatdesk;
  let events: string;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    for (const [id, name] of [
      [REQUESTER, 'alice'],
      [AGENT_BOB, 'bob'],
      [AGENT_CAROL, 'carol'],
    ] as const)
      emu.addUser({ id, name, realName: name });
    app = await startTestApp({ ...slackEnv(emu, AGENTS) }, { label: 'slack' });
    events = `${app.url}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  const cardFor = async (key: string) => {
    const call = await emu.waitForCall('chat.postMessage', (c) => c.args.channel === AGENTS && String(c.args.text).startsWith(`${key} `));
    return { ts: String(emu.messages(AGENTS).find((m) => m.text.startsWith(`${key} `))?.ts), call };
  };
  const blocksOf = (channel: string, ts: string) => (emu.messages(channel).find((m) => m.ts === ts)?.blocks ?? []) as Block[];
  const cardText = (channel: string, ts: string) => JSON.stringify(blocksOf(channel, ts));
  const ticketIdOf = (channel: string, ts: string) =>
    blocksOf(channel, ts)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'chatdesk:claim')?.value;

  it('creates a ticket from direct text, posts the card, claims it in place and tells the requester', async () => {
    const ack = await sendSlashCommand(emu, events, { text: 'printer on floor 3 is jammed', userId: REQUESTER, userName: 'alice' });
    expect(ack.status).toBe(200);

    const { ts } = await cardFor('T-1001');
    const ticket = await app.desk.findTicket('T-1001');
    expect(ticket).toMatchObject({ title: 'printer on floor 3 is jammed', requester: { platform: 'slack', id: REQUESTER } });
    // Triaged when the classification was confident (category and priority at 0.8 or above), new otherwise.
    expect(ticket.status).toBe(ticket.categoryConfidence >= 0.8 && ticket.priorityConfidence >= 0.8 ? 'triaged' : 'new');
    expect(ticket.category).toBe('hardware');
    expect(['P0', 'P1', 'P2', 'P3']).toContain(ticket.priority);
    expect(cardText(AGENTS, ts)).toContain('T-1001 · printer on floor 3 is jammed');
    expect(cardText(AGENTS, ts)).toContain('hardware');

    // The requester's DM thread carries the confirmation with the ticket number.
    const dm = emu.dmChannelFor(REQUESTER);
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === dm);
    const confirmation = emu.messages(dm).find((m) => m.text.includes('T-1001'));
    expect(confirmation).toBeDefined();
    await emu.waitForCall('response_url', (c) => String(c.args.text).includes('T-1001'));

    const claim = await sendBlockAction(emu, events, { userId: AGENT_BOB, actionId: 'chatdesk:claim', value: ticket.id, channelId: AGENTS, messageTs: ts });
    expect(claim.status).toBe(200);
    await emu.waitForCall('chat.update', (c) => c.args.ts === ts && String(c.args.text).includes('In progress'));
    expect(cardText(AGENTS, ts)).toContain('Claimed by bob');
    expect(emu.messages(AGENTS).filter((m) => m.text.startsWith('T-1001 '))).toHaveLength(1); // updated in place, not reposted
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === dm && c.args.thread_ts === confirmation!.ts && String(c.args.text).includes('bob'));

    const stored = await app.desk.findTicket('T-1001');
    expect(stored.assignee).toMatchObject({ id: AGENT_BOB });
    expect(stored.firstResponseAt).toBeInstanceOf(Date);
    expect(stored.activity.map((a) => a.action)).toEqual(['created', 'classified', ...(ticket.status === 'triaged' ? ['triaged'] : []), 'claimed']);

    const resolve = await sendBlockAction(emu, events, { userId: AGENT_BOB, actionId: 'chatdesk:resolve', value: ticket.id, channelId: AGENTS, messageTs: ts });
    expect(resolve.status).toBe(200);
    await emu.waitForCall('chat.update', (c) => c.args.ts === ts && String(c.args.text).includes('Resolved'));
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === dm && String(c.args.text).includes('resolved'));
    expect((await app.desk.findTicket('T-1001')).status).toBe('resolved');
  });

  it('lets exactly one of two simultaneous claims win and tells the other who has it', async () => {
    await sendSlashCommand(emu, events, { text: 'VPN drops every few minutes', userId: REQUESTER });
    const { ts } = await cardFor('T-1002');
    const id = ticketIdOf(AGENTS, ts)!;
    const [a, b] = await Promise.all([
      sendBlockAction(emu, events, { userId: AGENT_BOB, actionId: 'chatdesk:claim', value: id, channelId: AGENTS, messageTs: ts }),
      sendBlockAction(emu, events, { userId: AGENT_CAROL, actionId: 'chatdesk:claim', value: id, channelId: AGENTS, messageTs: ts }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const loserNote = await emu.waitForCall('chat.postEphemeral', (c) => String(c.args.text).includes('T-1002 is already claimed by'));
    const ticket = await app.desk.findTicket('T-1002');
    const winner = ticket.assignee!.id;
    expect([AGENT_BOB, AGENT_CAROL]).toContain(winner);
    expect(loserNote.args.user).toBe(winner === AGENT_BOB ? AGENT_CAROL : AGENT_BOB);
    expect(ticket.activity.filter((x) => x.action === 'claimed')).toHaveLength(1);
  });

  it('opens the modal for /ticket without text, shows field errors, and creates the ticket on a valid submission', async () => {
    const triggerId = emu.triggerId();
    await sendSlashCommand(emu, events, { text: '', userId: REQUESTER, triggerId, channelId: 'C0GENERAL' });
    const open = await emu.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    expect(open.status).toBe(200);
    const view = emu.lastView('chatdesk_new_ticket')!;
    expect(view).toBeDefined();

    const state = (title: string, type = 'request', extra: Record<string, unknown> = {}) => ({
      values: {
        type: { 'chatdesk:form_type': { type: 'static_select', selected_option: { value: type } } },
        title: { value: { type: 'plain_text_input', value: title } },
        description: { value: { type: 'plain_text_input', value: null } },
        ...extra,
      },
    });
    const before = (await app.store.tickets.list({})).length;

    const empty = await sendViewSubmission(emu, events, {
      userId: REQUESTER,
      view: { id: view.id, callback_id: 'chatdesk_new_ticket', private_metadata: String(view.private_metadata), state: state('   ') },
    });
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ response_action: 'errors', errors: { title: 'required' } });

    const long = await sendViewSubmission(emu, events, {
      userId: REQUESTER,
      view: { id: view.id, callback_id: 'chatdesk_new_ticket', state: state('x'.repeat(151)) },
    });
    expect((long.json as { errors: Record<string, string> }).errors.title).toMatch(/at most 150/);

    const badDate = await sendViewSubmission(emu, events, {
      userId: REQUESTER,
      view: {
        id: view.id,
        callback_id: 'chatdesk_new_ticket',
        state: state('New laptop', 'request', { needed_by: { value: { type: 'datepicker', selected_date: 'tomorrow' } } }),
      },
    });
    expect((badDate.json as { errors: Record<string, string> }).errors).toEqual({ needed_by: 'expected a date (YYYY-MM-DD)' });

    const unknownType = await sendViewSubmission(emu, events, {
      userId: REQUESTER,
      view: { id: view.id, callback_id: 'chatdesk_new_ticket', state: state('New laptop', 'nope') },
    });
    expect((unknownType.json as { errors: Record<string, string> }).errors.type).toMatch(/unknown ticket type/);
    expect((await app.store.tickets.list({})).length).toBe(before); // nothing half-stored

    const ok = await sendViewSubmission(emu, events, {
      userId: REQUESTER,
      view: {
        id: view.id,
        callback_id: 'chatdesk_new_ticket',
        private_metadata: String(view.private_metadata),
        state: state('New laptop for the designer', 'request', { needed_by: { value: { type: 'datepicker', selected_date: '2099-12-01' } } }),
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('');
    const { ts } = await cardFor('T-1003');
    const ticket = await app.desk.findTicket('T-1003');
    expect(ticket).toMatchObject({ type: 'request', fields: { needed_by: '2099-12-01' } });
    expect(cardText(AGENTS, ts)).toContain('2099-12-01');
    await emu.waitForCall('chat.postEphemeral', (c) => c.args.channel === 'C0GENERAL' && String(c.args.text).includes('T-1003'));
  });

  it('swaps the type fields in the open modal when the ticket type changes', async () => {
    const triggerId = emu.triggerId();
    await sendSlashCommand(emu, events, { text: '', userId: REQUESTER, triggerId });
    await emu.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const view = emu.lastView('chatdesk_new_ticket')!;
    expect(JSON.stringify(view.blocks)).toContain('"block_id":"impact"');
    emu.callsTo('views.update').length = 0;
    const res = await fetch(events, { method: 'POST' }).then((r) => r.status);
    expect(res).toBe(401); // unsigned
    const payload = {
      type: 'block_actions',
      user: { id: REQUESTER, username: 'alice', name: 'alice', team_id: emu.teamId },
      api_app_id: emu.appId,
      token: emu.verificationToken,
      container: { type: 'view', view_id: view.id },
      trigger_id: emu.triggerId(),
      team: { id: emu.teamId, domain: emu.teamDomain },
      view: { ...view, state: { values: { title: { value: { type: 'plain_text_input', value: 'Access to Figma' } } } } },
      actions: [
        {
          type: 'static_select',
          action_id: 'chatdesk:form_type',
          block_id: 'type',
          selected_option: { text: { type: 'plain_text', text: 'Access' }, value: 'access' },
          action_ts: '1.2',
        },
      ],
    };
    await postSigned(emu, events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
    const update = await emu.waitForCall('views.update', (c) => c.args.view_id === view.id);
    const blocks = JSON.stringify((update.args.view as { blocks: unknown[] }).blocks);
    expect(blocks).toContain('"block_id":"system"');
    expect(blocks).not.toContain('"block_id":"impact"');
    expect(blocks).toContain('Access to Figma');
  });

  it('rejects forged and stale requests with 401 and stores nothing', async () => {
    const before = (await app.store.tickets.list({})).length;
    const forged = await sendSlashCommand(emu, events, { text: 'forged request', userId: REQUESTER }, { badSignature: true });
    const stale = await sendSlashCommand(emu, events, { text: 'stale request', userId: REQUESTER }, { timestampSkewSec: -600 });
    const unsigned = await sendSlashCommand(emu, events, { text: 'unsigned request', userId: REQUESTER }, { unsigned: true });
    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.store.tickets.list({})).length).toBe(before);
  });

  it('creates nothing twice when Slack retries a slash command', async () => {
    const triggerId = emu.triggerId();
    const cmd = { text: 'Outlook keeps asking for my password', userId: REQUESTER, triggerId };
    await sendSlashCommand(emu, events, cmd);
    await sendSlashCommand(emu, events, cmd, { retryNum: 1, retryReason: 'http_timeout' });
    await sendSlashCommand(emu, events, cmd, { retryNum: 2, retryReason: 'http_timeout' });
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === AGENTS && String(c.args.text).includes('Outlook'));
    await new Promise((r) => setTimeout(r, 500));
    const matching = (await app.store.tickets.list({})).filter((t) => t.title.startsWith('Outlook keeps'));
    expect(matching).toHaveLength(1);
  });

  it('assigns with the people picker and escalates, updating the card and telling the requester', async () => {
    await sendSlashCommand(emu, events, { text: 'Cannot open the shared drive', userId: REQUESTER });
    const { ts } = await cardFor('T-1004');
    const id = ticketIdOf(AGENTS, ts)!;
    const pick = await sendBlockAction(emu, events, {
      userId: AGENT_BOB,
      actionId: 'chatdesk:assign',
      selectedUser: AGENT_CAROL,
      blockId: `chatdesk:ticket:${id}`,
      channelId: AGENTS,
      messageTs: ts,
    });
    expect(pick.status).toBe(200);
    await emu.waitForCall('chat.update', (c) => c.args.ts === ts && String(c.args.text).includes('(carol)'));
    expect((await app.desk.findTicket('T-1004')).assignee).toMatchObject({ platform: 'slack', id: AGENT_CAROL, name: 'carol' });
    const dm = emu.dmChannelFor(REQUESTER);
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === dm && String(c.args.text) === 'carol is now handling your ticket T-1004.');

    const before = (await app.desk.findTicket('T-1004')).priority;
    await sendBlockAction(emu, events, { userId: AGENT_CAROL, actionId: 'chatdesk:escalate', value: id, channelId: AGENTS, messageTs: ts });
    await emu.waitForCall('chat.update', (c) => c.args.ts === ts && JSON.stringify(c.args.blocks).includes('Escalated (level 1)'));
    const after = await app.desk.findTicket('T-1004');
    expect(after.escalationLevel).toBe(1);
    expect(Number(after.priority.slice(1))).toBe(Math.max(0, Number(before.slice(1)) - 1));
    await emu.waitForCall('chat.postMessage', (c) => c.args.channel === dm && String(c.args.text).includes(`escalated to priority ${after.priority}`));
  });

  it('delays a rate-limited or failing Slack call instead of losing it', async () => {
    emu.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    emu.failNext('chat.update', { status: 503 });
    await sendSlashCommand(emu, events, { text: 'Laptop battery swollen', userId: REQUESTER });
    const posted = await emu.waitForCall('chat.postMessage', (c) => c.status === 200 && String(c.args.text).includes('Laptop battery'), 15_000);
    const ts = emu.messages(AGENTS).find((m) => m.text.includes('Laptop battery'))!.ts;
    expect(emu.messages(AGENTS).filter((m) => m.text.includes('Laptop battery'))).toHaveLength(1);
    expect(emu.calls.some((c) => c.method === 'chat.postMessage' && c.status === 429)).toBe(true);
    expect(posted.status).toBe(200);
    const id = ticketIdOf(AGENTS, ts)!;
    await sendBlockAction(emu, events, { userId: AGENT_BOB, actionId: 'chatdesk:claim', value: id, channelId: AGENTS, messageTs: ts });
    await emu.waitForCall('chat.update', (c) => c.status === 200 && c.args.ts === ts, 15_000);
    expect(emu.calls.some((c) => c.method === 'chat.update' && c.status === 503)).toBe(true);
    expect(cardText(AGENTS, ts)).toContain('Claimed by');
  });

  it('answers a click on an unknown ticket with a clear message to the clicker', async () => {
    await sendBlockAction(emu, events, {
      userId: AGENT_BOB,
      actionId: 'chatdesk:claim',
      value: '0123456789abcdef01234567',
      channelId: AGENTS,
      messageTs: '1.000001',
    });
    const note = await emu.waitForCall('chat.postEphemeral', (c) => String(c.args.text).includes('no longer exists'));
    expect(note.args.user).toBe(AGENT_BOB);
  });

  it('answers /ticket help at once and /ticket escalations with the open tickets escalated to the caller, escaped', async () => {
    const help = await sendSlashCommand(emu, events, { text: 'help', userId: REQUESTER });
    expect(help.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/ticket escalations') });

    const none = await sendSlashCommand(emu, events, { text: 'escalations', userId: AGENT_CAROL });
    expect(none.status).toBe(200);
    await emu.waitForCall('response_url', (c) => c.args.text === 'You have no open escalations.');

    await sendSlashCommand(emu, events, { text: 'Mail <!channel> & printers down', userId: REQUESTER });
    const key = (await emu.waitForCall('chat.postMessage', (c) => c.args.channel === AGENTS && String(c.args.text).includes('Mail &lt;!channel&gt; &amp;')))
      .args.text as string;
    const ticket = await app.desk.findTicket(key.split(' ')[0]!);
    // An escalation to carol, as the SLA sweep records it (`to` = the person asked to step in), once opening is done.
    await waitFor(async () => {
      const stored = await app.desk.findTicket(ticket.id);
      if (stored.agentCards.length === 0) return false;
      await app.store.tickets.save({
        ...stored,
        escalationLevel: 1,
        activity: [
          ...stored.activity,
          { at: new Date(), action: 'escalation_notified', actor: { platform: 'system', id: 'chatdesk' }, to: `slack:${AGENT_CAROL}` },
        ],
        version: stored.version + 1,
      });
      return true;
    });
    await sendSlashCommand(emu, events, { text: 'escalations', userId: AGENT_CAROL });
    const listed = await emu.waitForCall('response_url', (c) => String(c.args.text).startsWith('Your open escalations'));
    expect(listed.args.text).toContain('Your open escalations (1):');
    expect(listed.args.text).toContain('Mail &lt;!channel&gt; &amp; printers down'); // no channel-wide ping from a title
    expect(emu.privateTexts(AGENT_CAROL).join('\n')).toContain(ticket.key);
  });

  it('tells the core a requester cannot get DMs (Messages tab off, deactivated user) and still confirms in the channel', async () => {
    const DAVE = 'U0DAVE';
    const ERIN = 'U0ERIN';
    emu.addUser({ id: DAVE, name: 'dave' });
    emu.addUser({ id: ERIN, name: 'erin' });
    emu.blockDirectMessages(DAVE);
    emu.blockDirectMessages(ERIN, { at: 'conversations.open', error: 'user_disabled' });
    await expect(app.slack!.adapter.sendDirect({ platform: 'slack', id: DAVE }, { text: 'hi' })).rejects.toMatchObject({
      code: 'chatdesk_recipient_unreachable',
      details: { platformCode: 'messages_tab_disabled' },
    });
    await expect(app.slack!.adapter.sendDirect({ platform: 'slack', id: ERIN }, { text: 'hi' })).rejects.toMatchObject({
      code: 'chatdesk_recipient_unreachable',
      details: { platformCode: 'user_disabled' },
    });
    // Other failures stay adapter errors: a missing scope is the app's problem, not the person's DM settings.
    emu.blockDirectMessages('U0FRANK', { at: 'conversations.open', error: 'missing_scope' });
    await expect(app.slack!.adapter.sendDirect({ platform: 'slack', id: 'U0FRANK' }, { text: 'hi' })).rejects.toMatchObject({ code: 'chatdesk_adapter_error' });

    await sendSlashCommand(emu, events, { text: 'Docking station dead', userId: DAVE });
    const card = await emu.waitForCall('chat.postMessage', (c) => c.args.channel === AGENTS && String(c.args.text).includes('Docking station dead'));
    const key = String(card.args.text).split(' ')[0]!;
    await waitFor(() => emu.privateTexts(DAVE).some((t) => t.includes(key)));
    expect(emu.messages(emu.dmChannelFor(DAVE))).toEqual([]);
  });

  it('sends only payloads that pass the official Slack spec and Block Kit checks', () => {
    expect(emu.schemaViolations).toEqual([]);
  });
});
