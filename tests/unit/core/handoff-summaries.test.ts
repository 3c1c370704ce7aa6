/** Who gets a hand-off summary, and which one: the agent-facing one only for people the matrix lets read summaries. */
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import type { OutboundMessage } from '../../../src/core/cards/card';
import { AdapterRegistry, type ChatAdapter } from '../../../src/core/chat-adapter.port';
import { HandoffSummaries } from '../../../src/core/handoff-summaries';
import { Notifier } from '../../../src/core/notifier';
import { startClock } from '../../../src/domain/sla/clock';
import { validateSlaConfig } from '../../../src/domain/sla/policy';
import type { Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import { applyAction, type TicketAction } from '../../../src/domain/ticket/transitions';
import { silentLogger } from '../../../src/logger';
import { aTicket, TICKET_T0 } from '../../support/ticket-factory';

const SECRET = 'SECRET-NOTE-1234';
const bob: UserRef = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const carol: UserRef = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
const visitor: UserRef = { platform: 'teams', id: '29:visitor', name: 'visitor' };
const desk = deskConfigSchema.parse(defaultDeskConfig);
const sla = validateSlaConfig({});
const now = new Date(TICKET_T0.getTime() + 3_600_000);

function slack() {
  const sent: Array<{ to: string; message: OutboundMessage }> = [];
  const adapter: ChatAdapter & { sent: typeof sent } = {
    platform: 'slack',
    sent,
    post: async () => ({ platform: 'slack', channelId: 'C', messageId: '1' }),
    update: async () => undefined,
    sendDirect: async (user, message) => {
      sent.push({ to: user.id, message });
      return { platform: 'slack', channelId: 'D', messageId: String(sent.length) };
    },
  };
  return adapter;
}

function summaries(allowed: (user: UserRef) => boolean) {
  const adapter = slack();
  const registry = new AdapterRegistry();
  registry.register(adapter);
  const notifier = new Notifier(desk, registry, silentLogger(), sla, () => now);
  const s = new HandoffSummaries({ desk, sla, notifier, allows: async (user) => allowed(user), logger: silentLogger(), now: () => now });
  return { s, adapter };
}

const claimedAndNoted = (): Ticket => {
  let t = aTicket({ sla: startClock(TICKET_T0, 'P2'), activity: [{ at: TICKET_T0, action: 'created', actor: { platform: 'slack', id: 'U_ALICE' } }] });
  t = applyAction(t, { kind: 'claim' }, bob, new Date(TICKET_T0.getTime() + 60_000));
  return applyAction(t, { kind: 'note', text: `${SECRET} the spare is in the cupboard` }, bob, new Date(TICKET_T0.getTime() + 120_000));
};

describe('hand-off summaries in the core', () => {
  it('agent-facing (with the note) for someone who may read summaries, requester-facing (no note) for anyone else', async () => {
    const { s } = summaries((u) => u.id === carol.id);
    expect((await s.messageFor(claimedAndNoted(), carol)).text).toContain(SECRET);
    const other = (await s.messageFor(claimedAndNoted(), visitor)).text;
    expect(other).toMatch(/^📋 Hand-off summary of T-1001 "Printer jammed"/);
    expect(other).not.toContain(SECRET);
    expect(other).not.toContain('internal note');
  });

  it('the new owner is whoever someone else assigned it to; a take-over, a claim or the same assignee again is nobody', () => {
    const { s } = summaries(() => true);
    const before = claimedAndNoted();
    const change = (action: TicketAction, actor: UserRef) => s.newOwner(before, applyAction(before, action, actor, now), action, actor);
    expect(change({ kind: 'assign', assignee: carol }, bob)).toEqual(carol);
    expect(change({ kind: 'assign', assignee: carol }, carol)).toBeUndefined();
    expect(change({ kind: 'assign', assignee: bob }, carol)).toBeUndefined();
    expect(change({ kind: 'reply', text: 'hi' }, bob)).toBeUndefined();
    const fresh = aTicket();
    expect(s.newOwner(fresh, applyAction(fresh, { kind: 'claim' }, bob, now), { kind: 'claim' }, bob)).toBeUndefined();
  });

  it('sends one DM (without an outbox: now); a person no messenger reaches is logged, never thrown', async () => {
    const { s, adapter } = summaries(() => true);
    await s.send(claimedAndNoted(), carol);
    expect(adapter.sent.map((x) => x.to)).toEqual([carol.id]);
    expect(adapter.sent[0]?.message.text).toContain(SECRET);
    await expect(s.send(claimedAndNoted(), visitor)).resolves.toBeUndefined();
    expect(adapter.sent).toHaveLength(1);
  });
});
