/** What an operator reads: /healthz, /readyz and /metrics on the running app. */
import type { Chatdesk } from '../../src/app';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

describe('operator endpoints', () => {
  let emu: SlackEmulator;
  let app: Chatdesk;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice' });
    app = await startTestApp({ ...slackEnv(emu, 'C0AGENTS') }, { label: 'ops' });
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  it('says the process lives and is ready, with each check named', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { database: 'ok', sla_worker: 'ok' } });
  });

  it('counts intake, tickets by status and the command-to-done latency in Prometheus format', async () => {
    for (const text of ['printer jammed on floor 2', 'VPN drops every hour'])
      expect((await sendSlashCommand(emu, `${app.url}/slack/events`, { text, userId: 'U0ALICE' })).status).toBe(200);
    await app.intake.idle();
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const value = (line: RegExp) => Number(new RegExp(`^${line.source} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value(/chatdesk_intake_acked_total\{platform="slack",kind="command"\}/)).toBe(2);
    expect(value(/chatdesk_intake_processed_total\{platform="slack",status="created"\}/)).toBe(2);
    expect(value(/chatdesk_intake_done_seconds_count\{platform="slack",status="created"\}/)).toBe(2);
    expect(value(/chatdesk_intake_ack_seconds_count\{platform="slack"\}/)).toBe(2);
    expect(value(/chatdesk_tickets\{status="new"\}/)).toBe(2);
    expect(value(/chatdesk_tickets\{status="resolved"\}/)).toBe(0);
    expect(value(/chatdesk_inbox_pending/)).toBe(0);
    expect(text).toMatch(/^chatdesk_process_resident_memory_bytes \d+/m);
  });

  it('answers 503 on /readyz once the app is stopping', async () => {
    const stopping = app.stop();
    const res = await fetch(`${app.url}/readyz`).catch(() => undefined);
    // Either the server already closed, or it says it is not ready: never ready while stopping.
    if (res) expect(res.status).toBe(503);
    await stopping;
    app = undefined as unknown as Chatdesk;
  });
});
