import { createHash, randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { MailServer } from '../../config/platforms/email.env';
import { ChatdeskError } from '../../domain/errors';
import type { Logger } from '../../logger';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** `<…@domain>`: set by the caller so a retried send carries the same id. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
}

/** SMTP reply codes a retry cannot change (5xx: unknown mailbox, refused); 4xx and network failures are retried. */
const isPermanentSmtp = (err: unknown) => {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500;
};

/** Sends the desk's mail over SMTP (nodemailer), from the desk's address. */
export class SmtpSender {
  private readonly transport;
  private readonly domain: string;

  constructor(
    server: MailServer,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.domain = from.split('@')[1] ?? 'chatdesk.invalid';
    this.transport = createTransport({
      host: server.host,
      port: server.port,
      secure: server.secure,
      ...(server.user ? { auth: { user: server.user, pass: server.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** A Message-ID of the desk's domain: derived from `key` when given (the same post, the same id), else random. */
  messageId(key?: string): string {
    const local = key ? createHash('sha256').update(key).digest('hex').slice(0, 32) : randomUUID();
    return `<chatdesk.${local}@${this.domain}>`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references?.length ? { references: mail.references } : {}),
        // Every mail of the desk says it is automatic (RFC 3834), an agent's answer too: out-of-office and other
        // auto-responders then never answer it, which is what keeps two robots from mailing each other forever.
        headers: { 'Auto-Submitted': mail.inReplyTo ? 'auto-replied' : 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
      this.logger.info({ messageId: mail.messageId }, 'mail sent');
    } catch (err) {
      throw new ChatdeskError(
        'chatdesk_adapter_error',
        `sending mail failed: ${(err as Error).message}`,
        { platform: 'email', permanent: isPermanentSmtp(err) },
        { cause: err },
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
