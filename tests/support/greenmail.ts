/**
 * GreenMail (a real IMAP + SMTP server in one Java jar, from Maven Central)
 * started by the email tests on free loopback ports. scripts/ensure-greenmail.sh
 * fetches the jar once; without Java the email tests are skipped (see `greenmailJar`).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { waitFor } from '../emulators/shared';
import { freePort } from './app-process';

const ROOT = path.resolve(__dirname, '../..');

/** The jar's path, or why there is none (no Java): the caller skips with that message. */
export function greenmailJar(): { jar: string } | { skip: string } {
  if (spawnSync('java', ['-version']).error) return { skip: 'Java is not installed: the email tests need GreenMail (apt-get install default-jre-headless)' };
  try {
    return { jar: execFileSync('bash', [path.join(ROOT, 'scripts/ensure-greenmail.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim() };
  } catch (err) {
    throw new Error(`GreenMail could not be fetched: ${(err as Error).message}`);
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });

export interface GreenMail {
  smtpPort: number;
  imapPort: number;
  /** The desk's mailbox account. */
  desk: { address: string; user: string; password: string };
  /** CHATDESK_* variables that point chatdesk at this server's desk mailbox. */
  env: Record<string, string>;
  /** The same for a second desk mailbox (second@desk.test), for a second app. */
  secondEnv: Record<string, string>;
  /** Sends a mail as a person's mail program would (SMTP). */
  send(mail: {
    from: string;
    to?: string;
    subject?: string;
    text?: string;
    messageId?: string;
    inReplyTo?: string;
    references?: string[];
    headers?: Record<string, string>;
    attachments?: Array<{ filename: string; content: Buffer }>;
  }): Promise<string>;
  /** Delivers a raw message as it is (malformed MIME, a bounce) straight into a mailbox (IMAP APPEND). */
  append(user: string, password: string, raw: string | Buffer): Promise<void>;
  /** A person's inbox as their mail program reads it (GreenMail makes a mailbox per address, the address as login and password). */
  inbox(address: string): Promise<ParsedMail[]>;
  /** How many mails of the desk's mailbox are still unseen. */
  unseen(): Promise<number>;
  stop(): Promise<void>;
}

export async function startGreenMail(jar: string): Promise<GreenMail> {
  const [smtpPort, imapPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const desk = { address: 'help@desk.test', user: 'help@desk.test', password: 'desk-secret' };
  const proc: ChildProcess = spawn(
    'java',
    [
      '-Xmx512m',
      `-Dgreenmail.smtp.port=${smtpPort}`,
      '-Dgreenmail.smtp.hostname=127.0.0.1',
      `-Dgreenmail.imap.port=${imapPort}`,
      '-Dgreenmail.imap.hostname=127.0.0.1',
      `-Dgreenmail.api.port=${apiPort}`,
      '-Dgreenmail.api.hostname=127.0.0.1',
      `-Dgreenmail.users=help:${desk.password}@desk.test,second:${desk.password}@desk.test`,
      '-Dgreenmail.users.login=email',
      '-jar',
      jar,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  await waitFor(async () => (await listening(smtpPort)) && (await listening(imapPort)), { timeoutMs: 60_000, intervalMs: 200 }).catch(() => {
    proc.kill();
    throw new Error(`GreenMail did not start: ${stderr}`);
  });
  const smtp = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false });
  const imap = async <T>(user: string, password: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user, pass: password }, logger: false });
    await c.connect();
    try {
      await c.mailboxOpen('INBOX');
      return await fn(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    smtpPort,
    imapPort,
    desk,
    env: {
      CHATDESK_IMAP_URL: `imap://127.0.0.1:${imapPort}`,
      CHATDESK_IMAP_USER: desk.user,
      CHATDESK_IMAP_PASSWORD: desk.password,
      CHATDESK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CHATDESK_EMAIL_FROM: desk.address,
      CHATDESK_EMAIL_POLL_S: '1',
    },
    secondEnv: {
      CHATDESK_IMAP_URL: `imap://127.0.0.1:${imapPort}`,
      CHATDESK_IMAP_USER: 'second@desk.test',
      CHATDESK_IMAP_PASSWORD: desk.password,
      CHATDESK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CHATDESK_EMAIL_FROM: 'second@desk.test',
    },
    async send(m) {
      const info = await smtp.sendMail({ to: desk.address, ...m });
      return info.messageId;
    },
    async append(user, password, raw) {
      await imap(user, password, async (c) => {
        await c.append('INBOX', raw);
      });
    },
    async inbox(address) {
      return imap(address, address, async (c) => {
        const out: ParsedMail[] = [];
        for await (const msg of c.fetch('1:*', { source: true })) if (msg.source) out.push(await simpleParser(msg.source));
        return out;
      }).catch((err: Error) => {
        // No mail yet: GreenMail makes the mailbox (and the login) on the first delivery.
        if (/auth|login|credentials/i.test(err.message) || (err as { authenticationFailed?: boolean }).authenticationFailed) return [];
        throw err;
      });
    },
    async unseen() {
      return imap(desk.user, desk.password, async (c) => ((await c.search({ seen: false }, { uid: true })) || []).length);
    },
    async stop() {
      smtp.close();
      proc.kill();
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
