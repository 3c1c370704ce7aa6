import type { DeskConfig } from '../../config/desk-config.schema';
import type { IntakeEvent } from '../../core/intake/intake-event';
import { localeForText } from '../../core/i18n';
import type { Platform, UserRef } from '../../domain/ticket/ticket';
import { DESCRIPTION_MAX, TITLE_MAX } from '../../domain/ticket/ticket-draft';
import type { Logger } from '../../logger';
import { MAIL_EVENT_PREFIX } from './email-adapter';
import { mailText } from './email-texts';
import { type NoiseReason, noiseReason, SenderBurst } from './mail-noise';
import type { InboundMail } from './mail-read';
import { attachmentLine, visibleText } from './mail-text';
import type { MailThreads } from './mail-threads';

/** What the email replier needs to answer a mail (plain JSON, kept on the intake event). */
export interface MailReply {
  to: string;
  /** The thread the answer goes in (the root mail's Message-ID). */
  rootId: string;
  subject: string;
}

export type MailOutcome =
  | { kind: 'event'; event: IntakeEvent }
  | { kind: 'skip'; reason: NoiseReason | 'empty' | 'loop' /** Answer the sender with this (a mail nobody could act on). */; answer?: string };

const CHAT_PLATFORMS = ['slack', 'teams', 'discord', 'feishu', 'playground'] as const satisfies readonly Platform[];
const KEY_IN_SUBJECT = /\[([A-Z]{1,6}-\d+)\]/;

/**
 * Turns a mail into an intake event: a new ticket (`submit`), or a reply to
 * the ticket whose thread it answers (`message`, by In-Reply-To / References,
 * else by the `[T-1001]` key in the subject). Noise (bounces, auto-replies,
 * the desk's own mail, a sender in a burst) is skipped. The event id is
 * `email:<Message-ID>`, so the same mail fetched twice, or by two replicas, is
 * one event.
 */
export class MailIntake {
  private readonly burst = new SenderBurst();
  /** The directory by address (one look-up per mail, whatever its size). */
  private readonly people: Map<string, DeskConfig['people'][number]>;

  constructor(
    private readonly deps: {
      desk: DeskConfig;
      threads: MailThreads;
      /** The desk's own addresses (From, and the IMAP login when it is one). */
      own: readonly string[];
      /** Messengers that are on: a directory entry is used for the first of these. */
      connected: () => readonly Platform[];
      logger: Logger;
      maxBytes: number;
      now?: () => number;
    },
  ) {
    this.people = new Map(deps.desk.people.map((p) => [p.email, p]));
  }

  async read(mail: InboundMail, fallbackId: string): Promise<MailOutcome> {
    const reason = noiseReason(mail.headers, mail.from, this.deps.own);
    if (reason || !mail.from) return { kind: 'skip', reason: reason ?? 'no_sender' };
    const from = mail.from;
    const messageId = mail.messageId ?? fallbackId;
    const locale = localeForText(`${mail.subject} ${mail.text.slice(0, 2000)}`, this.deps.desk.locale);
    const text = this.body(mail, locale);
    const key = KEY_IN_SUBJECT.exec(mail.subject)?.[1];
    const rootId = await this.deps.threads.threadOf(
      [mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => !!x),
      key,
    );
    const user = this.person(from, mail.fromName);
    const base = { id: `${MAIL_EVENT_PREFIX}${messageId}`, platform: 'email' as const, user, locale };
    if (rootId) {
      // A reply with nothing in it ("thanks" stripped to nothing is still text; an empty one is not) is not worth a line under the card.
      if (!text) return { kind: 'skip', reason: 'empty' };
      await this.deps.threads.rememberMessage(messageId, rootId);
      const reply: MailReply = { to: from, rootId, subject: mail.subject };
      return { kind: 'event', event: { ...base, request: { kind: 'message', text, threadId: rootId }, reply: { ...reply } } };
    }
    if (!mail.subject && !text) return { kind: 'skip', reason: 'empty', answer: mailText(locale, 'empty') };
    if (this.burst.tooMany(from, (this.deps.now ?? Date.now)())) return { kind: 'skip', reason: 'loop' };
    await this.deps.threads.rememberRoot(messageId, { from, subject: mail.subject, references: mail.references });
    const title = (mail.subject || text.split('\n')[0] || mailText(locale, 'noSubject', { from })).replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX);
    const reply: MailReply = { to: from, rootId: messageId, subject: mail.subject || title };
    return {
      kind: 'event',
      event: {
        ...base,
        request: { kind: 'submit', draft: { title, description: text.slice(0, DESCRIPTION_MAX), type: this.deps.desk.defaultType } },
        reply: { ...reply },
      },
    };
  }

  /** The visible text, then what could not be read and the attachments by name and size. */
  private body(mail: InboundMail, locale: 'en' | 'zh'): string {
    const parts = [visibleText(mail.text)];
    if (mail.unreadable) parts.push(mailText(locale, 'unreadable'));
    else if (mail.truncated) parts.push(mailText(locale, 'truncated', { mb: Math.round(this.deps.maxBytes / 1024 / 1024) }));
    if (mail.attachments.length > 0)
      parts.push([mailText(locale, 'attachments'), ...mail.attachments.slice(0, 20).map((a) => `- ${attachmentLine(a)}`)].join('\n'));
    const text = parts.filter(Boolean).join('\n\n');
    // Room for the notes after a long text: the text is cut, never the list.
    if (text.length <= DESCRIPTION_MAX) return text;
    const tail = parts.slice(1).filter(Boolean).join('\n\n');
    return `${parts[0]!.slice(0, Math.max(0, DESCRIPTION_MAX - tail.length - 3))}…\n\n${tail}`.trim();
  }

  /** The person on chat when the directory knows the address (on a messenger that is on), else the address. */
  private person(address: string, name: string | undefined): UserRef {
    const entry = this.people.get(address);
    if (entry) {
      const on = this.deps.connected();
      const platform = CHAT_PLATFORMS.find((p) => entry[p] && on.includes(p));
      if (platform) return { platform, id: entry[platform]!, ...(name ? { name } : {}) };
    }
    return { platform: 'email', id: address, ...(name ? { name } : {}) };
  }
}
