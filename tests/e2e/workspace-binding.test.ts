/**
 * Workspace binding and refusals as an operator sees them in the logs: the
 * Slack app bound to its workspace refuses to start with a token of another,
 * warns at start when no workspace is bound (and then serves any), and a
 * refused click is logged at info, never as an error.
 */
import { isChatdeskError } from '../../src/domain/errors';
import { createLogger } from '../../src/logger';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendBlockAction, sendSlashCommand } from '../emulators/slack/inbound';
import { waitFor } from '../emulators/shared';
import { governedDesk } from '../support/desk-file';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

function capturingLogger() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  return { logger, lines };
}

describe('workspace binding and refusals in the logs (Slack)', () => {
  let emu: SlackEmulator;
  const env = () => ({
    ...slackEnv(emu, 'C0AGENTS'),
    CHATDESK_PLAYGROUND: 'false',
  });
  beforeAll(async () => {
    emu = await startSlackEmulator();
    for (const id of ['U0ALICE', 'U0BOB', 'U0EVE', 'U0DAVE']) emu.addUser({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2).toLowerCase() });
    emu.addChannel({ id: 'C0AGENTS', name: 'it-agents' });
    emu.addChannel({ id: 'C0GENERAL', name: 'general' });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('a bot token of another workspace than SLACK_TEAM_ID stops the start, naming the variable', async () => {
    const err = await startTestApp({ ...env(), SLACK_TEAM_ID: 'T0SOMEWHEREELSE' }, { label: 'binding_mismatch' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isChatdeskError(err, 'chatdesk_config_invalid')).toBe(true);
    expect((err as Error).message).toContain('SLACK_TEAM_ID');
  });

  it('without SLACK_TEAM_ID a warning at start says the binding is off, and any workspace is served', async () => {
    const { logger, lines } = capturingLogger();
    const app = await startTestApp(env(), { label: 'binding_off', logger });
    try {
      expect(lines).toContainEqual(expect.objectContaining({ level: 40, platform: 'slack', msg: expect.stringContaining('workspace binding is off') }));
      const res = await sendSlashCommand(emu, `${app.url}/slack/events`, {
        text: 'Printer in the other office',
        userId: 'U0ALICE',
        channelId: 'C0GENERAL',
        teamId: 'T0OTHERWS',
      });
      expect(res.status).toBe(200);
      await waitFor(async () => (await app.store.tickets.list({ limit: 50 })).some((t) => t.title === 'Printer in the other office'));
    } finally {
      await app.stop();
    }
  });

  it('bound: a refused click is logged at info with its reason; nothing is logged as an error', async () => {
    const { logger, lines } = capturingLogger();
    const desk = governedDesk({ agents: [{ platform: 'slack', id: 'U0BOB' }], lead: { platform: 'slack', id: 'U0DAVE' } });
    const app = await startTestApp({ ...env(), SLACK_TEAM_ID: emu.teamId, CHATDESK_CONFIG: desk }, { label: 'binding_on', logger });
    try {
      expect(lines.some((l) => String(l.msg).includes('workspace binding is off'))).toBe(false);
      await sendSlashCommand(emu, `${app.url}/slack/events`, { text: 'Scanner shows a paper jam', userId: 'U0ALICE', channelId: 'C0GENERAL' });
      let ticket: Awaited<ReturnType<typeof app.store.tickets.list>>[number] | undefined;
      await waitFor(async () => {
        ticket = (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === 'Scanner shows a paper jam' && t.agentCards.length === 1);
        return !!ticket;
      });
      const card = ticket!.agentCards[0]!;
      await sendBlockAction(emu, `${app.url}/slack/events`, {
        userId: 'U0EVE',
        actionId: 'chatdesk:claim',
        channelId: card.channelId,
        messageTs: card.messageId,
      });
      await waitFor(() => emu.privateTexts('U0EVE').some((t) => t.includes(`Only IT agents can claim ${ticket!.key}.`)));
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 30,
          msg: 'refused: not permitted',
          ticket: ticket!.key,
          actor: 'slack:U0EVE',
          action: 'claim',
          reason: 'not_team_agent',
        }),
      );
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      expect(emu.privateTexts('U0EVE').join('\n')).not.toContain('Sorry');
    } finally {
      await app.stop();
    }
  });
});
