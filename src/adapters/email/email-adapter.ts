import type { OutboundMessage } from '../../core/cards/card';
import { cardToText } from '../../core/cards/card';
import type { ChatAdapter, PostOptions, PostTarget } from '../../core/chat-adapter.port';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import type { MailThreads, ThreadRoot } from './mail-threads';
import type { SmtpSender } from './smtp-sender';

/** The intake id of a mail (`email:<Message-ID>`, see mail-intake.ts). */
export const MAIL_EVENT_PREFIX = 'email:';

const subjectFor = (about: PostOptions['about'], root: ThreadRoot | undefined): string => {
  const base = root?.subject.replace(/^((re|fwd?|aw|sv|回复|答复)\s*[:：]\s*)+/i, '') ?? about?.title ?? 'chatdesk';
  if (!about) return `Re: ${base}`;
  const tagged = base.includes(`[${about.key}]`) ? base : `[${about.key}] ${base}`;
  return root ? `Re: ${tagged}` : tagged;
};

/**
 * The email side of the one ChatAdapter port. A "channel" is a person's
 * address and a "thread" the Message-ID of the mail that started it; every
 * mail to a requester answers that root (In-Reply-To, References) with the
 * ticket key in its subject, so their mail program threads it and their reply
 * finds the ticket. Sending is idempotent in name only: a retried post carries
 * the same Message-ID (derived from its dedupe key), which mail programs use to
 * fold duplicates; SMTP itself has no idempotency key.
 */
export class EmailAdapter implements ChatAdapter {
  readonly platform = 'email' as const;

  constructor(
    private readonly smtp: SmtpSender,
    private readonly threads: MailThreads,
    private readonly logger: Logger,
  ) {}

  /** A line in a thread (an agent's reply, a status change): a reply to its root mail. */
  async post(target: PostTarget, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    const rootId = target.threadId;
    const root = rootId ? await this.threads.root(rootId) : undefined;
    return this.send(target.channelId, message, opts, rootId && root ? { id: rootId, root } : undefined);
  }

  /** Mail cannot be changed once sent: a card refresh has nothing to edit here (cards live on the chat side). */
  async update(ref: MessageRef): Promise<void> {
    this.logger.debug({ messageId: ref.messageId }, 'a sent mail cannot be edited; the update is not mailed');
  }

  /**
   * The first mail to a person about a ticket (its confirmation): a reply to
   * the mail that opened it when it came by mail (`about.intakeId`), else a new
   * thread whose root is this mail.
   */
  async sendDirect(user: UserRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    const intake = opts?.about?.intakeId;
    const rootId = intake?.startsWith(MAIL_EVENT_PREFIX) ? /^<[^>]*>/.exec(intake.slice(MAIL_EVENT_PREFIX.length))?.[0] : undefined;
    const root = rootId ? await this.threads.root(rootId) : undefined;
    return this.send(user.id, message, opts, rootId && root ? { id: rootId, root } : undefined);
  }

  private async send(
    to: string,
    message: OutboundMessage,
    opts: PostOptions | undefined,
    thread: { id: string; root: ThreadRoot } | undefined,
  ): Promise<MessageRef> {
    const messageId = this.smtp.messageId(opts?.dedupeKey);
    const text = message.card ? cardToText(message.card) : message.text;
    const subject = subjectFor(opts?.about, thread?.root);
    const references = thread?.root.references ?? [];
    await this.smtp.send({
      to,
      subject,
      text,
      messageId,
      ...(thread ? { inReplyTo: references.at(-1) ?? thread.id, references } : {}),
    });
    const rootId = thread?.id ?? messageId;
    if (!thread) await this.threads.rememberRoot(messageId, { from: to, subject, references: [] });
    else await this.threads.rememberMessage(messageId, rootId);
    if (opts?.about) await this.threads.rememberKey(opts.about.key, rootId);
    return { platform: 'email', channelId: to, messageId, threadId: rootId };
  }
}
