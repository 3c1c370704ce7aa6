/**
 * One desk, two messengers: the requester is on Teams, the agents' channel is
 * on Feishu. Both real SDKs run inside one chatdesk against their emulators;
 * the card thread and the requester's thread are one conversation (`>>` relays).
 */
import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { eventually } from '../contract/adapter-contract';
import { FeishuDriver } from '../contract/drivers/feishu.driver';
import { TeamsDriver } from '../contract/drivers/teams.driver';
import { startTestApp } from '../support/test-app';

describe('cross-platform: requester on Teams, agents on Feishu', () => {
  const teams = new TeamsDriver();
  const feishu = new FeishuDriver('cross-platform');
  let app: Chatdesk;

  beforeAll(async () => {
    const env = { ...(await teams.startEmulator()), ...(await feishu.startEmulator()) };
    app = await startTestApp({ ...env, FEISHU_AGENT_CHAT: feishu.agentChannel, CHATDESK_PLAYGROUND: 'false' }, { label: 'cross' });
    teams.attach(app);
    feishu.attach(app);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await teams.stop().catch(() => undefined);
    await feishu.stop().catch(() => undefined);
  });

  it('the card lands on Feishu, a Feishu agent claims it, the Teams requester hears it on Teams; one number sequence', async () => {
    await teams.command(teams.requester, 'Cannot open the expenses app');
    let ticket: Ticket | undefined;
    await eventually(async () => {
      ticket = (await app.store.tickets.list({ limit: 10 })).find((t) => t.title === 'Cannot open the expenses app');
      expect(ticket?.requester.platform).toBe('teams');
      expect(ticket?.agentCards.map((c) => c.platform)).toEqual(['feishu']);
    });
    const t = ticket as Ticket;
    expect(t.key).toBe('T-1001');
    await eventually(async () => expect(await feishu.cards(t)).toHaveLength(1));
    await eventually(async () => expect((await teams.privateTexts(teams.requester)).join('\n')).toContain('T-1001'));

    await feishu.click(feishu.agent, t, 'claim');
    await eventually(async () => {
      const [card] = await feishu.cards(t);
      expect(card?.text).toContain(feishu.agent.name as string);
      expect((await teams.privateTexts(teams.requester)).join('\n')).toContain(`${feishu.agent.name} is working on your ticket T-1001`);
    });

    // One conversation across messengers: a plain line in the Feishu card thread stays there; a >> line reaches the Teams requester,
    // whose answer in their Teams thread comes back under the Feishu card.
    await feishu.replyInCardThread(feishu.agent, t, 'internal: the expenses app SSO cert expired yesterday');
    await feishu.replyInCardThread(feishu.agent, t, '>> Could you try again in five minutes? We are renewing a certificate.');
    await eventually(async () => {
      expect((await teams.privateTexts(teams.requester)).join('\n')).toContain('Could you try again in five minutes? We are renewing a certificate.');
    });
    expect((await teams.privateTexts(teams.requester)).join('\n')).not.toContain('SSO cert expired');
    await teams.replyInThread(teams.requester, await app.desk.findTicket(t.id), 'Works now, thank you!');
    await eventually(async () => expect((await feishu.cardThread(t)).join('\n')).toContain('Works now, thank you!'));

    await feishu.command(feishu.requester, 'Badge reader at the door is dead');
    await eventually(async () => {
      const second = (await app.store.tickets.list({ limit: 10 })).find((x) => x.title === 'Badge reader at the door is dead');
      expect(second?.key).toBe('T-1002');
    });
  }, 60_000);
});
