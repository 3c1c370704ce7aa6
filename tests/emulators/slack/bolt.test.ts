/**
 * The real @slack/bolt App (default HTTPReceiver) against the emulator: outbound
 * Web API calls go to emu.apiUrl, inbound requests are signed like Slack's.
 */
import { App, LogLevel } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import { startSlackEmulator, type SlackEmulator } from './index';
import { sendBlockAction, sendEvent, sendSlashCommand, sendViewSubmission } from './inbound';

describe('real Bolt App against the Slack emulator', () => {
  let emu: SlackEmulator;
  let app: App;
  let appUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    emu = await startSlackEmulator();
    app = new App({
      token: emu.botToken,
      signingSecret: emu.signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    });

    app.command('/ticket', async ({ ack, command, client, respond }) => {
      await ack();
      seen.push(`command:${command.text}`);
      if (command.text === 'modal') {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'ticket_new',
            private_metadata: JSON.stringify({ channel: command.channel_id }),
            title: { type: 'plain_text', text: 'New ticket' },
            submit: { type: 'plain_text', text: 'Create' },
            blocks: [
              { type: 'input', block_id: 'summary', label: { type: 'plain_text', text: 'Summary' }, element: { type: 'plain_text_input', action_id: 'v' } },
            ],
          },
        });
      } else {
        await respond({ response_type: 'ephemeral', text: `got: ${command.text}` });
      }
    });

    app.view('ticket_new', async ({ ack, view, body, client }) => {
      await ack();
      const summary = view.state.values.summary?.v?.value ?? '';
      const { channel } = JSON.parse(view.private_metadata) as { channel: string };
      await client.chat.postMessage({
        channel,
        text: `Ticket: ${summary}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*Ticket* ${summary} by <@${body.user.id}>` } },
          {
            type: 'actions',
            block_id: 'ticket',
            elements: [{ type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' }, value: 'T-1' }],
          },
        ],
      });
    });

    app.action('claim', async ({ ack, body, action, client }) => {
      await ack();
      if (body.type !== 'block_actions' || action.type !== 'button') return;
      await client.chat.update({
        channel: body.channel!.id,
        ts: body.message!.ts,
        text: `Claimed ${action.value} by ${body.user.id}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Claimed ${action.value} by <@${body.user.id}>` } }],
      });
    });

    app.event('app_mention', async ({ event, client }) => {
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'Ticket opened' });
    });

    const server = await app.start({ port: 0, host: '127.0.0.1' });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  it('a signed slash command is acked 200 and respond() reaches the response_url', async () => {
    const res = await sendSlashCommand(emu, appUrl, { userId: 'U0ALICE', text: 'hello', channelId: 'C0HELP' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    const call = await emu.waitForCall('response_url');
    expect(call.args).toMatchObject({ text: 'got: hello', response_type: 'ephemeral' });
    expect(seen).toContain('command:hello');
  });

  it('a badly signed, an unsigned and a stale request get 401 and reach no listener', async () => {
    const before = seen.length;
    expect((await sendSlashCommand(emu, appUrl, { userId: 'U0ALICE', text: 'forged' }, { badSignature: true })).status).toBe(401);
    expect((await sendSlashCommand(emu, appUrl, { userId: 'U0ALICE', text: 'unsigned' }, { unsigned: true })).status).toBe(401);
    expect((await sendSlashCommand(emu, appUrl, { userId: 'U0ALICE', text: 'stale' }, { timestampSkewSec: -600 })).status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('slash command -> views.open -> view_submission -> card -> button click -> chat.update', async () => {
    expect((await sendSlashCommand(emu, appUrl, { userId: 'U0ALICE', text: 'modal', channelId: 'C0HELP' })).status).toBe(200);
    const open = await emu.waitForCall('views.open');
    expect(open.status).toBe(200);
    const opened = emu.lastView('ticket_new');
    expect(opened).toBeDefined();

    const sub = await sendViewSubmission(emu, appUrl, {
      userId: 'U0ALICE',
      view: { id: opened!.id, callback_id: 'ticket_new', state: { values: { summary: { v: { type: 'plain_text_input', value: 'VPN down' } } } } },
    });
    expect(sub.status).toBe(200);
    const post = await emu.waitForCall('chat.postMessage', (c) => c.args.text === 'Ticket: VPN down');
    const card = emu.messages('C0HELP').find((m) => m.text === 'Ticket: VPN down');
    expect(card).toBeDefined();
    expect(post.args.channel).toBe('C0HELP');

    const click = await sendBlockAction(emu, appUrl, { userId: 'U0BOB', actionId: 'claim', channelId: 'C0HELP', messageTs: card!.ts });
    expect(click.status).toBe(200);
    await emu.waitForCall('chat.update');
    expect(emu.messages('C0HELP').find((m) => m.ts === card!.ts)).toMatchObject({ text: 'Claimed T-1 by U0BOB', edited: expect.any(Object) });
    expect(emu.schemaViolations).toEqual([]);
  });

  it('an Events API app_mention is acked and answered in thread', async () => {
    const res = await sendEvent(emu, appUrl, { type: 'app_mention', user: 'U0ALICE', text: `<@${emu.botUserId}> help`, channel: 'C0HELP', ts: emu.nextTs() });
    expect(res.status).toBe(200);
    const reply = await emu.waitForCall('chat.postMessage', (c) => c.args.text === 'Ticket opened');
    expect(reply.args.thread_ts).toMatch(/^\d+\.\d{6}$/);
  });
});
