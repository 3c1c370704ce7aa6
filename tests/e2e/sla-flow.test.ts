/**
 * SLA end to end on real parts: the Agenda worker on the embedded database,
 * the playground messenger, a clock the test moves forward.
 */
import type { Chatdesk } from '../../src/app';
import { AGENT_CHANNEL, dmConversation } from '../../src/adapters/playground/playground-hub';
import type { UserRef } from '../../src/domain/ticket/ticket';
import { waitFor } from '../emulators/shared';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';

const MIN = 60_000;
const alice: UserRef = { platform: 'playground', id: 'alice', name: 'Alice' };
const bob: UserRef = { platform: 'playground', id: 'bob', name: 'Bob' };
const lead: UserRef = { platform: 'playground', id: 'lead', name: 'Lena Lead' };
const same = { firstResponse: '10m', resolution: '1h' };

const slaDesk = () =>
  deskFile({
    sla: {
      policies: { P0: same, P1: same, P2: same, P3: same },
      escalation: [
        { after: '0m', notify: 'playground:lead' },
        { after: '30m', notify: 'playground:head' },
      ],
    },
  });

describe('SLA: reminders, escalation DMs and acknowledgement, fired by the Agenda worker', () => {
  let app: Chatdesk;
  let now = new Date('2026-11-23T09:00:00Z').getTime();
  const texts = async (conversation: string) =>
    (await app.playground!.visibleTo(conversation.replace(/^dm:/, ''))).find((c) => c.id === conversation)?.messages ?? [];
  const dm = async (user: UserRef) => (await texts(dmConversation(user.id))).map((m) => m.text);
  const channel = async () => (await app.playground!.visibleTo('x')).find((c) => c.id === AGENT_CHANNEL)?.messages ?? [];

  beforeAll(async () => {
    app = await startTestApp({ CHATDESK_CONFIG: slaDesk() }, { label: 'sla-flow', now: () => new Date(now) });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reminds the channel, then the assignee, escalates on breach, and stops after Acknowledge', async () => {
    const opened = await app.desk.openTicket({ title: 'Payroll export fails', description: 'since this morning' }, alice);
    if (!opened.ok) throw new Error('ticket not opened');
    const ticket = opened.ticket;
    const card = async () => (await channel()).find((m) => m.id === ticket.agentCards[0]?.messageId);
    expect((await card())?.card?.fields).toContainEqual({
      label: 'SLA',
      value: expect.stringMatching(/^Response: 10m left \(due .*09:10\) · Resolution: 1h left/),
    });

    // 80% of the first-response target: the unassigned ticket's card thread hears it.
    now += 8 * MIN;
    await waitFor(async () => (await channel()).some((m) => m.threadId === ticket.agentCards[0]?.messageId && m.text.includes(`⏰ ${ticket.key}`)), {
      timeoutMs: 8000,
    });
    expect((await channel()).filter((m) => m.text.includes(`⏰ ${ticket.key}`))[0]?.text).toContain('is unassigned: first response 2m left');

    await app.desk.act(ticket.id, { kind: 'claim' }, bob);
    now += 38 * MIN; // 46 min: 75% of resolution -> Bob, by DM
    await waitFor(async () => (await dm(bob)).some((t) => t.includes(`⏰ ${ticket.key}`) && t.includes('resolution 14m left')), { timeoutMs: 8000 });

    now += 15 * MIN; // 61 min: resolution breached -> Bob again (100%), and the lead is DMed with buttons
    await waitFor(async () => (await texts(dmConversation('lead'))).some((m) => m.text.includes('Escalation level 1')), { timeoutMs: 8000 });
    const escalation = (await texts(dmConversation('lead'))).find((m) => m.text.includes('Escalation level 1'));
    expect(escalation?.card?.actions.map((a) => a.id)).toEqual(['acknowledge', 'take_over', 'open_ticket']);
    expect(escalation?.card?.actions.at(-1)?.url).toBe(`/?message=${ticket.agentCards[0]?.messageId}`);
    expect(escalation?.text).toContain('resolution breached 1m ago');
    // The lead also gets the hand-off summary, after the escalation: who has it, and that the SLA is breached.
    const summaryOf = async () => (await texts(dmConversation('lead'))).find((m) => m.text.startsWith(`📋 Hand-off summary of ${ticket.key}`));
    await waitFor(async () => !!(await summaryOf()), { timeoutMs: 8000 });
    const summary = (await summaryOf())!.text;
    expect(summary).toContain('Bob claimed it');
    expect(summary).toMatch(/• SLA resolution breached/);
    await waitFor(async () => ((await card())?.card?.fields ?? []).some((f) => f.label === 'SLA' && f.value.startsWith('Resolution: breached')), {
      timeoutMs: 8000,
    });
    await waitFor(async () => (await app.desk.escalationsFor(lead, 'en')).text.includes(ticket.key), { timeoutMs: 5000 });

    const ack = await app.desk.cardAction('acknowledge', ticket.id, lead);
    expect(ack.reply?.text).toBe(`Acknowledged: no further escalation levels for ${ticket.key}.`);
    expect((await app.desk.escalationsFor(lead, 'en')).text).toBe('You have no open escalations.');

    now += 40 * MIN; // past level 2 (breach + 30m): acknowledged, so the head of service hears nothing
    await new Promise((r) => setTimeout(r, 2500));
    expect(await dm({ platform: 'playground', id: 'head' })).toEqual([]);

    // The audit trail holds every ping, once.
    const stored = await app.desk.findTicket(ticket.id);
    const pings = stored.activity.filter((a) => a.action === 'sla_reminder' || a.action === 'escalation_notified' || a.action === 'sla_acknowledged');
    expect(pings.map((a) => `${a.action} ${a.to ?? ''} ${a.note ?? ''}`.trim())).toEqual([
      'sla_reminder agent_channel first_response 75%',
      'sla_reminder playground:bob resolution 75%',
      // Both due at the breach instant; the plan orders same-instant events by key.
      'escalation_notified playground:lead resolution level 1',
      'sla_reminder playground:bob resolution 100%',
      'sla_acknowledged',
    ]);
  }, 60_000);

  it('sends each ping once even when sweeps run concurrently', async () => {
    const opened = await app.desk.openTicket({ title: 'VPN certificate expired', description: '' }, alice);
    if (!opened.ok) throw new Error('ticket not opened');
    now += 12 * MIN; // past 75% and 100% of the first response
    await Promise.all([app.sla.sweep(), app.sla.sweep(), app.sla.sweep(), app.sla.fire(opened.ticket.id)]);
    await new Promise((r) => setTimeout(r, 1500)); // and the worker's own sweeps
    const reminders = (await channel()).filter((m) => m.text.includes(`⏰ ${opened.ticket.key}`));
    expect(reminders).toHaveLength(2);
    const stored = await app.desk.findTicket(opened.ticket.id);
    expect(stored.activity.filter((a) => a.action === 'sla_reminder')).toHaveLength(2);
  }, 30_000);
});
