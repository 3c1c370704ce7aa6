import Ajv from 'ajv';
import { fixturePath } from '../../support/fixtures';
import fs from 'node:fs';
import type http from 'node:http';
import { readBody, sendJson, startHttpServer, type StartedHttpServer } from '../shared';
import { startSlackEmulator, type SlackEmulator } from './index';
import { buildEventEnvelope, sendBlockAction, sendEvent, sendSlashCommand, sendViewSubmission, signSlackBody } from './inbound';

const WRAPPER_SCHEMA = fixturePath('schemas/slack/slack-api-specs/events-api/slack_common_event_wrapper_schema.json');

interface Captured {
  headers: http.IncomingHttpHeaders;
  raw: string;
}

describe('inbound helpers (what the app under test receives)', () => {
  let emu: SlackEmulator;
  let sink: StartedHttpServer;
  const got: Captured[] = [];
  const last = (): Captured => got.at(-1)!;
  const payloadOf = (c: Captured): Record<string, unknown> => JSON.parse(new URLSearchParams(c.raw).get('payload')!) as Record<string, unknown>;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    sink = await startHttpServer(async (req, res) => {
      got.push({ headers: req.headers, raw: (await readBody(req)).toString('utf8') });
      sendJson(res, 200, { received: true });
    });
  });
  afterAll(async () => {
    await sink.close();
    await emu.close();
  });

  it("signSlackBody matches Slack's documented example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackBody('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it('slash command: form-encoded, signed over the raw body, with Slack fields', async () => {
    const res = await sendSlashCommand(emu, sink.url, { userId: 'U0ALICE', text: 'printer is on fire', channelId: 'C0HELP' });
    expect(res).toMatchObject({ status: 200, json: { received: true } });
    const c = last();
    expect(c.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const ts = Number(c.headers['x-slack-request-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(5);
    expect(c.headers['x-slack-signature']).toBe(signSlackBody(emu.signingSecret, c.raw, ts)['x-slack-signature']);
    const f = Object.fromEntries(new URLSearchParams(c.raw));
    expect(f).toMatchObject({
      command: '/ticket',
      text: 'printer is on fire',
      user_id: 'U0ALICE',
      channel_id: 'C0HELP',
      team_id: emu.teamId,
      api_app_id: emu.appId,
    });
    expect(f.response_url).toMatch(new RegExp(`^${emu.url}/response/`));
    expect(f.trigger_id).toBeTruthy();
  });

  it('options: bad signature, unsigned, skew, retry headers', async () => {
    await sendSlashCommand(emu, sink.url, { userId: 'U1' }, { badSignature: true, retryNum: 1, retryReason: 'http_timeout' });
    let c = last();
    const ts = Number(c.headers['x-slack-request-timestamp']);
    expect(c.headers['x-slack-signature']).not.toBe(signSlackBody(emu.signingSecret, c.raw, ts)['x-slack-signature']);
    expect(c.headers['x-slack-retry-num']).toBe('1');
    expect(c.headers['x-slack-retry-reason']).toBe('http_timeout');
    await sendSlashCommand(emu, sink.url, { userId: 'U1' }, { unsigned: true });
    c = last();
    expect(c.headers['x-slack-signature']).toBeUndefined();
    expect(c.headers['x-slack-request-timestamp']).toBeUndefined();
    await sendSlashCommand(emu, sink.url, { userId: 'U1' }, { timestampSkewSec: -600 });
    c = last();
    expect(Date.now() / 1000 - Number(c.headers['x-slack-request-timestamp'])).toBeGreaterThan(590);
  });

  it('block_actions payload uses the current message state from the emulator', async () => {
    const web = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0HELP',
        text: 'T-9',
        blocks: [
          {
            type: 'actions',
            block_id: 'ticket',
            elements: [
              { type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' }, value: 'T-9', style: 'primary' },
              { type: 'users_select', action_id: 'assign', placeholder: { type: 'plain_text', text: 'Assign' } },
            ],
          },
        ],
      }),
    });
    const { ts } = (await web.json()) as { ts: string };

    await sendBlockAction(emu, sink.url, { userId: 'U0BOB', actionId: 'claim', channelId: 'C0HELP', messageTs: ts });
    const c = last();
    expect(c.headers['content-type']).toBe('application/x-www-form-urlencoded');
    let p = payloadOf(c);
    expect(p).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB', team_id: emu.teamId },
      api_app_id: emu.appId,
      token: emu.verificationToken,
      container: { type: 'message', message_ts: ts, channel_id: 'C0HELP', is_ephemeral: false },
      team: { id: emu.teamId, domain: emu.teamDomain },
      channel: { id: 'C0HELP' },
      message: { ts, text: 'T-9', user: emu.botUserId, blocks: [expect.objectContaining({ block_id: 'ticket' })] },
      actions: [{ action_id: 'claim', block_id: 'ticket', type: 'button', value: 'T-9', text: { type: 'plain_text', text: 'Claim' } }],
    });
    expect(typeof p.trigger_id).toBe('string');
    expect(String(p.response_url)).toMatch(/\/response\//);
    expect((p.actions as Array<Record<string, unknown>>)[0]!.action_ts).toMatch(/^\d+\.\d{6}$/);

    await sendBlockAction(emu, sink.url, { userId: 'U0BOB', actionId: 'assign', selectedUser: 'U0CAROL', channelId: 'C0HELP', messageTs: ts });
    p = payloadOf(last());
    expect(p.actions).toEqual([expect.objectContaining({ action_id: 'assign', block_id: 'ticket', type: 'users_select', selected_user: 'U0CAROL' })]);
  });

  it('view_submission payload', async () => {
    await sendViewSubmission(emu, sink.url, {
      userId: 'U0ALICE',
      view: { callback_id: 'ticket_new', private_metadata: '{"c":"C1"}', state: { values: { summary: { v: { type: 'plain_text_input', value: 'VPN' } } } } },
    });
    const p = payloadOf(last());
    expect(p).toMatchObject({
      type: 'view_submission',
      team: { id: emu.teamId },
      user: { id: 'U0ALICE' },
      api_app_id: emu.appId,
      response_urls: [],
      view: {
        type: 'modal',
        team_id: emu.teamId,
        callback_id: 'ticket_new',
        private_metadata: '{"c":"C1"}',
        state: { values: { summary: { v: { value: 'VPN' } } } },
      },
    });
    const view = p.view as Record<string, unknown>;
    expect(view.id).toMatch(/^V/);
    expect(typeof view.hash).toBe('string');
  });

  it("Events API envelope validates against Slack's common event wrapper schema", async () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(WRAPPER_SCHEMA, 'utf8')) as object);
    const envelope = buildEventEnvelope(emu, { type: 'app_mention', user: 'U0ALICE', text: 'hi', channel: 'C0HELP', ts: emu.nextTs() });
    expect(validate(envelope) ? [] : validate.errors).toEqual([]);

    await sendEvent(emu, sink.url, { type: 'message', user: 'U0ALICE', text: 'my laptop', channel: 'C0HELP' }, { eventId: 'Ev123' });
    const c = last();
    expect(c.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(c.raw) as Record<string, unknown>;
    expect(validate(sent) ? [] : validate.errors).toEqual([]);
    expect(sent).toMatchObject({ type: 'event_callback', event_id: 'Ev123', team_id: emu.teamId, event: { type: 'message', channel_type: 'channel' } });
    // The user's message is now part of the channel state.
    const ev = sent.event as { ts: string };
    expect(emu.messages('C0HELP').find((m) => m.ts === ev.ts)).toMatchObject({ user: 'U0ALICE', text: 'my laptop' });
  });
});
