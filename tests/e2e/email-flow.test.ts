/**
 * Email intake end to end on real parts: GreenMail (a real IMAP + SMTP server,
 * over loopback sockets), the real imapflow / mailparser / nodemailer inside
 * chatdesk, the Slack emulator for the agents' channel, the embedded database.
 */
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { eventually } from '../contract/adapter-contract';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { deskFile } from '../support/desk-file';
import { greenmailJar, type GreenMail, startGreenMail } from '../support/greenmail';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

const AGENTS = 'C0AGENTS';
const BOB = 'U0BOB';
const CAROL = 'U0CAROL';
const ALICE = 'alice@example.test';

const found = greenmailJar();
const suite = 'jar' in found ? describe : describe.skip;
if ('skip' in found) test.skip(`email tests skipped: ${found.skip}`, () => undefined);

suite('email: a mailbox read over IMAP, answered over SMTP', () => {
  let mail: GreenMail;
  let emu: SlackEmulator;
  let app: Chatdesk;
  const tickets = async () => app.store.tickets.list({ limit: 100 });
  const ticketTitled = async (title: string) => (await tickets()).find((t) => t.title === title);
  const cardThread = (t: Ticket) =>
    emu
      .messages(AGENTS)
      .filter((m) => m.thread_ts === t.agentCards[0]?.messageId && m.ts !== t.agentCards[0]?.messageId)
      .map((m) => m.text);

  beforeAll(async () => {
    mail = await startGreenMail((found as { jar: string }).jar);
    emu = await startSlackEmulator();
    for (const [id, name] of [
      [BOB, 'bob'],
      [CAROL, 'carol'],
    ] as const)
      emu.addUser({ id, name, realName: name });
    emu.addChannel({ id: AGENTS, name: 'it-agents' });
    const [it, ...others] = defaultDeskConfig.teams;
    app = await startTestApp(
      {
        ...slackEnv(emu, AGENTS),
        CHATDESK_PLAYGROUND: 'false',
        CHATDESK_CONFIG: deskFile({
          teams: [{ ...it, agents: [{ platform: 'slack', id: BOB }] }, ...others],
          people: [{ email: 'carol@corp.test', slack: CAROL }],
        }),
        ...mail.env,
      },
      { label: 'email' },
    );
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await emu?.close();
    await mail?.stop();
  });

  it('a new mail opens a ticket: subject as title, the text without quote and signature, attachments listed; the card is on Slack and the requester gets a threaded confirmation', async () => {
    const sent = await mail.send({
      from: `Alice <${ALICE}>`,
      subject: 'Printer on the 3rd floor jams',
      text: 'The printer jams on every second page since Monday.\n\n-- \nAlice Example\nFinance\n\nOn Mon, Jan 5, 2026 at 9:00 AM Bob <bob@example.test> wrote:\n> old quoted text\n',
      attachments: [{ filename: 'jam.jpg', content: Buffer.alloc(3000, 1) }],
    });
    let ticket: Ticket | undefined;
    await eventually(async () => {
      ticket = await ticketTitled('Printer on the 3rd floor jams');
      expect(ticket?.agentCards).toHaveLength(1);
    }, 20_000);
    const t = ticket!;
    expect(t.requester).toMatchObject({ platform: 'email', id: ALICE, name: 'Alice' });
    expect(t.intakeId).toBe(`email:${sent}`);
    expect(t.description).toContain('The printer jams on every second page since Monday.');
    expect(t.description).not.toContain('old quoted text');
    expect(t.description).not.toContain('Finance');
    expect(t.description).toMatch(/jam\.jpg \(3 KB\)/);
    expect(emu.messages(AGENTS).some((m) => m.ts === t.agentCards[0]?.messageId && m.text.includes(t.key))).toBe(true);

    await eventually(async () => {
      const inbox = await mail.inbox(ALICE);
      const confirmation = inbox.find((m) => m.subject?.includes(`[${t.key}]`));
      expect(confirmation?.subject).toBe(`Re: [${t.key}] Printer on the 3rd floor jams`);
      expect(confirmation?.inReplyTo).toBe(sent);
      expect(confirmation?.text).toContain(`Your ticket ${t.key}`);
      expect(confirmation?.headers.get('auto-submitted')).toBe('auto-replied');
    }, 20_000);
    expect(await mail.unseen()).toBe(0);
  }, 60_000);

  it('a reply to the confirmation, and a mail naming [T-…] in its subject, add to the ticket and reach the card thread; no second ticket', async () => {
    const t = (await ticketTitled('Printer on the 3rd floor jams'))!;
    const confirmation = (await mail.inbox(ALICE)).find((m) => m.subject?.includes(`[${t.key}]`))!;
    const count = (await tickets()).length;
    await mail.send({
      from: ALICE,
      subject: `Re: ${confirmation.subject}`,
      text: `It is the tray 2 paper.\n\nOn Tue, ${confirmation.date?.toUTCString()} Help <help@desk.test> wrote:\n> Your ticket ${t.key} is open\n`,
      inReplyTo: confirmation.messageId,
      references: [t.intakeId!.slice('email:'.length), confirmation.messageId!],
    });
    await eventually(async () => expect(cardThread(t).join('\n')).toContain('It is the tray 2 paper.'), 20_000);
    expect(cardThread(t).join('\n')).not.toContain('Your ticket');

    await mail.send({ from: ALICE, subject: `More on [${t.key}]`, text: 'Also the toner light blinks.' });
    await eventually(async () => expect(cardThread(t).join('\n')).toContain('Also the toner light blinks.'), 20_000);
    const after = (await app.store.tickets.findById(t.id))!;
    expect(after.activity.filter((a) => a.action === 'requester_replied')).toHaveLength(2);
    expect((await tickets()).length).toBe(count);
  }, 60_000);

  it("an agent's /ticket reply reaches the email requester by mail, in the ticket's thread", async () => {
    const t = (await ticketTitled('Printer on the 3rd floor jams'))!;
    const res = await sendSlashCommand(emu, `${app.url}/slack/events`, {
      text: `reply ${t.key} Please try the manual feed tray meanwhile.`,
      userId: BOB,
      channelId: AGENTS,
    });
    expect(res.status).toBe(200);
    await eventually(async () => {
      const answer = (await mail.inbox(ALICE)).find((m) => m.text?.includes('Please try the manual feed tray meanwhile.'));
      expect(answer?.subject).toContain(`[${t.key}]`);
      expect(answer?.references).toContain(t.intakeId!.slice('email:'.length));
    }, 20_000);
  }, 60_000);

  it('bounces, auto-replies, bulk mail and the desk’s own mail open nothing and are answered with nothing', async () => {
    const before = (await tickets()).length;
    const aliceMails = (await mail.inbox(ALICE)).length;
    await mail.send({ from: ALICE, subject: 'Out of office', text: 'I am away until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await mail.send({ from: ALICE, subject: 'Automatic reply: hello', text: 'Away.', headers: { 'X-Autoreply': 'yes' } });
    await mail.send({ from: ALICE, subject: 'Newsletter', text: 'News of the week', headers: { Precedence: 'bulk' } });
    await mail.send({ from: mail.desk.address, subject: 'Re: [T-1001] looping', text: 'our own mail came back' });
    await mail.append(
      mail.desk.user,
      mail.desk.password,
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
        `To: ${mail.desk.address}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-1@mx.example.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'The mail could not be delivered.',
        '--b1--',
        '',
      ].join('\r\n'),
    );
    await eventually(async () => expect(await mail.unseen()).toBe(0), 20_000);
    await app.intake.idle();
    expect((await tickets()).length).toBe(before);
    expect((await mail.inbox(ALICE)).length).toBe(aliceMails);
  }, 60_000);

  it('the same mail delivered twice (one Message-ID) opens one ticket', async () => {
    const raw = (id: string) =>
      [`From: ${ALICE}`, `To: ${mail.desk.address}`, 'Subject: VPN drops every hour', `Message-ID: ${id}`, '', 'The VPN disconnects every hour.', ''].join(
        '\r\n',
      );
    await mail.append(mail.desk.user, mail.desk.password, raw('<vpn-1@example.test>'));
    await mail.append(mail.desk.user, mail.desk.password, raw('<vpn-1@example.test>'));
    await eventually(async () => expect(await mail.unseen()).toBe(0), 20_000);
    await eventually(async () => expect(await ticketTitled('VPN drops every hour')).toBeDefined(), 20_000);
    await app.intake.idle();
    expect((await tickets()).filter((t) => t.title === 'VPN drops every hour')).toHaveLength(1);
  }, 60_000);

  it('a person the directory knows by address is the requester on chat (Slack DM), and hears by mail where to follow it', async () => {
    await mail.send({ from: 'Carol <carol@corp.test>', subject: 'Laptop battery swollen', text: 'The battery bulges.' });
    let ticket: Ticket | undefined;
    await eventually(async () => {
      ticket = await ticketTitled('Laptop battery swollen');
      expect(ticket?.requester).toMatchObject({ platform: 'slack', id: CAROL });
    }, 20_000);
    await eventually(async () => expect(emu.privateTexts(CAROL).join('\n')).toContain(ticket!.key));
    await eventually(async () => {
      const answer = (await mail.inbox('carol@corp.test')).find((m) => m.subject?.includes(`[${ticket!.key}]`));
      expect(answer?.text).toContain(ticket!.key);
    }, 20_000);
  }, 60_000);

  it('malformed MIME and a mail with only a 25 MB attachment still open a ticket with what could be read; an empty mail is answered, not ticketed', async () => {
    await mail.append(
      mail.desk.user,
      mail.desk.password,
      [
        `From: ${ALICE}`,
        `To: ${mail.desk.address}`,
        'Subject: Broken mail',
        'Message-ID: <broken-1@example.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="never-closed"',
        '',
        '--never-closed',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        '!!!not base64 at all ###',
        '',
      ].join('\r\n'),
    );
    await mail.send({
      from: ALICE,
      subject: 'Huge scan',
      text: 'Scan attached.',
      attachments: [{ filename: 'scan.pdf', content: Buffer.alloc(25 * 1024 * 1024, 7) }],
    });
    await mail.append(
      mail.desk.user,
      mail.desk.password,
      [`From: ${ALICE}`, `To: ${mail.desk.address}`, 'Subject: ', 'Message-ID: <empty-1@example.test>', '', '', ''].join('\r\n'),
    );
    await eventually(async () => expect(await ticketTitled('Broken mail')).toBeDefined(), 30_000);
    let huge: Ticket | undefined;
    await eventually(async () => {
      huge = await ticketTitled('Huge scan');
      expect(huge).toBeDefined();
    }, 60_000);
    expect(huge!.description).toContain('Scan attached.');
    expect(huge!.description).toMatch(/scan\.pdf \(25\.0 MB\)/);
    expect(huge!.description).toContain('only its beginning was read');
    await eventually(async () => {
      const answer = (await mail.inbox(ALICE)).find((m) => m.inReplyTo === '<empty-1@example.test>');
      expect(answer?.text).toContain('no subject and no text');
    }, 20_000);
    expect(await mail.unseen()).toBe(0);
  }, 120_000);
});

suite('email: IDLE', () => {
  let mail: GreenMail;
  let app: Chatdesk;
  beforeAll(async () => {
    mail = await startGreenMail((found as { jar: string }).jar);
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
  });

  it('a new mail is taken in when the server announces it, not at the next poll (an hour away)', async () => {
    app = await startTestApp({ ...mail.secondEnv, CHATDESK_EMAIL_POLL_S: '3600' }, { label: 'email_idle' });
    await eventually(async () => expect(((await (await fetch(`${app.url}/readyz`)).json()) as { degraded?: unknown }).degraded).toBeUndefined(), 15_000);
    // Past the first look at the mailbox (at connect), so only IDLE can notice this one.
    await new Promise((r) => setTimeout(r, 2500));
    await mail.send({ from: ALICE, to: 'second@desk.test', subject: 'Monitor flickers', text: 'It flickers.' });
    await eventually(async () => expect((await app.store.tickets.list({ limit: 10 })).map((t) => t.title)).toContain('Monitor flickers'), 20_000);
  }, 60_000);
});

describe('email: an unreachable mail server', () => {
  let app: Chatdesk;
  afterAll(async () => app?.stop());

  it('is retried with backoff and shows in /readyz as degraded (chat still ready) and in /metrics', async () => {
    app = await startTestApp(
      {
        CHATDESK_IMAP_URL: 'imap://127.0.0.1:1',
        CHATDESK_IMAP_USER: 'help@desk.test',
        CHATDESK_IMAP_PASSWORD: 'never-logged-secret',
        CHATDESK_SMTP_URL: 'smtp://127.0.0.1:1',
        CHATDESK_EMAIL_FROM: 'help@desk.test',
      },
      { label: 'email_down' },
    );
    await eventually(async () => {
      const res = await fetch(`${app.url}/readyz`);
      const body = (await res.json()) as { ready: boolean; degraded?: Record<string, string> };
      expect(res.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.degraded?.mailbox).toMatch(/not reachable/);
      expect(JSON.stringify(body)).not.toContain('never-logged-secret');
    }, 15_000);
    await eventually(async () => {
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^chatdesk_mailbox_connected 0$/m);
      expect(metrics).toMatch(/^chatdesk_mailbox_connect_failures_total [1-9]/m);
    }, 15_000);
  }, 60_000);
});
