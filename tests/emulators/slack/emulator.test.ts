import { LogLevel, WebClient, type Logger, type WebAPIHTTPError } from '@slack/web-api';

/** WebClient logs Slack's `[ERROR] missing required field` response messages; keep test output clean. */
const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
import { startSlackEmulator, type SlackEmulator } from './index';

function client(emu: SlackEmulator, token = emu.botToken, retries = 2): WebClient {
  return new WebClient(token, {
    slackApiUrl: emu.apiUrl,
    logger: quietLogger,
    // Small p-retry backoff so the tests are fast; Retry-After waits are still honoured by WebClient.
    retryConfig: { retries, minTimeout: 10, maxTimeout: 50 },
  });
}

describe('Slack emulator driven by the real @slack/web-api WebClient', () => {
  let emu: SlackEmulator;
  let web: WebClient;

  beforeEach(async () => {
    emu = await startSlackEmulator();
    web = client(emu);
  });
  afterEach(async () => {
    await emu.close();
  });

  it('exposes urls and credentials', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.apiUrl).toBe(`${emu.url}/api/`);
    expect(emu.botToken).toMatch(/^xoxb-/);
    expect(emu.signingSecret).toHaveLength(32);
  });

  it('answers auth.test (POST via WebClient, and GET)', async () => {
    const res = await web.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: emu.teamId, user_id: emu.botUserId });
    const get = await fetch(`${emu.apiUrl}auth.test`, { headers: { authorization: `Bearer ${emu.botToken}` } });
    expect(await get.json()).toMatchObject({ ok: true, user_id: emu.botUserId });
    expect(emu.callsTo('auth.test')).toHaveLength(2);
  });

  it('posts, threads and updates messages; state reflects the update', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: '*T-1* printer on fire' } },
      {
        type: 'actions',
        block_id: 'ticket_actions',
        elements: [
          { type: 'button', action_id: 'claim', text: { type: 'plain_text', text: 'Claim' }, value: 'T-1' },
          { type: 'button', action_id: 'resolve', text: { type: 'plain_text', text: 'Resolve' }, value: 'T-1', style: 'primary' },
        ],
      },
    ];
    const posted = await web.chat.postMessage({ channel: 'C0HELPDESK', text: 'T-1 printer on fire', blocks });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe('C0HELPDESK');
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ text: 'T-1 printer on fire', user: emu.botUserId });

    const reply = await web.chat.postMessage({ channel: 'C0HELPDESK', text: 'on it', thread_ts: posted.ts! });
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));

    // The call log has the blocks decoded back to objects.
    const call = await emu.waitForCall('chat.postMessage');
    expect(call.args.blocks).toEqual(blocks);
    expect(call.status).toBe(200);

    await web.chat.update({ channel: 'C0HELPDESK', ts: posted.ts!, text: 'T-1 claimed', blocks: [blocks[0]!] });
    const msgs = emu.messages('C0HELPDESK');
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatchObject({ ts: posted.ts, text: 'T-1 claimed', blocks: [blocks[0]], user: emu.botUserId });
    expect(msgs[0]!.edited).toBeDefined();
    expect(msgs[1]).toMatchObject({ text: 'on it', thread_ts: posted.ts });

    await expect(web.chat.update({ channel: 'C0HELPDESK', ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
    expect(emu.schemaViolations).toEqual([]);
  });

  it('accepts JSON bodies and parses JSON-string nested values', async () => {
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', text: '[urgent] {not json', blocks: JSON.stringify([{ type: 'divider' }]) }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(emu.calls.at(-1)!.args).toEqual({ channel: 'C1', text: '[urgent] {not json', blocks: [{ type: 'divider' }] });
  });

  it('rejects a wrong token with invalid_auth', async () => {
    const bad = client(emu, 'xoxb-not-the-right-one');
    await expect(bad.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'invalid_auth' } });
    await expect(bad.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(emu.messages('C1')).toEqual([]);
  });

  it('429 with Retry-After=1: WebClient waits, retries, and the message arrives once', async () => {
    emu.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const res = await web.chat.postMessage({ channel: 'C0HELPDESK', text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emu.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(emu.messages('C0HELPDESK').map((m) => m.text)).toEqual(['after the limit']);
  });

  it('429 is visible to a client that rejects rate-limited calls', async () => {
    const strict = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, logger: quietLogger, rejectRateLimitedCalls: true });
    emu.failNext('users.info', { status: 429, retryAfterSec: 7 });
    await expect(strict.users.info({ user: emu.botUserId })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
  });

  it('500 without retries surfaces as an HTTP error; with a retry it recovers; faults are consumed in order', async () => {
    emu.failNext('chat.postMessage', { status: 500 });
    const noRetry = client(emu, emu.botToken, 0);
    const err = (await noRetry.chat.postMessage({ channel: 'C2', text: 'x' }).catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(err.code).toBe('slack_webapi_http_error');
    expect(err.statusCode).toBe(500);
    expect(emu.messages('C2')).toEqual([]);

    emu.failNext('chat.postMessage', { status: 503 }, 1);
    emu.failNext('chat.postMessage', { status: 502 }, 1);
    const ok = await client(emu, emu.botToken, 3).chat.postMessage({ channel: 'C2', text: 'y' });
    expect(ok.ok).toBe(true);
    expect(emu.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 503, 502, 200]);
    expect(emu.messages('C2')).toHaveLength(1);
  });

  it('delay fault slows the reply', async () => {
    emu.failNext('auth.test', { delayMs: 300 });
    const t0 = Date.now();
    await web.auth.test();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const t1 = Date.now();
    await web.auth.test();
    expect(Date.now() - t1).toBeLessThan(250);
  });

  it('DMs: conversations.open and posting to a user id land in the same D channel', async () => {
    const open = await web.conversations.open({ users: 'U0ALICE' });
    const dm = emu.dmChannelFor('U0ALICE');
    expect(dm).toMatch(/^D[A-Z0-9]+$/);
    expect(open.channel?.id).toBe(dm);
    await web.chat.postMessage({ channel: dm, text: 'one' });
    const viaUser = await web.chat.postMessage({ channel: 'U0ALICE', text: 'two' });
    expect(viaUser.channel).toBe(dm);
    expect(emu.messages(dm).map((m) => m.text)).toEqual(['one', 'two']);
    const info = await web.conversations.info({ channel: dm });
    expect(info.channel).toMatchObject({ id: dm, is_im: true, user: 'U0ALICE' });
  });

  it('users.info and users.lookupByEmail', async () => {
    emu.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob Builder', tz: 'Europe/Paris', email: 'bob@example.com' });
    const info = await web.users.info({ user: 'U0BOB' });
    expect(info.user).toMatchObject({ id: 'U0BOB', name: 'bob', real_name: 'Bob Builder', tz: 'Europe/Paris', is_bot: false });
    const byEmail = await web.users.lookupByEmail({ email: 'BOB@example.com' });
    expect(byEmail.user?.id).toBe('U0BOB');
    await expect(web.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    await expect(web.users.lookupByEmail({ email: 'x@example.com' })).rejects.toMatchObject({ data: { error: 'users_not_found' } });
  });

  it('postEphemeral, getPermalink, unknown method, missing args', async () => {
    const eph = await web.chat.postEphemeral({ channel: 'C3', user: 'U0ALICE', text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emu.messages('C3')).toEqual([]);
    const posted = await web.chat.postMessage({ channel: 'C3', text: 'hi' });
    const link = await web.chat.getPermalink({ channel: 'C3', message_ts: posted.ts! });
    expect(link.permalink).toContain(`/archives/C3/p${posted.ts!.replace('.', '')}`);
    await expect(web.apiCall('chat.frobnicate', {})).rejects.toMatchObject({ data: { ok: false, error: 'unknown_method' } });
    await expect(web.apiCall('conversations.open', {})).rejects.toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    expect(emu.callsTo('chat.frobnicate')).toHaveLength(1);
  });

  it('waitForCall resolves on a future call and times out with the calls seen', async () => {
    const pending = emu.waitForCall('chat.postMessage', (c) => c.args.text === 'later');
    await web.chat.postMessage({ channel: 'C4', text: 'sooner' });
    await web.chat.postMessage({ channel: 'C4', text: 'later' });
    await expect(pending).resolves.toMatchObject({ args: { text: 'later' } });
    await expect(emu.waitForCall('views.open', undefined, 50)).rejects.toThrow(/timed out after 50 ms[\s\S]*chat\.postMessage -> 200[\s\S]*sooner/);
  });

  it('response_url posts are recorded as method response_url', async () => {
    const url = emu.responseUrl();
    expect(url.startsWith(emu.url)).toBe(true);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }),
    });
    expect(res.status).toBe(200);
    expect((await emu.waitForCall('response_url')).args).toEqual({ text: 'done', response_type: 'ephemeral' });
  });
});

describe('views and trigger_id expiry (injected clock)', () => {
  let emu: SlackEmulator;
  let nowMs = 1_712_345_678_000;
  beforeEach(async () => {
    emu = await startSlackEmulator({ now: () => nowMs });
  });
  afterEach(() => emu.close());

  const modal = (title = 'New ticket') => ({
    type: 'modal' as const,
    callback_id: 'ticket_new',
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Create' },
    blocks: [{ type: 'input', block_id: 'summary', label: { type: 'plain_text', text: 'Summary' }, element: { type: 'plain_text_input', action_id: 'v' } }],
  });

  it('fresh trigger opens; expired, unknown and reused triggers fail', async () => {
    const web = client(emu);
    const fresh = emu.triggerId();
    const opened = await web.views.open({ trigger_id: fresh, view: modal() });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'ticket_new', title: { text: 'New ticket' }, type: 'modal' });
    await expect(web.views.open({ trigger_id: fresh, view: modal() })).rejects.toMatchObject({ data: { error: 'trigger_exchanged' } });

    const stale = emu.triggerId();
    nowMs += 3001;
    await expect(web.views.open({ trigger_id: stale, view: modal() })).rejects.toMatchObject({ data: { ok: false, error: 'expired_trigger_id' } });
    await expect(web.views.open({ trigger_id: 'made.up.trigger', view: modal() })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });

    // views.update by id with the hash, then a stale hash conflicts.
    const id = opened.view!.id!;
    const hash = opened.view!.hash!;
    const upd = await web.views.update({ view_id: id, hash, view: modal('Ticket created') });
    expect(upd.view?.title?.text).toBe('Ticket created');
    expect(emu.view(id)?.title).toMatchObject({ text: 'Ticket created' });
    await expect(web.views.update({ view_id: id, hash, view: modal() })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    expect(emu.schemaViolations).toEqual([]);
  });
});

describe('official-spec and Block Kit checks', () => {
  let emu: SlackEmulator;
  beforeEach(async () => {
    emu = await startSlackEmulator();
  });
  afterEach(() => emu.close());

  it('flags a chat.postMessage without channel', async () => {
    const web = client(emu);
    await expect(web.apiCall('chat.postMessage', { text: 'nowhere' })).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_arguments' },
    });
    expect(emu.schemaViolations).toEqual([expect.stringContaining("chat.postMessage: missing required parameter 'channel'")]);
  });

  it('flags an oversized modal title', async () => {
    const web = client(emu);
    await web.views.open({
      trigger_id: emu.triggerId(),
      view: { type: 'modal', title: { type: 'plain_text', text: 'This modal title is far too long' }, blocks: [] },
    });
    expect(emu.schemaViolations).toEqual([expect.stringMatching(/views\.open: view\.title\.text: 32 chars \(max 24\)/)]);
  });

  it('flags unknown params, unknown block types, missing text fallback and Block Kit limits', async () => {
    const web = client(emu);
    await web.apiCall('chat.postMessage', {
      channel: 'C1',
      frobnicate: true,
      metadata: { event_type: 'ticket', event_payload: {} }, // newer arg: allowlisted
      blocks: [
        { type: 'sectoin', text: { type: 'mrkdwn', text: 'typo' } },
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
        {
          type: 'actions',
          block_id: 'b'.repeat(256),
          elements: [
            { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } },
            { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'ok' } },
          ],
        },
      ],
    });
    const v = emu.schemaViolations.join('\n');
    expect(v).toMatch(/unknown parameter 'frobnicate'/);
    expect(v).not.toMatch(/metadata/);
    expect(v).toMatch(/blocks\[0\]\.type: unknown block type "sectoin"/);
    expect(v).toMatch(/blocks\[1\]\.text\.text: 151 chars \(max 150\)/);
    expect(v).toMatch(/blocks\[2\]\.text\.text: 3001 chars \(max 3000\)/);
    expect(v).toMatch(/blocks\[3\]\.block_id: 256 chars \(max 255\)/);
    expect(v).toMatch(/blocks\[3\]\.elements\[0\]\.text\.text: 76 chars \(max 75\)/);
    expect(v).toMatch(/duplicate action_id 'a'/);
    expect(v).toMatch(/without a top-level 'text' fallback/);
  });

  it('flags too many blocks (50 in messages, 100 in modals)', async () => {
    const web = client(emu);
    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    await web.chat.postMessage({ channel: 'C1', text: 'fallback', blocks: dividers(50) });
    expect(emu.schemaViolations).toEqual([]);
    await web.chat.postMessage({ channel: 'C1', text: 'fallback', blocks: dividers(51) });
    await web.views.open({ trigger_id: emu.triggerId(), view: { type: 'modal', title: { type: 'plain_text', text: 'ok' }, blocks: dividers(100) } });
    await web.views.open({ trigger_id: emu.triggerId(), view: { type: 'modal', title: { type: 'plain_text', text: 'ok' }, blocks: dividers(101) } });
    expect(emu.schemaViolations).toEqual([
      expect.stringMatching(/chat\.postMessage: blocks: 51 blocks \(max 50 in a message\)/),
      expect.stringMatching(/views\.open: view\.blocks: 101 blocks \(max 100 in a modal\)/),
    ]);
  });
});
