import { z } from 'zod';
import { optionalString, requireTogether } from './env-helpers';

/** A mail server URL: imap:// or imaps:// (IMAP), smtp:// or smtps:// (SMTP); the port defaults to the protocol's. */
const mailUrl = (protocols: [string, string]) =>
  optionalString.pipe(z.url({ protocol: new RegExp(`^(${protocols.join('|')})$`), message: `expected a ${protocols.join(':// or ')}:// URL` }).optional());

/** Email intake (imapflow, mailparser, nodemailer). On when CHATDESK_IMAP_URL is set. */
export const emailEnvShape = {
  CHATDESK_IMAP_URL: mailUrl(['imap', 'imaps']),
  CHATDESK_IMAP_USER: optionalString,
  CHATDESK_IMAP_PASSWORD: optionalString,
  CHATDESK_IMAP_MAILBOX: z.string().trim().min(1).default('INBOX'),
  CHATDESK_SMTP_URL: mailUrl(['smtp', 'smtps']),
  CHATDESK_SMTP_USER: optionalString,
  CHATDESK_SMTP_PASSWORD: optionalString,
  CHATDESK_EMAIL_FROM: optionalString.pipe(z.email({ message: 'expected the desk address (help@example.com)' }).optional()),
  CHATDESK_EMAIL_POLL_S: z.coerce.number({ message: 'expected a number of seconds' }).min(1).max(3600).default(60),
  CHATDESK_EMAIL_MAX_MB: z.coerce.number({ message: 'expected a number of megabytes' }).min(1).max(100).default(10),
};

export interface MailServer {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  /** Never logged. */
  password?: string;
}

export interface EmailConfig {
  imap: MailServer;
  smtp: MailServer;
  mailbox: string;
  /** The desk's own address: the From of what it sends, and mail from it is never taken in. */
  from: string;
  /** How often the mailbox is looked at when the server has no IDLE (and as a safety net beside it). */
  pollMs: number;
  /** Mails larger than this are not downloaded whole: their text is read, their attachments listed. */
  maxBytes: number;
}

type EmailEnv = z.infer<z.ZodObject<typeof emailEnvShape>>;

export function refineEmailEnv(env: EmailEnv, ctx: z.RefinementCtx): void {
  requireTogether(env, ['CHATDESK_IMAP_URL', 'CHATDESK_SMTP_URL', 'CHATDESK_EMAIL_FROM'], ctx);
  if (env.CHATDESK_IMAP_URL && !env.CHATDESK_IMAP_USER)
    ctx.addIssue({ code: 'custom', path: ['CHATDESK_IMAP_USER'], message: 'required when CHATDESK_IMAP_URL is set (the mailbox login)' });
}

function server(url: string, user: string | undefined, password: string | undefined, ports: { plain: number; secure: number }): MailServer {
  const u = new URL(url);
  const secure = u.protocol.endsWith('s:');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? ports.secure : ports.plain,
    secure,
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
  };
}

export function emailConfigFromEnv(env: EmailEnv): EmailConfig | undefined {
  if (!env.CHATDESK_IMAP_URL || !env.CHATDESK_SMTP_URL || !env.CHATDESK_EMAIL_FROM) return undefined;
  return {
    imap: server(env.CHATDESK_IMAP_URL, env.CHATDESK_IMAP_USER, env.CHATDESK_IMAP_PASSWORD, { plain: 143, secure: 993 }),
    // The SMTP login defaults to the IMAP one (one mailbox account).
    smtp: server(env.CHATDESK_SMTP_URL, env.CHATDESK_SMTP_USER ?? env.CHATDESK_IMAP_USER, env.CHATDESK_SMTP_PASSWORD ?? env.CHATDESK_IMAP_PASSWORD, {
      plain: 587,
      secure: 465,
    }),
    mailbox: env.CHATDESK_IMAP_MAILBOX,
    from: env.CHATDESK_EMAIL_FROM.toLowerCase(),
    pollMs: env.CHATDESK_EMAIL_POLL_S * 1000,
    maxBytes: Math.round(env.CHATDESK_EMAIL_MAX_MB * 1024 * 1024),
  };
}
