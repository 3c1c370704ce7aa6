/**
 * One desk, two messengers: the requester is on Teams, the agents' channel is
 * on Feishu. Both real SDKs run inside one chatdesk against their emulators.
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

    await feishu.command(feishu.requester, 'Badge reader at the door is dead');
    await eventually(async () => {
      const second = (await app.store.tickets.list({ limit: 10 })).find((x) => x.title === 'Badge reader at the door is dead');
      expect(second?.key).toBe('T-1002');
    });
  }, 60_000);
});
