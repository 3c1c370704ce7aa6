/** The escalation DM's Open ticket link: which card it opens, and that the DM never waits or fails for it. */
import type { KnowledgeStore } from '../../../src/ai/knowledge/knowledge-store.port';
import type { TicketClassifier } from '../../../src/ai/classifier.port';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { deskConfigSchema } from '../../../src/config/desk-config.schema';
import type { OutboundMessage } from '../../../src/core/cards/card';
import { AdapterRegistry, type ChatAdapter } from '../../../src/core/chat-adapter.port';
import { HelpDesk } from '../../../src/core/help-desk';
import { startClock } from '../../../src/domain/sla/clock';
import { validateSlaConfig } from '../../../src/domain/sla/policy';
import type { MessageRef, Platform, Ticket, UserRef } from '../../../src/domain/ticket/ticket';
import type { TicketRepository } from '../../../src/domain/ticket/ticket.repository.port';
import { silentLogger } from '../../../src/logger';

const t0 = new Date('2026-11-20T09:00:00Z');
const lead: UserRef = { platform: 'slack', id: 'U_LEAD', name: 'lead' };
const card = (platform: Platform): MessageRef => ({ platform, channelId: `${platform}-agents`, messageId: `${platform}-card` });
const ticket = (agentCards: MessageRef[]): Ticket => ({
  id: 'tk1',
  number: 1001,
  key: 'T-1001',
  title: 'Payroll export fails',
  description: '',
  type: 'incident',
  fields: {},
  requester: { platform: 'slack', id: 'U_ALICE' },
  team: 'it',
  category: 'software',
  categoryConfidence: 0.9,
  priority: 'P2',
  priorityConfidence: 0.8,
  classificationReason: '',
  status: 'new',
  escalationLevel: 1,
  tags: [],
  agentCards,
  createdAt: t0,
  updatedAt: t0,
  activity: [],
  sla: startClock(t0, 'P2'),
  version: 1,
});

/** A messenger that records what it sends and gives (or fails to give) message links. */
function adapter(platform: Platform, permalink?: (ref: MessageRef) => Promise<string | undefined>) {
  const sent: OutboundMessage[] = [];
  const a: ChatAdapter & { sent: OutboundMessage[] } = {
    platform,
    sent,
    post: async () => card(platform),
    update: async () => undefined,
    sendDirect: async (_user, message) => {
      sent.push(message);
      return { platform, channelId: 'dm', messageId: 'dm1' };
    },
    ...(permalink ? { permalink } : {}),
  };
  return a;
}

function deskWith(adapters: ChatAdapter[], locale: 'en' | 'zh' = 'en'): HelpDesk {
  const registry = new AdapterRegistry();
  for (const a of adapters) registry.register(a);
  return new HelpDesk({
    desk: deskConfigSchema.parse({ ...defaultDeskConfig, locale }),
    sla: validateSlaConfig({}),
    adapters: registry,
    logger: silentLogger(),
    tickets: {} as TicketRepository,
    classifier: {} as TicketClassifier,
    knowledge: {} as KnowledgeStore,
    now: () => t0,
  });
}

const linksOf = (m: OutboundMessage | undefined) =>
  (m?.card?.actions ?? []).filter((a) => a.url !== undefined).map((a) => ({ id: a.id, label: a.label, url: a.url }));
const manual = { kind: 'manual', actor: { platform: 'slack', id: 'U_BOB', name: 'bob' } } as const;

describe('the escalation DM links to the ticket card', () => {
  it('opens the card on the recipient’s messenger first', async () => {
    const slack = adapter('slack', async (ref) => `https://x.slack.com/archives/${ref.channelId}/p1`);
    const teams = adapter('teams', async () => 'https://teams.microsoft.com/l/message/x/1');
    await deskWith([slack, teams]).notifyEscalation(ticket([card('teams'), card('slack')]), lead, manual);
    expect(linksOf(slack.sent[0])).toEqual([{ id: 'open_ticket', label: 'Open ticket', url: 'https://x.slack.com/archives/slack-agents/p1' }]);
    expect(slack.sent[0]?.card?.actions.map((a) => a.id)).toEqual(['acknowledge', 'take_over', 'open_ticket']);
  });

  it('falls back to another messenger’s card, but only to an absolute link', async () => {
    const slack = adapter('slack');
    const teams = adapter('teams', async () => 'https://teams.microsoft.com/l/message/x/1');
    await deskWith([slack, teams]).notifyEscalation(ticket([card('teams')]), lead, manual);
    expect(linksOf(slack.sent[0])).toEqual([{ id: 'open_ticket', label: 'Open ticket', url: 'https://teams.microsoft.com/l/message/x/1' }]);

    const playground = adapter('playground', async () => '/?message=playground-card');
    const slack2 = adapter('slack');
    await deskWith([slack2, playground]).notifyEscalation(ticket([card('playground')]), lead, manual);
    expect(linksOf(slack2.sent[0])).toEqual([]);
  });

  it('a platform error is logged and the DM goes without the link', async () => {
    const slack = adapter('slack', async () => {
      throw new Error('message_not_found');
    });
    await deskWith([slack]).notifyEscalation(ticket([card('slack')]), lead, manual);
    // The escalation DM, then the hand-off summary (its own message, after it).
    expect(slack.sent).toHaveLength(2);
    expect(slack.sent[1]?.text).toMatch(/^📋 Hand-off summary of T-1001 "Payroll export fails"\n/);
    expect(linksOf(slack.sent[0])).toEqual([]);
    expect(slack.sent[0]?.card?.actions.map((a) => a.id)).toEqual(['acknowledge', 'take_over']);
  });

  it('a messenger that does not answer does not hold the DM up', async () => {
    const slack = adapter('slack', () => new Promise(() => undefined));
    const desk = deskWith([slack]);
    const started = Date.now();
    expect(await desk.notifier.cardLink(ticket([card('slack')]), 'slack', 50)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('in Chinese the link reads 打开工单', async () => {
    const slack = adapter('slack', async () => 'https://x.slack.com/archives/c/p1');
    await deskWith([slack], 'zh').notifyEscalation(ticket([card('slack')]), lead, manual);
    expect(linksOf(slack.sent[0])).toEqual([{ id: 'open_ticket', label: '打开工单', url: 'https://x.slack.com/archives/c/p1' }]);
  });
});
