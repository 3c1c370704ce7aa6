/**
 * Signed but malformed Slack requests, and replays with a timestamp in the
 * future: each gets a clear 4xx (or, for a command without text, the form),
 * never a 500, and changes nothing.
 */
import type { Chatdesk } from '../../src/app';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { postSigned, sendSlashCommand } from '../emulators/slack/inbound';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

describe('Slack: bad input is refused and changes nothing', () => {
  let emu: SlackEmulator;
  let app: Chatdesk;
  let events: string;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice' });
    app = await startTestApp({ ...slackEnv(emu, 'C0AGENTS') }, { label: 'slack_bad' });
    events = `${app.url}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  const stored = async () => (await app.store.tickets.list({ limit: 500 })).length;
  const interaction = (payload: unknown) =>
    postSigned(emu, events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
  const base = () => ({ team: { id: emu.teamId }, api_app_id: emu.appId, token: emu.verificationToken, trigger_id: emu.triggerId() });

  it('refuses a signed request whose timestamp is more than 5 minutes in the future (replayed later otherwise)', async () => {
    const res = await sendSlashCommand(emu, events, { text: 'printer jammed', userId: 'U0ALICE' }, { timestampSkewSec: 6 * 60 });
    expect(res.status).toBe(401);
    const stale = await sendSlashCommand(emu, events, { text: 'printer jammed', userId: 'U0ALICE' }, { timestampSkewSec: -6 * 60 });
    expect(stale.status).toBe(401);
    await app.intake.idle();
    expect(await stored()).toBe(0);
  });

  it('answers a click with no user, a button whose value is an object and a submission with no view with 400', async () => {
    const noUser = await interaction({
      ...base(),
      type: 'block_actions',
      actions: [{ action_id: 'chatdesk:claim', type: 'button', value: 'x', block_id: 'b' }],
    });
    expect(noUser.status).toBe(400);
    expect(noUser.body).toContain('user');
    const objectValue = await interaction({
      ...base(),
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      actions: [{ action_id: 'chatdesk:claim', type: 'button', value: { ticket: 'x' }, block_id: 'b' }],
    });
    expect(objectValue.status).toBe(400);
    const noView = await interaction({ ...base(), type: 'view_submission', user: { id: 'U0ALICE' } });
    expect(noView.status).toBe(400);
    const notJson = await postSigned(emu, events, 'payload=%7Bnot-json', 'application/x-www-form-urlencoded');
    expect(notJson.status).toBe(400);
    await app.intake.idle();
    expect(await stored()).toBe(0);
    expect(emu.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('treats a slash command without a text field as /ticket alone: the form opens, nothing is stored', async () => {
    const body = new URLSearchParams({
      token: emu.verificationToken,
      team_id: emu.teamId,
      channel_id: 'C0GENERAL',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/ticket',
      response_url: emu.responseUrl(),
      trigger_id: emu.triggerId(),
    });
    const res = await postSigned(emu, events, body.toString(), 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    await emu.waitForCall('views.open');
    expect(await stored()).toBe(0);
  });

  it('a correctly signed command still works after all that', async () => {
    const res = await sendSlashCommand(emu, events, { text: 'monitor flickers', userId: 'U0ALICE' });
    expect(res.status).toBe(200);
    await app.intake.idle();
    expect(await stored()).toBe(1);
  });
});
