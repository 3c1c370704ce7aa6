import { ImapFlow } from 'imapflow';
import type { EmailConfig } from '../../config/platforms/email.env';
import type { Logger } from '../../logger';
import { readMail, type InboundMail } from './mail-read';

/** What became of one mail: stored in the inbox (or already there), or skipped for good. Either way it is marked seen. */
export type TakeResult = 'stored' | 'duplicate' | 'skipped';

export interface MailboxMetrics {
  connected(up: boolean): void;
  connectFailed(): void;
  mail(result: TakeResult | 'failed'): void;
}

/** Mails looked at per round; the rest are taken in the next round straight after. */
const BATCH = 50;
const MAX_BACKOFF_MS = 60_000;

/**
 * Reads the desk's mailbox over IMAP (imapflow). Unseen mails are fetched
 * (at most `maxBytes` of each, with the server's structure for the rest),
 * handed to `take`, and marked \Seen only once `take` stored them in the
 * durable inbox: a crash in between fetches the mail again, and the inbox's
 * unique id makes it the same event. New mail is noticed by IDLE (imapflow
 * idles between commands and reports EXISTS) and, where the server has no
 * IDLE or it goes quiet, by a poll every `pollMs`. A lost or refused
 * connection is retried with backoff (1 s doubling to 60 s).
 */
export class ImapReader {
  private client?: ImapFlow;
  private stopped = false;
  private connected = false;
  private failures = 0;
  private lastError?: string;
  private wake?: () => void;
  private draining?: Promise<void>;
  private again = false;
  private loop?: Promise<void>;

  constructor(
    private readonly deps: {
      config: EmailConfig;
      take: (mail: InboundMail, fallbackId: string) => Promise<TakeResult>;
      logger: Logger;
      metrics: MailboxMetrics;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.loop;
  }

  /** For `/readyz`: throws while the mailbox cannot be read. */
  async check(): Promise<void> {
    if (!this.connected) throw new Error(`the mailbox is not reachable${this.lastError ? ` (${this.lastError})` : ''}; retrying`);
  }

  private async run(): Promise<void> {
    const { logger } = this.deps;
    while (!this.stopped) {
      try {
        await this.session();
      } catch (err) {
        this.failures++;
        this.lastError = (err as Error).message;
        this.deps.metrics.connectFailed();
        logger.warn(
          { err: { message: this.lastError, code: (err as { code?: string }).code }, failures: this.failures },
          'the mailbox could not be read; retrying',
        );
      }
      this.setConnected(false);
      if (this.stopped) break;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6)) * (0.75 + Math.random() * 0.5);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One connection: open the mailbox, drain it, then drain again on every EXISTS and poll until the connection ends. */
  private async session(): Promise<void> {
    const { config, logger } = this.deps;
    const client = new ImapFlow({
      host: config.imap.host,
      port: config.imap.port,
      secure: config.imap.secure,
      auth: { user: config.imap.user ?? '', pass: config.imap.password ?? '' },
      logger: false,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 5 * 60_000,
      // IDLE a second after the last command (imapflow waits 15 s by default: mail in between would wait for it),
      // and re-issued regularly: some servers drop an IDLE connection silently after a while.
      autoIdleDelay: 1000,
      maxIdleTime: Math.min(config.pollMs, 5 * 60_000),
    });
    this.client = client;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (err: Error) => {
      this.lastError = err.message;
      logger.warn({ err: { message: err.message } }, 'the mailbox connection failed');
    });
    await client.connect();
    try {
      const box = await client.mailboxOpen(config.mailbox);
      this.failures = 0;
      this.lastError = undefined;
      this.setConnected(true);
      logger.info({ mailbox: config.mailbox, messages: box.exists }, 'reading the mailbox');
      const kick = () => void this.drain(client, String(box.uidValidity));
      client.on('exists', kick);
      const poll = setInterval(kick, config.pollMs);
      poll.unref();
      kick();
      await closed;
      clearInterval(poll);
      await this.draining;
    } finally {
      if (this.client === client) this.client = undefined;
      client.close();
    }
    if (!this.stopped) throw new Error(this.lastError ?? 'the mail server closed the connection');
  }

  /** Takes every unseen mail in; one drain at a time (a kick during one runs another after it). */
  private drain(client: ImapFlow, uidValidity: string): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        const more = await this.round(client, uidValidity).catch((err: unknown) => {
          this.deps.logger.warn({ err: { message: (err as Error).message } }, 'reading new mail failed; trying again at the next look');
          return false;
        });
        if (more) this.again = true;
      } while (this.again && !this.stopped && client.usable);
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** One batch of unseen mail; true when more is waiting. */
  private async round(client: ImapFlow, uidValidity: string): Promise<boolean> {
    const { config, take, metrics, logger } = this.deps;
    const unseen = (await client.search({ seen: false }, { uid: true })) || [];
    for (const uid of unseen.slice(0, BATCH)) {
      if (this.stopped) return false;
      const msg = await client.fetchOne(
        String(uid),
        { uid: true, size: true, envelope: true, bodyStructure: true, source: { maxLength: config.maxBytes } },
        { uid: true },
      );
      if (!msg) continue;
      const mail = await readMail(
        msg.source ?? Buffer.alloc(0),
        { size: msg.size ?? 0, envelope: msg.envelope, structure: msg.bodyStructure },
        config.maxBytes,
      );
      if (mail.unreadable) logger.warn({ uid, messageId: mail.messageId }, 'a mail whose MIME could not be parsed; taken in from its envelope');
      let result: TakeResult;
      try {
        result = await take(mail, `<uid-${uidValidity}-${uid}@imap.chatdesk>`);
      } catch (err) {
        // Not stored (the database is down, the inbox is full): left unseen and taken at the next look; the others go on.
        metrics.mail('failed');
        logger.warn({ err, uid, messageId: mail.messageId }, 'a mail could not be stored; it stays unseen and is tried again');
        continue;
      }
      metrics.mail(result);
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    }
    return unseen.length > BATCH;
  }

  private setConnected(up: boolean): void {
    if (this.connected === up) return;
    this.connected = up;
    this.deps.metrics.connected(up);
  }
}
